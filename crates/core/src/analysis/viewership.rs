//! Persistent-ID Viewership and Daily Anonymized viewership: the aggregates of
//! every file combined into viewers and hours by day, week and month, by title
//! (series → season → episode) with completion, by device, DMA, marketplace,
//! offer, stream type, connection, playback method and content group; a
//! weekday × hour heatmap of stream starts; how concentrated viewing is per
//! customer; and ad seconds per hour viewed.
//!
//! **Exact.** Every count and sum is exact: seconds are summed without
//! rounding, distinct customers are distinct over the whole slice (a week's
//! viewers are not the sum of its days', two files' viewers are the union of
//! their sets), by a 64-bit hash of the customer ID (a collision among 200,000
//! customers has a chance near one in a billion). Derived numbers are rounded
//! half away from zero for display: hours to 3 decimals, rates and shares to
//! 4, ad seconds per hour to 2.
//!
//! **Privacy.** No customer ID, hash or per-customer line is in the section:
//! customers appear only as counts.
//!
//! **Bounded.** The section goes to the page as JSON, so it is bounded: the top
//! [`MAX_TITLES`] titles by seconds viewed (the rest summed in one line with
//! its count), seasons and episodes for the top [`MAX_TREE_TITLES`] of them
//! (at most [`MAX_EPISODES`] episodes per season, the rest counted); days,
//! weeks, months and the small dimensions in full ([`MAX_DIMENSION_VALUES`]
//! values each at most).
//!
//! **Limitation.** Identical files are removed before this; two different
//! files that share rows (overlapping days of two exports) count those
//! streams twice. Their viewers are still counted once.

use crate::kinds::pid_viewership::{Aggregate, Dimension, SliceTotals};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Titles listed by name; the rest are summed in [`Section::other_titles`].
pub const MAX_TITLES: usize = 500;
/// Titles whose seasons and episodes are listed.
pub const MAX_TREE_TITLES: usize = 100;
/// Episodes listed per season (by seconds viewed).
pub const MAX_EPISODES: usize = 200;
/// Values listed per dimension (by seconds viewed); DMAs are about 210.
pub const MAX_DIMENSION_VALUES: usize = 300;

/// The viewership section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The files combined.
    pub files: Vec<String>,
    /// All streams.
    pub totals: Totals,
    /// Streams with an Ad Seconds Viewed cell.
    pub ad_streams: u64,
    /// Hours viewed per distinct customer.
    pub hours_per_customer: Option<Decimal>,
    /// Σ ad seconds ÷ hours viewed; `None` with [`Section::ad_seconds_per_hour_note`].
    pub ad_seconds_per_hour: Option<Decimal>,
    /// Why ad seconds per hour is missing, when it is.
    pub ad_seconds_per_hour_note: Option<String>,
    /// Earliest stream start.
    pub first_stream: Option<NaiveDateTime>,
    /// Latest stream start.
    pub last_stream: Option<NaiveDateTime>,
    /// Per day of stream start.
    pub days: Vec<Period>,
    /// Per week, Monday to Sunday (a week cut by the data's edges is still labelled by its full span).
    pub weeks: Vec<Period>,
    /// Per calendar month.
    pub months: Vec<Period>,
    /// Distinct titles (an empty Title Name counts as one, `(untitled)`).
    pub title_count: u64,
    /// The top titles by seconds viewed.
    pub titles: Vec<Title>,
    /// The titles past [`MAX_TITLES`], summed; customers are distinct over them.
    pub other_titles: Option<Other>,
    /// Completion over every stream: Σ seconds viewed ÷ (Σ runtime minutes × 60).
    pub completion: Completion,
    /// Per dimension, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionTotals>,
    /// Stream starts: `heatmap[weekday][hour]`, Monday first, hours 0-23 as written in the file.
    pub heatmap: Vec<Vec<u64>>,
    /// How hours are spread over customers.
    pub distribution: Distribution,
    /// What is truncated or assumed, for the reader.
    pub notes: Vec<String>,
}

