//! The Persistent-ID Subscriptions view: cards (actives, starts, cancels,
//! churn, resubscribers, serial churners), actives per day, tenure, survival
//! curves per offer and billing type, viewing before a cancel against stayers,
//! the titles cancellers watched last, and the reconciliation against
//! Contractual Subscriptions.
//!
//! The view-model functions are plain and tested natively; the component only
//! hands their output to the shared widgets. Customer IDs never reach the view:
//! the section holds counts (and shortened hashes in conflict notes) only.

use crate::format;
use crate::widgets::picker::notes_list;
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::customers::{Section, Survival, ViewingGroup, WINDOW_DAYS};
use slatelens_core::kinds::subscriptions::Category;

fn n(v: u64) -> String {
    format::grouped(i64::try_from(v).unwrap_or(i64::MAX))
}

fn f(v: u64) -> Option<f64> {
    Some(v as f64)
}

fn category(c: Category) -> &'static str {
    match c {
        Category::FreeTrial => "FT",
        Category::HardOffer => "HO",
    }
}

/// A count card.
fn count_card(id: &str, label: &str, v: u64, note: Option<String>, provenance: String) -> Card {
    Card { id: id.to_string(), label: label.to_string(), value: n(v), note, provenance }
}

/// The cards: actives at the last date, starts, cancels, gross churn of the
/// last month, resubscribers, serial churners.
pub fn cards(s: &Section) -> Vec<Card> {
    let from = format!(
        "from {} ({} distinct statuses) in {}",
        format::rows(s.rows as usize),
        n(s.statuses),
        format::and_list(&s.files)
    );
    let last = s.last_date.map_or_else(|| "the last Report Date".to_string(), |d| d.to_string());
    let month = s.months.last();
    let churn = Card {
        id: "customers-gross-churn".to_string(),
        label: month.map_or_else(|| "Gross churn".to_string(), |m| format!("Gross churn, {}", m.month)),
        value: month.and_then(|m| m.gross_churn).map_or_else(|| "—".to_string(), format::percent),
        note: month.and_then(|m| match m.gross_churn {
            Some(_) => m.actives_at_start.map(|a| format!("{} cancels / {} active at the start", n(m.cancels), n(a))),
            None => m.why_null.get("gross_churn").cloned(),
        }),
        provenance: format!("cancels in the month / customers active at its start; {from}"),
    };
    vec![
        count_card(
            "customers-actives",
            "Active subscribers",
            s.actives_last_date,
            Some(format!("at the end of {last}, of {} customers", n(s.customers))),
            format!("customers with an Active status at the end of {last}; {from}"),
        ),
        count_card(
            "customers-starts",
            "Starts",
            s.starts,
            Some(format!("{} of them restarts after a cancel", n(s.restarts))),
            format!("activations while not active (plan changes excluded); {from}"),
        ),
        count_card(
            "customers-cancels",
            "Cancels",
            s.cancels,
            (s.left_censored > 0).then(|| format!("{} by customers active before the rows begin", n(s.left_censored))),
            format!("transitions to Cancelled; {from}"),
        ),
        churn,
        count_card(
            "customers-resubscribers",
            "Resubscribers",
            s.resubscribers,
            Some("customers who came back after a cancel".to_string()),
            format!("customers with a start after a cancel; {from}"),
        ),
        count_card(
            "customers-serial-churners",
            "Serial churners",
            s.serial_churners,
            Some("customers with 3 or more cancels".to_string()),
            format!("customers with 3 or more cancels; {from}"),
        ),
    ]
}

/// Actives at the end of each day.
pub fn actives_chart(s: &Section) -> Chart {
    Chart {
        title: "Active subscribers per day (at the end of the day)".to_string(),
        x_label: "Day".to_string(),
        y_label: "Customers".to_string(),
        percent: false,
        kind: ChartKind::Lines {
            categories: s.daily.iter().map(|d| format::axis_day(d.date)).collect(),
            series: vec![Series { name: "Active".to_string(), values: s.daily.iter().map(|d| f(d.actives)).collect() }],
        },
        id: "customers-actives-chart".to_string(),
    }
}

/// Starts and cancels per day, on their own axis: beside the actives they
/// would be a flat line at the bottom.
pub fn flows_chart(s: &Section) -> Chart {
    Chart {
        title: "Starts and cancels per day".to_string(),
        x_label: "Day".to_string(),
        y_label: "Customers".to_string(),
        percent: false,
        kind: ChartKind::Lines {
            categories: s.daily.iter().map(|d| format::axis_day(d.date)).collect(),
            series: vec![
                Series { name: "Starts".to_string(), values: s.daily.iter().map(|d| f(d.starts)).collect() },
                Series { name: "Cancels".to_string(), values: s.daily.iter().map(|d| f(d.cancels)).collect() },
            ],
        },
        id: "customers-flows-chart".to_string(),
    }
}

