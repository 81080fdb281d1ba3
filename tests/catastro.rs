//! `check --catastro` and `catastro build`: the SRI registry decides each RUC's status.

use std::io::Write;

use serde_json::Value;

use crate::util::{Workdir, stderr};

/// The header of the SRI's published catastro files, verbatim (docs/catastro.md).
const CATASTRO_HEADER: &str = "NUMERO_RUC|RAZON_SOCIAL|CODIGO_JURISDICCION|ESTADO_CONTRIBUYENTE|\
CLASE_CONTRIBUYENTE|FECHA_INICIO_ACTIVIDADES|FECHA_ACTUALIZACION|FECHA_SUSPENSION_DEFINITIVA|\
FECHA_REINICIO_ACTIVIDADES|OBLIGADO|TIPO_CONTRIBUYENTE|NUMERO_ESTABLECIMIENTO|\
NOMBRE_FANTASIA_COMERCIAL|ESTADO_ESTABLECIMIENTO|DESCRIPCION_PROVINCIA_EST|\
DESCRIPCION_CANTON_EST|DESCRIPCION_PARROQUIA_EST|CODIGO_CIIU|ACTIVIDAD_ECONOMICA|\
AGENTE_RETENCION|ESPECIAL";

/// A catastro row in the SRI's layout (21 columns); `name` is written as given (quotes and
/// all), the establishment's trade name likewise; the establishment's province is the RUC's
/// own (the files these tests build cover the provinces of their RUCs).
fn row(ruc: &str, name: &str, status: &str, kind: &str, establishment: u32) -> String {
    let code: u8 = format!("{ruc:0>13}")[..2].parse().unwrap();
    let province = patronal_core::ecuador::province_name(code)
        .unwrap_or("GUAYAS")
        .to_uppercase();
    row_in(ruc, name, status, kind, establishment, &province)
}

/// [`row`], the establishment in `province` (as the SRI writes it: `GALAPAGOS`).
fn row_in(
    ruc: &str,
    name: &str,
    status: &str,
    kind: &str,
    establishment: u32,
    province: &str,
) -> String {
    let class = if kind == "SOCIEDAD" { "GEN" } else { "RMP" };
    let open = if status == "ACTIVO" { "ABI" } else { "CER" };
    format!(
        "{ruc}|{name}|ZONA 9|{status}|{class}|2001-05-28 00:00:00|2022-11-03 00:00:00|||N|{kind}|{establishment}|{name}|{open}|{province}|CANTON|PARROQUIA|G471101|VENTA AL POR MENOR|N|N\r\n"
    )
}

/// A catastro in the current layout: the RUCs of the roster below, some not active.
fn catastro() -> String {
    [
        format!("{CATASTRO_HEADER}\r\n"),
        row(
            "0428813992001",
            "\"PEÑA | HIJOS\"",
            "ACTIVO",
            "PERSONA NATURAL",
            1,
        ),
        row(
            "0428813992001",
            "\"PEÑA | HIJOS\"",
            "ACTIVO",
            "PERSONA NATURAL",
            2,
        ),
        row(
            "1839879739001",
            "SECRETO NOMBRE",
            "SUSPENDIDO",
            "PERSONA NATURAL",
            1,
        ),
        row("0141141705001", "OTRO", "PASIVO", "PERSONA NATURAL", 1),
        row("1793213150001", "EMPRESA", "ACTIVO", "SOCIEDAD", 1),
    ]
    .concat()
}

/// The roster: one of each case. The catastro covers the provinces of its RUCs (Carchi,
/// Tungurahua, Azuay, Pichincha): `Ausente` is of one of them, `Otra provincia` of Orellana.
const ROSTER: &str = "Nombre,Cédula,RUC,Estado RUC\n\
    Peña,0428813992,0428813992001,\n\
    Suspendida,1839879739,1839879739001,ACTIVO\n\
    Pasiva,0141141705,0141141705001,PASIVO\n\
    Registrada,0438976847,1793213150001,\n\
    No registrada,0438976847,1793213140001,\n\
    Ausente,0438976847,0438976847001,\n\
    Otra provincia,2235364557,2235364557001,\n\
    Doméstica,1358151882,1358151882000,\n";

fn check(wd: &Workdir, catastro: &str) -> Vec<(String, Vec<String>)> {
    wd.expect(
        &[
            "check",
            "roster.csv",
            "--catastro",
            catastro,
            "-o",
            "r.jsonl",
            "--fail-on",
            "never",
        ],
        0,
    );
    let report = wd.read("r.jsonl");
    assert!(
        !report.contains("SECRETO") && !report.contains("HIJOS"),
        "nothing but the status leaves the catastro"
    );
    report
        .lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            let codes = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["code"].as_str().unwrap().to_owned())
                .filter(|c| c != "SUCURSAL_ASSUMED")
                .collect();
            (r["status"].as_str().unwrap().to_owned(), codes)
        })
        .collect()
}

