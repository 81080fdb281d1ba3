//! The SRI catastro: the taxpayer registry the SRI publishes as open data, reduced to what
//! `check` needs, RUC → status. Loaded from the published files (pipe-delimited CSV, or the
//! zip they come in) or from a compact index built once a month (`patronal catastro build`).
//!
//! Only the RUC and its status are kept: the catastro names natural persons, and nothing
//! else of it ever reaches a report.

mod index;
mod load;

use std::path::Path;

pub use index::{parse_index, read_index, write_index};
pub use load::load_csv;

use crate::ecuador::RucKind;
use crate::ecuador::normalize::digits_value;
use crate::i18n::{Localized, Message, errors};
use crate::rules::values::RucStatus;
use crate::rules::{Checked, Code, Finding};

/// A taxpayer status as the catastro stores it, in 3 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Status {
    Activo = 0,
    Suspendido = 1,
    Pasivo = 2,
    Cerrado = 3,
    Cancelado = 4,
    Inactivo = 5,
    Other = 6,
}

impl Status {
    pub fn parse(raw: &[u8]) -> Status {
        let raw = raw.trim_ascii();
        let is = |w: &str| raw.eq_ignore_ascii_case(w.as_bytes());
        if is("ACTIVO") || is("ACTIVA") {
            Status::Activo
        } else if is("SUSPENDIDO") || is("SUSPENDIDA") {
            Status::Suspendido
        } else if is("PASIVO") || is("PASIVA") {
            Status::Pasivo
        } else if is("CERRADO") || is("CERRADA") {
            Status::Cerrado
        } else if is("CANCELADO") || is("CANCELADA") {
            Status::Cancelado
        } else if is("INACTIVO") || is("INACTIVA") {
            Status::Inactivo
        } else {
            Status::Other
        }
    }

    fn from_bits(bits: u64) -> Status {
        match bits {
            0 => Status::Activo,
            1 => Status::Suspendido,
            2 => Status::Pasivo,
            3 => Status::Cerrado,
            4 => Status::Cancelado,
            5 => Status::Inactivo,
            _ => Status::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Activo => "ACTIVO",
            Status::Suspendido => "SUSPENDIDO",
            Status::Pasivo => "PASIVO",
            Status::Cerrado => "CERRADO",
            Status::Cancelado => "CANCELADO",
            Status::Inactivo => "INACTIVO",
            Status::Other => "OTRO",
        }
    }
}

/// RUC → status, as a sorted array of `ruc << 3 | status` (8 bytes per RUC), with a table
/// of where each range of 2^22 RUCs starts: a lookup touches the table and a handful of
/// entries instead of binary-searching millions (two cache misses instead of twenty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catastro {
    entries: Vec<u64>,
    /// `starts[b]..starts[b + 1]`: the entries whose RUC is in bucket `b`, that is
    /// `(ruc - base) >> BUCKET_SHIFT`.
    starts: Vec<u32>,
    /// The smallest RUC.
    base: u64,
}

const STATUS_BITS: u32 = 3;
const BUCKET_SHIFT: u32 = 22;

impl Catastro {
    fn with_entries(entries: Vec<u64>) -> Catastro {
        let base = entries.first().map_or(0, |&e| e >> STATUS_BITS);
        let bucket = |e: u64| (((e >> STATUS_BITS) - base) >> BUCKET_SHIFT) as usize;
        let buckets = entries.last().map_or(0, |&e| bucket(e) + 1);
        // Count the entries of each bucket, then sum: `starts[b]` is where bucket b begins.
        let mut starts = vec![0u32; buckets + 1];
        for &e in &entries {
            starts[bucket(e) + 1] += 1;
        }
        let mut sum = 0;
        for start in &mut starts {
            sum += *start;
            *start = sum;
        }
        Catastro {
            entries,
            starts,
            base,
        }
    }
}

impl Catastro {
    /// Builds from unsorted `(ruc, status)` pairs, one per catastro row. A RUC listed with
    /// several statuses (one row per establishment) keeps the most active one: the
    /// taxpayer's status is the same on every row of a consistent file.
    pub fn from_pairs(mut entries: Vec<u64>) -> Catastro {
        entries.sort_unstable();
        entries.dedup_by_key(|e| *e >> STATUS_BITS);
        Catastro::with_entries(entries)
    }

