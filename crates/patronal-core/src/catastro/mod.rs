//! The SRI catastro: the taxpayer registry the SRI publishes as open data, reduced to what
//! `check` needs, RUC → status and kind of taxpayer. Loaded from the published files
//! (pipe-delimited CSV, the zips they come in, copies saved as `.xlsx` or `.ods`) or from a
//! compact index built once a month (`patronal catastro build`).
//!
//! Only the RUC, its status and whether the taxpayer is a person or a society are kept: the
//! catastro names natural persons, and nothing else of it ever reaches a report.
//!
//! ```
//! use patronal_core::ecuador::{Listed, RucStatus};
//!
//! let csv = "NUMERO_RUC|ESTADO_CONTRIBUYENTE|TIPO_CONTRIBUYENTE\n\
//!            992397535001|SUSPENDIDO|SOCIEDAD\n";
//! let (catastro, load) = patronal_core::catastro::read_csv("SRI_RUC_Guayas.csv".as_ref(), csv.as_bytes()).unwrap();
//! assert_eq!(load.restored, 1, "the lost leading zero is restored");
//! let found = catastro.get(992_397_535_001).unwrap();
//! assert_eq!(found.status, Listed::Word(RucStatus::Suspendido));
//! ```

mod index;
mod load;
mod summary;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use index::{parse_index, read_index, write_index};
pub use load::{MAX_EXPANDED, MAX_LINE, load_csv, read_csv};
pub use summary::{CatastroLoad, Skip};

use crate::ecuador::{Listed, Registered, RucStatus, Taxpayer, parse_ruc_status};
use crate::i18n::{Localized, Message, errors};
use crate::roster::Content;

impl Listed {
    fn code(self) -> u64 {
        match self {
            Listed::Word(w) => w as u64,
            Listed::Unknown(i) => WORDS + u64::from(i),
        }
    }

    fn from_code(code: u64) -> Listed {
        match RucStatus::ALL.get(code as usize) {
            Some(&w) => Listed::Word(w),
            None => Listed::Unknown((code - WORDS) as u16),
        }
    }
}

/// RUC → status and taxpayer, as a sorted array of `ruc << 20 | status << 8 | taxpayer`
/// (8 bytes per RUC), with a table of where each range of 2^22 RUCs starts: a lookup touches
/// the table and a handful of entries instead of binary-searching millions (two cache misses
/// instead of twenty). Statuses that are not one of the SRI's words are kept as written, in
/// a small table of their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catastro {
    entries: Vec<u64>,
    /// `starts[b]..starts[b + 1]`: the entries whose RUC is in bucket `b`, that is
    /// `(ruc - base) >> BUCKET_SHIFT`.
    starts: Vec<u32>,
    /// The smallest RUC.
    base: u64,
    /// The statuses that are not SRI words, as written: `Listed::Unknown(i)` is `raw[i]`.
    raw: Vec<Box<str>>,
    /// The provinces the files cover, as a mask of province codes (bit 9: Guayas); `None`
    /// when the files do not say (every province is then taken as covered).
    pub(crate) coverage: Option<u32>,
}

/// Bits below the RUC: the status (12) and the taxpayer (8).
const TAG_BITS: u32 = 20;
const TAXPAYER_BITS: u32 = 8;
const BUCKET_SHIFT: u32 = 22;
/// Status codes below this are [`RucStatus`]s.
const WORDS: u64 = RucStatus::ALL.len() as u64;
/// Distinct statuses that are not SRI words kept as written; the rest share the last slot.
pub(crate) const MAX_RAW_STATUSES: usize = (1 << (TAG_BITS - TAXPAYER_BITS)) - WORDS as usize;
/// Characters of such a status kept.
const MAX_RAW_CHARS: usize = 64;
/// What the shared last slot says.
const RAW_OVERFLOW: &str = "…";

/// The province codes of a coverage mask, in order.
pub(crate) fn provinces_of(mask: u32) -> Vec<u8> {
    (1..=crate::ecuador::province::LAST_PROVINCE)
        .filter(|&p| mask & (1 << p) != 0)
        .collect()
}

const PERSON: u64 = 1;
const SOCIETY: u64 = 2;
const NO_TAXPAYER: u64 = 0xFF;

