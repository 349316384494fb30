//! The one ingestion layer every report kind shares.
//!
//! [`Ingest`] takes a file's bytes in chunks of any size and turns them into a
//! kind's typed rows plus an account of the file ([`FileReport`]). The stages:
//!
//! 1. **Head.** The first [`HEAD_BYTES`] (or up to the first line break, if
//!    later) decide the encoding (BOM, UTF-16 without BOM, UTF-8, else
//!    Windows-1252), refuse binary files, and find the header row: the first
//!    of the first [`MAX_PREAMBLE_LINES`] lines whose cells match a report kind,
//!    split on its sniffed delimiter.
//! 2. **Body.** Bytes are transcoded to UTF-8 (passed through when they
//!    already are) and split by `csv_core`, which needs no more than one
//!    record in memory. Each record gets its starting line number.
//! 3. **Rows.** Structural checks reject rows that are not data (empty rows,
//!    repeated headers, footers, totals, rows with extra values). The file's
//!    conventions (decimal mark, day/month order) are decided from evidence in
//!    the rows; rows wait in a bounded queue until they are decided. Then the
//!    kind module parses each row; a row is either used or rejected with a
//!    [`Problem`].
//!
//! The decision points depend on the bytes only, never on how they were
//! chunked, so feeding a file one byte at a time gives the same result as
//! feeding it whole.

mod header;
pub mod mapping;
mod plain;
mod range;
mod record;
pub mod value;

pub use header::{recognize, sniff_delimiter, split_line, ColumnMap, Fit};
pub use mapping::Mapping;
pub use range::{next_line_start, range_feed_start, ContentHash, RangeCuts, RangePart, SPLIT_FROM_BYTES};
pub use record::Record;
pub use value::{Conventions, DateOrder, DecimalMark};

use crate::kinds::KindData;
use crate::report::{ColumnUse, FileError, FileReport, Problem};
use crate::schema::{normalize, FieldType, Kind};
use csv_core::ReadRecordResult;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Bytes examined to decide the encoding and find the header.
pub const HEAD_BYTES: usize = 64 * 1024;
/// A header further than this from the start is not looked for.
pub const MAX_HEAD_BYTES: usize = 1024 * 1024;
/// Lines before the header row that may be a title or notes.
pub const MAX_PREAMBLE_LINES: usize = 20;
/// A single row longer than this means an unclosed quote.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;
/// Rows held back while the file's conventions are undecided.
pub const MAX_PENDING_ROWS: usize = 10_000;
/// Data rows an unrecognised file's report shows, for the mapping step.
pub const UNKNOWN_SAMPLE_ROWS: usize = 5;

/// What one finished file yielded.
#[derive(Debug, Clone)]
pub struct IngestedFile {
    /// The account: kind, rows read/used/rejected, problems, notes.
    pub report: FileReport,
    /// The typed rows, when the file was recognised.
    pub data: Option<KindData>,
}

/// Streaming ingestion of one file. Feed it with [`Ingest::push`], end with
/// [`Ingest::finish`]. Never panics on any input.
pub struct Ingest {
    report: FileReport,
    hasher: ContentHash,
    /// Bytes still to hash before parsing: a range sibling is fed from the
    /// start of its first hash block ([`range_feed_start`]).
    hash_only: u64,
    stage: Stage,
    /// The person's mappings: a file whose header is one of theirs is read with it.
    mappings: Vec<Mapping>,
}

enum Stage {
    Head(Vec<u8>),
    Body(Box<Body>),
    Failed,
}

impl Ingest {
    /// Starts a file called `name` (used in every message about it).
    pub fn new(name: &str) -> Ingest {
        Ingest::with_mappings(name, &[])
    }

    /// Like [`Ingest::new`], but a file whose header is the header of one of
    /// `mappings` is read as that mapping says, instead of by recognition.
    pub fn with_mappings(name: &str, mappings: &[Mapping]) -> Ingest {
        Ingest {
            report: FileReport::new(name),
            hasher: ContentHash::default(),
            hash_only: 0,
            stage: Stage::Head(Vec::new()),
            mappings: mappings.to_vec(),
        }
    }

    /// Bytes fed so far.
    pub fn bytes_read(&self) -> u64 {
        self.report.bytes
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.report.rows
    }

    /// The kind, once the header has been recognised.
    pub fn kind(&self) -> Option<Kind> {
        self.report.kind
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, mut chunk: &[u8]) {
        if self.hash_only > 0 {
            let n = chunk.len().min(usize::try_from(self.hash_only).unwrap_or(usize::MAX));
            self.hasher.update(&chunk[..n]);
            self.hash_only -= n as u64;
            chunk = &chunk[n..];
            if chunk.is_empty() {
                return;
            }
        }
        self.report.bytes += chunk.len() as u64;
        self.hasher.update(chunk);
        match &mut self.stage {
            Stage::Head(buf) => {
                buf.extend_from_slice(chunk);
                // Wait for the byte after the first line break too (is `\r` followed by `\n`?),
                // so the decision never depends on where a chunk ended.
                let first_break = buf[..buf.len().min(MAX_HEAD_BYTES)].iter().position(|&b| b == b'\n' || b == b'\r');
                let ready = first_break.is_some_and(|p| buf.len() >= HEAD_BYTES.max(p + 2));
                if ready || buf.len() >= MAX_HEAD_BYTES {
                    self.start_body(false);
                }
            }
            Stage::Body(body) => body.feed_raw(chunk, false, &mut self.report),
            Stage::Failed => {}
        }
    }

