//! The Summary sheet: what was audited, the counts by verdict and by file, the codes found
//! with their fix, the catastro, and the changes since the previous run.

use rust_xlsxwriter::{
    Chart, ChartType, Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError,
};

use super::{fill, footer};
use crate::finding::{Lang, Severity, Verdict};
use crate::i18n::ui;
use crate::report::summary::Summary;

/// Texts of the summary sheet.
struct Words {
    title: &'static str,
    audited: &'static str,
    version: &'static str,
    time: &'static str,
    time_note: &'static str,
    inputs: &'static str,
    catastro: &'static str,
    sheet: &'static str,
    records: &'static str,
    blank: &'static str,
    by_status: &'static str,
    share: &'static str,
    by_code: &'static str,
    code: &'static str,
    severity: &'static str,
    message: &'static str,
    hint: &'static str,
    blocking: &'static str,
    options: &'static str,
    records_sheets: &'static str,
    total: &'static str,
    none: &'static str,
}

fn words(lang: Lang) -> Words {
    use crate::i18n::labels as l;
    Words {
        title: l::SUMMARY_TITLE.get(lang),
        audited: l::SUMMARY_AUDITED.get(lang),
        version: l::SUMMARY_VERSION.get(lang),
        time: l::SUMMARY_TIME.get(lang),
        time_note: l::SUMMARY_TIME_NOTE.get(lang),
        inputs: l::SUMMARY_INPUTS.get(lang),
        catastro: l::SUMMARY_CATASTRO.get(lang),
        sheet: l::SUMMARY_SHEET.get(lang),
        records: l::SUMMARY_RECORDS.get(lang),
        blank: l::SUMMARY_BLANK.get(lang),
        by_status: l::SUMMARY_BY_STATUS.get(lang),
        share: l::SUMMARY_SHARE.get(lang),
        by_code: l::SUMMARY_BY_CODE.get(lang),
        code: l::SUMMARY_CODE.get(lang),
        severity: l::SUMMARY_SEVERITY.get(lang),
        message: l::SUMMARY_MESSAGE.get(lang),
        hint: l::SUMMARY_HINT.get(lang),
        blocking: l::SUMMARY_BLOCKING.get(lang),
        options: l::SUMMARY_OPTIONS.get(lang),
        records_sheets: l::SUMMARY_RECORDS_SHEETS.get(lang),
        total: l::SUMMARY_TOTAL.get(lang),
        none: l::SUMMARY_NONE_BLOCKED.get(lang),
    }
}

/// Columns of the summary sheet: A labels and names, B–F counts (D–G also the codes'
/// messages), H the fixes.
const SUMMARY_WIDTHS: [f64; 8] = [30.0, 11.0, 11.0, 11.0, 11.0, 11.0, 30.0, 56.0];

/// Lines a wrapped text takes in a column `width` characters wide.
fn lines_in(text: &str, width: f64) -> usize {
    let per_line = (width * 1.1).max(1.0) as usize;
    text.lines()
        .map(|l| l.chars().count().div_ceil(per_line).max(1))
        .sum::<usize>()
        .max(1)
}

