//! JSON reports: JSON Lines (one object per record, the documented contract) and one JSON
//! document (records, then the summary).

use std::io::Write;
use std::sync::Arc;

use super::summary::Summary;
use super::{Record, Sink};
use super::{RenderRecord, ReportError, ReportWriter};
use crate::finding::Lang;
use crate::finding::{CATALOG, Finding};
use crate::roster::Source;

/// Renders a record as one JSON object, the report contract of docs/rules.md with its keys in that
/// order, and a newline after it for JSON Lines. Written by hand rather than through serde:
/// the keys and most values (codes, severities, fields, labels, and the messages of findings
/// without a detail) are the same for every record, so they are escaped once, not per record.
/// Measured (2026-12-02, 200,000 records to JSON Lines, callgrind, one thread): the same
/// report through `#[derive(Serialize)]` and `serde_json::to_writer`, byte-identical, ran
/// 1.85 G instructions against 1.24 G, +49% end to end, a quarter of it in serde_json's
/// per-byte string escaping. A test checks that the output escapes as serde_json does.
pub(crate) struct JsonRender {
    line: bool,
    lang: Lang,
    /// Per source: `{"source":…,"sheet":…,"row":`.
    heads: Vec<Vec<u8>>,
    /// Per code: the message of a finding without a detail, as a JSON string.
    messages: Vec<Vec<u8>>,
}

impl JsonRender {
    pub fn new(sources: &[Arc<Source>], lang: Lang, line: bool) -> JsonRender {
        let heads = sources
            .iter()
            .map(|s| {
                let mut head = b"{\"source\":".to_vec();
                string(&mut head, &s.name());
                head.extend_from_slice(b",\"sheet\":");
                match &s.sheet {
                    Some(sheet) => string(&mut head, sheet),
                    None => head.extend_from_slice(b"null"),
                }
                head.extend_from_slice(b",\"row\":");
                head
            })
            .collect();
        let messages = CATALOG
            .iter()
            .map(|info| {
                let mut message = Vec::new();
                string(&mut message, &Finding::new(info.code).message(lang));
                message
            })
            .collect();
        JsonRender {
            line,
            lang,
            heads,
            messages,
        }
    }

    fn write(&self, r: &Record, out: &mut Vec<u8>) {
        // Codes, severities, fields, statuses and kinds are plain ASCII words (a test says
        // so): they go in as they are.
        let word = |out: &mut Vec<u8>, key: &[u8], value: &str| {
            out.extend_from_slice(key);
            out.push(b'"');
            out.extend_from_slice(value.as_bytes());
            out.push(b'"');
        };
        out.extend_from_slice(&self.heads[r.source_index]);
        out.extend_from_slice(itoa::Buffer::new().format(r.row).as_bytes());
        word(out, b",\"status\":", r.status.as_str());
        out.extend_from_slice(b",\"id\":");
        string(out, &r.checked.id);
        out.extend_from_slice(b",\"ruc\":");
        string(out, &r.checked.ruc);
        out.extend_from_slice(b",\"sucursal\":");
        string(out, &r.checked.sucursal);
        word(out, b",\"employer_kind\":", r.checked.kind.as_str());
        out.extend_from_slice(b",\"findings\":[");
        for (i, f) in r.checked.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            word(out, b"{\"code\":", f.code.name());
            word(out, b",\"severity\":", f.severity().as_str());
            word(out, b",\"field\":", f.field.as_str());
            out.extend_from_slice(b",\"message\":");
            match f.detail {
                None => out.extend_from_slice(&self.messages[f.code as usize]),
                Some(_) => {
                    out.push(b'"');
                    f.write_message(self.lang, &mut |piece| escaped(out, piece));
                    out.push(b'"');
                }
            }
            out.push(b'}');
        }
        out.push(b']');
        if let Some(change) = r.change {
            word(out, b",\"change\":", change.as_str());
        }
        out.push(b'}');
        if self.line {
            out.push(b'\n');
        }
    }
}

impl RenderRecord for JsonRender {
    fn render(&self, record: &Record, out: &mut Vec<u8>) {
        self.write(record, out);
    }
}

