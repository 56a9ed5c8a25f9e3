//! Japanese national holidays (国民の祝日 and the 休日 the law adds to them).
//!
//! This module owns the answer to "is this date a Japanese holiday, and what is it called".
//! The rules come from the `jpholiday` crate (a port of the Python project of the same name),
//! not from a hand-typed list, so future years follow the law's rules (equinox formula, happy
//! Mondays, 振替休日, 国民の休日). Where that crate is known to be wrong, [`OVERRIDES`] corrects
//! it; each override is documented, and `tests/holidays.rs` checks every date from 2015-01-01 to
//! 2031-12-31 against a table generated independently with Python `jpholiday` and `holidays`
//! (`tests/data/jp_holidays_2015_2031.csv`).
//!
//! Names: the Japanese name is the legal name; a substitute holiday is always called
//! `振替休日` (jpholiday's "元日 振替休日" form is normalized). [`english_name`] gives the
//! English name used by the English locale.

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// First and last year for which holidays are computed. Outside these years no date is a
/// holiday (weekends and the other closures still apply); the rule source is only meaningful
/// from the 1948 holiday law onwards and its equinox formula ends with 2099.
pub const FIRST_HOLIDAY_YEAR: i32 = 1949;
/// See [`FIRST_HOLIDAY_YEAR`].
pub const LAST_HOLIDAY_YEAR: i32 = 2099;

/// Japanese name of a substitute holiday (振替休日).
pub const SUBSTITUTE_HOLIDAY: &str = "振替休日";
/// Japanese name of a citizens' holiday (国民の休日), a day sandwiched between two holidays.
pub const CITIZENS_HOLIDAY: &str = "国民の休日";

/// One Japanese holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    /// Legal Japanese name, e.g. `元日`, `振替休日`, `国民の休日`.
    pub name_ja: String,
    /// English name, e.g. `New Year's Day`.
    pub name_en: String,
}

/// A correction applied on top of the jpholiday rules.
#[derive(Debug, Clone, Copy)]
pub struct Override {
    pub date: (i32, u32, u32),
    /// `None` removes a holiday the crate reports; `Some(name)` adds (or renames) one.
    pub name: Option<&'static str>,
    /// Why: the law or notice behind the correction.
    pub why: &'static str,
}

/// Known errors of jpholiday 0.1.4, found by `tests/holidays.rs`.
///
/// The crate implements the 2020 Olympic special measures but not the 2021 ones
/// (令和3年 東京オリンピック・パラリンピック競技大会特別措置法の改正, 2020-11-27): in 2021 Marine Day
/// moved to 7/22, Sports Day to 7/23 and Mountain Day to 8/8 (a Sunday, so 8/9 became a
/// substitute holiday).
pub const OVERRIDES: &[Override] = &[
    Override {
        date: (2021, 7, 19),
        name: None,
        why: "2021 Olympic special measures: Marine Day moved to 2021-07-22",
    },
    Override {
        date: (2021, 7, 22),
        name: Some("海の日"),
        why: "2021 Olympic special measures: Marine Day moved to 2021-07-22",
    },
    Override {
        date: (2021, 7, 23),
        name: Some("スポーツの日"),
        why: "2021 Olympic special measures: Sports Day moved to 2021-07-23",
    },
    Override {
        date: (2021, 8, 8),
        name: Some("山の日"),
        why: "2021 Olympic special measures: Mountain Day moved to 2021-08-08",
    },
    Override {
        date: (2021, 8, 9),
        name: Some(SUBSTITUTE_HOLIDAY),
        why:
            "2021 Olympic special measures: Mountain Day on Sunday 2021-08-08, substitute on Monday",
    },
    Override {
        date: (2021, 8, 11),
        name: None,
        why: "2021 Olympic special measures: Mountain Day moved to 2021-08-08",
    },
    Override {
        date: (2021, 10, 11),
        name: None,
        why: "2021 Olympic special measures: Sports Day moved to 2021-07-23",
    },
];

