//! `patronal sample`: synthetic rosters and catastros.

use std::path::Path;
use std::process::ExitCode;

use patronal_core::i18n::errors;

use crate::cli::{SampleFormat, StyleArg};

pub fn run(
    rows: u64,
    seed: u64,
    style: Option<StyleArg>,
    format: Option<SampleFormat>,
    sheets: u8,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    if format == Some(SampleFormat::Catastro) {
        let mut out = crate::output::Output::create(output)?;
        patronal_core::sample::write_catastro(&mut out, rows, seed)?;
        out.commit()?;
        return Ok(ExitCode::SUCCESS);
    }
    let xlsx = format == Some(SampleFormat::Xlsx)
        || (format.is_none() && patronal_core::roster::excel::Kind::of(output).is_some());
    if xlsx {
        // A workbook has no delimiter, encoding or line ends: a style asked for is refused
        // rather than ignored (utf8, the default, is what a workbook is anyway).
        if matches!(style, Some(StyleArg::Excel)) {
            return Err(errors::SAMPLE_STYLE_WORKBOOK.msg().into());
        }
        // The xlsx writer needs to seek: it writes to a temporary file, renamed at the end
        // like every report.
        let spool = crate::output::Spool::create(output)?;
        patronal_core::sample::write_xlsx(spool.file(), rows, seed, sheets)?;
        spool.commit()?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = match style.unwrap_or(StyleArg::Utf8) {
        StyleArg::Utf8 => patronal_core::sample::Style::Utf8,
        StyleArg::Excel => patronal_core::sample::Style::ExcelSpanish,
    };
    let mut out = crate::output::Output::create(output)?;
    patronal_core::sample::write_csv(&mut out, rows, seed, style)?;
    out.commit()?;
    Ok(ExitCode::SUCCESS)
}
