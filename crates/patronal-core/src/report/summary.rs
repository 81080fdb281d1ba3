//! The run's summary: what was read, how many records ended in each status, which codes.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::catastro::CatastroLoad;
use crate::finding::{Code, Finding, Verdict};
use crate::report::Change;
use crate::roster::Source;
use crate::rules::Checked;

/// Counts for one table (a CSV file or a sheet).
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileSummary {
    /// The roster's path as the user gave it.
    pub source: String,
    /// The sheet's name, for a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// Data rows below the header: records + blank rows + rows repeating the header.
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
    /// Data rows read in the whole run: records + blank rows.
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
    /// Employers of the previous report that no record of this run matched.
    pub disappeared: Vec<crate::report::Gone>,
}

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

    /// An empty summary for a run over `sources`, one [`FileSummary`] each.
    pub(crate) fn new(sources: &[Arc<Source>]) -> Summary {
        Summary {
            sources: sources.to_vec(),
            files: sources
                .iter()
                .map(|s| FileSummary {
                    source: s.name().into_owned(),
                    sheet: s.sheet.clone(),
                    ..FileSummary::default()
                })
                .collect(),
            ..Summary::default()
        }
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
            f.rows = f.records + f.blank_rows + f.header_rows;
        }
        let sum = |get: fn(&FileSummary) -> u64| self.files.iter().map(get).sum::<u64>();
        self.records = sum(|f| f.records);
        self.blank_rows = sum(|f| f.blank_rows);
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
        map.serialize_entry("written", &m.written)?;
        map.serialize_entry("ready", &m.ready)?;
        map.serialize_entry("invalid", &m.invalid)?;
        map.serialize_entry("in_person", &m.in_person)?;
        map.serialize_entry("codes", &Codes(m))?;
        map.serialize_entry("files", &m.files)?;
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
