//! Persistent-ID Subscriptions (and the Daily Anonymized subscriptions file):
//! one row per status change of one customer's subscription, Active (gains
//! entitlement) or Cancelled (loses it).
//!
//! A file's rows are kept as [`Statuses`]: every row is checked in full
//! ([`parse`]), then only what the analysis reads of it is kept, in a
//! fixed-size [`Entry`] (the customer as its 64-bit hash, the offer interned),
//! in blocks. A million rows take about 48 MB, where whole rows (five strings
//! each) took about 500.

use crate::ingest::Record;
use crate::kinds::pid_viewership::customer_key;
use crate::kinds::subscriptions::Category;
use crate::report::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

// Field indices into [`crate::schema::PID_SUBSCRIPTIONS`].
const REPORT_DATE: usize = 0;
const MARKETPLACE: usize = 1;
const CUSTOMER_ID: usize = 2;
const OFFER: usize = 3;
const BILLING_TYPE: usize = 4;
const PAYMENT_AMOUNT: usize = 5;
const STATUS: usize = 6;
const STATUS_START: usize = 7;
const STATUS_END: usize = 8;
const SUBSCRIPTION: usize = 9;

/// The status a row records; the report captures no others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    /// The customer gained entitlement to the channel's content.
    Active,
    /// The customer lost entitlement.
    Cancelled,
}

impl Status {
    /// Reads `Active`, `Cancelled` or `Canceled` in any case.
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("active") {
            Some(Status::Active)
        } else if s.eq_ignore_ascii_case("cancelled") || s.eq_ignore_ascii_case("canceled") {
            Some(Status::Cancelled)
        } else {
            None
        }
    }
}

/// One row of a Persistent-ID Subscriptions report, as read (borrowing the record's text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row<'a> {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// The day the row reports on.
    pub report_date: NaiveDate,
    /// Marketplace (e.g. `US`).
    pub marketplace: Option<&'a str>,
    /// Encrypted customer ID.
    pub customer_id: &'a str,
    /// The offer (plan ID).
    pub offer: &'a str,
    /// FT or HO.
    pub billing_type: Category,
    /// Billing amount of the offer.
    pub payment_amount: Option<Decimal>,
    /// Active or Cancelled.
    pub status: Status,
    /// When the status began.
    pub status_start: Option<NaiveDateTime>,
    /// When the status ended (empty while it lasts).
    pub status_end: Option<NaiveDateTime>,
    /// The plan name (may change without notice).
    pub subscription: Option<&'a str>,
}

/// Reads one record.
pub fn parse<'a>(rec: &Record<'a>) -> Result<Row<'a>, Problem> {
    let report_date = rec.required_date(REPORT_DATE)?;
    let customer_id = rec.required_text(CUSTOMER_ID)?;
    let offer = rec.required_text(OFFER)?;
    let type_text = rec.required_text(BILLING_TYPE)?;
    let billing_type = Category::parse(type_text).ok_or_else(|| {
        let mut p = rec.missing(BILLING_TYPE);
        p.reason = format!("expected FT or HO, found \"{type_text}\"");
        p
    })?;
    let status_text = rec.required_text(STATUS)?;
    let status = Status::parse(status_text).ok_or_else(|| {
        let mut p = rec.missing(STATUS);
        p.reason = format!("expected Active or Cancelled, found \"{status_text}\"");
        p
    })?;
    Ok(Row {
        line: rec.line(),
        report_date,
        marketplace: rec.text(MARKETPLACE),
        customer_id,
        offer,
        billing_type,
        payment_amount: rec.decimal(PAYMENT_AMOUNT)?,
        status,
        status_start: rec.datetime(STATUS_START)?,
        status_end: rec.datetime(STATUS_END)?,
        subscription: rec.text(SUBSCRIPTION),
    })
}

/// What the analysis reads of one row, in 48 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The customer, as [`customer_key`] of the Encrypted Customer ID.
    pub customer: u64,
    /// When the status began.
    pub status_start: Option<NaiveDateTime>,
    /// When the status ended.
    pub status_end: Option<NaiveDateTime>,
    /// The day the row reports on.
    pub report_date: NaiveDate,
    /// Line in the file (lines past 2^32 are kept as `u32::MAX`).
    pub line: u32,
    /// The offer, an index into [`Statuses::offers`].
    pub offer: u32,
    /// FT or HO.
    pub billing_type: Category,
    /// Active or Cancelled.
    pub status: Status,
}

