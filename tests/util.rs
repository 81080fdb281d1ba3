//! A temporary working directory and the `patronal` binary run inside it.
// Not every test module uses every helper.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::Builder::new()
                .prefix("patronal-test")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
        path
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.join(name)).unwrap()
    }

    /// `patronal` with `args`, in this directory, in English and without a terminal.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_patronal"));
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C");
        cmd
    }

    /// Runs and returns the output, whatever the exit status. Every run of the suite is a
    /// hostile-input harness: it runs under [`MEMORY_LIMIT_KB`] of address space and fails
    /// the test if it takes over [`TIME_LIMIT_SECS`].
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_limited(args, TIME_LIMIT_SECS).unwrap_or_else(|| {
            panic!(
                "patronal {} still running after {TIME_LIMIT_SECS} s",
                args.join(" ")
            )
        })
    }

    /// Runs, asserting the exit status, and returns the output.
    pub fn expect(&self, args: &[&str], status: i32) -> Output {
        let out = self.run(args);
        if out.status.code() != Some(status) {
            panic!(
                "expected exit {status}, got {:?}\ncommand: patronal {}\n{}",
                out.status.code(),
                args.join(" "),
                describe(&out)
            );
        }
        out
    }
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("patronal runs")
}

pub fn describe(out: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The records of a JSON Lines report.
pub fn jsonl(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The finding codes of a report record, in order.
pub fn codes(record: &serde_json::Value) -> Vec<&str> {
    record["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

/// Runs `cmd`, killing it after `secs` seconds: `None` when it had to be killed (a hang).
pub fn run_within(cmd: &mut Command, secs: u64) -> Option<Output> {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("patronal runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    // Drain the pipes on threads, so that a chatty child never blocks on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).ok();
        v
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(Output {
                status,
                stdout: out.join().unwrap(),
                stderr: err.join().unwrap(),
            });
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A zip file of the given parts (name, bytes), deflated: hand-made workbooks whose XML a
/// test controls (cells out of order, repeat attributes, number formats).
pub fn zip_parts(path: &Path, parts: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The text of part `name` of a zip file (a workbook's XML).
pub fn zip_text(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The XML of the workbook's sheet named `sheet` (its part found through the workbook's
/// relationships, whatever the sheets' order).
pub fn sheet_xml(path: &Path, sheet: &str) -> String {
    let workbook = zip_text(path, "xl/workbook.xml");
    let at = workbook
        .find(&format!("name=\"{sheet}\""))
        .unwrap_or_else(|| panic!("no sheet {sheet:?}"));
    let tag_end = at + workbook[at..].find("/>").unwrap();
    let tag = &workbook[at..tag_end];
    let id = tag
        .split("r:id=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let rels = zip_text(path, "xl/_rels/workbook.xml.rels");
    let rel = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!("Id=\"{id}\"")))
        .unwrap();
    let target = rel
        .split("Target=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    zip_text(path, &format!("xl/{target}"))
}

/// The height each row of a sheet's XML sets, by row number (1-based), and the column
/// widths (0-based), as the workbook declares them.
pub fn row_heights_and_widths(xml: &str) -> (std::collections::HashMap<u32, f64>, Vec<f64>) {
    let mut heights = std::collections::HashMap::new();
    for row in xml.split("<row ").skip(1) {
        let head = &row[..row.find('>').unwrap()];
        let attr = |name: &str| {
            head.split(&format!(" {name}=\""))
                .nth(1)
                .or_else(|| head.strip_prefix(&format!("{name}=\"")))
                .map(|v| v.split('"').next().unwrap().to_owned())
        };
        let r: u32 = attr("r").unwrap().parse().unwrap();
        if let Some(ht) = attr("ht") {
            heights.insert(r, ht.parse().unwrap());
        }
    }
    let mut widths = Vec::new();
    for col in xml.split("<col ").skip(1) {
        let head = &col[..col.find('>').unwrap()];
        let get = |name: &str| -> f64 {
            head.split(&format!("{name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let (min, max, width) = (get("min") as usize, get("max") as usize, get("width"));
        if widths.len() < max {
            widths.resize(max, 8.43);
        }
        for w in &mut widths[min - 1..max] {
            *w = width;
        }
    }
    (heights, widths)
}

/// An `.xlsx` with one sheet whose `<sheetData>` is `sheet_data`, and `styles` as
/// `xl/styles.xml` (none if `None`).
pub fn xlsx_with(path: &Path, sheet_data: &str, styles: Option<&str>) {
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{}</Types>"#,
        if styles.is_some() {
            r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        } else {
            ""
        }
    );
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
        if styles.is_some() {
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        } else {
            ""
        }
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(styles) = styles {
        parts.push(("xl/styles.xml", styles.as_bytes()));
    }
    zip_parts(path, &parts);
}

/// The column letters of a 0-based column index (`0` → `A`, `16383` → `XFD`).
pub fn column_name(mut c: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

/// Address space allowed to a run under [`Workdir::run_limited`]: 512 MB. Hostile inputs
/// must stay under it; the address space counts more than the memory in use (stacks, the
/// binary, malloc's reserved arenas), so this is stricter than a 512 MB peak.
pub const MEMORY_LIMIT_KB: u64 = 512 << 10;

/// Seconds a run of the suite may take (a debug build, on a loaded 2-core machine).
pub const TIME_LIMIT_SECS: u64 = 120;

impl Workdir {
    /// Runs `patronal` under `ulimit -v` ([`MEMORY_LIMIT_KB`]) and a timeout of `secs`;
    /// `None` when it had to be killed.
    pub fn run_limited(&self, args: &[&str], secs: u64) -> Option<Output> {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("ulimit -v {MEMORY_LIMIT_KB} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_patronal"))
            .args(args)
            .current_dir(self.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            // malloc reserves 64 MB of address space per arena, one per thread on a machine
            // with many cores: a fixed count keeps the limit the same everywhere.
            .env("MALLOC_ARENA_MAX", "2");
        run_within(&mut cmd, secs)
    }
}
