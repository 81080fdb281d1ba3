//! The marked copy of a roster (`patronal check --marked DIR`, the page's "Nómina
//! marcada"): the roster given back where it was, every cell at its address, with each
//! finding on the cell it is about (a fill by severity and a note with the message and the
//! fix) and four verdict columns after its last column (result, reasons, how to fix,
//! suggested value), a frozen pane and a filter on its header row.
//!
//! An `.xlsx` or `.xlsm` roster is edited in place as a stream (`xlsx_edit.rs`): the
//! client's workbook, its styles, widths, merged cells, other sheets and formulas kept.
//! Any other roster (CSV, `.xls`, `.xlsb`, `.ods`) becomes a values-only `.xlsx`
//! (`values.rs`). What a record gets is decided once, in `marks.rs`; docs/reports.md says
//! what is kept and what is not.
//!
//! The run hands its records to [`Marks`] (a [`Sink`](super::Sink)); once the run is over,
//! each roster's copy is written from its original and its marks.

mod marks;
mod notes;
mod sheet;
mod styles;
mod values;
mod xlsx_edit;

use std::ffi::OsString;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use marks::Marks;

use super::ReportError;
use crate::finding::Lang;
use crate::i18n::{Localized, Message, errors};
use crate::roster::{Content, ReadOptions, RosterError};

/// Where a roster's bytes are, to read it again for its copy.
#[derive(Clone, Debug)]
pub enum Original {
    /// The roster's file.
    File(PathBuf),
    /// The roster's bytes (a file dropped on the page).
    Bytes(Arc<Vec<u8>>),
}

impl Original {
    fn content(&self) -> Content {
        match self {
            Original::File(p) => Content::File(p.clone()),
            Original::Bytes(b) => Content::Bytes(Arc::clone(b)),
        }
    }
}

/// Whether the copy of `roster` is its own workbook edited in place (`.xlsx`, `.xlsm`),
/// rather than a values-only `.xlsx`.
pub fn edits_in_place(roster: &Path) -> bool {
    let ext = roster
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("xlsx" | "xlsm"))
}

/// The copy's file name: the roster's, with `.xlsx` unless the roster is an `.xlsx` or
/// `.xlsm` (`clientes.csv` → `clientes.xlsx`, `nomina.xlsm` → `nomina.xlsm`).
pub fn copy_file_name(roster: &Path) -> OsString {
    let stem = roster
        .file_stem()
        .map_or_else(|| OsString::from("nomina"), |s| s.to_owned());
    let mut name = stem;
    if edits_in_place(roster) {
        name.push(".");
        name.push(roster.extension().unwrap_or_default());
    } else {
        name.push(".xlsx");
    }
    name
}

/// Why a marked copy could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MarkedError {
    /// Writing the copy failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The roster could not be read again.
    #[error(transparent)]
    Roster(#[from] RosterError),
    /// The workbook could not be edited in place: its copy is to hold the values only.
    #[error("{0}")]
    Edit(String),
}

impl Localized for MarkedError {
    fn message(&self) -> Message {
        match self {
            MarkedError::Report(e) => e.message(),
            MarkedError::Roster(e) => e.message(),
            MarkedError::Edit(detail) => errors::IO_OTHER.with("system", detail),
        }
    }
}

/// Writes the copy of the `.xlsx` or `.xlsm` roster `roster` (its bytes in `original`)
/// with its marks, edited in place, into `out`. [`MarkedError::Edit`] when the workbook
/// cannot be edited so: write [`write_values_only`] into a fresh destination instead.
pub fn write_in_place<R: std::io::Read + Seek, W: Write + Seek>(
    marks: &Marks,
    roster: &Path,
    original: R,
    lang: Lang,
    out: W,
) -> Result<W, MarkedError> {
    let tables = marks.tables_of(roster);
    // A damaged part may make a parser panic: that is a workbook that cannot be edited.
    let edited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        xlsx_edit::edit(original, &tables, lang, out)
    }));
    match edited {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(MarkedError::Edit(e.0)),
        Err(_) => Err(MarkedError::Edit(
            "the workbook's parts could not be read".into(),
        )),
    }
}

