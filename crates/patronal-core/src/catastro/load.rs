//! Reading the catastro files as the SRI publishes them, and as people pass them around:
//! `|`-delimited, a header row, double-quoted fields that may hold `|`, UTF-8 (maybe with a
//! BOM) or Windows-1252, one row per establishment; every province zipped; copies saved as
//! `.xlsx` or `.ods` by Excel or pandas. Streamed: memory holds the RUCs, not the file.
//!
//! Damage real downloads carry is survived, and counted in the [`CatastroLoad`]:
//!
//! - A quote left open (a name cut short) is followed no further than its own line when the
//!   next line starts a row (a RUC where the RUC column is), nor past [`MAX_QUOTED_LINES`] lines:
//!   every other row still loads. The line itself is read without its quotes when its cells
//!   then fit the header.
//! - A RUC of 12 digits whose zero-prefixed form is a valid RUC (Excel, pandas) is restored.
//! - A line over [`MAX_LINE`] bytes, or a zip that expands past [`MAX_EXPANDED`], is refused
//!   (exit 2): no catastro has one, and following it would exhaust memory.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::{Catastro, CatastroError, CatastroLoad, RawStatuses, Skip, parse_taxpayer};
use crate::ecuador::Listed;
use crate::i18n::{Message, Text, errors};
use crate::roster::excel::{self, Kind, Workbook};
use crate::roster::{Cells, Content, Decoder, MAX_QUOTED_LINES};

/// Header names of the RUC column, current and older layouts (compared ignoring case).
const RUC_HEADERS: &[&str] = &["NUMERO_RUC", "NUM_RUC", "RUC", "NUMERO RUC"];
/// Header names of the taxpayer's status.
const STATUS_HEADERS: &[&str] = &["ESTADO_CONTRIBUYENTE", "ESTADO CONTRIBUYENTE", "ESTADO_RUC"];
/// Header names of the kind of taxpayer (`PERSONA NATURAL`, `SOCIEDAD`).
const TAXPAYER_HEADERS: &[&str] = &["TIPO_CONTRIBUYENTE", "TIPO CONTRIBUYENTE"];
/// Header names of the establishment's province, current and older layouts: what tells
/// which provinces a file covers.
const PROVINCE_HEADERS: &[&str] = &[
    "DESCRIPCION_PROVINCIA_EST",
    "DESCRIPCION_PROVINCIA",
    "PROVINCIA_JURISDICCION",
    "PROVINCIA",
];
/// Header names of the jurisdiction, read for the province when no province column says it.
const JURISDICTION_HEADERS: &[&str] = &["CODIGO_JURISDICCION", "JURISDICCION"];

/// A province covers a file when it holds at least this share (1 in 10) of the rows whose
/// province is known: a province's file lists a few establishments of other provinces, and a
/// RUC of a province read as covered but absent would be called "not registered".
const COVERAGE_SHARE: u64 = 10;

/// The longest line read: a catastro row is a few hundred bytes.
pub const MAX_LINE: usize = 1 << 20;

/// A zip whose files expand to more than this is refused: all provinces together are about
/// 1.5 GB. The limit workbooks have.
pub const MAX_EXPANDED: u64 = excel::MAX_EXPANDED;

/// Distinct RUCs a catastro may hold: Ecuador has a few million taxpayers. 160 MB of entries.
pub(crate) const MAX_RUCS: usize = 20_000_000;

/// Entries gathered (one per row) before the RUCs listed again are folded.
const COMPACT_AT: usize = 1 << 22;

/// Rows of a workbook searched for the header.
const HEADER_ROWS: usize = 20;

/// Loads one CSV catastro. The columns needed are ASCII, so the file's encoding does not
/// matter beyond a UTF-8 BOM before the first header.
pub fn load_csv(path: &Path, input: impl Read) -> Result<Catastro, CatastroError> {
    read_csv(path, input).map(|(catastro, _)| catastro)
}

/// [`load_csv`], with what was read.
pub fn read_csv(path: &Path, input: impl Read) -> Result<(Catastro, CatastroLoad), CatastroError> {
    let mut load = CatastroLoad::new(path, "csv");
    let mut rows = Rows::default();
    read_into(path, input, &mut rows, &mut load)?;
    Ok(rows.finish(load))
}

