// A 200 MB Persistent-ID Viewership file: the page stays responsive while the
// worker reads it (a click is handled mid-parse, timers keep firing), the
// progress bar moves, and every row is accounted for; two workers reading it
// in byte ranges show what one shows; cancel stops it; and the same file
// zipped streams its entry from File slices to the same count.

import { createWriteStream, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, waitUntil } from "./harness.mjs";

const TARGET_BYTES = 200 * 1000 * 1000;
const HEADER =
  "Report Start,Report End,Marketplace ID,Marketplace Description,Offer ID,Offer Name,Encrypted Customer ID,Stream Start Timestamp,Connection Type,Stream Type,Device Class,Device Subclass,DMA Geography,Playback Method,Seconds Viewed,Ad Seconds Viewed,Content Type,Title Name,Season Number,Episode Number,Studio Name,Runtime Minutes,Live/Linear Channel Name,Vendor SKU,Content Group\n";
const TITLES = ['"Law & Order: ""SVU"", Part 2"', "My 600-lb Life", '"Say ""Cheese"""', "Ghostbusters", "How It’s Made"];
const DEVICES = ["Living Room Devices,Game Console", "Mobile Devices,Phone", "Web,Browser", "Others,Unknown"];

/// Writes (once per machine) a viewership file of about 200 MB; returns its path and row count.
async function bigFile() {
  const path = join(tmpdir(), "slatelens-e2e-viewership-200mb.csv");
  const rowsPath = path + ".rows";
  if (existsSync(path) && existsSync(rowsPath) && statSync(path).size >= TARGET_BYTES) {
    const { readFile } = await import("node:fs/promises");
    return { path, rows: Number(await readFile(rowsPath, "utf8")) };
  }
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  let buf = HEADER;
  while (bytes < TARGET_BYTES) {
    const day = 1 + (rows % 31);
    const customer = "amzn1.account.A" + String(rows % 200000).padStart(27, "0");
    const title = TITLES[rows % TITLES.length];
    const line =
      `12/1/2021,12/31/2021,1,US,B08ZYRH8JR-0M00000000,Demo+ Ad-Supported,${customer},12/${day}/2021 ${rows % 24}:${String(rows % 60).padStart(2, "0")},wifi,VOD,${DEVICES[rows % 4]},539,online,${(rows % 3600) + 0.125},${rows % 90},TV,${title},1,${1 + (rows % 10)},Demo Studio,42,,SKU_${rows % 500},3P_SUBS\n`;
    buf += line;
    bytes += Buffer.byteLength(line);
    rows += 1;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((ok) => out.once("drain", ok));
      buf = "";
    }
  }
  out.write(buf);
  await new Promise((ok) => out.end(ok));
  const { writeFile } = await import("node:fs/promises");
  await writeFile(rowsPath, String(rows));
  return { path, rows };
}

/// CRC-32 (IEEE), as zip stores it.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes, crc = 0) {
  crc = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/// The 200 MB file in a zip (deflated, written once per machine): one entry,
/// sizes and CRC in its local header, then the central directory.
async function bigZip() {
  const { path: csvPath, rows } = await bigFile();
  const path = csvPath.replace(/\.csv$/, ".zip");
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(csvPath).mtimeMs) return { path, rows };
  const { readFile, writeFile } = await import("node:fs/promises");
  const { deflateRawSync } = await import("node:zlib");
  const data = await readFile(csvPath);
  const packed = deflateRawSync(data, { level: 1 });
  const name = Buffer.from("viewership.csv");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0x21, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const directoryAt = local.length + name.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  await writeFile(path, Buffer.concat([local, name, packed, central, name, end]));
  return { path, rows };
}

