//! Reports inside archives: every entry of a `.zip`, and a `.gz` streamed.
//!
//! Decompression is a pure transformation of bytes, so it lives in core: the
//! page's worker and the CLI hand over bytes and get [`IngestedFile`]s back.
//! A gzip file streams through [`GzipIngest`] chunk by chunk like any file. A
//! zip archive's central directory is at its end: [`ZipDirectory`] reads it
//! through the reads it asks for (sans IO: the caller reads a file or a `Blob`
//! slice), then each entry streams from its offset through [`ZipEntryIngest`]
//! (decompressed, size and CRC-32 checked). The archive is never held whole.
//! Both read the reports inside with the person's column mappings, like a
//! plain file ([`Ingest::with_mappings`]).

use crate::ingest::{Ingest, IngestedFile, Mapping};
use crate::report::{FileError, FileReport};
use std::io::Write;

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A report file as is.
    Plain,
    /// A gzip stream (`1f 8b`).
    Gzip,
    /// A zip archive (`PK\x03\x04`, or an empty archive's `PK\x05\x06`).
    Zip,
}

impl Container {
    /// Sniffs the container from the first bytes (4 are enough).
    pub fn sniff(first: &[u8]) -> Container {
        if first.starts_with(&[0x1f, 0x8b]) {
            Container::Gzip
        } else if first.starts_with(b"PK\x03\x04") || first.starts_with(b"PK\x05\x06") {
            Container::Zip
        } else {
            Container::Plain
        }
    }
}

/// The name of the file inside a `.gz`: `may.csv.gz` → `may.csv`.
pub fn gunzipped_name(name: &str) -> String {
    name.strip_suffix(".gz").or_else(|| name.strip_suffix(".GZ")).unwrap_or(name).to_string()
}

struct Sink(Ingest);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Streams a gzip-compressed report into [`Ingest`].
pub struct GzipIngest {
    decoder: flate2::write::GzDecoder<Sink>,
    name: String,
    error: Option<String>,
}

impl GzipIngest {
    /// Starts a `.gz` file; the report inside is named by [`gunzipped_name`].
    pub fn new(name: &str) -> GzipIngest {
        GzipIngest::with_mappings(name, &[])
    }

    /// Starts a `.gz` file whose report is read with `mappings` when its header is one of theirs.
    pub fn with_mappings(name: &str, mappings: &[Mapping]) -> GzipIngest {
        let name = gunzipped_name(name);
        let ingest = Ingest::with_mappings(&name, mappings);
        GzipIngest { decoder: flate2::write::GzDecoder::new(Sink(ingest)), name, error: None }
    }

    /// Feeds the next compressed chunk.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.decoder.write_all(chunk) {
                self.error = Some(e.to_string());
            }
        }
    }

    /// Decompressed bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.decoder.get_ref().0.bytes_read()
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.decoder.get_ref().0.rows_read()
    }

    /// Ends the stream and returns the report inside.
    pub fn finish(mut self) -> IngestedFile {
        if self.error.is_none() {
            if let Err(e) = self.decoder.try_finish() {
                self.error = Some(e.to_string());
            }
        }
        let error = self.error;
        match self.decoder.finish() {
            Ok(Sink(ingest)) => {
                let mut file = ingest.finish();
                if let Some(e) = error {
                    file.report.error = Some(FileError::Archive { message: format!("the gzip data is damaged ({e})") });
                    file.data = None;
                }
                file
            }
            Err(e) => failed(&self.name, format!("the gzip data is damaged ({e})")),
        }
    }
}

fn failed(name: &str, message: String) -> IngestedFile {
    let mut report = FileReport::new(name);
    report.error = Some(FileError::Archive { message });
    IngestedFile { report, data: None }
}

/// One report file inside a zip archive.
#[derive(Clone)]
pub struct ZipEntry {
    /// Index in the archive.
    pub index: usize,
    /// `archive.zip/path/in/archive.csv`, the name used in every message.
    pub name: String,
    /// Uncompressed size.
    pub size: u64,
    /// Where the entry (its local header) starts in the archive: the archive
    /// from here on is what [`ZipEntryIngest`] reads.
    pub offset: u64,
    entry: rc_zip::Entry,
}

impl std::fmt::Debug for ZipEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZipEntry")
            .field("index", &self.index)
            .field("name", &self.name)
            .field("size", &self.size)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

