//! The SRI's words for a RUC's status, and what the SRI catastro answers about a RUC: the
//! vocabulary shared by the catastro (which looks RUCs up) and the rules (which judge the
//! answer). See docs/rules.md, "The SRI catastro".

use super::Taxpayer;
use crate::text::fold;

/// The words of a RUC status that mean something: what the roster's `ruc_status` column and
/// the SRI catastro's `ESTADO_CONTRIBUYENTE` are both read with ([`parse_ruc_status`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum RucStatus {
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

impl RucStatus {
    /// Every word, in the order of their numbers: the catastro packs a status as its place
    /// here.
    pub const ALL: [RucStatus; 6] = [
        RucStatus::Activo,
        RucStatus::Suspendido,
        RucStatus::Pasivo,
        RucStatus::Cerrado,
        RucStatus::Cancelado,
        RucStatus::Inactivo,
    ];

    /// The SRI's word.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RucStatus::Activo => "ACTIVO",
            RucStatus::Suspendido => "SUSPENDIDO",
            RucStatus::Pasivo => "PASIVO",
            RucStatus::Cerrado => "CERRADO",
            RucStatus::Cancelado => "CANCELADO",
            RucStatus::Inactivo => "INACTIVO",
        }
    }

    /// True for `ACTIVO`.
    pub(crate) fn is_active(self) -> bool {
        self == RucStatus::Activo
    }
}

/// The one status parser: `ACTIVO` (also `activa`, `active`, `abierto`) is active;
/// `SUSPENDIDO`, `PASIVO`, `CERRADO`, `CANCELADO`, `INACTIVO` (also their feminine forms and
/// `suspended`, `closed`, `inactive`) are not; ignoring case, accents and surrounding
/// spaces. Anything else, blank included, is `None`: an unknown status.
pub fn parse_ruc_status(raw: &str) -> Option<RucStatus> {
    let raw = crate::text::trim(raw);
    // The catastro's millions of rows are plain ASCII words: compared without folding.
    let word = |w: &str| raw.eq_ignore_ascii_case(w);
    let ascii = |raw: &str| -> Option<RucStatus> {
        let is = |ws: &[&str]| ws.iter().any(|w| raw.eq_ignore_ascii_case(w));
        Some(
            if is(&["activo", "activa", "active", "abierto", "abierta"]) {
                RucStatus::Activo
            } else if is(&["suspendido", "suspendida", "suspended"]) {
                RucStatus::Suspendido
            } else if is(&["pasivo", "pasiva"]) {
                RucStatus::Pasivo
            } else if is(&["cerrado", "cerrada", "closed"]) {
                RucStatus::Cerrado
            } else if is(&["cancelado", "cancelada"]) {
                RucStatus::Cancelado
            } else if is(&["inactivo", "inactiva", "inactive"]) {
                RucStatus::Inactivo
            } else {
                return None;
            },
        )
    };
    if word("ACTIVO") {
        return Some(RucStatus::Activo);
    }
    if raw.bytes().all(|b| b.is_ascii_alphabetic()) {
        return ascii(raw);
    }
    ascii(&fold(raw))
}

/// A taxpayer's status as the catastro gives it: one of the SRI's words, or another value
/// (blank included), kept as written in the catastro's table of such values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Listed {
    /// One of the SRI's words (`ACTIVO`, `SUSPENDIDO`, `PASIVO`, ...).
    Word(RucStatus),
    /// Another value, by its place in the catastro's table of such values.
    Unknown(u16),
}

/// What the catastro knows of a RUC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registered {
    /// The RUC's status.
    pub status: Listed,
    /// `TIPO_CONTRIBUYENTE`, when the catastro gives one it knows.
    pub taxpayer: Option<Taxpayer>,
}
