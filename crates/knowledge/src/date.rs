//! The one date and time parser of partnerdesk: chat questions, the CLI (`renewal explain`,
//! `payment explain`, `hours --at`) and the contracts CSV all read dates through this module, so
//! a form accepted in one place is accepted in all.
//!
//! It is pure: "now" is an argument (a local date and time in the user's zone), never read
//! from a clock. Three entry points:
//! - [`read_asked`]: the instant a free-text question asks about (first date, first time), with
//!   the byte spans of every date and time written, so a matcher can ignore them
//!   ([`mask_dates`]: "12月30日の10時に電話できますか？" must not look like payment terms' "30日").
//! - [`parse_when`]: a whole argument that must be one date and/or time (CLI, CSV).
//! - [`extract_date`]: the first date whose year is written (kept for older callers).
//!
//! Dates (full-width digits and letters too):
//! - with a year: `2015-08-15`, `2015/8/15`, `2015.8.15`, `2015年8月15日` (also `2015年の8月15日`,
//!   `2015 年 8 月 15 日`), `8/15/2015` (US order; `15/8/2015` day-first because 15 is no
//!   month), `August 15, 2015`, `Aug. 15th 2015`, `15 Aug 2015`, `15th of August, 2015`;
//!   Japanese eras `平成27年8月15日`, `令和元年5月1日`, `H27.8.15`, `R8.1.5`, `S64.1.7`, `㍻27年…`
//!   (a date outside its era, `平成32年…`, is no date);
//! - without a year: `8月15日`, `8/15`, `Aug 15`, `August 15th`, `15 Aug`: the next such day
//!   on or after today ([`Asked::year_implied`] tells the caller, who may know better:
//!   renewal and payment questions mean the transition year);
//! - relative: `今日` `本日` `明日` `明後日` `昨日` `一昨日`, `今週金曜` `来週月曜(日)` `再来週` `先週`
//!   `次の月曜`, a bare `金曜日` (the coming one); `today` `tomorrow` `yesterday`
//!   `the day after tomorrow`, `Monday`, `this Friday`, `next Monday`, `last Friday`.
//!   Weeks start on Monday: `来週月曜` / `next Monday` is the Monday of next week.
//!
//! Times: `10時`, `10時30分`, `12時半`, `午前10時`, `午後4時半`, `朝9時`, `夕方5時`, `正午`,
//! `10:00`, `16:30:00`, `4:30pm`, `4 p.m.`, `10 am`, `noon`, `midday`, `4 o'clock`. An hour from
//! 1 to 6 with no 午前/午後/am/pm is read as the afternoon (`4時` is 16:00): people ask an office
//! about its day, not about 4 in the morning. A range (`9:00~12:00`, `9時-17時`) quotes hours and
//! asks no time.
//!
//! A date that does not exist (`2月30日`, `2015-02-30`, `平成32年1月1日`) is refused, never a
//! panic; in free text it is skipped (and its span still masked).

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use unicode_normalization::UnicodeNormalization;

/// Years outside this range are not dates people mean here (and keep `0120-07-2004`, a phone
/// number, from being read as the year 120).
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2199;

/// Longest text scanned: dates sit in short questions; this bounds the work on huge input.
const MAX_SCAN_BYTES: usize = 16 * 1024;

/// What a text asks about: a date (resolved against "now") and maybe a time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The asked day. When only a time was written, the next day that time comes (today if it
    /// is still ahead).
    pub date: NaiveDate,
    /// The asked time of day, if one was written.
    pub time: Option<NaiveTime>,
    /// A date was written (false when only a time was: "10時に電話できますか").
    pub date_written: bool,
    /// The date was written without a year (`8月15日`, `Aug 15`, `6/30`): [`Self::date`] is its
    /// next occurrence; [`Self::date_in_year`] puts it in a year the topic implies.
    pub year_implied: bool,
    /// Byte ranges of `text` holding every date and time mention (also ones not used).
    pub spans: Vec<Range<usize>>,
}

impl Asked {
    /// The asked date, with `year` when the text wrote none (Feb 29 in a year without it keeps
    /// the next occurrence).
    pub fn date_in_year(&self, year: i32) -> NaiveDate {
        if !self.year_implied {
            return self.date;
        }
        NaiveDate::from_ymd_opt(year, self.date.month(), self.date.day()).unwrap_or(self.date)
    }

    /// The asked local date and time, when a time was written.
    pub fn local(&self) -> Option<NaiveDateTime> {
        self.time.map(|t| self.date.and_time(t))
    }
}

