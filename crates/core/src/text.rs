//! Counts written for people, shared by core's notes and the page:
//! digits grouped by threes (`1,288,546`) and counted nouns (`1 row`,
//! `59,954 streams`).

/// Digits grouped by threes with commas: `1288546` → `1,288,546`, `-42868` → `-42,868`.
pub fn grouped(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_digits(&n.unsigned_abs().to_string()))
}

/// Groups a string of ASCII digits by threes.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` grouped, then `one` or `many`: `1 row`, `1,327 rows`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    let noun = if n == 1 { one } else { many };
    format!("{} {noun}", grouped(i64::try_from(n).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_counts() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1_288_546, "1,288,546"),
            (-42_868, "-42,868"),
            (i64::MIN, "-9,223,372,036,854,775,808"),
        ] {
            assert_eq!(grouped(n), want, "{n}");
        }
    }

    #[test]
    fn counted_nouns() {
        assert_eq!(counted(1, "row", "rows"), "1 row");
        assert_eq!(counted(0, "row", "rows"), "0 rows");
        assert_eq!(counted(59_954, "stream", "streams"), "59,954 streams");
    }
}
