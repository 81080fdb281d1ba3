//! The records sheets: the one table shape of the layout (the recognised fields, the
//! verdict filled by status, the other roster columns), a row per record, in
//! constant-memory mode; past 1,048,575 records they go on in "Records 2", "Records 3"…

use std::io::{Seek, Write};

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::{Formats, MAX_CELL_CHARS, MAX_WIDTH, MESSAGES_WIDTH, XlsxWriter, footer};
use crate::finding::{Lang, Verdict};
use crate::report::{Record, ReportError, Sink};

pub(super) fn sheet_names(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Summary", "Records"),
        Lang::Es => ("Resumen", "Registros"),
    }
}

/// The name of the `n`th records sheet: "Records", "Records 2"…
pub(super) fn records_sheet(lang: Lang, n: usize) -> String {
    let base = sheet_names(lang).1;
    match n {
        1 => base.to_owned(),
        n => format!("{base} {n}"),
    }
}

fn index(status: Verdict) -> usize {
    match status {
        Verdict::Ready => 0,
        Verdict::Invalid => 1,
        Verdict::InPerson => 2,
    }
}

impl<W: Write + Seek + Send> XlsxWriter<W> {
    /// The records sheet being written.
    fn records(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.book.worksheet_from_index(self.sheets)
    }

    /// The current records sheet is full: filter it and go on to the next.
    fn next_sheet(&mut self) -> Result<(), XlsxError> {
        let last_col = (self.headers.len() - 1) as u16;
        let last_row = self.row - 1;
        self.records()?.autofilter(0, 0, last_row, last_col)?;
        self.sheets += 1;
        let name = records_sheet(self.lang, self.sheets);
        add_records_sheet(
            &mut self.book,
            &name,
            &self.headers,
            &self.formats,
            self.lang,
        )?;
        self.row = 1;
        Ok(())
    }
}

/// The width of a cell's text in characters, up to [`MAX_WIDTH`] (its longest line).
pub(super) fn width_of(text: &str) -> usize {
    text.lines()
        .map(|l| l.chars().take(MAX_WIDTH).count())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH)
}

/// Adds a records sheet (constant memory) with its header row, frozen, and its print setup:
/// landscape, one page wide, the header row on every page.
pub(super) fn add_records_sheet(
    book: &mut Workbook,
    name: &str,
    headers: &[String],
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    // Constant memory streams the rows through a temporary file; the browser has no file
    // system, so there the sheet is kept in memory (same cells, strings shared rather than
    // inline in the sheet's XML).
    #[cfg(not(target_family = "wasm"))]
    let sheet = book.add_worksheet_with_constant_memory()?;
    #[cfg(target_family = "wasm")]
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, cell_text(h), &formats.header)?;
    }
    // The header row, and the identification and RUC beside every column.
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_row_height(0, 30)?;
    sheet.set_landscape();
    // A4, Ecuador's paper size (INEN).
    sheet.set_paper_size(9);
    sheet.set_margins(0.3, 0.3, 0.5, 0.5, 0.2, 0.2);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_gridlines(true);
    sheet.set_footer(footer(lang));
    Ok(())
}

/// `text`, cut to what a cell holds: the first 32,766 characters and "…".
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CELL_CHARS {
        return text.into();
    }
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

impl<W: Write + Seek + Send> Sink for XlsxWriter<W> {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        Ok(self.put(r)?)
    }
}

impl<W: Write + Seek + Send> XlsxWriter<W> {
    /// Row `row` of the current records sheet is `lines` lines high: kept apart from the
    /// library's row table, which grows with every such row ([`super::heights`]), except in
    /// the browser.
    fn set_lines(&mut self, row: u32, lines: u8) -> Result<(), XlsxError> {
        #[cfg(test)]
        if self.library_heights {
            self.records()?
                .set_row_height(row, 15.0 * f64::from(lines))?;
            return Ok(());
        }
        #[cfg(not(target_family = "wasm"))]
        self.heights.set(self.sheets, row, lines);
        #[cfg(target_family = "wasm")]
        self.records()?
            .set_row_height(row, 15.0 * f64::from(lines))?;
        Ok(())
    }

