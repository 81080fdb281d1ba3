//! The third robustness pass: small files that expand (shared strings, repeated text, a
//! sparse index), a previous report that does, and rows or bytes a reader got wrong. Each
//! bomb has its generator here; every run is under the harness's `ulimit -v` of 512 MB
//! ([`Workdir::run`]), and each case exhausted memory, aborted or misread before its fix.

use std::io::Write;
use std::path::Path;

use crate::util::{Workdir, column_name, describe, jsonl, zip_parts};

/// A roster's header and two records, as cells.
const HEADER: [&str; 4] = ["Nombre", "Cédula", "RUC", "Notas"];
const RECORDS: [[&str; 3]; 2] = [
    ["Ana Pérez", "1710034065", "1710034065001"],
    ["Luis Mora", "0926687856", "0926687856001"],
];

/// An inline-string cell of an `.xlsx` sheet.
fn inline(r: u32, c: u32, text: &str) -> String {
    format!(
        r#"<c r="{}{}" t="inlineStr"><is><t>{text}</t></is></c>"#,
        column_name(c),
        r + 1
    )
}

/// A cell of an `.xlsx` sheet that uses shared string `index`.
fn shared(r: u32, c: u32, index: usize) -> String {
    format!(
        r#"<c r="{}{}" t="s"><v>{index}</v></c>"#,
        column_name(c),
        r + 1
    )
}

/// The header row, then `rows` records whose notes (column D) use shared string 0.
fn rows_using_shared_string(rows: u32) -> String {
    let mut data = String::from(r#"<row r="1">"#);
    for (c, h) in HEADER.iter().enumerate() {
        data.push_str(&inline(0, c as u32, h));
    }
    data.push_str("</row>");
    for r in 1..=rows {
        let [name, id, ruc] = RECORDS[r as usize % 2];
        data.push_str(&format!(r#"<row r="{}">"#, r + 1));
        data.push_str(&inline(r, 0, name));
        data.push_str(&inline(r, 1, id));
        data.push_str(&inline(r, 2, ruc));
        data.push_str(&shared(r, 3, 0));
        data.push_str("</row>");
    }
    data
}

/// An `.xlsx` with one sheet (`sheet_data` inside `<sheetData>`) and a shared-string table
/// whose `<sst>` element holds `sst` (its attributes and items).
fn xlsx_with_shared(path: &Path, sheet_data: &str, sst: &str) {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {sst}</sst>"#
    );
    zip_parts(
        path,
        &[
            ("[Content_Types].xml", types.as_bytes()),
            ("_rels/.rels", rels.as_bytes()),
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ("xl/sharedStrings.xml", sst.as_bytes()),
        ],
    );
}

/// Runs `check FILE -o r.jsonl` and expects exit 2 with one line naming `file` and saying
/// `reason`, and no report.
fn refused(wd: &Workdir, file: &str, reason: &str) {
    let out = wd.expect(&["check", file, "-o", "r.jsonl"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(file) && err.contains(reason), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!wd.join("r.jsonl").exists());
}

fn size(wd: &Workdir, file: &str) -> u64 {
    std::fs::metadata(wd.join(file)).unwrap().len()
}

/// 20 million empty shared strings (about 200 KB zipped): calamine loads every one before
/// the first cell (a `String` each: 480 MB, and twice that while its vector grows).
#[test]
fn xlsx_shared_strings_by_the_million_are_refused() {
    let wd = Workdir::new();
    let items = "<si/>".repeat(20_000_000);
    xlsx_with_shared(
        &wd.join("empty.xlsx"),
        &rows_using_shared_string(2),
        &format!(">{items}"),
    );
    assert!(size(&wd, "empty.xlsx") < 1 << 20);
    refused(&wd, "empty.xlsx", "shared strings");

    // A count that lies: calamine reserves room for it before reading any string.
    xlsx_with_shared(
        &wd.join("count.xlsx"),
        &rows_using_shared_string(2),
        r#"uniqueCount="4000000000"><si><t>x</t></si>"#,
    );
    refused(&wd, "count.xlsx", "shared strings");
}

/// One string of 1 MB used by 5,000 cells (a file of about 60 KB): 5 GB of text, and 4 GB
/// of memory before. Refused before a cell is read.
#[test]
fn xlsx_one_long_shared_string_in_many_cells_is_refused() {
    let wd = Workdir::new();
    let long = "x".repeat(1 << 20);
    xlsx_with_shared(
        &wd.join("long.xlsx"),
        &rows_using_shared_string(5_000),
        &format!("><si><t>{long}</t></si>"),
    );
    assert!(size(&wd, "long.xlsx") < 100 << 10);
    let started = std::time::Instant::now();
    refused(&wd, "long.xlsx", "MB of text");
    assert!(started.elapsed().as_secs() < 60);
}

/// Below the bound, a string shared by every row is read in bounded memory: batches and
/// chunks fill up by bytes, not only by rows (an 80 KB string on 5,000 rows is 400 MB of
/// text; batches of 512 such rows held 40 MB each, chunks of 1,024 held 80 MB).
#[test]
fn xlsx_a_shared_string_on_every_row_is_read_within_the_limit() {
    let wd = Workdir::new();
    let long = "nota ".repeat(64 << 10 >> 2);
    xlsx_with_shared(
        &wd.join("notes.xlsx"),
        &rows_using_shared_string(5_000),
        &format!("><si><t>{long}</t></si>"),
    );
    let out = wd.expect(&["check", "notes.xlsx", "-o", "r.csv"], 0);
    let report = wd.read("r.csv");
    assert_eq!(report.lines().count(), 5_001, "{}", describe(&out));
}

/// A row past Excel's last (1,048,576) is damage, as a column past XFD is: it was read.
#[test]
fn xlsx_a_row_past_the_last_is_refused_like_a_column() {
    let wd = Workdir::new();
    let mut data = rows_using_shared_string(0);
    data.push_str(r#"<row r="1048577">"#);
    data.push_str(&inline(1_048_576, 1, "1710034065"));
    data.push_str(&inline(1_048_576, 2, "1710034065001"));
    data.push_str("</row>");
    crate::util::xlsx_with(&wd.join("far.xlsx"), &data, None);
    refused(&wd, "far.xlsx", "row 1048577");
}

/// An `.xlsb` record: its kind and length as variable-length integers, then its data.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = Vec::new();
    if kind < 0x80 {
        r.push(kind as u8);
    } else {
        r.push((kind & 0x7F) as u8 | 0x80);
        r.push((kind >> 7) as u8);
    }
    let mut len = data.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            r.push(b);
            break;
        }
        r.push(b | 0x80);
    }
    r.extend_from_slice(data);
    r
}

/// An XLWideString: its length in UTF-16 units, then its units.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut w = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        w.extend_from_slice(&u.to_le_bytes());
    }
    w
}

