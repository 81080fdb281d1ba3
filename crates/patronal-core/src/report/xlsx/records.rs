//! The records sheets: the one table shape of the layout (the recognised fields, the
//! verdict filled by status, the other roster columns), a row per record, in
//! constant-memory mode; past 1,048,575 records they go on in "Records 2", "Records 3"…
//!
//! The verdict, for a person: the result; the findings, one line each, `CODE — message`;
//! how to fix each one, on the same line of the next column; the normalised identifiers;
//! the file and row. Each row is as tall as its tallest cell's lines at its column's width
//! (`fit.rs`), so that no line of a finding is hidden.

use std::sync::Arc;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::{Formats, MAX_COLUMNS, RECORDS_PER_SHEET, View, cell_text, fit};
use crate::finding::Lang;
use crate::i18n::labels;
use crate::report::layout::{Layout, field_heading, workbook_verdict_labels};
use crate::report::{Record, ReportError};
use crate::roster::Source;

/// Widest a roster column gets, in characters (a longer cell shows its start).
const MAX_WIDTH: usize = 28;

/// Width of the findings column (`CODE — message`, one a line, wrapped).
pub(super) const FINDINGS_WIDTH: f64 = 90.0;

/// Width of the fixes column, beside the findings.
pub(super) const FIXES_WIDTH: f64 = 62.0;

/// Most of a heading's width that counts for its column's: headings wrap.
const HEADING_WIDTH: usize = 12;

/// The name of the `n`th records sheet: "Records", "Records 2"…
pub(super) fn sheet_name(lang: Lang, n: usize) -> String {
    match n {
        1 => labels::SHEET_RECORDS.get(lang).to_owned(),
        n => labels::SHEET_RECORDS_N.count("n", n as u64).render(lang),
    }
}

/// The width of a cell's text in characters, up to [`MAX_WIDTH`] (its longest line).
fn width_of(text: &str) -> usize {
    text.lines()
        .map(|l| l.chars().take(MAX_WIDTH).count())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH)
}

/// Where the records go, and how wide their columns are.
pub(super) struct Records {
    layout: Layout,
    /// The header row of the records sheets, and the widths its height is measured at.
    headers: Vec<String>,
    header_widths: Vec<f64>,
    /// The first column of the verdict, and of the other roster columns.
    verdict_col: usize,
    others_col: usize,
    /// The other roster columns that fit in a sheet.
    others: usize,
    /// The first records sheet's place among the workbook's sheets.
    first: usize,
    /// Records sheets so far (the last one is being written).
    sheets: usize,
    /// The next row of the records sheet.
    row: u32,
    pub(super) per_sheet: u32,
    /// A column with each record's change since the previous run.
    compare: bool,
    widths: Vec<usize>,
    /// The heights of the records sheets' rows, written in when the workbook is saved.
    #[cfg(not(target_family = "wasm"))]
    pub(super) heights: super::heights::Heights,
    /// The library keeps the heights, as it did (for the test that the output is the same).
    #[cfg(test)]
    pub(super) library_heights: bool,
}

impl Records {
    pub(super) fn new(
        book: &mut Workbook,
        first: usize,
        sources: &[Arc<Source>],
        formats: &Formats,
        lang: Lang,
        compare: bool,
    ) -> Result<Records, XlsxError> {
        let layout = Layout::new(sources);
        let change = compare.then(|| labels::REC_CHANGE.get(lang));
        let verdict_col = layout.fields.len();
        let verdict = workbook_verdict_labels(lang);
        let others_col = verdict_col + verdict.len() + usize::from(compare);
        // A roster wider than a sheet keeps its first columns (and the last, extra cells).
        let others = layout.others.len().min(MAX_COLUMNS - others_col - 1);
        let headers: Vec<String> = layout
            .fields
            .iter()
            .map(|c| field_heading(*c, lang))
            .chain(verdict)
            .chain(change)
            .chain(layout.others[..others].iter().map(String::as_str))
            .chain([labels::REC_EXTRA.get(lang)])
            .map(str::to_owned)
            .collect();
        let header_widths: Vec<f64> = headers
            .iter()
            .enumerate()
            .map(|(c, h)| match c {
                c if c == verdict_col + 1 => FINDINGS_WIDTH,
                c if c == verdict_col + 2 => FIXES_WIDTH,
                _ => (width_of(h).min(HEADING_WIDTH) + 2) as f64,
            })
            .collect();
        add_sheet(
            book,
            &sheet_name(lang, 1),
            &headers,
            &header_widths,
            formats,
            lang,
        )?;
        let widths: Vec<usize> = headers
            .iter()
            .map(|h| width_of(h).min(HEADING_WIDTH) + 2)
            .collect();
        Ok(Records {
            layout,
            headers,
            header_widths,
            verdict_col,
            others_col,
            others,
            first,
            sheets: 1,
            row: 1,
            per_sheet: RECORDS_PER_SHEET,
            compare,
            widths,
            #[cfg(not(target_family = "wasm"))]
            heights: super::heights::Heights::new(first),
            #[cfg(test)]
            library_heights: false,
        })
    }

