//! slatelens-core: reads Prime Video Slate and Prime Video Direct report files
//! and computes their metrics.
//!
//! This crate does no IO, reads no clock and starts no threads: it takes a
//! file's bytes in chunks ([`Ingest`]) and returns typed rows with an account of
//! every row ([`FileReport`]); [`analyze`] turns the rows of many files into the
//! numbers the page and the CLI show. The same code runs natively and in the
//! browser (wasm32).
//!
//! ```
//! let csv = "Report Start,Report End,Offer ID,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n\
//!            5/1/22,5/31/22,GHI,HO,\"1,258,343\",24385,75849\n";
//! let file = slatelens_core::ingest_bytes("may.csv", csv.as_bytes());
//! assert_eq!(file.report.kind, Some(slatelens_core::Kind::Subscriptions));
//! assert_eq!((file.report.rows, file.report.used, file.report.rejected), (1, 1, 0));
//! ```

#![deny(missing_docs)]

pub mod analysis;
pub mod archive;
pub mod demo;
pub mod ingest;
pub mod kinds;
mod report;
pub mod schema;
pub mod text;

pub use analysis::{analyze, Analysis};
pub use ingest::{ingest_bytes, Ingest, IngestedFile};
pub use kinds::KindData;
pub use report::{ColumnUse, DateRange, FileError, FileReport, Problem, MAX_PROBLEMS};
pub use schema::Kind;
