//! The files a run writes, locks and removes (issue 25): no input of the run, and no file
//! the program did not make, is ever deleted or replaced; outputs are opened once; every
//! limit of an output or of the config is one line and exit 2.

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use crate::util::{Workdir, describe, stderr};

const ROSTER: &str = "Nombre,Cédula,RUC,Sucursal\n\
    Ana Pérez,1710034065,1710034065001,0001\n\
    Luis Mora,0926687856,0926687856001,1\n";

/// A file's modification time set an hour back, as a file left long ago.
fn age(path: &std::path::Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

/// The names in the folder that a run leaves behind: temporary reports and locks.
fn leftovers(wd: &Workdir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".patronal-") || n.ends_with(".lock"))
        .collect();
    names.sort();
    names
}

/// Item 1: the report's lock file `X.lock` is an input of the run: refused before anything
/// is read, naming it, and never deleted.
#[test]
fn a_roster_named_as_the_reports_lock_is_never_deleted() {
    let wd = Workdir::new();
    wd.write("informe.csv.lock", ROSTER);
    let out = wd.expect(&["check", "informe.csv.lock", "-o", "informe.csv"], 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("informe.csv.lock"), "{err}");
    assert_eq!(wd.read("informe.csv.lock"), ROSTER);
    assert!(!wd.join("informe.csv").exists());
    // In Spanish too, and for every input: a catastro, the previous report.
    let out = wd.expect(
        &[
            "--lang",
            "es",
            "check",
            "informe.csv.lock",
            "-o",
            "informe.csv",
        ],
        2,
    );
    assert!(stderr(&out).contains("bloqueo"), "{}", stderr(&out));
    wd.write("r.csv", ROSTER);
    wd.write("prev.jsonl.lock", "{\"source\":\"r.csv\",\"row\":2}\n");
    let out = wd.expect(
        &[
            "check",
            "r.csv",
            "--compare",
            "prev.jsonl.lock",
            "-o",
            "prev.jsonl",
        ],
        2,
    );
    assert!(stderr(&out).contains("prev.jsonl.lock"), "{}", stderr(&out));
    assert!(wd.join("prev.jsonl.lock").exists());
    // One output's lock is another output.
    wd.expect(
        &[
            "check",
            "r.csv",
            "-o",
            "a.jsonl",
            "-o",
            "a.jsonl.lock",
            "--format",
            "jsonl",
        ],
        2,
    );
    assert!(!wd.join("a.jsonl").exists() && !wd.join("a.jsonl.lock").exists());
    assert_eq!(leftovers(&wd), ["informe.csv.lock", "prev.jsonl.lock"]);
}

/// Item 1: a file at the lock's path that patronal did not make (not an input either) is
/// neither used as the lock nor deleted: exit 2 naming it.
#[test]
fn a_foreign_file_at_the_locks_path_is_left_alone() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.write("informe.jsonl.lock", "my notes\n");
    let out = wd.expect(&["check", "r.csv", "-o", "informe.jsonl"], 2);
    let err = stderr(&out);
    assert!(err.contains("informe.jsonl.lock"), "{err}");
    assert_eq!(wd.read("informe.jsonl.lock"), "my notes\n");
    assert!(!wd.join("informe.jsonl").exists());
}

/// Item 2: a roster named like a temporary report, older than the cleanup's grace time, in
/// the report's folder, survives every run: as a bystander and as an input.
#[test]
fn a_roster_named_like_a_temporary_report_survives() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    let roster = wd.write(".patronal-x.tmp", ROSTER);
    age(&roster);
    let other = wd.write(".patronal-ab12cd.tmp", "half a report, or a user's file");
    age(&other);
    wd.expect(&["check", "r.csv", "-o", "out.jsonl"], 0);
    assert_eq!(wd.read(".patronal-x.tmp"), ROSTER);
    assert!(other.exists());
    let out = wd.run(&["check", ".patronal-x.tmp", "-o", "out.jsonl"]);
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}",
        describe(&out)
    );
    assert_eq!(wd.read(".patronal-x.tmp"), ROSTER);
    assert!(other.exists());
}

