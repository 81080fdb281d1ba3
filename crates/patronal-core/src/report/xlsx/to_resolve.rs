//! The "To resolve" sheet: the flagged records only (invalid and in person), in input
//! order, each finding on its own row beside its fix: the printout of the audit, so that
//! the ready records are not printed unless the Records sheet is. Written as the records
//! stream (constant memory); A4 landscape at 85%, the header row on every page.

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use super::{Formats, MAX_LISTED, RowStyle, View, cell_text, fit, print_setup, records};
use crate::finding::Lang;
use crate::i18n::labels;
use crate::report::Record;

/// The columns: the employer (name, then where it is), the identifiers, the result, the
/// findings and their fixes. They fit an A4 page's width in landscape at the print scale.
const WIDTHS: [f64; 7] = [22.0, 12.0, 15.0, 8.0, 10.0, 52.0, 41.0];

/// Which columns wrap: the employer, the findings and the fixes.
const WRAP: [bool; 7] = [true, false, false, false, false, true, true];

pub(super) struct ToResolve {
    /// The sheet's place among the workbook's.
    index: usize,
    /// The next row.
    row: u32,
    /// Flagged records listed.
    listed: u64,
    /// Flagged records past [`MAX_LISTED`], not listed.
    more: u64,
}

impl ToResolve {
    pub(super) fn new(
        book: &mut Workbook,
        index: usize,
        formats: &Formats,
        lang: Lang,
    ) -> Result<ToResolve, XlsxError> {
        let sheet = records::constant_memory_sheet(book)?;
        sheet.set_name(labels::SHEET_TO_RESOLVE.get(lang))?;
        let headers = [
            labels::PLAN_EMPLOYER,
            labels::PLAN_ID,
            labels::PLAN_RUC,
            labels::PLAN_SUCURSAL,
            labels::REC_RESULT,
            labels::REC_FINDINGS,
            labels::REC_FIX,
        ]
        .map(|t| t.get(lang));
        let lines = headers
            .iter()
            .zip(WIDTHS)
            .map(|(h, w)| fit::lines(h, w))
            .max()
            .unwrap_or(1);
        sheet.set_row_height(0, fit::LINE_HEIGHT * lines as f64)?;
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &formats.header)?;
        }
        for (c, w) in WIDTHS.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        print_setup(sheet, (0, 0), lang)?;
        sheet.set_header(labels::TO_RESOLVE_HEADER.get(lang));
        Ok(ToResolve {
            index,
            row: 1,
            listed: 0,
            more: 0,
        })
    }

    /// A stand-in once the sheet is finished.
    pub(super) fn done() -> ToResolve {
        ToResolve {
            index: usize::MAX,
            row: 0,
            listed: 0,
            more: 0,
        }
    }

    /// A flagged record: one row per finding, the finding and its fix side by side (each
    /// pair on one row, so that they stay together however the lines wrap on paper), the
    /// employer on the first.
    pub(super) fn put(
        &mut self,
        book: &mut Workbook,
        r: &Record,
        view: &View,
        formats: &Formats,
        lang: Lang,
    ) -> Result<(), XlsxError> {
        if self.listed >= MAX_LISTED {
            self.more += 1;
            return Ok(());
        }
        self.listed += 1;
        let sheet = book.worksheet_from_index(self.index)?;
        let employer = if view.name.is_empty() {
            view.place.clone()
        } else {
            format!("{}\n{}", view.name, view.place)
        };
        let rule = |f: &Format| {
            f.clone()
                .set_border_top(FormatBorder::Medium)
                .set_border_top_color(Color::RGB(0x595959))
        };
        let status = super::bordered(super::fill(r.status));
        let status_wrapped = status.clone().set_text_wrap();
        let (first_wrapped, first_plain) = (rule(&formats.cell), rule(&formats.cell_plain));
        let (first_status, first_status_wrapped) = (rule(&status), rule(&status_wrapped));
        let findings = view.findings.split('\n').zip(view.fixes.split('\n'));
        for (i, (finding, fix)) in findings.enumerate() {
            let row = self.row;
            self.row += 1;
            let first = i == 0;
            let who: [&str; 5] = if first {
                [
                    &employer,
                    &r.checked.id,
                    &r.checked.ruc,
                    &r.checked.sucursal,
                    r.status.label(lang),
                ]
            } else {
                [""; 5]
            };
            let cells = [who[0], who[1], who[2], who[3], who[4], finding, fix];
            let style = RowStyle {
                widths: &WIDTHS,
                wrap: &WRAP,
                wrapped: if first { &first_wrapped } else { &formats.cell },
                plain: if first {
                    &first_plain
                } else {
                    &formats.cell_plain
                },
            };
            super::write_row(sheet, row, &cells, &style)?;
            // The result and the findings filled by status.
            let (plain, wrapped) = if first {
                (&first_status, &first_status_wrapped)
            } else {
                (&status, &status_wrapped)
            };
            sheet.write_string_with_format(row, 4, cells[4], plain)?;
            sheet.write_string_with_format(row, 5, cell_text(finding), wrapped)?;
            sheet.write_string_with_format(row, 6, cell_text(fix), wrapped)?;
        }
        Ok(())
    }

    /// The filter, and a last line: nothing to resolve, or the records not listed.
    pub(super) fn finish(
        self,
        book: &mut Workbook,
        formats: &Formats,
        lang: Lang,
        records_sheet: &str,
    ) -> Result<(), XlsxError> {
        let sheet = book.worksheet_from_index(self.index)?;
        let last = (WIDTHS.len() - 1) as u16;
        if self.row == 1 {
            let text = labels::TO_RESOLVE_NONE.render(lang);
            sheet.write_string_with_format(1, 0, text, &formats.bold)?;
            return Ok(());
        }
        sheet.autofilter(0, 0, self.row - 1, last)?;
        if self.more > 0 {
            let text = labels::PLAN_MORE
                .count("n", self.more)
                .with("sheet", records_sheet)
                .render(lang);
            sheet.write_string_with_format(self.row, 0, text, &formats.bold)?;
        }
        Ok(())
    }
}
