//! Property tests: generated valid numbers verify, single-digit changes are caught, and no
//! input panics.

use patronal_core::ecuador::check_digit;
use patronal_core::ecuador::{NumberKind, RucKind, check_id, check_number, check_ruc};
use patronal_core::finding::{Code, Severity};
use patronal_core::rules::{Fields, check_record};
use proptest::prelude::*;

fn province() -> impl Strategy<Value = u8> {
    prop_oneof![1u8..=24, Just(30u8)]
}

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..=9, n)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn cedula() -> impl Strategy<Value = String> {
    (province(), 0u8..=6, digits(6)).prop_map(|(p, third, body)| {
        let mut s = format!("{p:02}{third}{body}");
        s.push(char::from(b'0' + check_digit(s.as_bytes())));
        s
    })
}

/// Modulo 11 as docs/rules.md states it; `None` when the remainder is 1 (no check digit).
fn mod11(digits: &str, weights: &[u32]) -> Option<char> {
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    match sum % 11 {
        0 => Some('0'),
        1 => None,
        r => Some(char::from(b'0' + (11 - r) as u8)),
    }
}

fn establishment(width: usize) -> impl Strategy<Value = String> {
    (1u32..10u32.pow(width as u32)).prop_map(move |n| format!("{n:0width$}"))
}

/// A public entity's RUC: its 10th digit is 0, as in every public entity's RUC of the SRI's
/// registry (docs/rules.md, "What real registries teach"): establishments 0001 to 0999.
fn public_ruc() -> impl Strategy<Value = String> {
    (province(), digits(5), establishment(3)).prop_filter_map("remainder 1", |(p, body, e)| {
        let head = format!("{p:02}6{body}");
        mod11(&head, &[3, 2, 7, 6, 5, 4, 3, 2]).map(|c| format!("{head}{c}0{e}"))
    })
}

fn company_ruc() -> impl Strategy<Value = String> {
    (province(), digits(6), establishment(3)).prop_filter_map("remainder 1", |(p, body, e)| {
        let head = format!("{p:02}9{body}");
        mod11(&head, &[4, 3, 2, 7, 6, 5, 4, 3, 2]).map(|c| format!("{head}{c}{e}"))
    })
}

fn has_error(findings: &[patronal_core::finding::Finding]) -> bool {
    findings.iter().any(|f| f.severity() == Severity::Error)
}

proptest! {
    #[test]
    fn generated_cedulas_verify(c in cedula()) {
        let mut f = Vec::new();
        let id = check_id(&c, false, &mut f);
        prop_assert!(f.is_empty(), "{c}: {f:?}");
        prop_assert_eq!(id.value, c);
    }

    #[test]
    fn generated_natural_rucs_verify(c in cedula().prop_filter("third digit 6 is ambiguous", |c| c.as_bytes()[2] != b'6'), e in establishment(3)) {
        let r = format!("{c}{e}");
        let mut f = Vec::new();
        let ruc = check_ruc(&r, &mut f);
        prop_assert!(!has_error(&f), "{r}: {f:?}");
        prop_assert_eq!(ruc.kind, RucKind::Natural);
    }

    #[test]
    fn generated_public_rucs_verify(r in public_ruc()) {
        let mut f = Vec::new();
        let ruc = check_ruc(&r, &mut f);
        prop_assert!(!has_error(&f), "{r}: {f:?}");
        prop_assert!(!f.iter().any(|f| f.code == Code::RucCheckUnverifiable));
        prop_assert_eq!(ruc.kind, RucKind::Public);
    }

    #[test]
    fn generated_company_rucs_verify(r in company_ruc()) {
        let mut f = Vec::new();
        let ruc = check_ruc(&r, &mut f);
        prop_assert!(!has_error(&f), "{r}: {f:?}");
        prop_assert!(!f.iter().any(|f| f.code == Code::RucCheckUnverifiable));
        prop_assert_eq!(ruc.kind, RucKind::Company);
    }

    /// Every single-digit change of a valid cédula is an error.
    #[test]
    fn single_digit_changes_of_a_cedula_are_caught(c in cedula(), pos in 0usize..10, delta in 1u8..=9) {
        let mut b = c.clone().into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(b).unwrap();
        let mut f = Vec::new();
        check_id(&changed, false, &mut f);
        prop_assert!(has_error(&f), "{c} → {changed}: {f:?}");
    }

    /// Every single-digit change in the cédula part of a natural-person RUC is an error. A
    /// change that turns the third digit into 6 or 9 makes it read as a public or company
    /// RUC, whose check digits the SRI no longer guarantees: not an error by docs/rules.md ("Sources of doubt").
    #[test]
    fn single_digit_changes_of_a_natural_ruc_are_caught(
        c in cedula().prop_filter("natural", |c| c.as_bytes()[2] < b'6'),
        pos in 0usize..10,
        delta in 1u8..=9,
    ) {
        let mut b = format!("{c}001").into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        prop_assume!(!matches!(b[2], b'6' | b'9'));
        let changed = String::from_utf8(b).unwrap();
        let mut f = Vec::new();
        check_ruc(&changed, &mut f);
        prop_assert!(has_error(&f), "{c}001 → {changed}: {f:?}");
    }

    #[test]
    fn no_string_panics(s in ".*") {
        let c = check_number(&s);
        prop_assert!(c.kind != NumberKind::Ruc(RucKind::Domestic) || c.value.len() == 13);
        check_record(&Fields {
            id: &s, ruc: &s, sucursal: Some(&s), email: Some(&s), ruc_status: Some(&s),
            first_time: Some(&s), has_key: Some(&s), employer_type: Some(&s), id_type: Some(&s),
            registry: None,
        });
    }

    #[test]
    fn no_digit_lookalike_panics(s in "[0-9٠-٩０-９ .,\\-eE+]{0,30}") {
        let c = check_number(&s);
        // Only ASCII digits are digits: a value holding other digits is never valid.
        if s.chars().any(|ch| ch.is_numeric() && !ch.is_ascii_digit()) {
            prop_assert!(!c.is_valid(), "{s}: {c:?}");
        }
    }
}

#[test]
fn huge_inputs_do_not_panic() {
    for s in [
        "1".repeat(1 << 20),
        "é".repeat(1 << 18),
        format!("{}@{}", "a".repeat(1 << 19), "b".repeat(1 << 19)),
    ] {
        let c = check_number(&s);
        assert!(!c.is_valid());
        let r = check_record(&Fields {
            id: &s,
            ruc: &s,
            email: Some(&s),
            sucursal: Some(&s),
            ..Fields::default()
        });
        assert!(!r.findings.is_empty());
    }
}
