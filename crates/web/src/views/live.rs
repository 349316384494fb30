//! The Contractual Live Streaming Usage view.
//!
//! For the chosen cadence and period (weekly and monthly are never added
//! together): cards (minutes, streams, ad minutes, ad share, minutes per
//! customer, customers), a per-channel bar chart and sortable table, a
//! per-offer table, and the trend of minutes and ad share over every period
//! of the cadence. Every number names the rows behind it; a channel over
//! several rows (offers, episodes) shows customers as "largest row – sum of
//! rows", since one person can be in several rows.
//!
//! [`view_model`] builds what is shown, tested natively; it reuses the period
//! picking and the measure cells of [`super::content`].

use super::content::{
    cards, cell as num, customers_text, f, minutes, period_provenance, pick, pick_controls, trend_chart, Pick,
    TOTALS_BLANK,
};
use crate::format::{self, axis_period_label, grouped, percent, period_label};
use crate::widgets::picker::{chart_part, conflict_notes, empty_state, next_uid, part, warnings_box};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::content::Totals;
use slatelens_core::analysis::live;
use slatelens_core::kinds::subscriptions::Cadence;

fn measures(t: &Totals) -> Vec<Cell> {
    vec![
        num(t, "minutes", t.minutes, minutes),
        num(t, "streams", t.streams.map(Decimal::from), |d| grouped(d.to_i64().unwrap_or_default())),
        Cell::number(customers_text(t), t.customers.or(t.max_row_customers).map(|c| c as f64)).with_help(
            t.why_null.get("customers").cloned().unwrap_or_else(|| "Total Customers Streamed of the one row".into()),
        ),
        num(t, "minutes_per_customer", t.minutes_per_customer, |d| format::decimal(d, 1)),
        num(t, "ad_minutes", t.ad_minutes, minutes),
        num(t, "ad_share", t.ad_share, percent),
        Cell::number(grouped(t.rows as i64), Some(t.rows as f64)),
    ]
}

fn columns(first: &[&str]) -> Vec<Column> {
    let mut c: Vec<Column> =
        first.iter().map(|l| Column { label: l.to_string(), numeric: false, help: None }).collect();
    for (label, help) in [
        ("Minutes", "Σ Total Minutes Streamed (non-ad content)"),
        ("Streams", "Σ Total Number of Streams"),
        ("Customers", "one row's Total Customers Streamed; over several rows, largest row – sum of rows"),
        ("Min / customer", "Σ minutes ÷ Σ customers of the rows"),
        ("Ad minutes", "Σ Total Ad Minutes Streamed"),
        ("Ad share", "ad minutes ÷ (minutes + ad minutes)"),
        ("Rows", "Rows behind these numbers"),
    ] {
        c.push(Column { label: label.to_string(), numeric: true, help: Some(help.to_string()) });
    }
    c
}

/// Everything the live view shows for one choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// Cadence and period.
    pub pick: Pick,
    /// `January 2024`.
    pub label: String,
    /// `from 4 rows in week1.csv`.
    pub provenance: String,
    /// Conflicts and duplicates of the period.
    pub warnings: Vec<String>,
    /// The period's cards.
    pub cards: Vec<Card>,
    /// Minutes per channel.
    pub channel_chart: Chart,
    /// Channels, most minutes first.
    pub channels: Table,
    /// Offers.
    pub offers: Table,
    /// Minutes over the cadence's periods.
    pub trend: Chart,
    /// Ad share over the cadence's periods.
    pub ad_trend: Chart,
}

/// The model for `section` with the reader's cadence and period (`None`, or
/// gone: monthly, latest). `None` when there is no period.
pub fn view_model(section: &live::Section, cadence: Option<Cadence>, picked: Option<&str>) -> Option<ViewModel> {
    let keys: Vec<_> = section.periods.iter().map(|p| (p.cadence, p.start, p.end)).collect();
    let pick = pick(&keys, cadence, picked)?;
    let p = &section.periods[pick.index];
    let provenance = format::provenance(p.totals.rows, &p.files);
    let name = |c: &live::Channel| c.channel_name.clone().unwrap_or_else(|| c.channel_id.clone());
    let points = |get: fn(&Totals) -> Option<Decimal>| -> Vec<(String, Option<f64>)> {
        pick.trend
            .iter()
            .map(|&i| {
                let q = &section.periods[i];
                (axis_period_label(q.start, q.end, q.cadence), f(get(&q.totals)))
            })
            .collect()
    };
    let word = pick.cadence.label();
    Some(ViewModel {
        label: period_label(p.start, p.end),
        warnings: conflict_notes(&p.conflicts, &p.duplicates, TOTALS_BLANK),
        cards: cards(&p.totals, &provenance, "live"),
        channel_chart: Chart {
            title: "Minutes by channel".to_string(),
            x_label: "Minutes".to_string(),
            y_label: String::new(),
            percent: false,
            kind: ChartKind::Bars {
                categories: p.channels.iter().map(name).collect(),
                series: vec![Series {
                    name: "Minutes".to_string(),
                    values: p.channels.iter().map(|c| f(c.totals.minutes)).collect(),
                }],
            },
            id: "live-channels-chart".to_string(),
        },
        channels: Table {
            columns: columns(&["Channel", "Channel ID"]),
            rows: p
                .channels
                .iter()
                .map(|c| {
                    let mut r = vec![Cell::text(name(c)), Cell::text(c.channel_id.clone())];
                    r.extend(measures(&c.totals));
                    r
                })
                .collect(),
        },
        offers: Table {
            columns: columns(&["Offer ID", "Subscription"]),
            rows: p
                .offers
                .iter()
                .map(|o| {
                    let mut r =
                        vec![Cell::text(o.offer_id.clone()), Cell::text(o.subscription.clone().unwrap_or_default())];
                    r.extend(measures(&o.totals));
                    r
                })
                .collect(),
        },
        trend: trend_chart(
            &format!("Live minutes, every {word} period"),
            "live-trend",
            "Minutes",
            false,
            points(|t| t.minutes),
        ),
        ad_trend: trend_chart(
            &format!("Live ad share, every {word} period"),
            "live-ad-trend",
            "Ad share",
            true,
            points(|t| t.ad_share),
        ),
        provenance,
        pick,
    })
}