/// A row header (BrtRowHdr) for 0-based row `r`.
fn row_header(r: u32) -> Vec<u8> {
    let mut d = r.to_le_bytes().to_vec();
    d.extend_from_slice(&[0; 13]);
    record(0x0000, &d)
}

/// A string cell (BrtCellSt) in column `c`.
fn string_cell(c: u32, s: &str) -> Vec<u8> {
    let mut d = c.to_le_bytes().to_vec();
    d.extend_from_slice(&[0; 4]);
    d.extend(wide(s));
    record(0x0006, &d)
}

/// A cell (BrtCellIsst) in column `c` using shared string `index`.
fn shared_cell(c: u32, index: u32) -> Vec<u8> {
    let mut d = c.to_le_bytes().to_vec();
    d.extend_from_slice(&[0; 4]);
    d.extend_from_slice(&index.to_le_bytes());
    record(0x0007, &d)
}

/// The header row and `records` records of the roster at rows 0, 1, 2…
fn xlsb_rows(records: u32) -> Vec<u8> {
    let mut rows = row_header(0);
    for (c, h) in HEADER.iter().enumerate() {
        rows.extend(string_cell(c as u32, h));
    }
    for r in 1..=records {
        let [name, id, ruc] = RECORDS[r as usize % 2];
        rows.extend(row_header(r));
        rows.extend(string_cell(0, name));
        rows.extend(string_cell(1, id));
        rows.extend(string_cell(2, ruc));
    }
    rows
}

