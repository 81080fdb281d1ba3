//! What a workbook would take in memory, measured from its file before it is read.
//!
//! calamine reads `.xls` and `.ods` whole, every sheet at once, as dense grids: each sheet
//! becomes the rectangle from its first to its last non-empty cell, one value per place.
//! A few bytes can ask for a huge grid: an 848-byte `.ods` whose cell repeats across 16,384
//! columns and 3,000 rows (`number-columns-repeated`, `number-rows-repeated`) took 7.5 GB; a
//! 5.6 KB `.xls` with one cell at `IV65536` on six sheets took 3.6 GB. So the grid is
//! measured first, from the file's own structure (the `.ods` XML streamed, the `.xls`
//! record headers), with the bounds calamine applies, and a workbook over
//! [`MAX_LOADED_CELLS`] is refused.
//!
//! Cells are not the only measure: text is. A string stored once can stand in many cells —
//! a shared string of an `.xlsx` or `.xlsb` (one 1 MB string used by 5,000 cells of a 57 KB
//! file reached 4 GB), an `.ods` cell repeated over rows or columns (a 1 MB cell over 2,000
//! rows), an `.xls` shared string (LABELSST) — and a few bytes can ask for a long one (an
//! `.ods` `<text:s text:c="300000000"/>`, 300 million spaces from 837 bytes). So the text
//! every cell would hold is counted too, each use of a string at its full size ([`Expansion`]):
//! a workbook held whole (`.xls`, `.ods`) is refused when its cells and their text would
//! take more than [`MAX_LOADED_MEMORY`], a streamed one (`.xlsx`, `.xlsb`) when its text is
//! over [`MAX_STREAMED_TEXT`]. The shared-string table itself, which calamine loads
//! before any cell, is measured against [`MAX_SHARED_MEMORY`] (120 million empty `<si/>` in
//! 876 KB, 40 million `.xlsb` string items in 400 KB). An `.xlsb` sheet's records are walked
//! too, for what calamine does not say: a row past Excel's last ends its reading silently,
//! and a cell record shorter than its kind reads the bytes of the record before.

use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::content::Content;
use super::excel::MAX_COLUMNS;
use crate::i18n::{Message, errors, io_reason};

/// Cells of the grids a loaded workbook may hold: 4,194,304, e.g. 200,000 rows of 20
/// columns. calamine keeps about 112 bytes a cell while it builds them (a value and a
/// formula, each copied once), so this bounds the load near 450 MB.
pub(crate) const MAX_LOADED_CELLS: u64 = 1 << 22;

/// Memory a workbook read whole (`.xls`, `.ods`) may take while calamine loads it, as
/// [`Expansion::loaded_memory`] estimates it: 384 MB. Measured on `.ods` grids (peaks of
/// 295 MB for 4,000,000 numbers, 257 MB for 2,000,000 strings of 8 bytes, 416 MB for
/// 2,000,000 of 64 bytes), the estimate is above the peak: about 70 bytes a cell (its
/// value and its formula, laid out), and each string twice (calamine copies a repeated
/// row's values) with about 40 bytes of its own. An 850-byte `.ods` of 4,000,000 cells of
/// 30 bytes took 619 MB.
pub(crate) const MAX_LOADED_MEMORY: u64 = 384 << 20;

/// Counting the text of a workbook read whole stops past this: it alone is over
/// [`MAX_LOADED_MEMORY`].
const MAX_LOADED_TEXT: u64 = MAX_LOADED_MEMORY / 2;

/// Bytes of text the cells of a streamed workbook (`.xlsx`, `.xlsb`) may hold, each use of
/// a shared string counted at its full size: 1 GB, ten times a full sheet of a usual roster
/// (1,048,576 rows of about 100 bytes). Streamed, it never is in memory at once; this bounds
/// the time and the report's size.
pub(crate) const MAX_STREAMED_TEXT: u64 = 1 << 30;

/// Memory the shared-string table of an `.xlsx` or `.xlsb` may take once calamine has
/// loaded it (before the first cell is read): 256 MB, about 4 million distinct strings of
/// 30 bytes.
pub(crate) const MAX_SHARED_MEMORY: u64 = 256 << 20;

/// Bytes of text one row of a workbook may hold: 16 MB (Excel's cells hold 32,767
/// characters; a roster's row, a few hundred bytes). Checked as the cells are read.
pub(crate) const MAX_ROW_TEXT: u64 = 16 << 20;

/// Rows of a sheet: Excel's last is 1,048,576 (calamine caps `.ods` repeats there).
pub(crate) const MAX_ROWS: u64 = 1_048_576;

/// What a workbook would expand to, measured from its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// Cells of the grids calamine lays out (`.xls` and `.ods`, read whole).
    pub(crate) cells: u64,
    /// Bytes of text the cells hold (an upper bound of their UTF-8), each use of a shared
    /// or repeated string at its full size. Counting stops once past the format's limit.
    pub(crate) text: u64,
    /// Cells that hold text (`.xls`, `.ods`), each use counted.
    pub(crate) strings: u64,
}

impl Expansion {
    /// What calamine takes to load a workbook read whole: about 70 bytes a cell laid out,
    /// and each string twice with about 40 bytes of its own (see [`MAX_LOADED_MEMORY`]).
    pub(crate) fn loaded_memory(&self) -> u64 {
        self.cells
            .saturating_mul(70)
            .saturating_add(self.text.saturating_mul(2))
            .saturating_add(self.strings.saturating_mul(40))
    }
}

/// The bounding box of the non-empty cells of one sheet.
#[derive(Default)]
struct Grid {
    first_row: Option<u64>,
    last_row: u64,
    first_col: u64,
    last_col: u64,
}

