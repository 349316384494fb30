//! One file read in byte ranges, in parallel, merged back exactly.
//!
//! The first range's [`Ingest`] reads the head until it knows the header,
//! kind and conventions ([`Ingest::can_split`]); each later range gets a
//! sibling ([`Ingest::range_sibling`]) that starts at a line start with the
//! same layout and counts lines from 1. A finished sibling becomes a
//! [`RangePart`] (plain data: counts, problems, the aggregate, the hash of
//! its bytes), which crosses threads as is, or workers as bytes
//! ([`RangePart::to_bytes`]); [`Ingest::absorb_part`] adds it to the ranges
//! before it as if one reader had read them all. A cut that fell inside a
//! quoted line break is refused, never misread: the caller reads the file
//! in one piece.
//!
//! The content hash joins too ([`ContentHash`]): it hashes fixed blocks, and
//! a range hashes from the start of the block its first byte is in, so the
//! ranges' block hashes add up to the one-piece hash.

use super::{Ingest, Stage};
use crate::kinds::{pid_viewership, KindData};
use crate::report::{FileReport, Problem};
use crate::schema::Kind;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Bytes per block of the [`ContentHash`].
const HASH_BLOCK: u64 = 1 << 20;

/// Files at least this big are worth reading in ranges: for smaller ones,
/// starting the readers costs more than it saves.
pub const SPLIT_FROM_BYTES: u64 = 64 << 20;

/// The head is read for at most this many bytes waiting for [`Ingest::can_split`].
const MAX_SPLIT_HEAD: u64 = 16 << 20;

/// Bytes read after a cut to find the line start there.
const CUT_WINDOW: usize = 64 << 10;

/// A file's content hash, to spot the same file dropped twice (what
/// [`FileReport::content_hash`] holds): xxh3-128 over the xxh3-64 of each
/// 1 MiB block and the length. Hashing by blocks lets ranges read apart join
/// (see [`Ingest::absorb_part`]); over a whole file it costs what one pass does.
#[derive(Clone, Default)]
pub struct ContentHash {
    /// The block the first byte hashed is in (0 for a whole file).
    first_block: u64,
    /// The hash of each whole block from `first_block` on.
    blocks: Vec<u64>,
    /// The block being hashed, and its bytes so far.
    open: Xxh3,
    open_len: u64,
    /// The open block's hash, once it came from a joined range (no more bytes follow).
    sealed: Option<u64>,
}

impl ContentHash {
    /// Hashes the next bytes.
    pub fn update(&mut self, mut bytes: &[u8]) {
        debug_assert!(self.sealed.is_none(), "bytes after a joined range");
        while !bytes.is_empty() {
            let take = ((HASH_BLOCK - self.open_len) as usize).min(bytes.len());
            self.open.update(&bytes[..take]);
            self.open_len += take as u64;
            bytes = &bytes[take..];
            if self.open_len == HASH_BLOCK {
                self.blocks.push(self.open.digest());
                self.open.reset();
                self.open_len = 0;
            }
        }
    }

    /// The hash of every byte so far (of a whole file: from byte 0).
    pub fn digest(&self) -> u128 {
        let mut h = Xxh3::new();
        for b in &self.blocks {
            h.update(&b.to_le_bytes());
        }
        if self.open_len > 0 {
            h.update(&self.sealed.unwrap_or_else(|| self.open.digest()).to_le_bytes());
        }
        let len = (self.first_block + self.blocks.len() as u64) * HASH_BLOCK + self.open_len;
        h.update(&len.to_le_bytes());
        h.digest128()
    }

    /// A hash of the bytes from the start of block `block` on.
    fn from_block(block: u64) -> ContentHash {
        ContentHash { first_block: block, ..ContentHash::default() }
    }

    /// Adds the hash of a later range, which hashed from the start of the
    /// block this one ends in (this one's part of it is dropped). `false`,
    /// with nothing changed, when it did not.
    fn join(&mut self, next: &RangeHash) -> bool {
        if next.first_block != self.first_block + self.blocks.len() as u64 {
            return false;
        }
        self.blocks.extend_from_slice(&next.blocks);
        self.open = Xxh3::new();
        self.open_len = next.open_len;
        self.sealed = Some(next.open);
        true
    }

    /// What travels in a [`RangePart`].
    fn finished(&self) -> RangeHash {
        RangeHash {
            first_block: self.first_block,
            blocks: self.blocks.clone(),
            open: self.sealed.unwrap_or_else(|| self.open.digest()),
            open_len: self.open_len,
        }
    }
}

/// A range's [`ContentHash`], finished: its whole blocks and its last, open one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct RangeHash {
    first_block: u64,
    blocks: Vec<u64>,
    open: u64,
    open_len: u64,
}

