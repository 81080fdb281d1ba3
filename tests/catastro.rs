//! `check --catastro` and `catastro build`: the SRI registry decides each RUC's status.

use std::io::Write;

use serde_json::Value;

use crate::util::{Workdir, stderr};

const HEADER: &str = "NUMERO_RUC|RAZON_SOCIAL|PROVINCIA_JURISDICCION|ESTADO_CONTRIBUYENTE|TIPO_CONTRIBUYENTE|NUMERO_ESTABLECIMIENTO|NOMBRE_FANTASIA_COMERCIAL|ESTADO_ESTABLECIMIENTO\n";

/// A catastro in the current layout: the RUCs of the roster below, some not active.
fn catastro() -> String {
    format!(
        "{HEADER}\
         0428813992001|\"PEÑA | HIJOS\"|GUAYAS|ACTIVO|PERSONAS NATURALES|1|\"Peña | Matriz\"|ABI\n\
         0428813992001|\"PEÑA | HIJOS\"|GUAYAS|ACTIVO|PERSONAS NATURALES|2|\"Peña | Norte\"|ABI\n\
         1839879739001|SECRETO NOMBRE|PICHINCHA|SUSPENDIDO|PERSONAS NATURALES|1||CER\n\
         0141141705001|OTRO|AZUAY|PASIVO|PERSONAS NATURALES|1||CER\n\
         1793213150001|EMPRESA|PICHINCHA|ACTIVO|SOCIEDADES|1||ABI\n"
    )
}

/// The roster: one of each case.
const ROSTER: &str = "Nombre,Cédula,RUC,Estado RUC\n\
    Peña,0428813992,0428813992001,\n\
    Suspendida,1839879739,1839879739001,ACTIVO\n\
    Pasiva,0141141705,0141141705001,PASIVO\n\
    Registrada,0438976847,1793213150001,\n\
    No registrada,0438976847,1793213140001,\n\
    Ausente,2235364557,2235364557001,\n\
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
        e("ready", &["RUC_CHECK_UNVERIFIABLE"]),
        e("invalid", &["RUC_CHECK_UNVERIFIABLE", "RUC_NOT_REGISTERED"]),
        e("ready", &["RUC_NOT_IN_CATASTRO"]),
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
        GUAYAS|0428813992001|\"PEÑA | HIJOS\"|ACTIVO\r\n\
        PICHINCHA|1839879739001|SECRETO NOMBRE|SUSPENDIDO\r\n\
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
    assert!(s["codes"]["RUC_NOT_IN_CATASTRO"].as_u64().is_some());
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
