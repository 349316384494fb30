// Starts the slatelens WebAssembly app.
//
// Trunk writes the hashed names of the wasm-bindgen JS and the .wasm file into
// <script type="application/json" id="slatelens-entry"> (see pattern_script in
// Trunk.toml). Loading them from this external module, rather than from an
// inline script, keeps the Content-Security-Policy free of 'unsafe-inline'.
// Both names are relative ("./..."), so the page works under any sub-path.
const entry = document.getElementById("slatelens-entry");
const jsUrl = new URL(entry.dataset.js, document.baseURI).href;
const wasmUrl = new URL(entry.dataset.wasm, document.baseURI).href;
const { default: init } = await import(jsUrl);
await init({ module_or_path: wasmUrl });
