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
//! The previous report is held in memory as one packed entry per record it has (48 bytes:
//! its employer as a number, its status, its place, hashes of its identification and
//! name), its tables' names once each: a previous report of 1,000,000 records held as
//! strings took 853 MB, and a workbook whose `source` cell was one 100 KB string shared by
//! 100,000 rows 645 MB. Lines of a JSON report are read up to 1 MB each.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::ecuador::normalize::digits_value;
use crate::finding::Verdict;
use crate::i18n::{Localized, Message, errors};
use crate::report::{Before, Change, Gone};
use crate::roster::{RosterError, Source};
use crate::rules::Checked;

/// No entry: the end of a group.
const NONE: u32 = u32::MAX;

/// One record of the previous report.
struct Entry {
    /// The row a person finds it at.
    row: u64,
    /// Its RUC and sucursal ([`pack`]), or, when they do not pack, their place in
    /// [`Previous::texts`].
    employer: u64,
    /// Hashes of its normalised identification and of its name ([`hash`]; 0: none).
    id: u64,
    name: u64,
    /// Its table, in [`Previous::tables`].
    table: u32,
    /// The next record of its group, or [`NONE`].
    next: u32,
    status: Verdict,
    /// `employer` is packed (else it is a place in `texts`).
    packed: bool,
    /// Its RUC is usable (13 digits).
    usable: bool,
    seen: AtomicBool,
}

/// A RUC of 13 digits and a sucursal of up to 4 as one number: the RUC's value above 17
/// bits, then the sucursal's length (3 bits) and value (14 bits): `0001` and `1` differ,
/// as their texts do. `None` when they are not both digits of those lengths.
fn pack(ruc: &str, sucursal: &str) -> Option<u64> {
    let ruc = digits_value(ruc, 13)?;
    let n = sucursal.len();
    let value = if n <= 4 {
        digits_value(sucursal, n)
    } else {
        None
    };
    let value = match (n, value) {
        (0, _) => 0,
        (_, Some(v)) => v,
        _ => return None,
    };
    Some(ruc << 17 | (n as u64) << 14 | value)
}

/// The RUC and sucursal of a [`pack`]ed employer, as their texts were.
fn unpack(packed: u64) -> (String, String) {
    let ruc = packed >> 17;
    let n = ((packed >> 14) & 0x7) as usize;
    let value = packed & 0x3FFF;
    let sucursal = if n == 0 {
        String::new()
    } else {
        format!("{value:0n$}")
    };
    (format!("{ruc:013}"), sucursal)
}

/// A 64-bit hash of a text, never 0 (0 stands for no text).
fn hash(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    foldhash::fast::FixedState::with_seed(0x7061_7472).hash_one(text) | 1
}

/// The key of a group of previous records: a number, or (rarely) a text.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    /// A usable RUC and its sucursal, [`pack`]ed (below 2⁶¹); or, with the top bit set, the
    /// place (table, row) of a record whose RUC is not usable.
    Packed(u64),
    /// A usable RUC whose sucursal does not pack, or a place too far to pack: as text.
    Text(Box<str>),
}

/// The top bit of a [`Key::Packed`] place.
const PLACE: u64 = 1 << 63;

/// The matching key: the employer when the RUC is 13 digits, else the record's place
/// (`table`: `None` for a table the previous report does not have).
fn key(ruc: &str, sucursal: &str, table: Option<u32>, row: u64) -> Option<Key> {
    if let Some(packed) = pack(ruc, sucursal) {
        return Some(Key::Packed(packed));
    }
    if is_usable(ruc) {
        return Some(Key::Text(format!("{ruc}/{sucursal}").into()));
    }
    let table = table?;
    Some(if table < 1 << 22 && row < 1 << 40 {
        Key::Packed(PLACE | u64::from(table) << 40 | row)
    } else {
        Key::Text(format!("\u{1f}{table}\u{1f}{row}").into())
    })
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
    /// The tables (file and sheet) of its records, once each; by their key
    /// ([`table_key`]).
    tables: Vec<(Arc<str>, Option<Arc<str>>)>,
    table_index: HashMap<Box<str>, u32>,
    /// The RUC and sucursal of the records whose employer does not pack.
    texts: Vec<(Box<str>, Box<str>)>,
    /// Per key, its group: the index into `cursor` (16 bytes a group).
    index: HashMap<u64, u32, foldhash::fast::RandomState>,
    /// The same for the keys that are texts.
    text_index: HashMap<Box<str>, u32>,
    /// Per group: its next record for this run (its first, until one matches), or
    /// [`NONE`]. The n-th record of this run with a key is the n-th of its group.
    cursor: Vec<AtomicU32>,
    /// Every record by place (table, row), sorted: the first at each place wins.
    places: Vec<(u32, u64, u32)>,
    /// The file it was read from, read again for the names of the records gone.
    path: Option<std::path::PathBuf>,
}

