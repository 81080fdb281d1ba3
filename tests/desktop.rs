//! A roster dropped onto the program (Explorer runs `patronal.exe C:\...\nomina.csv`: one
//! path, no command): checked into a workbook and a marked copy beside it that never
//! replace earlier ones.

use crate::util::{Workdir, stderr};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_dropped_roster_gets_a_workbook_beside_it_never_overwritten() {
    let wd = Workdir::new();
    let roster = wd.write("oficina/nomina.csv", sample("clientes.csv"));
    let path = roster.to_str().unwrap();
    let out = wd.expect(&[path], 1);
    let err = stderr(&out);
    assert!(err.contains("120 records"), "{err}");
    assert!(err.contains("nomina.informe.xlsx"), "{err}");
    let first = std::fs::read(wd.join("oficina/nomina.informe.xlsx")).unwrap();
    assert!(first.starts_with(b"PK"));
    // The roster marked, beside it, said.
    assert!(err.contains("nomina.marcada.xlsx"), "{err}");
    let copy = std::fs::read(wd.join("oficina/nomina.marcada.xlsx")).unwrap();
    assert!(copy.starts_with(b"PK"));

    let out = wd.expect(&[path], 1);
    assert!(
        stderr(&out).contains("nomina.informe (2).xlsx"),
        "{}",
        stderr(&out)
    );
    assert!(wd.join("oficina/nomina.informe (2).xlsx").is_file());
    assert!(wd.join("oficina/nomina.marcada (2).xlsx").is_file());
    assert_eq!(
        std::fs::read(wd.join("oficina/nomina.marcada.xlsx")).unwrap(),
        copy
    );
    assert_eq!(
        std::fs::read(wd.join("oficina/nomina.informe.xlsx")).unwrap(),
        first
    );
    assert_eq!(std::fs::read(&roster).unwrap(), sample("clientes.csv"));

    // In Spanish from the locale, as every run.
    let mut cmd = wd.command(&[path]);
    cmd.env("LANG", "es_EC.UTF-8");
    let out = crate::util::run(&mut cmd);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("120 registros"), "{}", stderr(&out));
    assert!(wd.join("oficina/nomina.informe (3).xlsx").is_file());
}

#[test]
fn only_one_existing_file_is_a_drop() {
    let wd = Workdir::new();
    wd.write("nomina.csv", sample("clientes.csv"));
    // A missing file, two paths, a command: the command line as ever.
    let err = stderr(&wd.expect(&["nada.csv"], 2));
    assert!(err.contains("nada.csv"), "{err}");
    wd.expect(&["nomina.csv", "nomina.csv"], 2);
    wd.expect(&["codes", "EMAIL_MISSING"], 0);
    // No argument outside a console of its own: the usage, exit 2, as before.
    wd.expect(&[], 2);
    assert!(!wd.join("nomina.informe.xlsx").exists());
    // A report dropped as a roster: skipped with its note, nothing to check; no copy.
    wd.expect(&["check", "nomina.csv", "-o", "informe.csv"], 1);
    let err = stderr(&wd.expect(&["informe.csv"], 2));
    assert!(
        err.contains("informe.csv") && !err.contains("--marked"),
        "{err}"
    );
    assert!(!wd.join("informe.marcada.xlsx").exists());
    // The drop's own option is for one roster.
    let err = stderr(&wd.expect(
        &[
            "check",
            "nomina.csv",
            "nomina.csv",
            "--marked-file",
            "m.xlsx",
        ],
        2,
    ));
    assert!(
        err.contains("m.xlsx") && err.contains("--marked DIR"),
        "{err}"
    );
}
