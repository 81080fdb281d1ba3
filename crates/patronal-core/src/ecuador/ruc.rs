//! The RUC (13 digits): natural persons, public entities, companies, and the IESS
//! domestic-service form (cédula + `000`).

use super::cedula::{self, Defects, Province, note_removed};
use super::normalize::{Cleaned, clean, is_ascii_digits};
use crate::finding::{Code, Detail, Field, Finding};

/// The SRI's "consumidor final": not a taxpayer's RUC.
pub(crate) const CONSUMIDOR_FINAL: &str = "9999999999999";

/// The kind of taxpayer a RUC belongs to, by its third digit and the check that verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RucKind {
    /// Third digit 0–5 (or 6 verifying as a cédula): cédula + establishment.
    Natural,
    /// Third digit 6: 9 digits + 4-digit establishment.
    Public,
    /// Third digit 9: private companies and foreigners without cédula.
    Company,
    /// The IESS domestic-service form: a valid cédula + `000`.
    Domestic,
    /// None of these: an unusable value, a third digit of no kind, the consumidor final.
    Unknown,
}

/// A checked RUC: the normalised value (or the trimmed raw text) and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ruc {
    /// The normalised value, or the trimmed raw text.
    pub value: super::Value,
    /// Its kind, by the third digit and the check that verified.
    pub kind: RucKind,
    /// A company or public RUC that failed every check digit rule (`RUC_CHECK_UNVERIFIABLE`):
    /// the SRI catastro decides whether it exists.
    pub unverified: bool,
}

/// Who the SRI catastro says holds a RUC (its `TIPO_CONTRIBUYENTE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxpayer {
    /// `PERSONA NATURAL`.
    Person,
    /// `SOCIEDAD` (companies and public entities).
    Society,
}

/// What chooses between the readings of a RUC whose digits allow more than one (a third
/// digit 6 that verifies both as a public entity and as a cédula). Default: the digits alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading<'a> {
    /// The employer's cédula (10 digits, verified): a RUC that starts with it and verifies
    /// as a natural person's is one.
    pub cedula: Option<&'a str>,
    /// The SRI catastro's word, which decides when given.
    pub registry: Option<Taxpayer>,
}

/// The public-entity weights: over 8 digits, check in the 9th.
pub(crate) const PUBLIC_WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// The company weights: over 9 digits, check in the 10th.
pub(crate) const COMPANY_WEIGHTS: [u32; 9] = [4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The check digit of a company RUC's first nine digits (ASCII); `None` when modulo 11
/// leaves no digit. For generated numbers (`patronal sample`) and tests.
pub fn company_check_digit(head: &[u8]) -> Option<u8> {
    modulo_11_digit(head, &COMPANY_WEIGHTS)
}

/// The check digit of a public entity's RUC, over its first eight digits (ASCII); `None`
/// when modulo 11 leaves no digit.
pub fn public_check_digit(head: &[u8]) -> Option<u8> {
    modulo_11_digit(head, &PUBLIC_WEIGHTS)
}

/// The modulo-11 check digit of the ASCII digits `head` with `weights`; `None` when the
/// remainder is 1, which would need a check digit of 10.
pub(crate) fn modulo_11_digit(head: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = head
        .iter()
        .zip(weights)
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some((11 - r) as u8),
    }
}

/// Modulo 11 with `weights` over the leading digits, compared with the digit that follows
/// them.
fn modulo_11(digits: &[u8], weights: &[u32]) -> bool {
    let n = weights.len();
    modulo_11_digit(&digits[..n], weights) == Some(digits[n] - b'0')
}

/// The public-entity check: [`PUBLIC_WEIGHTS`] over 8 digits, check in the 9th.
pub(crate) fn public_verifies(digits: &[u8]) -> bool {
    modulo_11(digits, &PUBLIC_WEIGHTS)
}

/// The company check: [`COMPANY_WEIGHTS`] over 9 digits, check in the 10th.
pub(crate) fn company_verifies(digits: &[u8]) -> bool {
    modulo_11(digits, &COMPANY_WEIGHTS)
}

/// Checks a RUC cell on its own (the employer's cédula is compared elsewhere).
pub fn check_ruc(raw: &str, out: &mut Vec<Finding>) -> Ruc {
    check_ruc_reading(raw, Reading::default(), out)
}

