//! Comparing a run with the previous one (`--compare PREVIOUS.jsonl`): each record is matched
//! with the previous report's by employer (RUC + sucursal), else by place (source, sheet,
//! row), and gets a change: new, same, worse or better. What disappeared is listed.
//!
//! A RUC that was damaged in one run and not in the other (Excel's `1.79001E+12` last night,
//! fixed this morning) cannot match by employer: the record at the same place whose RUC was
//! damaged on the other side is then the same employer.
//!
//! The previous report is held in memory: one small entry per record it has.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::ecuador::normalize::digits_value;
use crate::i18n::errors;
use crate::roster::Source;
use crate::rules::{Checked, Status};

/// How a record changed since the previous run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not in the previous report.
    New,
    Same,
    /// Ready → flagged, or invalid ↔ in person.
    Worse,
    /// Flagged → ready.
    Better,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Same => "same",
            Change::Worse => "worse",
            Change::Better => "better",
        }
    }

    /// The word reports for people (CSV, workbook) show.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Change::New, crate::Lang::En) => "new",
            (Change::Same, crate::Lang::En) => "same",
            (Change::Worse, crate::Lang::En) => "worse",
            (Change::Better, crate::Lang::En) => "better",
            (Change::New, crate::Lang::Es) => "nuevo",
            (Change::Same, crate::Lang::Es) => "igual",
            (Change::Worse, crate::Lang::Es) => "peor",
            (Change::Better, crate::Lang::Es) => "mejor",
        }
    }

    /// The name of the column that holds it.
    pub fn column(lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::En => "change",
            crate::Lang::Es => "cambio",
        }
    }

    fn of(before: Status, now: Status) -> Change {
        match (before, now) {
            (b, n) if b == n => Change::Same,
            (_, Status::Ready) => Change::Better,
            _ => Change::Worse,
        }
    }
}

/// A record of the previous report, as much as the comparison needs.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Before {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub row: u64,
    pub status: String,
    #[serde(default)]
    pub ruc: String,
    #[serde(default)]
    pub sucursal: String,
}

struct Entry {
    before: Before,
    status: Status,
    seen: AtomicBool,
}

/// The previous report.
pub struct Previous {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// Every record by place, for a RUC damaged on one side.
    places: HashMap<String, usize>,
}

fn status_of(s: &str) -> Option<Status> {
    match s {
        "ready" => Some(Status::Ready),
        "invalid" => Some(Status::Invalid),
        "in_person" => Some(Status::InPerson),
        _ => None,
    }
}

/// The matching key: the employer when the RUC is 13 digits, else the record's place.
fn key(ruc: &str, sucursal: &str, source: &str, sheet: Option<&str>, row: u64) -> String {
    if is_usable(ruc) {
        format!("e:{ruc}/{sucursal}")
    } else {
        place(source, sheet, row)
    }
}

fn is_usable(ruc: &str) -> bool {
    digits_value(ruc, 13).is_some()
}

fn place(source: &str, sheet: Option<&str>, row: u64) -> String {
    format!("p:{source}\u{1f}{}\u{1f}{row}", sheet.unwrap_or(""))
}

impl Previous {
    /// No previous report (the first run): every record is new.
    pub fn empty() -> Previous {
        Previous {
            entries: Vec::new(),
            index: HashMap::new(),
            places: HashMap::new(),
        }
    }

    /// Reads a JSON Lines report of an earlier run.
    pub fn load(path: &Path) -> anyhow::Result<Previous> {
        let file = std::fs::File::open(path).map_err(|e| {
            errors::PREVIOUS_CANNOT_READ
                .with("path", path.display())
                .with_io(&e)
        })?;
        let mut entries = Vec::new();
        let mut index = HashMap::new();
        let mut places = HashMap::new();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| {
                errors::PREVIOUS_CANNOT_READ
                    .with("path", path.display())
                    .with_io(&e)
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = || {
                errors::PREVIOUS_NOT_JSONL
                    .with("path", path.display())
                    .with("line", n + 1)
            };
            let before: Before = serde_json::from_str(&line).map_err(|_| bad())?;
            let status = status_of(&before.status).ok_or_else(bad)?;
            let k = key(
                &before.ruc,
                &before.sucursal,
                &before.source,
                before.sheet.as_deref(),
                before.row,
            );
            index.entry(k).or_insert(entries.len());
            let at = place(&before.source, before.sheet.as_deref(), before.row);
            places.entry(at).or_insert(entries.len());
            entries.push(Entry {
                before,
                status,
                seen: AtomicBool::new(false),
            });
        }
        Ok(Previous {
            entries,
            index,
            places,
        })
    }

    /// The change of a checked record; marks its previous record as seen. Runs on the
    /// worker threads.
    pub fn change(&self, source: &Source, row: u64, checked: &Checked) -> Change {
        let name = source.name();
        let k = key(
            &checked.ruc,
            &checked.sucursal,
            &name,
            source.sheet.as_deref(),
            row,
        );
        let found = self.index.get(&k).copied().or_else(|| {
            // The RUC damaged on one side only: the same place is the same employer.
            let i = *self
                .places
                .get(&place(&name, source.sheet.as_deref(), row))?;
            (is_usable(&self.entries[i].before.ruc) != is_usable(&checked.ruc)).then_some(i)
        });
        match found {
            None => Change::New,
            Some(i) => {
                let entry = &self.entries[i];
                entry.seen.store(true, Ordering::Relaxed);
                Change::of(entry.status, checked.status())
            }
        }
    }

    /// The previous records no record of this run matched.
    pub fn disappeared(&self) -> impl Iterator<Item = &Before> {
        self.entries
            .iter()
            .filter(|e| !e.seen.load(Ordering::Relaxed))
            .map(|e| &e.before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes() {
        use Status::*;
        assert_eq!(Change::of(Ready, Ready), Change::Same);
        assert_eq!(Change::of(Ready, Invalid), Change::Worse);
        assert_eq!(Change::of(Invalid, InPerson), Change::Worse);
        assert_eq!(Change::of(InPerson, Invalid), Change::Worse);
        assert_eq!(Change::of(Invalid, Ready), Change::Better);
        assert_eq!(
            key("1790011674001", "0001", "a.csv", None, 3),
            "e:1790011674001/0001"
        );
        assert!(key("", "0001", "a.csv", Some("H"), 3).starts_with("p:a.csv"));
    }
}
