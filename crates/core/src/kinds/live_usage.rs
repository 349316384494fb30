//! Contractual Live Streaming Usage: one row per period, offer and live channel
//! (and episode, where the report names one).

use crate::ingest::Record;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::LIVE_USAGE`].
const START: usize = 0;
const END: usize = 1;
const OFFER_ID: usize = 2;
const SUBSCRIPTION: usize = 3;
const CHANNEL_ID: usize = 4;
const CHANNEL_NAME: usize = 5;
const STREAMS: usize = 6;
const CUSTOMERS: usize = 7;
const MINUTES: usize = 8;
const AD_MINUTES: usize = 9;
const EPISODE_NAME: usize = 10;

/// One row of a Contractual Live Streaming Usage report.
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
    /// Unique ID of the live channel.
    pub channel_id: String,
    /// Name of the live channel.
    pub channel_name: Option<String>,
    /// Total Number of Streams.
    pub streams: Option<i64>,
    /// Total Customers Streamed.
    pub customers: Option<i64>,
    /// Total Minutes Streamed (non-ad content).
    pub minutes: Option<Decimal>,
    /// Total Ad Minutes Streamed.
    pub ad_minutes: Option<Decimal>,
    /// Episode name, when the live content is TV.
    pub episode_name: Option<String>,
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
        channel_id: rec.required_text(CHANNEL_ID)?.to_string(),
        channel_name: rec.text(CHANNEL_NAME).map(str::to_string),
        streams: rec.count(STREAMS)?,
        customers: rec.count(CUSTOMERS)?,
        minutes: rec.decimal(MINUTES)?,
        ad_minutes: rec.decimal(AD_MINUTES)?,
        episode_name: rec.text(EPISODE_NAME).map(str::to_string),
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
    use crate::schema::LIVE_USAGE as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (OFFER_ID, "Offer ID"),
            (SUBSCRIPTION, "Subscription"),
            (CHANNEL_ID, "Live Channel ID"),
            (CHANNEL_NAME, "Channel Name"),
            (STREAMS, "Total Number of Streams"),
            (CUSTOMERS, "Total Customers Streamed"),
            (MINUTES, "Total Minutes Streamed"),
            (AD_MINUTES, "Total Ad Minutes Streamed"),
            (EPISODE_NAME, "Episode Name"),
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
            ("Report Start", "10/11/2020"),
            ("Report End", "10/18/2020"),
            ("Offer ID", "B099ABCDCE-1M00000000"),
            ("Subscription", "ABC+"),
            ("Live Channel ID", "amzn1.dv.gti.4e9fdac8"),
            ("Channel Name", "ABC Channel"),
            ("Total Number of Streams", "685"),
            ("Total Customers Streamed", "398"),
            ("Total Minutes Streamed", "50648.213"),
            ("Total Ad Minutes Streamed", "44121.43"),
        ]
    }

    #[test]
    fn reads_a_guide_row_without_the_optional_episode_column() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.channel_id, "amzn1.dv.gti.4e9fdac8");
        assert_eq!(row.channel_name.as_deref(), Some("ABC Channel"));
        assert_eq!((row.streams, row.customers), (Some(685), Some(398)));
        assert_eq!(row.minutes, Some(Decimal::new(50648213, 3)));
        assert_eq!(row.ad_minutes, Some(Decimal::new(4412143, 2)));
        assert_eq!(row.episode_name, None);
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[4].1 = "";
        let p = parse_cells(&cells).expect_err("no channel");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Live Channel ID"), "missing value"));

        let mut cells = base();
        cells[0].1 = "10/19/2020";
        assert!(parse_cells(&cells).expect_err("end before start").reason.contains("is before Report Start"));

        let mut cells = base();
        for c in &mut cells[6..] {
            c.1 = "";
        }
        assert_eq!(parse_cells(&cells).expect_err("no measure").reason, "no measure has a value");
    }
}
