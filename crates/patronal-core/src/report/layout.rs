//! The one table shape of the CSV and workbook reports, whatever the rosters look like:
//!
//! 1. the recognised fields, once each, under one heading per field (`Cédula` of one roster
//!    and `Identificación` of another are the same column), with the roster's own text;
//! 2. the verdict: result, codes, messages, normalised identifiers, source, row (and the
//!    change, with `--compare`);
//! 3. every other roster column: the union of the rosters' headers, each record's cells
//!    under its own header (a header repeated within a roster is a column per occurrence);
//! 4. the cells of a malformed row beyond its header, joined in one last column.
//!
//! Built in one pass over the headers with a hash map: linear in the header cells (300,000
//! header cells took 287 s with the former pairwise comparison).

use std::collections::HashMap;
use std::sync::Arc;

use super::Record;
use crate::finding::Field;
use crate::finding::Lang;
use crate::i18n::{Text, labels};
use crate::roster::Source;

/// The fields in report order: who the employer is first, then what else the roster says.
pub const FIELD_ORDER: [Field; 10] = [
    Field::Id,
    Field::Ruc,
    Field::Sucursal,
    Field::Name,
    Field::Email,
    Field::RucStatus,
    Field::FirstTime,
    Field::HasKey,
    Field::EmployerType,
    Field::IdType,
];

/// The heading of a recognised field. Every heading is one the roster reader recognises
/// for its field, so that a report read back (`--compare`) finds its columns.
pub fn field_heading(column: Field, lang: Lang) -> &'static str {
    let text = match column {
        Field::Id => labels::FIELD_ID,
        Field::Ruc => labels::FIELD_RUC,
        Field::Sucursal => labels::FIELD_SUCURSAL,
        Field::Name => labels::FIELD_NAME,
        Field::Email => labels::FIELD_EMAIL,
        Field::RucStatus => labels::FIELD_RUC_STATUS,
        Field::FirstTime => labels::FIELD_FIRST_TIME,
        Field::HasKey => labels::FIELD_HAS_KEY,
        Field::EmployerType => labels::FIELD_EMPLOYER_TYPE,
        Field::IdType => labels::FIELD_ID_TYPE,
        Field::Row => labels::FIELD_ROW,
    };
    text.get(lang)
}

/// The CSV report's verdict columns, machine names that stay stable (scripts and
/// `--compare` read them): result, codes, messages, the normalised identifiers, source, row.
const CSV_VERDICT: [Text; 8] = [
    labels::CSV_RESULT,
    labels::CSV_CODES,
    labels::CSV_MESSAGES,
    labels::CSV_NORMALIZED_ID,
    labels::CSV_NORMALIZED_RUC,
    labels::CSV_NORMALIZED_SUCURSAL,
    labels::CSV_SOURCE,
    labels::CSV_ROW,
];

/// The CSV report's verdict columns in `lang`. The status column is called "result" so that
/// it is not mistaken for a roster's own "Status"/"Estado" (the RUC's status).
pub fn verdict_labels(lang: Lang) -> [&'static str; 8] {
    CSV_VERDICT.map(|t| t.get(lang))
}

/// The workbook's records sheets: the verdict's headings, for a person (the CSV report
/// keeps its machine names): result, findings, how to fix, the normalised identifiers, file,
/// row.
const WORKBOOK_VERDICT: [Text; 8] = [
    labels::REC_RESULT,
    labels::REC_FINDINGS,
    labels::REC_FIX,
    labels::REC_NORMALIZED_ID,
    labels::REC_NORMALIZED_RUC,
    labels::REC_NORMALIZED_SUCURSAL,
    labels::REC_FILE,
    labels::REC_ROW,
];

/// The workbook's verdict headings in `lang`.
pub fn workbook_verdict_labels(lang: Lang) -> [&'static str; 8] {
    WORKBOOK_VERDICT.map(|t| t.get(lang))
}

/// Where a report's verdict column is, whatever wrote it: the CSV report's names or the
/// workbook's headings, in either language. `which`: the result (0), the normalised ID (3),
/// RUC (4), sucursal (5), the file (6) or the row (7).
pub fn verdict_column(headers: &[String], which: usize) -> Option<usize> {
    let names = [CSV_VERDICT[which], WORKBOOK_VERDICT[which]];
    headers.iter().position(|h| {
        let h = h.trim();
        names.iter().any(|t| h == t.en || h == t.es)
    })
}

/// The last column: the cells of a malformed row beyond its header (the CSV report's name).
pub fn extra_label(lang: Lang) -> &'static str {
    labels::CSV_EXTRA.get(lang)
}

/// Whether `headers` are those of a `patronal` CSV report or records sheet (in either
/// language, the workbook's headings or the CSV report's names): every verdict column is
/// there.
pub fn is_report_header(headers: &[String]) -> bool {
    let has = |label: &str| headers.iter().any(|h| h.trim() == label);
    [Lang::En, Lang::Es].into_iter().any(|lang| {
        verdict_labels(lang).iter().all(|l| has(l))
            || workbook_verdict_labels(lang).iter().all(|l| has(l))
    })
}

