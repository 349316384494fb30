//! Prime Video Direct earnings: Customer Engagement Ranking (CER) per title, month and territory.
//!
//! CER is a monthly percentile rank (0 to 100) of a title (a season, for
//! episodic content) within one territory; for Included with Prime titles the
//! royalty is a CER-based rate times the hours streamed. So the analysis keys
//! every row by (title, season, territory) and lays its CER out by month:
//!
//! - Hours = the Hours Streamed cell, or Minutes Streamed ÷ 60 (exact) when
//!   only minutes are written (said in a note).
//! - Effective rate per hour = earnings ÷ hours, in the row's currency;
//!   `null` with a reason when either is missing or hours are 0. Totals are
//!   kept per currency: different currencies are never added.
//! - Change = CER − CER of the previous calendar month for the same key, in
//!   points; `null` with a reason when that month has no row for the key.
//! - Flags: CER below [`BOTTOM_QUARTILE_BELOW`] (the bottom quartile of the
//!   percentile scale), or a fall of more than [`DROP_POINTS`] points in a month.
//!
//! The same (title, season, territory, month) in two rows (of one file or of
//! two) counts once: equal numbers are a duplicate, different ones a conflict,
//! listed, with the first file's row shown until one file is removed.

use super::FileRows;
use crate::kinds::earnings::Row;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A CER below this is in the bottom quartile (CER is a percentile, 0 to 100).
pub const BOTTOM_QUARTILE_BELOW: Decimal = Decimal::from_parts(25, 0, 0, false, 0);

/// A month-over-month fall of more than this many CER points is flagged.
pub const DROP_POINTS: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Why a title's month is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// CER below [`BOTTOM_QUARTILE_BELOW`].
    BottomQuartile,
    /// CER fell by more than [`DROP_POINTS`] points from the previous month.
    Drop,
}

impl Flag {
    /// What a reader sees: `bottom quartile`, `dropped > 20 pts`.
    pub fn label(self) -> &'static str {
        match self {
            Flag::BottomQuartile => "bottom quartile (CER < 25)",
            Flag::Drop => "dropped > 20 pts",
        }
    }
}

/// One month of one title (season, territory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The month (its first day).
    pub month: NaiveDate,
    /// Customer Engagement Ranking, 0 to 100.
    pub cer: Decimal,
    /// CER minus the previous calendar month's CER, in points.
    pub change: Option<Decimal>,
    /// Hours streamed (from minutes ÷ 60 when `hours_from_minutes`).
    pub hours: Option<Decimal>,
    /// Whether `hours` is Minutes Streamed ÷ 60.
    #[serde(default)]
    pub hours_from_minutes: bool,
    /// Earnings (royalty), in `currency`.
    pub earnings: Option<Decimal>,
    /// The earnings' currency.
    pub currency: Option<String>,
    /// Earnings ÷ hours, in `currency` per hour.
    pub rate_per_hour: Option<Decimal>,
    /// Flags of this month.
    pub flags: Vec<Flag>,
    /// Why `change`, `hours`, `earnings` or `rate_per_hour` is `null`.
    pub why_null: BTreeMap<String, String>,
    /// Where the row is: `file.csv line 3`.
    pub source: String,
}

/// One title (season, territory) and its CER by month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Title {
    /// Title name.
    pub title: String,
    /// Season, as written (`None` for a standalone title).
    pub season: Option<String>,
    /// Territory, as written.
    pub territory: Option<String>,
    /// The ASIN, when the rows give one.
    pub asin: Option<String>,
    /// One point per month, by month.
    pub points: Vec<Point>,
}

impl Title {
    /// `Night Train · Season 1 · US`.
    pub fn label(&self) -> String {
        let mut s = self.title.clone();
        for part in [&self.season, &self.territory].into_iter().flatten() {
            s.push_str(" · ");
            s.push_str(part);
        }
        s
    }

    /// The point of `month`, if any.
    pub fn at(&self, month: NaiveDate) -> Option<&Point> {
        self.points.iter().find(|p| p.month == month)
    }

