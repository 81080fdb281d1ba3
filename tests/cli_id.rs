//! `patronal id`: output, JSON, exit codes, language.

use crate::util::{Workdir, stdout};

#[test]
fn valid_numbers_exit_0() {
    let wd = Workdir::new();
    let out = wd.expect(&["id", "1714307103", "0926687856001", "1793213150001"], 0);
    let text = stdout(&out);
    assert!(
        text.contains("1714307103: valid · cédula 1714307103"),
        "{text}"
    );
    assert!(text.contains("RUC_CHECK_UNVERIFIABLE"), "{text}");
}

#[test]
fn any_invalid_number_exits_1() {
    let wd = Workdir::new();
    let out = wd.expect(&["id", "1714307103", "1714307104"], 1);
    assert!(stdout(&out).contains("ID_CHECKSUM"));
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new();
    wd.expect(&["id"], 2);
    wd.expect(&["id", "--bogus", "1714307103"], 2);
    wd.expect(&["--lang", "fr", "id", "1714307103"], 2);
}

#[test]
fn json_is_one_object_per_number() {
    let wd = Workdir::new();
    let out = wd.expect(&["id", "--json", "926687856", "0992397535000"], 1);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "cedula");
    assert_eq!(lines[0]["value"], "0926687856");
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["findings"][0]["code"], "ID_LEADING_ZERO_RESTORED");
    assert_eq!(lines[0]["findings"][0]["severity"], "warning");
    assert_eq!(lines[0]["findings"][0]["field"], "id");
    assert_eq!(lines[1]["kind"], "ruc_company");
    assert_eq!(lines[1]["valid"], false);
    assert_eq!(lines[1]["findings"][0]["code"], "RUC_ESTABLISHMENT");
}

#[test]
fn language_follows_flag_and_locale() {
    let wd = Workdir::new();
    let es = stdout(&wd.expect(&["--lang", "es", "id", "1714307104"], 1));
    assert!(
        es.contains("INVÁLIDO") && es.contains("dígito verificador"),
        "{es}"
    );
    let mut cmd = wd.command(&["id", "1714307104"]);
    cmd.env("LANG", "es_EC.UTF-8");
    let out = crate::util::run(&mut cmd);
    assert!(stdout(&out).contains("INVÁLIDO"));
    let en = stdout(&wd.expect(&["id", "1714307104"], 1));
    assert!(en.contains("INVALID") && en.contains("check digit"), "{en}");
    // Severities too: people read them.
    let es = stdout(&wd.expect(&["--lang", "es", "id", "926687856"], 0));
    assert!(es.contains("  aviso "), "{es}");
}

#[test]
fn terminal_output_is_sanitized() {
    let wd = Workdir::new();
    let out = wd.expect(&["id", "17\x1b[31m14307103"], 1);
    assert!(!stdout(&out).contains('\x1b'));
}
