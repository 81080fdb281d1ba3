//! Workbook rosters: `.xlsx`, `.xlsm` and `.xlsb` streamed cell by cell, `.xls` and `.ods`
//! loaded sheet by sheet (calamine reads those whole). Every sheet with a recognisable
//! header is a table of its own; `row` is the row number Excel shows.
//!
//! Cells become the text a person sees: numbers stored for identifiers come back as digits
//! (`912345678`, never `9.12345678E8`), padded to the width of an all-zeros number format
//! (`0000000000`) when the cell has one, so that the rules restore a lost leading zero (with
//! a warning) only when the user did not see it either.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

use ::csv::ByteRecord;
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsb, Xlsx};

use super::headers::{ColumnMap, HEADER_SEARCH_ROWS, find_header_row};
use super::{Decoder, ReadOptions, RosterError, RowReader, Source};

/// The workbook formats, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Kind::Xlsx,
            "xlsb" => Kind::Xlsb,
            "xls" => Kind::Xls,
            "ods" => Kind::Ods,
            _ => return None,
        })
    }
}

/// A zip-based workbook whose parts expand to more than this is refused (a zip bomb).
const MAX_EXPANDED: u64 = 4 << 30;

/// Rows of one sheet: (0-based row index, cell texts).
type Rows = Vec<(u32, Vec<String>)>;

/// Opens every sheet of a workbook that has a recognisable header (or the `--sheet` ones).
pub fn open(
    path: &Path,
    kind: Kind,
    opts: &ReadOptions,
) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    check_container(path, kind)?;
    let names = sheet_names(path, kind)?;
    for wanted in &opts.sheets {
        if !names.iter().any(|n| n == wanted) {
            return Err(RosterError::unusable(
                path,
                format!("no sheet named {wanted:?}; sheets: {}", quoted(&names)),
            ));
        }
    }
    let chosen: Vec<&String> = if opts.sheets.is_empty() {
        names.iter().collect()
    } else {
        names.iter().filter(|n| opts.sheets.contains(n)).collect()
    };
    let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
    let mut best: Option<(String, Vec<String>, ColumnMap)> = None;
    for name in chosen {
        let mut rows = SheetRows::spawn(path.to_owned(), kind, name.clone());
        let mut head: Rows = Vec::new();
        while head.len() < HEADER_SEARCH_ROWS {
            match rows.next().map_err(|e| RosterError::unusable(path, e))? {
                Some(row) => head.push(row),
                None => break,
            }
        }
        let texts: Vec<Vec<String>> = head.iter().map(|(_, cells)| cells.clone()).collect();
        let Some((index, map)) = find_header_row(&texts, &opts.overrides) else {
            continue;
        };
        let header_row = head[index].0;
        let headers = head[index].1.clone();
        if !map.missing().is_empty() {
            if best
                .as_ref()
                .is_none_or(|(_, _, m)| map.matched() > m.matched())
            {
                best = Some((name.clone(), headers, map));
            }
            continue;
        }
        let pending = head.split_off(index + 1);
        readers.push(Box::new(ExcelRoster {
            source: Arc::new(Source {
                path: path.to_owned(),
                sheet: Some(name.clone()),
                headers,
                map,
                decoder: Decoder::Utf8,
                dialect: format!("{kind:?}").to_lowercase(),
            }),
            rows,
            pending: pending.into_iter(),
            last_row: header_row,
            blank: 0,
        }));
    }
    if readers.is_empty() {
        return Err(match best {
            Some((sheet, headers, map)) => {
                let path = PathBuf::from(format!("{}[{sheet}]", path.display()));
                RosterError::missing_columns(&path, &map.missing(), &headers)
            }
            None => RosterError::unusable(
                path,
                format!(
                    "no sheet has a header row with id and RUC columns; sheets: {}",
                    quoted(&names)
                ),
            ),
        });
    }
    Ok(readers)
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|n| format!("{:?}", crate::text::sanitize(n)))
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// Refuses what calamine should not be asked to expand: an encrypted workbook (a CFB file
/// behind an `.xlsx` name) and a zip bomb.
fn check_container(path: &Path, kind: Kind) -> Result<(), RosterError> {
    if !matches!(kind, Kind::Xlsx | Kind::Xlsb | Kind::Ods) {
        return Ok(());
    }
    let mut magic = [0u8; 4];
    let mut file = File::open(path).map_err(|e| RosterError::io(path, e))?;
    let n = file
        .read(&mut magic)
        .map_err(|e| RosterError::io(path, e))?;
    if n == 4 && magic == [0xD0, 0xCF, 0x11, 0xE0] {
        return Err(RosterError::unusable(
            path,
            "password-protected (encrypted) workbook, or an old .xls renamed: open it in Excel and save it as .xlsx without a password",
        ));
    }
    let file = File::open(path).map_err(|e| RosterError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        RosterError::unusable(
            path,
            format!("not a valid workbook (damaged or not a zip: {e})"),
        )
    })?;
    let mut expanded: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| RosterError::unusable(path, format!("damaged workbook: {e}")))?;
        expanded = expanded.saturating_add(entry.size());
    }
    if expanded > MAX_EXPANDED {
        return Err(RosterError::unusable(
            path,
            format!(
                "the workbook would expand to {} GB: refused (a zip bomb, or not a roster)",
                expanded >> 30
            ),
        ));
    }
    Ok(())
}

