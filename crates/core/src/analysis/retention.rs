//! Contractual Conversion and Retention: cohorts, curves, lifetime and LTV estimates.
//!
//! A cohort is one (Subscription Start Period, Offer ID, Billing Type) row.
//! The same cohort in two files (or twice in one) counts once: equal rows are
//! a duplicate, different rows a conflict; a curve that would include a
//! conflicting cohort is `null` with the reason until one file is removed.
//!
//! # Reading Month N retention
//!
//! The guide defines Month N retention as "the percentage of total signups
//! since SSP that are retained from Month N−1 to Month N". Two readings fit:
//!
//! - **step**: r_n is the share of those retained at month n−1 still retained
//!   at month n; survival from the start is S_n = r_1 × … × r_n.
//! - **cumulative**: r_n is already the share of the signups retained at
//!   month n (it is "of total signups"): S_n = r_n.
//!
//! Both are computed; [`Section::default_reading`] is cumulative when every
//! cohort's written values never go up from one month to the next (what a
//! survival curve must do; step rates are free to go up), and step otherwise,
//! in which case the cumulative reading is marked impossible. The guide's
//! sample (50.5, 40.3, 32.7, … 6.5) reads naturally as cumulative: read as
//! steps, its month 12 survival would be 0.0000…
//!
//! # Curves, lifetime, LTV
//!
//! A curve's month n point is the average of S_n over the cohorts that have
//! month n, weighted by Total Starts: Σ starts × S_n ÷ Σ starts. Later
//! cohorts have fewer months; a missing month is left out, never taken as 0.
//! A cohort without Total Starts is listed but cannot weigh in.
//!
//! Expected lifetime (months) = 1 + Σ S_n over the curve's leading run of
//! known months (at most 12): a lower bound, since the report stops at month 12.
//! The LTV estimate is lifetime × the offer's billing amount, which this
//! report does not carry: the reader supplies it ([`ltv`]).
//!
//! Survival values are rounded to 6 decimals, lifetimes to 4, after the
//! arithmetic (which is exact in `Decimal`).

use super::dedupe::dedupe;
use super::FileRows;
use crate::kinds::conversion_retention::Row;
use crate::kinds::subscriptions::Category;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Months of retention the report carries.
pub const MONTHS: usize = 12;

/// How the written Month N retention values are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Month N is the share retained from month N−1 to N; survival is the running product.
    Step,
    /// Month N is the share of the cohort's signups still retained at month N.
    #[default]
    Cumulative,
}

/// The lifetime formula, as shown to the reader.
pub const LIFETIME_FORMULA: &str = "expected lifetime (months) = 1 + Σ S_n for n = 1..12 (known months only; a lower bound: the report stops at month 12)";

/// The LTV formula, as shown to the reader.
pub const LTV_FORMULA: &str = "LTV estimate = expected lifetime (months) × billing amount per month";

/// The LTV estimate: `lifetime × price`, rounded to cents.
pub fn ltv(lifetime: Decimal, price: Decimal) -> Decimal {
    (lifetime * price).round_dp(2)
}

/// One cohort as read, with its survival under both readings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// Subscription Start Period.
    pub start_period: NaiveDate,
    /// The offer.
    pub offer_id: String,
    /// Its plan name.
    pub offer_name: Option<String>,
    /// FT or HO.
    pub billing_type: Category,
    /// Total Starts.
    pub total_starts: Option<i64>,
    /// FT Conversion, a fraction.
    pub ft_conversion: Option<Decimal>,
    /// Month 1..12 retention as written, fractions.
    pub written: Vec<Option<Decimal>>,
    /// S_1..S_12 under the step reading (running product; `null` after a gap).
    pub survival_step: Vec<Option<Decimal>>,
    /// Where the row is: `file.csv line 3`.
    pub source: String,
    /// Why this cohort is left out of curves (a conflict between files).
    pub conflict: Option<String>,
}

impl Cohort {
    /// S_1..S_12 under `reading`.
    pub fn survival(&self, reading: Reading) -> &[Option<Decimal>] {
        match reading {
            Reading::Step => &self.survival_step,
            Reading::Cumulative => &self.written,
        }
    }
}

/// One month of a curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Month number, 1..=12.
    pub month: u32,
    /// Weighted survival S_n, a fraction; `null` when no cohort has this month.
    pub survival: Option<Decimal>,
    /// Cohorts (rows) behind the point.
    pub cohorts: u32,
    /// Σ Total Starts of those cohorts (the weight).
    pub starts: i64,
}

