//! Many files in, the numbers out: what the page shows and `analyze --json` prints.
//!
//! [`analyze`] takes every ingested file in the order the user gave them. A
//! file whose content equals an earlier file's is marked a duplicate and not
//! used again. Each kind present then gets its section.

pub mod content;
pub mod customers;
pub(crate) mod dedupe;
pub mod earnings;
pub mod engagement;
pub mod first_last;
pub mod live;
pub mod retention;
pub mod subscriptions;
pub mod viewership;

use crate::ingest::IngestedFile;
use crate::kinds::subscriptions::cadence_from_header_name;
use crate::kinds::KindData;
use crate::report::FileReport;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::HashMap;

/// The analysis of a set of files. Its JSON form is the contract of
/// `slatelens analyze --json` (documented in `docs/json.md`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysis {
    /// One entry per input file, in input order.
    pub files: Vec<FileReport>,
    /// Contractual Subscriptions: one entry per period, sorted by start.
    pub subscriptions: Vec<subscriptions::Period>,
    /// Contractual Content Usage and Premium Device-Level Viewership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_usage: Option<content::Section>,
    /// Contractual Live Streaming Usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_usage: Option<live::Section>,
    /// Contractual Conversion and Retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<retention::Section>,
    /// Premium Engagement Scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<engagement::Section>,
    /// Premium First-and-Last VOD Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_last: Option<first_last::Section>,
    /// Persistent-ID and Daily Anonymized viewership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewership: Option<viewership::Section>,
    /// Persistent-ID and Daily Anonymized subscriptions (joined with viewership where present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers: Option<customers::Section>,
    /// Prime Video Direct earnings with CER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earnings: Option<earnings::Section>,
}

/// The rows one file yielded for a kind, with the file's name (to name it in
/// notes and trace numbers back to it).
#[derive(Debug, Clone, Copy)]
pub struct FileRows<'a, R> {
    /// The file's name.
    pub name: &'a str,
    /// What the file is called (its kind's label, e.g. "Premium Device-Level
    /// Viewership" for a Content Usage layout named so).
    pub label: &'a str,
    /// Its rows, in file order.
    pub rows: &'a [R],
}

/// Analyses `files` (in the order the user dropped or named them): owned
/// files or references to them, so a caller holding its files elsewhere never
/// copies them (a viewership aggregate is tens of megabytes).
pub fn analyze<F: Borrow<IngestedFile>>(files: &[F]) -> Analysis {
    let files: Vec<&IngestedFile> = files.iter().map(Borrow::borrow).collect();
    let mut reports: Vec<FileReport> = files.iter().map(|f| f.report.clone()).collect();
    let mut first_by_hash: HashMap<&str, usize> = HashMap::new();
    let mut live = vec![true; files.len()];
    for (i, f) in files.iter().enumerate() {
        if f.data.is_none() || f.report.bytes == 0 {
            live[i] = false;
            continue;
        }
        match first_by_hash.get(f.report.content_hash.as_str()) {
            Some(&first) => {
                reports[i].duplicate_of = Some(files[first].report.name.clone());
                live[i] = false;
            }
            None => {
                first_by_hash.insert(&f.report.content_hash, i);
            }
        }
    }

    let used: Vec<&IngestedFile> = files.iter().zip(&live).filter(|(_, &live)| live).map(|(f, _)| *f).collect();
    let subs: Vec<subscriptions::FileRows> = used
        .iter()
        .filter_map(|f| match &f.data {
            Some(KindData::Subscriptions(rows)) => Some(subscriptions::FileRows {
                name: &f.report.name,
                header_cadence: f
                    .report
                    .columns
                    .iter()
                    .find(|c| c.field.as_deref() == Some("Month End Subscriptions"))
                    .and_then(|c| cadence_from_header_name(&c.name)),
                rows,
            }),
            _ => None,
        })
        .collect();

    let subscriptions = subscriptions::analyze(&subs);

    /// The rows of every used file of one kind; `None` when there is no such file.
    fn rows_of<'a, R>(
        used: &[&'a IngestedFile],
        pick: impl Fn(&'a KindData) -> Option<&'a Vec<R>>,
    ) -> Option<Vec<FileRows<'a, R>>> {
        let v: Vec<FileRows<'a, R>> = used
            .iter()
            .filter_map(|f| {
                f.data.as_ref().and_then(&pick).map(|rows| FileRows {
                    name: &f.report.name,
                    label: &f.report.label,
                    rows,
                })
            })
            .collect();
        (!v.is_empty()).then_some(v)
    }
    let viewing: Vec<viewership::FileAggregate> = used
        .iter()
        .filter_map(|f| match &f.data {
            Some(KindData::PidViewership(a)) => Some(viewership::FileAggregate { name: &f.report.name, aggregate: a }),
            _ => None,
        })
        .collect();

    Analysis {
        files: reports,
        content_usage: rows_of(&used, |d| match d {
            KindData::ContentUsage(v) => Some(v),
            _ => None,
        })
        .map(|f| content::analyze(&f)),
        live_usage: rows_of(&used, |d| match d {
            KindData::LiveUsage(v) => Some(v),
            _ => None,
        })
        .map(|f| live::analyze(&f)),
        retention: rows_of(&used, |d| match d {
            KindData::ConversionRetention(v) => Some(v),
            _ => None,
        })
        .map(|f| retention::analyze(&f)),
        engagement: rows_of(&used, |d| match d {
            KindData::EngagementScorecard(v) => Some(v),
            _ => None,
        })
        .map(|f| engagement::analyze(&f)),
        first_last: rows_of(&used, |d| match d {
            KindData::FirstLastTitle(v) => Some(v),
            _ => None,
        })
        .map(|f| first_last::analyze(&f)),
        viewership: (!viewing.is_empty()).then(|| viewership::analyze(&viewing)),
        customers: {
            let files: Vec<customers::FileStatuses> = used
                .iter()
                .filter_map(|f| match &f.data {
                    Some(KindData::PidSubscriptions(s)) => {
                        Some(customers::FileStatuses { name: &f.report.name, statuses: s })
                    }
                    _ => None,
                })
                .collect();
            (!files.is_empty()).then(|| customers::analyze(&files, &viewing, &subscriptions))
        },
        earnings: rows_of(&used, |d| match d {
            KindData::Earnings(v) => Some(v),
            _ => None,
        })
        .map(|f| earnings::analyze(&f)),
        subscriptions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker sends the analysis to the page as JSON: it must read back the same.
    #[test]
    fn analysis_round_trips_through_json() {
        let csv = "Report Start,Report End,Offer ID,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n\
                   4/1/22,4/30/22,GHI,HO,1245678,0,0\n5/1/22,5/31/22,GHI,HO,\"1,258,343\",24385,75849\n5/1/22,5/31/22,ABC,FT,43023,139450,17382\n";
        let files = [crate::ingest_bytes("a.csv", csv.as_bytes()), crate::ingest_bytes("b.csv", csv.as_bytes())];
        let a = analyze(&files);
        let json = serde_json::to_string(&a).unwrap();
        let back: Analysis = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert_eq!(back.files[1].duplicate_of.as_deref(), Some("a.csv"));
        assert_eq!(back.subscriptions[1].metrics.churn_rate, a.subscriptions[1].metrics.churn_rate);
    }
}
