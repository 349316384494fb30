//! Persistent-ID Subscriptions (and the Daily Anonymized subscriptions file):
//! one row per status change of one customer's subscription, Active (gains
//! entitlement) or Cancelled (loses it).

use crate::ingest::Record;
use crate::kinds::subscriptions::Category;
use crate::report::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

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

/// One row of a Persistent-ID Subscriptions report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// The day the row reports on.
    pub report_date: NaiveDate,
    /// Marketplace (e.g. `US`).
    pub marketplace: Option<String>,
    /// Encrypted customer ID.
    pub customer_id: String,
    /// The offer (plan ID).
    pub offer: String,
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
    pub subscription: Option<String>,
}

/// Reads one record.
pub fn parse(rec: &Record) -> Result<Row, Problem> {
    let report_date = rec.required_date(REPORT_DATE)?;
    let customer_id = rec.required_text(CUSTOMER_ID)?.to_string();
    let offer = rec.required_text(OFFER)?.to_string();
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
        marketplace: rec.text(MARKETPLACE).map(str::to_string),
        customer_id,
        offer,
        billing_type,
        payment_amount: rec.decimal(PAYMENT_AMOUNT)?,
        status,
        status_start: rec.datetime(STATUS_START)?,
        status_end: rec.datetime(STATUS_END)?,
        subscription: rec.text(SUBSCRIPTION).map(str::to_string),
    })
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
        let row = parse_cells(&base()).expect("row parses");
        let day = NaiveDate::from_ymd_opt(2021, 12, 11).expect("date");
        assert_eq!(row.report_date, day);
        assert_eq!(row.marketplace.as_deref(), Some("US"));
        assert_eq!(row.customer_id, "amzn1.account.AFQJKDJYJVJL4VPNEFIV43BTSIJQ");
        assert_eq!(row.offer, "B08ZYRH8JR-1M00000000");
        assert_eq!(row.billing_type, Category::HardOffer);
        assert_eq!(row.payment_amount, Some(Decimal::new(499, 2)));
        assert_eq!(row.status, Status::Active);
        assert_eq!(row.status_start, day.and_hms_opt(12, 20, 0));
        assert_eq!(row.status_end, None);
        assert_eq!(row.subscription.as_deref(), Some("ABC+"));
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
