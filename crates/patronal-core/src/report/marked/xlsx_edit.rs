//! The marked copy of an `.xlsx` or `.xlsm` roster, edited in place as a stream: every part
//! of the package is copied as it is (its compressed bytes, not even inflated), except
//! those the marks touch, which are read and written back event by event with quick-xml:
//!
//! - each marked sheet (`sheet.rs`): its cells keep their values, formulas and styles; a
//!   marked cell gets a copy of its own style with the severity's fill; the verdict cells
//!   are added after the roster's last column (inline strings), with their column widths,
//!   a frozen pane under the header row and a filter on it;
//! - its notes: comments and their VML drawing (`notes.rs`, new parts), and its
//!   relationships;
//! - `styles.xml` (`styles.rs`): fills, a bold font and cell formats appended, none
//!   changed;
//! - `workbook.xml`: the filter's hidden name; `[Content_Types].xml`: the new parts.
//!
//! Memory holds the styles, the workbook part and one event at a time of a sheet, whatever
//! the sheet's size (docs/decisions.md, "The marked copy").

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek, Write};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::marks::{self, Table};
use super::notes;
use super::sheet::rewrite_sheet;
use super::styles::Styles;
use crate::finding::Lang;

/// Why the workbook could not be edited in place (the copy then holds the values only).
#[derive(Debug)]
pub(crate) struct EditError(pub(crate) String);

impl<E: std::fmt::Display> From<E> for EditError {
    fn from(e: E) -> EditError {
        EditError(e.to_string())
    }
}

pub(crate) fn fail(what: impl Into<String>) -> EditError {
    EditError(what.into())
}

pub(crate) type Result<T> = std::result::Result<T, EditError>;

const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const COMMENTS_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const VML_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";

/// Edits the workbook read from `input` into `out`: the marks of `tables` (its sheets that
/// the run read) added, everything else kept.
pub(crate) fn edit<R: Read + Seek, W: Write + Seek>(
    input: R,
    tables: &[&Table],
    lang: Lang,
    out: W,
) -> Result<W> {
    edit_with(input, tables, None, lang, out)
}

