//! CSV rosters as they come from offices: title lines above the header, blank lines, quoted
//! fields, CRLF or LF, read by a fast reader (a plain line split at its delimiters, any other
//! through csv_core). The delimiter is sniffed by `dialect`, the encoding detected by
//! `encoding`.

use std::collections::VecDeque;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs_io::DecodeReaderBytesBuilder;

use super::content::{Content, Opened};
use super::dialect::{MAX_HEADER_BYTES, SNIFF_BYTES, delimiter_name, read_more, sniff};
use super::encoding::{Utf32, detect_encoding, looks_binary};
use super::{
    Cells, Decoder, Encoding, ReadOptions, Repeats, RosterError, RowReader, Source, repeats_header,
};
use crate::finding::Field;
use crate::i18n::errors;

type Stream = Box<dyn Read + Send>;

/// A CSV roster, positioned after its header row.
pub struct CsvRoster {
    source: Arc<Source>,
    input: Input,
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
    /// Bytes of the file read so far (not for a stream).
    read: Option<Arc<AtomicU64>>,
    /// Lines that repeat the header, skipped.
    repeats: Repeats,
    /// Every row read, the header and its repeats too (the marked copy's values).
    every_row: bool,
}

/// A file that counts the bytes read from it, for the progress bar.
struct Counting {
    file: Opened,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// One physical line of a record that an unclosed quote had merged.
struct SplitLine {
    line: u64,
    cells: Cells,
    /// `Some((first, last))` on the line whose quote is unclosed.
    note: Option<(u64, u64)>,
}

impl CsvRoster {
    /// Opens the roster in `content` (a file, or its bytes; `path` names it), counting the
    /// bytes read for [`RowReader::progress`].
    pub(crate) fn open(
        path: &Path,
        content: &Content,
        opts: &ReadOptions,
    ) -> Result<CsvRoster, RosterError> {
        let file = content.open().map_err(|e| RosterError::io(path, e))?;
        let bytes = content.size();
        let read = Arc::new(AtomicU64::new(0));
        let counting = Counting {
            file,
            read: Arc::clone(&read),
        };
        let mut roster = CsvRoster::from_reader(path, Box::new(counting), opts)?;
        roster.bytes = bytes;
        roster.read = Some(read);
        Ok(roster)
    }

    /// Reads a roster from any byte stream; `path` names it in reports and messages.
    pub fn from_reader(
        path: &Path,
        input: Box<dyn Read + Send>,
        opts: &ReadOptions,
    ) -> Result<CsvRoster, RosterError> {
        CsvRoster::read_from(path, input, opts, false)
    }

    /// The roster in `content` read as a table from its first line: every non-blank row,
    /// the title lines and the header included, numbered as reports number them (the
    /// marked copy's values-only workbook).
    pub(crate) fn every_row(
        path: &Path,
        content: &Content,
        opts: &ReadOptions,
    ) -> Result<CsvRoster, RosterError> {
        let file = content.open().map_err(|e| RosterError::io(path, e))?;
        CsvRoster::read_from(path, Box::new(file), opts, true)
    }

