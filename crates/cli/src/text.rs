//! The human-readable rendering of an [`Analysis`] for the terminal.

use rust_decimal::Decimal;
use slatelens_core::analysis::{engagement, first_last, retention};
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

/// Two decimals, half away from zero (as the page rounds): `2.725` → `2.73`.
fn dp2(v: Decimal) -> String {
    v.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string()
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
    if let Some(s) = &a.retention {
        write_retention(out, s)?;
    }
    if let Some(s) = &a.engagement {
        write_engagement(out, s)?;
    }
    if let Some(s) = &a.first_last {
        write_first_last(out, s)?;
    }
    Ok(())
}

/// Writes duplicates and conflicts, one a line.
fn write_notes(out: &mut impl Write, duplicates: &[String], conflicts: &[String]) -> io::Result<()> {
    for c in conflicts {
        writeln!(out, "  conflict: {c}")?;
    }
    for d in duplicates {
        writeln!(out, "  duplicate: {d}")?;
    }
    Ok(())
}

/// Conversion and Retention: the curves under the default reading, with lifetimes.
fn write_retention(out: &mut impl Write, s: &retention::Section) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Contractual Conversion and Retention ({} cohorts)", s.cohorts.len())?;
    writeln!(out, "  {}", s.reading_note)?;
    let r = s.readout(s.default_reading);
    for c in r.curves.iter().chain(std::iter::once(&r.average)) {
        let name = match (&c.offer_id, c.billing_type) {
            (Some(id), Some(b)) => format!("{id} {}", retention::category_code(b)),
            _ => "all (weighted by starts)".to_string(),
        };
        let pts: Vec<String> = c.points.iter().map(|p| opt(p.survival, pct)).collect();
        writeln!(out, "  {name:<28} {}", pts.join(" "))?;
        writeln!(
            out,
            "  {:<28} lifetime {} months over {} months; FT conversion {}{}",
            "",
            opt(c.lifetime_months, dp2),
            c.lifetime_observed_months,
            opt(c.ft_conversion, pct),
            c.why_null.as_ref().map(|w| format!(" ({w})")).unwrap_or_default()
        )?;
    }
    writeln!(out, "  {}", s.lifetime_formula)?;
    write_notes(out, &s.duplicates, &s.conflicts)
}

/// Engagement Scorecard: cancel rate and per-streamer hours per band and group.
fn write_engagement(out: &mut impl Write, s: &engagement::Section) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Premium Engagement Scorecard")?;
    for p in &s.periods {
        writeln!(out, "  {} to {} ({} rows)", p.start, p.end, p.rows)?;
        for c in &p.cells {
            writeln!(
                out,
                "    {:<12} {:<10} paid {:>10} cancel rate {:>8} streamers/paid {:>8} VOD h/streamer {:>8}",
                c.band,
                c.content_group.as_deref().unwrap_or("-"),
                opt(c.paid, count),
                opt(c.cancel_rate, pct),
                opt(c.streamers_per_paid, pct),
                opt(c.vod_hours_per_streamer, dp2),
            )?;
        }
    }
    write_notes(out, &s.duplicates, &s.conflicts)
}

/// First-and-Last Title: the top titles per period by share of conversions.
fn write_first_last(out: &mut impl Write, s: &first_last::Section) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Premium First-and-Last VOD Title")?;
    for p in &s.periods {
        writeln!(out, "  {} to {} ({} rows)", p.start, p.end, p.rows)?;
        for t in p.titles.iter().take(10) {
            let season = t.season.map(|s| format!(" S{s}")).unwrap_or_default();
            writeln!(
                out,
                "    {:<40} conversions {:>8} cancels {:>8}{}",
                format!("{}{season}", t.title),
                opt(t.share_of_conversions, pct),
                opt(t.share_of_cancels, pct),
                if t.high_on_both { "  high on both" } else { "" }
            )?;
        }
    }
    write_notes(out, &s.duplicates, &s.conflicts)
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
