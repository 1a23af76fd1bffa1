//! Typed models of Xerial's responses, and the one decoder and encoder every endpoint uses.
//!
//! Each model *reads* leniently (every documented variant of a shape: old and new field names,
//! wrapped and bare objects, strings or numbers) and *writes* one canonical JSON, which is what a
//! game receives in `XerialResult.body` (ABI §4, §8):
//!
//! * field names are Xerial's camelCase (`smartAccount`, `tokenId`, `metadataURI`, …);
//! * uint256 and decimal values (`tokenId`, `typeId`, `marketItemId`, `price`, balances,
//!   `maxSupply`) are JSON strings ([`Decimal`], [`Uint`]); small counts (`quantity`, `supply`,
//!   `edition`, `mintedTokens`) are JSON numbers;
//! * every field of a model is always present: an optional field the server left out (or sent
//!   as `null`) is `null`; unknown server fields are dropped;
//! * no model carries a token.
//!
//! A 2xx body that does not fit its model is [`ErrorKind::Decode`] (see [`decode`]).
//!
//! | endpoint | model |
//! |---|---|
//! | #1 `GET /api/user` | [`UserWallets`] |
//! | #2 `POST /api/user` | [`CreatedUser`] |
//! | #3 `POST /api/wallet/{userId}` | [`Wallet`] |
//! | #5 `GET …/eth` | [`NativeBalance`] |
//! | #6 `GET …/tokens` | [`TokenBalances`] |
//! | #7 `GET …/project-inventory/{projectId}` | [`ProjectInventory`] (`Vec<`[`InventoryEntry`]`>`) |
//! | #8 `GET …/global-inventory` | [`GlobalInventory`] |
//! | #9, #11–#16 transactions | [`TransactionHash`] |
//! | #20 `POST /api/nonce` | [`Nonce`] |
//! | logins and refresh (result) | [`SessionSummary`] |
//! | #23 `GET /collections` | [`Collections`] |
//! | #24 `GET /marketplace/…/primary` | [`PrimaryListings`] (`Vec<`[`PrimaryListing`]`>`) |
//! | #25 `GET /marketplace/…/secondary` | [`SecondaryListings`] (`Vec<`[`SecondaryListing`]`>`) |
//! | #26 `GET /marketplace/{domain}` | [`Project`] |

mod auth;
mod decimal;
mod global_inventory;
mod inventory;
mod market;
mod metadata;
mod project;
mod tx;
mod wallet;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Error, ErrorKind};

pub use auth::{Nonce, SessionSummary};
pub use decimal::{Decimal, Uint};
pub use global_inventory::{GlobalInventory, NftContract, NftImage, OwnedNft};
pub use inventory::{CollectionRef, InventoryEntry, ProjectInventory, TokenRef};
pub use market::SecondaryListings;
pub use market::{Collection, Collections, PrimaryListing, PrimaryListings, SecondaryListing};
pub use metadata::{AnimationUrl, Attribute, ContractInfo, NftMetadata};
pub use project::{Project, SocialMedias};
pub use tx::TransactionHash;
pub use wallet::{Account, CreatedUser, NativeBalance, TokenBalances, UserWallets, Wallet};

/// Longest message a decode error carries, in characters.
const MAX_MESSAGE_CHARS: usize = 200;

/// Decodes a 2xx response body into its model.
///
/// Anything that does not fit (not JSON, trailing data, a wrong type, a missing required field,
/// an invalid value) is `ErrorKind::Decode`, whose message names the model and says what did not
/// fit and where (line and column). The message never quotes string values from the body (they
/// could be long, or secret), and is at most ~200 characters.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    // Checked as UTF-8 once, whole, then parsed as text: from bytes, serde_json checks each
    // string on its own. JSON is UTF-8, so other bytes are refused with where they go wrong (and
    // each model keeps one parser, not one for text and one for bytes: the library's size).
    let Some(text) = super::validate::utf8(body) else {
        let why = std::str::from_utf8(body).err().map(|e| e.to_string());
        return Err(decode_error(
            &short_type_name::<T>(),
            &why.unwrap_or_default(),
        ));
    };
    serde_json::from_str(text).map_err(|e| decode_error(&short_type_name::<T>(), &e.to_string()))
}

/// The error for a body that is not a valid `model`, `why` saying where.
fn decode_error(model: &str, why: &str) -> Error {
    let what = if model == "IgnoredAny" {
        String::from("response is not valid JSON")
    } else {
        format!("response is not a valid {model}")
    };
    let message = format!("{what}: {}", redact_quoted(why));
    Error::new(
        ErrorKind::Decode,
        truncate_chars(message, MAX_MESSAGE_CHARS),
    )
}

