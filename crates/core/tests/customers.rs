//! Persistent-ID Subscriptions analysis, joined with viewership and reconciled
//! against Contractual Subscriptions, checked against numbers worked out by
//! hand from the fixtures `pid_subscriptions/analysis_{april,may}.csv`,
//! `pid_viewership/join_may_2022.csv` and `subscriptions/join_may_2022.csv`.
//!
//! The customers (TESTCUSTOMERnn, called Cn below), span 2022-04-20 to 2022-05-31:
//!
//! - C1: HO from 4/20 10:00, still active (repeated in May's file: a duplicate).
//! - C2: FT on OFFER-FT from 4/25 9:00, HO on OFFER-HO from 5/2 9:00 (a plan
//!   change, not a start); its FT row's End differs between files (a conflict).
//! - C3: HO from 4/22 8:00, Cancelled row starting 5/10 12:00 (cancel then).
//! - C4: HO 4/21 0:00, cancel 4/26 10:00, again 4/28 10:00, cancel 5/5 10:00,
//!   again 5/12 10:00, cancel 5/20 10:00 (each Cancelled row starts where an
//!   Active row ends: cancel at its start). 3 cancels, 2 restarts.
//! - C5: only a Cancelled row, 5/15 14:00: left-censored (active from 4/20).
//! - C6: only a Cancelled FT row, 5/20 8:00 to 5/27 8:00: entitlement shape,
//!   active from 5/20, cancel 5/27.
//! - C7: HO from 5/31 20:00.
//! - C8: HO row without a Status Start, Report Date 5/10: from 5/10 0:00.

#[allow(dead_code)]
mod util;

use rust_decimal::Decimal;
use slatelens_core::analysis::customers::Section;
use slatelens_core::kinds::subscriptions::Category;
use slatelens_core::{analyze, IngestedFile};
use util::fixture;

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn section(paths: &[&str]) -> Section {
    let files: Vec<IngestedFile> = paths.iter().map(|p| fixture(p).ingest()).collect();
    for f in &files {
        assert_eq!((f.report.rejected, f.report.error.as_ref()), (0, None), "{}", f.report.name);
    }
    analyze(&files).customers.expect("customers section")
}

const SUBS: [&str; 2] = ["pid_subscriptions/analysis_april.csv", "pid_subscriptions/analysis_may.csv"];

#[test]
fn rows_duplicates_and_conflicts() {
    let s = section(&SUBS);
    // 6 + 12 rows; C2's FT row, C3's Active row and C1's row repeat: 3 duplicates, 15 statuses.
    assert_eq!((s.rows, s.duplicates, s.statuses), (18, 3, 15));
    // C2's FT row: End 5/2 9:00 in April's file, 5/3 9:00 in May's.
    assert_eq!(s.conflicts, 1);
    assert_eq!(s.conflict_examples.len(), 1);
    assert!(!s.conflict_examples[0].contains("TESTCUSTOMER"), "no full customer ID: {}", s.conflict_examples[0]);
    assert_eq!(s.rows_without_start, 1);
    assert_eq!(s.customers, 8);
    assert_eq!(s.first_date.map(|d| d.to_string()), Some("2022-04-20".into()));
    assert_eq!(s.last_date.map(|d| d.to_string()), Some("2022-05-31".into()));
    let json = serde_json::to_string(&s).expect("json");
    assert!(!json.contains("TESTCUSTOMER"), "the section never holds a customer ID");
}

#[test]
fn starts_cancels_and_customers() {
    let s = section(&SUBS);
    // Starts: C1 4/20, C4 4/21, C3 4/22, C2 4/25, C4 4/28, C8 5/10, C4 5/12, C6 5/20, C7 5/31 = 9.
    assert_eq!(s.starts, 9);
    // Restarts: C4 4/28 and 5/12.
    assert_eq!(s.restarts, 2);
    // Cancels: C4 4/26, 5/5, 5/20; C3 5/10; C5 5/15; C6 5/27 = 6.
    assert_eq!(s.cancels, 6);
    assert_eq!((s.resubscribers, s.serial_churners, s.left_censored, s.cancels_while_inactive), (1, 1, 1, 0));
    // Active at the end of 5/31: C1, C2, C7, C8.
    assert_eq!(s.actives_last_date, 4);
}

