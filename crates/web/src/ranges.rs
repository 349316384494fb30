//! One big file read by several workers at once, in byte ranges.
//!
//! Where the machine has cores to spare ([`readers`]), the reading worker
//! reads the head of a big plain file until core knows its layout
//! (`Ingest::can_split`), cuts the rest at line starts, and starts a helper
//! worker (this same bundle, `web/worker.js`) per later range. Each helper
//! reads the head again (the same bytes give the same layout), then its
//! range, and sends back what it read as bytes (`RangePart::to_bytes`,
//! transferred, not copied); the reading worker reads the first range
//! meanwhile, then absorbs the parts in order, which gives exactly what one
//! reader gives (`crates/core/tests/ranges.rs`). Workers share no memory, so
//! this is the only way across (a `SharedArrayBuffer` needs cross-origin
//! isolation, which a static page cannot count on). When anything goes
//! wrong (a cut inside a quoted line break, a helper that fails) the file
//! is read again in one piece.

use crate::protocol::{FromWorker, ToWorker};
use crate::read::{describe, read_range, sleep_ms, stream_chunks};
use js_sys::{Reflect, Uint8Array};
use slatelens_core::archive::Container;
use slatelens_core::ingest::{range_feed_start, Mapping, RangeCuts, RangePart};
use slatelens_core::{Ingest, IngestedFile};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The head is read in pieces of this size.
const HEAD_PIECE: usize = 1 << 20;

/// Bytes this worker reads beyond an even share: a helper also spends time
/// starting and serializing its part (about 100 and 60 ms for the 271 MB
/// benchmark file), so an even cut left this worker waiting. With two
/// readers on 2 cores, 8 and 16 MiB gave the same 1.28–1.34 s (even: 1.28 s
/// with this worker idle 200 ms before the part came).
const HELPER_HEAD_START: u64 = 8 << 20;

/// A helper that reads nothing for this long is given up on (the file is
/// then read in one piece).
const STALL_MS: f64 = 30_000.0;

/// Most workers reading one file.
const MAX_READERS: u32 = 8;

/// How many workers read one big file: the `readers` the page's address
/// asked for, else one per core beyond two (one core stays with the page,
/// and a second reader costs its own copy of the aggregate: on two cores
/// one worker keeps memory lowest), at most four.
pub fn readers() -> u32 {
    let global = js_sys::global();
    let asked = Reflect::get(&global, &"slatelensInit".into())
        .ok()
        .and_then(|init| Reflect::get(&init, &"readers".into()).ok())
        .and_then(|n| n.as_f64());
    if let Some(n) = asked {
        return (n as u32).clamp(1, MAX_READERS);
    }
    let cores = Reflect::get(&global, &"navigator".into())
        .ok()
        .and_then(|n| Reflect::get(&n, &"hardwareConcurrency".into()).ok())
        .and_then(|n| n.as_f64())
        .unwrap_or(1.0) as u32;
    cores.saturating_sub(2).clamp(1, 4)
}

/// What [`read`] did.
pub enum Split {
    /// The file was read in ranges.
    Done(Box<IngestedFile>),
    /// Reading was cancelled.
    Cancelled,
    /// Not split: the caller goes on from byte `pos` with this `Ingest`.
    Continue(Box<Ingest>, u64),
    /// Not split, and nothing kept: the caller reads the file from the start
    /// (a `.gz`, or ranges that could not be joined).
    FromStart,
}

