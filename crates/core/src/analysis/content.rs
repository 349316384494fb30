//! Contractual Content Usage and Premium Device-Level Viewership: titles, groups, offers and trends.
//!
//! The two reports share their columns but are different reports: each file's
//! `label` names which it is, and the section keeps one [`Report`] per label,
//! never adding one to the other.
//!
//! Within a report, rows are grouped by period `(start, end, cadence)`; the
//! cadence is [`Cadence::of_period`]'s (7 days weekly, a calendar month or 28
//! to 31 days monthly). Weekly and monthly periods overlap, so they are never
//! added together: a trend is the periods of one cadence in order.
//!
//! Duplicates: a row is identified by (period, Offer ID, title, season,
//! episode, content group). Rows of one file with the same identity are added
//! (they are different rows of that file); a later file with rows for an
//! identity an earlier file already gave is a duplicate when the numbers are
//! equal (counted once, listed in `duplicates`) and a conflict otherwise
//! (listed in `conflicts`; every total that would include it is `null` with the
//! reason until one file is removed).
//!
//! Measures ([`Totals`]):
//! - streams, minutes and ad minutes are sums; a sum over a missing cell is
//!   `null` with the file and line of the first missing cell (missing is not zero);
//! - ad share = ad minutes / (minutes + ad minutes) (minutes are non-ad content);
//! - "Total Customers Streamed" is per row (per title/episode, offer, content
//!   group and period): adding it over rows does not count distinct people.
//!   `customers` is therefore only given for a single row; over several rows
//!   there are `row_customers` (Σ of the rows' figures: an upper bound on the
//!   people, counting a person once per row they appear in) and
//!   `max_row_customers` (the largest single row: a lower bound);
//! - minutes per customer = minutes / `row_customers`: for one row, that row's
//!   minutes per customer; over several rows, the average minutes a row's
//!   customer streamed (weighted by customers), not minutes per distinct person.
//!
//! Every total carries `rows`, the number of rows behind it.

use super::FileRows;
use crate::kinds::content_usage::Row;
use crate::kinds::subscriptions::Cadence;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The numbers of a set of rows (a period, a title, an offer, an episode...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Rows behind these numbers.
    pub rows: usize,
    /// Σ Total Number of Streams.
    pub streams: Option<i64>,
    /// Σ Total Minutes Streamed (non-ad content).
    pub minutes: Option<Decimal>,
    /// Σ Total Ad Minutes Streamed.
    pub ad_minutes: Option<Decimal>,
    /// Ad minutes / (minutes + ad minutes), a fraction.
    pub ad_share: Option<Decimal>,
    /// Total Customers Streamed, only when one row is behind these numbers.
    pub customers: Option<i64>,
    /// Σ Total Customers Streamed over the rows (not distinct people: an upper bound).
    pub row_customers: Option<i64>,
    /// The largest Total Customers Streamed of one row (a lower bound on distinct people).
    pub max_row_customers: Option<i64>,
    /// Minutes / row customers.
    pub minutes_per_customer: Option<Decimal>,
    /// Why a measure is `null`, by its key.
    pub why_null: BTreeMap<String, String>,
}

/// The numbers of one value of a split (content type, content group, offer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The value (`TV`, `3P_SUBS`, an Offer ID); `null` when the cell is empty.
    pub key: Option<String>,
    /// For offers: the plan name(s) as written.
    pub name: Option<String>,
    /// Its numbers.
    pub totals: Totals,
}

/// One episode (or, for a movie, the title itself) within a season.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Episode number.
    pub episode: Option<i64>,
    /// Episode name, as the first row with one writes it.
    pub name: Option<String>,
    /// Its numbers (over offers and content groups).
    pub totals: Totals,
}

/// One season of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Season {
    /// Season number (`null` for rows without one).
    pub season: Option<i64>,
    /// Its numbers.
    pub totals: Totals,
    /// Its episodes, by number (rows without one last).
    pub episodes: Vec<Episode>,
}

/// One series or movie within a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Title {
    /// Series or movie title.
    pub title: String,
    /// `TV` or `Movie`, as written.
    pub content_type: String,
    /// Its numbers.
    pub totals: Totals,
    /// Seasons, by number; empty when no row of the title has a season or episode.
    pub seasons: Vec<Season>,
}

