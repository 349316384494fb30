//! Cell values: numbers and dates as Excel and regional settings write them.
//!
//! Everything here is a pure function of a cell's text and the file's
//! [`Conventions`] (decimal mark, day/month order). The conventions are decided
//! per file from evidence in the cells themselves (see [`Evidence`]), never
//! guessed per cell, so a file is read one way from its first row to its last.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Which character separates the integer part from the fraction in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// `1,258,343.50` (US, UK, and most comma-delimited exports).
    Point,
    /// `1.258.343,50` (continental Europe; Excel's semicolon exports).
    Comma,
}

/// In which order a slashed date such as `5/1/22` names day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `M/D/Y`, Slate's own format.
    MonthFirst,
    /// `D/M/Y`, what a non-US Excel writes after re-saving a file.
    DayFirst,
}

/// The per-file reading conventions every numeric and date cell is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    /// Decimal mark for numbers.
    pub decimal: DecimalMark,
    /// Order of day and month in slashed dates.
    pub date_order: DateOrder,
}

/// What one cell says about the file's conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evidence {
    /// `Some` when the cell proves the decimal mark (e.g. `8,99` or `1,258,343`).
    pub decimal: Option<DecimalMark>,
    /// `true` when the cell uses a decimal-like separator that could be read
    /// either way (e.g. `1,258` or `1.258`).
    pub decimal_ambiguous: bool,
    /// `Some` when the cell proves the date order (e.g. `5/31/22`).
    pub date_order: Option<DateOrder>,
    /// `true` for a slashed date whose day and month are both at most 12.
    pub date_ambiguous: bool,
}

/// Why a cell could not be read. Rendered after the place, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// The text is not a number in any accepted form.
    #[error("expected a number, found \"{0}\"")]
    NotNumber(String),
    /// A count that is not a whole number.
    #[error("expected a whole number, found \"{0}\"")]
    NotWhole(String),
    /// A count below zero.
    #[error("expected a count of zero or more, found \"{0}\"")]
    Negative(String),
    /// The separators do not group digits in threes, or contradict the file's decimal mark.
    #[error("number \"{0}\" does not fit this file's decimal {1}")]
    BadGrouping(String, &'static str),
    /// Not a date in any accepted form.
    #[error("expected a date (M/D/YYYY or YYYY-MM-DD), found \"{0}\"")]
    NotDate(String),
    /// Written as a date, but no such day exists.
    #[error("date \"{0}\" does not exist")]
    NoSuchDate(String),
    /// A slashed date whose parts contradict the order the rest of the file uses.
    #[error("date \"{0}\" is not {1} like the rest of this file")]
    DateOrderConflict(String, &'static str),
}

/// Trims the spaces Excel and hand edits leave around a cell, including
/// no-break spaces.
#[inline]
pub fn trim(s: &str) -> &str {
    // Fast path, inlined into every cell read: most cells start and end with a
    // visible ASCII character.
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (None, _) => s,
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => trim_spaces(s),
    }
}

#[inline(never)]
fn trim_spaces(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{feff}')
}

/// Splits a numeric cell into (negative, body-without-grouping-spaces, had_percent).
/// Returns `None` when characters other than digits, separators, a sign or a
/// trailing percent appear.
fn numeric_body(s: &str) -> Option<(bool, String, bool)> {
    let mut t = trim(s);
    let mut percent = false;
    if let Some(rest) = t.strip_suffix('%') {
        percent = true;
        t = trim(rest);
    }
    // Currency-formatted cells as Excel saves them: `$8.99`, `8,99 €`, `-$5`.
    let currency = ['$', '€', '£', '¥'];
    let mut negative = false;
    if let Some(rest) = t.strip_prefix('-').and_then(|r| r.strip_prefix(currency)) {
        negative = true;
        t = trim(rest);
    }
    t = trim(t.trim_start_matches(currency).trim_end_matches(currency));
    if let Some(rest) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        if negative {
            return None;
        }
        negative = true;
        t = trim(rest);
    } else if let Some(rest) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        // Accounting style negatives: (1,234.50).
        negative = true;
        t = trim(rest);
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest;
    }
    if t.is_empty() {
        return None;
    }
    let mut body = String::with_capacity(t.len());
    let mut prev_space = false;
    for c in t.chars() {
        match c {
            '0'..='9' | '.' | ',' => {
                body.push(c);
                prev_space = false;
            }
            // Grouping spaces: ordinary, no-break and narrow no-break; apostrophes (Swiss).
            ' ' | '\u{a0}' | '\u{202f}' | '\'' if !prev_space && !body.is_empty() => {
                body.push(' ');
                prev_space = true;
            }
            _ => return None,
        }
    }
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((negative, body, percent))
}

