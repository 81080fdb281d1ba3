//! The `patronal` binary: parse the command line, run, map the outcome to an exit code.

mod cli;
mod cmd_catastro;
mod cmd_check;
mod cmd_codes;
mod cmd_id;
mod cmd_sample;
mod config;
mod progress;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (args, lang) = match cli::parse() {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match cli::run(args, lang) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The run's language: the config file may have chosen it after the flags.
            let text = patronal_core::i18n::render_error(&err, cli::lang());
            eprintln!("patronal: {}", patronal_core::text::sanitize(&text));
            if err.is::<patronal_core::pipeline::Interrupted>() {
                ExitCode::from(130)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

/// `patronal codes | head` closes the pipe early: that is a quiet success.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
