//! The viewership section on hand-checked fixtures: `analysis_a.csv` (12
//! streams by customers A-D of "Show" (seasons 1-2), "Film" and one untitled
//! live stream, on Monday 2 and Tuesday 3 May 2022, one titled stream without
//! a runtime) and `analysis_b.csv` (3 more streams: A again, a new customer E,
//! C on 3 May again, the next week). Every expected number is worked out in a
//! comment from the fixture rows; the section must not change with the chunk
//! size the file is read in.

#[allow(dead_code)]
mod util;

use rust_decimal::Decimal;
use slatelens_core::analysis::viewership::{analyze, FileAggregate, Section};
use slatelens_core::kinds::pid_viewership::{customer_key, Aggregate};
use slatelens_core::{ingest_bytes, IngestedFile, KindData};
use std::str::FromStr;
use util::{fixture, ingest_chunked};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn aggregate(file: &IngestedFile) -> &Aggregate {
    assert_eq!((file.report.rejected, file.report.error.as_ref().map(|e| e.to_string())), (0, None));
    match &file.data {
        Some(KindData::PidViewership(a)) => a,
        other => panic!("not viewership: {:?}", other.as_ref().map(|d| d.kind())),
    }
}

fn section_of(files: &[(&str, &IngestedFile)]) -> Section {
    let aggs: Vec<FileAggregate> =
        files.iter().map(|(name, f)| FileAggregate { name, aggregate: aggregate(f) }).collect();
    analyze(&aggs)
}

fn read(rel: &str) -> IngestedFile {
    fixture(rel).ingest()
}

