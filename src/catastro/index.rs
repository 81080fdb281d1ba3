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

use std::io::{Read, Write};
use std::path::Path;

use super::{Catastro, CatastroError, STATUS_BITS};
use crate::i18n::{Message, errors};

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

/// Reads an index, refusing a foreign, truncated, corrupt or newer file. The entries are
/// decoded as they are read, a megabyte at a time: memory holds them once, not twice.
pub fn read_index(path: &Path) -> Result<Catastro, CatastroError> {
    let io = |e| CatastroError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut header = [0u8; HEADER];
    if len < HEADER as u64 {
        return Err(refuse(path, errors::INDEX_FOREIGN.msg()));
    }
    file.read_exact(&mut header).map_err(io)?;
    let (count, sum) = parse_header(path, &header, len - HEADER as u64)?;
    let mut body = Body::new(count);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len - HEADER as u64;
    while left > 0 {
        let n = buf.len().min(left as usize);
        file.read_exact(&mut buf[..n]).map_err(io)?;
        body.feed(&buf[..n]);
        left -= n as u64;
    }
    body.finish(path, sum)
}

/// [`read_index`] on bytes already read; `path` names them in messages.
pub fn parse_index(path: &Path, bytes: &[u8]) -> Result<Catastro, CatastroError> {
    if bytes.len() < HEADER {
        return Err(refuse(path, errors::INDEX_FOREIGN.msg()));
    }
    let (header, entries) = bytes.split_at(HEADER);
    let (count, sum) = parse_header(path, header, entries.len() as u64)?;
    let mut body = Body::new(count);
    body.feed(entries);
    body.finish(path, sum)
}

fn refuse(path: &Path, why: Message) -> CatastroError {
    CatastroError::unusable(path, errors::INDEX_REFUSED.with_msg("why", why))
}

/// Checks the header against the length of what follows it; returns the count of entries
/// and the checksum.
fn parse_header(path: &Path, header: &[u8], body_len: u64) -> Result<(usize, u64), CatastroError> {
    if header[..8] != MAGIC {
        return Err(refuse(path, errors::INDEX_FOREIGN.msg()));
    }
    let u32_at = |i: usize| u32::from_le_bytes(header[i..i + 4].try_into().unwrap_or_default());
    let u64_at = |i: usize| u64::from_le_bytes(header[i..i + 8].try_into().unwrap_or_default());
    let version = u32_at(8);
    if version != VERSION {
        return Err(refuse(
            path,
            errors::INDEX_VERSION
                .with("version", version)
                .with("ours", VERSION),
        ));
    }
    let count = u64_at(12);
    if count.checked_mul(8) != Some(body_len) {
        return Err(refuse(path, errors::INDEX_TRUNCATED.msg()));
    }
    let count = usize::try_from(count).map_err(|_| refuse(path, errors::INDEX_TOO_LARGE.msg()))?;
    Ok((count, u64_at(20)))
}

/// The entries as they are decoded: checksum and order checked on the way (one pass, so
/// that a load takes milliseconds).
struct Body {
    entries: Vec<u64>,
    hash: u64,
    ordered: bool,
}

impl Body {
    fn new(count: usize) -> Body {
        Body {
            entries: Vec::with_capacity(count),
            hash: 0xcbf2_9ce4_8422_2325,
            ordered: true,
        }
    }

    /// Decodes whole entries: `bytes` is a multiple of 8 long.
    fn feed(&mut self, bytes: &[u8]) {
        let mut previous = self.entries.last().copied();
        for chunk in bytes.chunks_exact(8) {
            let e = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.hash = (self.hash ^ e).wrapping_mul(0x0100_0000_01b3);
            self.ordered &= previous.is_none_or(|p| p >> STATUS_BITS < e >> STATUS_BITS);
            previous = Some(e);
            self.entries.push(e);
        }
    }

    fn finish(self, path: &Path, sum: u64) -> Result<Catastro, CatastroError> {
        if self.hash != sum {
            return Err(refuse(path, errors::INDEX_CHECKSUM.msg()));
        }
        if !self.ordered {
            return Err(refuse(path, errors::INDEX_ORDER.msg()));
        }
        Ok(Catastro::with_entries(self.entries))
    }
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