impl Grid {
    fn add(&mut self, row: u64, last_row: u64, first_col: u64, last_col: u64) {
        match self.first_row {
            None => {
                self.first_row = Some(row);
                self.first_col = first_col;
                self.last_col = last_col;
            }
            Some(first) => {
                self.first_row = Some(first.min(row));
                self.first_col = self.first_col.min(first_col);
                self.last_col = self.last_col.max(last_col);
            }
        }
        self.last_row = self.last_row.max(last_row);
    }

    fn cells(&self) -> u64 {
        match self.first_row {
            None => 0,
            Some(first) => {
                let rows = self.last_row.saturating_sub(first) + 1;
                let cols = self.last_col.saturating_sub(self.first_col) + 1;
                rows.saturating_mul(cols)
            }
        }
    }
}

/// The cells of every sheet grid of an `.ods` file and the text they hold, from
/// `content.xml`.
pub(crate) fn ods_measure(content: &Content) -> Result<Expansion, Message> {
    let input = content.open().map_err(|e| io_reason(&e))?;
    let mut zip =
        zip::ZipArchive::new(input).map_err(|e| errors::WORKBOOK_NOT_ZIP.with("detail", e))?;
    check_xml_stretches(&mut zip)?;
    let content = match zip.by_name("content.xml") {
        Ok(content) => content,
        // calamine says what is missing.
        Err(_) => return Ok(Expansion::default()),
    };
    ods_content(BufReader::new(content))
}

/// The cell being read in [`ods_content`]: its columns and its text so far.
struct OdsCell {
    columns: u64,
    text: u64,
}

fn ods_content(content: impl BufRead) -> Result<Expansion, Message> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut total = Expansion::default();
    let mut grid = Grid::default();
    // The row being read: its first place, its repeat, its columns and its text so far.
    let mut row: u64 = 0;
    let mut repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut row_text: u64 = 0;
    let mut row_strings: u64 = 0;
    let mut first_value: Option<u64> = None;
    let mut last_value: u64 = 0;
    let mut cell: Option<OdsCell> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| errors::WORKBOOK_DAMAGED_CONTENT.with("detail", e))?;
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) if e.name().0 == "table:table" => {
                grid = Grid::default();
                row = 0;
            }
            Event::End(e) if e.name().0 == "table:table" => {
                total.cells = total.cells.saturating_add(grid.cells());
                grid = Grid::default();
            }
            Event::Start(e) if e.name().0 == "table:table-row" => {
                let asked = repeated(&e, "table:number-rows-repeated")?;
                repeat = asked.min(MAX_ROWS.saturating_sub(row));
                col = 0;
                row_text = 0;
                row_strings = 0;
                first_value = None;
            }
            Event::End(e) if e.name().0 == "table:table-row" => {
                if let Some(first) = first_value {
                    grid.add(row, row + repeat.max(1) - 1, first, last_value);
                }
                // calamine copies the row's values once per repeat.
                total.text = total
                    .text
                    .saturating_add(row_text.saturating_mul(repeat.max(1)));
                total.strings = total
                    .strings
                    .saturating_add(row_strings.saturating_mul(repeat.max(1)));
                row += repeat;
                if total.text > MAX_LOADED_TEXT {
                    break;
                }
            }
            // A cell with content (Start) or a value attribute holds a value; an empty
            // self-closed cell only moves the column.
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().0, "table:table-cell" | "table:covered-table-cell") =>
            {
                let asked = repeated(&e, "table:number-columns-repeated")?;
                let n = asked.min(u64::from(MAX_COLUMNS).saturating_sub(col));
                let has_value = is_start
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                if has_value && n > 0 {
                    first_value.get_or_insert(col);
                    last_value = col + n - 1;
                }
                col += n;
                // Its formula and its text, copied into each column it repeats over.
                let formula = attribute_len(&e, "table:formula");
                let string = attribute_len(&e, "office:string-value");
                let own = OdsCell {
                    columns: n,
                    text: formula.saturating_add(string),
                };
                if is_start {
                    cell = Some(own);
                } else if own.text > 0 {
                    row_text = row_text.saturating_add(own.text.saturating_mul(n));
                    row_strings = row_strings.saturating_add(n);
                }
            }
            Event::End(e)
                if matches!(e.name().0, "table:table-cell" | "table:covered-table-cell") =>
            {
                if let Some(c) = cell.take().filter(|c| c.text > 0) {
                    row_text = row_text.saturating_add(c.text.saturating_mul(c.columns));
                    row_strings = row_strings.saturating_add(c.columns);
                }
            }
            // Inside a cell: its text, and what calamine turns into text (`<text:s/>` is
            // `text:c` spaces, a tab, a line break, a new paragraph).
            Event::Text(t) => add_text(&mut cell, t.len() as u64),
            Event::CData(t) => add_text(&mut cell, t.len() as u64),
            Event::GeneralRef(r) => add_text(&mut cell, r.len() as u64 + 2),
            Event::Start(e) | Event::Empty(e) if cell.is_some() => {
                let n = match e.name().0 {
                    "text:s" => repeated(&e, "text:c").unwrap_or(1),
                    _ => 1,
                };
                add_text(&mut cell, n);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // A table left open (the counting stopped, or the file ends early) counts too.
    total.cells = total.cells.saturating_add(grid.cells());
    Ok(total)
}

fn add_text(cell: &mut Option<OdsCell>, n: u64) {
    if let Some(c) = cell {
        c.text = c.text.saturating_add(n);
    }
}

