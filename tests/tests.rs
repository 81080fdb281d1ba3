//! The integration tests: one binary, one module per concern.

mod util;

mod bad_input;
mod bombs;
mod catastro;
mod check;
mod cli_codes;
mod cli_id;
mod cron;
mod desktop;
mod excel;
mod files;
mod lang;
mod lista;
mod marked;
mod patterns;
mod portfolio;
mod reports;
mod robustness;
mod schedule;
mod workbook;
mod xlsx_report;
