//! The floor for reading an xlsx roster: calamine's own streaming read of every cell of
//! every sheet, nothing else. `bench/run.sh` times `patronal check` against it.
//!
//! `cargo run --release --example calamine_read -- roster.xlsx`

use calamine::{Reader, Xlsx, open_workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: calamine_read FILE.xlsx")?;
    let mut book: Xlsx<_> = open_workbook(&path)?;
    let mut cells = 0u64;
    for sheet in book.sheet_names() {
        let mut reader = book.worksheet_cells_reader(&sheet)?;
        while reader.next_cell()?.is_some() {
            cells += 1;
        }
    }
    println!("{cells} cells");
    Ok(())
}