/// Decodes a 2xx body into model `T` as [`decode`] does, and also refuses a body whose shape the
/// model only accepted by accident: serde reads a JSON array into a struct field by field, so
/// `["24.25"]` would pass for `{"balance":"24.25"}`. Every object and array of the canonical
/// output must stand where the body had an object or an array.
pub fn decode_model<T: DeserializeOwned + Serialize>(body: &[u8]) -> Result<T, Error> {
    // Without a `[` byte the body has no array, so nothing can have been read as an object by
    // accident (a model builds objects and arrays only from objects and arrays): decoded
    // straight from the bytes, with no document and no canonical copy to compare.
    if !body.contains(&b'[') {
        return decode(body);
    }
    decode_checked(body)
}

/// [`decode_model`] for a body that may hold arrays: decoded through a document, and the
/// canonical output's shape compared with it.
fn decode_checked<T: DeserializeOwned + Serialize>(body: &[u8]) -> Result<T, Error> {
    // One parse on the success path; the error path parses again from the bytes, whose error
    // says where (line and column) the body stopped fitting.
    let input: serde_json::Value = decode(body)?;
    let value = match T::deserialize(&input) {
        Ok(value) => value,
        Err(e) => {
            return Err(decode::<T>(body).err().unwrap_or_else(|| {
                Error::new(
                    ErrorKind::Decode,
                    truncate_chars(redact_quoted(&e.to_string()), MAX_MESSAGE_CHARS),
                )
            }))
        }
    };
    let output = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
    if same_shape(&input, &output) {
        Ok(value)
    } else {
        let model = short_type_name::<T>();
        Err(Error::new(
            ErrorKind::Decode,
            format!(
                "response is not a valid {model}: an array or value stands where an object belongs"
            ),
        ))
    }
}

/// Whether every object (array) of `output` stands where `input` has an object (array), for the
/// keys both have.
fn same_shape(input: &serde_json::Value, output: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (input, output) {
        (Value::Object(input), Value::Object(output)) => output
            .iter()
            .all(|(key, out)| input.get(key).is_none_or(|inp| same_shape(inp, out))),
        (Value::Array(input), Value::Array(output)) => {
            input.len() == output.len() && input.iter().zip(output).all(|(i, o)| same_shape(i, o))
        }
        // A field the server left null that the model filled from another one (an inventory's
        // `tokens` from its `tokenIds`): not an array standing for an object.
        (Value::Null, _) => true,
        (_, Value::Object(_) | Value::Array(_)) => false,
        _ => true,
    }
}

/// The canonical JSON of a model: compact, fields in declaration order.
pub fn encode<T: Serialize>(value: &T) -> String {
    // Models serialise only strings, numbers, booleans, sequences and string-keyed maps, which
    // cannot fail; the fallback keeps this infallible for any other `T`.
    serde_json::to_string(value).unwrap_or_else(|e| {
        log::error!("encoding a result failed: {e}");
        String::from("null")
    })
}

/// `alloc::vec::Vec<xerial::client::models::inventory::InventoryEntry>` →
/// `Vec<InventoryEntry>`.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut segment_start = 0;
    for c in full.chars() {
        if c == ':' {
            out.truncate(segment_start);
            continue;
        }
        out.push(c);
        if !(c.is_alphanumeric() || c == '_') {
            segment_start = out.len();
        }
    }
    out
}

/// Replaces the contents of every double-quoted span with `…`: serde quotes offending string
/// values (`invalid type: string "…", expected …`), which may be long or secret.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            let mut closed = false;
            let mut escaped = false;
            for inner in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if inner == '\\' {
                    escaped = true;
                } else if inner == '"' {
                    closed = true;
                    break;
                }
            }
            out.push('…');
            if closed {
                out.push('"');
            }
        }
    }
    out
}

