//! Business calendar: when a contact desk is open, and business-day arithmetic.
//!
//! This module owns opening hours and closures. The default is the PartnerWorld Contact
//! Service (PWCS) as the registration guide states it: "窓口受付時間: 営業時間 平日 9:00~12:00
//! および 13:00~17:00 (祝日、日本 IBM 創立記念日、12/30~1/3 を除く)", in Asia/Tokyo. A calendar is a
//! value built from a [`CalendarConfig`], not a global, so another contact can have other hours.
//!
//! Rules:
//! - Opening periods are half-open: with `09:00-12:00` the desk is open at 09:00:00 exactly
//!   and closed at 12:00:00 exactly.
//! - A day is closed for one reason, chosen in this order: year-end closure, national holiday
//!   ([`crate::holiday`]), founding anniversary, extra closed day, weekend. So a holiday on a
//!   Sunday reports the holiday, and January 1 reports the year-end closure.
//! - Local times that a DST change skips or repeats are resolved by
//!   [`crate::zone`]'s rule (first occurrence; after a gap, the end of the gap).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::holiday::{japanese_holiday, Holiday};
use crate::zone::{local_naive, local_to_utc, parse_zone, rfc3339_in};

/// How far (in days) the calendar looks for the next open period or business day before it
/// gives up. Longer than any closure a sane configuration can express (a year-end closure is
/// at most a year), so `None` means "this calendar is never open".
const MAX_SCAN_DAYS: u64 = 800;

/// Largest `n` accepted by [`BusinessCalendar::add_business_days`] (about 400 years), so a
/// huge input fails fast instead of walking millions of days.
pub const MAX_BUSINESS_DAYS: u32 = 100_000;

const MINUTES_PER_DAY: u32 = 24 * 60;

/// Settings of one business calendar, as read from configuration.
///
/// ```toml
/// zone = "Asia/Tokyo"
/// hours = ["09:00-12:00", "13:00-17:00"]
/// anniversary = "06-17"                              # or false
/// year_end_closure = { from = "12-30", to = "01-03" } # or false
/// extra_closed_days = ["2026-08-14"]
/// ```
///
/// `anniversary` and `year_end_closure` can be turned off with `false` (or `null` in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarConfig {
    /// IANA time zone the hours are in.
    pub zone: String,
    /// Opening periods of a business day, `HH:MM-HH:MM`, in order, not overlapping.
    pub hours: Vec<String>,
    /// Founding anniversary `MM-DD`, closed every year (`02-29` only in leap years).
    #[serde(with = "off_or_value")]
    pub anniversary: Option<String>,
    /// Closure around the new year, `from` and `to` inclusive, `MM-DD`; may wrap the year.
    #[serde(with = "off_or_value")]
    pub year_end_closure: Option<YearEndClosureConfig>,
    /// One-off closed days, `YYYY-MM-DD` (a string, or a TOML date literal).
    #[serde(deserialize_with = "date_texts::deserialize")]
    pub extra_closed_days: Vec<String>,
    /// Closed on Japan's national holidays (substitute and citizens' holidays included). True
    /// for PWCS; a contact abroad sets false and lists its own closed days instead.
    pub national_holidays: bool,
}

/// Inclusive `MM-DD` bounds of the year-end closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEndClosureConfig {
    pub from: String,
    pub to: String,
}

impl Default for CalendarConfig {
    fn default() -> Self {
        Self {
            zone: "Asia/Tokyo".to_owned(),
            hours: vec!["09:00-12:00".to_owned(), "13:00-17:00".to_owned()],
            anniversary: Some("06-17".to_owned()),
            year_end_closure: Some(YearEndClosureConfig {
                from: "12-30".to_owned(),
                to: "01-03".to_owned(),
            }),
            extra_closed_days: Vec::new(),
            national_holidays: true,
        }
    }
}

/// A calendar setting that was refused: which key, what value, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid calendar setting `{key}` = {value:?}: {expected}")]
pub struct CalendarConfigError {
    pub key: String,
    pub value: String,
    pub expected: String,
    /// What is wrong, for callers that word it in the reader's language.
    pub problem: CalendarProblem,
}

/// The kind of a refused calendar setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarProblem {
    /// Not an IANA zone name.
    Zone,
    /// `hours` is empty.
    NoHours,
    /// An opening period that is not `HH:MM-HH:MM`.
    Period,
    /// A period that starts before the previous one (`HH:MM`) ends.
    Overlap { previous_end: String },
    /// Not a month-day `MM-DD`; `example` is a valid one for this key.
    MonthDay { example: &'static str },
    /// Not a date `YYYY-MM-DD`.
    Date,
}

impl CalendarConfigError {
    fn new(
        key: impl Into<String>,
        value: impl Into<String>,
        problem: CalendarProblem,
        expected: impl Into<String>,
    ) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
            expected: expected.into(),
            problem,
        }
    }
}

impl CalendarConfig {
    /// Checks every setting without keeping the calendar (for `config check`).
    pub fn validate(&self) -> Result<(), CalendarConfigError> {
        self.build().map(|_| ())
    }

    /// Validates every setting and builds the calendar.
    pub fn build(&self) -> Result<BusinessCalendar, CalendarConfigError> {
        let zone = parse_zone(&self.zone).map_err(|_| {
            CalendarConfigError::new(
                "zone",
                &self.zone,
                CalendarProblem::Zone,
                "expected an IANA time zone name such as Asia/Tokyo or UTC",
            )
        })?;

        if self.hours.is_empty() {
            return Err(CalendarConfigError::new(
                "hours",
                "[]",
                CalendarProblem::NoHours,
                "expected at least one opening period such as \"09:00-12:00\"",
            ));
        }
        let mut periods: Vec<(u32, u32)> = Vec::with_capacity(self.hours.len());
        for (i, text) in self.hours.iter().enumerate() {
            let key = format!("hours[{i}]");
            let (start, end) = parse_period(text).map_err(|why| {
                CalendarConfigError::new(
                    &key,
                    text,
                    CalendarProblem::Period,
                    format!("expected HH:MM-HH:MM ({why})"),
                )
            })?;
            if let Some(&(_, prev_end)) = periods.last() {
                if start < prev_end {
                    return Err(CalendarConfigError::new(
                        &key,
                        text,
                        CalendarProblem::Overlap {
                            previous_end: format_minutes(prev_end),
                        },
                        format!(
                            "periods must be in time order and must not overlap; the previous one ends at {}",
                            format_minutes(prev_end)
                        ),
                    ));
                }
            }
            // Touching periods (12:00-13:00 then 13:00-17:00) are one open stretch.
            match periods.last_mut() {
                Some(last) if last.1 == start => last.1 = end,
                _ => periods.push((start, end)),
            }
        }

        let anniversary = match self.anniversary.as_deref() {
            None => None,
            Some(text) => Some(MonthDay::parse(text).map_err(|why| {
                CalendarConfigError::new(
                    "anniversary",
                    text,
                    CalendarProblem::MonthDay { example: "06-17" },
                    format!("expected MM-DD such as \"06-17\", or false to turn it off ({why})"),
                )
            })?),
        };

        let year_end = match &self.year_end_closure {
            None => None,
            Some(range) => {
                let from = MonthDay::parse(&range.from).map_err(|why| {
                    CalendarConfigError::new(
                        "year_end_closure.from",
                        &range.from,
                        CalendarProblem::MonthDay { example: "12-30" },
                        format!("expected MM-DD such as \"12-30\" ({why})"),
                    )
                })?;
                let to = MonthDay::parse(&range.to).map_err(|why| {
                    CalendarConfigError::new(
                        "year_end_closure.to",
                        &range.to,
                        CalendarProblem::MonthDay { example: "01-03" },
                        format!("expected MM-DD such as \"01-03\" ({why})"),
                    )
                })?;
                Some((from, to))
            }
        };

        let mut extra_closed = BTreeSet::new();
        for (i, text) in self.extra_closed_days.iter().enumerate() {
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                CalendarConfigError::new(
                    format!("extra_closed_days[{i}]"),
                    text,
                    CalendarProblem::Date,
                    "expected a date YYYY-MM-DD such as \"2026-08-14\"",
                )
            })?;
            extra_closed.insert(date);
        }

        Ok(BusinessCalendar {
            zone,
            periods,
            anniversary,
            year_end,
            extra_closed,
            national_holidays: self.national_holidays,
        })
    }
}

