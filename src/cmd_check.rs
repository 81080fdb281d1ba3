//! `patronal check`: rosters in, report out, exit status for cron.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::terminal::{FlaggedTable, Lists, News, print_skipped, print_summary};
use anyhow::Context;
use patronal_core::Lang;
use patronal_core::compare::Previous;
use patronal_core::finding::Verdict;
use patronal_core::i18n::{errors, ui};
use patronal_core::pipeline::{self, RunOptions};
use patronal_core::report::summary::{SkippedFile, Summary};
use patronal_core::report::{Format, ReportError, ReportOptions};
use patronal_core::report::{Record, Sink};
use patronal_core::roster::{self, RowReader};

use crate::guard::{self, Role};
use crate::marked::Copies;
use crate::output::{self, Report};
use crate::progress::Progress;
use crate::settings::{CheckSettings, Compare, FailOn};
use patronal_core::report::marked::Marks;

/// The run, step by step: the rosters opened (after refusing to write over any input), the
/// reports locked and created, every record checked, the reports moved into place, what a
/// person reads printed; the exit status by `--fail-on`.
pub fn run(settings: &CheckSettings, lang: Lang) -> anyhow::Result<ExitCode> {
    // The time the summary reports is the whole run's, the reports' writing included.
    let started = Instant::now();
    let cancel = cancel_on_signal()?;
    if !settings.quiet {
        for note in &settings.notes {
            eprintln!("patronal: {}", note.render(lang));
        }
    }
    let rosters = rosters_to_read(settings, lang)?;
    let copies = match (&settings.marked, &settings.marked_file) {
        (Some(dir), _) => Some(Copies::plan(dir, &rosters, settings.quiet, lang)?),
        (None, Some(file)) => Some(Copies::one(file, &rosters)?),
        (None, None) => None,
    };
    let written = refuse_overwrite(settings, &rosters, copies.as_ref())?;
    if let Some(copies) = &copies {
        copies.create_dir()?;
    }
    // After the copies' folder exists: each copy is locked beside it, like every report.
    let locks = output::lock_reports(&written, settings.lock_wait)?;
    let (readers, skipped) = open_rosters(settings, &rosters, lang)?;
    let sources: Vec<_> = readers.iter().map(|r| r.source().clone()).collect();
    // Opened once, now: a failure shows before the long run, and a FIFO's reader gets it all.
    let summary_out = match &settings.summary_json {
        Some(path) => Some(output::Output::create(path)?),
        None => None,
    };
    let mut sinks = Sinks::new(settings, &sources, lang)?;
    sinks.summary_out = summary_out;
    sinks.marks = copies.as_ref().map(|_| Marks::new(&sources));
    let (bar, readers) = Progress::new(readers, !settings.quiet, lang);
    let mut summary = check_records(settings, readers, cancel, &mut sinks, &bar, lang)?;
    summary.skipped_files = skipped;
    let marked = write_reports(
        settings,
        &mut sinks,
        copies.as_ref(),
        &mut summary,
        &bar,
        started,
        lang,
    )?;
    drop(locks);
    summary.elapsed = started.elapsed();
    let code = exit_code(&summary, settings.fail_on);
    // What is shown into a pipe that was closed (`| head -1`) is a reader's choice: the exit
    // status, which is what cron reads, stays the run's.
    if let Err(e) = tell(settings, &summary, &sinks, code, lang)
        && !crate::error::is_broken_pipe(&e)
    {
        return Err(e);
    }
    if !marked.is_empty() && !settings.quiet {
        let list: Vec<String> = marked.iter().map(|p| p.display().to_string()).collect();
        let line = patronal_core::i18n::marked::MARKED_WROTE
            .with("list", list.join(", "))
            .render(lang);
        crate::error::note(&patronal_core::text::sanitize(&line));
    }
    Ok(code)
}

/// Ctrl-C, SIGTERM (a scheduler stopping the job) or SIGHUP stops the run cleanly (the
/// temporary report is removed); a second one stops it at once, and the next run removes
/// what it left (see `report::temp_beside`).
fn cancel_on_signal() -> anyhow::Result<Arc<AtomicBool>> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .context(errors::SIGNAL_HANDLER.msg())?;
    output::set_cancel(Arc::clone(&cancel));
    Ok(cancel)
}

