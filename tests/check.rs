//! `patronal check` on CSV rosters: the report contract, formats, encodings, header
//! detection, batch checks, determinism, atomic writes and exit codes.

use serde_json::Value;

use crate::util::{Workdir, codes, jsonl, stderr, stdout};

const HEADER: &str = "Razón social,Cédula,RUC,Sucursal,Correo";

/// Runs check into report.jsonl, asserting the exit status; returns the records.
fn check_jsonl(wd: &Workdir, args: &[&str], status: i32) -> Vec<Value> {
    let mut all = vec!["check", "-o", "report.jsonl"];
    all.extend_from_slice(args);
    wd.expect(&all, status);
    jsonl(&wd.read("report.jsonl"))
}

#[test]
fn report_contract_field_by_field() {
    let wd = Workdir::new();
    wd.write(
        "clientes.csv",
        format!(
            "{HEADER}\n\
             Ferretería Núñez,0428813992,0428813992001,1,no tiene\n\
             Ana Pérez,1839879739,1839879739001,0001,ana.perez@gmail.com\n"
        ),
    );
    let records = check_jsonl(&wd, &["clientes.csv"], 1);
    assert_eq!(records.len(), 2);
    let r = &records[0];
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "source",
            "sheet",
            "row",
            "status",
            "id",
            "ruc",
            "sucursal",
            "employer_kind",
            "findings"
        ]
    );
    assert_eq!(r["source"], "clientes.csv");
    assert_eq!(r["sheet"], Value::Null);
    assert_eq!(r["row"], 2);
    assert_eq!(r["status"], "in_person");
    assert_eq!(r["id"], "0428813992");
    assert_eq!(r["ruc"], "0428813992001");
    assert_eq!(r["sucursal"], "0001");
    assert_eq!(r["employer_kind"], "natural");
    let f = &r["findings"][0];
    assert_eq!(f["code"], "SUCURSAL_PADDED");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["field"], "sucursal");
    assert_eq!(f["message"], "The sucursal was padded to 4 digits");
    assert_eq!(codes(r), ["SUCURSAL_PADDED", "EMAIL_PLACEHOLDER"]);
    assert_eq!(records[1]["status"], "ready");
    assert_eq!(records[1]["row"], 3);
    assert!(codes(&records[1]).is_empty());
}

#[test]
fn statuses_and_codes_follow_the_rules() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Cédula,RUC,Sucursal,Correo,Estado RUC,Primera vez,Tipo empleador\n\
         0428813992,0428813992001,0001,a@gmail.com,ACTIVO,no,Persona natural\n\
         0428813992,2235364557001,0001,b@gmail.com,ACTIVO,no,\n\
         1839879739,1839879739000,0001,c@gmail.com,,,Servicio doméstico\n\
         1839879739,1839879739001,0001,d@gmail.com,,,Servicio doméstico\n\
         0141141705,0141141705001,0001,e@gmial.com,,,\n\
         1358151882,1358151882001,0001,f@gmail.com,SUSPENDIDO,,\n\
         1027294055,1027294055001,0001,g@gmail.com,,sí,\n\
         1236169874,1.23617E+12,0001,h@gmail.com,,,\n\
         0438976847,1793213150001,0002,i@gmail.com,,,\n",
    );
    let records = check_jsonl(&wd, &["r.csv"], 1);
    let got: Vec<(String, Vec<String>)> = records
        .iter()
        .map(|r| {
            let codes = codes(r).into_iter().map(str::to_owned).collect();
            (r["status"].as_str().unwrap().to_owned(), codes)
        })
        .collect();
    let want: Vec<(&str, Vec<&str>)> = vec![
        ("ready", vec![]),
        ("invalid", vec!["RUC_ID_MISMATCH"]),
        ("ready", vec![]),
        ("invalid", vec!["DOMESTIC_RUC_FORMAT"]),
        ("in_person", vec!["EMAIL_DOMAIN_TYPO"]),
        ("in_person", vec!["RUC_NOT_ACTIVE"]),
        ("in_person", vec!["FIRST_KEY"]),
        ("invalid", vec!["EXCEL_SCIENTIFIC"]),
        ("ready", vec!["RUC_CHECK_UNVERIFIABLE"]),
    ];
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(
            (
                g.0.as_str(),
                g.1.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            w.clone(),
            "record {i}"
        );
    }
    assert_eq!(records[2]["employer_kind"], "domestic");
    assert_eq!(records[8]["employer_kind"], "company");
}

