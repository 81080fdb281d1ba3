//! The roster's non-identifier values: RUC status, yes/no columns, employer and ID types.

use crate::text::fold;

/// A RUC status, from the roster's `ruc_status` column or the SRI catastro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RucStatus {
    /// `ACTIVO` (or a word read as it, such as `activa`): no finding.
    Active,
    /// `SUSPENDIDO`, `PASIVO`, `CERRADO`, `CANCELADO`, `INACTIVO`: the value as written.
    NotActive(Box<str>),
    /// Any other value, as written.
    Unknown(Box<str>),
}

/// The words of a RUC status that mean something: what the roster's `ruc_status` column and
/// the SRI catastro's `ESTADO_CONTRIBUYENTE` are both read with ([`status_word`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum StatusWord {
    /// `ACTIVO` (also `activa`, `active`, `abierto`): the one active status.
    Activo = 0,
    /// `SUSPENDIDO` (also `suspended`): not active.
    Suspendido = 1,
    /// `PASIVO`: not active.
    Pasivo = 2,
    /// `CERRADO` (also `closed`): not active.
    Cerrado = 3,
    /// `CANCELADO`: not active.
    Cancelado = 4,
    /// `INACTIVO` (also `inactive`): not active.
    Inactivo = 5,
}

impl StatusWord {
    /// Every word, in the order of their numbers: the catastro packs a status as its place
    /// here.
    pub(crate) const ALL: [StatusWord; 6] = [
        StatusWord::Activo,
        StatusWord::Suspendido,
        StatusWord::Pasivo,
        StatusWord::Cerrado,
        StatusWord::Cancelado,
        StatusWord::Inactivo,
    ];

    /// The SRI's word.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusWord::Activo => "ACTIVO",
            StatusWord::Suspendido => "SUSPENDIDO",
            StatusWord::Pasivo => "PASIVO",
            StatusWord::Cerrado => "CERRADO",
            StatusWord::Cancelado => "CANCELADO",
            StatusWord::Inactivo => "INACTIVO",
        }
    }

    /// True for `ACTIVO`.
    pub(crate) fn is_active(self) -> bool {
        self == StatusWord::Activo
    }
}

/// The one status parser: `ACTIVO` (also `activa`, `active`, `abierto`) is active;
/// `SUSPENDIDO`, `PASIVO`, `CERRADO`, `CANCELADO`, `INACTIVO` (also their feminine forms and
/// `suspended`, `closed`, `inactive`) are not; ignoring case, accents and surrounding
/// spaces. Anything else, blank included, is `None`: an unknown status.
pub fn status_word(raw: &str) -> Option<StatusWord> {
    let raw = crate::text::trim(raw);
    // The catastro's millions of rows are plain ASCII words: compared without folding.
    let word = |w: &str| raw.eq_ignore_ascii_case(w);
    let ascii = |raw: &str| -> Option<StatusWord> {
        let is = |ws: &[&str]| ws.iter().any(|w| raw.eq_ignore_ascii_case(w));
        Some(
            if is(&["activo", "activa", "active", "abierto", "abierta"]) {
                StatusWord::Activo
            } else if is(&["suspendido", "suspendida", "suspended"]) {
                StatusWord::Suspendido
            } else if is(&["pasivo", "pasiva"]) {
                StatusWord::Pasivo
            } else if is(&["cerrado", "cerrada", "closed"]) {
                StatusWord::Cerrado
            } else if is(&["cancelado", "cancelada"]) {
                StatusWord::Cancelado
            } else if is(&["inactivo", "inactiva", "inactive"]) {
                StatusWord::Inactivo
            } else {
                return None;
            },
        )
    };
    if word("ACTIVO") {
        return Some(StatusWord::Activo);
    }
    if raw.bytes().all(|b| b.is_ascii_alphabetic()) {
        return ascii(raw);
    }
    ascii(&fold(raw))
}

/// Parses a roster's status cell; `None` when it is blank (a roster column left empty says
/// nothing, unlike a blank in the catastro).
pub fn parse_ruc_status(raw: &str) -> Option<RucStatus> {
    let raw = crate::text::trim(raw);
    if raw.is_empty() {
        return None;
    }
    Some(match status_word(raw) {
        Some(StatusWord::Activo) => RucStatus::Active,
        Some(_) => RucStatus::NotActive(raw.to_uppercase().into()),
        None => RucStatus::Unknown(raw.into()),
    })
}

/// A yes/no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YesNo {
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
        assert_eq!(status_word(" Pasivo "), Some(StatusWord::Pasivo));
        assert_eq!(status_word("SUSPENDIDA"), Some(StatusWord::Suspendido));
        assert_eq!(status_word("cancelado"), Some(StatusWord::Cancelado));
        assert_eq!(status_word("Inactivó"), Some(StatusWord::Inactivo));
        assert_eq!(status_word("en trámite"), None);
        assert_eq!(status_word(""), None);
        assert_eq!(status_word("OTRO"), None);
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
