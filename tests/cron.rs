//! Cron and command-line habits: `--quiet` says nothing on a quiet night and names the news
//! on the others; `--fail-on` in both languages; `--map` over rosters of mixed layouts;
//! `--sheet` without case or accents; `check -`; `codes CODE`; `sample --style` with a
//! workbook.

use std::process::Stdio;

use crate::util::{Workdir, describe, jsonl, stderr, stdout};

/// Valid employers: cédula and its natural-person RUC.
const CEDULAS: [&str; 4] = ["0428813992", "1839879739", "0141141705", "2235364557"];

fn roster(header_id: &str, emails: [&str; 4]) -> String {
    let mut s = format!("Razón social,{header_id},RUC,Correo\n");
    for (i, (c, e)) in CEDULAS.iter().zip(emails).enumerate() {
        s.push_str(&format!("Ferretería {i},{c},{c}001,{e}\n"));
    }
    s
}

const GOOD: [&str; 4] = [
    "uno@ferreteria.ec",
    "dos@ferreteria.ec",
    "tres@ferreteria.ec",
    "cuatro@ferreteria.ec",
];

/// Three nights of `patronal check --quiet --fail-on new --compare` in `lang`: the first
/// (everything new and ready), a quiet one, then one employer newly broken.
fn three_nights(lang: &str) -> [std::process::Output; 3] {
    let wd = Workdir::new();
    let night = |n: u32, emails: [&str; 4]| {
        wd.write("clientes/norte.csv", roster("Cédula", emails));
        let report = format!("informes/{n}.jsonl");
        let previous = format!("informes/{}.jsonl", n - 1);
        let fail_on = if lang == "es" { "nuevo" } else { "new" };
        let mut args = vec![
            "--lang",
            lang,
            "check",
            "--quiet",
            "clientes/norte.csv",
            "--fail-on",
            fail_on,
            "-o",
            &report,
        ];
        // The first night has nothing to compare with (a file named must exist).
        if n > 1 {
            args.extend(["--compare", &previous]);
        }
        wd.run(&args)
    };
    std::fs::create_dir_all(wd.join("informes")).unwrap();
    let first = night(1, GOOD);
    let quiet = night(2, GOOD);
    let mut broken = GOOD;
    broken[2] = "no tiene";
    let news = night(3, broken);
    [first, quiet, news]
}

#[test]
fn a_quiet_night_prints_nothing_and_news_names_the_employer() {
    for (lang, status, code_message) in [
        (
            "en",
            "in person",
            "EMAIL_PLACEHOLDER: The e-mail is a filler, not a mailbox",
        ),
        (
            "es",
            "presencial",
            "EMAIL_PLACEHOLDER: El correo es un relleno, no un buzón real",
        ),
    ] {
        let [first, quiet, news] = three_nights(lang);
        for out in [&first, &quiet] {
            assert_eq!(out.status.code(), Some(0), "{lang}: {}", describe(out));
            assert!(
                out.stdout.is_empty() && out.stderr.is_empty(),
                "{lang}: {}",
                describe(out)
            );
        }
        assert_eq!(news.status.code(), Some(1), "{lang}: {}", describe(&news));
        assert!(stderr(&news).is_empty(), "{lang}: {}", describe(&news));
        let text = stdout(&news);
        let lines: Vec<&str> = text.lines().collect();
        let title = if lang == "es" {
            "nuevos con problemas: 1"
        } else {
            "newly flagged: 1"
        };
        assert_eq!(lines[0], title, "{lang}: {text}");
        assert_eq!(
            lines[1],
            format!(
                "  clientes/norte.csv:4  Ferretería 2  0141141705001  {status}  {code_message}"
            ),
            "{lang}: {text}"
        );
        assert_eq!(lines.len(), 2, "{lang}: {text}");
    }
}

