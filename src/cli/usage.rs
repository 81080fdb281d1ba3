//! Usage errors in the run's language, rendered from clap's context: what is wrong, the
//! values that exist, the usage line and where to read more; help and the version printed
//! as asked.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Command as ClapCommand;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use patronal_core::Lang;
use patronal_core::i18n::{Message, errors};

use super::args::FailOn;
use super::help_texts as help;

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// The command a usage error is about (`patronal check`), from the arguments.
fn command_path<'a>(root: &'a ClapCommand, args: &[OsString]) -> (&'a ClapCommand, String) {
    let mut cmd = root;
    let mut path = "patronal".to_owned();
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if let Some(sub) = cmd.find_subcommand(a.as_ref()) {
            path = format!("{path} {}", sub.get_name());
            cmd = sub;
        }
    }
    (cmd, path)
}

fn quote(s: &str) -> String {
    format!("'{s}'")
}

/// Prints a usage error in `lang`: what is wrong, the values that exist (never a guess at a
/// value: `nuevo` once suggested `never`), the usage line; exit 2. Help and the version are
/// printed as asked, exit 0.
pub(super) fn usage_error(
    e: &clap::Error,
    root: &ClapCommand,
    args: &[OsString],
    lang: Lang,
) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let arg = || context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = || context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut lines: Vec<String> = Vec::new();
    let main = match e.kind() {
        ErrorKind::InvalidValue => {
            let mut m = errors::USAGE_INVALID_VALUE
                .with("value", quote(&value()))
                .with("arg", quote(&arg()));
            if arg().starts_with("--fail-on") {
                lines.push(
                    errors::USAGE_POSSIBLE_VALUES
                        .with("values", FailOn::values(lang))
                        .render(lang),
                );
            } else if let Some(values) =
                context(e, ContextKind::ValidValue).filter(|v| !v.is_empty())
            {
                lines.push(
                    errors::USAGE_POSSIBLE_VALUES
                        .with("values", values)
                        .render(lang),
                );
            }
            if value().is_empty() {
                m = errors::USAGE_NO_VALUE.with("arg", quote(&arg()));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .and_then(|s| s.downcast_ref::<Message>())
                .map(|m| m.render_clipped(lang, crate::error::CLIP));
            let m = errors::USAGE_INVALID_VALUE
                .with("value", quote(&value()))
                .with("arg", quote(&arg()));
            if let Some(reason) = reason {
                lines.push(reason);
            }
            m
        }
        ErrorKind::UnknownArgument => {
            if let Some(similar) = context(e, ContextKind::SuggestedArg) {
                lines.push(
                    errors::USAGE_SIMILAR_ARG
                        .with("arg", quote(&similar))
                        .render(lang),
                );
            }
            if arg().starts_with('-') && context(e, ContextKind::SuggestedArg).is_none() {
                lines.push(errors::USAGE_AS_VALUE.with("arg", arg()).render(lang));
            }
            errors::USAGE_UNKNOWN_ARG.with("arg", quote(&arg()))
        }
        ErrorKind::InvalidSubcommand => {
            let names: Vec<&str> = root.get_subcommands().map(|s| s.get_name()).collect();
            errors::USAGE_UNKNOWN_COMMAND
                .with(
                    "name",
                    quote(&context(e, ContextKind::InvalidSubcommand).unwrap_or_default()),
                )
                .with("names", names.join(", "))
        }
        ErrorKind::MissingRequiredArgument => errors::USAGE_MISSING.with("args", arg()),
        ErrorKind::MissingSubcommand => {
            let (cmd, _) = command_path(root, args);
            let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
            errors::USAGE_NO_COMMAND.with("names", names.join(", "))
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            if prior == arg() {
                errors::USAGE_TWICE.with("arg", quote(&arg()))
            } else {
                errors::USAGE_CONFLICT
                    .with("arg", quote(&arg()))
                    .with("other", quote(&prior))
            }
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            errors::USAGE_NO_VALUE.with("arg", quote(&arg()))
        }
        ErrorKind::TooManyValues => errors::USAGE_EXTRA_VALUE
            .with("value", quote(&value()))
            .with("arg", quote(&arg())),
        _ => errors::USAGE_OTHER.with("detail", e.kind()),
    };
    let (cmd, path) = command_path(root, args);
    let usage = cmd.get_overridden_usage().map(ToString::to_string);
    let mut err = std::io::stderr().lock();
    use std::io::Write;
    let _ = writeln!(
        err,
        "patronal: {}",
        patronal_core::text::sanitize(&main.render_clipped(lang, crate::error::CLIP))
    );
    for line in lines {
        let _ = writeln!(err, "  {}", patronal_core::text::sanitize(&line));
    }
    if let Some(usage) = usage {
        let _ = writeln!(err, "\n{} {usage}", help::USAGE.render(lang));
    }
    let _ = writeln!(
        err,
        "\n{}",
        errors::USAGE_MORE.with("command", path).render(lang)
    );
    ExitCode::from(2)
}
