//! What an `.xls` or `.ods` workbook would take in memory, measured before it is loaded.
//!
//! calamine reads these two formats whole, every sheet at once, as dense grids: each sheet
//! becomes the rectangle from its first to its last non-empty cell, one value per place.
//! A few bytes can ask for a huge grid: an 848-byte `.ods` whose cell repeats across 16,384
//! columns and 3,000 rows (`number-columns-repeated`, `number-rows-repeated`) took 7.5 GB; a
//! 5.6 KB `.xls` with one cell at `IV65536` on six sheets took 3.6 GB. So the grid is
//! measured first, from the file's own structure (the `.ods` XML streamed, the `.xls`
//! record headers), with the bounds calamine applies, and a workbook over
//! [`MAX_LOADED_CELLS`] is refused. `.xlsx` and `.xlsb` are streamed and need no such limit.

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::content::Content;
use super::excel::MAX_COLUMNS;
use crate::i18n::{Message, errors, io_reason};

/// Cells of the grids a loaded workbook may hold: 4,194,304, e.g. 200,000 rows of 20
/// columns. calamine keeps about 112 bytes a cell while it builds them (a value and a
/// formula, each copied once), so this bounds the load near 450 MB.
pub(crate) const MAX_LOADED_CELLS: u64 = 1 << 22;

/// Rows of a sheet, as calamine caps them.
const MAX_ROWS: u64 = 1_048_576;

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

/// The cells of every sheet grid of an `.ods` file, from `content.xml`.
pub(crate) fn ods_cells(content: &Content) -> Result<u64, Message> {
    let input = content.open().map_err(|e| io_reason(&e))?;
    let mut zip =
        zip::ZipArchive::new(input).map_err(|e| errors::WORKBOOK_NOT_ZIP.with("detail", e))?;
    let content = match zip.by_name("content.xml") {
        Ok(content) => content,
        // calamine says what is missing.
        Err(_) => return Ok(0),
    };
    ods_content_cells(BufReader::new(content))
}

fn ods_content_cells(content: impl std::io::BufRead) -> Result<u64, Message> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    let mut grid = Grid::default();
    // The row being read: its first place, its repeat, and its columns so far.
    let mut row: u64 = 0;
    let mut repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut first_value: Option<u64> = None;
    let mut last_value: u64 = 0;
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
                total = total.saturating_add(grid.cells());
                grid = Grid::default();
            }
            Event::Start(e) if e.name().0 == "table:table-row" => {
                let asked = repeated(&e, "table:number-rows-repeated")?;
                repeat = asked.min(MAX_ROWS.saturating_sub(row));
                col = 0;
                first_value = None;
            }
            Event::End(e) if e.name().0 == "table:table-row" => {
                if let Some(first) = first_value {
                    grid.add(row, row + repeat.max(1) - 1, first, last_value);
                }
                row += repeat;
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
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(total)
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
/// positions in its cell records.
pub(crate) fn xls_cells(content: &Content) -> Result<u64, Message> {
    let (magic, n) = content.magic::<8>().map_err(|e| io_reason(&e))?;
    let is_cfb = n == 8 && magic == CFB_MAGIC;
    if !is_cfb {
        // Not a compound file: calamine says so in its own words, before reading any more.
        return Ok(0);
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
        return Ok(0);
    };
    xls_stream_cells(BufReader::new(stream)).map_err(damaged)
}

/// The first bytes of a compound file (an `.xls`).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn xls_stream_cells(mut stream: impl Read) -> std::io::Result<u64> {
    let mut total: u64 = 0;
    let (mut values, mut formulas) = (Grid::default(), Grid::default());
    let mut data = vec![0u8; 0];
    // The end of the stream, or a truncated record (calamine reports that one); any other
    // failure to read is damage.
    let read = |stream: &mut dyn Read, buf: &mut [u8]| match stream.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    };
    loop {
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
        let at = |i: usize| -> u64 {
            data.get(i..i + 2)
                .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match kind {
            // Number, Label, RString, BoolErr, RK, LabelSst: one cell at (row, col).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
            }
            // Formula: a value and a formula at (row, col).
            0x0006 if len >= 4 => {
                values.add(at(0), at(0), at(2), at(2));
                formulas.add(at(0), at(0), at(2), at(2));
            }
            // MulRk: a row, its first column, ..., its last column in the last two bytes.
            0x00BD if len >= 6 => {
                values.add(at(0), at(0), at(2), at(len - 2));
            }
            // Dimensions: calamine reserves room for the whole declared range up front (a
            // forged one asked for 43 TB and aborted the run).
            0x0200 => {
                total = total.saturating_add(declared_cells(&data));
            }
            // The end of a sheet (or of the workbook's globals).
            0x000A => {
                total = total
                    .saturating_add(values.cells())
                    .saturating_add(formulas.cells());
                values = Grid::default();
                formulas = Grid::default();
            }
            _ => {}
        }
    }
    Ok(total
        .saturating_add(values.cells())
        .saturating_add(formulas.cells()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ods(body: &str) -> u64 {
        let xml = format!(
            r#"<office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        );
        ods_content_cells(xml.as_bytes()).unwrap()
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
        assert_eq!(xls_stream_cells(&s[..]).unwrap(), 65536 * 256 + 10 + 1);
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
        assert_eq!(xls_stream_cells(&dims(0, 100, 0, 4)[..]).unwrap(), 400);
        // A forged range of billions of rows.
        let forged = xls_stream_cells(&dims(0, u32::MAX, 0, 255)[..]).unwrap();
        assert!(forged > MAX_LOADED_CELLS, "{forged}");
        // A range that ends before it starts.
        assert_eq!(xls_stream_cells(&dims(9, 5, 0, 4)[..]).unwrap(), u64::MAX);
    }
}
