// What a person does with the page: drops several months at once (one of them
// European-style, one a UTF-16 file inside a zip), reads the churn card, removes
// a file and sees the views follow, tries the demo data, and all of it without
// a single request leaving the page's own server.

import { join } from "node:path";
import { check, waitUntil } from "./harness.mjs";

/// Every request went to the local server; after `since`, only plain GETs.
function checkStaysLocal({ requests, origin }, since) {
  check(requests.length > 0, "requests were recorded");
  for (const r of requests) {
    check(r.url.startsWith(origin + "/") || r.url.startsWith("data:"), `request left the local server: ${r.method} ${r.url}`);
  }
  for (const r of requests.filter((r) => r.at >= since)) {
    check(r.method === "GET" && !new URL(r.url).search, `request after the drop: ${r.method} ${r.url}`);
  }
}

async function fileRows(page) {
  await page.getByRole("tab", { name: /^Files/ }).click();
  const rows = page.getByTestId("file-row");
  return rows;
}

export default [
  {
    name: "three months, a zip with a UTF-16 file: churn card, duplicates, remove",
    async run(ctx) {
      const { page, baseURL, fixtures, artifacts } = ctx;
      await page.goto(baseURL);
      await page.getByTestId("intro").waitFor();
      const dropAt = Date.now();
      await page.getByTestId("file-input").setInputFiles(
        ["subs_apr_2022.csv", "subs_may_2022.csv", "subs_jun_2022_semicolon.csv", "may_unicode.zip"].map((f) =>
          join(fixtures, f),
        ),
      );
      // The subscriptions view opens first, on the latest month (June 2022).
      const churn = page.getByTestId("card-churn_rate").getByTestId("card-value");
      await waitUntil(async () => (await churn.count()) === 1 && /%/.test(await churn.textContent()), "a churn card");
      // June: HO EOP 1,300,000, HO cancels 70,000 -> 70000 / 1370000 = 5.11%.
      check((await churn.textContent()).trim() === "5.11%", `June churn: ${await churn.textContent()}`);
      const picker = page.getByTestId("period-picker");
      await picker.selectOption({ label: "May 2022" });
      await waitUntil(async () => (await churn.textContent()).trim() === "5.66%", "May churn is the guide's 5.66%");
      const netAdds = page.getByTestId("card-net_adds").getByTestId("card-value");
      check((await netAdds.textContent()).trim() === "42,868", `May net adds: ${await netAdds.textContent()}`);
      const warnings = await page.locator("main").textContent();
      check(/subs_may_2022_unicode\.txt: rows for 2022-05 duplicate subs_may_2022\.csv/.test(warnings), "May says the zip's copy was counted once");
      await page.screenshot({ path: join(artifacts, "subscriptions.png"), fullPage: true });
      // The chosen period survives a visit to the Files tab.
      await page.getByRole("tab", { name: /^Files/ }).click();
      await page.getByRole("tab", { name: "Contractual Subscriptions" }).click();
      check((await churn.textContent()).trim() === "5.66%", "May is still chosen after switching tabs");
      await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
      await page.screenshot({ path: join(artifacts, "subscriptions-dark.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });

      // Files: the zip's UTF-16 entry is read and found to duplicate May.
      const rows = await fileRows(page);
      await waitUntil(async () => (await rows.count()) === 5, "4 files and the zip's entry");
      const entry = rows.filter({ hasText: "subs_may_2022_unicode.txt" });
      check((await entry.count()) === 1, "the zip entry is listed");
      check(/UTF-16LE, tab/.test(await entry.textContent()), `the entry is UTF-16: ${await entry.textContent()}`);
      check(/3 rows read, 3 used, 0 rejected/.test(await entry.textContent()), "its 3 rows are read");
      // Its bytes differ from may's (UTF-16, tabs), so it is not the same file; its rows are the
      // same rows, counted once, and the May view says so.
      check((await entry.getByTestId("file-duplicate").count()) === 0, "not a byte-for-byte copy");
      const june = rows.filter({ hasText: "subs_jun_2022_semicolon.csv" });
      check(/semicolon/.test(await june.textContent()), "the June file is read as semicolon-separated");
      check(/2 rows read, 2 used, 0 rejected/.test(await june.textContent()), `june: ${await june.textContent()}`);
      check((await june.getByTestId("file-periods").textContent()) === "June 2022", "the June file's period is shown");

      // Removing April leaves May without a previous month: conversions become unknown.
      await page.getByRole("button", { name: "Remove subs_apr_2022.csv" }).click();
      await waitUntil(async () => (await rows.count()) === 4, "april is gone");
      await page.getByRole("tab", { name: "Contractual Subscriptions" }).click();
      await page.getByTestId("period-picker").selectOption({ label: "May 2022" });
      const conv = page.getByTestId("card-eop_conversions");
      await waitUntil(async () => /no report for 2022-04/.test(await conv.textContent()), "conversions say why they are unknown");
      checkStaysLocal(ctx, dropAt);
    },
  },
  {
    name: "demo data shows every view, marked as demo",
    async run(ctx) {
      const { page, baseURL, artifacts } = ctx;
      await page.goto(baseURL);
      await page.getByTestId("intro").screenshot({ path: join(artifacts, "empty-state.png") });
      await page.screenshot({ path: join(artifacts, "empty-state-page.png"), fullPage: true });
      const clickAt = Date.now();
      await page.getByTestId("demo").click();
      const tabs = page.getByTestId("tab");
      await waitUntil(async () => (await tabs.count()) >= 8, "a tab per report kind and Files", 30000);
      const rows = await fileRows(page);
      await waitUntil(async () => (await rows.count()) >= 8, "the demo files are listed", 30000);
      check((await page.getByText("demo data").count()) >= 8, "every demo file is marked demo data");
      for (const row of await rows.all()) {
        const text = await row.textContent();
        check(/0 rejected/.test(text), `demo files read cleanly: ${text}`);
      }
      await page.screenshot({ path: join(artifacts, "demo-files.png"), fullPage: true });
      checkStaysLocal(ctx, clickAt);
    },
  },
  {
    name: "a chosen folder is read file by file",
    async run({ page, baseURL, fixtures }) {
      await page.goto(baseURL);
      await page.getByTestId("intro").waitFor();
      await page.getByTestId("folder-input").setInputFiles(fixtures);
      const rows = await fileRows(page);
      await waitUntil(async () => (await rows.count()) >= 5, "every file of the folder (and the zip's entry) is listed");
      const names = await rows.locator(".file-name").allTextContents();
      for (const f of ["subs_apr_2022.csv", "subs_may_2022.csv", "subs_jun_2022_semicolon.csv", "may_unicode.zip"]) {
        check(names.some((n) => n.endsWith(f)), `${f} is listed: ${names}`);
      }
    },
  },
];
