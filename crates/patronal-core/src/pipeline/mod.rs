//! Checking rows: [`check_row`] runs every record rule on one row; a run is the whole job,
//! rows read in ordered chunks, checked, then in input order through the batch checks
//! (duplicates, shared e-mails) to the report. [`run_sequential`] does it on the calling
//! thread (the browser: no threads), one chunk after the other (`sequential.rs`, the plain
//! version to read first); `run` (feature `parallel`) checks chunks in parallel
//! (`run.rs`). Both take each chunk through the same stages (`chunk.rs`), so
//! their reports are the same.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::catastro::Catastro;
use crate::compare::Previous;
use crate::finding::Field;
use crate::finding::Finding;
use crate::report::{ReportError, Sink};
use crate::roster::{Cells, Source};
use crate::rules::{Checked, Fields, check_record_in};

mod chunk;
#[cfg(feature = "parallel")]
mod run;
mod sequential;
#[cfg(feature = "parallel")]
pub use run::run;
pub use sequential::run_sequential;

/// Settings of a run.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
    /// Hand only flagged records (invalid or in person) to the sink.
    pub only_flagged: bool,
    /// Set (by a Ctrl-C handler) to stop the run: it then ends with [`RunError::Interrupted`].
    pub cancel: Option<Arc<AtomicBool>>,
    /// The SRI catastro to look each RUC up in, on the worker threads.
    pub catastro: Option<Arc<Catastro>>,
    /// The previous run's report, to give each record its change.
    pub previous: Option<Arc<Previous>>,
}

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A roster could not be read on.
    #[error(transparent)]
    Roster(#[from] crate::roster::RosterError),
    /// A sink (a report) could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The run was stopped through [`RunOptions::cancel`]: nothing it wrote should be kept.
    #[error("interrupted")]
    Interrupted,
    /// The worker threads could not be started.
    #[error("{0}")]
    Threads(String),
}

impl crate::i18n::Localized for RunError {
    fn message(&self) -> crate::i18n::Message {
        match self {
            RunError::Roster(e) => e.message(),
            RunError::Report(e) => e.message(),
            RunError::Interrupted => crate::i18n::errors::INTERRUPTED.msg(),
            RunError::Threads(e) => crate::i18n::errors::IO_OTHER.with("system", e),
        }
    }
}

/// Each table read through [`crate::roster::footer::Footers`]: the rows below its last
/// employer that read as a total, a signature, a date or a note are skipped and counted,
/// not checked as employers.
fn skip_footers(
    readers: Vec<Box<dyn crate::roster::RowReader>>,
) -> Vec<Box<dyn crate::roster::RowReader>> {
    readers
        .into_iter()
        .map(|r| {
            Box::new(crate::roster::footer::Footers::new(r)) as Box<dyn crate::roster::RowReader>
        })
        .collect()
}

/// Every per-record rule on one roster row.
pub fn check_row(source: &Source, cells: &Cells) -> Checked {
    let mut checked = check_cells(source, Vec::new(), None, |i| {
        cells.get(i).map(|b| source.decoder.decode(b))
    });
    check_shape(source, cells, &mut checked);
    checked
}

/// The record rules on cells given by `cell(i)` (`None`: no such cell), with the findings
/// in `findings` (see [`check_record_in`]).
pub(crate) fn check_cells<'a>(
    source: &Source,
    findings: Vec<Finding>,
    registry: Option<crate::ecuador::Taxpayer>,
    cell: impl Fn(usize) -> Option<Cow<'a, str>>,
) -> Checked {
    let get = |c: Field| -> Option<Cow<'a, str>> {
        let i = source.map.get(c)?;
        Some(cell(i).unwrap_or_default())
    };
    let (id, ruc) = (get(Field::Id), get(Field::Ruc));
    let (sucursal, email) = (get(Field::Sucursal), get(Field::Email));
    let (ruc_status, first_time) = (get(Field::RucStatus), get(Field::FirstTime));
    let (has_key, employer_type) = (get(Field::HasKey), get(Field::EmployerType));
    let id_type = get(Field::IdType);
    let fields = Fields {
        id: id.as_deref().unwrap_or_default(),
        ruc: ruc.as_deref().unwrap_or_default(),
        sucursal: sucursal.as_deref(),
        email: email.as_deref(),
        ruc_status: ruc_status.as_deref(),
        first_time: first_time.as_deref(),
        has_key: has_key.as_deref(),
        employer_type: employer_type.as_deref(),
        id_type: id_type.as_deref(),
        registry,
    };
    check_record_in(&fields, findings)
}

/// The row's shape against its header (the rules' `check_shape`).
pub fn check_shape(source: &Source, cells: &Cells, checked: &mut Checked) {
    crate::rules::check_shape(source.headers.len(), cells.iter(), checked);
}
