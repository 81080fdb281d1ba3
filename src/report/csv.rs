//! The CSV report, for Excel: the roster's own columns, then the verdict and the normalised
//! identifiers. UTF-8 with a BOM (so that Excel shows accents), and every cell that Excel
//! would run as a formula neutralised with a leading `'`.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use super::summary::Summary;
use super::{Output, ReportWriter};
use crate::Lang;
use crate::pipeline::{Record, Render, Sink};
use crate::roster::Source;
use crate::rules::{CATALOG, Finding};

/// The report's own columns, after the roster's. The status column is called "result" so
/// that it is not mistaken for a roster's own "Status"/"Estado" (the RUC's status).
pub fn labels(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::En => [
            "result",
            "codes",
            "messages",
            "normalized_id",
            "normalized_ruc",
            "normalized_sucursal",
            "source",
            "row",
        ],
        Lang::Es => [
            "resultado",
            "códigos",
            "mensajes",
            "id_normalizado",
            "ruc_normalizado",
            "sucursal_normalizada",
            "archivo",
            "fila",
        ],
    }
}

/// Where each source's roster columns go in the report. Several rosters share one column
/// per distinct header (the second "Nombre" of a file is a column of its own), in order of
/// first appearance.
#[derive(Debug)]
pub struct Layout {
    pub headers: Vec<String>,
    /// For each source, the report column of each of its roster columns.
    pub columns: Vec<Vec<usize>>,
}

impl Layout {
    pub fn new(sources: &[Arc<Source>]) -> Layout {
        let mut keys: Vec<(String, usize)> = Vec::new();
        let mut columns = Vec::with_capacity(sources.len());
        for s in sources {
            let mut seen: Vec<&str> = Vec::new();
            let mut map = Vec::with_capacity(s.headers.len());
            for h in &s.headers {
                let h = h.trim();
                let key = (h.to_owned(), seen.iter().filter(|x| **x == h).count());
                seen.push(h);
                let i = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    keys.len() - 1
                });
                map.push(i);
            }
            columns.push(map);
        }
        Layout {
            headers: keys.into_iter().map(|(h, _)| h).collect(),
            columns,
        }
    }
}

/// Excel runs a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula: prefix `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_neutralising(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn needs_neutralising(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Appends one CSV field: neutralised, quoted when it holds a comma, a quote or a newline.
fn field(out: &mut Vec<u8>, cell: &str, first: bool) {
    field_bytes(out, cell.as_bytes(), first);
}

