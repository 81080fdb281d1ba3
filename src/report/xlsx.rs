//! The workbook report, for the accountant who reads the audit in Excel: a summary sheet
//! with a chart (first, so that the workbook opens on it) and the records sheet: the
//! roster's own columns, then the verdict and the normalised identifiers, every cell text
//! (identifiers never become numbers, and text is never run as a formula), one fill colour
//! per status, a filter and a frozen header. The records sheet is written in constant-memory
//! mode: a million records fit; past the 1,048,575 records a sheet holds, they go on in
//! "Records 2", "Records 3"… Excel's cells hold 32,767 characters: a longer roster cell is
//! cut, and ends in "…".

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use rust_xlsxwriter::{Chart, ChartType, Color, Format, Workbook, Worksheet, XlsxError};

use super::csv::{Layout, labels};
use super::summary::{FileSummary, Summary};
use super::{ReportWriter, Spool};
use crate::Lang;
use crate::i18n::errors;
use crate::pipeline::{Record, Sink};
use crate::roster::Source;
use crate::rules::Status;

/// Widest a column gets, in characters.
const MAX_WIDTH: usize = 60;

/// Records a sheet holds: Excel's 1,048,576 rows, less the header.
const RECORDS_PER_SHEET: u32 = 1_048_575;

/// Characters a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

/// Columns a sheet holds (Excel's limit, `XFD`).
const MAX_COLUMNS: usize = crate::roster::excel::MAX_COLUMNS as usize;

pub struct XlsxWriter {
    book: Workbook,
    target: PathBuf,
    spool: Spool,
    lang: Lang,
    layout: Layout,
    names: Vec<String>,
    /// The header row of the records sheets.
    headers: Vec<String>,
    /// The roster's columns that fit in a sheet, before the verdict's.
    roster_columns: usize,
    /// Records sheets so far (the last one is being written).
    sheets: usize,
    /// The next row of the records sheet.
    row: u32,
    records_per_sheet: u32,
    /// A column with each record's change since the previous run.
    compare: bool,
    widths: Vec<usize>,
    fills: [Format; 3],
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

fn fill(status: Status) -> Format {
    let color = match status {
        Status::Ready => 0xC6EFCE,
        Status::Invalid => 0xFFC7CE,
        Status::InPerson => 0xFFEB9C,
    };
    Format::new().set_background_color(Color::RGB(color))
}

fn index(status: Status) -> usize {
    match status {
        Status::Ready => 0,
        Status::Invalid => 1,
        Status::InPerson => 2,
    }
}

impl XlsxWriter {
    pub fn create(
        target: &std::path::Path,
        sources: &[Arc<Source>],
        lang: Lang,
        compare: bool,
    ) -> anyhow::Result<XlsxWriter> {
        let spool = Spool::create(target)?;
        let layout = Layout::new(sources);
        let mut book = Workbook::new();
        let (summary_name, records_name) = sheet_names(lang);
        book.add_worksheet().set_name(summary_name)?;
        let change = compare.then(|| crate::compare::Change::column(lang));
        // A roster wider than a sheet keeps its first columns, and the verdict after them.
        let verdict = labels(lang).len() + usize::from(compare);
        let roster_columns = layout.headers.len().min(MAX_COLUMNS - verdict);
        let headers: Vec<String> = layout.headers[..roster_columns]
            .iter()
            .map(String::as_str)
            .chain(labels(lang))
            .chain(change)
            .map(str::to_owned)
            .collect();
        add_records_sheet(&mut book, records_name, &headers)?;
        let widths = headers.iter().map(|h| h.chars().count() + 2).collect();
        let names = sources
            .iter()
            .map(|s| match &s.sheet {
                Some(sheet) => format!("{}[{sheet}]", s.name()),
                None => s.name().into_owned(),
            })
            .collect();
        Ok(XlsxWriter {
            book,
            target: target.to_owned(),
            spool,
            lang,
            layout,
            names,
            headers,
            roster_columns,
            sheets: 1,
            row: 1,
            records_per_sheet: RECORDS_PER_SHEET,
            compare,
            widths,
            fills: [
                fill(Status::Ready),
                fill(Status::Invalid),
                fill(Status::InPerson),
            ],
        })
    }

    /// The records sheet being written.
    fn records(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.book.worksheet_from_index(self.sheets)
    }

