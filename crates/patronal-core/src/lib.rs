//! `patronal-core` is the engine of `patronal`, which checks Ecuadorian employer rosters
//! before an IESS employer-key ("clave patronal") recovery: for each employer it tells
//! whether the online path should work (**ready**), will be stopped at the portal's
//! "Validar" step (**invalid**), or will likely need an in-person visit (**in person**),
//! with the reasons. The command line (the `patronal` binary, at the repository's root) is one face of it.
//!
//! A record takes one path through the crate:
//!
//! - [`roster`] reads a roster (CSV over any [`std::io::Read`], or a workbook), finds the
//!   header and yields rows as [`roster::Cells`] of one [`roster::Source`];
//! - [`pipeline::check_row`] runs every record rule on a row: [`ecuador`] checks the
//!   cédula, RUC and sucursal, [`rules`] the rest, and gives a [`rules::Checked`] with its
//!   [`rules::Verdict`] and findings (codes from the catalog, [`rules::CATALOG`]);
//! - [`catastro`] loads and indexes the SRI registry, whose verdict can decide a status;
//! - [`report`] renders the checked records as JSON Lines, JSON, CSV or a workbook, with the
//!   summary; [`i18n`] holds every text a person reads, in English and Spanish.
//!
//! Files, temporary reports, threads beyond rayon's, the terminal and signals are the
//! caller's: reports are written into any [`std::io::Write`], and every error is a typed
//! value that gives its message in either language ([`i18n::Localized`]).
//!
//! ```
//! use std::path::Path;
//! use patronal_core::pipeline::check_row;
//! use patronal_core::roster::{Cells, ReadOptions, RowReader, csv::CsvRoster};
//! use patronal_core::finding::Verdict;
//!
//! let csv = "Cédula;RUC;Correo\n0926687856;0926687856001;no tiene\n";
//! let input = Box::new(std::io::Cursor::new(csv.as_bytes().to_vec()));
//! let mut roster = CsvRoster::from_reader(Path::new("nomina.csv"), input, &ReadOptions::default())?;
//! let mut cells = Cells::new();
//! let row = roster.read(&mut cells)?.expect("one record");
//! let checked = check_row(roster.source(), &cells);
//! assert_eq!((row, checked.status()), (2, Verdict::InPerson));
//! assert_eq!(checked.sucursal, "0001");
//! # Ok::<(), patronal_core::roster::RosterError>(())
//! ```
//!
//! One record's rules can also be run on its fields alone:
//!
//! ```
//! use patronal_core::finding::Verdict;
//! use patronal_core::rules::{check_record, Fields};
//!
//! let checked = check_record(&Fields {
//!     id: "0926687856",
//!     ruc: "0926687856001",
//!     sucursal: Some("1"),
//!     email: Some("no tiene"),
//!     ..Fields::default()
//! });
//! assert_eq!(checked.status(), Verdict::InPerson);
//! assert_eq!(checked.sucursal, "0001");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The modules, from the ground up: each imports only those above it in this list
// (ARCHITECTURE.md; tests/architecture.rs holds the order).
pub mod catastro;
pub mod compare;
pub mod ecuador;
pub mod finding;
pub mod i18n;
pub mod pipeline;
pub mod report;
pub mod roster;
pub mod rules;
pub mod sample;
pub mod text;

pub use finding::Lang;