fn taxpayer_bits(taxpayer: Option<Taxpayer>) -> u64 {
    match taxpayer {
        Some(Taxpayer::Person) => PERSON,
        Some(Taxpayer::Society) => SOCIETY,
        None => NO_TAXPAYER,
    }
}

/// `TIPO_CONTRIBUYENTE` as the catastro writes it (`PERSONA NATURAL`, `SOCIEDAD`; older
/// files `PERSONAS NATURALES`, `SOCIEDADES`); `None` for anything else.
pub fn parse_taxpayer(raw: &str) -> Option<Taxpayer> {
    let folded = crate::text::fold(raw);
    match folded.as_str() {
        "personanatural" | "personasnaturales" => Some(Taxpayer::Person),
        "sociedad" | "sociedades" => Some(Taxpayer::Society),
        _ => None,
    }
}

/// The statuses that are not SRI words met while loading, each once.
#[derive(Debug, Default)]
pub(crate) struct RawStatuses {
    values: Vec<Box<str>>,
    index: HashMap<Box<str>, u16>,
}

impl RawStatuses {
    /// The status of a raw `ESTADO_CONTRIBUYENTE` value.
    pub(crate) fn status(&mut self, raw: &str) -> Listed {
        match parse_ruc_status(raw) {
            Some(w) => Listed::Word(w),
            None => Listed::Unknown(self.intern(crate::text::trim(raw))),
        }
    }

    fn intern(&mut self, raw: &str) -> u16 {
        let raw = match raw.char_indices().nth(MAX_RAW_CHARS) {
            Some((at, _)) => &raw[..at],
            None => raw,
        };
        if let Some(&i) = self.index.get(raw) {
            return i;
        }
        let raw = if self.values.len() + 1 >= MAX_RAW_STATUSES {
            RAW_OVERFLOW
        } else {
            raw
        };
        if let Some(&i) = self.index.get(raw) {
            return i;
        }
        let i = self.values.len() as u16;
        self.values.push(raw.into());
        self.index.insert(raw.into(), i);
        i
    }

    /// The value kept at `i`; empty when there is none.
    pub(crate) fn get(&self, i: u16) -> &str {
        self.values.get(usize::from(i)).map_or("", |s| s)
    }

    fn into_values(self) -> Vec<Box<str>> {
        self.values
    }
}

