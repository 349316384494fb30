//! The Contractual Content Usage and Premium Device-Level Viewership view.
//!
//! The reader picks the report (Content Usage or Device-Level Viewership: never
//! added together), the cadence (monthly or weekly: never added together) and
//! a period. For that period the view shows cards (minutes, streams, ad
//! minutes, ad share, minutes per customer, titles), a top-titles bar chart,
//! the TV/Movie and content-group split, a per-offer table, a sortable title
//! table filtered by a search box, a series → season → episode drill-down
//! (`<details>` per series and season, episodes in a table) and the trend of
//! minutes and ad share over every period of the cadence.
//!
//! Every number shows the rows behind it (on cards, in a `Rows` column, in
//! tooltips). "Total Customers Streamed" is per row: a group of several rows
//! shows the range "largest row – sum of rows" instead of a customers figure.
//!
//! What is shown is built by plain functions, tested natively: [`pick`]
//! chooses cadence and period (shared with the live view), [`view_model`]
//! builds the cards, tables and charts. The component only renders them.

use crate::format::{self, axis_period_label, grouped, percent, period_label};
use crate::widgets::picker::{
    chart_part, conflict_notes, empty_state, next_uid, part, period_controls, warnings_box, Controls,
};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::content::{self, Group, Period, Report, Title, Totals};
use slatelens_core::kinds::subscriptions::Cadence;

/// What a conflict leaves blank, in the warnings of the content and live views.
pub(crate) const TOTALS_BLANK: &str = "Totals that include these rows stay blank until one file is removed.";

/// Bars in the top-titles chart.
pub const TOP_TITLES: usize = 10;

/// The cadence and period chosen among a list of periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// Cadences that have periods, monthly first.
    pub cadences: Vec<Cadence>,
    /// The cadence shown.
    pub cadence: Cadence,
    /// The picker's choices, newest first: (key, label).
    pub options: Vec<(String, String)>,
    /// The key of the chosen period.
    pub selected: String,
    /// Index of the chosen period in the list given.
    pub index: usize,
    /// Indices of the periods of the cadence, oldest first (the trend).
    pub trend: Vec<usize>,
}

/// The key a period is picked by: `weekly:2024-01-01:2024-01-07`.
pub fn period_key(cadence: Cadence, start: NaiveDate, end: NaiveDate) -> String {
    format!("{}:{start}:{end}", cadence.label())
}

/// Picks among `periods` (cadence, start, end; sorted by start): the cadence
/// asked for (or monthly when there is any) and the period picked (or the
/// latest of the cadence). `None` when there are no periods.
pub fn pick(
    periods: &[(Cadence, NaiveDate, NaiveDate)],
    cadence: Option<Cadence>,
    picked: Option<&str>,
) -> Option<Pick> {
    let cadences: Vec<Cadence> =
        [Cadence::Monthly, Cadence::Weekly].into_iter().filter(|c| periods.iter().any(|p| p.0 == *c)).collect();
    let cadence = match cadence {
        Some(c) if cadences.contains(&c) => c,
        _ => *cadences.first()?,
    };
    let trend: Vec<usize> = (0..periods.len()).filter(|&i| periods[i].0 == cadence).collect();
    let key = |i: usize| period_key(periods[i].0, periods[i].1, periods[i].2);
    let index = picked.and_then(|k| trend.iter().copied().find(|&i| key(i) == k)).or_else(|| trend.last().copied())?;
    Some(Pick {
        options: trend.iter().rev().map(|&i| (key(i), period_label(periods[i].1, periods[i].2))).collect(),
        selected: key(index),
        cadences,
        cadence,
        index,
        trend,
    })
}

/// A whole number of minutes: `19,301`.
pub fn minutes(d: Decimal) -> String {
    format::decimal(d, 0)
}

pub(crate) fn f(d: Option<Decimal>) -> Option<f64> {
    d.and_then(|d| d.to_f64())
}

fn why(t: &Totals, key: &str) -> String {
    t.why_null.get(key).cloned().unwrap_or_else(|| "not computed".to_string())
}

/// A number cell, or `—` with the reason it is missing.
pub(crate) fn cell(t: &Totals, key: &str, v: Option<Decimal>, show: fn(Decimal) -> String) -> Cell {
    match v {
        Some(v) => Cell::number(show(v), f(Some(v))),
        None => Cell::number("—", None).with_help(why(t, key)),
    }
}

