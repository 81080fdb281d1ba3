//! Workbook rosters: `.xlsx`, `.xlsm` and `.xlsb` streamed cell by cell, `.xls` and `.ods`
//! loaded sheet by sheet (calamine reads those whole). Every sheet with a recognisable
//! header is a table of its own; `row` is the row number Excel shows.
//!
//! Cells become the text a person sees: numbers stored for identifiers come back as digits
//! (`912345678`, never `9.12345678E8`), padded to the width of an all-zeros number format
//! (`0000000000`) when the cell has one, so that the rules restore a lost leading zero (with
//! a warning) only when the user did not see it either.

use std::fmt::Write;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use calamine::{Data, DataType, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use super::content::{Content, Opened};
use super::expand::{
    self, Expansion, MAX_LOADED_CELLS, MAX_LOADED_MEMORY, MAX_ROW_TEXT, MAX_ROWS, MAX_STREAMED_TEXT,
};
use super::headers::{ColumnMap, HEADER_SEARCH_ROWS, INFER_ROWS, locate};
use super::{Cells, Decoder, ReadOptions, Repeats, RosterError, RowReader, Source, repeats_header};
use crate::i18n::{Message, errors};

/// The workbook formats, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML: `.xlsx` and `.xlsm`.
    Xlsx,
    /// Excel's binary workbook: `.xlsb`.
    Xlsb,
    /// The Excel 97–2003 format: `.xls`.
    Xls,
    /// OpenDocument (LibreOffice): `.ods`.
    Ods,
}

impl Kind {
    /// The workbook format of `path`'s extension (any case); `None` when it is not a
    /// workbook's.
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Kind::Xlsx,
            "xlsb" => Kind::Xlsb,
            "xls" => Kind::Xls,
            "ods" => Kind::Ods,
            _ => return None,
        })
    }
}

/// A zip-based workbook whose parts expand to more than this is refused (a zip bomb); the
/// catastro's zips have the same limit.
pub const MAX_EXPANDED: u64 = 4 << 30;

/// One row of a sheet: its 0-based index and its cells' text (UTF-8).
type Row = (u32, Cells);

/// A batch of rows, as the reading thread hands them over.
type Rows = Vec<Row>;

/// Opens every sheet of a workbook that has a recognisable header (or the `--sheet` ones);
/// `path` names it, `content` holds it.
pub(crate) fn open(
    path: &Path,
    content: &Content,
    kind: Kind,
    opts: &ReadOptions,
) -> Result<Vec<Box<dyn RowReader>>, RosterError> {
    let mut book = Workbook::open(path, content, kind)?;
    let names = book.names.clone();
    // `--sheet clientes` finds `Clientes`, `--sheet nomina` finds `Nómina`.
    let same = |a: &str, b: &str| crate::text::fold(a) == crate::text::fold(b);
    for wanted in &opts.sheets {
        if !names.iter().any(|n| same(n, wanted)) {
            return Err(RosterError::unusable(
                path,
                errors::NO_SUCH_SHEET
                    .with("sheet", format!("{wanted:?}"))
                    .with("sheets", quoted(&names)),
            ));
        }
    }
    let chosen: Vec<&String> = if opts.sheets.is_empty() {
        names.iter().collect()
    } else {
        names
            .iter()
            .filter(|n| opts.sheets.iter().any(|w| same(n, w)))
            .collect()
    };
    let mut readers: Vec<Box<dyn RowReader>> = Vec::new();
    let mut best: Option<(String, Vec<String>, ColumnMap)> = None;
    for name in chosen {
        let mut rows = book.sheet(name)?;
        let mut head: Rows = Vec::new();
        let (mut head_bytes, mut ended) = (0, false);
        // The rows searched for the header, and the rows below it that columns are inferred
        // from: a few dozen, and fewer when they are huge.
        while head.len() < HEADER_SEARCH_ROWS + INFER_ROWS && head_bytes < HEADER_SEARCH_BYTES {
            let mut cells = Cells::new();
            match rows
                .next_into(&mut cells)
                .map_err(|e| RosterError::unusable(&in_sheet(path, name), e))?
            {
                Some(index) => {
                    head_bytes += cells.byte_len();
                    head.push((index, cells));
                }
                None => {
                    ended = true;
                    break;
                }
            }
        }
        let searched = head.last().map(|(i, _)| *i);
        let texts: Vec<Vec<String>> = head
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect()
            })
            .collect();
        let Some((index, map)) = locate(&texts, &opts.overrides) else {
            continue;
        };
        let header_row = head[index].0;
        let headers = texts[index].clone();
        if !map.missing().is_empty() {
            if best
                .as_ref()
                .is_none_or(|(_, _, m)| map.matched() > m.matched())
            {
                best = Some((name.clone(), headers, map));
            }
            continue;
        }
        let pending = head.split_off(index + 1);
        // A streamed sheet stops being read until its turn comes: its thread holds the
        // workbook's shared strings and a few batches of rows, and a workbook of many
        // sheets would hold them all at once. It is read again from the row after those
        // searched.
        let (rows, resume) = match (book.streamed(name), searched) {
            _ if ended => (None, None),
            (Some(origin), Some(after)) if cfg!(feature = "parallel") => {
                drop(rows);
                (None, Some((origin, after)))
            }
            _ => (Some(rows), None),
        };
        readers.push(Box::new(ExcelRoster {
            source: Arc::new(Source {
                path: path.to_owned(),
                sheet: Some(name.clone()),
                headers,
                map,
                decoder: Decoder::Utf8,
                dialect: format!("{kind:?}").to_lowercase(),
                header_row: u64::from(header_row) + 1,
            }),
            rows,
            resume,
            pending: pending.into_iter(),
            last_row: header_row,
            blank: 0,
            repeats: Repeats::default(),
        }));
    }
    if readers.is_empty() {
        return Err(match best {
            Some((sheet, headers, map)) => {
                RosterError::missing_columns(&in_sheet(path, &sheet), &map, &headers)
            }
            None => RosterError::unusable(
                path,
                errors::NO_SHEET_WITH_HEADER.with("sheets", quoted(&names)),
            ),
        });
    }
    Ok(readers)
}

