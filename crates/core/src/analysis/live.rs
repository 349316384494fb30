//! Contractual Live Streaming Usage: per channel and trend.
//!
//! Rows are grouped by period `(start, end, cadence)` as in
//! [`super::content`] (weekly and monthly periods are never added together; a
//! trend is the periods of one cadence in order). A row is identified by
//! (period, Offer ID, Live Channel ID, episode name); a later file repeating an
//! identity is a duplicate when equal (counted once) and a conflict otherwise
//! (totals including it are `null` with the reason).
//!
//! The measures are [`Totals`]: streams, minutes, ad minutes, ad share = ad /
//! (minutes + ad), and customers only for a single row — "Total Customers
//! Streamed" is per row, so over several rows (offers, episodes) there are
//! `row_customers` (Σ, an upper bound on people) and `max_row_customers` (a
//! lower bound); minutes per customer = minutes / row customers. Every total
//! carries the number of rows behind it.

use super::content::{by_minutes_desc, keep_once, Measures, Sums, Totals};
use super::FileRows;
use crate::kinds::live_usage::Row;
use crate::kinds::subscriptions::Cadence;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One live channel within a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// Live Channel ID.
    pub channel_id: String,
    /// Channel name(s) as written.
    pub channel_name: Option<String>,
    /// Its numbers (over offers and episodes).
    pub totals: Totals,
}

/// One offer within a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// Offer ID.
    pub offer_id: String,
    /// Plan name(s) as written.
    pub subscription: Option<String>,
    /// Its numbers.
    pub totals: Totals,
}

/// One reporting period.
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
    /// Channels, most minutes first (unknown last), then by ID.
    pub channels: Vec<Channel>,
    /// Per Offer ID, by ID.
    pub offers: Vec<Offer>,
    /// Files the rows came from.
    pub files: Vec<String>,
    /// Rows of a later file equal to an earlier file's, counted once.
    pub duplicates: Vec<String>,
    /// Rows on which two files disagree; totals including them are `null`.
    pub conflicts: Vec<String>,
}

/// The Live Streaming Usage section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
    /// Periods sorted by start, then cadence, then end.
    pub periods: Vec<Period>,
}

type RowKey = (String, String, Option<String>);

/// What a row says besides its identity and measures.
struct Info {
    name: Option<String>,
    subscription: Option<String>,
}

fn joined(s: BTreeSet<String>) -> Option<String> {
    (!s.is_empty()).then(|| s.into_iter().collect::<Vec<_>>().join(" / "))
}

/// Analyses the rows of every Live Streaming Usage file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    let files: Vec<&FileRows<'_, Row>> = files.iter().collect();
    let periods = keep_once(
        &files,
        |r| {
            (
                r.start,
                r.end,
                r.line,
                Measures { streams: r.streams, customers: r.customers, minutes: r.minutes, ad_minutes: r.ad_minutes },
            )
        },
        |r| (r.offer_id.clone(), r.channel_id.clone(), r.episode_name.clone()),
        |_| Info { name: None, subscription: None },
        |i, r| {
            if i.name.is_none() {
                i.name.clone_from(&r.channel_name);
            }
            if i.subscription.is_none() {
                i.subscription.clone_from(&r.subscription);
            }
        },
        |(offer, channel, episode): &RowKey| {
            let episode = episode.as_ref().map(|e| format!(" episode \"{e}\"")).unwrap_or_default();
            format!("offer \"{offer}\", channel \"{channel}\"{episode}")
        },
    );
    let mut out: Vec<Period> = periods
        .into_iter()
        .map(|(k, acc)| {
            let mut all = Sums::default();
            let mut channels: BTreeMap<&str, (Sums, BTreeSet<String>)> = BTreeMap::new();
            let mut offers: BTreeMap<&str, (Sums, BTreeSet<String>)> = BTreeMap::new();
            for ((offer, channel, _), e) in &acc.entries {
                all.merge(&e.sums);
                let c = channels.entry(channel).or_default();
                c.0.merge(&e.sums);
                c.1.extend(e.info.name.clone());
                let o = offers.entry(offer).or_default();
                o.0.merge(&e.sums);
                o.1.extend(e.info.subscription.clone());
            }
            let mut channels: Vec<Channel> = channels
                .into_iter()
                .map(|(id, (s, names))| Channel {
                    channel_id: id.to_string(),
                    channel_name: joined(names),
                    totals: s.totals(),
                })
                .collect();
            channels
                .sort_by(|a, b| by_minutes_desc(&a.totals, &b.totals).then_with(|| a.channel_id.cmp(&b.channel_id)));
            Period {
                start: k.start,
                end: k.end,
                cadence: k.cadence,
                totals: all.totals(),
                channels,
                offers: offers
                    .into_iter()
                    .map(|(id, (s, names))| Offer {
                        offer_id: id.to_string(),
                        subscription: joined(names),
                        totals: s.totals(),
                    })
                    .collect(),
                files: acc.files.iter().map(|&i| files[i].name.to_string()).collect(),
                duplicates: acc.duplicates.into_iter().collect(),
                conflicts: acc.conflicts,
            }
        })
        .collect();
    out.sort_by_key(|p| (p.start, p.cadence, p.end));
    Section { rows: out.iter().map(|p| p.totals.rows as u64).sum(), periods: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn row(line: u64, channel: &str, offer: &str, customers: i64, minutes: i64, ad: i64) -> Row {
        Row {
            line,
            start: NaiveDate::from_str("2024-01-01").unwrap(),
            end: NaiveDate::from_str("2024-01-31").unwrap(),
            offer_id: offer.to_string(),
            subscription: None,
            channel_id: channel.to_string(),
            channel_name: Some(format!("{channel} name")),
            streams: Some(customers * 2),
            customers: Some(customers),
            minutes: Some(Decimal::from(minutes)),
            ad_minutes: Some(Decimal::from(ad)),
            episode_name: None,
        }
    }

    #[test]
    fn channels_over_offers() {
        let rows = [row(2, "A", "O1", 10, 300, 100), row(3, "A", "O2", 5, 100, 0), row(4, "B", "O1", 4, 900, 100)];
        let s = analyze(&[FileRows { name: "a.csv", label: "L", rows: &rows }]);
        let p = &s.periods[0];
        assert_eq!(p.cadence, Cadence::Monthly);
        assert_eq!(p.channels[0].channel_id, "B");
        let a = &p.channels[1].totals;
        assert_eq!((a.rows, a.customers, a.row_customers, a.max_row_customers), (2, None, Some(15), Some(10)));
        // ad share 100 / (400 + 100)
        assert_eq!(a.ad_share, Some(Decimal::from_str("0.2").unwrap()));
        assert_eq!(p.totals.minutes, Some(Decimal::from(1300)));
        assert_eq!(p.offers.len(), 2);
    }

    #[test]
    fn duplicate_file_rows_once() {
        let rows = [row(2, "A", "O1", 10, 300, 100)];
        let mut other = rows.clone();
        let s = analyze(&[
            FileRows { name: "a.csv", label: "L", rows: &rows },
            FileRows { name: "b.csv", label: "L", rows: &rows },
        ]);
        assert_eq!((s.rows, s.periods[0].duplicates.len()), (1, 1));
        other[0].customers = Some(11);
        let s = analyze(&[
            FileRows { name: "a.csv", label: "L", rows: &rows },
            FileRows { name: "b.csv", label: "L", rows: &other },
        ]);
        assert_eq!(s.periods[0].totals.minutes, None);
        assert_eq!(s.periods[0].conflicts.len(), 1);
    }
}
