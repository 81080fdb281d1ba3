//! Reading the catastro files as the SRI publishes them: `|`-delimited, a header row,
//! double-quoted fields that may hold `|`, UTF-8 (maybe with a BOM) or Windows-1252, one row
//! per establishment; Guayas and Pichincha come zipped. Streamed: memory holds the RUCs, not
//! the file.

use std::io::{BufReader, Read};
use std::path::Path;

use super::{Catastro, CatastroError, Status};
use crate::i18n::errors;

/// Header names of the RUC column, current and older layouts (compared ignoring case).
const RUC_HEADERS: &[&str] = &["NUMERO_RUC", "NUM_RUC", "RUC", "NUMERO RUC"];
/// Header names of the taxpayer's status.
const STATUS_HEADERS: &[&str] = &["ESTADO_CONTRIBUYENTE", "ESTADO CONTRIBUYENTE", "ESTADO_RUC"];

/// Loads one CSV catastro. The columns needed are ASCII, so the file's encoding does not
/// matter beyond a UTF-8 BOM before the first header.
pub fn load_csv(path: &Path, input: impl Read) -> Result<Catastro, CatastroError> {
    let mut entries = Vec::new();
    read_into(path, input, &mut entries)?;
    Ok(Catastro::from_pairs(entries))
}

fn read_into(path: &Path, input: impl Read, entries: &mut Vec<u64>) -> Result<(), CatastroError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'|')
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(1 << 20)
        .from_reader(BufReader::with_capacity(1 << 20, input));
    let mut record = csv::ByteRecord::new();
    let bad = |e: csv::Error| {
        CatastroError::unusable(path, errors::CATASTRO_UNREADABLE.with("detail", e))
    };
    if !reader.read_byte_record(&mut record).map_err(bad)? {
        return Err(CatastroError::unusable(path, errors::CATASTRO_EMPTY.msg()));
    }
    let column = |names: &[&str]| {
        record.iter().position(|h| {
            let h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h).trim_ascii();
            names.iter().any(|n| h.eq_ignore_ascii_case(n.as_bytes()))
        })
    };
    let (Some(ruc_col), Some(status_col)) = (column(RUC_HEADERS), column(STATUS_HEADERS)) else {
        return Err(CatastroError::unusable(
            path,
            errors::CATASTRO_NO_COLUMNS.msg(),
        ));
    };
    while reader.read_byte_record(&mut record).map_err(bad)? {
        let Some(ruc) = record.get(ruc_col).and_then(ruc_number) else {
            continue;
        };
        let status = Status::parse(record.get(status_col).unwrap_or_default());
        entries.push(Catastro::pack(ruc, status));
    }
    Ok(())
}

/// A RUC cell as a number: 13 digits (a quoted or spaced cell is trimmed first).
fn ruc_number(cell: &[u8]) -> Option<u64> {
    let cell = cell.trim_ascii();
    if cell.len() != 13 || !cell.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(cell.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0')))
}

/// Loads every `.csv`/`.txt` file of a zip, as the SRI publishes the large provinces.
pub fn load_zip(path: &Path) -> Result<Catastro, CatastroError> {
    let file = std::fs::File::open(path).map_err(|e| CatastroError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| CatastroError::unusable(path, errors::ZIP_DAMAGED.with("detail", e)))?;
    let mut entries = Vec::new();
    let mut files = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| CatastroError::unusable(path, errors::ZIP_DAMAGED.with("detail", e)))?;
        let name = entry
            .name()
            .map_err(|e| CatastroError::unusable(path, errors::ZIP_DAMAGED.with("detail", e)))?
            .into_owned();
        let lower = name.to_ascii_lowercase();
        if entry.is_dir() || !(lower.ends_with(".csv") || lower.ends_with(".txt")) {
            continue;
        }
        let inner = path.join(&name);
        read_into(&inner, entry, &mut entries)?;
        files += 1;
    }
    if files == 0 {
        return Err(CatastroError::unusable(path, errors::ZIP_NO_CSV.msg()));
    }
    Ok(Catastro::from_pairs(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_pipes_and_both_layouts() {
        let current = "\u{feff}NUMERO_RUC|RAZON_SOCIAL|ESTADO_CONTRIBUYENTE|NUMERO_ESTABLECIMIENTO\n\
                       1790011674001|\"ACME | Hijos\"|ACTIVO|1\n\
                       1790011674001|\"ACME | Hijos\"|ACTIVO|2\n\
                       0428813992001|PEREZ|SUSPENDIDO|1\n";
        let c = load_csv(Path::new("x.csv"), current.as_bytes()).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(1790011674001), Some(Status::Activo));
        assert_eq!(c.get(428813992001), Some(Status::Suspendido));
        let older = "PROVINCIA_JURISDICCION|NUMERO_RUC|NOMBRE_COMERCIAL|ESTADO_CONTRIBUYENTE\r\nGUAYAS|0992397535001|\"X\"|PASIVO\r\n";
        let c = load_csv(Path::new("y.csv"), older.as_bytes()).unwrap();
        assert_eq!(c.get(992397535001), Some(Status::Pasivo));
        assert!(load_csv(Path::new("z.csv"), "A|B\n1|2\n".as_bytes()).is_err());
        assert!(load_csv(Path::new("z.csv"), "".as_bytes()).is_err());
    }
}
