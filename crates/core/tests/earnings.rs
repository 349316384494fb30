//! Prime Video Direct earnings (CER) end to end: two real-looking layouts
//! (`tests/fixtures/earnings/layout_*.csv`) are recognised, and the CER
//! series, changes, flags, medians and effective rates per hour are checked
//! against numbers worked out by hand (the arithmetic is in the comments).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use slatelens_core::analysis::earnings::{self, Flag, Section};
use slatelens_core::{analyze, ingest_bytes, IngestedFile, Kind};
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

fn month(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month")
}

fn read(name: &str) -> IngestedFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/earnings").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ingest_bytes(name, &bytes)
}

fn section(files: &[IngestedFile]) -> Section {
    analyze(files).earnings.expect("an earnings section")
}

/// (label, CER, change) of a list of (title, point).
fn cers(v: &[(&earnings::Title, &earnings::Point)]) -> Vec<(String, Decimal, Option<Decimal>)> {
    v.iter().map(|(t, p)| (t.label(), p.cer, p.change)).collect()
}

/// (title, territory, previous CER, change) of a mover.
type Moved<'a> = (&'a str, Option<&'a str>, Option<Decimal>, Option<Decimal>);

const A: &str = "layout_a_hours_royalty_usd.csv";
const B: &str = "layout_b_minutes_marketplace.csv";

#[test]
fn both_layouts_are_recognised_with_every_row_used() {
    for name in [A, B] {
        let f = read(name);
        let r = &f.report;
        assert_eq!(r.kind, Some(Kind::Earnings), "{name}: {:?}", r.error_line());
        assert_eq!((r.rejected, r.used), (0, r.rows), "{name}: {:?}", r.problems);
    }
    assert_eq!(read(A).report.rows, 18);
    assert_eq!(read(B).report.rows, 11);
}

