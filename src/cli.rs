//! The command line: clap derive for the shape (names, types), the catalog
//! ([`patronal_core::i18n::help`]) for every text a person reads in `--help`, in the run's language,
//! and usage errors rendered from clap's context in that language.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command as ClapCommand, CommandFactory, FromArgMatches, Parser};
use clap::{Subcommand, ValueEnum};
use patronal_core::Lang;
use patronal_core::i18n::{Message, errors, help};
use patronal_core::report::Format;
use patronal_core::roster::{Encoding, MapOverride};
use patronal_core::sample::Style;

#[derive(Debug, Parser)]
#[command(name = "patronal", version)]
pub struct Cli {
    #[arg(long, global = true, value_parser = LANGS)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--lang`.
const LANGS: OneOf<Lang> = OneOf(&[
    ("en", &[], Lang::En),
    ("es", &["español", "espanol"], Lang::Es),
]);

/// `check --format`.
const FORMATS: OneOf<Format> = OneOf(&[
    ("jsonl", &[], Format::Jsonl),
    ("json", &[], Format::Json),
    ("csv", &[], Format::Csv),
    ("xlsx", &[], Format::Xlsx),
]);

/// `sample --style`.
const STYLES: OneOf<Style> = OneOf(&[
    ("utf8", &[], Style::Utf8),
    ("excel", &[], Style::ExcelSpanish),
]);

/// More worker threads than this never help (a run is bound by reading and writing well
/// before), and tens of thousands took minutes to start and then failed.
pub const MAX_THREADS: i64 = 64;

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(CheckArgs),
    Id {
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    Sample {
        #[arg(long, value_name = "N", default_value_t = 1000)]
        rows: u64,
        #[arg(long, value_name = "N", default_value_t = 1)]
        seed: u64,
        // `None` when not given: a workbook refuses an explicit style.
        #[arg(long, value_parser = STYLES, value_name = "STYLE")]
        style: Option<Style>,
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<SampleFormat>,
        #[arg(long, value_name = "N", default_value_t = 2, value_parser = sheets_count)]
        sheets: u8,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    #[command(subcommand)]
    Catastro(CatastroCommand),
    Codes {
        #[arg(value_name = "CODE")]
        codes: Vec<String>,
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[arg(value_name = "ROSTER")]
    pub rosters: Vec<PathBuf>,

    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[arg(short, long, value_name = "REPORT")]
    pub output: Vec<PathBuf>,

    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub csv_delimiter: Option<u8>,

    #[arg(long, value_parser = FORMATS, value_name = "FORMAT")]
    pub format: Option<Format>,

    #[arg(long = "map", value_name = "[GLOB:]FIELD=HEADER", value_parser = parse_map)]
    pub maps: Vec<MapArg>,

    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,

    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    #[arg(long, value_name = "E")]
    pub encoding: Option<Encoding>,

    #[arg(long, value_name = "PATH", num_args = 1.., action = clap::ArgAction::Append)]
    pub catastro: Vec<PathBuf>,

    #[arg(long, value_enum, value_name = "WHICH")]
    pub fail_on: Option<FailOn>,

    #[arg(long, value_name = "PREVIOUS")]
    pub compare: Option<PathBuf>,

    #[arg(long, value_name = "SECONDS")]
    pub lock_wait: Option<u64>,

    #[arg(long)]
    pub only_flagged: bool,

    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,

    #[arg(short, long)]
    pub quiet: bool,

    #[arg(long, value_name = "N", value_parser = threads_count)]
    pub threads: Option<u16>,
}

/// A `--map [GLOB:]FIELD=HEADER`: the header is also accepted for the field, in the rosters
/// the glob matches (every roster without one).
#[derive(Clone, Debug)]
pub struct MapArg {
    pub pattern: Option<glob::Pattern>,
    pub map: MapOverride,
}

impl std::fmt::Display for MapArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.pattern {
            write!(f, "{}:", p.as_str())?;
        }
        write!(f, "{}={}", self.map.column.as_str(), self.map.header)
    }
}

#[derive(Debug, Subcommand)]
pub enum CatastroCommand {
    Build {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(short, long, value_name = "INDEX")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SampleFormat {
    Csv,
    Xlsx,
    Catastro,
}

/// The values of an option, each with its aliases, parsed straight into a type of the core
/// (which cannot derive clap's `ValueEnum`); a bad value is the error a `ValueEnum` gives,
/// naming the values and never the aliases.
#[derive(Clone)]
pub struct OneOf<T: 'static>(&'static [(&'static str, &'static [&'static str], T)]);

impl<T: 'static> OneOf<T> {
    fn values(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        let values = self.0.iter();
        values.map(|(name, aliases, _)| PossibleValue::new(*name).aliases(aliases.iter().copied()))
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for OneOf<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &ClapCommand,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // A value that is not UTF-8 is refused as any other bad value.
        let text = value.to_string_lossy();
        let name = PossibleValuesParser::new(self.values()).parse_ref(
            cmd,
            arg,
            OsStr::new(text.as_ref()),
        )?;
        let ignore_case = arg.is_some_and(Arg::is_ignore_case_set);
        self.values()
            .position(|v| v.matches(&name, ignore_case))
            .map(|i| self.0[i].2.clone())
            .ok_or_else(|| clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values()))
    }
}

/// Which records make the exit status 1; each value has its Spanish name too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    #[value(alias = "cualquiera")]
    Any,
    #[value(
        alias = "inválido",
        alias = "invalido",
        alias = "inválida",
        alias = "invalida"
    )]
    Invalid,
    #[value(alias = "presencial")]
    InPerson,
    #[value(alias = "nuevo", alias = "nuevos")]
    New,
    #[value(alias = "nunca")]
    Never,
}

impl FailOn {
    const ALL: [(FailOn, &'static str, &'static str); 5] = [
        (FailOn::Any, "any", "cualquiera"),
        (FailOn::Invalid, "invalid", "inválido"),
        (FailOn::InPerson, "in-person", "presencial"),
        (FailOn::New, "new", "nuevo"),
        (FailOn::Never, "never", "nunca"),
    ];

