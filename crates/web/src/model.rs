//! What the page shows for each file, as plain data.
//!
//! Nothing here touches the DOM, so all of it is tested natively: [`Files`] is
//! the list of files in the order they were given, each with its [`FileState`];
//! [`FileSummary::from_report`] turns core's [`FileReport`] into the texts a
//! person reads.

use crate::protocol::FromWorker;
use slatelens_core::{Analysis, FileReport};

/// The list of files the user has given, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    entries: Vec<FileEntry>,
    next_id: u64,
}

/// One file on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Unique within the page; stable while the file is listed.
    pub id: u64,
    /// Bumped on every change, so the view re-renders only changed rows.
    pub revision: u64,
    /// The file name as given by the browser.
    pub name: String,
    /// The size in bytes, as the browser reports it (uncompressed for archive entries).
    pub size: u64,
    /// The archive this file came out of.
    pub parent: Option<u64>,
    /// Synthetic demo data, not the user's.
    pub demo: bool,
    /// Same bytes as this earlier file: not counted again.
    pub duplicate_of: Option<String>,
    /// Where the file is.
    pub state: FileState,
}

/// Where one file is in its life on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Waiting for the files before it.
    Queued,
    /// Being read; `bytes` have been fed to core so far.
    Reading {
        /// Bytes read so far.
        bytes: u64,
        /// Data rows read so far.
        rows: u64,
        /// When reading began (ms, the page's clock), for the rate.
        started_ms: Option<u64>,
    },
    /// Read to the end and accounted for.
    Done(Box<FileSummary>),
    /// An archive: its report files are listed after it.
    Archive {
        /// How many report files it holds.
        entries: usize,
    },
    /// Reading was stopped by the user.
    Cancelled,
    /// The browser could not read the file (one line, file name first).
    Failed(String),
}

