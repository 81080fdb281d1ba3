//! A portfolio's night: one bad file never stops the others. Office programs' lock files
//! are never rosters; a roster that cannot be used is named with its reason (terminal,
//! mail, Summary sheet, summary JSON) while every other roster is checked and reported,
//! and the run exits 2; `patronal.toml` speaks its own `lang`; a portal's "Excel" export
//! that is an HTML table or text is read as what it is.

use calamine::{Reader, Xlsx, open_workbook};

use crate::util::{Workdir, describe, jsonl, stderr, stdout};

const GOOD: &str = "Razón social,Cédula,RUC,Correo\n\
    Ferretería Uno,0428813992,0428813992001,no tiene\n\
    Panadería Dos,1839879739,1839879739001,dos@panaderia.ec\n";

/// An Excel owner file as Excel leaves one beside an open workbook: 165 bytes, the user's
/// name inside, not a workbook.
fn owner_file() -> Vec<u8> {
    let mut bytes = vec![7u8];
    bytes.extend(b"contadora");
    bytes.resize(165, 0x20);
    bytes
}

fn portfolio(wd: &Workdir) {
    wd.write("clientes/norte.csv", GOOD);
    wd.write(
        "clientes/sur.csv",
        "Razón social,Cédula,RUC\nComercial Tres,0141141705,0141141705001\n",
    );
    wd.write(
        "clientes/sin-ruc.csv",
        "Nombre,Cédula\nSin RUC,2235364557\n",
    );
    wd.write("clientes/~$clientes.xlsx", owner_file());
    wd.write(
        "clientes/.~lock.clientes.xlsx#",
        "contadora,oficina,01.12.2026 02:30\n",
    );
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\", \"clientes/*.xlsx\", \"clientes/*.ods\"]\n\
         report = [\"informes/{fecha}.xlsx\", \"informes/{fecha}.jsonl\"]\n\
         summary-json = \"informes/{fecha}-resumen.json\"\n\
         compare = \"previous\"\nfail-on = \"nuevo\"\nlang = \"es\"\n",
    );
}

fn today(wd: &Workdir, ext: &str) -> std::path::PathBuf {
    std::fs::read_dir(wd.join("informes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(ext))
        .unwrap_or_else(|| panic!("no {ext} report"))
}

#[test]
fn a_night_with_a_broken_file_and_an_owner_file_checks_every_other_roster() {
    let wd = Workdir::new();
    portfolio(&wd);
    // Cron: no LANG, --quiet.
    let out = wd.expect(&["check", "--quiet"], 2);
    let mail = stdout(&out);
    // The first night's note (said even with --quiet), and nothing else on stderr.
    let err = stderr(&out);
    assert!(
        err.lines().count() == 1 && err.contains("primera noche"),
        "{}",
        describe(&out)
    );
    // The broken roster, named with its reason; not the owner or lock files.
    assert!(
        mail.starts_with(
            "nóminas no revisadas (salida 2): 1\n  clientes/sin-ruc.csv: no hay columna para ruc (obligatoria)"
        ),
        "{mail}"
    );
    assert!(!mail.contains("~$") && !mail.contains(".~lock"), "{mail}");
    // The news of the others, and the workbook that holds them.
    assert!(
        mail.contains("nuevos con problemas: 1\n  clientes/norte.csv:2  Ferretería Uno"),
        "{mail}"
    );
    let xlsx = today(&wd, ".xlsx");
    let name = xlsx.strip_prefix(wd.path()).unwrap().display().to_string();
    assert!(
        mail.trim_end()
            .ends_with(&format!("las demás nóminas se revisaron: {name}")),
        "{mail}"
    );
    // Every other roster checked and reported.
    let records = jsonl(&std::fs::read_to_string(today(&wd, ".jsonl")).unwrap());
    let sources: Vec<&str> = records
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "clientes/norte.csv",
            "clientes/norte.csv",
            "clientes/sur.csv"
        ]
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(today(&wd, "-resumen.json")).unwrap())
            .unwrap();
    assert_eq!(
        summary["skipped_files"],
        serde_json::json!([{
            "source": "clientes/sin-ruc.csv",
            "reason": "no hay columna para ruc (obligatoria); encabezados encontrados: \"Nombre\", \"Cédula\". Use --map ruc=ENCABEZADO"
        }])
    );
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let resumen = book.worksheet_range("Resumen").unwrap();
    assert!(resumen.cells().any(|(_, _, c)| {
        c.to_string()
            .starts_with("clientes/sin-ruc.csv: no hay columna para ruc")
    }));

    // Without --quiet, the terminal says the same, and notes the patterns that matched
    // nothing (others did): `clientes/*.xlsx` matched the owner file only.
    let out = wd.expect(&["check"], 2);
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "patronal: nota: patronal.toml:1: `clientes/*.xlsx` no coincide con ningún archivo\n\
             patronal: nota: patronal.toml:1: `clientes/*.ods` no coincide con ningún archivo\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("nóminas no revisadas (salida 2): 1\n  clientes/sin-ruc.csv: "),
        "{err}"
    );
}