/// Where the first line after a cut starts: `after` holds the file from the
/// byte before the cut on, and the answer indexes into it (1 when that byte
/// is a line break, so the cut itself starts a line). `None` when `after`
/// has no `\n`. Ranges read in parallel ([`Ingest::range_sibling`]) start there.
pub fn next_line_start(after: &[u8]) -> Option<usize> {
    after.iter().position(|&b| b == b'\n').map(|i| i + 1)
}

/// Where a sibling for a range starting at `start` is fed from: the start of
/// the hash block `start` is in (the bytes before `start` are only hashed).
pub fn range_feed_start(start: u64) -> u64 {
    start - start % HASH_BLOCK
}

/// Where the ranges after a file's head start: line starts found just
/// after cuts spread over the rest. Does no IO: it asks for the bytes at
/// each cut ([`RangeCuts::next_read`]) and is given them
/// ([`RangeCuts::provide`]), so the CLI seeks and the page slices the `File`.
#[derive(Debug, Clone)]
pub struct RangeCuts {
    size: u64,
    /// Where to look for each range's start, in order.
    cuts: Vec<u64>,
    /// How many cuts have been given their bytes.
    done: usize,
    starts: Vec<u64>,
}

impl RangeCuts {
    /// Cuts `[pos, size)` (`pos` is where the head's reader stopped) into
    /// `ranges` ranges; the first is `lead` bytes longer than an even share
    /// (its reader also merges the others' parts), the rest are even.
    pub fn new(pos: u64, size: u64, ranges: u64, lead: u64) -> RangeCuts {
        let mut cuts = Vec::new();
        if ranges >= 2 && pos > 0 && pos < size {
            let first_end = (pos + (size - pos) / ranges + lead).min(size);
            for k in 1..ranges {
                cuts.push(first_end + (size - first_end) * (k - 1) / (ranges - 1));
            }
        }
        RangeCuts { size, cuts, done: 0, starts: Vec::new() }
    }

    /// The bytes to read next, `(offset, length)`: from the byte before the
    /// next cut. `None` once every cut has had its bytes.
    pub fn next_read(&self) -> Option<(u64, usize)> {
        self.cuts.get(self.done).map(|&cut| (cut - 1, CUT_WINDOW))
    }

    /// The bytes asked for by [`RangeCuts::next_read`] (fewer at the file's
    /// end, none if they could not be read: that cut is then skipped).
    pub fn provide(&mut self, window: &[u8]) {
        let Some(&cut) = self.cuts.get(self.done) else { return };
        self.done += 1;
        let Some(i) = next_line_start(window) else { return };
        let start = cut - 1 + i as u64;
        if start < self.size && self.starts.last().is_none_or(|&s| start > s) {
            self.starts.push(start);
        }
    }

    /// Where the later ranges start, increasing (fewer than asked when lines
    /// are long or cuts close): range 0 ends at the first.
    pub fn starts(&self) -> &[u64] {
        &self.starts
    }
}

/// What a range sibling read, as plain data: made by
/// [`Ingest::into_range_part`], added by [`Ingest::absorb_part`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RangePart {
    /// Bytes parsed (not those only hashed).
    bytes: u64,
    rows: u64,
    used: u64,
    rejected: u64,
    /// Problems, their lines counted from the range's first line (1).
    problems: Vec<Problem>,
    problems_omitted: u64,
    /// The range ended where a record ends, with nothing held and no error.
    clean: bool,
    /// Line numbers at the range's end, from its first line (1).
    line: u64,
    rec_line: u64,
    prev_end_line: u64,
    blank_lines: u64,
    non_utf8_rows: u64,
    first_non_utf8: Option<u64>,
    hash: RangeHash,
    data: Box<pid_viewership::Aggregate>,
}

impl RangePart {
    /// The part as bytes, to send to another worker (postcard).
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        postcard::to_allocvec(self).map_err(|e| format!("a range of the file could not be packed: {e}"))
    }

    /// A part back from [`RangePart::to_bytes`]; the error says why not.
    pub fn from_bytes(bytes: &[u8]) -> Result<RangePart, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("a range of the file came back unreadable: {e}"))
    }
}

impl Ingest {
    /// Whether the rest of this file can be read in byte ranges
    /// ([`Ingest::range_sibling`]): a Persistent-ID Viewership file (its rows
    /// aggregate, and aggregates merge exactly), UTF-8 with `\n` line ends, its
    /// conventions decided and no row waiting for them.
    pub fn can_split(&self) -> bool {
        self.split_state() == Some(true)
    }

    /// Whether reading more of the head may still make the file splittable:
    /// not splittable yet, but recognised as Persistent-ID Viewership or not
    /// recognised yet, without an error, and less than 16 MiB read.
    pub fn may_split_later(&self) -> bool {
        self.split_state().is_none()
            && self.report.bytes < MAX_SPLIT_HEAD
            && self.report.kind.is_none_or(|k| k == Kind::PidViewership)
    }

