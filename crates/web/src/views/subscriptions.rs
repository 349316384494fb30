//! The Contractual Subscriptions view: for a chosen period, the nine Slate
//! metrics as cards with their change against the previous period, what else
//! an analyst asks (AR-off rate, revenue estimates), trend charts over every
//! period, and a sortable per-offer table.
//!
//! What the view shows is computed by plain functions, tested natively:
//! [`view_model`] picks the cadence and period and builds the cards, warnings
//! and provenance; [`sort_offers`] orders the table. The components only render
//! them; the charts come from [`crate::charts`].

use crate::charts::{self, ChartSpec};
use crate::format::{self, grouped, money, percent, period_label, Polarity, PopText, Unit};
use crate::widgets::chart::{on_color_scheme_change, on_resize};
use crate::widgets::picker::{next_uid, period_controls, Controls};
use leptos::prelude::*;
use rust_decimal::Decimal;
use slatelens_core::analysis::subscriptions::{Metrics, OfferMetrics, Period};
use slatelens_core::kinds::subscriptions::Cadence;
use std::cmp::Ordering;

/// How one metric is named, computed, shown and judged.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// Its JSON key: `churn_rate`.
    pub key: &'static str,
    /// What a person calls it: `Churn rate`.
    pub label: &'static str,
    /// Count, rate or money.
    pub unit: Unit,
    /// Whether up is good news.
    pub polarity: Polarity,
    /// The formula, with `{End}` for `Month End` or `Week End`.
    pub formula: &'static str,
    /// Its value in a set of metrics.
    pub get: fn(&Metrics) -> Option<Decimal>,
}

fn count(v: Option<i64>) -> Option<Decimal> {
    v.map(Decimal::from)
}

/// The nine Slate metrics, in the guide's order.
pub const NINE: [MetricDef; 9] = [
    MetricDef {
        key: "eop_paid_subs",
        label: "EOP paid subs",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "Σ {End} Subscriptions where category is HO",
        get: |m| count(m.eop_paid_subs),
    },
    MetricDef {
        key: "paid_cancels",
        label: "Paid cancels",
        unit: Unit::Count,
        polarity: Polarity::UpIsBad,
        formula: "Σ Cancelled Subscriptions where HO",
        get: |m| count(m.paid_cancels),
    },
    MetricDef {
        key: "churn_rate",
        label: "Churn rate",
        unit: Unit::Rate,
        polarity: Polarity::UpIsBad,
        formula: "paid cancels ÷ (EOP paid subs + paid cancels)",
        get: |m| m.churn_rate,
    },
    MetricDef {
        key: "ft_starts",
        label: "FT starts",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "Σ New Subscriptions where FT",
        get: |m| count(m.ft_starts),
    },
    MetricDef {
        key: "ho_starts",
        label: "HO starts",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "Σ New Subscriptions where HO",
        get: |m| count(m.ho_starts),
    },
    MetricDef {
        key: "total_starts",
        label: "Total starts",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "Σ New Subscriptions",
        get: |m| count(m.total_starts),
    },
    MetricDef {
        key: "eop_conversions",
        label: "EOP conversions",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "EOP paid subs − previous EOP paid subs + paid cancels − HO starts",
        get: |m| count(m.eop_conversions),
    },
    MetricDef {
        key: "conversion_rate",
        label: "Conversion rate",
        unit: Unit::Rate,
        polarity: Polarity::UpIsGood,
        formula: "EOP conversions ÷ (EOP conversions + FT cancels)",
        get: |m| m.conversion_rate,
    },
    MetricDef {
        key: "net_adds",
        label: "Net adds",
        unit: Unit::Count,
        polarity: Polarity::UpIsGood,
        formula: "HO starts + EOP conversions − paid cancels",
        get: |m| count(m.net_adds),
    },
];

/// One metric card, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The metric's key (`churn_rate`); the card's test id is `card-{key}`.
    pub key: &'static str,
    /// `Churn rate`.
    pub label: &'static str,
    /// `5.66%`, or `None` when the metric could not be computed.
    pub value: Option<String>,
    /// Why there is no value.
    pub why: Option<String>,
    /// How it is computed.
    pub formula: String,
    /// The formula with this period's numbers: `77,235 ÷ (1,288,546 + 77,235)`.
    pub worked: Option<String>,
    /// The change against the previous period.
    pub pop: Option<PopText>,
    /// An estimate, not a reported figure.
    pub estimate: bool,
}

/// A warning about the chosen period's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Two files disagree: the period's totals are blank.
    Conflict(String),
    /// Rows repeated in a later file, counted once.
    Duplicate(String),
}

