//! Unattended runs: the config file, the comparison with the previous run, the lock.

use serde_json::Value;

use crate::util::{Workdir, describe, stderr};

const HEADER: &str = "Nombre,Cédula,RUC,Correo\n";

/// Ten employers; `broken` ones have a mistyped cédula (invalid).
fn roster(employers: &[(&str, &str, bool)]) -> String {
    let mut s = String::from(HEADER);
    for (name, cedula, broken) in employers {
        let id = if *broken {
            format!("{}{}", &cedula[..9], (cedula.as_bytes()[9] - b'0' + 1) % 10)
        } else {
            cedula.to_string()
        };
        s.push_str(&format!(
            "{name},{id},{cedula}001,{}@gmail.com\n",
            name.to_lowercase()
        ));
    }
    s
}

const CEDULAS: [&str; 10] = [
    "0428813992",
    "1839879739",
    "0141141705",
    "2235364557",
    "1358151882",
    "1027294055",
    "1236169874",
    "0438976847",
    "1447880939",
    "0508196722",
];

fn changes(wd: &Workdir, report: &str) -> Vec<String> {
    wd.read(report)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["change"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn two_runs_report_exactly_what_changed() {
    let wd = Workdir::new();
    let names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
    // Yesterday: C, D, E broken; J present.
    let yesterday: Vec<_> = names
        .iter()
        .zip(CEDULAS)
        .map(|(n, c)| (*n, c, matches!(*n, "C" | "D" | "E")))
        .collect();
    wd.write("yesterday.csv", roster(&yesterday));
    wd.expect(
        &["check", "yesterday.csv", "-o", "yesterday.jsonl", "-q"],
        1,
    );
    // Today: C, D, E fixed; A and B newly broken; J gone.
    let today: Vec<_> = names[..9]
        .iter()
        .zip(CEDULAS)
        .map(|(n, c)| (*n, c, matches!(*n, "A" | "B")))
        .collect();
    wd.write("today.csv", roster(&today));
    let out = wd.expect(
        &[
            "check",
            "today.csv",
            "--compare",
            "yesterday.jsonl",
            "--fail-on",
            "new",
            "-o",
            "today.jsonl",
            "--summary-json",
            "s.json",
        ],
        1,
    );
    assert_eq!(
        changes(&wd, "today.jsonl"),
        [
            "worse", "worse", "better", "better", "better", "same", "same", "same", "same"
        ]
    );
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let c = &s["changes"];
    assert_eq!(
        (
            c["worse"].as_u64(),
            c["better"].as_u64(),
            c["same"].as_u64(),
            c["new"].as_u64()
        ),
        (Some(2), Some(3), Some(4), Some(0))
    );
    assert_eq!(c["newly_flagged"], 2);
    assert_eq!(c["disappeared"].as_array().unwrap().len(), 1);
    assert_eq!(c["disappeared"][0]["ruc"], format!("{}001", CEDULAS[9]));
    let summary = stderr(&out);
    // What the roster's columns could not check comes first (no RUC status, no first-key
    // column here), each note with how to check it; then the news.
    let first = summary
        .lines()
        .find(|l| !l.starts_with("NOT CHECKED") && !l.starts_with("  To check it"))
        .unwrap();
    assert!(
        summary.starts_with("NOT CHECKED: the RUC's status"),
        "{summary}"
    );
    assert_eq!(first, "newly flagged: 2", "news first: {summary}");
    assert!(
        summary.contains("newly fixed: 3") && summary.contains("disappeared: 1"),
        "{summary}"
    );

    // The CSV report (for Excel) carries the change as its last column.
    wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "today.csv",
            "--compare",
            "yesterday.jsonl",
            "-o",
            "today.csv.csv",
            "-q",
        ],
        1,
    );
    // Spanish: `;` between fields; the change right after the row.
    let csv = wd.read("today.csv.csv");
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(";fila;cambio;celdas_extra"));
    let last: Vec<&str> = lines.map(|l| l.rsplit(';').nth(1).unwrap()).collect();
    assert_eq!(
        last,
        [
            "peor", "peor", "mejor", "mejor", "mejor", "igual", "igual", "igual", "igual"
        ]
    );

    // Tomorrow: nothing new is broken (A and B stay broken): --fail-on new is quiet.
    wd.expect(
        &[
            "check",
            "today.csv",
            "--compare",
            "today.jsonl",
            "--fail-on",
            "new",
            "-o",
            "tomorrow.jsonl",
            "-q",
        ],
        0,
    );
    assert!(changes(&wd, "tomorrow.jsonl").iter().all(|c| c == "same"));
    // A previous report named that does not exist is refused (a typo is not a first
    // night); the first night is `compare = "previous"` finding none (tests/files.rs).
    let out = wd.expect(
        &[
            "check",
            "today.csv",
            "--compare",
            "none.jsonl",
            "--fail-on",
            "new",
            "-o",
            "first.jsonl",
            "-q",
        ],
        2,
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("none.jsonl"),
        "{}",
        describe(&out)
    );
    assert!(!wd.join("first.jsonl").exists());
    // Without --compare, the report has no `change` key at all.
    wd.expect(&["check", "today.csv", "-o", "plain.jsonl", "-q"], 1);
    assert!(!wd.read("plain.jsonl").contains("\"change\""));
}

