//! Reports an accountant can trust (issue 15) and their robustness (issue 20): one table
//! shape, no input ever written, several outputs committed together, any report usable as
//! the previous night's.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::util::{Workdir, jsonl, run_within, stderr, zip_text};

/// Two generated rosters of different layouts, as offices have them: `a.csv` (UTF-8, `,`,
/// `Razón social,Cédula,RUC,…`) and `b.csv` (Excel on a Spanish Windows: `;`, a title line,
/// `Nº;Razón social;Identificación;Nro. RUC;…`).
fn two_rosters(wd: &Workdir) {
    wd.expect(
        &["sample", "--rows", "120", "--seed", "2026", "-o", "a.csv"],
        0,
    );
    wd.expect(
        &[
            "sample", "--rows", "80", "--seed", "593", "--style", "excel", "-o", "b.csv",
        ],
        0,
    );
}

/// The rows of a CSV report (BOM removed), header first.
fn csv_rows(wd: &Workdir, name: &str, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(wd.join(name)).unwrap();
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

#[test]
fn two_layouts_make_one_table_in_csv_and_in_the_workbook() {
    let wd = Workdir::new();
    two_rosters(&wd);
    wd.expect(
        &["check", "a.csv", "b.csv", "-o", "r.csv", "-o", "r.xlsx"],
        1,
    );
    let rows = csv_rows(&wd, "r.csv", b',');
    assert_eq!(rows.len(), 201);
    let width = rows[0].len();
    assert!(
        rows.iter().all(|r| r.len() == width),
        "every row is the header's width"
    );
    assert_eq!(
        &rows[0][..8],
        [
            "ID",
            "RUC",
            "Sucursal",
            "Name",
            "Email",
            "RUC status",
            "First time",
            "Employer type"
        ]
    );
    assert_eq!(
        &rows[0][8..16],
        [
            "result",
            "codes",
            "messages",
            "normalized_id",
            "normalized_ruc",
            "normalized_sucursal",
            "source",
            "row"
        ]
    );
    // `Cédula` of one roster and `Identificación` of the other are one column; `Nº`, only in
    // the second, is a column of its own after the verdict.
    assert!(rows[0].iter().filter(|h| *h == "ID").count() == 1);
    assert!(
        !rows[0]
            .iter()
            .any(|h| h == "Cédula" || h == "Identificación")
    );
    let (result, source, id, n) = (
        column(&rows, "result"),
        column(&rows, "source"),
        column(&rows, "normalized_id"),
        column(&rows, "Nº"),
    );
    for row in &rows[1..] {
        assert!(
            ["ready", "invalid", "in person"].contains(&row[result].as_str()),
            "{row:?}"
        );
        assert!(!row[0].is_empty() || !row[id].is_empty(), "{row:?}");
        assert_eq!(row[n].is_empty(), row[source] == "a.csv", "{row:?}");
    }

    // The workbook: the same columns in the same order, under headings a person reads (the
    // CSV report keeps its machine names).
    let mut book: Xlsx<_> = open_workbook(wd.join("r.xlsx")).unwrap();
    let records = book.worksheet_range("Records").unwrap();
    let header: Vec<String> = records
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[..8], rows[0][..8]);
    assert_eq!(
        header[8..16],
        [
            "Result",
            "Findings (code — message)",
            "How to fix",
            "Normalized ID",
            "Normalized RUC",
            "Normalized sucursal",
            "File",
            "Row"
        ]
    );
    assert_eq!(header[16..], ["Nº", "Cells beyond the header"]);
    assert_eq!(records.height(), 201);
}

#[test]
fn the_csv_delimiter_follows_the_language_unless_chosen() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Cédula,RUC,Notas\n0428813992,0428813992001,\"a;b,c\"\n",
    );
    wd.expect(&["--lang", "es", "check", "r.csv", "-o", "es.csv"], 0);
    let es = csv_rows(&wd, "es.csv", b';');
    assert_eq!(es[0][0], "Identificación");
    assert_eq!(es[1][column(&es, "Notas")], "a;b,c");
    assert_eq!(es[1][column(&es, "resultado")], "lista");
    wd.expect(&["--lang", "en", "check", "r.csv", "-o", "en.csv"], 0);
    let en = csv_rows(&wd, "en.csv", b',');
    assert_eq!(en[1][column(&en, "Notas")], "a;b,c");
    assert!(wd.read("en.csv").contains("ID,RUC,result"));
    wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "r.csv",
            "-o",
            "tab.csv",
            "--csv-delimiter",
            "tab",
        ],
        0,
    );
    assert!(
        wd.read("tab.csv")
            .contains("Identificación\tRUC\tresultado")
    );
}

