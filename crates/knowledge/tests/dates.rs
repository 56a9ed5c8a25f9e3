//! The one date parser, table-driven over every accepted form in Japanese and English, with
//! the edge cases (dates that do not exist, era bounds, year-less dates around New Year) and a
//! random-input run that must never panic.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use partnerdesk_knowledge::{mask_dates, parse_when, read_asked, DateError};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .expect("test instant")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").expect("test time")
}

/// Tuesday 2026-06-16 10:00 (the day before IBM Japan's anniversary closure).
fn now() -> NaiveDateTime {
    at(2026, 6, 16, 10, 0)
}

/// (question, asked date, asked time or "", year implied)
const TABLE: &[(&str, &str, &str, bool)] = &[
    // Years written.
    ("2015-08-15", "2015-08-15", "", false),
    ("更新日は2015/8/15です", "2015-08-15", "", false),
    ("renewal on 8/15/2015?", "2015-08-15", "", false),
    ("15/8/2015", "2015-08-15", "", false),
    ("2015.8.15", "2015-08-15", "", false),
    ("2015年8月15日の更新", "2015-08-15", "", false),
    ("2015年の8月15日に更新", "2015-08-15", "", false),
    ("2015 年 8 月 15 日", "2015-08-15", "", false),
    ("2015年、8月の15日", "2015-08-15", "", false),
    ("２０１５年８月１５日", "2015-08-15", "", false),
    ("２０１５／８／１５", "2015-08-15", "", false),
    ("平成27年8月15日が更新日です", "2015-08-15", "", false),
    ("平成２７年８月１５日", "2015-08-15", "", false),
    ("㍻27年8月15日", "2015-08-15", "", false),
    ("H27.8.15", "2015-08-15", "", false),
    ("h27/8/15", "2015-08-15", "", false),
    ("R8.1.5", "2026-01-05", "", false),
    ("令和8年1月5日は営業していますか", "2026-01-05", "", false),
    ("令和元年5月1日", "2019-05-01", "", false),
    ("平成31年4月30日", "2019-04-30", "", false),
    ("昭和64年1月7日", "1989-01-07", "", false),
    ("August 15, 2015", "2015-08-15", "", false),
    ("Aug. 15th 2015", "2015-08-15", "", false),
    ("15 August 2015", "2015-08-15", "", false),
    ("the 15th of August, 2015", "2015-08-15", "", false),
    ("Ａｕｇ １５ ２０１５", "2015-08-15", "", false),
    // No year: the next such day (today included).
    ("8月15日", "2026-08-15", "", true),
    ("6月16日は開いていますか", "2026-06-16", "", true),
    ("6月15日", "2027-06-15", "", true),
    ("6/17", "2026-06-17", "", true),
    ("Aug 15", "2026-08-15", "", true),
    ("August 15th", "2026-08-15", "", true),
    ("15 Aug", "2026-08-15", "", true),
    ("are you open on June 17?", "2026-06-17", "", true),
    ("2月29日", "2028-02-29", "", true),
    ("12月30日(水)", "2026-12-30", "", true),
    // Relative days.
    ("今日は電話つながりますか", "2026-06-16", "", false),
    ("本日", "2026-06-16", "", false),
    ("明日", "2026-06-17", "", false),
    ("あした", "2026-06-17", "", false),
    ("明後日", "2026-06-18", "", false),
    ("あさって", "2026-06-18", "", false),
    ("昨日", "2026-06-15", "", false),
    ("一昨日", "2026-06-14", "", false),
    ("来週月曜", "2026-06-22", "", false),
    ("来週の月曜日", "2026-06-22", "", false),
    ("今週金曜", "2026-06-19", "", false),
    ("今週の金曜日は？", "2026-06-19", "", false),
    ("再来週の水曜", "2026-07-01", "", false),
    ("先週金曜", "2026-06-12", "", false),
    ("次の月曜", "2026-06-22", "", false),
    ("土曜日は開いていますか", "2026-06-20", "", false),
    ("火曜", "2026-06-16", "", false),
    ("today", "2026-06-16", "", false),
    ("tomorrow", "2026-06-17", "", false),
    ("yesterday", "2026-06-15", "", false),
    ("the day after tomorrow", "2026-06-18", "", false),
    ("next Monday", "2026-06-22", "", false),
    ("next Friday", "2026-06-26", "", false),
    ("this Friday", "2026-06-19", "", false),
    ("this fri", "2026-06-19", "", false),
    ("last Friday", "2026-06-12", "", false),
    ("on Saturday", "2026-06-20", "", false),
    ("Tuesday", "2026-06-16", "", false),
    ("next week on Wednesday", "2026-06-24", "", false),
    // Dates with times.
    ("明日の12時半", "2026-06-17", "12:30", false),
    ("明日10時", "2026-06-17", "10:00", false),
    ("6月17日10時に電話できますか", "2026-06-17", "10:00", true),
    ("6月17日の午前10時", "2026-06-17", "10:00", true),
    ("6月18日 午後4時半", "2026-06-18", "16:30", true),
    ("6月18日 午後 4時半", "2026-06-18", "16:30", true),
    ("6月18日の正午", "2026-06-18", "12:00", true),
    ("6月18日 10時30分", "2026-06-18", "10:30", true),
    ("6月18日 夕方5時", "2026-06-18", "17:00", true),
    ("6月18日 朝9時", "2026-06-18", "09:00", true),
    ("6月18日4時", "2026-06-18", "16:00", true),
    (
        "12月30日の10時に電話できますか？",
        "2026-12-30",
        "10:00",
        true,
    ),
    (
        "２０１５年６月１７日　１０：００",
        "2015-06-17",
        "10:00",
        false,
    ),
    ("2015-06-17T10:00", "2015-06-17", "10:00", false),
    ("tomorrow at 4:30pm", "2026-06-17", "16:30", false),
    ("tomorrow at 4:30 p.m.", "2026-06-17", "16:30", false),
    ("tomorrow 4pm", "2026-06-17", "16:00", false),
    ("tomorrow at noon", "2026-06-17", "12:00", false),
    ("at 10 am tomorrow", "2026-06-17", "10:00", false),
    ("next Monday at 9:00", "2026-06-22", "09:00", false),
    ("June 17 at 10am", "2026-06-17", "10:00", true),
    ("Aug 15, 2015 3 o'clock", "2015-08-15", "15:00", false),
    ("6/18 12:30", "2026-06-18", "12:30", true),
    ("8/15/2015 16:30:00", "2015-08-15", "16:30", false),
    // Only a time: the next time it comes (10:00 now is still ahead; 9:30 is tomorrow).
    ("10時に電話できますか", "2026-06-16", "10:00", false),
    ("9時半は？", "2026-06-17", "09:30", false),
    ("午後2時", "2026-06-16", "14:00", false),
    ("at noon?", "2026-06-16", "12:00", false),
    ("can I call at 11:45", "2026-06-16", "11:45", false),
    // A quoted range asks no time; the date still counts.
    ("明日の9:00~12:00は開いていますか", "2026-06-17", "", false),
];

