//! Micro-benchmarks of the rules: cédulas, RUCs, e-mails and whole records, over a generated
//! roster of 4,096 employers at a time (one timing per pass, so that the clock's own cost
//! is spread over thousands of checks); divan reports the throughput, items per second.
//! `cargo bench --bench rules`

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use patronal::ecuador::{check_id, check_ruc};
use patronal::rules::email::check_email;
use patronal::rules::{Fields, check_record};
use patronal::sample::{Employer, employers};

fn main() {
    divan::main();
}

fn roster() -> Vec<Employer> {
    employers(7).take(4096).collect()
}

#[divan::bench]
fn cedula(bencher: Bencher) {
    let roster = roster();
    let mut findings = Vec::new();
    bencher
        .counter(ItemsCount::new(roster.len()))
        .bench_local(|| {
            for e in &roster {
                findings.clear();
                black_box(check_id(black_box(&e.id), false, &mut findings));
            }
        });
}

#[divan::bench]
fn ruc(bencher: Bencher) {
    let roster = roster();
    let mut findings = Vec::new();
    bencher
        .counter(ItemsCount::new(roster.len()))
        .bench_local(|| {
            for e in &roster {
                findings.clear();
                black_box(check_ruc(black_box(&e.ruc), &mut findings));
            }
        });
}

#[divan::bench]
fn email(bencher: Bencher) {
    let roster = roster();
    let mut findings = Vec::new();
    bencher
        .counter(ItemsCount::new(roster.len()))
        .bench_local(|| {
            for e in &roster {
                findings.clear();
                black_box(check_email(black_box(&e.email), &mut findings));
            }
        });
}

#[divan::bench]
fn record(bencher: Bencher) {
    let roster = roster();
    bencher
        .counter(ItemsCount::new(roster.len()))
        .bench_local(|| {
            for e in &roster {
                black_box(check_record(black_box(&Fields {
                    id: &e.id,
                    ruc: &e.ruc,
                    sucursal: Some(&e.sucursal),
                    email: Some(&e.email),
                    ruc_status: Some(&e.ruc_status),
                    first_time: Some(&e.first_time),
                    employer_type: Some(&e.employer_type),
                    ..Fields::default()
                })));
            }
        });
}