fn expected() -> Vec<(String, Vec<String>)> {
    let e = |s: &str, c: &[&str]| (s.to_owned(), c.iter().map(|x| x.to_string()).collect());
    vec![
        e("ready", &[]),
        e("in_person", &["RUC_NOT_ACTIVE", "RUC_STATUS_CONFLICT"]),
        e("in_person", &["RUC_NOT_ACTIVE"]),
        // Listed: the registry has verified it, no RUC_CHECK_UNVERIFIABLE.
        e("ready", &[]),
        e("invalid", &["RUC_CHECK_UNVERIFIABLE", "RUC_NOT_REGISTERED"]),
        e("ready", &["RUC_NOT_IN_CATASTRO"]),
        e("ready", &["RUC_PROVINCE_NOT_LOADED"]),
        e("ready", &[]),
    ]
}

#[test]
fn status_conflict_and_absence_rules() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    wd.write("SRI_RUC_Guayas.csv", catastro());
    assert_eq!(check(&wd, "SRI_RUC_Guayas.csv"), expected());
    let r: Value = serde_json::from_str(wd.read("r.jsonl").lines().nth(1).unwrap()).unwrap();
    let messages: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"The RUC is not active at the SRI (SUSPENDIDO)"),
        "{messages:?}"
    );
}

#[test]
fn encodings_layouts_and_zip() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    // Windows-1252, CRLF, the older layout (other columns, other order).
    let older = "PROVINCIA_JURISDICCION|NUMERO_RUC|NOMBRE_COMERCIAL|ESTADO_CONTRIBUYENTE\r\n\
        CARCHI|0428813992001|\"PEÑA | HIJOS\"|ACTIVO\r\n\
        TUNGURAHUA|1839879739001|SECRETO NOMBRE|SUSPENDIDO\r\n\
        AZUAY|0141141705001|OTRO|PASIVO\r\n\
        PICHINCHA|1793213150001|EMPRESA|ACTIVO\r\n";
    wd.write("old.csv", encoding_rs::WINDOWS_1252.encode(older).0);
    assert_eq!(check(&wd, "old.csv"), expected());
    // UTF-8 with a BOM, zipped as the SRI publishes the big provinces.
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(wd.join("SRI_RUC_Pichincha.zip")).unwrap());
    zip.start_file(
        "SRI_RUC_Pichincha.csv",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(format!("\u{feff}{}", catastro()).as_bytes())
        .unwrap();
    zip.finish().unwrap();
    assert_eq!(check(&wd, "SRI_RUC_Pichincha.zip"), expected());
}

