//! The endpoint table: every Xerial endpoint the SDK calls, as data.
//!
//! Endpoints differ only in method, path, host, authentication and how safe they are to repeat,
//! so each is one row here and one generic path through the transport.

use reqwest::Method;

/// Which configured host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// `base_url`, the wallet host.
    Wallet,
    /// `marketplace_url`, the marketplace/collections host.
    Marketplace,
}

/// What the endpoint needs from the player's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Nothing.
    None,
    /// `Authorization: Bearer <access token>`.
    Bearer,
}

/// How safe a request is to send again (contract §4b).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// A read: retried on network errors, 429 and 5xx.
    Safe,
    /// Not idempotent but moves no value (logout, refresh, login): retried only when the
    /// connection failed before anything was sent; later failures are `Network`/`Timeout`.
    UntilSent,
    /// Moves value (purchases, transfers, listings): retried only when nothing was sent; a lost
    /// answer after sending is `OutcomeUnknown`.
    Never,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Short name used in logs.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, appended to the host's base URL.
    pub path: &'static str,
    /// Host the path is appended to.
    pub host: Host,
    /// Session requirement.
    pub auth: Auth,
    /// Repeat safety.
    pub repeat: Repeat,
}

impl Endpoint {
    /// Whether losing this request's answer leaves its outcome unknown (contract §4b).
    pub fn moves_value(&self) -> bool {
        self.repeat == Repeat::Never
    }
}

/// `POST /api/auth/logout` `{refreshToken}` → 204 (Xerial's Logout page).
pub const LOGOUT: Endpoint = Endpoint {
    name: "logout",
    method: Method::POST,
    path: "/api/auth/logout",
    host: Host::Wallet,
    auth: Auth::None,
    repeat: Repeat::UntilSent,
};
