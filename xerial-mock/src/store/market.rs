//! Projects, collections, primary listings, minted NFTs, the secondary market and
//! balances, plus the read-only views the API serves from them.
//!
//! Response shapes follow the reference's examples (§3.2 #5–#8, #23–#26) field for
//! field, including the raw ethers tuple keys `"0"`/`"1"` in inventory `tokens`, so a
//! client that depends on anything else breaks here first. Where Xerial's own client code
//! reads something the examples lack (§8: inventory `tokenIds`), both are served.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use super::Chain;
use crate::amount;

/// A project (game studio listing).
#[derive(Clone, Debug)]
pub struct Project {
    /// 24-hex id.
    pub id: String,
    /// Marketplace domain (`GET /marketplace/{domain}`).
    pub domain: String,
    /// Studio address: receives primary-sale payments.
    pub address: String,
    /// The Project object as served.
    pub data: Map<String, Value>,
}

/// An NFT collection (contract).
#[derive(Clone, Debug)]
pub struct Collection {
    /// 24-hex id.
    pub id: String,
    /// Contract address, lower-case (lookup key).
    pub key: String,
    /// Chain the contract lives on.
    pub chain: Chain,
    /// Owning project id.
    pub project: String,
    /// The Collection object as served.
    pub data: Map<String, Value>,
    /// Next token id to mint.
    pub next_token_id: u64,
}

/// A primary-sale listing: one token type of a collection.
#[derive(Clone, Debug)]
pub struct Listing {
    /// 24-hex id.
    pub id: String,
    /// Collection key.
    pub collection: String,
    /// Token type id.
    pub type_id: u64,
    /// Original supply: fixed; what is left is `supply - minted` (Xerial's UI shows both).
    pub supply: u64,
    /// Price per unit, wei.
    pub price: u128,
    /// Whether it can be bought.
    pub in_sale: bool,
    /// Token metadata (with `contract` and `maxSupply`).
    pub metadata: Map<String, Value>,
    /// Units minted so far (goes up with each primary purchase).
    pub minted: u64,
}

impl Listing {
    /// Units still for sale.
    pub fn available(&self) -> u64 {
        self.supply.saturating_sub(self.minted)
    }

    /// `GET /marketplace/{projectId}/{chain}/primary` entry (reference #24).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "typeId": self.type_id,
            "supply": self.supply,
            "price": amount::to_number(self.price),
            "inSale": self.in_sale,
            "metadata": self.metadata,
            "mintedTokens": self.minted,
        })
    }
}

/// A minted token.
#[derive(Clone, Debug)]
pub struct Nft {
    /// Collection key.
    pub collection: String,
    /// Token id.
    pub token_id: u64,
    /// Token type id.
    pub type_id: u64,
    /// Holder key (see `Accounts::holder`), or the chain's escrow while listed.
    pub owner: String,
    /// Metadata URI.
    pub metadata_uri: String,
}

/// A token offered on the secondary market.
#[derive(Clone, Debug)]
pub struct MarketItem {
    /// Market item id.
    pub id: u64,
    /// Collection key.
    pub collection: String,
    /// Token id.
    pub token_id: u64,
    /// Price, wei.
    pub price: u128,
    /// Seller address as given when listed.
    pub seller: String,
    /// Seller's holder key (the token returns here on delist).
    pub seller_key: String,
}

/// Balances of one holder on one chain.
#[derive(Clone, Debug, Default)]
pub struct Balance {
    /// Native currency, wei.
    pub native: u128,
    /// ERC20 balances by symbol, wei-scaled (18 decimals).
    pub tokens: BTreeMap<String, u128>,
}

/// A supported ERC20 token.
#[derive(Clone, Debug)]
pub struct Erc20 {
    /// Chain.
    pub chain: Chain,
    /// Symbol used as the key in `balances`.
    pub symbol: String,
    /// Contract address, lower-case.
    pub address: String,
}

