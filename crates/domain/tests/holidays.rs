//! Checks the holiday wrapper against an independently generated table
//! (tests/data/jp_holidays_2015_2031.csv, see tests/data/gen_holidays.py).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use partnerdesk_domain::holiday::{english_name, japanese_holiday, japanese_holidays_between};

const TABLE: &str = include_str!("data/jp_holidays_2015_2031.csv");

fn expected() -> BTreeMap<NaiveDate, String> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("date,") && !l.is_empty())
        .map(|l| {
            let (date, name) = l.split_once(',').expect("date,name line");
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("ISO date");
            (date, name.to_owned())
        })
        .collect()
}

#[test]
fn agrees_with_python_table_on_every_date_2015_to_2031() {
    let expected = expected();
    assert!(expected.len() > 300, "table looks truncated");
    let mut date = NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    let end = NaiveDate::from_ymd_opt(2031, 12, 31).expect("date");
    let mut mismatches = Vec::new();
    while date <= end {
        let ours = japanese_holiday(date).map(|h| h.name_ja);
        let theirs = expected.get(&date).cloned();
        if ours != theirs {
            mismatches.push(format!("{date}: ours {ours:?}, table {theirs:?}"));
        }
        date = date.checked_add_days(Days::new(1)).expect("date");
    }
    assert!(
        mismatches.is_empty(),
        "mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn range_query_matches_table() {
    let expected = expected();
    let from = NaiveDate::from_ymd_opt(2015, 1, 1).expect("date");
    let to = NaiveDate::from_ymd_opt(2031, 12, 31).expect("date");
    let ours: BTreeMap<NaiveDate, String> = japanese_holidays_between(from, to)
        .into_iter()
        .map(|h| (h.date, h.name_ja))
        .collect();
    assert_eq!(ours, expected);
}

#[test]
fn every_table_name_has_an_english_name() {
    for (date, name) in expected() {
        let en =
            english_name(&name).unwrap_or_else(|| panic!("{date}: no English name for {name}"));
        assert!(en.is_ascii(), "{en}");
        assert_eq!(
            japanese_holiday(date).map(|h| h.name_en).as_deref(),
            Some(en)
        );
    }
}