    /// A value in either language (`nuevo`, `new`), as the config file spells it.
    pub fn parse(s: &str) -> Option<FailOn> {
        <FailOn as ValueEnum>::from_str(s.trim(), true)
            .ok()
            .or_else(|| {
                let folded = patronal_core::text::fold(s);
                FailOn::ALL
                    .iter()
                    .find(|(_, en, es)| {
                        folded == patronal_core::text::fold(en)
                            || folded == patronal_core::text::fold(es)
                    })
                    .map(|(v, _, _)| *v)
            })
    }

    /// The values, for a message: `any (cualquiera), …` in English, the other way round in
    /// Spanish.
    pub fn values(lang: Lang) -> String {
        FailOn::ALL
            .iter()
            .map(|(_, en, es)| match lang {
                Lang::En => format!("{en} ({es})"),
                Lang::Es => format!("{es} ({en})"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn as_str(self) -> &'static str {
        FailOn::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map_or("any", |(_, en, _)| en)
    }
}

/// The language a file or `--lang` (before clap reads it) names: `en`, `es` (`english`,
/// `español` too, accents and case ignored).
pub fn parse_lang(s: &str) -> Option<Lang> {
    match patronal_core::text::fold(s).as_str() {
        "en" | "english" | "ingles" => Some(Lang::En),
        "es" | "spanish" | "espanol" => Some(Lang::Es),
        _ => None,
    }
}

pub fn parse_delimiter(s: &str) -> Result<u8, Message> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(errors::DELIMITER_BAD.with("value", format!("{s:?}"))),
    }
}

fn parse_map(s: &str) -> Result<MapArg, Message> {
    // `GLOB:field=Header`: the glob is what precedes the first `:` before the `=`
    // (`C:\...` paths are written with `/` or without a drive in globs).
    let eq = s.find('=').unwrap_or(s.len());
    let (pattern, rest) = match s[..eq].rfind(':') {
        Some(colon) => (Some(&s[..colon]), &s[colon + 1..]),
        None => (None, s),
    };
    let map: MapOverride = rest.parse()?;
    let pattern = match pattern {
        Some(p) => Some(glob::Pattern::new(p).map_err(|e| {
            errors::MAP_BAD_GLOB
                .with("pattern", format!("{p:?}"))
                .with("detail", e)
        })?),
        None => None,
    };
    Ok(MapArg { pattern, map })
}

fn number_in(s: &str, min: u64, max: u64) -> Result<u64, Message> {
    s.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            errors::NUMBER_RANGE
                .with("min", min)
                .with("max", max)
                .with("value", format!("{s:?}"))
        })
}