#[test]
fn one_file_hand_checked() {
    let a = read("pid_viewership/analysis_a.csv");
    let s = section_of(&[("analysis_a.csv", &a)]);
    let t = &s.totals;
    // Σ seconds = 1800 + 1500 + 900 + 3600.5 + 5400 + 1200.25 + 2400 + 7200 + 1800 + 600 + 1200 + 0.125 = 27600.875
    assert_eq!((t.streams, t.seconds_viewed, t.customers), (12, dec("27600.875"), 4));
    // 27600.875 / 3600 = 7.66690972… → 7.667; per viewer / 4 = 1.91672743… → 1.917
    assert_eq!((t.hours, s.hours_per_customer), (dec("7.667"), Some(dec("1.917"))));
    // Ads: 60+30+120+90+0+60+300+60+30+30+0 = 780 over the 11 streams with a cell (row 3 is empty);
    // 780 × 3600 / 27600.875 = 101.7359… → 101.74
    assert_eq!((t.ad_seconds_viewed, s.ad_streams, s.ad_seconds_per_hour), (dec("780"), 11, Some(dec("101.74"))));

    // Days: 2 May = rows 1,2,3,5 (A,B,C): 1800+1500+900+5400 = 9600 → 2.667 h; 3 May = the other 8 (A,B,C,D).
    let days: Vec<_> = s
        .days
        .iter()
        .map(|p| (p.start.to_string(), p.totals.streams, p.totals.seconds_viewed, p.totals.customers))
        .collect();
    assert_eq!(days, [("2022-05-02".into(), 4, dec("9600"), 3), ("2022-05-03".into(), 8, dec("18000.875"), 4)]);
    assert_eq!(s.days[0].totals.hours, dec("2.667"));
    // The week (Mon 2 - Sun 8 May) and the month: 4 distinct viewers, not 3 + 4.
    assert_eq!(s.weeks.len(), 1);
    assert_eq!((s.weeks[0].start.to_string(), s.weeks[0].end.to_string()), ("2022-05-02".into(), "2022-05-08".into()));
    assert_eq!((s.weeks[0].totals.streams, s.weeks[0].totals.customers), (12, 4));
    assert_eq!(
        (s.months[0].start.to_string(), s.months[0].end.to_string()),
        ("2022-05-01".into(), "2022-05-31".into())
    );
    assert_eq!(s.months[0].totals.customers, 4);

    // Titles by seconds: Show (rows 1,2,3,6,7,9,11,12) 1800+1500+900+1200.25+2400+1800+1200+0.125 = 10800.375,
    // Film (rows 4,5,10) 3600.5+5400+600 = 9600.5, untitled live row 8 = 7200.
    let titles: Vec<_> = s
        .titles
        .iter()
        .map(|t| (t.name.as_str(), t.totals.streams, t.totals.seconds_viewed, t.totals.customers))
        .collect();
    assert_eq!(
        titles,
        [("Show", 8, dec("10800.375"), 3), ("Film", 3, dec("9600.5"), 3), ("(untitled)", 1, dec("7200"), 1)]
    );
    // Show completion: row 7 has no runtime; the other 7 viewed 10800.375 - 2400 = 8400.375 s of
    // 30+30+30+40+40+30+40 = 240 min = 14400 s → 0.58335… → 0.5834.
    let show = &s.titles[0];
    assert_eq!(
        (show.completion.rate, show.completion.streams_with_runtime, show.completion.streams_without_runtime),
        (Some(dec("0.5834")), 7, 1)
    );
    // Film: 9600.5 / (3 × 100 × 60) = 0.53336… → 0.5334. Untitled live: no runtime, no rate.
    assert_eq!(s.titles[1].completion.rate, Some(dec("0.5334")));
    assert_eq!(s.titles[2].completion.rate, None);
    assert!(s.titles[2].completion.note.is_some());
    assert!(s.titles[2].seasons.is_empty());
    // Overall: streams 7 (no runtime, Show) and 8 (live) are left out.
    assert_eq!(s.completion.streams_without_runtime, 2);

    // Show's seasons: 2 = rows 6,7,9,12: 1200.25+2400+1800+0.125 = 5400.375 (C, A), before
    // 1 = rows 1,2,3,11: 1800+1500+900+1200 = 5400 (A, B), completion 5400 / (4 × 30 × 60) = 0.75.
    let seasons: Vec<_> = show
        .seasons
        .iter()
        .map(|x| (x.name.as_str(), x.totals.streams, x.totals.seconds_viewed, x.totals.customers))
        .collect();
    assert_eq!(seasons, [("2", 4, dec("5400.375"), 2), ("1", 4, dec("5400"), 2)]);
    assert_eq!(show.seasons[1].completion.rate, Some(dec("0.75")));
    // Season 2 with runtime: rows 6,9,12: 1200.25+1800+0.125 = 3000.375 / (3 × 40 × 60 = 7200) = 0.41671875 → 0.4167.
    assert_eq!(show.seasons[0].completion.rate, Some(dec("0.4167")));
    // Its episodes: 1 = rows 6,9: 3000.25 / (2 × 40 × 60 = 4800) = 0.62505 → 0.6251 (half away from zero);
    // 2 = rows 7,12: 2400.125, completion over row 12 only: 0.125 / 2400 → 0.0001.
    let eps: Vec<_> = show.seasons[0]
        .episodes
        .iter()
        .map(|e| (e.name.as_str(), e.totals.seconds_viewed, e.completion.rate))
        .collect();
    assert_eq!(eps, [("1", dec("3000.25"), Some(dec("0.6251"))), ("2", dec("2400.125"), Some(dec("0.0001")))]);
    // Film has no season or episode cells: one "(none)" season with one "(none)" episode.
    assert_eq!(s.titles[1].seasons[0].name, "(none)");
    assert_eq!(s.titles[1].seasons[0].episodes[0].totals.streams, 3);

    let dim = |key: &str| -> Vec<(String, u64, Decimal, u64)> {
        let d = s.dimensions.iter().find(|d| d.key == key).expect("dimension");
        d.values
            .iter()
            .map(|v| (v.value.clone(), v.totals.streams, v.totals.seconds_viewed, v.totals.customers))
            .collect()
    };
    // Living Room: rows 1,2,8,9,10,12 = 1800+1500+7200+1800+600+0.125 = 12900.125 (A, D);
    // Web: rows 5,6,7 = 9000.25 (C); Mobile: rows 3,4,11 = 900+3600.5+1200 = 5700.5 (B).
    assert_eq!(
        dim("device_class"),
        [
            ("Living Room Devices".into(), 6, dec("12900.125"), 2),
            ("Web".into(), 3, dec("9000.25"), 1),
            ("Mobile Devices".into(), 3, dec("5700.5"), 1)
        ]
    );
    // VOD: 27600.875 - 7200 = 20400.875 by all 4 (D's row 10 is VOD); Live: row 8.
    assert_eq!(dim("stream_type"), [("VOD".into(), 11, dec("20400.875"), 4), ("Live".into(), 1, dec("7200"), 1)]);
    // DMA 501: rows 1,2,5,6,7,9,12 = 14100.375 (A, C); 803: rows 8,10 = 7800 (D); 602: 5700.5 (B).
    assert_eq!(
        dim("dma"),
        [
            ("501".into(), 7, dec("14100.375"), 2),
            ("803".into(), 2, dec("7800"), 1),
            ("602".into(), 3, dec("5700.5"), 1)
        ]
    );
    // Offers: no-ads (C, D) rows 5,6,7,8,10 = 5400+1200.25+2400+7200+600 = 16800.25; ads (A, B) = 10800.625.
    let offers = s.dimensions.iter().find(|d| d.key == "offer").expect("offers");
    assert_eq!(offers.values[0].detail.as_deref(), Some("Demo+ Ad-Free"));
    assert_eq!(dim("offer"), [("OFF-NOADS".into(), 5, dec("16800.25"), 2), ("OFF-ADS".into(), 7, dec("10800.625"), 2)]);
    assert_eq!(dim("playback_method")[1], ("offline".into(), 1, dec("900"), 1));
    assert_eq!(dim("content_group"), [("3P_SUBS".into(), 11, dec("20400.875"), 4), ("FREE".into(), 1, dec("7200"), 1)]);
    assert_eq!(dim("marketplace"), [("US".into(), 12, dec("27600.875"), 4)]);
    assert_eq!(dim("connection_type").len(), 3);
    assert_eq!(dim("device_subclass").len(), 4);

    // Heatmap: Monday 20h rows 1,2; 21h rows 3,5. Tuesday 8h row 4; 19h row 8; 20h rows 9,10; 21h rows 6,7,11; 22h row 12.
    assert_eq!((s.heatmap[0][20], s.heatmap[0][21]), (2, 2));
    assert_eq!(
        (s.heatmap[1][8], s.heatmap[1][19], s.heatmap[1][20], s.heatmap[1][21], s.heatmap[1][22]),
        (1, 1, 2, 3, 1)
    );
    assert_eq!(s.heatmap.iter().flatten().sum::<u64>(), 12);

    // Per customer: A 1800+1500+1800+0.125 = 5100.125 (1.42 h), B 900+3600.5+1200 = 5700.5 (1.58 h),
    // C 5400+1200.25+2400 = 9000.25 (2.5 h), D 7200+600 = 7800 (2.17 h).
    let b = &s.distribution.buckets;
    assert_eq!((b[0].customers, b[1].customers, b[2].customers), (0, 2, 2));
    // [1, 2): 5100.125 + 5700.5 = 10800.625 s = 3.00017 h; [2, 5): 9000.25 + 7800 = 16800.25 s = 4.66674 h.
    assert_eq!((b[1].hours, b[2].hours), (dec("3"), dec("4.667")));
    // Top 1% and top 10% of 4 customers: ⌈0.04⌉ = ⌈0.4⌉ = 1 customer, C: 9000.25 / 27600.875 = 0.32609 → 0.3261.
    let top = &s.distribution.top_10_percent;
    assert_eq!((top.customers, top.hours, top.share), (1, dec("2.5"), Some(dec("0.3261"))));
    assert_eq!(s.distribution.top_1_percent, *top);

    // No customer ID anywhere in the section.
    let json = serde_json::to_string(&s).expect("json");
    assert!(!json.contains("amzn1"), "a customer ID leaked");
}