/// Why a text is not one date (and time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Nothing to read.
    Empty,
    /// Written like a date but the day does not exist (`2月30日`, `平成32年1月1日`, `25時`).
    NoSuchDate,
    /// Not a date in any accepted form (or more than one date, or other words around it).
    NotADate,
}

/// One form per line of what [`parse_when`] accepts, for refusals ("use one of: …").
pub const ACCEPTED_FORMS: &str = "2015-08-15, 2015/8/15, 8/15/2015, 2015年8月15日, \
平成27年8月15日, H27.8.15, Aug 15 2015, 15 August 2015, 8月15日, 明日, tomorrow, next Monday";

/// The instant `text` asks about, relative to `now` (local date and time in the user's zone);
/// `None` when it names no date or time. The first date and the first time written are used;
/// `spans` lists them all. Never panics.
pub fn read_asked(text: &str, now: NaiveDateTime) -> Option<Asked> {
    let scan = scan(text);
    asked_from(&scan, now)
}

/// `text` with every date mention replaced by a space, for matching words without mistaking
/// "30日" (the 30th) for "30日" (30 days). Times stay: "noon", "午後" are cues of the hours topic,
/// and no cue word is made of a clock time.
pub fn mask_dates(text: &str) -> String {
    let scan = scan(text);
    if scan.dates.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    // Mentions come in text order and never overlap.
    for span in scan.dates.iter().map(|d| &d.span) {
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push(' ');
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// A whole argument read as one date and/or one time relative to `now`: everything in it must
/// be part of the date or time (or a joining word: の, に, at, on, `T`, a comma). Used by the
/// CLI and the CSV import.
pub fn parse_when(text: &str, now: NaiveDateTime) -> Result<Asked, DateError> {
    if text.trim().is_empty() {
        return Err(DateError::Empty);
    }
    if text.len() > MAX_SCAN_BYTES {
        return Err(DateError::NotADate);
    }
    let scan = scan(text);
    let invalid = scan.dates.iter().any(|d| d.kind == DateKind::Invalid)
        || scan.times.iter().any(|t| t.time.is_none());
    let covered = |tok: &Tok| {
        scan.dates
            .iter()
            .map(|d| &d.span)
            .chain(scan.times.iter().map(|t| &t.span))
            .any(|s| s.start <= tok.start && tok.end <= s.end)
    };
    let leftover = scan
        .toks
        .iter()
        .any(|tok| !covered(tok) && !is_joiner(&tok.kind));
    if invalid && !leftover {
        return Err(DateError::NoSuchDate);
    }
    let ranges = scan.times.iter().any(|t| t.range);
    if leftover || ranges || scan.dates.len() > 1 || scan.times.len() > 1 {
        return Err(DateError::NotADate);
    }
    asked_from(&scan, now).ok_or(DateError::NotADate)
}

/// The first valid calendar date written with its year in `text`, if any (no "now" needed).
pub fn extract_date(text: &str) -> Option<NaiveDate> {
    scan(text).dates.iter().find_map(|d| match d.kind {
        DateKind::Full(date) => Some(date),
        _ => None,
    })
}

fn asked_from(scan: &Scan, now: NaiveDateTime) -> Option<Asked> {
    let today = now.date();
    let date = scan.dates.iter().find_map(|d| resolve(d.kind, today));
    let time = scan.times.iter().filter(|t| !t.range).find_map(|t| t.time);
    let spans: Vec<Range<usize>> = scan
        .dates
        .iter()
        .map(|d| d.span.clone())
        .chain(scan.times.iter().map(|t| t.span.clone()))
        .collect();
    match (date, time) {
        (Some((date, year_implied)), time) => Some(Asked {
            date,
            time,
            date_written: true,
            year_implied,
            spans,
        }),
        (None, Some(time)) => {
            let date = if time >= now.time() {
                today
            } else {
                today.succ_opt()?
            };
            Some(Asked {
                date,
                time: Some(time),
                date_written: false,
                year_implied: false,
                spans,
            })
        }
        (None, None) => None,
    }
}

/// A date mention resolved against `today`: the date, and whether its year was implied.
fn resolve(kind: DateKind, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    match kind {
        DateKind::Full(date) => Some((date, false)),
        DateKind::YearLess { month, day } => {
            // The next such day on or after today; Feb 29 waits for a leap year.
            (0..=8).find_map(|ahead| {
                let date = NaiveDate::from_ymd_opt(today.year() + ahead, month, day)?;
                (date >= today).then_some((date, true))
            })
        }
        DateKind::Relative(days) => {
            let date = if days >= 0 {
                today.checked_add_days(Days::new(days.unsigned_abs()))
            } else {
                today.checked_sub_days(Days::new(days.unsigned_abs()))
            }?;
            Some((date, false))
        }
        DateKind::Weekday { day, week } => {
            let now_wd = i64::from(today.weekday().num_days_from_monday());
            let target = i64::from(day.num_days_from_monday());
            let delta = match week {
                Week::Coming => (target - now_wd).rem_euclid(7),
                Week::This => target - now_wd,
                Week::Next => 7 - now_wd + target,
                Week::AfterNext => 14 - now_wd + target,
                Week::Last => target - now_wd - 7,
            };
            resolve(DateKind::Relative(delta), today)
        }
        DateKind::Invalid => None,
    }
}

// ----------------------------------------------------------------------------------------------
// Scanning

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateKind {
    /// Year written (digits or era).
    Full(NaiveDate),
    YearLess {
        month: u32,
        day: u32,
    },
    /// Days from today.
    Relative(i64),
    Weekday {
        day: Weekday,
        week: Week,
    },
    /// Written like a date, but no such day.
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Week {
    /// The next such weekday, today included.
    Coming,
    This,
    Next,
    AfterNext,
    Last,
}

#[derive(Debug)]
struct DateMention {
    kind: DateKind,
    span: Range<usize>,
}

#[derive(Debug)]
struct TimeMention {
    /// `None`: written like a time but there is no such time (`25時`).
    time: Option<NaiveTime>,
    span: Range<usize>,
    /// One end of a range (`9:00~12:00`): quoted hours, not an asked time.
    range: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A run of ASCII digits: value (saturated) and number of digits.
    Num(i64, usize),
    /// A run of ASCII letters, lowercased.
    Word(String),
    /// Any other character (kanji, kana, punctuation).
    Ch(char),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    /// Byte range in the original text.
    start: usize,
    end: usize,
}

struct Scan {
    toks: Vec<Tok>,
    dates: Vec<DateMention>,
    times: Vec<TimeMention>,
}

fn scan(text: &str) -> Scan {
    let toks = tokenize(text);
    let mut dates = Vec::new();
    let mut times = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((kind, next)) = date_at(&toks, i) {
            let next = skip_weekday_note(&toks, next);
            dates.push(DateMention {
                kind,
                span: span_of(&toks, i, next),
            });
            i = next;
        } else if let Some((time, next)) = time_at(&toks, i) {
            let dash = ['~', '〜', '-', '–', '—', '～']
                .iter()
                .find_map(|&c| ch(&toks, next, c));
            let until = dash.and_then(|after| time_at(&toks, after).map(|t| (after, t)));
            times.push(TimeMention {
                time,
                span: span_of(&toks, i, next),
                range: until.is_some(),
            });
            i = next;
            if let Some((after, (end, stop))) = until {
                times.push(TimeMention {
                    time: end,
                    span: span_of(&toks, after, stop),
                    range: true,
                });
                i = stop;
            }
        } else {
            i += 1;
        }
    }
    Scan { toks, dates, times }
}

fn span_of(toks: &[Tok], from: usize, to: usize) -> Range<usize> {
    let start = toks.get(from).map_or(0, |t| t.start);
    let end = to
        .checked_sub(1)
        .and_then(|last| toks.get(last))
        .map_or(start, |t| t.end);
    start..end.max(start)
}

/// Full-width ASCII and compatibility forms (`２０１５`, `Ａｕｇ`, `㍻`) folded to what they
/// mean, each folded character keeping the byte range of the original one.
fn folded_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut end = text.len().min(MAX_SCAN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = Vec::with_capacity(end);
    for (start, c) in text[..end].char_indices() {
        let stop = start + c.len_utf8();
        if c.is_ascii() {
            out.push((c.to_ascii_lowercase(), start, stop));
        } else if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
            let ascii = char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c);
            out.push((ascii.to_ascii_lowercase(), start, stop));
        } else if c == '\u{3000}' {
            out.push((' ', start, stop));
        } else if ('\u{3300}'..='\u{33FF}').contains(&c) || ('\u{3200}'..='\u{32FF}').contains(&c) {
            // Squared forms: ㍻ (平成), ㋿ (令和), ㍼ (昭和).
            for f in std::iter::once(c).nfkc() {
                out.push((f.to_ascii_lowercase(), start, stop));
            }
        } else {
            out.push((c, start, stop));
        }
    }
    out
}

