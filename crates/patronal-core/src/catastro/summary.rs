//! What loading a catastro file read: rows, RUCs kept, rows by status, RUCs whose lost
//! leading zero was restored, lines skipped and why. On stderr, in the summary JSON.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::Catastro;
use crate::ecuador::{Listed, RucStatus};
use crate::finding::Lang;
use crate::i18n::{Message, Text, errors, ui};

/// Why a catastro line gave no RUC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// The RUC cell is not 13 digits, nor 12 whose zero-prefixed form is a valid RUC.
    RucFormat,
    /// The line ends before the RUC or the status column.
    TooFewCells,
    /// An unclosed quote, and the line's cells do not fit the header even read without it.
    UnclosedQuote,
}

impl Skip {
    /// The reason, as the load summary prints it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Skip::RucFormat, Lang::En) => "RUC not 13 digits",
            (Skip::RucFormat, Lang::Es) => "RUC sin 13 dígitos",
            (Skip::TooFewCells, Lang::En) => "too few cells",
            (Skip::TooFewCells, Lang::Es) => "faltan celdas",
            (Skip::UnclosedQuote, Lang::En) => "unclosed quote",
            (Skip::UnclosedQuote, Lang::Es) => "comillas sin cerrar",
        }
    }
}

/// What one catastro file gave. For an index: its RUCs by status (it has no rows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CatastroLoad {
    /// The path as given.
    pub file: String,
    /// `csv`, `zip`, `xlsx`, `ods`… or `index`.
    pub format: String,
    /// Data rows read below the header (blank lines not counted).
    pub rows: u64,
    /// Distinct RUCs kept.
    pub rucs: u64,
    /// Rows by status: the SRI's word, or the value as written (blank: `""`).
    pub statuses: BTreeMap<String, u64>,
    /// RUCs of 12 digits restored to 13 (the leading zero Excel or pandas dropped).
    pub restored: u64,
    /// Lines with an unclosed quote: followed no further than their own line, and read
    /// without it when their cells then fit the header (else skipped).
    pub unclosed_quotes: u64,
    /// Lines that gave no RUC, by reason.
    pub skipped: BTreeMap<Skip, u64>,
    /// The provinces the file covers (`Galápagos`), from its province and jurisdiction
    /// columns; `None` when it does not say (every province is then taken as covered).
    pub provinces: Option<Vec<String>>,
}

impl CatastroLoad {
    /// An empty summary of the load of `path`, read as `format`.
    pub fn new(path: &Path, format: &str) -> CatastroLoad {
        CatastroLoad {
            file: path.display().to_string(),
            format: format.to_owned(),
            ..CatastroLoad::default()
        }
    }

    /// The provinces of a coverage mask (`None`: not stated), by name.
    pub(crate) fn set_coverage(&mut self, coverage: Option<u32>) {
        self.provinces = coverage.map(|mask| {
            super::provinces_of(mask)
                .into_iter()
                .filter_map(crate::ecuador::province_name)
                .map(str::to_owned)
                .collect()
        });
    }

    /// An index's summary: its RUCs, their statuses and the provinces it covers.
    pub fn of_index(path: &Path, catastro: &Catastro) -> CatastroLoad {
        let mut load = CatastroLoad::new(path, "index");
        load.rucs = catastro.len() as u64;
        load.set_coverage(catastro.coverage);
        for (status, n) in catastro.count_statuses() {
            *load
                .statuses
                .entry(catastro.status_text(status).to_owned())
                .or_default() += n;
        }
        load
    }

