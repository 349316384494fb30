//! Fixture tests: every file under the repository's `tests/fixtures/` is read
//! by core and checked against a reviewed snapshot, whole and in chunks of
//! every size; the subscription metrics are checked against numbers computed
//! independently (the guide's worked example, `series/expected.json`).
//!
//! Snapshots live in `tests/snapshots/`. After a change, run
//! `INSTA_UPDATE=always cargo test -p slatelens-core --test fixtures` (or
//! `cargo insta review`) and review every changed `.snap` against its fixture.

mod util;

use rust_decimal::Decimal;
use slatelens_core::{analyze, ingest_bytes, IngestedFile, Kind};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;
use util::{all_fixtures, fingerprint, fixture, fixtures_under, ingest_chunked, summary};

// ---------------------------------------------------------------------------
// Snapshots

/// Each fixture's summary matches its snapshot; every mismatch is listed, not just the first.
#[test]
fn every_fixture_matches_its_snapshot() {
    let mut failed = Vec::new();
    for fx in all_fixtures() {
        let text = summary(&fx, &fx.ingest());
        let name = fx.snapshot_name();
        let ok = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({ description => fx.rel.clone(), omit_expression => true, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name.clone(), text);
            });
        }));
        if ok.is_err() {
            failed.push(fx.rel.clone());
        }
    }
    assert!(failed.is_empty(), "snapshots differ for: {failed:?}");
}

/// The folder a fixture sits in names the kind it must be read as; `bad/`
/// files either fail whole or reject rows, never pass silently.
#[test]
fn every_fixture_is_read_as_the_kind_its_folder_names() {
    for fx in all_fixtures() {
        let file = fx.ingest();
        let r = &file.report;
        assert!(r.is_balanced(), "{}: rows {} != used {} + rejected {}", fx.rel, r.rows, r.used, r.rejected);
        assert_eq!(
            r.problems.len() as u64 + r.problems_omitted,
            r.rejected,
            "{}: one problem per rejected row",
            fx.rel
        );
        let expected = match fx.folder() {
            "subscriptions" => Kind::Subscriptions,
            "content_usage" => Kind::ContentUsage,
            "live_usage" => Kind::LiveUsage,
            "conversion_retention" => Kind::ConversionRetention,
            "engagement" => Kind::EngagementScorecard,
            "first_last" => Kind::FirstLastTitle,
            "pid_subscriptions" => Kind::PidSubscriptions,
            "pid_viewership" => Kind::PidViewership,
            "earnings" => Kind::Earnings,
            "bad" => {
                let visible = r.error.is_some() || r.rejected > 0 || r.rows == 0;
                assert!(visible, "{}: a bad file read without a complaint", fx.rel);
                continue;
            }
            other => panic!("{}: unknown fixture folder {other:?}", fx.rel),
        };
        assert_eq!(r.kind, Some(expected), "{}: {:?}", fx.rel, r.error_line());
        assert!(r.error.is_none(), "{}: {:?}", fx.rel, r.error_line());
        assert!(r.used > 0, "{}: no row used", fx.rel);
    }
}

// ---------------------------------------------------------------------------
// Chunking

/// Chunk sizes tried: every size up to 64 bytes, and some larger ones around
/// the 64 KiB head that decides encoding and header.
fn chunk_sizes() -> Vec<usize> {
    (1..=64).chain([97, 128, 1000, 4096, 65_535, 65_536, 65_537, 100_000]).collect()
}

fn assert_same_in_any_chunking(name: &str, bytes: &[u8], sizes: &[usize]) {
    let whole = fingerprint(&ingest_bytes(name, bytes));
    for &size in sizes {
        let chunked = fingerprint(&ingest_chunked(name, bytes, size));
        assert!(chunked.0 == whole.0, "{name}: report differs in chunks of {size}:\n{}\n{}", chunked.0, whole.0);
        assert!(chunked.1 == whole.1, "{name}: rows differ in chunks of {size}");
    }
}