/// Starts `patronal check - -o REPORT` reading a roster from a pipe that stays open, so
/// that the run has created its temporary report and waits; then kills it (SIGKILL).
fn killed_run(wd: &Workdir, report: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_patronal"))
        .args(["check", "-", "-o", report])
        .current_dir(wd.path())
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temps = || leftovers(wd).iter().filter(|n| n.ends_with(".tmp")).count();
    let before = temps();
    let mut input = child.stdin.take().unwrap();
    // More than the reader sniffs before it starts (1 MB), then the pipe stays open.
    let mut roster = String::from(ROSTER);
    while roster.len() < 3 << 20 {
        roster.push_str("Ana Pérez,1710034065,1710034065001,0001\n");
    }
    std::io::Write::write_all(&mut input, roster.as_bytes()).unwrap();
    // The temporary report appears once the header is read.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while temps() == before {
        assert!(std::time::Instant::now() < deadline, "no temporary report");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(input);
}

/// Item 2: what a killed run left (its temporary report, its lock) is removed by the next
/// run that writes beside it, whatever report that run writes; files of the same naming
/// that no run registered are kept.
#[test]
fn a_killed_runs_files_are_removed_by_the_next_run() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    let foreign = wd.write(".patronal-zz99yy.tmp", "not registered by any run");
    age(&foreign);
    killed_run(&wd, "2026-12-01.jsonl");
    let left = leftovers(&wd);
    assert!(
        left.contains(&"2026-12-01.jsonl.lock".to_owned()),
        "{left:?}"
    );
    assert_eq!(left.iter().filter(|n| n.ends_with(".tmp")).count(), 2);
    // The next night writes another report in the same folder.
    wd.expect(&["check", "r.csv", "-o", "2026-12-02.jsonl"], 0);
    assert_eq!(leftovers(&wd), [".patronal-zz99yy.tmp"]);
    // The same report again: its own lock is taken over.
    killed_run(&wd, "2026-12-02.jsonl");
    wd.expect(&["check", "r.csv", "-o", "2026-12-02.jsonl"], 0);
    assert_eq!(leftovers(&wd), [".patronal-zz99yy.tmp"]);
}

/// Item 3: the config file is an input of the run; so are the catastro index and the
/// previous report, whoever named them. Refused before anything is read.
#[test]
fn the_config_file_is_never_written() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    let config = "rosters = [\"r.csv\"]\nreport = \"informe.jsonl\"\n";
    wd.write("patronal.toml", config);
    for args in [
        &["check", "--summary-json", "patronal.toml"][..],
        &[
            "check",
            "--config",
            "patronal.toml",
            "-o",
            "patronal.toml",
            "--format",
            "csv",
        ],
        &[
            "check",
            "r.csv",
            "--config",
            "patronal.toml",
            "--summary-json",
            "./patronal.toml",
        ],
    ] {
        let out = wd.expect(args, 2);
        let err = stderr(&out);
        assert!(err.contains("patronal.toml"), "{err}");
        assert!(err.contains("config"), "{err}");
        assert_eq!(wd.read("patronal.toml"), config, "{args:?}");
    }
    assert!(!wd.join("informe.jsonl").exists());
    // A summary JSON named in the file itself.
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nsummary-json = \"patronal.toml\"\n",
    );
    wd.expect(&["check"], 2);
    assert!(wd.read("patronal.toml").starts_with("rosters"));
    // The catastro index and `compare` named in the file.
    wd.write("sri.idx", "not really an index");
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\ncatastro = [\"sri.idx\"]\nreport = \"sri.idx\"\n",
    );
    wd.expect(&["check", "--format", "jsonl"], 2);
    assert_eq!(wd.read("sri.idx"), "not really an index");
    wd.write("prev.jsonl", "{\"source\":\"r.csv\",\"row\":2}\n");
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\ncompare = \"prev.jsonl\"\nsummary-json = \"prev.jsonl\"\n",
    );
    let out = wd.expect(&["check", "-o", "new.jsonl"], 2);
    assert!(stderr(&out).contains("prev.jsonl"), "{}", stderr(&out));
    assert_eq!(wd.read("prev.jsonl"), "{\"source\":\"r.csv\",\"row\":2}\n");
    assert_eq!(leftovers(&wd), Vec::<String>::new());
}