    /// Records sheets so far.
    pub(super) fn sheets(&self) -> usize {
        self.sheets
    }

    /// The records sheet being written.
    fn sheet<'b>(&self, book: &'b mut Workbook) -> Result<&'b mut Worksheet, XlsxError> {
        book.worksheet_from_index(self.first + self.sheets - 1)
    }

    /// The current records sheet is full: filter it and go on to the next.
    fn next_sheet(
        &mut self,
        book: &mut Workbook,
        formats: &Formats,
        lang: Lang,
    ) -> Result<(), XlsxError> {
        let last_col = (self.headers.len() - 1) as u16;
        let last_row = self.row - 1;
        self.sheet(book)?.autofilter(0, 0, last_row, last_col)?;
        self.sheets += 1;
        add_sheet(
            book,
            &sheet_name(lang, self.sheets),
            &self.headers,
            &self.header_widths,
            formats,
            lang,
        )?;
        self.row = 1;
        Ok(())
    }

    /// Writes a roster cell (text, never a number or a formula) and widens its column.
    fn roster_cell(
        &mut self,
        sheet: &mut Worksheet,
        row: u32,
        col: usize,
        text: &str,
    ) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        let w = &mut self.widths[col];
        *w = (*w).max(width_of(text) + 2);
        // Without a format: looking one up hashes it, per cell.
        sheet.write_string(row, col as u16, cell_text(text))?;
        Ok(())
    }

    /// Row `row` of the current records sheet is `lines` lines high: kept apart from the
    /// library's row table, which grows with every such row ([`super::heights`]), except in
    /// the browser.
    fn set_lines(
        &mut self,
        sheet: &mut Worksheet,
        row: u32,
        lines: usize,
    ) -> Result<(), XlsxError> {
        #[cfg(not(target_family = "wasm"))]
        if !self.library_keeps_heights() {
            self.heights.set(self.sheets, row, lines);
            return Ok(());
        }
        if let Some(h) = fit::height(lines) {
            sheet.set_row_height(row, h)?;
        }
        Ok(())
    }

    /// The library keeps the heights, as it did: only in the test that the output is the
    /// same (the browser has no [`super::heights`] at all).
    #[cfg(not(target_family = "wasm"))]
    fn library_keeps_heights(&self) -> bool {
        #[cfg(test)]
        return self.library_heights;
        #[cfg(not(test))]
        false
    }

    pub(super) fn put(
        &mut self,
        book: &mut Workbook,
        r: &Record,
        view: &View,
        formats: &Formats,
        lang: Lang,
    ) -> Result<(), ReportError> {
        if self.row > self.per_sheet {
            self.next_sheet(book, formats, lang)?;
        }
        let row = self.row;
        self.row += 1;
        let sheet = book.worksheet_from_index(self.first + self.sheets - 1)?;
        // The row is as tall as its findings and fixes, set before its cells
        // (constant-memory mode); spreadsheets do not grow it by themselves.
        let lines =
            fit::lines(&view.findings, FINDINGS_WIDTH).max(fit::lines(&view.fixes, FIXES_WIDTH));
        if !r.checked.findings.is_empty() && lines > 1 {
            self.set_lines(sheet, row, lines)?;
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
            result = self.roster_cell(sheet, row, col, &text);
            if result.is_err() {
                break;
            }
        }
        self.layout.cells[r.source_index] = pairs;
        result?;

        // The verdict, filled by status.
        let v = self.verdict_col;
        let result = r.status.label(lang);
        let w = &mut self.widths[v];
        *w = (*w).max(width_of(result) + 2);
        sheet.write_string_with_format(row, v as u16, result, formats.status(r.status, false))?;
        let wrapped = formats.status(r.status, true);
        sheet.write_string_with_format(row, (v + 1) as u16, cell_text(&view.findings), wrapped)?;
        sheet.write_string_with_format(row, (v + 2) as u16, cell_text(&view.fixes), wrapped)?;
        let ids = [&r.checked.id, &r.checked.ruc, &r.checked.sucursal];
        for (i, text) in ids.into_iter().enumerate() {
            self.roster_cell(sheet, row, v + 3 + i, text)?;
        }
        let name = view.place.rsplit_once(':').map_or("", |(label, _)| label);
        self.roster_cell(sheet, row, v + 6, name)?;
        sheet.write_number_with_format(row, (v + 7) as u16, r.row as f64, &formats.top)?;
        if self.compare {
            let change = r.change.map_or("", |c| c.label(lang));
            self.roster_cell(sheet, row, v + 8, change)?;
        }
        // Cells beyond the header (a malformed row), in the last column.
        let extra = self.layout.extra_cells(r);
        let last = self.headers.len() - 1;
        self.roster_cell(sheet, row, last, &extra)?;
        Ok(())
    }

    /// Filters the last sheet, sets every sheet's column widths and print area.
    pub(super) fn finish(&mut self, book: &mut Workbook) -> Result<(), XlsxError> {
        let last_row = self.row.saturating_sub(1);
        let last_col = (self.headers.len() - 1) as u16;
        // The printout holds the fields and the verdict; the roster's other columns stay on
        // screen (fitting them all to one page wide would make every column unreadable).
        let print_last = (self.others_col - 1) as u16;
        let v = self.verdict_col;
        for index in 1..=self.sheets {
            let rows = if index == self.sheets {
                last_row
            } else {
                self.per_sheet
            };
            let sheet = book.worksheet_from_index(self.first + index - 1)?;
            if index == self.sheets {
                sheet.autofilter(0, 0, rows, last_col)?;
            }
            sheet.set_print_area(0, 0, rows.max(1), print_last)?;
            for (c, w) in self.widths.iter().enumerate() {
                let w = if c == v + 1 {
                    FINDINGS_WIDTH
                } else if c == v + 2 {
                    FIXES_WIDTH
                } else {
                    *w as f64
                };
                sheet.set_column_width(c as u16, w)?;
            }
        }
        Ok(())
    }
}

