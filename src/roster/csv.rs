//! CSV rosters as they come from offices: delimiter sniffed, encoding detected, title lines
//! above the header, blank lines, quoted fields, CRLF or LF.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use ::csv::{ByteRecord, Reader, ReaderBuilder};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::headers::{ColumnMap, HEADER_SEARCH_ROWS, find_header_row};
use super::{Decoder, Encoding, ReadOptions, RosterError, RowReader, Source};

/// How much of the file is read to detect the encoding, the delimiter and the header row.
const SNIFF_BYTES: u64 = 1 << 20;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

type Stream = Box<dyn Read + Send>;

/// A CSV roster, positioned after its header row.
pub struct CsvRoster {
    source: Arc<Source>,
    reader: Reader<LineCounter<Stream>>,
    /// The line on which the previous record (or the header) ended.
    last_line: u64,
    blank: u64,
    done: bool,
}

impl CsvRoster {
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvRoster, RosterError> {
        let io_err = |e| RosterError::io(path, e);
        let mut file = File::open(path).map_err(io_err)?;
        let mut prefix = Vec::new();
        (&mut file)
            .take(SNIFF_BYTES)
            .read_to_end(&mut prefix)
            .map_err(io_err)?;
        let encoding = opts.encoding.unwrap_or_else(|| detect_encoding(&prefix));
        if encoding == Encoding::Utf8 && prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
            prefix.drain(..3);
        }
        let raw: Stream = Box::new(Cursor::new(prefix).chain(file));
        let (mut stream, decoder): (Stream, Decoder) = match encoding {
            Encoding::Utf8 => (raw, Decoder::Utf8),
            Encoding::Windows1252 => (raw, Decoder::Windows1252),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let enc = if encoding == Encoding::Utf16Le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                let decoded = DecodeReaderBytesBuilder::new()
                    .encoding(Some(enc))
                    .bom_override(true)
                    .strip_bom(true)
                    .build(raw);
                (Box::new(decoded), Decoder::Utf8)
            }
        };
        let mut head = Vec::new();
        (&mut stream)
            .take(SNIFF_BYTES)
            .read_to_end(&mut head)
            .map_err(io_err)?;
        let truncated = head.len() as u64 == SNIFF_BYTES;
        let sniffed = sniff(&head, truncated, decoder, opts);
        let Some(sniffed) = sniffed else {
            return Err(RosterError::unusable(
                path,
                "no header row: the file is empty or has no text lines",
            ));
        };
        let missing = sniffed.map.missing();
        if !missing.is_empty() {
            return Err(RosterError::missing_columns(
                path,
                &missing,
                &sniffed.headers,
            ));
        }

        let counted = LineCounter {
            inner: Box::new(Cursor::new(head).chain(stream)) as Stream,
            lines: Lines::default(),
            offset: 0,
        };
        let mut reader = ReaderBuilder::new()
            .delimiter(sniffed.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(counted);
        let mut roster = CsvRoster {
            source: Arc::new(Source {
                path: path.to_owned(),
                sheet: None,
                headers: sniffed.headers,
                map: sniffed.map,
                decoder,
                dialect: format!(
                    "{}, delimiter {}",
                    encoding.as_str(),
                    delimiter_name(sniffed.delimiter)
                ),
            }),
            reader: {
                let mut record = ByteRecord::new();
                for _ in 0..=sniffed.header_index {
                    reader
                        .read_byte_record(&mut record)
                        .map_err(|e| RosterError::unusable(path, e.to_string()))?;
                }
                reader
            },
            last_line: 0,
            blank: 0,
            done: false,
        };
        roster.last_line = roster.end_line();
        Ok(roster)
    }

    /// The line on which the record just read ends.
    fn end_line(&mut self) -> u64 {
        let end = self.reader.position().byte();
        // The record's last byte (its terminator, or its last character at the end of the
        // file) lies on the line that ends it.
        self.reader.get_mut().lines.line_of(end.saturating_sub(1))
    }
}

impl RowReader for CsvRoster {
    fn source(&self) -> &Arc<Source> {
        &self.source
    }