#[test]
fn json_document_has_records_and_summary() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        format!("{HEADER}\nA,0428813992,0428813992001,1,a@gmail.com\n\nB,1,2,3,\n"),
    );
    wd.expect(&["check", "r.csv", "-o", "out.json"], 1);
    let doc: Value = serde_json::from_str(&wd.read("out.json")).unwrap();
    assert_eq!(doc["records"].as_array().unwrap().len(), 2);
    let s = &doc["summary"];
    assert_eq!(
        (
            s["rows"].as_u64(),
            s["records"].as_u64(),
            s["blank_rows"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(
        (s["ready"].as_u64(), s["invalid"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["codes"]["SUCURSAL_PADDED"], 2);
    assert_eq!(s["files"][0]["source"], "r.csv");
    assert!(
        s.get("elapsed_seconds").is_none(),
        "reports must not change from run to run"
    );
}

#[test]
fn csv_report_for_excel() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC,Notas\n\
         Núñez,0428813992,0428813992001,=HYPERLINK(\"http://x\")\n\
         +593,-1,@SUM(A1),\"\tx\"\n",
    );
    wd.expect(&["check", "r.csv", "-o", "out.csv"], 1);
    let bytes = std::fs::read(wd.join("out.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "ID",
            "RUC",
            "Name",
            "result",
            "codes",
            "messages",
            "normalized_id",
            "normalized_ruc",
            "normalized_sucursal",
            "source",
            "row",
            "Notas",
            "extra_cells",
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "0428813992");
    assert_eq!(&rows[0][2], "Núñez");
    assert_eq!(&rows[0][11], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&rows[0][3], "ready");
    assert_eq!(&rows[0][4], "SUCURSAL_ASSUMED");
    assert_eq!(&rows[0][8], "0001");
    assert_eq!((&rows[0][9], &rows[0][10]), ("r.csv", "2"));
    assert_eq!(&rows[1][2], "'+593");
    assert_eq!(&rows[1][0], "'-1");
    assert_eq!(&rows[1][1], "'@SUM(A1)");
    assert_eq!(&rows[1][11], "'\tx");
    assert_eq!(&rows[1][3], "invalid");
    // Every cell that starts like a formula is neutralised, ours too.
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}

/// The same roster in many dialects gives the same records.
#[test]
fn encodings_and_delimiters() {
    let wd = Workdir::new();
    let rows = [
        ["Razón Social", "Cédula", "RUC", "Correo"],
        [
            "Ñandú, Peña y Cía.",
            "0428813992",
            "0428813992001",
            "peña@gmail.com",
        ],
        [
            "José \"Pepe\" Núñez",
            "1839879739",
            "1839879739001",
            "no tiene",
        ],
    ];
    let render = |delim: &str, eol: &str| -> String {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        if c.contains([',', '"', ';', '\t', '|']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(delim)
            })
            .map(|l| l + eol)
            .collect()
    };
    let utf16 = |s: &str, le: bool| -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.csv", render(",", "\n").into_bytes()),
        (
            "bom.csv",
            [b"\xEF\xBB\xBF".as_slice(), render(";", "\r\n").as_bytes()].concat(),
        ),
        (
            "win.csv",
            encoding_rs::WINDOWS_1252
                .encode(&render(";", "\r\n"))
                .0
                .into_owned(),
        ),
        ("pipe.csv", render("|", "\n").into_bytes()),
        ("unicode.txt", utf16(&render("\t", "\r\n"), true)),
        ("be.csv", utf16(&render("\t", "\n"), false)),
    ];
    for (name, bytes) in &cases {
        wd.write(name, bytes);
        let records = check_jsonl(&wd, &[name], 1);
        assert_eq!(records.len(), 2, "{name}");
        assert_eq!(records[0]["status"], "ready", "{name}: {:?}", records[0]);
        assert_eq!(records[1]["status"], "in_person", "{name}");
        assert_eq!(records[1]["row"], 3, "{name}");
        wd.expect(&["check", name, "-o", "out.csv"], 1);
        let text = wd.read("out.csv");
        assert!(
            text.contains("\"Ñandú, Peña y Cía.\""),
            "{name}: accents kept: {text}"
        );
        assert!(text.contains("José \"\"Pepe\"\" Núñez"), "{name}");
    }
    // --encoding and --delimiter override detection.
    wd.write(
        "forced.csv",
        encoding_rs::WINDOWS_1252
            .encode("Cédula:RUC:Nombre\n0428813992:0428813992001:Peña\n")
            .0,
    );
    let records = check_jsonl(
        &wd,
        &[
            "forced.csv",
            "--delimiter",
            ":",
            "--encoding",
            "windows-1252",
        ],
        0,
    );
    assert_eq!(records.len(), 1);
}

#[test]
fn windows_1252_later_in_a_utf8_looking_file_keeps_accents() {
    let wd = Workdir::new();
    let mut bytes = format!("{HEADER}\n").into_bytes();
    for _ in 0..40_000 {
        bytes.extend_from_slice(b"Ana,0428813992,0428813992001,0001,a@gmail.com\n");
    }
    bytes.extend_from_slice(b"Pe\xF1a,1839879739,1839879739001,0001,p@gmail.com\n");
    wd.write("late.csv", bytes);
    wd.expect(&["check", "late.csv", "-o", "out.csv"], 0);
    assert!(wd.read("out.csv").contains("Peña,"));
}

#[test]
fn header_found_below_title_lines() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Nómina de empleadores - Enero;;;\r\n;;;\r\n\r\nNº;Identificación;Nro. RUC;E-mail\r\n1;0428813992;0428813992001;a@gmail.com\r\n;;;\r\n2;1839879739;1839879739001;b@gmail.com\r\n",
    );
    let records = check_jsonl(&wd, &["r.csv"], 0);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["row"], 5);
    assert_eq!(records[1]["row"], 7);
    let out = wd.expect(&["check", "r.csv"], 0);
    assert!(stderr(&out).contains("2 records from 1 table (1 blank rows skipped)"));
}

