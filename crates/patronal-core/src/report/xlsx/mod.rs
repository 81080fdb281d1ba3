//! The workbook report, for the accountant who works from it in Excel. Its sheets, in order:
//!
//! - **Plan** (first, so that the workbook opens on it): employers grouped by what to do,
//!   ready for the online recovery, fix first, in person, with the effort it takes
//!   (`plan.rs`);
//! - **Summary**: what was audited, the counts, the codes with their fix (`summary.rs`);
//! - **Changes**, after `--compare`: newly flagged, fixed and gone employers (`changes.rs`);
//! - **To resolve**: the flagged records only, the printout of the audit (`to_resolve.rs`);
//! - **Records**: every record in the one table shape of [`super::layout`], the fields, the
//!   verdict (filled by status, one line per finding "CODE — message" and its fix beside
//!   it), the other roster columns (`records.rs`).
//!
//! Every roster cell is text (identifiers never become numbers, and text is never run as a
//! formula); the row is a number. Rows with wrapped text are as tall as their text
//! (`fit.rs`); the records sheets' heights are kept apart from the library, one byte a row,
//! and written into the saved workbook (`heights.rs`). The records sheets are written in
//! constant-memory mode: a million records fit; past the 1,048,575 records a sheet holds they go on in "Records 2", "Records 3"…
//! Excel's cells hold 32,767 characters: a longer cell (a header included) is cut, and ends
//! in "…".

use std::io::{self, Seek, Write};
use std::sync::Arc;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::summary::Summary;
use super::{Record, ReportError, ReportWriter, Sink};
use crate::finding::{Lang, Verdict};
use crate::i18n::labels;
use crate::roster::Source;

mod changes;
mod fit;
#[cfg(not(target_family = "wasm"))]
mod heights;
mod plan;
mod records;
mod spool;
mod summary;
mod to_resolve;

use summary::write_summary;

fn fill(status: Verdict) -> Format {
    let color = match status {
        Verdict::Ready => 0xC6EFCE,
        Verdict::Invalid => 0xFFC7CE,
        Verdict::InPerson => 0xFFEB9C,
    };
    Format::new().set_background_color(Color::RGB(color))
}

/// The page footer: the sheet's name, and "Page 3 of 45".
fn footer(lang: Lang) -> &'static str {
    labels::FOOTER.get(lang)
}

/// Records a sheet holds: Excel's 1,048,576 rows, less the header.
const RECORDS_PER_SHEET: u32 = 1_048_575;

/// Records the Plan lists in each of its groups, and the To resolve and Changes sheets in
/// each of theirs: sheets to work from and print (10,000 employers are some 300 printed
/// pages), bounded in time and memory whatever the run's size (each row taller than a line
/// costs rust_xlsxwriter about 250 bytes until the workbook is saved: a million-record run
/// takes 15 MB more for them, not 150); the rest are counted on a last line, and every
/// record is on the Records sheets. (3 in the unit tests, which write a few records.)
#[cfg(not(test))]
const MAX_LISTED: u64 = 10_000;
#[cfg(test)]
const MAX_LISTED: u64 = 3;

/// Characters a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

/// Columns a sheet holds (Excel's limit, `XFD`).
const MAX_COLUMNS: usize = crate::roster::excel::MAX_COLUMNS as usize;

/// The print scale of the sheets made to be printed (Plan, To resolve, Changes): the
/// workbook's Calibri 11 at 85% prints at 9.35 points, and their columns fit an A4 page's
/// width in landscape at that scale.
const PRINT_SCALE: u16 = 85;