fn tokenize(text: &str) -> Vec<Tok> {
    let chars = folded_chars(text);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&(c, start, _)) = chars.get(i) {
        if c.is_ascii_digit() {
            let mut value: i64 = 0;
            let mut len = 0usize;
            let mut end = start;
            while let Some(&(d, _, e)) = chars.get(i).filter(|(d, _, _)| d.is_ascii_digit()) {
                value = value
                    .saturating_mul(10)
                    .saturating_add(i64::from(d.to_digit(10).unwrap_or(0)));
                len += 1;
                end = e;
                i += 1;
            }
            toks.push(Tok {
                kind: Kind::Num(value, len),
                start,
                end,
            });
        } else if c.is_ascii_alphabetic() {
            let mut word = String::new();
            let mut end = start;
            while let Some(&(w, _, e)) = chars.get(i).filter(|(w, _, _)| w.is_ascii_alphabetic()) {
                word.push(w);
                end = e;
                i += 1;
            }
            toks.push(Tok {
                kind: Kind::Word(word),
                start,
                end,
            });
        } else {
            let end = chars.get(i).map_or(start, |&(_, _, e)| e);
            i += 1;
            if !c.is_whitespace() {
                toks.push(Tok {
                    kind: Kind::Ch(c),
                    start,
                    end,
                });
            }
        }
    }
    toks
}

