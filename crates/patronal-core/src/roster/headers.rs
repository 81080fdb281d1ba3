//! Reading a roster's header row the way people write headers, and finding that row below
//! any title lines (docs/rules.md, "Roster columns").
//!
//! A header is read as words: lowercase, without accents, `_` `-` `/` `.` and spaces
//! between words, camel case split (`NumeroRuc`), dotted initials joined (`C.I.`,
//! `R.U.C.`), `e-mail` one word. The filler words that say nothing about which field it is
//! ([`FILLERS`]: número, de, del, empleador, empresa, patronal, registrado, IESS…) are set
//! aside, and what is left must be one of a field's readings ([`SENSES`]): `Número de
//! cédula` and `Cédula del empleador` are `cedula`, `Correo IESS` is `correo`, `Estado RUC`
//! is `estado ruc` (the status, not the RUC). Each reading has a weight: among the headers
//! read as one field, the most specific wins (`Cédula` over a row-number column called
//! `ID`); two headers of the same weight are a tie, said and never guessed.
//!
//! When no header names `id`, `ruc` or `email`, the cells do ([`infer_from_cells`]): the
//! column where at least nine in ten of the non-blank cells are cédulas, RUCs or
//! addresses.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::finding::Field;
use crate::text::fold;

impl Field {
    /// Whether a roster without this column is refused: `id` and `ruc`.
    pub(crate) fn is_required(self) -> bool {
        matches!(self, Field::Id | Field::Ruc)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Words that say nothing about which field a header is: set aside before a header is read.
/// (`no` is one only before a noun: `No. RUC`, not `No tiene clave`.)
pub(crate) const FILLERS: &[&str] = &[
    // Number markers: `Número de cédula`, `Nº RUC`, `Nro. sucursal`, `ID number`.
    "numero",
    "num",
    "nro",
    "nr",
    "n",
    "no",
    "number",
    "nbr",
    // Articles and prepositions.
    "de",
    "del",
    "la",
    "el",
    "los",
    "las",
    "lo",
    "su",
    "sus",
    "en",
    "al",
    "a",
    "por",
    "para",
    "o",
    "u",
    "y",
    "the",
    "of",
    "for",
    "at",
    "in",
    "to",
    "s",
    // Whose: every column of an employer roster is the employer's.
    "empleador",
    "empleadora",
    "empleadores",
    "patronal",
    "patrono",
    "empresa",
    "compania",
    "company",
    "employer",
    "employers",
    // Where it is registered, and other qualifiers.
    "registrado",
    "registrada",
    "registro",
    "iess",
    "sri",
    "electronico",
    "electronica",
    "contacto",
    "actual",
    "oficial",
    "principal",
    "completo",
    "completa",
    // A yes/no column's own note (`Primera vez sí/no`), and a question's verb (`¿Es
    // primera vez?`).
    "si",
    "es",
];

/// Words before which `no` is a word of its own, not a number marker (`No tiene clave`).
const NOT_A_NUMBER_MARKER: &[&str] = &["tiene", "posee", "cuenta", "has", "tengo"];

/// How much a reading of a field says: among the headers read as one field, the most
/// specific wins.
type Weight = u8;

/// A field's readings: the words left once the fillers are set aside (in any order), and how
/// specific they are.
pub(crate) const SENSES: &[(Field, &str, Weight)] = &[
    (Field::Id, "cedula", 3),
    (Field::Id, "identificacion", 3),
    (Field::Id, "identification", 3),
    (Field::Id, "cedula identidad", 3),
    (Field::Id, "cedula ciudadania", 3),
    (Field::Id, "documento identidad", 3),
    (Field::Id, "cedula pasaporte", 3),
    (Field::Id, "cedula representante", 3),
    (Field::Id, "cedula representante legal", 3),
    (Field::Id, "identificacion representante legal", 3),
    (Field::Id, "ci representante legal", 3),
    (Field::Id, "cedula rep legal", 3),
    (Field::Id, "ci rep legal", 3),
    (Field::Id, "documento", 2),
    (Field::Id, "document", 2),
    (Field::Id, "doc", 2),
    (Field::Id, "ci", 2),
    (Field::Id, "identidad", 2),
    (Field::Id, "id", 1),
    (Field::Ruc, "ruc", 3),
    (Field::Ruc, "ruc contribuyente", 3),
    (Field::Ruc, "tax id", 2),
    (Field::Sucursal, "sucursal", 3),
    (Field::Sucursal, "establecimiento", 3),
    (Field::Sucursal, "branch", 3),
    (Field::Sucursal, "cod sucursal", 3),
    (Field::Sucursal, "codigo sucursal", 3),
    (Field::Sucursal, "codigo establecimiento", 3),
    (Field::Sucursal, "branch code", 3),
    (Field::Sucursal, "cod suc", 3),
    (Field::Sucursal, "suc", 2),
    (Field::Email, "correo", 3),
    (Field::Email, "correos", 3),
    (Field::Email, "email", 3),
    (Field::Email, "emails", 3),
    (Field::Email, "mail", 3),
    (Field::Email, "email address", 3),
    (Field::Email, "direccion correo", 3),
    (Field::RucStatus, "estado ruc", 3),
    (Field::RucStatus, "estado contribuyente", 3),
    (Field::RucStatus, "estado tributario", 3),
    (Field::RucStatus, "situacion ruc", 3),
    (Field::RucStatus, "ruc status", 3),
    (Field::RucStatus, "tax status", 3),
    (Field::RucStatus, "estado", 2),
    (Field::RucStatus, "status", 2),
    (Field::RucStatus, "situacion", 2),
    (Field::FirstTime, "primera vez", 3),
    (Field::FirstTime, "primera clave", 3),
    (Field::FirstTime, "clave nueva", 3),
    (Field::FirstTime, "first time", 3),
    (Field::FirstTime, "first key", 3),
    (Field::FirstTime, "new key", 3),
    (Field::FirstTime, "nuevo", 2),
    (Field::FirstTime, "nueva", 2),
    (Field::HasKey, "tiene clave", 3),
    (Field::HasKey, "posee clave", 3),
    (Field::HasKey, "cuenta con clave", 3),
    (Field::HasKey, "has key", 3),
    (Field::EmployerType, "tipo contribuyente", 3),
    (Field::EmployerType, "tipo persona", 3),
    (Field::EmployerType, "tipo", 2),
    (Field::EmployerType, "type", 2),
    (Field::IdType, "tipo identificacion", 3),
    (Field::IdType, "tipo documento", 3),
    (Field::IdType, "tipo doc", 3),
    (Field::IdType, "tipo id", 3),
    (Field::IdType, "id type", 3),
    (Field::IdType, "document type", 3),
    (Field::IdType, "identification type", 3),
    (Field::Name, "razon social", 3),
    (Field::Name, "business name", 3),
    (Field::Name, "nombre", 2),
    (Field::Name, "nombres", 2),
    (Field::Name, "name", 2),
    (Field::Name, "nombre apellido", 2),
    (Field::Name, "nombres apellidos", 2),
    (Field::Name, "cliente", 2),
    (Field::Name, "client", 2),
    (Field::Name, "contribuyente", 2),
    (Field::Name, "denominacion", 2),
    (Field::Name, "nombre comercial", 1),
    (Field::Name, "trade name", 1),
];

/// Readings of a header made of filler words alone (`Empleador`, `Empresa`): the name.
const FILLERS_ALONE: &[(Field, &str, Weight)] = &[
    (Field::Name, "empleador", 1),
    (Field::Name, "empleadora", 1),
    (Field::Name, "empresa", 1),
    (Field::Name, "employer", 1),
    (Field::Name, "company", 1),
    (Field::Name, "patrono", 1),
];

/// Headers written as one word with nothing between the words (`nrocedula`), folded: read
/// when the words give nothing.
const GLUED: &[(Field, &str, Weight)] = &[
    (Field::Id, "idempleador", 1),
    (Field::Id, "cedulaempleador", 3),
    (Field::Id, "cedularepresentantelegal", 3),
    (Field::Id, "numeroidentificacion", 3),
    (Field::Id, "employerid", 1),
    (Field::Id, "numerodeidentificacion", 3),
    (Field::Id, "nidentificacion", 3),
    (Field::Id, "nrocedula", 3),
    (Field::Id, "nocedula", 3),
    (Field::Id, "numerocedula", 3),
    (Field::Id, "ncedula", 3),
    (Field::Id, "cedulaidentidad", 3),
    (Field::Id, "cedulaorepresentante", 3),
    (Field::Ruc, "rucempleador", 3),
    (Field::Ruc, "numeroruc", 3),
    (Field::Ruc, "noruc", 3),
    (Field::Ruc, "nroruc", 3),
    (Field::Ruc, "nruc", 3),
    (Field::Ruc, "employerruc", 3),
    (Field::Ruc, "numeroderuc", 3),
    (Field::Ruc, "rucdelempleador", 3),
    (Field::Sucursal, "numerosucursal", 3),
    (Field::Sucursal, "nosucursal", 3),
    (Field::Sucursal, "nrosucursal", 3),
    (Field::Sucursal, "codsucursal", 3),
    (Field::Sucursal, "codigosucursal", 3),
    (Field::Sucursal, "nsucursal", 3),
    (Field::Sucursal, "numerodesucursal", 3),
    (Field::Email, "correoelectronico", 3),
    (Field::Email, "emailempleador", 3),
    (Field::Email, "correoempleador", 3),
    (Field::RucStatus, "estadoruc", 3),
    (Field::RucStatus, "estadocontribuyente", 3),
    (Field::RucStatus, "rucstatus", 3),
    (Field::RucStatus, "estadodelruc", 3),
    (Field::FirstTime, "primeravez", 3),
    (Field::FirstTime, "firsttime", 3),
    (Field::FirstTime, "clavenueva", 3),
    (Field::HasKey, "tieneclave", 3),
    (Field::HasKey, "haskey", 3),
    (Field::EmployerType, "tipoempleador", 2),
    (Field::EmployerType, "employertype", 2),
    (Field::EmployerType, "tipodeempleador", 2),
    (Field::IdType, "tipoidentificacion", 3),
    (Field::IdType, "tipodocumento", 3),
    (Field::IdType, "idtype", 3),
    (Field::IdType, "tipodeidentificacion", 3),
    (Field::IdType, "tipodedocumento", 3),
    (Field::Name, "razonsocial", 3),
    (Field::Name, "nombreempleador", 2),
];

/// Words of a header that names someone else's data or a telephone: such a column is never
/// taken from its cells (`Cédula del cónyuge`, `Correo del contador`, `Celular`).
const SOMEONE_ELSE: &[&str] = &[
    "contador",
    "contadora",
    "accountant",
    "conyuge",
    "spouse",
    "trabajador",
    "empleado",
    "afiliado",
    "employee",
    "telefono",
    "celular",
    "movil",
    "phone",
    "mobile",
    "fax",
];

/// A header's words (see the module's documentation).
pub(crate) fn words(header: &str) -> Vec<String> {
    // Tokens, each with the separator text that follows it.
    let mut tokens: Vec<(String, String)> = Vec::new();
    let mut word = String::new();
    let mut gap = String::new();
    let mut previous: Option<char> = None;
    for c in header.chars() {
        let letter = c.is_alphanumeric() && !matches!(c, 'º' | 'ª' | '°');
        if !letter {
            if !word.is_empty() {
                tokens.push((std::mem::take(&mut word), String::new()));
            }
            if let Some(last) = tokens.last_mut() {
                last.1.push(c);
            } else {
                gap.push(c);
            }
            previous = None;
            continue;
        }
        let folded = fold(c.encode_utf8(&mut [0; 4]));
        let Some(f) = folded.chars().next() else {
            continue;
        };
        // A new word where the case rises (`NumeroRuc`) or digits meet letters (`Correo2`).
        let boundary = previous.is_some_and(|p| {
            (p.is_lowercase() && c.is_uppercase()) || (p.is_ascii_digit() != f.is_ascii_digit())
        });
        if boundary && !word.is_empty() {
            tokens.push((std::mem::take(&mut word), String::new()));
        }
        word.push_str(&folded);
        previous = Some(c);
    }
    if !word.is_empty() {
        tokens.push((word, String::new()));
    }
    // Dotted initials are one word (`C.I.`, `R. U. C.`); `e-mail` is one word.
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let (t, sep) = &tokens[i];
        let dotted = |s: &str| s.trim() == ".";
        if t.chars().count() == 1
            && dotted(sep)
            && tokens
                .get(i + 1)
                .is_some_and(|(n, _)| n.chars().count() == 1 && n.chars().all(char::is_alphabetic))
        {
            let mut joined = t.clone();
            let mut j = i;
            while j + 1 < tokens.len()
                && dotted(&tokens[j].1)
                && tokens[j + 1].0.chars().count() == 1
                && tokens[j + 1].0.chars().all(char::is_alphabetic)
            {
                joined.push_str(&tokens[j + 1].0);
                j += 1;
            }
            out.push(joined);
            i = j + 1;
            continue;
        }
        if t == "e" && tokens.get(i + 1).is_some_and(|(n, _)| n == "mail") {
            out.push("email".to_owned());
            i += 2;
            continue;
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

/// The words of a header once the fillers are set aside; `None` when only fillers are left
/// (the header is then read with them, for [`FILLERS_ALONE`]).
fn meaningful(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let marker = w.as_str() == "no"
                && words
                    .get(i + 1)
                    .is_some_and(|n| NOT_A_NUMBER_MARKER.contains(&n.as_str()));
            marker || !FILLERS.contains(&w.as_str())
        })
        .map(|(_, w)| w.as_str())
        .collect()
}

/// Words as a key: sorted, each once, joined by spaces (`ruc estado` → `estado ruc`).
fn key<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.into_iter().collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// Readings by their key ([`key`]): built once, so that a header is read with one lookup
/// (a roster may have hundreds of thousands of header cells).
fn readings(senses: &'static [(Field, &'static str, Weight)]) -> HashMap<String, (Field, Weight)> {
    senses
        .iter()
        .map(|&(field, reading, weight)| (key(reading.split(' ')), (field, weight)))
        .collect()
}

