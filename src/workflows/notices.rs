//! The notifications the workflows cause, rendered in each recipient's language as outbox rows
//! (the store writes them in the same transaction as the change). Subjects pass through
//! [`header_safe`], so a company name holding CR/LF can never add a header.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;
use serde_json::json;

use super::level::PermissionLevel;
use crate::config::DocumentsDestination;
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

/// The name a person registered, or `None` when what is stored is only a stand-in: empty, `-`,
/// an email address, the IBM ID's local part, or the console account (`operator`). Formal
/// mails address people by their registered name only (「山田 太郎 様」).
pub fn registered_name<'n>(name: &'n str, ibm_id: &str) -> Option<&'n str> {
    let name = name.trim();
    let local = ibm_id.split('@').next().unwrap_or_default();
    let stand_in = name.is_empty()
        || name == "-"
        || name.contains('@')
        || name.eq_ignore_ascii_case(local)
        || name.eq_ignore_ascii_case("operator")
        || name.starts_with("operator:");
    (!stand_in).then_some(name)
}

/// How a formal mail addresses the person: the registered name, else 「ご担当者」/"partner".
pub fn addressee(name: &str, ibm_id: &str, locale: Locale) -> String {
    registered_name(name, ibm_id)
        .map(str::to_string)
        .unwrap_or_else(|| tr(locale, "jr-addressee-unknown", &[]))
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

/// What an APA's notice of a join request names: the APA, the person, the company, the
/// location and the request id.
fn join_request_args<'a>(request: &'a JoinRequest, apa: &MemberRow, locale: Locale) -> Args<'a> {
    vec![
        (
            "apa",
            FluentValue::from(addressee(&apa.name, &apa.ibm_id, locale)),
        ),
        (
            "name",
            FluentValue::from(addressee(
                &request.person_name,
                &request.person_ibm_id,
                locale,
            )),
        ),
        ("ibm_id", FluentValue::from(request.person_ibm_id.as_str())),
        ("company", FluentValue::from(request.company_name.as_str())),
        (
            "location",
            FluentValue::from(request.location_name.as_str()),
        ),
        ("id", FluentValue::from(request.id)),
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
            let args = join_request_args(request, apa, locale);
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
                        registered_name(&apa.name, &apa.ibm_id),
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
        (
            "name",
            FluentValue::from(addressee(
                &request.person_name,
                &request.person_ibm_id,
                locale,
            )),
        ),
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
        registered_name(&request.person_name, &request.person_ibm_id),
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
    /// The registered name, when there is one (the `To:` display name).
    name: Option<&'a str>,
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
        notice.name,
        notice.locale,
        notice.subject,
        text,
        notice.key,
        at,
    )]
}

