//! The report kinds slatelens reads and the columns each one has.
//!
//! A [`Schema`] lists a kind's fields in a fixed order; each kind module reads
//! its row through these field indices. Header cells are matched to fields by
//! [`normalize`]d name against the field's name and aliases, so `Offer Id`,
//! `OFFER_ID` and `offer id` all find the field `Offer ID`. Recognition needs
//! every *key* field; other fields are read when present.

use serde::{Deserialize, Serialize};

/// A report kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Contractual Subscriptions, weekly or monthly.
    Subscriptions,
    /// Contractual Content Usage and Premium Device-Level Viewership (same columns).
    ContentUsage,
    /// Contractual Live Streaming Usage.
    LiveUsage,
    /// Contractual Conversion and Retention.
    ConversionRetention,
    /// Premium Engagement Scorecard.
    EngagementScorecard,
    /// Premium First-and-Last VOD Title.
    FirstLastTitle,
    /// Persistent-ID (and Daily Anonymized) Subscriptions: one row per status change.
    PidSubscriptions,
    /// Persistent-ID Viewership and Daily Anonymized viewership: one row per stream.
    PidViewership,
    /// Prime Video Direct earnings with a Customer Engagement Ranking (CER) per title.
    Earnings,
}

impl Kind {
    /// Every kind, in the order views are offered.
    pub const ALL: [Kind; 9] = [
        Kind::Subscriptions,
        Kind::ContentUsage,
        Kind::LiveUsage,
        Kind::ConversionRetention,
        Kind::EngagementScorecard,
        Kind::FirstLastTitle,
        Kind::PidSubscriptions,
        Kind::PidViewership,
        Kind::Earnings,
    ];

    /// The name a person knows the report by.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Subscriptions => "Contractual Subscriptions",
            Kind::ContentUsage => "Contractual Content Usage",
            Kind::LiveUsage => "Contractual Live Streaming Usage",
            Kind::ConversionRetention => "Contractual Conversion and Retention",
            Kind::EngagementScorecard => "Premium Engagement Scorecard",
            Kind::FirstLastTitle => "Premium First-and-Last VOD Title",
            Kind::PidSubscriptions => "Persistent-ID Subscriptions",
            Kind::PidViewership => "Persistent-ID Viewership",
            Kind::Earnings => "Prime Video Direct Earnings (CER)",
        }
    }

    /// The columns of this kind.
    pub fn schema(self) -> &'static Schema {
        match self {
            Kind::Subscriptions => &SUBSCRIPTIONS,
            Kind::ContentUsage => &CONTENT_USAGE,
            Kind::LiveUsage => &LIVE_USAGE,
            Kind::ConversionRetention => &CONVERSION_RETENTION,
            Kind::EngagementScorecard => &ENGAGEMENT_SCORECARD,
            Kind::FirstLastTitle => &FIRST_LAST_TITLE,
            Kind::PidSubscriptions => &PID_SUBSCRIPTIONS,
            Kind::PidViewership => &PID_VIEWERSHIP,
            Kind::Earnings => &EARNINGS,
        }
    }
}

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text (names, IDs, categories).
    Text,
    /// A whole number.
    Count,
    /// A decimal number (money, minutes, hours).
    Decimal,
    /// A percentage written as points (`75.9` or `75.9%`), read as a fraction.
    Percent,
    /// A share written as a fraction (`.323`) or with a percent sign (`32.3%`).
    Fraction,
    /// A calendar date.
    Date,
    /// A date with a time of day.
    DateTime,
}

impl FieldType {
    /// Dimensions identify a row; measures are summed.
    pub fn is_dimension(self) -> bool {
        matches!(self, FieldType::Text | FieldType::Date | FieldType::DateTime)
    }
}

/// One column of a report kind.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Field {
    /// The column's name as the report guide spells it.
    pub name: &'static str,
    /// Other spellings seen in the wild (matched after [`normalize`]).
    pub aliases: &'static [&'static str],
    /// How cells are read.
    pub ty: FieldType,
    /// Whether the header must have this column for the kind to be recognised.
    pub key: bool,
}

/// The columns of one report kind, in the order its module indexes them.
#[derive(Debug, Serialize)]
pub struct Schema {
    /// The kind these columns belong to.
    pub kind: Kind,
    /// The columns.
    pub fields: &'static [Field],
}