impl Catastro {
    fn with_entries(entries: Vec<u64>, raw: Vec<Box<str>>) -> Catastro {
        let base = entries.first().map_or(0, |&e| e >> TAG_BITS);
        let bucket = |e: u64| (((e >> TAG_BITS) - base) >> BUCKET_SHIFT) as usize;
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
            raw,
            coverage: None,
        }
    }

    /// Whether the loaded files cover the province of `ruc` (its digits as a number): a
    /// RUC absent from files that do not cover its province may well be registered
    /// (docs/rules.md, "What real registries teach"). Always true when the files do not
    /// say which provinces they cover.
    pub fn covers(&self, ruc: u64) -> bool {
        match self.coverage {
            None => true,
            Some(mask) => {
                let province = ruc / 100_000_000_000;
                province <= u64::from(crate::ecuador::province::LAST_PROVINCE)
                    && mask & (1 << province) != 0
            }
        }
    }

    /// The province codes the files cover, in order; `None` when they do not say.
    pub fn provinces(&self) -> Option<Vec<u8>> {
        self.coverage.map(provinces_of)
    }

    /// Builds from unsorted entries ([`Catastro::pack`]), one per catastro row, whose
    /// unknown statuses are in `raw`. A RUC listed with several statuses (one row per
    /// establishment) keeps the most active one: the taxpayer's status is the same on every
    /// row of a consistent file.
    pub(crate) fn from_pairs(mut entries: Vec<u64>, raw: RawStatuses) -> Catastro {
        entries.sort_unstable();
        entries.dedup_by_key(|e| *e >> TAG_BITS);
        Catastro::with_entries(entries, raw.into_values())
    }

    /// One entry of the index: the RUC, then its status and taxpayer in the low bits.
    pub fn pack(ruc: u64, status: Listed, taxpayer: Option<Taxpayer>) -> u64 {
        (ruc << TAG_BITS) | (status.code() << TAXPAYER_BITS) | taxpayer_bits(taxpayer)
    }

    fn unpack(e: u64) -> Registered {
        let tag = e & ((1 << TAG_BITS) - 1);
        Registered {
            status: Listed::from_code(tag >> TAXPAYER_BITS),
            taxpayer: match tag & 0xFF {
                PERSON => Some(Taxpayer::Person),
                SOCIETY => Some(Taxpayer::Society),
                _ => None,
            },
        }
    }

    /// How many RUCs the catastro holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// It holds no RUC.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A status that is not an SRI word, as the catastro wrote it.
    pub(crate) fn raw_status(&self, i: u16) -> &str {
        self.raw.get(usize::from(i)).map_or("", |s| s)
    }

    /// The status as text: the SRI word, or the value as written.
    pub fn status_text(&self, status: Listed) -> &str {
        match status {
            Listed::Word(w) => w.as_str(),
            Listed::Unknown(i) => self.raw_status(i),
        }
    }

    /// Merges several catastros (several provinces' files): the provinces covered are
    /// those of every part (all of them when a part does not say).
    pub fn merge(parts: Vec<Catastro>) -> Catastro {
        let coverage = parts
            .iter()
            .try_fold(0u32, |mask, part| part.coverage.map(|m| mask | m))
            .filter(|&mask| mask != 0);
        let mut raw = RawStatuses::default();
        let mut entries = Vec::with_capacity(parts.iter().map(Catastro::len).sum());
        for part in parts {
            // Each part numbers its unknown statuses its own way: renumbered here.
            let map: Vec<u16> = part.raw.iter().map(|r| raw.intern(r)).collect();
            entries.extend(part.entries.iter().map(|&e| {
                let found = Catastro::unpack(e);
                match found.status {
                    Listed::Unknown(i) => {
                        let i = map.get(usize::from(i)).copied().unwrap_or_default();
                        Catastro::pack(e >> TAG_BITS, Listed::Unknown(i), found.taxpayer)
                    }
                    Listed::Word(_) => e,
                }
            }));
        }
        let mut merged = Catastro::from_pairs(entries, raw);
        merged.coverage = coverage;
        merged
    }

    /// How many RUCs have each status.
    pub(crate) fn count_statuses(&self) -> Vec<(Listed, u64)> {
        let mut counts: HashMap<u64, u64> = HashMap::new();
        for &e in &self.entries {
            *counts
                .entry((e & ((1 << TAG_BITS) - 1)) >> TAXPAYER_BITS)
                .or_default() += 1;
        }
        let mut counts: Vec<(Listed, u64)> = counts
            .into_iter()
            .map(|(code, n)| (Listed::from_code(code), n))
            .collect();
        counts.sort();
        counts
    }

    /// The bucket a RUC falls in, if it is not below the smallest one.
    fn bucket(&self, ruc: u64) -> Option<usize> {
        (ruc.checked_sub(self.base)? >> BUCKET_SHIFT)
            .try_into()
            .ok()
    }

    /// What the catastro knows of `ruc` (its digits as a number); `None`: not in it.
    pub fn get(&self, ruc: u64) -> Option<Registered> {
        let b = self.bucket(ruc)?;
        let (&lo, &hi) = (self.starts.get(b)?, self.starts.get(b + 1)?);
        let bucket = &self.entries[lo as usize..hi as usize];
        let key = ruc << TAG_BITS;
        let i = bucket.partition_point(|&e| e < key);
        let e = *bucket.get(i)?;
        (e >> TAG_BITS == ruc).then(|| Catastro::unpack(e))
    }

    /// Loads one path: an index (by its magic bytes), a zip of CSV files, a workbook
    /// (`.xlsx`, `.ods`…) or a CSV file; with what was read from it.
    pub fn open(path: &Path) -> Result<(Catastro, CatastroLoad), CatastroError> {
        if std::fs::metadata(path)
            .map_err(|e| CatastroError::io(path, e))?
            .is_dir()
        {
            return Err(CatastroError::unusable(
                path,
                errors::CATASTRO_DIRECTORY.msg(),
            ));
        }
        Catastro::open_content(path, &Content::File(path.to_owned()))
    }

    /// [`Catastro::open`] on a file's bytes held in memory (a file chosen on the browser's
    /// page); `name` (the file's name) names it and, by its extension, tells a workbook.
    pub fn open_bytes(
        name: &Path,
        bytes: impl Into<Arc<Vec<u8>>>,
    ) -> Result<(Catastro, CatastroLoad), CatastroError> {
        Catastro::open_content(name, &Content::Bytes(bytes.into()))
    }

    fn open_content(
        path: &Path,
        content: &Content,
    ) -> Result<(Catastro, CatastroLoad), CatastroError> {
        let (magic, n) = content
            .magic::<8>()
            .map_err(|e| CatastroError::io(path, e))?;
        let loaded = if n == 8 && magic == index::MAGIC {
            let catastro = match content {
                Content::File(_) => read_index(path)?,
                Content::Bytes(bytes) => parse_index(path, bytes)?,
            };
            let load = CatastroLoad::of_index(path, &catastro);
            (catastro, load)
        } else if let Some(kind) = crate::roster::excel::Kind::of(path) {
            load::load_workbook(path, content, kind)?
        } else if n >= 4 && magic[..4] == *b"PK\x03\x04" {
            load::load_zip(path, content)?
        } else {
            let input = content.open().map_err(|e| CatastroError::io(path, e))?;
            read_csv(path, input)?
        };
        if loaded.0.is_empty() {
            return Err(CatastroError::unusable(path, loaded.1.why_empty()));
        }
        Ok(loaded)
    }

    /// Looks up many RUCs at once (`None` keys are skipped): what the catastro has for each.
    /// The catastro is too large for the processor's caches, so each lookup costs two cache
    /// misses (the bucket table, then the entries): here every key's bucket, then every
    /// key's entries, are loaded in passes of independent loads, whose misses overlap,
    /// before the lookups themselves. Measured (2026-12-02, 200,000 records against a
    /// 2.8-million-RUC index, best of 9 alternating runs): 0.222 s with these passes,
    /// 0.264 s without (19%; 10% and 33% in two more rounds), so they stay.
    pub fn get_many(&self, keys: &[Option<u64>]) -> Vec<Option<Registered>> {
        let mut loaded = 0u64;
        for b in keys.iter().flatten().filter_map(|&ruc| self.bucket(ruc)) {
            loaded ^= u64::from(self.starts.get(b).copied().unwrap_or(0));
        }
        for b in keys.iter().flatten().filter_map(|&ruc| self.bucket(ruc)) {
            let start = self.starts.get(b).copied().unwrap_or(0) as usize;
            loaded ^= self.entries.get(start).copied().unwrap_or(0);
        }
        std::hint::black_box(loaded);
        keys.iter()
            .map(|key| key.and_then(|ruc| self.get(ruc)))
            .collect()
    }
}

