//! The Web Worker that reads files: streams each `File` in chunks into core,
//! reports progress, and posts the analysis after every file.
//!
//! `web/worker.js` loads the same wasm bundle as the page and calls
//! [`start`]. Files are read one at a time from a queue; between chunks the
//! worker yields to its event loop, so a "cancel" message is seen at once.
//! Where the machine has cores to spare, a big file is read in byte ranges
//! with helper workers, which run this same code ([`crate::ranges`]).
//! Nothing here computes a number: that is [`crate::engine`] and core.

use crate::engine::{is_zip, Engine, Reader};
use crate::protocol::{FromWorker, ToWorker, WORKER_IDS};
use crate::ranges::Split;
use js_sys::Reflect;
use slatelens_core::archive::{DirectoryStep, ZipDirectory, ZipEntryIngest};
use slatelens_core::ingest::Mapping;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

/// Progress is posted at most once per this many milliseconds: ten updates a
/// second move the bar smoothly, and each one costs the page a message, a
/// re-render and a layout (once per MiB, it was 125 a second and 180 ms of the
/// page's main thread on a 271 MB file, competing with the reading on 2 cores).
const PROGRESS_EVERY_MS: f64 = 100.0;

/// Whether progress is due again (the first call always is).
#[derive(Default)]
pub(crate) struct Pace {
    last: Option<f64>,
}

impl Pace {
    pub(crate) fn due(&mut self) -> bool {
        let now = js_sys::Date::now();
        if self.last.is_some_and(|t| now - t < PROGRESS_EVERY_MS) {
            return false;
        }
        self.last = Some(now);
        true
    }
}

enum Job {
    File { id: u64, file: File },
    Demo,
}

struct State {
    engine: Engine,
    /// The `File` of each plain file read, to read it again with a mapping.
    kept: HashMap<u64, File>,
    /// The session's column mappings.
    mappings: Vec<Mapping>,
    queue: VecDeque<Job>,
    busy: bool,
    next_id: u64,
}

thread_local! {
    static STATE: RefCell<State> =
        RefCell::new(State {
            engine: Engine::default(),
            kept: HashMap::new(),
            mappings: Vec::new(),
            queue: VecDeque::new(),
            busy: false,
            next_id: WORKER_IDS,
        });
    static CANCEL: Cell<bool> = const { Cell::new(false) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    match serde_json::to_string(msg) {
        Ok(json) => {
            let _ = scope().post_message(&JsValue::from_str(&json));
        }
        Err(e) => web_sys::console::error_1(&format!("slatelens worker: cannot encode a message: {e}").into()),
    }
}

fn new_id() -> u64 {
    STATE.with_borrow_mut(|s| {
        s.next_id += 1;
        s.next_id
    })
}

/// Installs the message handler. Called once by `web/worker.js`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromWorker::Fatal { message: format!("the reader stopped on an internal error: {info}") });
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        let json = Reflect::get(&data, &"json".into()).ok().and_then(|v| v.as_string());
        let Some(msg) = json.and_then(|j| serde_json::from_str::<ToWorker>(&j).ok()) else {
            web_sys::console::error_1(&"slatelens worker: unreadable message".into());
            return;
        };
        match msg {
            ToWorker::Add { id } => {
                if let Some(file) = Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<File>().ok()) {
                    if !is_zip(&file.name()) {
                        STATE.with_borrow_mut(|s| s.kept.insert(id, file.clone()));
                    }
                    enqueue(Job::File { id, file });
                }
            }
            ToWorker::Demo => enqueue(Job::Demo),
            ToWorker::Remove { id } => {
                STATE.with_borrow_mut(|s| {
                    s.queue.retain(|j| !matches!(j, Job::File { id: q, .. } if *q == id));
                    s.engine.remove(id);
                    s.kept.remove(&id);
                });
                post_analysis();
            }
            ToWorker::Clear => {
                CANCEL.set(true);
                STATE.with_borrow_mut(|s| {
                    s.queue.clear();
                    s.engine.clear();
                    s.kept.clear();
                });
                post_analysis();
            }
            ToWorker::Mapping { mapping } => {
                // Re-read (in order, after what is queued) every kept file the mapping fits.
                let again: Vec<(u64, File)> = STATE.with_borrow_mut(|s| {
                    s.mappings.retain(|m| m.header != mapping.header);
                    s.mappings.push(mapping.clone());
                    s.engine
                        .matching(&mapping)
                        .into_iter()
                        .filter_map(|id| Some((id, s.kept.get(&id)?.clone())))
                        .collect()
                });
                for (id, file) in again {
                    enqueue(Job::File { id, file });
                }
            }
            ToWorker::ForgetMappings => {
                // Re-read (without mappings) every kept file one of them fitted.
                let again: Vec<(u64, File)> = STATE.with_borrow_mut(|s| {
                    let old = std::mem::take(&mut s.mappings);
                    let mut ids: Vec<u64> = old.iter().flat_map(|m| s.engine.matching(m)).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids.into_iter().filter_map(|id| Some((id, s.kept.get(&id)?.clone()))).collect()
                });
                for (id, file) in again {
                    enqueue(Job::File { id, file });
                }
            }
            ToWorker::ReadRange { name, mappings, head, start, end } => {
                // This worker is a helper of another (see `crate::ranges`).
                if let Some(file) = Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<File>().ok()) {
                    spawn_local(crate::ranges::read_range_job(file, name, mappings, head, start, end));
                }
            }
            ToWorker::Cancel => {
                CANCEL.set(true);
                let dropped: Vec<u64> = STATE.with_borrow_mut(|s| {
                    s.queue
                        .drain(..)
                        .filter_map(|j| match j {
                            Job::File { id, .. } => Some(id),
                            Job::Demo => None,
                        })
                        .collect()
                });
                for id in dropped {
                    post(&FromWorker::Cancelled { id });
                }
            }
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn enqueue(job: Job) {
    let start = STATE.with_borrow_mut(|s| {
        s.queue.push_back(job);
        !std::mem::replace(&mut s.busy, true)
    });
    if start {
        spawn_local(run_queue());
    }
}

