//! What the page shows for each file, as plain data.
//!
//! Nothing here touches the DOM, so all of it is tested natively: [`Files`] is
//! the list of files in the order they were given, each with its [`FileState`];
//! [`FileSummary::from_report`] turns core's [`FileReport`] into the texts a
//! person reads.

use slatelens_core::FileReport;

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
    /// The size in bytes, as the browser reports it.
    pub size: u64,
    /// Where the file is.
    pub state: FileState,
}

/// Where one file is in its life on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Being read; `bytes` have been fed to core so far.
    Reading {
        /// Bytes read so far.
        bytes: u64,
    },
    /// Read to the end and accounted for.
    Done(FileSummary),
    /// The browser could not read the file (one line, file name first).
    Failed(String),
}

impl Files {
    /// Adds a file in the [`FileState::Reading`] state and returns its id.
    pub fn add(&mut self, name: &str, size: u64) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.entries.push(FileEntry {
            id,
            revision: 0,
            name: name.to_string(),
            size,
            state: FileState::Reading { bytes: 0 },
        });
        id
    }

    /// The files, in the order they were added.
    pub fn entries(&self) -> &[FileEntry] {
        &self.entries
    }

    /// Records reading progress. Returns whether the shown percentage changed,
    /// so callers can skip needless re-renders.
    pub fn progress(&mut self, id: u64, bytes: u64) -> bool {
        let Some(entry) = self.entry_mut(id) else { return false };
        let FileState::Reading { bytes: before } = entry.state else { return false };
        let changed = percent(before, entry.size) != percent(bytes, entry.size);
        entry.state = FileState::Reading { bytes };
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
    /// The status line shown while a file is being read, e.g. `Reading… 45%`.
    pub fn progress_text(&self) -> Option<String> {
        match self.state {
            FileState::Reading { bytes } => Some(format!("Reading… {}%", percent(bytes, self.size))),
            _ => None,
        }
    }
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
    /// Encoding and delimiter, e.g. `UTF-8, comma`; empty when unknown.
    pub format: String,
    /// The one-line reason the file could not be read at all.
    pub error: Option<String>,
    /// One line per listed problem, file name first, as the CLI prints them.
    pub problems: Vec<String>,
    /// `and 12 more problems not listed`, when core capped the list.
    pub omitted: Option<String>,
    /// Things the user should know that are not rejections.
    pub notes: Vec<String>,
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
            format,
            error: report.error_line(),
            problems: report.problems.iter().map(|p| p.display(&report.name).to_string()).collect(),
            omitted,
            notes: report.notes.clone(),
        }
    }
}

/// `1` -> `1 row`, `1327735` -> `1,327,735 rows`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_thousands(n), if n == 1 { one } else { many })
}

/// Digits grouped by threes with commas: `1327735` -> `1,327,735`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
        assert_eq!(files.entries()[0].progress_text().as_deref(), Some("Reading… 0%"));
        assert!(!files.progress(a, 1), "0% -> 0% is no change");
        assert!(files.progress(a, 100));
        assert_eq!(files.entries()[0].progress_text().as_deref(), Some("Reading… 50%"));
        let rev = files.entries()[0].revision;
        files.finish(a, FileState::Failed("a.csv: could not read the file".into()));
        assert_eq!(files.entries()[0].revision, rev + 1);
        assert_eq!(files.entries()[0].progress_text(), None);
        assert!(!files.progress(a, 150), "no progress after the end");
        assert_eq!(files.entries().iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["a.csv", "b.csv"]);
        files.clear();
        assert!(files.entries().is_empty());
        assert_ne!(files.add("c.csv", 1), b, "ids are never reused");
    }
}
