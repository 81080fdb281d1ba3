//! The `patronal` binary: parse the command line, build the settings, run, map the outcome
//! to an exit code.

mod cli;
mod cmd_catastro;
mod cmd_check;
mod cmd_codes;
mod cmd_id;
mod cmd_sample;
mod config;
mod error;
mod guard;
mod marked;
mod output;
mod progress;
mod sample;
mod settings;
mod terminal;

use std::process::ExitCode;

use patronal_core::Lang;

use settings::{Command, Settings};

fn main() -> ExitCode {
    let (args, lang) = match cli::parse() {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match run(args, lang) {
        Ok(code) => code,
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The run's language: the config file may have chosen it after the flags.
            let text = error::render(&err, cli::lang());
            eprintln!("patronal: {}", patronal_core::text::sanitize(&text));
            if error::is_interrupted(&err) {
                ExitCode::from(130)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

fn run(args: cli::Cli, lang: Lang) -> anyhow::Result<ExitCode> {
    let Settings { lang, command } = Settings::new(args, lang)?;
    match command {
        Command::Check(check) => cmd_check::run(&check, lang),
        Command::Id(id) => cmd_id::run(&id, lang),
        Command::Codes(codes) => cmd_codes::run(&codes, lang),
        Command::Sample(sample) => cmd_sample::run(&sample),
        Command::CatastroBuild(build) => cmd_catastro::build(&build, lang),
    }
}
