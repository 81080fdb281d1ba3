//! Entry points for the fuzz targets (`fuzz/`): workbooks built around fuzzed parts, so
//! that arbitrary bytes reach the shared strings and the text of cells (random bytes are
//! rarely a zip, let alone a workbook), then read as `check` reads a roster. Not an API.

use std::io::{Cursor, Write};
use std::path::Path;

use super::{Cells, ReadOptions, open_bytes};

/// Splits fuzzed bytes at their first 0xFF (a byte no UTF-8 text has) into two parts.
fn halves(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// A zip of `parts` (name, bytes), deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        // Writing into memory does not fail.
        let _ = zip.start_file(*name, options);
        let _ = zip.write_all(bytes);
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// Opens `bytes` as a roster named `name` and reads every row of every table.
fn read(name: &str, bytes: Vec<u8>) {
    let Ok(readers) = open_bytes(Path::new(name), bytes, &ReadOptions::default()) else {
        return;
    };
    for mut reader in readers {
        let mut record = Cells::new();
        while let Ok(Some(_)) = reader.read(&mut record) {}
    }
}

/// An `.xlsx` whose shared-string table holds the first half of `data` (inside `<sst>`)
/// and whose sheet holds the second (inside `<sheetData>`), read as a roster.
pub fn xlsx_shared_strings(data: &[u8]) {
    let (sst, sheet) = halves(data);
    let mut sst_xml = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.to_vec();
    sst_xml.extend_from_slice(sst);
    sst_xml.extend_from_slice(b"</sst>");
    let mut sheet_xml = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.to_vec();
    sheet_xml.extend_from_slice(sheet);
    sheet_xml.extend_from_slice(b"</sheetData></worksheet>");
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    read(
        "fuzz.xlsx",
        zip_of(&[
            ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", book_rels),
            ("xl/worksheets/sheet1.xml", &sheet_xml),
            ("xl/sharedStrings.xml", &sst_xml),
        ]),
    );
}

/// An `.xlsb` whose shared-string table holds the records of the first half of `data` and
/// whose sheet (from BrtBeginSheetData) the second, read as a roster.
pub fn xlsb_shared_strings(data: &[u8]) {
    let (sst, sheet) = halves(data);
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    // BrtBundleSh (visible, tab 1, "rId1", "Hoja1"), BrtEndBundleShs, BrtEndBook.
    let mut workbook = vec![0x9C, 0x01, 34, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0];
    workbook.extend("rId1".encode_utf16().flat_map(u16::to_le_bytes));
    workbook.extend_from_slice(&[5, 0, 0, 0]);
    workbook.extend("Hoja1".encode_utf16().flat_map(u16::to_le_bytes));
    workbook.extend_from_slice(&[0x90, 0x01, 0, 0x84, 0x01, 0]);
    // BrtBeginSheet, BrtWsDim, BrtBeginSheetData, the fuzzed records, BrtEndSheetData.
    let mut sheet_bin = vec![0x81, 0x01, 0, 0x94, 0x01, 16];
    sheet_bin.extend_from_slice(&[0; 16]);
    sheet_bin.extend_from_slice(&[0x91, 0x01, 0]);
    sheet_bin.extend_from_slice(sheet);
    sheet_bin.extend_from_slice(&[0x92, 0x01, 0]);
    read(
        "fuzz.xlsb",
        zip_of(&[
            ("xl/_rels/workbook.bin.rels", rels),
            ("xl/workbook.bin", &workbook),
            ("xl/worksheets/sheet1.bin", &sheet_bin),
            ("xl/sharedStrings.bin", sst),
        ]),
    );
}

/// An `.ods` whose spreadsheet body (tables, rows, cells, their text and repeats) is
/// `data`, read as a roster.
pub fn ods_text(data: &[u8]) {
    let mut content = br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#.to_vec();
    content.extend_from_slice(data);
    content.extend_from_slice(b"</office:spreadsheet></office:body></office:document-content>");
    read(
        "fuzz.ods",
        zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", &content),
        ]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_workbooks_are_read() {
        // A header and a record through each: nothing here may panic.
        xlsx_shared_strings(
            b"<si><t>C\xc3\xa9dula</t></si><si><t>RUC</t></si>\xff<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>",
        );
        xlsb_shared_strings(b"\x9f\x01\x08\x01\x00\x00\x00\x01\x00\x00\x00\x13\x05\x00\x00\x00\x00\x00\xff\x00\x04\x00\x00\x00\x00");
        ods_text(
            b"<table:table><table:table-row><table:table-cell office:value-type=\"string\"><text:p>a<text:s text:c=\"3\"/>b</text:p></table:table-cell></table:table-row></table:table>",
        );
    }
}
