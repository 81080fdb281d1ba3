//! The command line's shape: the clap derive types (each command, each option's name, type
//! and value name) and the parsers of their values, straight into the core's types; `--lang`
//! found before clap reads the arguments.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use crate::sample::Style;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Arg, Command as ClapCommand, Parser};
use clap::{Subcommand, ValueEnum};
use patronal_core::Lang;
use patronal_core::i18n::{Message, errors};
use patronal_core::report::Format;
use patronal_core::roster::{Encoding, MapOverride};

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
    Check(Box<CheckArgs>),
    Id {
        // `-1723468565`, a damaged Excel cell pasted as it is, is a number, not a flag.
        #[arg(required = true, value_name = "NUMBER", allow_negative_numbers = true)]
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

    #[arg(long, value_name = "C", value_parser = parse_csv_delimiter)]
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

    #[arg(long, value_name = "DIR")]
    pub marked: Option<PathBuf>,

    /// The one roster's marked copy at FILE: what a roster dropped onto patronal.exe gets
    /// beside it (`nomina.marcada.xlsx`). Not for people: `--marked DIR` is.
    #[arg(long, value_name = "FILE", hide = true, conflicts_with = "marked")]
    pub marked_file: Option<PathBuf>,

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

    /// The value as a person of `lang` types it: `new`, `nuevo`.
    pub fn name(self, lang: Lang) -> &'static str {
        FailOn::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map_or("any", |(_, en, es)| match lang {
                Lang::En => en,
                Lang::Es => es,
            })
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

/// The CSV report's delimiter: `,` `;` `|` or a tab, the ones a reader of CSV (Excel,
/// `--compare`) splits on; a digit, a letter or a quote would write a report that cannot be
/// read back.
pub fn parse_csv_delimiter(s: &str) -> Result<u8, Message> {
    match s {
        "," | ";" | "|" => Ok(s.as_bytes()[0]),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => Err(errors::CSV_DELIMITER_BAD.with("value", format!("{s:?}"))),
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

pub fn threads_count(s: &str) -> Result<u16, Message> {
    number_in(s, 1, MAX_THREADS as u64).map(|n| n as u16)
}

fn sheets_count(s: &str) -> Result<u8, Message> {
    number_in(s, 1, 2).map(|n| n as u8)
}

/// `--lang X` or `--lang=X` among the arguments, before clap reads them: help and usage
/// errors come out in it.
pub(super) fn lang_in_args(args: &[OsString]) -> Option<Lang> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