/// What [`ZipDirectory::step`] needs or found.
pub enum DirectoryStep {
    /// Read up to `len` bytes of the archive at `offset` and [`ZipDirectory::provide`] them.
    Read {
        /// Where in the archive.
        offset: u64,
        /// At most this many bytes.
        len: usize,
    },
    /// The report files inside, skipping folders and macOS resource forks (`__MACOSX/`, `._*`).
    Done(Vec<ZipEntry>),
    /// Not a readable zip archive: the file's report says why.
    Failed(Box<IngestedFile>),
}

/// Reads a zip archive's directory (at its end) through the reads it asks
/// for, so the archive is never held whole: the caller reads from a file (the
/// CLI) or a `Blob` slice (the page) and hands the bytes over.
pub struct ZipDirectory {
    fsm: Option<rc_zip::fsm::ArchiveFsm>,
    name: String,
    /// Bytes were provided since the last step.
    provided: bool,
}

impl ZipDirectory {
    /// Starts reading the directory of the archive `name`, `size` bytes long.
    pub fn new(name: &str, size: u64) -> ZipDirectory {
        ZipDirectory { fsm: Some(rc_zip::fsm::ArchiveFsm::new(size)), name: name.to_string(), provided: false }
    }

    /// Goes on until a read is needed, or the directory is read.
    pub fn step(&mut self) -> DirectoryStep {
        let unreadable = |name: &str, e: String| {
            DirectoryStep::Failed(Box::new(failed(name, format!("not a readable zip archive ({e})"))))
        };
        loop {
            let Some(mut fsm) = self.fsm.take() else {
                return unreadable(&self.name, "its directory was already read".to_string());
            };
            if !std::mem::take(&mut self.provided) {
                if let Some(offset) = fsm.wants_read() {
                    let len = fsm.space().len();
                    self.fsm = Some(fsm);
                    return DirectoryStep::Read { offset, len };
                }
            }
            match fsm.process() {
                Ok(rc_zip::fsm::FsmResult::Continue(fsm)) => self.fsm = Some(fsm),
                Ok(rc_zip::fsm::FsmResult::Done(archive)) => return DirectoryStep::Done(self.entries(&archive)),
                Err(e) => return unreadable(&self.name, e.to_string()),
            }
        }
    }

    /// Hands over the bytes of the last [`DirectoryStep::Read`] (fewer at the end of the file).
    pub fn provide(&mut self, bytes: &[u8]) {
        if let Some(fsm) = self.fsm.as_mut() {
            let space = fsm.space();
            let n = space.len().min(bytes.len());
            space[..n].copy_from_slice(&bytes[..n]);
            fsm.fill(n);
            self.provided = true;
        }
    }

    fn entries(&self, archive: &rc_zip::Archive) -> Vec<ZipEntry> {
        archive
            .entries()
            .enumerate()
            .filter_map(|(index, e)| {
                let path = e.name.as_str();
                let base = path.rsplit('/').next().unwrap_or(path);
                if !e.kind().is_file() || path.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store"
                {
                    return None;
                }
                Some(ZipEntry {
                    index,
                    name: format!("{}/{path}", self.name),
                    size: e.uncompressed_size,
                    offset: e.header_offset,
                    entry: e.clone(),
                })
            })
            .collect()
    }
}

/// Where an entry's decompressed bytes go: a report, or a `.gz` of one
/// (decided by its first bytes).
enum Inner {
    Undecided(Vec<u8>),
    Plain(Box<Ingest>),
    Gzip(Box<GzipIngest>),
}

/// Streams one zip entry into [`Ingest`]: fed the archive's bytes from
/// [`ZipEntry::offset`] on, in chunks of any size, it decompresses them
/// (stored or deflated) and checks the size and CRC-32 at the end. A `.gz`
/// inside the archive is unpacked too.
pub struct ZipEntryIngest {
    fsm: Option<rc_zip::fsm::EntryFsm>,
    name: String,
    mappings: Vec<Mapping>,
    out: Vec<u8>,
    inner: Inner,
    done: bool,
    error: Option<String>,
}

impl ZipEntryIngest {
    /// Starts reading `entry`, with `mappings` for reports whose header is one of theirs.
    pub fn new(entry: &ZipEntry, mappings: &[Mapping]) -> ZipEntryIngest {
        ZipEntryIngest {
            fsm: Some(rc_zip::fsm::EntryFsm::new(Some(entry.entry.clone()), None)),
            name: entry.name.clone(),
            mappings: mappings.to_vec(),
            out: vec![0; 256 * 1024],
            inner: Inner::Undecided(Vec::new()),
            done: false,
            error: None,
        }
    }

