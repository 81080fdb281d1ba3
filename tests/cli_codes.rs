//! `patronal codes`: the catalog as a table and as JSON.

use patronal_core::finding::CATALOG;

use crate::util::{Workdir, stdout};

#[test]
fn table_lists_every_code() {
    let wd = Workdir::new();
    let text = stdout(&wd.expect(&["codes"], 0));
    for c in CATALOG {
        assert!(text.contains(c.name), "{} missing", c.name);
        assert!(text.contains(c.hint_en), "{} hint missing", c.name);
    }
    let es = stdout(&wd.expect(&["--lang", "es", "codes"], 0));
    assert!(es.starts_with("CÓDIGO"));
    assert!(es.contains(CATALOG[0].message_es));
}

#[test]
fn json_lists_every_code_with_both_languages() {
    let wd = Workdir::new();
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&wd.expect(&["codes", "--json"], 0))).unwrap();
    assert_eq!(docs.len(), CATALOG.len());
    let dup = docs
        .iter()
        .find(|d| d["code"] == "DUPLICATE_EMPLOYER")
        .unwrap();
    assert_eq!(dup["severity"], "warning");
    assert_eq!(dup["field"], "ruc");
    assert!(dup["message_es"].as_str().unwrap().contains("fila"));
    let first_key = docs.iter().find(|d| d["code"] == "FIRST_KEY").unwrap();
    assert_eq!(first_key["severity"], "in_person");
}

#[test]
fn readme_table_is_current() {
    let wd = Workdir::new();
    let table = stdout(&wd.expect(&["codes", "--markdown"], 0));
    let readme = include_str!("../README.md");
    let start = readme.find("<!-- codes:start -->\n").unwrap() + "<!-- codes:start -->\n".len();
    let end = readme.find("<!-- codes:end -->").unwrap();
    assert_eq!(
        &readme[start..end],
        table,
        "README's code table is stale: paste `patronal codes --markdown`"
    );
}
