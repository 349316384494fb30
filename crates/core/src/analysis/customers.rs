//! Persistent-ID Subscriptions: actives rebuilt per day, churn, resubscribers, tenure and survival; with viewership, viewing before a cancel and a reconciliation against Contractual Subscriptions.
//!
//! # What a row means
//!
//! The report guide calls a row "a transactional record when a customer goes
//! Active or is Cancelled", with the status "on the Report Date" and an
//! optional Status Start and End. The same status may appear in several
//! files (daily snapshots, a monthly file and its days). So a row is read as
//! one *status* of one customer, identified by (customer, offer, billing type,
//! status, Status Start); the same status in another row or file counts once
//! (a *duplicate*). Two rows of the same status whose known Status Ends differ
//! are a *conflict*: counted, listed (customer as a shortened hash), and the
//! row with the latest Report Date is used. An empty End beside a known one is
//! not a conflict (the later snapshot knows more).
//!
//! A row without a Status Start takes its Report Date (midnight) as its start
//! (the guide says the status holds on that date); how many did is a note.
//!
//! Two shapes of Cancelled rows exist and the data does not say which one a
//! file uses: the Cancelled status itself (Start = the cancel, End = when the
//! customer came back, as the demo writes it), or the entitlement that the
//! cancel ended (Start = when it began, End = the cancel, as the guide's sample
//! row reads). The rule: a Cancelled row with both times whose Start equals the
//! End of one of the customer's Active rows is the first shape (cancel at its
//! Start); with an End otherwise it is the second (active from its Start,
//! cancel at its End); without an End the cancel is at its Start.
//!
//! # The timeline
//!
//! Each customer's statuses are sorted by time (a cancel before an activation at
//! the same instant). Walking them: an activation while inactive is a *start*
//! (a *restart* after an earlier cancel, making the customer a *resubscriber*);
//! an activation while active on another offer or billing type is a plan change
//! (e.g. a trial converting), not a start; a cancel while active is a *cancel*.
//! A customer whose first status is a cancel was active before it (only two
//! statuses exist) since an unknown time: they count as active from the first
//! report date until the cancel, and are left out of tenure and survival
//! (their start is unknown). A cancel while already cancelled is counted apart
//! (`cancels_while_inactive`), not as a cancel. An Active row's own End is not
//! used: the next status of the customer ends it.
//!
//! *Actives on a day* = customers active at the end of that day (started on or
//! before it, not cancelled before the next day), per offer and billing type,
//! for every day from the first to the last Report Date. Starts and cancels are
//! counted on the day they happen, when that day is in this span.
//!
//! *Gross churn* of a month = cancels in the month / actives at its start (the
//! end of the day before). For a month that starts on or before the first
//! Report Date, who was active at its start is unknown, so it is `null` with
//! that reason. The Contractual report's formula, cancels / (actives at the end
//! + cancels), is given beside it (`churn_vs_end`).
//!
//! *Serial churners*: customers with 3 or more cancels.
//!
//! *Tenure*: per customer, the days active in the rows (until a cancel, or the
//! end of the last Report Date for those still active), in buckets.
//!
//! # Survival (Kaplan-Meier)
//!
//! A *spell* runs from a start to the next cancel, grouped by the offer and
//! billing type it started on. Its duration is in whole days. A cancel is an
//! event; a spell still active at the end of the last Report Date is censored
//! there. With `n_i` spells at risk at day `t_i` (duration ≥ `t_i`) and `d_i`
//! events at `t_i`:
//!
//! `S(t) = Π over t_i ≤ t of (1 − d_i / n_i)`
//!
//! Censored spells at `t_i` are at risk at `t_i` (censoring after events).
//! Example: durations 2 (event), 3 (censored), 5 (event), 5 (event): at day 2,
//! 4 at risk, 1 event: S = 3/4; day 3: 1 censored, S stays 3/4; day 5: 2 at
//! risk, 2 events: S = 3/4 × 0 = 0. The median is the first day with S ≤ 1/2.
//!
//! # With viewership
//!
//! Customers are joined on [`customer_key`](crate::kinds::pid_viewership::customer_key) (the hash every per-customer report
//! uses). Only customers present in both a subscriptions and a viewership file
//! count. A customer-day in more than one viewership file is taken once (the
//! larger value), never summed. *Cancellers*: each joined customer's last
//! cancel; their viewing is the seconds of the 30 days before the cancel's day
//! (the cancel's own day is left out: its streams cannot be placed before or
//! after the cancel). *Stayers*: joined customers active at the end of the last
//! Report Date who never cancelled, over the 30 days ending on the last day both
//! data have. Windows are clipped to the days the viewership covers (first to
//! last stream), and the covered days are reported. Titles last watched by
//! cancellers: each canceller's last stream in the viewership, when it is not
//! after the cancel.
//!
//! # Reconciliation
//!
//! For each Contractual Subscriptions period that ends within the span, the HO
//! actives rebuilt at the end of its last day, per offer and in total, against
//! its End Subscriptions ("EOP paid subs"); the difference (rebuilt − EOP) and
//! the relative difference are shown, whatever they are. The Contractual
//! section keeps no FT EOP per period, so FT is not reconciled.
//!
//! # Memory and privacy
//!
//! State grows with distinct statuses, customers, offers and days, never with
//! repeated rows. Customer IDs are hashed on reading; the section holds counts
//! and at most 8-hex-digit shortened hashes.