#[test]
fn index_round_trip_and_refusals() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    wd.write("a.csv", catastro());
    let out = wd.expect(&["catastro", "build", "a.csv", "-o", "registry.idx"], 0);
    assert!(
        stderr(&out).contains("4 RUCs from 1 file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(check(&wd, "registry.idx"), expected());

    let bytes = std::fs::read(wd.join("registry.idx")).unwrap();
    wd.write("truncated.idx", &bytes[..bytes.len() - 5]);
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    wd.write("damaged.idx", damaged);
    wd.write("foreign.idx", b"PATRCAX\0 something else entirely");
    for (file, reason) in [
        ("truncated.idx", "truncated"),
        ("damaged.idx", "checksum"),
        ("foreign.idx", "no NUMERO_RUC"),
    ] {
        let out = wd.expect(&["check", "roster.csv", "--catastro", file], 2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(file) && err.contains(reason), "{file}: {err}");
    }
    wd.expect(&["catastro", "build", "roster.csv", "-o", "x.idx"], 2);
}

#[test]
fn sample_catastro_matches_the_sample_roster() {
    let wd = Workdir::new();
    let dir = env!("CARGO_MANIFEST_DIR");
    wd.write(
        "clientes.csv",
        std::fs::read(format!("{dir}/samples/clientes.csv")).unwrap(),
    );
    wd.write(
        "c.csv",
        std::fs::read(format!("{dir}/samples/catastro/SRI_RUC_Muestra.csv")).unwrap(),
    );
    wd.expect(
        &[
            "check",
            "clientes.csv",
            "--catastro",
            "c.csv",
            "--summary-json",
            "s.json",
            "-q",
        ],
        1,
    );
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert!(s["codes"]["RUC_NOT_ACTIVE"].as_u64().unwrap() > s["in_person"].as_u64().unwrap() / 3);
    // The sample is a Pichincha file: the RUCs of other provinces it lacks are not judged.
    assert_eq!(
        s["catastro"][0]["provinces"],
        serde_json::json!(["Pichincha"])
    );
    assert!(s["codes"]["RUC_PROVINCE_NOT_LOADED"].as_u64().is_some());
    wd.expect(
        &[
            "sample",
            "--format",
            "catastro",
            "--rows",
            "120",
            "--seed",
            "2026",
            "-o",
            "again.csv",
        ],
        0,
    );
    assert_eq!(wd.read("again.csv"), wd.read("c.csv"));
}

/// The quirks of real downloads, one per row: an unclosed quote in a name (the rows after it
/// must load), a blank and an unknown status, RUCs that lost their leading zero, a RUC that
/// verifies as a public entity's but the registry lists as a person's.
fn quirky() -> String {
    [
        format!("{CATASTRO_HEADER}\r\n"),
        row("1790011674001", "\"ACME CIA", "SUSPENDIDO", "SOCIEDAD", 1),
        row("0992397535001", "IMPORTADORA", "PASIVO", "SOCIEDAD", 1),
        row("1760001550001", "MUNICIPIO", "", "SOCIEDAD", 1),
        row(
            "1714307103001",
            "\"NOMBRE | RESERVADO\"",
            "EN TRAMITE",
            "PERSONA NATURAL",
            1,
        ),
        row(
            "926687856001",
            "PERSONA",
            "SUSPENDIDO",
            "PERSONA NATURAL",
            1,
        ),
        row("993370026001", "NUEVA SA", "ACTIVO", "SOCIEDAD", 1),
        row("0964244503001", "GUAYACO", "ACTIVO", "PERSONA NATURAL", 1),
        row("1791251237001", "CERRADA SA", "CERRADO", "SOCIEDAD", 1),
    ]
    .concat()
}

const QUIRKY_ROSTER: &str = "Nombre,Cédula,RUC,Sucursal,Estado RUC\n\
    Comilla,0438976847,1790011674001,1,\n\
    Después,0438976847,0992397535001,1,\n\
    En blanco,0438976847,1760001550001,1,\n\
    En blanco con estado,0438976847,1760001550001,2,ACTIVO\n\
    Desconocido,1714307103,1714307103001,1,\n\
    Cero perdido,0926687856,0926687856001,1,\n\
    Sin fórmula,0438976847,0993370026001,1,\n\
    Persona 6,1714307103,0964244503001,1,\n\
    Cerrada,0438976847,1791251237001,1,\n";

/// A record's status, employer kind and codes.
type Outcome = (String, String, Vec<String>);

/// Verdict, employer kind and codes of each record (padding and duplicates left out).
fn quirky_expected() -> Vec<Outcome> {
    let e = |s: &str, k: &str, c: &[&str]| {
        let codes = c.iter().map(|x| x.to_string()).collect();
        (s.to_owned(), k.to_owned(), codes)
    };
    vec![
        e("in_person", "company", &["RUC_NOT_ACTIVE"]),
        e("in_person", "company", &["RUC_NOT_ACTIVE"]),
        e("ready", "public", &["RUC_STATUS_UNKNOWN"]),
        e("ready", "public", &["RUC_STATUS_UNKNOWN"]),
        e("ready", "natural", &["RUC_STATUS_UNKNOWN"]),
        e("in_person", "natural", &["RUC_NOT_ACTIVE"]),
        // A RUC the SRI issued without the formula, listed: no RUC_CHECK_UNVERIFIABLE.
        e("ready", "company", &[]),
        e("invalid", "natural", &["RUC_ID_MISMATCH"]),
        e("in_person", "company", &["RUC_NOT_ACTIVE"]),
    ]
}

/// Runs the quirky roster against `catastro`; the records as (status, kind, codes), and the
/// messages of the third and fifth.
fn check_quirky(wd: &Workdir, catastro: &str) -> (Vec<Outcome>, [String; 2]) {
    wd.write("quirky.csv", QUIRKY_ROSTER);
    wd.expect(
        &[
            "check",
            "quirky.csv",
            "--catastro",
            catastro,
            "-o",
            "q.jsonl",
            "--fail-on",
            "never",
        ],
        0,
    );
    let records = crate::util::jsonl(&wd.read("q.jsonl"));
    let message = |i: usize, code: &str| -> String {
        records[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let got = records
        .iter()
        .map(|r| {
            let codes = crate::util::codes(r)
                .into_iter()
                .filter(|c| !matches!(*c, "SUCURSAL_PADDED" | "DUPLICATE_EMPLOYER"))
                .map(str::to_owned)
                .collect();
            (
                r["status"].as_str().unwrap().to_owned(),
                r["employer_kind"].as_str().unwrap().to_owned(),
                codes,
            )
        })
        .collect();
    (
        got,
        [
            message(2, "RUC_STATUS_UNKNOWN"),
            message(4, "RUC_STATUS_UNKNOWN"),
        ],
    )
}

fn zip_of(wd: &Workdir, zip_name: &str, entry: &str, contents: &[u8]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(wd.join(zip_name)).unwrap());
    zip.start_file(entry, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(contents).unwrap();
    zip.finish().unwrap();
}

#[test]
fn real_download_quirks_through_the_file_the_zip_and_the_index() {
    let wd = Workdir::new();
    wd.write("SRI_RUC_Guayas.csv", quirky());
    zip_of(
        &wd,
        "SRI_RUC_Guayas.zip",
        "SRI_RUC_Guayas.csv",
        quirky().as_bytes(),
    );
    let out = wd.expect(
        &[
            "catastro",
            "build",
            "SRI_RUC_Guayas.csv",
            "-o",
            "registry.idx",
        ],
        0,
    );
    let err = stderr(&out);
    assert!(
        err.contains(
            "catastro SRI_RUC_Guayas.csv: 8 rows, 8 RUCs (ACTIVO 2, SUSPENDIDO 2, PASIVO 1, CERRADO 1, (blank) 1, \"EN TRAMITE\" 1); provinces covered: Guayas, Pichincha; 2 RUCs had lost their leading zero: restored; 1 line with an unclosed quote"
        ),
        "{err}"
    );
    assert!(err.contains("8 RUCs from 1 file"), "{err}");
    let unknown = [
        "Unknown RUC status: blank in the SRI catastro".to_owned(),
        "Unknown RUC status: \"EN TRAMITE\" in the SRI catastro".to_owned(),
    ];
    for catastro in ["SRI_RUC_Guayas.csv", "SRI_RUC_Guayas.zip", "registry.idx"] {
        let (records, messages) = check_quirky(&wd, catastro);
        assert_eq!(records, quirky_expected(), "{catastro}");
        assert_eq!(messages, unknown, "{catastro}");
    }
    // In Spanish.
    let out = wd.expect(
        &[
            "check",
            "quirky.csv",
            "--catastro",
            "registry.idx",
            "-o",
            "es.jsonl",
            "--lang",
            "es",
            "--fail-on",
            "never",
        ],
        0,
    );
    assert!(
        stderr(&out).contains("catastro registry.idx: índice, 8 RUC (ACTIVO 2, SUSPENDIDO 2, PASIVO 1, CERRADO 1, (en blanco) 1, \"EN TRAMITE\" 1)"),
        "{}",
        stderr(&out)
    );
    let es = wd.read("es.jsonl");
    assert!(
        es.contains("Estado de RUC desconocido: en blanco en el catastro del SRI"),
        "{es}"
    );
    assert!(
        es.contains("Estado de RUC desconocido: \\\"EN TRAMITE\\\" en el catastro del SRI"),
        "{es}"
    );
}

#[test]
fn the_load_summary_is_in_the_summary_json() {
    let wd = Workdir::new();
    wd.write("c.csv", quirky());
    wd.write("quirky.csv", QUIRKY_ROSTER);
    wd.expect(
        &[
            "check",
            "quirky.csv",
            "--catastro",
            "c.csv",
            "--summary-json",
            "s.json",
            "-q",
            "--fail-on",
            "never",
        ],
        0,
    );
    let s: Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let load = &s["catastro"][0];
    assert_eq!(load["file"], "c.csv");
    assert_eq!(load["format"], "csv");
    assert_eq!(
        (load["rows"].as_u64(), load["rucs"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(load["restored"], 2);
    assert_eq!(load["unclosed_quotes"], 1);
    assert_eq!(load["statuses"][""], 1);
    assert_eq!(load["statuses"]["EN TRAMITE"], 1);
    assert_eq!(load["statuses"]["SUSPENDIDO"], 2);
    assert_eq!(load["skipped"], serde_json::json!({}));
    // Without a catastro the summary has no such key.
    wd.expect(
        &[
            "check",
            "quirky.csv",
            "--summary-json",
            "t.json",
            "-q",
            "--fail-on",
            "never",
        ],
        0,
    );
    let t: Value = serde_json::from_str(&wd.read("t.json")).unwrap();
    assert!(t.get("catastro").is_none());
}

/// The quirky catastro's text with no `|` inside a cell, to be split into a workbook's cells.
fn workbook_text() -> String {
    quirky().replace("\"NOMBRE | RESERVADO\"", "NOMBRE RESERVADO")
}

/// The quirky catastro as a workbook saved by Excel or pandas: every RUC a number (the
/// leading zeros lost), the header not on the first row.
fn quirky_xlsx(wd: &Workdir, name: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Catastro SRI").unwrap();
    for (r, line) in workbook_text().lines().enumerate() {
        for (c, cell) in line.split('|').enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match cell.parse::<u64>() {
                Ok(n) if c == 0 => sheet.write_number(r, c, n as f64).unwrap(),
                _ => sheet.write_string(r, c, cell.trim_matches('"')).unwrap(),
            };
        }
    }
    book.save(wd.join(name)).unwrap();
}

/// A minimal OpenDocument spreadsheet holding `rows` (numbers where a cell parses as one).
fn ods(wd: &Workdir, name: &str, rows: &[Vec<String>]) {
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in row {
            let text = cell
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('"', "&quot;");
            match cell.parse::<u64>() {
                Ok(n) => body.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                )),
                Err(_) => body.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>"
                )),
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"Hoja1\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(wd.join(name)).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn workbooks_saved_by_excel_or_pandas_are_read() {
    let wd = Workdir::new();
    quirky_xlsx(&wd, "SRI_RUC_Galapagos.xlsx");
    let rows: Vec<Vec<String>> = workbook_text()
        .lines()
        .map(|l| {
            l.split('|')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .map(|mut cells: Vec<String>| {
            // A number, as pandas writes a RUC column: the leading zero is gone.
            cells[0] = cells[0].trim_start_matches('0').to_owned();
            cells
        })
        .collect();
    ods(&wd, "SRI_RUC_Galapagos.ods", &rows);
    for (book, format) in [
        ("SRI_RUC_Galapagos.xlsx", "xlsx"),
        ("SRI_RUC_Galapagos.ods", "ods"),
    ] {
        let (records, messages) = check_quirky(&wd, book);
        assert_eq!(records, quirky_expected(), "{book}");
        assert_eq!(
            messages[1],
            "Unknown RUC status: \"EN TRAMITE\" in the SRI catastro"
        );
        let out = wd.expect(&["catastro", "build", book, "-o", "w.idx"], 0);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("catastro {book}: 8 rows, 8 RUCs"))
                && err.contains("4 RUCs had lost their leading zero: restored"),
            "{format}: {err}"
        );
        let (records, _) = check_quirky(&wd, "w.idx");
        assert_eq!(records, quirky_expected(), "{book} through an index");
    }
    // A workbook without the catastro's columns.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "RUC?").unwrap();
    book.save(wd.join("other.xlsx")).unwrap();
    let out = wd.expect(&["catastro", "build", "other.xlsx", "-o", "x.idx"], 2);
    assert!(
        stderr(&out).contains("other.xlsx: not an SRI catastro"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_that_gives_no_ruc_is_refused() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    wd.write("header.csv", format!("{CATASTRO_HEADER}\r\n"));
    wd.write(
        "bad.csv",
        format!(
            "{CATASTRO_HEADER}\r\n{}{}",
            row("12345", "X", "ACTIVO", "SOCIEDAD", 1),
            row("0428813992", "Y", "ACTIVO", "PERSONA NATURAL", 1)
        ),
    );
    // Lost zeros only, as a pandas copy has them: restored, not refused.
    wd.write(
        "zeros.csv",
        format!(
            "{CATASTRO_HEADER}\r\n{}",
            row("428813992001", "Z", "ACTIVO", "PERSONA NATURAL", 1)
        ),
    );
    for (file, reason) in [
        (
            "header.csv",
            "header.csv: no RUC: the catastro has a header and no rows",
        ),
        ("bad.csv", "bad.csv: no RUC in 2 rows (2 RUC not 13 digits)"),
    ] {
        for args in [
            vec!["check", "roster.csv", "--catastro", file],
            vec!["catastro", "build", file, "-o", "x.idx"],
        ] {
            let out = wd.expect(&args, 2);
            assert!(stderr(&out).contains(reason), "{}", stderr(&out));
        }
    }
    let out = wd.expect(&["catastro", "build", "zeros.csv", "-o", "z.idx"], 0);
    assert!(
        stderr(&out).contains("1 RUC had lost its leading zero: restored"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_person_with_a_third_digit_6() {
    // 0964244503: a Guayas cédula whose RUC also verifies as a public entity's (096424450,
    // establishment 3001).
    let wd = Workdir::new();
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC,Sucursal\nGuayaco,0964244503,0964244503001,1\nOtro,1714307103,0964244503001,2\n",
    );
    wd.expect(
        &["check", "r.csv", "-o", "r.jsonl", "--fail-on", "never"],
        0,
    );
    let r = crate::util::jsonl(&wd.read("r.jsonl"));
    assert_eq!(r[0]["employer_kind"], "natural");
    assert_eq!(crate::util::codes(&r[0]), ["SUCURSAL_PADDED"]);
    // A 10th digit other than 0: a person's RUC whatever the ID (every public entity's RUC
    // has 0 there), and not this employer's.
    assert_eq!(r[1]["employer_kind"], "natural");
    assert!(crate::util::codes(&r[1]).contains(&"RUC_ID_MISMATCH"));
    // The catastro says a person's: the cédula must match.
    for (kind, status, codes, employer) in [
        (
            "PERSONA NATURAL",
            "invalid",
            vec!["SUCURSAL_PADDED", "RUC_ID_MISMATCH"],
            "natural",
        ),
        (
            "SOCIEDAD",
            "ready",
            vec!["RUC_ESTABLISHMENT_UNUSUAL", "SUCURSAL_PADDED"],
            "public",
        ),
    ] {
        wd.write(
            "c.csv",
            format!(
                "{CATASTRO_HEADER}\r\n{}",
                row("0964244503001", "X", "ACTIVO", kind, 1)
            ),
        );
        wd.expect(&["catastro", "build", "c.csv", "-o", "c.idx"], 0);
        for catastro in ["c.csv", "c.idx"] {
            wd.expect(
                &[
                    "check",
                    "r.csv",
                    "--catastro",
                    catastro,
                    "-o",
                    "r.jsonl",
                    "--fail-on",
                    "never",
                ],
                0,
            );
            let r = crate::util::jsonl(&wd.read("r.jsonl"));
            assert_eq!(r[1]["status"], status, "{kind}");
            assert_eq!(r[1]["employer_kind"], employer, "{kind}");
            assert_eq!(crate::util::codes(&r[1]), codes, "{kind}");
        }
    }
}

/// The case: an office loads the province its clients are in, and checks RUCs of
/// others. A real-layout Galápagos file (its 21-column header, every establishment in
/// Galápagos, one of a Guayas company among them) against RUCs of Guayas and Pichincha.
#[test]
fn a_one_province_catastro_leaves_the_other_provinces_unjudged() {
    let wd = Workdir::new();
    wd.write(
        "SRI_RUC_Galapagos.csv",
        [
            format!("{CATASTRO_HEADER}\r\n"),
            row_in(
                "2090001232001",
                "ISLAS SA",
                "ACTIVO",
                "SOCIEDAD",
                1,
                "GALAPAGOS",
            ),
            row_in(
                "2012345670001",
                "PERSONA",
                "SUSPENDIDO",
                "PERSONA NATURAL",
                1,
                "GALAPAGOS",
            ),
            // A Guayas company's establishment in Galápagos: listed, so judged.
            row_in(
                "0991234561001",
                "GUAYACA SA",
                "PASIVO",
                "SOCIEDAD",
                3,
                "GALAPAGOS",
            ),
        ]
        .concat(),
    );
    wd.write(
        "r.csv",
        "Nombre,Cédula,RUC\n\
         Isleña,2012345670,2012345670001\n\
         Guayaca con sucursal,0912345675,0991234561001\n\
         Guayas sin fórmula,0912345675,0993370026001\n\
         Guayas persona,0912345675,0912345675001\n\
         Pichincha,0912345675,1793213150001\n\
         Galápagos ausente,0912345675,2090001240001\n",
    );
    wd.expect(
        &["catastro", "build", "SRI_RUC_Galapagos.csv", "-o", "g.idx"],
        0,
    );
    for catastro in ["SRI_RUC_Galapagos.csv", "g.idx"] {
        for lang in ["en", "es"] {
            let out = wd.run(&[
                "check",
                "r.csv",
                "--catastro",
                catastro,
                "-o",
                "r.jsonl",
                "--lang",
                lang,
            ]);
            let err = stderr(&out);
            let covered = match lang {
                "en" => "provinces covered: Galápagos",
                _ => "provincias cubiertas: Galápagos",
            };
            assert!(err.contains(covered), "{err}");
            let r = crate::util::jsonl(&wd.read("r.jsonl"));
            let codes: Vec<Vec<&str>> = r
                .iter()
                .map(|r| {
                    crate::util::codes(r)
                        .into_iter()
                        .filter(|c| *c != "SUCURSAL_ASSUMED")
                        .collect()
                })
                .collect();
            assert_eq!(codes[0], ["RUC_NOT_ACTIVE"], "{catastro}");
            assert_eq!(codes[1], ["RUC_NOT_ACTIVE"], "{catastro}");
            // Absent, and of provinces the file does not cover: never "not registered".
            assert_eq!(
                codes[2],
                ["RUC_CHECK_UNVERIFIABLE", "RUC_PROVINCE_NOT_LOADED"]
            );
            assert_eq!(codes[3], ["RUC_PROVINCE_NOT_LOADED"]);
            assert_eq!(
                codes[4],
                ["RUC_CHECK_UNVERIFIABLE", "RUC_PROVINCE_NOT_LOADED"]
            );
            assert_eq!(r[2]["status"], "ready");
            assert_eq!(r[4]["status"], "ready");
            // Absent from the province the file covers: judged as before.
            assert_eq!(codes[5], ["RUC_NOT_IN_CATASTRO"], "{catastro}");
            let message = |i: usize| {
                r[i]["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["code"] == "RUC_PROVINCE_NOT_LOADED")
                    .map(|f| f["message"].as_str().unwrap().to_owned())
                    .unwrap()
            };
            let (guayas, pichincha) = match lang {
                "en" => (
                    "The loaded SRI catastro does not cover the RUC's province: load SRI_RUC_Guayas",
                    "The loaded SRI catastro does not cover the RUC's province: load SRI_RUC_Pichincha",
                ),
                _ => (
                    "El catastro del SRI cargado no cubre la provincia del RUC: cargue SRI_RUC_Guayas",
                    "El catastro del SRI cargado no cubre la provincia del RUC: cargue SRI_RUC_Pichincha",
                ),
            };
            assert_eq!(message(3), guayas);
            assert_eq!(message(4), pichincha);
        }
    }
}

#[test]
fn an_index_of_the_previous_format_is_refused_with_the_way_out() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    let entry = (1_790_011_674_001u64 << 3).to_le_bytes();
    let mut v1 = b"PATRCAT\0".to_vec();
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&1u64.to_le_bytes());
    v1.extend_from_slice(&0u64.to_le_bytes());
    v1.extend_from_slice(&entry);
    wd.write("old.idx", v1);
    let out = wd.expect(&["check", "roster.csv", "--catastro", "old.idx"], 2);
    let err = stderr(&out);
    assert!(
        err.contains("old.idx: not a usable catastro index: format version 1")
            && err.contains("rebuild it with `patronal catastro build`"),
        "{err}"
    );
}

/// A zip written by hand: each file's deflated bytes, with the expanded size and CRC its
/// headers declare (a zip bomb's headers say what its maker wants).
fn raw_zip(files: &[(&str, &[u8], u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, n: u16| v.extend_from_slice(&n.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, n: u32| v.extend_from_slice(&n.to_le_bytes());
    for &(name, data, size, crc) in files {
        let offset = out.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        for n in [20, 0, 8, 0, 0x21] {
            u16le(&mut out, n);
        }
        for n in [crc, data.len() as u32, size] {
            u32le(&mut out, n);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        u32le(&mut central, 0x0201_4b50);
        for n in [20, 20, 0, 8, 0, 0x21] {
            u16le(&mut central, n);
        }
        for n in [crc, data.len() as u32, size] {
            u32le(&mut central, n);
        }
        for n in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, n);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (at, len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for n in [0, 0, files.len() as u16, files.len() as u16] {
        u16le(&mut out, n);
    }
    u32le(&mut out, len);
    u32le(&mut out, at);
    u16le(&mut out, 0);
    out
}

/// `mb` megabytes of `A` with no line break, deflated (about 1 KB per MB): one megabyte
/// compressed once and its block repeated.
fn deflated_line(mb: usize) -> Vec<u8> {
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(1 << 16);
    compress
        .compress_vec(
            &vec![b'A'; 1 << 20],
            &mut block,
            flate2::FlushCompress::Sync,
        )
        .unwrap();
    let mut data = block.repeat(mb);
    // The last block: empty, final, fixed codes.
    data.extend_from_slice(&[0x03, 0x00]);
    data
}

#[test]
fn hostile_catastros_are_refused_within_the_memory_limit() {
    let wd = Workdir::new();
    wd.write("roster.csv", ROSTER);
    // One 3 GB line in a 3 MB zip.
    let line = deflated_line(3 << 10);
    assert!(line.len() < 4 << 20, "{}", line.len());
    wd.write(
        "line.zip",
        raw_zip(&[("SRI_RUC_Guayas.csv", &line, 3 << 30, 0)]),
    );
    // Two files of 4 GB each, declared.
    let empty = [0x03, 0x00];
    wd.write(
        "bomb.zip",
        raw_zip(&[
            ("a.csv", &empty, u32::MAX, 0),
            ("b.csv", &empty, u32::MAX, 0),
        ]),
    );
    for (catastro, reason) in [
        (
            "/dev/zero",
            "/dev/zero: line 1 is longer than 1 MB: not a catastro",
        ),
        (
            "line.zip",
            "line.zip/SRI_RUC_Guayas.csv: line 1 is longer than 1 MB: not a catastro",
        ),
        (
            "bomb.zip",
            "bomb.zip: the zip would expand to more than 4 GB (7 GB): refused",
        ),
    ] {
        for args in [
            vec!["check", "roster.csv", "--catastro", catastro],
            vec!["catastro", "build", catastro, "-o", "x.idx"],
        ] {
            let out = wd
                .run_limited(&args, 60)
                .unwrap_or_else(|| panic!("{args:?}: still running after 60 s"));
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(reason), "{args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    assert!(!wd.join("x.idx").exists());
}

mod generated {
    use std::path::Path;

    use super::CATASTRO_HEADER;
    use patronal_core::catastro::read_csv;
    use patronal_core::ecuador::check_digit;
    use proptest::prelude::*;

    const STATUSES: [&str; 8] = [
        "ACTIVO",
        "SUSPENDIDO",
        "PASIVO",
        "CERRADO",
        "",
        "EN TRAMITE",
        "activo ",
        "Pasiva",
    ];

    /// How the status reads back: the SRI's word, or the value as written (trimmed).
    fn expected(status: &str) -> &str {
        match status.trim().to_ascii_lowercase().as_str() {
            "activo" => "ACTIVO",
            "pasiva" => "PASIVO",
            _ => status.trim(),
        }
    }

    /// One generated row: province, third digit, status, the name's quirk (0 plain, 1 quoted
    /// with a `|`, 2 a stray quote in the name, 3 a stray quote in both name columns), and
    /// whether the RUC lost its leading zero.
    type Row = (u64, u64, usize, u8, bool);

    fn rows() -> impl Strategy<Value = (Vec<Row>, bool)> {
        (
            prop::collection::vec(
                (
                    1..=24u64,
                    0..=5u64,
                    0..STATUSES.len(),
                    0..4u8,
                    any::<bool>(),
                ),
                1..80,
            ),
            any::<bool>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_bytes_load_or_are_refused(
            body in prop::collection::vec(
                prop::sample::select(vec![
                    &b"|"[..], b"\"", b"\n", b"\r\n", b"1790011674001", b"428813992001",
                    b"ACTIVO", b"", b"PERSONA NATURAL", b"\xef\xbb\xbf", b"\xd1", b" ",
                ]),
                0..200,
            )
        ) {
            let mut text = format!("{CATASTRO_HEADER}\n").into_bytes();
            text.extend(body.concat());
            // Never a panic: a catastro, or an error naming the file.
            match read_csv(Path::new("a.csv"), &text[..]) {
                Ok((catastro, load)) => {
                    prop_assert_eq!(load.rucs, catastro.len() as u64);
                    prop_assert!(load.rows >= load.rucs);
                }
                Err(e) => prop_assert!(e.to_string().starts_with("a.csv: "), "{}", e),
            }
        }

        #[test]
        fn every_well_formed_row_is_found((rows, crlf) in rows()) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("{CATASTRO_HEADER}{eol}");
            let mut want = Vec::new();
            let mut stray = 0;
            for (i, &(province, third, status, quirk, lost)) in rows.iter().enumerate() {
                let body = format!("{province:02}{third}{i:06}");
                let cedula = format!("{body}{}", check_digit(body.as_bytes()));
                let ruc = format!("{cedula}001");
                let written = if lost && province < 10 { &ruc[1..] } else { &ruc[..] };
                let (name, trade) = match quirk {
                    0 => (format!("NOMBRE {i}"), format!("NOMBRE {i}")),
                    1 => (format!("\"NOMBRE | {i}\""), format!("\"NOMBRE | {i}\"")),
                    2 => (format!("\"NOMBRE {i}"), format!("NOMBRE {i}")),
                    _ => (format!("\"NOMBRE {i}"), format!("\"NOMBRE {i}")),
                };
                stray += usize::from(quirk >= 2);
                let status = STATUSES[status];
                text.push_str(&format!(
                    "{written}|{name}|ZONA 9|{status}|RMP|2001-05-28 00:00:00|2022-11-03 00:00:00|||N|PERSONA NATURAL|1|{trade}|ABI|GUAYAS|GUAYAQUIL|TARQUI|G471101|VENTA|N|N{eol}"
                ));
                want.push((ruc.parse::<u64>().unwrap(), expected(status).to_owned(), quirk < 2));
            }
            let (catastro, load) = read_csv(Path::new("g.csv"), text.as_bytes()).unwrap();
            prop_assert_eq!(load.rows, rows.len() as u64);
            prop_assert_eq!(load.unclosed_quotes, stray as u64);
            for (ruc, status, well_formed) in want {
                let found = catastro.get(ruc);
                // The property: every well-formed row's status is found. The lines with a
                // stray quote are read without it, their cells fitting the header.
                prop_assert!(found.is_some(), "{} (well formed: {}) not found", ruc, well_formed);
                let found = found.unwrap();
                prop_assert_eq!(catastro.status_text(found.status), status.as_str(), "{}", ruc);
                prop_assert_eq!(found.taxpayer, Some(patronal_core::ecuador::Taxpayer::Person));
            }
        }
    }
}
