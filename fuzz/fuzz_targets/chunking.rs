//! The ingestion module promises that how a file is chunked never changes
//! the result. This target feeds the same bytes whole and in chunks chosen
//! by the first two input bytes (as in `ingest`) and compares the reports
//! and rows.

#![no_main]

use libfuzzer_sys::fuzz_target;
use slatelens_core::{ingest_bytes, Ingest};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (ctrl, body) = data.split_at(2);
    let whole = ingest_bytes("fuzz.csv", body);
    let first = usize::from(ctrl[1]) * body.len() / 255;
    let (head, rest) = body.split_at(first);
    let mut ing = Ingest::new("fuzz.csv");
    ing.push(head);
    for chunk in rest.chunks(usize::from(ctrl[0]) + 1) {
        ing.push(chunk);
    }
    let chunked = ing.finish();
    let json = |f: &slatelens_core::IngestedFile| {
        (serde_json::to_string(&f.report).expect("report"), serde_json::to_string(&f.data).expect("rows"))
    };
    let (a, b) = (json(&whole), json(&chunked));
    assert_eq!(a.0, b.0, "report differs when chunked");
    assert_eq!(a.1, b.1, "rows differ when chunked");
});