/// Everything the view shows for the chosen cadence and period.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// Cadences that have periods, monthly first.
    pub cadences: Vec<Cadence>,
    /// The cadence shown.
    pub cadence: Cadence,
    /// The picker's choices, newest first: (key, label).
    pub options: Vec<(String, String)>,
    /// The key of the chosen period.
    pub selected: String,
    /// `May 2022`.
    pub label: String,
    /// `from 3 rows in may.csv`.
    pub provenance: String,
    /// `Changes are against April 2022.`, or why there are none.
    pub compared: String,
    /// Conflicts and duplicates of the chosen period.
    pub warnings: Vec<Warning>,
    /// The nine metrics.
    pub cards: Vec<Card>,
    /// AR-off rate, revenue estimates, charged customers.
    pub extras: Vec<Card>,
    /// The chosen period's offers, in core's order (by Offer ID).
    pub offers: Vec<OfferMetrics>,
}

/// The key a period is picked by: `monthly:2022-05-01:2022-05-31`.
pub fn period_key(p: &Period) -> String {
    format!("{}:{}:{}", p.cadence.label(), p.start, p.end)
}

/// The cadences present in `periods`, monthly first.
pub fn cadences(periods: &[Period]) -> Vec<Cadence> {
    [Cadence::Monthly, Cadence::Weekly].into_iter().filter(|c| periods.iter().any(|p| p.cadence == *c)).collect()
}

/// The period of the same cadence that ends the day before `p` starts.
pub fn previous<'a>(periods: &'a [Period], p: &Period) -> Option<&'a Period> {
    periods.iter().find(|q| q.cadence == p.cadence && q.end.succ_opt() == Some(p.start))
}

/// The view for `periods` (sorted by start) with the cadence the user chose
/// (`None`: monthly when there is any) and the period they picked (`None`, or
/// a key no longer present: the latest). `None` when there are no periods.
pub fn view_model(periods: &[Period], cadence: Option<Cadence>, picked: Option<&str>) -> Option<ViewModel> {
    let present = cadences(periods);
    let cadence = match cadence {
        Some(c) if present.contains(&c) => c,
        _ => *present.first()?,
    };
    let mine: Vec<&Period> = periods.iter().filter(|p| p.cadence == cadence).collect();
    let period = picked.and_then(|k| mine.iter().find(|p| period_key(p) == k)).or_else(|| mine.last()).copied()?;
    let prev = previous(periods, period);
    let prev_label = prev.map(|p| period_label(p.start, p.end));
    let compared = match (&period.change, &prev_label) {
        (Some(_), Some(label)) => format!("Changes are against {label}."),
        _ => match period.metrics.why_null.get("prev_eop_paid_subs") {
            Some(why) => format!("No change figures: {why}."),
            None => "No change figures: there is no earlier period.".to_string(),
        },
    };
    let mut warnings: Vec<Warning> = period.conflicts.iter().cloned().map(Warning::Conflict).collect();
    warnings.extend(period.duplicates.iter().cloned().map(Warning::Duplicate));
    Some(ViewModel {
        cadences: present,
        cadence,
        options: mine.iter().rev().map(|p| (period_key(p), period_label(p.start, p.end))).collect(),
        selected: period_key(period),
        label: period_label(period.start, period.end),
        provenance: format::provenance(period.rows, &period.files),
        compared,
        warnings,
        cards: cards(period, prev_label.as_deref()),
        extras: extra_cards(period),
        offers: period.offers.clone(),
    })
}

/// The nine cards of `period`; `prev` names the previous period when there is one.
pub fn cards(period: &Period, prev: Option<&str>) -> Vec<Card> {
    let m = &period.metrics;
    let end = match period.cadence {
        Cadence::Monthly => "Month End",
        Cadence::Weekly => "Week End",
    };
    NINE.iter()
        .map(|def| {
            let value = (def.get)(m);
            let pop = match (&period.change, prev) {
                (Some(change), Some(prev)) => change
                    .delta
                    .get(def.key)
                    .map(|d| format::pop(def.unit, def.polarity, *d, change.relative.get(def.key).copied(), prev)),
                _ => None,
            };
            Card {
                key: def.key,
                label: def.label,
                value: value.map(|v| def.unit.full(v)),
                why: value.is_none().then(|| why(m, def.key, "not available")),
                formula: def.formula.replace("{End}", end),
                worked: worked(m, def.key),
                pop,
                estimate: false,
            }
        })
        .collect()
}

/// Why `key` is null, as core says, or `fallback`.
fn why(m: &Metrics, key: &str, fallback: &str) -> String {
    m.why_null.get(key).cloned().unwrap_or_else(|| fallback.to_string())
}