/// The market and ledger.
#[derive(Debug, Default)]
pub struct Market {
    /// Projects.
    pub projects: Vec<Project>,
    /// Collections.
    pub collections: Vec<Collection>,
    /// Primary listings.
    pub listings: Vec<Listing>,
    /// Minted tokens.
    pub nfts: Vec<Nft>,
    /// Secondary-market items.
    pub items: Vec<MarketItem>,
    /// Next market item id.
    pub next_item_id: u64,
    /// Balances by (holder key, chain).
    pub balances: HashMap<(String, Chain), Balance>,
    /// Supported ERC20 tokens.
    pub erc20: Vec<Erc20>,
}

impl Market {
    /// The project with `id`.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// The collection at `address` (case-insensitive).
    pub fn collection(&self, address: &str) -> Option<&Collection> {
        let key = address.to_ascii_lowercase();
        self.collections.iter().find(|c| c.key == key)
    }

    /// Mutable balance entry, created empty on first use.
    pub fn balance_mut(&mut self, holder: &str, chain: Chain) -> &mut Balance {
        self.balances.entry((holder.to_owned(), chain)).or_default()
    }

    /// `GET …/eth` body (reference #5): `{"balance": "<decimal string>"}`.
    pub fn native_view(&self, holder: &str, chain: Chain) -> Value {
        let wei = self
            .balances
            .get(&(holder.to_owned(), chain))
            .map_or(0, |b| b.native);
        json!({"balance": amount::to_decimal(wei)})
    }

    /// `GET …/tokens` body (reference #6): `{"balances": {"usdc": <number>, …}}`, every
    /// supported token of the chain included (0 when none held).
    pub fn tokens_view(&self, holder: &str, chain: Chain) -> Value {
        let held = self.balances.get(&(holder.to_owned(), chain));
        let mut balances = Map::new();
        for token in self.erc20.iter().filter(|t| t.chain == chain) {
            let wei = held
                .and_then(|b| b.tokens.get(&token.symbol))
                .copied()
                .unwrap_or(0);
            balances.insert(token.symbol.clone(), amount::to_number(wei));
        }
        json!({ "balances": balances })
    }

    fn metadata_of(&self, collection: &str, type_id: u64) -> Value {
        self.listings
            .iter()
            .find(|l| l.collection == collection && l.type_id == type_id)
            .map_or_else(|| json!({}), |l| Value::Object(l.metadata.clone()))
    }