fn sheet_names(path: &Path, kind: Kind) -> Result<Vec<String>, RosterError> {
    let bad = |e: String| RosterError::unusable(path, format!("cannot read the workbook: {e}"));
    Ok(match kind {
        Kind::Xlsx => calamine::open_workbook::<Xlsx<_>, _>(path)
            .map_err(|e| bad(e.to_string()))?
            .sheet_names(),
        Kind::Xlsb => calamine::open_workbook::<Xlsb<_>, _>(path)
            .map_err(|e| bad(e.to_string()))?
            .sheet_names(),
        Kind::Xls => calamine::open_workbook::<Xls<_>, _>(path)
            .map_err(|e| bad(e.to_string()))?
            .sheet_names(),
        Kind::Ods => calamine::open_workbook::<Ods<_>, _>(path)
            .map_err(|e| bad(e.to_string()))?
            .sheet_names(),
    })
}

/// A sheet's rows, produced by a thread that owns the workbook (calamine's cell reader
/// borrows it), in batches through a bounded channel: reading overlaps checking, and memory
/// holds a few batches whatever the sheet's size.
struct SheetRows {
    batches: Receiver<Result<Rows, String>>,
    current: std::vec::IntoIter<(u32, Vec<String>)>,
}

impl SheetRows {
    fn spawn(path: PathBuf, kind: Kind, sheet: String) -> SheetRows {
        let (tx, rx) = sync_channel(4);
        std::thread::spawn(move || {
            let mut batch = Rows::with_capacity(BATCH);
            let mut emit = |row: (u32, Vec<String>)| -> bool {
                batch.push(row);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Rows::with_capacity(BATCH));
                    return tx.send(Ok(full)).is_ok();
                }
                true
            };
            let result = produce(&path, kind, &sheet, &mut emit);
            let _ = match result {
                Ok(()) => tx.send(Ok(batch)),
                Err(e) => tx.send(Err(e)),
            };
        });
        SheetRows {
            batches: rx,
            current: Vec::new().into_iter(),
        }
    }

    fn next(&mut self) -> Result<Option<(u32, Vec<String>)>, String> {
        loop {
            if let Some(row) = self.current.next() {
                return Ok(Some(row));
            }
            match self.batches.recv() {
                Ok(Ok(batch)) if batch.is_empty() => return Ok(None),
                Ok(Ok(batch)) => self.current = batch.into_iter(),
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(None),
            }
        }
    }
}

const BATCH: usize = 512;