/// Where each source's cells go in the report.
#[derive(Debug)]
pub(crate) struct Layout {
    /// The recognised fields some roster has, in [`FIELD_ORDER`].
    pub fields: Vec<Field>,
    /// The headings of the other roster columns, in order of first appearance.
    pub others: Vec<String>,
    /// Per source: (column among `fields` then `others`, the source's cell index), by
    /// column. Sparse: a run over many rosters of disjoint layouts costs their header
    /// cells, not rosters × columns.
    pub cells: Vec<Vec<(u32, u32)>>,
    /// Per source: its header's width (cells beyond it are extra).
    pub widths: Vec<usize>,
}

impl Layout {
    pub(crate) fn new(sources: &[Arc<Source>]) -> Layout {
        let fields: Vec<Field> = FIELD_ORDER
            .into_iter()
            .filter(|c| sources.iter().any(|s| s.map.get(*c).is_some()))
            .collect();
        let mut others: Vec<String> = Vec::new();
        let mut index: HashMap<(String, u32), u32> = HashMap::new();
        let mut cells = Vec::with_capacity(sources.len());
        for s in sources {
            let mut map: Vec<(u32, u32)> = Vec::new();
            let mut mapped = vec![false; s.headers.len()];
            for (f, &column) in fields.iter().enumerate() {
                if let Some(i) = s.map.get(column).filter(|&i| i < s.headers.len()) {
                    map.push((f as u32, i as u32));
                    mapped[i] = true;
                }
            }
            // The n-th "Nombre" of a roster goes under the n-th "Nombre" column.
            let mut seen: HashMap<&str, u32> = HashMap::new();
            for (i, h) in s.headers.iter().enumerate() {
                if mapped[i] {
                    continue;
                }
                let h = h.trim();
                let n = seen.entry(h).or_default();
                let occurrence = *n;
                *n += 1;
                let column = *index.entry((h.to_owned(), occurrence)).or_insert_with(|| {
                    others.push(h.to_owned());
                    (others.len() - 1) as u32
                });
                map.push((fields.len() as u32 + column, i as u32));
            }
            map.sort_unstable();
            cells.push(map);
        }
        Layout {
            widths: sources.iter().map(|s| s.headers.len()).collect(),
            fields,
            others,
            cells,
        }
    }

    /// Roster columns in the report: the fields and the others.
    pub(crate) fn roster_columns(&self) -> usize {
        self.fields.len() + self.others.len()
    }

    /// The text of a record's cells beyond its header (a malformed row), joined with ` | `
    /// up to the last one that holds text; empty when there is none.
    pub fn extra_cells(&self, r: &Record) -> String {
        let width = self.widths[r.source_index];
        if r.cells.len() <= width {
            return String::new();
        }
        let extra: Vec<_> = r
            .cells
            .iter()
            .skip(width)
            .map(|c| r.source.decoder.decode(c))
            .collect();
        let used = extra
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        extra[..used].join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::headers::match_headers;

    fn source(headers: &[&str]) -> Arc<Source> {
        Source::with_headers(headers.iter().copied())
    }

    #[test]
    fn fields_first_then_the_union_of_the_other_headers() {
        let a = source(&["Razón social", "Cédula", "RUC", "Notas", "Notas"]);
        let b = source(&["Nº", "Identificación", "Nro. RUC", "Notas", "Ciudad"]);
        let layout = Layout::new(&[a, b]);
        assert_eq!(layout.fields, [Field::Id, Field::Ruc, Field::Name]);
        assert_eq!(layout.others, ["Notas", "Notas", "Nº", "Ciudad"]);
        // a: Cédula → 0, RUC → 1, Razón social → 2, Notas → 3, the second Notas → 4.
        assert_eq!(layout.cells[0], [(0, 1), (1, 2), (2, 0), (3, 3), (4, 4)]);
        // b: Identificación → 0, Nro. RUC → 1, Notas → 3, Nº → 5, Ciudad → 6.
        assert_eq!(layout.cells[1], [(0, 1), (1, 2), (3, 3), (5, 0), (6, 4)]);
    }

    #[test]
    fn headings_are_recognised_by_the_roster_reader() {
        for lang in [Lang::En, Lang::Es] {
            let headings: Vec<String> = FIELD_ORDER
                .iter()
                .map(|c| field_heading(*c, lang).to_owned())
                .collect();
            let map = match_headers(&headings, &[]);
            for (i, c) in FIELD_ORDER.iter().enumerate() {
                assert_eq!(map.get(*c), Some(i), "{lang:?} {c:?}");
            }
        }
    }

    #[test]
    fn a_wide_header_is_laid_out_in_linear_time() {
        let headers: Vec<String> = ["Cédula", "RUC"]
            .into_iter()
            .map(String::from)
            .chain((0..300_000).map(|i| format!("c{i}")))
            .collect();
        let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let s = source(&refs);
        let started = std::time::Instant::now();
        let layout = Layout::new(&[s]);
        assert_eq!(layout.others.len(), 300_000);
        // Quadratic took minutes; linear takes well under a second even unoptimised.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
