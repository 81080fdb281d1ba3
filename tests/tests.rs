//! The integration tests: one binary, one module per concern.

mod util;

mod bad_input;
mod catastro;
mod check;
mod cli_codes;
mod cli_id;
mod cron;
mod excel;
mod lang;
mod marked;
mod reports;
mod robustness;
mod schedule;
mod xlsx_report;
