//! Human-readable renderings of the business rules (hours, renewal windows, payment), shared by
//! the CLI (`hours`, `renewal explain`, `payment explain`) and the chat answers: now, at an
//! asked instant ([`hours_at`]) or on an asked day ([`hours_on_day`]); and the one wording of
//! a date that cannot be read ([`date_refusal`]), wherever dates are typed.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use fluent_bundle::FluentValue;
use partnerdesk_domain::calendar::{BusinessCalendar, ClosedReason, HoursStatus};
use partnerdesk_domain::payment::PaymentExplanation;
use partnerdesk_domain::renewal::RenewalExplanation;

use crate::i18n::format;
use crate::i18n::{tr, Locale, Msg};
use partnerdesk_knowledge::DateError;

/// "Open now until 12:00." / "Closed (lunch break). Opens Tue, November 24, 13:00."
pub fn hours_sentence(locale: Locale, calendar: &BusinessCalendar, status: &HoursStatus) -> String {
    let zone = calendar.zone();
    if status.open {
        let until = status
            .next_close
            .map(|t| format::clock_time(t, zone))
            .unwrap_or_default();
        tr(locale, "hours-open", &[("until", FluentValue::from(until))])
    } else {
        let reason = closed_reason(locale, status);
        match status.next_open {
            Some(next) => tr(
                locale,
                "hours-closed",
                &[
                    ("reason", FluentValue::from(reason)),
                    (
                        "next_open",
                        FluentValue::from(format::moment(locale, next, zone)),
                    ),
                ],
            ),
            None => tr(
                locale,
                "hours-closed-no-next",
                &[("reason", FluentValue::from(reason))],
            ),
        }
    }
}

/// The reason the desk is closed, in `locale` (a holiday by its name in that language).
pub fn closed_reason(locale: Locale, status: &HoursStatus) -> String {
    let name = match locale {
        Locale::Ja => status.reason.holiday_name_ja(),
        Locale::En => status.reason.holiday_name_en(),
    }
    .unwrap_or_default()
    .to_string();
    tr(
        locale,
        status.reason.message_id(),
        &[("name", FluentValue::from(name))],
    )
}

/// The hours status at `at`, as a sentence.
pub fn hours_now(locale: Locale, calendar: &BusinessCalendar, at: DateTime<Utc>) -> String {
    hours_sentence(locale, calendar, &calendar.status_at(at))
}

pub fn renewal_text(locale: Locale, explanation: &RenewalExplanation) -> String {
    let date = |d| FluentValue::from(format::date(locale, d));
    tr(
        locale,
        explanation.window.message_id(),
        &[
            ("renewal_date", date(explanation.renewal_date)),
            (
                "confirm_by",
                explanation
                    .confirm_by
                    .map(date)
                    .unwrap_or(FluentValue::from("")),
            ),
            ("end_date", date(explanation.renewal_end_date)),
        ],
    )
}

pub fn payment_text(locale: Locale, explanation: &PaymentExplanation) -> String {
    let date = |d| FluentValue::from(format::date(locale, d));
    let mut text = tr(
        locale,
        explanation.payee.message_id(),
        &[
            ("invoice_date", date(explanation.invoice_date)),
            (
                "due_date",
                explanation
                    .due_date
                    .map(date)
                    .unwrap_or(FluentValue::from("")),
            ),
            ("payee", FluentValue::from(explanation.payee_name.clone())),
        ],
    );
    if explanation.contract_terms_override {
        text.push('\n');
        text.push_str(&tr(locale, "payment-contract-terms", &[]));
    }
    text
}