/// A retention curve: an offer and billing type, or all cohorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// The offer (`null` for the all-cohort average).
    pub offer_id: Option<String>,
    /// Its plan name(s).
    pub offer_name: Option<String>,
    /// FT or HO (`null` for the all-cohort average).
    pub billing_type: Option<Category>,
    /// Month 1..12.
    pub points: Vec<Point>,
    /// Expected lifetime in months (see [`LIFETIME_FORMULA`]).
    pub lifetime_months: Option<Decimal>,
    /// Months summed into the lifetime.
    pub lifetime_observed_months: u32,
    /// FT conversion weighted by Total Starts, over cohorts with both.
    pub ft_conversion: Option<Decimal>,
    /// Cohorts (rows) in this curve.
    pub cohorts: u32,
    /// Why the curve or a number of it is `null`.
    pub why_null: Option<String>,
}

/// Curves under one reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readout {
    /// The reading.
    pub reading: Reading,
    /// Whether the data allows this reading.
    pub possible: bool,
    /// The all-cohort curve, weighted by Total Starts.
    pub average: Curve,
    /// One curve per (offer, billing type), sorted.
    pub curves: Vec<Curve>,
}

/// The Conversion and Retention section of the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows read across the files (duplicates included).
    pub rows: u64,
    /// Cohorts, sorted by start period, offer and billing type; each once.
    pub cohorts: Vec<Cohort>,
    /// The reading the data supports best.
    pub default_reading: Reading,
    /// Why that reading.
    pub reading_note: String,
    /// Curves read as steps.
    pub step: Readout,
    /// Curves read as cumulative survival.
    pub cumulative: Readout,
    /// The lifetime formula.
    pub lifetime_formula: String,
    /// The LTV formula (the price is the reader's input).
    pub ltv_formula: String,
    /// Rows of a later file (or line) equal to an earlier one, counted once.
    pub duplicates: Vec<String>,
    /// Cohorts on which rows disagree.
    pub conflicts: Vec<String>,
}

impl Section {
    /// The readout for `reading`.
    pub fn readout(&self, reading: Reading) -> &Readout {
        match reading {
            Reading::Step => &self.step,
            Reading::Cumulative => &self.cumulative,
        }
    }
}

type Key = (NaiveDate, String, Category);

fn cohort_name(k: &Key) -> String {
    format!("cohort {} {} {}", k.0, k.1, category_code(k.2))
}

/// `FT` or `HO`.
pub fn category_code(c: Category) -> &'static str {
    match c {
        Category::FreeTrial => "FT",
        Category::HardOffer => "HO",
    }
}

/// S_1..S_12 read as steps: the running product, unknown after the first gap.
pub fn step_survival(written: &[Option<Decimal>]) -> Vec<Option<Decimal>> {
    let mut acc = Some(Decimal::ONE);
    written
        .iter()
        .map(|r| {
            acc = acc.zip(*r).map(|(a, r)| a * r);
            acc
        })
        .collect()
}

/// Whether every cohort's written values never increase month to month.
fn non_increasing(cohorts: &[Cohort]) -> Option<String> {
    for c in cohorts {
        let known: Vec<(usize, Decimal)> =
            c.written.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).collect();
        for w in known.windows(2) {
            if w[1].1 > w[0].1 {
                return Some(format!(
                    "{} ({}) goes up from Month {} ({}) to Month {} ({})",
                    cohort_name(&(c.start_period, c.offer_id.clone(), c.billing_type)),
                    c.source,
                    w[0].0 + 1,
                    w[0].1,
                    w[1].0 + 1,
                    w[1].1
                ));
            }
        }
    }
    None
}