/// The rosters to read: a report given as one (`check informes/*`) is skipped with a
/// note, decided before anything is read; an office program's lock file beside a workbook
/// (`~$clientes.xlsx`, `.~lock.clientes.xlsx#`) is never a roster, and is skipped without
/// a word.
fn rosters_to_read(settings: &CheckSettings, lang: Lang) -> anyhow::Result<Vec<&Path>> {
    let mut rosters = Vec::with_capacity(settings.rosters.len());
    let mut locks = 0;
    for path in &settings.rosters {
        if crate::config::is_lock_file(path) {
            locks += 1;
            continue;
        }
        if guard::is_report(path) {
            note_skipped(path, lang);
        } else {
            rosters.push(path.as_path());
        }
    }
    if rosters.is_empty() {
        if locks == settings.rosters.len() {
            return Err(errors::NO_ROSTER_ONLY_LOCKS.msg().into());
        }
        return Err(errors::NO_ROSTER_ONLY_REPORTS.msg().into());
    }
    Ok(rosters)
}

/// A roster skipped as a report is told even with `--quiet`: a file given and not checked
/// is never silent.
fn note_skipped(path: &Path, lang: Lang) {
    let path = patronal_core::text::sanitize(&path.display().to_string()).into_owned();
    crate::error::note(&ui::REPORT_SKIPPED.with("path", path).render(lang));
}

/// No input is ever written, and every output can be created: both decided before anything
/// is read. Returns the files the run writes.
fn refuse_overwrite<'a>(
    settings: &'a CheckSettings,
    rosters: &[&'a Path],
    copies: Option<&'a Copies>,
) -> anyhow::Result<Vec<&'a Path>> {
    let mut inputs: Vec<(&Path, Role)> = rosters.iter().map(|p| (*p, Role::Roster)).collect();
    inputs.extend(
        settings
            .catastro
            .iter()
            .map(|p| (p.as_path(), Role::Catastro)),
    );
    if let Some(config) = &settings.config {
        inputs.push((config.as_path(), Role::Config));
    }
    let written: Vec<&Path> = settings
        .reports
        .iter()
        .map(|(p, _)| p.as_path())
        .chain(settings.summary_json.as_deref())
        .chain(copies.into_iter().flat_map(Copies::paths))
        .collect();
    // `compare = "previous"` may pick today's own report (a second run the same day): it is
    // read whole before anything is written, and replaced only at the end. Any other output
    // (the summary JSON, a lock), and any output of a `--compare` flag, is refused.
    if let Some(compare) = &settings.compare
        && let Some(path) = &compare.path
    {
        // A file named must exist: a typo is not a first night (every employer news).
        std::fs::metadata(path).map_err(|e| {
            errors::PREVIOUS_CANNOT_READ
                .with("path", path.display())
                .with_msg("reason", patronal_core::i18n::io_reason(&e))
        })?;
        let own_report = !compare.given
            && settings
                .reports
                .iter()
                .any(|(p, _)| guard::same_file(p, path));
        if !own_report {
            inputs.push((path.as_path(), Role::Previous));
        }
    }
    guard::refuse_overwrite(&inputs, &written)?;
    // The copies' folder is created once nothing is refused.
    let copies: Vec<&Path> = copies.into_iter().flat_map(Copies::paths).collect();
    for path in written.iter().filter(|p| !copies.contains(p)) {
        check_target(path)?;
    }
    Ok(written)
}

/// Files whose rosters stay open from their check to their turn; the later ones are opened
/// again when their turn comes ([`Later`]).
const OPEN_AT_ONCE: usize = 16;

