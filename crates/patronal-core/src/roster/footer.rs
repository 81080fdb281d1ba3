//! Rows below the last employer that are not employers: a total, a signature, a date, a
//! note (docs/rules.md, "Roster columns"). [`Footers`] reads a table a few rows ahead: a row
//! with no identifier-shaped content is held until a row with one follows (it was a record
//! among the data: `ID_MISSING` and the rest), or the table ends; at the end, the held rows
//! from the first that reads as a footer on are skipped, counted and listed.

use std::collections::VecDeque;
use std::sync::Arc;

use super::{Cells, RosterError, RowReader, Source};
use crate::finding::Field;

/// Rows held at most while waiting for an identifier: a footer is a few lines, and a longer
/// run of rows without identifiers is records.
const MAX_HELD: usize = 64;

/// Footer rows listed by their text (the rest are counted).
pub const FOOTER_TEXTS: usize = 10;

/// Characters of a footer row's text kept for the notes.
const FOOTER_CHARS: usize = 80;

/// First words of a total, signature, date or note line.
const FOOTER_WORDS: &[&str] = &[
    "total",
    "totales",
    "subtotal",
    "suma",
    "sumatoria",
    "elaborado",
    "elaborada",
    "elaboracion",
    "preparado",
    "preparada",
    "revisado",
    "revisada",
    "aprobado",
    "aprobada",
    "autorizado",
    "autorizada",
    "firma",
    "firmas",
    "firmado",
    "fecha",
    "corte",
    "nota",
    "notas",
    "observacion",
    "observaciones",
    "obs",
    "generado",
    "generada",
    "impreso",
    "impresion",
    "pagina",
    "fuente",
    "responsable",
    "contador",
    "contadora",
    "cpa",
    "gerente",
    "prepared",
    "reviewed",
    "approved",
    "signature",
    "signed",
    "date",
    "note",
    "notes",
    "page",
    "printed",
    "generated",
    "source",
    "count",
    "grand",
];

/// Month names, for a date written in words (`15 de enero de 2025`).
const MONTHS: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a cell holds an identifier's digits: 6 or more once the separators people type
/// are set aside (`0912345678-001`), or Excel's scientific notation (`1.79001E+12`).
pub(crate) fn digits_shaped(cell: &[u8]) -> bool {
    let cell = cell.trim_ascii();
    let mut digits = 0;
    for &b in cell {
        match b {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'.' | b'+' => {}
            _ => {
                return std::str::from_utf8(cell)
                    .is_ok_and(crate::ecuador::normalize::is_scientific);
            }
        }
    }
    digits >= 6
}

/// Whether a cell holds something shaped like an identifier: an identifier's digits
/// ([`digits_shaped`]), or a code of letters and digits (a foreigner's).
pub(crate) fn identifier_shaped(cell: &[u8]) -> bool {
    if digits_shaped(cell) {
        return true;
    }
    let cell = cell.trim_ascii();
    let digits = cell.iter().filter(|b| b.is_ascii_digit()).count();
    cell.iter()
        .all(|b| b.is_ascii_alphanumeric() || b"-. ".contains(b))
        && cell.iter().any(u8::is_ascii_alphabetic)
        && digits >= 4
        && cell.len() <= 20
}

/// Whether a row reads as a footer: text in one cell at most (a title, a total, a line
/// drawn for a signature), or a cell that starts with a total, signature, date or note word
/// (`TOTAL EMPLEADORES: 4`, `Elaborado por:`, `Fecha:`, `Nota:`), or a date.
pub(crate) fn footer_like(cells: &[&str]) -> bool {
    let texts: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| c.chars().any(char::is_alphanumeric))
        .collect();
    if texts.len() <= 1 {
        return true;
    }
    texts.iter().any(|cell| {
        // A footer line says what it is in its first words: a cell of megabytes is not read
        // whole.
        let cell = cell
            .char_indices()
            .nth(64)
            .map_or(*cell, |(at, _)| &cell[..at]);
        let words = super::headers::words(cell);
        words
            .first()
            .is_some_and(|w| FOOTER_WORDS.contains(&w.as_str()))
            || is_date(cell, &words)
    })
}

/// `15/01/2025`, `2025-01-15`, `15 de enero de 2025`.
fn is_date(cell: &str, words: &[String]) -> bool {
    let numeric = cell.split(['/', '-', '.']).collect::<Vec<_>>();
    let all_numbers = numeric.len() == 3
        && numeric.iter().all(|p| {
            (1..=4).contains(&p.trim().len()) && p.trim().bytes().all(|b| b.is_ascii_digit())
        });
    let year = words
        .iter()
        .any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    all_numbers || (year && words.iter().any(|w| MONTHS.contains(&w.as_str())))
}