/// What a load gathers: one entry per row, and the statuses that are not SRI words.
struct Rows {
    entries: Vec<u64>,
    raw: RawStatuses,
    /// Rows per province code (1 to 24), from the province or jurisdiction column.
    provinces: [u64; 25],
    /// The last province cell read, and its code: a file lists one province row after row.
    last_province: (Vec<u8>, Option<u8>),
    /// For the restoration of 12-digit RUCs.
    findings: Vec<crate::finding::Finding>,
    /// [`COMPACT_AT`] and [`MAX_RUCS`] (smaller in tests).
    compact_at: usize,
    max_rucs: usize,
}

impl Default for Rows {
    fn default() -> Rows {
        Rows {
            entries: Vec::new(),
            raw: RawStatuses::default(),
            provinces: [0; 25],
            last_province: (Vec::new(), None),
            findings: Vec::new(),
            compact_at: COMPACT_AT,
            max_rucs: MAX_RUCS,
        }
    }
}

impl Rows {
    fn finish(self, mut load: CatastroLoad) -> (Catastro, CatastroLoad) {
        let coverage = coverage(&self.provinces);
        let mut catastro = Catastro::from_pairs(self.entries, self.raw);
        catastro.coverage = coverage;
        load.rucs = catastro.len() as u64;
        load.set_coverage(coverage);
        (catastro, load)
    }

    /// Counts a row's province, from its province cell or else its jurisdiction's.
    fn count_province<'c>(&mut self, columns: &Columns, cell: impl Fn(usize) -> Option<&'c [u8]>) {
        let text = [columns.province, columns.jurisdiction]
            .into_iter()
            .flatten()
            .filter_map(&cell)
            .map(<[u8]>::trim_ascii)
            .find(|c| !c.is_empty());
        let Some(text) = text else {
            return;
        };
        if self.last_province.0 != text {
            let code = crate::ecuador::parse_province(&Decoder::Utf8.decode(text));
            self.last_province = (text.to_vec(), code);
        }
        if let Some(code) = self.last_province.1 {
            self.provinces[usize::from(code)] += 1;
        }
    }

    /// One data row: its cells by index.
    fn add<'c>(
        &mut self,
        columns: &Columns,
        load: &mut CatastroLoad,
        cell: impl Fn(usize) -> Option<&'c [u8]>,
    ) -> Result<(), Message> {
        load.rows += 1;
        if columns.province.is_some() || columns.jurisdiction.is_some() {
            self.count_province(columns, &cell);
        }
        let (Some(ruc), Some(status)) = (cell(columns.ruc), cell(columns.status)) else {
            load.skip(Skip::TooFewCells);
            return Ok(());
        };
        let Some((ruc, restored)) = self.ruc_number(ruc) else {
            load.skip(Skip::RucFormat);
            return Ok(());
        };
        load.restored += u64::from(restored);
        let text = Decoder::Utf8.decode(status);
        let status = self.raw.status(&text);
        // Counted under the text kept (cut to 64 characters, the rare values beyond the
        // table's room under one): the summary stays small whatever the file holds.
        let kept = match status {
            Listed::Unknown(i) => self.raw.get(i),
            Listed::Word(_) => "",
        };
        load.count_status(status, kept);
        let taxpayer = columns
            .taxpayer
            .and_then(&cell)
            .and_then(|t| parse_taxpayer(&Decoder::Utf8.decode(t)));
        self.entries.push(Catastro::pack(ruc, status, taxpayer));
        if self.entries.len() == self.entries.capacity() && self.entries.len() >= self.compact_at {
            // One entry per row until here: the RUCs listed again (other establishments)
            // are folded before the vector grows.
            self.entries.sort_unstable();
            self.entries.dedup_by_key(|e| *e >> super::TAG_BITS);
            if self.entries.len() > self.max_rucs {
                return Err(errors::CATASTRO_TOO_MANY_RUCS.with("max", self.max_rucs));
            }
            self.entries.reserve(self.entries.len());
        }
        Ok(())
    }

    /// A RUC cell as a number, and whether its lost leading zero was restored: 13 digits
    /// (trimmed, `.0` of a number written by a program dropped), or 12 whose zero-prefixed
    /// form is a valid RUC.
    fn ruc_number(&mut self, cell: &[u8]) -> Option<(u64, bool)> {
        let text = std::str::from_utf8(cell).ok()?;
        let crate::ecuador::normalize::Cleaned::Value(value) =
            crate::ecuador::normalize::clean(text)
        else {
            return None;
        };
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number = |v: &str| v.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        match value.len() {
            13 => Some((number(&value), false)),
            12 => {
                self.findings.clear();
                let ruc = crate::ecuador::check_ruc(&value, &mut self.findings);
                let restored = self
                    .findings
                    .iter()
                    .any(|f| f.code == crate::finding::Code::RucLeadingZeroRestored);
                (restored && ruc.value.len() == 13).then(|| (number(&ruc.value), true))
            }
            _ => None,
        }
    }
}

