#!/usr/bin/env node
// The browser benchmark: time from a File to "total seconds viewed and
// distinct customers per title" of a Persistent-ID Viewership CSV, for
// slatelens (the built page in dist/) and, in the same run, DuckDB-Wasm and
// Papa Parse from node_modules. Prints MB/s and peak renderer memory per
// engine as a Markdown table. See bench/README.md.
//
//   node bench/browser.mjs [--rows 1000000] [--customers 200000] [--seed S]
//                          [--runs 3] [--engines slatelens,duckdb,papaparse]
//                          [--file path] [--keep] [--readers auto,2]
//
// --readers: the slatelens runs, one per value: `auto` (the page's default:
// one worker per big file on two cores, more where there are more cores) or
// N (the page opened with ?readers=N: N workers read each big file in ranges).
//
// Needs dist/ (`source scripts/env.sh && trunk build --release --public-url ./`)
// and builds the CLI in release mode to generate the file. Everything is
// served from 127.0.0.1; Chromium runs with the offline flags of the e2e tests.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BASE_PATH, launch, startServer } from "../tests/e2e/harness.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENGINES = ["slatelens", "duckdb", "papaparse"];
// node_modules packages the bench page may load; nothing else is served from there.
const SERVED_PACKAGES = ["@duckdb/duckdb-wasm", "apache-arrow", "tslib", "flatbuffers", "papaparse"];
const SAMPLE_MS = 100;

function parseArgs(argv) {
  const o = { rows: 1_000_000, customers: null, seed: null, runs: 3, engines: ENGINES, file: null, keep: false, readers: ["auto"] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--rows") o.rows = Number(val());
    else if (a === "--customers") o.customers = Number(val());
    else if (a === "--seed") o.seed = val();
    else if (a === "--runs") o.runs = Number(val());
    else if (a === "--engines") o.engines = val().split(",").filter(Boolean);
    else if (a === "--file") o.file = resolve(val());
    else if (a === "--keep") o.keep = true;
    else if (a === "--readers") o.readers = val().split(",").filter(Boolean);
    else if (a === "-h" || a === "--help") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 18).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const e of o.engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e} (known: ${ENGINES})`);
  for (const r of o.readers) if (r !== "auto" && !(Number(r) >= 1)) throw new Error(`--readers: ${r} is not auto or a number`);
  if (!(o.rows > 0 && o.runs > 0)) throw new Error("--rows and --runs must be positive");
  // 200,000 customers for a million rows, as a large channel's month; fewer for small files.
  o.customers ??= Math.max(1, Math.min(200_000, Math.round(o.rows / 5)));
  return o;
}

/// Generates the file with the release CLI; returns its path.
function generate(dir, o) {
  console.error("building the release CLI (cargo build --release -p slatelens-cli)...");
  execFileSync("cargo", ["build", "--release", "-q", "-p", "slatelens-cli"], { cwd: ROOT, stdio: "inherit" });
  const path = join(dir, `pid-viewership-${o.rows}.csv`);
  const args = ["generate", "pid-viewership", "--rows", String(o.rows), "--customers", String(o.customers), "-o", path];
  if (o.seed !== null) args.push("--seed", String(o.seed));
  const t = Date.now();
  execFileSync(join(ROOT, "target/release/slatelens"), args, { stdio: "inherit" });
  console.error(`generated ${path}: ${mb(statSync(path).size)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return path;
}

// ---- memory: VmRSS of the Chromium renderer processes of one browser ----

function readProc(pid, name) {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return null;
  }
}

/// Pids of the renderer processes of the browser whose profile is `profile`
/// (Chromium gives every child process the browser's --user-data-dir; children
/// rewrite their argv into one space-separated string, hence the text match).
/// Headless Chromium's own UI renderer (--top-chrome-webui) is left out.
function rendererPids(profile) {
  const out = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const cmd = (readProc(d, "cmdline") ?? "").replaceAll("\0", " ") + " ";
    if (
      cmd.includes(" --type=renderer ") &&
      !cmd.includes(" --top-chrome-webui ") &&
      cmd.includes(` --user-data-dir=${profile} `)
    ) {
      out.push(Number(d));
    }
  }
  return out;
}

/// VmRSS of one process in bytes (0 once it has gone).
function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readProc(pid, "status") ?? "");
  return m ? Number(m[1]) * 1024 : 0;
}

