//! Cleaning a cell before its identifier rules run: trimming, separators, Excel damage.

use std::borrow::Cow;

/// A cell's text, cleaned for the identifier rules.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cleaned<'a> {
    /// Nothing but blanks and separators.
    Empty,
    /// `1.79001E+12`: Excel turned the number into scientific notation and lost digits.
    Scientific,
    /// Trimmed, with ASCII spaces, `-` and `.` removed. Not necessarily digits.
    Value(Cow<'a, str>),
}

/// Trims `raw` and removes the separators people type inside identifiers
/// (`0912345678-001` → `0912345678001`) and a sign before the digits (`-1723468565`, a
/// damaged Excel cell). An integral float as a program writes it (`912345678.0`) loses its
/// fraction first, so that its dot is not read as a separator. [`removed`] names what was
/// taken out, for the warning (docs/rules.md, "Normalising").
pub(crate) fn clean(raw: &str) -> Cleaned<'_> {
    // The common case, a clean string of digits, in one pass.
    if is_ascii_digits(raw) {
        return Cleaned::Value(Cow::Borrowed(raw));
    }
    let s = crate::text::trim(raw);
    let s = strip_sign(s).map_or(s, |(_, rest)| rest);
    if let Some(integer) = integral_float(s) {
        return Cleaned::Value(Cow::Borrowed(integer));
    }
    if is_scientific(s) {
        return Cleaned::Scientific;
    }
    if is_decimal_fraction(s) {
        // `912345678.5`: a number with a fraction cannot be an identifier; its dot is kept so
        // that the format rules refuse it instead of reading ten digits.
        return Cleaned::Value(Cow::Borrowed(s));
    }
    let value = if s.bytes().any(is_separator) {
        Cow::Owned(
            s.chars()
                .filter(|&c| !c.is_ascii() || !is_separator(c as u8))
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    if value.is_empty() {
        Cleaned::Empty
    } else {
        Cleaned::Value(value)
    }
}

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.')
}

/// `-1723468565` or `+ 1723468565`: the sign and the digits after it.
fn strip_sign(s: &str) -> Option<(char, &str)> {
    let sign = s.chars().next().filter(|c| matches!(c, '-' | '+'))?;
    let rest = s[1..].trim_start();
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then_some((sign, rest))
}

/// What [`clean`] takes out of `raw` besides the blanks around it: a sign, the separators
/// between the digits, the fraction of an integral float. Empty for plain digits, for
/// scientific notation and for a number with a fraction (those are refused whole).
pub(crate) fn removed(raw: &str) -> crate::finding::Removed {
    let mut removed = crate::finding::Removed::default();
    if is_ascii_digits(raw) {
        return removed;
    }
    let mut s = crate::text::trim(raw);
    if let Some((sign, rest)) = strip_sign(s) {
        removed.sign = Some(sign);
        s = rest;
    }
    if let Some(integer) = integral_float(s) {
        removed.fraction = Some(s[integer.len()..].into());
        return removed;
    }
    if is_scientific(s) || is_decimal_fraction(s) {
        return removed;
    }
    for c in s.chars() {
        if c.is_ascii() && is_separator(c as u8) && !removed.chars.contains(&c) {
            removed.chars.push(c);
        }
    }
    removed
}

/// `912345678.0` or `1,00` → the integer part; anything else → `None`.
fn integral_float(s: &str) -> Option<&str> {
    let (int, frac) = s.split_once(['.', ','])?;
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b == b'0');
    ok.then_some(int)
}

/// `123.45` or `123,45`: digits, one decimal separator, digits (a fraction that is not zero).
fn is_decimal_fraction(s: &str) -> bool {
    match s.split_once(['.', ',']) {
        Some((int, frac)) => {
            is_ascii_digits(int) && is_ascii_digits(frac) && frac.bytes().any(|b| b != b'0')
        }
        None => false,
    }
}

/// Scientific notation as Excel shows a long number: `1.79001E+12`, `9,12345E+11`, `1E+12`.
pub(crate) fn is_scientific(s: &str) -> bool {
    let s = s.trim().as_bytes();
    let Some(e) = s.iter().position(|&b| b == b'e' || b == b'E') else {
        return false;
    };
    let (mantissa, exponent) = (&s[..e], &s[e + 1..]);
    let mut digits = 0;
    let mut seps = 0;
    for &b in mantissa {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' | b',' => seps += 1,
            _ => return false,
        }
    }
    // Excel always writes the exponent's sign; requiring it keeps codes like `12E456` apart.
    let Some((b'+' | b'-', exponent)) = exponent.split_first() else {
        return false;
    };
    digits > 0
        && seps <= 1
        && !exponent.is_empty()
        && exponent.len() <= 3
        && exponent.iter().all(u8::is_ascii_digit)
}

/// The number of digits a scientific-notation value stood for (`1.79001E+12` → 13), if it
/// can be told.
pub(crate) fn scientific_width(s: &str) -> Option<usize> {
    let s = s.trim();
    let e = s.find(['e', 'E'])?;
    let exponent: usize = s[e + 1..].trim_start_matches('+').parse().ok()?;
    Some(exponent + 1)
}