    /// Whether the title is in `territory` (`None`: every territory).
    pub fn in_territory(&self, territory: Option<&str>) -> bool {
        territory.is_none_or(|t| self.territory.as_deref() == Some(t))
    }
}

/// Earnings and hours of one currency in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrencyTotal {
    /// The currency (`None`: rows that name none).
    pub currency: Option<String>,
    /// Titles with earnings in this currency.
    pub titles: usize,
    /// Σ earnings.
    pub earnings: Decimal,
    /// Σ hours of the same titles (`null` when one lacks hours).
    pub hours: Option<Decimal>,
    /// Σ earnings ÷ Σ hours.
    pub rate_per_hour: Option<Decimal>,
    /// Why `hours` or `rate_per_hour` is `null`.
    pub why_null: BTreeMap<String, String>,
}

/// One month's totals over the titles of a territory (or of all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSummary {
    /// The month (its first day).
    pub month: NaiveDate,
    /// Titles (seasons, territories) with a CER this month.
    pub titles: usize,
    /// Median CER over those titles.
    pub median_cer: Option<Decimal>,
    /// Σ hours (`null` when one title lacks hours).
    pub hours: Option<Decimal>,
    /// Earnings, hours and rate per currency (never added across currencies).
    pub by_currency: Vec<CurrencyTotal>,
    /// Why `median_cer` or `hours` is `null`.
    pub why_null: BTreeMap<String, String>,
}

/// A title's month, as the movers and flag lists give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Title name.
    pub title: String,
    /// Season.
    pub season: Option<String>,
    /// Territory.
    pub territory: Option<String>,
    /// CER this month.
    pub cer: Decimal,
    /// CER the previous month.
    pub previous_cer: Option<Decimal>,
    /// Change in points.
    pub change: Option<Decimal>,
    /// Flags.
    pub flags: Vec<Flag>,
}

impl Entry {
    fn of(t: &Title, p: &Point) -> Entry {
        Entry {
            title: t.title.clone(),
            season: t.season.clone(),
            territory: t.territory.clone(),
            cer: p.cer,
            previous_cer: p.change.map(|c| p.cer - c),
            change: p.change,
            flags: p.flags.clone(),
        }
    }
}

/// The Earnings section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
    /// Files the rows came from.
    pub files: Vec<String>,
    /// Months present, in order.
    pub months: Vec<NaiveDate>,
    /// Territories present, sorted.
    pub territories: Vec<String>,
    /// Every title (season, territory), sorted by title, season, territory.
    pub titles: Vec<Title>,
    /// The latest month over every territory.
    pub latest: Option<MonthSummary>,
    /// The latest month's titles whose CER rose, biggest rise first.
    pub movers_up: Vec<Entry>,
    /// The latest month's titles whose CER fell, biggest fall first.
    pub movers_down: Vec<Entry>,
    /// The latest month's flagged titles, lowest CER first.
    pub flagged: Vec<Entry>,
    /// The flag rules, in words.
    pub rules: Vec<String>,
    /// Rows repeated (in a later file or the same one), counted once.
    pub duplicates: Vec<String>,
    /// Rows for the same title and month that disagree.
    pub conflicts: Vec<String>,
    /// How numbers were derived, and rows that could not be placed.
    pub notes: Vec<String>,
}

/// The first day of the calendar month before `m`.
fn previous_month(m: NaiveDate) -> Option<NaiveDate> {
    m.with_day(1)?.pred_opt()?.with_day(1)
}

type Key = (String, Option<String>, Option<String>);

/// The numbers of a row that two copies must agree on.
fn numbers(r: &Row) -> (Decimal, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<&str>) {
    (r.cer, r.hours, r.minutes, r.earnings, r.currency.as_deref())
}