fn count_cell(t: &Totals, key: &str, v: Option<i64>) -> Cell {
    cell(t, key, v.map(Decimal::from), |d| grouped(d.to_i64().unwrap_or_default()))
}

/// The customers of a set of rows as honestly as the report allows: the
/// figure of a single row, or `150–195` (largest row – sum of rows) over several.
pub fn customers_text(t: &Totals) -> String {
    match (t.customers, t.max_row_customers, t.row_customers) {
        (Some(c), _, _) => grouped(c),
        (None, Some(lo), Some(hi)) if t.rows > 1 => format!("{}–{}", grouped(lo), grouped(hi)),
        _ => "—".to_string(),
    }
}

fn customers_cell(t: &Totals) -> Cell {
    let help = match t.customers {
        Some(_) => "Total Customers Streamed of the one row".to_string(),
        None => format!(
            "{}. Between the largest row and the sum of the rows.",
            t.why_null.get("customers").cloned().unwrap_or_default()
        ),
    };
    Cell::number(customers_text(t), t.customers.or(t.max_row_customers).map(|c| c as f64)).with_help(help)
}

fn rows_cell(t: &Totals) -> Cell {
    Cell::number(grouped(t.rows as i64), Some(t.rows as f64))
}

fn measure_columns() -> Vec<Column> {
    let num =
        |label: &str, help: &str| Column { label: label.to_string(), numeric: true, help: Some(help.to_string()) };
    vec![
        num("Minutes", "Σ Total Minutes Streamed (non-ad content)"),
        num("Streams", "Σ Total Number of Streams"),
        num(
            "Customers",
            "Total Customers Streamed of one row; over several rows, largest row – sum of rows (people can be in several rows)",
        ),
        num("Min / customer", "Σ minutes ÷ Σ customers of the rows"),
        num("Ad share", "ad minutes ÷ (minutes + ad minutes)"),
        num("Rows", "Rows behind these numbers"),
    ]
}

fn measure_cells(t: &Totals) -> Vec<Cell> {
    vec![
        cell(t, "minutes", t.minutes, minutes),
        count_cell(t, "streams", t.streams),
        customers_cell(t),
        cell(t, "minutes_per_customer", t.minutes_per_customer, |d| format::decimal(d, 1)),
        cell(t, "ad_share", t.ad_share, percent),
        rows_cell(t),
    ]
}

fn text_column(label: &str) -> Column {
    Column { label: label.to_string(), numeric: false, help: None }
}

/// A table of groups (content types, content groups or offers).
pub fn groups_table(first: &str, groups: &[Group], with_name: bool) -> Table {
    let mut columns = vec![text_column(first)];
    if with_name {
        columns.push(text_column("Subscription"));
    }
    columns.extend(measure_columns());
    let rows = groups
        .iter()
        .map(|g| {
            let mut r = vec![Cell::text(g.key.clone().unwrap_or_else(|| "(blank)".to_string()))];
            if with_name {
                r.push(Cell::text(g.name.clone().unwrap_or_default()));
            }
            r.extend(measure_cells(&g.totals));
            r
        })
        .collect();
    Table { columns, rows }
}

/// Titles whose name (or an episode's name) contains `query`, ignoring case; all when it is blank.
pub fn filter_titles<'a>(titles: &'a [Title], query: &str) -> Vec<&'a Title> {
    let q = query.trim().to_lowercase();
    titles
        .iter()
        .filter(|t| {
            q.is_empty()
                || t.title.to_lowercase().contains(&q)
                || t.seasons
                    .iter()
                    .flat_map(|s| &s.episodes)
                    .any(|e| e.name.as_ref().is_some_and(|n| n.to_lowercase().contains(&q)))
        })
        .collect()
}

/// The title table (most minutes first until the reader sorts).
pub fn titles_table(titles: &[&Title]) -> Table {
    let mut columns = vec![text_column("Title"), text_column("Type"), {
        Column { label: "Seasons".to_string(), numeric: true, help: Some("Seasons in the drill-down".to_string()) }
    }];
    columns.extend(measure_columns());
    let rows = titles
        .iter()
        .map(|t| {
            let mut r = vec![
                Cell::text(t.title.clone()),
                Cell::text(t.content_type.clone()),
                Cell::number(
                    if t.seasons.is_empty() { String::new() } else { t.seasons.len().to_string() },
                    (!t.seasons.is_empty()).then_some(t.seasons.len() as f64),
                ),
            ];
            r.extend(measure_cells(&t.totals));
            r
        })
        .collect();
    Table { columns, rows }
}

