//! The progress bar of `check` on a terminal's stderr (never in cron or a pipe): records,
//! the share of the rosters read (bytes of a CSV file, rows of a sheet's dimension), the rate
//! and the time left; then a stage line while the report is finished.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use patronal_core::Lang;
use patronal_core::i18n::{Plural, number, ui};
use patronal_core::roster::{Cells, RosterError, RowReader, Source};

/// The bar's length: the share read, in ten-thousandths.
const SCALE: u64 = 10_000;

/// How far each roster is: its reader updates its slot, the bar reads them all.
struct Shared {
    /// Per roster: position and end, in its own unit (0 when unknown).
    done: Vec<AtomicU64>,
    total: Vec<AtomicU64>,
    /// Per roster: a sheet (rows) or a file (bytes).
    rows: Vec<bool>,
    records: AtomicU64,
}

impl Shared {
    /// The share of the run read, in [`SCALE`]ths; `None` while a roster's size is unknown.
    fn share(&self) -> Option<u64> {
        let n = self.done.len();
        let mut sum = 0.0;
        let same_unit = self.rows.iter().all(|r| *r == self.rows[0]);
        let totals: Vec<u64> = self
            .total
            .iter()
            .map(|t| t.load(Ordering::Relaxed))
            .collect();
        if totals.contains(&0) {
            return None;
        }
        let all: u64 = totals.iter().sum();
        for (i, total) in totals.iter().enumerate() {
            let done = self.done[i].load(Ordering::Relaxed) as f64;
            // One unit for all rosters: weighed by size; CSV files and sheets mixed: alike.
            let weight = if same_unit {
                *total as f64 / all as f64
            } else {
                1.0 / n as f64
            };
            sum += weight * (done / *total as f64).min(1.0);
        }
        Some((sum * SCALE as f64) as u64)
    }
}

pub struct Progress {
    bar: ProgressBar,
    /// The line while the reports are finished (`writing informe.xlsx…`), below the bar's
    /// last frame.
    stage: std::sync::Mutex<Option<ProgressBar>>,
    /// Where the stage line is drawn (stderr, or a test's terminal).
    target: fn() -> ProgressDrawTarget,
    shared: Arc<Shared>,
    lang: Lang,
    known: AtomicBool,
    started: Instant,
}

impl Progress {
    /// A bar when `show` and stderr is a terminal; hidden otherwise. Wraps the readers so
    /// that they say how far they are.
    pub fn new(
        readers: Vec<Box<dyn RowReader>>,
        show: bool,
        lang: Lang,
    ) -> (Progress, Vec<Box<dyn RowReader>>) {
        let visible = show && std::io::stderr().is_terminal();
        let target = || ProgressDrawTarget::stderr_with_hz(4);
        Progress::drawn_on(readers, visible.then_some(target), lang)
    }

    /// The bar drawn on `target` (hidden: `None`).
    fn drawn_on(
        readers: Vec<Box<dyn RowReader>>,
        target: Option<fn() -> ProgressDrawTarget>,
        lang: Lang,
    ) -> (Progress, Vec<Box<dyn RowReader>>) {
        let n = readers.len();
        let shared = Arc::new(Shared {
            done: (0..n).map(|_| AtomicU64::new(0)).collect(),
            total: (0..n).map(|_| AtomicU64::new(0)).collect(),
            rows: readers.iter().map(|r| r.source().sheet.is_some()).collect(),
            records: AtomicU64::new(0),
        });
        let visible = target.is_some() && n > 0;
        let readers = if visible {
            readers
                .into_iter()
                .enumerate()
                .map(|(slot, inner)| {
                    Box::new(Tracked {
                        inner,
                        slot,
                        shared: Arc::clone(&shared),
                    }) as Box<dyn RowReader>
                })
                .collect()
        } else {
            readers
        };
        let target = target.unwrap_or(ProgressDrawTarget::hidden);
        let bar = if visible {
            ProgressBar::with_draw_target(Some(SCALE), target())
        } else {
            ProgressBar::hidden()
        };
        let progress = Progress {
            bar,
            stage: std::sync::Mutex::new(None),
            target,
            shared,
            lang,
            known: AtomicBool::new(false),
            started: Instant::now(),
        };
        if visible {
            progress.style(false);
            progress.bar.enable_steady_tick(Duration::from_millis(250));
        }
        (progress, readers)
    }