/// A workbook's sheets as rows of text cells, exactly as rosters read them (numbers as the
/// digits a person sees), one sheet at a time: what other readers of workbooks (the
/// catastro's copies saved as `.xlsx` or `.ods`) use. The container is checked as a
/// roster's is; `.xls` and `.ods` are loaded once.
pub(crate) struct Workbook {
    path: PathBuf,
    content: Content,
    kind: Kind,
    book: Option<LoadedBook>,
    pub(crate) names: Vec<String>,
}

impl Workbook {
    pub(crate) fn open(
        path: &Path,
        content: &Content,
        kind: Kind,
    ) -> Result<Workbook, RosterError> {
        check_container(path, content, kind)?;
        // `.xls` and `.ods` are read whole by calamine, every sheet at once: once, here.
        let book = match kind {
            Kind::Xls | Kind::Ods => Some(LoadedBook::open(path, content, kind)?),
            Kind::Xlsx | Kind::Xlsb => None,
        };
        let names = match &book {
            Some(book) => book.names.clone(),
            None => sheet_names(path, content, kind)?,
        };
        Ok(Workbook {
            path: path.to_owned(),
            content: content.clone(),
            kind,
            book,
            names,
        })
    }

    /// Where the cells of sheet `name` come from when it is streamed (`.xlsx`, `.xlsb`),
    /// to read it again; `None` for a sheet loaded with the workbook.
    fn streamed(&self, name: &str) -> Option<Origin> {
        self.book
            .is_none()
            .then(|| Origin::Streamed(self.content.clone(), self.kind, name.to_owned()))
    }

    /// The rows of sheet `name`, read on a thread of their own.
    pub(crate) fn sheet(&mut self, name: &str) -> Result<SheetRows, RosterError> {
        let origin = match &mut self.book {
            Some(book) => Origin::Loaded(
                book.take(name)
                    .map_err(|e| RosterError::unusable(&in_sheet(&self.path, name), e))?,
            ),
            None => Origin::Streamed(self.content.clone(), self.kind, name.to_owned()),
        };
        Ok(SheetRows::spawn(origin, None))
    }
}

