//! The cédula (10 digits) and the employer's identification column, which may also hold an
//! IESS foreigner code.

use super::normalize::{Cleaned, clean, is_ascii_digits, removed};
use crate::finding::{Code, Detail, Field, Finding};

/// What the first two digits say about a province code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Province {
    /// `01`–`24`, or `30` (Ecuadorians registered abroad).
    Valid,
    /// `50`: used for some foreign residents; no official source.
    Unusual,
    /// Any other two digits: no such province.
    Invalid,
}

/// Classifies the province of `digits` (at least two ASCII digits).
pub fn province(digits: &[u8]) -> Province {
    match (digits[0] - b'0') * 10 + (digits[1] - b'0') {
        1..=24 | 30 => Province::Valid,
        50 => Province::Unusual,
        _ => Province::Invalid,
    }
}

/// The modulo-10 check digit of the first nine digits of `digits`.
pub fn check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let p = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            if p > 9 { p - 9 } else { p }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The defects of a 10-digit value, each checked independently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Defects {
    /// The province, first two digits.
    pub province: Province,
    /// Third digit above 6.
    pub third_digit: bool,
    /// The check digit does not match.
    pub checksum: bool,
}

impl Defects {
    /// The defects of the first ten digits of `digits` (ASCII digits).
    pub(crate) fn of(digits: &[u8]) -> Defects {
        debug_assert!(digits.len() >= 10 && digits[..10].iter().all(u8::is_ascii_digit));
        Defects {
            province: province(digits),
            third_digit: digits[2] > b'6',
            checksum: check_digit(digits) != digits[9] - b'0',
        }
    }

    /// Valid as a cédula (an unusual province is allowed).
    pub(crate) fn is_valid(self) -> bool {
        self.province != Province::Invalid && !self.third_digit && !self.checksum
    }
}

/// True when `s` is exactly a valid cédula: 10 ASCII digits, province, third digit, check digit.
pub(crate) fn is_valid(s: &str) -> bool {
    s.len() == 10 && is_ascii_digits(s) && Defects::of(s.as_bytes()).is_valid()
}

/// What the identification column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// A 10-digit cédula.
    Cedula,
    /// Letters: a foreigner's code.
    Foreign,
    /// Empty or unusable.
    Unknown,
}

/// A checked identification: the normalised value (or the trimmed raw text) and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Id {
    /// The normalised value, or the trimmed raw text.
    pub value: super::Value,
    /// What the column holds.
    pub kind: IdKind,
}

/// Checks the employer's identification. `declared_foreign` is true when the roster's
/// `id_type` says foreign/extranjero/pasaporte: the value is then a foreigner code and the
/// cédula rules do not apply.
pub fn check_id(raw: &str, declared_foreign: bool, out: &mut Vec<Finding>) -> Id {
    let unknown = |value: &str| Id {
        value: value.into(),
        kind: IdKind::Unknown,
    };
    if declared_foreign {
        return match clean(raw) {
            Cleaned::Empty => {
                out.push(Finding::new(Code::IdMissing));
                unknown("")
            }
            Cleaned::Value(v) if v.chars().all(|c| c.is_ascii_alphanumeric()) => {
                note_removed(raw, &v, Code::IdCharactersRemoved, out);
                out.push(Finding::new(Code::IdForeignUnverified));
                Id {
                    value: v.to_ascii_uppercase().into(),
                    kind: IdKind::Foreign,
                }
            }
            _ => {
                out.push(Finding::new(Code::IdFormat));
                unknown(raw.trim())
            }
        };
    }
    let value = match clean(raw) {
        Cleaned::Empty => {
            out.push(Finding::new(Code::IdMissing));
            return unknown("");
        }
        Cleaned::Scientific => {
            out.push(Finding::with_detail(Code::ExcelScientific, raw.trim()).on(Field::Id));
            return unknown(raw.trim());
        }
        Cleaned::Value(v) => v,
    };
    note_removed(raw, &value, Code::IdCharactersRemoved, out);
    if is_ascii_digits(&value) {
        match value.len() {
            10 => {
                push_defects(Defects::of(value.as_bytes()), out);
                return Id {
                    value: value.into(),
                    kind: IdKind::Cedula,
                };
            }
            9 => {
                let restored = super::zero_pad(&value, value.len() + 1);
                if is_valid(&restored) {
                    out.push(Finding::new(Code::IdLeadingZeroRestored));
                    return Id {
                        value: restored,
                        kind: IdKind::Cedula,
                    };
                }
            }
            _ => {}
        }
    } else if looks_like_foreign_code(&value) {
        out.push(Finding::new(Code::IdForeignUnverified));
        return Id {
            value: value.to_ascii_uppercase().into(),
            kind: IdKind::Foreign,
        };
    }
    out.push(Finding::new(Code::IdFormat));
    unknown(&value)
}

/// `code` (a `*_CHARACTERS_REMOVED` warning) naming what cleaning took out of `raw`, if
/// anything: a sign or a separator is never dropped in silence (docs/rules.md,
/// "Normalising"). `value` is what [`clean`] made of `raw`: as long as it, nothing was
/// removed (the usual cell, at the cost of one comparison).
#[inline]
pub(crate) fn note_removed(raw: &str, value: &str, code: Code, out: &mut Vec<Finding>) {
    if value.len() != raw.len() {
        name_removed(raw, code, out);
    }
}

/// [`note_removed`] once something was removed. Words that hold no digit (`no tiene`) are
/// no identifier: their spaces go unnamed; nor are the blanks around a cell.
#[cold]
#[inline(never)]
fn name_removed(raw: &str, code: Code, out: &mut Vec<Finding>) {
    if !raw.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    let what = removed(raw);
    if !what.is_empty() {
        out.push(Finding::with(code, Detail::Removed(what)));
    }
}

