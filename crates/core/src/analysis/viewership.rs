//! Persistent-ID Viewership and Daily Anonymized viewership: the aggregates of
//! every file combined into viewers and hours by day, title, device and more.

use crate::kinds::pid_viewership::Aggregate;
use serde::{Deserialize, Serialize};

/// The viewership section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Streams (rows used) across the files.
    pub streams: u64,
}

/// One file's aggregate, with its name.
#[derive(Debug, Clone, Copy)]
pub struct FileAggregate<'a> {
    /// The file's name.
    pub name: &'a str,
    /// What the file yielded.
    pub aggregate: &'a Aggregate,
}

/// Combines the aggregates of every viewership file (duplicate files already removed).
pub fn analyze(files: &[FileAggregate<'_>]) -> Section {
    Section { streams: files.iter().map(|f| f.aggregate.streams).sum() }
}
