//! The Premium First-and-Last VOD Title view: for a chosen period, the titles
//! that bring people in (FT, HO and conversion first titles, ranked by share
//! of conversions) and those watched last before cancelling or turning
//! auto-renew off (ranked by share of cancels), with a "high on both" flag;
//! cards for the period's totals and a bar chart of the top titles' shares.
//!
//! The view model ([`title_table`], [`share_chart`], [`cards`]) is plain
//! functions, tested natively.

use crate::format::{grouped, percent, period_label};
use crate::widgets::picker::{conflict_notes, empty_state, period_select, warnings_box};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::first_last::{self, Period, Section, Title};

/// Titles in the bar chart.
pub const TOP: usize = 10;

/// The key a period is picked by: `2024-01-01:2024-01-07`.
pub fn period_key(p: &Period) -> String {
    format!("{}:{}", p.start, p.end)
}

/// The picked period, or the latest.
pub fn pick<'a>(s: &'a Section, key: Option<&str>) -> Option<&'a Period> {
    key.and_then(|k| s.periods.iter().find(|p| period_key(p) == k)).or_else(|| s.periods.last())
}

/// `Harbor Lights S1`.
pub fn title_label(t: &Title) -> String {
    match t.season {
        Some(s) => format!("{} S{s}", t.title),
        None => t.title.clone(),
    }
}

/// Which ranking a table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// First titles, by share of conversions.
    First,
    /// Last titles, by share of cancels.
    Last,
}

fn count(v: Option<i64>, t: &Title, field: &str) -> Cell {
    match v {
        Some(n) => {
            let missing =
                t.counts.missing_cells.get(field).map(|m| format!("; {m} row(s) without a value")).unwrap_or_default();
            Cell::number(grouped(n), Some(n as f64)).with_help(format!("from {}{missing}", t.source))
        }
        None => {
            Cell::number("—", None).with_help(t.why_null.clone().unwrap_or_else(|| "no row has a value".to_string()))
        }
    }
}

fn share(v: Option<Decimal>, t: &Title, why: &str) -> Cell {
    match v {
        Some(d) => Cell::number(percent(d), d.to_f64()).with_help(format!("from {}", t.source)),
        None => Cell::number("—", None).with_help(t.why_null.clone().unwrap_or_else(|| why.to_string())),
    }
}

/// The titles of `p` ranked for `side` (rank order; unranked last).
pub fn title_table(p: &Period, side: Side) -> Table {
    let col = |label: &str, numeric: bool, help: &str| Column {
        label: label.to_string(),
        numeric,
        help: (!help.is_empty()).then(|| help.to_string()),
    };
    let mut titles: Vec<&Title> = p.titles.iter().collect();
    let rank = |t: &Title| match side {
        Side::First => t.rank_conversions,
        Side::Last => t.rank_cancels,
    };
    titles.sort_by_key(|t| (rank(t).unwrap_or(u32::MAX), title_label(t)));
    let mut columns = vec![
        col("Rank", true, "1 = largest share; equal shares share a rank"),
        col("Title", false, "Series (with season) or movie"),
        col("Rows", true, "Report rows behind the numbers (platforms, plans)"),
    ];
    match side {
        Side::First => columns.extend([
            col("FT first", true, "Σ FT First Title Streamed"),
            col("HO first", true, "Σ HO First Title Streamed"),
            col("Conversion first", true, "Σ Conversion First Title Streamed"),
            col("Share of conversions", true, "Conversion first ÷ the period's Σ (recomputed from counts)"),
            col("Reported share", true, "Σ the file's Percentage of Total Conversions (of all the plan's conversions)"),
        ]),
        Side::Last => columns.extend([
            col("Last title", true, "Σ Last Title Streamed"),
            col("AR-off last", true, "Σ AR-Off Last Title Streamed"),
            col("Share of cancels", true, "Last title ÷ the period's Σ (recomputed from counts)"),
            col("Reported share", true, "Σ the file's Percentage of Total Cancels (of all the plan's cancels)"),
        ]),
    }
    columns.push(col("High on both", false, first_last::HIGH_ON_BOTH_RULE));
    let rows = titles
        .into_iter()
        .map(|t| {
            let r = rank(t);
            let mut row = vec![
                Cell::number(r.map_or("—".to_string(), |r| r.to_string()), r.map(f64::from)),
                Cell::text(title_label(t)).with_help(format!("{}; {}", t.platforms.join(", "), t.benefits.join(", "))),
                Cell::number(t.rows.to_string(), Some(f64::from(t.rows))).with_help(t.source.clone()),
            ];
            let one_plan = "several plans: their shares have different denominators";
            match side {
                Side::First => row.extend([
                    count(t.counts.ft_first, t, "ft_first"),
                    count(t.counts.ho_first, t, "ho_first"),
                    count(t.counts.conversion_first, t, "conversion_first"),
                    share(t.share_of_conversions, t, "no conversion counts this period"),
                    share(t.reported_share_of_conversions, t, one_plan),
                ]),
                Side::Last => row.extend([
                    count(t.counts.last, t, "last"),
                    count(t.counts.ar_off_last, t, "ar_off_last"),
                    share(t.share_of_cancels, t, "no last-title counts this period"),
                    share(t.reported_share_of_cancels, t, one_plan),
                ]),
            }
            row.push(Cell::text(if t.high_on_both { "▲ high on both" } else { "" }));
            row
        })
        .collect();
    Table { columns, rows }
}

