//! "Lista" only when it was checked (issue 24): every roster column found, nothing left
//! unchecked in silence, no false "ready". Each point in both languages where text is
//! involved.

use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::util::{Workdir, codes, jsonl, stderr, stdout};

/// Runs `check` on `roster` in `lang` with a JSON Lines report and the summary JSON; the
/// records, the summary JSON and what was printed on stderr.
fn check(wd: &Workdir, roster: &str, lang: &str, extra: &[&str]) -> (Vec<Value>, Value, String) {
    let mut args = vec![
        "--lang",
        lang,
        "check",
        roster,
        "-o",
        "r.jsonl",
        "--summary-json",
        "s.json",
        "--fail-on",
        "never",
    ];
    args.extend_from_slice(extra);
    let out = wd.expect(&args, 0);
    let records = jsonl(&wd.read("r.jsonl"));
    let summary: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    (records, summary, stderr(&out))
}

#[test]
fn headers_as_offices_write_them_are_read() {
    let wd = Workdir::new();
    // Refused with exit 2 before: each is a field now.
    wd.write(
        "r.csv",
        "Nº;Razón social del empleador;Número de cédula;RUC empresa;Correo IESS;Teléfono;Observaciones\n\
         1;Ana Vera;1714307103;1714307103001;ana@correo.ec;0991234567;\n\
         2;Luis Mora;0926687856;0926687856001;;0991234568;sin correo\n",
    );
    for (lang, email) in [
        ("en", "e-mail        ← \"Correo IESS\""),
        ("es", "correo                 ← \"Correo IESS\""),
    ] {
        let (records, summary, err) = check(&wd, "r.csv", lang, &[]);
        assert_eq!(records.len(), 2);
        assert_eq!(codes(&records[1]), ["SUCURSAL_ASSUMED", "EMAIL_MISSING"]);
        assert_eq!(records[1]["status"], "in_person");
        assert!(err.contains(email), "{err}");
        let columns = &summary["files"][0]["columns"];
        assert_eq!(columns["id"], "Número de cédula");
        assert_eq!(columns["ruc"], "RUC empresa");
        assert_eq!(columns["email"], "Correo IESS");
        assert_eq!(columns["name"], "Razón social del empleador");
        // `Nº`, `Teléfono` and `Observaciones` are no field.
        assert_eq!(columns["sucursal"], Value::Null);
        assert_eq!(
            summary["files"][0]["not_checked"],
            serde_json::json!(["ruc_status", "first_time"])
        );
    }
}

/// The first case: an e-mail that is never checked, and nothing says so.
#[test]
fn an_unchecked_condition_is_never_silent() {
    let wd = Workdir::new();
    wd.write("r.csv", "Cédula;RUC;Notas\n1714307103;1714307103001;\n");
    for (lang, first, why, fix) in [
        (
            "en",
            "NOT CHECKED: the e-mail (no e-mail column in r.csv).",
            "a missing or invalid one means an in-person visit",
            "To check it: name the column with --map email=HEADER",
        ),
        (
            "es",
            "SIN REVISAR: el correo (no hay columna de correo en r.csv).",
            "si falta o no es válido hay que ir en persona",
            "Para revisarlo: indique la columna con --map email=ENCABEZADO",
        ),
    ] {
        let (records, summary, err) = check(&wd, "r.csv", lang, &[]);
        assert_eq!(records[0]["status"], "ready");
        // The summary's first line says it, and why it matters.
        let line = err.lines().next().unwrap();
        assert!(line.starts_with(first) && line.contains(why), "{err}");
        assert!(err.lines().nth(1).unwrap().contains(fix), "{err}");
        assert!(
            err.contains("NOT CHECKED: the RUC's status")
                || err.contains("SIN REVISAR: el estado del RUC"),
            "{err}"
        );
        assert!(
            err.contains("NOT CHECKED: whether it is the employer's first key")
                || err.contains("SIN REVISAR: si es la primera clave"),
            "{err}"
        );
        let file = &summary["files"][0];
        assert_eq!(
            file["not_checked"],
            serde_json::json!(["email", "ruc_status", "first_time"])
        );
        assert_eq!(file["columns"]["email"], Value::Null);
        assert_eq!(file["columns"]["id"], "Cédula");
    }
    // The reports stay plain tables: the records carry no such note.
    assert!(
        !wd.read("r.jsonl").contains("NOT CHECKED") && !wd.read("r.jsonl").contains("SIN REVISAR")
    );
    // With a catastro the RUC's status is checked; with the columns, all of it.
    wd.write(
        "full.csv",
        "Cédula;RUC;Correo;Estado RUC;Primera vez\n1714307103;1714307103001;a@correo.ec;ACTIVO;no\n",
    );
    let (_, summary, err) = check(&wd, "full.csv", "en", &[]);
    assert_eq!(summary["files"][0]["not_checked"], serde_json::json!([]));
    assert!(!err.contains("NOT CHECKED"), "{err}");
}

