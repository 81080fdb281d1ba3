//! Broken and hostile input: never a panic, a hang or a lost row. Unusable input is exit 2
//! with one line naming the file and the reason; usable input yields records with findings.

use serde_json::Value;

use crate::util::{Workdir, codes, jsonl, stderr, stdout};

const HEADER: &str = "Nombre,Cédula,RUC,Sucursal\n";

/// Asserts exit 2 with a single line naming `file` and containing `reason`.
fn refused(wd: &Workdir, file: &str, reason: &str) {
    let out = wd.expect(&["check", file, "-o", "r.jsonl"], 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(file) && err.contains(reason), "{err}");
    assert!(!wd.join("r.jsonl").exists());
}

/// Runs check; asserts records + blank rows + footer rows = data rows; returns the records.
fn accounted(wd: &Workdir, file: &str, data_rows: u64) -> Vec<Value> {
    let out = wd.run(&["check", file, "-o", "r.jsonl", "--summary-json", "s.json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let records = jsonl(&wd.read("r.jsonl"));
    assert_eq!(records.len() as u64, s["records"].as_u64().unwrap());
    assert_eq!(
        s["records"].as_u64().unwrap()
            + s["blank_rows"].as_u64().unwrap()
            + s["footer_rows"].as_u64().unwrap(),
        data_rows,
        "{s}"
    );
    records
}

#[test]
fn empty_file_and_header_only() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    refused(&wd, "empty.csv", "no header row");
    wd.write("header.csv", HEADER);
    let records = accounted(&wd, "header.csv", 0);
    assert!(records.is_empty());
}

#[test]
fn random_bytes_are_not_a_roster() {
    let wd = Workdir::new();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let bytes: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    wd.write("noise.csv", &bytes);
    refused(&wd, "noise.csv", "not a text file");
}

#[test]
fn unclosed_quote_is_reported_not_merged() {
    let wd = Workdir::new();
    let mut roster = String::from(HEADER);
    roster.push_str("A,0428813992,0428813992001,1\n");
    roster.push_str("\"B sin cerrar,1839879739,1839879739001,1\n");
    for _ in 0..30 {
        roster.push_str("C,0141141705,0141141705001,1\n");
    }
    wd.write("quote.csv", &roster);
    let records = accounted(&wd, "quote.csv", 32);
    assert_eq!(records.len(), 32);
    let b = &records[1];
    assert_eq!(b["row"], 3);
    assert_eq!(codes(b)[0], "ROW_MALFORMED");
    let message = b["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("line 3") && message.contains("3–23 or more"),
        "{message}"
    );
    // Its identifiers were still read, and the lines after it are records of their own.
    assert_eq!(b["ruc"], "1839879739001");
    assert!(records[2..].iter().all(|r| r["status"] == "ready"));
    assert_eq!(records[31]["row"], 33);
}

#[test]
fn a_quote_left_open_to_the_end_is_cut_short() {
    // Nothing closes the quote: it is followed for 21 lines (one past the limit of 20),
    // those are read one by one, and the lines after are records as usual.
    let wd = Workdir::new();
    let mut roster = String::from(HEADER);
    roster.push_str("\"B sin cerrar,1839879739,1839879739001,1\n");
    for _ in 0..1_500 {
        roster.push_str("C,0141141705,0141141705001,1\n");
    }
    wd.write("open.csv", &roster);
    let records = accounted(&wd, "open.csv", 1_501);
    let message = records[0]["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("lines 2–22 or more"), "{message}");
    assert_eq!(records[0]["ruc"], "1839879739001");
    assert!(records[1..].iter().all(|r| r["status"] == "ready"));
    assert_eq!(records[1_500]["row"], 1_502);
}

#[test]
fn line_breaks_inside_a_name_are_kept() {
    let wd = Workdir::new();
    wd.write("multi.csv", format!("{HEADER}\"Ferretería\nNúñez\",0428813992,0428813992001,1\nB,1839879739,1839879739001,1\n"));
    let records = accounted(&wd, "multi.csv", 2);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["row"], 4);
    assert!(!codes(&records[0]).contains(&"ROW_MALFORMED"));
}

#[test]
fn ragged_rows_are_still_records() {
    let wd = Workdir::new();
    wd.write(
        "ragged.csv",
        format!("{HEADER}A,0428813992\nB,1839879739,1839879739001,1,extra\nC,0141141705,0141141705001,1,,\n\n"),
    );
    let records = accounted(&wd, "ragged.csv", 4);
    assert_eq!(records.len(), 3);
    assert_eq!(codes(&records[0])[0], "ROW_MALFORMED");
    assert!(
        records[0]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2 cells, the header has 4")
    );
    assert!(codes(&records[0]).contains(&"RUC_MISSING"));
    assert_eq!(codes(&records[1])[0], "ROW_MALFORMED");
    // Trailing empty cells are a stray delimiter, not a malformed row.
    assert!(!codes(&records[2]).contains(&"ROW_MALFORMED"));
}

#[test]
fn huge_field_and_many_columns() {
    let wd = Workdir::new();
    let big = "x".repeat(5 << 20);
    wd.write(
        "big.csv",
        format!("{HEADER}{big},0428813992,0428813992001,1\nB,{big},1839879739001,1\n"),
    );
    let records = accounted(&wd, "big.csv", 2);
    assert_eq!(records[0]["status"], "ready");
    assert_eq!(codes(&records[1]), ["ID_FORMAT", "SUCURSAL_PADDED"]);
    let out = wd.expect(&["check", "big.csv"], 1);
    assert!(
        stdout(&out).len() < 10_000,
        "the terminal table clips cells"
    );

    let mut header: Vec<String> = (0..20_000).map(|i| format!("c{i}")).collect();
    header[7_000] = "Cédula".into();
    header[19_999] = "RUC".into();
    let mut row = vec![String::new(); 20_000];
    row[7_000] = "0428813992".into();
    row[19_999] = "0428813992001".into();
    wd.write(
        "wide.csv",
        format!("{}\n{}\n", header.join(","), row.join(",")),
    );
    let records = accounted(&wd, "wide.csv", 1);
    assert_eq!(records[0]["id"], "0428813992");
    assert_eq!(records[0]["status"], "ready");
}

#[test]
fn nul_bytes_and_control_characters_in_cells() {
    let wd = Workdir::new();
    wd.write(
        "nul.csv",
        format!("{HEADER}A\0B,0428813992,0428813992001,1\n\x1b[2J,1839879739\0,1839879739001,1\n"),
    );
    let records = accounted(&wd, "nul.csv", 2);
    assert_eq!(records[0]["status"], "ready");
    assert!(codes(&records[1]).contains(&"ID_FORMAT"));
    let out = wd.expect(&["check", "nul.csv"], 1);
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !shown.contains('\0') && !shown.contains('\x1b'),
        "{shown:?}"
    );
}

