//! The command line (clap derive: the doc comments are the `--help` text).

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use patronal::Lang;

/// Checks Ecuadorian employer rosters before an IESS employer-key ("clave patronal")
/// recovery: ready, invalid (fix the data) or in person, with the reasons.
#[derive(Debug, Parser)]
#[command(name = "patronal", version, about)]
pub struct Cli {
    /// Language of messages and labels [default: from LANG: es* → es, else en]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    En,
    Es,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check standalone numbers: 10 digits → cédula, 13 → RUC, letters → foreigner code.
    ///
    /// Exit status: 0 every number valid (warnings allowed), 1 any invalid, 2 usage error.
    Id {
        /// The numbers to check (`0912345678`, `0912345678-001`, `1790011674001`).
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
        /// Print one JSON object per number, one per line.
        #[arg(long)]
        json: bool,
    },
    /// List every finding code with its severity, field, message and hint.
    Codes {
        /// Print the catalog as one JSON array.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the catalog as a Markdown table (the README's).
        #[arg(long)]
        markdown: bool,
    },
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let lang = match cli.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Es) => Lang::Es,
        None => Lang::from_env(),
    };
    match cli.command {
        Command::Id { numbers, json } => crate::cmd_id::run(&numbers, json, lang),
        Command::Codes { json, markdown } => crate::cmd_codes::run(json, markdown, lang),
    }
}
