//! Micro-benchmarks of the rules: cédulas, RUCs, e-mails and whole records, over a generated
//! roster of 4,096 employers at a time (one timing per pass, so that the clock's own cost
//! is spread over thousands of checks); divan reports the throughput, items per second.
//! `cargo bench --bench rules`

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use patronal_core::ecuador::{check_id, check_ruc};
use patronal_core::finding::Finding;
use patronal_core::rules::check_email;
use patronal_core::rules::check_record;

// The generated roster of `patronal sample`, which the binary owns.
#[allow(dead_code)]
#[path = "../src/sample.rs"]
mod sample;
use sample::{Employer, employers};

fn main() {
    divan::main();
}

/// Times `check` on each of 4,096 generated employers per pass, with a findings vector
/// cleared before each.
fn each_employer<T>(bencher: Bencher, mut check: impl FnMut(&Employer, &mut Vec<Finding>) -> T) {
    let roster: Vec<Employer> = employers(7).take(4096).collect();
    let mut findings = Vec::new();
    bencher
        .counter(ItemsCount::new(roster.len()))
        .bench_local(|| {
            for e in &roster {
                findings.clear();
                black_box(check(black_box(e), &mut findings));
            }
        });
}

#[divan::bench]
fn cedula(bencher: Bencher) {
    each_employer(bencher, |e, findings| check_id(&e.id, false, findings));
}

#[divan::bench]
fn ruc(bencher: Bencher) {
    each_employer(bencher, |e, findings| check_ruc(&e.ruc, findings));
}

#[divan::bench]
fn email(bencher: Bencher) {
    each_employer(bencher, |e, findings| {
        check_email(&e.email, findings).is_some()
    });
}

#[divan::bench]
fn record(bencher: Bencher) {
    each_employer(bencher, |e, _| check_record(&e.fields()));
}