/// Item 9: a `--lock-wait` too long to count (on the command line or in the file) is no
/// limit, never a panic.
#[test]
fn a_huge_lock_wait_is_no_limit() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    for wait in ["9223372036854775807", "18446744073709551615"] {
        wd.expect(&["check", "r.csv", "-o", "r.jsonl", "--lock-wait", wait], 0);
    }
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nreport = \"r.jsonl\"\nlock-wait = 9223372036854775807\n",
    );
    wd.expect(&["check"], 0);
}

/// Item 12: `threads` in the file meets the flag's limits, with the flag's message.
#[test]
fn threads_in_the_file_meet_the_flags_limits() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    for threads in ["0", "65", "65535", "4294967296"] {
        wd.write(
            "patronal.toml",
            format!("rosters = [\"r.csv\"]\nthreads = {threads}\n"),
        );
        let out = wd.expect(&["check"], 2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("patronal.toml:2") && err.contains("threads"),
            "{err}"
        );
        assert!(err.contains("from 1 to 64"), "{err}");
    }
    wd.write("patronal.toml", "rosters = [\"r.csv\"]\nthreads = 64\n");
    wd.expect(&["check"], 0);
}

/// Item 19: the CSV report's delimiter is one of `, ; | tab`: anything else would write a
/// report that cannot be read back.
#[test]
fn the_csv_reports_delimiter_is_one_of_four() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    for bad in ["0", "\"", "a", "\n", " ", "\r", "=", "'"] {
        let out = wd.expect(
            &[
                "check",
                "r.csv",
                "-o",
                "r.csv.out",
                "--format",
                "csv",
                "--csv-delimiter",
                bad,
            ],
            2,
        );
        let err = stderr(&out);
        assert!(err.contains("--csv-delimiter"), "{bad:?}: {err}");
        assert!(!wd.join("r.csv.out").exists());
    }
    for good in [",", ";", "|", "tab", "\t"] {
        wd.expect(
            &[
                "check",
                "r.csv",
                "-o",
                "r.out",
                "--format",
                "csv",
                "--csv-delimiter",
                good,
            ],
            0,
        );
    }
}

/// Item 10: the workbook writer's temporary file (its records sheet, in TMPDIR) cannot be
/// written: rust_xlsxwriter panicked ("Couldn't write to xml file", exit 101). Now exit 2,
/// one line naming the report and the temporary folder, no report, nothing left behind.
/// A file size limit stands in for a full folder (its signal ignored, as a full disk
/// sends none).
#[test]
fn a_full_temporary_folder_is_one_line_for_a_workbook() {
    let wd = Workdir::new();
    let mut roster = String::from("Nombre,Cédula,RUC,Sucursal\n");
    for i in 0..30_000 {
        roster.push_str(&format!(
            "Empleador número {i} con un nombre largo,1710034065,1710034065001,0001\n"
        ));
    }
    wd.write("r.csv", roster);
    let tmp = wd.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 2048 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_patronal"))
        .args(["check", "r.csv", "-o", "r.xlsx"])
        .current_dir(wd.path())
        .env("LANG", "C")
        .env("TMPDIR", &tmp);
    let out = crate::util::run_within(&mut cmd, 120).expect("no hang");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("r.xlsx") && err.contains(&tmp.display().to_string()),
        "{err}"
    );
    assert!(!wd.join("r.xlsx").exists());
    assert_eq!(leftovers(&wd), Vec::<String>::new());
    // A temporary folder that does not exist: the same line, before anything is read.
    let out = run_within_env(
        &wd,
        &["check", "r.csv", "-o", "r.xlsx"],
        "TMPDIR",
        "/no/such/dir",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        err.contains("/no/such/dir") && err.contains("not found"),
        "{err}"
    );
}