/// The formula of `key` with the numbers it was computed from.
fn worked(m: &Metrics, key: &str) -> Option<String> {
    let g = grouped;
    match key {
        "churn_rate" => {
            let (e, c) = (m.eop_paid_subs?, m.paid_cancels?);
            m.churn_rate.map(|_| format!("{} ÷ ({} + {})", g(c), g(e), g(c)))
        }
        "total_starts" => Some(format!("{} FT + {} HO", g(m.ft_starts?), g(m.ho_starts?))),
        "eop_conversions" => {
            m.eop_conversions?;
            Some(format!(
                "{} − {} + {} − {}",
                g(m.eop_paid_subs?),
                g(m.prev_eop_paid_subs?),
                g(m.paid_cancels?),
                g(m.ho_starts?)
            ))
        }
        "conversion_rate" => {
            m.conversion_rate?;
            let (c, f) = (m.eop_conversions?, m.ft_cancels?);
            Some(format!("{} ÷ ({} + {})", g(c), g(c), g(f)))
        }
        "net_adds" => {
            m.net_adds?;
            Some(format!("{} + {} − {}", g(m.ho_starts?), g(m.eop_conversions?), g(m.paid_cancels?)))
        }
        "ar_off_rate" => {
            m.ar_off_rate?;
            Some(format!("{} ÷ {}", g(m.ar_off_subs?), g(m.active_subs?)))
        }
        "est_arpu" => {
            m.est_arpu?;
            Some(format!("{} ÷ {}", money(m.est_revenue_run_rate?), g(m.eop_paid_subs?)))
        }
        _ => None,
    }
}

/// The cards beyond the nine: AR-off rate, the revenue estimates and, when the
/// report has them, the charged-customer estimates.
pub fn extra_cards(period: &Period) -> Vec<Card> {
    let m = &period.metrics;
    let card = |key: &'static str, label, value: Option<String>, fallback: &str, formula: &str, estimate| Card {
        key,
        label,
        why: value.is_none().then(|| why(m, key, fallback)),
        value,
        formula: formula.to_string(),
        worked: worked(m, key),
        pop: None,
        estimate,
    };
    let mut out = vec![
        card(
            "ar_off_rate",
            "AR-off rate",
            m.ar_off_rate.map(percent),
            "needs Active and AR Off Subscriptions",
            "Σ AR Off Subscriptions ÷ Σ Active Subscriptions (all categories)",
            false,
        ),
        card(
            "est_revenue_run_rate",
            "Monthly revenue run-rate",
            m.est_revenue_run_rate.map(money),
            "needs a Billing Amount and End Subscriptions on every HO row",
            "Σ Billing Amount × End Subscriptions over HO rows, at list price, in the report's currency",
            true,
        ),
        card(
            "est_arpu",
            "ARPU",
            m.est_arpu.map(money),
            "needs the revenue run-rate and EOP paid subs above zero",
            "revenue run-rate ÷ EOP paid subs",
            true,
        ),
    ];
    let charged = [
        ("est_charged_customers", "Estimated charged customers", "Charged", m.est_charged_customers),
        (
            "est_late_charged_customers",
            "Estimated late charged customers",
            "Late Charged",
            m.est_late_charged_customers,
        ),
    ];
    for (key, label, column, value) in charged {
        if value.is_some() || m.why_null.contains_key(key) {
            let formula = format!("Σ Estimated {column} Customers (the report's own estimate)");
            out.push(card(key, label, value.map(grouped), "not available", &formula, false));
        }
    }
    out
}

/// A column of the offer table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Offer ID.
    Offer,
    /// The plan name(s).
    Subscription,
    /// The billing amount.
    Billing,
    /// One of the nine, by index into [`NINE`].
    Metric(usize),
    /// Rows behind the offer's numbers.
    Rows,
}

impl Column {
    /// Every column, in table order.
    pub fn all() -> Vec<Column> {
        let mut out = vec![Column::Offer, Column::Subscription, Column::Billing];
        out.extend((0..NINE.len()).map(Column::Metric));
        out.push(Column::Rows);
        out
    }