/// [`edit`], with `first_note` on A1 of the first sheet (which must be one of `tables`'):
/// the values-only copy's word on what it is.
pub(crate) fn edit_with<R: Read + Seek, W: Write + Seek>(
    input: R,
    tables: &[&Table],
    first_note: Option<&str>,
    lang: Lang,
    out: W,
) -> Result<W> {
    let mut zip = ZipArchive::new(input)?;
    let names: HashMap<String, usize> = (0..zip.len())
        .filter_map(|i| Some((zip.name_for_index(i)?.ok()?.to_ascii_lowercase(), i)))
        .collect();
    let read_part = |zip: &mut ZipArchive<R>, name: &str| -> Result<Option<String>> {
        let Some(&i) = names.get(&name.trim_start_matches('/').to_ascii_lowercase()) else {
            return Ok(None);
        };
        let mut text = String::new();
        zip.by_index(i)?.read_to_string(&mut text)?;
        Ok(Some(text))
    };
    let root_rels = read_part(&mut zip, "_rels/.rels")?.unwrap_or_default();
    let workbook_part = relationships(&root_rels, "")
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_owned(), |r| r.target);
    let workbook = read_part(&mut zip, &workbook_part)?.ok_or_else(|| fail("no workbook part"))?;
    let workbook_rels = read_part(&mut zip, &rels_part_of(&workbook_part))?.unwrap_or_default();
    let book_rels = relationships(&workbook_rels, &workbook_part);
    let styles_part = book_rels
        .iter()
        .find(|r| r.kind.ends_with("/styles"))
        .map(|r| r.target.clone())
        .ok_or_else(|| fail("no styles part"))?;
    let styles_xml = read_part(&mut zip, &styles_part)?.ok_or_else(|| fail("no styles part"))?;
    let mut styles = Styles::parse(styles_xml)?;
    let content_types =
        read_part(&mut zip, "[Content_Types].xml")?.ok_or_else(|| fail("no content types"))?;

    // Which part is each sheet, and what each marked sheet gets.
    let sheets = sheets_of(&workbook)?;
    let mut plans: Vec<Plan> = Vec::new();
    let mut taken: Vec<String> = names.keys().cloned().collect();
    let mut block = 1000;
    for table in tables {
        // A CSV roster's table is the first (and only) sheet of its values-only copy.
        let index = match &table.source.sheet {
            Some(name) => sheets
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| fail(format!("no sheet {name:?}")))?,
            None if !sheets.is_empty() => 0,
            None => return Err(fail("no sheet")),
        };
        let name = &sheets[index].0;
        let rid = &sheets[index].1;
        let part = book_rels
            .iter()
            .find(|r| &r.id == rid)
            .map(|r| r.target.clone())
            .ok_or_else(|| fail(format!("no part for sheet {name:?}")))?;
        let rels_part = rels_part_of(&part);
        let rels_xml = read_part(&mut zip, &rels_part)?;
        let rels = relationships(rels_xml.as_deref().unwrap_or_default(), &part);
        let has_table = rels.iter().any(|r| r.kind.ends_with("/table"));
        let has_notes = rels
            .iter()
            .any(|r| r.kind.ends_with("/comments") || r.kind.ends_with("/vmlDrawing"));
        let first = first_note.filter(|_| index == 0).map(str::to_owned);
        let count = notes::count(table, first.as_deref(), lang);
        let notes = (count > 0 && !has_notes).then(|| {
            let ids: Vec<&str> = rels.iter().map(|r| r.id.as_str()).collect();
            let rid = |base: &str| {
                let mut n = 1;
                while ids.contains(&format!("{base}{n}").as_str()) {
                    n += 1;
                }
                format!("{base}{n}")
            };
            let notes = Notes {
                comments_rid: rid("rIdPatronalComments"),
                vml_rid: rid("rIdPatronalVml"),
                comments: unused(&mut taken, "xl/comments", ".xml"),
                vml: unused(&mut taken, "xl/drawings/vmlDrawing", ".vml"),
                vml_block: block,
            };
            // Each drawing its own blocks of 1,024 shape ids, above any the workbook has.
            block += 1 + count / 1024;
            notes
        });
        plans.push(Plan {
            table,
            index,
            name: name.clone(),
            part: part.to_ascii_lowercase(),
            rels_part,
            rels_xml,
            filter: !has_table,
            notes,
            start_col: table.width as u32,
            first,
        });
    }

    let mut writer = ZipWriter::new(out);
    let deflated = |level: i64| {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(level))
    };
    let workbook_lower = workbook_part.to_ascii_lowercase();
    let styles_lower = styles_part.to_ascii_lowercase();
    let mut styles_name = styles_part.clone();
    let mut rels_written: Vec<String> = Vec::new();
    for i in 0..zip.len() {
        let name = zip
            .name_for_index(i)
            .ok_or_else(|| fail("a part without a name"))??
            .into_owned();
        let lower = name.to_ascii_lowercase();
        if lower == "[content_types].xml" {
            writer.start_file(&name, deflated(6))?;
            writer.write_all(content_types_with(&content_types, &plans).as_bytes())?;
        } else if lower == workbook_lower {
            writer.start_file(&name, deflated(6))?;
            writer.write_all(&workbook_with_filters(&workbook, &plans)?)?;
        } else if lower == styles_lower {
            // Written last, with the formats the sheets asked for.
            styles_name = name;
        } else if let Some(plan) = plans.iter().find(|p| p.part == lower) {
            let size = zip.by_index_raw(i)?.size();
            let options = deflated(1).large_file(size > 3 << 30);
            writer.start_file(&name, options)?;
            let part = BufReader::with_capacity(1 << 16, zip.by_index(i)?);
            let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut writer);
            rewrite_sheet(part, &mut out, plan, &mut styles, lang)?;
            out.flush()?;
        } else if let Some(plan) = plans
            .iter()
            .find(|p| p.rels_part.eq_ignore_ascii_case(&lower) && p.notes.is_some())
        {
            writer.start_file(&name, deflated(6))?;
            writer.write_all(sheet_rels(plan).as_bytes())?;
            rels_written.push(lower);
        } else {
            writer.raw_copy_file(zip.by_index_raw(i)?)?;
        }
    }
    for plan in &plans {
        let Some(n) = &plan.notes else {
            continue;
        };
        if !rels_written.contains(&plan.rels_part.to_ascii_lowercase()) {
            writer.start_file(&plan.rels_part, deflated(6))?;
            writer.write_all(sheet_rels(plan).as_bytes())?;
        }
        writer.start_file(&n.comments, deflated(1))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut writer);
        notes::write_comments(&mut out, plan.table, plan.first.as_deref(), lang)?;
        out.flush()?;
        drop(out);
        writer.start_file(&n.vml, deflated(1))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut writer);
        notes::write_vml(
            &mut out,
            plan.table,
            plan.first.as_deref(),
            n.vml_block,
            lang,
        )?;
        out.flush()?;
    }
    writer.start_file(&styles_name, deflated(6))?;
    writer.write_all(&styles.finish()?)?;
    Ok(writer.finish()?)
}

