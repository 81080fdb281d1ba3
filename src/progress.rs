//! The progress bar of `check` on a terminal's stderr (never in cron or a pipe): records,
//! the share of the rosters read (bytes of a CSV file, rows of a sheet's dimension), the rate
//! and the time left; then a stage line while the report is finished.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use patronal_core::Lang;
use patronal_core::i18n::ui;
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
        let n = readers.len();
        let shared = Arc::new(Shared {
            done: (0..n).map(|_| AtomicU64::new(0)).collect(),
            total: (0..n).map(|_| AtomicU64::new(0)).collect(),
            rows: readers.iter().map(|r| r.source().sheet.is_some()).collect(),
            records: AtomicU64::new(0),
        });
        let visible = show && std::io::stderr().is_terminal() && n > 0;
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
        let bar = if visible {
            ProgressBar::with_draw_target(Some(SCALE), ProgressDrawTarget::stderr_with_hz(4))
        } else {
            ProgressBar::hidden()
        };
        let progress = Progress {
            bar,
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
        let style = ProgressStyle::with_template(&template.render(self.lang))
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .progress_chars("=> ")
            .with_key(
                "records",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let n = shared.records.load(Ordering::Relaxed);
                    let _ = write!(w, "{}", thousands(n));
                },
            )
            .with_key(
                "rate",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let n = rate_shared.records.load(Ordering::Relaxed) as f64;
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    let _ = write!(w, "{}", thousands((n / secs) as u64));
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

    /// Ends the bar and, while the report is finished, shows `writing REPORT…`.
    pub fn stage(&self, report: Option<&std::path::Path>) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.reset();
        match report {
            Some(path) if path.as_os_str() != "-" => {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let text = ui::STAGE_WRITING
                    .with("path", patronal_core::text::sanitize(&name))
                    .render(self.lang);
                self.bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                self.bar.set_message(text);
            }
            _ => self.bar.finish_and_clear(),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
