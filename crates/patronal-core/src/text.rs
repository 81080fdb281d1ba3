//! Small text helpers shared by header matching, value parsing and terminal output.

/// Folds text for matching: lowercase, accents removed, and spaces, `_`, `-`, `.`, `º`, `°`
/// dropped (`Nº Cédula` → `ncedula`). Inline up to 24 bytes: matching a cell against short
/// words (`sí`, `Servicio doméstico`) allocates nothing.
pub fn fold(s: &str) -> compact_str::CompactString {
    // Assembled on the stack (a cell matched against words is short), stored inline.
    let mut buf = [0u8; 24];
    let mut len = 0;
    let mut overflow = false;
    for c in s.chars() {
        fold_into(c, &mut |c| match buf.get_mut(len..len + c.len_utf8()) {
            Some(room) => len += c.encode_utf8(room).len(),
            None => overflow = true,
        });
        if overflow {
            let mut long = compact_str::CompactString::with_capacity(s.len());
            s.chars().for_each(|c| fold_into(c, &mut |c| long.push(c)));
            return long;
        }
    }
    compact_str::CompactString::from(std::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// The first character of [`fold`]`(s)`, without folding the rest.
pub(crate) fn fold_first(s: &str) -> Option<char> {
    let mut first = None;
    for c in s.chars() {
        fold_into(c, &mut |c| {
            first.get_or_insert(c);
        });
        if first.is_some() {
            break;
        }
    }
    first
}

/// `c` as [`fold`] writes it, into `emit`: nothing when it is dropped, lowercase otherwise
/// (ASCII without the Unicode tables).
fn fold_into(c: char, emit: &mut impl FnMut(char)) {
    match fold_char(c) {
        None => {}
        Some(c) if c.is_ascii() => emit(c.to_ascii_lowercase()),
        Some(c) => c.to_lowercase().for_each(emit),
    }
}

/// A character as [`fold`] keeps it (before lowercasing), or `None` when it is dropped.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
        'ñ' | 'Ñ' => 'n',
        ' ' | '_' | '-' | '.' | 'º' | '°' | '\u{a0}' | '\t' => return None,
        c => c,
    })
}

/// [`str::trim`], with the usual case first: a cell that starts and ends with a visible
/// ASCII character has nothing to trim (the Unicode check is for the rest).
pub(crate) fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    let bytes = s.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// Text safe to print on a terminal: control characters (escape sequences included) and
/// Unicode bidirectional overrides become `?`.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if s.chars().any(bad) {
        s.chars()
            .map(|c| if bad(c) { '?' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Nº Cédula"), "ncedula");
        assert_eq!(fold("E-MAIL"), "email");
        assert_eq!(fold("Razón_Social"), "razonsocial");
        assert_eq!(fold("N° RUC"), "nruc");
    }

    #[test]
    fn the_first_folded_character() {
        for s in [
            "Nº Cédula",
            "  .Ñandú",
            "__sin.correo",
            "É",
            "x",
            "",
            " . ",
            "İx",
        ] {
            assert_eq!(fold_first(s), fold(s).chars().next(), "{s:?}");
        }
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a\u{a0}",
            "\u{2003}x\u{2003}",
            "\tx",
            "x\r\n",
            "é",
            "~",
            "\u{7f}x",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn sanitize_removes_escapes() {
        assert_eq!(sanitize("a\x1b[31mb"), "a?[31mb");
        assert_eq!(sanitize("ok"), "ok");
        assert_eq!(sanitize("x\u{202e}y\r\n"), "x?y??");
    }
}