#[test]
fn the_workbook_summary_carries_the_notes_and_the_columns() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Cédula;RUC;Notas\n1714307103;1714307103001;\nTOTAL EMPLEADORES: 1;;\n",
    );
    for (lang, notes, note, columns, id) in [
        (
            "en",
            "Read first",
            "NOT CHECKED: the e-mail",
            "Columns used",
            "← \"Cédula\"",
        ),
        (
            "es",
            "Lea primero",
            "SIN REVISAR: el correo",
            "Columnas usadas",
            "← \"Cédula\"",
        ),
    ] {
        wd.expect(&["--lang", lang, "check", "r.csv", "-o", "r.xlsx"], 0);
        let mut book: Xlsx<_> = open_workbook(wd.join("r.xlsx")).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let cells: Vec<String> = book
            .worksheet_range(&sheet)
            .unwrap()
            .cells()
            .map(|(_, _, c)| c.to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let at = cells.iter().position(|c| c == notes).expect(notes);
        assert!(cells[at + 1].starts_with(note), "{lang}: {cells:?}");
        assert!(
            cells.iter().any(|c| c.contains("TOTAL EMPLEADORES: 1")),
            "{lang}: the footer row is listed: {cells:?}"
        );
        let at = cells.iter().position(|c| c == columns).expect(columns);
        assert!(cells[at..].iter().any(|c| c == id), "{lang}: {cells:?}");
    }
}

#[test]
fn columns_are_found_by_their_cells_and_the_run_says_so() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Titular,Doc. del titular ante el SRI,Registro,Contacto\n\
         Ana,1714307103,1714307103001,ana@correo.ec\n\
         Luis,0926687856,0926687856001,luis@correo.ec\n\
         Eva,0428813992,0428813992001,\n",
    );
    for (lang, id, email) in [
        (
            "en",
            "ID            ← \"Doc. del titular ante el SRI\" (by its cells: 3 of 3 look like cédulas)",
            "e-mail        ← \"Contacto\" (by its cells: 2 of 2 look like e-mail addresses)",
        ),
        (
            "es",
            "identificación         ← \"Doc. del titular ante el SRI\" (por su contenido: 3 de 3 celdas parecen cédulas)",
            "correo                 ← \"Contacto\" (por su contenido: 2 de 2 celdas parecen correos)",
        ),
    ] {
        let (records, summary, err) = check(&wd, "r.csv", lang, &[]);
        assert!(err.contains(id) && err.contains(email), "{err}");
        assert_eq!(summary["files"][0]["columns"]["ruc"], "Registro");
        assert_eq!(
            records[2]["status"], "in_person",
            "the blank e-mail is checked"
        );
    }
}

