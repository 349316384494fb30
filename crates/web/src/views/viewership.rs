//! The Persistent-ID and Daily Anonymized viewership view: cards (streams,
//! hours, unique viewers, hours per viewer, ad seconds per hour, the top 10%'s
//! share), viewers and hours per day, week or month, a searchable title table
//! with a series → season → episode drill-down and completion, one dimension
//! at a time (device, DMA, offer...), the weekday × hour heatmap of stream
//! starts, and how hours are spread over customers.
//!
//! Customers appear only as counts: the section carries no ID. Every count is
//! exact (the cards say so); derived numbers are rounded for display.
//!
//! The view model is plain functions over the section, tested natively:
//! [`cards`], [`trend_charts`], [`title_table`], [`season_table`],
//! [`episode_table`], [`dimension_table`], [`dimension_chart`],
//! [`heatmap_chart`], [`distribution_chart`]. The component only wires signals.

use crate::format::{self, decimal, grouped, percent};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::viewership::{self, Completion, Period, Section, Title, Totals};

/// Periods the trend charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cadence {
    /// One point per day of stream start.
    #[default]
    Daily,
    /// Monday to Sunday.
    Weekly,
    /// Calendar months.
    Monthly,
}

impl Cadence {
    /// Every cadence, in toggle order.
    pub const ALL: [Cadence; 3] = [Cadence::Daily, Cadence::Weekly, Cadence::Monthly];

    /// The toggle's text.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Daily => "Daily",
            Cadence::Weekly => "Weekly",
            Cadence::Monthly => "Monthly",
        }
    }

    fn periods(self, s: &Section) -> &[Period] {
        match self {
            Cadence::Daily => &s.days,
            Cadence::Weekly => &s.weeks,
            Cadence::Monthly => &s.months,
        }
    }
}

fn count(n: u64) -> String {
    grouped(i64::try_from(n).unwrap_or(i64::MAX))
}

fn num(d: Decimal) -> Option<f64> {
    d.to_f64()
}

/// Hours with one decimal: `7.7`.
fn hours(d: Decimal) -> String {
    decimal(d, 1)
}

fn streams_of(n: u64) -> String {
    format!("{} {}", count(n), if n == 1 { "stream" } else { "streams" })
}

/// The cards: streams, hours, unique viewers, hours per viewer, ad seconds per
/// hour, and the top 10% of viewers' share of hours; each says the rows behind it.
pub fn cards(s: &Section) -> Vec<Card> {
    let t = &s.totals;
    let files = format::and_list(&s.files);
    let rows = format!("{} in {files}", streams_of(t.streams));
    let top = &s.distribution.top_10_percent;
    vec![
        Card {
            label: "Streams".into(),
            value: count(t.streams),
            note: None,
            provenance: format!("rows in {files}"),
            id: "card-streams".into(),
        },
        Card {
            label: "Hours viewed".into(),
            value: hours(t.hours),
            note: Some(format!("{} seconds", decimal(t.seconds_viewed, 3))),
            provenance: format!("Σ Seconds Viewed ÷ 3600, {rows}"),
            id: "card-hours".into(),
        },
        Card {
            label: "Unique viewers".into(),
            value: count(t.customers),
            note: Some("exact count of distinct customer IDs".into()),
            provenance: format!("distinct Encrypted Customer IDs, {rows}"),
            id: "card-viewers".into(),
        },
        Card {
            label: "Hours per viewer".into(),
            value: s.hours_per_customer.map_or("—".into(), |h| decimal(h, 2)),
            note: s.hours_per_customer.is_none().then(|| "no viewers".into()),
            provenance: format!("hours ÷ unique viewers, {rows}"),
            id: "card-hours-per-viewer".into(),
        },
        Card {
            label: "Ad seconds per hour".into(),
            value: s.ad_seconds_per_hour.map_or("—".into(), |a| decimal(a, 1)),
            note: s.ad_seconds_per_hour_note.clone(),
            provenance: format!(
                "Σ Ad Seconds Viewed ({}) ÷ hours viewed; {} of {} have an ad cell",
                decimal(t.ad_seconds_viewed, 3),
                streams_of(s.ad_streams),
                count(t.streams)
            ),
            id: "card-ad-seconds-per-hour".into(),
        },
        Card {
            label: "Top 10% of viewers' share of hours".into(),
            value: top.share.map_or("—".into(), percent),
            note: Some(match s.distribution.top_1_percent.share {
                Some(one) => format!("top 1%: {}", percent(one)),
                None => "no seconds viewed".into(),
            }),
            provenance: format!(
                "the {} viewers with the most hours watched {} of {} hours",
                count(top.customers),
                hours(top.hours),
                hours(t.hours)
            ),
            id: "card-top-share".into(),
        },
    ]
}

