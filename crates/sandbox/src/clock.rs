//! Instants in the sandbox are milliseconds since the Unix epoch: cheap to compare and index,
//! and exactly the precision the service writes (RFC 3339 with milliseconds).

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

pub type Millis = i64;

pub fn now_millis() -> Millis {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as Millis
}

/// Parses what the SDKs and the CLI send: `…Z`, `….123Z`, `….123000Z`, `…+00:00`.
pub fn parse_instant(text: &str) -> Option<Millis> {
    let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    Some((parsed.unix_timestamp_nanos() / 1_000_000) as Millis)
}

/// An instant from a JSON value: an RFC 3339 string or epoch seconds (the JSON protocol's default).
pub fn instant_of(value: &serde_json::Value) -> Option<Millis> {
    match value {
        serde_json::Value::String(s) => parse_instant(s),
        serde_json::Value::Number(n) => n.as_f64().map(|secs| (secs * 1000.0).round() as Millis),
        _ => None,
    }
}

pub fn format_millis(ms: Millis) -> String {
    let at = OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        at.month() as u8,
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// `YYYY-MM-DD` of the UTC day `ms` falls in, shifted by `days`.
pub fn date_string(ms: Millis, days: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        + time::Duration::days(days);
    format!("{:04}-{:02}-{:02}", at.year(), at.month() as u8, at.day())
}

pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

pub const HOUR: Millis = 3_600_000;
pub const DAY: Millis = 24 * HOUR;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_millisecond_precision() {
        let ms = parse_instant("2025-06-01T12:00:00.123Z").unwrap();
        assert_eq!(format_millis(ms), "2025-06-01T12:00:00.123Z");
        assert_eq!(parse_instant("2025-06-01T12:00:00.123000Z"), Some(ms));
        assert_eq!(parse_instant("2025-06-01T12:00:00.123+00:00"), Some(ms));
        assert_eq!(date_string(ms, 1), "2025-06-02");
    }
}