#[test]
fn a_tie_is_said_never_guessed() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Cédula,Identificación,RUC\n1714307103,0926687856,1714307103001\n",
    );
    for (lang, words) in [
        (
            "en",
            "r.csv: several columns could be id (\"Cédula\", \"Identificación\"), and none is guessed: choose one with --map id=HEADER",
        ),
        (
            "es",
            "r.csv: varias columnas podrían ser id (\"Cédula\", \"Identificación\") y no se adivina ninguna: elija una con --map id=ENCABEZADO",
        ),
    ] {
        let err = stderr(&wd.expect(&["--lang", lang, "check", "r.csv"], 2));
        assert_eq!(err.trim(), format!("patronal: {words}"));
    }
    // An optional field: said on its line, and left unchecked.
    wd.write(
        "e.csv",
        "Cédula,RUC,Correo,E-mail\n1714307103,1714307103001,a@correo.ec,b@correo.ec\n",
    );
    for (lang, line) in [
        (
            "en",
            "e-mail        not chosen: several columns could be it (\"Correo\", \"E-mail\"); choose one with --map email=HEADER",
        ),
        (
            "es",
            "correo                 sin elegir: varias columnas podrían serlo (\"Correo\", \"E-mail\"); elija una con --map email=ENCABEZADO",
        ),
    ] {
        let (_, summary, err) = check(&wd, "e.csv", lang, &[]);
        assert!(err.contains(line), "{err}");
        assert_eq!(summary["files"][0]["not_checked"][0], "email");
    }
    let (_, summary, _) = check(&wd, "e.csv", "en", &["--map", "email=E-mail"]);
    assert_eq!(summary["files"][0]["columns"]["email"], "E-mail");
}

/// The fourth case: the footer rows below the data became invalid records.
#[test]
fn footer_rows_are_not_employers() {
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Nombre;Cédula;RUC;Correo\n\
         Ana;1714307103;1714307103001;ana@correo.ec\n\
         Sin cédula aún;;;luis@correo.ec\n\
         Eva;0926687856;0926687856001;eva@correo.ec\n\
         ;;;\n\
         TOTAL EMPLEADORES: 3;;;\n\
         Elaborado por: CPA Juan Pérez;;;Revisado por: Ing. María Vélez\n\
         Quito, 15 de enero de 2026;;;\n",
    );
    for (lang, note) in [
        (
            "en",
            "r.csv: 3 footer rows below the last employer skipped: 'TOTAL EMPLEADORES: 3', 'Elaborado por: CPA Juan Pérez Revisado por: Ing. María Vélez', 'Quito, 15 de enero de 2026'",
        ),
        (
            "es",
            "r.csv: 3 filas de pie omitidas bajo el último empleador: 'TOTAL EMPLEADORES: 3', 'Elaborado por: CPA Juan Pérez Revisado por: Ing. María Vélez', 'Quito, 15 de enero de 2026'",
        ),
    ] {
        let (records, summary, err) = check(&wd, "r.csv", lang, &[]);
        assert!(err.contains(note), "{err}");
        // The row among the data with a name and no ID is still a record.
        assert_eq!(records.len(), 3);
        assert_eq!(records[1]["row"], 3);
        assert!(codes(&records[1]).contains(&"ID_MISSING"));
        assert_eq!(summary["footer_rows"], 3);
        assert_eq!(summary["files"][0]["footer_rows"], 3);
        assert_eq!(summary["files"][0]["footers"][0], "TOTAL EMPLEADORES: 3");
        // Rows in = records + blank rows + footer rows.
        assert_eq!(summary["rows"], 7);
        assert_eq!(summary["invalid"], 1);
    }
}

