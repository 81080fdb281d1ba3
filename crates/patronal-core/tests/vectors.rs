//! Every vector of `tests/data/ids.csv` (copied from the project's shared vectors: the
//! python-stdnum test suite and synthetic numbers) gets its verdict. Two of python-stdnum's
//! company RUCs whose fourth digit is 0 fail the check digit, and are invalid here
//! (docs/rules.md, "What real registries teach").

use patronal_core::ecuador::{NumberKind, RucKind, check_number};

#[test]
fn every_vector_gets_its_verdict() {
    let data = include_str!("data/ids.csv");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in data.lines().skip(1) {
        let mut parts = line.splitn(3, ',');
        let (number, expected, why) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        count += 1;
        let c = check_number(number);
        let valid = c.is_valid();
        if valid != (expected == "valid") {
            failures.push(format!("{number}: expected {expected} ({why}), got {c:?}"));
            continue;
        }
        if !valid {
            continue;
        }
        let kind_ok = match why.trim_start_matches("synthetic: ") {
            "cedula" => c.kind == NumberKind::Cedula,
            "natural" => c.kind == NumberKind::Ruc(RucKind::Natural),
            // The SRI issued some natural-person RUCs with a third digit 6.
            "public" => matches!(c.kind, NumberKind::Ruc(RucKind::Public | RucKind::Natural)),
            "public unverifiable" => c.kind == NumberKind::Ruc(RucKind::Public),
            k if k.starts_with("company") => c.kind == NumberKind::Ruc(RucKind::Company),
            _ => true,
        };
        if !kind_ok {
            failures.push(format!("{number}: kind {:?} for {why}", c.kind));
        }
    }
    assert!(count > 300, "only {count} vectors read");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn unverifiable_company_and_public_rucs_warn() {
    for n in ["1793213150001", "0993370026001", "1763154690001"] {
        let c = check_number(n);
        assert!(c.is_valid(), "{n}");
        let codes: Vec<_> = c.findings.iter().map(|f| f.code.name()).collect();
        assert_eq!(codes, ["RUC_CHECK_UNVERIFIABLE"], "{n}");
    }
}