/// Writes the values-only copy of `roster` (read again from `original` with `opts`, as the
/// run read it) with its marks into `out`: its cells as text into a workbook in memory
/// (compressed: about 50 bytes a record), then marked by the same stream edit as an
/// `.xlsx` roster's.
pub fn write_values_only<W: Write + Seek>(
    marks: &Marks,
    roster: &Path,
    original: &Original,
    opts: &ReadOptions,
    lang: Lang,
    out: W,
) -> Result<W, MarkedError> {
    let tables = marks.tables_of(roster);
    let format = match crate::roster::excel::Kind::of(roster) {
        Some(crate::roster::excel::Kind::Xls) => ".xls",
        Some(crate::roster::excel::Kind::Xlsb) => ".xlsb",
        Some(crate::roster::excel::Kind::Ods) => ".ods",
        _ => "CSV",
    };
    let name = roster.file_name().map_or_else(
        || roster.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let note = crate::i18n::marked::MARKED_VALUES_ONLY
        .with("name", &name)
        .with("format", format)
        .render(lang);
    let plain = std::io::Cursor::new(Vec::new());
    let plain = values::write(roster, &original.content(), &tables, opts, &note, plain).map_err(
        |e| match e {
            values::ValuesError::Roster(e) => MarkedError::Roster(e),
            values::ValuesError::Workbook(e) => MarkedError::Report(ReportError::Workbook(e)),
        },
    )?;
    let mut plain = plain;
    plain.set_position(0);
    xlsx_edit::edit_with(plain, &tables, Some(&note), lang, out)
        .map_err(|e| MarkedError::Report(ReportError::Io(std::io::Error::other(e.0))))
}

/// Writes the marked copy of `roster` into a fresh `Vec`: edited in place when it can be,
/// else values only (the browser's path; the CLI writes files the same way).
pub fn copy_bytes(
    marks: &Marks,
    roster: &Path,
    original: &Original,
    opts: &ReadOptions,
    lang: Lang,
) -> Result<Vec<u8>, MarkedError> {
    if edits_in_place(roster) {
        let input = original
            .content()
            .open()
            .map_err(|e| RosterError::io(roster, e))?;
        let out = std::io::Cursor::new(Vec::new());
        match write_in_place(marks, roster, input, lang, out) {
            Ok(out) => return Ok(out.into_inner()),
            Err(MarkedError::Edit(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let out = std::io::Cursor::new(Vec::new());
    Ok(write_values_only(marks, roster, original, opts, lang, out)?.into_inner())
}

/// The copies' names in a folder: each roster's [`copy_file_name`], a name taken already
/// numbered (`clientes (2).xlsx`), as `patronal check --marked` names them.
pub fn copy_names(rosters: &[&Path]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for roster in rosters {
        let name = copy_file_name(roster).to_string_lossy().into_owned();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "xlsx"));
        let mut candidate = name.clone();
        let mut n = 2;
        while names
            .iter()
            .any(|t| t.to_lowercase() == candidate.to_lowercase())
        {
            candidate = format!("{stem} ({n}).{ext}");
            n += 1;
        }
        names.push(candidate);
    }
    names
}

/// Several copies in one zip (the page's download for several rosters), stored as they are:
/// a workbook is compressed already.
pub fn zip_copies(copies: &[(String, Vec<u8>)]) -> Result<Vec<u8>, MarkedError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let io = |e: zip::result::ZipError| MarkedError::Report(ReportError::Io(e.into()));
    for (name, bytes) in copies {
        zip.start_file(name.as_str(), options).map_err(io)?;
        zip.write_all(bytes)
            .map_err(|e| MarkedError::Report(ReportError::Io(e)))?;
    }
    Ok(zip.finish().map_err(io)?.into_inner())
}
