//! The sequential run: every stage on the calling thread, one chunk after the other. What a
//! face without threads (the browser) runs, and the plain version of the parallel run: the
//! same stages on the same [`Chunk`], so its reports are byte for byte the parallel run's.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::batch::Batch;
use super::chunk::Chunk;
use super::{RunError, RunOptions, Sink};
use crate::report::summary::Summary;
use crate::roster::{RowReader, Source};

/// Runs the whole job on this thread: every row of every reader through every check, into
/// `sink` in input order. `progress` is called with the number of records done so far,
/// after each chunk. [`RunOptions::threads`] is not used. The summary's time is left at
/// zero for the caller to set: the browser has no clock that `std` can read.
pub fn run_sequential(
    readers: Vec<Box<dyn RowReader>>,
    opts: &RunOptions,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, RunError> {
    let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
    let records_hint = readers.iter().filter_map(|r| r.records_hint()).sum();
    let mut summary = Summary::new(&sources);
    let mut batch = Batch::with_capacity(records_hint);
    let mut chunk = Chunk::new();
    let mut records = 0;
    let mut seq = 0;
    for (index, mut reader) in readers.into_iter().enumerate() {
        loop {
            if opts
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
            {
                return Err(RunError::Interrupted);
            }
            chunk.fill(reader.as_mut())?;
            if chunk.len == 0 {
                break;
            }
            chunk.seq = seq;
            chunk.source_index = index;
            chunk.source = Some(Arc::clone(reader.source()));
            seq += 1;
            chunk.check(opts.catastro.as_deref(), opts.previous.as_deref());
            chunk.in_order(&mut batch, &sources, &mut summary, opts);
            if let Some(renderer) = &opts.renderer {
                chunk.render(renderer.as_ref(), opts.only_flagged);
            }
            records += chunk.write(sink, &mut summary, opts)?;
            progress(records);
        }
        summary.files[index].blank_rows = reader.blank_rows();
    }
    summary.finish(Duration::ZERO);
    Ok(summary)
}
