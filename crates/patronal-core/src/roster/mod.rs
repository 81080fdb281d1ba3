//! Reading rosters: finding the header row, matching columns, and yielding rows as byte
//! records with the row number a person would look for.

pub(crate) mod cells;
pub(crate) mod content;
pub mod csv;
mod dialect;
mod encoding;
pub mod excel;
pub(crate) mod expand;
pub(crate) mod footer;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod headers;
mod html;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::i18n::{Localized, Message, errors};

pub use cells::Cells;
pub(crate) use content::Content;
pub(crate) use csv::MAX_QUOTED_LINES;
pub use footer::FooterRows;
pub use headers::{ColumnMap, Found, MapOverride, match_headers};

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
    /// UTF-32, little-endian: detected by its BOM (never asked for with `--encoding`).
    Utf32Le,
    /// UTF-32, big-endian: detected by its BOM.
    Utf32Be,
}

impl Encoding {
    /// Its name as `--encoding` takes it and the summary shows it (`windows-1252`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf32Le => "utf-32le",
            Encoding::Utf32Be => "utf-32be",
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
    /// Windows-1252, which never fails: every byte is a character. A cell that is valid
    /// UTF-8 with accents (pasted from a UTF-8 file into one judged Windows-1252) is read as
    /// UTF-8: Windows-1252 text with accents is almost never valid UTF-8 (`é` is one byte
    /// 0xE9, which UTF-8 never has before an ASCII letter), so each cell is decoded on its
    /// own, in both directions.
    Windows1252,
}