/// Samples every renderer's RSS every SAMPLE_MS (the pid list is refreshed
/// every second). The page's renderer is the one that peaks highest: the page,
/// its workers (DuckDB's, slatelens's) and its wasm memories all live in it;
/// the others are Chromium's spare renderer, idle. `sumPeak` is the highest
/// sum over all renderers, for reference.
function sampler(profile) {
  let pids = [];
  let peaks = new Map();
  let idle = new Map();
  let sumPeak = 0;
  let ticks = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of pids) {
      const b = rss(pid);
      sum += b;
      if (b > (peaks.get(pid) ?? 0)) peaks.set(pid, b);
    }
    sumPeak = Math.max(sumPeak, sum);
  };
  const timer = setInterval(() => {
    if (++ticks % 10 === 0) pids = rendererPids(profile);
    sample();
  }, SAMPLE_MS);
  return {
    /// Starts the measured span; the current RSS of each renderer is its idle baseline.
    start() {
      pids = rendererPids(profile);
      idle = new Map(pids.map((pid) => [pid, rss(pid)]));
      peaks = new Map(idle);
      sumPeak = 0;
      sample();
    },
    /// { peak, idle } of the page's renderer, and the summed peak of all renderers.
    result() {
      sample();
      let page = null;
      for (const [pid, b] of peaks) if (page === null || b > peaks.get(page)) page = pid;
      return { peak: peaks.get(page) ?? 0, idle: idle.get(page) ?? 0, sumPeak, renderers: peaks.size };
    },
    stop: () => clearInterval(timer),
  };
}

// ---- one run of one engine ----

async function oneRun(engine, readers, origin, file, bytes, timeoutMs) {
  const browser = await launch();
  const { page, profile } = browser;
  const mem = sampler(profile);
  try {
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const input = page.getByTestId("file-input");
    if (engine === "slatelens") {
      await page.goto(origin + BASE_PATH + (readers === "auto" ? "" : `?readers=${readers}`));
      await page.getByTestId("intro").waitFor();
    } else {
      await page.goto(`${origin}/bench/page.html?engine=${engine}`);
      await page.evaluate(() => window.benchReady);
    }
    // Idle baseline: the loaded page, before the file.
    await new Promise((ok) => setTimeout(ok, 1000));
    mem.start();
    const t0 = performance.now();
    await input.setInputFiles(file);
    let result;
    if (engine === "slatelens") {
      // Done: the worker has read the file (no progress panel) and the analysis shows the viewership view.
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="viewership-view"]') !== null &&
          document.querySelector('[data-testid="progress"]') === null,
        null,
        { polling: 50, timeout: timeoutMs },
      );
      const ms = performance.now() - t0;
      const m = mem.result();
      await page.getByRole("tab", { name: /^Files/ }).click();
      const counts = (await page.getByTestId("file-rows").textContent()) ?? "";
      const [read, used, rejected] = (counts.match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replaceAll(",", "")));
      result = { ms, ...m, rows: used, rejected, read, counts };
    } else {
      await page.waitForFunction(() => window.benchResult !== null, null, { polling: 50, timeout: timeoutMs });
      const ms = performance.now() - t0;
      const m = mem.result();
      const r = await page.evaluate(() => window.benchResult);
      if (r.error) throw new Error(`${engine}: ${r.error}`);
      result = { ...r, ms, pageMs: r.ms, ...m, info: await page.evaluate(() => window.benchInfo) };
    }
    if (errors.length) console.error(`  ${engine}: page errors: ${errors.join("; ")}`);
    result.mbps = bytes / 1e6 / (result.ms / 1000);
    return result;
  } finally {
    mem.stop();
    await browser.close();
  }
}

// ---- report ----

const packageVersion = (p) => JSON.parse(readFileSync(join(ROOT, "node_modules", p, "package.json"), "utf8")).version;
const mb = (b) => (b / 1e6).toFixed(0);
const mib = (b) => Math.round(b / 2 ** 20);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function machine() {
  const model = cpus()[0]?.model ?? "unknown CPU";
  const chromium = spawnSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { encoding: "utf8" });
  return `${model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ${
    (chromium.stdout || "chromium ?").trim()
  } headless; node ${process.version}`;
}