#[test]
fn missing_required_column_is_exit_2_listing_headers() {
    let wd = Workdir::new();
    wd.write("r.csv", "Nombre,Cédula,Correo\nA,0428813992,a@gmail.com\n");
    let out = wd.expect(&["check", "r.csv", "-o", "report.jsonl"], 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("r.csv: no column for ruc (required)"), "{err}");
    assert!(err.contains("\"Nombre\", \"Cédula\", \"Correo\""), "{err}");
    assert!(!wd.join("report.jsonl").exists());
    // Headers that name nothing and cells that look like nothing: both columns missing.
    wd.write(
        "n.csv",
        "Nombre,Documento del dueño,Número de contribuyente\nA,C-0428813992,R-0428813992001\n",
    );
    let err = stderr(&wd.expect(&["check", "n.csv"], 2));
    assert!(err.contains("no column for id and ruc (required)"), "{err}");
    // Cells that are a cédula and a RUC say it when the headers do not, and the run says so.
    wd.write(
        "m.csv",
        "Nombre,Documento del dueño,Número de contribuyente\nA,0428813992,0428813992001\n",
    );
    let err = stderr(&wd.expect(&["check", "m.csv"], 0));
    assert!(
        err.contains("← \"Documento del dueño\" (by its cells: 1 of 1 look like cédulas)")
            && err.contains("← \"Número de contribuyente\" (by its cells: 1 of 1 look like RUCs)"),
        "{err}"
    );
    // --map names the column.
    let records = check_jsonl(
        &wd,
        &[
            "m.csv",
            "--map",
            "ruc=numero de contribuyente",
            "--map",
            "id=Documento del dueño",
        ],
        0,
    );
    assert_eq!(records[0]["ruc"], "0428813992001");
    wd.expect(&["check", "m.csv", "--map", "bogus=x"], 2);
}

#[test]
fn batch_checks_name_the_earlier_row() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        format!(
            "{HEADER}\n\
             A,0428813992,0428813992001,1,conta@estudio.ec\n\
             B,1839879739,1839879739001,1,conta@estudio.ec\n"
        ),
    );
    wd.write("b.csv", format!("{HEADER}\nA2,0428813992,0428813992001,0001,otro@gmail.com\nA3,0428813992,0428813992001,0002,conta@estudio.ec\n"));
    let records = check_jsonl(&wd, &["a.csv", "b.csv"], 0);
    let find = |r: &Value, code: &str| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .map(|f| f["message"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        find(&records[1], "EMAIL_SHARED").unwrap(),
        "Same e-mail as row 2, which has a different RUC"
    );
    assert_eq!(
        find(&records[2], "DUPLICATE_EMPLOYER").unwrap(),
        "Same RUC and sucursal as row a.csv:2"
    );
    // Same RUC as the first user of the address, but a different RUC used it in between.
    assert_eq!(
        find(&records[3], "EMAIL_SHARED").unwrap(),
        "Same e-mail as row a.csv:3, which has a different RUC"
    );
    assert!(
        find(&records[3], "DUPLICATE_EMPLOYER").is_none(),
        "another sucursal"
    );
    assert_eq!(records[2]["source"], "b.csv");
}

