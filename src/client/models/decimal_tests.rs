//! Tests of `decimal.rs`: exact decimal and integer texts, lenient strings.

use super::*;

fn decimal(json: &str) -> Result<Decimal, serde_json::Error> {
    serde_json::from_str(json)
}

fn uint(json: &str) -> Result<Uint, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn decimal_strings_are_kept_verbatim() {
    for text in ["0", "25", "0.053353126320360021", "-1.5", "007", "1.000"] {
        let d = decimal(&format!("\"{text}\"")).expect(text);
        assert_eq!(d.as_str(), text);
        assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{text}\""));
    }
    let huge = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    assert_eq!(
        decimal(&format!("\"{huge}.5\"")).unwrap().as_str(),
        format!("{huge}.5")
    );
}

#[test]
fn decimal_numbers_become_plain_strings() {
    let cases = [
        ("1", "1"),
        ("0", "0"),
        ("-0.0", "0"),
        ("0.5", "0.5"),
        ("2.50", "2.5"),
        ("1e-3", "0.001"),
        ("1E3", "1000"),
        ("1e21", "1000000000000000000000"),
        ("-7", "-7"),
        ("18446744073709551615", "18446744073709551615"),
        ("0.05335312632036002", "0.05335312632036002"),
    ];
    for (json, want) in cases {
        assert_eq!(decimal(json).expect(json).as_str(), want, "{json}");
    }
}

#[test]
fn decimal_rejects_non_decimals() {
    for json in [
        "true",
        "null",
        "[]",
        "{}",
        "\"\"",
        "\"abc\"",
        "\"1e3\"",
        "\".5\"",
        "\"5.\"",
        "\"1.2.3\"",
        "\" 1\"",
        "\"+1\"",
        "\"0x10\"",
        "\"-\"",
        "\"1,000\"",
    ] {
        assert!(decimal(json).is_err(), "{json} should be rejected");
    }
}

#[test]
fn uint_accepts_digits_and_whole_numbers() {
    assert_eq!(uint("\"6\"").unwrap().as_str(), "6");
    assert_eq!(uint("1").unwrap().as_str(), "1");
    assert_eq!(uint("0").unwrap().as_str(), "0");
    assert_eq!(uint("1e3").unwrap().as_str(), "1000");
    assert_eq!(uint("1e20").unwrap().as_str(), "100000000000000000000");
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    assert_eq!(uint(&format!("\"{max}\"")).unwrap().as_str(), max);
    assert_eq!(serde_json::to_string(&Uint::from(38)).unwrap(), "\"38\"");
}

#[test]
fn uint_rejects_fractions_signs_and_other_types() {
    for json in [
        "-1", "1.5", "\"1.5\"", "\"-1\"", "\"\"", "\"0x01\"", "true", "null", "{}", "[1]",
    ] {
        assert!(uint(json).is_err(), "{json} should be rejected");
    }
}

#[test]
fn parse_validates_like_deserialisation() {
    assert!(Decimal::parse("0.05").is_some());
    assert!(Decimal::parse("1e3").is_none());
    assert!(Uint::parse("12").is_some());
    assert!(Uint::parse("1.0").is_none());
    assert_eq!(Decimal::from(3).to_string(), "3");
    assert_eq!(Uint::parse("9").unwrap().into_string(), "9");
}

#[derive(Deserialize)]
struct Lenient {
    #[serde(deserialize_with = "string_or_number")]
    required: String,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    optional: Option<String>,
}

#[test]
fn lenient_strings_take_strings_and_numbers() {
    let v: Lenient = serde_json::from_str(r#"{"required": 12, "optional": "x"}"#).unwrap();
    assert_eq!(
        (v.required.as_str(), v.optional.as_deref()),
        ("12", Some("x"))
    );
    let v: Lenient = serde_json::from_str(r#"{"required": "a", "optional": 0.5}"#).unwrap();
    assert_eq!(
        (v.required.as_str(), v.optional.as_deref()),
        ("a", Some("0.5"))
    );
    let v: Lenient = serde_json::from_str(r#"{"required": "a", "optional": null}"#).unwrap();
    assert_eq!(v.optional, None);
    let v: Lenient = serde_json::from_str(r#"{"required": "a"}"#).unwrap();
    assert_eq!(v.optional, None);
    assert!(serde_json::from_str::<Lenient>(r#"{"required": true}"#).is_err());
    assert!(serde_json::from_str::<Lenient>(r#"{"required": null}"#).is_err());
    assert!(serde_json::from_str::<Lenient>(r#"{"optional": "x"}"#).is_err());
}

proptest::proptest! {
    #![proptest_config(crate::test_support::proptest_config(256, 4))]
    /// Amounts come from the server as any JSON number or string: extremes decode to
    /// decimal text or are refused, never panic.
    #[test]
    fn any_amount_decodes_or_is_refused(value in proptest::num::f64::ANY, text in "[0-9.eE+-]{0,400}") {
        let _ = decimal(&value.to_string());
        let _ = uint(&value.to_string());
        let quoted = format!("\"{text}\"");
        let _ = decimal(&quoted);
        let _ = uint(&quoted);
        let _ = decimal(&text);
    }
}

#[test]
fn extreme_numbers_keep_their_exact_text() {
    assert_eq!(decimal("1e308").unwrap().as_str().len(), 309);
    assert!(decimal("1e309").is_err(), "not a finite number");
    assert_eq!(
        uint(&u64::MAX.to_string()).unwrap().as_str(),
        u64::MAX.to_string()
    );
    let huge = "9".repeat(300);
    assert_eq!(decimal(&format!("\"{huge}\"")).unwrap().as_str(), huge);
}
