// Every report view as a person uses it: drop a kind's fixture files, open its
// tab, read a few hand-checked numbers on the cards (the same numbers the core
// tests assert, in crates/core/tests/*.rs), sort a table by clicking (and by
// Enter on) a header, see each chart drawn with a "Show data" table of the
// right size, and use the view's own controls (title search, step/cumulative
// reading, month and territory pickers, the reconciliation table). Last, the
// page in dark mode: charts are drawn again in the dark palette, with no
// console error.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { check, waitUntil } from "./harness.mjs";

/// The shared fixtures with hand-checked numbers: tests/fixtures/<kind>/...
function fixture(ctx, rel) {
  return join(ctx.fixtures, "..", "..", "fixtures", rel);
}

/// Loads the page, gives `files` to the drop zone's file input, and opens `tab`.
async function open(ctx, files, tab) {
  const { page, baseURL } = ctx;
  await page.goto(baseURL);
  await page.getByTestId("intro").waitFor();
  await page.getByTestId("file-input").setInputFiles(files.map((f) => fixture(ctx, f)));
  const button = page.getByRole("tab", { name: tab, exact: true });
  await waitUntil(async () => (await button.count()) === 1, `a "${tab}" tab`, 30000);
  await button.click();
  await waitUntil(async () => (await button.getAttribute("aria-selected")) === "true", `"${tab}" is selected`);
}

/// The text of a card's value (`data-testid=<id>`), trimmed.
async function card(page, id) {
  const value = page.getByTestId(id).getByTestId("card-value");
  await waitUntil(async () => (await value.count()) === 1, `card ${id}`);
  return (await value.textContent()).trim();
}

/// Waits until card `id` shows `expected`.
async function expectCard(page, id, expected) {
  await waitUntil(async () => (await card(page, id)) === expected, `card ${id} shows ${expected}`).catch(async (e) => {
    throw new Error(`${e.message}; it shows ${await card(page, id)}`);
  });
}

/// A DataTable's column index by its header label.
async function columnIndex(page, table, label) {
  const labels = await page.getByTestId(table).locator("thead th .sort-button > span:first-child").allTextContents();
  const i = labels.indexOf(label);
  check(i >= 0, `${table} has a column "${label}": ${labels.join(" | ")}`);
  return i;
}

/// The text of the cell in row `row` (0-based, as shown) and column `label`.
async function cell(page, table, row, label) {
  const i = await columnIndex(page, table, label);
  return (await page.getByTestId(table).locator("tbody tr").nth(row).locator("td").nth(i).textContent()).trim();
}

/// The rows a DataTable shows.
function rows(page, table) {
  return page.getByTestId(table).locator("tbody tr");
}

/// Waits until the cell at (`row`, `label`) reads `expected`.
async function expectCell(page, table, row, label, expected) {
  await waitUntil(
    async () => (await cell(page, table, row, label)) === expected,
    `${table} row ${row + 1} "${label}" is ${expected}`,
  ).catch(async (e) => {
    throw new Error(`${e.message}; it is ${await cell(page, table, row, label).catch(() => "?")}`);
  });
}

/// Clicks a DataTable header; checks the header says how it is sorted.
async function sortBy(page, table, label, aria) {
  const i = await columnIndex(page, table, label);
  const th = page.getByTestId(table).locator("thead th").nth(i);
  await th.locator("button").click();
  await waitUntil(async () => (await th.getAttribute("aria-sort")) === aria, `${table} "${label}" is sorted ${aria}`);
}

/// What a chart's canvas holds: size, the share of pixels unlike the corner
/// pixel, how many colours, and a signature of the pixels (to see a redraw).
async function canvasStats(page, chart) {
  return page.getByTestId(chart).locator("canvas").evaluate((c) => {
    const { width: w, height: h } = c;
    if (!w || !h) return { w, h, ink: 0, colours: 0, sig: 0 };
    const d = c.getContext("2d").getImageData(0, 0, w, h).data;
    let ink = 0;
    let n = 0;
    let sig = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4 * 3) {
      n++;
      const diff = Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) + Math.abs(d[i + 3] - d[3]);
      if (diff > 24) ink++;
      colours.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
      sig = (sig * 31 + d[i] + 3 * d[i + 1] + 7 * d[i + 2] + 11 * d[i + 3]) % 1000000007;
    }
    return { w, h, ink: ink / n, colours: colours.size, sig };
  });
}

