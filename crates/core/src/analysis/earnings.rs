//! Prime Video Direct earnings: Customer Engagement Ranking (CER) per title, month and territory.

use super::FileRows;
use crate::kinds::earnings::Row;
use serde::{Deserialize, Serialize};

/// The Earnings section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every Earnings file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
