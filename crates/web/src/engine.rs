//! The worker's state: every file read so far, and the analysis over them.
//!
//! Plain Rust, tested natively; `worker.rs` only moves bytes and messages.

use slatelens_core::archive::{Container, GzipIngest};
use slatelens_core::ingest::Mapping;
use slatelens_core::{analyze, Analysis, FileError, Ingest, IngestedFile};

/// Files held by the worker, in the order they were given.
#[derive(Default)]
pub struct Engine {
    files: Vec<Held>,
}

struct Held {
    id: u64,
    parent: Option<u64>,
    file: IngestedFile,
}

impl Engine {
    /// Keeps a finished file.
    pub fn insert(&mut self, id: u64, parent: Option<u64>, file: IngestedFile) {
        self.files.retain(|h| h.id != id);
        self.files.push(Held { id, parent, file });
    }

    /// Forgets a file and the entries of an archive with that id.
    pub fn remove(&mut self, id: u64) {
        self.files.retain(|h| h.id != id && h.parent != Some(id));
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.files.clear();
    }

    /// Files held whose header is the one `mapping` is for (read or not read).
    pub fn matching(&self, mapping: &Mapping) -> Vec<u64> {
        self.files
            .iter()
            .filter(|h| {
                let r = &h.file.report;
                let header: Vec<String> = match &r.error {
                    Some(FileError::UnknownKind { header, .. }) => header.clone(),
                    _ => r.columns.iter().map(|c| c.name.clone()).collect(),
                };
                mapping.applies_to(&header)
            })
            .map(|h| h.id)
            .collect()
    }

    /// The analysis of every file held, with the id of each entry of `files`.
    pub fn analysis(&self) -> (Vec<u64>, Analysis) {
        let files: Vec<&IngestedFile> = self.files.iter().map(|h| &h.file).collect();
        (self.files.iter().map(|h| h.id).collect(), analyze(&files))
    }
}

/// A file being read: plain or gzip, decided by its first bytes.
pub enum Reader {
    /// Not started: the first chunk decides. With the mappings to read it with.
    Start(String, Vec<Mapping>),
    /// A report as is.
    Plain(Box<Ingest>),
    /// A `.gz`, streamed.
    Gzip(Box<GzipIngest>),
}

impl Reader {
    /// Starts reading the file `name`.
    pub fn new(name: &str) -> Reader {
        Reader::with_mappings(name, &[])
    }

    /// Starts reading the file `name` (plain or `.gz`), with the person's mappings.
    pub fn with_mappings(name: &str, mappings: &[Mapping]) -> Reader {
        Reader::Start(name.to_string(), mappings.to_vec())
    }

    /// Feeds the next chunk.
    pub fn push(&mut self, chunk: &[u8]) {
        if let Reader::Start(name, mappings) = self {
            *self = match Container::sniff(chunk) {
                Container::Gzip => Reader::Gzip(Box::new(GzipIngest::with_mappings(name, mappings))),
                _ => Reader::Plain(Box::new(Ingest::with_mappings(name, mappings))),
            };
        }
        match self {
            Reader::Plain(i) => i.push(chunk),
            Reader::Gzip(g) => g.push(chunk),
            Reader::Start(..) => {}
        }
    }

    /// (bytes, rows) read so far (uncompressed bytes for gzip).
    pub fn progress(&self) -> (u64, u64) {
        match self {
            Reader::Start(..) => (0, 0),
            Reader::Plain(i) => (i.bytes_read(), i.rows_read()),
            Reader::Gzip(g) => (g.bytes_read(), g.rows_read()),
        }
    }

    /// Ends the file.
    pub fn finish(self) -> IngestedFile {
        match self {
            Reader::Start(name, _) => Ingest::new(&name).finish(),
            Reader::Plain(i) => i.finish(),
            Reader::Gzip(g) => g.finish(),
        }
    }
}