    /// Ends the file and returns what it yielded.
    pub fn finish(mut self) -> IngestedFile {
        if matches!(self.stage, Stage::Head(_)) {
            self.start_body(true);
        }
        let data = match std::mem::replace(&mut self.stage, Stage::Failed) {
            Stage::Body(mut body) => {
                body.feed_raw(&[], true, &mut self.report);
                body.finish(&mut self.report)
            }
            _ => None,
        };
        self.report.content_hash = format!("{:032x}", self.hasher.digest());
        debug_assert!(self.report.is_balanced());
        IngestedFile { report: self.report, data }
    }

    fn fail(&mut self, error: FileError) {
        self.report.error = Some(error);
        self.stage = Stage::Failed;
    }

    /// Decides encoding and header from the head, then replays it into the body.
    fn start_body(&mut self, at_eof: bool) {
        let Stage::Head(buf) = std::mem::replace(&mut self.stage, Stage::Failed) else {
            return;
        };
        match Head::examine(&buf, at_eof, &self.mappings) {
            Err(e) => self.fail(e),
            Ok(head) => {
                let kind = head.kind;
                let map = match head.mapping {
                    Some(i) => {
                        self.report.notes.push("read with your mapping".to_string());
                        self.mappings[i].column_map(&head.cells)
                    }
                    None => ColumnMap::build(kind.schema(), &head.cells),
                };
                self.report.kind = Some(kind);
                self.report.encoding = head.encoding.name().to_string();
                self.report.bom = head.bom_len > 0;
                self.report.delimiter = delimiter_name(head.delimiter).to_string();
                self.report.columns = map
                    .header
                    .iter()
                    .enumerate()
                    .map(|(c, name)| ColumnUse {
                        name: name.clone(),
                        field: map
                            .by_field
                            .iter()
                            .position(|&f| f == Some(c))
                            .map(|i| kind.schema().fields[i].name.to_string()),
                    })
                    .collect();
                let unused = map.unused();
                if !unused.is_empty() {
                    let list = unused.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
                    self.report.notes.push(format!("columns kept but not used: {list}"));
                }
                match head.header_line {
                    1 => {}
                    2 => self.report.notes.push("line 1 comes before the header row and was skipped".to_string()),
                    n => self
                        .report
                        .notes
                        .push(format!("lines 1 to {} come before the header row and were skipped", n - 1)),
                }
                let mut body = Box::new(Body::new(&head, map, KindData::new(kind)));
                body.feed_raw(&buf[head.bom_len..], at_eof, &mut self.report);
                self.stage = Stage::Body(body);
            }
        }
    }
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b'\t' => "tab",
        b';' => "semicolon",
        b'|' => "pipe",
        _ => "other",
    }
}

/// What the head of a file says.
struct Head {
    encoding: &'static Encoding,
    bom_len: usize,
    delimiter: u8,
    /// 1-based line of the header row.
    header_line: u64,
    cells: Vec<String>,
    kind: Kind,
    /// Lines end in a lone `\r` (old Mac Excel).
    cr_only: bool,
    /// The mapping (an index into the ingest's) that applies to the header.
    mapping: Option<usize>,
}

