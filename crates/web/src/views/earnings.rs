//! The Prime Video Direct earnings and CER view: for a chosen month and
//! territory, cards (titles ranked, median CER, hours, earnings and effective
//! rate per currency), the ranked titles with their flags, movers up and down,
//! CER by month for the top titles, CER against hours streamed (more hours do
//! not mean a higher CER) and effective rate per hour against CER.
//!
//! What the view shows is built by [`view_model`], a plain function tested
//! natively; the ranking, changes and flags themselves come from core
//! ([`slatelens_core::analysis::earnings`]).

use crate::format::{self, grouped};
use crate::widgets::picker::{chart_part, empty_state, part};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::earnings::{self, Point, Section, Title};

/// Titles drawn in the CER-by-month chart.
pub const TOP_LINES: usize = 5;

/// Everything the view shows for the chosen month and territory.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// The month picker's choices, newest first: (key `2024-03`, label `March 2024`).
    pub months: Vec<(String, String)>,
    /// The key of the month shown.
    pub month: String,
    /// Territories to filter by (the empty key is every territory).
    pub territories: Vec<String>,
    /// The territory shown (`None`: all).
    pub territory: Option<String>,
    /// The month's cards.
    pub cards: Vec<Card>,
    /// The ranked titles of the month.
    pub ranked: Table,
    /// Risers: `The Quiet Field · US: 30 → 45 (+15 pts)`.
    pub movers_up: Vec<String>,
    /// Fallers, biggest fall first.
    pub movers_down: Vec<String>,
    /// CER by month of the month's top titles.
    pub lines: Chart,
    /// CER against hours streamed.
    pub cer_vs_hours: Chart,
    /// Effective rate per hour against CER (one currency).
    pub rate_vs_cer: Chart,
    /// Conflicts, duplicates, derivations and the flag rules.
    pub notes: Vec<String>,
}

fn f64_of(d: Decimal) -> Option<f64> {
    d.to_f64()
}

fn month_key(m: NaiveDate) -> String {
    m.format("%Y-%m").to_string()
}

fn month_label(m: NaiveDate) -> String {
    m.format("%B %Y").to_string()
}

