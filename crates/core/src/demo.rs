//! Demo data: deterministic, invented report files of every kind, for the web
//! page's "Try it with demo data" button, the benchmarks and the fuzz seeds.
//!
//! Every generator takes a `seed` and gives the same bytes for the same
//! arguments on every platform, native and wasm32 alike: numbers come from a
//! seeded WyRand ([`fastrand::Rng::with_seed`], no OS entropy) through integer
//! and basic `f64` arithmetic only (no `sin`/`exp`, which may round differently
//! per platform, and no `usize` draws, whose width differs), so what a person
//! sees in the browser's demo reproduces on the command line.
//!
//! The numbers are made to look like a real channel's: subscription files
//! are consistent month to month (HO end-of-period subscriptions move by HO
//! starts + FT conversions − HO cancels, so churn lands at 3–8% and conversion
//! at 60–90%), retention curves decay, viewing follows a few popular titles.
//! Titles include commas, quotes and non-ASCII letters, so every file has
//! quoted cells. Offers, titles, channels and customer IDs are fictional.
//!
//! The aggregated kinds come whole, as `(file name, bytes)` pairs whose names
//! start with `demo_`. The Persistent-ID kinds can be large (1,000,000 viewership
//! rows are about 280 MB), so they stream: [`pid_viewership`] and
//! [`pid_subscriptions`] yield the file in chunks of whole rows, the first
//! chunk starting with the header, and never hold more than one chunk.
//!
//! Every file ingests with no rejected row (see the tests at the end).

use fastrand::Rng;
use std::fmt::Write as _;

/// The seed the web page's demo button uses.
pub const DEFAULT_SEED: u64 = 20_211_211;

/// Year of the month the Persistent-ID files cover (December 2021, as in the
/// report guide's samples).
pub const PID_YEAR: i32 = 2021;
/// Month (1–12) the Persistent-ID files cover.
pub const PID_MONTH: u32 = 12;

/// A streamed file is cut into chunks of about this many bytes (whole rows).
pub const CHUNK_BYTES: usize = 64 * 1024;

// ---------------------------------------------------------------------------
// Randomness, dates and CSV writing.

/// SplitMix64's finalizer: spreads a seed (or a seed and an index) over 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seeded generator with the few draws the generators need.
struct R(Rng);

