//! Every command-line argument parser: instants, dates (through the one date parser), ages, locales and the choice words of
//! roles, levels and statuses. Each refusal is worded in the operator's language, so clap shows
//! it inside its own one-line frame.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_knowledge::DateError;

use crate::config::Config;
use crate::error::Failure;
use crate::i18n::rules_text;
use crate::i18n::{operator_locale, Locale, Msg};
use crate::store::{ContractStatus, OutboxStatus, RegistrationStatus, Role};
use crate::workflows::level::PermissionLevel;

pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Msg::new("cli-bad-instant")
                .arg("value", format!("{text:?}"))
                .arg("detail", e.to_string())
                .render(operator_locale())
        })
}

pub fn parse_locale(text: &str) -> Result<Locale, String> {
    text.parse()
}

/// A date argument, read by the one date parser (`partnerdesk_knowledge::date`) like a date in
/// chat: `2015/8/15`, `平成27年8月15日`, `Aug 15 2015`, `明日`, ... `what` is the message id of its
/// name ("renewal date"); `now` is the local time relative days count from; a date written
/// without a year is put in `year_less_in` (the renewal and payment rules' transition year,
/// as in chat).
pub fn parse_date_arg(
    what: &'static str,
    text: &str,
    now: NaiveDateTime,
    year_less_in: i32,
) -> Result<NaiveDate, Failure> {
    let asked = partnerdesk_knowledge::parse_when(text, now)
        .and_then(|a| {
            if a.date_written {
                Ok(a)
            } else {
                Err(DateError::NotADate)
            }
        })
        .map_err(|e| date_failure(what, text, e, false))?;
    Ok(asked.date_in_year(year_less_in))
}

/// What `hours --at` asks about: an instant, or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedAt {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
}

/// `hours --at`: RFC 3339 as always, else any date and/or time the chat reads (`明日の10時`,
/// `2026-06-17 10:00`, `6月17日`, `tomorrow 4pm`), in the calendar's zone.
pub fn parse_at(
    text: &str,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<AskedAt, Failure> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(AskedAt::Instant(at.with_timezone(&Utc)));
    }
    let asked = partnerdesk_knowledge::parse_when(text, calendar.local_time(now))
        .map_err(|e| date_failure("dates-arg-at", text, e, true))?;
    match asked.local() {
        Some(local) => calendar
            .instant_of(local)
            .map(AskedAt::Instant)
            .ok_or_else(|| date_failure("dates-arg-at", text, DateError::NoSuchDate, true)),
        None => Ok(AskedAt::Day(asked.date)),
    }
}

fn date_failure(what: &'static str, text: &str, error: DateError, with_time: bool) -> Failure {
    Failure::usage(
        Msg::new("cli-bad-date")
            .label("what", what)
            .arg("value", format!("{text:?}"))
            .sub("problem", rules_text::date_problem(error))
            .sub("forms", rules_text::date_forms(with_time))
            .render(operator_locale()),
    )
}

/// "`VALUE` is not allowed here; allowed: …" in the operator's language (argument parsers run
/// before the configuration is read).
pub fn choice_error(value: &str, allowed: &str) -> String {
    Msg::new("cli-bad-choice")
        .arg("value", value)
        .arg("allowed", allowed)
        .render(crate::i18n::operator_locale())
}

pub fn parse_role(text: &str) -> Result<Role, String> {
    text.trim().to_lowercase().parse()
}

pub fn parse_level(text: &str) -> Result<PermissionLevel, String> {
    PermissionLevel::parse(text).ok_or_else(|| choice_error(text, &PermissionLevel::words()))
}

pub fn parse_registration_status(text: &str) -> Result<RegistrationStatus, String> {
    RegistrationStatus::parse(text.trim()).ok_or_else(|| {
        let allowed: Vec<&str> = RegistrationStatus::ALL.iter().map(|s| s.as_str()).collect();
        choice_error(text, &allowed.join(", "))
    })
}

pub fn parse_join_status(text: &str) -> Result<String, String> {
    match text.trim() {
        s @ ("pending" | "approved" | "rejected" | "expired") => Ok(s.to_string()),
        other => Err(choice_error(other, "pending, approved, rejected, expired")),
    }
}

/// The operator's language: `LC_ALL`, `LC_MESSAGES`, `LANG`, else the configured default.
pub fn cli_locale(config: &Config) -> Locale {
    crate::i18n::set_operator_default(&config.i18n.default_locale);
    crate::i18n::operator_locale()
}

pub fn parse_status(text: &str) -> Result<OutboxStatus, String> {
    text.parse()
}

pub fn parse_contract_status(text: &str) -> Result<ContractStatus, String> {
    text.parse()
}

/// `30d`, `12h`, `90m`, `45s`: a whole number of 0 or more and a unit.
pub fn parse_age(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let refused = || {
        Msg::new("ops-bad-age")
            .arg("value", format!("{text:?}"))
            .render(crate::i18n::operator_locale())
    };
    // The unit is the last character, whatever its width (`30日` must not split a byte).
    let Some(unit) = text.chars().last() else {
        return Err(refused());
    };
    let number = &text[..text.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused());
    }
    let n: i64 = number.parse().map_err(|_| refused())?;
    let age = match unit {
        'd' => chrono::Duration::try_days(n),
        'h' => chrono::Duration::try_hours(n),
        'm' => chrono::Duration::try_minutes(n),
        's' => chrono::Duration::try_seconds(n),
        _ => None,
    };
    // A century is older than anything an outbox keeps; beyond it instants overflow.
    age.filter(|a| *a <= chrono::Duration::days(36_525))
        .ok_or_else(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_whole_numbers_with_a_unit_and_anything_else_is_refused() {
        assert_eq!(parse_age("30d"), Ok(chrono::Duration::days(30)));
        assert_eq!(parse_age(" 12h "), Ok(chrono::Duration::hours(12)));
        assert_eq!(parse_age("90m"), Ok(chrono::Duration::minutes(90)));
        assert_eq!(parse_age("0s"), Ok(chrono::Duration::zero()));
        // Multi-byte input, negative or signed ages, no number, overflow: refused, no panic.
        for bad in [
            "30日",
            "100000000d",
            "36526d",
            "日",
            "-5d",
            "+5d",
            "d",
            "",
            "5",
            "5 d",
            "5w",
            "99999999999999999999d",
            "9999999999999999d",
            "３０d",
        ] {
            let err = parse_age(bad).expect_err(bad);
            assert!(err.contains("30d"), "{bad}: {err}");
        }
    }
}