#[test]
fn utf16_without_bom() {
    let wd = Workdir::new();
    let text = format!("{HEADER}Peña,0428813992,0428813992001,1\r\n").replace(',', "\t");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    wd.write("le.txt", le);
    let records = accounted(&wd, "le.txt", 1);
    assert_eq!(records[0]["status"], "ready");
    wd.expect(&["check", "le.txt", "-o", "r.csv"], 0);
    assert!(wd.read("r.csv").contains("Peña"));
}

#[test]
fn duplicated_header_names() {
    let wd = Workdir::new();
    wd.write(
        "dup.csv",
        "Cédula,Cédula,RUC,RUC\n0428813992,1839879739,0428813992001,1839879739001\n",
    );
    let records = accounted(&wd, "dup.csv", 1);
    assert_eq!(
        (records[0]["id"].as_str(), records[0]["ruc"].as_str()),
        (Some("0428813992"), Some("0428813992001"))
    );
    wd.expect(&["check", "dup.csv", "-o", "r.csv"], 0);
    // The fields once each, first; the repeated headers among the other columns.
    let report = wd.read("r.csv");
    assert!(report.starts_with("\u{feff}ID,RUC,result,"), "{report}");
    assert!(
        report
            .lines()
            .next()
            .unwrap()
            .ends_with(",row,Cédula,RUC,extra_cells"),
        "{report}"
    );
}

