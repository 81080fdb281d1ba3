//! The workbook reader on arbitrary bytes named `.ods` (read whole, after its grids are
//! measured): no panic, no hang, no unbounded allocation (libFuzzer's RSS limit catches
//! that).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::read_roster("ods", data));
