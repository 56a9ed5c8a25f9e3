//! Renewal reminders for sales reps: which reminder of a contract is due (the configured
//! offsets before its deadline, moved to a business day, at `send_at` in the rep's zone), the
//! hourly sweep that enqueues them, and the weekly digest of upcoming deadlines.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use fluent_bundle::FluentValue;

use crate::i18n::format;
use crate::i18n::text::html_of;
use crate::i18n::tr;
use crate::notify::mail::email_payload;
use crate::store::{Channel, Contract, NewOutboxMessage, StoreResult};

use super::context::*;

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
    pub(super) fn due_reminder_with(
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

    pub(super) fn reminder_message(
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
    pub(super) fn candidate_renewal_dates(&self, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        let today = now.date_naive();
        let max_offset = self
            .reminders
            .offsets_days
            .iter()
            .copied()
            .max()
            .unwrap_or(0);
        let from = today - Duration::days(2);
        let mut to = date_plus_days(today, i64::from(max_offset) + 16);
        let early = self.renewal.config().early_renewal_deadline;
        if (early - today).num_days().abs() <= i64::from(max_offset) + 16 {
            to = to.max(self.renewal.config().cutover - Duration::days(1));
            return (from.min(NaiveDate::MIN), to);
        }
        (from, to)
    }

    /// `renewal-digest`: one message per rep per ISO week listing open contracts whose deadline
    /// is within `digest_days`.
    pub async fn renewal_digest(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let today = now.date_naive();
        // Fetch wide (zones, and deadlines earlier than the renewal date), then keep exactly
        // the contracts whose deadline is from the rep's today through digest_days ahead.
        let (from, to) = self.candidate_renewal_dates(now);
        let to = to.max(date_plus_days(
            today,
            i64::from(self.reminders.digest_days) + 1,
        ));
        let contracts = self.store.open_contracts_renewing_between(from, to).await?;
        let discord = self.discord_ids().await?;
        let mut by_rep: BTreeMap<String, Vec<&Contract>> = BTreeMap::new();
        for contract in &contracts {
            let rep_today = now
                .with_timezone(&crate::i18n::text::zone_of(&contract.sales_rep_tz))
                .date_naive();
            let deadline = self.renewal.reminder_deadline(contract.renewal_date);
            let last = date_plus_days(rep_today, i64::from(self.reminders.digest_days));
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
}
