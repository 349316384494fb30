//! Reading a browser `File` as a stream of chunks into core's [`Ingest`].
//!
//! The file is never loaded whole: `File.stream()` hands out chunks (typically
//! 64 KiB) and each one is copied into one reused buffer and pushed to core, so
//! memory stays flat whatever the file size.

use js_sys::{Reflect, Uint8Array};
use slatelens_core::{Ingest, IngestedFile};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ReadableStreamDefaultReader};

/// Reads `file` chunk by chunk into an [`Ingest`] named after it, calling
/// `on_progress` with the bytes read so far after each chunk.
///
/// The error is one line that names the file, for the page to show as is.
pub async fn ingest_file(file: &File, mut on_progress: impl FnMut(u64)) -> Result<IngestedFile, String> {
    let name = file.name();
    let fail = |what: &str, err: JsValue| format!("{name}: could not read the file ({what}: {})", describe(&err));
    let mut ingest = Ingest::new(&name);
    let reader: ReadableStreamDefaultReader = file.stream().get_reader().unchecked_into();
    let mut buf = Vec::new();
    let mut bytes = 0u64;
    loop {
        let result = JsFuture::from(reader.read()).await.map_err(|e| fail("read", e))?;
        let done = Reflect::get(&result, &JsValue::from_str("done")).map_err(|e| fail("read", e))?;
        if done.as_bool().unwrap_or(false) {
            break;
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|e| fail("read", e))?;
        let chunk: Uint8Array = value.dyn_into().map_err(|v| fail("unexpected chunk", v))?;
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        ingest.push(&buf);
        bytes += buf.len() as u64;
        on_progress(bytes);
    }
    reader.release_lock();
    Ok(ingest.finish())
}

/// A JavaScript error as one line of text.
fn describe(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}
