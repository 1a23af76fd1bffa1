//! The seed format: what the server's state looks like at start and after a reset.
//!
//! A fixture is JSON with every section optional. By default it **extends** the
//! built-in demo world (`fixtures/demo.json`: a project, two collections, listings, a
//! demo player and a rival with NFTs, balances and a secondary-market item); set
//! `"includeDefaultSeed": false` for a blank world. Objects that the API serves
//! verbatim (projects, collections, listing metadata) are written in the API's own
//! shape, so a fixture doubles as an example of the responses:
//!
//! ```json
//! {
//!   "includeDefaultSeed": true,
//!   "users": [{"id": "…24 hex…", "identifier": "a@example.com", "project": "…",
//!              "wallets": [{"address": "0x…", "smartAccount": "0x…", "custodial": true}]}],
//!   "sessions": [{"access": {"token": "…", "expires": "2030-01-01T00:00:00.000Z"},
//!                 "refresh": {"token": "…", "expires": "2030-01-01T00:00:00.000Z"},
//!                 "userId": "…"}],
//!   "balances": [{"address": "0x…", "chain": "polygon", "native": "25", "tokens": {"usdc": "100"}}],
//!   "erc20": [{"chain": "polygon", "symbol": "usdc", "address": "0x…"}],
//!   "projects": [{"id": "…", "address": "0x…", "domain": "my-game", "name": "…",
//!                 "collections": [{"id": "…", "address": "0x…", "chain": "polygon", "name": "…",
//!                                  "listings": [{"typeId": 1, "supply": 13, "price": 0.5,
//!                                                "inSale": true, "metadata": {"name": "…"}}],
//!                                  "tokens": [{"tokenId": 1, "typeId": 1, "owner": "0x…"}]}]}],
//!   "marketItems": [{"marketItemId": 38, "collectionAddress": "0x…", "tokenId": 1,
//!                    "price": 0.75, "seller": "0x…"}]
//! }
//! ```
//!
//! A session's owner defaults to its `userId`, else the `sub` claim of its refresh
//! (then access) token, else the demo player [`DEMO_USER_ID`]; owners that are not in
//! `users` get a user with one custodial wallet. Unknown top-level keys are rejected so
//! that a typo fails loudly instead of seeding nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The demo player's user id (the id in the API reference's examples).
pub const DEMO_USER_ID: &str = "5ebac534954b54139806c112";
/// The demo project's id.
pub const DEMO_PROJECT_ID: &str = "6564b4f3fa203b318f65da05";

const DEMO_JSON: &str = include_str!("../fixtures/demo.json");

/// A seed for the mock's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixture {
    /// Whether the demo world is seeded too (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_default_seed: Option<bool>,
    /// Users and their wallets.
    #[serde(default)]
    pub users: Vec<UserSeed>,
    /// Live sessions, in Xerial's token-pair shape.
    #[serde(default)]
    pub sessions: Vec<SessionSeed>,
    /// Native and ERC20 balances.
    #[serde(default)]
    pub balances: Vec<BalanceSeed>,
    /// Supported ERC20 tokens per chain.
    #[serde(default)]
    pub erc20: Vec<Erc20Seed>,
    /// Projects with their collections, primary listings and minted tokens.
    #[serde(default)]
    pub projects: Vec<ProjectSeed>,
    /// Secondary-market items (the token must be seeded, owned by the seller).
    #[serde(default)]
    pub market_items: Vec<MarketItemSeed>,
}

impl Fixture {
    /// Parses a fixture from JSON text.
    pub fn from_json(text: &str) -> Result<Fixture, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid fixture: {e}"))
    }

    /// Reads and parses a fixture file.
    pub fn from_file(path: &std::path::Path) -> Result<Fixture, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
        Fixture::from_json(&text)
    }

    /// The built-in demo world alone.
    pub fn demo() -> Fixture {
        let mut demo = Fixture::from_json(DEMO_JSON).unwrap_or_default();
        demo.include_default_seed = Some(false);
        demo
    }

    /// This fixture with the demo world underneath it, unless it opted out.
    pub fn effective(&self) -> Fixture {
        if self.include_default_seed == Some(false) {
            return self.clone();
        }
        let mut all = Fixture::demo();
        all.users.extend(self.users.iter().cloned());
        all.sessions.extend(self.sessions.iter().cloned());
        all.balances.extend(self.balances.iter().cloned());
        all.erc20.extend(self.erc20.iter().cloned());
        all.projects.extend(self.projects.iter().cloned());
        all.market_items.extend(self.market_items.iter().cloned());
        all
    }
}

