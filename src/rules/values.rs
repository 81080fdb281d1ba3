//! The roster's non-identifier values: RUC status, yes/no columns, employer and ID types.

use crate::text::fold;

/// A RUC status, from the roster's `ruc_status` column or the SRI catastro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RucStatus {
    Active,
    /// `SUSPENDIDO`, `PASIVO`, `CERRADO`, `CANCELADO`, `INACTIVO`: the value as written.
    NotActive(Box<str>),
    /// Any other value, as written.
    Unknown(Box<str>),
}

/// Parses a status cell; `None` when empty.
pub fn parse_ruc_status(raw: &str) -> Option<RucStatus> {
    let raw = crate::text::trim(raw);
    if raw.is_empty() {
        return None;
    }
    if raw.eq_ignore_ascii_case("activo") {
        return Some(RucStatus::Active);
    }
    let folded = fold(raw);
    let status = match folded.as_str() {
        "activo" | "activa" | "active" | "abierto" | "abierta" => RucStatus::Active,
        "suspendido" | "suspendida" | "pasivo" | "pasiva" | "cerrado" | "cerrada" | "cancelado"
        | "cancelada" | "inactivo" | "inactiva" | "suspended" | "closed" | "inactive" => {
            RucStatus::NotActive(raw.to_uppercase().into())
        }
        _ => RucStatus::Unknown(raw.into()),
    };
    Some(status)
}

/// A yes/no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
    Empty,
    Unparseable,
}

/// `sí`, `si`, `s`, `x`, `yes`, `y`, `true`, `verdadero`, `1` → yes; `no`, `n`, `false`,
/// `falso`, `0` → no; blank → empty.
pub fn parse_yes_no(raw: &str) -> YesNo {
    let raw = crate::text::trim(raw);
    if raw.is_empty() {
        return YesNo::Empty;
    }
    if raw.eq_ignore_ascii_case("no") {
        return YesNo::No;
    }
    match fold(raw).as_str() {
        "si" | "s" | "x" | "yes" | "y" | "true" | "verdadero" | "1" => YesNo::Yes,
        "no" | "n" | "false" | "falso" | "0" => YesNo::No,
        _ => YesNo::Unparseable,
    }
}

/// True when an `employer_type` cell says domestic service (`doméstico`, `Servicio
/// Doméstico`, `domestic`).
pub fn is_domestic_type(raw: &str) -> bool {
    // Most cells say something else: look for "dom" before folding. `d` and `D` are one
    // bit apart; a plain loop beats memchr's set-up on a cell this short.
    let bytes = raw.as_bytes();
    let maybe = bytes.iter().enumerate().any(|(i, &b)| {
        b | 0x20 == b'd'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"om"))
    });
    maybe && fold(raw).contains("domestic")
}

/// True when an `id_type` cell says the identification is a foreigner code.
pub fn is_foreign_type(raw: &str) -> bool {
    let f = fold(raw);
    ["extranjer", "foreign", "pasaporte", "passport"]
        .iter()
        .any(|w| f.contains(w))
}

/// True when an `id_type` cell says the identification is a cédula.
pub fn is_cedula_type(raw: &str) -> bool {
    matches!(
        fold(raw).as_str(),
        "cedula" | "ci" | "cedulaidentidad" | "ceduladeidentidad" | "c"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_ruc_status(" Activo "), Some(RucStatus::Active));
        assert_eq!(
            parse_ruc_status("suspendido"),
            Some(RucStatus::NotActive("SUSPENDIDO".into()))
        );
        for s in ["PASIVO", "CERRADO", "CANCELADO", "INACTIVO"] {
            assert!(
                matches!(parse_ruc_status(s), Some(RucStatus::NotActive(_))),
                "{s}"
            );
        }
        assert_eq!(
            parse_ruc_status("en trámite"),
            Some(RucStatus::Unknown("en trámite".into()))
        );
        assert_eq!(parse_ruc_status("  "), None);
    }

    #[test]
    fn yes_no() {
        for s in ["sí", "SI", "s", "x", "Yes", "y", "TRUE", "Verdadero", "1"] {
            assert_eq!(parse_yes_no(s), YesNo::Yes, "{s}");
        }
        for s in ["no", "N", "false", "Falso", "0"] {
            assert_eq!(parse_yes_no(s), YesNo::No, "{s}");
        }
        assert_eq!(parse_yes_no(""), YesNo::Empty);
        assert_eq!(parse_yes_no("quizás"), YesNo::Unparseable);
    }

    #[test]
    fn types() {
        assert!(is_domestic_type("Servicio Doméstico"));
        assert!(!is_domestic_type("Sociedad"));
        assert!(is_foreign_type("Pasaporte"));
        assert!(is_foreign_type("EXTRANJERO"));
        assert!(!is_foreign_type("Cédula"));
        assert!(is_cedula_type("Cédula") && is_cedula_type("C.I.") && !is_cedula_type("Pasaporte"));
    }
}