/// `s` is one or more ASCII digits and nothing else.
pub(crate) fn is_ascii_digits(s: &str) -> bool {
    all_digits(s.as_bytes())
}

/// `bytes` is one or more ASCII digits. Eight bytes at a time (an identifier is one or two
/// words): every high nibble 3, and no low nibble above 9 (adding 6 would carry into it).
/// Measured (2026-12-02, 200,000 records to a CSV report, callgrind, one thread): the plain
/// `iter().all(is_ascii_digit)` costs 4.3% of the run (1.43 G → 1.50 G instructions: every
/// CSV field and identifier passes here), and with the other simplifications of that day
/// it put the CSV report past the 10% the workspace's restructuring was allowed; so it
/// stays.
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    fn word(w: &[u8]) -> bool {
        const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
        const THREES: u64 = 0x3030_3030_3030_3030;
        const SIXES: u64 = 0x0606_0606_0606_0606;
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        w & HIGH == THREES && w.wrapping_add(SIXES) & HIGH == THREES
    }
    let n = bytes.len();
    match n {
        0 => false,
        1..8 => bytes.iter().all(u8::is_ascii_digit),
        _ => bytes.chunks_exact(8).all(word) && word(&bytes[n - 8..]),
    }
}

/// `s` as a number when it is exactly `len` ASCII digits (a normalised RUC: 13, a sucursal:
/// 4), for packing identifiers into integer keys.
pub(crate) fn digits_value(s: &str, len: usize) -> Option<u64> {
    (s.len() == len && is_ascii_digits(s)).then(|| {
        s.bytes()
            .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_digits_at_every_length() {
        for n in 0..40 {
            let digits = "0123456789".repeat(4)[..n].to_owned();
            assert_eq!(all_digits(digits.as_bytes()), n > 0, "{digits:?}");
            // Any one byte that is not a digit, at any place, is seen.
            for i in 0..n {
                for b in [
                    b'/',
                    b':',
                    b' ',
                    b'a',
                    0x39 + 6,
                    0x30 - 1,
                    0xb0,
                    0x3a,
                    0x40,
                    0,
                ] {
                    let mut bytes = digits.clone().into_bytes();
                    bytes[i] = b;
                    assert!(!all_digits(&bytes), "{bytes:?}");
                }
            }
        }
    }

    fn value(s: &str) -> Cleaned<'_> {
        Cleaned::Value(Cow::Borrowed(s))
    }

    #[test]
    fn removes_separators_and_blanks() {
        assert_eq!(clean(" 0912345678-001 "), value("0912345678001"));
        assert_eq!(clean("17.143.071-03"), value("1714307103"));
        assert_eq!(clean("1714 307 103"), value("1714307103"));
        assert_eq!(clean("  "), Cleaned::Empty);
        assert_eq!(clean("-"), Cleaned::Empty);
        assert_eq!(clean(""), Cleaned::Empty);
    }

    #[test]
    fn integral_floats_lose_their_fraction() {
        assert_eq!(clean("912345678.0"), value("912345678"));
        assert_eq!(clean("1,00"), value("1"));
        // A fraction that is not zero is kept whole, for the format rules to refuse.
        assert_eq!(clean("912345678.5"), value("912345678.5"));
        assert_eq!(clean("1,5"), value("1,5"));
        // Several dots are separators.
        assert_eq!(clean("17.143.071"), value("17143071"));
    }

    #[test]
    fn scientific_notation_is_detected() {
        for s in [
            "1.79001E+12",
            "9,12345E+11",
            "1E+12",
            "9.12345e+11",
            " 1.7E+12 ",
        ] {
            assert_eq!(clean(s), Cleaned::Scientific, "{s}");
        }
        for s in ["E+12", "1.7E", "A1E+5", "1.2.3E+4", "PE123456", "12E456"] {
            assert!(!is_scientific(s), "{s}");
        }
        assert_eq!(scientific_width("1.79001E+12"), Some(13));
        assert_eq!(scientific_width("9,12345E+11"), Some(12));
    }

    #[test]
    fn signs_are_removed_and_named() {
        assert_eq!(clean("-1723468565"), value("1723468565"));
        assert_eq!(clean(" + 1723468565 "), value("1723468565"));
        assert_eq!(clean("-912345678.0"), value("912345678"));
        let r = removed("-1723468565");
        assert_eq!((r.sign, r.chars.len(), r.fraction), (Some('-'), 0, None));
        let r = removed("0912345678-001");
        assert_eq!((r.sign, r.chars), (None, vec!['-']));
        let r = removed(" 17.143.071 03 ");
        assert_eq!(r.chars, vec!['.', ' ']);
        assert_eq!(removed("912345678.0").fraction.as_deref(), Some(".0"));
        // Blanks around the cell are the cell's, not the identifier's.
        assert!(removed(" 1714307103 ").is_empty());
        assert!(removed("1714307103").is_empty());
        assert!(removed("1.79001E+12").is_empty());
        // A dash alone is no sign: nothing follows it.
        assert_eq!(clean("-"), Cleaned::Empty);
    }

    #[test]
    fn unicode_is_kept_not_mangled() {
        assert_eq!(clean("١٢٣"), value("١٢٣"));
        assert_eq!(clean("ab–cd"), value("ab–cd"));
    }
}
