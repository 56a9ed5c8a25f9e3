//! What the scheduled jobs do: renewal reminders and the weekly digest for sales reps, APA and
//! admin escalation of waiting join requests, and retention. Each job only writes outbox rows
//! (with dedupe keys, so re-running a fire enqueues nothing twice); the dispatcher sends them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use fluent_bundle::FluentValue;
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::renewal::RenewalPolicy;
use serde::Serialize;

use crate::config::{Config, ConfigError, OutboxConfig, RemindersConfig};
use crate::i18n::format;
use crate::i18n::text::html_of;
use crate::i18n::{tr, Locale};
use crate::notify::button::Button;
use crate::notify::mail::email_payload;
use crate::store::{
    Actor, Channel, Contract, JoinRequest, NewOutboxMessage, RegistrationFilter,
    RegistrationStatus, Role, Store, StoreResult,
};
use crate::workflows::notices;

/// Everything a job needs, built once from the configuration.
pub struct JobContext {
    pub store: Arc<dyn Store>,
    pub calendar: BusinessCalendar,
    pub renewal: RenewalPolicy,
    pub reminders: RemindersConfig,
    pub outbox: OutboxConfig,
    pub send_at: NaiveTime,
}

impl JobContext {
    pub fn new(config: &Config, store: Arc<dyn Store>) -> Result<Self, ConfigError> {
        Ok(Self {
            store,
            calendar: config
                .calendar
                .build()
                .map_err(|e| crate::config::calendar_error("calendar", &e))?,
            renewal: config
                .renewal
                .build()
                .map_err(|e| crate::config::renewal_error(&e))?,
            reminders: config.reminders.clone(),
            outbox: config.outbox.clone(),
            send_at: NaiveTime::parse_from_str(&config.reminders.send_at, "%H:%M").map_err(
                |_| {
                    ConfigError::invalid(
                        "reminders.send_at",
                        &config.reminders.send_at,
                        crate::i18n::Msg::new("config-allowed-send-at"),
                    )
                },
            )?,
        })
    }
}

/// What one job run did, recorded in `job_runs.detail` and printed by `jobs run`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JobReport {
    pub considered: u64,
    pub enqueued: u64,
    pub purged: u64,
}

fn zone_or_tokyo(name: &str) -> Tz {
    partnerdesk_domain::parse_zone(name).unwrap_or(Tz::Asia__Tokyo)
}

fn locale_or_ja(code: &str) -> Locale {
    code.parse().unwrap_or(Locale::Ja)
}

/// The instant `date` at `time` in `zone` (a time lost to a DST gap moves an hour later).
fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    zone.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// One reminder of one contract: which offset, and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReminder {
    pub deadline: NaiveDate,
    pub offset_days: u32,
    pub send_at: DateTime<Utc>,
}

impl JobContext {
    /// The most recent reminder of `contract` whose time has come by `now`, if its deadline has
    /// not passed. Reminders fall on the previous business day when their day is closed, and
    /// are sent at `send_at` in the rep's zone.
    pub fn due_reminder(&self, contract: &Contract, now: DateTime<Utc>) -> Option<DueReminder> {
        self.due_reminder_with(contract, now, &mut HashMap::new())
    }

    /// `due_reminder` with a memo of "previous business day on or before" lookups, which a
    /// sweep over many contracts repeats for the same few dates.
    fn due_reminder_with(
        &self,
        contract: &Contract,
        now: DateTime<Utc>,
        shifted: &mut HashMap<NaiveDate, NaiveDate>,
    ) -> Option<DueReminder> {
        let zone = zone_or_tokyo(&contract.sales_rep_tz);
        let deadline = self.renewal.reminder_deadline(contract.renewal_date);
        let deadline_over = local_instant(zone, deadline.succ_opt()?, NaiveTime::MIN);
        if now >= deadline_over {
            return None;
        }
        self.reminders
            .offsets_days
            .iter()
            .filter_map(|&offset| {
                let day = deadline.checked_sub_signed(Duration::days(i64::from(offset)))?;
                let day = *shifted
                    .entry(day)
                    .or_insert_with(|| self.calendar.on_or_before_business_day(day).unwrap_or(day));
                Some(DueReminder {
                    deadline,
                    offset_days: offset,
                    send_at: local_instant(zone, day, self.send_at),
                })
            })
            .filter(|r| r.send_at <= now)
            .max_by_key(|r| (r.send_at, std::cmp::Reverse(r.offset_days)))
    }

