//! Premium Engagement Scorecard: by length-of-subscription band and content group.
//!
//! The unit is a cell: (period, Length of Subscription band, Content Group).
//! Rows of the different plans (Subscription) in a cell are added up: plans
//! are distinct subscriptions. Cells of different content groups are never
//! added together, since one customer can stream from several groups and
//! would be counted twice.
//!
//! Per cell:
//! - counts (paid subs, cancellations, active, streamers, streams, weekend and
//!   weekday streams) are sums; one missing term makes the sum `null`;
//! - cancel rate = cancellations ÷ paid subs (by tenure: one per band);
//! - streamers per paid sub = streamers ÷ paid subs;
//! - weekend share = weekend streams ÷ (weekend + weekday streams);
//! - average titles / episodes / movies: as written for one row, else
//!   weighted by streamers (Σ avg × streamers ÷ Σ streamers);
//! - VOD hours and ad hours per streamer = Σ hours ÷ Σ streamers.
//!
//! Rates are `null` when the denominator is 0 or missing, with the reason.
//! Bands are ordered by tenure: `0-1months` < `1-3months` < … < `12+months`
//! (a band that cannot be parsed sorts last, by its text).
//!
//! The same row (period, plan, band, group) in two files counts once; rows
//! that disagree are a conflict and make their cell's numbers `null`.

use super::dedupe::dedupe;
use super::FileRows;
use crate::kinds::engagement::Row;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Decimals kept in rates and averages.
const DP: u32 = 6;

/// The sort key of a tenure band: `0-1months` → (0, 1), `12+months` → (12, MAX);
/// unparseable bands sort after all others.
pub fn band_key(band: &str) -> (u32, u32) {
    let s: String = band.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let s = s.trim_end_matches("months").trim_end_matches("month").trim_end_matches("mo");
    if let Some(lo) = s.strip_suffix('+') {
        if let Ok(lo) = lo.parse() {
            return (lo, u32::MAX);
        }
    }
    if let Some((lo, hi)) = s.split_once('-') {
        if let (Ok(lo), Ok(hi)) = (lo.parse(), hi.parse()) {
            return (lo, hi);
        }
    }
    if let Ok(n) = s.parse() {
        return (n, n);
    }
    (u32::MAX, u32::MAX)
}

/// One band × content group in one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Length of Subscription band as written.
    pub band: String,
    /// Content group (`null` when the rows leave it empty).
    pub content_group: Option<String>,
    /// Plans whose rows were added up.
    pub plans: Vec<String>,
    /// Rows behind these numbers.
    pub rows: u32,
    /// Where the rows are: `file.csv lines 2, 5`.
    pub source: String,
    /// Σ Paid Subscriptions.
    pub paid: Option<i64>,
    /// Σ Cancellations.
    pub cancellations: Option<i64>,
    /// Σ Active Subscriptions.
    pub active: Option<i64>,
    /// Σ Streamers.
    pub streamers: Option<i64>,
    /// Σ Streams.
    pub streams: Option<i64>,
    /// Σ Weekend Streams.
    pub weekend_streams: Option<i64>,
    /// Σ Weekday Streams.
    pub weekday_streams: Option<i64>,
    /// Cancellations ÷ paid subs, a fraction.
    pub cancel_rate: Option<Decimal>,
    /// Streamers ÷ paid subs, a fraction.
    pub streamers_per_paid: Option<Decimal>,
    /// Weekend ÷ (weekend + weekday) streams, a fraction.
    pub weekend_share: Option<Decimal>,
    /// Average titles per streamer.
    pub avg_titles: Option<Decimal>,
    /// Average episodes per streamer.
    pub avg_episodes: Option<Decimal>,
    /// Average movies per streamer.
    pub avg_movies: Option<Decimal>,
    /// Σ VOD hours.
    pub vod_hours: Option<Decimal>,
    /// Σ VOD ad hours.
    pub vod_ad_hours: Option<Decimal>,
    /// VOD hours ÷ streamers.
    pub vod_hours_per_streamer: Option<Decimal>,
    /// Ad hours ÷ streamers.
    pub ad_hours_per_streamer: Option<Decimal>,
    /// Why a number is `null`, by field name.
    pub why_null: BTreeMap<String, String>,
}

/// One reporting period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Bands present, in tenure order.
    pub bands: Vec<String>,
    /// Content groups present, sorted.
    pub content_groups: Vec<String>,
    /// Cells, by band (tenure order) then content group.
    pub cells: Vec<Cell>,
    /// Rows behind the period.
    pub rows: u32,
}

/// The Engagement Scorecard section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows read across the files (duplicates included).
    pub rows: u64,
    /// Periods, sorted by start then end (weekly and monthly side by side).
    pub periods: Vec<Period>,
    /// Rows equal to an earlier one, counted once.
    pub duplicates: Vec<String>,
    /// Rows that disagree with an earlier one.
    pub conflicts: Vec<String>,
}

type Key = (NaiveDate, NaiveDate, Option<String>, String, Option<String>);

