//! How a CSV roster is written: its delimiter (`,`, `;`, tab, `|`), sniffed from the first
//! rows as the one under which a header row matches the most fields.

use std::io::{self, Read};

use ::csv::{ByteRecord, ReaderBuilder};

use super::headers::{ColumnMap, HEADER_SEARCH_ROWS, INFER_ROWS, locate};
use super::{Decoder, ReadOptions};

/// How much of the file is read to detect the encoding, the delimiter and the header row.
pub(super) const SNIFF_BYTES: u64 = 1 << 20;

pub(super) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What the first rows say: the delimiter, and the header row (its index, its cells, the
/// fields they match).
pub(super) struct Sniffed {
    pub(super) delimiter: u8,
    pub(super) header_index: usize,
    pub(super) headers: Vec<String>,
    pub(super) map: ColumnMap,
}

/// The longest first line looked at for a header: 300,000 header cells take about 3 MB.
pub(super) const MAX_HEADER_BYTES: u64 = 64 << 20;

/// Appends up to [`SNIFF_BYTES`] of `stream` to `head`; `true` when they were all there (the
/// stream may hold more).
pub(super) fn read_more(stream: &mut impl Read, head: &mut Vec<u8>) -> io::Result<bool> {
    let n = stream.take(SNIFF_BYTES).read_to_end(head)?;
    Ok(n as u64 == SNIFF_BYTES)
}

/// Tries each delimiter on the first rows; the one under which a header row matches the most
/// fields wins. `None` when there are no rows at all.
pub(super) fn sniff(
    head: &[u8],
    truncated: bool,
    decoder: Decoder,
    opts: &ReadOptions,
) -> Option<Sniffed> {
    let candidates: Vec<u8> = match opts.delimiter {
        Some(d) => vec![d],
        None => DELIMITERS.to_vec(),
    };
    let mut best: Option<(usize, usize, Sniffed)> = None;
    for delimiter in candidates {
        let rows = first_rows(head, truncated, delimiter, decoder);
        if rows.is_empty() {
            continue;
        }
        let (index, map) = locate(&rows, &opts.overrides).unwrap_or_default();
        let complete = usize::from(map.missing().is_empty());
        let matched = map.matched();
        let score = (complete, matched);
        if best.as_ref().is_none_or(|(c, m, _)| score > (*c, *m)) {
            let headers = rows.into_iter().nth(index).unwrap_or_default();
            best = Some((
                complete,
                matched,
                Sniffed {
                    delimiter,
                    header_index: index,
                    headers,
                    map,
                },
            ));
        }
    }
    best.map(|(_, _, s)| s)
}

/// The first records of `head` under `delimiter`, decoded: enough for the header row and
/// the rows below it that may tell a column by its cells. A record cut by the end of the
/// sniffed bytes is dropped.
pub(super) fn first_rows(
    head: &[u8],
    truncated: bool,
    delimiter: u8,
    decoder: Decoder,
) -> Vec<Vec<String>> {
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut rows = Vec::new();
    let mut record = ByteRecord::new();
    while rows.len() <= HEADER_SEARCH_ROWS + INFER_ROWS {
        match reader.read_byte_record(&mut record) {
            Ok(true) => rows.push(
                record
                    .iter()
                    .map(|f| decoder.decode(f).into_owned())
                    .collect(),
            ),
            _ => break,
        }
    }
    if truncated && reader.is_done() {
        rows.pop();
    }
    rows
}

pub(super) fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_owned(),
        b' ' => "space".to_owned(),
        d if d.is_ascii_graphic() => format!("'{}'", d as char),
        d => format!("0x{d:02x}"),
    }
}