/// `book.xlsx[Hoja1]`: where an error is, for the messages.
pub(crate) fn in_sheet(path: &Path, sheet: &str) -> PathBuf {
    PathBuf::from(format!("{}[{sheet}]", path.display()))
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|n| format!("{:?}", crate::text::sanitize(n)))
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// Refuses what calamine should not be asked to expand: an encrypted workbook (a CFB file
/// behind an `.xlsx` name), a zip bomb, and a workbook whose cells would take too much
/// (see [`expand`]): too many cells laid out, too much text, a shared-string table too
/// large, an `.xlsb` sheet that calamine would read wrong.
fn check_container(path: &Path, content: &Content, kind: Kind) -> Result<(), RosterError> {
    if kind == Kind::Xls {
        return check_expansion(path, expand::xls_measure(content), true);
    }
    let (magic, n) = content.magic::<4>().map_err(|e| RosterError::io(path, e))?;
    if n == 4 && magic == [0xD0, 0xCF, 0x11, 0xE0] {
        return Err(RosterError::unusable(
            path,
            errors::WORKBOOK_ENCRYPTED.msg(),
        ));
    }
    let input = content.open().map_err(|e| RosterError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(input)
        .map_err(|e| RosterError::unusable(path, errors::WORKBOOK_NOT_ZIP.with("detail", e)))?;
    let expanded = expanded_size(&mut zip)
        .map_err(|e| RosterError::unusable(path, errors::WORKBOOK_DAMAGED.with("detail", e)))?;
    if expanded > MAX_EXPANDED {
        return Err(RosterError::unusable(
            path,
            errors::WORKBOOK_BOMB.with("gb", expanded >> 30),
        ));
    }
    match kind {
        Kind::Ods => check_expansion(path, expand::ods_measure(content), true),
        Kind::Xlsx => check_expansion(path, expand::xlsx_measure(&mut zip), false),
        Kind::Xlsb => check_expansion(path, expand::xlsb_measure(&mut zip), false),
        Kind::Xls => Ok(()),
    }
}

/// What a zip's files expand to, as their headers declare it.
pub(crate) fn expanded_size<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<u64, zip::result::ZipError> {
    let mut expanded: u64 = 0;
    for i in 0..zip.len() {
        expanded = expanded.saturating_add(zip.by_index_raw(i)?.size());
    }
    Ok(expanded)
}

/// Refuses a workbook read whole (`loaded`) whose sheets would expand past
/// [`MAX_LOADED_CELLS`] or [`MAX_LOADED_MEMORY`], or a streamed one whose cells would hold
/// more than [`MAX_STREAMED_TEXT`] bytes of text.
fn check_expansion(
    path: &Path,
    measured: Result<Expansion, Message>,
    loaded: bool,
) -> Result<(), RosterError> {
    let measured = measured.map_err(|e| RosterError::unusable(path, e))?;
    let refused = if measured.cells > MAX_LOADED_CELLS {
        errors::WORKBOOK_TOO_MANY_CELLS
            .with("cells", measured.cells)
            .with("max", MAX_LOADED_CELLS)
    } else if loaded && measured.loaded_memory() > MAX_LOADED_MEMORY {
        errors::WORKBOOK_TOO_MUCH_MEMORY
            .with("mb", measured.loaded_memory() >> 20)
            .with("max", MAX_LOADED_MEMORY >> 20)
    } else if !loaded && measured.text > MAX_STREAMED_TEXT {
        errors::WORKBOOK_TEXT_BOMB.with("max", MAX_STREAMED_TEXT >> 20)
    } else {
        return Ok(());
    };
    Err(RosterError::unusable(path, refused))
}

/// An `.xls` or `.ods` workbook, loaded once: its sheet names, and each sheet's grid until
/// a reader takes it.
struct LoadedBook {
    names: Vec<String>,
    sheets: Vec<Option<Result<Range<Data>, Message>>>,
}

impl LoadedBook {
    fn open(path: &Path, content: &Content, kind: Kind) -> Result<LoadedBook, RosterError> {
        let bad = |e: Message| RosterError::unusable(path, e);
        let input = content.open().map_err(|e| RosterError::io(path, e))?;
        let loaded = guarded(|| -> Result<LoadedBook, Message> {
            fn all<R: Reader<Opened>>(mut book: R) -> LoadedBook
            where
                R::Error: std::fmt::Display,
            {
                let names = book.sheet_names();
                let sheets = names
                    .iter()
                    .map(|n| Some(book.worksheet_range(n).map_err(unreadable)))
                    .collect();
                LoadedBook { names, sheets }
            }
            Ok(match kind {
                Kind::Xls => all(Xls::new(input).map_err(unreadable)?),
                _ => all(Ods::new(input).map_err(unreadable)?),
            })
        });
        loaded.map_err(bad)
    }

    /// The grid of sheet `name`, handed over once.
    fn take(&mut self, name: &str) -> Result<Range<Data>, Message> {
        let i = self.names.iter().position(|n| n == name);
        i.and_then(|i| self.sheets[i].take()).unwrap_or_else(|| {
            Err(errors::NO_SUCH_SHEET
                .with("sheet", format!("{name:?}"))
                .with("sheets", quoted(&self.names)))
        })
    }
}

fn sheet_names(path: &Path, content: &Content, kind: Kind) -> Result<Vec<String>, RosterError> {
    let input = content.open().map_err(|e| RosterError::io(path, e))?;
    let names = guarded(|| {
        Ok(match kind {
            Kind::Xlsx => Xlsx::new(input).map_err(unreadable)?.sheet_names(),
            Kind::Xlsb => Xlsb::new(input).map_err(unreadable)?.sheet_names(),
            Kind::Xls => Xls::new(input).map_err(unreadable)?.sheet_names(),
            Kind::Ods => Ods::new(input).map_err(unreadable)?.sheet_names(),
        })
    });
    names.map_err(|e| RosterError::unusable(path, e))
}

thread_local! {
    /// This thread is inside [`guarded`]: a panic here is the parser's, and becomes an error.
    static PARSING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `parse` (calls into calamine) so that a panic in the parser (damaged data it did
/// not expect: the fuzzers found several) is the error [`errors::WORKBOOK_PARSER_FAILED`],
/// never a crash, a silently shorter roster, or a panic message on the user's terminal (the
/// panic hook stays quiet for it; any other panic is reported as before).
fn guarded<T>(parse: impl FnOnce() -> Result<T, Message>) -> Result<T, Message> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PARSING.with(|p| p.get()) {
                previous(info);
            }
        }));
    });
    let outer = PARSING.with(|p| p.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse))
        .unwrap_or_else(|_| Err(errors::WORKBOOK_PARSER_FAILED.msg()));
    PARSING.with(|p| p.set(outer));
    result
}

