//! Contractual Content Usage (and Premium Device-Level Viewership, which has the
//! same columns): one row per period, offer and title (episode, for TV).

use crate::ingest::Record;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::CONTENT_USAGE`].
const START: usize = 0;
const END: usize = 1;
const OFFER_ID: usize = 2;
const SUBSCRIPTION: usize = 3;
const VENDOR_SKU: usize = 4;
const CONTENT_TYPE: usize = 5;
const TITLE: usize = 6;
const SEASON: usize = 7;
const EPISODE: usize = 8;
const EPISODE_NAME: usize = 9;
const CONTENT_GROUP: usize = 10;
const STREAMS: usize = 11;
const CUSTOMERS: usize = 12;
const MINUTES: usize = 13;
const AD_MINUTES: usize = 14;

/// One row of a Contractual Content Usage or Premium Device-Level Viewership report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// First day of the period (inclusive).
    pub start: NaiveDate,
    /// Last day of the period (inclusive).
    pub end: NaiveDate,
    /// The offer.
    pub offer_id: String,
    /// The plan name (may change without notice).
    pub subscription: Option<String>,
    /// Vendor SKU of the content asset.
    pub vendor_sku: Option<String>,
    /// `TV` or `Movie`, as written.
    pub content_type: String,
    /// Series name (TV) or movie name.
    pub title: String,
    /// Season number (TV only).
    pub season: Option<i64>,
    /// Episode number (TV only).
    pub episode: Option<i64>,
    /// Episode name (TV only).
    pub episode_name: Option<String>,
    /// Content group streamed from (`3P_SUBS`, `FREE`, `PRIME`).
    pub content_group: Option<String>,
    /// Total Number of Streams.
    pub streams: Option<i64>,
    /// Total Customers Streamed.
    pub customers: Option<i64>,
    /// Total Minutes Streamed (non-ad content).
    pub minutes: Option<Decimal>,
    /// Total Ad Minutes Streamed.
    pub ad_minutes: Option<Decimal>,
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
        offer_id: rec.required_text(OFFER_ID)?.to_string(),
        subscription: rec.text(SUBSCRIPTION).map(str::to_string),
        vendor_sku: rec.text(VENDOR_SKU).map(str::to_string),
        content_type: rec.required_text(CONTENT_TYPE)?.to_string(),
        title: rec.required_text(TITLE)?.to_string(),
        season: rec.count(SEASON)?,
        episode: rec.count(EPISODE)?,
        episode_name: rec.text(EPISODE_NAME).map(str::to_string),
        content_group: rec.text(CONTENT_GROUP).map(str::to_string),
        streams: rec.count(STREAMS)?,
        customers: rec.count(CUSTOMERS)?,
        minutes: rec.decimal(MINUTES)?,
        ad_minutes: rec.decimal(AD_MINUTES)?,
    };
    if row.streams.is_none() && row.customers.is_none() && row.minutes.is_none() && row.ad_minutes.is_none() {
        return Err(Problem::row(rec.line(), "no measure has a value"));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::CONTENT_USAGE as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (OFFER_ID, "Offer ID"),
            (SUBSCRIPTION, "Subscription"),
            (VENDOR_SKU, "Vendor SKU"),
            (CONTENT_TYPE, "Content Type"),
            (TITLE, "Series or Movie Title"),
            (SEASON, "Season Number"),
            (EPISODE, "Episode Number"),
            (EPISODE_NAME, "Episode Name"),
            (CONTENT_GROUP, "Content Group"),
            (STREAMS, "Total Number of Streams"),
            (CUSTOMERS, "Total Customers Streamed"),
            (MINUTES, "Total Minutes Streamed"),
            (AD_MINUTES, "Total Ad Minutes Streamed"),
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
            ("Report Start", "10/6/2018"),
            ("Report End", "10/13/2018"),
            ("Offer Id", "B099ABCDCE-1M00000000"),
            ("Subscription", "ABC+"),
            ("Vendor SKU", "AMC_1000ML_US"),
            ("Content Type", "TV"),
            ("Series or Movie Title", "Ghostbusters"),
            ("Season Number", "1"),
            ("Episode Number", "2"),
            ("Episode Name", "Pilot"),
            ("Content Group", "3P_SUBS"),
            ("Total Number of Streams", "1,513"),
            ("Total Customers Streamed", "1020"),
            ("Total Minutes Streamed", "44121.43"),
            ("Total Ad Minutes Streamed", ""),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.line, 7);
        assert_eq!(row.start, NaiveDate::from_ymd_opt(2018, 10, 6).expect("date"));
        assert_eq!(row.offer_id, "B099ABCDCE-1M00000000");
        assert_eq!(row.content_type, "TV");
        assert_eq!(row.title, "Ghostbusters");
        assert_eq!((row.season, row.episode), (Some(1), Some(2)));
        assert_eq!(row.content_group.as_deref(), Some("3P_SUBS"));
        assert_eq!(row.streams, Some(1513));
        assert_eq!(row.minutes, Some(Decimal::new(4412143, 2)));
        assert_eq!(row.ad_minutes, None);
    }

    #[test]
    fn a_movie_has_no_season_or_episode() {
        let mut cells = base();
        cells[5].1 = "Movie";
        cells[7].1 = "";
        cells[8].1 = "";
        cells[9].1 = "";
        let row = parse_cells(&cells).expect("row parses");
        assert_eq!((row.season, row.episode, row.episode_name), (None, None, None));
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[6].1 = "";
        let p = parse_cells(&cells).expect_err("no title");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Series or Movie Title"), "missing value"));

        let mut cells = base();
        cells[1].1 = "10/1/2018";
        let p = parse_cells(&cells).expect_err("end before start");
        assert_eq!(p.reason, "Report End 2018-10-01 is before Report Start 2018-10-06");

        let mut cells = base();
        for c in &mut cells[11..] {
            c.1 = "";
        }
        let p = parse_cells(&cells).expect_err("no measure");
        assert_eq!((p.line, p.column, p.reason.as_str()), (Some(7), None, "no measure has a value"));
    }
}
