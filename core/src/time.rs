//! Timestamps as CAVRA writes and reads them (spec section 2). Core never reads the clock: `now` is
//! always a parameter (D-1).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use std::fmt;

/// An instant in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Parses RFC 3339 with `Z` or an offset, a naive date-time (taken as UTC), or a date alone
    /// (midnight UTC). Surrounding white space is ignored. `None` when it is none of these.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Ok(time) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp(time.with_timezone(&Utc)));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Timestamp(naive.and_utc()));
            }
        }
        if let Ok(time) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
            return Some(Timestamp(time.with_timezone(&Utc)));
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(Timestamp(date.and_hms_opt(0, 0, 0)?.and_utc()))
    }

    /// Python's `isoformat()` of a UTC time: `2026-05-31T08:30:00+00:00`, with `.ffffff` only when the
    /// microseconds are not zero.
    pub fn isoformat(&self) -> String {
        let micros = self.0.nanosecond() / 1_000;
        if micros == 0 {
            self.0.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
        } else {
            format!("{}.{micros:06}+00:00", self.0.format("%Y-%m-%dT%H:%M:%S"))
        }
    }

    /// The date part, `2026-05-31`.
    pub fn date(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// This instant moved by whole minutes (negative moves back).
    pub fn plus_minutes(&self, minutes: i64) -> Timestamp {
        Timestamp(self.0 + TimeDelta::try_minutes(minutes).unwrap_or(TimeDelta::zero()))
    }

    /// This instant moved by whole days.
    pub fn plus_days(&self, days: i64) -> Timestamp {
        Timestamp(self.0 + TimeDelta::try_days(days).unwrap_or(TimeDelta::zero()))
    }

    /// Whole minutes from `earlier` to `self` (negative when `earlier` is later).
    pub fn minutes_since(&self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).num_minutes()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.isoformat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn parses_every_accepted_form_to_the_same_instant() {
        let expected = at("2026-05-31T08:30:00+00:00");
        for text in [
            "2026-05-31T08:30:00Z",
            "2026-05-31T10:30:00+02:00",
            "2026-05-31T08:30:00",
            " 2026-05-31 08:30:00 ",
        ] {
            assert_eq!(at(text), expected, "{text}");
        }
        assert_eq!(at("2027-05-31"), at("2027-05-31T00:00:00Z"));
        for bad in [
            "",
            "soon",
            "2026-13-01",
            "31/05/2026",
            "2026-05-31T25:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn writes_python_isoformat() {
        assert_eq!(
            at("2026-05-31T08:30:00Z").isoformat(),
            "2026-05-31T08:30:00+00:00"
        );
        assert_eq!(
            at("2026-05-31T08:30:00.120Z").isoformat(),
            "2026-05-31T08:30:00.120000+00:00"
        );
        assert_eq!(at("2026-05-31").plus_days(30).date(), "2026-06-30");
        assert_eq!(
            at("2026-05-31T09:00:00Z").minutes_since(at("2026-05-31T08:30:00Z")),
            30
        );
    }
}