/// The length of attribute `name` (0 when absent).
fn attribute_len(e: &BytesStart, name: &str) -> u64 {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a.value.len() as u64,
        _ => 0,
    }
}

/// A repeat attribute's value (1 when absent).
fn repeated(e: &BytesStart, name: &str) -> Result<u64, Message> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a.value.trim().parse().ok().ok_or_else(|| {
            errors::WORKBOOK_DAMAGED_CONTENT.with_msg("detail", errors::REPEAT_NOT_NUMBER.msg())
        }),
        Ok(None) => Ok(1),
        Err(e) => Err(errors::WORKBOOK_DAMAGED_CONTENT.with("detail", e)),
    }
}

/// The cells of every sheet grid of an `.xls` file (values and formulas), from the
/// positions in its cell records, and the text they hold.
pub(crate) fn xls_measure(content: &Content) -> Result<Expansion, Message> {
    let (magic, n) = content.magic::<8>().map_err(|e| io_reason(&e))?;
    let is_cfb = n == 8 && magic == CFB_MAGIC;
    if !is_cfb {
        // Not a compound file: calamine says so in its own words, before reading any more.
        return Ok(Expansion::default());
    }
    // calamine's own reader of the compound file is lenient, and a damaged one sent it to
    // reserve 43 TB: a structure that this stricter reader refuses is not given to it.
    let damaged = |e: std::io::Error| errors::XLS_DAMAGED.with("detail", e);
    let input = content.open().map_err(|e| io_reason(&e))?;
    let mut cfb = cfb::CompoundFile::open(input).map_err(damaged)?;
    let name = if cfb.exists("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let Ok(stream) = cfb.open_stream(name) else {
        // No workbook stream: calamine says so.
        return Ok(Expansion::default());
    };
    xls_stream(BufReader::new(stream)).map_err(damaged)
}

/// The first bytes of a compound file (an `.xls`).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn xls_stream(mut stream: impl Read) -> std::io::Result<Expansion> {
    let mut total = Expansion::default();
    let (mut values, mut formulas) = (Grid::default(), Grid::default());
    let mut data = vec![0u8; 0];
    // The shared-string table (SST) as it is read, its record and the CONTINUE records
    // after it; then the length of each of its strings.
    let mut sst: Option<Vec<Vec<u8>>> = None;
    let mut shared: Vec<u32> = Vec::new();
    // The end of the stream, or a truncated record (calamine reports that one); any other
    // failure to read is damage.
    let read = |stream: &mut dyn Read, buf: &mut [u8]| match stream.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    };
    while total.text <= MAX_LOADED_TEXT {
        let mut head = [0u8; 4];
        if !read(&mut stream, &mut head)? {
            break;
        }
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        data.resize(len, 0);
        if !read(&mut stream, &mut data)? {
            break;
        }
        if let Some(parts) = &mut sst {
            if kind == 0x003C {
                parts.push(data.clone());
                continue;
            }
            shared = sst_lengths(parts);
            sst = None;
        }
        let at = |i: usize| -> u64 {
            data.get(i..i + 2)
                .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match kind {
            // Number, BoolErr, RK: one cell at (row, col).
            0x0203 | 0x0205 | 0x027E if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
            }
            // Label, RString: one cell at (row, col), its text in the record.
            0x0204 | 0x00D6 if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
                // Characters of one byte may take two in UTF-8.
                total.text = total.text.saturating_add(2 * len as u64);
                total.strings += 1;
            }
            // LabelSst: one cell at (row, col), a copy of a shared string.
            0x00FD if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
                let index = data
                    .get(6..10)
                    .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                let string = shared.get(index as usize).copied().unwrap_or(0);
                total.text = total.text.saturating_add(u64::from(string));
                total.strings += 1;
            }
            // Formula: a value and a formula at (row, col); the STRING record after one
            // holds its text.
            0x0006 if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
                formulas.add(at(0), at(0), at(2), at(2));
                total.text = total.text.saturating_add(2 * len as u64);
            }
            0x0207 => total.text = total.text.saturating_add(2 * len as u64),
            // MulRk: a row, its first column, ..., its last column in the last two bytes.
            0x00BD if len >= 6 => {
                values.add(at(0), at(0), at(2), at(len - 2));
            }
            // Dimensions: calamine reserves room for the whole declared range up front (a
            // forged one asked for 43 TB and aborted the run).
            0x0200 => {
                total.cells = total.cells.saturating_add(declared_cells(&data));
            }
            // The end of a sheet (or of the workbook's globals).
            0x000A => {
                total.cells = total
                    .cells
                    .saturating_add(values.cells())
                    .saturating_add(formulas.cells());
                values = Grid::default();
                formulas = Grid::default();
            }
            0x00FC => sst = Some(vec![data.clone()]),
            _ => {}
        }
    }
    total.cells = total
        .cells
        .saturating_add(values.cells())
        .saturating_add(formulas.cells());
    Ok(total)
}