/// The readings each word is in, by word: for [`covered`].
fn by_word() -> &'static HashMap<&'static str, Vec<usize>> {
    static BY_WORD: OnceLock<HashMap<&'static str, Vec<usize>>> = OnceLock::new();
    BY_WORD.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, (_, reading, _)) in SENSES.iter().enumerate() {
            for word in reading.split(' ') {
                map.entry(word).or_default().push(i);
            }
        }
        map
    })
}

/// The field whose readings, each made of words of the header, together cover all of its
/// `words`: `Identificación (C.I.)` is `identificacion` and `ci`, both `id`'s; `Razón social /
/// Nombre` is `razon social` and `nombre`, both `name`'s. `None` when no field covers them,
/// or when two do (said elsewhere: never guessed). The weight is the heaviest reading used.
fn covered(words: &[&str]) -> Option<(Field, Weight)> {
    let index = by_word();
    let mut found: Option<(Field, Weight)> = None;
    for field in Field::ALL {
        let mut weight = 0;
        let mut left: Vec<&str> = words.to_vec();
        let candidates = words.iter().filter_map(|w| index.get(w)).flatten().copied();
        for i in candidates {
            let (f, reading, w) = SENSES[i];
            if f != field || !reading.split(' ').all(|r| words.contains(&r)) {
                continue;
            }
            left.retain(|l| !reading.split(' ').any(|r| r == *l));
            weight = weight.max(w);
        }
        if weight > 0 && left.is_empty() {
            if found.is_some() {
                return None;
            }
            found = Some((field, weight));
        }
    }
    found
}

