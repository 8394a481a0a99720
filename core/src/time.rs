//! Timestamps as CAVRA writes and reads them (`docs/domain.md#23-timestamps`). Core never reads the
//! clock: `now` is always a parameter (D-1).
//!
//! The calendar arithmetic is written here rather than taken from chrono: only the proleptic Gregorian
//! calendar, UTC and a handful of ISO 8601 forms are needed, and chrono's general formatting and parsing
//! machinery was about 35 KB of the app's Wasm (twiggy).

use std::fmt;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_DAY: i64 = 24 * 60 * MICROS_PER_MINUTE;

/// An instant in UTC, kept as microseconds since 1970-01-01T00:00:00Z (Python's resolution).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Parses RFC 3339 with `Z` or an offset, a naive date-time (taken as UTC), or a date alone
    /// (midnight UTC). Surrounding white space is ignored. `None` when it is none of these. Years are
    /// 0001 to 9999, as in Python; digits beyond microseconds are dropped.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let mut reader = Reader(text.trim().as_bytes());
        let year = reader.digits(4)?;
        reader.byte(b'-')?;
        let month = reader.digits(2)?;
        reader.byte(b'-')?;
        let day = reader.digits(2)?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let date = days_from_civil(year, month, day) * MICROS_PER_DAY;
        if reader.is_empty() {
            return Some(Timestamp(date));
        }
        let separator = reader.next()?;
        if !matches!(separator, b'T' | b't' | b' ') {
            return None;
        }
        let hour = reader.digits(2)?;
        reader.byte(b':')?;
        let minute = reader.digits(2)?;
        if hour > 23 || minute > 59 {
            return None;
        }
        let mut micros = date + (hour * 60 + minute) * MICROS_PER_MINUTE;
        // `2026-05-31T08:30`: hours and minutes alone, naive, with a `T` only.
        if reader.is_empty() {
            return (separator == b'T').then_some(Timestamp(micros));
        }
        reader.byte(b':')?;
        let second = reader.digits(2)?;
        if second > 59 {
            return None;
        }
        micros += second * MICROS_PER_SECOND;
        if reader.peek() == Some(b'.') {
            reader.next();
            let fraction = reader.take_while(|b| b.is_ascii_digit());
            if fraction.is_empty() {
                return None;
            }
            let mut scale = 100_000;
            for digit in fraction.iter().take(6) {
                micros += i64::from(digit - b'0') * scale;
                scale /= 10;
            }
        }
        let offset = match reader.next() {
            None => 0,
            Some(b'Z' | b'z') => 0,
            Some(sign @ (b'+' | b'-')) => {
                let hours = reader.digits(2)?;
                reader.byte(b':')?;
                let minutes = reader.digits(2)?;
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let offset = (hours * 60 + minutes) * MICROS_PER_MINUTE;
                if sign == b'+' {
                    offset
                } else {
                    -offset
                }
            }
            Some(_) => return None,
        };
        reader.is_empty().then_some(Timestamp(micros - offset))
    }

    /// Python's `isoformat()` of a UTC time: `2026-05-31T08:30:00+00:00`, with `.ffffff` only when the
    /// microseconds are not zero.
    pub fn isoformat(&self) -> String {
        let (days, of_day) = (
            self.0.div_euclid(MICROS_PER_DAY),
            self.0.rem_euclid(MICROS_PER_DAY),
        );
        let (year, month, day) = civil_from_days(days);
        let seconds = of_day / MICROS_PER_SECOND;
        let micros = of_day % MICROS_PER_SECOND;
        let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        let mut out = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
        if micros != 0 {
            out.push_str(&format!(".{micros:06}"));
        }
        out.push_str("+00:00");
        out
    }

    /// The date part, `2026-05-31`.
    pub fn date(&self) -> String {
        let (year, month, day) = civil_from_days(self.0.div_euclid(MICROS_PER_DAY));
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// This instant moved by whole minutes (negative moves back).
    pub fn plus_minutes(&self, minutes: i64) -> Timestamp {
        Timestamp(
            self.0
                .saturating_add(minutes.saturating_mul(MICROS_PER_MINUTE)),
        )
    }

    /// This instant moved by whole days.
    pub fn plus_days(&self, days: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(days.saturating_mul(MICROS_PER_DAY)))
    }

    /// Whole minutes from `earlier` to `self` (negative when `earlier` is later), truncated toward zero.
    pub fn minutes_since(&self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0) / MICROS_PER_MINUTE
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.isoformat())
    }
}

