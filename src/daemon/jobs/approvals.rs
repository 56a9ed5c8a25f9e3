//! Waiting approvals: join requests nobody decided are escalated to the company's APAs, then to
//! admins, and expire; completed or documents-requested registrations get their notice if a
//! path missed it (the review-mail safety net).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentValue;

use crate::i18n::text::html_of;
use crate::i18n::tr;
use crate::notify::mail::email_payload;
use crate::store::{
    Actor, Channel, JoinRequest, NewOutboxMessage, RegistrationFilter, RegistrationStatus, Role,
    StoreResult,
};
use crate::workflows::notices;

use super::context::*;

impl JobContext {
    /// `approval-escalation`: join requests waiting more than N business days remind their
    /// company's APAs; after M, the admins.
    pub async fn approval_escalation(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let pending = self.store.pending_join_requests().await?;
        let today = now.with_timezone(&self.calendar.zone()).date_naive();
        let mut messages = Vec::new();
        let mut expired = 0;
        for request in &pending {
            let created = request
                .created_at
                .with_timezone(&self.calendar.zone())
                .date_naive();
            let waited = self.business_days_between(created, today);
            let expire_after = self.reminders.expire_join_after_business_days;
            if expire_after > 0 && waited > expire_after {
                let actor = Actor::new("job:approval-escalation", "scheduler");
                let notices = |r: &JoinRequest| notices::join_expired(r, now);
                if self
                    .store
                    .expire_join_request(request.id, &actor, now, &notices)
                    .await?
                    .is_some()
                {
                    expired += 1;
                }
                continue;
            }
            let mut notify = Vec::new();
            if waited > self.reminders.escalate_to_apa_after_business_days {
                notify.push((
                    "apa",
                    self.store
                        .people_with_role(Role::Apa, Some(request.company_id))
                        .await?,
                ));
            }
            if waited > self.reminders.escalate_to_admin_after_business_days {
                notify.push((
                    "admin",
                    self.store.people_with_role(Role::Admin, None).await?,
                ));
            }
            for (level, people) in notify {
                for person in people {
                    let locale = locale_or_ja(&person.locale);
                    let args = [
                        (
                            "name",
                            FluentValue::from(notices::addressee(
                                &person.name,
                                &person.ibm_id,
                                locale,
                            )),
                        ),
                        (
                            "requester",
                            FluentValue::from(notices::addressee(
                                &request.person_name,
                                &request.person_ibm_id,
                                locale,
                            )),
                        ),
                        (
                            "requester_id",
                            FluentValue::from(request.person_ibm_id.as_str()),
                        ),
                        ("company", FluentValue::from(request.company_name.as_str())),
                        (
                            "location",
                            FluentValue::from(request.location_name.as_str()),
                        ),
                        ("days", FluentValue::from(waited)),
                        ("request", FluentValue::from(request.id)),
                    ];
                    let subject = single_line(&tr(locale, "escalation-subject", &args));
                    let body_text = tr(locale, "escalation-body", &args);
                    let mail = NewOutboxMessage {
                        channel: Channel::Email,
                        recipient: person.ibm_id.clone(),
                        body_html: Some(html_of(&subject, &body_text)),
                        subject,
                        body_text,
                        payload: notices::registered_name(&person.name, &person.ibm_id)
                            .and_then(email_payload),
                        locale: locale.code().into(),
                        dedupe_key: format!("escalation:{level}:{}:{}", request.id, person.id),
                        not_before: now,
                    };
                    // Linked on Discord: a DM too, with the decision buttons for the APAs.
                    if let Some(discord_id) = &person.discord_user_id {
                        // Admins decide from the DM too (issue 13: escalations can be acted on).
                        let buttons = notices::decision_buttons(request.id, locale);
                        messages.push(discord_copy(&mail, discord_id, &buttons));
                    }
                    messages.push(mail);
                }
            }
        }
        Ok(JobReport {
            considered: pending.len() as u64,
            // An expiry writes its notice in its own transaction: one message each.
            enqueued: self.store.enqueue_many(&messages, now).await? + expired,
            purged: 0,
        })
    }

    /// `review-mail`: the safety net of the review notices. Every registration whose review
    /// is completed, or waiting for requested documents, and that changed within the outbox
    /// retention period, gets its notice enqueued with the key the workflow transition uses
    /// (`registration-completed:{id}`, `registration-documents:{id}:{n}`): a no-op when the
    /// transition already wrote it, the missing mail when the registration got there another
    /// way (directly in the database, or before the notice existed).
    ///
    /// The look-back stops at `outbox.retention_days`, because `retention` purges sent rows
    /// after that long and the sweep would then send their notices again. (An operator's
    /// `outbox purge --older-than` shorter than that has the same effect on the rows it
    /// removes.)
    pub async fn review_mail(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let since = instant_minus_days(now, i64::from(self.outbox.retention_days.max(1)));
        let mut considered = 0;
        let mut messages = Vec::new();
        for status in [
            RegistrationStatus::Completed,
            RegistrationStatus::DocumentsRequested,
        ] {
            let filter = RegistrationFilter {
                company_id: None,
                status: Some(status.as_str().to_string()),
                applicant_id: None,
            };
            for registration in self.store.list_registrations(&filter).await? {
                let changed = registration
                    .decided_at
                    .map_or(registration.updated_at, |d| d.max(registration.updated_at));
                if changed < since {
                    continue;
                }
                considered += 1;
                messages.extend(notices::review_notices(&registration, now));
            }
        }
        Ok(JobReport {
            considered,
            enqueued: self.store.enqueue_many(&messages, now).await?,
            purged: 0,
        })
    }
}