    /// Counts a row's status; `text` is an unknown status's value as kept.
    pub(crate) fn count_status(&mut self, status: Listed, text: &str) {
        let key = match status {
            Listed::Word(w) => w.as_str(),
            Listed::Unknown(_) => text,
        };
        match self.statuses.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                self.statuses.insert(key.to_owned(), 1);
            }
        }
    }

    /// Counts a line skipped for `why`.
    pub fn skip(&mut self, why: Skip) {
        *self.skipped.entry(why).or_default() += 1;
    }

    /// Why a file gave no RUC, for the exit-2 message.
    pub(crate) fn why_empty(&self) -> Message {
        if self.format == "index" {
            return errors::CATASTRO_INDEX_EMPTY.msg();
        }
        if self.rows == 0 {
            return errors::CATASTRO_NO_ROWS.msg();
        }
        let reasons: Vec<Message> = self
            .skipped
            .iter()
            .map(|(why, n)| {
                let label = Text {
                    key: "SKIP",
                    en: why.label(Lang::En),
                    es: why.label(Lang::Es),
                };
                errors::COUNT_OF.with("n", n).with_msg("what", label.msg())
            })
            .collect();
        let reasons = if reasons.is_empty() {
            errors::NONE_USABLE.msg()
        } else {
            Message::list(reasons)
        };
        errors::CATASTRO_NO_RUC
            .with("rows", self.rows)
            .with_msg("reasons", reasons)
    }

    /// One line for a person: `catastro FILE: 25000 rows, 21345 RUCs (ACTIVO 14000,
    /// SUSPENDIDO 7000…); 12 RUCs restored; 1 line with an unclosed quote; skipped: 2 (RUC
    /// not 13 digits)`.
    pub fn describe(&self, lang: Lang) -> String {
        let file = crate::text::sanitize(&self.file);
        // The SRI's words first, in their order, then the other values as written.
        let rank = |s: &str| {
            let word = RucStatus::ALL.iter().position(|w| w.as_str() == s);
            (word.unwrap_or(RucStatus::ALL.len()), s.to_owned())
        };
        let mut ordered: Vec<(&String, &u64)> = self.statuses.iter().collect();
        ordered.sort_by_key(|(s, _)| rank(s));
        let statuses: Vec<String> = ordered
            .into_iter()
            .map(|(s, n)| {
                let s = match (s.is_empty(), lang) {
                    (true, Lang::En) => "(blank)".into(),
                    (true, Lang::Es) => "(en blanco)".into(),
                    (false, _) if rank(s).0 < RucStatus::ALL.len() => s.clone(),
                    (false, _) => format!("{:?}", crate::text::sanitize(s)),
                };
                format!("{s} {n}")
            })
            .collect();
        let statuses = statuses.join(", ");
        let mut line = match lang {
            Lang::En if self.format == "index" => {
                format!("catastro {file}: index, {} RUCs ({statuses})", self.rucs)
            }
            Lang::Es if self.format == "index" => {
                format!("catastro {file}: índice, {} RUC ({statuses})", self.rucs)
            }
            Lang::En => format!(
                "catastro {file}: {} rows, {} RUCs ({statuses})",
                self.rows, self.rucs
            ),
            Lang::Es => format!(
                "catastro {file}: {} filas, {} RUC ({statuses})",
                self.rows, self.rucs
            ),
        };
        line.push_str(&match &self.provinces {
            Some(names) => ui::CATASTRO_PROVINCES
                .with("provinces", names.join(", "))
                .render(lang),
            None => ui::CATASTRO_PROVINCES_UNSTATED.render(lang),
        });
        if self.restored > 0 {
            let n = self.restored;
            line.push_str(&match (lang, n) {
                (Lang::En, 1) => "; 1 RUC had lost its leading zero: restored".to_owned(),
                (Lang::En, _) => format!("; {n} RUCs had lost their leading zero: restored"),
                (Lang::Es, 1) => "; 1 RUC había perdido el cero inicial: restaurado".to_owned(),
                (Lang::Es, _) => format!("; {n} RUC habían perdido el cero inicial: restaurados"),
            });
        }
        if self.unclosed_quotes > 0 {
            let n = self.unclosed_quotes;
            line.push_str(&match (lang, n) {
                (Lang::En, 1) => "; 1 line with an unclosed quote".to_owned(),
                (Lang::En, _) => format!("; {n} lines with an unclosed quote"),
                (Lang::Es, 1) => "; 1 línea con comillas sin cerrar".to_owned(),
                (Lang::Es, _) => format!("; {n} líneas con comillas sin cerrar"),
            });
        }
        if !self.skipped.is_empty() {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(why, n)| format!("{n} {}", why.label(lang)))
                .collect();
            line.push_str(&match lang {
                Lang::En => format!("; lines skipped: {}", reasons.join(", ")),
                Lang::Es => format!("; líneas omitidas: {}", reasons.join(", ")),
            });
        }
        line
    }
}