fn truncate_chars(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_are_decode_kind_and_name_the_model() {
        let e = decode::<NativeBalance>(b"{\"balance\": true}").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(
            e.message()
                .starts_with("response is not a valid NativeBalance: "),
            "{e}"
        );
        assert!(e.message().contains("line 1 column"), "{e}");

        let e = decode::<Vec<InventoryEntry>>(b"{}").unwrap_err();
        assert!(
            e.message()
                .starts_with("response is not a valid Vec<InventoryEntry>: "),
            "{e}"
        );

        let e = decode::<serde::de::IgnoredAny>(b"{").unwrap_err();
        assert!(
            e.message().starts_with("response is not valid JSON: EOF"),
            "{e}"
        );

        let e = decode::<UserWallets>(b"{\"user\":{\"id\":\"u\"}}").unwrap_err();
        assert!(e.message().contains("missing field `wallets`"), "{e}");
    }

    #[test]
    fn decode_rejects_non_json_empty_and_trailing_data() {
        for body in [
            &b""[..],
            b"not json",
            b"{\"balance\":\"1\"} x",
            b"<html></html>",
        ] {
            let e = decode::<NativeBalance>(body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode);
        }
        // Not UTF-8: refused, saying where; UTF-8 beyond ASCII decodes.
        let e = decode::<NativeBalance>(b"{\"balance\":\"1\xff\"}").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(
            e.message()
                .starts_with("response is not a valid NativeBalance: "),
            "{e}"
        );
        assert!(e.message().contains("index 13"), "{e}");
        let ok = decode::<NativeBalance>("{\"balance\":\"1\",\"note\":\"é\"}".as_bytes());
        assert_eq!(ok.unwrap().balance.to_string(), "1");
    }

    #[test]
    fn decode_messages_never_quote_body_strings_and_stay_short() {
        let secret = "eyJhbGciOiJIUzI1NiJ9.secret-looking-value.signature";
        let body = format!("{{\"nonce\": {{\"x\": 1}}, \"other\": \"{secret}\"}}");
        let e = decode::<Nonce>(body.as_bytes()).unwrap_err();
        assert!(!e.message().contains(secret), "{e}");

        let body = format!("{{\"balance\": [\"{secret}\"]}}");
        let e = decode::<NativeBalance>(body.as_bytes()).unwrap_err();
        assert!(!e.message().contains("secret-looking"), "{e}");

        let long = "9".repeat(5000);
        let body = format!("{{\"transactionHash\": \"0x{long}\"}}");
        let e = decode::<TransactionHash>(body.as_bytes()).unwrap_err();
        assert!(e.message().chars().count() <= MAX_MESSAGE_CHARS + 1, "{e}");
        assert!(!e.message().contains("99999999"), "{e}");
    }

    #[test]
    fn redaction_and_truncation_helpers() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "abc\"d", expected u64"#),
            "invalid type: string \"…\", expected u64"
        );
        assert_eq!(redact_quoted("unterminated \"abc"), "unterminated \"…");
        assert_eq!(redact_quoted("missing field `x`"), "missing field `x`");
        assert_eq!(truncate_chars("ééé".into(), 2), "éé…");
        assert_eq!(truncate_chars("ab".into(), 2), "ab");
        assert_eq!(
            short_type_name::<Vec<Option<Decimal>>>(),
            "Vec<Option<Decimal>>"
        );
    }

    /// The array-free fast path of `decode_model` answers as the checked path does.
    #[test]
    fn array_free_bodies_decode_as_the_checked_path_decodes_them() {
        fn same<T: DeserializeOwned + Serialize>(body: &str) {
            let fast = decode_model::<T>(body.as_bytes());
            let checked = decode_checked::<T>(body.as_bytes());
            match (&fast, &checked) {
                (Ok(a), Ok(b)) => assert_eq!(encode(a), encode(b), "{body}"),
                (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "{body}"),
                _ => panic!(
                    "{body}: fast {:?}, checked {:?}",
                    fast.is_ok(),
                    checked.is_ok()
                ),
            }
        }
        for body in [
            r#"{"balance":"24.25"}"#,
            r#"{"balance":24.25}"#,
            r#"{"balance":null}"#,
            r#"{"balance":{"balance":"1"}}"#,
            r#"{}"#,
            r#""24.25""#,
            r#"{"balance":"1","extra":{"x":{"y":1}}}"#,
            "not json",
        ] {
            same::<NativeBalance>(body);
        }
        for body in [
            r#"{"balances":{"usdc":"100","weth":1.5}}"#,
            r#"{"balances":{}}"#,
            r#"{"balances":"usdc"}"#,
            r#"{"balances":{"usdc":{"v":"1"}}}"#,
        ] {
            same::<TokenBalances>(body);
        }
        for body in [
            r#"{"refrence":"a@b","id":"1","project":null}"#,
            r#"{"reference":"a@b","id":"1"}"#,
            r#"{"id":{"oid":"1"}}"#,
        ] {
            same::<CreatedUser>(body);
        }
        for body in [r#"{"nonce":123}"#, r#"{"nonce":"abc"}"#, r#"{"nonce":{}}"#] {
            same::<Nonce>(body);
        }
    }

    #[test]
    fn encode_is_compact() {
        let balance: NativeBalance = decode(b"{ \"balance\" : 1 }").unwrap();
        assert_eq!(encode(&balance), r#"{"balance":"1"}"#);
        assert_eq!(encode(&vec![Uint::from(1), Uint::from(2)]), r#"["1","2"]"#);
    }
}
