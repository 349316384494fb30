//! `slatelens generate`: writes invented report files of the demo generators
//! (`slatelens_core::demo`) to a file or stdout, for benchmarks and for trying
//! the tool on large inputs without real data.
//!
//! The file is streamed chunk by chunk, so a multi-gigabyte file needs no
//! more memory than one chunk.

use clap::{Args, Subcommand};
use slatelens_core::demo;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// What `slatelens generate` writes.
#[derive(Subcommand)]
pub enum Kind {
    /// A Persistent-ID Viewership CSV (about 280 bytes a row; 1,000,000 rows make about 280 MB).
    PidViewership(PidViewership),
    /// A Persistent-ID Subscriptions CSV (about 150 bytes a row; one customer's statuses are 1 to 4 rows).
    PidSubscriptions(PidSubscriptions),
}

/// Options of `slatelens generate pid-viewership`.
#[derive(Args)]
pub struct PidViewership {
    /// Number of rows (streams) after the header.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Number of distinct customers the streams are spread over (at most).
    #[arg(long, default_value_t = 200_000)]
    customers: usize,
    #[command(flatten)]
    out: Output,
}

/// Options of `slatelens generate pid-subscriptions`.
#[derive(Args)]
pub struct PidSubscriptions {
    /// Number of rows (status changes) after the header.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Number of distinct customers (at most; each customer's story is written whole).
    #[arg(long, default_value_t = 400_000)]
    customers: usize,
    #[command(flatten)]
    out: Output,
}

/// Where and how every generator writes.
#[derive(Args)]
pub struct Output {
    /// Seed: the same seed and sizes give the same bytes on every platform.
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    seed: u64,
    /// Output file; stdout when absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Runs `slatelens generate`; an error is one line for stderr.
pub fn run(kind: Kind) -> Result<(), String> {
    match kind {
        Kind::PidViewership(a) => write(demo::pid_viewership(a.out.seed, a.rows, a.customers), &a.out),
        Kind::PidSubscriptions(a) => write(demo::pid_subscriptions(a.out.seed, a.rows, a.customers), &a.out),
    }
}

/// Writes `chunks` where `out` says.
fn write(chunks: impl Iterator<Item = Vec<u8>>, out: &Output) -> Result<(), String> {
    match &out.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
            write_all(chunks, file).map_err(|e| format!("{}: cannot write: {e}", path.display()))
        }
        None => match write_all(chunks, std::io::stdout().lock()) {
            // `generate | head` stops early: not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(|e| format!("slatelens: cannot write output: {e}")),
        },
    }
}

/// Writes every chunk, then flushes.
fn write_all(chunks: impl Iterator<Item = Vec<u8>>, out: impl Write) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    for chunk in chunks {
        out.write_all(&chunk)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn writes_the_generator_bytes_unchanged() {
        let mut out = Vec::new();
        write_all(demo::pid_viewership(7, 50, 10), &mut out).unwrap();
        assert_eq!(out, demo::pid_viewership(7, 50, 10).into_bytes());
        // Header plus 50 rows, each ending with a newline.
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 51);
    }
}
