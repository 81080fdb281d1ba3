//! A record's checks: the finding catalog, the e-mail and status rules, and
//! [`check_record`], which runs every rule on one roster record; the row's shape
//! ([`check_shape`]), the SRI catastro's verdict (`registry`, run by
//! [`crate::catastro::Catastro::apply`]), and the batch rules across a run, in input order
//! (`batch`: repeated employers, e-mails shared across RUCs).

pub(crate) mod batch;
pub(crate) mod email;
pub(crate) mod record;
pub(crate) mod registry;
mod shape;
pub mod values;

pub use email::check_email;
pub use record::{Checked, Fields, check_record, check_record_in};
pub use shape::check_shape;