/// A sheet's rows, in batches. With the feature `parallel` (threads) they are produced by
/// a thread that owns the workbook (calamine's cell reader borrows it), through a bounded
/// channel: reading overlaps checking, and memory holds a few batches whatever the sheet's
/// size. Rows travel as [`Cells`] that go back and forth (the reader's spent records return
/// with each emptied batch): no allocation per row or cell once the first batches are made.
///
/// Without threads (the browser) the sheet is read whole when it is opened, since the
/// borrowing cell reader cannot be paused between rows: memory then holds the sheet's text.
pub(crate) struct SheetRows {
    batches: Batches,
    current: Rows,
    /// The next row of `current` to hand out.
    at: usize,
    /// The rows the sheet declares (0 until the producer knows).
    total: Arc<AtomicU64>,
}

enum Batches {
    /// From the producing thread; emptied batches go back to it.
    #[cfg(feature = "parallel")]
    Thread {
        batches: std::sync::mpsc::Receiver<Result<Rows, Message>>,
        spent: std::sync::mpsc::Sender<Rows>,
    },
    /// Every batch, read when the sheet was opened.
    #[cfg_attr(feature = "parallel", allow(dead_code))]
    Read(std::collections::VecDeque<Result<Rows, Message>>),
}

/// Reads a sheet with `produce`, handing each full batch to `send` (which returns false to
/// stop) and taking spare cells from `spent`; the last batch, or the error, goes to `send`.
/// Rows with an index up to `after` (already read) are not handed over. A batch is full at
/// [`BATCH`] rows or [`BATCH_BYTES`] of text.
fn produce_batches(
    origin: Origin,
    after: Option<u32>,
    declared: &AtomicU64,
    mut send: impl FnMut(Result<Rows, Message>) -> bool,
    mut spent: impl FnMut(&mut Vec<Cells>),
) {
    let mut batch = Rows::with_capacity(BATCH);
    let mut bytes = 0;
    let mut spare: Vec<Cells> = Vec::new();
    let mut emit = |index: u32, cells: &mut Cells| -> bool {
        if after.is_some_and(|a| index <= a) {
            return true;
        }
        let mut fresh = spare.pop().unwrap_or_default();
        fresh.clear();
        bytes += cells.byte_len();
        batch.push((index, std::mem::replace(cells, fresh)));
        if batch.len() == BATCH || bytes >= BATCH_BYTES {
            bytes = 0;
            let full = std::mem::replace(&mut batch, Rows::with_capacity(BATCH));
            if !send(Ok(full)) {
                return false;
            }
            spent(&mut spare);
        }
        true
    };
    // A panic in the workbook parser ends the sheet with an error.
    let result = guarded(|| produce(origin, declared, &mut emit));
    send(result.map(|()| batch));
}

