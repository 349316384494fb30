//! Persistent-ID Viewership and the Daily Anonymized viewership file: one row
//! per stream by one (encrypted) customer.
//!
//! Title, season and episode are free text in this report; every dimension
//! other than the customer and the stream start may be empty.

use crate::ingest::Record;
use crate::report::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::PID_VIEWERSHIP`].
const START: usize = 0;
const END: usize = 1;
const MARKETPLACE_ID: usize = 2;
const MARKETPLACE: usize = 3;
const OFFER_ID: usize = 4;
const OFFER_NAME: usize = 5;
const CUSTOMER_ID: usize = 6;
const STREAM_START: usize = 7;
const CONNECTION_TYPE: usize = 8;
const STREAM_TYPE: usize = 9;
const DEVICE_CLASS: usize = 10;
const DEVICE_SUBCLASS: usize = 11;
const DMA: usize = 12;
const PLAYBACK_METHOD: usize = 13;
const SECONDS_VIEWED: usize = 14;
const AD_SECONDS_VIEWED: usize = 15;
const CONTENT_TYPE: usize = 16;
const TITLE: usize = 17;
const SEASON: usize = 18;
const EPISODE: usize = 19;
const STUDIO: usize = 20;
const RUNTIME_MINUTES: usize = 21;
const CHANNEL_NAME: usize = 22;
const VENDOR_SKU: usize = 23;
const CONTENT_GROUP: usize = 24;

/// One row (one stream) of a Persistent-ID or Daily Anonymized viewership report.
/// Text cells borrow from the record: a row costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row<'a> {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// First day of the period (inclusive), when the file has it.
    pub start: Option<NaiveDate>,
    /// Last day of the period (inclusive), when the file has it.
    pub end: Option<NaiveDate>,
    /// Marketplace ID (e.g. `1`).
    pub marketplace_id: Option<&'a str>,
    /// Marketplace Description (e.g. `US`).
    pub marketplace: Option<&'a str>,
    /// The offer (plan ID).
    pub offer_id: Option<&'a str>,
    /// The plan name (may change without notice).
    pub offer_name: Option<&'a str>,
    /// Encrypted customer ID.
    pub customer_id: &'a str,
    /// When the stream started.
    pub stream_start: NaiveDateTime,
    /// Connection Type.
    pub connection_type: Option<&'a str>,
    /// `VOD` or `Live`.
    pub stream_type: Option<&'a str>,
    /// Device Class (`Living Room Devices`, `Mobile Devices`, `Web`, `Others`).
    pub device_class: Option<&'a str>,
    /// Device Subclass (e.g. `Game Console`).
    pub device_subclass: Option<&'a str>,
    /// The 3-digit DMA (Designated Market Area) code, as written.
    pub dma: Option<&'a str>,
    /// Playback Method (e.g. `online`).
    pub playback_method: Option<&'a str>,
    /// Seconds of non-ad content viewed in the stream.
    pub seconds_viewed: Decimal,
    /// Seconds of ads viewed in the stream.
    pub ad_seconds_viewed: Option<Decimal>,
    /// `TV` or `Movie`.
    pub content_type: Option<&'a str>,
    /// Series name (TV) or movie name.
    pub title: Option<&'a str>,
    /// Season, as written.
    pub season: Option<&'a str>,
    /// Episode, as written.
    pub episode: Option<&'a str>,
    /// Studio Name.
    pub studio: Option<&'a str>,
    /// Runtime of the title in minutes.
    pub runtime_minutes: Option<Decimal>,
    /// Live/Linear Channel Name.
    pub channel_name: Option<&'a str>,
    /// Vendor SKU of the content asset.
    pub vendor_sku: Option<&'a str>,
    /// Content group streamed from (`3P_SUBS`, `FREE`, `PRIME`).
    pub content_group: Option<&'a str>,
}

/// Reads one record.
pub fn parse<'a>(rec: &'a Record) -> Result<Row<'a>, Problem> {
    let start = rec.date(START)?;
    let end = rec.date(END)?;
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            return Err(Problem::row(rec.line(), format!("Report End {end} is before Report Start {start}")));
        }
    }
    let text = |field| rec.text(field);
    Ok(Row {
        line: rec.line(),
        start,
        end,
        marketplace_id: text(MARKETPLACE_ID),
        marketplace: text(MARKETPLACE),
        offer_id: text(OFFER_ID),
        offer_name: text(OFFER_NAME),
        customer_id: rec.required_text(CUSTOMER_ID)?,
        stream_start: rec.required_datetime(STREAM_START)?,
        connection_type: text(CONNECTION_TYPE),
        stream_type: text(STREAM_TYPE),
        device_class: text(DEVICE_CLASS),
        device_subclass: text(DEVICE_SUBCLASS),
        dma: text(DMA),
        playback_method: text(PLAYBACK_METHOD),
        seconds_viewed: rec.required_decimal(SECONDS_VIEWED)?,
        ad_seconds_viewed: rec.decimal(AD_SECONDS_VIEWED)?,
        content_type: text(CONTENT_TYPE),
        title: text(TITLE),
        season: text(SEASON),
        episode: text(EPISODE),
        studio: text(STUDIO),
        runtime_minutes: rec.decimal(RUNTIME_MINUTES)?,
        channel_name: text(CHANNEL_NAME),
        vendor_sku: text(VENDOR_SKU),
        content_group: text(CONTENT_GROUP),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::PID_VIEWERSHIP as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (MARKETPLACE_ID, "Marketplace ID"),
            (MARKETPLACE, "Marketplace Description"),
            (OFFER_ID, "Offer ID"),
            (OFFER_NAME, "Offer Name"),
            (CUSTOMER_ID, "Encrypted Customer ID"),
            (STREAM_START, "Stream Start Timestamp"),
            (CONNECTION_TYPE, "Connection Type"),
            (STREAM_TYPE, "Stream Type"),
            (DEVICE_CLASS, "Device Class"),
            (DEVICE_SUBCLASS, "Device Subclass"),
            (DMA, "DMA Geography"),
            (PLAYBACK_METHOD, "Playback Method"),
            (SECONDS_VIEWED, "Seconds Viewed"),
            (AD_SECONDS_VIEWED, "Ad Seconds Viewed"),
            (CONTENT_TYPE, "Content Type"),
            (TITLE, "Title Name"),
            (SEASON, "Season Number"),
            (EPISODE, "Episode Number"),
            (STUDIO, "Studio Name"),
            (RUNTIME_MINUTES, "Runtime Minutes"),
            (CHANNEL_NAME, "Live/Linear Channel Name"),
            (VENDOR_SKU, "Vendor SKU"),
            (CONTENT_GROUP, "Content Group"),
        ] {
            assert_eq!(SCHEMA.index_of(name), Some(i), "{name}");
        }
    }

    /// Parses one row given as (header, cell) pairs, at line 7.
    fn parse_cells(cells: &[(&str, &str)]) -> Result<Row<'static>, Problem> {
        let header: Vec<String> = cells.iter().map(|(h, _)| h.to_string()).collect();
        let map = ColumnMap::build(&SCHEMA, &header);
        let mut text = String::new();
        let mut ends = Vec::new();
        for (_, v) in cells {
            text.push_str(v);
            ends.push(text.len());
        }
        let conv = Conventions { decimal: DecimalMark::Point, date_order: DateOrder::MonthFirst };
        let rec = Box::leak(Box::new(Record::new(
            7,
            Box::leak(text.into_boxed_str()),
            Box::leak(ends.into_boxed_slice()),
            Box::leak(Box::new(map)),
            conv,
        )));
        parse(rec)
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Report Start", "12/11/2021"),
            ("Report End", "12/12/2021"),
            ("Marketplace ID", "1"),
            ("Marketplace Description", "US"),
            ("Offer ID", "B08ZYRH8JR-0M00000000"),
            ("Offer Name", "Discovery+ Ad-Supported"),
            ("Encrypted Customer ID", "amzn1.account.AEIAVT2KITOQR5GCCLBCG2O"),
            ("Stream Start Timestamp", "12/11/2021 12:20"),
            ("Connection Type", "unknown"),
            ("Stream Type", "VOD"),
            ("Device Class", "Living Room Devices"),
            ("Device Subclass", "Game Console"),
            ("DMA Geography", "539"),
            ("Playback Method", "online"),
            ("Seconds Viewed", "2860.819"),
            ("Ad Seconds Viewed", "342"),
            ("Content Type", "TV"),
            ("Title Name", "My 600-lb Life"),
            ("Season Number", "2"),
            ("Episode Number", ""),
            ("Runtime Minutes", "43.5"),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        let row = parse_cells(&base()).expect("row parses");
        let day = NaiveDate::from_ymd_opt(2021, 12, 11).expect("date");
        assert_eq!((row.start, row.end), (Some(day), day.succ_opt()));
        assert_eq!(row.marketplace_id, Some("1"));
        assert_eq!(row.customer_id, "amzn1.account.AEIAVT2KITOQR5GCCLBCG2O");
        assert_eq!(Some(row.stream_start), day.and_hms_opt(12, 20, 0));
        assert_eq!(row.dma, Some("539"));
        assert_eq!(row.seconds_viewed, Decimal::new(2860819, 3));
        assert_eq!(row.ad_seconds_viewed, Some(Decimal::from(342)));
        assert_eq!(row.title, Some("My 600-lb Life"));
        assert_eq!((row.season, row.episode), (Some("2"), None));
        assert_eq!(row.runtime_minutes, Some(Decimal::new(435, 1)));
        assert_eq!((row.studio, row.channel_name, row.content_group), (None, None, None));
    }

    #[test]
    fn report_dates_are_optional() {
        let cells: Vec<_> = base().into_iter().skip(2).collect();
        let row = parse_cells(&cells).expect("row parses without report dates");
        assert_eq!((row.start, row.end), (None, None));
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[14].1 = "";
        let p = parse_cells(&cells).expect_err("no seconds");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Seconds Viewed"), "missing value"));

        let mut cells = base();
        cells[7].1 = "";
        let p = parse_cells(&cells).expect_err("no stream start");
        assert_eq!(p.column.as_deref(), Some("Stream Start Timestamp"));

        let mut cells = base();
        cells[1].1 = "12/10/2021";
        assert!(parse_cells(&cells).expect_err("end before start").reason.contains("is before Report Start"));
    }
}

/// What a viewership file keeps: totals by title and by day, and the set of
/// customers, updated row by row. Its size grows with distinct customers,
/// titles and days, never with the number of rows, so a multi-gigabyte file
/// fits in the browser.
///
/// Distinct customers are counted by a 64-bit hash of the Encrypted Customer
/// ID: exact unless two IDs collide, which for 200,000 customers happens with
/// a probability near one in a billion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Aggregate {
    /// Rows (streams) used.
    pub streams: u64,
    /// Σ Seconds Viewed.
    pub seconds_viewed: Decimal,
    /// Σ Ad Seconds Viewed (empty cells not counted).
    pub ad_seconds_viewed: Decimal,
    /// Distinct customers.
    pub customers: u64,
    /// Earliest stream start.
    pub first_stream: Option<NaiveDateTime>,
    /// Latest stream start.
    pub last_stream: Option<NaiveDateTime>,
    /// Per title (`(untitled)` when the cell is empty).
    pub by_title: std::collections::BTreeMap<String, Totals>,
    /// Per day of stream start.
    pub by_day: std::collections::BTreeMap<chrono::NaiveDate, Totals>,
    #[serde(skip)]
    customer_set: std::collections::HashSet<u64>,
    #[serde(skip)]
    per_customer: std::collections::HashMap<u64, CustomerViewing>,
}

/// The key of a customer: a 64-bit hash of the Encrypted Customer ID. Every
/// per-customer report hashes with this, so files join on it.
pub fn customer_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// What one customer watched: seconds per day of stream start, and the last stream.
#[derive(Debug, Clone, Default, PartialEq)]
struct CustomerViewing {
    days: std::collections::BTreeMap<NaiveDate, Decimal>,
    last: Option<(NaiveDateTime, Option<String>)>,
}

/// Streams, seconds and distinct customers of one slice of the data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Totals {
    /// Rows (streams).
    pub streams: u64,
    /// Σ Seconds Viewed.
    pub seconds_viewed: Decimal,
    /// Distinct customers.
    pub customers: u64,
    #[serde(skip)]
    customer_set: std::collections::HashSet<u64>,
}

impl Totals {
    fn add(&mut self, customer: u64, seconds: Decimal) {
        self.streams += 1;
        self.seconds_viewed += seconds;
        if self.customer_set.insert(customer) {
            self.customers += 1;
        }
    }
}

impl Aggregate {
    /// Adds one stream.
    pub fn add(&mut self, row: &Row<'_>) {
        let customer = customer_key(row.customer_id);
        self.streams += 1;
        self.seconds_viewed += row.seconds_viewed;
        self.ad_seconds_viewed += row.ad_seconds_viewed.unwrap_or_default();
        if self.customer_set.insert(customer) {
            self.customers += 1;
        }
        self.first_stream = Some(self.first_stream.map_or(row.stream_start, |t| t.min(row.stream_start)));
        self.last_stream = Some(self.last_stream.map_or(row.stream_start, |t| t.max(row.stream_start)));
        let title = row.title.unwrap_or("(untitled)");
        match self.by_title.get_mut(title) {
            Some(t) => t.add(customer, row.seconds_viewed),
            None => self.by_title.entry(title.to_string()).or_default().add(customer, row.seconds_viewed),
        }
        self.by_day.entry(row.stream_start.date()).or_default().add(customer, row.seconds_viewed);
        let viewing = self.per_customer.entry(customer).or_default();
        *viewing.days.entry(row.stream_start.date()).or_default() += row.seconds_viewed;
        if viewing.last.as_ref().is_none_or(|(t, _)| *t <= row.stream_start) {
            viewing.last = Some((row.stream_start, row.title.map(str::to_string)));
        }
    }

    /// Seconds viewed per customer (by [`customer_key`]) and day of stream start.
    /// The order is unspecified.
    pub fn customer_days(&self) -> impl Iterator<Item = (u64, NaiveDate, Decimal)> + '_ {
        self.per_customer.iter().flat_map(|(&c, v)| v.days.iter().map(move |(&d, &s)| (c, d, s)))
    }

    /// Each customer's last stream: its start and its title (`None` when the cell was empty).
    /// The order is unspecified.
    pub fn last_streams(&self) -> impl Iterator<Item = (u64, NaiveDateTime, Option<&str>)> + '_ {
        self.per_customer.iter().filter_map(|(&c, v)| v.last.as_ref().map(|(t, title)| (c, *t, title.as_deref())))
    }
}
