//! What the marked copy says of each record: the cells it marks (by severity, with a note),
//! its verdict columns, and the values it suggests, only where they are certain.

use std::sync::Arc;

use crate::ecuador::normalize::{Cleaned, clean};
use crate::finding::{Code, Detail, Field, Finding, Lang, Severity, Verdict};
use crate::i18n::marked as texts;
use crate::report::{Record, ReportError, Sink};
use crate::roster::Source;

/// One record as the copy needs it: its row, verdict, findings and suggested values.
#[derive(Clone, Debug)]
pub(crate) struct RowMark {
    /// The row, as reports number it (1-based, the sheet's or the CSV file's line).
    pub(crate) row: u64,
    pub(crate) verdict: Verdict,
    pub(crate) findings: Box<[Finding]>,
    pub(crate) suggestions: Box<[Suggestion]>,
}

/// A value the copy suggests for a cell, and why it is certain (or, once, probable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suggestion {
    pub(crate) field: Field,
    pub(crate) value: Box<str>,
    pub(crate) why: Why,
}

/// Why a value is suggested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// The leading zero Excel dropped (`ID_`/`RUC_LEADING_ZERO_RESTORED`).
    ZeroRestored,
    /// `SUCURSAL_PADDED`.
    SucursalPadded,
    /// `DOMESTIC_RUC_FORMAT` with a valid cédula: cédula + 000.
    DomesticRuc,
    /// `DOMESTIC_SUCURSAL`: 0001.
    DomesticSucursal,
    /// `EMAIL_DOMAIN_TYPO` to a known provider; the domain as written.
    EmailProvider(Box<str>),
    /// A RUC in scientific notation (as written) that fits the employer's valid cédula +
    /// 001: probable, not certain.
    Scientific(Box<str>),
}

/// One table of the run (a CSV file, a sheet) and its records, in order.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) source: Arc<Source>,
    /// The widest row seen: the header's cells, or a record's.
    pub(crate) width: usize,
    pub(crate) rows: Vec<RowMark>,
}

/// Collects what the marked copies need, record by record, as the run hands them over (a
/// [`Sink`]). Memory: a few dozen bytes a record, plus its findings.
#[derive(Debug)]
pub struct Marks {
    pub(crate) tables: Vec<Table>,
}

impl Marks {
    /// Marks for the run's `sources`, in the run's order.
    pub fn new(sources: &[Arc<Source>]) -> Marks {
        Marks {
            tables: sources
                .iter()
                .map(|s| Table {
                    source: Arc::clone(s),
                    width: s.headers.len(),
                    rows: Vec::new(),
                })
                .collect(),
        }
    }

    /// The rosters of the run, each once, in the run's order (a workbook's sheets are one
    /// roster).
    pub fn rosters(&self) -> Vec<&std::path::Path> {
        let mut paths: Vec<&std::path::Path> = Vec::new();
        for t in &self.tables {
            if !paths.contains(&t.source.path.as_path()) {
                paths.push(&t.source.path);
            }
        }
        paths
    }

    /// The tables of the roster at `path`.
    pub(crate) fn tables_of(&self, path: &std::path::Path) -> Vec<&Table> {
        self.tables
            .iter()
            .filter(|t| t.source.path == path)
            .collect()
    }
}

impl Sink for Marks {
    fn record(&mut self, record: &Record) -> Result<(), ReportError> {
        let table = &mut self.tables[record.source_index];
        table.width = table.width.max(record.cells.len());
        table.rows.push(RowMark::of(record));
        Ok(())
    }
}

impl RowMark {
    fn of(record: &Record) -> RowMark {
        let checked = record.checked;
        RowMark {
            row: record.row,
            verdict: record.status,
            findings: checked.findings.clone().into_boxed_slice(),
            suggestions: suggestions(record).into_boxed_slice(),
        }
    }
}