/// Reads `file` with up to `readers` workers. `on_progress(bytes, rows)` is
/// called as reading goes on (summed over the ranges); `cancelled()` is
/// asked between chunks.
pub async fn read(
    file: &File,
    mappings: &[Mapping],
    readers: u32,
    mut on_progress: impl FnMut(u64, u64),
    cancelled: impl Fn() -> bool,
) -> Split {
    let name = file.name();
    let size = file.size() as u64;
    let mut first = Ingest::with_mappings(&name, mappings);
    let mut pos = 0u64;
    while first.may_split_later() && pos < size {
        let Ok(piece) = read_range(file, pos, HEAD_PIECE).await else { return Split::FromStart };
        if pos == 0 && Container::sniff(&piece) != Container::Plain {
            return Split::FromStart; // The caller's reader unpacks it.
        }
        if piece.is_empty() {
            break;
        }
        first.push(&piece);
        pos += piece.len() as u64;
    }
    if !first.can_split() {
        return Split::Continue(Box::new(first), pos);
    }
    // This worker's range is longer by what a helper spends besides reading
    // (starting, sending its part), so that all finish together.
    let mut cuts = RangeCuts::new(pos, size, u64::from(readers), HELPER_HEAD_START);
    while let Some((offset, len)) = cuts.next_read() {
        cuts.provide(&read_range(file, offset, len).await.unwrap_or_default());
    }
    let starts = cuts.starts().to_vec();
    if starts.is_empty() {
        return Split::Continue(Box::new(first), pos);
    }
    let ends: Vec<u64> = starts.iter().skip(1).copied().chain([size]).collect();
    let mut helpers = Vec::new();
    for (&start, &end) in starts.iter().zip(&ends) {
        match Helper::start(file, &name, mappings, pos, start, end) {
            Ok(h) => helpers.push(h),
            Err(_) => {
                helpers.iter().for_each(Helper::stop);
                return Split::Continue(Box::new(first), pos);
            }
        }
    }
    let progress = |first: &Ingest, helpers: &[Helper]| {
        let (mut bytes, mut rows) = (first.bytes_read(), first.rows_read());
        for h in helpers {
            let s = h.state.borrow();
            bytes += s.bytes;
            rows += s.rows;
        }
        (bytes, rows)
    };
    // The first range, here, while the helpers read theirs.
    let Ok(range) = file.slice_with_f64_and_f64(pos as f64, starts[0] as f64) else {
        helpers.iter().for_each(Helper::stop);
        return Split::FromStart;
    };
    let read = stream_chunks(&range, |chunk| {
        if cancelled() {
            return false;
        }
        first.push(chunk);
        let (bytes, rows) = progress(&first, &helpers);
        on_progress(bytes, rows);
        true
    })
    .await;
    if !matches!(read, Ok(true)) {
        helpers.iter().for_each(Helper::stop);
        return if cancelled() { Split::Cancelled } else { Split::FromStart };
    }
    // Then each helper's part, in order.
    for h in &helpers {
        let mut last = (h.state.borrow().bytes, js_sys::Date::now());
        let outcome = loop {
            if cancelled() {
                helpers.iter().for_each(Helper::stop);
                return Split::Cancelled;
            }
            if let Some(outcome) = h.state.borrow_mut().outcome.take() {
                break outcome;
            }
            let now = js_sys::Date::now();
            let bytes_now = h.state.borrow().bytes;
            if bytes_now != last.0 {
                last = (bytes_now, now);
            } else if now - last.1 > STALL_MS {
                break Err("the helper stopped reading".to_string());
            }
            let (bytes, rows) = progress(&first, &helpers);
            on_progress(bytes, rows);
            sleep_ms(20).await;
        };
        h.stop();
        // Into wasm memory only now, one part at a time.
        let part = outcome.and_then(|buffer| RangePart::from_bytes(&Uint8Array::new(&buffer).to_vec()));
        let absorbed = part.is_ok_and(|p| first.absorb_part(p));
        if !absorbed {
            helpers.iter().for_each(Helper::stop);
            return Split::FromStart;
        }
    }
    let (bytes, rows) = progress(&first, &[]);
    on_progress(bytes, rows);
    Split::Done(Box::new(first.finish()))
}

/// What a helper has said so far.
#[derive(Default)]
struct HelperState {
    bytes: u64,
    rows: u64,
    /// Its part's bytes, or why there is none.
    outcome: Option<Result<js_sys::ArrayBuffer, String>>,
}

