//! The marked copy of a roster that cannot be edited in place (CSV, `.xls`, `.xlsb`,
//! `.ods`), first step: a new `.xlsx` with every row of every sheet at its address, each
//! cell as the text the run read (identifiers keep their zeros), written by
//! rust_xlsxwriter in constant-memory mode, the roster read a second time as it goes. The
//! marks, notes and verdict columns are then added by the same stream edit as an `.xlsx`
//! roster's (`xlsx_edit.rs`): rust_xlsxwriter keeps every note in memory (1.2 GB for the
//! 400,000 notes of 200,000 records), the edit writes them as a stream.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format, Note, Workbook, Worksheet, XlsxError};

use super::marks::Table;
use super::notes::note_lines;
use crate::roster::excel::{Kind, Workbook as Book};
use crate::roster::{Cells, Content, ReadOptions, RosterError, RowReader, csv::CsvRoster};

/// Why a values-only copy could not be written.
#[derive(Debug)]
pub(crate) enum ValuesError {
    Roster(RosterError),
    Workbook(XlsxError),
}

impl From<RosterError> for ValuesError {
    fn from(e: RosterError) -> ValuesError {
        ValuesError::Roster(e)
    }
}

impl From<XlsxError> for ValuesError {
    fn from(e: XlsxError) -> ValuesError {
        ValuesError::Workbook(e)
    }
}

/// Rows a sheet holds, and the longest text a cell takes.
const MAX_ROWS: u64 = 1_048_576;
const MAX_CELL: usize = 32_767;

/// A sheet name Excel takes: at most 31 characters, none of `[]:*?/\`, not blank, not
/// already used.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let mut base: String = clean.chars().take(31).collect();
    if base.is_empty() {
        base = "Sheet".to_owned();
    }
    let mut name = base.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
}

/// Text for a cell: Excel's longest, cut with `…`.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL || s.chars().count() <= MAX_CELL {
        return s.into();
    }
    let mut cut: String = s.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut.into()
}

/// Writes the cells of the roster `path` (its bytes in `content`), read with `opts` as the
/// run read it, into `out`: the copy before its marks. `first_note` goes on A1 of the first
/// sheet when that sheet is none of `tables` (else the marks' edit puts it there).
pub(crate) fn write<W: Write + Send>(
    path: &Path,
    content: &Content,
    tables: &[&Table],
    opts: &ReadOptions,
    first_note: &str,
    out: W,
) -> Result<W, ValuesError> {
    let mut workbook = Workbook::new();
    let text = Format::new().set_num_format("@");
    let mut used = Vec::new();
    let mut first = true;
    let mut note_here = |ws: &mut Worksheet, sheet: Option<&str>| -> Result<(), XlsxError> {
        if std::mem::take(&mut first) && !tables.iter().any(|t| t.source.sheet.as_deref() == sheet)
        {
            let note = Note::new(first_note)
                .set_author("patronal")
                .add_author_prefix(false)
                .set_width(320)
                .set_height(note_lines(first_note) * 16 + 8);
            ws.insert_note(0, 0, &note)?;
        }
        Ok(())
    };
    match Kind::of(path) {
        Some(kind) => {
            let mut book = Book::open(path, content, kind)?;
            for sheet in book.names.clone() {
                let ws = new_sheet(&mut workbook)?;
                ws.set_name(sheet_name(&sheet, &mut used))?;
                note_here(ws, Some(&sheet))?;
                let mut rows = book.sheet(&sheet)?;
                let mut cells = Cells::new();
                let place = crate::roster::excel::in_sheet(path, &sheet);
                while let Some(index) = rows
                    .next_into(&mut cells)
                    .map_err(|e| RosterError::unusable(&place, e))?
                {
                    let texts = cells.iter().map(|c| String::from_utf8_lossy(c));
                    write_row(ws, u64::from(index) + 1, texts, &text)?;
                }
            }
        }
        None => {
            let ws = new_sheet(&mut workbook)?;
            let stem = path
                .file_stem()
                .map_or_else(|| "Sheet".to_owned(), |s| s.to_string_lossy().into_owned());
            ws.set_name(sheet_name(&stem, &mut used))?;
            note_here(ws, None)?;
            let mut roster = CsvRoster::every_row(path, content, opts)?;
            let decoder = roster.source().decoder;
            let mut cells = Cells::new();
            while let Some(row) = roster.read(&mut cells)? {
                let texts = cells.iter().map(|c| decoder.decode(c));
                write_row(ws, row, texts, &text)?;
            }
        }
    }
    if workbook.worksheets().is_empty() {
        workbook.add_worksheet();
    }
    let mut out = out;
    workbook.save_to_writer(&mut out)?;
    Ok(out)
}

/// One row's cells, as text, at row `row` (1-based).
fn write_row<'a>(
    ws: &mut Worksheet,
    row: u64,
    cells: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    text: &Format,
) -> Result<(), ValuesError> {
    if row > MAX_ROWS {
        return Err(ValuesError::Workbook(XlsxError::RowColumnLimitError));
    }
    for (c, cell) in cells.enumerate() {
        if !cell.is_empty() {
            ws.write_string_with_format((row - 1) as u32, c as u16, cell_text(&cell), text)?;
        }
    }
    Ok(())
}

/// A sheet streamed through a temporary file; in the browser, which has none, held in
/// memory.
fn new_sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    #[cfg(not(target_family = "wasm"))]
    return book.add_worksheet_with_constant_memory();
    #[cfg(target_family = "wasm")]
    return Ok(book.add_worksheet());
}
