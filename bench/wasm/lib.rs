//! The page worker's work on one file, without the browser: chunks pushed
//! into [`Ingest`] as the worker pushes them, then the analysis and its JSON.
//! Built for `wasm32-unknown-unknown` with SIMD, as the page is, and driven by
//! node (`bench/wasm/run.mjs`, which reads the file and times each step), it
//! measures the same compiled Rust as the worker runs, away from the page,
//! its reading and its noise, and can be profiled with `node --prof`.

use slatelens_core::{analyze, Ingest};
use wasm_bindgen::prelude::*;

/// One file being read.
#[wasm_bindgen]
pub struct Bench {
    ingest: Option<Ingest>,
}

#[wasm_bindgen]
impl Bench {
    /// Starts reading a file called `name`.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str) -> Bench {
        Bench { ingest: Some(Ingest::new(name)) }
    }

    /// The next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        if let Some(ingest) = &mut self.ingest {
            ingest.push(chunk);
        }
    }

    /// Ends the file and analyses it: rows read, used and rejected, and the
    /// length of the analysis as JSON, as one line.
    pub fn finish(&mut self) -> String {
        let Some(ingest) = self.ingest.take() else { return String::new() };
        let file = ingest.finish();
        let (rows, used, rejected) = (file.report.rows, file.report.used, file.report.rejected);
        let json = serde_json::to_string(&analyze(&[file])).map_or(0, |j| j.len());
        format!("rows read/used/rejected {rows}/{used}/{rejected}, analysis {json} bytes of JSON")
    }
}