    /// The current records sheet is full: filter it and go on to the next.
    fn next_sheet(&mut self) -> Result<(), XlsxError> {
        let last_col = (self.headers.len().clamp(1, MAX_COLUMNS) - 1) as u16;
        let last_row = self.row - 1;
        self.records()?.autofilter(0, 0, last_row, last_col)?;
        self.sheets += 1;
        let name = records_sheet(self.lang, self.sheets);
        add_records_sheet(&mut self.book, &name, &self.headers)?;
        self.row = 1;
        Ok(())
    }
}

/// Adds a records sheet (constant memory) with its header row, frozen.
fn add_records_sheet(book: &mut Workbook, name: &str, headers: &[String]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    for (c, h) in headers.iter().enumerate().take(MAX_COLUMNS) {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
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

impl Sink for XlsxWriter {
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        self.put(r)
            .with_context(|| errors::REPORT_CANNOT_WRITE.with("path", self.target.display()))
    }
}

impl XlsxWriter {
    fn put(&mut self, r: &Record) -> anyhow::Result<()> {
        if self.row > self.records_per_sheet {
            self.next_sheet()?;
        }
        let row = self.row;
        self.row += 1;
        let width = self.layout.headers.len();
        let mut cells: Vec<std::borrow::Cow<str>> = vec![std::borrow::Cow::Borrowed(""); width];
        for (cell, &col) in r.cells.iter().zip(&self.layout.columns[r.source_index]) {
            cells[col] = r.source.decoder.decode(cell);
        }
        let extra: Vec<_> = r
            .cells
            .iter()
            .skip(self.layout.columns[r.source_index].len())
            .map(|c| r.source.decoder.decode(c))
            .collect();
        let codes: Vec<&str> = r.checked.findings.iter().map(|f| f.code.name()).collect();
        let messages: Vec<_> = r
            .checked
            .findings
            .iter()
            .map(|f| f.message(self.lang))
            .collect();
        let row_text = r.row.to_string();
        let tail = [
            r.status.label(self.lang).to_owned(),
            codes.join(" "),
            messages.join(" | "),
            r.checked.id.to_string(),
            r.checked.ruc.to_string(),
            r.checked.sucursal.to_string(),
            self.names[r.source_index].clone(),
            row_text,
        ];
        cells.truncate(self.roster_columns);
        let status_col = self.roster_columns as u16;
        let fill = self.fills[index(r.status)].clone();
        let mut texts: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        texts.extend(tail);
        if self.compare {
            texts.push(
                r.checked
                    .change
                    .map_or("", |c| c.label(self.lang))
                    .to_owned(),
            );
        }
        texts.extend(extra.iter().map(|c| c.to_string()));
        for (c, text) in texts.iter().enumerate() {
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(text.chars().count().min(MAX_WIDTH) + 2);
            }
        }
        let sheet = self.records()?;
        // Cells past Excel's last column (a roster of 20,000 columns) are left out.
        for (c, text) in texts.iter().enumerate().take(MAX_COLUMNS) {
            let c = c as u16;
            if c == status_col {
                sheet.write_string_with_format(row, c, text, &fill)?;
            } else if !text.is_empty() {
                // Always text: a cédula stays `0912345678`, `=1+1` stays what it is.
                sheet.write_string(row, c, cell_text(text))?;
            }
        }
        Ok(())
    }
}

impl ReportWriter for XlsxWriter {
    fn finish(mut self: Box<Self>, summary: &Summary) -> anyhow::Result<()> {
        let last_row = self.row.saturating_sub(1);
        let last_col = (self.widths.len().clamp(1, MAX_COLUMNS) - 1) as u16;
        self.records()?.autofilter(0, 0, last_row, last_col)?;
        for index in 1..=self.sheets {
            let sheet = self.book.worksheet_from_index(index)?;
            for (c, w) in self.widths.iter().enumerate().take(MAX_COLUMNS) {
                sheet.set_column_width(c as u16, *w as f64)?;
            }
        }
        let lang = self.lang;
        let sheets: Vec<String> = (1..=self.sheets).map(|i| records_sheet(lang, i)).collect();
        write_summary(self.book.worksheet_from_index(0)?, summary, &sheets, lang)?;
        let context = || errors::REPORT_CANNOT_WRITE.with("path", self.target.display());
        self.book
            .save_to_writer(self.spool.file())
            .with_context(context)?;
        self.spool.commit()?;
        Ok(())
    }
}

/// Texts of the summary sheet.
struct Words {
    title: &'static str,
    inputs: &'static str,
    file: &'static str,
    sheet: &'static str,
    rows: &'static str,
    records: &'static str,
    blank: &'static str,
    by_status: &'static str,
    status: &'static str,
    count: &'static str,
    by_code: &'static str,
    code: &'static str,
    severity: &'static str,
    message: &'static str,
    options: &'static str,
    time: &'static str,
    records_sheets: &'static str,
    total: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "patronal: clave patronal audit",
            inputs: "Inputs read",
            file: "File",
            sheet: "Sheet",
            rows: "Rows",
            records: "Records",
            blank: "Blank rows skipped",
            by_status: "Records by status",
            status: "Status",
            count: "Records",
            by_code: "Records by code",
            code: "Code",
            severity: "Severity",
            message: "Message",
            options: "Options",
            records_sheets: "Records sheets",
            time: "Time taken (s)",
            total: "Total",
        },
        Lang::Es => Words {
            title: "patronal: auditoría de clave patronal",
            inputs: "Entradas leídas",
            file: "Archivo",
            sheet: "Hoja",
            rows: "Filas",
            records: "Registros",
            blank: "Filas en blanco omitidas",
            by_status: "Registros por estado",
            status: "Estado",
            count: "Registros",
            by_code: "Registros por código",
            code: "Código",
            severity: "Gravedad",
            message: "Mensaje",
            options: "Opciones",
            records_sheets: "Hojas de registros",
            time: "Tiempo (s)",
            total: "Total",
        },
    }
}

