//! The second robustness pass: portfolios of many tables, inputs that expand, quadratic
//! layouts, encodings, repeated employers, failed writes. Every case here hung, exhausted
//! memory or misreported before its fix.

use crate::util::{Workdir, describe, jsonl, run_within};

const ROSTER: &str = "Nombre,Cédula,RUC,Sucursal\n\
    Ana Pérez,1710034065,1710034065001,0001\n\
    Luis Mora,0926687856,0926687856001,1\n";

/// Many small tables in one run: each table's last chunk goes back to the pool.
#[test]
fn a_portfolio_of_many_rosters_never_hangs() {
    let wd = Workdir::new();
    let mut args = vec!["check".to_string()];
    for i in 0..40 {
        let name = format!("r{i:02}.csv");
        wd.write(&name, ROSTER);
        args.push(name);
    }
    args.extend(["-o".into(), "x.jsonl".into()]);
    for threads in [None, Some("1")] {
        let mut args = args.clone();
        if let Some(t) = threads {
            args.extend(["--threads".into(), t.into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_within(&mut wd.command(&args), 30)
            .unwrap_or_else(|| panic!("hung: patronal {}", args.join(" ")));
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert_eq!(jsonl(&wd.read("x.jsonl")).len(), 80);
    }
}

/// A workbook with a dozen roster sheets: every sheet is a table.
#[test]
fn a_workbook_with_many_sheets_never_hangs() {
    let wd = Workdir::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    for s in 0..12 {
        let sheet = book.add_worksheet();
        sheet.set_name(format!("Cliente {s}")).unwrap();
        for (r, line) in ROSTER.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save(wd.join("portfolio.xlsx")).unwrap();
    for threads in ["0", "1"] {
        let mut args = vec!["check", "portfolio.xlsx", "-o", "x.jsonl"];
        if threads == "1" {
            args.extend(["--threads", "1"]);
        }
        let out = run_within(&mut wd.command(&args), 30)
            .unwrap_or_else(|| panic!("hung: patronal {}", args.join(" ")));
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert_eq!(jsonl(&wd.read("x.jsonl")).len(), 24);
    }
}

/// One Windows-1252 byte in a UTF-8 roster: that cell alone is read as Windows-1252; the
/// header and every other accent keep their meaning.
#[test]
fn one_bad_byte_does_not_decide_the_whole_file() {
    let wd = Workdir::new();
    let mut bytes = "Razón social,Cédula,RUC,Sucursal\n".as_bytes().to_vec();
    for i in 0..50 {
        bytes
            .extend_from_slice(format!("Ana Pérez {i},1710034065,1710034065001,0001\n").as_bytes());
    }
    // "Muñoz" as Windows-1252 writes it: ñ is the single byte 0xF1.
    bytes.extend_from_slice(b"Mu\xF1oz Vega,0926687856,0926687856001,0001\n");
    wd.write("mixed.csv", &bytes);
    let out = wd.run(&["check", "mixed.csv", "-o", "r.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report = wd.read("r.csv");
    assert!(report.contains("Ana Pérez 0,"), "{report}");
    assert!(report.contains("Ana Pérez 49,"), "{report}");
    assert!(report.contains("Muñoz Vega,"), "{report}");
    assert!(
        !report.contains('\u{FFFD}') && !report.contains("Ã"),
        "{report}"
    );
}