impl Head {
    fn examine(buf: &[u8], at_eof: bool, mappings: &[Mapping]) -> Result<Head, FileError> {
        if buf.is_empty() {
            return Err(FileError::Empty);
        }
        let (encoding, bom_len) = match Encoding::for_bom(buf) {
            Some((enc, len)) => (enc, len),
            None => (sniff_encoding(buf)?, 0),
        };
        // Decide on a prefix that does not depend on how the bytes were chunked.
        let first_break = buf.iter().position(|&b| b == b'\n' || b == b'\r');
        let limit = match first_break {
            Some(p) => HEAD_BYTES.max(p + 2).min(buf.len()),
            None if at_eof || buf.len() < MAX_HEAD_BYTES => buf.len(),
            None => return Err(FileError::NoHeader { limit_kib: MAX_HEAD_BYTES / 1024 }),
        };
        let (text, _) = encoding.decode_without_bom_handling(&buf[bom_len..limit]);
        if text.trim().is_empty() {
            return Err(FileError::Empty);
        }
        let cr_only = match text.find(['\r', '\n']) {
            Some(i) => text.as_bytes()[i] == b'\r' && text.as_bytes().get(i + 1).is_some_and(|&b| b != b'\n'),
            None => false,
        };
        let line_break = if cr_only { '\r' } else { '\n' };
        // Only complete lines count, unless this is the whole file.
        let complete =
            if at_eof && limit == buf.len() { &text[..] } else { text.rsplit_once(line_break).map_or("", |(a, _)| a) };
        let mut best: Option<(Fit, Vec<String>, usize, u8)> = None;
        for (i, line) in complete.split(line_break).take(MAX_PREAMBLE_LINES + 1).enumerate() {
            let line = line.trim_end_matches('\r');
            let Some(delimiter) = sniff_delimiter(line) else { continue };
            let cells = split_line(line, delimiter);
            let header_line = i as u64 + 1;
            if let Some(m) = mappings.iter().position(|m| m.applies_to(&cells)) {
                let kind = mappings[m].kind;
                return Ok(Head { encoding, bom_len, delimiter, header_line, cells, kind, cr_only, mapping: Some(m) });
            }
            match recognize(&cells) {
                Ok(kind) => {
                    return Ok(Head { encoding, bom_len, delimiter, header_line, cells, kind, cr_only, mapping: None })
                }
                Err(fit) => {
                    let better = best.as_ref().is_none_or(|(b, ..)| fit.keys_found > b.keys_found);
                    if better {
                        best = Some((fit, cells, i, delimiter));
                    }
                }
            }
        }
        let (fit, cells, sample) = match best {
            Some((fit, cells, i, delimiter)) => {
                // A few rows after the header, for the mapping step to show and guess from.
                let sample = complete
                    .split(line_break)
                    .skip(i + 1)
                    .map(|l| l.trim_end_matches('\r'))
                    .filter(|l| !l.trim().is_empty())
                    .take(UNKNOWN_SAMPLE_ROWS)
                    .map(|l| split_line(l, delimiter))
                    .collect();
                (fit, cells, sample)
            }
            None => {
                let first = complete.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                let cells = vec![first.to_string()];
                match recognize(&cells) {
                    Err(fit) => (fit, cells, Vec::new()),
                    Ok(_) => unreachable!("a single cell matches no kind"),
                }
            }
        };
        Err(FileError::UnknownKind {
            nearest: (fit.keys_found > 0).then(|| fit.kind.label().to_string()),
            found: fit.keys_found,
            total: fit.keys_total,
            missing: fit.missing.iter().map(|s| s.to_string()).collect(),
            header: cells,
            sample,
        })
    }
}

/// Encoding of a file without a byte-order mark, or why it is not text.
fn sniff_encoding(buf: &[u8]) -> Result<&'static Encoding, FileError> {
    let sample = &buf[..buf.len().min(HEAD_BYTES)];
    let not_text = |what: &str| Err(FileError::NotText { what: what.to_string() });
    if sample.starts_with(b"PK\x03\x04") {
        return not_text("an Excel workbook or a zip archive");
    }
    if sample.starts_with(&[0x1f, 0x8b]) {
        return not_text("a gzip archive");
    }
    if sample.starts_with(b"%PDF") {
        return not_text("a PDF document");
    }
    if sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return not_text("an old Excel workbook (.xls)");
    }
    // UTF-16 without BOM: one byte of each pair is NUL for ASCII text.
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        if odd_nul * 10 >= pairs * 9 && even_nul == 0 {
            return Ok(UTF_16LE);
        }
        if even_nul * 10 >= pairs * 9 && odd_nul == 0 {
            return Ok(UTF_16BE);
        }
    }
    if sample.contains(&0) {
        return not_text("binary data");
    }
    // UTF-8 unless bytes are invalid as UTF-8 and no valid multi-byte sequence
    // shows the file to be UTF-8 with a stray byte (read per cell as Windows-1252).
    let (mut valid_multibyte, mut invalid, mut rest) = (0usize, 0usize, sample);
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| c.len_utf8() > 1).count();
                break;
            }
            Err(e) => {
                let (ok, tail) = rest.split_at(e.valid_up_to());
                valid_multibyte +=
                    std::str::from_utf8(ok).map_or(0, |s| s.chars().filter(|c| c.len_utf8() > 1).count());
                match e.error_len() {
                    // Cut mid-character at the end of the sample.
                    None => break,
                    Some(n) => {
                        invalid += 1;
                        rest = &tail[n..];
                    }
                }
            }
        }
    }
    match (invalid, valid_multibyte) {
        (0, _) => Ok(UTF_8),
        (_, v) if v > 0 => Ok(UTF_8),
        _ => Ok(WINDOWS_1252),
    }
}

/// The file's conventions, decided from evidence as rows arrive.
#[derive(Clone)]
struct ConventionState {
    decimal: Option<(DecimalMark, String, u64)>,
    order: Option<(DateOrder, String, u64)>,
    decimal_ambiguous: Option<String>,
    date_ambiguous: Option<String>,
    default_decimal: DecimalMark,
    /// Fields whose cells are dates, and whose cells are numbers.
    date_cols: Vec<usize>,
    number_cols: Vec<usize>,
}

impl ConventionState {
    fn decided(&self) -> bool {
        (self.decimal.is_some() || self.number_cols.is_empty()) && (self.order.is_some() || self.date_cols.is_empty())
    }

