//! The player, their wallets and their balances (#1, #2, #3, #5, #6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::decimal::Decimal;

/// The logged-in player and their wallets: `GET /api/user` (#1).
///
/// Reads the documented `{"user":{…},"wallets":[…]}` and the older shape whose user object is
/// under `player` (with `username`/`project`). Canonical:
/// `{"user":{"id":"5ebac534954b54139806c112","identifier":"fake@example.com","username":null,"project":null},"wallets":[Wallet…]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWallets {
    /// The player's account (read from `user`, or from `player` in the older shape).
    #[serde(alias = "player")]
    pub user: Account,
    /// The player's wallets, in the server's order; `wallets[0]` is the one Xerial's own
    /// clients use.
    pub wallets: Vec<Wallet>,
}

/// A Xerial user account (the `user`/`player` object of #1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// User id (a 24-hex Mongo ObjectId).
    pub id: String,
    /// The user's e-mail (current shape).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The user's name (older shape; an e-mail there too).
    #[serde(default)]
    pub username: Option<String>,
    /// The project the user belongs to (older shape).
    #[serde(default)]
    pub project: Option<String>,
}

/// One wallet of a user (#1's `wallets[]`, and the answer of #3 `POST /api/wallet/{userId}`).
///
/// Canonical:
/// `{"id":"656ab9db6a378b91ab1871be","address":"0x8e9D…3629","smartAccount":"0x8e9D…3629","custodial":true,"user":"5ebac534954b54139806c112","type":"evm"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    /// Wallet id.
    pub id: String,
    /// The EOA address.
    pub address: String,
    /// The account-abstraction address (used for custodial wallets on Polygon); `null` in the
    /// older shape.
    #[serde(default)]
    pub smart_account: Option<String>,
    /// Whether Xerial holds the keys (server-side signing works only for these).
    pub custodial: bool,
    /// Id of the owning user.
    #[serde(default)]
    pub user: Option<String>,
    /// Wallet kind, `"evm"`; `null` in the older shape.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A user created by a studio: `POST /api/user` (#2).
///
/// Xerial's docs spell the key `refrence`; both spellings are read, `reference` is written.
/// Canonical: `{"reference":"xerial@example.com","id":"5ebac534954b54139806c112","project":"6601f93s3ff2ea0348edeb6a"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    /// The studio's reference for the user (`null` when none was given).
    #[serde(default, alias = "refrence")]
    pub reference: Option<String>,
    /// The new user's id; pass it to create a wallet.
    pub id: String,
    /// The project the user belongs to.
    #[serde(default)]
    pub project: Option<String>,
}

/// The chain's native-currency balance of an address: `GET …/{chain}/eth` (#5).
///
/// In human units (MATIC, TLOS), not wei. Canonical: `{"balance":"0.053353126320360021"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeBalance {
    /// The balance (a string or number on input, always a string here).
    pub balance: Decimal,
}

