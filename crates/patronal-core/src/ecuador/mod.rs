//! The identifier rules of Ecuador, as docs/rules.md states them: cédula and foreigner code,
//! RUC, sucursal, and the three checked together. Pure functions: text in, normalised value
//! and findings out; no I/O, no global state.
//!
//! ```
//! use patronal_core::ecuador::{check_ruc, RucKind};
//!
//! let mut findings = Vec::new();
//! let ruc = check_ruc("0926687856001", &mut findings);
//! assert_eq!((ruc.value.as_str(), ruc.kind), ("0926687856001", RucKind::Natural));
//! assert!(findings.is_empty());
//! // A separator is removed, and named in a warning.
//! let ruc = check_ruc("0926687856-001", &mut findings);
//! assert_eq!(ruc.value.as_str(), "0926687856001");
//! assert_eq!(findings[0].code.name(), "RUC_CHARACTERS_REMOVED");
//! ```

pub(crate) mod cedula;
pub(crate) mod employer;
pub(crate) mod normalize;
pub(crate) mod province;
pub(crate) mod ruc;
pub(crate) mod sri;
pub(crate) mod sucursal;

pub use cedula::{Id, IdKind, Province, check_digit, check_id};
pub use employer::{EmployerKind, check_employer};
pub use province::{catastro_file, parse_province, province_name, province_of};
pub use ruc::{
    Reading, Ruc, RucKind, Taxpayer, check_ruc, check_ruc_reading, company_check_digit,
    public_check_digit,
};
pub use sri::{Listed, Registered, RucStatus, parse_ruc_status};
pub(crate) use sucursal::check_sucursal;

use crate::finding::{Finding, Severity};
use normalize::{Cleaned, clean, scientific_width};

/// A normalised identifier: stored inline (no allocation) up to 24 bytes, which every
/// well-formed cédula, RUC and sucursal is.
pub(crate) type Value = compact_str::CompactString;

/// `value` with zeros in front up to `width` bytes (`1` → `0001`), without the formatting
/// machinery.
pub(crate) fn zero_pad(value: &str, width: usize) -> Value {
    const ZEROS: &str = "000000000000000000000000";
    let mut padded = Value::with_capacity(width.max(value.len()));
    let mut pad = width.saturating_sub(value.len());
    // In bulk: a push per character checks the string's inline or heap state each time.
    while pad > 0 {
        let n = pad.min(ZEROS.len());
        padded.push_str(&ZEROS[..n]);
        pad -= n;
    }
    padded.push_str(value);
    padded
}

/// What a standalone number turned out to be (`patronal id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberKind {
    /// A 10-digit cédula.
    Cedula,
    /// A foreigner's code (letters).
    Foreign,
    /// A 13-digit RUC, of this kind.
    Ruc(RucKind),
    /// Neither.
    Unknown,
}

impl NumberKind {
    /// The word the JSON output of `patronal id` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Cedula => "cedula",
            NumberKind::Foreign => "foreign",
            NumberKind::Ruc(RucKind::Natural) => "ruc_natural",
            NumberKind::Ruc(RucKind::Public) => "ruc_public",
            NumberKind::Ruc(RucKind::Company) => "ruc_company",
            NumberKind::Ruc(RucKind::Domestic) => "ruc_domestic",
            NumberKind::Ruc(RucKind::Unknown) => "ruc",
            NumberKind::Unknown => "unknown",
        }
    }
}

/// A standalone number, checked.
#[derive(Clone, Debug)]
pub struct NumberCheck {
    /// The number as given.
    pub input: String,
    /// What it turned out to be.
    pub kind: NumberKind,
    /// The normalised value, or the trimmed raw text.
    pub value: Value,
    /// What is wrong with it, most serious first.
    pub findings: Vec<Finding>,
}

impl NumberCheck {
    /// Valid when no finding is an error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.findings.iter().all(|f| f.severity() < Severity::Error)
    }
}

/// Checks a number given on its own: 12 digits or more → RUC (the domestic-service form
/// included; 12 is a RUC that lost its leading zero); letters → foreigner code; otherwise →
/// cédula (9 digits is a cédula that lost its leading zero).
pub fn check_number(raw: &str) -> NumberCheck {
    let is_ruc = match clean(raw) {
        Cleaned::Empty => false,
        Cleaned::Scientific => scientific_width(raw).is_some_and(|w| w > 11),
        // `17143071O3001` (a letter O typed for a zero) is a mistyped RUC, not a foreigner code.
        Cleaned::Value(v) => v.len() >= 12 && v.bytes().filter(u8::is_ascii_digit).count() >= 11,
    };
    let mut findings = Vec::new();
    let (kind, value) = if is_ruc {
        let ruc = check_ruc(raw, &mut findings);
        (NumberKind::Ruc(ruc.kind), ruc.value)
    } else {
        let id = check_id(raw, false, &mut findings);
        let kind = match id.kind {
            IdKind::Cedula => NumberKind::Cedula,
            IdKind::Foreign => NumberKind::Foreign,
            IdKind::Unknown => NumberKind::Unknown,
        };
        (kind, id.value)
    };
    NumberCheck {
        input: raw.to_owned(),
        kind,
        value,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::zero_pad;

    #[test]
    fn zero_pad_pads_to_the_width() {
        assert_eq!(zero_pad("1", 4), "0001");
        assert_eq!(zero_pad("0001", 4), "0001");
        assert_eq!(zero_pad("12345", 4), "12345");
        assert_eq!(zero_pad("", 2), "00");
        // Past the block of zeros kept for padding.
        assert_eq!(zero_pad("7", 30), format!("{:0>30}", "7"));
    }
}