impl R {
    /// A generator for one purpose (`stream`) of one seed, independent of the others.
    fn new(seed: u64, stream: u64) -> R {
        R(Rng::with_seed(mix(seed ^ mix(stream))))
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        self.0.f64()
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A factor within `1 ± spread`.
    fn jitter(&mut self, spread: f64) -> f64 {
        self.between(1.0 - spread, 1.0 + spread)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            self.0.u32(..n)
        }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    /// An index into a slice of `len` items (`len` > 0).
    fn index(&mut self, len: usize) -> usize {
        self.below(len as u32) as usize
    }

    /// An index drawn by cumulative weights (`cum` non-empty, last > 0).
    fn weighted(&mut self, cum: &[u64]) -> usize {
        let total = cum.last().copied().unwrap_or(0);
        if total == 0 {
            return 0;
        }
        let t = self.0.u64(..total);
        cum.partition_point(|&c| c <= t).min(cum.len() - 1)
    }
}

fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    weights
        .into_iter()
        .scan(0u64, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

fn round(x: f64) -> i64 {
    x.round() as i64
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Month {
    year: i32,
    /// 1 to 12.
    month: u32,
}

impl Month {
    /// Month 0 reads as 1 and months past 12 roll into later years; the year is
    /// kept to four digits so every date reads back.
    fn new(year: i32, month: u32) -> Month {
        let year = year.clamp(1970, 9000);
        Month { year, month: 1 }.plus(i64::from(month.max(1)) - 1)
    }

    fn plus(self, months: i64) -> Month {
        let idx = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        Month { year: idx.div_euclid(12) as i32, month: idx.rem_euclid(12) as u32 + 1 }
    }

    fn days(self) -> u32 {
        match self.month {
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// `M/D/YYYY`, as Slate writes dates.
    fn date(self, day: u32) -> String {
        format!("{}/{}/{}", self.month, day, self.year)
    }

    fn first(self) -> String {
        self.date(1)
    }

    fn last(self) -> String {
        self.date(self.days())
    }

    /// `YYYY-MM`, for file names.
    fn tag(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// Seasonal demand: high in the winter holidays and January, low in late spring.
    fn season(self) -> f64 {
        const SEASON: [f64; 12] = [1.18, 0.98, 0.95, 0.9, 0.86, 0.88, 0.95, 0.97, 1.02, 1.05, 1.14, 1.3];
        SEASON[(self.month - 1) as usize]
    }
}

/// Appends one CSV cell, quoted when it has to be.
fn push_cell(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Writes one CSV line cell by cell.
struct Line<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Line<'a> {
    fn new(out: &'a mut String) -> Line<'a> {
        Line { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// A text cell (quoted when needed).
    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        push_cell(self.out, s);
        self
    }

    /// A cell that never needs quoting (numbers, dates).
    fn num(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.out, "{v}");
        self
    }

    /// A decimal with at most `places` places, trailing zeros dropped, as
    /// spreadsheets write them (`2860.819`, `2860.8`, `2860`).
    fn dec(&mut self, v: f64, places: usize) -> &mut Self {
        self.sep();
        let start = self.out.len();
        let _ = write!(self.out, "{:.*}", places, v.max(0.0));
        if places > 0 {
            while self.out.ends_with('0') {
                self.out.pop();
            }
            if self.out.ends_with('.') {
                self.out.pop();
            }
            if self.out.len() == start {
                self.out.push('0');
            }
        }
        self
    }

    /// A decimal with exactly `places` places (money, percentages).
    fn fixed(&mut self, v: f64, places: usize) -> &mut Self {
        self.sep();
        let _ = write!(self.out, "{:.*}", places, v.max(0.0));
        self
    }

    fn empty(&mut self) -> &mut Self {
        self.sep();
        self
    }

    fn end(&mut self) {
        self.out.push('\n');
    }
}

fn header(out: &mut String, names: &[&str]) {
    let mut line = Line::new(out);
    for n in names {
        line.text(n);
    }
    line.end();
}

// ---------------------------------------------------------------------------
// The invented catalogue: offers, titles, channels.

/// A subscription plan.
struct Offer {
    id: &'static str,
    name: &'static str,
    price: &'static str,
    /// Has a free trial (FT rows).
    trial: bool,
    /// Carries ads.
    ads: bool,
    /// Typical HO end-of-period subscriptions.
    size: f64,
}

const OFFERS: [Offer; 5] = [
    Offer {
        id: "B099DEMO01-1M00000000",
        name: "Demo+ Monthly",
        price: "8.99",
        trial: true,
        ads: false,
        size: 184_000.0,
    },
    Offer {
        id: "B099DEMO02-1M00000000",
        name: "Demo+ Ad-Supported Monthly",
        price: "4.99",
        trial: true,
        ads: true,
        size: 236_000.0,
    },
    Offer {
        id: "B099DEMO03-12M0000000",
        name: "Demo+ Annual",
        price: "89.99",
        trial: false,
        ads: false,
        size: 41_000.0,
    },
    Offer {
        id: "B099DEMO04-1M00000000",
        name: "Demo+ Kids Monthly",
        price: "3.99",
        trial: true,
        ads: false,
        size: 27_500.0,
    },
    Offer {
        id: "B099DEMO05-1M00000000",
        name: "Demo+ Premium 4K Monthly",
        price: "12.99",
        trial: true,
        ads: false,
        size: 15_800.0,
    },
];

/// The offers a seed's channel sells: the first three, and up to two more.
fn offers(seed: u64) -> &'static [Offer] {
    &OFFERS[..3 + (mix(seed ^ 0x0ff3) % 3) as usize]
}

/// A series (with seasons and episodes per season) or a movie.
struct Title {
    name: &'static str,
    /// `(seasons, episodes per season)`; `None` for a movie.
    tv: Option<(u32, u32)>,
    runtime: u32,
    studio: &'static str,
    /// Relative popularity.
    pop: u32,
}

const fn tv(name: &'static str, seasons: u32, episodes: u32, runtime: u32, studio: &'static str, pop: u32) -> Title {
    Title { name, tv: Some((seasons, episodes)), runtime, studio, pop }
}

const fn movie(name: &'static str, runtime: u32, studio: &'static str, pop: u32) -> Title {
    Title { name, tv: None, runtime, studio, pop }
}

const TITLES: [Title; 40] = [
    tv("Harbor Lights", 3, 8, 44, "Northwind Studios Entertainment", 100),
    tv("Love, Death & Dinner", 1, 10, 28, "Saltbox Pictures Distribution", 82),
    tv("Chef \"The Knife\" Moreau", 2, 6, 42, "Saltbox Pictures Distribution", 61),
    tv("The Long Way Home", 2, 8, 52, "Northwind Studios Entertainment", 70),
    tv("Dust, Sweat and Gears", 2, 6, 41, "Ironclad Media Group", 44),
    tv("Small Town, Big Secrets", 3, 10, 43, "Lantern House Productions", 86),
    tv("Tiny Houses, Giant Dreams", 4, 8, 22, "Lantern House Productions", 55),
    tv("Deep Water", 1, 8, 47, "Blue Current Films Worldwide", 40),
    tv("The \"Perfect\" Wedding", 2, 10, 42, "Lantern House Productions", 50),
    tv("Night Shift: ER", 2, 10, 44, "Ironclad Media Group", 66),
    tv("Wild Kitchens", 1, 6, 30, "Saltbox Pictures Distribution", 25),
    tv("Cold Case Files: Revisited", 2, 8, 45, "Northwind Studios Entertainment", 51),
    tv("Planet Backyard", 1, 8, 24, "Blue Current Films Worldwide", 31),
    tv("Lost Highways", 1, 6, 50, "Ironclad Media Group", 20),
    tv("Mysteries of the Museum, Reopened", 1, 10, 44, "Lantern House Productions", 35),
    tv("Señora Detective", 2, 8, 46, "Blue Current Films Worldwide", 29),
    movie("Midnight in the Archive", 112, "Northwind Studios Entertainment", 48),
    movie("The Last Lighthouse", 98, "Blue Current Films Worldwide", 37),
    movie("Paper Crowns", 104, "Saltbox Pictures Distribution", 22),
    movie("Say \"Cheese\"", 91, "Lantern House Productions", 30),
    movie("Ashes, Ashes", 101, "Ironclad Media Group", 27),
    movie("Gone by Morning", 95, "Northwind Studios Entertainment", 33),
    movie("The Quiet Field", 118, "Blue Current Films Worldwide", 18),
    movie("Run, Rabbit, Run", 88, "Saltbox Pictures Distribution", 24),
    movie("Northern Lights", 107, "Northwind Studios Entertainment", 20),
    movie("Ten Thousand Miles", 125, "Ironclad Media Group", 15),
    movie("Static", 93, "Ironclad Media Group", 12),
    movie("The Glass Orchard", 110, "Lantern House Productions", 19),
    movie("A Winter's Tale of Two Dogs", 86, "Blue Current Films Worldwide", 26),
    movie("Bright Young Things", 99, "Saltbox Pictures Distribution", 14),
    movie("Harvest Moon Festival", 92, "Lantern House Productions", 11),
    movie("Operation \"Blue Fox\"", 121, "Ironclad Media Group", 34),
    movie("The Cartographer", 115, "Northwind Studios Entertainment", 16),
    movie("Iron & Silk", 103, "Ironclad Media Group", 13),
    movie("Café, Interrupted", 89, "Saltbox Pictures Distribution", 17),
    movie("Full Tilt", 96, "Ironclad Media Group", 21),
    movie("Echo Park, 1979", 108, "Lantern House Productions", 23),
    movie("The Understudy", 102, "Saltbox Pictures Distribution", 12),
    movie("Sunday Best", 94, "Lantern House Productions", 10),
    movie("Hollow Creek", 97, "Blue Current Films Worldwide", 15),
];

const EPISODE_NAMES: [&str; 24] = [
    "Homecoming",
    "The Storm",
    "Sink, Swim",
    "\"Family\" Dinner",
    "Crossroads",
    "Low Tide",
    "What the River Knows",
    "Open House",
    "The Long Night",
    "Second Chances",
    "Smoke and Mirrors",
    "Fault Lines",
    "The Inheritance",
    "Snowed In",
    "Breaking Point",
    "Old Friends, New Enemies",
    "The Reunion",
    "Ghost Town",
    "Last Call",
    "Paper Trail",
    "The Audition",
    "Heatwave",
    "Full Circle",
    "Finale, Part One",
];

fn episode_name(title: usize, season: u32, episode: u32) -> &'static str {
    if season == 1 && episode == 1 {
        return "Pilot";
    }
    let h = mix((title as u64) << 16 | u64::from(season) << 8 | u64::from(episode));
    EPISODE_NAMES[(h % EPISODE_NAMES.len() as u64) as usize]
}

/// The vendor SKU of a title's season (`139426_001_US`, as in the guide).
fn vendor_sku(title: usize, season: u32) -> String {
    format!("{}_{:03}_US", 139_000 + title * 37, season.max(1))
}

/// Popularity of each episode of a series relative to its first: later
/// seasons and episodes are watched less.
fn episode_weight(season: u32, episode: u32) -> f64 {
    1.0 / ((1.0 + 0.35 * f64::from(season - 1)) * (1.0 + 0.12 * f64::from(episode - 1)))
}

/// A live or linear channel and the events it carried.
struct Channel {
    name: &'static str,
    /// Events (Episode Name) shown; empty for a 24/7 linear channel.
    events: &'static [&'static str],
    pop: f64,
}

const CHANNELS: [Channel; 4] = [
    Channel {
        name: "Demo+ Live Sports",
        events: &[
            "Championship Night: Reyes vs. O'Neil",
            "Season Opener, Live",
            "Friday Night Fights",
            "The \"Derby\" Replay Show",
        ],
        pop: 1.0,
    },
    Channel { name: "Demo+ News 24/7", events: &[], pop: 0.7 },
    Channel { name: "Demo+ Comedy Live", events: &["Open Mic, Uncut", "Late Laughs", "Roast Battle"], pop: 0.45 },
    Channel { name: "Demo+ Classics", events: &[], pop: 0.3 },
];

fn channel_id(seed: u64, channel: usize) -> String {
    let a = mix(seed ^ 0xc4a7 ^ (channel as u64) << 32);
    let b = mix(a);
    format!(
        "amzn1.dv.gti.{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// Per-title trend (growth per month) and a base level, fixed for a seed.
fn title_trend(seed: u64, title: usize) -> (f64, f64) {
    let mut r = R::new(seed, 0x7171_0000 + title as u64);
    (r.between(-0.06, 0.09), r.jitter(0.3))
}

fn months_from(start_year: i32, start_month: u32, months: u32) -> impl Iterator<Item = Month> {
    let start = Month::new(start_year, start_month);
    (0..months).map(move |k| start.plus(i64::from(k)))
}

// ---------------------------------------------------------------------------
// Contractual Subscriptions.

/// One offer's running totals.
struct OfferState {
    ft_eop: i64,
    ho_eop: i64,
    churn: f64,
    conversion: f64,
    /// FT starts per month, as a share of HO subscriptions.
    ft_rate: f64,
    /// Direct-to-paid (and winback) starts per month, as a share of HO subscriptions.
    ho_rate: f64,
}

/// Contractual Subscriptions, monthly: one file per month from
/// `start_year`/`start_month`, with 3 to 5 offers and an FT and an HO row per
/// offer (HO only for the annual plan).
///
/// Consecutive files are consistent: each offer's HO Month End Subscriptions
/// equal the previous month's plus HO starts plus FT conversions minus HO
/// cancels, so Slate's churn (3–8%) and conversion rate (60–90%) come out
/// plausible; the first month has no previous one, so its conversions are unknown.
pub fn subscriptions_monthly(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let mut r = R::new(seed, 1);
    let offers = offers(seed);
    let mut states: Vec<OfferState> = offers
        .iter()
        .map(|o| {
            let ho_eop = round(o.size * r.jitter(0.25));
            // Trials bring most subscribers; the annual plan (no trial) is sold
            // directly and churns less.
            let ft_rate = if o.trial { r.between(0.05, 0.075) } else { 0.0 };
            OfferState {
                ft_eop: round(ho_eop as f64 * ft_rate * 0.3),
                ho_eop,
                churn: if o.trial { r.between(0.042, 0.065) } else { r.between(0.032, 0.04) },
                conversion: r.between(0.68, 0.84),
                ft_rate,
                ho_rate: if o.trial { r.between(0.006, 0.016) } else { r.between(0.03, 0.042) },
            }
        })
        .collect();
    let mut files = Vec::new();
    for month in months_from(start_year, start_month, months) {
        let mut out = String::new();
        header(
            &mut out,
            &[
                "Report Year",
                "Report Start",
                "Report End",
                "Offer ID",
                "Subscription",
                "Billing Amount",
                "Subscription Category",
                "Active Subscriptions",
                "Month End Subscriptions",
                "New Subscriptions",
                "Cancelled Subscriptions",
                "AR-Off Subscriptions",
                "Estimated Charged Customers",
                "Estimated Late Charged Customers",
            ],
        );
        let (first, last) = (month.first(), month.last());
        for (offer, st) in offers.iter().zip(&mut states) {
            let demand = month.season() * r.jitter(0.12);
            let mut conversions = 0;
            let row = |out: &mut String, cat: &str, nums: [i64; 7]| {
                let mut line = Line::new(out);
                line.num(month.year).text(&first).text(&last).text(offer.id).text(offer.name).num(offer.price);
                line.text(cat);
                for n in nums {
                    line.num(n);
                }
                line.end();
            };
            if offer.trial {
                let new = round(st.ho_eop as f64 * st.ft_rate * demand);
                // Seven-day trials: last month's open trials and most of this month's end here.
                let resolved = st.ft_eop + round(new as f64 * r.between(0.7, 0.8));
                let rate = (st.conversion + r.between(-0.05, 0.05)).clamp(0.62, 0.88);
                conversions = round(resolved as f64 * rate);
                let cancels = resolved - conversions;
                let active = st.ft_eop + new;
                st.ft_eop = active - resolved;
                let ar_off = round(st.ft_eop as f64 * r.between(0.22, 0.38));
                row(&mut out, "FT", [active, st.ft_eop, new, cancels, ar_off, 0, 0]);
            }
            let new = round(st.ho_eop as f64 * st.ho_rate * demand);
            let active = st.ho_eop + new + conversions;
            let churn = (st.churn * r.jitter(0.2)).clamp(0.032, 0.078);
            let cancels = round(active as f64 * churn);
            st.ho_eop = active - cancels;
            let ar_off = round(st.ho_eop as f64 * r.between(0.06, 0.1));
            let charged = round(st.ho_eop as f64 * r.between(0.95, 0.985));
            let late = round(st.ho_eop as f64 * r.between(0.008, 0.02));
            row(&mut out, "HO", [active, st.ho_eop, new, cancels, ar_off, charged, late]);
        }
        files.push((format!("demo_subscriptions_monthly_{}.csv", month.tag()), out.into_bytes()));
    }
    files
}

// ---------------------------------------------------------------------------
// Contractual Content Usage.

/// Contractual Content Usage, monthly: one file per month, a row per offer and
/// movie or episode (40 titles, 16 of them series with seasons and episodes).
pub fn content_usage(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let offers = offers(seed);
    let mut r = R::new(seed, 2);
    let mut files = Vec::new();
    for (k, month) in months_from(start_year, start_month, months).enumerate() {
        let mut out = String::new();
        header(
            &mut out,
            &[
                "Report Start",
                "Report End",
                "Offer Id",
                "Subscription",
                "Vendor SKU",
                "Content Type",
                "Series or Movie Title",
                "Season Number",
                "Episode Number",
                "Episode Name",
                "Content Group",
                "Total Number of Streams",
                "Total Customers Streamed",
                "Total Minutes Streamed",
                "Total Ad Minutes Streamed",
            ],
        );
        let (first, last) = (month.first(), month.last());
        for offer in offers {
            let reach = offer.size / 1000.0 * month.season();
            for (t, title) in TITLES.iter().enumerate() {
                let (trend, level) = title_trend(seed, t);
                let pop = f64::from(title.pop) * level * (1.0 + trend * k as f64).max(0.2) * reach;
                let mut row = |out: &mut String, season: Option<(u32, u32)>, weight: f64| {
                    let streams = round(pop * weight * r.jitter(0.25)).max(1);
                    let customers = round(streams as f64 * r.between(0.55, 0.85)).max(1);
                    let minutes = streams as f64 * f64::from(title.runtime) * r.between(0.45, 0.8);
                    let ad_minutes = if offer.ads { minutes * r.between(0.06, 0.09) } else { 0.0 };
                    let mut line = Line::new(out);
                    line.text(&first).text(&last).text(offer.id).text(offer.name);
                    line.text(&vendor_sku(t, season.map_or(1, |s| s.0)));
                    match season {
                        Some((s, e)) => {
                            let group = if s == 1 && e == 1 && t % 5 == 0 { "FREE" } else { "3P_SUBS" };
                            line.text("TV").text(title.name).num(s).num(e).text(episode_name(t, s, e)).text(group);
                        }
                        None => {
                            line.text("Movie").text(title.name).empty().empty().empty().text("3P_SUBS");
                        }
                    }
                    line.num(streams).num(customers).fixed(minutes, 2).fixed(ad_minutes, 2).end();
                };
                match title.tv {
                    Some((seasons, episodes)) => {
                        for s in 1..=seasons {
                            for e in 1..=episodes {
                                row(&mut out, Some((s, e)), episode_weight(s, e) * 0.35);
                            }
                        }
                    }
                    None => row(&mut out, None, 1.0),
                }
            }
        }
        files.push((format!("demo_content_usage_monthly_{}.csv", month.tag()), out.into_bytes()));
    }
    files
}

// ---------------------------------------------------------------------------
// Contractual Live Streaming Usage.

/// Contractual Live Streaming Usage, monthly: one file per month, a row per
/// offer, channel and event (24/7 channels have one row without an event).
pub fn live_usage(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let offers = offers(seed);
    let mut r = R::new(seed, 3);
    let mut files = Vec::new();
    for month in months_from(start_year, start_month, months) {
        let mut out = String::new();
        header(
            &mut out,
            &[
                "Report Start",
                "Report End",
                "Offer ID",
                "Subscription",
                "Live Channel ID",
                "Channel Name",
                "Total Number of Streams",
                "Total Customers Streamed",
                "Total Minutes Streamed",
                "Total Ad Minutes Streamed",
                "Episode Name",
            ],
        );
        let (first, last) = (month.first(), month.last());
        for offer in offers {
            for (c, channel) in CHANNELS.iter().enumerate() {
                let id = channel_id(seed, c);
                let base = offer.size / 40.0 * channel.pop * month.season();
                let events: &[&str] = if channel.events.is_empty() { &[""] } else { channel.events };
                for event in events {
                    let streams = round(base * r.jitter(0.4) / events.len() as f64).max(1);
                    let customers = round(streams as f64 * r.between(0.5, 0.75)).max(1);
                    let minutes = streams as f64 * r.between(35.0, 95.0);
                    let ad_minutes = minutes * if offer.ads { r.between(0.09, 0.13) } else { r.between(0.0, 0.02) };
                    let mut line = Line::new(&mut out);
                    line.text(&first).text(&last).text(offer.id).text(offer.name).text(&id).text(channel.name);
                    line.num(streams).num(customers).fixed(minutes, 3).fixed(ad_minutes, 2).text(event).end();
                }
            }
        }
        files.push((format!("demo_live_usage_monthly_{}.csv", month.tag()), out.into_bytes()));
    }
    files
}

// ---------------------------------------------------------------------------
// Contractual Conversion and Retention.

/// Contractual Conversion and Retention: one file with a cohort per month
/// (Subscription Start Period) from `start_year`/`start_month`, per offer and
/// billing type, as of the last of those months. Retention decays month by
/// month; months a cohort has not reached yet are empty.
pub fn conversion_retention(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let offers = offers(seed);
    let mut r = R::new(seed, 4);
    let mut out = String::new();
    let mut names = vec![
        "Subscription Start Period (SSP)".to_string(),
        "Offer ID".to_string(),
        "Offer Name".to_string(),
        "Billing Type Code".to_string(),
        "Total Starts".to_string(),
        "FT Conversion".to_string(),
    ];
    names.extend((1..=12).map(|m| format!("Month {m} Retention")));
    header(&mut out, &names.iter().map(String::as_str).collect::<Vec<_>>());
    let cohorts: Vec<Month> = months_from(start_year, start_month, months.max(1)).collect();
    let latest = cohorts.len() - 1;
    for (i, ssp) in cohorts.iter().enumerate() {
        for offer in offers {
            for ft in [true, false] {
                if ft && !offer.trial {
                    continue;
                }
                let share = if ft { r.between(0.07, 0.11) } else { r.between(0.01, 0.025) };
                let starts = round(offer.size * share * ssp.season() * r.jitter(0.1)).max(1);
                let mut line = Line::new(&mut out);
                line.text(&ssp.last()).text(offer.id).text(offer.name).text(if ft { "FT" } else { "HO" });
                line.num(starts);
                if ft {
                    line.fixed(r.between(62.0, 88.0), 1);
                } else {
                    line.empty();
                }
                let mut retained = if ft { r.between(52.0, 74.0) } else { r.between(74.0, 88.0) };
                let decay = r.between(0.8, 0.9);
                for m in 1..=12usize {
                    if m <= latest - i {
                        line.fixed(retained, 1);
                    } else {
                        line.empty();
                    }
                    retained *= (decay * r.jitter(0.03)).min(0.97);
                }
                line.end();
            }
        }
    }
    let name = format!("demo_conversion_retention_{}.csv", cohorts[latest].tag());
    vec![(name, out.into_bytes())]
}

// ---------------------------------------------------------------------------
// Premium Engagement Scorecard.

const BANDS: [(&str, f64, f64); 5] = [
    // (Length of Subscription, share of paid subscriptions, monthly cancel rate)
    ("0-1months", 0.12, 0.11),
    ("1-3months", 0.16, 0.07),
    ("3-6months", 0.17, 0.05),
    ("6-12months", 0.2, 0.035),
    ("12+months", 0.35, 0.02),
];

/// Premium Engagement Scorecard, monthly: one file per month, a row per plan
/// and length-of-subscription band.
pub fn engagement_scorecard(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let offers = offers(seed);
    let mut r = R::new(seed, 5);
    let mut files = Vec::new();
    for month in months_from(start_year, start_month, months) {
        let mut out = String::new();
        header(
            &mut out,
            &[
                "Report Start",
                "Report End",
                "Subscription",
                "Length of Subscription",
                "Content Group",
                "Paid Subscriptions",
                "Cancellations",
                "Active Subscriptions",
                "Streamers",
                "Streams",
                "Weekend Streams",
                "Weekday Streams",
                "Average Number of Titles",
                "Average Number of Episodes",
                "Average Number of Movies",
                "VOD Hours Streamed",
                "VOD Ad Hours Streamed",
            ],
        );
        let (first, last) = (month.first(), month.last());
        for offer in offers {
            for (band, share, cancel) in BANDS {
                let paid = round(offer.size * share * r.jitter(0.08));
                let cancellations = round(paid as f64 * cancel * r.jitter(0.2));
                let active = round(paid as f64 * r.between(0.74, 0.88));
                let streamers = round(active as f64 * r.between(0.82, 0.97));
                let streams = round(streamers as f64 * r.between(7.0, 19.0) * month.season());
                let weekend = round(streams as f64 * r.between(0.33, 0.41));
                let hours = streams as f64 * r.between(0.55, 0.85);
                let ad_hours = if offer.ads { hours * r.between(0.06, 0.09) } else { 0.0 };
                let mut line = Line::new(&mut out);
                line.text(&first).text(&last).text(offer.name).text(band).text("3P_SUBS");
                line.num(paid).num(cancellations).num(active).num(streamers).num(streams);
                line.num(weekend).num(streams - weekend);
                line.fixed(r.between(2.5, 8.0), 1).fixed(r.between(4.0, 21.0), 1).fixed(r.between(0.4, 3.2), 1);
                line.fixed(hours, 2).fixed(ad_hours, 2).end();
            }
        }
        files.push((format!("demo_engagement_scorecard_{}.csv", month.tag()), out.into_bytes()));
    }
    files
}

// ---------------------------------------------------------------------------
// Premium First-and-Last VOD Title.

const PLATFORMS: [(&str, f64); 4] =
    [("Living Room Devices", 0.58), ("Mobile Devices", 0.24), ("Web", 0.13), ("Others", 0.05)];

/// Premium First-and-Last VOD Title, monthly: one file per month, a row per
/// plan, title (series per season) and platform; the two percentage columns
/// add up to 1 per plan.
pub fn first_last_title(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let offers = &offers(seed)[..2];
    let mut r = R::new(seed, 6);
    let mut files = Vec::new();
    for (k, month) in months_from(start_year, start_month, months).enumerate() {
        let mut out = String::new();
        header(
            &mut out,
            &[
                "Report Start",
                "Report End",
                "Benefit Name",
                "Stream Type",
                "Content Type",
                "Platform",
                "Vendor SKU",
                "Series or Movie Name",
                "Season Number",
                "FT First Title Streamed",
                "HO First Title Streamed",
                "Conversion First Title Streamed",
                "Last Title Streamed",
                "AR-Off Last Title Streamed",
                "Percentage of Total Conversions",
                "Percentage of Total Cancels",
            ],
        );
        let (first, last) = (month.first(), month.last());
        for offer in offers {
            // (title, season, platform, counts) first, then the shares of the totals.
            let mut rows = Vec::new();
            for (t, title) in TITLES.iter().enumerate() {
                let (trend, level) = title_trend(seed, t);
                let pop = f64::from(title.pop) * level * (1.0 + trend * k as f64).max(0.2) * offer.size / 20_000.0;
                let seasons = title.tv.map_or(0, |(s, _)| s);
                for season in if seasons == 0 { 0..=0 } else { 1..=seasons } {
                    let season_pop = pop / (1.0 + 0.5 * f64::from(season.max(1) - 1));
                    for (p, (platform, share)) in PLATFORMS.iter().enumerate() {
                        let base = season_pop * share;
                        let counts = [
                            round(base * r.between(0.8, 1.6)),
                            round(base * r.between(0.1, 0.3)),
                            round(base * r.between(0.5, 1.1)),
                            round(base * r.between(0.2, 0.5)),
                            round(base * r.between(0.1, 0.3)),
                        ];
                        rows.push((t, season, p, *platform, counts));
                    }
                }
            }
            let total_conv: i64 = rows.iter().map(|row| row.4[2]).sum::<i64>().max(1);
            let total_last: i64 = rows.iter().map(|row| row.4[3]).sum::<i64>().max(1);
            for (t, season, _, platform, counts) in rows {
                let title = &TITLES[t];
                let mut line = Line::new(&mut out);
                line.text(&first).text(&last).text(offer.name).text("VOD");
                line.text(if season == 0 { "Movie" } else { "TV" }).text(platform).text(&vendor_sku(t, season));
                line.text(title.name);
                if season == 0 {
                    line.empty();
                } else {
                    line.num(season);
                }
                for n in counts {
                    line.num(n);
                }
                for share in [counts[2] as f64 / total_conv as f64, counts[3] as f64 / total_last as f64] {
                    // Slate writes shares as `.323`.
                    line.sep();
                    let s = format!("{share:.3}");
                    line.out.push_str(s.strip_prefix('0').unwrap_or(&s));
                }
                line.end();
            }
        }
        files.push((format!("demo_first_last_title_{}.csv", month.tag()), out.into_bytes()));
    }
    files
}

// ---------------------------------------------------------------------------
// Prime Video Direct earnings with CER.

const TERRITORIES: [(&str, &str, f64, f64); 4] = [
    // (territory, currency, share of hours, earnings per hour)
    ("US", "USD", 0.55, 0.11),
    ("GB", "GBP", 0.18, 0.08),
    ("DE", "EUR", 0.17, 0.09),
    ("JP", "JPY", 0.1, 14.0),
];

/// Prime Video Direct earnings: one file with a row per month, territory and
/// title (20 titles), with Hours Streamed, Earnings in the territory's
/// currency, and the Customer Engagement Ranking (CER, a percentile 0–100
/// that follows the title's rank by hours in that territory and month).
pub fn earnings(seed: u64, months: u32, start_year: i32, start_month: u32) -> Vec<(String, Vec<u8>)> {
    let mut r = R::new(seed, 7);
    let titles: Vec<usize> = (0..TITLES.len()).step_by(2).collect();
    let mut out = String::new();
    header(
        &mut out,
        &["Title", "ASIN", "Season", "Territory", "Month", "Hours Streamed", "Earnings", "Currency", "CER"],
    );
    let all: Vec<Month> = months_from(start_year, start_month, months.max(1)).collect();
    for (k, month) in all.iter().enumerate() {
        for (territory, currency, share, rate) in TERRITORIES {
            let hours: Vec<f64> = titles
                .iter()
                .map(|&t| {
                    let (trend, level) = title_trend(seed, t);
                    let pop = f64::from(TITLES[t].pop) * level * (1.0 + trend * k as f64).max(0.2);
                    pop * share * 160.0 * month.season() * r.jitter(0.35)
                })
                .collect();
            for (i, &t) in titles.iter().enumerate() {
                let below = hours.iter().filter(|&&h| h < hours[i]).count();
                let cer = (100.0 * below as f64 / (titles.len() - 1) as f64 + r.between(-4.0, 4.0)).clamp(0.0, 100.0);
                let title = &TITLES[t];
                let mut line = Line::new(&mut out);
                line.text(title.name).text(&format!("B0DEMO{:04}", t * 7 + 1000));
                if title.tv.is_some() {
                    line.text("Season 1");
                } else {
                    line.empty();
                }
                line.text(territory).text(&format!("{}-{:02}-01", month.year, month.month)).fixed(hours[i], 2);
                let amount = hours[i] * rate * r.jitter(0.1);
                line.fixed(amount, if currency == "JPY" { 0 } else { 2 }).text(currency).fixed(cer, 1).end();
            }
        }
    }
    let name = format!("demo_pvd_earnings_{}_to_{}.csv", all[0].tag(), all[all.len() - 1].tag());
    vec![(name, out.into_bytes())]
}

// ---------------------------------------------------------------------------
// Persistent-ID files (streamed).

/// The encrypted customer ID of customer `idx` (`amzn1.account.A…`, 28
/// characters after the prefix, from the base-32 alphabet).
fn customer_id(out: &mut String, seed: u64, idx: u64) {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    out.push_str("amzn1.account.A");
    let base = mix(seed ^ 0xc057 ^ idx.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut h = base;
    for i in 0..27u64 {
        if i % 12 == 0 && i > 0 {
            // 12 characters use 60 of the 64 bits: draw fresh ones.
            h = mix(base ^ i);
        }
        out.push(ALPHABET[(h & 31) as usize] as char);
        h >>= 5;
    }
}

/// Attributes that stay with a customer: plan, market area, usual device, connection.
struct Customer {
    offer: usize,
    dma: &'static str,
    device: usize,
    connection: &'static str,
}

const DMAS: [&str; 16] =
    ["501", "803", "602", "504", "623", "807", "511", "618", "524", "539", "753", "505", "613", "819", "751", "534"];

const DEVICES: [(&str, &str); 12] = [
    ("Living Room Devices", "Fire TV Stick 4K"),
    ("Living Room Devices", "Samsung Smart TV"),
    ("Living Room Devices", "Game Console"),
    ("Living Room Devices", "Roku Streaming Player"),
    ("Living Room Devices", "Apple TV 4K"),
    ("Mobile Devices", "iPhone"),
    ("Mobile Devices", "Android Phone"),
    ("Mobile Devices", "iPad"),
    ("Mobile Devices", "Fire Tablet"),
    ("Web", "Desktop Web Browser"),
    ("Web", "Mobile Web Browser"),
    ("Others", "Unknown Device"),
];

const CONNECTIONS: [&str; 5] = ["unknown", "wifi", "wifi", "ethernet", "cellular"];

fn customer(seed: u64, idx: u64, offer_cum: &[u64]) -> Customer {
    let h = mix(seed ^ 0xa77 ^ idx.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let total = offer_cum.last().copied().unwrap_or(1).max(1);
    let t = h % total;
    Customer {
        offer: offer_cum.partition_point(|&c| c <= t).min(offer_cum.len().saturating_sub(1)),
        dma: DMAS[((h >> 20) % DMAS.len() as u64) as usize],
        device: ((h >> 28) % DEVICES.len() as u64) as usize,
        connection: CONNECTIONS[((h >> 36) % CONNECTIONS.len() as u64) as usize],
    }
}

fn offer_weights(seed: u64) -> Vec<u64> {
    cumulative(offers(seed).iter().map(|o| o.size as u64))
}

/// Hours of the day weighted towards the evening.
const HOUR_WEIGHTS: [u64; 24] = [4, 2, 1, 1, 1, 1, 2, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6, 7, 9, 12, 14, 14, 11, 7];

/// A Persistent-ID file being written chunk by chunk.
///
/// An iterator of chunks of whole rows, about [`CHUNK_BYTES`] each; the first
/// starts with the header row. Concatenated, the chunks are the file.
pub struct PidChunks {
    gen: Gen,
    header_done: bool,
}

enum Gen {
    Viewership(Viewership),
    Subscriptions(Subscriptions),
}

impl Iterator for PidChunks {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        let mut out = String::with_capacity(CHUNK_BYTES + 1024);
        if !self.header_done {
            self.header_done = true;
            match &self.gen {
                Gen::Viewership(_) => header(&mut out, &VIEWERSHIP_HEADER),
                Gen::Subscriptions(_) => header(&mut out, &PID_SUBSCRIPTIONS_HEADER),
            }
        }
        let more = match &mut self.gen {
            Gen::Viewership(g) => g.fill(&mut out),
            Gen::Subscriptions(g) => g.fill(&mut out),
        };
        (more || !out.is_empty()).then(|| out.into_bytes())
    }
}

impl PidChunks {
    /// Writes the whole file into one buffer (tests and small demo files).
    pub fn into_bytes(self) -> Vec<u8> {
        self.flatten().collect()
    }
}

const VIEWERSHIP_HEADER: [&str; 25] = [
    "Report Start",
    "Report End",
    "Marketplace ID",
    "Marketplace Description",
    "Offer ID",
    "Offer Name",
    "Encrypted Customer ID",
    "Stream Start Timestamp",
    "Connection Type",
    "Stream Type",
    "Device Class",
    "Device Subclass",
    "DMA Geography",
    "Playback Method",
    "Seconds Viewed",
    "Ad Seconds Viewed",
    "Content Type",
    "Title Name",
    "Season Number",
    "Episode Number",
    "Studio Name",
    "Runtime Minutes",
    "Live/Linear Channel Name",
    "Vendor SKU",
    "Content Group",
];

struct Viewership {
    seed: u64,
    r: R,
    rows_left: usize,
    customers: u64,
    month: Month,
    offer_cum: Vec<u64>,
    title_cum: Vec<u64>,
    hour_cum: Vec<u64>,
}

/// Persistent-ID Viewership for December 2021 ([`PID_YEAR`], [`PID_MONTH`]):
/// `rows` streams by up to `customers` distinct customers (a few watch a lot,
/// most a little), streamed in chunks. About 280 bytes a row: 1,000,000 rows
/// with 200,000 customers make a 280 MB file, like a large channel's month.
///
/// VOD streams (about 94%) leave Live/Linear Channel Name empty; live ones
/// name the channel and leave title details empty. Titles with commas and
/// quotes are quoted; Seconds Viewed has up to three decimals (`2860.819`).
pub fn pid_viewership(seed: u64, rows: usize, customers: usize) -> PidChunks {
    let g = Viewership {
        seed,
        r: R::new(seed, 8),
        rows_left: rows,
        customers: (customers as u64).max(1),
        month: Month::new(PID_YEAR, PID_MONTH),
        offer_cum: offer_weights(seed),
        title_cum: cumulative(TITLES.iter().map(|t| u64::from(t.pop) * u64::from(t.pop))),
        hour_cum: cumulative(HOUR_WEIGHTS),
    };
    PidChunks { gen: Gen::Viewership(g), header_done: false }
}

impl Viewership {
    /// Writes rows until the chunk is full; `false` when no rows are left.
    fn fill(&mut self, out: &mut String) -> bool {
        if self.rows_left == 0 {
            return false;
        }
        let offers = offers(self.seed);
        let (first, last) = (self.month.first(), self.month.last());
        while self.rows_left > 0 && out.len() < CHUNK_BYTES {
            self.rows_left -= 1;
            let r = &mut self.r;
            // Heavy viewers first: customer k is drawn with density ∝ 1/√k.
            let u = r.unit();
            let idx = ((u * u * self.customers as f64) as u64).min(self.customers - 1);
            let cust = customer(self.seed, idx, &self.offer_cum);
            let offer = &offers[cust.offer];
            let device = if r.chance(0.8) { cust.device } else { r.index(DEVICES.len()) };
            let (class, subclass) = DEVICES[device];
            let mut line = Line::new(out);
            line.text(&first).text(&last).num(1).text("US").text(offer.id).text(offer.name);
            line.sep();
            customer_id(line.out, self.seed, idx);
            let day = r.range(1, self.month.days());
            let hour = r.weighted(&self.hour_cum);
            let minute = r.below(60);
            line.sep();
            let _ = write!(line.out, "{}/{}/{} {}:{:02}", self.month.month, day, self.month.year, hour, minute);
            line.text(cust.connection);
            let live = r.chance(0.06);
            line.text(if live { "Live" } else { "VOD" }).text(class).text(subclass).text(cust.dma);
            line.text(if !live && class == "Mobile Devices" && r.chance(0.15) { "offline" } else { "online" });
            if live {
                let c = r.index(CHANNELS.len());
                let channel = &CHANNELS[c];
                let seconds = r.between(120.0, 7200.0);
                let ads = if offer.ads { 30 * r.below(1 + (seconds / 600.0) as u32) } else { 0 };
                line.dec(seconds, 3).num(ads).empty();
                let event = if channel.events.is_empty() { "" } else { channel.events[r.index(channel.events.len())] };
                line.text(event).empty().empty().text("Demo+ Live").empty().text(channel.name).empty();
                line.text("3P_SUBS").end();
                continue;
            }
            let t = r.weighted(&self.title_cum);
            let title = &TITLES[t];
            let runtime = f64::from(title.runtime) * 60.0;
            let seconds = if r.chance(0.35) { runtime * r.between(0.9, 1.0) } else { runtime * r.between(0.02, 0.9) };
            let ads = if offer.ads { 30 * r.below(2 + (seconds / 480.0) as u32) } else { 0 };
            line.dec(seconds, 3).num(ads);
            let season = match title.tv {
                Some((seasons, episodes)) => {
                    let s = r.range(1, seasons);
                    let e = r.range(1, episodes);
                    line.text("TV").text(title.name).num(s).num(e);
                    s
                }
                None => {
                    line.text("Movie").text(title.name).empty().empty();
                    1
                }
            };
            line.text(title.studio).num(title.runtime).empty().text(&vendor_sku(t, season)).text("3P_SUBS").end();
        }
        true
    }
}

const PID_SUBSCRIPTIONS_HEADER: [&str; 10] = [
    "Report Date",
    "Marketplace",
    "Customer ID",
    "Offer",
    "Billing Type",
    "Payment Amount",
    "Status",
    "Status Start Time",
    "Status End Time",
    "Subscription",
];

struct Subscriptions {
    seed: u64,
    r: R,
    rows_left: usize,
    customers: u64,
    next_story: u64,
    month: Month,
    offer_cum: Vec<u64>,
    hour_cum: Vec<u64>,
}

/// Persistent-ID Subscriptions for December 2021 ([`PID_YEAR`], [`PID_MONTH`]):
/// `rows` status changes of up to `customers` customers, streamed in chunks.
///
/// Each customer's month is a short story: a seven-day free trial that
/// converts (about 75%) or is cancelled, or a direct-to-paid start, some of
/// which cancel later in the month. A status that ended has its end time.
pub fn pid_subscriptions(seed: u64, rows: usize, customers: usize) -> PidChunks {
    let g = Subscriptions {
        seed,
        r: R::new(seed, 9),
        rows_left: rows,
        customers: (customers as u64).max(1),
        next_story: 0,
        month: Month::new(PID_YEAR, PID_MONTH),
        offer_cum: offer_weights(seed),
        hour_cum: cumulative(HOUR_WEIGHTS),
    };
    PidChunks { gen: Gen::Subscriptions(g), header_done: false }
}

/// One status of one customer: (day, hour, minute) it started, and whether it is a trial.
struct Status {
    day: u32,
    time: (u32, u32),
    trial: bool,
    active: bool,
}

impl Subscriptions {
    fn fill(&mut self, out: &mut String) -> bool {
        if self.rows_left == 0 {
            return false;
        }
        let offers = offers(self.seed);
        let days = self.month.days();
        let mut story: Vec<Status> = Vec::with_capacity(4);
        while self.rows_left > 0 && out.len() < CHUNK_BYTES {
            let idx = self.next_story % self.customers;
            self.next_story += 1;
            let r = &mut self.r;
            let cust = customer(self.seed, idx, &self.offer_cum);
            let offer = &offers[cust.offer];
            let start = r.range(1, days);
            let time = (r.weighted(&self.hour_cum) as u32, r.below(60));
            story.clear();
            if offer.trial && r.chance(0.65) {
                story.push(Status { day: start, time, trial: true, active: true });
                if start + 7 <= days {
                    let converts = r.chance(0.75);
                    story.push(Status { day: start + 7, time, trial: !converts, active: converts });
                }
            } else {
                story.push(Status { day: start, time, trial: false, active: true });
            }
            if let Some(st) = story.last() {
                if st.active && !st.trial && st.day < days && r.chance(0.06) {
                    let day = r.range(st.day + 1, days);
                    let time = (r.weighted(&self.hour_cum) as u32, r.below(60));
                    story.push(Status { day, time, trial: false, active: false });
                }
            }
            let month = self.month;
            let stamp = |out: &mut String, st: &Status| {
                let _ = write!(out, "{}/{}/{} {}:{:02}", month.month, st.day, month.year, st.time.0, st.time.1);
            };
            for (i, st) in story.iter().enumerate() {
                if self.rows_left == 0 {
                    break;
                }
                self.rows_left -= 1;
                let mut line = Line::new(out);
                line.text(&month.date(st.day)).text("US");
                line.sep();
                customer_id(line.out, self.seed, idx);
                line.text(offer.id).text(if st.trial { "FT" } else { "HO" }).num(offer.price);
                line.text(if st.active { "Active" } else { "Cancelled" });
                line.sep();
                stamp(line.out, st);
                line.sep();
                if let Some(next) = story.get(i + 1) {
                    stamp(line.out, next);
                }
                line.text(offer.name).end();
            }
        }
        true
    }
}

// ---------------------------------------------------------------------------
// The demo set.

/// Every kind at once, small enough for the web page's demo button (about
/// 2 MB): twelve monthly subscription files for 2021, the other aggregated
/// kinds for the last months of 2021, and small Persistent-ID files for
/// December 2021.
pub fn sample_set(seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut files = subscriptions_monthly(seed, 12, 2021, 1);
    files.extend(content_usage(seed, 1, 2021, 12));
    files.extend(live_usage(seed, 1, 2021, 12));
    files.extend(conversion_retention(seed, 12, 2021, 1));
    files.extend(engagement_scorecard(seed, 1, 2021, 12));
    files.extend(first_last_title(seed, 1, 2021, 12));
    files.extend(earnings(seed, 6, 2021, 7));
    files.push((
        "demo_persistent_id_viewership_2021-12.csv".to_string(),
        pid_viewership(seed, 5_000, 1_500).into_bytes(),
    ));
    files.push((
        "demo_persistent_id_subscriptions_2021-12.csv".to_string(),
        pid_subscriptions(seed, 3_000, 1_500).into_bytes(),
    ));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ingest_bytes, Ingest, Kind};

    /// Ingests a file and checks it is recognised as `kind` with every row used.
    fn check(kind: Kind, files: &[(String, Vec<u8>)]) {
        assert!(!files.is_empty());
        for (name, bytes) in files {
            assert!(name.starts_with("demo_") && name.ends_with(".csv"), "{name}");
            let file = ingest_bytes(name, bytes);
            let r = &file.report;
            let problems: Vec<String> = r.problems.iter().take(5).map(|p| p.display(name).to_string()).collect();
            assert_eq!(r.kind, Some(kind), "{name}: {:?}", r.error);
            assert!(r.rows > 0, "{name}: no rows");
            assert_eq!((r.rejected, r.used), (0, r.rows), "{name}: {problems:?}");
            assert!(r.error.is_none(), "{name}: {:?}", r.error);
        }
    }

    #[test]
    fn subscriptions_ingest_cleanly() {
        check(Kind::Subscriptions, &subscriptions_monthly(1, 14, 2021, 11));
    }

    #[test]
    fn subscription_metrics_look_like_a_real_channel() {
        let files: Vec<_> =
            subscriptions_monthly(DEFAULT_SEED, 12, 2021, 1).iter().map(|(n, b)| ingest_bytes(n, b)).collect();
        let analysis = crate::analyze(&files);
        assert_eq!(analysis.subscriptions.len(), 12);
        for p in &analysis.subscriptions[1..] {
            let churn = p.metrics.churn_rate.expect("churn");
            let conv = p.metrics.conversion_rate.expect("conversion rate");
            assert!(churn >= rust_decimal::Decimal::new(3, 2) && churn <= rust_decimal::Decimal::new(8, 2), "{churn}");
            assert!(conv >= rust_decimal::Decimal::new(6, 1) && conv <= rust_decimal::Decimal::new(9, 1), "{conv}");
            assert!(p.metrics.eop_conversions.expect("conversions") > 0);
            assert!(p.metrics.est_revenue_run_rate.is_some());
        }
    }

    #[test]
    fn offers_vary_by_seed_between_three_and_five() {
        let counts: std::collections::BTreeSet<usize> = (0..40).map(|s| offers(s).len()).collect();
        assert_eq!(counts.into_iter().collect::<Vec<_>>(), [3, 4, 5]);
    }

    #[test]
    fn aggregated_kinds_ingest_cleanly() {
        for seed in [0, 7, DEFAULT_SEED] {
            check(Kind::ContentUsage, &content_usage(seed, 2, 2021, 12));
            check(Kind::LiveUsage, &live_usage(seed, 2, 2021, 12));
            check(Kind::ConversionRetention, &conversion_retention(seed, 13, 2021, 1));
            check(Kind::EngagementScorecard, &engagement_scorecard(seed, 2, 2021, 12));
            check(Kind::FirstLastTitle, &first_last_title(seed, 2, 2021, 12));
            check(Kind::Earnings, &earnings(seed, 3, 2021, 11));
        }
    }

    #[test]
    fn content_usage_has_forty_titles_and_quoted_cells() {
        let (_, bytes) = &content_usage(3, 1, 2022, 2)[0];
        let text = std::str::from_utf8(bytes).expect("utf-8");
        assert!(text.contains("\"Love, Death & Dinner\""));
        assert!(text.contains("\"Chef \"\"The Knife\"\" Moreau\""));
        let file = ingest_bytes("c.csv", bytes);
        let Some(crate::KindData::ContentUsage(rows)) = file.data else { panic!("content usage") };
        let titles: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles.len(), 40);
        assert!(titles.contains("Chef \"The Knife\" Moreau"));
        assert!(rows.iter().any(|r| r.season == Some(3) && r.episode == Some(8)));
    }

    #[test]
    fn retention_decays_and_young_cohorts_are_open() {
        let (_, bytes) = &conversion_retention(5, 12, 2021, 1)[0];
        let file = ingest_bytes("r.csv", bytes);
        let Some(crate::KindData::ConversionRetention(rows)) = file.data else { panic!("retention") };
        for row in &rows {
            let known: Vec<_> = row.retention.iter().map_while(|r| *r).collect();
            assert!(known.windows(2).all(|w| w[1] < w[0]), "line {}", row.line);
        }
        assert!(rows.iter().any(|r| r.retention[10].is_some() && r.retention[11].is_none()));
        assert!(rows.iter().any(|r| r.retention[0].is_none()));
    }

    #[test]
    fn persistent_id_files_ingest_cleanly_in_chunks() {
        for (kind, chunks) in [
            (Kind::PidViewership, pid_viewership(11, 3_000, 500)),
            (Kind::PidSubscriptions, pid_subscriptions(11, 3_000, 500)),
        ] {
            let mut ing = Ingest::new("demo_pid.csv");
            let mut n = 0;
            for chunk in chunks {
                assert!(chunk.ends_with(b"\n"));
                n += 1;
                ing.push(&chunk);
            }
            assert!(n > 1, "streamed in more than one chunk");
            let file = ing.finish();
            assert_eq!(file.report.kind, Some(kind));
            assert_eq!((file.report.rows, file.report.used, file.report.rejected), (3_000, 3_000, 0));
            assert!(!file.report.notes.iter().any(|n| n.contains("decimal")), "{:?}", file.report.notes);
        }
    }

    #[test]
    fn viewership_looks_like_the_guide() {
        let bytes = pid_viewership(DEFAULT_SEED, 20_000, 4_000).into_bytes();
        let per_row = bytes.len() / 20_000;
        assert!((265..=295).contains(&per_row), "{per_row} bytes a row");
        let file = ingest_bytes("v.csv", &bytes);
        let Some(crate::KindData::PidViewership(agg)) = file.data else { panic!("viewership") };
        assert_eq!(agg.streams, 20_000);
        assert!(agg.customers > 2_500 && agg.customers <= 4_000, "{}", agg.customers);
        assert!(agg.has_title("Say \"Cheese\""));
        assert!((1..=3).contains(&agg.total().seconds_viewed.scale()));
        // The raw rows: guide-shaped customer IDs, and some live streams (with a channel, no title).
        let text = String::from_utf8(bytes).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert!(rows.iter().all(|r| r.contains(",amzn1.account.A")));
        let live = rows.iter().filter(|r| r.contains(",Live,")).count();
        assert!(live > 0 && live < 2_000, "{live} live rows");
    }

    #[test]
    fn generators_are_deterministic_and_seeded() {
        assert_eq!(sample_set(1), sample_set(1));
        assert_ne!(subscriptions_monthly(1, 2, 2021, 1), subscriptions_monthly(2, 2, 2021, 1));
        let a: Vec<u8> = pid_viewership(3, 1_000, 100).into_bytes();
        assert_eq!(a, pid_viewership(3, 1_000, 100).into_bytes());
    }

    #[test]
    fn sample_set_has_every_kind() {
        let files = sample_set(DEFAULT_SEED);
        let kinds: std::collections::BTreeSet<Kind> =
            files.iter().filter_map(|(n, b)| ingest_bytes(n, b).report.kind).collect();
        assert_eq!(kinds.len(), Kind::ALL.len());
        let total: usize = files.iter().map(|(_, b)| b.len()).sum();
        assert!(total < 2_500_000, "{total} bytes");
        check(Kind::PidViewership, &files[files.len() - 2..files.len() - 1]);
        check(Kind::PidSubscriptions, &files[files.len() - 1..]);
    }

    #[test]
    fn odd_arguments_still_make_readable_files() {
        assert!(subscriptions_monthly(1, 0, 2021, 1).is_empty());
        let files = subscriptions_monthly(1, 3, 2021, 0);
        assert_eq!(files[0].0, "demo_subscriptions_monthly_2021-01.csv");
        assert_eq!(subscriptions_monthly(1, 1, 2021, 14)[0].0, "demo_subscriptions_monthly_2022-02.csv");
        check(Kind::Subscriptions, &subscriptions_monthly(1, 3, 2024, 1));
        assert_eq!(pid_viewership(1, 0, 0).into_bytes().iter().filter(|&&b| b == b'\n').count(), 1);
        check(Kind::PidViewership, &[("demo_one.csv".to_string(), pid_viewership(1, 1, 0).into_bytes())]);
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(Month::new(2024, 2).days(), 29);
        assert_eq!(Month::new(2100, 2).days(), 28);
        assert_eq!(Month::new(2021, 12).plus(1), Month { year: 2022, month: 1 });
        assert_eq!(Month::new(2021, 1).plus(-1).last(), "12/31/2020");
    }
}
