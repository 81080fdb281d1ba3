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

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

use super::layout::{Layout, extra_label, field_heading, verdict_labels};
use super::summary::Summary;
use super::{ReportError, ReportWriter};
use crate::finding::Lang;
use crate::finding::Verdict;
use crate::roster::Source;

fn fill(status: Verdict) -> Format {
    let color = match status {
        Verdict::Ready => 0xC6EFCE,
        Verdict::Invalid => 0xFFC7CE,
        Verdict::InPerson => 0xFFEB9C,
    };
    Format::new().set_background_color(Color::RGB(color))
}

/// The page footer: "Page 3 of 45".
fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "&L&A&RPage &P of &N",
        Lang::Es => "&L&A&RPágina &P de &N",
    }
}

#[cfg(not(target_family = "wasm"))]
mod heights;
mod records;
mod summary;

use records::{add_records_sheet, records_sheet, sheet_names, width_of};
use summary::write_summary;

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

pub(crate) struct XlsxWriter<W> {
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
    /// The heights of the records sheets' rows, written in when the workbook is saved.
    #[cfg(not(target_family = "wasm"))]
    heights: heights::Heights,
    /// The library keeps the heights, as it did (for the test that the output is the same).
    #[cfg(test)]
    library_heights: bool,
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

impl<W: Write + Seek + Send> XlsxWriter<W> {
    pub(crate) fn new(
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
            #[cfg(not(target_family = "wasm"))]
            heights: heights::Heights::default(),
            #[cfg(test)]
            library_heights: false,
        })
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
        #[cfg(not(target_family = "wasm"))]
        let saved = if self.heights.is_empty() {
            self.book
                .save_to_writer(&mut out)
                .map_err(ReportError::from)
        } else {
            save_with_heights(&mut self.book, &self.heights, &mut out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::check_row;
    use crate::report::{Record, Sink};
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
        // full sheet and the next.
        let ids = [
            ["0428813992", "0428813992001", "a@gmail.com"],
            ["0428813991", "0428813992001", "x"],
            ["", "17", "test@test.com"],
        ];
        for (n, per_sheet) in [(1, 3), (2, 3), (3, 3), (6, 3), (7, 3), (9, 4)] {
            let render = |library: bool| {
                let mut w =
                    XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::Es, false).unwrap();
                w.records_per_sheet = per_sheet;
                w.library_heights = library;
                let mut summary = Summary::new(sources, false);
                for i in 0..n {
                    let cells = Cells::from_iter(ids[(i * 7 + n) % 3]);
                    write(&mut w, &mut summary, &source, &cells, i as u64 + 2);
                }
                summary.finish(std::time::Duration::ZERO);
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