/// A user and their wallets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSeed {
    /// 24-hex id.
    pub id: String,
    /// E-mail or other identifier (`user.identifier` in `GET /user`).
    pub identifier: String,
    /// Project the user signed up through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The user's wallets.
    #[serde(default)]
    pub wallets: Vec<WalletSeed>,
}

/// A wallet as `GET /user` lists it (`user` is implied by the owner).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletSeed {
    /// 24-hex id (generated if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// EOA address.
    pub address: String,
    /// Account-abstraction address (custodial wallets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smart_account: Option<String>,
    /// Xerial-held keys (true) or MetaMask (false); default true.
    #[serde(default = "yes")]
    pub custodial: bool,
    /// Wallet type; default `evm`.
    #[serde(rename = "type", default = "evm")]
    pub kind: String,
}

fn yes() -> bool {
    true
}

fn evm() -> String {
    "evm".to_owned()
}

/// One seeded session: a token pair and optionally its owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSeed {
    /// The access token and its expiry.
    pub access: TokenSeed,
    /// The refresh token and its expiry.
    pub refresh: TokenSeed,
    /// Owner; see the module docs for the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// `{"token": "…", "expires": "<ISO-8601 UTC>"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenSeed {
    /// The token string.
    pub token: String,
    /// Expiry, ISO-8601 UTC such as `2026-11-24T10:00:00.000Z`.
    pub expires: String,
}

/// Balances of one address on one chain; amounts are numbers or decimal strings in
/// human units (MATIC/TLOS, USDC).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BalanceSeed {
    /// Wallet address (EOA or smart account).
    pub address: String,
    /// `polygon` or `telos`.
    pub chain: String,
    /// Native currency balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<Value>,
    /// ERC20 balances by symbol (`usdc`).
    #[serde(default)]
    pub tokens: BTreeMap<String, Value>,
}

/// A supported ERC20 token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Erc20Seed {
    /// `polygon` or `telos`.
    pub chain: String,
    /// Key in `{"balances": {…}}`, e.g. `usdc`.
    pub symbol: String,
    /// Contract address used by `transfer-token`.
    pub address: String,
}

/// A project: the Project object served by `GET /marketplace/{domain}` (needs `id`,
/// `address`, `domain`), plus its collections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectSeed {
    /// Collections of the project.
    #[serde(default)]
    pub collections: Vec<CollectionSeed>,
    /// The Project object's fields.
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

/// A collection: the Collection object served by `GET /collections` (needs `id`,
/// `address`, `chain`), plus its primary listings and minted tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionSeed {
    /// Primary-sale listings (token types).
    #[serde(default)]
    pub listings: Vec<ListingSeed>,
    /// Tokens already minted.
    #[serde(default)]
    pub tokens: Vec<NftSeed>,
    /// The Collection object's fields.
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

/// A primary listing: one token type for sale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingSeed {
    /// 24-hex id (generated if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Token type id.
    pub type_id: u64,
    /// Original supply (as the API serves it): minted tokens included; what is still for sale
    /// is `supply - mintedTokens`.
    pub supply: u64,
    /// Price per unit in native currency.
    pub price: Value,
    /// Whether it can be bought; default true.
    #[serde(default = "yes")]
    pub in_sale: bool,
    /// Token metadata (`contract`, and `maxSupply` = `supply`, are filled in when absent).
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// Units minted so far (default: the seeded tokens of this type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minted_tokens: Option<u64>,
}

/// A minted token and its owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NftSeed {
    /// Token id, unique within the collection.
    pub token_id: u64,
    /// Token type (listing) id.
    pub type_id: u64,
    /// Owner address.
    pub owner: String,
    /// Metadata URI (generated if absent).
    #[serde(
        rename = "metadataURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata_uri: Option<String>,
}

/// A token listed on the secondary market by its owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketItemSeed {
    /// Market item id.
    pub market_item_id: u64,
    /// Collection contract address.
    pub collection_address: String,
    /// Token id.
    pub token_id: u64,
    /// Price in native currency.
    pub price: Value,
    /// Seller address (must own the token).
    pub seller: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_parses_and_extends() {
        let demo = Fixture::demo();
        assert!(demo.users.iter().any(|u| u.id == DEMO_USER_ID));
        assert!(demo
            .projects
            .iter()
            .any(|p| p.data["id"] == DEMO_PROJECT_ID));
        let mine = Fixture::from_json(r#"{"sessions":[]}"#).expect("parses");
        assert_eq!(mine.effective().users.len(), demo.users.len());
        let blank = Fixture::from_json(r#"{"includeDefaultSeed":false}"#).expect("parses");
        assert!(blank.effective().users.is_empty());
        assert!(Fixture::from_json(r#"{"sesions":[]}"#).is_err());
    }
}
