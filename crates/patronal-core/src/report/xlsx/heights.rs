//! The heights of the records sheets' rows, kept out of the workbook library.
//!
//! A row whose messages wrap is given its height (its lines × 15 points: spreadsheets do not
//! grow a row by themselves). rust_xlsxwriter keeps every row given a height in its row
//! table for the whole run, constant-memory mode included, at about 500 bytes a row: a
//! workbook report of 1,000,000 records peaked at 235 MB, 683 MB when every record was
//! flagged. Here a row's height takes one byte; the workbook is saved into a temporary file
//! (compressed fast), then copied into the report with each records sheet's rows given
//! their height in its XML, exactly as rust_xlsxwriter writes it (`<row r="7" ht="30"
//! customHeight="1">`); every other part is copied as it is. The browser has no temporary
//! files: there the library keeps the heights (its sheets are in memory anyway).

use std::io::{self, Read, Seek, Write};

use zip::write::SimpleFileOptions;

/// Per records sheet (the first is 1), the lines of each of its rows (0 or 1: the default
/// height).
#[derive(Debug, Default)]
pub(super) struct Heights {
    sheets: Vec<Vec<u8>>,
}

impl Heights {
    /// Row `row` of records sheet `sheet` is `lines` lines high.
    pub(super) fn set(&mut self, sheet: usize, row: u32, lines: u8) {
        if self.sheets.len() < sheet {
            self.sheets.resize_with(sheet, Vec::new);
        }
        let rows = &mut self.sheets[sheet - 1];
        let row = row as usize;
        if rows.len() <= row {
            rows.resize(row + 1, 0);
        }
        rows[row] = lines;
    }

    /// No row was given a height.
    pub(super) fn is_empty(&self) -> bool {
        self.sheets.iter().all(|rows| rows.iter().all(|&l| l <= 1))
    }

    /// The rows of the records sheet saved as `name`, if it is one with heights: records
    /// sheet `n` is the workbook's sheet `n + 1` (the Summary is the first).
    fn of_part(&self, name: &str) -> Option<&[u8]> {
        let n: usize = name
            .strip_prefix("xl/worksheets/sheet")?
            .strip_suffix(".xml")?
            .parse()
            .ok()?;
        self.sheets.get(n.checked_sub(2)?).map(Vec::as_slice)
    }
}

