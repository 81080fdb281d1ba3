//! A roster in, its summary out: the library end to end, as a face would use it.
//!
//! ```text
//! cargo run -p patronal-core --example check_roster -- samples/clientes.csv [es]
//! ```
//!
//! Each flagged record is printed with its row and reasons, then the counts by verdict and
//! by code. The CSV roster, workbook or several sheets are read as `patronal check` reads
//! them; the records go to a [`Sink`] of our own instead of a report file.

use std::process::ExitCode;

use patronal_core::report::{Record, ReportError, Sink};
use patronal_core::{Lang, ReadOptions, RunOptions, Verdict, open_roster, run_sequential};

/// Prints the flagged records as they come, in input order.
struct Flagged {
    lang: Lang,
}

impl Sink for Flagged {
    fn record(&mut self, r: &Record) -> Result<(), ReportError> {
        if r.status != Verdict::Ready {
            let reasons: Vec<_> = r
                .checked
                .findings
                .iter()
                .map(|f| f.message(self.lang))
                .collect();
            println!(
                "{} {} {}",
                r.source.place(r.row),
                r.status.label(self.lang),
                reasons.join("; ")
            );
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: check_roster ROSTER [es]");
        return ExitCode::from(2);
    };
    let lang = if args.next().as_deref() == Some("es") {
        Lang::Es
    } else {
        Lang::En
    };
    let readers = match open_roster(path.as_ref(), &ReadOptions::default()) {
        Ok(readers) => readers,
        Err(e) => {
            eprintln!(
                "{path}: {}",
                patronal_core::i18n::Localized::message(&e).render(lang)
            );
            return ExitCode::from(2);
        }
    };
    let summary = match run_sequential(
        readers,
        &RunOptions::default(),
        &mut Flagged { lang },
        &mut |_, _| {},
    ) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!(
                "{path}: {}",
                patronal_core::i18n::Localized::message(&e).render(lang)
            );
            return ExitCode::from(2);
        }
    };
    println!(
        "{} records: {} ready, {} invalid, {} in person",
        summary.records, summary.ready, summary.invalid, summary.in_person
    );
    for (code, n) in &summary.codes {
        println!("  {:<28} {n}", code.name());
    }
    if summary.invalid + summary.in_person > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