    pub fn pack(ruc: u64, status: Status) -> u64 {
        (ruc << STATUS_BITS) | status as u64
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Merges several catastros (several provinces' files).
    pub fn merge(parts: Vec<Catastro>) -> Catastro {
        let entries = parts.into_iter().flat_map(|c| c.entries).collect();
        Catastro::from_pairs(entries)
    }

    /// The bucket a RUC falls in, if it is not below the smallest one.
    fn bucket(&self, ruc: u64) -> Option<usize> {
        (ruc.checked_sub(self.base)? >> BUCKET_SHIFT)
            .try_into()
            .ok()
    }

    pub fn get(&self, ruc: u64) -> Option<Status> {
        let b = self.bucket(ruc)?;
        let (&lo, &hi) = (self.starts.get(b)?, self.starts.get(b + 1)?);
        let bucket = &self.entries[lo as usize..hi as usize];
        let key = ruc << STATUS_BITS;
        let i = bucket.partition_point(|&e| e < key);
        let e = *bucket.get(i)?;
        (e >> STATUS_BITS == ruc).then(|| Status::from_bits(e & 0b111))
    }

    /// Loads one path: an index (by its magic bytes), a zip of CSV files, or a CSV file.
    pub fn open(path: &Path) -> Result<Catastro, CatastroError> {
        let mut magic = [0u8; 8];
        let n = {
            use std::io::Read;
            let mut f = std::fs::File::open(path).map_err(|e| CatastroError::io(path, e))?;
            f.read(&mut magic).map_err(|e| CatastroError::io(path, e))?
        };
        if n == 8 && magic == index::MAGIC {
            read_index(path)
        } else if n >= 4 && magic[..4] == *b"PK\x03\x04" {
            load::load_zip(path)
        } else {
            let file = std::fs::File::open(path).map_err(|e| CatastroError::io(path, e))?;
            load_csv(path, file)
        }
    }

    /// The catastro's verdict on a checked record, after the roster's own status:
    /// present and not active → `RUC_NOT_ACTIVE`; the roster disagrees → `RUC_STATUS_CONFLICT`
    /// and the catastro wins; absent → `RUC_NOT_REGISTERED` for a company or public RUC whose
    /// check digit could not be verified, else `RUC_NOT_IN_CATASTRO`. The domestic-service
    /// form and RUCs that are not 13 digits are not looked up.
    pub fn apply(&self, checked: &mut Checked) {
        if let Some(ruc) = lookup_key(checked) {
            self.apply_found(checked, self.get(ruc));
        }
    }

    /// [`Catastro::apply`] on many records. The catastro is too large for the processor's
    /// caches, so each lookup costs two cache misses (the bucket table, then the entries):
    /// here every record's bucket, then every record's entries, are loaded in passes of
    /// independent loads, whose misses overlap, before the lookups themselves.
    pub fn apply_all(&self, records: &mut [Checked]) {
        let keys: Vec<Option<u64>> = records.iter().map(lookup_key).collect();
        let mut loaded = 0u64;
        for b in keys.iter().flatten().filter_map(|&ruc| self.bucket(ruc)) {
            loaded ^= u64::from(self.starts.get(b).copied().unwrap_or(0));
        }
        for b in keys.iter().flatten().filter_map(|&ruc| self.bucket(ruc)) {
            let start = self.starts.get(b).copied().unwrap_or(0) as usize;
            loaded ^= self.entries.get(start).copied().unwrap_or(0);
        }
        std::hint::black_box(loaded);
        for (checked, key) in records.iter_mut().zip(keys) {
            if let Some(ruc) = key {
                self.apply_found(checked, self.get(ruc));
            }
        }
    }

    fn apply_found(&self, checked: &mut Checked, status: Option<Status>) {
        let Some(status) = status else {
            let code = if checked.ruc_unverified {
                Code::RucNotRegistered
            } else {
                Code::RucNotInCatastro
            };
            checked.findings.push(Finding::new(code));
            return;
        };
        // The catastro wins over the roster's own status.
        checked
            .findings
            .retain(|f| !matches!(f.code, Code::RucNotActive | Code::RucStatusUnknown));
        if status != Status::Activo {
            checked
                .findings
                .push(Finding::with_detail(Code::RucNotActive, status.as_str()));
        }
        let disagrees = match &checked.ruc_status {
            None => false,
            Some(RucStatus::Active) => status != Status::Activo,
            Some(RucStatus::NotActive(s)) => Status::parse(s.as_bytes()) != status,
            Some(RucStatus::Unknown(_)) => true,
        };
        if disagrees {
            checked.findings.push(Finding::with_detail(
                Code::RucStatusConflict,
                status.as_str(),
            ));
        }
    }
}

/// The RUC a record is looked up by: a natural, public or company RUC of 13 digits.
fn lookup_key(checked: &Checked) -> Option<u64> {
    if !matches!(
        checked.ruc_kind,
        RucKind::Natural | RucKind::Public | RucKind::Company
    ) {
        return None;
    }
    digits_value(&checked.ruc, 13)
}

/// Why a catastro cannot be used. One line naming the file; [`Localized`] gives it in the
/// user's language.
#[derive(Debug, thiserror::Error)]
pub enum CatastroError {
    #[error("{}", self.message())]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    Unusable { path: String, reason: Message },
}

impl Localized for CatastroError {
    fn message(&self) -> Message {
        match self {
            CatastroError::Io { path, source } => errors::CANNOT_READ_BECAUSE
                .with("path", path)
                .with_io(source),
            CatastroError::Unusable { path, reason } => errors::ROSTER_REASON
                .with("path", path)
                .with_msg("reason", reason.clone()),
        }
    }
}

impl CatastroError {
    pub fn io(path: &Path, source: std::io::Error) -> CatastroError {
        CatastroError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub fn unusable(path: &Path, reason: Message) -> CatastroError {
        CatastroError::Unusable {
            path: path.display().to_string(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let c = Catastro::from_pairs(vec![
            Catastro::pack(1790011674001, Status::Activo),
            Catastro::pack(428813992001, Status::Suspendido),
            Catastro::pack(428813992001, Status::Suspendido),
            Catastro::pack(1839879739001, Status::Pasivo),
            Catastro::pack(1839879739001, Status::Activo),
        ]);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(1790011674001), Some(Status::Activo));
        assert_eq!(c.get(428813992001), Some(Status::Suspendido));
        assert_eq!(
            c.get(1839879739001),
            Some(Status::Activo),
            "the most active row wins"
        );
        assert_eq!(c.get(1790011674002), None);
        assert_eq!(c.get(0), None);
        assert_eq!(c.get(9_999_999_999_999), None);
        assert_eq!(Catastro::default().get(1790011674001), None);
        assert_eq!(Status::parse(b" pasivo "), Status::Pasivo);
        assert_eq!(Status::parse(b"EN TRAMITE"), Status::Other);
    }

    #[test]
    fn many_records_at_once_get_what_one_at_a_time_gets() {
        use crate::rules::{Fields, check_record};
        let c = Catastro::from_pairs(vec![
            Catastro::pack(1790011674001, Status::Activo),
            Catastro::pack(428813992001, Status::Suspendido),
            Catastro::pack(1839879739001, Status::Pasivo),
        ]);
        let rucs = [
            "1790011674001",
            "0428813992001",
            "1839879739001",
            "1714307103001",
            "1839879739000",
            "",
            "17900116",
            "9999999999999",
        ];
        let records: Vec<_> = rucs
            .iter()
            .map(|ruc| {
                check_record(&Fields {
                    ruc,
                    ruc_status: Some("ACTIVO"),
                    ..Fields::default()
                })
            })
            .collect();
        let mut one = records.clone();
        for r in &mut one {
            c.apply(r);
        }
        let mut all = records;
        c.apply_all(&mut all);
        let codes = |v: &[Checked]| -> Vec<Vec<&str>> {
            v.iter()
                .map(|r| r.findings.iter().map(|f| f.code.name()).collect())
                .collect()
        };
        assert_eq!(codes(&one), codes(&all));
        assert!(codes(&all)[1].contains(&"RUC_NOT_ACTIVE"));
        assert!(codes(&all)[3].contains(&"RUC_NOT_IN_CATASTRO"));
    }
}