#[test]
fn per_customer_days_and_last_streams() {
    let a = read("pid_viewership/analysis_a.csv");
    let agg = aggregate(&a);
    let key = |c: char| customer_key(&format!("amzn1.account.{}", c.to_string().repeat(26)));
    let mut days: Vec<_> = agg.customer_days().collect();
    days.sort();
    let mut expected = vec![
        // A: 2 May rows 1,2 = 3300; 3 May rows 9,12 = 1800.125. B: 900; 3600.5+1200 = 4800.5.
        (key('A'), "2022-05-02", dec("3300")),
        (key('A'), "2022-05-03", dec("1800.125")),
        (key('B'), "2022-05-02", dec("900")),
        (key('B'), "2022-05-03", dec("4800.5")),
        // C: 5400; 1200.25+2400 = 3600.25. D: 7200+600 = 7800.
        (key('C'), "2022-05-02", dec("5400")),
        (key('C'), "2022-05-03", dec("3600.25")),
        (key('D'), "2022-05-03", dec("7800")),
    ]
    .into_iter()
    .map(|(k, d, s)| (k, d.parse().expect("date"), s))
    .collect::<Vec<_>>();
    expected.sort();
    assert_eq!(days, expected);
    let mut last: Vec<_> =
        agg.last_streams().map(|(k, t, title)| (k, t.to_string(), title.map(str::to_string))).collect();
    last.sort();
    let mut want = vec![
        (key('A'), "2022-05-03 22:00:00".to_string(), Some("Show".to_string())),
        (key('B'), "2022-05-03 21:15:00".to_string(), Some("Show".to_string())),
        (key('C'), "2022-05-03 21:30:00".to_string(), Some("Show".to_string())),
        (key('D'), "2022-05-03 20:10:00".to_string(), Some("Film".to_string())),
    ];
    want.sort();
    assert_eq!(last, want);
}