fn big_roster(n: usize) -> String {
    let good = [
        "0428813992,0428813992001",
        "1839879739,1839879739001",
        "0141141705,1793213150001",
    ];
    let bad = ["1022441060,1022441060001", ",", "1.2E+12,x"];
    let mut s = String::from("Nombre,Cédula,RUC,Sucursal,Correo\n");
    for i in 0..n {
        let pair = if i % 7 == 0 { bad[i % 3] } else { good[i % 3] };
        let email = if i % 11 == 0 {
            String::new()
        } else {
            format!("u{}@gmail.com", i % 500)
        };
        s.push_str(&format!("N{i},{pair},{},{email}\n", i % 3 + 1));
        if i % 1000 == 999 {
            s.push_str(",,,,\n");
        }
    }
    s
}

#[test]
fn output_is_identical_whatever_the_threads() {
    let wd = Workdir::new();
    wd.write("big.csv", big_roster(30_000));
    let mut reports = Vec::new();
    for threads in ["1", "2", "4"] {
        for format in ["jsonl", "csv"] {
            let out = format!("out{threads}.{format}");
            wd.expect(&["check", "big.csv", "--threads", threads, "-o", &out], 1);
            reports.push((format, std::fs::read(wd.join(&out)).unwrap()));
        }
    }
    for r in &reports[2..] {
        let first = &reports[if r.0 == "jsonl" { 0 } else { 1 }];
        assert!(r.1 == first.1, "{} differs across thread counts", r.0);
    }
    let records = jsonl(std::str::from_utf8(&reports[0].1).unwrap());
    assert_eq!(records.len(), 30_000);
    let rows: Vec<u64> = records.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "input order");
    assert_eq!(rows[999], 1001);
    assert_eq!(rows[1000], 1003, "the blank line is skipped");
}

#[test]
fn every_row_is_accounted_for() {
    let wd = Workdir::new();
    wd.write("big.csv", big_roster(5_000));
    wd.expect(
        &[
            "check",
            "big.csv",
            "-o",
            "all.jsonl",
            "--summary-json",
            "s.json",
            "--fail-on",
            "never",
        ],
        0,
    );
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let lines = wd.read("big.csv").lines().count() as u64 - 1;
    assert_eq!(s["rows"].as_u64().unwrap(), lines);
    assert_eq!(
        s["records"].as_u64().unwrap() + s["blank_rows"].as_u64().unwrap(),
        lines
    );
    assert_eq!(
        s["written"].as_u64().unwrap(),
        s["records"].as_u64().unwrap()
    );
    assert!(s["elapsed_seconds"].as_f64().is_some());
    assert_eq!(
        wd.read("all.jsonl").lines().count() as u64,
        s["records"].as_u64().unwrap()
    );

    wd.expect(
        &[
            "check",
            "big.csv",
            "-o",
            "flagged.jsonl",
            "--only-flagged",
            "--summary-json",
            "f.json",
        ],
        1,
    );
    let f: Value = serde_json::from_str(&wd.read("f.json")).unwrap();
    let flagged = jsonl(&wd.read("flagged.jsonl"));
    assert_eq!(
        flagged.len() as u64,
        f["invalid"].as_u64().unwrap() + f["in_person"].as_u64().unwrap()
    );
    assert_eq!(f["written"].as_u64().unwrap(), flagged.len() as u64);
    assert!(flagged.iter().all(|r| r["status"] != "ready"));
}

