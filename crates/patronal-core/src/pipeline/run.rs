//! The parallel run (feature `parallel`, on by default): rows read in ordered chunks,
//! checked in parallel (rayon), then, in input order, through the batch checks (duplicates,
//! shared e-mails) to the report.
//!
//! The reader (the calling thread) fills chunks; the pool checks them; a writer thread takes
//! them in input order through the batch checks, hands them back to the pool to render their
//! report text, and writes them, again in order. The sequential thread only hashes and
//! copies bytes. Chunks are recycled, so memory holds a fixed number of chunks whatever the
//! roster's size; the batch checks keep one small entry per distinct employer and e-mail.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::time::Instant;

use super::batch::Batch;
use super::{Record, Render, RunError, RunOptions, Sink, check_cells, check_shape};
use crate::catastro::Catastro;
use crate::compare::{Lookup, Previous};
use crate::report::ReportError;
use crate::report::summary::Summary;
use crate::roster::{Cells, Column, Decoder, RosterError, RowReader, Source};
use crate::rules::{Checked, Finding};

/// Rows per chunk: large enough to amortise the hand-offs, small enough to keep memory flat.
const CHUNK_ROWS: usize = 1024;

struct Row {
    row: u64,
    cells: Cells,
    /// An unclosed quote on this line (see [`RowReader::malformed`]).
    quote: Option<(u64, u64)>,
}

struct Chunk {
    seq: u64,
    source_index: usize,
    source: Option<Arc<Source>>,
    rows: Vec<Row>,
    len: usize,
    checked: Vec<Checked>,
    /// Per record: every cell is valid UTF-8 (and the source reads UTF-8).
    utf8: Vec<bool>,
    /// Findings vectors of the chunk's previous records, to reuse.
    spare: Vec<Vec<Finding>>,
    /// Rendered report text of the chunk's records, and where each one ends.
    text: Vec<u8>,
    ends: Vec<usize>,
    /// With `--compare`, per record: the previous record it may be (decided in input order
    /// by the writer).
    lookups: Vec<Lookup>,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            seq: 0,
            source_index: 0,
            source: None,
            rows: Vec::new(),
            len: 0,
            checked: Vec::with_capacity(CHUNK_ROWS),
            utf8: Vec::with_capacity(CHUNK_ROWS),
            spare: Vec::with_capacity(CHUNK_ROWS),
            text: Vec::new(),
            ends: Vec::with_capacity(CHUNK_ROWS),
            lookups: Vec::new(),
        }
    }

    fn fill(&mut self, reader: &mut dyn RowReader) -> Result<(), RosterError> {
        self.len = 0;
        while self.len < CHUNK_ROWS {
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
                    self.len += 1;
                }
                None => break,
            }
        }
        Ok(())
    }

    fn check(&mut self, catastro: Option<&Catastro>, previous: Option<&Previous>) {
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
            let rows = &self.rows;
            catastro.apply_all(&mut self.checked, |i, taxpayer| {
                check_one(source, &rows[i], Vec::new(), Some(taxpayer)).0
            });
        }
        self.lookups.clear();
        if let Some(previous) = previous {
            let name = source.map.get(Column::Name);
            for (row, checked) in self.rows.iter().zip(&self.checked) {
                let name =
                    name.map(|i| source.decoder.decode(row.cells.get(i).unwrap_or_default()));
                self.lookups
                    .push(previous.lookup(source, row.row, checked, name.as_deref()));
            }
        }
    }

    /// Renders every record that goes into the report (after the batch checks).
    fn render(&mut self, renderer: &dyn Render, only_flagged: bool) {
        let source = self.source.as_deref().expect("chunk has a source");
        self.text.clear();
        self.ends.clear();
        for (i, (row, checked)) in self.rows[..self.len].iter().zip(&self.checked).enumerate() {
            let status = checked.status();
            if !only_flagged || status.is_flagged() {
                let record = Record {
                    source,
                    source_index: self.source_index,
                    row: row.row,
                    cells: &row.cells,
                    checked,
                    status,
                    utf8: self.utf8[i],
                    rendered: None,
                };
                renderer.render(&record, &mut self.text);
            }
            self.ends.push(self.text.len());
        }
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
    // std's), then every cell is text as it is.
    let cells = &row.cells;
    let whole = cells.as_slice();
    let text = match source.decoder {
        Decoder::Utf8 => simdutf8::basic::from_utf8(whole).ok(),
        Decoder::Windows1252 => None,
    };
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
        checked
            .findings
            .insert(0, Finding::unclosed_quote(first, last));
    }
    (checked, text.is_some())
}