    /// `Some(true)` when the file can be split now, `Some(false)` when it
    /// never will be, `None` while its head is still being read.
    fn split_state(&self) -> Option<bool> {
        if self.report.error.is_some() {
            return Some(false);
        }
        let body = match &self.stage {
            Stage::Head(_) => return None,
            Stage::Failed => return Some(false),
            Stage::Body(body) => body,
        };
        if self.report.kind != Some(Kind::PidViewership)
            || body.decoder.is_some()
            || body.line_byte != b'\n'
            || body.failed
        {
            return Some(false);
        }
        (body.conv.decided() && body.pending.is_empty()).then_some(true)
    }

    /// An `Ingest` for the byte range of this file from `start` (a line
    /// start), read in parallel: with this file's header, kind and decided
    /// conventions, lines counted from 1. Feed it the file from
    /// [`range_feed_start`]`(start)` to the range's end (the bytes before
    /// `start` are only hashed), and merge it back with [`Ingest::absorb`].
    /// `None` unless [`Ingest::can_split`].
    pub fn range_sibling(&self, start: u64) -> Option<Ingest> {
        let Stage::Body(body) = &self.stage else { return None };
        self.can_split().then(|| Ingest {
            report: FileReport::new(&self.report.name),
            hasher: ContentHash::from_block(start / HASH_BLOCK),
            hash_only: start % HASH_BLOCK,
            stage: Stage::Body(Box::new(body.sibling())),
            mappings: Vec::new(),
        })
    }

    /// Whether the bytes fed so far end where a record ends (so the next
    /// range's first byte starts a record), with nothing held.
    fn at_record_boundary(&self) -> bool {
        match &self.stage {
            Stage::Body(b) => !b.in_content && b.out_len == 0 && b.ends_len == 0 && b.pending.is_empty() && !b.failed,
            _ => false,
        }
    }

    /// What this sibling read, as plain data; `None` for a file that cannot
    /// be split (see [`Ingest::can_split`]).
    pub fn into_range_part(self) -> Option<RangePart> {
        let clean = self.at_record_boundary() && self.report.error.is_none();
        let hash = self.hasher.finished();
        let Stage::Body(body) = self.stage else { return None };
        let body = *body;
        let KindData::PidViewership(data) = body.data else { return None };
        let r = self.report;
        Some(RangePart {
            bytes: r.bytes,
            rows: r.rows,
            used: r.used,
            rejected: r.rejected,
            problems: r.problems,
            problems_omitted: r.problems_omitted,
            clean,
            line: body.line,
            rec_line: body.rec_line,
            prev_end_line: body.prev_end_line,
            blank_lines: body.blank_lines,
            non_utf8_rows: body.non_utf8_rows,
            first_non_utf8: body.first_non_utf8,
            hash,
            data,
        })
    }

    /// Appends what `next` (a [`Ingest::range_sibling`] fed the bytes right
    /// after this one's) read, as if this `Ingest` had read them. See
    /// [`Ingest::absorb_part`].
    pub fn absorb(&mut self, next: Ingest) -> bool {
        next.into_range_part().is_some_and(|part| self.absorb_part(part))
    }