    fn read(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, RosterError> {
        while !self.done {
            let more = self.reader.read_byte_record(record).map_err(|e| {
                RosterError::unusable(
                    &self.source.path,
                    format!("line {}: {e}", self.last_line + 1),
                )
            })?;
            if !more {
                self.done = true;
                let lines = self.reader.get_ref().lines.total();
                self.blank += lines.saturating_sub(self.last_line);
                break;
            }
            let end = self.end_line();
            let inner_newlines = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
            let start = end - inner_newlines;
            // Empty lines never reach us as records: count the gap.
            self.blank += start.saturating_sub(self.last_line + 1);
            self.last_line = end;
            if record.iter().all(|f| f.trim_ascii().is_empty()) {
                self.blank += 1;
                continue;
            }
            return Ok(Some(start));
        }
        Ok(None)
    }

    fn blank_rows(&self) -> u64 {
        self.blank
    }
}

struct Sniffed {
    delimiter: u8,
    header_index: usize,
    headers: Vec<String>,
    map: ColumnMap,
}

/// Tries each delimiter on the first rows; the one under which a header row matches the most
/// fields wins. `None` when there are no rows at all.
fn sniff(head: &[u8], truncated: bool, decoder: Decoder, opts: &ReadOptions) -> Option<Sniffed> {
    let candidates: Vec<u8> = match opts.delimiter {
        Some(d) => vec![d],
        None => DELIMITERS.to_vec(),
    };
    let mut best: Option<(usize, usize, Sniffed)> = None;
    for delimiter in candidates {
        let rows = first_rows(head, truncated, delimiter, decoder);
        if rows.is_empty() {
            continue;
        }
        let (index, map) = find_header_row(&rows, &opts.overrides).unwrap_or_default();
        let complete = usize::from(map.missing().is_empty());
        let matched = map.matched();
        let score = (complete, matched);
        if best.as_ref().is_none_or(|(c, m, _)| score > (*c, *m)) {
            let headers = rows.into_iter().nth(index).unwrap_or_default();
            best = Some((
                complete,
                matched,
                Sniffed {
                    delimiter,
                    header_index: index,
                    headers,
                    map,
                },
            ));
        }
    }
    best.map(|(_, _, s)| s)
}

/// The first records of `head` under `delimiter`, decoded. A record cut by the end of the
/// sniffed bytes is dropped.
fn first_rows(head: &[u8], truncated: bool, delimiter: u8, decoder: Decoder) -> Vec<Vec<String>> {
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut rows = Vec::new();
    let mut record = ByteRecord::new();
    while rows.len() <= HEADER_SEARCH_ROWS {
        match reader.read_byte_record(&mut record) {
            Ok(true) => rows.push(
                record
                    .iter()
                    .map(|f| decoder.decode(f).into_owned())
                    .collect(),
            ),
            _ => break,
        }
    }
    if truncated && reader.is_done() {
        rows.pop();
    }
    rows
}

/// UTF-16 when a BOM says so; UTF-8 (with or without BOM) when the bytes are valid UTF-8;
/// otherwise Windows-1252, Excel's "CSV" on Spanish Windows.
pub fn detect_encoding(prefix: &[u8]) -> Encoding {
    match prefix {
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8,
        _ => match std::str::from_utf8(prefix) {
            Ok(_) => Encoding::Utf8,
            // Cut in the middle of a character by the end of the prefix: still UTF-8.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        },
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_owned(),
        b' ' => "space".to_owned(),
        d if d.is_ascii_graphic() => format!("'{}'", d as char),
        d => format!("0x{d:02x}"),
    }
}

/// Where the newlines of the stream are, for turning the parser's byte offsets into line
/// numbers. Offsets are queried in increasing order, so only the newlines after the last
/// query are kept: memory is bounded by the parser's read-ahead.
#[derive(Default)]
struct Lines {
    pending: VecDeque<u64>,
    /// Newlines before the last queried offset.
    passed: u64,
    /// Newlines seen in all.
    seen: u64,
    /// The stream ended without a newline after its last byte.
    trailing_text: bool,
}

impl Lines {
    /// The 1-based line of the byte at `offset`.
    fn line_of(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&nl| nl < offset) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }

    /// Lines in the stream, once it has been read to the end.
    fn total(&self) -> u64 {
        self.seen + u64::from(self.trailing_text)
    }
}

/// Passes bytes through, noting where the newlines are.
struct LineCounter<R> {
    inner: R,
    lines: Lines,
    offset: u64,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let lines = &mut self.lines;
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            lines.pending.push_back(self.offset + i as u64);
            lines.seen += 1;
        }
        if n > 0 {
            lines.trailing_text = buf[n - 1] != b'\n';
        }
        self.offset += n as u64;
        Ok(n)
    }
}