/// Runs `args`, expecting exit 2 and `roster` unchanged; returns stderr.
fn refused(wd: &Workdir, args: &[&str], roster: &str) -> String {
    let before = std::fs::read(wd.join(roster)).unwrap();
    let out = wd.expect(args, 2);
    assert_eq!(
        std::fs::read(wd.join(roster)).unwrap(),
        before,
        "{roster} untouched"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn no_input_is_ever_written() {
    let wd = Workdir::new();
    two_rosters(&wd);
    let err = refused(&wd, &["check", "a.csv", "-o", "a.csv"], "a.csv");
    assert!(err.contains("a roster of this run"), "{err}");
    refused(
        &wd,
        &["check", "a.csv", "-o", "./a.csv", "--only-flagged"],
        "a.csv",
    );
    refused(
        &wd,
        &[
            "check",
            "b.csv",
            "a.csv",
            "-o",
            "x.jsonl",
            "--summary-json",
            "a.csv",
        ],
        "a.csv",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(wd.join("a.csv"), wd.join("link.csv")).unwrap();
        refused(&wd, &["check", "a.csv", "-o", "link.csv"], "a.csv");
    }
    let err = refused(
        &wd,
        &[
            "--lang", "es", "check", "a.csv", "-o", "b.csv", "-o", "b.csv",
        ],
        "b.csv",
    );
    assert!(err.contains("otra salida"), "{err}");
    // The previous report of the same run.
    wd.expect(&["check", "a.csv", "-o", "prev.jsonl"], 1);
    let err = refused(
        &wd,
        &[
            "check",
            "a.csv",
            "--compare",
            "prev.jsonl",
            "-o",
            "prev.jsonl",
        ],
        "prev.jsonl",
    );
    assert!(err.contains("previous report"), "{err}");
    // A catastro file, for `check` and for `catastro build`.
    wd.expect(
        &[
            "sample", "--format", "catastro", "--rows", "50", "-o", "cat.csv",
        ],
        0,
    );
    refused(
        &wd,
        &["check", "a.csv", "--catastro", "cat.csv", "-o", "cat.csv"],
        "cat.csv",
    );
    refused(
        &wd,
        &["catastro", "build", "cat.csv", "-o", "./cat.csv"],
        "cat.csv",
    );
    // A workbook roster.
    wd.expect(&["sample", "--rows", "30", "-o", "vx.xlsx"], 0);
    refused(&wd, &["check", "vx.xlsx", "-o", "vx.xlsx"], "vx.xlsx");
    // The config's report naming a roster.
    wd.write(
        "patronal.toml",
        "rosters = [\"a.csv\"]\nreport = \"a.csv\"\n",
    );
    refused(&wd, &["check"], "a.csv");
}

#[test]
fn a_glob_run_twice_does_not_read_its_own_report() {
    for format in ["csv", "jsonl", "json", "xlsx"] {
        let wd = Workdir::new();
        two_rosters(&wd);
        let report = format!("informe.{format}");
        // `patronal check *.csv -o informe.csv`: from the second night on, the shell's glob
        // names the report too. Also another report in another format.
        let nights: [&[&str]; 3] = [
            &["a.csv", "b.csv"],
            &["a.csv", "b.csv", &report],
            &["a.csv", "b.csv", &report, "other.csv"],
        ];
        wd.expect(&["check", "a.csv", "-o", "other.csv", "-q"], 1);
        for (night, rosters) in nights.iter().enumerate() {
            let mut args = vec!["check"];
            args.extend(rosters.iter());
            args.extend(["-o", &report, "--summary-json", "s.json"]);
            let out = wd.expect(&args, 1);
            let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
            assert_eq!(
                s["records"],
                200,
                "{format} night {night}: {}",
                stderr(&out)
            );
            let notes = stderr(&out)
                .lines()
                .filter(|l| l.contains("a patronal report, not a roster: skipped"))
                .count();
            assert_eq!(notes, night, "{format} night {night}: {}", stderr(&out));
        }
    }
}

#[test]
fn several_outputs_from_one_run_and_from_the_config() {
    let wd = Workdir::new();
    two_rosters(&wd);
    wd.expect(
        &[
            "check", "a.csv", "-o", "r.xlsx", "-o", "r.jsonl", "-o", "r.csv",
        ],
        1,
    );
    assert_eq!(jsonl(&wd.read("r.jsonl")).len(), 120);
    assert!(wd.join("r.xlsx").exists() && wd.join("r.csv").exists());
    wd.write(
        "patronal.toml",
        "rosters = [\"*.csv\"]\nreport = [\"informes/{date}.xlsx\", \"informes/{date}.jsonl\"]\n",
    );
    wd.expect(&["check", "-q"], 1);
    let mut names: Vec<String> = std::fs::read_dir(wd.join("informes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}: no lock left");
    assert!(names[0].ends_with(".jsonl") && names[1].ends_with(".xlsx"));
}

#[test]
fn an_unknown_report_extension_is_refused() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    for name in ["r.txt", "r.xls", "r"] {
        let out = wd.expect(&["check", "r.csv", "-o", name], 2);
        assert!(
            stderr(&out).contains(".xlsx (workbook), .csv, .jsonl or .json"),
            "{}",
            stderr(&out)
        );
        assert!(!wd.join(name).exists());
    }
    let out = wd.expect(&["--lang", "es", "check", "r.csv", "-o", "r.txt"], 2);
    assert!(stderr(&out).contains("formato de informe desconocido"));
    wd.expect(&["check", "r.csv", "-o", "r.txt", "--format", "csv"], 0);
    assert!(wd.read("r.txt").contains("result"));
}

/// Writes night 1's report of `roster` as `name`, night 2 compares with it.
fn night_two(wd: &Workdir, roster: &str, previous: &str, lang: &str) -> serde_json::Value {
    wd.expect(&["--lang", lang, "check", roster, "-o", previous, "-q"], 1);
    wd.expect(
        &[
            "check",
            roster,
            "--compare",
            previous,
            "-o",
            "today.jsonl",
            "--summary-json",
            "s.json",
            "--fail-on",
            "new",
            "-q",
        ],
        0,
    );
    let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    s["changes"].clone()
}

#[test]
fn compare_reads_every_report_patronal_writes() {
    let wd = Workdir::new();
    two_rosters(&wd);
    wd.expect(
        &["sample", "--rows", "40", "--seed", "7", "-o", "c.xlsx"],
        0,
    );
    for roster in ["a.csv", "b.csv", "c.xlsx"] {
        for (previous, lang) in [
            ("n1.jsonl", "en"),
            ("n1.json", "en"),
            ("n1.csv", "en"),
            ("n1es.csv", "es"),
            ("n1.xlsx", "en"),
            ("n1es.xlsx", "es"),
        ] {
            let c = night_two(&wd, roster, previous, lang);
            assert_eq!(c["newly_flagged"], 0, "{roster} {previous}: {c}");
            assert_eq!(c["new"], 0, "{roster} {previous}: {c}");
            assert_eq!(
                c["disappeared"].as_array().unwrap().len(),
                0,
                "{roster} {previous}"
            );
        }
    }
    // Not a report: one line naming the file, exit 2.
    wd.write("notes.csv", "hello,world\n1,2\n");
    let out = wd.expect(
        &["check", "a.csv", "--compare", "notes.csv", "-o", "x.jsonl"],
        2,
    );
    assert!(
        stderr(&out).contains("notes.csv: cannot use as the previous report"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn compare_previous_finds_the_latest_report_whatever_its_format() {
    let wd = Workdir::new();
    two_rosters(&wd);
    // Last night's report was a workbook; tonight's config asks for CSV and JSON Lines.
    std::fs::create_dir(wd.join("informes")).unwrap();
    wd.expect(
        &["check", "a.csv", "-o", "informes/2000-01-02.xlsx", "-q"],
        1,
    );
    wd.write("informes/2000-01-01.jsonl", "");
    wd.write(
        "patronal.toml",
        "rosters = [\"a.csv\"]\nreport = [\"informes/{date}.csv\", \"informes/{date}.jsonl\"]\n\
         compare = \"previous\"\nfail-on = \"new\"\nsummary-json = \"s.json\"\n",
    );
    wd.expect(&["check", "-q"], 0);
    let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(s["changes"]["same"], 120, "{}", s["changes"]);
    // Night 3 compares with night 2 (today's files are this run's own: not previous).
    wd.expect(&["check", "-q"], 0);
}

#[test]
fn an_employer_listed_twice_is_not_news_every_night() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC,Correo\n\
         Ana,0428813992,0428813992001,ana@gmail.com\n\
         Ana,0428813992,0428813992001,\n\
         Luis,1839879739,1839879739001,luis@gmail.com\n",
    );
    for previous in ["n1.jsonl", "n1.csv", "n1.xlsx"] {
        let c = night_two(&wd, "r.csv", previous, "en");
        assert_eq!(
            (c["same"].as_u64(), c["newly_flagged"].as_u64()),
            (Some(3), Some(0)),
            "{previous}: {c}"
        );
        assert!(
            c["disappeared"].as_array().unwrap().is_empty(),
            "{previous}: {c}"
        );
    }
}

#[test]
fn a_ruc_corrected_in_place_is_one_change() {
    let wd = Workdir::new();
    // Night 1: Ana's RUC mistyped (a valid-looking RUC of someone else's cédula).
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC,Correo\n\
         Ana,0428813992,1839879739001,ana@gmail.com\n\
         Luis,1358151882,1358151882001,luis@gmail.com\n",
    );
    for previous in ["n1.jsonl", "n1.xlsx"] {
        wd.expect(&["check", "r.csv", "-o", previous, "-q"], 1);
        let fixed = wd.read("r.csv").replace("1839879739001", "0428813992001");
        wd.write("fixed.csv", &fixed);
        // The same file, row and name: copy it over the roster's name for night 2.
        let night1 = wd.read("r.csv");
        wd.write("r.csv", &fixed);
        wd.expect(
            &[
                "check",
                "r.csv",
                "--compare",
                previous,
                "-o",
                "n2.jsonl",
                "--summary-json",
                "s.json",
                "-q",
            ],
            0,
        );
        wd.write("r.csv", &night1);
        let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
        let c = &s["changes"];
        assert_eq!(c["better"], 1, "{previous}: {c}");
        assert_eq!(c["new"], 0, "{previous}: {c}");
        assert!(
            c["disappeared"].as_array().unwrap().is_empty(),
            "{previous}: {c}"
        );
    }
}

#[test]
fn a_previous_report_that_is_not_one_is_refused_without_reading_it_all() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    let mut long = b"{\"source\":\"".to_vec();
    long.resize(3 << 20, b'a');
    wd.write("long.jsonl", &long);
    for previous in ["/dev/zero", "long.jsonl"] {
        if !Path::new(previous).exists() && previous.starts_with('/') {
            continue;
        }
        // Under the hostile-input harness's memory limit (512 MB of address space).
        let out = wd
            .run_limited(
                &["check", "r.csv", "--compare", previous, "-o", "x.jsonl"],
                60,
            )
            .expect("no hang");
        assert_eq!(out.status.code(), Some(2), "{previous}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(previous) && err.lines().count() == 1, "{err}");
        assert!(!wd.join("x.jsonl").exists());
    }
}

#[test]
fn a_failed_output_leaves_every_output_as_it_was() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    wd.write("r.jsonl", "last night\n");
    wd.write("r.xlsx", "last night\n");
    // The summary cannot be written (a full device): exit 2, and the report, written
    // before it, is not moved into place.
    if Path::new("/dev/full").exists() {
        let out = wd.expect(
            &[
                "check",
                "r.csv",
                "-o",
                "r.jsonl",
                "--summary-json",
                "/dev/full",
            ],
            2,
        );
        assert!(stderr(&out).contains("/dev/full"), "{}", stderr(&out));
        assert_eq!(wd.read("r.jsonl"), "last night\n", "exit 2 writes nothing");
        let out = wd.expect(
            &[
                "check",
                "r.csv",
                "-o",
                "r.jsonl",
                "-o",
                "r.xlsx",
                "--summary-json",
                "/dev/full",
            ],
            2,
        );
        assert!(stderr(&out).contains("/dev/full"), "{}", stderr(&out));
        assert_eq!(wd.read("r.jsonl"), "last night\n");
        assert_eq!(wd.read("r.xlsx"), "last night\n");
    }
    // The summary's path is a folder: refused before anything is read.
    std::fs::create_dir(wd.join("dir")).unwrap();
    let out = wd.expect(
        &["check", "r.csv", "-o", "r.jsonl", "--summary-json", "dir"],
        2,
    );
    assert!(
        stderr(&out).contains("dir: is a folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(wd.read("r.jsonl"), "last night\n");
    let left: Vec<_> = std::fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".patronal-") || n.ends_with(".lock"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn errors_name_the_cause_once() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula,RUC\n0428813992,0428813992001\n");
    let out = wd.expect(&["check", "missing.csv"], 2);
    let err = stderr(&out);
    // The cause once: "missing.csv: cannot read: not found", never the system's text twice.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("missing.csv"), "{err}");
    let cause = err.rsplit(": ").next().unwrap().trim();
    assert_eq!(err.matches(cause).count(), 1, "{err}");
    let out = wd.expect(&["check", "r.csv", "-o", "nodir/r.csv"], 2);
    let err = stderr(&out);
    assert!(err.contains("the folder nodir does not exist"), "{err}");
    assert!(!err.contains(".lock"), "{err}");
    let out = wd.expect(&["--lang", "es", "check", "r.csv", "-o", "nodir/r.csv"], 2);
    assert!(stderr(&out).contains("la carpeta nodir no existe"));
    // And no lock file is left beside a report.
    wd.expect(&["check", "r.csv", "-o", "ok.csv"], 0);
    assert!(!wd.join("ok.csv.lock").exists());
}

#[test]
fn a_wide_roster_is_laid_out_in_linear_time() {
    let wd = Workdir::new();
    // 100,000 header cells, 20 rows: the pairwise layout took minutes.
    let mut text = String::from("Cédula,RUC");
    for i in 0..100_000 {
        text.push_str(&format!(",c{i}"));
    }
    text.push('\n');
    for _ in 0..20 {
        text.push_str("0428813992,0428813992001");
        text.push_str(&",x".repeat(100_000));
        text.push('\n');
    }
    wd.write("wide.csv", text);
    for report in ["r.csv", "r.xlsx"] {
        let started = std::time::Instant::now();
        let out = run_within(&mut wd.command(&["check", "wide.csv", "-o", report]), 120)
            .expect("no hang");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        eprintln!("{report}: {:?}", started.elapsed());
    }
    let rows = csv_rows(&wd, "r.csv", b',');
    assert_eq!(rows[0].len(), 2 + 8 + 100_000 + 1);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
}

#[test]
fn a_header_longer_than_a_cell_is_cut_in_the_workbook() {
    let wd = Workdir::new();
    let long = "N".repeat(40_000);
    wd.write(
        "r.csv",
        format!("Cédula,RUC,{long}\n0428813992,0428813992001,x\n"),
    );
    let out = wd.expect(&["check", "r.csv", "-o", "r.xlsx"], 0);
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("error"));
    let mut book: Xlsx<_> = open_workbook(wd.join("r.xlsx")).unwrap();
    let records = book.worksheet_range("Records").unwrap();
    let Some(Data::String(header)) = records.get_value((0, 10)) else {
        panic!("the long header is text");
    };
    assert_eq!(header.chars().count(), 32_767);
    assert!(header.ends_with('…'));
    // The CSV report keeps it whole.
    wd.expect(&["check", "r.csv", "-o", "r.csv.csv"], 0);
    assert!(wd.read("r.csv.csv").contains(&long));
}

/// A full disk: one clear error naming the report, never the zip library's raw
/// `ZipWriter::drop` line. Needs a small file system: a tmpfs, mounted when the tests run
/// as root (skipped otherwise).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_gives_one_clear_error() {
    use std::process::Command;
    let wd = Workdir::new();
    let small = wd.join("small");
    std::fs::create_dir(&small).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&small)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs (not root)");
        return;
    }
    wd.expect(&["sample", "--rows", "3000", "-o", "r.csv"], 0);
    let results: Vec<_> = ["small/r.xlsx", "small/r.csv", "small/r.jsonl"]
        .iter()
        .map(|report| (report, wd.run(&["check", "r.csv", "-o", report, "-q"])))
        .collect();
    let _ = Command::new("umount").arg(&small).status();
    for (report, out) in results {
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{report}: {err}");
        assert!(!err.contains("ZipWriter"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(report) && err.to_lowercase().contains("no space left"),
            "{err}"
        );
    }
}

