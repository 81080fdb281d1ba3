//! The unit of a run: a chunk of rows read together, checked together, then taken in input
//! order through the batch checks ([`Chunk::in_order`]) and written ([`Chunk::write`]).
//! The parallel run (`run.rs`) hands chunks between threads; the sequential one
//! (`sequential.rs`) takes each through the same stages in turn.

use std::borrow::Cow;
use std::sync::Arc;

use super::{RunOptions, check_cells, check_shape};
use crate::catastro::Catastro;
use crate::compare::{Lookup, Previous};
use crate::finding::Field;
use crate::finding::Finding;
use crate::report::summary::Summary;
use crate::report::{Change, Record, ReportError, Sink};
use crate::roster::{Cells, MAX_QUOTED_LINES, RosterError, RowReader, Source};
use crate::rules::Checked;
use crate::rules::batch::Batch;
use crate::rules::registry;

/// Rows per chunk: large enough to amortise the hand-offs, small enough to keep memory flat.
pub(super) const CHUNK_ROWS: usize = 1024;

/// Bytes of cells at which a chunk is full, however few its rows: rows of a megabyte (a
/// workbook's shared string on every row) made chunks of a gigabyte.
const CHUNK_BYTES: usize = 4 << 20;

/// A row's room (its cells' bytes) past which it is given back once the chunk is written,
/// rather than kept for the next rows.
const ROW_ROOM: usize = 64 << 10;

struct Row {
    row: u64,
    cells: Cells,
    /// An unclosed quote on this line (see [`RowReader::malformed`]).
    quote: Option<(u64, u64)>,
}

pub(super) struct Chunk {
    pub(super) seq: u64,
    pub(super) source_index: usize,
    pub(super) source: Option<Arc<Source>>,
    rows: Vec<Row>,
    pub(super) len: usize,
    /// Bytes of the cells of its rows.
    pub(super) bytes: usize,
    pub(super) checked: Vec<Checked>,
    /// Per record: every cell is valid UTF-8 (and the source reads UTF-8).
    utf8: Vec<bool>,
    /// Findings vectors of the chunk's previous records, to reuse.
    spare: Vec<Vec<Finding>>,
    /// With `--compare`, per record: the previous record it may be (decided in input order
    /// by the writer).
    lookups: Vec<Lookup>,
    /// With `--compare`, per record: how it changed since the previous report.
    changes: Vec<Change>,
}

impl Chunk {
    pub(super) fn new() -> Chunk {
        Chunk {
            seq: 0,
            source_index: 0,
            source: None,
            rows: Vec::new(),
            len: 0,
            bytes: 0,
            checked: Vec::with_capacity(CHUNK_ROWS),
            utf8: Vec::with_capacity(CHUNK_ROWS),
            spare: Vec::with_capacity(CHUNK_ROWS),
            lookups: Vec::new(),
            changes: Vec::new(),
        }
    }

    pub(super) fn fill(&mut self, reader: &mut dyn RowReader) -> Result<(), RosterError> {
        self.len = 0;
        self.bytes = 0;
        while self.len < CHUNK_ROWS && self.bytes < CHUNK_BYTES {
            if self.rows.len() == self.len {
                self.rows.push(Row {
                    row: 0,
                    // Room for a usual roster line: the parser need not grow it byte by byte.
                    cells: Cells::with_capacity(256, 16),
                    quote: None,
                });
            }
            let slot = &mut self.rows[self.len];
            match reader.read(&mut slot.cells)? {
                Some(row) => {
                    slot.row = row;
                    slot.quote = reader.malformed();
                    self.bytes += slot.cells.byte_len();
                    self.len += 1;
                }
                None => break,
            }
        }
        Ok(())
    }

    /// Once the chunk is written: rows that grew past [`ROW_ROOM`] give their room back, so
    /// that a chunk waiting for its next rows holds no more than usual.
    pub(super) fn trim(&mut self) {
        for row in &mut self.rows {
            if row.cells.room() > ROW_ROOM {
                row.cells = Cells::with_capacity(256, 16);
            }
        }
    }

