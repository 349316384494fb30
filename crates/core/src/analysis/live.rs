//! Contractual Live Streaming Usage: per channel and trend.

use super::FileRows;
use crate::kinds::live_usage::Row;
use serde::{Deserialize, Serialize};

/// The Live Streaming Usage section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every Live Streaming Usage file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
