//! Finding the header row, its delimiter, and the report kind it belongs to.
//!
//! Recognition uses the header alone: a kind is a candidate when every one of
//! its key columns is present (under any known spelling); among candidates the
//! one that explains the most columns wins. When none qualifies, the nearest
//! kind and its missing key columns are named so the user knows what is wrong.

use crate::schema::{normalize, Kind, Schema};
use serde::Serialize;

/// Delimiters slatelens accepts, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b'\t', b';', b'|', b','];

/// Picks the delimiter of one header line: the candidate that occurs most
/// often outside quotes. `None` when the line has none of them.
pub fn sniff_delimiter(line: &str) -> Option<u8> {
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                counts[i] += 1;
            }
        }
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|&(i, n)| (*n, usize::MAX - i))?;
    (n > 0).then_some(DELIMITERS[best])
}

/// Splits one line on `delimiter`, honouring double quotes.
pub fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    let mut rdr = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = line.trim_end_matches(['\r', '\n']).to_string().into_bytes();
    input.push(b'\n');
    let mut out = vec![0u8; input.len()];
    let mut ends = vec![0usize; input.len() + 1];
    let (res, _, nout, nend) = rdr.read_record(&input, &mut out, &mut ends);
    if res != csv_core::ReadRecordResult::Record {
        return vec![line.to_string()];
    }
    let mut start = 0;
    ends[..nend]
        .iter()
        .map(|&end| {
            let cell = String::from_utf8_lossy(&out[start..end.min(nout)]).into_owned();
            start = end;
            cell
        })
        .collect()
}

/// Which column of the file holds each field of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// `by_field[i]` is the file column holding schema field `i`, if any.
    pub by_field: Vec<Option<usize>>,
    /// Header cells of the file, as written (trimmed).
    pub header: Vec<String>,
}

impl ColumnMap {
    /// Matches a header against a schema by normalised name.
    pub fn build(schema: &Schema, header: &[String]) -> ColumnMap {
        let normalized: Vec<String> = header.iter().map(|h| normalize(h)).collect();
        let by_field = schema
            .fields
            .iter()
            .map(|field| {
                std::iter::once(&field.name)
                    .chain(field.aliases)
                    .map(|n| normalize(n))
                    .find_map(|n| normalized.iter().position(|h| *h == n))
            })
            .collect();
        ColumnMap { by_field, header: header.iter().map(|h| crate::ingest::value::trim(h).to_string()).collect() }
    }

    /// Columns of the file that no field uses (kept, and ignored).
    pub fn unused(&self) -> Vec<&str> {
        (0..self.header.len())
            .filter(|c| !self.by_field.contains(&Some(*c)) && !self.header[*c].is_empty())
            .map(|c| self.header[c].as_str())
            .collect()
    }
}

/// How well a header fits one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fit {
    /// The kind.
    pub kind: Kind,
    /// Key columns of the kind that the header has.
    pub keys_found: usize,
    /// Key columns of the kind.
    pub keys_total: usize,
    /// All columns of the kind that the header has.
    pub fields_found: usize,
    /// Key columns the header lacks, by their guide names.
    pub missing: Vec<&'static str>,
}

impl Fit {
    fn of(kind: Kind, header: &[String]) -> Fit {
        let schema = kind.schema();
        let map = ColumnMap::build(schema, header);
        let mut missing = Vec::new();
        let mut keys_found = 0;
        let mut keys_total = 0;
        for (field, col) in schema.fields.iter().zip(&map.by_field) {
            if field.key {
                keys_total += 1;
                match col {
                    Some(_) => keys_found += 1,
                    None => missing.push(field.name),
                }
            }
        }
        let fields_found = map.by_field.iter().filter(|c| c.is_some()).count();
        Fit { kind, keys_found, keys_total, fields_found, missing }
    }

    /// Whether every key column is present.
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The kind a header belongs to, or the nearest one with what it lacks.
pub fn recognize(header: &[String]) -> Result<Kind, Fit> {
    let fits: Vec<Fit> = Kind::ALL.iter().map(|&k| Fit::of(k, header)).collect();
    if let Some(best) = fits.iter().filter(|f| f.complete()).max_by_key(|f| (f.keys_total, f.fields_found)) {
        return Ok(best.kind);
    }
    // Nearest: the largest share of key columns found, then the most columns.
    let nearest = fits
        .into_iter()
        .max_by(|a, b| {
            (a.keys_found * b.keys_total).cmp(&(b.keys_found * a.keys_total)).then(a.fields_found.cmp(&b.fields_found))
        })
        .expect("there is at least one kind");
    Err(nearest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> Vec<String> {
        split_line(s, sniff_delimiter(s).unwrap())
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a,b,c"), Some(b','));
        assert_eq!(sniff_delimiter("a;b;\"c,d\""), Some(b';'));
        assert_eq!(sniff_delimiter("a\tb\tc,d"), Some(b'\t'));
        assert_eq!(sniff_delimiter("a|b|c"), Some(b'|'));
        assert_eq!(sniff_delimiter("abc"), None);
        assert_eq!(cells("\"Offer, ID\";Report Start"), vec!["Offer, ID", "Report Start"]);
    }

    #[test]
    fn every_kind_is_recognised_from_its_guide_header() {
        for kind in Kind::ALL {
            let header: Vec<String> = kind.schema().fields.iter().map(|f| f.name.to_string()).collect();
            assert_eq!(recognize(&header), Ok(kind), "{kind:?}");
            let keys: Vec<String> = kind.schema().fields.iter().filter(|f| f.key).map(|f| f.name.to_string()).collect();
            assert_eq!(recognize(&keys), Ok(kind), "{kind:?} from key columns only");
        }
    }

    #[test]
    fn drifted_spellings_are_recognised() {
        let h = cells("report year,REPORT START,Report_End,Offer Id,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Week End Subscriptions,New Subscriptions,Canceled Subscriptions,AR Off Subscriptions,My own column");
        assert_eq!(recognize(&h), Ok(Kind::Subscriptions));
        let map = ColumnMap::build(Kind::Subscriptions.schema(), &h);
        assert_eq!(map.unused(), vec!["My own column"]);
    }

    #[test]
    fn unknown_header_names_the_nearest_kind() {
        let h = cells("Report Start,Report End,Offer ID,Subscription Category,New Subscriptions");
        let fit = recognize(&h).unwrap_err();
        assert_eq!(fit.kind, Kind::Subscriptions);
        assert_eq!(fit.missing, vec!["Month End Subscriptions", "Cancelled Subscriptions"]);
    }
}
