//! Reading a browser `File` as a stream of chunks.
//!
//! The file is never loaded whole: `File.stream()` hands out chunks (typically
//! 64 KiB) and each one is copied into one reused buffer and handed on, so
//! memory stays flat whatever the file size. Used by the worker; the
//! [`ingest_file`] convenience is what the browser tests drive.

use crate::engine::Reader;
use js_sys::{Reflect, Uint8Array};
use slatelens_core::IngestedFile;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ReadableStreamDefaultReader};

/// Streams `file`, calling `on_chunk` with each chunk until it returns `false`
/// (then the stream is cancelled). Returns whether the file was read to the end.
/// The error says what the browser refused (the caller names the file).
pub async fn stream_chunks(file: &File, mut on_chunk: impl FnMut(&[u8]) -> bool) -> Result<bool, String> {
    let fail = |what: &str, err: JsValue| format!("{what}: {}", describe(&err));
    let reader: ReadableStreamDefaultReader = file.stream().get_reader().unchecked_into();
    let mut buf = Vec::new();
    let mut since_yield = 0usize;
    loop {
        // A file's chunks often arrive as microtasks, which never let the event
        // loop run: yield to it now and then, so messages (cancel) get through.
        if since_yield >= YIELD_EVERY {
            since_yield = 0;
            yield_to_events().await;
        }
        let result = JsFuture::from(reader.read()).await.map_err(|e| fail("read", e))?;
        let done = Reflect::get(&result, &JsValue::from_str("done")).map_err(|e| fail("read", e))?;
        if done.as_bool().unwrap_or(false) {
            break;
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|e| fail("read", e))?;
        let chunk: Uint8Array = value.dyn_into().map_err(|v| fail("unexpected chunk", v))?;
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        since_yield += buf.len();
        if !on_chunk(&buf) {
            let _ = reader.cancel();
            return Ok(false);
        }
    }
    reader.release_lock();
    Ok(true)
}

/// Reads `file` (a report, or a `.gz` of one) into core, calling
/// `on_progress(bytes)` after each chunk.
pub async fn ingest_file(file: &File, mut on_progress: impl FnMut(u64)) -> Result<IngestedFile, String> {
    let mut reader = Reader::new(&file.name());
    let mut bytes = 0u64;
    stream_chunks(file, |chunk| {
        reader.push(chunk);
        bytes += chunk.len() as u64;
        on_progress(bytes);
        true
    })
    .await?;
    Ok(reader.finish())
}

/// Bytes read between two yields to the event loop.
const YIELD_EVERY: usize = 4 << 20;

/// Lets the event loop run once (a zero-delay timer), on the page or in a worker.
pub async fn yield_to_events() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&JsValue::NULL, &resolve, &JsValue::from(0));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A JavaScript error as one line of text.
pub fn describe(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}
