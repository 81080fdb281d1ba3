//! `patronal codes`: the finding catalog.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal::Lang;
use patronal::rules::CATALOG;
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

pub fn run(json: bool, markdown: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    if json {
        let docs: Vec<CodeJson> = CATALOG
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
        for c in CATALOG {
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
        let (code, severity, field, message, fix) = match lang {
            Lang::En => ("CODE", "SEVERITY", "FIELD", "MESSAGE", "fix"),
            Lang::Es => ("CÓDIGO", "GRAVEDAD", "CAMPO", "MENSAJE", "solución"),
        };
        writeln!(out, "{code:<26} {severity:<9} {field:<10} {message}")?;
        for c in CATALOG {
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
