//! What the terminal shows: the flagged records as a table (stdout) and the summary (stderr).
//! Every cell is sanitised: roster text never reaches the terminal as control characters.

use std::io::{self, Write};

use patronal_core::finding::Field;
use patronal_core::finding::Lang;
use patronal_core::finding::Verdict;
use patronal_core::report::summary::Summary;
use patronal_core::report::{Record, ReportError, Sink};
use patronal_core::text::sanitize;

/// How many flagged records the terminal table shows before "… and N more".
pub(crate) const TABLE_ROWS: usize = 20;

struct Line {
    place: String,
    status: Verdict,
    name: String,
    id: String,
    ruc: String,
    codes: String,
}

/// Collects the first flagged records for the terminal.
pub struct FlaggedTable {
    lines: Vec<Line>,
    more: u64,
}

impl Default for FlaggedTable {
    fn default() -> Self {
        Self::new()
    }
}

impl FlaggedTable {
    /// An empty table; give it the run's records as a [`Sink`].
    pub fn new() -> FlaggedTable {
        FlaggedTable {
            lines: Vec::new(),
            more: 0,
        }
    }

    /// True when no record was flagged: nothing to print.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Prints the table (place, status, name, ID, RUC, codes), at most [`TABLE_ROWS`] lines,
    /// then "… and N more" and the legend; nothing when no record was flagged.
    pub fn print(&self, out: &mut impl Write, lang: Lang) -> io::Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let head_text = patronal_core::i18n::ui::TABLE_HEAD.render(lang);
        let mut words = head_text.split('|');
        let head: [&str; 6] = std::array::from_fn(|_| words.next().unwrap_or_default());
        let w = |f: &dyn Fn(&Line) -> usize, h: &str| {
            self.lines
                .iter()
                .map(f)
                .max()
                .unwrap_or(0)
                .max(h.chars().count())
        };
        let widths = [
            w(&|l| l.place.chars().count(), head[0]),
            w(&|l| l.status.label(lang).chars().count(), head[1]),
            w(&|l| l.name.chars().count(), head[2]),
            w(&|l| l.id.chars().count(), head[3]),
            w(&|l| l.ruc.chars().count(), head[4]),
        ];
        let row = |out: &mut dyn Write, cells: [&str; 6]| -> io::Result<()> {
            let mut line = String::new();
            for (cell, width) in cells.iter().zip(widths) {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
            }
            line.push_str(cells[5]);
            writeln!(out, "{}", line.trim_end())
        };
        row(out, head)?;
        for l in &self.lines {
            row(
                out,
                [
                    &l.place,
                    l.status.label(lang),
                    &l.name,
                    &l.id,
                    &l.ruc,
                    &l.codes,
                ],
            )?;
        }
        if self.more > 0 {
            let text = patronal_core::i18n::ui::TABLE_MORE.count("n", self.more);
            writeln!(out, "{}", text.render(lang))?;
        }
        writeln!(
            out,
            "{}",
            patronal_core::i18n::ui::TABLE_LEGEND.render(lang)
        )
    }
}