/// Runs `patronal` in `wd` with one variable of the environment set.
fn run_within_env(wd: &Workdir, args: &[&str], key: &str, value: &str) -> std::process::Output {
    let mut cmd = wd.command(args);
    cmd.env(key, value);
    crate::util::run_within(&mut cmd, 120).expect("no hang")
}

/// A FIFO at `name` in `wd`.
fn fifo(wd: &Workdir, name: &str) -> std::path::PathBuf {
    let path = wd.join(name);
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    path
}

/// Item 11: `--summary-json` onto a FIFO is opened once: its reader gets the whole summary
/// (it got 0 bytes, and the run then blocked for ever opening it a second time).
#[test]
fn the_summary_json_onto_a_fifo_is_opened_once() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    let path = fifo(&wd, "summary.fifo");
    let reader = std::thread::spawn(move || std::fs::read(path).unwrap());
    let out = crate::util::run_within(
        &mut wd.command(&[
            "check",
            "r.csv",
            "-o",
            "r.jsonl",
            "--summary-json",
            "summary.fifo",
        ]),
        30,
    );
    // A hang: the reader already had its 0 bytes, and the run waits for another.
    let out = out.expect("the run hung on the FIFO");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let json: serde_json::Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(json["records"], 2, "{json}");
}

/// Sends `signal` to a run blocked on a FIFO after a moment; the run must end with 130.
fn signalled_while_blocked(wd: &Workdir, args: &[&str], signal: &str) {
    let mut child = wd
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = child.id().to_string();
    Command::new("kill").args([signal, &pid]).status().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let status = status.unwrap_or_else(|| panic!("{signal} ignored: patronal {args:?}"));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("interrupted"), "{err}");
}

/// Item 11: a signal while an output (or a roster) is being opened, a FIFO with no one at
/// the other end, ends the run with 130 (SIGTERM was swallowed: only SIGKILL ended it).
#[test]
fn a_signal_while_a_fifo_is_opened_ends_the_run() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    fifo(&wd, "out.fifo");
    signalled_while_blocked(
        &wd,
        &["check", "r.csv", "-o", "out.fifo", "--format", "jsonl"],
        "-TERM",
    );
    signalled_while_blocked(
        &wd,
        &[
            "check",
            "r.csv",
            "-o",
            "r.jsonl",
            "--summary-json",
            "out.fifo",
        ],
        "-INT",
    );
    fifo(&wd, "roster.fifo");
    signalled_while_blocked(&wd, &["check", "roster.fifo", "-o", "r.jsonl"], "-HUP");
    assert!(!wd.join("r.jsonl").exists());
    assert_eq!(leftovers(&wd), Vec::<String>::new());
}

/// The roster of a later night: the two employers, and a third one flagged (its cédula's
/// check digit is wrong).
const ROSTER_FLAGGED: &str = "Nombre,Cédula,RUC,Sucursal\n\
    Ana Pérez,1710034065,1710034065001,0001\n\
    Luis Mora,0926687856,0926687856001,1\n\
    Rosa Vera,1710034066,1710034066001,1\n";

