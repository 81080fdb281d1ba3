//! The workbook reader on arbitrary bytes named `.xlsx`: no panic, no hang, no unbounded
//! allocation (libFuzzer's RSS limit catches that).
#![no_main]

use libfuzzer_sys::fuzz_target;
use patronal::roster::{ReadOptions, open};

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("fuzz.xlsx");
    std::fs::write(&path, data).expect("write");
    let Ok(readers) = open(&path, &ReadOptions::default()) else {
        return;
    };
    for mut reader in readers {
        let mut record = patronal::roster::Cells::new();
        while let Ok(Some(_)) = reader.read(&mut record) {}
    }
});
