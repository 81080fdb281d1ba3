//! An `.xlsb` built around fuzzed bytes: the first part (to the first 0xFF) is its
//! shared-string table's records, the rest its sheet's; read as a roster. The walk of its
//! records (rows past the last, short records, shared strings used by many cells) and
//! calamine past it: no panic, no hang, no unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal_core::roster::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::xlsb_shared_strings(data));
