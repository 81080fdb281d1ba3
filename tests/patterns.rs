//! Patterns on the command line, expanded by patronal itself (as `cmd` and PowerShell pass
//! `*` through): these runs give the pattern as one argument, as a quoted pattern in a Unix
//! shell does, and get what `patronal.toml`'s `rosters` gives.

use crate::util::{Workdir, jsonl, stderr};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Two rosters in `clientes/` (written in the reverse of their sorted order) and a file
/// that is not a roster beside them.
fn clients() -> Workdir {
    let wd = Workdir::new();
    wd.write("clientes/b_nomina.csv", sample("nomina_excel.csv"));
    wd.write("clientes/a_clientes.csv", sample("clientes.csv"));
    wd.write("clientes/notas.txt", "no es una nómina\n");
    wd
}

fn sources(report: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for r in jsonl(report) {
        let s = r["source"].as_str().unwrap().to_owned();
        if seen.last() != Some(&s) {
            seen.push(s);
        }
    }
    seen
}

#[test]
fn a_quoted_pattern_is_expanded_sorted_as_in_patronal_toml() {
    let wd = clients();
    wd.expect(&["check", "clientes/*.csv", "-o", "glob.jsonl"], 1);
    wd.expect(
        &[
            "check",
            "clientes/a_clientes.csv",
            "clientes/b_nomina.csv",
            "-o",
            "listed.jsonl",
        ],
        1,
    );
    wd.write("patronal.toml", "rosters = [\"clientes/*.csv\"]\n");
    wd.expect(
        &["check", "--config", "patronal.toml", "-o", "toml.jsonl"],
        1,
    );
    let glob = wd.read("glob.jsonl");
    assert_eq!(
        sources(&glob),
        ["clientes/a_clientes.csv", "clientes/b_nomina.csv"]
    );
    assert_eq!(glob, wd.read("listed.jsonl"));
    assert_eq!(glob, wd.read("toml.jsonl"));

    // `?` and `[...]` too, and several patterns keep the order given.
    wd.expect(
        &[
            "check",
            "clientes/b_?omina.csv",
            "clientes/[a]_*.csv",
            "-o",
            "two.jsonl",
        ],
        1,
    );
    assert_eq!(
        sources(&wd.read("two.jsonl")),
        ["clientes/b_nomina.csv", "clientes/a_clientes.csv"]
    );
}

#[test]
fn a_pattern_that_matches_nothing_is_refused_naming_it() {
    let wd = clients();
    let err = stderr(&wd.expect(&["check", "nada/*.csv"], 2));
    assert_eq!(
        err.trim(),
        "patronal: `nada/*.csv` matches no file",
        "{err}"
    );
    let out = wd.expect(&["--lang", "es", "check", "clientes/*.xlsx"], 2);
    let err = stderr(&out);
    assert_eq!(
        err.trim(),
        "patronal: `clientes/*.xlsx` no coincide con ningún archivo",
        "{err}"
    );
    // The file's message is the same, with its place.
    wd.write("patronal.toml", "rosters = [\"nada/*.csv\"]\n");
    let err = stderr(&wd.expect(&["check"], 2));
    assert!(
        err.contains("patronal.toml:1: `nada/*.csv` matches no file"),
        "{err}"
    );
    let err = stderr(&wd.expect(&["check", "clientes/[a-.csv"], 2));
    assert!(err.contains("bad pattern clientes/[a-.csv"), "{err}");
}

#[test]
fn an_existing_path_is_literal_brackets_and_all() {
    let wd = Workdir::new();
    wd.write("Nómina [EC].csv", sample("clientes.csv"));
    // `[EC]` as a pattern would match this one.
    wd.write("Nómina E.csv", sample("nomina_excel.csv"));
    wd.expect(&["check", "Nómina [EC].csv", "-o", "r.jsonl"], 1);
    assert_eq!(sources(&wd.read("r.jsonl")), ["Nómina [EC].csv"]);
    // Not there: the pattern it is.
    std::fs::remove_file(wd.join("Nómina [EC].csv")).unwrap();
    wd.expect(&["check", "Nómina [EC].csv", "-o", "r.jsonl"], 1);
    assert_eq!(sources(&wd.read("r.jsonl")), ["Nómina E.csv"]);
    // A path without pattern characters that is not there is the reader's error.
    let err = stderr(&wd.expect(&["check", "nada.csv"], 2));
    assert!(err.contains("nada.csv: cannot read"), "{err}");
}

#[test]
fn catastro_paths_are_expanded_too() {
    let wd = Workdir::new();
    wd.write("clientes.csv", sample("clientes.csv"));
    wd.write(
        "sri/SRI_RUC_Muestra.csv",
        sample("catastro/SRI_RUC_Muestra.csv"),
    );
    let out = wd.expect(&["catastro", "build", "sri/SRI_*.csv", "-o", "r.idx"], 0);
    assert!(stderr(&out).contains("from 1 file"), "{}", stderr(&out));
    let err = stderr(&wd.expect(&["catastro", "build", "sri/*.zip", "-o", "x.idx"], 2));
    assert!(err.contains("`sri/*.zip` matches no file"), "{err}");

    wd.expect(
        &[
            "check",
            "clientes.csv",
            "--catastro",
            "r.idx",
            "-o",
            "idx.jsonl",
        ],
        1,
    );
    // A pattern after --catastro, and a roster pattern after it.
    wd.expect(
        &[
            "check",
            "--catastro",
            "sri/*.csv",
            "client?s.csv",
            "-o",
            "csv.jsonl",
        ],
        1,
    );
    assert_eq!(wd.read("idx.jsonl"), wd.read("csv.jsonl"));
    assert!(wd.read("idx.jsonl").contains("RUC_NOT_ACTIVE"));
}
