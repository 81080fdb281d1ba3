//! One roster record through every rule.

use crate::ecuador::{
    EmployerKind, Reading, RucKind, Taxpayer, check_employer, check_id, check_ruc_reading,
    check_sucursal,
};
use crate::ecuador::{IdKind, Value};
use crate::finding::{Code, Field, Finding, Verdict};
use crate::rules::email::check_email;
use crate::rules::values::{
    GivenStatus, YesNo, is_cedula_type, is_domestic_type, is_foreign_type, parse_given_status,
    parse_yes_no,
};

/// The cells of one record, by canonical field. `None`: the roster has no such column;
/// `Some("")`: the column exists and the cell is blank.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields<'a> {
    /// The employer's identification: cédula or IESS foreigner code.
    pub id: &'a str,
    /// The employer's RUC.
    pub ruc: &'a str,
    /// The IESS branch number; `0001` is assumed when absent or blank.
    pub sucursal: Option<&'a str>,
    /// The e-mail registered at IESS; without the column, no e-mail rule runs.
    pub email: Option<&'a str>,
    /// The RUC's status at the SRI (`ACTIVO`, `SUSPENDIDO`…).
    pub ruc_status: Option<&'a str>,
    /// A yes/no cell: yes means a first registration (`FIRST_KEY`).
    pub first_time: Option<&'a str>,
    /// A yes/no cell: no means a first registration (`FIRST_KEY`).
    pub has_key: Option<&'a str>,
    /// The kind of employer: domestic service (`doméstico`) must use the cédula + `000` form.
    pub employer_type: Option<&'a str>,
    /// The kind of identification: a foreigner code (extranjero, pasaporte) skips the
    /// cédula rules; a cédula makes letters in `id` an error.
    pub id_type: Option<&'a str>,
    /// The SRI catastro's word on who holds the RUC (`TIPO_CONTRIBUYENTE`), when it has one.
    pub registry: Option<Taxpayer>,
}

/// A record after the per-record rules. Batch checks (duplicates, shared e-mails) and the
/// catastro add findings later; [`Checked::verdict`] reads them all.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The identification, normalised (a lost leading zero restored), or the trimmed raw
    /// text when it is unusable.
    pub id: Value,
    /// The RUC, normalised, or the trimmed raw text when it is unusable.
    pub ruc: Value,
    /// The sucursal padded to 4 digits (`0001` when assumed), or the trimmed raw text when
    /// it is unusable.
    pub sucursal: Value,
    /// Who the employer is: the report's `employer_kind`.
    pub kind: EmployerKind,
    /// What the RUC's digits (or the catastro) say it is.
    pub ruc_kind: RucKind,
    /// A company or public RUC whose check digit could not be verified.
    pub ruc_unverified: bool,
    /// The roster's own RUC status, if it had one.
    pub ruc_status: Option<GivenStatus>,
    /// A 64-bit hash of the usable e-mail address, lowercased, for the shared-address check
    /// (a hash, not the text: the batch check keeps one per distinct address).
    pub email_key: Option<u64>,
    /// Every finding, in the order the rules raised them.
    pub findings: Vec<Finding>,
}

impl Checked {
    /// What the findings mean for the key recovery: the worst severity decides.
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.findings)
    }
}

/// Runs every per-record rule; every finding is kept, not only the first.
pub fn check_record(f: &Fields) -> Checked {
    check_record_in(f, Vec::new())
}

