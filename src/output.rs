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
                // The workbook's records sheet is spooled into a temporary file of its own.
                let tmp = std::env::temp_dir();
                if !tmp.is_dir() {
                    let reason = io::Error::from(io::ErrorKind::NotFound);
                    return Err(anyhow::Error::new(reason).context(
                        errors::WORKBOOK_TEMP_FAILED
                            .with("path", target.display())
                            .with("folder", tmp.display()),
                    ));
                }
                let writer = unpanic(|| report::create(format, spool, sources, opts));
                Report::Book {
                    writer: writer.map_err(|e| e.named(target))?,
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
        match self {
            Report::Text { writer, .. } => writer.record(record).map_err(|e| self.failed(e)),
            Report::Book { writer, target } => {
                unpanic(|| writer.record(record)).map_err(|e| e.named(target))
            }
        }
    }

    /// Writes the end of the report and syncs it: it is then [`Ready`] to be moved into
    /// place.
    pub fn finish(self, summary: &Summary) -> anyhow::Result<Ready> {
        match self {
            Report::Text { writer, target } => writer
                .finish(summary)
                .map_err(|e| failed(e, &target, true))?
                .finish(),
            Report::Book { writer, target } => unpanic(|| writer.finish(summary))
                .map_err(|e| e.named(&target))?
                .finish(),
        }
    }
}

/// How a call into the workbook writer failed: an error it returned, or a panic it raised.
enum BookError {
    Report(ReportError),
    /// rust_xlsxwriter panics ("Couldn't write to xml file") when the temporary file of its
    /// records sheet cannot be written (the temporary folder is full): the system error it
    /// carried, by kind (`None`: another panic of the writer).
    TempFile(Option<io::Error>),
}

impl BookError {
    /// One line naming the report, and the temporary folder when that was the cause.
    fn named(self, target: &Path) -> anyhow::Error {
        match self {
            BookError::Report(e) => failed(e, target, false),
            BookError::TempFile(Some(e)) => anyhow::Error::new(e).context(
                errors::WORKBOOK_TEMP_FAILED
                    .with("path", target.display())
                    .with("folder", std::env::temp_dir().display()),
            ),
            BookError::TempFile(None) => anyhow::Error::new(errors::WORKBOOK_WRITER_FAILED.msg())
                .context(errors::REPORT_CANNOT_WRITE.with("path", target.display())),
        }
    }
}

thread_local! {
    /// This thread is inside [`unpanic`]: a panic is the workbook writer's, and becomes an
    /// error (the panic hook stays quiet for it).
    static IN_WORKBOOK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a call into the workbook writer so that a panic in it is an error, never a crash
/// with a panic message: rust_xlsxwriter panics when its records sheet's temporary file
/// cannot be written (TMPDIR full). Any other panic is reported as before.
fn unpanic<T>(call: impl FnOnce() -> Result<T, ReportError>) -> Result<T, BookError> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_WORKBOOK.with(|w| w.get()) {
                previous(info);
            }
        }));
    });
    let outer = IN_WORKBOOK.with(|w| w.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    IN_WORKBOOK.with(|w| w.set(outer));
    match result {
        Ok(done) => done.map_err(BookError::Report),
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or_default();
            Err(BookError::TempFile(panic_io_error(text)))
        }
    }
}