#[test]
fn every_form_in_the_table_is_read() {
    let mut failures = Vec::new();
    for &(text, want_date, want_time, implied) in TABLE {
        let asked = read_asked(text, now());
        let got = asked
            .as_ref()
            .map(|a| (a.date, a.time, a.year_implied))
            .unwrap_or((NaiveDate::MIN, None, false));
        let want_time = (!want_time.is_empty()).then(|| time(want_time));
        if got != (date(want_date), want_time, implied) {
            failures.push(format!("{text:?}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dates_that_do_not_exist_are_not_read() {
    for text in [
        "2月30日",
        "2015年2月30日",
        "2015-02-30",
        "2/30/2015",
        "13/13/2015",
        "平成32年1月1日",
        "平成31年5月1日",
        "令和元年4月30日",
        "H32.1.1",
        "R0.1.1",
        "13月1日",
        "June 31",
        "4/31",
    ] {
        assert_eq!(read_asked(text, now()), None, "{text}");
        assert_eq!(
            parse_when(text, now()),
            Err(DateError::NoSuchDate),
            "{text}"
        );
    }
    for text in ["25時", "10:75", "13pm"] {
        let asked = read_asked(text, now());
        assert!(asked.is_none(), "{text}: {asked:?}");
        assert_eq!(
            parse_when(text, now()),
            Err(DateError::NoSuchDate),
            "{text}"
        );
    }
}

#[test]
fn words_that_are_not_dates_stay_words() {
    for text in [
        "30日以内に支払う必要がありますか",
        "支払期日は何日ですか",
        "24時間対応ですか",
        "0120-07-2004",
        "version 3.9.6",
        "May I call you?",
        "営業時間を教えて",
        "土日は休みですか",
        "年末年始の休み",
        "PWCS の電話番号",
        "August 2015",
        "2015年",
        "令和8年",
        "1.5",
        "営業時間は9:00~12:00ですか",
        "受付は9時〜17時ですか",
        "open 9:00-17:00?",
    ] {
        assert_eq!(read_asked(text, now()), None, "{text}");
    }
}

#[test]
fn year_less_dates_around_new_year() {
    let new_years_eve = at(2026, 12, 31, 15, 0);
    let read = |text: &str| read_asked(text, new_years_eve).map(|a| a.date);
    assert_eq!(read("1月2日"), Some(date("2027-01-02")));
    assert_eq!(read("12月31日"), Some(date("2026-12-31")));
    assert_eq!(read("12月30日"), Some(date("2027-12-30")));
    assert_eq!(read("明日"), Some(date("2027-01-01")));
    assert_eq!(read("Jan 4"), Some(date("2027-01-04")));
    assert_eq!(read("next Monday"), Some(date("2027-01-04")));
    // A time already past today moves to tomorrow, across the year.
    let asked = read_asked("10時に電話できますか", new_years_eve).expect("time");
    assert_eq!(asked.date, date("2027-01-01"));
    // A topic may put a year-less date in its own year.
    let asked = read_asked("6/30までに更新", new_years_eve).expect("date");
    assert!(asked.year_implied);
    assert_eq!(asked.date_in_year(2015), date("2015-06-30"));
    let leap = read_asked("2月29日", new_years_eve).expect("date");
    assert_eq!(leap.date, date("2028-02-29"));
    assert_eq!(leap.date_in_year(2015), date("2028-02-29"));
}

#[test]
fn spans_cover_what_was_read_and_masking_drops_it() {
    let text = "12月30日の10時に電話できますか？";
    let asked = read_asked(text, now()).expect("asked");
    let read: Vec<&str> = asked
        .spans
        .iter()
        .filter_map(|s| text.get(s.clone()))
        .collect();
    assert_eq!(read, ["12月30日", "10時"]);
    assert_eq!(mask_dates(text), " の10時に電話できますか？");
    assert!(!mask_dates(text).contains("30日"));
    let text = "Can I call tomorrow at 4:30pm?";
    let asked = read_asked(text, now()).expect("asked");
    let read: Vec<&str> = asked
        .spans
        .iter()
        .filter_map(|s| text.get(s.clone()))
        .collect();
    assert_eq!(read, ["tomorrow", "4:30pm"]);
    // Full-width text keeps its own byte offsets.
    let text = "２０１５年８月１５日の更新";
    let asked = read_asked(text, now()).expect("asked");
    assert_eq!(
        text.get(asked.spans[0].clone()),
        Some("２０１５年８月１５日")
    );
    assert_eq!(mask_dates("30日以内"), "30日以内");
}

#[test]
fn whole_arguments_are_one_date_or_refused() {
    for text in [
        "2015-08-15",
        "2015/8/15",
        "8/15/2015",
        "2015年8月15日",
        "平成27年8月15日",
        "H27.8.15",
        "Aug 15 2015",
        "August 15, 2015",
        " 2015年 8月 15日 ",
    ] {
        let asked = parse_when(text, now()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(asked.date, date("2015-08-15"), "{text}");
        assert!(!asked.year_implied && asked.time.is_none(), "{text}");
    }
    let asked = parse_when("明日の12時半", now()).expect("relative");
    assert_eq!(asked.local(), Some(at(2026, 6, 17, 12, 30)));
    let asked = parse_when("2026-06-17 10:00", now()).expect("date and time");
    assert_eq!(asked.local(), Some(at(2026, 6, 17, 10, 0)));
    let asked = parse_when("tomorrow at 4pm", now()).expect("english");
    assert_eq!(asked.local(), Some(at(2026, 6, 17, 16, 0)));
    assert_eq!(parse_when("", now()), Err(DateError::Empty));
    assert_eq!(parse_when("   ", now()), Err(DateError::Empty));
    for text in [
        "2015-08-15 please",
        "soon",
        "2015-08",
        "2015-08-15 2015-08-16",
        "更新日",
        "15",
        "2015",
        "x2015-08-15",
        "9:00~12:00",
    ] {
        assert_eq!(parse_when(text, now()), Err(DateError::NotADate), "{text}");
    }
}

/// Deterministic pseudo-random text from the characters dates are made of.
fn noise(seed: u64, len: usize) -> String {
    const ALPHABET: &[&str] = &[
        "0",
        "1",
        "2",
        "9",
        "12",
        "31",
        "2015",
        "99999999999999999999",
        "/",
        "-",
        ".",
        ":",
        "年",
        "月",
        "日",
        "時",
        "半",
        "分",
        "午前",
        "午後",
        "正午",
        "平成",
        "令和",
        "元",
        "H",
        "R",
        "明日",
        "来週",
        "今週",
        "月曜",
        "曜",
        "の",
        " ",
        "am",
        "pm",
        "p.m.",
        "Aug",
        "May",
        "next",
        "this",
        "Monday",
        "tomorrow",
        "noon",
        "th",
        ",",
        "(",
        ")",
        "（水）",
        "２",
        "／",
        "㍻",
        "\u{0}",
        "\u{301}",
        "🙂",
        "ｱ",
        "\n",
    ];
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::new();
    for _ in 0..len {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = (state >> 33) as usize % ALPHABET.len();
        out.push_str(ALPHABET[pick]);
    }
    out
}

#[test]
fn random_input_never_panics() {
    let instants = [
        now(),
        at(2026, 12, 31, 23, 59),
        at(1900, 1, 1, 0, 0),
        at(2199, 12, 31, 23, 59),
        NaiveDateTime::MAX,
        NaiveDateTime::MIN,
    ];
    for seed in 0..4_000u64 {
        let text = noise(seed, (seed as usize * 7) % 60);
        let now = instants[seed as usize % instants.len()];
        if let Some(asked) = read_asked(&text, now) {
            for span in &asked.spans {
                assert!(text.get(span.clone()).is_some(), "{text:?} {span:?}");
            }
        }
        let _ = parse_when(&text, now);
        let _ = mask_dates(&text);
        let _ = partnerdesk_knowledge::extract_date(&text);
    }
    let huge = noise(1, 20_000);
    let _ = read_asked(&huge, now());
    let _ = parse_when(&huge, now());
}
