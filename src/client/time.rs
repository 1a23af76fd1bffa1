//! Just enough ISO-8601 (RFC 3339) to read Xerial's `expires` fields, without a date crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into a point in time.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = bytes.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| bytes.get(i) != Some(&c))
        || !matches!(bytes.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let kept = &fraction[..len.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[len..];
    }
    let offset_secs = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hh = digits_of(&[*h1, *h2])?;
            let mm = digits_of(&[*m1, *m2])?;
            let secs = hh * 3600 + mm * 60;
            if *sign == b'+' {
                secs
            } else {
                -secs
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    let secs = u64::try_from(secs).ok()?;
    UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

fn digits_of(pair: &[u8; 2]) -> Option<i64> {
    pair.iter()
        .all(u8::is_ascii_digit)
        .then(|| i64::from(pair[0] - b'0') * 10 + i64::from(pair[1] - b'0'))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<u64> {
        parse_rfc3339(text).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_secs())
    }

    #[test]
    fn parses_xerial_expiries() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2024-01-12T17:34:35.725Z"), Some(1_705_080_875));
        assert_eq!(secs("2024-01-12T19:34:35+02:00"), Some(1_705_080_875));
        assert_eq!(secs("2000-02-29T00:00:00Z"), Some(951_782_400));
        let t = parse_rfc3339("2024-01-12T17:34:35.725Z").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().subsec_millis(), 725);
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "",
            "tomorrow",
            "2024-01-12",
            "2024-13-01T00:00:00Z",
            "2024-01-12T17:34:35",
            "2024-01-12T17:34:35.Z",
            "2024-01-12T25:00:00Z",
            "2024-01-12T17:34:35Zjunk",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::proptest_config(256, 4))]
        /// `expires` comes from the server: any text, and the extremes of every field, parse or
        /// are refused without panicking, and what parses is a time after the epoch.
        #[test]
        fn any_expires_text_is_read_without_panicking(
            text in "\\PC{0,40}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,30})?(Z|[+-][0-9]{2}:[0-9]{2})",
        ) {
            if let Some(time) = parse_rfc3339(&text) {
                proptest::prop_assert!(time >= UNIX_EPOCH);
            }
        }
    }

    #[test]
    fn extreme_times_parse_or_are_refused_without_overflow() {
        for text in [
            "9999-12-31T23:59:60.999999999999999999999-23:59",
            "9999-12-31T23:59:60+00:00",
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:00:00+99:99",
            "1970-01-01T00:00:00+00:01",
        ] {
            let _ = parse_rfc3339(text);
        }
        assert!(parse_rfc3339("9999-12-31T23:59:59Z").is_some());
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00+00:01"),
            None,
            "before the epoch"
        );
    }
}