/// The system error a panic message of rust_xlsxwriter carries (`… Os { code: 28, kind:
/// StorageFull, … }`), by its kind; `None` for any other panic.
fn panic_io_error(text: &str) -> Option<io::Error> {
    use io::ErrorKind as K;
    let kind = text
        .split_once("kind: ")
        .map(|(_, rest)| rest.split([',', ' ', '}']).next().unwrap_or_default())
        .unwrap_or_default();
    let kind = match kind {
        "StorageFull" => K::StorageFull,
        "QuotaExceeded" => K::QuotaExceeded,
        "FileTooLarge" => K::FileTooLarge,
        "PermissionDenied" => K::PermissionDenied,
        "ReadOnlyFilesystem" => K::ReadOnlyFilesystem,
        "NotFound" => K::NotFound,
        _ => return None,
    };
    Some(io::Error::from(kind))
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
    /// Gives the written file the time `when` as the time it was last written: the reports
    /// of one run share one, so that `compare = "previous"` finds the latest run's by time,
    /// and of its reports the quickest to read. Best effort.
    pub fn stamp(&self, when: std::time::SystemTime) {
        if let Some((path, _)) = &self.0
            && let Ok(file) = std::fs::OpenOptions::new().write(true).open(path)
        {
            let _ = file.set_modified(when);
        }
    }

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

/// Set by the run's signal handler (Ctrl-C, SIGTERM, SIGHUP): [`interruptible`] gives up.
static CANCEL: std::sync::OnceLock<Arc<std::sync::atomic::AtomicBool>> = std::sync::OnceLock::new();

/// The flag the run's signal handler sets.
pub fn set_cancel(flag: Arc<std::sync::atomic::AtomicBool>) {
    let _ = CANCEL.set(flag);
}

/// Runs `call`, which may block in the system for ever (opening a FIFO that no one opens at
/// the other end), on a thread of its own, so that a signal still ends the run: the error
/// is then [`RunError::Interrupted`] (exit 130), and the blocked thread goes with the
/// process.
///
/// [`RunError::Interrupted`]: patronal_core::pipeline::RunError::Interrupted
pub fn interruptible<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    use std::sync::mpsc::RecvTimeoutError;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::spawn(move || {
        let _ = tx.send(call());
    });
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(result) => return Ok(result),
            Err(RecvTimeoutError::Timeout) => {
                let cancelled = CANCEL
                    .get()
                    .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst));
                if cancelled {
                    return Err(patronal_core::pipeline::RunError::Interrupted.into());
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other("the thread opening a file ended").into());
            }
        }
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
            // A FIFO blocks here until its reader comes: a signal still ends the run.
            let path = target.to_owned();
            let file = interruptible(move || std::fs::OpenOptions::new().write(true).open(path))?
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

/// A temporary file in the folder of `target` (of the file it points to, through every
/// link of a chain), to be renamed over it; returns it with the path to rename it to. The
/// name is new (created exclusively: never an existing file), the file is locked while the
/// run lives, and it is registered in the lock file of `target` when the run holds one, so
/// that a later run can tell it from any other file and remove it if this run is killed.
fn temp_beside(target: &Path) -> anyhow::Result<(tempfile::NamedTempFile, PathBuf)> {
    let given = target;
    let context = || errors::REPORT_CANNOT_CREATE.with("path", given.display());
    // A symlink to a report: replace the file the chain ends at, not a link.
    let target = resolve_links(target).with_context(context)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM);
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
    // a live run's temporary file is never taken for a dead one's.
    temp.as_file().try_lock().with_context(context)?;
    register_temp(given, temp.path(), temp.as_file());
    Ok((temp, target))
}

/// The file a chain of symlinks ends at (the path itself when it is no link, or does not
/// exist yet); a link relative to its folder is followed from there.
fn resolve_links(target: &Path) -> io::Result<PathBuf> {
    let mut path = target.to_owned();
    // Linux gives up after 40 links: so does this.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    // The system's own error for a loop of links.
    std::fs::metadata(&path).map(|_| path)
}

const TEMP_PREFIX: &str = ".patronal-";
const TEMP_SUFFIX: &str = ".tmp";
/// Random characters in a temporary file's name.
const TEMP_RANDOM: usize = 12;

/// The first line of a lock file this program made; the temporary files of the run that
/// holds it follow, one a line ([`register_temp`]).
const LOCK_MARKER: &[u8] = b"patronal lock 1\n";

/// The most of a lock file read: a run registers a few lines.
const LOCK_READ_LIMIT: u64 = 64 << 10;

/// The lock files this process holds, each with the report it protects (as given): where
/// the temporary files made for that report are registered.
static HELD: std::sync::Mutex<Vec<(PathBuf, PathBuf, std::fs::File)>> =
    std::sync::Mutex::new(Vec::new());

/// Records `temp` (its absolute path, device and inode) in the lock file this run holds for
/// `report`, if any: the proof a later run needs to remove it, should this run be killed
/// before it can.
fn register_temp(report: &Path, temp: &Path, file: &std::fs::File) {
    let Some(line) = registration(temp, file) else {
        return;
    };
    let Ok(held) = HELD.lock() else {
        return;
    };
    if let Some((_, _, lock)) = held.iter().find(|(r, _, _)| r == report) {
        // Best effort: an unregistered temporary file is only never cleaned up by others.
        let _ = (&*lock).write_all(line.as_bytes());
    }
}