/// [`check_record`], with the findings in `findings` (cleared first): a caller checking
/// many records passes the vector of an earlier one and saves its allocation.
pub fn check_record_in(f: &Fields, mut findings: Vec<Finding>) -> Checked {
    findings.clear();
    let foreign = f.id_type.is_some_and(is_foreign_type);
    let domestic = f.employer_type.is_some_and(is_domestic_type);
    let mut id = check_id(f.id, foreign, &mut findings);
    // The roster says it is a cédula: letters in it are a typo, not a foreigner code.
    if id.kind == IdKind::Foreign && f.id_type.is_some_and(is_cedula_type) {
        findings.retain(|x| x.code != Code::IdForeignUnverified);
        findings.push(Finding::new(Code::IdFormat));
        id.kind = IdKind::Unknown;
    }
    let reading = Reading {
        cedula: (id.kind == IdKind::Cedula && id.value.len() == 10).then_some(id.value.as_str()),
        registry: f.registry,
    };
    let ruc = check_ruc_reading(f.ruc, reading, &mut findings);
    let sucursal = check_sucursal(f.sucursal, &mut findings);
    let kind = check_employer(&id, &ruc, &sucursal, domestic, f.registry, &mut findings);
    let email_key = f
        .email
        .and_then(|e| check_email(e, &mut findings))
        .map(|e| email_hash(e.as_bytes()));

    let ruc_status = f.ruc_status.and_then(parse_given_status);
    match &ruc_status {
        Some(GivenStatus::NotActive(s)) => {
            findings.push(Finding::with_detail(Code::RucNotActive, s.clone()));
        }
        Some(GivenStatus::Unknown(s)) => {
            findings.push(Finding::with_detail(Code::RucStatusUnknown, s.clone()));
        }
        Some(GivenStatus::Active) | None => {}
    }

    let first_time = f.first_time.map_or(YesNo::Empty, parse_yes_no);
    let has_key = f.has_key.map_or(YesNo::Empty, parse_yes_no);
    if first_time == YesNo::Yes {
        findings.push(Finding::new(Code::FirstKey));
    } else if has_key == YesNo::No {
        findings.push(Finding::new(Code::FirstKey).on(Field::HasKey));
    }
    for (value, raw, field) in [
        (first_time, f.first_time, Field::FirstTime),
        (has_key, f.has_key, Field::HasKey),
    ] {
        if value == YesNo::Unparseable {
            let raw = raw.unwrap_or_default().trim();
            findings.push(Finding::with_detail(Code::ValueUnparseable, raw).on(field));
        }
    }

    Checked {
        id: id.value,
        ruc: ruc.value,
        sucursal,
        kind,
        ruc_kind: ruc.kind,
        ruc_unverified: ruc.unverified,
        ruc_status,
        email_key,
        findings,
    }
}