/// The UTF-8 length (an upper bound) of each string of an SST record (`parts`: its data,
/// then each CONTINUE record's), read as calamine reads them: a string's header (its
/// characters, its flags, its rich-text runs and extension), its characters of one or two
/// bytes, which may go on in the next CONTINUE record after a byte of flags, then its runs
/// and extension, skipped. Where calamine would fail, the lengths so far.
fn sst_lengths(parts: &[Vec<u8>]) -> Vec<u32> {
    let mut lengths = Vec::new();
    let Some((first, rest)) = parts.split_first() else {
        return lengths;
    };
    // Past cstTotal and cstUnique.
    let mut data: &[u8] = first.get(8..).unwrap_or_default();
    let mut next = rest.iter();
    let u16_at = |d: &[u8]| u64::from(u16::from_le_bytes([d[0], d[1]]));
    loop {
        if data.is_empty() {
            match next.next() {
                Some(part) => data = part,
                None => break,
            }
        }
        if data.len() < 3 {
            break;
        }
        let (chars, flags) = (u16_at(data), data[2]);
        data = &data[3..];
        let mut skip: u64 = 0;
        if flags & 0x8 != 0 {
            let Some(runs) = data.get(..2) else { break };
            skip += 4 * u16_at(runs);
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            let Some(ext) = data.get(..4) else { break };
            skip += i32::from_le_bytes([ext[0], ext[1], ext[2], ext[3]]) as usize as u64;
            data = &data[4..];
        }
        let mut high = flags & 0x1 != 0;
        let (mut left, mut bytes) = (chars, 0u64);
        loop {
            let width = if high { 2 } else { 1 };
            let take = left.min(data.len() as u64 / width);
            // UTF-16 units take up to 3 bytes in UTF-8; Latin-1 characters up to 2.
            bytes += take * if high { 3 } else { 2 };
            data = &data[(take * width) as usize..];
            left -= take;
            if left == 0 {
                break;
            }
            match next.next() {
                Some(part) if !part.is_empty() => {
                    high = part[0] & 0x1 != 0;
                    data = &part[1..];
                }
                _ => {
                    lengths.push(bytes as u32);
                    return lengths;
                }
            }
        }
        lengths.push(bytes as u32);
        while skip > 0 {
            if data.is_empty() {
                match next.next() {
                    Some(part) => data = part,
                    None => return lengths,
                }
            }
            let n = skip.min(data.len() as u64);
            data = &data[n as usize..];
            skip -= n;
        }
    }
    lengths
}

/// The cells of a DIMENSIONS record's range, read as calamine reads it (BIFF8: 32-bit
/// rows; older: 16-bit), with a range that ends before it starts counted as unbounded
/// (calamine's subtraction would wrap around to billions of rows).
fn declared_cells(data: &[u8]) -> u64 {
    let u16_at = |i: usize| u64::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes([
            data[i],
            data[i + 1],
            data[i + 2],
            data[i + 3],
        ]))
    };
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        // calamine refuses the record.
        _ => return 0,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return 1;
    }
    // The last row and column are one past the range.
    match (last_row - 1).checked_sub(first_row) {
        Some(rows) => (rows + 1).saturating_mul(last_col - first_col),
        None => u64::MAX,
    }
}

/// A shared-string table as measured: each string's length (an upper bound of its UTF-8),
/// in table order.
#[derive(Debug, Default)]
struct Shared {
    lengths: Vec<u32>,
    /// The longest.
    max: u64,
    /// Strings the table declares (calamine reserves room for them: `.xlsx`).
    declared: u64,
    nonempty: u64,
    bytes: u64,
}

impl Shared {
    fn push(&mut self, len: u64) {
        let len = len.min(u64::from(u32::MAX));
        self.lengths.push(len as u32);
        self.max = self.max.max(len);
        self.nonempty += u64::from(len > 0);
        self.bytes += len;
    }

    /// What calamine's loaded table takes: a `String` (24 bytes) per string, at least the
    /// count it declares, the allocator's share of each non-empty one, and the text.
    fn memory(&self) -> u64 {
        let items = (self.lengths.len() as u64).max(self.declared);
        items
            .saturating_mul(24)
            .saturating_add(self.nonempty * 32)
            .saturating_add(self.bytes)
    }

    /// Refuses a table that would take more than [`MAX_SHARED_MEMORY`].
    fn check(&self) -> Result<(), Message> {
        if self.memory() > MAX_SHARED_MEMORY {
            return Err(errors::WORKBOOK_SHARED_STRINGS
                .with("max", MAX_SHARED_MEMORY >> 20)
                .with("items", (self.lengths.len() as u64).max(self.declared)));
        }
        Ok(())
    }

    /// The length of the string a cell's value `v` uses: calamine reads an index it cannot
    /// parse as string 0, so such a cell counts as the longest.
    fn used(&self, v: &str) -> u64 {
        match v.parse::<u64>() {
            Ok(index) => self.len_of(index),
            Err(_) => self.max,
        }
    }

    fn len_of(&self, index: u64) -> u64 {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.lengths.get(i))
            .map_or(0, |&l| u64::from(l))
    }
}

/// The names of a zip's files.
fn names<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Result<Vec<String>, Message> {
    zip.file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| errors::WORKBOOK_DAMAGED.with("detail", e))
}

/// The file of `names` named `wanted`, ignoring case, as calamine finds it.
fn find<'a>(names: &'a [String], wanted: &str) -> Option<&'a str> {
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(wanted))
        .map(String::as_str)
}

fn damaged(e: impl std::fmt::Display) -> Message {
    errors::WORKBOOK_DAMAGED.with("detail", e)
}

