//! The CSV roster reader on arbitrary bytes: no panic, no hang, and every row it yields has
//! a line number that moves forward.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use patronal_core::pipeline::check_row;
use patronal_core::roster::csv::CsvRoster;
use patronal_core::roster::{ReadOptions, RowReader};

fuzz_target!(|data: &[u8]| {
    let input = Box::new(Cursor::new(data.to_vec()));
    let Ok(mut roster) = CsvRoster::from_reader(Path::new("fuzz.csv"), input, &ReadOptions::default()) else {
        return;
    };
    let source = roster.source().clone();
    let mut record = patronal_core::roster::Cells::new();
    let mut last = 0;
    while let Ok(Some(row)) = roster.read(&mut record) {
        assert!(row > last, "rows move forward: {row} after {last}");
        last = row;
        let _ = roster.malformed();
        let _ = check_row(&source, &record);
    }
});
