//! An `.xlsx` built around fuzzed bytes: the first part (to the first 0xFF) is its
//! shared-string table, the rest its sheet's cells; read as a roster. The measures of what
//! its shared strings expand to, and calamine past them: no panic, no hang, no unbounded
//! allocation (libFuzzer's RSS limit catches that).
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal_core::roster::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::xlsx_shared_strings(data));