    pub(super) fn check(&mut self, catastro: Option<&Catastro>, previous: Option<&Previous>) {
        let source = self.source.as_deref().expect("chunk has a source");
        self.spare
            .extend(self.checked.drain(..).map(|checked| checked.findings));
        self.utf8.clear();
        for row in &self.rows[..self.len] {
            let findings = self.spare.pop().unwrap_or_default();
            let (checked, utf8) = check_one(source, row, findings, None);
            self.checked.push(checked);
            self.utf8.push(utf8);
        }
        // The lookups for the whole chunk at once, so that their cache misses overlap.
        if let Some(catastro) = catastro {
            let keys: Vec<Option<u64>> = self.checked.iter().map(registry::lookup_key).collect();
            let found = catastro.get_many(&keys);
            let records = self
                .checked
                .iter_mut()
                .zip(&self.rows)
                .zip(keys.iter().zip(found));
            for ((checked, row), (key, found)) in records {
                if let Some(key) = key {
                    let raw_status = |i| catastro.raw_status(i);
                    let covered = catastro.covers(*key);
                    registry::apply(checked, found, covered, raw_status, |taxpayer| {
                        check_one(source, row, Vec::new(), Some(taxpayer)).0
                    });
                }
            }
        }
        self.lookups.clear();
        if let Some(previous) = previous {
            let name = source.map.get(Field::Name);
            let table = previous.table(source);
            for (row, checked) in self.rows.iter().zip(&self.checked) {
                let name =
                    name.map(|i| source.decoder.decode(row.cells.get(i).unwrap_or_default()));
                self.lookups
                    .push(previous.lookup(table, row.row, checked, name.as_deref()));
            }
        }
    }

    /// The stage in input order, once the chunk is checked: the batch checks, the change
    /// since the previous report (with `--compare`), and the summary's counts.
    pub(super) fn in_order(
        &mut self,
        batch: &mut Batch,
        sources: &[Arc<Source>],
        summary: &mut Summary,
        opts: &RunOptions,
    ) {
        let index = self.source_index;
        let rows = self.rows[..self.len].iter().map(|r| r.row);
        batch.check(index, rows, &mut self.checked, sources);
        self.changes.clear();
        if let Some(previous) = &opts.previous {
            // In input order: the n-th record of an employer listed several times is
            // the n-th of the previous report.
            for (checked, lookup) in self.checked.iter().zip(&self.lookups) {
                self.changes
                    .push(previous.resolve(*lookup, checked.verdict()));
            }
        }
        for (i, (row, checked)) in self.rows[..self.len].iter().zip(&self.checked).enumerate() {
            summary.count(index, checked.verdict(), &checked.findings);
            if let Some(&change) = self.changes.get(i) {
                summary.count_change(change, checked, &sources[index], row.row);
            }
        }
    }

    /// Hands the chunk's records to `sink`, in order (only the flagged ones, with
    /// [`RunOptions::only_flagged`]); returns how many records the chunk held.
    pub(super) fn write(
        &self,
        sink: &mut dyn Sink,
        summary: &mut Summary,
        opts: &RunOptions,
    ) -> Result<u64, ReportError> {
        let source = self.source.as_deref().expect("chunk has a source");
        for (i, (row, checked)) in self.rows[..self.len].iter().zip(&self.checked).enumerate() {
            let status = checked.verdict();
            if opts.only_flagged && !status.is_flagged() {
                continue;
            }
            summary.written += 1;
            sink.record(&Record {
                source,
                source_index: self.source_index,
                row: row.row,
                cells: &row.cells,
                checked,
                status,
                change: self.changes.get(i).copied(),
                utf8: self.utf8[i],
            })?;
        }
        Ok(self.len as u64)
    }
}

/// Every per-record rule on one row read by the run; `registry` is the catastro's word on
/// who holds the RUC, when the record is checked again with it. Returns the record and
/// whether every cell is valid UTF-8 (and the source reads UTF-8).
fn check_one(
    source: &Source,
    row: &Row,
    findings: Vec<Finding>,
    registry: Option<crate::ecuador::Taxpayer>,
) -> (Checked, bool) {
    // The fast path: one UTF-8 validation for the whole record (a delimiter is ASCII,
    // so it never splits a character), by simdutf8 (SIMD: 5% off the whole run against
    // std's), then every cell is text as it is. Either decoder reads a valid UTF-8 cell as
    // UTF-8 (a roster judged Windows-1252 may hold cells pasted from a UTF-8 file).
    let cells = &row.cells;
    let whole = cells.as_slice();
    let text = simdutf8::basic::from_utf8(whole).ok();
    let mut checked = match text {
        // Each cell is a slice of the validated record: no second validation.
        Some(text) => check_cells(source, findings, registry, |i| {
            let b = cells.get(i)?;
            let start = b.as_ptr() as usize - whole.as_ptr() as usize;
            Some(Cow::Borrowed(
                text.get(start..start + b.len()).unwrap_or_default(),
            ))
        }),
        None => check_cells(source, findings, registry, |i| {
            cells.get(i).map(|b| source.decoder.decode(b))
        }),
    };
    check_shape(source, &row.cells, &mut checked);
    if let Some((first, last)) = row.quote {
        checked.findings.insert(
            0,
            Finding::unclosed_quote(first, last, last - first + 1 > MAX_QUOTED_LINES),
        );
    }
    (checked, text.is_some())
}