/// The footer rows a table ended with: how many, and the text of the first ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FooterRows {
    /// Rows skipped.
    pub count: u64,
    /// The text of the first `FOOTER_TEXTS` of them (their cells joined by spaces).
    pub texts: Vec<String>,
}

/// A row held until it is known to be a record or a footer.
struct Held {
    row: u64,
    cells: Cells,
    quote: Option<(u64, u64)>,
    footer_like: bool,
}

/// A reader that skips the footer rows below a table's last employer (see the module's
/// documentation); every other row passes through, in order.
pub(crate) struct Footers {
    inner: Box<dyn RowReader>,
    /// The cells of the ID and the RUC: where an employer's row has an identifier.
    identifiers: [Option<usize>; 2],
    held: VecDeque<Held>,
    /// How many held rows, from the front, are records for sure.
    sure: usize,
    done: bool,
    /// The unclosed quote of the row just returned.
    note: Option<(u64, u64)>,
    skipped: FooterRows,
    spare: Vec<Cells>,
}

impl Footers {
    pub(crate) fn new(inner: Box<dyn RowReader>) -> Footers {
        let map = &inner.source().map;
        Footers {
            identifiers: [map.get(Field::Id), map.get(Field::Ruc)],
            inner,
            held: VecDeque::new(),
            sure: 0,
            done: false,
            note: None,
            skipped: FooterRows::default(),
            spare: Vec::new(),
        }
    }

    /// Whether the row has an identifier where the roster's ID or RUC is. Every row passes
    /// here: six digits in the cell say it at once (a cédula's first six), the rest is for
    /// the cells without them.
    fn has_identifier(&self, cells: &Cells) -> bool {
        fn six_digits(cell: &[u8]) -> bool {
            let mut digits = 0;
            for &b in cell {
                if b.is_ascii_digit() {
                    digits += 1;
                    if digits == 6 {
                        return true;
                    }
                }
            }
            false
        }
        self.identifiers
            .iter()
            .flatten()
            .filter_map(|&i| cells.get(i))
            .any(|cell| six_digits(cell) || identifier_shaped(cell))
    }

    fn hold(&mut self, row: u64, cells: Cells, quote: Option<(u64, u64)>) {
        let source = self.inner.source();
        let texts: Vec<_> = cells.iter().map(|c| source.decoder.decode(c)).collect();
        let texts: Vec<&str> = texts.iter().map(|c| c.as_ref()).collect();
        let footer_like = footer_like(&texts);
        self.held.push_back(Held {
            row,
            cells,
            quote,
            footer_like,
        });
    }

    /// The table has ended: the held rows from the first that reads as a footer on are
    /// footers; those before it are records.
    fn settle(&mut self) {
        let first = self
            .held
            .iter()
            .position(|h| h.footer_like)
            .unwrap_or(self.held.len());
        for held in self.held.drain(first..) {
            self.skipped.count += 1;
            if self.skipped.texts.len() < FOOTER_TEXTS {
                let source = self.inner.source();
                let text: Vec<String> = held
                    .cells
                    .iter()
                    .map(|c| source.decoder.decode(c).trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect();
                let text = text.join(" ");
                let text = match text.char_indices().nth(FOOTER_CHARS) {
                    Some((at, _)) => format!("{}…", &text[..at]),
                    None => text,
                };
                self.skipped.texts.push(text);
            }
            self.spare.push(held.cells);
        }
        self.sure = self.held.len();
    }
}

impl RowReader for Footers {
    fn source(&self) -> &Arc<Source> {
        self.inner.source()
    }

    fn read(&mut self, record: &mut Cells) -> Result<Option<u64>, RosterError> {
        self.note = None;
        loop {
            if self.sure > 0
                && let Some(held) = self.held.pop_front()
            {
                self.sure -= 1;
                let old = std::mem::replace(record, held.cells);
                self.spare.push(old);
                self.note = held.quote;
                return Ok(Some(held.row));
            }
            if self.done {
                if self.held.is_empty() {
                    return Ok(None);
                }
                self.settle();
                if self.sure == 0 {
                    return Ok(None);
                }
                continue;
            }
            if self.held.is_empty() {
                // The usual row: read in place, passed on at once when it has an identifier.
                let Some(row) = self.inner.read(record)? else {
                    self.done = true;
                    continue;
                };
                let quote = self.inner.malformed();
                if self.has_identifier(record) {
                    self.note = quote;
                    return Ok(Some(row));
                }
                let cells = std::mem::replace(record, self.spare.pop().unwrap_or_default());
                self.hold(row, cells, quote);
            } else {
                let mut cells = self.spare.pop().unwrap_or_default();
                let Some(row) = self.inner.read(&mut cells)? else {
                    self.spare.push(cells);
                    self.done = true;
                    continue;
                };
                let quote = self.inner.malformed();
                let identifier = self.has_identifier(&cells);
                self.hold(row, cells, quote);
                if identifier {
                    // An employer follows: every row held was among the data.
                    self.sure = self.held.len();
                } else if self.held.len() > MAX_HELD {
                    self.sure = 1;
                }
            }
        }
    }