/// One season in the drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillSeason {
    /// `Season 1 · 6,501 minutes · 2 rows`.
    pub summary: String,
    /// Its episodes.
    pub episodes: Table,
}

/// One series in the drill-down.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillTitle {
    /// `Night Shift · 8,001 minutes · 3 rows`.
    pub summary: String,
    /// Its seasons.
    pub seasons: Vec<DrillSeason>,
}

fn summary(name: &str, t: &Totals) -> String {
    let m = t.minutes.map_or_else(|| "minutes unknown".to_string(), |m| format!("{} minutes", minutes(m)));
    format!("{name} · {m} · {}", format::rows(t.rows))
}

/// The series → season → episode drill-down of the titles that have seasons.
pub fn drill(titles: &[&Title]) -> Vec<DrillTitle> {
    titles
        .iter()
        .filter(|t| !t.seasons.is_empty())
        .map(|t| DrillTitle {
            summary: summary(&t.title, &t.totals),
            seasons: t
                .seasons
                .iter()
                .map(|s| {
                    let name = s.season.map_or_else(|| "No season number".to_string(), |n| format!("Season {n}"));
                    let mut columns =
                        vec![Column { label: "Episode".to_string(), numeric: true, help: None }, text_column("Name")];
                    columns.extend(measure_columns());
                    let rows = s
                        .episodes
                        .iter()
                        .map(|e| {
                            let mut r = vec![
                                Cell::number(
                                    e.episode.map_or(String::new(), |n| n.to_string()),
                                    e.episode.map(|n| n as f64),
                                ),
                                Cell::text(e.name.clone().unwrap_or_default()),
                            ];
                            r.extend(measure_cells(&e.totals));
                            r
                        })
                        .collect();
                    DrillSeason { summary: summary(&name, &s.totals), episodes: Table { columns, rows } }
                })
                .collect(),
        })
        .collect()
}

/// The cards of a set of totals, each naming the rows behind it
/// (`provenance`: `from 6 rows in week1.csv`).
pub fn cards(t: &Totals, provenance: &str, id: &str) -> Vec<Card> {
    let rows = provenance;
    let card = |key: &str, label: &str, value: Option<String>, formula: &str| Card {
        label: label.to_string(),
        note: value.is_none().then(|| why(t, key)),
        value: value.unwrap_or_else(|| "—".to_string()),
        provenance: format!("{formula}; {rows}"),
        id: format!("{id}-{key}"),
    };
    vec![
        card("minutes", "Minutes streamed", t.minutes.map(minutes), "Σ Total Minutes Streamed"),
        card("streams", "Streams", t.streams.map(grouped), "Σ Total Number of Streams"),
        card("ad_minutes", "Ad minutes", t.ad_minutes.map(minutes), "Σ Total Ad Minutes Streamed"),
        card("ad_share", "Ad share", t.ad_share.map(percent), "ad minutes ÷ (minutes + ad minutes)"),
        card(
            "minutes_per_customer",
            "Minutes per customer",
            t.minutes_per_customer.map(|d| format::decimal(d, 1)),
            "Σ minutes ÷ Σ Total Customers Streamed of the rows (a person in two rows counts twice)",
        ),
        Card {
            label: "Customers".to_string(),
            value: customers_text(t),
            note: Some(if t.customers.is_some() {
                "one row".to_string()
            } else {
                "largest row – sum of rows: people can be in several rows".to_string()
            }),
            provenance: format!("Total Customers Streamed per row; {rows}"),
            id: format!("{id}-customers"),
        },
    ]
}

