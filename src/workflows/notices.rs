//! The notifications the workflows cause, rendered in each recipient's language as outbox rows
//! (the store writes them in the same transaction as the change). Subjects pass through
//! [`header_safe`], so a company name holding CR/LF can never add a header.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use serde_json::json;

use super::level::PermissionLevel;
use crate::i18n::text::{header_safe, html_of, locale_of};
use crate::i18n::{tr, Locale};
use crate::notify::button::{Button, ButtonStyle};
use crate::notify::mail::email_payload;
use crate::store::{
    Channel, JoinRequest, MemberRow, NewOutboxMessage, Registration, RegistrationStatus,
};

type Args<'a> = Vec<(&'a str, FluentValue<'a>)>;

/// An email to `to`, addressed by `to_name` when known (carried in the payload; the dispatcher
/// folds it onto one line).
fn email(
    to: &str,
    to_name: Option<&str>,
    locale: Locale,
    subject: String,
    text: String,
    dedupe_key: String,
    at: DateTime<Utc>,
) -> NewOutboxMessage {
    let subject = header_safe(&subject);
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: to.to_string(),
        body_html: Some(html_of(&subject, &text)),
        subject,
        body_text: text,
        payload: to_name.and_then(email_payload),
        locale: locale.code().to_string(),
        dedupe_key,
        not_before: at,
    }
}

fn pwcs(locale: Locale) -> String {
    tr(locale, "wf-mail-pwcs", &[])
}

/// Approve and Reject for an APA's alert about join request `request_id`.
pub fn decision_buttons(request_id: i64, locale: Locale) -> Vec<Button> {
    vec![
        Button {
            id: format!("join:approve:{request_id}"),
            label: tr(locale, "wf-button-approve", &[]),
            style: ButtonStyle::Success,
        },
        Button {
            id: format!("join:reject:{request_id}"),
            label: tr(locale, "wf-button-reject", &[]),
            style: ButtonStyle::Danger,
        },
    ]
}

/// 会社トークン方式: every APA of the company hears of a new request — a Discord DM with
/// Approve and Reject buttons when their account is linked, an email otherwise.
pub fn join_alerts(
    request: &JoinRequest,
    apas: &[MemberRow],
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    apas.iter()
        .map(|apa| {
            let locale = locale_of(&apa.locale);
            let args: Args = vec![
                ("apa", FluentValue::from(apa.name.as_str())),
                ("name", FluentValue::from(request.person_name.as_str())),
                ("ibm_id", FluentValue::from(request.person_ibm_id.as_str())),
                ("company", FluentValue::from(request.company_name.as_str())),
                (
                    "location",
                    FluentValue::from(request.location_name.as_str()),
                ),
                ("id", FluentValue::from(request.id)),
            ];
            let subject = header_safe(&tr(locale, "wf-mail-join-alert-subject", &args));
            match &apa.discord_user_id {
                Some(discord) => {
                    let buttons = json!({ "buttons": decision_buttons(request.id, locale) });
                    NewOutboxMessage {
                        channel: Channel::Discord,
                        recipient: discord.clone(),
                        subject,
                        body_text: tr(locale, "wf-dm-join-alert", &args),
                        body_html: None,
                        payload: Some(buttons.to_string()),
                        locale: locale.code().to_string(),
                        dedupe_key: format!("join-alert:{}:{}", request.id, apa.person_id),
                        not_before: at,
                    }
                }
                None => {
                    let mut text = tr(locale, "wf-mail-join-alert-body", &args);
                    text.push_str("\n\n");
                    text.push_str(&pwcs(locale));
                    email(
                        &apa.ibm_id,
                        Some(&apa.name),
                        locale,
                        subject,
                        text,
                        format!("join-alert:{}:{}", request.id, apa.person_id),
                        at,
                    )
                }
            }
        })
        .collect()
}

