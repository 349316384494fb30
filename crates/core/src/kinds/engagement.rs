//! Premium Engagement Scorecard: one row per period, plan, length of
//! subscription and content group, with Paid/HO engagement measures.

use crate::ingest::Record;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::ENGAGEMENT_SCORECARD`].
const START: usize = 0;
const END: usize = 1;
const SUBSCRIPTION: usize = 2;
const LENGTH: usize = 3;
const CONTENT_GROUP: usize = 4;
const PAID: usize = 5;
const CANCELLATIONS: usize = 6;
const ACTIVE: usize = 7;
const STREAMERS: usize = 8;
const STREAMS: usize = 9;
const WEEKEND_STREAMS: usize = 10;
const WEEKDAY_STREAMS: usize = 11;
const AVG_TITLES: usize = 12;
const AVG_EPISODES: usize = 13;
const AVG_MOVIES: usize = 14;
const VOD_HOURS: usize = 15;
const VOD_AD_HOURS: usize = 16;

/// One row of a Premium Engagement Scorecard report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// First day of the period (inclusive).
    pub start: NaiveDate,
    /// Last day of the period (inclusive).
    pub end: NaiveDate,
    /// The plan name (may change without notice).
    pub subscription: Option<String>,
    /// Length of Subscription band as written (e.g. `0-1months`, `12+months`).
    pub length_band: String,
    /// Content group streamed from (`3P_SUBS`, `FREE`, ...).
    pub content_group: Option<String>,
    /// Paid Subscriptions: active HO subscriptions in the period.
    pub paid: Option<i64>,
    /// Cancellations: HO subscriptions cancelled by the end of the period.
    pub cancellations: Option<i64>,
    /// Active Subscriptions: Paid/HO customers active in the last 30 days.
    pub active: Option<i64>,
    /// Streamers: unique Paid/HO customers who streamed.
    pub streamers: Option<i64>,
    /// Streams.
    pub streams: Option<i64>,
    /// Weekend Streams.
    pub weekend_streams: Option<i64>,
    /// Weekday Streams.
    pub weekday_streams: Option<i64>,
    /// Average Number of Titles streamed per customer.
    pub avg_titles: Option<Decimal>,
    /// Average Number of Episodes streamed per customer.
    pub avg_episodes: Option<Decimal>,
    /// Average Number of Movies streamed per customer.
    pub avg_movies: Option<Decimal>,
    /// VOD Hours Streamed (non-ad content).
    pub vod_hours: Option<Decimal>,
    /// VOD Ad Hours Streamed.
    pub vod_ad_hours: Option<Decimal>,
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
        subscription: rec.text(SUBSCRIPTION).map(str::to_string),
        length_band: rec.required_text(LENGTH)?.to_string(),
        content_group: rec.text(CONTENT_GROUP).map(str::to_string),
        paid: rec.count(PAID)?,
        cancellations: rec.count(CANCELLATIONS)?,
        active: rec.count(ACTIVE)?,
        streamers: rec.count(STREAMERS)?,
        streams: rec.count(STREAMS)?,
        weekend_streams: rec.count(WEEKEND_STREAMS)?,
        weekday_streams: rec.count(WEEKDAY_STREAMS)?,
        avg_titles: rec.decimal(AVG_TITLES)?,
        avg_episodes: rec.decimal(AVG_EPISODES)?,
        avg_movies: rec.decimal(AVG_MOVIES)?,
        vod_hours: rec.decimal(VOD_HOURS)?,
        vod_ad_hours: rec.decimal(VOD_AD_HOURS)?,
    };
    let counts =
        [row.paid, row.cancellations, row.active, row.streamers, row.streams, row.weekend_streams, row.weekday_streams];
    let decimals = [row.avg_titles, row.avg_episodes, row.avg_movies, row.vod_hours, row.vod_ad_hours];
    if counts.iter().all(Option::is_none) && decimals.iter().all(Option::is_none) {
        return Err(Problem::row(rec.line(), "no measure has a value"));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::ENGAGEMENT_SCORECARD as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (SUBSCRIPTION, "Subscription"),
            (LENGTH, "Length of Subscription"),
            (CONTENT_GROUP, "Content Group"),
            (PAID, "Paid Subscriptions"),
            (CANCELLATIONS, "Cancellations"),
            (ACTIVE, "Active Subscriptions"),
            (STREAMERS, "Streamers"),
            (STREAMS, "Streams"),
            (WEEKEND_STREAMS, "Weekend Streams"),
            (WEEKDAY_STREAMS, "Weekday Streams"),
            (AVG_TITLES, "Average Number of Titles"),
            (AVG_EPISODES, "Average Number of Episodes"),
            (AVG_MOVIES, "Average Number of Movies"),
            (VOD_HOURS, "VOD Hours Streamed"),
            (VOD_AD_HOURS, "VOD Ad Hours Streamed"),
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
            ("Report Start", "11/1/21"),
            ("Report End", "11/30/21"),
            ("Subscription", "Discovery+ Ad-Supported"),
            ("Length of Subscription", "0-1months"),
            ("Content Group", "3P_SUBS"),
            ("Paid Subscriptions", "161435"),
            ("Cancellations", "27656"),
            ("Active Subscriptions", "129676"),
            ("Streamers", "129673"),
            ("Streams", "129673"),
            ("Weekend Streams", "3437751"),
            ("Weekday Streams", "1075905"),
            ("Average Number of Titles", "2361846"),
            ("Average Number of Episodes", "4.6"),
            ("Average Number of Movies", "18.6"),
            ("VOD Hours Streamed", "23342.23"),
            ("VOD Ad Hours Streamed", ""),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.start, NaiveDate::from_ymd_opt(2021, 11, 1).expect("date"));
        assert_eq!(row.length_band, "0-1months");
        assert_eq!(row.paid, Some(161435));
        assert_eq!(row.weekday_streams, Some(1075905));
        assert_eq!(row.avg_episodes, Some(Decimal::new(46, 1)));
        assert_eq!(row.vod_hours, Some(Decimal::new(2334223, 2)));
        assert_eq!(row.vod_ad_hours, None);
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[3].1 = "";
        let p = parse_cells(&cells).expect_err("no length");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Length of Subscription"), "missing value"));

        let mut cells = base();
        cells[5].1 = "161,435.5";
        let p = parse_cells(&cells).expect_err("fractional count");
        assert_eq!(p.column.as_deref(), Some("Paid Subscriptions"));

        let mut cells = base();
        for c in &mut cells[5..] {
            c.1 = "";
        }
        assert_eq!(parse_cells(&cells).expect_err("no measure").reason, "no measure has a value");
    }
}
