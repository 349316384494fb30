//! Premium First-and-Last VOD Title: one row per period, plan, platform and
//! title (season, for TV), counting customers whose first or last title it was.
//!
//! The two percentage columns are written as fractions (`.323`) and kept as
//! fractions.

use crate::ingest::Record;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::FIRST_LAST_TITLE`].
const START: usize = 0;
const END: usize = 1;
const BENEFIT: usize = 2;
const STREAM_TYPE: usize = 3;
const CONTENT_TYPE: usize = 4;
const PLATFORM: usize = 5;
const VENDOR_SKU: usize = 6;
const TITLE: usize = 7;
const SEASON: usize = 8;
const FT_FIRST: usize = 9;
const HO_FIRST: usize = 10;
const CONVERSION_FIRST: usize = 11;
const LAST: usize = 12;
const AR_OFF_LAST: usize = 13;
const SHARE_OF_CONVERSIONS: usize = 14;
const SHARE_OF_CANCELS: usize = 15;

/// One row of a Premium First-and-Last VOD Title report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// First day of the period (inclusive).
    pub start: NaiveDate,
    /// Last day of the period (inclusive).
    pub end: NaiveDate,
    /// The plan name (Benefit Name; may change without notice).
    pub benefit: Option<String>,
    /// `VOD` or `Live`.
    pub stream_type: Option<String>,
    /// `TV` or `Movie`.
    pub content_type: Option<String>,
    /// Device category (`Living Room Devices`, `Mobile Devices`, `Web`, `Others`).
    pub platform: Option<String>,
    /// Vendor SKU of the content asset.
    pub vendor_sku: Option<String>,
    /// Series name (TV) or movie name.
    pub title: String,
    /// Season number (TV only).
    pub season: Option<i64>,
    /// FT customers who streamed this as their first title.
    pub ft_first: Option<i64>,
    /// Direct-to-HO customers who streamed this as their first title.
    pub ho_first: Option<i64>,
    /// Customers who streamed this first after converting from FT to HO.
    pub conversion_first: Option<i64>,
    /// Customers who streamed this as their last title.
    pub last: Option<i64>,
    /// Customers who streamed this last before turning Auto-Renew off.
    pub ar_off_last: Option<i64>,
    /// Percentage of Total Conversions, as a fraction.
    pub share_of_conversions: Option<Decimal>,
    /// Percentage of Total Cancels, as a fraction.
    pub share_of_cancels: Option<Decimal>,
}

/// Reads one record.
pub fn parse(rec: &Record) -> Result<Row, Problem> {
    let start = rec.required_date(START)?;
    let end = rec.required_date(END)?;
    if end < start {
        return Err(Problem::row(rec.line(), format!("Report End {end} is before Report Start {start}")));
    }
    let row = Row {
        line: rec.line(),
        start,
        end,
        benefit: rec.text(BENEFIT).map(str::to_string),
        stream_type: rec.text(STREAM_TYPE).map(str::to_string),
        content_type: rec.text(CONTENT_TYPE).map(str::to_string),
        platform: rec.text(PLATFORM).map(str::to_string),
        vendor_sku: rec.text(VENDOR_SKU).map(str::to_string),
        title: rec.required_text(TITLE)?.to_string(),
        season: rec.count(SEASON)?,
        ft_first: rec.count(FT_FIRST)?,
        ho_first: rec.count(HO_FIRST)?,
        conversion_first: rec.count(CONVERSION_FIRST)?,
        last: rec.count(LAST)?,
        ar_off_last: rec.count(AR_OFF_LAST)?,
        share_of_conversions: rec.fraction(SHARE_OF_CONVERSIONS)?,
        share_of_cancels: rec.fraction(SHARE_OF_CANCELS)?,
    };
    let counts = [row.ft_first, row.ho_first, row.conversion_first, row.last, row.ar_off_last];
    if counts.iter().all(Option::is_none) && row.share_of_conversions.is_none() && row.share_of_cancels.is_none() {
        return Err(Problem::row(rec.line(), "no measure has a value"));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::FIRST_LAST_TITLE as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (BENEFIT, "Benefit Name"),
            (STREAM_TYPE, "Stream Type"),
            (CONTENT_TYPE, "Content Type"),
            (PLATFORM, "Platform"),
            (VENDOR_SKU, "Vendor SKU"),
            (TITLE, "Series or Movie Name"),
            (SEASON, "Season Number"),
            (FT_FIRST, "FT First Title Streamed"),
            (HO_FIRST, "HO First Title Streamed"),
            (CONVERSION_FIRST, "Conversion First Title Streamed"),
            (LAST, "Last Title Streamed"),
            (AR_OFF_LAST, "AR-Off Last Title Streamed"),
            (SHARE_OF_CONVERSIONS, "Percentage of Total Conversions"),
            (SHARE_OF_CANCELS, "Percentage of Total Cancels"),
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
            ("Report Start", "11/29/2021"),
            ("Report End", "12/5/2021"),
            ("Benefit Name", "ABC+"),
            ("Stream Type", "VOD"),
            ("Content Type", "TV"),
            ("Platform", "Living Room Devices"),
            ("Vendor SKU", "103469_013_US"),
            ("Series or Movie Name", "How It's Made"),
            ("Season Number", "1"),
            ("FT First Title Streamed", ""),
            ("HO First Title Streamed", "87"),
            ("Conversion First Title Streamed", "9"),
            ("Last Title Streamed", "1"),
            ("AR-Off Last Title Streamed", "20"),
            ("Percentage of Total Conversions", ".323"),
            ("Percentage of Total Cancels", "34.4%"),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.end, NaiveDate::from_ymd_opt(2021, 12, 5).expect("date"));
        assert_eq!(row.title, "How It's Made");
        assert_eq!(row.platform.as_deref(), Some("Living Room Devices"));
        assert_eq!(row.season, Some(1));
        assert_eq!((row.ft_first, row.ho_first, row.conversion_first), (None, Some(87), Some(9)));
        assert_eq!((row.last, row.ar_off_last), (Some(1), Some(20)));
        assert_eq!(row.share_of_conversions, Some(Decimal::new(323, 3)));
        assert_eq!(row.share_of_cancels, Some(Decimal::new(344, 3)));
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[7].1 = "";
        let p = parse_cells(&cells).expect_err("no title");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Series or Movie Name"), "missing value"));

        let mut cells = base();
        cells[1].1 = "11/28/2021";
        assert!(parse_cells(&cells).expect_err("end before start").reason.contains("is before Report Start"));

        let mut cells = base();
        for c in &mut cells[9..] {
            c.1 = "";
        }
        assert_eq!(parse_cells(&cells).expect_err("no measure").reason, "no measure has a value");
    }
}