#[test]
fn the_workbook_reads_and_prints_well() {
    let wd = Workdir::new();
    two_rosters(&wd);
    wd.expect(&["check", "a.csv", "b.csv", "-o", "r.xlsx"], 1);
    let path = wd.join("r.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let row_of = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label}"))
            .to_vec()
    };
    let version = row_of("patronal version");
    assert_eq!(version[1], Data::String(env!("CARGO_PKG_VERSION").into()));
    let Data::String(when) = &row_of("Audit date and time")[1] else {
        panic!("a date");
    };
    assert_eq!(when.len(), "2026-12-02 07:00".len());
    // Each input with its counts, in columns of their own.
    assert_eq!(row_of("a.csv")[1], Data::Float(120.0));
    assert_eq!(row_of("b.csv")[1], Data::Float(80.0));
    // Codes by severity: every error before every in-person code, before every warning;
    // each with its fix.
    let header = summary
        .rows()
        .position(|r| r[0] == Data::String("Records by code, the most serious first".into()))
        .unwrap()
        + 1;
    let severities: Vec<String> = summary
        .rows()
        .skip(header + 1)
        .take_while(|r| r[0] != Data::Empty)
        .map(|r| {
            assert!(!r[7].to_string().is_empty(), "a fix hint: {r:?}");
            r[2].to_string()
        })
        .collect();
    let rank = |s: &str| {
        ["error", "in person", "warning"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    assert!(
        severities.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{severities:?}"
    );
    assert!(severities.contains(&"warning".to_owned()));
    // The chart of what blocks the recovery names no warning.
    let chart = zip_text(&path, "xl/charts/chart2.xml");
    let blocking = severities.iter().filter(|s| *s != "warning").count();
    assert!(
        chart.contains(&format!("$A${}:$A${}", header + 2, header + 1 + blocking)),
        "{chart}"
    );

    // Records: the verdict filled, the row a number, messages wrapped, print setup.
    let records = book.worksheet_range("Records").unwrap();
    assert!(
        records
            .rows()
            .skip(1)
            .all(|r| matches!(r[15], Data::Float(_)))
    );
    let sheet = crate::util::sheet_xml(&path, "Records");
    assert!(sheet.contains("orientation=\"landscape\""), "landscape");
    assert!(sheet.contains("scale=\"85\""), "printed at 9.35 points");
    assert!(!sheet.contains("fitToPage"), "never shrunk to fit");
    let workbook = zip_text(&path, "xl/workbook.xml");
    assert!(
        workbook.contains("Records!$A:$B,Records!$1:$1"),
        "the header row and ID, RUC on each page: {workbook}"
    );
    let styles = zip_text(&path, "xl/styles.xml");
    assert!(styles.contains("wrapText=\"1\""));
}

/// The summary's time is the whole run's, the workbook's writing included (it said 6.8 s
/// for a 14.9 s run: the workbook's zip was left out).
#[test]
fn the_time_reported_is_the_whole_runs() {
    let wd = Workdir::new();
    wd.expect(&["sample", "--rows", "8000", "-o", "r.csv"], 0);
    let started = std::time::Instant::now();
    wd.expect(
        &[
            "check",
            "r.csv",
            "-o",
            "r.xlsx",
            "--summary-json",
            "s.json",
            "-q",
        ],
        1,
    );
    let wall = started.elapsed().as_secs_f64();
    let s: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let reported = s["elapsed_seconds"].as_f64().unwrap();
    assert!(
        reported >= 0.75 * wall && reported <= wall,
        "reported {reported:.2} s of a {wall:.2} s run"
    );
}