fn key_name(k: &Key) -> String {
    format!(
        "{} to {} {} {} {}",
        k.0,
        k.1,
        k.2.as_deref().unwrap_or("(no plan)"),
        k.3,
        k.4.as_deref().unwrap_or("(no group)")
    )
}

/// `a ÷ b` to [`DP`] places; `None` (with the reason in `why`) when either is
/// missing or `b` is 0.
fn ratio(
    a: Option<Decimal>,
    b: Option<Decimal>,
    field: &str,
    b_name: &str,
    why: &mut BTreeMap<String, String>,
) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => Some((a / b).round_dp(DP)),
        (_, Some(b)) if b.is_zero() => {
            why.insert(field.to_string(), format!("{b_name} is 0"));
            None
        }
        _ => {
            why.insert(field.to_string(), "an input is missing".to_string());
            None
        }
    }
}

fn sum_i(rows: &[&Row], f: impl Fn(&Row) -> Option<i64>) -> Option<i64> {
    rows.iter().map(|r| f(r)).sum()
}

fn sum_d(rows: &[&Row], f: impl Fn(&Row) -> Option<Decimal>) -> Option<Decimal> {
    rows.iter().map(|r| f(r)).sum()
}

/// One row's average as written; several rows' weighted by streamers.
fn avg(rows: &[&Row], f: impl Fn(&Row) -> Option<Decimal>) -> Option<Decimal> {
    if let [one] = rows {
        return f(one);
    }
    let mut w = 0i64;
    let mut s = Decimal::ZERO;
    for r in rows {
        let (a, n) = (f(r)?, r.streamers?);
        w += n;
        s += a * Decimal::from(n);
    }
    (w > 0).then(|| (s / Decimal::from(w)).round_dp(DP))
}