    fn observe(&mut self, line: u64, cell: impl Fn(usize) -> String) {
        if self.order.is_none() {
            for &c in &self.date_cols {
                let s = cell(c);
                let ev = value::date_evidence(&s);
                if let Some(order) = ev.date_order {
                    self.order = Some((order, s, line));
                    break;
                } else if ev.date_ambiguous && self.date_ambiguous.is_none() {
                    self.date_ambiguous = Some(s);
                }
            }
        }
        if self.decimal.is_none() {
            for &c in &self.number_cols {
                let s = cell(c);
                let ev = value::number_evidence(&s);
                if let Some(mark) = ev.decimal {
                    self.decimal = Some((mark, s, line));
                    break;
                } else if ev.decimal_ambiguous && self.decimal_ambiguous.is_none() {
                    self.decimal_ambiguous = Some(s);
                }
            }
        }
    }

    fn conventions(&self) -> Conventions {
        Conventions {
            decimal: self.decimal.as_ref().map_or(self.default_decimal, |d| d.0),
            date_order: self.order.as_ref().map_or(DateOrder::MonthFirst, |d| d.0),
        }
    }

    /// Notes that say how the file was read, where it could have been read otherwise.
    fn notes(&self, delimiter: &str) -> Vec<String> {
        let mut notes = Vec::new();
        match (&self.order, &self.date_ambiguous) {
            (Some((DateOrder::DayFirst, s, line)), _) => {
                notes.push(format!("dates read as day/month (line {line} has \"{s}\")"))
            }
            (Some((DateOrder::MonthFirst, s, line)), Some(_)) => {
                notes.push(format!("dates read as month/day (line {line} has \"{s}\")"))
            }
            (None, Some(s)) => notes.push(format!(
                "every date could be month/day or day/month (such as \"{s}\"); read as month/day, Slate's format"
            )),
            _ => {}
        }
        match (&self.decimal, &self.decimal_ambiguous) {
            (Some((mark, s, line)), Some(_)) => notes.push(format!(
                "numbers read with a decimal {} (line {line} has \"{s}\")",
                mark_name(*mark)
            )),
            (None, Some(s)) => notes.push(format!(
                "numbers such as \"{s}\" could use either decimal mark; read with a decimal {}, usual for {delimiter}-separated files",
                mark_name(self.default_decimal)
            )),
            _ => {}
        }
        notes
    }
}

fn mark_name(m: DecimalMark) -> &'static str {
    match m {
        DecimalMark::Point => "point",
        DecimalMark::Comma => "comma",
    }
}

/// A row waiting for the file's conventions to be decided.
struct Pending {
    line: u64,
    text: String,
    ends: Vec<usize>,
}

/// What a [`Body`] knows of the file before its first row: encoding, delimiter,
/// line ends, columns, conventions (see [`Body`]'s fields of the same names).
struct Layout {
    decoder: Option<encoding_rs::Decoder>,
    plain: plain::Splitter,
    line_byte: u8,
    header_line: u64,
    map: ColumnMap,
    normalized_header: Vec<String>,
    key_dims: Vec<usize>,
    dims: Vec<usize>,
    measures: Vec<usize>,
    data: KindData,
    conv: ConventionState,
    delimiter: &'static str,
}

struct Body {
    decoder: Option<encoding_rs::Decoder>,
    scratch: Vec<u8>,
    csv: csv_core::Reader,
    /// The fast path for plain records, and its cell buffers.
    plain: plain::Splitter,
    plain_out: Vec<u8>,
    plain_ends: Vec<usize>,
    /// The last record was split by the fast path: `csv` must be reset to a
    /// record start before it reads again.
    csv_stale: bool,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    line_byte: u8,
    /// Line number at the current input position.
    line: u64,
    in_content: bool,
    rec_line: u64,
    prev_end_line: u64,
    blank_lines: u64,
    header_line: u64,
    map: ColumnMap,
    normalized_header: Vec<String>,
    /// File columns of the fields that identify a row (key dimensions).
    key_dims: Vec<usize>,
    /// File columns of all dimension fields and of all measures.
    dims: Vec<usize>,
    measures: Vec<usize>,
    data: KindData,
    conv: ConventionState,
    delimiter: &'static str,
    pending: Vec<Pending>,
    non_utf8_rows: u64,
    first_non_utf8: Option<u64>,
    failed: bool,
    /// The input has ended (the decoder and csv reader are flushed).
    ended: bool,
}

impl Body {
    fn new(head: &Head, map: ColumnMap, data: KindData) -> Body {
        let schema = head.kind.schema();
        let mut key_dims = Vec::new();
        let mut dims = Vec::new();
        let mut measures = Vec::new();
        let mut date_cols = Vec::new();
        let mut number_cols = Vec::new();
        for (field, col) in schema.fields.iter().zip(&map.by_field) {
            let Some(col) = *col else { continue };
            if field.ty.is_dimension() {
                dims.push(col);
                if field.key {
                    key_dims.push(col);
                }
            } else {
                measures.push(col);
            }
            match field.ty {
                FieldType::Date | FieldType::DateTime => date_cols.push(col),
                FieldType::Count | FieldType::Decimal | FieldType::Percent | FieldType::Fraction => {
                    number_cols.push(col)
                }
                FieldType::Text => {}
            }
        }
        let decoder =
            if head.encoding == UTF_8 { None } else { Some(head.encoding.new_decoder_without_bom_handling()) };
        Body::start(Layout {
            decoder,
            plain: plain::Splitter::new(head.delimiter),
            line_byte: if head.cr_only { b'\r' } else { b'\n' },
            header_line: head.header_line,
            normalized_header: map.header.iter().map(|h| normalize(h)).collect(),
            map,
            key_dims,
            dims,
            measures,
            data,
            conv: ConventionState {
                decimal: None,
                order: None,
                decimal_ambiguous: None,
                date_ambiguous: None,
                default_decimal: if head.delimiter == b';' { DecimalMark::Comma } else { DecimalMark::Point },
                date_cols,
                number_cols,
            },
            delimiter: delimiter_name(head.delimiter),
        })
    }

