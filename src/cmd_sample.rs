//! `patronal sample`: synthetic rosters and catastros.

use std::process::ExitCode;

use crate::settings::{SampleKind, SampleSettings};

pub fn run(settings: &SampleSettings) -> anyhow::Result<ExitCode> {
    let SampleSettings {
        rows,
        seed,
        ref output,
        kind,
    } = *settings;
    crate::guard::refuse_overwrite(&[], &[output])?;
    let _lock = crate::output::lock_reports(&[output], crate::settings::LOCK_WAIT)?;
    match kind {
        SampleKind::Catastro => {
            let mut out = crate::output::Output::create(output)?;
            crate::sample::write_catastro(&mut out, rows, seed)?;
            out.commit()?;
        }
        SampleKind::Workbook { sheets } => {
            // The xlsx writer needs to seek: it writes to a temporary file, renamed at the
            // end like every report.
            let spool = crate::output::Spool::create(output)?;
            crate::sample::write_xlsx(spool.file(), rows, seed, sheets)?;
            spool.commit()?;
        }
        SampleKind::Csv(style) => {
            let mut out = crate::output::Output::create(output)?;
            crate::sample::write_csv(&mut out, rows, seed, style)?;
            out.commit()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
