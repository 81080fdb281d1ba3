//! What the workbook targets share: the bytes written as a file of the given extension and
//! read the way `check` reads a roster.

use patronal_core::roster::{Cells, ReadOptions, open};

/// Opens `data` as a roster named `fuzz.<ext>` and reads every row of every table.
pub fn read_roster(ext: &str, data: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("fuzz.{ext}"));
    std::fs::write(&path, data).expect("write");
    let Ok(readers) = open(&path, &ReadOptions::default()) else {
        return;
    };
    for mut reader in readers {
        let mut record = Cells::new();
        while let Ok(Some(_)) = reader.read(&mut record) {}
    }
}
