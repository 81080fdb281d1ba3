//! `patronal codes`: the finding catalog.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal_core::Lang;
use patronal_core::i18n::{errors, ui};
use patronal_core::rules::CATALOG;
use patronal_core::rules::CodeInfo;
use serde::Serialize;

#[derive(Serialize)]
struct CodeJson {
    code: &'static str,
    severity: &'static str,
    field: &'static str,
    message_en: &'static str,
    message_es: &'static str,
    hint_en: &'static str,
    hint_es: &'static str,
}

pub fn run(wanted: &[String], json: bool, markdown: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    // `patronal codes RUC_ID_MISMATCH …`: those codes, in the order given; an unknown one is
    // a usage error naming it.
    let mut chosen: Vec<&CodeInfo> = Vec::new();
    for w in wanted {
        let name = w.trim().replace('-', "_");
        match CATALOG.iter().find(|c| c.name.eq_ignore_ascii_case(&name)) {
            Some(c) => chosen.push(c),
            None => {
                return Err(errors::UNKNOWN_CODE
                    .with("code", format!("{:?}", patronal_core::text::sanitize(w)))
                    .into());
            }
        }
    }
    let catalog: Vec<&CodeInfo> = if chosen.is_empty() {
        CATALOG.iter().collect()
    } else {
        chosen
    };
    let mut out = io::stdout().lock();
    if json {
        let docs: Vec<CodeJson> = catalog
            .iter()
            .map(|c| CodeJson {
                code: c.name,
                severity: c.severity.as_str(),
                field: c.field.as_str(),
                message_en: c.message_en,
                message_es: c.message_es,
                hint_en: c.hint_en,
                hint_es: c.hint_es,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &docs)?;
        writeln!(out)?;
    } else if markdown {
        writeln!(out, "| code | severity | field | message | fix |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for c in &catalog {
            writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                c.name,
                c.severity.as_str(),
                c.field.as_str(),
                c.message(lang).replace("{}", "…").replace('|', "\\|"),
                c.hint(lang).replace('|', "\\|")
            )?;
        }
    } else {
        let (code, severity, field, message, fix) = (
            ui::CODES_CODE.render(lang),
            ui::CODES_SEVERITY.render(lang),
            ui::CODES_FIELD.render(lang),
            ui::CODES_MESSAGE.render(lang),
            ui::CODES_FIX.render(lang),
        );
        writeln!(out, "{code:<26} {severity:<9} {field:<10} {message}")?;
        for c in &catalog {
            let message = c.message(lang).replace("{}", "…");
            writeln!(
                out,
                "{:<26} {:<9} {:<10} {message}",
                c.name,
                c.severity.as_str(),
                c.field.as_str()
            )?;
            writeln!(out, "{:<47} {fix}: {}", "", c.hint(lang))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
