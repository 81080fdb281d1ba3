//! Where a roster's (or a catastro's) bytes are: a file, or bytes already in memory (the
//! browser hands over a dropped file's bytes). Every reader opens its input through
//! [`Content::open`], so a file and the same bytes in memory take one path through the code.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

/// A file to open, or its bytes.
#[derive(Clone, Debug)]
pub(crate) enum Content {
    /// A file on disk.
    File(PathBuf),
    /// The file's bytes, in memory (shared, never copied: a roster may be 100 MB).
    Bytes(Arc<Vec<u8>>),
}

impl Content {
    /// A fresh reader from the start.
    pub(crate) fn open(&self) -> io::Result<Opened> {
        Ok(match self {
            Content::File(path) => Opened::File(BufReader::new(File::open(path)?)),
            Content::Bytes(bytes) => Opened::Bytes(Cursor::new(Shared(Arc::clone(bytes)))),
        })
    }

    /// Its size in bytes, when known.
    pub(crate) fn size(&self) -> Option<u64> {
        match self {
            Content::File(path) => std::fs::metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len()),
            Content::Bytes(bytes) => Some(bytes.len() as u64),
        }
    }

    /// Up to `N` first bytes, and how many there are.
    pub(crate) fn magic<const N: usize>(&self) -> io::Result<([u8; N], usize)> {
        let mut magic = [0u8; N];
        let mut input = self.open()?;
        let mut n = 0;
        while n < N {
            match input.read(&mut magic[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok((magic, n))
    }
}

/// The bytes of a [`Content::Bytes`], as one of its readers holds them.
pub(crate) struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A [`Content`] being read: buffered, seekable.
pub(crate) enum Opened {
    /// A file, through a buffer.
    File(BufReader<File>),
    /// Bytes in memory.
    Bytes(Cursor<Shared>),
}

impl Read for Opened {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Opened::File(f) => f.read(buf),
            Opened::Bytes(b) => b.read(buf),
        }
    }
}

impl BufRead for Opened {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Opened::File(f) => f.fill_buf(),
            Opened::Bytes(b) => b.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Opened::File(f) => f.consume(n),
            Opened::Bytes(b) => b.consume(n),
        }
    }
}

impl Seek for Opened {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Opened::File(f) => f.seek(pos),
            Opened::Bytes(b) => b.seek(pos),
        }
    }
}
