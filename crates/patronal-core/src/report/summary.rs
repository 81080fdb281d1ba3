//! The run's summary: what was read, how many records ended in each status, which codes.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::catastro::CatastroLoad;
use crate::finding::{Code, Field, Finding, Lang, Verdict};
use crate::i18n::{Message, ui};
use crate::report::Change;
use crate::roster::{FooterRows, Found, Source};
use crate::rules::Checked;

/// The column a field was read from, in one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnUsed {
    /// The field.
    pub field: Field,
    /// The column's header as the roster writes it (blank for a column without one);
    /// `None` when no column was found for the field.
    pub header: Option<String>,
    /// The column's place, from 1.
    pub number: Option<usize>,
    /// How it was found (a header, `--map`, its cells).
    pub found: Option<Found>,
    /// The headers of the columns the field could be equally, when none was chosen.
    pub tied: Vec<String>,
}

/// The columns a table was read from, one per field, in the order of [`Field::ALL`]. In
/// JSON, `{"id": "Cédula", "email": null, …}` (the `--map` field names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnsUsed(pub Vec<ColumnUsed>);

impl ColumnsUsed {
    /// The columns of `source`.
    pub fn of(source: &Source) -> ColumnsUsed {
        let header = |i: usize| source.headers.get(i).map_or("", |h| h.trim()).to_owned();
        ColumnsUsed(
            Field::ALL
                .into_iter()
                .map(|field| {
                    let index = source.map.get(field);
                    ColumnUsed {
                        field,
                        header: index.map(header),
                        number: index.map(|i| i + 1),
                        found: source.map.found(field).cloned(),
                        tied: source.map.tied(field).iter().map(|&i| header(i)).collect(),
                    }
                })
                .collect(),
        )
    }

    /// What a person reads for each field, in `lang`: its label and where it was read
    /// from (`correo`, `← "Correo IESS"`), or `no encontrada`.
    pub fn entries(&self, lang: Lang) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|c| {
                let label = ui::field_label(c.field).render(lang);
                let name = |header: &str, number: Option<usize>| match (header.is_empty(), number) {
                    (true, Some(n)) => ui::COLUMN_NUMBER.with("n", n).render(lang),
                    _ => format!("{:?}", crate::text::sanitize(header)),
                };
                let text = match (&c.header, &c.found) {
                    (Some(h), Some(Found::Cells { matching, of })) => ui::COLUMN_FROM_CELLS
                        .with("header", name(h, c.number))
                        .with("matching", matching)
                        .with("of", of)
                        .with_msg("what", ui::cells_look_like(c.field).msg()),
                    (Some(h), Some(Found::Map)) => {
                        ui::COLUMN_BY_MAP.with("header", name(h, c.number))
                    }
                    (Some(h), _) => ui::COLUMN_FROM_HEADER.with("header", name(h, c.number)),
                    (None, _) if !c.tied.is_empty() => {
                        let tied: Vec<String> = c.tied.iter().map(|h| name(h, None)).collect();
                        ui::COLUMN_TIED
                            .with("columns", tied.join(", "))
                            .with("name", c.field.as_str())
                    }
                    (None, _) => ui::COLUMN_NOT_FOUND.msg(),
                };
                (label, text.render(lang))
            })
            .collect()
    }

    /// [`ColumnsUsed::entries`] as lines, the labels padded to one width:
    /// `correo         ← "Correo IESS"`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let entries = self.entries(lang);
        let width = entries
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(0);
        entries
            .into_iter()
            .map(|(label, text)| {
                let pad = " ".repeat(width - label.chars().count());
                format!("{label}{pad} {text}")
            })
            .collect()
    }

    /// Whether field `f` has a column.
    pub fn has(&self, f: Field) -> bool {
        self.0.iter().any(|c| c.field == f && c.header.is_some())
    }
}

impl Serialize for ColumnsUsed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for c in &self.0 {
            map.serialize_entry(c.field.as_str(), &c.header)?;
        }
        map.end()
    }
}

