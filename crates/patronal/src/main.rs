//! The `patronal` binary: parse the command line, run, map the outcome to an exit code.

mod cli;
mod cmd_catastro;
mod cmd_check;
mod cmd_codes;
mod cmd_id;
mod cmd_sample;
mod config;
mod error;
mod guard;
mod output;
mod progress;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (args, lang) = match cli::parse() {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match cli::run(args, lang) {
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
