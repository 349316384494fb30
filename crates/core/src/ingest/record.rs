//! A data row as a report kind sees it: typed accessors by schema field.
//!
//! Kinds never index raw cells; they ask for a field (`rec.count(NEW_SUBS)`)
//! and get either a value, `None` for an empty or absent cell (missing is not
//! zero), or a [`Problem`] that already names the line and the column as the
//! file spells it.

use super::header::ColumnMap;
use super::value::{self, Conventions};
use crate::report::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// One data row, borrowed from the ingestion buffers.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    line: u64,
    text: &'a str,
    ends: &'a [usize],
    map: &'a ColumnMap,
    conv: Conventions,
}

impl<'a> Record<'a> {
    pub(crate) fn new(line: u64, text: &'a str, ends: &'a [usize], map: &'a ColumnMap, conv: Conventions) -> Self {
        Record { line, text, ends, map, conv }
    }

    /// The conventions (decimal mark, day/month order) this row is read with.
    pub fn conventions(&self) -> Conventions {
        self.conv
    }

    /// The 1-based line where the row starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Number of cells in the row.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Number of columns in the header.
    pub fn width(&self) -> usize {
        self.map.header.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `col` of the file (not a field index), trimmed; empty when absent.
    pub fn cell(&self, col: usize) -> &'a str {
        if col >= self.ends.len() {
            return "";
        }
        let start = if col == 0 { 0 } else { self.ends[col - 1] };
        value::trim(self.text.get(start..self.ends[col]).unwrap_or(""))
    }

    /// The header of the column holding `field`, as the file spells it ("" when absent).
    pub fn column_name(&self, field: usize) -> &'a str {
        self.map.by_field[field].map_or("", |c| self.map.header[c].as_str())
    }

    /// The trimmed text of `field`; `None` when the column is absent or the cell empty.
    pub fn text(&self, field: usize) -> Option<&'a str> {
        let s = self.cell(self.map.by_field[field]?);
        (!s.is_empty()).then_some(s)
    }

    /// Like [`Record::text`], but an empty cell is a problem.
    pub fn required_text(&self, field: usize) -> Result<&'a str, Problem> {
        self.text(field).ok_or_else(|| self.missing(field))
    }

    /// The problem "this required cell is empty".
    pub fn missing(&self, field: usize) -> Problem {
        Problem::cell(self.line, self.column_name(field), "missing value")
    }

    fn typed<T>(
        &self,
        field: usize,
        parse: impl FnOnce(&str) -> Result<T, value::ValueError>,
    ) -> Result<Option<T>, Problem> {
        match self.text(field) {
            None => Ok(None),
            // Placeholders Excel and exports write for "no value": missing, not
            // zero. Their first bytes are tested first: a number or a date
            // never needs the string compares (each a `memcmp` call in wasm).
            Some(s) if is_placeholder(s) => Ok(None),
            Some(s) => parse(s).map(Some).map_err(|e| Problem::cell(self.line, self.column_name(field), e.to_string())),
        }
    }

    fn required<T>(&self, field: usize, v: Result<Option<T>, Problem>) -> Result<T, Problem> {
        v?.ok_or_else(|| self.missing(field))
    }

    /// A whole number (`1,258,343`, `1.258.343`, `1 258 343`).
    pub fn count(&self, field: usize) -> Result<Option<i64>, Problem> {
        let mark = self.conv.decimal;
        self.typed(field, |s| value::parse_count(s, mark))
    }

    /// A required whole number.
    pub fn required_count(&self, field: usize) -> Result<i64, Problem> {
        self.required(field, self.count(field))
    }

    /// A decimal number under the file's decimal mark.
    pub fn decimal(&self, field: usize) -> Result<Option<Decimal>, Problem> {
        let mark = self.conv.decimal;
        self.typed(field, |s| value::parse_decimal(s, mark))
    }

    /// A required decimal number.
    pub fn required_decimal(&self, field: usize) -> Result<Decimal, Problem> {
        self.required(field, self.decimal(field))
    }

    /// A percentage written in points (`75.9`, `75.9%`), as a fraction (`0.759`).
    pub fn percent(&self, field: usize) -> Result<Option<Decimal>, Problem> {
        let mark = self.conv.decimal;
        self.typed(field, |s| value::parse_percent(s, mark))
    }

    /// A share written as a fraction (`.323`) or with a percent sign (`32.3%`), as a fraction.
    pub fn fraction(&self, field: usize) -> Result<Option<Decimal>, Problem> {
        let mark = self.conv.decimal;
        self.typed(
            field,
            |s| {
                if s.ends_with('%') {
                    value::parse_percent(s, mark)
                } else {
                    value::parse_decimal(s, mark)
                }
            },
        )
    }

    /// A date (a time part, if written, is dropped).
    pub fn date(&self, field: usize) -> Result<Option<NaiveDate>, Problem> {
        let order = self.conv.date_order;
        self.typed(field, |s| value::parse_date(s, order))
    }

    /// A required date.
    pub fn required_date(&self, field: usize) -> Result<NaiveDate, Problem> {
        self.required(field, self.date(field))
    }

    /// A date with an optional time of day (midnight when none is written).
    pub fn datetime(&self, field: usize) -> Result<Option<NaiveDateTime>, Problem> {
        let order = self.conv.date_order;
        self.typed(field, |s| value::parse_datetime(s, order).map(|(dt, _)| dt))
    }

    /// A required date-time.
    pub fn required_datetime(&self, field: usize) -> Result<NaiveDateTime, Problem> {
        self.required(field, self.datetime(field))
    }
}

/// Whether `s` is a placeholder for "no value" (`-`, a dash, `n/a`, `NA`, `null`...).
fn is_placeholder(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'-' | 0xE2 | b'n' | b'N'))
        && matches!(s, "-" | "\u{2013}" | "\u{2014}" | "n/a" | "N/A" | "NA" | "null" | "NULL")
}
