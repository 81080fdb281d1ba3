//! A record's checks: the e-mail and status rules, and [`check_record`], which runs every
//! rule on one roster record; the row's shape (`shape`), the SRI catastro's verdict on what
//! the catastro answers for a RUC (`registry`, applied by the pipeline), and the batch rules
//! across a run, in input order (`batch`: repeated employers, e-mails shared across RUCs).

pub(crate) mod batch;
pub(crate) mod email;
pub(crate) mod record;
pub(crate) mod registry;
mod shape;
pub(crate) mod values;

pub use email::check_email;
pub use record::{Checked, Fields, check_record, check_record_in};
pub(crate) use shape::check_shape;