/// Streams a sheet's rows to `emit` (which returns false to stop).
fn produce(
    path: &Path,
    kind: Kind,
    sheet: &str,
    emit: &mut dyn FnMut((u32, Vec<String>)) -> bool,
) -> Result<(), String> {
    let mut row = RowBuilder::default();
    match kind {
        Kind::Xlsx => {
            let mut book: Xlsx<_> =
                calamine::open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
            let mut cells = book
                .worksheet_cells_reader(sheet)
                .map_err(|e| e.to_string())?;
            let widths: Vec<Option<usize>> = cells
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .and_then(|f| zero_width(&f.format_code))
                })
                .collect();
            while let Some((cell, style)) =
                cells.next_cell_with_style_id().map_err(|e| e.to_string())?
            {
                let (r, c) = cell.get_position();
                let width = widths.get(style).copied().flatten();
                let text = text_of_ref(cell.get_value(), width);
                if !row.put(r, c, text, emit) {
                    return Ok(());
                }
            }
        }
        Kind::Xlsb => {
            let mut book: Xlsb<_> =
                calamine::open_workbook(path).map_err(|e: calamine::XlsbError| e.to_string())?;
            let mut cells = book
                .worksheet_cells_reader(sheet)
                .map_err(|e| e.to_string())?;
            while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
                let (r, c) = cell.get_position();
                if !row.put(r, c, text_of_ref(cell.get_value(), None), emit) {
                    return Ok(());
                }
            }
        }
        Kind::Xls | Kind::Ods => {
            let range = match kind {
                Kind::Xls => {
                    let mut book: Xls<_> = calamine::open_workbook(path)
                        .map_err(|e: calamine::XlsError| e.to_string())?;
                    book.worksheet_range(sheet).map_err(|e| e.to_string())?
                }
                _ => {
                    let mut book: Ods<_> = calamine::open_workbook(path)
                        .map_err(|e: calamine::OdsError| e.to_string())?;
                    book.worksheet_range(sheet).map_err(|e| e.to_string())?
                }
            };
            let (top, left) = range.start().unwrap_or((0, 0));
            for (i, cells) in range.rows().enumerate() {
                for (j, value) in cells.iter().enumerate() {
                    if *value != Data::Empty {
                        let text = text_of(value);
                        if !row.put(top + i as u32, left + j as u32, text, emit) {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }
    if let Some(last) = row.take() {
        emit(last);
    }
    Ok(())
}

/// Gathers cells, which arrive in row order, into rows.
#[derive(Default)]
struct RowBuilder {
    index: Option<u32>,
    cells: Vec<String>,
}

impl RowBuilder {
    fn put(
        &mut self,
        r: u32,
        c: u32,
        text: String,
        emit: &mut dyn FnMut((u32, Vec<String>)) -> bool,
    ) -> bool {
        if self.index != Some(r) {
            if let Some(done) = self.take()
                && !emit(done)
            {
                return false;
            }
            self.index = Some(r);
        }
        if text.is_empty() {
            return true;
        }
        let c = c as usize;
        if self.cells.len() <= c {
            self.cells.resize(c + 1, String::new());
        }
        self.cells[c] = text;
        true
    }

    fn take(&mut self) -> Option<(u32, Vec<String>)> {
        let index = self.index.take()?;
        Some((index, std::mem::take(&mut self.cells)))
    }
}

/// The width of an all-zeros number format (`0000000000` → 10), if that is what it is.
/// Only the first section counts (`0000000000;-0000000000`); quotes and backslashes around
/// the zeros are tolerated.
pub fn zero_width(format: &str) -> Option<usize> {
    let first = format.split(';').next().unwrap_or_default();
    let zeros: String = first.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
    (zeros.len() >= 2 && zeros.bytes().all(|b| b == b'0')).then_some(zeros.len())
}

/// A number as the digits a person sees. Integral values print without a fraction or an
/// exponent; beyond 15 significant digits Excel has already rounded, and the digits printed
/// are too many for any identifier, so the rules refuse them.
fn number(f: f64, width: Option<usize>) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() != 0.0 {
        // `912345678.5`: the rules keep the dot and refuse it.
        return f.to_string();
    }
    let digits = format!("{f:.0}");
    match width {
        Some(w) if f >= 0.0 && digits.len() < w => format!("{digits:0>w$}"),
        _ => digits,
    }
}

fn text_of_ref(value: &DataRef, width: Option<usize>) -> String {
    match value {
        DataRef::Int(i) => number(*i as f64, width),
        DataRef::Float(f) => number(*f, width),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn text_of(value: &Data) -> String {
    match value {
        Data::Int(i) => number(*i as f64, None),
        Data::Float(f) => number(*f, None),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// One sheet, positioned after its header row.
struct ExcelRoster {
    source: Arc<Source>,
    rows: SheetRows,
    /// Rows read while looking for the header.
    pending: std::vec::IntoIter<(u32, Vec<String>)>,
    /// The 0-based index of the last row handed out (or of the header).
    last_row: u32,
    blank: u64,
}

impl RowReader for ExcelRoster {
    fn source(&self) -> &Arc<Source> {
        &self.source
    }

    fn read(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, RosterError> {
        loop {
            let next = match self.pending.next() {
                Some(row) => Some(row),
                None => self
                    .rows
                    .next()
                    .map_err(|e| RosterError::unusable(&self.source.path, e))?,
            };
            let Some((index, cells)) = next else {
                return Ok(None);
            };
            // Rows with no cell at all never arrive: count the gap.
            self.blank += u64::from(index.saturating_sub(self.last_row + 1));
            self.last_row = index;
            if cells.iter().all(|c| c.trim().is_empty()) {
                self.blank += 1;
                continue;
            }
            record.clear();
            for cell in &cells {
                record.push_field(cell.as_bytes());
            }
            // Excel does not store empty trailing cells: a short row is not a malformed one.
            for _ in cells.len()..self.source.headers.len() {
                record.push_field(b"");
            }
            return Ok(Some(u64::from(index) + 1));
        }
    }

    fn blank_rows(&self) -> u64 {
        self.blank
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_formats_give_a_width() {
        assert_eq!(zero_width("0000000000"), Some(10));
        assert_eq!(zero_width("0000000000000;-0"), Some(13));
        assert_eq!(zero_width("\"\"0000"), Some(4));
        assert_eq!(zero_width("0"), None);
        assert_eq!(zero_width("General"), None);
        assert_eq!(zero_width("0.00"), None);
        assert_eq!(zero_width("#,##0"), None);
    }

    #[test]
    fn numbers_print_as_digits() {
        assert_eq!(number(912345678.0, None), "912345678");
        assert_eq!(number(912345678.0, Some(10)), "0912345678");
        assert_eq!(number(912345678001.0, Some(13)), "0912345678001");
        assert_eq!(number(1.0, Some(4)), "0001");
        assert_eq!(number(912345678.5, None), "912345678.5");
        assert_eq!(number(1714307103001001.0, None), "1714307103001001");
        assert_eq!(number(1e21, None), "1000000000000000000000");
    }
}