    /// The header text.
    pub fn label(self) -> &'static str {
        match self {
            Column::Offer => "Offer ID",
            Column::Subscription => "Subscription",
            Column::Billing => "Billing amount",
            Column::Metric(i) => NINE.get(i).map_or("", |d| d.label),
            Column::Rows => "Rows",
        }
    }

    /// A stable id for tests: `offer_id`, `eop_paid_subs`, ...
    pub fn id(self) -> &'static str {
        match self {
            Column::Offer => "offer_id",
            Column::Subscription => "subscription",
            Column::Billing => "billing_amount",
            Column::Metric(i) => NINE.get(i).map_or("", |d| d.key),
            Column::Rows => "rows",
        }
    }

    /// Whether the column holds numbers (right-aligned, first sorted high to low).
    pub fn numeric(self) -> bool {
        !matches!(self, Column::Offer | Column::Subscription)
    }

    /// The cell of `offer` in this column: its text and, for an empty cell, why.
    pub fn cell(self, offer: &OfferMetrics) -> (String, Option<String>) {
        match self {
            Column::Offer => (offer.offer_id.clone(), None),
            Column::Subscription => match &offer.subscription {
                Some(s) => (s.clone(), None),
                None => ("—".to_string(), Some("no plan name in the rows".to_string())),
            },
            Column::Billing => match offer.billing_amount {
                Some(b) => (money(b), None),
                None => ("—".to_string(), Some("no single billing amount in the rows".to_string())),
            },
            Column::Metric(i) => {
                let Some(def) = NINE.get(i) else { return (String::new(), None) };
                match (def.get)(&offer.metrics) {
                    Some(v) => (def.unit.full(v), None),
                    None => ("—".to_string(), Some(why(&offer.metrics, def.key, "not available"))),
                }
            }
            Column::Rows => (format::grouped(i64::try_from(offer.rows).unwrap_or(i64::MAX)), None),
        }
    }

    fn key(self, offer: &OfferMetrics) -> SortKey<'_> {
        match self {
            Column::Offer => SortKey::Text(Some(&offer.offer_id)),
            Column::Subscription => SortKey::Text(offer.subscription.as_deref()),
            Column::Billing => SortKey::Number(offer.billing_amount),
            Column::Metric(i) => SortKey::Number(NINE.get(i).and_then(|d| (d.get)(&offer.metrics))),
            Column::Rows => SortKey::Number(Some(Decimal::from(offer.rows))),
        }
    }
}

enum SortKey<'a> {
    Text(Option<&'a str>),
    Number(Option<Decimal>),
}

/// How the offer table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// High to low (Z to A) when true.
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort { column: Column::Offer, descending: false }
    }
}

impl Sort {
    /// The sort after clicking `column`'s header: the same column flips;
    /// another starts high to low for numbers and A to Z for text.
    pub fn click(self, column: Column) -> Sort {
        if column == self.column {
            Sort { column, descending: !self.descending }
        } else {
            Sort { column, descending: column.numeric() }
        }
    }

    /// `aria-sort` of `column`'s header.
    pub fn aria(self, column: Column) -> Option<&'static str> {
        (column == self.column).then_some(if self.descending { "descending" } else { "ascending" })
    }
}

/// The offers sorted by `sort`; empty cells last either way, ties by Offer ID.
pub fn sort_offers(offers: &[OfferMetrics], sort: Sort) -> Vec<OfferMetrics> {
    let mut out = offers.to_vec();
    out.sort_by(|a, b| {
        let by_key = match (sort.column.key(a), sort.column.key(b)) {
            (SortKey::Text(x), SortKey::Text(y)) => directed(x, y, sort.descending),
            (SortKey::Number(x), SortKey::Number(y)) => directed(x, y, sort.descending),
            _ => Ordering::Equal,
        };
        by_key.then_with(|| a.offer_id.cmp(&b.offer_id))
    });
    out
}

