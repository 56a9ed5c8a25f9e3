//! Dates and times as a person reads them in each language (2015年6月30日 / June 30, 2015).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;

use crate::i18n::Locale;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn date(locale: Locale, d: NaiveDate) -> String {
    match locale {
        Locale::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Locale::En => format!(
            "{} {}, {}",
            MONTHS_EN[d.month0() as usize],
            d.day(),
            d.year()
        ),
    }
}

/// An instant in `zone`, with the weekday: `11月24日(月) 9:00` / `Mon, November 24, 9:00`.
pub fn moment(locale: Locale, at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let weekday = local.weekday().num_days_from_monday() as usize;
    match locale {
        Locale::Ja => format!(
            "{}月{}日({}) {}:{:02}",
            local.month(),
            local.day(),
            WEEKDAYS_JA[weekday],
            local.hour(),
            local.minute()
        ),
        Locale::En => format!(
            "{}, {} {}, {}:{:02}",
            WEEKDAYS_EN[weekday],
            MONTHS_EN[local.month0() as usize],
            local.day(),
            local.hour(),
            local.minute()
        ),
    }
}

/// A day with its weekday, and its year when it is not `this_year`: `6月17日(水)` /
/// `2027年1月4日(月)`, `Wed, June 17` / `Mon, January 4, 2027`.
pub fn day(locale: Locale, d: NaiveDate, this_year: i32) -> String {
    let weekday = d.weekday().num_days_from_monday() as usize;
    let other_year = d.year() != this_year;
    match locale {
        Locale::Ja => {
            let year = if other_year {
                format!("{}年", d.year())
            } else {
                String::new()
            };
            format!(
                "{year}{}月{}日({})",
                d.month(),
                d.day(),
                WEEKDAYS_JA[weekday]
            )
        }
        Locale::En => {
            let year = if other_year {
                format!(", {}", d.year())
            } else {
                String::new()
            };
            format!(
                "{}, {} {}{year}",
                WEEKDAYS_EN[weekday],
                MONTHS_EN[d.month0() as usize],
                d.day()
            )
        }
    }
}

/// An asked local date and time: [`day`] and the clock time, `6月17日(水) 10:00` /
/// `Wed, June 17, 10:00`.
pub fn day_time(locale: Locale, local: NaiveDateTime, this_year: i32) -> String {
    let day = day(locale, local.date(), this_year);
    let time = format!("{}:{:02}", local.hour(), local.minute());
    match locale {
        Locale::Ja => format!("{day} {time}"),
        Locale::En => format!("{day}, {time}"),
    }
}

/// Only the clock time, for "open until 12:00".
pub fn clock_time(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!("{}:{:02}", local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn both_languages() {
        let d = NaiveDate::from_ymd_opt(2015, 6, 30).expect("date");
        assert_eq!(date(Locale::Ja, d), "2015年6月30日");
        assert_eq!(date(Locale::En, d), "June 30, 2015");
        let at = Utc
            .with_ymd_and_hms(2026, 11, 24, 0, 0, 0)
            .single()
            .expect("instant");
        assert_eq!(moment(Locale::Ja, at, Tz::Asia__Tokyo), "11月24日(火) 9:00");
        assert_eq!(
            moment(Locale::En, at, Tz::Asia__Tokyo),
            "Tue, November 24, 9:00"
        );
        assert_eq!(clock_time(at, Tz::Asia__Tokyo), "9:00");
        let d = NaiveDate::from_ymd_opt(2026, 6, 17).expect("date");
        assert_eq!(day(Locale::Ja, d, 2026), "6月17日(水)");
        assert_eq!(day(Locale::Ja, d, 2025), "2026年6月17日(水)");
        assert_eq!(day(Locale::En, d, 2026), "Wed, June 17");
        assert_eq!(day(Locale::En, d, 2027), "Wed, June 17, 2026");
        let local = d.and_hms_opt(10, 5, 0).expect("time");
        assert_eq!(day_time(Locale::Ja, local, 2026), "6月17日(水) 10:05");
        assert_eq!(day_time(Locale::En, local, 2026), "Wed, June 17, 10:05");
    }
}