/// The Contractual Live Streaming Usage view.
#[component]
pub fn LiveUsageView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<live::Section>>,
) -> impl IntoView {
    let uid = next_uid();
    let cadence_choice = RwSignal::new(None::<Cadence>);
    let picked = RwSignal::new(None::<String>);
    let model = Memo::new(move |_| {
        section.with(|s| s.as_ref().and_then(|s| view_model(s, cadence_choice.get(), picked.get().as_deref())))
    });
    let has = Memo::new(move |_| model.with(Option::is_some));
    let chart = move |get: fn(&ViewModel) -> Chart| chart_part(model, get);
    view! {
        <section class="view" data-testid="live-view">
            <h2>"Contractual Live Streaming Usage"</h2>
            <Show
                when=move || has.get()
                fallback=move || {
                    empty_state(
                        "live-empty",
                        move || {
                            if section.with(Option::is_some) {
                                "These files have no usable Live Streaming Usage rows."
                            } else {
                                "No Contractual Live Streaming Usage report yet. Add one to see minutes per channel and trends."
                            }
                        },
                    )
                }
            >
                {pick_controls(
                    format!("live-{uid}-cadence"),
                    Signal::derive(move || model.with(|m| m.as_ref().map(|m| m.pick.clone()))),
                    cadence_choice,
                    picked,
                    "live-period",
                )}
                <p class="subs-provenance">
                    {period_provenance(
                        "live-period-label",
                        part(model, |m| m.label.clone()),
                        "live-provenance",
                        part(model, |m| m.provenance.clone()),
                    )}
                </p>
                {warnings_box("live-warnings", part(model, |m| m.warnings.clone()))}
                <Cards cards=part(model, |m| m.cards.clone()) />
                <ChartCanvas chart=chart(|m| m.channel_chart.clone()) />
                <DataTable caption="Per channel" table=part(model, |m| m.channels.clone()) id="live-channels" />
                <DataTable caption="Per Offer ID" table=part(model, |m| m.offers.clone()) id="live-offers" />
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

    const H: &str = "Report Start,Report End,Offer ID,Subscription,Live Channel ID,Channel Name,Total Number of Streams,Total Customers Streamed,Total Minutes Streamed,Total Ad Minutes Streamed,Episode Name\n";

    fn section() -> live::Section {
        let w1 = "1/1/2024,1/7/2024,A,Plan A,ch-news,News 24,300,200,6000,1500,Morning\n\
            1/1/2024,1/7/2024,B,Plan B,ch-news,News 24,50,40,1000,0,Morning\n\
            1/1/2024,1/7/2024,A,Plan A,ch-sport,Sport Live,400,250,12000,3000,\n";
        let w2 = "1/8/2024,1/14/2024,A,Plan A,ch-sport,Sport Live,200,120,6000,,\n";
        let files = [
            ingest_bytes("w1.csv", format!("{H}{w1}").as_bytes()),
            ingest_bytes("w2.csv", format!("{H}{w2}").as_bytes()),
        ];
        analyze(&files).live_usage.expect("section")
    }

    #[test]
    fn channels_cards_and_trend() {
        let s = section();
        let m = view_model(&s, None, None).expect("model");
        // Only weekly periods: the latest week; its ad minutes are empty.
        assert_eq!(
            (m.pick.cadence, m.cards[0].value.as_str(), m.cards[3].value.as_str()),
            (Cadence::Weekly, "6,000", "—")
        );
        let first = m.pick.options[1].0.clone();
        let m = view_model(&s, Some(Cadence::Monthly), Some(&first)).expect("model");
        // Week 1: 6000 + 1000 + 12000 = 19000 min; ad 4500 / 23500 = 19.15%.
        assert_eq!((m.cards[0].value.as_str(), m.cards[3].value.as_str()), ("19,000", "19.15%"));
        assert!(m.cards[0].provenance.contains("from 3 rows in w1.csv"));
        // Sport first (12000); News: 2 rows, customers 200–240.
        assert_eq!(m.channels.rows[0][0].text, "Sport Live");
        assert_eq!(m.channels.rows[1][4].text, "200–240");
        assert_eq!(m.channels.rows[1].last().map(|c| c.text.as_str()), Some("2"));
        match &m.trend.kind {
            ChartKind::Lines { series, .. } => assert_eq!(series[0].values, [Some(19000.0), Some(6000.0)]),
            other => panic!("{other:?}"),
        }
        assert!(view_model(&live::Section::default(), None, None).is_none());
    }
}