impl SheetRows {
    /// Reads `origin` on a thread of its own, from the row after index `after` (if any).
    #[cfg(feature = "parallel")]
    fn spawn(origin: Origin, after: Option<u32>) -> SheetRows {
        use std::sync::mpsc::{channel, sync_channel};
        let (tx, rx) = sync_channel(4);
        let (spent_tx, spent_rx) = channel::<Rows>();
        let total = Arc::new(AtomicU64::new(0));
        let declared = Arc::clone(&total);
        std::thread::spawn(move || {
            let send = |batch| tx.send(batch).is_ok();
            // A record that held a huge cell is dropped rather than kept in circulation.
            let spent = |spare: &mut Vec<Cells>| {
                let spent = spent_rx.try_iter().flatten().map(|(_, cells)| cells);
                spare.extend(spent.filter(|cells| cells.byte_len() <= SPARE_MAX));
            };
            produce_batches(origin, after, &declared, send, spent);
        });
        SheetRows::new(
            Batches::Thread {
                batches: rx,
                spent: spent_tx,
            },
            total,
        )
    }

    #[cfg(not(feature = "parallel"))]
    fn spawn(origin: Origin, after: Option<u32>) -> SheetRows {
        let total = Arc::new(AtomicU64::new(0));
        let mut read = std::collections::VecDeque::new();
        let send = |batch| {
            read.push_back(batch);
            true
        };
        produce_batches(origin, after, &total, send, |_| {});
        SheetRows::new(Batches::Read(read), total)
    }

    fn new(batches: Batches, total: Arc<AtomicU64>) -> SheetRows {
        SheetRows {
            batches,
            current: Vec::new(),
            at: 0,
            total,
        }
    }

    /// The next batch, once the current one is spent; `None` after the last.
    fn next_batch(&mut self) -> Option<Result<Rows, Message>> {
        let spent = std::mem::take(&mut self.current);
        match &mut self.batches {
            #[cfg(feature = "parallel")]
            Batches::Thread {
                batches,
                spent: back,
            } => {
                if !spent.is_empty() {
                    // The producer may have finished: a closed channel is fine.
                    let _ = back.send(spent);
                }
                // After its last batch (or an error, a panic included) the thread ends.
                batches.recv().ok()
            }
            Batches::Read(read) => {
                drop(spent);
                read.pop_front()
            }
        }
    }

    /// Puts the next row's cells in `cells` (its former contents go back for reuse); returns
    /// the row's index, or `None` at the end of the sheet.
    pub fn next_into(&mut self, cells: &mut Cells) -> Result<Option<u32>, Message> {
        loop {
            if let Some((index, row)) = self.current.get_mut(self.at) {
                self.at += 1;
                std::mem::swap(cells, row);
                return Ok(Some(*index));
            }
            self.at = 0;
            match self.next_batch() {
                Some(Ok(batch)) if batch.is_empty() => return Ok(None),
                Some(Ok(batch)) => self.current = batch,
                Some(Err(e)) => return Err(e),
                None => return Ok(None),
            }
        }
    }
}

const BATCH: usize = 512;

/// Bytes of cell text at which a batch is full, however few its rows (a shared string of
/// 1 MB used on every row made batches of 512 MB).
const BATCH_BYTES: usize = 1 << 20;

/// Bytes of the rows searched for a sheet's header, at most (with [`HEADER_SEARCH_ROWS`]).
const HEADER_SEARCH_BYTES: usize = 16 << 20;

/// Bytes of cell text above which a spent record is not reused.
#[cfg(feature = "parallel")]
const SPARE_MAX: usize = 64 << 10;

/// Where a sheet's cells come from.
enum Origin {
    /// `.xlsx` and `.xlsb`: the file (content, kind, sheet name), streamed cell by cell.
    Streamed(Content, Kind, String),
    /// `.xls` and `.ods`: the sheet's grid, loaded with the workbook.
    Loaded(Range<Data>),
}

/// A workbook parser's error (its own words, in English) as the reason of ours.
fn unreadable(e: impl std::fmt::Display) -> Message {
    errors::WORKBOOK_UNREADABLE.with("detail", e)
}

