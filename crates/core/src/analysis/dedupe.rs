//! Counting a row once across files: the first file's row is kept, a later
//! equal row is a duplicate and a later different row a conflict, both
//! reported. Used by the retention, engagement and first-and-last sections.

use super::FileRows;
use std::collections::BTreeMap;

/// A row with the file it came from.
#[derive(Debug)]
pub(crate) struct Sourced<'a, R> {
    /// The row.
    pub row: &'a R,
    /// Its file's name.
    pub file: &'a str,
}

impl<R> Clone for Sourced<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Sourced<'_, R> {}

/// Rows counted once across files.
#[derive(Debug)]
pub(crate) struct Deduped<'a, R, K> {
    /// First row per key, in first-seen order.
    pub rows: Vec<(K, Sourced<'a, R>)>,
    /// One message per duplicate row.
    pub duplicates: Vec<String>,
    /// One message per conflicting row.
    pub conflicts: Vec<String>,
    /// Keys with disagreeing rows.
    pub conflicted: BTreeMap<K, String>,
}

/// Keeps the first row per `key`; a later row equal per `same` is a
/// duplicate, a different one a conflict (both reported).
pub(crate) fn dedupe<'a, R, K: Ord + Clone>(
    files: &[FileRows<'a, R>],
    key: impl Fn(&R) -> K,
    same: impl Fn(&R, &R) -> bool,
    line: impl Fn(&R) -> u64,
    describe: impl Fn(&K) -> String,
) -> Deduped<'a, R, K> {
    let mut first: BTreeMap<K, usize> = BTreeMap::new();
    let mut out =
        Deduped { rows: Vec::new(), duplicates: Vec::new(), conflicts: Vec::new(), conflicted: BTreeMap::new() };
    for f in files {
        for row in f.rows {
            let k = key(row);
            match first.get(&k) {
                Some(&i) => {
                    let prev = out.rows[i].1;
                    let what = format!(
                        "{}: {} line {} and {} line {}",
                        describe(&k),
                        prev.file,
                        line(prev.row),
                        f.name,
                        line(row)
                    );
                    if same(prev.row, row) {
                        out.duplicates.push(format!("{what} are the same row, counted once"));
                    } else {
                        let msg = format!("{what} disagree");
                        out.conflicted.entry(k).or_insert_with(|| msg.clone());
                        out.conflicts.push(msg);
                    }
                }
                None => {
                    first.insert(k.clone(), out.rows.len());
                    out.rows.push((k, Sourced { row, file: f.name }));
                }
            }
        }
    }
    out
}