#[test]
fn the_news_stops_after_50_and_names_the_report() {
    let wd = Workdir::new();
    wd.expect(
        &["sample", "--rows", "400", "--seed", "3", "-o", "r.csv"],
        0,
    );
    for (lang, more) in [("en", "… and "), ("es", "… y ")] {
        let out = wd.expect(
            &[
                "--lang",
                lang,
                "check",
                "--quiet",
                "r.csv",
                "-o",
                "informe.jsonl",
            ],
            1,
        );
        let report = jsonl(&wd.read("informe.jsonl"));
        let flagged = report.iter().filter(|r| r["status"] != "ready").count();
        assert!(flagged > 60, "{flagged}");
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        // A title, 50 employers, the rest counted.
        assert_eq!(lines.len(), 52, "{text}");
        let tail = if lang == "es" {
            "más en informe.jsonl"
        } else {
            "more in informe.jsonl"
        };
        assert_eq!(
            lines[51],
            format!("  {more}{} {tail}", flagged - 50),
            "{text}"
        );
        assert!(lines[1].starts_with("  r.csv:"), "{text}");
    }
}

#[test]
fn fail_on_takes_both_languages_and_never_guesses() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        roster("Cédula", ["a@a.com", GOOD[1], GOOD[2], GOOD[3]]),
    );
    // The one record is in person (a placeholder e-mail).
    for (value, status) in [
        ("nunca", 0),
        ("never", 0),
        ("inválido", 0),
        ("invalido", 0),
        ("invalid", 0),
        ("presencial", 1),
        ("in-person", 1),
        ("cualquiera", 1),
        ("nuevo", 1),
    ] {
        wd.expect(
            &["check", "r.csv", "--fail-on", value, "-o", "x.jsonl"],
            status,
        );
    }
    for lang in ["en", "es"] {
        let err = stderr(&wd.expect(&["--lang", lang, "check", "r.csv", "--fail-on", "nuev"], 2));
        assert!(!err.contains("tip") && !err.contains("similar"), "{err}");
        for v in ["nunca", "never", "nuevo", "new", "cualquiera", "any"] {
            assert!(err.contains(v), "{lang}: {v} not listed: {err}");
        }
    }
    // The config file too.
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nfail-on = \"nunca\"\n",
    );
    wd.expect(&["check", "--quiet"], 0);
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nfail-on = \"presencial\"\n",
    );
    wd.expect(&["check", "--quiet"], 1);
}

#[test]
fn map_adds_a_name_and_a_glob_limits_it() {
    let wd = Workdir::new();
    wd.write(
        "clientes/ferreteria-norte.csv",
        roster("Cédula del dueño", GOOD),
    );
    wd.write("clientes/panaderia.csv", roster("Cédula", GOOD));
    wd.write("otros/doc.csv", roster("Cod. titular", GOOD));
    // Before: the mapping broke every roster with the usual header.
    let out = wd.expect(
        &[
            "check",
            "clientes/ferreteria-norte.csv",
            "clientes/panaderia.csv",
            "--map",
            "id=Cédula del dueño",
            "-o",
            "r.jsonl",
        ],
        0,
    );
    assert_eq!(jsonl(&wd.read("r.jsonl")).len(), 8, "{}", describe(&out));
    // A glob: `Cod. titular` is the id only in otros/; a roster elsewhere with that header
    // keeps its usual detection (no header names its id: its cells do).
    wd.write("clientes/doc.csv", roster("Cod. titular", GOOD));
    for (lang, mapped, by_cells) in [
        (
            "en",
            "ID            ← \"Cod. titular\" (--map)",
            "ID            ← \"Cod. titular\" (by its cells: 4 of 4 look like cédulas)",
        ),
        (
            "es",
            "identificación         ← \"Cod. titular\" (--map)",
            "identificación         ← \"Cod. titular\" (por su contenido: 4 de 4 celdas parecen cédulas)",
        ),
    ] {
        let err = stderr(&wd.expect(
            &[
                "--lang",
                lang,
                "check",
                "otros/doc.csv",
                "clientes/doc.csv",
                "--map",
                "otros/*:id=Cod. titular",
                "-o",
                "r.jsonl",
            ],
            0,
        ));
        assert!(err.contains(mapped) && err.contains(by_cells), "{err}");
    }
    // Cells that are not cédulas say nothing: without --map the id column is missing.
    wd.write(
        "clientes/nombres.csv",
        "Razón social,Cod. titular,RUC\nFerretería,FER-001,1790011674001\n",
    );
    for (lang, words) in [("en", "no column for id"), ("es", "no hay columna para id")] {
        let err = stderr(&wd.expect(
            &[
                "--lang",
                lang,
                "check",
                "clientes/nombres.csv",
                "--map",
                "otros/*:id=Cod. titular",
            ],
            2,
        ));
        assert!(
            err.contains("clientes/nombres.csv") && err.contains(words),
            "{err}"
        );
    }
}