    /// Writes a roster cell (text, never a number or a formula) and widens its column.
    fn roster_cell(&mut self, row: u32, col: usize, text: &str) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        let w = &mut self.widths[col];
        *w = (*w).max(width_of(text) + 2);
        // Without a format: looking one up hashes it, per cell.
        self.records()?
            .write_string(row, col as u16, cell_text(text))?;
        Ok(())
    }

    fn put(&mut self, r: &Record) -> Result<(), XlsxError> {
        if self.row > self.records_per_sheet {
            self.next_sheet()?;
        }
        let row = self.row;
        self.row += 1;
        let lang = self.lang;
        // Messages (one a line) and codes wrap: the row is as tall as they are, set before
        // its cells (constant-memory mode); spreadsheets do not grow it by themselves.
        let codes_len: usize = r
            .checked
            .findings
            .iter()
            .map(|f| f.code.name().len() + 1)
            .sum();
        let lines = r
            .checked
            .findings
            .iter()
            .map(|f| {
                let chars = f.message(lang).chars().count();
                chars.div_ceil(MESSAGES_WIDTH * 7 / 5).max(1)
            })
            .sum::<usize>()
            .max(codes_len.div_ceil(MAX_WIDTH));
        if lines > 1 {
            self.set_lines(row, lines.min(20) as u8)?;
        }
        let fields = self.layout.fields.len();
        // The roster's cells: the fields, then the other columns that fit.
        let pairs = std::mem::take(&mut self.layout.cells[r.source_index]);
        let mut result = Ok(());
        for &(column, cell) in &pairs {
            let column = column as usize;
            let col = if column < fields {
                column
            } else if column - fields < self.others {
                self.others_col + column - fields
            } else {
                continue;
            };
            let text = r
                .source
                .decoder
                .decode(r.cells.get(cell as usize).unwrap_or_default());
            result = self.roster_cell(row, col, &text);
            if result.is_err() {
                break;
            }
        }
        self.layout.cells[r.source_index] = pairs;
        result?;

        // The verdict, filled by status.
        let status = index(r.status);
        let codes: Vec<&str> = r.checked.findings.iter().map(|f| f.code.name()).collect();
        let messages: Vec<_> = r.checked.findings.iter().map(|f| f.message(lang)).collect();
        let messages = messages.join("\n");
        let v = self.verdict_col;
        let fill = self.formats.fills[status].clone();
        let wrapped = self.formats.wrapped[status].clone();
        let result = r.status.label(lang);
        let codes = codes.join(" ");
        for (col, text) in [(v, result), (v + 1, codes.as_str())] {
            let w = &mut self.widths[col];
            *w = (*w).max(width_of(text) + 2);
        }
        let sheet = self.records()?;
        sheet.write_string_with_format(row, v as u16, result, &fill)?;
        sheet.write_string_with_format(row, (v + 1) as u16, codes, &wrapped)?;
        sheet.write_string_with_format(row, (v + 2) as u16, cell_text(&messages), &wrapped)?;
        let ids = [
            r.checked.id.to_string(),
            r.checked.ruc.to_string(),
            r.checked.sucursal.to_string(),
            self.names[r.source_index].clone(),
        ];
        for (i, text) in ids.iter().enumerate() {
            self.roster_cell(row, v + 3 + i, text)?;
        }
        self.records()?
            .write_number(row, (v + 7) as u16, r.row as f64)?;
        if self.compare {
            let change = r.change.map_or("", |c| c.label(lang));
            self.roster_cell(row, v + 8, change)?;
        }
        // Cells beyond the header (a malformed row), in the last column.
        let extra = self.layout.extra_cells(r);
        let last = self.headers.len() - 1;
        self.roster_cell(row, last, &extra)?;
        Ok(())
    }
}