/// Runs the whole job: every row of every reader through every check, into `sink` in input
/// order. `progress` is called with the number of records done so far.
pub fn run(
    readers: Vec<Box<dyn RowReader>>,
    opts: &RunOptions,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, RunError> {
    let started = Instant::now();
    let threads = opts.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let in_flight = pool.current_num_threads() * 2 + 2;
    let (free_tx, free_rx) = sync_channel::<Chunk>(in_flight);
    for _ in 0..in_flight {
        // Room for every chunk: never blocks, and the receiver is alive.
        let _ = free_tx.send(Chunk::new());
    }
    let (done_tx, done_rx) = channel::<Done>();
    let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
    let records_hint = readers.iter().filter_map(|r| r.records_hint()).sum();
    let mut summary = Summary::new(&sources);

    let (read_result, write_result) = std::thread::scope(|scope| {
        let stages = Stages {
            pool: &pool,
            opts,
            back: done_tx.clone(),
        };
        let summary = &mut summary;
        let writer = scope.spawn(move || {
            let batch = Batch::with_capacity(records_hint);
            write_in_order(done_rx, free_tx, &stages, batch, sink, summary, progress)
        });
        let read_result = read_all(readers, &pool, free_rx, &done_tx, opts);
        let chunks = match &read_result {
            Ok((chunks, _)) => *chunks,
            Err(_) => 0,
        };
        // After an error nothing more is written: the writer stops at once.
        let _ = done_tx.send(Done::End(chunks));
        let read_result = read_result.map(|(_, blank)| blank);
        (read_result, writer.join())
    });
    let blank = read_result?;
    match write_result {
        Ok(r) => r?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    if opts
        .cancel
        .as_ref()
        .is_some_and(|c| c.load(Ordering::Relaxed))
    {
        return Err(RunError::Interrupted);
    }
    for (file, blank) in summary.files.iter_mut().zip(blank) {
        file.blank_rows = blank;
    }
    summary.finish(started.elapsed());
    Ok(summary)
}

/// Fills chunks and hands them to the pool; returns how many, and the blank rows of each
/// reader.
fn read_all(
    readers: Vec<Box<dyn RowReader>>,
    pool: &rayon::ThreadPool,
    free: Receiver<Chunk>,
    done: &Sender<Done>,
    opts: &RunOptions,
) -> Result<(u64, Vec<u64>), RosterError> {
    let cancel = opts.cancel.as_deref();
    let mut seq = 0;
    let mut blank = Vec::with_capacity(readers.len());
    // The chunk that found a reader's end is kept for the next reader: dropping it would
    // shrink the pool by one a table, and a run over more tables than chunks would wait
    // forever on an empty pool.
    let mut spare: Option<Chunk> = None;
    for (index, mut reader) in readers.into_iter().enumerate() {
        loop {
            // The writer stopped (an error), or the user did: nothing more to do.
            let mut chunk = match spare.take() {
                Some(chunk) => chunk,
                None => match free.recv() {
                    Ok(chunk) => chunk,
                    Err(_) => return Ok((seq, blank)),
                },
            };
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Ok((seq, blank));
            }
            chunk.fill(reader.as_mut())?;
            if chunk.len == 0 {
                spare = Some(chunk);
                break;
            }
            chunk.seq = seq;
            chunk.source_index = index;
            chunk.source = Some(Arc::clone(reader.source()));
            seq += 1;
            let done = done.clone();
            let catastro = opts.catastro.clone();
            let previous = opts.previous.clone();
            pool.spawn(move || {
                chunk.check(catastro.as_deref(), previous.as_deref());
                let _ = done.send(Done::Checked(chunk));
            });
        }
        blank.push(reader.blank_rows());
    }
    Ok((seq, blank))
}

/// What the pool hands back to the writer.
enum Done {
    Checked(Chunk),
    Rendered(Chunk),
    /// The reader stopped after handing out this many chunks.
    End(u64),
}

/// What the writer needs to send chunks back to the pool for rendering.
struct Stages<'a> {
    pool: &'a rayon::ThreadPool,
    opts: &'a RunOptions,
    back: Sender<Done>,
}