/// The top [`TOP`] titles by share of conversions, with their share of cancels beside.
pub fn share_chart(p: &Period) -> Chart {
    let top: Vec<&Title> = p.titles.iter().filter(|t| t.rank_conversions.is_some()).take(TOP).collect();
    let f = |v: Option<Decimal>| v.and_then(|d| d.to_f64());
    Chart {
        title: format!("Top titles by share of conversions, {}", period_label(p.start, p.end)),
        x_label: "Share".to_string(),
        y_label: "Title".to_string(),
        percent: true,
        kind: ChartKind::Bars {
            categories: top.iter().map(|t| title_label(t)).collect(),
            series: vec![
                Series {
                    name: "Share of conversions".into(),
                    values: top.iter().map(|t| f(t.share_of_conversions)).collect(),
                },
                Series { name: "Share of cancels".into(), values: top.iter().map(|t| f(t.share_of_cancels)).collect() },
            ],
        },
        id: "first-last-shares".to_string(),
    }
}

/// Period totals, and the titles high on both.
pub fn cards(p: &Period) -> Vec<Card> {
    let prov = format!("from {} rows of {}", p.rows, period_label(p.start, p.end));
    let total = |label: &str, v: Option<i64>, field: &str, id: &str| Card {
        label: label.to_string(),
        value: v.map_or("—".to_string(), grouped),
        note: match (&p.why_null, p.totals.missing_cells.get(field)) {
            (Some(why), _) => Some(why.clone()),
            (None, Some(m)) => Some(format!("{m} row(s) without a value, not counted as 0")),
            (None, None) => None,
        },
        provenance: prov.clone(),
        id: id.to_string(),
    };
    let high: Vec<String> = p.titles.iter().filter(|t| t.high_on_both).map(title_label).collect();
    vec![
        total("Conversion first titles", p.totals.conversion_first, "conversion_first", "fl-conversions"),
        total("Last titles (cancels)", p.totals.last, "last", "fl-cancels"),
        total("AR-off last titles", p.totals.ar_off_last, "ar_off_last", "fl-ar-off"),
        Card {
            label: "High on both".to_string(),
            value: high.len().to_string(),
            note: (!high.is_empty()).then(|| high.join(", ")),
            provenance: format!("{}; {}", first_last::HIGH_ON_BOTH_RULE, prov),
            id: "fl-high-on-both".to_string(),
        },
    ]
}