#[test]
fn sheet_ignores_case_and_accents() {
    let wd = Workdir::new();
    wd.expect(&["sample", "--rows", "10", "-o", "libro.xlsx"], 0);
    // The sample's sheets: "Clientes" and "Nuevos clientes".
    wd.expect(
        &[
            "check",
            "libro.xlsx",
            "--sheet",
            "CLIENTES",
            "--sheet",
            "nuevosclientes",
            "--fail-on",
            "never",
            "-o",
            "r.jsonl",
        ],
        0,
    );
    let sheets: Vec<String> = jsonl(&wd.read("r.jsonl"))
        .iter()
        .map(|r| r["sheet"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        sheets.contains(&"Clientes".to_owned()) && sheets.contains(&"Nuevos clientes".to_owned())
    );
    for (lang, words) in [("en", "no sheet named"), ("es", "no hay una hoja llamada")] {
        let err = stderr(&wd.expect(
            &["--lang", lang, "check", "libro.xlsx", "--sheet", "Nómina"],
            2,
        ));
        assert!(err.contains(words) && err.contains("\"Clientes\""), "{err}");
    }
}

#[test]
fn check_dash_reads_standard_input() {
    let wd = Workdir::new();
    let mut child = wd
        .command(&["check", "-", "--fail-on", "never", "-o", "r.jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut input, roster("Cédula", GOOD).as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report = jsonl(&wd.read("r.jsonl"));
    assert_eq!(report.len(), 4);
    assert_eq!(report[0]["source"], "-");
    assert_eq!(report[0]["row"], 2);
}

#[test]
fn codes_explains_the_codes_given() {
    let wd = Workdir::new();
    for (lang, message) in [
        (
            "en",
            "The RUC of a natural person must start with the employer's cédula",
        ),
        (
            "es",
            "El RUC de persona natural debe empezar con la cédula del empleador",
        ),
    ] {
        let text = stdout(&wd.expect(
            &[
                "--lang",
                lang,
                "codes",
                "ruc_id_mismatch",
                "EMAIL_PLACEHOLDER",
            ],
            0,
        ));
        // A heading, then two lines (message, fix) per code.
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.contains(message), "{text}");
        assert!(
            text.find("RUC_ID_MISMATCH") < text.find("EMAIL_PLACEHOLDER"),
            "{text}"
        );
    }
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&wd.expect(&["codes", "--json", "FIRST_KEY"], 0))).unwrap();
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["code"], "FIRST_KEY");
}

#[test]
fn sample_style_with_a_workbook_is_refused_not_ignored() {
    let wd = Workdir::new();
    for (lang, words) in [
        ("en", "--style excel is for CSV samples"),
        ("es", "--style excel es para muestras CSV"),
    ] {
        let err = stderr(&wd.expect(
            &["--lang", lang, "sample", "--style", "excel", "-o", "s.xlsx"],
            2,
        ));
        assert!(err.contains(words), "{err}");
        assert!(!wd.join("s.xlsx").exists());
    }
    // utf8 is what a workbook is: accepted; an Excel-style CSV honours it.
    wd.expect(
        &["sample", "--style", "utf8", "--rows", "5", "-o", "s.xlsx"],
        0,
    );
    wd.expect(
        &["sample", "--style", "excel", "--rows", "5", "-o", "s.csv"],
        0,
    );
    assert!(
        std::fs::read(wd.join("s.csv"))
            .unwrap()
            .windows(2)
            .any(|w| w == b"\r\n")
    );
}

