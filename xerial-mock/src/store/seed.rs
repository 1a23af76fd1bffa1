//! Building a [`Store`] from a [`Fixture`], checking it for consistency.

use serde_json::{json, Map, Value};

use super::market::{Balance, Collection, Erc20, Listing, MarketItem, Nft, Project};
use super::{Chain, Session, Store, User, Wallet};
use crate::fixture::{CollectionSeed, Fixture, ProjectSeed, DEMO_USER_ID};
use crate::{amount, tokens};

fn chain(s: &str, at: &str) -> Result<Chain, String> {
    Chain::parse(s).ok_or_else(|| format!("{at}: chain must be polygon or telos, got {s:?}"))
}

fn text(data: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match data.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(format!("{at}: \"{key}\" (string) is required")),
    }
}

fn price(v: &Value, at: &str) -> Result<u128, String> {
    amount::parse(v).ok_or_else(|| format!("{at}: not a non-negative amount: {v}"))
}

/// A Pinata-style metadata URI.
pub fn metadata_uri() -> String {
    format!(
        "https://gateway.pinata.cloud/ipfs/Qm{}",
        tokens::hex(&tokens::random_bytes(22))
    )
}

impl Store {
    /// Builds the state a fixture (plus the demo world, unless it opts out) describes.
    /// Errors name the offending entry.
    pub fn from_fixture(fixture: &Fixture) -> Result<Store, String> {
        let f = fixture.effective();
        let mut store = Store::default();
        for (i, u) in f.users.iter().enumerate() {
            store.accounts.put_user(User {
                id: u.id.clone(),
                identifier: u.identifier.clone(),
                project: u.project.clone(),
            });
            for (j, w) in u.wallets.iter().enumerate() {
                if w.address.is_empty() {
                    return Err(format!("users[{i}].wallets[{j}]: address is required"));
                }
                store.accounts.put_wallet(Wallet {
                    id: w.id.clone().unwrap_or_else(tokens::object_id),
                    address: w.address.clone(),
                    smart_account: w.smart_account.clone(),
                    custodial: w.custodial,
                    user: u.id.clone(),
                    kind: w.kind.clone(),
                });
            }
        }
        for (i, t) in f.erc20.iter().enumerate() {
            store.market.erc20.push(Erc20 {
                chain: chain(&t.chain, &format!("erc20[{i}]"))?,
                symbol: t.symbol.clone(),
                address: t.address.to_ascii_lowercase(),
            });
        }
        for (i, p) in f.projects.iter().enumerate() {
            store.seed_project(p, &format!("projects[{i}]"))?;
        }
        for (i, b) in f.balances.iter().enumerate() {
            let at = format!("balances[{i}]");
            let holder = store.accounts.holder(&b.address);
            let mut bal = Balance::default();
            if let Some(n) = &b.native {
                bal.native = price(n, &at)?;
            }
            for (sym, v) in &b.tokens {
                bal.tokens.insert(sym.clone(), price(v, &at)?);
            }
            store
                .market
                .balances
                .insert((holder, chain(&b.chain, &at)?), bal);
        }
        for (i, m) in f.market_items.iter().enumerate() {
            let at = format!("marketItems[{i}]");
            let key = m.collection_address.to_ascii_lowercase();
            let seller_key = store.accounts.holder(&m.seller);
            let coll_chain = store
                .market
                .collection(&key)
                .map(|c| c.chain)
                .ok_or_else(|| format!("{at}: unknown collection {}", m.collection_address))?;
            let nft = store
                .market
                .nfts
                .iter_mut()
                .find(|n| n.collection == key && n.token_id == m.token_id && n.owner == seller_key)
                .ok_or_else(|| {
                    format!(
                        "{at}: token {} is not seeded as owned by the seller",
                        m.token_id
                    )
                })?;
            nft.owner = coll_chain.escrow().to_owned();
            store.market.items.push(MarketItem {
                id: m.market_item_id,
                collection: key,
                token_id: m.token_id,
                price: price(&m.price, &at)?,
                seller: m.seller.clone(),
                seller_key,
            });
        }
        store.market.next_item_id = store
            .market
            .items
            .iter()
            .map(|i| i.id + 1)
            .max()
            .unwrap_or(1);
        for (i, seed) in f.sessions.iter().enumerate() {
            let access_expires_ms =
                tokens::parse_iso8601(&seed.access.expires).ok_or_else(|| {
                    format!("sessions[{i}].access.expires is not an ISO-8601 UTC time")
                })?;
            let refresh_expires_ms =
                tokens::parse_iso8601(&seed.refresh.expires).ok_or_else(|| {
                    format!("sessions[{i}].refresh.expires is not an ISO-8601 UTC time")
                })?;
            if seed.access.token.is_empty() || seed.refresh.token.is_empty() {
                return Err(format!("sessions[{i}]: tokens must not be empty"));
            }
            let user_id = seed
                .user_id
                .clone()
                .or_else(|| tokens::jwt_subject(&seed.refresh.token))
                .or_else(|| tokens::jwt_subject(&seed.access.token))
                .unwrap_or_else(|| DEMO_USER_ID.to_owned());
            store.ensure_user(&user_id);
            store.sessions.insert(Session {
                user_id,
                access: seed.access.token.clone(),
                access_expires_ms,
                refresh: seed.refresh.token.clone(),
                refresh_expires_ms,
            });
        }
        Ok(store)
    }