/// The provinces a file covers, as a mask of codes (bit 9: Guayas), from its rows per
/// province: those with at least one in [`COVERAGE_SHARE`] of them. `None` when no row
/// says its province (an older or trimmed layout): every province is then taken as
/// covered, as before provinces were read.
fn coverage(rows: &[u64; 25]) -> Option<u32> {
    let known: u64 = rows.iter().sum();
    let mask = rows
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0 && n * COVERAGE_SHARE >= known)
        .fold(0u32, |mask, (code, _)| mask | 1 << code);
    (mask != 0).then_some(mask)
}

/// Where the columns read are.
struct Columns {
    ruc: usize,
    status: usize,
    taxpayer: Option<usize>,
    /// The establishment's province (`DESCRIPCION_PROVINCIA_EST`).
    province: Option<usize>,
    /// The jurisdiction (`CODIGO_JURISDICCION`).
    jurisdiction: Option<usize>,
    /// Cells in the header.
    width: usize,
}

impl Columns {
    /// Finds the columns in a header row; `None` without a RUC and a status column.
    fn find(header: &Cells) -> Option<Columns> {
        let column = |names: &[&str]| {
            header.iter().position(|h| {
                let h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h).trim_ascii();
                names.iter().any(|n| h.eq_ignore_ascii_case(n.as_bytes()))
            })
        };
        Some(Columns {
            ruc: column(RUC_HEADERS)?,
            status: column(STATUS_HEADERS)?,
            taxpayer: column(TAXPAYER_HEADERS),
            province: column(PROVINCE_HEADERS),
            jurisdiction: column(JURISDICTION_HEADERS),
            width: header.len(),
        })
    }
}

fn not_a_catastro(path: &Path, place: Text) -> CatastroError {
    CatastroError::unusable(
        path,
        errors::CATASTRO_NO_COLUMNS.with_msg("place", place.msg()),
    )
}