    /// A body for a later range of the same file: the same header, columns
    /// and (decided) conventions, lines counted from 1, no rows yet.
    fn sibling(&self) -> Body {
        Body::start(Layout {
            decoder: None,
            plain: self.plain.clone(),
            line_byte: self.line_byte,
            header_line: 0,
            map: self.map.clone(),
            normalized_header: self.normalized_header.clone(),
            key_dims: self.key_dims.clone(),
            dims: self.dims.clone(),
            measures: self.measures.clone(),
            data: KindData::new(self.data.kind()),
            conv: self.conv.clone(),
            delimiter: self.delimiter,
        })
    }

    /// A body reading the file laid out as `l` says, from a record start at line 1.
    fn start(l: Layout) -> Body {
        Body {
            decoder: l.decoder,
            scratch: Vec::new(),
            csv: csv_core::ReaderBuilder::new().delimiter(l.plain.delimiter()).build(),
            plain: l.plain,
            plain_out: Vec::new(),
            plain_ends: Vec::new(),
            csv_stale: false,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            line_byte: l.line_byte,
            line: 1,
            in_content: false,
            rec_line: 1,
            prev_end_line: 0,
            blank_lines: 0,
            header_line: l.header_line,
            map: l.map,
            normalized_header: l.normalized_header,
            key_dims: l.key_dims,
            dims: l.dims,
            measures: l.measures,
            data: l.data,
            conv: l.conv,
            delimiter: l.delimiter,
            pending: Vec::new(),
            non_utf8_rows: 0,
            first_non_utf8: None,
            failed: false,
            ended: false,
        }
    }