#[test]
fn actives_per_day_and_months() {
    let s = section(&SUBS);
    assert_eq!(s.daily.len(), 42); // 11 days of April + 31 of May
    let on = |day: &str| s.daily.iter().find(|d| d.date.to_string() == day).expect("day").actives;
    assert_eq!(on("2022-04-20"), 2); // C1, C5 (left-censored)
    assert_eq!(on("2022-04-25"), 5); // C1, C2, C3, C4, C5
    assert_eq!(on("2022-04-26"), 4); // C4 cancelled at 10:00
    assert_eq!(on("2022-04-30"), 5); // C4 back since 4/28
    assert_eq!(on("2022-05-10"), 4); // C1, C2, C5, C8 (C3 cancelled at 12:00)
    assert_eq!(on("2022-05-31"), 4);

    assert_eq!(s.months.len(), 2);
    let april = &s.months[0];
    assert_eq!(april.month, "2022-04");
    // The rows begin on 4/20: actives at the start of April are unknown.
    assert_eq!((april.actives_at_start, april.gross_churn), (None, None));
    assert!(april.why_null["gross_churn"].contains("not known"));
    // Starts C1, C4, C3, C2, C4 = 5; cancel C4 4/26 = 1; actives 4/30 = 5.
    assert_eq!((april.starts, april.cancels, april.actives_at_end), (5, 1, 5));
    assert_eq!(april.churn_vs_end, Some(Decimal::ONE / Decimal::from(6))); // 1 / (5 + 1)

    let may = &s.months[1];
    // At start 5, + 4 starts (C8, C4, C6, C7) − 5 cancels (C4 ×2, C3, C5, C6) = 4 at the end.
    assert_eq!((may.actives_at_start, may.starts, may.cancels, may.actives_at_end), (Some(5), 4, 5, 4));
    assert_eq!(may.gross_churn, Some(Decimal::ONE)); // 5 / 5
    assert_eq!(may.churn_vs_end, Some(Decimal::from(5) / Decimal::from(9))); // 5 / (4 + 5)
}

#[test]
fn groups_and_survival() {
    let s = section(&SUBS);
    assert_eq!(s.groups.len(), 2);
    let ft = &s.groups[0];
    assert_eq!((ft.offer.as_str(), ft.billing_type), ("OFFER-FT", Category::FreeTrial));
    // Starts C2, C6; cancel C6; none on FT at the end (C2 converted).
    assert_eq!((ft.starts, ft.cancels, ft.actives_last_date), (2, 1, 0));
    // Spells: C6 7 days (cancel), C2 from 4/25 9:00 to 6/1 0:00 = 36 days 15 h → 36 (censored).
    // Day 7: 2 at risk, 1 cancel: S = 1/2 (the median); day 36: censored, S stays 1/2.
    let pts: Vec<(i64, u64, u64, u64, Decimal)> =
        ft.survival.points.iter().map(|p| (p.day, p.at_risk, p.events, p.censored, p.survival)).collect();
    assert_eq!(pts, vec![(7, 2, 1, 0, d("0.5")), (36, 1, 0, 1, d("0.5"))]);
    assert_eq!(ft.survival.median_days, Some(7));

    let ho = &s.groups[1];
    assert_eq!((ho.offer.as_str(), ho.billing_type), ("OFFER-HO", Category::HardOffer));
    // Starts C1, C3, C4 ×3, C7, C8 = 7; cancels C3, C4 ×3, C5 = 5; active C1, C2, C7, C8.
    assert_eq!((ho.starts, ho.cancels, ho.actives_last_date), (7, 5, 4));
    // Spells (days): C7 0 c, C4 5 e, C4 7 e, C4 8 e, C3 18 e, C8 22 c, C1 41 c.
    // S: day 0 → 1; 5 → 5/6; 7 → 5/6·4/5 = 2/3; 8 → 2/3·3/4 = 1/2; 18 → 1/2·2/3 = 1/3; 22, 41 → 1/3.
    let sv = &ho.survival;
    assert_eq!((sv.spells, sv.events, sv.censored), (7, 4, 3));
    let pts: Vec<(i64, u64, u64, u64, Decimal)> =
        sv.points.iter().map(|p| (p.day, p.at_risk, p.events, p.censored, p.survival.round_dp(10))).collect();
    assert_eq!(
        pts,
        vec![
            (0, 7, 0, 1, d("1")),
            (5, 6, 1, 0, d("0.8333333333")),
            (7, 5, 1, 0, d("0.6666666667")),
            (8, 4, 1, 0, d("0.5")),
            (18, 3, 1, 0, d("0.3333333333")),
            (22, 2, 0, 1, d("0.3333333333")),
            (41, 1, 0, 1, d("0.3333333333")),
        ]
    );
    assert_eq!(sv.median_days, Some(8));
}

