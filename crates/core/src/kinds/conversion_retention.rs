//! Contractual Conversion and Retention: one row per cohort (Subscription Start
//! Period), offer and billing type, with its FT conversion and twelve monthly
//! retention rates.
//!
//! Percentages are written as points (`75.9`) and kept as fractions (`0.759`).

use crate::ingest::Record;
use crate::kinds::subscriptions::Category;
use crate::report::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

// Field indices into [`crate::schema::CONVERSION_RETENTION`].
const START_PERIOD: usize = 0;
const OFFER_ID: usize = 1;
const OFFER_NAME: usize = 2;
const BILLING_TYPE: usize = 3;
const TOTAL_STARTS: usize = 4;
const FT_CONVERSION: usize = 5;
/// Month 1 Retention; Month `n` Retention is at `MONTH_1 + n - 1`.
const MONTH_1: usize = 6;
/// Months of retention the report carries.
const MONTHS: usize = 12;

/// One row of a Contractual Conversion and Retention report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// Subscription Start Period: the cohort's start month.
    pub start_period: NaiveDate,
    /// The offer.
    pub offer_id: String,
    /// The plan name (may change without notice).
    pub offer_name: Option<String>,
    /// FT or HO.
    pub billing_type: Category,
    /// Total Starts: signups in the cohort.
    pub total_starts: Option<i64>,
    /// Share of signups that converted from FT to HO, as a fraction.
    pub ft_conversion: Option<Decimal>,
    /// Month 1 to Month 12 Retention, as fractions; `retention[0]` is Month 1.
    pub retention: [Option<Decimal>; MONTHS],
}

/// Reads one record.
pub fn parse(rec: &Record) -> Result<Row, Problem> {
    let start_period = rec.required_date(START_PERIOD)?;
    let offer_id = rec.required_text(OFFER_ID)?.to_string();
    let type_text = rec.required_text(BILLING_TYPE)?;
    let billing_type = Category::parse(type_text).ok_or_else(|| {
        let mut p = rec.missing(BILLING_TYPE);
        p.reason = format!("expected FT or HO, found \"{type_text}\"");
        p
    })?;
    let mut retention = [None; MONTHS];
    for (month, value) in retention.iter_mut().enumerate() {
        *value = rec.percent(MONTH_1 + month)?;
    }
    let row = Row {
        line: rec.line(),
        start_period,
        offer_id,
        offer_name: rec.text(OFFER_NAME).map(str::to_string),
        billing_type,
        total_starts: rec.count(TOTAL_STARTS)?,
        ft_conversion: rec.percent(FT_CONVERSION)?,
        retention,
    };
    if row.total_starts.is_none() && row.ft_conversion.is_none() && row.retention.iter().all(Option::is_none) {
        return Err(Problem::row(rec.line(), "no measure has a value"));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, Conventions, DateOrder, DecimalMark};
    use crate::schema::CONVERSION_RETENTION as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START_PERIOD, "Subscription Start Period"),
            (OFFER_ID, "Offer ID"),
            (OFFER_NAME, "Offer Name"),
            (BILLING_TYPE, "Billing Type Code"),
            (TOTAL_STARTS, "Total Starts"),
            (FT_CONVERSION, "FT Conversion"),
        ] {
            assert_eq!(SCHEMA.index_of(name), Some(i), "{name}");
        }
        for n in 1..=MONTHS {
            let name = format!("Month {n} Retention");
            assert_eq!(SCHEMA.index_of(&name), Some(MONTH_1 + n - 1), "{name}");
        }
        assert_eq!(SCHEMA.fields.len(), MONTH_1 + MONTHS);
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
            ("Subscription Start Period (SSP)", "11/30/2021"),
            ("Offer ID", "B099ABCDCE-1M00000000"),
            ("Offer Name", "ABC+"),
            ("Billing Type Code", "FT"),
            ("Total Starts", "29753"),
            ("FT Conversion", "75.9"),
            ("Month 1 Retention", "50.5"),
            ("Month 2 Retention", "40.3"),
            ("Month 3 Retention", "32.7%"),
            ("Month 4 Retention", ""),
        ]
    }

    #[test]
    fn reads_a_guide_row_as_fractions() {
        let row = parse_cells(&base()).expect("row parses");
        assert_eq!(row.start_period, NaiveDate::from_ymd_opt(2021, 11, 30).expect("date"));
        assert_eq!(row.billing_type, Category::FreeTrial);
        assert_eq!(row.total_starts, Some(29753));
        assert_eq!(row.ft_conversion, Some(Decimal::new(759, 3)));
        assert_eq!(row.retention[0], Some(Decimal::new(505, 3)));
        assert_eq!(row.retention[1], Some(Decimal::new(403, 3)));
        assert_eq!(row.retention[2], Some(Decimal::new(327, 3)));
        assert!(row.retention[3..].iter().all(Option::is_none), "absent and empty months are None");
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[3].1 = "Promo";
        let p = parse_cells(&cells).expect_err("bad billing type");
        assert_eq!(p.column.as_deref(), Some("Billing Type Code"));
        assert_eq!(p.reason, "expected FT or HO, found \"Promo\"");

        let mut cells = base();
        cells[0].1 = "";
        let p = parse_cells(&cells).expect_err("no period");
        assert_eq!(
            (p.column.as_deref(), p.reason.as_str()),
            (Some("Subscription Start Period (SSP)"), "missing value")
        );

        let mut cells = base();
        for c in &mut cells[4..] {
            c.1 = "";
        }
        assert_eq!(parse_cells(&cells).expect_err("no measure").reason, "no measure has a value");
    }
}