    /// Transcodes (when needed) and parses raw bytes.
    fn feed_raw(&mut self, input: &[u8], last: bool, report: &mut FileReport) {
        if self.ended {
            return;
        }
        self.ended = last;
        let Some(mut decoder) = self.decoder.take() else {
            self.feed(input, report);
            if last {
                self.end(report);
            }
            return;
        };
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.resize(64 * 1024, 0);
        let mut input = input;
        loop {
            let (res, read, written, _) = decoder.decode_to_utf8(input, &mut scratch, last);
            input = &input[read..];
            self.feed(&scratch[..written], report);
            if res == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        self.scratch = scratch;
        self.decoder = Some(decoder);
        if last {
            self.end(report);
        }
    }

    /// Parses UTF-8 (or UTF-8-like) bytes.
    fn feed(&mut self, input: &[u8], report: &mut FileReport) {
        if !input.is_empty() {
            self.parse(input, false, report);
        }
    }

    /// Ends the input: the last record may lack a line break.
    fn end(&mut self, report: &mut FileReport) {
        self.parse(&[], true, report);
    }

    fn parse(&mut self, mut input: &[u8], at_end: bool, report: &mut FileReport) {
        if self.failed {
            return;
        }
        loop {
            // At a record start, a plain record is split without csv_core (same cells).
            while !self.in_content {
                let mut out = std::mem::take(&mut self.plain_out);
                let mut ends = std::mem::take(&mut self.plain_ends);
                let split = self.plain.split(input, &mut out, &mut ends);
                if let Some(split) = split {
                    // No line break inside: the record starts on the current line.
                    self.rec_line = self.line;
                    self.line += count_byte(self.line_byte, &input[split.consumed.saturating_sub(2)..split.consumed]);
                    input = &input[split.consumed..];
                    self.csv_stale = true;
                    self.on_record(&out[..split.len], &ends, split.ascii, report);
                }
                self.plain_out = out;
                self.plain_ends = ends;
                if split.is_none() {
                    break;
                }
            }
            if std::mem::take(&mut self.csv_stale) {
                self.csv.reset();
            }
            let (res, nin, nout, nend) =
                self.csv.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.ends_len..]);
            self.track_lines(&input[..nin]);
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if input.is_empty() && !at_end {
                        return;
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        self.failed = true;
                        report.error =
                            Some(FileError::UnclosedQuote { line: self.rec_line, limit_kib: MAX_RECORD_BYTES / 1024 });
                        return;
                    }
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let (out, ends) = (std::mem::take(&mut self.out), std::mem::take(&mut self.ends));
                    self.on_record(&out[..self.out_len], &ends[..self.ends_len], false, report);
                    (self.out, self.ends) = (out, ends);
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.in_content = false;
                }
                ReadRecordResult::End => return,
            }
        }
    }

    /// Advances line numbers over consumed bytes and notes where a record's content starts.
    fn track_lines(&mut self, bytes: &[u8]) {
        let nl = self.line_byte;
        let mut rest = bytes;
        if !self.in_content {
            let skip = rest.iter().position(|&b| b != b'\r' && b != b'\n').unwrap_or(rest.len());
            self.line += count_byte(nl, &rest[..skip]);
            rest = &rest[skip..];
            if !rest.is_empty() {
                self.in_content = true;
                self.rec_line = self.line;
            }
        }
        self.line += count_byte(nl, rest);
    }

    /// One record: its cell bytes and cell ends; `ascii` when the caller knows
    /// every byte is ASCII (and so the record holds no line break).
    fn on_record(&mut self, out: &[u8], ends: &[usize], ascii: bool, report: &mut FileReport) {
        let line = self.rec_line;
        let embedded = if ascii { 0 } else { count_byte(self.line_byte, out) };
        if line > self.prev_end_line + 1 && self.prev_end_line >= self.header_line {
            self.blank_lines += line - self.prev_end_line - 1;
        }
        self.prev_end_line = line + embedded;
        if line <= self.header_line {
            // The preamble (noted when the header was found) and the header row itself.
            return;
        }
        report.rows += 1;
        // Valid UTF-8 with every cell boundary on a character boundary (two cells can
        // hold the halves of one character once csv-core drops the delimiter between them).
        let valid = if ascii {
            // Every offset into ASCII text is a character boundary.
            std::str::from_utf8(out).ok()
        } else {
            std::str::from_utf8(out).ok().filter(|s| ends.iter().all(|&e| s.is_char_boundary(e)))
        };
        let (text, ends): (Cow<str>, Cow<[usize]>) = match valid {
            Some(s) => (Cow::Borrowed(s), Cow::Borrowed(ends)),
            None => {
                // A UTF-8 file with a stray Windows-1252 byte: read those cells as Windows-1252.
                self.non_utf8_rows += 1;
                self.first_non_utf8.get_or_insert(line);
                let mut text = String::with_capacity(out.len());
                let mut new_ends = Vec::with_capacity(ends.len());
                let mut start = 0;
                for &end in ends {
                    let cell = &out[start..end];
                    match std::str::from_utf8(cell) {
                        Ok(s) => text.push_str(s),
                        Err(_) => text.push_str(&WINDOWS_1252.decode_without_bom_handling(cell).0),
                    }
                    new_ends.push(text.len());
                    start = end;
                }
                (Cow::Owned(text), Cow::Owned(new_ends))
            }
        };
        if embedded > 0 && ends.len() < self.map.header.len() {
            // A quote opened on this line and never closed swallowed the lines after it.
            let swallowed: Vec<u64> = text
                .split(self.line_byte as char)
                .enumerate()
                .skip(1)
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, _)| line + i as u64)
                .collect();
            let after = match swallowed.len() {
                1 => "the line after it is".to_string(),
                n => format!("the {n} lines after it are"),
            };
            report.reject(Problem::row(
                line,
                format!("a quoted value opened on this line is never closed; {after} inside it and not read"),
            ));
            for l in swallowed {
                report.rows += 1;
                report.reject(Problem::row(l, format!("inside the unclosed quote from line {line}; not read")));
            }
            return;
        }
        if let Some(reason) = self.structural_problem(&text, &ends) {
            report.reject(Problem::row(line, reason));
            return;
        }
        if !self.conv.decided() {
            let probe = Record::new(line, &text, &ends, &self.map, self.conv.conventions());
            self.conv.observe(line, |c| probe.cell(c).to_string());
            self.pending.push(Pending { line, text: text.into_owned(), ends: ends.into_owned() });
            if self.conv.decided() || self.pending.len() >= MAX_PENDING_ROWS {
                self.flush_pending(report);
            }
            return;
        }
        let rec = Record::new(line, &text, &ends, &self.map, self.conv.conventions());
        use_row(&mut self.data, &rec, report);
    }

    /// Decides the conventions (with defaults if still open) and parses waiting rows.
    fn flush_pending(&mut self, report: &mut FileReport) {
        // From here on the conventions are fixed: what is still undecided keeps its
        // default, and later rows that contradict it are rejected, never re-read.
        let conv = self.conv.conventions();
        self.conv.number_cols.clear();
        self.conv.date_cols.clear();
        for p in std::mem::take(&mut self.pending) {
            let rec = Record::new(p.line, &p.text, &p.ends, &self.map, conv);
            use_row(&mut self.data, &rec, report);
        }
    }

    /// Why a record is not a data row, if it is not.
    fn structural_problem(&self, text: &str, ends: &[usize]) -> Option<String> {
        // Runs on every row of multi-gigabyte files: no allocation unless a problem is found.
        let rec = Record::new(0, text, ends, &self.map, self.conv.conventions());
        let width = self.map.header.len();
        let bytes = text.as_bytes();
        // Nearly every row: its first two cells start with a visible character
        // and it is no wider than the header. Then the first cell is the first
        // filled one, at least two are filled and none is past the header, and
        // the cells are counted only if the row could be a repeated header.
        let quick = ends.len() >= 2
            && ends.len() <= width
            && starts_visible(bytes, 0, ends[0])
            && starts_visible(bytes, ends[0], ends[1]);
        let (filled, first, last) = if quick { (2, 0, 0) } else { filled_cells(&rec, bytes, ends) };
        // A repeated header row repeats its first cell too: only then compare them all.
        let header_like = if first < width && normalized_eq(rec.cell(first), &self.normalized_header[first]) {
            (0..rec.len().min(width)).filter(|&c| normalized_eq(rec.cell(c), &self.normalized_header[c])).count()
        } else {
            0
        };
        let filled = if quick && header_like > 0 { filled_cells(&rec, bytes, ends).0 } else { filled };
        if filled == 0 {
            return Some("empty row".to_string());
        }
        if filled == 1 && width > 2 {
            return Some(format!("not a data row: a single value \"{}\" (a note or footer?)", clip(rec.cell(first))));
        }
        if header_like * 2 > filled {
            return Some("repeated header row".to_string());
        }
        if last >= width {
            return Some(format!(
                "row has {} values, the header has {width} columns (a delimiter inside an unquoted value?)",
                rec.len().max(last + 1)
            ));
        }
        // A totals label sits in the first filled cell or in a dimension column.
        for c in std::iter::once(first).chain(self.dims.iter().copied()) {
            if may_be_totals_label(text, ends, c) && is_totals_label(rec.cell(c)) {
                return Some(format!(
                    "totals row (\"{}\" in column \"{}\"), not summed",
                    rec.cell(c),
                    self.map.header[c]
                ));
            }
        }
        let dims_empty = !self.key_dims.is_empty() && self.key_dims.iter().all(|&c| rec.cell(c).is_empty());
        if dims_empty && self.measures.iter().any(|&c| !rec.cell(c).is_empty()) {
            return Some(
                "looks like a totals row: identifying columns are empty but measures are filled; not summed"
                    .to_string(),
            );
        }
        None
    }

    fn finish(mut self: Box<Self>, report: &mut FileReport) -> Option<KindData> {
        self.flush_pending(report);
        // The rows know better than the header (a monthly file may say "Week End").
        report.label = self.data.label(&self.map, &report.name);
        report.periods = self.data.periods();
        report.notes.extend(self.conv.notes(self.delimiter));
        match self.blank_lines {
            0 => {}
            1 => report.notes.push("1 blank line skipped".to_string()),
            n => report.notes.push(format!("{n} blank lines skipped")),
        }
        if self.non_utf8_rows > 0 {
            let rows = match self.non_utf8_rows {
                1 => "1 row".to_string(),
                n => format!("{n} rows"),
            };
            report.notes.push(format!(
                "{rows} (first on line {}) had bytes that are not UTF-8; those cells were read as Windows-1252",
                self.first_non_utf8.unwrap_or(0)
            ));
        }
        if report.rows == 0 && report.error.is_none() {
            report.notes.push("the file has a header but no data rows".to_string());
        }
        Some(self.data)
    }
}

