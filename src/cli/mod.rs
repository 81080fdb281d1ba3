//! The command line: clap derive for the shape ([`args`]: names, types, value parsers), the
//! catalog ([`help_texts`]) for every text a person reads in `--help`, in the run's language
//! ([`help`]), and usage errors rendered from clap's context in that language ([`usage`]).

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::FromArgMatches;
use patronal_core::Lang;

mod args;
mod help;
mod help_texts;
mod usage;

pub use args::{
    CatastroCommand, CheckArgs, Cli, Command, FailOn, MapArg, SampleFormat, parse_delimiter,
    parse_lang, threads_count,
};

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

/// Parses the command line; help, the version and usage errors are printed here.
pub fn parse(args: Vec<OsString>) -> Result<(Cli, Lang), ExitCode> {
    let args = help::help_as_flag(args);
    let lang = args::lang_in_args(&args).unwrap_or_else(crate::desktop::locale_lang);
    set_lang(lang);
    let cmd = help::command(lang);
    let matches = match cmd.clone().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return Err(usage::usage_error(&e, &cmd, &args, lang)),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Ok((cli, lang)),
        Err(e) => Err(usage::usage_error(&e, &cmd, &args, lang)),
    }
}