/// What a numeric cell says about the decimal mark.
pub fn number_evidence(s: &str) -> Evidence {
    let mut ev = Evidence::default();
    let Some((_, body, _)) = numeric_body(s) else {
        return ev;
    };
    let body = body.replace(' ', "");
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    match (commas, points) {
        (0, 0) => {}
        (c, p) if c > 0 && p > 0 => {
            // The last separator is the decimal mark.
            let last_comma = body.rfind(',').unwrap_or(0);
            let last_point = body.rfind('.').unwrap_or(0);
            ev.decimal = Some(if last_comma > last_point { DecimalMark::Comma } else { DecimalMark::Point });
        }
        (c, 0) if c > 1 => ev.decimal = Some(DecimalMark::Point),
        (0, p) if p > 1 => ev.decimal = Some(DecimalMark::Comma),
        (1, 0) => {
            let at = body.rfind(',').unwrap_or(0);
            let after = body.len() - at - 1;
            // A group of three after a first group of one to three non-zero-led digits
            // could be a thousands group; anything else proves a decimal mark.
            if after == 3 && (1..=3).contains(&at) && !body.starts_with('0') {
                ev.decimal_ambiguous = true;
            } else {
                ev.decimal = Some(DecimalMark::Comma);
            }
        }
        (0, 1) => {
            let at = body.rfind('.').unwrap_or(0);
            let after = body.len() - at - 1;
            if after == 3 && (1..=3).contains(&at) && !body.starts_with('0') {
                ev.decimal_ambiguous = true;
            } else {
                ev.decimal = Some(DecimalMark::Point);
            }
        }
        _ => {}
    }
    ev
}

/// Parses a decimal number under the file's decimal mark. Grouping separators
/// (the other mark, spaces) must group the integer part in threes.
/// A trailing `%` is accepted and ignored here; see [`parse_percent`].
pub fn parse_decimal(s: &str, mark: DecimalMark) -> Result<Decimal, ValueError> {
    match plain_decimal(s.as_bytes(), mark) {
        Some(d) => Ok(d),
        None => general_decimal(s, mark),
    }
}

