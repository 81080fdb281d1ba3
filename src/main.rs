//! The `patronal` binary: parse the command line, run, map the outcome to an exit code.

mod cli;
mod cmd_catastro;
mod cmd_check;
mod cmd_codes;
mod cmd_id;
mod config;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.is::<patronal::pipeline::Interrupted>() => {
            eprintln!("patronal: interrupted; no report was written");
            ExitCode::from(130)
        }
        Err(err) => {
            eprintln!(
                "patronal: {}",
                patronal::text::sanitize(&format!("{err:#}"))
            );
            ExitCode::from(2)
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