/// Customers per tenure bucket, ended and still active.
pub fn tenure_chart(s: &Section) -> Chart {
    Chart {
        title: "Tenure: days active in the rows".to_string(),
        x_label: "Customers".to_string(),
        y_label: "Tenure".to_string(),
        percent: false,
        kind: ChartKind::Bars {
            categories: s.tenure.iter().map(|t| t.label.clone()).collect(),
            series: vec![
                Series {
                    name: "Still active".to_string(),
                    values: s.tenure.iter().map(|t| f(t.still_active)).collect(),
                },
                Series {
                    name: "Ended".to_string(),
                    values: s.tenure.iter().map(|t| f(t.customers - t.still_active)).collect(),
                },
            ],
        },
        id: "customers-tenure-chart".to_string(),
    }
}

/// S(day) of a step curve: 1 before the first point, then the last point's value.
pub fn survival_at(s: &Survival, day: i64) -> Option<f64> {
    if s.spells == 0 {
        return None;
    }
    let v = s.points.iter().take_while(|p| p.day <= day).last().map_or(Decimal::ONE, |p| p.survival);
    // Past the longest spell the curve is unknown (a gap, not a value).
    match s.points.last() {
        Some(p) if day > p.day => None,
        _ => v.to_f64(),
    }
}

/// Kaplan-Meier curves, one line per offer and billing type, day 0 to the longest spell.
pub fn survival_chart(s: &Section) -> Chart {
    let max = s.groups.iter().filter_map(|g| g.survival.points.last().map(|p| p.day)).max().unwrap_or(0);
    Chart {
        title: "Survival (Kaplan-Meier): share of spells still active".to_string(),
        x_label: "Days since the start".to_string(),
        y_label: "Still active".to_string(),
        percent: true,
        kind: ChartKind::Lines {
            categories: (0..=max).map(|d| d.to_string()).collect(),
            series: s
                .groups
                .iter()
                .filter(|g| g.survival.spells > 0)
                .map(|g| Series {
                    name: format!("{} {}", g.offer, category(g.billing_type)),
                    values: (0..=max).map(|d| survival_at(&g.survival, d)).collect(),
                })
                .collect(),
        },
        id: "customers-survival-chart".to_string(),
    }
}

fn num(v: u64) -> Cell {
    Cell::number(n(v), f(v))
}

fn dec(v: Option<Decimal>, dp: u32, why: &str) -> Cell {
    match v {
        Some(d) => Cell::number(format::decimal(d, dp), d.to_f64()),
        None => Cell::number("—", None).with_help(why),
    }
}

fn col(label: &str, numeric: bool, help: &str) -> Column {
    Column { label: label.to_string(), numeric, help: (!help.is_empty()).then(|| help.to_string()) }
}

/// Per offer and billing type: actives, starts, cancels, spells and median survival.
pub fn groups_table(s: &Section) -> Table {
    Table {
        columns: vec![
            col("Offer", false, ""),
            col("Type", false, "FT (free trial) or HO (paid)"),
            col("Active", true, "at the end of the last Report Date"),
            col("Starts", true, ""),
            col("Cancels", true, ""),
            col("Spells", true, "start-to-cancel spells begun on this offer and type"),
            col(
                "Median survival (days)",
                true,
                "first day the Kaplan-Meier curve is at or below 50% (— while more than half are still active)",
            ),
        ],
        rows: s
            .groups
            .iter()
            .map(|g| {
                let median = match g.survival.median_days {
                    Some(d) => Cell::number(format::grouped(d), Some(d as f64)),
                    None => Cell::number("—", None).with_help(g.survival.why_no_median.clone().unwrap_or_default()),
                };
                vec![
                    Cell::text(g.offer.clone()),
                    Cell::text(category(g.billing_type)),
                    num(g.actives_last_date),
                    num(g.starts),
                    num(g.cancels),
                    Cell::number(
                        format!("{} ({} cancelled)", n(g.survival.spells), n(g.survival.events)),
                        f(g.survival.spells),
                    ),
                    median,
                ]
            })
            .collect(),
    }
}