impl Schema {
    /// The index of the field called `name` (its guide spelling).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// Lowercases and keeps letters and digits only, so that spacing, case and
/// punctuation drift do not matter: `AR-Off Subscriptions` and
/// `ar off subscriptions` are the same column. `#` reads as "number".
pub fn normalize(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars() {
        if c == '#' {
            out.push_str("number");
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

const fn f(name: &'static str, aliases: &'static [&'static str], ty: FieldType, key: bool) -> Field {
    Field { name, aliases, ty, key }
}

use FieldType::*;

const START: Field = f("Report Start", &["Start Date", "Report Start Date", "Period Start"], Date, true);
const END: Field = f("Report End", &["End Date", "Report End Date", "Period End"], Date, true);
const OFFER_ID: Field = f("Offer ID", &["Offer"], Text, true);
const OFFER_ID_OPT: Field = f("Offer ID", &["Offer"], Text, false);
const SUBSCRIPTION: Field =
    f("Subscription", &["Offer Name", "Benefit Name", "Subscription Name", "Plan Name"], Text, false);
const TITLE_ALIASES: &[&str] = &["Series or Movie Name", "Title Name", "Title", "Series or Movie"];
const STREAMS: Field = f("Total Number of Streams", &["Streams", "Number of Streams", "Total Streams"], Count, true);
const CUSTOMERS: Field = f("Total Customers Streamed", &["Customers Streamed", "Unique Customers"], Count, false);
const MINUTES: Field = f("Total Minutes Streamed", &["Minutes Streamed"], Decimal, true);
const AD_MINUTES: Field = f("Total Ad Minutes Streamed", &["Ad Minutes Streamed"], Decimal, false);

/// Contractual Subscriptions (weekly and monthly).
pub static SUBSCRIPTIONS: Schema = Schema {
    kind: Kind::Subscriptions,
    fields: &[
        f("Report Year", &["Year"], Count, false),
        START,
        END,
        OFFER_ID,
        SUBSCRIPTION,
        f("Billing Amount", &["Payment Amount", "Price"], Decimal, false),
        f("Subscription Category", &["Category", "Billing Type", "Billing Type Code"], Text, true),
        f("Active Subscriptions", &[], Count, false),
        f(
            "Month End Subscriptions",
            &["Week End Subscriptions", "Period End Subscriptions", "End of Period Subscriptions", "EOP Subscriptions"],
            Count,
            true,
        ),
        f("New Subscriptions", &["New Subs"], Count, true),
        f("Cancelled Subscriptions", &["Canceled Subscriptions", "Cancelled Subs", "Cancellations"], Count, true),
        f("AR-Off Subscriptions", &["Auto Renew Off Subscriptions"], Count, false),
        f("Estimated Charged Customers", &[], Count, false),
        f("Estimated Late Charged Customers", &[], Count, false),
    ],
};

/// Contractual Content Usage and Premium Device-Level Viewership.
pub static CONTENT_USAGE: Schema = Schema {
    kind: Kind::ContentUsage,
    fields: &[
        START,
        END,
        OFFER_ID,
        SUBSCRIPTION,
        f("Vendor SKU", &["SKU"], Text, false),
        f("Content Type", &[], Text, true),
        f("Series or Movie Title", TITLE_ALIASES, Text, true),
        f("Season Number", &["Season"], Count, false),
        f("Episode Number", &["Episode"], Count, false),
        f("Episode Name", &["Episode Title"], Text, false),
        f("Content Group", &[], Text, false),
        STREAMS,
        CUSTOMERS,
        MINUTES,
        AD_MINUTES,
    ],
};

/// Contractual Live Streaming Usage.
pub static LIVE_USAGE: Schema = Schema {
    kind: Kind::LiveUsage,
    fields: &[
        START,
        END,
        OFFER_ID,
        SUBSCRIPTION,
        f("Live Channel ID", &["Channel ID"], Text, true),
        f("Channel Name", &["Live Channel Name", "Live/Linear Channel Name"], Text, false),
        STREAMS,
        CUSTOMERS,
        MINUTES,
        AD_MINUTES,
        f("Episode Name", &[], Text, false),
    ],
};

/// Contractual Conversion and Retention.
pub static CONVERSION_RETENTION: Schema = Schema {
    kind: Kind::ConversionRetention,
    fields: &[
        f("Subscription Start Period", &["Subscription Start Period (SSP)", "SSP", "Start Period"], Date, true),
        OFFER_ID,
        f("Offer Name", &["Subscription", "Benefit Name"], Text, false),
        f("Billing Type Code", &["Billing Type", "Subscription Category"], Text, true),
        f("Total Starts", &["Starts"], Count, true),
        f("FT Conversion", &["Free Trial Conversion", "FT Conversion Rate"], Percent, false),
        f("Month 1 Retention", &["M1 Retention"], Percent, true),
        f("Month 2 Retention", &["M2 Retention"], Percent, false),
        f("Month 3 Retention", &["M3 Retention"], Percent, false),
        f("Month 4 Retention", &["M4 Retention"], Percent, false),
        f("Month 5 Retention", &["M5 Retention"], Percent, false),
        f("Month 6 Retention", &["M6 Retention"], Percent, false),
        f("Month 7 Retention", &["M7 Retention"], Percent, false),
        f("Month 8 Retention", &["M8 Retention"], Percent, false),
        f("Month 9 Retention", &["M9 Retention"], Percent, false),
        f("Month 10 Retention", &["M10 Retention"], Percent, false),
        f("Month 11 Retention", &["M11 Retention"], Percent, false),
        f("Month 12 Retention", &["M12 Retention"], Percent, false),
    ],
};

/// Premium Engagement Scorecard.
pub static ENGAGEMENT_SCORECARD: Schema = Schema {
    kind: Kind::EngagementScorecard,
    fields: &[
        START,
        END,
        SUBSCRIPTION,
        f("Length of Subscription", &["Subscription Length", "Tenure"], Text, true),
        f("Content Group", &[], Text, false),
        f("Paid Subscriptions", &[], Count, true),
        f("Cancellations", &["Cancelled Subscriptions"], Count, false),
        f("Active Subscriptions", &[], Count, false),
        f("Streamers", &[], Count, false),
        f("Streams", &[], Count, false),
        f("Weekend Streams", &[], Count, false),
        f("Weekday Streams", &[], Count, false),
        f("Average Number of Titles", &["Avg Number of Titles", "Average Titles"], Decimal, false),
        f("Average Number of Episodes", &["Avg Number of Episodes", "Average Episodes"], Decimal, false),
        f("Average Number of Movies", &["Avg Number of Movies", "Average Movies"], Decimal, false),
        f("VOD Hours Streamed", &[], Decimal, false),
        f("VOD Ad Hours Streamed", &["Ad Hours Streamed"], Decimal, false),
    ],
};

/// Premium First-and-Last VOD Title.
pub static FIRST_LAST_TITLE: Schema = Schema {
    kind: Kind::FirstLastTitle,
    fields: &[
        START,
        END,
        f("Benefit Name", &["Subscription", "Offer Name"], Text, false),
        f("Stream Type", &[], Text, false),
        f("Content Type", &[], Text, false),
        f("Platform", &["Device Class"], Text, false),
        f("Vendor SKU", &["SKU"], Text, false),
        f("Series or Movie Name", &["Series or Movie Title", "Title Name", "Title"], Text, true),
        f("Season Number", &["Season"], Count, false),
        f("FT First Title Streamed", &["Free Trial First Title Streamed"], Count, true),
        f("HO First Title Streamed", &["Hard Offer First Title Streamed"], Count, false),
        f("Conversion First Title Streamed", &[], Count, false),
        f("Last Title Streamed", &[], Count, true),
        f("AR-Off Last Title Streamed", &[], Count, false),
        f("Percentage of Total Conversions", &["% of Total Conversions"], Fraction, false),
        f("Percentage of Total Cancels", &["% of Total Cancels", "Percentage of Total Cancellations"], Fraction, false),
    ],
};

/// Persistent-ID Subscriptions (and the Daily Anonymized subscriptions file).
pub static PID_SUBSCRIPTIONS: Schema = Schema {
    kind: Kind::PidSubscriptions,
    fields: &[
        f("Report Date", &["Date"], Date, true),
        f("Marketplace", &["Marketplace Description", "Marketplace ID"], Text, false),
        f("Customer ID", &["Encrypted Customer ID", "Persistent Customer ID"], Text, true),
        f("Offer", &["Offer ID"], Text, true),
        f("Billing Type", &["Subscription Category", "Billing Type Code"], Text, true),
        f("Payment Amount", &["Billing Amount"], Decimal, false),
        f("Status", &["Subscription Status"], Text, true),
        f("Status Start Time", &["Status Start"], DateTime, false),
        f("Status End Time", &["Status End"], DateTime, false),
        f("Subscription", &["Offer Name", "Benefit Name"], Text, false),
    ],
};

/// Persistent-ID Viewership and the Daily Anonymized viewership file.
pub static PID_VIEWERSHIP: Schema = Schema {
    kind: Kind::PidViewership,
    fields: &[
        f("Report Start", &["Start Date", "Report Start Date"], Date, false),
        f("Report End", &["End Date", "Report End Date"], Date, false),
        f("Marketplace ID", &[], Text, false),
        f("Marketplace Description", &["Marketplace"], Text, false),
        OFFER_ID_OPT,
        f("Offer Name", &["Subscription", "Benefit Name"], Text, false),
        f("Encrypted Customer ID", &["Customer ID", "Persistent Customer ID"], Text, true),
        f("Stream Start Timestamp", &["Stream Start Time", "Stream Start"], DateTime, true),
        f("Connection Type", &[], Text, false),
        f("Stream Type", &[], Text, false),
        f("Device Class", &[], Text, false),
        f("Device Subclass", &[], Text, false),
        f("DMA Geography", &["DMA"], Text, false),
        f("Playback Method", &[], Text, false),
        f("Seconds Viewed", &[], Decimal, true),
        f("Ad Seconds Viewed", &[], Decimal, false),
        f("Content Type", &[], Text, false),
        f("Title Name", &["Series or Movie Title", "Series or Movie Name", "Title"], Text, false),
        f("Season Number", &["Season"], Text, false),
        f("Episode Number", &["Episode"], Text, false),
        f("Studio Name", &["Studio"], Text, false),
        f("Runtime Minutes", &["Runtime"], Decimal, false),
        f("Live/Linear Channel Name", &["Channel Name", "Live Channel Name"], Text, false),
        f("Vendor SKU", &["SKU"], Text, false),
        f("Content Group", &[], Text, false),
    ],
};

/// Prime Video Direct Earnings: recognised by its CER column.
pub static EARNINGS: Schema = Schema {
    kind: Kind::Earnings,
    fields: &[
        f(
            "CER",
            &["Customer Engagement Ranking", "Customer Engagement Rank", "CER Percentile", "CER Rank"],
            Decimal,
            true,
        ),
        f("Title", &["Title Name", "Series or Movie Name", "Series or Movie Title", "Series Name"], Text, true),
        f("Season", &["Season Number", "Season Name"], Text, false),
        f("Territory", &["Marketplace", "Country", "Region", "Store"], Text, false),
        f(
            "Month",
            &["Period", "Earnings Month", "Report Month", "Royalty Period", "Period Start", "Date"],
            Date,
            false,
        ),
        f("Hours Streamed", &["Hours Viewed", "Streaming Hours"], Decimal, false),
        f("Minutes Streamed", &["Minutes Viewed", "Streaming Minutes"], Decimal, false),
        f(
            "Earnings",
            &[
                "Royalty",
                "Royalties",
                "Royalty Amount",
                "Earnings Amount",
                "Amount",
                // The currency in the header: the earnings kind reads it from there.
                "Royalty (USD)",
                "Royalty (EUR)",
                "Royalty (GBP)",
                "Earnings (USD)",
                "Earnings (EUR)",
                "Earnings (GBP)",
            ],
            Decimal,
            false,
        ),
        f("Currency", &[], Text, false),
        f("ASIN", &["Title ID", "ID"], Text, false),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_case_space_and_punctuation() {
        assert_eq!(normalize("Offer Id"), normalize("OFFER_ID"));
        assert_eq!(normalize("AR-Off Subscriptions"), normalize("ar off subscriptions"));
        assert_eq!(normalize("Total # of Streams"), "totalnumberofstreams");
    }

    #[test]
    fn no_schema_lists_one_spelling_twice() {
        for kind in Kind::ALL {
            let mut seen = std::collections::HashSet::new();
            for field in kind.schema().fields {
                for name in std::iter::once(&field.name).chain(field.aliases) {
                    assert!(seen.insert(normalize(name)), "{kind:?}: {name} listed twice");
                }
            }
            assert_eq!(kind.schema().kind, kind);
        }
    }
}