fn cell(band: &str, group: Option<&str>, rows: &[(&Row, &str)], conflict: Option<&String>) -> Cell {
    let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (r, file) in rows {
        lines.entry(file).or_default().push(r.line.to_string());
    }
    let source = lines
        .iter()
        .map(|(f, l)| format!("{f} line{} {}", if l.len() == 1 { "" } else { "s" }, l.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    let plans: BTreeSet<String> = rows.iter().filter_map(|(r, _)| r.subscription.clone()).collect();
    let mut c = Cell {
        band: band.to_string(),
        content_group: group.map(str::to_string),
        plans: plans.into_iter().collect(),
        rows: rows.len() as u32,
        source,
        ..Cell::default()
    };
    if let Some(why) = conflict {
        c.why_null.insert("all".to_string(), why.clone());
        return c;
    }
    let rs: Vec<&Row> = rows.iter().map(|(r, _)| *r).collect();
    c.paid = sum_i(&rs, |r| r.paid);
    c.cancellations = sum_i(&rs, |r| r.cancellations);
    c.active = sum_i(&rs, |r| r.active);
    c.streamers = sum_i(&rs, |r| r.streamers);
    c.streams = sum_i(&rs, |r| r.streams);
    c.weekend_streams = sum_i(&rs, |r| r.weekend_streams);
    c.weekday_streams = sum_i(&rs, |r| r.weekday_streams);
    c.avg_titles = avg(&rs, |r| r.avg_titles);
    c.avg_episodes = avg(&rs, |r| r.avg_episodes);
    c.avg_movies = avg(&rs, |r| r.avg_movies);
    c.vod_hours = sum_d(&rs, |r| r.vod_hours);
    c.vod_ad_hours = sum_d(&rs, |r| r.vod_ad_hours);
    let d = |v: Option<i64>| v.map(Decimal::from);
    let mut why = BTreeMap::new();
    c.cancel_rate = ratio(d(c.cancellations), d(c.paid), "cancel_rate", "Paid Subscriptions", &mut why);
    c.streamers_per_paid = ratio(d(c.streamers), d(c.paid), "streamers_per_paid", "Paid Subscriptions", &mut why);
    let both = c.weekend_streams.zip(c.weekday_streams).map(|(a, b)| a + b);
    c.weekend_share = ratio(d(c.weekend_streams), d(both), "weekend_share", "weekend + weekday streams", &mut why);
    c.vod_hours_per_streamer = ratio(c.vod_hours, d(c.streamers), "vod_hours_per_streamer", "Streamers", &mut why);
    c.ad_hours_per_streamer = ratio(c.vod_ad_hours, d(c.streamers), "ad_hours_per_streamer", "Streamers", &mut why);
    for (field, v) in [("avg_titles", c.avg_titles), ("avg_episodes", c.avg_episodes), ("avg_movies", c.avg_movies)] {
        if v.is_none() {
            why.insert(field.to_string(), "missing in a row, or Streamers missing to weigh plans by".to_string());
        }
    }
    c.why_null = why;
    c
}

/// Analyses the rows of every Engagement Scorecard file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let d = dedupe(
        files,
        |r: &Row| (r.start, r.end, r.subscription.clone(), r.length_band.clone(), r.content_group.clone()),
        |a, b| Row { line: 0, ..a.clone() } == Row { line: 0, ..b.clone() },
        |r| r.line,
        key_name,
    );
    // period → (band key, band, group) → rows
    type CellKey = ((u32, u32), String, Option<String>);
    type Cells<'r> = BTreeMap<CellKey, Vec<(&'r Row, &'r str)>>;
    let mut periods: BTreeMap<(NaiveDate, NaiveDate), Cells<'_>> = BTreeMap::new();
    let mut conflicted: BTreeMap<((NaiveDate, NaiveDate), CellKey), String> = BTreeMap::new();
    for (k, s) in &d.rows {
        let r = s.row;
        let ck = (band_key(&r.length_band), r.length_band.clone(), r.content_group.clone());
        if let Some(why) = d.conflicted.get(k) {
            conflicted.entry(((r.start, r.end), ck.clone())).or_insert_with(|| why.clone());
        }
        periods.entry((r.start, r.end)).or_default().entry(ck).or_default().push((r, s.file));
    }
    let periods = periods
        .into_iter()
        .map(|((start, end), cells)| {
            let mut bands: Vec<((u32, u32), String)> = Vec::new();
            let mut groups = BTreeSet::new();
            let mut rows = 0;
            let cells: Vec<Cell> = cells
                .iter()
                .map(|(ck, rs)| {
                    if !bands.iter().any(|b| b.1 == ck.1) {
                        bands.push((ck.0, ck.1.clone()));
                    }
                    if let Some(g) = &ck.2 {
                        groups.insert(g.clone());
                    }
                    rows += rs.len() as u32;
                    cell(&ck.1, ck.2.as_deref(), rs, conflicted.get(&((start, end), ck.clone())))
                })
                .collect();
            Period {
                start,
                end,
                bands: bands.into_iter().map(|b| b.1).collect(),
                content_groups: groups.into_iter().collect(),
                cells,
                rows,
            }
        })
        .collect();
    Section {
        rows: files.iter().map(|f| f.rows.len() as u64).sum(),
        periods,
        duplicates: d.duplicates,
        conflicts: d.conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_sort_by_tenure() {
        let mut b = vec!["12+months", "1-3months", "0-1months", "6-12months", "3-6months", "odd"];
        b.sort_by_key(|s| band_key(s));
        assert_eq!(b, ["0-1months", "1-3months", "3-6months", "6-12months", "12+months", "odd"]);
        assert_eq!(band_key("12+ Months"), (12, u32::MAX));
    }

    fn row(line: u64, plan: &str, paid: Option<i64>, streamers: Option<i64>, titles: &str) -> Row {
        Row {
            line,
            start: NaiveDate::from_ymd_opt(2021, 11, 1).expect("date"),
            end: NaiveDate::from_ymd_opt(2021, 11, 30).expect("date"),
            subscription: Some(plan.to_string()),
            length_band: "0-1months".to_string(),
            content_group: Some("3P_SUBS".to_string()),
            paid,
            cancellations: Some(10),
            active: None,
            streamers,
            streams: None,
            weekend_streams: Some(30),
            weekday_streams: Some(70),
            avg_titles: Some(titles.parse().expect("decimal")),
            avg_episodes: None,
            avg_movies: None,
            vod_hours: Some(Decimal::from(50)),
            vod_ad_hours: None,
        }
    }

    #[test]
    fn plans_add_up_and_averages_weigh_by_streamers() {
        // Paid 100 + 300 = 400, cancels 10 + 10 = 20 → 5%; streamers 50 + 150 = 200;
        // titles (2×50 + 4×150)/200 = 700/200 = 3.5; hours 100/200 = 0.5; weekend 60/200 = 0.3.
        let rows = [row(2, "A", Some(100), Some(50), "2"), row(3, "B", Some(300), Some(150), "4")];
        let s = analyze(&[FileRows { name: "e.csv", label: "ES", rows: &rows }]);
        let c = &s.periods[0].cells[0];
        assert_eq!(c.paid, Some(400));
        assert_eq!(c.cancel_rate, Some(Decimal::new(5, 2)));
        assert_eq!(c.avg_titles, Some(Decimal::new(35, 1)));
        assert_eq!(c.vod_hours_per_streamer, Some(Decimal::new(5, 1)));
        assert_eq!(c.weekend_share, Some(Decimal::new(3, 1)));
        assert_eq!(c.ad_hours_per_streamer, None);
        assert_eq!(c.source, "e.csv lines 2, 3");
    }

    #[test]
    fn zero_denominators_and_conflicts_are_null_with_reasons() {
        let rows = [row(2, "A", Some(0), Some(0), "2")];
        let s = analyze(&[FileRows { name: "e.csv", label: "ES", rows: &rows }]);
        let c = &s.periods[0].cells[0];
        assert_eq!(c.cancel_rate, None);
        assert_eq!(c.why_null.get("cancel_rate").map(String::as_str), Some("Paid Subscriptions is 0"));

        let other = [row(9, "A", Some(5), Some(0), "2")];
        let s = analyze(&[
            FileRows { name: "e.csv", label: "ES", rows: &rows },
            FileRows { name: "f.csv", label: "ES", rows: &other },
        ]);
        assert_eq!(s.conflicts.len(), 1);
        assert_eq!(s.periods[0].cells[0].paid, None);
    }
}