impl Files {
    /// Adds a file in the [`FileState::Queued`] state and returns its id.
    pub fn add(&mut self, name: &str, size: u64) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.insert(id, None, name, size, false);
        id
    }

    /// Adds a file the worker created (an archive entry or a demo report).
    pub fn insert(&mut self, id: u64, parent: Option<u64>, name: &str, size: u64, demo: bool) {
        let entry = FileEntry {
            id,
            revision: 0,
            name: name.to_string(),
            size,
            parent,
            demo,
            duplicate_of: None,
            state: FileState::Queued,
        };
        // Entries of an archive go right after it and its earlier entries.
        let at = parent
            .and_then(|p| self.entries.iter().rposition(|e| e.id == p || e.parent == Some(p)))
            .map_or(self.entries.len(), |i| i + 1);
        self.entries.insert(at, entry);
    }

    /// Marks a file as being read from `now_ms` on.
    pub fn started(&mut self, id: u64, now_ms: u64) {
        if let Some(entry) = self.entry_mut(id) {
            entry.state = FileState::Reading { bytes: 0, rows: 0, started_ms: Some(now_ms) };
            entry.revision += 1;
        }
    }

    /// Whether any file is queued or being read.
    pub fn busy(&self) -> bool {
        self.entries.iter().any(|e| matches!(e.state, FileState::Queued | FileState::Reading { .. }))
    }

    /// Overall progress of the files not yet finished in this batch:
    /// (bytes read, bytes in all, rows read) over queued, reading and done files.
    pub fn overall(&self) -> (u64, u64, u64) {
        self.entries.iter().filter(|e| !matches!(e.state, FileState::Archive { .. })).fold(
            (0, 0, 0),
            |(done, total, rows), e| match &e.state {
                FileState::Queued => (done, total + e.size, rows),
                FileState::Reading { bytes, rows: r, .. } => (done + bytes, total + e.size.max(*bytes), rows + r),
                FileState::Done(s) => (done + e.size, total + e.size, rows + s.rows),
                _ => (done, total, rows),
            },
        )
    }

    /// Applies a worker message about one file; returns whether anything shown changed.
    /// ([`FromWorker::Analysis`] and [`FromWorker::Fatal`] are the page's to handle.)
    pub fn apply(&mut self, msg: &FromWorker, now_ms: u64) -> bool {
        match msg {
            FromWorker::Added { id, parent, name, size, demo } => {
                self.insert(*id, *parent, name, *size, *demo);
                true
            }
            FromWorker::Started { id } => {
                self.started(*id, now_ms);
                true
            }
            FromWorker::Progress { id, bytes, rows } => self.progress(*id, *bytes, *rows),
            FromWorker::Done { id, report } => {
                self.finish(*id, FileState::Done(Box::new(FileSummary::from_report(report))));
                true
            }
            FromWorker::Archive { id, entries } => {
                self.finish(*id, FileState::Archive { entries: *entries });
                true
            }
            FromWorker::Cancelled { id } => {
                let cancellable = self
                    .entries
                    .iter()
                    .any(|e| e.id == *id && matches!(e.state, FileState::Queued | FileState::Reading { .. }));
                if cancellable {
                    self.finish(*id, FileState::Cancelled);
                }
                cancellable
            }
            FromWorker::Analysis { .. } | FromWorker::Fatal { .. } => false,
            // Between the reading worker and its helpers only.
            FromWorker::RangeProgress { .. } | FromWorker::RangeDone | FromWorker::RangeFailed { .. } => false,
        }
    }

    /// The Files tab's label: `Files (3)`, or `Files (3 · 1 with problems)`.
    pub fn tab_label(&self) -> String {
        let listed = self.entries.iter().filter(|e| !matches!(e.state, FileState::Archive { .. })).count();
        let troubled = self
            .entries
            .iter()
            .filter(|e| {
                matches!(&e.state, FileState::Done(s) if s.error.is_some() || !s.problems.is_empty())
                    || matches!(e.state, FileState::Failed(_))
            })
            .count();
        match troubled {
            0 => format!("Files ({listed})"),
            n => format!("Files ({listed} · {n} with problems)"),
        }
    }

    /// Removes a file (and an archive's entries); returns whether it was listed.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.id != id && e.parent != Some(id));
        self.entries.len() != before
    }

    /// Takes what the analysis says about each file (duplicates).
    pub fn apply_analysis(&mut self, ids: &[u64], analysis: &Analysis) {
        for (id, report) in ids.iter().zip(&analysis.files) {
            if let Some(entry) = self.entry_mut(*id) {
                if entry.duplicate_of != report.duplicate_of {
                    entry.duplicate_of = report.duplicate_of.clone();
                    entry.revision += 1;
                }
            }
        }
    }

    /// The files, in the order they were added.
    pub fn entries(&self) -> &[FileEntry] {
        &self.entries
    }

    /// Records reading progress. Returns whether the shown percentage changed,
    /// so callers can skip needless re-renders.
    pub fn progress(&mut self, id: u64, bytes: u64, rows: u64) -> bool {
        let Some(entry) = self.entry_mut(id) else { return false };
        let FileState::Reading { bytes: before, started_ms, .. } = entry.state else { return false };
        let changed = percent(before, entry.size) != percent(bytes, entry.size);
        entry.state = FileState::Reading { bytes, rows, started_ms };
        if changed {
            entry.revision += 1;
        }
        changed
    }

    /// Records the outcome of reading a file.
    pub fn finish(&mut self, id: u64, state: FileState) {
        if let Some(entry) = self.entry_mut(id) {
            entry.state = state;
            entry.revision += 1;
        }
    }

    /// Removes every file from the list.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn entry_mut(&mut self, id: u64) -> Option<&mut FileEntry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }
}

impl FileEntry {
    /// The status line shown while a file is waiting or being read, e.g.
    /// `Reading… 45% · 120,000 rows · 85 MB/s · about 15 s left`.
    pub fn progress_text(&self, now_ms: u64) -> Option<String> {
        match self.state {
            FileState::Queued => Some("Waiting…".to_string()),
            FileState::Reading { bytes, rows, started_ms } => {
                let mut text = format!("Reading… {}% · {}", percent(bytes, self.size), count(rows, "row", "rows"));
                if let Some(rate) = started_ms.and_then(|t| rate_mb_s(bytes, now_ms.saturating_sub(t))) {
                    text.push_str(&format!(" · {rate} MB/s"));
                }
                if let Some(left) = self.time_left(now_ms) {
                    text.push_str(&format!(" · {left}"));
                }
                Some(text)
            }
            _ => None,
        }
    }

