//! Messages between the page and its Web Worker, as JSON.
//!
//! The worker owns every ingested file and the analysis; the page owns only
//! what it shows. A browser `File` travels beside the JSON (structured clone),
//! never inside it. Ids below [`WORKER_IDS`] are the page's; the worker numbers
//! what it creates itself (archive entries, demo files) from there up.

use serde::{Deserialize, Serialize};
use slatelens_core::ingest::Mapping;
use slatelens_core::{Analysis, FileReport};

/// First id the worker hands out for files it creates.
pub const WORKER_IDS: u64 = 1 << 40;

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ToWorker {
    /// Read the `File` sent beside this message.
    Add {
        /// The page's id for it.
        id: u64,
    },
    /// Generate and read the demo reports.
    Demo,
    /// Forget a file (and, for an archive, its entries).
    Remove {
        /// Which.
        id: u64,
    },
    /// Forget every file.
    Clear,
    /// Stop reading: the file being read and every queued one.
    Cancel,
    /// Read files with this header with this mapping from now on, and re-read
    /// the files held that have it.
    Mapping {
        /// The person's mapping.
        mapping: Mapping,
    },
    /// Forget every mapping, and re-read the files held that were read with one.
    ForgetMappings,
    /// To a helper worker (see `crate::ranges`): read bytes `[start, end)` of
    /// the `File` sent beside this message, as a range of the file whose
    /// first `head` bytes decide its layout, and answer with
    /// [`FromWorker::RangeDone`].
    ReadRange {
        /// The file's name.
        name: String,
        /// The session's mappings (the head is read with them).
        mappings: Vec<Mapping>,
        /// Bytes of the file the reading worker read before it cut ranges.
        head: u64,
        /// The range: from a line start to the next range's start or the end.
        start: u64,
        /// Its end.
        end: u64,
    },
}

/// From the worker to the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker created a file (an archive entry or a demo report).
    Added {
        /// Its id.
        id: u64,
        /// The archive it came from.
        parent: Option<u64>,
        /// Its name.
        name: String,
        /// Its size in bytes (uncompressed).
        size: u64,
        /// Whether it is demo data.
        demo: bool,
    },
    /// Reading of a file began.
    Started {
        /// Which.
        id: u64,
    },
    /// Reading goes on.
    Progress {
        /// Which.
        id: u64,
        /// Bytes read so far.
        bytes: u64,
        /// Data rows read so far.
        rows: u64,
    },
    /// A file was read to the end.
    Done {
        /// Which.
        id: u64,
        /// What core made of it.
        report: Box<FileReport>,
    },
    /// An archive was opened; its entries follow as [`FromWorker::Added`].
    Archive {
        /// Which.
        id: u64,
        /// How many report files it holds.
        entries: usize,
    },
    /// Reading was cancelled before the end.
    Cancelled {
        /// Which.
        id: u64,
    },
    /// The analysis of every file now held.
    Analysis {
        /// Ids of `analysis.files`, in the same order.
        ids: Vec<u64>,
        /// The numbers.
        analysis: Box<Analysis>,
    },
    /// From a helper worker: bytes and rows of its range read so far.
    RangeProgress {
        /// Bytes parsed.
        bytes: u64,
        /// Data rows read.
        rows: u64,
    },
    /// From a helper worker: its range is read; the `RangePart` travels
    /// beside this message as bytes (`part`, an `ArrayBuffer`).
    RangeDone,
    /// From a helper worker: the range could not be read (the reading
    /// worker then reads the file in one piece).
    RangeFailed {
        /// Why.
        message: String,
    },
    /// The worker hit a bug and stopped; the page says so.
    Fatal {
        /// One line.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let m = ToWorker::Remove { id: 7 };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"op":"remove","id":7}"#);
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), m);
        let file = slatelens_core::ingest_bytes("a.csv", b"x");
        let back: FromWorker = serde_json::from_str(
            &serde_json::to_string(&FromWorker::Done { id: 1, report: Box::new(file.report) }).unwrap(),
        )
        .unwrap();
        assert!(matches!(back, FromWorker::Done { id: 1, .. }));
    }
}