/// The longest header read, in bytes: the longest header in the table test is under 60.
const MAX_HEADER_LEN: usize = 256;

/// The field a header names, and how specifically; `None` for a header of no field
/// (`Teléfono`, `Nº`, `Observaciones`). A header whose words name no field is read again
/// without what it holds in brackets (`Primera vez (S/N)`, `Cédula (10 dígitos)`).
pub(crate) fn read_header(header: &str) -> Option<(Field, Weight)> {
    // A header is a few words. A longer cell is no field's name: a whole line read under
    // another delimiter while it is sniffed (2.6 MB for a header of 300,000 cells) took 13 G
    // instructions to split into words and sort.
    if header.len() > MAX_HEADER_LEN {
        return None;
    }
    read_words(header).or_else(|| {
        let outside: String = {
            let mut depth = 0usize;
            header
                .chars()
                .filter(|&c| {
                    match c {
                        '(' | '[' => depth += 1,
                        ')' | ']' => depth = depth.saturating_sub(1),
                        _ => return depth == 0,
                    }
                    false
                })
                .collect()
        };
        (outside.len() < header.len())
            .then(|| read_words(&outside))
            .flatten()
    })
}

/// [`read_header`] on the header as it is.
fn read_words(header: &str) -> Option<(Field, Weight)> {
    static SENSE_KEYS: OnceLock<HashMap<String, (Field, Weight)>> = OnceLock::new();
    static ALONE_KEYS: OnceLock<HashMap<String, (Field, Weight)>> = OnceLock::new();
    let all = words(header);
    if all.is_empty() {
        return None;
    }
    let left = meaningful(&all);
    let read = if left.is_empty() {
        let alone = ALONE_KEYS.get_or_init(|| readings(FILLERS_ALONE));
        alone.get(&key(all.iter().map(String::as_str))).copied()
    } else {
        let senses = SENSE_KEYS.get_or_init(|| readings(SENSES));
        senses
            .get(&key(left.iter().copied()))
            .copied()
            .or_else(|| covered(&left))
    };
    read.or_else(|| {
        let glued = fold(header);
        GLUED
            .iter()
            .find(|(_, g, _)| *g == glued.as_str())
            .map(|&(field, _, weight)| (field, weight))
    })
}

