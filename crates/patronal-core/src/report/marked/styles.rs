//! The workbook's `styles.xml`, with what the marks need appended: fills (the severities',
//! the results', the headings' grey), a bold font, and cell formats. A marked cell's
//! format is a copy of its own (number format, font, borders, alignment kept) with the
//! severity's fill: nothing of the client's formats changes, and no format is shared with
//! a cell the copy does not mark.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::Event;

use super::marks;
use super::sheet::with_attr;
use super::xlsx_edit::{Result, fail, prefix_of};
use crate::finding::{Severity, Verdict};

/// A list of `styles.xml` (`fonts`, `fills`, `cellXfs`): its start tag, its children's
/// spans, and where its end tag begins.
#[derive(Default)]
struct Section {
    start: (usize, usize),
    children: Vec<(usize, usize)>,
    end: usize,
    found: bool,
}

/// The styles, as read, and what the copy appends.
pub(crate) struct Styles {
    xml: String,
    prefix: String,
    fonts: Section,
    fills: Section,
    xfs: Section,
    new_fonts: Vec<String>,
    new_fills: Vec<String>,
    new_xfs: Vec<String>,
    /// Fill ids by colour, format ids by what they are for.
    fill_ids: HashMap<u32, usize>,
    marked: HashMap<(u32, Severity), u32>,
    heading: Option<u32>,
    results: HashMap<Verdict, u32>,
    text: Option<u32>,
}