    fn reminder_message(
        &self,
        contract: &Contract,
        due: &DueReminder,
        now: DateTime<Utc>,
    ) -> NewOutboxMessage {
        let locale = locale_or_ja(&contract.sales_rep_lang);
        let zone = zone_or_tokyo(&contract.sales_rep_tz);
        let today = now.with_timezone(&zone).date_naive();
        let days_left = (due.deadline - today).num_days().max(0);
        let args = [
            ("rep", FluentValue::from(contract.sales_rep_name.as_str())),
            ("company", FluentValue::from(contract.company.as_str())),
            ("product", FluentValue::from(contract.product.as_str())),
            ("contract", FluentValue::from(contract.id.as_str())),
            (
                "renewal_date",
                FluentValue::from(format::date(locale, contract.renewal_date)),
            ),
            (
                "deadline",
                FluentValue::from(format::date(locale, due.deadline)),
            ),
            ("days", FluentValue::from(days_left)),
        ];
        let subject = single_line(&tr(locale, "reminder-subject", &args));
        let body_text = tr(locale, "reminder-body", &args);
        NewOutboxMessage {
            channel: Channel::Email,
            recipient: contract.sales_rep_email.clone(),
            body_html: Some(html_of(&subject, &body_text)),
            subject,
            body_text,
            payload: email_payload(&contract.sales_rep_name),
            locale: locale.code().into(),
            dedupe_key: format!(
                "renewal:{}:{}:{}",
                contract.id, due.deadline, due.offset_days
            ),
            not_before: due.send_at,
        }
    }

    /// `renewal-sweep`: for each open contract, enqueue the most recent due reminder not yet
    /// written. A sweep missed for days catches up with one reminder per contract.
    pub async fn renewal_sweep(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let (from, to) = self.candidate_renewal_dates(now);
        let contracts = self.store.open_contracts_renewing_between(from, to).await?;
        let mut report = JobReport {
            considered: contracts.len() as u64,
            ..JobReport::default()
        };
        // Reps who linked Discord also get the reminder there, with acknowledge buttons.
        let discord = self.discord_ids().await?;
        let mut batch = Vec::with_capacity(1_000);
        let mut shifted = HashMap::new();
        for contract in &contracts {
            if let Some(due) = self.due_reminder_with(contract, now, &mut shifted) {
                let mail = self.reminder_message(contract, &due, now);
                let rep = contract.sales_rep_email.to_lowercase();
                if let Some(discord_id) = discord.get(&rep) {
                    let locale = locale_or_ja(&contract.sales_rep_lang);
                    let buttons = crate::chat::commands::sales::ack_buttons(&contract.id, locale);
                    let mut copy = discord_copy(&mail, discord_id, &buttons);
                    if let Some(channel) = self.reminders.discord_channel_id {
                        // The team's channel, with the rep mentioned; the buttons still only
                        // work for the rep (every press is authorized).
                        copy.recipient = format!("channel:{channel}");
                        copy.payload = Some(
                            serde_json::json!({ "buttons": buttons, "mentions": [discord_id] })
                                .to_string(),
                        );
                    }
                    batch.push(copy);
                }
                batch.push(mail);
            }
            if batch.len() >= 1_000 {
                report.enqueued += self.store.enqueue_many(&batch, now).await?;
                batch.clear();
            }
        }
        report.enqueued += self.store.enqueue_many(&batch, now).await?;
        Ok(report)
    }

    /// Renewal dates whose reminders can be due now: deadlines from yesterday (zones ahead of
    /// UTC) to the largest offset ahead, widened by the business-day shift. Before-cutover
    /// contracts have earlier deadlines than their renewal dates, so they are included whole
    /// while the early-renewal deadline is near.
    fn candidate_renewal_dates(&self, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        let today = now.date_naive();
        let max_offset = self
            .reminders
            .offsets_days
            .iter()
            .copied()
            .max()
            .unwrap_or(0);
        let from = today - Duration::days(2);
        let mut to = today + Duration::days(i64::from(max_offset) + 16);
        let early = self.renewal.config().early_renewal_deadline;
        if (early - today).num_days().abs() <= i64::from(max_offset) + 16 {
            to = to.max(self.renewal.config().cutover - Duration::days(1));
            return (from.min(NaiveDate::MIN), to);
        }
        (from, to)
    }

    /// Discord user ids of the people who linked Discord, by lower-cased IBM ID.
    async fn discord_ids(&self) -> StoreResult<HashMap<String, String>> {
        Ok(self
            .store
            .discord_accounts()
            .await?
            .into_iter()
            .map(|(ibm_id, discord_id)| (ibm_id.to_lowercase(), discord_id))
            .collect())
    }