/// Checks the chart `chart` is drawn (not blank) and its "Show data" table,
/// once opened, has `expectedRows` rows. Returns the table's rows.
async function expectChart(page, chart, expectedRows) {
  const fig = page.getByTestId(chart);
  await waitUntil(async () => (await fig.count()) === 1, `one chart ${chart}`);
  let stats;
  await waitUntil(async () => {
    stats = await canvasStats(page, chart);
    return stats.w > 100 && stats.h > 50 && stats.ink > 0.005 && stats.colours >= 3;
  }, `chart ${chart} is drawn`).catch((e) => {
    throw new Error(`${e.message}: ${JSON.stringify(stats)}`);
  });
  const details = fig.locator("details.chart-data");
  if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
  const body = details.locator("tbody tr");
  await body.first().waitFor({ state: "visible" });
  const n = await body.count();
  check(n === expectedRows, `${chart}: "Show data" has ${n} rows, expected ${expectedRows}`);
  return body;
}

/// The data-table row of a "Show data" table whose label is `label`, as texts (label first).
async function dataRow(page, chart, label) {
  const row = page.getByTestId(chart).locator("details.chart-data tbody tr").filter({
    has: page.locator("th", { hasText: label }),
  });
  check((await row.count()) === 1, `${chart} has a data row "${label}"`);
  return (await row.locator("th, td").allTextContents()).map((t) => t.trim());
}

/// The view is shown and nothing else is.
async function expectView(page, id) {
  const view = page.getByTestId(id);
  await view.waitFor({ state: "visible" });
}

/// Every request went to the page's own server (files are read on the device).
function checkStaysLocal({ requests, origin }) {
  check(requests.length > 0, "requests were recorded");
  for (const r of requests) {
    check(r.url.startsWith(origin + "/") || r.url.startsWith("data:") || r.url.startsWith("blob:"), `request left the local server: ${r.method} ${r.url}`);
  }
}

/// Each test ends by checking that nothing left 127.0.0.1.
const local = (tests) =>
  tests.map((t) => ({
    ...t,
    async run(ctx) {
      await t.run(ctx);
      checkStaysLocal(ctx);
    },
  }));