/// The conditions a table's columns may leave unchecked, each an in-person reason
/// (docs/rules.md): the e-mail, the RUC's status at the SRI, the first key.
pub const CONDITIONS: [Field; 3] = [Field::Email, Field::RucStatus, Field::FirstTime];

/// Which conditions the columns of a table leave unchecked: no e-mail column; no RUC status
/// column and no catastro; neither a first-time nor a has-key column.
pub fn not_checked(columns: &ColumnsUsed, catastro: bool) -> Vec<Field> {
    CONDITIONS
        .into_iter()
        .filter(|&f| match f {
            Field::Email => !columns.has(Field::Email),
            Field::RucStatus => !columns.has(Field::RucStatus) && !catastro,
            _ => !columns.has(Field::FirstTime) && !columns.has(Field::HasKey),
        })
        .collect()
}

/// Counts for one table (a CSV file or a sheet).
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileSummary {
    /// The roster's path as the user gave it.
    pub source: String,
    /// The sheet's name, for a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// Data rows below the header: records + blank rows + rows repeating the header +
    /// footer rows.
    pub rows: u64,
    /// Rows checked, one report record each.
    pub records: u64,
    /// Fully blank rows, counted and skipped.
    pub blank_rows: u64,
    /// Rows that repeat the header row, counted and skipped (absent from the JSON when
    /// none).
    #[serde(skip_serializing_if = "is_zero")]
    pub header_rows: u64,
    /// The first of them, for the note on stderr.
    #[serde(skip)]
    pub first_header_row: u64,
    /// Records with no error and no in-person finding.
    pub ready: u64,
    /// Records with an error: the portal stops them at "Validar".
    pub invalid: u64,
    /// Records with an in-person finding and no error.
    pub in_person: u64,
    /// Rows below the last employer that are not employers (a total, a signature, a note):
    /// skipped and counted.
    pub footer_rows: u64,
    /// The text of the first footer rows skipped.
    pub footers: Vec<String>,
    /// The column each field was read from (`null`: none).
    pub columns: ColumnsUsed,
    /// The checks the table's columns could not run: `email`, `ruc_status` (without a
    /// catastro), `first_time`. Scripts read it here: the reports stay plain tables.
    pub not_checked: Vec<Field>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The whole run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// The run's tables, in the order of `files`.
    pub sources: Vec<Arc<Source>>,
    /// Counts for each table (CSV file or sheet), in input order.
    pub files: Vec<FileSummary>,
    /// Records checked in the whole run, once the run has added them up.
    pub records: u64,
    /// Fully blank rows skipped in the whole run.
    pub blank_rows: u64,
    /// Footer rows skipped in the whole run (totals, signatures, notes).
    pub footer_rows: u64,
    /// Data rows read in the whole run: records + blank rows + footer rows.
    pub rows: u64,
    /// Records whose status is ready.
    pub ready: u64,
    /// Records whose status is invalid.
    pub invalid: u64,
    /// Records whose status is in person.
    pub in_person: u64,
    /// Records carrying each code.
    pub codes: BTreeMap<Code, u64>,
    /// Records written to the report (all of them, unless `--only-flagged`).
    pub written: u64,
    /// The options of the run, as `--flag value` texts, for the workbook report.
    pub options: Vec<String>,
    /// Changes since the previous run, with `--compare`.
    pub changes: Option<Changes>,
    /// What each `--catastro` file gave (rows, RUCs, statuses, restored RUCs, lines skipped
    /// and why), in the order given; empty without a catastro. Each one's
    /// [`CatastroLoad::describe`] is the line a person reads.
    pub catastro: Vec<CatastroLoad>,
    /// How long the run took; the caller sets it (the summary JSON's `elapsed_seconds`).
    pub elapsed: Duration,
    /// Rosters the run could not use (unreadable, no RUC column, not a workbook), each with
    /// why, in the run's language: every other roster was checked; the caller sets them.
    pub skipped_files: Vec<SkippedFile>,
}