#[test]
fn every_fixture_reads_the_same_in_any_chunking() {
    let sizes = chunk_sizes();
    for fx in all_fixtures() {
        assert_same_in_any_chunking(&fx.rel, &fx.bytes, &sizes);
    }
}

/// The fixtures are smaller than the 64 KiB head, so they never reach the
/// streaming body in more than one piece. These files are larger: the same
/// dialects, past the head, with multi-byte characters and multi-line cells
/// landing on every chunk boundary.
mod large {
    use super::*;

    const HEADER: &str = "Report Start,Report End,Offer ID,Subscription,Content Type,Series or Movie Title,Season Number,Episode Number,Episode Name,Total Number of Streams,Total Customers Streamed,Total Minutes Streamed";

    /// About `target` bytes of content usage rows, with `eol` line endings.
    fn text(eol: &str, target: usize) -> String {
        let mut s = format!("Monthly content usage{eol}{HEADER}{eol}");
        let mut i = 0u32;
        while s.len() < target {
            i += 1;
            let row = match i % 5 {
                0 => format!("11/1/2021,11/30/2021,B0CLUB-1M,Club,TV,\"Law & Order: \"\"SVU\"\", Part {i}\",21,{},\"Part 2:\nThe Reckoning\",\"1,{:03}\",611,\"25,310.50\"", i % 20 + 1, i % 1000),
                1 => format!("11/1/2021,11/30/2021,B0CLUB-1M,Club,Movie,Am\u{e9}lie {i},,,,{i},{},\"190,012.75\"", i / 2),
                2 => format!("11/1/2021,11/30/2021,B0CLUB-1M,Club,TV,Chef\u{2019}s Table,1,{},Cr\u{e8}me br\u{fb}l\u{e9}e,640,512,28800.75", i % 9 + 1),
                3 => "11/1/2021,11/30/2021,B0CLUB-1M,Club,TV,Ghostbusters,1,1,Pilot,12x,10,1.5".to_string(),
                _ => format!("{eol}11/1/2021,11/30/2021,B0CLUB-1M,Club,Movie,Stripes,,,,{i},{i},{i}.25"),
            };
            s.push_str(&row);
            s.push_str(eol);
        }
        s.push_str(&format!("Total,,,,,,,,,999,999,999{eol}Report generated 2024-06-01{eol}"));
        s
    }

    /// The same text with tabs for the commas outside quotes (Excel's "Unicode text").
    fn tabs(s: &str) -> String {
        let mut quoted = false;
        s.chars()
            .map(|c| match c {
                '"' => {
                    quoted = !quoted;
                    c
                }
                ',' if !quoted => '\t',
                c => c,
            })
            .collect()
    }

    fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in s.encode_utf16() {
            out.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    /// Windows-1252 for the few non-ASCII characters [`text`] writes.
    fn cp1252(s: &str) -> Vec<u8> {
        s.chars()
            .map(|c| match c {
                '\u{2019}' => 0x92,
                c if (c as u32) < 0x100 => c as u8,
                c => panic!("no Windows-1252 byte for {c:?} in this test"),
            })
            .collect()
    }

    fn cases() -> Vec<(&'static str, Vec<u8>)> {
        const TARGET: usize = 150 * 1024;
        let mut utf8_late_1252 = text("\r\n", TARGET).into_bytes();
        // A stray Windows-1252 byte after the head: the file stays UTF-8.
        utf8_late_1252.extend_from_slice(b"11/1/2021,11/30/2021,B0CLUB-1M,Club,Movie,Caf\xe9 Society,,,,1,1,1\r\n");
        vec![
            ("large_utf8_crlf.csv", text("\r\n", TARGET).into_bytes()),
            ("large_utf8_bom_lf.csv", [&b"\xef\xbb\xbf"[..], text("\n", TARGET).as_bytes()].concat()),
            ("large_cr_only.csv", text("\r", TARGET).into_bytes()),
            ("large_utf16le.txt", utf16(&tabs(&text("\r\n", TARGET)), false)),
            ("large_utf16be.txt", utf16(&tabs(&text("\r\n", TARGET)), true)),
            ("large_windows1252.csv", cp1252(&text("\r\n", TARGET))),
            ("large_utf8_late_1252.csv", utf8_late_1252),
        ]
    }

    #[test]
    fn large_inputs_read_the_same_in_any_chunking() {
        let sizes = chunk_sizes();
        for (name, bytes) in cases() {
            let whole = ingest_bytes(name, &bytes);
            let r = &whole.report;
            assert!(r.bytes > 128 * 1024, "{name} is past the head");
            assert_eq!(r.kind, Some(Kind::ContentUsage), "{name}: {:?}", r.error_line());
            assert!(r.used > 500 && r.rejected > 100, "{name}: {} used, {} rejected", r.used, r.rejected);
            assert_same_in_any_chunking(name, &bytes, &sizes);
        }
    }

    /// Line numbers in a large file: every rejected `12x` row names the line it is on.
    #[test]
    fn large_inputs_name_the_right_lines() {
        for (name, bytes) in cases() {
            let file = ingest_bytes(name, &bytes);
            let text = match name {
                n if n.contains("utf16") => {
                    let le = n.contains("le");
                    let units: Vec<u16> = bytes[2..]
                        .chunks(2)
                        .map(|p| if le { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) })
                        .collect();
                    String::from_utf16(&units).expect("utf-16")
                }
                _ => String::from_utf8_lossy(&bytes).into_owned(),
            };
            let eol = if name.contains("cr_only") { '\r' } else { '\n' };
            let na_lines: Vec<u64> = text
                .split(eol)
                .enumerate()
                .filter(|(_, l)| l.contains("Pilot") && l.contains("12x"))
                .map(|(i, _)| i as u64 + 1)
                .collect();
            let rejected_na: Vec<u64> =
                file.report.problems.iter().filter(|p| p.reason.contains("\"12x\"")).filter_map(|p| p.line).collect();
            assert_eq!(rejected_na, na_lines, "{name}");
        }
    }
}

// ---------------------------------------------------------------------------
// Subscription metrics

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

/// The guide's worked example, read from files: May 2022 with April's HO EOP 1,245,678.
#[test]
fn guide_worked_example_from_files() {
    let files: Vec<IngestedFile> =
        ["subscriptions/guide_april_2022.csv", "subscriptions/guide_may_2022.csv"].map(|p| fixture(p).ingest()).into();
    for f in &files {
        assert_eq!((f.report.rejected, f.report.error.as_ref()), (0, None), "{}", f.report.name);
    }
    let a = analyze(&files);
    assert_eq!(a.subscriptions.len(), 2);
    let may = &a.subscriptions[1];
    assert_eq!((may.start.to_string(), may.end.to_string()), ("2022-05-01".into(), "2022-05-31".into()));
    let m = &may.metrics;
    assert_eq!(m.eop_paid_subs, Some(1_288_546));
    assert_eq!(m.paid_cancels, Some(77_235));
    let churn = m.churn_rate.expect("churn rate");
    assert_eq!(churn.round_dp(5), dec("0.05655"));
    assert_eq!(churn, Decimal::from(77_235) / Decimal::from(1_365_781));
    assert_eq!(m.ft_starts, Some(139_450));
    assert_eq!(m.ho_starts, Some(24_385));
    assert_eq!(m.total_starts, Some(163_835));
    assert_eq!(m.eop_conversions, Some(95_718));
    let conversion = m.conversion_rate.expect("conversion rate");
    assert_eq!(conversion.round_dp(4), dec("0.8463"));
    assert_eq!(conversion, Decimal::from(95_718) / Decimal::from(95_718 + 17_382));
    assert_eq!(m.net_adds, Some(42_868));
    assert_eq!(m.ft_cancels, Some(17_382));
    assert_eq!(m.prev_eop_paid_subs, Some(1_245_678));
}

