//! A record's checks: the finding catalog, the e-mail and status rules, and
//! [`check_record`], which runs every rule on one roster record; the row's shape
//! ([`check_shape`]), the SRI catastro's verdict (`registry`, run by
//! [`crate::catastro::Catastro::apply`]), and the batch rules across a run, in input order
//! (`batch`: repeated employers, e-mails shared across RUCs).

pub(crate) mod batch;
pub(crate) mod catalog;
pub(crate) mod email;
pub(crate) mod finding;
pub(crate) mod record;
pub(crate) mod registry;
mod shape;
pub mod values;

pub use catalog::{CATALOG, Code, CodeInfo, Field, Severity};
pub use email::check_email;
pub use finding::{Detail, Finding, FindingView, Status};
pub use record::{Checked, Fields, check_record, check_record_in};
pub use shape::check_shape;