// Token helpers: each returns the index after what it matched.

fn ch(t: &[Tok], i: usize, c: char) -> Option<usize> {
    matches!(t.get(i), Some(Tok { kind: Kind::Ch(x), .. }) if *x == c).then_some(i + 1)
}

fn lit(t: &[Tok], i: usize, s: &str) -> Option<usize> {
    s.chars().try_fold(i, |at, c| ch(t, at, c))
}

fn word(t: &[Tok], i: usize) -> Option<&str> {
    match t.get(i) {
        Some(Tok {
            kind: Kind::Word(w),
            ..
        }) => Some(w.as_str()),
        _ => None,
    }
}

fn is_word(t: &[Tok], i: usize, w: &str) -> Option<usize> {
    (word(t, i) == Some(w)).then_some(i + 1)
}

/// A number of `digits` digits (1..=2 means one or two).
fn num(t: &[Tok], i: usize, digits: std::ops::RangeInclusive<usize>) -> Option<(i64, usize)> {
    match t.get(i) {
        Some(Tok {
            kind: Kind::Num(v, len),
            ..
        }) if digits.contains(len) => Some((*v, i + 1)),
        _ => None,
    }
}

fn sep(t: &[Tok], i: usize) -> Option<(char, usize)> {
    match t.get(i) {
        Some(Tok {
            kind: Kind::Ch(c @ ('-' | '/' | '.')),
            ..
        }) => Some((*c, i + 1)),
        _ => None,
    }
}

/// Particles and punctuation people put between 年, 月 and 日: `2015年の8月15日`.
fn skip_fillers(t: &[Tok], mut i: usize) -> usize {
    while ch(t, i, 'の').is_some() || ch(t, i, '、').is_some() || ch(t, i, ',').is_some() {
        i += 1;
    }
    i
}

/// Tokens that may join a date and a time in an argument ("2015-06-17T10:00", "明日の10時").
fn is_joiner(kind: &Kind) -> bool {
    match kind {
        Kind::Ch(c) => matches!(c, 'の' | 'に' | '、' | ',' | '。' | '.' | '?' | '？'),
        Kind::Word(w) => matches!(w.as_str(), "at" | "on" | "t" | "the"),
        Kind::Num(..) => false,
    }
}

fn ordinal_suffix(t: &[Tok], i: usize) -> usize {
    match word(t, i) {
        Some("st" | "nd" | "rd" | "th") => i + 1,
        _ => i,
    }
}

fn ymd(y: i64, m: i64, d: i64) -> DateKind {
    if !YEARS.contains(&y) {
        return DateKind::Invalid;
    }
    let date = i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?));
    date.map_or(DateKind::Invalid, DateKind::Full)
}

fn month_day(m: i64, d: i64) -> DateKind {
    // Checked against a leap year so that 2月29日 is a date (its next occurrence).
    let valid = u32::try_from(m)
        .ok()
        .zip(u32::try_from(d).ok())
        .filter(|&(m, d)| NaiveDate::from_ymd_opt(2028, m, d).is_some());
    match valid {
        Some((month, day)) => DateKind::YearLess { month, day },
        None => DateKind::Invalid,
    }
}

/// A day as `(year, month, day)`, for the era table.
type Ymd = (i32, u32, u32);

