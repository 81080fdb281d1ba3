//! Which encoding a text roster is in, from its first bytes: a BOM, valid UTF-8, or
//! Windows-1252 (Excel's "CSV" on Spanish Windows); UTF-16 without a BOM; binary data that
//! is not a roster at all. UTF-32 (with its BOM) is read through [`Utf32`].

use std::io::{self, Read};

use super::Encoding;

/// The BOM of UTF-32 big-endian (little-endian's starts as UTF-16LE's does).
const UTF32_BE_BOM: [u8; 4] = [0x00, 0x00, 0xFE, 0xFF];

/// UTF-32 when its BOM says so (it was read as UTF-16 and refused for a garbled header);
/// UTF-16 when a BOM says so; UTF-8 (with or without BOM) when the bytes are valid UTF-8;
/// otherwise Windows-1252, Excel's "CSV" on Spanish Windows.
pub(super) fn detect_encoding(prefix: &[u8]) -> Encoding {
    match prefix {
        [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding::Utf32Le,
        [0x00, 0x00, 0xFE, 0xFF, ..] => Encoding::Utf32Be,
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8,
        _ => match utf16_without_bom(prefix) {
            Some(true) => Encoding::Utf16Le,
            Some(false) => Encoding::Utf16Be,
            None => utf8_or_1252(prefix),
        },
    }
}

/// UTF-8 unless the bytes that are not ASCII mostly fail to be UTF-8. A UTF-8 file with a
/// stray Windows-1252 byte (one cell pasted from elsewhere) stays UTF-8: that cell alone is
/// read as Windows-1252 ([`Decoder::decode`](super::Decoder::decode)), and every other
/// accent keeps its meaning. A real Windows-1252 file's accents (`é` = 0xE9 before an ASCII
/// letter) are never valid UTF-8, so it has invalid sequences of one byte and (nearly) no
/// valid multi-byte ones. An invalid sequence of two or more bytes (a UTF-8 lead byte and
/// its continuation bytes, cut short: `E2 82` then a letter) is a damaged UTF-8 character,
/// not a Windows-1252 accent (which would be two accented capitals in a row): it counts for
/// UTF-8 (one such sequence in a small file with no other accent flipped it to
/// Windows-1252).
fn utf8_or_1252(prefix: &[u8]) -> Encoding {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = prefix;
    // Lead bytes of multi-byte characters: one per character that is not ASCII.
    let leads = |b: &[u8]| b.iter().filter(|&&b| b >= 0xC0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += leads(s.as_bytes());
                break;
            }
            Err(e) => {
                valid += leads(&rest[..e.valid_up_to()]);
                // `None`: cut in the middle of a character by the end of the prefix.
                let Some(len) = e.error_len() else { break };
                if len >= 2 {
                    valid += 1;
                } else {
                    invalid += 1;
                }
                rest = &rest[e.valid_up_to() + len..];
            }
        }
    }
    if invalid == 0 || valid >= invalid {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

/// Bytes that byte statistics (UTF-16 without a BOM, binary data) look at: plenty to tell.
const STATS_BYTES: usize = 64 << 10;

/// UTF-16 text without a BOM has a zero byte beside nearly every ASCII character: at odd
/// offsets for little-endian (`Some(true)`), even for big-endian (`Some(false)`).
pub(super) fn utf16_without_bom(prefix: &[u8]) -> Option<bool> {
    let prefix = &prefix[..prefix.len().min(STATS_BYTES)];
    let pairs = prefix.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros_at = |parity: usize| {
        prefix
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(true)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(false)
    } else {
        None
    }
}

/// Binary data, not text (and not UTF-16): many NUL or control bytes. Random bytes have
/// about 11% control bytes; a text roster with a few stray NULs has far less than 8%.
pub(super) fn looks_binary(prefix: &[u8]) -> bool {
    if prefix.starts_with(&UTF32_BE_BOM)
        || prefix.starts_with(&[0xFF, 0xFE])
        || prefix.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(prefix).is_some()
    {
        return false;
    }
    let prefix = &prefix[..prefix.len().min(STATS_BYTES)];
    let nul = prefix.iter().filter(|&&b| b == 0).count();
    let control = prefix
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t'))
        .count();
    nul * 100 > prefix.len() * 8 || control * 100 > prefix.len() * 8
}

/// UTF-32 text (its BOM skipped) as UTF-8: `little` for little-endian. A unit that is not a
/// character (a surrogate, past U+10FFFF) becomes U+FFFD, as encoding_rs does for UTF-16;
/// a last unit cut short is dropped.
pub(super) struct Utf32<R> {
    input: R,
    little: bool,
    /// The BOM is still to be skipped.
    bom: bool,
    /// Decoded bytes not yet handed out: `out[at..]`.
    out: Vec<u8>,
    at: usize,
    /// Bytes of a unit split between two reads.
    partial: Vec<u8>,
}

impl<R: Read> Utf32<R> {
    pub(super) fn new(input: R, little: bool) -> Utf32<R> {
        Utf32 {
            input,
            little,
            bom: true,
            out: Vec::new(),
            at: 0,
            partial: Vec::new(),
        }
    }
}

impl<R: Read> Read for Utf32<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            self.out.clear();
            self.at = 0;
            let mut raw = [0u8; 1 << 14];
            let n = self.input.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            self.partial.extend_from_slice(&raw[..n]);
            let whole = self.partial.len() / 4 * 4;
            for unit in self.partial[..whole].chunks_exact(4) {
                let unit = [unit[0], unit[1], unit[2], unit[3]];
                let code = if self.little {
                    u32::from_le_bytes(unit)
                } else {
                    u32::from_be_bytes(unit)
                };
                if std::mem::take(&mut self.bom) && code == 0xFEFF {
                    continue;
                }
                let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut utf8 = [0u8; 4];
                self.out
                    .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
            self.partial.drain(..whole);
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_utf8_character_does_not_make_a_file_windows_1252() {
        // One € cut short (E2 82, then a letter) in a file with no other accent.
        let text = b"Nombre,C\xc3\xa9dula\nAna \xe2\x82x,1710034065\n";
        assert_eq!(utf8_or_1252(text), Encoding::Utf8);
        let text = b"Nombre,Cedula\nAna \xe2\x82x,1710034065\n";
        assert_eq!(utf8_or_1252(text), Encoding::Utf8);
        // A Windows-1252 accent is one byte before an ASCII letter.
        let text = b"Nombre,C\xe9dula\nJos\xe9,1710034065\n";
        assert_eq!(utf8_or_1252(text), Encoding::Windows1252);
    }

    #[test]
    fn utf32_is_detected_and_read() {
        let text = "Cédula,RUC\nÑandú 😀,1\n";
        for little in [true, false] {
            let mut bytes = Vec::new();
            for c in std::iter::once('\u{feff}').chain(text.chars()) {
                let c = c as u32;
                bytes.extend(if little {
                    c.to_le_bytes()
                } else {
                    c.to_be_bytes()
                });
            }
            let expected = if little {
                Encoding::Utf32Le
            } else {
                Encoding::Utf32Be
            };
            assert_eq!(detect_encoding(&bytes), expected);
            assert!(!looks_binary(&bytes));
            // Read a byte at a time, so that units are split between reads.
            let mut read = String::new();
            let slow = bytes
                .chunks(3)
                .flat_map(|c| c.to_vec())
                .collect::<Vec<u8>>();
            Utf32::new(OneByOne(&slow[..]), little)
                .read_to_string(&mut read)
                .unwrap();
            assert_eq!(read, text);
        }
    }

    /// A reader that hands out one byte a call.
    struct OneByOne<'a>(&'a [u8]);

    impl Read for OneByOne<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(out)) => {
                    *out = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }
}
