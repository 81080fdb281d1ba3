//! Comparing a run with the previous one (`--compare PREVIOUS`, any report `patronal`
//! writes): each record is matched with the previous report's by employer (RUC +
//! sucursal), then by occurrence (an employer listed twice is matched first with first,
//! second with second, so an unchanged roster always compares as unchanged), else by place
//! (source, sheet, row), and gets a change: new, same, worse or better. What disappeared is
//! listed.
//!
//! A RUC that was damaged in one run and not in the other (Excel's `1.79001E+12` last night,
//! fixed this morning) cannot match by employer: the record at the same place whose RUC was
//! damaged on the other side is then the same employer. So is a RUC corrected in place: the
//! same place, the same identification (and name, when the report has names), another RUC.
//!
//! The previous report is held in memory: one small entry per record it has. Lines of a
//! JSON report are read up to 1 MB each.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::ecuador::normalize::digits_value;
use crate::finding::Verdict;
use crate::i18n::{Localized, Message, errors};
use crate::report::{Before, Change};
use crate::roster::Source;
use crate::rules::Checked;

struct Entry {
    before: Before,
    status: Verdict,
    seen: AtomicBool,
}

/// The previous record a record of this run may be, found on a worker thread; the sequential
/// stage then decides, in input order ([`Previous::resolve`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Not in the previous report.
    None,
    /// The previous records with the same RUC and sucursal (or, for a RUC unusable on both
    /// sides, the same place): the n-th record of this run with that key is the n-th of
    /// them.
    Group(u32),
    /// The previous record at the same place, the same employer under a RUC damaged on one
    /// side or corrected in place.
    Place(u32),
}

/// The previous report.
pub struct Previous {
    entries: Vec<Entry>,
    /// Per key, its records in report order.
    groups: Vec<Vec<u32>>,
    /// Per group: how many records of this run it matched so far (the sequential stage's).
    taken: Vec<AtomicU32>,
    index: HashMap<String, u32>,
    /// Every record by place, for a RUC damaged on one side or corrected in place.
    places: HashMap<String, u32>,
}

