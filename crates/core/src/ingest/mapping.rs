//! Column mappings: a person's own answer to "which column is which field",
//! for report layouts the header aliases in [`crate::schema`] do not know.
//!
//! A [`Mapping`] names a kind, the (normalised) header it applies to, and for
//! each field the column that holds it. [`Ingest::with_mappings`](super::Ingest::with_mappings)
//! reads a file whose header equals a mapping's header with that mapping
//! instead of recognition. As JSON (the file the page exports and the CLI's
//! `--mapping` reads) it is small and versioned:
//!
//! ```json
//! {"slatelens_mapping": 1, "kind": "earnings",
//!  "header": ["programme", "rankpct", "country", "month", "hrs"],
//!  "fields": {"CER": "Rank pct", "Title": "Programme", "Hours Streamed": "Hrs"}}
//! ```
//!
//! [`suggest`] proposes a mapping for the mapping step: by name similarity
//! (names and aliases, compared token by token, abbreviations allowed) and by
//! the shape of the first rows' values (dates, numbers, percentages, IDs, text).

use super::header::ColumnMap;
use super::value::{self, DateOrder, DecimalMark};
use crate::schema::{normalize, FieldType, Kind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version written in (and required of) mapping files.
pub const MAPPING_VERSION: u32 = 1;

/// Which column holds each field of a kind, for files with one exact header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Always [`MAPPING_VERSION`]; marks the JSON as a slatelens mapping.
    pub slatelens_mapping: u32,
    /// The kind the file is read as.
    pub kind: Kind,
    /// The header the mapping applies to, each cell [`normalize`]d.
    pub header: Vec<String>,
    /// Field name (guide spelling) to the column name as the file writes it.
    pub fields: BTreeMap<String, String>,
}

impl Mapping {
    /// A mapping of `kind` for files with `header` (cells as written).
    pub fn new(kind: Kind, header: &[String], fields: BTreeMap<String, String>) -> Mapping {
        Mapping {
            slatelens_mapping: MAPPING_VERSION,
            kind,
            header: header.iter().map(|h| normalize(h)).collect(),
            fields,
        }
    }

    /// Reads a mapping file; the error says what is wrong (the caller names the file).
    pub fn from_json(json: &str) -> Result<Mapping, String> {
        let m: Mapping = serde_json::from_str(json).map_err(|e| format!("not a slatelens mapping ({e})"))?;
        if m.slatelens_mapping != MAPPING_VERSION {
            return Err(format!(
                "mapping version {} is not supported (this slatelens reads version {MAPPING_VERSION})",
                m.slatelens_mapping
            ));
        }
        let schema = m.kind.schema();
        if let Some(f) = m.fields.keys().find(|f| schema.index_of(f).is_none()) {
            return Err(format!("\"{f}\" is not a field of {}", m.kind.label()));
        }
        let header: Vec<&str> = m.header.iter().map(String::as_str).collect();
        if let Some(c) = m.fields.values().find(|c| !header.contains(&normalize(c).as_str())) {
            return Err(format!("column \"{c}\" is not in the mapping's header"));
        }
        Ok(m)
    }

    /// The mapping as pretty JSON, for a file.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether a header (cells as written) is the one this mapping is for.
    pub fn applies_to(&self, header: &[String]) -> bool {
        self.header.len() == header.len() && self.header.iter().zip(header).all(|(m, h)| normalize(m) == normalize(h))
    }

    /// The columns of `header` (cells as written) that hold each field of the kind.
    pub fn column_map(&self, header: &[String]) -> ColumnMap {
        let normalized: Vec<String> = header.iter().map(|h| normalize(h)).collect();
        let by_field = self
            .kind
            .schema()
            .fields
            .iter()
            .map(|f| {
                let col = normalize(self.fields.get(f.name)?);
                normalized.iter().position(|h| *h == col)
            })
            .collect();
        ColumnMap { by_field, header: header.iter().map(|h| value::trim(h).to_string()).collect() }
    }
}

/// What the values of a column look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Dates (or date-times).
    Date,
    /// Numbers.
    Number,
    /// Numbers with a percent sign.
    Percent,
    /// One token of letters and digits (`B07XYZ1234`).
    Id,
    /// Anything else.
    Text,
    /// No values in the sample.
    Empty,
}

