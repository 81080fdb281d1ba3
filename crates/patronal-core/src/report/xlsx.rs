//! The workbook report, for the accountant who reads the audit in Excel: a summary sheet
//! (first, so that the workbook opens on it) and the records sheet, in the one table shape
//! of [`super::layout`]: the recognised fields, the verdict (filled by status), the other
//! roster columns. Every roster cell is text (identifiers never become numbers, and text is
//! never run as a formula); `row` is a number. Printed landscape, one page wide, the header
//! row on every page. The records sheet is written in constant-memory mode: a million
//! records fit; past the 1,048,575 records a sheet holds, they go on in "Records 2",
//! "Records 3"… Excel's cells hold 32,767 characters: a longer cell (a header included) is
//! cut, and ends in "…".

use std::io::{self, Seek, Write};
use std::sync::Arc;

use rust_xlsxwriter::{
    Chart, ChartType, Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::layout::{Layout, extra_label, field_heading, verdict_labels};
use super::summary::Summary;
use super::{Record, Sink};
use super::{ReportError, ReportWriter};
use crate::finding::Lang;
use crate::finding::{Severity, Verdict};
use crate::roster::Source;

/// Widest a column gets, in characters (a longer cell shows its start; the codes and the
/// messages wrap).
const MAX_WIDTH: usize = 28;

/// Width of the messages column, whose text wraps.
const MESSAGES_WIDTH: usize = 42;

/// Most of a heading's width that counts for its column's: headings wrap.
const HEADING_WIDTH: usize = 10;

/// Records a sheet holds: Excel's 1,048,576 rows, less the header.
const RECORDS_PER_SHEET: u32 = 1_048_575;

/// Characters a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

/// Columns a sheet holds (Excel's limit, `XFD`).
const MAX_COLUMNS: usize = crate::roster::excel::MAX_COLUMNS as usize;

pub struct XlsxWriter<W> {
    book: Workbook,
    out: W,
    lang: Lang,
    layout: Layout,
    names: Vec<String>,
    /// The header row of the records sheets.
    headers: Vec<String>,
    /// The first column of the verdict, and of the other roster columns.
    verdict_col: usize,
    others_col: usize,
    /// The other roster columns that fit in a sheet.
    others: usize,
    /// Records sheets so far (the last one is being written).
    sheets: usize,
    /// The next row of the records sheet.
    row: u32,
    records_per_sheet: u32,
    /// A column with each record's change since the previous run.
    compare: bool,
    widths: Vec<usize>,
    formats: Formats,
}

/// The cell formats of the records sheets.
struct Formats {
    header: Format,
    /// Per status: the verdict's fill.
    fills: [Format; 3],
    /// Per status: the fill, wrapped (messages).
    wrapped: [Format; 3],
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9D9D9))
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            fills: [Verdict::Ready, Verdict::Invalid, Verdict::InPerson].map(fill),
            wrapped: [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
                .map(|s| fill(s).set_text_wrap()),
        }
    }
}

fn sheet_names(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Summary", "Records"),
        Lang::Es => ("Resumen", "Registros"),
    }
}

/// The name of the `n`th records sheet: "Records", "Records 2"…
fn records_sheet(lang: Lang, n: usize) -> String {
    let base = sheet_names(lang).1;
    match n {
        1 => base.to_owned(),
        n => format!("{base} {n}"),
    }
}

fn fill(status: Verdict) -> Format {
    let color = match status {
        Verdict::Ready => 0xC6EFCE,
        Verdict::Invalid => 0xFFC7CE,
        Verdict::InPerson => 0xFFEB9C,
    };
    Format::new().set_background_color(Color::RGB(color))
}

fn index(status: Verdict) -> usize {
    match status {
        Verdict::Ready => 0,
        Verdict::Invalid => 1,
        Verdict::InPerson => 2,
    }
}

/// The page footer: "Page 3 of 45".
fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "&L&A&RPage &P of &N",
        Lang::Es => "&L&A&RPágina &P de &N",
    }
}

