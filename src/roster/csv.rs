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
use super::{Column, Decoder, Encoding, ReadOptions, RosterError, RowReader, Source};

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
    /// Lines of a record that an unclosed quote had merged, read one by one.
    split: VecDeque<SplitLine>,
    /// The note for the row just returned (an unclosed quote).
    note: Option<(u64, u64)>,
    /// Cells in the header row.
    width: usize,
    reader_delimiter: u8,
    /// The file's size in bytes (not for a stream).
    bytes: Option<u64>,
}

/// One physical line of a record that an unclosed quote had merged.
struct SplitLine {
    line: u64,
    cells: ByteRecord,
    /// `Some((first, last))` on the line whose quote is unclosed.
    note: Option<(u64, u64)>,
}

/// A record over more lines than this is taken for a runaway quote, whatever it holds.
const MAX_RECORD_LINES: u64 = 20;

impl CsvRoster {
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvRoster, RosterError> {
        let file = File::open(path).map_err(|e| RosterError::io(path, e))?;
        let bytes = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let mut roster = CsvRoster::from_reader(path, Box::new(file), opts)?;
        roster.bytes = bytes;
        Ok(roster)
    }

    /// Reads a roster from any byte stream; `path` names it in reports and messages.
    pub fn from_reader(
        path: &Path,
        mut input: Box<dyn Read + Send>,
        opts: &ReadOptions,
    ) -> Result<CsvRoster, RosterError> {
        let io_err = |e| RosterError::io(path, e);
        let mut prefix = Vec::new();
        (&mut input)
            .take(SNIFF_BYTES)
            .read_to_end(&mut prefix)
            .map_err(io_err)?;
        if opts.encoding.is_none() && looks_binary(&prefix) {
            return Err(RosterError::unusable(
                path,
                "not a text file (binary data): export the roster as CSV, or give the workbook itself",
            ));
        }
        let encoding = opts.encoding.unwrap_or_else(|| detect_encoding(&prefix));
        if encoding == Encoding::Utf8 && prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
            prefix.drain(..3);
        }
        let raw: Stream = Box::new(Cursor::new(prefix).chain(input));
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
            raw: Vec::new(),
            raw_start: 0,
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
            split: VecDeque::new(),
            note: None,
            width: 0,
            reader_delimiter: sniffed.delimiter,
            bytes: None,
        };
        roster.width = roster.source.headers.len();
        roster.last_line = roster.end_line();
        Ok(roster)
    }

    /// A record over several lines is a runaway quote (a quote opened and never closed, the
    /// parser swallowing the lines after it) when a line break sits in an identifier or
    /// e-mail cell, when the text after a line break holds a row's worth of delimiters, or
    /// when it spans more than [`MAX_RECORD_LINES`] lines. Line breaks in a name or a note
    /// (Excel's Alt+Enter) are kept.
    fn is_runaway(&self, record: &ByteRecord, inner_newlines: u64) -> bool {
        if inner_newlines + 1 > MAX_RECORD_LINES {
            return true;
        }
        let map = &self.source.map;
        let identifier = [Column::Id, Column::Ruc, Column::Sucursal, Column::Email]
            .into_iter()
            .filter_map(|c| map.get(c))
            .any(|i| record.get(i).is_some_and(|f| f.contains(&b'\n')));
        let delimiter = self.reader_delimiter;
        let row_inside = record.iter().any(|f| {
            f.split(|&b| b == b'\n').skip(1).any(|line| {
                line.iter().filter(|&&b| b == delimiter).count() >= self.width.max(2) / 2
            })
        });
        identifier || row_inside
    }

    /// Reads the raw lines `first..=last` of a runaway record one by one.
    fn split_lines(&mut self, raw: &[u8], first: u64, last: u64) {
        let mut lines: Vec<&[u8]> = raw.split(|&b| b == b'\n').collect();
        if raw.ends_with(b"\n") {
            lines.pop();
        }
        // The raw bytes may start with blank lines the parser skipped: keep the record's own.
        let own = (last - first + 1) as usize;
        let lines = &lines[lines.len().saturating_sub(own)..];
        for (k, line) in lines.iter().enumerate() {
            let line_no = first + k as u64;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // On the line with the stray quote, the quote is read as a plain character, so
            // that its cells (the identifiers among them) can still be checked.
            let unbalanced = line.iter().filter(|&&b| b == b'"').count() % 2 == 1;
            let mut cells = ByteRecord::new();
            let mut parser = ReaderBuilder::new()
                .delimiter(self.reader_delimiter)
                .has_headers(false)
                .flexible(true)
                .quoting(!unbalanced)
                .from_reader(line);
            let _ = parser.read_byte_record(&mut cells);
            if cells.iter().all(|f| f.trim_ascii().is_empty()) {
                self.blank += 1;
                continue;
            }
            self.split.push_back(SplitLine {
                line: line_no,
                cells,
                note: unbalanced.then_some((line_no, last)),
            });
        }
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
        self.note = None;
        if let Some(line) = self.split.pop_front() {
            *record = line.cells;
            self.note = line.note;
            return Ok(Some(line.line));
        }
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
            let start_byte = record.position().map_or(0, |p| p.byte());
            let end_byte = self.reader.position().byte();
            // The parser's start may lie before blank lines it skipped: the record's own
            // first line is that of its first byte that is not a line break.
            let counter = self.reader.get_mut();
            let raw = counter.kept(start_byte, end_byte);
            let lead = raw
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            let start = counter.lines.line_of(start_byte + lead as u64);
            let end = self.end_line().max(start);
            // Empty lines never reach us as records: count the gap.
            self.blank += start.saturating_sub(self.last_line + 1);
            self.last_line = end;
            if end > start && self.is_runaway(record, end - start) {
                let raw = self.reader.get_ref().kept(start_byte, end_byte).to_vec();
                self.split_lines(&raw, start, end);
                self.reader.get_mut().release(end_byte);
                return self.read(record);
            }
            self.reader.get_mut().release(end_byte);
            if record.iter().all(|f| f.trim_ascii().is_empty()) {
                self.blank += 1;
                continue;
            }
            return Ok(Some(start));
        }
        Ok(None)
    }

    fn malformed(&mut self) -> Option<(u64, u64)> {
        self.note.take()
    }

    fn blank_rows(&self) -> u64 {
        self.blank
    }

    /// A roster line holds at least an identification, a RUC and an e-mail address: rarely
    /// under 64 bytes.
    fn records_hint(&self) -> Option<u64> {
        self.bytes.map(|b| b / 64)
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
        _ => match utf16_without_bom(prefix) {
            Some(true) => Encoding::Utf16Le,
            Some(false) => Encoding::Utf16Be,
            None => utf8_or_1252(prefix),
        },
    }
}