/// Compares two optional values, `None` last whatever the direction.
fn directed<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if descending => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The subscriptions view: cards for the chosen period, trends, per-offer table.
#[component]
pub fn SubscriptionsView(
    /// Every period, sorted by start.
    #[prop(into)]
    periods: Signal<Vec<Period>>,
) -> impl IntoView {
    // Ids and the radio group's name must be unique if the view is mounted twice.
    let uid = next_uid();
    let title_id = format!("subs-{uid}-title");
    let offers_title_id = format!("subs-{uid}-offers");
    let cadence_name = format!("subs-{uid}-cadence");
    let cadence_choice = RwSignal::new(None::<Cadence>);
    let picked = RwSignal::new(None::<String>);
    let sort = RwSignal::new(Sort::default());
    let model = Memo::new(move |_| periods.with(|ps| view_model(ps, cadence_choice.get(), picked.get().as_deref())));
    let has_periods = Memo::new(move |_| model.with(Option::is_some));
    let cadence = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.cadence)));
    let present = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.cadences.clone()).unwrap_or_default()));
    let options = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.options.clone()).unwrap_or_default()));
    let selected = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.selected.clone()).unwrap_or_default()));
    let specs = Memo::new(move |_| {
        let cadence = cadence.get();
        periods.with(|ps| cadence.map(|c| charts::trend_charts(ps, c)).unwrap_or_default())
    });
    // Charts redraw when the colour scheme changes (their colours live in CSS).
    let theme_tick = RwSignal::new(0u32);
    on_color_scheme_change(move || theme_tick.update(|n| *n += 1));

    let text = move |f: fn(&ViewModel) -> String| move || model.with(|m| m.as_ref().map(f).unwrap_or_default());

    let warnings = move || {
        let list = model.with(|m| m.as_ref().map(|m| m.warnings.clone()).unwrap_or_default());
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|w| match w {
                    Warning::Conflict(t) => view! {
                        <li class="conflict">
                            <strong>"Conflict: "</strong>
                            {t}
                            ". The nine metrics stay blank until one of the files is removed."
                        </li>
                    },
                    Warning::Duplicate(t) => view! {
                        <li class="duplicate">
                            <strong>"Duplicate: "</strong>
                            {t}
                            "."
                        </li>
                    },
                })
                .collect_view();
            view! {
                <div class="subs-warnings" role="note" data-testid="subs-warnings">
                    <p class="subs-warnings-head">"Check these files"</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    let cards = move || {
        model
            .with(|m| m.as_ref().map(|m| m.cards.clone()).unwrap_or_default())
            .into_iter()
            .map(card_view)
            .collect_view()
    };
    let extras = move || {
        model
            .with(|m| m.as_ref().map(|m| m.extras.clone()).unwrap_or_default())
            .into_iter()
            .map(card_view)
            .collect_view()
    };

    let charts_view = move || {
        specs.get().into_iter().map(|spec| view! { <TrendChart spec=spec theme_tick=theme_tick /> }).collect_view()
    };
    let missing_note = move || {
        let missing: Vec<String> = specs.with(|s| {
            s.first()
                .map(|c| c.slots.iter().filter(|s| !s.present).map(|s| s.label.clone()).collect())
                .unwrap_or_default()
        });
        (!missing.is_empty()).then(|| {
            view! {
                <p class="subs-note" data-testid="subs-missing">
                    "Shaded: no report for " {format::and_list(&missing)}
                    ". Lines break there; nothing is filled in."
                </p>
            }
        })
    };

    let labelled_by = title_id.clone();
    view! {
        <section class="subs-view" data-testid="subs-view" aria-labelledby=labelled_by>
            <h2 id=title_id>"Contractual Subscriptions"</h2>
            <Show
                when=move || has_periods.get()
                fallback=|| {
                    view! {
                        <p class="subs-empty" data-testid="subs-empty">
                            "No Contractual Subscriptions periods yet. Add a monthly or weekly Contractual Subscriptions report to see the nine metrics."
                        </p>
                    }
                }
            >
                {period_controls(Controls {
                    name: cadence_name.clone(),
                    cadences: present.into(),
                    cadence: cadence.into(),
                    options: options.into(),
                    selected: selected.into(),
                    cadence_choice,
                    picked,
                    toggle_testid: Some("cadence-toggle"),
                    testid: "period-picker",
                })}
                <p class="subs-provenance">
                    <strong data-testid="subs-period">{text(|m| m.label.clone())}</strong>
                    " "
                    <span data-testid="subs-provenance">{text(|m| m.provenance.clone())}</span>
                    ". "
                    <span class="subs-compared">{text(|m| m.compared.clone())}</span>
                </p>
                {warnings}
                <h3 class="subs-section">"The nine metrics"</h3>
                <div class="subs-cards" data-testid="subs-cards">{cards}</div>
                <h3 class="subs-section">"Beyond the nine"</h3>
                <div class="subs-cards subs-extras" data-testid="subs-extras">{extras}</div>
                <h3 class="subs-section">"Trends over every " {move || cadence_word(cadence.get())} " period"</h3>
                {missing_note}
                <div class="subs-charts">{charts_view}</div>
                <OfferTable model=model sort=sort title_id=offers_title_id.clone() />
            </Show>
        </section>
    }
}

fn cadence_word(c: Option<Cadence>) -> &'static str {
    match c {
        Some(Cadence::Weekly) => "weekly",
        _ => "monthly",
    }
}

/// One metric card.
fn card_view(card: Card) -> impl IntoView {
    let value_class = if card.value.is_some() { "card-value" } else { "card-value null" };
    let value = card.value.clone().unwrap_or_else(|| "—".to_string());
    let pop = card.pop.map(|p| {
        view! {
            <p class=format!("pop {}", p.tone.class()) data-testid="card-pop">
                <span role="img" aria-label=p.label title=p.detail>
                    {p.text}
                </span>
            </p>
        }
    });
    let why = card.why.map(|w| view! { <p class="why-null" data-testid="card-why">{w}</p> });
    let worked = card.worked.map(|w| view! { <p class="worked">"= " {w}</p> });
    let estimate = card.estimate.then(|| view! { <span class="estimate">"estimate"</span> });
    view! {
        <article class="card" data-testid=format!("card-{}", card.key)>
            <h4 class="card-label">{card.label} {estimate}</h4>
            <p class=value_class data-testid="card-value">
                {value}
            </p>
            {pop}
            {why}
            <p class="formula">{card.formula}</p>
            {worked}
        </article>
    }
}