/// Streams, seconds and distinct viewers of one slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Streams (rows).
    pub streams: u64,
    /// Σ Seconds Viewed (exact).
    pub seconds_viewed: Decimal,
    /// Hours viewed (seconds ÷ 3600, 3 decimals).
    pub hours: Decimal,
    /// Σ Ad Seconds Viewed (empty cells count nothing).
    pub ad_seconds_viewed: Decimal,
    /// Distinct customers (viewers).
    pub customers: u64,
}

/// One day, week or month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Its streams.
    pub totals: Totals,
}

/// Completion: seconds viewed against the runtime, over the streams that have one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// Σ seconds viewed ÷ (Σ Runtime Minutes × 60), over streams with a runtime (4 decimals).
    pub rate: Option<Decimal>,
    /// Streams with a Runtime Minutes cell.
    pub streams_with_runtime: u64,
    /// Streams without one (not in the rate).
    pub streams_without_runtime: u64,
    /// Why the rate is missing, when it is.
    pub note: Option<String>,
}

/// One title (series or movie), with its seasons for the top titles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Title {
    /// Title Name (`(untitled)` for an empty cell: live streams often have none).
    pub name: String,
    /// Its streams.
    pub totals: Totals,
    /// Its completion.
    pub completion: Completion,
    /// Seasons (empty past the top [`MAX_TREE_TITLES`] or for untitled streams).
    pub seasons: Vec<Season>,
}

/// One season of a title.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Season {
    /// Season Number as written (`(none)` when empty).
    pub name: String,
    /// Its streams.
    pub totals: Totals,
    /// Its completion.
    pub completion: Completion,
    /// Episodes by seconds viewed, at most [`MAX_EPISODES`].
    pub episodes: Vec<Episode>,
    /// Episodes not listed.
    pub episodes_omitted: u64,
}

/// One episode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Episode Number as written (`(none)` when empty).
    pub name: String,
    /// Its streams.
    pub totals: Totals,
    /// Its completion.
    pub completion: Completion,
}

/// Titles summed in one line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Other {
    /// How many titles.
    pub titles: u64,
    /// Their streams; customers distinct over all of them.
    pub totals: Totals,
}

/// One dimension's values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DimensionTotals {
    /// Which dimension.
    pub key: String,
    /// What a person calls it.
    pub label: String,
    /// Values by seconds viewed, at most [`MAX_DIMENSION_VALUES`].
    pub values: Vec<DimensionValue>,
    /// Values not listed (their streams are in the totals).
    pub values_omitted: u64,
}

/// One value of a dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DimensionValue {
    /// The cell as written (`(empty)` when empty).
    pub value: String,
    /// For offers: the Offer Name.
    pub detail: Option<String>,
    /// Its streams.
    pub totals: Totals,
}

/// How concentrated viewing is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Customers by their hours viewed.
    pub buckets: Vec<Bucket>,
    /// The top 1% of customers by hours (at least one customer).
    pub top_1_percent: TopShare,
    /// The top 10% of customers by hours (at least one customer).
    pub top_10_percent: TopShare,
}

/// Customers whose hours fall in `[from_hours, to_hours)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Lower bound (inclusive).
    pub from_hours: Decimal,
    /// Upper bound (exclusive); `None` for the last bucket.
    pub to_hours: Option<Decimal>,
    /// Customers in it.
    pub customers: u64,
    /// Their hours (3 decimals).
    pub hours: Decimal,
}

/// The share of all hours watched by the heaviest viewers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopShare {
    /// How many customers: ⌈n × percent⌉, at least 1.
    pub customers: u64,
    /// Their hours (3 decimals).
    pub hours: Decimal,
    /// Their hours ÷ all hours (4 decimals); `None` when no seconds were viewed.
    pub share: Option<Decimal>,
}

/// One file's aggregate, with its name.
#[derive(Debug, Clone, Copy)]
pub struct FileAggregate<'a> {
    /// The file's name.
    pub name: &'a str,
    /// What the file yielded.
    pub aggregate: &'a Aggregate,
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).normalize()
}