export default local([
  {
    name: "content usage: cards, weekly pick, search, sort by click and by Enter, charts, tooltip",
    async run(ctx) {
      const { page, artifacts } = ctx;
      await open(
        ctx,
        [
          "content_usage/analysis_week1.csv",
          "content_usage/analysis_week2.csv",
          "content_usage/analysis_month.csv",
          "content_usage/analysis_device_level_viewership.csv",
        ],
        "Contractual Content Usage",
      );
      await expectView(page, "content-view");
      // Monthly first: January 2024 is its own period, 12000 + 25000 = 37,000 minutes, 300 + 500 = 800 streams.
      await expectCard(page, "content-minutes", "37,000");
      await expectCard(page, "content-streams", "800");
      check((await page.getByTestId("content-period-label").textContent()) === "January 2024", "the month is shown");

      // Weekly: the latest week (2024-01-08) first; its ad minutes have an empty cell, so no ad share.
      await page.getByTestId("content-view").getByRole("radio", { name: "Weekly" }).check();
      await expectCard(page, "content-minutes", "7,100");
      check((await card(page, "content-ad_minutes")).startsWith("—"), "week 2 has no ad minutes");
      check((await card(page, "content-ad_share")).startsWith("—"), "week 2 has no ad share");
      const why = await page.getByTestId("content-ad_minutes").getByTestId("card-note").textContent();
      check(/empty on line 3 of analysis_week2\.csv/.test(why), `the ad minutes say why: ${why}`);

      // Week 1: 4000.50 + 2500 + 1500 + 9000 + 2000 + 300 = 19,300.50 → 19,301 minutes; 460 streams;
      // ad 1,280 → 1280 / 20580.50 = 6.22%; 19300.50 / 365 = 52.9 min per customer; customers 150–365.
      await page.getByTestId("content-period").selectOption({ label: "2024-01-01 – 2024-01-07" });
      await expectCard(page, "content-minutes", "19,301");
      await expectCard(page, "content-streams", "460");
      await expectCard(page, "content-ad_minutes", "1,280");
      await expectCard(page, "content-ad_share", "6.22%");
      await expectCard(page, "content-minutes_per_customer", "52.9");
      await expectCard(page, "content-customers", "150–365");
      check(
        /from 6 rows in analysis_week1\.csv/.test(await page.getByTestId("content-minutes").getAttribute("title")),
        "the minutes card names its rows",
      );

      // Titles, most minutes first: Long Road 11,000, Night Shift 8,000.50, Short Film 300.
      const titles = "content-titles";
      await waitUntil(async () => (await rows(page, titles).count()) === 3, "3 titles in week 1");
      await expectCell(page, titles, 0, "Title", "Long Road");
      await expectCell(page, titles, 0, "Minutes", "11,000");
      await expectCell(page, titles, 0, "Customers", "150–195");
      // Ad share, highest first: Short Film 30 / 330 = 9.09% beats Long Road 900 / 11900 = 7.56%.
      await sortBy(page, titles, "Ad share", "descending");
      await expectCell(page, titles, 0, "Title", "Short Film");
      await expectCell(page, titles, 0, "Ad share", "9.09%");
      // Keyboard: Tab to the Title header's button, Enter sorts A to Z (Long Road first), Enter again Z to A.
      const titleHeader = page.getByTestId(titles).locator("thead th").nth(await columnIndex(page, titles, "Title"));
      await titleHeader.locator("button").focus();
      await page.keyboard.press("Enter");
      await waitUntil(async () => (await titleHeader.getAttribute("aria-sort")) === "ascending", "Enter sorts A to Z");
      await expectCell(page, titles, 0, "Title", "Long Road");
      await page.keyboard.press("Space");
      await waitUntil(async () => (await titleHeader.getAttribute("aria-sort")) === "descending", "Space flips it");
      await expectCell(page, titles, 0, "Title", "Short Film");

      // The search filters the title table (an episode's name finds its series).
      const search = page.getByTestId("content-search");
      await search.fill("second");
      await waitUntil(async () => (await rows(page, titles).count()) === 1, "one title matches “second”");
      await expectCell(page, titles, 0, "Title", "Night Shift");
      check(/1 of 3 titles match/.test(await page.getByTestId("content-matching").textContent()), "the match count");
      await search.fill("zzz");
      await waitUntil(async () => /No rows/.test(await rows(page, titles).first().textContent()), "nothing matches zzz");
      await search.fill("");
      await waitUntil(async () => (await rows(page, titles).count()) === 3, "clearing the search shows every title");
      // Export CSV saves the rows in the order shown (Z to A), made on the page.
      const downloaded = page.waitForEvent("download");
      await page.getByTestId(`${titles}-export`).click();
      const download = await downloaded;
      check(download.suggestedFilename() === "titles.csv", `export name: ${download.suggestedFilename()}`);
      const path = join(artifacts, "titles.csv");
      await download.saveAs(path);
      const lines = (await readFile(path, "utf8")).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
      check(lines.length === 4 && lines[0].startsWith("Title,Type,Seasons,Minutes"), `export header: ${lines[0]}`);
      check(lines[1].startsWith("Short Film,Movie,,300,10,10,30.0,9.09%"), `export first row: ${lines[1]}`);
      check(lines[3].startsWith("Long Road,Movie,,\"11,000\",250,150–195"), `export last row: ${lines[3]}`);

      // Charts: top titles (3 bars), the TV/Movie and content-group split (2 + 3), the weekly trend (2 weeks).
      const top = await expectChart(page, "content-top-titles", 3);
      check((await top.first().textContent()).includes("Long Road"), "the top title is Long Road");
      await expectChart(page, "content-split", 5);
      await expectChart(page, "content-trend", 2);
      check(
        JSON.stringify(await dataRow(page, "content-trend", "1 Jan 24")) === JSON.stringify(["1 Jan 24", "19,300.50"]),
        `the trend's week 1: ${await dataRow(page, "content-trend", "1 Jan 24")}`,
      );

      // Hovering a bar shows its value.
      const canvas = page.getByTestId("content-top-titles").locator("canvas");
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      const tip = page.getByTestId("content-top-titles").getByTestId("chart-tip");
      let shown = false;
      for (let fy = 0.1; fy < 0.95 && !shown; fy += 0.1) {
        for (let fx = 0.2; fx < 0.9 && !shown; fx += 0.15) {
          await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
          shown = await tip.isVisible();
        }
      }
      check(shown, "hovering the chart shows a tooltip");
      check(/Minutes|Long Road|Night Shift|Short Film/.test(await tip.textContent()), `tooltip: ${await tip.textContent()}`);

      // The other report of the same files: Device-Level Viewership, 4000.50 + 3000 = 7,001 minutes.
      await page.getByTestId("content-report").selectOption({ label: "Premium Device-Level Viewership" });
      await expectCard(page, "content-minutes", "7,001");
      await expectCard(page, "content-streams", "170");
      await page.screenshot({ path: join(artifacts, "view-content.png"), fullPage: true });
    },
  },
  {
    name: "live usage: cards per cadence, channels sorted, charts",
    async run(ctx) {
      const { page } = ctx;
      await open(
        ctx,
        ["live_usage/analysis_week1.csv", "live_usage/analysis_week2.csv", "live_usage/analysis_month.csv"],
        "Contractual Live Streaming Usage",
      );
      await expectView(page, "live-view");
      // The month: 20,000 minutes, ad 4000 / 24000 = 16.67%.
      await expectCard(page, "live-minutes", "20,000");
      await expectCard(page, "live-ad_share", "16.67%");
      await page.getByTestId("live-view").getByRole("radio", { name: "Weekly" }).check();
      // Week 2 (latest): 3000 + 6000 = 9,000 minutes.
      await expectCard(page, "live-minutes", "9,000");
      await page.getByTestId("live-period").selectOption({ label: "2024-01-01 – 2024-01-07" });
      // Week 1: 850 streams, 21,000 minutes, ad 5,000 → 5000 / 26000 = 19.23%.
      await expectCard(page, "live-minutes", "21,000");
      await expectCard(page, "live-streams", "850");
      await expectCard(page, "live-ad_minutes", "5,000");
      await expectCard(page, "live-ad_share", "19.23%");
      // Channels, most minutes first: Sport Live 12,000 (48.0 min per customer), News 24 9,000.
      const ch = "live-channels";
      await waitUntil(async () => (await rows(page, ch).count()) === 2, "two channels");
      await expectCell(page, ch, 0, "Channel", "Sport Live");
      await expectCell(page, ch, 0, "Min / customer", "48.0");
      await expectCell(page, ch, 1, "Customers", "200–330");
      // Streams, most first: News 24 (300 + 100 + 50 = 450) beats Sport Live (400).
      await sortBy(page, ch, "Streams", "descending");
      await expectCell(page, ch, 0, "Channel", "News 24");
      await expectCell(page, ch, 0, "Streams", "450");
      await expectChart(page, "live-channels-chart", 2);
      await expectChart(page, "live-trend", 2);
      await expectChart(page, "live-ad-trend", 2);
    },
  },
  {
    name: "retention: lifetime cards, LTV from a typed price, step/cumulative switch, cohorts sorted",
    async run(ctx) {
      const { page, artifacts } = ctx;
      await open(
        ctx,
        ["conversion_retention/analysis_cohorts_jan.csv", "conversion_retention/analysis_cohorts_feb.csv"],
        "Contractual Conversion and Retention",
      );
      await expectView(page, "retention-view");
      // Cumulative (the default here): all cohorts 1 + .718182 + .561111 + .6 + .75 = 3.6293;
      // OFFER-1M FT 1 + .7 + .525 + .5 = 2.725 → 2.73; HO 1 + .9 + .85 + .8 + .75 = 4.30.
      await expectCard(page, "lifetime-all", "3.63 months");
      await expectCard(page, "lifetime-OFFER-1M-FT", "2.73 months");
      await expectCard(page, "lifetime-OFFER-HO-HO", "4.30 months");
      check((await page.getByTestId("ltv-OFFER-1M-FT").count()) === 0, "no LTV without a price");
      // Typing a price: 2.725 × 9.99 = 27.22275 → 27.22.
      await page.getByTestId("price-OFFER-1M").fill("9.99");
      await expectCard(page, "ltv-OFFER-1M-FT", "27.22");

      // The heatmap: 4 cohorts (Feb's FT cohort, in both files, counts once); Jan FT month 2 is 60% read cumulatively.
      await expectChart(page, "retention-heatmap", 4);
      const jan = "Jan 2024 · OFFER-1M · FT";
      let row = await dataRow(page, "retention-heatmap", jan);
      check(row[2] === "60.0%", `cumulative M2 of ${jan}: ${row}`);
      const before = await canvasStats(page, "retention-heatmap");
      // Step: survival is the product of month-to-month rates: .8 × .6 = 48%.
      await page.getByTestId("retention-reading").getByRole("radio", { name: /^Step/ }).check();
      await waitUntil(async () => (await dataRow(page, "retention-heatmap", jan))[2] === "48.0%", "step M2 is 48.0%");
      row = await dataRow(page, "retention-heatmap", jan);
      check(row[3] === "24.0%", `step M3 of ${jan} is .8 × .6 × .5: ${row}`);
      await waitUntil(async () => (await canvasStats(page, "retention-heatmap")).sig !== before.sig, "the heatmap is redrawn");
      // Step lifetime, OFFER-1M FT: 1 + .7 + .3825 + .24 = 2.3225 → 2.32.
      await expectCard(page, "lifetime-OFFER-1M-FT", "2.32 months");
      await expectChart(page, "retention-curves", 12);
      await expectChart(page, "retention-conversion", 4);

      // Cohorts, biggest first by Total Starts: Feb 2024 (3,000).
      const t = "retention-cohorts";
      await waitUntil(async () => (await rows(page, t).count()) === 4, "4 cohort rows");
      await sortBy(page, t, "Total starts", "descending");
      await expectCell(page, t, 0, "Start period", "Feb 2024");
      await expectCell(page, t, 0, "Total starts", "3,000");
      await sortBy(page, t, "Total starts", "ascending");
      await expectCell(page, t, 0, "Total starts", "500");
      await page.screenshot({ path: join(artifacts, "view-retention.png"), fullPage: true });
    },
  },
  {
    name: "engagement: period picker, cancel rates, table sorted, charts",
    async run(ctx) {
      const { page } = ctx;
      await open(
        ctx,
        ["engagement/analysis_scorecard_nov.csv", "engagement/analysis_scorecard_dec.csv"],
        "Premium Engagement Scorecard",
      );
      await expectView(page, "engagement-view");
      const t = "engagement-table";
      // December (latest): 180 / 1200 = 15.00%, 45 / 900 = 5.00%.
      await waitUntil(async () => (await rows(page, t).count()) === 2, "December's two rows");
      await expectCell(page, t, 0, "Cancel rate", "15.00%");
      await expectCell(page, t, 1, "Cancel rate", "5.00%");
      await page.getByTestId("engagement-period").selectOption({ label: "November 2023" });
      await waitUntil(async () => (await rows(page, t).count()) === 3, "November's three band × group rows");
      check(
        /November 2023: from 4 rows/.test(await page.getByTestId("engagement-provenance").textContent()),
        "November's rows are named",
      );
      // 0-1months 3P_SUBS: two plans, 250 / 1500 = 16.67%; streamers 1000 / 1500; weekend 700 / 2800 = 25%.
      await expectCell(page, t, 0, "Length of subscription", "0-1months");
      await expectCell(page, t, 0, "Content group", "3P_SUBS");
      await expectCell(page, t, 0, "Cancel rate", "16.67%");
      await expectCell(page, t, 0, "Weekend share", "25.00%");
      await expectCell(page, t, 0, "VOD h / streamer", "2.10");
      await expectCell(page, t, 0, "Ad h / streamer", "—");
      // Highest cancel rate first: FREE 200 / 1000 = 20.00%.
      await sortBy(page, t, "Cancel rate", "descending");
      await expectCell(page, t, 0, "Content group", "FREE");
      await expectCell(page, t, 0, "Cancel rate", "20.00%");
      // Bars per band (0-1months, 12+months); the trend over the two months, one chart per content group.
      await expectChart(page, "engagement-cancel-rate", 2);
      await expectChart(page, "engagement-trend-3P_SUBS", 2);
    },
  },
  {
    name: "first and last titles: totals, shares, high on both, tables sorted, chart",
    async run(ctx) {
      const { page } = ctx;
      await open(ctx, ["first_last/analysis_week1.csv", "first_last/analysis_week2.csv"], "Premium First-and-Last VOD Title");
      await expectView(page, "first-last-view");
      await page.getByTestId("first-last-period").selectOption({ label: "2024-01-01 – 2024-01-07" });
      // Week 1: Σ conversion first 30+10+20+5+2 = 67, Σ last 35+20+5+40+5 = 105 (Night Ferry's repeat counts once).
      await expectCard(page, "fl-conversions", "67");
      await expectCard(page, "fl-cancels", "105");
      await expectCard(page, "fl-high-on-both", "1");
      check(
        (await page.getByTestId("fl-high-on-both").getByTestId("card-note").textContent()) === "Harbor Lights S1",
        "Harbor Lights is high on both",
      );
      const first = "first-titles";
      await waitUntil(async () => (await rows(page, first).count()) === 4, "4 titles");
      // Harbor Lights: 40 / 67 = 59.70% of conversions.
      await expectCell(page, first, 0, "Title", "Harbor Lights S1");
      await expectCell(page, first, 0, "Share of conversions", "59.70%");
      await sortBy(page, first, "Title", "ascending");
      await expectCell(page, first, 0, "Title", "Cold Case Files S2");
      // Cold Case Files: 5 / 67 = 7.46%.
      await expectCell(page, first, 0, "Share of conversions", "7.46%");
      const last = "last-titles";
      // Last titles: Harbor Lights 55 / 105 = 52.38%, then Cold Case Files 40 / 105 = 38.10%.
      await expectCell(page, last, 0, "Share of cancels", "52.38%");
      await expectCell(page, last, 1, "Title", "Cold Case Files S2");
      await expectCell(page, last, 1, "Share of cancels", "38.10%");
      await expectChart(page, "first-last-shares", 4);
      const row = await dataRow(page, "first-last-shares", "Harbor Lights S1");
      check(row[1] === "59.7%" && row[2] === "52.4%", `Harbor Lights' shares: ${row}`);
    },
  },
  {
    name: "earnings: cards, territory and month pickers change the ranked table, movers, charts",
    async run(ctx) {
      const { page, artifacts } = ctx;
      await open(ctx, ["earnings/layout_a_hours_royalty_usd.csv"], "Prime Video Direct Earnings (CER)");
      await expectView(page, "earnings-view");
      // March 2024, every territory: CER 18, 20, 28, 45, 60, 75 → median (28 + 45) / 2 = 36.5;
      // 1,500 + 100 + 800 + 320 + 60 + 45 = 2,825 h; 88.05 USD; 88.05 / 2825 = 0.0312 USD/h.
      await expectCard(page, "card-titles", "6");
      await expectCard(page, "card-median-cer", "36.5");
      await expectCard(page, "card-hours", "2,825.0");
      await expectCard(page, "card-earnings-usd", "88.05");
      await expectCard(page, "card-rate-usd", "0.0312");
      const t = "earnings-ranked";
      await waitUntil(async () => (await rows(page, t).count()) === 6, "6 ranked titles");
      await expectCell(page, t, 0, "Title", "Night Train");
      await expectCell(page, t, 0, "Territory", "GB");
      await expectCell(page, t, 0, "CER", "75");

      // The US only: CER 60, 45, 20 → median 45; 2,400 h; 72 USD → 0.03 USD/h.
      await page.getByTestId("earnings-territory").selectOption("US");
      await waitUntil(async () => (await rows(page, t).count()) === 3, "3 US titles");
      await expectCell(page, t, 0, "CER", "60");
      await expectCell(page, t, 0, "Change", "−25 pts");
      await expectCell(page, t, 0, "Flags", "dropped > 20 pts");
      await expectCell(page, t, 1, "Title", "The Quiet Field");
      await expectCell(page, t, 2, "Title", "Harbor Lights");
      await expectCard(page, "card-median-cer", "45");
      await expectCard(page, "card-hours", "2,400.0");
      await expectCard(page, "card-earnings-usd", "72.00");
      await expectCard(page, "card-rate-usd", "0.0300");
      const down = await page.getByTestId("earnings-movers-down").textContent();
      check(/Night Train · Season 1 · US: 85 → 60 \(−25 pts\)/.test(down), `March's fallers: ${down}`);
      // Sorted A to Z by title: Harbor Lights first.
      await sortBy(page, t, "Title", "ascending");
      await expectCell(page, t, 0, "Title", "Harbor Lights");
      await expectCell(page, t, 0, "Rate per hour", "0.0100");

      // February in the US, still A to Z: Harbor Lights 24, Night Train 85, Quiet Field 30 (40 → 30, the one faller).
      await page.getByTestId("earnings-month").selectOption({ label: "February 2024" });
      await waitUntil(async () => (await cell(page, t, 0, "CER")) === "24", "February's Harbor Lights is 24");
      check((await rows(page, t).count()) === 3, "still the US only");
      const titleHeader = page.getByTestId(t).locator("thead th").nth(await columnIndex(page, t, "Title"));
      check((await titleHeader.getAttribute("aria-sort")) === "ascending", "the sort survives a change of month");
      await expectCell(page, t, 1, "CER", "85");
      await expectCell(page, t, 2, "Title", "The Quiet Field");
      await expectCell(page, t, 2, "Change", "−10 pts");
      check((await page.getByTestId("earnings-month").inputValue()) === "2024-02", "the month picker shows February");
      check((await page.getByTestId("earnings-territory").inputValue()) === "US", "the territory picker shows US");
      await expectCard(page, "card-median-cer", "30");
      const fallers = await page.getByTestId("earnings-movers-down").locator("li").allTextContents();
      check(fallers.length === 1 && /The Quiet Field · US: 40 → 30/.test(fallers[0]), `February's fallers: ${fallers}`);
      // CER by month over the file's three months; CER against hours for the 3 US titles.
      await expectChart(page, "earnings-cer-lines", 3);
      await expectChart(page, "earnings-cer-hours", 3);
      await expectChart(page, "earnings-rate-cer", 3);
      await page.screenshot({ path: join(artifacts, "view-earnings.png"), fullPage: true });
    },
  },
  {
    name: "customers: cards, viewing join, reconciliation difference, tables sorted, charts",
    async run(ctx) {
      const { page } = ctx;
      await open(
        ctx,
        [
          "pid_subscriptions/analysis_april.csv",
          "pid_subscriptions/analysis_may.csv",
          "pid_viewership/join_may_2022.csv",
          "subscriptions/join_may_2022.csv",
        ],
        "Persistent-ID Subscriptions",
      );
      await expectView(page, "customers-view");
      // Active at the end of 5/31: C1, C2, C7, C8; 9 starts, 6 cancels; May: 5 cancels of 5 active at its start.
      await expectCard(page, "customers-actives", "4");
      await expectCard(page, "customers-starts", "9");
      await expectCard(page, "customers-cancels", "6");
      await expectCard(page, "customers-gross-churn", "100.00%");
      await expectCard(page, "customers-resubscribers", "1");
      await expectCard(page, "customers-serial-churners", "1");
      check(
        /6 of 8 subscribers are in the viewership \(7 viewers\)/.test(
          await page.getByTestId("customers-viewing-summary").textContent(),
        ),
        "the join is summarised",
      );
      // Cancellers watched (3 + 1.5 + 0) / 3 = 1.50 h in the 30 days before; stayers 5 / 3 = 1.67 h.
      const v = "customers-viewing";
      await expectCell(page, v, 0, "Mean hours", "1.50");
      await expectCell(page, v, 1, "Mean hours", "1.67");
      await sortBy(page, v, "Mean hours", "descending");
      await expectCell(page, v, 0, "Mean hours", "1.67");

      // Reconciliation: OFFER-HO rebuilt 4 against EOP 5: −1, (4 − 5) / 5 = −20.00%; OFFER-FT 0 against 0.
      const r = "customers-reconciliation";
      await waitUntil(async () => (await rows(page, r).count()) === 3, "FT, HO and all offers");
      await expectCell(page, r, 1, "Offer", "OFFER-HO");
      await expectCell(page, r, 1, "Rebuilt HO actives", "4");
      await expectCell(page, r, 1, "Contractual EOP", "5");
      await expectCell(page, r, 1, "Difference", "-1");
      await expectCell(page, r, 1, "Relative", "-20.00%");
      await expectCell(page, r, 0, "Difference", "0");
      await sortBy(page, r, "Offer", "ascending");
      await expectCell(page, r, 0, "Offer", "All offers");
      await expectCell(page, r, 0, "Difference", "-1");

      // Groups: OFFER-FT median 7 days, OFFER-HO 8 days.
      const g = "customers-groups";
      await expectCell(page, g, 0, "Offer", "OFFER-FT");
      await sortBy(page, g, "Median survival (days)", "descending");
      await expectCell(page, g, 0, "Offer", "OFFER-HO");
      await expectCell(page, g, 0, "Median survival (days)", "8");
      // 11 days of April + 31 of May; Kaplan-Meier from day 0 to day 41.
      await expectChart(page, "customers-actives-chart", 42);
      await expectChart(page, "customers-flows-chart", 42);
      await expectChart(page, "customers-survival-chart", 42);
      const row = await dataRow(page, "customers-actives-chart", "Mon 25 Apr 22");
      check(row[1] === "5", `actives on 4/25: ${row}`);
      // Starts and cancels have their own chart and axis; over the 42 days they add up to the cards.
      const flows = await page.getByTestId("customers-flows-chart").locator("details.chart-data tbody tr").evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => Number(td.textContent.replaceAll(",", "")))),
      );
      const sums = flows.reduce((a, r) => [a[0] + r[0], a[1] + r[1]], [0, 0]);
      check(sums[0] === 9 && sums[1] === 6, `starts and cancels per day add up to the cards (9, 6): ${JSON.stringify(sums)}`);
    },
  },
  {
    name: "subscriptions: churn card, offers sorted, trend charts",
    async run(ctx) {
      const { page } = ctx;
      await open(
        ctx,
        ["subscriptions/guide_april_2022.csv", "subscriptions/guide_may_2022.csv"],
        "Contractual Subscriptions",
      );
      await expectView(page, "subs-view");
      // The guide's May 2022: churn 5.66%, net adds 42,868.
      await expectCard(page, "card-churn_rate", "5.66%");
      await expectCard(page, "card-net_adds", "42,868");
      const offers = page.getByTestId("offer-row");
      await waitUntil(async () => (await offers.count()) === 3, "May's three offers");
      check((await offers.first().locator("th").textContent()).trim() === "ABC", "offers A to Z first");
      await page.getByTestId("th-offer_id").locator("button").click();
      await waitUntil(async () => (await offers.first().locator("th").textContent()).trim() === "GHI", "Z to A");
      await expectChart(page, "chart-eop", 2);
      await expectChart(page, "chart-churn", 2);
    },
  },
  {
    name: "viewership: cards, charts and title search on a hand-checked file",
    async run(ctx) {
      const { page } = ctx;
      await open(ctx, ["pid_viewership/analysis_a.csv"], "Persistent-ID Viewership");
      await expectView(page, "viewership-view");
      // crates/core/tests/viewership.rs: 12 streams by 4 customers, 27,600.875 s = 7.667 h,
      // 7.667 / 4 = 1.917 h per viewer, 780 ad seconds over 7.667 h = 101.74 per hour.
      await expectCard(page, "card-streams", "12");
      await expectCard(page, "card-viewers", "4");
      await expectCard(page, "card-hours-per-viewer", "1.92");
      await expectCard(page, "card-ad-seconds-per-hour", "101.7");
      for (const chart of ["chart-viewers", "chart-heatmap", "chart-distribution"]) {
        let stats;
        await waitUntil(async () => {
          stats = await canvasStats(page, chart);
          return stats.w > 100 && stats.ink > 0.005;
        }, `chart ${chart} is drawn`);
      }
      // The title search narrows the title table.
      const titles = rows(page, "viewership-titles");
      const all = await titles.count();
      check(all >= 2, `several titles listed (${all})`);
      await page.getByTestId("viewership-title-search").fill("Film");
      await waitUntil(async () => (await titles.count()) === 1, "one title matches Film");
      // The drill-down says what to pick until a title and a season are picked: Show has seasons 1 and 2.
      const view = page.getByTestId("viewership-view");
      await view.getByText("Pick a title to see its seasons.").waitFor();
      await view.getByText("Pick a season to see its episodes.").waitFor();
      await page.getByTestId("viewership-pick-title").selectOption("Show");
      await waitUntil(async () => (await rows(page, "viewership-seasons").count()) === 2, "Show's two seasons");
      await page.getByTestId("viewership-pick-season").selectOption({ index: 1 });
      await waitUntil(async () => (await rows(page, "viewership-episodes").count()) === 2, "a season's two episodes");
      // The cadence toggle's legend sits beside its buttons, not under them.
      const cadence = page.getByTestId("viewership-cadence");
      const legend = await cadence.locator("legend").boundingBox();
      const first = await cadence.locator("label").first().boundingBox();
      check(legend.x + legend.width <= first.x + 0.5, `"Per" ends (${legend.x + legend.width}) before the buttons (${first.x})`);
    },
  },
  {
    name: "dark mode: the page and its charts render dark, without console errors",
    async run(ctx) {
      const { page, artifacts } = ctx;
      await page.emulateMedia({ colorScheme: "dark" });
      await open(ctx, ["earnings/layout_a_hours_royalty_usd.csv"], "Prime Video Direct Earnings (CER)");
      await expectCard(page, "card-median-cer", "36.5");
      const luminance = (rgb) => {
        const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      check(luminance(bg) < 0.3, `the page background is dark: ${bg}`);
      await expectChart(page, "earnings-cer-lines", 3);
      const dark = await canvasStats(page, "earnings-cer-lines");
      await page.screenshot({ path: join(artifacts, "view-earnings-dark.png"), fullPage: true });
      // Switching to light redraws the chart in the light palette, and back.
      await page.emulateMedia({ colorScheme: "light" });
      await waitUntil(async () => (await canvasStats(page, "earnings-cer-lines")).sig !== dark.sig, "redrawn light");
      await page.emulateMedia({ colorScheme: "dark" });
      await waitUntil(async () => (await canvasStats(page, "earnings-cer-lines")).sig === dark.sig, "redrawn dark again");
      // A heatmap and bars in the dark too.
      await page.getByTestId("file-input").setInputFiles([
        fixture(ctx, "conversion_retention/analysis_cohorts_jan.csv"),
        fixture(ctx, "content_usage/analysis_week1.csv"),
      ]);
      const tab = page.getByRole("tab", { name: "Contractual Conversion and Retention", exact: true });
      await waitUntil(async () => (await tab.count()) === 1, "the retention tab", 30000);
      await tab.click();
      await expectChart(page, "retention-heatmap", 3);
      await page.getByRole("tab", { name: "Contractual Content Usage", exact: true }).click();
      await expectChart(page, "content-top-titles", 3);
      await page.screenshot({ path: join(artifacts, "view-content-dark.png"), fullPage: true });
    },
  },
]);