/// Japanese eras: name, romanized letter, first day, last day.
const ERAS: &[(&str, &str, Ymd, Ymd)] = &[
    ("令和", "r", (2019, 5, 1), (2199, 12, 31)),
    ("平成", "h", (1989, 1, 8), (2019, 4, 30)),
    ("昭和", "s", (1926, 12, 25), (1989, 1, 7)),
    ("大正", "t", (1912, 7, 30), (1926, 12, 25)),
];

fn era_date(era: usize, year: i64, m: i64, d: i64) -> DateKind {
    let Some(&(_, _, first, last)) = ERAS.get(era) else {
        return DateKind::Invalid;
    };
    if !(1..=99).contains(&year) {
        return DateKind::Invalid;
    }
    let kind = ymd(i64::from(first.0) + year - 1, m, d);
    let bounds = NaiveDate::from_ymd_opt(first.0, first.1, first.2)
        .zip(NaiveDate::from_ymd_opt(last.0, last.1, last.2));
    match (kind, bounds) {
        (DateKind::Full(date), Some((from, to))) if from <= date && date <= to => kind,
        _ => DateKind::Invalid,
    }
}

/// `m月d日` after a year: `(month, day, next)`; 日 may be left out.
fn kanji_month_day(t: &[Tok], i: usize) -> Option<(i64, i64, usize)> {
    let (m, i) = num(t, i, 1..=2)?;
    let i = ch(t, i, '月')?;
    let i = skip_fillers(t, i);
    let (d, i) = num(t, i, 1..=2)?;
    // "15時" after 月 is a time, not a day.
    if ch(t, i, '時').is_some() || ch(t, i, ':').is_some() {
        return None;
    }
    Some((m, d, ch(t, i, '日').unwrap_or(i)))
}

/// A date starting exactly at `t[i]`: its kind and the index after it.
fn date_at(t: &[Tok], i: usize) -> Option<(DateKind, usize)> {
    // Era by name: 平成27年8月15日, 令和元年5月1日.
    for (e, (name, letter, _, _)) in ERAS.iter().enumerate() {
        if let Some(at) = lit(t, i, name) {
            let (year, at) = match num(t, at, 1..=2) {
                Some(found) => found,
                None => (1, ch(t, at, '元')?),
            };
            let at = ch(t, at, '年')?;
            let at = skip_fillers(t, at);
            let (m, d, next) = kanji_month_day(t, at)?;
            return Some((era_date(e, year, m, d), next));
        }
        // Era by letter: H27.8.15, R8/1/5.
        if let Some(at) = is_word(t, i, letter) {
            let (year, at) = num(t, at, 1..=2)?;
            let (s1, at) = sep(t, at)?;
            let (m, at) = num(t, at, 1..=2)?;
            let (s2, at) = sep(t, at)?;
            let (d, next) = num(t, at, 1..=2)?;
            if s1 != s2 {
                return None;
            }
            return Some((era_date(e, year, m, d), next));
        }
    }
    if let Some(found) = numeric_date_at(t, i) {
        return Some(found);
    }
    if let Some(found) = month_name_date_at(t, i) {
        return Some(found);
    }
    relative_at(t, i)
}

fn numeric_date_at(t: &[Tok], i: usize) -> Option<(DateKind, usize)> {
    // A number right after a separator and a number continues something else ("2015-8/15").
    let continues = i >= 2 && sep(t, i - 1).is_some() && num(t, i - 2, 1..=8).is_some();
    if let Some((y, at)) = num(t, i, 4..=4) {
        // 2015-08-15, 2015/8/15, 2015.8.15
        if let Some((s1, at)) = sep(t, at) {
            let (m, at) = num(t, at, 1..=2)?;
            let (s2, at) = sep(t, at)?;
            let (d, next) = num(t, at, 1..=2)?;
            return (s1 == s2).then(|| (ymd(y, m, d), next));
        }
        // 2015年8月15日, 2015年の8月15日
        let at = ch(t, at, '年')?;
        let at = skip_fillers(t, at);
        let (m, d, next) = kanji_month_day(t, at)?;
        return Some((ymd(y, m, d), next));
    }
    let (a, at) = num(t, i, 1..=2)?;
    // 8月15日
    if ch(t, at, '月').is_some() {
        let (m, d, next) = kanji_month_day(t, i)?;
        return Some((month_day(m, d), next));
    }
    if continues {
        return None;
    }
    let (s1, at) = sep(t, at)?;
    let (b, at) = num(t, at, 1..=2)?;
    // 8/15/2015 (US), or 15/8/2015 when the first number cannot be a month.
    if let Some((s2, after)) = sep(t, at) {
        let (y, next) = num(t, after, 4..=4)?;
        if s1 != s2 {
            return None;
        }
        return Some((if a > 12 { ymd(y, b, a) } else { ymd(y, a, b) }, next));
    }
    // 8/15 with no year; only with a slash ("1.5" is a number, "07-2004" a phone).
    if s1 == '/' {
        return Some((month_day(a, b), at));
    }
    None
}