/// The curve over `members` under `reading`.
fn curve(members: &[&Cohort], reading: Reading, offer: Option<(&str, Category)>) -> Curve {
    let names: BTreeSet<&str> = members.iter().filter_map(|c| c.offer_name.as_deref()).collect();
    let mut curve = Curve {
        offer_id: offer.map(|o| o.0.to_string()),
        offer_name: (offer.is_some() && !names.is_empty()).then(|| names.into_iter().collect::<Vec<_>>().join(" / ")),
        billing_type: offer.map(|o| o.1),
        points: Vec::new(),
        lifetime_months: None,
        lifetime_observed_months: 0,
        ft_conversion: None,
        cohorts: u32::try_from(members.len()).unwrap_or(u32::MAX),
        why_null: None,
    };
    if let Some(c) = members.iter().find(|c| c.conflict.is_some()) {
        curve.why_null = c.conflict.clone();
        curve.points =
            (1..=MONTHS as u32).map(|month| Point { month, survival: None, cohorts: 0, starts: 0 }).collect();
        return curve;
    }
    let mut exact: Vec<Option<Decimal>> = Vec::new();
    for n in 0..MONTHS {
        let mut starts = 0i64;
        let mut weighted = Decimal::ZERO;
        let mut count = 0u32;
        for c in members {
            if let (Some(s), Some(w)) = (c.survival(reading)[n], c.total_starts) {
                starts += w;
                weighted += Decimal::from(w) * s;
                count += 1;
            }
        }
        let s = (starts > 0).then(|| weighted / Decimal::from(starts));
        exact.push(s);
        curve.points.push(Point { month: n as u32 + 1, survival: s.map(|s| s.round_dp(6)), cohorts: count, starts });
    }
    let run: Vec<Decimal> = exact.iter().map_while(|s| *s).collect();
    curve.lifetime_observed_months = run.len() as u32;
    if run.is_empty() {
        curve.why_null = Some(if members.iter().all(|c| c.total_starts.is_none()) {
            "no cohort has Total Starts to weigh by".to_string()
        } else {
            "Month 1 retention is missing".to_string()
        });
    } else {
        curve.lifetime_months = Some((Decimal::ONE + run.iter().copied().sum::<Decimal>()).round_dp(4));
    }
    let (mut w, mut sum) = (0i64, Decimal::ZERO);
    for c in members {
        if let (Some(s), Some(f)) = (c.total_starts, c.ft_conversion) {
            w += s;
            sum += Decimal::from(s) * f;
        }
    }
    curve.ft_conversion = (w > 0).then(|| (sum / Decimal::from(w)).round_dp(6));
    curve
}

fn readout(cohorts: &[Cohort], reading: Reading, possible: bool) -> Readout {
    let all: Vec<&Cohort> = cohorts.iter().collect();
    let mut groups: BTreeMap<(&str, Category), Vec<&Cohort>> = BTreeMap::new();
    for c in cohorts {
        groups.entry((c.offer_id.as_str(), c.billing_type)).or_default().push(c);
    }
    Readout {
        reading,
        possible,
        average: curve(&all, reading, None),
        curves: groups.into_iter().map(|(k, m)| curve(&m, reading, Some(k))).collect(),
    }
}

