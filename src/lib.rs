//! `patronal` checks Ecuadorian employer rosters before an IESS employer-key ("clave
//! patronal") recovery: for each employer it tells whether the online path should work
//! (**ready**), will be stopped at the portal's "Validar" step (**invalid**), or will likely
//! need an in-person visit (**in person**), with the reasons.
//!
//! - [`ecuador`]: the identifier rules (cédula, RUC, sucursal), pure functions.
//! - [`rules`]: the finding catalog and [`rules::check_record`], every rule on one record.
//!
//! ```
//! use patronal::rules::{check_record, Fields, Status};
//!
//! let checked = check_record(&Fields {
//!     id: "0926687856",
//!     ruc: "0926687856001",
//!     sucursal: Some("1"),
//!     email: Some("no tiene"),
//!     ..Fields::default()
//! });
//! assert_eq!(checked.status(), Status::InPerson);
//! assert_eq!(checked.sucursal, "0001");
//! ```

pub mod catastro;
pub mod compare;
pub mod ecuador;
pub mod i18n;
pub mod pipeline;
pub mod report;
pub mod roster;
pub mod rules;
pub mod sample;
pub mod text;

/// The language of what the user reads: messages, labels, hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// Spanish when the locale (`LC_ALL`, `LC_MESSAGES`, then `LANG`) starts with `es`.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.starts_with("es") {
            Lang::Es
        } else {
            Lang::En
        }
    }
}