/// The text an `.xlsx` workbook's cells would hold, as far as shared strings make it more
/// than the file's XML: each cell that uses a shared string counts its full length. Its
/// shared-string table is measured first (refused over [`MAX_SHARED_MEMORY`]). Then, from
/// the cheapest to the dearest, until one bound is under [`MAX_STREAMED_TEXT`]: every cell
/// the XML parts could hold (21 bytes at least each) using the longest string (nearly
/// every workbook: their strings are short); every `"s"` or `'s'` in them (a cell uses a
/// shared string by its attribute `t="s"`, which calamine reads as written) using the
/// longest string (a workbook of inline strings, as `patronal` writes its reports: a
/// byte search); every cell that uses one, walked, its own string's length. No part is
/// parsed before [`check_stretches`] has found it free of a value too long.
pub(crate) fn xlsx_measure<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<Expansion, Message> {
    let names = names(zip)?;
    let table = find(&names, "xl/sharedStrings.xml").or_else(|| {
        names
            .iter()
            .find(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
            .map(String::as_str)
    });
    let parts: Vec<&String> = names
        .iter()
        .filter(|n| Some(n.as_str()) != table && is_xml(n))
        .collect();
    let mut shared = Shared::default();
    if let Some(table) = table {
        check_stretches(zip, std::slice::from_ref(&table.to_owned()))?;
        shared = xlsx_shared(BufReader::new(zip.by_name(table).map_err(damaged)?))?;
    }
    // The shortest cell that uses a shared string: `<c t="s"><v>0</v></c>`.
    let mut xml: u64 = 0;
    for part in &parts {
        let size = zip.by_name(part).map_err(damaged)?.size();
        xml = xml.saturating_add(size);
    }
    let most = (xml / 21).saturating_mul(shared.max);
    let marks_needed = most > MAX_STREAMED_TEXT;
    let mut uses: u64 = 0;
    for part in &parts {
        let file = zip.by_name(part).map_err(damaged)?;
        if !marks_needed && file.size() <= MAX_ROW_TEXT {
            continue;
        }
        let scanned = scan(file).map_err(damaged)?;
        check_stretch(part, scanned.longest)?;
        uses = uses.saturating_add(scanned.marks);
    }
    let most = if marks_needed {
        uses.saturating_mul(shared.max)
    } else {
        most
    };
    if most <= MAX_STREAMED_TEXT {
        return Ok(Expansion {
            text: most,
            ..Expansion::default()
        });
    }
    let mut text: u64 = 0;
    for part in parts {
        let file = zip.by_name(part).map_err(damaged)?;
        text = xlsx_shared_uses(BufReader::new(file), &shared, text)?;
        if text > MAX_STREAMED_TEXT {
            break;
        }
    }
    Ok(Expansion {
        text,
        ..Expansion::default()
    })
}

/// A part that an XML parser reads (calamine's, or ours): its name ends in `.xml` or
/// `.rels`.
fn is_xml(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// Refuses a workbook whose XML parts (`names`, or every one) hold a stretch of more than
/// [`MAX_ROW_TEXT`] bytes without a `<`: one text or one tag that long, which an XML parser
/// holds whole, twice (a 312 KB `.xlsx` whose one cell is 300 MB took 929 MB before its row
/// was refused). Only a part larger than that can, so only those are read.
pub(crate) fn check_stretches<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    names: &[String],
) -> Result<(), Message> {
    for name in names {
        let file = zip.by_name(name).map_err(damaged)?;
        if file.size() > MAX_ROW_TEXT {
            check_stretch(name, scan(file).map_err(damaged)?.longest)?;
        }
    }
    Ok(())
}

/// [`check_stretches`] on every XML part of a workbook.
pub(crate) fn check_xml_stretches<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<(), Message> {
    let parts: Vec<String> = names(zip)?.into_iter().filter(|n| is_xml(n)).collect();
    check_stretches(zip, &parts)
}

fn check_stretch(part: &str, longest: u64) -> Result<(), Message> {
    if longest > MAX_ROW_TEXT {
        return Err(errors::IN_PART.with("part", part).with_msg(
            "reason",
            errors::WORKBOOK_LONG_VALUE.with("max", MAX_ROW_TEXT >> 20),
        ));
    }
    Ok(())
}

/// What [`scan`] finds in an XML part.
struct Scanned {
    /// `"s"` and `'s'`: at least one in every cell that uses a shared string.
    marks: u64,
    /// The longest stretch without a `<`.
    longest: u64,
}

/// Reads `xml` once, a block at a time: its marks of shared-string cells and its longest
/// stretch without a `<` (stopping once that is past [`MAX_ROW_TEXT`]).
fn scan(mut xml: impl Read) -> std::io::Result<Scanned> {
    let finders = [
        memchr::memmem::Finder::new(b"\"s\""),
        memchr::memmem::Finder::new(b"'s'"),
    ];
    let mut buf = vec![0u8; 1 << 16];
    // The last two bytes of the previous read: a mark may be cut between reads.
    let mut carry = 0;
    let mut found = Scanned {
        marks: 0,
        longest: 0,
    };
    // The stretch since the last `<`.
    let mut stretch: u64 = 0;
    loop {
        let n = match xml.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(found);
        }
        let end = carry + n;
        for finder in &finders {
            found.marks += finder.find_iter(&buf[..end]).count() as u64;
        }
        let fresh = &buf[carry..end];
        let mut last = 0;
        for at in memchr::memchr_iter(b'<', fresh) {
            stretch += (at - last) as u64;
            found.longest = found.longest.max(stretch);
            stretch = 0;
            last = at + 1;
        }
        stretch += (fresh.len() - last) as u64;
        found.longest = found.longest.max(stretch);
        if found.longest > MAX_ROW_TEXT {
            return Ok(found);
        }
        carry = end.min(2);
        buf.copy_within(end - carry..end, 0);
    }
}

