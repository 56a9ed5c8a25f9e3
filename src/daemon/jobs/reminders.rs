//! Renewal reminders for sales reps: which reminder of a contract is due, the hourly sweep
//! that enqueues them, and the weekly digest of upcoming action deadlines.
//!
//! A contract's deadline is its current *action deadline* (seed 003 §5, see
//! `partnerdesk_domain::renewal::RenewalPolicy::actions`): for a renewal on 2015-08-15 the
//! first is 2015-06-30, the last day to renew early on current terms. Reminders count down in
//! business days of the desk's calendar (`[calendar]`) to it — the configured offsets are
//! business days — at `send_at` in the rep's zone. Each states the window's rule and whom to
//! contact. Nothing is delivered on a closed day: a reminder or digest that would go out on
//! one waits for the next business day.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use fluent_bundle::FluentValue;
use partnerdesk_domain::renewal::{countdown_days, RenewalAction, RenewalPolicy};

use crate::i18n::format;
use crate::i18n::rules_text::renewal_text;
use crate::i18n::text::html_of;
use crate::i18n::{tr, Locale};
use crate::notify::mail::email_payload;
use crate::store::{Channel, Contract, NewOutboxMessage, StoreResult};

use super::context::*;

/// One reminder of one contract: which action, which offset, and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReminder {
    /// The step of the renewal the reminder is about (window, deadline, contact).
    pub action: RenewalAction,
    pub deadline: NaiveDate,
    /// Business days before the deadline.
    pub offset_days: u32,
    pub send_at: DateTime<Utc>,
}

/// The outbox dedupe key of one reminder: `renewal:{contract}:{deadline}:{offset}`.
fn reminder_key(contract: &Contract, due: &DueReminder) -> String {
    format!(
        "renewal:{}:{}:{}",
        contract.id, due.deadline, due.offset_days
    )
}

/// What a sweep over many contracts computes again and again for the same few dates: the
/// countdown days of a deadline, business days left, the window rule's text, the step and
/// contact words. Kept for one sweep (or digest) only.
#[derive(Default)]
pub(super) struct SweepMemo {
    countdowns: HashMap<NaiveDate, Vec<(u32, NaiveDate)>>,
    days_left: HashMap<(NaiveDate, NaiveDate), u32>,
    rules: HashMap<(Locale, NaiveDate), String>,
    words: HashMap<(Locale, &'static str), String>,
    /// `on_business_day(zone, now)` of the sweep's one `now`, per zone.
    held: HashMap<Tz, DateTime<Utc>>,
}

impl SweepMemo {
    fn days_left(&mut self, ctx: &JobContext, from: NaiveDate, deadline: NaiveDate) -> u32 {
        *self
            .days_left
            .entry((from, deadline))
            .or_insert_with(|| RenewalPolicy::business_days_left(&ctx.calendar, from, deadline))
    }

    fn words(&mut self, locale: Locale, id: &'static str) -> String {
        self.words
            .entry((locale, id))
            .or_insert_with(|| tr(locale, id, &[]))
            .clone()
    }

    fn rule(&mut self, ctx: &JobContext, locale: Locale, renewal_date: NaiveDate) -> String {
        self.rules
            .entry((locale, renewal_date))
            .or_insert_with(|| renewal_text(locale, &ctx.renewal.explain(renewal_date)))
            .clone()
    }
}

impl JobContext {
    /// The renewal step of `contract` whose deadline has not passed in the rep's zone at
    /// `now`, if any (a deadline is over at midnight after it).
    pub fn current_action(&self, contract: &Contract, now: DateTime<Utc>) -> Option<RenewalAction> {
        let zone = zone_or_tokyo(&contract.sales_rep_tz);
        self.renewal
            .actions(contract.renewal_date)
            .into_iter()
            .find(|a| {
                a.deadline
                    .succ_opt()
                    .is_some_and(|next| now < local_instant(zone, next, NaiveTime::MIN))
            })
    }

    /// The most recent reminder of `contract` whose time has come by `now`, for its current
    /// action deadline. Reminder days count down in business days, so none is on a closed
    /// day; they are sent at `send_at` in the rep's zone.
    pub fn due_reminder(&self, contract: &Contract, now: DateTime<Utc>) -> Option<DueReminder> {
        self.due_reminder_with(contract, now, &mut SweepMemo::default())
    }

