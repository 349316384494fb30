//! One big file read in byte ranges on several threads.
//!
//! The first range's `Ingest` reads the head until it knows the file's
//! header, kind and conventions; if the file can be split
//! (`Ingest::can_split`: Persistent-ID Viewership, UTF-8, `\n` line ends)
//! the rest is cut into ranges that start at line starts, each read by a
//! sibling on its own thread, and absorbed in order (`Ingest::absorb`), which
//! gives exactly what one reader gives. A cut that falls inside a quoted line
//! break is refused by `absorb`; the file is then read again in one piece.
//! Each sibling also hashes from the start of its first hash block, so the
//! content hash joins with the ranges (no second pass over the file).

use crate::read_into as read;
use slatelens_core::ingest::{range_feed_start, Mapping, RangeCuts};
use slatelens_core::{Ingest, IngestedFile};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

/// Bytes read per call.
const CHUNK: usize = 1 << 20;

/// Reads `path` (`size` bytes) on up to `threads` threads.
pub fn ingest(
    path: &Path,
    name: &str,
    mappings: &[Mapping],
    size: u64,
    threads: usize,
) -> Result<IngestedFile, String> {
    let cannot = |e: std::io::Error| format!("{}: cannot read: {e}", path.display());
    let mut file = File::open(path).map_err(cannot)?;
    let mut first = Ingest::with_mappings(name, mappings);
    let mut buf = vec![0u8; CHUNK];
    let mut pos = 0u64;
    while first.may_split_later() {
        let n = read(&mut file, &mut buf).map_err(cannot)?;
        if n == 0 {
            break;
        }
        first.push(&buf[..n]);
        pos += n as u64;
    }
    let starts =
        if first.can_split() { line_starts(&mut file, pos, size, threads).map_err(cannot)? } else { Vec::new() };
    if starts.is_empty() {
        // Not splittable (or too short past the head): the rest in one piece.
        file.seek(SeekFrom::Start(pos)).map_err(cannot)?;
        feed(&mut file, &mut first, u64::MAX).map_err(cannot)?;
        return Ok(first.finish());
    }
    // Range 0 is [pos, starts[0]); range k + 1 is [starts[k], starts[k + 1] or the end).
    let siblings: Vec<Ingest> = starts.iter().filter_map(|&start| first.range_sibling(start)).collect();
    let ends: Vec<u64> = starts.iter().skip(1).copied().chain([size]).collect();
    let (first, siblings) = std::thread::scope(|scope| {
        let head = scope.spawn(|| -> std::io::Result<Ingest> {
            let mut file = File::open(path)?;
            file.seek(SeekFrom::Start(pos))?;
            feed(&mut file, &mut first, starts[0] - pos)?;
            Ok(first)
        });
        let rest: Vec<_> = siblings
            .into_iter()
            .zip(starts.iter().zip(&ends))
            .map(|(mut sibling, (&start, &end))| {
                scope.spawn(move || -> std::io::Result<Ingest> {
                    let from = range_feed_start(start);
                    let mut file = File::open(path)?;
                    file.seek(SeekFrom::Start(from))?;
                    feed(&mut file, &mut sibling, end - from)?;
                    Ok(sibling)
                })
            })
            .collect();
        let join = |h: std::thread::ScopedJoinHandle<'_, std::io::Result<Ingest>>| {
            h.join().unwrap_or_else(|_| Err(std::io::Error::other("a reading thread stopped")))
        };
        (join(head), rest.into_iter().map(join).collect::<Vec<_>>())
    });
    let mut first = first.map_err(cannot)?;
    for sibling in siblings {
        if !first.absorb(sibling.map_err(cannot)?) {
            // A cut fell inside a quoted line break: read the file in one piece.
            let mut one = Ingest::with_mappings(name, mappings);
            file.seek(SeekFrom::Start(0)).map_err(cannot)?;
            feed(&mut file, &mut one, u64::MAX).map_err(cannot)?;
            return Ok(one.finish());
        }
    }
    Ok(first.finish())
}

/// The line starts after `pos` that cut `[pos, size)` into `threads` even
/// ranges (see [`RangeCuts`]): the first range ends at the first one.
fn line_starts(file: &mut File, pos: u64, size: u64, threads: usize) -> std::io::Result<Vec<u64>> {
    let mut cuts = RangeCuts::new(pos, size, threads as u64, 0);
    let mut window = Vec::new();
    while let Some((offset, len)) = cuts.next_read() {
        window.resize(len, 0);
        file.seek(SeekFrom::Start(offset))?;
        let n = read(file, &mut window)?;
        cuts.provide(&window[..n]);
    }
    Ok(cuts.starts().to_vec())
}

/// Feeds up to `limit` bytes from `file`'s position into `ingest`.
fn feed(file: &mut File, ingest: &mut Ingest, limit: u64) -> std::io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    let mut left = limit;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = read(file, &mut buf[..want])?;
        if n == 0 {
            break;
        }
        ingest.push(&buf[..n]);
        left -= n as u64;
    }
    Ok(())
}