/// The hours at an asked local instant, as a sentence that names it: "6月17日(水) 10:00 は日本
/// IBM 創立記念日のため受付時間外です。次の受付開始は 6月18日(木) 9:00 です。" `this_year` is the
/// reader's current year (the asked day shows its year only when it differs).
pub fn hours_at(
    locale: Locale,
    calendar: &BusinessCalendar,
    local: NaiveDateTime,
    this_year: i32,
) -> String {
    let zone = calendar.zone();
    let when = FluentValue::from(format::day_time(locale, local, this_year));
    let Some(at) = calendar.instant_of(local) else {
        return hours_on_day(locale, calendar, local.date(), this_year);
    };
    let status = calendar.status_at(at);
    if status.open {
        let until = status
            .next_close
            .map(|t| format::clock_time(t, zone))
            .unwrap_or_default();
        return tr(
            locale,
            "asked-hours-open",
            &[("when", when), ("until", FluentValue::from(until))],
        );
    }
    // "本日の受付開始前" speaks of today; an asked day has its own words.
    let reason = match status.reason {
        ClosedReason::BeforeHours => tr(locale, "asked-reason-before-hours", &[]),
        ClosedReason::AfterHours => tr(locale, "asked-reason-after-hours", &[]),
        _ => closed_reason(locale, &status),
    };
    match status.next_open {
        Some(next) => tr(
            locale,
            "asked-hours-closed",
            &[
                ("when", when),
                ("reason", FluentValue::from(reason)),
                (
                    "next_open",
                    FluentValue::from(format::moment(locale, next, zone)),
                ),
            ],
        ),
        None => tr(
            locale,
            "asked-hours-closed-no-next",
            &[("when", when), ("reason", FluentValue::from(reason))],
        ),
    }
}

/// Whether an asked day is a business day, with its hours, or why it is closed and when the
/// desk next opens.
pub fn hours_on_day(
    locale: Locale,
    calendar: &BusinessCalendar,
    date: NaiveDate,
    this_year: i32,
) -> String {
    let zone = calendar.zone();
    let day = FluentValue::from(format::day(locale, date, this_year));
    let periods = calendar.periods_on(date);
    if !periods.is_empty() {
        let hours = periods
            .iter()
            .map(|&(from, to)| {
                tr(
                    locale,
                    "asked-period",
                    &[
                        ("from", FluentValue::from(format::clock_time(from, zone))),
                        ("to", FluentValue::from(format::clock_time(to, zone))),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(&tr(locale, "asked-period-join", &[]));
        return tr(
            locale,
            "asked-day-open",
            &[("day", day), ("hours", FluentValue::from(hours))],
        );
    }
    let reason = calendar
        .day_closure(date)
        .unwrap_or(ClosedReason::ExtraClosure);
    let reason = closed_reason(
        locale,
        &HoursStatus {
            open: false,
            next_open: None,
            next_close: None,
            reason,
        },
    );
    let next_open = calendar
        .instant_of(date.and_time(NaiveTime::MIN))
        .and_then(|midnight| calendar.status_at(midnight).next_open);
    match next_open {
        Some(next) => tr(
            locale,
            "asked-day-closed",
            &[
                ("day", day),
                ("reason", FluentValue::from(reason)),
                (
                    "next_open",
                    FluentValue::from(format::moment(locale, next, zone)),
                ),
            ],
        ),
        None => tr(
            locale,
            "asked-day-closed-no-next",
            &[("day", day), ("reason", FluentValue::from(reason))],
        ),
    }
}

/// Why a text is not a date, in the reader's language (a `dates-*` message).
pub fn date_problem(error: DateError) -> Msg {
    Msg::new(match error {
        DateError::Empty => "dates-empty",
        DateError::NoSuchDate => "dates-no-such-date",
        DateError::NotADate => "dates-not-a-date",
    })
}

/// The accepted date forms (`with_time`: and the time forms), listed in every refusal.
pub fn date_forms(with_time: bool) -> Msg {
    Msg::new(if with_time {
        "dates-date-time-forms"
    } else {
        "dates-forms"
    })
}

/// A refused date in chat: the text, the problem, then the accepted forms (`dates-refused`).
pub fn date_refusal(error: DateError, value: &str, with_time: bool) -> Msg {
    Msg::new("dates-refused")
        .arg("value", value)
        .sub("problem", date_problem(error))
        .sub("forms", date_forms(with_time))
}
