//! Rows gathered while the records stream, written to their sheet at the end: the Plan
//! groups employers by what to do (the first group's size is known only once every record
//! is read), and the Cambios sheet lists the changes by kind. A sheet in constant-memory
//! mode is written row after row, so its rows wait here: in memory up to [`IN_MEMORY`]
//! bytes, then in a temporary file (memory stays flat whatever the run's size; in the
//! browser, which has no file system, in memory).

use std::io::{self, Read};
#[cfg(not(target_family = "wasm"))]
use std::io::{BufReader, BufWriter, Seek, SeekFrom, Write};

/// Bytes kept in memory before the spool moves to a temporary file.
#[cfg(not(target_family = "wasm"))]
const IN_MEMORY: usize = 4 << 20;

/// One row waiting: its kind (what the sheet makes of it) and its cells' text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Row {
    pub kind: u8,
    pub cells: Vec<String>,
}

/// Rows in the order they came.
pub(crate) struct Spool {
    memory: Vec<u8>,
    #[cfg(not(target_family = "wasm"))]
    file: Option<BufWriter<std::fs::File>>,
    rows: u64,
}

impl Spool {
    pub(crate) fn new() -> Spool {
        Spool {
            memory: Vec::new(),
            #[cfg(not(target_family = "wasm"))]
            file: None,
            rows: 0,
        }
    }

    /// Rows pushed so far.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.rows
    }

    /// Adds a row.
    pub(crate) fn push(&mut self, kind: u8, cells: &[&str]) -> io::Result<()> {
        self.rows += 1;
        self.memory.push(kind);
        self.memory
            .extend_from_slice(&(cells.len() as u32).to_le_bytes());
        for c in cells {
            self.memory
                .extend_from_slice(&(c.len() as u32).to_le_bytes());
            self.memory.extend_from_slice(c.as_bytes());
        }
        #[cfg(not(target_family = "wasm"))]
        if self.memory.len() >= IN_MEMORY || self.file.is_some() {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(BufWriter::new(tempfile::tempfile()?)),
            };
            file.write_all(&self.memory)?;
            self.memory.clear();
        }
        Ok(())
    }

    /// The rows, in order.
    pub(crate) fn rows(self) -> io::Result<Rows> {
        #[cfg(not(target_family = "wasm"))]
        if let Some(file) = self.file {
            let mut file = file.into_inner().map_err(|e| e.into_error())?;
            file.write_all(&self.memory)?;
            file.seek(SeekFrom::Start(0))?;
            return Ok(Rows {
                input: Box::new(BufReader::new(file)),
                left: self.rows,
            });
        }
        Ok(Rows {
            input: Box::new(io::Cursor::new(self.memory)),
            left: self.rows,
        })
    }
}

/// The rows of a spool, read back.
pub(crate) struct Rows {
    input: Box<dyn Read>,
    left: u64,
}

impl Rows {
    /// The next row into `row`; `false` after the last.
    pub(crate) fn next_into(&mut self, row: &mut Row) -> io::Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        self.left -= 1;
        let mut kind = [0u8; 1];
        self.input.read_exact(&mut kind)?;
        row.kind = kind[0];
        let n = self.u32()? as usize;
        row.cells.resize_with(n, String::new);
        for cell in &mut row.cells {
            let len = self.u32()? as usize;
            let mut bytes = std::mem::take(cell).into_bytes();
            bytes.resize(len, 0);
            self.input.read_exact(&mut bytes)?;
            *cell = String::from_utf8(bytes).map_err(io::Error::other)?;
        }
        Ok(true)
    }

    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        self.input.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_in_order_from_memory_and_from_the_file() {
        let mut spool = Spool::new();
        let long = "ñ".repeat(3 << 20);
        spool.push(1, &["a", "", "b"]).unwrap();
        spool.push(2, &[&long]).unwrap();
        spool.push(3, &[]).unwrap();
        spool.push(4, &["última"]).unwrap();
        assert_eq!(spool.len(), 4);
        let mut rows = spool.rows().unwrap();
        let mut row = Row::default();
        let mut got = Vec::new();
        while rows.next_into(&mut row).unwrap() {
            got.push(row.clone());
        }
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].cells, ["a", "", "b"]);
        assert_eq!(got[1].cells[0].len(), long.len());
        assert_eq!((got[2].kind, got[2].cells.len()), (3, 0));
        assert_eq!(got[3].cells, ["última"]);
    }
}
