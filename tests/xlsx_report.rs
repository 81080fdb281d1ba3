//! `-o report.xlsx`: the workbook read back.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::util::{Workdir, sheet_xml, zip_text};

#[test]
fn workbook_with_every_record_a_summary_and_a_chart() {
    let wd = Workdir::new();
    wd.expect(
        &[
            "sample",
            "--rows",
            "3000",
            "--seed",
            "5",
            "-o",
            "roster.csv",
        ],
        0,
    );
    // One more record whose cells look like a formula and a Guayas cédula.
    let mut roster = wd.read("roster.csv");
    roster.push_str("=HYPERLINK(\"x\"),0428813992,0428813992001,0001,a@gmail.com,,,\n");
    wd.write("roster.csv", roster);
    wd.expect(
        &[
            "check",
            "roster.csv",
            "-o",
            "report.xlsx",
            "--summary-json",
            "s.json",
        ],
        1,
    );
    let path = wd.join("report.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Plan", "Summary", "To resolve", "Records"],
        "the Plan first"
    );
    let records = book.worksheet_range("Records").unwrap();
    assert_eq!(records.height(), 3002, "header + every record");
    let header: Vec<String> = records
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    // The recognised fields, then the verdict within the first columns.
    assert_eq!(&header[..4], ["ID", "RUC", "Sucursal", "Name"]);
    assert_eq!(
        &header[8..11],
        ["Result", "Findings (code — message)", "How to fix"]
    );
    assert_eq!(header[15], "Row");
    let last = records.rows().next_back().unwrap();
    assert_eq!(
        last[3],
        Data::String("=HYPERLINK(\"x\")".into()),
        "text, never a formula"
    );
    assert_eq!(
        last[0],
        Data::String("0428813992".into()),
        "identifiers are text"
    );
    assert_eq!(last[15], Data::Float(3002.0), "the row is a number");
    assert_eq!(last[12], Data::String("0428813992001".into()));
    for row in records.rows().skip(1) {
        assert!(
            matches!(row[1], Data::String(_) | Data::Empty),
            "{:?}",
            row[1]
        );
        assert!(
            matches!(row[11], Data::String(_)),
            "normalised id is text: {:?}",
            row[11]
        );
    }
    assert!(
        !sheet_xml(&path, "Records").contains("<f>"),
        "no formula anywhere"
    );

    // One fill per status, on the status cells.
    let sheet = sheet_xml(&path, "Records");
    let mut style_of = std::collections::HashMap::new();
    for (i, row) in records.rows().enumerate().skip(1) {
        let label = row[8].to_string();
        let cell = format!("<c r=\"I{}\" s=\"", i + 1);
        let at = sheet.find(&cell).expect("status cell") + cell.len();
        let s: String = sheet[at..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let previous = style_of.insert(label.clone(), s.clone());
        assert!(previous.is_none_or(|p| p == s), "{label}: one style");
    }
    assert_eq!(style_of.len(), 3, "{style_of:?}");
    let styles: std::collections::HashSet<_> = style_of.values().collect();
    assert_eq!(styles.len(), 3, "three different fills");
    let css = zip_text(&path, "xl/styles.xml");
    for rgb in ["FFC6EFCE", "FFFFC7CE", "FFFFEB9C"] {
        assert!(css.contains(rgb), "fill {rgb}");
    }

    // The summary: counts that match the run, and a chart.
    let summary = book.worksheet_range("Summary").unwrap();
    let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let cell = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(cell("ready"), Data::Float(s["ready"].as_f64().unwrap()));
    assert_eq!(cell("Total"), Data::Float(3001.0));
    assert!(zip_text(&path, "xl/charts/chart1.xml").contains("c:pieChart"));
    assert!(zip_text(&path, "xl/charts/chart2.xml").contains("c:barChart"));
    assert!(zip_text(&path, "xl/worksheets/_rels/sheet2.xml.rels").contains("drawing"));
}