    /// `due_reminder` with the sweep's memo (countdown days per deadline).
    pub(super) fn due_reminder_with(
        &self,
        contract: &Contract,
        now: DateTime<Utc>,
        memo: &mut SweepMemo,
    ) -> Option<DueReminder> {
        let zone = zone_or_tokyo(&contract.sales_rep_tz);
        let action = self.current_action(contract, now)?;
        let days = memo.countdowns.entry(action.deadline).or_insert_with(|| {
            countdown_days(
                &self.calendar,
                action.deadline,
                &self.reminders.offsets_days,
            )
        });
        days.iter()
            .map(|&(offset, day)| DueReminder {
                action,
                deadline: action.deadline,
                offset_days: offset,
                send_at: local_instant(zone, day, self.send_at),
            })
            .filter(|r| r.send_at <= now)
            .max_by_key(|r| (r.send_at, std::cmp::Reverse(r.offset_days)))
    }

    /// When a message meant for `at` reaches the rep: `at` on a business day of the rep's
    /// local calendar, else `send_at` on the next business day.
    pub fn on_business_day(&self, zone: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
        let day = at.with_timezone(&zone).date_naive();
        if self.calendar.is_business_day(day) {
            return at;
        }
        match self.calendar.next_business_day(day) {
            Some(next) => local_instant(zone, next, self.send_at),
            None => at,
        }
    }

    /// How a mail greets the rep: their name, or 「ご担当者」 when the import had none.
    fn rep_greeting(locale: Locale, contract: &Contract) -> String {
        if contract.sales_rep_name.trim().is_empty() {
            tr(locale, "sales-rep-unnamed", &[])
        } else {
            contract.sales_rep_name.clone()
        }
    }

