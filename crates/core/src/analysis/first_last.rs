//! Premium First-and-Last VOD Title: the titles that bring people in and the
//! ones watched last before they leave.
//!
//! Rows are grouped per period (Report Start, Report End) and per title
//! (Series or Movie Name, Season Number): the benefit, stream type, content
//! type and platform rows of a title are added up (the plans and platforms
//! are listed on the title).
//!
//! Counts are summed over the rows that have a value; rows left empty are not
//! taken as zero but counted in `missing_cells`, so a reader sees how many
//! cells a sum is missing. A count no row has is `null`.
//!
//! Shares are **recomputed from counts**: share of conversions = the title's
//! Conversion First Title Streamed ÷ the period's Σ of it; share of cancels =
//! Last Title Streamed ÷ the period's Σ of it. They are shares among the
//! titles in the file. The file's own "Percentage of Total" columns are out
//! of every conversion or cancel of the period (including customers who
//! streamed nothing) and are per plan; they are kept as `reported_*`: the sum
//! over the title's rows, only when all its rows are of one plan (shares of
//! different plans have different denominators and do not add up).
//!
//! Ranks are 1 for the largest share (equal shares share a rank). **High on
//! both**: the title is in the top quartile of both shares — its share is at
//! least the ⌈n/4⌉-th largest of the n non-zero shares of the period, and
//! n ≥ 4 on each side (with fewer titles there is no quartile and no title is
//! flagged) — see [`HIGH_ON_BOTH_RULE`].
//!
//! The same row (period, plan, stream type, content type, platform, SKU,
//! title, season) in two files counts once; rows that disagree are a conflict,
//! which makes the title's counts and the period's shares `null`.

use super::dedupe::dedupe;
use super::FileRows;
use crate::kinds::first_last::Row;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How "high on both" is decided, as shown to the reader.
pub const HIGH_ON_BOTH_RULE: &str = "high on both = top quartile of both share of conversions and share of cancels: share ≥ the ⌈n/4⌉-th largest of the period's n non-zero shares, with n ≥ 4 on each side (fewer titles have no quartile)";

/// Counts of first and last titles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Σ FT First Title Streamed.
    pub ft_first: Option<i64>,
    /// Σ HO First Title Streamed.
    pub ho_first: Option<i64>,
    /// Σ Conversion First Title Streamed.
    pub conversion_first: Option<i64>,
    /// Σ Last Title Streamed.
    pub last: Option<i64>,
    /// Σ AR-Off Last Title Streamed.
    pub ar_off_last: Option<i64>,
    /// Rows without a value, by field name (present only when some are).
    pub missing_cells: BTreeMap<String, u32>,
}

impl Counts {
    fn of(rows: &[&Row]) -> Counts {
        let mut c = Counts::default();
        type Field<'c> = (&'static str, fn(&Row) -> Option<i64>, &'c mut Option<i64>);
        let fields: [Field<'_>; 5] = [
            ("ft_first", |r| r.ft_first, &mut c.ft_first),
            ("ho_first", |r| r.ho_first, &mut c.ho_first),
            ("conversion_first", |r| r.conversion_first, &mut c.conversion_first),
            ("last", |r| r.last, &mut c.last),
            ("ar_off_last", |r| r.ar_off_last, &mut c.ar_off_last),
        ];
        let mut missing = BTreeMap::new();
        for (name, get, slot) in fields {
            let mut n = 0u32;
            for r in rows {
                match get(r) {
                    Some(v) => *slot = Some(slot.unwrap_or(0) + v),
                    None => n += 1,
                }
            }
            if n > 0 {
                missing.insert(name.to_string(), n);
            }
        }
        c.missing_cells = missing;
        c
    }
}