/// English names of the Japanese holidays, keyed by their legal Japanese name.
const ENGLISH_NAMES: &[(&str, &str)] = &[
    ("元日", "New Year's Day"),
    ("成人の日", "Coming of Age Day"),
    ("建国記念の日", "National Foundation Day"),
    ("天皇誕生日", "The Emperor's Birthday"),
    ("春分の日", "Vernal Equinox Day"),
    ("昭和の日", "Showa Day"),
    ("憲法記念日", "Constitution Memorial Day"),
    ("みどりの日", "Greenery Day"),
    ("こどもの日", "Children's Day"),
    ("海の日", "Marine Day"),
    ("山の日", "Mountain Day"),
    ("敬老の日", "Respect for the Aged Day"),
    ("秋分の日", "Autumnal Equinox Day"),
    ("体育の日", "Health and Sports Day"),
    ("スポーツの日", "Sports Day"),
    ("文化の日", "Culture Day"),
    ("勤労感謝の日", "Labor Thanksgiving Day"),
    (SUBSTITUTE_HOLIDAY, "Substitute Holiday"),
    (CITIZENS_HOLIDAY, "Citizens' Holiday"),
    ("天皇の即位の日", "Enthronement Day"),
    ("即位礼正殿の儀", "Enthronement Ceremony Day"),
    ("即位の礼正殿の儀", "Enthronement Ceremony Day"),
    ("昭和天皇の大喪の礼", "State Funeral of Emperor Showa"),
    (
        "皇太子・明仁親王の結婚の儀",
        "Wedding of Crown Prince Akihito",
    ),
    (
        "皇太子・皇太子徳仁親王の結婚の儀",
        "Wedding of Crown Prince Naruhito",
    ),
];

/// English name for a Japanese holiday name, if known.
pub fn english_name(name_ja: &str) -> Option<&'static str> {
    ENGLISH_NAMES
        .iter()
        .find(|(ja, _)| *ja == name_ja)
        .map(|(_, en)| *en)
}

/// The holiday on `date`, if it is one.
pub fn japanese_holiday(date: NaiveDate) -> Option<Holiday> {
    year_table(date.year())
        .iter()
        .find(|(d, _)| *d == date)
        .map(|(d, name)| holiday(*d, name))
}

/// Every holiday from `from` to `to`, both inclusive, in date order.
pub fn japanese_holidays_between(from: NaiveDate, to: NaiveDate) -> Vec<Holiday> {
    if from > to {
        return Vec::new();
    }
    let first = from.year().max(FIRST_HOLIDAY_YEAR);
    let last = to.year().min(LAST_HOLIDAY_YEAR);
    (first..=last)
        .flat_map(|year| year_table(year).iter())
        .filter(|(d, _)| (from..=to).contains(d))
        .map(|(d, name)| holiday(*d, name))
        .collect()
}

fn holiday(date: NaiveDate, name_ja: &str) -> Holiday {
    Holiday {
        date,
        name_ja: name_ja.to_owned(),
        // Every name jpholiday can produce is in ENGLISH_NAMES (tested); the fallback keeps a
        // future unknown name from leaking Japanese into English text.
        name_en: english_name(name_ja)
            .unwrap_or("National Holiday")
            .to_owned(),
    }
}

type YearTable = Vec<(NaiveDate, String)>;

/// The holidays of one year, computed once per process. `jpholiday::JPHoliday` is neither
/// `Send` nor `Sync`, so it is built locally and only plain data is cached; the cache makes a
/// `BusinessCalendar` cheap to share between tasks.
fn year_table(year: i32) -> &'static [(NaiveDate, String)] {
    static TABLE: OnceLock<Vec<OnceLock<YearTable>>> = OnceLock::new();
    if !(FIRST_HOLIDAY_YEAR..=LAST_HOLIDAY_YEAR).contains(&year) {
        return &[];
    }
    let table = TABLE.get_or_init(|| {
        (FIRST_HOLIDAY_YEAR..=LAST_HOLIDAY_YEAR)
            .map(|_| OnceLock::new())
            .collect()
    });
    let index = usize::try_from(year - FIRST_HOLIDAY_YEAR).unwrap_or(usize::MAX);
    match table.get(index) {
        Some(cell) => cell.get_or_init(|| compute_year(year)),
        None => &[],
    }
}