fn read_into(
    path: &Path,
    input: impl Read,
    rows: &mut Rows,
    load: &mut CatastroLoad,
) -> Result<(), CatastroError> {
    let mut lines = Lines::new(BufReader::with_capacity(1 << 20, input));
    let too_long = |line: u64| {
        CatastroError::unusable(
            path,
            errors::CATASTRO_LINE_TOO_LONG
                .with("line", line)
                .with("mb", MAX_LINE >> 20),
        )
    };
    let io = |e| CatastroError::io(path, e);
    let mut line = Vec::new();
    let mut cells = Cells::new();
    // The header: the first line that is not blank.
    let columns = loop {
        match lines.next(&mut line) {
            Err(LineError::Io(e)) => return Err(io(e)),
            Err(LineError::TooLong(n)) => return Err(too_long(n)),
            Ok(None) => return Err(CatastroError::unusable(path, errors::CATASTRO_EMPTY.msg())),
            Ok(Some(_)) if line.trim_ascii().is_empty() => continue,
            Ok(Some(_)) => {
                split(&line, true, &mut cells);
                break Columns::find(&cells)
                    .ok_or_else(|| not_a_catastro(path, errors::IN_THE_FIRST_ROW))?;
            }
        }
    };
    let mut record = Vec::new();
    let mut next = Vec::new();
    loop {
        match lines.next(&mut record) {
            Err(LineError::Io(e)) => return Err(io(e)),
            Err(LineError::TooLong(n)) => return Err(too_long(n)),
            Ok(None) => return Ok(()),
            Ok(Some(_)) if record.trim_ascii().is_empty() => continue,
            Ok(Some(_)) => {}
        }
        let mut joined = 1;
        let mut open = split(&record, true, &mut cells);
        // A quote still open at the line's end: the field goes on over the next lines,
        // unless the next line starts a row of its own or the quote has gone on too long.
        while open {
            let more = joined < MAX_QUOTED_LINES
                && match lines.peek(&mut next) {
                    Err(LineError::Io(e)) => return Err(io(e)),
                    Err(LineError::TooLong(n)) => return Err(too_long(n)),
                    Ok(more) => {
                        more && !starts_row(&next, &columns) && record.len() + next.len() < MAX_LINE
                    }
                };
            if !more {
                break;
            }
            lines.next(&mut next).map_err(|_| too_long(0))?;
            record.push(b'\n');
            record.extend_from_slice(&next);
            joined += 1;
            open = split(&record, true, &mut cells);
        }
        if open {
            // The quote is a stray one: the record is its first line alone, the lines
            // followed are read again as lines of their own.
            let first = record
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(record.len());
            let rest = record.split_off(first);
            lines.unread(&rest);
        }
        if open || (cells.len() < columns.width && memchr::memchr(b'"', &record).is_some()) {
            // A stray quote (one left open, or one that closed on the next quoted field and
            // merged the cells between): the line is read with its quotes as plain text
            // when its cells then fit the header; otherwise only the cells before the first
            // quote are sound.
            load.unclosed_quotes += 1;
            split(&record, false, &mut cells);
            let fits = cells.len() >= columns.width
                && cells
                    .iter()
                    .skip(columns.width)
                    .all(|c| c.trim_ascii().is_empty());
            if !fits {
                let sound = cells.iter().take_while(|c| !c.contains(&b'"')).count();
                if columns.ruc >= sound || columns.status >= sound {
                    load.rows += 1;
                    load.skip(Skip::UnclosedQuote);
                    continue;
                }
            }
        }
        rows.add(&columns, load, |i| cells.get(i))
            .map_err(|e| CatastroError::unusable(path, e))?;
    }
}

/// Whether a line starts a catastro row: a RUC (12 or 13 digits) where the RUC column is,
/// the line read on its own.
fn starts_row(line: &[u8], columns: &Columns) -> bool {
    let mut cells = Cells::new();
    split(line, true, &mut cells);
    cells.get(columns.ruc).is_some_and(|c| {
        let c = c.trim_ascii();
        (12..=13).contains(&c.len()) && c.iter().all(u8::is_ascii_digit)
    })
}