/// The shared cell formats.
pub(super) struct Formats {
    header: Format,
    /// Per status: the verdict's fill.
    fills: [Format; 3],
    /// Per status: the fill, wrapped and at the top (the findings and their fixes).
    wrapped: [Format; 3],
    /// Text at the top of its cell, wrapped.
    wrap: Format,
    /// Text at the top of its cell, not wrapped (identifiers).
    top: Format,
    bold: Format,
    title: Format,
    italic_wrap: Format,
    /// A table's cell (Plan, To resolve, Changes): thin grey borders, at the top, wrapped.
    cell: Format,
    /// A table's cell that does not wrap (identifiers).
    cell_plain: Format,
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
            fills: [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
                .map(|s| fill(s).set_align(FormatAlign::Top)),
            wrapped: [Verdict::Ready, Verdict::Invalid, Verdict::InPerson]
                .map(|s| fill(s).set_text_wrap().set_align(FormatAlign::Top)),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            italic_wrap: Format::new()
                .set_italic()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            cell: bordered(Format::new().set_text_wrap()),
            cell_plain: bordered(Format::new()),
        }
    }

    /// The fill of `status`, wrapped or not.
    fn status(&self, status: Verdict, wrapped: bool) -> &Format {
        let i = match status {
            Verdict::Ready => 0,
            Verdict::Invalid => 1,
            Verdict::InPerson => 2,
        };
        if wrapped {
            &self.wrapped[i]
        } else {
            &self.fills[i]
        }
    }
}

/// `format` with thin grey borders, at the top of its cell: a table's cell.
fn bordered(format: Format) -> Format {
    format
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xA6A6A6))
}

/// What the sheets show of a record, rendered once.
pub(super) struct View {
    /// Where it is: `clientes.csv:5`, `libro.xlsx[Hoja1]:7`.
    place: String,
    /// The employer's name, as the roster has it.
    name: String,
    /// One line per finding: `CODE — message`.
    findings: String,
    /// One line per finding, aligned with `findings`: how to fix it.
    fixes: String,
}

impl View {
    fn new(r: &Record, label: &str, lang: Lang) -> View {
        let mut findings = String::new();
        let mut fixes = String::new();
        for (i, f) in r.checked.findings.iter().enumerate() {
            if i > 0 {
                findings.push('\n');
                fixes.push('\n');
            }
            findings.push_str(f.code.name());
            findings.push_str(" — ");
            findings.push_str(&f.message(lang));
            fixes.push_str(f.code.info().hint(lang));
        }
        View {
            place: format!("{label}:{}", r.row),
            name: r
                .cell(crate::finding::Field::Name)
                .map(|n| n.trim().to_owned())
                .unwrap_or_default(),
            findings,
            fixes,
        }
    }
}

pub(crate) struct XlsxWriter<W> {
    book: Workbook,
    out: W,
    lang: Lang,
    /// Per source: its label (`libro.xlsx[Hoja1]`).
    names: Vec<String>,
    formats: Formats,
    records: records::Records,
    plan: plan::Plan,
    to_resolve: to_resolve::ToResolve,
    changes: Option<changes::Changes>,
}

/// The sheets' places in the workbook.
const PLAN_SHEET: usize = 0;
const SUMMARY_SHEET: usize = 1;

impl<W: Write + Seek + Send> XlsxWriter<W> {
    pub(crate) fn new(
        out: W,
        sources: &[Arc<Source>],
        lang: Lang,
        compare: bool,
    ) -> Result<XlsxWriter<W>, ReportError> {
        let mut book = Workbook::new();
        // Every cell at the top of its row, the roster's cells included (written without a
        // format of their own, which costs a lookup per cell): in a row made tall by its
        // findings, a name reads beside the first one. Calibri 11's rows and columns.
        book.set_default_format(&Format::new().set_align(FormatAlign::Top), 20, 64)?;
        let formats = Formats::new();
        plan::add_sheet(&mut book, lang)?;
        book.add_worksheet()
            .set_name(labels::SHEET_SUMMARY.get(lang))?;
        let mut next = SUMMARY_SHEET + 1;
        let changes = if compare {
            let c = changes::Changes::new(&mut book, next, lang)?;
            next += 1;
            Some(c)
        } else {
            None
        };
        let to_resolve = to_resolve::ToResolve::new(&mut book, next, &formats, lang)?;
        next += 1;
        let records = records::Records::new(&mut book, next, sources, &formats, lang, compare)?;
        Ok(XlsxWriter {
            book,
            out,
            lang,
            names: sources.iter().map(|s| s.label()).collect(),
            formats,
            records,
            plan: plan::Plan::new(),
            to_resolve,
            changes,
        })
    }