/// One reporting period of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First day (inclusive).
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Monthly or weekly.
    pub cadence: Cadence,
    /// The period's numbers over every row.
    pub totals: Totals,
    /// Split by Content Type (TV, Movie), by key.
    pub content_types: Vec<Group>,
    /// Split by Content Group (3P_SUBS, FREE, PRIME), by key.
    pub content_groups: Vec<Group>,
    /// Per Offer ID, by key.
    pub offers: Vec<Group>,
    /// Titles, most minutes first (unknown minutes last), then by title.
    pub titles: Vec<Title>,
    /// Files the rows came from.
    pub files: Vec<String>,
    /// Rows of a later file equal to an earlier file's, counted once.
    pub duplicates: Vec<String>,
    /// Rows on which two files disagree; totals including them are `null`.
    pub conflicts: Vec<String>,
}

/// One report (Contractual Content Usage, or Premium Device-Level Viewership).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The report's name (the files' label).
    pub label: String,
    /// Its files, in input order.
    pub files: Vec<String>,
    /// Rows used (duplicates counted once).
    pub rows: usize,
    /// Periods sorted by start, then cadence, then end.
    pub periods: Vec<Period>,
}

/// The Content Usage section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
    /// One report per label, sorted by label.
    pub reports: Vec<Report>,
}

/// The four measures of a row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measures {
    pub(crate) streams: Option<i64>,
    pub(crate) customers: Option<i64>,
    pub(crate) minutes: Option<Decimal>,
    pub(crate) ad_minutes: Option<Decimal>,
}

/// A sum that is unknown as soon as one term is missing, remembering where.
#[derive(Debug, Clone, Default, PartialEq)]
struct Acc<T> {
    sum: T,
    terms: usize,
    missing: Option<String>,
}

impl<T: Copy + std::ops::AddAssign> Acc<T> {
    fn add(&mut self, v: Option<T>, at: &dyn Fn() -> String) {
        match v {
            Some(v) => {
                self.sum += v;
                self.terms += 1;
            }
            None => {
                if self.missing.is_none() {
                    self.missing = Some(at());
                }
            }
        }
    }

    fn merge(&mut self, o: &Acc<T>) {
        self.sum += o.sum;
        self.terms += o.terms;
        if self.missing.is_none() {
            self.missing.clone_from(&o.missing);
        }
    }

    /// The sum, or why not (no value at all, or one missing).
    fn get(&self, column: &str) -> Result<T, String> {
        match &self.missing {
            None if self.terms > 0 => Ok(self.sum),
            None => Err(format!("no \"{column}\" values")),
            Some(_) if self.terms == 0 => Err(format!("no \"{column}\" values (the report may not have this column)")),
            Some(at) => Err(format!("\"{column}\" is empty on {at}")),
        }
    }

    fn complete(&self) -> bool {
        self.terms > 0 && self.missing.is_none()
    }
}

/// Running totals of a set of rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Sums {
    rows: usize,
    streams: Acc<i64>,
    customers: Acc<i64>,
    minutes: Acc<Decimal>,
    ad_minutes: Acc<Decimal>,
    max_customers: Option<i64>,
    /// Two files disagree on a row behind these sums.
    conflict: Option<String>,
}

impl Sums {
    /// Adds one row's measures, at `line` of `file`.
    pub(crate) fn add(&mut self, m: Measures, file: &str, line: u64) {
        let at = || format!("line {line} of {file}");
        self.rows += 1;
        self.streams.add(m.streams, &at);
        self.customers.add(m.customers, &at);
        self.minutes.add(m.minutes, &at);
        self.ad_minutes.add(m.ad_minutes, &at);
        self.max_customers = self.max_customers.max(m.customers);
    }

    /// Adds another set of rows.
    pub(crate) fn merge(&mut self, o: &Sums) {
        self.rows += o.rows;
        self.streams.merge(&o.streams);
        self.customers.merge(&o.customers);
        self.minutes.merge(&o.minutes);
        self.ad_minutes.merge(&o.ad_minutes);
        self.max_customers = self.max_customers.max(o.max_customers);
        if self.conflict.is_none() {
            self.conflict.clone_from(&o.conflict);
        }
    }

    /// Whether two files say the same: equal on every measure both have in full.
    pub(crate) fn same_numbers(&self, o: &Sums) -> bool {
        fn eq<T: PartialEq + Copy + std::ops::AddAssign>(a: &Acc<T>, b: &Acc<T>) -> bool {
            !(a.complete() && b.complete()) || a.sum == b.sum
        }
        eq(&self.streams, &o.streams)
            && eq(&self.customers, &o.customers)
            && eq(&self.minutes, &o.minutes)
            && eq(&self.ad_minutes, &o.ad_minutes)
    }