/// Everything the content view shows for one choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// The reports present (labels).
    pub reports: Vec<String>,
    /// The report shown.
    pub report: String,
    /// Cadence and period.
    pub pick: Pick,
    /// `Week 2024-01-01 – 2024-01-07`.
    pub label: String,
    /// `from 6 rows in week1.csv`.
    pub provenance: String,
    /// Conflicts and duplicates of the period.
    pub warnings: Vec<String>,
    /// The period's cards.
    pub cards: Vec<Card>,
    /// Top titles by minutes.
    pub top_chart: Chart,
    /// Minutes by content type and by content group.
    pub split_chart: Chart,
    /// Content types.
    pub types: Table,
    /// Content groups.
    pub groups: Table,
    /// Offers.
    pub offers: Table,
    /// Titles matching the search.
    pub titles: Table,
    /// How many titles match / how many there are.
    pub matching: (usize, usize),
    /// Series drill-down of the matching titles.
    pub drill: Vec<DrillTitle>,
    /// Minutes over the cadence's periods.
    pub trend: Chart,
    /// Ad share over the cadence's periods.
    pub ad_trend: Chart,
}

fn bars(title: &str, id: &str, categories: Vec<String>, name: &str, values: Vec<Option<f64>>) -> Chart {
    Chart {
        title: title.to_string(),
        x_label: "Minutes".to_string(),
        y_label: String::new(),
        percent: false,
        kind: ChartKind::Bars { categories, series: vec![Series { name: name.to_string(), values }] },
        id: id.to_string(),
    }
}

/// A one-series line over the cadence's periods.
pub(crate) fn trend_chart(title: &str, id: &str, y: &str, percent: bool, points: Vec<(String, Option<f64>)>) -> Chart {
    let (categories, values) = points.into_iter().unzip();
    Chart {
        title: title.to_string(),
        x_label: "Period".to_string(),
        y_label: y.to_string(),
        percent,
        kind: ChartKind::Lines { categories, series: vec![Series { name: y.to_string(), values }] },
        id: id.to_string(),
    }
}

/// The model for `section` with the reader's choices (each `None`, or one no
/// longer present, falls back: first report, monthly, latest period).
/// `None` when the chosen report has no period.
pub fn view_model(
    section: &content::Section,
    report: Option<&str>,
    cadence: Option<Cadence>,
    picked: Option<&str>,
    query: &str,
) -> Option<ViewModel> {
    let r: &Report =
        report.and_then(|l| section.reports.iter().find(|r| r.label == l)).or_else(|| section.reports.first())?;
    let keys: Vec<_> = r.periods.iter().map(|p| (p.cadence, p.start, p.end)).collect();
    let pick = pick(&keys, cadence, picked)?;
    let p: &Period = &r.periods[pick.index];
    let provenance = format::provenance(p.totals.rows, &p.files);
    let matching = filter_titles(&p.titles, query);
    let top: Vec<&Title> = p.titles.iter().take(TOP_TITLES).collect();
    let mut split_cats = Vec::new();
    let mut split_vals = Vec::new();
    for (prefix, groups) in [("", &p.content_types), ("group ", &p.content_groups)] {
        for g in groups.iter() {
            split_cats.push(format!("{prefix}{}", g.key.clone().unwrap_or_else(|| "(blank)".to_string())));
            split_vals.push(f(g.totals.minutes));
        }
    }
    let trend_points = |get: fn(&Totals) -> Option<Decimal>| -> Vec<(String, Option<f64>)> {
        pick.trend
            .iter()
            .map(|&i| {
                let q = &r.periods[i];
                (axis_period_label(q.start, q.end, q.cadence), f(get(&q.totals)))
            })
            .collect()
    };
    let word = pick.cadence.label();
    Some(ViewModel {
        reports: section.reports.iter().map(|r| r.label.clone()).collect(),
        report: r.label.clone(),
        label: period_label(p.start, p.end),
        warnings: conflict_notes(&p.conflicts, &p.duplicates, TOTALS_BLANK),
        cards: cards(&p.totals, &provenance, "content"),
        top_chart: bars(
            &format!("Top {} titles by minutes", top.len()),
            "content-top-titles",
            top.iter().map(|t| t.title.clone()).collect(),
            "Minutes",
            top.iter().map(|t| f(t.totals.minutes)).collect(),
        ),
        split_chart: bars(
            "Minutes by content type and content group",
            "content-split",
            split_cats,
            "Minutes",
            split_vals,
        ),
        types: groups_table("Content type", &p.content_types, false),
        groups: groups_table("Content group", &p.content_groups, false),
        offers: groups_table("Offer ID", &p.offers, true),
        titles: titles_table(&matching),
        matching: (matching.len(), p.titles.len()),
        drill: drill(&matching),
        trend: trend_chart(
            &format!("Minutes streamed, every {word} period"),
            "content-trend",
            "Minutes",
            false,
            trend_points(|t| t.minutes),
        ),
        ad_trend: trend_chart(
            &format!("Ad share, every {word} period"),
            "content-ad-trend",
            "Ad share",
            true,
            trend_points(|t| t.ad_share),
        ),
        provenance,
        pick,
    })
}