    /// Feeds the next bytes of the archive. Returns whether more are wanted:
    /// `false` once the entry is complete (or damaged), so the rest of the
    /// archive need not be read.
    pub fn push(&mut self, mut chunk: &[u8]) -> bool {
        while let Some(mut fsm) = self.fsm.take() {
            let mut taken = 0;
            if fsm.wants_read() && !chunk.is_empty() {
                let space = fsm.space();
                taken = space.len().min(chunk.len());
                space[..taken].copy_from_slice(&chunk[..taken]);
                fsm.fill(taken);
                chunk = &chunk[taken..];
            }
            let Some(outcome) = self.process(fsm) else { return false };
            if taken == 0 && outcome.bytes_read == 0 && outcome.bytes_written == 0 {
                if chunk.is_empty() {
                    return true;
                }
                self.fsm = None;
                self.error = Some("the entry could not be decompressed".to_string());
                return false;
            }
        }
        false
    }

    /// One step of the state machine: its output goes on to the report;
    /// `None` once it is done or failed.
    fn process(&mut self, fsm: rc_zip::fsm::EntryFsm) -> Option<rc_zip::fsm::DecompressOutcome> {
        match fsm.process(&mut self.out) {
            Ok(rc_zip::fsm::FsmResult::Continue((fsm, outcome))) => {
                self.fsm = Some(fsm);
                let n = outcome.bytes_written;
                let out = std::mem::take(&mut self.out);
                self.emit(&out[..n]);
                self.out = out;
                Some(outcome)
            }
            Ok(rc_zip::fsm::FsmResult::Done(_)) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// Hands decompressed bytes to the report (or the `.gz` inside).
    fn emit(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if let Inner::Undecided(head) = &mut self.inner {
            head.extend_from_slice(bytes);
            if head.len() >= 4 {
                let head = std::mem::take(head);
                self.decide(&head);
            }
            return;
        }
        match &mut self.inner {
            Inner::Plain(i) => i.push(bytes),
            Inner::Gzip(g) => g.push(bytes),
            Inner::Undecided(_) => {}
        }
    }

    /// Picks plain or gzip from the first bytes and feeds them.
    fn decide(&mut self, head: &[u8]) {
        self.inner = match Container::sniff(head) {
            Container::Gzip => Inner::Gzip(Box::new(GzipIngest::with_mappings(&self.name, &self.mappings))),
            _ => Inner::Plain(Box::new(Ingest::with_mappings(&self.name, &self.mappings))),
        };
        self.emit(head);
    }

    /// Decompressed bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Undecided(h) => h.len() as u64,
            Inner::Plain(i) => i.bytes_read(),
            Inner::Gzip(g) => g.bytes_read(),
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        match &self.inner {
            Inner::Undecided(_) => 0,
            Inner::Plain(i) => i.rows_read(),
            Inner::Gzip(g) => g.rows_read(),
        }
    }

    /// Ends the entry (the archive may have ended too) and returns its report.
    pub fn finish(mut self) -> IngestedFile {
        // The end of the archive: let the state machine finish what it holds.
        while let Some(mut fsm) = self.fsm.take() {
            if fsm.wants_read() {
                fsm.fill(0);
            }
            match self.process(fsm) {
                Some(o) if o.bytes_read == 0 && o.bytes_written == 0 => {
                    self.fsm = None;
                    self.error = Some("the archive ends inside this entry".to_string());
                }
                _ => {}
            }
        }
        if let Some(e) = self.error.take().filter(|_| !self.done) {
            return failed(&self.name, format!("this entry of the archive is damaged ({e})"));
        }
        if let Inner::Undecided(head) = &mut self.inner {
            let head = std::mem::take(head);
            self.decide(&head);
        }
        match self.inner {
            Inner::Plain(i) => i.finish(),
            Inner::Gzip(g) => g.finish(),
            Inner::Undecided(_) => Ingest::new(&self.name).finish(),
        }
    }
}

/// A zip archive held in memory (tests, and small archives), read through
/// [`ZipDirectory`] and [`ZipEntryIngest`] like a file.
pub struct ZipArchive<'a> {
    bytes: &'a [u8],
    entries: Vec<ZipEntry>,
    mappings: Vec<Mapping>,
}

