//! `patronal check`: rosters in, report out, exit status for cron.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use patronal_core::Lang;
use patronal_core::compare::Previous;
use patronal_core::i18n::{errors, ui};
use patronal_core::pipeline::{self, RunOptions, Sink};
use patronal_core::report::summary::Summary;
use patronal_core::report::terminal::{FlaggedTable, News, print_summary};
use patronal_core::report::{Format, ReportError, ReportOptions};
use patronal_core::roster::{self, ReadOptions, RowReader};
use patronal_core::rules::Status;

use crate::cli::{CheckArgs, FailOn, FormatArg};
use crate::guard::{self, Role};
use crate::output::{self, Report};
use crate::progress::Progress;

pub fn run(mut args: CheckArgs, lang_given: bool, mut lang: Lang) -> anyhow::Result<ExitCode> {
    // The time the summary reports is the whole run's, the reports' writing included.
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
    // A `--compare` given on the command line, not picked by the config.
    let compare_given = args.compare.is_some();
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
    let mut outputs = Vec::with_capacity(args.output.len());
    for path in &args.output {
        outputs.push((path.clone(), report_format(path, args.format)?));
    }

    // No input is ever written, and no report is read as a roster: both decided before
    // anything is read.
    let note = |path: &Path| {
        if !args.quiet {
            let path = patronal_core::text::sanitize(&path.display().to_string()).into_owned();
            eprintln!("{}", ui::REPORT_SKIPPED.with("path", path).render(lang));
        }
    };
    let mut rosters = Vec::with_capacity(args.rosters.len());
    for path in &args.rosters {
        if guard::is_report(path) {
            note(path);
        } else {
            rosters.push(path.clone());
        }
    }
    if rosters.is_empty() {
        return Err(errors::NO_ROSTER_ONLY_REPORTS.msg().into());
    }
    let mut inputs: Vec<(&Path, Role)> = rosters
        .iter()
        .map(|p| (p.as_path(), Role::Roster))
        .collect();
    inputs.extend(args.catastro.iter().map(|p| (p.as_path(), Role::Catastro)));
    // `compare = "previous"` may pick today's own report (a second run the same day): it is
    // read whole before anything is written, and replaced only at the end. A `--compare`
    // flag naming an output is refused.
    if compare_given {
        inputs.extend(args.compare.iter().map(|p| (p.as_path(), Role::Previous)));
    }
    let written: Vec<&Path> = outputs
        .iter()
        .map(|(p, _)| p.as_path())
        .chain(args.summary_json.as_deref())
        .collect();
    guard::refuse_overwrite(&inputs, &written)?;
    for path in &written {
        check_target(path)?;
    }

    // Every roster is opened, and its header checked, before any record is read.
    let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
    let mut stdin_taken = false;
    for path in &rosters {
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
        let opened = roster::open(path, &opts)?;
        // A report that the reader took for a roster (a CSV report under title lines).
        if opened
            .iter()
            .any(|r| patronal_core::report::is_report_header(&r.source().headers))
        {
            note(path);
            continue;
        }
        readers.extend(opened);
    }
    if readers.is_empty() {
        return Err(errors::NO_ROSTER_ONLY_REPORTS.msg().into());
    }
    let sources: Vec<_> = readers.iter().map(|r| r.source().clone()).collect();
    if let Some(path) = &args.summary_json {
        output::check_writable(path)?;
    }
    // Two overlapping runs (cron) never write the same report at once. Devices and pipes
    // (`/dev/stdout`) are not locked: there is no file to clobber.
    let mut lock_paths: Vec<&Path> = written
        .iter()
        .copied()
        .filter(|p| p.as_os_str() != "-" && std::fs::metadata(p).map_or(true, |m| m.is_file()))
        .collect();
    // Always in the same order: two runs with the same outputs never wait on each other.
    lock_paths.sort();
    let mut locks = Vec::with_capacity(lock_paths.len());
    for path in lock_paths {
        locks.push(ReportLock::acquire(path, args.lock_wait)?);
    }
    let report_opts = ReportOptions {
        lang,
        compare: args.compare.is_some(),
        csv_delimiter: args
            .csv_delimiter
            .unwrap_or_else(|| ReportOptions::default_delimiter(lang)),
    };
    let mut reports = Vec::with_capacity(outputs.len());
    for (path, format) in &outputs {
        reports.push(Report::create(*format, path, &sources, report_opts)?);
    }
    // The first report that renders its text in the parallel stage gets it.
    let rendered = reports.iter().position(|r| r.renderer().is_some());
    let renderer = rendered.and_then(|i| reports[i].renderer());
    let fail_on = args.fail_on.unwrap_or(FailOn::Any);
    let show_table = args.output.is_empty() && !args.quiet;
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
        reports,
        failure: None,
        rendered,
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
        renderer,
    };
    let mut summary = pipeline::run(readers, &opts, &mut sinks, &progress)
        .map_err(|e| report_cut(sinks.failure.take().unwrap_or(e.into()), &args.output))?;
    summary.options = options_used(&args);
    summary.catastro = catastro_loads;
    if let Some(previous) = &previous {
        let changes = summary.changes.get_or_insert_with(Default::default);
        changes.disappeared = previous.disappeared().cloned().collect();
    }

    // Every output is written in full before any is moved into place: a failure in any
    // (exit 2) leaves every earlier file as it was. The summary's time is the run's: from
    // the start to the reports in place.
    let mut ready = Vec::new();
    for (report, (path, _)) in sinks.reports.drain(..).zip(&outputs) {
        summary.elapsed = started.elapsed();
        bar.stage(Some(path));
        ready.push(
            report
                .finish(&summary)
                .map_err(|e| report_cut(e, &args.output))?,
        );
    }
    bar.finish();
    if let Some(path) = &args.summary_json {
        summary.elapsed = started.elapsed();
        let json = serde_json::to_vec_pretty(&summary.to_json(true))?;
        ready.push(output::write_ready(path, &json)?);
    }
    for r in ready {
        r.commit()?;
    }
    drop(locks);
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
    let report_name = args.output.first().map(|p| p.display().to_string());
    let code = exit_code(&summary, fail_on);
    if args.quiet {
        // Cron mails what a job prints: nothing on a quiet night; on a night with news, one
        // line per employer.
        if code != ExitCode::SUCCESS
            && let Some(news) = &sinks.news
        {
            // Standard output, unless the report goes there.
            let mut out: Box<dyn Write> = if args.output.iter().any(|p| p.as_os_str() == "-") {
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

/// A closed pipe is a quiet success only for what is shown (`check x.csv | head`): when a
/// report went into the pipe (`-o -`, a FIFO) and its reader left, the report is
/// incomplete, and the run must not look like a success.
fn report_cut(err: anyhow::Error, reports: &[PathBuf]) -> anyhow::Error {
    let broken = err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    // The report that is a pipe: standard output, or a FIFO.
    let piped = reports.iter().find(|p| {
        p.as_os_str() == "-" || std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir())
    });
    match piped {
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

/// The format of the report at `path`: `--format`, else the extension's. A name without a
/// known extension is refused, listing the formats (`-o r.txt` would otherwise be a CSV
/// file that nothing opens as one).
fn report_format(path: &Path, format: Option<FormatArg>) -> anyhow::Result<Format> {
    Ok(match format {
        Some(FormatArg::Jsonl) => Format::Jsonl,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Xlsx) => Format::Xlsx,
        None if path.as_os_str() == "-" => Format::Jsonl,
        None => match Format::from_path(path) {
            Some(f) => f,
            None => {
                return Err(errors::REPORT_UNKNOWN_FORMAT
                    .with("path", path.display())
                    .into());
            }
        },
    })
}

/// Refuses an output that cannot be created, naming the cause once: its folder is missing,
/// or it is a folder.
fn check_target(path: &Path) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        return Err(errors::REPORT_IS_FOLDER.with("path", path.display()).into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(errors::REPORT_NO_FOLDER
            .with("path", path.display())
            .with("folder", dir.display())
            .into());
    }
    Ok(())
}

/// The lock of a report: `<report>.lock` beside it, held by the OS (so that it is released
/// with the process, even one that is killed), and removed when the run ends, so that no
/// `.lock` file stays beside the reports. Removing a lock file that another run is waiting
/// on is safe: a run that gets the lock checks that the file it locked is still the one at
/// that path, and starts over otherwise.
struct ReportLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl ReportLock {
    /// Waits up to `wait` seconds for another run.
    fn acquire(report: &Path, wait: u64) -> anyhow::Result<ReportLock> {
        let mut name = report.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = report.with_file_name(name);
        let deadline = std::time::Instant::now() + Duration::from_secs(wait);
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .with_context(|| errors::REPORT_CANNOT_CREATE.with("path", report.display()))?;
            match file.try_lock() {
                Ok(()) if same_file(&file, &path) => {
                    return Ok(ReportLock { path, _file: file });
                }
                // The run that held it removed it: lock the new one.
                Ok(()) => continue,
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
                    return Err(e)
                        .with_context(|| errors::LOCK_FAILED.with("path", path.display()));
                }
            }
        }
    }
}