/// Adds a records sheet (constant memory) with its header row, frozen, and its print setup:
/// landscape, the header row and the first two columns on every page.
fn add_sheet(
    book: &mut Workbook,
    name: &str,
    headers: &[String],
    widths: &[f64],
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    let sheet = constant_memory_sheet(book)?;
    sheet.set_name(name)?;
    let mut lines = 1;
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, cell_text(h), &formats.header)?;
        lines = lines.max(fit::lines(h, *w).min(6));
    }
    // The header row, and the identification and RUC beside every column.
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_row_height(0, fit::LINE_HEIGHT * lines.max(2) as f64)?;
    sheet.set_landscape();
    // A4, Ecuador's paper size (INEN).
    sheet.set_paper_size(9);
    sheet.set_margins(0.3, 0.3, 0.5, 0.5, 0.2, 0.2);
    // Printed at the printed views' scale, the identification and RUC beside every page's
    // columns: fitting the verdict's long lines to one page wide printed them at 4 points.
    // (The printout of the audit is Por resolver; this is every record, when asked for.)
    sheet.set_print_scale(super::PRINT_SCALE);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_repeat_columns(0, 1)?;
    sheet.set_print_gridlines(true);
    sheet.set_footer(super::footer(lang));
    Ok(())
}

/// A sheet written row after row: in constant-memory mode, which streams the rows through
/// a temporary file; the browser has no file system, so there the sheet is kept in memory
/// (same cells, strings shared rather than inline in the sheet's XML).
pub(super) fn constant_memory_sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    #[cfg(not(target_family = "wasm"))]
    let sheet = book.add_worksheet_with_constant_memory()?;
    #[cfg(target_family = "wasm")]
    let sheet = book.add_worksheet();
    Ok(sheet)
}
