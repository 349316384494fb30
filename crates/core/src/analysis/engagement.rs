//! Premium Engagement Scorecard: by length-of-subscription band and content group.

use super::FileRows;
use crate::kinds::engagement::Row;
use serde::{Deserialize, Serialize};

/// The Engagement Scorecard section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every Engagement Scorecard file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
