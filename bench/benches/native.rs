//! The native half of the scaling benchmarks: every case of `closeout_bench::CASES` at every size, under
//! criterion. `cargo xtask bench` runs this, then the browser half, and prints both in one table.

// A benchmark that cannot build its fixture or run a case has nothing to measure: it stops, as a
// test does.
#![allow(clippy::panic)]

use closeout_bench::{Fixture, Rate, CASES, SIZES};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;

/// The sizes to run: all of `SIZES`, or those listed in `CLOSEOUT_BENCH_SIZES` (`10,1000`).
fn sizes() -> Vec<usize> {
    match std::env::var("CLOSEOUT_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn scaling(c: &mut Criterion) {
    for records in sizes() {
        let fixture = match Fixture::new(records) {
            Ok(fixture) => fixture,
            Err(error) => panic!("cannot build the {records}-record fixture: {error}"),
        };
        let mut group = c.benchmark_group("closeout");
        // The 100,000-record cases take up to a second an iteration; criterion's minimum sample is 10.
        if records >= 100_000 {
            group
                .sample_size(10)
                .warm_up_time(Duration::from_millis(500));
        } else {
            group
                .sample_size(20)
                .warm_up_time(Duration::from_millis(300));
        }
        group.measurement_time(Duration::from_secs(2));
        for case in &CASES {
            let work = (case.run)(&fixture).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            match case.rate {
                Rate::Bytes => group.throughput(Throughput::Bytes(work as u64)),
                Rate::Records => group.throughput(Throughput::Elements(work as u64)),
                Rate::None => group.throughput(Throughput::Elements(0)),
            };
            group.bench_with_input(
                BenchmarkId::new(case.name, records),
                &fixture,
                |b, fixture| b.iter(|| (case.run)(fixture)),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, scaling);
criterion_main!(benches);