/// Whether a file should be opened as a zip archive (read whole) rather than streamed.
pub fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAY: &str = "Report Start,Report End,Offer ID,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n5/1/22,5/31/22,GHI,HO,1258343,24385,75849\n";

    #[test]
    fn removing_a_file_updates_the_analysis() {
        let mut e = Engine::default();
        e.insert(1, None, slatelens_core::ingest_bytes("may.csv", MAY.as_bytes()));
        e.insert(2, None, slatelens_core::ingest_bytes("copy.csv", MAY.as_bytes()));
        let (ids, a) = e.analysis();
        assert_eq!(ids, [1, 2]);
        assert_eq!(a.files[1].duplicate_of.as_deref(), Some("may.csv"));
        e.remove(1);
        let (ids, a) = e.analysis();
        assert_eq!(ids, [2]);
        assert_eq!(a.files[0].duplicate_of, None);
        assert_eq!(a.subscriptions[0].metrics.eop_paid_subs, Some(1_258_343));
    }

    #[test]
    fn removing_an_archive_removes_its_entries() {
        let mut e = Engine::default();
        e.insert(10, Some(9), slatelens_core::ingest_bytes("r.zip/may.csv", MAY.as_bytes()));
        e.insert(11, None, slatelens_core::ingest_bytes("other.csv", MAY.as_bytes()));
        e.remove(9);
        assert_eq!(e.analysis().0, [11]);
    }

    #[test]
    fn reader_sniffs_gzip_from_the_first_chunk() {
        use std::io::Write;
        let mut enc = flate2_encoder();
        enc.write_all(MAY.as_bytes()).unwrap();
        let gz = enc.finish().unwrap();
        let mut r = Reader::new("may.csv.gz");
        for c in gz.chunks(5) {
            r.push(c);
        }
        let f = r.finish();
        assert_eq!((f.report.name.as_str(), f.report.used), ("may.csv", 1));
    }

    #[test]
    fn a_mapping_finds_the_files_it_fits() {
        let pvd = "Programme,Rank pct\nThe Long Road,92.5\n";
        let mut e = Engine::default();
        e.insert(1, None, slatelens_core::ingest_bytes("may.csv", MAY.as_bytes()));
        e.insert(2, None, slatelens_core::ingest_bytes("pvd.csv", pvd.as_bytes()));
        let header = ["PROGRAMME".to_string(), "rank pct".to_string()];
        let fields = [("CER", "Rank pct"), ("Title", "Programme")].map(|(f, c)| (f.to_string(), c.to_string()));
        let m = Mapping::new(slatelens_core::Kind::Earnings, &header, fields.into_iter().collect());
        assert_eq!(e.matching(&m), [2]);
        let mut r = Reader::with_mappings("pvd.csv", std::slice::from_ref(&m));
        r.push(pvd.as_bytes());
        e.insert(2, None, r.finish());
        // Read with it, the file still has that header.
        assert_eq!(e.matching(&m), [2]);
        assert_eq!(e.analysis().1.files[1].used, 1);
    }

    #[test]
    fn a_gzip_is_read_with_the_mappings() {
        use std::io::Write;
        let pvd = "Programme,Rank pct\nThe Long Road,92.5\n";
        let header = ["Programme".to_string(), "Rank pct".to_string()];
        let fields = [("CER", "Rank pct"), ("Title", "Programme")].map(|(f, c)| (f.to_string(), c.to_string()));
        let m = Mapping::new(slatelens_core::Kind::Earnings, &header, fields.into_iter().collect());
        let mut enc = flate2_encoder();
        enc.write_all(pvd.as_bytes()).unwrap();
        let gz = enc.finish().unwrap();
        let mut r = Reader::with_mappings("pvd.csv.gz", &[m]);
        r.push(&gz);
        let f = r.finish();
        assert_eq!(
            (f.report.name.as_str(), f.report.kind, f.report.used),
            ("pvd.csv", Some(slatelens_core::Kind::Earnings), 1)
        );
    }

    fn flate2_encoder() -> flate2::write::GzEncoder<Vec<u8>> {
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast())
    }
}