/// Analyses the rows of every Earnings file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let mut s = Section {
        files: files.iter().map(|f| f.name.to_string()).collect(),
        rules: vec![
            format!("bottom quartile: CER below {BOTTOM_QUARTILE_BELOW} (CER is a percentile, 0 to 100)"),
            format!("drop: CER fell by more than {DROP_POINTS} points from the previous calendar month"),
        ],
        ..Section::default()
    };
    // (key, month) → (row, file name) of the first row seen.
    let mut first: BTreeMap<(Key, NaiveDate), (&Row, &str)> = BTreeMap::new();
    let mut repeats: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut no_month: Vec<String> = Vec::new();
    for f in files {
        for r in f.rows {
            let Some(month) = r.month.and_then(|m| m.with_day(1)) else {
                no_month.push(format!("{} line {}", f.name, r.line));
                continue;
            };
            let key = (r.title.clone(), r.season.clone(), r.territory.clone());
            match first.get(&(key.clone(), month)) {
                None => {
                    first.insert((key, month), (r, f.name));
                }
                Some((r0, name0)) if numbers(r0) == numbers(r) => {
                    *repeats.entry((f.name.to_string(), name0.to_string())).or_default() += 1;
                }
                Some((r0, name0)) => {
                    let label =
                        Title { title: key.0, season: key.1, territory: key.2, asin: None, points: vec![] }.label();
                    s.conflicts.push(format!(
                        "{label}, {}: {name0} line {} says CER {}, hours {}, minutes {}, earnings {}; {} line {} says CER {}, hours {}, minutes {}, earnings {}; showing {name0}'s row until one file is removed",
                        month.format("%Y-%m"),
                        r0.line,
                        r0.cer,
                        show(r0.hours),
                        show(r0.minutes),
                        show(r0.earnings),
                        f.name,
                        r.line,
                        r.cer,
                        show(r.hours),
                        show(r.minutes),
                        show(r.earnings),
                    ));
                }
            }
        }
    }
    for ((later, earlier), n) in repeats {
        let rows = if n == 1 { "row" } else { "rows" };
        s.duplicates.push(if later == earlier {
            format!("{later}: {n} {rows} repeat an earlier row of the same file, counted once")
        } else {
            format!("{later}: {n} {rows} repeat {earlier}, counted once")
        });
    }
    if !no_month.is_empty() {
        s.notes.push(format!(
            "{} row(s) have no month and are left out of the month series: {}",
            no_month.len(),
            no_month.join(", ")
        ));
    }

    let mut from_minutes = 0usize;
    let mut by_key: BTreeMap<Key, Title> = BTreeMap::new();
    for ((key, month), (r, name)) in &first {
        let mut why = BTreeMap::new();
        let (hours, derived) = match (r.hours, r.minutes) {
            (Some(h), _) => (Some(h), false),
            (None, Some(m)) => (Some(m / Decimal::from(60)), true),
            (None, None) => {
                why.insert("hours".to_string(), "no Hours or Minutes Streamed on this row".to_string());
                (None, false)
            }
        };
        from_minutes += usize::from(derived);
        if r.earnings.is_none() {
            why.insert("earnings".to_string(), "no earnings on this row".to_string());
        }
        let rate_per_hour = match (r.earnings, hours) {
            (Some(e), Some(h)) if !h.is_zero() => Some(e / h),
            (Some(_), Some(_)) => {
                why.insert("rate_per_hour".to_string(), "0 hours streamed".to_string());
                None
            }
            (None, _) => {
                why.insert("rate_per_hour".to_string(), "needs earnings".to_string());
                None
            }
            (_, None) => {
                why.insert("rate_per_hour".to_string(), "needs hours or minutes streamed".to_string());
                None
            }
        };
        let t = by_key.entry(key.clone()).or_insert_with(|| Title {
            title: key.0.clone(),
            season: key.1.clone(),
            territory: key.2.clone(),
            asin: None,
            points: Vec::new(),
        });
        if t.asin.is_none() {
            t.asin = r.asin.clone();
        }
        t.points.push(Point {
            month: *month,
            cer: r.cer,
            change: None,
            hours,
            hours_from_minutes: derived,
            earnings: r.earnings,
            currency: r.currency.clone(),
            rate_per_hour,
            flags: Vec::new(),
            why_null: why,
            source: format!("{name} line {}", r.line),
        });
    }
    s.rows = first.len() as u64;
    if from_minutes > 0 {
        s.notes.push(format!("hours are Minutes Streamed ÷ 60 on {from_minutes} row(s) with no Hours Streamed value"));
    }

    let mut months: Vec<NaiveDate> = first.keys().map(|(_, m)| *m).collect();
    months.sort();
    months.dedup();
    let earliest = months.first().copied();
    for t in by_key.values_mut() {
        // Points are in month order (the map is sorted by key, then month).
        let cers: BTreeMap<NaiveDate, Decimal> = t.points.iter().map(|p| (p.month, p.cer)).collect();
        for p in &mut t.points {
            let prev = previous_month(p.month);
            match prev.and_then(|m| cers.get(&m)) {
                Some(c) => p.change = Some(p.cer - c),
                None => {
                    let why = match prev {
                        Some(m) if earliest.is_some_and(|e| m < e) => {
                            format!("{} is before the first month in the files", m.format("%Y-%m"))
                        }
                        Some(m) => format!("no CER for {} for this title", m.format("%Y-%m")),
                        None => "no previous month".to_string(),
                    };
                    p.why_null.insert("change".to_string(), why);
                }
            }
            if p.cer < BOTTOM_QUARTILE_BELOW {
                p.flags.push(Flag::BottomQuartile);
            }
            if p.change.is_some_and(|c| c < -DROP_POINTS) {
                p.flags.push(Flag::Drop);
            }
        }
    }
    s.titles = by_key.into_values().collect();
    let mut territories: Vec<String> = s.titles.iter().filter_map(|t| t.territory.clone()).collect();
    territories.sort();
    territories.dedup();
    s.territories = territories;
    let without: usize = s.titles.iter().filter(|t| t.territory.is_none()).count();
    if without > 0 {
        s.notes.push(format!("{without} title(s) name no territory: they show under every territory only"));
    }
    s.months = months;
    if let Some(&m) = s.months.last() {
        s.latest = Some(summary(&s, m, None));
        let entries = |v: Vec<(&Title, &Point)>| v.iter().map(|(t, p)| Entry::of(t, p)).collect::<Vec<_>>();
        let (up, down) = movers(&s, m, None);
        let (up, down) = (entries(up), entries(down));
        let flagged = entries(flagged(&s, m, None));
        (s.movers_up, s.movers_down, s.flagged) = (up, down, flagged);
    }
    s
}

