//! `--compare`'s reader of a previous report on arbitrary bytes: no panic, no hang, no
//! unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal_core::compare::Previous;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("previous.jsonl");
    std::fs::write(&path, data).expect("write");
    if let Ok(previous) = Previous::load(&path) {
        let _ = previous.disappeared().1;
    }
});