/// Viewing in the 30 days before a cancel against stayers; `None` without viewership.
pub fn viewing_table(s: &Section) -> Option<Table> {
    let v = s.viewing.as_ref()?;
    let row = |name: &str, g: &ViewingGroup| {
        let none = "no customer in this group";
        vec![
            Cell::text(name),
            num(g.customers),
            dec(g.mean_hours, 2, none),
            dec(g.median_hours, 2, none),
            num(g.watched_nothing),
            dec(g.mean_covered_days, 1, none),
        ]
    };
    Some(Table {
        columns: vec![
            col("Group", false, ""),
            col("Customers", true, "in both the subscriptions and the viewership"),
            col("Mean hours", true, ""),
            col("Median hours", true, ""),
            col("Watched nothing", true, "customers with no stream in the window"),
            col("Days covered", true, "mean days of the window the viewership covers"),
        ],
        rows: vec![
            row(&format!("Cancellers ({WINDOW_DAYS} days before the cancel)"), &v.cancellers),
            row(&format!("Stayers (last {WINDOW_DAYS} days)"), &v.stayers),
        ],
    })
}

/// What the join matched, in a sentence.
pub fn viewing_summary(s: &Section) -> String {
    match &s.viewing {
        None => s.why_no_viewing.clone().unwrap_or_default(),
        Some(v) => {
            let mut t = format!(
                "{} of {} subscribers are in the viewership ({} viewers).",
                n(v.matched),
                n(s.customers),
                n(v.viewing_customers)
            );
            if v.cancellers_without_window > 0 {
                t.push_str(&format!(
                    " {} cancellers have no viewership day in their window.",
                    n(v.cancellers_without_window)
                ));
            }
            if v.last_stream_after_cancel > 0 {
                t.push_str(&format!(" {} cancellers streamed after their cancel.", n(v.last_stream_after_cancel)));
            }
            t
        }
    }
}

/// Titles cancellers watched last.
pub fn titles_table(s: &Section) -> Option<Table> {
    let v = s.viewing.as_ref()?;
    Some(Table {
        columns: vec![col("Title", false, ""), col("Cancellers", true, "whose last stream before the cancel was it")],
        rows: v.last_titles.iter().map(|t| vec![Cell::text(t.title.clone()), num(t.cancellers)]).collect(),
    })
}

/// Rebuilt HO actives against the Contractual EOP.
pub fn reconciliation_table(s: &Section) -> Table {
    let int = |v: Option<i64>, why: &str| match v {
        Some(v) => Cell::number(format::grouped(v), Some(v as f64)),
        None => Cell::number("—", None).with_help(why),
    };
    Table {
        columns: vec![
            col("Period", false, ""),
            col("Offer", false, ""),
            col("Rebuilt HO actives", true, "HO customers active at the end of the period's last day, from the rows"),
            col("Contractual EOP", true, "End Subscriptions where HO"),
            col("Difference", true, "rebuilt − EOP"),
            col("Relative", true, "(rebuilt − EOP) / EOP"),
        ],
        rows: s
            .reconciliation
            .iter()
            .map(|r| {
                let why = r.why_null.clone().unwrap_or_default();
                vec![
                    Cell::text(format::period_label(r.period_start, r.period_end)),
                    Cell::text(r.offer.clone().unwrap_or_else(|| "All offers".to_string())),
                    int(Some(r.rebuilt), ""),
                    int(r.eop, &why),
                    int(r.difference, &why),
                    match r.relative {
                        Some(d) => Cell::number(format::percent(d), d.to_f64()),
                        None => Cell::number("—", None).with_help(why),
                    },
                ]
            })
            .collect(),
    }
}

