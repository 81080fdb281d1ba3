//! The workbook read back: its sheets, the records past a sheet, the rows' heights against
//! their text, the Plan's groups.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};

use super::*;
use crate::pipeline::check_row;
use crate::report::{Record, Sink};
use crate::roster::Cells;

fn source(headers: Vec<String>) -> Arc<Source> {
    Source::with_headers(headers)
}

/// Checks `cells` as row `row` of `source`, counts it and writes it.
fn write(
    w: &mut XlsxWriter<Cursor<Vec<u8>>>,
    summary: &mut Summary,
    source: &Source,
    cells: &Cells,
    row: u64,
) {
    let checked = check_row(source, cells);
    let status = checked.verdict();
    summary.count(0, status, &checked.findings);
    w.record(&Record {
        source,
        source_index: 0,
        row,
        cells,
        checked: &checked,
        status,
        change: None,
        before: None,
        utf8: true,
    })
    .unwrap();
}

/// The workbook of `rows` (cells under `headers`), in `lang`.
fn workbook(headers: &[&str], rows: &[&[&str]], lang: Lang) -> Xlsx<Cursor<Vec<u8>>> {
    let source = source(headers.iter().map(|h| h.to_string()).collect());
    let sources = std::slice::from_ref(&source);
    let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, lang, false).unwrap();
    let mut summary = Summary::new(sources);
    for (i, cells) in rows.iter().enumerate() {
        let cells = Cells::from_iter(cells.iter().copied());
        write(&mut w, &mut summary, &source, &cells, i as u64 + 2);
    }
    summary.finish(std::time::Duration::ZERO);
    summary.written = summary.records;
    let bytes = Box::new(w).finish(&summary).unwrap();
    Xlsx::new(bytes).unwrap()
}

#[test]
fn records_past_a_sheet_go_on_and_long_cells_are_cut() {
    let source = source(["Cédula", "RUC", "Notas"].map(String::from).into());
    let sources = std::slice::from_ref(&source);
    let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::Es, false).unwrap();
    w.records.per_sheet = 2;
    let mut summary = Summary::new(sources);
    let long = "ñ".repeat(40_000);
    for i in 0..5 {
        let cells = Cells::from_iter(["0428813992", "0428813992001", &long]);
        write(&mut w, &mut summary, &source, &cells, i + 2);
    }
    summary.finish(std::time::Duration::ZERO);
    let bytes = Box::new(w).finish(&summary).unwrap();

    let mut book = Xlsx::new(bytes).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Plan",
            "Resumen",
            "Por resolver",
            "Registros",
            "Registros 2",
            "Registros 3"
        ]
    );
    let heights: Vec<usize> = ["Registros", "Registros 2", "Registros 3"]
        .iter()
        .map(|s| book.worksheet_range(s).unwrap().height())
        .collect();
    assert_eq!(
        heights,
        [3, 3, 2],
        "a header on each, then 2 + 2 + 1 records"
    );
    let summary = book.worksheet_range("Resumen").unwrap();
    assert!(summary.rows().any(|r| {
        r[0] == Data::String("Hojas de registros".into())
            && r[1] == Data::String("Registros, Registros 2, Registros 3".into())
    }));
    let last = book.worksheet_range("Registros 3").unwrap();
    assert_eq!(
        last.get_value((0, 0)),
        Some(&Data::String("Identificación".into()))
    );
    assert_eq!(
        last.get_value((1, 1)),
        Some(&Data::String("0428813992001".into()))
    );
    assert_eq!(last.get_value((0, 10)), Some(&Data::String("Notas".into())));
    let Some(Data::String(notes)) = last.get_value((1, 10)) else {
        panic!("the notes cell is text");
    };
    assert_eq!(notes.chars().count(), MAX_CELL_CHARS);
    assert!(notes.ends_with("ñ…"));
}

#[test]
fn a_roster_wider_than_a_sheet_keeps_the_verdict() {
    let mut headers: Vec<String> = ["Cédula", "RUC"].map(String::from).into();
    headers.extend((0..20_000).map(|i| format!("c{i}")));
    let source = source(headers);
    let sources = std::slice::from_ref(&source);
    let mut w = XlsxWriter::new(Cursor::new(Vec::new()), sources, Lang::En, false).unwrap();
    let mut cells = vec!["0428813992", "0428813992001"];
    cells.extend(std::iter::repeat_n("x", 20_000));
    let cells = Cells::from_iter(cells);
    let mut summary = Summary::new(sources);
    write(&mut w, &mut summary, &source, &cells, 2);
    let bytes = Box::new(w).finish(&summary).unwrap();
    let mut book = Xlsx::new(bytes).unwrap();
    let records = book.worksheet_range("Records").unwrap();
    assert_eq!(records.width(), MAX_COLUMNS);
    assert_eq!(
        records.get_value((0, 2)),
        Some(&Data::String("Result".into()))
    );
    assert_eq!(
        records.get_value((1, 2)),
        Some(&Data::String("ready".into()))
    );
    assert_eq!(
        records.get_value((1, 10)),
        Some(&Data::String("x".into())),
        "the other columns after the verdict"
    );
}

#[test]
fn one_line_per_finding_with_its_fix_beside_it() {
    let mut book = workbook(
        &["Cédula", "RUC", "Correo", "Primera vez"],
        &[&["1850585108", "1630942389001", "no tiene", "sí"]],
        Lang::Es,
    );
    let records = book.worksheet_range("Registros").unwrap();
    let header: Vec<String> = records
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}: {header:?}"))
    };
    for h in [
        "Cédula normalizada",
        "RUC normalizado",
        "Sucursal normalizada",
        "Archivo",
        "Fila",
    ] {
        at(h);
    }
    assert!(header.iter().all(|h| !h.contains('_')), "{header:?}");
    let row = records.rows().nth(1).unwrap();
    let findings = row[at("Hallazgos (código — mensaje)")].to_string();
    let fixes = row[at("Cómo corregir")].to_string();
    let findings: Vec<&str> = findings.lines().collect();
    let fixes: Vec<&str> = fixes.lines().collect();
    assert!(findings.len() >= 3, "{findings:?}");
    assert_eq!(findings.len(), fixes.len());
    for (f, x) in findings.iter().zip(&fixes) {
        let (code, message) = f.split_once(" — ").unwrap();
        let info = crate::finding::Code::from_name(code).unwrap().info();
        assert!(!message.is_empty());
        assert_eq!(*x, info.hint(Lang::Es), "{code}");
    }
}