impl Drop for ReportLock {
    fn drop(&mut self) {
        // Removed while still locked: a waiting run then finds it gone and starts over.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `file` is still the file at `path` (not removed, nor replaced).
#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Windows refuses to remove a file another process has open: the lock file in place is the
/// one locked.
#[cfg(not(unix))]
fn same_file(_file: &std::fs::File, path: &Path) -> bool {
    path.exists()
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

/// The reports, the terminal table and the news.
struct Sinks {
    reports: Vec<Report>,
    /// The report whose text the parallel stage renders.
    rendered: Option<usize>,
    table: Option<FlaggedTable>,
    news: Option<News>,
    /// The first report that failed, with its file named: the core's sink error cannot
    /// carry this crate's context, so the run's error is replaced by this one.
    failure: Option<anyhow::Error>,
}

impl Sinks {
    /// Keeps a report's error for the run's end; the core gets a plain one to stop on.
    fn fail(&mut self, e: anyhow::Error) -> ReportError {
        self.failure = Some(e);
        ReportError::Io(io::Error::other("report failed"))
    }
}

impl Sink for Sinks {
    fn record(&mut self, record: &pipeline::Record) -> Result<(), ReportError> {
        for i in 0..self.reports.len() {
            let result = if Some(i) == self.rendered {
                self.reports[i].record(record)
            } else {
                // The text rendered in the parallel stage is another report's.
                self.reports[i].record(&pipeline::Record {
                    rendered: None,
                    ..*record
                })
            };
            if let Err(e) = result {
                return Err(self.fail(e));
            }
        }
        if let Some(t) = self.table.as_mut() {
            t.record(record)?;
        }
        if let Some(n) = self.news.as_mut() {
            n.record(record)?;
        }
        Ok(())
    }

    fn text(&mut self, text: &[u8]) -> Result<bool, ReportError> {
        let result = match (&mut self.reports[..], &self.table, &self.news) {
            ([report], None, None) => report.text(text),
            _ => Ok(false),
        };
        result.map_err(|e| self.fail(e))
    }
}