impl<'a> ZipArchive<'a> {
    /// Opens the archive `name` from its bytes.
    pub fn open(name: &str, bytes: &'a [u8]) -> Result<ZipArchive<'a>, Box<IngestedFile>> {
        ZipArchive::open_with_mappings(name, bytes, &[])
    }

    /// Opens the archive `name` from its bytes; its entries are read with
    /// `mappings` when their header is one of theirs.
    pub fn open_with_mappings(
        name: &str,
        bytes: &'a [u8],
        mappings: &[Mapping],
    ) -> Result<ZipArchive<'a>, Box<IngestedFile>> {
        let mut dir = ZipDirectory::new(name, bytes.len() as u64);
        loop {
            match dir.step() {
                DirectoryStep::Read { offset, len } => {
                    let from = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
                    dir.provide(&bytes[from..bytes.len().min(from.saturating_add(len))]);
                }
                DirectoryStep::Done(entries) => {
                    return Ok(ZipArchive { bytes, entries, mappings: mappings.to_vec() });
                }
                DirectoryStep::Failed(f) => return Err(f),
            }
        }
    }

    /// The report files inside, skipping folders and macOS resource forks (`__MACOSX/`, `._*`).
    pub fn entries(&mut self) -> Vec<ZipEntry> {
        self.entries.clone()
    }

    /// Reads one entry into [`Ingest`], calling `progress(bytes, rows)` after each chunk.
    pub fn ingest(&mut self, entry: &ZipEntry, mut progress: impl FnMut(u64, u64)) -> IngestedFile {
        let from = usize::try_from(entry.offset).unwrap_or(usize::MAX).min(self.bytes.len());
        let mut ingest = ZipEntryIngest::new(entry, &self.mappings);
        for chunk in self.bytes[from..].chunks(1 << 20) {
            let more = ingest.push(chunk);
            progress(ingest.bytes_read(), ingest.rows_read());
            if !more {
                break;
            }
        }
        ingest.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Report Start,Report End,Offer ID,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n5/1/22,5/31/22,GHI,HO,1258343,24385,75849\n";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_streams_in_any_chunking() {
        let gz = gzip(CSV.as_bytes());
        assert_eq!(Container::sniff(&gz), Container::Gzip);
        for size in [1, 7, 64, gz.len()] {
            let mut g = GzipIngest::new("may.csv.gz");
            for chunk in gz.chunks(size) {
                g.push(chunk);
            }
            let f = g.finish();
            assert_eq!(f.report.name, "may.csv");
            assert_eq!((f.report.rows, f.report.used), (1, 1), "{size}");
        }
    }

    #[test]
    fn damaged_gzip_is_an_error_not_a_panic() {
        let mut gz = gzip(CSV.as_bytes());
        let n = gz.len();
        gz[n / 2] ^= 0xff;
        gz.truncate(n - 4);
        let mut g = GzipIngest::new("may.csv.gz");
        g.push(&gz);
        let f = g.finish();
        assert!(f.report.error_line().unwrap().starts_with("may.csv: cannot unpack"), "{:?}", f.report.error_line());
    }