    /// `renewal-digest`: one message per rep per ISO week listing open contracts whose deadline
    /// is within `digest_days`.
    pub async fn renewal_digest(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let today = now.date_naive();
        // Fetch wide (zones, and deadlines earlier than the renewal date), then keep exactly
        // the contracts whose deadline is from the rep's today through digest_days ahead.
        let (from, to) = self.candidate_renewal_dates(now);
        let to = to.max(today + Duration::days(i64::from(self.reminders.digest_days) + 1));
        let contracts = self.store.open_contracts_renewing_between(from, to).await?;
        let discord = self.discord_ids().await?;
        let mut by_rep: BTreeMap<String, Vec<&Contract>> = BTreeMap::new();
        for contract in &contracts {
            let rep_today = now
                .with_timezone(&crate::i18n::text::zone_of(&contract.sales_rep_tz))
                .date_naive();
            let deadline = self.renewal.reminder_deadline(contract.renewal_date);
            let last = rep_today + Duration::days(i64::from(self.reminders.digest_days));
            if deadline < rep_today || deadline > last {
                continue;
            }
            by_rep
                .entry(contract.sales_rep_email.clone())
                .or_default()
                .push(contract);
        }
        let week = today.iso_week();
        let mut messages = Vec::new();
        for (email, list) in &by_rep {
            let Some(first) = list.first() else { continue };
            let locale = locale_or_ja(&first.sales_rep_lang);
            let lines: Vec<String> = list
                .iter()
                .map(|c| {
                    let deadline = self.renewal.reminder_deadline(c.renewal_date);
                    tr(
                        locale,
                        "digest-line",
                        &[
                            (
                                "deadline",
                                FluentValue::from(format::date(locale, deadline)),
                            ),
                            ("company", FluentValue::from(c.company.as_str())),
                            ("product", FluentValue::from(c.product.as_str())),
                            ("contract", FluentValue::from(c.id.as_str())),
                        ],
                    )
                })
                .collect();
            let args = [
                ("rep", FluentValue::from(first.sales_rep_name.as_str())),
                ("count", FluentValue::from(list.len())),
                ("days", FluentValue::from(self.reminders.digest_days)),
                ("lines", FluentValue::from(lines.join("\n"))),
            ];
            let subject = single_line(&tr(locale, "digest-subject", &args));
            let body_text = tr(locale, "digest-body", &args);
            let mail = NewOutboxMessage {
                channel: Channel::Email,
                recipient: email.clone(),
                body_html: Some(html_of(&subject, &body_text)),
                subject,
                body_text,
                payload: email_payload(&first.sales_rep_name),
                locale: locale.code().into(),
                dedupe_key: format!("digest:{email}:{}-W{:02}", week.year(), week.week()),
                not_before: now,
            };
            // A rep who linked Discord reads the digest there too (a DM: it lists their deals).
            if let Some(discord_id) = discord.get(&email.to_lowercase()) {
                messages.push(discord_copy(&mail, discord_id, &[]));
            }
            messages.push(mail);
        }
        Ok(JobReport {
            considered: contracts.len() as u64,
            enqueued: self.store.enqueue_many(&messages, now).await?,
            purged: 0,
        })
    }

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
                        ("name", FluentValue::from(person.name.as_str())),
                        ("requester", FluentValue::from(request.person_name.as_str())),
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
                        payload: email_payload(&person.name),
                        locale: locale.code().into(),
                        dedupe_key: format!("escalation:{level}:{}:{}", request.id, person.id),
                        not_before: now,
                    };
                    // Linked on Discord: a DM too, with the decision buttons for the APAs.
                    if let Some(discord_id) = &person.discord_user_id {
                        let buttons = if level == "apa" {
                            notices::decision_buttons(request.id, locale)
                        } else {
                            Vec::new()
                        };
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
        let since = now - Duration::days(i64::from(self.outbox.retention_days.max(1)));
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

    /// Business days after `from` up to and including `to`.
    fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut days = 0;
        let mut cursor = from;
        while cursor < to && days < 10_000 {
            match cursor.succ_opt() {
                Some(next) => cursor = next,
                None => break,
            }
            if self.calendar.is_business_day(cursor) {
                days += 1;
            }
        }
        days
    }

    /// `retention`: purges sent and dead messages and old job runs.
    pub async fn retention(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let before = now - Duration::days(i64::from(self.outbox.retention_days));
        let purged = self.store.purge_outbox(before).await?
            + self.store.purge_job_runs(now - Duration::days(90)).await?
            // Discord never redelivers an event a day later.
            + self
                .store
                .purge_chat_event_claims(now - Duration::days(1))
                .await?;
        Ok(JobReport {
            purged,
            ..JobReport::default()
        })
    }
}

/// Subjects are one line: CR/LF from data (a company name) become spaces.
pub fn single_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Discord copy of an email for a person who linked Discord: a DM with `buttons`, under
/// the email's dedupe key prefixed `discord:` so each channel gets it once.
fn discord_copy(mail: &NewOutboxMessage, discord_id: &str, buttons: &[Button]) -> NewOutboxMessage {
    // Button serializes as the sink's payload expects: {"id", "label", "style": "primary"}.
    NewOutboxMessage {
        channel: Channel::Discord,
        recipient: format!("user:{discord_id}"),
        subject: mail.subject.clone(),
        body_text: mail.body_text.clone(),
        body_html: None,
        payload: Some(serde_json::json!({ "buttons": buttons }).to_string()),
        locale: mail.locale.clone(),
        dedupe_key: format!("discord:{}", mail.dedupe_key),
        not_before: mail.not_before,
    }
}