    /// Marks these sums as disputed.
    pub(crate) fn set_conflict(&mut self, why: String) {
        self.conflict.get_or_insert(why);
    }

    /// The totals a reader sees.
    pub(crate) fn totals(&self) -> Totals {
        let mut t = Totals { rows: self.rows, ..Totals::default() };
        let mut why = BTreeMap::new();
        if let Some(c) = &self.conflict {
            for k in [
                "streams",
                "minutes",
                "ad_minutes",
                "ad_share",
                "customers",
                "row_customers",
                "max_row_customers",
                "minutes_per_customer",
            ] {
                why.insert(k, format!("files disagree: {c}"));
            }
            t.why_null = why.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            return t;
        }
        let mut take = |k: &'static str, r: Result<i64, String>| r.map_err(|e| why.insert(k, e)).ok();
        t.streams = take("streams", self.streams.get("Total Number of Streams"));
        t.row_customers = take("row_customers", self.customers.get("Total Customers Streamed"));
        let mut take = |k: &'static str, r: Result<Decimal, String>| r.map_err(|e| why.insert(k, e)).ok();
        t.minutes = take("minutes", self.minutes.get("Total Minutes Streamed"));
        t.ad_minutes = take("ad_minutes", self.ad_minutes.get("Total Ad Minutes Streamed"));
        t.max_row_customers = self.max_customers;
        if t.max_row_customers.is_none() {
            why.insert("max_row_customers", "no \"Total Customers Streamed\" values".to_string());
        }
        if self.rows == 1 {
            t.customers = t.row_customers;
            if t.customers.is_none() {
                why.insert("customers", "\"Total Customers Streamed\" is empty".to_string());
            }
        } else {
            why.insert(
                "customers",
                format!(
                    "{} rows: a person can be in several rows, so their customers are not added \
                     (see row_customers and max_row_customers)",
                    self.rows
                ),
            );
        }
        match (t.minutes, t.ad_minutes) {
            (Some(m), Some(a)) if !(m + a).is_zero() => t.ad_share = Some(a / (m + a)),
            (Some(_), Some(_)) => {
                why.insert("ad_share", "no minutes streamed".to_string());
            }
            _ => {
                why.insert("ad_share", "needs minutes and ad minutes".to_string());
            }
        }
        match (t.minutes, t.row_customers) {
            (Some(m), Some(c)) if c != 0 => t.minutes_per_customer = Some(m / Decimal::from(c)),
            (Some(_), Some(_)) => {
                why.insert("minutes_per_customer", "no customers".to_string());
            }
            _ => {
                why.insert("minutes_per_customer", "needs minutes and customers".to_string());
            }
        }
        t.why_null = why.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        t
    }
}

/// A period's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PeriodKey {
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) cadence: Cadence,
}

impl PeriodKey {
    /// The period of a row.
    pub(crate) fn of(start: NaiveDate, end: NaiveDate) -> PeriodKey {
        PeriodKey { start, end, cadence: Cadence::of_period(start, end, None) }
    }

    /// `2024-01-01 to 2024-01-31`.
    pub(crate) fn name(&self) -> String {
        format!("{} to {}", self.start, self.end)
    }
}

/// A row's identity within a period.
type RowKey = (String, String, Option<i64>, Option<i64>, Option<String>);

/// What a row says besides its identity and measures.
#[derive(Debug, Clone)]
struct Info {
    content_type: String,
    episode_name: Option<String>,
    subscription: Option<String>,
}

/// Rows of one identity: their sums, what they say, which file gave them.
#[derive(Debug, Clone)]
pub(crate) struct Entry<I> {
    pub(crate) sums: Sums,
    pub(crate) info: I,
    pub(crate) file: usize,
}

/// The rows of one period kept across files, by identity `K`.
pub(crate) struct PeriodAcc<K, I> {
    pub(crate) entries: BTreeMap<K, Entry<I>>,
    /// Indices of the files that gave kept rows.
    pub(crate) files: BTreeSet<usize>,
    pub(crate) duplicates: BTreeSet<String>,
    pub(crate) conflicts: Vec<String>,
}

impl<K, I> Default for PeriodAcc<K, I> {
    fn default() -> Self {
        PeriodAcc {
            entries: BTreeMap::new(),
            files: BTreeSet::new(),
            duplicates: BTreeSet::new(),
            conflicts: Vec::new(),
        }
    }
}

