//! Feeds arbitrary bytes to `Ingest` in chunks, then analyses the file.
//!
//! Input layout: byte 0 picks the chunk size (1 to 256 bytes), byte 1 where
//! the first chunk ends (a fraction of the rest), the rest is the file. So
//! the fuzzer explores both the content and where chunk boundaries fall
//! (inside a BOM, a UTF-16 pair, a quoted cell, a CRLF, the 64 KiB head).
//!
//! Checks: no panic anywhere; every row is used or rejected; `analyze` never
//! panics on what ingestion produced.

#![no_main]

use libfuzzer_sys::fuzz_target;
use slatelens_core::{analyze, Ingest};

/// Splits `body` as the control bytes say: one cut at `ctrl[1]`/255 of the
/// length, then chunks of `ctrl[0] + 1` bytes.
fn chunks(ctrl: [u8; 2], body: &[u8]) -> Vec<&[u8]> {
    let first = usize::from(ctrl[1]) * body.len() / 255;
    let (head, rest) = body.split_at(first);
    std::iter::once(head).chain(rest.chunks(usize::from(ctrl[0]) + 1)).collect()
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (ctrl, body) = data.split_at(2);
    let mut ing = Ingest::new("fuzz.csv");
    for chunk in chunks([ctrl[0], ctrl[1]], body) {
        ing.push(chunk);
    }
    let file = ing.finish();
    let r = &file.report;
    assert_eq!(r.rows, r.used + r.rejected, "rows {} != used {} + rejected {}", r.rows, r.used, r.rejected);
    assert_eq!(r.bytes, body.len() as u64);
    let analysis = analyze(std::slice::from_ref(&file));
    assert_eq!(analysis.files.len(), 1);
    // The JSON contract must serialise whatever came in.
    let _ = serde_json::to_string(&analysis).expect("analysis serialises");
});