/// Streams a sheet's rows to `emit` (which returns false to stop); `total` gets the rows the
/// sheet declares (its dimension), for the progress bar.
fn produce(
    origin: Origin,
    total: &AtomicU64,
    emit: &mut dyn FnMut(u32, &mut Cells) -> bool,
) -> Result<(), Message> {
    let mut row = RowBuilder::default();
    let mut text = String::new();
    let (content, kind, sheet) = match origin {
        Origin::Streamed(content, kind, sheet) => (content, kind, sheet),
        Origin::Loaded(range) => {
            let (top, left) = range.start().unwrap_or((0, 0));
            if let Some((bottom, _)) = range.end() {
                total.store(u64::from(bottom) + 1, Ordering::Relaxed);
            }
            for (i, cells) in range.rows().enumerate() {
                for (j, value) in cells.iter().enumerate() {
                    if *value != Data::Empty {
                        let (r, c) = (top + i as u32, left + j as u32);
                        row.fits(r, value)?;
                        text_of(value, None, &mut text);
                        if !row.put(r, c, &text, emit)? {
                            return Ok(());
                        }
                    }
                }
            }
            row.finish(emit);
            return Ok(());
        }
    };
    let sheet = sheet.as_str();
    let input = content.open().map_err(unreadable)?;
    match kind {
        Kind::Xlsx => {
            let mut book = Xlsx::new(input).map_err(unreadable)?;
            let mut cells = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
            total.store(u64::from(cells.dimensions().end.0) + 1, Ordering::Relaxed);
            let widths: Vec<Option<usize>> = cells
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .and_then(|f| zero_width(&f.format_code))
                })
                .collect();
            while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(unreadable)? {
                let (r, c) = cell.get_position();
                let width = widths.get(style).copied().flatten();
                if let Some(w) = width.filter(|&w| w > MAX_FORMAT_WIDTH) {
                    let value = cell.get_value();
                    if value.get_int().is_some() || value.get_float().is_some() {
                        let (r, c) = (u64::from(r) + 1, u64::from(c) + 1);
                        return Err(errors::WORKBOOK_FORMAT_WIDTH
                            .with("row", r)
                            .with("column", c)
                            .with("width", w)
                            .with("max", MAX_FORMAT_WIDTH));
                    }
                }
                row.fits(r, cell.get_value())?;
                text_of(cell.get_value(), width, &mut text);
                if !row.put(r, c, &text, emit)? {
                    return Ok(());
                }
            }
        }
        Kind::Xlsb => {
            let mut book = Xlsb::new(input).map_err(unreadable)?;
            let mut cells = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
            total.store(u64::from(cells.dimensions().end.0) + 1, Ordering::Relaxed);
            while let Some(cell) = cells.next_cell().map_err(unreadable)? {
                let (r, c) = cell.get_position();
                row.fits(r, cell.get_value())?;
                text_of(cell.get_value(), None, &mut text);
                if !row.put(r, c, &text, emit)? {
                    return Ok(());
                }
            }
        }
        Kind::Xls | Kind::Ods => unreachable!("loaded with the workbook"),
    }
    row.finish(emit);
    Ok(())
}

/// Columns a sheet holds: Excel's last is XFD, the 16,384th.
pub(crate) const MAX_COLUMNS: u32 = 16_384;

/// Gathers cells, which arrive in row order (and, within a row, in column order), into rows.
/// It counts their text: a row over [`MAX_ROW_TEXT`], or a sheet over
/// [`MAX_STREAMED_TEXT`], is refused as it is read (the bounds measured before the workbook
/// was opened are upper bounds of these; this holds whatever a parser makes of the file).
#[derive(Default)]
struct RowBuilder {
    index: Option<u32>,
    cells: Cells,
    /// Cells of this row that arrived after a cell to their right (a damaged or unusual
    /// sheet): their column and text, applied once when the row is finished, so that a row
    /// in reverse order costs a sort, not a rebuild per cell.
    late: Vec<(u32, String)>,
    /// Bytes of text in this row, and in the sheet so far.
    row_text: u64,
    sheet_text: u64,
}

impl RowBuilder {
    /// Refuses a cell of row `r` whose text would take its row past [`MAX_ROW_TEXT`],
    /// before the text is copied.
    fn fits(&self, r: u32, value: &impl DataType) -> Result<(), Message> {
        let len = value.get_string().map_or(0, |s| s.len() as u64);
        let before = if self.index == Some(r) {
            self.row_text
        } else {
            0
        };
        if before.saturating_add(len) > MAX_ROW_TEXT {
            return Err(errors::WORKBOOK_ROW_TEXT
                .with("row", u64::from(r) + 1)
                .with("max", MAX_ROW_TEXT >> 20));
        }
        Ok(())
    }