/// An `.xlsb` with one sheet whose data records are `rows`, and `shared` as the records of
/// its shared-string table (none if `None`).
fn xlsb_with(path: &Path, rows: &[u8], shared: Option<&[u8]>) {
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    let mut bundle = 0u32.to_le_bytes().to_vec();
    bundle.extend_from_slice(&1u32.to_le_bytes());
    bundle.extend(wide("rId1"));
    bundle.extend(wide("Hoja1"));
    let mut workbook = record(0x009C, &bundle);
    workbook.extend(record(0x0090, &[]));
    workbook.extend(record(0x0084, &[]));
    let mut sheet = record(0x0081, &[]);
    sheet.extend(record(0x0094, &[0; 16]));
    sheet.extend(record(0x0091, &[]));
    sheet.extend_from_slice(rows);
    sheet.extend(record(0x0092, &[]));
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/workbook.bin", &workbook),
        ("xl/worksheets/sheet1.bin", &sheet),
    ];
    if let Some(shared) = shared {
        parts.push(("xl/sharedStrings.bin", shared));
    }
    zip_parts(path, &parts);
}

/// A shared-string table of `count` items, each `item`.
fn xlsb_shared(count: u32, item: &str) -> Vec<u8> {
    let mut begin = count.to_le_bytes().to_vec();
    begin.extend_from_slice(&count.to_le_bytes());
    let mut table = record(0x009F, &begin);
    let mut one = vec![0u8];
    one.extend(wide(item));
    let one = record(0x0013, &one);
    table.reserve(one.len() * count as usize);
    for _ in 0..count {
        table.extend_from_slice(&one);
    }
    table.extend(record(0x00A0, &[]));
    table
}

/// The generator's own workbook reads: a header and two records.
#[test]
fn xlsb_generated_rosters_are_read() {
    let wd = Workdir::new();
    let mut rows = xlsb_rows(2);
    rows.extend(shared_cell(3, 0));
    xlsb_with(
        &wd.join("ok.xlsb"),
        &rows,
        Some(&xlsb_shared(1, "una nota")),
    );
    let out = wd.expect(&["check", "ok.xlsb", "-o", "r.jsonl"], 0);
    let records = jsonl(&wd.read("r.jsonl"));
    assert_eq!(records.len(), 2, "{}", describe(&out));
    assert!(
        records.iter().all(|r| r["status"] == "ready"),
        "{records:?}"
    );
}

/// 20 million string items (about 300 KB zipped; 40 million in 400 KB aborted): refused
/// before calamine loads them.
#[test]
fn xlsb_string_items_by_the_million_are_refused() {
    let wd = Workdir::new();
    xlsb_with(
        &wd.join("items.xlsb"),
        &xlsb_rows(2),
        Some(&xlsb_shared(20_000_000, "")),
    );
    assert!(size(&wd, "items.xlsb") < 1 << 20);
    refused(&wd, "items.xlsb", "shared strings");
}

/// One string of a million characters used by 5,000 cells (a file of a few KB): refused.
#[test]
fn xlsb_one_long_shared_string_in_many_cells_is_refused() {
    let wd = Workdir::new();
    let mut rows = xlsb_rows(0);
    for r in 1..=5_000 {
        rows.extend(row_header(r));
        rows.extend(string_cell(1, "1710034065"));
        rows.extend(string_cell(2, "1710034065001"));
        rows.extend(shared_cell(3, 0));
    }
    let long = "x".repeat(1_000_000);
    xlsb_with(&wd.join("long.xlsb"), &rows, Some(&xlsb_shared(1, &long)));
    assert!(size(&wd, "long.xlsb") < 100 << 10);
    refused(&wd, "long.xlsb", "MB of text");
}

/// A row number past Excel's last ended the sheet silently: 3 of 9 records were checked
/// and the run passed. Now the row is named and the run fails.
#[test]
fn xlsb_a_row_past_the_last_is_named_not_an_end() {
    let wd = Workdir::new();
    let mut rows = xlsb_rows(3);
    for r in [1_048_577, 1_048_578] {
        rows.extend(row_header(r));
        rows.extend(string_cell(1, "1710034065"));
        rows.extend(string_cell(2, "1710034065001"));
    }
    for r in 4..8 {
        rows.extend(row_header(r));
        rows.extend(string_cell(1, "0926687856"));
        rows.extend(string_cell(2, "0926687856001"));
    }
    xlsb_with(&wd.join("far.xlsb"), &rows, None);
    refused(&wd, "far.xlsb", "row 1048578");
}

/// A cell record shorter than its kind: calamine read the previous record's bytes (a
/// number cell with no bytes became `0.000…0`, the record before it a string). Damage.
#[test]
fn xlsb_an_empty_cell_record_is_damage() {
    let wd = Workdir::new();
    let mut rows = xlsb_rows(2);
    rows.extend(row_header(3));
    rows.extend(string_cell(2, "1710034065001"));
    // BrtCellReal with no data at all, where the cédula should be.
    rows.extend(record(0x0005, &[]));
    xlsb_with(&wd.join("empty.xlsb"), &rows, None);
    refused(&wd, "empty.xlsb", "damaged");
}

