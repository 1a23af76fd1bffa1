//! The in-memory world the mock serves: sessions, accounts, market and ledger.
//!
//! A [`Store`] is built from a [`Fixture`](crate::Fixture) (see `seed.rs`) and rebuilt
//! from the same fixture on `POST /_mock/reset`, so every test can start from a known
//! state. Operations that change it (`tx.rs`) are all-or-nothing: they validate first
//! and mutate only once nothing can fail.

pub mod accounts;
pub mod login_attempts;
pub mod market;
mod seed;
pub mod sessions;
mod tx;

use serde_json::Value;

pub use accounts::{Accounts, User, Wallet};
pub use market::Market;
pub use sessions::{Session, Sessions};
pub use tx::{DelistTarget, Purchase};

/// A chain in `{chain}` path segments (reference §1: `polygon` | `telos`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Chain {
    /// Polygon (Mumbai on staging).
    Polygon,
    /// Telos.
    Telos,
}

impl Chain {
    /// Parses a path segment; exact lower-case names only, like Xerial's validation.
    pub fn parse(s: &str) -> Option<Chain> {
        match s {
            "polygon" => Some(Chain::Polygon),
            "telos" => Some(Chain::Telos),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Chain::Polygon => "polygon",
            Chain::Telos => "telos",
        }
    }

    /// Where listed NFTs are held: the published (testnet) marketplace contract
    /// addresses from the reference §1, lower-cased.
    pub fn escrow(self) -> &'static str {
        match self {
            Chain::Polygon => "0x72e2dbd5a48dda0151a715abd82a020e99cb604b",
            Chain::Telos => "0x7f5281824a855bcef5f976170a5e668ba156ee14",
        }
    }
}

/// Everything mutable behind the HTTP API.
#[derive(Debug, Default)]
pub struct Store {
    /// Issued token pairs.
    pub sessions: Sessions,
    /// Users, wallets, nonces.
    pub accounts: Accounts,
    /// Projects, collections, listings, NFTs, market items, balances.
    pub market: Market,
    /// Every transaction answered, oldest first (`GET /_mock/transactions`).
    pub transactions: Vec<Value>,
    /// Sessions handed over by Xerial's hosted login page (#22).
    pub login_attempts: login_attempts::LoginAttempts,
    /// The offline Google's pending consents and issued codes.
    pub oauth: crate::oauth::grants::Grants,
}

impl Store {
    /// Ensures `user_id` exists, creating a user with one custodial wallet if not, so
    /// that any minted or seeded session can call the authenticated routes.
    pub fn ensure_user(&mut self, user_id: &str) {
        if self.accounts.user(user_id).is_none() {
            self.accounts.put_user(User {
                id: user_id.to_owned(),
                identifier: format!("{user_id}@example.com"),
                project: Some(crate::fixture::DEMO_PROJECT_ID.to_owned()),
            });
            self.accounts.create_custodial_wallet(user_id);
        }
    }
}
