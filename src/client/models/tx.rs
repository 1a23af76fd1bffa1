//! The answer of every transaction endpoint (#9, #11–#16).

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

/// The hash of a submitted transaction: `{"transactionHash":"0x…"}`.
///
/// Decoding checks the hash is `0x` and 64 hex digits: a 2xx answer without one does not say
/// the transaction was submitted, so it is a decode error, never a success. Case is kept.
/// Canonical: `{"transactionHash":"0xe2e830fcc13af572c0cbe970e69c2ebd873cc85b9984099a072709f1ee62305b"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionHash {
    /// The transaction hash, `0x` + 64 hex digits.
    #[serde(deserialize_with = "tx_hash")]
    pub transaction_hash: String,
}

/// Whether `text` is `0x` followed by exactly 64 hex digits (either case).
pub(crate) fn is_tx_hash(text: &str) -> bool {
    text.strip_prefix("0x")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn tx_hash<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let hash = String::deserialize(deserializer)?;
    if is_tx_hash(&hash) {
        Ok(hash)
    } else {
        Err(de::Error::custom(
            "transactionHash must be 0x followed by 64 hex digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{decode, encode};
    use crate::client::ErrorKind;

    const HASH: &str = "0xe2e830fcc13af572c0cbe970e69c2ebd873cc85b9984099a072709f1ee62305b";

    #[test]
    fn documented_example() {
        // Primary Purchase doc page / xerial-api.md §3.2 #9–#16.
        let body = format!("{{\n  \"transactionHash\": \"{HASH}\"\n}}");
        let v: TransactionHash = decode(body.as_bytes()).unwrap();
        assert_eq!(v.transaction_hash, HASH);
        assert_eq!(encode(&v), format!(r#"{{"transactionHash":"{HASH}"}}"#));
        let upper = format!("0x{}", HASH[2..].to_uppercase());
        let v: TransactionHash =
            decode(format!(r#"{{"transactionHash":"{upper}","extra":1}}"#).as_bytes()).unwrap();
        assert_eq!(v.transaction_hash, upper);
    }

    #[test]
    fn anything_but_a_66_char_hex_hash_fails() {
        let bad = [
            String::from("{}"),
            String::from(r#"{"transactionHash":null}"#),
            String::from(r#"{"transactionHash":12}"#),
            String::from(r#"{"transactionHash":""}"#),
            String::from(r#"{"transactionHash":"0x"}"#),
            format!(r#"{{"transactionHash":"{}"}}"#, &HASH[..65]),
            format!(r#"{{"transactionHash":"{HASH}0"}}"#),
            format!(r#"{{"transactionHash":"{}"}}"#, &HASH[2..]),
            format!(r#"{{"transactionHash":"0X{}"}}"#, &HASH[2..]),
            format!(r#"{{"transactionHash":"{}g"}}"#, &HASH[..65]),
            format!(r#"{{"transactionHash":" {HASH}"}}"#),
            String::from(r#"{"hash":"0x00"}"#),
            String::from(r#"{"studioAddress":"0xf48b","project":{"id":"p"},"collections":[]}"#),
            String::from("[]"),
        ];
        for body in bad {
            let e = decode::<TransactionHash>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        }
        assert!(is_tx_hash(HASH));
        assert!(!is_tx_hash(
            "0xé2e830fcc13af572c0cbe970e69c2ebd873cc85b9984099a072709f1ee62305"
        ));
    }
}
