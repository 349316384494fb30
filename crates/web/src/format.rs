//! Numbers, periods and changes as people read them on the page.
//!
//! Plain functions over core's exact values (`i64` counts, `Decimal` rates and
//! money), tested natively. Counts are grouped (`1,288,546`) or compact
//! (`1.29M`); rates are fractions shown as percents (`5.66%`); a change against
//! the previous period reads `▲ 3.4%` for counts and `▼ 1.20 pts` for rates, with
//! a sentence for screen readers (`up 3.4% from April 2022`).

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use slatelens_core::kinds::subscriptions::Cadence;

pub use slatelens_core::text::{group_digits, grouped};

/// A decimal rounded half away from zero to `dp` places, written with exactly
/// `dp` decimals and a grouped integer part: `11583913.487`, 2 → `11,583,913.49`.
pub fn decimal(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", dp as usize, r.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if r.is_sign_negative() && !r.is_zero() { "-" } else { "" };
    let frac = if frac.is_empty() { String::new() } else { format!(".{frac}") };
    format!("{sign}{}{frac}", group_digits(int))
}

/// Money in the report's own currency, two decimals: `11,583,913.49`.
pub fn money(d: Decimal) -> String {
    decimal(d, 2)
}

/// A fraction as a percent with two decimals: `0.0565500618` → `5.66%`.
pub fn percent(rate: Decimal) -> String {
    format!("{}%", decimal(rate * Decimal::ONE_HUNDRED, 2))
}

/// A count in at most three significant digits with K, M or B:
/// `1288546` → `1.29M`, `850000` → `850K`, `999999` → `1M`, `999` → `999`.
pub fn compact(n: i64) -> String {
    const UNITS: [(i64, &str); 3] = [(1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")];
    let abs = n.unsigned_abs();
    if abs < 1_000 {
        return n.to_string();
    }
    let Some(i) = UNITS.iter().position(|&(u, _)| abs >= u.unsigned_abs()) else { return n.to_string() };
    let (unit, suffix) = UNITS[i];
    let scaled = (Decimal::from(n) / Decimal::from(unit))
        .round_sf_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
        .unwrap_or_default();
    // 999,999 rounds to 1000K: say 1M.
    if scaled.abs() >= Decimal::ONE_THOUSAND && i > 0 {
        let (bigger, suffix) = UNITS[i - 1];
        let scaled = (Decimal::from(n) / Decimal::from(bigger))
            .round_sf_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
            .unwrap_or_default();
        return format!("{}{suffix}", scaled.normalize());
    }
    format!("{}{suffix}", scaled.normalize())
}

/// What a number measures, which decides how it and its change read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole count of subscriptions.
    Count,
    /// A fraction 0..1 shown as a percent; its change is in percentage points.
    Rate,
    /// An amount in the report's currency.
    Money,
}

impl Unit {
    /// The value as a card shows it: `1,288,546`, `5.66%`, `11,583,913.49`.
    pub fn full(self, v: Decimal) -> String {
        match self {
            Unit::Count => decimal(v, 0),
            Unit::Rate => percent(v),
            Unit::Money => money(v),
        }
    }
}

/// Which way a number is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// More is better (subscribers, starts, conversions).
    UpIsGood,
    /// Less is better (cancels, churn).
    UpIsBad,
}

/// Direction of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Went up.
    Up,
    /// Went down.
    Down,
    /// Did not move.
    Flat,
}

/// Whether a change is good news, bad news or neither (the colour of the arrow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Good news (green).
    Good,
    /// Bad news (red).
    Bad,
    /// No change.
    Neutral,
}

impl Tone {
    /// The CSS class of this tone.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Neutral => "neutral",
        }
    }
}

/// A period-over-period change, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopText {
    /// What is shown: `▲ 3.4%`, `▼ 1.20 pts`, `• no change`.
    pub text: String,
    /// What a screen reader says: `up 3.4% from April 2022`.
    pub label: String,
    /// The exact change, for a tooltip: `+42,868 from April 2022`.
    pub detail: String,
    /// Up, down or flat.
    pub direction: Direction,
    /// Good, bad or neutral, given the metric's polarity.
    pub tone: Tone,
}