fn month_of(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word == "sept" {
        return Some(9);
    }
    NAMES.iter().zip(1u32..).find_map(|(name, n)| {
        let abbreviation = word.len() == 3 && name.starts_with(word);
        (word == *name || abbreviation).then_some(n)
    })
}

/// An optional `, 2015` / `2015` after a day: the year and the index after it.
fn trailing_year(t: &[Tok], i: usize) -> (Option<i64>, usize) {
    let at = ch(t, i, ',').unwrap_or(i);
    match num(t, at, 4..=4) {
        Some((y, next)) => (Some(y), next),
        None => (None, i),
    }
}

fn month_name_date_at(t: &[Tok], i: usize) -> Option<(DateKind, usize)> {
    let dated = |m: u32, d: i64, year: Option<i64>| match year {
        Some(y) => ymd(y, i64::from(m), d),
        None => month_day(i64::from(m), d),
    };
    // August 15, 2015 / Aug. 15th 2015 / Aug 15
    if let Some(m) = word(t, i).and_then(month_of) {
        let at = ch(t, i + 1, '.').unwrap_or(i + 1);
        let (d, at) = num(t, at, 1..=2)?;
        // "May 10 am" is a month and a day, then a time; "May 10:00" is not a day.
        if ch(t, at, ':').is_some() || ch(t, at, '時').is_some() {
            return None;
        }
        let at = ordinal_suffix(t, at);
        let (year, next) = trailing_year(t, at);
        return Some((dated(m, d, year), next));
    }
    // 15 August 2015 / 15th of Aug, 2015 / 15 Aug
    let (d, at) = num(t, i, 1..=2)?;
    let at = ordinal_suffix(t, at);
    let at = is_word(t, at, "of").unwrap_or(at);
    let m = word(t, at).and_then(month_of)?;
    let at = ch(t, at + 1, '.').unwrap_or(at + 1);
    let (year, next) = trailing_year(t, at);
    Some((dated(m, d, year), next))
}

const WEEKDAYS_JA: [(char, Weekday); 7] = [
    ('月', Weekday::Mon),
    ('火', Weekday::Tue),
    ('水', Weekday::Wed),
    ('木', Weekday::Thu),
    ('金', Weekday::Fri),
    ('土', Weekday::Sat),
    ('日', Weekday::Sun),
];

fn weekday_en(word: &str, abbreviations: bool) -> Option<Weekday> {
    const FULL: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    FULL.iter().find_map(|&(name, day)| {
        let short = abbreviations && word.len() >= 3 && name.starts_with(word);
        (word == name || short).then_some(day)
    })
}

fn relative_at(t: &[Tok], i: usize) -> Option<(DateKind, usize)> {
    // Japanese days, longest first (明後日 before 明日).
    const DAYS_JA: [(&str, i64); 10] = [
        ("一昨日", -2),
        ("おととい", -2),
        ("明後日", 2),
        ("あさって", 2),
        ("今日", 0),
        ("本日", 0),
        ("きょう", 0),
        ("明日", 1),
        ("あした", 1),
        ("昨日", -1),
    ];
    for (text, days) in DAYS_JA {
        if let Some(next) = lit(t, i, text) {
            return Some((DateKind::Relative(days), next));
        }
    }
    // 来週月曜(日), 今週の金曜日, 次の月曜, 金曜日
    const WEEKS_JA: [(&str, Week); 6] = [
        ("再来週", Week::AfterNext),
        ("来週", Week::Next),
        ("今週", Week::This),
        ("先週", Week::Last),
        ("次の", Week::Coming),
        ("今度の", Week::Coming),
    ];
    let (week, at) = WEEKS_JA
        .iter()
        .find_map(|&(text, week)| lit(t, i, text).map(|at| (week, at)))
        .map_or((Week::Coming, i), |(week, at)| (week, skip_fillers(t, at)));
    for (c, day) in WEEKDAYS_JA {
        if let Some(next) = ch(t, at, c).and_then(|at| ch(t, at, '曜')) {
            return Some((
                DateKind::Weekday { day, week },
                ch(t, next, '日').unwrap_or(next),
            ));
        }
    }
    // English.
    let w = word(t, i)?;
    match w {
        "today" | "tonight" => return Some((DateKind::Relative(0), i + 1)),
        "tomorrow" => return Some((DateKind::Relative(1), i + 1)),
        "yesterday" => return Some((DateKind::Relative(-1), i + 1)),
        "day" => {
            let at = is_word(t, i + 1, "after")?;
            let next = is_word(t, at, "tomorrow")?;
            return Some((DateKind::Relative(2), next));
        }
        _ => {}
    }
    let prefixed = match w {
        "next" => Some(Week::Next),
        "this" => Some(Week::This),
        "coming" => Some(Week::Coming),
        "last" => Some(Week::Last),
        _ => None,
    };
    if let Some(week) = prefixed {
        let at = is_word(t, i + 1, "week").map_or(i + 1, |at| is_word(t, at, "on").unwrap_or(at));
        let day = word(t, at).and_then(|w| weekday_en(w, true))?;
        return Some((DateKind::Weekday { day, week }, at + 1));
    }
    let day = weekday_en(w, false)?;
    Some((
        DateKind::Weekday {
            day,
            week: Week::Coming,
        },
        i + 1,
    ))
}

