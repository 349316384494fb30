//! Contractual Subscriptions: one row per period, offer and category.
//!
//! Rows only; the nine Slate metrics over these rows live in
//! [`crate::analysis::subscriptions`].

use crate::ingest::{ColumnMap, Record};
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

// Field indices into [`crate::schema::SUBSCRIPTIONS`].
const START: usize = 1;
const END: usize = 2;
const OFFER_ID: usize = 3;
const SUBSCRIPTION: usize = 4;
const BILLING_AMOUNT: usize = 5;
const CATEGORY: usize = 6;
const ACTIVE: usize = 7;
const END_SUBS: usize = 8;
const NEW_SUBS: usize = 9;
const CANCELLED: usize = 10;
const AR_OFF: usize = 11;
const EST_CHARGED: usize = 12;
const EST_LATE_CHARGED: usize = 13;

/// Free Trial or Hard Offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    /// Free Trial.
    #[serde(rename = "FT")]
    FreeTrial,
    /// Hard Offer (paid).
    #[serde(rename = "HO")]
    HardOffer,
}

impl Category {
    /// Reads `FT`, `HO`, `Free Trial`, `Hard Offer`, `Paid` in any case.
    pub fn parse(s: &str) -> Option<Category> {
        match crate::schema::normalize(s).as_str() {
            "ft" | "freetrial" | "trial" => Some(Category::FreeTrial),
            "ho" | "hardoffer" | "paid" => Some(Category::HardOffer),
            _ => None,
        }
    }
}

/// Weekly or monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// A calendar month.
    Monthly,
    /// A seven-day week.
    Weekly,
}

impl Cadence {
    /// `monthly` or `weekly`.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Monthly => "monthly",
            Cadence::Weekly => "weekly",
        }
    }
}

impl Cadence {
    /// The cadence of a period: weekly for 7 days, monthly for a calendar month
    /// or 28 to 31 days; otherwise what the header says.
    pub fn of_period(start: NaiveDate, end: NaiveDate, header: Option<Cadence>) -> Cadence {
        use chrono::Datelike;
        let days = (end - start).num_days() + 1;
        let calendar_month = start.day() == 1 && end.succ_opt().is_some_and(|n| n.day() == 1);
        if days == 7 {
            Cadence::Weekly
        } else if calendar_month || (28..=31).contains(&days) {
            Cadence::Monthly
        } else {
            header.unwrap_or(if days < 28 { Cadence::Weekly } else { Cadence::Monthly })
        }
    }
}

/// The cadence the header names (`Month End` or `Week End Subscriptions`), if it does.
pub fn header_cadence(map: &ColumnMap) -> Option<Cadence> {
    let col = map.by_field.get(END_SUBS).copied().flatten()?;
    cadence_from_header_name(&map.header[col])
}

/// The cadence a column name such as `Week End Subscriptions` implies.
pub fn cadence_from_header_name(name: &str) -> Option<Cadence> {
    let h = crate::schema::normalize(name);
    if h.starts_with("month") {
        Some(Cadence::Monthly)
    } else if h.starts_with("week") {
        Some(Cadence::Weekly)
    } else {
        None
    }
}

/// One row of a Contractual Subscriptions report.
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
    /// Billing amount of the offer.
    pub billing_amount: Option<Decimal>,
    /// FT or HO.
    pub category: Category,
    /// Active Subscriptions.
    pub active: Option<i64>,
    /// Month (or Week) End Subscriptions.
    pub end_subs: Option<i64>,
    /// New Subscriptions.
    pub new_subs: Option<i64>,
    /// Cancelled Subscriptions.
    pub cancelled: Option<i64>,
    /// AR-Off Subscriptions.
    pub ar_off: Option<i64>,
    /// Estimated Charged Customers (monthly reports only).
    pub est_charged: Option<i64>,
    /// Estimated Late Charged Customers (monthly reports only).
    pub est_late_charged: Option<i64>,
}

/// Reads one record.
pub fn parse(rec: &Record) -> Result<Row, Problem> {
    let start = rec.required_date(START)?;
    let end = rec.required_date(END)?;
    if end < start {
        return Err(Problem::row(rec.line(), format!("Report End {end} is before Report Start {start}")));
    }
    let cat_text = rec.required_text(CATEGORY)?;
    let category = Category::parse(cat_text).ok_or_else(|| {
        let mut p = rec.missing(CATEGORY);
        p.reason = format!("expected FT or HO, found \"{cat_text}\"");
        p
    })?;
    let row = Row {
        line: rec.line(),
        start,
        end,
        offer_id: rec.required_text(OFFER_ID)?.to_string(),
        subscription: rec.text(SUBSCRIPTION).map(str::to_string),
        billing_amount: rec.decimal(BILLING_AMOUNT)?,
        category,
        active: rec.count(ACTIVE)?,
        end_subs: rec.count(END_SUBS)?,
        new_subs: rec.count(NEW_SUBS)?,
        cancelled: rec.count(CANCELLED)?,
        ar_off: rec.count(AR_OFF)?,
        est_charged: rec.count(EST_CHARGED)?,
        est_late_charged: rec.count(EST_LATE_CHARGED)?,
    };
    if row.end_subs.is_none() && row.new_subs.is_none() && row.cancelled.is_none() && row.active.is_none() {
        return Err(Problem::row(rec.line(), "no measure has a value"));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use crate::schema::SUBSCRIPTIONS;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (super::START, "Report Start"),
            (super::END, "Report End"),
            (super::OFFER_ID, "Offer ID"),
            (super::SUBSCRIPTION, "Subscription"),
            (super::BILLING_AMOUNT, "Billing Amount"),
            (super::CATEGORY, "Subscription Category"),
            (super::ACTIVE, "Active Subscriptions"),
            (super::END_SUBS, "Month End Subscriptions"),
            (super::NEW_SUBS, "New Subscriptions"),
            (super::CANCELLED, "Cancelled Subscriptions"),
            (super::AR_OFF, "AR-Off Subscriptions"),
            (super::EST_CHARGED, "Estimated Charged Customers"),
            (super::EST_LATE_CHARGED, "Estimated Late Charged Customers"),
        ] {
            assert_eq!(SUBSCRIPTIONS.index_of(name), Some(i), "{name}");
        }
    }
}