/// Why a catastro cannot be used. One line naming the file; [`Localized`] gives it in the
/// user's language.
#[derive(Debug, thiserror::Error)]
pub enum CatastroError {
    /// The file could not be read.
    #[error("{}", self.message())]
    Io {
        /// The file, as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but cannot be used as a catastro.
    #[error("{}", self.message())]
    Unusable {
        /// The file, as given.
        path: String,
        /// Why, in either language.
        reason: Message,
    },
    /// A workbook that cannot be read (as a roster could not).
    #[error(transparent)]
    Workbook(#[from] crate::roster::RosterError),
}

impl CatastroError {
    /// `path` could not be read.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> CatastroError {
        CatastroError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// `path` is not a usable catastro, for `reason`.
    pub(crate) fn unusable(path: &Path, reason: Message) -> CatastroError {
        CatastroError::Unusable {
            path: path.display().to_string(),
            reason,
        }
    }
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
            CatastroError::Workbook(e) => e.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: RucStatus) -> Listed {
        Listed::Word(w)
    }

    #[test]
    fn lookups() {
        let c = Catastro::from_pairs(
            vec![
                Catastro::pack(
                    1790011674001,
                    word(RucStatus::Activo),
                    Some(Taxpayer::Society),
                ),
                Catastro::pack(428813992001, word(RucStatus::Suspendido), None),
                Catastro::pack(428813992001, word(RucStatus::Suspendido), None),
                Catastro::pack(
                    1839879739001,
                    word(RucStatus::Pasivo),
                    Some(Taxpayer::Person),
                ),
                Catastro::pack(
                    1839879739001,
                    word(RucStatus::Activo),
                    Some(Taxpayer::Person),
                ),
            ],
            RawStatuses::default(),
        );
        assert_eq!(c.len(), 3);
        let status = |ruc| c.get(ruc).map(|f| f.status);
        assert_eq!(status(1790011674001), Some(word(RucStatus::Activo)));
        assert_eq!(
            c.get(1790011674001).unwrap().taxpayer,
            Some(Taxpayer::Society)
        );
        assert_eq!(status(428813992001), Some(word(RucStatus::Suspendido)));
        assert_eq!(c.get(428813992001).unwrap().taxpayer, None);
        assert_eq!(
            status(1839879739001),
            Some(word(RucStatus::Activo)),
            "the most active row wins"
        );
        assert_eq!(status(1790011674002), None);
        assert_eq!(status(0), None);
        assert_eq!(status(9_999_999_999_999), None);
        assert_eq!(Catastro::default().get(1790011674001), None);
    }

    #[test]
    fn unknown_statuses_keep_their_text_through_a_merge() {
        let part = |rucs: &[(u64, &str)]| {
            let mut raw = RawStatuses::default();
            let entries = rucs
                .iter()
                .map(|&(ruc, s)| Catastro::pack(ruc, raw.status(s), None))
                .collect();
            Catastro::from_pairs(entries, raw)
        };
        let a = part(&[(1790011674001, "EN TRAMITE"), (428813992001, "")]);
        let b = part(&[
            (1839879739001, ""),
            (992397535001, "OTRO"),
            (1760001550001, "pasivo"),
        ]);
        let c = Catastro::merge(vec![a, b]);
        let text = |ruc| c.status_text(c.get(ruc).unwrap().status).to_owned();
        assert_eq!(text(1790011674001), "EN TRAMITE");
        assert_eq!(text(428813992001), "");
        assert_eq!(text(1839879739001), "");
        assert_eq!(text(992397535001), "OTRO");
        assert_eq!(text(1760001550001), "PASIVO");
        assert_eq!(parse_taxpayer("PERSONA NATURAL"), Some(Taxpayer::Person));
        assert_eq!(parse_taxpayer("Sociedades"), Some(Taxpayer::Society));
        assert_eq!(parse_taxpayer(""), None);
    }

    #[test]
    fn many_raw_statuses_share_the_last_slot() {
        let mut raw = RawStatuses::default();
        for i in 0..MAX_RAW_STATUSES + 100 {
            raw.status(&format!("X{i}"));
        }
        assert_eq!(raw.values.len(), MAX_RAW_STATUSES);
        let Listed::Unknown(last) = raw.status("never seen") else {
            panic!("not unknown");
        };
        assert_eq!(raw.get(last), RAW_OVERFLOW);
        let long = "Ñ".repeat(500);
        let Listed::Unknown(i) = RawStatuses::default().status(&long) else {
            panic!("not unknown");
        };
        assert_eq!(i, 0);
    }

    #[test]
    fn many_rucs_at_once_get_what_one_at_a_time_gets() {
        let c = Catastro::from_pairs(
            vec![
                Catastro::pack(1790011674001, word(RucStatus::Activo), None),
                Catastro::pack(428813992001, word(RucStatus::Suspendido), None),
                Catastro::pack(1839879739001, word(RucStatus::Pasivo), None),
            ],
            RawStatuses::default(),
        );
        let keys = [
            Some(1790011674001),
            Some(428813992001),
            None,
            Some(1839879739000),
            Some(9999999999999),
            Some(1839879739001),
        ];
        let one: Vec<_> = keys.iter().map(|k| k.and_then(|ruc| c.get(ruc))).collect();
        assert_eq!(c.get_many(&keys), one);
        assert_eq!(one[1].map(|r| r.status), Some(word(RucStatus::Suspendido)));
        assert_eq!((one[2], one[3], one[4]), (None, None, None));
        assert_eq!(one[5].map(|r| r.status), Some(word(RucStatus::Pasivo)));
    }
}
