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

/// An instant in UTC, kept as microseconds since 1970-01-01T00:00:00Z (Python's resolution). Always
/// between [`Timestamp::MIN`] and [`Timestamp::MAX`], so that every one is written in a form that reads
/// back: nothing here makes one outside that range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a time cannot be had: a text that is not one, or a time outside what a timestamp can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// Not a date or time in any form [`Timestamp::parse`] reads.
    Unreadable,
    /// Later than [`Timestamp::MAX`].
    PastLatest,
    /// Earlier than [`Timestamp::MIN`].
    BeforeEarliest,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::Unreadable => "it is not a date or time written as 2026-05-31 or 2026-05-31T08:30:00Z",
            TimeError::PastLatest => "it is past 31 December 9999 (23:59:59 UTC), the last moment a record's timestamp can hold",
            TimeError::BeforeEarliest => "it is before 1 January 0001 (00:00:00 UTC), the first moment a record's timestamp can hold",
        })
    }
}

impl std::error::Error for TimeError {}

impl Timestamp {
    /// The first moment a timestamp holds: 0001-01-01T00:00:00Z (Python's `datetime.min`).
    pub const MIN: Timestamp = Timestamp(days_from_civil(1, 1, 1) * MICROS_PER_DAY);
    /// The last moment a timestamp holds: 9999-12-31T23:59:59.999999Z (Python's `datetime.max`). A
    /// later one would be written with a five-digit year, which neither CAVRA nor this parser reads.
    pub const MAX: Timestamp = Timestamp(days_from_civil(10_000, 1, 1) * MICROS_PER_DAY - 1);

    /// Parses RFC 3339 with `Z` or an offset, a naive date-time (taken as UTC), or a date alone
    /// (midnight UTC). Surrounding white space is ignored. `None` when it is none of these, or when it
    /// is outside [`Timestamp::MIN`]..=[`Timestamp::MAX`] (see [`Timestamp::read`] for which).
    pub fn parse(text: &str) -> Option<Timestamp> {
        Timestamp::read(text).ok()
    }

    /// [`Timestamp::parse`], saying why a text is refused. Years are 0001 to 9999, as in Python;
    /// digits beyond microseconds are dropped. A well-formed date with a later year (a date picker
    /// offers 10000-01-01), or an offset that moves the instant past the last moment, is
    /// [`TimeError::PastLatest`].
    pub fn read(text: &str) -> Result<Timestamp, TimeError> {
        let micros = read_instant(text).ok_or(TimeError::Unreadable)?;
        Timestamp::within_range(micros)
    }

