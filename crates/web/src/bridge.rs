//! The page's side of the worker: starts it, sends it files and commands, and
//! turns its messages into the page's signals.
//!
//! The worker is `worker.js` beside `index.html` (same origin, so the page's
//! Content-Security-Policy allows it); it loads the same wasm bundle, whose
//! file names the page reads from the `#slatelens-entry` element Trunk writes.

use crate::model::Files;
use crate::protocol::{FromWorker, ToWorker};
use leptos::prelude::*;
use slatelens_core::ingest::Mapping;
use slatelens_core::Analysis;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// What the page keeps of the worker's messages.
#[derive(Clone, Copy)]
pub struct Shared {
    /// Every file and its state.
    pub files: RwSignal<Files>,
    /// The latest analysis (`None` until the first file is read).
    pub analysis: RwSignal<Option<Analysis>>,
    /// Set when the worker could not start or stopped on a bug.
    pub fatal: RwSignal<Option<String>>,
    /// The column mappings installed in this session (see [`crate::mapping`]).
    pub mappings: RwSignal<Vec<Mapping>>,
}

/// Milliseconds on the page's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Starts the worker and routes its messages into `shared`; hands it the
/// mappings this tab remembers before any file.
pub fn start(shared: Shared) {
    match spawn(shared) {
        Ok(worker) => WORKER.with_borrow_mut(|w| *w = Some(worker)),
        Err(e) => shared.fatal.set(Some(format!("the file reader could not start ({})", crate::read::describe(&e)))),
    }
    crate::mapping::restore_session(shared);
}

fn spawn(shared: Shared) -> Result<Worker, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let entry = document.get_element_by_id("slatelens-entry").ok_or("the page was not built by Trunk")?;
    let base = document.base_uri()?.unwrap_or_default();
    let url = |attr: &str| -> Result<String, JsValue> {
        Ok(web_sys::Url::new_with_base(&entry.get_attribute(attr).unwrap_or_default(), &base)?.href())
    };
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&web_sys::Url::new_with_base("worker.js", &base)?.href(), &options)?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(json) = e.data().as_string() else { return };
        match serde_json::from_str::<FromWorker>(&json) {
            Ok(msg) => receive(shared, msg),
            Err(err) => web_sys::console::error_1(&format!("slatelens: unreadable worker message: {err}").into()),
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        shared.fatal.set(Some(format!("the file reader stopped: {}", e.message())));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"op".into(), &"init".into())?;
    js_sys::Reflect::set(&init, &"js".into(), &url("data-js")?.into())?;
    js_sys::Reflect::set(&init, &"wasm".into(), &url("data-wasm")?.into())?;
    // The page's compiled module, so the worker shares its code rather than
    // fetching and compiling the same .wasm a second time.
    js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module())?;
    // `?readers=N` in the page's address: N workers per big file, whatever
    // the machine's cores (see `crate::ranges::readers`).
    if let Some(n) = readers_asked() {
        js_sys::Reflect::set(&init, &"readers".into(), &n.into())?;
    }
    worker.post_message(&init)?;
    Ok(worker)
}

/// The `readers` number in the page's address, if any.
fn readers_asked() -> Option<u32> {
    let search = web_sys::window()?.location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("readers=")?.parse().ok())
}

fn receive(shared: Shared, msg: FromWorker) {
    match msg {
        FromWorker::Analysis { ids, analysis } => {
            shared.files.update(|f| f.apply_analysis(&ids, &analysis));
            shared.analysis.set(Some(*analysis));
        }
        FromWorker::Fatal { message } => shared.fatal.set(Some(message)),
        other => {
            let now = now_ms();
            if shared.files.try_update_untracked(|f| f.apply(&other, now)) == Some(true) {
                shared.files.notify();
            }
        }
    }
}

/// Sends a command, with a `File` beside it for [`ToWorker::Add`].
pub fn send(msg: &ToWorker, file: Option<&File>) {
    WORKER.with_borrow(|w| {
        let Some(worker) = w else { return };
        let Ok(json) = serde_json::to_string(msg) else { return };
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"json".into(), &json.into());
        if let Some(file) = file {
            let _ = js_sys::Reflect::set(&data, &"file".into(), file);
        }
        if let Err(e) = worker.post_message(&data) {
            web_sys::console::error_1(&e);
        }
    });
}

/// Lists `files` on the page and sends them to the worker to read, in order.
/// Mapping files (`.json`) among them are installed first, so the reports
/// dropped with them are read with them.
pub fn add_files(shared: Shared, files: Vec<File>) {
    let (mappings, reports): (Vec<File>, Vec<File>) =
        files.into_iter().partition(|f| crate::mapping::is_mapping_file(&f.name()));
    if mappings.is_empty() {
        return add_reports(shared, reports);
    }
    wasm_bindgen_futures::spawn_local(async move {
        for file in mappings {
            if let Err(message) = crate::mapping::install_file(shared, &file).await {
                shared.files.update(|f| {
                    let id = f.add(&file.name(), file.size() as u64);
                    f.finish(id, crate::model::FileState::Failed(message));
                });
            }
        }
        add_reports(shared, reports);
    });
}

fn add_reports(shared: Shared, files: Vec<File>) {
    for file in files {
        let id = shared.files.try_update(|f| f.add(&file.name(), file.size() as u64));
        if let Some(id) = id {
            send(&ToWorker::Add { id }, Some(&file));
        }
    }
}