#[test]
fn layout_a_hours_and_royalty_in_usd() {
    let s = section(&[read(A)]);
    assert_eq!(s.rows, 18);
    assert_eq!(s.months, [month(2024, 1), month(2024, 2), month(2024, 3)]);
    assert_eq!(s.territories, ["GB", "US"]);
    assert_eq!(s.titles.len(), 6, "3 titles x 2 territories");
    assert!(s.notes.is_empty(), "hours are written: {:?}", s.notes);
    assert!(s.duplicates.is_empty() && s.conflicts.is_empty());

    let nt_us = s.titles.iter().find(|t| t.label() == "Night Train · Season 1 · US").expect("Night Train US");
    // The currency comes from the header "Royalty (USD)".
    assert!(nt_us.points.iter().all(|p| p.currency.as_deref() == Some("USD")));
    let cer: Vec<Decimal> = nt_us.points.iter().map(|p| p.cer).collect();
    assert_eq!(cer, [d("80"), d("85"), d("60")]);
    // More hours, lower CER: March has the most hours (1,500) and the lowest CER.
    let mar = &nt_us.points[2];
    assert_eq!((mar.hours, mar.hours_from_minutes), (Some(d("1500")), false));
    // 60 − 85 = −25 points, a fall of more than 20: flagged.
    assert_eq!(mar.change, Some(d("-25")));
    assert_eq!(mar.flags, [Flag::Drop]);
    // 60.00 USD ÷ 1,500 h = 0.04 USD per hour.
    assert_eq!(mar.rate_per_hour, Some(d("0.04")));
    assert_eq!(nt_us.points[0].why_null["change"], "2023-12 is before the first month in the files");

    // March over both territories: CER 60, 45, 20 (US) and 75, 28, 18 (GB).
    let l = s.latest.as_ref().expect("latest");
    assert_eq!((l.month, l.titles), (month(2024, 3), 6));
    // Sorted 18, 20, 28, 45, 60, 75: median (28 + 45) / 2 = 36.5.
    assert_eq!(l.median_cer, Some(d("36.5")));
    // 1,500 + 100 + 800 + 320 + 60 + 45 = 2,825 h.
    assert_eq!(l.hours, Some(d("2825")));
    assert_eq!(l.by_currency.len(), 1);
    let usd = &l.by_currency[0];
    // 60.00 + 4.00 + 8.00 + 14.40 + 1.20 + 0.45 = 88.05 USD; 88.05 ÷ 2,825 = 0.031168… USD/h.
    assert_eq!((usd.currency.as_deref(), usd.earnings), (Some("USD"), d("88.05")));
    assert_eq!(usd.rate_per_hour.map(|r| r.round_dp(6)), Some(d("0.031168")));

    // Movers: Quiet Field US 30 → 45 (+15), Harbor Lights GB 12 → 18 (+6), Night Train GB 72 → 75 (+3);
    // Night Train US 85 → 60 (−25), Quiet Field GB 50 → 28 (−22), Harbor Lights US 24 → 20 (−4).
    let up: Vec<(&str, Option<&str>, Option<Decimal>)> =
        s.movers_up.iter().map(|e| (e.title.as_str(), e.territory.as_deref(), e.change)).collect();
    assert_eq!(
        up,
        [
            ("The Quiet Field", Some("US"), Some(d("15"))),
            ("Harbor Lights", Some("GB"), Some(d("6"))),
            ("Night Train", Some("GB"), Some(d("3")))
        ]
    );
    let down: Vec<Moved> =
        s.movers_down.iter().map(|e| (e.title.as_str(), e.territory.as_deref(), e.previous_cer, e.change)).collect();
    assert_eq!(
        down,
        [
            ("Night Train", Some("US"), Some(d("85")), Some(d("-25"))),
            ("The Quiet Field", Some("GB"), Some(d("50")), Some(d("-22"))),
            ("Harbor Lights", Some("US"), Some(d("24")), Some(d("-4")))
        ]
    );
    // Flagged, lowest CER first: Harbor Lights GB 18 and US 20 (below 25),
    // Quiet Field GB 28 (−22) and Night Train US 60 (−25).
    let flagged: Vec<(&str, Option<&str>, Decimal, &[Flag])> =
        s.flagged.iter().map(|e| (e.title.as_str(), e.territory.as_deref(), e.cer, e.flags.as_slice())).collect();
    assert_eq!(
        flagged,
        [
            ("Harbor Lights", Some("GB"), d("18"), [Flag::BottomQuartile].as_slice()),
            ("Harbor Lights", Some("US"), d("20"), [Flag::BottomQuartile].as_slice()),
            ("The Quiet Field", Some("GB"), d("28"), [Flag::Drop].as_slice()),
            ("Night Train", Some("US"), d("60"), [Flag::Drop].as_slice()),
        ]
    );

    // US alone in March: CER 60, 45, 20 → median 45; 1,500 + 100 + 800 = 2,400 h;
    // 60 + 4 + 8 = 72 USD; 72 ÷ 2,400 = 0.03 USD/h.
    let us = earnings::summary(&s, month(2024, 3), Some("US"));
    assert_eq!((us.titles, us.median_cer, us.hours), (3, Some(d("45")), Some(d("2400"))));
    assert_eq!((us.by_currency[0].earnings, us.by_currency[0].rate_per_hour), (d("72"), Some(d("0.03"))));
    let ranked = cers(&earnings::ranked(&s, month(2024, 3), Some("US")));
    assert_eq!(
        ranked,
        [
            ("Night Train · Season 1 · US".to_string(), d("60"), Some(d("-25"))),
            ("The Quiet Field · US".to_string(), d("45"), Some(d("15"))),
            ("Harbor Lights · US".to_string(), d("20"), Some(d("-4"))),
        ]
    );
    // February in the US: Quiet Field 40 → 30 (−10) is the only faller.
    let (up, down) = earnings::movers(&s, month(2024, 2), Some("US"));
    assert_eq!(cers(&up).len(), 2, "Night Train 80 → 85, Harbor Lights 22 → 24");
    assert_eq!(cers(&down), [("The Quiet Field · US".to_string(), d("30"), Some(d("-10")))]);
}