async fn run_queue() {
    loop {
        let Some(job) = STATE.with_borrow_mut(|s| {
            let job = s.queue.pop_front();
            if job.is_none() {
                s.busy = false;
            }
            job
        }) else {
            return;
        };
        CANCEL.set(false);
        match job {
            Job::File { id, file } => read_file(id, file).await,
            Job::Demo => demo(),
        }
        post_analysis();
    }
}

fn post_analysis() {
    let (ids, analysis) = STATE.with_borrow(|s| s.engine.analysis());
    post(&FromWorker::Analysis { ids, analysis: Box::new(analysis) });
}

fn keep(id: u64, parent: Option<u64>, file: slatelens_core::IngestedFile) {
    post(&FromWorker::Done { id, report: Box::new(file.report.clone()) });
    STATE.with_borrow_mut(|s| s.engine.insert(id, parent, file));
}

async fn read_file(id: u64, file: File) {
    post(&FromWorker::Started { id });
    let name = file.name();
    if is_zip(&name) {
        return read_zip(id, &name, file).await;
    }
    let mappings = STATE.with_borrow(|s| s.mappings.clone());
    let mut reader = Reader::with_mappings(&name, &mappings);
    let mut pace = Pace::default();
    let mut rest: web_sys::Blob = file.clone().into();
    let readers = crate::ranges::readers();
    if readers > 1 && file.size() as u64 >= slatelens_core::ingest::SPLIT_FROM_BYTES {
        let progress = |bytes, rows| {
            if pace.due() {
                post(&FromWorker::Progress { id, bytes, rows });
            }
        };
        match crate::ranges::read(&file, &mappings, readers, progress, || CANCEL.get()).await {
            Split::Done(ingested) => {
                let (bytes, rows) = (ingested.report.bytes, ingested.report.rows);
                post(&FromWorker::Progress { id, bytes, rows });
                return keep(id, None, *ingested);
            }
            Split::Cancelled => return post(&FromWorker::Cancelled { id }),
            Split::Continue(ingest, pos) => match file.slice_with_f64(pos as f64) {
                Ok(blob) => {
                    reader = Reader::Plain(ingest);
                    rest = blob;
                }
                Err(e) => return keep(id, None, failed_read(&name, &crate::read::describe(&e))),
            },
            Split::FromStart => {}
        }
    }
    let read = crate::read::stream_chunks(&rest, |chunk| {
        if CANCEL.get() {
            return false;
        }
        reader.push(chunk);
        if pace.due() {
            let (bytes, rows) = reader.progress();
            post(&FromWorker::Progress { id, bytes, rows });
        }
        true
    })
    .await;
    match read {
        Ok(true) => {
            let (bytes, rows) = reader.progress();
            post(&FromWorker::Progress { id, bytes, rows });
            keep(id, None, reader.finish());
        }
        Ok(false) => post(&FromWorker::Cancelled { id }),
        Err(message) => keep(id, None, failed_read(&name, &message)),
    }
}