    fn read_from(
        path: &Path,
        mut input: Box<dyn Read + Send>,
        opts: &ReadOptions,
        every_row: bool,
    ) -> Result<CsvRoster, RosterError> {
        let io_err = |e| RosterError::io(path, e);
        let mut prefix = Vec::new();
        (&mut input)
            .take(SNIFF_BYTES)
            .read_to_end(&mut prefix)
            .map_err(io_err)?;
        if opts.encoding.is_none() && looks_binary(&prefix) {
            return Err(RosterError::unusable(path, errors::NOT_TEXT.msg()));
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
            Encoding::Utf32Le | Encoding::Utf32Be => {
                let little = encoding == Encoding::Utf32Le;
                (Box::new(Utf32::new(raw, little)), Decoder::Utf8)
            }
        };
        let mut head = Vec::new();
        let mut truncated = read_more(&mut stream, &mut head).map_err(io_err)?;
        // A header wider than the sniffed bytes (300,000 columns were refused as "no header
        // row") is read to the end of its line, up to a bound.
        while truncated && memchr::memchr2(b'\n', b'\r', &head).is_none() {
            if head.len() as u64 >= MAX_HEADER_BYTES {
                let mb = MAX_HEADER_BYTES >> 20;
                return Err(RosterError::unusable(
                    path,
                    errors::HEADER_TOO_LONG.with("mb", mb),
                ));
            }
            truncated = read_more(&mut stream, &mut head).map_err(io_err)?;
        }
        let sniffed = sniff(&head, truncated, decoder, opts);
        let Some(sniffed) = sniffed else {
            return Err(RosterError::unusable(path, errors::NO_HEADER_ROW.msg()));
        };
        if !sniffed.map.missing().is_empty() {
            return Err(RosterError::missing_columns(
                path,
                &sniffed.map,
                &sniffed.headers,
            ));
        }

        let stream = Box::new(Cursor::new(head).chain(stream));
        let mut input = Input::new(stream, sniffed.delimiter, READ_BYTES);
        let mut last_line = 0;
        let mut header_row = 0;
        let mut record = Cells::new();
        // Every row from the first line on: the header is not skipped.
        let header_lines = if every_row {
            0
        } else {
            sniffed.header_index + 1
        };
        for _ in 0..header_lines {
            match input.next(&mut record) {
                Ok(Some((start, end))) => (header_row, last_line) = (start, end),
                Ok(None) => break,
                Err(e) => return Err(RosterError::io(path, e)),
            }
        }
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
                header_row,
            }),
            input,
            last_line,
            blank: 0,
            done: false,
            split: VecDeque::new(),
            note: None,
            width: 0,
            reader_delimiter: sniffed.delimiter,
            bytes: None,
            read: None,
            repeats: Repeats::default(),
            every_row,
        };
        roster.width = roster.source.headers.len();
        Ok(roster)
    }

    /// A record over several lines is a runaway quote (a quote opened and never closed, the
    /// parser swallowing the lines after it) when a line break sits in an identifier or
    /// e-mail cell, when the text after a line break holds a row's worth of delimiters, or
    /// when it spans more than [`MAX_QUOTED_LINES`] lines. Line breaks in a name or a note
    /// (Excel's Alt+Enter) are kept.
    fn is_runaway(&self, record: &Cells, inner_newlines: u64) -> bool {
        if inner_newlines + 1 > MAX_QUOTED_LINES {
            return true;
        }
        let map = &self.source.map;
        let identifier = [Field::Id, Field::Ruc, Field::Sucursal, Field::Email]
            .into_iter()
            .filter_map(|c| map.get(c))
            .any(|i| {
                record
                    .get(i)
                    .is_some_and(|f| f.iter().any(|&b| is_break(b)))
            });
        let delimiter = self.reader_delimiter;
        let row_inside = record.iter().any(|f| {
            f.split(|&b| is_break(b)).skip(1).any(|line| {
                line.iter().filter(|&&b| b == delimiter).count() >= self.width.max(2) / 2
            })
        });
        identifier || row_inside
    }

    /// Reads the raw lines `first..=last` of a runaway record one by one.
    fn split_lines(&mut self, raw: &[u8], first: u64, last: u64) {
        let lines = lines_of(raw);
        // The raw bytes may start with blank lines the parser skipped: keep the record's own.
        let own = (last - first + 1) as usize;
        let lines = &lines[lines.len().saturating_sub(own)..];
        let delimiter = self.reader_delimiter;
        let mut quoting = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut plain = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(false)
            .build();
        for (k, line) in lines.iter().enumerate() {
            let line_no = first + k as u64;
            // On the line with the stray quote, the quote is read as a plain character, so
            // that its cells (the identifiers among them) can still be checked.
            let unbalanced = line.iter().filter(|&&b| b == b'"').count() % 2 == 1;
            let parser = if unbalanced { &mut plain } else { &mut quoting };
            let cells = cells_of(parser, line);
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
}

impl RowReader for CsvRoster {
    fn source(&self) -> &Arc<Source> {
        &self.source
    }

    fn read(&mut self, record: &mut Cells) -> Result<Option<u64>, RosterError> {
        self.note = None;
        if let Some(line) = self.split.pop_front() {
            *record = line.cells;
            self.note = line.note;
            return Ok(Some(line.line));
        }
        while !self.done {
            let next = self.input.next(record).map_err(|e| {
                RosterError::unusable(
                    &self.source.path,
                    errors::AT_LINE.with("line", self.last_line + 1).with_io(&e),
                )
            })?;
            let Some((start, end)) = next else {
                self.done = true;
                self.blank += self.input.lines().saturating_sub(self.last_line);
                break;
            };
            // Empty lines never reach us as records: count the gap.
            self.blank += start.saturating_sub(self.last_line + 1);
            self.last_line = end;
            if end > start && self.is_runaway(record, end - start) {
                let raw = self.input.raw().to_vec();
                self.split_lines(&raw, start, end);
                return self.read(record);
            }
            if record.iter().all(|f| f.trim_ascii().is_empty()) {
                self.blank += 1;
                continue;
            }
            if !self.every_row && repeats_header(&self.source, record) {
                self.repeats.add(start);
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

    fn repeated_headers(&self) -> Option<(u64, u64)> {
        self.repeats.get()
    }

    /// A roster line holds at least an identification, a RUC and an e-mail address: rarely
    /// under 64 bytes.
    fn records_hint(&self) -> Option<u64> {
        self.bytes.map(|b| b / 64)
    }

    fn progress(&self) -> Option<(u64, u64)> {
        let total = self.bytes?;
        let read = self.read.as_ref()?.load(Ordering::Relaxed);
        Some((read.min(total), total))
    }
}

/// The cells of `line` (one line, without its line break) as `parser` reads them, from its
/// start as a fresh reader would.
fn cells_of(parser: &mut csv_core::Reader, line: &[u8]) -> Cells {
    use csv_core::ReadRecordResult as R;
    parser.reset();
    // A field is never longer than the line, and there is at most one per byte and one more.
    let mut fields = vec![0; line.len()];
    let mut ends = vec![0; line.len() + 1];
    let (mut input, mut nout, mut nend) = (line, 0, 0);
    let mut cells = Cells::new();
    loop {
        let (res, nin, out, end) =
            parser.read_record(input, &mut fields[nout..], &mut ends[nend..]);
        (input, nout, nend) = (&input[nin..], nout + out, nend + end);
        match res {
            // The whole line is read: an empty input ends its record.
            R::InputEmpty if nin > 0 || !input.is_empty() => {}
            R::Record => break,
            _ => return cells,
        }
    }
    let mut from = 0;
    for &to in &ends[..nend] {
        cells.push(&fields[from..to]);
        from = to;
    }
    cells
}

/// A line break: LF, or CR (alone in old Mac files, before LF in Windows ones).
fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The lines of `raw`, without their line breaks (LF, CRLF, or a CR alone).
fn lines_of(raw: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(k) = memchr::memchr2(b'\n', b'\r', &raw[i..]) {
        let at = i + k;
        lines.push(&raw[start..at]);
        i = at + 1;
        if raw[at] == b'\r' && raw.get(i) == Some(&b'\n') {
            i += 1;
        }
        start = i;
    }
    if start < raw.len() {
        lines.push(&raw[start..]);
    }
    lines
}

/// A csv_core reader for `delimiter`. csv_core strips a UTF-8 BOM from the first input it
/// sees, which here may be a line in the middle of the file: it sees one line break first (a
/// blank line to it).
fn parser(delimiter: u8) -> csv_core::Reader {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let _ = core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    core
}

/// The one limit for a runaway quote, in the roster's reader and the catastro's: a quoted
/// record over more lines than this is a runaway (a quote opened and never closed), whatever
/// it holds. The reader follows a quote one line further, then reads the lines it took in
/// one by one, so that memory does not grow with the rest of the file; the lines after are
/// read as usual. Excel's Alt+Enter line breaks in a name or a note are a few, never twenty.
pub(crate) const MAX_QUOTED_LINES: u64 = 20;

/// Bytes read at a time; the buffer grows past this only for a record that does not fit.
const READ_BYTES: usize = 1 << 18;

/// The roster's records, with the lines they span. A line without a quote or a lone CR (nearly
/// every line of a roster) is split at its delimiters directly; any other goes through
/// csv_core, whose reading of quotes, line breaks inside quotes and blank lines this is (the
/// two agree on every line the fast path takes: see the tests). A line ends at LF, CRLF, or a
/// CR not followed by LF (old Mac files), as for the parser.
struct Input {
    stream: Stream,
    buf: Vec<u8>,
    /// `buf[pos..end]`: read and not yet consumed.
    pos: usize,
    end: usize,
    eof: bool,
    /// The stream's last byte so far.
    last: Option<u8>,
    /// The 1-based line of `buf[pos]`.
    line: u64,
    delimiter: u8,
    /// Whether plain lines may be split directly (not when the delimiter is a quote or a
    /// line break).
    fast: bool,
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// `buf[raw.0..raw.1]`: the last record csv_core read, with the line breaks before it.
    raw: (usize, usize),
}

impl Input {
    /// Reads `stream` `capacity` bytes at a time (more for a record that does not fit).
    fn new(stream: Stream, delimiter: u8, capacity: usize) -> Input {
        Input {
            stream,
            buf: vec![0; capacity.max(1)],
            pos: 0,
            end: 0,
            eof: false,
            last: None,
            line: 1,
            delimiter,
            fast: !matches!(delimiter, b'"' | b'\r' | b'\n'),
            core: parser(delimiter),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            raw: (0, 0),
        }
    }

    /// Drops the bytes before `keep` and reads more; returns how far the kept bytes moved.
    fn fill(&mut self, keep: usize) -> io::Result<usize> {
        self.buf.copy_within(keep..self.end, 0);
        self.end -= keep;
        self.pos -= keep;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    self.last = Some(self.buf[self.end - 1]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            return Ok(keep);
        }
    }

    /// Reads the next record into `record`; returns its first and last lines, or `None` at
    /// the end. Blank lines are skipped, as by csv_core.
    fn next(&mut self, record: &mut Cells) -> io::Result<Option<(u64, u64)>> {
        if !self.fast {
            return self.next_parsed(record);
        }
        loop {
            let rest = &self.buf[self.pos..self.end];
            let (len, used) = match memchr::memchr3(b'\n', b'\r', b'"', rest) {
                Some(i) if rest[i] == b'\n' => (i, i + 1),
                Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => (i, i + 2),
                Some(i) if rest[i] == b'\r' && i + 1 == rest.len() && !self.eof => {
                    self.fill(self.pos)?;
                    continue;
                }
                Some(_) => return self.next_parsed(record),
                None if !self.eof => {
                    self.fill(self.pos)?;
                    continue;
                }
                None if rest.is_empty() => return Ok(None),
                // The last line, without a line break.
                None => (rest.len(), rest.len()),
            };
            let line = self.line;
            let text = &rest[..len];
            self.pos += used;
            if used > len {
                self.line += 1;
            }
            if text.is_empty() {
                continue;
            }
            record.set_split(text, self.delimiter);
            return Ok(Some((line, line)));
        }
    }

    /// Reads the next record with csv_core (quotes, line breaks inside quotes, lone CRs).
    fn next_parsed(&mut self, record: &mut Cells) -> io::Result<Option<(u64, u64)>> {
        use csv_core::ReadRecordResult as R;
        let mut start = self.pos;
        let (mut nout, mut nend) = (0, 0);
        // csv_core is given the record a line at a time (`scanned`: the end of the lines
        // given so far), so that line breaks are counted as it goes: after `MAX_QUOTED_LINES`
        // of them with no end to the record, the quote is taken for a runaway. A CR is given
        // only once the byte after it is read (or the file has ended), so `breaks` can tell
        // a CR alone from a CRLF.
        let mut content = false;
        let (mut scanned, mut seen) = (0, 0);
        let found = loop {
            if !content {
                // Blank lines before the record, which csv_core would skip.
                while self.pos < self.end && is_break(self.buf[self.pos]) {
                    self.pos += 1;
                }
                if self.pos == self.end && !self.eof {
                    start -= self.fill(start)?;
                    continue;
                }
                (content, scanned) = (true, self.pos);
            }
            if self.pos == scanned {
                if seen > MAX_QUOTED_LINES {
                    // A quote still open after that many lines: the record ends here, to be
                    // read line by line as a runaway, and parsing starts afresh after it.
                    self.core = parser(self.delimiter);
                    break true;
                }
                let rest = &self.buf[scanned..self.end];
                match memchr::memchr2(b'\n', b'\r', rest) {
                    Some(k) => {
                        let at = scanned + k;
                        let next = self.buf[..self.end].get(at + 1).copied();
                        if self.buf[at] == b'\r' && next.is_none() && !self.eof {
                            // An LF may follow in the next read: look again then.
                            let moved = self.fill(start)?;
                            (start, scanned) = (start - moved, scanned - moved);
                            continue;
                        }
                        scanned = at + 1;
                        if self.buf[at] == b'\n' || next != Some(b'\n') {
                            seen += 1;
                        }
                    }
                    None if !self.eof => {
                        let moved = self.fill(start)?;
                        (start, scanned) = (start - moved, scanned - moved);
                        continue;
                    }
                    // The last line, without a line break.
                    None => scanned = self.end,
                }
            }
            let (res, nin, out, ends) = self.core.read_record(
                &self.buf[self.pos..scanned],
                &mut self.fields[nout..],
                &mut self.ends[nend..],
            );
            self.pos += nin;
            nout += out;
            nend += ends;
            match res {
                R::InputEmpty => {}
                R::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => break true,
                R::End => break false,
            }
        };
        let first = self.line;
        self.line += self.breaks(start, self.pos);
        if !found {
            return Ok(None);
        }
        self.raw = (start, self.pos);
        let raw = &self.buf[start..self.pos];
        let lead = raw.iter().take_while(|&&b| is_break(b)).count();
        let lines = (
            first + self.breaks(start, start + lead),
            first + self.breaks(start, self.pos - 1),
        );
        record.clear();
        let mut from = 0;
        for &to in &self.ends[..nend] {
            record.push(&self.fields[from..to]);
            from = to;
        }
        Ok(Some(lines))
    }

    /// Line breaks in `buf[from..to]`: LF, and CR when no LF follows it.
    fn breaks(&self, from: usize, to: usize) -> u64 {
        let bytes = &self.buf[from..to];
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| {
                bytes[i] == b'\n' || self.buf[..self.end].get(from + i + 1) != Some(&b'\n')
            })
            .count() as u64
    }

    /// The bytes of the last record csv_core read, with the line breaks before it.
    fn raw(&self) -> &[u8] {
        &self.buf[self.raw.0..self.raw.1]
    }

    /// Lines in the stream, once it has been read to the end.
    fn lines(&self) -> u64 {
        let trailing_text = self.last.is_some_and(|b| b != b'\n' && b != b'\r');
        self.line - 1 + u64::from(trailing_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::csv::ReaderBuilder;

    /// Pseudo-random CSV-like bytes: quotes, delimiters, LF, CRLF and lone CRs, blank lines.
    fn messy(seed: u64, len: usize) -> Vec<u8> {
        let pieces: [&[u8]; 14] = [
            b"a",
            b"\xc3\x91and\xc3\xba",
            b"0428813992",
            b",",
            b",",
            b",",
            b"\"",
            b"\"\"",
            b"\r",
            b"\n",
            b"\n",
            b"\r\n",
            b" ",
            b";",
        ];
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut out = Vec::new();
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.extend_from_slice(pieces[(x % pieces.len() as u64) as usize]);
        }
        out
    }

    type Read = (Option<(u64, u64)>, Vec<Vec<u8>>);

    fn read_all(bytes: &[u8], capacity: usize, fast: bool) -> (Vec<Read>, u64) {
        let mut input = Input::new(Box::new(Cursor::new(bytes.to_vec())), b',', capacity);
        input.fast = fast;
        let mut cells = Cells::new();
        let mut out = Vec::new();
        while let Some(lines) = input.next(&mut cells).unwrap() {
            out.push((Some(lines), cells.iter().map(<[u8]>::to_vec).collect()));
        }
        (out, input.lines())
    }

    #[test]
    fn plain_lines_split_as_csv_core_reads_them() {
        // The fast path against csv_core alone, with buffers of every size down to one byte
        // (records cut anywhere), and csv_core's cells against the csv crate's where no
        // quote runs past the limit (the csv crate follows one to the end of the file).
        let mut against_csv = 0;
        for seed in 0..400 {
            let bytes = messy(seed, (seed % 60) as usize * 5);
            let (expected, lines) = read_all(&bytes, 1 << 16, false);
            for capacity in [1, 2, 3, 7, 64, 1 << 16] {
                assert_eq!(
                    read_all(&bytes, capacity, true),
                    (expected.clone(), lines),
                    "{:?}, buffer {capacity}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            let within = |(first, last): (u64, u64)| last - first < MAX_QUOTED_LINES;
            if !expected.iter().all(|(lines, _)| lines.is_none_or(within)) {
                continue;
            }
            against_csv += 1;
            let mut reader = ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[..]);
            let by_csv: Vec<Vec<Vec<u8>>> = reader
                .byte_records()
                .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect();
            let cells: Vec<Vec<Vec<u8>>> = expected.into_iter().map(|(_, c)| c).collect();
            assert_eq!(cells, by_csv);
        }
        assert!(
            against_csv > 300,
            "{against_csv} of 400 compared with the csv crate"
        );
    }

    #[test]
    fn a_quote_left_open_is_followed_for_a_bounded_number_of_lines() {
        // One stray quote, then 1.2 MB of plain lines: without a bound the parser would hold
        // the rest of the file as one cell.
        let mut roster = String::from("Nombre,C\u{e9}dula,RUC\n\"Stray,0428813992,0428813992001\n");
        for i in 0..30_000 {
            roster.push_str(&format!("Fila {i:05},0428813992,0428813992001\n"));
        }
        let (rows, blank) = rows(roster.as_bytes());
        assert_eq!((rows.len(), blank), (30_001, 0));
        let last = 2 + MAX_QUOTED_LINES;
        assert_eq!(rows[0].1, Some((2, last)));
        assert_eq!(rows[0].2, ["\"Stray", "0428813992", "0428813992001"]);
        assert!(rows.iter().enumerate().all(|(i, r)| r.0 == i as u64 + 2));
        assert_eq!(rows[30_000].2[0], "Fila 29999");

        let input = Box::new(Cursor::new(roster.into_bytes()));
        let mut roster =
            CsvRoster::from_reader(Path::new("r.csv"), input, &ReadOptions::default()).unwrap();
        let mut cells = Cells::new();
        while roster.read(&mut cells).unwrap().is_some() {}
        assert_eq!(roster.input.buf.len(), READ_BYTES);
    }

    /// A row as the reader yields it: its line, its note, its cells.
    type Row = (u64, Option<(u64, u64)>, Vec<String>);

    /// What a roster yields: each row, then the blank rows.
    fn rows(bytes: &[u8]) -> (Vec<Row>, u64) {
        let input = Box::new(Cursor::new(bytes.to_vec()));
        let mut roster =
            CsvRoster::from_reader(Path::new("r.csv"), input, &ReadOptions::default()).unwrap();
        let mut cells = Cells::new();
        let mut out = Vec::new();
        while let Some(row) = roster.read(&mut cells).unwrap() {
            let note = roster.malformed();
            let text = |c: &[u8]| String::from_utf8_lossy(c).replace("\r\n", "\n");
            let cells = cells.iter().map(text).collect();
            out.push((row, note, cells));
        }
        (out, roster.blank_rows())
    }

    #[test]
    fn line_numbers_are_the_same_whatever_the_line_breaks() {
        // LF, CRLF or CR alone (old Mac files): the same rows on the same lines, the same
        // unclosed quotes and blank rows.
        for seed in 0..300 {
            let body = messy(seed, 300);
            let body: Vec<u8> = body.into_iter().filter(|&b| b != b'\r').collect();
            let lf = [&b"Nombre,C\xc3\xa9dula,RUC,Sucursal\n"[..], &body].concat();
            let crlf = String::from_utf8_lossy(&lf).replace('\n', "\r\n");
            let cr = String::from_utf8_lossy(&lf).replace('\n', "\r");
            let expected = rows(&lf);
            assert_eq!(rows(crlf.as_bytes()), expected, "{crlf:?}");
            let cr_rows = rows(cr.as_bytes());
            let lf_rows = expected.0.iter().map(|(r, n, c)| {
                let c: Vec<String> = c.iter().map(|c| c.replace('\n', "\r")).collect();
                (*r, *n, c)
            });
            assert_eq!(cr_rows, (lf_rows.collect(), expected.1), "{cr:?}");
        }
    }

    #[test]
    fn every_row_keeps_the_header_and_its_repeats() {
        // The marked copy's values: the title, the header and a header pasted again are rows
        // of the copy, at their lines; the check skips the repeat.
        let roster = "Reporte\nNombre,C\u{e9}dula,RUC\nAna,1710034065,1710034065001\n\
                      Nombre,C\u{e9}dula,RUC\nEva,0428813992,0428813992001\n";
        let content = Content::Bytes(Arc::new(roster.as_bytes().to_vec()));
        let path = Path::new("r.csv");
        let lines = |mut r: CsvRoster| {
            let mut cells = Cells::new();
            let mut out = Vec::new();
            while let Some(line) = r.read(&mut cells).unwrap() {
                out.push((
                    line,
                    String::from_utf8_lossy(cells.get(0).unwrap()).into_owned(),
                ));
            }
            out
        };
        let every = CsvRoster::every_row(path, &content, &ReadOptions::default()).unwrap();
        assert_eq!(
            lines(every),
            [
                (1, "Reporte".to_owned()),
                (2, "Nombre".to_owned()),
                (3, "Ana".to_owned()),
                (4, "Nombre".to_owned()),
                (5, "Eva".to_owned()),
            ]
        );
        let file = content.open().unwrap();
        let checked =
            CsvRoster::from_reader(path, Box::new(file), &ReadOptions::default()).unwrap();
        assert_eq!(
            lines(checked),
            [(3, "Ana".to_owned()), (5, "Eva".to_owned())]
        );
    }
}