#[test]
fn tenure_buckets() {
    let s = section(&SUBS);
    // Days active: C1 41, C2 7 + 29 = 36 (1–3 months); C3 18, C4 5 + 7 + 8 = 20, C6 7, C7 0,
    // C8 22 (under a month, C7 and C8 still active). C5 is left out (start unknown).
    let b: Vec<(&str, u64, u64)> = s.tenure.iter().map(|t| (t.label.as_str(), t.customers, t.still_active)).collect();
    assert_eq!(b[0], ("under 1 month", 5, 2));
    assert_eq!(b[1], ("1–3 months", 2, 2));
    assert!(b[2..].iter().all(|t| t.1 == 0));
}

#[test]
fn viewing_before_a_cancel_and_last_titles() {
    let mut paths = SUBS.to_vec();
    paths.push("pid_viewership/join_may_2022.csv");
    let s = section(&paths);
    assert_eq!(s.why_no_viewing, None);
    let v = s.viewing.expect("viewing");
    // Viewers C1, C2, C3, C4, C6, C8, C9; all but C9 are in the subscriptions.
    assert_eq!((v.viewing_customers, v.matched), (7, 6));
    assert_eq!(v.first_day.map(|d| d.to_string()), Some("2022-04-15".into()));
    assert_eq!(v.last_day.map(|d| d.to_string()), Some("2022-05-31".into()));
    // Cancellers (C5 has no viewing):
    // C3, cancel 5/10: window 4/10–5/9 clipped to 4/15–5/9 (25 days): 3600 + 7200 s = 3 h.
    // C4, last cancel 5/20: window 4/20–5/19 (30 days): 5400 s on 5/1 = 1.5 h (5/20 is the cancel day).
    // C6, cancel 5/27: window 4/27–5/26: nothing (0 h).
    let c = &v.cancellers;
    assert_eq!((c.customers, c.watched_nothing), (3, 1));
    assert_eq!(c.mean_hours, Some(d("1.5"))); // (3 + 1.5 + 0) / 3
    assert_eq!(c.median_hours, Some(d("1.5")));
    assert_eq!(c.mean_covered_days, Some(Decimal::from(85) / Decimal::from(3))); // (25 + 30 + 30) / 3
                                                                                 // Stayers with viewing: C1, C2, C8 (C7 has none), window 5/2–5/31:
                                                                                 // C1 7200 s = 2 h (4/30 is outside), C2 10800 s = 3 h, C8 0 (5/1 is outside).
    let st = &v.stayers;
    assert_eq!((st.customers, st.watched_nothing), (3, 1));
    assert_eq!(st.mean_hours, Some(Decimal::from(5) / Decimal::from(3)));
    assert_eq!(st.median_hours, Some(d("2")));
    assert_eq!(st.mean_covered_days, Some(d("30")));
    // Last titles: C3 Beta (5/8), C4 Gamma (5/20 9:00, before the 10:00 cancel); C6's last
    // stream (5/28) is after its cancel.
    let t: Vec<(&str, u64)> = v.last_titles.iter().map(|t| (t.title.as_str(), t.cancellers)).collect();
    assert_eq!(t, vec![("Beta", 1), ("Gamma", 1)]);
    assert_eq!(v.last_stream_after_cancel, 1);
    assert_eq!(v.cancellers_without_window, 0);
}

