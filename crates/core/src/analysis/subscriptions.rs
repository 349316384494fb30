//! The nine Slate subscription metrics, per period and per offer, across files.
//!
//! Formulas (from the Channels report guide, "Metrics definitions"; where the
//! guide's arithmetic has typos, its worked numbers win):
//!
//! 1. EOP paid (HO) subs = Σ Month/Week End Subscriptions where HO
//! 2. Paid (HO) cancels = Σ Cancelled Subscriptions where HO
//! 3. Churn rate = HO cancels / (HO EOP + HO cancels)
//! 4. FT starts = Σ New Subscriptions where FT
//! 5. HO starts = Σ New Subscriptions where HO
//! 6. Total starts = Σ New Subscriptions
//! 7. EOP conversions = HO EOP − HO EOP of the previous period + HO cancels − HO starts
//! 8. Conversion rate = conversions / (conversions + FT cancels)
//! 9. Net adds = HO starts + conversions − HO cancels
//!
//! Periods are grouped by (cadence, start, end). Metrics 7 to 9 need the
//! period of the same cadence that ends the day before this one starts; when
//! it is absent they are `null` with the reason, never taken from a further
//! period. A sum over a missing cell is `null` too (missing is not zero).
//!
//! Across files, rows for the same period, offer and category are counted
//! once: equal rows in a second file are a duplicate; different ones a
//! conflict, which makes the period's totals `null` until one file is removed.

use crate::kinds::subscriptions::{Cadence, Category, Row};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The rows of one Contractual Subscriptions file, as the analysis takes them.
#[derive(Debug, Clone, Copy)]
pub struct FileRows<'a> {
    /// The file's name (for duplicate and conflict messages).
    pub name: &'a str,
    /// Its cadence per its header (`Month End` or `Week End Subscriptions`), if the header says.
    pub header_cadence: Option<Cadence>,
    /// Its rows.
    pub rows: &'a [Row],
}

/// The nine metrics (and what an analyst asks next) for a period or an offer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// 1. Σ End Subscriptions where HO.
    pub eop_paid_subs: Option<i64>,
    /// 2. Σ Cancelled Subscriptions where HO.
    pub paid_cancels: Option<i64>,
    /// 3. HO cancels / (HO EOP + HO cancels), a fraction.
    pub churn_rate: Option<Decimal>,
    /// 4. Σ New Subscriptions where FT.
    pub ft_starts: Option<i64>,
    /// 5. Σ New Subscriptions where HO.
    pub ho_starts: Option<i64>,
    /// 6. Σ New Subscriptions.
    pub total_starts: Option<i64>,
    /// 7. FT-to-HO conversions implied by the EOP movement.
    pub eop_conversions: Option<i64>,
    /// 8. conversions / (conversions + FT cancels), a fraction.
    pub conversion_rate: Option<Decimal>,
    /// 9. HO starts + conversions − HO cancels.
    pub net_adds: Option<i64>,
    /// Σ Cancelled Subscriptions where FT (the denominator of 8).
    pub ft_cancels: Option<i64>,
    /// HO EOP of the previous period (the input of 7).
    pub prev_eop_paid_subs: Option<i64>,
    /// Σ Active Subscriptions (all categories).
    pub active_subs: Option<i64>,
    /// Σ AR-Off Subscriptions (all categories).
    pub ar_off_subs: Option<i64>,
    /// AR-off / active, a fraction.
    pub ar_off_rate: Option<Decimal>,
    /// Estimate: Σ Billing Amount × End Subscriptions over HO rows.
    pub est_revenue_run_rate: Option<Decimal>,
    /// Estimate: the run-rate / HO EOP.
    pub est_arpu: Option<Decimal>,
    /// Σ Estimated Charged Customers (monthly reports only).
    pub est_charged_customers: Option<i64>,
    /// Σ Estimated Late Charged Customers (monthly reports only).
    pub est_late_charged_customers: Option<i64>,
    /// Why a metric is `null`, by metric name.
    pub why_null: BTreeMap<String, String>,
}

/// Names of the nine metrics in order, as JSON keys.
pub const NINE: [&str; 9] = [
    "eop_paid_subs",
    "paid_cancels",
    "churn_rate",
    "ft_starts",
    "ho_starts",
    "total_starts",
    "eop_conversions",
    "conversion_rate",
    "net_adds",
];