/// ご登録確認とガイド: the person was approved (token) or added by the APA.
pub fn welcome(request: &JoinRequest, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    let locale = locale_of(&request.person_locale);
    let level = request
        .permission_level
        .as_deref()
        .map(|l| PermissionLevel::label_of(l, locale))
        .unwrap_or_default();
    let args: Args = vec![
        ("name", FluentValue::from(request.person_name.as_str())),
        ("ibm_id", FluentValue::from(request.person_ibm_id.as_str())),
        ("company", FluentValue::from(request.company_name.as_str())),
        (
            "location",
            FluentValue::from(request.location_name.as_str()),
        ),
        ("level", FluentValue::from(level)),
    ];
    let intro = if request.method == "apa" {
        "wf-mail-welcome-added"
    } else {
        "wf-mail-welcome-approved"
    };
    let mut text = tr(locale, intro, &args);
    text.push_str("\n\n");
    text.push_str(&tr(locale, "wf-mail-welcome-guide", &args));
    text.push_str("\n\n");
    text.push_str(&pwcs(locale));
    let key = if request.method == "apa" {
        format!("member-added:{}", request.id)
    } else {
        format!("join-approved:{}", request.id)
    };
    vec![email(
        &request.person_ibm_id,
        Some(&request.person_name),
        locale,
        tr(locale, "wf-mail-welcome-subject", &args),
        text,
        key,
        at,
    )]
}

/// Who a notice goes to, how it is told, and under which dedupe key.
struct Notice<'a> {
    to: &'a str,
    name: &'a str,
    locale: Locale,
    subject: String,
    body_id: &'a str,
    key: String,
}

/// A mail whose body ends with how to reach PWCS, for questions.
fn with_pwcs(notice: Notice<'_>, args: &Args<'_>, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    let mut text = tr(notice.locale, notice.body_id, args);
    text.push_str("\n\n");
    text.push_str(&pwcs(notice.locale));
    vec![email(
        notice.to,
        Some(notice.name),
        notice.locale,
        notice.subject,
        text,
        notice.key,
        at,
    )]
}

fn join_args(request: &JoinRequest) -> Args<'_> {
    vec![
        ("name", FluentValue::from(request.person_name.as_str())),
        ("company", FluentValue::from(request.company_name.as_str())),
        (
            "location",
            FluentValue::from(request.location_name.as_str()),
        ),
        (
            "reason",
            FluentValue::from(request.reason.clone().unwrap_or_default()),
        ),
    ]
}

/// A notice to the person who asked to join, about their request.
fn to_joiner(
    request: &JoinRequest,
    subject_id: &str,
    body_id: &str,
    key: String,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(&request.person_locale);
    let args = join_args(request);
    let notice = Notice {
        to: &request.person_ibm_id,
        name: &request.person_name,
        locale,
        subject: tr(locale, subject_id, &args),
        body_id,
        key,
    };
    with_pwcs(notice, &args, at)
}

/// The request was rejected, with the APA's reason.
pub fn join_rejected(request: &JoinRequest, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_joiner(
        request,
        "wf-mail-join-rejected-subject",
        "wf-mail-join-rejected-body",
        format!("join-rejected:{}", request.id),
        at,
    )
}

/// Nobody decided the request in time: it expired, and the person may apply again.
pub fn join_expired(request: &JoinRequest, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_joiner(
        request,
        "wf-mail-join-expired-subject",
        "wf-mail-join-expired-body",
        format!("join-expired:{}", request.id),
        at,
    )
}

fn registration_args(r: &Registration) -> Args<'_> {
    vec![
        ("name", FluentValue::from(r.applicant_name.as_str())),
        ("company", FluentValue::from(r.company_name.as_str())),
        ("id", FluentValue::from(r.id)),
        (
            "note",
            FluentValue::from(r.note.clone().unwrap_or_default()),
        ),
        (
            "reason",
            FluentValue::from(r.reason.clone().unwrap_or_default()),
        ),
    ]
}

/// A notice to a registration's applicant; `subject` is the message id of the subject, or
/// `None` for the company name itself (the completion notice).
fn to_applicant(
    r: &Registration,
    subject_id: Option<&str>,
    body_id: &str,
    key: String,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(&r.applicant_locale);
    let args = registration_args(r);
    let subject = match subject_id {
        Some(id) => tr(locale, id, &args),
        None => r.company_name.clone(),
    };
    let notice = Notice {
        to: &r.applicant_ibm_id,
        name: &r.applicant_name,
        locale,
        subject,
        body_id,
        key,
    };
    with_pwcs(notice, &args, at)
}