/// The guide's May 2022 numbers as a European Excel writes them (semicolons,
/// D/M/YYYY, decimal commas, dotted thousands) read the same as the original.
#[test]
fn guide_example_in_european_dialect_reads_the_same_rows() {
    let us = fixture("subscriptions/guide_may_2022.csv").ingest();
    let eu = fixture("subscriptions/semicolon_dmy_crlf.csv").ingest();
    let rows = |f: &IngestedFile| serde_json::to_string(&f.data).expect("rows serialize");
    assert_eq!(rows(&us), rows(&eu));
}

/// Checks one rate against an exact fraction: |rate × den − num| ≤ 1e-12 × den.
fn assert_rate(month: &str, name: &str, got: Option<Decimal>, want: &serde_json::Value) {
    if want.is_null() {
        assert_eq!(got, None, "{month} {name}");
        return;
    }
    let num = dec(&want["num"].to_string());
    let den = dec(&want["den"].to_string());
    let got = got.unwrap_or_else(|| panic!("{month} {name}: null, expected {num}/{den}"));
    let err = (got * den - num).abs();
    assert!(err <= dec("0.000000000001") * den, "{month} {name}: {got} is not {num}/{den}");
}

#[test]
fn series_metrics_match_expected_json() {
    let dir = util::fixtures_dir().join("subscriptions/series");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
            .expect("expected.json is JSON");
    let files: Vec<IngestedFile> = fixtures_under("subscriptions/series").iter().map(|f| f.ingest()).collect();
    assert_eq!(files.len(), 6);
    for f in &files {
        let r = &f.report;
        assert_eq!(r.error, None, "{}", r.name);
        assert!(r.problems.iter().all(|p| p.reason.starts_with("totals row")), "{}: {:?}", r.name, r.problems);
    }
    let a = analyze(&files);
    let months: Vec<String> = a.subscriptions.iter().map(|p| p.start.format("%Y-%m").to_string()).collect();
    let want_months: Vec<&String> = expected.as_object().expect("object").keys().collect();
    assert_eq!(months.iter().collect::<Vec<_>>(), want_months);
    for p in &a.subscriptions {
        let month = p.start.format("%Y-%m").to_string();
        let want = &expected[&month];
        let m = &p.metrics;
        assert_eq!(p.end.format("%Y-%m").to_string(), month);
        assert!(p.conflicts.is_empty() && p.duplicates.is_empty(), "{month}: {:?} {:?}", p.conflicts, p.duplicates);
        let count = |v: &serde_json::Value| v.as_i64();
        for (name, got) in [
            ("eop_paid_subs", m.eop_paid_subs),
            ("paid_cancels", m.paid_cancels),
            ("ft_starts", m.ft_starts),
            ("ho_starts", m.ho_starts),
            ("total_starts", m.total_starts),
            ("eop_conversions", m.eop_conversions),
            ("net_adds", m.net_adds),
        ] {
            assert_eq!(got, count(&want[name]), "{month} {name}");
        }
        assert_rate(&month, "churn_rate", m.churn_rate, &want["churn_rate"]);
        assert_rate(&month, "conversion_rate", m.conversion_rate, &want["conversion_rate"]);
        for (metric, reason) in want["why_null"].as_object().expect("why_null") {
            assert_eq!(m.why_null.get(metric).map(String::as_str), reason.as_str(), "{month} why {metric} is null");
        }
    }
}

// ---------------------------------------------------------------------------
// Core bugs found by the fixtures: each test states what should happen and is
// ignored until core is fixed (`cargo test -- --ignored` lists them).

mod regressions {
    use super::*;
    use slatelens_core::FileReport;

    const SUBS_HEADER: &str = "Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n";

    fn problems(r: &FileReport) -> Vec<String> {
        r.problems.iter().map(|p| p.display(&r.name).to_string()).collect()
    }

