//! Every response decoder on arbitrary bytes: the first byte picks the model, the rest is the
//! body. A decoder must never panic; a body it accepts must re-read from its canonical JSON to
//! the same value (the canonical JSON is what games receive); a body it refuses is a `Decode`
//! error with a short message.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use xerial::client::models::*;
use xerial::client::{ErrorKind, TokenPair};

fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(body: &[u8]) {
    match decode::<T>(body) {
        Ok(value) => {
            let canonical = encode(&value);
            let again: T = match decode(canonical.as_bytes()) {
                Ok(again) => again,
                Err(e) => panic!("canonical JSON {canonical} does not re-read: {e}"),
            };
            assert_eq!(
                again, value,
                "canonical JSON {canonical} re-reads to another value"
            );
            assert_eq!(encode(&again), canonical, "canonical JSON is stable");
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode);
            assert!(
                e.message().chars().count() <= 201,
                "long message: {}",
                e.message()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match selector % 15 {
        0 => check::<UserWallets>(body),
        1 => check::<Wallet>(body),
        2 => check::<CreatedUser>(body),
        3 => check::<NativeBalance>(body),
        4 => check::<TokenBalances>(body),
        5 => check::<Vec<InventoryEntry>>(body),
        6 => check::<GlobalInventory>(body),
        7 => check::<Collections>(body),
        8 => check::<Vec<PrimaryListing>>(body),
        9 => check::<Vec<SecondaryListing>>(body),
        10 => check::<Project>(body),
        11 => check::<TransactionHash>(body),
        12 => check::<Nonce>(body),
        13 => {
            // The escape hatch validates any JSON this way (`xerial_request`).
            let _ = decode::<serde::de::IgnoredAny>(body);
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(body) {
                if let Ok(pair) = TokenPair::from_json(text) {
                    // What `xerial_session_get` returns must be accepted back by `_set`.
                    let json = encode(&pair);
                    let again = TokenPair::from_json(&json).ok();
                    assert!(again == Some(pair), "the token pair does not re-read");
                }
            }
        }
    }
});
