//! What the terminal shows: the flagged records as a table (stdout) and the summary (stderr).
//! Every cell is sanitised: roster text never reaches the terminal as control characters.

use std::io::{self, Write};

use super::summary::Summary;
use crate::Lang;
use crate::pipeline::{Record, Sink};
use crate::roster::Column;
use crate::rules::Status;
use crate::text::sanitize;

/// How many flagged records the terminal table shows before "… and N more".
pub const TABLE_ROWS: usize = 20;

struct Line {
    place: String,
    status: Status,
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
    pub fn new() -> FlaggedTable {
        FlaggedTable {
            lines: Vec::new(),
            more: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn print(&self, out: &mut impl Write, lang: Lang) -> io::Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let head = match lang {
            Lang::En => ["ROW", "STATUS", "EMPLOYER", "ID", "RUC", "CODES"],
            Lang::Es => ["FILA", "ESTADO", "EMPLEADOR", "ID", "RUC", "CÓDIGOS"],
        };
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
            let text = match lang {
                Lang::En => format!(
                    "… and {} more (write them all with -o informe.xlsx)",
                    self.more
                ),
                Lang::Es => format!(
                    "… y {} más (escríbalos todos con -o informe.xlsx)",
                    self.more
                ),
            };
            writeln!(out, "{text}")?;
        }
        let legend = match lang {
            Lang::En => "`patronal codes` explains each code and how to fix it.",
            Lang::Es => "`patronal codes` explica cada código y cómo corregirlo.",
        };
        writeln!(out, "{legend}")
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
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
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
            .filter(|f| f.severity() > crate::rules::Severity::Warning)
            .map(|f| f.code.name())
            .collect();
        self.lines.push(Line {
            place: clip(&place, 40),
            status: r.status,
            name: clip(&r.cell(Column::Name).unwrap_or_default(), 28),
            id: clip(&r.checked.id, 16),
            ruc: clip(&r.checked.ruc, 16),
            codes: codes.join(" "),
        });
        Ok(())
    }
}

/// Prints the summary for a person: what each catastro file gave (with `--catastro`), what
/// changed since the previous run (with `--compare`), records, statuses, the most frequent codes, the time.
pub fn print_summary(out: &mut impl Write, s: &Summary, lang: Lang) -> io::Result<()> {
    for load in &s.catastro {
        writeln!(out, "{}", load.describe(lang))?;
    }
    if let Some(c) = &s.changes {
        let (flagged, fixed, gone, counts) = match lang {
            Lang::En => ("newly flagged", "newly fixed", "disappeared", "changes"),
            Lang::Es => (
                "nuevos con problemas",
                "corregidos",
                "desaparecidos",
                "cambios",
            ),
        };
        let list = |out: &mut dyn Write, title: &str, n: u64, items: &[String]| -> io::Result<()> {
            writeln!(out, "{title}: {n}")?;
            for item in items {
                writeln!(out, "  {}", sanitize(item))?;
            }
            if n as usize > items.len() {
                writeln!(out, "  …")?;
            }
            Ok(())
        };
        list(out, flagged, c.newly_flagged, &c.newly_flagged_sample)?;
        list(out, fixed, c.better, &c.newly_fixed_sample)?;
        let gone_items: Vec<String> = c
            .disappeared
            .iter()
            .take(10)
            .map(|b| format!("{}:{} {} {}", b.source, b.row, b.ruc, b.status))
            .collect();
        list(out, gone, c.disappeared.len() as u64, &gone_items)?;
        writeln!(
            out,
            "{counts}: new {}, worse {}, better {}, same {}",
            c.new, c.worse, c.better, c.same
        )?;
    }
    let files = s.files.len();
    let secs = s.elapsed.as_secs_f64();
    match lang {
        Lang::En => writeln!(
            out,
            "{} records from {} {} ({} blank rows skipped) in {secs:.2} s",
            s.records,
            files,
            if files == 1 { "table" } else { "tables" },
            s.blank_rows
        )?,
        Lang::Es => writeln!(
            out,
            "{} registros de {} {} ({} filas en blanco omitidas) en {secs:.2} s",
            s.records,
            files,
            if files == 1 { "tabla" } else { "tablas" },
            s.blank_rows
        )?,
    }
    let pct = |n: u64| {
        if s.records == 0 {
            0.0
        } else {
            100.0 * n as f64 / s.records as f64
        }
    };
    for (status, n) in [
        (Status::Ready, s.ready),
        (Status::Invalid, s.invalid),
        (Status::InPerson, s.in_person),
    ] {
        writeln!(out, "  {:<11} {n:>8}  {:5.1}%", status.label(lang), pct(n))?;
    }
    let top = s.top_codes();
    if !top.is_empty() {
        let title = match lang {
            Lang::En => "most frequent codes:",
            Lang::Es => "códigos más frecuentes:",
        };
        writeln!(out, "{title}")?;
        for (code, n) in top.iter().take(8) {
            writeln!(
                out,
                "  {:<26} {n:>8}  {}",
                code.name(),
                code.info().severity.label(lang)
            )?;
        }
    }
    Ok(())
}