/// Measures `xl/sharedStrings.xml`, stopping once it is past [`MAX_SHARED_MEMORY`].
fn xlsx_shared(xml: impl BufRead) -> Result<Shared, Message> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut shared = Shared::default();
    // The length of the string being read.
    let mut current: Option<u64> = None;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(damaged)?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                shared.declared = e
                    .try_get_attribute("uniqueCount")
                    .ok()
                    .flatten()
                    .and_then(|a| a.value.trim().parse().ok())
                    .unwrap_or(0);
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => current = Some(0),
            Event::Empty(e) if e.local_name().as_ref() == "si" => shared.push(0),
            Event::End(e) if e.local_name().as_ref() == "si" => {
                shared.push(current.take().unwrap_or(0));
            }
            // Text as written is never shorter than as read (`&amp;` is one byte).
            Event::Text(t) => add(&mut current, t.len()),
            Event::CData(t) => add(&mut current, t.len()),
            Event::GeneralRef(r) => add(&mut current, r.len() + 2),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
        shared.check()?;
    }
    shared.check()?;
    Ok(shared)
}

fn add(current: &mut Option<u64>, n: usize) {
    if let Some(c) = current {
        *c = c.saturating_add(n as u64);
    }
}

/// Adds to `text` the length of every shared string a cell of `xml` uses
/// (`<c t="s"><v>index</v></c>`), stopping once past [`MAX_STREAMED_TEXT`].
fn xlsx_shared_uses(xml: impl BufRead, shared: &Shared, mut text: u64) -> Result<u64, Message> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut uses_shared, mut in_value) = (false, false);
    loop {
        let event = reader.read_event_into(&mut buf).map_err(damaged)?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                uses_shared = e
                    .try_get_attribute("t")
                    .ok()
                    .flatten()
                    .is_some_and(|a| a.value == "s");
            }
            Event::Start(e) if e.local_name().as_ref() == "v" => in_value = uses_shared,
            Event::End(e) if matches!(e.local_name().as_ref(), "c" | "v") => {
                in_value = false;
            }
            // calamine reads an index it cannot parse as string 0: such a cell counts as
            // the longest string.
            Event::Text(t) if in_value => text = text.saturating_add(shared.used(&t)),
            Event::CData(t) if in_value => text = text.saturating_add(shared.used(&t)),
            Event::GeneralRef(_) if in_value => text = text.saturating_add(shared.max),
            Event::Eof => break,
            _ => {}
        }
        if text > MAX_STREAMED_TEXT {
            break;
        }
        buf.clear();
    }
    Ok(text)
}

/// The next record of an `.xlsb` part: its kind and its length, read into `head` as far as
/// it goes (the rest skipped), and how much of it `head` holds. `None` at the end of the
/// part, or where it is cut short (calamine reports that).
fn xlsb_record(r: &mut impl Read, head: &mut [u8]) -> std::io::Result<Option<(u16, u64, usize)>> {
    match read_record(r, head) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        other => other.map(Some),
    }
}

fn read_record(r: &mut impl Read, head: &mut [u8]) -> std::io::Result<(u16, u64, usize)> {
    let mut byte = [0u8; 1];
    let mut next = |r: &mut dyn Read| r.read_exact(&mut byte).map(|()| byte[0]);
    let first = next(r)?;
    let kind = if first & 0x80 != 0 {
        u16::from(first & 0x7F) | (u16::from(next(r)? & 0x7F) << 7)
    } else {
        u16::from(first)
    };
    let mut len: u64 = 0;
    for i in 0..4 {
        let b = next(r)?;
        len |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    let n = (head.len() as u64).min(len) as usize;
    r.read_exact(&mut head[..n])?;
    let rest = len - n as u64;
    if std::io::copy(&mut r.by_ref().take(rest), &mut std::io::sink())? < rest {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok((kind, len, n))
}

fn u32_at(b: &[u8], i: usize) -> u64 {
    u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]))
}

/// An `.xlsb` workbook, walked before calamine reads it: its shared strings (refused over
/// [`MAX_SHARED_MEMORY`]) and each sheet's records, for the text its cells would hold and
/// for damage calamine does not report: a row past Excel's last (calamine ends the sheet
/// there, silently: 3 of 9 records were checked), a cell record shorter than its kind
/// (calamine reads the bytes of the record before it: an ID became `0.000…0`), a shared
/// string that is not in the table (calamine panics).
pub(crate) fn xlsb_measure<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<Expansion, Message> {
    check_xml_stretches(zip)?;
    let names = names(zip)?;
    for part in ["xl/workbook.bin", "xl/styles.bin"] {
        if let Some(name) = find(&names, part) {
            let file = zip.by_name(name).map_err(damaged)?;
            xlsb_records(&mut BufReader::new(file))
                .map_err(damaged)?
                .map_err(|e| errors::IN_PART.with("part", name).with_msg("reason", e))?;
        }
    }
    let mut shared = Shared::default();
    if let Some(table) = find(&names, "xl/sharedStrings.bin") {
        let file = zip.by_name(table).map_err(damaged)?;
        shared = xlsb_shared(&mut BufReader::new(file))
            .map_err(damaged)?
            .map_err(|e| errors::IN_PART.with("part", table).with_msg("reason", e))?;
    }
    let mut sheets: Vec<String> = Vec::new();
    if let Some(rels) = find(&names, "xl/_rels/workbook.bin.rels") {
        let file = zip.by_name(rels).map_err(damaged)?;
        for target in worksheet_targets(BufReader::new(file))? {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            if let Some(name) = find(&names, &path) {
                sheets.push(name.to_owned());
            }
        }
    }
    for name in &names {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("xl/worksheets/")
            && lower.ends_with(".bin")
            && !sheets.iter().any(|s| s == name)
        {
            sheets.push(name.clone());
        }
    }
    let mut text: u64 = 0;
    for sheet in sheets {
        let file = zip.by_name(&sheet).map_err(damaged)?;
        text = xlsb_sheet(&mut BufReader::new(file), &shared, text)
            .map_err(damaged)?
            .map_err(|e| errors::IN_PART.with("part", &sheet).with_msg("reason", e))?;
        if text > MAX_STREAMED_TEXT {
            break;
        }
    }
    Ok(Expansion {
        text,
        ..Expansion::default()
    })
}

