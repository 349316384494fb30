//! Raw ingestion throughput on generated reports (`cargo bench -p slatelens-core --bench ingest`).
//!
//! The files come from [`slatelens_core::demo`], generated once into memory
//! before measuring, and are pushed into [`Ingest`] in 1 MiB chunks, as the
//! web page and the CLI feed a file. Throughput is in bytes, so criterion
//! prints MB/s. Sample counts are low so the whole run takes a few minutes
//! on two cores.

// criterion_group! makes a public function that cannot carry a doc comment.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use slatelens_core::{demo, Ingest};
use std::hint::black_box;
use std::time::Duration;

const CHUNK: usize = 1024 * 1024;

/// Rows of the Persistent-ID Viewership file: about 100 MB at ~270 bytes a row.
const VIEWERSHIP_ROWS: usize = 370_000;
/// Distinct customers in it (200,000 per million rows, as a large channel has).
const VIEWERSHIP_CUSTOMERS: usize = 74_000;

fn ingest_in_chunks(name: &str, bytes: &[u8]) -> u64 {
    let mut ing = Ingest::new(name);
    for chunk in bytes.chunks(CHUNK) {
        ing.push(chunk);
    }
    let file = ing.finish();
    assert_eq!(file.report.rejected, 0, "{name}: demo rows were rejected");
    file.report.used
}

fn viewership(c: &mut Criterion) {
    let bytes = demo::pid_viewership(demo::DEFAULT_SEED, VIEWERSHIP_ROWS, VIEWERSHIP_CUSTOMERS).into_bytes();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(format!("pid_viewership_{}MB", bytes.len() / 1_000_000), |b| {
        b.iter(|| black_box(ingest_in_chunks("demo_pid_viewership.csv", black_box(&bytes))))
    });
    group.finish();
}

fn subscriptions(c: &mut Criterion) {
    let pid = demo::pid_subscriptions(demo::DEFAULT_SEED, 100_000, 40_000).into_bytes();
    // Twelve monthly Contractual Subscriptions files, ingested one after another.
    let monthly = demo::subscriptions_monthly(demo::DEFAULT_SEED, 12, 2021, 1);
    let monthly_bytes: u64 = monthly.iter().map(|(_, b)| b.len() as u64).sum();

    let mut group = c.benchmark_group("ingest");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(pid.len() as u64));
    group.bench_function(format!("pid_subscriptions_{}MB", pid.len() / 1_000_000), |b| {
        b.iter(|| black_box(ingest_in_chunks("demo_pid_subscriptions.csv", black_box(&pid))))
    });
    group.throughput(Throughput::Bytes(monthly_bytes));
    group.bench_function("subscriptions_monthly_12_files", |b| {
        b.iter(|| black_box(monthly.iter().map(|(name, bytes)| ingest_in_chunks(name, bytes)).sum::<u64>()))
    });
    group.finish();
}

criterion_group!(benches, viewership, subscriptions);
criterion_main!(benches);
