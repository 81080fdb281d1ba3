//! One marked sheet, rewritten event by event: the roster's cells as they were, a marked
//! cell's style swapped for a copy with the severity's fill, the verdict cells appended on
//! the header row and each record's row, the verdict columns' widths, a frozen pane under
//! the header row, a filter on it, and the notes' drawing.

use std::collections::VecDeque;
use std::io::{BufRead, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, Writer};

use super::marks;
use super::styles::Styles;
use super::xlsx_edit::{Plan, Result, column_name, parse_ref, prefix_of, xml_text};
use crate::finding::{Lang, Severity};

const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

use marks::WIDTHS;

/// The order of a worksheet's elements (CT_Worksheet): where a new one goes.
fn rank(name: &str) -> Option<usize> {
    const ORDER: &[&str] = &[
        "sheetPr",
        "dimension",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "sheetCalcPr",
        "sheetProtection",
        "protectedRanges",
        "scenarios",
        "autoFilter",
        "sortState",
        "dataConsolidate",
        "customSheetViews",
        "mergeCells",
        "phoneticPr",
        "conditionalFormatting",
        "dataValidations",
        "hyperlinks",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
        "rowBreaks",
        "colBreaks",
        "customProperties",
        "cellWatches",
        "ignoredErrors",
        "smartTags",
        "drawing",
        "legacyDrawing",
        "legacyDrawingHF",
        "drawingHF",
        "picture",
        "oleObjects",
        "controls",
        "webPublishItems",
        "tableParts",
        "extLst",
    ];
    if name == "AlternateContent" {
        // In a sheet it wraps controls and OLE objects.
        return ORDER.iter().position(|n| *n == "oleObjects");
    }
    ORDER.iter().position(|n| *n == name)
}

const SHEET_VIEWS: usize = 2;
const COLS: usize = 4;
const AUTO_FILTER: usize = 10;
const LEGACY_DRAWING: usize = 30;

/// A cell the row being written still has to get: a marked cell's fill, or a verdict cell.
enum Pending {
    Mark { col: u32, severity: Severity },
    Text { col: u32, text: String, xf: u32 },
}

impl Pending {
    fn col(&self) -> u32 {
        match self {
            Pending::Mark { col, .. } | Pending::Text { col, .. } => *col,
        }
    }
}

/// The row being rewritten: its pending cells (by column), the last cell's column, the
/// style of its new cells.
struct Row {
    pending: VecDeque<Pending>,
    last_col: Option<u32>,
    base: u32,
}

