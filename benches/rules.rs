//! Micro-benchmarks of the rules: one cédula, one RUC, one whole record.
//! `cargo bench --bench rules`

use divan::{Bencher, black_box};
use patronal::ecuador::{check_id, check_ruc};
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
    let mut i = 0;
    let mut findings = Vec::new();
    bencher.bench_local(|| {
        i = (i + 1) % roster.len();
        findings.clear();
        black_box(check_id(black_box(&roster[i].id), false, &mut findings))
    });
}

#[divan::bench]
fn ruc(bencher: Bencher) {
    let roster = roster();
    let mut i = 0;
    let mut findings = Vec::new();
    bencher.bench_local(|| {
        i = (i + 1) % roster.len();
        findings.clear();
        black_box(check_ruc(black_box(&roster[i].ruc), &mut findings))
    });
}

#[divan::bench]
fn record(bencher: Bencher) {
    let roster = roster();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % roster.len();
        let e = &roster[i];
        black_box(check_record(black_box(&Fields {
            id: &e.id,
            ruc: &e.ruc,
            sucursal: Some(&e.sucursal),
            email: Some(&e.email),
            ruc_status: Some(&e.ruc_status),
            first_time: Some(&e.first_time),
            employer_type: Some(&e.employer_type),
            ..Fields::default()
        })))
    });
}