/// The Persistent-ID Subscriptions view.
#[component]
pub fn CustomersView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<Section>>,
) -> impl IntoView {
    let body = move || {
        section.with(|s| {
            s.as_ref().map(|s| {
                let s = s.clone();
                let viewing = viewing_table(&s).map(|t| {
                    view! {
                        <DataTable caption="Viewing before a cancel vs stayers" table=Signal::derive(move || t.clone()) id="customers-viewing" />
                    }
                });
                let titles = titles_table(&s).map(|t| {
                    view! {
                        <DataTable caption="Titles last watched by cancellers" table=Signal::derive(move || t.clone()) id="customers-last-titles" />
                    }
                });
                let recon = (!s.reconciliation.is_empty()).then(|| {
                    let t = reconciliation_table(&s);
                    view! {
                        <DataTable caption="Rebuilt actives vs Contractual Subscriptions EOP" table=Signal::derive(move || t.clone()) id="customers-reconciliation" />
                    }
                });
                let (c, a, fl, te, su, g) = (
                    cards(&s),
                    actives_chart(&s),
                    flows_chart(&s),
                    tenure_chart(&s),
                    survival_chart(&s),
                    groups_table(&s),
                );
                let summary = viewing_summary(&s);
                view! {
                    <Cards cards=Signal::derive(move || c.clone()) />
                    <ChartCanvas chart=Signal::derive(move || a.clone()) />
                    <ChartCanvas chart=Signal::derive(move || fl.clone()) />
                    <ChartCanvas chart=Signal::derive(move || te.clone()) />
                    <ChartCanvas chart=Signal::derive(move || su.clone()) />
                    <DataTable caption="By offer and billing type" table=Signal::derive(move || g.clone()) id="customers-groups" />
                    <p data-testid="customers-viewing-summary">{summary}</p>
                    {viewing}
                    {titles}
                    {recon}
                    {notes_list(None, s.notes.clone())}
                }
            })
        })
    };
    view! {
        <section class="view" data-testid="customers-view">
            <h2>"Persistent-ID Subscriptions"</h2>
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::analysis::customers::{kaplan_meier, Day, Month};

    fn section() -> Section {
        Section {
            rows: 18,
            statuses: 15,
            files: vec!["a.csv".into()],
            customers: 8,
            actives_last_date: 4,
            starts: 9,
            restarts: 2,
            cancels: 6,
            resubscribers: 1,
            serial_churners: 1,
            months: vec![Month {
                month: "2022-05".into(),
                actives_at_start: Some(5),
                actives_at_end: 4,
                starts: 4,
                cancels: 5,
                gross_churn: Some(Decimal::ONE),
                churn_vs_end: None,
                why_null: Default::default(),
            }],
            ..Section::default()
        }
    }

    #[test]
    fn cards_show_counts_and_churn() {
        let c = cards(&section());
        let v: Vec<(&str, &str)> = c.iter().map(|c| (c.id.as_str(), c.value.as_str())).collect();
        assert_eq!(
            v,
            vec![
                ("customers-actives", "4"),
                ("customers-starts", "9"),
                ("customers-cancels", "6"),
                ("customers-gross-churn", "100.00%"),
                ("customers-resubscribers", "1"),
                ("customers-serial-churners", "1"),
            ]
        );
        assert_eq!(c[3].note.as_deref(), Some("5 cancels / 5 active at the start"));
        assert!(c[0].provenance.contains("18 rows"));
    }

    #[test]
    fn unknown_churn_says_why() {
        let mut s = section();
        s.months[0].gross_churn = None;
        s.months[0].why_null.insert("gross_churn".into(), "not known".into());
        let c = cards(&s);
        assert_eq!((c[3].value.as_str(), c[3].note.as_deref()), ("—", Some("not known")));
    }

    #[test]
    fn survival_is_a_step_curve_with_a_gap_after_the_last_spell() {
        let k = kaplan_meier(&[(2, true), (3, false), (5, true), (5, true)]);
        let v: Vec<Option<f64>> = (0..=6).map(|d| survival_at(&k, d)).collect();
        assert_eq!(v, vec![Some(1.0), Some(1.0), Some(0.75), Some(0.75), Some(0.75), Some(0.0), None]);
        assert_eq!(survival_at(&kaplan_meier(&[]), 0), None);
    }

    #[test]
    fn actives_and_flows_are_two_charts_with_short_day_labels() {
        let mut s = section();
        let day = |d: u32, actives, starts, cancels| Day {
            date: chrono::NaiveDate::from_ymd_opt(2022, 4, d).unwrap(),
            actives,
            starts,
            cancels,
        };
        s.daily = vec![day(25, 5, 3, 0), day(26, 4, 0, 1)];
        let (ChartKind::Lines { categories, series }, ChartKind::Lines { categories: flow_days, series: flows }) =
            (actives_chart(&s).kind, flows_chart(&s).kind)
        else {
            panic!("both are line charts");
        };
        assert_eq!(categories, vec!["Mon 25 Apr 22", "Tue 26 Apr 22"]);
        assert_eq!(flow_days, categories);
        let names = |v: &[Series]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        // Actives alone on their axis; starts and cancels (tens, not thousands) on theirs.
        assert_eq!(names(&series), vec!["Active"]);
        assert_eq!(series[0].values, vec![Some(5.0), Some(4.0)]);
        assert_eq!(names(&flows), vec!["Starts", "Cancels"]);
        assert_eq!(flows[0].values, vec![Some(3.0), Some(0.0)]);
        assert_eq!(flows[1].values, vec![Some(0.0), Some(1.0)]);
    }

    #[test]
    fn no_viewership_no_tables() {
        let mut s = section();
        s.why_no_viewing = Some("no viewership file".into());
        assert!(viewing_table(&s).is_none());
        assert!(titles_table(&s).is_none());
        assert_eq!(viewing_summary(&s), "no viewership file");
    }
}