fn threads_count(s: &str) -> Result<u16, Message> {
    number_in(s, 1, MAX_THREADS as u64).map(|n| n as u16)
}

fn sheets_count(s: &str) -> Result<u8, Message> {
    number_in(s, 1, 2).map(|n| n as u8)
}

/// The language of the run once known (the config file may set it): main prints errors in it.
static SPANISH: AtomicBool = AtomicBool::new(false);

pub fn set_lang(lang: Lang) {
    SPANISH.store(lang == Lang::Es, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    if SPANISH.load(Ordering::Relaxed) {
        Lang::Es
    } else {
        Lang::En
    }
}

/// `--lang X` or `--lang=X` among the arguments, before clap reads them: help and usage
/// errors come out in it.
fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut next_is_lang = false;
    let mut found = None;
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if next_is_lang {
            found = parse_lang(&a).or(found);
            next_is_lang = false;
        } else if a == "--lang" {
            next_is_lang = true;
        } else if let Some(v) = a.strip_prefix("--lang=") {
            found = parse_lang(v).or(found);
        }
    }
    found
}

/// The command line with every text in `lang`.
pub fn command(lang: Lang) -> ClapCommand {
    localize(Cli::command(), lang, "")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(help::VERSION.render(lang))
                .help_heading(help::OPTIONS.render(lang)),
        )
}

fn localize(mut cmd: ClapCommand, lang: Lang, path: &str) -> ClapCommand {
    if let Some((about, long, usage, examples)) = help::command(path) {
        cmd = cmd
            .about(about.render(lang))
            .long_about(
                long.map(|l| l.render(lang))
                    .unwrap_or_else(|| about.render(lang)),
            )
            .override_usage(usage.render(lang))
            .after_help(format!(
                "{}\n{}",
                help::EXAMPLES.render(lang),
                examples.render(lang)
            ));
    }
    cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            help::USAGE.render(lang)
        ))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_help_heading(help::COMMANDS.render(lang))
        .subcommand_value_name(help::V_COMMAND.render(lang))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id.as_str(), |a| localize_arg(a, lang, path));
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize(s, lang, &sub_path));
    }
    cmd
}

fn localize_arg(mut a: Arg, lang: Lang, path: &str) -> Arg {
    if let Some(text) = help::arg(path, a.get_id().as_str()) {
        a = a.help(text.with("max", MAX_THREADS).render(lang));
    }
    let names: Vec<String> = a
        .get_value_names()
        .unwrap_or_default()
        .iter()
        .map(|n| help::value_name(n.as_str()).map_or_else(|| n.to_string(), |t| t.render(lang)))
        .collect();
    if !names.is_empty() {
        a = a.value_names(names);
    }
    let heading = if a.is_positional() {
        help::ARGUMENTS
    } else {
        help::OPTIONS
    };
    if a.get_action().takes_values() {
        // The texts say the values and defaults, in the user's language.
        a = a.hide_possible_values(true).hide_default_value(true);
    }
    a.help_heading(heading.render(lang))
}

/// Parses the command line; help, the version and usage errors are printed here.
pub fn parse() -> Result<(Cli, Lang), ExitCode> {
    let args = help_as_flag(std::env::args_os().collect());
    let lang = lang_in_args(&args).unwrap_or_else(Lang::from_env);
    set_lang(lang);
    let cmd = command(lang);
    let matches = match cmd.clone().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return Err(usage_error(&e, &cmd, &args, lang)),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Ok((cli, lang)),
        Err(e) => Err(usage_error(&e, &cmd, &args, lang)),
    }
}