/// Splits `text` into cells at `|`, into `cells`; with `quoting`, a cell that starts with
/// `"` runs to its closing quote (`""` inside is a quote). Returns whether a quote is left
/// open at the end.
fn split(text: &[u8], quoting: bool, cells: &mut Cells) -> bool {
    cells.clear();
    if !quoting || memchr::memchr(b'"', text).is_none() {
        cells.set_split(text, b'|');
        return false;
    }
    let mut cell = Vec::new();
    let mut i = 0;
    loop {
        cell.clear();
        if text.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match memchr::memchr(b'"', &text[i..]) {
                    None => {
                        cell.extend_from_slice(&text[i..]);
                        cells.push(&cell);
                        return true;
                    }
                    Some(k) => {
                        cell.extend_from_slice(&text[i..i + k]);
                        i += k + 1;
                        if text.get(i) == Some(&b'"') {
                            cell.push(b'"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        // Unquoted text, or what follows a closing quote, up to the delimiter.
        let end = memchr::memchr(b'|', &text[i..]).map_or(text.len(), |k| i + k);
        cell.extend_from_slice(&text[i..end]);
        cells.push(&cell);
        if end == text.len() {
            return false;
        }
        i = end + 1;
    }
}

enum LineError {
    Io(std::io::Error),
    /// The line (1-based) is longer than [`MAX_LINE`].
    TooLong(u64),
}

/// The input's lines, without their line breaks (LF or CRLF), none longer than
/// [`MAX_LINE`]; one can be looked at before it is read, and text put back.
struct Lines<R> {
    input: R,
    /// Lines read so far.
    line: u64,
    /// Text put back, read before the input: whole lines, each ending in `\n`.
    back: Vec<u8>,
    peeked: Option<Vec<u8>>,
}

impl<R: BufRead> Lines<R> {
    fn new(input: R) -> Lines<R> {
        Lines {
            input,
            line: 0,
            back: Vec::new(),
            peeked: None,
        }
    }

    /// The next line into `out`; its number, or `None` at the end.
    fn next(&mut self, out: &mut Vec<u8>) -> Result<Option<u64>, LineError> {
        if let Some(peeked) = self.peeked.take() {
            out.clear();
            out.extend_from_slice(&peeked);
            self.line += 1;
            return Ok(Some(self.line));
        }
        if self.read(out)? {
            self.line += 1;
            Ok(Some(self.line))
        } else {
            Ok(None)
        }
    }

    /// The next line into `out`, left to be read again; false at the end.
    fn peek(&mut self, out: &mut Vec<u8>) -> Result<bool, LineError> {
        if self.peeked.is_none() {
            let mut line = Vec::new();
            if !self.read(&mut line)? {
                return Ok(false);
            }
            self.peeked = Some(line);
        }
        out.clear();
        out.extend_from_slice(self.peeked.as_deref().unwrap_or_default());
        Ok(true)
    }

    /// Puts back `text`: `\n` and the lines after it, read again next (they were read after
    /// the current line and before any peeked one).
    fn unread(&mut self, text: &[u8]) {
        let Some(text) = text.strip_prefix(b"\n") else {
            return;
        };
        let lines = memchr::memchr_iter(b'\n', text).count() as u64 + 1;
        self.line -= lines;
        let mut back = text.to_vec();
        back.push(b'\n');
        if let Some(peeked) = self.peeked.take() {
            back.extend_from_slice(&peeked);
            back.push(b'\n');
        }
        back.extend_from_slice(&self.back);
        self.back = back;
    }

    fn read(&mut self, out: &mut Vec<u8>) -> Result<bool, LineError> {
        out.clear();
        if !self.back.is_empty() {
            let end = memchr::memchr(b'\n', &self.back).unwrap_or(self.back.len());
            out.extend_from_slice(&self.back[..end]);
            self.back.drain(..(end + 1).min(self.back.len()));
            return Ok(true);
        }
        let mut any = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(LineError::Io(e)),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, i + 1),
                None => (buf.len(), buf.len()),
            };
            if out.len() + take > MAX_LINE {
                return Err(LineError::TooLong(self.line + 1));
            }
            out.extend_from_slice(&buf[..take]);
            let found = done > take;
            self.input.consume(done);
            if found {
                break;
            }
        }
        if out.last() == Some(&b'\r') {
            out.pop();
        }
        Ok(any)
    }
}

/// Counts the bytes read through it, across a zip's files: past [`MAX_EXPANDED`] the
/// reading stops with an error (headers may understate what a file expands to).
struct Capped<'a, R> {
    inner: R,
    read: &'a mut u64,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        *self.read += n as u64;
        if *self.read > MAX_EXPANDED {
            return Err(std::io::Error::other(expansion_refused(*self.read)));
        }
        Ok(n)
    }
}

fn expansion_refused(bytes: u64) -> Message {
    errors::CATASTRO_ZIP_BOMB
        .with("max", MAX_EXPANDED >> 30)
        .with("gb", bytes >> 30)
}

/// Loads every `.csv`/`.txt` file of a zip, as the SRI publishes every province.
pub fn load_zip(path: &Path, content: &Content) -> Result<(Catastro, CatastroLoad), CatastroError> {
    let input = content.open().map_err(|e| CatastroError::io(path, e))?;
    let damaged = |e: zip::result::ZipError| {
        CatastroError::unusable(path, errors::ZIP_DAMAGED.with("detail", e))
    };
    let mut zip = zip::ZipArchive::new(input).map_err(damaged)?;
    let declared = excel::expanded_size(&mut zip).map_err(damaged)?;
    if declared > MAX_EXPANDED {
        return Err(CatastroError::unusable(path, expansion_refused(declared)));
    }
    let mut load = CatastroLoad::new(path, "zip");
    let mut rows = Rows::default();
    let mut files = 0;
    let mut read = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.into_owned();
        let lower = name.to_ascii_lowercase();
        if entry.is_dir() || !(lower.ends_with(".csv") || lower.ends_with(".txt")) {
            continue;
        }
        let inner: PathBuf = path.join(&name);
        let capped = Capped {
            inner: entry,
            read: &mut read,
        };
        read_into(&inner, capped, &mut rows, &mut load)?;
        files += 1;
    }
    if files == 0 {
        return Err(CatastroError::unusable(path, errors::ZIP_NO_CSV.msg()));
    }
    Ok(rows.finish(load))
}

