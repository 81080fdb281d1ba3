//! `patronal codes`: the finding catalog.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal_core::Lang;
use patronal_core::finding::Field;
use patronal_core::i18n::{labels, ui};
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
        // The severity as `check` shows it (`presencial`, `aviso`); the field as `--map`
        // takes it.
        writeln!(out, "{code:<26} {severity:<10} {field:<12} {message}")?;
        for c in catalog {
            // `--map` takes the field names; the row as a whole is no field to map.
            let field = match c.field {
                Field::Row => labels::FIELD_ROW.get(lang).to_lowercase(),
                f => f.as_str().to_owned(),
            };
            writeln!(
                out,
                "{:<26} {:<10} {:<12} {}",
                c.name,
                c.severity.label(lang),
                field,
                c.general(lang)
            )?;
            writeln!(out, "{:<50} {fix}: {}", "", c.hint(lang))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
