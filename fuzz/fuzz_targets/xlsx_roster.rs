//! The workbook reader on arbitrary bytes named `.xlsx`: no panic, no hang, no unbounded
//! allocation (libFuzzer's RSS limit catches that).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::read_roster("xlsx", data));