/// [`parse_decimal`] for every form (allocates).
fn general_decimal(s: &str, mark: DecimalMark) -> Result<Decimal, ValueError> {
    let (negative, body, _) = numeric_body(s).ok_or_else(|| ValueError::NotNumber(trim(s).to_string()))?;
    let (dec, group) = match mark {
        DecimalMark::Point => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    let mark_name = match mark {
        DecimalMark::Point => "point",
        DecimalMark::Comma => "comma",
    };
    let bad = || ValueError::BadGrouping(trim(s).to_string(), mark_name);
    let (int_part, frac_part) = match body.find(dec) {
        Some(i) => {
            let frac = &body[i + 1..];
            if frac.contains([dec, group, ' ']) {
                return Err(bad());
            }
            (&body[..i], Some(frac))
        }
        None => (&body[..], None),
    };
    // Validate grouping of the integer part.
    let mut digits = String::with_capacity(int_part.len() + 1 + frac_part.map_or(0, str::len));
    if negative {
        digits.push('-');
    }
    let groups: Vec<&str> = int_part.split([group, ' ']).collect();
    if groups.len() > 1 {
        let sep_kinds = int_part.chars().filter(|&c| c == group || c == ' ').collect::<std::collections::BTreeSet<_>>();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok || sep_kinds.len() > 1 {
            return Err(bad());
        }
    }
    for g in &groups {
        digits.push_str(g);
    }
    if digits.trim_start_matches('-').is_empty() {
        digits.push('0');
    }
    if let Some(f) = frac_part {
        if !f.is_empty() {
            digits.push('.');
            digits.push_str(f);
        }
    }
    Decimal::from_str(&digits).map_err(|_| ValueError::NotNumber(trim(s).to_string()))
}

/// The value of a plain unsigned ASCII number (`123`, `2860.819`, `.5`, `12.`
/// with the file's decimal mark), read without allocating; `None` for any
/// other form (those take the general path). Gives exactly what the general
/// path gives, scale included (`2860.810` keeps three places).
fn plain_decimal(b: &[u8], mark: DecimalMark) -> Option<Decimal> {
    let dec = match mark {
        DecimalMark::Point => b'.',
        DecimalMark::Comma => b',',
    };
    // At most 18 digits fit an i64 mantissa.
    if b.is_empty() || b.len() > 19 {
        return None;
    }
    let (mut mantissa, mut scale, mut digits, mut seen_mark) = (0i64, 0u32, 0usize, false);
    for &c in b {
        if c.is_ascii_digit() {
            mantissa = mantissa * 10 + i64::from(c - b'0');
            digits += 1;
            if seen_mark {
                scale += 1;
            }
        } else if c == dec && !seen_mark {
            seen_mark = true;
        } else {
            return None;
        }
    }
    if digits == 0 || digits > 18 {
        return None;
    }
    Some(Decimal::new(mantissa, scale))
}

/// A plain unsigned ASCII whole number (`0`, `1500`) without allocating.
fn plain_count(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0')))
}

/// Parses a whole number (a count). `12.0` is accepted as 12; `12.5` is not.
/// A count has no fraction, so a lone separator before three digits (`1,258`,
/// `1.258`) is read as grouping whichever the file's decimal mark.
pub fn parse_count(s: &str, mark: DecimalMark) -> Result<i64, ValueError> {
    if let Some(n) = plain_count(s.as_bytes()) {
        return Ok(n);
    }
    let not_whole = || ValueError::NotWhole(trim(s).to_string());
    if trim(s).ends_with('%') {
        return Err(not_whole());
    }
    let other = match mark {
        DecimalMark::Point => DecimalMark::Comma,
        DecimalMark::Comma => DecimalMark::Point,
    };
    let whole = |m| parse_decimal(s, m).ok().filter(|d| d.fract().is_zero());
    let d = match (parse_decimal(s, mark), whole(other)) {
        (Ok(d), _) if d.fract().is_zero() => d,
        (Ok(_), Some(d)) if !has_decimal_part(s, other) => d,
        (Err(ValueError::BadGrouping(..)), Some(d)) if !has_decimal_part(s, other) => d,
        _ => return Err(not_whole()),
    };
    if d.is_sign_negative() && !d.is_zero() {
        return Err(ValueError::Negative(trim(s).to_string()));
    }
    i64::try_from(d).map_err(|_| not_whole())
}

fn has_decimal_part(s: &str, mark: DecimalMark) -> bool {
    let c = match mark {
        DecimalMark::Point => '.',
        DecimalMark::Comma => ',',
    };
    s.contains(c)
}

/// Parses a percentage into a fraction: `75.9`, `75.9%` and `75,9 %` all give
/// `0.759`. Slate writes percentage columns as points (`75.9` meaning 75.9%).
pub fn parse_percent(s: &str, mark: DecimalMark) -> Result<Decimal, ValueError> {
    parse_decimal(s, mark).map(|d| d / Decimal::ONE_HUNDRED)
}

/// A date or date-time cell before the day/month order is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RawDate {
    /// `a/b/y` or `a-b-y` with slashes: order unknown until the file decides.
    Slashed { a: u32, b: u32, year: i32, time: Option<NaiveTime> },
    /// ISO 8601 or dotted `D.M.Y`: unambiguous.
    Fixed(NaiveDateTime, bool),
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = trim(s);
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (clock, meridiem) = if let Some(r) = s.strip_suffix("AM").or_else(|| s.strip_suffix("am")) {
        (trim(r), Some(false))
    } else if let Some(r) = s.strip_suffix("PM").or_else(|| s.strip_suffix("pm")) {
        (trim(r), Some(true))
    } else {
        (s, None)
    };
    // Drop a timezone offset such as +00:00 (times are kept as written).
    let clock = match clock.rfind(['+', '-']) {
        Some(i) if i >= 5 => &clock[..i],
        _ => clock,
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (sec, nano) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let w: u32 = whole.parse().ok()?;
            let mut nanos = 0u32;
            if !frac.is_empty() {
                let f: String = frac.chars().take(9).collect();
                nanos = f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32);
            }
            (w, nanos)
        }
        None => (0, 0),
    };
    if parts.next().is_some() {
        return None;
    }
    let h = match meridiem {
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => h,
    };
    NaiveTime::from_hms_nano_opt(h, m, sec, nano)
}