/// Every roster opened, and its header checked, before any record is read. Past the first
/// [`OPEN_AT_ONCE`] files, each is closed once checked and opened again in its turn: a run
/// never holds more than that many rosters open (1,500 rosters under `ulimit -n 1024` ended
/// with "Too many open files", blaming the 1,020th, a good file). A report that the reader
/// took for a roster (a CSV report under title lines) is skipped with a note. A roster that
/// cannot be used (unreadable, no RUC column, not a workbook) is set aside with its reason,
/// and every other one is checked (the run then exits 2); when none can be used, the run
/// stops, naming each.
fn open_rosters(settings: &CheckSettings, rosters: &[&Path], lang: Lang) -> anyhow::Result<Opened> {
    let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
    let mut skipped: Vec<(SkippedFile, anyhow::Error)> = Vec::new();
    let mut stdin_taken = false;
    let mut files_open = 0;
    for &path in rosters {
        let opts = settings.read_options(path);
        if path.as_os_str() == "-" {
            // `patronal check -`: a CSV roster on standard input, as xsv and qsv read it.
            if std::mem::replace(&mut stdin_taken, true) {
                return Err(errors::STDIN_TWICE.msg().into());
            }
            let stdin = io::stdin();
            if stdin.is_terminal() {
                return Err(errors::STDIN_TERMINAL.msg().into());
            }
            // Its first bytes may be long in coming: a signal still ends the run.
            let name = path.to_owned();
            let reader = output::interruptible(move || {
                roster::csv::CsvRoster::from_reader(&name, Box::new(stdin), &opts)
            })??;
            readers.push(Box::new(reader));
            continue;
        }
        // A FIFO blocks in its opening until a writer comes: a signal still ends the run.
        let meta = std::fs::metadata(path).ok();
        let regular = meta.as_ref().is_some_and(|m| m.is_file());
        let result = if meta.is_some_and(|m| !m.is_file() && !m.is_dir()) {
            let (name, opts) = (path.to_owned(), opts.clone());
            output::interruptible(move || roster::open_noted(&name, &opts))?
        } else {
            roster::open_noted(path, &opts)
        };
        let opened = match result {
            Ok(opened) => opened,
            Err(e) => {
                let e = anyhow::Error::new(e);
                skipped.push((skipped_file(path, &e, lang), e));
                continue;
            }
        };
        if opened
            .readers
            .iter()
            .any(|r| patronal_core::report::is_report_header(&r.source().headers))
        {
            note_skipped(path, lang);
            continue;
        }
        if let Some(note) = &opened.note
            && !settings.quiet
        {
            let note = errors::NOTE.with_msg("note", note.clone()).render(lang);
            eprintln!("patronal: {}", patronal_core::text::sanitize(&note));
        }
        if regular && files_open >= OPEN_AT_ONCE {
            readers.extend(Later::instead_of(opened.readers, path, opts));
        } else {
            files_open += usize::from(regular);
            readers.extend(opened.readers);
        }
    }
    if readers.is_empty() {
        // Nothing to check: each roster that could not be used is named, the last as the
        // run's error.
        let Some((_, last)) = skipped.pop() else {
            return Err(errors::NO_ROSTER_ONLY_REPORTS.msg().into());
        };
        for (_, e) in &skipped {
            let text = crate::error::render(e, lang);
            eprintln!("patronal: {}", patronal_core::text::sanitize(&text));
        }
        return Err(last);
    }
    Ok((readers, skipped.into_iter().map(|(s, _)| s).collect()))
}

/// The rosters opened, and those set aside with why.
type Opened = (Vec<Box<dyn RowReader>>, Vec<SkippedFile>);

/// A roster set aside: its path as given, and why, in the run's language (without the path
/// the message starts with).
fn skipped_file(path: &Path, error: &anyhow::Error, lang: Lang) -> SkippedFile {
    let source = path.display().to_string();
    let text = crate::error::render(error, lang);
    let reason = text
        .strip_prefix(&format!("{source}: "))
        .map_or_else(|| text.clone(), str::to_owned);
    SkippedFile {
        source: patronal_core::text::sanitize(&source).into_owned(),
        reason: patronal_core::text::sanitize(&reason).into_owned(),
    }
}

/// Every record through the checks into the sinks; the summary with the catastro's loads
/// and the employers gone since the previous report.
fn check_records(
    settings: &CheckSettings,
    readers: Vec<Box<dyn RowReader>>,
    cancel: Arc<AtomicBool>,
    sinks: &mut Sinks,
    bar: &Progress,
    lang: Lang,
) -> anyhow::Result<Summary> {
    let (catastro, catastro_loads) = crate::cmd_catastro::load(&settings.catastro)?;
    let previous = match &settings.compare {
        Some(Compare {
            path: Some(path), ..
        }) => Some(Arc::new(Previous::load(path)?)),
        // The first run of a schedule has no previous report: every record is new.
        Some(Compare { path: None, .. }) => {
            crate::error::note(&ui::NO_PREVIOUS_REPORT.render(lang));
            Some(Arc::new(Previous::empty()))
        }
        None => None,
    };
    let opts = RunOptions {
        catastro,
        previous: previous.clone(),
        cancel: Some(cancel),
        threads: settings.threads,
        only_flagged: settings.only_flagged,
    };
    let progress = |n: u64| bar.records(n);
    let mut summary = pipeline::run(readers, &opts, sinks, &progress).map_err(|e| {
        let e = sinks.failure.take().unwrap_or_else(|| e.into());
        report_cut(e, &settings.reports)
    })?;
    summary.options = settings.options.clone();
    summary.catastro = catastro_loads;
    if let Some(previous) = &previous {
        let changes = summary.changes.get_or_insert_with(Default::default);
        (changes.disappeared, changes.disappeared_count) = previous.disappeared();
    }
    Ok(summary)
}

