//! Content Usage and Live Streaming Usage sections over the `analysis_*`
//! fixtures, with every expected number worked out by hand from the CSV rows
//! (the arithmetic is in the comments).

use rust_decimal::Decimal;
use slatelens_core::analysis::content::{self, Totals};
use slatelens_core::analysis::live;
use slatelens_core::kinds::subscriptions::Cadence;
use slatelens_core::{analyze, ingest_bytes, IngestedFile};
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn read(rel: &str) -> IngestedFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}"));
    let name = rel.rsplit('/').next().expect("name");
    let f = ingest_bytes(name, &bytes);
    assert_eq!(f.report.rejected, 0, "{rel}: {:?}", f.report.problems);
    f
}

fn content_of(rels: &[&str]) -> content::Section {
    let files: Vec<IngestedFile> = rels.iter().map(|r| read(r)).collect();
    analyze(&files).content_usage.expect("a content section")
}

fn live_of(rels: &[&str]) -> live::Section {
    let files: Vec<IngestedFile> = rels.iter().map(|r| read(r)).collect();
    analyze(&files).live_usage.expect("a live section")
}

/// (rows, streams, minutes, ad minutes, row customers).
fn sums(t: &Totals) -> (usize, Option<i64>, Option<Decimal>, Option<Decimal>, Option<i64>) {
    (t.rows, t.streams, t.minutes, t.ad_minutes, t.row_customers)
}

const ALL: [&str; 4] = [
    "content_usage/analysis_week1.csv",
    "content_usage/analysis_week2.csv",
    "content_usage/analysis_month.csv",
    "content_usage/analysis_device_level_viewership.csv",
];

#[test]
fn content_usage_and_device_level_are_separate_reports() {
    let s = content_of(&ALL);
    let labels: Vec<&str> = s.reports.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Contractual Content Usage", "Premium Device-Level Viewership"]);
    // 6 + 3 + 2 rows of content usage, 2 of device-level.
    assert_eq!((s.reports[0].rows, s.reports[1].rows, s.rows), (11, 2, 13));
    let dev = &s.reports[1].periods[0];
    // Device-level week 1: streams 100 + 70 = 170; minutes 4000.50 + 3000 = 7000.50; ad 200 + 300 = 500.
    assert_eq!(sums(&dev.totals), (2, Some(170), Some(d("7000.50")), Some(d("500")), Some(140)));
    assert!(dev.duplicates.is_empty() && dev.conflicts.is_empty());
}

