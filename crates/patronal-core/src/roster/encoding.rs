//! Which encoding a text roster is in, from its first bytes: a BOM, valid UTF-8, or
//! Windows-1252 (Excel's "CSV" on Spanish Windows); UTF-16 without a BOM; binary data that
//! is not a roster at all.

use super::Encoding;

/// UTF-16 when a BOM says so; UTF-8 (with or without BOM) when the bytes are valid UTF-8;
/// otherwise Windows-1252, Excel's "CSV" on Spanish Windows.
pub(super) fn detect_encoding(prefix: &[u8]) -> Encoding {
    match prefix {
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
/// read as Windows-1252 ([`Decoder::decode`]), and every other accent keeps its meaning.
/// A real Windows-1252 file's accents (`é` = 0xE9 before an ASCII letter) are never valid
/// UTF-8, so it has invalid sequences and (nearly) no valid multi-byte ones.
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
                invalid += 1;
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
    if prefix.starts_with(&[0xFF, 0xFE])
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
