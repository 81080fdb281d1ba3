//! No input is ever written: an output of a run (a report, the summary JSON, a catastro
//! index), or the lock file beside it (`<output>.lock`, which the run creates and removes),
//! that is one of its inputs (a roster, a catastro file or index, the previous report, the
//! config file) or another of its outputs is refused before anything is read. Paths are
//! compared by file identity (device and inode; the resolved path where the system has no
//! inodes), never by spelling: `./a.csv`, `a.csv` and a link to it are one file. The
//! inputs are remembered ([`is_input`]): the cleanup of what killed runs left behind never
//! removes one.
//!
//! And a report is never read as a roster: [`is_report`] recognises every format `patronal`
//! writes, so that `patronal check *.csv -o informe.csv` run twice does not check its own
//! first report.

use std::io::Read;
use std::path::{Path, PathBuf};

use patronal_core::i18n::errors;

/// What a file is to the run, for the message that refuses to write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Roster,
    Catastro,
    Previous,
    Config,
    Output,
}

impl Role {
    fn describe(self) -> patronal_core::i18n::Text {
        match self {
            Role::Roster => errors::ROLE_ROSTER,
            Role::Catastro => errors::ROLE_CATASTRO,
            Role::Previous => errors::ROLE_PREVIOUS,
            Role::Config => errors::ROLE_CONFIG,
            Role::Output => errors::ROLE_OUTPUT,
        }
    }
}

/// Who a file is, whatever its path's spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Identity {
    /// An existing regular file: device and inode (on Unix; elsewhere the resolved path).
    #[cfg_attr(not(unix), allow(dead_code))]
    File(u64, u64),
    /// A file to be created: its folder, resolved, and its name.
    Path(PathBuf),
}

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata, _path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some(Identity::File(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(_meta: &std::fs::Metadata, path: &Path) -> Option<Identity> {
    std::fs::canonicalize(path).ok().map(Identity::Path)
}

/// The identity of an existing regular file (through links); `None` for anything else
/// (standard output, a device, a pipe: written in place, never replaced).
fn identity(path: &Path) -> Option<Identity> {
    if path == Path::new("-") {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    file_identity(&meta, path)
}

/// An output's identity: the file's when it exists, else its resolved folder and name.
fn output_identity(path: &Path) -> Option<Identity> {
    if path == Path::new("-") {
        return None;
    }
    if std::fs::metadata(path).is_ok() {
        return identity(path);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(dir).ok()?;
    Some(Identity::Path(dir.join(path.file_name()?)))
}

/// The inputs of this run, by identity: never removed by the cleanup ([`is_input`]).
static INPUTS: std::sync::Mutex<Vec<Identity>> = std::sync::Mutex::new(Vec::new());

/// Whether `path` is an input of this run (a roster, a catastro, the previous report, the
/// config file), by identity: what the cleanup of killed runs' files must never remove.
pub fn is_input(path: &Path) -> bool {
    let Some(id) = identity(path) else {
        return false;
    };
    INPUTS.lock().map_or(true, |inputs| inputs.contains(&id))
}

/// Refuses (with one line naming both files) an output that is an input of the run, or
/// another of its outputs; and an output whose lock file (`<output>.lock`, created and
/// removed by the run) is one of those. Remembers the inputs for [`is_input`].
pub fn refuse_overwrite(inputs: &[(&Path, Role)], outputs: &[&Path]) -> anyhow::Result<()> {
    let inputs: Vec<(Identity, &Path, Role)> = inputs
        .iter()
        .filter_map(|(p, role)| Some((identity(p)?, *p, *role)))
        .collect();
    if let Ok(mut remembered) = INPUTS.lock() {
        for (id, _, _) in &inputs {
            if !remembered.contains(id) {
                remembered.push(id.clone());
            }
        }
    }
    let locks: Vec<(&Path, PathBuf)> = outputs
        .iter()
        .filter(|p| crate::output::is_locked(p))
        .map(|p| (*p, crate::output::lock_path(p)))
        .collect();
    let mut written: Vec<(Identity, &Path)> = Vec::new();
    let clash = |id: &Identity, written: &[(Identity, &Path)]| {
        inputs
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, p, role)| (p.to_path_buf(), *role))
            .or_else(|| {
                written
                    .iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, p)| (p.to_path_buf(), Role::Output))
            })
    };
    for &out in outputs {
        let Some(id) = output_identity(out) else {
            continue;
        };
        if let Some((input, role)) = clash(&id, &written) {
            return Err(errors::INPUT_OVERWRITE
                .with("path", out.display())
                .with_msg("what", role.describe().msg())
                .with("input", input.display())
                .into());
        }
        written.push((id, out));
    }
    // The locks last: an output's lock may be neither an input nor another output.
    for (out, lock) in &locks {
        let Some(id) = output_identity(lock) else {
            continue;
        };
        if let Some((input, role)) = clash(&id, &written) {
            return Err(errors::LOCK_IS_INPUT
                .with("lock", lock.display())
                .with("path", out.display())
                .with_msg("what", role.describe().msg())
                .with("input", input.display())
                .into());
        }
    }
    Ok(())
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((identity(a), identity(b)), (Some(a), Some(b)) if a == b)
}

