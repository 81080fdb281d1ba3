//! The catastro CSV reader and the index loader on arbitrary bytes: no panic, and an index
//! that loads looks up without panicking.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use patronal_core::catastro::{load_csv, parse_index};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = load_csv(Path::new("fuzz.csv"), data) {
        let _ = c.get(1_790_011_674_001);
    }
    if let Ok(c) = parse_index(Path::new("fuzz.idx"), data) {
        let _ = c.get(1_790_011_674_001);
        let _ = c.get(0);
    }
});