use super::subscriptions::Period;
use super::viewership::FileAggregate;
use crate::kinds::pid_subscriptions::{Status, Statuses};
use crate::kinds::subscriptions::Category;
use crate::text::counted;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The days before a cancel whose viewing is compared.
pub const WINDOW_DAYS: i64 = 30;
/// How many titles last watched by cancellers are listed.
pub const TOP_TITLES: usize = 10;
/// How many conflicts are described (all are counted).
const MAX_CONFLICTS_LISTED: usize = 20;

/// The Persistent-ID Subscriptions section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows read across the files (before removing repeated statuses).
    pub rows: u64,
    /// Distinct statuses after removing repeats.
    pub statuses: u64,
    /// Rows repeating a status already read (counted once).
    pub duplicates: u64,
    /// Statuses whose rows disagree on the Status End.
    pub conflicts: u64,
    /// The first conflicts, described (customer as a shortened hash).
    pub conflict_examples: Vec<String>,
    /// Files the rows came from.
    pub files: Vec<String>,
    /// Distinct customers.
    pub customers: u64,
    /// First Report Date.
    pub first_date: Option<NaiveDate>,
    /// Last Report Date.
    pub last_date: Option<NaiveDate>,
    /// Customers active at the end of the last Report Date.
    pub actives_last_date: u64,
    /// Starts in the span (first starts and restarts).
    pub starts: u64,
    /// Of the starts, restarts after a cancel.
    pub restarts: u64,
    /// Cancels in the span.
    pub cancels: u64,
    /// Customers who started again after a cancel.
    pub resubscribers: u64,
    /// Customers with 3 or more cancels.
    pub serial_churners: u64,
    /// Customers whose first status is a cancel (active since an unknown time).
    pub left_censored: u64,
    /// Cancels of a customer already cancelled (not counted as cancels).
    pub cancels_while_inactive: u64,
    /// Rows without a Status Start (their Report Date taken as the start).
    pub rows_without_start: u64,
    /// One entry per day of the span.
    pub daily: Vec<Day>,
    /// One entry per calendar month the span touches.
    pub months: Vec<Month>,
    /// Per offer and billing type, sorted.
    pub groups: Vec<Group>,
    /// Tenure buckets, shortest first.
    pub tenure: Vec<TenureBucket>,
    /// Viewing before a cancel vs stayers, and last titles; `null` without viewership.
    pub viewing: Option<Viewing>,
    /// Why `viewing` is `null`.
    pub why_no_viewing: Option<String>,
    /// Rebuilt HO actives against Contractual End Subscriptions.
    pub reconciliation: Vec<Reconciliation>,
    /// What a reader should know about these numbers.
    pub notes: Vec<String>,
}

/// One day of the span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// The day.
    pub date: NaiveDate,
    /// Customers active at its end.
    pub actives: u64,
    /// Starts on it.
    pub starts: u64,
    /// Cancels on it.
    pub cancels: u64,
}

/// One calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Actives at the start (end of the previous day); `null` when unknown.
    pub actives_at_start: Option<u64>,
    /// Actives at the end of the month's last day in the span.
    pub actives_at_end: u64,
    /// Starts in the month (within the span).
    pub starts: u64,
    /// Cancels in the month (within the span).
    pub cancels: u64,
    /// cancels / actives at start, a fraction.
    pub gross_churn: Option<Decimal>,
    /// cancels / (actives at end + cancels), a fraction (the Contractual formula).
    pub churn_vs_end: Option<Decimal>,
    /// Why a rate is `null`, by name.
    pub why_null: BTreeMap<String, String>,
}

/// One offer and billing type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The Offer ID.
    pub offer: String,
    /// FT or HO.
    pub billing_type: Category,
    /// Actives at the end of the last Report Date.
    pub actives_last_date: u64,
    /// Starts on this offer and type.
    pub starts: u64,
    /// Cancels while on this offer and type.
    pub cancels: u64,
    /// Survival of the spells started on it.
    pub survival: Survival,
}

/// A Kaplan-Meier survival curve.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Survival {
    /// Spells.
    pub spells: u64,
    /// Of them, ended by a cancel.
    pub events: u64,
    /// Of them, still active at the end (censored).
    pub censored: u64,
    /// One point per day with an event or a censoring, in order.
    pub points: Vec<SurvivalPoint>,
    /// First day with survival ≤ 1/2.
    pub median_days: Option<i64>,
    /// Why `median_days` is `null`.
    pub why_no_median: Option<String>,
}