/// Whether the file at `path` is a report `patronal` wrote: JSON Lines or JSON (by their
/// first object), CSV (by its verdict columns, in either language), or a workbook (by its
/// summary and records sheets). Reads at most the first 64 KB; `false` when it cannot tell.
pub fn is_report(path: &Path) -> bool {
    // Only a regular file: a pipe (`<(…)`, a FIFO) is read once, by the roster reader.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(64 << 10);
    if file.take(64 << 10).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"PK\x03\x04") {
        return is_report_workbook(path);
    }
    let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head);
    let text = text.trim_ascii_start();
    if text.starts_with(b"{\"records\":") || text.starts_with(b"{\"source\":") {
        return true;
    }
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let line = line.trim_end_matches('\r');
    [',', ';', '\t', '|'].into_iter().any(|d| {
        let cells: Vec<String> = line
            .split(d)
            .map(|c| c.trim().trim_matches('"').to_owned())
            .collect();
        patronal_core::report::is_report_header(&cells)
    })
}

/// A workbook with the summary and records sheets of a report, in either language: read
/// from the workbook's part that lists its sheets (at most 1 MB of it), never the sheets
/// themselves (a roster workbook may be large, or a bomb the reader refuses later).
fn is_report_workbook(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(part) = zip.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut xml = Vec::new();
    if part.take(1 << 20).read_to_end(&mut xml).is_err() {
        return false;
    }
    let xml = String::from_utf8_lossy(&xml);
    let has = |n: &str| xml.contains(&format!("name=\"{n}\""));
    (has("Summary") && has("Records")) || (has("Resumen") && has("Registros"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_under_another_spelling_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let roster = dir.path().join("a.csv");
        std::fs::write(&roster, "x").unwrap();
        let other = dir.path().join(".").join("a.csv");
        let err = refuse_overwrite(&[(&roster, Role::Roster)], &[&other])
            .unwrap_err()
            .to_string();
        assert!(err.contains("a roster of this run"), "{err}");
        let fresh = dir.path().join("b.csv");
        refuse_overwrite(&[(&roster, Role::Roster)], &[&fresh]).unwrap();
        let twice = dir.path().join(".").join("b.csv");
        let err = refuse_overwrite(&[], &[&fresh, &twice]).unwrap_err();
        let err = err.downcast_ref::<patronal_core::i18n::Message>().unwrap();
        assert!(
            err.render(patronal_core::Lang::Es).contains("otra salida"),
            "{err}"
        );
    }

    #[test]
    fn reports_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        assert!(is_report(&write(
            "a.jsonl",
            "{\"source\":\"a.csv\",\"row\":2}\n"
        )));
        assert!(is_report(&write("a.json", "{\"records\": [\n")));
        assert!(is_report(&write(
            "a.csv",
            "\u{feff}ID,RUC,result,codes,messages,normalized_id,normalized_ruc,normalized_sucursal,source,row\r\n"
        )));
        assert!(is_report(&write(
            "b.csv",
            "Identificación;RUC;resultado;códigos;mensajes;id_normalizado;ruc_normalizado;sucursal_normalizada;archivo;fila\r\n"
        )));
        assert!(!is_report(&write("r.csv", "Cédula,RUC,result\n")));
    }
}
