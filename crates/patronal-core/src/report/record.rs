//! A checked record as the reports receive it ([`Record`], with its [`Change`] since the
//! previous run), where records go ([`Sink`]), and a record of the previous run's report
//! ([`Before`]).

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};

use super::ReportError;
use crate::finding::{Field, Lang, Verdict};
use crate::roster::{Cells, Source};
use crate::rules::Checked;

/// One record as the sink receives it, after every check.
pub struct Record<'a> {
    /// The table it was read from.
    pub source: &'a Source,
    /// The source's place among the run's sources.
    pub source_index: usize,
    /// The row a person finds it at.
    pub row: u64,
    /// Its cells, as read.
    pub cells: &'a Cells,
    /// What the rules found.
    pub checked: &'a Checked,
    /// Its verdict, from the findings.
    pub status: Verdict,
    /// How it changed since the previous run (`--compare`).
    pub change: Option<Change>,
    /// Every cell is valid UTF-8: cells are text as they are, whatever the source's
    /// decoder (known from the check stage's one validation of the record).
    pub utf8: bool,
}

impl Record<'_> {
    /// The text of a roster cell, decoded; `None` if the roster has no such column.
    pub fn cell(&self, column: Field) -> Option<Cow<'_, str>> {
        let i = self.source.map.get(column)?;
        Some(
            self.source
                .decoder
                .decode(self.cells.get(i).unwrap_or_default()),
        )
    }
}

/// Where records go: a report writer, the terminal table, or several.
pub trait Sink: Send {
    /// Takes the next record, in input order.
    fn record(&mut self, record: &Record) -> Result<(), ReportError>;
}

impl<S: Sink + ?Sized> Sink for Box<S> {
    fn record(&mut self, record: &Record) -> Result<(), ReportError> {
        (**self).record(record)
    }
}

/// How a record changed since the previous run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not in the previous report.
    New,
    /// In the previous report with the same status.
    Same,
    /// Ready → flagged, or invalid ↔ in person.
    Worse,
    /// Flagged → ready.
    Better,
}

impl Change {
    /// The word reports use (`change`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Same => "same",
            Change::Worse => "worse",
            Change::Better => "better",
        }
    }

    /// The word reports for people (CSV, workbook) show.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Change::New, Lang::En) => "new",
            (Change::Same, Lang::En) => "same",
            (Change::Worse, Lang::En) => "worse",
            (Change::Better, Lang::En) => "better",
            (Change::New, Lang::Es) => "nuevo",
            (Change::Same, Lang::Es) => "igual",
            (Change::Worse, Lang::Es) => "peor",
            (Change::Better, Lang::Es) => "mejor",
        }
    }

    /// The name of the column that holds it.
    pub fn column(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "change",
            Lang::Es => "cambio",
        }
    }

    /// The change from a record's verdict `before` to its verdict `now`.
    pub fn of(before: Verdict, now: Verdict) -> Change {
        match (before, now) {
            (b, n) if b == n => Change::Same,
            (_, Verdict::Ready) => Change::Better,
            _ => Change::Worse,
        }
    }
}

/// A record of the previous report, as much as the comparison needs.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Before {
    #[serde(default)]
    /// The roster as given.
    pub source: String,
    #[serde(default)]
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    #[serde(default)]
    /// The row a person finds the record at.
    pub row: u64,
    /// `ready`, `invalid` or `in_person`.
    pub status: String,
    #[serde(default)]
    /// The RUC as the report wrote it (normalised when it could be).
    pub ruc: String,
    #[serde(default)]
    /// The sucursal as the report wrote it.
    pub sucursal: String,
    /// The normalised identification, to tell a RUC corrected in place.
    #[serde(default, skip_serializing)]
    pub id: String,
    /// The employer's name, when the report has it (CSV and workbook reports).
    #[serde(default, skip_serializing)]
    pub name: Option<String>,
}

/// A record of the previous report that no record of this run matched, as the summary
/// lists it: what a report writes of a [`Before`], in the same order. Its table's name is
/// shared with the other records of its table (a name of 100 KB repeated over thousands of
/// records is held once).
#[derive(Clone, Debug, Serialize)]
pub struct Gone {
    /// The roster as given.
    #[serde(serialize_with = "shared_text")]
    pub source: Arc<str>,
    /// The sheet, for a workbook.
    #[serde(serialize_with = "optional_shared_text")]
    pub sheet: Option<Arc<str>>,
    /// The row a person finds the record at.
    pub row: u64,
    /// `ready`, `invalid` or `in_person`.
    pub status: &'static str,
    /// The RUC as the report wrote it.
    pub ruc: String,
    /// The sucursal as the report wrote it.
    pub sucursal: String,
}

fn shared_text<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(text)
}

fn optional_shared_text<S: Serializer>(text: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(text) => s.serialize_some(&**text),
        None => s.serialize_none(),
    }
}