#[test]
fn spanish_workbook_and_failed_runs() {
    let wd = Workdir::new();
    wd.write("a.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    wd.write("b.csv", "Cédula,RUC\n1839879739,1839879739000\n");
    wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "a.csv",
            "b.csv",
            "-o",
            "informe.xlsx",
        ],
        0,
    );
    let mut book: Xlsx<_> = open_workbook(wd.join("informe.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Plan", "Resumen", "Por resolver", "Registros"]
    );
    let summary = book.worksheet_range("Resumen").unwrap();
    let texts: Vec<String> = summary
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(texts.contains(&"Registros por estado".to_owned()));
    assert!(texts.contains(&"b.csv".to_owned()), "per-file counts");
    // A roster that cannot be used is named on the Summary; every other one is checked.
    wd.write("bad.csv", "Nombre\nx\n");
    wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "a.csv",
            "bad.csv",
            "-o",
            "con-aviso.xlsx",
        ],
        2,
    );
    let mut book: Xlsx<_> = open_workbook(wd.join("con-aviso.xlsx")).unwrap();
    let summary = book.worksheet_range("Resumen").unwrap();
    let texts: Vec<String> = summary.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("Nóminas no revisadas")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("bad.csv: no hay columna para id y ruc")),
        "{texts:?}"
    );
    assert_eq!(book.worksheet_range("Registros").unwrap().height(), 2);
    // A run that fails leaves no workbook.
    wd.expect(&["check", "bad.csv", "-o", "nada.xlsx"], 2);
    assert!(!wd.join("nada.xlsx").exists());
}

/// A workbook needs a seekable file: to standard output or a named pipe it is written
/// aside and copied, and the pipe is never replaced by a file (as root, renaming over
/// `/dev/null` would replace the device).
#[cfg(unix)]
#[test]
fn workbook_to_a_pipe_or_standard_output() {
    use std::os::unix::fs::FileTypeExt;

    let wd = Workdir::new();
    wd.write("a.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    let out = wd.expect(&["check", "a.csv", "-o", "-", "--format", "xlsx"], 0);
    let mut book = Xlsx::new(std::io::Cursor::new(out.stdout)).unwrap();
    assert_eq!(book.worksheet_range("Records").unwrap().height(), 2);

    let fifo = wd.join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    wd.expect(&["check", "a.csv", "-o", "pipe.xlsx"], 0);
    // Before joining: had the pipe been replaced, the reader would wait forever.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe is still a pipe");
    let bytes = reader.join().unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.worksheet_range("Records").unwrap().height(), 2);
    assert!(!wd.join("pipe.xlsx.lock").exists(), "a pipe is not locked");
}

/// With `--catastro`, the Summary sheet says what each catastro file gave (rows, RUCs, the
/// statuses), in the run's language, as the terminal does.
#[test]
fn the_summary_names_the_catastro_loaded() {
    let wd = Workdir::new();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    std::fs::copy(format!("{samples}/clientes.csv"), wd.join("clientes.csv")).unwrap();
    std::fs::copy(
        format!("{samples}/catastro/SRI_RUC_Muestra.csv"),
        wd.join("sri.csv"),
    )
    .unwrap();
    for (lang, heading, words) in [
        (
            "en",
            "SRI catastro read",
            "catastro sri.csv: 120 rows, 99 RUCs",
        ),
        (
            "es",
            "Catastro del SRI leído",
            "catastro sri.csv: 120 filas, 99 RUC",
        ),
    ] {
        let args = [
            "check",
            "clientes.csv",
            "--catastro",
            "sri.csv",
            "--lang",
            lang,
            "-o",
            "r.xlsx",
        ];
        wd.expect(&args, 1);
        let mut book: Xlsx<_> = open_workbook(wd.join("r.xlsx")).unwrap();
        let sheet = book.sheet_names()[1].clone();
        let summary = book.worksheet_range(&sheet).unwrap();
        let cells: Vec<String> = summary
            .cells()
            .map(|(_, _, c)| c.to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let at = cells.iter().position(|c| c == heading);
        let at = at.unwrap_or_else(|| panic!("{lang}: no {heading:?} in {cells:?}"));
        assert!(
            cells[at + 1].starts_with(words),
            "{lang}: {}",
            cells[at + 1]
        );
        // RUCs by status (99 RUCs on 120 rows): a RUC counts once.
        assert!(
            cells[at + 1].contains("(ACTIVO 85, SUSPENDIDO 8, PASIVO 6)"),
            "{}",
            cells[at + 1]
        );
    }
}