/// The Premium First-and-Last VOD Title view.
#[component]
pub fn FirstLastView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<first_last::Section>>,
) -> impl IntoView {
    let picked = RwSignal::new(None::<String>);
    let period =
        Memo::new(move |_| section.with(|s| s.as_ref().and_then(|s| pick(s, picked.get().as_deref()).cloned())));
    let has = Memo::new(move |_| period.with(Option::is_some));
    let options = Signal::derive(move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.periods.iter().rev().map(|p| (period_key(p), period_label(p.start, p.end))).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let selected = Signal::derive(move || period.with(|p| p.as_ref().map(period_key).unwrap_or_default()));
    let first =
        Signal::derive(move || period.with(|p| p.as_ref().map(|p| title_table(p, Side::First)).unwrap_or_default()));
    let last =
        Signal::derive(move || period.with(|p| p.as_ref().map(|p| title_table(p, Side::Last)).unwrap_or_default()));
    let card_list = Signal::derive(move || period.with(|p| p.as_ref().map(cards).unwrap_or_default()));
    let chart = Signal::derive(move || {
        period.with(|p| {
            p.as_ref().map(share_chart).unwrap_or_else(|| Chart {
                title: String::new(),
                x_label: String::new(),
                y_label: String::new(),
                percent: true,
                kind: ChartKind::Bars { categories: Vec::new(), series: Vec::new() },
                id: "first-last-shares".to_string(),
            })
        })
    });
    let notes = Signal::derive(move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    conflict_notes(
                        &s.conflicts,
                        &s.duplicates,
                        "The period's shares stay blank until one file is removed.",
                    )
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section class="view" data-testid="first-last-view">
            <h2>"Premium First-and-Last VOD Title"</h2>
            <Show
                when=move || has.get()
                fallback=|| {
                    empty_state(
                        "first-last-empty",
                        "No First-and-Last Title rows yet. Add a Premium First-and-Last VOD Title report to see which titles bring people in and which they watch last.",
                    )
                }
            >
                {period_select("first-last-period", options, selected, picked)}
                <p class="note">
                    "Shares are recomputed from the counts: a title's share of the conversions (or cancels) of the titles in the file. The file's own percentages are of every conversion of the plan and are shown as “Reported share”. "
                    {first_last::HIGH_ON_BOTH_RULE}
                    "."
                </p>
                {warnings_box("first-last-warnings", notes)}
                <Cards cards=card_list />
                <ChartCanvas chart=chart />
                <DataTable caption="Titles that bring people in" table=first id="first-titles" />
                <DataTable caption="Titles watched last" table=last id="last-titles" />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use slatelens_core::analysis::FileRows;
    use slatelens_core::kinds::first_last::Row;

    fn row(line: u64, title: &str, conv: i64, last: i64) -> Row {
        Row {
            line,
            start: NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
            end: NaiveDate::from_ymd_opt(2024, 1, 7).expect("date"),
            benefit: Some("Club".into()),
            stream_type: Some("VOD".into()),
            content_type: Some("Movie".into()),
            platform: Some("Web".into()),
            vendor_sku: None,
            title: title.into(),
            season: None,
            ft_first: None,
            ho_first: Some(1),
            conversion_first: Some(conv),
            last: Some(last),
            ar_off_last: None,
            share_of_conversions: None,
            share_of_cancels: None,
        }
    }

    fn period() -> Period {
        let rows = [row(2, "A", 6, 1), row(3, "B", 3, 6), row(4, "C", 1, 3)];
        first_last::analyze(&[FileRows { name: "f.csv", label: "FL", rows: &rows }]).periods.remove(0)
    }

    #[test]
    fn tables_rank_each_side_and_flag_high_on_both() {
        let p = period();
        let first = title_table(&p, Side::First);
        let titles: Vec<&str> = first.rows.iter().map(|r| r[1].text.as_str()).collect();
        assert_eq!(titles, ["A", "B", "C"]);
        // 6/10 = 60%.
        assert_eq!(first.rows[0][6].text, "60.00%");
        let last = title_table(&p, Side::Last);
        let titles: Vec<&str> = last.rows.iter().map(|r| r[1].text.as_str()).collect();
        assert_eq!(titles, ["B", "C", "A"]);
        // B: cancels 6/10 top; conversions 3/10 is second of 3 → not top quartile (⌈3/4⌉ = 1).
        assert!(last.rows.iter().all(|r| r.last().is_some_and(|c| c.text.is_empty())));
    }

    #[test]
    fn cards_total_the_period_with_rows() {
        let c = cards(&period());
        assert_eq!(c[0].value, "10");
        assert_eq!(c[1].value, "10");
        assert_eq!(c[2].value, "—");
        assert_eq!(c[0].provenance, "from 3 rows of 2024-01-01 – 2024-01-07");
        let ChartKind::Bars { categories, .. } = share_chart(&period()).kind else { panic!("bars") };
        assert_eq!(categories, ["A", "B", "C"]);
    }
}