fn show(v: Option<Decimal>) -> String {
    v.map_or_else(|| "empty".to_string(), |d| d.to_string())
}

/// The titles with a CER in `month` (in `territory`; `None`: all), highest CER
/// first, ties by label.
pub fn ranked<'a>(s: &'a Section, month: NaiveDate, territory: Option<&str>) -> Vec<(&'a Title, &'a Point)> {
    let mut v: Vec<(&Title, &Point)> =
        s.titles.iter().filter(|t| t.in_territory(territory)).filter_map(|t| t.at(month).map(|p| (t, p))).collect();
    v.sort_by(|a, b| b.1.cer.cmp(&a.1.cer).then_with(|| a.0.label().cmp(&b.0.label())));
    v
}

/// The titles whose CER rose (biggest rise first) and fell (biggest fall first) in `month`.
pub fn movers<'a>(s: &'a Section, month: NaiveDate, territory: Option<&str>) -> MoverLists<'a> {
    let all = ranked(s, month, territory);
    let mut up: Vec<_> = all.iter().copied().filter(|(_, p)| p.change.is_some_and(|c| c > Decimal::ZERO)).collect();
    let mut down: Vec<_> = all.iter().copied().filter(|(_, p)| p.change.is_some_and(|c| c < Decimal::ZERO)).collect();
    up.sort_by_key(|x| std::cmp::Reverse(x.1.change));
    down.sort_by_key(|x| x.1.change);
    (up, down)
}

/// Risers and fallers, as [`movers`] gives them.
pub type MoverLists<'a> = (Vec<(&'a Title, &'a Point)>, Vec<(&'a Title, &'a Point)>);

/// The flagged titles of `month`, lowest CER first.
pub fn flagged<'a>(s: &'a Section, month: NaiveDate, territory: Option<&str>) -> Vec<(&'a Title, &'a Point)> {
    let mut v: Vec<_> = ranked(s, month, territory).into_iter().filter(|(_, p)| !p.flags.is_empty()).collect();
    v.reverse();
    v
}

