//! The SRI catastro's verdict on a record: the rules that run when the roster is checked
//! against the registry (the lookups themselves are [`crate::catastro`]'s).

use crate::catastro::{Registered, Status};
use crate::ecuador::normalize::digits_value;
use crate::ecuador::{RucKind, Taxpayer};
use crate::rules::values::{RucStatus, status_word};
use crate::rules::{Checked, Code, Detail, Finding};

/// The catastro's verdict on a checked record, from what the catastro has for its RUC
/// (`found`; `raw_status` gives a status that is not one of the SRI's words, as written):
/// present and not active → `RUC_NOT_ACTIVE`; present with a status that is not one of the
/// SRI's words → `RUC_STATUS_UNKNOWN`, quoting it; the roster disagrees →
/// `RUC_STATUS_CONFLICT` and the catastro wins; absent → `RUC_NOT_REGISTERED` for a
/// company or public RUC whose check digit could not be verified, else
/// `RUC_NOT_IN_CATASTRO`.
pub(crate) fn verdict<'a>(
    checked: &mut Checked,
    found: Option<Registered>,
    raw_status: impl FnOnce(u16) -> &'a str,
) {
    let Some(found) = found else {
        let code = if checked.ruc_unverified {
            Code::RucNotRegistered
        } else {
            Code::RucNotInCatastro
        };
        checked.findings.push(Finding::new(code));
        return;
    };
    let word = match found.status {
        Status::Word(w) => w,
        Status::Unknown(i) => {
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
        Some(RucStatus::Active) => !word.is_active(),
        Some(RucStatus::NotActive(s)) => status_word(s) != Some(word),
        Some(RucStatus::Unknown(_)) => true,
    };
    if disagrees {
        checked
            .findings
            .push(Finding::with_detail(Code::RucStatusConflict, word.as_str()));
    }
}

/// Whether a record was read as another kind of taxpayer than the catastro's `taxpayer`:
/// a person's RUC read as a public entity's or a company's, a society's as a person's.
pub(crate) fn read_otherwise(checked: &Checked, taxpayer: Taxpayer) -> bool {
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
