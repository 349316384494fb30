// The mapping step: a Prime Video Direct earnings file with column names
// slatelens does not know is not recognised; the person maps its columns
// (guesses preselected), applies, and sees the earnings (CER) view. The
// mapping is remembered for the browser session (the tab's sessionStorage: a
// reload keeps it, "Forget mappings" drops it), exported as JSON (a download
// made on the page), and dropped again in a page that forgot it.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { check, waitUntil } from "./harness.mjs";

const HEADER = "Programme,Rank pct,Country,Month,Hrs";
const JANUARY = `${HEADER}
The Long Road,92.5,US,2024-01-01,1200.5
Quiet Hills,40,GB,2024-01-01,310
`;
const FEBRUARY = `${HEADER}
The Long Road,90,US,2024-02-01,1100
`;

const csv = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });

async function fieldValue(form, field) {
  return form.locator(`[data-testid=mapping-field][data-field="${field}"]`).inputValue();
}

export default [
  {
    name: "maps unfamiliar columns, applies, exports and re-drops the mapping",
    async run({ page, baseURL, origin, requests, artifacts }) {
      await page.goto(baseURL);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.getByTestId("file-input").setInputFiles(csv("pvd_january.csv", JANUARY));

      const row = page.getByTestId("file-row");
      const mapButton = row.getByTestId("map-columns");
      await waitUntil(async () => (await mapButton.count()) === 1, "the unknown file offers Map columns");
      check(/Not recognised/.test(await row.getByTestId("file-kind").textContent()), "the file is not recognised");
      check((await page.getByTestId("earnings-view").count()) === 0, "no earnings view yet");
      await mapButton.click();

      const form = page.getByTestId("mapping-form");
      await form.waitFor();
      check((await form.getByTestId("mapping-kind").inputValue()) === "earnings", "the nearest kind is preselected");
      // Guesses: by name (Country is an alias of Territory, "Rank pct" is like "CER Rank",
      // "Hrs" abbreviates Hours) and by shape (Title takes the only text column left).
      const guesses = {
        CER: "Rank pct",
        Title: "Programme",
        Territory: "Country",
        Month: "Month",
        "Hours Streamed": "Hrs",
        Earnings: "",
      };
      for (const [field, column] of Object.entries(guesses)) {
        const value = await fieldValue(form, field);
        check(value === column, `${field} preselected as "${column}", found "${value}"`);
      }
      check(
        /\(required\)/.test(await form.locator('label:has([data-field="CER"])').textContent()),
        "CER is marked required",
      );
      // The person changes a choice: with Title unset, Apply waits for it.
      await form.locator('[data-field="Title"]').selectOption("");
      check(await form.getByTestId("mapping-apply").isDisabled(), "Apply is disabled while Title has no column");
      check(/"Title"/.test(await form.getByTestId("mapping-missing").textContent()), "the missing field is named");
      await form.locator('[data-field="Title"]').selectOption("Programme");
      await page.screenshot({ path: join(artifacts, "mapping-form.png"), fullPage: true });
      await form.getByTestId("mapping-apply").click();

      const view = page.getByTestId("earnings-view");
      await waitUntil(async () => (await view.count()) === 1 && (await view.isVisible()), "the earnings view appears");

      // Remembered for the session: a later file with the same header is read with it.
      await page.getByTestId("file-input").setInputFiles(csv("pvd_february.csv", FEBRUARY));
      await page.getByRole("tab", { name: /^Files/ }).click();
      const first = row.filter({ hasText: "pvd_january.csv" });
      const second = row.filter({ hasText: "pvd_february.csv" });
      await waitUntil(
        async () => (await second.getByTestId("file-rows").count()) === 1,
        "the February file is read",
      );
      check(/Earnings/.test(await second.getByTestId("file-kind").textContent()), "February is read as earnings");
      const febRows = await second.getByTestId("file-rows").textContent();
      check(febRows === "1 row read, 1 used, 0 rejected", `February rows: ${febRows}`);

      // The file row says how it was read and offers the mapping for export.
      await waitUntil(async () => /read with your mapping/.test(await first.textContent()), "the note says so");
      check(/Earnings/.test(await first.getByTestId("file-kind").textContent()), "the file is read as earnings");
      const janRows = await first.getByTestId("file-rows").textContent();
      check(janRows === "2 rows read, 2 used, 0 rejected", `January rows: ${janRows}`);
      await first.getByTestId("map-columns").click();
      const downloaded = page.waitForEvent("download");
      await first.getByTestId("mapping-export").click();
      const download = await downloaded;
      const name = download.suggestedFilename();
      check(name === "slatelens-mapping-earnings.json", `download name: ${name}`);
      const path = join(artifacts, name);
      await download.saveAs(path);
      const json = await readFile(path, "utf8");
      const mapping = JSON.parse(json);
      check(mapping.slatelens_mapping === 1 && mapping.kind === "earnings", `mapping: ${json}`);
      check(mapping.fields.CER === "Rank pct" && mapping.fields.Title === "Programme", `fields: ${json}`);
      check(mapping.header.join(",") === "programme,rankpct,country,month,hrs", `header: ${json}`);

      // The tab remembers it: after a reload the same file is read with it, no form needed.
      const stored = await page.evaluate(() => sessionStorage.getItem("slatelens.mappings"));
      check(stored !== null && JSON.parse(stored)[0].kind === "earnings", `sessionStorage: ${stored}`);
      await page.reload();
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.getByTestId("file-input").setInputFiles(csv("pvd_january.csv", JANUARY));
      const remembered = page.getByTestId("earnings-view");
      await waitUntil(
        async () => (await remembered.count()) === 1 && (await remembered.isVisible()),
        "after a reload the file is read with the remembered mapping",
      );
      await page.getByRole("tab", { name: /^Files/ }).click();
      const reloaded = row.filter({ hasText: "pvd_january.csv" });
      await waitUntil(async () => /read with your mapping/.test(await reloaded.textContent()), "read with the mapping");
      const reRows = await reloaded.getByTestId("file-rows").textContent();
      check(reRows === "2 rows read, 2 used, 0 rejected", `January rows after reload: ${reRows}`);
      const change = reloaded.getByTestId("map-columns");
      check((await change.textContent()) === "Change column mapping", "no Map columns step after the reload");

      // "Forget mappings" makes the file unknown again, and the tab forgets.
      await change.click();
      const remembers = reloaded.getByTestId("mapping-remembered");
      check(
        /Remembered in this tab until it is closed/.test(await remembers.textContent()),
        "the form says where the mapping is kept",
      );
      await page.screenshot({ path: join(artifacts, "mapping-remembered.png"), fullPage: true });
      await reloaded.getByTestId("mapping-forget").click();
      await waitUntil(
        async () =>
          (await row.getByTestId("map-columns").count()) === 1 &&
          (await row.getByTestId("map-columns").textContent()) === "Map columns",
        "unknown again after Forget mappings",
      );
      check(/Not recognised/.test(await row.getByTestId("file-kind").textContent()), "not recognised after forgetting");
      check((await page.getByTestId("earnings-view").count()) === 0, "no earnings view after forgetting");
      const cleared = await page.evaluate(() => sessionStorage.getItem("slatelens.mappings"));
      check(cleared === null, `sessionStorage after forgetting: ${cleared}`);

      // A reload after forgetting knows nothing of it: unknown until the exported mapping is dropped.
      await page.reload();
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.getByTestId("file-input").setInputFiles(csv("pvd_january.csv", JANUARY));
      await waitUntil(
        async () => (await page.getByTestId("map-columns").count()) === 1,
        "unknown again after a reload",
      );
      check(
        (await page.getByTestId("map-columns").textContent()) === "Map columns",
        "the forgotten mapping stays forgotten after a reload",
      );
      await page.getByTestId("file-input").setInputFiles(path);
      const again = page.getByTestId("earnings-view");
      await waitUntil(
        async () => (await again.count()) === 1 && (await again.isVisible()),
        "the dropped mapping re-reads the file",
      );
      await page.screenshot({ path: join(artifacts, "mapping-applied.png"), fullPage: true });

      for (const r of requests) {
        check(
          r.url.startsWith(origin + "/") || r.url.startsWith("data:") || r.url.startsWith("blob:"),
          `request left the local server: ${r.method} ${r.url}`,
        );
      }
    },
  },
];