/// The change of a metric against the previous period (`prev` names it, as in
/// `April 2022`). `delta` is this − previous; `relative` is delta / |previous|
/// (absent when previous is zero). Counts read as a relative change (`▲ 3.4%`),
/// or the delta when there is no relative one; rates as percentage points
/// (`▼ 1.20 pts`); money as a relative change.
pub fn pop(unit: Unit, polarity: Polarity, delta: Decimal, relative: Option<Decimal>, prev: &str) -> PopText {
    let direction = if delta.is_zero() {
        Direction::Flat
    } else if delta.is_sign_positive() {
        Direction::Up
    } else {
        Direction::Down
    };
    let tone = match (direction, polarity) {
        (Direction::Flat, _) => Tone::Neutral,
        (Direction::Up, Polarity::UpIsGood) | (Direction::Down, Polarity::UpIsBad) => Tone::Good,
        _ => Tone::Bad,
    };
    let signed_delta = match unit {
        Unit::Count => signed(decimal(delta, 0), delta),
        Unit::Money => signed(money(delta), delta),
        Unit::Rate => format!("{} pts", signed(decimal(delta * Decimal::ONE_HUNDRED, 2), delta)),
    };
    if direction == Direction::Flat {
        return PopText {
            text: "• no change".to_string(),
            label: format!("no change from {prev}"),
            detail: format!("no change from {prev}"),
            direction,
            tone,
        };
    }
    let (glyph, word) = if direction == Direction::Up { ("▲", "up") } else { ("▼", "down") };
    let (shown, spoken) = match (unit, relative) {
        (Unit::Rate, _) => {
            let pts = at_least(delta.abs() * Decimal::ONE_HUNDRED, 2);
            (format!("{pts} pts"), format!("{pts} percentage points"))
        }
        (_, Some(rel)) => {
            let pct = at_least(rel.abs() * Decimal::ONE_HUNDRED, 1);
            (format!("{pct}%"), format!("{pct}%"))
        }
        (Unit::Count, None) => (decimal(delta.abs(), 0), decimal(delta.abs(), 0)),
        (Unit::Money, None) => (money(delta.abs()), money(delta.abs())),
    };
    let detail = match (unit, relative) {
        (Unit::Rate, _) | (_, None) => format!("{signed_delta} from {prev}"),
        (_, Some(rel)) => format!("{signed_delta} ({}) from {prev}", signed(percent(rel), rel)),
    };
    PopText { text: format!("{glyph} {shown}"), label: format!("{word} {spoken} from {prev}"), detail, direction, tone }
}

/// `text` with a `+` in front when `v` is positive.
fn signed(text: String, v: Decimal) -> String {
    if v.is_sign_positive() && !v.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}

/// A non-negative amount to `dp` decimals, but never `0.0` for a non-zero one:
/// that reads `<0.1`.
fn at_least(v: Decimal, dp: u32) -> String {
    let shown = v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if shown.is_zero() && !v.is_zero() {
        format!("<{}", Decimal::new(1, dp))
    } else {
        decimal(v, dp)
    }
}

/// Whether a period is a whole calendar month.
pub fn is_calendar_month(start: NaiveDate, end: NaiveDate) -> bool {
    start.day() == 1 && end.succ_opt().is_some_and(|n| n.day() == 1) && start.month() == end.month()
}

/// What a person calls a period: `May 2022` for a calendar month, otherwise
/// `2017-11-29 – 2017-12-05`.
pub fn period_label(start: NaiveDate, end: NaiveDate) -> String {
    if is_calendar_month(start, end) {
        start.format("%B %Y").to_string()
    } else {
        format!("{start} – {end}")
    }
}

/// A period on a chart axis: `Jan 24` for a month, `29 Nov 17` for a week (its start).
pub fn axis_period_label(start: NaiveDate, end: NaiveDate, cadence: Cadence) -> String {
    if cadence == Cadence::Monthly && is_calendar_month(start, end) {
        start.format("%b %y").to_string()
    } else {
        start.format("%-d %b %y").to_string()
    }
}

