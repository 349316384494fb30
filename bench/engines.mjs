// The comparison engines of bench/browser.mjs, run in the page bench/page.html.
//
// Each computes, from the File given to #file, total seconds viewed and
// distinct customers per title of a Persistent-ID Viewership CSV:
// - duckdb: DuckDB-Wasm (the bundle selectBundle picks; no threads without
//   cross-origin isolation), the File registered as a browser file handle and
//   queried with read_csv;
// - papaparse: Papa Parse streaming the File in chunks on the page's thread,
//   header:false, into a Map title -> { seconds, Set(customers) }.
//
// Protocol with the driver: window.benchReady resolves once the engine is
// loaded (not timed); setting the input's files starts a run; when it ends
// window.benchResult is { ms, rows, titles, seconds, pairs } or { error }.
// `pairs` is the sum over titles of distinct customers (a check of the
// distinct counts across engines).

const engine = new URLSearchParams(location.search).get("engine");
document.getElementById("engine").textContent = engine;
const status = (text) => (document.getElementById("status").textContent = text);

const ENGINES = { duckdb: duckdbEngine, papaparse: papaparseEngine };

window.benchResult = null;
window.benchReady = (async () => {
  const make = ENGINES[engine];
  if (!make) throw new Error(`unknown engine ${engine}`);
  const run = await make();
  document.getElementById("file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    const t0 = performance.now();
    status("running");
    try {
      const r = await run(file);
      window.benchResult = { ms: performance.now() - t0, ...r };
      status("done");
    } catch (err) {
      window.benchResult = { error: String(err && err.stack ? err.stack : err) };
      status("failed");
    }
  });
  status("ready");
  return true;
})();

async function duckdbEngine() {
  const duckdb = await import("/nm/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs");
  const dist = new URL("/nm/@duckdb/duckdb-wasm/dist/", location.href).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: dist + "duckdb-mvp.wasm", mainWorker: dist + "duckdb-browser-mvp.worker.js" },
    eh: { mainModule: dist + "duckdb-eh.wasm", mainWorker: dist + "duckdb-browser-eh.worker.js" },
  });
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();
  window.benchInfo = { bundle: bundle.mainModule.split("/").pop(), version: await db.getVersion() };
  return async (file) => {
    await db.registerFileHandle("viewership.csv", file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const table = await conn.query(
      `SELECT "Title Name" AS title, sum("Seconds Viewed") AS seconds,
              count(DISTINCT "Encrypted Customer ID") AS customers, count(*) AS rows
       FROM read_csv('viewership.csv') GROUP BY 1`,
    );
    let rows = 0;
    let seconds = 0;
    let pairs = 0;
    for (const r of table.toArray()) {
      rows += Number(r.rows);
      seconds += Number(r.seconds ?? 0);
      pairs += Number(r.customers);
    }
    return { rows, titles: table.numRows, seconds, pairs };
  };
}

async function papaparseEngine() {
  await new Promise((ok, fail) => {
    const s = document.createElement("script");
    s.src = "/nm/papaparse/papaparse.min.js";
    s.onload = ok;
    s.onerror = () => fail(new Error("papaparse did not load"));
    document.head.append(s);
  });
  const Papa = window.Papa;
  return (file) =>
    new Promise((ok, fail) => {
      const byTitle = new Map();
      let header = null;
      let iTitle = -1;
      let iSeconds = -1;
      let iCustomer = -1;
      let rows = 0;
      Papa.parse(file, {
        worker: false,
        header: false,
        skipEmptyLines: true,
        chunk(results) {
          for (const row of results.data) {
            if (header === null) {
              header = row;
              iTitle = row.indexOf("Title Name");
              iSeconds = row.indexOf("Seconds Viewed");
              iCustomer = row.indexOf("Encrypted Customer ID");
              continue;
            }
            rows += 1;
            const title = row[iTitle];
            let t = byTitle.get(title);
            if (t === undefined) {
              t = { seconds: 0, customers: new Set() };
              byTitle.set(title, t);
            }
            const s = parseFloat(row[iSeconds]);
            if (!Number.isNaN(s)) t.seconds += s;
            t.customers.add(row[iCustomer]);
          }
        },
        complete() {
          let seconds = 0;
          let pairs = 0;
          for (const t of byTitle.values()) {
            seconds += t.seconds;
            pairs += t.customers.size;
          }
          ok({ rows, titles: byTitle.size, seconds, pairs });
        },
        error: fail,
      });
    });
}
