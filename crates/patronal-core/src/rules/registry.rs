//! The SRI catastro's verdict on a record: the rules that run on what the registry answers
//! for a RUC (the lookups themselves are the catastro's; the pipeline puts the two
//! together).

use crate::ecuador::normalize::digits_value;
use crate::ecuador::{
    Listed, Registered, RucKind, Taxpayer, catastro_file, parse_ruc_status, province_of,
};
use crate::finding::{Code, Detail, Finding};
use crate::rules::Checked;
use crate::rules::values::GivenStatus;

/// The catastro's answer applied to a checked record, after the roster's own status.
/// When the catastro says whose the RUC is (`PERSONA NATURAL`, `SOCIEDAD`) and the record
/// was read otherwise, `recheck` checks it again with that word ([`Fields::registry`]),
/// then [`verdict`] judges it. `found` is `None` when the RUC is not listed; `covered`
/// says whether the loaded files cover the RUC's province.
///
/// [`Fields::registry`]: crate::rules::Fields::registry
pub(crate) fn apply<'a>(
    checked: &mut Checked,
    found: Option<Registered>,
    covered: bool,
    raw_status: impl FnOnce(u16) -> &'a str,
    recheck: impl FnOnce(Taxpayer) -> Checked,
) {
    if let Some(t) = found.and_then(|f| f.taxpayer)
        && read_otherwise(checked, t)
    {
        *checked = recheck(t);
    }
    verdict(checked, found, covered, raw_status);
}

/// The file to load for a RUC whose province the catastro does not cover: the SRI's file
/// of that province (`SRI_RUC_Guayas`), or, for a province with no file of its own (`30`,
/// `50`), words that say so.
fn file_to_load(ruc: &str) -> Detail {
    match province_of(ruc).and_then(catastro_file) {
        Some(file) => Detail::Text(file.into()),
        None => Detail::Words {
            en: "the SRI's file where this RUC is registered",
            es: "el archivo del SRI donde está registrado este RUC",
        },
    }
}

/// The catastro's verdict on a checked record, from what the catastro has for its RUC
/// (`found`; `raw_status` gives a status that is not one of the SRI's words, as written):
/// present and not active → `RUC_NOT_ACTIVE`; present with a status that is not one of the
/// SRI's words → `RUC_STATUS_UNKNOWN`, quoting it; the roster disagrees →
/// `RUC_STATUS_CONFLICT` and the catastro wins; absent from files that cover its province
/// → `RUC_NOT_REGISTERED` for a company or public RUC whose check digit could not be
/// verified, else `RUC_NOT_IN_CATASTRO`; absent, its province covered by none of the files
/// → `RUC_PROVINCE_NOT_LOADED`, naming the file to load, never "not registered". A RUC the
/// catastro lists needs no check digit of its own: the registry has verified it (no
/// `RUC_CHECK_UNVERIFIABLE`, no formula-era `RUC_CHECKSUM` of a company). docs/rules.md,
/// "What real registries teach".
pub(crate) fn verdict<'a>(
    checked: &mut Checked,
    found: Option<Registered>,
    covered: bool,
    raw_status: impl FnOnce(u16) -> &'a str,
) {
    let Some(found) = found else {
        let finding = if !covered {
            Finding::with(Code::RucProvinceNotLoaded, file_to_load(&checked.ruc))
        } else if checked.ruc_unverified {
            Finding::new(Code::RucNotRegistered)
        } else {
            Finding::new(Code::RucNotInCatastro)
        };
        checked.findings.push(finding);
        return;
    };
    let company = checked.ruc_kind == RucKind::Company;
    checked.findings.retain(|f| {
        f.code != Code::RucCheckUnverifiable && !(company && f.code == Code::RucChecksum)
    });
    checked.ruc_unverified = false;
    let word = match found.status {
        Listed::Word(w) => w,
        Listed::Unknown(i) => {
            // The catastro does not say: the roster's own status stands.
            let raw = raw_status(i);
            checked.findings.push(Finding::with(
                Code::RucStatusUnknown,
                Detail::Catastro(raw.into()),
            ));
            return;
        }
    };
    // The catastro wins over the roster's own status.
    checked
        .findings
        .retain(|f| !matches!(f.code, Code::RucNotActive | Code::RucStatusUnknown));
    if !word.is_active() {
        checked
            .findings
            .push(Finding::with_detail(Code::RucNotActive, word.as_str()));
    }
    let disagrees = match &checked.ruc_status {
        None => false,
        Some(GivenStatus::Active) => !word.is_active(),
        Some(GivenStatus::NotActive(s)) => parse_ruc_status(s) != Some(word),
        Some(GivenStatus::Unknown(_)) => true,
    };
    if disagrees {
        checked
            .findings
            .push(Finding::with_detail(Code::RucStatusConflict, word.as_str()));
    }
}

/// Whether a record was read as another kind of taxpayer than the catastro's `taxpayer`:
/// a person's RUC read as a public entity's or a company's, a society's as a person's.
pub fn read_otherwise(checked: &Checked, taxpayer: Taxpayer) -> bool {
    use crate::ecuador::EmployerKind as K;
    match taxpayer {
        Taxpayer::Person => {
            checked.ruc_kind == RucKind::Public
                || (checked.ruc_kind == RucKind::Company && checked.kind == K::Company)
        }
        Taxpayer::Society => checked.ruc_kind == RucKind::Natural && checked.kind == K::Natural,
    }
}

/// The RUC a record is looked up by: a natural, public or company RUC of 13 digits.
pub(crate) fn lookup_key(checked: &Checked) -> Option<u64> {
    if !matches!(
        checked.ruc_kind,
        RucKind::Natural | RucKind::Public | RucKind::Company
    ) {
        return None;
    }
    digits_value(&checked.ruc, 13)
}
