//! The command line (clap derive: the doc comments are the `--help` text).

use std::process::ExitCode;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use patronal::Lang;
use patronal::roster::{Encoding, MapOverride};

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

/// More worker threads than this never help (a run is bound by reading and writing well
/// before), and tens of thousands took minutes to start and then failed.
pub const MAX_THREADS: i64 = 64;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rosters (CSV or Excel): every employer ready, invalid or in person, with the reasons.
    ///
    /// Without -o, the flagged records are shown as a table and the summary on stderr.
    ///
    /// Exit status: 0 nothing flagged (warnings allowed); 1 at least one record flagged, as
    /// --fail-on says; 2 unusable input or usage error (missing or unreadable file, no
    /// required column, bad flag), with a one-line message naming the file and the reason.
    Check(CheckArgs),
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
    /// Write a synthetic roster (generated identifiers, never real ones) for demos, tests and
    /// benchmarks: about 70% ready, 15% invalid, 15% in person.
    Sample {
        /// Records to write.
        #[arg(long, default_value_t = 1000)]
        rows: u64,
        /// Seed: the same seed writes the same roster.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// utf8: `,` and UTF-8; excel: what Excel writes on a Spanish Windows (`;`,
        /// Windows-1252, CRLF, a title line above the header).
        #[arg(long, value_enum, default_value = "utf8")]
        style: StyleArg,
        /// csv; xlsx (numeric identifiers, some zero-padded, a title row, two sheets); or
        /// catastro: an SRI catastro file covering the RUCs of the roster with the same rows
        /// and seed [default: from the output's extension]
        #[arg(long, value_enum)]
        format: Option<SampleFormat>,
        /// Sheets of an xlsx sample (1 or 2).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
        sheets: u8,
        /// Where to write it (`-` for standard output).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// The SRI catastro: build the index that `check --catastro` loads in milliseconds.
    #[command(subcommand)]
    Catastro(CatastroCommand),
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

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Roster files: CSV, or workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods); several allowed
    /// (`clientes/*.csv`).
    /// Without rosters, the config file's (`--config`, or ./patronal.toml) are checked.
    #[arg(value_name = "ROSTER")]
    pub rosters: Vec<PathBuf>,

    /// Settings for unattended runs; flags override it [default: ./patronal.toml when no
    /// roster is given]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Write the report here (`-` for standard output); the format follows the extension:
    /// .xlsx (the workbook, for people), .csv, .jsonl, .json. Repeatable: `-o informe.xlsx
    /// -o informe.jsonl` writes both from one run.
    #[arg(short, long, value_name = "REPORT")]
    pub output: Vec<PathBuf>,

    /// Between the fields of a CSV report: `,` `;` `|` or `tab` [default: `;` with --lang es
    /// (a Spanish Excel's list separator), `,` otherwise]
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub csv_delimiter: Option<u8>,

    /// Report format, whatever the extension.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Use this header for a field: `--map id="Cédula del dueño"`. Fields: id, ruc,
    /// sucursal, email, ruc_status, first_time, has_key, employer_type, id_type, name.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub maps: Vec<MapOverride>,

    /// Check only this sheet of a workbook (repeatable) [default: every sheet with a header]
    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,

    /// CSV delimiter: `,` `;` `|` or `tab` [default: sniffed]
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// CSV encoding: utf-8, windows-1252, utf-16le, utf-16be [default: detected]
    #[arg(long, value_name = "E")]
    pub encoding: Option<Encoding>,

    /// SRI catastro files to check each RUC's status against: the zips every province is
    /// published in, the CSV files inside, copies saved as .xlsx or .ods, or an index built
    /// with `patronal catastro build`.
    #[arg(long, value_name = "PATH", num_args = 1.., action = clap::ArgAction::Append)]
    pub catastro: Vec<PathBuf>,

    /// Which records make the exit status 1 [default: any]
    #[arg(long, value_enum, value_name = "WHICH")]
    pub fail_on: Option<FailOn>,

    /// Compare with the previous run's report (any format patronal writes: .jsonl, .json,
    /// .csv, .xlsx): each record gets a change (new, same, worse, better), the summary lists
    /// newly flagged and newly fixed employers and those that disappeared. A missing file
    /// is a first run: every record is new.
    #[arg(long, value_name = "PREVIOUS")]
    pub compare: Option<PathBuf>,

    /// How long to wait for another run writing the same report before giving up (exit 2).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_wait: u64,

    /// Report only the flagged records (invalid or in person).
    #[arg(long)]
    pub only_flagged: bool,

    /// Also write the summary as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,

    /// Print only errors: no summary, no table, no progress bar.
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads, 1 to 64 [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub threads: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum CatastroCommand {
    /// Read the SRI's catastro files (the zips every province is published in, the CSV inside,
    /// or a copy saved as .xlsx or .ods) and write a compact index: RUC, status and kind of
    /// taxpayer only, nothing else of the registry.
    Build {
        /// The catastro files: `SRI_RUC_<Provincia>.zip`, `.csv`, `.xlsx` or `.ods`.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Where to write the index.
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

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StyleArg {
    Utf8,
    Excel,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Json,
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any invalid or in-person record.
    Any,
    /// Invalid records only.
    Invalid,
    /// In-person records only.
    InPerson,
    /// Only employers that became flagged since the previous run (--compare): worse, or
    /// new and flagged. Without --compare, like any.
    New,
    /// Never: exit 0 whatever the records say.
    Never,
}

pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!("expected one ASCII character or `tab`, got {s:?}")),
    }
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let lang = match cli.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Es) => Lang::Es,
        None => Lang::from_env(),
    };
    match cli.command {
        Command::Check(args) => crate::cmd_check::run(args, cli.lang.is_some(), lang),
        Command::Sample {
            rows,
            seed,
            style,
            format,
            sheets,
            output,
        } => {
            if format == Some(SampleFormat::Catastro) {
                let mut out = patronal::report::Output::create(&output)?;
                patronal::sample::write_catastro(&mut out, rows, seed)?;
                out.commit()?;
                return Ok(ExitCode::SUCCESS);
            }
            let xlsx = format == Some(SampleFormat::Xlsx)
                || (format.is_none() && patronal::roster::excel::Kind::of(&output).is_some());
            if xlsx {
                // The xlsx writer needs to seek: it writes to a temporary file, renamed at
                // the end like every report.
                let spool = patronal::report::Spool::create(&output)?;
                patronal::sample::write_xlsx(spool.file(), rows, seed, sheets)?;
                spool.commit()?;
                return Ok(ExitCode::SUCCESS);
            }
            let style = match style {
                StyleArg::Utf8 => patronal::sample::Style::Utf8,
                StyleArg::Excel => patronal::sample::Style::ExcelSpanish,
            };
            let mut out = patronal::report::Output::create(&output)?;
            patronal::sample::write_csv(&mut out, rows, seed, style)?;
            out.commit()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Catastro(CatastroCommand::Build { files, output }) => {
            crate::cmd_catastro::build(&files, &output, lang)
        }
        Command::Id { numbers, json } => crate::cmd_id::run(&numbers, json, lang),
        Command::Codes { json, markdown } => crate::cmd_codes::run(json, markdown, lang),
    }
}