fn two_digit_year(y: i32, digits: usize) -> i32 {
    if digits <= 2 {
        // Slate data starts in the 2010s: 00-69 are this century.
        if y < 70 {
            2000 + y
        } else {
            1900 + y
        }
    } else {
        y
    }
}

/// Digits `b[i..j]` as a number, when they are all ASCII digits and there are 1 to 4.
fn digits_at(b: &[u8], i: usize, j: usize) -> Option<u32> {
    let d = b.get(i..j)?;
    if d.is_empty() || d.len() > 4 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0')))
}

/// The common shapes read byte by byte: `M/D/YYYY`, `M/D/YY`, `YYYY-MM-DD`,
/// each optionally followed by ` H:MM` or ` H:MM:SS` (or `T` for the space).
/// `None` for anything else, which the general path then reads; where this
/// answers, it answers as the general path would.
fn fast_raw_date(b: &[u8]) -> Option<RawDate> {
    let date_end = b.iter().position(|&c| c == b' ' || c == b'T').unwrap_or(b.len());
    let date = &b[..date_end];
    let time = if date_end < b.len() {
        let t = &b[date_end + 1..];
        let colon = t.iter().position(|&c| c == b':')?;
        if !(1..=2).contains(&colon) {
            return None;
        }
        let h = digits_at(t, 0, colon)?;
        let rest = &t[colon + 1..];
        let (m, sec) = match rest.len() {
            2 => (digits_at(rest, 0, 2)?, 0),
            5 if rest[2] == b':' => (digits_at(rest, 0, 2)?, digits_at(rest, 3, 5)?),
            _ => return None,
        };
        Some(NaiveTime::from_hms_opt(h, m, sec)?)
    } else {
        None
    };
    if date.len() == 10 && date[4] == b'-' && date[7] == b'-' {
        let d =
            NaiveDate::from_ymd_opt(digits_at(date, 0, 4)? as i32, digits_at(date, 5, 7)?, digits_at(date, 8, 10)?)?;
        return Some(RawDate::Fixed(d.and_time(time.unwrap_or_default()), time.is_some()));
    }
    let s1 = date.iter().position(|&c| c == b'/')?;
    let s2 = s1 + 1 + date[s1 + 1..].iter().position(|&c| c == b'/')?;
    let ylen = date.len() - s2 - 1;
    if !(1..=2).contains(&s1) || !(1..=2).contains(&(s2 - s1 - 1)) || !(ylen == 2 || ylen == 4) {
        return None;
    }
    let (a, b2, y) = (digits_at(date, 0, s1)?, digits_at(date, s1 + 1, s2)?, digits_at(date, s2 + 1, date.len())?);
    Some(RawDate::Slashed { a, b: b2, year: two_digit_year(y as i32, ylen), time })
}

fn raw_date(s: &str) -> Option<RawDate> {
    let s = trim(s);
    fast_raw_date(s.as_bytes()).or_else(|| general_raw_date(s))
}

