//! The Contractual Conversion and Retention view: a cohort heatmap (start
//! period × month 1..12), retention curves per offer and billing type with
//! the average weighted by Total Starts, a toggle between the step and
//! cumulative readings of "Month N retention", and expected lifetime and LTV
//! cards whose billing amount the reader types in per offer (the report does
//! not carry it; nothing is estimated without it).
//!
//! The view model ([`heatmap`], [`curves_chart`], [`cohort_table`],
//! [`lifetime_cards`], [`parse_price`]) is plain functions, tested natively.

use crate::format::{self, decimal, grouped, money, percent};
use crate::widgets::picker::{conflict_notes, empty_state, warnings_box};
use crate::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::retention::{self, category_code, ltv, Cohort, Curve, Reading, Section, MONTHS};
use std::collections::BTreeMap;

/// `Jan 2024`: a cohort's start month.
pub fn cohort_month(c: &Cohort) -> String {
    c.start_period.format("%b %Y").to_string()
}

/// `Jan 2024 · OFFER-1M · FT`.
pub fn cohort_label(c: &Cohort) -> String {
    format!("{} · {} · {}", cohort_month(c), c.offer_id, category_code(c.billing_type))
}

/// `OFFER-1M (Club) FT`, or `All cohorts (weighted)`.
pub fn curve_label(c: &Curve) -> String {
    match (&c.offer_id, c.billing_type) {
        (Some(id), Some(b)) => match &c.offer_name {
            Some(n) => format!("{id} ({n}) {}", category_code(b)),
            None => format!("{id} {}", category_code(b)),
        },
        _ => "All cohorts (weighted by Total Starts)".to_string(),
    }
}

fn f(v: Option<Decimal>) -> Option<f64> {
    v.and_then(|d| d.to_f64())
}

fn reading_word(r: Reading) -> &'static str {
    match r {
        Reading::Step => "step (survival = product of month-to-month rates)",
        Reading::Cumulative => "cumulative (share of signups still retained)",
    }
}

/// The cohort heatmap: survival S_n under `reading`; blank where a cohort has no month n.
pub fn heatmap(s: &Section, reading: Reading) -> Chart {
    Chart {
        title: format!("Retention by cohort, {} reading", reading_word(reading)),
        x_label: "Month".to_string(),
        y_label: "Subscription start period".to_string(),
        percent: true,
        kind: ChartKind::Heatmap {
            rows: s.cohorts.iter().map(cohort_label).collect(),
            columns: (1..=MONTHS).map(|m| format!("M{m}")).collect(),
            values: s.cohorts.iter().map(|c| c.survival(reading).iter().map(|v| f(*v)).collect()).collect(),
        },
        id: "retention-heatmap".to_string(),
    }
}

/// Curves per offer and billing type, then the weighted average.
pub fn curves_chart(s: &Section, reading: Reading) -> Chart {
    let r = s.readout(reading);
    let series = r
        .curves
        .iter()
        .chain(std::iter::once(&r.average))
        .map(|c| Series { name: curve_label(c), values: c.points.iter().map(|p| f(p.survival)).collect() })
        .collect();
    Chart {
        title: "Retention curves, weighted by Total Starts".to_string(),
        x_label: "Month".to_string(),
        y_label: "Retained".to_string(),
        percent: true,
        kind: ChartKind::Lines { categories: (1..=MONTHS).map(|m| format!("M{m}")).collect(), series },
        id: "retention-curves".to_string(),
    }
}

/// FT conversion per cohort (bars).
pub fn conversion_chart(s: &Section) -> Chart {
    Chart {
        title: "FT conversion by cohort".to_string(),
        x_label: "FT conversion".to_string(),
        y_label: "Cohort".to_string(),
        percent: true,
        kind: ChartKind::Bars {
            categories: s.cohorts.iter().map(cohort_label).collect(),
            series: vec![Series {
                name: "FT conversion".to_string(),
                values: s.cohorts.iter().map(|c| f(c.ft_conversion)).collect(),
            }],
        },
        id: "retention-conversion".to_string(),
    }
}

