//! The marked copy of a roster that cannot be edited in place (CSV, `.xls`, `.xlsb`,
//! `.ods`): a new `.xlsx` with every row of every sheet at its address, each cell as the
//! text the run read (identifiers keep their zeros), the marks and the verdict columns as
//! in an edited copy; a note on the first sheet's A1 says it holds the values only. Written
//! by rust_xlsxwriter in constant-memory mode, the roster read a second time as it goes.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, Note, Workbook, Worksheet, XlsxError};

use super::marks::{self, Table};
use super::notes::note_lines;
use crate::finding::{Lang, Severity, Verdict};
use crate::i18n::marked as texts;
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

/// The formats of the copy's cells.
struct Formats {
    text: Format,
    marked: HashMap<Severity, Format>,
    heading: Format,
    result: HashMap<Verdict, Format>,
    wrapped: Format,
}

impl Formats {
    fn new() -> Formats {
        let text = Format::new().set_num_format("@");
        let fill = |c: u32| text.clone().set_background_color(Color::RGB(c));
        Formats {
            marked: [Severity::Error, Severity::InPerson, Severity::Warning]
                .into_iter()
                .map(|s| (s, fill(marks::severity_color(s))))
                .collect(),
            heading: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(marks::HEADING_COLOR))
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            result: [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
                .into_iter()
                .map(|v| {
                    let f = fill(marks::verdict_color(v)).set_align(FormatAlign::Top);
                    (v, f)
                })
                .collect(),
            wrapped: text.clone().set_align(FormatAlign::Top).set_text_wrap(),
            text,
        }
    }
}

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

/// Writes the values-only copy of the roster `path` (its bytes in `content`), read with
/// `opts` as the run read it, into `out`.
pub(crate) fn write<W: Write + Send>(
    path: &Path,
    content: &Content,
    tables: &[&Table],
    opts: &ReadOptions,
    lang: Lang,
    out: W,
) -> Result<W, ValuesError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let format_name = match Kind::of(path) {
        Some(Kind::Xls) => ".xls",
        Some(Kind::Xlsb) => ".xlsb",
        Some(Kind::Ods) => ".ods",
        _ => "CSV",
    };
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let first_note = texts::MARKED_VALUES_ONLY
        .with("name", &name)
        .with("format", format_name)
        .render(lang);
    let mut used = Vec::new();
    let mut first = Some(first_note);
    match Kind::of(path) {
        Some(kind) => {
            let mut book = Book::open(path, content, kind)?;
            for sheet in book.names.clone() {
                let ws = new_sheet(&mut workbook)?;
                ws.set_name(sheet_name(&sheet, &mut used))?;
                let table = tables
                    .iter()
                    .find(|t| t.source.sheet.as_deref() == Some(sheet.as_str()));
                let mut rows = book.sheet(&sheet)?;
                let mut cells = Cells::new();
                let place = crate::roster::excel::in_sheet(path, &sheet);
                let mut sheet_writer = SheetCopy::new(ws, table.copied(), &formats, lang);
                while let Some(index) = rows
                    .next_into(&mut cells)
                    .map_err(|e| RosterError::unusable(&place, e))?
                {
                    let texts: Vec<String> = cells
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect();
                    sheet_writer.row(u64::from(index) + 1, &texts, &mut first)?;
                }
                sheet_writer.finish(&mut first)?;
            }
        }
        None => {
            let ws = new_sheet(&mut workbook)?;
            let stem = path
                .file_stem()
                .map_or_else(|| "Sheet".to_owned(), |s| s.to_string_lossy().into_owned());
            ws.set_name(sheet_name(&stem, &mut used))?;
            let mut roster = CsvRoster::every_row(path, content, opts)?;
            let decoder = roster.source().decoder;
            let mut cells = Cells::new();
            let mut sheet_writer = SheetCopy::new(ws, tables.first().copied(), &formats, lang);
            while let Some(row) = roster.read(&mut cells)? {
                let texts: Vec<String> = cells
                    .iter()
                    .map(|c| decoder.decode(c).into_owned())
                    .collect();
                sheet_writer.row(row, &texts, &mut first)?;
            }
            sheet_writer.finish(&mut first)?;
        }
    }
    if workbook.worksheets().is_empty() {
        workbook.add_worksheet();
    }
    let mut out = out;
    workbook.save_to_writer(&mut out)?;
    Ok(out)
}

/// A sheet streamed through a temporary file; in the browser, which has none, held in
/// memory.
fn new_sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    #[cfg(not(target_family = "wasm"))]
    return book.add_worksheet_with_constant_memory();
    #[cfg(target_family = "wasm")]
    return Ok(book.add_worksheet());
}

