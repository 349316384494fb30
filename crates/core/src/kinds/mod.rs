//! One module per report kind: its typed row, how a [`Record`] becomes that
//! row, and (for kinds that have them) its metrics.
//!
//! Every module follows the same shape: field index constants matching its
//! [`Schema`](crate::schema::Schema) order, a `Row` type, and
//! `fn parse(rec: &Record) -> Result<Row, Problem>`. [`KindData`] holds what a
//! file yielded for its kind.

use crate::ingest::{ColumnMap, Record};
use crate::report::{DateRange, Problem};
use crate::schema::Kind;
use serde::Serialize;

pub mod content_usage;
pub mod conversion_retention;
pub mod earnings;
pub mod engagement;
pub mod first_last;
pub mod live_usage;
pub mod pid_subscriptions;
pub mod pid_viewership;
pub mod subscriptions;

/// The typed rows one file yielded.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "rows", rename_all = "snake_case")]
pub enum KindData {
    /// Contractual Subscriptions rows.
    Subscriptions(Vec<subscriptions::Row>),
    /// Content Usage / Device-Level Viewership rows.
    ContentUsage(Vec<content_usage::Row>),
    /// Live Streaming Usage rows.
    LiveUsage(Vec<live_usage::Row>),
    /// Conversion and Retention rows.
    ConversionRetention(Vec<conversion_retention::Row>),
    /// Engagement Scorecard rows.
    EngagementScorecard(Vec<engagement::Row>),
    /// First-and-Last VOD Title rows.
    FirstLastTitle(Vec<first_last::Row>),
    /// Persistent-ID Subscriptions rows, compact (what the analysis reads of each).
    PidSubscriptions(Box<pid_subscriptions::Statuses>),
    /// Persistent-ID Viewership, aggregated as it streams (never held row by row).
    #[serde(serialize_with = "pid_viewership::summary")]
    PidViewership(Box<pid_viewership::Aggregate>),
    /// Earnings rows.
    Earnings(Vec<earnings::Row>),
}

impl KindData {
    /// An empty collection for `kind`.
    pub fn new(kind: Kind) -> KindData {
        match kind {
            Kind::Subscriptions => KindData::Subscriptions(Vec::new()),
            Kind::ContentUsage => KindData::ContentUsage(Vec::new()),
            Kind::LiveUsage => KindData::LiveUsage(Vec::new()),
            Kind::ConversionRetention => KindData::ConversionRetention(Vec::new()),
            Kind::EngagementScorecard => KindData::EngagementScorecard(Vec::new()),
            Kind::FirstLastTitle => KindData::FirstLastTitle(Vec::new()),
            Kind::PidSubscriptions => KindData::PidSubscriptions(Box::default()),
            Kind::PidViewership => KindData::PidViewership(Box::default()),
            Kind::Earnings => KindData::Earnings(Vec::new()),
        }
    }

    /// The kind of these rows.
    pub fn kind(&self) -> Kind {
        match self {
            KindData::Subscriptions(_) => Kind::Subscriptions,
            KindData::ContentUsage(_) => Kind::ContentUsage,
            KindData::LiveUsage(_) => Kind::LiveUsage,
            KindData::ConversionRetention(_) => Kind::ConversionRetention,
            KindData::EngagementScorecard(_) => Kind::EngagementScorecard,
            KindData::FirstLastTitle(_) => Kind::FirstLastTitle,
            KindData::PidSubscriptions(_) => Kind::PidSubscriptions,
            KindData::PidViewership(_) => Kind::PidViewership,
            KindData::Earnings(_) => Kind::Earnings,
        }
    }

    /// Parses one record into this kind's row and keeps it.
    pub(crate) fn push(&mut self, rec: &Record) -> Result<(), Problem> {
        match self {
            KindData::Subscriptions(v) => v.push(subscriptions::parse(rec)?),
            KindData::ContentUsage(v) => v.push(content_usage::parse(rec)?),
            KindData::LiveUsage(v) => v.push(live_usage::parse(rec)?),
            KindData::ConversionRetention(v) => v.push(conversion_retention::parse(rec)?),
            KindData::EngagementScorecard(v) => v.push(engagement::parse(rec)?),
            KindData::FirstLastTitle(v) => v.push(first_last::parse(rec)?),
            KindData::PidSubscriptions(v) => v.push(rec)?,
            KindData::PidViewership(agg) => agg.push(rec)?,
            KindData::Earnings(v) => v.push(earnings::parse(rec)?),
        }
        Ok(())
    }

    /// The periods the rows cover: each distinct (start, end) for period
    /// reports; one span for cohort, per-customer and earnings files.
    pub fn periods(&self) -> Vec<DateRange> {
        fn distinct(pairs: impl Iterator<Item = (chrono::NaiveDate, chrono::NaiveDate)>) -> Vec<DateRange> {
            let set: std::collections::BTreeSet<_> = pairs.map(|(start, end)| DateRange { start, end }).collect();
            set.into_iter().collect()
        }
        fn span(dates: impl Iterator<Item = chrono::NaiveDate> + Clone) -> Vec<DateRange> {
            match (dates.clone().min(), dates.max()) {
                (Some(start), Some(end)) => vec![DateRange { start, end }],
                _ => Vec::new(),
            }
        }
        match self {
            KindData::Subscriptions(v) => distinct(v.iter().map(|r| (r.start, r.end))),
            KindData::ContentUsage(v) => distinct(v.iter().map(|r| (r.start, r.end))),
            KindData::LiveUsage(v) => distinct(v.iter().map(|r| (r.start, r.end))),
            KindData::EngagementScorecard(v) => distinct(v.iter().map(|r| (r.start, r.end))),
            KindData::FirstLastTitle(v) => distinct(v.iter().map(|r| (r.start, r.end))),
            KindData::ConversionRetention(v) => span(v.iter().map(|r| r.start_period)),
            KindData::PidSubscriptions(v) => {
                v.span().map(|(start, end)| DateRange { start, end }).into_iter().collect()
            }
            KindData::PidViewership(a) => span(a.first_stream.iter().chain(&a.last_stream).map(|t| t.date())),
            KindData::Earnings(v) => span(v.iter().filter_map(|r| r.month)),
        }
    }

    /// What to call a file of this kind, given its header and name: the
    /// variant a person knows (monthly or weekly; Device-Level Viewership;
    /// Daily Anonymized).
    pub fn label(&self, map: &ColumnMap, file_name: &str) -> String {
        let name = file_name.to_lowercase();
        match self {
            KindData::Subscriptions(rows) => {
                let header = subscriptions::header_cadence(map);
                let cadence = match rows.first() {
                    Some(r) => Some(subscriptions::Cadence::of_period(r.start, r.end, header)),
                    None => header,
                }
                .map_or("", |c| c.label());
                format!("{} ({cadence})", Kind::Subscriptions.label()).replace(" ()", "")
            }
            // Content Usage and Device-Level Viewership have the same columns; only the
            // file name (as Slate names its downloads) tells them apart. The metrics are the same.
            KindData::ContentUsage(_) if name.contains("device") => "Premium Device-Level Viewership".to_string(),
            KindData::PidSubscriptions(_) | KindData::PidViewership(_)
                if name.contains("daily") || name.contains("anonymi") =>
            {
                format!(
                    "Daily Anonymized {}",
                    if matches!(self, KindData::PidViewership(_)) { "Viewership" } else { "Subscriptions" }
                )
            }
            other => other.kind().label().to_string(),
        }
    }
}
