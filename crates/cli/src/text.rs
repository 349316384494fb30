//! The human-readable rendering of an [`Analysis`] for the terminal.

use rust_decimal::Decimal;
use slatelens_core::Analysis;
use std::io::{self, Write};

/// Formats a count with thousands separators: `1,288,546`.
pub fn count(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn pct(v: Decimal) -> String {
    format!("{}%", (v * Decimal::ONE_HUNDRED).round_dp(2))
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

/// Writes the analysis as text.
pub fn write(out: &mut impl Write, a: &Analysis) -> io::Result<()> {
    for f in &a.files {
        writeln!(out, "{}", f.name)?;
        if let Some(e) = &f.error {
            writeln!(out, "  not read: {e}")?;
            continue;
        }
        writeln!(out, "  kind: {}  ({}, {} delimited)", f.label, f.encoding, f.delimiter)?;
        writeln!(out, "  rows: {} read, {} used, {} rejected", f.rows, f.used, f.rejected)?;
        if let Some(d) = &f.duplicate_of {
            writeln!(out, "  same content as {d}: not counted again")?;
        }
        for n in &f.notes {
            writeln!(out, "  note: {n}")?;
        }
        for p in &f.problems {
            writeln!(out, "  {}", p.display(&f.name))?;
        }
        if f.problems_omitted > 0 {
            writeln!(out, "  ... and {} more problems", f.problems_omitted)?;
        }
    }
    if !a.subscriptions.is_empty() {
        writeln!(out)?;
        writeln!(out, "Contractual Subscriptions")?;
        writeln!(
            out,
            "{:<24} {:>12} {:>10} {:>8} {:>10} {:>10} {:>10} {:>11} {:>8} {:>10}",
            "period",
            "EOP paid",
            "cancels",
            "churn",
            "FT starts",
            "HO starts",
            "starts",
            "conversions",
            "conv %",
            "net adds"
        )?;
        for p in &a.subscriptions {
            let m = &p.metrics;
            writeln!(
                out,
                "{:<24} {:>12} {:>10} {:>8} {:>10} {:>10} {:>10} {:>11} {:>8} {:>10}",
                format!("{} {}", p.start, p.cadence.label()),
                opt(m.eop_paid_subs, count),
                opt(m.paid_cancels, count),
                opt(m.churn_rate, pct),
                opt(m.ft_starts, count),
                opt(m.ho_starts, count),
                opt(m.total_starts, count),
                opt(m.eop_conversions, count),
                opt(m.conversion_rate, pct),
                opt(m.net_adds, count),
            )?;
            for c in p.conflicts.iter().chain(&p.duplicates) {
                writeln!(out, "    {c}")?;
            }
        }
        if let Some(last) = a.subscriptions.last() {
            for (k, why) in &last.metrics.why_null {
                writeln!(out, "  {} {k}: {why}", last.start)?;
            }
        }
    }
    if let Some(v) = &a.viewership {
        viewership(out, v)?;
    }
    Ok(())
}

/// The viewership totals and the top titles (customers only as counts).
fn viewership(out: &mut impl Write, v: &slatelens_core::analysis::viewership::Section) -> io::Result<()> {
    let n = |x: u64| count(i64::try_from(x).unwrap_or(i64::MAX));
    let t = &v.totals;
    writeln!(out)?;
    writeln!(out, "Viewership")?;
    writeln!(out, "  streams {}, hours {}, unique viewers {}", n(t.streams), t.hours, n(t.customers))?;
    writeln!(
        out,
        "  hours per viewer {}, ad seconds per hour {}, top 10% of viewers' share of hours {}",
        opt(v.hours_per_customer, |d| d.to_string()),
        opt(v.ad_seconds_per_hour, |d| d.to_string()),
        opt(v.distribution.top_10_percent.share, pct)
    )?;
    writeln!(out, "  {:<40} {:>10} {:>12} {:>10} {:>10}", "title", "streams", "hours", "viewers", "completion")?;
    for title in v.titles.iter().take(10) {
        writeln!(
            out,
            "  {:<40} {:>10} {:>12} {:>10} {:>10}",
            title.name,
            n(title.totals.streams),
            title.totals.hours,
            n(title.totals.customers),
            opt(title.completion.rate, pct)
        )?;
    }
    for note in &v.notes {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped() {
        assert_eq!(super::count(1_288_546), "1,288,546");
        assert_eq!(super::count(-42_868), "-42,868");
        assert_eq!(super::count(0), "0");
    }
}