fn pct_cell(v: Option<Decimal>, help: &str) -> Cell {
    match v {
        Some(d) => Cell::number(percent(d), d.to_f64()).with_help(help),
        None => Cell::number("—", None).with_help(format!("{help}: no value")),
    }
}

/// One row per cohort: start, offer, billing type, starts, conversion, S_1..S_12 under `reading`.
pub fn cohort_table(s: &Section, reading: Reading) -> Table {
    let mut columns = vec![
        Column { label: "Start period".into(), numeric: false, help: Some("Subscription Start Period".into()) },
        Column { label: "Offer".into(), numeric: false, help: None },
        Column { label: "Billing".into(), numeric: false, help: Some("FT or HO".into()) },
        Column { label: "Total starts".into(), numeric: true, help: Some("The cohort's weight in the curves".into()) },
        Column { label: "FT conversion".into(), numeric: true, help: None },
    ];
    columns.extend((1..=MONTHS).map(|m| Column {
        label: format!("M{m}"),
        numeric: true,
        help: Some(format!("Share of the cohort retained at month {m}, {} reading", reading_word(reading))),
    }));
    let rows = s
        .cohorts
        .iter()
        .map(|c| {
            let src = match &c.conflict {
                Some(why) => format!("{}; conflict: {why}", c.source),
                None => c.source.clone(),
            };
            let mut row = vec![
                Cell::text(cohort_month(c)).with_help(src.clone()),
                Cell::text(c.offer_name.as_ref().map_or(c.offer_id.clone(), |n| format!("{} ({n})", c.offer_id))),
                Cell::text(category_code(c.billing_type)),
                match c.total_starts {
                    Some(n) => Cell::number(grouped(n), Some(n as f64)).with_help(src.clone()),
                    None => Cell::number("—", None).with_help("Total Starts missing: the cohort cannot weigh in"),
                },
                pct_cell(c.ft_conversion, &src),
            ];
            row.extend(c.survival(reading).iter().map(|v| pct_cell(*v, &src)));
            row
        })
        .collect();
    Table { columns, rows }
}

/// `9.99` or `9,99` → 9.99; anything else (or ≤ 0) → `None`.
pub fn parse_price(text: &str) -> Option<Decimal> {
    let t = text.trim().replace(',', ".");
    t.parse::<Decimal>().ok().filter(|d| *d > Decimal::ZERO)
}

/// Lifetime cards per curve (and the average), each followed by its LTV card
/// when the reader gave a price for the curve's offer.
pub fn lifetime_cards(s: &Section, reading: Reading, prices: &BTreeMap<String, Decimal>) -> Vec<Card> {
    let r = s.readout(reading);
    let mut out = Vec::new();
    for c in std::iter::once(&r.average).chain(&r.curves) {
        let label = curve_label(c);
        let key = c
            .offer_id
            .as_ref()
            .map_or("all".to_string(), |id| format!("{id}-{}", c.billing_type.map_or("", category_code)));
        let starts = c.points.first().map_or(0, |p| p.starts);
        let provenance = format!(
            "from {} ({} Total Starts at month 1); {} months observed; {}",
            format::rows(c.cohorts as usize),
            grouped(starts),
            c.lifetime_observed_months,
            s.lifetime_formula
        );
        let months: Vec<String> = c
            .points
            .iter()
            .take(c.lifetime_observed_months as usize)
            .filter_map(|p| p.survival.map(|v| decimal(v, 4)))
            .collect();
        out.push(Card {
            label: format!("Expected lifetime, {label}"),
            value: c.lifetime_months.map_or("—".to_string(), |v| format!("{} months", decimal(v, 2))),
            note: match (&c.why_null, c.lifetime_months) {
                (Some(why), _) => Some(why.clone()),
                (None, Some(_)) => Some(format!("= 1 + {} (a lower bound)", months.join(" + "))),
                (None, None) => None,
            },
            provenance,
            id: format!("lifetime-{key}"),
        });
        let price = c.offer_id.as_ref().and_then(|id| prices.get(id));
        if let (Some(life), Some(price)) = (c.lifetime_months, price) {
            out.push(Card {
                label: format!("LTV estimate, {label}"),
                value: money(ltv(life, *price)),
                note: Some(format!("estimate: {} months × {} (your price)", decimal(life, 4), money(*price))),
                provenance: s.ltv_formula.clone(),
                id: format!("ltv-{key}"),
            });
        }
    }
    out
}

