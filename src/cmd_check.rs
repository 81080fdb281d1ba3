//! `patronal check`: rosters in, report out, exit status for cron.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use patronal::Lang;
use patronal::compare::Previous;
use patronal::i18n::{errors, ui};
use patronal::pipeline::{self, RunOptions, Sink};
use patronal::report::summary::Summary;
use patronal::report::terminal::{FlaggedTable, News, print_summary};
use patronal::report::{self, Format, ReportWriter};
use patronal::roster::{self, ReadOptions, RowReader};
use patronal::rules::Status;

use crate::cli::{CheckArgs, FailOn, FormatArg};
use crate::progress::Progress;

pub fn run(mut args: CheckArgs, lang_given: bool, mut lang: Lang) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
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
    .context(errors::SIGNAL_HANDLER.msg())?;
    let mut maps = crate::config::Maps::default();
    if let Some(path) = crate::config::locate(args.config.as_deref(), !args.rosters.is_empty()) {
        let (file_maps, file_lang) = crate::config::apply(&path, &mut args, lang, lang_given)?;
        maps = file_maps;
        if !lang_given && let Some(l) = file_lang {
            lang = l;
            crate::cli::set_lang(lang);
        }
    }
    if args.rosters.is_empty() {
        return Err(errors::NO_ROSTER.msg().into());
    }
    // `--map` adds header names, for the rosters its glob matches (every one without a glob).
    for m in &args.maps {
        maps.push(m.pattern.clone(), vec![m.map.clone()]);
    }
    let read = ReadOptions {
        delimiter: args.delimiter,
        encoding: args.encoding,
        overrides: Vec::new(),
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
            None => {
                return Err(errors::REPORT_UNKNOWN_FORMAT
                    .with("path", path.display())
                    .into());
            }
        },
        (None, None) => None,
    };

    // Every roster is opened, and its header checked, before any record is read.
    let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
    let mut stdin_taken = false;
    for path in &args.rosters {
        let mut opts = read.clone();
        opts.overrides = maps.for_roster(path);
        if path.as_os_str() == "-" {
            // `patronal check -`: a CSV roster on standard input, as xsv and qsv read it.
            if std::mem::replace(&mut stdin_taken, true) {
                return Err(errors::STDIN_TWICE.msg().into());
            }
            let stdin = io::stdin();
            if stdin.is_terminal() {
                return Err(errors::STDIN_TERMINAL.msg().into());
            }
            readers.push(Box::new(roster::csv::CsvRoster::from_reader(
                path,
                Box::new(stdin),
                &opts,
            )?));
            continue;
        }
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
    let fail_on = args.fail_on.unwrap_or(FailOn::Any);
    let show_table = args.output.is_none() && !args.quiet;
    // The news: with --quiet, what makes the exit status 1; with --compare, the newly
    // flagged employers, named in full in the summary.
    let news = if args.quiet {
        news_filter(fail_on, args.compare.is_some()).map(News::new)
    } else if args.compare.is_some() {
        Some(News::new(News::newly_flagged))
    } else {
        None
    };
    let mut sinks = Sinks {
        report,
        table: show_table.then(FlaggedTable::new),
        news,
    };

    let (bar, readers) = Progress::new(readers, !args.quiet, lang);
    let progress = |n: u64| bar.records(n);

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

    // The summary's time is the run's: from the start to the report in place.
    summary.elapsed = started.elapsed();
    if let Some(report) = sinks.report {
        bar.stage(args.output.as_deref());
        report
            .finish(&summary)
            .map_err(|e| report_cut(e, args.output.as_deref()))?;
    }
    bar.finish();
    if let Some(path) = &args.summary_json {
        summary.elapsed = started.elapsed();
        let json = serde_json::to_vec_pretty(&summary.to_json(true))?;
        report::write_atomic(path, &json)?;
    }
    summary.elapsed = started.elapsed();
    if let Some(table) = &sinks.table {
        let mut out = io::stdout().lock();
        table.print(&mut out, lang)?;
        if !table.is_empty() {
            // A blank line between the table (stdout) and the summary (stderr).
            writeln!(out)?;
        }
        out.flush()?;
    }
    let report_name = args.output.as_ref().map(|p| p.display().to_string());
    let code = exit_code(&summary, fail_on);
    if args.quiet {
        // Cron mails what a job prints: nothing on a quiet night; on a night with news, one
        // line per employer.
        if code != ExitCode::SUCCESS
            && let Some(news) = &sinks.news
        {
            // Standard output, unless the report goes there.
            let mut out: Box<dyn Write> =
                if args.output.as_deref() == Some(std::path::Path::new("-")) {
                    Box::new(io::stderr().lock())
                } else {
                    Box::new(io::stdout().lock())
                };
            let title = if fail_on == FailOn::New && summary.changes.is_some() {
                ui::NEWLY_FLAGGED
            } else {
                ui::FLAGGED
            };
            writeln!(out, "{}", title.with("n", news.count()).render(lang))?;
            news.print(&mut out, lang, report_name.as_deref())?;
            out.flush()?;
        }
    } else {
        let mut err = io::stderr().lock();
        print_summary(
            &mut err,
            &summary,
            sinks.news.as_ref(),
            report_name.as_deref(),
            lang,
        )
        .context(errors::CANNOT_PRINT.msg())?;
    }
    Ok(code)
}

