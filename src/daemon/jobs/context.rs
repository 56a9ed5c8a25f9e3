//! What every job shares: the `JobContext` built once from the configuration (store, calendar,
//! renewal policy, reminder and outbox settings), the `JobReport` a fire ends with, and the small
//! helpers of zones, languages and Discord copies of emails.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::renewal::RenewalPolicy;
use serde::Serialize;

use crate::config::{Config, ConfigError, OutboxConfig, RemindersConfig};
use crate::i18n::Locale;
use crate::notify::button::Button;
use crate::store::{Channel, NewOutboxMessage, Store, StoreResult};

/// Everything a job needs, built once from the configuration.
pub struct JobContext {
    pub store: Arc<dyn Store>,
    pub calendar: BusinessCalendar,
    pub renewal: RenewalPolicy,
    pub reminders: RemindersConfig,
    pub outbox: OutboxConfig,
    pub desk: crate::config::DeskConfig,
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
            desk: config.desk.clone(),
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

pub(super) fn zone_or_tokyo(name: &str) -> Tz {
    partnerdesk_domain::parse_zone(name).unwrap_or(Tz::Asia__Tokyo)
}

pub(super) fn locale_or_ja(code: &str) -> Locale {
    code.parse().unwrap_or(Locale::Ja)
}

/// The instant `date` at `time` in `zone` (a time lost to a DST gap moves an hour later).
pub(super) fn local_instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
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

impl JobContext {
    /// Discord user ids of the people who linked Discord, by lower-cased IBM ID.
    pub(super) async fn discord_ids(&self) -> StoreResult<HashMap<String, String>> {
        Ok(self
            .store
            .discord_accounts()
            .await?
            .into_iter()
            .map(|(ibm_id, discord_id)| (ibm_id.to_lowercase(), discord_id))
            .collect())
    }

    /// Business days after `from` up to and including `to`.
    pub(super) fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
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
pub(super) fn discord_copy(
    mail: &NewOutboxMessage,
    discord_id: &str,
    buttons: &[Button],
) -> NewOutboxMessage {
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

/// `days` days after `date`, or the last date chrono holds: a configured number of days
/// (`digest_days`, `offsets_days`) can never make a job panic.
pub(super) fn date_plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    Duration::try_days(days)
        .and_then(|d| date.checked_add_signed(d))
        .unwrap_or(NaiveDate::MAX)
}

/// `days` days before `now`, or the first instant chrono holds (`retention_days`).
pub(super) fn instant_minus_days(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    Duration::try_days(days)
        .and_then(|d| now.checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_days_beyond_the_calendar_saturate_instead_of_panicking() {
        let now = Utc::now();
        // `outbox.retention_days = 100000000` once panicked the retention job.
        assert_eq!(
            instant_minus_days(now, 100_000_000),
            DateTime::<Utc>::MIN_UTC
        );
        assert_eq!(instant_minus_days(now, i64::MAX), DateTime::<Utc>::MIN_UTC);
        assert_eq!(
            instant_minus_days(now, 30),
            now - Duration::days(30),
            "ordinary values are exact"
        );
        let today = now.date_naive();
        assert_eq!(
            date_plus_days(today, i64::from(u32::MAX) + 16),
            NaiveDate::MAX
        );
        assert_eq!(date_plus_days(today, 7), today + Duration::days(7));
    }
}
