//! The endpoint table: every Xerial endpoint the SDK calls, as data.
//!
//! Endpoints differ only in method, path, host, authentication and how safe they are to repeat,
//! so each is one row here and one generic path through the transport.

use http::Method;

/// Which configured host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// `base_url`, the wallet host.
    Wallet,
    /// `marketplace_url`, the marketplace/collections host.
    Marketplace,
    /// `oauth_token_url` as configured, path included (sign-in's token exchange, §9). Not a
    /// Xerial host: no player token is ever sent to it.
    OAuthToken,
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

/// Declares endpoint rows: `NAME: METHOD "path" host auth repeat;`.
macro_rules! endpoints {
    ($($(#[$doc:meta])* $name:ident: $method:ident $path:literal $host:ident $auth:ident $repeat:ident;)*) => {
        $(
            $(#[$doc])*
            pub const $name: Endpoint = Endpoint {
                name: stringify!($name),
                method: Method::$method,
                path: $path,
                host: Host::$host,
                auth: Auth::$auth,
                repeat: Repeat::$repeat,
            };
        )*

        /// Every row, for what a client prepares once per endpoint (the URLs of constant paths).
        pub(crate) const ALL: &[&Endpoint] = &[$(&$name),*];
    };
}

endpoints! {
    /// `{refreshToken}` → 204 (Xerial's Logout page).
    LOGOUT: POST "/api/auth/logout" Wallet None UntilSent;
    /// `{token, clientId, projectId}` → token pair.
    LOGIN_GOOGLE: POST "/api/auth/google" Wallet None UntilSent;
    /// `{address}` → `{nonce}`.
    NONCE: POST "/api/nonce" Wallet None UntilSent;
    /// `{address, signature, projectId}` → token pair.
    LOGIN_WALLET: POST "/api/auth/metamask" Wallet None UntilSent;
    /// `{refreshToken}` → token pair.
    REFRESH: POST "/api/auth/refresh-tokens" Wallet None UntilSent;
    /// The player and their wallets.
    USER: GET "/api/user" Wallet Bearer Safe;
    /// `{balance}` in native units.
    NATIVE_BALANCE: GET "/api/wallet/{address}/{chain}/eth" Wallet None Safe;
    /// `{balances:{symbol: amount}}`.
    TOKEN_BALANCES: GET "/api/wallet/{address}/{chain}/tokens" Wallet None Safe;
    /// `[InventoryEntry]` of one project.
    PROJECT_INVENTORY: GET "/api/wallet/{address}/{chain}/project-inventory/{projectId}" Wallet None Safe;
    /// Every NFT of the wallet (Alchemy-style).
    GLOBAL_INVENTORY: GET "/api/wallet/{address}/{chain}/global-inventory" Wallet None Safe;
    /// Custodial: `{reference}` → a user.
    CREATE_USER: POST "/api/user" Wallet Bearer UntilSent;
    /// Custodial: `{"type":"evm"}` → a wallet.
    CREATE_WALLET: POST "/api/wallet/{userId}" Wallet Bearer UntilSent;
    /// `{collectionAddress, tokenId, to}` → `{transactionHash}`.
    TRANSFER_NFT: POST "/api/wallet/{address}/{chain}/transfer-nft" Wallet Bearer Never;
    /// `{tokenAddress, amount, to}` → `{transactionHash}`.
    TRANSFER_TOKEN: POST "/api/wallet/{address}/{chain}/transfer-token" Wallet Bearer Never;
    /// `{purchases:[{collectionAddress, typeId, quantity}]}` → `{transactionHash}`.
    PRIMARY_PURCHASE: POST "/api/wallet/{address}/{chain}/primary-purchase" Wallet Bearer Never;
    /// `{marketItemId}` → `{transactionHash}`.
    SECONDARY_PURCHASE: POST "/api/wallet/{address}/{chain}/secondary-purchase" Wallet Bearer Never;
    /// `{collectionAddress, tokenId, price}` → `{transactionHash}`.
    LIST_NFT: POST "/api/wallet/{address}/{chain}/list-nft" Wallet Bearer Never;
    /// `{marketItemId}` → `{transactionHash}`.
    DELIST_NFT: POST "/api/wallet/{address}/{chain}/delist-nft" Wallet Bearer Never;
    /// A transaction object as given → `{transactionHash}`.
    CUSTOM_TRANSACTION: POST "/api/wallet/{address}/{chain}/transaction" Wallet Bearer Never;
    /// A project's collections.
    COLLECTIONS: GET "/collections?project={projectId}" Marketplace None Safe;
    /// A project's primary listings on a chain.
    PRIMARY_LISTINGS: GET "/marketplace/{projectId}/{chain}/primary" Marketplace None Safe;
    /// A project's secondary (community) listings on a chain; `?seller=` filters.
    SECONDARY_LISTINGS: GET "/marketplace/{projectId}/{chain}/secondary" Marketplace None Safe;
    /// A project's public data by domain.
    PROJECT: GET "/marketplace/{domain}" Marketplace None Safe;
    /// Sign-in (§9): the OAuth 2.0 token exchange (RFC 6749 §4.1.3, form body) → `{id_token, …}`.
    /// Its path is the configured URL's own. The code is single-use, so nothing is repeated once
    /// it may have been sent.
    OAUTH_TOKEN: POST "" OAuthToken None UntilSent;
}

impl Endpoint {
    /// The path with each `{name}` replaced by its (already validated) value.
    ///
    /// One pass over the template: the game thread pays for this on every call.
    pub(crate) fn fill(&self, values: &[(&str, &str)]) -> String {
        let extra: usize = values.iter().map(|(_, value)| value.len()).sum();
        let mut path = String::with_capacity(self.path.len() + extra);
        let mut rest = self.path;
        while let Some(open) = find_byte(rest, b'{') {
            let Some(close) = find_byte(&rest[open..], b'}') else {
                break; // No parameter after all: the rest is pushed below.
            };
            path.push_str(&rest[..open]);
            let name = &rest[open + 1..open + close];
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => path.push_str(value),
                None => path.push_str(&rest[open..=open + close]),
            }
            rest = &rest[open + close + 1..];
        }
        path.push_str(rest);
        path
    }
}

/// Where `byte` (ASCII, so the index is a char boundary) first occurs in `text`: for the
/// delimiters of paths (`{`, `}`, `?`), where `str::find` with a `char` costs several times more
/// on text this short.
pub(crate) fn find_byte(text: &str, byte: u8) -> Option<usize> {
    debug_assert!(byte.is_ascii());
    text.bytes().position(|b| b == byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_their_parameters() {
        let path = PROJECT_INVENTORY.fill(&[
            ("address", "0xab"),
            ("chain", "polygon"),
            ("projectId", "p1"),
        ]);
        assert_eq!(path, "/api/wallet/0xab/polygon/project-inventory/p1");
        assert_eq!(
            COLLECTIONS.fill(&[("projectId", "p1")]),
            "/collections?project=p1"
        );
    }

    #[test]
    fn value_moving_rows_are_never_repeated() {
        for row in [
            TRANSFER_NFT,
            TRANSFER_TOKEN,
            PRIMARY_PURCHASE,
            SECONDARY_PURCHASE,
            LIST_NFT,
            DELIST_NFT,
            CUSTOM_TRANSACTION,
        ] {
            assert!(
                row.moves_value() && row.auth == Auth::Bearer,
                "{}",
                row.name
            );
        }
        for row in [USER, NATIVE_BALANCE, COLLECTIONS, PROJECT] {
            assert_eq!(
                (row.method, row.repeat),
                (Method::GET, Repeat::Safe),
                "{}",
                row.name
            );
        }
    }
}
