//! Small text helpers shared by header matching, value parsing and terminal output.

/// Folds text for matching: lowercase, accents removed, and spaces, `_`, `-`, `.`, `º`, `°`
/// dropped (`Nº Cédula` → `ncedula`). Inline up to 24 bytes: matching a cell against short
/// words (`sí`, `Servicio doméstico`) allocates nothing.
pub fn fold(s: &str) -> compact_str::CompactString {
    if s.is_ascii() {
        let mut out = compact_str::CompactString::with_capacity(s.len());
        for b in s.bytes() {
            if !matches!(b, b' ' | b'_' | b'-' | b'.' | b'\t') {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return out;
    }
    let mut out = compact_str::CompactString::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ñ' | 'Ñ' => 'n',
            ' ' | '_' | '-' | '.' | 'º' | '°' | '\u{a0}' | '\t' => continue,
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out
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

/// `n` in decimal, written into `buf`, without the formatting machinery.
pub fn itoa(n: u64, buf: &mut [u8; 20]) -> &str {
    // Digits are ASCII: the conversion cannot fail.
    std::str::from_utf8(itoa_bytes(n, buf)).unwrap_or_default()
}

/// [`itoa`] as bytes, for writers of bytes.
pub fn itoa_bytes(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
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
    fn itoa_writes_decimals() {
        assert_eq!(itoa(0, &mut [0; 20]), "0");
        assert_eq!(itoa(1048576, &mut [0; 20]), "1048576");
        assert_eq!(itoa(u64::MAX, &mut [0; 20]), u64::MAX.to_string());
    }

    #[test]
    fn sanitize_removes_escapes() {
        assert_eq!(sanitize("a\x1b[31mb"), "a?[31mb");
        assert_eq!(sanitize("ok"), "ok");
        assert_eq!(sanitize("x\u{202e}y\r\n"), "x?y??");
    }
}
