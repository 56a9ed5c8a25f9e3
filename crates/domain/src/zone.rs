//! Time zones: IANA names parsed into `chrono_tz::Tz`, and local wall time turned into
//! instants.
//!
//! Business rules run in a zone (the calendar's, or the recipient's); this module owns how a
//! zone name is refused and what a local time that a DST change skips or repeats means for an
//! opening hour.

use std::str::FromStr;

use chrono::{
    DateTime, LocalResult, NaiveDateTime, Offset, SecondsFormat, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

/// A zone name that is not in the IANA time zone database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {name:?}: expected an IANA time zone name such as \"Asia/Tokyo\" or \"UTC\" (names are case-sensitive)")]
pub struct ZoneError {
    pub name: String,
}

/// Parses an IANA zone name (`Asia/Tokyo`, `UTC`, `America/New_York`).
pub fn parse_zone(name: &str) -> Result<Tz, ZoneError> {
    Tz::from_str(name.trim()).map_err(|_| ZoneError {
        name: name.to_owned(),
    })
}

/// Local wall-clock time of `at` in `zone`; `None` only when the offset pushes it past the end
/// of chrono's range (`DateTime::naive_local` would panic there).
pub(crate) fn local_naive(zone: Tz, at: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc().checked_add_offset(offset)
}

/// RFC 3339 with the zone's offset and whole seconds (`2026-11-24T09:00:00+09:00`); in UTC
/// when the local time is out of chrono's range.
pub(crate) fn rfc3339_in(zone: Tz, at: DateTime<Utc>) -> String {
    if local_naive(zone, at).is_some() {
        at.with_timezone(&zone)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    } else {
        at.to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

/// The instant a local wall-clock time happens in `zone`, for opening hours.
///
/// A time repeated by a DST fall-back means its first occurrence; a time skipped by a DST
/// spring-forward means the first instant after the gap (a desk that opens at 02:30 on a night
/// when clocks jump from 02:00 to 03:00 opens at 03:00). `None` only at the ends of chrono's
/// date range.
pub(crate) fn local_to_utc(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // Gaps are at most a day long (Samoa skipped 2011-12-30); walk to the first
            // existing minute.
            let mut probe = local;
            for _ in 0..(26 * 60) {
                probe = probe.checked_add_signed(TimeDelta::minutes(1))?;
                match zone.from_local_datetime(&probe) {
                    LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
                    LocalResult::Ambiguous(first, _) => return Some(first.with_timezone(&Utc)),
                    LocalResult::None => {}
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn parses_iana_names() {
        assert_eq!(parse_zone("Asia/Tokyo"), Ok(Tz::Asia__Tokyo));
        assert_eq!(parse_zone(" UTC "), Ok(Tz::UTC));
        let err = parse_zone("Asia/Tokio").expect_err("unknown zone");
        assert_eq!(err.name, "Asia/Tokio");
        assert!(err.to_string().contains("\"Asia/Tokio\""));
        assert!(err.to_string().contains("Asia/Tokyo"));
        assert!(parse_zone("").is_err());
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid test time")
    }

    #[test]
    fn gap_moves_to_end_of_gap_and_overlap_takes_first() {
        let ny = Tz::America__New_York;
        // 2026-03-08 02:30 does not exist in New York; clocks jump to 03:00 EDT (07:00Z).
        let t = local_to_utc(ny, at(2026, 3, 8, 2, 30)).expect("instant");
        assert_eq!(t.to_rfc3339(), "2026-03-08T07:00:00+00:00");
        // 2026-11-01 01:30 happens twice; the first is EDT (05:30Z).
        let t = local_to_utc(ny, at(2026, 11, 1, 1, 30)).expect("instant");
        assert_eq!(t.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }
}