/// Hands a row to its kind: used, or rejected with the kind's problem. A row
/// with more cells than the header (the extra ones empty) is accepted when it
/// parses (a trailing delimiter); when it does not, the extra cell is the
/// likelier cause (an unquoted delimiter shifted the values), so say that.
fn use_row(data: &mut KindData, rec: &Record, report: &mut FileReport) {
    match data.push(rec) {
        Ok(()) => report.used += 1,
        Err(p) => {
            let width = rec.width();
            let p = if rec.len() > width {
                Problem::row(
                    rec.line(),
                    format!(
                        "row has {} values, the header has {width} columns (a delimiter inside an unquoted value?)",
                        rec.len()
                    ),
                )
            } else {
                p
            };
            report.reject(p);
        }
    }
}

/// How many times `b` occurs in `bytes`.
fn count_byte(b: u8, bytes: &[u8]) -> u64 {
    // Per 32-byte block, summed in u8 lanes: vectorizes without widening every
    // byte to u64 (about 4x the plain filter-count on ~270-byte rows).
    let mut chunks = bytes.chunks_exact(32);
    let mut n = 0u64;
    for c in &mut chunks {
        n += u64::from(c.iter().fold(0u8, |acc, &x| acc + u8::from(x == b)));
    }
    n + chunks.remainder().iter().filter(|&&x| x == b).count() as u64
}

/// `normalize(cell) == normalized`, without allocating.
fn normalized_eq(cell: &str, normalized: &str) -> bool {
    if cell.is_ascii() {
        // The same walk over bytes: ASCII letters lower-case to one letter.
        let mut want = normalized.bytes();
        for c in cell.bytes() {
            if c == b'#' {
                if !b"number".iter().all(|&n| want.next() == Some(n)) {
                    return false;
                }
            } else if c.is_ascii_alphanumeric() && want.next() != Some(c.to_ascii_lowercase()) {
                return false;
            }
        }
        return want.next().is_none();
    }
    normalized_eq_chars(cell, normalized)
}