/// Records gone that are listed (by place, RUC and name), at most: the workbook's Cambios
/// lists 10,000, the terminal 10; the others are counted. A compare with a report of
/// another portfolio has every record gone: a million of them listed took 616 MB.
pub const NAMED_GONE: usize = 10_000;
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

fn is_usable(ruc: &str) -> bool {
    digits_value(ruc, 13).is_some()
}

/// The key of a table: its file and sheet.
fn table_key(file: &str, sheet: Option<&str>) -> String {
    format!("{file}\u{1f}{}", sheet.unwrap_or(""))
}

/// Gathers the previous records into a [`Previous`], or, reading the report again, the
/// names of some of them.
struct Builder {
    previous: Previous,
    /// Per group, its last record so far.
    tails: Vec<u32>,
    /// Reading again for names: nothing else is kept.
    names: Option<Names>,
}

/// The names of the records wanted, by their place in the report (the n-th record read).
struct Names {
    /// The records wanted, in order: the n-th and its row.
    wanted: Vec<(u32, u64)>,
    next: usize,
    /// Records read so far.
    read: u32,
    found: Vec<(u32, String)>,
}

/// Longest name kept of a record gone, in bytes: a name, not a cell of 100 KB.
const MAX_NAME: usize = 200;

impl Builder {
    fn new() -> Builder {
        Builder {
            previous: Previous {
                entries: Vec::new(),
                tables: Vec::new(),
                table_index: HashMap::new(),
                texts: Vec::new(),
                index: HashMap::default(),
                text_index: HashMap::new(),
                cursor: Vec::new(),
                places: Vec::new(),
                path: None,
            },
            tails: Vec::new(),
            names: None,
        }
    }

    /// The table of `file` and `sheet`, added once.
    fn table(&mut self, file: &str, sheet: Option<&str>) -> u32 {
        let p = &mut self.previous;
        let k = table_key(file, sheet);
        if let Some(&t) = p.table_index.get(k.as_str()) {
            return t;
        }
        let t = p.tables.len() as u32;
        p.tables.push((file.into(), sheet.map(Into::into)));
        p.table_index.insert(k.into(), t);
        t
    }

    fn push(&mut self, before: &Before, status: Verdict) {
        let table = self.table(&before.source, before.sheet.as_deref());
        self.add(table, before, status);
    }

