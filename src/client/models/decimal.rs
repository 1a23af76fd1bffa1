//! Lenient numeric text: decimals and unsigned integers that Xerial sends as JSON strings or
//! numbers, always written back as JSON strings.
//!
//! On-chain amounts and ids are uint256 and decimals that no C integer or double holds exactly,
//! so the canonical output carries them as strings (ABI §8). On input both forms are accepted:
//! a JSON string must already be plain decimal text; a JSON number may use any JSON form
//! (`1e-3`, `2.50`) and is written out in plain decimal.
//!
//! Precision: without serde_json's `arbitrary_precision`, a JSON number that is not an integer
//! of at most 64 bits is read as an `f64` and written back as its shortest round-trip text.
//! Xerial's server is Node.js, whose JSON numbers are doubles printed the same shortest way, so
//! nothing the server meant is lost; exact amounts beyond a double come as strings, kept verbatim.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A decimal number as text: `-?[0-9]+(\.[0-9]+)?` (balances, prices).
///
/// Deserialises from a JSON string of that form or from any JSON number; serialises as a JSON
/// string. `bool`, `null`, arrays and objects are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

/// An unsigned integer as text: `[0-9]+` (token ids, type ids, market item ids, supplies).
///
/// Deserialises from a JSON string of digits or from a non-negative integral JSON number;
/// serialises as a JSON string. Sizes up to uint256 and beyond are kept exactly when they come
/// as strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uint(String);

impl Decimal {
    /// `text` as a decimal, or `None` when it is not `-?[0-9]+(\.[0-9]+)?`.
    pub fn parse(text: &str) -> Option<Decimal> {
        is_decimal(text).then(|| Decimal(text.to_owned()))
    }

    /// The decimal text, e.g. `"0.053353126320360021"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The decimal text, by value.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Uint {
    /// `text` as an unsigned integer, or `None` when it is not `[0-9]+`.
    pub fn parse(text: &str) -> Option<Uint> {
        is_uint(text).then(|| Uint(text.to_owned()))
    }

    /// The digits, e.g. `"42"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits, by value.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<u64> for Decimal {
    fn from(value: u64) -> Decimal {
        Decimal(value.to_string())
    }
}

impl From<u64> for Uint {
    fn from(value: u64) -> Uint {
        Uint(value.to_string())
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Uint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Serialize for Uint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

impl<'de> Deserialize<'de> for Uint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Uint, D::Error> {
        deserializer.deserialize_any(UintVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a decimal number (a JSON number, or a string of digits with an optional fraction)",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        Decimal::parse(v).ok_or_else(|| {
            E::custom("a decimal string must be digits with an optional fraction, like 12 or 0.05")
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        plain_f64(v)
            .map(Decimal)
            .ok_or_else(|| E::custom("a decimal number must be finite"))
    }
}

struct UintVisitor;

impl Visitor<'_> for UintVisitor {
    type Value = Uint;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an unsigned integer (a JSON number or a string of digits)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Uint, E> {
        Uint::parse(v).ok_or_else(|| E::custom("an unsigned integer string must be digits only"))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Uint, E> {
        Ok(Uint(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Uint, E> {
        u64::try_from(v)
            .map(Uint::from)
            .map_err(|_| E::custom("an unsigned integer must not be negative"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Uint, E> {
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
            plain_f64(v)
                .map(Uint)
                .ok_or_else(|| E::custom("an unsigned integer must be finite"))
        } else {
            Err(E::custom(
                "an unsigned integer must be a whole, non-negative number",
            ))
        }
    }
}

/// Plain decimal text of a finite `f64`: shortest round-trip digits, never an exponent
/// (`1e-7` → `"0.0000001"`, `1e21` → `"1000000000000000000000"`, `-0.0` → `"0"`).
fn plain_f64(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some("0".to_owned());
    }
    // Rust's `Display` for floats is shortest-round-trip and never uses exponent notation.
    Some(v.to_string())
}

fn is_uint(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => is_uint(whole) && is_uint(fraction),
        None => is_uint(unsigned),
    }
}

/// A string that may have come as a JSON number (nonces, attribute values).
struct LenientString(String);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LenientString, D::Error> {
        deserializer.deserialize_any(LenientStringVisitor)
    }
}

struct LenientStringVisitor;

impl Visitor<'_> for LenientStringVisitor {
    type Value = LenientString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<LenientString, E> {
        Ok(LenientString(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<LenientString, E> {
        Ok(LenientString(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<LenientString, E> {
        Ok(LenientString(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<LenientString, E> {
        Ok(LenientString(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<LenientString, E> {
        plain_f64(v)
            .map(LenientString)
            .ok_or_else(|| E::custom("a number must be finite"))
    }
}

/// `deserialize_with` for a required `String` that may come as a JSON string or number.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    LenientString::deserialize(d).map(|s| s.0)
}

/// `deserialize_with` for an optional `String` that may come as a JSON string or number; `null`
/// is `None`. Pair it with `#[serde(default)]` so a missing field is `None` too.
pub(crate) fn opt_string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    Option::<LenientString>::deserialize(d).map(|s| s.map(|s| s.0))
}

#[cfg(test)]
#[path = "decimal_tests.rs"]
mod tests;
