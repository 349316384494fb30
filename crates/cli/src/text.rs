//! The human-readable rendering of an [`Analysis`] for the terminal.

use rust_decimal::Decimal;
use slatelens_core::analysis::content::{self, Totals};
use slatelens_core::analysis::live;
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
    if let Some(c) = &a.customers {
        customers(out, c)?;
    }
    if let Some(e) = &a.earnings {
        write_earnings(out, e)?;
    }
    if let Some(c) = &a.content_usage {
        write_content(out, c)?;
    }
    if let Some(l) = &a.live_usage {
        write_live(out, l)?;
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

/// Writes the Persistent-ID Subscriptions section: counts only, never customer IDs.
fn customers(out: &mut impl Write, c: &slatelens_core::analysis::customers::Section) -> io::Result<()> {
    let n = |v: u64| count(i64::try_from(v).unwrap_or(i64::MAX));
    writeln!(out)?;
    writeln!(out, "Persistent-ID Subscriptions")?;
    let span = c.first_date.zip(c.last_date).map_or_else(String::new, |(a, b)| format!(" ({a} to {b})"));
    writeln!(out, "  customers: {}{span}, {} statuses from {} rows", n(c.customers), n(c.statuses), n(c.rows))?;
    writeln!(
        out,
        "  active at the end: {}  starts: {} ({} restarts)  cancels: {}  resubscribers: {}  serial churners: {}",
        n(c.actives_last_date),
        n(c.starts),
        n(c.restarts),
        n(c.cancels),
        n(c.resubscribers),
        n(c.serial_churners)
    )?;
    for m in &c.months {
        writeln!(
            out,
            "  {}: active at start {}, starts {}, cancels {}, active at end {}, gross churn {}",
            m.month,
            opt(m.actives_at_start, n),
            n(m.starts),
            n(m.cancels),
            n(m.actives_at_end),
            opt(m.gross_churn, pct)
        )?;
    }
    for g in &c.groups {
        let median = opt(g.survival.median_days, |d| format!("{d} days"));
        writeln!(
            out,
            "  {} {:?}: active {}, median survival {median}",
            g.offer,
            g.billing_type,
            n(g.actives_last_date)
        )?;
    }
    if let Some(v) = &c.viewing {
        writeln!(
            out,
            "  viewing: {} matched; cancellers {} (mean {} h), stayers {} (mean {} h)",
            n(v.matched),
            n(v.cancellers.customers),
            opt(v.cancellers.mean_hours, |h| h.round_dp(2).to_string()),
            n(v.stayers.customers),
            opt(v.stayers.mean_hours, |h| h.round_dp(2).to_string())
        )?;
    }
    for r in &c.reconciliation {
        writeln!(
            out,
            "  {} {}: rebuilt HO {} vs EOP {} (difference {})",
            r.period_end,
            r.offer.as_deref().unwrap_or("all offers"),
            r.rebuilt,
            opt(r.eop, count),
            opt(r.difference, count)
        )?;
    }
    for note in &c.notes {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

/// One line of usage totals: period or name, minutes, streams, ad share, rows.
fn usage_line(out: &mut impl Write, name: &str, t: &Totals) -> io::Result<()> {
    writeln!(
        out,
        "{:<34} {:>14} {:>10} {:>8} {:>6}",
        name,
        opt(t.minutes, |m| m.round_dp(2).to_string()),
        opt(t.streams, count),
        opt(t.ad_share, pct),
        t.rows
    )
}

fn usage_header(out: &mut impl Write, first: &str) -> io::Result<()> {
    writeln!(out, "{:<34} {:>14} {:>10} {:>8} {:>6}", first, "minutes", "streams", "ad %", "rows")
}

fn period_conflicts(out: &mut impl Write, conflicts: &[String], duplicates: &[String]) -> io::Result<()> {
    for c in conflicts.iter().chain(duplicates) {
        writeln!(out, "    {c}")?;
    }
    Ok(())
}

/// The Prime Video Direct earnings (CER) of the latest month: totals, movers and flags.
fn write_earnings(out: &mut impl Write, e: &slatelens_core::analysis::earnings::Section) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Prime Video Direct earnings (CER): {} rows, {} titles", e.rows, e.titles.len())?;
    if let Some(l) = &e.latest {
        writeln!(
            out,
            "  {}: {} titles ranked, median CER {}, hours {}",
            l.month.format("%Y-%m"),
            l.titles,
            opt(l.median_cer, |d| d.to_string()),
            opt(l.hours, |d| d.round_dp(1).to_string())
        )?;
        for c in &l.by_currency {
            let cur = c.currency.as_deref().unwrap_or("no currency");
            let rate = opt(c.rate_per_hour, |d| d.round_dp(4).to_string());
            writeln!(out, "  earnings {} {cur}, {rate} {cur} per hour", c.earnings)?;
        }
    }
    let entry = |x: &slatelens_core::analysis::earnings::Entry| {
        let mut s = x.title.clone();
        for p in [&x.season, &x.territory].into_iter().flatten() {
            s.push_str(&format!(" / {p}"));
        }
        let flags: Vec<&str> = x.flags.iter().map(|f| f.label()).collect();
        format!("{s}: CER {} ({}) {}", x.cer, opt(x.change, |c| format!("{c:+} pts")), flags.join("; "))
    };
    for (name, list) in [("up", &e.movers_up), ("down", &e.movers_down), ("flagged", &e.flagged)] {
        for x in list {
            writeln!(out, "  {name}: {}", entry(x).trim_end())?;
        }
    }
    for n in e.conflicts.iter().chain(&e.duplicates).chain(&e.notes) {
        writeln!(out, "  {n}")?;
    }
    Ok(())
}

/// Content Usage (and Device-Level Viewership): per report, per period totals and the top 5 titles.
fn write_content(out: &mut impl Write, c: &content::Section) -> io::Result<()> {
    for r in &c.reports {
        writeln!(out)?;
        writeln!(out, "{}", r.label)?;
        usage_header(out, "period / top titles")?;
        for p in &r.periods {
            usage_line(out, &format!("{} to {} {}", p.start, p.end, p.cadence.label()), &p.totals)?;
            period_conflicts(out, &p.conflicts, &p.duplicates)?;
            for t in p.titles.iter().take(5) {
                usage_line(out, &format!("  {} ({})", t.title, t.content_type), &t.totals)?;
            }
        }
    }
    Ok(())
}

/// Live Streaming Usage: per period totals and channels.
fn write_live(out: &mut impl Write, l: &live::Section) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Contractual Live Streaming Usage")?;
    usage_header(out, "period / channels")?;
    for p in &l.periods {
        usage_line(out, &format!("{} to {} {}", p.start, p.end, p.cadence.label()), &p.totals)?;
        period_conflicts(out, &p.conflicts, &p.duplicates)?;
        for ch in &p.channels {
            usage_line(out, &format!("  {}", ch.channel_name.as_deref().unwrap_or(&ch.channel_id)), &ch.totals)?;
        }
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
