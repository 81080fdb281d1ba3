//! Where reports go: a temporary file beside the target, renamed over it only when the run
//! succeeds, and only once every output of the run has been written ([`Ready`]); standard
//! output; a device or a pipe, written in place. The core renders a report into any
//! `Write`; this module gives it the file and names the file in every error. Two runs never
//! write the same report at once: each holds a lock beside it ([`lock_reports`]).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use patronal_core::i18n::errors;
use patronal_core::report::Record;
use patronal_core::report::summary::Summary;
use patronal_core::report::{self, Format, ReportError, ReportOptions, ReportWriter};
use patronal_core::roster::Source;

/// A report of the run: the core's writer over its file, and where the file goes.
pub enum Report {
    /// A text format, written as it goes.
    Text {
        writer: Box<dyn ReportWriter<Output>>,
        target: PathBuf,
    },
    /// The workbook, which seeks: written into a spool file.
    Book {
        writer: Box<dyn ReportWriter<Spool>>,
        target: PathBuf,
    },
}

impl Report {
    /// The writer for `format` at `target` (`-` is standard output).
    pub fn create(
        format: Format,
        target: &Path,
        sources: &[Arc<Source>],
        opts: ReportOptions,
    ) -> anyhow::Result<Report> {
        let target_buf = target.to_owned();
        let context = || errors::REPORT_CANNOT_WRITE.with("path", target.display());
        Ok(match format {
            Format::Xlsx => {
                let spool = Spool::create(target)?;
                Report::Book {
                    writer: report::create(format, spool, sources, opts).with_context(context)?,
                    target: target_buf,
                }
            }
            _ => {
                let out = Output::create(target)?;
                Report::Text {
                    writer: report::create_text(format, out, sources, opts)
                        .with_context(context)?,
                    target: target_buf,
                }
            }
        })
    }

    fn failed(&self, e: ReportError) -> anyhow::Error {
        match self {
            Report::Text { target, .. } => failed(e, target, true),
            Report::Book { target, .. } => failed(e, target, false),
        }
    }

    /// Takes the next record.
    pub fn record(&mut self, record: &Record) -> anyhow::Result<()> {
        let result = match self {
            Report::Text { writer, .. } => writer.record(record),
            Report::Book { writer, .. } => writer.record(record),
        };
        result.map_err(|e| self.failed(e))
    }

    /// Writes the end of the report and syncs it: it is then [`Ready`] to be moved into
    /// place.
    pub fn finish(self, summary: &Summary) -> anyhow::Result<Ready> {
        match self {
            Report::Text { writer, target } => writer
                .finish(summary)
                .map_err(|e| failed(e, &target, true))?
                .finish(),
            Report::Book { writer, target } => writer
                .finish(summary)
                .map_err(|e| failed(e, &target, false))?
                .finish(),
        }
    }
}

/// A write error, with the report it concerns: one line naming the file and the reason (a
/// text report on standard output keeps the system's error as it is: a closed pipe there
/// is told apart by the caller).
fn failed(e: ReportError, target: &Path, text: bool) -> anyhow::Error {
    if text && target == Path::new("-") {
        return e.into();
    }
    anyhow::Error::new(e).context(errors::REPORT_CANNOT_WRITE.with("path", target.display()))
}

/// A file written in full and synced, to be moved into place by [`Ready::commit`]. A run
/// with several outputs commits them only once all were written: a failure in any leaves
/// every earlier file as it was. Dropping it deletes the temporary file.
pub struct Ready(Option<(tempfile::TempPath, PathBuf)>);

impl Ready {
    /// Renames the temporary file over the target (nothing to do for standard output, a
    /// device or a pipe: written in place).
    pub fn commit(self) -> anyhow::Result<()> {
        if let Some((path, target)) = self.0 {
            path.persist(&target)
                .map_err(|e| e.error)
                .with_context(|| errors::REPORT_CANNOT_WRITE.with("path", target.display()))?;
        }
        Ok(())
    }
}

