//! The catastro index: what `patronal catastro build` writes and `--catastro` loads in
//! milliseconds. Layout, little-endian:
//!
//! ```text
//! magic    8 bytes  "PATRCAT\0"
//! version  u32      1
//! count    u64      number of RUCs
//! checksum u64      FNV-1a over the entries' bytes
//! entries  count × u64, strictly increasing: ruc << 3 | status
//! ```

use std::io::Write;
use std::path::Path;

use super::{Catastro, CatastroError, STATUS_BITS};

pub const MAGIC: [u8; 8] = *b"PATRCAT\0";
const VERSION: u32 = 1;
const HEADER: usize = 8 + 4 + 8 + 8;

fn checksum(bytes: &[u8]) -> u64 {
    // FNV-1a, eight bytes at a time: enough to catch a damaged file, fast enough to run on
    // every load.
    bytes.chunks(8).fold(0xcbf2_9ce4_8422_2325, |h, c| {
        let mut word = [0u8; 8];
        word[..c.len()].copy_from_slice(c);
        (h ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes the index of `catastro` to `out`.
pub fn write_index(catastro: &Catastro, mut out: impl Write) -> std::io::Result<()> {
    let mut body = Vec::with_capacity(catastro.entries.len() * 8);
    for e in &catastro.entries {
        body.extend_from_slice(&e.to_le_bytes());
    }
    out.write_all(&MAGIC)?;
    out.write_all(&VERSION.to_le_bytes())?;
    out.write_all(&(catastro.entries.len() as u64).to_le_bytes())?;
    out.write_all(&checksum(&body).to_le_bytes())?;
    out.write_all(&body)?;
    out.flush()
}

/// Reads an index, refusing a foreign, truncated, corrupt or newer file.
pub fn read_index(path: &Path) -> Result<Catastro, CatastroError> {
    let bytes = std::fs::read(path).map_err(|e| CatastroError::io(path, e))?;
    parse_index(path, &bytes)
}

/// [`read_index`] on bytes already read; `path` names them in messages.
pub fn parse_index(path: &Path, bytes: &[u8]) -> Result<Catastro, CatastroError> {
    let refuse = |why: &str| {
        CatastroError::unusable(
            path,
            format!(
                "not a usable catastro index: {why}; rebuild it with `patronal catastro build`"
            ),
        )
    };
    if bytes.len() < HEADER || bytes[..8] != MAGIC {
        return Err(refuse("not a patronal index"));
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap_or_default());
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
    let version = u32_at(8);
    if version != VERSION {
        return Err(refuse(&format!(
            "format version {version}, this patronal reads {VERSION}"
        )));
    }
    let count = u64_at(12);
    let body = &bytes[HEADER..];
    if count.checked_mul(8) != Some(body.len() as u64) {
        return Err(refuse("truncated or padded"));
    }
    // One pass: decode, checksum and order check together (the load must take milliseconds).
    let mut entries = Vec::with_capacity(count as usize);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut previous: Option<u64> = None;
    let mut ordered = true;
    for chunk in body.chunks_exact(8) {
        let e = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        hash = (hash ^ e).wrapping_mul(0x0100_0000_01b3);
        ordered &= previous.is_none_or(|p| p >> STATUS_BITS < e >> STATUS_BITS);
        previous = Some(e);
        entries.push(e);
    }
    if hash != u64_at(20) {
        return Err(refuse("damaged (checksum mismatch)"));
    }
    if !ordered {
        return Err(refuse("entries out of order"));
    }
    Ok(Catastro::with_entries(entries))
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let c = Catastro::from_pairs(vec![
            Catastro::pack(1790011674001, Status::Activo),
            Catastro::pack(428813992001, Status::Pasivo),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.idx");
        let mut bytes = Vec::new();
        write_index(&c, &mut bytes).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_index(&path).unwrap(), c);

        let refused = |b: &[u8]| {
            std::fs::write(&path, b).unwrap();
            read_index(&path).unwrap_err().to_string()
        };
        assert!(refused(&bytes[..bytes.len() - 3]).contains("truncated"));
        assert!(refused(b"PK\x03\x04 not an index at all").contains("not a patronal index"));
        let mut damaged = bytes.clone();
        damaged[HEADER + 2] ^= 1;
        assert!(refused(&damaged).contains("checksum"));
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert!(refused(&newer).contains("version 9"));
    }
}
