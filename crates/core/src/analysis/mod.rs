//! Many files in, the numbers out: what the page shows and `analyze --json` prints.
//!
//! [`analyze`] takes every ingested file in the order the user gave them. A
//! file whose content equals an earlier file's is marked a duplicate and not
//! used again. Each kind present then gets its section.

pub mod subscriptions;

use crate::ingest::IngestedFile;
use crate::kinds::subscriptions::cadence_from_header_name;
use crate::kinds::KindData;
use crate::report::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The analysis of a set of files. Its JSON form is the contract of
/// `slatelens analyze --json` (documented in `docs/json.md`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysis {
    /// One entry per input file, in input order.
    pub files: Vec<FileReport>,
    /// Contractual Subscriptions: one entry per period, sorted by start.
    pub subscriptions: Vec<subscriptions::Period>,
}

/// Analyses `files` (in the order the user dropped or named them).
pub fn analyze(files: &[IngestedFile]) -> Analysis {
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

    let subs: Vec<subscriptions::FileRows> = files
        .iter()
        .zip(&live)
        .filter(|(_, &live)| live)
        .filter_map(|(f, _)| match &f.data {
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

    Analysis { files: reports, subscriptions: subscriptions::analyze(&subs) }
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
