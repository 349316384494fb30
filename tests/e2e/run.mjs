// Runs the browser end-to-end tests: every tests/e2e/*.test.mjs against the
// release build in dist/ (`trunk build --release --public-url ./`), served
// under a sub-path by a local server. Each test gets a fresh Chromium profile.
//
// A test file exports `default` as a list of { name, run }; `run` gets
// { page, context, baseURL, origin, requests, served, artifacts, fixtures }. A test
// fails if it throws, or if the page logged an error or threw (a CSP violation
// shows up here). Prints "N passed, N failed" and exits 1 on any failure.

import { existsSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch, startServer } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(root, "dist");
const artifacts = join(here, "artifacts");
const fixtures = join(here, "fixtures");

if (!existsSync(join(dist, "index.html"))) {
  console.error("dist/index.html is missing: run `trunk build --release --public-url ./` first");
  process.exit(2);
}
await mkdir(artifacts, { recursive: true });

const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith(".test.mjs")).sort();
const server = await startServer(dist);
let passed = 0;
let failed = 0;

try {
  for (const file of files) {
    const { default: tests } = await import(pathToFileURL(join(here, file)).href);
    for (const test of tests) {
      const title = `${file}: ${test.name}`;
      if (only && !title.includes(only)) continue;
      const browser = await launch();
      server.served.length = 0;
      const errors = [];
      const requests = [];
      browser.context.on("request", (r) => requests.push({ method: r.method(), url: r.url(), at: Date.now() }));
      browser.page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console error: ${m.text()}`);
      });
      browser.page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      const started = Date.now();
      try {
        await test.run({
          page: browser.page,
          context: browser.context,
          baseURL: server.baseURL,
          origin: server.origin,
          requests,
          served: server.served,
          artifacts,
          fixtures,
        });
        if (errors.length) throw new Error("the page logged errors");
        passed++;
        console.log(`ok   ${title} (${Date.now() - started} ms)`);
      } catch (err) {
        failed++;
        const detail = [String(err?.stack ?? err), ...errors].join("\n");
        console.log(`FAIL ${title}\n  ${detail.replaceAll("\n", "\n  ")}`);
        const shot = join(artifacts, `${file.replace(/\.test\.mjs$/, "")}-${test.name.replace(/\W+/g, "_")}-failure.png`);
        await browser.page.screenshot({ path: shot, fullPage: true }).catch(() => {});
        console.log(`  screenshot: ${shot}`);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await server.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