/// One offer's metrics within a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferMetrics {
    /// The Offer ID.
    pub offer_id: String,
    /// Its plan name(s) as written in the period's rows.
    pub subscription: Option<String>,
    /// Its billing amount, when one amount is written.
    pub billing_amount: Option<Decimal>,
    /// Rows behind these numbers.
    pub rows: usize,
    /// The metrics.
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// A period's change against the previous period of the same cadence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// This minus previous, by metric name (counts and rates alike; rates in fraction points).
    pub delta: BTreeMap<String, Decimal>,
    /// (this − previous) / |previous|, by metric name, where previous is not zero.
    pub relative: BTreeMap<String, Decimal>,
}

/// The metrics of one reporting period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Monthly or weekly.
    pub cadence: Cadence,
    /// The period's metrics over every offer.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Change against the previous period (absent when there is none).
    pub change: Option<Change>,
    /// Per Offer ID, sorted by ID.
    pub offers: Vec<OfferMetrics>,
    /// Rows behind these numbers.
    pub rows: usize,
    /// Files the rows came from.
    pub files: Vec<String>,
    /// Rows of a later file equal to an earlier file's, counted once.
    pub duplicates: Vec<String>,
    /// Offers on which two files disagree; the period's totals are `null` while they do.
    pub conflicts: Vec<String>,
}

/// A period's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct PeriodKey {
    start: NaiveDate,
    end: NaiveDate,
    cadence: Cadence,
}

impl PeriodKey {
    fn name(&self) -> String {
        match self.cadence {
            Cadence::Monthly if self.start.day() == 1 => self.start.format("%Y-%m").to_string(),
            _ => format!("{} to {}", self.start, self.end),
        }
    }

    /// The period of the same cadence that ends the day before this one starts.
    fn previous(&self) -> Option<PeriodKey> {
        let end = self.start.pred_opt()?;
        let start = match self.cadence {
            Cadence::Monthly if self.start.day() == 1 => end.with_day(1)?,
            _ => end - (self.end - self.start),
        };
        Some(PeriodKey { start, end, cadence: self.cadence })
    }
}

/// Totals of one offer and category within a period, from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sums {
    rows: Vec<u64>,
    end_subs: Opt,
    new_subs: Opt,
    cancelled: Opt,
    active: Opt,
    ar_off: Opt,
    est_charged: Opt,
    est_late_charged: Opt,
    /// Σ billing × end subs; `None` when any row lacks either.
    revenue: Option<Decimal>,
    names: BTreeSet<String>,
    amounts: BTreeSet<Decimal>,
}

/// A sum that becomes unknown as soon as one term is missing, remembering the
/// first missing row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Opt {
    sum: i64,
    terms: u32,
    missing_line: Option<u64>,
}

impl Opt {
    fn add(&mut self, v: Option<i64>, line: u64) {
        match v {
            Some(v) => {
                self.sum += v;
                self.terms += 1;
            }
            None => {
                self.missing_line.get_or_insert(line);
            }
        }
    }

    fn merge(&mut self, o: &Opt) {
        self.sum += o.sum;
        self.terms += o.terms;
        if self.missing_line.is_none() {
            self.missing_line = o.missing_line;
        }
    }

    /// The sum, or why it is unknown.
    fn get(&self, column: &str) -> Result<i64, String> {
        match self.missing_line {
            None => Ok(self.sum),
            Some(line) => Err(format!("\"{column}\" is empty on line {line}")),
        }
    }

    /// For optional columns: the sum, or why not (no values at all, or one missing).
    fn get_optional(&self, column: &str) -> Result<i64, String> {
        if self.terms == 0 {
            return Err(format!("no \"{column}\" values (the report may not have this column)"));
        }
        self.get(column)
    }
}