/// The median of `v` (sorted here); the mean of the middle two for an even count.
fn median(mut v: Vec<Decimal>) -> Option<Decimal> {
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / Decimal::TWO),
    }
}

/// The totals of `month` over the titles of `territory` (`None`: all).
pub fn summary(s: &Section, month: NaiveDate, territory: Option<&str>) -> MonthSummary {
    let points: Vec<(&Title, &Point)> = ranked(s, month, territory);
    let mut why = BTreeMap::new();
    let median_cer = median(points.iter().map(|(_, p)| p.cer).collect());
    if median_cer.is_none() {
        why.insert("median_cer".to_string(), "no title has a CER this month".to_string());
    }
    let hours = sum_hours(&points, &mut why, "hours");
    let mut groups: BTreeMap<Option<String>, Vec<(&Title, &Point)>> = BTreeMap::new();
    let mut no_earnings = 0usize;
    for (t, p) in &points {
        if p.earnings.is_some() {
            groups.entry(p.currency.clone()).or_default().push((t, p));
        } else {
            no_earnings += 1;
        }
    }
    if no_earnings > 0 {
        why.insert("earnings".to_string(), format!("{no_earnings} title(s) have no earnings this month"));
    }
    let by_currency = groups
        .into_iter()
        .map(|(currency, pts)| {
            let mut why = BTreeMap::new();
            let earnings: Decimal = pts.iter().filter_map(|(_, p)| p.earnings).sum();
            let hours = sum_hours(&pts, &mut why, "hours");
            let rate_per_hour = match hours {
                Some(h) if !h.is_zero() => Some(earnings / h),
                Some(_) => {
                    why.insert("rate_per_hour".to_string(), "0 hours streamed".to_string());
                    None
                }
                None => {
                    why.insert("rate_per_hour".to_string(), "needs the hours of every title".to_string());
                    None
                }
            };
            CurrencyTotal { currency, titles: pts.len(), earnings, hours, rate_per_hour, why_null: why }
        })
        .collect();
    MonthSummary { month, titles: points.len(), median_cer, hours, by_currency, why_null: why }
}