    fn seed_project(&mut self, p: &ProjectSeed, at: &str) -> Result<(), String> {
        let id = text(&p.data, "id", at)?;
        let project = Project {
            id: id.clone(),
            domain: text(&p.data, "domain", at)?,
            address: text(&p.data, "address", at)?,
            data: p.data.clone(),
        };
        self.market.projects.retain(|x| x.id != id);
        self.market.projects.push(project);
        for (j, c) in p.collections.iter().enumerate() {
            self.seed_collection(&id, c, &format!("{at}.collections[{j}]"))?;
        }
        Ok(())
    }

    fn seed_collection(
        &mut self,
        project: &str,
        c: &CollectionSeed,
        at: &str,
    ) -> Result<(), String> {
        let mut data = c.data.clone();
        let id = text(&data, "id", at)?;
        let address = text(&data, "address", at)?;
        let chain = chain(&text(&data, "chain", at)?, at)?;
        data.entry("project").or_insert_with(|| json!(project));
        let key = address.to_ascii_lowercase();
        let contract = json!({
            "address": address,
            "name": data.get("name").cloned().unwrap_or(Value::Null),
            "symbol": data.get("symbol").cloned().unwrap_or(Value::Null),
            "image": data.get("image").cloned().unwrap_or(Value::Null),
            "description": data.get("description").cloned().unwrap_or(Value::Null),
            "externalUrl": data.get("externalUrl").cloned().unwrap_or(Value::Null),
        });
        for (k, l) in c.listings.iter().enumerate() {
            let seeded = c.tokens.iter().filter(|t| t.type_id == l.type_id).count() as u64;
            let minted = l.minted_tokens.unwrap_or(seeded);
            if minted > l.supply {
                return Err(format!(
                    "{at}.listings[{k}]: {minted} minted is more than the supply {} \
                     (supply is the original supply, minted tokens included)",
                    l.supply
                ));
            }
            let mut metadata = l.metadata.clone();
            metadata
                .entry("contract")
                .or_insert_with(|| contract.clone());
            metadata
                .entry("maxSupply")
                .or_insert_with(|| json!(l.supply.to_string()));
            self.market.listings.push(Listing {
                id: l.id.clone().unwrap_or_else(tokens::object_id),
                collection: key.clone(),
                type_id: l.type_id,
                supply: l.supply,
                price: price(&l.price, &format!("{at}.listings[{k}]"))?,
                in_sale: l.in_sale,
                metadata,
                minted,
            });
        }
        for t in &c.tokens {
            self.market.nfts.push(Nft {
                collection: key.clone(),
                token_id: t.token_id,
                type_id: t.type_id,
                owner: self.accounts.holder(&t.owner),
                metadata_uri: t.metadata_uri.clone().unwrap_or_else(metadata_uri),
            });
        }
        let next_token_id = c.tokens.iter().map(|t| t.token_id + 1).max().unwrap_or(1);
        self.market.collections.retain(|x| x.key != key);
        self.market.collections.push(Collection {
            id,
            key,
            chain,
            project: project.to_owned(),
            data,
            next_token_id,
        });
        Ok(())
    }
}
