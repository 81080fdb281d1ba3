//! A record's checks: the finding catalog, the e-mail and status rules, and
//! [`check_record`], which runs every rule on one roster record.

pub mod catalog;
pub mod email;
pub mod finding;
pub mod record;
pub mod values;

pub use catalog::{CATALOG, Code, CodeInfo, Field, Severity};
pub use finding::{Detail, Finding, FindingView, Status};
pub use record::{Checked, Fields, check_record, check_record_in};