/// The `change` of each record of a JSON Lines report.
fn changes(wd: &Workdir, report: &str) -> Vec<String> {
    crate::util::jsonl(&wd.read(report))
        .iter()
        .map(|r| r["change"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// Item 14: with the summary JSON beside the reports (`informes/{date}.json`), `previous`
/// takes only a report: it took the summary, and every later run exited 2.
#[test]
fn previous_considers_only_reports() {
    let wd = Workdir::new();
    wd.write("clientes/a.csv", ROSTER);
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nreport = \"informes/{date}.xlsx\"\n\
         summary-json = \"informes/{date}.json\"\ncompare = \"previous\"\nfail-on = \"new\"\n",
    );
    wd.expect(&["check", "--quiet"], 0);
    // Every later run compares with the workbook, never the summary.
    for _ in 0..2 {
        let out = wd.expect(&["check", "--quiet"], 0);
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "{}",
            describe(&out)
        );
    }
    // And with a JSON Lines report beside it, that one (the quickest) of the same run.
    wd.write(
        "patronal.toml",
        "rosters = [\"clientes/*.csv\"]\nreport = [\"informes/{date}.xlsx\", \"informes/{date}.jsonl\"]\n\
         summary-json = \"informes/{date}.json\"\ncompare = \"previous\"\n",
    );
    wd.expect(&["check", "--quiet"], 0);
    wd.expect(&["check", "--quiet"], 0);
    let report = std::fs::read_dir(wd.join("informes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".jsonl"))
        .unwrap();
    assert_eq!(
        changes(&wd, &format!("informes/{report}")),
        ["same", "same"]
    );
}

/// Item 15: a report of any format left long ago by a hand run (`informe.jsonl`) never
/// outranks last night's (`informe.xlsx`): the latest written is the previous one. The
/// same news was mailed every night.
#[test]
fn previous_is_the_latest_written_whatever_its_format() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.expect(&["check", "r.csv", "-o", "informe.jsonl"], 0);
    age(&wd.join("informe.jsonl"));
    wd.write("r.csv", ROSTER_FLAGGED);
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nreport = \"informe.xlsx\"\ncompare = \"previous\"\nfail-on = \"new\"\n",
    );
    // The first night: the hand run's report is the only one; one employer is news.
    let out = wd.expect(&["check", "--quiet"], 1);
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
    // The second night compares with the first's workbook: nothing new, nothing printed.
    let out = wd.expect(&["check", "--quiet"], 0);
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        describe(&out)
    );
}

/// Item 16: a config folder whose name holds `[` or `]` is no pattern: its rosters are
/// found, and `previous` finds its reports. A roster named with brackets is found as it is.
#[test]
fn a_config_folder_with_brackets_is_not_a_pattern() {
    let wd = Workdir::new();
    wd.write("Nóminas [EC]/clientes/a.csv", ROSTER);
    wd.write("Nóminas [EC]/Nómina [1].csv", ROSTER);
    wd.write(
        "Nóminas [EC]/patronal.toml",
        "rosters = [\"clientes/*.csv\", \"Nómina [1].csv\"]\nreport = \"informes/{date}.jsonl\"\n\
         compare = \"previous\"\n[[map]]\npattern = \"clientes/*.csv\"\nfields = { id = \"Documento\" }\n",
    );
    let config = "Nóminas [EC]/patronal.toml";
    let out = wd.expect(&["check", "--quiet", "--config", config], 0);
    assert!(stderr(&out).contains("previous"), "{}", describe(&out));
    let out = wd.expect(&["check", "--quiet", "--config", config], 0);
    assert!(stderr(&out).is_empty(), "{}", describe(&out));
    let dir = wd.join("Nóminas [EC]/informes");
    let report = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".jsonl"))
        .unwrap();
    assert_eq!(
        changes(&wd, &format!("Nóminas [EC]/informes/{report}")),
        ["same"; 4]
    );
}

