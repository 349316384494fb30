//! The account of one file: what was read, used and rejected, and why.
//!
//! Every data row ends in exactly one of two places: used, or rejected with a
//! [`Problem`] that names its line, column and reason. `rows == used + rejected`
//! holds for every file (see [`FileReport::is_balanced`]).

use crate::schema::Kind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// At most this many problems are kept per file; the rest are counted.
pub const MAX_PROBLEMS: usize = 500;

/// One rejected row (or one thing wrong with a file), with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line of the file where the row starts; `None` for the whole file.
    pub line: Option<u64>,
    /// The column as the file spells it, when one column is at fault.
    pub column: Option<String>,
    /// One line, no trailing period, user values quoted.
    pub reason: String,
}

impl Problem {
    /// A problem with a row, blamed on one column.
    pub fn cell(line: u64, column: &str, reason: impl Into<String>) -> Problem {
        Problem { line: Some(line), column: Some(column.to_string()), reason: reason.into() }
    }

    /// A problem with a whole row.
    pub fn row(line: u64, reason: impl Into<String>) -> Problem {
        Problem { line: Some(line), column: None, reason: reason.into() }
    }

    /// Renders the problem with the file name first, as users read it:
    /// `subs_may.csv: line 43, column "New Subscriptions": expected a whole number, found "12,5x"`.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a Problem, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}: ", self.1)?;
                if let Some(line) = self.0.line {
                    write!(f, "line {line}, ")?;
                }
                if let Some(col) = &self.0.column {
                    write!(f, "column \"{col}\": ")?;
                }
                write!(f, "{}", self.0.reason)
            }
        }
        D(self, file)
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FileError {
    /// Zero bytes, or only blank lines.
    #[error("the file is empty")]
    Empty,
    /// Binary content (a spreadsheet, an archive, an image).
    #[error("not a text report ({what}); export it from Slate or Excel as CSV")]
    NotText {
        /// What the bytes look like.
        what: String,
    },
    /// No line break within the first megabyte.
    #[error("no header line found in the first {limit_kib} KiB")]
    NoHeader {
        /// How far we looked.
        limit_kib: usize,
    },
    /// A header that matches no report kind.
    #[error("{}", unknown_kind(.nearest, *.found, *.total, .missing, .header))]
    UnknownKind {
        /// The label of the nearest kind, when any of its key columns is present.
        nearest: Option<String>,
        /// Key columns found.
        found: usize,
        /// Key columns of the nearest kind.
        total: usize,
        /// Key columns missing.
        missing: Vec<String>,
        /// The header cells as written.
        header: Vec<String>,
        /// The first data rows (at most five), split into cells, for the mapping step.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sample: Vec<Vec<String>>,
    },
    /// The bytes could not be read (the browser or the system refused).
    #[error("could not read the file ({message})")]
    Unreadable {
        /// Why.
        message: String,
    },
    /// A `.zip` or `.gz` that cannot be unpacked.
    #[error("cannot unpack: {message}")]
    Archive {
        /// What is wrong with it.
        message: String,
    },
    /// A quoted value that never ends.
    #[error("line {line}: a quoted value is never closed (the row runs past {limit_kib} KiB)")]
    UnclosedQuote {
        /// Where the row starts.
        line: u64,
        /// The row-length limit.
        limit_kib: usize,
    },
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

fn unknown_kind(nearest: &Option<String>, found: usize, total: usize, missing: &[String], header: &[String]) -> String {
    match nearest {
        Some(kind) => format!(
            "not a known report: nearest is {kind} ({found} of {total} key columns), missing {}",
            quote_list(missing)
        ),
        None => {
            let shown: Vec<String> = header.iter().take(8).cloned().collect();
            let more = if header.len() > 8 { ", ..." } else { "" };
            format!(
                "not a known report: no column matches a Slate or Prime Video Direct report (header: {}{more})",
                quote_list(&shown)
            )
        }
    }
}

/// What slatelens made of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileReport {
    /// The file name as given.
    pub name: String,
    /// The report kind, when recognised.
    pub kind: Option<Kind>,
    /// What to call it (e.g. "Contractual Subscriptions (monthly)").
    pub label: String,
    /// Text encoding detected (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: String,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// The delimiter, as a printable name (`comma`, `tab`, `semicolon`, `pipe`).
    pub delimiter: String,
    /// Bytes read.
    pub bytes: u64,
    /// Hex digest of the content (xxh3-128), to spot the same file dropped twice.
    pub content_hash: String,
    /// Data rows read (everything after the header row that is not a blank line).
    pub rows: u64,
    /// Rows used in the analysis.
    pub used: u64,
    /// Rows rejected, each with a problem.
    pub rejected: u64,
    /// The first [`MAX_PROBLEMS`] problems.
    pub problems: Vec<Problem>,
    /// Problems beyond the cap (counted, not listed).
    pub problems_omitted: u64,
    /// Things the user should know that are not rejections (conventions chosen, columns ignored).
    pub notes: Vec<String>,
    /// Header cells as written, and which field each was read as (`None`: kept and ignored).
    pub columns: Vec<ColumnUse>,
    /// The reporting periods its rows cover (distinct start/end pairs; one span
    /// for per-customer and cohort files), sorted.
    pub periods: Vec<DateRange>,
    /// When the file could not be read at all.
    pub error: Option<FileError>,
    /// Set by the analysis when this file has the same content as an earlier one.
    pub duplicate_of: Option<String>,
}

/// A span of days, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateRange {
    /// First day.
    pub start: chrono::NaiveDate,
    /// Last day.
    pub end: chrono::NaiveDate,
}

/// One header cell and the field it feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    /// As written in the file.
    pub name: String,
    /// The field (guide spelling), or `None` when the column is ignored.
    pub field: Option<String>,
}

impl FileReport {
    /// An empty account for the file `name`.
    pub fn new(name: &str) -> FileReport {
        FileReport {
            name: name.to_string(),
            kind: None,
            label: String::new(),
            encoding: String::new(),
            bom: false,
            delimiter: String::new(),
            bytes: 0,
            content_hash: String::new(),
            rows: 0,
            used: 0,
            rejected: 0,
            problems: Vec::new(),
            problems_omitted: 0,
            notes: Vec::new(),
            columns: Vec::new(),
            periods: Vec::new(),
            error: None,
            duplicate_of: None,
        }
    }

    /// Records a rejected row.
    pub(crate) fn reject(&mut self, problem: Problem) {
        self.rejected += 1;
        self.push_problem(problem);
    }

    pub(crate) fn push_problem(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.problems_omitted += 1;
        }
    }

    /// `rows == used + rejected`: no row lost, none counted twice.
    pub fn is_balanced(&self) -> bool {
        self.rows == self.used + self.rejected
    }

    /// The one-line message for a file that could not be read, naming the file.
    pub fn error_line(&self) -> Option<String> {
        self.error.as_ref().map(|e| format!("{}: {e}", self.name))
    }
}
