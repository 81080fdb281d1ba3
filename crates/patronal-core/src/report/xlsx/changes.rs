//! The Cambios sheet, after `--compare`: what changed since the previous report, by name.
//! The employers newly flagged (worse, or new and flagged), those fixed (flagged → ready)
//! and those gone (in the previous report, matched by no record of this run), each with
//! where it is, its name, RUC and sucursal, and its verdict before → after; the newly
//! flagged with the findings that flag them. The Summary sheet counts them and points here.

use rust_xlsxwriter::{FormatAlign, Workbook, Worksheet, XlsxError};

use super::spool::{Row, Spool};
use super::{Formats, MAX_LISTED, RowStyle, View, cell_text, fit, print_setup, records};
use crate::finding::{Lang, Severity, Verdict};
use crate::i18n::labels;
use crate::report::summary::Summary;
use crate::report::{Change, Record, ReportError};

/// The columns: where, employer, RUC, sucursal, before → after, findings.
const WIDTHS: [f64; 6] = [24.0, 26.0, 15.0, 8.0, 22.0, 52.0];

/// Which columns wrap: all but the identifiers.
const WRAP: [bool; 6] = [true, true, false, false, true, true];

/// The header row (0-based), below the title and the counts.
const HEADER_ROW: u32 = 3;

/// A verdict's word, from a report's status (`ready`, `invalid`, `in_person`).
fn status_word(status: &str, lang: Lang) -> String {
    [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
        .into_iter()
        .find(|v| v.as_str() == status)
        .map_or_else(|| status.to_owned(), |v| v.label(lang).to_owned())
}

pub(super) struct Changes {
    index: usize,
    /// The newly flagged, then the fixed.
    spools: [Spool; 2],
    listed: [u64; 2],
}

impl Changes {
    pub(super) fn new(book: &mut Workbook, index: usize, lang: Lang) -> Result<Changes, XlsxError> {
        let sheet = records::constant_memory_sheet(book)?;
        sheet.set_name(labels::SHEET_CHANGES.get(lang))?;
        Ok(Changes {
            index,
            spools: [Spool::new(), Spool::new()],
            listed: [0; 2],
        })
    }

    pub(super) fn sheet_name(&self, lang: Lang) -> String {
        labels::SHEET_CHANGES.get(lang).to_owned()
    }

    /// A record, when it is news: newly flagged, or fixed.
    pub(super) fn put(&mut self, r: &Record, view: &View, lang: Lang) -> Result<(), ReportError> {
        let k = match r.change {
            Some(Change::Worse) => 0,
            Some(Change::New) if r.status.is_flagged() => 0,
            Some(Change::Better) => 1,
            _ => return Ok(()),
        };
        if self.listed[k] >= MAX_LISTED {
            return Ok(());
        }
        self.listed[k] += 1;
        let before = match r.before {
            Some(v) => v.label(lang),
            None => labels::CHANGES_NOT_BEFORE.get(lang),
        };
        let change = format!("{before} → {}", r.status.label(lang));
        // What flags it: its errors and in-person findings.
        let findings = if k == 0 {
            r.checked
                .findings
                .iter()
                .filter(|f| f.severity() > Severity::Warning)
                .map(|f| format!("{} — {}", f.code.name(), f.message(lang)))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            String::new()
        };
        self.spools[k].push(
            0,
            &[
                &view.place,
                &view.name,
                &r.checked.ruc,
                &r.checked.sucursal,
                &change,
                &findings,
            ],
        )?;
        Ok(())
    }

    pub(super) fn finish(
        self,
        book: &mut Workbook,
        summary: &Summary,
        formats: &Formats,
        lang: Lang,
    ) -> Result<(), ReportError> {
        let sheet = book.worksheet_from_index(self.index)?;
        // Borrowed: the summary's lists are not copied (a clone of a million gone records
        // took 300 MB).
        let changes = summary.changes_or_none();
        let last = (WIDTHS.len() - 1) as u16;
        let all: f64 = WIDTHS.iter().sum();
        sheet.set_row_height(0, 21)?;
        sheet.write_string_with_format(0, 0, labels::CHANGES_TITLE.get(lang), &formats.title)?;
        let counts = counts_line(changes, lang);
        if let Some(h) = fit::height(fit::lines(&counts, all)) {
            sheet.set_row_height(1, h)?;
        }
        sheet.merge_range(1, 0, 1, last, &counts, &formats.wrap)?;
        let headers = [
            labels::PLAN_WHERE,
            labels::PLAN_EMPLOYER,
            labels::PLAN_RUC,
            labels::PLAN_SUCURSAL,
            labels::CHANGES_BEFORE_AFTER,
            labels::REC_FINDINGS,
        ]
        .map(|t| t.get(lang));
        let header = RowStyle {
            widths: &WIDTHS,
            wrap: &[true; 6],
            wrapped: &formats.header,
            plain: &formats.header,
        };
        super::write_row(sheet, HEADER_ROW, &headers, &header)?;
        let style = RowStyle {
            widths: &WIDTHS,
            wrap: &WRAP,
            wrapped: &formats.cell,
            plain: &formats.cell_plain,
        };
        let mut r = HEADER_ROW + 1;
        let totals = [
            changes.newly_flagged,
            changes.better,
            changes.disappeared_count,
        ];
        let titles = [
            labels::CHANGES_NEW,
            labels::CHANGES_FIXED,
            labels::CHANGES_GONE,
        ];
        let bands = [Verdict::Invalid, Verdict::Ready, Verdict::InPerson];
        let mut row = Row::default();
        let mut spools = self.spools.into_iter();
        for g in 0..3 {
            let band = super::fill(bands[g])
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top);
            let title = titles[g].count("n", totals[g]).render(lang);
            sheet.merge_range(r, 0, r, last, &title, &band)?;
            r += 1;
            let mut listed = 0;
            if let Some(spool) = spools.next() {
                let mut rows = spool.rows()?;
                while rows.next_into(&mut row)? {
                    let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
                    super::write_row(sheet, r, &cells, &style)?;
                    r += 1;
                    listed += 1;
                }
            } else {
                for b in changes.disappeared.iter().take(MAX_LISTED as usize) {
                    let place = match &b.sheet {
                        Some(s) => format!("{}[{s}]:{}", b.source, b.row),
                        None => format!("{}:{}", b.source, b.row),
                    };
                    let name = b.name.as_deref().unwrap_or("").trim().to_owned();
                    let change = format!(
                        "{} → {}",
                        status_word(b.status, lang),
                        labels::CHANGES_NOT_NOW.get(lang)
                    );
                    let cells = [place.as_str(), &name, &b.ruc, &b.sucursal, &change, ""];
                    super::write_row(sheet, r, &cells, &style)?;
                    r += 1;
                    listed += 1;
                }
            }
            if listed == 0 {
                sheet.write_string_with_format(r, 0, labels::PLAN_NONE.get(lang), &formats.wrap)?;
                r += 1;
            } else if totals[g] > listed {
                let text = labels::PLAN_MORE
                    .count("n", totals[g] - listed)
                    .with("sheet", records::sheet_name(lang, 1))
                    .render(lang);
                sheet.write_string_with_format(r, 0, cell_text(&text), &formats.bold)?;
                r += 1;
            }
        }
        for (c, w) in WIDTHS.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        print_setup(sheet, (HEADER_ROW, HEADER_ROW), lang)?;
        Ok(())
    }
}