    pub(super) fn reminder_message(
        &self,
        contract: &Contract,
        due: &DueReminder,
        now: DateTime<Utc>,
        memo: &mut SweepMemo,
    ) -> NewOutboxMessage {
        let locale = locale_or_ja(&contract.sales_rep_lang);
        let zone = zone_or_tokyo(&contract.sales_rep_tz);
        // A catch-up on a closed day waits for the next business day; the count is as of the
        // day the rep reads it.
        let deliver_at = if due.send_at < now {
            let held = *memo
                .held
                .entry(zone)
                .or_insert_with(|| self.on_business_day(zone, now));
            match held {
                at if at == now => due.send_at,
                later => later,
            }
        } else {
            due.send_at
        };
        let read_on = deliver_at.max(now).with_timezone(&zone).date_naive();
        let days_left = memo.days_left(self, read_on, due.deadline);
        let args = [
            (
                "rep",
                FluentValue::from(Self::rep_greeting(locale, contract)),
            ),
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
            (
                "step",
                FluentValue::from(memo.words(locale, due.action.step.message_id())),
            ),
            (
                "contact",
                FluentValue::from(memo.words(locale, due.action.contact.message_id())),
            ),
            (
                "rule",
                FluentValue::from(memo.rule(self, locale, contract.renewal_date)),
            ),
        ];
        let subject = single_line(&tr(locale, "sales-reminder-subject", &args));
        let body_text = tr(locale, "sales-reminder-body", &args);
        NewOutboxMessage {
            channel: Channel::Email,
            recipient: contract.sales_rep_email.clone(),
            body_html: Some(html_of(&subject, &body_text)),
            subject,
            body_text,
            payload: email_payload(&contract.sales_rep_name),
            locale: locale.code().into(),
            dedupe_key: reminder_key(contract, due),
            not_before: deliver_at,
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
        let mut memo = SweepMemo::default();
        let mut due_batch: Vec<(&Contract, DueReminder)> = Vec::with_capacity(1_000);
        for contract in &contracts {
            if let Some(due) = self.due_reminder_with(contract, now, &mut memo) {
                due_batch.push((contract, due));
            }
            if due_batch.len() >= 1_000 {
                report.enqueued += self
                    .enqueue_reminders(&due_batch, &discord, now, &mut memo)
                    .await?;
                due_batch.clear();
            }
        }
        report.enqueued += self
            .enqueue_reminders(&due_batch, &discord, now, &mut memo)
            .await?;
        Ok(report)
    }

    /// Writes the reminders of `due` not written yet (by email, and a Discord copy for reps
    /// who linked Discord); returns how many rows were new. Keys already in the outbox are
    /// skipped before anything is rendered.
    async fn enqueue_reminders(
        &self,
        due: &[(&Contract, DueReminder)],
        discord: &HashMap<String, String>,
        now: DateTime<Utc>,
        memo: &mut SweepMemo,
    ) -> StoreResult<u64> {
        let keys: Vec<String> = due
            .iter()
            .map(|(contract, due)| reminder_key(contract, due))
            .collect();
        let written = self.store.existing_dedupe_keys(&keys).await?;
        let mut batch = Vec::with_capacity(due.len());
        for ((contract, due), key) in due.iter().zip(&keys) {
            if written.contains(key) {
                continue;
            }
            let mail = self.reminder_message(contract, due, now, memo);
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
        if batch.is_empty() {
            return Ok(0);
        }
        self.store.enqueue_many(&batch, now).await
    }

    /// Renewal dates whose reminders can be due now: every action deadline is on or before
    /// its renewal date, so renewal dates from two days ago (zones ahead of UTC) until the
    /// largest offset's reach (that many business days from tomorrow, and one more for a
    /// deadline on a closed day); and while the early-renewal deadline is that near, every
    /// renewal date up to the end of the transition window, whose first deadline it is.
    pub(super) fn candidate_renewal_dates(&self, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        let today = now.date_naive();
        let max_offset = self
            .reminders
            .offsets_days
            .iter()
            .copied()
            .max()
            .unwrap_or(0);
        let from = date_plus_days(today, -2);
        let tomorrow = date_plus_days(today, 1);
        let mut to = i32::try_from(max_offset)
            .ok()
            .and_then(|n| {
                self.calendar
                    .add_business_days(tomorrow, n.saturating_add(1))
            })
            // A calendar that never opens: the widest reach a closure-free calendar allows.
            .unwrap_or_else(|| date_plus_days(today, i64::from(max_offset) * 2 + 30));
        let early = self.renewal.config().early_renewal_deadline;
        if early >= from && early <= to {
            to = to.max(self.renewal.config().transition_end);
        }
        (from, to)
    }

    /// `renewal-digest`: one message per rep per ISO week listing open contracts whose current
    /// action deadline is within `digest_days`, each with the business days left and whom to
    /// contact. A digest due on a closed day (a holiday Monday) waits for the next business
    /// day of the rep's calendar, at `send_at` in the rep's zone.
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
        let mut by_rep: BTreeMap<String, Vec<(&Contract, RenewalAction)>> = BTreeMap::new();
        for contract in &contracts {
            let rep_today = now
                .with_timezone(&zone_or_tokyo(&contract.sales_rep_tz))
                .date_naive();
            let Some(action) = self.current_action(contract, now) else {
                continue;
            };
            let last = date_plus_days(rep_today, i64::from(self.reminders.digest_days));
            if action.deadline < rep_today || action.deadline > last {
                continue;
            }
            by_rep
                .entry(contract.sales_rep_email.clone())
                .or_default()
                .push((contract, action));
        }
        let week = today.iso_week();
        let mut messages = Vec::new();
        let mut memo = SweepMemo::default();
        for (email, list) in &mut by_rep {
            list.sort_by_key(|(c, a)| (a.deadline, c.renewal_date, c.id.clone()));
            let Some((first, _)) = list.first() else {
                continue;
            };
            let locale = locale_or_ja(&first.sales_rep_lang);
            let zone = zone_or_tokyo(&first.sales_rep_tz);
            let deliver_at = self.on_business_day(zone, now);
            let read_on = deliver_at.with_timezone(&zone).date_naive();
            let lines: Vec<String> = list
                .iter()
                .map(|(c, action)| {
                    tr(
                        locale,
                        "sales-digest-line",
                        &[
                            (
                                "deadline",
                                FluentValue::from(format::date(locale, action.deadline)),
                            ),
                            (
                                "days",
                                FluentValue::from(memo.days_left(self, read_on, action.deadline)),
                            ),
                            ("company", FluentValue::from(c.company.as_str())),
                            ("product", FluentValue::from(c.product.as_str())),
                            ("contract", FluentValue::from(c.id.as_str())),
                            (
                                "renewal_date",
                                FluentValue::from(format::date(locale, c.renewal_date)),
                            ),
                            (
                                "step",
                                FluentValue::from(memo.words(locale, action.step.message_id())),
                            ),
                            (
                                "contact",
                                FluentValue::from(memo.words(locale, action.contact.message_id())),
                            ),
                        ],
                    )
                })
                .collect();
            let args = [
                ("rep", FluentValue::from(Self::rep_greeting(locale, first))),
                ("count", FluentValue::from(list.len())),
                ("days", FluentValue::from(self.reminders.digest_days)),
                ("lines", FluentValue::from(lines.join("\n"))),
            ];
            let subject = single_line(&tr(locale, "sales-digest-subject", &args));
            let body_text = tr(locale, "sales-digest-body", &args);
            let mail = NewOutboxMessage {
                channel: Channel::Email,
                recipient: email.clone(),
                body_html: Some(html_of(&subject, &body_text)),
                subject,
                body_text,
                payload: email_payload(&first.sales_rep_name),
                locale: locale.code().into(),
                dedupe_key: format!("digest:{email}:{}-W{:02}", week.year(), week.week()),
                not_before: deliver_at,
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