/// One step of a survival curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalPoint {
    /// Days since the start.
    pub day: i64,
    /// Spells at risk (duration ≥ day).
    pub at_risk: u64,
    /// Cancels on that day.
    pub events: u64,
    /// Spells censored on that day.
    pub censored: u64,
    /// S(day), a fraction.
    pub survival: Decimal,
}

/// Customers whose days active fall in `[min_days, max_days)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenureBucket {
    /// `under 1 month`, `1–3 months`, ...
    pub label: String,
    /// Lower bound, days (inclusive).
    pub min_days: i64,
    /// Upper bound, days (exclusive); `null` for the last.
    pub max_days: Option<i64>,
    /// Customers.
    pub customers: u64,
    /// Of them, active at the end of the last Report Date.
    pub still_active: u64,
}

/// Subscriptions joined with viewership.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Viewing {
    /// Customers in the viewership files.
    pub viewing_customers: u64,
    /// Customers in both.
    pub matched: u64,
    /// First day of viewing.
    pub first_day: Option<NaiveDate>,
    /// Last day of viewing.
    pub last_day: Option<NaiveDate>,
    /// Joined cancellers, over the 30 days before their last cancel.
    pub cancellers: ViewingGroup,
    /// Joined stayers, over the last 30 days.
    pub stayers: ViewingGroup,
    /// Joined cancellers whose window has no day of viewership data.
    pub cancellers_without_window: u64,
    /// Titles last watched by joined cancellers, most frequent first.
    pub last_titles: Vec<TitleCount>,
    /// Joined cancellers whose last known stream is after the cancel.
    pub last_stream_after_cancel: u64,
}

/// Viewing of one group of customers over their windows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewingGroup {
    /// Customers.
    pub customers: u64,
    /// Of them, with no viewing in the window.
    pub watched_nothing: u64,
    /// Mean hours in the window.
    pub mean_hours: Option<Decimal>,
    /// Median hours in the window.
    pub median_hours: Option<Decimal>,
    /// Mean days of the window covered by the viewership.
    pub mean_covered_days: Option<Decimal>,
}

/// A title and how many cancellers watched it last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TitleCount {
    /// The title (`(untitled)` when the cell was empty).
    pub title: String,
    /// Cancellers.
    pub cancellers: u64,
}

/// Rebuilt actives against a Contractual period's EOP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// The period's first day.
    pub period_start: NaiveDate,
    /// The period's last day (the date actives are rebuilt at).
    pub period_end: NaiveDate,
    /// The offer; `null` for all offers together.
    pub offer: Option<String>,
    /// HO actives rebuilt from the rows at the end of `period_end`.
    pub rebuilt: i64,
    /// The Contractual EOP paid (HO) subs.
    pub eop: Option<i64>,
    /// rebuilt − EOP.
    pub difference: Option<i64>,
    /// (rebuilt − EOP) / EOP, a fraction.
    pub relative: Option<Decimal>,
    /// Why a value is `null`.
    pub why_null: Option<String>,
}

/// An offer (interned) and billing type.
type GroupKey = (u32, Category);

/// A status: (customer, offer, billing type, status, Status Start).
type Key = (u64, u32, Category, Status, NaiveDateTime);

/// One file's Persistent-ID Subscriptions rows.
pub struct FileStatuses<'a> {
    /// The file's name.
    pub name: &'a str,
    /// Its rows.
    pub statuses: &'a Statuses,
}

/// A status once repeats are removed.
#[derive(Debug, Clone)]
struct Stat {
    end: Option<NaiveDateTime>,
    report_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Cancel,
    Activate,
}