/// Analyses the rows of every Conversion and Retention file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let d = dedupe(
        files,
        |r: &Row| (r.start_period, r.offer_id.clone(), r.billing_type),
        |a, b| Row { line: 0, ..a.clone() } == Row { line: 0, ..b.clone() },
        |r| r.line,
        cohort_name,
    );
    let mut cohorts: Vec<Cohort> = d
        .rows
        .iter()
        .map(|(k, s)| {
            let r = s.row;
            Cohort {
                start_period: r.start_period,
                offer_id: r.offer_id.clone(),
                offer_name: r.offer_name.clone(),
                billing_type: r.billing_type,
                total_starts: r.total_starts,
                ft_conversion: r.ft_conversion,
                written: r.retention.to_vec(),
                survival_step: step_survival(&r.retention).into_iter().map(|s| s.map(|s| s.round_dp(6))).collect(),
                source: format!("{} line {}", s.file, r.line),
                conflict: d.conflicted.get(k).cloned(),
            }
        })
        .collect();
    cohorts.sort_by(|a, b| {
        (a.start_period, &a.offer_id, a.billing_type).cmp(&(b.start_period, &b.offer_id, b.billing_type))
    });
    let rising = non_increasing(&cohorts);
    let (default_reading, reading_note) = match &rising {
        None => (
            Reading::Cumulative,
            "Every cohort's retention never goes up from one month to the next, as survival from the start must: \
             read as cumulative (share of the cohort's signups still retained at month N). The step reading \
             (product of month-to-month rates) is offered too."
                .to_string(),
        ),
        Some(why) => (
            Reading::Step,
            format!(
                "Read as month-to-month steps (survival = product of the rates): {why}, which survival from the start cannot do."
            ),
        ),
    };
    Section {
        rows: files.iter().map(|f| f.rows.len() as u64).sum(),
        step: readout(&cohorts, Reading::Step, true),
        cumulative: readout(&cohorts, Reading::Cumulative, rising.is_none()),
        cohorts,
        default_reading,
        reading_note,
        lifetime_formula: LIFETIME_FORMULA.to_string(),
        ltv_formula: LTV_FORMULA.to_string(),
        duplicates: d.duplicates,
        conflicts: d.conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn row(line: u64, month: u32, offer: &str, cat: Category, starts: Option<i64>, ret: &[&str]) -> Row {
        let mut retention = [None; MONTHS];
        for (i, v) in ret.iter().enumerate() {
            retention[i] = (!v.is_empty()).then(|| d(v));
        }
        Row {
            line,
            start_period: NaiveDate::from_ymd_opt(2022, month, 1).expect("date"),
            offer_id: offer.to_string(),
            offer_name: Some("Club".to_string()),
            billing_type: cat,
            total_starts: starts,
            ft_conversion: Some(d("0.5")),
            retention,
        }
    }

    #[test]
    fn step_survival_is_the_running_product_and_stops_at_a_gap() {
        let s = step_survival(&[Some(d("0.5")), Some(d("0.8")), None, Some(d("0.9"))]);
        assert_eq!(s, vec![Some(d("0.5")), Some(d("0.40")), None, None]);
    }

    #[test]
    fn weighted_curve_leaves_missing_months_out_and_lifetime_sums_known_months() {
        // Cohort A: 100 starts, 0.5 0.4; cohort B: 300 starts, 0.7 only.
        // Month 1 = (100×0.5 + 300×0.7) / 400 = 260/400 = 0.65; month 2 = 0.4 (A only, 100 starts).
        // Lifetime = 1 + 0.65 + 0.4 = 2.05 months.
        let rows = [
            row(2, 1, "X", Category::HardOffer, Some(100), &["0.5", "0.4"]),
            row(3, 2, "X", Category::HardOffer, Some(300), &["0.7"]),
        ];
        let s = analyze(&[FileRows { name: "a.csv", label: "CR", rows: &rows }]);
        assert_eq!(s.default_reading, Reading::Cumulative);
        let avg = &s.cumulative.average;
        assert_eq!(avg.points[0].survival, Some(d("0.65")));
        assert_eq!((avg.points[0].cohorts, avg.points[0].starts), (2, 400));
        assert_eq!(avg.points[1].survival, Some(d("0.4")));
        assert_eq!(avg.points[2].survival, None, "a month no cohort has is missing, not 0");
        assert_eq!(avg.lifetime_months, Some(d("2.05")));
        assert_eq!(avg.lifetime_observed_months, 2);
        // Step: A = 0.5, 0.2; B = 0.7 → month 1 0.65, month 2 0.2 → 1.85.
        assert_eq!(s.step.average.lifetime_months, Some(d("1.85")));
        assert_eq!(ltv(d("2.05"), d("9.99")), d("20.48"));
    }

    #[test]
    fn rising_values_force_the_step_reading() {
        let rows = [row(2, 1, "X", Category::FreeTrial, Some(10), &["0.5", "0.9"])];
        let s = analyze(&[FileRows { name: "a.csv", label: "CR", rows: &rows }]);
        assert_eq!(s.default_reading, Reading::Step);
        assert!(!s.cumulative.possible);
        assert!(s.reading_note.contains("goes up from Month 1 (0.5) to Month 2 (0.9)"), "{}", s.reading_note);
    }

    #[test]
    fn duplicates_count_once_and_conflicts_null_the_curves() {
        let a = [row(2, 1, "X", Category::HardOffer, Some(100), &["0.5"])];
        let same = [row(5, 1, "X", Category::HardOffer, Some(100), &["0.5"])];
        let s = analyze(&[
            FileRows { name: "a.csv", label: "CR", rows: &a },
            FileRows { name: "b.csv", label: "CR", rows: &same },
        ]);
        assert_eq!(s.cohorts.len(), 1);
        assert_eq!(s.duplicates.len(), 1);
        assert_eq!(s.cumulative.average.points[0].starts, 100);

        let other = [row(5, 1, "X", Category::HardOffer, Some(120), &["0.5"])];
        let s = analyze(&[
            FileRows { name: "a.csv", label: "CR", rows: &a },
            FileRows { name: "b.csv", label: "CR", rows: &other },
        ]);
        assert_eq!(s.conflicts.len(), 1);
        assert!(s.cumulative.average.lifetime_months.is_none());
        assert!(s.cumulative.average.why_null.as_deref().unwrap_or("").contains("disagree"));
    }
}
