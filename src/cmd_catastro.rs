//! `patronal catastro build`, and loading the catastro for `check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use patronal::Lang;
use patronal::catastro::{Catastro, write_index};
use patronal::report::Output;
use patronal::report::guard::{Role, refuse_overwrite};

/// Loads and merges the `--catastro` paths; `None` when there are none.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Option<Arc<Catastro>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let parts = paths
        .iter()
        .map(|p| Catastro::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Arc::new(if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        Catastro::merge(parts)
    })))
}

pub fn build(files: &[PathBuf], output: &Path, lang: Lang) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // `-o` onto one of its inputs is refused before anything is read.
    let inputs: Vec<(&Path, Role)> = files
        .iter()
        .map(|f| (f.as_path(), Role::Catastro))
        .collect();
    refuse_overwrite(&inputs, &[output], lang)?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let catastro = Catastro::merge(
        files
            .iter()
            .map(|p| Catastro::open(p))
            .collect::<Result<Vec<_>, _>>()?,
    );
    let mut out = Output::create(output)?;
    write_index(&catastro, &mut out)?;
    out.commit()?;
    let secs = started.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    match lang {
        Lang::En => eprintln!(
            "patronal: {} RUCs from {} file(s), {mb:.0} MB in {secs:.2} s ({:.0} MB/s) → {}",
            catastro.len(),
            files.len(),
            mb / secs.max(1e-9),
            output.display()
        ),
        Lang::Es => eprintln!(
            "patronal: {} RUC de {} archivo(s), {mb:.0} MB en {secs:.2} s ({:.0} MB/s) → {}",
            catastro.len(),
            files.len(),
            mb / secs.max(1e-9),
            output.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