export default [
  {
    name: "a 200 MB file: progress moves, the page stays responsive, every row is counted",
    timeoutMs: 240000,
    async run({ page, baseURL, artifacts }) {
      const { path, rows } = await bigFile();
      await page.goto(baseURL);
      await page.getByTestId("intro").waitFor();
      // A probe on the page's own thread: the longest gap between timer ticks.
      await page.evaluate(() => {
        window.__gap = 0;
        let last = performance.now();
        window.__probe = setInterval(() => {
          const now = performance.now();
          window.__gap = Math.max(window.__gap, now - last);
          last = now;
        }, 20);
        // What the progress panel says, as it changes.
        window.__said = new Set();
        window.__panel = setInterval(() => {
          const text = document.querySelector('[data-testid="progress"] .progress-text')?.textContent;
          if (text) window.__said.add(text);
        }, 50);
      });
      const startedAt = Date.now();
      await page.getByTestId("file-input").setInputFiles(path);
      const bar = page.getByTestId("overall-progress");
      await bar.waitFor({ timeout: 30000 });
      const value = async () => Number((await bar.getAttribute("value")) ?? 0);
      const max = Number(await bar.getAttribute("max"));
      const first = await waitUntil(async () => (await value()) > 0 && (await value()), "the progress bar starts", 60000);

      // A click while parsing is handled at once.
      const filesTab = page.getByRole("tab", { name: /^Files/ });
      await filesTab.waitFor();
      const clickAt = Date.now();
      await filesTab.click({ timeout: 2000 });
      await waitUntil(async () => (await filesTab.getAttribute("aria-selected")) === "true", "the tab is selected", 2000);
      const clickMs = Date.now() - clickAt;
      check(clickMs < 1000, `the click took ${clickMs} ms to be handled`);
      check((await bar.count()) === 1, "the click happened while the file was still being read");
      await page.screenshot({ path: join(artifacts, "big-file-progress.png") });

      const later = await waitUntil(async () => {
        const v = await value();
        return v > first && v;
      }, "the progress bar moves", 60000);
      check(later > first && later <= max, `progress ${first} -> ${later} of ${max}`);

      const row = page.getByTestId("file-row");
      await waitUntil(async () => (await row.getByTestId("file-rows").count()) === 1, "the file is read", 180000);
      const counts = await row.getByTestId("file-rows").textContent();
      const expected = `${rows.toLocaleString("en-US")} rows read, ${rows.toLocaleString("en-US")} used, 0 rejected`;
      check(counts === expected, `counts: ${counts} (expected ${expected})`);
      const readMs = Date.now() - startedAt;
      const [gap, said] = await page.evaluate(() => {
        clearInterval(window.__probe);
        clearInterval(window.__panel);
        return [window.__gap, [...window.__said]];
      });
      check(gap < 500, `the page's thread was blocked for ${Math.round(gap)} ms at most`);
      // Once the pace is known (after a second), the panel says how long the file has left.
      const left = said.filter((t) => / left$/.test(t));
      check(readMs < 3000 || left.length > 0, `read in ${readMs} ms, and the panel never said the time left: ${said.slice(-3)}`);
      console.log(`    progress panel: ${left.slice(0, 2).join(" / ") || "(read before the pace was known)"}`);
      console.log(`    200 MB file: ${rows} rows; longest main-thread gap ${Math.round(gap)} ms; click handled in ${clickMs} ms`);
    },
  },
  {
    name: "two workers (?readers=2) read the 200 MB file in ranges: the same analysis as one, the same content hash",
    timeoutMs: 300000,
    async run({ page, baseURL, served }) {
      const { path, rows } = await bigFile();
      const { path: zipPath } = await bigZip();
      const expected = `${rows.toLocaleString("en-US")} rows read, ${rows.toLocaleString("en-US")} used, 0 rejected`;
      const readAndShow = async (url) => {
        const loaded = served.length;
        await page.goto(url);
        await page.getByTestId("intro").waitFor();
        const before = served.length;
        await page.getByTestId("file-input").setInputFiles(path);
        await page.getByTestId("overall-progress").waitFor({ timeout: 30000 });
        await waitUntil(async () => (await page.getByTestId("progress").count()) === 0, "the file is read", 180000);
        const view = page.getByTestId("viewership-view");
        await view.waitFor({ timeout: 10000 });
        const text = await view.innerText();
        const after = served.slice(before);
        // Workers started since the page was opened: the reading worker, and a helper per extra reader.
        const workers = served.slice(loaded).filter((r) => r.url.endsWith("/worker.js")).length;
        await page.getByRole("tab", { name: /^Files/ }).click();
        const counts = await page.getByTestId("file-rows").textContent();
        check(counts === expected, `${url}: counts ${counts} (expected ${expected})`);
        return { text, after, workers };
      };
      const two = await readAndShow(baseURL + "?readers=2");
      // After the file, only plain GETs of the page's own files (the helper is this same bundle).
      check(two.workers === 2, `a helper worker started beside the reading one: ${two.workers} workers`);
      for (const r of two.after) {
        check(r.method === "GET" && !new URL(r.url, "http://x").search && r.status === 200, `request after the file: ${r.method} ${r.url} ${r.status}`);
      }
      // The same content read in one piece (the zip's entry) has the same hash: not counted twice.
      await page.getByTestId("file-input").setInputFiles(zipPath);
      const duplicate = page.getByTestId("file-duplicate");
      await waitUntil(async () => (await duplicate.count()) === 1, "the zipped copy is seen as the same content", 180000);
      const one = await readAndShow(baseURL + "?readers=1");
      check(one.workers === 1, `one reader starts no helper: ${one.workers} workers`);
      check(two.text.length > 500, `the viewership view shows numbers (${two.text.length} characters)`);
      check(two.text === one.text, "two workers show exactly what one shows");
      const paths = two.after.map((r) => new URL(r.url, "http://x").pathname.split("/").pop()).join(", ");
      console.log(`    two readers: requests after the file: ${paths} (the helper's own files); views identical (${two.text.length} characters)`);
    },
  },
  {
    name: "cancel stops reading a large file (one worker, and two reading ranges)",
    async run({ page, baseURL }) {
      const { path } = await bigFile();
      for (const url of [baseURL, baseURL + "?readers=2"]) {
        await page.goto(url);
        await page.getByTestId("intro").waitFor();
        await page.getByTestId("file-input").setInputFiles(path);
        const bar = page.getByTestId("overall-progress");
        await waitUntil(async () => Number((await bar.getAttribute("value")) ?? 0) > 0, `${url}: reading has begun`, 60000);
        await page.getByTestId("cancel").click();
        await waitUntil(async () => (await page.getByTestId("progress").count()) === 0, `${url}: the progress panel goes away`, 10000);
        await page.getByRole("tab", { name: /^Files/ }).click();
        const row = page.getByTestId("file-row");
        check(/Cancelled: not read/.test(await row.textContent()), `${url}: the file says it was cancelled: ${await row.textContent()}`);
        check((await row.getByTestId("file-rows").count()) === 0, `${url}: no counts for a cancelled file`);
      }
    },
  },
  {
    name: "a zip of the 200 MB file streams its entry: progress moves, every row is counted",
    timeoutMs: 240000,
    async run({ page, baseURL }) {
      const { path, rows } = await bigZip();
      await page.goto(baseURL);
      await page.getByTestId("intro").waitFor();
      await page.getByTestId("file-input").setInputFiles(path);
      const bar = page.getByTestId("overall-progress");
      await bar.waitFor({ timeout: 30000 });
      const value = async () => Number((await bar.getAttribute("value")) ?? 0);
      const first = await waitUntil(async () => (await value()) > 0 && (await value()), "the progress bar starts", 60000);
      await waitUntil(async () => (await bar.count()) === 0 || (await value()) > first, "the progress bar moves", 60000);
      await page.getByRole("tab", { name: /^Files/ }).click();
      const counts = page.getByTestId("file-rows");
      await waitUntil(async () => (await counts.count()) === 1, "the entry is read", 180000);
      const expected = `${rows.toLocaleString("en-US")} rows read, ${rows.toLocaleString("en-US")} used, 0 rejected`;
      check((await counts.textContent()) === expected, `counts: ${await counts.textContent()} (expected ${expected})`);
      const names = await page.locator(".file-name").allTextContents();
      check(names.some((n) => n.endsWith(".zip/viewership.csv")), `the entry is listed by its name: ${names.join(", ")}`);
    },
  },
];