    /// The names of the sheets that hold the records: "Records", "Records 2"…
    fn records_sheets(&self) -> Vec<String> {
        (1..=self.records.sheets())
            .map(|n| records::sheet_name(self.lang, n))
            .collect()
    }
}

impl<W: Write + Seek + Send> Sink for XlsxWriter<W> {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        let lang = self.lang;
        let view = View::new(r, &self.names[r.source_index], lang);
        self.records
            .put(&mut self.book, r, &view, &self.formats, lang)?;
        if r.status.is_flagged() {
            self.to_resolve
                .put(&mut self.book, r, &view, &self.formats, lang)?;
        }
        self.plan.put(r, &view, lang)?;
        if let Some(changes) = &mut self.changes {
            changes.put(r, &view, lang)?;
        }
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
        let lang = self.lang;
        let sheets = self.records_sheets();
        self.records.finish(&mut self.book)?;
        let to_resolve = std::mem::replace(&mut self.to_resolve, to_resolve::ToResolve::done());
        to_resolve.finish(&mut self.book, &self.formats, lang, &sheets[0])?;
        let plan = std::mem::replace(&mut self.plan, plan::Plan::new());
        plan.finish(
            self.book.worksheet_from_index(PLAN_SHEET)?,
            summary,
            &self.formats,
            lang,
            &sheets[0],
        )?;
        let changes_sheet = match self.changes.take() {
            Some(changes) => {
                let name = changes.sheet_name(lang);
                changes.finish(&mut self.book, summary, &self.formats, lang)?;
                Some(name)
            }
            None => None,
        };
        let ws = self.book.worksheet_from_index(SUMMARY_SHEET)?;
        write_summary(ws, summary, &sheets, changes_sheet.as_deref(), lang)?;
        // The workbook opens on the Plan.
        self.book.worksheet_from_index(PLAN_SHEET)?.set_active(true);
        let mut out = FirstError {
            inner: io::BufWriter::new(&mut self.out),
            error: None,
        };
        #[cfg(not(target_family = "wasm"))]
        let saved = if self.records.heights.is_empty() {
            self.book
                .save_to_writer(&mut out)
                .map_err(ReportError::from)
        } else {
            save_with_heights(&mut self.book, &self.records.heights, &mut out)
        };
        #[cfg(target_family = "wasm")]
        let saved = self
            .book
            .save_to_writer(&mut out)
            .map_err(ReportError::from);
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

/// Saves `book` into a temporary file, quickly compressed, then copies it into `out` with
/// the records sheets' rows given their `heights` ([`heights`]).
#[cfg(not(target_family = "wasm"))]
fn save_with_heights(
    book: &mut Workbook,
    heights: &heights::Heights,
    out: impl Write,
) -> Result<(), ReportError> {
    use std::io::{Seek, SeekFrom};
    book.set_zip_compression_level(1);
    let mut saved = tempfile::tempfile()?;
    let mut writer = io::BufWriter::new(&mut saved);
    book.save_to_writer(&mut writer)?;
    writer.flush()?;
    drop(writer);
    saved.seek(SeekFrom::Start(0))?;
    heights::apply(io::BufReader::new(saved), out, heights)?;
    Ok(())
}

/// Landscape A4 (Ecuador's paper size, INEN) with the header row(s) `repeat` on every page
/// and "Page N of M" (the tables have their own borders): the print setup of the sheets made to be printed, at
/// [`PRINT_SCALE`].
fn print_setup(sheet: &mut Worksheet, repeat: (u32, u32), lang: Lang) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_margins(0.3, 0.3, 0.5, 0.5, 0.2, 0.2);
    sheet.set_print_scale(PRINT_SCALE);
    sheet.set_repeat_rows(repeat.0, repeat.1)?;
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

/// How a table row's cells are written: the wrapped ones (and the row's height from their
/// lines) and the others (identifiers, which never wrap), with their borders.
pub(super) struct RowStyle<'a> {
    /// Per column: its width, in column units.
    pub widths: &'a [f64],
    /// Per column: whether its text wraps.
    pub wrap: &'a [bool],
    pub wrapped: &'a Format,
    pub plain: &'a Format,
}

