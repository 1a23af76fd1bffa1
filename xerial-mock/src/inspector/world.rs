//! `GET /_mock/world`: the state the inspector's Players and Money views show, in one
//! snapshot with no token in it, and the session controls (expire an access token, log a
//! player out) that act on what it lists.
//!
//! Sessions are named by an id derived from their refresh token (a hash, so it reveals
//! nothing) and show the last characters of each token the way redacted requests do, so a
//! request in the log can be matched to its session.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{json, Map, Value};

use super::redact;
use crate::amount;
use crate::store::market::{Balance, Nft};
use crate::store::{Chain, Session, Store, Wallet};
use crate::{tokens, Mock};

const CHAINS: [Chain; 2] = [Chain::Polygon, Chain::Telos];

/// The public id of a session: a hash of its refresh token, 16 hex digits.
pub fn session_id(refresh: &str) -> String {
    let mut h = DefaultHasher::new();
    refresh.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn text(data: &Map<String, Value>, key: &str) -> Value {
    data.get(key).cloned().unwrap_or(Value::Null)
}

fn balance_json(store: &Store, balance: Option<&Balance>, chain: Chain) -> Value {
    let mut tokens = Map::new();
    for token in store.market.erc20.iter().filter(|t| t.chain == chain) {
        let wei = balance
            .and_then(|b| b.tokens.get(&token.symbol))
            .copied()
            .unwrap_or(0);
        tokens.insert(token.symbol.clone(), amount::to_decimal(wei).into());
    }
    let native = balance.map_or(0, |b| b.native);
    json!({"chain": chain.as_str(), "native": amount::to_decimal(native), "tokens": tokens})
}

fn nft_json(store: &Store, nft: &Nft) -> Value {
    let collection = store.market.collection(&nft.collection);
    let name = store
        .market
        .listings
        .iter()
        .find(|l| l.collection == nft.collection && l.type_id == nft.type_id)
        .map_or(Value::Null, |l| text(&l.metadata, "name"));
    json!({
        "chain": collection.map(|c| c.chain.as_str()),
        "collection": collection.map_or(Value::Null, |c| text(&c.data, "address")),
        "collectionName": collection.map_or(Value::Null, |c| text(&c.data, "name")),
        "tokenId": nft.token_id, "typeId": nft.type_id, "name": name,
    })
}

fn session_json(s: &Session, now: i64) -> Value {
    let token = |token: &str, expires: i64| {
        json!({"hint": redact::marker(token), "expires": tokens::iso8601(expires),
               "expired": expires <= now})
    };
    json!({
        "id": session_id(&s.refresh),
        "access": token(&s.access, s.access_expires_ms),
        "refresh": token(&s.refresh, s.refresh_expires_ms),
    })
}

fn wallet_json(store: &Store, w: &Wallet) -> Value {
    let holder = w.holder();
    let balances: Vec<Value> = CHAINS
        .iter()
        .map(|&c| balance_json(store, store.market.balances.get(&(holder.clone(), c)), c))
        .collect();
    let inventory: Vec<Value> = store
        .market
        .nfts
        .iter()
        .filter(|n| n.owner == holder)
        .map(|n| nft_json(store, n))
        .collect();
    json!({
        "id": w.id, "address": w.address, "smartAccount": w.smart_account,
        "custodial": w.custodial, "type": w.kind, "balances": balances, "inventory": inventory,
    })
}

fn users_json(store: &Store, now: i64) -> Vec<Value> {
    let mut sessions: Vec<&Session> = store.sessions.iter().collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.refresh_expires_ms));
    store
        .accounts
        .users()
        .map(|u| {
            let wallets: Vec<Value> = store
                .accounts
                .wallets_of(&u.id)
                .into_iter()
                .map(|w| wallet_json(store, w))
                .collect();
            let live: Vec<Value> = sessions
                .iter()
                .filter(|s| s.user_id == u.id)
                .map(|s| session_json(s, now))
                .collect();
            json!({"id": u.id, "identifier": u.identifier, "project": u.project,
                   "wallets": wallets, "sessions": live})
        })
        .collect()
}

fn projects_json(store: &Store) -> Vec<Value> {
    let market = &store.market;
    market
        .projects
        .iter()
        .map(|p| {
            let collections: Vec<Value> = market
                .collections
                .iter()
                .filter(|c| c.project == p.id)
                .map(|c| {
                    let listings: Vec<Value> = market
                        .listings
                        .iter()
                        .filter(|l| l.collection == c.key)
                        .map(|l| {
                            json!({"typeId": l.type_id, "name": text(&l.metadata, "name"),
                                   "supply": l.supply, "minted": l.minted,
                                   "price": amount::to_decimal(l.price), "inSale": l.in_sale})
                        })
                        .collect();
                    json!({"address": text(&c.data, "address"), "name": text(&c.data, "name"),
                           "chain": c.chain.as_str(), "listings": listings})
                })
                .collect();
            json!({"id": p.id, "name": text(&p.data, "name"), "domain": p.domain,
                   "address": p.address, "collections": collections})
        })
        .collect()
}

fn market_json(store: &Store) -> Vec<Value> {
    store
        .market
        .items
        .iter()
        .map(|i| {
            let nft = store
                .market
                .nfts
                .iter()
                .find(|n| n.collection == i.collection && n.token_id == i.token_id);
            let token = nft.map_or(Value::Null, |n| nft_json(store, n));
            json!({"marketItemId": i.id, "price": amount::to_decimal(i.price),
                   "seller": i.seller, "token": token})
        })
        .collect()
}