/// `s` as a JSON string, quotes included.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

/// A control character, a quote or a backslash: what JSON escapes.
fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any byte [`is_special`] (testing eight bytes at a time saved 1.5% of a run: not
/// worth its code).
fn needs_escaping(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| is_special(b))
}

/// `s` escaped for the inside of a JSON string, as serde_json does it: `"`, `\\` and control
/// characters (short forms where JSON has them, else `\u00XX`); the rest as it is.
fn escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !needs_escaping(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b if b < 0x20 => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            b => out.push(b),
        }
    }
}

/// `-o report.json`: `{"records": [...], "summary": {...}}`, records streamed.
pub(crate) struct JsonWriter<W> {
    out: W,
    render: JsonRender,
    text: Vec<u8>,
}

impl<W: Write> JsonWriter<W> {
    pub(crate) fn new(
        mut out: W,
        sources: &[Arc<Source>],
        lang: Lang,
    ) -> Result<JsonWriter<W>, ReportError> {
        out.write_all(b"{\"records\": [")?;
        Ok(JsonWriter {
            out,
            render: JsonRender::new(sources, lang, false),
            text: Vec::new(),
        })
    }
}

impl<W: Write + Send> Sink for JsonWriter<W> {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        // The text before each record: the first one's, or the comma after the previous.
        let before: &[u8] = if self.text.is_empty() {
            b"\n  "
        } else {
            b",\n  "
        };
        self.text.clear();
        self.text.extend_from_slice(before);
        self.render.write(r, &mut self.text);
        Ok(self.out.write_all(&self.text)?)
    }
}

impl<W: Write + Send> ReportWriter<W> for JsonWriter<W> {
    fn finish(mut self: Box<Self>, summary: &Summary) -> Result<W, ReportError> {
        self.out.write_all(b"\n],\n\"summary\": ")?;
        serde_json::to_writer_pretty(&mut self.out, &summary.to_json(false))
            .map_err(std::io::Error::from)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecuador::EmployerKind;
    use crate::finding::{Field, Severity, Verdict};
    use crate::report::Change;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut samples: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        samples
            .extend(["", "plain", "Cédula ñ", "a\"b\\c\nd\u{1}\u{7f}é\u{2028}"].map(String::from));
        for s in samples {
            let mut ours = Vec::new();
            string(&mut ours, &s);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_place() {
        for n in 0..40 {
            let text = &"Núñez S.A. ana@gmail.com 0926687856001".as_bytes()[..n];
            assert!(!needs_escaping(text), "{text:?}");
            for i in 0..n {
                for b in 0..=255u8 {
                    let mut bytes = text.to_vec();
                    bytes[i] = b;
                    let expected = bytes.iter().any(|&b| is_special(b));
                    assert_eq!(needs_escaping(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn words_written_unescaped_need_no_escaping() {
        let needs = |s: &str| s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
        let mut words: Vec<&str> = CATALOG.iter().map(|c| c.name).collect();
        words.extend(CATALOG.iter().map(|c| c.severity.as_str()));
        words.extend(CATALOG.iter().map(|c| c.field.as_str()));
        words
            .extend([Severity::Warning, Severity::InPerson, Severity::Error].map(Severity::as_str));
        words.extend([Field::Id, Field::Ruc, Field::Sucursal, Field::Email].map(Field::as_str));
        words.extend(
            [
                Field::RucStatus,
                Field::FirstTime,
                Field::HasKey,
                Field::Row,
            ]
            .map(Field::as_str),
        );
        words.extend([Verdict::Ready, Verdict::Invalid, Verdict::InPerson].map(Verdict::as_str));
        words
            .extend([Change::New, Change::Same, Change::Worse, Change::Better].map(Change::as_str));
        let kinds = [
            EmployerKind::Natural,
            EmployerKind::Public,
            EmployerKind::Company,
            EmployerKind::Domestic,
            EmployerKind::Foreign,
            EmployerKind::Unknown,
        ];
        words.extend(kinds.map(EmployerKind::as_str));
        for w in words {
            assert!(!w.is_empty() && !needs(w), "{w:?}");
        }
    }
}
