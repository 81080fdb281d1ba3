//! `patronal-core` is the engine of `patronal`, which checks Ecuadorian employer rosters
//! before an IESS employer-key ("clave patronal") recovery: for each employer it tells
//! whether the online path should work (**ready**), will be stopped at the portal's
//! "Validar" step (**invalid**), or will likely need an in-person visit (**in person**),
//! with the reasons. The `patronal` command line (the repository's root package) and the
//! browser page (`crates/patronal-web`) are its two faces.
//!
//! The names at the root are what a user of the library needs: open a roster
//! ([`open_roster`], [`open_roster_bytes`]), check it ([`run_sequential`]; [`run`] spreads
//! the same stages over threads, with the default feature `parallel`) into a report
//! ([`create_report`], [`Format`]) and a [`Summary`]; check one row ([`check_row`]) or one
//! record's fields ([`check_record`], [`Fields`]); check one identifier
//! ([`check_number`]). Each record gets a [`Verdict`] from its [`Finding`]s, each a
//! [`Code`] of the catalog with its [`Severity`], in either [`Lang`].
//!
//! ```
//! use patronal_core::{Format, Lang, ReadOptions, RunOptions};
//! use patronal_core::{create_report, open_roster_bytes, run_sequential, ReportOptions};
//!
//! let csv = "Cédula;RUC;Correo\n0926687856;0926687856001;no tiene\n1710034065;1710034065001;a@b.ec\n";
//! let readers = open_roster_bytes("nomina.csv".as_ref(), csv.as_bytes().to_vec(), &ReadOptions::default())?;
//! let sources: Vec<_> = readers.iter().map(|r| r.source().clone()).collect();
//! let opts = ReportOptions { lang: Lang::Es, compare: false, csv_delimiter: b';' };
//! let out = std::io::Cursor::new(Vec::new());
//! let mut report = create_report(Format::Jsonl, out, &sources, opts)?;
//! let summary = run_sequential(readers, &RunOptions::default(), &mut report, &mut |_, _| {})?;
//! let jsonl = String::from_utf8(report.finish(&summary)?.into_inner())?;
//! assert_eq!((summary.records, summary.ready, summary.in_person), (2, 1, 1));
//! assert!(jsonl.lines().next().unwrap().contains(r#""status":"in_person""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One record's rules can also be run on its fields alone, and one number on its own:
//!
//! ```
//! use patronal_core::{check_number, check_record, Fields, Verdict};
//!
//! let checked = check_record(&Fields {
//!     id: "0926687856",
//!     ruc: "0926687856001",
//!     sucursal: Some("1"),
//!     email: Some("no tiene"),
//!     ..Fields::default()
//! });
//! assert_eq!(checked.verdict(), Verdict::InPerson);
//! assert_eq!(checked.sucursal, "0001");
//! assert!(check_number("0926687856001").is_valid());
//! ```
//!
//! Files, temporary reports, threads beyond rayon's, the terminal and signals are the
//! caller's: reports are written into any [`std::io::Write`], and every error is a typed
//! value that gives its message in either language ([`i18n::Localized`]).
//!
//! The modules, from the ground up (each imports only those before it; ARCHITECTURE.md,
//! and `tests/architecture.rs` holds the order): [`finding`], [`text`], [`i18n`],
//! [`ecuador`], [`roster`], [`rules`], [`catastro`], [`report`], [`compare`], [`pipeline`].
//! They are public for the two faces; their items that no face uses are the crate's own.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod catastro;
pub mod compare;
pub mod ecuador;
pub mod finding;
pub mod i18n;
pub mod pipeline;
pub mod report;
pub mod roster;
pub mod rules;
pub mod text;

pub use ecuador::{NumberCheck, check_number};
pub use finding::{Code, Finding, Lang, Severity, Verdict};
#[cfg(feature = "parallel")]
pub use pipeline::run;
pub use pipeline::{RunOptions, check_row, run_sequential};
pub use report::summary::Summary;
pub use report::{Format, ReportOptions, create as create_report};
pub use roster::{ReadOptions, open as open_roster, open_bytes as open_roster_bytes};
pub use rules::{Checked, Fields, check_record};
