//! Reports inside archives: every entry of a `.zip`, and a `.gz` streamed.
//!
//! Decompression is a pure transformation of bytes, so it lives in core: the
//! page's worker and the CLI hand over bytes and get [`IngestedFile`]s back.
//! A gzip file streams through [`GzipIngest`] chunk by chunk like any file. A
//! zip archive needs its central directory at the end, so [`ZipArchive`] takes
//! the archive's bytes whole; each entry is then decompressed in chunks.
//! Both read the reports inside with the person's column mappings, like a
//! plain file ([`Ingest::with_mappings`]).

use crate::ingest::{Ingest, IngestedFile, Mapping};
use crate::report::{FileError, FileReport};
use std::io::{Read, Write};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry {
    /// Index in the archive.
    pub index: usize,
    /// `archive.zip/path/in/archive.csv`, the name used in every message.
    pub name: String,
    /// Uncompressed size.
    pub size: u64,
}

/// A zip archive held in memory, whose entries are read one at a time.
pub struct ZipArchive<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    name: String,
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
        match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            Ok(zip) => Ok(ZipArchive { zip, name: name.to_string(), mappings: mappings.to_vec() }),
            Err(e) => Err(Box::new(failed(name, format!("not a readable zip archive ({e})")))),
        }
    }

    /// The files inside, skipping folders and macOS resource forks (`__MACOSX/`, `._*`).
    pub fn entries(&mut self) -> Vec<ZipEntry> {
        (0..self.zip.len())
            .filter_map(|index| {
                let f = self.zip.by_index_raw(index).ok()?;
                let path = f.name().to_string();
                let base = path.rsplit('/').next().unwrap_or(&path);
                if f.is_dir() || path.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store" {
                    return None;
                }
                Some(ZipEntry { index, name: format!("{}/{path}", self.name), size: f.size() })
            })
            .collect()
    }

    /// Reads one entry into [`Ingest`], calling `progress(bytes, rows)` after each chunk.
    /// A `.gz` inside the archive is unpacked too.
    pub fn ingest(&mut self, entry: &ZipEntry, mut progress: impl FnMut(u64, u64)) -> IngestedFile {
        let mut f = match self.zip.by_index(entry.index) {
            Ok(f) => f,
            Err(e) => return failed(&entry.name, format!("cannot read this entry of the archive ({e})")),
        };
        let mut buf = vec![0u8; 1 << 20];
        let mut plain: Option<Ingest> = None;
        let mut gz: Option<GzipIngest> = None;
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return failed(&entry.name, format!("this entry of the archive is damaged ({e})")),
            };
            if plain.is_none() && gz.is_none() {
                match Container::sniff(&buf[..n]) {
                    Container::Gzip => gz = Some(GzipIngest::with_mappings(&entry.name, &self.mappings)),
                    _ => plain = Some(Ingest::with_mappings(&entry.name, &self.mappings)),
                }
            }
            if let Some(i) = plain.as_mut() {
                i.push(&buf[..n]);
                progress(i.bytes_read(), i.rows_read());
            } else if let Some(g) = gz.as_mut() {
                g.push(&buf[..n]);
                progress(g.bytes_read(), g.rows_read());
            }
        }
        match (plain, gz) {
            (_, Some(g)) => g.finish(),
            (Some(i), None) => i.finish(),
            (None, None) => Ingest::new(&entry.name).finish(),
        }
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