    fn held<'a>(
        &'a self,
        holder: &'a str,
        chain: Chain,
    ) -> impl Iterator<Item = (&'a Collection, &'a Nft)> + 'a {
        self.nfts
            .iter()
            .filter(move |n| n.owner == holder)
            .filter_map(move |n| {
                let c = self.collections.iter().find(|c| c.key == n.collection)?;
                (c.chain == chain).then_some((c, n))
            })
    }

    /// `GET …/project-inventory/{projectId}` body (reference #7): one entry per
    /// (collection, token type) held, its ids both as `tokens` (ethers tuples, the reference's
    /// examples) and as `tokenIds` (what Xerial's current marketplace UI reads, §8).
    pub fn project_inventory(&self, holder: &str, chain: Chain, project: &str) -> Value {
        let mut groups: BTreeMap<(String, u64), (&Collection, Vec<&Nft>)> = BTreeMap::new();
        for (c, n) in self
            .held(holder, chain)
            .filter(|(c, _)| c.project == project)
        {
            groups
                .entry((c.key.clone(), n.type_id))
                .or_insert((c, Vec::new()))
                .1
                .push(n);
        }
        let entries: Vec<Value> = groups
            .into_iter()
            .map(|((key, type_id), (c, nfts))| {
                let tokens: Vec<Value> = nfts
                    .iter()
                    .map(|n| {
                        json!({
                            "0": {"type": "BigNumber", "hex": format!("0x{:02x}", n.token_id)},
                            "1": n.metadata_uri,
                            "tokenId": n.token_id,
                            "metadataURI": n.metadata_uri,
                        })
                    })
                    .collect();
                let token_ids: Vec<u64> = nfts.iter().map(|n| n.token_id).collect();
                let mut collection = json!({"id": c.id});
                if let (Some(tx), Some(obj)) = (c.data.get("txHash"), collection.as_object_mut()) {
                    obj.insert("txHash".into(), tx.clone());
                }
                json!({
                    "collection": collection,
                    "quantity": nfts.len(),
                    "metadata": self.metadata_of(&key, type_id),
                    "tokens": tokens,
                    "tokenIds": token_ids,
                })
            })
            .collect();
        Value::Array(entries)
    }

    /// `GET …/global-inventory` body (reference #8): an Alchemy `getNFTsForOwner`-style
    /// page with every token held on the chain, across projects.
    pub fn global_inventory(&self, holder: &str, chain: Chain) -> Value {
        let owned: Vec<Value> = self
            .held(holder, chain)
            .map(|(c, n)| {
                let meta = self.metadata_of(&c.key, n.type_id);
                let text = |k: &str| meta.get(k).cloned().unwrap_or(Value::Null);
                let image = text("image");
                let supply = self.nfts.iter().filter(|x| x.collection == c.key).count();
                json!({
                    "contract": {
                        "address": c.data.get("address").cloned().unwrap_or(Value::Null),
                        "name": c.data.get("name").cloned().unwrap_or(Value::Null),
                        "symbol": c.data.get("symbol").cloned().unwrap_or(Value::Null),
                        "totalSupply": supply.to_string(),
                        "tokenType": "ERC1155",
                        "contractDeployer": self.project(&c.project).map(|p| p.address.clone()),
                        "deployedBlockNumber": 0,
                        "openSeaMetadata": {},
                        "isSpam": false,
                        "spamClassifications": [],
                    },
                    "tokenId": n.token_id.to_string(),
                    "tokenType": "ERC1155",
                    "name": text("name"),
                    "description": text("description"),
                    "tokenUri": n.metadata_uri,
                    "image": {"cachedUrl": image, "thumbnailUrl": image, "pngUrl": image,
                              "contentType": "image/png", "size": 0, "originalUrl": image},
                    "raw": {"tokenUri": n.metadata_uri, "metadata": meta},
                    "balance": "1",
                })
            })
            .collect();
        json!({"ownedNfts": owned, "totalCount": owned.len(), "pageKey": null})
    }

    /// `GET /marketplace/{projectId}/{chain}/primary` body (reference #24).
    pub fn primary_view(&self, project: &str, chain: Chain) -> Value {
        let listings: Vec<Value> = self
            .listings
            .iter()
            .filter(|l| {
                self.collection(&l.collection)
                    .is_some_and(|c| c.project == project && c.chain == chain)
            })
            .map(Listing::to_json)
            .collect();
        Value::Array(listings)
    }

    /// `GET /marketplace/{projectId}/{chain}/secondary` body (reference #25), optionally
    /// only the items whose seller has holder key `seller`.
    pub fn secondary_view(&self, project: &str, chain: Chain, seller: Option<&str>) -> Value {
        let items: Vec<Value> = self
            .items
            .iter()
            .filter(|i| seller.is_none_or(|s| i.seller_key == s))
            .filter(|i| {
                self.collection(&i.collection)
                    .is_some_and(|c| c.project == project && c.chain == chain)
            })
            .map(|i| {
                let type_id = self
                    .nfts
                    .iter()
                    .find(|n| n.collection == i.collection && n.token_id == i.token_id)
                    .map_or(0, |n| n.type_id);
                json!({
                    "tokenId": i.token_id,
                    "price": amount::to_number(i.price),
                    "seller": i.seller,
                    "marketItemId": i.id,
                    "metadata": self.metadata_of(&i.collection, type_id),
                })
            })
            .collect();
        Value::Array(items)
    }

    /// `GET /collections?project=` body (reference #23).
    pub fn collections_view(&self, project: &Project) -> Value {
        let collections: Vec<Value> = self
            .collections
            .iter()
            .filter(|c| c.project == project.id)
            .map(|c| Value::Object(c.data.clone()))
            .collect();
        json!({"projectId": project.id, "project": project.data, "collections": collections})
    }
}
