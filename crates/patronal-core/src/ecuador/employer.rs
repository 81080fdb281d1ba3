//! The identification, RUC and sucursal checked together, as the portal's "Validar" does.

use serde::Serialize;

use super::cedula::{Id, IdKind};
use super::ruc::{Ruc, RucKind, Taxpayer};
use super::sucursal::HEAD_OFFICE;
use crate::finding::{Code, Finding};

/// Who the employer is, as the report's `employer_kind` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerKind {
    /// A natural person (RUC of a cédula).
    Natural,
    /// A public entity (third digit 6).
    Public,
    /// A company (third digit 9).
    Company,
    /// A domestic-service employer (cédula + `000`).
    Domestic,
    /// A foreigner without cédula.
    Foreign,
    /// Not told by the identifiers.
    Unknown,
}

impl EmployerKind {
    /// The word reports use (`employer_kind`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EmployerKind::Natural => "natural",
            EmployerKind::Public => "public",
            EmployerKind::Company => "company",
            EmployerKind::Domestic => "domestic",
            EmployerKind::Foreign => "foreign",
            EmployerKind::Unknown => "unknown",
        }
    }
}

/// Checks the identification against the RUC and sucursal, already checked on their own.
/// `declared_domestic` is true when the roster's `employer_type` says domestic service.
///
/// - A natural-person RUC, or one in the domestic form, must start with the employer's
///   cédula (`RUC_ID_MISMATCH`; a foreigner code never does). Company and public RUCs have
///   no relation to the ID (it is the legal representative's).
/// - A domestic-service employer needs RUC = cédula + `000` (`DOMESTIC_RUC_FORMAT`) and
///   sucursal `0001` (`DOMESTIC_SUCURSAL`).
/// - `registry`, the SRI catastro's word on who holds the RUC, decides between a person and
///   a society where the digits alone cannot: a society's RUC has no relation to the ID.
pub fn check_employer(
    id: &Id,
    ruc: &Ruc,
    sucursal: &str,
    declared_domestic: bool,
    registry: Option<Taxpayer>,
    out: &mut Vec<Finding>,
) -> EmployerKind {
    let id_is_cedula_shaped = id.value.len() == 10 && id.kind == IdKind::Cedula;
    let ruc_is_digits = ruc.value.len() == 13 && ruc.value.bytes().all(|b| b.is_ascii_digit());
    let prefix_matches = ruc_is_digits && id_is_cedula_shaped && ruc.value[..10] == id.value;
    // A foreigner code never matches: a person's RUC is built on a cédula, and foreigners
    // without one get a company-style RUC.
    let comparable = id_is_cedula_shaped || id.kind == IdKind::Foreign;
    let society = registry == Some(Taxpayer::Society) && ruc.kind == RucKind::Natural;
    if matches!(ruc.kind, RucKind::Natural | RucKind::Domestic)
        && comparable
        && !prefix_matches
        && !society
    {
        out.push(Finding::new(Code::RucIdMismatch));
    }
    let domestic = declared_domestic || ruc.kind == RucKind::Domestic;
    if declared_domestic && ruc_is_digits {
        let form_ok = if id_is_cedula_shaped {
            prefix_matches && ruc.value.ends_with("000")
        } else {
            ruc.value.ends_with("000")
        };
        if !form_ok {
            out.push(Finding::new(Code::DomesticRucFormat));
        }
    }
    // A sucursal that failed its own format check (`0000`, letters) is reported once, there.
    let sucursal_ok =
        sucursal.len() == 4 && sucursal.bytes().all(|b| b.is_ascii_digit()) && sucursal != "0000";
    if domestic && sucursal_ok && sucursal != HEAD_OFFICE {
        out.push(Finding::new(Code::DomesticSucursal));
    }
    if domestic {
        EmployerKind::Domestic
    } else {
        match (id.kind, ruc.kind) {
            (_, RucKind::Natural) if society => EmployerKind::Company,
            (_, RucKind::Natural) => EmployerKind::Natural,
            (IdKind::Cedula | IdKind::Unknown, RucKind::Company)
                if registry == Some(Taxpayer::Person) =>
            {
                EmployerKind::Natural
            }
            (_, RucKind::Public) => EmployerKind::Public,
            (IdKind::Foreign, RucKind::Company | RucKind::Unknown) => EmployerKind::Foreign,
            (_, RucKind::Company) => EmployerKind::Company,
            (_, RucKind::Domestic) => EmployerKind::Domestic,
            (_, RucKind::Unknown) => EmployerKind::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecuador::{check_id, check_ruc, check_sucursal};

    fn run(
        id: &str,
        ruc: &str,
        suc: Option<&str>,
        domestic: bool,
    ) -> (EmployerKind, Vec<&'static str>) {
        let mut out = Vec::new();
        let id = check_id(id, false, &mut out);
        let ruc = check_ruc(ruc, &mut out);
        let suc = check_sucursal(suc, &mut out);
        out.clear();
        let kind = check_employer(&id, &ruc, &suc, domestic, None, &mut out);
        (kind, out.iter().map(|f| f.code.name()).collect())
    }

    #[test]
    fn natural_ruc_must_start_with_the_cedula() {
        assert_eq!(
            run("1714307103", "1714307103001", Some("1"), false),
            (EmployerKind::Natural, vec![])
        );
        assert_eq!(
            run("0926687856", "1714307103001", Some("1"), false),
            (EmployerKind::Natural, vec!["RUC_ID_MISMATCH"])
        );
        // Companies and public entities: the ID is the legal representative's.
        assert_eq!(
            run("0926687856", "1790011674001", None, false),
            (EmployerKind::Company, vec![])
        );
        assert_eq!(
            run("0926687856", "1760001550001", None, false),
            (EmployerKind::Public, vec![])
        );
        assert_eq!(
            run("PA123456", "1790011674001", None, false),
            (EmployerKind::Foreign, vec![])
        );
    }

    #[test]
    fn domestic_service() {
        assert_eq!(
            run("1714307103", "1714307103000", Some("0001"), false),
            (EmployerKind::Domestic, vec![])
        );
        assert_eq!(
            run("1714307103", "1714307103000", None, true),
            (EmployerKind::Domestic, vec![])
        );
        assert_eq!(
            run("1714307103", "1714307103001", Some("0001"), true),
            (EmployerKind::Domestic, vec!["DOMESTIC_RUC_FORMAT"])
        );
        assert_eq!(
            run("1714307103", "1714307103000", Some("2"), false),
            (EmployerKind::Domestic, vec!["DOMESTIC_SUCURSAL"])
        );
        // `0000` is SUCURSAL_FORMAT already (raised by check_sucursal), not reported twice.
        assert_eq!(
            run("1714307103", "1714307103000", Some("0000"), false),
            (EmployerKind::Domestic, vec![])
        );
        assert_eq!(
            run("0926687856", "1714307103000", Some("1"), false),
            (EmployerKind::Domestic, vec!["RUC_ID_MISMATCH"])
        );
    }
}
