//! Entry point of the web page and of its worker.
//!
//! The same wasm bundle runs in both: on the page, `main` mounts the app; in
//! the Web Worker (no `window`), `main` does nothing and `web/worker.js` calls
//! [`worker_main`]. All logic lives in the library (`slatelens_web`).

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    if web_sys::window().is_some() {
        console_error_panic_hook::set_once();
        slatelens_web::mount();
    }
}

/// Starts the file-reading engine inside the Web Worker.
#[wasm_bindgen]
pub fn worker_main() {
    slatelens_web::worker::start();
}