/// The e-mail key: foldhash (eight bytes at a time, well mixed), with a fixed seed so that
/// runs are reproducible. A collision between two addresses of one run is about a 1 in 2^64
/// event per pair.
fn email_hash(bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(f: Fields) -> (Verdict, Vec<&'static str>) {
        let c = check_record(&f);
        (
            c.verdict(),
            c.findings.iter().map(|f| f.code.name()).collect(),
        )
    }

    fn base() -> Fields<'static> {
        Fields {
            id: "1714307103",
            ruc: "1714307103001",
            sucursal: Some("0001"),
            email: Some("ana@gmail.com"),
            ..Fields::default()
        }
    }

    #[test]
    fn a_clean_record_is_ready() {
        assert_eq!(codes(base()), (Verdict::Ready, vec![]));
    }

    #[test]
    fn every_finding_is_reported() {
        let f = Fields {
            id: "926687856",
            ruc: "1714307104001",
            sucursal: None,
            email: Some("no tiene"),
            ruc_status: Some("SUSPENDIDO"),
            first_time: Some("sí"),
            ..Fields::default()
        };
        assert_eq!(
            codes(f),
            (
                Verdict::Invalid,
                vec![
                    "ID_LEADING_ZERO_RESTORED",
                    "RUC_CHECKSUM",
                    "SUCURSAL_ASSUMED",
                    "RUC_ID_MISMATCH",
                    "EMAIL_PLACEHOLDER",
                    "RUC_NOT_ACTIVE",
                    "FIRST_KEY"
                ]
            )
        );
    }

    #[test]
    fn in_person_triggers() {
        let f = |g: fn(&mut Fields)| {
            let mut f = base();
            g(&mut f);
            codes(f)
        };
        assert_eq!(
            f(|f| f.email = Some("")),
            (Verdict::InPerson, vec!["EMAIL_MISSING"])
        );
        assert_eq!(
            f(|f| f.ruc_status = Some("pasivo")),
            (Verdict::InPerson, vec!["RUC_NOT_ACTIVE"])
        );
        assert_eq!(
            f(|f| f.first_time = Some("x")),
            (Verdict::InPerson, vec!["FIRST_KEY"])
        );
        assert_eq!(
            f(|f| f.has_key = Some("no")),
            (Verdict::InPerson, vec!["FIRST_KEY"])
        );
        assert_eq!(f(|f| f.has_key = Some("sí")), (Verdict::Ready, vec![]));
        assert_eq!(
            f(|f| f.first_time = Some("tal vez")),
            (Verdict::Ready, vec!["VALUE_UNPARSEABLE"])
        );
        assert_eq!(
            f(|f| f.ruc_status = Some("raro")),
            (Verdict::Ready, vec!["RUC_STATUS_UNKNOWN"])
        );
        // No e-mail column at all: nothing to say about e-mail.
        assert_eq!(f(|f| f.email = None), (Verdict::Ready, vec![]));
    }

    #[test]
    fn types_change_the_rules() {
        let mut f = base();
        f.id_type = Some("Pasaporte");
        f.id = "AB12345";
        f.ruc = "1790011674001";
        let c = check_record(&f);
        assert_eq!(c.kind, EmployerKind::Foreign);
        let mut f = base();
        f.employer_type = Some("Servicio doméstico");
        assert_eq!(codes(f).1, ["DOMESTIC_RUC_FORMAT"]);
        let mut f = base();
        f.id = "17143O7103";
        assert_eq!(codes(f).1, ["ID_FOREIGN_UNVERIFIED", "RUC_ID_MISMATCH"]);
        f.id_type = Some("Cédula");
        assert_eq!(codes(f).1, ["ID_FORMAT"]);
    }

    #[test]
    fn who_is_a_person() {
        // 0964244503: a Guayas cédula with third digit 6 whose RUC also verifies as a public
        // entity's (entity 096424450, establishment 3001).
        let run = |id: &'static str, ruc: &'static str, registry: Option<Taxpayer>| {
            let c = check_record(&Fields {
                id,
                ruc,
                sucursal: Some("0001"),
                registry,
                ..Fields::default()
            });
            let codes: Vec<&str> = c.findings.iter().map(|f| f.code.name()).collect();
            (c.kind, c.ruc_kind, codes)
        };
        // Without a catastro: the employer's own cédula makes it a person's RUC.
        assert_eq!(
            run("0964244503", "0964244503001", None),
            (EmployerKind::Natural, RucKind::Natural, vec![])
        );
        // Someone else's ID: a 10th digit other than 0 makes it a person's RUC all the same
        // (every public entity's has 0 there), whose cédula is not the employer's.
        assert_eq!(
            run("1714307103", "0964244503001", None),
            (
                EmployerKind::Natural,
                RucKind::Natural,
                vec!["RUC_ID_MISMATCH"]
            )
        );
        // The typo: `0962893971001` for the employer `0962893970` is an error, not a
        // public entity's RUC with two warnings.
        let (kind, ruc_kind, codes) = run("0962893970", "0962893971001", None);
        assert_eq!((kind, ruc_kind), (EmployerKind::Natural, RucKind::Natural));
        assert!(codes.contains(&"RUC_CHECKSUM"), "{codes:?}");
        assert!(codes.contains(&"RUC_ID_MISMATCH"), "{codes:?}");
        // The catastro says a person: the natural-person checks apply, the ID included.
        assert_eq!(
            run("1714307103", "0964244503001", Some(Taxpayer::Person)),
            (
                EmployerKind::Natural,
                RucKind::Natural,
                vec!["RUC_ID_MISMATCH"]
            )
        );
        // The catastro says a society: a public entity, whatever the ID.
        assert_eq!(
            run("0964244503", "0964244503001", Some(Taxpayer::Society)),
            (
                EmployerKind::Public,
                RucKind::Public,
                vec!["RUC_ESTABLISHMENT_UNUSUAL"]
            )
        );
        // A third-digit-6 person's RUC (the public check fails) that the catastro calls a
        // society: an unverifiable public entity.
        assert_eq!(
            run("0962467429", "0962467429001", Some(Taxpayer::Society)),
            (
                EmployerKind::Public,
                RucKind::Public,
                vec!["RUC_CHECK_UNVERIFIABLE", "RUC_ESTABLISHMENT_UNUSUAL"]
            )
        );
        // A company RUC of a person (a foreigner without cédula), a person's RUC of a
        // society: the kind follows the catastro; a society's RUC has no relation to the ID.
        assert_eq!(
            run("1714307103", "1790011674001", Some(Taxpayer::Person)),
            (EmployerKind::Natural, RucKind::Company, vec![])
        );
        assert_eq!(
            run("1714307103", "0428813992001", Some(Taxpayer::Society)),
            (EmployerKind::Company, RucKind::Natural, vec![])
        );
        assert_eq!(
            run("1714307103", "0428813992001", Some(Taxpayer::Person)),
            (
                EmployerKind::Natural,
                RucKind::Natural,
                vec!["RUC_ID_MISMATCH"]
            )
        );
    }
}