/// [`check_ruc`], with what is known beyond the digits to choose among their readings.
pub fn check_ruc_reading(raw: &str, reading: Reading, out: &mut Vec<Finding>) -> Ruc {
    let unknown = |value: &str| Ruc {
        value: value.into(),
        kind: RucKind::Unknown,
        unverified: false,
    };
    let value = match clean(raw) {
        Cleaned::Empty => {
            out.push(Finding::new(Code::RucMissing));
            return unknown("");
        }
        Cleaned::Scientific => {
            out.push(Finding::with_detail(Code::ExcelScientific, raw.trim()).on(Field::Ruc));
            return unknown(raw.trim());
        }
        Cleaned::Value(v) => v,
    };
    note_removed(raw, &value, Code::RucCharactersRemoved, out);
    if is_ascii_digits(&value) {
        match value.len() {
            13 => {
                let (kind, unverified) = check_digits(value.as_bytes(), reading, out);
                return Ruc {
                    value: value.into(),
                    kind,
                    unverified,
                };
            }
            12 => {
                let restored = super::zero_pad(&value, value.len() + 1);
                let mut findings = Vec::new();
                let (kind, unverified) = check_digits(restored.as_bytes(), reading, &mut findings);
                if findings
                    .iter()
                    .all(|f| f.severity() < crate::finding::Severity::Error)
                {
                    out.push(Finding::new(Code::RucLeadingZeroRestored));
                    out.append(&mut findings);
                    return Ruc {
                        value: restored,
                        kind,
                        unverified,
                    };
                }
            }
            _ => {}
        }
    }
    out.push(Finding::new(Code::RucFormat));
    unknown(&value)
}

/// Why a natural person's RUC fails: its first ten digits are not a valid cédula.
const PERSON: Detail = Detail::Words {
    en: "a natural person's RUC is a valid cédula followed by its establishment",
    es: "el RUC de una persona natural es una cédula válida seguida del establecimiento",
};

/// Why a third-digit-6 RUC whose 10th digit is not 0 fails (docs/rules.md, "What real
/// registries teach").
const PERSON_SIX: Detail = Detail::Words {
    en: "a third-digit-6 RUC whose 10th digit is not 0 is a natural person's: a valid cédula followed by its establishment",
    es: "un RUC con tercer dígito 6 y décimo dígito distinto de 0 es de persona natural: una cédula válida seguida del establecimiento",
};

/// Why a company RUC whose fourth digit is 0 fails (docs/rules.md, "What real registries
/// teach").
const FORMULA_ERA: Detail = Detail::Words {
    en: "a company RUC with 0 as its fourth digit comes from the SRI's formula, and every such RUC in the SRI's registry verifies",
    es: "un RUC de sociedad con 0 como cuarto dígito viene de la fórmula del SRI, y todos los de ese tipo en el registro del SRI la cumplen",
};

/// The rules for 13 ASCII digits; returns the kind and whether the check digit was
/// unverifiable (docs/rules.md, "The rules" and "Sources of doubt").
fn check_digits(d: &[u8], reading: Reading, out: &mut Vec<Finding>) -> (RucKind, bool) {
    if d == CONSUMIDOR_FINAL.as_bytes() {
        out.push(Finding::new(Code::RucConsumidorFinal));
        return (RucKind::Unknown, false);
    }
    let province = cedula::province(d);
    match province {
        Province::Valid => {}
        Province::Unusual => out.push(Finding::new(Code::RucProvinceUnusual)),
        Province::Invalid => out.push(Finding::new(Code::RucProvince)),
    }
    let is_cedula = |d: &[u8]| {
        let defects = Defects::of(d);
        !defects.third_digit && !defects.checksum
    };
    let public_ok = d[2] == b'6' && public_verifies(d);
    // Every public entity's RUC has 0 as its 10th digit (its establishment is 0001): a
    // third digit 6 followed by another 10th digit is a natural person's RUC.
    let person_six = d[2] == b'6' && d[9] != b'0';
    // A public RUC that verifies keeps its reading (`1760001550000`: entity 176000155, establishment 0000)
    // even though its first 10 digits also pass as a cédula with third digit 6, unless it
    // starts with the employer's own cédula (a natural person's RUC, as the SRI registry
    // lists `096…` ones) or the catastro says whose it is.
    let public = match reading.registry {
        Some(Taxpayer::Person) => false,
        Some(Taxpayer::Society) => d[2] == b'6',
        None => {
            let own = reading.cedula.is_some_and(|c| c.as_bytes() == &d[..10]);
            !person_six && public_ok && !(own && is_cedula(d))
        }
    };
    if province != Province::Invalid && &d[10..] == b"000" && is_cedula(d) && !public {
        return (RucKind::Domestic, false);
    }
    let checksum = |detail: Detail| Finding::with(Code::RucChecksum, detail);
    let (kind, unverified, establishment) = match d[2] {
        b'0'..=b'5' => {
            if !is_cedula(d) {
                out.push(checksum(PERSON));
            }
            (RucKind::Natural, false, &d[10..])
        }
        b'6' if public => (RucKind::Public, !public_ok, &d[9..]),
        // The SRI issued some natural-person RUCs with a third digit 6.
        b'6' if is_cedula(d) => (RucKind::Natural, false, &d[10..]),
        // A person's by its 10th digit, or by the catastro's word: the digits must then be a
        // cédula's.
        b'6' if person_six || reading.registry == Some(Taxpayer::Person) => {
            out.push(checksum(if person_six { PERSON_SIX } else { PERSON }));
            (RucKind::Natural, false, &d[10..])
        }
        b'6' => (RucKind::Public, true, &d[9..]),
        b'9' if company_verifies(d) => (RucKind::Company, false, &d[10..]),
        // A fourth digit 0: a number of the formula's era, which always verifies; failing,
        // it is mistyped.
        b'9' if d[3] == b'0' => {
            out.push(checksum(FORMULA_ERA));
            (RucKind::Company, false, &d[10..])
        }
        b'9' => (RucKind::Company, !public_verifies(d), &d[10..]),
        _ => {
            out.push(Finding::new(Code::RucThirdDigit));
            (RucKind::Unknown, false, &d[10..])
        }
    };
    if unverified {
        out.push(Finding::new(Code::RucCheckUnverifiable));
    }
    if establishment.iter().all(|&b| b == b'0') {
        out.push(Finding::new(Code::RucEstablishment));
    } else if !is_head_office(establishment) {
        out.push(Finding::new(Code::RucEstablishmentUnusual));
    }
    (kind, unverified)
}