/// The shape of one cell.
pub fn cell_shape(cell: &str) -> Shape {
    let t = value::trim(cell);
    if t.is_empty() {
        return Shape::Empty;
    }
    if t.ends_with('%') && value::parse_decimal(t, DecimalMark::Point).is_ok() {
        return Shape::Percent;
    }
    if value::parse_decimal(t, DecimalMark::Point).is_ok() || value::parse_decimal(t, DecimalMark::Comma).is_ok() {
        return Shape::Number;
    }
    if value::parse_datetime(t, DateOrder::MonthFirst).is_ok() || value::parse_datetime(t, DateOrder::DayFirst).is_ok()
    {
        return Shape::Date;
    }
    let alnum = t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if alnum && t.len() >= 6 && t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_ascii_alphabetic()) {
        return Shape::Id;
    }
    Shape::Text
}

/// The shape most of a column's non-empty sample cells have.
pub fn column_shape<'a>(cells: impl IntoIterator<Item = &'a str>) -> Shape {
    let mut counts: BTreeMap<u8, (usize, Shape)> = BTreeMap::new();
    for s in cells.into_iter().map(cell_shape).filter(|s| *s != Shape::Empty) {
        counts.entry(s as u8).or_insert((0, s)).0 += 1;
    }
    counts.values().max_by_key(|(n, s)| (*n, std::cmp::Reverse(*s as u8))).map_or(Shape::Empty, |(_, s)| *s)
}

/// Whether values of `shape` can be read as `ty`.
fn fits(ty: FieldType, shape: Shape) -> bool {
    use FieldType::*;
    match shape {
        Shape::Empty => true,
        Shape::Date => matches!(ty, Date | DateTime | Text),
        Shape::Number => matches!(ty, Count | Decimal | Percent | Fraction | Text),
        Shape::Percent => matches!(ty, Decimal | Percent | Fraction),
        Shape::Id | Shape::Text => ty == Text,
    }
}

/// The column proposed for one field of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guess {
    /// The field (guide spelling).
    pub field: String,
    /// Whether the kind needs it (a key column).
    pub required: bool,
    /// The column proposed (as written), if any fits.
    pub column: Option<String>,
}