/// Σ hours of `points`; `None` (with the reason under `key`) when one lacks hours.
fn sum_hours(points: &[(&Title, &Point)], why: &mut BTreeMap<String, String>, key: &str) -> Option<Decimal> {
    let missing: Vec<String> = points.iter().filter(|(_, p)| p.hours.is_none()).map(|(t, _)| t.label()).collect();
    if points.is_empty() {
        why.insert(key.to_string(), "no titles".to_string());
        None
    } else if missing.is_empty() {
        Some(points.iter().filter_map(|(_, p)| p.hours).sum())
    } else {
        why.insert(key.to_string(), format!("no hours or minutes streamed for {}", missing.join(", ")));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("a decimal")
    }

    fn row(line: u64, title: &str, territory: &str, month: &str, cer: &str, hours: &str, earnings: &str) -> Row {
        let opt = |s: &str| (!s.is_empty()).then(|| d(s));
        Row {
            line,
            cer: d(cer),
            title: title.to_string(),
            season: None,
            territory: Some(territory.to_string()),
            month: NaiveDate::parse_from_str(month, "%Y-%m-%d").ok(),
            hours: opt(hours),
            minutes: None,
            earnings: opt(earnings),
            currency: Some("USD".to_string()),
            asin: None,
        }
    }

    fn files<'a>(v: &'a [(&'a str, Vec<Row>)]) -> Vec<FileRows<'a, Row>> {
        v.iter().map(|(n, rows)| FileRows { name: n, label: "Earnings", rows }).collect()
    }

    #[test]
    fn change_needs_the_previous_calendar_month() {
        let rows = vec![
            row(2, "A", "US", "2024-01-01", "50", "10", "5"),
            row(3, "A", "US", "2024-03-01", "20", "10", "2"),
            row(4, "A", "US", "2024-04-01", "60", "0", "0"),
            row(5, "B", "US", "2024-03-01", "90", "", "7"),
            row(6, "B", "US", "2024-04-01", "65", "4", ""),
        ];
        let v = [("a.csv", rows)];
        let s = analyze(&files(&v));
        assert_eq!(s.rows, 5);
        let a = &s.titles[0];
        assert_eq!(a.points[0].why_null["change"], "2023-12 is before the first month in the files");
        assert_eq!(a.points[1].change, None);
        assert_eq!(a.points[1].why_null["change"], "no CER for 2024-02 for this title");
        assert_eq!(a.points[1].flags, [Flag::BottomQuartile]);
        assert_eq!(a.points[2].change, Some(d("40")));
        assert_eq!(a.points[2].why_null["rate_per_hour"], "0 hours streamed");
        let b = &s.titles[1];
        // 65 − 90 = −25: a drop of more than 20 points.
        assert_eq!((b.points[1].change, b.points[1].flags.as_slice()), (Some(d("-25")), [Flag::Drop].as_slice()));
        assert_eq!(b.points[0].why_null["rate_per_hour"], "needs hours or minutes streamed");
        assert_eq!(b.points[1].why_null["rate_per_hour"], "needs earnings");
        // April: A 60 (+40), B 65 (−25).
        assert_eq!(s.movers_up.len(), 1);
        assert_eq!((s.movers_down[0].title.as_str(), s.movers_down[0].previous_cer), ("B", Some(d("90"))));
        assert_eq!(s.flagged.len(), 1);
        let l = s.latest.as_ref().expect("a latest month");
        assert_eq!(l.median_cer, Some(d("62.5")));
        assert_eq!(l.hours, Some(d("4")));
        assert_eq!(l.why_null["earnings"], "1 title(s) have no earnings this month");
        assert_eq!(l.by_currency[0].rate_per_hour, None);
        assert_eq!(l.by_currency[0].why_null["rate_per_hour"], "0 hours streamed");
    }

    #[test]
    fn duplicates_count_once_and_conflicts_are_listed() {
        let a = vec![row(2, "A", "US", "2024-01-01", "50", "10", "5"), row(3, "B", "US", "2024-01-01", "40", "1", "1")];
        let b = vec![row(2, "A", "US", "2024-01-01", "50", "10", "5"), row(3, "B", "US", "2024-01-01", "41", "1", "1")];
        let v = [("a.csv", a), ("b.csv", b)];
        let s = analyze(&files(&v));
        assert_eq!(s.rows, 2);
        assert_eq!(s.duplicates, ["b.csv: 1 row repeat a.csv, counted once"]);
        assert_eq!(s.conflicts.len(), 1);
        assert!(s.conflicts[0].starts_with("B · US, 2024-01: a.csv line 3 says CER 40"), "{}", s.conflicts[0]);
        assert_eq!(s.titles[1].points[0].cer, d("40"));
    }

    #[test]
    fn currencies_are_never_added() {
        let mut gb = row(3, "A", "GB", "2024-01-01", "30", "2", "3");
        gb.currency = Some("GBP".to_string());
        let mut none = row(4, "C", "US", "2024-01-01", "30", "2", "3");
        none.currency = None;
        let mut no_month = row(5, "C", "US", "", "30", "2", "3");
        no_month.month = None;
        let v = [("a.csv", vec![row(2, "A", "US", "2024-01-01", "10", "4", "2"), gb, none, no_month])];
        let s = analyze(&files(&v));
        let l = s.latest.as_ref().expect("a latest month");
        let cur: Vec<(Option<&str>, Decimal)> =
            l.by_currency.iter().map(|c| (c.currency.as_deref(), c.earnings)).collect();
        assert_eq!(cur, [(None, d("3")), (Some("GBP"), d("3")), (Some("USD"), d("2"))]);
        assert_eq!(l.by_currency[2].rate_per_hour, Some(d("0.5")));
        assert_eq!(s.territories, ["GB", "US"]);
        assert_eq!(summary(&s, l.month, Some("GB")).titles, 1);
        assert!(s.notes[0].starts_with("1 row(s) have no month"), "{:?}", s.notes);
        assert_eq!(median(vec![d("3"), d("1"), d("2")]), Some(d("2")));
    }
}