impl Styles {
    pub(crate) fn parse(xml: String) -> Result<Styles> {
        // fonts, fills, cellXfs
        let mut sections: [Section; 3] = Default::default();
        let mut prefix = String::new();
        {
            let mut reader = Reader::from_str(&xml);
            let mut depth = 0usize;
            let mut current: Option<usize> = None;
            let mut child_start = 0usize;
            loop {
                let before = reader.buffer_position() as usize;
                let event = reader.read_event()?;
                let after = reader.buffer_position() as usize;
                match &event {
                    Event::Start(e) if depth == 0 => prefix = prefix_of(e),
                    Event::Start(e) if depth == 1 => {
                        current = match e.local_name().as_ref() {
                            "fonts" => Some(0),
                            "fills" => Some(1),
                            "cellXfs" => Some(2),
                            _ => None,
                        };
                        if let Some(i) = current {
                            sections[i].start = (before, after);
                            sections[i].found = true;
                        }
                    }
                    Event::End(_) if depth == 2 => {
                        if let Some(i) = current.take() {
                            sections[i].end = before;
                        }
                    }
                    Event::Start(_) if depth == 2 => child_start = before,
                    Event::Empty(_) if depth == 2 => {
                        if let Some(i) = current {
                            sections[i].children.push((before, after));
                        }
                    }
                    Event::End(_) if depth == 3 => {
                        if let Some(i) = current {
                            sections[i].children.push((child_start, after));
                        }
                    }
                    Event::Eof => break,
                    _ => {}
                }
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        let [fonts, fills, xfs] = sections;
        if !(fonts.found && fills.found && xfs.found) || fonts.children.is_empty() {
            return Err(fail("styles without fonts, fills or cell formats"));
        }
        Ok(Styles {
            xml,
            prefix,
            fonts,
            fills,
            xfs,
            new_fonts: Vec::new(),
            new_fills: Vec::new(),
            new_xfs: Vec::new(),
            fill_ids: HashMap::new(),
            marked: HashMap::new(),
            heading: None,
            results: HashMap::new(),
            text: None,
        })
    }

    /// The id of a solid fill of `color`.
    fn fill(&mut self, color: u32) -> usize {
        if let Some(&id) = self.fill_ids.get(&color) {
            return id;
        }
        let p = &self.prefix;
        self.new_fills.push(format!(
            "<{p}fill><{p}patternFill patternType=\"solid\"><{p}fgColor rgb=\"FF{color:06X}\"/><{p}bgColor indexed=\"64\"/></{p}patternFill></{p}fill>"
        ));
        let id = self.fills.children.len() + self.new_fills.len() - 1;
        self.fill_ids.insert(color, id);
        id
    }

    fn push_xf(&mut self, xf: String) -> u32 {
        self.new_xfs.push(xf);
        (self.xfs.children.len() + self.new_xfs.len() - 1) as u32
    }

    /// Format `base` (a cell's own) with the fill of `severity`.
    pub(crate) fn marked(&mut self, base: u32, severity: Severity) -> u32 {
        if let Some(&xf) = self.marked.get(&(base, severity)) {
            return xf;
        }
        let fill = self.fill(marks::severity_color(severity));
        let xf = self.copy_with_fill(base, fill);
        let id = self.push_xf(xf);
        self.marked.insert((base, severity), id);
        id
    }

    /// A copy of format `base` (the first when there is no such format) with `fill`.
    fn copy_with_fill(&self, base: u32, fill: usize) -> String {
        let span = self
            .xfs
            .children
            .get(base as usize)
            .or_else(|| self.xfs.children.first())
            .copied();
        let p = &self.prefix;
        let Some((from, to)) = span else {
            return format!(
                "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFill=\"1\"/>"
            );
        };
        let raw = &self.xml[from..to];
        let mut reader = Reader::from_str(raw);
        let mut writer = Writer::new(Vec::new());
        let first = reader.read_event();
        let rest = &raw[reader.buffer_position() as usize..];
        let fill = fill.to_string();
        match first {
            Ok(Event::Empty(e)) => {
                let e = with_attr(&with_attr(&e, "fillId", &fill), "applyFill", "1");
                let _ = writer.write_event(Event::Empty(e));
            }
            Ok(Event::Start(e)) => {
                let e = with_attr(&with_attr(&e, "fillId", &fill), "applyFill", "1");
                let _ = writer.write_event(Event::Start(e));
                writer.get_mut().extend_from_slice(rest.as_bytes());
            }
            _ => {
                return format!(
                    "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFill=\"1\"/>"
                );
            }
        }
        String::from_utf8(writer.into_inner()).unwrap_or_default()
    }

    /// The verdict headings' format: bold, on the Records sheet's grey, wrapped.
    pub(crate) fn heading(&mut self) -> u32 {
        if let Some(xf) = self.heading {
            return xf;
        }
        let fill = self.fill(marks::HEADING_COLOR);
        let p = self.prefix.clone();
        let (from, to) = self.fonts.children[0];
        let font = &self.xml[from..to];
        let bold = match font.find('>') {
            Some(at) if !font[..at].ends_with('/') => {
                format!("{}<{p}b/>{}", &font[..=at], &font[at + 1..])
            }
            _ => format!("<{p}font><{p}b/></{p}font>"),
        };
        self.new_fonts.push(bold);
        let font_id = self.fonts.children.len() + self.new_fonts.len() - 1;
        let xf = self.push_xf(format!(
            "<{p}xf numFmtId=\"0\" fontId=\"{font_id}\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyAlignment=\"1\"><{p}alignment vertical=\"top\" wrapText=\"1\"/></{p}xf>"
        ));
        self.heading = Some(xf);
        xf
    }

    /// The result cell's format: the verdict's fill.
    pub(crate) fn result(&mut self, verdict: Verdict) -> u32 {
        if let Some(&xf) = self.results.get(&verdict) {
            return xf;
        }
        let fill = self.fill(marks::verdict_color(verdict));
        let p = self.prefix.clone();
        let xf = self.push_xf(format!(
            "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"{fill}\" borderId=\"0\" xfId=\"0\" applyFill=\"1\" applyAlignment=\"1\"><{p}alignment vertical=\"top\"/></{p}xf>"
        ));
        self.results.insert(verdict, xf);
        xf
    }

    /// The reasons', fixes' and suggestions' format: text, wrapped, at the top.
    pub(crate) fn text(&mut self) -> u32 {
        if let Some(xf) = self.text {
            return xf;
        }
        let p = self.prefix.clone();
        let xf = self.push_xf(format!(
            "<{p}xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><{p}alignment vertical=\"top\" wrapText=\"1\"/></{p}xf>"
        ));
        self.text = Some(xf);
        xf
    }

    /// `styles.xml` with what was appended, and the lists' counts.
    pub(crate) fn finish(&self) -> Result<Vec<u8>> {
        let mut sections = [
            (&self.fonts, &self.new_fonts),
            (&self.fills, &self.new_fills),
            (&self.xfs, &self.new_xfs),
        ];
        sections.sort_by_key(|(s, _)| s.start.0);
        let mut out = Vec::with_capacity(self.xml.len() + 4096);
        let mut at = 0;
        for (section, added) in sections {
            out.extend_from_slice(&self.xml.as_bytes()[at..section.start.0]);
            let count = (section.children.len() + added.len()).to_string();
            let tag = &self.xml[section.start.0..section.start.1];
            let mut reader = Reader::from_str(tag);
            match reader.read_event()? {
                Event::Start(e) => {
                    let mut w = Writer::new(Vec::new());
                    w.write_event(Event::Start(with_attr(&e, "count", &count)))?;
                    out.extend_from_slice(&w.into_inner());
                }
                _ => return Err(fail("a styles list without its start tag")),
            }
            out.extend_from_slice(&self.xml.as_bytes()[section.start.1..section.end]);
            for a in added {
                out.extend_from_slice(a.as_bytes());
            }
            at = section.end;
        }
        out.extend_from_slice(&self.xml.as_bytes()[at..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0000000000"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment horizontal="center"/></xf></cellXfs></styleSheet>"#;

    #[test]
    fn formats_are_appended_and_copied_with_the_fill() {
        let mut styles = Styles::parse(STYLES.to_owned()).unwrap();
        assert_eq!(styles.marked(1, Severity::Error), 2);
        assert_eq!(styles.marked(1, Severity::Error), 2);
        assert_eq!(styles.marked(0, Severity::Warning), 3);
        assert_eq!(styles.heading(), 4);
        let xml = String::from_utf8(styles.finish().unwrap()).unwrap();
        assert!(xml.contains(r#"<fonts count="2">"#), "{xml}");
        assert!(xml.contains(r#"<fills count="5">"#), "{xml}");
        assert!(xml.contains(r#"<cellXfs count="5">"#), "{xml}");
        // The copy keeps the number format and the alignment.
        assert!(
            xml.contains(r#"<xf numFmtId="164" fontId="0" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFill="1"><alignment horizontal="center"/></xf>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<font><b/><sz val="11"/>"#), "{xml}");
        assert!(xml.contains("FFFFC7CE"), "{xml}");
        // What was there is there.
        assert!(xml.contains(r#"<numFmt numFmtId="164" formatCode="0000000000"/>"#));
    }
}
