//! Ecuador's provinces by the code that starts every cédula and RUC (`01` Azuay … `24`
//! Santa Elena), with the names the SRI catastro writes them under and the file the SRI
//! publishes for each (`SRI_RUC_Guayas`): what tells whether the loaded catastro covers a
//! RUC (docs/rules.md, "What real registries teach").

use crate::text::fold;

/// The provinces, by code (index + 1): the name as people write it, the SRI's file.
const PROVINCES: [(&str, &str); 24] = [
    ("Azuay", "SRI_RUC_Azuay"),
    ("Bolívar", "SRI_RUC_Bolivar"),
    ("Cañar", "SRI_RUC_Canar"),
    ("Carchi", "SRI_RUC_Carchi"),
    ("Cotopaxi", "SRI_RUC_Cotopaxi"),
    ("Chimborazo", "SRI_RUC_Chimborazo"),
    ("El Oro", "SRI_RUC_El_Oro"),
    ("Esmeraldas", "SRI_RUC_Esmeraldas"),
    ("Guayas", "SRI_RUC_Guayas"),
    ("Imbabura", "SRI_RUC_Imbabura"),
    ("Loja", "SRI_RUC_Loja"),
    ("Los Ríos", "SRI_RUC_Los_Rios"),
    ("Manabí", "SRI_RUC_Manabi"),
    ("Morona Santiago", "SRI_RUC_Morona_Santiago"),
    ("Napo", "SRI_RUC_Napo"),
    ("Pastaza", "SRI_RUC_Pastaza"),
    ("Pichincha", "SRI_RUC_Pichincha"),
    ("Tungurahua", "SRI_RUC_Tungurahua"),
    ("Zamora Chinchipe", "SRI_RUC_Zamora_Chinchipe"),
    ("Galápagos", "SRI_RUC_Galapagos"),
    ("Sucumbíos", "SRI_RUC_Sucumbios"),
    ("Orellana", "SRI_RUC_Orellana"),
    (
        "Santo Domingo de los Tsáchilas",
        "SRI_RUC_Santo_Domingo_de_los_Tsachilas",
    ),
    ("Santa Elena", "SRI_RUC_Santa_Elena"),
];

/// The last province code with a file of its own.
pub const LAST_PROVINCE: u8 = 24;

/// The province's name (`9` → `Guayas`), for codes 1 to 24.
pub fn province_name(code: u8) -> Option<&'static str> {
    PROVINCES
        .get(usize::from(code).checked_sub(1)?)
        .map(|p| p.0)
}

/// The SRI's catastro file of the province (`9` → `SRI_RUC_Guayas`), for codes 1 to 24.
pub fn catastro_file(code: u8) -> Option<&'static str> {
    PROVINCES
        .get(usize::from(code).checked_sub(1)?)
        .map(|p| p.1)
}

/// The code of a RUC's or cédula's province: its first two digits.
pub fn province_of(digits: &str) -> Option<u8> {
    let b = digits.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit())
        .then(|| (b[0] - b'0') * 10 + (b[1] - b'0'))
}

/// A province as the catastro writes it: its name in any case, with or without accents
/// (`GALAPAGOS`, `Los Ríos`, `SANTO DOMINGO DE LOS TSACHILAS`, `STO DGO TSACHILAS`), its
/// code (`09`), or the two zones that are one province each (`ZONA 8`: Guayaquil, Durán and
/// Samborondón, Guayas; `ZONA 9`: Quito, Pichincha). `None` for anything else (a zone of
/// several provinces, a blank).
pub fn parse_province(text: &str) -> Option<u8> {
    let folded = fold(text);
    let f = folded.as_str();
    if f.is_empty() {
        return None;
    }
    if f.len() <= 2 && f.bytes().all(|b| b.is_ascii_digit()) {
        let code: u8 = f.parse().ok()?;
        return (1..=LAST_PROVINCE).contains(&code).then_some(code);
    }
    match f {
        "zona8" => return Some(9),
        "zona9" => return Some(17),
        _ => {}
    }
    if f.starts_with("santodomingo") || f.starts_with("stodgo") || f.starts_with("stodomingo") {
        return Some(23);
    }
    PROVINCES
        .iter()
        .position(|(name, _)| fold(name) == f)
        .map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_files() {
        assert_eq!(parse_province("GALAPAGOS"), Some(20));
        assert_eq!(parse_province("Galápagos"), Some(20));
        assert_eq!(parse_province("LOS RIOS"), Some(12));
        assert_eq!(parse_province("SANTO DOMINGO DE LOS TSACHILAS"), Some(23));
        assert_eq!(parse_province("09"), Some(9));
        assert_eq!(parse_province("ZONA 9"), Some(17));
        assert_eq!(parse_province("ZONA 5"), None);
        assert_eq!(parse_province(""), None);
        assert_eq!(parse_province("30"), None);
        assert_eq!(province_name(9), Some("Guayas"));
        assert_eq!(catastro_file(9), Some("SRI_RUC_Guayas"));
        assert_eq!(catastro_file(30), None);
        assert_eq!(catastro_file(0), None);
        assert_eq!(province_of("0992397535001"), Some(9));
        for code in 1..=LAST_PROVINCE {
            let name = province_name(code).unwrap();
            assert_eq!(parse_province(name), Some(code), "{name}");
            assert_eq!(parse_province(&name.to_uppercase()), Some(code), "{name}");
        }
    }
}