fn join_args(request: &JoinRequest, locale: Locale) -> Args<'_> {
    vec![
        (
            "name",
            FluentValue::from(addressee(
                &request.person_name,
                &request.person_ibm_id,
                locale,
            )),
        ),
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
    let args = join_args(request, locale);
    let notice = Notice {
        to: &request.person_ibm_id,
        name: registered_name(&request.person_name, &request.person_ibm_id),
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

fn registration_args(r: &Registration, locale: Locale) -> Args<'_> {
    vec![
        (
            "name",
            FluentValue::from(addressee(&r.applicant_name, &r.applicant_ibm_id, locale)),
        ),
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
    to_applicant_with(r, subject_id, body_id, key, at, |_| String::new())
}

/// [`to_applicant`] with more text (`extra`, in the applicant's language) before the PWCS line.
fn to_applicant_with(
    r: &Registration,
    subject_id: Option<&str>,
    body_id: &str,
    key: String,
    at: DateTime<Utc>,
    extra: impl Fn(Locale) -> String,
) -> Vec<NewOutboxMessage> {
    let locale = locale_of(&r.applicant_locale);
    let args = registration_args(r, locale);
    let subject = match subject_id {
        Some(id) => tr(locale, id, &args),
        None => r.company_name.clone(),
    };
    let mut text = tr(locale, body_id, &args);
    let more = extra(locale);
    if !more.is_empty() {
        text.push_str("\n\n");
        text.push_str(&more);
    }
    text.push_str("\n\n");
    text.push_str(&pwcs(locale));
    vec![email(
        &r.applicant_ibm_id,
        registered_name(&r.applicant_name, &r.applicant_ibm_id),
        locale,
        subject,
        text,
        key,
        at,
    )]
}

/// Where requested documents go, one line per way, from the JSON stored with the request.
pub fn documents_where(stored: Option<&str>, locale: Locale) -> Vec<String> {
    let Some(destination) =
        stored.and_then(|s| serde_json::from_str::<DocumentsDestination>(s).ok())
    else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(address) = &destination.reply_to {
        lines.push(tr(
            locale,
            "jr-documents-reply-to",
            &[("address", FluentValue::from(address.as_str()))],
        ));
    }
    if let Some(url) = &destination.upload_url {
        lines.push(tr(
            locale,
            "jr-documents-upload",
            &[("url", FluentValue::from(url.as_str()))],
        ));
    }
    if let Some(address) = &destination.postal_address {
        lines.push(tr(
            locale,
            "jr-documents-postal",
            &[("address", FluentValue::from(address.as_str()))],
        ));
    }
    lines
}

/// 書類の提出のお願い: what the review needs, from the reviewer's note.
pub fn registration_documents(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    to_applicant_with(
        r,
        Some("wf-mail-documents-subject"),
        "wf-mail-documents-body",
        format!("registration-documents:{}:{}", r.id, r.documents_requests),
        at,
        |locale| {
            let lines = documents_where(r.documents_to.as_deref(), locale);
            if lines.is_empty() {
                return String::new();
            }
            format!(
                "{}\n{}",
                tr(locale, "jr-documents-where", &[]),
                lines.join("\n")
            )
        },
    )
}

/// The documents arrived: the review continues (keyed by the request they answer).
pub fn registration_documents_received(
    r: &Registration,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    to_applicant_with(
        r,
        Some("jr-mail-received-subject"),
        "jr-mail-received-body",
        format!("registration-received:{}:{}", r.id, r.documents_requests),
        at,
        |locale| match &r.received_note {
            Some(note) => tr(
                locale,
                "jr-mail-received-note",
                &[("note", FluentValue::from(note.as_str()))],
            ),
            None => String::new(),
        },
    )
}

/// How the APA brings colleagues in (the token route and the APA route); never the token.
fn colleagues_block(r: &Registration, locale: Locale) -> String {
    let apa = addressee(
        r.apa_name.as_deref().unwrap_or(&r.applicant_name),
        r.apa_ibm_id.as_deref().unwrap_or(&r.applicant_ibm_id),
        locale,
    );
    tr(
        locale,
        "jr-mail-colleagues",
        &[
            ("apa", FluentValue::from(apa)),
            ("company", FluentValue::from(r.company_name.as_str())),
        ],
    )
}

/// 「手続き完了のご案内」: the review is complete; the Subject is the company name (seed 000:
/// 貴社名を件名とした「手続き完了のご案内」).
/// The APA the review named (when not the registrant) gets their own mail with the same
/// instructions, and a linked APA a Discord DM whose button shows the company token once.
pub fn registration_completed(r: &Registration, at: DateTime<Utc>) -> Vec<NewOutboxMessage> {
    let apa_is_applicant = r.apa_id.is_none_or(|apa| apa == r.applicant_id);
    let mut messages = to_applicant_with(
        r,
        None,
        "wf-mail-completed-body",
        format!("registration-completed:{}", r.id),
        at,
        |locale| {
            if r.apa_id.is_none() {
                String::new()
            } else if apa_is_applicant {
                colleagues_block(r, locale)
            } else {
                let apa_name = r.apa_name.clone().unwrap_or_default();
                let apa_id = r.apa_ibm_id.clone().unwrap_or_default();
                tr(
                    locale,
                    "jr-mail-completed-apa-other",
                    &[
                        (
                            "apa",
                            FluentValue::from(addressee(&apa_name, &apa_id, locale)),
                        ),
                        ("apa_id", FluentValue::from(apa_id.clone())),
                    ],
                )
            }
        },
    );
    let (Some(apa_id), Some(apa_ibm_id)) = (r.apa_id, r.apa_ibm_id.as_deref()) else {
        return messages;
    };
    let apa_name = r.apa_name.as_deref().unwrap_or_default();
    let locale = locale_of(r.apa_locale.as_deref().unwrap_or(&r.applicant_locale));
    if !apa_is_applicant {
        let args: Args = vec![
            (
                "name",
                FluentValue::from(addressee(apa_name, apa_ibm_id, locale)),
            ),
            ("company", FluentValue::from(r.company_name.as_str())),
            ("id", FluentValue::from(r.id)),
        ];
        let text = format!(
            "{}\n\n{}\n\n{}",
            tr(locale, "jr-mail-apa-body", &args),
            colleagues_block(r, locale),
            pwcs(locale)
        );
        messages.push(email(
            apa_ibm_id,
            registered_name(apa_name, apa_ibm_id),
            locale,
            tr(locale, "jr-mail-apa-subject", &args),
            text,
            format!("registration-apa:{}:{apa_id}", r.id),
            at,
        ));
    }
    if let Some(discord) = &r.apa_discord_user_id {
        let args: Args = vec![("company", FluentValue::from(r.company_name.as_str()))];
        let button = Button {
            id: format!("token:reveal:{}", r.company_id),
            label: tr(locale, "jr-button-show-token", &[]),
            style: ButtonStyle::Primary,
        };
        messages.push(NewOutboxMessage {
            channel: Channel::Discord,
            recipient: discord.clone(),
            subject: header_safe(&r.company_name),
            body_text: tr(locale, "jr-dm-token-ready", &args),
            body_html: None,
            payload: Some(json!({ "buttons": [button] }).to_string()),
            locale: locale.code().to_string(),
            dedupe_key: format!("registration-token-ready:{}:{apa_id}", r.id),
            not_before: at,
        });
    }
    messages
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
        Some(RegistrationStatus::DocumentsReceived) => registration_documents_received(r, at),
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

/// プロフィール管理者による登録 asked from chat: every APA of the company hears of it — a DM
/// whose level buttons add the person in one press when their account is linked, an email
/// otherwise.
pub fn ask_apa_alerts(
    request: &JoinRequest,
    apas: &[MemberRow],
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    apas.iter()
        .map(|apa| {
            let locale = locale_of(&apa.locale);
            let args = join_request_args(request, apa, locale);
            let subject = header_safe(&tr(locale, "jr-mail-ask-apa-subject", &args));
            let key = format!("ask-apa:{}:{}", request.id, apa.person_id);
            match &apa.discord_user_id {
                Some(discord) => {
                    let buttons: Vec<Button> = PermissionLevel::ALL
                        .into_iter()
                        .map(|level| Button {
                            id: format!("join:level:{}:{}", request.id, level.as_str()),
                            label: level.label(locale),
                            style: ButtonStyle::Success,
                        })
                        .chain(std::iter::once(Button {
                            id: format!("join:reject:{}", request.id),
                            label: tr(locale, "wf-button-reject", &[]),
                            style: ButtonStyle::Danger,
                        }))
                        .collect();
                    NewOutboxMessage {
                        channel: Channel::Discord,
                        recipient: discord.clone(),
                        subject,
                        body_text: tr(locale, "jr-dm-ask-apa", &args),
                        body_html: None,
                        payload: Some(json!({ "buttons": buttons }).to_string()),
                        locale: locale.code().to_string(),
                        dedupe_key: key,
                        not_before: at,
                    }
                }
                None => {
                    let text = format!(
                        "{}\n\n{}",
                        tr(locale, "jr-mail-ask-apa-body", &args),
                        pwcs(locale)
                    );
                    email(
                        &apa.ibm_id,
                        registered_name(&apa.name, &apa.ibm_id),
                        locale,
                        subject,
                        text,
                        key,
                        at,
                    )
                }
            }
        })
        .collect()
}

/// An admin decided a request that waited too long: the company's APAs are told who and how.
pub fn admin_decided(
    request: &JoinRequest,
    apas: &[MemberRow],
    admin: &str,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    apas.iter()
        .map(|apa| {
            let locale = locale_of(&apa.locale);
            let status = tr(locale, &format!("wf-join-status-{}", request.status), &[]);
            let detail = match (&request.permission_level, &request.reason) {
                (Some(level), _) if request.status == "approved" => {
                    PermissionLevel::label_of(level, locale)
                }
                (_, Some(reason)) => reason.clone(),
                _ => String::new(),
            };
            let args: Args = vec![
                (
                    "apa",
                    FluentValue::from(addressee(&apa.name, &apa.ibm_id, locale)),
                ),
                (
                    "name",
                    FluentValue::from(addressee(
                        &request.person_name,
                        &request.person_ibm_id,
                        locale,
                    )),
                ),
                ("ibm_id", FluentValue::from(request.person_ibm_id.as_str())),
                ("company", FluentValue::from(request.company_name.as_str())),
                (
                    "location",
                    FluentValue::from(request.location_name.as_str()),
                ),
                ("id", FluentValue::from(request.id)),
                ("admin", FluentValue::from(admin)),
                ("status", FluentValue::from(status)),
                ("detail", FluentValue::from(detail)),
            ];
            let text = format!(
                "{}\n\n{}",
                tr(locale, "jr-mail-admin-decided-body", &args),
                pwcs(locale)
            );
            email(
                &apa.ibm_id,
                registered_name(&apa.name, &apa.ibm_id),
                locale,
                tr(locale, "jr-mail-admin-decided-subject", &args),
                text,
                format!("admin-decided:{}:{}", request.id, apa.person_id),
                at,
            )
        })
        .collect()
}

/// A primary-contact handover: the new holder and the previous one are both told.
pub fn handover(
    company: &crate::store::Company,
    from: &MemberRow,
    to: &crate::store::Person,
    fallback: crate::store::Role,
    at: DateTime<Utc>,
) -> Vec<NewOutboxMessage> {
    let key = format!("handover:{}:{}:{}", company.id, from.person_id, to.id);
    let mut messages = Vec::new();
    for (ibm_id, name, locale, body, suffix) in [
        (
            &to.ibm_id,
            &to.name,
            &to.locale,
            "jr-mail-handover-to-body",
            "to",
        ),
        (
            &from.ibm_id,
            &from.name,
            &from.locale,
            "jr-mail-handover-from-body",
            "from",
        ),
    ] {
        let locale = locale_of(locale);
        let args: Args = vec![
            ("name", FluentValue::from(addressee(name, ibm_id, locale))),
            ("company", FluentValue::from(company.name.as_str())),
            (
                "from",
                FluentValue::from(addressee(&from.name, &from.ibm_id, locale)),
            ),
            (
                "to",
                FluentValue::from(addressee(&to.name, &to.ibm_id, locale)),
            ),
            (
                "role",
                FluentValue::from(tr(locale, &format!("wf-role-{}", fallback.as_str()), &[])),
            ),
        ];
        let text = format!("{}\n\n{}", tr(locale, body, &args), pwcs(locale));
        messages.push(email(
            ibm_id,
            registered_name(name, ibm_id),
            locale,
            tr(locale, "jr-mail-handover-subject", &args),
            text,
            format!("{key}:{suffix}:{}", at.timestamp()),
            at,
        ));
    }
    messages
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
            location_name: None,
            apa_id: None,
            apa_ibm_id: None,
            apa_name: None,
            apa_locale: None,
            apa_discord_user_id: None,
            documents_to: None,
            received_note: None,
        }
    }

    #[test]
    fn formal_mails_name_people_as_registered_never_a_stand_in() {
        assert_eq!(
            registered_name("山田 太郎", "taro@example.com"),
            Some("山田 太郎")
        );
        for stand_in in [
            "taro",
            "TARO",
            "operator",
            "operator:ops",
            "-",
            " ",
            "t@x.com",
        ] {
            assert_eq!(
                registered_name(stand_in, "taro@example.com"),
                None,
                "{stand_in}"
            );
        }
        assert_eq!(
            addressee("taro", "taro@example.com", Locale::Ja),
            "ご担当者"
        );
        let mut r = registration("株式会社サンプル", "ja");
        r.applicant_name = "a".into();
        let mail = registration_completed(&r, Utc::now());
        assert!(
            mail[0].body_text.starts_with("ご担当者 様"),
            "{}",
            mail[0].body_text
        );
        assert_eq!(mail[0].payload, None, "no stand-in display name in To:");
    }

    #[test]
    fn completion_tells_the_apa_both_routes_and_never_the_token() {
        let mut r = registration("株式会社サンプル", "ja");
        r.apa_id = Some(2);
        r.apa_ibm_id = Some("a@example.com".into());
        r.apa_name = Some("山田 花子".into());
        r.apa_discord_user_id = Some("42".into());
        let messages = registration_completed(&r, Utc::now());
        assert!(messages[0].body_text.contains("/join token:"));
        assert!(messages[0].body_text.contains("/add-member"));
        assert!(messages[0]
            .body_text
            .contains("/join company:株式会社サンプル"));
        let dm = messages
            .iter()
            .find(|m| m.channel == Channel::Discord)
            .expect("a DM for the linked APA");
        assert!(dm
            .payload
            .as_deref()
            .is_some_and(|p| p.contains("token:reveal:1")));
        // Another APA: the registrant is told who, the APA gets their own mail.
        r.apa_id = Some(9);
        r.apa_ibm_id = Some("apa@example.com".into());
        r.apa_name = Some("管理 次郎".into());
        let messages = registration_completed(&r, Utc::now());
        assert!(messages[0]
            .body_text
            .contains("管理 次郎 様 (apa@example.com)"));
        assert!(messages
            .iter()
            .any(|m| m.recipient == "apa@example.com" && m.body_text.contains("/add-member")));
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
