// Smoke test: the release page loads under a sub-path, says files stay on the
// device, reads a Contractual Subscriptions file given to its file input, and
// makes no request anywhere but the local server (and none at all, beyond
// plain GETs of its own files, once a file is given).

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { check, waitUntil } from "./harness.mjs";

export default [
  {
    name: "loads, reads a subscriptions file, stays local",
    async run({ page, baseURL, origin, requests, served, artifacts, fixtures }) {
      // Listen before loading: Playwright starts intercepting file choosers
      // when the first listener is added, and that must be done before the click.
      const chooser = new Promise((resolve) => page.once("filechooser", resolve));
      await page.goto(baseURL);
      const heading = page.getByRole("heading", { level: 1 });
      await heading.waitFor();
      check((await heading.textContent()) === "slatelens", "the heading says slatelens");
      const privacy = await page.getByTestId("privacy").textContent();
      check(/processed on this device/.test(privacy) && /never uploaded/.test(privacy), `privacy line: ${privacy}`);
      check(
        (await page.getByRole("region", { name: "Drop zone for report files" }).count()) === 1,
        "the drop zone is a named region",
      );
      check((await page.getByRole("button", { name: "Choose files" }).count()) === 1, "a Choose files button");

      // Keyboard: Tab reaches the button first, and Enter opens the file chooser.
      await page.keyboard.press("Tab");
      check(
        await page.evaluate(() => document.activeElement?.textContent === "Choose files"),
        "Tab focuses Choose files",
      );
      await page.keyboard.press("Enter");
      const opened = await Promise.race([chooser, new Promise((resolve) => setTimeout(resolve, 5000))]);
      check(opened, "Enter opens a file chooser");
      check(opened.isMultiple(), "the file chooser takes several files");

      const dropAt = Date.now();
      await page.getByTestId("file-input").setInputFiles(join(fixtures, "subs_may_2022.csv"));
      await page.getByRole("tab", { name: /^Files/ }).click();
      const row = page.getByTestId("file-row");
      await waitUntil(async () => (await row.count()) === 1 && (await row.getByTestId("file-kind").count()) === 1, "a file row with a kind");
      const kind = await row.getByTestId("file-kind").textContent();
      const rows = await row.getByTestId("file-rows").textContent();
      check(/Contractual Subscriptions/.test(kind), `kind: ${kind}`);
      check(/^3 rows read, 3 used, 0 rejected$/.test(rows), `rows: ${rows}`);
      check((await row.getByTestId("file-problems").count()) === 0, "no problems listed");
      check((await row.textContent()).includes("subs_may_2022.csv"), "the row names the file");

      await page.screenshot({ path: join(artifacts, "smoke.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
      await page.screenshot({ path: join(artifacts, "smoke-dark.png"), fullPage: true });

      check(requests.length > 0, "requests were recorded");
      for (const r of requests) {
        check(r.url.startsWith(origin + "/") || r.url.startsWith("data:"), `request left the local server: ${r.method} ${r.url}`);
      }
      for (const r of requests.filter((r) => r.at >= dropAt)) {
        check(r.method === "GET" && !new URL(r.url).search, `request after the file was given: ${r.method} ${r.url}`);
      }
      for (const s of served) {
        check(s.status === 200, `the server answered ${s.status} to ${s.method} ${s.url}`);
      }
    },
  },
  {
    name: "a file dropped on the drop zone is read",
    async run({ page, baseURL, fixtures }) {
      await page.goto(baseURL);
      const zone = page.getByTestId("drop-zone");
      await zone.waitFor();
      const bytes = [...(await readFile(join(fixtures, "subs_may_2022.csv")))];
      const dataTransfer = await page.evaluateHandle((bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], "dropped.csv", { type: "text/csv" }));
        return dt;
      }, bytes);
      await zone.dispatchEvent("dragenter", { dataTransfer });
      await zone.dispatchEvent("dragover", { dataTransfer });
      check(/\bdragging\b/.test(await zone.getAttribute("class")), "the zone shows it will take the drop");
      await zone.dispatchEvent("drop", { dataTransfer });
      await page.getByRole("tab", { name: /^Files/ }).click();
      const row = page.getByTestId("file-row");
      await waitUntil(async () => (await row.getByTestId("file-rows").count()) === 1, "a file row with counts");
      check((await row.textContent()).includes("dropped.csv"), "the row names the dropped file");
      check((await row.getByTestId("file-rows").textContent()) === "3 rows read, 3 used, 0 rejected", "3 rows");
      check(!/\bdragging\b/.test(await zone.getAttribute("class")), "the zone is back to normal");
    },
  },
];