/// The Contractual Conversion and Retention view.
#[component]
pub fn RetentionView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<retention::Section>>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<Reading>);
    let prices = RwSignal::new(BTreeMap::<String, Decimal>::new());
    let reading = Memo::new(move |_| {
        section.with(|s| {
            s.as_ref().map_or(Reading::Cumulative, |s| match chosen.get() {
                Some(Reading::Cumulative) if !s.cumulative.possible => Reading::Step,
                Some(r) => r,
                None => s.default_reading,
            })
        })
    });
    let has = Memo::new(move |_| section.with(|s| s.as_ref().is_some_and(|s| !s.cohorts.is_empty())));
    let pick = move |build: fn(&Section, Reading) -> Chart| {
        Signal::derive(move || {
            let r = reading.get();
            section.with(|s| s.as_ref().map(|s| build(s, r))).unwrap_or_else(|| build(&empty_section(), r))
        })
    };
    let heat = pick(heatmap);
    let curves = pick(curves_chart);
    let conv = Signal::derive(move || {
        section.with(|s| s.as_ref().map(conversion_chart)).unwrap_or_else(|| conversion_chart(&empty_section()))
    });
    let table = Signal::derive(move || {
        let r = reading.get();
        section.with(|s| s.as_ref().map(|s| cohort_table(s, r)).unwrap_or_default())
    });
    let cards = Signal::derive(move || {
        let r = reading.get();
        let p = prices.get();
        section.with(|s| s.as_ref().map(|s| lifetime_cards(s, r, &p)).unwrap_or_default())
    });
    let note = move || section.with(|s| s.as_ref().map(|s| s.reading_note.clone()).unwrap_or_default());
    let cumulative_possible = move || section.with(|s| s.as_ref().is_some_and(|s| s.cumulative.possible));
    let notes = Signal::derive(move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    conflict_notes(
                        &s.conflicts,
                        &s.duplicates,
                        "Curves with this cohort stay blank until one file is removed.",
                    )
                })
                .unwrap_or_default()
        })
    });
    let offers = move || {
        section.with(|s| {
            s.as_ref()
                .map(|s| {
                    let mut ids: Vec<String> = s.cohorts.iter().map(|c| c.offer_id.clone()).collect();
                    ids.dedup();
                    ids.sort();
                    ids.dedup();
                    ids
                })
                .unwrap_or_default()
        })
    };
    let price_inputs = move || {
        offers()
            .into_iter()
            .map(|id| {
                let key = id.clone();
                view! {
                    <label class="price-input">
                        <span>{format!("Billing amount per month, {id}")}</span>
                        <input
                            type="text"
                            inputmode="decimal"
                            placeholder="e.g. 9.99"
                            data-testid=format!("price-{id}")
                            on:input=move |ev| {
                                let v = parse_price(&event_target_value(&ev));
                                let key = key.clone();
                                prices.update(|p| match v {
                                    Some(v) => {
                                        p.insert(key, v);
                                    }
                                    None => {
                                        p.remove(&key);
                                    }
                                });
                            }
                        />
                    </label>
                }
            })
            .collect_view()
    };
    let radio = move |r: Reading, label: &'static str| {
        view! {
            <label class="reading-option">
                <input
                    type="radio"
                    name="retention-reading"
                    prop:checked=move || reading.get() == r
                    disabled=move || r == Reading::Cumulative && !cumulative_possible()
                    on:change=move |_| chosen.set(Some(r))
                />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <section class="view" data-testid="retention-view">
            <h2>"Contractual Conversion and Retention"</h2>
            <Show
                when=move || has.get()
                fallback=|| {
                    empty_state(
                        "retention-empty",
                        "No cohorts yet. Add a Contractual Conversion and Retention report to see cohorts, curves and lifetime.",
                    )
                }
            >
                <fieldset class="reading" data-testid="retention-reading">
                    <legend>"Read Month N retention as"</legend>
                    {radio(Reading::Cumulative, "Cumulative: share of the cohort's signups still retained")}
                    {radio(Reading::Step, "Step: share of month N−1's retained still retained (survival = product)")}
                </fieldset>
                <p class="note" data-testid="retention-note">{note}</p>
                {warnings_box("retention-warnings", notes)}
                <ChartCanvas chart=heat />
                <ChartCanvas chart=curves />
                <h3>"Lifetime and LTV"</h3>
                <p class="formula">
                    {retention::LIFETIME_FORMULA} ". " {retention::LTV_FORMULA}
                    ". The billing amount is not in this report: type it per offer to see the estimate."
                </p>
                <div class="price-inputs">{price_inputs}</div>
                <Cards cards=cards />
                <ChartCanvas chart=conv />
                <DataTable caption="Cohorts" table=table id="retention-cohorts" />
            </Show>
        </section>
    }
}