/// The cadence toggle and period picker of a view's [`Pick`] (`None`: empty),
/// with radio group `name` and picker `testid`.
pub(crate) fn pick_controls(
    name: String,
    pick: Signal<Option<Pick>>,
    cadence_choice: RwSignal<Option<Cadence>>,
    picked: RwSignal<Option<String>>,
    testid: &'static str,
) -> impl IntoView {
    fn get<T: Clone + Default + Send + Sync + 'static>(pick: Signal<Option<Pick>>, f: fn(&Pick) -> T) -> Signal<T> {
        Signal::derive(move || pick.with(|p| p.as_ref().map(f).unwrap_or_default()))
    }
    period_controls(Controls {
        name,
        cadences: get(pick, |p| p.cadences.clone()),
        cadence: Signal::derive(move || pick.with(|p| p.as_ref().map(|p| p.cadence))),
        options: get(pick, |p| p.options.clone()),
        selected: get(pick, |p| p.selected.clone()),
        cadence_choice,
        picked,
        toggle_testid: None,
        testid,
    })
}

/// `January 2024 from 4 rows in w1.csv. Weekly and monthly … never added
/// together.`: the chosen period and the rows behind it, for the inside of a
/// `subs-provenance` paragraph.
pub(crate) fn period_provenance(
    label_testid: &'static str,
    label: Signal<String>,
    provenance_testid: &'static str,
    provenance: Signal<String>,
) -> impl IntoView {
    view! {
        <strong data-testid=label_testid>{move || label.get()}</strong>
        " "
        <span data-testid=provenance_testid>{move || provenance.get()}</span>
        ". Weekly and monthly periods overlap and are never added together."
    }
}

