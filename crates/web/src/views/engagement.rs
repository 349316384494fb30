//! The Premium Engagement Scorecard view: for a chosen period, a sortable
//! table by tenure band × content group (paid subs, cancellations, cancel
//! rate, streamers per paid sub, weekend share, average titles / episodes /
//! movies, VOD and ad hours per streamer), cancel rate by tenure as bars (one
//! series per content group), and, with more than one period, the cancel rate
//! per band over time.
//!
//! The view model ([`period_options`], [`band_table`], [`cancel_rate_chart`],
//! [`trend_chart`]) is plain functions, tested natively.

use crate::format::{decimal, grouped, percent, period_label};
use crate::widgets::picker::{conflict_notes, empty_state, period_select, warnings_box};
use crate::widgets::{Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::engagement::{self, band_key, Period, Section};

/// The key a period is picked by: `2023-11-01:2023-11-30`.
pub fn period_key(p: &Period) -> String {
    format!("{}:{}", p.start, p.end)
}

/// The period picker's choices, newest first: (key, label).
pub fn period_options(s: &Section) -> Vec<(String, String)> {
    s.periods.iter().rev().map(|p| (period_key(p), period_label(p.start, p.end))).collect()
}

/// The picked period, or the latest.
pub fn pick<'a>(s: &'a Section, key: Option<&str>) -> Option<&'a Period> {
    key.and_then(|k| s.periods.iter().find(|p| period_key(p) == k)).or_else(|| s.periods.last())
}

fn why(c: &engagement::Cell, field: &str) -> String {
    c.why_null.get(field).or_else(|| c.why_null.get("all")).cloned().unwrap_or_else(|| "not in the report".to_string())
}

fn count(v: Option<i64>, c: &engagement::Cell, field: &str) -> Cell {
    match v {
        Some(n) => Cell::number(grouped(n), Some(n as f64)).with_help(format!("from {}", c.source)),
        None => Cell::number("—", None).with_help(why(c, field)),
    }
}

fn rate(v: Option<Decimal>, c: &engagement::Cell, field: &str) -> Cell {
    match v {
        Some(d) => Cell::number(percent(d), d.to_f64()).with_help(format!("from {}", c.source)),
        None => Cell::number("—", None).with_help(why(c, field)),
    }
}

fn dec(v: Option<Decimal>, c: &engagement::Cell, field: &str) -> Cell {
    match v {
        Some(d) => Cell::number(decimal(d, 2), d.to_f64()).with_help(format!("from {}", c.source)),
        None => Cell::number("—", None).with_help(why(c, field)),
    }
}

