//! Workbook rosters: numbers Excel stored for identifiers, formats, sheets, odd cells.

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;

use crate::util::{Workdir, codes, jsonl, stderr};

fn records(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "-o", "r.jsonl", "--fail-on", "never"];
    all.extend_from_slice(args);
    wd.expect(&all, 0);
    jsonl(&wd.read("r.jsonl"))
}

/// A workbook like an office's: a title row, the header on row 3, identifiers as numbers.
fn roster(wd: &Workdir, name: &str) {
    let mut book = Workbook::new();
    let padded_id = Format::new().set_num_format("0000000000");
    let padded_ruc = Format::new().set_num_format("0000000000000");
    let ws = book.add_worksheet().set_name("Hoja1").unwrap();
    ws.write_string(0, 0, "Nómina de empleadores").unwrap();
    for (c, h) in ["Razón social", "Cédula", "RUC", "Sucursal", "Correo"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: a Guayas cédula and RUC with a zero-padded format: the user sees the zero.
    ws.write_string(3, 0, "Peña").unwrap();
    ws.write_number_with_format(3, 1, 428813992.0, &padded_id)
        .unwrap();
    ws.write_number_with_format(3, 2, 428813992001.0, &padded_ruc)
        .unwrap();
    ws.write_number(3, 3, 1.0).unwrap();
    ws.write_string(3, 4, "pena@gmail.com").unwrap();
    // Row 5: the same numbers without the format: the zero is lost, restored with a warning.
    ws.write_string(4, 0, "Núñez").unwrap();
    ws.write_number(4, 1, 141141705.0).unwrap();
    ws.write_number(4, 2, 141141705001.0).unwrap();
    ws.write_number(4, 3, 1.0).unwrap();
    ws.write_string(4, 4, "nunez@gmail.com").unwrap();
    // Row 6 blank. Row 7: a fraction, and a number past 15 digits.
    ws.write_string(6, 0, "Fracción").unwrap();
    ws.write_number(6, 1, 1839879739.5).unwrap();
    ws.write_number(6, 2, 1839879739001001.0).unwrap();
    ws.write_string(6, 4, "f@gmail.com").unwrap();
    // Row 8: an error cell, a formula with its cached value, a boolean sucursal.
    ws.write_string(7, 0, "Fórmulas").unwrap();
    ws.write_formula(7, 1, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    ws.write_formula(
        7,
        2,
        Formula::new("=2235364557001+0").set_result("2235364557001"),
    )
    .unwrap();
    ws.write_boolean(7, 3, true).unwrap();
    ws.write_string(7, 4, "g@gmail.com").unwrap();
    // Row 9: a date where the cédula should be; no e-mail cell at all (trailing).
    ws.write_string(8, 0, "Fecha").unwrap();
    ws.write_datetime(8, 1, ExcelDateTime::from_ymd(2024, 5, 17).unwrap())
        .unwrap();
    ws.write_number(8, 2, 2235364557001.0).unwrap();
    // A second sheet, with its own header and one record.
    let ws = book.add_worksheet().set_name("Sucursales").unwrap();
    for (c, h) in ["Cédula", "RUC", "Sucursal"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "1839879739").unwrap();
    ws.write_string(1, 1, "1839879739001").unwrap();
    ws.write_number(1, 2, 2.0).unwrap();
    // A third sheet that is not a roster: skipped.
    let ws = book.add_worksheet().set_name("Notas").unwrap();
    ws.write_string(0, 0, "Pendientes").unwrap();
    book.save(wd.join(name)).unwrap();
}

#[test]
fn numeric_identifiers_formats_and_odd_cells() {
    let wd = Workdir::new();
    roster(&wd, "nomina.xlsx");
    let r = records(&wd, &["nomina.xlsx", "--summary-json", "s.json"]);
    assert_eq!(r.len(), 6);
    let row = |i: usize| {
        (
            r[i]["sheet"].as_str().unwrap(),
            r[i]["row"].as_u64().unwrap(),
        )
    };
    assert_eq!(row(0), ("Hoja1", 4));
    assert_eq!(
        (
            r[0]["id"].as_str(),
            r[0]["ruc"].as_str(),
            r[0]["sucursal"].as_str()
        ),
        (Some("0428813992"), Some("0428813992001"), Some("0001"))
    );
    assert_eq!(
        codes(&r[0]),
        ["SUCURSAL_PADDED"],
        "the format showed the zero: no restoration warning"
    );
    assert_eq!(r[0]["status"], "ready");
    assert_eq!(
        codes(&r[1]),
        [
            "ID_LEADING_ZERO_RESTORED",
            "RUC_LEADING_ZERO_RESTORED",
            "SUCURSAL_PADDED"
        ]
    );
    assert_eq!(r[1]["id"], "0141141705");
    assert_eq!(row(2), ("Hoja1", 7));
    assert_eq!(codes(&r[2])[..2], ["ID_FORMAT", "RUC_FORMAT"]);
    assert_eq!(r[2]["id"], "1839879739.5");
    assert_eq!(codes(&r[3]), ["ID_FORMAT", "SUCURSAL_FORMAT"]);
    assert_eq!(r[3]["id"], "#N/A");
    assert_eq!(r[3]["ruc"], "2235364557001", "a formula's cached value");
    assert_eq!(r[3]["sucursal"], "TRUE");
    assert_eq!(r[4]["status"], "invalid");
    assert_eq!(codes(&r[4])[0], "ID_FORMAT");
    assert!(
        !codes(&r[4]).contains(&"ROW_MALFORMED"),
        "Excel does not store empty trailing cells"
    );
    assert_eq!(row(5), ("Sucursales", 2));
    assert_eq!(r[5]["sucursal"], "0002");
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(
        (s["records"].as_u64(), s["blank_rows"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(
        s["files"].as_array().unwrap().len(),
        2,
        "the Notas sheet has no roster"
    );
}

#[test]
fn sheets_can_be_chosen() {
    let wd = Workdir::new();
    roster(&wd, "nomina.xlsx");
    let r = records(&wd, &["nomina.xlsx", "--sheet", "Sucursales"]);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["sheet"], "Sucursales");
    let out = wd.expect(&["check", "nomina.xlsx", "--sheet", "Enero"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("no sheet named \"Enero\"")
            && err.contains("\"Hoja1\", \"Sucursales\", \"Notas\""),
        "{err}"
    );
    let out = wd.expect(&["check", "nomina.xlsx", "--sheet", "Notas"], 2);
    assert!(stderr(&out).contains("nomina.xlsx"), "{}", stderr(&out));
}

/// `zip` with every central-directory entry declaring 2 GB uncompressed.
fn declare_huge(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while let Some(at) = zip[i..].windows(4).position(|w| w == b"PK\x01\x02") {
        let header = i + at;
        zip[header + 24..header + 28].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        i = header + 4;
    }
    zip
}

/// `xlsx` with a cell added to row 4 of its first sheet at column `ZZZZZZ` (321,272,406),
/// far past Excel's last: what a damaged or forged workbook can hold.
fn far_cell(xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(text).unwrap();
            let row = xml.find("<row r=\"4\"").unwrap();
            let end = row + xml[row..].find("</row>").unwrap();
            let far = r#"<c r="ZZZZZZ4" t="inlineStr"><is><t>far</t></is></c>"#;
            text = format!("{}{far}{}", &xml[..end], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn workbooks_that_cannot_be_read() {
    let wd = Workdir::new();
    roster(&wd, "nomina.xlsx");
    let bytes = std::fs::read(wd.join("nomina.xlsx")).unwrap();
    wd.write("far.xlsx", far_cell(&bytes));
    wd.write("truncated.xlsx", &bytes[..bytes.len() / 2]);
    wd.write(
        "noise.xlsx",
        (0..5000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<_>>(),
    );
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    wd.write("locked.xlsx", cfb);
    // Zip bombs, as far as the guard sees them: every part declares 2 GB expanded.
    wd.write("bomb.xlsx", declare_huge(bytes));
    let ods = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/small.ods"));
    wd.write("bomb.ods", declare_huge(ods.unwrap()));
    for (file, reason) in [
        ("truncated.xlsx", "not a valid workbook"),
        ("noise.xlsx", "not an Excel workbook"),
        ("locked.xlsx", "password-protected"),
        ("bomb.xlsx", "zip bomb"),
        ("bomb.ods", "zip bomb"),
        (
            "far.xlsx",
            "[Hoja1]: row 4: a cell in column 321272406, beyond Excel's last column",
        ),
    ] {
        let out = wd.expect(&["check", file, "-o", "r.jsonl"], 2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(file) && err.contains(reason), "{file}: {err}");
    }
}

/// A fuzzer-found workbook whose cell reference overflows calamine's row arithmetic: a
/// panic in a build with overflow checks (as tests are), which must end the run with an
/// error naming the sheet, not with a shorter roster.
#[test]
fn a_parser_panic_is_an_error() {
    let wd = Workdir::new();
    let book = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/overflow.xlsx"
    ));
    wd.write("overflow.xlsx", book.unwrap());
    let out = wd.expect(&["check", "overflow.xlsx", "-o", "r.jsonl"], 2);
    let last = stderr(&out).lines().last().unwrap_or_default().to_owned();
    assert!(
        last.starts_with("patronal: overflow.xlsx[Clientes]: ") && last.contains("damaged"),
        "{last}"
    );
    assert!(!wd.join("r.jsonl").exists());
}

#[test]
fn sample_workbook() {
    let wd = Workdir::new();
    wd.write(
        "s.xlsx",
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/clientes.xlsx"
        ))
        .unwrap(),
    );
    let r = records(&wd, &["s.xlsx"]);
    assert_eq!(r.len(), 60);
    assert_eq!(r[0]["row"], 4, "title row, blank row, header");
    assert!(r.iter().any(|x| x["sheet"] == "Nuevos clientes"));
    assert!(
        r.iter()
            .any(|x| codes(x).contains(&"ID_LEADING_ZERO_RESTORED"))
    );
}

/// The same roster saved by LibreOffice as .ods and .xls (committed: `patronal sample
/// --rows 12 --seed 99 -o small.xlsx`, then `libreoffice --headless --convert-to ods|xls`)
/// reads as the .xlsx does. Only the number formats differ: calamine does not expose them
/// for these formats, so a lost leading zero is always restored with its warning there.
#[test]
fn ods_and_xls_read_as_xlsx() {
    let wd = Workdir::new();
    let key = |r: &Value| {
        (
            r["sheet"].clone(),
            r["row"].clone(),
            r["status"].clone(),
            r["id"].clone(),
            r["ruc"].clone(),
            r["sucursal"].clone(),
        )
    };
    let mut seen = Vec::new();
    for name in ["small.xlsx", "small.ods", "small.xls"] {
        let data =
            std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        wd.write(name, data);
        let r = records(&wd, &[name]);
        assert_eq!(r.len(), 12, "{name}");
        seen.push(r.iter().map(key).collect::<Vec<_>>());
    }
    assert_eq!(seen[0], seen[1], ".ods");
    assert_eq!(seen[0], seen[2], ".xls");
}