/// Item 17: a previous report named (by `--compare` or `compare = "FILE"`) that does not
/// exist is exit 2 naming it, before anything is read: it was a first night, every
/// employer news. Only `previous` may find nothing, and it says so.
#[test]
fn a_previous_report_named_must_exist() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    for lang in ["en", "es"] {
        let out = wd.expect(
            &[
                "--lang",
                lang,
                "check",
                "r.csv",
                "--compare",
                "ayr.jsonl",
                "-o",
                "hoy.jsonl",
            ],
            2,
        );
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("ayr.jsonl"), "{err}");
    }
    assert!(!wd.join("hoy.jsonl").exists());
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nreport = \"hoy.jsonl\"\ncompare = \"ayr.jsonl\"\n",
    );
    wd.expect(&["check"], 2);
    // An unreadable folder is no first night either.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        wd.write("cerrado/ayer.jsonl", "{\"source\":\"r.csv\",\"row\":2}\n");
        let dir = wd.join("cerrado");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads it anyway: then there is nothing to test.
        if std::fs::read_dir(&dir).is_err() {
            wd.expect(
                &[
                    "check",
                    "r.csv",
                    "--compare",
                    "cerrado/ayer.jsonl",
                    "-o",
                    "hoy.jsonl",
                ],
                2,
            );
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // `previous` with no report yet: a first night, and a note says so.
    wd.write(
        "patronal.toml",
        "rosters = [\"r.csv\"]\nreport = \"hoy.jsonl\"\ncompare = \"previous\"\n",
    );
    let out = wd.expect(&["check", "--quiet"], 0);
    let err = stderr(&out);
    assert!(err.contains("no earlier report"), "{err}");
    assert_eq!(changes(&wd, "hoy.jsonl"), ["new", "new"]);
}

/// Runs `patronal ARGS` through `sh`, its output (stdout, and stderr with `both`) into a
/// pipe whose reader has already left; returns its exit status and what it printed on a
/// stderr kept apart (`both` false).
fn into_a_closed_pipe(wd: &Workdir, args: &str, both: bool) -> (String, String) {
    let redirect = if both { "2>&1" } else { "2>err.txt" };
    let script = format!(r#"{{ "$0" {args} {redirect}; echo $? >code.txt; }} | true"#);
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script, env!("CARGO_BIN_EXE_patronal")])
        .current_dir(wd.path())
        .env("LANG", "C");
    let out = crate::util::run_within(&mut cmd, 60).expect("finishes");
    assert!(out.status.success(), "{}", describe(&out));
    let err = if both {
        String::new()
    } else {
        wd.read("err.txt")
    };
    (wd.read("code.txt").trim().to_owned(), err)
}