#[test]
fn layout_b_minutes_and_two_currencies() {
    let s = section(&[read(B)]);
    assert_eq!(s.rows, 11);
    assert_eq!(s.territories, ["DE", "JP"]);
    assert_eq!(s.notes, ["hours are Minutes Streamed ÷ 60 on 11 row(s) with no Hours Streamed value"]);

    let qf_de = s.titles.iter().find(|t| t.label() == "The Quiet Field · DE").expect("Quiet Field DE");
    assert_eq!(qf_de.asin.as_deref(), Some("B0QUIETFLD"));
    let jun = &qf_de.points[1];
    assert_eq!(jun.month, month(2024, 6));
    // No May row for this title in DE: no change, and why.
    assert_eq!(jun.change, None);
    assert_eq!(jun.why_null["change"], "no CER for 2024-05 for this title");
    assert_eq!(jun.flags, [Flag::BottomQuartile], "CER 24 < 25");
    // 1,234 min ÷ 60 = 20.5666… h; 0.74 EUR ÷ 20.5666… h = 44.4 ÷ 1,234 = 0.035981 EUR/h.
    assert!(jun.hours_from_minutes);
    assert_eq!(jun.hours.map(|h| h.round_dp(4)), Some(d("20.5667")));
    assert_eq!(jun.rate_per_hour.map(|r| r.round_dp(6)), Some(d("0.035981")));

    let qf_jp = s.titles.iter().find(|t| t.label() == "The Quiet Field · JP").expect("Quiet Field JP");
    let may = &qf_jp.points[1];
    assert_eq!((may.earnings, may.rate_per_hour), (None, None));
    assert_eq!(may.why_null["rate_per_hour"], "needs earnings");
    assert_eq!(may.hours, Some(d("15")), "900 min ÷ 60");

    // June: CER 48, 24 (DE) and 91, 23 (JP): sorted 23, 24, 48, 91, median (24 + 48) / 2 = 36.
    let l = s.latest.as_ref().expect("latest");
    assert_eq!((l.month, l.titles, l.median_cer), (month(2024, 6), 4, Some(d("36"))));
    // (9,000 + 1,234 + 3,300 + 780) min = 14,314 min ÷ 60 = 238.5667 h.
    assert_eq!(l.hours.map(|h| h.round_dp(4)), Some(d("238.5667")));
    // Never added across currencies: EUR 6.00 + 0.74 = 6.74 over 150 + 20.5667 h
    // (= 6.74 × 60 ÷ 10,234 = 0.039515 EUR/h); JPY 1,210 + 65 = 1,275 over 55 + 13 = 68 h = 18.75 JPY/h.
    let cur: Vec<(Option<&str>, Decimal, Option<Decimal>)> = l
        .by_currency
        .iter()
        .map(|c| (c.currency.as_deref(), c.earnings, c.rate_per_hour.map(|r| r.round_dp(6))))
        .collect();
    assert_eq!(cur, [(Some("EUR"), d("6.74"), Some(d("0.039515"))), (Some("JPY"), d("1275"), Some(d("18.75")))]);

    // June movers: Quiet Field JP 19 → 23 (+4), Night Train JP 88 → 91 (+3); Night Train DE 70 → 48 (−22).
    let up: Vec<(&str, Option<Decimal>)> = s.movers_up.iter().map(|e| (e.title.as_str(), e.change)).collect();
    assert_eq!(up, [("The Quiet Field", Some(d("4"))), ("Night Train - Season 1", Some(d("3")))]);
    assert_eq!(s.movers_down.len(), 1);
    assert_eq!((s.movers_down[0].change, s.movers_down[0].flags.as_slice()), (Some(d("-22")), [Flag::Drop].as_slice()));
    // Flagged: Quiet Field JP 23, Quiet Field DE 24 (bottom quartile), Night Train DE 48 (drop).
    let flagged: Vec<(Option<&str>, Decimal)> = s.flagged.iter().map(|e| (e.territory.as_deref(), e.cer)).collect();
    assert_eq!(flagged, [(Some("JP"), d("23")), (Some("DE"), d("24")), (Some("DE"), d("48"))]);

    // May: the Quiet Field JP row has no earnings, so JPY totals cover Night Train only:
    // 1,100 JPY ÷ 60 h = 18.3333 JPY/h.
    let may = earnings::summary(&s, month(2024, 5), Some("JP"));
    assert_eq!(may.why_null["earnings"], "1 title(s) have no earnings this month");
    assert_eq!(may.by_currency[0].titles, 1);
    assert_eq!(may.by_currency[0].rate_per_hour.map(|r| r.round_dp(4)), Some(d("18.3333")));
}

#[test]
fn a_second_file_counts_once_and_disagreements_are_conflicts() {
    let a = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/earnings").join(A))
        .expect("fixture");
    let text = String::from_utf8(a).expect("UTF-8");
    // The same rows again, with one CER edited: Harbor Lights GB March 18 → 19.
    let edited = text.replace("Harbor Lights,,GB,2024-03,45,18,0.45", "Harbor Lights,,GB,2024-03,45,19,0.45");
    assert_ne!(edited, text);
    let files = [ingest_bytes("march.csv", text.as_bytes()), ingest_bytes("march edited.csv", edited.as_bytes())];
    let s = section(&files);
    assert_eq!(s.rows, 18, "17 repeated rows counted once, the conflicting one once");
    assert_eq!(s.duplicates, ["march edited.csv: 17 rows repeat march.csv, counted once"]);
    assert_eq!(s.conflicts.len(), 1);
    assert!(
        s.conflicts[0].starts_with("Harbor Lights · GB, 2024-03: march.csv line 19 says CER 18"),
        "{:?}",
        s.conflicts
    );
    // Both layouts together: six months, four territories, latest June.
    let s = section(&[read(A), read(B)]);
    assert_eq!((s.months.len(), s.territories.len(), s.rows), (6, 4, 29));
    assert_eq!(s.latest.map(|l| l.month), Some(month(2024, 6)));
}
