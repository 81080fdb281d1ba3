//! The Plan sheet, the first thing the office works from: the employers grouped by what to
//! do, in this order.
//!
//! 1. **Ready for the online recovery**: the values to type in the portal's order
//!    (identification, RUC, sucursal), the e-mail the link goes to, and "Done" to tick.
//! 2. **Fix first** (invalid): one line per thing to fix: the field and what is wrong with
//!    it, the value found, how to fix it, and the value to write when it is certain (a
//!    restored zero, a padded sucursal, a domestic-service form).
//! 3. **In person**: one line per reason (the finding's message), the next step, and room
//!    for the appointment.
//!
//! A line at the top gives the effort, with its source (docs/rules.md, "Planning"): n × 10–20
//! minutes online, m visits of 1–3 business days. One header row for the three groups
//! (each group's first row says what its columns hold), repeated on every printed page; A4
//! landscape at 85% (9.35 points). The records stream in any order, so the groups' rows wait
//! in spools and are written at the end.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::spool::{Row, Spool};
use super::{Formats, MAX_LISTED, RowStyle, View, cell_text, fit, print_setup, records};
use crate::finding::{Code, Field, Finding, Lang, Severity, Verdict};
use crate::i18n::{Message, Plural, Text, labels};
use crate::report::layout::field_heading;
use crate::report::summary::Summary;
use crate::report::{Record, ReportError};

/// The columns: where, employer, identification, RUC, sucursal, e-mail, field or reason,
/// value found, fix or next step, suggested value or appointment, done. They fit an A4
/// page's width in landscape at the print scale; the e-mail's is wide enough for a usual
/// address, so that a ready employer takes one line (no cell is merged: every line of text
/// is measured at its own column's width).
const WIDTHS: [f64; 11] = [
    15.0, 20.0, 11.0, 15.0, 8.0, 27.0, 15.0, 14.0, 15.0, 15.0, 6.0,
];

/// Which columns wrap: all but the identifiers and "done".
const WRAP: [bool; 11] = [
    true, true, false, false, false, true, true, true, true, true, false,
];

/// The appointment's column (suggested value / appointment).
const APPOINTMENT: u16 = 9;

/// The header row (0-based), below the title, the effort and its source.
const HEADER_ROW: u32 = 4;

/// A spooled row: the first of a record (its employer's cells filled), or the next line of
/// the same record.
const FIRST: u8 = 0;
const NEXT: u8 = 1;

/// The three groups.
const GROUPS: [Verdict; 3] = [Verdict::Ready, Verdict::Invalid, Verdict::InPerson];

pub(super) fn add_sheet(book: &mut Workbook, lang: Lang) -> Result<(), XlsxError> {
    let sheet = records::constant_memory_sheet(book)?;
    sheet.set_name(labels::SHEET_PLAN.get(lang))?;
    Ok(())
}

/// The groups' rows, gathered as the records stream.
pub(super) struct Plan {
    /// Per group (ready, fix first, in person): its rows.
    spools: [Spool; 3],
    /// Per group: records listed.
    listed: [u64; 3],
}

fn group(status: Verdict) -> usize {
    match status {
        Verdict::Ready => 0,
        Verdict::Invalid => 1,
        Verdict::InPerson => 2,
    }
}

impl Plan {
    pub(super) fn new() -> Plan {
        Plan {
            spools: [Spool::new(), Spool::new(), Spool::new()],
            listed: [0; 3],
        }
    }

    /// A record into its group.
    pub(super) fn put(&mut self, r: &Record, view: &View, lang: Lang) -> Result<(), ReportError> {
        let g = group(r.status);
        if self.listed[g] >= MAX_LISTED {
            return Ok(());
        }
        self.listed[g] += 1;
        let email = r
            .cell(Field::Email)
            .map(|e| e.trim().to_owned())
            .unwrap_or_default();
        let who = [
            view.place.as_str(),
            &view.name,
            &r.checked.id,
            &r.checked.ruc,
            &r.checked.sucursal,
            &email,
        ];
        let lines = match r.status {
            Verdict::Ready => Vec::new(),
            Verdict::Invalid => fix_lines(r, lang),
            Verdict::InPerson => {
                let mut lines = in_person_lines(r, lang);
                // Room for the appointment, on the record's first line.
                if let Some(first) = lines.first_mut() {
                    first[3] = labels::PLAN_APPOINTMENT.get(lang).to_owned();
                }
                lines
            }
        };
        let spool = &mut self.spools[g];
        if lines.is_empty() {
            spool.push(FIRST, &who)?;
        }
        for (i, line) in lines.iter().enumerate() {
            let detail = line.iter().map(String::as_str);
            let cells: Vec<&str> = if i == 0 {
                who.iter().copied().chain(detail).collect()
            } else {
                ["", "", "", "", "", ""].into_iter().chain(detail).collect()
            };
            spool.push(if i == 0 { FIRST } else { NEXT }, &cells)?;
        }
        Ok(())
    }