/// Every output is written in full before any is moved into place: a failure in any (exit
/// 2) leaves every earlier file as it was. The summary's time is the run's: from the start
/// to the reports in place.
fn write_reports(
    settings: &CheckSettings,
    sinks: &mut Sinks,
    copies: Option<&Copies>,
    summary: &mut Summary,
    bar: &Progress,
    started: Instant,
    lang: Lang,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut ready = Vec::new();
    for (report, (path, _)) in sinks.reports.drain(..).zip(&settings.reports) {
        summary.elapsed = started.elapsed();
        bar.stage(Some(path));
        ready.push(
            report
                .finish(summary)
                .map_err(|e| report_cut(e, &settings.reports))?,
        );
    }
    let mut marked = Vec::new();
    if let (Some(copies), Some(marks)) = (copies, &sinks.marks) {
        let stage = |path: &Path| bar.stage(Some(path));
        for (path, r) in copies.write(marks, settings, lang, &stage)? {
            marked.push(path);
            ready.push(r);
        }
    }
    bar.finish();
    if let (Some(path), Some(mut out)) = (&settings.summary_json, sinks.summary_out.take()) {
        summary.elapsed = started.elapsed();
        // Streamed into the file opened at the start (once: a FIFO opened twice gives its
        // reader nothing); the employers gone since the previous report may be many.
        serde_json::to_writer_pretty(&mut out, &summary.to_json(true))
            .with_context(|| errors::CANNOT_WRITE.with("path", path.display()))?;
        ready.push(out.finish()?);
    }
    let now = std::time::SystemTime::now();
    for r in &ready {
        r.stamp(now);
    }
    for r in ready {
        r.commit()?;
    }
    Ok(marked)
}

/// What a person reads: the flagged records when there is no report; then the summary on
/// stderr, or with --quiet only the news, on a night with any, and the rosters set aside.
fn tell(
    settings: &CheckSettings,
    summary: &Summary,
    sinks: &Sinks,
    code: ExitCode,
    lang: Lang,
) -> anyhow::Result<()> {
    print_table(sinks, lang)?;
    // The report a person opens: the workbook, when one is written.
    let report_name = settings
        .reports
        .iter()
        .find(|(_, f)| *f == Format::Xlsx)
        .or(settings.reports.first())
        .map(|(p, _)| p.display().to_string());
    if settings.quiet {
        if code != ExitCode::SUCCESS {
            print_news(settings, summary, sinks, report_name.as_deref(), lang)?;
        }
        return Ok(());
    }
    let mut err = io::stderr().lock();
    // The rows that repeated a header (two exports joined, a header pasted again): skipped.
    for (file, source) in summary.files.iter().zip(&summary.sources) {
        if file.header_rows > 0 {
            let place = patronal_core::text::sanitize(&source.label()).into_owned();
            let note = ui::HEADER_REPEATED
                .with("place", place)
                .with("row", file.first_header_row)
                .with("n", file.header_rows);
            writeln!(err, "{}", note.render(lang)).context(errors::CANNOT_PRINT.msg())?;
        }
    }
    print_summary(
        &mut err,
        summary,
        Lists {
            news: sinks.news.as_ref(),
            fixed: sinks.fixed.as_ref(),
        },
        report_name.as_deref(),
        lang,
    )
    .context(errors::CANNOT_PRINT.msg())
}

