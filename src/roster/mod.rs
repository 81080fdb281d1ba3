//! Reading rosters: finding the header row, matching columns, and yielding rows as byte
//! records with the row number a person would look for.

pub mod cells;
pub mod csv;
pub mod excel;
mod expand;
pub mod headers;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cells::Cells;
pub use headers::{Column, ColumnMap, MapOverride};

/// Options for opening rosters.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// `--delimiter`: otherwise sniffed among `,` `;` tab `|`.
    pub delimiter: Option<u8>,
    /// `--encoding`: otherwise detected.
    pub encoding: Option<Encoding>,
    /// `--map field=Header` overrides.
    pub overrides: Vec<MapOverride>,
    /// `--sheet NAME`: only these sheets of a workbook; otherwise every sheet with a header.
    pub sheets: Vec<String>,
}

/// A text encoding of a CSV roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" | "ansi" => {
                Ok(Encoding::Windows1252)
            }
            "utf-16" | "utf-16le" | "utf16" | "utf16le" => Ok(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Ok(Encoding::Utf16Be),
            _ => Err(format!(
                "unknown encoding {s:?}; use utf-8, windows-1252, utf-16le or utf-16be"
            )),
        }
    }
}

/// How a source's cell bytes become text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    /// UTF-8; a cell that is not valid UTF-8 is read as Windows-1252, which never fails and
    /// keeps accents (a file that is UTF-8 in its first part may not be in the rest).
    Utf8,
    Windows1252,
}

impl Decoder {
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Cow<'a, str> {
        match self {
            Decoder::Utf8 => match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => windows_1252(bytes),
            },
            Decoder::Windows1252 => windows_1252(bytes),
        }
    }
}

fn windows_1252(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is the same in both: no copy.
        Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default())
    } else {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
    }
}

/// One table of a roster: a CSV file, or one sheet of a workbook.
#[derive(Debug)]
pub struct Source {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// The sheet name, for workbooks.
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub map: ColumnMap,
    pub decoder: Decoder,
    /// What was detected or chosen, for the summary: `utf-8, ';'`.
    pub dialect: String,
}

impl Source {
    /// The name reports use: the path as given.
    pub fn name(&self) -> Cow<'_, str> {
        self.path.to_string_lossy()
    }
}

/// A roster that yields its data rows, skipping (and counting) fully blank ones.
pub trait RowReader: Send {
    fn source(&self) -> &Arc<Source>;

    /// Reads the next non-blank row into `record`; returns its row number, or `None` at the
    /// end.
    fn read(&mut self, record: &mut Cells) -> Result<Option<u64>, RosterError>;

    /// Fully blank rows skipped so far.
    fn blank_rows(&self) -> u64;

    /// For the row just read: `Some((first, last))` when an unclosed quote on line `first`
    /// would have merged it with the lines up to `last` (the lines were read one by one).
    fn malformed(&mut self) -> Option<(u64, u64)> {
        None
    }

    /// About how many records the roster holds, when that is cheap to tell (a file's size),
    /// so that the run can size its tables once rather than grow them.
    fn records_hint(&self) -> Option<u64> {
        None
    }
}

/// Why a roster cannot be read. Displayed as one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: is a directory, not a roster file")]
    Directory { path: String },
    #[error("{path}: {reason}")]
    Unusable { path: String, reason: String },
    #[error(
        "{path}: no column for {missing} (required); headers found: {found}. Use --map {first}=HEADER"
    )]
    MissingColumns {
        path: String,
        missing: String,
        first: String,
        found: String,
    },
}

impl RosterError {
    pub fn io(path: &Path, source: std::io::Error) -> RosterError {
        RosterError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub fn unusable(path: &Path, reason: impl Into<String>) -> RosterError {
        RosterError::Unusable {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }

    pub fn missing_columns(path: &Path, missing: &[Column], headers: &[String]) -> RosterError {
        let names: Vec<_> = missing.iter().map(|c| c.as_str()).collect();
        let found: Vec<String> = headers
            .iter()
            .filter(|h| !h.trim().is_empty())
            .map(|h| format!("{:?}", crate::text::sanitize(h.trim())))
            .collect();
        RosterError::MissingColumns {
            path: path.display().to_string(),
            missing: names.join(" and "),
            first: names.first().copied().unwrap_or("id").to_owned(),
            found: if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            },
        }
    }
}

/// Opens a roster by its extension: every readable table in it, each with its header found.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    let meta = std::fs::metadata(path).map_err(|e| RosterError::io(path, e))?;
    if meta.is_dir() {
        return Err(RosterError::Directory {
            path: path.display().to_string(),
        });
    }
    if let Some(kind) = excel::Kind::of(path) {
        return excel::open(path, kind, opts);
    }
    Ok(vec![Box::new(csv::CsvRoster::open(path, opts)?)])
}
