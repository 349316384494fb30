// The end-to-end harness: a tiny static server for dist/ under a sub-path,
// Debian's Chromium driven by playwright-core, and small waiting helpers.
//
// The server serves only dist/, only under BASE_PATH, so a build that asks for
// "/something" at the site root fails the tests: the page must work under any
// sub-path of any static host.

import { createServer } from "node:http";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

export const BASE_PATH = "/tools/slatelens/";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/// Starts a static server for `distDir` under BASE_PATH on 127.0.0.1 (a free
/// port), plus any `extraMounts` ([url prefix, folder] pairs: the benchmark
/// serves its own page and a few npm packages). Returns
/// { origin, baseURL, served, close }; `served` lists every request it got as
/// { method, url, status }.
export async function startServer(distDir, extraMounts = []) {
  const mounts = [[BASE_PATH, distDir], ...extraMounts].map(([prefix, dir]) => [prefix, resolve(dir)]);
  const served = [];
  const server = createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, status: 0 };
    served.push(entry);
    res.on("finish", () => (entry.status = res.statusCode));
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === BASE_PATH.slice(0, -1)) {
      res.writeHead(301, { Location: BASE_PATH });
      return res.end();
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405);
      return res.end();
    }
    const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount) {
      res.writeHead(404);
      return res.end("not under " + BASE_PATH);
    }
    const [prefix, root] = mount;
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const info = await stat(file);
      const path = info.isDirectory() ? join(file, "index.html") : file;
      const body = await readFile(path);
      res.writeHead(200, {
        "Content-Type": MIME[extname(path)] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404);
      res.end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    baseURL: origin + BASE_PATH,
    served,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

// Debian's Chromium, as TOOLCHAIN.md says: never a downloaded browser, and no
// background connections (this machine refuses them anyway).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/// Launches Chromium with a fresh profile. Returns { context, page, profile, close }.
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "slatelens-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profile,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/// Waits until `fn()` returns a truthy value (polling), or throws `message`.
export async function waitUntil(fn, message, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${message} (last: ${last})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/// Throws unless `cond` holds.
export function check(cond, message) {
  if (!cond) throw new Error(message);
}