/// How a field's column was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Its header reads as the field.
    Header,
    /// `--map field=Header`.
    Map,
    /// No header names it: `matching` of the `of` non-blank cells read (below the header)
    /// look like the field's values.
    Cells {
        /// Cells that look like the field's.
        matching: usize,
        /// Non-blank cells read.
        of: usize,
    },
}

/// Which cell of a record holds each field, and how each was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap {
    index: [Option<usize>; Field::ALL.len()],
    found: [Option<Found>; Field::ALL.len()],
    /// Fields that two or more columns could be, equally (by header or by cells): their
    /// columns. Said, never guessed: the field has no column.
    ties: Vec<(Field, Vec<usize>)>,
    /// Fields mapped to no column on purpose (`--map email=`, the page's "none"): neither
    /// headers nor cells give them one.
    none: Vec<Field>,
}

impl ColumnMap {
    /// The index of the cell that holds field `c`, if a column was found for it.
    pub fn get(&self, c: Field) -> Option<usize> {
        self.index[c as usize]
    }

    /// Field `c` is in cell `i`, its header read as the field.
    pub fn set(&mut self, c: Field, i: usize) {
        self.set_found(c, i, Found::Header);
    }

    /// Field `c` is in cell `i`, found as `found` says.
    pub(crate) fn set_found(&mut self, c: Field, i: usize, found: Found) {
        self.index[c as usize] = Some(i);
        self.found[c as usize] = Some(found);
        self.ties.retain(|(f, _)| *f != c);
    }

    /// How field `c`'s column was found.
    pub fn found(&self, c: Field) -> Option<&Found> {
        self.found[c as usize].as_ref()
    }

    /// The columns that field `c` could be, equally, when none was chosen for it.
    pub fn tied(&self, c: Field) -> &[usize] {
        self.ties
            .iter()
            .find(|(f, _)| *f == c)
            .map_or(&[], |(_, columns)| columns)
    }

    /// The required fields that no column was found for.
    pub fn missing(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|c| c.is_required() && self.get(*c).is_none())
            .collect()
    }

    /// How many fields have a column.
    pub(crate) fn matched(&self) -> usize {
        self.index.iter().flatten().count()
    }

    /// Whether cell `i` holds a field.
    fn taken(&self, i: usize) -> bool {
        self.index.contains(&Some(i))
    }
}

/// A `--map field=Header` override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapOverride {
    /// The field being mapped.
    pub column: Field,
    /// The header that holds it, trimmed; matched as headers are, ignoring case, accents,
    /// spaces and punctuation ([`crate::text::fold`]).
    pub header: String,
}

impl std::str::FromStr for MapOverride {
    type Err = crate::i18n::Message;

    fn from_str(s: &str) -> Result<Self, crate::i18n::Message> {
        use crate::i18n::errors;
        let (field, header) = s
            .split_once('=')
            .ok_or_else(|| errors::MAP_SYNTAX.with("value", format!("{s:?}")))?;
        let column = Field::from_name(field.trim()).ok_or_else(|| {
            let names: Vec<_> = Field::ALL.iter().map(|c| c.as_str()).collect();
            errors::MAP_UNKNOWN_FIELD
                .with("field", format!("{field:?}"))
                .with("fields", names.join(", "))
        })?;
        Ok(MapOverride {
            column,
            header: header.trim().to_owned(),
        })
    }
}

