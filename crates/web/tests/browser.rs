//! Browser tests (wasm32 only), run in headless Chromium by
//! `wasm-bindgen-test-runner`: `cargo test -p slatelens-web --target wasm32-unknown-unknown`.
//!
//! They mount the real app into the page and read a real `File` through its
//! stream, the two things native tests cannot reach.

#![cfg(target_arch = "wasm32")]

use slatelens_web::read::ingest_file;
use slatelens_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const HEADER: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions\n";

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A browser `File` holding `bytes`, assembled from parts of `part_len` bytes
/// that end mid-row. (Chromium hands a small in-memory file over in one chunk
/// whatever its parts; a few megabytes come in several.)
fn file(name: &str, bytes: &[u8], part_len: usize) -> web_sys::File {
    let parts = js_sys::Array::new();
    for part in bytes.chunks(part_len) {
        parts.push(&js_sys::Uint8Array::from(part));
    }
    web_sys::File::new_with_u8_array_sequence(&parts, name).expect("a File")
}

#[wasm_bindgen_test]
fn app_shows_heading_privacy_line_and_drop_zone() {
    let host = document().create_element("div").expect("a div");
    document().body().expect("a body").append_child(&host).expect("appended");
    let _app = leptos::mount::mount_to(host.clone().unchecked_into(), App);

    let text = |selector: &str| {
        host.query_selector(selector).expect("a valid selector").and_then(|e| e.text_content()).unwrap_or_default()
    };
    assert_eq!(text("h1"), "slatelens");
    assert!(text("[data-testid=privacy]").contains("never uploaded"));
    let zone = host.query_selector("[data-testid=drop-zone]").expect("selector").expect("a drop zone");
    assert_eq!(zone.get_attribute("role").as_deref(), Some("region"));
    assert!(zone.get_attribute("aria-label").is_some_and(|l| !l.is_empty()));
    assert_eq!(text("[data-testid=drop-zone] button"), "Choose files");
    let input = host.query_selector("[data-testid=file-input]").expect("selector").expect("a file input");
    let input: web_sys::HtmlInputElement = input.unchecked_into();
    assert_eq!(input.type_(), "file");
    assert!(input.multiple());
}

#[wasm_bindgen_test]
async fn reads_a_file_stream_in_many_chunks() {
    let mut csv = String::from(HEADER);
    for i in 0..40_000 {
        csv.push_str(&format!("2022,5/1/22,5/31/22,O{i},SQUARERT-{i},8.99,HO,62304,30203,0,1386,422\n"));
    }
    let mut calls = 0;
    let mut last = 0;
    let done = ingest_file(&file("big.csv", csv.as_bytes(), 7919), |bytes| {
        calls += 1;
        last = bytes;
    })
    .await
    .expect("the file is read");
    assert!(calls > 1, "read in more than one chunk ({calls})");
    assert_eq!(last, csv.len() as u64);
    let report = done.report;
    assert_eq!(report.name, "big.csv");
    assert_eq!(report.kind, Some(slatelens_core::Kind::Subscriptions));
    assert_eq!((report.rows, report.used, report.rejected), (40_000, 40_000, 0));
}