    /// Writes the sheet: the title, the effort and its source, the header, the groups.
    pub(super) fn finish(
        self,
        sheet: &mut Worksheet,
        summary: &Summary,
        formats: &Formats,
        lang: Lang,
        records_sheet: &str,
    ) -> Result<(), ReportError> {
        let all: f64 = WIDTHS.iter().sum();
        let last = (WIDTHS.len() - 1) as u16;
        sheet.set_row_height(0, 21)?;
        sheet.write_string_with_format(0, 0, labels::PLAN_TITLE.get(lang), &formats.title)?;
        let effort = effort(summary).render(lang);
        let bold_wrap = formats.wrap.clone().set_bold();
        merged(sheet, 1, last, &effort, &bold_wrap, all)?;
        let source = labels::PLAN_SOURCE.get(lang);
        merged(sheet, 2, last, source, &formats.italic_wrap, all)?;
        // What the run could not check, and the footer rows skipped, above the plan: a ready
        // employer may still need the visit (the Summary says the same).
        let notes = summary.read_first(lang);
        let mut header_row = HEADER_ROW;
        if !notes.is_empty() {
            let warn = bold_wrap.clone().set_font_color(Color::RGB(0x9C0006));
            let heading = crate::i18n::ui::WORKBOOK_NOTES.render(lang);
            merged(sheet, HEADER_ROW - 1, last, &heading, &bold_wrap, all)?;
            for (i, note) in notes.iter().enumerate() {
                merged(sheet, HEADER_ROW + i as u32, last, note, &warn, all)?;
            }
            header_row = HEADER_ROW + notes.len() as u32 + 1;
        }
        let headers = [
            labels::PLAN_WHERE,
            labels::PLAN_EMPLOYER,
            labels::PLAN_ID,
            labels::PLAN_RUC,
            labels::PLAN_SUCURSAL,
            labels::PLAN_EMAIL,
            labels::PLAN_FIELD,
            labels::PLAN_FOUND,
            labels::PLAN_FIX,
            labels::PLAN_SUGGESTED,
            labels::PLAN_DONE,
        ]
        .map(|t| t.get(lang));
        let header = RowStyle {
            widths: &WIDTHS,
            wrap: &[true; 11],
            wrapped: &formats.header,
            plain: &formats.header,
        };
        super::write_row(sheet, header_row, &headers, &header)?;

        let totals = [summary.ready, summary.invalid, summary.in_person];
        let titles = [
            labels::PLAN_READY,
            labels::PLAN_FIX_FIRST,
            labels::PLAN_IN_PERSON,
        ];
        let mut r = header_row + 1;
        let mut row = Row::default();
        for (g, spool) in self.spools.into_iter().enumerate() {
            let band = super::fill(GROUPS[g])
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top);
            let title = titles[g].count("n", totals[g]).render(lang);
            merged(sheet, r, last, &title, &band, all)?;
            r += 1;
            if totals[g] == 0 {
                sheet.write_string_with_format(r, 0, labels::PLAN_NONE.get(lang), &formats.wrap)?;
                r += 1;
                continue;
            }
            // A record's first line opens with a darker rule.
            let rule = |f: &Format| {
                f.clone()
                    .set_border_top(FormatBorder::Medium)
                    .set_border_top_color(Color::RGB(0x595959))
            };
            let (first_wrapped, first_plain) = (rule(&formats.cell), rule(&formats.cell_plain));
            let first = RowStyle {
                widths: &WIDTHS,
                wrap: &WRAP,
                wrapped: &first_wrapped,
                plain: &first_plain,
            };
            let next = RowStyle {
                widths: &WIDTHS,
                wrap: &WRAP,
                wrapped: &formats.cell,
                plain: &formats.cell_plain,
            };
            let hint = formats
                .cell
                .clone()
                .set_italic()
                .set_font_color(Color::RGB(0x808080));
            let mut rows = spool.rows()?;
            while rows.next_into(&mut row)? {
                let mut cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
                cells.resize(WIDTHS.len(), "");
                let style = if row.kind == FIRST { &first } else { &next };
                super::write_row(sheet, r, &cells, style)?;
                if row.kind == FIRST && g == 2 {
                    let text = labels::PLAN_APPOINTMENT.get(lang);
                    sheet.write_string_with_format(r, APPOINTMENT, text, &rule(&hint))?;
                }
                r += 1;
            }
            let more = totals[g].saturating_sub(self.listed[g]);
            if more > 0 {
                // Not listed: past the Plan's bound (every record is on the Records sheets),
                // or left out of every report with --only-flagged.
                let text = if summary.written < summary.records && g == 0 {
                    labels::PLAN_NOT_LISTED.count("n", more)
                } else {
                    labels::PLAN_MORE
                        .count("n", more)
                        .with("sheet", records_sheet)
                };
                sheet.write_string_with_format(r, 0, text.render(lang), &formats.bold)?;
                r += 1;
            }
        }
        for (c, w) in WIDTHS.iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        sheet.set_freeze_panes(header_row + 1, 0)?;
        print_setup(sheet, (header_row, header_row), lang)?;
        sheet.set_print_area(0, 0, r.max(header_row + 1), last)?;
        Ok(())
    }
}