/// A device or a pipe (`/dev/stdout`, a FIFO): written in place, never renamed over.
fn is_stream(target: &Path) -> bool {
    std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Where a report goes: a temporary file renamed into place on [`Output::commit`], or
/// standard output.
pub enum Output {
    File {
        /// Written through the plain file: the temporary file's own writer would name its
        /// machine path in every error.
        temp: BufWriter<std::fs::File>,
        path: tempfile::TempPath,
        target: PathBuf,
        flusher: Flusher,
    },
    Stdout(BufWriter<io::Stdout>),
    /// A device or pipe (`/dev/stdout`, a FIFO): written in place, there is nothing to
    /// rename over.
    Stream {
        file: BufWriter<std::fs::File>,
        target: PathBuf,
    },
}

impl Output {
    pub fn create(target: &Path) -> anyhow::Result<Output> {
        if target == Path::new("-") {
            return Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            )));
        }
        let context = || errors::REPORT_CANNOT_CREATE.with("path", target.display());
        if is_stream(target) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .with_context(context)?;
            return Ok(Output::Stream {
                file: BufWriter::with_capacity(1 << 16, file),
                target: target.to_owned(),
            });
        }
        let (temp, target) = temp_beside(target)?;
        let (file, path) = temp.into_parts();
        Ok(Output::File {
            flusher: Flusher::new(&file),
            temp: BufWriter::with_capacity(1 << 16, file),
            path,
            target,
        })
    }

    /// Flushes and moves the report into place. Dropping an uncommitted output deletes it.
    pub fn commit(self) -> anyhow::Result<()> {
        self.finish()?.commit()
    }

    /// Flushes and syncs the report: it is then [`Ready`] to be moved into place.
    pub fn finish(self) -> anyhow::Result<Ready> {
        match self {
            Output::Stdout(mut w) => {
                w.flush()?;
                Ok(Ready(None))
            }
            Output::Stream { mut file, target } => {
                file.flush()
                    .with_context(|| errors::REPORT_CANNOT_WRITE.with("path", target.display()))?;
                Ok(Ready(None))
            }
            Output::File {
                temp,
                path,
                target,
                flusher,
            } => {
                let context = || errors::REPORT_CANNOT_WRITE.with("path", target.display());
                let temp = temp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(context)?;
                flusher.finish().with_context(context)?;
                temp.sync_all().with_context(context)?;
                Ok(Ready(Some((path, target))))
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::File { temp, flusher, .. } => {
                let n = temp.write(buf)?;
                flusher.wrote(n);
                Ok(n)
            }
            Output::Stdout(w) => w.write(buf),
            Output::Stream { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::File { temp, flusher, .. } => {
                temp.write_all(buf)?;
                flusher.wrote(buf.len());
                Ok(())
            }
            Output::Stdout(w) => w.write_all(buf),
            Output::Stream { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::File { temp, .. } => temp.flush(),
            Output::Stdout(w) => w.flush(),
            Output::Stream { file, .. } => file.flush(),
        }
    }
}

/// Bytes written between two background syncs of a report file.
const SYNC_EVERY: usize = 8 << 20;

/// Syncs a report file to disk in the background while it is written, every
/// [`SYNC_EVERY`] bytes, so that the fsync before the rename (which keeps a crash from
/// leaving an empty report where the old one was) has little left to wait for.
pub struct Flusher {
    kick: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
    unsynced: usize,
}

impl Flusher {
    fn new(file: &std::fs::File) -> Flusher {
        let mut flusher = Flusher {
            kick: None,
            thread: None,
            unsynced: 0,
        };
        // Without a second handle, the final fsync does all the work.
        if let Ok(file) = file.try_clone() {
            let (kick, kicks) = std::sync::mpsc::sync_channel::<()>(1);
            flusher.kick = Some(kick);
            flusher.thread = Some(std::thread::spawn(move || {
                for () in kicks {
                    file.sync_data()?;
                }
                Ok(())
            }));
        }
        flusher
    }

    fn wrote(&mut self, n: usize) {
        self.unsynced += n;
        if self.unsynced >= SYNC_EVERY {
            self.unsynced = 0;
            if let Some(kick) = &self.kick {
                // A sync still running covers this one.
                let _ = kick.try_send(());
            }
        }
    }

    /// Waits for the background syncs; returns the first error.
    fn finish(mut self) -> io::Result<()> {
        self.kick = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the background sync panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.kick = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A report written by a format that seeks (the workbook): a temporary file beside the
/// target, renamed over it on [`Spool::commit`]; or, for standard output, a device or a
/// pipe, an anonymous temporary file copied into it at the end. A device is never renamed
/// over: `-o /dev/null` stays `/dev/null`.
pub struct Spool {
    file: std::fs::File,
    into: SpoolTarget,
}

enum SpoolTarget {
    Rename(tempfile::TempPath, PathBuf),
    Copy(Output, PathBuf),
}

impl Spool {
    pub fn create(target: &Path) -> anyhow::Result<Spool> {
        if target == Path::new("-") || is_stream(target) {
            if target == Path::new("-") && io::stdout().is_terminal() {
                return Err(errors::WORKBOOK_TO_TERMINAL.msg().into());
            }
            let out = Output::create(target)?;
            let file = tempfile::tempfile()
                .with_context(|| errors::REPORT_CANNOT_CREATE.with("path", target.display()))?;
            return Ok(Spool {
                file,
                into: SpoolTarget::Copy(out, target.to_owned()),
            });
        }
        let (temp, target) = temp_beside(target)?;
        let (file, path) = temp.into_parts();
        Ok(Spool {
            file,
            into: SpoolTarget::Rename(path, target),
        })
    }

    /// The file to write the report into.
    pub fn file(&self) -> &std::fs::File {
        &self.file
    }

    /// Moves the written file into place. Dropping an uncommitted spool deletes it.
    pub fn commit(self) -> anyhow::Result<()> {
        self.finish()?.commit()
    }

    /// Syncs the written file (copies it, into standard output, a device or a pipe): it is
    /// then [`Ready`] to be moved into place.
    pub fn finish(self) -> anyhow::Result<Ready> {
        let mut file = self.file;
        match self.into {
            SpoolTarget::Rename(path, target) => {
                let context = || errors::REPORT_CANNOT_WRITE.with("path", target.display());
                file.sync_all().with_context(context)?;
                Ok(Ready(Some((path, target))))
            }
            SpoolTarget::Copy(mut out, target) => {
                let context = || errors::REPORT_CANNOT_WRITE.with("path", target.display());
                io::Seek::rewind(&mut file).with_context(context)?;
                io::copy(&mut file, &mut out).with_context(context)?;
                out.finish()
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl io::Seek for Spool {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

/// A temporary file in the folder of `target` (of the file it points to, for a symlink),
/// to be renamed over it; returns it with the path to rename it to.
fn temp_beside(target: &Path) -> anyhow::Result<(tempfile::NamedTempFile, PathBuf)> {
    let context = || errors::REPORT_CANNOT_CREATE.with("path", target.display());
    // A symlink to a report: replace the file it points to, not the link.
    let target = match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => {
            let link = std::fs::read_link(target).with_context(context)?;
            match target.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            }
        }
        _ => target.to_owned(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_stale_temps(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    if let Some(permissions) = report_permissions(&target) {
        builder.permissions(permissions);
    }
    if !dir.is_dir() {
        return Err(errors::REPORT_NO_FOLDER
            .with("path", target.display())
            .with("folder", dir.display())
            .into());
    }
    // The system's reason, without the temporary file's machine path.
    let temp = builder
        .tempfile_in(dir)
        .map_err(|e| {
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or(&text);
            io::Error::new(e.kind(), reason.to_owned())
        })
        .with_context(context)?;
    // Held while the run lives (the OS releases it when the process ends, however it ends):
    // this is how a later run tells a live report from one a killed run left behind.
    temp.as_file().try_lock().with_context(context)?;
    Ok((temp, target))
}

const TEMP_PREFIX: &str = ".patronal-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary report younger than this is left alone even when unlocked: its run may be
/// between creating and locking it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// Removes the temporary reports that runs killed without a chance to clean up (SIGKILL, a
/// power cut) left in `dir`: files of our naming that no live process holds locked.
/// Best effort: what cannot be read or removed is left as it is.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_AFTER));
        if !old || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if let Ok(file) = std::fs::File::open(&path)
            && file.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// A replaced report keeps its permissions; a new one is readable by all, as any file the
/// user writes (temporary files are private by default).
fn report_permissions(target: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(target) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    None
}

/// Checks that a file can be created at `target` before a long run.
pub fn check_writable(target: &Path) -> anyhow::Result<()> {
    if target == Path::new("-") {
        return Ok(());
    }
    drop(Output::create(target)?);
    Ok(())
}

/// Two overlapping runs (cron) never write the same report at once. Devices and pipes
/// (`/dev/stdout`) are not locked: there is no file to clobber.
pub fn lock_reports(written: &[&Path], wait: u64) -> anyhow::Result<Vec<ReportLock>> {
    let mut lock_paths: Vec<&Path> = written
        .iter()
        .copied()
        .filter(|p| p.as_os_str() != "-" && std::fs::metadata(p).map_or(true, |m| m.is_file()))
        .collect();
    // Always in the same order: two runs with the same outputs never wait on each other.
    lock_paths.sort();
    lock_paths
        .into_iter()
        .map(|path| ReportLock::acquire(path, wait))
        .collect()
}

/// The lock of a report: `<report>.lock` beside it, held by the OS (so that it is released
/// with the process, even one that is killed), and removed when the run ends, so that no
/// `.lock` file stays beside the reports. Removing a lock file that another run is waiting
/// on is safe: a run that gets the lock checks that the file it locked is still the one at
/// that path, and starts over otherwise.
pub struct ReportLock {
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