    /// Appends a later range's part: counts, problems (their lines made the
    /// file's), blank lines, the aggregate and the hash, as if this `Ingest`
    /// had read its bytes. Both must end at a record boundary; when either
    /// does not (the cut fell inside a quoted value) nothing is changed and
    /// `false` says the file must be read in one piece.
    pub fn absorb_part(&mut self, part: RangePart) -> bool {
        if !self.at_record_boundary() || !part.clean {
            return false;
        }
        let Stage::Body(mine) = &mut self.stage else { return false };
        let KindData::PidViewership(a) = &mut mine.data else { return false };
        if !self.hasher.join(&part.hash) {
            return false;
        }
        a.merge(&part.data);
        // The next range's line 1 is this one's current line.
        let offset = mine.line - 1;
        let r = &mut self.report;
        r.bytes += part.bytes;
        r.rows += part.rows;
        r.used += part.used;
        r.rejected += part.rejected;
        for mut p in part.problems {
            p.line = p.line.map(|l| l + offset);
            r.push_problem(p);
        }
        r.problems_omitted += part.problems_omitted;
        if part.prev_end_line > 0 {
            // Blank lines between this range's last record and the next's first.
            mine.blank_lines += offset.saturating_sub(mine.prev_end_line) + part.blank_lines;
            mine.prev_end_line = part.prev_end_line + offset;
        }
        mine.line = part.line + offset;
        mine.rec_line = part.rec_line + offset;
        mine.non_utf8_rows += part.non_utf8_rows;
        if mine.first_non_utf8.is_none() {
            mine.first_non_utf8 = part.first_non_utf8.map(|l| l + offset);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(bytes: &[u8]) -> u128 {
        let mut h = ContentHash::default();
        h.update(bytes);
        h.digest()
    }

    #[test]
    fn cuts_start_ranges_at_line_starts() {
        let text: String = (0..2000).map(|i| format!("row {i},{}\n", "x".repeat(i % 37))).collect();
        let bytes = text.as_bytes();
        let size = bytes.len() as u64;
        let starts = |pos: u64, ranges: u64, lead: u64| {
            let mut cuts = RangeCuts::new(pos, size, ranges, lead);
            while let Some((offset, len)) = cuts.next_read() {
                let from = offset as usize;
                cuts.provide(&bytes[from..(from + len).min(bytes.len())]);
            }
            cuts.starts().to_vec()
        };
        for (pos, ranges, lead) in [(100, 2, 0), (100, 4, 0), (5000, 3, 2000), (1, 8, 0)] {
            let found = starts(pos, ranges, lead);
            assert_eq!(found.len() as u64, ranges - 1, "{pos} {ranges} {lead}");
            assert!(found.windows(2).all(|w| w[0] < w[1]));
            for &s in &found {
                assert!(s > pos && s < size && bytes[s as usize - 1] == b'\n', "{s}");
            }
        }
        // The lead lengthens the first range only.
        let (even, led) = (starts(5000, 3, 0), starts(5000, 3, 2000));
        assert!(led[0] >= even[0] + 1900 && led[0] <= even[0] + 2100, "{even:?} {led:?}");
        // One range, or nothing past the head: no cuts; unreadable bytes skip a cut.
        assert!(starts(100, 1, 0).is_empty());
        assert!(RangeCuts::new(size, size, 4, 0).next_read().is_none());
        let mut cuts = RangeCuts::new(100, size, 3, 0);
        cuts.provide(&[]);
        while let Some((offset, len)) = cuts.next_read() {
            cuts.provide(&bytes[offset as usize..(offset as usize + len).min(bytes.len())]);
        }
        assert_eq!(cuts.starts().len(), 1);
    }

    #[test]
    fn the_head_is_read_only_while_a_split_may_come() {
        let viewership = crate::demo::pid_viewership(5, 3000, 100).into_bytes();
        let mut ingest = Ingest::new("v.csv");
        assert!(ingest.may_split_later() && !ingest.can_split());
        for piece in viewership.chunks(4096) {
            if !ingest.may_split_later() {
                break;
            }
            ingest.push(piece);
        }
        assert!(ingest.can_split() && !ingest.may_split_later());
        // Another kind stops once recognised; so does a file that is not a report.
        let subscriptions =
            crate::demo::sample_set(3).into_iter().find(|(n, _)| n.contains("ubscription")).expect("one");
        let text = String::from_utf8(subscriptions.1).expect("UTF-8");
        let (header, rows) = text.split_once('\n').expect("a header");
        let long = format!("{header}\n{}", rows.repeat(70_000 / rows.len() + 1)).into_bytes();
        // (A head with no line break is looked at up to 1 MiB.)
        for other in [long, vec![0u8; 1_100_000]] {
            let mut ingest = Ingest::new("x.csv");
            ingest.push(&other);
            assert!(!ingest.may_split_later() && !ingest.can_split(), "{:?}", ingest.kind());
        }
    }

    #[test]
    fn block_hashes_join_into_the_one_piece_hash() {
        let block = HASH_BLOCK as usize;
        let bytes: Vec<u8> = (0..3 * block + 12345).map(|i| (i * 7 % 251) as u8).collect();
        let one = whole(&bytes);
        // Chunking never matters.
        let mut h = ContentHash::default();
        for c in bytes.chunks(65_537) {
            h.update(c);
        }
        assert_eq!(h.digest(), one);
        // Cuts anywhere, including on block boundaries and two in one block.
        for cuts in [vec![10], vec![block], vec![block - 1, block + 1], vec![5, 6, 2 * block + 3], vec![3 * block]] {
            let mut starts = vec![0];
            starts.extend(cuts.iter().map(|&c| c as u64));
            starts.push(bytes.len() as u64);
            let mut first = ContentHash::default();
            first.update(&bytes[..starts[1] as usize]);
            for w in starts[1..].windows(2) {
                let mut range = ContentHash::from_block(w[0] / HASH_BLOCK);
                range.update(&bytes[range_feed_start(w[0]) as usize..w[1] as usize]);
                assert!(first.join(&range.finished()), "cuts {cuts:?}");
            }
            assert_eq!(first.digest(), one, "cuts {cuts:?}");
        }
        // Other bytes, other hashes; a length is part of the hash.
        assert_ne!(whole(&bytes[..bytes.len() - 1]), one);
        assert_ne!(whole(b""), whole(b"\0"));
    }
}