/// `(水)` / `(Wed)` after a date belongs to it.
fn skip_weekday_note(t: &[Tok], i: usize) -> usize {
    let Some(at) = ch(t, i, '(').or_else(|| ch(t, i, '（')) else {
        return i;
    };
    let inner = if WEEKDAYS_JA.iter().any(|&(c, _)| ch(t, at, c).is_some()) {
        let at = at + 1;
        let at = ch(t, at, '曜').unwrap_or(at);
        ch(t, at, '日').unwrap_or(at)
    } else if word(t, at).is_some_and(|w| weekday_en(w, true).is_some()) {
        at + 1
    } else {
        return i;
    };
    ch(t, inner, ')')
        .or_else(|| ch(t, inner, '）'))
        .unwrap_or(i)
}

// ----------------------------------------------------------------------------------------------
// Times

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
    /// Not said: 1 to 6 o'clock is the afternoon.
    Unsaid,
}

fn clock(h: i64, m: i64, s: i64, meridiem: Meridiem) -> Option<NaiveTime> {
    let h = match meridiem {
        Meridiem::Am if h == 12 => 0,
        Meridiem::Am if (0..=12).contains(&h) => h,
        Meridiem::Pm if (1..=11).contains(&h) => h + 12,
        Meridiem::Pm if h == 12 => h,
        Meridiem::Unsaid if (1..=6).contains(&h) => h + 12,
        Meridiem::Unsaid => h,
        _ => return None,
    };
    NaiveTime::from_hms_opt(
        u32::try_from(h).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(s).ok()?,
    )
}

/// `am`, `pm`, `a.m.`, `p.m.` at `i`.
fn meridiem_suffix(t: &[Tok], i: usize) -> Option<(Meridiem, usize)> {
    let m = match word(t, i)? {
        "am" => return Some((Meridiem::Am, ch(t, i + 1, '.').unwrap_or(i + 1))),
        "pm" => return Some((Meridiem::Pm, ch(t, i + 1, '.').unwrap_or(i + 1))),
        "a" => Meridiem::Am,
        "p" => Meridiem::Pm,
        _ => return None,
    };
    let at = ch(t, i + 1, '.')?;
    let at = is_word(t, at, "m")?;
    Some((m, ch(t, at, '.').unwrap_or(at)))
}

