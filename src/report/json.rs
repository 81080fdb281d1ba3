//! JSON reports: JSON Lines (one object per record, the documented contract) and one JSON
//! document (records, then the summary).

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};

use super::summary::Summary;
use super::{Output, ReportWriter};
use crate::Lang;
use crate::pipeline::{Record, Render, Sink};
use crate::rules::Finding;

/// One record as DOMAIN.md's report contract lays it out, keys in that order.
#[derive(Serialize)]
struct RecordJson<'a> {
    source: &'a str,
    sheet: Option<&'a str>,
    row: u64,
    status: &'static str,
    id: &'a str,
    ruc: &'a str,
    sucursal: &'a str,
    employer_kind: &'static str,
    findings: Findings<'a>,
    /// Only with `--compare`: the documented keys above stay as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'static str>,
}

struct Findings<'a>(&'a [Finding], Lang);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for f in self.0 {
            seq.serialize_element(&FindingJson(f, self.1))?;
        }
        seq.end()
    }
}

/// A finding as [`crate::rules::FindingView`] shows it, its message written straight into
/// the report (escaped on the way) rather than built first.
struct FindingJson<'a>(&'a Finding, Lang);

impl Serialize for FindingJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Self(f, lang) = *self;
        let mut st = s.serialize_struct("Finding", 4)?;
        st.serialize_field("code", f.code.name())?;
        st.serialize_field("severity", f.severity().as_str())?;
        st.serialize_field("field", f.field.as_str())?;
        st.serialize_field("message", &Message(f, lang))?;
        st.end()
    }
}

struct Message<'a>(&'a Finding, Lang);

impl Serialize for Message<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::fmt::Display for Message<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut result = Ok(());
        self.0.write_message(self.1, &mut |piece| {
            if result.is_ok() {
                result = out.write_str(piece);
            }
        });
        result
    }
}

/// Renders a record as one JSON object, and a newline after it for JSON Lines.
pub struct JsonRender {
    pub lang: Lang,
    pub line: bool,
}

impl Render for JsonRender {
    fn render(&self, record: &Record, out: &mut Vec<u8>) -> anyhow::Result<()> {
        write_record(out, record, self.lang)?;
        if self.line {
            out.push(b'\n');
        }
        Ok(())
    }
}

fn write_record(out: &mut impl Write, r: &Record, lang: Lang) -> anyhow::Result<()> {
    let name = r.source.name();
    let doc = RecordJson {
        source: &name,
        sheet: r.source.sheet.as_deref(),
        row: r.row,
        status: r.status.as_str(),
        id: &r.checked.id,
        ruc: &r.checked.ruc,
        sucursal: &r.checked.sucursal,
        employer_kind: r.checked.kind.as_str(),
        findings: Findings(&r.checked.findings, lang),
        change: r.checked.change.map(|c| c.as_str()),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    Ok(())
}

/// Writes a record's text: the one rendered in the parallel stage, or rendered now.
fn put(out: &mut Output, render: &JsonRender, r: &Record) -> anyhow::Result<()> {
    match r.rendered {
        Some(text) => out.write_all(text)?,
        None => {
            write_record(out, r, render.lang)?;
            if render.line {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// `-o report.jsonl`: one object per record, one per line.
pub struct JsonlWriter {
    out: Output,
    render: Arc<JsonRender>,
}

impl JsonlWriter {
    pub fn new(out: Output, lang: Lang) -> JsonlWriter {
        JsonlWriter {
            out,
            render: Arc::new(JsonRender { lang, line: true }),
        }
    }
}

impl Sink for JsonlWriter {
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        put(&mut self.out, &self.render, r)
    }

    fn text(&mut self, text: &[u8]) -> anyhow::Result<bool> {
        self.out.write_all(text)?;
        Ok(true)
    }
}

impl ReportWriter for JsonlWriter {
    fn finish(self: Box<Self>, _summary: &Summary) -> anyhow::Result<()> {
        self.out.commit()
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(self.render.clone())
    }
}

/// `-o report.json`: `{"records": [...], "summary": {...}}`, records streamed.
pub struct JsonWriter {
    out: Output,
    render: Arc<JsonRender>,
    first: bool,
}

impl JsonWriter {
    pub fn new(mut out: Output, lang: Lang) -> anyhow::Result<JsonWriter> {
        out.write_all(b"{\"records\": [")?;
        Ok(JsonWriter {
            out,
            render: Arc::new(JsonRender { lang, line: false }),
            first: true,
        })
    }
}

impl Sink for JsonWriter {
    fn record(&mut self, r: &Record) -> anyhow::Result<()> {
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        put(&mut self.out, &self.render, r)
    }
}

impl ReportWriter for JsonWriter {
    fn finish(mut self: Box<Self>, summary: &Summary) -> anyhow::Result<()> {
        self.out.write_all(b"\n],\n\"summary\": ")?;
        serde_json::to_writer_pretty(&mut self.out, &summary.to_json(false))?;
        self.out.write_all(b"}\n")?;
        self.out.commit()
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(self.render.clone())
    }
}
