//! Prime Video Direct earnings: one row per title (season, territory, month),
//! with its Customer Engagement Ranking (CER), a percentile from 0 to 100.
//!
//! Hours and minutes streamed are kept as read: neither is derived from the
//! other when one is empty. A month may be written as a date (`2024-03-01`,
//! `3/1/2024`) or as a month alone (`2024-03`, `Mar 2024`, `March 2024`).
//! When the file has no Currency column but its earnings header names one
//! (`Royalty (USD)`), that currency is the row's.

use crate::ingest::Record;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::EARNINGS`].
const CER: usize = 0;
const TITLE: usize = 1;
const SEASON: usize = 2;
const TERRITORY: usize = 3;
const MONTH: usize = 4;
const HOURS: usize = 5;
const MINUTES: usize = 6;
const EARNINGS: usize = 7;
const CURRENCY: usize = 8;
const ASIN: usize = 9;

/// One row of a Prime Video Direct earnings report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// Customer Engagement Ranking: a percentile, 0 to 100.
    pub cer: Decimal,
    /// Title name.
    pub title: String,
    /// Season, as written.
    pub season: Option<String>,
    /// Territory (marketplace, country or region).
    pub territory: Option<String>,
    /// The month (or period start) the row covers.
    pub month: Option<NaiveDate>,
    /// Hours Streamed.
    pub hours: Option<Decimal>,
    /// Minutes Streamed.
    pub minutes: Option<Decimal>,
    /// Earnings (royalty) amount, in `currency`.
    pub earnings: Option<Decimal>,
    /// Currency of the earnings.
    pub currency: Option<String>,
    /// The title's ASIN (or other title ID).
    pub asin: Option<String>,
}

/// Reads one record.
pub fn parse(rec: &Record) -> Result<Row, Problem> {
    let cer = rec.required_decimal(CER)?;
    if cer < Decimal::ZERO || cer > Decimal::ONE_HUNDRED {
        let mut p = rec.missing(CER);
        p.reason = format!("CER must be between 0 and 100, found \"{}\"", rec.text(CER).unwrap_or_default());
        return Err(p);
    }
    Ok(Row {
        line: rec.line(),
        cer,
        title: rec.required_text(TITLE)?.to_string(),
        season: rec.text(SEASON).map(str::to_string),
        territory: rec.text(TERRITORY).map(str::to_string),
        month: match rec.date(MONTH) {
            Ok(d) => d,
            Err(e) => Some(rec.text(MONTH).and_then(month_only).ok_or(e)?),
        },
        hours: rec.decimal(HOURS)?,
        minutes: rec.decimal(MINUTES)?,
        earnings: rec.decimal(EARNINGS)?,
        currency: match rec.text(CURRENCY) {
            Some(c) => Some(c.to_string()),
            None => currency_in_header(rec),
        },
        asin: rec.text(ASIN).map(str::to_string),
    })
}

/// A month written without a day: `2024-03`, `2024/03`, `Mar 2024`,
/// `March 2024`, `Mar-2024`; the first of that month.
pub fn month_only(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some((y, m)) = s.split_once(['-', '/']) {
        if y.len() == 4 && (1..=2).contains(&m.len()) {
            return NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1);
        }
    }
    let (name, year) = s.rsplit_once([' ', '-'])?;
    if year.len() != 4 {
        return None;
    }
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let m = (1..=12u32).find(|&m| {
        NaiveDate::from_ymd_opt(2000, m, 1).is_some_and(|d| {
            let full = d.format("%B").to_string().to_ascii_lowercase();
            name == full || name == full[..3]
        })
    })?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, m, 1)
}

/// The currency named in the earnings column's header (`Royalty (USD)` → `USD`).
fn currency_in_header(rec: &Record) -> Option<String> {
    let header = rec.column_name(EARNINGS);
    let inner = header.rsplit_once('(')?.1.strip_suffix(')')?.trim();
    (inner.len() == 3 && inner.bytes().all(|b| b.is_ascii_alphabetic())).then(|| inner.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::EARNINGS as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (CER, "CER"),
            (TITLE, "Title"),
            (SEASON, "Season"),
            (TERRITORY, "Territory"),
            (MONTH, "Month"),
            (HOURS, "Hours Streamed"),
            (MINUTES, "Minutes Streamed"),
            (EARNINGS, "Earnings"),
            (CURRENCY, "Currency"),
            (ASIN, "ASIN"),
        ] {
            assert_eq!(SCHEMA.index_of(name), Some(i), "{name}");
        }
    }

    /// Parses one row given as (header, cell) pairs, at line 7.
    fn parse_cells(cells: &[(&str, &str)]) -> Result<Row, Problem> {
        let header: Vec<String> = cells.iter().map(|(h, _)| h.to_string()).collect();
        let map = ColumnMap::build(&SCHEMA, &header);
        let mut text = String::new();
        let mut ends = Vec::new();
        for (_, v) in cells {
            text.push_str(v);
            ends.push(text.len());
        }
        let conv = Conventions { decimal: DecimalMark::Point, date_order: DateOrder::MonthFirst };
        parse(&Record::new(7, &text, &ends, &map, conv))
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Title", "Night Train"),
            ("Season", "Season 1"),
            ("Territory", "US"),
            ("Month", "2024-03-01"),
            ("Hours Streamed", ""),
            ("Minutes Streamed", "12,345.5"),
            ("Royalty", "98.76"),
            ("Currency", "USD"),
            ("ASIN", "B0ABCDEFGH"),
            ("Customer Engagement Ranking", "87.5"),
        ]
    }

    #[test]
    fn reads_a_row_keeping_hours_and_minutes_as_read() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.cer, Decimal::new(875, 1));
        assert_eq!(row.title, "Night Train");
        assert_eq!(row.season.as_deref(), Some("Season 1"));
        assert_eq!(row.month, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(row.hours, None, "hours are not derived from minutes");
        assert_eq!(row.minutes, Some(Decimal::new(123455, 1)));
        assert_eq!(row.earnings, Some(Decimal::new(9876, 2)));
        assert_eq!((row.currency.as_deref(), row.asin.as_deref()), (Some("USD"), Some("B0ABCDEFGH")));
    }

    #[test]
    fn cer_bounds_are_inclusive() {
        for cer in ["0", "100"] {
            let mut cells = base();
            cells[9].1 = cer;
            assert!(parse_cells(&cells).is_ok(), "CER {cer}");
        }
    }

    #[test]
    fn rejects_bad_rows() {
        for cer in ["100.5", "-1"] {
            let mut cells = base();
            cells[9].1 = cer;
            let p = parse_cells(&cells).expect_err("CER out of range");
            assert_eq!(p.line, Some(7));
            assert_eq!(p.column.as_deref(), Some("Customer Engagement Ranking"));
            assert_eq!(p.reason, format!("CER must be between 0 and 100, found \"{cer}\""));
        }

        let mut cells = base();
        cells[9].1 = "";
        let p = parse_cells(&cells).expect_err("no CER");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Customer Engagement Ranking"), "missing value"));

        let mut cells = base();
        cells[0].1 = "";
        let p = parse_cells(&cells).expect_err("no title");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Title"), "missing value"));
    }

    #[test]
    fn months_written_without_a_day() {
        let mar = NaiveDate::from_ymd_opt(2024, 3, 1);
        for s in ["2024-03", "2024/3", "Mar 2024", "March 2024", "mar-2024", "Mar. 2024"] {
            assert_eq!(month_only(s), mar, "{s}");
        }
        for s in ["2024-13", "Marc 2024", "Mar 24", "03-2024", ""] {
            assert_eq!(month_only(s), None, "{s}");
        }
        let mut cells = base();
        cells[3].1 = "March 2024";
        assert_eq!(parse_cells(&cells).expect("row parses").month, mar);
        cells[3].1 = "sometime";
        assert!(parse_cells(&cells).is_err());
    }

    #[test]
    fn currency_from_the_earnings_header() {
        let mut cells: Vec<(&str, &str)> = base().into_iter().filter(|(h, _)| *h != "Currency").collect();
        cells[6].0 = "Royalty (USD)";
        let row = parse_cells(&cells).expect("row parses");
        assert_eq!((row.earnings, row.currency.as_deref()), (Some(Decimal::new(9876, 2)), Some("USD")));
        cells[6].0 = "Royalty";
        assert_eq!(parse_cells(&cells).expect("row parses").currency, None);
    }
}
