//! `patronal check`: rosters in, report out, exit status for cron.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use patronal::Lang;
use patronal::compare::Previous;
use patronal::pipeline::{self, RunOptions, Sink};
use patronal::report::summary::Summary;
use patronal::report::terminal::{FlaggedTable, print_summary};
use patronal::report::{self, Format, ReportWriter};
use patronal::roster::{self, ReadOptions};

use crate::cli::{CheckArgs, FailOn, FormatArg};

pub fn run(mut args: CheckArgs, lang_given: bool, mut lang: Lang) -> anyhow::Result<ExitCode> {
    // Ctrl-C, SIGTERM (a scheduler stopping the job) or SIGHUP stops the run cleanly (the
    // temporary report is removed); a second one stops it at once, and the next run removes
    // what it left (see `report::temp_beside`).
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .context("cannot install the signal handler")?;
    let mut maps = crate::config::Maps::default();
    if let Some(path) = crate::config::locate(args.config.as_deref(), !args.rosters.is_empty()) {
        let (file_maps, file_lang) = crate::config::apply(&path, &mut args)?;
        maps = file_maps;
        if !lang_given && let Some(l) = file_lang {
            lang = match l {
                crate::config::LangValue::En => Lang::En,
                crate::config::LangValue::Es => Lang::Es,
            };
        }
    }
    if args.rosters.is_empty() {
        bail!("no roster to check: give roster files, or a patronal.toml (see --config)");
    }
    let read = ReadOptions {
        delimiter: args.delimiter,
        encoding: args.encoding,
        overrides: args.maps.clone(),
        sheets: args.sheets.clone(),
    };
    let format = match (args.format, &args.output) {
        (Some(FormatArg::Jsonl), _) => Some(Format::Jsonl),
        (Some(FormatArg::Json), _) => Some(Format::Json),
        (Some(FormatArg::Csv), _) => Some(Format::Csv),
        (Some(FormatArg::Xlsx), _) => Some(Format::Xlsx),
        (None, Some(path)) if path.as_os_str() == "-" => Some(Format::Jsonl),
        (None, Some(path)) => match Format::from_path(path) {
            Some(f) => Some(f),
            None => bail!(
                "{}: unknown report format; use a .jsonl, .json, .csv or .xlsx name, or --format",
                path.display()
            ),
        },
        (None, None) => None,
    };

    // Every roster is opened, and its header checked, before any record is read.
    let mut readers = Vec::new();
    for path in &args.rosters {
        let mut opts = read.clone();
        // The file's maps for this roster first: a --map flag, applied after, wins.
        opts.overrides = maps.for_roster(path);
        opts.overrides.extend(read.overrides.iter().cloned());
        readers.extend(roster::open(path, &opts)?);
    }
    let sources: Vec<_> = readers.iter().map(|r| r.source().clone()).collect();
    if let Some(path) = &args.summary_json {
        report::check_writable(path)?;
    }
    // Two overlapping runs (cron) never write the same report at once.
    // Devices and pipes (`/dev/stdout`) are not locked: there is no file to clobber.
    let _lock = match &args.output {
        Some(path)
            if path.as_os_str() != "-" && std::fs::metadata(path).map_or(true, |m| m.is_file()) =>
        {
            Some(lock(path, args.lock_wait)?)
        }
        _ => None,
    };
    let report = match (&args.output, format) {
        (Some(path), Some(format)) => Some(report::create(
            format,
            path,
            &sources,
            lang,
            args.compare.is_some(),
        )?),
        _ => None,
    };
    let show_table = args.output.is_none() && !args.quiet;
    let mut sinks = Sinks {
        report,
        table: show_table.then(FlaggedTable::new),
    };

    let bar = progress_bar(args.quiet);
    let progress = |n: u64| bar.set_position(n);

    let (catastro, catastro_loads) = crate::cmd_catastro::load(&args.catastro)?;
    let previous = match &args.compare {
        Some(path) if path.exists() => Some(Arc::new(Previous::load(path)?)),
        // The first run of a schedule has no previous report: every record is new.
        Some(_) => Some(Arc::new(Previous::empty())),
        None => None,
    };
    let opts = RunOptions {
        catastro,
        previous: previous.clone(),
        cancel: Some(cancel),
        threads: args.threads.map(usize::from),
        only_flagged: args.only_flagged,
        renderer: sinks.report.as_ref().and_then(|r| r.renderer()),
    };
    let mut summary = pipeline::run(readers, &opts, &mut sinks, &progress)
        .map_err(|e| report_cut(e, args.output.as_deref()))?;
    summary.options = options_used(&args);
    summary.catastro = catastro_loads;
    if let Some(previous) = &previous {
        let changes = summary.changes.get_or_insert_with(Default::default);
        changes.disappeared = previous.disappeared().cloned().collect();
    }
    bar.finish_and_clear();

    if let Some(report) = sinks.report {
        report
            .finish(&summary)
            .map_err(|e| report_cut(e, args.output.as_deref()))?;
    }
    if let Some(path) = &args.summary_json {
        let json = serde_json::to_vec_pretty(&summary.to_json(true))?;
        report::write_atomic(path, &json)?;
    }
    if let Some(table) = &sinks.table {
        let mut out = io::stdout().lock();
        table.print(&mut out, lang)?;
        if !table.is_empty() {
            // A blank line between the table (stdout) and the summary (stderr).
            writeln!(out)?;
        }
        out.flush()?;
    }
    if !args.quiet {
        let mut err = io::stderr().lock();
        print_summary(&mut err, &summary, lang).context("cannot print the summary")?;
    }
    Ok(exit_code(&summary, args.fail_on.unwrap_or(FailOn::Any)))
}