/// A roster the run could not use, and why.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SkippedFile {
    /// The roster's path as the user gave it.
    pub source: String,
    /// Why it could not be used, in the run's language.
    pub reason: String,
}

/// What changed since the previous run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Changes {
    /// Records that no record of the previous report matched.
    pub new: u64,
    /// Records whose status is the one the previous report gave them.
    pub same: u64,
    /// Records whose status got worse: ready → flagged, or invalid ↔ in person.
    pub worse: u64,
    /// Records that went from flagged to ready.
    pub better: u64,
    /// Records that became flagged: worse, or new and flagged. What `--fail-on new` counts.
    pub newly_flagged: u64,
    /// The first few (at most 10) newly flagged records: `file:row RUC status`.
    pub newly_flagged_sample: Vec<String>,
    /// The first few (at most 10) records that became ready, as in `newly_flagged_sample`.
    pub newly_fixed_sample: Vec<String>,
    /// Employers of the previous report that no record of this run matched: the first
    /// 10,000 ([`crate::compare::NAMED_GONE`]); `disappeared_count` counts them all.
    pub disappeared: Vec<crate::report::Gone>,
    /// How many employers of the previous report no record of this run matched.
    pub disappeared_count: u64,
}

/// No change: what a run without `--compare` has.
static NO_CHANGES: Changes = Changes {
    new: 0,
    same: 0,
    worse: 0,
    better: 0,
    newly_flagged: 0,
    newly_flagged_sample: Vec::new(),
    newly_fixed_sample: Vec::new(),
    disappeared: Vec::new(),
    disappeared_count: 0,
};

/// How many records of each kind of change the summary lists by name.
const CHANGE_SAMPLE: usize = 10;

impl Summary {
    /// Counts the change of a record read at `row` of `source`.
    pub fn count_change(&mut self, change: Change, checked: &Checked, source: &Source, row: u64) {
        let c = self.changes.get_or_insert_with(Changes::default);
        let describe = || {
            let place = source.place(row);
            format!("{place} {} {}", checked.ruc, checked.verdict().as_str())
        };
        match change {
            Change::New => c.new += 1,
            Change::Same => c.same += 1,
            Change::Worse => c.worse += 1,
            Change::Better => {
                c.better += 1;
                if c.newly_fixed_sample.len() < CHANGE_SAMPLE {
                    c.newly_fixed_sample.push(describe());
                }
            }
        }
        let flagged = checked.verdict().is_flagged();
        if change == Change::Worse || (change == Change::New && flagged) {
            c.newly_flagged += 1;
            if c.newly_flagged_sample.len() < CHANGE_SAMPLE {
                c.newly_flagged_sample.push(describe());
            }
        }
    }

    /// An empty summary for a run over `sources`, one [`FileSummary`] each, with the
    /// columns each was read from and what they leave unchecked (`catastro`: the run looks
    /// RUCs up in the SRI catastro).
    pub(crate) fn new(sources: &[Arc<Source>], catastro: bool) -> Summary {
        Summary {
            sources: sources.to_vec(),
            files: sources
                .iter()
                .map(|s| {
                    let columns = ColumnsUsed::of(s);
                    FileSummary {
                        source: s.name().into_owned(),
                        sheet: s.sheet.clone(),
                        not_checked: not_checked(&columns, catastro),
                        columns,
                        ..FileSummary::default()
                    }
                })
                .collect(),
            ..Summary::default()
        }
    }

    /// The end of table `index`: its blank rows, and the footer rows skipped.
    pub(crate) fn table_read(
        &mut self,
        index: usize,
        blank: u64,
        repeated_headers: Option<(u64, u64)>,
        footers: Option<&FooterRows>,
    ) {
        let file = &mut self.files[index];
        file.blank_rows = blank;
        if let Some((n, first)) = repeated_headers {
            file.header_rows = n;
            file.first_header_row = first;
        }
        if let Some(f) = footers {
            file.footer_rows = f.count;
            file.footers = f.texts.clone();
        }
    }