/// Each kept row as JSON (tests and snapshots): the customer as 8 hex digits
/// of its hash, never its ID.
impl Serialize for Statuses {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            line: u32,
            report_date: NaiveDate,
            customer: String,
            offer: &'a str,
            billing_type: Category,
            status: Status,
            status_start: Option<NaiveDateTime>,
            status_end: Option<NaiveDateTime>,
        }
        serializer.collect_seq(self.iter().map(|e| View {
            line: e.line,
            report_date: e.report_date,
            customer: format!("{:08x}", e.customer >> 32),
            offer: self.offers.get(e.offer as usize).map_or("", String::as_str),
            billing_type: e.billing_type,
            status: e.status,
            status_start: e.status_start,
            status_end: e.status_end,
        }))
    }
}

/// Entries per block of [`Statuses`]: 192 KB, so growing never copies what
/// is already kept (a doubling `Vec` of 10 million entries would copy
/// 320 MB into a new 640 MB one).
const BLOCK: usize = 4096;

/// The rows of one file, compact and in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statuses {
    blocks: Vec<Vec<Entry>>,
    len: usize,
    offers: Vec<String>,
    offer_ids: HashMap<String, u32>,
    /// Earliest and latest Report Date.
    span: Option<(NaiveDate, NaiveDate)>,
}