/// What one marked sheet gets.
pub(crate) struct Plan<'a> {
    pub(crate) table: &'a Table,
    /// Its place among the workbook's sheets (the filter's `localSheetId`).
    index: usize,
    name: String,
    /// Its part, lowercased (`xl/worksheets/sheet1.xml`).
    part: String,
    rels_part: String,
    rels_xml: Option<String>,
    /// A filter on the header row: not on a sheet with a table (Excel's tables have their
    /// own, and refuse a second).
    pub(crate) filter: bool,
    /// Its notes' parts, when it has marks and no notes of its own.
    pub(crate) notes: Option<Notes>,
    /// The first verdict column (0-based): after the widest row of the roster.
    pub(crate) start_col: u32,
    /// A note for A1 besides the marks' (the values-only copy's word).
    first: Option<String>,
}

pub(crate) struct Notes {
    comments: String,
    vml: String,
    comments_rid: String,
    pub(crate) vml_rid: String,
    /// The VML drawing's first block of shape ids.
    vml_block: usize,
}

impl Plan<'_> {
    pub(crate) fn header_row(&self) -> u64 {
        self.table.source.header_row.max(1)
    }

    pub(crate) fn last_row(&self) -> u64 {
        self.table
            .rows
            .last()
            .map_or(self.header_row(), |r| r.row.max(self.header_row()))
    }

    pub(crate) fn last_col(&self) -> u32 {
        self.start_col + 3
    }

    /// The filter's range: the header row to the last record, the first header cell to the
    /// last verdict column.
    pub(crate) fn filter_ref(&self) -> String {
        format!(
            "{}{}:{}{}",
            column_name(marks::first_column(&self.table.source)),
            self.header_row(),
            column_name(self.last_col()),
            self.last_row()
        )
    }
}

/// `name1.xml`, `name2.xml`… the first not in `taken` (lowercased), which it joins.
fn unused(taken: &mut Vec<String>, stem: &str, ext: &str) -> String {
    let mut n = 1;
    loop {
        let name = format!("{stem}{n}{ext}");
        if !taken.contains(&name.to_ascii_lowercase()) {
            taken.push(name.to_ascii_lowercase());
            return name;
        }
        n += 1;
    }
}

