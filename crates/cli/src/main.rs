//! `slatelens`: the command line over slatelens-core.
//!
//! Thin glue: reads each file in chunks, feeds core, prints what core
//! returns, as text or as the JSON documented in `docs/json.md`. Exits 2 when
//! any file could not be read at all, with one line per such file on stderr.

mod generate;
mod ranges;
mod text;

use clap::{Parser, Subcommand};
use slatelens_core::archive::{Container, DirectoryStep, GzipIngest, ZipDirectory, ZipEntryIngest};
use slatelens_core::ingest::{Mapping, SPLIT_FROM_BYTES};
use slatelens_core::{analyze, Ingest, IngestedFile};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Reads Prime Video Slate and Prime Video Direct report files and prints their metrics.
#[derive(Parser)]
#[command(name = "slatelens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read report files and print each file's account and the metrics of every kind present.
    Analyze {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// A column mapping (JSON, as the page exports it) for files whose header slatelens does not
        /// recognise; files with that exact header are read with it. Repeatable.
        #[arg(long = "mapping", value_name = "FILE.json")]
        mappings: Vec<PathBuf>,
        /// Files read at once, each on its own thread (default: one per core). The result is the
        /// same for any number.
        #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Report files (CSV or tab-separated text, any encoding Excel writes), `.gz` or `.zip` of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write an invented report file (for benchmarks and trying large inputs).
    Generate {
        /// Which report to generate.
        #[command(subcommand)]
        kind: generate::Kind,
    },
}

/// Reads a mapping file; the error names it.
fn read_mapping(path: &PathBuf) -> Result<Mapping, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Mapping::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// At most this many ranges per file (each holds an aggregate until they are merged).
const MAX_RANGES: usize = 8;

/// Chunk size for reading files: bounded memory whatever the file size.
const CHUNK: usize = 1 << 20;

/// Reads one path: a report file, a `.gz` (streamed), or a `.zip` (each entry a file).
fn ingest_path(path: &PathBuf, mappings: &[Mapping], threads: usize) -> PathResult {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut file = std::fs::File::open(path).map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
    let size = file.metadata().ok().map(|m| m.len());
    let mut buf = vec![0u8; CHUNK];
    let mut read =
        |buf: &mut [u8]| read_into(&mut file, buf).map_err(|e| format!("{}: cannot read: {e}", path.display()));
    let n = read(&mut buf)?;
    let container = Container::sniff(&buf[..n]);
    // Plain and gzip files stream through the same loop.
    let mut feed = |push: &mut dyn FnMut(&[u8]), mut n: usize| -> Result<(), String> {
        while n > 0 {
            push(&buf[..n]);
            n = read(&mut buf)?;
        }
        Ok(())
    };
    match container {
        Container::Plain if threads > 1 && size.is_some_and(|s| s >= SPLIT_FROM_BYTES) => {
            ranges::ingest(path, &name, mappings, size.unwrap_or_default(), threads).map(|f| vec![f])
        }
        Container::Plain => {
            let mut ingest = Ingest::with_mappings(&name, mappings);
            feed(&mut |b| ingest.push(b), n)?;
            Ok(vec![ingest.finish()])
        }
        Container::Gzip => {
            let mut ingest = GzipIngest::with_mappings(&name, mappings);
            feed(&mut |b| ingest.push(b), n)?;
            Ok(vec![ingest.finish()])
        }
        Container::Zip => {
            // The directory is at the archive's end: read where it asks, then
            // each entry streams from its offset.
            let cannot = |e: std::io::Error| format!("{}: cannot read: {e}", path.display());
            let size = file.metadata().map_err(cannot)?.len();
            let mut dir = ZipDirectory::new(&name, size);
            let entries = loop {
                match dir.step() {
                    DirectoryStep::Read { offset, len } => {
                        file.seek(SeekFrom::Start(offset)).map_err(cannot)?;
                        let mut bytes = Vec::with_capacity(len);
                        (&mut file).take(len as u64).read_to_end(&mut bytes).map_err(cannot)?;
                        dir.provide(&bytes);
                    }
                    DirectoryStep::Done(entries) => break entries,
                    DirectoryStep::Failed(failed) => return Ok(vec![*failed]),
                }
            };
            let mut files = Vec::with_capacity(entries.len());
            for entry in &entries {
                file.seek(SeekFrom::Start(entry.offset)).map_err(cannot)?;
                let mut ingest = ZipEntryIngest::new(entry, mappings);
                loop {
                    let n = read_into(&mut file, &mut buf).map_err(cannot)?;
                    if n == 0 || !ingest.push(&buf[..n]) {
                        break;
                    }
                }
                files.push(ingest.finish());
            }
            Ok(files)
        }
    }
}

/// What one path yielded: its files (a zip has several), or one line saying why it could not be read.
type PathResult = Result<Vec<IngestedFile>, String>;

/// Reads every path, up to `jobs` at once (files are independent: each has its
/// own `Ingest`), returning the results in the order the paths were given.
fn ingest_all(paths: &[PathBuf], mappings: &[Mapping], jobs: usize) -> Vec<PathResult> {
    // Threads left over when there are fewer files than jobs read byte ranges
    // of one file (at most MAX_RANGES: each range holds its own aggregate).
    let threads = (jobs / paths.len().max(1)).clamp(1, MAX_RANGES);
    let jobs = jobs.clamp(1, paths.len().max(1));
    if jobs == 1 {
        return paths.iter().map(|p| ingest_path(p, mappings, threads)).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<PathResult>>> = paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let result = ingest_path(path, mappings, threads);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(paths)
        .map(|(slot, path)| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(format!("{}: the reading thread stopped", path.display())))
        })
        .collect()
}

/// Reads into `buf`, retrying when interrupted.
pub(crate) fn read_into(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { kind } => match generate::run(kind) {
            Ok(()) => ExitCode::SUCCESS,
            Err(line) => {
                eprintln!("{line}");
                ExitCode::from(1)
            }
        },
        Command::Analyze { json, mappings, jobs, files } => {
            let mappings = match mappings.iter().map(read_mapping).collect::<Result<Vec<_>, _>>() {
                Ok(m) => m,
                Err(line) => {
                    eprintln!("{line}");
                    return ExitCode::from(2);
                }
            };
            let mut failed = false;
            let mut ingested = Vec::new();
            let jobs = jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
            for result in ingest_all(&files, &mappings, jobs) {
                match result {
                    Ok(files) => {
                        for f in files {
                            if let Some(line) = f.report.error_line() {
                                eprintln!("{line}");
                                failed = true;
                            }
                            ingested.push(f);
                        }
                    }
                    Err(line) => {
                        eprintln!("{line}");
                        failed = true;
                    }
                }
            }
            let analysis = analyze(&ingested);
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let written = if json {
                serde_json::to_writer_pretty(&mut out, &analysis)
                    .map_err(std::io::Error::from)
                    .and_then(|_| writeln!(out))
            } else {
                text::write(&mut out, &analysis)
            };
            if let Err(e) = written {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("slatelens: cannot write output: {e}");
                    return ExitCode::from(1);
                }
            }
            if failed {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
