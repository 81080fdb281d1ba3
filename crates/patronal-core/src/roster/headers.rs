//! Matching a roster's header row to the canonical fields, and finding that row below any
//! title lines.

use std::fmt;

use crate::finding::Field;
use crate::text::fold;

impl Field {
    /// Whether a roster without this column is refused: `id` and `ruc`.
    pub(crate) fn is_required(self) -> bool {
        matches!(self, Field::Id | Field::Ruc)
    }

    /// Header names recognised for the field, already folded (see [`fold`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Row => &[],
            Field::Id => &[
                "cedula",
                "identificacion",
                "ci",
                "id",
                "idempleador",
                "cedulaempleador",
                "cedularepresentantelegal",
                "documento",
                "numeroidentificacion",
                "employerid",
                "numerodeidentificacion",
                "nidentificacion",
                "nrocedula",
                "nocedula",
                "numerocedula",
                "ncedula",
                "cedulaidentidad",
                "cedulaorepresentante",
            ],
            Field::Ruc => &[
                "ruc",
                "rucempleador",
                "numeroruc",
                "noruc",
                "nroruc",
                "nruc",
                "employerruc",
                "numeroderuc",
                "rucdelempleador",
            ],
            Field::Sucursal => &[
                "sucursal",
                "numerosucursal",
                "nosucursal",
                "nrosucursal",
                "codsucursal",
                "codigosucursal",
                "branch",
                "nsucursal",
                "numerodesucursal",
            ],
            Field::Email => &[
                "email",
                "correo",
                "correoelectronico",
                "mail",
                "emailempleador",
                "correoempleador",
            ],
            Field::RucStatus => &[
                "estadoruc",
                "estadocontribuyente",
                "estado",
                "rucstatus",
                "status",
                "estadodelruc",
            ],
            Field::FirstTime => &["primeravez", "firsttime", "nuevo", "clavenueva"],
            Field::HasKey => &["tieneclave", "haskey"],
            Field::EmployerType => &["tipoempleador", "tipo", "employertype", "tipodeempleador"],
            Field::IdType => &[
                "tipoidentificacion",
                "tipodocumento",
                "idtype",
                "tipodeidentificacion",
                "tipodedocumento",
            ],
            Field::Name => &[
                "razonsocial",
                "nombre",
                "nombres",
                "empleador",
                "employer",
                "name",
                "nombreempleador",
            ],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which cell of a record holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap {
    index: [Option<usize>; Field::ALL.len()],
}

impl ColumnMap {
    /// The index of the cell that holds field `c`, if a header matched it.
    pub fn get(&self, c: Field) -> Option<usize> {
        self.index[c as usize]
    }

    /// Field `c` is in cell `i`.
    pub fn set(&mut self, c: Field, i: usize) {
        self.index[c as usize] = Some(i);
    }

    /// The required fields that no header matched.
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

/// Matches one header row: each field takes the header matching its most specific alias;
/// `--map` adds a name, which wins when the row has it. A mapping whose header is not in the
/// row forces nothing: the field is found by its usual names (rosters of several layouts in
/// one run), and when none matches the caller reports it missing, with the headers found.
/// A mapping to no header (`--map email=`, the page's "none") leaves the field without a
/// column, whatever the row's headers.
pub fn match_headers(headers: &[String], overrides: &[MapOverride]) -> ColumnMap {
    let folded: Vec<compact_str::CompactString> = headers.iter().map(|h| fold(h)).collect();
    let mut map = ColumnMap::default();
    let mut taken = vec![false; headers.len()];
    let mut none = [false; Field::ALL.len()];
    for o in overrides {
        if map.get(o.column).is_some() || none[o.column as usize] {
            continue;
        }
        if o.header.trim().is_empty() {
            none[o.column as usize] = true;
            continue;
        }
        let want = fold(&o.header);
        if let Some(i) = (0..folded.len()).find(|&i| !taken[i] && folded[i] == want) {
            map.set(o.column, i);
            taken[i] = true;
        }
    }
    for c in Field::ALL {
        if map.get(c).is_some() || none[c as usize] {
            continue;
        }
        // Aliases in order of preference: `Cédula` wins over a row-number column named `ID`.
        let found = c
            .aliases()
            .iter()
            .find_map(|alias| (0..folded.len()).find(|&i| !taken[i] && folded[i] == *alias));
        if let Some(i) = found {
            map.set(c, i);
            taken[i] = true;
        }
    }
    map
}

/// How many leading rows may hold titles or blanks above the header.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// Picks the header row among the first rows: the first that has every required field, else
/// the one that matches the most fields. Returns its index and map.
pub(crate) fn find_header_row(
    rows: &[Vec<String>],
    overrides: &[MapOverride],
) -> Option<(usize, ColumnMap)> {
    let mut best: Option<(usize, ColumnMap)> = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
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
        assert!(m.missing().is_empty());
    }

    #[test]
    fn specific_aliases_win_over_generic_ones() {
        let m = match_headers(&row(&["ID", "Nombre", "Cédula", "RUC"]), &[]);
        assert_eq!(m.get(Field::Id), Some(2));
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
    fn missing_required_fields_are_listed() {
        let rows = vec![row(&["Nombre", "Cédula", "Correo"])];
        let (_, m) = find_header_row(&rows, &[]).unwrap();
        assert_eq!(m.missing(), [Field::Ruc]);
    }
}