/// A customer's walk through time.
#[derive(Debug, Default)]
struct Customer {
    /// Active segments (from, to, group).
    segments: Vec<(NaiveDateTime, Option<NaiveDateTime>, GroupKey)>,
    /// Spells (start, cancel, group at start).
    spells: Vec<(NaiveDateTime, Option<NaiveDateTime>, GroupKey)>,
    /// Starts and cancels (time, which, group, a restart).
    moves: Vec<(NaiveDateTime, Ev, GroupKey, bool)>,
    cancels: u64,
    restarted: bool,
    left_censored: bool,
    cancels_while_inactive: u64,
    /// Time of the last counted cancel.
    last_cancel: Option<NaiveDateTime>,
    active_at_end: bool,
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// A shortened hash of a customer key: 8 hex digits.
pub fn short_hash(key: u64) -> String {
    format!("{:08x}", key >> 32)
}

fn ratio(num: u64, den: u64) -> Option<Decimal> {
    (den != 0).then(|| Decimal::from(num) / Decimal::from(den))
}

/// Walks one customer's statuses (sorted by time, cancels first at equal times).
fn walk(events: &[(NaiveDateTime, Ev, GroupKey)], span_start: NaiveDateTime, end: NaiveDateTime) -> Customer {
    let mut c = Customer::default();
    let mut active: Option<(NaiveDateTime, GroupKey)> = None;
    let mut spell_start: Option<(NaiveDateTime, GroupKey)> = None;
    for (i, &(at, ev, g)) in events.iter().enumerate() {
        match ev {
            Ev::Activate => match active {
                Some((_, cur)) if cur == g => {}
                Some((from, cur)) => {
                    c.segments.push((from, Some(at), cur));
                    active = Some((at, g));
                }
                None => {
                    let restart = c.cancels > 0;
                    c.restarted |= restart;
                    c.moves.push((at, Ev::Activate, g, restart));
                    active = Some((at, g));
                    spell_start = Some((at, g));
                }
            },
            Ev::Cancel => match active.take() {
                Some((from, cur)) => {
                    c.segments.push((from, Some(at), cur));
                    c.moves.push((at, Ev::Cancel, cur, false));
                    c.cancels += 1;
                    c.last_cancel = Some(at);
                    if let Some((s, sg)) = spell_start.take() {
                        c.spells.push((s, Some(at), sg));
                    }
                }
                None if i == 0 => {
                    c.left_censored = true;
                    c.segments.push((span_start.min(at), Some(at), g));
                    c.moves.push((at, Ev::Cancel, g, false));
                    c.cancels += 1;
                    c.last_cancel = Some(at);
                }
                None => c.cancels_while_inactive += 1,
            },
        }
    }
    if let Some((from, cur)) = active {
        c.segments.push((from, None, cur));
        c.active_at_end = from < end;
    }
    if let Some((s, sg)) = spell_start {
        c.spells.push((s, None, sg));
    }
    c
}

/// Kaplan-Meier over `(duration in days, was a cancel)`.
pub fn kaplan_meier(spells: &[(i64, bool)]) -> Survival {
    let mut by_day: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for &(d, event) in spells {
        let e = by_day.entry(d).or_default();
        if event {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut at_risk = spells.len() as u64;
    let mut s = Decimal::ONE;
    let mut points = Vec::with_capacity(by_day.len());
    let mut median = None;
    for (&day, &(events, censored)) in &by_day {
        if events > 0 {
            s *= Decimal::ONE - Decimal::from(events) / Decimal::from(at_risk);
        }
        if median.is_none() && s * Decimal::TWO <= Decimal::ONE {
            median = Some(day);
        }
        points.push(SurvivalPoint { day, at_risk, events, censored, survival: s });
        at_risk -= events + censored;
    }
    let events: u64 = by_day.values().map(|v| v.0).sum();
    Survival {
        spells: spells.len() as u64,
        events,
        censored: spells.len() as u64 - events,
        points,
        median_days: median,
        why_no_median: match (median, spells.is_empty()) {
            (Some(_), _) => None,
            (None, true) => Some("no spell with a known start".to_string()),
            (None, false) => Some("survival stays above 50% in the data".to_string()),
        },
    }
}

fn median(sorted: &[Decimal]) -> Option<Decimal> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / Decimal::TWO),
    }
}

/// Seconds of `days` within `[from, to]` and how many of those days the viewing covers.
fn window(
    days: Option<&BTreeMap<NaiveDate, Decimal>>,
    from: NaiveDate,
    to: NaiveDate,
    cover: (NaiveDate, NaiveDate),
) -> (Decimal, i64) {
    let (lo, hi) = (from.max(cover.0), to.min(cover.1));
    if lo > hi {
        return (Decimal::ZERO, 0);
    }
    let secs = days.map_or(Decimal::ZERO, |d| d.range(lo..=hi).map(|(_, s)| *s).sum());
    (secs, (hi - lo).num_days() + 1)
}

fn group_stats(vals: &[(Decimal, i64)]) -> ViewingGroup {
    let hour = Decimal::from(3600);
    let mut hours: Vec<Decimal> = vals.iter().map(|(s, _)| *s / hour).collect();
    hours.sort();
    let n = vals.len() as u64;
    let mean = |sum: Decimal| (n > 0).then(|| sum / Decimal::from(n));
    ViewingGroup {
        customers: n,
        watched_nothing: vals.iter().filter(|(s, _)| s.is_zero()).count() as u64,
        mean_hours: mean(hours.iter().copied().sum()),
        median_hours: median(&hours),
        mean_covered_days: mean(vals.iter().map(|(_, d)| Decimal::from(*d)).sum()),
    }
}