impl<W: Write + Seek + Send> XlsxWriter<W> {
    pub fn new(
        out: W,
        sources: &[Arc<Source>],
        lang: Lang,
        compare: bool,
    ) -> Result<XlsxWriter<W>, ReportError> {
        let layout = Layout::new(sources);
        let mut book = Workbook::new();
        let (summary_name, records_name) = sheet_names(lang);
        book.add_worksheet().set_name(summary_name)?;
        let change = compare.then(|| crate::report::Change::column(lang));
        let verdict_col = layout.fields.len();
        let others_col = verdict_col + verdict_labels(lang).len() + usize::from(compare);
        // A roster wider than a sheet keeps its first columns (and the last, extra cells).
        let others = layout.others.len().min(MAX_COLUMNS - others_col - 1);
        let headers: Vec<String> = layout
            .fields
            .iter()
            .map(|c| field_heading(*c, lang))
            .chain(verdict_labels(lang))
            .chain(change)
            .chain(layout.others[..others].iter().map(String::as_str))
            .chain([extra_label(lang)])
            .map(str::to_owned)
            .collect();
        let formats = Formats::new();
        add_records_sheet(&mut book, records_name, &headers, &formats, lang)?;
        let mut widths: Vec<usize> = headers
            .iter()
            .map(|h| width_of(h).min(HEADING_WIDTH) + 2)
            .collect();
        widths[verdict_col + 2] = MESSAGES_WIDTH;
        let names = sources.iter().map(|s| s.label()).collect();
        Ok(XlsxWriter {
            book,
            out,
            lang,
            layout,
            names,
            headers,
            verdict_col,
            others_col,
            others,
            sheets: 1,
            row: 1,
            records_per_sheet: RECORDS_PER_SHEET,
            compare,
            widths,
            formats,
        })
    }

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
fn width_of(text: &str) -> usize {
    text.lines()
        .map(|l| l.chars().take(MAX_WIDTH).count())
        .max()
        .unwrap_or(0)
        .min(MAX_WIDTH)
}

/// Adds a records sheet (constant memory) with its header row, frozen, and its print setup:
/// landscape, one page wide, the header row on every page.
fn add_records_sheet(
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
            self.records()?
                .set_row_height(row, 15.0 * lines.min(20) as f64)?;
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

/// A writer that keeps the first error it meets and, once it has returned it, swallows the
/// rest: the zip library's writer tries again to finish the archive when it is dropped
/// after an error, and prints a raw `ZipWriter::drop` line when that fails too. The error
/// the run reports is the first one, named with the report.
struct FirstError<W> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Write for FirstError<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Ok(buf.len());
        }
        self.inner.write(buf).inspect_err(|e| {
            self.error = Some(io::Error::new(e.kind(), e.to_string()));
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.error.is_some() {
            return Ok(());
        }
        self.inner.flush().inspect_err(|e| {
            self.error = Some(io::Error::new(e.kind(), e.to_string()));
        })
    }
}

impl<W: Write + Seek + Send> ReportWriter<W> for XlsxWriter<W> {
    fn finish(mut self: Box<Self>, summary: &Summary) -> Result<W, ReportError> {
        let last_row = self.row.saturating_sub(1);
        let last_col = (self.headers.len() - 1) as u16;
        // The printout holds the fields and the verdict; the roster's other columns stay on
        // screen (fitting them all to one page wide would make every column unreadable).
        let print_last = (self.others_col - 1) as u16;
        let sheets = self.sheets;
        let widths = std::mem::take(&mut self.widths);
        let messages = self.verdict_col + 2;
        for index in 1..=sheets {
            let rows = if index == sheets {
                last_row
            } else {
                self.records_per_sheet
            };
            let sheet = self.book.worksheet_from_index(index)?;
            if index == sheets {
                sheet.autofilter(0, 0, rows, last_col)?;
            }
            sheet.set_print_area(0, 0, rows.max(1), print_last)?;
            for (c, w) in widths.iter().enumerate() {
                let w = if c == messages { MESSAGES_WIDTH } else { *w };
                sheet.set_column_width(c as u16, w as f64)?;
            }
        }
        let lang = self.lang;
        let names: Vec<String> = (1..=sheets).map(|i| records_sheet(lang, i)).collect();
        let ws = self.book.worksheet_from_index(0)?;
        write_summary(ws, summary, &names, lang)?;
        let mut out = FirstError {
            inner: io::BufWriter::new(&mut self.out),
            error: None,
        };
        let saved = self.book.save_to_writer(&mut out);
        let flushed = out.flush();
        if let Some(e) = out.error.take() {
            return Err(e.into());
        }
        saved?;
        flushed?;
        drop(out);
        self.out.flush()?;
        Ok(self.out)
    }
}

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
    match lang {
        Lang::En => Words {
            title: "patronal: clave patronal audit",
            audited: "Audit date and time",
            version: "patronal version",
            time: "Time taken (s)",
            time_note: "reading, checking and writing, up to this workbook's saving",
            inputs: "Inputs read",
            catastro: "SRI catastro read",
            sheet: "Sheet",
            records: "Records",
            blank: "Blank rows",
            by_status: "Records by status",
            share: "Share",
            by_code: "Records by code, the most serious first",
            code: "Code",
            severity: "Severity",
            message: "Message",
            hint: "How to fix it",
            blocking: "What blocks the recovery (records)",
            options: "Options",
            records_sheets: "Records sheets",
            total: "Total",
            none: "No record is blocked: every one is ready.",
        },
        Lang::Es => Words {
            title: "patronal: auditoría de clave patronal",
            audited: "Fecha y hora de la auditoría",
            version: "Versión de patronal",
            time: "Tiempo (s)",
            time_note: "lectura, revisión y escritura, hasta guardar este libro",
            inputs: "Entradas leídas",
            catastro: "Catastro del SRI leído",
            sheet: "Hoja",
            records: "Registros",
            blank: "Filas en blanco",
            by_status: "Registros por estado",
            share: "Porcentaje",
            by_code: "Registros por código, lo más grave primero",
            code: "Código",
            severity: "Gravedad",
            message: "Mensaje",
            hint: "Cómo corregirlo",
            blocking: "Lo que impide la recuperación (registros)",
            options: "Opciones",
            records_sheets: "Hojas de registros",
            total: "Total",
            none: "Ningún registro está bloqueado: todos están listos.",
        },
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

/// The summary sheet; `sheets`: the records sheets (more than one past 1,048,575 records).
fn write_summary(
    ws: &mut Worksheet,
    s: &Summary,
    sheets: &[String],
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
    let name = ws.name();
    ws.write_string_with_format(0, 0, w.title, &title)?;

    // When, which version, how long.
    let mut r = 2;
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
        ws.write_number(r, 1, n as f64)?;
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
    ws.write_number_with_format(r, 1, s.records as f64, &bold)?;
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
            ws.write_number_with_format(r, c as u16 + 1, n as f64, &top)?;
        }
        ws.set_row_height(r, 15.0 * lines_in(&file, SUMMARY_WIDTHS[0]) as f64)?;
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
        let message = code.info().message(lang).replace("{}", "…");
        let hint = code.info().hint(lang);
        ws.write_string_with_format(r, 0, code.name(), &tint.clone().set_align(FormatAlign::Top))?;
        ws.write_number_with_format(r, 1, *n as f64, &top)?;
        ws.write_string_with_format(r, 2, severity.label(lang), &top)?;
        ws.merge_range(r, 3, r, 6, &message, &wrap)?;
        ws.write_string_with_format(r, 7, hint, &wrap)?;
        let message_width: f64 = SUMMARY_WIDTHS[3..7].iter().sum();
        let lines = lines_in(&message, message_width).max(lines_in(hint, SUMMARY_WIDTHS[7]));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::check_row;
    use crate::roster::Cells;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn source(headers: Vec<String>) -> Arc<Source> {
        Source::with_headers(headers)
    }

    /// Checks `cells` as row `row` of `source`, counts it and writes it.
    fn write(
        w: &mut XlsxWriter<Cursor<Vec<u8>>>,
        summary: &mut Summary,
        source: &Source,
        cells: &Cells,
        row: u64,
    ) {
        let checked = check_row(source, cells);
        let status = checked.status();
        summary.count(0, status, &checked.findings);
        w.record(&Record {
            source,
            source_index: 0,
            row,
            cells,
            checked: &checked,
            status,
            change: None,
            utf8: true,
        })
        .unwrap();
    }

    #[test]
    fn records_past_a_sheet_go_on_and_long_cells_are_cut() {
        let source = source(["Cédula", "RUC", "Notas"].map(String::from).into());
        let sources = std::slice::from_ref(&source);
        let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::Es, false).unwrap();
        w.records_per_sheet = 2;
        let mut summary = Summary::new(sources);
        let long = "ñ".repeat(40_000);
        for i in 0..5 {
            let cells = Cells::from_iter(["0428813992", "0428813992001", &long]);
            write(&mut w, &mut summary, &source, &cells, i + 2);
        }
        summary.finish(std::time::Duration::ZERO);
        let bytes = Box::new(w).finish(&summary).unwrap();

        let mut book = Xlsx::new(bytes).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Resumen", "Registros", "Registros 2", "Registros 3"]
        );
        let heights: Vec<usize> = ["Registros", "Registros 2", "Registros 3"]
            .iter()
            .map(|s| book.worksheet_range(s).unwrap().height())
            .collect();
        assert_eq!(
            heights,
            [3, 3, 2],
            "a header on each, then 2 + 2 + 1 records"
        );
        let summary = book.worksheet_range("Resumen").unwrap();
        assert!(summary.rows().any(|r| {
            r[0] == Data::String("Hojas de registros".into())
                && r[1] == Data::String("Registros, Registros 2, Registros 3".into())
        }));
        let last = book.worksheet_range("Registros 3").unwrap();
        assert_eq!(
            last.get_value((0, 0)),
            Some(&Data::String("Identificación".into()))
        );
        assert_eq!(
            last.get_value((1, 1)),
            Some(&Data::String("0428813992001".into()))
        );
        assert_eq!(last.get_value((0, 10)), Some(&Data::String("Notas".into())));
        let Some(Data::String(notes)) = last.get_value((1, 10)) else {
            panic!("the notes cell is text");
        };
        assert_eq!(notes.chars().count(), MAX_CELL_CHARS);
        assert!(notes.ends_with("ñ…"));
    }

    #[test]
    fn a_roster_wider_than_a_sheet_keeps_the_verdict() {
        let mut headers: Vec<String> = ["Cédula", "RUC"].map(String::from).into();
        headers.extend((0..20_000).map(|i| format!("c{i}")));
        let source = source(headers);
        let sources = std::slice::from_ref(&source);
        let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::En, false).unwrap();
        let mut cells = vec!["0428813992", "0428813992001"];
        cells.extend(std::iter::repeat_n("x", 20_000));
        let cells = Cells::from_iter(cells);
        let mut summary = Summary::new(sources);
        write(&mut w, &mut summary, &source, &cells, 2);
        let bytes = Box::new(w).finish(&summary).unwrap();
        let mut book = Xlsx::new(bytes).unwrap();
        let records = book.worksheet_range("Records").unwrap();
        assert_eq!(records.width(), MAX_COLUMNS);
        assert_eq!(
            records.get_value((0, 2)),
            Some(&Data::String("result".into()))
        );
        assert_eq!(
            records.get_value((1, 2)),
            Some(&Data::String("ready".into()))
        );
        assert_eq!(
            records.get_value((1, 10)),
            Some(&Data::String("x".into())),
            "the other columns after the verdict"
        );
    }
}