fn failed_read(name: &str, message: &str) -> slatelens_core::IngestedFile {
    let mut report = slatelens_core::FileReport::new(name);
    report.error = Some(slatelens_core::FileError::Unreadable { message: message.to_string() });
    slatelens_core::IngestedFile { report, data: None }
}

async fn read_zip(id: u64, name: &str, file: File) {
    // The directory is at the archive's end: read where it asks (small
    // slices), then each entry streams from its offset. The archive is never
    // held whole.
    let mut dir = ZipDirectory::new(name, file.size() as u64);
    let entries = loop {
        match dir.step() {
            DirectoryStep::Read { offset, len } => match crate::read::read_range(&file, offset, len).await {
                Ok(bytes) => dir.provide(&bytes),
                Err(message) => {
                    keep(id, None, failed_read(name, &message));
                    return;
                }
            },
            DirectoryStep::Done(entries) => break entries,
            DirectoryStep::Failed(failed) => {
                keep(id, None, *failed);
                return;
            }
        }
    };
    post(&FromWorker::Archive { id, entries: entries.len() });
    let mappings = STATE.with_borrow(|s| s.mappings.clone());
    for entry in entries {
        if CANCEL.get() {
            post(&FromWorker::Cancelled { id });
            return;
        }
        let entry_id = new_id();
        post(&FromWorker::Added {
            id: entry_id,
            parent: Some(id),
            name: entry.name.clone(),
            size: entry.size,
            demo: false,
        });
        post(&FromWorker::Started { id: entry_id });
        let mut pace = Pace::default();
        let mut ingest = ZipEntryIngest::new(&entry, &mappings);
        let rest = match file.slice_with_f64(entry.offset as f64) {
            Ok(rest) => rest,
            Err(e) => {
                keep(entry_id, Some(id), failed_read(&entry.name, &crate::read::describe(&e)));
                continue;
            }
        };
        let read = crate::read::stream_chunks(&rest, |chunk| {
            if CANCEL.get() {
                return false;
            }
            let more = ingest.push(chunk);
            if pace.due() {
                post(&FromWorker::Progress { id: entry_id, bytes: ingest.bytes_read(), rows: ingest.rows_read() });
            }
            more
        })
        .await;
        if CANCEL.get() {
            post(&FromWorker::Cancelled { id: entry_id });
            post(&FromWorker::Cancelled { id });
            return;
        }
        match read {
            Ok(_) => keep(entry_id, Some(id), ingest.finish()),
            Err(message) => keep(entry_id, Some(id), failed_read(&entry.name, &message)),
        }
    }
}

fn demo() {
    for (name, bytes) in slatelens_core::demo::sample_set(2024) {
        let id = new_id();
        post(&FromWorker::Added { id, parent: None, name: name.clone(), size: bytes.len() as u64, demo: true });
        post(&FromWorker::Started { id });
        let mut reader = Reader::new(&name);
        for chunk in bytes.chunks(64 * 1024) {
            reader.push(chunk);
        }
        let (bytes, rows) = reader.progress();
        post(&FromWorker::Progress { id, bytes, rows });
        keep(id, None, reader.finish());
    }
}
