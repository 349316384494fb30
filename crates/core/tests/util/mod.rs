//! The harness behind the fixture tests: finding fixtures, feeding them in
//! chunks, and rendering what core made of a file as a short text a person
//! can check against the fixture by eye.

use slatelens_core::{Ingest, IngestedFile};
use std::path::{Path, PathBuf};

/// Typed rows shown per file in a snapshot.
pub const ROWS_SHOWN: usize = 6;

/// The repository's `tests/fixtures` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// A fixture file: its path relative to `tests/fixtures` (with `/`) and its bytes.
pub struct Fixture {
    pub rel: String,
    pub bytes: Vec<u8>,
}

impl Fixture {
    /// The file name alone, as a user would drop it (what messages are about).
    pub fn name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(&self.rel)
    }

    /// The folder under `tests/fixtures` (`subscriptions`, `bad`, ...).
    pub fn folder(&self) -> &str {
        self.rel.split('/').next().unwrap_or("")
    }

    /// A snapshot name: the relative path with `/` as `__`.
    pub fn snapshot_name(&self) -> String {
        self.rel.replace('/', "__")
    }

    pub fn ingest(&self) -> IngestedFile {
        slatelens_core::ingest_bytes(self.name(), &self.bytes)
    }
}

/// Whether a file under `tests/fixtures` is input for core (not a script,
/// expected values or a dotfile).
fn is_input(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let skipped_ext = ["py", "json", "md"];
    !name.starts_with('.') && !path.extension().and_then(|e| e.to_str()).is_some_and(|e| skipped_ext.contains(&e))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if is_input(&path) {
            out.push(path);
        }
    }
}

/// Every fixture under `tests/fixtures` (or under one of its folders), sorted by path.
pub fn fixtures_under(sub: &str) -> Vec<Fixture> {
    let root = fixtures_dir();
    let mut paths = Vec::new();
    walk(&root.join(sub), &mut paths);
    let mut out: Vec<Fixture> = paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under the root").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
            Fixture { rel, bytes }
        })
        .collect();
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    assert!(!out.is_empty(), "no fixtures under {}", root.join(sub).display());
    out
}

/// Every fixture, sorted by path.
pub fn all_fixtures() -> Vec<Fixture> {
    fixtures_under("")
}

/// One fixture by its path relative to `tests/fixtures`.
pub fn fixture(rel: &str) -> Fixture {
    let bytes = std::fs::read(fixtures_dir().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
    Fixture { rel: rel.to_string(), bytes }
}

/// Feeds `bytes` to a new [`Ingest`] in chunks of `size` bytes.
pub fn ingest_chunked(name: &str, bytes: &[u8], size: usize) -> IngestedFile {
    let mut ing = Ingest::new(name);
    for chunk in bytes.chunks(size) {
        ing.push(chunk);
    }
    ing.finish()
}

/// Report and rows as JSON, for comparing two ingestions exactly.
pub fn fingerprint(file: &IngestedFile) -> (String, String) {
    (
        serde_json::to_string(&file.report).expect("report serializes"),
        serde_json::to_string(&file.data).expect("data serializes"),
    )
}

/// Drops `null` members so a row shows only what the file had.
fn without_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            serde_json::Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
    }
}

/// What core made of a file, in a few readable lines.
pub fn summary(fx: &Fixture, file: &IngestedFile) -> String {
    let r = &file.report;
    let mut s: Vec<String> = Vec::new();
    let kind = r.kind.map_or("none".to_string(), |k| {
        serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    });
    s.push(format!("file: {} ({} bytes)", fx.rel, r.bytes));
    s.push(format!("kind: {kind}"));
    s.push(format!("label: {}", r.label));
    s.push(format!("encoding: {}, bom: {}, delimiter: {}", r.encoding, r.bom, r.delimiter));
    s.push(format!("rows: {} read, {} used, {} rejected", r.rows, r.used, r.rejected));
    // Only the columns worth a look: drifted spellings and ignored columns.
    let drift: Vec<String> = r
        .columns
        .iter()
        .filter_map(|c| match &c.field {
            Some(f) if *f == c.name => None,
            Some(f) => Some(format!("\"{}\" as {f}", c.name)),
            None => Some(format!("\"{}\" ignored", c.name)),
        })
        .collect();
    if !drift.is_empty() {
        s.push(format!("columns: {}", drift.join("; ")));
    }
    if let Some(line) = r.error_line() {
        s.push(format!("error: {line}"));
    }
    if !r.problems.is_empty() {
        s.push("problems:".to_string());
        for p in &r.problems {
            s.push(format!("  {}", p.display(&r.name)));
        }
        if r.problems_omitted > 0 {
            s.push(format!("  ... and {} more", r.problems_omitted));
        }
    }
    if !r.notes.is_empty() {
        s.push("notes:".to_string());
        for n in &r.notes {
            s.push(format!("  {n}"));
        }
    }
    if let Some(data) = &file.data {
        let value = serde_json::to_value(data).expect("data serializes");
        let content = value.get("rows").cloned().unwrap_or_default();
        if content.is_object() {
            // A kind aggregated as it streams: its totals, not rows.
            s.push(format!("data: aggregate {}", without_nulls(content)));
            return s.iter().map(|l| format!("{l}\n")).collect();
        }
        let rows = content.as_array().cloned().unwrap_or_default();
        if rows.is_empty() {
            s.push("data: no rows".to_string());
        } else {
            let shown = rows.len().min(ROWS_SHOWN);
            let plural = if rows.len() == 1 { "" } else { "s" };
            let more = if shown < rows.len() { format!(", first {shown} shown") } else { String::new() };
            s.push(format!("data: {} row{plural}{more}", rows.len()));
            for row in rows.into_iter().take(shown) {
                s.push(format!("  {}", without_nulls(row)));
            }
        }
    }
    s.iter().map(|l| format!("{l}\n")).collect()
}
