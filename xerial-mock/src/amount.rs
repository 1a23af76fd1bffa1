//! Money as exact fixed-point integers (18 decimals), so balances never drift.
//!
//! Xerial speaks in human units: balances are decimal strings such as
//! `"0.053353126320360021"` and prices are JSON numbers such as `0.5` (reference §3.2,
//! #5 and #24). Internally every amount is `u128` "wei" (units × 10¹⁸).

use serde_json::{Number, Value};

/// 10¹⁸: one whole unit.
pub const ONE: u128 = 1_000_000_000_000_000_000;

/// Parses a non-negative decimal string (`"12"`, `"0.5"`, `".5"`) into wei.
/// More than 18 decimals are truncated.
pub fn parse_decimal(s: &str) -> Option<u128> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac = &frac[..frac.len().min(18)];
    let frac_val: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u128>().ok()? * 10u128.pow(18 - u32::try_from(frac.len()).ok()?)
    };
    int.checked_mul(ONE)?.checked_add(frac_val)
}

/// Parses a JSON number or numeric string into wei; `None` if negative or not numeric.
pub fn parse(v: &Value) -> Option<u128> {
    match v {
        Value::String(s) => parse_decimal(s),
        Value::Number(n) => {
            let text = n.to_string();
            if text.contains(['e', 'E']) {
                let f = n.as_f64()?;
                (f.is_finite() && f >= 0.0).then(|| (f * ONE as f64).round() as u128)
            } else {
                parse_decimal(&text)
            }
        }
        _ => None,
    }
}

/// Formats wei as a decimal string without trailing zeros (`"25"`, `"0.5"`).
pub fn to_decimal(wei: u128) -> String {
    let int = wei / ONE;
    let frac = wei % ONE;
    if frac == 0 {
        return int.to_string();
    }
    let frac = format!("{frac:018}");
    format!("{int}.{}", frac.trim_end_matches('0'))
}

/// Formats wei as a JSON number: an integer when whole (`1`), else a float (`0.5`).
pub fn to_number(wei: u128) -> Value {
    if wei % ONE == 0 {
        if let Ok(n) = u64::try_from(wei / ONE) {
            return Value::Number(n.into());
        }
    }
    let f: f64 = to_decimal(wei).parse().unwrap_or(0.0);
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips() {
        assert_eq!(
            parse(&json!("0.053353126320360021"))
                .map(to_decimal)
                .as_deref(),
            Some("0.053353126320360021")
        );
        assert_eq!(parse(&json!(0.5)), Some(ONE / 2));
        assert_eq!(parse(&json!(2)), Some(2 * ONE));
        assert_eq!(parse(&json!("25")).map(to_decimal).as_deref(), Some("25"));
        assert_eq!(parse(&json!(1e-3)), Some(ONE / 1000));
        assert_eq!(parse(&json!(-1)), None);
        assert_eq!(parse(&json!("abc")), None);
        assert_eq!(parse(&json!(".")), None);
        assert_eq!(to_number(ONE), json!(1));
        assert_eq!(to_number(ONE * 3 / 4), json!(0.75));
        assert_eq!(to_decimal(0), "0");
    }
}
