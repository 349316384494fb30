//! Streaming equals whole-file on generated Persistent-ID files: every chunk
//! size from one byte up gives the same report and the same rows as feeding
//! the file in one piece. The files are past the 64 KiB head, so the row loop
//! (csv-core push parsing, line tracking, the value fast paths) sees records
//! split at every possible byte, including inside quoted titles with commas
//! and doubled quotes.

// Only the chunking helpers of the shared test utilities are used here.
#[allow(dead_code)]
mod util;

use slatelens_core::{demo, ingest_bytes, Kind};
use util::{fingerprint, ingest_chunked};

/// Every chunk size from 1 to 300 bytes, and a few larger ones around the head.
fn chunk_sizes() -> Vec<usize> {
    (1..=300).chain([1000, 4093, 65_535, 65_536, 65_537, 1 << 20]).collect()
}

fn assert_same_in_any_chunking(name: &str, bytes: &[u8], kind: Kind) {
    let whole = ingest_bytes(name, bytes);
    let r = &whole.report;
    assert_eq!(r.kind, Some(kind), "{name}: {:?}", r.error_line());
    assert!(r.bytes > 64 * 1024 + 4096, "{name} reaches past the head ({} bytes)", r.bytes);
    assert_eq!(r.rejected, 0, "{name}: generated rows are all valid");
    let whole = fingerprint(&whole);
    for size in chunk_sizes() {
        let chunked = fingerprint(&ingest_chunked(name, bytes, size));
        assert!(chunked.0 == whole.0, "{name}: report differs in chunks of {size}:\n{}\n{}", chunked.0, whole.0);
        assert!(chunked.1 == whole.1, "{name}: rows differ in chunks of {size}");
    }
}

#[test]
fn generated_viewership_reads_the_same_in_any_chunking() {
    let bytes = demo::pid_viewership(7, 300, 60).into_bytes();
    let text = String::from_utf8(bytes.clone()).expect("demo is UTF-8");
    // The generator's hard cases are in the file: quoted titles with commas and quotes.
    assert!(text.contains("\"Love, Death & Dinner\"") || text.contains("\"Chef \"\"The Knife\"\" Moreau\""));
    let rows = text.lines().count() - 1;
    assert_eq!(rows, 300);
    let file = ingest_bytes("viewership.csv", &bytes);
    assert_eq!(file.report.used, 300);
    assert_same_in_any_chunking("viewership.csv", &bytes, Kind::PidViewership);
    // The same file with Windows line ends.
    let crlf = text.replace('\n', "\r\n").into_bytes();
    assert_same_in_any_chunking("viewership_crlf.csv", &crlf, Kind::PidViewership);
}

#[test]
fn generated_subscriptions_read_the_same_in_any_chunking() {
    let bytes = demo::pid_subscriptions(7, 700, 300).into_bytes();
    assert_same_in_any_chunking("subscriptions.csv", &bytes, Kind::PidSubscriptions);
}