/// Writes a table row (an empty cell keeps its borders) and sets its height to its tallest
/// wrapped cell's lines.
fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[&str],
    style: &RowStyle,
) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .zip(style.widths.iter().zip(style.wrap))
        .filter(|(c, (_, wrap))| **wrap && !c.is_empty())
        .map(|(c, (w, _))| fit::lines(c, *w))
        .max()
        .unwrap_or(1);
    if let Some(h) = fit::height(lines) {
        sheet.set_row_height(row, h)?;
    }
    for (c, text) in cells.iter().enumerate() {
        let format = if style.wrap.get(c).copied().unwrap_or(true) {
            style.wrapped
        } else {
            style.plain
        };
        if text.is_empty() {
            sheet.write_blank(row, c as u16, format)?;
        } else {
            sheet.write_string_with_format(row, c as u16, cell_text(text), format)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // The workbook read back: its sheets, the records past a sheet, the rows' heights against
    // their text, the Plan's groups.

    use std::io::Cursor;
    use std::sync::Arc;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::pipeline::check_row;
    use crate::report::{Record, Sink};
    use crate::roster::Cells;

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
        let status = checked.verdict();
        summary.count(0, status, &checked.findings);
        w.record(&Record {
            source,
            source_index: 0,
            row,
            cells,
            checked: &checked,
            status,
            change: None,
            before: None,
            utf8: true,
        })
        .unwrap();
    }

    /// The workbook of `rows` (cells under `headers`), in `lang`.
    fn workbook(headers: &[&str], rows: &[&[&str]], lang: Lang) -> Xlsx<Cursor<Vec<u8>>> {
        let source = source(headers.iter().map(|h| h.to_string()).collect());
        let sources = std::slice::from_ref(&source);
        let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, lang, false).unwrap();
        let mut summary = Summary::new(sources, false);
        for (i, cells) in rows.iter().enumerate() {
            let cells = Cells::from_iter(cells.iter().copied());
            write(&mut w, &mut summary, &source, &cells, i as u64 + 2);
        }
        summary.finish(std::time::Duration::ZERO);
        summary.written = summary.records;
        let bytes = Box::new(w).finish(&summary).unwrap();
        Xlsx::new(bytes).unwrap()
    }

    #[test]
    fn records_past_a_sheet_go_on_and_long_cells_are_cut() {
        let source = source(["Cédula", "RUC", "Notas"].map(String::from).into());
        let sources = std::slice::from_ref(&source);
        let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::Es, false).unwrap();
        w.records.per_sheet = 2;
        let mut summary = Summary::new(sources, false);
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
            [
                "Plan",
                "Resumen",
                "Por resolver",
                "Registros",
                "Registros 2",
                "Registros 3"
            ]
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

    /// Every part of a workbook (zip) but its creation time.
    fn parts(bytes: &[u8]) -> Vec<(String, String)> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().unwrap().into_owned();
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            if name != "docProps/core.xml" {
                parts.push((name, text));
            }
        }
        parts.sort();
        parts
    }

    #[test]
    fn heights_kept_apart_write_the_workbook_the_library_wrote() {
        let source = source(["Cédula", "RUC", "Correo"].map(String::from).into());
        let sources = std::slice::from_ref(&source);
        // Records of one line and of several (findings), the last of a sheet either way, a
        // full sheet and the next; with and without the Changes sheet (the records sheets'
        // places move).
        let ids = [
            ["0428813992", "0428813992001", "a@gmail.com"],
            ["0428813991", "0428813992001", "x"],
            ["", "17", "test@test.com"],
        ];
        for compare in [false, true] {
            for (n, per_sheet) in [(1, 3), (2, 3), (3, 3), (6, 3), (7, 3), (9, 4)] {
                let render = |library: bool| {
                    let mut w =
                        XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::Es, compare)
                            .unwrap();
                    w.records.per_sheet = per_sheet;
                    w.records.library_heights = library;
                    let mut summary = Summary::new(sources, false);
                    for i in 0..n {
                        let cells = Cells::from_iter(ids[(i * 7 + n) % 3]);
                        write(&mut w, &mut summary, &source, &cells, i as u64 + 2);
                    }
                    summary.finish(std::time::Duration::ZERO);
                    summary.written = summary.records;
                    parts(&Box::new(w).finish(&summary).unwrap().into_inner())
                };
                let (ours, library) = (render(false), render(true));
                assert_eq!(ours.len(), library.len());
                for ((name, a), (_, b)) in ours.iter().zip(&library) {
                    if a != b {
                        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                        let around =
                            |t: &str| t[at.saturating_sub(120)..(at + 120).min(t.len())].to_owned();
                        panic!(
                            "{n} records, {per_sheet} a sheet, {name}:\n ours: {}\n library: {}",
                            around(a),
                            around(b)
                        );
                    }
                }
            }
        }
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
        let mut summary = Summary::new(sources, false);
        write(&mut w, &mut summary, &source, &cells, 2);
        let bytes = Box::new(w).finish(&summary).unwrap();
        let mut book = Xlsx::new(bytes).unwrap();
        let records = book.worksheet_range("Records").unwrap();
        assert_eq!(records.width(), MAX_COLUMNS);
        assert_eq!(
            records.get_value((0, 2)),
            Some(&Data::String("Result".into()))
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

    #[test]
    fn the_plan_and_to_resolve_list_a_bounded_number_and_count_the_rest() {
        let rows: Vec<[&str; 3]> = (0..5)
            .map(|i| {
                [
                    "0428813992",
                    "0428813992001",
                    if i < 2 { "x@y.ec" } else { "" },
                ]
            })
            .chain((0..5).map(|_| ["0428813993", "0428813992001", "x@y.ec"]))
            .collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        let mut book = workbook(&["Cédula", "RUC", "Correo"], &rows, Lang::Es);
        let mut texts = |sheet: &str| -> Vec<String> {
            let range = book.worksheet_range(sheet).unwrap();
            range.rows().map(|r| r[0].to_string()).collect()
        };
        let plan = texts("Plan");
        let more = |n: usize| format!("… y {n} más: vea la hoja Registros");
        // Ready 2 of 2; in person 3 of 3 listed; invalid 3 of 5, then the count.
        assert!(
            plan.iter().any(|t| t.starts_with("2. Corregir antes (5)")),
            "{plan:?}"
        );
        assert!(plan.contains(&more(2)), "{plan:?}");
        let to_resolve = texts("Por resolver");
        assert_eq!(to_resolve.last(), Some(&more(5)), "{to_resolve:?}");
    }

    #[test]
    fn one_line_per_finding_with_its_fix_beside_it() {
        let mut book = workbook(
            &["Cédula", "RUC", "Correo", "Primera vez"],
            &[&["1850585108", "1630942389001", "no tiene", "sí"]],
            Lang::Es,
        );
        let records = book.worksheet_range("Registros").unwrap();
        let header: Vec<String> = records
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let at = |h: &str| {
            header
                .iter()
                .position(|x| x == h)
                .unwrap_or_else(|| panic!("{h}: {header:?}"))
        };
        for h in [
            "Cédula normalizada",
            "RUC normalizado",
            "Sucursal normalizada",
            "Archivo",
            "Fila",
        ] {
            at(h);
        }
        assert!(header.iter().all(|h| !h.contains('_')), "{header:?}");
        let row = records.rows().nth(1).unwrap();
        let findings = row[at("Hallazgos (código — mensaje)")].to_string();
        let fixes = row[at("Cómo corregir")].to_string();
        let findings: Vec<&str> = findings.lines().collect();
        let fixes: Vec<&str> = fixes.lines().collect();
        assert!(findings.len() >= 3, "{findings:?}");
        assert_eq!(findings.len(), fixes.len());
        for (f, x) in findings.iter().zip(&fixes) {
            let (code, message) = f.split_once(" — ").unwrap();
            let info = crate::finding::Code::from_name(code).unwrap().info();
            assert!(!message.is_empty());
            assert_eq!(*x, info.hint(Lang::Es), "{code}");
        }
    }
}