    #[test]
    fn zip_entries_are_read_one_by_one() {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        w.add_directory("2022/", opts).unwrap();
        w.start_file("2022/may.csv", opts).unwrap();
        w.write_all(CSV.as_bytes()).unwrap();
        w.start_file("__MACOSX/2022/._may.csv", opts).unwrap();
        w.write_all(b"junk").unwrap();
        w.start_file("june.csv.gz", opts).unwrap();
        w.write_all(&gzip(CSV.replace("5/", "6/").replace("31/22", "30/22").as_bytes())).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(Container::sniff(&bytes), Container::Zip);
        let mut z = ZipArchive::open("reports.zip", &bytes).map_err(|f| f.report.error_line()).unwrap();
        let entries = z.entries();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["reports.zip/2022/may.csv", "reports.zip/june.csv.gz"]);
        let may = z.ingest(&entries[0], |_, _| {});
        assert_eq!((may.report.name.as_str(), may.report.used), ("reports.zip/2022/may.csv", 1));
        let june = z.ingest(&entries[1], |_, _| {});
        assert_eq!((june.report.name.as_str(), june.report.used), ("reports.zip/june.csv", 1));
    }

    /// Every entry of `bytes` read through the streaming API, the archive fed in `chunk`-byte pieces.
    fn stream_entries(bytes: &[u8], chunk: usize) -> Vec<IngestedFile> {
        let mut dir = ZipDirectory::new("a.zip", bytes.len() as u64);
        let entries = loop {
            match dir.step() {
                DirectoryStep::Read { offset, len } => {
                    let from = (offset as usize).min(bytes.len());
                    dir.provide(&bytes[from..bytes.len().min(from + len)]);
                }
                DirectoryStep::Done(entries) => break entries,
                DirectoryStep::Failed(f) => panic!("{:?}", f.report.error_line()),
            }
        };
        entries
            .iter()
            .map(|e| {
                let mut ingest = ZipEntryIngest::new(e, &[]);
                for piece in bytes[e.offset as usize..].chunks(chunk) {
                    if !ingest.push(piece) {
                        break;
                    }
                }
                ingest.finish()
            })
            .collect()
    }

    /// A stored, a deflated and a gzipped entry (sizes in the local headers).
    fn three_entries() -> Vec<u8> {
        let june = CSV.replace("5/", "6/").replace("31/22", "30/22");
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file("may.csv", stored).unwrap();
        w.write_all(CSV.as_bytes()).unwrap();
        w.start_file("june.csv", deflated).unwrap();
        w.write_all(june.as_bytes()).unwrap();
        w.start_file("july.csv.gz", deflated).unwrap();
        w.write_all(&gzip(CSV.replace("5/", "7/").as_bytes())).unwrap();
        w.finish().unwrap().into_inner()
    }

    /// One deflated entry written as a streaming zipper writes it: zero sizes
    /// and CRC in the local header (flag bit 3), a data descriptor after the data.
    fn with_data_descriptor(name: &str, data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        let packed = e.finish().unwrap();
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let (crc, csize, size) = (crc.sum(), packed.len() as u32, data.len() as u32);
        let mut z = Vec::new();
        let u16s = |z: &mut Vec<u8>, v: &[u16]| v.iter().for_each(|x| z.extend_from_slice(&x.to_le_bytes()));
        let u32s = |z: &mut Vec<u8>, v: &[u32]| v.iter().for_each(|x| z.extend_from_slice(&x.to_le_bytes()));
        // Local header: version 20, flags 8, deflate, time, date, crc 0, sizes 0.
        u32s(&mut z, &[0x0403_4b50]);
        u16s(&mut z, &[20, 8, 8, 0, 0x21]);
        u32s(&mut z, &[0, 0, 0]);
        u16s(&mut z, &[name.len() as u16, 0]);
        z.extend_from_slice(name.as_bytes());
        z.extend_from_slice(&packed);
        u32s(&mut z, &[0x0807_4b50, crc, csize, size]);
        let directory = z.len() as u32;
        u32s(&mut z, &[0x0201_4b50]);
        u16s(&mut z, &[20, 20, 8, 8, 0, 0x21]);
        u32s(&mut z, &[crc, csize, size]);
        u16s(&mut z, &[name.len() as u16, 0, 0, 0, 0]);
        u32s(&mut z, &[0, 0]);
        z.extend_from_slice(name.as_bytes());
        let directory_len = z.len() as u32 - directory;
        u32s(&mut z, &[0x0605_4b50]);
        u16s(&mut z, &[0, 0, 1, 1]);
        u32s(&mut z, &[directory_len, directory]);
        u16s(&mut z, &[0]);
        z
    }

    #[test]
    fn zip_entries_stream_in_any_chunking() {
        let bytes = three_entries();
        for chunk in [1, 7, 4096, bytes.len()] {
            let files = stream_entries(&bytes, chunk);
            let got: Vec<(&str, u64, Option<String>)> =
                files.iter().map(|f| (f.report.name.as_str(), f.report.used, f.report.error_line())).collect();
            assert_eq!(
                got,
                [("a.zip/may.csv", 1, None), ("a.zip/june.csv", 1, None), ("a.zip/july.csv", 1, None)],
                "chunk {chunk}"
            );
        }
        let csv = format!("{CSV}{}", CSV.lines().nth(1).unwrap().replace("GHI", "JKL"));
        let bytes = with_data_descriptor("may.csv", csv.as_bytes());
        for chunk in [1, 5, bytes.len()] {
            let files = stream_entries(&bytes, chunk);
            assert_eq!((files[0].report.used, files[0].report.error_line()), (2, None), "chunk {chunk}");
        }
    }

    #[test]
    fn damaged_or_cut_zip_entries_are_errors_not_panics() {
        let bytes = three_entries();
        let z = ZipArchive::open("a.zip", &bytes).map_err(|f| f.report.error_line()).unwrap();
        let june = z.entries[1].clone();
        // A byte of june's compressed data changed: the CRC-32 (or the inflater) says so.
        let mut damaged = bytes.clone();
        damaged[june.offset as usize + 30 + "june.csv".len() + 5] ^= 0x55;
        let mut ingest = ZipEntryIngest::new(&june, &[]);
        ingest.push(&damaged[june.offset as usize..]);
        let f = ingest.finish();
        assert!(f.report.error_line().is_some_and(|e| e.contains("damaged")), "{:?}", f.report.error_line());
        // The archive cut inside june's data.
        let mut ingest = ZipEntryIngest::new(&june, &[]);
        assert!(ingest.push(&bytes[june.offset as usize..june.offset as usize + 40]));
        let f = ingest.finish();
        assert!(f.report.error_line().is_some_and(|e| e.contains("damaged")), "{:?}", f.report.error_line());
        // Only the archive's end: no directory.
        let Err(f) = ZipArchive::open("cut.zip", &bytes[..bytes.len() - 10]) else { panic!("opened") };
        assert!(f.report.error_line().is_some_and(|e| e.contains("not a readable zip archive")));
    }

    /// A Prime Video Direct earnings file with column names only a mapping knows.
    const PVD: &str = "Programme,Rank pct,Country,Month,Hrs\nThe Long Road,92.5,US,2024-01-01,1200.5\nQuiet Hills,40,GB,2024-01-01,310\n";

    fn pvd_mapping() -> Mapping {
        let header: Vec<String> = ["Programme", "Rank pct", "Country", "Month", "Hrs"].map(String::from).into();
        let fields = [
            ("CER", "Rank pct"),
            ("Title", "Programme"),
            ("Territory", "Country"),
            ("Month", "Month"),
            ("Hours Streamed", "Hrs"),
        ]
        .into_iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        Mapping::new(crate::Kind::Earnings, &header, fields)
    }

    /// The file read with the mapping: both rows, as earnings, with their hours.
    fn assert_mapped(f: &IngestedFile, name: &str) {
        let r = &f.report;
        assert_eq!((r.name.as_str(), r.kind, &r.error), (name, Some(crate::Kind::Earnings), &None));
        // 2 data rows, both used.
        assert_eq!((r.rows, r.used, r.rejected), (2, 2, 0), "{name}");
        assert!(r.notes.iter().any(|n| n == "read with your mapping"), "{:?}", r.notes);
        let Some(crate::KindData::Earnings(rows)) = &f.data else { panic!("{:?}", f.data) };
        let hours: Vec<String> = rows.iter().map(|r| r.hours.map(|h| h.to_string()).unwrap_or_default()).collect();
        assert_eq!(hours, ["1200.5", "310"]);
        assert_eq!(rows[0].cer.to_string(), "92.5");
    }

    #[test]
    fn gzip_is_read_with_mappings() {
        let gz = gzip(PVD.as_bytes());
        // Without the mapping the header is unknown.
        let mut g = GzipIngest::new("pvd.csv.gz");
        g.push(&gz);
        assert!(matches!(g.finish().report.error, Some(FileError::UnknownKind { .. })));
        for size in [3, gz.len()] {
            let mut g = GzipIngest::with_mappings("pvd.csv.gz", &[pvd_mapping()]);
            for chunk in gz.chunks(size) {
                g.push(chunk);
            }
            assert_mapped(&g.finish(), "pvd.csv");
        }
    }

    #[test]
    fn zip_entries_are_read_with_mappings() {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("pvd.csv", opts).unwrap();
        w.write_all(PVD.as_bytes()).unwrap();
        w.start_file("old/pvd2.csv.gz", opts).unwrap();
        w.write_all(&gzip(PVD.as_bytes())).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let mut plain = ZipArchive::open("pvd.zip", &bytes).map_err(|f| f.report.error_line()).unwrap();
        let entries = plain.entries();
        assert!(matches!(plain.ingest(&entries[0], |_, _| {}).report.error, Some(FileError::UnknownKind { .. })));
        let mut z = ZipArchive::open_with_mappings("pvd.zip", &bytes, &[pvd_mapping()])
            .map_err(|f| f.report.error_line())
            .unwrap();
        let entries = z.entries();
        assert_eq!(entries.len(), 2);
        assert_mapped(&z.ingest(&entries[0], |_, _| {}), "pvd.zip/pvd.csv");
        assert_mapped(&z.ingest(&entries[1], |_, _| {}), "pvd.zip/old/pvd2.csv");
    }

    #[test]
    fn not_a_zip_says_so() {
        let Err(f) = ZipArchive::open("x.zip", b"PK\x03\x04garbage") else { panic!("opened") };
        assert!(f.report.error_line().unwrap().starts_with("x.zip: cannot unpack: not a readable zip archive"));
    }
}