/// Item 18: a closed pipe never hides the exit status, which is the cron contract: 1 for
/// flagged records (0 before), 2 for a refusal (101: printing the error panicked).
#[test]
fn a_closed_pipe_keeps_the_exit_status() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER_FLAGGED);
    for (args, both) in [
        ("check r.csv", true),
        ("check r.csv", false),
        ("check -q r.csv", false),
        ("check r.csv -o r.jsonl", true),
        ("id 1710034066 1710034065", false),
    ] {
        let (code, err) = into_a_closed_pipe(&wd, args, both);
        assert_eq!(code, "1", "patronal {args}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (code, _) = into_a_closed_pipe(&wd, "check missing.csv", true);
    assert_eq!(code, "2");
}

/// Item 23: 1,500 rosters under `ulimit -n 1024` are all checked: a run keeps only a few
/// open at once (every one was opened before any was read, and the 1,020th failed with
/// "Too many open files", blaming a good file). Workbooks of several sheets among the later
/// ones are opened again once, each sheet in its turn.
#[test]
fn more_rosters_than_open_files_allowed() {
    let wd = Workdir::new();
    let mut names = Vec::new();
    for i in 0..1500 {
        let name = format!("r{i:04}.csv");
        wd.write(&name, ROSTER);
        names.push(name);
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    for s in 0..3 {
        let sheet = book.add_worksheet();
        sheet.set_name(format!("Hoja {s}")).unwrap();
        for (r, line) in ROSTER.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save(wd.join("z-book.xlsx")).unwrap();
    names.push("z-book.xlsx".into());
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -n 1024 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_patronal"))
        .arg("check")
        .args(&names)
        .args(["-o", "r.jsonl"])
        .current_dir(wd.path())
        .env("LANG", "C");
    let out = crate::util::run_within(&mut cmd, 300).expect("finishes");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let report = crate::util::jsonl(&wd.read("r.jsonl"));
    assert_eq!(report.len(), 2 * 1500 + 2 * 3);
    let last = &report[report.len() - 1];
    assert_eq!(last["source"], "z-book.xlsx");
    assert_eq!(last["sheet"], "Hoja 2");
}

/// Item 24: what an error line quotes is clipped: 100,000 headers with no id column gave an
/// 11 MB line, a 5 MB config value a 5 MB line (cron mails them). The line keeps the file,
/// the reason, and each value's start and end.
#[test]
fn error_lines_clip_what_they_quote() {
    let wd = Workdir::new();
    let headers: Vec<String> = (0..100_000).map(|i| format!("columna{i}")).collect();
    wd.write("ancho.csv", format!("{}\n", headers.join(",")));
    let out = wd.expect(&["check", "ancho.csv"], 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1);
    assert!(err.len() < 1000, "{} bytes", err.len());
    assert!(err.contains("ancho.csv") && err.contains('…'), "{err}");
    assert!(err.contains("--map"), "the advice stays: {err}");
    let value = "x".repeat(5 << 20);
    wd.write(
        "patronal.toml",
        format!("rosters = [\"ancho.csv\"]\nfail-on = \"{value}\"\n"),
    );
    let out = wd.expect(&["check"], 2);
    let err = stderr(&out);
    assert!(err.len() < 1000, "{} bytes", err.len());
    assert!(
        err.contains("patronal.toml:2") && err.contains("never"),
        "{err}"
    );
    // A value on the command line too.
    let out = wd.expect(&["check", "ancho.csv", "--fail-on", &value[..100_000]], 2);
    assert!(stderr(&out).len() < 2000, "{} bytes", stderr(&out).len());
}

/// Item 25: the time zone's file is bounded: `TZ=/dev/zero` was read without end (1 GB and
/// more). A device, a folder or a file over 1 MB is exit 2 naming TZ, within seconds and
/// the memory limit; a zone name or a real zone file is used.
#[test]
fn the_time_zone_file_is_bounded() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.write("big.tz", vec![b'T'; 2 << 20]);
    for tz in ["/dev/zero", ":/dev/zero", "big.tz", "/"] {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "ulimit -v {} && exec \"$0\" \"$@\"",
                crate::util::MEMORY_LIMIT_KB
            ))
            .arg(env!("CARGO_BIN_EXE_patronal"))
            .args(["check", "r.csv", "-o", "r.xlsx"])
            .current_dir(wd.path())
            .env("LANG", "C")
            .env("TZ", tz);
        let out = crate::util::run_within(&mut cmd, 60).expect("no hang");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "TZ={tz}: {}", describe(&out));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&format!("TZ={tz}")), "{err}");
    }
    for tz in ["America/Guayaquil", "UTC", "EST5EDT", ""] {
        let out = run_within_env(&wd, &["check", "r.csv", "-o", "r.xlsx"], "TZ", tz);
        assert_eq!(out.status.code(), Some(0), "TZ={tz}: {}", describe(&out));
    }
}

const CATASTRO: &str = "NUMERO_RUC|RAZON_SOCIAL|ESTADO_CONTRIBUYENTE\n\
    1710034065001|ANA PEREZ|ACTIVO\n\
    0926687856001|LUIS MORA|ACTIVO\n";

/// Smaller ones: `catastro build -o /dev/full` names the file (it said only "no space left
/// on the disk").
#[cfg(target_os = "linux")]
#[test]
fn a_full_index_output_is_named() {
    let wd = Workdir::new();
    wd.write("SRI_RUC_X.csv", CATASTRO);
    let out = wd.expect(
        &["catastro", "build", "SRI_RUC_X.csv", "-o", "/dev/full"],
        2,
    );
    let err = stderr(&out);
    assert!(
        err.contains("/dev/full") && err.contains("no space"),
        "{err}"
    );
}