#[test]
fn without_viewership_says_why() {
    let s = section(&SUBS);
    assert!(s.viewing.is_none());
    assert!(s.why_no_viewing.is_some());
    assert!(s.reconciliation.is_empty());
}

#[test]
fn reconciliation_against_contractual_eop() {
    let mut paths = SUBS.to_vec();
    paths.push("subscriptions/join_may_2022.csv");
    let s = section(&paths);
    // May 2022 ends on 5/31, in the span. HO actives rebuilt at the end of 5/31:
    // OFFER-HO: C1, C2, C7, C8 = 4 against EOP 5; OFFER-FT: 0 against 0 HO.
    type Line<'a> = (Option<&'a str>, i64, Option<i64>, Option<i64>, Option<Decimal>);
    let r: Vec<Line> =
        s.reconciliation.iter().map(|r| (r.offer.as_deref(), r.rebuilt, r.eop, r.difference, r.relative)).collect();
    assert_eq!(
        r,
        vec![
            (Some("OFFER-FT"), 0, Some(0), Some(0), None),
            (Some("OFFER-HO"), 4, Some(5), Some(-1), Some(d("-0.2"))),
            (None, 4, Some(5), Some(-1), Some(d("-0.2"))), // (4 − 5) / 5
        ]
    );
    assert!(s.reconciliation[0].why_null.is_some());
    assert!(s.notes.iter().any(|n| n.contains("only HO is reconciled")));
}

/// The demo's subscriptions read through the same path: every number stays consistent.
#[test]
fn demo_data_is_consistent() {
    let set = slatelens_core::demo::sample_set(7);
    let files: Vec<IngestedFile> = set.iter().map(|(n, b)| slatelens_core::ingest_bytes(n, b)).collect();
    let s = analyze(&files).customers.expect("customers section");
    assert!(s.customers > 0 && s.starts > 0);
    // Actives move by starts and cancels only, except for plan changes (not counted) and
    // left-censored customers.
    let month = s.months.last().expect("a month");
    assert!(month.actives_at_end <= s.customers);
    for g in &s.groups {
        let sv = &g.survival;
        assert_eq!(sv.events + sv.censored, sv.spells);
        assert!(sv.points.windows(2).all(|w| w[0].survival >= w[1].survival));
    }
    let v = s.viewing.expect("demo has viewership");
    assert!(v.matched > 0);
}

/// Conflicts are found status by status, but listed in the order they were read.
#[test]
fn conflict_examples_follow_read_order() {
    const HEADER: &str = "Report Date,Marketplace,Customer ID,Offer,Billing Type,Payment Amount,Status,Status Start Time,Status End Time,Subscription\n";
    let file = |day: u32, end_day: u32| {
        let mut s = HEADER.to_string();
        for c in 0..30 {
            s.push_str(&format!(
                "5/{day}/2022,US,amzn1.account.C{c:02},B0OFFER-1M,HO,4.99,Active,5/1/2022 9:00,5/{end_day}/2022 9:00,X+\n"
            ));
        }
        s
    };
    let files = [
        slatelens_core::ingest_bytes("first.csv", file(10, 20).as_bytes()),
        slatelens_core::ingest_bytes("second.csv", file(11, 21).as_bytes()),
        // Agrees with the second file, whose End (the later Report Date) was kept: no conflict.
        slatelens_core::ingest_bytes("third.csv", file(12, 21).as_bytes()),
    ];
    let s = analyze(&files).customers.expect("customers section");
    assert_eq!((s.rows, s.statuses, s.duplicates, s.conflicts, s.customers), (90, 30, 60, 30, 30));
    assert_eq!(s.conflict_examples.len(), 20);
    for (i, e) in s.conflict_examples.iter().enumerate() {
        assert!(e.ends_with(&format!("(second.csv line {})", i + 2)), "{i}: {e}");
    }
}