    /// The table as people name it: `clientes.xlsx[Hoja1]`.
    fn label(&self, index: usize) -> String {
        match (&self.files[index].sheet, self.sources.get(index)) {
            (_, Some(source)) => source.label(),
            (Some(sheet), None) => format!("{}[{sheet}]", self.files[index].source),
            (None, None) => self.files[index].source.clone(),
        }
    }

    /// Tables by name, for a note: all of them up to 3, else 3 and how many more.
    fn tables(&self, indices: &[usize]) -> Message {
        let names: Vec<String> = indices
            .iter()
            .take(3)
            .map(|&i| crate::text::sanitize(&self.label(i)).into_owned())
            .collect();
        if indices.len() > 3 {
            return ui::TABLES_AND_MORE
                .with("tables", names.join(", "))
                .with("n", indices.len() - 3);
        }
        crate::i18n::errors::ONE.with("a", names.join(", "))
    }

    /// What the run could not check, one note per condition, the most important first: the
    /// e-mail, the RUC's status, the first key (an unchecked condition is never silent).
    pub fn unchecked_notes(&self) -> Vec<(Field, Message)> {
        CONDITIONS
            .into_iter()
            .filter_map(|condition| {
                let tables: Vec<usize> = (0..self.files.len())
                    .filter(|&i| self.files[i].not_checked.contains(&condition))
                    .collect();
                if tables.is_empty() {
                    return None;
                }
                let text = match condition {
                    Field::Email => ui::NOT_CHECKED_EMAIL,
                    Field::RucStatus => ui::NOT_CHECKED_STATUS,
                    _ => ui::NOT_CHECKED_FIRST_KEY,
                };
                Some((condition, text.with_msg("tables", self.tables(&tables))))
            })
            .collect()
    }

    /// The changes since the previous report (none without `--compare`), borrowed: a
    /// million gone records are not copied.
    pub(crate) fn changes_or_none(&self) -> &Changes {
        self.changes.as_ref().unwrap_or(&NO_CHANGES)
    }

    /// What a workbook says before anything else, rendered: what the run could not check,
    /// then the footer rows skipped (a ready record may still need the visit).
    pub(crate) fn read_first(&self, lang: Lang) -> Vec<String> {
        self.unchecked_notes()
            .into_iter()
            .map(|(_, note)| note.render(lang))
            .chain(self.footer_notes().into_iter().map(|n| n.render(lang)))
            .collect()
    }

    /// The footer rows skipped, one note per table that had any: `clientes.csv: 3 footer
    /// rows below the last employer skipped: 'TOTAL EMPLEADORES: 4', …`.
    pub fn footer_notes(&self) -> Vec<Message> {
        (0..self.files.len())
            .filter(|&i| self.files[i].footer_rows > 0)
            .map(|i| {
                let f = &self.files[i];
                let mut texts: Vec<String> = f
                    .footers
                    .iter()
                    .map(|t| format!("'{}'", crate::text::sanitize(t)))
                    .collect();
                if f.footer_rows > f.footers.len() as u64 {
                    texts.push("…".to_owned());
                }
                let text = if f.footer_rows == 1 {
                    ui::FOOTER_ROW
                } else {
                    ui::FOOTER_ROWS
                };
                text.with("table", crate::text::sanitize(&self.label(i)))
                    .with("n", f.footer_rows)
                    .with("texts", texts.join(", "))
            })
            .collect()
    }