    /// While the file is read: how long it has left at its pace so far ([`time_left`]).
    pub fn time_left(&self, now_ms: u64) -> Option<String> {
        match self.state {
            FileState::Reading { bytes, started_ms: Some(t), .. } => {
                time_left(bytes, self.size, now_ms.saturating_sub(t))
            }
            _ => None,
        }
    }
}

/// Megabytes (10^6 bytes) per second, once a quarter second has passed.
pub fn rate_mb_s(bytes: u64, elapsed_ms: u64) -> Option<u64> {
    (elapsed_ms >= 250).then(|| bytes * 1000 / elapsed_ms / 1_000_000)
}

/// The time a file has left at the pace it has been read so far (`bytes` of
/// `size` in `elapsed_ms`), rounded up and coarser as it grows so that it does
/// not flicker: "a few seconds left", "about 25 s left", "about 3 min left".
/// `None` in the first second (the pace is not known yet) and at the end.
pub fn time_left(bytes: u64, size: u64, elapsed_ms: u64) -> Option<String> {
    if elapsed_ms < 1_000 || bytes == 0 || bytes >= size {
        return None;
    }
    let ms = u128::from(size - bytes) * u128::from(elapsed_ms) / u128::from(bytes);
    let secs = u64::try_from(ms.div_ceil(1_000)).unwrap_or(u64::MAX);
    Some(match secs {
        0..=5 => "a few seconds left".to_string(),
        6..=59 => format!("about {} s left", secs.div_ceil(5) * 5),
        60..=5_399 => format!("about {} min left", secs.div_ceil(60)),
        _ => format!("about {} h left", secs.div_ceil(3_600)),
    })
}

/// Whole percent of `part` in `whole`, at most 100; 0 for an empty whole.
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    (u128::from(part.min(whole)) * 100 / u128::from(whole)) as u64
}

/// What the page shows for a file that was read to the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The file name.
    pub name: String,
    /// The kind label (`Contractual Subscriptions (monthly)`), or `Not recognised`.
    pub kind: String,
    /// Whether the kind was recognised.
    pub recognised: bool,
    /// `3 rows read, 3 used, 0 rejected`.
    pub counts: String,
    /// Rows read.
    pub rows: u64,
    /// Encoding and delimiter, e.g. `UTF-8, comma`; empty when unknown.
    pub format: String,
    /// The period(s) the rows cover: `May 2022`, or `January 2024 to June 2024 (6 periods)`.
    pub periods: Option<String>,
    /// The one-line reason the file could not be read at all.
    pub error: Option<String>,
    /// One line per listed problem, file name first, as the CLI prints them.
    pub problems: Vec<String>,
    /// `and 12 more problems not listed`, when core capped the list.
    pub omitted: Option<String>,
    /// Things the user should know that are not rejections.
    pub notes: Vec<String>,
    /// What the mapping step needs, when it is offered for this file.
    pub mapping: Option<crate::mapping::MappingNeed>,
}

impl FileSummary {
    /// The texts for one file, from core's account of it.
    pub fn from_report(report: &FileReport) -> FileSummary {
        let recognised = report.kind.is_some();
        let kind =
            if recognised && !report.label.is_empty() { report.label.clone() } else { "Not recognised".to_string() };
        let counts = format!(
            "{} read, {} used, {} rejected",
            count(report.rows, "row", "rows"),
            group_thousands(report.used),
            group_thousands(report.rejected)
        );
        let format = [report.encoding.as_str(), report.delimiter.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let omitted = (report.problems_omitted > 0)
            .then(|| format!("and {} not listed", count(report.problems_omitted, "more problem", "more problems")));
        FileSummary {
            name: report.name.clone(),
            kind,
            recognised,
            counts,
            rows: report.rows,
            format,
            periods: periods_text(&report.periods),
            error: report.error_line(),
            problems: report.problems.iter().map(|p| p.display(&report.name).to_string()).collect(),
            omitted,
            notes: report.notes.clone(),
            mapping: crate::mapping::MappingNeed::of(report),
        }
    }
}

/// The periods of a file in a few words.
pub fn periods_text(periods: &[slatelens_core::DateRange]) -> Option<String> {
    use crate::format::period_label;
    match periods {
        [] => None,
        [one] => Some(period_label(one.start, one.end)),
        [first, .., last] => Some(format!(
            "{} to {} ({} periods)",
            period_label(first.start, first.end),
            period_label(last.start, last.end),
            periods.len()
        )),
    }
}

/// `1` -> `1 row`, `1327735` -> `1,327,735 rows`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_thousands(n), if n == 1 { one } else { many })
}