/// Loads a catastro saved as a workbook (`.xlsx`, `.ods`…): every sheet whose first rows
/// hold the RUC and status headers, streamed where calamine can, cells read as rosters read
/// them (a RUC stored as a number comes back as its digits).
pub(crate) fn load_workbook(
    path: &Path,
    content: &Content,
    kind: Kind,
) -> Result<(Catastro, CatastroLoad), CatastroError> {
    let mut book = Workbook::open(path, content, kind)?;
    let format = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut load = CatastroLoad::new(path, &format);
    let mut rows = Rows::default();
    let mut sheets = 0;
    for name in book.names.clone() {
        let place = excel::in_sheet(path, &name);
        let bad = |e: Message| CatastroError::unusable(&place, e);
        let mut sheet = book.sheet(&name)?;
        let mut cells = Cells::new();
        let mut columns = None;
        for _ in 0..HEADER_ROWS {
            if sheet.next_into(&mut cells).map_err(bad)?.is_none() {
                break;
            }
            if let Some(c) = Columns::find(&cells) {
                columns = Some(c);
                break;
            }
        }
        let Some(columns) = columns else {
            continue;
        };
        sheets += 1;
        while sheet.next_into(&mut cells).map_err(bad)?.is_some() {
            if cells.iter().all(|c| c.trim_ascii().is_empty()) {
                continue;
            }
            rows.add(&columns, &mut load, |i| cells.get(i))
                .map_err(|e| CatastroError::unusable(path, e))?;
        }
    }
    if sheets == 0 {
        return Err(not_a_catastro(path, errors::IN_ANY_SHEET));
    }
    Ok(rows.finish(load))
}

#[cfg(test)]
mod tests {
    use super::super::Listed;
    use super::*;
    use crate::ecuador::RucStatus;
    use crate::ecuador::Taxpayer;

    fn word(w: RucStatus) -> Option<Listed> {
        Some(Listed::Word(w))
    }

    #[test]
    fn reads_quoted_pipes_and_both_layouts() {
        let current = "\u{feff}NUMERO_RUC|RAZON_SOCIAL|ESTADO_CONTRIBUYENTE|NUMERO_ESTABLECIMIENTO\n\
                       1790011674001|\"ACME | Hijos\"|ACTIVO|1\n\
                       1790011674001|\"ACME | Hijos\"|ACTIVO|2\n\
                       0428813992001|PEREZ|SUSPENDIDO|1\n";
        let (c, load) = read_csv(Path::new("x.csv"), current.as_bytes()).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((load.rows, load.rucs), (3, 2));
        assert_eq!(
            c.get(1790011674001).map(|f| f.status),
            word(RucStatus::Activo)
        );
        assert_eq!(
            c.get(428813992001).map(|f| f.status),
            word(RucStatus::Suspendido)
        );
        let older = "PROVINCIA_JURISDICCION|NUMERO_RUC|NOMBRE_COMERCIAL|ESTADO_CONTRIBUYENTE\r\nGUAYAS|0992397535001|\"X\"|PASIVO\r\n";
        let c = load_csv(Path::new("y.csv"), older.as_bytes()).unwrap();
        assert_eq!(
            c.get(992397535001).map(|f| f.status),
            word(RucStatus::Pasivo)
        );
        assert!(load_csv(Path::new("z.csv"), "A|B\n1|2\n".as_bytes()).is_err());
        assert!(load_csv(Path::new("z.csv"), "".as_bytes()).is_err());
    }

    #[test]
    fn splits_as_csv_reads_quotes() {
        let cells = |text: &str, quoting| {
            let mut cells = Cells::new();
            let open = split(text.as_bytes(), quoting, &mut cells);
            let v: Vec<String> = cells
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            (v, open)
        };
        assert_eq!(
            cells("a|\"b | c\"|d", true),
            (vec!["a".into(), "b | c".into(), "d".into()], false)
        );
        assert_eq!(
            cells("a|\"say \"\"hi\"\"\"|", true),
            (vec!["a".into(), "say \"hi\"".into(), "".into()], false)
        );
        assert_eq!(
            cells("a|\"open|b", true),
            (vec!["a".into(), "open|b".into()], true)
        );
        assert_eq!(
            cells("a|\"open|b", false),
            (vec!["a".into(), "\"open".into(), "b".into()], false)
        );
        assert_eq!(
            cells("a|b\"c|d", true),
            (vec!["a".into(), "b\"c".into(), "d".into()], false)
        );
    }