/// Rewrites a sheet part with its marks.
pub(crate) fn rewrite_sheet<R: BufRead, W: Write>(
    input: R,
    out: W,
    plan: &Plan,
    styles: &mut Styles,
    lang: Lang,
) -> Result<()> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = false;
    let mut w = SheetWriter {
        out: Writer::new(out),
        plan,
        styles,
        lang,
        prefix: String::new(),
        next: 0,
        header_done: false,
        inserted: [false; 4],
        current_row: 0,
    };
    let mut buf = Vec::with_capacity(1024);
    let mut depth = 0usize;
    let (mut in_sheet_data, mut in_views, mut in_view, mut in_cols) = (false, false, false, false);
    let mut cols_after: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut skip = 0usize;
    let mut row: Option<Row> = None;
    let mut last_row: u64 = 0;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf)?;
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        let local: String = match &event {
            Event::Start(e) | Event::Empty(e) => e.local_name().as_ref().to_owned(),
            Event::End(e) => e.local_name().as_ref().to_owned(),
            Event::Eof => break,
            _ => String::new(),
        };
        let local = local.as_str();
        match &event {
            Event::Start(e) if depth == 0 => w.prefix = prefix_of(e),
            // The worksheet's own elements: ours go in before the first that follows them.
            Event::Start(e) | Event::Empty(e) if depth == 1 => {
                if let Some(r) = rank(local) {
                    w.insert_before(r)?;
                }
                let empty = matches!(event, Event::Empty(_));
                match local {
                    "dimension" if empty => {
                        w.write_dimension(e)?;
                        continue;
                    }
                    "sheetViews" => {
                        w.inserted[0] = true;
                        if empty {
                            w.write_views()?;
                            continue;
                        }
                        in_views = true;
                    }
                    "cols" => {
                        w.inserted[1] = true;
                        if empty {
                            w.write_cols()?;
                            continue;
                        }
                        in_cols = true;
                    }
                    "sheetData" if empty => {
                        w.out.write_event(Event::Start(e.clone()))?;
                        w.rows_until(u64::MAX)?;
                        w.end(e)?;
                        continue;
                    }
                    "sheetData" => in_sheet_data = true,
                    "autoFilter" if plan.filter => {
                        // Ours, on the header row, takes its place.
                        w.insert_before(AUTO_FILTER + 1)?;
                        if !empty {
                            skip = 1;
                        }
                        continue;
                    }
                    _ => {}
                }
            }
            // `</worksheet>`: whatever is still to insert.
            Event::End(_) if depth == 1 => w.insert_before(usize::MAX)?,
            Event::End(_) if depth == 2 && in_sheet_data && local == "sheetData" => {
                in_sheet_data = false;
                w.rows_until(u64::MAX)?;
            }
            Event::End(_) if depth == 2 && in_views => in_views = false,
            Event::End(_) if depth == 2 && in_cols => {
                in_cols = false;
                let ours = w.our_cols();
                w.out.get_mut().write_all(ours.as_bytes())?;
                cols_after.sort_by_key(|(min, _)| *min);
                for (_, col) in cols_after.drain(..) {
                    w.out.get_mut().write_all(&col)?;
                }
            }
            // A view: our frozen pane; the view's own pane and selection are left out.
            Event::Start(e) if depth == 2 && in_views && local == "sheetView" => {
                w.out.write_event(Event::Start(e.clone()))?;
                w.write_pane()?;
                in_view = true;
                depth += 1;
                continue;
            }
            Event::Empty(e) if depth == 2 && in_views && local == "sheetView" => {
                w.out.write_event(Event::Start(e.clone()))?;
                w.write_pane()?;
                w.end(e)?;
                continue;
            }
            Event::End(_) if depth == 3 && in_view => in_view = false,
            Event::Start(_) | Event::Empty(_)
                if depth == 3 && in_view && (local == "pane" || local == "selection") =>
            {
                if matches!(event, Event::Start(_)) {
                    skip = 1;
                }
                continue;
            }
            // A column range that reaches the verdict columns: cut around them.
            Event::Empty(e) if depth == 2 && in_cols && local == "col" => {
                let (min, max) = col_range(e);
                let (start, end) = (plan.start_col + 1, plan.last_col() + 1);
                if max >= start {
                    if min < start {
                        w.out.get_mut().write_all(&col_with(e, min, start - 1))?;
                    }
                    if max > end {
                        let from = min.max(end + 1);
                        cols_after.push((from, col_with(e, from, max)));
                    }
                    continue;
                }
            }
            // A row: written as it is, unless the copy adds to it.
            Event::Start(e) | Event::Empty(e) if depth == 2 && in_sheet_data && local == "row" => {
                let number = attr(e, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(last_row + 1);
                last_row = number;
                w.rows_until(number)?;
                let base = row_style(e);
                let mut pending = w.pending_for(number);
                if !pending.is_empty() {
                    w.current_row = number;
                    let start = tall_enough(&without_attr(e, "spans"), &pending, plan.start_col);
                    w.out.write_event(Event::Start(start))?;
                    if matches!(event, Event::Empty(_)) {
                        w.flush_pending(&mut pending, u32::MAX, base)?;
                        w.end(e)?;
                        continue;
                    }
                    row = Some(Row {
                        pending,
                        last_col: None,
                        base,
                    });
                    depth += 1;
                    continue;
                }
            }
            Event::End(e) if depth == 3 && local == "row" => {
                if let Some(mut r) = row.take() {
                    w.flush_pending(&mut r.pending, u32::MAX, r.base)?;
                }
                w.out.write_event(Event::End(e.clone()))?;
                depth -= 1;
                continue;
            }
            Event::Start(e) | Event::Empty(e) if depth == 3 && local == "c" => {
                if let Some(r) = row.as_mut() {
                    let col = attr(e, "r")
                        .and_then(|c| parse_ref(&c))
                        .map_or_else(|| r.last_col.map_or(0, |c| c + 1), |(c, _)| c);
                    r.last_col = Some(col);
                    w.flush_pending(&mut r.pending, col, r.base)?;
                    match r.pending.front() {
                        Some(&Pending::Mark { col: c, severity }) if c == col => {
                            r.pending.pop_front();
                            let own = attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(r.base);
                            let xf = w.styles.marked(own, severity);
                            let restyled = with_attr(e, "s", &xf.to_string());
                            if matches!(event, Event::Start(_)) {
                                depth += 1;
                                w.out.write_event(Event::Start(restyled))?;
                            } else {
                                w.out.write_event(Event::Empty(restyled))?;
                            }
                            continue;
                        }
                        Some(Pending::Text { col: c, .. }) if *c == col => {
                            if matches!(event, Event::Empty(_)) {
                                // An empty cell where a verdict goes: ours replaces it.
                                continue;
                            }
                            // A cell with content there stays, and ours is left out.
                            r.pending.pop_front();
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        w.out.write_event(event)?;
    }
    Ok(())
}

/// Points a line of the verdict cells takes.
const LINE_HEIGHT: f64 = 15.0;

/// The row, tall enough for its verdict cells' lines (one a finding): never lower than
/// it was.
fn tall_enough(row: &BytesStart, pending: &VecDeque<Pending>, start: u32) -> BytesStart<'static> {
    let lines = pending
        .iter()
        .map(|p| match p {
            Pending::Text { text, col, .. } => {
                marks::shown_lines(col.saturating_sub(start) as usize, text)
            }
            Pending::Mark { .. } => 1,
        })
        .max()
        .unwrap_or(1);
    let own: f64 = attr(row, "ht").and_then(|h| h.parse().ok()).unwrap_or(0.0);
    let wanted = LINE_HEIGHT * lines as f64;
    if lines < 2 || own >= wanted {
        return row.to_owned();
    }
    with_attr(
        &with_attr(row, "ht", &wanted.to_string()),
        "customHeight",
        "1",
    )
}

/// An attribute's raw value.
fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// A row's own style, for its new cells: its `s` when it has a custom format.
fn row_style(e: &BytesStart) -> u32 {
    let custom = attr(e, "customFormat").is_some_and(|v| v == "1" || v == "true");
    if !custom {
        return 0;
    }
    attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// The element without attribute `key`.
fn without_attr(e: &BytesStart, key: &str) -> BytesStart<'static> {
    let name = e.name().as_ref().to_owned();
    let mut out = BytesStart::new(name);
    for a in e.attributes().flatten() {
        if a.key.as_ref() != key {
            out.push_attribute(raw(a.key.as_ref(), a.value.as_ref()));
        }
    }
    out
}

/// The element with attribute `key` set to the raw `value` (in its place, or last).
pub(crate) fn with_attr(e: &BytesStart, key: &str, value: &str) -> BytesStart<'static> {
    let name = e.name().as_ref().to_owned();
    let mut out = BytesStart::new(name);
    let mut set = false;
    for a in e.attributes().flatten() {
        if a.key.as_ref() == key {
            out.push_attribute(raw(key, value));
            set = true;
        } else {
            out.push_attribute(raw(a.key.as_ref(), a.value.as_ref()));
        }
    }
    if !set {
        out.push_attribute(raw(key, value));
    }
    out
}

/// An attribute whose value is already escaped.
fn raw<'a>(key: &'a str, value: &'a str) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: value.into(),
    }
}