/// A cursor over ASCII bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn peek(&self) -> Option<u8> {
        self.0.first().copied()
    }

    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn byte(&mut self, expected: u8) -> Option<()> {
        (self.next()? == expected).then_some(())
    }

    /// Exactly `count` ASCII digits, as a number.
    fn digits(&mut self, count: usize) -> Option<i64> {
        let digits = self.0.get(..count)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = &self.0[count..];
        Some(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let end = self
            .0
            .iter()
            .position(|&b| !keep(b))
            .unwrap_or(self.0.len());
        let (taken, rest) = self.0.split_at(end);
        self.0 = rest;
        taken
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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

    /// The old chrono-based parser and writer, kept as the reference the new ones must agree with
    /// (chrono is a native-only dev-dependency).
    #[cfg(not(target_arch = "wasm32"))]
    fn chrono_reference(text: &str) -> Option<String> {
        use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
        let text = text.trim();
        let time: DateTime<Utc> = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            t.with_timezone(&Utc)
        } else if let Some(naive) = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        {
            naive.and_utc()
        } else if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
            t.with_timezone(&Utc)
        } else {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)?
                .and_utc()
        };
        let micros = time.nanosecond() / 1_000;
        Some(if micros == 0 {
            time.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
        } else {
            format!("{}.{micros:06}+00:00", time.format("%Y-%m-%dT%H:%M:%S"))
        })
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn agrees_with_chrono_on_every_form_the_spec_uses() {
        let mut cases = Vec::new();
        let mut random = crate::Xorshift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| random.next() % n;
        for _ in 0..20_000 {
            let year = 1 + next(9999);
            let (month, day) = (1 + next(12), 1 + next(31));
            let (hour, minute, second) = (next(24), next(60), next(60));
            let date = format!("{year:04}-{month:02}-{day:02}");
            cases.push(date.clone());
            cases.push(format!("{date}T{hour:02}:{minute:02}"));
            cases.push(format!("{date}T{hour:02}:{minute:02}:{second:02}"));
            cases.push(format!(
                "{date} {hour:02}:{minute:02}:{second:02}.{}",
                next(1_000_000)
            ));
            cases.push(format!("{date}T{hour:02}:{minute:02}:{second:02}Z"));
            cases.push(format!(
                "{date}T{hour:02}:{minute:02}:{second:02}.{:03}{}{:02}:{:02}",
                next(1000),
                if next(2) == 0 { '+' } else { '-' },
                next(24),
                next(60)
            ));
        }
        for (index, case) in cases.iter().enumerate() {
            let expected = chrono_reference(case);
            let actual = Timestamp::parse(case).map(|t| t.isoformat());
            // chrono reads years past 9999 and before 0001 after an offset moves them; Python cannot.
            if expected
                .as_deref()
                .is_some_and(|e| e.starts_with('+') || e.starts_with('-') || e.len() > 32)
            {
                continue;
            }
            if let (Some(e), None) = (&expected, &actual) {
                if e.starts_with("0000") || e.starts_with("10000") {
                    continue;
                }
            }
            assert_eq!(actual, expected, "case {index}: {case:?}");
        }
    }

    #[test]
    fn round_trips_days_across_the_calendar() {
        for days in (-719_162..2_932_896).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(at("2024-02-29").plus_days(365).date(), "2025-02-28");
        assert!(Timestamp::parse("2023-02-29").is_none());
        assert!(Timestamp::parse("1900-02-29").is_none());
        assert!(Timestamp::parse("2000-02-29").is_some());
    }
}