/// Measures `xl/sharedStrings.bin` as calamine reads it: the strings its first record
/// (BrtBeginSst) declares, each a BrtSSTItem (flags, then a length in UTF-16 units).
fn xlsb_shared(r: &mut impl Read) -> std::io::Result<Result<Shared, Message>> {
    let mut shared = Shared::default();
    let mut declared: Option<u64> = None;
    let mut head = [0u8; 8];
    while let Some((kind, len, n)) = xlsb_record(r, &mut head)? {
        if len > MAX_ROW_TEXT {
            return Ok(Err(long_record()));
        }
        match kind {
            0x009F if n == 8 => declared = Some(u32_at(&head, 4)),
            0x0013 if declared.is_some_and(|d| (shared.lengths.len() as u64) < d) => {
                // Flags, then the length in UTF-16 units: at most 3 bytes each in UTF-8,
                // and no more units than the record holds.
                let units = if n >= 5 { u32_at(&head, 1) } else { 0 };
                shared.push(units.min(len.saturating_sub(5) / 2) * 3);
                if let Err(e) = shared.check() {
                    return Ok(Err(e));
                }
                // calamine reads no more than the table declares.
                if declared.is_some_and(|d| shared.lengths.len() as u64 >= d) {
                    break;
                }
            }
            _ => {}
        }
    }
    Ok(Ok(shared))
}