/// Smaller ones: an empty path in the config file is named as such, with its key and line
/// (`summary-json = ""` printed `patronal: : cannot write…`).
#[test]
fn an_empty_path_in_the_config_is_named() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    for (key, value) in [
        ("summary-json", "\"\""),
        ("report", "\"\""),
        ("compare", "\"\""),
        ("marked", "\"\""),
        ("catastro", "[\"\"]"),
        ("rosters", "[\"r.csv\", \"\"]"),
    ] {
        let rosters = if key == "rosters" {
            ""
        } else {
            "rosters = [\"r.csv\"]\n"
        };
        wd.write("patronal.toml", format!("{rosters}{key} = {value}\n"));
        let out = wd.expect(&["check"], 2);
        let err = stderr(&out);
        assert!(
            err.contains("patronal.toml:") && err.contains(key) && err.contains("empty file name"),
            "{key}: {err}"
        );
        assert!(!err.contains(": :"), "{err}");
    }
}

/// Smaller ones: `check --catastro X roster.csv` took the roster for a second catastro and
/// said "no roster to check". The last paths that are rosters and not catastros are the
/// rosters; when none is, the message says how to separate them.
#[test]
fn a_roster_after_the_catastro_is_checked() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.write("SRI_RUC_X.csv", CATASTRO);
    wd.write("otro.csv", CATASTRO);
    wd.expect(
        &[
            "check",
            "--catastro",
            "SRI_RUC_X.csv",
            "r.csv",
            "-o",
            "a.jsonl",
        ],
        0,
    );
    assert_eq!(crate::util::jsonl(&wd.read("a.jsonl")).len(), 2);
    wd.expect(
        &[
            "check",
            "--catastro",
            "SRI_RUC_X.csv",
            "otro.csv",
            "r.csv",
            "-o",
            "b.jsonl",
        ],
        0,
    );
    let out = wd.expect(&["check", "--catastro", "SRI_RUC_X.csv", "otro.csv"], 2);
    let err = stderr(&out);
    assert!(err.contains("--catastro") && err.contains("first"), "{err}");
}

/// Smaller ones: with `--quiet`, a roster recognised as a report is still noted (it was
/// skipped with no word at all).
#[test]
fn a_report_given_as_a_roster_is_noted_with_quiet() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.expect(&["check", "r.csv", "-o", "informe.jsonl"], 0);
    let out = wd.expect(
        &[
            "check",
            "--quiet",
            "r.csv",
            "informe.jsonl",
            "-o",
            "x.jsonl",
        ],
        0,
    );
    let err = stderr(&out);
    assert!(
        err.contains("informe.jsonl") && err.contains("skipped"),
        "{err}"
    );
}

/// Smaller ones: `-o link1` where `link1 → link2 → informe.jsonl` replaces the file the
/// chain ends at; both links stay links (`link2` was replaced by a file).
#[cfg(unix)]
#[test]
fn a_chain_of_links_as_the_report_replaces_its_last_file() {
    let wd = Workdir::new();
    wd.write("r.csv", ROSTER);
    wd.write("informes/informe.jsonl", "last night\n");
    std::os::unix::fs::symlink("informes/informe.jsonl", wd.join("link2")).unwrap();
    std::os::unix::fs::symlink("link2", wd.join("link1")).unwrap();
    wd.expect(&["check", "r.csv", "-o", "link1", "--format", "jsonl"], 0);
    for link in ["link1", "link2"] {
        let meta = std::fs::symlink_metadata(wd.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link}");
    }
    assert_eq!(
        crate::util::jsonl(&wd.read("informes/informe.jsonl")).len(),
        2
    );
    assert_eq!(leftovers(&wd), Vec::<String>::new());
}