/// Balances of the supported ERC-20 tokens of an address: `GET …/{chain}/tokens` (#6).
///
/// Keyed by token symbol as Xerial sends it (`usdc` is the one documented), sorted by key.
/// Canonical: `{"balances":{"usdc":"100"}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBalances {
    /// Symbol → balance in token units (a string or number on input, always a string here).
    pub balances: BTreeMap<String, Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    /// xerial-api.md §3.2 #1, verbatim.
    const USER_DOC: &str = r#"{
  "user": { "identifier": "fake@example.com", "id": "5ebac534954b54139806c112" },
  "wallets": [
    { "id": "656ab9db6a378b91ab1871be",
      "address": "0x8e9DD3c1Db3254d968967CbC367542C343273629",
      "smartAccount": "0x8e9DD3c1Db3254d968967CbC367542C343273629",
      "custodial": true,
      "user": "5ebac534954b54139806c112",
      "type": "evm" }
  ]
}"#;

    /// The older shape (marketplace-web3-sdk WEB2-FUNCTIONS.md, loginWithGoogle's `player` and
    /// `wallets`, Jan 2024).
    const USER_PLAYER: &str = r#"{
  "player": {
    "username": "xerial_eri_2023@gmail.com",
    "project": "6564b4f3fa203b318f65da05",
    "id": "6596c43e56a5a81e1c0d3d23"
  },
  "wallets": [
    {
      "user": "6596c43e56a5a81e1c0d3d23",
      "address": "0x0f1366Jac14E17c49D928377D10dA2635A24da22",
      "custodial": true,
      "id": "6596c44056a5a81e1c0d3d26"
    }
  ]
}"#;

    const WALLET_JSON: &str = concat!(
        r#"{"id":"656ab9db6a378b91ab1871be","address":"0x8e9DD3c1Db3254d968967CbC367542C343273629","#,
        r#""smartAccount":"0x8e9DD3c1Db3254d968967CbC367542C343273629","custodial":true,"#,
        r#""user":"5ebac534954b54139806c112","type":"evm"}"#
    );

    #[test]
    fn user_wallets_documented_shape() {
        let v: UserWallets = decode(USER_DOC.as_bytes()).unwrap();
        assert_eq!(v.user.id, "5ebac534954b54139806c112");
        assert_eq!(v.user.identifier.as_deref(), Some("fake@example.com"));
        assert_eq!(v.wallets.len(), 1);
        let w = &v.wallets[0];
        assert_eq!(w.address, "0x8e9DD3c1Db3254d968967CbC367542C343273629");
        assert_eq!(w.smart_account.as_deref(), Some(w.address.as_str()));
        assert!(w.custodial);
        assert_eq!(w.kind.as_deref(), Some("evm"));
        let want = format!(
            "{}{WALLET_JSON}]}}",
            concat!(
                r#"{"user":{"id":"5ebac534954b54139806c112","identifier":"fake@example.com","#,
                r#""username":null,"project":null},"wallets":["#
            )
        );
        assert_eq!(encode(&v), want);
    }

    #[test]
    fn user_wallets_older_player_shape() {
        let v: UserWallets = decode(USER_PLAYER.as_bytes()).unwrap();
        assert_eq!(v.user.id, "6596c43e56a5a81e1c0d3d23");
        assert_eq!(v.user.identifier, None);
        assert_eq!(
            v.user.username.as_deref(),
            Some("xerial_eri_2023@gmail.com")
        );
        assert_eq!(v.user.project.as_deref(), Some("6564b4f3fa203b318f65da05"));
        assert_eq!(v.wallets[0].smart_account, None);
        assert_eq!(v.wallets[0].kind, None);
        let out = encode(&v);
        assert!(out.starts_with(concat!(
            r#"{"user":{"id":"6596c43e56a5a81e1c0d3d23","identifier":null,"#,
            r#""username":"xerial_eri_2023@gmail.com","project":"6564b4f3fa203b318f65da05"}"#
        )));
        assert!(
            out.contains(r#""smartAccount":null,"custodial":true"#),
            "{out}"
        );
        assert!(out.ends_with(r#""type":null}]}"#), "{out}");
        // The canonical form reads back to the same value.
        assert_eq!(decode::<UserWallets>(out.as_bytes()).unwrap(), v);
    }

    #[test]
    fn user_wallets_bad_shapes_fail_to_decode() {
        let bad = [
            r#"{"wallets": []}"#,
            r#"{"user": {"identifier": "x"}, "wallets": []}"#,
            r#"{"user": {"id": "u"}}"#,
            r#"{"user": {"id": "u"}, "wallets": {}}"#,
            r#"{"user": {"id": "u"}, "wallets": [{"id": "w", "custodial": true}]}"#,
            r#"{"user": {"id": "u"}, "wallets": [{"id": "w", "address": "0x1", "custodial": "yes"}]}"#,
            r#"{"user": {"id": 5}, "wallets": []}"#,
            r#"[]"#,
        ];
        for body in bad {
            let e = decode::<UserWallets>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
    }

    #[test]
    fn created_wallet_doc_example() {
        // xerial-api.md §3.2 #3: the doc's example without its stray outer `{}` (and with the
        // comma the page drops after "user").
        let v: Wallet = decode(
            br#"{
      "id": "656ab9db6a378b91ab1871be",
      "address": "0x8e9DD3c1Db3254d968967CbC367542C343273629",
      "smartAccount": "0x8e9DD3c1Db3254d968967CbC367542C343273629",
      "custodial": true,
      "user": "5ebac534954b54139806c112",
      "type":"evm"
    }"#,
        )
        .unwrap();
        assert_eq!(v.user.as_deref(), Some("5ebac534954b54139806c112"));
        assert_eq!(encode(&v), WALLET_JSON);
        let bare: Wallet = decode(br#"{"id":"w","address":"0xab","custodial":false}"#).unwrap();
        assert_eq!(
            encode(&bare),
            r#"{"id":"w","address":"0xab","smartAccount":null,"custodial":false,"user":null,"type":null}"#
        );
    }

    #[test]
    fn created_user_both_spellings() {
        // xerial-api.md §3.2 #2 (the doc's trailing comma removed).
        let doc = r#"{"refrence": "xerial@example.com", "id": "5ebac534954b54139806c112", "project": "6601f93s3ff2ea0348edeb6a"}"#;
        let v: CreatedUser = decode(doc.as_bytes()).unwrap();
        assert_eq!(v.reference.as_deref(), Some("xerial@example.com"));
        let want = r#"{"reference":"xerial@example.com","id":"5ebac534954b54139806c112","project":"6601f93s3ff2ea0348edeb6a"}"#;
        assert_eq!(encode(&v), want);
        let v2: CreatedUser = decode(doc.replace("refrence", "reference").as_bytes()).unwrap();
        assert_eq!(v2, v);
        let v3: CreatedUser = decode(br#"{"id": "u1"}"#).unwrap();
        assert_eq!(
            encode(&v3),
            r#"{"reference":null,"id":"u1","project":null}"#
        );
        for bad in [
            &br#"{"reference": "x"}"#[..],
            br#"{"id": null}"#,
            br#"{"id": "u", "refrence": 1}"#,
        ] {
            assert_eq!(
                decode::<CreatedUser>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }

    #[test]
    fn native_balance_string_or_number() {
        let v: NativeBalance = decode(br#"{ "balance": "0.053353126320360021" }"#).unwrap();
        assert_eq!(v.balance.as_str(), "0.053353126320360021");
        assert_eq!(encode(&v), r#"{"balance":"0.053353126320360021"}"#);
        for (body, want) in [
            (&br#"{"balance": "0"}"#[..], r#"{"balance":"0"}"#),
            (br#"{"balance": 0}"#, r#"{"balance":"0"}"#),
            (br#"{"balance": 0.05}"#, r#"{"balance":"0.05"}"#),
            (br#"{"balance": 25}"#, r#"{"balance":"25"}"#),
        ] {
            assert_eq!(encode(&decode::<NativeBalance>(body).unwrap()), want);
        }
        for bad in [
            &br#"{}"#[..],
            br#"{"balance": null}"#,
            br#"{"balance": true}"#,
            br#"{"balance": "lots"}"#,
            br#"{"balance": {"value": 1}}"#,
        ] {
            assert_eq!(
                decode::<NativeBalance>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }

    #[test]
    fn token_balances_string_or_number() {
        let v: TokenBalances = decode(br#"{ "balances": { "usdc": 100 } }"#).unwrap();
        assert_eq!(v.balances["usdc"].as_str(), "100");
        assert_eq!(encode(&v), r#"{"balances":{"usdc":"100"}}"#);
        let v: TokenBalances = decode(br#"{"balances":{"usdt":"1.5","usdc":"0.000001"}}"#).unwrap();
        assert_eq!(
            encode(&v),
            r#"{"balances":{"usdc":"0.000001","usdt":"1.5"}}"#
        );
        let v: TokenBalances = decode(br#"{"balances":{}}"#).unwrap();
        assert_eq!(encode(&v), r#"{"balances":{}}"#);
        for bad in [
            &br#"{}"#[..],
            br#"{"balances": []}"#,
            br#"{"balances": {"usdc": null}}"#,
            br#"{"balances": {"usdc": "1e3"}}"#,
        ] {
            assert_eq!(
                decode::<TokenBalances>(bad).unwrap_err().kind(),
                ErrorKind::Decode
            );
        }
    }
}
