//! One roster row's cells, as bytes.

/// The byte after each cell in [`Cells::as_slice`]: a control character no roster cell needs
/// quoting or decoding for.
pub(crate) const SEPARATOR: u8 = 0x1f;

/// One row's cells: their bytes end to end, each followed by the byte 0x1f (`SEPARATOR`),
/// and where each ends. A CSV line without quotes becomes its cells with one copy of the line
/// (`set_split`), its delimiters overwritten.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cells {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Cells {
    /// No cells; a reader fills it with [`RowReader::read`](super::RowReader::read).
    pub fn new() -> Cells {
        Cells::default()
    }

    /// Room for `bytes` bytes of cells and `cells` cells.
    pub fn with_capacity(bytes: usize, cells: usize) -> Cells {
        Cells {
            bytes: Vec::with_capacity(bytes),
            ends: Vec::with_capacity(cells),
        }
    }

    /// Removes every cell, keeping the room they took.
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    /// Adds a cell at the end.
    pub(crate) fn push(&mut self, cell: &[u8]) {
        self.bytes.extend_from_slice(cell);
        self.ends.push(self.bytes.len());
        self.bytes.push(SEPARATOR);
    }

    /// Sets the cells to those of `line` split at every `delimiter` (a CSV line without
    /// quotes).
    pub(crate) fn set_split(&mut self, line: &[u8], delimiter: u8) {
        self.clear();
        self.bytes.extend_from_slice(line);
        self.bytes.push(SEPARATOR);
        self.ends.extend(memchr::memchr_iter(delimiter, line));
        for &i in &self.ends {
            self.bytes[i] = SEPARATOR;
        }
        self.ends.push(line.len());
    }

    /// How many cells.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Cell `i`, if there is one.
    pub(crate) fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] + 1,
        };
        Some(&self.bytes[start..end])
    }

    /// Every cell in order, as bytes in the source's encoding (see
    /// [`Decoder::decode`](super::Decoder::decode)).
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// The cells joined by the byte 0x1f (`SEPARATOR`): a cell is a sub-slice of it.
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.bytes.len().saturating_sub(1)]
    }

    /// Bytes held, separators included.
    pub(crate) fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// The memory its cells have room for, in bytes.
    pub(crate) fn room(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

impl<T: AsRef<[u8]>> FromIterator<T> for Cells {
    fn from_iter<I: IntoIterator<Item = T>>(cells: I) -> Cells {
        let mut out = Cells::new();
        out.extend(cells);
        out
    }
}

impl<T: AsRef<[u8]>> Extend<T> for Cells {
    fn extend<I: IntoIterator<Item = T>>(&mut self, cells: I) {
        for cell in cells {
            self.push(cell.as_ref());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str, delimiter: u8) -> Vec<String> {
        let mut cells = Cells::new();
        cells.set_split(line.as_bytes(), delimiter);
        cells
            .iter()
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn split_matches_a_plain_split_at_every_length() {
        // Lines of every length across the eight-byte words, delimiters anywhere (first, last,
        // doubled), bytes next to the delimiter's value, and non-ASCII text.
        let pieces = [
            "",
            "a",
            "Ñandú",
            ",",
            ",,",
            "-",
            "+",
            ";",
            "0428813992",
            "\u{1f}",
        ];
        for (n, delimiter) in (0..4000).zip([b',', b';', b'\t', b'|'].into_iter().cycle()) {
            let mut line = String::new();
            let mut x = n * 2654435761u64 + 1;
            for _ in 0..(n % 23) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                line.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            let line = line.replace(',', &(delimiter as char).to_string());
            let expected: Vec<String> = line.split(delimiter as char).map(str::to_owned).collect();
            assert_eq!(split(&line, delimiter), expected, "{line:?}");
        }
    }

    #[test]
    fn pushed_cells_and_joined_bytes() {
        let mut cells: Cells = ["0428813992", "", "Núñez, S.A."].into_iter().collect();
        assert_eq!(cells.len(), 3);
        assert_eq!(cells.get(1), Some(&b""[..]));
        assert_eq!(cells.get(2), Some("Núñez, S.A.".as_bytes()));
        assert_eq!(cells.get(3), None);
        assert_eq!(
            cells.as_slice(),
            "0428813992\u{1f}\u{1f}Núñez, S.A.".as_bytes()
        );
        cells.clear();
        cells.push(b"0428813992");
        cells.push(b"x");
        assert_eq!(cells.as_slice(), b"0428813992\x1fx");
        cells.clear();
        assert!(cells.len() == 0 && cells.as_slice().is_empty());
    }
}