    fn malformed(&mut self) -> Option<(u64, u64)> {
        self.note.take()
    }

    fn blank_rows(&self) -> u64 {
        self.inner.blank_rows()
    }

    fn repeated_headers(&self) -> Option<(u64, u64)> {
        self.inner.repeated_headers()
    }

    fn footers(&self) -> Option<&FooterRows> {
        Some(&self.skipped)
    }

    fn records_hint(&self) -> Option<u64> {
        self.inner.records_hint()
    }

    fn progress(&self) -> Option<(u64, u64)> {
        self.inner.progress()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{ReadOptions, open_bytes};

    /// The rows of a CSV roster through [`Footers`]: each row's number and first cell, and
    /// the footers skipped.
    fn read(csv: &str) -> (Vec<(u64, String)>, FooterRows) {
        let mut readers = open_bytes(
            "r.csv".as_ref(),
            csv.as_bytes().to_vec(),
            &ReadOptions::default(),
        )
        .expect("opens");
        let mut reader = Footers::new(readers.remove(0));
        let mut cells = Cells::new();
        let mut rows = Vec::new();
        while let Some(row) = reader.read(&mut cells).expect("reads") {
            let first = String::from_utf8_lossy(cells.get(0).unwrap_or_default()).into_owned();
            rows.push((row, first));
        }
        (rows, reader.footers().cloned().unwrap_or_default())
    }

    #[test]
    fn footer_rows_are_skipped_counted_and_listed() {
        let (rows, footers) = read(
            "Nombre;Cédula;RUC;Correo\n\
             Ana;0428813992;0428813992001;ana@correo.ec\n\
             Sin cédula;;;luis@correo.ec\n\
             Eva;1714307103;1714307103001;eva@correo.ec\n\
             TOTAL EMPLEADORES: 2;;;\n\
             \n\
             Elaborado por: CPA Juan Pérez;;;Revisado por: Ing. María Vélez\n\
             Quito, 15 de enero de 2025;;;\n",
        );
        // The row among the data with a name and no ID stays a record.
        let names: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Ana", "Sin cédula", "Eva"]);
        assert_eq!(rows[1].0, 3);
        assert_eq!(footers.count, 3);
        assert_eq!(
            footers.texts,
            [
                "TOTAL EMPLEADORES: 2",
                "Elaborado por: CPA Juan Pérez Revisado por: Ing. María Vélez",
                "Quito, 15 de enero de 2025"
            ]
        );
    }

    #[test]
    fn a_last_employer_without_an_id_is_a_record() {
        // Several cells of text, no footer word: an employer whose ID is missing.
        let (rows, footers) = read(
            "Nombre;Cédula;RUC;Correo\n\
             Ana;0428813992;0428813992001;ana@correo.ec\n\
             Luis Pérez;;;luis@correo.ec\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(footers.count, 0);
    }

    #[test]
    fn rows_that_read_as_footers() {
        assert!(footer_like(&["TOTAL EMPLEADORES: 4", "", ""]));
        assert!(footer_like(&["Total", "", "4"]));
        assert!(footer_like(&["Fecha:", "15/01/2025"]));
        assert!(footer_like(&["Nota: valores al corte", "ver anexo"]));
        assert!(footer_like(&["_________", "_________"]));
        assert!(footer_like(&["Quito", "15 de enero de 2025"]));
        assert!(!footer_like(&["Luis Pérez", "", "luis@correo.ec"]));
        assert!(identifier_shaped(b"0912345678-001"));
        assert!(identifier_shaped(b"1.79001E+12"));
        assert!(identifier_shaped(b"PA123456"));
        assert!(!identifier_shaped(b"TOTAL: 4"));
        assert!(!identifier_shaped(b"4"));
        assert!(!identifier_shaped(b"15/01/2025"));
    }
}
