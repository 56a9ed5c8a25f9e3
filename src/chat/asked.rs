//! What the desk says about the date or time a question asks about.
//!
//! This file owns the answer side of asked instants: reading the instant of a question in the
//! desk's zone (through the one parser, `partnerdesk_knowledge::date`), which year a year-less
//! date means for a topic, and which computed sentence goes with which topic:
//! - hours (PWCS, and APA's "ask PWCS"): the hours at the asked instant, or on the asked day
//!   (business day and its hours, or why it is closed and the next opening); now when nothing
//!   was asked;
//! - renewal: the window, deadline and end date for the asked renewal date;
//! - billing / payment: the payee and due date for the asked invoice date.
//!
//! A date written without a year in a question about the Aspera → IBM transition (renewal,
//! billing, payment terms, contract transfer) means the transition year, the year of the
//! configured renewal cutover (2015): "6/30までに更新" is 2015-06-30, not next June.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::payment::PaymentPolicy;
use partnerdesk_domain::renewal::RenewalPolicy;
use partnerdesk_knowledge::{read_asked, Asked, DateError, Hints, TopicId};

use crate::i18n::rules_text;
use crate::i18n::Locale;

/// The instant `question` asks about, read in the calendar's zone at `now`.
pub fn read(question: &str, calendar: &BusinessCalendar, now: DateTime<Utc>) -> Option<Asked> {
    read_asked(question, calendar.local_time(now))
}

/// Topics about the Aspera → IBM transition, whose year-less dates mean the transition year.
fn about_transition(topic: TopicId) -> bool {
    matches!(
        topic,
        TopicId::Renewal | TopicId::Billing | TopicId::PaymentTerms | TopicId::ContractTransfer
    )
}

/// The asked date as `topic` means it (see the module docs); `None` when only a time was asked.
pub fn date_for_topic(
    asked: &Asked,
    topic: TopicId,
    hints: Hints,
    renewal: &RenewalPolicy,
) -> Option<NaiveDate> {
    if !asked.date_written {
        return None;
    }
    let transition = about_transition(topic) || hints.renewal || hints.invoice || hints.payment;
    Some(if transition {
        asked.date_in_year(renewal.config().cutover.year())
    } else {
        asked.date
    })
}

/// The opening-hours sentence of an answer (`$status`): at the asked instant or on the asked
/// day for the hours topics, else now.
pub fn hours_status(
    lang: Locale,
    topic: TopicId,
    asked: Option<&Asked>,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> String {
    let about_hours = matches!(topic, TopicId::Pwcs | TopicId::Apa);
    match asked.filter(|_| about_hours) {
        Some(asked) => hours_at_asked(lang, asked, calendar, now),
        None => rules_text::hours_now(lang, calendar, now),
    }
}

/// The hours at an asked instant (a time was given) or on an asked day.
pub fn hours_at_asked(
    lang: Locale,
    asked: &Asked,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> String {
    let this_year = calendar.local_time(now).year();
    match asked.local() {
        Some(local) => rules_text::hours_at(lang, calendar, local, this_year),
        None => rules_text::hours_on_day(lang, calendar, asked.date, this_year),
    }
}

/// The computed renewal or payment explanation for the asked date, when the question is about
/// one of them; `None` otherwise.
pub fn asked_answer(
    lang: Locale,
    topic: TopicId,
    hints: Hints,
    asked: &Asked,
    renewal: &RenewalPolicy,
    payment: &PaymentPolicy,
) -> Option<String> {
    let date = date_for_topic(asked, topic, hints, renewal)?;
    let about_payment =
        matches!(topic, TopicId::Billing | TopicId::PaymentTerms) || hints.invoice || hints.payment;
    let about_renewal = topic == TopicId::Renewal || hints.renewal;
    if about_renewal && !hints.invoice {
        Some(rules_text::renewal_text(lang, &renewal.explain(date)))
    } else if about_payment {
        Some(rules_text::payment_text(lang, &payment.explain(date)))
    } else {
        None
    }
}

/// Why a command's date argument was not read, with the accepted forms.
pub fn refusal(raw: &str) -> crate::i18n::Msg {
    let error = if raw.trim().is_empty() {
        DateError::Empty
    } else {
        // Free text with no date in it; a written date that does not exist says so.
        match partnerdesk_knowledge::parse_when(raw, chrono::NaiveDateTime::MIN) {
            Err(DateError::NoSuchDate) => DateError::NoSuchDate,
            _ => DateError::NotADate,
        }
    };
    rules_text::date_refusal(error, raw, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        // 2026-06-16 10:00 JST, a Tuesday.
        Utc.with_ymd_and_hms(2026, 6, 16, 1, 0, 0)
            .single()
            .expect("instant")
    }

    #[test]
    fn anniversary_asked_the_day_before() {
        let calendar = BusinessCalendar::pwcs();
        let asked = read("6月17日10時は電話つながりますか？", &calendar, now()).expect("asked");
        let text = hours_status(Locale::Ja, TopicId::Pwcs, Some(&asked), &calendar, now());
        assert_eq!(
            text,
            "6月17日(水) 10:00 は日本 IBM 創立記念日のため受付時間外です。次の受付開始は 6月18日(木) 9:00 です。"
        );
        let asked = read("6月17日は電話つながりますか？", &calendar, now()).expect("asked");
        let text = hours_status(Locale::Ja, TopicId::Pwcs, Some(&asked), &calendar, now());
        assert_eq!(
            text,
            "6月17日(水) は日本 IBM 創立記念日のため休業日です。次の受付開始は 6月18日(木) 9:00 です。"
        );
        // Another topic speaks of now.
        let text = hours_status(Locale::Ja, TopicId::Tax, Some(&asked), &calendar, now());
        assert!(text.starts_with("ただいま受付時間内です"), "{text}");
    }

    #[test]
    fn transition_topics_put_year_less_dates_in_2015() {
        let calendar = BusinessCalendar::pwcs();
        let renewal = partnerdesk_domain::RenewalPolicyConfig::default()
            .build()
            .expect("policy");
        let asked = read("7/1の請求書は誰に払う？", &calendar, now()).expect("asked");
        let hints = Hints::of("7/1の請求書は誰に払う？");
        assert_eq!(
            date_for_topic(&asked, TopicId::Billing, hints, &renewal),
            NaiveDate::from_ymd_opt(2015, 7, 1)
        );
        assert_eq!(
            date_for_topic(&asked, TopicId::Pwcs, Hints::default(), &renewal),
            NaiveDate::from_ymd_opt(2026, 7, 1)
        );
    }
}