fn time_at(t: &[Tok], i: usize) -> Option<(Option<NaiveTime>, usize)> {
    let noon = NaiveTime::from_hms_opt(12, 0, 0);
    if let Some(next) = lit(t, i, "正午") {
        return Some((noon, next));
    }
    if matches!(word(t, i), Some("noon" | "midday")) {
        return Some((noon, i + 1));
    }
    // Japanese prefix: 午前10時, 午後4時半, 朝9時, 夕方5時.
    const PREFIXES: [(&str, Meridiem); 6] = [
        ("午前", Meridiem::Am),
        ("午後", Meridiem::Pm),
        ("朝", Meridiem::Am),
        ("夕方", Meridiem::Pm),
        ("夜", Meridiem::Pm),
        ("昼", Meridiem::Pm),
    ];
    let (said, at) = PREFIXES
        .iter()
        .find_map(|&(p, m)| lit(t, i, p).map(|at| (m, skip_fillers(t, at))))
        .unwrap_or((Meridiem::Unsaid, i));
    // A time continues nothing: "1.10:00" or "10:00" after a colon is part of something else.
    let after_number = i >= 2
        && (ch(t, i - 1, ':').is_some() || ch(t, i - 1, '.').is_some())
        && num(t, i - 2, 1..=8).is_some();
    if at == i && after_number {
        return None;
    }
    let (h, after_hour) = num(t, at, 1..=2)?;
    // 10時, 10時30分, 12時半 (but not 24時間, a duration)
    if let Some(after) = ch(t, after_hour, '時') {
        if ch(t, after, '間').is_some() {
            return None;
        }
        if let Some(next) = ch(t, after, '半') {
            return Some((clock(h, 30, 0, said), next));
        }
        if let Some((m, after_m)) = num(t, after, 1..=2) {
            if let Some(next) = ch(t, after_m, '分') {
                return Some((clock(h, m, 0, said), next));
            }
        }
        let next = ch(t, after, 'ち')
            .and_then(|a| ch(t, a, 'ょ'))
            .and_then(|a| ch(t, a, 'う'));
        return Some((clock(h, 0, 0, said), next.unwrap_or(after)));
    }
    // 10:00, 16:30:00, 4:30pm
    if let Some(after) = ch(t, after_hour, ':') {
        let (m, at) = num(t, after, 2..=2)?;
        let (s, at) = match ch(t, at, ':').and_then(|a| num(t, a, 2..=2)) {
            Some(found) => found,
            None => (0, at),
        };
        let (meridiem, next) = match meridiem_suffix(t, at) {
            Some((m, next)) if said == Meridiem::Unsaid => (m, next),
            _ => (said, at),
        };
        return Some((clock(h, m, s, meridiem), next));
    }
    // 4pm, 10 a.m., 4 o'clock
    if said == Meridiem::Unsaid {
        if let Some((meridiem, next)) = meridiem_suffix(t, after_hour) {
            return Some((clock(h, 0, 0, meridiem), next));
        }
        let oclock = is_word(t, after_hour, "o")
            .and_then(|a| ch(t, a, '\''))
            .and_then(|a| is_word(t, a, "clock"));
        if let Some(next) = oclock {
            return Some((clock(h, 0, 0, Meridiem::Unsaid), next));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn accepted_shapes() {
        let aug15 = d(2015, 8, 15);
        for text in [
            "2015-08-15",
            "renewal on 2015/8/15?",
            "2015.8.15",
            "更新日は2015年8月15日です",
            "2015年 8月 15日",
            "2015 年 8 月 15 日",
            "2015年8月15",
            "８/１５/２０１５",
            "２０１５年８月１５日",
            "8/15/2015",
            "15/8/2015",
            "August 15, 2015",
            "Aug 15 2015",
            "aug. 15th, 2015",
            "15 August 2015",
            "15th Aug 2015",
            "on 15 aug, 2015 we renew",
        ] {
            assert_eq!(extract_date(text), aug15, "{text}");
        }
        assert_eq!(extract_date("Sept 30, 2015"), d(2015, 9, 30));
        assert_eq!(extract_date("May 1 2016"), d(2016, 5, 1));
    }

    #[test]
    fn rejects() {
        for text in [
            "2015-02-30",
            "2015年2月30日",
            "2/30/2015",
            "13/13/2015",
            "0120-07-2004",
            "平日 9:00~12:00 および 13:00~17:00、12/30~1/3",
            "2015-08",
            "August 2015",
            "99999999999999999999999-1-1",
            "",
            "🙂",
            "2015-8/15",
        ] {
            assert_eq!(extract_date(text), None, "{text}");
        }
    }

    #[test]
    fn first_valid_date_wins() {
        assert_eq!(extract_date("not 2015-02-30 but 2015-03-01"), d(2015, 3, 1));
    }

    #[test]
    fn huge_input_is_bounded() {
        let mut text = "あ".repeat(20_000);
        text.push_str("2015-08-15");
        assert_eq!(extract_date(&text), None);
        assert_eq!(extract_date(&format!("2015-08-15{text}")), d(2015, 8, 15));
    }

    #[test]
    fn masking_keeps_the_rest() {
        assert_eq!(
            mask_dates("12月30日の10時に電話できますか？"),
            " の10時に電話できますか？"
        );
        assert_eq!(mask_dates("30日以内に払う"), "30日以内に払う");
        assert_eq!(mask_dates("open tomorrow at 4pm?"), "open   at 4pm?");
    }
}