/// Unique viewers and hours per period of `cadence` (two charts: their scales differ).
/// Viewers of a week or month are distinct over it, not the sum of its days.
pub fn trend_charts(s: &Section, cadence: Cadence) -> [Chart; 2] {
    let periods = cadence.periods(s);
    let categories: Vec<String> = periods
        .iter()
        // Short enough for the axis never to cut them (`Wed 1 Dec 21`): the
        // app's axis dates, with the weekday for days.
        .map(|p| match cadence {
            Cadence::Daily => format::axis_day(p.start),
            Cadence::Weekly => p.start.format("%-d %b %y").to_string(),
            Cadence::Monthly => p.start.format("%b %Y").to_string(),
        })
        .collect();
    let series = |name: &str, f: fn(&Totals) -> Option<f64>| Series {
        name: name.into(),
        values: periods.iter().map(|p| f(&p.totals)).collect(),
    };
    let x = match cadence {
        Cadence::Daily => "Day of stream start",
        Cadence::Weekly => "Week (Monday to Sunday), by its Monday",
        Cadence::Monthly => "Month",
    };
    [
        Chart {
            title: format!("{} unique viewers", cadence.label()),
            x_label: x.into(),
            y_label: "Unique viewers".into(),
            percent: false,
            kind: ChartKind::Lines {
                categories: categories.clone(),
                series: vec![series("Unique viewers", |t| Some(t.customers as f64))],
            },
            id: "chart-viewers".into(),
        },
        Chart {
            title: format!("{} hours viewed", cadence.label()),
            x_label: x.into(),
            y_label: "Hours".into(),
            percent: false,
            kind: ChartKind::Lines { categories, series: vec![series("Hours", |t| num(t.hours))] },
            id: "chart-hours".into(),
        },
    ]
}

fn totals_columns(first: &str) -> Vec<Column> {
    let col = |label: &str, numeric, help: &str| Column {
        label: label.into(),
        numeric,
        help: (!help.is_empty()).then(|| help.to_string()),
    };
    vec![
        col(first, false, ""),
        col("Streams", true, "rows"),
        col("Hours", true, "Σ Seconds Viewed ÷ 3600"),
        col("Unique viewers", true, "distinct customers (exact)"),
        col("Hours per viewer", true, "hours ÷ unique viewers"),
        col("Ad seconds", true, "Σ Ad Seconds Viewed"),
    ]
}

fn totals_cells(t: &Totals) -> Vec<Cell> {
    let per_viewer = (t.customers > 0).then(|| t.hours / Decimal::from(t.customers));
    vec![
        Cell::number(count(t.streams), Some(t.streams as f64)),
        Cell::number(hours(t.hours), num(t.hours)).with_help(format!("{} seconds", decimal(t.seconds_viewed, 3))),
        Cell::number(count(t.customers), Some(t.customers as f64)),
        match per_viewer {
            Some(h) => Cell::number(decimal(h, 2), num(h)),
            None => Cell::number("—", None).with_help("no viewers"),
        },
        Cell::number(decimal(t.ad_seconds_viewed, 0), num(t.ad_seconds_viewed)),
    ]
}

