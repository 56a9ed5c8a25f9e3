//! Human-readable renderings of the business rules (hours, renewal windows, payment), shared by
//! the CLI (`hours`, `renewal explain`, `payment explain`) and the chat answers.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use partnerdesk_domain::calendar::{BusinessCalendar, HoursStatus};
use partnerdesk_domain::payment::PaymentExplanation;
use partnerdesk_domain::renewal::RenewalExplanation;

use crate::i18n::format;
use crate::i18n::{tr, Locale};

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