impl Statuses {
    /// Checks one record and keeps what the analysis reads of it.
    pub fn push(&mut self, rec: &Record) -> Result<(), Problem> {
        let row = parse(rec)?;
        let offer = match self.offer_ids.get(row.offer) {
            Some(&i) => i,
            None => {
                let i = self.offers.len() as u32;
                self.offers.push(row.offer.to_string());
                self.offer_ids.insert(row.offer.to_string(), i);
                i
            }
        };
        let d = row.report_date;
        self.span = Some(self.span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
        if self.blocks.last().is_none_or(|b| b.len() == BLOCK) {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        if let Some(block) = self.blocks.last_mut() {
            block.push(Entry {
                customer: customer_key(row.customer_id),
                status_start: row.status_start,
                status_end: row.status_end,
                report_date: d,
                line: u32::try_from(row.line).unwrap_or(u32::MAX),
                offer,
                billing_type: row.billing_type,
                status: row.status,
            });
            self.len += 1;
        }
        Ok(())
    }

    /// The entry at position `i` (file order).
    pub fn get(&self, i: usize) -> &Entry {
        &self.blocks[i / BLOCK][i % BLOCK]
    }

    /// The entries, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.blocks.iter().flatten()
    }

    /// How many rows are kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no row is kept.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The offers, by [`Entry::offer`].
    pub fn offers(&self) -> &[String] {
        &self.offers
    }

    /// The earliest and latest Report Date.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::PID_SUBSCRIPTIONS as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (REPORT_DATE, "Report Date"),
            (MARKETPLACE, "Marketplace"),
            (CUSTOMER_ID, "Customer ID"),
            (OFFER, "Offer"),
            (BILLING_TYPE, "Billing Type"),
            (PAYMENT_AMOUNT, "Payment Amount"),
            (STATUS, "Status"),
            (STATUS_START, "Status Start Time"),
            (STATUS_END, "Status End Time"),
            (SUBSCRIPTION, "Subscription"),
        ] {
            assert_eq!(SCHEMA.index_of(name), Some(i), "{name}");
        }
    }

    #[test]
    fn status_reads_both_spellings_in_any_case() {
        assert_eq!(Status::parse("Active"), Some(Status::Active));
        assert_eq!(Status::parse("ACTIVE"), Some(Status::Active));
        assert_eq!(Status::parse("Cancelled"), Some(Status::Cancelled));
        assert_eq!(Status::parse("canceled"), Some(Status::Cancelled));
        assert_eq!(Status::parse("Suspended"), None);
    }

    /// Parses one row given as (header, cell) pairs, at line 7.
    /// Calls `f` with the record of `cells` (header, value).
    fn with_record<T>(cells: &[(&str, &str)], f: impl FnOnce(&Record) -> T) -> T {
        let header: Vec<String> = cells.iter().map(|(h, _)| h.to_string()).collect();
        let map = ColumnMap::build(&SCHEMA, &header);
        let mut text = String::new();
        let mut ends = Vec::new();
        for (_, v) in cells {
            text.push_str(v);
            ends.push(text.len());
        }
        let conv = Conventions { decimal: DecimalMark::Point, date_order: DateOrder::MonthFirst };
        f(&Record::new(7, &text, &ends, &map, conv))
    }

    fn parse_cells(cells: &[(&str, &str)]) -> Result<(), Problem> {
        with_record(cells, |rec| parse(rec).map(drop))
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Report Date", "12/11/2021"),
            ("Marketplace", "US"),
            ("Customer ID", "amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ"),
            ("Offer", "B08ZYRH8JR-1M00000000"),
            ("Billing Type", "HO"),
            ("Payment Amount", "4.99"),
            ("Status", "Active"),
            ("Status Start Time", "12/11/2021 12:20"),
            ("Status End Time", ""),
            ("Subscription", "ABC+"),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        with_record(&base(), |rec| {
            let row = parse(rec).expect("row parses");
            let day = NaiveDate::from_ymd_opt(2021, 12, 11).expect("date");
            assert_eq!(row.report_date, day);
            assert_eq!(row.marketplace, Some("US"));
            assert_eq!(row.customer_id, "amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ");
            assert_eq!(row.offer, "B08ZYRH8JR-1M00000000");
            assert_eq!(row.billing_type, Category::HardOffer);
            assert_eq!(row.payment_amount, Some(Decimal::new(499, 2)));
            assert_eq!(row.status, Status::Active);
            assert_eq!(row.status_start, day.and_hms_opt(12, 20, 0));
            assert_eq!(row.status_end, None);
            assert_eq!(row.subscription, Some("ABC+"));
        });
    }

    #[test]
    fn statuses_keep_what_the_analysis_reads() {
        assert_eq!(std::mem::size_of::<Entry>(), 48);
        let mut kept = Statuses::default();
        let mut cells = base();
        with_record(&cells, |rec| kept.push(rec)).expect("first row");
        cells[0].1 = "12/9/2021";
        cells[3].1 = "B0OTHER-1M";
        cells[6].1 = "Cancelled";
        cells[8].1 = "12/20/2021 8:00";
        with_record(&cells, |rec| kept.push(rec)).expect("second row");
        cells[3].1 = "B08ZYRH8JR-1M00000000";
        with_record(&cells, |rec| kept.push(rec)).expect("third row");
        cells[5].1 = "four";
        let p = with_record(&cells, |rec| kept.push(rec)).expect_err("bad amount");
        assert_eq!(p.column.as_deref(), Some("Payment Amount"));

        assert_eq!(kept.len(), 3);
        assert_eq!(kept.offers(), ["B08ZYRH8JR-1M00000000", "B0OTHER-1M"]);
        let day = |d| NaiveDate::from_ymd_opt(2021, 12, d).expect("date");
        assert_eq!(kept.span(), Some((day(9), day(11))));
        let e: Vec<&Entry> = kept.iter().collect();
        assert_eq!(e[0].customer, customer_key("amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ"));
        assert_eq!((e[0].offer, e[1].offer, e[2].offer), (0, 1, 0));
        assert_eq!((e[0].status, e[1].status), (Status::Active, Status::Cancelled));
        assert_eq!((e[1].line, e[1].report_date, e[1].billing_type), (7, day(9), Category::HardOffer));
        assert_eq!(e[1].status_end, day(20).and_hms_opt(8, 0, 0));
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[6].1 = "Suspended";
        let p = parse_cells(&cells).expect_err("unknown status");
        assert_eq!(p.column.as_deref(), Some("Status"));
        assert_eq!(p.reason, "expected Active or Cancelled, found \"Suspended\"");

        let mut cells = base();
        cells[4].1 = "XX";
        let p = parse_cells(&cells).expect_err("unknown billing type");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Billing Type"), "expected FT or HO, found \"XX\""));

        let mut cells = base();
        cells[2].1 = "";
        let p = parse_cells(&cells).expect_err("no customer");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Customer ID"), "missing value"));
    }
}