/// `temp HEX-PATH DEVICE INODE\n`: the path in hexadecimal, whatever bytes it holds.
#[cfg(unix)]
fn registration(temp: &Path, file: &std::fs::File) -> Option<String> {
    use std::fmt::Write as _;
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    let path = std::path::absolute(temp).ok()?;
    let mut line = String::from("temp ");
    for b in path.as_os_str().as_encoded_bytes() {
        let _ = write!(line, "{b:02x}");
    }
    let _ = writeln!(line, " {} {}", meta.dev(), meta.ino());
    Some(line)
}

/// Without inodes nothing is proven: temporary files are not registered, nor removed.
#[cfg(not(unix))]
fn registration(_temp: &Path, _file: &std::fs::File) -> Option<String> {
    None
}

/// Removes the temporary files registered in a dead run's lock file (`contents`): only
/// those still of our naming, the same file (device and inode) as registered, not an input
/// of this run, and not locked by a live process.
#[cfg(unix)]
fn remove_registered(contents: &[u8]) {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let Some(lines) = contents.strip_prefix(LOCK_MARKER) else {
        return;
    };
    for line in lines.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let mut fields = line.split(' ');
        let (Some("temp"), Some(hex), Some(dev), Some(ino), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            continue;
        };
        let (Ok(dev), Ok(ino)) = (dev.parse::<u64>(), ino.parse::<u64>()) else {
            continue;
        };
        let Some(bytes) = unhex(hex) else {
            continue;
        };
        let path = Path::new(std::ffi::OsStr::from_bytes(&bytes));
        let ours = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(TEMP_PREFIX) && n.ends_with(TEMP_SUFFIX));
        let same = std::fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && m.dev() == dev && m.ino() == ino);
        if !ours || !same || crate::guard::is_input(path) {
            continue;
        }
        if let Ok(file) = std::fs::File::open(path)
            && file.try_lock().is_ok()
            && same_file(&file, path)
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(not(unix))]
fn remove_registered(_contents: &[u8]) {}

#[cfg(unix)]
fn unhex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The first bytes of a lock file (at most [`LOCK_READ_LIMIT`]).
fn read_lock(file: &std::fs::File) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut contents = Vec::new();
    io::Seek::rewind(&mut &*file)?;
    file.take(LOCK_READ_LIMIT).read_to_end(&mut contents)?;
    Ok(contents)
}