#[test]
fn config_file_runs_unattended_and_flags_win() {
    let wd = Workdir::new();
    wd.write("clientes/a.csv", roster(&[("A", CEDULAS[0], false)]));
    wd.write(
        "clientes/b.csv",
        "Nombre,Documento del dueño,RUC,Correo\nB,1839879739,1839879739001,b@gmail.com\n",
    );
    wd.write(
        "patronal.toml",
        "# Nightly audit\n\
         rosters = [\"clientes/*.csv\"]\n\
         report = \"reports/{date}.jsonl\"\n\
         fail-on = \"any\"\n\
         lang = \"es\"\n\
         compare = \"previous\"\n\
         \n\
         [[map]]\n\
         pattern = \"clientes/b.csv\"\n\
         fields = { id = \"Documento del dueño\" }\n",
    );
    let out = wd.expect(&["check"], 0);
    assert!(
        stderr(&out).contains("2 registros"),
        "the file's language: {}",
        stderr(&out)
    );
    let reports: Vec<_> = std::fs::read_dir(wd.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}"); // the report, and no lock file left
    let report = reports.iter().find(|r| r.ends_with(".jsonl")).unwrap();
    assert_eq!(report.len(), "2026-01-01.jsonl".len());
    assert_eq!(wd.read(&format!("reports/{report}")).lines().count(), 2);

    // A flag beats the file.
    wd.write("clientes/c.csv", roster(&[("C", CEDULAS[2], true)]));
    wd.expect(&["check"], 1);
    wd.expect(&["check", "--fail-on", "never"], 0);
    wd.expect(
        &[
            "--lang",
            "en",
            "check",
            "--fail-on",
            "never",
            "-o",
            "x.jsonl",
        ],
        0,
    );
    assert!(wd.join("x.jsonl").exists());
}

#[test]
fn config_errors_name_the_key_and_line() {
    let wd = Workdir::new();
    wd.write("a.csv", roster(&[("A", CEDULAS[0], false)]));
    wd.write("c1.toml", "rosters = [\"a.csv\"]\n\nfial-on = \"any\"\n");
    let err = stderr(&wd.expect(&["check", "--config", "c1.toml"], 2));
    assert!(
        err.contains("c1.toml:3:") && err.contains("fial-on"),
        "{err}"
    );
    wd.write(
        "c2.toml",
        "rosters = [\"a.csv\"]\nfail-on = \"sometimes\"\n",
    );
    let err = stderr(&wd.expect(&["check", "--config", "c2.toml"], 2));
    assert!(
        err.contains("c2.toml:2:") && err.contains("sometimes"),
        "{err}"
    );
    wd.write("c3.toml", "rosters = [\"a.csv\"]\nencoding = \"ebcdic\"\n");
    let err = stderr(&wd.expect(&["check", "--config", "c3.toml"], 2));
    assert!(err.contains("c3.toml:2: bad value for `encoding`"), "{err}");
    wd.write("c4.toml", "rosters = [\"nada/*.csv\"]\n");
    let err = stderr(&wd.expect(&["check", "--config", "c4.toml"], 2));
    assert!(
        err.contains("c4.toml:1:") && err.contains("matches no file"),
        "{err}"
    );
    let err = stderr(&wd.expect(&["check"], 2));
    assert!(err.contains("no roster to check"), "{err}");
}