fn clip(s: &str, max: usize) -> String {
    let s = sanitize(s.trim());
    if s.chars().count() <= max {
        s.into_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

impl Sink for FlaggedTable {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        if !r.status.is_flagged() {
            return Ok(());
        }
        if self.lines.len() >= TABLE_ROWS {
            self.more += 1;
            return Ok(());
        }
        let file = r.source.path.file_name().map(|f| f.to_string_lossy());
        let place = match (&r.source.sheet, file) {
            (Some(sheet), Some(f)) => format!("{f}[{sheet}]:{}", r.row),
            (None, Some(f)) => format!("{f}:{}", r.row),
            (_, None) => r.row.to_string(),
        };
        let codes: Vec<&str> = r
            .checked
            .findings
            .iter()
            .filter(|f| f.severity() > patronal_core::finding::Severity::Warning)
            .map(|f| f.code.name())
            .collect();
        self.lines.push(Line {
            place: clip(&place, 40),
            status: r.status,
            name: clip(&r.cell(Field::Name).unwrap_or_default(), 28),
            id: clip(&r.checked.id, 16),
            ruc: clip(&r.checked.ruc, 16),
            codes: codes.join(" "),
        });
        Ok(())
    }
}

/// How many employers the news lists before "… and N more in REPORT".
pub(crate) const NEWS_LINES: usize = 50;

/// One employer in the news.
struct NewsLine {
    place: String,
    name: String,
    ruc: String,
    status: Verdict,
    /// Its verdict in the previous report, for a fixed employer (`invalid → ready`).
    before: Option<Verdict>,
    findings: Vec<patronal_core::finding::Finding>,
}

/// The news of a run, for cron: the employers that make its exit status 1 (by `--fail-on`:
/// the newly flagged ones with `new`), each with where it is, its name, RUC, status and the
/// codes that decided it with their messages.
pub struct News {
    wanted: fn(&Record) -> bool,
    lines: Vec<NewsLine>,
    count: u64,
}

impl News {
    /// Collects the records for which `wanted` says yes.
    pub fn new(wanted: fn(&Record) -> bool) -> News {
        News {
            wanted,
            lines: Vec::new(),
            count: 0,
        }
    }

    /// Records newly flagged since the previous run: worse, or new and flagged.
    pub fn newly_flagged(r: &Record) -> bool {
        use patronal_core::report::Change;
        match r.change {
            Some(Change::Worse) => true,
            Some(Change::New) => r.status.is_flagged(),
            Some(_) => false,
            None => r.status.is_flagged(),
        }
    }

    /// Records fixed since the previous run: flagged → ready.
    pub fn fixed(r: &Record) -> bool {
        r.change == Some(patronal_core::report::Change::Better)
    }

    /// How many records `wanted` chose, listed or not.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// One line per employer (at most [`NEWS_LINES`]), then "… and N more in `report`".
    pub fn print(&self, out: &mut dyn Write, lang: Lang, report: Option<&str>) -> io::Result<()> {
        use patronal_core::i18n::ui;
        for l in &self.lines {
            let codes: Vec<String> = l
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.code.name(), sanitize(&f.message(lang))))
                .collect();
            let name = if l.name.is_empty() {
                ui::NO_NAME.render(lang)
            } else {
                l.name.clone()
            };
            let ruc = if l.ruc.is_empty() {
                ui::NO_RUC.render(lang)
            } else {
                l.ruc.clone()
            };
            let status = match l.before {
                Some(before) => format!("{} → {}", before.label(lang), l.status.label(lang)),
                None => l.status.label(lang).to_owned(),
            };
            let line = format!(
                "  {}  {name}  {ruc}  {status}  {}",
                l.place,
                codes.join("; ")
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        let more = self.count - self.lines.len() as u64;
        if more > 0 {
            let text = match report {
                Some(report) => ui::MORE_IN_REPORT.count("n", more).with("report", report),
                None => ui::MORE.count("n", more),
            };
            writeln!(out, "  {}", sanitize(&text.render(lang)))?;
        }
        Ok(())
    }
}

impl Sink for News {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        if !(self.wanted)(r) {
            return Ok(());
        }
        self.count += 1;
        if self.lines.len() >= NEWS_LINES {
            return Ok(());
        }
        let place = r.source.place(r.row);
        self.lines.push(NewsLine {
            place: sanitize(&place).into_owned(),
            name: clip(&r.cell(Field::Name).unwrap_or_default(), 40),
            ruc: sanitize(&r.checked.ruc).into_owned(),
            status: r.status,
            before: r
                .before
                .filter(|_| r.change == Some(patronal_core::report::Change::Better)),
            findings: r
                .checked
                .findings
                .iter()
                .filter(|f| f.severity() > patronal_core::finding::Severity::Warning)
                .cloned()
                .collect(),
        });
        Ok(())
    }
}

/// The lists of employers the summary names in full, with `--compare`: the newly flagged
/// and the fixed.
pub struct Lists<'a> {
    pub news: Option<&'a News>,
    pub fixed: Option<&'a News>,
}

/// The rosters the run could not use, each with why (the terminal and the cron mail): every
/// other roster was checked, and the run exits 2.
pub fn print_skipped(out: &mut dyn Write, s: &Summary, lang: Lang) -> io::Result<()> {
    use patronal_core::i18n::ui;
    if s.skipped_files.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        ui::NOT_CHECKED
            .count("n", s.skipped_files.len() as u64)
            .render(lang)
    )?;
    for f in &s.skipped_files {
        writeln!(out, "  {}: {}", sanitize(&f.source), sanitize(&f.reason))?;
    }
    Ok(())
}