fn source_name(s: &Source) -> String {
    match &s.sheet {
        Some(sheet) => format!("{}[{sheet}]:", s.name()),
        None => format!("{}:", s.name()),
    }
}

fn write_in_order(
    done: Receiver<Done>,
    free: SyncSender<Chunk>,
    stages: &Stages,
    mut batch: Batch,
    sink: &mut dyn Sink,
    summary: &mut Summary,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), ReportError> {
    let opts = stages.opts;
    let mut checked: BTreeMap<u64, Chunk> = BTreeMap::new();
    let mut rendered: BTreeMap<u64, Chunk> = BTreeMap::new();
    let (mut next_batch, mut next_write) = (0, 0);
    let mut records = 0;
    let sources = summary.sources.clone();
    // The writer holds a sender for the render stage, so the channel never closes: the loop
    // ends when the reader has said how many chunks there are and all are written.
    let mut end = None;
    while end.is_none_or(|n| next_write < n) {
        match done.recv() {
            Ok(Done::Checked(chunk)) => {
                checked.insert(chunk.seq, chunk);
            }
            Ok(Done::Rendered(chunk)) => {
                rendered.insert(chunk.seq, chunk);
            }
            Ok(Done::End(n)) => end = Some(n),
            Err(_) => break,
        }
        while let Some(mut chunk) = checked.remove(&next_batch) {
            next_batch += 1;
            let index = chunk.source_index;
            let place = opts
                .previous
                .is_some()
                .then(|| source_name(&sources[index]));
            let rows = chunk.rows[..chunk.len].iter().map(|r| r.row);
            batch.check(index, rows, &mut chunk.checked, &sources);
            if let Some(previous) = &opts.previous {
                // In input order: the n-th record of an employer listed several times is
                // the n-th of the previous report.
                for (checked, lookup) in chunk.checked.iter_mut().zip(&chunk.lookups) {
                    checked.change = Some(previous.resolve(*lookup, checked.status()));
                }
            }
            for (row, checked) in chunk.rows[..chunk.len].iter().zip(&chunk.checked) {
                summary.count(index, checked.status(), &checked.findings);
                if let (Some(change), Some(place)) = (checked.change, &place) {
                    summary.count_change(change, checked, place, row.row);
                }
            }
            match &opts.renderer {
                Some(renderer) => {
                    let renderer = Arc::clone(renderer);
                    let back = stages.back.clone();
                    let only_flagged = opts.only_flagged;
                    stages.pool.spawn(move || {
                        chunk.render(renderer.as_ref(), only_flagged);
                        let _ = back.send(Done::Rendered(chunk));
                    });
                }
                None => {
                    rendered.insert(chunk.seq, chunk);
                }
            }
        }
        while let Some(mut chunk) = rendered.remove(&next_write) {
            next_write += 1;
            let source = chunk.source.take().expect("chunk has a source");
            let index = chunk.source_index;
            // The usual case: the report alone takes the chunk's text in one piece.
            if opts.renderer.is_some() && sink.text(&chunk.text)? {
                let written = chunk.checked[..chunk.len]
                    .iter()
                    .filter(|c| !opts.only_flagged || c.status().is_flagged())
                    .count();
                summary.written += written as u64;
                records += chunk.len as u64;
                progress(records);
                let _ = free.send(chunk);
                continue;
            }
            let mut start = 0;
            for (i, (row, checked)) in chunk.rows[..chunk.len]
                .iter()
                .zip(&chunk.checked)
                .enumerate()
            {
                let status = checked.status();
                let end = chunk.ends.get(i).copied().unwrap_or(0);
                let text = &chunk.text[start..end];
                start = end;
                if opts.only_flagged && !status.is_flagged() {
                    continue;
                }
                summary.written += 1;
                sink.record(&Record {
                    source: &source,
                    source_index: index,
                    row: row.row,
                    cells: &row.cells,
                    checked,
                    status,
                    utf8: chunk.utf8[i],
                    rendered: opts.renderer.is_some().then_some(text),
                })?;
            }
            records += chunk.len as u64;
            progress(records);
            // The reader may have finished: a closed channel is fine.
            let _ = free.send(chunk);
        }
    }
    Ok(())
}