/// `001` or `0001`.
fn is_head_office(establishment: &[u8]) -> bool {
    match establishment.split_last() {
        Some((b'1', rest)) => rest.iter().all(|&b| b == b'0'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(raw: &str) -> (Ruc, Vec<&'static str>) {
        let mut out = Vec::new();
        let ruc = check_ruc(raw, &mut out);
        (ruc, out.iter().map(|f| f.code.name()).collect())
    }

    #[test]
    fn natural_person() {
        let (r, c) = codes("1714307103001");
        assert_eq!((r.kind, c.len()), (RucKind::Natural, 0));
        assert_eq!(codes("1714307104001").1, ["RUC_CHECKSUM"]);
        assert_eq!(codes("1714307103002").1, ["RUC_ESTABLISHMENT_UNUSUAL"]);
        assert_eq!(
            codes("1714307104000").1,
            ["RUC_CHECKSUM", "RUC_ESTABLISHMENT"]
        );
    }

    #[test]
    fn public_entity() {
        let (r, c) = codes("1760001550001");
        assert_eq!((r.kind, c.len()), (RucKind::Public, 0));
        let (r, c) = codes("1760001550000");
        assert_eq!((r.kind, c), (RucKind::Public, vec!["RUC_ESTABLISHMENT"]));
        let (r, c) = codes("1760001550002");
        assert_eq!(
            (r.kind, c),
            (RucKind::Public, vec!["RUC_ESTABLISHMENT_UNUSUAL"])
        );
        // Fails the public check: tried as a natural person.
        let (r, c) = codes("0962467429001");
        assert_eq!((r.kind, c.len()), (RucKind::Natural, 0));
        let (r, c) = codes("1763154690001");
        assert_eq!((r.kind, r.unverified), (RucKind::Public, true));
        assert_eq!(c, ["RUC_CHECK_UNVERIFIABLE"]);
    }

    #[test]
    fn company() {
        let (r, c) = codes("1790011674001");
        assert_eq!(
            (r.kind, r.unverified, c.len()),
            (RucKind::Company, false, 0)
        );
        let (r, c) = codes("1793213150001");
        assert_eq!((r.kind, r.unverified), (RucKind::Company, true));
        assert_eq!(c, ["RUC_CHECK_UNVERIFIABLE"]);
        assert_eq!(codes("0992397535000").1, ["RUC_ESTABLISHMENT"]);
        assert_eq!(
            codes("1793213150000").1,
            ["RUC_CHECK_UNVERIFIABLE", "RUC_ESTABLISHMENT"]
        );
    }

    #[test]
    fn a_company_ruc_of_the_formula_era_must_verify() {
        // Fourth digit 0: the SRI's formula numbered it, and every such RUC of the SRI's
        // registry verifies (docs/rules.md): a failing one is a typo, an error.
        let (r, c) = codes("1790011675001");
        assert_eq!((r.kind, r.unverified), (RucKind::Company, false));
        assert_eq!(c, ["RUC_CHECKSUM"]);
        let mut out = Vec::new();
        check_ruc("1790011675001", &mut out);
        let en = out[0].message(crate::finding::Lang::En);
        assert!(
            en.contains("probably mistyped") && en.contains("fourth digit"),
            "{en}"
        );
        let es = out[0].message(crate::finding::Lang::Es);
        assert!(
            es.contains("mal digitado") && es.contains("cuarto dígito"),
            "{es}"
        );
        // Fourth digit 1 or more: the SRI no longer uses the formula, a warning only.
        let (r, c) = codes("1791011675001");
        assert_eq!((r.kind, r.unverified), (RucKind::Company, true));
        assert_eq!(c, ["RUC_CHECK_UNVERIFIABLE"]);
        assert_eq!(codes("1790011674001").1, Vec::<&str>::new());
    }

    #[test]
    fn third_digit_6_with_a_10th_digit_not_0_is_a_persons() {
        // `0962893971001` for the employer `0962893970`: a typo in a person's RUC, never a
        // public entity's (every public RUC has 0 as its 10th digit).
        let (r, c) = codes("0962893971001");
        assert_eq!(r.kind, RucKind::Natural);
        assert_eq!(c, ["RUC_CHECKSUM"]);
        // A valid cédula with third digit 6, then 001: a person's RUC.
        let (r, c) = codes("0962467429001");
        assert_eq!((r.kind, c.len()), (RucKind::Natural, 0));
        // 10th digit 0: a public entity's, as before.
        let (r, c) = codes("1760001550001");
        assert_eq!((r.kind, c.len()), (RucKind::Public, 0));
    }

    #[test]
    fn third_digit_province_and_special_values() {
        assert_eq!(codes("0170000610001").1, ["RUC_THIRD_DIGIT"]);
        assert_eq!(codes("8810034069001").1, ["RUC_PROVINCE"]);
        assert_eq!(codes("9999999999999").1, ["RUC_CONSUMIDOR_FINAL"]);
        assert_eq!(codes("5012345673001").1, ["RUC_PROVINCE_UNUSUAL"]);
    }

    #[test]
    fn domestic_form() {
        let (r, c) = codes("1714307103000");
        assert_eq!((r.kind, c.len()), (RucKind::Domestic, 0));
        let (r, c) = codes("1714307104000");
        assert_eq!(
            (r.kind, c),
            (RucKind::Natural, vec!["RUC_CHECKSUM", "RUC_ESTABLISHMENT"])
        );
    }

    #[test]
    fn format_missing_and_excel_damage() {
        assert_eq!(codes("").1, ["RUC_MISSING"]);
        assert_eq!(codes("179206034601").1, ["RUC_FORMAT"]);
        assert_eq!(codes("1714307103001001").1, ["RUC_FORMAT"]);
        assert_eq!(codes("17143071O3001").1, ["RUC_FORMAT"]);
        let (r, c) = codes("992397535001");
        assert_eq!(r.value, "0992397535001");
        assert_eq!(c, ["RUC_LEADING_ZERO_RESTORED"]);
        let (r, c) = codes("926687856001");
        assert_eq!(
            (r.value.as_str(), r.kind),
            ("0926687856001", RucKind::Natural)
        );
        assert_eq!(c, ["RUC_LEADING_ZERO_RESTORED"]);
        assert_eq!(codes("1.79001E+12").1, ["EXCEL_SCIENTIFIC"]);
        let (r, c) = codes("0926687856-001");
        assert_eq!(
            (r.value.as_str(), c),
            ("0926687856001", vec!["RUC_CHARACTERS_REMOVED"])
        );
    }

    #[test]
    fn modulo_11_remainder_one_never_verifies() {
        // 1,0,0,0,0,0,0,0 weighted: 3 → r = 3; 0,0,0,0,0,0,0,4 → 8; find r = 1 by search.
        let mut found = false;
        for n in 0..100_000u32 {
            let s = format!("{n:08}");
            let sum: u32 = s
                .bytes()
                .zip([3, 2, 7, 6, 5, 4, 3, 2])
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            if sum % 11 == 1 {
                for c in b'0'..=b'9' {
                    let mut d = s.clone().into_bytes();
                    d.push(c);
                    assert!(!public_verifies(&d));
                }
                found = true;
                break;
            }
        }
        assert!(found);
    }
}