/// 書類の提出のお願い: what the review needs, from the reviewer's note.
pub fn registration_documents(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_applicant(
        r,
        Some("wf-mail-documents-subject"),
        "wf-mail-documents-body",
        format!("registration-documents:{}:{}", r.id, r.documents_requests),
        at,
    )
}

/// 「手続き完了のご案内」: the review is complete; the Subject is the company name (seed 000:
/// 貴社名を件名とした「手続き完了のご案内」).
pub fn registration_completed(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_applicant(
        r,
        None,
        "wf-mail-completed-body",
        format!("registration-completed:{}", r.id),
        at,
    )
}

pub fn registration_rejected(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_applicant(
        r,
        Some("wf-mail-registration-rejected-subject"),
        "wf-mail-registration-rejected-body",
        format!("registration-rejected:{}", r.id),
        at,
    )
}

/// The review notice a registration in its current status should have sent: documents
/// requested (keyed by how many times) or completed. The keys are those the transition writes,
/// so the `review-mail` sweep re-enqueueing them is a no-op when the transition already did.
pub fn review_notices(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    match r.status() {
        Some(RegistrationStatus::DocumentsRequested) => registration_documents(r, at),
        Some(RegistrationStatus::Completed) => registration_completed(r, at),
        _ => Vec::new(),
    }
}

/// The one-time code of `/link`.
pub fn link_code(
    ibm_id: &str,
    code: &str,
    locale: Locale,
    link_id: i64,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    let args: Args = vec![
        ("code", FluentValue::from(code)),
        ("ibm_id", FluentValue::from(ibm_id)),
    ];
    vec![email(
        ibm_id,
        None,
        locale,
        tr(locale, "wf-mail-link-subject", &args),
        tr(locale, "wf-mail-link-body", &args),
        format!("link-code:{link_id}"),
        at,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn registration(company: &str, locale: &str) -> Registration {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 24, 1, 0, 0)
            .single()
            .expect("t");
        Registration {
            id: 7,
            company_id: 1,
            applicant_id: 2,
            status: "completed".into(),
            note: None,
            reason: None,
            decided_by: None,
            decided_at: None,
            documents_requests: 0,
            created_at: at,
            updated_at: at,
            company_name: company.into(),
            applicant_ibm_id: "a@example.com".into(),
            applicant_name: "山田 花子".into(),
            applicant_locale: locale.into(),
        }
    }

    #[test]
    fn completion_subject_is_the_company_name_without_line_breaks() {
        let at = Utc::now();
        let ja = registration_completed(&registration("株式会社サンプル", "ja"), at);
        assert_eq!(ja[0].subject, "株式会社サンプル");
        assert!(ja[0].body_text.contains("手続き完了のご案内"));
        assert_eq!(ja[0].dedupe_key, "registration-completed:7");
        assert_eq!(
            crate::notify::to_name_from_payload(ja[0].payload.as_deref()).as_deref(),
            Some("山田 花子")
        );
        let en = registration_completed(&registration("Evil\r\nBcc: x@example.com", "en"), at);
        assert_eq!(en[0].subject, "Evil Bcc: x@example.com");
        assert_eq!(en[0].locale, "en");
        assert!(en[0].body_text.contains("「手続き完了のご案内」"));
    }

    #[test]
    fn review_notices_follow_the_status_with_the_transition_keys() {
        let at = Utc::now();
        let mut r = registration("株式会社サンプル", "ja");
        assert_eq!(
            review_notices(&r, at)[0].dedupe_key,
            "registration-completed:7"
        );
        r.status = "documents-requested".into();
        r.documents_requests = 2;
        assert_eq!(
            review_notices(&r, at)[0].dedupe_key,
            "registration-documents:7:2"
        );
        for status in ["submitted", "under-review", "rejected", "bogus"] {
            r.status = status.into();
            assert!(review_notices(&r, at).is_empty(), "{status}");
        }
    }
}