    #[test]
    fn a_stray_quote_costs_its_line_at_most() {
        let text = "NUMERO_RUC|RAZON_SOCIAL|ESTADO_CONTRIBUYENTE|TIPO_CONTRIBUYENTE\n\
                    1790011674001|\"ACME|SUSPENDIDO|SOCIEDAD\n\
                    0428813992001|PEREZ|PASIVO|PERSONA NATURAL\n\
                    0992397535001|\"Line\nbreak\"|ACTIVO|SOCIEDAD\n\
                    1760001550001|\"A | B\"|\"stray|ACTIVO|SOCIEDAD\n\
                    1791251237001|X|CERRADO|SOCIEDAD\n";
        let (c, load) = read_csv(Path::new("q.csv"), text.as_bytes()).unwrap();
        assert_eq!(
            c.get(1790011674001).map(|f| f.status),
            word(RucStatus::Suspendido),
            "read without the quote"
        );
        assert_eq!(
            c.get(428813992001).map(|f| (f.status, f.taxpayer)),
            Some((Listed::Word(RucStatus::Pasivo), Some(Taxpayer::Person)))
        );
        assert_eq!(
            c.get(992397535001).map(|f| f.status),
            word(RucStatus::Activo),
            "a line break inside quotes is kept"
        );
        assert_eq!(
            c.get(1760001550001),
            None,
            "its cells do not fit the header either way"
        );
        assert_eq!(
            c.get(1791251237001).map(|f| f.status),
            word(RucStatus::Cerrado)
        );
        assert_eq!(load.unclosed_quotes, 2);
        assert_eq!(load.skipped.get(&Skip::UnclosedQuote), Some(&1));
        assert_eq!(load.rows, 5);

        // No row start after it: followed for MAX_QUOTED_LINES lines at most.
        let mut text = String::from(
            "RAZON_SOCIAL|NUMERO_RUC|ESTADO_CONTRIBUYENTE\n\"Open|1790011674001|ACTIVO\n",
        );
        for i in 0..50 {
            text.push_str(&format!(
                "Name {i}|{}|PASIVO\n",
                1_790_011_674_001u64 + 1000 * (i + 1)
            ));
        }
        let (c, load) = read_csv(Path::new("r.csv"), text.as_bytes()).unwrap();
        assert_eq!(c.len(), 51);
        assert_eq!(load.unclosed_quotes, 1);
    }