#[test]
fn exit_codes_follow_fail_on() {
    let wd = Workdir::new();
    wd.write(
        "ready.csv",
        format!("{HEADER}\nA,0428813992,0428813992001,0001,a@gmail.com\n"),
    );
    wd.write(
        "person.csv",
        format!("{HEADER}\nA,0428813992,0428813992001,0001,\n"),
    );
    wd.write(
        "invalid.csv",
        format!("{HEADER}\nA,0428813993,0428813992001,0001,a@gmail.com\n"),
    );
    for (file, any, invalid, in_person, never) in [
        ("ready.csv", 0, 0, 0, 0),
        ("person.csv", 1, 0, 1, 0),
        ("invalid.csv", 1, 1, 0, 0),
    ] {
        wd.expect(&["check", file, "-q"], any);
        wd.expect(&["check", file, "-q", "--fail-on", "any"], any);
        wd.expect(&["check", file, "-q", "--fail-on", "invalid"], invalid);
        wd.expect(&["check", file, "-q", "--fail-on", "in-person"], in_person);
        wd.expect(&["check", file, "-q", "--fail-on", "never"], never);
    }
    for bad in [
        vec!["check", "nope.csv"],
        vec!["check", "."],
        vec!["check", "ready.csv", "--fail-on", "sometimes"],
        vec!["check", "ready.csv", "-o", "x.pdf"],
        vec!["check", "ready.csv", "--threads", "0"],
        vec!["check"],
    ] {
        let out = wd.expect(&bad, 2);
        assert!(!stderr(&out).is_empty());
    }
    let out = wd.expect(&["check", "nope.csv"], 2);
    assert!(
        stderr(&out).starts_with("patronal: nope.csv: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn failed_runs_leave_no_partial_report() {
    let wd = Workdir::new();
    wd.write(
        "ok.csv",
        format!("{HEADER}\nA,0428813992,0428813992001,0001,a@gmail.com\n"),
    );
    wd.write("bad.csv", "Nombre\nA\n");
    wd.write("report.jsonl", "previous report\n");
    wd.expect(&["check", "ok.csv", "bad.csv", "-o", "report.jsonl"], 2);
    assert_eq!(wd.read("report.jsonl"), "previous report\n");
    wd.expect(&["check", "ok.csv", "-o", "missing/dir/report.jsonl"], 2);
    wd.expect(&["check", "ok.csv", "-o", "report.jsonl"], 0);
    assert!(wd.read("report.jsonl").starts_with("{\"source\""));
    let leftovers: Vec<_> = std::fs::read_dir(wd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    #[cfg(target_os = "linux")]
    {
        // A write failure (a full disk) and a folder that cannot be written (read-only even
        // for root): exit 2 naming the target; devices are written in place, never replaced.
        let out = wd.expect(
            &["check", "ok.csv", "-o", "/dev/full", "--format", "jsonl"],
            2,
        );
        assert!(
            stderr(&out).contains("/dev/full: cannot write the report"),
            "{}",
            stderr(&out)
        );
        let meta = std::fs::metadata("/dev/full").unwrap();
        assert!(!meta.is_file(), "/dev/full is still a device");
        let out = wd.expect(&["check", "ok.csv", "-o", "/proc/report.jsonl"], 2);
        assert!(
            stderr(&out).contains("/proc/report.jsonl: cannot create the report"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn terminal_table_and_summary() {
    let wd = Workdir::new();
    let mut roster = format!("{HEADER}\n");
    for i in 0..25 {
        roster.push_str(&format!(
            "\x1b[31mEvil{i},0428813993,0428813992001,0001,a{i}@gmail.com\n"
        ));
    }
    roster.push_str("Fine,1839879739,1839879739001,0001,f@gmail.com\n");
    wd.write("r.csv", roster);
    let out = wd.expect(&["check", "r.csv"], 1);
    let table = stdout(&out);
    assert!(table.starts_with("ROW"), "{table}");
    assert!(table.contains("r.csv:2"));
    assert!(table.contains("… and 5 more"), "{table}");
    assert!(!table.contains('\x1b'), "escape sequences are stripped");
    let summary = stderr(&out);
    assert!(summary.contains("26 records from 1 table"), "{summary}");
    assert!(summary.contains("ID_CHECKSUM"), "{summary}");
    assert!(!summary.contains('\x1b'));
    // Spanish, and --quiet.
    let es = wd.expect(&["--lang", "es", "check", "r.csv"], 1);
    assert!(stdout(&es).starts_with("FILA"));
    assert!(stderr(&es).contains("26 registros"));
    // --quiet (cron) prints only the news: the flagged employers, sanitised; no summary.
    let quiet = wd.expect(&["check", "r.csv", "-q"], 1);
    assert!(quiet.stderr.is_empty());
    let news = stdout(&quiet);
    assert!(
        news.starts_with("flagged: 25\n  r.csv:2  ?[31mEvil0"),
        "{news}"
    );
    assert!(!news.contains('\x1b'));
    // With -o the table is not printed; the summary still is.
    let out = wd.expect(&["check", "r.csv", "-o", "r.jsonl"], 1);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("26 records"));
}

#[test]
fn report_to_stdout() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        format!("{HEADER}\nA,0428813992,0428813992001,0001,a@gmail.com\n"),
    );
    let out = wd.expect(&["check", "r.csv", "-o", "-", "-q"], 0);
    let records = jsonl(&stdout(&out));
    assert_eq!(records.len(), 1);
    let out = wd.expect(&["check", "r.csv", "-o", "-", "--format", "csv", "-q"], 0);
    assert!(stdout(&out).starts_with("\u{feff}ID,RUC,Sucursal,Name,Email,result"));
}

/// The commands a README shows with their output (`$ cargo run --release -- ARGS` or
/// `$ patronal ARGS`, then what it printed, up to the next command or the block's end):
/// each `check` of a sample, `id` and `codes`, as arguments and the text shown.
fn readme_runs(readme: &str) -> Vec<(Vec<String>, String)> {
    let mut runs = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line
            .strip_prefix("$ cargo run --release -- ")
            .or_else(|| line.strip_prefix("$ patronal "))
        else {
            continue;
        };
        let args: Vec<String> = command.split_whitespace().map(String::from).collect();
        let mut shown = String::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("$ ") || next.starts_with("```") {
                break;
            }
            shown.push_str(next);
            shown.push('\n');
            lines.next();
        }
        let shown_run = match args[0].as_str() {
            "check" => args[1..].iter().all(|a| a.starts_with("samples/")),
            "id" | "codes" => true,
            _ => false,
        };
        if shown_run && !shown.is_empty() {
            runs.push((args, shown));
        }
    }
    runs
}

/// Both READMEs show what `patronal` prints, byte for byte but the time taken: the English
/// one in English, the Spanish one as a Spanish system runs it (`LANG=es_EC.UTF-8`).
#[test]
fn readmes_show_what_the_program_prints() {
    let wd = Workdir::new();
    for name in ["clientes.csv", "nomina_oficina.csv"] {
        let sample = std::fs::read(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR")));
        wd.write(&format!("samples/{name}"), sample.unwrap());
    }
    // The summary line's time: `…skipped) in 0.01 s`, `…omitidas) en 0.01 s`.
    let strip_time = |s: &str| -> String {
        s.lines()
            .map(|l| match l.find(") in ").or_else(|| l.find(") en ")) {
                Some(i) => &l[..i],
                None => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut seen = 0;
    for (readme, lang) in [
        (include_str!("../README.md"), "C"),
        (include_str!("../README.es.md"), "es_EC.UTF-8"),
    ] {
        let runs = readme_runs(readme);
        assert!(runs.len() >= 3, "{lang}: {runs:?}");
        for (args, shown) in runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut cmd = wd.command(&args);
            cmd.env("LANG", lang);
            let out = crate::util::run(&mut cmd);
            let printed = format!("{}{}", stdout(&out), stderr(&out));
            assert_eq!(
                strip_time(&shown),
                strip_time(&printed),
                "{lang}: patronal {}",
                args.join(" ")
            );
            seen += 1;
        }
    }
    assert!(seen >= 7, "{seen} runs");
}

#[test]
fn samples_check_as_expected() {
    let wd = Workdir::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/");
    for name in ["clientes.csv", "nomina_excel.csv"] {
        wd.write(name, std::fs::read(format!("{dir}{name}")).unwrap());
    }
    let records = check_jsonl(&wd, &["nomina_excel.csv"], 1);
    assert_eq!(records.len(), 80);
    assert_eq!(records[0]["row"], 4, "title line, blank line, header");
    let count = |s: &str| records.iter().filter(|r| r["status"] == s).count();
    assert_eq!(
        (count("ready"), count("invalid"), count("in_person")),
        (65, 9, 6)
    );
    // The generated samples are what `patronal sample` writes.
    wd.expect(
        &[
            "sample",
            "--rows",
            "80",
            "--seed",
            "593",
            "--style",
            "excel",
            "-o",
            "again.csv",
        ],
        0,
    );
    assert_eq!(
        std::fs::read(wd.join("again.csv")).unwrap(),
        std::fs::read(wd.join("nomina_excel.csv")).unwrap()
    );
    wd.expect(
        &[
            "sample",
            "--rows",
            "120",
            "--seed",
            "2026",
            "-o",
            "again.csv",
        ],
        0,
    );
    assert_eq!(
        std::fs::read(wd.join("again.csv")).unwrap(),
        std::fs::read(wd.join("clientes.csv")).unwrap()
    );
}
