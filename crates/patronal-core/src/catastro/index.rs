//! The catastro index: what `patronal catastro build` writes and `--catastro` loads in
//! milliseconds. Layout, little-endian:
//!
//! ```text
//! magic     8 bytes  "PATRCAT\0"
//! version   u32      3
//! count     u64      number of RUCs
//! raw       u64      bytes of the table of statuses that are not SRI words
//! checksum  u64      FNV-1a over the entries' bytes, then the table's
//! provinces u32      the provinces the files cover, bit 9 for Guayas; 0: not stated
//! entries   count × u64, strictly increasing by RUC: ruc << 20 | status << 8 | taxpayer
//! table     per status as written: u16 length, then its UTF-8 bytes
//! ```
//!
//! Version 2 (the same without `provinces`) is read as covering every province, as it was
//! used before provinces were read. Version 1 (`ruc << 3 | status`, no kind of taxpayer,
//! unknown statuses lost) is refused with a message that says to rebuild it.

use std::io::{Read, Write};
use std::path::Path;

use super::load::MAX_RUCS;
use super::{Catastro, CatastroError, MAX_RAW_STATUSES, TAG_BITS};
use crate::i18n::{Message, errors};

pub(crate) const MAGIC: [u8; 8] = *b"PATRCAT\0";
const VERSION: u32 = 3;
/// The header of version 2, which had no provinces.
const HEADER_V2: usize = 8 + 4 + 8 + 8 + 8;
const HEADER: usize = HEADER_V2 + 4;
/// The table's largest possible size: every status at its longest (64 characters of up to
/// 4 bytes).
const MAX_TABLE: u64 = MAX_RAW_STATUSES as u64 * (2 + 4 * 64);

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn checksum(start: u64, bytes: &[u8]) -> u64 {
    // FNV-1a, eight bytes at a time: enough to catch a damaged file, fast enough to run on
    // every load.
    bytes.chunks(8).fold(start, |h, c| {
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
    let mut table = Vec::new();
    for raw in &catastro.raw {
        table.extend_from_slice(&(raw.len() as u16).to_le_bytes());
        table.extend_from_slice(raw.as_bytes());
    }
    out.write_all(&MAGIC)?;
    out.write_all(&VERSION.to_le_bytes())?;
    out.write_all(&(catastro.entries.len() as u64).to_le_bytes())?;
    out.write_all(&(table.len() as u64).to_le_bytes())?;
    out.write_all(&checksum(checksum(FNV_START, &body), &table).to_le_bytes())?;
    out.write_all(&catastro.coverage.unwrap_or(0).to_le_bytes())?;
    out.write_all(&body)?;
    out.write_all(&table)?;
    out.flush()
}

/// Reads an index, refusing a foreign, truncated, corrupt, older or newer file. The
/// entries are decoded as they are read, a megabyte at a time: memory holds them once, not
/// twice. Nothing is reserved for them before the header's count has been checked against
/// the file's length and against `MAX_RUCS` (a sparse file whose header claims 2³¹
/// entries made the loader reserve 17 GB), and the reading stops at the first entry out
/// of order (the zeros of a sparse file) rather than at the end.
pub fn read_index(path: &Path) -> Result<Catastro, CatastroError> {
    let io = |e| CatastroError::io(path, e);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut header = [0u8; HEADER];
    // The version first: it says how long the header is.
    let start = len.min(12) as usize;
    file.read_exact(&mut header[..start]).map_err(io)?;
    let size = header_size(&header[..start]).min(len as usize);
    file.read_exact(&mut header[start..size.max(start)])
        .map_err(io)?;
    let parsed = parse_header(path, &header[..size.max(start)], len)?;
    let (count, table_len, sum) = (parsed.count, parsed.table, parsed.sum);
    let mut body = Body::new(count, parsed.coverage);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = count as u64 * 8;
    while left > 0 && body.ordered {
        let n = buf.len().min(left as usize);
        file.read_exact(&mut buf[..n]).map_err(io)?;
        body.feed(&buf[..n]);
        left -= n as u64;
    }
    if !body.ordered {
        return Err(refuse(path, errors::INDEX_ORDER.msg()));
    }
    let mut table = vec![0u8; table_len];
    file.read_exact(&mut table).map_err(io)?;
    body.finish(path, &table, sum)
}

/// [`read_index`] on bytes already read; `path` names them in messages.
pub fn parse_index(path: &Path, bytes: &[u8]) -> Result<Catastro, CatastroError> {
    let size = header_size(&bytes[..bytes.len().min(12)]).min(bytes.len());
    let parsed = parse_header(path, &bytes[..size], bytes.len() as u64)?;
    let (count, table_len, sum) = (parsed.count, parsed.table, parsed.sum);
    let (entries, table) = bytes[size..].split_at(count * 8);
    debug_assert_eq!(table.len(), table_len);
    let mut body = Body::new(count, parsed.coverage);
    body.feed(entries);
    body.finish(path, table, sum)
}

fn refuse(path: &Path, why: Message) -> CatastroError {
    CatastroError::unusable(path, errors::INDEX_REFUSED.with_msg("why", why))
}

/// The header's size by the version in its first 12 bytes (version 2's is shorter).
fn header_size(start: &[u8]) -> usize {
    match start.get(8..12) {
        Some(&[2, 0, 0, 0]) => HEADER_V2,
        _ => HEADER,
    }
}

/// What an index's header says.
struct Header {
    count: usize,
    table: usize,
    sum: u64,
    coverage: Option<u32>,
}

/// Checks the header (what of it the file holds) against the file's length `len`; returns
/// the count of entries, the table's length, the checksum and the provinces covered.
fn parse_header(path: &Path, header: &[u8], len: u64) -> Result<Header, CatastroError> {
    if header.len() < 12 || header[..8] != MAGIC {
        return Err(refuse(path, errors::INDEX_FOREIGN.msg()));
    }
    let u32_at = |i: usize| u32::from_le_bytes(header[i..i + 4].try_into().unwrap_or_default());
    let version = u32_at(8);
    if version != VERSION && version != 2 {
        let text = if version < VERSION {
            errors::INDEX_VERSION_OLDER
        } else {
            errors::INDEX_VERSION
        };
        return Err(refuse(
            path,
            text.with("version", version).with("ours", VERSION),
        ));
    }
    let size = header_size(header);
    if header.len() < size {
        return Err(refuse(path, errors::INDEX_TRUNCATED.msg()));
    }
    let u64_at = |i: usize| u64::from_le_bytes(header[i..i + 8].try_into().unwrap_or_default());
    let (count, table) = (u64_at(12), u64_at(20));
    let expected = count
        .checked_mul(8)
        .and_then(|b| b.checked_add(table))
        .and_then(|b| b.checked_add(size as u64));
    if table > MAX_TABLE || expected != Some(len) {
        return Err(refuse(path, errors::INDEX_TRUNCATED.msg()));
    }
    // The catastro loaders' own limit: an index holds no more RUCs than a catastro may.
    if count > MAX_RUCS as u64 {
        return Err(refuse(
            path,
            errors::INDEX_TOO_MANY
                .with("count", count)
                .with("max", MAX_RUCS),
        ));
    }
    let count = usize::try_from(count).map_err(|_| refuse(path, errors::INDEX_TOO_LARGE.msg()))?;
    // Version 2 did not record provinces: every one is taken as covered.
    let coverage = match version {
        2 => None,
        _ => Some(u32_at(36)).filter(|&mask| mask != 0),
    };
    Ok(Header {
        count,
        table: table as usize,
        sum: u64_at(28),
        coverage,
    })
}

/// The entries as they are decoded: checksum and order checked on the way (one pass, so
/// that a load takes milliseconds).
struct Body {
    entries: Vec<u64>,
    hash: u64,
    ordered: bool,
    coverage: Option<u32>,
}

impl Body {
    fn new(count: usize, coverage: Option<u32>) -> Body {
        Body {
            entries: Vec::with_capacity(count),
            hash: FNV_START,
            ordered: true,
            coverage,
        }
    }

    /// Decodes whole entries: `bytes` is a multiple of 8 long. Past the first entry out of
    /// order (`ordered` turns false) nothing more is kept: the checksum goes on.
    fn feed(&mut self, bytes: &[u8]) {
        let mut previous = self.entries.last().copied();
        for chunk in bytes.chunks_exact(8) {
            let e = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.hash = (self.hash ^ e).wrapping_mul(0x0100_0000_01b3);
            self.ordered &= previous.is_none_or(|p| p >> TAG_BITS < e >> TAG_BITS);
            previous = Some(e);
            if self.ordered {
                self.entries.push(e);
            }
        }
    }

    fn finish(self, path: &Path, table: &[u8], sum: u64) -> Result<Catastro, CatastroError> {
        if checksum(self.hash, table) != sum {
            return Err(refuse(path, errors::INDEX_CHECKSUM.msg()));
        }
        if !self.ordered {
            return Err(refuse(path, errors::INDEX_ORDER.msg()));
        }
        let mut raw = Vec::new();
        let mut rest = table;
        while let [a, b, tail @ ..] = rest {
            let n = usize::from(u16::from_le_bytes([*a, *b]));
            let (Some(text), Some(after)) = (tail.get(..n), tail.get(n..)) else {
                return Err(refuse(path, errors::INDEX_STATUS_TABLE.msg()));
            };
            let text = std::str::from_utf8(text)
                .map_err(|_| refuse(path, errors::INDEX_STATUS_TABLE.msg()))?;
            raw.push(text.into());
            rest = after;
        }
        if !rest.is_empty() || raw.len() > MAX_RAW_STATUSES {
            return Err(refuse(path, errors::INDEX_STATUS_TABLE.msg()));
        }
        let mut catastro = Catastro::with_entries(self.entries, raw);
        catastro.coverage = self.coverage;
        Ok(catastro)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Listed, RawStatuses};
    use super::*;
    use crate::ecuador::RucStatus;
    use crate::ecuador::Taxpayer;

    #[test]
    fn round_trip_and_refusals() {
        let mut raw = RawStatuses::default();
        let blank = raw.status(" ");
        let odd = raw.status("EN TRÁMITE");
        let mut c = Catastro::from_pairs(
            vec![
                Catastro::pack(
                    1790011674001,
                    Listed::Word(RucStatus::Activo),
                    Some(Taxpayer::Society),
                ),
                Catastro::pack(
                    428813992001,
                    Listed::Word(RucStatus::Pasivo),
                    Some(Taxpayer::Person),
                ),
                Catastro::pack(962467429001, blank, None),
                Catastro::pack(992397535001, odd, Some(Taxpayer::Society)),
            ],
            raw,
        );
        // Galápagos and Guayas.
        c.coverage = Some(1 << 20 | 1 << 9);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.idx");
        let mut bytes = Vec::new();
        write_index(&c, &mut bytes).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let back = read_index(&path).unwrap();
        assert_eq!(back, c);
        assert_eq!(parse_index(&path, &bytes).unwrap(), c);
        assert_eq!(back.provinces(), Some(vec![9, 20]));
        assert!(back.covers(992397535001) && !back.covers(1790011674001));
        let found = back.get(992397535001).unwrap();
        assert_eq!(back.status_text(found.status), "EN TRÁMITE");
        assert_eq!(found.taxpayer, Some(Taxpayer::Society));
        assert_eq!(back.status_text(back.get(962467429001).unwrap().status), "");

        let refused = |b: &[u8]| {
            std::fs::write(&path, b).unwrap();
            read_index(&path).unwrap_err().to_string()
        };
        assert!(refused(&bytes[..bytes.len() - 3]).contains("truncated"));
        assert!(refused(b"PK\x03\x04 not an index at all").contains("not a patronal index"));
        let mut damaged = bytes.clone();
        damaged[HEADER + 2] ^= 1;
        assert!(refused(&damaged).contains("checksum"));
        let mut table = bytes.clone();
        let last = table.len() - 1;
        table[last] ^= 1;
        assert!(refused(&table).contains("checksum"));
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert!(refused(&newer).contains("version 9"));
    }

    #[test]
    fn a_version_2_index_covers_every_province() {
        // Version 2 as patronal wrote it before provinces were read: no `provinces` field.
        let c = Catastro::from_pairs(
            vec![Catastro::pack(
                1790011674001,
                Listed::Word(RucStatus::Activo),
                Some(Taxpayer::Society),
            )],
            RawStatuses::default(),
        );
        let mut v3 = Vec::new();
        write_index(&c, &mut v3).unwrap();
        let mut v2 = v3[..HEADER_V2].to_vec();
        v2[8..12].copy_from_slice(&2u32.to_le_bytes());
        v2.extend_from_slice(&v3[HEADER..]);
        let back = parse_index(Path::new("v2.idx"), &v2).unwrap();
        assert_eq!((back.len(), back.provinces()), (1, None));
        assert!(back.covers(992397535001));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.idx");
        std::fs::write(&path, &v2).unwrap();
        assert_eq!(read_index(&path).unwrap(), back);
    }

    #[test]
    fn a_version_1_index_is_refused_with_the_way_out() {
        // Version 1 as 0.1 wrote it: magic, version, count, checksum, `ruc << 3 | status`.
        let entry = (1_790_011_674_001u64 << 3).to_le_bytes();
        let mut v1 = MAGIC.to_vec();
        v1.extend_from_slice(&1u32.to_le_bytes());
        v1.extend_from_slice(&1u64.to_le_bytes());
        v1.extend_from_slice(&checksum(FNV_START, &entry).to_le_bytes());
        v1.extend_from_slice(&entry);
        let err = parse_index(Path::new("old.idx"), &v1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "old.idx: not a usable catastro index: format version 1 (made by an older patronal, without the kind of taxpayer), this patronal reads 3; rebuild it with `patronal catastro build`"
        );
    }
}
