//! The sequential run: every stage on the calling thread, one chunk after the other. What a
//! face without threads (the browser) runs, and the plain version of the parallel run: the
//! same stages on the same [`Chunk`], so its reports are byte for byte the parallel run's.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::chunk::Chunk;
use super::{RunError, RunOptions, Sink};
use crate::report::summary::Summary;
use crate::roster::{RowReader, Source};
use crate::rules::batch::Batch;

/// Runs the whole job on this thread: every row of every reader through every check, into
/// `sink` in input order. After each chunk, `progress` is called with the number of
/// records done so far and the share of the input read, from 0 to 1 (each reader's
/// [`RowReader::progress`], the readers counting equally). [`RunOptions::threads`] is not used. The summary's time is left at
/// zero for the caller to set: the browser has no clock that `std` can read.
pub fn run_sequential(
    readers: Vec<Box<dyn RowReader>>,
    opts: &RunOptions,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(u64, f64),
) -> Result<Summary, RunError> {
    let readers = super::skip_footers(readers);
    let sources: Vec<Arc<Source>> = readers.iter().map(|r| Arc::clone(r.source())).collect();
    let records_hint = readers.iter().filter_map(|r| r.records_hint()).sum();
    let mut summary = Summary::new(&sources, opts.catastro.is_some());
    let mut batch = Batch::with_capacity(records_hint);
    let count = readers.len();
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
            records += chunk.write(sink, &mut summary, opts)?;
            chunk.trim();
            let within = match reader.progress() {
                Some((done, total)) if total > 0 => done as f64 / total as f64,
                _ => 0.0,
            };
            progress(records, (index as f64 + within) / count as f64);
        }
        summary.table_read(
            index,
            reader.blank_rows(),
            reader.repeated_headers(),
            reader.footers(),
        );
        progress(records, (index + 1) as f64 / count as f64);
    }
    summary.finish(Duration::ZERO);
    Ok(summary)
}

#[cfg(all(test, feature = "parallel"))]
mod tests {
    use std::io::Cursor;
    use std::path::Path;

    use super::*;
    use crate::report::{self, Format, ReportOptions, ReportWriter};
    use crate::roster::{self, ReadOptions};
    use crate::{Lang, pipeline};

    /// A report of `bytes` (a roster named `name`) by the sequential or the parallel run.
    fn report(name: &str, bytes: &[u8], format: Format, sequential: bool) -> Vec<u8> {
        let readers = roster::open_bytes(Path::new(name), bytes.to_vec(), &ReadOptions::default())
            .expect("the roster opens");
        let sources: Vec<_> = readers.iter().map(|r| Arc::clone(r.source())).collect();
        let opts = ReportOptions {
            lang: Lang::Es,
            compare: false,
            csv_delimiter: b';',
        };
        let mut writer: Box<dyn ReportWriter<Cursor<Vec<u8>>>> =
            report::create(format, Cursor::new(Vec::new()), &sources, opts).expect("created");
        let run = RunOptions {
            threads: Some(3),
            ..RunOptions::default()
        };
        let summary = if sequential {
            run_sequential(readers, &run, &mut writer, &mut |_, _| {})
        } else {
            pipeline::run(readers, &run, &mut writer, &|_| {})
        }
        .expect("the run ends");
        assert!(summary.records > 0);
        writer.finish(&summary).expect("finished").into_inner()
    }

    /// A roster of `n` records over many chunks: ready, invalid and in-person records,
    /// repeated employers, e-mails shared across RUCs, names with accents; in UTF-8 or in
    /// Windows-1252 (Excel's "CSV" on Spanish Windows).
    fn roster(n: usize, windows_1252: bool) -> Vec<u8> {
        const ROWS: [&str; 6] = [
            "0428813992;0428813992001;1;ana@correo.ec",
            "1710034065;1710034065001;0001;no tiene",
            "0926687856;0926687856001;2;compartido@correo.ec",
            "1839879739;1839879739001;0001;compartido@correo.ec",
            "0141141705;0141141705002;0001;",
            "123;1790011674001;0001;x@y",
        ];
        let mut text = String::from("Nombre;Cédula;RUC;Sucursal;Correo\n");
        for i in 0..n {
            text.push_str(&format!("Núñez {};{}\n", i % 97, ROWS[i % ROWS.len()]));
        }
        if windows_1252 {
            encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        }
    }

    #[test]
    fn the_sequential_run_writes_the_parallel_runs_reports() {
        // Over many chunks, with repeated employers and shared e-mails across them, in both
        // encodings.
        for windows_1252 in [false, true] {
            let csv = roster(5_000, windows_1252);
            for format in [Format::Jsonl, Format::Csv] {
                let sequential = report("r.csv", &csv, format, true);
                let parallel = report("r.csv", &csv, format, false);
                assert!(sequential == parallel, "{windows_1252} {format:?} differ");
            }
        }
    }
}