fn completion_cell(c: &Completion) -> Cell {
    match c.rate {
        Some(r) => {
            let cell = Cell::number(percent(r), num(r));
            let help =
                format!("Σ seconds viewed ÷ (Σ Runtime Minutes × 60) over {}", streams_of(c.streams_with_runtime));
            if c.streams_without_runtime > 0 {
                cell.with_help(format!("{help}; {} without a runtime left out", streams_of(c.streams_without_runtime)))
            } else {
                cell.with_help(help)
            }
        }
        None => Cell::number("—", None).with_help(c.note.clone().unwrap_or_else(|| "no runtime".into())),
    }
}

fn with_completion(mut cols: Vec<Column>) -> Vec<Column> {
    cols.push(Column {
        label: "Completion".into(),
        numeric: true,
        help: Some("Σ seconds viewed ÷ (Σ Runtime Minutes × 60), streams with a runtime".into()),
    });
    cols
}

/// Whether a title matches the search: case-insensitive substring; an empty query matches all.
pub fn matches(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || name.to_lowercase().contains(&q)
}

/// The title table (top titles by hours, filtered by `query`), with the
/// "other titles" line when the section truncated the list and no search is on.
pub fn title_table(s: &Section, query: &str) -> Table {
    let mut rows: Vec<Vec<Cell>> = s
        .titles
        .iter()
        .filter(|t| matches(&t.name, query))
        .map(|t| {
            let mut r = vec![Cell::text(t.name.clone())];
            r.extend(totals_cells(&t.totals));
            r.push(completion_cell(&t.completion));
            r
        })
        .collect();
    if let (Some(o), true) = (&s.other_titles, query.trim().is_empty()) {
        let mut r = vec![Cell::text(format!("{} other titles", count(o.titles)))
            .with_help("summed; viewers are distinct over all of them")];
        r.extend(totals_cells(&o.totals));
        r.push(Cell::number("—", None).with_help("not computed for the summed titles"));
        rows.push(r);
    }
    Table { columns: with_completion(totals_columns("Title")), rows }
}

/// The title picked for the drill-down, by name.
pub fn find_title<'a>(s: &'a Section, name: &str) -> Option<&'a Title> {
    s.titles.iter().find(|t| t.name == name)
}

/// The seasons of a title.
pub fn season_table(t: &Title) -> Table {
    let rows = t
        .seasons
        .iter()
        .map(|x| {
            let mut r = vec![Cell::text(x.name.clone())];
            r.extend(totals_cells(&x.totals));
            r.push(completion_cell(&x.completion));
            r
        })
        .collect();
    Table { columns: with_completion(totals_columns("Season")), rows }
}

/// The episodes of one season of a title (`None` when there is no such season).
pub fn episode_table(t: &Title, season: &str) -> Option<Table> {
    let x = t.seasons.iter().find(|x| x.name == season)?;
    let mut rows: Vec<Vec<Cell>> = x
        .episodes
        .iter()
        .map(|e| {
            let mut r = vec![Cell::text(e.name.clone())];
            r.extend(totals_cells(&e.totals));
            r.push(completion_cell(&e.completion));
            r
        })
        .collect();
    if x.episodes_omitted > 0 {
        let mut r = vec![Cell::text(format!("{} more episodes not listed", count(x.episodes_omitted)))];
        r.extend((0..6).map(|_| Cell::number("", None)));
        rows.push(r);
    }
    Some(Table { columns: with_completion(totals_columns("Episode")), rows })
}

/// The values of the dimension `key` (e.g. `device_class`), with the offer name for offers.
pub fn dimension_table(s: &Section, key: &str) -> Table {
    let Some(d) = s.dimensions.iter().find(|d| d.key == key) else { return Table::default() };
    let mut rows: Vec<Vec<Cell>> = d
        .values
        .iter()
        .map(|v| {
            let label = match &v.detail {
                Some(name) => format!("{} ({name})", v.value),
                None => v.value.clone(),
            };
            let mut r = vec![Cell::text(label)];
            r.extend(totals_cells(&v.totals));
            r
        })
        .collect();
    if d.values_omitted > 0 {
        let mut r = vec![Cell::text(format!("{} more values not listed", count(d.values_omitted)))];
        r.extend((0..5).map(|_| Cell::number("", None)));
        rows.push(r);
    }
    Table { columns: totals_columns(&d.label), rows }
}