#[test]
fn overlapping_runs_do_not_clobber_the_report() {
    let wd = Workdir::new();
    wd.write("a.csv", roster(&[("A", CEDULAS[0], false)]));
    wd.expect(&["check", "a.csv", "-o", "r.jsonl"], 0);
    let before = wd.read("r.jsonl");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(wd.join("r.jsonl.lock"))
        .unwrap();
    lock.lock().unwrap();
    wd.write("b.csv", roster(&[("B", CEDULAS[1], true)]));
    let err = stderr(&wd.expect(&["check", "b.csv", "-o", "r.jsonl", "--lock-wait", "1"], 2));
    assert!(
        err.contains("r.jsonl: another patronal run is writing this report"),
        "{err}"
    );
    assert_eq!(wd.read("r.jsonl"), before);
    drop(lock);
    wd.expect(&["check", "b.csv", "-o", "r.jsonl", "--lock-wait", "1"], 1);
}

/// `{date}` is the local date: at any moment, 14 hours east of UTC and 12 hours west are on
/// different days (POSIX TZ strings: no time zone database needed).
#[test]
fn report_date_is_local() {
    let wd = Workdir::new();
    wd.write("a.csv", roster(&[("A", CEDULAS[0], false)]));
    wd.write(
        "patronal.toml",
        "rosters = [\"a.csv\"]\nreport = \"{date}.jsonl\"\n",
    );
    for tz in ["XST-14", "YST12"] {
        let out = wd.command(&["check"]).env("TZ", tz).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let mut reports: Vec<_> = std::fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    reports.sort();
    assert_eq!(reports.len(), 2, "two dates: {reports:?}");
}

/// A RUC that Excel damaged in one run and not in the other is still the same employer:
/// same file, same row.
#[test]
fn a_ruc_fixed_or_damaged_since_the_last_run_is_the_same_employer() {
    let wd = Workdir::new();
    let line = |name: &str, cedula: &str, ruc: &str| {
        format!("{name},{cedula},{ruc},{}@gmail.com\n", name.to_lowercase())
    };
    let night = |a_ruc: &str, b_ruc: &str| {
        format!(
            "{HEADER}{}{}{}",
            line("A", CEDULAS[0], a_ruc),
            line("B", CEDULAS[1], b_ruc),
            line("C", CEDULAS[2], &format!("{}001", CEDULAS[2]))
        )
    };
    // Last night A's RUC was in scientific notation; this morning it is fixed, and B's
    // was damaged instead.
    wd.write(
        "clientes.csv",
        night("4.28814E+11", &format!("{}001", CEDULAS[1])),
    );
    wd.expect(&["check", "clientes.csv", "-o", "ayer.jsonl", "-q"], 1);
    wd.write(
        "clientes.csv",
        night(&format!("{}001", CEDULAS[0]), "1.83988E+12"),
    );
    wd.expect(
        &[
            "check",
            "clientes.csv",
            "--compare",
            "ayer.jsonl",
            "-o",
            "hoy.jsonl",
            "--summary-json",
            "s.json",
            "-q",
        ],
        1,
    );
    assert_eq!(changes(&wd, "hoy.jsonl"), ["better", "worse", "same"]);
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(s["changes"]["disappeared"].as_array().unwrap().len(), 0);
}
