// The Web Worker that reads report files for slatelens.
//
// The page posts {op: "init", js, wasm, module, readers} first: the URLs of the same
// wasm-bindgen module and .wasm file the page runs, and the page's compiled
// WebAssembly.Module (shared, so its code is not compiled twice; the .wasm URL
// is the fallback when no module came), and `readers` when the page's address
// asks for a number of workers per big file. This script loads them and
// hands control to Rust (`worker_main`), which installs its own message
// handler; messages that arrive before that are replayed to it in order.
// Nothing here reaches any server but the page's own.
const early = [];
let started = false;

self.onmessage = async (event) => {
  const data = event.data;
  if (!started && data && data.op === "init") {
    started = true;
    // Kept for Rust: a worker that reads one big file in ranges starts
    // helpers (this same script) with the same init.
    self.slatelensInit = data;
    try {
      const module = await import(data.js);
      await module.default({ module_or_path: data.module ?? data.wasm });
      module.worker_main();
      for (const message of early.splice(0)) {
        self.onmessage(new MessageEvent("message", { data: message }));
      }
    } catch (error) {
      self.postMessage(JSON.stringify({ op: "fatal", message: `the file reader could not start (${error})` }));
    }
    return;
  }
  early.push(data);
};