/// A closed pipe is a quiet success only for what is shown (`check x.csv | head`): when the
/// report itself went into the pipe (`-o -`, a FIFO) and its reader left, the report is
/// incomplete, and the run must not look like a success.
fn report_cut(err: anyhow::Error, report: Option<&std::path::Path>) -> anyhow::Error {
    let broken = err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    match report {
        Some(path) if broken => anyhow::anyhow!(
            "{}: the report's reader closed the pipe before the end: the report is incomplete",
            if path.as_os_str() == "-" {
                "standard output".into()
            } else {
                path.display().to_string()
            }
        ),
        _ => err,
    }
}

/// Takes the lock of a report: `<report>.lock` beside it, held (by the OS, so that it
/// vanishes with the process) until the run ends. Waits up to `wait` seconds for another run.
fn lock(report: &std::path::Path, wait: u64) -> anyhow::Result<std::fs::File> {
    let mut name = report.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let path = report.with_file_name(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| {
            format!(
                "{}: cannot create the report (its lock {})",
                report.display(),
                path.display()
            )
        })?;
    let deadline = std::time::Instant::now() + Duration::from_secs(wait);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "{}: another patronal run is writing this report (waited {wait} s; see --lock-wait)",
                report.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("{}: cannot lock", path.display()));
            }
        }
    }
}

/// The options of the run as a person would type them, for the workbook's summary.
fn options_used(args: &CheckArgs) -> Vec<String> {
    let mut o = Vec::new();
    for m in &args.maps {
        o.push(format!("--map {}={}", m.column, m.header));
    }
    for s in &args.sheets {
        o.push(format!("--sheet {s}"));
    }
    for c in &args.catastro {
        o.push(format!("--catastro {}", c.display()));
    }
    if let Some(d) = args.delimiter {
        o.push(format!("--delimiter {}", char::from(d).escape_default()));
    }
    if let Some(e) = args.encoding {
        o.push(format!("--encoding {}", e.as_str()));
    }
    if args.only_flagged {
        o.push("--only-flagged".to_owned());
    }
    if let Some(previous) = &args.compare {
        o.push(format!("--compare {}", previous.display()));
    }
    o.push(format!("--fail-on {:?}", args.fail_on.unwrap_or(FailOn::Any)).to_lowercase());
    o
}

fn exit_code(summary: &Summary, fail_on: FailOn) -> ExitCode {
    let failed = match fail_on {
        FailOn::New => match &summary.changes {
            Some(c) => c.newly_flagged > 0,
            None => summary.flagged() > 0,
        },
        FailOn::Any => summary.flagged() > 0,
        FailOn::Invalid => summary.invalid > 0,
        FailOn::InPerson => summary.in_person > 0,
        FailOn::Never => false,
    };
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (cron, pipes).
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} records ({per_sec}) {elapsed}")
            .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

/// The report and the terminal table, each optional.
struct Sinks {
    report: Option<Box<dyn ReportWriter>>,
    table: Option<FlaggedTable>,
}

impl Sink for Sinks {
    fn record(&mut self, record: &pipeline::Record) -> anyhow::Result<()> {
        if let Some(r) = self.report.as_deref_mut() {
            r.record(record)?;
        }
        if let Some(t) = self.table.as_mut() {
            t.record(record)?;
        }
        Ok(())
    }

    fn text(&mut self, text: &[u8]) -> anyhow::Result<bool> {
        match (&mut self.report, &self.table) {
            (Some(report), None) => report.text(text),
            _ => Ok(false),
        }
    }
}