    #[test]
    fn lines_are_bounded() {
        let mut text = b"NUMERO_RUC|ESTADO_CONTRIBUYENTE\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        let err = load_csv(Path::new("long.csv"), &text[..])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("long.csv") && err.contains("line 2 is longer than 1 MB"),
            "{err}"
        );
        let zeros = std::io::repeat(0).take(1 << 30);
        let err = load_csv(Path::new("/dev/zero"), zeros)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1 is longer than 1 MB"), "{err}");
    }

    #[test]
    fn lost_zeros_are_restored_and_counted() {
        let text = "NUMERO_RUC|ESTADO_CONTRIBUYENTE\n\
                    992397535001|ACTIVO\n\
                    428813992001.0|PASIVO\n\
                    123|ACTIVO\n\
                    428813992002|ACTIVO\n";
        let (c, load) = read_csv(Path::new("z.csv"), text.as_bytes()).unwrap();
        assert!(c.get(992397535001).is_some() && c.get(428813992001).is_some());
        // 0428813992002 is a valid RUC too (establishment 002: a warning).
        assert_eq!(load.restored, 3);
        assert_eq!(load.skipped.get(&Skip::RucFormat), Some(&1));
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn the_provinces_a_file_covers() {
        let header =
            "NUMERO_RUC|CODIGO_JURISDICCION|ESTADO_CONTRIBUYENTE|DESCRIPCION_PROVINCIA_EST\n";
        // A Galápagos file: its establishments there, one of a Guayas company among them
        // (under one in ten rows: Guayas is not covered).
        let mut text = header.to_owned();
        for i in 0..20 {
            text.push_str(&format!(
                "20{:011}|ZONA 5|ACTIVO|GALAPAGOS\n",
                60_000_001 + i * 1000
            ));
        }
        text.push_str("0992397535001|ZONA 8|ACTIVO|GUAYAS\n");
        let (c, load) = read_csv(Path::new("SRI_RUC_Galapagos.csv"), text.as_bytes()).unwrap();
        assert_eq!(c.provinces(), Some(vec![20]));
        assert_eq!(load.provinces, Some(vec!["Galápagos".to_owned()]));
        assert!(c.covers(2_060_000_001_001) && !c.covers(992_397_535_001));
        assert!(
            load.describe(crate::finding::Lang::Es)
                .contains("provincias cubiertas: Galápagos")
        );
        // No province column: every province is taken as covered, as before.
        let (c, load) = read_csv(
            Path::new("x.csv"),
            "NUMERO_RUC|ESTADO_CONTRIBUYENTE\n0992397535001|ACTIVO\n".as_bytes(),
        )
        .unwrap();
        assert_eq!((c.provinces(), load.provinces), (None, None));
        assert!(c.covers(1_790_011_674_001));
        // The jurisdiction says it when the province column does not: ZONA 9 is Pichincha.
        let (c, _) = read_csv(
            Path::new("x.csv"),
            "NUMERO_RUC|CODIGO_JURISDICCION|ESTADO_CONTRIBUYENTE\n1790011674001|ZONA 9|ACTIVO\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(c.provinces(), Some(vec![17]));
        // Merged, the files cover their provinces together.
        let (galapagos, _) = read_csv(Path::new("g.csv"), text.as_bytes()).unwrap();
        let merged = Catastro::merge(vec![galapagos, c]);
        assert_eq!(merged.provinces(), Some(vec![17, 20]));
    }

    #[test]
    fn rucs_listed_again_are_folded_and_too_many_refused() {
        let columns = Columns {
            ruc: 0,
            status: 1,
            taxpayer: None,
            province: None,
            jurisdiction: None,
            width: 2,
        };
        let mut rows = Rows {
            compact_at: 64,
            max_rucs: 100,
            ..Rows::default()
        };
        let mut load = CatastroLoad::default();
        let mut cells = Cells::new();
        // 1,000 rows of 10 RUCs: memory holds about 10 entries, not 1,000.
        for i in 0..1000u64 {
            let ruc = format!("{}", 1_790_011_674_001 + (i % 10) * 1000);
            cells.set_split(format!("{ruc}|ACTIVO").as_bytes(), b'|');
            rows.add(&columns, &mut load, |c| cells.get(c)).unwrap();
        }
        assert!(
            rows.entries.capacity() <= 256,
            "{}",
            rows.entries.capacity()
        );
        let (catastro, load) = rows.finish(load);
        assert_eq!((load.rows, load.rucs, catastro.len()), (1000, 10, 10));
        // 1,000 distinct RUCs: past 100, refused.
        let mut rows = Rows {
            compact_at: 64,
            max_rucs: 100,
            ..Rows::default()
        };
        let mut load = CatastroLoad::default();
        let err = (0..1000u64)
            .find_map(|i| {
                let ruc = format!("{}", 1_790_011_674_001 + i * 1000);
                cells.set_split(format!("{ruc}|ACTIVO").as_bytes(), b'|');
                rows.add(&columns, &mut load, |c| cells.get(c)).err()
            })
            .unwrap();
        assert_eq!(
            err.to_string(),
            "more than 100 RUCs: not a catastro (Ecuador has a few million taxpayers)"
        );
    }

    #[test]
    fn trailing_delimiters_are_not_stray_quotes() {
        let text = "NUMERO_RUC|RAZON_SOCIAL|ESTADO_CONTRIBUYENTE\n\
                    1790011674001|\"A | B\"|ACTIVO|\n\
                    0428813992001|\"PEREZ|PASIVO|\n\
                    0992397535001|\"X\"|SUSPENDIDO\n";
        let (c, load) = read_csv(Path::new("t.csv"), text.as_bytes()).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(load.unclosed_quotes, 1);
        assert_eq!(
            c.get(428813992001).map(|f| f.status),
            word(RucStatus::Pasivo)
        );
    }
}