/// Analyses the rows of every Persistent-ID Subscriptions file (duplicate
/// files already removed), joined with the viewership files' per-customer
/// viewing (same Encrypted Customer ID) and reconciled against the
/// Contractual Subscriptions periods, where those are present.
pub fn analyze(files: &[FileStatuses<'_>], viewing: &[FileAggregate<'_>], subscriptions: &[Period]) -> Section {
    let mut sec = Section { files: files.iter().map(|f| f.name.to_string()).collect(), ..Section::default() };
    // Offers numbered across files in the order they first appear.
    let mut offers: Vec<String> = Vec::new();
    let mut offer_ids: HashMap<&str, u32> = HashMap::new();
    let remaps: Vec<Vec<u32>> = files
        .iter()
        .map(|f| {
            f.statuses
                .offers()
                .iter()
                .map(|o| {
                    *offer_ids.entry(o.as_str()).or_insert_with(|| {
                        offers.push(o.clone());
                        offers.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    let (mut first, mut last): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for f in files {
        if let Some((a, b)) = f.statuses.span() {
            first = Some(first.map_or(a, |d| d.min(a)));
            last = Some(last.map_or(b, |d| d.max(b)));
        }
    }

    // Every row as (customer, file, position), sorted: one customer's rows
    // are then together, in the order they were read (16 bytes a row; the
    // status keys are made per customer).
    let mut rows: Vec<(u64, u32, u32)> = Vec::with_capacity(files.iter().map(|f| f.statuses.len()).sum());
    for (fi, f) in files.iter().enumerate() {
        for (pos, r) in f.statuses.iter().enumerate() {
            sec.rows_without_start += u64::from(r.status_start.is_none());
            rows.push((r.customer, fi as u32, pos as u32));
        }
    }
    sec.rows = rows.len() as u64;
    rows.sort_unstable();
    let entry = |fi: u32, pos: u32| files[fi as usize].statuses.get(pos as usize);
    // A row's status: (customer, offer, billing type, status, Status Start or its Report Date).
    let key = |fi: u32, pos: u32| -> Key {
        let r = entry(fi, pos);
        let start = r.status_start.unwrap_or_else(|| midnight(r.report_date));
        (r.customer, remaps[fi as usize][r.offer as usize], r.billing_type, r.status, start)
    };
    let (Some(first), Some(last)) = (first, last) else {
        sec.notes.push("no rows".to_string());
        return sec;
    };
    (sec.first_date, sec.last_date) = (Some(first), Some(last));
    let span_start = midnight(first);
    let span_end = midnight(last) + Duration::days(1);
    let ndays = (last - first).num_days() as usize + 1;
    let mut actives: BTreeMap<GroupKey, Vec<i64>> = BTreeMap::new();
    let mut starts_day = vec![0u64; ndays];
    let mut cancels_day = vec![0u64; ndays];
    let mut group_moves: BTreeMap<GroupKey, (u64, u64)> = BTreeMap::new();
    let mut spells: BTreeMap<GroupKey, Vec<(i64, bool)>> = BTreeMap::new();
    const BUCKETS: [(&str, i64, Option<i64>); 5] = [
        ("under 1 month", 0, Some(30)),
        ("1–3 months", 30, Some(90)),
        ("3–6 months", 90, Some(180)),
        ("6–12 months", 180, Some(365)),
        ("12 months or more", 365, None),
    ];
    let mut tenure = [(0u64, 0u64); 5];
    // Both sorted by customer (customers are walked in order).
    let mut last_cancels: Vec<(u64, NaiveDateTime)> = Vec::new();
    let mut stayers: Vec<u64> = Vec::new();
    let day_index = |d: NaiveDate| -> Option<usize> {
        let i = (d - first).num_days();
        (0..ndays as i64).contains(&i).then_some(i as usize)
    };

    // (file, position, the status, the two Status Ends) of every conflict.
    let mut conflicts: Vec<(u32, u32, Key, NaiveDateTime, NaiveDateTime)> = Vec::new();
    // The customers (sorted), for the join with viewership.
    let mut customers: Vec<u64> = Vec::new();
    let mut statuses: Vec<(Key, Stat)> = Vec::new();
    let mut keyed: Vec<(Key, u32, u32)> = Vec::new();
    for customer_rows in rows.chunk_by(|a, b| a.0 == b.0) {
        let cust = &customer_rows[0].0;
        customers.push(*cust);
        // The customer's statuses, each once: sorted by status (stably, so
        // a status's rows stay in read order), the first row read makes it,
        // later ones are repeats that may add a Status End.
        keyed.clear();
        keyed.extend(customer_rows.iter().map(|&(_, fi, pos)| (key(fi, pos), fi, pos)));
        keyed.sort_by_key(|a| a.0);
        statuses.clear();
        for repeats in keyed.chunk_by(|a, b| a.0 == b.0) {
            let (key, fi, pos) = repeats[0];
            let r = entry(fi, pos);
            let mut s = Stat { end: r.status_end, report_date: r.report_date };
            for &(_, fi, pos) in &repeats[1..] {
                let r = entry(fi, pos);
                sec.duplicates += 1;
                if let (Some(a), Some(b)) = (s.end, r.status_end) {
                    if a != b {
                        sec.conflicts += 1;
                        conflicts.push((fi, pos, key, a, b));
                    }
                }
                if r.status_end.is_some() && (s.end.is_none() || r.report_date >= s.report_date) {
                    s.end = r.status_end;
                }
                s.report_date = s.report_date.max(r.report_date);
            }
            statuses.push((key, s));
        }
        sec.statuses += statuses.len() as u64;
        let active_ends: HashSet<NaiveDateTime> =
            statuses.iter().filter(|(k, _)| k.3 == Status::Active).filter_map(|(_, s)| s.end).collect();
        let mut events: Vec<(NaiveDateTime, Ev, GroupKey)> = Vec::with_capacity(statuses.len() + 1);
        for (k, s) in &statuses {
            let g = (k.1, k.2);
            match (k.3, s.end) {
                (Status::Active, _) => events.push((k.4, Ev::Activate, g)),
                (Status::Cancelled, Some(e)) if !active_ends.contains(&k.4) && e > k.4 => {
                    events.push((k.4, Ev::Activate, g));
                    events.push((e, Ev::Cancel, g));
                }
                (Status::Cancelled, _) => events.push((k.4, Ev::Cancel, g)),
            }
        }
        events.sort();
        let c = walk(&events, span_start, span_end);
        for &(from, to, g) in &c.segments {
            let v = actives.entry(g).or_insert_with(|| vec![0; ndays + 1]);
            let a = (from.date() - first).num_days().max(0);
            let b = to.map_or(ndays as i64, |t| (t.date() - first).num_days().min(ndays as i64));
            if a < b {
                v[a as usize] += 1;
                v[b as usize] -= 1;
            }
        }
        for &(at, ev, g, restart) in &c.moves {
            if let Some(i) = day_index(at.date()) {
                let m = group_moves.entry(g).or_default();
                match ev {
                    Ev::Activate => {
                        starts_day[i] += 1;
                        sec.starts += 1;
                        sec.restarts += u64::from(restart);
                        m.0 += 1;
                    }
                    Ev::Cancel => {
                        cancels_day[i] += 1;
                        sec.cancels += 1;
                        m.1 += 1;
                    }
                }
            }
        }
        sec.resubscribers += u64::from(c.restarted);
        sec.serial_churners += u64::from(c.cancels >= 3);
        sec.left_censored += u64::from(c.left_censored);
        sec.cancels_while_inactive += c.cancels_while_inactive;
        if !c.left_censored {
            let days: i64 = c.segments.iter().map(|&(f, t, _)| (t.unwrap_or(span_end).max(f) - f).num_days()).sum();
            if let Some(b) = BUCKETS.iter().rposition(|&(_, lo, _)| days >= lo) {
                tenure[b].0 += 1;
                tenure[b].1 += u64::from(c.active_at_end);
            }
        }
        for &(s, e, g) in &c.spells {
            let end = e.unwrap_or(span_end).max(s);
            spells.entry(g).or_default().push(((end - s).num_days(), e.is_some()));
        }
        if let Some(t) = c.last_cancel {
            last_cancels.push((*cust, t));
        } else if c.active_at_end {
            stayers.push(*cust);
        }
    }
    drop(rows);
    sec.customers = customers.len() as u64;
    // The first conflicts in the order they were read.
    conflicts.sort_unstable_by_key(|&(fi, pos, ..)| (fi, pos));
    sec.conflict_examples = conflicts
        .iter()
        .take(MAX_CONFLICTS_LISTED)
        .map(|&(fi, pos, key, a, b)| {
            let f = &files[fi as usize];
            let r = entry(fi, pos);
            format!(
                "customer {}, offer {}, {:?} from {}: Status End {} and {} ({} line {})",
                short_hash(key.0),
                f.statuses.offers()[r.offer as usize],
                r.status,
                key.4,
                a,
                b,
                f.name,
                r.line
            )
        })
        .collect();
    // Actives per day (prefix sums of the difference arrays).
    let mut per_group: BTreeMap<GroupKey, Vec<u64>> = BTreeMap::new();
    for (g, v) in &actives {
        let mut run = 0i64;
        per_group.insert(
            *g,
            v[..ndays]
                .iter()
                .map(|d| {
                    run += d;
                    run.max(0) as u64
                })
                .collect(),
        );
    }
    let total = |i: usize| per_group.values().map(|v| v[i]).sum::<u64>();
    sec.daily = (0..ndays)
        .map(|i| Day {
            date: first + Duration::days(i as i64),
            actives: total(i),
            starts: starts_day[i],
            cancels: cancels_day[i],
        })
        .collect();
    sec.actives_last_date = total(ndays - 1);

    // Months.
    let mut m_start = first.with_day(1).unwrap_or(first);
    while m_start <= last {
        let next = if m_start.month() == 12 {
            NaiveDate::from_ymd_opt(m_start.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(m_start.year(), m_start.month() + 1, 1)
        };
        let Some(next) = next else { break };
        let lo = m_start.max(first);
        let hi = (next - Duration::days(1)).min(last);
        let (a, b) = ((lo - first).num_days() as usize, (hi - first).num_days() as usize);
        let starts: u64 = starts_day[a..=b].iter().sum();
        let cancels: u64 = cancels_day[a..=b].iter().sum();
        let at_end = total(b);
        let mut why = BTreeMap::new();
        let at_start = (m_start > first).then(|| total(a - 1));
        let gross_churn = match at_start {
            None => {
                why.insert(
                    "gross_churn".to_string(),
                    format!("the rows begin on {first}: who was active at the start of the month is not known"),
                );
                None
            }
            Some(n) => ratio(cancels, n).or_else(|| {
                why.insert("gross_churn".to_string(), "no actives at the start of the month".to_string());
                None
            }),
        };
        let churn_vs_end = ratio(cancels, at_end + cancels).or_else(|| {
            why.insert("churn_vs_end".to_string(), "no actives at the end and no cancels".to_string());
            None
        });
        sec.months.push(Month {
            month: m_start.format("%Y-%m").to_string(),
            actives_at_start: at_start,
            actives_at_end: at_end,
            starts,
            cancels,
            gross_churn,
            churn_vs_end,
            why_null: why,
        });
        m_start = next;
    }

    // Groups.
    let mut keys: Vec<GroupKey> = per_group
        .keys()
        .chain(group_moves.keys())
        .chain(spells.keys())
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by(|a, b| (&offers[a.0 as usize], a.1).cmp(&(&offers[b.0 as usize], b.1)));
    sec.groups = keys
        .iter()
        .map(|g| {
            let (starts, cancels) = group_moves.get(g).copied().unwrap_or_default();
            Group {
                offer: offers[g.0 as usize].clone(),
                billing_type: g.1,
                actives_last_date: per_group.get(g).map_or(0, |v| v[ndays - 1]),
                starts,
                cancels,
                survival: kaplan_meier(spells.get(g).map_or(&[][..], |v| v)),
            }
        })
        .collect();

    sec.tenure = BUCKETS
        .iter()
        .zip(tenure)
        .map(|(&(label, lo, hi), (n, act))| TenureBucket {
            label: label.to_string(),
            min_days: lo,
            max_days: hi,
            customers: n,
            still_active: act,
        })
        .collect();

    // Viewing.
    if viewing.is_empty() {
        sec.why_no_viewing = Some("no Persistent-ID or Daily Anonymized viewership file".to_string());
    } else {
        sec.viewing = Some(join_viewing(viewing, &customers, &last_cancels, &stayers, last));
    }

    // Reconciliation.
    for p in subscriptions.iter().filter(|p| p.end >= first && p.end <= last) {
        let i = (p.end - first).num_days() as usize;
        let mut rebuilt: BTreeMap<&str, i64> = BTreeMap::new();
        for (g, v) in &per_group {
            if g.1 == Category::HardOffer {
                *rebuilt.entry(offers[g.0 as usize].as_str()).or_default() += v[i] as i64;
            }
        }
        for o in &p.offers {
            rebuilt.entry(o.offer_id.as_str()).or_default();
        }
        let row = |offer: Option<String>, rebuilt: i64, eop: Option<i64>, why: Option<String>| {
            let why_null = why.or_else(|| (eop == Some(0)).then(|| "EOP is 0: no relative difference".to_string()));
            Reconciliation {
                period_start: p.start,
                period_end: p.end,
                offer,
                rebuilt,
                eop,
                difference: eop.map(|e| rebuilt - e),
                relative: eop.and_then(|e| (e != 0).then(|| Decimal::from(rebuilt - e) / Decimal::from(e))),
                why_null,
            }
        };
        for (offer, &n) in &rebuilt {
            match p.offers.iter().find(|o| o.offer_id == *offer) {
                Some(o) => sec.reconciliation.push(row(
                    Some(offer.to_string()),
                    n,
                    o.metrics.eop_paid_subs,
                    o.metrics.why_null.get("eop_paid_subs").cloned(),
                )),
                None => sec.reconciliation.push(row(
                    Some(offer.to_string()),
                    n,
                    None,
                    Some("the offer is not in the Contractual report".to_string()),
                )),
            }
        }
        sec.reconciliation.push(row(
            None,
            rebuilt.values().sum(),
            p.metrics.eop_paid_subs,
            p.metrics.why_null.get("eop_paid_subs").cloned(),
        ));
    }
    if !subscriptions.is_empty() && sec.reconciliation.is_empty() {
        sec.notes
            .push(format!("no Contractual Subscriptions period ends between {first} and {last}: nothing to reconcile"));
    }

    // Notes.
    if sec.duplicates > 0 {
        sec.notes.push(format!(
            "{} a status already read: counted once",
            counted(sec.duplicates, "row repeats", "rows repeat")
        ));
    }
    if sec.conflicts > 0 {
        sec.notes.push(format!(
            "{} rows disagreeing on the Status End: the row with the latest Report Date is used",
            counted(sec.conflicts, "status has", "statuses have")
        ));
    }
    if sec.rows_without_start > 0 {
        sec.notes.push(format!(
            "{} no Status Start: its Report Date is taken as the start",
            counted(sec.rows_without_start, "row has", "rows have")
        ));
    }
    if sec.left_censored > 0 {
        sec.notes.push(format!(
            "{} first status is a cancel: active since an unknown time, counted active from {first} and left out of tenure and survival",
            counted(sec.left_censored, "customer's", "customers'")
        ));
    }
    if sec.cancels_while_inactive > 0 {
        sec.notes.push(format!(
            "{} while the customer is already cancelled: not counted as cancels",
            counted(sec.cancels_while_inactive, "cancel comes", "cancels come")
        ));
    }
    if !subscriptions.is_empty() {
        sec.notes.push("the Contractual section keeps no FT EOP per period: only HO is reconciled".to_string());
    }
    sec
}

/// Viewing before a cancel vs stayers, and the titles cancellers watched last.
fn join_viewing(
    viewing: &[FileAggregate<'_>],
    subs: &[u64],
    last_cancels: &[(u64, NaiveDateTime)],
    stayers: &[u64],
    last: NaiveDate,
) -> Viewing {
    let mut v = Viewing::default();
    let mut viewers: HashSet<u64> = HashSet::new();
    let mut days: HashMap<u64, BTreeMap<NaiveDate, Decimal>> = HashMap::new();
    let mut last_stream: HashMap<u64, (NaiveDateTime, Option<&str>)> = HashMap::new();
    for f in viewing {
        let a = f.aggregate;
        if let Some(t) = a.first_stream {
            v.first_day = Some(v.first_day.map_or(t.date(), |d| d.min(t.date())));
        }
        if let Some(t) = a.last_stream {
            v.last_day = Some(v.last_day.map_or(t.date(), |d| d.max(t.date())));
        }
        for (c, d, s) in a.customer_days() {
            viewers.insert(c);
            if subs.binary_search(&c).is_ok() {
                let e = days.entry(c).or_default().entry(d).or_default();
                *e = (*e).max(s);
            }
        }
        for (c, t, title) in a.last_streams() {
            viewers.insert(c);
            if last_cancels.binary_search_by_key(&c, |&(k, _)| k).is_ok() {
                let e = last_stream.entry(c).or_insert((t, title));
                if t > e.0 {
                    *e = (t, title);
                }
            }
        }
    }
    v.viewing_customers = viewers.len() as u64;
    v.matched = subs.iter().filter(|c| viewers.contains(c)).count() as u64;
    let (Some(lo), Some(hi)) = (v.first_day, v.last_day) else { return v };
    let cover = (lo, hi);
    let mut cancellers = Vec::new();
    let mut titles: BTreeMap<&str, u64> = BTreeMap::new();
    for (c, t) in last_cancels.iter().filter(|(c, _)| viewers.contains(c)) {
        let t = *t;
        let day = t.date();
        let w = window(days.get(c), day - Duration::days(WINDOW_DAYS), day - Duration::days(1), cover);
        if w.1 == 0 {
            v.cancellers_without_window += 1;
        } else {
            cancellers.push(w);
        }
        if let Some(&(at, title)) = last_stream.get(c) {
            if at <= t {
                *titles.entry(title.unwrap_or("(untitled)")).or_default() += 1;
            } else {
                v.last_stream_after_cancel += 1;
            }
        }
    }
    let end = last.min(hi);
    let stay: Vec<(Decimal, i64)> = stayers
        .iter()
        .filter(|c| viewers.contains(c))
        .map(|c| window(days.get(c), end - Duration::days(WINDOW_DAYS - 1), end, cover))
        .collect();
    v.cancellers = group_stats(&cancellers);
    v.stayers = group_stats(&stay);
    let mut t: Vec<TitleCount> =
        titles.into_iter().map(|(title, n)| TitleCount { title: title.to_string(), cancellers: n }).collect();
    t.sort_by(|a, b| b.cancellers.cmp(&a.cancellers).then_with(|| a.title.cmp(&b.title)));
    t.truncate(TOP_TITLES);
    v.last_titles = t;
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    /// The example in the module docs.
    #[test]
    fn kaplan_meier_hand_example() {
        let s = kaplan_meier(&[(2, true), (3, false), (5, true), (5, true)]);
        assert_eq!((s.spells, s.events, s.censored), (4, 3, 1));
        let pts: Vec<(i64, u64, u64, u64, Decimal)> =
            s.points.iter().map(|p| (p.day, p.at_risk, p.events, p.censored, p.survival)).collect();
        assert_eq!(pts, vec![(2, 4, 1, 0, d("0.75")), (3, 3, 0, 1, d("0.75")), (5, 2, 2, 0, d("0"))]);
        assert_eq!(s.median_days, Some(5));
    }

    #[test]
    fn kaplan_meier_without_events_has_no_median() {
        let s = kaplan_meier(&[(4, false)]);
        assert_eq!(s.points[0].survival, Decimal::ONE);
        assert_eq!(s.median_days, None);
        assert!(s.why_no_median.is_some());
        assert!(kaplan_meier(&[]).points.is_empty());
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[d("1"), d("2"), d("4")]), Some(d("2")));
        assert_eq!(median(&[d("1"), d("2")]), Some(d("1.5")));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn short_hash_is_eight_hex_digits() {
        assert_eq!(short_hash(0x0123_4567_89ab_cdef), "01234567");
    }
}