/// Digits grouped by threes with commas: `1327735` -> `1,327,735`.
pub fn group_thousands(n: u64) -> String {
    crate::format::group_digits(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::ingest_bytes;

    const SUBS: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions\n\
        2022,5/1/22,5/31/22,ABC,SQUARERT-1,0,FT,132455,43023,139450,17382,4523\n\
        2022,5/1/22,5/31/22,DEF,SQUARERT-4,8.99,HO,62304,30203,0,1386,422\n\
        2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,1327735,1258343,24385,75849,13403\n";

    #[test]
    fn groups_thousands() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (1327735, "1,327,735"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ];
        for (n, want) in cases {
            assert_eq!(group_thousands(n), want, "{n}");
        }
    }

    #[test]
    fn counts_singular_and_plural() {
        assert_eq!(count(1, "row", "rows"), "1 row");
        assert_eq!(count(0, "row", "rows"), "0 rows");
        assert_eq!(count(2000, "row", "rows"), "2,000 rows");
    }

    #[test]
    fn worker_messages_drive_a_file_through_its_life() {
        let mut files = Files::default();
        let id = files.add("may.csv", 1_000);
        assert!(files.apply(&FromWorker::Started { id }, 5));
        files.apply(&FromWorker::Progress { id, bytes: 500, rows: 7 }, 6);
        assert_eq!(files.overall(), (500, 1_000, 7));
        let report = ingest_bytes("may.csv", SUBS.as_bytes()).report;
        files.apply(&FromWorker::Done { id, report: Box::new(report) }, 7);
        assert!(!files.busy());
        assert!(matches!(&files.entries()[0].state, FileState::Done(s) if s.rows == 3));
        assert!(!files.apply(&FromWorker::Cancelled { id }, 8), "a finished file is not cancelled");
        let q = files.add("next.csv", 10);
        assert!(files.apply(&FromWorker::Cancelled { id: q }, 9));
        assert_eq!(files.tab_label(), "Files (2)");
        let bad = ingest_bytes("bad.csv", b"").report;
        let b = files.add("bad.csv", 0);
        files.apply(&FromWorker::Done { id: b, report: Box::new(bad) }, 10);
        assert_eq!(files.tab_label(), "Files (3 · 1 with problems)");
        assert_eq!(files.entries()[1].state, FileState::Cancelled);
    }

    #[test]
    fn time_left_at_the_pace_so_far() {
        // The pace needs a second; nothing is left at the end.
        assert_eq!(time_left(100, 1_000, 999), None);
        assert_eq!(time_left(0, 1_000, 5_000), None);
        assert_eq!(time_left(1_000, 1_000, 5_000), None);
        // A tenth in 1 s: 9 s left, shown in steps of 5 s.
        assert_eq!(time_left(100, 1_000, 1_000).as_deref(), Some("about 10 s left"));
        assert_eq!(time_left(500, 1_000, 3_000).as_deref(), Some("a few seconds left"));
        // 2.7 GB at 90 MB/s, 1 GB read: about 19 s.
        assert_eq!(time_left(1_000_000_000, 2_711_000_000, 11_111).as_deref(), Some("about 20 s left"));
        // A 10 GB file at 100 MB/s, a tenth read: 90 s, in whole minutes.
        assert_eq!(time_left(1_000_000_000, 10_000_000_000, 10_000).as_deref(), Some("about 2 min left"));
        assert_eq!(time_left(1, 10_000, 1_000).as_deref(), Some("about 3 h left"));
    }

    #[test]
    fn rate_needs_a_quarter_second() {
        assert_eq!(rate_mb_s(10_000_000, 100), None);
        assert_eq!(rate_mb_s(250_000_000, 1_000), Some(250));
    }

    #[test]
    fn archive_entries_follow_their_archive_and_go_with_it() {
        let mut files = Files::default();
        let zip = files.add("r.zip", 100);
        let other = files.add("other.csv", 10);
        files.insert(1 << 40, Some(zip), "r.zip/a.csv", 50, false);
        files.insert((1 << 40) + 1, Some(zip), "r.zip/b.csv", 50, false);
        let names: Vec<&str> = files.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["r.zip", "r.zip/a.csv", "r.zip/b.csv", "other.csv"]);
        assert!(files.remove(zip));
        assert_eq!(files.entries().len(), 1);
        assert_eq!(files.entries()[0].id, other);
    }

    #[test]
    fn percent_is_bounded() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 10), 50);
        assert_eq!(percent(20, 10), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }

    #[test]
    fn summary_of_a_good_subscriptions_file() {
        let file = ingest_bytes("subs_may.csv", SUBS.as_bytes());
        let s = FileSummary::from_report(&file.report);
        assert!(s.recognised);
        assert_eq!(s.name, "subs_may.csv");
        assert!(s.kind.contains("Subscriptions"), "{}", s.kind);
        assert_eq!(s.counts, "3 rows read, 3 used, 0 rejected");
        assert_eq!(s.periods.as_deref(), Some("May 2022"));
        assert_eq!(s.error, None);
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert!(s.format.contains("comma"), "{}", s.format);
    }

    #[test]
    fn summary_lists_problems_with_the_file_name_first() {
        let bad = SUBS.replace(",62304,", ",\"12,5x\",");
        let file = ingest_bytes("subs_may.csv", bad.as_bytes());
        let s = FileSummary::from_report(&file.report);
        assert_eq!(s.counts, "3 rows read, 2 used, 1 rejected");
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert!(s.problems[0].starts_with("subs_may.csv: line 3"), "{}", s.problems[0]);
    }

    #[test]
    fn summary_of_an_unreadable_file() {
        let file = ingest_bytes("empty.csv", b"");
        let s = FileSummary::from_report(&file.report);
        assert!(!s.recognised);
        assert_eq!(s.kind, "Not recognised");
        assert_eq!(s.error.as_deref(), Some("empty.csv: the file is empty"));
    }

    #[test]
    fn files_keep_order_and_track_progress() {
        let mut files = Files::default();
        let a = files.add("a.csv", 200);
        let b = files.add("b.csv", 0);
        assert_ne!(a, b);
        assert_eq!(files.entries()[0].progress_text(0).as_deref(), Some("Waiting…"));
        files.started(a, 1_000);
        assert_eq!(files.entries()[0].progress_text(1_000).as_deref(), Some("Reading… 0% · 0 rows"));
        assert!(!files.progress(a, 1, 0), "0% -> 0% is no change");
        assert!(files.progress(a, 100, 3));
        assert_eq!(files.entries()[0].progress_text(1_100).as_deref(), Some("Reading… 50% · 3 rows"));
        // After a second, the pace: half in 2 s, 2 s left.
        assert_eq!(
            files.entries()[0].progress_text(3_000).as_deref(),
            Some("Reading… 50% · 3 rows · 0 MB/s · a few seconds left")
        );
        assert_eq!(files.overall(), (100, 200, 3));
        assert!(files.busy());
        let rev = files.entries()[0].revision;
        files.finish(a, FileState::Failed("a.csv: could not read the file".into()));
        assert_eq!(files.entries()[0].revision, rev + 1);
        assert_eq!(files.entries()[0].progress_text(0), None);
        assert!(!files.progress(a, 150, 4), "no progress after the end");
        assert_eq!(files.entries().iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["a.csv", "b.csv"]);
        files.clear();
        assert!(files.entries().is_empty());
        assert_ne!(files.add("c.csv", 1), b, "ids are never reused");
    }
}