#[test]
fn identifiers_the_registries_teach() {
    let wd = Workdir::new();
    for (lang, words) in [
        ("en", ["probably mistyped", "10th digit", "fourth digit"]),
        ("es", ["mal digitado", "décimo dígito", "cuarto dígito"]),
    ] {
        // Third digit 6, 10th digit 1: a person's RUC, whose cédula fails.
        let out = stdout(&wd.expect(&["--lang", lang, "id", "--json", "0962893971001"], 1));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["kind"], "ruc_natural");
        assert_eq!(v["findings"][0]["code"], "RUC_CHECKSUM");
        let message = v["findings"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(words[0]) && message.contains(words[1]),
            "{message}"
        );
        // A company RUC of the formula era (fourth digit 0) that fails: a typo, an error.
        let out = stdout(&wd.expect(&["--lang", lang, "id", "--json", "1790011675001"], 1));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["findings"][0]["code"], "RUC_CHECKSUM");
        let message = v["findings"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(words[0]) && message.contains(words[2]),
            "{message}"
        );
        // Fourth digit 1 or more: the warning stays.
        let out = stdout(&wd.expect(&["--lang", lang, "id", "--json", "1791011675001"], 0));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["findings"][0]["code"], "RUC_CHECK_UNVERIFIABLE");
    }
    // In a roster, the employer's ID is compared as for any person's RUC.
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC,Correo\nGuayaco,0962893970,0962893971001,g@correo.ec\n",
    );
    let (records, _, _) = check(&wd, "r.csv", "en", &[]);
    assert_eq!(records[0]["status"], "invalid");
    assert_eq!(records[0]["employer_kind"], "natural");
    let found = codes(&records[0]);
    assert!(
        found.contains(&"RUC_CHECKSUM") && found.contains(&"RUC_ID_MISMATCH"),
        "{found:?}"
    );
}

#[test]
fn a_sign_or_a_character_removed_is_named() {
    let wd = Workdir::new();
    for (lang, sign, dash) in [
        (
            "en",
            "Characters were removed from the identification: the sign \"-\"",
            "Characters were removed from the RUC: \"-\"",
        ),
        (
            "es",
            "Se quitaron caracteres de la identificación: el signo \"-\"",
            "Se quitaron caracteres del RUC: \"-\"",
        ),
    ] {
        // A damaged Excel cell, as it is pasted: not a flag.
        let out = stdout(&wd.expect(&["--lang", lang, "id", "-1714307103"], 0));
        assert!(
            out.contains("ID_CHARACTERS_REMOVED") && out.contains(sign),
            "{out}"
        );
        wd.write(
            "r.csv",
            "Nombre;Cédula;RUC;Correo\nAna;-1714307103;1714307103-001;a@correo.ec\n",
        );
        let (records, _, _) = check(&wd, "r.csv", lang, &[]);
        let messages: Vec<&str> = records[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        assert!(
            messages.contains(&sign) && messages.contains(&dash),
            "{messages:?}"
        );
        assert_eq!(records[0]["status"], "ready");
        assert_eq!(records[0]["id"], "1714307103");
    }
}

#[test]
fn patronal_id_names_the_domestic_service_form() {
    let wd = Workdir::new();
    for (lang, words) in [
        (
            "en",
            "the IESS domestic-service form: the cédula 1714307103 followed by 000; use sucursal 0001",
        ),
        (
            "es",
            "formato de servicio doméstico del IESS: la cédula 1714307103 seguida de 000; use la sucursal 0001",
        ),
    ] {
        let out = stdout(&wd.expect(&["--lang", lang, "id", "1714307103000"], 0));
        assert!(out.contains(words), "{out}");
        // Not said of a person's RUC.
        let out = stdout(&wd.expect(&["--lang", lang, "id", "1714307103001"], 0));
        assert!(!out.contains("000"), "{out}");
    }
    let out = stdout(&wd.expect(&["id", "--json", "1714307103000"], 0));
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v["domestic"],
        serde_json::json!({"cedula": "1714307103", "sucursal": "0001"})
    );
    let out = stdout(&wd.expect(&["id", "--json", "1714307103001"], 0));
    assert!(!out.contains("domestic"), "{out}");
}