    /// A UTF-8 file with one stray Windows-1252 byte in its first 64 KiB is
    /// read whole as Windows-1252, so every real UTF-8 character turns to
    /// mojibake ("Chef’s" becomes "Chefâ€™s"), silently. Past the head the same
    /// stray byte is handled per cell and noted.
    #[test]
    fn stray_1252_byte_in_the_head_does_not_garble_utf8() {
        let file = fixture("content_usage/mixed_utf8_and_1252.csv").ingest();
        let Some(slatelens_core::KindData::ContentUsage(rows)) = &file.data else { panic!("content usage rows") };
        let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["Chef\u{2019}s Table", "Caf\u{e9} Society"]);
    }

    /// STYLE.md's own example: a count column with letters in it.
    #[test]
    fn count_with_letters_says_whole_number() {
        let file = fixture("bad/wrong_values.csv").ingest();
        assert_eq!(
            problems(&file.report)[0],
            "wrong_values.csv: line 2, column \"New Subscriptions\": expected a whole number, found \"12,5x\""
        );
    }

    /// `ValueError::NotWhole` says a count with a sign is refused; `-5`
    /// subscriptions is read as -5 and summed into the metrics.
    #[test]
    fn negative_count_is_rejected() {
        let file = ingest_bytes(
            "neg.csv",
            format!("{SUBS_HEADER}5/1/2022,5/31/2022,DEF,SQUARERT-4,8.99,HO,-5,0,1386\n").as_bytes(),
        );
        assert_eq!((file.report.used, file.report.rejected), (0, 1));
        assert!(file.report.problems[0].reason.contains("\"-5\""), "{:?}", file.report.problems);
    }

    /// An unclosed quote in a small file swallows the rest of the file into one
    /// cell: the following data rows vanish from the count and the row is
    /// rejected as "no measure has a value" instead of naming the quote.
    #[test]
    fn unclosed_quote_is_reported_with_its_line() {
        let file = fixture("bad/unclosed_quote.csv").ingest();
        let r = &file.report;
        let in_a_problem = r.problems.iter().any(|p| p.line == Some(3) && p.reason.contains("quote"));
        let in_the_error =
            r.error.as_ref().is_some_and(|e| e.to_string().contains("line 3") && e.to_string().contains("quote"));
        assert!(
            in_a_problem || in_the_error,
            "nothing names the unclosed quote on line 3: {:?} {:?}",
            problems(r),
            r.error
        );
    }

    /// Excel writes currency-formatted cells as displayed: `$8.99`. The whole
    /// row (and its subscription counts) is rejected over the Billing Amount.
    #[test]
    fn currency_symbols_in_money_columns() {
        let csv = format!(
            "{SUBS_HEADER}5/1/2022,5/31/2022,DEF,SQUARERT-4,$8.99,HO,30203,0,1386\n5/1/2022,5/31/2022,GHI,SQUARERT-9,\"$1,008.99\",HO,1258343,24385,75849\n"
        );
        let file = ingest_bytes("currency.csv", csv.as_bytes());
        assert_eq!((file.report.used, file.report.rejected), (2, 0), "{:?}", problems(&file.report));
        let Some(slatelens_core::KindData::Subscriptions(rows)) = &file.data else { panic!("rows") };
        assert_eq!(rows[0].billing_amount, Some(dec("8.99")));
        assert_eq!(rows[1].billing_amount, Some(dec("1008.99")));
    }

    /// `2860.819` cannot be dotted thousands (a first group of four digits), so
    /// it proves a decimal point; core calls it ambiguous and, in a semicolon
    /// file, defaults to a decimal comma and rejects the row.
    #[test]
    fn four_digit_integer_part_proves_a_decimal_point() {
        let csv = "Encrypted Customer ID;Stream Start Timestamp;Seconds Viewed;Ad Seconds Viewed\namzn1.account.A;2021-12-11 12:20;2860.819;342\namzn1.account.B;2021-12-11 13:20;610;0\n";
        let file = ingest_bytes("semicolon_points.csv", csv.as_bytes());
        assert_eq!((file.report.used, file.report.rejected), (2, 0), "{:?}", problems(&file.report));
        let Some(slatelens_core::KindData::PidViewership(agg)) = &file.data else { panic!("viewership") };
        assert_eq!(agg.total().seconds_viewed, dec("3470.819"));
    }

    /// The head decides CR-only line endings from the byte after the first CR;
    /// when a header line is longer than the 64 KiB head and a chunk ends right
    /// after that CR, the file is not recognised (it is when fed whole).
    #[test]
    fn header_longer_than_the_head_reads_the_same_in_chunks() {
        for eol in ["\r\n", "\r"] {
            let mut header = SUBS_HEADER.trim_end().to_string();
            let mut i = 0;
            while header.len() < 70_000 {
                i += 1;
                header.push_str(&format!(",Extra Column {i:05}"));
            }
            let text = format!("{header}{eol}5/1/2022,5/31/2022,GHI,SQUARERT-9,8.99,HO,1,2,3{eol}");
            let bytes = text.as_bytes();
            let whole = ingest_bytes("wide.csv", bytes);
            assert_eq!(whole.report.used, 1);
            let mut ing = slatelens_core::Ingest::new("wide.csv");
            ing.push(&bytes[..header.len() + 1]);
            ing.push(&bytes[header.len() + 1..]);
            assert_eq!(fingerprint(&ing.finish()), fingerprint(&whole), "{eol:?}");
        }
    }

    /// The same month in two files that agree on every value they both have,
    /// one without the optional AR-Off column: every metric becomes null.
    #[test]
    fn a_missing_optional_column_is_not_a_conflict() {
        let files =
            ["subscriptions/guide_may_2022.csv", "subscriptions/space_thousands.csv"].map(|p| fixture(p).ingest());
        let a = analyze(&files);
        let may = &a.subscriptions[0];
        assert_eq!(may.conflicts, Vec::<String>::new());
        assert_eq!(may.metrics.eop_paid_subs, Some(1_288_546));
    }

    /// A file whose dates span calendar months is labelled weekly when its
    /// header says `Week End Subscriptions` (as the guide's attribute table
    /// spells it); the analysis already treats it as monthly.
    #[test]
    fn label_follows_the_period_not_the_header() {
        let file = fixture("subscriptions/series/2024-01.csv").ingest();
        assert_eq!(file.report.label, "Contractual Subscriptions (monthly)");
    }

    /// A file with none of any kind's key columns names an arbitrary "nearest"
    /// kind (the last one, Earnings) with "0 of 2 key columns".
    #[test]
    fn no_nearest_kind_when_nothing_matches() {
        let file = fixture("bad/generic_sales.csv").ingest();
        let line = file.report.error_line().expect("an error");
        assert!(!line.contains("nearest is"), "{line}");
        assert!(line.contains("Order Date"), "the message shows the header it found: {line}");
    }

    /// A row with an unquoted comma in a title is shifted; when the row's last
    /// cell is empty the shift goes unnoticed and the reason blames a column.
    #[test]
    fn extra_value_from_an_unquoted_delimiter_is_named() {
        let file = fixture("bad/unquoted_delimiter.csv").ingest();
        let p = &file.report.problems[0];
        assert_eq!(p.line, Some(2));
        assert!(p.reason.contains("the header has 15 columns"), "{}", p.reason);
    }

    /// `2/30/2024` is in M/D/YYYY form; it is not a date that exists.
    #[test]
    fn impossible_date_is_not_called_a_format_error() {
        let file = fixture("bad/wrong_values.csv").ingest();
        let p = file.report.problems.iter().find(|p| p.line == Some(4)).expect("line 4 rejected");
        assert!(!p.reason.starts_with("expected a date"), "{}", p.reason);
    }

    /// Notes in plain English: "lines 1 to 1", "1 blank lines".
    #[test]
    fn notes_read_naturally_for_one() {
        for rel in ["subscriptions/weekly_utf8_bom_crlf.csv", "content_usage/device_level_viewership_cr_only.csv"] {
            let file = fixture(rel).ingest();
            for note in &file.report.notes {
                assert!(!note.contains("lines 1 to 1 ") && !note.starts_with("1 blank lines"), "{rel}: {note}");
            }
        }
    }
}
