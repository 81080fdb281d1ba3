//! `patronal catastro build`, and loading the catastro for `check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use crate::guard::{Role, refuse_overwrite};
use crate::output::Output;
use patronal_core::Lang;
use patronal_core::catastro::{Catastro, CatastroLoad, write_index};
use patronal_core::i18n::errors;

use crate::settings::CatastroBuildSettings;

/// Loads and merges the `--catastro` paths, with what was read from each; `None` when there
/// are none.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<(Option<Arc<Catastro>>, Vec<CatastroLoad>)> {
    if paths.is_empty() {
        return Ok((None, Vec::new()));
    }
    let (parts, loads) = open_all(paths)?;
    let catastro = if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        Catastro::merge(parts)
    };
    Ok((Some(Arc::new(catastro)), loads))
}

fn open_all(paths: &[PathBuf]) -> anyhow::Result<(Vec<Catastro>, Vec<CatastroLoad>)> {
    let mut parts = Vec::with_capacity(paths.len());
    let mut loads = Vec::with_capacity(paths.len());
    for path in paths {
        let (catastro, load) = Catastro::open(path)?;
        parts.push(catastro);
        loads.push(load);
    }
    Ok((parts, loads))
}

pub fn build(settings: &CatastroBuildSettings, lang: Lang) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (files, output) = (&settings.files, settings.output.as_path());
    // `-o` onto one of its inputs is refused before anything is read.
    let inputs: Vec<(&Path, Role)> = files
        .iter()
        .map(|f| (f.as_path(), Role::Catastro))
        .collect();
    refuse_overwrite(&inputs, &[output])?;
    let _lock = crate::output::lock_reports(&[output], crate::settings::LOCK_WAIT)?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let (parts, loads) = open_all(files)?;
    let catastro = Catastro::merge(parts);
    let mut out = Output::create(output)?;
    // Flushed here, so that a failure (`-o /dev/full`) names the index.
    let context = || errors::CANNOT_WRITE.with("path", output.display());
    write_index(&catastro, &mut out).with_context(context)?;
    std::io::Write::flush(&mut out).with_context(context)?;
    out.commit()?;
    for load in &loads {
        crate::error::note(&format!("patronal: {}", load.describe(lang)));
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    let note = errors::CATASTRO_BUILT
        .with("rucs", catastro.len())
        .with("files", files.len())
        .with("mb", format!("{mb:.0}"))
        .with("secs", format!("{secs:.2}"))
        .with("rate", format!("{:.0}", mb / secs.max(1e-9)))
        .with("path", output.display());
    crate::error::note(&note.render(lang));
    Ok(ExitCode::SUCCESS)
}