/// Matches one header row: `--map` first (a name that wins when the row has it), then each
/// field takes the header read as it most specifically; headers read as one field equally
/// specifically are a tie, said and never guessed. A mapping whose header is not in the row
/// forces nothing: the field is found by its usual names (rosters of several layouts in one
/// run), and when none matches the caller reports it missing, with the headers found.
/// A mapping to no header (`--map email=`, the page's "none") leaves the field without a
/// column, whatever the row's headers.
pub fn match_headers(headers: &[String], overrides: &[MapOverride]) -> ColumnMap {
    let mut map = ColumnMap::default();
    let mut by_override = vec![false; headers.len()];
    if !overrides.is_empty() {
        let folded: Vec<compact_str::CompactString> = headers.iter().map(|h| fold(h)).collect();
        for o in overrides {
            if map.get(o.column).is_some() || map.none.contains(&o.column) {
                continue;
            }
            if o.header.trim().is_empty() {
                map.none.push(o.column);
                continue;
            }
            let want = fold(&o.header);
            if let Some(i) = (0..folded.len()).find(|&i| !by_override[i] && folded[i] == want) {
                map.set_found(o.column, i, Found::Map);
                by_override[i] = true;
            }
        }
    }
    // Per field, the best weight seen and the headers that have it.
    let mut best: [(Weight, Vec<usize>); Field::ALL.len()] = Default::default();
    for (i, header) in headers.iter().enumerate() {
        if by_override[i] {
            continue;
        }
        let Some((field, weight)) = read_header(header) else {
            continue;
        };
        let slot = &mut best[field as usize];
        if weight > slot.0 {
            *slot = (weight, vec![i]);
        } else if weight == slot.0 {
            slot.1.push(i);
        }
    }
    for field in Field::ALL {
        if map.get(field).is_some() || map.none.contains(&field) {
            continue;
        }
        match best[field as usize].1.as_slice() {
            [] => {}
            [one] => map.set_found(field, *one, Found::Header),
            // The same header written twice: the first, as `--map` would take it (nothing
            // else could tell them apart).
            [first, rest @ ..]
                if rest
                    .iter()
                    .all(|&i| fold(&headers[i]) == fold(&headers[*first])) =>
            {
                map.set_found(field, *first, Found::Header)
            }
            tied => map.ties.push((field, tied.to_vec())),
        }
    }
    map
}

/// How many leading rows may hold titles or blanks above the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// How many rows below the header are read to find a column from its cells.
pub(crate) const INFER_ROWS: usize = 200;

/// A column is a field's by its cells when at least 9 in 10 of its non-blank cells look
/// like the field's values.
const INFER_SHARE: (usize, usize) = (9, 10);

/// Whether a row holds a number that no header has: an identifier's digits (six or more)
/// or Excel's scientific notation. Such a row is data, never the header (`1714307103,valid,
/// cedula` names no column, whatever its words).
fn holds_a_number(row: &[String]) -> bool {
    row.iter()
        .any(|cell| super::footer::digits_shaped(cell.as_bytes()))
}

/// Picks the header row among the first rows: the first that has every required field, else
/// the one that matches the most fields; a row that holds an identifier's digits is data,
/// never the header. Returns its index and map.
pub(crate) fn find_header_row(
    rows: &[Vec<String>],
    overrides: &[MapOverride],
) -> Option<(usize, ColumnMap)> {
    let mut best: Option<(usize, ColumnMap)> = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        if holds_a_number(row) {
            continue;
        }
        let map = match_headers(row, overrides);
        if map.missing().is_empty() {
            return Some((i, map));
        }
        if map.matched() > best.as_ref().map_or(0, |(_, m)| m.matched()) {
            best = Some((i, map));
        }
    }
    best
}

/// Finds the header row among `rows` (the first rows of a table) and the columns: by their
/// headers ([`find_header_row`]), then, for `id`, `ruc` and `email` when no header names
/// them, by the cells of the rows below ([`infer_from_cells`]). When no row names any field,
/// the first row of several text cells and no identifier is taken for the header, and the
/// cells must say it all.
pub(crate) fn locate(
    rows: &[Vec<String>],
    overrides: &[MapOverride],
) -> Option<(usize, ColumnMap)> {
    let (index, mut map) = match find_header_row(rows, overrides) {
        Some(found) => found,
        None => {
            let index = rows.iter().take(HEADER_SEARCH_ROWS).position(|row| {
                let texts = row.iter().filter(|c| !c.trim().is_empty()).count();
                texts >= 2 && !holds_a_number(row)
            })?;
            (index, ColumnMap::default())
        }
    };
    let below = &rows[index + 1..rows.len().min(index + 1 + INFER_ROWS)];
    infer_from_cells(&mut map, &rows[index], below);
    Some((index, map))
}

/// What a field's values look like, for [`infer_from_cells`].
fn looks_like(field: Field, cell: &str) -> bool {
    use crate::ecuador::normalize::{Cleaned, clean, is_ascii_digits, scientific_width};
    let shaped = |digits: &str, lens: [usize; 2], thirds: &[u8]| {
        if !is_ascii_digits(digits) || !lens.contains(&digits.len()) {
            return false;
        }
        // Zero-padded to the full width: a lost leading zero still reads as its province.
        let full = crate::ecuador::zero_pad(digits, lens[1]);
        let b = full.as_bytes();
        let province = (b[0] - b'0') * 10 + (b[1] - b'0');
        matches!(province, 1..=24 | 30 | 50) && thirds.contains(&b[2])
    };
    match field {
        Field::Email => cell.contains('@'),
        Field::Id | Field::Ruc => {
            let (lens, thirds): ([usize; 2], &[u8]) = match field {
                Field::Id => ([9, 10], b"0123456"),
                _ => ([12, 13], b"01234569"),
            };
            match clean(cell) {
                Cleaned::Value(v) => shaped(&v, lens, thirds),
                Cleaned::Scientific => scientific_width(cell).is_some_and(|w| lens.contains(&w)),
                Cleaned::Empty => false,
            }
        }
        _ => false,
    }
}

