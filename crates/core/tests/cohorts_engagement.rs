//! Hand-checked numbers for the Conversion and Retention, Engagement
//! Scorecard and First-and-Last Title sections, from the `analysis_*`
//! fixtures read through the whole pipeline (ingest, kind, analysis), two
//! files each with a repeated row that must count once.

use rust_decimal::Decimal;
use slatelens_core::analysis::retention::{ltv, Reading};
use slatelens_core::{analyze, ingest_bytes, Analysis, IngestedFile};
use std::path::PathBuf;

fn read(rel: &str) -> IngestedFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ingest_bytes(rel, &bytes)
}

fn analysis(rels: &[&str]) -> Analysis {
    let files: Vec<IngestedFile> = rels.iter().map(|r| read(r)).collect();
    for f in &files {
        assert!(f.report.error.is_none(), "{}: {:?}", f.report.name, f.report.error_line());
        assert_eq!(f.report.rejected, 0, "{}: {:?}", f.report.name, f.report.problems);
    }
    analyze(&files)
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[test]
fn retention_cohorts_curves_lifetime_and_ltv() {
    let a =
        analysis(&["conversion_retention/analysis_cohorts_jan.csv", "conversion_retention/analysis_cohorts_feb.csv"]);
    let s = a.retention.expect("retention section");
    // 3 + 2 rows read; the Feb 2024 FT cohort is in both files: 4 cohorts.
    assert_eq!(s.rows, 5);
    assert_eq!(s.cohorts.len(), 4);
    assert_eq!(s.duplicates.len(), 1, "{:?}", s.duplicates);
    assert!(s.conflicts.is_empty());
    // No cohort's values go up month to month: read as cumulative.
    assert_eq!(s.default_reading, Reading::Cumulative);
    assert!(s.cumulative.possible);

    let c = &s.cumulative;
    let ft = c.curves.iter().find(|c| c.offer_id.as_deref() == Some("OFFER-1M")).expect("FT curve");
    // Jan 1000 × (.8 .6 .5), Feb 3000 × (.7 .5), Mar 1000 × (.6):
    // M1 = (800 + 2100 + 600) / 5000 = 0.7; M2 = (600 + 1500) / 4000 = 0.525; M3 = 500 / 1000 = 0.5.
    let pts: Vec<Option<Decimal>> = ft.points.iter().take(4).map(|p| p.survival).collect();
    assert_eq!(pts, vec![Some(d("0.7")), Some(d("0.525")), Some(d("0.5")), None]);
    assert_eq!((ft.points[1].cohorts, ft.points[1].starts), (2, 4000));
    // Lifetime = 1 + 0.7 + 0.525 + 0.5 = 2.725 months (3 months observed).
    assert_eq!(ft.lifetime_months, Some(d("2.725")));
    assert_eq!(ft.lifetime_observed_months, 3);
    // FT conversion = (1000×.6 + 3000×.5 + 1000×.4) / 5000 = 2500/5000 = 0.5.
    assert_eq!(ft.ft_conversion, Some(d("0.5")));
    // LTV at 9.99 = 2.725 × 9.99 = 27.22275 → 27.22.
    assert_eq!(ltv(d("2.725"), d("9.99")), d("27.22"));

    let ho = c.curves.iter().find(|c| c.offer_id.as_deref() == Some("OFFER-HO")).expect("HO curve");
    // 1 + .9 + .85 + .8 + .75 = 4.3.
    assert_eq!(ho.lifetime_months, Some(d("4.3")));
    assert_eq!(ho.ft_conversion, None, "HO cohort has no FT conversion");

    // All cohorts: M1 = (800+2100+600+450)/5500 = 3950/5500 = 0.718181…; M2 = (600+1500+425)/4500 = 0.561111…;
    // M3 = (500+400)/1500 = 0.6; M4 = 375/500 = 0.75. Lifetime = 1 + 0.7181818… + 0.5611111… + 0.6 + 0.75 = 3.6292929… → 3.6293.
    let avg = &c.average;
    assert_eq!(avg.points[0].survival, Some(d("0.718182")));
    assert_eq!(avg.points[1].survival, Some(d("0.561111")));
    assert_eq!(avg.points[2].survival, Some(d("0.6")));
    assert_eq!(avg.points[3].survival, Some(d("0.75")));
    assert_eq!(avg.points[0].starts, 5500);
    assert_eq!(avg.lifetime_months, Some(d("3.6293")));

    // Step reading, FT: Jan .8 .48 .24, Feb .7 .35, Mar .6:
    // M2 = (480 + 1050)/4000 = 0.3825; M3 = 0.24; lifetime = 1 + .7 + .3825 + .24 = 2.3225.
    let ft_step = s.step.curves.iter().find(|c| c.offer_id.as_deref() == Some("OFFER-1M")).expect("FT curve");
    assert_eq!(ft_step.points[1].survival, Some(d("0.3825")));
    assert_eq!(ft_step.lifetime_months, Some(d("2.3225")));
}

#[test]
fn engagement_bands_groups_and_rates() {
    let a = analysis(&["engagement/analysis_scorecard_nov.csv", "engagement/analysis_scorecard_dec.csv"]);
    let s = a.engagement.expect("engagement section");
    // 4 + 3 rows read; the Nov 12+months row repeated in the Dec file counts once.
    assert_eq!(s.rows, 7);
    assert_eq!(s.duplicates.len(), 1, "{:?}", s.duplicates);
    assert_eq!(s.periods.len(), 2);
    let nov = &s.periods[0];
    assert_eq!(nov.bands, ["0-1months", "12+months"], "tenure order, not text order");
    assert_eq!(nov.rows, 4);
    let cell = |band: &str, group: &str| {
        nov.cells.iter().find(|c| c.band == band && c.content_group.as_deref() == Some(group)).expect("cell")
    };
    // 0-1months 3P_SUBS: two plans. Paid 1000 + 500 = 1500; cancels 200 + 50 = 250 → 250/1500 = 0.166667.
    let c = cell("0-1months", "3P_SUBS");
    assert_eq!((c.rows, c.paid, c.cancellations), (2, Some(1500), Some(250)));
    assert_eq!(c.cancel_rate, Some(d("0.166667")));
    // Streamers 800 + 200 = 1000 → 1000/1500 = 0.666667; weekend 700 / (700 + 2100) = 0.25.
    assert_eq!(c.streamers_per_paid, Some(d("0.666667")));
    assert_eq!(c.weekend_share, Some(d("0.25")));
    // Titles (3×800 + 4×200)/1000 = 3.2; episodes (4×800 + 6×200)/1000 = 4.4; movies missing in one row.
    assert_eq!((c.avg_titles, c.avg_episodes, c.avg_movies), (Some(d("3.2")), Some(d("4.4")), None));
    // VOD hours 1600 + 500 = 2100 / 1000 = 2.1; ad hours missing in one row → null.
    assert_eq!(c.vod_hours_per_streamer, Some(d("2.1")));
    assert_eq!(c.ad_hours_per_streamer, None);
    assert!(c.why_null.contains_key("ad_hours_per_streamer"));
    // FREE: cancel rate 200/1000 = 0.2; no streamers → per-streamer rates null, "Streamers is 0".
    let f = cell("0-1months", "FREE");
    assert_eq!(f.cancel_rate, Some(d("0.2")));
    assert_eq!(f.vod_hours_per_streamer, None);
    assert_eq!(f.why_null.get("vod_hours_per_streamer").map(String::as_str), Some("Streamers is 0"));
    // 12+months: 40/2000 = 0.02; weekend 1200/3000 = 0.4; 4000/1000 = 4 h and 200/1000 = 0.2 ad h per streamer.
    let l = cell("12+months", "3P_SUBS");
    assert_eq!((l.cancel_rate, l.weekend_share), (Some(d("0.02")), Some(d("0.4"))));
    assert_eq!((l.vod_hours_per_streamer, l.ad_hours_per_streamer), (Some(d("4")), Some(d("0.2"))));
    // Dec: 180/1200 = 0.15 and 45/900 = 0.05.
    let dec = &s.periods[1];
    assert_eq!(dec.bands, ["0-1months", "1-3months"]);
    let rates: Vec<Option<Decimal>> = dec.cells.iter().map(|c| c.cancel_rate).collect();
    assert_eq!(rates, vec![Some(d("0.15")), Some(d("0.05"))]);
}

#[test]
fn first_last_shares_ranks_and_high_on_both() {
    let a = analysis(&["first_last/analysis_week1.csv", "first_last/analysis_week2.csv"]);
    let s = a.first_last.expect("first/last section");
    // 5 + 3 rows; the week-1 Night Ferry row repeated in week 2's file counts once.
    assert_eq!(s.rows, 8);
    assert_eq!(s.duplicates.len(), 1, "{:?}", s.duplicates);
    let w1 = &s.periods[0];
    // Σ conversion first = 30+10+20+5+2 = 67; Σ last = 35+20+5+40+5 = 105.
    assert_eq!((w1.totals.conversion_first, w1.totals.last), (Some(67), Some(105)));
    // FT first 40+10+20+5 = 75, Small Hours' cell empty (not 0).
    assert_eq!(w1.totals.ft_first, Some(75));
    assert_eq!(w1.totals.missing_cells.get("ft_first"), Some(&1));
    let names: Vec<&str> = w1.titles.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(names, ["Harbor Lights", "Night Ferry", "Cold Case Files", "Small Hours"]);
    let h = &w1.titles[0];
    // Harbor Lights S1, two platforms: conv 30+10 = 40 → 40/67 = 0.597015; last 35+20 = 55 → 55/105 = 0.523810.
    assert_eq!((h.rows, h.counts.conversion_first, h.counts.last), (2, Some(40), Some(55)));
    assert_eq!(h.share_of_conversions, Some(d("0.597015")));
    assert_eq!(h.share_of_cancels, Some(d("0.523810")));
    // The file's shares (of all the plan's conversions) add to .15 + .05 = .20.
    assert_eq!(h.reported_share_of_conversions, Some(d("0.20")));
    // Top quartile: ⌈4/4⌉ = 1st of 4 non-zero shares on each side: Harbor Lights on both.
    assert!(h.high_on_both);
    assert!(w1.titles[1..].iter().all(|t| !t.high_on_both));
    let cold = &w1.titles[2];
    // Cold Case Files: 5/67 = 0.074627, rank 3; 40/105 = 0.380952, rank 2.
    assert_eq!((cold.share_of_conversions, cold.rank_conversions), (Some(d("0.074627")), Some(3)));
    assert_eq!((cold.share_of_cancels, cold.rank_cancels), (Some(d("0.380952")), Some(2)));
    // Night Ferry and Small Hours tie on cancels (5/105): both rank 3.
    assert_eq!((w1.titles[1].rank_cancels, w1.titles[3].rank_cancels), (Some(3), Some(3)));

    // Week 2: 20/40 each on conversions and 10/20 each on cancels: tied at rank 1, but two
    // titles have no quartile, so neither is flagged.
    let w2 = &s.periods[1];
    assert!(w2.titles.iter().all(|t| !t.high_on_both && t.share_of_conversions == Some(d("0.5"))));
    assert!(w2.titles.iter().all(|t| t.rank_conversions == Some(1) && t.rank_cancels == Some(1)));
}
