//! The workbook the office works from: the Plan first, every line of every finding visible
//! (rows as tall as their text at their column's width), the printed views, the Cambios
//! sheet after `--compare`.

use calamine::{Data, Range, Reader, Xlsx, open_workbook};

use crate::util::{Workdir, row_heights_and_widths, sheet_xml, stdout};

fn samples(wd: &Workdir) {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    for name in ["clientes.csv", "nomina_excel.csv", "clientes.xlsx"] {
        std::fs::copy(format!("{samples}/{name}"), wd.join(name)).unwrap();
    }
    std::fs::copy(
        format!("{samples}/catastro/SRI_RUC_Muestra.csv"),
        wd.join("sri.csv"),
    )
    .unwrap();
}

fn text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        c => c.to_string(),
    }
}

/// Every row of `sheet` whose wrapped cells need more than one line is at least 15 points
/// a line tall: each line of a cell counted as its characters ÷ the column's width, at
/// least one. Rows with text in their first cell only (titles and merged lines across the
/// sheet) are left out.
fn assert_rows_fit(path: &std::path::Path, range: &Range<Data>, sheet: &str, wrapped: &[usize]) {
    let (heights, widths) = row_heights_and_widths(&sheet_xml(path, sheet));
    let (first_row, _) = range.start().unwrap();
    let mut checked = 0;
    for (i, row) in range.rows().enumerate() {
        let r = first_row + i as u32 + 1;
        if row.iter().skip(1).all(|c| text(c).is_empty()) {
            continue;
        }
        let lines = wrapped
            .iter()
            .filter_map(|&c| Some((row.get(c)?, *widths.get(c)?)))
            .map(|(cell, width)| {
                text(cell)
                    .split('\n')
                    .map(|l| l.chars().count().div_ceil(width.floor() as usize).max(1))
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(1);
        let height = heights.get(&r).copied().unwrap_or(15.0);
        assert!(
            height + 0.01 >= 15.0 * lines.min(27) as f64,
            "{sheet} row {r}: {lines} lines need {} pt, the row is {height} pt: {row:?}",
            15 * lines
        );
        checked += usize::from(lines > 1);
    }
    assert!(
        checked > 0,
        "{sheet}: no row with several lines was checked"
    );
}

fn column(range: &Range<Data>, header_row: usize, name: &str) -> usize {
    range
        .rows()
        .nth(header_row)
        .unwrap()
        .iter()
        .position(|c| text(c) == name)
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

#[test]
fn every_line_of_every_finding_is_visible() {
    let wd = Workdir::new();
    samples(&wd);
    for lang in ["es", "en"] {
        let args = [
            "--lang",
            lang,
            "check",
            "clientes.csv",
            "nomina_excel.csv",
            "clientes.xlsx",
            "--catastro",
            "sri.csv",
            "-o",
            "r.xlsx",
        ];
        wd.expect(&args, 1);
        let path = wd.join("r.xlsx");
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let names = book.sheet_names();
        let (records, to_resolve, plan) = (&names[3], &names[2], &names[0]);
        let range = book.worksheet_range(records).unwrap();
        let findings = column(&range, 0, &names_of(lang).0);
        let fixes = column(&range, 0, &names_of(lang).1);
        // One line per finding, `CODE — message`, and its fix on the same line beside it.
        for row in range.rows().skip(1) {
            let (f, x) = (text(&row[findings]), text(&row[fixes]));
            assert_eq!(f.lines().count(), x.lines().count(), "{f}\n{x}");
            for line in f.lines() {
                let (code, message) = line.split_once(" — ").unwrap();
                assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
                assert!(!message.is_empty());
            }
        }
        assert_rows_fit(&path, &range, records, &[findings, fixes]);
        let range = book.worksheet_range(to_resolve).unwrap();
        assert_rows_fit(&path, &range, to_resolve, &[0, 5, 6]);
        let range = book.worksheet_range(plan).unwrap();
        assert_rows_fit(&path, &range, plan, &[0, 1, 5, 6, 7, 8, 9]);
    }
}

fn names_of(lang: &str) -> (String, String) {
    match lang {
        "es" => (
            "Hallazgos (código — mensaje)".into(),
            "Cómo corregir".into(),
        ),
        _ => ("Findings (code — message)".into(), "How to fix".into()),
    }
}

#[test]
fn the_plan_says_what_to_do_first_and_prints_on_a4() {
    let wd = Workdir::new();
    samples(&wd);
    let args = [
        "--lang",
        "es",
        "check",
        "clientes.csv",
        "--catastro",
        "sri.csv",
        "-o",
        "informe.xlsx",
        "--summary-json",
        "s.json",
    ];
    wd.expect(&args, 1);
    let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let path = wd.join("informe.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Plan", "Resumen", "Por resolver", "Registros"]
    );
    let plan = book.worksheet_range("Plan").unwrap();
    let rows: Vec<Vec<String>> = plan.rows().map(|r| r.iter().map(text).collect()).collect();
    let effort = &rows[1][0];
    let ready = s["ready"].as_u64().unwrap();
    let in_person = s["in_person"].as_u64().unwrap();
    assert!(
        effort.starts_with(&format!(
            "Esfuerzo: {ready} recuperaciones en línea × 10–20 min"
        )),
        "{effort}"
    );
    assert!(
        effort.contains(&format!(
            "{in_person} visitas presenciales × 1–3 días hábiles"
        )),
        "{effort}"
    );
    assert!(
        rows[2][0].starts_with("Fuente: la guía del IESS"),
        "{:?}",
        rows[2]
    );
    assert_eq!(
        rows[4],
        [
            "Dónde",
            "Empleador",
            "Identificación",
            "RUC",
            "Sucursal",
            "Correo (llega el enlace)",
            "Campo / motivo",
            "Valor encontrado",
            "Cómo corregir / siguiente paso",
            "Valor sugerido / cita",
            "Hecho"
        ]
    );
    // The groups, in order: ready online, fix first, in person.
    let band = |prefix: &str| {
        rows.iter()
            .position(|r| r[0].starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?}"))
    };
    let (one, two, three) = (
        band("1. Listos para la recuperación en línea"),
        band("2. Corregir antes"),
        band("3. Presencial"),
    );
    assert!(one < two && two < three);
    assert!(rows[one][0].contains(&format!("({ready})")));
    // Ready: the values in the portal's order and the e-mail, from the records.
    let first_ready = &rows[one + 1];
    assert_eq!(first_ready[..2], ["clientes.csv:2", "Jesús Pérez Mendoza"]);
    assert_eq!(first_ready[2..5], ["1501967044", "1501967044001", "0001"]);
    assert_eq!(first_ready[5], "jesusperezme0@hotmail.com");
    let listed = rows[one + 1..two]
        .iter()
        .filter(|r| !r[0].is_empty())
        .count();
    assert_eq!(listed as u64, ready);
    // Fix first: the field, the value found, the fix, and a certain value.
    let fixes = &rows[two + 1..three];
    assert!(
        fixes
            .iter()
            .any(|r| r[6].starts_with("RUC: ") && r[7] == "0607057122001")
    );
    assert!(
        fixes
            .iter()
            .any(|r| r[6].starts_with("Sucursal: ") && r[7] == "1" && r[9] == "0001"),
        "a padded sucursal's value"
    );
    // In person: the reason, the next step, room for the appointment.
    let visits = &rows[three + 1..];
    assert!(visits.iter().any(|r| {
        r[6].starts_with("El RUC no está activo en el SRI")
            && r[7] == "SUSPENDIDO"
            && r[8].starts_with("Reactive primero el RUC en el SRI")
            && r[9] == "Fecha, hora, oficina:"
    }));
    assert!(
        visits
            .iter()
            .any(|r| r[8].starts_with("Actualice el correo en una oficina del IESS"))
    );

    // Printed: A4 landscape at 9 points or more, the header row on every page.
    for sheet in ["Plan", "Por resolver"] {
        let xml = sheet_xml(&path, sheet);
        assert!(xml.contains("paperSize=\"9\""), "{sheet}: A4");
        assert!(xml.contains("orientation=\"landscape\""), "{sheet}");
        let scale: u32 = xml
            .split("scale=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .map_or(100, |v| v.parse().unwrap());
        assert!(
            11 * scale >= 900,
            "{sheet}: 11 pt at {scale}% is under 9 pt"
        );
        assert!(!xml.contains("fitToPage"), "{sheet}: never shrunk to fit");
    }
    let workbook = crate::util::zip_text(&path, "xl/workbook.xml");
    assert!(workbook.contains("'Por resolver'!$1:$1"), "{workbook}");
    assert!(workbook.contains("Plan!$5:$5"), "{workbook}");

    // Por resolver: only the flagged records, each with its findings beside their fixes.
    let sheet = book.worksheet_range("Por resolver").unwrap();
    let employers = sheet
        .rows()
        .skip(1)
        .filter(|r| !text(&r[0]).is_empty())
        .count() as u64;
    assert_eq!(employers, s["invalid"].as_u64().unwrap() + in_person);
    assert!(
        sheet
            .rows()
            .skip(1)
            .filter(|r| !text(&r[4]).is_empty())
            .all(|r| text(&r[4]) != "lista")
    );
}

#[test]
fn cambios_after_compare_names_every_change() {
    let wd = Workdir::new();
    let roster = |lines: &[&str]| {
        let mut s = "Razón social,Cédula,RUC,Correo\n".to_owned();
        for l in lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    };
    wd.write(
        "clientes.csv",
        roster(&[
            "Ferretería Uno,0428813992,0428813992001,uno@ferreteria.ec",
            "Panadería Dos,1839879739,1839879739001,no tiene",
            "Comercial Tres,0141141705,0141141705001,tres@comercial.ec",
        ]),
    );
    wd.expect(
        &["--lang", "es", "check", "clientes.csv", "-o", "ayer.xlsx"],
        1,
    );
    // Tonight: Dos fixed its e-mail, Uno lost it, Tres is gone.
    wd.write(
        "clientes.csv",
        roster(&[
            "Ferretería Uno,0428813992,0428813992001,no tiene",
            "Panadería Dos,1839879739,1839879739001,dos@panaderia.ec",
        ]),
    );
    let out = wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "clientes.csv",
            "--compare",
            "ayer.xlsx",
            "-o",
            "hoy.xlsx",
        ],
        1,
    );
    // The terminal names the fixed and the gone employers.
    let err = crate::util::stderr(&out);
    assert!(
        err.contains(
            "corregidos: 1\n  clientes.csv:3  Panadería Dos  1839879739001  presencial → lista"
        ),
        "{err}"
    );
    assert!(
        err.contains("desaparecidos: 1\n  clientes.csv:4  Comercial Tres  0141141705001  lista"),
        "{err}"
    );
    let path = wd.join("hoy.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Plan", "Resumen", "Cambios", "Por resolver", "Registros"]
    );
    let cambios = book.worksheet_range("Cambios").unwrap();
    let rows: Vec<Vec<String>> = cambios
        .rows()
        .map(|r| r.iter().map(text).collect())
        .collect();
    let at = |prefix: &str| rows.iter().position(|r| r[0].starts_with(prefix)).unwrap();
    let (new, fixed, gone) = (
        at("Nuevos con problemas (1)"),
        at("Corregidos (1)"),
        at("Desaparecidos"),
    );
    assert_eq!(
        rows[new + 1][..5],
        [
            "clientes.csv:2",
            "Ferretería Uno",
            "0428813992001",
            "0001",
            "lista → presencial"
        ]
    );
    assert!(rows[new + 1][5].starts_with("EMAIL_PLACEHOLDER — "));
    assert_eq!(
        rows[fixed + 1][..5],
        [
            "clientes.csv:3",
            "Panadería Dos",
            "1839879739001",
            "0001",
            "presencial → lista"
        ]
    );
    assert_eq!(
        rows[gone + 1][..5],
        [
            "clientes.csv:4",
            "Comercial Tres",
            "0141141705001",
            "0001",
            "lista → (ya no está)"
        ]
    );
    // The Summary counts them and points to the sheet.
    let summary = book.worksheet_range("Resumen").unwrap();
    let texts: Vec<String> = summary.cells().map(|(_, _, c)| text(c)).collect();
    assert!(
        texts
            .iter()
            .any(|t| t == "Cambios desde el informe anterior")
    );
    assert!(
        texts.iter().any(|t| t
            .starts_with("nuevos con problemas 1, corregidos 1, desaparecidos 1")
            && t.ends_with("cada uno con su nombre en la hoja Cambios")),
        "{texts:?}"
    );
    // Without --compare, no Cambios sheet.
    let out = wd.expect(&["check", "clientes.csv", "-o", "solo.xlsx"], 1);
    assert!(stdout(&out).is_empty());
    let book: Xlsx<_> = open_workbook(wd.join("solo.xlsx")).unwrap();
    assert!(!book.sheet_names().contains(&"Changes".to_owned()));
}