/// One title (season) in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Title {
    /// Series or movie name.
    pub title: String,
    /// Season (TV).
    pub season: Option<i64>,
    /// Content types of its rows (`TV`, `Movie`).
    pub content_types: Vec<String>,
    /// Plans of its rows.
    pub benefits: Vec<String>,
    /// Platforms of its rows.
    pub platforms: Vec<String>,
    /// Rows behind these numbers.
    pub rows: u32,
    /// Where the rows are: `file.csv lines 2, 5`.
    pub source: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Conversion first ÷ the period's Σ conversion first, a fraction.
    pub share_of_conversions: Option<Decimal>,
    /// Last title ÷ the period's Σ last title, a fraction.
    pub share_of_cancels: Option<Decimal>,
    /// Σ the rows' Percentage of Total Conversions (one plan only).
    pub reported_share_of_conversions: Option<Decimal>,
    /// Σ the rows' Percentage of Total Cancels (one plan only).
    pub reported_share_of_cancels: Option<Decimal>,
    /// Rank by share of conversions (1 = largest).
    pub rank_conversions: Option<u32>,
    /// Rank by share of cancels (1 = largest).
    pub rank_cancels: Option<u32>,
    /// In the top quartile of both shares.
    pub high_on_both: bool,
    /// Why its numbers are `null` (a conflict).
    pub why_null: Option<String>,
}

/// One reporting period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Rows behind the period.
    pub rows: u32,
    /// The period's totals (the share denominators).
    pub totals: Counts,
    /// Titles, by share of conversions (largest first), then by name.
    pub titles: Vec<Title>,
    /// Why the shares are `null` (a conflict).
    pub why_null: Option<String>,
}

/// The First-and-Last Title section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows read across the files (duplicates included).
    pub rows: u64,
    /// Periods, sorted by start then end.
    pub periods: Vec<Period>,
    /// The "high on both" rule.
    pub high_on_both_rule: String,
    /// Rows equal to an earlier one, counted once.
    pub duplicates: Vec<String>,
    /// Rows that disagree with an earlier one.
    pub conflicts: Vec<String>,
}

type Key = (NaiveDate, NaiveDate, [Option<String>; 5], String, Option<i64>);

fn key_name(k: &Key) -> String {
    let season = k.4.map(|s| format!(" season {s}")).unwrap_or_default();
    let dims: Vec<&str> = k.2.iter().filter_map(|d| d.as_deref()).collect();
    format!("{} to {} \"{}\"{season} ({})", k.0, k.1, k.3, dims.join(", "))
}

fn share(part: Option<i64>, total: Option<i64>) -> Option<Decimal> {
    match (part, total) {
        (Some(p), Some(t)) if t > 0 => Some((Decimal::from(p) / Decimal::from(t)).round_dp(6)),
        _ => None,
    }
}

/// Ranks (1 = largest, ties share) and the top-quartile threshold of the
/// non-zero values (`None` with fewer than 4 of them).
fn ranks(values: &[Option<Decimal>]) -> (Vec<Option<u32>>, Option<Decimal>) {
    let mut sorted: Vec<Decimal> = values.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| b.cmp(a));
    let ranks = values.iter().map(|v| v.map(|v| sorted.iter().filter(|s| **s > v).count() as u32 + 1)).collect();
    let positive: Vec<Decimal> = sorted.into_iter().filter(|v| *v > Decimal::ZERO).collect();
    if positive.len() < 4 {
        return (ranks, None);
    }
    let cut = positive.len().div_ceil(4);
    (ranks, cut.checked_sub(1).and_then(|i| positive.get(i).copied()))
}