/// One sheet of the copy being written, row by row.
struct SheetCopy<'a> {
    ws: &'a mut Worksheet,
    table: Option<&'a Table>,
    formats: &'a Formats,
    lang: Lang,
    /// The next record of the table.
    next: usize,
    /// The first verdict column: after the widest row up to the header.
    start: u32,
}

impl<'a> SheetCopy<'a> {
    fn new(
        ws: &'a mut Worksheet,
        table: Option<&'a Table>,
        formats: &'a Formats,
        lang: Lang,
    ) -> SheetCopy<'a> {
        SheetCopy {
            start: table.map_or(0, |t| t.width as u32),
            ws,
            table,
            formats,
            lang,
            next: 0,
        }
    }

    fn row(&mut self, row: u64, cells: &[String], first: &mut Option<String>) -> Result<(), ValuesError> {
        if row > MAX_ROWS {
            return Err(ValuesError::Workbook(XlsxError::RowColumnLimitError));
        }
        let r = (row - 1) as u32;
        let table = self.table;
        let header = table.map(|t| t.source.header_row.max(1));
        if header.is_some_and(|h| row < h) {
            self.start = self.start.max(cells.len() as u32);
        }
        let record = table
            .and_then(|t| t.rows.get(self.next))
            .filter(|m| m.row == row);
        let mut marked: Vec<marks::CellMark> = Vec::new();
        if let (Some(t), Some(m)) = (table, record) {
            marked = marks::cell_marks(&t.source, m, self.lang);
            self.next += 1;
        }
        for (c, text) in cells.iter().enumerate() {
            let mark = marked.iter().find(|m| m.col == c as u32);
            let format = match mark {
                Some(m) => &self.formats.marked[&m.severity],
                None => &self.formats.text,
            };
            if text.is_empty() && mark.is_none() {
                continue;
            }
            self.ws
                .write_string_with_format(r, c as u16, cell_text(text), format)?;
        }
        for m in &marked {
            if m.col as usize >= cells.len() {
                self.ws
                    .write_blank(r, m.col as u16, &self.formats.marked[&m.severity])?;
            }
            let mut text = m.note.clone();
            if row == 1
                && m.col == 0
                && let Some(note) = first.take()
            {
                text = format!("{note}\n\n{text}");
            }
            self.note(r, m.col, &text)?;
        }
        if header == Some(row) {
            if let Some(t) = table {
                for (i, h) in marks::headings(self.lang).iter().enumerate() {
                    let c = (self.start + i as u32) as u16;
                    self.ws.write_string_with_format(r, c, h, &self.formats.heading)?;
                }
                self.ws.set_freeze_panes(r + 1, 0)?;
                let last = t.rows.last().map_or(row, |m| m.row.max(row));
                self.ws.autofilter(
                    r,
                    marks::first_column(&t.source) as u16,
                    (last - 1) as u32,
                    (self.start + 3) as u16,
                )?;
                for (i, w) in marks::WIDTHS.into_iter().enumerate() {
                    self.ws.set_column_width((self.start + i as u32) as u16, w)?;
                }
            }
        }
        if let (Some(t), Some(m)) = (table, record) {
            let cells = marks::verdict_cells(&t.source, m, self.lang);
            let lines = (cells.iter().enumerate())
                .map(|(i, c)| marks::shown_lines(i, c))
                .max()
                .unwrap_or(1);
            if lines > 1 {
                self.ws.set_row_height(r, 15.0 * lines as f64)?;
            }
            for (i, text) in cells.iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                let format = match i {
                    0 => &self.formats.result[&m.verdict],
                    _ => &self.formats.wrapped,
                };
                let c = (self.start + i as u32) as u16;
                self.ws.write_string_with_format(r, c, cell_text(text), format)?;
            }
        }
        Ok(())
    }

    fn note(&mut self, r: u32, c: u32, text: &str) -> Result<(), ValuesError> {
        let text: String = text.chars().take(MAX_CELL - 200).collect();
        let note = Note::new(text.as_str())
            .set_author("patronal")
            .add_author_prefix(false)
            .set_width(320)
            .set_height(note_lines(&text) * 16 + 8);
        self.ws.insert_note(r, c as u16, &note)?;
        Ok(())
    }

    /// The values-only note goes on A1 of the first sheet (with A1's own, if marked).
    fn finish(mut self, first: &mut Option<String>) -> Result<(), ValuesError> {
        if let Some(note) = first.take() {
            self.note(0, 0, &note)?;
        }
        Ok(())
    }
}