/// [`field`] on UTF-8 bytes.
fn field_bytes(out: &mut Vec<u8>, cell: &[u8], first: bool) {
    if !first {
        out.push(b',');
    }
    // The usual field, an identifier: digits, nothing to quote or neutralise.
    if crate::ecuador::normalize::all_digits(cell) {
        out.extend_from_slice(cell);
        return;
    }
    // Fields are short: a plain loop beats memchr's set-up.
    let quote = cell
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quote {
        out.push(b'"');
    }
    if matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) {
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

/// True when no cell of a record needs quoting or decoding: no quotes, commas or line
/// breaks, and text that is already UTF-8 (`utf8`) or ASCII.
fn is_plain(bytes: &[u8], utf8: bool) -> bool {
    (utf8 || bytes.is_ascii())
        && memchr::memchr3(b',', b'"', b'\n', bytes).is_none()
        && memchr::memchr(b'\r', bytes).is_none()
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
fn roster_field(out: &mut Vec<u8>, source: &Source, cell: &[u8], first: bool) {
    if cell.is_ascii() {
        field_bytes(out, cell, first);
    } else {
        field(out, &source.decoder.decode(cell), first);
    }
}

/// Renders records as CSV lines; runs in the parallel stage.
pub struct CsvRender {
    lang: Lang,
    /// A last column with each record's change since the previous run.
    compare: bool,
    layout: Layout,
    /// Per source: the `source` column's field, rendered once (comma, quotes and all).
    names: Vec<Vec<u8>>,
    /// Per source: its columns are the report's first columns, in order.
    identity: Vec<bool>,
    /// Per code: the message of a finding without a detail, its quotes doubled for the
    /// quoted `messages` field (most findings have no detail: copied, not rebuilt).
    messages: Vec<Vec<u8>>,
}

impl Render for CsvRender {
    fn render(&self, r: &Record, out: &mut Vec<u8>) -> anyhow::Result<()> {
        let map = &self.layout.columns[r.source_index];
        let bytes = r.cells.as_slice();
        if self.identity[r.source_index] && r.cells.len() <= map.len() && is_plain(bytes, r.utf8) {
            // The usual case: this source's columns, in order, and nothing to quote, decode
            // or neutralise: the cells go out as they came in, in one piece when no cell
            // looks like a formula.
            let formula = |c: &[u8]| matches!(c.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t'));
            if r.cells.iter().any(formula) {
                for (i, cell) in r.cells.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    if formula(cell) {
                        out.push(b'\'');
                    }
                    out.extend_from_slice(cell);
                }
            } else {
                r.cells.write_joined(out, b',');
            }
            for i in r.cells.len()..map.len() {
                field(out, "", i == 0);
            }
        } else if self.identity[r.source_index] {
            for (i, cell) in r.cells.iter().take(map.len()).enumerate() {
                roster_field(out, r.source, cell, i == 0);
            }
            for i in r.cells.len()..map.len() {
                field(out, "", i == 0);
            }
        } else {
            let mut cells: Vec<&[u8]> = vec![b""; self.layout.headers.len()];
            for (cell, &col) in r.cells.iter().zip(map) {
                cells[col] = cell;
            }
            for (i, cell) in cells.iter().enumerate() {
                roster_field(out, r.source, cell, i == 0);
            }
        }
        let findings = &r.checked.findings;
        // A status label is a plain word (a test checks): nothing to quote or neutralise.
        if !self.layout.headers.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(r.status.label(self.lang).as_bytes());
        // Codes never need quoting; messages are always quoted (they may hold commas).
        out.push(b',');
        for (i, f) in findings.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(f.code.name().as_bytes());
        }
        out.extend_from_slice(b",\"");
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
        field(out, &r.checked.id, false);
        field(out, &r.checked.ruc, false);
        field(out, &r.checked.sucursal, false);
        out.extend_from_slice(&self.names[r.source_index]);
        // A row number never needs quotes.
        out.push(b',');
        out.extend_from_slice(itoa::Buffer::new().format(r.row).as_bytes());
        if self.compare {
            field(
                out,
                r.checked.change.map_or("", |c| c.label(self.lang)),
                false,
            );
        }
        // Cells beyond the header (a malformed row) are kept, after the report's columns.
        if r.cells.len() > map.len() {
            for cell in r.cells.iter().skip(map.len()) {
                roster_field(out, r.source, cell, false);
            }
        }
        out.extend_from_slice(b"\r\n");
        Ok(())
    }
}

pub struct CsvWriter {
    out: Output,
    render: Arc<CsvRender>,
    scratch: Vec<u8>,
}

impl CsvWriter {
    pub fn new(
        mut out: Output,
        sources: &[Arc<Source>],
        lang: Lang,
        compare: bool,
    ) -> anyhow::Result<CsvWriter> {
        let layout = Layout::new(sources);
        let mut header = "\u{feff}".as_bytes().to_vec();
        let change = compare.then(|| crate::compare::Change::column(lang));
        let names = layout
            .headers
            .iter()
            .map(String::as_str)
            .chain(labels(lang))
            .chain(change);
        for (i, name) in names.enumerate() {
            field(&mut header, name, i == 0);
        }
        header.extend_from_slice(b"\r\n");
        out.write_all(&header)?;
        Ok(CsvWriter {
            out,
            render: Arc::new(CsvRender {
                lang,
                compare,
                names: sources
                    .iter()
                    .map(|s| {
                        let name = match &s.sheet {
                            Some(sheet) => format!("{}[{sheet}]", s.name()),
                            None => s.name().into_owned(),
                        };
                        let mut rendered = Vec::new();
                        field(&mut rendered, &name, false);
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
                identity: layout
                    .columns
                    .iter()
                    .map(|m| m.iter().enumerate().all(|(i, &c)| i == c))
                    .collect(),
                layout,
            }),
            scratch: Vec::new(),
        })
    }
}

impl Sink for CsvWriter {
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        match r.rendered {
            Some(text) => self.out.write_all(text)?,
            None => {
                self.scratch.clear();
                self.render.render(r, &mut self.scratch)?;
                self.out.write_all(&self.scratch)?;
            }
        }
        Ok(())
    }

    fn text(&mut self, text: &[u8]) -> anyhow::Result<bool> {
        self.out.write_all(text)?;
        Ok(true)
    }
}

impl ReportWriter for CsvWriter {
    fn finish(self: Box<Self>, _summary: &Summary) -> anyhow::Result<()> {
        self.out.commit()
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(self.render.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+593", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s), format!("'{s}"));
        }
        for s in ["0912345678", "ana@gmail.com", "", "Pérez"] {
            assert_eq!(neutralise(s), s);
        }
    }

    #[test]
    fn status_labels_are_plain_fields() {
        use crate::rules::Status;
        for status in [Status::Ready, Status::Invalid, Status::InPerson] {
            for lang in [Lang::En, Lang::Es] {
                let label = status.label(lang);
                let mut out = Vec::new();
                field(&mut out, label, true);
                assert_eq!(out, label.as_bytes());
            }
        }
    }

    #[test]
    fn fields_are_quoted_like_csv_writers_do() {
        let mut out = Vec::new();
        field(&mut out, "plain", true);
        field(&mut out, "a,b", false);
        field(&mut out, "say \"hi\"", false);
        field(&mut out, "two\nlines", false);
        field(&mut out, "=1,2", false);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=1,2\""
        );
    }
}