#[test]
fn exit_2_is_not_exit_1_for_cron() {
    // The README's crontab tells news (1) from a broken roster or config (2).
    let wd = Workdir::new();
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nfail-on = \"nuevo\"\n",
    );
    for lang in ["en", "es"] {
        let out = wd.expect(&["--lang", lang, "check", "--quiet"], 2);
        assert!(stdout(&out).is_empty());
        assert!(
            stderr(&out).contains("patronal.toml:1"),
            "{}",
            describe(&out)
        );
    }
}

#[test]
fn the_summary_time_is_the_run_s_and_no_bar_off_a_terminal() {
    // Another run holds the report's lock for a second and a half: the wait is part of the
    // run, and of the time the summary gives.
    let wd = Workdir::new();
    wd.write("r.csv", roster("Cédula", GOOD));
    let lock = std::fs::File::create(wd.join("informe.jsonl.lock")).unwrap();
    lock.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        drop(lock);
    });
    let out = wd.expect(
        &[
            "check",
            "r.csv",
            "-o",
            "informe.jsonl",
            "--summary-json",
            "s.json",
        ],
        0,
    );
    release.join().unwrap();
    let summary: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let secs = summary["elapsed_seconds"].as_f64().unwrap();
    assert!(secs >= 1.0, "{secs}");
    let text = stderr(&out);
    let shown: f64 = text
        .lines()
        .find(|l| l.contains(" records from "))
        .unwrap()
        .split(" in ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .unwrap();
    assert!(shown >= 1.0, "{text}");
    // stderr is not a terminal: no progress bar, no stage line, in either language.
    for lang in ["en", "es"] {
        let out = wd.expect(&["--lang", lang, "check", "r.csv", "-o", "x.xlsx"], 0);
        let err = stderr(&out);
        assert!(!err.contains('\r') && !err.contains(" · "), "{err}");
        assert!(
            !err.contains("writing") && !err.contains("escribiendo"),
            "{err}"
        );
    }
}

/// A report cut by its reader (`-o - | head`) is an error in the run's language too.
#[cfg(unix)]
#[test]
fn a_cut_report_is_told_in_spanish() {
    let wd = Workdir::new();
    wd.expect(&["sample", "--rows", "20000", "-o", "big.csv"], 0);
    let mut cmd = std::process::Command::new("sh");
    cmd.args([
        "-c",
        r#"{ LANG=es_EC.UTF-8 "$0" check big.csv -o - 2>err.txt; echo $? >code.txt; } | head -1 >/dev/null"#,
        env!("CARGO_BIN_EXE_patronal"),
    ])
    .current_dir(wd.path());
    let out = crate::util::run_within(&mut cmd, 60).expect("finishes");
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(wd.read("code.txt").trim(), "2");
    assert_eq!(
        wd.read("err.txt"),
        "patronal: salida estándar: el lector del informe cerró la tubería antes del final: el informe está incompleto\n"
    );
}

/// The README's cron setup run three times the same day (`report = "{date}"`,
/// `compare = "previous"`): news, a quiet run, then one employer newly broken. A second run
/// the same day compares with the first one's report.
#[test]
fn three_runs_the_same_day_with_the_config_file() {
    let wd = Workdir::new();
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nreport = \"informes/{date}.jsonl\"\ncompare = \"previous\"\nfail-on = \"nuevo\"\nlang = \"es\"\n",
    );
    let mut emails = GOOD;
    emails[0] = "a@a.com";
    wd.write("clientes/norte.csv", roster("Cédula", emails));
    let first = wd.expect(&["check", "--quiet"], 1);
    assert!(
        stdout(&first).starts_with("nuevos con problemas: 1\n"),
        "{}",
        describe(&first)
    );
    let quiet = wd.expect(&["check", "--quiet"], 0);
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{}",
        describe(&quiet)
    );
    emails[3] = "no tiene";
    wd.write("clientes/norte.csv", roster("Cédula", emails));
    let news = wd.expect(&["check", "--quiet"], 1);
    let text = stdout(&news);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("clientes/norte.csv:5  Ferretería 3"),
        "{text}"
    );
}
