//! The parallel run (feature `parallel`, on by default): rows read in ordered chunks,
//! checked in parallel (rayon), then, in input order, through the batch checks (duplicates,
//! shared e-mails) to the report.
//!
//! The same stages as the sequential run (`sequential.rs`), spread over threads: the reader
//! (the calling thread) fills chunks; the pool checks them; a writer thread takes them in
//! input order through the batch checks and into the sink (the reports render there).
//! Chunks are recycled, so memory holds a fixed number of chunks whatever the roster's
//! size; the batch checks keep one small entry per distinct employer and e-mail.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::time::Instant;

use super::chunk::Chunk;
use super::{RunError, RunOptions, Sink};
use crate::report::ReportError;
use crate::report::summary::Summary;
use crate::roster::{FooterRows, RosterError, RowReader, Source};
use crate::rules::batch::Batch;

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
    let bytes = AtomicUsize::new(0);
    let bytes = &bytes;
    let (free_tx, free_rx) = sync_channel::<Chunk>(in_flight);
    for _ in 0..in_flight {
        // Room for every chunk: never blocks, and the receiver is alive.
        let _ = free_tx.send(Chunk::new());
    }
    let (done_tx, done_rx) = channel::<Done>();
    let readers = super::skip_footers(readers);
    let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
    let records_hint = readers.iter().filter_map(|r| r.records_hint()).sum();
    let mut summary = Summary::new(&sources, opts.catastro.is_some());

    let (read_result, write_result) = std::thread::scope(|scope| {
        let summary = &mut summary;
        let writer = scope.spawn(move || {
            let batch = Batch::with_capacity(records_hint);
            write_in_order(
                done_rx, free_tx, opts, batch, sink, summary, progress, bytes,
            )
        });
        let read_result = read_all(readers, &pool, free_rx, &done_tx, opts, bytes);
        let chunks = match &read_result {
            Ok((chunks, _)) => *chunks,
            Err(_) => 0,
        };
        // After an error nothing more is written: the writer stops at once.
        let _ = done_tx.send(Done::End(chunks));
        let read_result = read_result.map(|(_, blank)| blank);
        (read_result, writer.join())
    });
    let ends = read_result?;
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
    for (index, (blank, headers, footers)) in ends.into_iter().enumerate() {
        summary.table_read(index, blank, headers, footers.as_ref());
    }
    summary.finish(started.elapsed());
    Ok(summary)
}

/// Bytes of rows in the chunks in flight past which the reader waits for the writer: the
/// chunks in flight grow with the threads, and a chunk of huge rows holds up to
/// the chunk's limit of bytes and a row.
const IN_FLIGHT_BYTES: usize = 32 << 20;

/// Fills chunks and hands them to the pool; returns how many, and the blank rows and the
/// rows repeating the header and the footer rows of each reader. `bytes` counts the bytes of rows in the chunks in flight: past
/// [`IN_FLIGHT_BYTES`] the reader takes no more until the writer has given some back.
fn read_all(
    readers: Vec<Box<dyn RowReader>>,
    pool: &rayon::ThreadPool,
    free: Receiver<Chunk>,
    done: &Sender<Done>,
    opts: &RunOptions,
    bytes: &AtomicUsize,
) -> Result<(u64, Vec<TableEnd>), RosterError> {
    let cancel = opts.cancel.as_deref();
    let mut seq = 0;
    let mut blank = Vec::with_capacity(readers.len());
    // The chunk that found a reader's end is kept for the next reader: dropping it would
    // shrink the pool by one a table, and a run over more tables than chunks would wait
    // forever on an empty pool.
    let mut spare: Option<Chunk> = None;
    // Chunks given back while the reader waited for bytes in flight to fall.
    let mut idle: Vec<Chunk> = Vec::new();
    for (index, mut reader) in readers.into_iter().enumerate() {
        loop {
            while bytes.load(Ordering::Acquire) >= IN_FLIGHT_BYTES {
                match free.recv() {
                    Ok(chunk) => idle.push(chunk),
                    Err(_) => return Ok((seq, blank)),
                }
            }
            // The writer stopped (an error), or the user did: nothing more to do.
            let mut chunk = match spare.take().or_else(|| idle.pop()) {
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
            bytes.fetch_add(chunk.bytes, Ordering::AcqRel);
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
        blank.push((
            reader.blank_rows(),
            reader.repeated_headers(),
            reader.footers().cloned(),
        ));
    }
    Ok((seq, blank))
}

/// What a reader skipped: blank rows, and rows repeating the header (how many, the first).
/// What a table's end says: its blank rows, the rows repeating its header (how many, the
/// first), and the footer rows skipped.
type TableEnd = (u64, Option<(u64, u64)>, Option<FooterRows>);

/// What the pool hands back to the writer.
enum Done {
    Checked(Chunk),
    /// The reader stopped after handing out this many chunks.
    End(u64),
}

/// The writer thread: chunks in input order through the batch checks into the sink, then
/// back to the reader (their rows' bytes no longer in flight).
#[allow(clippy::too_many_arguments)]
fn write_in_order(
    done: Receiver<Done>,
    free: SyncSender<Chunk>,
    opts: &RunOptions,
    mut batch: Batch,
    sink: &mut dyn Sink,
    summary: &mut Summary,
    progress: &(dyn Fn(u64) + Sync),
    bytes: &AtomicUsize,
) -> Result<(), ReportError> {
    let mut checked: BTreeMap<u64, Chunk> = BTreeMap::new();
    let mut next = 0;
    let mut records = 0;
    let sources = summary.sources.clone();
    // The loop ends when the reader has said how many chunks there are and all are written.
    let mut end = None;
    while end.is_none_or(|n| next < n) {
        match done.recv() {
            Ok(Done::Checked(chunk)) => {
                checked.insert(chunk.seq, chunk);
            }
            Ok(Done::End(n)) => end = Some(n),
            Err(_) => break,
        }
        while let Some(mut chunk) = checked.remove(&next) {
            next += 1;
            chunk.in_order(&mut batch, &sources, summary, opts);
            records += chunk.write(sink, summary, opts)?;
            progress(records);
            chunk.trim();
            bytes.fetch_sub(chunk.bytes, Ordering::AcqRel);
            // The reader may have finished: a closed channel is fine.
            let _ = free.send(chunk);
        }
    }
    Ok(())
}