    /// Adds a cell; `Ok(false)` when `emit` says stop, an error for a cell beyond Excel's
    /// last column or row (damage: filling the gap would take the memory of billions of
    /// cells; a row past the last is read by no spreadsheet) and for text past the bounds.
    fn put(
        &mut self,
        r: u32,
        c: u32,
        text: &str,
        emit: &mut dyn FnMut(u32, &mut Cells) -> bool,
    ) -> Result<bool, Message> {
        if c >= MAX_COLUMNS {
            return Err(errors::WORKBOOK_BEYOND_LAST_COLUMN
                .with("row", u64::from(r) + 1)
                .with("column", u64::from(c) + 1)
                .with("max", MAX_COLUMNS));
        }
        if u64::from(r) >= MAX_ROWS {
            return Err(errors::WORKBOOK_BEYOND_LAST_ROW
                .with("row", u64::from(r) + 1)
                .with("max", MAX_ROWS));
        }
        if self.index != Some(r) {
            if !self.finish(emit) {
                return Ok(false);
            }
            self.index = Some(r);
            self.row_text = 0;
        }
        if text.is_empty() {
            return Ok(true);
        }
        let len = text.len() as u64;
        self.row_text += len;
        if self.row_text > MAX_ROW_TEXT {
            return Err(errors::WORKBOOK_ROW_TEXT
                .with("row", u64::from(r) + 1)
                .with("max", MAX_ROW_TEXT >> 20));
        }
        self.sheet_text += len;
        if self.sheet_text > MAX_STREAMED_TEXT {
            return Err(errors::WORKBOOK_TEXT_BOMB.with("max", MAX_STREAMED_TEXT >> 20));
        }
        if (c as usize) < self.cells.len() {
            self.late.push((c, text.to_owned()));
            return Ok(true);
        }
        while self.cells.len() < c as usize {
            self.cells.push(b"");
        }
        self.cells.push(text.as_bytes());
        Ok(true)
    }

    /// Hands the row being built to `emit`, if there is one; `false` when `emit` says stop.
    fn finish(&mut self, emit: &mut dyn FnMut(u32, &mut Cells) -> bool) -> bool {
        let Some(index) = self.index.take() else {
            return true;
        };
        if !self.late.is_empty() {
            self.apply_late();
        }
        let go_on = emit(index, &mut self.cells);
        self.cells.clear();
        go_on
    }

    /// Puts the late cells in their columns: a column given twice keeps its last value, as
    /// in the order the cells arrived.
    fn apply_late(&mut self) {
        let mut late = std::mem::take(&mut self.late);
        // Stable: among cells of one column, the one that came last stays last.
        late.sort_by_key(|&(c, _)| c);
        let width = self.cells.len();
        let mut rebuilt = Cells::with_capacity(self.cells.byte_len(), width);
        let mut next = late.iter().peekable();
        for (i, cell) in self.cells.iter().enumerate() {
            let mut value = cell;
            while let Some((_, text)) = next.next_if(|(c, _)| *c as usize == i) {
                value = text.as_bytes();
            }
            rebuilt.push(value);
        }
        self.cells = rebuilt;
    }
}

/// The width of an all-zeros number format (`0000000000` → 10), if that is what it is.
/// Only the first section counts (`0000000000;-0000000000`); quotes and backslashes around
/// the zeros are tolerated.
pub(crate) fn zero_width(format: &str) -> Option<usize> {
    let first = format.split(';').next().unwrap_or_default();
    let mut zeros = 0;
    for b in first.bytes() {
        match b {
            b'0' => zeros += 1,
            b'"' | b'\\' => {}
            _ => return None,
        }
    }
    (zeros >= 2).then_some(zeros)
}

/// The widest zero padding a number format may ask for: identifiers need 13 digits, Excel's
/// own formats stay far below; a wider one is damage (10 million zeros, applied to a few
/// hundred cells, once made a 2 GB report).
pub(crate) const MAX_FORMAT_WIDTH: usize = 64;

/// A number as the digits a person sees, into `out`. Integral values print without a
/// fraction or an exponent; beyond 15 significant digits Excel has already rounded, and the
/// digits printed are too many for any identifier, so the rules refuse them.
fn number(f: f64, width: Option<usize>, out: &mut String) {
    // `912345678.5` (and infinities): as Rust prints them; the rules keep the dot and refuse it.
    if !f.is_finite() || f.fract() != 0.0 {
        let _ = write!(out, "{f}");
        return;
    }
    let start = out.len();
    let _ = write!(out, "{f:.0}");
    let digits = out.len() - start;
    if let Some(w) = width.filter(|&w| f >= 0.0 && digits < w) {
        out.insert_str(start, &"0".repeat(w - digits));
    }
}