/// The flagged records on stdout, when there is no report.
fn print_table(sinks: &Sinks, lang: Lang) -> anyhow::Result<()> {
    let Some(table) = &sinks.table else {
        return Ok(());
    };
    let mut out = io::stdout().lock();
    table.print(&mut out, lang)?;
    if !table.is_empty() {
        // A blank line between the table (stdout) and the summary (stderr).
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// Cron mails what a job prints: nothing on a quiet night; on a night with news, one line
/// per employer, and the rosters that could not be used; on standard output unless the
/// report goes there.
fn print_news(
    settings: &CheckSettings,
    summary: &Summary,
    sinks: &Sinks,
    report_name: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut out: Box<dyn Write> = if settings.reports.iter().any(|(p, _)| p.as_os_str() == "-") {
        Box::new(io::stderr().lock())
    } else {
        Box::new(io::stdout().lock())
    };
    print_skipped(&mut out, summary, lang)?;
    if let Some(news) = sinks.news.as_ref().filter(|n| n.count() > 0) {
        let title = if settings.fail_on == FailOn::New && summary.changes.is_some() {
            ui::NEWLY_FLAGGED
        } else {
            ui::FLAGGED
        };
        writeln!(out, "{}", title.count("n", news.count()).render(lang))?;
        news.print(&mut out, lang, report_name)?;
    }
    if let Some(report) = report_name.filter(|_| !summary.skipped_files.is_empty()) {
        // A night that set a roster aside still wrote its reports: say where.
        writeln!(
            out,
            "{}",
            ui::OTHERS_CHECKED
                .with("report", patronal_core::text::sanitize(report))
                .render(lang)
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Which records are news for `--quiet`, by `--fail-on`; `None` for `never`.
fn news_filter(fail_on: FailOn, compare: bool) -> Option<fn(&Record) -> bool> {
    Some(match fail_on {
        FailOn::New if compare => News::newly_flagged,
        FailOn::New | FailOn::Any => |r| r.status.is_flagged(),
        FailOn::Invalid => |r| r.status == Verdict::Invalid,
        FailOn::InPerson => |r| r.status == Verdict::InPerson,
        FailOn::Never => return None,
    })
}

/// A closed pipe is a quiet success only for what is shown (`check x.csv | head`): when a
/// report went into the pipe (`-o -`, a FIFO) and its reader left, the report is
/// incomplete, and the run must not look like a success.
fn report_cut(err: anyhow::Error, reports: &[(PathBuf, Format)]) -> anyhow::Error {
    let broken = err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    // The report that is a pipe: standard output, or a FIFO.
    let piped = reports.iter().map(|(p, _)| p).find(|p| {
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

/// 2 when a roster was set aside (cron must still see a failure); else by `--fail-on`.
fn exit_code(summary: &Summary, fail_on: FailOn) -> ExitCode {
    if !summary.skipped_files.is_empty() {
        return ExitCode::from(2);
    }
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
    table: Option<FlaggedTable>,
    news: Option<News>,
    /// With `--compare` (not `--quiet`): the employers fixed since, named in the summary.
    fixed: Option<News>,
    /// The summary JSON's file (`--summary-json`), opened before the records are read.
    summary_out: Option<output::Output>,
    /// What the marked copies need (`--marked`).
    marks: Option<Marks>,
    /// The first report that failed, with its file named: the core's sink error cannot
    /// carry this crate's context, so the run's error is replaced by this one.
    failure: Option<anyhow::Error>,
}

impl Sinks {
    /// The reports, created beside their targets; without a report, the table; and the
    /// news: with --quiet, what makes the exit status 1; with --compare, the newly flagged
    /// employers, named in full in the summary.
    fn new(
        settings: &CheckSettings,
        sources: &[Arc<roster::Source>],
        lang: Lang,
    ) -> anyhow::Result<Sinks> {
        let report_opts = ReportOptions {
            lang,
            compare: settings.compare.is_some(),
            csv_delimiter: settings.csv_delimiter,
        };
        let mut reports = Vec::with_capacity(settings.reports.len());
        for (path, format) in &settings.reports {
            reports.push(Report::create(*format, path, sources, report_opts)?);
        }
        let show_table = settings.reports.is_empty() && !settings.quiet;
        let news = if settings.quiet {
            news_filter(settings.fail_on, settings.compare.is_some()).map(News::new)
        } else if settings.compare.is_some() {
            Some(News::new(News::newly_flagged))
        } else {
            None
        };
        let fixed = (settings.compare.is_some() && !settings.quiet).then(|| News::new(News::fixed));
        Ok(Sinks {
            reports,
            table: show_table.then(FlaggedTable::new),
            news,
            fixed,
            summary_out: None,
            marks: None,
            failure: None,
        })
    }
}

impl Sink for Sinks {
    fn record(&mut self, record: &Record) -> Result<(), ReportError> {
        for report in &mut self.reports {
            if let Err(e) = report.record(record) {
                // Kept for the run's end; the core gets a plain error to stop on.
                self.failure = Some(e);
                return Err(ReportError::Io(io::Error::other("report failed")));
            }
        }
        if let Some(t) = self.table.as_mut() {
            t.record(record)?;
        }
        if let Some(n) = self.news.as_mut() {
            n.record(record)?;
        }
        if let Some(n) = self.fixed.as_mut() {
            n.record(record)?;
        }
        if let Some(m) = self.marks.as_mut() {
            m.record(record)?;
        }
        Ok(())
    }
}

/// The roster file a [`Later`] reader opens again: its tables, each taken by its reader.
struct Reopen {
    path: PathBuf,
    opts: roster::ReadOptions,
    tables: Option<Vec<Option<Box<dyn RowReader>>>>,
}

/// A table whose file was opened and checked, then closed: opened again, with every other
/// table of its file, on its first read, and closed when the run is done with it. Its
/// header must be the one checked, or the file changed in between (exit 2).
struct Later {
    source: Arc<roster::Source>,
    index: usize,
    hint: Option<u64>,
    total: Option<u64>,
    file: Arc<std::sync::Mutex<Reopen>>,
    inner: Option<Box<dyn RowReader>>,
}

impl Later {
    /// Readers for the tables `opened` of `path`, which are closed.
    fn instead_of(
        opened: Vec<Box<dyn RowReader>>,
        path: &Path,
        opts: roster::ReadOptions,
    ) -> Vec<Box<dyn RowReader>> {
        let file = Arc::new(std::sync::Mutex::new(Reopen {
            path: path.to_owned(),
            opts,
            tables: None,
        }));
        opened
            .into_iter()
            .enumerate()
            .map(|(index, r)| {
                Box::new(Later {
                    source: Arc::clone(r.source()),
                    index,
                    hint: r.records_hint(),
                    total: r.progress().map(|(_, total)| total),
                    file: Arc::clone(&file),
                    inner: None,
                }) as Box<dyn RowReader>
            })
            .collect()
    }

    fn inner(&mut self) -> Result<&mut Box<dyn RowReader>, roster::RosterError> {
        if self.inner.is_none() {
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            if file.tables.is_none() {
                let tables = roster::open(&file.path, &file.opts)?;
                file.tables = Some(tables.into_iter().map(Some).collect());
            }
            let taken = file
                .tables
                .as_mut()
                .and_then(|t| t.get_mut(self.index))
                .and_then(Option::take)
                .filter(|r| {
                    let (a, b) = (r.source(), &self.source);
                    a.sheet == b.sheet && a.headers == b.headers && a.dialect == b.dialect
                });
            match taken {
                Some(reader) => self.inner = Some(reader),
                None => {
                    return Err(roster::RosterError::Unusable {
                        path: file.path.display().to_string(),
                        reason: errors::ROSTER_CHANGED.msg(),
                    });
                }
            }
        }
        match &mut self.inner {
            Some(reader) => Ok(reader),
            None => unreachable!("opened above"),
        }
    }
}

impl RowReader for Later {
    fn source(&self) -> &Arc<roster::Source> {
        &self.source
    }

    fn read(&mut self, record: &mut roster::Cells) -> Result<Option<u64>, roster::RosterError> {
        self.inner()?.read(record)
    }

    fn blank_rows(&self) -> u64 {
        self.inner.as_ref().map_or(0, |r| r.blank_rows())
    }

    fn malformed(&mut self) -> Option<(u64, u64)> {
        self.inner.as_mut()?.malformed()
    }

    fn records_hint(&self) -> Option<u64> {
        self.hint
    }

    fn progress(&self) -> Option<(u64, u64)> {
        match &self.inner {
            Some(reader) => reader.progress(),
            None => self.total.map(|total| (0, total)),
        }
    }
}