/// Analyses the rows of every First-and-Last Title file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let d = dedupe(
        files,
        |r: &Row| {
            (
                r.start,
                r.end,
                [
                    r.benefit.clone(),
                    r.stream_type.clone(),
                    r.content_type.clone(),
                    r.platform.clone(),
                    r.vendor_sku.clone(),
                ],
                r.title.clone(),
                r.season,
            )
        },
        |a, b| Row { line: 0, ..a.clone() } == Row { line: 0, ..b.clone() },
        |r| r.line,
        key_name,
    );
    type TitleKey = (String, Option<i64>);
    type Titles<'r> = BTreeMap<TitleKey, Vec<(&'r Row, &'r str, Option<&'r String>)>>;
    let mut periods: BTreeMap<(NaiveDate, NaiveDate), Titles<'_>> = BTreeMap::new();
    for (k, s) in &d.rows {
        periods
            .entry((s.row.start, s.row.end))
            .or_default()
            .entry((s.row.title.clone(), s.row.season))
            .or_default()
            .push((s.row, s.file, d.conflicted.get(k)));
    }
    let periods = periods
        .into_iter()
        .map(|((start, end), titles)| {
            let all: Vec<&Row> = titles.values().flatten().map(|(r, _, _)| *r).collect();
            let conflict = titles.values().flatten().find_map(|(_, _, c)| *c).cloned();
            let totals = Counts::of(&all);
            let mut out: Vec<Title> = titles
                .iter()
                .map(|((title, season), rows)| {
                    let rs: Vec<&Row> = rows.iter().map(|(r, _, _)| *r).collect();
                    let set = |f: fn(&Row) -> Option<&String>| -> Vec<String> {
                        rs.iter().filter_map(|r| f(r).cloned()).collect::<BTreeSet<_>>().into_iter().collect()
                    };
                    let benefits = set(|r| r.benefit.as_ref());
                    let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                    for (r, file, _) in rows {
                        lines.entry(file).or_default().push(r.line.to_string());
                    }
                    let source = lines
                        .iter()
                        .map(|(f, l)| format!("{f} line{} {}", if l.len() == 1 { "" } else { "s" }, l.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let own_conflict = rows.iter().find_map(|(_, _, c)| *c).cloned();
                    let counts = if own_conflict.is_some() { Counts::default() } else { Counts::of(&rs) };
                    let one_plan = benefits.len() <= 1 && own_conflict.is_none();
                    let reported = |f: fn(&Row) -> Option<Decimal>| -> Option<Decimal> {
                        if one_plan {
                            rs.iter().map(|r| f(r)).sum()
                        } else {
                            None
                        }
                    };
                    Title {
                        title: title.clone(),
                        season: *season,
                        content_types: set(|r| r.content_type.as_ref()),
                        platforms: set(|r| r.platform.as_ref()),
                        benefits,
                        rows: rows.len() as u32,
                        source,
                        share_of_conversions: conflict
                            .is_none()
                            .then(|| share(counts.conversion_first, totals.conversion_first))
                            .flatten(),
                        share_of_cancels: conflict.is_none().then(|| share(counts.last, totals.last)).flatten(),
                        reported_share_of_conversions: reported(|r| r.share_of_conversions),
                        reported_share_of_cancels: reported(|r| r.share_of_cancels),
                        counts,
                        rank_conversions: None,
                        rank_cancels: None,
                        high_on_both: false,
                        why_null: own_conflict,
                    }
                })
                .collect();
            let (rc, cut_c) = ranks(&out.iter().map(|t| t.share_of_conversions).collect::<Vec<_>>());
            let (rx, cut_x) = ranks(&out.iter().map(|t| t.share_of_cancels).collect::<Vec<_>>());
            for ((t, a), b) in out.iter_mut().zip(rc).zip(rx) {
                t.rank_conversions = a;
                t.rank_cancels = b;
                let top = |v: Option<Decimal>, cut: Option<Decimal>| matches!((v, cut), (Some(v), Some(c)) if v >= c && v > Decimal::ZERO);
                t.high_on_both = top(t.share_of_conversions, cut_c) && top(t.share_of_cancels, cut_x);
            }
            out.sort_by(|a, b| {
                (a.rank_conversions.unwrap_or(u32::MAX), &a.title, a.season).cmp(&(
                    b.rank_conversions.unwrap_or(u32::MAX),
                    &b.title,
                    b.season,
                ))
            });
            Period {
                start,
                end,
                rows: all.len() as u32,
                totals: if conflict.is_some() { Counts::default() } else { totals },
                titles: out,
                why_null: conflict,
            }
        })
        .collect();
    Section {
        rows: files.iter().map(|f| f.rows.len() as u64).sum(),
        periods,
        high_on_both_rule: HIGH_ON_BOTH_RULE.to_string(),
        duplicates: d.duplicates,
        conflicts: d.conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, title: &str, platform: &str, conv: Option<i64>, last: Option<i64>) -> Row {
        Row {
            line,
            start: NaiveDate::from_ymd_opt(2021, 11, 29).expect("date"),
            end: NaiveDate::from_ymd_opt(2021, 12, 5).expect("date"),
            benefit: Some("ABC+".to_string()),
            stream_type: Some("VOD".to_string()),
            content_type: Some("Movie".to_string()),
            platform: Some(platform.to_string()),
            vendor_sku: None,
            title: title.to_string(),
            season: None,
            ft_first: None,
            ho_first: Some(1),
            conversion_first: conv,
            last,
            ar_off_last: None,
            share_of_conversions: Some(Decimal::new(1, 1)),
            share_of_cancels: None,
        }
    }

    #[test]
    fn shares_are_recomputed_and_high_on_both_is_the_top_quartile() {
        // Conversions: A 5+2 = 7, B 1, C 1, D 1 → Σ 10: A 0.7; cancels: A 1 (+ an empty cell), B 5, C 2, D 2 → Σ 10.
        // Non-zero conversion shares: 0.7, 0.1, 0.1, 0.1 → ⌈4/4⌉ = 1st → A only.
        // Non-zero cancel shares: 0.5, 0.2, 0.2, 0.1 → B only. So no title is high on both.
        let rows = [
            row(2, "A", "Web", Some(5), Some(1)),
            row(3, "A", "Mobile", Some(2), None),
            row(4, "B", "Web", Some(1), Some(5)),
            row(5, "C", "Web", Some(1), Some(2)),
            row(6, "D", "Web", Some(1), Some(2)),
        ];
        let s = analyze(&[FileRows { name: "f.csv", label: "FL", rows: &rows }]);
        let p = &s.periods[0];
        assert_eq!(p.totals.conversion_first, Some(10));
        assert_eq!(p.totals.missing_cells.get("last"), Some(&1));
        let a = &p.titles[0];
        assert_eq!((a.title.as_str(), a.counts.conversion_first, a.counts.last), ("A", Some(7), Some(1)));
        assert_eq!(a.share_of_conversions, Some(Decimal::new(7, 1)));
        assert_eq!(a.reported_share_of_conversions, Some(Decimal::new(2, 1)), "0.1 + 0.1, one plan");
        assert_eq!(a.source, "f.csv lines 2, 3");
        assert!(!a.high_on_both);
        assert_eq!(p.titles.iter().find(|t| t.title == "B").and_then(|t| t.rank_cancels), Some(1));

        // Now A also leads cancels: A 1 → 9, Σ 18: A 0.5, B 0.278 → A is high on both.
        let mut rows = rows;
        rows[0].last = Some(9);
        let s = analyze(&[FileRows { name: "f.csv", label: "FL", rows: &rows }]);
        assert!(s.periods[0].titles[0].high_on_both);

        // Fewer than 4 titles: no quartile, no flag, even for a title leading both.
        let s = analyze(&[FileRows { name: "f.csv", label: "FL", rows: &rows[..4] }]);
        assert!(s.periods[0].titles.iter().all(|t| !t.high_on_both));
    }

    #[test]
    fn conflicts_null_the_period_shares() {
        let a = [row(2, "A", "Web", Some(6), Some(1))];
        let b = [row(2, "A", "Web", Some(7), Some(1))];
        let s = analyze(&[
            FileRows { name: "a.csv", label: "FL", rows: &a },
            FileRows { name: "b.csv", label: "FL", rows: &b },
        ]);
        assert_eq!(s.conflicts.len(), 1);
        assert_eq!(s.periods[0].titles[0].share_of_conversions, None);
        assert!(s.periods[0].why_null.is_some());
    }
}