/// Removes the lock files that killed runs left in `dir` (ours by their first line, held by
/// no live process, not an input of this run), with the temporary files registered in
/// them: `informes/2026-12-01.xlsx.lock` left by a run killed last night goes with the next
/// night's run, which writes `informes/2026-12-02.xlsx`. Best effort: what cannot be read
/// or removed is left as it is.
fn remove_dead_locks(dir: &Path, own: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_name().to_string_lossy().ends_with(".lock") || path == own {
            continue;
        }
        // Only a regular file (never through a link, never a pipe that would block).
        let small_file = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() <= LOCK_READ_LIMIT);
        if !small_file || crate::guard::is_input(&path) {
            continue;
        }
        let Ok(file) = std::fs::OpenOptions::new().read(true).open(&path) else {
            continue;
        };
        // Another program's lock file is never locked, even for a moment: ours first.
        if !read_lock(&file).is_ok_and(|c| c.starts_with(LOCK_MARKER)) {
            continue;
        }
        if file.try_lock().is_err() || !same_file(&file, &path) {
            continue;
        }
        // Read again once locked: its run may have ended and a new one begun.
        if let Ok(contents) = read_lock(&file)
            && contents.starts_with(LOCK_MARKER)
        {
            remove_registered(&contents);
            // Removed while still locked, as a finishing run removes its own.
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

/// The lock file of a report: `<report>.lock` beside it.
pub fn lock_path(report: &Path) -> PathBuf {
    let mut name = report.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    report.with_file_name(name)
}

/// Whether a run locks `target`: a file, or one to be; not standard output, a device or a
/// pipe (there is no file to clobber).
pub fn is_locked(target: &Path) -> bool {
    target.as_os_str() != "-" && std::fs::metadata(target).map_or(true, |m| m.is_file())
}

/// Two overlapping runs (cron) never write the same report at once. Devices and pipes
/// (`/dev/stdout`) are not locked: there is no file to clobber.
pub fn lock_reports(written: &[&Path], wait: u64) -> anyhow::Result<Vec<ReportLock>> {
    let mut lock_paths: Vec<&Path> = written.iter().copied().filter(|p| is_locked(p)).collect();
    // Always in the same order: two runs with the same outputs never wait on each other.
    lock_paths.sort();
    lock_paths.dedup();
    lock_paths
        .into_iter()
        .map(|path| ReportLock::acquire(path, wait))
        .collect()
}

/// The lock of a report: `<report>.lock` beside it, held by the OS (so that it is released
/// with the process, even one that is killed), and removed when the run ends, so that no
/// `.lock` file stays beside the reports. Removing a lock file that another run is waiting
/// on is safe: a run that gets the lock checks that the file it locked is still the one at
/// that path, and starts over otherwise. Its first line says that patronal made it; the
/// temporary files of the run follow, so that the next run can remove them if this one is
/// killed. A file at that path that patronal did not make is neither used nor removed.
pub struct ReportLock {
    path: PathBuf,
    file: std::fs::File,
}

impl ReportLock {
    /// Waits up to `wait` seconds for another run (a wait too long to count is no limit).
    fn acquire(report: &Path, wait: u64) -> anyhow::Result<ReportLock> {
        let path = lock_path(report);
        let not_ours = || -> anyhow::Error {
            errors::LOCK_NOT_OURS
                .with("lock", path.display())
                .with("path", report.display())
                .into()
        };
        let deadline = std::time::Instant::now().checked_add(Duration::from_secs(wait));
        loop {
            // Never through a link, nor a folder, a device or a pipe.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
                return Err(not_ours());
            }
            let file = std::fs::OpenOptions::new()
                .create(true)
                .read(true)
                .append(true)
                .open(&path)
                .with_context(|| errors::REPORT_CANNOT_CREATE.with("path", report.display()))?;
            match file.try_lock() {
                Ok(()) if same_file(&file, &path) => {
                    let contents = read_lock(&file)
                        .with_context(|| errors::LOCK_FAILED.with("path", path.display()))?;
                    // Empty: just made (by this run or one that has not written it yet), or
                    // left by a killed run of an earlier version.
                    if !contents.is_empty() && !contents.starts_with(LOCK_MARKER) {
                        return Err(not_ours());
                    }
                    // A killed run's: what it registered goes, then the file is this run's.
                    remove_registered(&contents);
                    let lock = ReportLock { path, file };
                    let context = || errors::LOCK_FAILED.with("path", lock.path.display());
                    lock.file.set_len(0).with_context(context)?;
                    (&lock.file).write_all(LOCK_MARKER).with_context(context)?;
                    let dir = match lock.path.parent() {
                        Some(p) if !p.as_os_str().is_empty() => p,
                        _ => Path::new("."),
                    };
                    remove_dead_locks(dir, &lock.path);
                    if let (Ok(mut held), Ok(dup)) = (HELD.lock(), lock.file.try_clone()) {
                        held.push((report.to_owned(), lock.path.clone(), dup));
                    }
                    return Ok(lock);
                }
                // The run that held it removed it: lock the new one.
                Ok(()) => continue,
                Err(std::fs::TryLockError::WouldBlock)
                    if deadline.is_none_or(|d| std::time::Instant::now() < d) =>
                {
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
        if let Ok(mut held) = HELD.lock() {
            held.retain(|(_, lock, _)| *lock != self.path);
        }
        // Removed while still locked: a waiting run then finds it gone and starts over.
        if !crate::guard::is_input(&self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_writers_panic_gives_its_system_error() {
        let full = "Couldn't write to xml file: Os { code: 28, kind: StorageFull, message: \"No space left on device\" }";
        let e = panic_io_error(full).unwrap();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(panic_io_error("index out of bounds").is_none());
        let caught = unpanic(|| -> Result<(), ReportError> { panic!("{full}") });
        assert!(
            matches!(caught, Err(BookError::TempFile(Some(e))) if e.kind() == io::ErrorKind::StorageFull)
        );
    }

    #[test]
    fn a_chain_of_links_resolves_to_its_last_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("file", dir.path().join("link2")).unwrap();
            std::os::unix::fs::symlink("link2", dir.path().join("link1")).unwrap();
            assert_eq!(resolve_links(&dir.path().join("link1")).unwrap(), file);
        }
        assert_eq!(resolve_links(&file).unwrap(), file);
    }
}