/// Balances of addresses that are no user's wallet: studios, escrow, outside accounts.
fn other_balances(store: &Store) -> Vec<Value> {
    let mut others: Vec<Value> = store
        .market
        .balances
        .iter()
        .filter(|((holder, _), _)| store.accounts.wallet_by_address(holder).is_none())
        .map(|((holder, chain), b)| {
            let studio = store
                .market
                .projects
                .iter()
                .find(|p| p.address.eq_ignore_ascii_case(holder));
            let label = match studio {
                Some(p) => format!(
                    "studio of {}",
                    text(&p.data, "name").as_str().unwrap_or(&p.id)
                ),
                None if CHAINS.iter().any(|c| c.escrow() == holder) => "marketplace escrow".into(),
                None => "outside address".into(),
            };
            let mut v = balance_json(store, Some(b), *chain);
            if let Value::Object(map) = &mut v {
                map.insert("address".into(), holder.clone().into());
                map.insert("label".into(), label.into());
            }
            v
        })
        .collect();
    others.sort_by(|a, b| {
        (a["address"].as_str(), a["chain"].as_str())
            .cmp(&(b["address"].as_str(), b["chain"].as_str()))
    });
    others
}

/// The name of a token type (its listing's metadata name), if the world knows it.
fn type_name(store: &Store, collection: &str, type_id: u64) -> Option<String> {
    let key = collection.to_ascii_lowercase();
    store
        .market
        .listings
        .iter()
        .find(|l| l.collection == key && l.type_id == type_id)
        .and_then(|l| l.metadata.get("name")?.as_str().map(str::to_owned))
}

/// What a transaction was about, in words: `Fire Sword × 2`, `Ice Shield #5`, `market item 38`.
fn item_of(store: &Store, kind: &str, d: &Value) -> Value {
    let collection = d["collectionAddress"].as_str().unwrap_or("?");
    match kind {
        "primary-purchase" => {
            let lines = d["purchases"].as_array().map_or(&[][..], Vec::as_slice);
            let words: Vec<String> = lines
                .iter()
                .map(|p| {
                    let c = p["collectionAddress"].as_str().unwrap_or("?");
                    let name = p["typeId"]
                        .as_u64()
                        .and_then(|t| type_name(store, c, t))
                        .unwrap_or_else(|| format!("{c} type {}", p["typeId"]));
                    format!("{name} × {}", p["quantity"])
                })
                .collect();
            words.join(", ").into()
        }
        "secondary-purchase" | "delist-nft" => format!("market item {}", d["marketItemId"]).into(),
        "transfer-nft" | "list-nft" => {
            let token = d["tokenId"].as_u64().unwrap_or_default();
            let name = store
                .market
                .nfts
                .iter()
                .find(|n| n.collection.eq_ignore_ascii_case(collection) && n.token_id == token)
                .and_then(|n| type_name(store, collection, n.type_id))
                .unwrap_or_else(|| collection.to_owned());
            format!("{name} #{token}").into()
        }
        "transfer-token" => d["tokenAddress"].clone(),
        _ => d["functionName"].clone(),
    }
}

/// One transaction as the Money view lists it: type, chain, from, to, item, amount, hash.
fn transaction_json(store: &Store, tx: &Value) -> Value {
    let d = &tx["details"];
    let kind = tx["kind"].as_str().unwrap_or_default();
    let amount = [&d["paid"], &d["amount"], &d["value"]]
        .into_iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or(Value::Null);
    let to = if kind == "list-nft" {
        Value::from("marketplace escrow")
    } else {
        d["to"].clone()
    };
    json!({"hash": tx["transactionHash"], "type": kind, "chain": tx["chain"],
           "from": tx["from"], "to": to, "item": item_of(store, kind, d), "amount": amount})
}

impl Mock {
    /// The snapshot `GET /_mock/world` serves: users with wallets (balances per chain,
    /// inventory) and sessions (no tokens), projects with collections and listings, the
    /// secondary market, other balances, and every transaction (newest first).
    pub fn world(&self) -> Value {
        let store = self.store();
        let now = tokens::now_ms();
        let transactions: Vec<Value> = store
            .transactions
            .iter()
            .rev()
            .map(|tx| transaction_json(&store, tx))
            .collect();
        json!({
            "now": tokens::iso8601(now),
            "users": users_json(&store, now),
            "projects": projects_json(&store),
            "market": market_json(&store),
            "otherBalances": other_balances(&store),
            "transactions": transactions,
        })
    }

    /// Expires the access token of session `id` (see [`session_id`]) now, so the client's next
    /// call is answered 401 and it must refresh. False if no live session has that id.
    pub fn expire_access(&self, id: &str) -> bool {
        let mut store = self.store();
        refresh_of(&store, id).is_some_and(|r| store.sessions.expire_access(&r))
    }

    /// Logs session `id` out on the server: its refresh token is revoked and its access token
    /// expired, so the client's next call fails and its refresh is refused. False if no live
    /// session has that id.
    pub fn end_session(&self, id: &str) -> bool {
        let mut store = self.store();
        refresh_of(&store, id)
            .is_some_and(|r| store.sessions.expire_access(&r) && store.sessions.revoke(&r))
    }
}

/// The refresh token of the live session with public id `id`.
fn refresh_of(store: &Store, id: &str) -> Option<String> {
    store
        .sessions
        .iter()
        .find(|s| session_id(&s.refresh) == id)
        .map(|s| s.refresh.clone())
}