/// A status as any report writes it: JSON's `in_person`, or a label in either language.
fn status_of(s: &str) -> Option<Verdict> {
    let s = s.trim();
    [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
        .into_iter()
        .find(|st| {
            s == st.as_str()
                || s == st.label(crate::finding::Lang::En)
                || s == st.label(crate::finding::Lang::Es)
        })
}

/// The matching key: the employer when the RUC is 13 digits, else the record's place.
fn key(ruc: &str, sucursal: &str, source: &str, sheet: Option<&str>, row: u64) -> String {
    if is_usable(ruc) {
        format!("e:{ruc}/{sucursal}")
    } else {
        place(source, sheet, row)
    }
}

fn is_usable(ruc: &str) -> bool {
    digits_value(ruc, 13).is_some()
}

fn place(source: &str, sheet: Option<&str>, row: u64) -> String {
    format!("p:{source}\u{1f}{}\u{1f}{row}", sheet.unwrap_or(""))
}

/// Longest line of a JSON report that is read: far above any record's (a few KB), so that a
/// file that is not a report (`/dev/zero`) is refused rather than read into memory.
pub const MAX_LINE: usize = 1 << 20;

/// Why a previous report cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Not a report, or one that cannot be read: one line naming the file.
    #[error("{0}")]
    Unusable(Message),
    /// Its table could not be read on.
    #[error(transparent)]
    Roster(#[from] crate::roster::RosterError),
}

impl Localized for CompareError {
    fn message(&self) -> Message {
        match self {
            CompareError::Unusable(m) => m.clone(),
            CompareError::Roster(e) => e.message(),
        }
    }
}

/// Why a previous report cannot be used. One line naming the file.
fn unusable(path: &Path, why: Message) -> CompareError {
    CompareError::Unusable(
        errors::PREVIOUS_UNUSABLE
            .with("path", path.display())
            .with_msg("reason", why),
    )
}

/// A system error reading the previous report.
fn unreadable(path: &Path, e: &std::io::Error) -> CompareError {
    CompareError::Unusable(
        errors::PREVIOUS_UNUSABLE
            .with("path", path.display())
            .with_io(e),
    )
}

/// Reads `reader`'s next line into `line` (without its end), at most [`MAX_LINE`] bytes;
/// `false` at the end.
fn read_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    path: &Path,
) -> Result<bool, CompareError> {
    line.clear();
    let n = reader
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', line)
        .map_err(|e| unreadable(path, &e))?;
    if n == 0 {
        return Ok(false);
    }
    if line.len() > MAX_LINE && !line.ends_with(b"\n") {
        return Err(unusable(path, errors::PREVIOUS_LONG_LINE.msg()));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(true)
}

impl Previous {
    /// No previous report (the first run): every record is new.
    pub fn empty() -> Previous {
        Previous::from_records(Vec::new())
    }

    fn from_records(records: Vec<(Before, Verdict)>) -> Previous {
        let mut previous = Previous {
            entries: Vec::with_capacity(records.len()),
            groups: Vec::new(),
            taken: Vec::new(),
            index: HashMap::new(),
            places: HashMap::new(),
        };
        for (before, status) in records {
            let i = previous.entries.len() as u32;
            let k = key(
                &before.ruc,
                &before.sucursal,
                &before.source,
                before.sheet.as_deref(),
                before.row,
            );
            let groups = &mut previous.groups;
            let g = *previous.index.entry(k).or_insert_with(|| {
                groups.push(Vec::new());
                (groups.len() - 1) as u32
            });
            groups[g as usize].push(i);
            let at = place(&before.source, before.sheet.as_deref(), before.row);
            previous.places.entry(at).or_insert(i);
            previous.entries.push(Entry {
                before,
                status,
                seen: AtomicBool::new(false),
            });
        }
        previous.taken = previous.groups.iter().map(|_| AtomicU32::new(0)).collect();
        previous
    }

    /// Reads a report of an earlier run, in any format `patronal` writes: JSON Lines, JSON,
    /// CSV (either language, either delimiter) or a workbook.
    pub fn load(path: &Path) -> Result<Previous, CompareError> {
        let file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        let head = reader.fill_buf().map_err(|e| unreadable(path, &e))?;
        if head.starts_with(b"PK\x03\x04") {
            return Previous::load_table(path);
        }
        let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        match text.trim_ascii_start().first() {
            Some(b'{') => Previous::load_json(path, reader),
            // An empty file: a report of no records.
            None => Ok(Previous::empty()),
            Some(_) => Previous::load_table(path),
        }
    }

    /// JSON Lines, or the JSON document (one record a line, as `patronal` writes it).
    fn load_json(path: &Path, mut reader: impl BufRead) -> Result<Previous, CompareError> {
        let mut records = Vec::new();
        let mut line = Vec::new();
        let mut n = 0;
        while read_line(&mut reader, &mut line, path)? {
            n += 1;
            let mut text = line.trim_ascii();
            if n == 1 {
                text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
            }
            // The JSON document: its opening line, the records (one a line, each but the
            // last with a comma), then `],` and the summary.
            if text.is_empty() || text.starts_with(b"{\"records\":") {
                continue;
            }
            if text.starts_with(b"]") {
                break;
            }
            let text = text.strip_suffix(b",").unwrap_or(text);
            let bad = || unusable(path, errors::PREVIOUS_BAD_LINE.with("line", n));
            let before: Before = serde_json::from_slice(text).map_err(|_| bad())?;
            let status = status_of(&before.status).ok_or_else(bad)?;
            records.push((before, status));
        }
        Ok(Previous::from_records(records))
    }

    /// A CSV report or a workbook, read as a table: its columns found by name.
    fn load_table(path: &Path) -> Result<Previous, CompareError> {
        let not_report = || unusable(path, errors::PREVIOUS_NO_COLUMNS.msg());
        let readers = crate::roster::open(path, &crate::roster::ReadOptions::default())
            .map_err(|_| not_report())?;
        let mut records = Vec::new();
        let mut found = false;
        for mut reader in readers {
            let source = std::sync::Arc::clone(reader.source());
            // The CSV report's names or the workbook's headings, in either language.
            let label = |i: usize| crate::report::layout::verdict_column(&source.headers, i);
            let (Some(result), Some(row)) = (label(0), label(7)) else {
                // A sheet that is not the records' (the summary has no header).
                continue;
            };
            found = true;
            let (id, ruc, sucursal, file) = (label(3), label(4), label(5), label(6));
            let name = source.map.get(crate::finding::Field::Name);
            let mut cells = crate::roster::Cells::default();
            while let Some(line) = reader.read(&mut cells)? {
                let text = |i: Option<usize>| -> String {
                    let Some(i) = i else {
                        return String::new();
                    };
                    let cell = source.decoder.decode(cells.get(i).unwrap_or_default());
                    let cell = cell.trim();
                    // A cell the CSV report neutralised against formulas: `'=…`.
                    match cell.strip_prefix('\'') {
                        Some(rest) if crate::report::csv::starts_formula(rest.as_bytes()) => {
                            rest.to_owned()
                        }
                        _ => cell.to_owned(),
                    }
                };
                let bad = || unusable(path, errors::PREVIOUS_BAD_ROW.with("line", line));
                let status = status_of(&text(Some(result))).ok_or_else(bad)?;
                let at = text(file);
                let (source_name, sheet) =
                    match at.strip_suffix(']').and_then(|s| s.rsplit_once('[')) {
                        Some((file, sheet)) => (file.to_owned(), Some(sheet.to_owned())),
                        None => (at, None),
                    };
                let row_number = text(Some(row));
                let row_number = row_number
                    .parse::<u64>()
                    .or_else(|_| row_number.parse::<f64>().map(|f| f as u64))
                    .map_err(|_| bad())?;
                records.push((
                    Before {
                        source: source_name,
                        sheet,
                        row: row_number,
                        status: status.as_str().to_owned(),
                        ruc: text(ruc),
                        sucursal: text(sucursal),
                        id: text(id),
                        name: name.map(|n| text(Some(n))),
                    },
                    status,
                ));
            }
        }
        if !found {
            return Err(not_report());
        }
        Ok(Previous::from_records(records))
    }

    /// The previous record a checked record may be; runs on the worker threads. `name`: the
    /// record's employer name, if the roster has one.
    pub(crate) fn lookup(
        &self,
        source: &Source,
        row: u64,
        checked: &Checked,
        name: Option<&str>,
    ) -> Lookup {
        let file = source.name();
        let sheet = source.sheet.as_deref();
        let k = key(&checked.ruc, &checked.sucursal, &file, sheet, row);
        if let Some(&g) = self.index.get(&k) {
            return Lookup::Group(g);
        }
        let Some(&i) = self.places.get(&place(&file, sheet, row)) else {
            return Lookup::None;
        };
        let before = &self.entries[i as usize].before;
        // The RUC damaged on one side only: the same place is the same employer.
        if is_usable(&before.ruc) != is_usable(&checked.ruc) {
            return Lookup::Place(i);
        }
        // A RUC corrected in place: the same place, the same person, another RUC.
        let same_name = match (before.name.as_deref(), name) {
            (Some(a), Some(b)) => a.trim() == b.trim(),
            _ => true,
        };
        if is_usable(&checked.ruc) && !before.id.is_empty() && before.id == *checked.id && same_name
        {
            return Lookup::Place(i);
        }
        Lookup::None
    }

    /// The change of a record, from its [`Lookup`]; marks the previous record it is as
    /// seen. Runs in input order (the n-th record with a key is the n-th previous one).
    pub fn resolve(&self, lookup: Lookup, status: Verdict) -> Change {
        self.resolve_with_before(lookup, status).0
    }

    /// [`Previous::resolve`], with the verdict the previous report gave the record (none
    /// for a new one).
    pub fn resolve_with_before(
        &self,
        lookup: Lookup,
        status: Verdict,
    ) -> (Change, Option<Verdict>) {
        let i = match lookup {
            Lookup::None => None,
            Lookup::Group(g) => {
                let n = self.taken[g as usize].fetch_add(1, Ordering::Relaxed);
                self.groups[g as usize].get(n as usize).copied()
            }
            Lookup::Place(i) => Some(i),
        };
        match i {
            None => (Change::New, None),
            Some(i) => {
                let entry = &self.entries[i as usize];
                entry.seen.store(true, Ordering::Relaxed);
                (Change::of(entry.status, status), Some(entry.status))
            }
        }
    }

    /// The previous records no record of this run matched.
    pub fn disappeared(&self) -> impl Iterator<Item = &Before> {
        self.entries
            .iter()
            .filter(|e| !e.seen.load(Ordering::Relaxed))
            .map(|e| &e.before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes() {
        use Verdict::*;
        assert_eq!(Change::of(Ready, Ready), Change::Same);
        assert_eq!(Change::of(Ready, Invalid), Change::Worse);
        assert_eq!(Change::of(Invalid, InPerson), Change::Worse);
        assert_eq!(Change::of(InPerson, Invalid), Change::Worse);
        assert_eq!(Change::of(Invalid, Ready), Change::Better);
        assert_eq!(
            key("1790011674001", "0001", "a.csv", None, 3),
            "e:1790011674001/0001"
        );
        assert!(key("", "0001", "a.csv", Some("H"), 3).starts_with("p:a.csv"));
    }

    fn before(row: u64, ruc: &str, id: &str, status: Verdict) -> (Before, Verdict) {
        let b = Before {
            source: "a.csv".into(),
            sheet: None,
            row,
            status: status.as_str().into(),
            ruc: ruc.into(),
            sucursal: "0001".into(),
            id: id.into(),
            name: None,
        };
        (b, status)
    }

    #[test]
    fn an_employer_listed_twice_matches_by_occurrence() {
        use Verdict::*;
        let previous = Previous::from_records(vec![
            before(2, "0428813992001", "0428813992", Ready),
            before(3, "0428813992001", "0428813992", InPerson),
        ]);
        let group = previous.index["e:0428813992001/0001"];
        // Tonight, in input order: the first is the first, the second the second.
        assert_eq!(previous.resolve(Lookup::Group(group), Ready), Change::Same);
        assert_eq!(
            previous.resolve(Lookup::Group(group), InPerson),
            Change::Same
        );
        // A third listing is new; nothing disappeared.
        assert_eq!(previous.resolve(Lookup::Group(group), Ready), Change::New);
        assert_eq!(previous.disappeared().count(), 0);
    }
}