/// Words of a name: lowercase runs of letters or digits (`#` is "number").
fn tokens(name: &str) -> Vec<String> {
    name.replace('#', " number ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How alike two words are: 1 equal, 0.8 one starts the other, 0.7 an
/// abbreviation (`hrs` of `hours`, `pct` of `percent`), else 0.
fn token_score(a: &str, b: &str) -> f32 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short == long {
        return 1.0;
    }
    if short.len() >= 2 && long.starts_with(short) {
        return 0.8;
    }
    let mut rest = long.chars();
    let abbreviation = short.len() >= 2
        && short.chars().next() == long.chars().next()
        && short.chars().all(|c| rest.by_ref().any(|l| l == c));
    if abbreviation {
        0.7
    } else {
        0.0
    }
}

/// How alike a column name and a field name are, 0 to 1 (1: the same after [`normalize`]).
fn name_score(column: &str, name: &str) -> f32 {
    if normalize(column) == normalize(name) {
        return 1.0;
    }
    let (c, n) = (tokens(column), tokens(name));
    if c.is_empty() || n.is_empty() {
        return 0.0;
    }
    let sum: f32 = c.iter().map(|ct| n.iter().map(|nt| token_score(ct, nt)).fold(0.0, f32::max)).sum();
    // Below 1 whatever the overlap: an exact spelling always wins.
    0.95 * sum / c.len().max(n.len()) as f32
}

/// Proposes a column for every field of `kind`, given the header (as written)
/// and the first data rows. A column is proposed for at most one field.
/// Names decide first (a name that fits at least 0.3, and values whose shape
/// fits the field); then each required field still open takes the first free
/// column whose values fit it.
pub fn suggest(kind: Kind, header: &[String], sample: &[Vec<String>]) -> Vec<Guess> {
    let fields = kind.schema().fields;
    let shapes: Vec<Shape> =
        (0..header.len()).map(|c| column_shape(sample.iter().map(|r| r.get(c).map_or("", String::as_str)))).collect();
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for (fi, f) in fields.iter().enumerate() {
        for (c, h) in header.iter().enumerate() {
            if value::trim(h).is_empty() || !fits(f.ty, shapes[c]) {
                continue;
            }
            let score = std::iter::once(&f.name).chain(f.aliases).map(|n| name_score(h, n)).fold(0.0, f32::max);
            if score >= 0.3 {
                candidates.push((score, fi, c));
            }
        }
    }
    // Best score first; on a tie the earlier field, then the earlier column.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Option<usize>> = vec![None; fields.len()];
    let mut used = vec![false; header.len()];
    for (_, fi, c) in candidates {
        if chosen[fi].is_none() && !used[c] {
            chosen[fi] = Some(c);
            used[c] = true;
        }
    }
    for (fi, f) in fields.iter().enumerate().filter(|(_, f)| f.key) {
        if chosen[fi].is_some() {
            continue;
        }
        // Text fields take text columns only (not IDs, not empty ones), measures a number.
        let fallback = (0..header.len()).find(|&c| {
            !used[c]
                && !value::trim(&header[c]).is_empty()
                && shapes[c] != Shape::Empty
                && fits(f.ty, shapes[c])
                && (f.ty != FieldType::Text || shapes[c] == Shape::Text)
        });
        if let Some(c) = fallback {
            chosen[fi] = Some(c);
            used[c] = true;
        }
    }
    fields
        .iter()
        .zip(chosen)
        .map(|(f, c)| Guess {
            field: f.name.to_string(),
            required: f.key,
            column: c.map(|c| value::trim(&header[c]).to_string()),
        })
        .collect()
}

/// The kind to offer first for a header nobody recognised: the nearest by key columns.
pub fn nearest_kind(header: &[String]) -> Kind {
    match super::recognize(header) {
        Ok(k) => k,
        Err(fit) => fit.kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Ingest;
    use crate::kinds::KindData;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    const HEADER: &[&str] = &["Programme", "Rank pct", "Country", "Month", "Hrs"];

    fn sample() -> Vec<Vec<String>> {
        vec![
            strings(&["The Long Road", "92.5", "US", "2024-01-01", "1200.5"]),
            strings(&["Quiet Hills", "40", "GB", "2024-01-01", "310"]),
        ]
    }

    fn guessed(guesses: &[Guess], field: &str) -> Option<String> {
        guesses.iter().find(|g| g.field == field).and_then(|g| g.column.clone())
    }

    #[test]
    fn shapes_of_values() {
        assert_eq!(cell_shape("2024-01-31"), Shape::Date);
        assert_eq!(cell_shape("1/31/24"), Shape::Date);
        assert_eq!(cell_shape("1,258.5"), Shape::Number);
        assert_eq!(cell_shape("75.9%"), Shape::Percent);
        assert_eq!(cell_shape("B07XYZ1234"), Shape::Id);
        assert_eq!(cell_shape("The Long Road"), Shape::Text);
        assert_eq!(cell_shape(" "), Shape::Empty);
        assert_eq!(column_shape(["1", "", "2", "x"]), Shape::Number);
        assert_eq!(column_shape(["", ""]), Shape::Empty);
    }

    #[test]
    fn names_compare_by_tokens_and_abbreviations() {
        assert_eq!(name_score("Offer_Id", "Offer ID"), 1.0);
        // "hrs" abbreviates "hours", one of two tokens of "Hours Streamed": 0.95 * 0.7 / 2.
        assert!((name_score("Hrs", "Hours Streamed") - 0.3325).abs() < 1e-6);
        // "rank" equals, "pct" abbreviates "percentile": 0.95 * (1 + 0) / 2 against "CER Rank".
        assert!((name_score("Rank pct", "CER Rank") - 0.475).abs() < 1e-6);
        assert_eq!(name_score("Programme", "Title"), 0.0);
    }

    #[test]
    fn suggests_earnings_columns_by_name_and_shape() {
        let g = suggest(Kind::Earnings, &strings(HEADER), &sample());
        // By name: Country is an alias of Territory, Month is the field, "Rank pct" is like "CER Rank".
        assert_eq!(guessed(&g, "Territory").as_deref(), Some("Country"));
        assert_eq!(guessed(&g, "Month").as_deref(), Some("Month"));
        assert_eq!(guessed(&g, "CER").as_deref(), Some("Rank pct"));
        // By shape: the required Title takes the only free text column.
        assert_eq!(guessed(&g, "Title").as_deref(), Some("Programme"));
        // "Hrs" abbreviates "Hours" (0.3325, at least 0.3) and holds numbers.
        assert_eq!(guessed(&g, "Hours Streamed").as_deref(), Some("Hrs"));
        assert_eq!(guessed(&g, "Earnings"), None);
        assert!(g.iter().find(|x| x.field == "CER").is_some_and(|x| x.required));
        assert_eq!(g.len(), Kind::Earnings.schema().fields.len());
        assert_eq!(nearest_kind(&strings(HEADER)), Kind::Earnings);
    }

    #[test]
    fn shape_vetoes_a_name() {
        // "Month" holds text here: it is not proposed for the date field Month.
        let rows = vec![strings(&["A", "1", "US", "January", "2"])];
        let g = suggest(Kind::Earnings, &strings(HEADER), &rows);
        assert_eq!(guessed(&g, "Month"), None);
    }

    fn earnings_mapping() -> Mapping {
        let fields = [("CER", "Rank pct"), ("Title", "Programme"), ("Territory", "Country"), ("Hours Streamed", "Hrs")];
        Mapping::new(
            Kind::Earnings,
            &strings(HEADER),
            fields.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect(),
        )
    }

    const FILE: &str = "Programme,Rank pct,Country,Month,Hrs\n\
                        The Long Road,92.5,US,2024-01-01,\"1,200.5\"\n\
                        Quiet Hills,40,GB,2024-01-01,310\n";

    #[test]
    fn json_round_trips_and_is_checked() {
        let m = earnings_mapping();
        let json = m.to_json();
        assert!(json.contains("\"slatelens_mapping\": 1"), "{json}");
        assert!(json.contains("\"rankpct\""), "{json}");
        assert_eq!(Mapping::from_json(&json), Ok(m));
        assert!(Mapping::from_json("{}").unwrap_err().starts_with("not a slatelens mapping"));
        let v2 = json.replace("\"slatelens_mapping\": 1", "\"slatelens_mapping\": 2");
        assert!(Mapping::from_json(&v2).unwrap_err().contains("version 2"));
        let bad_field = json.replace("\"Hours Streamed\"", "\"Hours\"");
        assert_eq!(
            Mapping::from_json(&bad_field).unwrap_err(),
            "\"Hours\" is not a field of Prime Video Direct Earnings (CER)"
        );
        let bad_col = json.replace("\"Hrs\"", "\"Hours\"");
        assert_eq!(Mapping::from_json(&bad_col).unwrap_err(), "column \"Hours\" is not in the mapping's header");
    }

    fn read(bytes: &[u8], chunk: usize, mappings: &[Mapping]) -> crate::IngestedFile {
        let mut ing = Ingest::with_mappings("pvd.csv", mappings);
        for c in bytes.chunks(chunk) {
            ing.push(c);
        }
        ing.finish()
    }

    #[test]
    fn unknown_file_reports_header_and_sample() {
        let f = read(FILE.as_bytes(), FILE.len(), &[]);
        match f.report.error {
            Some(crate::FileError::UnknownKind { header, sample, .. }) => {
                assert_eq!(header, strings(HEADER));
                assert_eq!(
                    sample,
                    vec![
                        strings(&["The Long Road", "92.5", "US", "2024-01-01", "1,200.5"]),
                        strings(&["Quiet Hills", "40", "GB", "2024-01-01", "310"]),
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_mapping_reads_the_file_whatever_the_chunks() {
        for chunk in [1, 3, 7, 64, FILE.len()] {
            let f = read(FILE.as_bytes(), chunk, &[earnings_mapping()]);
            let r = &f.report;
            assert_eq!(r.kind, Some(Kind::Earnings), "chunk {chunk}");
            assert_eq!(r.error, None);
            assert_eq!((r.rows, r.used, r.rejected), (2, 2, 0), "chunk {chunk}");
            assert!(r.notes.iter().any(|n| n == "read with your mapping"), "{:?}", r.notes);
            // Month is not in the mapping: its column is kept and ignored.
            assert!(r.notes.iter().any(|n| n.contains("\"Month\"")), "{:?}", r.notes);
            let Some(KindData::Earnings(rows)) = &f.data else { panic!("{:?}", f.data) };
            assert_eq!(rows[0].title, "The Long Road");
            assert_eq!(rows[0].cer.to_string(), "92.5");
            assert_eq!(rows[0].territory.as_deref(), Some("US"));
            assert_eq!(rows[0].hours.map(|h| h.to_string()).as_deref(), Some("1200.5"));
            assert_eq!(rows[0].month, None);
            assert_eq!(rows[1].hours.map(|h| h.to_string()).as_deref(), Some("310"));
        }
    }

    #[test]
    fn a_mapping_for_another_header_is_not_used() {
        let mut m = earnings_mapping();
        m.header.pop();
        let f = read(FILE.as_bytes(), 5, &[m]);
        assert!(matches!(f.report.error, Some(crate::FileError::UnknownKind { .. })));
        // Header spelling drift (case, spaces) still matches.
        let drifted = FILE.replacen("Rank pct", "RANK_PCT", 1);
        let f = read(drifted.as_bytes(), 5, &[earnings_mapping()]);
        assert_eq!(f.report.used, 2);
    }
}