#[test]
fn week_one_totals_splits_and_titles() {
    let s = content_of(&ALL);
    let r = &s.reports[0];
    // Periods by start then cadence: the month and week 1 both start 2024-01-01; monthly sorts first.
    let shape: Vec<(String, Cadence)> = r.periods.iter().map(|p| (p.start.to_string(), p.cadence)).collect();
    assert_eq!(
        shape,
        [
            ("2024-01-01".to_string(), Cadence::Monthly),
            ("2024-01-01".to_string(), Cadence::Weekly),
            ("2024-01-08".to_string(), Cadence::Weekly)
        ]
    );
    let w1 = &r.periods[1];
    let t = &w1.totals;
    // streams 100+60+40+200+50+10 = 460; minutes 4000.50+2500+1500+9000+2000+300 = 19300.50;
    // ad 200+100+50+900+0+30 = 1280; row customers 80+50+30+150+45+10 = 365.
    assert_eq!(sums(t), (6, Some(460), Some(d("19300.50")), Some(d("1280")), Some(365)));
    assert_eq!(t.ad_share, Some(d("1280") / d("20580.50")));
    assert_eq!(t.max_row_customers, Some(150));
    assert_eq!(t.customers, None, "customers of 6 rows are not added");
    assert_eq!(t.minutes_per_customer, Some(d("19300.50") / d("365")));

    // TV: rows 2-4: 100+60+40 = 200 streams, 4000.50+2500+1500 = 8000.50 min, 200+100+50 = 350 ad.
    // Movie: rows 5-7: 200+50+10 = 260, 9000+2000+300 = 11300, 900+0+30 = 930.
    let types: Vec<_> = w1.content_types.iter().map(|g| (g.key.as_deref(), sums(&g.totals))).collect();
    assert_eq!(
        types,
        [
            (Some("Movie"), (3, Some(260), Some(d("11300")), Some(d("930")), Some(205))),
            (Some("TV"), (3, Some(200), Some(d("8000.50")), Some(d("350")), Some(160))),
        ]
    );
    // 3P_SUBS: rows 2,3,4,7: 210 streams, 8300.50 min, 380 ad; FREE row 5; PRIME row 6.
    let groups: Vec<_> = w1.content_groups.iter().map(|g| (g.key.as_deref(), sums(&g.totals))).collect();
    assert_eq!(
        groups,
        [
            (Some("3P_SUBS"), (4, Some(210), Some(d("8300.50")), Some(d("380")), Some(170))),
            (Some("FREE"), (1, Some(200), Some(d("9000")), Some(d("900")), Some(150))),
            (Some("PRIME"), (1, Some(50), Some(d("2000")), Some(d("0")), Some(45))),
        ]
    );
    // One row: customers is that row's; PRIME's ad share 0 / 2000 = 0.
    assert_eq!(w1.content_groups[1].totals.customers, Some(150));
    assert_eq!(w1.content_groups[2].totals.ad_share, Some(Decimal::ZERO));
    // Offers: A rows 2-5: 400 streams, 17000.50 min, 1250 ad; B rows 6-7: 60, 2300, 30.
    let offers: Vec<_> = w1.offers.iter().map(|g| (g.key.as_deref(), g.name.as_deref(), sums(&g.totals))).collect();
    assert_eq!(
        offers,
        [
            (Some("OFFER-A"), Some("Plan A"), (4, Some(400), Some(d("17000.50")), Some(d("1250")), Some(310))),
            (Some("OFFER-B"), Some("Plan B"), (2, Some(60), Some(d("2300")), Some(d("30")), Some(55))),
        ]
    );

    // Top titles by minutes: Long Road 9000+2000 = 11000, Night Shift 8000.50, Short Film 300.
    let titles: Vec<_> = w1.titles.iter().map(|t| (t.title.as_str(), t.totals.minutes)).collect();
    assert_eq!(
        titles,
        [("Long Road", Some(d("11000"))), ("Night Shift", Some(d("8000.50"))), ("Short Film", Some(d("300")))]
    );
    let road = &w1.titles[0];
    // Two rows (FREE and PRIME): no customers figure, 150 + 45 = 195 row customers, largest 150.
    assert_eq!(
        (road.totals.customers, road.totals.row_customers, road.totals.max_row_customers),
        (None, Some(195), Some(150))
    );
    assert!(road.seasons.is_empty(), "a movie has no drill-down");
    let film = &w1.titles[2];
    // One row: 10 customers, 300 / 10 = 30 minutes each, ad 30 / 330.
    assert_eq!((film.totals.customers, film.totals.minutes_per_customer), (Some(10), Some(d("30"))));
    assert_eq!(film.totals.ad_share, Some(d("30") / d("330")));

    // Drill-down: Night Shift S1 = episodes 1 and 2 (4000.50 + 2500 = 6500.50), S2 = episode 1 (1500).
    let show = &w1.titles[1];
    assert_eq!(show.content_type, "TV");
    let seasons: Vec<_> = show.seasons.iter().map(|s| (s.season, s.totals.rows, s.totals.minutes)).collect();
    assert_eq!(seasons, [(Some(1), 2, Some(d("6500.50"))), (Some(2), 1, Some(d("1500")))]);
    let eps: Vec<_> = show.seasons[0]
        .episodes
        .iter()
        .map(|e| (e.episode, e.name.as_deref(), e.totals.customers, e.totals.minutes_per_customer))
        .collect();
    // Pilot: 4000.50 / 80 = 50.00625; Second: 2500 / 50 = 50.
    assert_eq!(
        eps,
        [(Some(1), Some("Pilot"), Some(80), Some(d("50.00625"))), (Some(2), Some("Second"), Some(50), Some(d("50")))]
    );
}

#[test]
fn weekly_trend_and_month_stay_apart() {
    let s = content_of(&ALL);
    let r = &s.reports[0];
    let weekly: Vec<_> = r
        .periods
        .iter()
        .filter(|p| p.cadence == Cadence::Weekly)
        .map(|p| (p.start.to_string(), p.totals.minutes))
        .collect();
    // Week 1 19300.50; week 2 2000 + 4500 + 600 = 7100.
    assert_eq!(weekly, [("2024-01-01".to_string(), Some(d("19300.50"))), ("2024-01-08".to_string(), Some(d("7100")))]);
    let w2 = &r.periods[2].totals;
    // Week 2 streams 50+100+20 = 170; ad minutes empty on Long Road's row (line 3): null, not 100 + 60.
    assert_eq!(w2.streams, Some(170));
    assert_eq!(w2.ad_minutes, None);
    assert_eq!(w2.why_null["ad_minutes"], "\"Total Ad Minutes Streamed\" is empty on line 3 of analysis_week2.csv");
    assert_eq!(w2.ad_share, None);
    // The month is its own period (not week 1 + week 2): 12000 + 25000 = 37000 minutes, 300 + 500 = 800 streams,
    // ad 600 + 2500 = 3100 → share 3100 / 40100.
    let m = &r.periods[0];
    assert_eq!(m.end.to_string(), "2024-01-31");
    assert_eq!(sums(&m.totals), (2, Some(800), Some(d("37000")), Some(d("3100")), Some(600)));
    assert_eq!(m.totals.ad_share, Some(d("3100") / d("40100")));
}