/// The targets of the worksheets a workbook's relationships (`xl/_rels/workbook.bin.rels`)
/// name.
fn worksheet_targets(xml: impl BufRead) -> Result<Vec<String>, Message> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut targets = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(damaged)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let attr = |name| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                };
                if attr("Type").is_some_and(|t| t.ends_with("/worksheet")) {
                    targets.extend(attr("Target"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(targets)
}

/// The fewest bytes a cell record of kind `kind` needs for what calamine reads of it (its
/// column, its style, its value), or `None` for a record that is not a cell calamine reads.
fn cell_record_min(kind: u16) -> Option<u64> {
    Some(match kind {
        // BrtCellRk
        0x0002 => 12,
        // BrtCellError, BrtCellBool, BrtFmlaBool
        0x0003 | 0x0004 | 0x000A => 9,
        // BrtCellReal, BrtFmlaNum
        0x0005 | 0x0009 => 16,
        // BrtCellSt, BrtCellIsst, BrtFmlaString (the strings: then their UTF-16 units)
        0x0006..=0x0008 => 12,
        _ => return None,
    })
}

/// Walks a sheet's records from BrtBeginSheetData to BrtEndSheetData: adds to `text` what
/// its string cells hold; refuses a row past Excel's last, a cell record too short for its
/// kind, a shared string not in the table.
fn xlsb_sheet(
    r: &mut impl Read,
    shared: &Shared,
    mut text: u64,
) -> std::io::Result<Result<u64, Message>> {
    let mut in_data = false;
    // The 0-based row of the last row header.
    let mut row: u64 = 0;
    let mut head = [0u8; 12];
    while let Some((kind, len, n)) = xlsb_record(r, &mut head)? {
        // calamine reads a record whole.
        if len > MAX_ROW_TEXT {
            return Ok(Err(long_record()));
        }
        if !in_data {
            in_data = kind == 0x0091;
            continue;
        }
        match kind {
            // BrtEndSheetData: calamine stops here.
            0x0092 => break,
            // BrtRowHdr
            0x0000 => {
                if n < 4 {
                    return Ok(Err(short_record(row, len, 4)));
                }
                row = u32_at(&head, 0);
                if row >= MAX_ROWS {
                    return Ok(Err(errors::WORKBOOK_BEYOND_LAST_ROW
                        .with("row", row + 1)
                        .with("max", MAX_ROWS)));
                }
            }
            _ => {
                let Some(min) = cell_record_min(kind) else {
                    continue;
                };
                if len < min {
                    return Ok(Err(short_record(row, len, min)));
                }
                match kind {
                    0x0006 | 0x0008 => {
                        let units = u32_at(&head, 8);
                        if len < 12 + 2 * units {
                            return Ok(Err(short_record(row, len, 12 + 2 * units)));
                        }
                        text = text.saturating_add(3 * units);
                    }
                    0x0007 => {
                        let index = u32_at(&head, 8);
                        if index >= shared.lengths.len() as u64 {
                            return Ok(Err(errors::XLSB_SHARED_INDEX
                                .with("row", row + 1)
                                .with("index", index)
                                .with("count", shared.lengths.len())));
                        }
                        text = text.saturating_add(shared.len_of(index));
                    }
                    _ => {}
                }
                if text > MAX_STREAMED_TEXT {
                    break;
                }
            }
        }
    }
    Ok(Ok(text))
}

fn long_record() -> Message {
    errors::WORKBOOK_LONG_VALUE.with("max", MAX_ROW_TEXT >> 20)
}

/// Walks the records of an `.xlsb` part that calamine reads whole (the workbook, the
/// styles): refuses one longer than [`MAX_ROW_TEXT`].
fn xlsb_records(r: &mut impl Read) -> std::io::Result<Result<(), Message>> {
    let mut head = [0u8; 0];
    while let Some((_, len, _)) = xlsb_record(r, &mut head)? {
        if len > MAX_ROW_TEXT {
            return Ok(Err(long_record()));
        }
    }
    Ok(Ok(()))
}

fn short_record(row: u64, len: u64, min: u64) -> Message {
    errors::XLSB_SHORT_RECORD
        .with("row", row + 1)
        .with("len", len)
        .with("min", min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ods(body: &str) -> u64 {
        let xml = format!(
            r#"<office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        );
        ods_content(xml.as_bytes()).unwrap().cells
    }

    #[test]
    fn ods_grids_follow_repeats() {
        let cell =
            r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        // Two rows of two cells.
        let body = format!(
            "<table:table><table:table-row>{cell}{cell}</table:table-row><table:table-row>{cell}{cell}</table:table-row></table:table>"
        );
        assert_eq!(ods(&body), 4);
        // Trailing empty cells and rows, as LibreOffice writes them, add nothing.
        let body = format!(
            r#"<table:table><table:table-row>{cell}<table:table-cell table:number-columns-repeated="1023"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#
        );
        assert_eq!(ods(&body), 1);
        // A value repeated across every column of 3,000 rows: the whole grid.
        let body = r#"<table:table><table:table-row table:number-rows-repeated="3000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert_eq!(ods(body), 3000 * 16384);
        // Columns are capped at Excel's last, as calamine caps them.
        let body = r#"<table:table><table:table-row><table:table-cell table:number-columns-repeated="99999999" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert_eq!(ods(body), 16384);
        // An empty gap between two values is part of the grid; sheets add up.
        let body = format!(
            r#"<table:table><table:table-row>{cell}</table:table-row><table:table-row table:number-rows-repeated="98"><table:table-cell/></table:table-row><table:table-row>{cell}</table:table-row></table:table><table:table><table:table-row>{cell}</table:table-row></table:table>"#
        );
        assert_eq!(ods(&body), 101);
    }

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn at(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        d
    }

    #[test]
    fn xls_grids_are_bounding_boxes() {
        let mut s = Vec::new();
        s.extend(record(0x0809, &[0; 16]));
        s.extend(record(0x000A, &[]));
        // A sheet with A1 and IV65536.
        s.extend(record(0x0809, &[0; 16]));
        s.extend(record(0x0203, &at(0, 0)));
        s.extend(record(0x0203, &at(65535, 255)));
        s.extend(record(0x000A, &[]));
        // A sheet with one formula at C3, and a MulRk over B2:F2.
        s.extend(record(0x0809, &[0; 16]));
        s.extend(record(0x0006, &at(2, 2)));
        let mut mulrk = vec![1, 0, 1, 0];
        mulrk.extend_from_slice(&[0; 6 * 5]);
        mulrk.extend_from_slice(&5u16.to_le_bytes());
        s.extend(record(0x00BD, &mulrk));
        s.extend(record(0x000A, &[]));
        // values: B2:F3 = 2 × 5; formulas: 1.
        assert_eq!(xls_stream(&s[..]).unwrap().cells, 65536 * 256 + 10 + 1);
    }

    #[test]
    fn xls_declared_dimensions_count() {
        let dims = |first: u32, last: u32, cf: u16, cl: u16| {
            let mut d = first.to_le_bytes().to_vec();
            d.extend_from_slice(&last.to_le_bytes());
            d.extend_from_slice(&cf.to_le_bytes());
            d.extend_from_slice(&cl.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            record(0x0200, &d)
        };
        // A1:D100, as Excel writes it for 100 rows of 4 columns.
        assert_eq!(xls_stream(&dims(0, 100, 0, 4)[..]).unwrap().cells, 400);
        // A forged range of billions of rows.
        let forged = xls_stream(&dims(0, u32::MAX, 0, 255)[..]).unwrap().cells;
        assert!(forged > MAX_LOADED_CELLS, "{forged}");
        // A range that ends before it starts.
        assert_eq!(xls_stream(&dims(9, 5, 0, 4)[..]).unwrap().cells, u64::MAX);
    }
    #[test]
    fn shared_strings_are_measured_as_calamine_loads_them() {
        let sst = r#"<sst uniqueCount="3"><si><t>ab</t></si><si/><si><r><t>c</t></r><r><t xml:space="preserve">d&amp;</t></r></si></sst>"#;
        let shared = xlsx_shared(sst.as_bytes()).unwrap();
        assert_eq!(shared.lengths, [2, 0, 2 + 5]);
        assert_eq!((shared.max, shared.declared, shared.nonempty), (7, 3, 2));
        // A count that lies is what calamine reserves.
        let sst = r#"<sst uniqueCount="99999999999"><si><t>x</t></si></sst>"#;
        assert!(xlsx_shared(sst.as_bytes()).is_err());
        // Each cell that uses a string counts its length; an index calamine cannot read is
        // string 0 to it, the longest here.
        let sheet = r#"<row><c r="A1" t="s"><v>0</v></c><c t='s'><v>2</v></c><c t="n"><v>2</v></c><c t="s"><v>x</v></c></row>"#;
        assert_eq!(
            xlsx_shared_uses(sheet.as_bytes(), &shared, 0).unwrap(),
            2 + 7 + 7
        );
    }

    /// A reader that hands out at most `step` bytes a call.
    struct Slow<'a>(&'a [u8], usize);

    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn marks_and_stretches_are_found_across_reads() {
        let xml = br#"<c t="s"><v>0</v></c><c t = 's'/><c t="str"/>"s"12345678"#;
        for step in 1..=xml.len() {
            let found = scan(Slow(xml, step)).unwrap();
            assert_eq!((found.marks, found.longest), (3, 22), "step {step}");
        }
    }
}
