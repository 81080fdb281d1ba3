//! Reports: JSON Lines (the stable contract), one JSON document, CSV for scripts and
//! spreadsheets, the workbook for people; the summary; the terminal table. A report is
//! written into any [`Write`] the caller gives (the workbook into a [`Write`] + [`Seek`]):
//! where the bytes go, a file renamed into place or a browser download, is the caller's.

pub(crate) mod csv;
pub(crate) mod json;
pub(crate) mod layout;
pub mod marked;
mod record;
pub mod summary;
pub(crate) mod xlsx;

use std::io::{self, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use crate::finding::Lang;
use crate::i18n::{Localized, Message, errors};
use crate::roster::Source;
pub use layout::is_report_header;
pub use record::{Before, Change, Gone, Record, Sink};
use summary::Summary;

/// A report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines (`.jsonl`, `.ndjson`): one object per record, the stable contract for
    /// scripts.
    Jsonl,
    /// One JSON document (`.json`): the records, then the summary.
    Json,
    /// CSV (`.csv`) for scripts and spreadsheets: the recognised fields, the verdict, the
    /// other roster columns.
    Csv,
    /// An Excel workbook (`.xlsx`) for people: a summary sheet and the records sheet.
    Xlsx,
}

impl Format {
    /// The format a path's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// How reports are written: the same for every output of a run.
#[derive(Clone, Copy, Debug)]
pub struct ReportOptions {
    /// The language of messages, labels and the workbook's sheets.
    pub lang: Lang,
    /// The run compares with a previous report: CSV and workbook reports get a change
    /// column.
    pub compare: bool,
    /// Between the fields of a CSV report.
    pub csv_delimiter: u8,
}

impl ReportOptions {
    /// `;` for a Spanish run (a Spanish Excel's list separator), `,` otherwise.
    pub fn default_delimiter(lang: Lang) -> u8 {
        match lang {
            Lang::En => b',',
            Lang::Es => b';',
        }
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Writing its bytes failed (a full disk, a closed pipe).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The workbook library refused the workbook.
    #[error("{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A workbook was asked of a destination that cannot seek (see [`create_text`]).
    #[error("a workbook needs a destination that can seek")]
    NotSeekable,
}

impl Localized for ReportError {
    fn message(&self) -> Message {
        match self {
            ReportError::Io(e) => crate::i18n::io_reason(e),
            ReportError::Workbook(e) => errors::IO_OTHER.with("system", e),
            ReportError::NotSeekable => errors::WORKBOOK_TO_TERMINAL.msg(),
        }
    }
}

/// A report being written into `W`: records stream in, then the summary closes it.
pub trait ReportWriter<W>: Sink {
    /// Writes the end of the report, flushes it and gives its destination back.
    fn finish(self: Box<Self>, summary: &Summary) -> Result<W, ReportError>;
}

/// How a text report renders one record: its text, appended to `out`.
pub(crate) trait RenderRecord: Send {
    fn render(&self, record: &Record, out: &mut Vec<u8>);
}

/// A text report of one record after the other (JSON Lines, CSV): each record's text built
/// in a reused buffer, then written.
pub(crate) struct TextWriter<W, R> {
    out: W,
    render: R,
    text: Vec<u8>,
}

impl<W, R> TextWriter<W, R> {
    /// The writer into `out`, its head (a CSV header) already written.
    pub(crate) fn new(out: W, render: R) -> TextWriter<W, R> {
        TextWriter {
            out,
            render,
            text: Vec::new(),
        }
    }
}

impl<W: Write + Send, R: RenderRecord> Sink for TextWriter<W, R> {
    fn record(&mut self, record: &Record) -> Result<(), ReportError> {
        self.text.clear();
        self.render.render(record, &mut self.text);
        Ok(self.out.write_all(&self.text)?)
    }
}

impl<W: Write + Send, R: RenderRecord> ReportWriter<W> for TextWriter<W, R> {
    fn finish(mut self: Box<Self>, _summary: &Summary) -> Result<W, ReportError> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Creates the writer for `format` into `out`: every format, the workbook included.
pub fn create<W: Write + Seek + Send + 'static>(
    format: Format,
    out: W,
    sources: &[Arc<Source>],
    opts: ReportOptions,
) -> Result<Box<dyn ReportWriter<W>>, ReportError> {
    match format {
        Format::Xlsx => Ok(Box::new(xlsx::XlsxWriter::new(
            out,
            sources,
            opts.lang,
            opts.compare,
        )?)),
        _ => create_text(format, out, sources, opts),
    }
}

/// Creates the writer for a text `format` (JSON Lines, JSON, CSV) into `out`, which need
/// not seek (standard output, a pipe); the workbook is [`ReportError::NotSeekable`].
pub fn create_text<W: Write + Send + 'static>(
    format: Format,
    out: W,
    sources: &[Arc<Source>],
    opts: ReportOptions,
) -> Result<Box<dyn ReportWriter<W>>, ReportError> {
    let ReportOptions {
        lang,
        compare,
        csv_delimiter,
    } = opts;
    Ok(match format {
        Format::Jsonl => Box::new(TextWriter::new(
            out,
            json::JsonRender::new(sources, lang, true),
        )),
        Format::Json => Box::new(json::JsonWriter::new(out, sources, lang)?),
        Format::Csv => Box::new(csv::writer(out, sources, lang, compare, csv_delimiter)?),
        Format::Xlsx => return Err(ReportError::NotSeekable),
    })
}
