// Runs bench/wasm (core's ingestion and analysis, compiled for the page's
// target, wasm32-unknown-unknown with SIMD) in node on one file, in 1 MiB
// chunks as the worker reads it, and prints how long each step took. See
// bench/README.md.
//
//   node bench/wasm/run.mjs FILE [--runs N]
//
// Builds the wasm first (cargo, then wasm-bindgen from scripts/setup.sh).
// `node --prof bench/wasm/run.mjs FILE`, then `node --prof-process isolate*.log`,
// profiles it by Rust function.

import { execFileSync } from "node:child_process";
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 1;
const file = args[0] && resolve(args[0]);
if (!file || !(runs >= 1)) {
  console.error("usage: node bench/wasm/run.mjs FILE [--runs N]");
  process.exit(2);
}

const build = (cmd, cmdArgs, env = {}) =>
  execFileSync(cmd, cmdArgs, { cwd: HERE, stdio: "inherit", env: { ...process.env, ...env } });
build("cargo", ["build", "--release", "-q", "--target", "wasm32-unknown-unknown"], {
  RUSTFLAGS: "-C target-feature=+simd128",
});
const wasm = join(HERE, "target/wasm32-unknown-unknown/release/slatelens_wasm_bench.wasm");
build("wasm-bindgen", ["--target", "nodejs", "--out-dir", join(HERE, "target/pkg"), wasm]);
// wasm-bindgen's node glue is CommonJS; the repository's package.json says "module".
writeFileSync(join(HERE, "target/pkg/package.json"), '{ "type": "commonjs" }\n');
const { Bench } = createRequire(import.meta.url)(join(HERE, "target/pkg/slatelens_wasm_bench.js"));

const CHUNK = 1 << 20;
const buf = Buffer.alloc(CHUNK);
for (let run = 1; run <= runs; run++) {
  const fd = openSync(file, "r");
  const bench = new Bench(basename(file));
  let bytes = 0;
  let reading = 0;
  const t0 = performance.now();
  for (;;) {
    const r0 = performance.now();
    const n = readSync(fd, buf, 0, CHUNK, null);
    reading += performance.now() - r0;
    if (n === 0) break;
    bytes += n;
    bench.push(buf.subarray(0, n));
  }
  const pushed = performance.now() - t0 - reading;
  closeSync(fd);
  const t1 = performance.now();
  const summary = bench.finish();
  const finished = performance.now() - t1;
  bench.free();
  console.log(
    `run ${run}: ${basename(file)}, ${bytes.toLocaleString("en-US")} bytes; ` +
      `push ${pushed.toFixed(0)} ms (${(bytes / 1e3 / pushed).toFixed(0)} MB/s), ` +
      `finish, analysis and JSON ${finished.toFixed(0)} ms; ${summary}`,
  );
}