/// [`normalized_eq`] for any text.
fn normalized_eq_chars(cell: &str, normalized: &str) -> bool {
    let mut want = normalized.chars();
    for c in cell.chars() {
        if c == '#' {
            if !"number".chars().all(|n| want.next() == Some(n)) {
                return false;
            }
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                if want.next() != Some(l) {
                    return false;
                }
            }
        }
    }
    want.next().is_none()
}

/// Whether the cell `start..end` of `bytes` begins with a visible ASCII character
/// (then it is not empty, trimmed or not).
fn starts_visible(bytes: &[u8], start: usize, end: usize) -> bool {
    end > start && bytes.get(start).is_some_and(u8::is_ascii_graphic)
}

/// (filled cells, first filled, last filled) of a record whose cells end at `ends`.
fn filled_cells(rec: &Record, bytes: &[u8], ends: &[usize]) -> (usize, usize, usize) {
    let (mut filled, mut first, mut last) = (0usize, 0usize, 0usize);
    let mut start = 0;
    for (c, &end) in ends.iter().enumerate() {
        // Most cells are empty or start with a visible ASCII character:
        // only the others need trimming to tell.
        let empty = !starts_visible(bytes, start, end) && rec.cell(c).is_empty();
        start = end;
        if empty {
            continue;
        }
        if filled == 0 {
            first = c;
        }
        filled += 1;
        last = c;
    }
    (filled, first, last)
}

/// Whether cell `c` of a record could be a totals label, from its first raw
/// (untrimmed) byte: one that starts like a label, or a space or non-ASCII
/// byte that trimming may remove.
#[inline]
fn may_be_totals_label(text: &str, ends: &[usize], c: usize) -> bool {
    let Some(&end) = ends.get(c) else { return false };
    let start = if c == 0 { 0 } else { ends[c - 1] };
    match text.as_bytes().get(start) {
        Some(&b) if start < end => !b.is_ascii_graphic() || starts_a_totals_label(b),
        _ => false,
    }
}

/// Every totals label starts with t, g, s or o.
fn starts_a_totals_label(b: u8) -> bool {
    matches!(b.to_ascii_lowercase(), b't' | b'g' | b's' | b'o')
}

/// Whether a cell is a totals label (`Total`, `Grand Total`, `Sum`, ...).
fn is_totals_label(cell: &str) -> bool {
    // Cheap first: every label starts with t, g, s or o and is short.
    cell.as_bytes().first().is_some_and(|&b| starts_a_totals_label(b))
        && cell.len() <= 16
        && match ascii_letters_and_digits(cell) {
            // Runs on every dimension cell of every row: one pass, then six short compares.
            Some((buf, n)) => TOTALS_LABELS.iter().any(|t| t.as_bytes() == &buf[..n]),
            None => TOTALS_LABELS.iter().any(|t| normalized_eq(cell, t)),
        }
}

/// What [`is_totals_label`] looks for, normalized.
const TOTALS_LABELS: [&str; 6] = ["total", "totals", "grandtotal", "subtotal", "sum", "overalltotal"];

/// The lower-cased letters and digits of a short ASCII cell without `#` (its
/// normalized form); `None` for any other cell.
fn ascii_letters_and_digits(cell: &str) -> Option<([u8; 16], usize)> {
    let (mut buf, mut n) = ([0u8; 16], 0);
    for c in cell.bytes() {
        if !c.is_ascii() || c == b'#' || n == buf.len() {
            return None;
        }
        if c.is_ascii_alphanumeric() {
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    Some((buf, n))
}

fn clip(s: &str) -> Cow<'_, str> {
    if s.chars().count() > 60 {
        Cow::Owned(format!("{}…", s.chars().take(60).collect::<String>()))
    } else {
        Cow::Borrowed(s)
    }
}

/// Ingests a whole file held in memory (tests, small files).
pub fn ingest_bytes(name: &str, bytes: &[u8]) -> IngestedFile {
    let mut ing = Ingest::new(name);
    ing.push(bytes);
    ing.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_comparison_matches_normalize() {
        for (cell, header) in
            [("Offer Id", "OFFER_ID"), ("Total # of Streams", "total number of streams"), ("Ä-b", "ä b")]
        {
            assert!(normalized_eq(cell, &normalize(header)), "{cell}");
        }
        assert!(!normalized_eq("Offer", &normalize("Offer ID")));
        assert!(!normalized_eq("Offer IDs", &normalize("Offer ID")));
        for (cell, want) in
            [("Total", "total"), ("ÄB", "äb"), ("Ab", "äb"), ("#", "number"), ("a#", "anumbe"), ("x", "")]
        {
            assert_eq!(normalized_eq(cell, want), normalized_eq_chars(cell, want), "{cell}");
        }
        assert_eq!(count_byte(b'\n', b"a\nb\n\nc"), 3);
        assert!(is_totals_label("Grand Total"));
        assert!(is_totals_label("TOTAL"));
        assert!(!is_totals_label("Total Recall"));
        assert!(is_totals_label("Sub-Total"));
        assert!(is_totals_label("Grand Total:"));
        assert!(is_totals_label("Överall Total") == normalized_eq("Överall Total", "overalltotal"));
        assert!(!is_totals_label("Smart TV"));
        assert!(!is_totals_label("Total #"));
    }
}