/// A helper worker reading one range. Stopped when dropped, so its handlers
/// are never called once gone.
struct Helper {
    worker: Worker,
    state: Rc<RefCell<HelperState>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Helper {
    /// Starts a worker on `[start, end)` of `file`.
    fn start(
        file: &File,
        name: &str,
        mappings: &[Mapping],
        head: u64,
        start: u64,
        end: u64,
    ) -> Result<Helper, JsValue> {
        let global = js_sys::global();
        let init = Reflect::get(&global, &"slatelensInit".into())?;
        let href = Reflect::get(&Reflect::get(&global, &"location".into())?, &"href".into())?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&href.as_string().unwrap_or_default(), &options)?;
        let state = Rc::new(RefCell::new(HelperState::default()));
        let on_message = {
            let state = state.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let json = data.as_string().or_else(|| Reflect::get(&data, &"json".into()).ok()?.as_string());
                let mut s = state.borrow_mut();
                match json.and_then(|j| serde_json::from_str::<FromWorker>(&j).ok()) {
                    Some(FromWorker::RangeProgress { bytes, rows }) => (s.bytes, s.rows) = (bytes, rows),
                    Some(FromWorker::RangeDone) => {
                        let part = Reflect::get(&data, &"part".into())
                            .ok()
                            .and_then(|p| p.dyn_into::<js_sys::ArrayBuffer>().ok());
                        s.outcome = Some(part.ok_or_else(|| "no part".to_string()));
                    }
                    Some(FromWorker::RangeFailed { message } | FromWorker::Fatal { message }) => {
                        s.outcome = Some(Err(message))
                    }
                    _ => {}
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error = {
            let state = state.clone();
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                state.borrow_mut().outcome.get_or_insert(Err(e.message()));
            })
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let helper = Helper { worker, state, _on_message: on_message, _on_error: on_error };
        let worker = &helper.worker;
        worker.post_message(&init)?;
        let msg = ToWorker::ReadRange { name: name.to_string(), mappings: mappings.to_vec(), head, start, end };
        let data = js_sys::Object::new();
        Reflect::set(&data, &"json".into(), &serde_json::to_string(&msg).unwrap_or_default().into())?;
        Reflect::set(&data, &"file".into(), file)?;
        worker.post_message(&data)?;
        Ok(helper)
    }

    /// Stops the worker now (its memory goes with it).
    fn stop(&self) {
        self.worker.terminate();
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.stop();
    }
}

/// In a helper: reads the range and posts its part (or why not).
pub async fn read_range_job(file: File, name: String, mappings: Vec<Mapping>, head: u64, start: u64, end: u64) {
    let post = |msg: &FromWorker, part: Option<&js_sys::ArrayBuffer>| {
        let data = js_sys::Object::new();
        let _ = Reflect::set(&data, &"json".into(), &serde_json::to_string(msg).unwrap_or_default().into());
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let sent = match part {
            Some(p) => {
                let _ = Reflect::set(&data, &"part".into(), p);
                scope.post_message_with_transfer(&data, &js_sys::Array::of1(p))
            }
            None => scope.post_message(&data),
        };
        if let Err(e) = sent {
            web_sys::console::error_1(&e);
        }
    };
    let fail = |message: String| post(&FromWorker::RangeFailed { message }, None);
    let slice = |from: u64, to: u64| file.slice_with_f64_and_f64(from as f64, to as f64).map_err(|e| describe(&e));
    // The head again: the same bytes give the same layout and conventions.
    let mut first = Ingest::with_mappings(&name, &mappings);
    let head_read = match slice(0, head) {
        Ok(blob) => {
            stream_chunks(&blob, |chunk| {
                first.push(chunk);
                true
            })
            .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = head_read {
        return fail(e);
    }
    let Some(mut range) = first.range_sibling(start) else {
        return fail("the file's head did not give a layout to read ranges with".to_string());
    };
    drop(first);
    let mut pace = crate::worker::Pace::default();
    let read = match slice(range_feed_start(start), end) {
        Ok(blob) => {
            stream_chunks(&blob, |chunk| {
                range.push(chunk);
                if pace.due() {
                    post(&FromWorker::RangeProgress { bytes: range.bytes_read(), rows: range.rows_read() }, None);
                }
                true
            })
            .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = read {
        return fail(e);
    }
    post(&FromWorker::RangeProgress { bytes: range.bytes_read(), rows: range.rows_read() }, None);
    let Some(part) = range.into_range_part() else {
        return fail("the range is not of a kind read in ranges".to_string());
    };
    let bytes = match part.to_bytes() {
        Ok(bytes) => bytes,
        Err(e) => return fail(e),
    };
    drop(part);
    let buffer = Uint8Array::from(&bytes[..]).buffer();
    drop(bytes);
    post(&FromWorker::RangeDone, Some(&buffer));
}