#[test]
fn two_files_count_viewers_once() {
    let a = read("pid_viewership/analysis_a.csv");
    let b = read("pid_viewership/analysis_b.csv");
    let s = section_of(&[("analysis_a.csv", &a), ("analysis_b.csv", &b)]);
    // 12 + 3 streams; 27600.875 + 600 + 1200 + 600 = 30000.875 s; viewers A-D plus E = 5, not 4 + 3.
    assert_eq!((s.totals.streams, s.totals.seconds_viewed, s.totals.customers), (15, dec("30000.875"), 5));
    assert_eq!(s.files, ["analysis_a.csv", "analysis_b.csv"]);
    // 3 May: C again (still 4 viewers), 9 streams; 9 May: A and E.
    let days: Vec<_> = s.days.iter().map(|p| (p.start.to_string(), p.totals.streams, p.totals.customers)).collect();
    assert_eq!(days, [("2022-05-02".into(), 4, 3), ("2022-05-03".into(), 9, 4), ("2022-05-09".into(), 2, 2)]);
    // Weeks of 2 and 9 May; the month: 5 viewers.
    let weeks: Vec<_> = s.weeks.iter().map(|p| (p.start.to_string(), p.totals.streams, p.totals.customers)).collect();
    assert_eq!(weeks, [("2022-05-02".into(), 13, 4), ("2022-05-09".into(), 2, 2)]);
    assert_eq!((s.months.len(), s.months[0].totals.customers), (1, 5));
    // Show: A again → still 3 viewers, 9 streams, 10800.375 + 600; its season 1 gains episode 3.
    let show = s.titles.iter().find(|t| t.name == "Show").expect("Show");
    assert_eq!((show.totals.streams, show.totals.seconds_viewed, show.totals.customers), (9, dec("11400.375"), 3));
    let s1 = show.seasons.iter().find(|x| x.name == "1").expect("season 1");
    assert_eq!(s1.episodes.len(), 3);
    // Film: C again → 3 viewers, 4 streams. New Film: E.
    let film = s.titles.iter().find(|t| t.name == "Film").expect("Film");
    assert_eq!((film.totals.streams, film.totals.customers), (4, 3));
    assert_eq!(s.title_count, 4);
    // Per-customer distribution: A 5100.125 + 600 = 5700.125, C 9000.25 + 600 = 9600.25, E 1200 (0.33 h: first bucket).
    assert_eq!(s.distribution.buckets[0].customers, 1);
    assert_eq!(s.distribution.top_1_percent.hours, dec("2.667"));
    assert!(s.notes.iter().any(|n| n.contains("2 files combined")));
}