impl Sums {
    fn add(&mut self, r: &Row) {
        self.rows.push(r.line);
        self.end_subs.add(r.end_subs, r.line);
        self.new_subs.add(r.new_subs, r.line);
        self.cancelled.add(r.cancelled, r.line);
        self.active.add(r.active, r.line);
        self.ar_off.add(r.ar_off, r.line);
        self.est_charged.add(r.est_charged, r.line);
        self.est_late_charged.add(r.est_late_charged, r.line);
        let rev = r.billing_amount.zip(r.end_subs).map(|(b, n)| b * Decimal::from(n));
        self.revenue = match (self.rows.len(), self.revenue, rev) {
            (1, _, r) => r,
            (_, Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        if let Some(n) = &r.subscription {
            self.names.insert(n.clone());
        }
        if let Some(a) = r.billing_amount {
            self.amounts.insert(a);
        }
    }

    fn merge(&mut self, o: &Sums) {
        let first = self.rows.is_empty();
        self.rows.extend(&o.rows);
        self.end_subs.merge(&o.end_subs);
        self.new_subs.merge(&o.new_subs);
        self.cancelled.merge(&o.cancelled);
        self.active.merge(&o.active);
        self.ar_off.merge(&o.ar_off);
        self.est_charged.merge(&o.est_charged);
        self.est_late_charged.merge(&o.est_late_charged);
        self.revenue = if first { o.revenue } else { self.revenue.zip(o.revenue).map(|(a, b)| a + b) };
        self.names.extend(o.names.iter().cloned());
        self.amounts.extend(o.amounts.iter().copied());
    }

    /// Whether two files say the same for this offer and category: equal on
    /// every measure both have in full (a column one file lacks is no disagreement).
    fn same_numbers(&self, o: &Sums) -> bool {
        let measures =
            |s: &Sums| [s.end_subs, s.new_subs, s.cancelled, s.active, s.ar_off, s.est_charged, s.est_late_charged];
        measures(self).iter().zip(measures(o)).all(|(a, b)| {
            let complete = |x: &Opt| x.terms > 0 && x.missing_line.is_none();
            !(complete(a) && complete(&b)) || a.sum == b.sum
        })
    }
}

/// Category totals of one offer (or of a whole period).
#[derive(Debug, Clone, Default)]
struct ByCategory {
    ft: Sums,
    ho: Sums,
}

impl ByCategory {
    fn merge(&mut self, o: &ByCategory) {
        self.ft.merge(&o.ft);
        self.ho.merge(&o.ho);
    }

    fn rows(&self) -> usize {
        self.ft.rows.len() + self.ho.rows.len()
    }
}

fn rate(num: i64, den: i64) -> Option<Decimal> {
    (den != 0).then(|| Decimal::from(num) / Decimal::from(den))
}

/// Computes the metrics from category totals and the previous period's HO EOP.
fn compute(c: &ByCategory, prev_eop: Result<i64, String>) -> Metrics {
    let mut m = Metrics::default();
    let mut why = BTreeMap::new();
    let mut take =
        |name: &'static str, v: Result<i64, String>| -> Option<i64> { v.map_err(|e| why.insert(name, e)).ok() };
    m.eop_paid_subs = take("eop_paid_subs", c.ho.end_subs.get("End Subscriptions"));
    m.paid_cancels = take("paid_cancels", c.ho.cancelled.get("Cancelled Subscriptions"));
    m.ft_starts = take("ft_starts", c.ft.new_subs.get("New Subscriptions"));
    m.ho_starts = take("ho_starts", c.ho.new_subs.get("New Subscriptions"));
    let mut all_new = c.ft.new_subs;
    all_new.merge(&c.ho.new_subs);
    m.total_starts = take("total_starts", all_new.get("New Subscriptions"));
    m.ft_cancels = take("ft_cancels", c.ft.cancelled.get("Cancelled Subscriptions"));
    m.prev_eop_paid_subs = take("prev_eop_paid_subs", prev_eop);
    let mut active = c.ft.active;
    active.merge(&c.ho.active);
    let mut ar_off = c.ft.ar_off;
    ar_off.merge(&c.ho.ar_off);
    // Optional columns: no value in any row (or no such column) is said so, not
    // blamed on the first row.
    m.active_subs = take("active_subs", active.get_optional("Active Subscriptions"));
    m.ar_off_subs = take("ar_off_subs", ar_off.get_optional("AR-Off Subscriptions"));
    let mut charged = c.ft.est_charged;
    charged.merge(&c.ho.est_charged);
    let mut late = c.ft.est_late_charged;
    late.merge(&c.ho.est_late_charged);
    if charged.terms > 0 {
        m.est_charged_customers = take("est_charged_customers", charged.get("Estimated Charged Customers"));
    }
    if late.terms > 0 {
        m.est_late_charged_customers = take("est_late_charged_customers", late.get("Estimated Late Charged Customers"));
    }

    if let (Some(eop), Some(cancels)) = (m.eop_paid_subs, m.paid_cancels) {
        m.churn_rate = rate(cancels, eop + cancels);
        if m.churn_rate.is_none() {
            why.insert("churn_rate", "no HO subscribers or cancels in this period".to_string());
        }
    } else {
        why.insert("churn_rate", "needs EOP paid subs and paid cancels".to_string());
    }
    match (m.eop_paid_subs, m.prev_eop_paid_subs, m.paid_cancels, m.ho_starts) {
        _ if c.ho.rows.is_empty() => {
            for k in ["eop_conversions", "conversion_rate", "net_adds"] {
                why.insert(k, "no HO rows: these trials convert into another offer".to_string());
            }
        }
        (Some(eop), Some(prev), Some(cancels), Some(starts)) => {
            let conv = eop - prev + cancels - starts;
            m.eop_conversions = Some(conv);
            m.net_adds = Some(starts + conv - cancels);
            match m.ft_cancels {
                // Slate gives FT and HO plans their own Offer IDs: an offer without FT rows
                // has its trials (and their cancels) under another offer.
                _ if c.ft.rows.is_empty() => {
                    why.insert("conversion_rate", "no FT rows: the FT cancels are under another offer".to_string());
                }
                Some(ftc) if conv >= 0 && conv + ftc > 0 => m.conversion_rate = rate(conv, conv + ftc),
                Some(_) if conv < 0 => {
                    why.insert("conversion_rate", format!("conversions are negative ({conv}), so no rate"));
                }
                Some(_) => {
                    why.insert("conversion_rate", "no conversions and no FT cancels".to_string());
                }
                None => {
                    why.insert("conversion_rate", "needs FT cancels".to_string());
                }
            }
        }
        _ => {
            let reason = why
                .get("prev_eop_paid_subs")
                .cloned()
                .unwrap_or_else(|| "needs this and the previous period's EOP, HO cancels and HO starts".to_string());
            for k in ["eop_conversions", "conversion_rate", "net_adds"] {
                why.insert(k, reason.clone());
            }
        }
    }
    match (m.active_subs, m.ar_off_subs) {
        (Some(a), Some(r)) => {
            m.ar_off_rate = rate(r, a);
            if m.ar_off_rate.is_none() {
                why.insert("ar_off_rate", "no active subscriptions".to_string());
            }
        }
        _ => {
            why.insert("ar_off_rate", "needs Active and AR-Off Subscriptions".to_string());
        }
    }
    if let Some(revenue) = c.ho.revenue {
        m.est_revenue_run_rate = Some(revenue);
        m.est_arpu = m.eop_paid_subs.and_then(|e| (e != 0).then(|| revenue / Decimal::from(e)));
        if m.est_arpu.is_none() {
            why.insert("est_arpu", "no HO subscribers at the end of the period".to_string());
        }
    } else {
        let reason = "needs a Billing Amount and End Subscriptions on every HO row".to_string();
        why.insert("est_revenue_run_rate", reason.clone());
        why.insert("est_arpu", reason);
    }
    m.why_null = why.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    m
}

fn metric_values(m: &Metrics) -> [(&'static str, Option<Decimal>); 9] {
    let d = |v: Option<i64>| v.map(Decimal::from);
    [
        ("eop_paid_subs", d(m.eop_paid_subs)),
        ("paid_cancels", d(m.paid_cancels)),
        ("churn_rate", m.churn_rate),
        ("ft_starts", d(m.ft_starts)),
        ("ho_starts", d(m.ho_starts)),
        ("total_starts", d(m.total_starts)),
        ("eop_conversions", d(m.eop_conversions)),
        ("conversion_rate", m.conversion_rate),
        ("net_adds", d(m.net_adds)),
    ]
}

fn change(now: &Metrics, prev: &Metrics) -> Change {
    let mut c = Change::default();
    for ((name, a), (_, b)) in metric_values(now).into_iter().zip(metric_values(prev)) {
        if let (Some(a), Some(b)) = (a, b) {
            c.delta.insert(name.to_string(), a - b);
            if !b.is_zero() {
                c.relative.insert(name.to_string(), (a - b) / b.abs());
            }
        }
    }
    c
}

/// Per period: per offer: category totals, plus bookkeeping.
#[derive(Default)]
struct PeriodAcc {
    offers: BTreeMap<String, ByCategory>,
    /// Which file first gave each (offer, category).
    source: BTreeMap<(String, Category), usize>,
    files: BTreeSet<usize>,
    duplicates: BTreeSet<String>,
    conflicts: Vec<String>,
}

/// Computes every period's metrics from the rows of all subscription files
/// (files given in the order the user dropped them).
pub fn analyze(files: &[FileRows]) -> Vec<Period> {
    let mut periods: BTreeMap<PeriodKey, PeriodAcc> = BTreeMap::new();
    for (fi, file) in files.iter().enumerate() {
        // This file's sums per period, offer and category.
        let mut mine: BTreeMap<(PeriodKey, String, Category), Sums> = BTreeMap::new();
        for r in file.rows {
            let key = PeriodKey {
                start: r.start,
                end: r.end,
                cadence: Cadence::of_period(r.start, r.end, file.header_cadence),
            };
            mine.entry((key, r.offer_id.clone(), r.category)).or_default().add(r);
        }
        for ((pk, offer, cat), sums) in mine {
            let acc = periods.entry(pk).or_default();
            match acc.source.get(&(offer.clone(), cat)) {
                Some(&first) if first != fi => {
                    let existing = acc.offers.get(&offer).map(|c| match cat {
                        Category::FreeTrial => &c.ft,
                        Category::HardOffer => &c.ho,
                    });
                    let cat_name = if cat == Category::FreeTrial { "FT" } else { "HO" };
                    if existing.is_some_and(|e| e.same_numbers(&sums)) {
                        acc.duplicates.insert(format!(
                            "{}: rows for {} duplicate {} and were counted once",
                            file.name,
                            pk.name(),
                            files[first].name
                        ));
                    } else {
                        acc.conflicts.push(format!(
                            "{} and {} disagree on offer \"{offer}\" ({cat_name}) for {}",
                            files[first].name,
                            file.name,
                            pk.name()
                        ));
                    }
                }
                _ => {
                    acc.source.insert((offer.clone(), cat), fi);
                    acc.files.insert(fi);
                    let entry = acc.offers.entry(offer).or_default();
                    match cat {
                        Category::FreeTrial => entry.ft.merge(&sums),
                        Category::HardOffer => entry.ho.merge(&sums),
                    }
                }
            }
        }
    }

    // Period totals and per-offer HO EOP, for the previous-period lookups.
    let totals: BTreeMap<PeriodKey, ByCategory> = periods
        .iter()
        .map(|(k, acc)| {
            let mut t = ByCategory::default();
            for c in acc.offers.values() {
                t.merge(c);
            }
            (*k, t)
        })
        .collect();

    let mut out = Vec::new();
    let mut computed: BTreeMap<PeriodKey, Metrics> = BTreeMap::new();
    for (key, acc) in &periods {
        let prev_key = key.previous();
        let prev = prev_key.and_then(|p| periods.get(&p).map(|a| (p, a)));
        let prev_total_eop = match (prev, prev_key) {
            (Some((p, pacc)), _) if !pacc.conflicts.is_empty() => {
                Err(format!("the report for {} has conflicting files", p.name()))
            }
            (Some((p, _)), _) => {
                totals[&p].ho.end_subs.get("End Subscriptions").map_err(|e| format!("{} report: {e}", p.name()))
            }
            (None, Some(p)) => Err(format!("no report for {}", p.name())),
            (None, None) => Err("no previous period".to_string()),
        };
        let mut metrics = compute(&totals[key], prev_total_eop);
        if !acc.conflicts.is_empty() {
            let reason = format!("files disagree: {}", acc.conflicts.join("; "));
            metrics = Metrics::default();
            for k in NINE {
                metrics.why_null.insert(k.to_string(), reason.clone());
            }
        }
        let offers =
            acc.offers
                .iter()
                .map(|(offer_id, c)| {
                    let prev_eop = match prev {
                        Some((p, pacc)) => match pacc.offers.get(offer_id) {
                            Some(pc) => {
                                pc.ho.end_subs.get("End Subscriptions").map_err(|e| format!("{} report: {e}", p.name()))
                            }
                            // The previous report exists and lists no such offer: it had no subscribers then.
                            None => Ok(0),
                        },
                        None => Err(prev_key
                            .map_or("no previous period".to_string(), |p| format!("no report for {}", p.name()))),
                    };
                    let names: BTreeSet<&String> = c.ft.names.iter().chain(&c.ho.names).collect();
                    let amounts: BTreeSet<&Decimal> = c.ho.amounts.iter().chain(&c.ft.amounts).collect();
                    OfferMetrics {
                        offer_id: offer_id.clone(),
                        subscription: (!names.is_empty())
                            .then(|| names.into_iter().cloned().collect::<Vec<_>>().join(" / ")),
                        billing_amount: (amounts.len() == 1).then(|| **amounts.iter().next().expect("one amount")),
                        rows: c.rows(),
                        metrics: compute(c, prev_eop),
                    }
                })
                .collect();
        let change = prev.and_then(|(p, _)| computed.get(&p)).map(|pm| change(&metrics, pm));
        computed.insert(*key, metrics.clone());
        out.push(Period {
            start: key.start,
            end: key.end,
            cadence: key.cadence,
            metrics,
            change,
            offers,
            rows: totals[key].rows(),
            files: acc.files.iter().map(|&i| files[i].name.to_string()).collect(),
            duplicates: acc.duplicates.iter().cloned().collect(),
            conflicts: acc.conflicts.clone(),
        });
    }
    out.sort_by_key(|p| (p.start, p.cadence, p.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn row(line: u64, start: &str, end: &str, offer: &str, cat: Category, vals: [i64; 4]) -> Row {
        Row {
            line,
            start: NaiveDate::from_str(start).unwrap(),
            end: NaiveDate::from_str(end).unwrap(),
            offer_id: offer.to_string(),
            subscription: None,
            billing_amount: Some(Decimal::from_str("8.99").unwrap()),
            category: cat,
            active: Some(vals[0]),
            end_subs: Some(vals[1]),
            new_subs: Some(vals[2]),
            cancelled: Some(vals[3]),
            ar_off: None,
            est_charged: None,
            est_late_charged: None,
        }
    }

    /// The guide's worked example: three rows of May 2022, previous EOP 1,245,678.
    #[test]
    fn worked_example_from_the_guide() {
        use Category::*;
        let april = [row(2, "2022-04-01", "2022-04-30", "GHI", HardOffer, [0, 1_245_678, 0, 0])];
        let may = [
            row(2, "2022-05-01", "2022-05-31", "ABC", FreeTrial, [132_455, 43_023, 139_450, 17_382]),
            row(3, "2022-05-01", "2022-05-31", "DEF", HardOffer, [62_304, 30_203, 0, 1_386]),
            row(4, "2022-05-01", "2022-05-31", "GHI", HardOffer, [1_327_735, 1_258_343, 24_385, 75_849]),
        ];
        let files = [
            FileRows { name: "april.csv", header_cadence: Some(Cadence::Monthly), rows: &april },
            FileRows { name: "may.csv", header_cadence: Some(Cadence::Monthly), rows: &may },
        ];
        let periods = analyze(&files);
        assert_eq!(periods.len(), 2);
        let m = &periods[1].metrics;
        assert_eq!(m.eop_paid_subs, Some(1_288_546));
        assert_eq!(m.paid_cancels, Some(77_235));
        assert_eq!(m.churn_rate.unwrap().round_dp(5), Decimal::from_str("0.05655").unwrap());
        assert_eq!(m.ft_starts, Some(139_450));
        assert_eq!(m.ho_starts, Some(24_385));
        assert_eq!(m.total_starts, Some(163_835));
        assert_eq!(m.eop_conversions, Some(95_718));
        assert_eq!(m.conversion_rate.unwrap().round_dp(4), Decimal::from_str("0.8463").unwrap());
        assert_eq!(m.net_adds, Some(42_868));
        // Exact, not rounded: 77235 / 1365781 and 95718 / 113100.
        assert_eq!(m.churn_rate, Some(Decimal::from(77_235) / Decimal::from(1_365_781)));
        assert_eq!(m.conversion_rate, Some(Decimal::from(95_718) / Decimal::from(113_100)));
        // April has no previous report: 7 to 9 are null with the reason.
        let a = &periods[0].metrics;
        assert_eq!(a.eop_conversions, None);
        assert_eq!(a.why_null["eop_conversions"], "no report for 2022-03");
    }

    #[test]
    fn missing_previous_period_is_not_bridged() {
        use Category::*;
        let jan = [row(2, "2024-01-01", "2024-01-31", "X", HardOffer, [0, 100, 10, 5])];
        let mar = [row(2, "2024-03-01", "2024-03-31", "X", HardOffer, [0, 120, 10, 5])];
        let files = [
            FileRows { name: "jan.csv", header_cadence: None, rows: &jan },
            FileRows { name: "mar.csv", header_cadence: None, rows: &mar },
        ];
        let p = analyze(&files);
        assert_eq!(p[1].metrics.eop_conversions, None);
        assert_eq!(p[1].metrics.why_null["net_adds"], "no report for 2024-02");
        assert!(p[1].change.is_none());
    }

    #[test]
    fn duplicates_count_once_and_conflicts_block_totals() {
        use Category::*;
        let a = [row(2, "2024-01-01", "2024-01-31", "X", HardOffer, [0, 100, 10, 5])];
        let b = a.clone();
        let mut c = a.clone();
        c[0].end_subs = Some(101);
        let dup = analyze(&[
            FileRows { name: "a.csv", header_cadence: None, rows: &a },
            FileRows { name: "b.csv", header_cadence: None, rows: &b },
        ]);
        assert_eq!(dup[0].metrics.eop_paid_subs, Some(100));
        assert_eq!(dup[0].duplicates.len(), 1);
        let conflict = analyze(&[
            FileRows { name: "a.csv", header_cadence: None, rows: &a },
            FileRows { name: "c.csv", header_cadence: None, rows: &c },
        ]);
        assert_eq!(conflict[0].metrics.eop_paid_subs, None);
        assert_eq!(conflict[0].conflicts, vec!["a.csv and c.csv disagree on offer \"X\" (HO) for 2024-01"]);
    }

    #[test]
    fn missing_cells_make_sums_null_not_zero() {
        use Category::*;
        let mut r = row(7, "2024-01-01", "2024-01-31", "X", HardOffer, [0, 100, 10, 5]);
        r.cancelled = None;
        let p = analyze(&[FileRows { name: "a.csv", header_cadence: None, rows: &[r] }]);
        assert_eq!(p[0].metrics.paid_cancels, None);
        assert_eq!(p[0].metrics.why_null["paid_cancels"], "\"Cancelled Subscriptions\" is empty on line 7");
        assert_eq!(p[0].metrics.eop_paid_subs, Some(100));
    }

    #[test]
    fn an_absent_optional_column_is_not_blamed_on_a_line() {
        let mut r = row(2, "2024-01-01", "2024-01-31", "X", Category::HardOffer, [0, 100, 10, 5]);
        r.active = None;
        let p = analyze(&[FileRows { name: "a.csv", header_cadence: None, rows: &[r] }]);
        let why = &p[0].metrics.why_null;
        assert_eq!(why["active_subs"], "no \"Active Subscriptions\" values (the report may not have this column)");
        assert_eq!(why["ar_off_rate"], "needs Active and AR-Off Subscriptions");
        assert_eq!(p[0].metrics.est_revenue_run_rate, Some(Decimal::from_str("899").unwrap()));
    }

    #[test]
    fn weekly_periods_chain_to_the_previous_week() {
        let k = PeriodKey {
            start: NaiveDate::from_ymd_opt(2017, 11, 29).unwrap(),
            end: NaiveDate::from_ymd_opt(2017, 12, 5).unwrap(),
            cadence: Cadence::Weekly,
        };
        let p = k.previous().unwrap();
        assert_eq!((p.start.to_string(), p.end.to_string()), ("2017-11-22".into(), "2017-11-28".into()));
        assert_eq!(Cadence::of_period(k.start, k.end, None), Cadence::Weekly);
    }
}
