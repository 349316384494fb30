//! Reading a browser `File` as a stream of chunks.
//!
//! The file is never loaded whole: `File.stream()` is read in chunks of up to
//! 1 MiB into one reused buffer, each copied into wasm memory and handed on,
//! so memory stays flat whatever the file size. Used by the worker; the
//! [`ingest_file`] convenience is what the browser tests drive.

use crate::engine::Reader;
use js_sys::{Reflect, Uint8Array};
use slatelens_core::IngestedFile;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, File, ReadableStream, ReadableStreamByobReader, ReadableStreamDefaultReader, ReadableStreamGetReaderOptions,
    ReadableStreamReaderMode,
};

/// Streams `file` (a `File`, or a `Blob` slice of one), calling `on_chunk`
/// with each chunk until it returns `false` (then the stream is cancelled).
/// Returns whether the file was read to the end.
/// The error says what the browser refused (the caller names the file).
///
/// The stream is read with a "bring your own buffer" reader into one reused
/// 1 MiB buffer: a default reader hands out a new `ArrayBuffer` per chunk,
/// and that garbage piled up to about 90 MB before the worker's GC took it
/// (renderer peak 267 MiB against 211 MiB this way, reading 271 MB without
/// parsing). The next read is asked for as soon as a chunk is copied into
/// wasm memory, so reading overlaps parsing. Browsers without byte streams get
/// the default reader.
pub async fn stream_chunks(file: &Blob, mut on_chunk: impl FnMut(&[u8]) -> bool) -> Result<bool, String> {
    let fail = |what: &str, err: JsValue| format!("{what}: {}", describe(&err));
    let stream = file.stream();
    let reader = match byob_reader(&stream) {
        Some(r) => StreamReader::Byob(r),
        None => StreamReader::Default(stream.get_reader().unchecked_into()),
    };
    // A BYOB read fills `buffer` (and moves it into the chunk it returns).
    let read = |buffer: &js_sys::ArrayBuffer| match &reader {
        StreamReader::Byob(r) => {
            r.read_with_array_buffer_view(&Uint8Array::new_with_byte_offset_and_length(buffer, 0, BYOB_BYTES))
        }
        StreamReader::Default(r) => r.read(),
    };
    let mut pending = read(&js_sys::ArrayBuffer::new(BYOB_BYTES));
    let mut buf = Vec::new();
    let mut since_yield = 0usize;
    loop {
        // A file's chunks often arrive as microtasks, which never let the event
        // loop run: yield to it now and then, so messages (cancel) get through.
        if since_yield >= YIELD_EVERY {
            since_yield = 0;
            yield_to_events().await;
        }
        let result = JsFuture::from(pending).await.map_err(|e| fail("read", e))?;
        let done = Reflect::get(&result, &JsValue::from_str("done")).map_err(|e| fail("read", e))?;
        if done.as_bool().unwrap_or(false) {
            break;
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|e| fail("read", e))?;
        let chunk: Uint8Array = value.dyn_into().map_err(|v| fail("unexpected chunk", v))?;
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        // The chunk is copied: ask for the next one now (into the same buffer,
        // which the read moved into `chunk`), so the browser reads it while
        // this one is parsed.
        pending = read(&chunk.buffer());
        since_yield += buf.len();
        if !on_chunk(&buf) {
            let _ = match &reader {
                StreamReader::Byob(r) => r.cancel(),
                StreamReader::Default(r) => r.cancel(),
            };
            return Ok(false);
        }
    }
    Ok(true)
}

/// The buffer a "bring your own buffer" read fills.
const BYOB_BYTES: u32 = 1 << 20;

/// How the stream is read.
enum StreamReader {
    Byob(ReadableStreamByobReader),
    Default(ReadableStreamDefaultReader),
}

/// A "bring your own buffer" reader of `stream`, if the browser has them.
fn byob_reader(stream: &ReadableStream) -> Option<ReadableStreamByobReader> {
    let options = ReadableStreamGetReaderOptions::new();
    options.set_mode(ReadableStreamReaderMode::Byob);
    // Called through `Function::call1`, which catches the TypeError a stream
    // that is not a byte stream throws (web-sys's binding does not catch).
    let get_reader: js_sys::Function = Reflect::get(stream, &JsValue::from_str("getReader")).ok()?.dyn_into().ok()?;
    get_reader.call1(stream, &options).ok()?.dyn_into().ok()
}

/// Reads bytes `[offset, offset + len)` of `file` (fewer at its end), for a
/// zip's directory.
pub async fn read_range(file: &File, offset: u64, len: usize) -> Result<Vec<u8>, String> {
    let end = offset.saturating_add(len as u64);
    let slice = file.slice_with_f64_and_f64(offset as f64, end as f64).map_err(|e| describe(&e))?;
    let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|e| describe(&e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
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

/// Lets the event loop run once, on the page or in a worker, so messages
/// waiting (a "cancel") are handled: a message to itself through a
/// `MessageChannel`, which unlike a zero-delay timer is not held back 4 ms
/// once timers nest (that cost about 0.2 s on a 271 MB file). A zero-delay
/// timer where there is no `MessageChannel`.
pub async fn yield_to_events() {
    let channel = web_sys::MessageChannel::new().ok();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(ch) = &channel {
            ch.port1().set_onmessage(Some(resolve.unchecked_ref()));
            if ch.port2().post_message(&JsValue::NULL).is_ok() {
                return;
            }
        }
        call_later(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
    // Closed only now: the channel lives until its message has arrived.
    if let Some(ch) = channel {
        ch.port1().set_onmessage(None);
        ch.port1().close();
    }
}

/// Waits `ms` milliseconds (messages are handled meanwhile).
pub async fn sleep_ms(ms: i32) {
    let _ = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| call_later(&resolve, ms))).await;
}

/// Calls `f` after `ms` milliseconds through `setTimeout` (at once where there is none).
fn call_later(f: &js_sys::Function, ms: i32) {
    let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
        .ok()
        .and_then(|t| t.dyn_into::<js_sys::Function>().ok());
    let _ = match set_timeout {
        Some(t) => t.call2(&JsValue::NULL, f, &JsValue::from(ms)),
        None => f.call0(&JsValue::NULL),
    };
}

/// A JavaScript error as one line of text.
pub fn describe(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}