#[test]
fn the_section_does_not_depend_on_chunk_size() {
    let fx = fixture("pid_viewership/analysis_a.csv");
    let whole = ingest_bytes("analysis_a.csv", &fx.bytes);
    let expected = section_of(&[("a", &whole)]);
    for size in 1..=fx.bytes.len() {
        let chunked = ingest_chunked("analysis_a.csv", &fx.bytes, size);
        assert_eq!(section_of(&[("a", &chunked)]), expected, "chunks of {size}");
    }
}

#[test]
fn many_titles_are_bounded_with_an_other_line() {
    use std::fmt::Write;
    let mut csv = String::from("Encrypted Customer ID,Stream Start Timestamp,Seconds Viewed,Title Name\n");
    // 600 titles, title i watched for i seconds by customer i % 7.
    for i in 1..=600 {
        let _ = writeln!(csv, "amzn1.account.C{},2022-05-02 10:00,{i},T{i:03}", i % 7);
    }
    let file = ingest_bytes("many.csv", csv.as_bytes());
    let s = section_of(&[("many.csv", &file)]);
    assert_eq!((s.title_count, s.titles.len()), (600, 500));
    assert_eq!(s.titles[0].name, "T600");
    let other = s.other_titles.as_ref().expect("other");
    // Titles 1..=100: Σ i = 5050 seconds; 100 streams by all 7 customers.
    assert_eq!(
        (other.titles, other.totals.streams, other.totals.seconds_viewed, other.totals.customers),
        (100, 100, dec("5050"), 7)
    );
    assert!(s.titles[100].seasons.is_empty() && !s.titles[99].seasons.is_empty());
    assert!(s.notes.iter().any(|n| n.contains("top 500 of 600")));
}

/// The aggregate's memory for the demo month: 1,000,000 streams by 200,000
/// customers (about 280 MB of CSV), and ten times the rows by the same
/// customers. Run with `cargo test --release -p slatelens-core --test
/// viewership -- --ignored --nocapture`; prints the bytes counted.
#[test]
#[ignore = "slow: generates and reads 280 MB and 2.8 GB of CSV"]
fn aggregate_memory_is_bounded_by_distinct_values() {
    use slatelens_core::{demo, Ingest};
    let mut sizes = Vec::new();
    for rows in [1_000_000, 10_000_000] {
        let mut ing = Ingest::new("demo_pid_viewership.csv");
        let mut bytes = 0usize;
        for chunk in demo::pid_viewership(demo::DEFAULT_SEED, rows, 200_000) {
            bytes += chunk.len();
            ing.push(&chunk);
        }
        let file = ing.finish();
        let agg = aggregate(&file);
        let heap = agg.heap_bytes();
        let s = analyze(&[FileAggregate { name: "demo", aggregate: agg }]);
        let json = serde_json::to_string(&s).expect("json").len();
        println!(
            "{rows} rows, {} MB CSV, {} customers, {} titles: aggregate {:.1} MB, section JSON {:.1} KB",
            bytes / 1_000_000,
            agg.customers,
            s.title_count,
            heap as f64 / 1e6,
            json as f64 / 1e3
        );
        sizes.push(heap);
    }
    // Measured: 35.3 MB for 1M rows, 61.4 MB for 10M rows by the same customers: the
    // growth is customer × day and customer × episode pairs filling up (bounded by
    // customers × days and customers × episodes), not rows.
    assert!(sizes[0] < 50_000_000, "{} bytes", sizes[0]);
    assert!(sizes[1] < 80_000_000, "{sizes:?}");
}