/// A one-series chart of the labels in column A and the counts in column B of `sheet`, rows
/// `first` to `last`.
fn chart(kind: ChartType, title: &str, series: &str, sheet: &str, first: u32, last: u32) -> Chart {
    let mut chart = Chart::new(kind);
    chart.title().set_name(title);
    chart
        .add_series()
        .set_categories((sheet, first, 0, last, 0))
        .set_values((sheet, first, 1, last, 1))
        .set_name(series);
    chart.legend().set_hidden();
    chart
}

/// A table of the run's files from row `r`: the header row, then per file its name, its
/// sheet and three counts. Returns the table's last row.
fn file_table(
    ws: &mut Worksheet,
    mut r: u32,
    headers: [&str; 5],
    files: &[FileSummary],
    counts: impl Fn(&FileSummary) -> [u64; 3],
) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &bold)?;
    }
    for f in files {
        r += 1;
        ws.write_string(r, 0, &f.source)?;
        ws.write_string(r, 1, f.sheet.as_deref().unwrap_or(""))?;
        for (c, n) in counts(f).into_iter().enumerate() {
            ws.write_number(r, c as u16 + 2, n as f64)?;
        }
    }
    Ok(r)
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
    let title = Format::new().set_bold().set_font_size(14);
    let name = ws.name();
    ws.write_string_with_format(0, 0, w.title, &title)?;

    // Counts by status, with the chart beside them.
    let mut r = 2;
    ws.write_string_with_format(r, 0, w.by_status, &bold)?;
    r += 1;
    ws.write_string_with_format(r, 0, w.status, &bold)?;
    ws.write_string_with_format(r, 1, w.count, &bold)?;
    let first_status = r + 1;
    for (status, n) in [
        (Status::Ready, s.ready),
        (Status::Invalid, s.invalid),
        (Status::InPerson, s.in_person),
    ] {
        r += 1;
        ws.write_string_with_format(r, 0, status.label(lang), &fill(status))?;
        ws.write_number(r, 1, n as f64)?;
    }
    let last_status = r;
    r += 1;
    ws.write_string_with_format(r, 0, w.total, &bold)?;
    ws.write_number(r, 1, s.records as f64)?;
    let by_status = chart(
        ChartType::Column,
        w.by_status,
        w.count,
        &name,
        first_status,
        last_status,
    );
    ws.insert_chart(2, 5, &by_status)?;

    // Inputs.
    r += 2;
    ws.write_string_with_format(r, 0, w.inputs, &bold)?;
    let headers = [w.file, w.sheet, w.rows, w.records, w.blank];
    r = file_table(ws, r + 1, headers, &s.files, |f| {
        [f.rows, f.records, f.blank_rows]
    })?;
    if sheets.len() > 1 {
        r += 2;
        ws.write_string_with_format(r, 0, w.records_sheets, &bold)?;
        ws.write_string(r, 1, sheets.join(", "))?;
    }
    if s.files.len() > 1 {
        // Per file, by status.
        let [ready, invalid, in_person] =
            [Status::Ready, Status::Invalid, Status::InPerson].map(|s| s.label(lang));
        let headers = [w.file, w.sheet, ready, invalid, in_person];
        r = file_table(ws, r + 2, headers, &s.files, |f| {
            [f.ready, f.invalid, f.in_person]
        })?;
    }

    // Counts by code, most frequent first, with a chart of the top ones.
    r += 2;
    ws.write_string_with_format(r, 0, w.by_code, &bold)?;
    r += 1;
    for (c, h) in [w.code, w.count, w.severity, w.message].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &bold)?;
    }
    let first_code = r + 1;
    let top = s.top_codes();
    for (code, n) in &top {
        r += 1;
        ws.write_string(r, 0, code.name())?;
        ws.write_number(r, 1, *n as f64)?;
        ws.write_string(r, 2, code.severity().label(lang))?;
        ws.write_string(r, 3, code.info().message(lang).replace("{}", "…"))?;
    }
    if !top.is_empty() {
        let last = first_code + top.len().min(10) as u32 - 1;
        let codes = chart(ChartType::Bar, w.by_code, w.count, &name, first_code, last);
        ws.insert_chart(18, 5, &codes)?;
    }

    // Options and time.
    r += 2;
    ws.write_string_with_format(r, 0, w.options, &bold)?;
    for option in &s.options {
        r += 1;
        ws.write_string(r, 0, option)?;
    }
    r += 2;
    ws.write_string_with_format(r, 0, w.time, &bold)?;
    ws.write_number(r, 1, (s.elapsed.as_secs_f64() * 1000.0).round() / 1000.0)?;
    // Printed (or exported to PDF) on one landscape page, charts included.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 12)?;
    // Wide enough for the messages, which sit under the charts' column otherwise.
    ws.set_column_width(3, 62)?;
    ws.set_column_width(4, 18)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::check_row;
    use crate::roster::{Cells, Decoder, headers::match_headers};
    use calamine::{Data, Reader, Xlsx, open_workbook};

    /// A CSV roster's source with these headers.
    fn source(headers: Vec<String>) -> Arc<Source> {
        Arc::new(Source {
            path: "r.csv".into(),
            sheet: None,
            map: match_headers(&headers, &[]),
            headers,
            decoder: Decoder::Utf8,
            dialect: String::new(),
        })
    }

    /// Checks `cells` as row `row` of `source`, counts it and writes it.
    fn write(w: &mut XlsxWriter, summary: &mut Summary, source: &Source, cells: &Cells, row: u64) {
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
            utf8: true,
            rendered: None,
        })
        .unwrap();
    }

    #[test]
    fn records_past_a_sheet_go_on_and_long_cells_are_cut() {
        let source = source(["Cédula", "RUC", "Notas"].map(String::from).into());
        let sources = std::slice::from_ref(&source);
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.xlsx");
        let mut w = XlsxWriter::create(&target, sources, Lang::Es, false).unwrap();
        w.records_per_sheet = 2;
        let mut summary = Summary::new(sources);
        let long = "ñ".repeat(40_000);
        for i in 0..5 {
            let cells = Cells::from_iter(["0428813992", "0428813992001", &long]);
            write(&mut w, &mut summary, &source, &cells, i + 2);
        }
        summary.finish(std::time::Duration::ZERO);
        Box::new(w).finish(&summary).unwrap();

        let mut book: Xlsx<_> = open_workbook(&target).unwrap();
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
        assert_eq!(last.get_value((0, 0)), Some(&Data::String("Cédula".into())));
        assert_eq!(
            last.get_value((1, 1)),
            Some(&Data::String("0428813992001".into()))
        );
        let Some(Data::String(notes)) = last.get_value((1, 2)) else {
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
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.xlsx");
        let mut w = XlsxWriter::create(&target, sources, Lang::En, false).unwrap();
        let mut cells = vec!["0428813992", "0428813992001"];
        cells.extend(std::iter::repeat_n("x", 20_000));
        let cells = Cells::from_iter(cells);
        let mut summary = Summary::new(sources);
        write(&mut w, &mut summary, &source, &cells, 2);
        Box::new(w).finish(&summary).unwrap();
        let mut book: Xlsx<_> = open_workbook(&target).unwrap();
        let records = book.worksheet_range("Records").unwrap();
        assert_eq!(records.width(), MAX_COLUMNS);
        let verdict = MAX_COLUMNS - labels(Lang::En).len();
        assert_eq!(
            records.get_value((0, verdict as u32)),
            Some(&Data::String("result".into()))
        );
        assert_eq!(
            records.get_value((1, verdict as u32)),
            Some(&Data::String("ready".into()))
        );
    }
}