const SECONDS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);

fn hours(seconds: Decimal) -> Decimal {
    round(seconds / SECONDS_PER_HOUR, 3)
}

fn totals(t: &SliceTotals) -> Totals {
    Totals {
        streams: t.streams,
        seconds_viewed: t.seconds_viewed,
        hours: hours(t.seconds_viewed),
        ad_seconds_viewed: t.ad_seconds_viewed,
        customers: t.customers,
    }
}

fn completion(t: &SliceTotals) -> Completion {
    let (rate, note) = if t.runtime_streams == 0 {
        (None, Some("no stream has a Runtime Minutes value".to_string()))
    } else if t.runtime_minutes.is_zero() {
        (None, Some("Runtime Minutes is 0 on every stream that has it".to_string()))
    } else {
        (Some(round(t.runtime_seconds_viewed / (t.runtime_minutes * Decimal::from(60)), 4)), None)
    };
    Completion {
        rate,
        streams_with_runtime: t.runtime_streams,
        streams_without_runtime: t.streams - t.runtime_streams,
        note,
    }
}

fn or_label(s: &str, empty: &str) -> String {
    if s.is_empty() {
        empty.to_string()
    } else {
        s.to_string()
    }
}

/// Sorts by seconds viewed, most first, then by name, for a stable order.
fn by_seconds<T>(v: &mut [(T, &str, SliceTotals)]) {
    v.sort_by(|a, b| b.2.seconds_viewed.cmp(&a.2.seconds_viewed).then_with(|| a.1.cmp(b.1)));
}

