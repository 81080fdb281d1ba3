//! A marked sheet's notes: the comments part (each marked cell's text) and the VML drawing
//! that places them (hidden, shown on hover, printable), written straight from the marks.

use std::io::{self, Write};

use super::marks::{self, Table};
use super::xlsx_edit::{column_name, xml_text};
use crate::finding::Lang;

/// The author the notes carry.
const AUTHOR: &str = "patronal";

/// Every note of a sheet, in row order: (0-based column, row, text). `first` (the
/// values-only copy's word) goes on A1, before A1's own marks.
fn each_note(
    table: &Table,
    first: Option<&str>,
    lang: Lang,
    mut f: impl FnMut(u32, u64, &str) -> io::Result<()>,
) -> io::Result<()> {
    let mut first = first.map(str::to_owned);
    for row in &table.rows {
        for m in marks::cell_marks(&table.source, row, lang) {
            match first.take() {
                Some(note) if row.row == 1 && m.col == 0 => {
                    f(0, 1, &format!("{note}\n\n{}", m.note))?;
                }
                Some(note) => {
                    f(0, 1, &note)?;
                    f(m.col, row.row, &m.note)?;
                }
                None => f(m.col, row.row, &m.note)?,
            }
        }
    }
    if let Some(note) = first {
        f(0, 1, &note)?;
    }
    Ok(())
}

/// How many notes a sheet gets.
pub(crate) fn count(table: &Table, first: Option<&str>, lang: Lang) -> usize {
    let mut n = 0;
    let _ = each_note(table, first, lang, |_, _, _| {
        n += 1;
        Ok(())
    });
    n
}

/// The comments part: one comment per marked cell, in row order.
pub(crate) fn write_comments<W: Write>(
    out: &mut W,
    table: &Table,
    first: Option<&str>,
    lang: Lang,
) -> io::Result<()> {
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors><author>",
    )?;
    out.write_all(AUTHOR.as_bytes())?;
    out.write_all(b"</author></authors><commentList>")?;
    each_note(table, first, lang, |col, row, note| {
        write!(
            out,
            "<comment ref=\"{}{row}\" authorId=\"0\"><text><t xml:space=\"preserve\">{}</t></text></comment>",
            column_name(col),
            xml_text(note)
        )
    })?;
    out.write_all(b"</commentList></comments>")
}

/// Lines a note's box shows: its lines, long ones wrapped at about 48 characters.
pub(crate) fn note_lines(note: &str) -> u32 {
    note.lines()
        .map(|l| 1 + l.chars().count() as u32 / 48)
        .sum::<u32>()
        .clamp(2, 24)
}

/// The VML drawing of the notes: a hidden box beside each marked cell, four columns wide
/// and as tall as its text. Shape ids take blocks of 1,024 from `block` on.
pub(crate) fn write_vml<W: Write>(
    out: &mut W,
    table: &Table,
    first: Option<&str>,
    block: usize,
    lang: Lang,
) -> io::Result<()> {
    let total = count(table, first, lang);
    let blocks: Vec<String> = (0..=total / 1024)
        .map(|i| (block + i).to_string())
        .collect();
    write!(
        out,
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{}\"/></o:shapelayout>",
        blocks.join(",")
    )?;
    out.write_all(b"<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>")?;
    let mut n = 0usize;
    each_note(table, first, lang, |col, row, note| {
        n += 1;
        let id = block * 1024 + n;
        let r0 = row.saturating_sub(1);
        let lines = u64::from(note_lines(note));
        write!(
            out,
            "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:{}pt;margin-top:{}pt;width:240pt;height:{}pt;z-index:{n};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox><x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {}, 10, {}, 15, {}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
            (col + 1) * 48 + 12,
            r0 * 15 + 2,
            lines * 12 + 6,
            col + 1,
            r0.saturating_sub(1),
            col + 5,
            r0 + lines,
        )
    })?;
    out.write_all(b"</xml>")
}
