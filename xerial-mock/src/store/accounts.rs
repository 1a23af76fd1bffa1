//! Users, their wallets, and MetaMask login nonces.
//!
//! A wallet has an EOA `address` and, when custodial, a `smartAccount`; Xerial's
//! clients put either in `{address}` paths (reference §2.3), so every lookup here
//! accepts both and [`Accounts::holder`] maps both to one canonical key under which
//! NFTs and balances are kept.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::tokens;

/// A Xerial user.
#[derive(Clone, Debug)]
pub struct User {
    /// 24-hex id.
    pub id: String,
    /// E-mail, or the address for MetaMask users.
    pub identifier: String,
    /// Project the user belongs to, if known.
    pub project: Option<String>,
}

/// A wallet.
#[derive(Clone, Debug)]
pub struct Wallet {
    /// 24-hex id.
    pub id: String,
    /// EOA address, as first given (case preserved).
    pub address: String,
    /// Account-abstraction address (custodial wallets only).
    pub smart_account: Option<String>,
    /// Whether Xerial holds the keys (server-side signing allowed).
    pub custodial: bool,
    /// Owner's user id.
    pub user: String,
    /// Wallet type, `evm`.
    pub kind: String,
}

impl Wallet {
    /// The Wallet object of `GET /user` and `POST /wallet/{userId}` (reference #1, #3).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "address": self.address,
            "custodial": self.custodial,
            "user": self.user,
            "type": self.kind,
        });
        if let (Some(sa), Some(obj)) = (&self.smart_account, v.as_object_mut()) {
            obj.insert("smartAccount".into(), Value::String(sa.clone()));
        }
        v
    }

    /// Whether `addr` is this wallet's address or smart account (case-insensitive).
    pub fn has_address(&self, addr: &str) -> bool {
        self.address.eq_ignore_ascii_case(addr)
            || self
                .smart_account
                .as_deref()
                .is_some_and(|sa| sa.eq_ignore_ascii_case(addr))
    }

    /// The canonical holder key for this wallet's assets.
    pub fn holder(&self) -> String {
        self.address.to_ascii_lowercase()
    }
}

/// All users and wallets.
#[derive(Debug, Default)]
pub struct Accounts {
    users: Vec<User>,
    wallets: Vec<Wallet>,
    // Lower-case address -> outstanding login nonce.
    nonces: HashMap<String, String>,
}

impl Accounts {
    /// The user with `id`.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The user whose identifier is `identifier` (case-insensitive).
    pub fn user_by_identifier(&self, identifier: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.identifier.eq_ignore_ascii_case(identifier))
    }

    /// Every user, oldest first.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.iter()
    }

    /// Adds (or replaces, by id) a user.
    pub fn put_user(&mut self, user: User) -> User {
        self.users.retain(|u| u.id != user.id);
        self.users.push(user.clone());
        user
    }

    /// Creates a user with a fresh id.
    pub fn create_user(&mut self, identifier: &str, project: Option<String>) -> User {
        self.put_user(User {
            id: tokens::object_id(),
            identifier: identifier.to_owned(),
            project,
        })
    }

    /// Adds (or replaces, by id) a wallet.
    pub fn put_wallet(&mut self, wallet: Wallet) -> Wallet {
        self.wallets.retain(|w| w.id != wallet.id);
        self.wallets.push(wallet.clone());
        wallet
    }

    /// Creates a custodial wallet with fresh random addresses for `user`.
    pub fn create_custodial_wallet(&mut self, user: &str) -> Wallet {
        self.put_wallet(Wallet {
            id: tokens::object_id(),
            address: tokens::evm_address(),
            smart_account: Some(tokens::evm_address()),
            custodial: true,
            user: user.to_owned(),
            kind: "evm".to_owned(),
        })
    }

    /// The wallets of `user`, oldest first.
    pub fn wallets_of(&self, user: &str) -> Vec<&Wallet> {
        self.wallets.iter().filter(|w| w.user == user).collect()
    }

    /// The wallet with this address or smart account.
    pub fn wallet_by_address(&self, addr: &str) -> Option<&Wallet> {
        self.wallets.iter().find(|w| w.has_address(addr))
    }

    /// Canonical holder key for any address: a known wallet's key, else the address
    /// lower-cased (external accounts can receive NFTs and tokens too).
    pub fn holder(&self, addr: &str) -> String {
        self.wallet_by_address(addr)
            .map_or_else(|| addr.to_ascii_lowercase(), Wallet::holder)
    }

    /// Issues (or re-issues) the login nonce for `address`.
    pub fn issue_nonce(&mut self, address: &str) -> String {
        let nonce = tokens::hex(&tokens::random_bytes(16));
        self.nonces
            .insert(address.to_ascii_lowercase(), nonce.clone());
        nonce
    }

    /// The outstanding nonce of `address`, if any.
    pub fn nonce(&self, address: &str) -> Option<&str> {
        self.nonces
            .get(&address.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// Consumes the nonce of `address` after a successful login.
    pub fn consume_nonce(&mut self, address: &str) {
        self.nonces.remove(&address.to_ascii_lowercase());
    }
}
