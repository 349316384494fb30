//! Contractual Conversion and Retention: cohorts, curves, lifetime and LTV estimates.

use super::FileRows;
use crate::kinds::conversion_retention::Row;
use serde::{Deserialize, Serialize};

/// The Conversion and Retention section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every Conversion and Retention file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