impl TryFrom<&CalendarConfig> for BusinessCalendar {
    type Error = CalendarConfigError;
    fn try_from(config: &CalendarConfig) -> Result<Self, Self::Error> {
        config.build()
    }
}

/// Parses `HH:MM-HH:MM` into minutes after midnight; `24:00` is allowed as an end.
fn parse_period(text: &str) -> Result<(u32, u32), &'static str> {
    let (start, end) = text
        .split_once('-')
        .ok_or("start and end separated by '-'")?;
    let start = parse_clock(start.trim()).ok_or("start must be a time 00:00 to 23:59")?;
    let end = parse_clock(end.trim()).ok_or("end must be a time 00:01 to 24:00")?;
    if start >= MINUTES_PER_DAY {
        return Err("start must be a time 00:00 to 23:59");
    }
    if end <= start {
        return Err("the end must be after the start");
    }
    Ok((start, end))
}

/// `H:MM` or `HH:MM`, 00:00 to 24:00, as minutes after midnight.
fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let digits = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let h = digits(h, 2)?;
    let m = if m.len() == 2 {
        digits(m, 2)?
    } else {
        return None;
    };
    let total = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && total <= MINUTES_PER_DAY).then_some(total)
}

fn format_minutes(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A day of the year, `MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    fn parse(text: &str) -> Result<Self, &'static str> {
        let (m, d) = text
            .trim()
            .split_once('-')
            .ok_or("month and day separated by '-'")?;
        let number = |s: &str| {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let month = number(m).ok_or("month must be a number 01 to 12")?;
        let day = number(d).ok_or("day must be a number 01 to 31")?;
        // 2000 is a leap year, so 02-29 is accepted (and applies in leap years only).
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err("no such day in the calendar");
        }
        Ok(Self { month, day })
    }

    fn of(date: NaiveDate) -> Self {
        Self {
            month: date.month(),
            day: date.day(),
        }
    }
}

/// Why the desk is closed (or `Open`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosedReason {
    Open,
    Weekend,
    Holiday { name_ja: String, name_en: String },
    Anniversary,
    YearEnd,
    LunchBreak,
    BeforeHours,
    AfterHours,
    ExtraClosure,
}

impl ClosedReason {
    /// Stable machine code, used in JSON and logs.
    pub fn reason_code(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Weekend => "weekend",
            Self::Holiday { .. } => "holiday",
            Self::Anniversary => "anniversary",
            Self::YearEnd => "year-end",
            Self::LunchBreak => "lunch-break",
            Self::BeforeHours => "before-hours",
            Self::AfterHours => "after-hours",
            Self::ExtraClosure => "closed-day",
        }
    }

    /// The reason in the words of the hours report (`reason`): `weekend`, `anniversary`,
    /// `year-end closure`, `lunch break`, `outside hours` (before or after them), `closed day`
    /// (an extra closed day), `open`; a holiday is reported by its name instead.
    pub fn reason_words(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Weekend => "weekend",
            Self::Holiday { .. } => "holiday",
            Self::Anniversary => "anniversary",
            Self::YearEnd => "year-end closure",
            Self::LunchBreak => "lunch break",
            Self::BeforeHours | Self::AfterHours => "outside hours",
            Self::ExtraClosure => "closed day",
        }
    }

    /// Fluent message id in `locales/*/rules.ftl`: `reason-` + [`Self::reason_code`].
    /// `reason-holiday` takes `$name` (the holiday name in the reader's language).
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::Open => "reason-open",
            Self::Weekend => "reason-weekend",
            Self::Holiday { .. } => "reason-holiday",
            Self::Anniversary => "reason-anniversary",
            Self::YearEnd => "reason-year-end",
            Self::LunchBreak => "reason-lunch-break",
            Self::BeforeHours => "reason-before-hours",
            Self::AfterHours => "reason-after-hours",
            Self::ExtraClosure => "reason-closed-day",
        }
    }

    /// Japanese holiday name when the reason is a holiday.
    pub fn holiday_name_ja(&self) -> Option<&str> {
        match self {
            Self::Holiday { name_ja, .. } => Some(name_ja),
            _ => None,
        }
    }

    /// English holiday name when the reason is a holiday.
    pub fn holiday_name_en(&self) -> Option<&str> {
        match self {
            Self::Holiday { name_en, .. } => Some(name_en),
            _ => None,
        }
    }
}

impl fmt::Display for ClosedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason_code())
    }
}

/// Whether the desk is open at an instant, and when that changes.
///
/// - Open: `next_close` is the end of the current open stretch (touching periods, e.g. across
///   midnight with `00:00-24:00`, count as one) and `next_open` is the next opening after it
///   (open at 10:00 on a weekday: closes 12:00, next opens 13:00).
/// - Closed: `next_open` is the start of the next open period and `next_close` is the end of
///   that period, so "closed now — opens at 13:00 until 17:00" can be said.
///
/// Either is `None` only when there is no such instant within the calendar's search horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursStatus {
    pub open: bool,
    pub next_open: Option<DateTime<Utc>>,
    pub next_close: Option<DateTime<Utc>>,
    pub reason: ClosedReason,
}

impl HoursStatus {
    /// The JSON shape of the CLI, with times in `zone` (normally the calendar's).
    pub fn to_report(&self, zone: Tz) -> HoursReport {
        let render = |t: &DateTime<Utc>| rfc3339_in(zone, *t);
        HoursReport {
            open: self.open,
            next_open: self.next_open.as_ref().map(render),
            next_close: self.next_close.as_ref().map(render),
            reason: self
                .reason
                .holiday_name_ja()
                .unwrap_or(self.reason.reason_words())
                .to_owned(),
            reason_code: self.reason.reason_code().to_owned(),
            holiday: self.reason.holiday_name_ja().map(str::to_owned),
            holiday_en: self.reason.holiday_name_en().map(str::to_owned),
        }
    }
}

/// `{"open": bool, "next_open": RFC3339|null, "next_close": RFC3339|null, "reason": "...",
/// "reason_code": code, "holiday": Japanese name|null, "holiday_en": English name|null}`,
/// timestamps with the zone's offset (`2026-11-24T09:00:00+09:00`).
///
/// `reason` says why the desk is closed: the holiday's own (Japanese) name on a national
/// holiday, else `weekend`, `anniversary`, `year-end closure`, `lunch break`, `outside hours`
/// or `closed day` (`open` when open). `reason_code` is the finer code for scripts
/// (`holiday`, `year-end`, `lunch-break`, `before-hours`, `after-hours`, `closed-day`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursReport {
    pub open: bool,
    pub next_open: Option<String>,
    pub next_close: Option<String>,
    pub reason: String,
    pub reason_code: String,
    pub holiday: Option<String>,
    pub holiday_en: Option<String>,
}

/// A validated business calendar. Build it with [`CalendarConfig::build`];
/// [`BusinessCalendar::default`] is PWCS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    zone: Tz,
    /// Opening periods in minutes after local midnight, `[start, end)`, ascending, merged,
    /// `end <= 1440`.
    periods: Vec<(u32, u32)>,
    anniversary: Option<MonthDay>,
    /// Inclusive; wraps the year when `from > to`.
    year_end: Option<(MonthDay, MonthDay)>,
    extra_closed: BTreeSet<NaiveDate>,
    national_holidays: bool,
}

impl Default for BusinessCalendar {
    /// PWCS: weekdays 9:00–12:00 and 13:00–17:00 Asia/Tokyo; closed on national holidays,
    /// June 17 and December 30 – January 3.
    fn default() -> Self {
        Self {
            zone: Tz::Asia__Tokyo,
            periods: vec![(9 * 60, 12 * 60), (13 * 60, 17 * 60)],
            anniversary: Some(MonthDay { month: 6, day: 17 }),
            year_end: Some((
                MonthDay { month: 12, day: 30 },
                MonthDay { month: 1, day: 3 },
            )),
            extra_closed: BTreeSet::new(),
            national_holidays: true,
        }
    }
}

impl BusinessCalendar {
    /// The PWCS calendar (same as `default()`).
    pub fn pwcs() -> Self {
        Self::default()
    }

    /// The zone the hours are in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The national holiday on `date`, whether or not it closes this calendar.
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        japanese_holiday(date)
    }

    /// Why the whole of `date` is closed, or `None` for a business day.
    pub fn day_closure(&self, date: NaiveDate) -> Option<ClosedReason> {
        let md = MonthDay::of(date);
        if let Some((from, to)) = self.year_end {
            let inside = if from <= to {
                from <= md && md <= to
            } else {
                md >= from || md <= to
            };
            if inside {
                return Some(ClosedReason::YearEnd);
            }
        }
        if let Some(h) = japanese_holiday(date).filter(|_| self.national_holidays) {
            return Some(ClosedReason::Holiday {
                name_ja: h.name_ja,
                name_en: h.name_en,
            });
        }
        if self.anniversary == Some(md) {
            return Some(ClosedReason::Anniversary);
        }
        if self.extra_closed.contains(&date) {
            return Some(ClosedReason::ExtraClosure);
        }
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return Some(ClosedReason::Weekend);
        }
        None
    }

    /// Open or closed at `at`, why, and when that changes (see [`HoursStatus`]).
    pub fn status_at(&self, at: DateTime<Utc>) -> HoursStatus {
        let today = local_naive(self.zone, at).map_or_else(|| at.date_naive(), |t| t.date());
        // Start a day early: a period of yesterday may still be running (24:00 ends, DST).
        let first_day = today.pred_opt().unwrap_or(today);
        let mut periods = self
            .periods_from(first_day)
            .filter(|&(_, end)| end > at)
            .peekable();
        let Some((start, end)) = periods.next() else {
            let reason = self
                .day_closure(today)
                .unwrap_or_else(|| self.intraday_reason(today, at));
            return HoursStatus {
                open: false,
                next_open: None,
                next_close: None,
                reason,
            };
        };
        let mut close = end;
        while let Some(&(next_start, next_end)) = periods.peek() {
            if next_start != close {
                break;
            }
            close = next_end;
            periods.next();
        }
        if start <= at {
            // The stretch ends at `close`; the next period starts strictly after it.
            let next_open = periods.next().map(|(next_start, _)| next_start);
            HoursStatus {
                open: true,
                next_open,
                next_close: Some(close),
                reason: ClosedReason::Open,
            }
        } else {
            HoursStatus {
                open: false,
                next_open: Some(start),
                next_close: Some(close),
                reason: self
                    .day_closure(today)
                    .unwrap_or_else(|| self.intraday_reason(today, at)),
            }
        }
    }

    /// [`Self::status_at`] in the CLI's JSON shape, times in the calendar's zone.
    pub fn report_at(&self, at: DateTime<Utc>) -> HoursReport {
        self.status_at(at).to_report(self.zone)
    }

    /// Whether `date` has opening hours.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.day_closure(date).is_none()
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.scan(date, Direction::Forward)
    }

    /// The last business day strictly before `date`.
    pub fn previous_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.scan(date, Direction::Backward)
    }

    /// `date` itself when it is a business day, else the previous business day. Reminders
    /// use this: one due on a weekend, holiday or closure is sent the business day before.
    pub fn on_or_before_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.is_business_day(date) {
            Some(date)
        } else {
            self.previous_business_day(date)
        }
    }

    /// `date` itself when it is a business day, else the next business day.
    pub fn on_or_after_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.is_business_day(date) {
            Some(date)
        } else {
            self.next_business_day(date)
        }
    }

    /// `n` business days after `date` (before it when `n < 0`); `n == 0` returns `date`
    /// unchanged even when it is not a business day. `None` when |n| exceeds
    /// [`MAX_BUSINESS_DAYS`] or the date range ends.
    pub fn add_business_days(&self, date: NaiveDate, n: i32) -> Option<NaiveDate> {
        if n.unsigned_abs() > MAX_BUSINESS_DAYS {
            return None;
        }
        let direction = if n < 0 {
            Direction::Backward
        } else {
            Direction::Forward
        };
        let mut current = date;
        for _ in 0..n.unsigned_abs() {
            current = self.scan(current, direction)?;
        }
        Some(current)
    }

    fn scan(&self, date: NaiveDate, direction: Direction) -> Option<NaiveDate> {
        let mut current = date;
        for _ in 0..MAX_SCAN_DAYS {
            current = match direction {
                Direction::Forward => current.checked_add_days(Days::new(1))?,
                Direction::Backward => current.checked_sub_days(Days::new(1))?,
            };
            if self.is_business_day(current) {
                return Some(current);
            }
        }
        None
    }

    /// Closed reason on a business day outside its periods.
    fn intraday_reason(&self, date: NaiveDate, at: DateTime<Utc>) -> ClosedReason {
        let today: Vec<_> = self
            .periods
            .iter()
            .filter_map(|&(s, e)| self.period_instants(date, s, e))
            .collect();
        match (today.first(), today.last()) {
            (Some(&(first_start, _)), _) if at < first_start => ClosedReason::BeforeHours,
            (_, Some(&(_, last_end))) if at < last_end => ClosedReason::LunchBreak,
            _ => ClosedReason::AfterHours,
        }
    }

    /// The instants of one opening period of `date`; `None` if DST makes it empty.
    fn period_instants(
        &self,
        date: NaiveDate,
        start: u32,
        end: u32,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let midnight = date.and_time(NaiveTime::MIN);
        let at = |minutes: u32| {
            midnight
                .checked_add_signed(TimeDelta::minutes(i64::from(minutes)))
                .and_then(|local| local_to_utc(self.zone, local))
        };
        let (s, e) = (at(start)?, at(end)?);
        (s < e).then_some((s, e))
    }

    /// The opening periods of `date` (none on a closed day), as instants, in order.
    pub fn periods_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_business_day(date) {
            return Vec::new();
        }
        self.periods
            .iter()
            .filter_map(|&(s, e)| self.period_instants(date, s, e))
            .collect()
    }

    /// `at` as a local date and time in this calendar's zone (what "today" means to its users).
    pub fn local_time(&self, at: DateTime<Utc>) -> NaiveDateTime {
        local_naive(self.zone, at).unwrap_or_else(|| at.naive_utc())
    }

    /// The instant of a local date and time in this calendar's zone (a time a DST change skips
    /// moves to the end of the gap; a repeated one takes the first).
    pub fn instant_of(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        local_to_utc(self.zone, local)
    }

    /// Opening periods of business days from `first_day` on, in order, within the horizon.
    fn periods_from(&self, first_day: NaiveDate) -> Periods<'_> {
        Periods {
            calendar: self,
            day: Some(first_day),
            index: 0,
            business: self.is_business_day(first_day),
            days_left: MAX_SCAN_DAYS,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Forward,
    Backward,
}

struct Periods<'a> {
    calendar: &'a BusinessCalendar,
    day: Option<NaiveDate>,
    index: usize,
    business: bool,
    days_left: u64,
}

impl Iterator for Periods<'_> {
    type Item = (DateTime<Utc>, DateTime<Utc>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let day = self.day?;
            if self.business {
                if let Some(&(s, e)) = self.calendar.periods.get(self.index) {
                    self.index += 1;
                    match self.calendar.period_instants(day, s, e) {
                        Some(period) => return Some(period),
                        None => continue,
                    }
                }
            }
            if self.days_left == 0 {
                self.day = None;
                return None;
            }
            self.days_left -= 1;
            self.index = 0;
            self.day = day.succ_opt();
            self.business = self.day.is_some_and(|d| self.calendar.is_business_day(d));
        }
    }
}

/// Serde for `Option<T>` settings that can be turned off: `false` (or null) means `None`, a
/// value means `Some(value)`; `None` serializes as `false` so TOML round-trips. Errors inside
/// the value (an unknown key in a table) are reported as they are, not as "no variant matched".
mod off_or_value {
    // Imported here rather than through `super::*`: the adapter needs nothing of the calendar.
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserializer, MapAccess, Visitor};
    use serde::{Deserialize, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => v.serialize(serializer),
            None => serializer.serialize_bool(false),
        }
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        deserializer.deserialize_any(OffOrValue(PhantomData))
    }

    struct OffOrValue<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for OffOrValue<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a value, or false to turn the setting off")
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            if v {
                Err(E::invalid_value(de::Unexpected::Bool(true), &self))
            } else {
                Ok(None)
            }
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(Some)
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            T::deserialize(de::value::StringDeserializer::<E>::new(v)).map(Some)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
}

/// Reads a list of dates as text: strings, or TOML date literals (`2026-08-14` unquoted),
/// which the `toml` crate hands to serde as a one-entry map under a private key.
mod date_texts {
    use std::fmt;

    use serde::de::{self, Deserializer, MapAccess, Visitor};
    use serde::Deserialize;

    const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(Vec::<DateText>::deserialize(d)?
            .into_iter()
            .map(|t| t.0)
            .collect())
    }

    struct DateText(String);

    impl<'de> Deserialize<'de> for DateText {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(DateTextVisitor)
        }
    }

    struct DateTextVisitor;

    impl<'de> Visitor<'de> for DateTextVisitor {
        type Value = DateText;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date such as \"2026-08-14\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
            Ok(DateText(v.to_owned()))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
            match map.next_entry::<String, String>()? {
                Some((key, value)) if key == TOML_DATETIME_KEY => Ok(DateText(value)),
                _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::holiday::{CITIZENS_HOLIDAY, SUBSTITUTE_HOLIDAY};
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// An instant given as Tokyo wall time.
    fn jst(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Tz::Asia__Tokyo
            .with_ymd_and_hms(y, m, day, h, min, s)
            .single()
            .expect("valid Tokyo time")
            .with_timezone(&Utc)
    }

    fn pwcs() -> BusinessCalendar {
        BusinessCalendar::default()
    }

    fn code(at: DateTime<Utc>) -> &'static str {
        pwcs().status_at(at).reason.reason_code()
    }

    // ---- configuration -------------------------------------------------------------------

    #[test]
    fn calendar_is_shareable_between_tasks() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<BusinessCalendar>();
        assert_send_sync::<crate::schedule::Schedule>();
        assert_eq!(CalendarConfig::default().validate(), Ok(()));
    }

    #[test]
    fn default_config_builds_the_default_calendar() {
        assert_eq!(
            CalendarConfig::default().build(),
            Ok(BusinessCalendar::default())
        );
        assert_eq!(BusinessCalendar::pwcs(), BusinessCalendar::default());
    }

    #[test]
    fn config_reads_from_toml_with_defaults() {
        let config: CalendarConfig = toml::from_str("").expect("empty config");
        assert_eq!(config, CalendarConfig::default());

        let text = r#"
            zone = "UTC"
            hours = ["08:30-17:30"]
            anniversary = false
            year_end_closure = { from = "12-29", to = "01-04" }
            extra_closed_days = ["2026-08-14"]
        "#;
        let config: CalendarConfig = toml::from_str(text).expect("valid config");
        assert_eq!(config.anniversary, None);
        let cal = config.build().expect("valid calendar");
        assert_eq!(cal.zone(), Tz::UTC);
        assert_eq!(cal.day_closure(d(2026, 6, 17)), None);
        assert_eq!(
            cal.day_closure(d(2026, 12, 29)),
            Some(ClosedReason::YearEnd)
        );
        assert_eq!(cal.day_closure(d(2027, 1, 4)), Some(ClosedReason::YearEnd));
        assert_eq!(
            cal.day_closure(d(2026, 8, 14)),
            Some(ClosedReason::ExtraClosure)
        );

        // TOML date literals are accepted too.
        let dates: CalendarConfig =
            toml::from_str("extra_closed_days = [2026-08-14, \"2026-08-13\"]").expect("dates");
        assert_eq!(dates.extra_closed_days, ["2026-08-14", "2026-08-13"]);
        let err = toml::from_str::<CalendarConfig>("extra_closed_days = [20260814]")
            .expect_err("not a date");
        assert!(err.to_string().contains("2026-08-14"), "{err}");
        let with_dates = dates.build().expect("valid");
        assert!(!with_dates.is_business_day(d(2026, 8, 13)));

        // Round trip: a turned-off setting is written as `false`.
        let back = toml::to_string(&config).expect("serializes");
        assert!(back.contains("anniversary = false"), "{back}");
        assert_eq!(toml::from_str::<CalendarConfig>(&back), Ok(config));
    }

    #[test]
    fn config_reads_from_json_with_null_turning_off() {
        let config: CalendarConfig =
            serde_json::from_str(r#"{"year_end_closure": null, "anniversary": "06-17"}"#)
                .expect("valid config");
        assert_eq!(config.year_end_closure, None);
        assert_eq!(config.anniversary.as_deref(), Some("06-17"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<CalendarConfig>("zones = \"UTC\"").expect_err("unknown key");
        assert!(err.to_string().contains("zones"), "{err}");
        let err = toml::from_str::<CalendarConfig>(
            "year_end_closure = { from = \"12-30\", to = \"01-03\", until = \"01-05\" }",
        )
        .expect_err("unknown nested key");
        assert!(err.to_string().contains("until"), "{err}");
        assert!(toml::from_str::<CalendarConfig>("anniversary = true").is_err());
    }

    fn build_err(edit: impl FnOnce(&mut CalendarConfig)) -> CalendarConfigError {
        let mut config = CalendarConfig::default();
        edit(&mut config);
        config.build().expect_err("invalid config")
    }

    #[test]
    fn errors_name_key_value_and_what_is_allowed() {
        let err = build_err(|c| c.zone = "Asia/Tokio".into());
        assert_eq!(
            (err.key.as_str(), err.value.as_str()),
            ("zone", "Asia/Tokio")
        );
        assert!(err.expected.contains("IANA"));
        assert_eq!(
            err.to_string(),
            "invalid calendar setting `zone` = \"Asia/Tokio\": expected an IANA time zone name such as Asia/Tokyo or UTC"
        );

        for bad in [
            "9-12",
            "25:00-26:00",
            "09:60-12:00",
            "12:00-09:00",
            "09:00-09:00",
            "24:00-24:00",
            "09:00",
            "0900-1200",
            "09:00-24:01",
        ] {
            let err = build_err(|c| c.hours = vec![bad.into()]);
            assert_eq!(err.key, "hours[0]", "{bad}");
            assert_eq!(err.value, bad);
            assert!(err.expected.starts_with("expected HH:MM-HH:MM"), "{err}");
        }
        let err = build_err(|c| c.hours = vec!["09:00-12:00".into(), "11:00-17:00".into()]);
        assert_eq!(err.key, "hours[1]");
        assert!(err.expected.contains("ends at 12:00"), "{err}");
        let err = build_err(|c| c.hours.clear());
        assert_eq!(err.key, "hours");

        let err = build_err(|c| c.anniversary = Some("13-01".into()));
        assert_eq!(err.key, "anniversary");
        let err = build_err(|c| c.anniversary = Some("02-30".into()));
        assert!(err.expected.contains("no such day"), "{err}");
        let err = build_err(|c| {
            c.year_end_closure = Some(YearEndClosureConfig {
                from: "12-32".into(),
                to: "01-03".into(),
            })
        });
        assert_eq!(err.key, "year_end_closure.from");
        let err = build_err(|c| {
            c.year_end_closure = Some(YearEndClosureConfig {
                from: "12-30".into(),
                to: "1/3".into(),
            })
        });
        assert_eq!(err.key, "year_end_closure.to");
        let err =
            build_err(|c| c.extra_closed_days = vec!["2026-08-14".into(), "2026-02-30".into()]);
        assert_eq!(err.key, "extra_closed_days[1]");
        assert_eq!(err.value, "2026-02-30");
    }

    #[test]
    fn accepted_hour_forms() {
        assert_eq!(parse_period("9:00-12:00"), Ok((540, 720)));
        assert_eq!(parse_period("00:00-24:00"), Ok((0, 1440)));
        assert_eq!(parse_period(" 13:00 - 17:00 "), Ok((780, 1020)));
        // Touching periods merge into one stretch.
        let cal = CalendarConfig {
            hours: vec!["09:00-12:00".into(), "12:00-13:00".into()],
            ..CalendarConfig::default()
        }
        .build()
        .expect("valid");
        assert_eq!(cal.periods, vec![(540, 780)]);
    }

    // ---- opening hours on a business day ---------------------------------------------------

    #[test]
    fn every_minute_of_a_business_day() {
        // 2026-11-24 is a Tuesday, the day after 勤労感謝の日.
        let cal = pwcs();
        for minute in 0..MINUTES_PER_DAY {
            let at = jst(2026, 11, 24, minute / 60, minute % 60, 0);
            let status = cal.status_at(at);
            let open = (540..720).contains(&minute) || (780..1020).contains(&minute);
            assert_eq!(status.open, open, "minute {minute}");
            let expected = match minute {
                _ if open => "open",
                m if m < 540 => "before-hours",
                m if m < 780 => "lunch-break",
                _ => "after-hours",
            };
            assert_eq!(status.reason.reason_code(), expected, "minute {minute}");
            // Both changes are always known on a business day, and the next opening comes
            // after now (and, when open, after the coming close).
            let (next_open, next_close) = (
                status.next_open.expect("next_open"),
                status.next_close.expect("next_close"),
            );
            assert!(next_open > at && next_close > at, "minute {minute}");
            assert_eq!(next_open > next_close, open, "minute {minute}");
        }
    }

    #[test]
    fn opening_and_closing_seconds_are_half_open() {
        let cal = pwcs();
        let s = cal.status_at(jst(2026, 11, 24, 8, 59, 59));
        assert_eq!(s.reason, ClosedReason::BeforeHours);
        assert_eq!(s.next_open, Some(jst(2026, 11, 24, 9, 0, 0)));
        assert_eq!(s.next_close, Some(jst(2026, 11, 24, 12, 0, 0)));

        let s = cal.status_at(jst(2026, 11, 24, 9, 0, 0));
        assert!(s.open);
        assert_eq!(s.next_open, Some(jst(2026, 11, 24, 13, 0, 0)));
        assert_eq!(s.next_close, Some(jst(2026, 11, 24, 12, 0, 0)));

        assert!(cal.status_at(jst(2026, 11, 24, 11, 59, 59)).open);

        let s = cal.status_at(jst(2026, 11, 24, 12, 0, 0));
        assert_eq!(s.reason, ClosedReason::LunchBreak);
        assert_eq!(s.next_open, Some(jst(2026, 11, 24, 13, 0, 0)));
        assert_eq!(s.next_close, Some(jst(2026, 11, 24, 17, 0, 0)));
        assert_eq!(code(jst(2026, 11, 24, 12, 59, 59)), "lunch-break");

        let s = cal.status_at(jst(2026, 11, 24, 13, 0, 0));
        assert!(s.open);
        assert_eq!(s.next_close, Some(jst(2026, 11, 24, 17, 0, 0)));
        // The next opening after the afternoon is the next business morning.
        assert_eq!(s.next_open, Some(jst(2026, 11, 25, 9, 0, 0)));
        assert!(cal.status_at(jst(2026, 11, 24, 16, 59, 59)).open);

        let s = cal.status_at(jst(2026, 11, 24, 17, 0, 0));
        assert_eq!(s.reason, ClosedReason::AfterHours);
        assert_eq!(s.next_open, Some(jst(2026, 11, 25, 9, 0, 0)));
        assert_eq!(s.next_close, Some(jst(2026, 11, 25, 12, 0, 0)));
        assert_eq!(code(jst(2026, 11, 24, 23, 59, 59)), "after-hours");
        assert_eq!(code(jst(2026, 11, 25, 0, 0, 0)), "before-hours");
    }

    #[test]
    fn instant_given_in_utc_is_read_in_tokyo() {
        let cal = pwcs();
        // 2026-11-24T00:00:00Z is 09:00 in Tokyo.
        let at = Utc
            .with_ymd_and_hms(2026, 11, 24, 0, 0, 0)
            .single()
            .expect("time");
        assert!(cal.status_at(at).open);
        let before = Utc
            .with_ymd_and_hms(2026, 11, 23, 23, 59, 59)
            .single()
            .expect("time");
        // Still 2026-11-24 in Tokyo (08:59:59), not the 23rd (a holiday) as in UTC.
        assert_eq!(cal.status_at(before).reason, ClosedReason::BeforeHours);
        // 2026-11-24T08:00:00Z is 17:00 in Tokyo.
        let after = Utc
            .with_ymd_and_hms(2026, 11, 24, 8, 0, 0)
            .single()
            .expect("time");
        assert_eq!(cal.status_at(after).reason, ClosedReason::AfterHours);
    }

    #[test]
    fn report_renders_tokyo_offsets() {
        let cal = pwcs();
        // Monday 2026-11-23 is 勤労感謝の日.
        let report = cal.report_at(jst(2026, 11, 23, 10, 0, 0));
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "open": false,
                "next_open": "2026-11-24T09:00:00+09:00",
                "next_close": "2026-11-24T12:00:00+09:00",
                "reason": "勤労感謝の日",
                "reason_code": "holiday",
                "holiday": "勤労感謝の日",
                "holiday_en": "Labor Thanksgiving Day",
            })
        );
        let report = cal.report_at(jst(2026, 11, 24, 10, 0, 0));
        assert_eq!(
            serde_json::to_value(&report).expect("json"),
            serde_json::json!({
                "open": true,
                "next_open": "2026-11-24T13:00:00+09:00",
                "next_close": "2026-11-24T12:00:00+09:00",
                "reason": "open",
                "reason_code": "open",
                "holiday": null,
                "holiday_en": null,
            })
        );
        let utc = cal
            .status_at(jst(2026, 11, 24, 10, 0, 0))
            .to_report(Tz::UTC);
        assert_eq!(utc.next_close.as_deref(), Some("2026-11-24T03:00:00+00:00"));
    }

    // ---- closed days ------------------------------------------------------------------------

    #[test]
    fn weekends() {
        assert_eq!(d(2026, 11, 28).weekday(), Weekday::Sat);
        let s = pwcs().status_at(jst(2026, 11, 28, 10, 0, 0));
        assert_eq!(s.reason, ClosedReason::Weekend);
        assert_eq!(s.next_open, Some(jst(2026, 11, 30, 9, 0, 0)));
        assert_eq!(code(jst(2026, 11, 29, 10, 0, 0)), "weekend");
    }

    #[test]
    fn holiday_kinds() {
        let cal = pwcs();
        let holiday = |date: NaiveDate| cal.day_closure(date);
        let name = |date: NaiveDate| {
            holiday(date)
                .as_ref()
                .and_then(|r| r.holiday_name_ja().map(str::to_owned))
        };
        // Happy Monday.
        assert_eq!(name(d(2026, 1, 12)).as_deref(), Some("成人の日"));
        // Equinoxes.
        assert_eq!(name(d(2026, 3, 20)).as_deref(), Some("春分の日"));
        assert_eq!(name(d(2026, 9, 23)).as_deref(), Some("秋分の日"));
        // Substitute holiday: 2026-05-03 is a Sunday.
        assert_eq!(name(d(2026, 5, 6)).as_deref(), Some(SUBSTITUTE_HOLIDAY));
        // Substitute on a Monday: 2025-11-23 (Sunday) → 11-24.
        assert_eq!(name(d(2025, 11, 24)).as_deref(), Some(SUBSTITUTE_HOLIDAY));
        // Citizens' holiday between 敬老の日 and 秋分の日.
        assert_eq!(name(d(2026, 9, 22)).as_deref(), Some(CITIZENS_HOLIDAY));
        // 2019 imperial days.
        assert_eq!(name(d(2019, 5, 1)).as_deref(), Some("天皇の即位の日"));
        assert_eq!(name(d(2019, 4, 30)).as_deref(), Some(CITIZENS_HOLIDAY));
        assert_eq!(name(d(2019, 10, 22)).as_deref(), Some("即位礼正殿の儀"));
        // A holiday on a Sunday reports the holiday, not the weekend.
        assert_eq!(d(2026, 5, 3).weekday(), Weekday::Sun);
        assert_eq!(name(d(2026, 5, 3)).as_deref(), Some("憲法記念日"));
        let s = cal.status_at(jst(2026, 5, 3, 10, 0, 0));
        assert_eq!(s.reason.reason_code(), "holiday");
        assert_eq!(
            s.reason.holiday_name_en(),
            Some("Constitution Memorial Day")
        );
        let report = s.to_report(cal.zone());
        assert_eq!(report.holiday.as_deref(), Some("憲法記念日"));
        // The reason of a holiday closure is the holiday's name itself.
        assert_eq!(report.reason, "憲法記念日");
        assert_eq!(report.reason_code, "holiday");
        assert_eq!(
            report.holiday_en.as_deref(),
            Some("Constitution Memorial Day")
        );
        // Every other closure: the reason in words, the finer code beside it.
        for (at, words, code) in [
            (jst(2026, 5, 2, 10, 0, 0), "weekend", "weekend"),
            (jst(2026, 6, 17, 10, 0, 0), "anniversary", "anniversary"),
            (jst(2026, 12, 30, 10, 0, 0), "year-end closure", "year-end"),
            (jst(2026, 11, 24, 12, 30, 0), "lunch break", "lunch-break"),
            (jst(2026, 11, 24, 8, 0, 0), "outside hours", "before-hours"),
            (jst(2026, 11, 24, 18, 0, 0), "outside hours", "after-hours"),
        ] {
            let report = cal.report_at(at);
            assert_eq!(
                (report.reason.as_str(), report.reason_code.as_str()),
                (words, code)
            );
            assert_eq!(report.holiday, None);
        }
    }

    #[test]
    fn year_end_wins_over_new_years_day() {
        let s = pwcs().status_at(jst(2027, 1, 1, 10, 0, 0));
        assert_eq!(s.reason, ClosedReason::YearEnd);
        assert_eq!(s.to_report(Tz::Asia__Tokyo).holiday, None);
    }

    #[test]
    fn year_end_bounds() {
        let cal = pwcs();
        assert_eq!(d(2026, 12, 29).weekday(), Weekday::Tue);
        assert!(cal.is_business_day(d(2026, 12, 29)));
        assert!(cal.status_at(jst(2026, 12, 29, 16, 59, 59)).open);
        assert_eq!(
            cal.day_closure(d(2026, 12, 30)),
            Some(ClosedReason::YearEnd)
        );
        assert_eq!(
            cal.day_closure(d(2026, 12, 31)),
            Some(ClosedReason::YearEnd)
        );
        assert_eq!(cal.day_closure(d(2027, 1, 3)), Some(ClosedReason::YearEnd));
        assert_eq!(d(2027, 1, 4).weekday(), Weekday::Mon);
        assert!(cal.is_business_day(d(2027, 1, 4)));
        // Jan 4 on a weekday is open even right after the closure.
        assert_eq!(d(2028, 1, 4).weekday(), Weekday::Tue);
        assert!(cal.is_business_day(d(2028, 1, 4)));
    }

    #[test]
    fn next_open_across_year_end() {
        let s = pwcs().status_at(jst(2026, 12, 29, 17, 0, 0));
        assert_eq!(s.reason, ClosedReason::AfterHours);
        assert_eq!(s.next_open, Some(jst(2027, 1, 4, 9, 0, 0)));
        assert_eq!(s.next_close, Some(jst(2027, 1, 4, 12, 0, 0)));
        let s = pwcs().status_at(jst(2026, 12, 31, 12, 0, 0));
        assert_eq!(s.reason, ClosedReason::YearEnd);
        assert_eq!(s.next_open, Some(jst(2027, 1, 4, 9, 0, 0)));
    }

    #[test]
    fn next_open_across_golden_week() {
        // 2026: 4/29 (Wed) 昭和の日; 4/30, 5/1 open; 5/2–5/6 closed (5/6 substitute).
        let cal = pwcs();
        assert_eq!(code(jst(2026, 4, 29, 10, 0, 0)), "holiday");
        assert!(cal.status_at(jst(2026, 5, 1, 10, 0, 0)).open);
        let s = cal.status_at(jst(2026, 5, 1, 17, 0, 0));
        assert_eq!(s.next_open, Some(jst(2026, 5, 7, 9, 0, 0)));
        for day in 2..=6 {
            let s = cal.status_at(jst(2026, 5, day, 10, 0, 0));
            assert!(!s.open, "May {day}");
            assert_eq!(s.next_open, Some(jst(2026, 5, 7, 9, 0, 0)), "May {day}");
        }
        assert_eq!(code(jst(2026, 5, 4, 10, 0, 0)), "holiday");
        assert_eq!(
            cal.status_at(jst(2026, 5, 2, 10, 0, 0)).reason,
            ClosedReason::Weekend
        );
    }

    #[test]
    fn anniversary_on_a_weekday_and_on_a_weekend() {
        let cal = pwcs();
        assert_eq!(d(2026, 6, 17).weekday(), Weekday::Wed);
        let s = cal.status_at(jst(2026, 6, 17, 10, 0, 0));
        assert_eq!(s.reason, ClosedReason::Anniversary);
        assert_eq!(s.next_open, Some(jst(2026, 6, 18, 9, 0, 0)));
        assert_eq!(d(2028, 6, 17).weekday(), Weekday::Sat);
        assert_eq!(code(jst(2028, 6, 17, 10, 0, 0)), "anniversary");
        assert_eq!(
            cal.status_at(jst(2028, 6, 17, 10, 0, 0)).next_open,
            Some(jst(2028, 6, 19, 9, 0, 0))
        );
        assert!(cal.is_business_day(d(2026, 6, 16)));
        assert!(cal.is_business_day(d(2026, 6, 18)));
    }

    #[test]
    fn extra_closed_day() {
        let cal = CalendarConfig {
            extra_closed_days: vec!["2026-11-25".into()],
            ..CalendarConfig::default()
        }
        .build()
        .expect("valid");
        let s = cal.status_at(jst(2026, 11, 25, 10, 0, 0));
        assert_eq!(s.reason.reason_code(), "closed-day");
        assert_eq!(s.reason.message_id(), "reason-closed-day");
        assert_eq!(s.next_open, Some(jst(2026, 11, 26, 9, 0, 0)));
        // On a holiday the holiday name is more useful than "closed".
        let cal = CalendarConfig {
            extra_closed_days: vec!["2026-11-23".into()],
            ..CalendarConfig::default()
        }
        .build()
        .expect("valid");
        assert_eq!(
            cal.day_closure(d(2026, 11, 23)).map(|r| r.reason_code()),
            Some("holiday")
        );
    }

    #[test]
    fn reason_codes_and_message_ids() {
        let all = [
            ClosedReason::Open,
            ClosedReason::Weekend,
            ClosedReason::Holiday {
                name_ja: "元日".into(),
                name_en: "New Year's Day".into(),
            },
            ClosedReason::Anniversary,
            ClosedReason::YearEnd,
            ClosedReason::LunchBreak,
            ClosedReason::BeforeHours,
            ClosedReason::AfterHours,
            ClosedReason::ExtraClosure,
        ];
        let codes: Vec<_> = all.iter().map(ClosedReason::reason_code).collect();
        assert_eq!(
            codes,
            [
                "open",
                "weekend",
                "holiday",
                "anniversary",
                "year-end",
                "lunch-break",
                "before-hours",
                "after-hours",
                "closed-day"
            ]
        );
        for r in &all {
            assert_eq!(r.message_id(), format!("reason-{}", r.reason_code()));
            assert_eq!(r.to_string(), r.reason_code());
        }
    }

    // ---- other calendars --------------------------------------------------------------------

    #[test]
    fn round_the_clock_desk_closes_at_the_weekend() {
        let cal = CalendarConfig {
            zone: "UTC".into(),
            hours: vec!["00:00-24:00".into()],
            anniversary: None,
            year_end_closure: None,
            extra_closed_days: vec![],
            national_holidays: true,
        }
        .build()
        .expect("valid");
        // Tuesday 2026-11-24 10:00Z: open until Saturday 00:00Z.
        let at = Utc
            .with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
            .single()
            .expect("time");
        let s = cal.status_at(at);
        assert!(s.open);
        assert_eq!(
            s.next_close,
            Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).single()
        );
        // New Year's Day 2027 is a Friday holiday even without a year-end closure.
        let at = Utc
            .with_ymd_and_hms(2027, 1, 1, 10, 0, 0)
            .single()
            .expect("time");
        let s = cal.status_at(at);
        assert_eq!(s.reason.reason_code(), "holiday");
        assert_eq!(
            s.next_open,
            Utc.with_ymd_and_hms(2027, 1, 4, 0, 0, 0).single()
        );
    }

    #[test]
    fn a_desk_abroad_can_ignore_japans_holidays_and_keep_its_own() {
        let cal = CalendarConfig {
            zone: "America/New_York".into(),
            hours: vec!["09:00-17:00".into()],
            anniversary: None,
            year_end_closure: None,
            extra_closed_days: vec!["2026-11-26".into()],
            national_holidays: false,
        }
        .build()
        .expect("valid");
        let ny = Tz::America__New_York;
        let at = |d: u32| {
            ny.with_ymd_and_hms(2026, 11, d, 10, 0, 0)
                .single()
                .expect("time")
                .with_timezone(&Utc)
        };
        // 勤労感謝の日 (Monday 11-23) is an ordinary day in New York.
        assert!(cal.status_at(at(23)).open);
        // Its own closed day (Thanksgiving) is closed.
        let s = cal.status_at(at(26));
        assert_eq!(s.reason.reason_code(), "closed-day");
        assert!(!s.open);
    }

    #[test]
    fn desk_in_a_dst_zone() {
        let cal = CalendarConfig {
            zone: "America/New_York".into(),
            hours: vec!["01:30-03:30".into(), "09:00-17:00".into()],
            anniversary: None,
            year_end_closure: None,
            extra_closed_days: vec![],
            national_holidays: true,
        }
        .build()
        .expect("valid");
        // Monday 2026-03-09, the day after the spring-forward: between the two periods.
        let ny = Tz::America__New_York;
        let at = ny
            .with_ymd_and_hms(2026, 3, 9, 8, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc);
        let s = cal.status_at(at);
        assert_eq!(s.reason, ClosedReason::LunchBreak);
        assert_eq!(
            s.next_open,
            Some(
                ny.with_ymd_and_hms(2026, 3, 9, 9, 0, 0)
                    .single()
                    .expect("time")
                    .with_timezone(&Utc)
            )
        );
        // On the change day (a Sunday, so closed anyway) 01:30-03:30 wall time spans one real
        // hour: 01:30 EST = 06:30Z, 03:30 EDT = 07:30Z.
        let change = d(2026, 3, 8);
        let p = cal
            .period_instants(change, 90, 210)
            .expect("non-empty period");
        assert!(p.0 < p.1);
        assert_eq!(p.0.to_rfc3339(), "2026-03-08T06:30:00+00:00");
        assert_eq!(p.1.to_rfc3339(), "2026-03-08T07:30:00+00:00");
    }

    #[test]
    fn a_calendar_that_never_opens_reports_no_next_open() {
        let cal = CalendarConfig {
            year_end_closure: Some(YearEndClosureConfig {
                from: "01-01".into(),
                to: "12-31".into(),
            }),
            ..CalendarConfig::default()
        }
        .build()
        .expect("valid");
        let s = cal.status_at(jst(2026, 11, 24, 10, 0, 0));
        assert_eq!((s.open, s.next_open, s.next_close), (false, None, None));
        assert_eq!(s.reason, ClosedReason::YearEnd);
        assert_eq!(cal.next_business_day(d(2026, 1, 1)), None);
        assert_eq!(cal.add_business_days(d(2026, 1, 1), 3), None);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let cal = pwcs();
        for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            let _ = cal.status_at(at);
            let _ = cal.report_at(at);
        }
        assert_eq!(cal.next_business_day(NaiveDate::MAX), None);
        assert_eq!(cal.previous_business_day(NaiveDate::MIN), None);
    }

    // ---- business-day arithmetic -------------------------------------------------------------

    #[test]
    fn business_day_arithmetic() {
        let cal = pwcs();
        // Friday 2026-05-01 → next is Thursday 05-07 (Golden Week).
        assert_eq!(cal.next_business_day(d(2026, 5, 1)), Some(d(2026, 5, 7)));
        assert_eq!(
            cal.previous_business_day(d(2026, 5, 7)),
            Some(d(2026, 5, 1))
        );
        // Strictly after / before, even from a business day.
        assert_eq!(
            cal.next_business_day(d(2026, 11, 24)),
            Some(d(2026, 11, 25))
        );
        assert_eq!(
            cal.previous_business_day(d(2026, 11, 25)),
            Some(d(2026, 11, 24))
        );
        // Over a weekend and the Monday holiday.
        assert_eq!(
            cal.previous_business_day(d(2026, 11, 24)),
            Some(d(2026, 11, 20))
        );
        // on-or-before: a reminder due Sunday 2026-05-03 moves to Friday 05-01.
        assert_eq!(
            cal.on_or_before_business_day(d(2026, 5, 3)),
            Some(d(2026, 5, 1))
        );
        assert_eq!(
            cal.on_or_before_business_day(d(2026, 11, 24)),
            Some(d(2026, 11, 24))
        );
        assert_eq!(
            cal.on_or_after_business_day(d(2026, 12, 30)),
            Some(d(2027, 1, 4))
        );
        // Year end: due Jan 1 → Dec 29.
        assert_eq!(
            cal.on_or_before_business_day(d(2027, 1, 1)),
            Some(d(2026, 12, 29))
        );
        // Anniversary.
        assert_eq!(
            cal.on_or_before_business_day(d(2026, 6, 17)),
            Some(d(2026, 6, 16))
        );

        assert_eq!(
            cal.add_business_days(d(2026, 11, 24), 0),
            Some(d(2026, 11, 24))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 11, 28), 0),
            Some(d(2026, 11, 28))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 11, 24), 1),
            Some(d(2026, 11, 25))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 11, 24), 4),
            Some(d(2026, 11, 30))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 12, 28), 2),
            Some(d(2027, 1, 4))
        );
        assert_eq!(
            cal.add_business_days(d(2027, 1, 4), -1),
            Some(d(2026, 12, 29))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 11, 30), -4),
            Some(d(2026, 11, 24))
        );
        assert_eq!(cal.add_business_days(d(2026, 11, 24), i32::MAX), None);
        assert_eq!(cal.add_business_days(d(2026, 11, 24), i32::MIN), None);
        // Counting every business day of 2026 from Dec 31, 2025 lands on the last one.
        let count = d(2026, 1, 1)
            .iter_days()
            .take_while(|day| day.year() == 2026)
            .filter(|day| cal.is_business_day(*day))
            .count();
        // 240 by an independent count with Python jpholiday.
        assert_eq!(count, 240);
        let n = i32::try_from(count).expect("small");
        assert_eq!(
            cal.add_business_days(d(2025, 12, 31), n),
            Some(d(2026, 12, 29))
        );
        assert_eq!(
            cal.add_business_days(d(2026, 12, 30), -n),
            Some(d(2026, 1, 5))
        );
    }
}