/// Hours and unique viewers per value of the dimension `key` (the top 20 by hours).
pub fn dimension_chart(s: &Section, key: &str) -> Chart {
    let d = s.dimensions.iter().find(|d| d.key == key);
    let values: Vec<_> = d.map(|d| d.values.iter().take(20).collect()).unwrap_or_default();
    Chart {
        title: format!("Hours by {}", d.map_or("dimension".into(), |d| d.label.to_lowercase())),
        x_label: "Hours".into(),
        y_label: d.map_or(String::new(), |d| d.label.clone()),
        percent: false,
        kind: ChartKind::Bars {
            categories: values.iter().map(|v| v.value.clone()).collect(),
            series: vec![Series { name: "Hours".into(), values: values.iter().map(|v| num(v.totals.hours)).collect() }],
        },
        id: "chart-dimension".into(),
    }
}

/// The dimensions the picker offers: (key, label).
pub fn dimension_options(s: &Section) -> Vec<(String, String)> {
    s.dimensions.iter().map(|d| (d.key.clone(), d.label.clone())).collect()
}

/// Stream starts by weekday (rows, Monday first) and hour of day (columns).
pub fn heatmap_chart(s: &Section) -> Chart {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    Chart {
        title: "Stream starts by weekday and hour".into(),
        x_label: "Hour of day (as in the file)".into(),
        y_label: "Weekday".into(),
        percent: false,
        kind: ChartKind::Heatmap {
            rows: DAYS.iter().map(|d| d.to_string()).collect(),
            columns: (0..24).map(|h| format!("{h:02}")).collect(),
            values: s.heatmap.iter().map(|r| r.iter().map(|&n| Some(n as f64)).collect()).collect(),
        },
        id: "chart-heatmap".into(),
    }
}

/// Customers per band of hours viewed.
pub fn distribution_chart(s: &Section) -> Chart {
    let label = |b: &viewership::Bucket| match b.to_hours {
        Some(to) => format!("{}–{} h", b.from_hours, to),
        None => format!("{}+ h", b.from_hours),
    };
    let b = &s.distribution.buckets;
    Chart {
        title: "Viewers by hours viewed".into(),
        x_label: "Viewers".into(),
        y_label: "Hours viewed per viewer".into(),
        percent: false,
        kind: ChartKind::Bars {
            categories: b.iter().map(label).collect(),
            series: vec![Series {
                name: "Viewers".into(),
                values: b.iter().map(|b| Some(b.customers as f64)).collect(),
            }],
        },
        id: "chart-distribution".into(),
    }
}

/// One sentence on how concentrated viewing is.
pub fn concentration(s: &Section) -> String {
    let d = &s.distribution;
    match (d.top_1_percent.share, d.top_10_percent.share) {
        (Some(one), Some(ten)) => format!(
            "The top 1% of viewers ({}) watched {} of hours; the top 10% ({}) watched {}.",
            count(d.top_1_percent.customers),
            percent(one),
            count(d.top_10_percent.customers),
            percent(ten)
        ),
        _ => "No seconds were viewed, so there is no share.".into(),
    }
}