/// A cell's text as a person sees it, into `out` (cleared first): a streamed cell
/// ([`calamine::DataRef`]) or a loaded sheet's ([`Data`]).
fn text_of(value: &impl DataType, width: Option<usize>, out: &mut String) {
    out.clear();
    if let Some(i) = value.get_int() {
        number(i as f64, width, out);
    } else if let Some(f) = value.get_float() {
        number(f, width, out);
    } else if let Some(s) = (value.get_string())
        .or_else(|| value.get_datetime_iso())
        .or_else(|| value.get_duration_iso())
    {
        out.push_str(s);
    } else if let Some(b) = value.get_bool() {
        out.push_str(if b { "TRUE" } else { "FALSE" });
    } else if let Some(d) = value.get_datetime() {
        let _ = write!(out, "{d}");
    } else if let Some(e) = value.get_error() {
        let _ = write!(out, "{e}");
    }
}

/// One sheet, positioned after its header row.
struct ExcelRoster {
    source: Arc<Source>,
    /// The sheet's rows, once it is being read.
    rows: Option<SheetRows>,
    /// Until then, for a streamed sheet: where to read it from, and the last row already
    /// read (while looking for the header).
    resume: Option<(Origin, u32)>,
    /// Rows read while looking for the header.
    pending: std::vec::IntoIter<Row>,
    /// The 0-based index of the last row handed out (or of the header).
    last_row: u32,
    blank: u64,
    /// Rows that repeat the header, skipped.
    repeats: Repeats,
}

impl RowReader for ExcelRoster {
    fn source(&self) -> &Arc<Source> {
        &self.source
    }

    fn read(&mut self, record: &mut Cells) -> Result<Option<u64>, RosterError> {
        loop {
            let index = match self.pending.next() {
                Some((index, cells)) => {
                    *record = cells;
                    index
                }
                None => match self.rows().next_into(record) {
                    Ok(Some(index)) => index,
                    Ok(None) => return Ok(None),
                    Err(e) => {
                        let sheet = self.source.sheet.as_deref().unwrap_or_default();
                        let place = in_sheet(&self.source.path, sheet);
                        return Err(RosterError::unusable(&place, e));
                    }
                },
            };
            // Rows with no cell at all never arrive: count the gap.
            self.blank += u64::from(index.saturating_sub(self.last_row + 1));
            self.last_row = index;
            let blank = |c: &[u8]| std::str::from_utf8(c).is_ok_and(|s| s.trim().is_empty());
            if record.iter().all(blank) {
                self.blank += 1;
                continue;
            }
            if repeats_header(&self.source, record) {
                self.repeats.add(u64::from(index) + 1);
                continue;
            }
            // Excel does not store empty trailing cells: a short row is not a malformed one.
            for _ in record.len()..self.source.headers.len() {
                record.push(b"");
            }
            return Ok(Some(u64::from(index) + 1));
        }
    }

    fn blank_rows(&self) -> u64 {
        self.blank
    }

    fn repeated_headers(&self) -> Option<(u64, u64)> {
        self.repeats.get()
    }

    fn progress(&self) -> Option<(u64, u64)> {
        let total = self.rows.as_ref()?.total.load(Ordering::Relaxed);
        (total > 0).then(|| ((u64::from(self.last_row) + 1).min(total), total))
    }
}

impl ExcelRoster {
    /// The sheet's rows, read again from where the header search left them if it stopped.
    fn rows(&mut self) -> &mut SheetRows {
        let resume = &mut self.resume;
        self.rows.get_or_insert_with(|| match resume.take() {
            Some((origin, after)) => SheetRows::spawn(origin, Some(after)),
            None => SheetRows::new(Batches::Read(Default::default()), Default::default()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_formats_give_a_width() {
        assert_eq!(zero_width("0000000000"), Some(10));
        assert_eq!(zero_width("0000000000000;-0"), Some(13));
        assert_eq!(zero_width("\"\"0000"), Some(4));
        assert_eq!(zero_width("0"), None);
        assert_eq!(zero_width("General"), None);
        assert_eq!(zero_width("0.00"), None);
        assert_eq!(zero_width("#,##0"), None);
    }

    fn number(f: f64, width: Option<usize>) -> String {
        let mut out = "x".to_owned();
        super::number(f, width, &mut out);
        out.split_off(1)
    }

    #[test]
    fn numbers_print_as_digits() {
        assert_eq!(number(912345678.0, None), "912345678");
        assert_eq!(number(912345678.0, Some(10)), "0912345678");
        assert_eq!(number(912345678001.0, Some(13)), "0912345678001");
        assert_eq!(number(1.0, Some(4)), "0001");
        assert_eq!(number(912345678.5, None), "912345678.5");
        assert_eq!(number(1714307103001001.0, None), "1714307103001001");
        assert_eq!(number(1e21, None), "1000000000000000000000");
    }
}