fn utf8_or_1252(prefix: &[u8]) -> Encoding {
    match std::str::from_utf8(prefix) {
        Ok(_) => Encoding::Utf8,
        // Cut in the middle of a character by the end of the prefix: still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Windows1252,
    }
}

/// Bytes that byte statistics (UTF-16 without a BOM, binary data) look at: plenty to tell.
const STATS_BYTES: usize = 64 << 10;

/// UTF-16 text without a BOM has a zero byte beside nearly every ASCII character: at odd
/// offsets for little-endian (`Some(true)`), even for big-endian (`Some(false)`).
fn utf16_without_bom(prefix: &[u8]) -> Option<bool> {
    let prefix = &prefix[..prefix.len().min(STATS_BYTES)];
    let pairs = prefix.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros_at = |parity: usize| {
        prefix
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(true)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(false)
    } else {
        None
    }
}

/// Binary data, not text (and not UTF-16): many NUL or control bytes. Random bytes have
/// about 11% control bytes; a text roster with a few stray NULs has far less than 8%.
fn looks_binary(prefix: &[u8]) -> bool {
    if prefix.starts_with(&[0xFF, 0xFE])
        || prefix.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(prefix).is_some()
    {
        return false;
    }
    let prefix = &prefix[..prefix.len().min(STATS_BYTES)];
    let nul = prefix.iter().filter(|&&b| b == 0).count();
    let control = prefix
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t'))
        .count();
    nul * 100 > prefix.len() * 8 || control * 100 > prefix.len() * 8
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
    /// A CR at the end of the last read: a line end unless an LF comes next.
    pending_cr: Option<u64>,
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

    fn push(&mut self, at: u64) {
        self.pending.push_back(at);
        self.seen += 1;
    }

    /// Lines in the stream, once it has been read to the end.
    fn total(&self) -> u64 {
        self.seen + u64::from(self.trailing_text)
    }
}

/// Passes bytes through, noting where the newlines are, and keeping the bytes of the record
/// being parsed (for re-reading the lines of a runaway quote).
struct LineCounter<R> {
    inner: R,
    lines: Lines,
    offset: u64,
    raw: Vec<u8>,
    /// The stream offset of `raw[0]`.
    raw_start: u64,
}

impl<R> LineCounter<R> {
    /// The bytes from `start` to `end` (stream offsets), as far as they are still kept.
    fn kept(&self, start: u64, end: u64) -> &[u8] {
        let from = start.saturating_sub(self.raw_start) as usize;
        let to = (end.saturating_sub(self.raw_start) as usize).min(self.raw.len());
        &self.raw[from.min(to)..to]
    }

    /// Forgets the bytes before `offset`; amortised so that the buffer moves rarely.
    fn release(&mut self, offset: u64) {
        let dead = offset.saturating_sub(self.raw_start) as usize;
        if dead >= (1 << 16) && dead * 2 >= self.raw.len() {
            let dead = dead.min(self.raw.len());
            self.raw.drain(..dead);
            self.raw_start += dead as u64;
        }
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let bytes = &buf[..n];
        let lines = &mut self.lines;
        // A line ends at LF, or at a CR not followed by LF (old Mac files), as for the parser.
        if n > 0
            && let Some(cr) = lines.pending_cr.take()
            && bytes[0] != b'\n'
        {
            lines.push(cr);
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let at = self.offset + i as u64;
            if bytes[i] == b'\n' {
                lines.push(at);
            } else if i + 1 < n {
                if bytes[i + 1] != b'\n' {
                    lines.push(at);
                }
            } else {
                lines.pending_cr = Some(at);
            }
        }
        if n > 0 {
            lines.trailing_text = !matches!(bytes[n - 1], b'\n' | b'\r');
        } else if let Some(cr) = lines.pending_cr.take() {
            // The stream ended on a CR.
            lines.push(cr);
        }
        self.raw.extend_from_slice(bytes);
        self.offset += n as u64;
        Ok(n)
    }
}