/// The height attributes of a row `lines` lines high, as rust_xlsxwriter writes those of
/// `set_row_height(row, 15.0 * lines)`: the height in pixels (4/3 of a point, rounded),
/// then back in points.
fn attributes(lines: u8) -> String {
    let pixels = (15.0 * f64::from(lines) * 4.0 / 3.0).round() as u32;
    let points = f64::from(pixels) * 0.75;
    format!(r#" ht="{points}" customHeight="1""#)
}

/// Copies the workbook `saved` (a zip) into `out`, its records sheets' rows given their
/// heights.
pub(super) fn apply(saved: impl Read + Seek, out: impl Write, heights: &Heights) -> io::Result<()> {
    let zip_error = io::Error::other;
    let mut saved = zip::ZipArchive::new(saved).map_err(zip_error)?;
    let mut out = zip::ZipWriter::new_stream(out);
    // As rust_xlsxwriter writes its parts.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .last_modified_time(zip::DateTime::default());
    for i in 0..saved.len() {
        let part = saved.by_index(i).map_err(zip_error)?;
        let name = part.name().map_err(zip_error)?.into_owned();
        match heights.of_part(&name) {
            Some(rows) => {
                out.start_file(name, options).map_err(zip_error)?;
                add_heights(part, &mut out, rows)?;
            }
            None => out.raw_copy_file(part).map_err(zip_error)?,
        }
    }
    out.finish().map_err(zip_error)?.flush()
}

/// Copies a sheet's XML from `input` to `out`, adding the height attributes to each row
/// start tag (`<row r="N"`) whose row has more than one line. rust_xlsxwriter writes the
/// last row of a constant-memory sheet twice when it was given a height (its row table
/// still holds the row when the sheet is closed: the second time as an empty `<row .../>`
/// with the height); that is kept too, before `</sheetData>`, so that the reports stay
/// byte for byte what they were.
fn add_heights(mut input: impl Read, out: &mut impl Write, rows: &[u8]) -> io::Result<()> {
    const ROW: &[u8] = b"<row r=\"";
    const END: &[u8] = b"</sheetData>";
    let rows_at = memchr::memmem::Finder::new(ROW);
    let end_at = memchr::memmem::Finder::new(END);
    let lines_of = |row: usize| rows.get(row.wrapping_sub(1)).copied().unwrap_or(0);
    // The last row tag seen, and whether the sheet's end is past.
    let (mut last, mut ended) = (0, false);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let at_end = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        // `buf[..written]` is out; `buf[from..]` is still to be searched.
        let (mut written, mut from) = (0, 0);
        let keep = loop {
            let row = rows_at.find(&buf[from..]).map(|k| from + k);
            let end = if ended {
                None
            } else {
                end_at.find(&buf[from..]).map(|k| from + k)
            };
            match (row, end) {
                (Some(r), e) if e.is_none_or(|e| r < e) => {
                    let number = r + ROW.len();
                    let Some(q) = memchr::memchr(b'"', &buf[number..]) else {
                        // The row's number goes on in the next read.
                        break if at_end { buf.len() } else { r };
                    };
                    let after = number + q + 1;
                    out.write_all(&buf[written..after])?;
                    written = after;
                    last = std::str::from_utf8(&buf[number..number + q])
                        .ok()
                        .and_then(|r| r.parse::<usize>().ok())
                        .unwrap_or(0);
                    let lines = lines_of(last);
                    if lines > 1 {
                        out.write_all(attributes(lines).as_bytes())?;
                    }
                    from = after;
                }
                (_, Some(e)) => {
                    out.write_all(&buf[written..e])?;
                    written = e;
                    let lines = lines_of(last);
                    if lines > 1 {
                        let row = format!(r#"<row r="{last}"{}/>"#, attributes(lines));
                        out.write_all(row.as_bytes())?;
                    }
                    ended = true;
                    from = e + END.len();
                }
                // A tag may begin in the last bytes and end in the next read.
                _ if at_end => break buf.len(),
                _ => break buf.len().saturating_sub(END.len() - 1).max(written),
            }
        };
        out.write_all(&buf[written..keep])?;
        buf.drain(..keep);
        if at_end {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes a call.
    struct Slow<'a>(&'a [u8], usize);

    impl Read for Slow<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn heights_are_written_as_the_library_writes_them() {
        assert_eq!(attributes(2), r#" ht="30" customHeight="1""#);
        assert_eq!(attributes(20), r#" ht="300" customHeight="1""#);
        let xml = r#"<sheetData><row r="1" ht="30" customHeight="1"><c r="A1"/></row><row r="2"><c r="A2" t="inlineStr"><is><t>&lt;row r="3"</t></is></c></row><row r="3"><c r="A3"/></row><row r="10"/><row r="11"><c/></row></sheetData><autoFilter ref="A1:Q61"/>"#;
        let expected = r#"<sheetData><row r="1" ht="30" customHeight="1"><c r="A1"/></row><row r="2" ht="45" customHeight="1"><c r="A2" t="inlineStr"><is><t>&lt;row r="3"</t></is></c></row><row r="3"><c r="A3"/></row><row r="10" ht="300" customHeight="1"/><row r="11" ht="30" customHeight="1"><c/></row><row r="11" ht="30" customHeight="1"/></sheetData><autoFilter ref="A1:Q61"/>"#;
        let mut rows = vec![0u8; 11];
        rows[1] = 3;
        rows[2] = 1;
        rows[9] = 20;
        rows[10] = 2;
        // Every split of the XML between reads.
        for step in 1..=xml.len() {
            let mut out = Vec::new();
            add_heights(Slow(xml.as_bytes(), step), &mut out, &rows).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "step {step}");
        }
    }

    #[test]
    fn records_sheets_are_found_by_their_part() {
        let mut h = Heights::default();
        assert!(h.is_empty());
        h.set(2, 5, 1);
        assert!(h.is_empty());
        h.set(2, 7, 3);
        assert!(!h.is_empty());
        assert_eq!(h.of_part("xl/worksheets/sheet2.xml"), Some(&[][..]));
        assert_eq!(h.of_part("xl/worksheets/sheet3.xml").map(|r| r[7]), Some(3));
        assert_eq!(h.of_part("xl/worksheets/sheet1.xml"), None);
        assert_eq!(h.of_part("xl/worksheets/sheet4.xml"), None);
        assert_eq!(h.of_part("xl/styles.xml"), None);
    }
}