/// A foreigner code mixes ASCII letters and digits. Words alone (`no tiene`, `N/A`) are not
/// codes: they are reported as `ID_FORMAT`.
fn looks_like_foreign_code(v: &str) -> bool {
    v.chars().all(|c| c.is_ascii_alphanumeric())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && v.chars().any(|c| c.is_ascii_digit())
}

fn push_defects(d: Defects, out: &mut Vec<Finding>) {
    match d.province {
        Province::Valid => {}
        Province::Unusual => out.push(Finding::new(Code::IdProvinceUnusual)),
        Province::Invalid => out.push(Finding::new(Code::IdProvince)),
    }
    if d.third_digit {
        out.push(Finding::new(Code::IdThirdDigit));
    }
    if d.checksum {
        out.push(Finding::new(Code::IdChecksum));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(raw: &str, foreign: bool) -> (Id, Vec<&'static str>) {
        let mut out = Vec::new();
        let id = check_id(raw, foreign, &mut out);
        (id, out.iter().map(|f| f.code.name()).collect())
    }

    #[test]
    fn check_digit_follows_modulo_10() {
        assert_eq!(check_digit(b"1714307103"), 3);
        assert_eq!(check_digit(b"0926687856"), 6);
        assert_eq!(check_digit(b"1711000040"), 0);
    }

    #[test]
    fn valid_cedulas() {
        for s in [
            "1714307103",
            "0602910945",
            "0926687856",
            "3012345678",
            "1711000040",
        ] {
            assert!(is_valid(s), "{s}");
            let (id, c) = codes(s, false);
            assert_eq!((id.kind, c.len()), (IdKind::Cedula, 0), "{s}");
        }
    }

    #[test]
    fn each_defect_has_its_code() {
        assert_eq!(codes("1714307104", false).1, ["ID_CHECKSUM"]);
        assert_eq!(codes("2512345675", false).1, ["ID_PROVINCE"]);
        assert_eq!(codes("0012345674", false).1, ["ID_PROVINCE"]);
        assert_eq!(codes("1771234562", false).1, ["ID_THIRD_DIGIT"]);
        assert_eq!(codes("5012345673", false).1, ["ID_PROVINCE_UNUSUAL"]);
        // Every defect is reported, not only the first.
        assert_eq!(
            codes("8884307100", false).1,
            ["ID_PROVINCE", "ID_THIRD_DIGIT", "ID_CHECKSUM"]
        );
    }

    #[test]
    fn format_and_missing() {
        assert_eq!(codes("", false).1, ["ID_MISSING"]);
        assert_eq!(codes("  - ", false).1, ["ID_MISSING"]);
        assert_eq!(codes("17143071030", false).1, ["ID_FORMAT"]);
        assert_eq!(codes("1714307103001", false).1, ["ID_FORMAT"]);
        assert_eq!(codes("no tiene", false).1, ["ID_FORMAT"]);
        assert_eq!(codes("١٧١٤٣٠٧١٠٣", false).1, ["ID_FORMAT"]);
        let (id, c) = codes("1.71431E+9", false);
        assert_eq!(
            (id.value.as_str(), c),
            ("1.71431E+9", vec!["EXCEL_SCIENTIFIC"])
        );
    }

    #[test]
    fn leading_zero_is_restored_only_when_valid() {
        let (id, c) = codes("926687856", false);
        assert_eq!(
            (id.value.as_str(), c),
            ("0926687856", vec!["ID_LEADING_ZERO_RESTORED"])
        );
        // 0171430710 has third digit 7: not restored.
        let (id, c) = codes("171430710", false);
        assert_eq!((id.value.as_str(), c), ("171430710", vec!["ID_FORMAT"]));
        let (id, c) = codes("926687856.0", false);
        assert_eq!(id.value, "0926687856");
        assert_eq!(c, ["ID_CHARACTERS_REMOVED", "ID_LEADING_ZERO_RESTORED"]);
    }

    #[test]
    fn a_sign_or_a_separator_removed_is_named() {
        let mut out = Vec::new();
        let id = check_id("-1723468565", false, &mut out);
        assert_eq!((id.value.as_str(), id.kind), ("1723468565", IdKind::Cedula));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::IdCharactersRemoved);
        assert_eq!(
            out[0].message(crate::finding::Lang::En),
            "Characters were removed from the identification: the sign \"-\""
        );
        assert_eq!(
            out[0].message(crate::finding::Lang::Es),
            "Se quitaron caracteres de la identificación: el signo \"-\""
        );
        let (_, c) = codes("17.143.071-03", false);
        assert_eq!(c, ["ID_CHARACTERS_REMOVED"]);
        let (_, c) = codes(" 1714307103 ", false);
        assert!(
            c.is_empty(),
            "blanks around a cell are not the identifier's"
        );
    }

    #[test]
    fn foreigner_codes() {
        let (id, c) = codes("pa-123456", false);
        assert_eq!((id.kind, id.value.as_str()), (IdKind::Foreign, "PA123456"));
        assert_eq!(c, ["ID_CHARACTERS_REMOVED", "ID_FOREIGN_UNVERIFIED"]);
        // Declared foreign: digits are a code too, never checksummed.
        let (id, c) = codes("1714307104", true);
        assert_eq!(
            (id.kind, c),
            (IdKind::Foreign, vec!["ID_FOREIGN_UNVERIFIED"])
        );
        assert_eq!(codes("", true).1, ["ID_MISSING"]);
        assert_eq!(codes("a/b", true).1, ["ID_FORMAT"]);
    }
}