    /// Adds a record of `table`: its group and place.
    fn add(&mut self, table: u32, before: &Before, status: Verdict) {
        if let Some(names) = &mut self.names {
            let n = names.read;
            names.read += 1;
            if names.wanted.get(names.next).is_some_and(|w| w.0 == n) {
                // The same record as on the first reading, or none (the file changed).
                if names.wanted[names.next].1 == before.row
                    && let Some(name) = before.name.as_deref().map(str::trim)
                    && !name.is_empty()
                {
                    let mut end = name.len().min(MAX_NAME);
                    while !name.is_char_boundary(end) {
                        end -= 1;
                    }
                    names.found.push((n, name[..end].to_owned()));
                }
                names.next += 1;
            }
            return;
        }
        let i = self.previous.entries.len() as u32;
        let p = &mut self.previous;
        let packed = pack(&before.ruc, &before.sucursal);
        let employer = packed.unwrap_or_else(|| {
            p.texts
                .push((before.ruc.as_str().into(), before.sucursal.as_str().into()));
            (p.texts.len() - 1) as u64
        });
        p.entries.push(Entry {
            row: before.row,
            employer,
            id: hash(&before.id),
            name: before.name.as_deref().map_or(0, |n| hash(n.trim()) | 1),
            table,
            next: NONE,
            status,
            packed: packed.is_some(),
            usable: is_usable(&before.ruc),
            seen: AtomicBool::new(false),
        });
        p.places.push((table, before.row, i));
        let Some(k) = key(&before.ruc, &before.sucursal, Some(table), before.row) else {
            return;
        };
        let groups = p.cursor.len() as u32;
        let g = *match k {
            Key::Packed(k) => p.index.entry(k).or_insert(groups),
            Key::Text(k) => p.text_index.entry(k).or_insert(groups),
        };
        if g == groups {
            p.cursor.push(AtomicU32::new(i));
            self.tails.push(i);
        } else {
            let tail = std::mem::replace(&mut self.tails[g as usize], i);
            p.entries[tail as usize].next = i;
        }
    }

