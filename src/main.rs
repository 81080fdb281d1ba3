//! The `patronal` binary: parse the command line, build the settings, run, map the outcome
//! to an exit code.

mod cli;
mod cmd_catastro;
mod cmd_check;
mod cmd_codes;
mod cmd_id;
mod cmd_sample;
mod config;
mod desktop;
mod error;
mod guard;
mod marked;
mod output;
mod pattern;
mod progress;
mod sample;
mod settings;
mod terminal;

use std::process::ExitCode;

use patronal_core::Lang;

use settings::{Command, Settings};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Explorer's ways in (desktop.rs): a roster dropped onto the program, or a double-click.
    let (args, report) = match desktop::launch(&args) {
        desktop::Launch::HowTo => {
            desktop::print_how_to();
            desktop::pause(desktop::locale_lang());
            return ExitCode::SUCCESS;
        }
        desktop::Launch::Dropped(roster) => {
            let (args, report) = desktop::check_args(&args[0], &roster);
            (args, Some(report))
        }
        desktop::Launch::CommandLine => (args, None),
    };
    let code = command_line(args);
    if let Some(report) = report {
        desktop::tell_report(&report, cli::lang());
        // The window Explorer opened closes with the program: the summary stays until Enter.
        desktop::pause(cli::lang());
    }
    code
}

/// The command line: parsed, run, its outcome as the exit code.
fn command_line(args: Vec<std::ffi::OsString>) -> ExitCode {
    let (args, lang) = match cli::parse(args) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match run(args, lang) {
        Ok(code) => code,
        Err(err) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The run's language: the config file may have chosen it after the flags.
            let text = error::render(&err, cli::lang());
            error::note(&format!(
                "patronal: {}",
                patronal_core::text::sanitize(&text)
            ));
            if error::is_interrupted(&err) {
                ExitCode::from(130)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

fn run(args: cli::Cli, lang: Lang) -> anyhow::Result<ExitCode> {
    // `check` asks for the date (`{date}`, the workbook's summary): its file is bounded.
    if matches!(args.command, cli::Command::Check(_)) {
        config::check_time_zone()?;
    }
    let Settings { lang, command } = Settings::new(args, lang)?;
    match command {
        Command::Check(check) => cmd_check::run(&check, lang),
        Command::Id(id) => cmd_id::run(&id, lang),
        Command::Codes(codes) => cmd_codes::run(&codes, lang),
        Command::Sample(sample) => cmd_sample::run(&sample),
        Command::CatastroBuild(build) => cmd_catastro::build(&build, lang),
    }
}
