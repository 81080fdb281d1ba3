//! `check --marked DIR`: each roster back, every cell where it was, each finding on its
//! cell (a fill by severity and a note), the verdict columns after the last column; the
//! marks compared with the JSON Lines report record by record.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_auto};
use quick_xml::events::Event;
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;

use crate::util::{Workdir, jsonl, stderr};

const RED: &str = "FFFFC7CE";
const AMBER: &str = "FFFFCC80";
const YELLOW: &str = "FFFFFF99";

/// Every non-empty cell of every sheet, as calamine reads it: (sheet, row, col) → value.
fn cells(path: &Path) -> HashMap<(String, u32, u32), Data> {
    let mut book = open_workbook_auto(path).unwrap();
    let mut out = HashMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            let (top, left) = range.start().unwrap();
            out.insert((name.clone(), top + r as u32, left + c as u32), v.clone());
        }
    }
    out
}

/// A part of a zip package, as text.
fn part(path: &Path, name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| quick_xml::escape::unescape(&a.value).unwrap().into_owned())
}

/// The fill colour (`FFRRGGBB`) of every cell of sheet part `sheet` that has one.
fn fills(path: &Path, sheet: &str) -> HashMap<String, String> {
    let styles = part(path, "xl/styles.xml").unwrap();
    let mut reader = quick_xml::Reader::from_str(&styles);
    let (mut fills, mut xfs) = (Vec::<Option<String>>::new(), Vec::<usize>::new());
    let (mut in_fills, mut in_xfs) = (false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "fills" => in_fills = true,
            Event::End(e) if e.local_name().as_ref() == "fills" => in_fills = false,
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = true,
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_xfs = false,
            Event::Start(e) if in_fills && e.local_name().as_ref() == "fill" => fills.push(None),
            Event::Empty(e) if in_fills && e.local_name().as_ref() == "fgColor" => {
                *fills.last_mut().unwrap() = attr(&e, "rgb");
            }
            Event::Start(e) | Event::Empty(e) if in_xfs && e.local_name().as_ref() == "xf" => {
                xfs.push(attr(&e, "fillId").unwrap_or_default().parse().unwrap_or(0));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let xml = part(path, sheet).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let s: usize = attr(&e, "s").unwrap_or_default().parse().unwrap_or(0);
                if let Some(Some(rgb)) = xfs.get(s).and_then(|f| fills.get(*f)) {
                    out.insert(attr(&e, "r").unwrap(), rgb.clone());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The notes of sheet part `sheet` (by its relationships): cell → text.
fn notes(path: &Path, sheet: &str) -> HashMap<String, String> {
    let (dir, file) = sheet.rsplit_once('/').unwrap();
    let Some(rels) = part(path, &format!("{dir}/_rels/{file}.rels")) else {
        return HashMap::new();
    };
    let target = rels
        .split("<Relationship ")
        .find(|r| r.contains("/comments\""))
        .and_then(|r| r.split("Target=\"").nth(1))
        .map(|t| t.split('"').next().unwrap().to_owned());
    let Some(target) = target else {
        return HashMap::new();
    };
    let name = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("xl/{}", target.trim_start_matches("../")),
    };
    let xml = part(path, &name).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = HashMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "comment" => {
                current = Some((attr(&e, "ref").unwrap(), String::new()));
            }
            Event::Start(e) if e.local_name().as_ref() == "t" => in_t = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_t = false,
            Event::Text(t) if in_t => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_t => {
                if let Some((_, text)) = current.as_mut() {
                    let s = format!("&{};", &*r);
                    text.push_str(&quick_xml::escape::unescape(&s).unwrap());
                }
            }
            Event::End(e) if e.local_name().as_ref() == "comment" => {
                let (r, text) = current.take().unwrap();
                out.insert(r, text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn text(v: Option<&Data>) -> String {
    match v {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Where a roster is in a copy: its sheet's part and name, its fields' columns, its first
/// column and its first verdict column.
struct Sheet<'a> {
    part: &'a str,
    name: &'a str,
    headers: HashMap<&'a str, u32>,
    first: u32,
    verdict_col: u32,
}

/// The copy's marks agree with the JSON Lines report, record by record: each finding's
/// cell (its field's column, else the row's first cell) filled by the worst severity on it
/// and noted with its message; a record without findings untouched; the verdict columns
/// after the last column hold the result and every message.
fn marks_match_report(
    copy: &Path,
    at: &Sheet,
    records: &[&Value],
    lang_result: &dyn Fn(&str) -> String,
) {
    let Sheet {
        part: sheet_part,
        name: sheet,
        headers,
        first,
        verdict_col,
    } = at;
    let (first, verdict_col) = (*first, *verdict_col);
    let fills = fills(copy, sheet_part);
    let notes = notes(copy, sheet_part);
    let values = cells(copy);
    let mut expected_fills: HashMap<String, String> = HashMap::new();
    for r in records {
        let row = r["row"].as_u64().unwrap() as u32;
        let findings = r["findings"].as_array().unwrap();
        let mut on_cell: HashMap<u32, Vec<&Value>> = HashMap::new();
        for f in findings {
            let field = f["field"].as_str().unwrap();
            let code = f["code"].as_str().unwrap();
            let col = match (code, headers.get(field)) {
                ("DUPLICATE_EMPLOYER" | "ROW_MALFORMED", _) | (_, None) => first,
                (_, Some(&c)) => c,
            };
            on_cell.entry(col).or_default().push(f);
        }
        for (col, fs) in &on_cell {
            let cell = format!("{}{row}", column_name(*col));
            let worst = fs
                .iter()
                .map(|f| match f["severity"].as_str().unwrap() {
                    "error" => 2,
                    "in_person" => 1,
                    _ => 0,
                })
                .max()
                .unwrap();
            let color = [YELLOW, AMBER, RED][worst];
            assert_eq!(
                fills.get(&cell).map(String::as_str),
                Some(color),
                "{cell} {r}"
            );
            expected_fills.insert(cell.clone(), color.to_owned());
            let note = notes
                .get(&cell)
                .unwrap_or_else(|| panic!("no note on {cell}"));
            for f in fs {
                assert!(
                    note.contains(f["message"].as_str().unwrap()),
                    "{cell}: {note}"
                );
            }
        }
        let result = text(values.get(&(sheet.to_string(), row - 1, verdict_col)));
        assert_eq!(
            result,
            lang_result(r["status"].as_str().unwrap()),
            "row {row}"
        );
        let reasons = text(values.get(&(sheet.to_string(), row - 1, verdict_col + 1)));
        let messages: Vec<&str> = findings
            .iter()
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, messages.join("\n"), "row {row}");
    }
    // No other roster cell is filled or noted.
    for (cell, color) in &fills {
        let col_letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
        let is_verdict = (verdict_col..verdict_col + 4).any(|c| column_name(c) == col_letters);
        if !is_verdict && [RED, AMBER, YELLOW].contains(&color.as_str()) {
            assert_eq!(expected_fills.get(cell), Some(color), "{cell} filled");
        }
    }
    for cell in notes.keys() {
        assert!(
            expected_fills.contains_key(cell) || cell == "A1",
            "{cell} noted"
        );
    }
}

/// A client's workbook: a merged title row, the header on row 3 (bold, widths set),
/// identifiers stored as numbers with a zero-padded format, a formula beside the roster,
/// a second roster sheet, and a sheet of notes that is not a roster.
fn client_workbook(path: &Path) {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let padded = Format::new().set_num_format("0000000000");
    let ws = book.add_worksheet().set_name("Nómina").unwrap();
    ws.merge_range(0, 0, 0, 5, "Nómina de marzo", &bold)
        .unwrap();
    ws.set_column_width(0, 30).unwrap();
    for (c, h) in [
        "Razón social",
        "Cédula",
        "RUC",
        "Sucursal",
        "Correo",
        "Total",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(2, c as u16, *h, &bold).unwrap();
    }
    let rows: [(&str, f64, &str, &str, &str); 5] = [
        // A lost zero (restored, a warning), a padded sucursal: ready with yellow marks.
        ("Peña", 926687856.0, "0926687856001", "1", "pena@gmail.com"),
        // A checksum error and a misspelt provider: invalid.
        (
            "Núñez",
            1714307104.0,
            "1714307104001",
            "0001",
            "nunez@gmial.com",
        ),
        // Nothing to say: untouched.
        (
            "Ortiz",
            1710034065.0,
            "1710034065001",
            "0001",
            "ortiz@gmail.com",
        ),
        // No e-mail: in person.
        ("Paz", 428813992.0, "0428813992001", "0001", ""),
        // The same employer again: a warning on the row's first cell.
        (
            "Ortiz bis",
            1710034065.0,
            "1710034065001",
            "0001",
            "otro@gmail.com",
        ),
    ];
    for (i, (name, id, ruc, suc, mail)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *name).unwrap();
        if i == 3 {
            ws.write_number_with_format(r, 1, *id, &padded).unwrap();
        } else {
            ws.write_number(r, 1, *id).unwrap();
        }
        ws.write_string(r, 2, *ruc).unwrap();
        ws.write_string(r, 3, *suc).unwrap();
        if !mail.is_empty() {
            ws.write_string(r, 4, *mail).unwrap();
        }
        ws.write_formula(
            r,
            5,
            Formula::new(format!("=LEN(A{})", r + 1)).set_result("4"),
        )
        .unwrap();
    }
    let ws = book.add_worksheet().set_name("Sucursales").unwrap();
    for (c, h) in ["Cédula", "RUC", "Correo"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "0141141705").unwrap();
    ws.write_string(1, 1, "0141141705001").unwrap();
    ws.write_string(1, 2, "no tiene").unwrap();
    let ws = book.add_worksheet().set_name("Notas").unwrap();
    ws.write_string(0, 0, "Entregar el lunes").unwrap();
    ws.write_formula(1, 0, Formula::new("=1+1").set_result("2"))
        .unwrap();
    book.save(path).unwrap();
}

#[test]
fn an_xlsx_roster_keeps_its_workbook_and_gets_its_marks() {
    let wd = Workdir::new();
    client_workbook(&wd.join("nomina.xlsx"));
    let out = wd.expect(
        &[
            "check",
            "nomina.xlsx",
            "--marked",
            "revisadas",
            "-o",
            "r.jsonl",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("Marked copies: revisadas/nomina.xlsx"),
        "{}",
        stderr(&out)
    );
    let original = wd.join("nomina.xlsx");
    let copy = wd.join("revisadas/nomina.xlsx");
    // Every cell of every sheet where it was, with its value; formulas kept.
    let before = cells(&original);
    let after = cells(&copy);
    for (at, v) in &before {
        assert_eq!(after.get(at), Some(v), "{at:?}");
    }
    let mut a: Xlsx<_> = calamine::open_workbook(&original).unwrap();
    let mut b: Xlsx<_> = calamine::open_workbook(&copy).unwrap();
    for sheet in ["Nómina", "Notas"] {
        let fa = a.worksheet_formula(sheet).unwrap();
        let fb = b.worksheet_formula(sheet).unwrap();
        for (r, c, f) in fa.used_cells() {
            let (top, left) = fa.start().unwrap();
            assert_eq!(
                fb.get_value((top + r as u32, left + c as u32)),
                Some(f),
                "{sheet} formula"
            );
        }
    }
    // The merged title, the widths, the other sheet's part byte for byte.
    let sheet1 = part(&copy, "xl/worksheets/sheet1.xml").unwrap();
    assert!(sheet1.contains("<mergeCell ref=\"A1:F1\"/>"), "{sheet1}");
    assert!(sheet1.contains("width=\"30.7"), "{sheet1}");
    assert_eq!(
        part(&copy, "xl/worksheets/sheet3.xml"),
        part(&original, "xl/worksheets/sheet3.xml")
    );
    // Frozen under the header row, a filter on it, the verdict headings after the roster.
    assert!(
        sheet1.contains("<pane ySplit=\"3\" topLeftCell=\"A4\""),
        "{sheet1}"
    );
    assert!(sheet1.contains("<autoFilter ref=\"A3:J8\"/>"), "{sheet1}");
    for (c, h) in ["Result", "Reasons", "How to fix", "Suggested value"]
        .iter()
        .enumerate()
    {
        assert_eq!(text(after.get(&("Nómina".into(), 2, 6 + c as u32))), *h);
    }
    let report = jsonl(&wd.read("r.jsonl"));
    let label = |s: &str| s.replace('_', " ");
    let headers: HashMap<&str, u32> = [("id", 1), ("ruc", 2), ("sucursal", 3), ("email", 4)].into();
    let nomina: Vec<&Value> = report.iter().filter(|r| r["sheet"] == "Nómina").collect();
    assert_eq!(nomina.len(), 5);
    marks_match_report(
        &copy,
        &Sheet {
            part: "xl/worksheets/sheet1.xml",
            name: "Nómina",
            headers: headers.clone(),
            first: 0,
            verdict_col: 6,
        },
        &nomina,
        &label,
    );
    let sucursales: Vec<&Value> = report
        .iter()
        .filter(|r| r["sheet"] == "Sucursales")
        .collect();
    let headers: HashMap<&str, u32> = [("id", 0), ("ruc", 1), ("email", 2)].into();
    marks_match_report(
        &copy,
        &Sheet {
            part: "xl/worksheets/sheet2.xml",
            name: "Sucursales",
            headers: headers.clone(),
            first: 0,
            verdict_col: 3,
        },
        &sucursales,
        &label,
    );
    // The untouched record: no fill, no note on its row.
    let fills1 = fills(&copy, "xl/worksheets/sheet1.xml");
    assert!((0..6).all(|c| !fills1.contains_key(&format!("{}6", column_name(c)))));
    // Suggested values, only the certain ones.
    let suggested = |row: u32| text(after.get(&("Nómina".into(), row - 1, 9)));
    assert!(
        suggested(4).contains("Cédula: 0926687856"),
        "{}",
        suggested(4)
    );
    assert!(suggested(4).contains("Sucursal: 0001"), "{}", suggested(4));
    assert_eq!(
        suggested(5),
        "Correo: nunez@gmail.com (known provider, misspelt as gmial.com)"
    );
    assert_eq!(suggested(6), "");
}

/// A CSV roster with every suggestion the copy makes, and one it must not.
const SUGGESTIONS: &str = "Reporte mensual;;;;;\n;;;;;\nNombre;Cédula;RUC;Sucursal;Correo;Tipo empleador\n\
Ana;926687856;926687856001;1;ana@gmial.com;\n\
Bea;1710034065;1.71003E+12;0001;bea@gmail.com;\n\
Carla;1714307104;1714307104001;0001;carla@gmail.com;\n\
Dora;1714307103;1714307103001;0001;dora@gmail.com;Servicio doméstico\n\
Eva;0428813992;0428813992001;0001;eva@hotmail.com;\n";

#[test]
fn every_format_gets_a_copy_at_the_same_addresses() {
    let wd = Workdir::new();
    wd.write("clientes.csv", SUGGESTIONS);
    for name in ["small.xlsx", "small.ods", "small.xls"] {
        let data =
            std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (stem, ext) = name.split_once('.').unwrap();
        wd.write(&format!("{stem}_{ext}.{ext}"), data);
    }
    let rosters = [
        "clientes.csv",
        "small_xlsx.xlsx",
        "small_ods.ods",
        "small_xls.xls",
    ];
    let mut args = vec!["check", "--marked", "out", "-o", "r.jsonl", "--lang", "es"];
    args.extend(rosters);
    wd.expect(&args, 1);
    let report = jsonl(&wd.read("r.jsonl"));
    for (roster, copy) in [
        ("small_xlsx.xlsx", "small_xlsx.xlsx"),
        ("small_ods.ods", "small_ods.xlsx"),
        ("small_xls.xls", "small_xls.xlsx"),
    ] {
        let before = cells(&wd.join(roster));
        let after = cells(&wd.join(&format!("out/{copy}")));
        let width = before.keys().map(|k| k.2).max().unwrap();
        for ((sheet, r, c), v) in &before {
            let got = after.get(&(sheet.clone(), *r, *c)).map(|v| v.to_string());
            let want = match v {
                Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                v => v.to_string(),
            };
            // Values only: the text the run read (a number's digits).
            let got = got.unwrap_or_default();
            assert!(
                got == want || got.trim_start_matches('0') == want,
                "{copy} {sheet} {r} {c}: {got:?} {want:?}"
            );
        }
        assert!(after.keys().all(|k| k.2 <= width + 4), "{copy}");
        let records: Vec<&Value> = report.iter().filter(|r| r["source"] == roster).collect();
        let label = |s: &str| match s {
            "ready" => "lista".to_owned(),
            "invalid" => "inválida".to_owned(),
            _ => "presencial".to_owned(),
        };
        assert!(!records.is_empty());
        for r in &records {
            let sheet = r["sheet"].as_str().unwrap().to_owned();
            let width = before
                .keys()
                .filter(|k| k.0 == sheet)
                .map(|k| k.2)
                .max()
                .unwrap();
            let row = r["row"].as_u64().unwrap() as u32;
            let result = text(after.get(&(sheet.clone(), row - 1, width + 1)));
            assert_eq!(
                result,
                label(r["status"].as_str().unwrap()),
                "{copy} {sheet} {row}"
            );
        }
    }
    // The values-only copies say so on their first sheet's A1.
    for copy in [
        "out/clientes.xlsx",
        "out/small_ods.xlsx",
        "out/small_xls.xlsx",
    ] {
        let n = notes(&wd.join(copy), "xl/worksheets/sheet1.xml");
        assert!(n["A1"].contains("solo valores"), "{copy}: {n:?}");
    }
    let n = notes(&wd.join("out/small_xlsx.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(n.get("A1").is_none_or(|t| !t.contains("solo valores")));

    // The CSV copy: every line's cells at its row, text (the zeros kept), title rows
    // included; its marks agree with the report, in Spanish.
    let copy = wd.join("out/clientes.xlsx");
    let after = cells(&copy);
    for (i, line) in SUGGESTIONS.lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            let got = text(after.get(&("clientes".into(), i as u32, c as u32)));
            assert_eq!(got, cell, "line {} cell {c}", i + 1);
        }
    }
    assert_eq!(text(after.get(&("clientes".into(), 2, 6))), "Resultado");
    assert_eq!(
        text(after.get(&("clientes".into(), 2, 9))),
        "Valor sugerido"
    );
    let csv: Vec<&Value> = report
        .iter()
        .filter(|r| r["source"] == "clientes.csv")
        .collect();
    let headers: HashMap<&str, u32> = [
        ("id", 1),
        ("ruc", 2),
        ("sucursal", 3),
        ("email", 4),
        ("employer_type", 5),
    ]
    .into();
    let label = |s: &str| {
        match s {
            "ready" => "lista",
            "invalid" => "inválida",
            _ => "presencial",
        }
        .to_owned()
    };
    marks_match_report(
        &copy,
        &Sheet {
            part: "xl/worksheets/sheet1.xml",
            name: "clientes",
            headers: headers.clone(),
            first: 0,
            verdict_col: 6,
        },
        &csv,
        &label,
    );
    let suggested = |row: u32| text(after.get(&("clientes".into(), row - 1, 9)));
    let ana = suggested(4);
    for s in [
        "Cédula: 0926687856 (cero inicial restaurado)",
        "RUC: 0926687856001",
        "Sucursal: 0001 (completada a 4 dígitos)",
        "Correo: ana@gmail.com (proveedor conocido, escrito gmial.com)",
    ] {
        assert!(ana.contains(s), "{ana}");
    }
    assert_eq!(
        suggested(5),
        "RUC: 1710034065001 (probable: la cédula del empleador seguida de 001; Excel había convertido el RUC en 1.71003E+12)"
    );
    // A checksum is never corrected.
    assert_eq!(suggested(6), "");
    assert_eq!(
        suggested(7),
        "RUC: 1714307103000 (servicio doméstico: la cédula seguida de 000)"
    );
    assert_eq!(suggested(8), "");
}

#[test]
fn a_copy_never_goes_over_an_input_and_names_do_not_collide() {
    let wd = Workdir::new();
    wd.write("clientes.csv", SUGGESTIONS);
    client_workbook(&wd.join("clientes.xlsx"));
    let before = std::fs::read(wd.join("clientes.xlsx")).unwrap();
    // `--marked .`: the copy of clientes.xlsx would be clientes.xlsx itself.
    let out = wd.expect(&["check", "clientes.xlsx", "--marked", "."], 2);
    assert!(
        stderr(&out).contains("it is a roster of this run"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(wd.join("clientes.xlsx")).unwrap(), before);
    // The same through another spelling, and a copy over a report of the same run.
    let out = wd.expect(&["check", "./clientes.xlsx", "--marked", "./"], 2);
    assert!(
        stderr(&out).contains("roster of this run"),
        "{}",
        stderr(&out)
    );
    std::fs::create_dir(wd.join("out")).unwrap();
    let out = wd.expect(
        &[
            "check",
            "clientes.csv",
            "--marked",
            "out",
            "-o",
            "out/clientes.xlsx",
        ],
        2,
    );
    assert!(
        stderr(&out).contains("another output of this run"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_dir(wd.join("out")).unwrap().next().is_none(),
        "nothing written"
    );
    // Two rosters for one name: the second is numbered, and the run says so.
    let out = wd.expect(
        &["check", "clientes.xlsx", "clientes.csv", "--marked", "out"],
        1,
    );
    let err = stderr(&out);
    assert!(err.contains("clientes.csv would be marked as out/clientes.xlsx, like clientes.xlsx: its copy is out/clientes (2).xlsx"), "{err}");
    assert!(wd.join("out/clientes.xlsx").exists() && wd.join("out/clientes (2).xlsx").exists());
    // Standard input cannot be read twice; a file where the folder should be.
    let out = wd.expect(&["check", "-", "--marked", "out"], 2);
    assert!(
        stderr(&out).contains("--marked needs roster files"),
        "{}",
        stderr(&out)
    );
    wd.write("afile", "x");
    let out = wd.expect(&["check", "clientes.csv", "--marked", "afile"], 2);
    assert!(stderr(&out).contains("needs a folder"), "{}", stderr(&out));
    // No temporary file is left beside the copies.
    let names: Vec<String> = std::fs::read_dir(wd.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".patronal")),
        "{names:?}"
    );
}

#[test]
fn the_config_names_the_folder_by_date() {
    let wd = Workdir::new();
    wd.write("clientes.csv", SUGGESTIONS);
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes.csv\"]\nmarked = \"revisadas/{fecha}\"\nlang = \"es\"\n",
    );
    let out = wd.expect(&["check"], 1);
    let today = jiff::ZonedDateTime::now().date().to_string();
    let copy = wd.join(&format!("revisadas/{today}/clientes.xlsx"));
    assert!(copy.exists(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Copias marcadas:"),
        "{}",
        stderr(&out)
    );
}

/// The READMEs show what `check --marked` prints on the sample: keep them true.
#[test]
fn the_readmes_show_what_marked_prints() {
    for (readme, command) in [
        (
            include_str!("../README.md"),
            "$ patronal check samples/clientes.xlsx --marked revisadas/\n…\n",
        ),
        (
            include_str!("../README.es.md"),
            "$ patronal check samples/clientes.xlsx --marked revisadas/ --lang es\n…\n",
        ),
    ] {
        let start = readme
            .find(command)
            .expect("README has the --marked example")
            + command.len();
        let shown = readme[start..].lines().next().unwrap();
        let wd = Workdir::new();
        let sample = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/clientes.xlsx"
        ))
        .unwrap();
        wd.write("samples/clientes.xlsx", sample);
        let args: Vec<&str> = command.lines().next().unwrap().split(' ').skip(2).collect();
        let out = wd.expect(&args, 1);
        assert_eq!(stderr(&out).lines().last(), Some(shown), "{}", stderr(&out));
        assert!(wd.join("revisadas/clientes.xlsx").exists());
    }
}