/// An `.ods` of the given `content.xml` body (inside `<office:spreadsheet>`).
fn ods_with(path: &Path, body: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_parts(
        path,
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", content.as_bytes()),
        ],
    );
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn ods_header() -> String {
    let cells: String = HEADER.iter().map(|h| ods_cell(h)).collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

/// `<text:s text:c="300000000"/>` in an 837-byte file: 300 million spaces (923 MB before).
#[test]
fn ods_a_run_of_spaces_is_refused() {
    let wd = Workdir::new();
    let body = format!(
        r#"<table:table table:name="Hoja1">{}<table:table-row>{}{}{}<table:table-cell office:value-type="string"><text:p>a<text:s text:c="300000000"/>b</text:p></table:table-cell></table:table-row></table:table>"#,
        ods_header(),
        ods_cell("Ana"),
        ods_cell("1710034065"),
        ods_cell("1710034065001"),
    );
    ods_with(&wd.join("spaces.ods"), &body);
    assert!(size(&wd, "spaces.ods") < 2000);
    refused(&wd, "spaces.ods", "MB or more in memory once loaded");
}

/// A 1 MB cell repeated over 2,000 rows (a file of a few KB): 2 GB of text. Refused.
#[test]
fn ods_a_long_cell_repeated_over_rows_is_refused() {
    let wd = Workdir::new();
    let long = "x".repeat(1 << 20);
    let body = format!(
        r#"<table:table table:name="Hoja1">{}<table:table-row table:number-rows-repeated="2000">{}{}{}{}</table:table-row></table:table>"#,
        ods_header(),
        ods_cell("Ana"),
        ods_cell("1710034065"),
        ods_cell("1710034065001"),
        ods_cell(&long),
    );
    ods_with(&wd.join("rows.ods"), &body);
    assert!(size(&wd, "rows.ods") < 100 << 10);
    refused(&wd, "rows.ods", "MB or more in memory once loaded");

    // Within the cells' limit (200,000 rows of 20), 30 bytes each: 4,000,000 strings took
    // 619 MB from 950 bytes. Cells and text are measured together.
    let cells = format!(
        r#"{}{}{}<table:table-cell office:value-type="string" table:number-columns-repeated="17"><text:p>{}</text:p></table:table-cell>"#,
        ods_cell("Ana Pérez de los Ríos y Montes"),
        ods_cell("1710034065"),
        ods_cell("1710034065001"),
        "x".repeat(30)
    );
    let body = format!(
        r#"<table:table table:name="Hoja1">{}<table:table-row table:number-rows-repeated="199990">{cells}</table:table-row></table:table>"#,
        ods_header()
    );
    ods_with(&wd.join("grid.ods"), &body);
    assert!(size(&wd, "grid.ods") < 2000);
    refused(&wd, "grid.ods", "MB or more in memory once loaded");
}

/// A catastro index whose header claims 2³¹ entries, its body a hole (a sparse file of 16
/// GB that takes a few KB): the loader reserved 17 GB and aborted. Refused at once.
#[test]
fn a_sparse_catastro_index_is_refused_before_anything_is_reserved() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula,RUC\n1710034065,1710034065001\n");
    let count: u64 = 1 << 31;
    let mut header = b"PATRCAT\0".to_vec();
    header.extend_from_slice(&2u32.to_le_bytes());
    header.extend_from_slice(&count.to_le_bytes());
    header.extend_from_slice(&0u64.to_le_bytes());
    header.extend_from_slice(&0u64.to_le_bytes());
    let mut file = std::fs::File::create(wd.join("sri.idx")).unwrap();
    file.write_all(&header).unwrap();
    file.set_len(header.len() as u64 + count * 8).unwrap();
    drop(file);
    let out = wd.expect(
        &["check", "r.csv", "--catastro", "sri.idx", "-o", "x.jsonl"],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("sri.idx") && err.contains("2147483648 RUCs"),
        "{err}"
    );

    // A smaller claim, within the limit, of zeros: refused at its second entry.
    let count: u64 = 10_000_000;
    header[12..20].copy_from_slice(&count.to_le_bytes());
    let mut file = std::fs::File::create(wd.join("zeros.idx")).unwrap();
    file.write_all(&header).unwrap();
    file.set_len(header.len() as u64 + count * 8).unwrap();
    drop(file);
    let out = wd.expect(
        &["check", "r.csv", "--catastro", "zeros.idx", "-o", "x.jsonl"],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zeros.idx") && err.contains("out of order"),
        "{err}"
    );
}

