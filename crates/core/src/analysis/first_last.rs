//! Premium First-and-Last VOD Title: titles that bring people in and titles watched last.

use super::FileRows;
use crate::kinds::first_last::Row;
use serde::{Deserialize, Serialize};

/// The First-and-Last VOD Title section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every First-and-Last VOD Title file (duplicate files already removed).
pub fn analyze(files: &[FileRows<'_, Row>]) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