#[test]
fn paths_that_are_not_rosters() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.join("dir.csv")).unwrap();
    refused(&wd, "dir.csv", "is a directory");
    refused(&wd, "missing.csv", "cannot read");
    // Unreadable: permissions do not stop root, but /proc/self/mem fails on read for anyone.
    let out = wd.expect(&["check", "/proc/self/mem"], 2);
    assert!(
        stderr(&out).contains("/proc/self/mem: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stray_cell_at_the_end_of_a_sheet() {
    let wd = Workdir::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Cédula").unwrap();
    ws.write_string(0, 1, "RUC").unwrap();
    ws.write_string(1, 0, "0428813992").unwrap();
    ws.write_string(1, 1, "0428813992001").unwrap();
    // XFD1048576: the sheet's declared size is the whole grid.
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(wd.join("stray.xlsx")).unwrap();
    let records = accounted(&wd, "stray.xlsx", 1_048_575);
    // The stray cell is below the last employer, alone in its row: a footer, skipped and
    // listed, not an employer.
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"], "ready");
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(s["files"][0]["footer_rows"], 1);
    assert_eq!(s["files"][0]["footers"][0], "x");
}

/// Ctrl-C in the middle of a run, or SIGTERM (a scheduler stopping the job): the run
/// stops, exit 130, and no report (temporary or not) is left. The roster is a FIFO fed
/// slowly, so that the signal lands mid-run.
#[cfg(unix)]
#[test]
fn interrupted_run_leaves_no_report() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    for signal in ["-INT", "-TERM"] {
        let wd = Workdir::new();
        let fifo = wd.join("slow.csv");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let child = wd
            .command(&["check", "slow.csv", "-o", "r.jsonl"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut feed = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        feed.write_all(HEADER.as_bytes()).unwrap();
        for _ in 0..5000 {
            feed.write_all(b"A,0428813992,0428813992001,1\n").unwrap();
        }
        feed.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let pid = child.id().to_string();
        assert!(
            Command::new("kill")
                .args([signal, &pid])
                .status()
                .unwrap()
                .success()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
        drop(feed);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{signal}: {err}");
        assert!(
            err.contains("interrupted; no report was written"),
            "{signal}: {err}"
        );
        let left: Vec<_> = std::fs::read_dir(wd.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n == "r.jsonl" || n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{signal}: {left:?}");
    }
}

/// UTF-32 with its BOM was read as UTF-16 and refused as "no column", listing a garbled
/// header. It is read.
#[test]
fn utf32_with_a_bom_is_read() {
    let wd = Workdir::new();
    let text = format!("{HEADER}Ana Pérez,1710034065,1710034065001,0001\n");
    for (file, little) in [("le.csv", true), ("be.csv", false)] {
        let mut bytes = Vec::new();
        for c in std::iter::once('\u{feff}').chain(text.chars()) {
            let c = c as u32;
            bytes.extend(if little {
                c.to_le_bytes()
            } else {
                c.to_be_bytes()
            });
        }
        wd.write(file, bytes);
        let records = accounted(&wd, file, 1);
        assert_eq!(records[0]["status"], "ready", "{records:?}");
        wd.expect(&["check", file, "-o", "r.csv"], 0);
        let report = wd.read("r.csv");
        assert!(report.contains("Ana Pérez"), "{report}");
    }
}

/// In a file judged Windows-1252, cells that are valid UTF-8 stay UTF-8: `José Pérez`
/// became `JosÃ© PÃ©rez`, and an accented header refused the roster ("CÃ©dula").
#[test]
fn utf8_cells_in_a_windows_1252_file_stay_utf8() {
    let wd = Workdir::new();
    let mut bytes = "Razón social,Cédula,RUC,Sucursal\n".as_bytes().to_vec();
    bytes.extend_from_slice("José Pérez,1710034065,1710034065001,0001\n".as_bytes());
    // Windows-1252 rows outnumber the UTF-8 ones: the file is judged Windows-1252.
    for i in 0..5 {
        bytes.extend_from_slice(b"Mu\xF1oz \xC1lvarez ");
        bytes.extend_from_slice(format!("{i},0926687856,0926687856001,0001\n").as_bytes());
    }
    wd.write("mixed.csv", &bytes);
    let out = wd.run(&["check", "mixed.csv", "-o", "r.csv"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let report = wd.read("r.csv");
    assert!(report.contains("José Pérez"), "{report}");
    assert!(report.contains("Muñoz Álvarez 4"), "{report}");
    assert!(!report.contains('Ã'), "{report}");
}

/// Damaged UTF-8 characters (a 3-byte `€` cut short) outnumbering the accents of a small
/// file turned it to Windows-1252 (`José` became `JosÃ©`). They count for UTF-8; each
/// damaged cell alone is read as Windows-1252.
#[test]
fn one_damaged_utf8_character_does_not_make_a_file_windows_1252() {
    let wd = Workdir::new();
    let mut bytes = b"Nombre,Cedula,RUC,Sucursal,Monto\n".to_vec();
    for amount in [100, 300, 500] {
        bytes.extend_from_slice(b"Ana,1710034065,1710034065001,0001,\xE2\x82 ");
        bytes.extend_from_slice(format!("{amount}\n").as_bytes());
    }
    bytes.extend_from_slice("José,0926687856,0926687856001,0001,200\n".as_bytes());
    wd.write("euro.csv", &bytes);
    let out = wd.run(&["check", "euro.csv", "-o", "r.csv"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let report = wd.read("r.csv");
    assert!(report.contains(",José,"), "{report}");
    assert!(report.contains(",â\u{201a} 100,"), "{report}");
}

/// A header repeated mid-file (two exports joined) was checked as an invalid record. It is
/// skipped, counted, and named in a note.
#[test]
fn a_header_repeated_mid_file_is_skipped_with_a_note() {
    let wd = Workdir::new();
    let row = "Ana Pérez,1710034065,1710034065001,0001\n";
    wd.write(
        "joined.csv",
        format!("{HEADER}{row}{row}{HEADER}{row} Nombre , Cédula,RUC,Sucursal,\n"),
    );
    let out = wd.run(&[
        "check",
        "joined.csv",
        "-o",
        "r.jsonl",
        "--summary-json",
        "s.json",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let records = jsonl(&wd.read("r.jsonl"));
    assert_eq!(records.len(), 3, "{records:?}");
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(s["files"][0]["header_rows"], 2, "{s}");
    assert_eq!(s["files"][0]["rows"], 5, "{s}");
    let err = stderr(&out);
    assert!(
        err.contains("joined.csv") && err.contains("repeats on row 4") && err.contains("2 rows"),
        "{err}"
    );
    // A workbook the same way.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in [HEADER, row, HEADER, row].iter().enumerate() {
        for (c, cell) in line.trim_end().split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save(wd.join("joined.xlsx")).unwrap();
    let out = wd.run(&["check", "joined.xlsx", "-o", "r.jsonl"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert_eq!(jsonl(&wd.read("r.jsonl")).len(), 2);
    assert!(stderr(&out).contains("joined.xlsx[Sheet1]: the header row repeats on row 3"));
}