/// Combines the aggregates of every viewership file (duplicate files already removed).
pub fn analyze(files: &[FileAggregate<'_>]) -> Section {
    let merged;
    let agg: &Aggregate = match files {
        [one] => one.aggregate,
        _ => {
            let mut m = Aggregate::default();
            for f in files {
                m.merge(f.aggregate);
            }
            merged = m;
            &merged
        }
    };
    let mut s = section(agg);
    s.files = files.iter().map(|f| f.name.to_string()).collect();
    if files.len() > 1 {
        s.notes.push(format!(
            "{} files combined: viewers are counted once across them; streams in two different files (overlapping exports) count twice",
            files.len()
        ));
    }
    s
}

/// The section of one (possibly merged) aggregate.
pub fn section(agg: &Aggregate) -> Section {
    let all = agg.total();
    let total = totals(&all);
    let mut notes = Vec::new();
    let hours_per_customer =
        (all.customers > 0).then(|| round(all.seconds_viewed / SECONDS_PER_HOUR / Decimal::from(all.customers), 3));
    let (ad_seconds_per_hour, ad_seconds_per_hour_note) = if all.seconds_viewed.is_zero() {
        (None, Some("no seconds viewed".to_string()))
    } else if agg.ad_streams() == 0 {
        (None, Some("the files have no Ad Seconds Viewed values".to_string()))
    } else {
        (Some(round(all.ad_seconds_viewed * SECONDS_PER_HOUR / all.seconds_viewed, 2)), None)
    };

    let [days, weeks, months] = agg.periods();
    let period = |v: Vec<(NaiveDate, SliceTotals)>, end: fn(NaiveDate) -> NaiveDate| -> Vec<Period> {
        v.into_iter().map(|(d, t)| Period { start: d, end: end(d), totals: totals(&t) }).collect()
    };
    let days = period(days, |d| d);
    let weeks = period(weeks, |d| d + chrono::Days::new(6));
    let months =
        period(months, |d| d.checked_add_months(chrono::Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d));

    // Titles, by seconds viewed.
    let mut titles: Vec<(usize, &str, SliceTotals)> = agg.titles().enumerate().map(|(i, (n, t))| (i, n, t)).collect();
    by_seconds(&mut titles);
    let title_count = titles.len() as u64;
    let listed: Vec<Title> = titles
        .iter()
        .take(MAX_TITLES)
        .enumerate()
        .map(|(rank, (i, name, t))| Title {
            name: or_label(name, "(untitled)"),
            totals: totals(t),
            completion: completion(t),
            seasons: if rank < MAX_TREE_TITLES && !name.is_empty() { seasons(agg, *i) } else { Vec::new() },
        })
        .collect();
    let other_titles = (titles.len() > MAX_TITLES).then(|| {
        let rest = &titles[MAX_TITLES..];
        let ids: Vec<usize> = rest.iter().map(|r| r.0).collect();
        let mut t = SliceTotals::default();
        for (_, _, r) in rest {
            t.streams += r.streams;
            t.seconds_viewed += r.seconds_viewed;
            t.ad_seconds_viewed += r.ad_seconds_viewed;
        }
        t.customers = agg.customers_of_titles(&ids);
        Other { titles: rest.len() as u64, totals: totals(&t) }
    });
    if let Some(o) = &other_titles {
        notes.push(format!(
            "Titles: the top {MAX_TITLES} of {title_count} by hours are listed; the other {} are summed in one line",
            o.titles
        ));
    }
    if title_count as usize > MAX_TREE_TITLES {
        notes.push(format!("Seasons and episodes are listed for the top {MAX_TREE_TITLES} titles"));
    }

    let dimensions = Dimension::ALL
        .iter()
        .map(|&d| {
            let mut v: Vec<((), &str, SliceTotals, Option<&str>)> =
                agg.dimension(d).into_iter().map(|(n, l, t)| ((), n, t, l)).collect();
            v.sort_by(|a, b| b.2.seconds_viewed.cmp(&a.2.seconds_viewed).then_with(|| a.1.cmp(b.1)));
            let omitted = v.len().saturating_sub(MAX_DIMENSION_VALUES) as u64;
            if omitted > 0 {
                notes.push(format!(
                    "{}: the top {MAX_DIMENSION_VALUES} values are listed, {omitted} more are not",
                    d.label()
                ));
            }
            DimensionTotals {
                key: serde_json::to_value(d).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                label: d.label().to_string(),
                values: v
                    .into_iter()
                    .take(MAX_DIMENSION_VALUES)
                    .map(|(_, n, t, l)| DimensionValue {
                        value: or_label(n, "(empty)"),
                        detail: l.map(str::to_string),
                        totals: totals(&t),
                    })
                    .collect(),
                values_omitted: omitted,
            }
        })
        .collect();

    let completion_all = completion(&all);
    if completion_all.streams_without_runtime > 0 {
        notes.push(format!(
            "Completion rates leave out {} of {}: no Runtime Minutes",
            crate::text::grouped(i64::try_from(completion_all.streams_without_runtime).unwrap_or(i64::MAX)),
            crate::text::counted(all.streams, "stream", "streams")
        ));
    }

    Section {
        files: Vec::new(),
        totals: total,
        ad_streams: agg.ad_streams(),
        hours_per_customer,
        ad_seconds_per_hour,
        ad_seconds_per_hour_note,
        first_stream: agg.first_stream,
        last_stream: agg.last_stream,
        days,
        weeks,
        months,
        title_count,
        titles: listed,
        other_titles,
        completion: completion_all,
        dimensions,
        heatmap: agg.heatmap().iter().map(|r| r.to_vec()).collect(),
        distribution: match agg.customer_millis() {
            Some(millis) => distribution(millis),
            None => distribution(agg.customer_seconds()),
        },
        notes,
    }
}

fn seasons(agg: &Aggregate, title: usize) -> Vec<Season> {
    let mut seasons = agg.seasons_of(title);
    by_seconds(&mut seasons);
    seasons
        .into_iter()
        .map(|(i, name, t)| {
            let mut eps = agg.episodes_of(i);
            by_seconds(&mut eps);
            let omitted = eps.len().saturating_sub(MAX_EPISODES) as u64;
            Season {
                name: or_label(name, "(none)"),
                totals: totals(&t),
                completion: completion(&t),
                episodes: eps
                    .into_iter()
                    .take(MAX_EPISODES)
                    .map(|(_, n, t)| Episode {
                        name: or_label(n, "(none)"),
                        totals: totals(&t),
                        completion: completion(&t),
                    })
                    .collect(),
                episodes_omitted: omitted,
            }
        })
        .collect()
}

/// Bucket bounds in hours: `[0, 1)`, `[1, 2)`, `[2, 5)`, ... `[100, ∞)`.
const BUCKETS: [u32; 8] = [0, 1, 2, 5, 10, 25, 50, 100];

/// A customer's exact seconds viewed, as the distribution sorts and sums
/// them: whole milliseconds (`i64`, the usual case) or decimals.
trait Seconds: Copy + Ord {
    /// `hours` hours.
    fn of_hours(hours: u32) -> Self;
    /// The exact sum of `values`, in seconds.
    fn sum(values: &[Self]) -> Decimal;
    /// `values` from largest to smallest.
    fn sort_descending(values: &mut [Self]);
}

impl Seconds for i64 {
    fn of_hours(hours: u32) -> i64 {
        i64::from(hours) * 3_600_000
    }
    fn sum(values: &[i64]) -> Decimal {
        let millis: i128 = values.iter().map(|&m| i128::from(m)).sum();
        // 2⁶³ ms times 2³² customers still fits Decimal's 96 bits.
        Decimal::try_from_i128_with_scale(millis, 3).unwrap_or(Decimal::MAX)
    }
    fn sort_descending(values: &mut [i64]) {
        values.sort_unstable_by(|a, b| b.cmp(a));
    }
}

impl Seconds for Decimal {
    fn of_hours(hours: u32) -> Decimal {
        Decimal::from(hours) * SECONDS_PER_HOUR
    }
    fn sum(values: &[Decimal]) -> Decimal {
        values.iter().sum()
    }
    /// Each value is first given the largest scale among them (exact: a
    /// scale only grows), so when all reach it they compare as their integer
    /// mantissas: a `Decimal` comparison of mixed scales rescales, and
    /// sorting 200,000 customers' totals that way took most of the analysis.
    fn sort_descending(values: &mut [Decimal]) {
        let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
        let mut common = true;
        for v in values.iter_mut() {
            // A mantissa that cannot take the scale stops at the largest it can.
            v.rescale(scale);
            common &= v.scale() == scale;
        }
        if common {
            values.sort_unstable_by_key(|v| std::cmp::Reverse(v.mantissa()));
        } else {
            values.sort_unstable_by(|a, b| b.cmp(a));
        }
    }
}

/// The distribution of seconds over customers (one exact total per
/// customer), sorted in place: a second vector would add to the page's peak
/// memory at the end of a big file.
fn distribution<S: Seconds>(mut per_customer: Vec<S>) -> Distribution {
    S::sort_descending(&mut per_customer);
    let total = S::sum(&per_customer);
    // Sorted from most seconds down: a bucket [lo, hi) is one run of the list,
    // found by two binary searches (not a pass over every customer per bucket).
    let at_least = |hours: u32| per_customer.partition_point(|&s| s >= S::of_hours(hours));
    let buckets = BUCKETS
        .iter()
        .enumerate()
        .map(|(i, &from)| {
            let end = at_least(from);
            let start = BUCKETS.get(i + 1).map_or(0, |&h| at_least(h)).min(end);
            let inside = &per_customer[start..end];
            Bucket {
                from_hours: Decimal::from(from),
                to_hours: BUCKETS.get(i + 1).map(|&h| Decimal::from(h)),
                customers: inside.len() as u64,
                hours: hours(S::sum(inside)),
            }
        })
        .collect();
    let top = |percent: u64| {
        let n = per_customer.len() as u64;
        let k = (n * percent).div_ceil(100).max(1).min(n);
        let sum = S::sum(&per_customer[..k as usize]);
        TopShare { customers: k, hours: hours(sum), share: (!total.is_zero()).then(|| round(sum / total, 4)) }
    };
    Distribution { buckets, top_1_percent: top(1), top_10_percent: top(10) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_exactly_at_a_common_scale_or_as_decimals() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let sorted = |mut v: Vec<Decimal>| {
            Seconds::sort_descending(&mut v[..]);
            v
        };
        let values = vec![d("2"), d("10.5"), d("0.001"), d("10.25"), d("-3"), d("10.250")];
        let mut want = values.clone();
        want.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(sorted(values.clone()), want);
        // Ten decimals, and one too large for 28: the same order.
        let mut fine = values;
        fine.push(d("0.0000000001"));
        fine.push(d("79228162514264337593543950335"));
        fine.push(d("0.0000000000000000000000000001"));
        let mut want = fine.clone();
        want.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(sorted(fine), want);
        assert!(sorted(Vec::new()).is_empty());
    }

    #[test]
    fn millis_and_decimals_give_the_same_distribution() {
        let millis: Vec<i64> = (0..1000).map(|i| (i * 7_919_777) % 400_000_000 + i).collect();
        let decimals: Vec<Decimal> = millis.iter().map(|&m| Decimal::new(m, 3).normalize()).collect();
        let (a, b) = (distribution(millis), distribution(decimals));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(a.buckets.iter().filter(|b| b.customers > 0).count() > 3, "{a:?}");
    }

    fn section_of(csv: &str) -> Section {
        let file = crate::ingest_bytes("v.csv", csv.as_bytes());
        let Some(crate::KindData::PidViewership(agg)) = &file.data else { panic!("viewership") };
        analyze(&[FileAggregate { name: "v.csv", aggregate: agg }])
    }

    /// The worker sends the section to the page as JSON: it must read back the same.
    #[test]
    fn round_trips_through_json() {
        let s = section_of(
            "Encrypted Customer ID,Stream Start Timestamp,Seconds Viewed,Ad Seconds Viewed,Title Name,Runtime Minutes\n\
             amzn1.account.A,2022-05-02 20:00,1800.5,60,Show,30\namzn1.account.B,2022-05-03 08:00,0.0001,,,\n",
        );
        let json = serde_json::to_string(&s).expect("json");
        let back: Section = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, s);
        // 1800.5 + 0.0001 (more than three decimals: kept exact).
        assert_eq!(s.totals.seconds_viewed, Decimal::new(18_005_001, 4));
    }

    /// Nothing viewed: rates are null with a reason, never zero.
    #[test]
    fn nothing_viewed_gives_reasons() {
        let s = section_of(
            "Encrypted Customer ID,Stream Start Timestamp,Seconds Viewed\namzn1.account.A,2022-05-02 20:00,0\n",
        );
        assert_eq!(s.ad_seconds_per_hour, None);
        assert_eq!(s.ad_seconds_per_hour_note.as_deref(), Some("no seconds viewed"));
        assert_eq!(s.distribution.top_1_percent.share, None);
        assert_eq!(s.completion.rate, None);
        assert_eq!(s.hours_per_customer, Some(Decimal::ZERO));
    }

    #[test]
    fn shares_take_at_least_one_customer_and_round_up() {
        // 150 customers watching 1..=150 seconds: top 1% = ⌈1.5⌉ = 2 (150 + 149 = 299 s),
        // top 10% = 15 (Σ 136..=150 = 2,145 s) of Σ 1..=150 = 11,325 s.
        let mut csv = String::from("Encrypted Customer ID,Stream Start Timestamp,Seconds Viewed\n");
        for i in 1..=150 {
            csv.push_str(&format!("amzn1.account.C{i},2022-05-02 20:00,{i}\n"));
        }
        let d = section_of(&csv).distribution;
        assert_eq!((d.top_1_percent.customers, d.top_10_percent.customers), (2, 15));
        // 299 / 11325 = 0.026402… → 0.0264; 2145 / 11325 = 0.189403… → 0.1894.
        assert_eq!(d.top_1_percent.share, Some(Decimal::new(264, 4)));
        assert_eq!(d.top_10_percent.share, Some(Decimal::new(1894, 4)));
        assert_eq!(d.buckets[0].customers, 150);
    }
}