/// Which records are news for `--quiet`, by `--fail-on`; `None` for `never`.
fn news_filter(fail_on: FailOn, compare: bool) -> Option<fn(&pipeline::Record) -> bool> {
    Some(match fail_on {
        FailOn::New if compare => News::newly_flagged,
        FailOn::New | FailOn::Any => |r| r.status.is_flagged(),
        FailOn::Invalid => |r| r.status == Status::Invalid,
        FailOn::InPerson => |r| r.status == Status::InPerson,
        FailOn::Never => return None,
    })
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
        Some(path) if broken => {
            let place = if path.as_os_str() == "-" {
                errors::STANDARD_OUTPUT.msg()
            } else {
                errors::ONE.with("a", path.display())
            };
            errors::REPORT_PIPE_CLOSED.with_msg("path", place).into()
        }
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
            errors::LOCK_CREATE
                .with("path", report.display())
                .with("lock", path.display())
        })?;
    let deadline = std::time::Instant::now() + Duration::from_secs(wait);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(errors::LOCK_BUSY
                    .with("path", report.display())
                    .with("secs", wait)
                    .into());
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| errors::LOCK_FAILED.with("path", path.display()));
            }
        }
    }
}

/// The options of the run as a person would type them, for the workbook's summary.
fn options_used(args: &CheckArgs) -> Vec<String> {
    let mut o = Vec::new();
    for m in &args.maps {
        o.push(format!("--map {m}"));
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
    o.push(format!(
        "--fail-on {}",
        args.fail_on.unwrap_or(FailOn::Any).as_str()
    ));
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

/// The report, the terminal table and the news, each optional.
struct Sinks {
    report: Option<Box<dyn ReportWriter>>,
    table: Option<FlaggedTable>,
    news: Option<News>,
}

impl Sink for Sinks {
    fn record(&mut self, record: &pipeline::Record) -> anyhow::Result<()> {
        if let Some(r) = self.report.as_deref_mut() {
            r.record(record)?;
        }
        if let Some(t) = self.table.as_mut() {
            t.record(record)?;
        }
        if let Some(n) = self.news.as_mut() {
            n.record(record)?;
        }
        Ok(())
    }

    fn text(&mut self, text: &[u8]) -> anyhow::Result<bool> {
        match (&mut self.report, &self.table, &self.news) {
            (Some(report), None, None) => report.text(text),
            _ => Ok(false),
        }
    }
}