/// `patronal help check` is `patronal check --help` (clap's own `help` command would print
/// clap's English).
fn help_as_flag(mut args: Vec<OsString>) -> Vec<OsString> {
    let mut skip_value = false;
    for i in 1..args.len() {
        let a = args[i].to_string_lossy();
        if skip_value {
            skip_value = false;
            continue;
        }
        if a == "--lang" {
            skip_value = true;
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        if a == "help" {
            args.remove(i);
            args.push("--help".into());
        }
        break;
    }
    args
}

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
fn usage_error(e: &clap::Error, root: &ClapCommand, args: &[OsString], lang: Lang) -> ExitCode {
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
            } else if let Some(values) = context(e, ContextKind::ValidValue) {
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
                .map(|m| m.render(lang));
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
        patronal_core::text::sanitize(&main.render(lang))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and every option has its text in the catalog, in both languages.
    #[test]
    fn every_command_and_option_has_a_catalog_text() {
        fn walk(cmd: &ClapCommand, path: &str, missing: &mut Vec<String>) {
            if help::command(path).is_none() {
                missing.push(format!("command `{path}`"));
            }
            for a in cmd.get_arguments() {
                if help::arg(path, a.get_id().as_str()).is_none() {
                    missing.push(format!("`{path}` option `{}`", a.get_id()));
                }
                if !a.get_action().takes_values() {
                    continue;
                }
                for n in a.get_value_names().unwrap_or_default() {
                    let name = n.as_str();
                    if help::value_name(name).is_none() && name.chars().count() > 1 {
                        missing.push(format!("`{path}` value name `{name}`"));
                    }
                }
            }
            // clap's own `help` subcommand is turned off by `localize`.
            for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let sub = if path.is_empty() {
                    s.get_name().to_owned()
                } else {
                    format!("{path} {}", s.get_name())
                };
                walk(s, &sub, missing);
            }
        }
        // The shape before localizing: the value names are the English ones.
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "", &mut missing);
        assert!(missing.is_empty(), "no text for: {missing:?}");
    }

    #[test]
    fn lang_is_found_before_clap_reads_the_arguments() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_in_args(&args(&["p", "--lang", "es", "check"])),
            Some(Lang::Es)
        );
        assert_eq!(
            lang_in_args(&args(&["p", "check", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_in_args(&args(&["p", "check", "--", "--lang", "es"])),
            None
        );
        assert_eq!(lang_in_args(&args(&["p", "--lang", "fr"])), None);
    }

    #[test]
    fn help_command_is_the_help_flag() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            help_as_flag(args(&["p", "help", "check"])),
            args(&["p", "check", "--help"])
        );
        assert_eq!(
            help_as_flag(args(&["p", "--lang", "es", "help"])),
            args(&["p", "--lang", "es", "--help"])
        );
        assert_eq!(
            help_as_flag(args(&["p", "id", "help"])),
            args(&["p", "id", "help"])
        );
    }

    #[test]
    fn map_takes_an_optional_glob() {
        let m = parse_map("clientes/ferreteria-*.csv:ruc=No. RUC").unwrap();
        assert_eq!(m.pattern.unwrap().as_str(), "clientes/ferreteria-*.csv");
        assert_eq!(m.map.header, "No. RUC");
        let m = parse_map("id=Cédula: del dueño").unwrap();
        assert!(m.pattern.is_none());
        assert_eq!(m.map.header, "Cédula: del dueño");
        assert!(parse_map("x:nope=A").is_err());
    }

    #[test]
    fn fail_on_values_in_both_languages() {
        assert_eq!(FailOn::parse("nuevo"), Some(FailOn::New));
        assert_eq!(FailOn::parse("Inválido"), Some(FailOn::Invalid));
        assert_eq!(FailOn::parse("in-person"), Some(FailOn::InPerson));
        assert_eq!(FailOn::parse("nunca"), Some(FailOn::Never));
        assert_eq!(FailOn::parse("talvez"), None);
    }
}