#[test]
fn a_night_with_no_usable_roster_names_each_and_writes_nothing() {
    let wd = Workdir::new();
    wd.write("a.csv", "Nombre\nx\n");
    wd.write(
        "b.xls",
        "esto no es un libro\u{0}\u{1}\u{2}\u{3}\u{0}\u{0}\u{0}\u{0}".repeat(20),
    );
    let out = wd.expect(
        &["--lang", "es", "check", "a.csv", "b.xls", "-o", "r.xlsx"],
        2,
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("patronal: a.csv: no hay columna para id y ruc"),
        "{err}"
    );
    assert!(
        err.contains("patronal: b.xls: no es un libro de Excel"),
        "{err}"
    );
    assert!(!wd.join("r.xlsx").exists());
    // Lock files alone: nothing to check.
    wd.write("~$r.xlsx", owner_file());
    let out = wd.expect(&["--lang", "es", "check", "~$r.xlsx"], 2);
    assert!(
        stderr(&out)
            .contains("no hay nómina que revisar: todos los archivos son archivos de bloqueo"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_pattern_matching_nothing_is_fatal_only_when_nothing_matches() {
    let wd = Workdir::new();
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.xlsx\", \"otros/*.csv\"]\nlang = \"es\"\n",
    );
    wd.write("clientes/~$a.xlsx", owner_file());
    let out = wd.expect(&["check"], 2);
    assert_eq!(
        stderr(&out),
        "patronal: patronal.toml:1: `clientes/*.xlsx` no coincide con ningún archivo\n"
    );
}

#[test]
fn patronal_toml_speaks_its_own_language() {
    let wd = Workdir::new();
    wd.write("clientes/a.csv", GOOD);
    for (toml, error) in [
        (
            "lang = \"es\"\nrosters = [\"clientes/*.csv\"]\ncolores = 1\n",
            "patronal: patronal.toml:3: clave desconocida `colores`",
        ),
        (
            "rosters = [\"clientes/*.csv\"]\nreport = \"informes/{fcha}.jsonl\"\nlang = \"es\"\n",
            "patronal: patronal.toml:2: valor no válido para `report`: marcador desconocido `{fcha}`",
        ),
        (
            "rosters = [\"clientes/*.csv\"\nlang = \"es\"\n",
            "patronal: patronal.toml:",
        ),
    ] {
        wd.write("patronal.toml", toml);
        // Cron has no LANG.
        let out = wd.run(&["check"]);
        assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
        assert!(stderr(&out).starts_with(error), "{}", describe(&out));
        crate::lang::assert_spanish(toml, &stderr(&out), true);
    }
    // `{fecha}` is `{date}`; --lang on the command line still wins.
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nreport = \"informes/{fecha}.jsonl\"\nlang = \"es\"\ncolores = 1\n",
    );
    let out = wd.expect(&["--lang", "en", "check"], 2);
    assert!(
        stderr(&out).contains("unknown key `colores`"),
        "{}",
        describe(&out)
    );
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nreport = \"informes/{fecha}.jsonl\"\nlang = \"es\"\n",
    );
    wd.expect(&["check", "--quiet"], 1);
    let report = today(&wd, ".jsonl");
    let name = report.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.len() == "2026-12-01.jsonl".len() && name.as_bytes()[4] == b'-',
        "{name}"
    );
}

#[test]
fn portal_exports_that_are_html_or_text_are_read_as_such() {
    let wd = Workdir::new();
    let html = "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><meta charset=\"utf-8\"></head><body>\
        <table><tr><td colspan=3>Reporte de empleadores</td></tr>\
        <tr><th>Raz&oacute;n social</th><th>C&eacute;dula</th><th>RUC</th></tr>\
        <tr><td>Pe&ntilde;a &amp; Hijos</td><td>0428813992</td><td>0428813992001</td></tr>\
        <tr><td>Otro</td><td>1839879739</td><td>1839879738001</td></tr></table></body></html>";
    wd.write("portal.xls", html);
    wd.write(
        "sistema.xls",
        "Razón social\tCédula\tRUC\nComercial Tres\t0141141705\t0141141705001\n",
    );
    wd.write("tabla.csv", html);
    let out = wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "portal.xls",
            "sistema.xls",
            "tabla.csv",
            "-o",
            "r.jsonl",
        ],
        1,
    );
    let err = stderr(&out);
    assert!(
        err.contains("patronal: nota: portal.xls: es una tabla HTML, no un libro de Excel"),
        "{err}"
    );
    assert!(
        err.contains("patronal: nota: sistema.xls: es texto delimitado, no un libro de Excel: se lee como CSV"),
        "{err}"
    );
    let records = jsonl(&wd.read("r.jsonl"));
    let seen: Vec<(String, u64, String)> = records
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_owned(),
                r["row"].as_u64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("portal.xls".into(), 3, "ready".into()),
            ("portal.xls".into(), 4, "invalid".into()),
            ("sistema.xls".into(), 2, "ready".into()),
            ("tabla.csv".into(), 3, "ready".into()),
            ("tabla.csv".into(), 4, "invalid".into()),
        ]
    );
    // Anything else behind a workbook's name: one clear line in the run's language.
    wd.write(
        "ruido.xls",
        (0..4000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    let out = wd.expect(&["--lang", "es", "check", "ruido.xls"], 2);
    assert_eq!(
        stderr(&out),
        "patronal: ruido.xls: no es un libro de Excel: su contenido no es .xls ni .xlsx, ni texto; ábralo en Excel y guárdelo como .xlsx\n"
    );
}