    fn finish(self) -> Previous {
        let mut previous = self.previous;
        // Stable: among records at one place, the first stays first.
        previous.places.sort_by_key(|&(t, row, _)| (t, row));
        previous.places.dedup_by_key(|&mut (t, row, _)| (t, row));
        previous.places.shrink_to_fit();
        previous.entries.shrink_to_fit();
        previous
    }
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
        Builder::new().finish()
    }

    #[cfg(test)]
    fn from_records(records: Vec<(Before, Verdict)>) -> Previous {
        let mut builder = Builder::new();
        for (before, status) in &records {
            builder.push(before, *status);
        }
        builder.finish()
    }

    /// How many records the previous report has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The previous report has no record.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads a report of an earlier run, in any format `patronal` writes: JSON Lines, JSON,
    /// CSV (either language, either delimiter) or a workbook.
    pub fn load(path: &Path) -> Result<Previous, CompareError> {
        let mut previous = Previous::read(path, Builder::new())?.finish();
        previous.path = Some(path.to_owned());
        Ok(previous)
    }

    /// Reads the report at `path` into `records`.
    fn read(path: &Path, records: Builder) -> Result<Builder, CompareError> {
        let file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        let head = reader.fill_buf().map_err(|e| unreadable(path, &e))?;
        if head.starts_with(b"PK\x03\x04") {
            return Previous::load_table(path, records);
        }
        let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        match text.trim_ascii_start().first() {
            Some(b'{') => Previous::load_json(path, reader, records),
            // An empty file: a report of no records.
            None => Ok(records),
            Some(_) => Previous::load_table(path, records),
        }
    }

    /// JSON Lines, or the JSON document (one record a line, as `patronal` writes it).
    fn load_json(
        path: &Path,
        mut reader: impl BufRead,
        mut records: Builder,
    ) -> Result<Builder, CompareError> {
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
            records.push(&before, status);
        }
        Ok(records)
    }

    /// A CSV report or a workbook, read as a table: its columns found by name.
    fn load_table(path: &Path, mut records: Builder) -> Result<Builder, CompareError> {
        let not_report = || unusable(path, errors::PREVIOUS_NO_COLUMNS.msg());
        let is_workbook = crate::roster::excel::Kind::of(path).is_some();
        let readers = crate::roster::open(path, &crate::roster::ReadOptions::default()).map_err(
            |e| match e {
                // A workbook refused for what it holds (a bomb, damage) says why.
                RosterError::Unusable { reason, .. } if is_workbook => unusable(path, reason),
                _ => not_report(),
            },
        )?;
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
                        Some((file, sheet)) => (file, Some(sheet)),
                        None => (at.as_str(), None),
                    };
                // The table once: its name is not copied per record.
                let table = records.table(source_name, sheet);
                let row_number = text(Some(row));
                let row_number = row_number
                    .parse::<u64>()
                    .or_else(|_| row_number.parse::<f64>().map(|f| f as u64))
                    .map_err(|_| bad())?;
                let before = Before {
                    source: String::new(),
                    sheet: None,
                    row: row_number,
                    status: String::new(),
                    ruc: text(ruc),
                    sucursal: text(sucursal),
                    id: text(id),
                    name: name.map(|n| text(Some(n))),
                };
                records.add(table, &before, status);
            }
        }
        if !found {
            return Err(not_report());
        }
        Ok(records)
    }

    /// The table of `source` in the previous report, if it has one: what
    /// [`Previous::lookup`] takes, found once per table rather than per record.
    pub(crate) fn table(&self, source: &Source) -> Option<u32> {
        let k = table_key(&source.name(), source.sheet.as_deref());
        self.table_index.get(k.as_str()).copied()
    }

    /// The previous record a checked record may be; runs on the worker threads. `table`:
    /// the record's table ([`Previous::table`]); `name`: its employer name, if the roster
    /// has one.
    pub(crate) fn lookup(
        &self,
        table: Option<u32>,
        row: u64,
        checked: &Checked,
        name: Option<&str>,
    ) -> Lookup {
        let group = match key(&checked.ruc, &checked.sucursal, table, row) {
            Some(Key::Packed(k)) => self.index.get(&k),
            Some(Key::Text(k)) => self.text_index.get(&k),
            None => None,
        };
        if let Some(&g) = group {
            return Lookup::Group(g);
        }
        let Some(table) = table else {
            return Lookup::None;
        };
        let at = self
            .places
            .binary_search_by_key(&(table, row), |&(t, r, _)| (t, r));
        let Ok(at) = at else {
            return Lookup::None;
        };
        let i = self.places[at].2;
        let before = &self.entries[i as usize];
        let usable = is_usable(&checked.ruc);
        // The RUC damaged on one side only: the same place is the same employer.
        if before.usable != usable {
            return Lookup::Place(i);
        }
        // A RUC corrected in place: the same place, the same person, another RUC.
        let same_name = match (before.name, name) {
            (0, _) | (_, None) => true,
            (a, Some(b)) => a == hash(b.trim()) | 1,
        };
        if usable && before.id != 0 && before.id == hash(&checked.id) && same_name {
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
                let cursor = &self.cursor[g as usize];
                let i = cursor.load(Ordering::Relaxed);
                (i != NONE).then(|| {
                    cursor.store(self.entries[i as usize].next, Ordering::Relaxed);
                    i
                })
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

    /// The previous records no record of this run matched, as the summary lists them (the
    /// first [`NAMED_GONE`], with their names when the report has names), and how many
    /// there are. The names are read from the report again rather than held for every
    /// record (a gone record is rare, and a name is the largest thing a record has); a
    /// report that changed since, or cannot be read now, leaves them unnamed.
    pub fn disappeared(&self) -> (Vec<Gone>, u64) {
        let mut gone: Vec<Gone> = Vec::new();
        let mut count = 0;
        let mut wanted = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if e.seen.load(Ordering::Relaxed) {
                continue;
            }
            count += 1;
            if gone.len() == NAMED_GONE {
                continue;
            }
            if e.name != 0 {
                wanted.push((i as u32, e.row, gone.len()));
            }
            gone.push(self.gone(e));
        }
        if let (Some(path), false) = (&self.path, wanted.is_empty()) {
            let mut builder = Builder::new();
            builder.names = Some(Names {
                wanted: wanted.iter().map(|&(i, row, _)| (i, row)).collect(),
                next: 0,
                read: 0,
                found: Vec::new(),
            });
            if let Ok(Builder {
                names: Some(names), ..
            }) = Previous::read(path, builder)
            {
                let mut at = wanted.iter().map(|&(i, _, g)| (i, g)).peekable();
                for (n, name) in names.found {
                    while at.next_if(|&(i, _)| i < n).is_some() {}
                    if let Some(&(i, g)) = at.peek()
                        && i == n
                    {
                        gone[g].name = Some(name);
                    }
                }
            }
        }
        (gone, count)
    }

    /// A record gone, as the summary lists it (without its name).
    fn gone(&self, e: &Entry) -> Gone {
        let (source, sheet) = &self.tables[e.table as usize];
        let (ruc, sucursal) = if e.packed {
            unpack(e.employer)
        } else {
            let (ruc, sucursal) = &self.texts[e.employer as usize];
            (ruc.to_string(), sucursal.to_string())
        };
        Gone {
            source: Arc::clone(source),
            sheet: sheet.clone(),
            row: e.row,
            status: e.status.as_str(),
            ruc,
            sucursal,
            name: None,
        }
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
        let packed = pack("1790011674001", "0001").unwrap();
        assert!(packed < PLACE);
        assert_eq!(
            key("1790011674001", "0001", Some(0), 3),
            Some(Key::Packed(packed))
        );
        assert_eq!(unpack(packed), ("1790011674001".into(), "0001".into()));
        assert_ne!(pack("1790011674001", "1"), Some(packed));
        assert_eq!(
            unpack(pack("0428813992001", "").unwrap()),
            ("0428813992001".into(), String::new())
        );
        assert_eq!(
            key("", "0001", Some(2), 3),
            Some(Key::Packed(PLACE | 2 << 40 | 3))
        );
        assert_eq!(
            key("x", "", Some(2), 1 << 50),
            Some(Key::Text(format!("\u{1f}2\u{1f}{}", 1u64 << 50).into()))
        );
        assert_eq!(key("", "0001", None, 3), None);
        assert_eq!(
            key("1790011674001", "01-A", None, 3),
            Some(Key::Text("1790011674001/01-A".into()))
        );
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
        let group = previous.index[&pack("0428813992001", "0001").unwrap()];
        // Tonight, in input order: the first is the first, the second the second.
        assert_eq!(previous.resolve(Lookup::Group(group), Ready), Change::Same);
        assert_eq!(
            previous.resolve(Lookup::Group(group), InPerson),
            Change::Same
        );
        // A third listing is new; nothing disappeared.
        assert_eq!(previous.resolve(Lookup::Group(group), Ready), Change::New);
        assert_eq!(previous.disappeared().1, 0);
    }

    #[test]
    fn gone_records_are_listed_up_to_a_bound_and_all_counted() {
        let records = (0..NAMED_GONE as u64 + 5)
            .map(|i| before(i + 2, &format!("{:010}001", i), "", Verdict::Ready))
            .collect();
        let (listed, count) = Previous::from_records(records).disappeared();
        assert_eq!((listed.len(), count), (NAMED_GONE, NAMED_GONE as u64 + 5));
        assert_eq!(listed[NAMED_GONE - 1].row, NAMED_GONE as u64 + 1);
    }

    #[test]
    fn gone_records_are_named_by_reading_the_report_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ayer.csv");
        let header = "ID,RUC,Sucursal,Name,result,codes,messages,normalized_id,normalized_ruc,\
                      normalized_sucursal,source,row,extra_cells\n";
        let line = |name: &str, ruc: &str, row: u64| {
            format!(
                "{},{ruc},0001,{name},ready,,\"\",{},{ruc},0001,r.csv,{row},\n",
                &ruc[..10],
                &ruc[..10]
            )
        };
        let write = |lines: &[String]| {
            std::fs::write(&path, format!("{header}{}", lines.concat())).unwrap()
        };
        write(&[
            line("Ferretería Uno", "0428813992001", 2),
            line("Panadería Dos", "1710034065001", 3),
        ]);
        let previous = Previous::load(&path).unwrap();
        let names = |gone: (Vec<Gone>, u64)| gone.0.into_iter().map(|g| g.name).collect::<Vec<_>>();
        assert_eq!(
            names(previous.disappeared()),
            [
                Some("Ferretería Uno".to_owned()),
                Some("Panadería Dos".to_owned())
            ]
        );
        // The report changed before the second reading: records that are no longer where
        // they were stay unnamed, never named after another record.
        write(&[line("Panadería Dos", "1710034065001", 3)]);
        assert_eq!(names(previous.disappeared()), [None, None]);
        // Gone without the file: unnamed, the run goes on.
        std::fs::remove_file(&path).unwrap();
        let (gone, count) = previous.disappeared();
        assert_eq!((count, gone[1].ruc.as_str()), (2, "1710034065001"));
    }
}
