//! `patronal codes`: the finding catalog.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal_core::Lang;
use patronal_core::i18n::ui;
use serde::Serialize;

use crate::settings::{CodesForm, CodesSettings};

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

pub fn run(settings: &CodesSettings, lang: Lang) -> anyhow::Result<ExitCode> {
    let catalog = &settings.codes;
    let mut out = io::stdout().lock();
    if settings.form == CodesForm::Json {
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
    } else if settings.form == CodesForm::Markdown {
        writeln!(out, "| code | severity | field | message | fix |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for c in catalog {
            writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                c.name,
                c.severity.as_str(),
                c.field.as_str(),
                c.generic_message(lang).replace('|', "\\|"),
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
        for c in catalog {
            let message = c.generic_message(lang);
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