/// One row per band × content group of `p`, in tenure order.
pub fn band_table(p: &Period) -> Table {
    let col = |label: &str, numeric: bool, help: &str| Column {
        label: label.to_string(),
        numeric,
        help: (!help.is_empty()).then(|| help.to_string()),
    };
    let columns = vec![
        col("Length of subscription", false, "Tenure band, in tenure order"),
        col("Content group", false, ""),
        col("Plans", false, "Plans whose rows were added up"),
        col("Rows", true, "Report rows behind the numbers"),
        col("Paid subs", true, "Σ Paid Subscriptions"),
        col("Cancellations", true, "Σ Cancellations"),
        col("Cancel rate", true, "Cancellations ÷ paid subs"),
        col("Streamers / paid", true, "Streamers ÷ paid subs"),
        col("Weekend share", true, "Weekend ÷ (weekend + weekday) streams"),
        col("Avg titles", true, "Per streamer; plans weighted by streamers"),
        col("Avg episodes", true, "Per streamer; plans weighted by streamers"),
        col("Avg movies", true, "Per streamer; plans weighted by streamers"),
        col("VOD h / streamer", true, "VOD hours ÷ streamers"),
        col("Ad h / streamer", true, "VOD ad hours ÷ streamers"),
    ];
    let rows = p
        .cells
        .iter()
        .map(|c| {
            vec![
                Cell::text(c.band.clone()).with_help(format!("from {}", c.source)),
                Cell::text(c.content_group.clone().unwrap_or_else(|| "—".to_string())),
                Cell::text(c.plans.join(", ")),
                Cell::number(c.rows.to_string(), Some(f64::from(c.rows))).with_help(c.source.clone()),
                count(c.paid, c, "paid"),
                count(c.cancellations, c, "cancellations"),
                rate(c.cancel_rate, c, "cancel_rate"),
                rate(c.streamers_per_paid, c, "streamers_per_paid"),
                rate(c.weekend_share, c, "weekend_share"),
                dec(c.avg_titles, c, "avg_titles"),
                dec(c.avg_episodes, c, "avg_episodes"),
                dec(c.avg_movies, c, "avg_movies"),
                dec(c.vod_hours_per_streamer, c, "vod_hours_per_streamer"),
                dec(c.ad_hours_per_streamer, c, "ad_hours_per_streamer"),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// Cancel rate by tenure band (categories) with one series per content group.
pub fn cancel_rate_chart(p: &Period) -> Chart {
    let series = p
        .content_groups
        .iter()
        .map(|g| Series {
            name: g.clone(),
            values: p
                .bands
                .iter()
                .map(|b| {
                    p.cells
                        .iter()
                        .find(|c| &c.band == b && c.content_group.as_ref() == Some(g))
                        .and_then(|c| c.cancel_rate)
                        .and_then(|d| d.to_f64())
                })
                .collect(),
        })
        .collect();
    Chart {
        title: format!("Cancel rate by length of subscription, {}", period_label(p.start, p.end)),
        x_label: "Cancel rate".to_string(),
        y_label: "Length of subscription".to_string(),
        percent: true,
        kind: ChartKind::Bars { categories: p.bands.clone(), series },
        id: "engagement-cancel-rate".to_string(),
    }
}

/// Cancel rate per band (content group `group`) over every period; `None` with one period.
pub fn trend_chart(s: &Section, group: &str) -> Option<Chart> {
    if s.periods.len() < 2 {
        return None;
    }
    let mut bands: Vec<&str> = s.periods.iter().flat_map(|p| p.bands.iter().map(String::as_str)).collect();
    bands.sort_by_key(|b| (band_key(b), b.to_string()));
    bands.dedup();
    let series = bands
        .iter()
        .map(|b| Series {
            name: b.to_string(),
            values: s
                .periods
                .iter()
                .map(|p| {
                    p.cells
                        .iter()
                        .find(|c| c.band == *b && c.content_group.as_deref() == Some(group))
                        .and_then(|c| c.cancel_rate)
                        .and_then(|d| d.to_f64())
                })
                .collect(),
        })
        .collect();
    Some(Chart {
        title: format!("Cancel rate by band over time, {group}"),
        x_label: "Period".to_string(),
        y_label: "Cancel rate".to_string(),
        percent: true,
        kind: ChartKind::Lines { categories: s.periods.iter().map(|p| period_label(p.start, p.end)).collect(), series },
        id: format!("engagement-trend-{group}"),
    })
}

/// The Premium Engagement Scorecard view.
#[component]
pub fn EngagementView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<engagement::Section>>,
) -> impl IntoView {
    let picked = RwSignal::new(None::<String>);
    let period =
        Memo::new(move |_| section.with(|s| s.as_ref().and_then(|s| pick(s, picked.get().as_deref()).cloned())));
    let has = Memo::new(move |_| period.with(Option::is_some));
    let options = Signal::derive(move || section.with(|s| s.as_ref().map(period_options).unwrap_or_default()));
    let selected = Signal::derive(move || period.with(|p| p.as_ref().map(period_key).unwrap_or_default()));
    let table = Signal::derive(move || period.with(|p| p.as_ref().map(band_table).unwrap_or_default()));
    let empty = || Chart {
        title: String::new(),
        x_label: String::new(),
        y_label: String::new(),
        percent: true,
        kind: ChartKind::Bars { categories: Vec::new(), series: Vec::new() },
        id: "engagement-cancel-rate".to_string(),
    };
    let bars = Signal::derive(move || period.with(|p| p.as_ref().map(cancel_rate_chart).unwrap_or_else(empty)));
    let trends = move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    let mut groups: Vec<String> = s.periods.iter().flat_map(|p| p.content_groups.clone()).collect();
                    groups.sort();
                    groups.dedup();
                    groups
                        .iter()
                        .filter_map(|g| trend_chart(s, g))
                        .map(|c| view! { <ChartCanvas chart=Signal::derive(move || c.clone()) /> })
                        .collect_view()
                })
                .unwrap_or_default()
        })
    };
    let provenance = move || {
        period.with(|p| {
            p.as_ref()
                .map(|p| format!("{}: from {} rows", period_label(p.start, p.end), grouped(i64::from(p.rows))))
                .unwrap_or_default()
        })
    };
    let notes = Signal::derive(move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    conflict_notes(&s.conflicts, &s.duplicates, "That cell stays blank until one file is removed.")
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section class="view" data-testid="engagement-view">
            <h2>"Premium Engagement Scorecard"</h2>
            <Show
                when=move || has.get()
                fallback=|| {
                    empty_state(
                        "engagement-empty",
                        "No Engagement Scorecard rows yet. Add a Premium Engagement Scorecard report to see engagement by tenure.",
                    )
                }
            >
                {period_select("engagement-period", options, selected, picked)}
                <p class="provenance" data-testid="engagement-provenance">{provenance}</p>
                <p class="note">
                    "Plans are added up within a band and content group; content groups are never added together (a customer can stream from several)."
                </p>
                {warnings_box("engagement-warnings", notes)}
                <ChartCanvas chart=bars />
                {trends}
                <DataTable caption="Engagement by length of subscription and content group" table=table id="engagement-table" />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use slatelens_core::analysis::FileRows;
    use slatelens_core::kinds::engagement::Row;

    fn row(line: u64, month: u32, band: &str, paid: i64, cancels: i64) -> Row {
        let start = NaiveDate::from_ymd_opt(2023, month, 1).expect("date");
        Row {
            line,
            start,
            end: start + chrono::Months::new(1) - chrono::Days::new(1),
            subscription: Some("Club".into()),
            length_band: band.into(),
            content_group: Some("3P_SUBS".into()),
            paid: Some(paid),
            cancellations: Some(cancels),
            active: None,
            streamers: Some(0),
            streams: None,
            weekend_streams: None,
            weekday_streams: None,
            avg_titles: None,
            avg_episodes: None,
            avg_movies: None,
            vod_hours: None,
            vod_ad_hours: None,
        }
    }

    fn section() -> Section {
        let rows =
            [row(2, 11, "12+months", 1000, 10), row(3, 11, "0-1months", 100, 20), row(4, 12, "0-1months", 200, 30)];
        engagement::analyze(&[FileRows { name: "e.csv", label: "ES", rows: &rows }])
    }

    #[test]
    fn latest_period_by_default_and_bands_in_tenure_order() {
        let s = section();
        assert_eq!(period_options(&s)[0].1, "December 2023");
        let nov = pick(&s, Some("2023-11-01:2023-11-30")).expect("nov");
        let ChartKind::Bars { categories, series } = cancel_rate_chart(nov).kind else { panic!("bars") };
        assert_eq!(categories, ["0-1months", "12+months"]);
        // 20/100 = 0.2, 10/1000 = 0.01.
        assert_eq!(series[0].values, [Some(0.2), Some(0.01)]);
    }

    #[test]
    fn table_shows_null_reasons_and_sources() {
        let s = section();
        let t = band_table(pick(&s, None).expect("dec"));
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][6].text, "15.00%");
        assert_eq!(t.rows[0][6].help.as_deref(), Some("from e.csv line 4"));
        assert_eq!(t.rows[0][12].help.as_deref(), Some("Streamers is 0"));
    }

    #[test]
    fn trend_has_a_gap_where_a_band_is_absent() {
        let s = section();
        let ChartKind::Lines { categories, series } = trend_chart(&s, "3P_SUBS").expect("trend").kind else {
            panic!("lines")
        };
        assert_eq!(categories.len(), 2);
        assert_eq!(series[1].name, "12+months");
        assert_eq!(series[1].values, [Some(0.01), None]);
    }
}