/// The Contractual Content Usage and Premium Device-Level Viewership view.
#[component]
pub fn ContentUsageView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<content::Section>>,
) -> impl IntoView {
    let uid = next_uid();
    let report = RwSignal::new(None::<String>);
    let cadence_choice = RwSignal::new(None::<Cadence>);
    let picked = RwSignal::new(None::<String>);
    let query = RwSignal::new(String::new());
    let model = Memo::new(move |_| {
        section.with(|s| {
            s.as_ref().and_then(|s| {
                view_model(s, report.get().as_deref(), cadence_choice.get(), picked.get().as_deref(), &query.get())
            })
        })
    });
    let has = Memo::new(move |_| model.with(Option::is_some));
    let chart = move |get: fn(&ViewModel) -> Chart| chart_part(model, get);
    let reports = part(model, |m| m.reports.clone());
    let report_picker = move || {
        (reports.get().len() > 1).then(|| {
            view! {
                <label class="period-picker">
                    <span>"Report"</span>
                    <select
                        data-testid="content-report"
                        on:change=move |ev| {
                            report.set(Some(event_target_value(&ev)));
                            cadence_choice.set(None);
                            picked.set(None);
                        }
                    >
                        {move || {
                            let current = model.with(|m| m.as_ref().map(|m| m.report.clone()).unwrap_or_default());
                            reports
                                .get()
                                .into_iter()
                                .map(|l| {
                                    let sel = l == current;
                                    view! { <option value=l.clone() selected=sel>{l.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            }
        })
    };
    let drill_view = move || {
        let list = part(model, |m| m.drill.clone()).get();
        if list.is_empty() {
            return view! { <p class="subs-note">"No series with seasons or episodes among these titles."</p> }
                .into_any();
        }
        list.into_iter()
            .enumerate()
            .map(|(i, t)| {
                let seasons = t
                    .seasons
                    .into_iter()
                    .enumerate()
                    .map(|(j, s)| {
                        let table = s.episodes.clone();
                        view! {
                            <details class="drill-season">
                                <summary>{s.summary.clone()}</summary>
                                <DataTable
                                    caption=format!("Episodes: {}", s.summary)
                                    table=Signal::derive(move || table.clone())
                                    id=format!("content-episodes-{i}-{j}")
                                />
                            </details>
                        }
                    })
                    .collect_view();
                view! {
                    <details class="drill-title" data-testid="content-drill-title">
                        <summary>{t.summary}</summary>
                        {seasons}
                    </details>
                }
            })
            .collect_view()
            .into_any()
    };
    let matching = move || {
        let (n, of) = part(model, |m| m.matching).get();
        let q = query.get();
        if q.trim().is_empty() {
            format!("{of} titles")
        } else if n == 0 {
            format!("No title matches “{}” (of {of}).", q.trim())
        } else {
            format!("{n} of {of} titles match “{}”", q.trim())
        }
    };
    view! {
        <section class="view" data-testid="content-view">
            <h2>"Contractual Content Usage and Premium Device-Level Viewership"</h2>
            <Show
                when=move || has.get()
                fallback=move || {
                    empty_state(
                        "content-empty",
                        move || {
                            if section.with(Option::is_some) {
                                "These files have no usable Content Usage rows."
                            } else {
                                "No Contractual Content Usage or Premium Device-Level Viewership report yet. Add one to see titles, minutes and trends."
                            }
                        },
                    )
                }
            >
                {report_picker}
                {pick_controls(
                    format!("content-{uid}-cadence"),
                    Signal::derive(move || model.with(|m| m.as_ref().map(|m| m.pick.clone()))),
                    cadence_choice,
                    picked,
                    "content-period",
                )}
                <p class="subs-provenance">
                    <strong data-testid="content-report-label">{move || part(model, |m| m.report.clone()).get()}</strong>
                    ", "
                    {period_provenance(
                        "content-period-label",
                        part(model, |m| m.label.clone()),
                        "content-provenance",
                        part(model, |m| m.provenance.clone()),
                    )}
                </p>
                {warnings_box("content-warnings", part(model, |m| m.warnings.clone()))}
                <Cards cards=part(model, |m| m.cards.clone()) />
                <ChartCanvas chart=chart(|m| m.top_chart.clone()) />
                <ChartCanvas chart=chart(|m| m.split_chart.clone()) />
                <DataTable caption="TV and Movie" table=part(model, |m| m.types.clone()) id="content-types" />
                <DataTable caption="Content groups" table=part(model, |m| m.groups.clone()) id="content-groups" />
                <DataTable caption="Per Offer ID" table=part(model, |m| m.offers.clone()) id="content-offers" />
                <h3 class="subs-section">"Titles"</h3>
                <label class="title-search">
                    <span>"Search titles "</span>
                    <input
                        type="search"
                        data-testid="content-search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
                <p class="subs-note" data-testid="content-matching">{matching}</p>
                <DataTable caption="Titles" table=part(model, |m| m.titles.clone()) id="content-titles" />
                <h3 class="subs-section">"Series, seasons and episodes"</h3>
                <div class="drill" data-testid="content-drill">{drill_view}</div>
                <h3 class="subs-section">"Trend"</h3>
                <ChartCanvas chart=chart(|m| m.trend.clone()) />
                <ChartCanvas chart=chart(|m| m.ad_trend.clone()) />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::{analyze, ingest_bytes};

    const H: &str = "Report Start,Report End,Offer ID,Subscription,Vendor SKU,Content Type,Series or Movie Title,Season Number,Episode Number,Episode Name,Content Group,Total Number of Streams,Total Customers Streamed,Total Minutes Streamed,Total Ad Minutes Streamed\n";
    const W1: &str = "1/1/2024,1/7/2024,A,Plan A,S1,TV,Night Shift,1,1,Pilot,3P_SUBS,100,80,4000.50,200\n\
        1/1/2024,1/7/2024,A,Plan A,S2,TV,Night Shift,1,2,Second,3P_SUBS,60,50,2500,100\n\
        1/1/2024,1/7/2024,A,Plan A,S4,Movie,Long Road,,,,FREE,200,150,9000,900\n\
        1/1/2024,1/7/2024,B,Plan B,S4,Movie,Long Road,,,,PRIME,50,45,2000,0\n";
    const W2: &str = "1/8/2024,1/14/2024,A,Plan A,S1,TV,Night Shift,1,1,Pilot,3P_SUBS,50,40,2000,\n";
    const M: &str = "1/1/2024,1/31/2024,A,Plan A,S1,TV,Night Shift,1,1,Pilot,3P_SUBS,300,200,12000,600\n";

    fn section() -> content::Section {
        let files = [
            ingest_bytes("w1.csv", format!("{H}{W1}").as_bytes()),
            ingest_bytes("w2.csv", format!("{H}{W2}").as_bytes()),
            ingest_bytes("m.csv", format!("{H}{M}").as_bytes()),
        ];
        analyze(&files).content_usage.expect("section")
    }

    #[test]
    fn monthly_first_then_weekly_with_its_trend() {
        let s = section();
        let m = view_model(&s, None, None, None, "").expect("model");
        assert_eq!(m.pick.cadences, [Cadence::Monthly, Cadence::Weekly]);
        assert_eq!((m.label.as_str(), m.cards[0].value.as_str()), ("January 2024", "12,000"));
        let w = view_model(&s, None, Some(Cadence::Weekly), None, "").expect("model");
        // Latest week: 2000 minutes; its ad minutes are empty, so ad share is blank with the reason.
        assert_eq!(w.cards[0].value, "2,000");
        assert_eq!(w.cards[3].value, "—");
        assert_eq!(w.cards[3].note.as_deref(), Some("needs minutes and ad minutes"));
        assert_eq!(w.cards[0].provenance, "Σ Total Minutes Streamed; from 1 row in w2.csv");
        // The trend has both weeks, oldest first: 4000.50 + 2500 + 9000 + 2000 = 17500.5, then 2000.
        match &w.trend.kind {
            ChartKind::Lines { series, categories } => {
                assert_eq!(categories.len(), 2);
                assert_eq!(series[0].values, [Some(17500.5), Some(2000.0)]);
            }
            other => panic!("{other:?}"),
        }
        let picked = period_key(Cadence::Weekly, w1(), w1() + chrono::Days::new(6));
        let w = view_model(&s, None, Some(Cadence::Weekly), Some(&picked), "").expect("model");
        assert_eq!(w.cards[0].value, "17,501");
        assert_eq!(w.pick.options.len(), 2);
    }

    fn w1() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")
    }

    #[test]
    fn titles_search_drill_and_customers() {
        let s = section();
        let picked = period_key(Cadence::Weekly, w1(), w1() + chrono::Days::new(6));
        let m = view_model(&s, None, None, Some(&picked), "").expect("model");
        // Picked key of another cadence falls back to the latest monthly period.
        assert_eq!(m.pick.cadence, Cadence::Monthly);
        let m = view_model(&s, None, Some(Cadence::Weekly), Some(&picked), "").expect("model");
        assert_eq!(m.matching, (2, 2));
        // Long Road: 2 rows, customers shown as largest row – sum: 150–195.
        assert_eq!(m.titles.rows[0][0].text, "Long Road");
        assert_eq!(m.titles.rows[0][5].text, "150–195");
        assert_eq!(m.drill.len(), 1);
        assert_eq!(m.drill[0].summary, "Night Shift · 6,501 minutes · 2 rows");
        assert_eq!(m.drill[0].seasons[0].episodes.rows.len(), 2);
        let q = view_model(&s, None, Some(Cadence::Weekly), Some(&picked), "seCOND").expect("model");
        assert_eq!(q.matching, (1, 2));
        assert_eq!(q.titles.rows[0][0].text, "Night Shift");
        let none = view_model(&s, None, Some(Cadence::Weekly), Some(&picked), "zzz").expect("model");
        assert_eq!((none.matching, none.titles.rows.len(), none.drill.len()), ((0, 2), 0, 0));
        // The offers table names the plan and the rows behind each.
        assert_eq!(m.offers.rows[1][0].text, "B");
        assert_eq!(m.offers.rows[1][1].text, "Plan B");
        assert_eq!(m.offers.rows[1].last().map(|c| c.text.as_str()), Some("1"));
    }

    #[test]
    fn nothing_to_show_is_none() {
        assert!(view_model(&content::Section::default(), None, None, None, "").is_none());
        assert!(pick(&[], None, None).is_none());
    }
}