/// A CER as read (`87.5`), at most two decimals.
pub fn cer_text(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

/// A change in points: `+15 pts`, `−4 pts`.
pub fn change_text(d: Decimal) -> String {
    let v = cer_text(d.abs());
    if d.is_sign_negative() && !d.is_zero() {
        format!("−{v} pts")
    } else {
        format!("+{v} pts")
    }
}

fn dash(why: Option<&String>) -> Cell {
    let c = Cell::number("—", None);
    match why {
        Some(w) => c.with_help(w.clone()),
        None => c,
    }
}

/// The view for `s` at the month picked (`None` or unknown: the latest) and
/// territory picked (`None`, empty or unknown: all). `None` when no row has a month.
pub fn view_model(s: &Section, month: Option<&str>, territory: Option<&str>) -> Option<ViewModel> {
    let m = month.and_then(|k| s.months.iter().find(|m| month_key(**m) == k)).or(s.months.last()).copied()?;
    let territory = territory.filter(|t| s.territories.iter().any(|x| x == t));
    let ranked = earnings::ranked(s, m, territory);
    let summary = earnings::summary(s, m, territory);
    let provenance = format!("{} in {}", format::rows(ranked.len()), format::and_list(&s.files));

    let mut cards = vec![
        Card {
            label: "Titles ranked".to_string(),
            value: grouped(summary.titles as i64),
            note: Some("title, season and territory with a CER this month".to_string()),
            provenance: provenance.clone(),
            id: "card-titles".to_string(),
        },
        Card {
            label: "Median CER".to_string(),
            value: summary.median_cer.map_or("—".to_string(), cer_text),
            note: summary.why_null.get("median_cer").cloned(),
            provenance: format!("median of the CER percentiles, {provenance}"),
            id: "card-median-cer".to_string(),
        },
        Card {
            label: "Hours streamed".to_string(),
            value: summary.hours.map_or("—".to_string(), |h| format::decimal(h, 1)),
            note: summary.why_null.get("hours").cloned(),
            provenance: format!("Σ Hours Streamed (or Minutes Streamed ÷ 60), {provenance}"),
            id: "card-hours".to_string(),
        },
    ];
    for c in &summary.by_currency {
        let cur = c.currency.clone().unwrap_or_else(|| "no currency".to_string());
        cards.push(Card {
            label: format!("Earnings ({cur})"),
            value: format::money(c.earnings),
            note: summary.why_null.get("earnings").cloned(),
            provenance: format!("Σ earnings of {} title(s) in {cur}; currencies are never added", c.titles),
            id: format!("card-earnings-{}", cur.to_lowercase().replace(' ', "-")),
        });
        cards.push(Card {
            label: format!("Effective rate ({cur} per hour)"),
            value: c.rate_per_hour.map_or("—".to_string(), |r| format::decimal(r, 4)),
            note: c.why_null.get("rate_per_hour").cloned(),
            provenance: format!(
                "Σ earnings ÷ Σ hours: {} ÷ {}",
                format::money(c.earnings),
                c.hours.map_or("—".to_string(), |h| format::decimal(h, 1))
            ),
            id: format!("card-rate-{}", cur.to_lowercase().replace(' ', "-")),
        });
    }

    let (up, down) = earnings::movers(s, m, territory);
    let mover = |(t, p): &(&Title, &Point)| {
        let change = p.change.unwrap_or_default();
        format!("{}: {} → {} ({})", t.label(), cer_text(p.cer - change), cer_text(p.cer), change_text(change))
    };

    let mut notes: Vec<String> = s.conflicts.iter().map(|c| format!("Conflict: {c}")).collect();
    notes.extend(s.duplicates.iter().cloned());
    notes.extend(s.notes.iter().cloned());
    let (rate_vs_cer, rate_note) = rate_chart(&ranked, m);
    notes.extend(rate_note);
    notes.extend(s.rules.iter().map(|r| format!("Flag rule: {r}")));

    let top: Vec<&Title> = ranked.iter().take(TOP_LINES).map(|(t, _)| *t).collect();
    let lines = Chart {
        title: format!("CER by month, top {} titles of {}", top.len(), month_label(m)),
        x_label: "Month".to_string(),
        y_label: "CER (percentile)".to_string(),
        percent: false,
        kind: ChartKind::Lines {
            categories: s.months.iter().map(|m| m.format("%b %Y").to_string()).collect(),
            series: top
                .iter()
                .map(|t| Series {
                    name: t.label(),
                    values: s.months.iter().map(|m| t.at(*m).and_then(|p| f64_of(p.cer))).collect(),
                })
                .collect(),
        },
        id: "earnings-cer-lines".to_string(),
    };
    let cer_vs_hours = Chart {
        title: format!("CER against hours streamed, {} (more hours do not mean a higher CER)", month_label(m)),
        x_label: "Hours streamed".to_string(),
        y_label: "CER (percentile)".to_string(),
        percent: false,
        kind: ChartKind::Scatter {
            points: ranked.iter().filter_map(|(t, p)| Some((t.label(), f64_of(p.hours?)?, f64_of(p.cer)?))).collect(),
        },
        id: "earnings-cer-hours".to_string(),
    };

    Some(ViewModel {
        months: s.months.iter().rev().map(|m| (month_key(*m), month_label(*m))).collect(),
        month: month_key(m),
        territories: s.territories.clone(),
        territory: territory.map(str::to_string),
        cards,
        ranked: ranked_table(&ranked),
        movers_up: up.iter().map(mover).collect(),
        movers_down: down.iter().map(mover).collect(),
        lines,
        cer_vs_hours,
        rate_vs_cer,
        notes,
    })
}

/// The rate-against-CER scatter for the currency with the most titles, and a
/// note naming the titles left out (other currencies are not comparable).
fn rate_chart(ranked: &[(&Title, &Point)], m: NaiveDate) -> (Chart, Option<String>) {
    let with_rate: Vec<&(&Title, &Point)> = ranked.iter().filter(|(_, p)| p.rate_per_hour.is_some()).collect();
    let mut currencies: Vec<Option<&str>> = with_rate.iter().map(|(_, p)| p.currency.as_deref()).collect();
    currencies.sort();
    currencies.dedup();
    let count = |c: &Option<&str>| with_rate.iter().filter(|(_, p)| p.currency.as_deref() == *c).count();
    let main = currencies.iter().max_by_key(|c| (count(c), std::cmp::Reverse(**c))).copied().flatten();
    let chosen = |p: &Point| p.currency.as_deref() == main;
    let left_out = with_rate.iter().filter(|(_, p)| !chosen(p)).count();
    let cur = main.unwrap_or("no currency");
    let chart = Chart {
        title: format!("Effective rate per hour against CER, {} ({cur})", month_label(m)),
        x_label: "CER (percentile)".to_string(),
        y_label: format!("Earnings per hour ({cur})"),
        percent: false,
        kind: ChartKind::Scatter {
            points: with_rate
                .iter()
                .filter(|(_, p)| chosen(p))
                .filter_map(|(t, p)| Some((t.label(), f64_of(p.cer)?, f64_of(p.rate_per_hour?)?)))
                .collect(),
        },
        id: "earnings-rate-cer".to_string(),
    };
    let note = (left_out > 0).then(|| {
        format!("The rate chart shows {cur} only: {left_out} title(s) earning in another currency are left out")
    });
    (chart, note)
}

/// The ranked table: one row per title (season, territory), highest CER first.
pub fn ranked_table(ranked: &[(&Title, &Point)]) -> Table {
    let col = |label: &str, numeric: bool, help: Option<&str>| Column {
        label: label.to_string(),
        numeric,
        help: help.map(str::to_string),
    };
    let columns = vec![
        col("Rank", true, Some("by CER, highest first")),
        col("Title", false, None),
        col("Season", false, None),
        col("Territory", false, None),
        col("CER", true, Some("Customer Engagement Ranking: a percentile within the territory, 0 to 100")),
        col("Change", true, Some("CER points against the previous calendar month")),
        col("Hours", true, Some("Hours Streamed, or Minutes Streamed ÷ 60")),
        col("Earnings", true, None),
        col("Currency", false, None),
        col("Rate per hour", true, Some("earnings ÷ hours, in the row's currency")),
        col("Flags", false, Some("bottom quartile: CER below 25; dropped: more than 20 points down in a month")),
    ];
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, (t, p))| {
            let text = |s: &Option<String>| Cell::text(s.clone().unwrap_or_default());
            let flags: Vec<&str> = p.flags.iter().map(|f| f.label()).collect();
            vec![
                Cell::number((i + 1).to_string(), Some((i + 1) as f64)),
                Cell::text(t.title.clone()).with_help(p.source.clone()),
                text(&t.season),
                text(&t.territory),
                Cell::number(cer_text(p.cer), f64_of(p.cer)),
                match p.change {
                    Some(c) => Cell::number(change_text(c), f64_of(c)),
                    None => dash(p.why_null.get("change")),
                },
                match p.hours {
                    Some(h) => {
                        let c = Cell::number(format::decimal(h, 1), f64_of(h));
                        if p.hours_from_minutes {
                            c.with_help("Minutes Streamed ÷ 60")
                        } else {
                            c
                        }
                    }
                    None => dash(p.why_null.get("hours")),
                },
                match p.earnings {
                    Some(e) => Cell::number(format::money(e), f64_of(e)),
                    None => dash(p.why_null.get("earnings")),
                },
                text(&p.currency),
                match p.rate_per_hour {
                    Some(r) => Cell::number(format::decimal(r, 4), f64_of(r)),
                    None => dash(p.why_null.get("rate_per_hour")),
                },
                Cell::text(flags.join("; ")),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// The Prime Video Direct earnings and CER view. The cards, table and charts
/// are built once and follow the chosen month and territory, so a sort the
/// reader chose survives a change of month or territory.
#[component]
pub fn EarningsView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<earnings::Section>>,
) -> impl IntoView {
    let picked_month = RwSignal::new(None::<String>);
    let picked_territory = RwSignal::new(None::<String>);
    let model = Memo::new(move |_| {
        section.with(|s| {
            s.as_ref().and_then(|s| view_model(s, picked_month.get().as_deref(), picked_territory.get().as_deref()))
        })
    });
    let has = Memo::new(move |_| model.with(Option::is_some));
    let list = |items: Signal<Vec<String>>, id: &'static str, none: &'static str| {
        move || {
            let items = items.get();
            if items.is_empty() {
                view! { <p data-testid=id>{none}</p> }.into_any()
            } else {
                view! {
                    <ol data-testid=id>
                        {items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}
                    </ol>
                }
                .into_any()
            }
        }
    };
    let months = part(model, |m| m.months.clone());
    let month = part(model, |m| m.month.clone());
    let territories = part(model, |m| m.territories.clone());
    let territory = part(model, |m| m.territory.clone().unwrap_or_default());
    let notes = part(model, |m| m.notes.clone());
    view! {
        <section class="view" data-testid="earnings-view">
            <h2>"Prime Video Direct earnings and CER"</h2>
            <Show
                when=move || has.get()
                fallback=move || {
                    let text = if section.with(Option::is_none) {
                        "Drop a Prime Video Direct Earnings report (it has a CER column) to see its titles ranked."
                    } else {
                        "No row of the Earnings files has a month, so there is nothing to rank."
                    };
                    empty_state("earnings-empty", text)
                }
            >
                <div class="controls">
                    <label>
                        "Month "
                        <select
                            data-testid="earnings-month"
                            prop:value=move || month.get()
                            on:change=move |ev| picked_month.set(Some(event_target_value(&ev)))
                        >
                            {move || {
                                months
                                    .get()
                                    .into_iter()
                                    .map(|(k, l)| {
                                        let key = k.clone();
                                        view! {
                                            <option value=k selected=move || month.with(|m| *m == key)>
                                                {l}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        "Territory "
                        <select
                            data-testid="earnings-territory"
                            prop:value=move || territory.get()
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                picked_territory.set((!v.is_empty()).then_some(v));
                            }
                        >
                            <option value="" selected=move || territory.with(String::is_empty)>
                                "All territories"
                            </option>
                            {move || {
                                territories
                                    .get()
                                    .into_iter()
                                    .map(|t| {
                                        let key = t.clone();
                                        let label = t.clone();
                                        view! {
                                            <option value=t selected=move || territory.with(|x| *x == key)>
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                </div>
                <Cards cards=part(model, |m| m.cards.clone()) />
                <DataTable caption="Titles ranked by CER" table=part(model, |m| m.ranked.clone()) id="earnings-ranked" />
                <div class="movers">
                    <h3>"Moved up"</h3>
                    {list(
                        part(model, |m| m.movers_up.clone()),
                        "earnings-movers-up",
                        "No title rose against the previous month.",
                    )}
                    <h3>"Moved down"</h3>
                    {list(
                        part(model, |m| m.movers_down.clone()),
                        "earnings-movers-down",
                        "No title fell against the previous month.",
                    )}
                </div>
                <ChartCanvas chart=chart_part(model, |m| m.lines.clone()) />
                <ChartCanvas chart=chart_part(model, |m| m.cer_vs_hours.clone()) />
                <ChartCanvas chart=chart_part(model, |m| m.rate_vs_cer.clone()) />
                <ul class="notes" data-testid="earnings-notes">
                    {move || notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::{analyze, ingest_bytes};

    const CSV: &str = "Title,Season,Territory,Month,Hours Streamed,CER,Royalty (USD)\n\
        Night Train,Season 1,US,2024-02,1200,85,66.00\n\
        Night Train,Season 1,US,2024-03,1500,60,60.00\n\
        Harbor Lights,,US,2024-02,400,24,6.00\n\
        Harbor Lights,,US,2024-03,800,20,8.00\n\
        Harbor Lights,,GB,2024-03,45,18,0.45\n";

    fn section() -> Section {
        analyze(&[ingest_bytes("e.csv", CSV.as_bytes())]).earnings.expect("a section")
    }

    #[test]
    fn latest_month_ranked_with_cards_and_movers() {
        let s = section();
        let m = view_model(&s, None, None).expect("a model");
        assert_eq!(m.month, "2024-03");
        assert_eq!(m.months[0], ("2024-03".to_string(), "March 2024".to_string()));
        let values: Vec<(&str, &str)> = m.cards.iter().map(|c| (c.id.as_str(), c.value.as_str())).collect();
        // CER 60, 20, 18: median 20; hours 1,500 + 800 + 45; 68.45 USD ÷ 2,345 h = 0.0292 USD/h.
        assert_eq!(
            values,
            [
                ("card-titles", "3"),
                ("card-median-cer", "20"),
                ("card-hours", "2,345.0"),
                ("card-earnings-usd", "68.45"),
                ("card-rate-usd", "0.0292")
            ]
        );
        let titles: Vec<&str> = m.ranked.rows.iter().map(|r| r[1].text.as_str()).collect();
        assert_eq!(titles, ["Night Train", "Harbor Lights", "Harbor Lights"]);
        assert_eq!(m.ranked.rows[0][5].text, "−25 pts");
        assert_eq!(m.ranked.rows[0][10].text, "dropped > 20 pts");
        assert_eq!(m.ranked.rows[2][5].text, "—");
        assert!(m.ranked.rows[2][5].help.as_deref().is_some_and(|h| h.contains("2024-02")));
        assert_eq!(
            m.movers_down,
            ["Night Train · Season 1 · US: 85 → 60 (−25 pts)", "Harbor Lights · US: 24 → 20 (−4 pts)"]
        );
        assert!(m.movers_up.is_empty());
        match &m.lines.kind {
            ChartKind::Lines { categories, series } => {
                assert_eq!(categories, &["Feb 2024", "Mar 2024"]);
                assert_eq!(series[2].values, [None, Some(18.0)]);
            }
            other => panic!("{other:?}"),
        }
        assert!(m.notes.iter().any(|n| n.starts_with("Flag rule: bottom quartile")));
    }

    #[test]
    fn territory_and_month_filters() {
        let s = section();
        let m = view_model(&s, Some("2024-02"), Some("US")).expect("a model");
        assert_eq!((m.month.as_str(), m.territory.as_deref()), ("2024-02", Some("US")));
        assert_eq!(m.ranked.rows.len(), 2);
        let m = view_model(&s, Some("1999-01"), Some("FR")).expect("a model");
        assert_eq!((m.month.as_str(), m.territory), ("2024-03", None));
        match &m.cer_vs_hours.kind {
            ChartKind::Scatter { points } => {
                assert_eq!(points[0], ("Night Train · Season 1 · US".to_string(), 1500.0, 60.0))
            }
            other => panic!("{other:?}"),
        }
        assert!(view_model(&Section::default(), None, None).is_none());
        assert_eq!(change_text(Decimal::new(15, 0)), "+15 pts");
        assert_eq!(cer_text(Decimal::new(8750, 2)), "87.5");
    }
}