/// [`raw_date`] for every form, on trimmed text.
fn general_raw_date(s: &str) -> Option<RawDate> {
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let time = match time {
        Some(t) if !trim(t).is_empty() => Some(parse_time(t)?),
        _ => None,
    };
    if date.contains('/') {
        let mut it = date.split('/');
        let (a, b, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || a.is_empty() || b.is_empty() || a.len() > 2 || b.len() > 2 {
            // `2024/01/31` (year first) is unambiguous.
            if a.len() == 4 && it.next().is_none() {
                let d = NaiveDate::from_ymd_opt(a.parse().ok()?, b.parse().ok()?, y.parse().ok()?)?;
                return Some(RawDate::Fixed(d.and_time(time.unwrap_or_default()), time.is_some()));
            }
            return None;
        }
        let year = two_digit_year(y.parse().ok()?, y.len());
        if !(y.len() == 2 || y.len() == 4) {
            return None;
        }
        return Some(RawDate::Slashed { a: a.parse().ok()?, b: b.parse().ok()?, year, time });
    }
    if date.contains('.') {
        // D.M.YYYY, the dotted European form: always day first.
        let mut it = date.split('.');
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || !(y.len() == 2 || y.len() == 4) {
            return None;
        }
        let dt = NaiveDate::from_ymd_opt(two_digit_year(y.parse().ok()?, y.len()), m.parse().ok()?, d.parse().ok()?)?;
        return Some(RawDate::Fixed(dt.and_time(time.unwrap_or_default()), time.is_some()));
    }
    if date.len() >= 8 && date.as_bytes().get(4) == Some(&b'-') {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        return Some(RawDate::Fixed(d.and_time(time.unwrap_or_default()), time.is_some()));
    }
    if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) && time.is_none() {
        let d = NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
        return Some(RawDate::Fixed(d.and_hms_opt(0, 0, 0)?, false));
    }
    None
}

/// What a date cell says about the day/month order.
pub fn date_evidence(s: &str) -> Evidence {
    let mut ev = Evidence::default();
    if let Some(RawDate::Slashed { a, b, .. }) = raw_date(s) {
        match (a > 12, b > 12) {
            (true, false) => ev.date_order = Some(DateOrder::DayFirst),
            (false, true) => ev.date_order = Some(DateOrder::MonthFirst),
            (false, false) if a != b => ev.date_ambiguous = true,
            _ => {}
        }
    }
    ev
}

/// Parses a date-time cell under the file's date order. Returns the value and
/// whether a time of day was written.
pub fn parse_datetime(s: &str, order: DateOrder) -> Result<(NaiveDateTime, bool), ValueError> {
    let not_date = || {
        // Shaped like a date (`2024-02-30`) but no such day: say so.
        let t = trim(s);
        let b = t.as_bytes();
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
            ValueError::NoSuchDate(t.to_string())
        } else {
            ValueError::NotDate(t.to_string())
        }
    };
    match raw_date(s).ok_or_else(not_date)? {
        RawDate::Fixed(dt, has_time) => Ok((dt, has_time)),
        RawDate::Slashed { a, b, year, time } => {
            let (m, d) = match order {
                DateOrder::MonthFirst => (a, b),
                DateOrder::DayFirst => (b, a),
            };
            if m > 12 && d <= 12 {
                let name = match order {
                    DateOrder::MonthFirst => "month/day",
                    DateOrder::DayFirst => "day/month",
                };
                return Err(ValueError::DateOrderConflict(trim(s).to_string(), name));
            }
            let date =
                NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| ValueError::NoSuchDate(trim(s).to_string()))?;
            Ok((date.and_time(time.unwrap_or_default()), time.is_some()))
        }
    }
}

