//! Parsers for flag values, so a bad value is a usage error (exit status 2) that names the flag
//! and what it takes, before anything is read or sent.

use cosell_core::partner::types::Millis;

/// A length of time given as `90m`, `48h` or `3d` (a bare number is hours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// As the user wrote it, for headlines.
    pub text: String,
    pub millis: Millis,
}

/// Ten years: longer spans are surely typos, and would overflow the arithmetic on instants.
const LONGEST_SPAN: Millis = 3_650 * 86_400_000;

pub fn span(text: &str) -> Result<Span, String> {
    let wrong = || format!("'{text}' is not a length of time such as 90m, 48h or 3d");
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number.parse().map_err(|_| wrong())?;
    let unit_millis = match unit {
        "m" => 60_000,
        "h" | "" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(wrong()),
    };
    match n.checked_mul(unit_millis) {
        Some(millis) if millis <= LONGEST_SPAN => Ok(Span {
            text: text.to_string(),
            millis,
        }),
        _ => Err(format!("'{text}' is longer than ten years")),
    }
}

/// A regular expression matched case-insensitively.
pub fn pattern(text: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(text)
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("'{text}' is not a valid regular expression: {e}"))
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<String, String> {
    if cosell_core::partner::rules::valid_date(text) {
        Ok(text.to_string())
    } else {
        Err(format!("'{text}' is not a date as YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_take_minutes_hours_days_and_refuse_the_absurd() {
        assert_eq!(span("90m").unwrap().millis, 90 * 60_000);
        assert_eq!(span("48h").unwrap().millis, 48 * 3_600_000);
        assert_eq!(span("48").unwrap().millis, 48 * 3_600_000);
        assert_eq!(span("3d").unwrap().millis, 3 * 86_400_000);
        for bad in [
            "",
            "h",
            "3w",
            "-3d",
            "1.5h",
            "99999999999999999999d",
            "5000000d",
        ] {
            assert!(span(bad).is_err(), "{bad} was taken");
        }
    }

    #[test]
    fn dates_and_patterns() {
        assert_eq!(date("2027-02-28").unwrap(), "2027-02-28");
        assert!(date("2027-02-30").is_err());
        assert!(date("28/02/2027").is_err());
        assert!(
            pattern("ai|ML")
                .unwrap()
                .is_match("Machine learning and AI")
        );
        assert!(pattern("(").is_err());
    }
}
