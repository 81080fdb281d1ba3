//! The core's modules depend on each other in one direction, from the ground up (see
//! ARCHITECTURE.md): each imports only modules below it in [`ORDER`]. This test reads
//! `src/` and fails on an import from a module to one above it, on a cycle between
//! top-level modules, and on a top-level module missing from the order. Test code (a
//! `#[cfg(test)]` module) and comments are exempt.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, from the ground up.
const ORDER: &[&str] = &[
    "finding", "text", "i18n", "ecuador", "roster", "rules", "catastro", "report", "compare",
    "pipeline", "sample",
];

#[test]
fn every_import_goes_down_the_order_and_no_module_is_in_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 20,
        "the sources were not found in {}",
        src.display()
    );
    let mut edges = BTreeMap::new();
    for file in &files {
        let path = module_path(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for (from, to) in imports(&path, &text) {
            edges
                .entry((from, to))
                .or_insert_with(|| file.strip_prefix(&src).unwrap().display().to_string());
        }
    }
    let problems = check(&edges);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The graph is not empty: the test reads real imports.
    assert!(edges.contains_key(&("pipeline".into(), "rules".into())));
}

#[test]
fn an_import_against_the_order_or_a_cycle_is_caught() {
    // ecuador importing rules, as it once did.
    let up = imports(
        &["ecuador".into(), "ruc".into()],
        "use crate::rules::Checked;\nuse super::super::report::Record;\n",
    );
    let edges = up.into_iter().map(|e| (e, "ruc.rs".into())).collect();
    let problems = check(&edges);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("ecuador imports report"),
        "{problems:?}"
    );

    // A cycle between two modules, and a module the order does not know.
    let edges = [
        ("rules", "catastro"),
        ("catastro", "rules"),
        ("extra", "text"),
    ]
    .into_iter()
    .map(|(a, b)| ((a.to_string(), b.to_string()), "x.rs".to_string()))
    .collect();
    let problems = check(&edges);
    assert!(problems.iter().any(|p| p.contains("cycle")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("`extra`")),
        "{problems:?}"
    );

    // Comments, test modules, and imports within a module are not counted.
    let text = "//! see [`crate::pipeline`]\nuse super::cedula;\nuse crate::ecuador::Id;\n\
                #[cfg(test)]\nmod tests {\n    use crate::pipeline::run;\n}\n";
    assert!(imports(&["ecuador".into(), "ruc".into()], text).is_empty());
    // Grouped imports at the root are read one by one.
    let grouped = imports(&["report".into()], "use crate::{finding::Lang, pipeline};");
    let to: BTreeSet<_> = grouped.into_iter().map(|(_, to)| to).collect();
    assert_eq!(to, BTreeSet::from(["finding".into(), "pipeline".into()]));
}

/// What is wrong with `edges` (from, to → the file that has the import): imports against
/// the order, modules it does not know, cycles.
fn check(edges: &BTreeMap<(String, String), String>) -> Vec<String> {
    let rank = |m: &str| ORDER.iter().position(|o| *o == m);
    let mut problems = Vec::new();
    for ((from, to), file) in edges {
        match (rank(from), rank(to)) {
            (Some(f), Some(t)) if t > f => {
                problems.push(format!("{from} imports {to}, which is above it ({file})"))
            }
            (None, _) => problems.push(format!("`{from}` is not in the order ({file})")),
            (_, None) => problems.push(format!("`{to}` is not in the order ({file})")),
            _ => {}
        }
    }
    // A cycle, whatever the order says: a module that reaches itself.
    for start in edges.keys().map(|(from, _)| from) {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(m) = stack.pop() {
            for (from, to) in edges.keys() {
                if *from == m && seen.insert(to.clone()) {
                    stack.push(to.clone());
                }
            }
        }
        if seen.contains(start) {
            problems.push(format!("{start} is in a cycle"));
        }
    }
    problems
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file is: `catastro/load.rs` → [catastro, load]; `catastro/mod.rs` →
/// [catastro]; `lib.rs` → [].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

/// The top-level modules the code of the file at `path` (its module path) refers to,
/// other than its own: `(own, other)` pairs. `crate::x`, `$crate::x` and `super::` chains
/// that climb to the root are read; comments and `#[cfg(test)]` modules are not.
fn imports(path: &[String], text: &str) -> BTreeSet<(String, String)> {
    let Some(own) = path.first() else {
        return BTreeSet::new(); // lib.rs declares and re-exports every module.
    };
    let code = without_tests(text);
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = line;
        loop {
            let at = match (rest.find("crate::"), rest.find("super::")) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(at) => at,
                    None => break,
                },
            };
            let tail = &rest[at..];
            let (top, len) = if let Some(t) = tail.strip_prefix("crate::") {
                (first_segments(t), "crate::".len())
            } else {
                // `super::` repeated: the root once it climbs out of the file's module path.
                let mut after = tail;
                let mut supers = 0;
                while let Some(a) = after.strip_prefix("super::") {
                    after = a;
                    supers += 1;
                }
                let top = if supers >= path.len() {
                    first_segments(after)
                } else {
                    Vec::new()
                };
                (top, tail.len() - after.len())
            };
            for t in top {
                if t != *own {
                    found.insert((own.clone(), t));
                }
            }
            rest = &tail[len..];
        }
    }
    found
}

/// The first path segment after `crate::`, or each one of a `{a, b::c}` group.
fn first_segments(t: &str) -> Vec<String> {
    if let Some(group) = t.strip_prefix('{') {
        let end = group.find('}').unwrap_or(group.len());
        return group[..end]
            .split(',')
            .map(|item| item.trim().split("::").next().unwrap_or("").to_string())
            .filter(|s| !s.is_empty() && s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .collect();
    }
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let seg = &t[..end];
    // `crate::Lang` (a name, not a module) or nothing.
    if seg.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        vec![seg.to_string()]
    } else {
        Vec::new()
    }
}

/// The text without its test modules: from each `#[cfg(test)]` (or `#[cfg(all(test, …))]`)
/// line, the item it opens up to its closing brace.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(") && t.contains("test") && !t.contains("not(test") {
            // Skip to the end of the item: balanced braces from its first `{`.
            let mut depth = 0i32;
            let mut opened = false;
            for l in lines.by_ref() {
                for c in l.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                if (opened && depth <= 0) || (!opened && l.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
