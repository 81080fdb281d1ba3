//! `patronal id`: standalone numbers.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal::Lang;
use patronal::ecuador::{NumberCheck, NumberKind, RucKind, check_number};
use patronal::rules::FindingView;
use patronal::text::sanitize;
use serde::Serialize;

#[derive(Serialize)]
struct NumberJson<'a> {
    input: &'a str,
    kind: &'static str,
    value: &'a str,
    valid: bool,
    findings: Vec<FindingView<'static>>,
}

pub fn run(numbers: &[String], json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    let mut all_valid = true;
    for n in numbers {
        let c = check_number(n);
        all_valid &= c.is_valid();
        if json {
            let doc = NumberJson {
                input: &c.input,
                kind: c.kind.as_str(),
                value: &c.value,
                valid: c.is_valid(),
                findings: c.findings.iter().map(|f| f.view(lang)).collect(),
            };
            serde_json::to_writer(&mut out, &doc)?;
            writeln!(out)?;
        } else {
            print_human(&mut out, &c, lang)?;
        }
    }
    out.flush()?;
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_human(out: &mut impl Write, c: &NumberCheck, lang: Lang) -> io::Result<()> {
    let verdict = match (c.is_valid(), lang) {
        (true, Lang::En) => "valid",
        (false, Lang::En) => "INVALID",
        (true, Lang::Es) => "válido",
        (false, Lang::Es) => "INVÁLIDO",
    };
    writeln!(
        out,
        "{}: {verdict} · {} {}",
        sanitize(&c.input),
        kind_label(c.kind, lang),
        sanitize(&c.value)
    )?;
    for f in &c.findings {
        writeln!(
            out,
            "  {:<10} {:<26} {}",
            f.severity().label(lang),
            f.code.name(),
            f.message(lang)
        )?;
    }
    Ok(())
}

fn kind_label(kind: NumberKind, lang: Lang) -> &'static str {
    let (en, es) = match kind {
        NumberKind::Cedula => ("cédula", "cédula"),
        NumberKind::Foreign => ("foreigner code", "código de extranjero"),
        NumberKind::Ruc(RucKind::Natural) => ("RUC, natural person", "RUC, persona natural"),
        NumberKind::Ruc(RucKind::Public) => ("RUC, public entity", "RUC, entidad pública"),
        NumberKind::Ruc(RucKind::Company) => ("RUC, company", "RUC, sociedad"),
        NumberKind::Ruc(RucKind::Domestic) => (
            "RUC, domestic-service form",
            "RUC, formato de servicio doméstico",
        ),
        NumberKind::Ruc(RucKind::Unknown) => ("RUC", "RUC"),
        NumberKind::Unknown => ("unknown", "desconocido"),
    };
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}