/// Parses a date cell (a time part, if written, is dropped).
pub fn parse_date(s: &str, order: DateOrder) -> Result<NaiveDate, ValueError> {
    parse_datetime(s, order).map(|(dt, _)| dt.date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_in_every_regional_form() {
        assert_eq!(parse_decimal("1,258,343", Point), Ok(dec("1258343")));
        assert_eq!(parse_decimal("1.258.343", Comma), Ok(dec("1258343")));
        assert_eq!(parse_decimal("1 258 343", Point), Ok(dec("1258343")));
        assert_eq!(parse_decimal("1\u{a0}258\u{a0}343,5", Comma), Ok(dec("1258343.5")));
        assert_eq!(parse_decimal("8,99", Comma), Ok(dec("8.99")));
        assert_eq!(parse_decimal("8.99", Point), Ok(dec("8.99")));
        assert_eq!(parse_decimal(".323", Point), Ok(dec("0.323")));
        assert_eq!(parse_decimal("-12.5", Point), Ok(dec("-12.5")));
        assert_eq!(parse_decimal("(12.5)", Point), Ok(dec("-12.5")));
        assert_eq!(parse_decimal(" 44121.43 ", Point), Ok(dec("44121.43")));
        assert_eq!(parse_percent("75.9%", Point), Ok(dec("0.759")));
        assert_eq!(parse_percent("75,9 %", Comma), Ok(dec("0.759")));
        assert_eq!(parse_percent("50.5", Point), Ok(dec("0.505")));
    }

    #[test]
    fn numbers_refused() {
        assert!(matches!(parse_decimal("12,5x", Point), Err(ValueError::NotNumber(_))));
        assert!(matches!(parse_decimal("1,25,8", Point), Err(ValueError::BadGrouping(..))));
        assert!(matches!(parse_decimal("8,99", Point), Err(ValueError::BadGrouping(..))));
        assert!(matches!(parse_decimal("", Point), Err(ValueError::NotNumber(_))));
        assert!(matches!(parse_decimal("n/a", Point), Err(ValueError::NotNumber(_))));
        assert_eq!(parse_count("12.5", Point), Err(ValueError::NotWhole("12.5".into())));
        assert_eq!(parse_count("12,5", Comma), Err(ValueError::NotWhole("12,5".into())));
        assert_eq!(parse_count("12,5x", Point), Err(ValueError::NotWhole("12,5x".into())));
        assert_eq!(parse_count("-5", Point), Err(ValueError::Negative("-5".into())));
        assert_eq!(parse_decimal("$8.99", Point), Ok(dec("8.99")));
        assert_eq!(parse_decimal("\"$1,008.99\"".trim_matches('"'), Point), Ok(dec("1008.99")));
        assert_eq!(parse_decimal("8,99 €", Comma), Ok(dec("8.99")));
        assert_eq!(parse_decimal("-$5", Point), Ok(dec("-5")));
    }

    #[test]
    fn counts_accept_either_grouping() {
        assert_eq!(parse_count("1,258,343", Point), Ok(1_258_343));
        assert_eq!(parse_count("1.258.343", Point), Ok(1_258_343));
        assert_eq!(parse_count("1.258.343", Comma), Ok(1_258_343));
        assert_eq!(parse_count("1,258", Comma), Ok(1_258));
        assert_eq!(parse_count("42.0", Point), Ok(42));
        assert_eq!(parse_count("0", Point), Ok(0));
    }

    #[test]
    fn evidence_for_decimal_mark() {
        assert_eq!(number_evidence("8,99").decimal, Some(Comma));
        assert_eq!(number_evidence("1,258,343").decimal, Some(Point));
        assert_eq!(number_evidence("1.258.343").decimal, Some(Comma));
        assert_eq!(number_evidence("1.258,5").decimal, Some(Comma));
        assert_eq!(number_evidence("3.99").decimal, Some(Point));
        assert!(number_evidence("1,258").decimal_ambiguous);
        assert!(number_evidence("1.258").decimal_ambiguous);
        assert_eq!(number_evidence("0.258").decimal, Some(Point));
        assert_eq!(number_evidence("2860.819").decimal, Some(Point));
        assert_eq!(number_evidence("2860,819").decimal, Some(Comma));
        assert_eq!(number_evidence("1500"), Evidence::default());
    }

    #[test]
    fn fast_paths_agree_with_the_general_ones() {
        let numbers = [
            "0",
            "00",
            "007",
            "123",
            "2860.819",
            "2860.810",
            "2860,819",
            ".5",
            ",5",
            "12.",
            "12,",
            ".",
            ",",
            "1.2.3",
            "1,258",
            "1.258",
            "-5",
            "+5",
            "5 ",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567.8",
            "0.000000000000000001",
            "1e5",
            "",
        ];
        for s in numbers {
            for mark in [Point, Comma] {
                let fast = plain_decimal(s.as_bytes(), mark);
                if let Some(d) = fast {
                    let general = general_decimal(s, mark).unwrap();
                    assert_eq!((d, d.scale()), (general, general.scale()), "{s:?} {mark:?}");
                }
            }
            if let Some(n) = plain_count(s.as_bytes()) {
                assert_eq!(Decimal::from(n), general_decimal(s, Point).unwrap(), "{s:?}");
            }
        }
        let dates = [
            "5/31/22",
            "5/31/2022",
            "12/5/2017 1:05",
            "12/5/2017 13:05",
            "12/5/2017 13:05:09",
            "12/5/2017 24:00",
            "12/5/2017T13:05",
            "2024-01-31",
            "2024-02-30",
            "2024-01-31 08:30:00",
            "2024-01-31T08:30",
            "2024-13-01",
            "1/2/3",
            "1/2/345",
            "123/1/2024",
            "1/1/2024/1",
            "2024/01/31",
            "31.01.2024",
            "20240131",
            "Total",
            "T",
            "5/31/22 ",
            "5/31/22 1:5",
            "5/31/22 1:05 PM",
            "5/31/22 1:05:07.5",
            "5/31/22 +1:05",
            "+5/31/22",
        ];
        for s in dates {
            if let Some(d) = fast_raw_date(s.as_bytes()) {
                assert_eq!(Some(d), general_raw_date(s), "{s:?}");
            }
        }
        // The fast paths do take the common shapes.
        assert!(plain_decimal(b"2860.819", Point).is_some());
        assert!(fast_raw_date(b"12/5/2017 13:05").is_some());
        assert!(fast_raw_date(b"2024-01-31").is_some());
    }

    #[test]
    fn dates_in_every_form() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(parse_date("5/31/22", DateOrder::MonthFirst), Ok(d(2022, 5, 31)));
        assert_eq!(parse_date("12/5/2017", DateOrder::MonthFirst), Ok(d(2017, 12, 5)));
        assert_eq!(parse_date("2024-01-31", DateOrder::MonthFirst), Ok(d(2024, 1, 31)));
        assert_eq!(parse_date("31.01.2024", DateOrder::MonthFirst), Ok(d(2024, 1, 31)));
        assert_eq!(parse_date("31/01/2024", DateOrder::DayFirst), Ok(d(2024, 1, 31)));
        let (dt, has_time) = parse_datetime("12/11/2021 12:20", DateOrder::MonthFirst).unwrap();
        assert!(has_time);
        assert_eq!(dt, d(2021, 12, 11).and_hms_opt(12, 20, 0).unwrap());
        let (dt, _) = parse_datetime("2021-12-11T12:20:05.5Z", DateOrder::MonthFirst).unwrap();
        assert_eq!(dt, d(2021, 12, 11).and_hms_milli_opt(12, 20, 5, 500).unwrap());
        let (dt, _) = parse_datetime("12/11/2021 1:05 PM", DateOrder::MonthFirst).unwrap();
        assert_eq!(dt, d(2021, 12, 11).and_hms_opt(13, 5, 0).unwrap());
    }

    #[test]
    fn date_order_is_never_swapped_silently() {
        assert_eq!(
            parse_date("31/01/2024", DateOrder::MonthFirst),
            Err(ValueError::DateOrderConflict("31/01/2024".into(), "month/day"))
        );
        assert!(matches!(parse_date("2/30/2024", DateOrder::MonthFirst), Err(ValueError::NoSuchDate(_))));
        assert!(matches!(parse_date("2024-02-30", DateOrder::MonthFirst), Err(ValueError::NoSuchDate(_))));
        assert!(matches!(parse_date("Total", DateOrder::MonthFirst), Err(ValueError::NotDate(_))));
        assert_eq!(date_evidence("5/31/22").date_order, Some(DateOrder::MonthFirst));
        assert_eq!(date_evidence("31/5/22").date_order, Some(DateOrder::DayFirst));
        assert!(date_evidence("5/1/22").date_ambiguous);
        assert!(!date_evidence("5/5/22").date_ambiguous);
    }
}