/// The values suggested for `record`: only where certain (a restored zero, a padded
/// sucursal, the domestic-service form, a known provider's misspelling), or marked probable
/// (a RUC in scientific notation that fits the employer's cédula). Never a checksum.
fn suggestions(record: &Record) -> Vec<Suggestion> {
    let checked = record.checked;
    let findings = &checked.findings;
    let mut out = Vec::new();
    if findings.is_empty() {
        return out;
    }
    // A cédula that passed its rules (a restored zero is a warning): 10 digits, no error on
    // the ID.
    let cedula = (checked.id.len() == 10
        && checked.id.bytes().all(|b| b.is_ascii_digit())
        && !findings
            .iter()
            .any(|f| f.field == Field::Id && f.severity() == Severity::Error))
    .then_some(checked.id.as_str());
    let mut push = |field: Field, value: &str, why: Why| {
        if !out.iter().any(|s: &Suggestion| s.field == field) {
            out.push(Suggestion {
                field,
                value: value.into(),
                why,
            });
        }
    };
    for f in findings.iter() {
        match f.code {
            Code::IdLeadingZeroRestored => push(Field::Id, &checked.id, Why::ZeroRestored),
            Code::RucLeadingZeroRestored => push(Field::Ruc, &checked.ruc, Why::ZeroRestored),
            Code::SucursalPadded => push(Field::Sucursal, &checked.sucursal, Why::SucursalPadded),
            Code::DomesticRucFormat => {
                if let Some(c) = cedula {
                    push(Field::Ruc, &format!("{c}000"), Why::DomesticRuc);
                }
            }
            Code::DomesticSucursal => push(Field::Sucursal, "0001", Why::DomesticSucursal),
            Code::EmailDomainTypo => {
                let multiple = findings.iter().any(|f| f.code == Code::EmailMultiple);
                if let (Some(Detail::Text(fix)), Some(cell), false) =
                    (&f.detail, record.cell(Field::Email), multiple)
                    && crate::rules::email::PROVIDERS.contains(&fix.as_ref())
                {
                    let address = crate::text::trim(&cell);
                    if let Some((local, domain)) = address.rsplit_once('@')
                        && !local.is_empty()
                        && !local.contains('@')
                    {
                        let value = format!("{local}@{fix}");
                        push(Field::Email, &value, Why::EmailProvider(domain.into()));
                    }
                }
            }
            Code::ExcelScientific if f.field == Field::Ruc => {
                if let (Some(c), Some(raw)) = (cedula, record.cell(Field::Ruc)) {
                    let raw = raw.trim();
                    let candidate = format!("{c}001");
                    if scientific_fits(raw, &candidate) {
                        push(Field::Ruc, &candidate, Why::Scientific(raw.into()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether Excel's scientific notation `raw` (`1.74772E+12`) is what `digits` shows as: the
/// same number, to the precision of the digits written.
pub(crate) fn scientific_fits(raw: &str, digits: &str) -> bool {
    if clean(raw) != Cleaned::Scientific {
        return false;
    }
    let Some(e) = raw.find(['e', 'E']) else {
        return false;
    };
    let mantissa = raw[..e].replace(',', ".");
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let Ok(exponent) = raw[e + 1..].trim_start_matches('+').parse::<i32>() else {
        return false;
    };
    let (Ok(shown), Ok(value)) = (
        format!("{mantissa}e{exponent}").parse::<f64>(),
        digits.parse::<f64>(),
    ) else {
        return false;
    };
    // `1.74772E+12` stands for any number that rounds to it: within half its last digit.
    let unit = 10f64.powi(exponent - decimals);
    (shown - value).abs() <= unit / 2.0 + 0.5
}

/// A cell the copy marks: its 0-based column, the worst severity of its findings, and its
/// note (each finding's message and how to fix it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CellMark {
    pub(crate) col: u32,
    pub(crate) severity: Severity,
    pub(crate) note: String,
}

/// The 0-based column of the table's first header cell: where a finding without a cell of
/// its own is marked.
pub(crate) fn first_column(source: &Source) -> u32 {
    source
        .headers
        .iter()
        .position(|h| !h.trim().is_empty())
        .unwrap_or(0) as u32
}

/// The column a finding is marked on: its field's, or the record's first cell for a finding
/// about the row (a malformed row, a repeated employer) or a field the roster has no column
/// for.
pub(crate) fn column_of(source: &Source, finding: &Finding) -> u32 {
    let own = match (finding.code, finding.field) {
        (Code::DuplicateEmployer | Code::RowMalformed, _) | (_, Field::Row) => None,
        (_, field) => source.map.get(field),
    };
    own.map_or_else(|| first_column(source), |c| c as u32)
}

/// The cells `row` marks, by column.
pub(crate) fn cell_marks(source: &Source, row: &RowMark, lang: Lang) -> Vec<CellMark> {
    let mut marks: Vec<CellMark> = Vec::new();
    for f in row.findings.iter() {
        let col = column_of(source, f);
        let text = note_of(f, lang);
        match marks.iter_mut().find(|m| m.col == col) {
            Some(m) => {
                m.severity = m.severity.max(f.severity());
                m.note.push_str("\n\n");
                m.note.push_str(&text);
            }
            None => marks.push(CellMark {
                col,
                severity: f.severity(),
                note: text,
            }),
        }
    }
    marks.sort_by_key(|m| m.col);
    marks
}

/// A finding's note: its message, then how to fix it.
fn note_of(f: &Finding, lang: Lang) -> String {
    let hint = f.code.info().hint(lang);
    format!(
        "{}\n{}",
        f.message(lang),
        texts::MARKED_NOTE_FIX.with("hint", hint).render(lang)
    )
}

/// The four verdict columns of a record: result, reasons (one line a finding), how to fix
/// (one line a finding, repeats left out), suggested values (one line each, with why).
pub(crate) fn verdict_cells(source: &Source, row: &RowMark, lang: Lang) -> [String; 4] {
    let reasons: Vec<String> = row
        .findings
        .iter()
        .map(|f| f.message(lang).into_owned())
        .collect();
    let mut fixes: Vec<&str> = Vec::new();
    for f in row.findings.iter() {
        let hint = f.code.info().hint(lang);
        if !fixes.contains(&hint) {
            fixes.push(hint);
        }
    }
    let suggested: Vec<String> = row
        .suggestions
        .iter()
        .map(|s| {
            let column = source
                .map
                .get(s.field)
                .and_then(|i| source.headers.get(i))
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| s.field.as_str().to_owned());
            let why = match &s.why {
                Why::ZeroRestored => texts::WHY_ZERO_RESTORED.msg(),
                Why::SucursalPadded => texts::WHY_SUCURSAL_PADDED.msg(),
                Why::DomesticRuc => texts::WHY_DOMESTIC_RUC.msg(),
                Why::DomesticSucursal => texts::WHY_DOMESTIC_SUCURSAL.msg(),
                Why::EmailProvider(domain) => texts::WHY_EMAIL_PROVIDER.with("domain", domain),
                Why::Scientific(raw) => texts::WHY_SCIENTIFIC.with("raw", raw),
            };
            texts::MARKED_SUGGESTION
                .with("column", column)
                .with("value", &s.value)
                .with_msg("why", why)
                .render(lang)
        })
        .collect();
    [
        row.verdict.label(lang).to_owned(),
        reasons.join("\n"),
        fixes.join("\n"),
        suggested.join("\n"),
    ]
}

/// Widths of the verdict columns (Excel's characters): result, reasons, how to fix,
/// suggested value.
pub(crate) const WIDTHS: [f64; 4] = [14.0, 64.0, 64.0, 56.0];

/// Lines verdict cell `i` (0 to 3) shows for `text`: its lines, each wrapped at the
/// column's width (a proportional font fits about a tenth more than the width says).
pub(crate) fn shown_lines(i: usize, text: &str) -> usize {
    let per_line = (WIDTHS[i.min(3)] * 1.1) as usize;
    text.lines()
        .map(|l| l.chars().count().div_ceil(per_line.max(1)).max(1))
        .sum()
}

/// The headings of the verdict columns, in `lang`.
pub(crate) fn headings(lang: Lang) -> [String; 4] {
    [
        texts::MARKED_RESULT.render(lang),
        texts::MARKED_REASONS.render(lang),
        texts::MARKED_FIX.render(lang),
        texts::MARKED_SUGGESTED.render(lang),
    ]
}

/// Fill colours (RGB): a finding's severity, and a record's result.
pub(crate) fn severity_color(severity: Severity) -> u32 {
    match severity {
        // The Records sheet's red for invalid.
        Severity::Error => 0xFFC7CE,
        Severity::InPerson => 0xFFCC80,
        Severity::Warning => 0xFFFF99,
    }
}

/// The result column's fill: green, red, amber.
pub(crate) fn verdict_color(verdict: Verdict) -> u32 {
    match verdict {
        Verdict::Ready => 0xC6EFCE,
        Verdict::Invalid => severity_color(Severity::Error),
        Verdict::InPerson => severity_color(Severity::InPerson),
    }
}

/// The heading's fill, as on the Records sheet.
pub(crate) const HEADING_COLOR: u32 = 0xD9D9D9;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scientific_notation_fits_only_its_number() {
        assert!(scientific_fits("1.74772E+12", "1747721234001"));
        // Rounded up in the last digit shown.
        assert!(scientific_fits("1.74773E+12", "1747725234001"));
        assert!(scientific_fits("9.12346E+11", "0912345678001"));
        assert!(scientific_fits("1,74772E+12", "1747721234001"));
        assert!(!scientific_fits("1.79001E+12", "1714307103001"));
        assert!(!scientific_fits("1.74772E+11", "1747721234001"));
        assert!(!scientific_fits("1747721234001", "1747721234001"));
    }
}