/// The changes counted in one line: newly flagged, fixed, gone; records new, worse, better,
/// same.
fn counts_line(c: &crate::report::summary::Changes, lang: Lang) -> String {
    labels::CHANGES_COUNT_LINE
        .count("new", c.newly_flagged)
        .count("fixed", c.better)
        .count("gone", c.disappeared_count)
        .count("all_new", c.new)
        .count("worse", c.worse)
        .count("better", c.better)
        .count("same", c.same)
        .render(lang)
}

/// The changes on the Summary sheet, from row `r`: a heading and the counts, naming the
/// sheet that lists them. Returns the next free row.
pub(super) fn summary_block(
    ws: &mut Worksheet,
    summary: &Summary,
    r: u32,
    sheet: &str,
    width: f64,
    lang: Lang,
) -> Result<u32, XlsxError> {
    let head = rust_xlsxwriter::Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0xD9D9D9))
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = rust_xlsxwriter::Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    ws.merge_range(r, 0, r, 7, labels::SUMMARY_CHANGES.get(lang), &head)?;
    let text = format!(
        "{}: {}",
        counts_line(summary.changes_or_none(), lang),
        labels::SUMMARY_CHANGES_SEE
            .with("sheet", sheet)
            .render(lang)
    );
    if let Some(h) = fit::height(fit::lines(&text, width)) {
        ws.set_row_height(r + 1, h)?;
    }
    ws.merge_range(r + 1, 0, r + 1, 7, &text, &wrap)?;
    Ok(r + 2)
}