#[test]
fn a_resent_file_counts_once_and_a_changed_row_is_a_conflict() {
    let s = content_of(&["content_usage/analysis_week1.csv", "content_usage/analysis_week1_resent.csv"]);
    let w1 = &s.reports[0].periods[0];
    assert_eq!(
        w1.duplicates,
        ["analysis_week1_resent.csv: rows for 2024-01-01 to 2024-01-07 duplicate analysis_week1.csv and were counted once"]
    );
    assert_eq!(
        w1.conflicts,
        ["analysis_week1.csv and analysis_week1_resent.csv disagree on offer \"OFFER-A\", \"Long Road\" (FREE) for 2024-01-01 to 2024-01-07"]
    );
    // Short Film still 300 (not 600); Long Road and the period totals are null; Night Shift is untouched.
    let by = |name: &str| w1.titles.iter().find(|t| t.title == name).expect("title");
    assert_eq!(by("Short Film").totals.minutes, Some(d("300")));
    assert_eq!(by("Long Road").totals.minutes, None);
    assert_eq!(by("Night Shift").totals.minutes, Some(d("8000.50")));
    assert_eq!(w1.totals.minutes, None);
    assert!(w1.totals.why_null["minutes"].starts_with("files disagree: analysis_week1.csv and"));
    assert_eq!(w1.totals.rows, 6);
}

#[test]
fn live_channels_offers_and_trend() {
    let s =
        live_of(&["live_usage/analysis_week1.csv", "live_usage/analysis_week2.csv", "live_usage/analysis_month.csv"]);
    // 4 + 2 + 1 rows.
    assert_eq!(s.rows, 7);
    let shape: Vec<_> = s.periods.iter().map(|p| (p.start.to_string(), p.cadence)).collect();
    assert_eq!(
        shape,
        [
            ("2024-01-01".to_string(), Cadence::Monthly),
            ("2024-01-01".to_string(), Cadence::Weekly),
            ("2024-01-08".to_string(), Cadence::Weekly)
        ]
    );
    let w1 = &s.periods[1];
    // streams 300+100+50+400 = 850; minutes 6000+2000+1000+12000 = 21000; ad 1500+500+0+3000 = 5000;
    // row customers 200+90+40+250 = 580; ad share 5000 / 26000.
    assert_eq!(sums(&w1.totals), (4, Some(850), Some(d("21000")), Some(d("5000")), Some(580)));
    assert_eq!(w1.totals.ad_share, Some(d("5000") / d("26000")));
    // Sport: one row, 250 customers, 12000 / 250 = 48 min each, ad 3000 / 15000 = 0.2.
    let sport = &w1.channels[0];
    assert_eq!((sport.channel_id.as_str(), sport.channel_name.as_deref()), ("ch-sport", Some("Sport Live")));
    assert_eq!((sport.totals.customers, sport.totals.minutes_per_customer), (Some(250), Some(d("48"))));
    assert_eq!(sport.totals.ad_share, Some(d("0.2")));
    // News: 3 rows (two offers, two episodes): 450 streams, 9000 min, 2000 ad; 200 + 90 + 40 = 330 row customers.
    let news = &w1.channels[1];
    assert_eq!(sums(&news.totals), (3, Some(450), Some(d("9000")), Some(d("2000")), Some(330)));
    assert_eq!((news.totals.customers, news.totals.max_row_customers), (None, Some(200)));
    assert_eq!(news.totals.minutes_per_customer, Some(d("9000") / d("330")));
    // Offers: A 300+100+400 = 800 streams, 20000 min; B 50, 1000.
    let offers: Vec<_> = w1.offers.iter().map(|o| (o.offer_id.as_str(), o.totals.streams, o.totals.minutes)).collect();
    assert_eq!(offers, [("OFFER-A", Some(800), Some(d("20000"))), ("OFFER-B", Some(50), Some(d("1000")))]);
    // Week 2: 3000 + 6000 = 9000 min; Sport's ad cell is empty: ad minutes null.
    let w2 = &s.periods[2].totals;
    assert_eq!((w2.minutes, w2.ad_minutes), (Some(d("9000")), None));
    assert_eq!(w2.why_null["ad_minutes"], "\"Total Ad Minutes Streamed\" is empty on line 3 of analysis_week2.csv");
    // Month: its own period, 20000 min, ad 4000 / 24000.
    let m = &s.periods[0].totals;
    assert_eq!((m.minutes, m.ad_share), (Some(d("20000")), Some(d("4000") / d("24000"))));
}

#[test]
fn a_resent_live_file_is_not_counted_twice() {
    // The same file twice is caught as a duplicate file before the section; the
    // section still sees one file's rows.
    let s = live_of(&["live_usage/analysis_week1.csv", "live_usage/analysis_week1.csv"]);
    assert_eq!(s.rows, 4);
    assert_eq!(s.periods[0].totals.minutes, Some(d("21000")));
}