    /// The columns used, tables with the same columns together: each group's title
    /// (`columns of clientes.csv:`) and the tables' [`ColumnsUsed`], in `lang`.
    pub fn column_groups(&self, lang: Lang) -> Vec<(String, &ColumnsUsed)> {
        let mut groups: Vec<(Vec<usize>, &ColumnsUsed)> = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            match groups.iter_mut().find(|(_, c)| **c == f.columns) {
                Some((tables, _)) => tables.push(i),
                None => groups.push((vec![i], &f.columns)),
            }
        }
        groups
            .into_iter()
            .map(|(tables, columns)| {
                let title = ui::COLUMNS_OF
                    .with_msg("tables", self.tables(&tables))
                    .render(lang);
                (title, columns)
            })
            .collect()
    }

    /// Counts one record of table `source` (its index): its status, and each of its codes
    /// once.
    pub(crate) fn count(&mut self, source: usize, status: Verdict, findings: &[Finding]) {
        let file = &mut self.files[source];
        file.records += 1;
        match status {
            Verdict::Ready => file.ready += 1,
            Verdict::Invalid => file.invalid += 1,
            Verdict::InPerson => file.in_person += 1,
        }
        for (i, f) in findings.iter().enumerate() {
            // A code raised twice on one record counts once.
            if !findings[..i].iter().any(|g| g.code == f.code) {
                *self.codes.entry(f.code).or_default() += 1;
            }
        }
    }

    /// Totals from the per-file counts, once the run is over.
    pub(crate) fn finish(&mut self, elapsed: Duration) {
        for f in &mut self.files {
            f.rows = f.records + f.blank_rows + f.header_rows + f.footer_rows;
        }
        let sum = |get: fn(&FileSummary) -> u64| self.files.iter().map(get).sum::<u64>();
        self.records = sum(|f| f.records);
        self.blank_rows = sum(|f| f.blank_rows);
        self.footer_rows = sum(|f| f.footer_rows);
        self.rows = sum(|f| f.rows);
        self.ready = sum(|f| f.ready);
        self.invalid = sum(|f| f.invalid);
        self.in_person = sum(|f| f.in_person);
        self.elapsed = elapsed;
    }

    /// Records that are not ready: invalid + in person.
    pub fn flagged(&self) -> u64 {
        self.invalid + self.in_person
    }

    /// The codes by how many records carry them, most frequent first.
    pub fn top_codes(&self) -> Vec<(Code, u64)> {
        let mut codes: Vec<_> = self.codes.iter().map(|(c, n)| (*c, *n)).collect();
        codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        codes
    }

    /// The summary as JSON; `with_time` adds the elapsed seconds (left out of reports, which
    /// must be identical from run to run).
    pub fn to_json(&self, with_time: bool) -> SummaryJson<'_> {
        SummaryJson {
            summary: self,
            with_time,
        }
    }
}

/// The JSON form of a [`Summary`].
pub struct SummaryJson<'a> {
    summary: &'a Summary,
    with_time: bool,
}

struct Codes<'a>(&'a Summary);

impl Serialize for Codes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let top = self.0.top_codes();
        let mut map = s.serialize_map(Some(top.len()))?;
        for (code, n) in top {
            map.serialize_entry(code.name(), &n)?;
        }
        map.end()
    }
}

impl Serialize for SummaryJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.summary;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("rows", &m.rows)?;
        map.serialize_entry("records", &m.records)?;
        map.serialize_entry("blank_rows", &m.blank_rows)?;
        map.serialize_entry("footer_rows", &m.footer_rows)?;
        map.serialize_entry("written", &m.written)?;
        map.serialize_entry("ready", &m.ready)?;
        map.serialize_entry("invalid", &m.invalid)?;
        map.serialize_entry("in_person", &m.in_person)?;
        map.serialize_entry("codes", &Codes(m))?;
        map.serialize_entry("files", &m.files)?;
        map.serialize_entry("skipped_files", &m.skipped_files)?;
        if !m.catastro.is_empty() {
            map.serialize_entry("catastro", &m.catastro)?;
        }
        if let Some(changes) = &m.changes {
            map.serialize_entry("changes", changes)?;
        }
        if self.with_time {
            map.serialize_entry("elapsed_seconds", &m.elapsed.as_secs_f64())?;
        }
        map.end()
    }
}
