//! Reading rosters: finding the header row, matching columns, and yielding rows as byte
//! records with the row number a person would look for.

pub(crate) mod cells;
pub(crate) mod content;
pub mod csv;
mod dialect;
mod encoding;
pub mod excel;
pub(crate) mod expand;
pub(crate) mod headers;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::i18n::{Localized, Message, errors};

pub use cells::Cells;
pub(crate) use content::Content;
pub(crate) use csv::MAX_QUOTED_LINES;
pub use headers::{ColumnMap, MapOverride};

use crate::finding::Field;

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
    /// UTF-8, with or without a BOM.
    Utf8,
    /// Windows-1252 (also given as `cp1252`, `latin1` or `ansi`).
    Windows1252,
    /// UTF-16, little-endian (also given as `utf-16`).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// Its name as `--encoding` takes it and the summary shows it (`windows-1252`).
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
    type Err = Message;

    fn from_str(s: &str) -> Result<Self, Message> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" | "ansi" => {
                Ok(Encoding::Windows1252)
            }
            "utf-16" | "utf-16le" | "utf16" | "utf16le" => Ok(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Ok(Encoding::Utf16Be),
            _ => Err(errors::ENCODING_UNKNOWN.with("value", format!("{s:?}"))),
        }
    }
}

/// How a source's cell bytes become text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    /// UTF-8; a cell that is not valid UTF-8 is read as Windows-1252, which never fails and
    /// keeps accents (a file that is UTF-8 in its first part may not be in the rest).
    Utf8,
    /// Windows-1252, which never fails: every byte is a character.
    Windows1252,
}

impl Decoder {
    /// A cell's text, borrowed when no conversion is needed.
    pub(crate) fn decode<'a>(self, bytes: &'a [u8]) -> Cow<'a, str> {
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
    /// The header row's cells, as text.
    pub headers: Vec<String>,
    /// Which cell holds each canonical field.
    pub map: ColumnMap,
    /// How the cells' bytes become text.
    pub decoder: Decoder,
    /// What was detected or chosen, for the summary: `utf-8, ';'`.
    pub dialect: String,
    /// The header row, as reports number rows (a CSV file's line, a sheet's row); 0 when
    /// not known. The marked copy puts its verdict headings, filter and frozen pane there.
    pub header_row: u64,
}

impl Source {
    /// The name reports use: the path as given.
    pub(crate) fn name(&self) -> Cow<'_, str> {
        self.path.to_string_lossy()
    }

    /// The table as reports name it: the path as given, and the sheet of a workbook
    /// (`book.xlsx[Hoja2]`).
    pub(crate) fn label(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}[{sheet}]", self.name()),
            None => self.name().into_owned(),
        }
    }

    /// Where row `row` of this table is, as reports say it: `book.xlsx[Hoja2]:12`.
    pub fn place(&self, row: u64) -> String {
        format!("{}:{row}", self.label())
    }

    /// A UTF-8 CSV roster `r.csv` with these headers, matched as the reader matches them:
    /// for the unit tests of what consumes sources.
    #[cfg(test)]
    pub(crate) fn with_headers<S: Into<String>>(
        headers: impl IntoIterator<Item = S>,
    ) -> Arc<Source> {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        Arc::new(Source {
            path: "r.csv".into(),
            sheet: None,
            map: headers::match_headers(&headers, &[]),
            headers,
            decoder: Decoder::Utf8,
            dialect: String::new(),
            header_row: 1,
        })
    }
}

/// A roster that yields its data rows, skipping (and counting) fully blank ones.
pub trait RowReader: Send {
    /// The table being read, with its header and column map.
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

    /// How far the reader has gone and where the roster ends, in one unit (bytes of a CSV
    /// file, rows of a sheet), when that is known: for the progress bar.
    fn progress(&self) -> Option<(u64, u64)> {
        None
    }
}

/// Why a roster cannot be read. Displayed as one line naming the file; [`Localized`] gives
/// it in the user's language.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The file could not be opened or read.
    #[error("{}", self.message())]
    Io {
        /// The roster, as the user gave it.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The path is a directory, not a roster.
    #[error("{}", self.message())]
    Directory {
        /// The directory, as the user gave it.
        path: String,
    },
    /// The file is not a roster that can be read: not text, no header row, a damaged or
    /// too large workbook, a `--sheet` it does not have.
    #[error("{}", self.message())]
    Unusable {
        /// The roster, as the user gave it.
        path: String,
        /// Why, in either language.
        reason: Message,
    },
    /// No header matched a required field (`id`, `ruc`).
    #[error("{}", self.message())]
    MissingColumns {
        /// The roster, as the user gave it.
        path: String,
        /// The required fields not found.
        missing: Vec<Field>,
        /// The non-blank headers of the row taken for the header, quoted, for the message.
        found: Vec<String>,
    },
}

impl Localized for RosterError {
    fn message(&self) -> Message {
        match self {
            RosterError::Io { path, source } => errors::CANNOT_READ_BECAUSE
                .with("path", path)
                .with_io(source),
            RosterError::Directory { path } => errors::ROSTER_DIRECTORY.with("path", path),
            RosterError::Unusable { path, reason } => errors::ROSTER_REASON
                .with("path", path)
                .with_msg("reason", reason.clone()),
            RosterError::MissingColumns {
                path,
                missing,
                found,
            } => {
                let mut names = missing.iter().map(|c| c.as_str());
                let first = names.next().unwrap_or("id");
                let list = match names.next() {
                    Some(second) => errors::TWO.with("a", first).with("b", second),
                    None => errors::ONE.with("a", first),
                };
                errors::ROSTER_MISSING_COLUMNS
                    .with("path", path)
                    .with_msg("missing", list)
                    .with("first", first)
                    .with_msg(
                        "found",
                        if found.is_empty() {
                            errors::NONE.msg()
                        } else {
                            errors::ONE.with("a", found.join(", "))
                        },
                    )
            }
        }
    }
}

impl RosterError {
    /// [`RosterError::Io`] on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> RosterError {
        RosterError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// [`RosterError::Unusable`] on `path`, for `reason`.
    pub(crate) fn unusable(path: &Path, reason: Message) -> RosterError {
        RosterError::Unusable {
            path: path.display().to_string(),
            reason,
        }
    }

    /// [`RosterError::MissingColumns`] on `path`, listing the non-blank `headers`.
    pub(crate) fn missing_columns(
        path: &Path,
        missing: &[Field],
        headers: &[String],
    ) -> RosterError {
        RosterError::MissingColumns {
            path: path.display().to_string(),
            missing: missing.to_vec(),
            found: headers
                .iter()
                .filter(|h| !h.trim().is_empty())
                .map(|h| format!("{:?}", crate::text::sanitize(h.trim())))
                .collect(),
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
    open_content(path, Content::File(path.to_owned()), opts)
}

/// Opens a roster held in memory (a file dropped on the browser's page): `name` (the file's
/// name) chooses the format by its extension, as [`open`] does, and names it in reports
/// and messages.
pub fn open_bytes(
    name: &Path,
    bytes: impl Into<Arc<Vec<u8>>>,
    opts: &ReadOptions,
) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    open_content(name, Content::Bytes(bytes.into()), opts)
}

fn open_content(
    path: &Path,
    content: Content,
    opts: &ReadOptions,
) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    if let Some(kind) = excel::Kind::of(path) {
        return excel::open(path, &content, kind, opts);
    }
    Ok(vec![Box::new(csv::CsvRoster::open(path, &content, opts)?)])
}
