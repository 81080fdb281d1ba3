//! The CSV report, for scripts and spreadsheets, in the one table shape of
//! [`super::layout`]: the recognised fields, the verdict, the other roster columns. UTF-8
//! with a BOM (so that Excel shows accents), `;` between fields for Spanish runs (a Spanish
//! Excel's list separator) and `,` otherwise, and every cell that Excel would run as a
//! formula neutralised with a leading `'`.

use std::io::Write;
use std::sync::Arc;

use super::Record;
use super::{RenderRecord, ReportError, TextWriter};
use crate::finding::Lang;
use crate::finding::{CATALOG, Finding};
use crate::roster::Source;

pub(crate) use super::layout::{Layout, verdict_labels as labels};
use super::layout::{extra_label, field_heading};

/// Excel runs a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula: the CSV
/// report prefixes such a cell with `'` (and `--compare` takes it off again).
pub(crate) fn starts_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Appends one CSV field's content (the delimiter before it is the caller's): neutralised,
/// quoted when it holds the delimiter, a quote or a line break.
fn field(out: &mut Vec<u8>, cell: &str, delimiter: u8) {
    field_bytes(out, cell.as_bytes(), delimiter);
}

/// [`field`] on UTF-8 bytes.
fn field_bytes(out: &mut Vec<u8>, cell: &[u8], delimiter: u8) {
    // The usual field, an identifier: digits, nothing to quote or neutralise.
    if crate::ecuador::normalize::all_digits(cell) {
        out.extend_from_slice(cell);
        return;
    }
    // Fields are short: a plain loop beats memchr's set-up.
    let quote = cell
        .iter()
        .any(|&b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r'));
    if quote {
        out.push(b'"');
    }
    if starts_formula(cell) {
        out.push(b'\'');
    }
    if quote {
        for part in cell.split_inclusive(|&b| b == b'"') {
            out.extend_from_slice(part);
            if part.ends_with(b"\"") {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
}

/// `text` for the inside of a quoted field: its quotes doubled.
fn quotes_doubled(out: &mut Vec<u8>, text: &str) {
    if memchr::memchr(b'"', text.as_bytes()).is_none() {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    for part in text.split_inclusive('"') {
        out.extend_from_slice(part.as_bytes());
        if part.ends_with('"') {
            out.push(b'"');
        }
    }
}

/// A roster cell as a field: ASCII bytes go through as they are (the same in UTF-8 and
/// Windows-1252); anything else is decoded first.
fn roster_field(out: &mut Vec<u8>, source: &Source, cell: &[u8], delimiter: u8) {
    if cell.is_ascii() {
        field_bytes(out, cell, delimiter);
    } else {
        field(out, &source.decoder.decode(cell), delimiter);
    }
}

/// Renders records as CSV lines. Written by hand rather than
/// through `csv::Writer`, whose quoting is one style for a whole writer: this report quotes
/// its `messages` field always (a spreadsheet then never splits it, whatever it holds) and
/// the other fields only when they need it, and puts the `'` that neutralises a formula
/// inside the quotes; a `csv::Writer` report would not be byte-identical to this one.
pub(crate) struct CsvRender {
    lang: Lang,
    delimiter: u8,
    /// A column with each record's change since the previous run.
    compare: bool,
    layout: Layout,
    /// Per source: the delimiter and the `source` column's field, rendered once.
    names: Vec<Vec<u8>>,
    /// Per code: the message of a finding without a detail, its quotes doubled for the
    /// quoted `messages` field (most findings have no detail: copied, not rebuilt).
    messages: Vec<Vec<u8>>,
}

impl CsvRender {
    /// The roster columns `from..to` of the layout, each after a delimiter but the line's
    /// first field; `k`: the next of the source's (column, cell) pairs.
    #[allow(clippy::too_many_arguments)]
    fn roster_columns(
        &self,
        r: &Record,
        out: &mut Vec<u8>,
        k: &mut usize,
        (from, to): (usize, usize),
        line_start: bool,
        plain: bool,
    ) {
        let pairs = &self.layout.cells[r.source_index];
        for column in from..to {
            if !(line_start && column == from) {
                out.push(self.delimiter);
            }
            if let Some(&(c, i)) = pairs.get(*k)
                && c as usize == column
            {
                *k += 1;
                let cell = r.cells.get(i as usize).unwrap_or_default();
                if plain {
                    // Nothing to quote or decode: the bytes as they came, but a formula.
                    if starts_formula(cell) {
                        out.push(b'\'');
                    }
                    out.extend_from_slice(cell);
                } else {
                    roster_field(out, r.source, cell, self.delimiter);
                }
            }
        }
    }
}

impl RenderRecord for CsvRender {
    fn render(&self, r: &Record, out: &mut Vec<u8>) {
        let d = self.delimiter;
        let fields = self.layout.fields.len();
        let mut k = 0;
        // The usual record: text already (UTF-8, or ASCII), with no delimiter, quote or line
        // break in any cell: one scan of the record, then its cells are copied as they are.
        let bytes = r.cells.as_slice();
        let plain = (r.utf8 || bytes.is_ascii())
            && memchr::memchr3(d, b'"', b'\n', bytes).is_none()
            && memchr::memchr(b'\r', bytes).is_none();
        self.roster_columns(r, out, &mut k, (0, fields), true, plain);
        let findings = &r.checked.findings;
        // A status label is a plain word (a test checks): nothing to quote or neutralise.
        if fields > 0 {
            out.push(d);
        }
        out.extend_from_slice(r.status.label(self.lang).as_bytes());
        // Codes never need quoting; messages are always quoted (they may hold the delimiter).
        out.push(d);
        for (i, f) in findings.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(f.code.name().as_bytes());
        }
        out.push(d);
        out.push(b'"');
        for (i, f) in findings.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b" | ");
            }
            match f.detail {
                None => out.extend_from_slice(&self.messages[f.code as usize]),
                Some(_) => f.write_message(self.lang, &mut |piece| quotes_doubled(out, piece)),
            }
        }
        out.push(b'"');
        for id in [&r.checked.id, &r.checked.ruc, &r.checked.sucursal] {
            out.push(d);
            field(out, id, d);
        }
        out.extend_from_slice(&self.names[r.source_index]);
        // A row number never needs quotes.
        out.push(d);
        out.extend_from_slice(itoa::Buffer::new().format(r.row).as_bytes());
        if self.compare {
            out.push(d);
            field(out, r.change.map_or("", |c| c.label(self.lang)), d);
        }
        // The other roster columns: those after the fields and the verdict.
        let others = self.layout.roster_columns();
        self.roster_columns(r, out, &mut k, (fields, others), false, plain);
        // Cells beyond the header (a malformed row), in one last field.
        out.push(d);
        let extra = self.layout.extra_cells(r);
        if !extra.is_empty() {
            field(out, &extra, d);
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// The CSV report's writer into `out`, its header written. `delimiter`: between fields (`;`
/// for Spanish runs, `,` otherwise, unless the user chose).
pub(crate) fn writer<W: Write>(
    mut out: W,
    sources: &[Arc<Source>],
    lang: Lang,
    compare: bool,
    delimiter: u8,
) -> Result<TextWriter<W, CsvRender>, ReportError> {
    let layout = Layout::new(sources);
    let mut header = "\u{feff}".as_bytes().to_vec();
    let change = compare.then(|| crate::report::Change::column(lang));
    let names = layout
        .fields
        .iter()
        .map(|c| field_heading(*c, lang))
        .chain(labels(lang))
        .chain(change)
        .chain(layout.others.iter().map(String::as_str))
        .chain([extra_label(lang)]);
    for (i, name) in names.enumerate() {
        if i > 0 {
            header.push(delimiter);
        }
        field(&mut header, name, delimiter);
    }
    header.extend_from_slice(b"\r\n");
    out.write_all(&header)?;
    let render = CsvRender {
        lang,
        delimiter,
        compare,
        names: sources
            .iter()
            .map(|s| {
                let mut rendered = vec![delimiter];
                field(&mut rendered, &s.label(), delimiter);
                rendered
            })
            .collect(),
        messages: CATALOG
            .iter()
            .map(|info| {
                let mut message = Vec::new();
                quotes_doubled(&mut message, &Finding::new(info.code).message(lang));
                message
            })
            .collect(),
        layout,
    };
    Ok(TextWriter::new(out, render))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        let written = |s: &str| {
            let mut out = Vec::new();
            field(&mut out, s, b',');
            String::from_utf8(out).unwrap()
        };
        for s in ["=1+1", "+593", "-2", "@SUM(A1)"] {
            assert_eq!(written(s), format!("'{s}"));
        }
        assert_eq!(written("\tx"), "'\tx");
        assert_eq!(written("\rx"), "\"'\rx\"");
        for s in ["0912345678", "ana@gmail.com", "", "Pérez"] {
            assert_eq!(written(s), s);
        }
    }

    #[test]
    fn status_labels_are_plain_fields() {
        use crate::finding::Verdict;
        for status in [Verdict::Ready, Verdict::Invalid, Verdict::InPerson] {
            for lang in [Lang::En, Lang::Es] {
                let label = status.label(lang);
                let mut out = Vec::new();
                field(&mut out, label, b';');
                assert_eq!(out, label.as_bytes());
            }
        }
    }

    #[test]
    fn fields_are_quoted_like_csv_writers_do() {
        let mut out = Vec::new();
        for (i, cell) in ["plain", "a,b", "say \"hi\"", "two\nlines", "=1,2", "a;b"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                out.push(b',');
            }
            field(&mut out, cell, b',');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=1,2\",a;b"
        );
        let mut out = Vec::new();
        field(&mut out, "a;b", b';');
        field(&mut out, "a,b", b';');
        assert_eq!(String::from_utf8(out).unwrap(), "\"a;b\"a,b");
    }

    /// The CSV report of `roster` (named `r.csv`), whole, as the sequential run writes it.
    fn report(roster: &str, lang: Lang, delimiter: u8) -> String {
        use crate::pipeline::{RunOptions, run_sequential};
        use crate::report::ReportWriter;
        use crate::roster::{self, ReadOptions};
        let name = std::path::Path::new("r.csv");
        let readers = roster::open_bytes(name, roster.as_bytes().to_vec(), &ReadOptions::default())
            .expect("the roster opens");
        let sources: Vec<_> = readers.iter().map(|r| Arc::clone(r.source())).collect();
        let mut report = writer(Vec::new(), &sources, lang, false, delimiter).expect("created");
        let summary = run_sequential(readers, &RunOptions::default(), &mut report, &mut |_, _| {})
            .expect("the run ends");
        let bytes = Box::new(report).finish(&summary).expect("finished");
        String::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn messages_are_always_quoted_in_the_reports_bytes() {
        // The `messages` field is quoted on every row: empty (a ready record), with nothing
        // to quote, holding the delimiter (`;` in Spanish), holding a quote (doubled). The
        // other fields are quoted only when they need it. Reports must stay byte-identical:
        // docs/decisions.md, "Hand-written on purpose".
        let roster = "Nombre,Cédula,RUC,Sucursal,Estado\n\
                      Ana,1710034065,1710034065001,0001,ACTIVO\n\
                      Luis,0428813992,0428813992001,1,\"EN \"\"TRAMITE\"\"\"\n\
                      Begoña,631999000,631999000001,0001,ACTIVO\n";
        assert_eq!(
            report(roster, Lang::En, b','),
            "\u{feff}ID,RUC,Sucursal,Name,RUC status,result,codes,messages,normalized_id,\
             normalized_ruc,normalized_sucursal,source,row,extra_cells\r\n\
             1710034065,1710034065001,0001,Ana,ACTIVO,ready,,\"\",\
             1710034065,1710034065001,0001,r.csv,2,\r\n\
             0428813992,0428813992001,1,Luis,\"EN \"\"TRAMITE\"\"\",ready,\
             SUCURSAL_PADDED RUC_STATUS_UNKNOWN,\
             \"The sucursal was padded to 4 digits | Unknown RUC status: EN \"\"TRAMITE\"\"\",\
             0428813992,0428813992001,0001,r.csv,3,\r\n\
             631999000,631999000001,0001,Begoña,ACTIVO,ready,\
             ID_LEADING_ZERO_RESTORED RUC_LEADING_ZERO_RESTORED,\
             \"The cédula had lost its leading zero (Excel); it was restored | \
             The RUC had lost its leading zero (Excel); it was restored\",\
             0631999000,0631999000001,0001,r.csv,4,\r\n"
        );
        assert_eq!(
            report(roster, Lang::Es, b';'),
            "\u{feff}Identificación;RUC;Sucursal;Nombre;Estado RUC;resultado;códigos;mensajes;\
             id_normalizado;ruc_normalizado;sucursal_normalizada;archivo;fila;celdas_extra\r\n\
             1710034065;1710034065001;0001;Ana;ACTIVO;lista;;\"\";\
             1710034065;1710034065001;0001;r.csv;2;\r\n\
             0428813992;0428813992001;1;Luis;\"EN \"\"TRAMITE\"\"\";lista;\
             SUCURSAL_PADDED RUC_STATUS_UNKNOWN;\
             \"La sucursal se completó a 4 dígitos | Estado de RUC desconocido: EN \"\"TRAMITE\"\"\";\
             0428813992;0428813992001;0001;r.csv;3;\r\n\
             631999000;631999000001;0001;Begoña;ACTIVO;lista;\
             ID_LEADING_ZERO_RESTORED RUC_LEADING_ZERO_RESTORED;\
             \"La cédula había perdido el cero inicial (Excel); se restauró | \
             El RUC había perdido el cero inicial (Excel); se restauró\";\
             0631999000;0631999000001;0001;r.csv;4;\r\n"
        );
    }
}