/// A `<col>`'s range (1-based, inclusive).
fn col_range(e: &BytesStart) -> (u32, u32) {
    let num = |k: &str| attr(e, k).and_then(|v| v.parse().ok()).unwrap_or(1);
    (num("min"), num("max"))
}

/// A `<col>` over `min..=max`, its other attributes kept.
fn col_with(e: &BytesStart, min: u32, max: u32) -> Vec<u8> {
    let c = with_attr(
        &with_attr(e, "min", &min.to_string()),
        "max",
        &max.to_string(),
    );
    let mut w = Writer::new(Vec::new());
    let _ = w.write_event(Event::Empty(c));
    w.into_inner()
}

/// The sheet being written, and what it still has to get.
struct SheetWriter<'a, 'p, W: Write> {
    out: Writer<W>,
    plan: &'a Plan<'p>,
    styles: &'a mut Styles,
    lang: Lang,
    prefix: String,
    /// The next record of the table to meet.
    next: usize,
    header_done: bool,
    /// Written already (or there): the views, the columns, the filter, the drawing.
    inserted: [bool; 4],
    /// The row whose cells are being written.
    current_row: u64,
}

impl<W: Write> SheetWriter<'_, '_, W> {
    /// Writes what must come before an element of rank `r` and is not there yet.
    fn insert_before(&mut self, r: usize) -> Result<()> {
        if r > SHEET_VIEWS && !self.inserted[0] {
            self.inserted[0] = true;
            self.write_views()?;
        }
        if r > COLS && !self.inserted[1] {
            self.inserted[1] = true;
            self.write_cols()?;
        }
        if r > AUTO_FILTER && !self.inserted[2] {
            self.inserted[2] = true;
            if self.plan.filter {
                let p = &self.prefix;
                let text = format!("<{p}autoFilter ref=\"{}\"/>", self.plan.filter_ref());
                self.out.get_mut().write_all(text.as_bytes())?;
            }
        }
        if r > LEGACY_DRAWING && !self.inserted[3] {
            self.inserted[3] = true;
            if let Some(notes) = &self.plan.notes {
                let p = &self.prefix;
                let text = format!(
                    "<{p}legacyDrawing xmlns:r=\"{REL_NS}\" r:id=\"{}\"/>",
                    notes.vml_rid
                );
                self.out.get_mut().write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }

    /// The end tag of the element `e` starts.
    fn end(&mut self, e: &BytesStart) -> Result<()> {
        let name = e.name().as_ref().to_owned();
        self.out.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    fn write_dimension(&mut self, e: &BytesStart) -> Result<()> {
        let old = attr(e, "ref").unwrap_or_default();
        let (first, last) = old.split_once(':').unwrap_or((&old, &old));
        let (last_col, last_row) = parse_ref(last).unwrap_or((0, 1));
        let first = if parse_ref(first).is_some() {
            first.to_owned()
        } else {
            "A1".to_owned()
        };
        let reference = format!(
            "{first}:{}{}",
            column_name(last_col.max(self.plan.last_col())),
            last_row.max(self.plan.last_row())
        );
        self.out
            .write_event(Event::Empty(with_attr(e, "ref", &reference)))?;
        Ok(())
    }

    fn write_views(&mut self) -> Result<()> {
        let p = self.prefix.clone();
        self.out
            .get_mut()
            .write_all(format!("<{p}sheetViews><{p}sheetView workbookViewId=\"0\">").as_bytes())?;
        self.write_pane()?;
        self.out
            .get_mut()
            .write_all(format!("</{p}sheetView></{p}sheetViews>").as_bytes())?;
        Ok(())
    }

    /// The frozen pane under the header row.
    fn write_pane(&mut self) -> Result<()> {
        let p = &self.prefix;
        let h = self.plan.header_row();
        let below = h + 1;
        let text = format!(
            "<{p}pane ySplit=\"{h}\" topLeftCell=\"A{below}\" activePane=\"bottomLeft\" state=\"frozen\"/><{p}selection pane=\"bottomLeft\" activeCell=\"A{below}\" sqref=\"A{below}\"/>"
        );
        self.out.get_mut().write_all(text.as_bytes())?;
        Ok(())
    }

    fn our_cols(&self) -> String {
        let p = &self.prefix;
        WIDTHS
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let c = self.plan.start_col + i as u32 + 1;
                format!("<{p}col min=\"{c}\" max=\"{c}\" width=\"{w}\" customWidth=\"1\"/>")
            })
            .collect()
    }

    fn write_cols(&mut self) -> Result<()> {
        let p = self.prefix.clone();
        let text = format!("<{p}cols>{}</{p}cols>", self.our_cols());
        self.out.get_mut().write_all(text.as_bytes())?;
        Ok(())
    }

    /// The cells row `number` gets: the header row's headings, a record's marks and
    /// verdict cells; in column order.
    fn pending_for(&mut self, number: u64) -> VecDeque<Pending> {
        let mut pending = VecDeque::new();
        let source = &self.plan.table.source;
        let start = self.plan.start_col;
        if number == self.plan.header_row() && !self.header_done {
            self.header_done = true;
            let xf = self.styles.heading();
            for (i, text) in marks::headings(self.lang).into_iter().enumerate() {
                pending.push_back(Pending::Text {
                    col: start + i as u32,
                    text,
                    xf,
                });
            }
        }
        let rows = &self.plan.table.rows;
        if let Some(record) = rows.get(self.next).filter(|r| r.row == number) {
            self.next += 1;
            for m in marks::cell_marks(source, record, self.lang) {
                pending.push_back(Pending::Mark {
                    col: m.col,
                    severity: m.severity,
                });
            }
            let cells = marks::verdict_cells(source, record, self.lang);
            for (i, text) in cells.into_iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                let xf = match i {
                    0 => self.styles.result(record.verdict),
                    _ => self.styles.text(),
                };
                pending.push_back(Pending::Text {
                    col: start + i as u32,
                    text,
                    xf,
                });
            }
        }
        pending.make_contiguous().sort_by_key(Pending::col);
        pending
    }