/// A column's letters: 0 → `A`, 26 → `AA`.
pub(crate) fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A cell reference's 0-based column and 1-based row (`B12` → (1, 12)).
pub(crate) fn parse_ref(r: &str) -> Option<(u32, u64)> {
    let r = r.as_bytes();
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for &b in &r[..letters] {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((col - 1, row))
}

/// Text for an XML element or attribute: escaped, and without the control characters XML
/// 1.0 forbids.
pub(crate) fn xml_text(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    quick_xml::escape::escape(&clean).into_owned()
}

/// One relationship of a `.rels` part, its target resolved to a part name.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// The `.rels` part of `part` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`).
fn rels_part_of(part: &str) -> String {
    let part = part.trim_start_matches('/');
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The relationships in `xml`, whose targets are relative to `source` (a part name; empty
/// for the package's own).
fn relationships(xml: &str, source: &str) -> Vec<Relationship> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    let base = source
        .trim_start_matches('/')
        .rsplit_once('/')
        .map_or("", |(d, _)| d);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let (mut id, mut kind, mut target, mut external) =
                    (String::new(), String::new(), String::new(), false);
                for a in e.attributes().flatten() {
                    let value = quick_xml::escape::unescape(&a.value)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        "Id" => id = value,
                        "Type" => kind = value,
                        "Target" => target = value,
                        "TargetMode" => external = value == "External",
                        _ => {}
                    }
                }
                if !external {
                    out.push(Relationship {
                        id,
                        kind,
                        target: resolve(base, &target),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A relationship's target as a part name: absolute (`/xl/…`) or relative to `base`.
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The workbook's sheets in order: name and relationship id.
fn sheets_of(workbook: &str) -> Result<Vec<(String, String)>> {
    let mut reader = Reader::from_str(workbook);
    let mut sheets = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let (mut name, mut rid) = (String::new(), String::new());
                for a in e.attributes().flatten() {
                    let value = quick_xml::escape::unescape(&a.value)?.into_owned();
                    match (a.key.prefix().is_some(), a.key.local_name().as_ref()) {
                        (false, "name") => name = value,
                        (true, "id") => rid = value,
                        _ => {}
                    }
                }
                sheets.push((name, rid));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Inserts `added` before the last end tag of `xml` (the root's).
fn before_root_end(xml: &str, added: &str) -> String {
    match xml.rfind("</") {
        Some(at) => format!("{}{added}{}", &xml[..at], &xml[at..]),
        None => xml.to_owned(),
    }
}

/// `[Content_Types].xml` with the VML extension and the comments parts.
fn content_types_with(xml: &str, plans: &[Plan]) -> String {
    let with_notes: Vec<&Notes> = plans.iter().filter_map(|p| p.notes.as_ref()).collect();
    if with_notes.is_empty() {
        return xml.to_owned();
    }
    let mut added = String::new();
    if !xml.to_ascii_lowercase().contains("extension=\"vml\"") {
        added.push_str(
            "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>",
        );
    }
    for notes in with_notes {
        added.push_str(&format!(
            "<Override PartName=\"/{}\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>",
            notes.comments
        ));
    }
    before_root_end(xml, &added)
}

/// A sheet's relationships with its notes' comments and drawing.
fn sheet_rels(plan: &Plan) -> String {
    let Some(notes) = &plan.notes else {
        return plan.rels_xml.clone().unwrap_or_default();
    };
    let added = format!(
        "<Relationship Id=\"{}\" Type=\"{VML_TYPE}\" Target=\"/{}\"/><Relationship Id=\"{}\" Type=\"{COMMENTS_TYPE}\" Target=\"/{}\"/>",
        notes.vml_rid, notes.vml, notes.comments_rid, notes.comments
    );
    match &plan.rels_xml {
        Some(xml) => before_root_end(xml, &added),
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{PKG_REL_NS}\">{added}</Relationships>"
        ),
    }
}

/// The element's prefix with its colon (`x:`), or nothing.
pub(crate) fn prefix_of(e: &BytesStart) -> String {
    e.name()
        .prefix()
        .map(|p| format!("{}:", p.as_ref()))
        .unwrap_or_default()
}

/// `workbook.xml` with the hidden name Excel gives a sheet's filter range.
fn workbook_with_filters(xml: &str, plans: &[Plan]) -> Result<Vec<u8>> {
    let filtered: Vec<&Plan> = plans.iter().filter(|p| p.filter).collect();
    if filtered.is_empty() {
        return Ok(xml.as_bytes().to_vec());
    }
    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 256));
    let mut prefix = String::new();
    let mut depth = 0;
    let mut after_sheets = false;
    let mut done = false;
    let mut skip = 0usize;
    let names = |prefix: &str| -> String {
        filtered
            .iter()
            .map(|p| {
                let sheet = p.name.replace('\'', "''");
                let range = p.filter_ref();
                let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                let absolute = |r: &str| {
                    let letters = r.chars().take_while(char::is_ascii_alphabetic).count();
                    format!("${}${}", &r[..letters], &r[letters..])
                };
                format!(
                    "<{prefix}definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{}\" hidden=\"1\">{}</{prefix}definedName>",
                    p.index,
                    xml_text(&format!("'{sheet}'!{}:{}", absolute(a), absolute(b)))
                )
            })
            .collect()
    };
    let block = |prefix: &str| {
        format!(
            "<{prefix}definedNames>{}</{prefix}definedNames>",
            names(prefix)
        )
    };
    // Elements that come after `definedNames` in a workbook.
    const AFTER: &[&str] = &[
        "calcPr",
        "oleSize",
        "customWorkbookViews",
        "pivotCaches",
        "smartTagPr",
        "smartTagTypes",
        "webPublishing",
        "fileRecoveryPr",
        "webPublishObjects",
        "extLst",
    ];
    let is_ours = |e: &BytesStart| {
        let mut name = false;
        let mut sheet = false;
        for a in e.attributes().flatten() {
            match a.key.as_ref() {
                "name" => name = a.value.as_ref() == "_xlnm._FilterDatabase",
                "localSheetId" => {
                    sheet = filtered
                        .iter()
                        .any(|p| a.value.as_ref() == p.index.to_string())
                }
                _ => {}
            }
        }
        name && sheet
    };
    loop {
        let event = reader.read_event()?;
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(e) if depth == 0 => prefix = prefix_of(e),
            Event::End(e) if depth == 2 && e.local_name().as_ref() == "sheets" => {
                after_sheets = true;
            }
            Event::Start(e) | Event::Empty(e)
                if depth == 1
                    && after_sheets
                    && !done
                    && AFTER.contains(&e.local_name().as_ref()) =>
            {
                writer
                    .get_mut()
                    .extend_from_slice(block(&prefix).as_bytes());
                done = true;
            }
            Event::Start(e)
                if depth == 2 && e.local_name().as_ref() == "definedName" && is_ours(e) =>
            {
                skip = 1;
                continue;
            }
            Event::Empty(e)
                if depth == 2 && e.local_name().as_ref() == "definedName" && is_ours(e) =>
            {
                continue;
            }
            Event::Empty(e) if depth == 1 && e.local_name().as_ref() == "definedNames" => {
                writer
                    .get_mut()
                    .extend_from_slice(block(&prefix).as_bytes());
                done = true;
                continue;
            }
            Event::End(e) if depth == 2 && e.local_name().as_ref() == "definedNames" => {
                writer
                    .get_mut()
                    .extend_from_slice(names(&prefix).as_bytes());
                done = true;
            }
            Event::End(_) if depth == 1 && !done => {
                writer
                    .get_mut()
                    .extend_from_slice(block(&prefix).as_bytes());
                done = true;
            }
            Event::Eof => break,
            _ => {}
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        writer.write_event(event)?;
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Code, Finding, Verdict};
    use crate::report::marked::marks::RowMark;
    use crate::roster::{Decoder, Source};
    use std::sync::Arc;

    /// A sheet as other programs write it: a prefixed namespace, cells without `r`, a pane
    /// and a filter of the client's, a column range to the last column.
    const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:C3"/><x:sheetViews><x:sheetView workbookViewId="0"><x:pane xSplit="1" topLeftCell="B1" activePane="topRight" state="frozen"/><x:selection pane="topRight"/></x:sheetView></x:sheetViews><x:cols><x:col min="1" max="16384" width="9" style="2"/></x:cols><x:sheetData><x:row r="1" spans="1:3"><x:c t="inlineStr"><x:is><x:t>Cédula</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>RUC</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Correo</x:t></x:is></x:c></x:row><x:row r="2"><x:c s="1"><x:v>1714307104</x:v></x:c><x:c><x:f>A2&amp;"001"</x:f><x:v>1714307104001</x:v></x:c></x:row><x:row r="3"><x:c r="A3"><x:v>1710034065</x:v></x:c><x:c r="B3" t="inlineStr"><x:is><x:t>1710034065001</x:t></x:is></x:c><x:c r="C3" t="inlineStr"><x:is><x:t>a@b.ec</x:t></x:is></x:c></x:row></x:sheetData><x:autoFilter ref="A1:A3"/><x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></x:worksheet>"#;

    #[test]
    fn a_sheet_keeps_its_cells_and_gets_its_marks() {
        let headers: Vec<String> = ["Cédula", "RUC", "Correo"].map(String::from).to_vec();
        let source = Arc::new(Source {
            path: "r.xlsx".into(),
            sheet: Some("Hoja1".into()),
            map: crate::roster::headers::match_headers(&headers, &[]),
            headers,
            decoder: Decoder::Utf8,
            dialect: String::new(),
            header_row: 1,
        });
        let row = |row, findings: Vec<Finding>| RowMark {
            row,
            verdict: Verdict::of(&findings),
            findings: findings.into_boxed_slice(),
            suggestions: Box::new([]),
        };
        let table = Table {
            source,
            width: 3,
            rows: vec![
                row(
                    2,
                    vec![
                        Finding::new(Code::IdChecksum),
                        Finding::new(Code::EmailMissing),
                    ],
                ),
                row(3, vec![]),
            ],
        };
        let plan = Plan {
            table: &table,
            index: 0,
            name: "Hoja1".into(),
            part: String::new(),
            rels_part: String::new(),
            rels_xml: None,
            filter: true,
            notes: None,
            start_col: 3,
            first: None,
        };
        let mut styles = Styles::parse(
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="2"><fill/><fill/></fills><cellXfs count="2"><xf/><xf numFmtId="1"/></cellXfs></styleSheet>"#.to_owned(),
        )
        .unwrap();
        let mut out = Vec::new();
        rewrite_sheet(SHEET.as_bytes(), &mut out, &plan, &mut styles, Lang::En).unwrap();
        let xml = String::from_utf8(out).unwrap();
        // Well formed: quick-xml reads it to the end with its end names checked.
        let mut reader = Reader::from_str(&xml);
        while !matches!(reader.read_event().unwrap(), Event::Eof) {}
        // The client's cells, formula and values, as they were.
        assert!(
            xml.contains(r#"<x:f>A2&amp;"001"</x:f><x:v>1714307104001</x:v>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<x:c r="A3"><x:v>1710034065</x:v></x:c>"#),
            "{xml}"
        );
        // The marked cell keeps its own format's copy; the empty e-mail cell is added.
        assert!(xml.contains(r#"<x:c s="5"><x:v>1714307104</x:v>"#), "{xml}");
        assert!(xml.contains(r#"<x:c r="C2" s="6"/>"#), "{xml}");
        // Our pane and filter replace the client's; the column range is cut around ours.
        assert!(
            xml.contains(r#"<x:pane ySplit="1" topLeftCell="A2""#),
            "{xml}"
        );
        assert!(!xml.contains("topRight"), "{xml}");
        assert!(xml.contains(r#"<x:autoFilter ref="A1:G3"/>"#), "{xml}");
        assert!(
            xml.contains(r#"<x:col min="1" max="3" width="9" style="2"/><x:col min="4" max="4""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<x:col min="8" max="16384" width="9" style="2"/>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<x:dimension ref="A1:G3"/>"#), "{xml}");
        // The headings and verdicts, after the last column; the untouched record's result.
        assert!(
            xml.contains(
                r#"<x:c r="D1" s="2" t="inlineStr"><x:is><x:t xml:space="preserve">Result</x:t>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<x:c r="D3" s="7" t="inlineStr"><x:is><x:t xml:space="preserve">ready</x:t>"#
            ),
            "{xml}"
        );
        // The row with two reasons is tall enough for them.
        assert!(
            xml.contains(r#"<x:row r="2" ht="30" customHeight="1">"#),
            "{xml}"
        );
    }

    #[test]
    fn columns_and_references() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(parse_ref("B12"), Some((1, 12)));
        assert_eq!(parse_ref("XFD1"), Some((16383, 1)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            rels_part_of("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
    }
}
