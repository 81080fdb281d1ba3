//! The CSV report, for Excel: the roster's own columns, then the verdict and the normalised
//! identifiers. UTF-8 with a BOM (so that Excel shows accents), and every cell that Excel
//! would run as a formula neutralised with a leading `'`.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use super::summary::Summary;
use super::{Output, ReportWriter};
use crate::Lang;
use crate::pipeline::{Record, Sink};
use crate::roster::Source;

pub struct CsvWriter {
    out: ::csv::Writer<Output>,
    lang: Lang,
    /// For each source, the report column of each of its roster columns.
    layout: Vec<Vec<usize>>,
    /// Roster columns in the report (the union over all sources).
    width: usize,
    row: Vec<String>,
}

/// The report's own columns, after the roster's.
fn labels(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::En => [
            "status",
            "codes",
            "messages",
            "normalized_id",
            "normalized_ruc",
            "normalized_sucursal",
            "source",
            "row",
        ],
        Lang::Es => [
            "estado",
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

impl CsvWriter {
    pub fn new(mut out: Output, sources: &[Arc<Source>], lang: Lang) -> anyhow::Result<CsvWriter> {
        out.write_all("\u{feff}".as_bytes())?;
        // Several rosters: one column per distinct header (the second "Nombre" of a file is
        // a column of its own), in order of first appearance.
        let mut columns: Vec<(String, usize)> = Vec::new();
        let mut layout = Vec::with_capacity(sources.len());
        for s in sources {
            let mut seen: Vec<&str> = Vec::new();
            let mut map = Vec::with_capacity(s.headers.len());
            for h in &s.headers {
                let h = h.trim();
                let occurrence = seen.iter().filter(|x| **x == h).count();
                seen.push(h);
                let key = (h.to_owned(), occurrence);
                let i = match columns.iter().position(|c| *c == key) {
                    Some(i) => i,
                    None => {
                        columns.push(key);
                        columns.len() - 1
                    }
                };
                map.push(i);
            }
            layout.push(map);
        }
        let mut out = ::csv::WriterBuilder::new().flexible(true).from_writer(out);
        let header = columns.iter().map(|(h, _)| h.as_str()).chain(labels(lang));
        for cell in header {
            out.write_field(neutralise(cell).as_bytes())?;
        }
        out.write_record(None::<&[u8]>)?;
        Ok(CsvWriter {
            out,
            lang,
            layout,
            width: columns.len(),
            row: Vec::new(),
        })
    }
}

/// Excel runs a cell starting with `=`, `+`, `-`, `@`, tab or CR as a formula: prefix `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

impl Sink for CsvWriter {
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        let index = r.source_index;
        self.row.clear();
        self.row.resize(self.width, String::new());
        for (cell, &col) in r.cells.iter().zip(&self.layout[index]) {
            self.row[col] = r.source.decoder.decode(cell).into_owned();
        }
        // Cells beyond the header (a malformed row) are kept, after the known columns.
        let extra = r.cells.iter().skip(self.layout[index].len());
        for cell in &self.row {
            self.out.write_field(neutralise(cell).as_bytes())?;
        }
        let findings = &r.checked.findings;
        let codes: Vec<&str> = findings.iter().map(|f| f.code.name()).collect();
        let messages: Vec<Cow<str>> = findings.iter().map(|f| f.message(self.lang)).collect();
        let row = r.row.to_string();
        let name = r.source.name();
        let source = match &r.source.sheet {
            Some(sheet) => Cow::Owned(format!("{name}[{sheet}]")),
            None => name,
        };
        let tail = [
            r.status.label(self.lang),
            &codes.join(" "),
            &messages.join(" | "),
            &r.checked.id,
            &r.checked.ruc,
            &r.checked.sucursal,
            &source,
            &row,
        ];
        for cell in tail {
            self.out.write_field(neutralise(cell).as_bytes())?;
        }
        for cell in extra {
            let cell = r.source.decoder.decode(cell);
            self.out.write_field(neutralise(&cell).as_bytes())?;
        }
        self.out.write_record(None::<&[u8]>)?;
        Ok(())
    }
}

impl ReportWriter for CsvWriter {
    fn finish(self: Box<Self>, _summary: &Summary) -> anyhow::Result<()> {
        let out = self.out.into_inner().map_err(|e| e.into_error())?;
        out.commit()
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
}