    fn style(&self, known: bool) {
        self.known.store(known, Ordering::Relaxed);
        let template = if known {
            ui::PROGRESS_KNOWN
        } else {
            ui::PROGRESS_UNKNOWN
        };
        let shared = Arc::clone(&self.shared);
        let rate_shared = Arc::clone(&self.shared);
        let started = self.started;
        let lang = self.lang;
        let style = ProgressStyle::with_template(&template.render(self.lang))
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .progress_chars("=> ")
            .with_key(
                "records",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let n = shared.records.load(Ordering::Relaxed);
                    let records = Plural {
                        one: ui::RECORDS_ONE,
                        many: ui::RECORDS_MANY,
                    };
                    let _ = write!(w, "{}", records.of(n).render(lang));
                },
            )
            .with_key(
                "rate",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let n = rate_shared.records.load(Ordering::Relaxed) as f64;
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    let _ = write!(w, "{}", number::count((n / secs) as u64, lang));
                },
            );
        self.bar.set_style(style);
    }

    /// Called by the run with the records done so far.
    pub fn records(&self, n: u64) {
        self.shared.records.store(n, Ordering::Relaxed);
        if let Some(share) = self.shared.share() {
            if !self.known.load(Ordering::Relaxed) {
                self.style(true);
            }
            self.bar.set_position(share);
        }
    }

    /// Ends the bar on a last frame at 100% (the records all read), left on the terminal,
    /// and, while the report is finished, shows `writing REPORT…` below it.
    pub fn stage(&self, report: Option<&std::path::Path>) {
        if self.bar.is_hidden() {
            return;
        }
        if !self.bar.is_finished() {
            self.bar.set_position(SCALE);
            self.bar.finish();
        }
        let Some(path) = report.filter(|p| p.as_os_str() != "-") else {
            return;
        };
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let text = ui::STAGE_WRITING
            .with("path", patronal_core::text::sanitize(&name))
            .render(self.lang);
        let mut stage = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        let line = stage.get_or_insert_with(|| {
            let line = ProgressBar::with_draw_target(None, (self.target)());
            line.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            line.enable_steady_tick(Duration::from_millis(250));
            line
        });
        line.set_message(text);
    }

    /// The reports are written: the stage line goes; the bar's last frame stays.
    pub fn finish(&self) {
        self.stage(None);
        if let Some(line) = self.stage.lock().unwrap_or_else(|e| e.into_inner()).take() {
            line.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(line) = self.stage.lock().unwrap_or_else(|e| e.into_inner()).take() {
            line.finish_and_clear();
        }
        // A run that stopped early (an error, Ctrl-C) leaves no bar behind.
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

/// A reader that says how far it is.
struct Tracked {
    inner: Box<dyn RowReader>,
    slot: usize,
    shared: Arc<Shared>,
}

impl RowReader for Tracked {
    fn source(&self) -> &Arc<Source> {
        self.inner.source()
    }

    fn read(&mut self, record: &mut Cells) -> Result<Option<u64>, RosterError> {
        let row = self.inner.read(record)?;
        match self.inner.progress() {
            Some((done, total)) => {
                let done = if row.is_none() { total } else { done };
                self.shared.done[self.slot].store(done, Ordering::Relaxed);
                self.shared.total[self.slot].store(total, Ordering::Relaxed);
            }
            None if row.is_none() => {
                self.shared.done[self.slot].store(1, Ordering::Relaxed);
                self.shared.total[self.slot].store(1, Ordering::Relaxed);
            }
            None => {}
        }
        Ok(row)
    }

    fn blank_rows(&self) -> u64 {
        self.inner.blank_rows()
    }

    fn repeated_headers(&self) -> Option<(u64, u64)> {
        self.inner.repeated_headers()
    }

    fn malformed(&mut self) -> Option<(u64, u64)> {
        self.inner.malformed()
    }

    fn records_hint(&self) -> Option<u64> {
        self.inner.records_hint()
    }

    fn progress(&self) -> Option<(u64, u64)> {
        self.inner.progress()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use indicatif::TermLike;
    use patronal_core::roster::ReadOptions;

    use super::*;

    /// A terminal that keeps every line drawn, in [`SCREEN`].
    #[derive(Debug)]
    struct Screen;

    static SCREEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            SCREEN.lock().unwrap().push(s.to_owned());
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.write_line(s)
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_last_frame_is_at_100_percent_with_the_records_in_the_run_s_language() {
        let roster = "Cédula,RUC\n".to_owned() + &"0428813992,0428813992001\n".repeat(2_000);
        let readers = patronal_core::roster::open_bytes(
            "r.csv".as_ref(),
            roster.into_bytes(),
            &ReadOptions::default(),
        )
        .unwrap();
        let target = || ProgressDrawTarget::term_like(Box::new(Screen));
        let (bar, mut readers) = Progress::drawn_on(readers, Some(target), Lang::Es);
        let mut cells = patronal_core::roster::Cells::default();
        let mut n = 0;
        while readers[0].read(&mut cells).unwrap().is_some() {
            n += 1;
            if n == 1_000 {
                bar.records(n);
                bar.bar.force_draw();
            }
        }
        bar.records(n);
        bar.stage(Some("informe.xlsx".as_ref()));
        bar.finish();
        let frames = SCREEN.lock().unwrap().clone();
        let last = frames
            .iter()
            .rev()
            .find(|f| f.contains("registros"))
            .expect("a frame with the records");
        assert!(last.contains("100%"), "{frames:?}");
        assert!(last.contains("2.000 registros"), "{last}");
        assert!(frames.iter().all(|f| !f.contains(" 0% ")), "{frames:?}");
    }
}