/// A previous report as a workbook whose `source` cells all use one shared string of
/// 100 KB, over `rows` records: the report's columns, as `patronal` writes them.
fn previous_workbook(path: &Path, rows: u32) {
    let headers = [
        "ID",
        "RUC",
        "result",
        "codes",
        "messages",
        "normalized_id",
        "normalized_ruc",
        "normalized_sucursal",
        "source",
        "row",
    ];
    let mut data = String::from(r#"<row r="1">"#);
    for (c, h) in headers.iter().enumerate() {
        data.push_str(&inline(0, c as u32, h));
    }
    data.push_str("</row>");
    for r in 1..=rows {
        let [_, id, ruc] = RECORDS[r as usize % 2];
        data.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, text) in [id, ruc, "ready", "", "", id, ruc, "0001"]
            .iter()
            .enumerate()
        {
            if !text.is_empty() {
                data.push_str(&inline(r, c as u32, text));
            }
        }
        data.push_str(&shared(r, 8, 0));
        data.push_str(&format!(r#"<c r="J{}"><v>{}</v></c>"#, r + 1, r + 1));
        data.push_str("</row>");
    }
    let source = format!("{}.csv", "nómina".repeat(100 << 10 >> 3));
    xlsx_with_shared(path, &data, &format!("><si><t>{source}</t></si>"));
}

/// `--compare` with a workbook whose `source` cell is one 100 KB shared string over
/// 100,000 rows (10 GB of text; 645 MB and an abort before): refused, naming it. Over
/// 3,000 rows (300 MB of text) it is read, the table's name held once.
#[test]
fn a_previous_workbook_whose_source_is_shared_is_read_or_refused() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Cédula,RUC,Sucursal\n1710034065,1710034065001,0001\n0926687856,0926687856001,0001\n",
    );
    previous_workbook(&wd.join("prev.xlsx"), 100_000);
    assert!(size(&wd, "prev.xlsx") < 8 << 20);
    let out = wd.expect(
        &["check", "r.csv", "--compare", "prev.xlsx", "-o", "x.jsonl"],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("prev.xlsx") && err.contains("previous report") && err.contains("MB of text"),
        "{err}"
    );

    previous_workbook(&wd.join("prev.xlsx"), 3_000);
    let out = wd.run(&["check", "r.csv", "--compare", "prev.xlsx", "-o", "x.jsonl"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        describe(&out)
    );
    // Tonight's two records are the first of their employers; the rest disappeared.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("disappeared: 2,998"), "{err}");
    // The gone records' table, named by a 100 KB cell, is clipped on the terminal.
    assert!(err.len() < 20_000, "{} bytes", err.len());
    let records = jsonl(&wd.read("x.jsonl"));
    assert!(records.iter().all(|r| r["change"] == "same"), "{records:?}");
}

/// One cell of 200 MB in a file of about 1 MB: the XML parser holds it whole, twice (a
/// 300 MB cell took 1.2 GB, and 929 MB when its row was refused after the parser's read).
/// The stretch is found before any parser reads the part.
#[test]
fn xlsx_one_huge_cell_is_refused_before_it_is_parsed() {
    let wd = Workdir::new();
    let path = wd.join("cell.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let parts = [
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let mut head = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    for (c, h) in HEADER.iter().enumerate() {
        head.push_str(&inline(0, c as u32, h));
    }
    head.push_str(r#"</row><row r="2">"#);
    head.push_str(&inline(1, 1, "1710034065"));
    head.push_str(&inline(1, 2, "1710034065001"));
    head.push_str(r#"<c r="D2" t="inlineStr"><is><t>"#);
    zip.write_all(head.as_bytes()).unwrap();
    let block = vec![b'x'; 1 << 20];
    for _ in 0..200 {
        zip.write_all(&block).unwrap();
    }
    zip.write_all(b"</t></is></c></row></sheetData></worksheet>")
        .unwrap();
    zip.finish().unwrap();
    assert!(size(&wd, "cell.xlsx") < 2 << 20);
    refused(&wd, "cell.xlsx", "more than 16 MB");
}