/// A text across every column, as tall as it needs.
fn merged(
    sheet: &mut Worksheet,
    row: u32,
    last: u16,
    text: &str,
    format: &Format,
    width: f64,
) -> Result<(), XlsxError> {
    if let Some(h) = fit::height(fit::lines(text, width)) {
        sheet.set_row_height(row, h)?;
    }
    sheet.merge_range(row, 0, row, last, &cell_text(text), format)?;
    Ok(())
}

/// The effort line: n × 10–20 minutes online, m visits of 1–3 business days, k to fix.
fn effort(s: &Summary) -> Message {
    let plural = |one: Text, many: Text, n: u64| Plural { one, many }.of(n);
    let online = s.ready;
    let (low, high) = (online * 10, online * 20);
    let time = if high < 120 {
        labels::PLAN_MINUTES_RANGE
            .count("low", low)
            .count("high", high)
    } else if high < 600 {
        labels::PLAN_HOURS
            .msg()
            .decimal("low", low as f64 / 60.0, 1)
            .decimal("high", high as f64 / 60.0, 1)
    } else {
        labels::PLAN_HOURS
            .count("low", (low as f64 / 60.0).round() as u64)
            .count("high", (high as f64 / 60.0).round() as u64)
    };
    labels::PLAN_EFFORT
        .msg()
        .with_msg(
            "online",
            plural(labels::PLAN_ONLINE_ONE, labels::PLAN_ONLINE_MANY, online),
        )
        .with_msg("time", time)
        .with_msg(
            "visits",
            plural(
                labels::PLAN_VISITS_ONE,
                labels::PLAN_VISITS_MANY,
                s.in_person,
            ),
        )
        .with_msg(
            "fix",
            plural(labels::PLAN_FIX_ONE, labels::PLAN_FIX_MANY, s.invalid),
        )
}

/// The value a finding is about, for "value found": the roster's cell for its field; the
/// status the SRI gives (from the catastro, the roster may have none); nothing for the row
/// as a whole (the message says what is wrong with it) or for an e-mail the e-mail column
/// already shows.
fn found(r: &Record, f: &Finding, lang: Lang) -> String {
    if let (Code::RucNotActive, Some(detail)) = (f.code, &f.detail) {
        return detail.render(lang).into_owned();
    }
    if f.field == Field::Row {
        return String::new();
    }
    let value = r
        .cell(f.field)
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    if value.is_empty() {
        labels::PLAN_EMPTY.get(lang).to_owned()
    } else if f.field == Field::Email {
        String::new()
    } else {
        value
    }
}

/// The value to write instead, when it is certain.
fn suggested(r: &Record, f: &Finding) -> String {
    let c = r.checked;
    let id_ok = !c
        .findings
        .iter()
        .any(|g| g.field == Field::Id && g.severity() == Severity::Error);
    match f.code {
        Code::IdLeadingZeroRestored => c.id.to_string(),
        Code::RucLeadingZeroRestored => c.ruc.to_string(),
        Code::SucursalPadded => c.sucursal.to_string(),
        Code::DomesticSucursal => "0001".to_owned(),
        Code::DomesticRucFormat if id_ok && c.id.len() == 10 => format!("{}000", c.id),
        _ => String::new(),
    }
}

/// The lines of an invalid record: each error and in-person finding, and each warning
/// whose fix is a certain value (a restored zero, a padded sucursal).
fn fix_lines(r: &Record, lang: Lang) -> Vec<[String; 5]> {
    r.checked
        .findings
        .iter()
        .filter_map(|f| {
            let suggestion = suggested(r, f);
            if f.severity() == Severity::Warning && suggestion.is_empty() {
                return None;
            }
            // The field and what is wrong with it; the value; what to do; the value to write.
            Some([
                format!("{}: {}", field_heading(f.field, lang), f.message(lang)),
                found(r, f, lang),
                f.code.info().hint(lang).to_owned(),
                suggestion,
                String::new(),
            ])
        })
        .collect()
}

/// The lines of an in-person record: each reason (the finding's message), the value found,
/// the next step.
fn in_person_lines(r: &Record, lang: Lang) -> Vec<[String; 5]> {
    r.checked
        .findings
        .iter()
        .filter(|f| f.severity() == Severity::InPerson)
        .map(|f| {
            let step = match f.code {
                Code::FirstKey => labels::PLAN_STEP_FIRST_KEY.get(lang),
                Code::RucNotActive => labels::PLAN_STEP_RUC.get(lang),
                Code::EmailMissing
                | Code::EmailInvalid
                | Code::EmailPlaceholder
                | Code::EmailDomainTypo => labels::PLAN_STEP_EMAIL.get(lang),
                _ => f.code.info().hint(lang),
            };
            let value = found(r, f, lang);
            [
                f.message(lang).into_owned(),
                value,
                step.to_owned(),
                String::new(),
                String::new(),
            ]
        })
        .collect()
}
