//! An `.ods` whose spreadsheet body is the fuzzed bytes (tables, rows, cells, `<text:s>`
//! runs, repeats); read as a roster. The measure of the text its cells expand to, and
//! calamine past it: no panic, no hang, no unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal_core::roster::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::ods_text(data));