fn compute_year(year: i32) -> YearTable {
    let rules = jpholiday::jpholiday::JPHoliday::new();
    let mut days: YearTable = Vec::new();
    let Some(mut date) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return days;
    };
    while date.year() == year {
        if let Some(name) = rules.is_holiday_name(&date) {
            days.push((date, normalize_name(&name)));
        }
        match date.checked_add_days(Days::new(1)) {
            Some(next) => date = next,
            None => break,
        }
    }
    for o in OVERRIDES.iter().filter(|o| o.date.0 == year) {
        let Some(date) = NaiveDate::from_ymd_opt(o.date.0, o.date.1, o.date.2) else {
            continue;
        };
        days.retain(|(d, _)| *d != date);
        if let Some(name) = o.name {
            days.push((date, name.to_owned()));
        }
    }
    days.sort_by_key(|(d, _)| *d);
    days
}

/// jpholiday names a substitute holiday "<holiday> 振替休日"; we report the legal "振替休日".
fn normalize_name(name: &str) -> String {
    if name.ends_with(SUBSTITUTE_HOLIDAY) {
        SUBSTITUTE_HOLIDAY.to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn name(date: NaiveDate) -> Option<String> {
        japanese_holiday(date).map(|h| h.name_ja)
    }

    #[test]
    fn fixed_and_moving_holidays() {
        assert_eq!(name(d(2026, 1, 1)).as_deref(), Some("元日"));
        assert_eq!(name(d(2026, 1, 12)).as_deref(), Some("成人の日"));
        assert_eq!(name(d(2026, 3, 20)).as_deref(), Some("春分の日"));
        assert_eq!(name(d(2026, 9, 23)).as_deref(), Some("秋分の日"));
        assert_eq!(name(d(2026, 1, 2)), None);
    }

    #[test]
    fn substitute_and_citizens_holidays() {
        // 2026-05-03 is a Sunday: the substitute lands on Wednesday 05-06 (after 4th, 5th).
        assert_eq!(name(d(2026, 5, 6)).as_deref(), Some(SUBSTITUTE_HOLIDAY));
        // 2026-09-22 sits between 敬老の日 (21st) and 秋分の日 (23rd).
        assert_eq!(name(d(2026, 9, 22)).as_deref(), Some(CITIZENS_HOLIDAY));
        let h = japanese_holiday(d(2026, 9, 22)).expect("holiday");
        assert_eq!(h.name_en, "Citizens' Holiday");
    }

    #[test]
    fn olympic_2021_overrides() {
        assert_eq!(name(d(2021, 7, 19)), None);
        assert_eq!(name(d(2021, 7, 22)).as_deref(), Some("海の日"));
        assert_eq!(name(d(2021, 7, 23)).as_deref(), Some("スポーツの日"));
        assert_eq!(name(d(2021, 8, 9)).as_deref(), Some(SUBSTITUTE_HOLIDAY));
        assert_eq!(name(d(2021, 10, 11)), None);
    }

    #[test]
    fn out_of_range_years_have_no_holidays() {
        assert_eq!(name(d(1900, 1, 1)), None);
        assert_eq!(name(d(2100, 1, 1)), None);
        assert_eq!(name(NaiveDate::MAX), None);
        assert!(japanese_holidays_between(NaiveDate::MIN, NaiveDate::MAX).len() > 1000);
    }

    #[test]
    fn every_produced_name_has_an_english_name() {
        let all =
            japanese_holidays_between(d(FIRST_HOLIDAY_YEAR, 1, 1), d(LAST_HOLIDAY_YEAR, 12, 31));
        for h in all {
            assert!(
                english_name(&h.name_ja).is_some(),
                "no English name for {} ({})",
                h.name_ja,
                h.date
            );
        }
    }
}