/// A section with no cohorts, for charts built before any file is read.
fn empty_section() -> Section {
    slatelens_core::analysis::retention::analyze(&[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::analysis::FileRows;
    use slatelens_core::kinds::conversion_retention::Row;
    use slatelens_core::kinds::subscriptions::Category;

    fn section() -> Section {
        let mut retention = [None; MONTHS];
        retention[0] = Some(Decimal::new(8, 1));
        retention[1] = Some(Decimal::new(6, 1));
        let rows = [Row {
            line: 2,
            start_period: chrono::NaiveDate::from_ymd_opt(2024, 1, 31).expect("date"),
            offer_id: "OFFER".into(),
            offer_name: Some("Club".into()),
            billing_type: Category::FreeTrial,
            total_starts: Some(100),
            ft_conversion: Some(Decimal::new(5, 1)),
            retention,
        }];
        retention::analyze(&[FileRows { name: "a.csv", label: "CR", rows: &rows }])
    }

    #[test]
    fn heatmap_has_a_row_per_cohort_and_blank_missing_months() {
        let s = section();
        let ChartKind::Heatmap { rows, columns, values } = heatmap(&s, Reading::Cumulative).kind else {
            panic!("heatmap");
        };
        assert_eq!(rows, ["Jan 2024 · OFFER · FT"]);
        assert_eq!(columns.len(), 12);
        assert_eq!(&values[0][..3], &[Some(0.8), Some(0.6), None]);
        let ChartKind::Heatmap { values, .. } = heatmap(&s, Reading::Step).kind else { panic!("heatmap") };
        assert_eq!(&values[0][..2], &[Some(0.8), Some(0.48)]);
    }

    #[test]
    fn ltv_card_appears_only_with_a_price() {
        let s = section();
        let cards = lifetime_cards(&s, Reading::Cumulative, &BTreeMap::new());
        assert_eq!(cards.len(), 2, "average and one curve, no LTV");
        assert_eq!(cards[0].value, "2.40 months");
        assert_eq!(cards[0].note.as_deref(), Some("= 1 + 0.8000 + 0.6000 (a lower bound)"));
        let prices = BTreeMap::from([("OFFER".to_string(), parse_price("9,99").expect("price"))]);
        let cards = lifetime_cards(&s, Reading::Cumulative, &prices);
        // 2.4 × 9.99 = 23.976 → 23.98.
        let ltv = cards.iter().find(|c| c.id == "ltv-OFFER-FT").expect("ltv card");
        assert_eq!(ltv.value, "23.98");
        assert!(parse_price("abc").is_none() && parse_price("0").is_none());
    }

    #[test]
    fn table_rows_trace_to_their_source() {
        let t = cohort_table(&section(), Reading::Cumulative);
        assert_eq!(t.columns.len(), 17);
        assert_eq!(t.rows[0][0].help.as_deref(), Some("a.csv line 2"));
        assert_eq!(t.rows[0][5].text, "80.00%");
        assert_eq!(t.rows[0][7].text, "—");
    }
}