/// Finds `id`, `ruc` and `email` by the cells of `rows` (below the header row `headers`)
/// when no header names them: the column where at least 9 in 10 of the non-blank cells
/// look like cédulas (10 digits, or 9 that lost their zero, of a province and a third digit
/// a cédula has), RUCs (13 or 12 digits) or addresses (an `@`). Rows that read as a
/// footer are not counted; a column whose header names someone else's data or a telephone
/// is never taken. Two columns that fit equally well are a tie, said and never guessed.
pub(crate) fn infer_from_cells(map: &mut ColumnMap, headers: &[String], rows: &[Vec<String>]) {
    let wanted = |f: Field| map.get(f).is_none() && map.tied(f).is_empty();
    if ![Field::Id, Field::Ruc, Field::Email]
        .into_iter()
        .any(wanted)
    {
        return;
    }
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|row| {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            !super::footer::footer_like(&cells)
        })
        .collect();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    for field in [Field::Id, Field::Ruc, Field::Email] {
        if map.get(field).is_some() || !map.tied(field).is_empty() || map.none.contains(&field) {
            continue;
        }
        let mut fits: Vec<(usize, usize, usize)> = Vec::new();
        for column in 0..width {
            if map.taken(column) {
                continue;
            }
            let cells = rows
                .iter()
                .filter_map(|r| r.get(column))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty());
            let (mut of, mut matching) = (0, 0);
            for cell in cells {
                of += 1;
                matching += usize::from(looks_like(field, cell));
            }
            // The header is read only for a column whose cells fit (a roster may have
            // hundreds of thousands of columns).
            let someone_else = || {
                let header = headers.get(column).map_or("", String::as_str);
                words(header)
                    .iter()
                    .any(|w| SOMEONE_ELSE.contains(&w.as_str()))
            };
            if of > 0 && matching * INFER_SHARE.1 >= of * INFER_SHARE.0 && !someone_else() {
                fits.push((column, matching, of));
            }
        }
        // The best share wins; columns of an equal share are a tie.
        let share = |f: &(usize, usize, usize)| (f.1, f.2);
        let best = fits
            .iter()
            .copied()
            .max_by(|a, b| (a.1 * b.2).cmp(&(b.1 * a.2)));
        let Some(best) = best else {
            continue;
        };
        let (m, o) = share(&best);
        let tied: Vec<usize> = fits
            .iter()
            .filter(|f| f.1 * o == m * f.2)
            .map(|f| f.0)
            .collect();
        if tied.len() > 1 {
            map.ties.push((field, tied));
        } else {
            map.set_found(field, best.0, Found::Cells { matching: m, of: o });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    /// Headers as people write them, in both languages, and the field each gives (`None`:
    /// no field).
    const TABLE: &[(&str, Option<Field>)] = &[
        // The headers: refused before, each a field now.
        ("Número de cédula", Some(Field::Id)),
        ("Cédula de identidad", Some(Field::Id)),
        ("Cédula del empleador", Some(Field::Id)),
        ("Identificación del empleador", Some(Field::Id)),
        ("RUC empresa", Some(Field::Ruc)),
        ("Número de identificación", Some(Field::Id)),
        ("Cedula Identidad", Some(Field::Id)),
        ("RUC del empleador", Some(Field::Ruc)),
        ("Correo IESS", Some(Field::Email)),
        ("Correo del empleador", Some(Field::Email)),
        ("Email IESS", Some(Field::Email)),
        ("E-mail registrado", Some(Field::Email)),
        ("Mail de contacto", Some(Field::Email)),
        // Punctuation, case and accents.
        ("N° RUC", Some(Field::Ruc)),
        ("No. RUC", Some(Field::Ruc)),
        ("Nro. RUC", Some(Field::Ruc)),
        ("Nº Cédula", Some(Field::Id)),
        ("C.I.", Some(Field::Id)),
        ("R.U.C.", Some(Field::Ruc)),
        ("NUMERO_RUC", Some(Field::Ruc)),
        ("cedula_empleador", Some(Field::Id)),
        ("CEDULA", Some(Field::Id)),
        ("NumeroRuc", Some(Field::Ruc)),
        ("nrocedula", Some(Field::Id)),
        ("E_MAIL", Some(Field::Email)),
        ("Correo electrónico", Some(Field::Email)),
        ("Dirección de correo electrónico", Some(Field::Email)),
        ("Cédula / Pasaporte", Some(Field::Id)),
        ("Cédula representante legal", Some(Field::Id)),
        ("Documento", Some(Field::Id)),
        ("CI", Some(Field::Id)),
        ("ID", Some(Field::Id)),
        // The other fields.
        ("Sucursal", Some(Field::Sucursal)),
        ("Nro. de sucursal", Some(Field::Sucursal)),
        ("Código de sucursal IESS", Some(Field::Sucursal)),
        ("Establecimiento", Some(Field::Sucursal)),
        ("Número de establecimiento", Some(Field::Sucursal)),
        ("Estado RUC", Some(Field::RucStatus)),
        ("Estado del RUC", Some(Field::RucStatus)),
        ("Estado contribuyente SRI", Some(Field::RucStatus)),
        ("Estado", Some(Field::RucStatus)),
        ("Primera vez", Some(Field::FirstTime)),
        ("¿Primera clave?", Some(Field::FirstTime)),
        ("Clave nueva", Some(Field::FirstTime)),
        ("Tiene clave patronal", Some(Field::HasKey)),
        ("¿Tiene clave?", Some(Field::HasKey)),
        ("Tipo de empleador", Some(Field::EmployerType)),
        ("Tipo", Some(Field::EmployerType)),
        ("Tipo de identificación", Some(Field::IdType)),
        ("Tipo documento", Some(Field::IdType)),
        ("Razón social", Some(Field::Name)),
        ("Nombre del empleador", Some(Field::Name)),
        ("Nombres y apellidos", Some(Field::Name)),
        ("Empleador", Some(Field::Name)),
        ("Empresa", Some(Field::Name)),
        ("Cliente", Some(Field::Name)),
        // English.
        ("Employer ID", Some(Field::Id)),
        ("ID number", Some(Field::Id)),
        ("Identification", Some(Field::Id)),
        ("Employer RUC", Some(Field::Ruc)),
        ("Tax ID", Some(Field::Ruc)),
        ("Branch", Some(Field::Sucursal)),
        ("Branch code", Some(Field::Sucursal)),
        ("Email address", Some(Field::Email)),
        ("E-mail", Some(Field::Email)),
        ("Employer's email", Some(Field::Email)),
        ("RUC status", Some(Field::RucStatus)),
        ("Status", Some(Field::RucStatus)),
        ("First time", Some(Field::FirstTime)),
        ("Has key", Some(Field::HasKey)),
        ("Employer type", Some(Field::EmployerType)),
        ("ID type", Some(Field::IdType)),
        ("Document type", Some(Field::IdType)),
        ("Name", Some(Field::Name)),
        ("Company name", Some(Field::Name)),
        ("Business name", Some(Field::Name)),
        // Several words of one field, brackets, a question.
        ("Identificación (C.I.)", Some(Field::Id)),
        ("Cédula / Documento", Some(Field::Id)),
        ("Correo electrónico / E-mail", Some(Field::Email)),
        ("Razón social / Nombre", Some(Field::Name)),
        ("Primera vez (S/N)", Some(Field::FirstTime)),
        ("¿Es primera vez?", Some(Field::FirstTime)),
        ("Primera vez sí/no", Some(Field::FirstTime)),
        ("RUC del empleador (13 dígitos)", Some(Field::Ruc)),
        ("Cédula Rep. Legal", Some(Field::Id)),
        ("Cod. Suc.", Some(Field::Sucursal)),
        ("# RUC", Some(Field::Ruc)),
        // No field: they must match nothing.
        ("Cédula o RUC", None),
        ("RUC / CI", None),
        ("Nombre del representante legal", None),
        ("Nº", None),
        ("No.", None),
        ("Número", None),
        ("Teléfono", None),
        ("Teléfono de contacto", None),
        ("Celular", None),
        ("Dirección", None),
        ("Observaciones", None),
        ("Notas", None),
        ("Ciudad", None),
        ("Fecha de registro", None),
        ("Estado civil", None),
        ("Correo del contador", None),
        ("Cédula del cónyuge", None),
        ("Correo 2", None),
        ("Clave", None),
        ("IESS", None),
        ("Phone", None),
        ("Address", None),
        ("Notes", None),
        ("", None),
    ];

    #[test]
    fn headers_as_people_write_them() {
        assert!(TABLE.len() >= 60);
        let mut wrong = Vec::new();
        for &(header, field) in TABLE {
            let got = read_header(header).map(|(f, _)| f);
            if got != field {
                wrong.push(format!("{header:?}: {got:?}, expected {field:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_vocabulary_is_unambiguous() {
        // No reading is two fields', and none holds a filler word (it could never match).
        let mut seen: Vec<Vec<&str>> = Vec::new();
        for (field, reading, _) in SENSES {
            let mut w: Vec<&str> = reading.split(' ').collect();
            w.sort_unstable();
            assert!(!seen.contains(&w), "{reading:?} twice ({field:?})");
            for word in &w {
                assert!(!FILLERS.contains(word), "{reading:?}: {word:?} is a filler");
            }
            seen.push(w);
        }
        for (_, reading, _) in FILLERS_ALONE {
            assert!(FILLERS.contains(reading), "{reading:?}");
        }
    }

    #[test]
    fn words_of_a_header() {
        assert_eq!(words("N° RUC"), ["n", "ruc"]);
        assert_eq!(words("C.I."), ["ci"]);
        assert_eq!(words("R. U. C."), ["ruc"]);
        assert_eq!(words("E-mail registrado"), ["email", "registrado"]);
        assert_eq!(words("NumeroRuc"), ["numero", "ruc"]);
        assert_eq!(words("correo2"), ["correo", "2"]);
        assert_eq!(
            words("Identificación_Empleador"),
            ["identificacion", "empleador"]
        );
    }

    #[test]
    fn matches_ignoring_case_accents_and_punctuation() {
        let h = row(&[
            "Nº",
            "Razón Social",
            "CÉDULA",
            "N° RUC",
            "Sucursal",
            "E-mail",
            "Estado RUC",
            "Primera vez",
        ]);
        let m = match_headers(&h, &[]);
        assert_eq!(m.get(Field::Id), Some(2));
        assert_eq!(m.get(Field::Ruc), Some(3));
        assert_eq!(m.get(Field::Sucursal), Some(4));
        assert_eq!(m.get(Field::Email), Some(5));
        assert_eq!(m.get(Field::RucStatus), Some(6));
        assert_eq!(m.get(Field::FirstTime), Some(7));
        assert_eq!(m.get(Field::Name), Some(1));
        assert_eq!(m.found(Field::Id), Some(&Found::Header));
        assert!(m.missing().is_empty());
    }

    #[test]
    fn specific_aliases_win_over_generic_ones() {
        let m = match_headers(&row(&["ID", "Nombre", "Cédula", "RUC"]), &[]);
        assert_eq!(m.get(Field::Id), Some(2));
        // The status is not the RUC.
        let m = match_headers(&row(&["Estado RUC", "RUC", "Cédula"]), &[]);
        assert_eq!(
            (m.get(Field::Ruc), m.get(Field::RucStatus)),
            (Some(1), Some(0))
        );
        // A razón social over a plain "Empleador".
        let m = match_headers(&row(&["Empleador", "Razón social", "Cédula", "RUC"]), &[]);
        assert_eq!(m.get(Field::Name), Some(1));
    }

    #[test]
    fn a_tie_is_said_never_guessed() {
        let m = match_headers(
            &row(&["Cédula", "Identificación", "RUC", "Correo", "E-mail"]),
            &[],
        );
        assert_eq!(m.get(Field::Id), None);
        assert_eq!(m.tied(Field::Id), [0, 1]);
        assert_eq!(m.missing(), [Field::Id]);
        assert_eq!(m.get(Field::Email), None);
        assert_eq!(m.tied(Field::Email), [3, 4]);
        // `--map` settles it.
        let o: MapOverride = "id=Identificación".parse().unwrap();
        let m = match_headers(&row(&["Cédula", "Identificación", "RUC"]), &[o]);
        assert_eq!(m.get(Field::Id), Some(1));
        assert_eq!(m.found(Field::Id), Some(&Found::Map));
        assert!(m.tied(Field::Id).is_empty());
    }

    #[test]
    fn overrides_win() {
        let h = row(&["Documento", "Cédula del dueño", "RUC"]);
        let o: MapOverride = "id=cedula del dueño".parse().unwrap();
        let m = match_headers(&h, &[o]);
        assert_eq!(m.get(Field::Id), Some(1));
        assert!("nope=X".parse::<MapOverride>().is_err());
        assert!("id".parse::<MapOverride>().is_err());
    }

    #[test]
    fn an_override_absent_from_the_row_forces_nothing() {
        // `--map id="Cédula del dueño"` over a roster with the usual `Cédula` header.
        let o: MapOverride = "id=Cédula del dueño".parse().unwrap();
        let m = match_headers(&row(&["Cédula", "RUC"]), std::slice::from_ref(&o));
        assert_eq!(m.get(Field::Id), Some(0));
        assert!(m.missing().is_empty());
        // The first override found for a field wins; later ones do not move it.
        let other: MapOverride = "id=Cédula".parse().unwrap();
        let m = match_headers(&row(&["Cédula", "Cédula del dueño", "RUC"]), &[o, other]);
        assert_eq!(m.get(Field::Id), Some(1));
    }

    #[test]
    fn a_mapping_to_no_header_leaves_the_field_without_a_column() {
        let none: MapOverride = "email=".parse().unwrap();
        let m = match_headers(&row(&["Cédula", "RUC", "Correo"]), &[none]);
        assert_eq!(m.get(Field::Email), None);
        assert_eq!(m.get(Field::Id), Some(0));
        let none: MapOverride = "ruc= ".parse().unwrap();
        let m = match_headers(&row(&["Cédula", "RUC"]), &[none]);
        assert_eq!(m.missing(), [Field::Ruc]);
    }

    #[test]
    fn header_row_below_titles() {
        let rows = vec![
            row(&["Nómina de empleadores", "", ""]),
            row(&["", "", ""]),
            row(&["Cédula", "RUC", "Correo"]),
            row(&["0428813992", "0428813992001", "a@b.ec"]),
        ];
        let (i, m) = find_header_row(&rows, &[]).unwrap();
        assert_eq!(i, 2);
        assert_eq!(m.get(Field::Email), Some(2));
    }

    #[test]
    fn a_row_of_data_is_never_the_header() {
        // A list of numbers whose third column happens to say `cedula`.
        let rows = vec![
            row(&["number", "expected", "why"]),
            row(&["1714307103", "valid", "cedula"]),
            row(&["0926687856", "valid", "cedula"]),
        ];
        let (i, m) = locate(&rows, &[]).unwrap();
        assert_eq!(i, 0);
        // Its cédulas are found by the cells, not by the word `cedula` in a data row.
        assert_eq!(
            m.found(Field::Id),
            Some(&Found::Cells { matching: 2, of: 2 })
        );
    }

    #[test]
    fn missing_required_fields_are_listed() {
        let rows = vec![row(&["Nombre", "Cédula", "Correo"])];
        let (_, m) = find_header_row(&rows, &[]).unwrap();
        assert_eq!(m.missing(), [Field::Ruc]);
    }

    #[test]
    fn the_cells_say_what_the_headers_do_not() {
        let rows = vec![
            row(&[
                "Nº",
                "Titular",
                "Nº titular",
                "Registro tributario",
                "Contacto",
            ]),
            row(&["1", "Ana", "0428813992", "0428813992001", "ana@correo.ec"]),
            row(&["2", "Luis", "1714307103", "1714307103001", "luis@correo.ec"]),
            row(&["3", "Eva", "926687856", "1790011674001", "eva@correo.ec"]),
            row(&["TOTAL EMPLEADORES: 3", "", "", "", ""]),
        ];
        let (i, m) = locate(&rows, &[]).unwrap();
        assert_eq!(i, 0);
        assert_eq!(m.get(Field::Id), Some(2));
        assert_eq!(
            m.found(Field::Id),
            Some(&Found::Cells { matching: 3, of: 3 })
        );
        assert_eq!(m.get(Field::Ruc), Some(3));
        assert_eq!(m.get(Field::Email), Some(4));
        // A telephone column is never taken, whatever its cells; under 9 in 10, no column.
        let rows = vec![
            row(&["Cédula", "RUC", "Teléfono", "Notas"]),
            row(&["0428813992", "0428813992001", "a@b.ec", "x@y.ec"]),
            row(&["1714307103", "1714307103001", "c@d.ec", "nada"]),
        ];
        let (_, m) = locate(&rows, &[]).unwrap();
        assert_eq!(m.get(Field::Email), None);
        // Two columns that fit as well: a tie, said.
        let rows = vec![
            row(&["Cédula", "RUC", "A", "B"]),
            row(&["0428813992", "0428813992001", "a@b.ec", "x@y.ec"]),
        ];
        let (_, m) = locate(&rows, &[]).unwrap();
        assert_eq!(
            (m.get(Field::Email), m.tied(Field::Email)),
            (None, &[2, 3][..])
        );
    }
}