    /// The timestamp of `micros`, when a timestamp can hold it.
    fn within_range(micros: i64) -> Result<Timestamp, TimeError> {
        if micros > Timestamp::MAX.0 {
            Err(TimeError::PastLatest)
        } else if micros < Timestamp::MIN.0 {
            Err(TimeError::BeforeEarliest)
        } else {
            Ok(Timestamp(micros))
        }
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

    /// This instant moved by whole minutes (negative moves back), or why it cannot be.
    pub fn checked_plus_minutes(&self, minutes: i64) -> Result<Timestamp, TimeError> {
        Timestamp::moved(self.0, minutes.checked_mul(MICROS_PER_MINUTE), minutes)
    }

    /// This instant moved by whole days (negative moves back), or why it cannot be.
    pub fn checked_plus_days(&self, days: i64) -> Result<Timestamp, TimeError> {
        Timestamp::moved(self.0, days.checked_mul(MICROS_PER_DAY), days)
    }

    /// `micros` moved `by` (`None` when the move itself overflowed), `sign` saying which way.
    fn moved(micros: i64, by: Option<i64>, sign: i64) -> Result<Timestamp, TimeError> {
        match by.and_then(|by| micros.checked_add(by)) {
            Some(moved) => Timestamp::within_range(moved),
            None if sign > 0 => Err(TimeError::PastLatest),
            None => Err(TimeError::BeforeEarliest),
        }
    }

    /// This instant moved by whole minutes (negative moves back), held at [`Timestamp::MIN`] and
    /// [`Timestamp::MAX`]. Only for moves the sandbox makes itself, by bounded amounts, or for a
    /// deadline compared with other times (a deadline past the last moment is, for every timestamp,
    /// no earlier than the last moment); a move the user asks for uses
    /// [`Timestamp::checked_plus_minutes`] and refuses what cannot be.
    pub fn plus_minutes(&self, minutes: i64) -> Timestamp {
        match self.checked_plus_minutes(minutes) {
            Ok(moved) => moved,
            Err(_) if minutes < 0 => Timestamp::MIN,
            Err(_) => Timestamp::MAX,
        }
    }

    /// This instant moved by whole days, held at [`Timestamp::MIN`] and [`Timestamp::MAX`]; see
    /// [`Timestamp::plus_minutes`] for where that is right and [`Timestamp::checked_plus_days`] for
    /// where it is not.
    pub fn plus_days(&self, days: i64) -> Timestamp {
        match self.checked_plus_days(days) {
            Ok(moved) => moved,
            Err(_) if days < 0 => Timestamp::MIN,
            Err(_) => Timestamp::MAX,
        }
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

/// The microseconds since 1970 that `text` names, in any of the forms [`Timestamp::parse`] reads, before
/// any range check. A year past 9999 is read as 10001 for the arithmetic (its date still checked with its
/// own calendar): every instant in it is past [`Timestamp::MAX`] whatever the offset, and the sum cannot
/// overflow.
fn read_instant(text: &str) -> Option<i64> {
    let mut reader = Reader(text.trim().as_bytes());
    let year_digits = reader.take_while(|b| b.is_ascii_digit());
    let year = year_digits.iter().fold(0i64, |n, d| {
        n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    // Four digits, or more only for a year that needs them (never a zero-padded 02026).
    if year_digits.len() < 4 || (year_digits.len() > 4 && year <= 9999) {
        return None;
    }
    reader.byte(b'-')?;
    let month = reader.digits(2)?;
    reader.byte(b'-')?;
    let day = reader.digits(2)?;
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year.min(10_001), month, day) * MICROS_PER_DAY;
    if reader.is_empty() {
        return Some(date);
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
        return (separator == b'T').then_some(micros);
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
    reader.is_empty().then_some(micros - offset)
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
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
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
    fn the_range_is_python_s_from_year_1_to_the_end_of_9999() {
        assert_eq!(Timestamp::MIN, at("0001-01-01T00:00:00Z"));
        assert_eq!(Timestamp::MAX, at("9999-12-31T23:59:59.999999Z"));
        assert_eq!(
            Timestamp::MAX.isoformat(),
            "9999-12-31T23:59:59.999999+00:00"
        );
        assert_eq!(Timestamp::MIN.isoformat(), "0001-01-01T00:00:00+00:00");
        for edge in [Timestamp::MIN, Timestamp::MAX, at("9999-12-31T23:59:59Z")] {
            assert_eq!(at(&edge.isoformat()), edge, "{edge} reads back");
            assert_eq!(at(&edge.date()).date(), edge.date());
        }
    }

    #[test]
    fn a_time_past_the_last_moment_is_refused_as_such_not_as_unreadable() {
        for past in [
            "10000-01-01",
            "10000-01-01T00:00:00Z",
            "275760-09-13",
            "99999999999999999999999-01-01",
            "9999-12-31T23:00:00-02:00",
        ] {
            assert_eq!(Timestamp::read(past), Err(TimeError::PastLatest), "{past}");
            assert!(Timestamp::parse(past).is_none(), "{past}");
        }
        assert_eq!(
            Timestamp::read("0001-01-01T00:30:00+01:00"),
            Err(TimeError::BeforeEarliest)
        );
        for unreadable in [
            "10000-13-01",
            "10001-02-29",
            "02026-05-31",
            "999-01-01",
            "soon",
        ] {
            assert_eq!(
                Timestamp::read(unreadable),
                Err(TimeError::Unreadable),
                "{unreadable}"
            );
        }
        assert_eq!(Timestamp::read("10004-02-29"), Err(TimeError::PastLatest));
        assert_eq!(
            Timestamp::read("9999-12-31T23:59:59Z"),
            Ok(at("9999-12-31T23:59:59+00:00"))
        );
    }

    #[test]
    fn checked_moves_stop_at_the_last_and_first_moments() {
        let last_second = at("9999-12-31T23:59:59Z");
        assert_eq!(
            at("9999-12-30T23:59:59Z").checked_plus_days(1),
            Ok(last_second)
        );
        assert_eq!(
            at("9999-12-31T23:58:59Z").checked_plus_minutes(1),
            Ok(last_second)
        );
        assert_eq!(last_second.checked_plus_days(1), Err(TimeError::PastLatest));
        assert_eq!(
            last_second.checked_plus_minutes(1),
            Err(TimeError::PastLatest)
        );
        assert_eq!(
            at("9999-12-31").checked_plus_days(1),
            Err(TimeError::PastLatest)
        );
        assert_eq!(
            Timestamp::MIN.checked_plus_minutes(-1),
            Err(TimeError::BeforeEarliest)
        );
        for huge in [i64::MAX, i64::MAX / MICROS_PER_DAY] {
            assert_eq!(
                at("2026-05-31").checked_plus_days(huge),
                Err(TimeError::PastLatest)
            );
            assert_eq!(
                at("2026-05-31").checked_plus_days(-huge),
                Err(TimeError::BeforeEarliest)
            );
        }
        for huge in [i64::MAX, i64::MAX / MICROS_PER_MINUTE] {
            assert_eq!(
                at("2026-05-31").checked_plus_minutes(huge),
                Err(TimeError::PastLatest)
            );
        }
        assert_eq!(at("2026-05-31").checked_plus_days(30), Ok(at("2026-06-30")));
    }

    #[test]
    fn unchecked_moves_are_held_at_the_ends_of_the_range() {
        assert_eq!(at("9999-12-31").plus_days(7), Timestamp::MAX);
        assert_eq!(at("9999-12-31").plus_days(i64::MAX), Timestamp::MAX);
        assert_eq!(Timestamp::MAX.plus_minutes(60).date(), "9999-12-31");
        assert_eq!(at("0001-01-01").plus_minutes(-60), Timestamp::MIN);
        assert_eq!(at("2026-05-31").plus_days(i64::MIN), Timestamp::MIN);
        assert_eq!(at("2026-05-31").plus_days(1), at("2026-06-01"));
    }

    #[test]
    fn time_errors_say_what_cannot_be_held() {
        assert_eq!(
            TimeError::PastLatest.to_string(),
            "it is past 31 December 9999 (23:59:59 UTC), the last moment a record's timestamp can hold"
        );
        assert!(TimeError::BeforeEarliest
            .to_string()
            .contains("1 January 0001"));
        assert!(TimeError::Unreadable.to_string().contains("2026-05-31"));
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
