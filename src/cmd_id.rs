//! `patronal id`: standalone numbers.

use std::io::{self, Write};
use std::process::ExitCode;

use patronal_core::Lang;
use patronal_core::ecuador::{NumberCheck, NumberKind, RucKind, check_number};
use patronal_core::finding::FindingView;
use patronal_core::i18n::ui;
use patronal_core::text::sanitize;
use serde::Serialize;

use crate::settings::IdSettings;

#[derive(Serialize)]
struct NumberJson<'a> {
    input: &'a str,
    kind: &'static str,
    value: &'a str,
    valid: bool,
    findings: Vec<FindingView<'static>>,
    /// For the domestic-service form: the cédula it is built on, and the sucursal to use.
    #[serde(skip_serializing_if = "Option::is_none")]
    domestic: Option<Domestic<'a>>,
}

/// The IESS domestic-service form (cédula + `000`): what to type at the portal.
#[derive(Serialize)]
struct Domestic<'a> {
    cedula: &'a str,
    sucursal: &'static str,
}

/// The cédula of a number read as the domestic-service form.
fn domestic_cedula(c: &NumberCheck) -> Option<&str> {
    (c.kind == NumberKind::Ruc(RucKind::Domestic)).then(|| c.value.get(..10).unwrap_or_default())
}

pub fn run(settings: &IdSettings, lang: Lang) -> anyhow::Result<ExitCode> {
    let checked: Vec<NumberCheck> = settings.numbers.iter().map(|n| check_number(n)).collect();
    let code = if checked.iter().all(NumberCheck::is_valid) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    // A reader that closes the pipe early (`| head -1`) does not change the exit status.
    match print(settings, &checked, lang) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(code),
    }
}

fn print(settings: &IdSettings, checked: &[NumberCheck], lang: Lang) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for c in checked {
        if settings.json {
            let doc = NumberJson {
                input: &c.input,
                kind: c.kind.as_str(),
                value: &c.value,
                valid: c.is_valid(),
                findings: c.findings.iter().map(|f| f.view(lang)).collect(),
                domestic: domestic_cedula(c).map(|cedula| Domestic {
                    cedula,
                    sucursal: "0001",
                }),
            };
            serde_json::to_writer(&mut out, &doc)?;
            writeln!(out)?;
        } else {
            print_human(&mut out, c, lang)?;
        }
    }
    out.flush()
}

fn print_human(out: &mut impl Write, c: &NumberCheck, lang: Lang) -> io::Result<()> {
    let verdict = if c.is_valid() {
        ui::ID_VALID
    } else {
        ui::ID_INVALID
    }
    .render(lang);
    writeln!(
        out,
        "{}: {verdict} · {} {}",
        sanitize(&c.input),
        kind_label(c.kind, lang),
        sanitize(&c.value)
    )?;
    if let Some(cedula) = domestic_cedula(c) {
        let note = ui::ID_DOMESTIC_FORM.with("cedula", cedula).render(lang);
        writeln!(out, "  {note}")?;
    }
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

fn kind_label(kind: NumberKind, lang: Lang) -> String {
    match kind {
        NumberKind::Cedula => ui::KIND_CEDULA,
        NumberKind::Foreign => ui::KIND_FOREIGN,
        NumberKind::Ruc(RucKind::Natural) => ui::KIND_NATURAL,
        NumberKind::Ruc(RucKind::Public) => ui::KIND_PUBLIC,
        NumberKind::Ruc(RucKind::Company) => ui::KIND_COMPANY,
        NumberKind::Ruc(RucKind::Domestic) => ui::KIND_DOMESTIC,
        NumberKind::Ruc(RucKind::Unknown) => ui::KIND_RUC,
        NumberKind::Unknown => ui::KIND_UNKNOWN,
    }
    .render(lang)
}