/// A day on a chart axis, with its weekday, short enough never to be cut: `Wed 1 Dec 21`.
pub fn axis_day(d: NaiveDate) -> String {
    d.format("%a %-d %b %y").to_string()
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `1 row`, `1,327 rows`.
pub fn rows(n: usize) -> String {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    format!("{} {}", grouped(n), if n == 1 { "row" } else { "rows" })
}

/// Where a period's numbers come from: `from 3 rows in may.csv`.
pub fn provenance(row_count: usize, files: &[String]) -> String {
    if files.is_empty() {
        return format!("from {}", rows(row_count));
    }
    format!("from {} in {}", rows(row_count), and_list(files))
}

/// How a chart axis writes its ticks: one unit for the whole axis (K, M, B or
/// %) and as many decimals as the step between ticks needs, trailing zeros
/// dropped: `1.2M`, `1.25M`; `5.7%`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisFormat {
    unit: f64,
    suffix: &'static str,
    decimals: usize,
}

impl AxisFormat {
    /// The format for ticks `step` apart on an axis reaching `max_abs`, for
    /// counts (`percent == false`) or fractions shown as percents.
    pub fn new(max_abs: f64, step: f64, percent: bool) -> AxisFormat {
        let (unit, suffix) = if percent {
            (0.01, "%")
        } else if max_abs >= 1e9 {
            (1e9, "B")
        } else if max_abs >= 1e6 {
            (1e6, "M")
        } else if max_abs >= 1e3 {
            (1e3, "K")
        } else {
            (1.0, "")
        };
        let rel = step.abs() / unit;
        let decimals =
            if rel > 0.0 && rel.is_finite() { (-(rel.log10() - 1e-9).floor()).clamp(0.0, 6.0) as usize } else { 0 };
        AxisFormat { unit, suffix, decimals }
    }

    /// One tick: `1.29M`, `850K`, `0`, `5.7%`.
    pub fn format(&self, v: f64) -> String {
        let mut s = format!("{:.*}", self.decimals, v / self.unit);
        if s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        if s == "-0" || s == "0" {
            return if self.suffix == "%" { "0%".to_string() } else { "0".to_string() };
        }
        format!("{s}{}", self.suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("a decimal")
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).expect("a date")
    }