/// The summary sheet; `sheets`: the records sheets (more than one past 1,048,575 records);
/// `changes`: the sheet that lists the changes, after `--compare`.
pub(super) fn write_summary(
    ws: &mut Worksheet,
    s: &Summary,
    sheets: &[String],
    changes: Option<&str>,
    lang: Lang,
) -> Result<(), XlsxError> {
    let w = words(lang);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let head_wrapped = head.clone().set_text_wrap();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let percent = Format::new().set_num_format("0.0%");
    // Counts with their thousands grouped, in the separators of the machine that opens it.
    let count = Format::new().set_num_format("#,##0");
    let count_top = count.clone().set_align(FormatAlign::Top);
    let count_bold = count.clone().set_bold();
    let name = ws.name();
    ws.write_string_with_format(0, 0, w.title, &title)?;
    let notes_width: f64 = SUMMARY_WIDTHS[..6].iter().sum();

    // What could not be checked, and the footer rows skipped, before anything else: a ready
    // record may still need the visit.
    let mut r = 2;
    let notes = s.read_first(lang);
    if !notes.is_empty() {
        let warn = wrap.clone().set_bold().set_font_color(Color::RGB(0x9C0006));
        ws.merge_range(r, 0, r, 5, ui::WORKBOOK_NOTES.render(lang).as_str(), &head)?;
        for note in &notes {
            r += 1;
            ws.merge_range(r, 0, r, 5, note, &warn)?;
            ws.set_row_height(r, 15.0 * lines_in(note, notes_width) as f64)?;
        }
        r += 2;
    }

    // When, which version, how long.
    let when = jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    for (label, value) in [
        (w.audited, when),
        (w.version, env!("CARGO_PKG_VERSION").to_owned()),
    ] {
        ws.write_string_with_format(r, 0, label, &bold)?;
        ws.write_string(r, 1, value)?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, w.time, &bold)?;
    ws.write_number(r, 1, (s.elapsed.as_secs_f64() * 100.0).round() / 100.0)?;
    ws.write_string_with_format(r, 2, w.time_note, &Format::new().set_italic())?;

    // Counts by status, with the chart beside them.
    r += 2;
    for (c, h) in [w.by_status, w.records, w.share].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head)?;
    }
    let first_status = r + 1;
    for (status, n) in [
        (Verdict::Ready, s.ready),
        (Verdict::Invalid, s.invalid),
        (Verdict::InPerson, s.in_person),
    ] {
        r += 1;
        ws.write_string_with_format(r, 0, status.label(lang), &fill(status))?;
        ws.write_number_with_format(r, 1, n as f64, &count)?;
        let share = if s.records == 0 {
            0.0
        } else {
            n as f64 / s.records as f64
        };
        ws.write_number_with_format(r, 2, share, &percent)?;
    }
    let last_status = r;
    r += 1;
    ws.write_string_with_format(r, 0, w.total, &bold)?;
    ws.write_number_with_format(r, 1, s.records as f64, &count_bold)?;
    let mut by_status = Chart::new(ChartType::Pie);
    by_status.title().set_name(w.by_status);
    let points = [Verdict::Ready, Verdict::Invalid, Verdict::InPerson].map(|status| {
        let color = match status {
            Verdict::Ready => 0x63BE7B,
            Verdict::Invalid => 0xE06666,
            Verdict::InPerson => 0xF6B26B,
        };
        rust_xlsxwriter::ChartPoint::new().set_format(
            rust_xlsxwriter::ChartFormat::new().set_solid_fill(
                rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(color)),
            ),
        )
    });
    by_status
        .add_series()
        .set_categories((name.as_str(), first_status, 0, last_status, 0))
        .set_values((name.as_str(), first_status, 1, last_status, 1))
        .set_points(&points);
    ws.insert_chart_with_offset(0, 6, &by_status, 10, 4)?;

    // Inputs, each with its counts in a column of their own.
    r += 2;
    let headers = [
        w.inputs,
        w.records,
        w.blank,
        Verdict::Ready.label(lang),
        Verdict::Invalid.label(lang),
        Verdict::InPerson.label(lang),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head_wrapped)?;
    }
    // Two lines for headings such as "Filas en blanco".
    ws.set_row_height(r, 30)?;
    for f in &s.files {
        r += 1;
        let file = match &f.sheet {
            Some(sheet) => format!("{} [{}: {sheet}]", f.source, w.sheet),
            None => f.source.clone(),
        };
        ws.write_string_with_format(r, 0, &file, &wrap)?;
        let counts = [f.records, f.blank_rows, f.ready, f.invalid, f.in_person];
        for (c, n) in counts.into_iter().enumerate() {
            ws.write_number_with_format(r, c as u16 + 1, n as f64, &count_top)?;
        }
        ws.set_row_height(r, 15.0 * lines_in(&file, SUMMARY_WIDTHS[0]) as f64)?;
    }
    // The column each field was read from, tables with the same columns together.
    r += 2;
    ws.merge_range(
        r,
        0,
        r,
        5,
        ui::WORKBOOK_COLUMNS.render(lang).as_str(),
        &head,
    )?;
    for (group, columns) in s.column_groups(lang) {
        r += 1;
        ws.merge_range(r, 0, r, 5, &group, &bold.clone().set_text_wrap())?;
        ws.set_row_height(r, 15.0 * lines_in(&group, notes_width) as f64)?;
        for (label, text) in columns.entries(lang) {
            r += 1;
            ws.write_string_with_format(r, 0, &label, &top)?;
            ws.merge_range(r, 1, r, 5, &text, &wrap)?;
            let width: f64 = SUMMARY_WIDTHS[1..6].iter().sum();
            ws.set_row_height(r, 15.0 * lines_in(&text, width) as f64)?;
        }
    }
    // The SRI catastro files the statuses came from, as loaded: rows, RUCs, statuses,
    // restored zeros, skipped lines (the same line as on the terminal).
    if !s.catastro.is_empty() {
        r += 2;
        ws.merge_range(r, 0, r, 7, w.catastro, &head)?;
        for load in &s.catastro {
            r += 1;
            let line = load.describe(lang);
            ws.merge_range(r, 0, r, 7, &line, &wrap)?;
            let lines = lines_in(&line, SUMMARY_WIDTHS.iter().sum());
            ws.set_row_height(r, 15.0 * lines as f64)?;
        }
    }
    // The rosters that could not be used: the run checked every other one, and exits 2.
    if !s.skipped_files.is_empty() {
        r += 2;
        let all: f64 = SUMMARY_WIDTHS.iter().sum();
        let alert = head.clone().set_font_color(Color::RGB(0x9C0006));
        ws.merge_range(
            r,
            0,
            r,
            7,
            crate::i18n::labels::SUMMARY_SKIPPED.get(lang),
            &alert,
        )?;
        for skipped in &s.skipped_files {
            r += 1;
            let line = format!("{}: {}", skipped.source, skipped.reason);
            ws.merge_range(r, 0, r, 7, &line, &wrap)?;
            ws.set_row_height(r, 15.0 * lines_in(&line, all) as f64)?;
        }
    }
    // What changed since the previous report, listed by name on its own sheet.
    if let (Some(sheet), Some(_)) = (changes, &s.changes) {
        r += 2;
        let all: f64 = SUMMARY_WIDTHS.iter().sum();
        r = super::changes::summary_block(ws, s, r, sheet, all, lang)? - 1;
    }
    if sheets.len() > 1 {
        r += 2;
        ws.write_string_with_format(r, 0, w.records_sheets, &bold)?;
        ws.write_string(r, 1, sheets.join(", "))?;
    }

    // Counts by code: errors, then in person, then warnings; the most frequent first within
    // each; with the fix.
    r += 2;
    ws.write_string_with_format(r, 0, w.by_code, &bold)?;
    r += 1;
    let headers = [w.code, w.records, w.severity];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head)?;
    }
    // The message spans D–G: beside the counts, wide enough to read.
    ws.merge_range(r, 3, r, 6, w.message, &head)?;
    ws.write_string_with_format(r, 7, w.hint, &head)?;
    let mut codes = s.top_codes();
    codes.sort_by_key(|(code, n)| (std::cmp::Reverse(code.severity()), std::cmp::Reverse(*n)));
    let first_code = r + 1;
    let mut blocking = 0;
    for (code, n) in &codes {
        r += 1;
        let severity = code.severity();
        if severity != Severity::Warning {
            blocking += 1;
        }
        let tint = match severity {
            Severity::Error => fill(Verdict::Invalid),
            Severity::InPerson => fill(Verdict::InPerson),
            Severity::Warning => Format::new(),
        };
        let message = code.info().general(lang);
        let hint = code.info().hint(lang);
        ws.write_string_with_format(r, 0, code.name(), &tint.clone().set_align(FormatAlign::Top))?;
        ws.write_number_with_format(r, 1, *n as f64, &count_top)?;
        ws.write_string_with_format(r, 2, severity.label(lang), &top)?;
        ws.merge_range(r, 3, r, 6, message, &wrap)?;
        ws.write_string_with_format(r, 7, hint, &wrap)?;
        let message_width: f64 = SUMMARY_WIDTHS[3..7].iter().sum();
        let lines = lines_in(message, message_width).max(lines_in(hint, SUMMARY_WIDTHS[7]));
        ws.set_row_height(r, 15.0 * lines as f64)?;
    }

    // What blocks the recovery: the error and in-person codes, not the warnings.
    r += 2;
    if blocking > 0 {
        // Red for what the portal stops, amber for what needs the visit.
        let bars: Vec<rust_xlsxwriter::ChartPoint> = codes
            .iter()
            .take(blocking as usize)
            .map(|(code, _)| {
                let color = match code.severity() {
                    Severity::Error => 0xE06666,
                    _ => 0xF6B26B,
                };
                rust_xlsxwriter::ChartPoint::new().set_format(
                    rust_xlsxwriter::ChartFormat::new().set_solid_fill(
                        rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(color)),
                    ),
                )
            })
            .collect();
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(w.blocking);
        chart
            .add_series()
            .set_categories((name.as_str(), first_code, 0, first_code + blocking - 1, 0))
            .set_values((name.as_str(), first_code, 1, first_code + blocking - 1, 1))
            .set_points(&bars);
        chart.legend().set_hidden();
        chart.y_axis().set_reverse();
        chart.set_height(28 * blocking.clamp(4, 30) + 80);
        chart.set_width(720);
        ws.insert_chart(r, 0, &chart)?;
        // Rows under the chart.
        r += (28 * blocking.clamp(4, 30) + 80) / 20 + 1;
    } else {
        ws.write_string_with_format(r, 0, w.none, &bold)?;
        r += 2;
    }

    // Options.
    ws.write_string_with_format(r, 0, w.options, &head)?;
    for option in &s.options {
        r += 1;
        ws.write_string(r, 0, option)?;
    }
    if s.options.is_empty() {
        r += 1;
        ws.write_string(r, 0, crate::i18n::labels::SUMMARY_NO_OPTIONS.get(lang))?;
    }
    // Printed (or exported to PDF) landscape, one page wide.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.2);
    // The audit on one page, charts included.
    ws.set_print_fit_to_pages(1, 1);
    ws.set_footer(footer(lang));
    for (c, width) in SUMMARY_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    Ok(())
}