    /// Writes the pending cells left of column `before`; new marked cells take `base`'s
    /// style with the fill.
    fn flush_pending(
        &mut self,
        pending: &mut VecDeque<Pending>,
        before: u32,
        base: u32,
    ) -> Result<()> {
        let row = self.current_row;
        while pending.front().is_some_and(|p| p.col() < before) {
            let Some(cell) = pending.pop_front() else {
                break;
            };
            let p = &self.prefix;
            let text = match cell {
                Pending::Mark { col, severity } => {
                    let xf = self.styles.marked(base, severity);
                    format!("<{p}c r=\"{}{row}\" s=\"{xf}\"/>", column_name(col))
                }
                Pending::Text { col, text, xf } => format!(
                    "<{p}c r=\"{}{row}\" s=\"{xf}\" t=\"inlineStr\"><{p}is><{p}t xml:space=\"preserve\">{}</{p}t></{p}is></{p}c>",
                    column_name(col),
                    xml_text(&text)
                ),
            };
            self.out.get_mut().write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// Writes, as rows of their own, the header row and the records before row `number`
    /// that the sheet has no row element for.
    fn rows_until(&mut self, number: u64) -> Result<()> {
        loop {
            let header = self.plan.header_row();
            let header = (!self.header_done && header < number).then_some(header);
            let record = (self.plan.table.rows.get(self.next))
                .map(|r| r.row)
                .filter(|&r| r < number);
            let next = match (header, record) {
                (Some(h), Some(r)) => h.min(r),
                (Some(h), None) => h,
                (None, Some(r)) => r,
                (None, None) => return Ok(()),
            };
            let mut pending = self.pending_for(next);
            self.current_row = next;
            let p = self.prefix.clone();
            let row = BytesStart::new(format!("{p}row"));
            let row = tall_enough(
                &with_attr(&row, "r", &next.to_string()),
                &pending,
                self.plan.start_col,
            );
            self.out.write_event(Event::Start(row))?;
            self.flush_pending(&mut pending, u32::MAX, 0)?;
            self.out
                .get_mut()
                .write_all(format!("</{p}row>").as_bytes())?;
        }
    }
}