/// The Persistent-ID and Daily Anonymized viewership view.
#[component]
pub fn ViewershipView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<viewership::Section>>,
) -> impl IntoView {
    let cadence = RwSignal::new(Cadence::Daily);
    let dimension = RwSignal::new("device_class".to_string());
    let query = RwSignal::new(String::new());
    let picked_title = RwSignal::new(String::new());
    let picked_season = RwSignal::new(String::new());

    let card_list = Signal::derive(move || section.with(|s| s.as_ref().map(cards).unwrap_or_default()));
    let viewers_chart = Signal::derive(move || {
        let c = cadence.get();
        section.with(|s| s.as_ref().map(|s| trend_charts(s, c)[0].clone())).unwrap_or_else(empty_chart)
    });
    let hours_chart = Signal::derive(move || {
        let c = cadence.get();
        section.with(|s| s.as_ref().map(|s| trend_charts(s, c)[1].clone())).unwrap_or_else(empty_chart)
    });
    let titles = Signal::derive(move || {
        let q = query.get();
        section.with(|s| s.as_ref().map(|s| title_table(s, &q)).unwrap_or_default())
    });
    let seasons = Signal::derive(move || {
        let t = picked_title.get();
        section.with(|s| s.as_ref().and_then(|s| find_title(s, &t)).map(season_table).unwrap_or_default())
    });
    let episodes = Signal::derive(move || {
        let (t, x) = (picked_title.get(), picked_season.get());
        section
            .with(|s| s.as_ref().and_then(|s| find_title(s, &t)).and_then(|t| episode_table(t, &x)).unwrap_or_default())
    });
    let dim_table = Signal::derive(move || {
        let k = dimension.get();
        section.with(|s| s.as_ref().map(|s| dimension_table(s, &k)).unwrap_or_default())
    });
    let dim_chart = Signal::derive(move || {
        let k = dimension.get();
        section.with(|s| s.as_ref().map(|s| dimension_chart(s, &k))).unwrap_or_else(empty_chart)
    });
    let heat = Signal::derive(move || section.with(|s| s.as_ref().map(heatmap_chart)).unwrap_or_else(empty_chart));
    let dist = Signal::derive(move || section.with(|s| s.as_ref().map(distribution_chart)).unwrap_or_else(empty_chart));

    let cadence_toggle = move || {
        Cadence::ALL
            .into_iter()
            .map(|c| {
                view! {
                    <label class="cadence-option">
                        <input
                            type="radio"
                            name="viewership-cadence"
                            value=c.label()
                            prop:checked=move || cadence.get() == c
                            on:change=move |_| cadence.set(c)
                        />
                        <span>{c.label()}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let title_options = move || {
        let names: Vec<String> = section.with(|s| {
            s.as_ref()
                .map(|s| s.titles.iter().filter(|t| !t.seasons.is_empty()).map(|t| t.name.clone()).collect())
                .unwrap_or_default()
        });
        names
            .into_iter()
            .map(|n| view! { <option value=n.clone() selected=picked_title.get_untracked() == n>{n.clone()}</option> })
            .collect_view()
    };
    let season_options = move || {
        let t = picked_title.get();
        let names: Vec<String> = section.with(|s| {
            s.as_ref()
                .and_then(|s| find_title(s, &t))
                .map(|t| t.seasons.iter().map(|x| x.name.clone()).collect())
                .unwrap_or_default()
        });
        names.into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()
    };
    let dimension_options = move || {
        section
            .with(|s| s.as_ref().map(dimension_options).unwrap_or_default())
            .into_iter()
            .map(|(k, l)| {
                let selected = dimension.get_untracked() == k;
                view! { <option value=k selected=selected>{l}</option> }
            })
            .collect_view()
    };
    let notes = move || {
        section
            .with(|s| s.as_ref().map(|s| s.notes.clone()).unwrap_or_default())
            .into_iter()
            .map(|n| view! { <li>{n}</li> })
            .collect_view()
    };
    let span = move || {
        section.with(|s| {
            s.as_ref().map(|s| match (s.first_stream, s.last_stream) {
                (Some(a), Some(b)) => {
                    format!("Streams started {} to {}.", a.format("%-d %b %Y %H:%M"), b.format("%-d %b %Y %H:%M"))
                }
                _ => String::new(),
            })
        })
    };

    view! {
        <section class="view" data-testid="viewership-view">
            <h2>"Persistent-ID and Daily Anonymized viewership"</h2>
            <Show when=move || section.with(Option::is_some) fallback=|| view! { <p>"No viewership file read yet."</p> }>
                <p class="span" data-testid="viewership-span">{span}</p>
                <Cards cards=card_list />
                <h3>"Viewers and hours over time"</h3>
                <fieldset class="cadence" data-testid="viewership-cadence">
                    <legend>"Per"</legend>
                    {cadence_toggle}
                </fieldset>
                <p class="hint">"Viewers of a week or month are counted once over it, not summed over its days."</p>
                <ChartCanvas chart=viewers_chart />
                <ChartCanvas chart=hours_chart />
                <h3>"Titles"</h3>
                <label>
                    "Search titles "
                    <input
                        type="search"
                        data-testid="viewership-title-search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
                <DataTable caption="Titles by hours viewed" table=titles id="viewership-titles" />
                <div class="drilldown">
                    <label>
                        "Seasons of "
                        <select
                            data-testid="viewership-pick-title"
                            on:change=move |ev| {
                                picked_title.set(event_target_value(&ev));
                                picked_season.set(String::new());
                            }
                        >
                            <option value="">"(pick a title)"</option>
                            {title_options}
                        </select>
                    </label>
                    <Show
                        when=move || picked_title.with(|t| !t.is_empty())
                        fallback=|| view! { <p class="hint">"Pick a title to see its seasons."</p> }
                    >
                        <DataTable caption="Seasons" table=seasons id="viewership-seasons" />
                    </Show>
                    <label>
                        "Episodes of season "
                        <select data-testid="viewership-pick-season" on:change=move |ev| picked_season.set(event_target_value(&ev))>
                            <option value="">"(pick a season)"</option>
                            {season_options}
                        </select>
                    </label>
                    <Show
                        when=move || picked_season.with(|x| !x.is_empty())
                        fallback=|| view! { <p class="hint">"Pick a season to see its episodes."</p> }
                    >
                        <DataTable caption="Episodes" table=episodes id="viewership-episodes" />
                    </Show>
                </div>
                <h3>"By dimension"</h3>
                <label>
                    "Show "
                    <select data-testid="viewership-dimension" on:change=move |ev| dimension.set(event_target_value(&ev))>
                        {dimension_options}
                    </select>
                </label>
                <ChartCanvas chart=dim_chart />
                <DataTable caption="By dimension" table=dim_table id="viewership-dimension-table" />
                <h3>"When streams start"</h3>
                <ChartCanvas chart=heat />
                <h3>"How concentrated viewing is"</h3>
                <p data-testid="viewership-concentration">{move || section.with(|s| s.as_ref().map(concentration))}</p>
                <ChartCanvas chart=dist />
                <ul class="notes" data-testid="viewership-notes">{notes}</ul>
            </Show>
        </section>
    }
}

fn empty_chart() -> Chart {
    Chart {
        title: String::new(),
        x_label: String::new(),
        y_label: String::new(),
        percent: false,
        kind: ChartKind::Lines { categories: Vec::new(), series: Vec::new() },
        id: "chart-empty".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::analysis::viewership::FileAggregate;
    use slatelens_core::{ingest_bytes, KindData};

    /// A: 2 streams of Show S1 (1800 s, 1800 s, runtime 60 min), B: one untitled live stream of 3600 s.
    fn section() -> Section {
        let csv = "Encrypted Customer ID,Stream Start Timestamp,Seconds Viewed,Ad Seconds Viewed,Title Name,Season Number,Episode Number,Runtime Minutes,Device Class,Stream Type\n\
                   amzn1.account.A,2022-05-02 20:00,1800,60,Show,1,1,60,Web,VOD\n\
                   amzn1.account.A,2022-05-09 21:00,1800,,Show,1,2,60,Web,VOD\n\
                   amzn1.account.B,2022-05-09 21:30,3600,120,,,,,Mobile Devices,Live\n";
        let file = ingest_bytes("v.csv", csv.as_bytes());
        let Some(KindData::PidViewership(agg)) = &file.data else { panic!("viewership") };
        viewership::analyze(&[FileAggregate { name: "v.csv", aggregate: agg }])
    }

    #[test]
    fn cards_show_exact_counts_and_rates() {
        let s = section();
        let c = cards(&s);
        let value = |id: &str| c.iter().find(|c| c.id == id).map(|c| c.value.clone()).unwrap_or_default();
        // 7200 s = 2 h by 2 viewers = 1 h each; ads 180 s over 2 h = 90 per hour.
        assert_eq!(value("card-streams"), "3");
        assert_eq!(value("card-hours"), "2.0");
        assert_eq!(value("card-viewers"), "2");
        assert_eq!(value("card-hours-per-viewer"), "1.00");
        assert_eq!(value("card-ad-seconds-per-hour"), "90.0");
        // Top 10% of 2 viewers = 1 viewer with 1 of 2 hours.
        assert_eq!(value("card-top-share"), "50.00%");
        assert!(c.iter().all(|c| !c.provenance.is_empty()));
    }

    #[test]
    fn trends_follow_the_cadence() {
        let s = section();
        let [viewers, hours] = trend_charts(&s, Cadence::Weekly);
        let ChartKind::Lines { categories, series } = viewers.kind else { panic!("lines") };
        // Weeks of 2 and 9 May: A; A and B.
        assert_eq!(categories, ["2 May 22", "9 May 22"]);
        assert_eq!(series[0].values, [Some(1.0), Some(2.0)]);
        let ChartKind::Lines { series, .. } = hours.kind else { panic!("lines") };
        assert_eq!(series[0].values, [Some(0.5), Some(1.5)]);
        let [monthly, _] = trend_charts(&s, Cadence::Monthly);
        let ChartKind::Lines { categories, series } = monthly.kind else { panic!("lines") };
        assert_eq!(categories, ["May 2022"]);
        assert_eq!(series[0].values, [Some(2.0)]);
        let [daily, _] = trend_charts(&s, Cadence::Daily);
        let ChartKind::Lines { categories, .. } = daily.kind else { panic!("lines") };
        // Every day label fits the line chart's axis uncut.
        assert!(
            categories.iter().all(|c| c.chars().count() <= crate::widgets::chart::LINE_LABEL_CHARS),
            "{categories:?}"
        );
        assert_eq!(categories[0], "Mon 2 May 22");
    }

    #[test]
    fn title_table_searches_and_drills_down() {
        let s = section();
        let all = title_table(&s, "");
        assert_eq!(all.rows.len(), 2);
        assert_eq!(all.rows[0][0].text, "(untitled)");
        let shown = title_table(&s, "sHo");
        assert_eq!(shown.rows.len(), 1);
        // Completion 3600 / (2 × 60 × 60) = 50%.
        assert_eq!(shown.rows[0].last().map(|c| c.text.as_str()), Some("50.00%"));
        assert_eq!(all.rows[0].last().map(|c| c.text.as_str()), Some("—"));
        let show = find_title(&s, "Show").expect("Show");
        assert_eq!(season_table(show).rows.len(), 1);
        let eps = episode_table(show, "1").expect("season 1");
        assert_eq!(eps.rows.iter().map(|r| r[0].text.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert!(episode_table(show, "9").is_none());
    }

    #[test]
    fn dimensions_heatmap_and_distribution() {
        let s = section();
        let t = dimension_table(&s, "stream_type");
        assert_eq!(t.rows.iter().map(|r| r[0].text.as_str()).collect::<Vec<_>>(), ["Live", "VOD"]);
        assert_eq!(dimension_options(&s).len(), 9);
        let ChartKind::Bars { categories, .. } = dimension_chart(&s, "device_class").kind else { panic!("bars") };
        assert_eq!(categories, ["Mobile Devices", "Web"]);
        let ChartKind::Heatmap { values, .. } = heatmap_chart(&s).kind else { panic!("heatmap") };
        // Monday 2 May 20h; Monday 9 May 21h twice.
        assert_eq!((values[0][20], values[0][21]), (Some(1.0), Some(2.0)));
        let ChartKind::Bars { categories, series } = distribution_chart(&s).kind else { panic!("bars") };
        assert_eq!(categories[1], "1–2 h");
        // A and B watched 1 h each.
        assert_eq!(series[0].values[1], Some(2.0));
        assert!(concentration(&s).contains("50.00%"));
    }
}