    #[test]
    fn compact_counts() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (-999, "-999"),
            (1_000, "1K"),
            (1_234, "1.23K"),
            (12_345, "12.3K"),
            (850_000, "850K"),
            (999_499, "999K"),
            (999_999, "1M"),
            (1_288_546, "1.29M"),
            (1_245_678, "1.25M"),
            (1_200_000, "1.2M"),
            (-42_868, "-42.9K"),
            (2_500_000_000, "2.5B"),
        ] {
            assert_eq!(compact(n), want, "{n}");
        }
    }

    #[test]
    fn percents_and_money() {
        // The guide's churn: 77,235 / 1,365,781.
        assert_eq!(percent(Decimal::from(77_235) / Decimal::from(1_365_781)), "5.66%");
        assert_eq!(percent(Decimal::from(95_718) / Decimal::from(113_100)), "84.63%");
        assert_eq!(percent(Decimal::ZERO), "0.00%");
        assert_eq!(percent(Decimal::ONE), "100.00%");
        assert_eq!(percent(d("0.00005")), "0.01%");
        assert_eq!(money(d("11583913.487")), "11,583,913.49");
        assert_eq!(money(d("-0.004")), "0.00");
        assert_eq!(money(d("8.99")), "8.99");
        assert_eq!(decimal(d("1288546"), 0), "1,288,546");
        assert_eq!(Unit::Count.full(d("42868")), "42,868");
        assert_eq!(Unit::Rate.full(d("0.0565")), "5.65%");
    }

    #[test]
    fn pop_of_counts_rates_and_money() {
        // EOP paid subs, April → May 2022 in the guide: 1,245,678 → 1,288,546.
        let delta = Decimal::from(42_868);
        let rel = delta / Decimal::from(1_245_678);
        let p = pop(Unit::Count, Polarity::UpIsGood, delta, Some(rel), "April 2022");
        assert_eq!(p.text, "▲ 3.4%");
        assert_eq!(p.label, "up 3.4% from April 2022");
        assert_eq!(p.detail, "+42,868 (+3.44%) from April 2022");
        assert_eq!((p.direction, p.tone), (Direction::Up, Tone::Good));

        // Churn going up is bad news; the change is in points.
        let p = pop(Unit::Rate, Polarity::UpIsBad, d("0.012"), Some(d("0.3")), "April 2022");
        assert_eq!(p.text, "▲ 1.20 pts");
        assert_eq!(p.label, "up 1.20 percentage points from April 2022");
        assert_eq!(p.detail, "+1.20 pts from April 2022");
        assert_eq!(p.tone, Tone::Bad);
        let p = pop(Unit::Rate, Polarity::UpIsBad, d("-0.012"), None, "April 2022");
        assert_eq!((p.text.as_str(), p.tone), ("▼ 1.20 pts", Tone::Good));

        // Cancels going down is good; no relative change from zero: show the delta.
        let p = pop(Unit::Count, Polarity::UpIsBad, d("-1386"), None, "2024-01-01 – 2024-01-07");
        assert_eq!(p.text, "▼ 1,386");
        assert_eq!(p.label, "down 1,386 from 2024-01-01 – 2024-01-07");
        assert_eq!(p.tone, Tone::Good);

        // A change too small to show at one decimal is not "0.0%".
        let p = pop(Unit::Count, Polarity::UpIsGood, d("1"), Some(d("0.0000008")), "May 2022");
        assert_eq!(p.text, "▲ <0.1%");
        let p = pop(Unit::Money, Polarity::UpIsGood, d("-10.5"), Some(d("-0.25")), "May 2022");
        assert_eq!((p.text.as_str(), p.detail.as_str()), ("▼ 25.0%", "-10.50 (-25.00%) from May 2022"));

        let p = pop(Unit::Count, Polarity::UpIsGood, Decimal::ZERO, Some(Decimal::ZERO), "May 2022");
        assert_eq!((p.text.as_str(), p.label.as_str()), ("• no change", "no change from May 2022"));
        assert_eq!(p.tone, Tone::Neutral);
    }

    #[test]
    fn period_labels() {
        assert_eq!(period_label(date("2022-05-01"), date("2022-05-31")), "May 2022");
        assert_eq!(period_label(date("2024-02-01"), date("2024-02-29")), "February 2024");
        assert_eq!(period_label(date("2017-11-29"), date("2017-12-05")), "2017-11-29 – 2017-12-05");
        // A month-long period that is not a calendar month says its dates.
        assert_eq!(period_label(date("2024-01-15"), date("2024-02-14")), "2024-01-15 – 2024-02-14");
        assert_eq!(axis_period_label(date("2024-01-01"), date("2024-01-31"), Cadence::Monthly), "Jan 24");
        assert_eq!(axis_period_label(date("2017-11-29"), date("2017-12-05"), Cadence::Weekly), "29 Nov 17");
    }

    #[test]
    fn lists_and_provenance() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&s(&["a.csv", "b.csv", "c.csv"])), "a.csv, b.csv and c.csv");
        assert_eq!(provenance(3, &s(&["may.csv"])), "from 3 rows in may.csv");
        assert_eq!(provenance(1, &s(&["a.csv", "b.csv"])), "from 1 row in a.csv and b.csv");
        assert_eq!(provenance(12_000, &[]), "from 12,000 rows");
    }

    #[test]
    fn axis_ticks() {
        let f = AxisFormat::new(1_300_000.0, 50_000.0, false);
        let ticks: Vec<String> = [1_150_000.0, 1_200_000.0, 1_250_000.0, 1_300_000.0].map(|v| f.format(v)).into();
        assert_eq!(ticks, ["1.15M", "1.2M", "1.25M", "1.3M"]);
        let f = AxisFormat::new(900_000.0, 50_000.0, false);
        assert_eq!([f.format(850_000.0), f.format(0.0)], ["850K", "0"]);
        let f = AxisFormat::new(0.06, 0.001, true);
        assert_eq!([f.format(0.057), f.format(0.06), f.format(0.0)], ["5.7%", "6%", "0%"]);
        let f = AxisFormat::new(50.0, 10.0, false);
        assert_eq!([f.format(-20.0), f.format(40.0)], ["-20", "40"]);
        let f = AxisFormat::new(60_000.0, 20_000.0, false);
        assert_eq!([f.format(-20_000.0), f.format(-0.0000001)], ["-20K", "0"]);
    }
}