/// The per-offer table of the chosen period, sortable by any column.
#[component]
fn OfferTable(
    /// The view's model.
    model: Memo<Option<ViewModel>>,
    /// The current sort.
    sort: RwSignal<Sort>,
    /// The id of the table's heading.
    title_id: String,
) -> impl IntoView {
    let headers = Column::all()
        .into_iter()
        .map(|col| {
            let class = if col.numeric() { "num" } else { "text" };
            let glyph = move || match sort.get().aria(col) {
                Some("ascending") => "▲",
                Some(_) => "▼",
                None => "↕",
            };
            view! {
                <th scope="col" class=class aria-sort=move || sort.get().aria(col) data-testid=format!("th-{}", col.id())>
                    <button type="button" on:click=move |_| sort.update(|s| *s = s.click(col))>
                        {col.label()}
                        <span class="sort-glyph" aria-hidden="true">
                            {glyph}
                        </span>
                    </button>
                </th>
            }
        })
        .collect_view();
    let rows = move || {
        let offers = model.with(|m| m.as_ref().map(|m| m.offers.clone()).unwrap_or_default());
        sort_offers(&offers, sort.get())
            .into_iter()
            .map(|offer| {
                let cells = Column::all()
                    .into_iter()
                    .map(|col| {
                        let (text, title) = col.cell(&offer);
                        match col {
                            Column::Offer => view! { <th scope="row" class="text">{text}</th> }.into_any(),
                            _ => {
                                let class = match (col.numeric(), title.is_some()) {
                                    (true, true) => "num null",
                                    (true, false) => "num",
                                    (false, true) => "text null",
                                    (false, false) => "text",
                                };
                                view! {
                                    <td class=class title=title data-col=col.id()>
                                        {text}
                                    </td>
                                }
                                .into_any()
                            }
                        }
                    })
                    .collect_view();
                view! { <tr data-testid="offer-row">{cells}</tr> }
            })
            .collect_view()
    };
    let caption = move || {
        model.with(|m| {
            m.as_ref()
                .map(|m| {
                    let n = m.offers.len();
                    format!("Offers in {} ({} {})", m.label, n, if n == 1 { "offer" } else { "offers" })
                })
                .unwrap_or_default()
        })
    };
    let heading_id = title_id.clone();
    view! {
        <h3 class="subs-section" id=heading_id>
            "Per offer"
        </h3>
        <p class="subs-note">"Select a column header to sort. Empty cells say why when you point at them."</p>
        <div class="table-scroll" role="region" aria-labelledby=title_id tabindex="0">
            <table class="offers" data-testid="offer-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One trend chart: a canvas, its description, and its numbers as a table.
#[component]
fn TrendChart(
    /// What to draw.
    spec: ChartSpec,
    /// Bumped when the colour scheme changes.
    theme_tick: RwSignal<u32>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let size_tick = RwSignal::new(0u32);
    let summary = charts::summary(&spec);
    let unit = spec.unit;
    let head = spec.series.iter().map(|s| view! { <th scope="col">{s.name.clone()}</th> }).collect_view();
    let body = spec
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let cells = spec
                .series
                .iter()
                .map(|s| match s.cells.get(i) {
                    Some(charts::Cell::Value(v)) => view! { <td class="num">{unit.full(*v)}</td> }.into_any(),
                    Some(charts::Cell::Null(why)) => {
                        view! { <td class="num null">"— (" {why.clone()} ")"</td> }.into_any()
                    }
                    _ => view! { <td class="num null">"no report"</td> }.into_any(),
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{slot.label.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let id = spec.id;
    let title = spec.title;
    let draw_spec = spec;
    Effect::new(move |_| {
        theme_tick.track();
        size_tick.track();
        if let Some(el) = canvas.get() {
            paint(&el, &draw_spec);
        }
    });
    Effect::new(move |_| {
        if let Some(el) = canvas.get() {
            on_resize(&el, move || size_tick.update(|n| *n += 1));
        }
    });
    view! {
        <figure class="chart" data-testid=format!("chart-{id}")>
            <figcaption>{title}</figcaption>
            // The CSS size is set here too, so the bitmap (CSS size × device
            // pixel ratio) can never feed back into the layout, even without
            // the style sheet. `--chart-height` changes the height.
            <canvas
                node_ref=canvas
                class="chart-canvas"
                role="img"
                aria-label=summary.clone()
                style:width="100%"
                style:height="var(--chart-height, 15rem)"
            >
                {summary.clone()}
            </canvas>
            <details class="chart-data">
                <summary>"Show data"</summary>
                <div class="table-scroll">
                    <table>
                        <caption class="visually-hidden">{title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Period"</th>
                                {head}
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Draws `spec` into the canvas (wasm32 only; natively there is no canvas).
fn paint(canvas: &web_sys::HtmlCanvasElement, spec: &ChartSpec) {
    #[cfg(target_arch = "wasm32")]
    if let Err(e) = charts::draw_on_canvas(canvas, spec) {
        leptos::logging::warn!("chart {}: {e}", spec.id);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (canvas, spec);
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::{analyze, ingest_bytes};

    const HEADER: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions\n";
    const APRIL: &str = "2022,4/1/22,4/30/22,GHI,SQUARERT-9,8.99,HO,0,1245678,0,0,0\n";
    const MAY: &str = "2022,5/1/22,5/31/22,ABC,SQUARERT-1,0,FT,132455,43023,139450,17382,4523\n\
        2022,5/1/22,5/31/22,DEF,SQUARERT-4,8.99,HO,62304,30203,0,1386,422\n\
        2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,1327735,1258343,24385,75849,13403\n";

    /// The guide's worked example: April 2022 (one HO row), May 2022 (three rows).
    fn guide() -> Vec<Period> {
        let files = [
            ingest_bytes("april.csv", format!("{HEADER}{APRIL}").as_bytes()),
            ingest_bytes("may.csv", format!("{HEADER}{MAY}").as_bytes()),
        ];
        analyze(&files).subscriptions
    }

    fn card<'a>(cards: &'a [Card], key: &str) -> &'a Card {
        cards.iter().find(|c| c.key == key).expect("a card")
    }

    #[test]
    fn latest_period_of_the_worked_example() {
        let periods = guide();
        let m = view_model(&periods, None, None).expect("a model");
        assert_eq!(m.label, "May 2022");
        assert_eq!(m.cadence, Cadence::Monthly);
        assert_eq!(m.cadences, [Cadence::Monthly]);
        assert_eq!(m.provenance, "from 3 rows in may.csv");
        assert_eq!(m.compared, "Changes are against April 2022.");
        assert_eq!(
            m.options,
            [
                ("monthly:2022-05-01:2022-05-31".to_string(), "May 2022".to_string()),
                ("monthly:2022-04-01:2022-04-30".to_string(), "April 2022".to_string())
            ]
        );
        let values: Vec<(&str, Option<&str>)> = m.cards.iter().map(|c| (c.key, c.value.as_deref())).collect();
        assert_eq!(
            values,
            [
                ("eop_paid_subs", Some("1,288,546")),
                ("paid_cancels", Some("77,235")),
                ("churn_rate", Some("5.66%")),
                ("ft_starts", Some("139,450")),
                ("ho_starts", Some("24,385")),
                ("total_starts", Some("163,835")),
                ("eop_conversions", Some("95,718")),
                ("conversion_rate", Some("84.63%")),
                ("net_adds", Some("42,868")),
            ]
        );
        let churn = card(&m.cards, "churn_rate");
        assert_eq!(churn.worked.as_deref(), Some("77,235 ÷ (1,288,546 + 77,235)"));
        assert_eq!(churn.formula, "paid cancels ÷ (EOP paid subs + paid cancels)");
        // April's churn is 0% (no cancels), so May's is up: bad news, in points.
        let pop = churn.pop.as_ref().expect("a change");
        assert_eq!(pop.text, "▲ 5.66 pts");
        assert_eq!(pop.label, "up 5.66 percentage points from April 2022");
        assert_eq!(pop.tone, format::Tone::Bad);
        let eop = card(&m.cards, "eop_paid_subs");
        assert_eq!(eop.formula, "Σ Month End Subscriptions where category is HO");
        assert_eq!(eop.pop.as_ref().map(|p| p.text.as_str()), Some("▲ 3.4%"));
        assert_eq!(
            card(&m.cards, "eop_conversions").worked.as_deref(),
            Some("1,288,546 − 1,245,678 + 77,235 − 24,385")
        );
        assert_eq!(card(&m.cards, "net_adds").worked.as_deref(), Some("24,385 + 95,718 − 77,235"));
        // April has no net adds, so May's has no change figure.
        assert_eq!(card(&m.cards, "net_adds").pop, None);
        assert!(m.warnings.is_empty());
        assert_eq!(m.offers.len(), 3);

        let ar = card(&m.extras, "ar_off_rate");
        assert_eq!(ar.value.as_deref(), Some("1.21%"));
        assert_eq!(ar.worked.as_deref(), Some("18,348 ÷ 1,522,494"));
        let revenue = card(&m.extras, "est_revenue_run_rate");
        assert!(revenue.estimate);
        assert_eq!(revenue.value.as_deref(), Some("11,584,028.54"));
        assert_eq!(card(&m.extras, "est_arpu").value.as_deref(), Some("8.99"));
        assert!(m.extras.iter().all(|c| !c.key.contains("charged")), "no charged-customer columns in this report");
    }

    #[test]
    fn picking_april_shows_nulls_with_their_reasons() {
        let periods = guide();
        let m = view_model(&periods, None, Some("monthly:2022-04-01:2022-04-30")).expect("a model");
        assert_eq!(m.label, "April 2022");
        assert_eq!(m.provenance, "from 1 row in april.csv");
        assert_eq!(m.compared, "No change figures: no report for 2022-03.");
        let net = card(&m.cards, "net_adds");
        assert_eq!(net.value, None);
        assert_eq!(net.why.as_deref(), Some("no report for 2022-03"));
        assert!(m.cards.iter().all(|c| c.pop.is_none()));
        // A key no longer present falls back to the latest period.
        let m = view_model(&periods, None, Some("monthly:2019-01-01:2019-01-31")).expect("a model");
        assert_eq!(m.label, "May 2022");
        assert!(view_model(&[], None, None).is_none());
    }

    #[test]
    fn weekly_and_monthly_one_cadence_at_a_time() {
        let weekly = "Report Start,Report End,Offer ID,Subscription Category,Week End Subscriptions,New Subscriptions,Cancelled Subscriptions\n\
            11/29/2017,12/5/2017,X,HO,100,10,5\n";
        let mut files = vec![ingest_bytes("week.csv", weekly.as_bytes())];
        files.push(ingest_bytes("may.csv", format!("{HEADER}{MAY}").as_bytes()));
        let periods = analyze(&files).subscriptions;
        let m = view_model(&periods, None, None).expect("a model");
        assert_eq!(
            (m.cadences.as_slice(), m.cadence),
            ([Cadence::Monthly, Cadence::Weekly].as_slice(), Cadence::Monthly)
        );
        assert_eq!(m.label, "May 2022");
        let w = view_model(&periods, Some(Cadence::Weekly), Some(&m.selected)).expect("a model");
        assert_eq!(w.label, "2017-11-29 – 2017-12-05");
        assert_eq!(w.options.len(), 1);
        assert_eq!(card(&w.cards, "eop_paid_subs").formula, "Σ Week End Subscriptions where category is HO");
    }

    #[test]
    fn conflicts_and_duplicates_are_warnings() {
        let may = format!("{HEADER}{MAY}");
        let files = [
            ingest_bytes("may.csv", may.as_bytes()),
            ingest_bytes("may copy.csv", format!("{may}\n").as_bytes()),
            ingest_bytes("may edited.csv", may.replace("1258343", "1258344").as_bytes()),
        ];
        let periods = analyze(&files).subscriptions;
        let m = view_model(&periods, None, None).expect("a model");
        assert!(
            m.warnings.iter().any(|w| matches!(w, Warning::Duplicate(t) if t.contains("may copy.csv"))),
            "{:?}",
            m.warnings
        );
        assert!(
            m.warnings.iter().any(|w| matches!(w, Warning::Conflict(t) if t.contains("may edited.csv"))),
            "{:?}",
            m.warnings
        );
        let churn = card(&m.cards, "churn_rate");
        assert_eq!(churn.value, None);
        assert!(churn.why.as_deref().is_some_and(|w| w.starts_with("files disagree")), "{:?}", churn.why);
    }

    #[test]
    fn offers_sort_by_any_column_with_nulls_last() {
        let periods = guide();
        let offers = &periods[1].offers;
        let ids = |sort: Sort| sort_offers(offers, sort).into_iter().map(|o| o.offer_id).collect::<Vec<_>>();
        assert_eq!(ids(Sort::default()), ["ABC", "DEF", "GHI"]);
        let eop = Column::Metric(0);
        assert_eq!(eop.id(), "eop_paid_subs");
        // First click on a number column: high to low. ABC is FT only: its EOP paid subs is 0.
        let s = Sort::default().click(eop);
        assert_eq!((s.descending, s.aria(eop), s.aria(Column::Offer)), (true, Some("descending"), None));
        assert_eq!(ids(s), ["GHI", "DEF", "ABC"]);
        let s = s.click(eop);
        assert_eq!(ids(s), ["ABC", "DEF", "GHI"]);
        // Net adds (DEF 30,203, GHI 12,665) are null for the FT-only offer: last in both directions.
        let net = Column::Metric(8);
        let s = Sort::default().click(net);
        assert_eq!(ids(s), ["DEF", "GHI", "ABC"]);
        assert_eq!(ids(s.click(net)), ["GHI", "DEF", "ABC"]);
        assert_eq!(net.cell(&offers[1]).0, "30,203");
        let abc = &offers[0];
        let (text, title) = net.cell(abc);
        assert_eq!(text, "—");
        assert!(title.is_some_and(|t| !t.is_empty()));
        assert_eq!(Column::Metric(2).cell(&offers[2]).0, "5.69%");
        assert_eq!(Column::Billing.cell(&offers[2]).0, "8.99");
        assert_eq!(Column::Subscription.cell(&offers[1]).0, "SQUARERT-4");
        // Text columns start A to Z.
        let s = Sort { column: eop, descending: true }.click(Column::Subscription);
        assert!(!s.descending);
        assert_eq!(Column::all().len(), 13);
    }
}