/// One row as [`keep_once`] reads it: start, end, line and measures.
pub(crate) type RowFacts = (NaiveDate, NaiveDate, u64, Measures);

/// Groups the rows of `files` by period and identity (`key`). Within a file,
/// rows of one identity are added up (`info` starts from the first, `fill`
/// completes it from each). Across files, an identity seen in an earlier
/// file is counted once: equal numbers are a duplicate, different ones a
/// conflict (described with `describe`) that blanks the sums it is in.
pub(crate) fn keep_once<R, K: Ord, I>(
    files: &[&FileRows<'_, R>],
    facts: impl Fn(&R) -> RowFacts,
    key: impl Fn(&R) -> K,
    info: impl Fn(&R) -> I,
    fill: impl Fn(&mut I, &R),
    describe: impl Fn(&K) -> String,
) -> BTreeMap<PeriodKey, PeriodAcc<K, I>> {
    let mut periods: BTreeMap<PeriodKey, PeriodAcc<K, I>> = BTreeMap::new();
    for (fi, file) in files.iter().enumerate() {
        let mut mine: BTreeMap<(PeriodKey, K), (Sums, I)> = BTreeMap::new();
        for r in file.rows {
            let (start, end, line, m) = facts(r);
            let e = mine.entry((PeriodKey::of(start, end), key(r))).or_insert_with(|| (Sums::default(), info(r)));
            e.0.add(m, file.name, line);
            fill(&mut e.1, r);
        }
        for ((pk, key), (sums, info)) in mine {
            let acc = periods.entry(pk).or_default();
            match acc.entries.get_mut(&key) {
                Some(first) if first.file != fi => {
                    if first.sums.same_numbers(&sums) {
                        acc.duplicates.insert(format!(
                            "{}: rows for {} duplicate {} and were counted once",
                            file.name,
                            pk.name(),
                            files[first.file].name
                        ));
                    } else {
                        let c = format!(
                            "{} and {} disagree on {} for {}",
                            files[first.file].name,
                            file.name,
                            describe(&key),
                            pk.name()
                        );
                        first.sums.set_conflict(c.clone());
                        acc.conflicts.push(c);
                    }
                }
                Some(first) => first.sums.merge(&sums),
                None => {
                    acc.files.insert(fi);
                    acc.entries.insert(key, Entry { sums, info, file: fi });
                }
            }
        }
    }
    periods
}

fn describe(k: &RowKey) -> String {
    let (offer, title, season, episode, group) = k;
    let mut s = format!("offer \"{offer}\", \"{title}\"");
    if let Some(n) = season {
        s.push_str(&format!(" season {n}"));
    }
    if let Some(n) = episode {
        s.push_str(&format!(" episode {n}"));
    }
    if let Some(g) = group {
        s.push_str(&format!(" ({g})"));
    }
    s
}

/// Sorts key → sums into groups.
fn groups(map: BTreeMap<Option<String>, (Sums, BTreeSet<String>)>) -> Vec<Group> {
    map.into_iter()
        .map(|(key, (sums, names))| Group {
            key,
            name: (!names.is_empty()).then(|| names.into_iter().collect::<Vec<_>>().join(" / ")),
            totals: sums.totals(),
        })
        .collect()
}

/// Orders by minutes, most first, unknown last.
pub(crate) fn by_minutes_desc(a: &Totals, b: &Totals) -> std::cmp::Ordering {
    match (a.minutes, b.minutes) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

type EpisodeMap = BTreeMap<(Option<i64>, Option<i64>), (Sums, Option<String>)>;

fn period(key: PeriodKey, acc: &PeriodAcc<RowKey, Info>, names: &[&str]) -> Period {
    let mut all = Sums::default();
    let mut types: BTreeMap<Option<String>, (Sums, BTreeSet<String>)> = BTreeMap::new();
    let mut cgroups: BTreeMap<Option<String>, (Sums, BTreeSet<String>)> = BTreeMap::new();
    let mut offers: BTreeMap<Option<String>, (Sums, BTreeSet<String>)> = BTreeMap::new();
    let mut titles: BTreeMap<(String, String), (Sums, EpisodeMap)> = BTreeMap::new();
    for ((offer, title, season, episode, group), e) in &acc.entries {
        all.merge(&e.sums);
        types.entry(Some(e.info.content_type.clone())).or_default().0.merge(&e.sums);
        cgroups.entry(group.clone()).or_default().0.merge(&e.sums);
        let o = offers.entry(Some(offer.clone())).or_default();
        o.0.merge(&e.sums);
        o.1.extend(e.info.subscription.clone());
        let t = titles.entry((title.clone(), e.info.content_type.clone())).or_default();
        t.0.merge(&e.sums);
        let ep = t.1.entry((*season, *episode)).or_default();
        ep.0.merge(&e.sums);
        if ep.1.is_none() {
            ep.1.clone_from(&e.info.episode_name);
        }
    }
    // Numbered seasons and episodes first, then those without a number.
    let numbered = |n: Option<i64>| (n.is_none(), n);
    let mut titles: Vec<Title> = titles
        .into_iter()
        .map(|((title, content_type), (sums, eps))| {
            let flat =
                eps.keys().all(|(s, e)| s.is_none() && e.is_none()) && eps.values().all(|(_, name)| name.is_none());
            let mut seasons: BTreeMap<(bool, Option<i64>), (Sums, Vec<Episode>)> = BTreeMap::new();
            if !flat {
                let mut eps: Vec<_> = eps.into_iter().collect();
                eps.sort_by_key(|((s, e), _)| (numbered(*s), numbered(*e)));
                for ((s, e), (sums, name)) in eps {
                    let season = seasons.entry(numbered(s)).or_default();
                    season.0.merge(&sums);
                    season.1.push(Episode { episode: e, name, totals: sums.totals() });
                }
            }
            Title {
                title,
                content_type,
                totals: sums.totals(),
                seasons: seasons
                    .into_iter()
                    .map(|((_, season), (sums, episodes))| Season { season, totals: sums.totals(), episodes })
                    .collect(),
            }
        })
        .collect();
    titles.sort_by(|a, b| by_minutes_desc(&a.totals, &b.totals).then_with(|| a.title.cmp(&b.title)));
    Period {
        start: key.start,
        end: key.end,
        cadence: key.cadence,
        totals: all.totals(),
        content_types: groups(types),
        content_groups: groups(cgroups),
        offers: groups(offers),
        titles,
        files: acc.files.iter().map(|&i| names[i].to_string()).collect(),
        duplicates: acc.duplicates.iter().cloned().collect(),
        conflicts: acc.conflicts.clone(),
    }
}

/// Analyses the rows of every file of one report (all with the same label).
fn report(label: &str, files: &[&FileRows<'_, Row>]) -> Report {
    let names: Vec<&str> = files.iter().map(|f| f.name).collect();
    let periods = keep_once(
        files,
        |r| {
            (
                r.start,
                r.end,
                r.line,
                Measures { streams: r.streams, customers: r.customers, minutes: r.minutes, ad_minutes: r.ad_minutes },
            )
        },
        |r| (r.offer_id.clone(), r.title.clone(), r.season, r.episode, r.content_group.clone()),
        |r| Info { content_type: r.content_type.clone(), episode_name: None, subscription: None },
        |i, r| {
            if i.episode_name.is_none() {
                i.episode_name.clone_from(&r.episode_name);
            }
            if i.subscription.is_none() {
                i.subscription.clone_from(&r.subscription);
            }
        },
        describe,
    );
    let mut out: Vec<Period> = periods.iter().map(|(k, acc)| period(*k, acc, &names)).collect();
    out.sort_by_key(|p| (p.start, p.cadence, p.end));
    Report {
        label: label.to_string(),
        files: names.iter().map(|n| n.to_string()).collect(),
        rows: out.iter().map(|p| p.totals.rows).sum(),
        periods: out,
    }
}

/// Analyses the rows of every Content Usage file (duplicate files already
/// removed): one report per file label.
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let mut by_label: BTreeMap<&str, Vec<&FileRows<'_, Row>>> = BTreeMap::new();
    for f in files {
        by_label.entry(f.label).or_default().push(f);
    }
    let reports: Vec<Report> = by_label.into_iter().map(|(label, fs)| report(label, &fs)).collect();
    Section { rows: reports.iter().map(|r| r.rows as u64).sum(), reports }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        line: u64,
        start: &str,
        title: &str,
        season: Option<i64>,
        episode: Option<i64>,
        group: &str,
        streams: i64,
        customers: i64,
        minutes: &str,
    ) -> Row {
        let start = NaiveDate::from_str(start).unwrap();
        Row {
            line,
            start,
            end: start + chrono::Days::new(6),
            offer_id: "OFFER".to_string(),
            subscription: Some("Plan".to_string()),
            vendor_sku: None,
            content_type: if season.is_some() { "TV" } else { "Movie" }.to_string(),
            title: title.to_string(),
            season,
            episode,
            episode_name: None,
            content_group: Some(group.to_string()),
            streams: Some(streams),
            customers: Some(customers),
            minutes: Some(d(minutes)),
            ad_minutes: Some(Decimal::ZERO),
        }
    }

    fn files<'a>(name: &'a str, label: &'a str, rows: &'a [Row]) -> FileRows<'a, Row> {
        FileRows { name, label, rows }
    }

    #[test]
    fn customers_are_not_added_across_rows() {
        let rows = [
            row(2, "2024-01-01", "Show", Some(1), Some(1), "3P_SUBS", 10, 8, "100"),
            row(3, "2024-01-01", "Show", Some(1), Some(2), "3P_SUBS", 6, 5, "50"),
        ];
        let s = analyze(&[files("a.csv", "Contractual Content Usage", &rows)]);
        let t = &s.reports[0].periods[0].titles[0];
        assert_eq!(t.totals.customers, None);
        assert!(t.totals.why_null["customers"].starts_with("2 rows"));
        assert_eq!(t.totals.row_customers, Some(13));
        assert_eq!(t.totals.max_row_customers, Some(8));
        // 150 / 13
        assert_eq!(t.totals.minutes_per_customer, Some(d("150") / d("13")));
        assert_eq!(t.seasons[0].episodes[1].totals.customers, Some(5));
        assert_eq!(t.seasons[0].episodes[1].totals.minutes_per_customer, Some(d("10")));
    }

    #[test]
    fn labels_are_separate_reports() {
        let rows = [row(2, "2024-01-01", "Film", None, None, "PRIME", 1, 1, "9")];
        let s = analyze(&[
            files("a.csv", "Contractual Content Usage", &rows),
            files("b.csv", "Premium Device-Level Viewership", &rows),
        ]);
        assert_eq!(s.reports.len(), 2);
        assert_eq!(s.reports[0].periods[0].totals.minutes, Some(d("9")));
        assert_eq!(s.reports[1].periods[0].totals.minutes, Some(d("9")));
        assert!(s.reports[0].periods[0].duplicates.is_empty());
        assert_eq!(s.rows, 2);
    }

    #[test]
    fn duplicates_once_conflicts_null() {
        let a = [
            row(2, "2024-01-01", "Film", None, None, "PRIME", 1, 1, "9"),
            row(3, "2024-01-01", "Other", None, None, "PRIME", 2, 2, "4"),
        ];
        let mut b = a.clone();
        let s = analyze(&[files("a.csv", "L", &a), files("b.csv", "L", &b)]);
        let p = &s.reports[0].periods[0];
        assert_eq!(p.totals.minutes, Some(d("13")));
        assert_eq!(p.totals.rows, 2);
        assert_eq!(p.duplicates.len(), 1);
        b[0].minutes = Some(d("10"));
        let s = analyze(&[files("a.csv", "L", &a), files("b.csv", "L", &b)]);
        let p = &s.reports[0].periods[0];
        assert_eq!(p.totals.minutes, None);
        assert_eq!(
            p.conflicts,
            vec!["a.csv and b.csv disagree on offer \"OFFER\", \"Film\" (PRIME) for 2024-01-01 to 2024-01-07"]
        );
        let other = p.titles.iter().find(|t| t.title == "Other").unwrap();
        assert_eq!(other.totals.minutes, Some(d("4")));
        let film = p.titles.iter().find(|t| t.title == "Film").unwrap();
        assert!(film.totals.why_null["minutes"].starts_with("files disagree"));
        assert!(film.seasons.is_empty());
    }

    #[test]
    fn a_missing_cell_is_not_zero() {
        let mut rows = [
            row(2, "2024-01-01", "Film", None, None, "PRIME", 1, 1, "9"),
            row(3, "2024-01-01", "Other", None, None, "FREE", 2, 2, "4"),
        ];
        rows[1].ad_minutes = None;
        let s = analyze(&[files("a.csv", "L", &rows)]);
        let p = &s.reports[0].periods[0];
        assert_eq!(p.totals.ad_minutes, None);
        assert_eq!(p.totals.why_null["ad_minutes"], "\"Total Ad Minutes Streamed\" is empty on line 3 of a.csv");
        assert_eq!(p.totals.why_null["ad_share"], "needs minutes and ad minutes");
        assert_eq!(p.content_groups[1].key.as_deref(), Some("PRIME"));
        assert_eq!(p.content_groups[1].totals.ad_share, Some(Decimal::ZERO));
    }
}