impl Decoder {
    /// A cell's text, borrowed when no conversion is needed.
    pub(crate) fn decode<'a>(self, bytes: &'a [u8]) -> Cow<'a, str> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => windows_1252(bytes),
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
    pub fn label(&self) -> String {
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

    /// Rows that repeat the header row (a header pasted again mid-file, two exports joined
    /// one after the other), skipped so far: how many, and the first one's row number.
    fn repeated_headers(&self) -> Option<(u64, u64)> {
        None
    }

    /// For the row just read: `Some((first, last))` when an unclosed quote on line `first`
    /// would have merged it with the lines up to `last` (the lines were read one by one).
    fn malformed(&mut self) -> Option<(u64, u64)> {
        None
    }

    /// The footer rows skipped below the last employer (totals, signatures, notes), once
    /// the table is read; `None` for a reader that does not look for them.
    fn footers(&self) -> Option<&FooterRows> {
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

/// Whether `record` is the header row again: cell for cell the header's text (trimmed;
/// empty cells past the end aside). A record whose first cell differs costs one comparison.
pub(crate) fn repeats_header(source: &Source, record: &Cells) -> bool {
    let mut any = false;
    for i in 0..record.len().max(source.headers.len()) {
        let header = source.headers.get(i).map_or("", |h| h.trim());
        let cell = source.decoder.decode(record.get(i).unwrap_or_default());
        if header != cell.trim() {
            return false;
        }
        any |= !header.is_empty();
    }
    any
}

/// The rows that repeat the header, as a reader counts them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Repeats {
    count: u64,
    first: u64,
}

impl Repeats {
    pub(crate) fn add(&mut self, row: u64) {
        if self.count == 0 {
            self.first = row;
        }
        self.count += 1;
    }

    pub(crate) fn get(&self) -> Option<(u64, u64)> {
        (self.count > 0).then_some((self.count, self.first))
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
    /// No column was found for a required field (`id`, `ruc`).
    #[error("{}", self.message())]
    MissingColumns {
        /// The roster, as the user gave it.
        path: String,
        /// The required fields not found.
        missing: Vec<Field>,
        /// The non-blank headers of the row taken for the header, as they are (trimmed): the
        /// message quotes them, and a caller offers them (the page's form of columns).
        headers: Vec<String>,
        /// The fields that were found, by header or by their cells, with their column's
        /// header: what the page's form shows as chosen.
        used: Vec<(Field, String)>,
        /// The first missing field that several columns could be equally: their headers,
        /// quoted. Said, never guessed.
        tied: Option<Box<(Field, Vec<String>)>>,
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
            RosterError::MissingColumns { .. } => self
                .missing_columns_message(
                    errors::ROSTER_MISSING_COLUMNS,
                    errors::ROSTER_TIED_COLUMNS,
                )
                .unwrap_or_else(|| errors::NONE.msg()),
        }
    }
}

impl RosterError {
    /// A [`RosterError::MissingColumns`] in the words of `text` (`{path}`, `{missing}`,
    /// `{found}`, `{first}`), or of `tie` (`{path}`, `{field}`, `{columns}`) when several
    /// columns could be the field: the CLI's, which name `--map`, or the page's, which name
    /// its form ([`errors::ROSTER_MISSING_COLUMNS_PAGE`]). `None` for any other error.
    pub fn missing_columns_message(
        &self,
        text: crate::i18n::Text,
        tie: crate::i18n::Text,
    ) -> Option<Message> {
        let RosterError::MissingColumns {
            path,
            missing,
            headers,
            tied,
            ..
        } = self
        else {
            return None;
        };
        if let Some(tied) = tied {
            return Some(
                tie.with("path", path)
                    .with("field", tied.0)
                    .with("columns", tied.1.join(", ")),
            );
        }
        let mut names = missing.iter().map(|c| c.as_str());
        let first = names.next().unwrap_or("id");
        let list = match names.next() {
            Some(second) => errors::TWO.with("a", first).with("b", second),
            None => errors::ONE.with("a", first),
        };
        Some(
            text.with("path", path)
                .with_msg("missing", list)
                .with("first", first)
                .with_msg(
                    "found",
                    if headers.is_empty() {
                        errors::NONE.msg()
                    } else {
                        let quoted: Vec<String> = headers
                            .iter()
                            .map(|h| format!("{:?}", crate::text::sanitize(h)))
                            .collect();
                        errors::ONE.with("a", quoted.join(", "))
                    },
                ),
        )
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

    /// [`RosterError::MissingColumns`] on `path`, listing the non-blank `headers` and the
    /// columns a missing field could be equally (`map`'s ties).
    pub(crate) fn missing_columns(path: &Path, map: &ColumnMap, headers: &[String]) -> RosterError {
        let missing = map.missing();
        let quoted = |h: &str| format!("{:?}", crate::text::sanitize(h.trim()));
        let tied = missing.iter().find_map(|&f| {
            let columns = map.tied(f);
            (!columns.is_empty()).then(|| {
                let names = columns
                    .iter()
                    .map(|&i| quoted(headers.get(i).map_or("", String::as_str)))
                    .collect();
                (f, names)
            })
        });
        RosterError::MissingColumns {
            path: path.display().to_string(),
            missing,
            used: Field::ALL
                .into_iter()
                .filter_map(|f| {
                    let header = headers.get(map.get(f)?)?.trim();
                    Some((f, header.to_owned()))
                })
                .collect(),
            headers: headers
                .iter()
                .map(|h| h.trim())
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect(),
            tied: tied.map(Box::new),
        }
    }
}

/// A roster opened: its tables, and a note when it is not what its name says (an HTML
/// table or delimited text behind an `.xls` name).
pub struct Opened {
    /// One reader per table (a CSV file, a sheet).
    pub readers: Vec<Box<dyn RowReader>>,
    /// What the file turned out to be, read as such.
    pub note: Option<Message>,
}

/// Opens a roster by its extension: every readable table in it, each with its header found.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    open_noted(path, opts).map(|o| o.readers)
}

/// [`open`], with a note when the file is not what its name says.
pub fn open_noted(path: &Path, opts: &ReadOptions) -> Result<Opened, RosterError> {
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
    open_bytes_noted(name, bytes, opts).map(|o| o.readers)
}

/// [`open_bytes`], with a note when the file is not what its name says.
pub fn open_bytes_noted(
    name: &Path,
    bytes: impl Into<Arc<Vec<u8>>>,
    opts: &ReadOptions,
) -> Result<Opened, RosterError> {
    open_content(name, Content::Bytes(bytes.into()), opts)
}

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bytes {
    /// A zip: `.xlsx`, `.xlsm`, `.xlsb`, `.ods`.
    Zip,
    /// A compound file: `.xls`, or an encrypted workbook.
    Compound,
    /// An HTML page.
    Html,
    /// Text: delimited, as CSV.
    Text,
    /// Anything else.
    Other,
}

fn sniff_bytes(head: &[u8]) -> Bytes {
    if head.starts_with(b"PK\x03\x04") {
        Bytes::Zip
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Bytes::Compound
    } else if html::is_html(head) {
        Bytes::Html
    } else if !head.is_empty() && !encoding::looks_binary(head) {
        Bytes::Text
    } else {
        Bytes::Other
    }
}

/// The file by its name, unless its bytes say otherwise: web portals and accounting systems
/// export "Excel" files that are an HTML table or tab-separated text (Excel opens both),
/// which are read as what they are, with a note; a workbook name over bytes that are
/// neither is refused in one line.
fn open_content(path: &Path, content: Content, opts: &ReadOptions) -> Result<Opened, RosterError> {
    let kind = excel::Kind::of(path);
    let readers = |readers| Opened {
        readers,
        note: None,
    };
    // A pipe (`<(…)`) is read once, by the reader its name says: never sniffed.
    if content.size().is_none() {
        return Ok(readers(match kind {
            Some(kind) => excel::open(path, &content, kind, opts)?,
            None => vec![Box::new(csv::CsvRoster::open(path, &content, opts)?)],
        }));
    }
    let (head, n) = content
        .magic::<2048>()
        .map_err(|e| RosterError::io(path, e))?;
    let bytes = sniff_bytes(&head[..n]);
    match (kind, bytes) {
        (_, Bytes::Html) => open_html(path, &content, opts),
        (Some(_), Bytes::Text) => {
            let roster = csv::CsvRoster::open(path, &content, opts)?;
            Ok(Opened {
                readers: vec![Box::new(roster)],
                note: Some(errors::ROSTER_IS_TEXT.with("path", path.display())),
            })
        }
        // An `.xlsx` saved under an `.xls` name: read as what it is.
        (Some(excel::Kind::Xls), Bytes::Zip) => Ok(readers(excel::open(
            path,
            &content,
            excel::Kind::Xlsx,
            opts,
        )?)),
        (Some(excel::Kind::Xls), Bytes::Compound)
        | (
            Some(excel::Kind::Xlsx | excel::Kind::Xlsb | excel::Kind::Ods),
            Bytes::Zip | Bytes::Compound,
        ) => {
            let kind = kind.unwrap_or(excel::Kind::Xlsx);
            Ok(readers(excel::open(path, &content, kind, opts)?))
        }
        (Some(_), _) => Err(RosterError::unusable(path, errors::NOT_A_WORKBOOK.msg())),
        (None, _) => Ok(readers(vec![Box::new(csv::CsvRoster::open(
            path, &content, opts,
        )?)])),
    }
}

/// An HTML page's table, as CSV text in memory.
fn open_html(path: &Path, content: &Content, opts: &ReadOptions) -> Result<Opened, RosterError> {
    let mut bytes = Vec::new();
    let input = content.open().map_err(|e| RosterError::io(path, e))?;
    std::io::Read::read_to_end(
        &mut std::io::Read::take(input, html::MAX_HTML_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| RosterError::io(path, e))?;
    if bytes.len() as u64 > html::MAX_HTML_BYTES {
        return Err(RosterError::unusable(
            path,
            errors::HTML_TOO_LARGE.with("mb", html::MAX_HTML_BYTES >> 20),
        ));
    }
    let csv = html::table_as_csv(&bytes).map_err(|e| RosterError::unusable(path, e))?;
    let opts = ReadOptions {
        delimiter: Some(b','),
        encoding: Some(Encoding::Utf8),
        ..opts.clone()
    };
    let roster = csv::CsvRoster::open(path, &Content::Bytes(Arc::new(csv)), &opts)?;
    Ok(Opened {
        readers: vec![Box::new(roster)],
        note: Some(errors::ROSTER_IS_HTML.with("path", path.display())),
    })
}