/// Prints the summary for a person: the rosters set aside; what the run could not check
/// (no e-mail column, no RUC status, no first-key column) and how to check it; what each
/// catastro file gave (with `--catastro`); what changed since the previous run (with
/// `--compare`: the newly flagged and fixed employers by name from `lists`, the gone ones
/// from the previous report); the columns each table was read from; the footer rows
/// skipped; records, statuses, the most frequent codes, the time.
pub fn print_summary(
    out: &mut impl Write,
    s: &Summary,
    lists: Lists,
    report: Option<&str>,
    lang: Lang,
) -> io::Result<()> {
    use patronal_core::i18n::number;
    use patronal_core::i18n::ui;
    print_skipped(out, s, lang)?;
    // What could not be checked comes first: a ready record may still need the visit.
    for (condition, note) in s.unchecked_notes() {
        writeln!(out, "{}", note.render(lang))?;
        writeln!(out, "  {}", ui::fix_for(condition).render(lang))?;
    }
    for load in &s.catastro {
        writeln!(out, "{}", load.describe(lang))?;
    }
    if let Some(c) = &s.changes {
        let list =
            |out: &mut dyn Write, title: String, n: u64, items: &[String]| -> io::Result<()> {
                writeln!(out, "{title}")?;
                for item in items {
                    writeln!(out, "  {}", sanitize(item))?;
                }
                if n as usize > items.len() {
                    let more = n - items.len() as u64;
                    writeln!(out, "  {}", ui::MORE.count("n", more).render(lang))?;
                }
                Ok(())
            };
        let title = |text: patronal_core::i18n::Text, n: u64| text.count("n", n).render(lang);
        match lists.news {
            Some(news) => {
                writeln!(out, "{}", title(ui::NEWLY_FLAGGED, c.newly_flagged))?;
                news.print(out, lang, report)?;
            }
            None => list(
                out,
                title(ui::NEWLY_FLAGGED, c.newly_flagged),
                c.newly_flagged,
                &c.newly_flagged_sample,
            )?,
        }
        match lists.fixed {
            Some(fixed) => {
                writeln!(out, "{}", title(ui::NEWLY_FIXED, c.better))?;
                fixed.print(out, lang, report)?;
            }
            None => list(
                out,
                title(ui::NEWLY_FIXED, c.better),
                c.better,
                &c.newly_fixed_sample,
            )?,
        }
        let gone_items: Vec<String> = c
            .disappeared
            .iter()
            .take(10)
            .map(|b| {
                let status = match b.status {
                    "ready" => Verdict::Ready.label(lang),
                    "invalid" => Verdict::Invalid.label(lang),
                    "in_person" => Verdict::InPerson.label(lang),
                    other => other,
                };
                let name = match b.name.as_deref().map(str::trim) {
                    Some(name) if !name.is_empty() => clip(name, 40),
                    _ => ui::NO_NAME.render(lang),
                };
                // A table's name is clipped: a workbook's source cell may be 100 KB.
                let place = match &b.sheet {
                    Some(sheet) => {
                        format!("{}[{}]:{}", clip(&b.source, 60), clip(sheet, 31), b.row)
                    }
                    None => format!("{}:{}", clip(&b.source, 60), b.row),
                };
                let ruc = if b.ruc.is_empty() {
                    ui::NO_RUC.render(lang)
                } else {
                    b.ruc.clone()
                };
                format!("{place}  {name}  {ruc}  {status}")
            })
            .collect();
        list(
            out,
            title(ui::DISAPPEARED, c.disappeared_count),
            c.disappeared_count,
            &gone_items,
        )?;
        writeln!(
            out,
            "{}",
            ui::CHANGES
                .count("new", c.new)
                .count("worse", c.worse)
                .count("better", c.better)
                .count("same", c.same)
                .render(lang)
        )?;
    }
    for (title, columns) in s.column_groups(lang) {
        writeln!(out, "{title}")?;
        for line in columns.lines(lang) {
            writeln!(out, "  {line}")?;
        }
    }
    for note in s.footer_notes() {
        writeln!(out, "{}", note.render(lang))?;
    }
    let files = s.files.len() as u64;
    let plural = |one, many, n: u64| patronal_core::i18n::Plural { one, many }.of(n);
    writeln!(
        out,
        "{}",
        ui::SUMMARY_LINE
            .msg()
            .with_msg(
                "records",
                plural(ui::RECORDS_ONE, ui::RECORDS_MANY, s.records)
            )
            .with_msg("tables", plural(ui::ONE_TABLE, ui::TABLES, files))
            .with_msg("blank", plural(ui::BLANK_ONE, ui::BLANK_MANY, s.blank_rows))
            .decimal("secs", s.elapsed.as_secs_f64(), 2)
            .render(lang)
    )?;
    let pct = |n: u64| {
        if s.records == 0 {
            0.0
        } else {
            100.0 * n as f64 / s.records as f64
        }
    };
    for (status, n) in [
        (Verdict::Ready, s.ready),
        (Verdict::Invalid, s.invalid),
        (Verdict::InPerson, s.in_person),
    ] {
        let share = format!("{}%", number::decimal(pct(n), 1, lang));
        writeln!(
            out,
            "  {:<11} {:>8}  {share:>6}",
            status.label(lang),
            number::count(n, lang)
        )?;
    }
    let top = s.top_codes();
    if !top.is_empty() {
        writeln!(out, "{}", ui::TOP_CODES.render(lang))?;
        for (code, n) in top.iter().take(8) {
            writeln!(
                out,
                "  {:<26} {:>8}  {}",
                code.name(),
                number::count(*n, lang),
                code.info().severity.label(lang)
            )?;
        }
    }
    Ok(())
}