function sameResults(results) {
  // Every engine that reports a value must agree on it; seconds to a millionth (sums of doubles differ by order).
  const warnings = [];
  for (const key of ["rows", "titles", "pairs", "seconds"]) {
    const have = results.filter((r) => typeof r.last?.[key] === "number");
    if (have.length < 2) continue;
    const ref = have[0].last[key];
    for (const r of have.slice(1)) {
      const v = r.last[key];
      const ok = key === "seconds" ? Math.abs(v - ref) <= 1e-6 * Math.max(1, Math.abs(ref)) : v === ref;
      if (!ok) warnings.push(`${key}: ${have[0].engine} ${ref} but ${r.engine} ${v}`);
    }
  }
  return warnings;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, "dist/index.html")) && o.engines.includes("slatelens")) {
    throw new Error("dist/ is missing: source scripts/env.sh && trunk build --release --public-url ./");
  }
  const dir = await mkdtemp(join(tmpdir(), "slatelens-bench-file-"));
  const server = await startServer(join(ROOT, "dist"), [
    ["/bench/", join(ROOT, "bench")],
    ...SERVED_PACKAGES.map((p) => [`/nm/${p}/`, join(ROOT, "node_modules", p)]),
  ]);
  try {
    const file = o.file ?? generate(dir, o);
    const bytes = statSync(file).size;
    // Generous: the slowest engine measured here does about 20 MB/s.
    const timeoutMs = Math.max(120_000, (bytes / 2e6) * 1000);
    const results = [];
    const plan = o.engines.flatMap((engine) => (engine === "slatelens" ? o.readers : ["auto"]).map((readers) => ({ engine, readers })));
    for (const { engine, readers } of plan) {
      const runs = [];
      for (let i = 0; i < o.runs; i++) {
        const r = await oneRun(engine, readers, server.origin, file, bytes, timeoutMs);
        console.error(
          `  ${engine}${readers === "auto" ? "" : ` (${readers} readers)`} run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s, ${r.mbps.toFixed(1)} MB/s, ` +
            `page renderer peak ${mib(r.peak)} MiB (idle ${mib(r.idle)} MiB; all ${r.renderers} renderers ${mib(r.sumPeak)} MiB)` +
            (r.counts ? `; ${r.counts}` : `; rows ${r.rows}, titles ${r.titles}, seconds ${r.seconds?.toFixed(3)}`),
        );
        runs.push(r);
      }
      results.push({ engine, readers, runs, last: runs[runs.length - 1] });
    }

    const label = (e, r, readers) =>
      e === "duckdb" && r.info
        ? `DuckDB-Wasm ${packageVersion("@duckdb/duckdb-wasm")} (DuckDB ${r.info.version}, ${r.info.bundle})`
        : e === "papaparse"
          ? `Papa Parse ${packageVersion("papaparse")} (chunks, header:false)`
          : readers === "auto"
            ? "slatelens (page + worker)"
            : `slatelens (page + ${readers} workers on the file, ?readers=${readers})`;
    console.log(`\n${o.file ? file : `Generated Persistent-ID Viewership file`}: ${bytes.toLocaleString("en-US")} bytes` +
      `${o.file ? "" : `, ${o.rows.toLocaleString("en-US")} rows, ${o.customers.toLocaleString("en-US")} customers`}; ` +
      `median of ${o.runs} run${o.runs > 1 ? "s" : ""}.`);
    console.log(`Machine: ${machine()}.\n`);
    console.log("| engine | MB/s | seconds | peak renderer memory | idle renderer memory | rows | titles | total seconds viewed |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const { engine, readers, runs, last } of results) {
      const n = (v) => (typeof v === "number" ? v.toLocaleString("en-US") : "n/a");
      console.log(
        `| ${label(engine, last, readers)} | ${median(runs.map((r) => r.mbps)).toFixed(0)} | ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} | ` +
          `${mib(median(runs.map((r) => r.peak)))} MiB | ${mib(median(runs.map((r) => r.idle)))} MiB | ` +
          `${n(last.rows)} | ${n(last.titles)} | ${typeof last.seconds === "number" ? last.seconds.toFixed(3) : "n/a"} |`,
      );
    }
    const warnings = sameResults(results);
    for (const slate of results.filter((r) => r.engine === "slatelens")) {
      if (slate.last.rejected !== 0) warnings.push(`slatelens rejected ${slate.last.rejected} rows: ${slate.last.counts}`);
    }
    console.log("");
    if (warnings.length) for (const w of warnings) console.log(`WARNING: engines disagree: ${w}`);
    else console.log("Results agree across engines (rows; titles, distinct customer-title pairs and total seconds where reported).");
  } finally {
    await server.close();
    if (!o.keep) await rm(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});
