//! Rosters that web portals and accounting systems export as "Excel" files but write as
//! an HTML page with a `<table>` (Excel opens them, with a warning): each `<tr>` is a row,
//! each `<td>` or `<th>` a cell (a `colspan` keeps the columns in place), the text of a cell
//! without its tags, its entities decoded and its spaces collapsed. The table becomes CSV
//! text in memory, one line per table row, so that the roster reader takes it from there
//! and row *n* of the report is the table's row *n*.

use crate::i18n::{Message, errors};

/// The largest HTML file read (it is read whole): far above any portal's export.
pub(crate) const MAX_HTML_BYTES: u64 = 256 << 20;

/// Whether `head` (a file's first bytes) is an HTML page: after a BOM and blank space, a tag,
/// and `<html`, `<table` or a doctype within it.
pub(crate) fn is_html(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = text.trim_ascii_start();
    if !text.starts_with(b"<") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    [&b"<html"[..], b"<table", b"<!doctype html", b"<tr"]
        .iter()
        .any(|tag| memchr::memmem::find(&lower, tag).is_some())
}

/// The page's text: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252
/// (what Excel's own HTML export on a Spanish Windows writes).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    for (bom, enc) in [
        (&[0xFF, 0xFE][..], encoding_rs::UTF_16LE),
        (&[0xFE, 0xFF][..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            return enc.decode_with_bom_removal(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The rows of the page's tables as CSV text (`,`, quoted fields, `\n`); an error when the
/// page has no table row.
pub(crate) fn table_as_csv(bytes: &[u8]) -> Result<Vec<u8>, Message> {
    let text = decode(bytes);
    let rows = rows(&text);
    if rows.is_empty() {
        return Err(errors::HTML_NO_TABLE.msg());
    }
    let mut out = Vec::with_capacity(text.len() / 2);
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        }
        out.push(b'\n');
    }
    Ok(out)
}

/// The table rows of `html`, each its cells' text.
fn rows(html: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Option<Vec<String>> = None;
    // The cell being read: its text, and the columns it spans.
    let mut cell: Option<(String, usize)> = None;
    let mut rest = html;
    let close_cell = |row: &mut Option<Vec<String>>, cell: &mut Option<(String, usize)>| {
        if let Some((text, span)) = cell.take() {
            let r = row.get_or_insert_with(Vec::new);
            r.push(collapse(&text));
            // The columns it spans stay empty, so that the next cells keep their columns.
            r.extend(std::iter::repeat_n(String::new(), span - 1));
        }
    };
    while let Some(open) = rest.find('<') {
        if let Some((c, _)) = cell.as_mut() {
            c.push_str(&entities(&rest[..open]));
        }
        rest = &rest[open..];
        // A comment, and what a script or style holds, are not text.
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name = tag_name(tag);
        let closing = tag.starts_with("</");
        match (name.as_str(), closing) {
            ("script" | "style", false) => {
                let close = format!("</{name}");
                rest = find_ignoring_case(rest, &close).map_or("", |i| &rest[i..]);
            }
            ("tr", false) => {
                close_cell(&mut row, &mut cell);
                if let Some(r) = row.take() {
                    rows.push(r);
                }
                row = Some(Vec::new());
            }
            ("tr" | "table", true) => {
                close_cell(&mut row, &mut cell);
                if let Some(r) = row.take() {
                    rows.push(r);
                }
            }
            ("td" | "th", false) => {
                close_cell(&mut row, &mut cell);
                let span = attribute(tag, "colspan")
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                cell = Some((String::new(), span));
            }
            ("td" | "th", true) => close_cell(&mut row, &mut cell),
            ("br" | "p" | "div", _) => {
                if let Some((c, _)) = cell.as_mut() {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    close_cell(&mut row, &mut cell);
    if let Some(r) = row.take() {
        rows.push(r);
    }
    rows.into_iter().filter(|r| !r.is_empty()).collect()
}

/// A tag's name, lowercased: `<TD class=x>` → `td`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The value of a tag's attribute, quoted or not.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start().strip_prefix('=')?.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        });
    }
    None
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

/// Spaces, tabs and line breaks as one space, none at the ends.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with its character references decoded: `&amp;`, `&aacute;`, `&#241;`, `&#xF1;`.
fn entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = end
            .filter(|&e| rest.as_bytes().get(e) == Some(&b';'))
            .and_then(|e| Some((reference(&rest[1..e])?, e + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference names (`amp`, `ntilde`, `#241`, `#xF1`).
fn reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "ordm" => 'º',
        "ordf" => 'ª',
        "deg" => '°',
        "iexcl" => '¡',
        "iquest" => '¿',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portal_export_is_read_as_its_table() {
        let page = "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><style>td{x}</style></head>\
            <body><table border=1><tr><th>Raz&oacute;n social</th><th>C&eacute;dula</th><th>RUC</th></tr>\
            <tr><td>Pe&ntilde;a &amp; Hijos</td><td style=\"mso-number-format:'\\@'\">0428813992</td><td>0428813992001</td></tr>\
            <TR><TD colspan=2>  Sin   c&#233;dula<br>x </TD><td>1</td>\n</table></body></html>";
        assert!(is_html(page.as_bytes()));
        let csv = String::from_utf8(table_as_csv(page.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            csv,
            "\"Razón social\",\"Cédula\",\"RUC\"\n\
             \"Peña & Hijos\",\"0428813992\",\"0428813992001\"\n\
             \"Sin cédula x\",\"\",\"1\"\n"
        );
    }

    #[test]
    fn not_html_or_no_table() {
        assert!(!is_html(b"Cedula\tRUC\n0428813992\t0428813992001\n"));
        assert!(!is_html(b"<b>hola"));
        assert!(is_html(b"\xEF\xBB\xBF  <!DOCTYPE html><p>x</p>"));
        assert!(table_as_csv(b"<html><p>no table</p></html>").is_err());
        // Windows-1252 bytes are read as such.
        let csv = table_as_csv(b"<table><tr><td>Pe\xF1a</td></tr></table>").unwrap();
        assert_eq!(csv, "\"Peña\"\n".as_bytes());
        assert_eq!(
            entities("a &amp b &unknown; &#xF1;"),
            "a &amp b &unknown; ñ"
        );
    }
}
