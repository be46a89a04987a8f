//! The clock and the text of instants, in UTC so every screen, report and snapshot reads the
//! same. Shared by the TUI, the headless commands and the reports.

use time::OffsetDateTime;

use crate::partner::types::Millis;

/// Now, as milliseconds since the Unix epoch.
pub fn now_millis() -> Millis {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as Millis
}

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;

fn at(ms: Millis) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// An instant as the API writes one: RFC 3339 in UTC with milliseconds.
pub fn instant(ms: Millis) -> String {
    let t = at(ms);
    format!(
        "{}T{:02}:{:02}:{:02}.{:03}Z",
        date(ms),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// An RFC 3339 instant (any offset, any precision) as milliseconds since the epoch.
pub fn parse_instant(text: &str) -> Option<Millis> {
    let t =
        OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    Millis::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

pub fn date(ms: Millis) -> String {
    let t = at(ms);
    format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
}

pub fn date_time(ms: Millis) -> String {
    let t = at(ms);
    format!("{} {:02}:{:02} UTC", date(ms), t.hour(), t.minute())
}

pub fn clock(ms: Millis) -> String {
    let t = at(ms);
    format!("{:02}:{:02}:{:02} UTC", t.hour(), t.minute(), t.second())
}

/// `12m`, `5h`, `3d`, `7mo` ago.
pub fn age(now: Millis, then: Millis) -> String {
    let d = (now - then).max(0);
    if d < HOUR {
        format!("{}m ago", d / MINUTE)
    } else if d < DAY {
        format!("{}h ago", d / HOUR)
    } else if d < 60 * DAY {
        format!("{}d ago", d / DAY)
    } else {
        format!("{}mo ago", d / (30 * DAY))
    }
}

/// Time until `deadline`: `2d 04h`, `17h 05m`, `45m`, or `expired`.
pub fn time_left(now: Millis, deadline: Millis) -> String {
    let d = deadline - now;
    if d <= 0 {
        "expired".into()
    } else if d >= DAY {
        format!("{}d {:02}h", d / DAY, (d % DAY) / HOUR)
    } else if d >= HOUR {
        format!("{}h {:02}m", d / HOUR, (d % HOUR) / MINUTE)
    } else {
        format!("{}m", (d / MINUTE).max(1))
    }
}

/// Today's date as `YYYY-MM-DD`, for comparing with date-only fields.
pub fn today(now: Millis) -> String {
    date(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_as_the_api_writes_them_and_read_back() {
        let ms = 1_795_694_400_123;
        assert_eq!(instant(ms), "2026-11-26T12:00:00.123Z");
        assert_eq!(parse_instant(&instant(ms)), Some(ms));
        assert_eq!(parse_instant("2026-11-26T13:00:00.123+01:00"), Some(ms));
        assert_eq!(parse_instant("2026-11-26"), None);
    }

    #[test]
    fn time_left_reads_at_a_glance() {
        assert_eq!(time_left(0, 2 * DAY + 4 * HOUR + 5 * MINUTE), "2d 04h");
        assert_eq!(time_left(0, 17 * HOUR + 5 * MINUTE), "17h 05m");
        assert_eq!(time_left(0, 45 * MINUTE), "45m");
        assert_eq!(time_left(10, 5), "expired");
        assert_eq!(date(0), "1970-01-01");
    }
}
