//! The typed sections of the configuration and their built-in defaults.
//!
//! This file owns what the configuration *is*: [`Config`] and one struct per TOML section
//! (`[database]`, `[http]`, `[mail]`, `[outbox]`, `[jobs.NAME]`, ...), the enums their keys
//! take, and the defaults every key starts from. Reading them from a file and the environment
//! is `load.rs`; checking them is `validate.rs`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::secret::Secret;

/// The whole effective configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: DatabaseConfig,
    pub http: HttpConfig,
    /// The operators' web console at `/console` on the HTTP listener.
    pub console: ConsoleConfig,
    pub mail: MailConfig,
    pub discord: DiscordConfig,
    pub i18n: I18nConfig,
    pub log: LogConfig,
    /// PWCS business calendar: zone, hours, anniversary, year-end closure, extra closed days.
    pub calendar: partnerdesk_domain::CalendarConfig,
    /// Other contacts with hours of their own, by id (`partnerdesk hours --contact ID`).
    pub contacts: BTreeMap<String, ContactConfig>,
    /// Renewal windows of the Aspera → IBM move (seed 003, section 5).
    pub renewal: partnerdesk_domain::RenewalPolicyConfig,
    /// Payee and due date of invoices (seed 003, section 3).
    pub payment: partnerdesk_domain::PaymentConfig,
    pub outbox: OutboxConfig,
    pub reminders: RemindersConfig,
    /// Company registration review: where applicants send requested documents.
    pub registration: RegistrationConfig,
    /// The free-text desk: conversation context, hand-off to staff, recorded questions.
    pub desk: DeskConfig,
    /// Scheduled jobs by name: `outbox-dispatch`, `renewal-sweep`, `renewal-digest`,
    /// `approval-escalation`, `retention`.
    pub jobs: BTreeMap<String, JobConfig>,
}

/// A contact with its own business hours. Keys left out of `calendar` take PWCS's defaults;
/// national holidays are always Japan's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ContactConfig {
    /// What the contact is called ("Aspera support").
    pub name: String,
    pub calendar: partnerdesk_domain::CalendarConfig,
}

/// The id `hours --contact` uses for the PWCS calendar (`[calendar]`).
pub const PWCS_CONTACT: &str = "pwcs";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// Messages claimed per round trip to the database.
    pub batch_size: u32,
    /// Messages sent at once (one SMTP connection each, up to `mail.pool_size`).
    pub concurrency: u32,
    /// How long a claimed message is reserved for its dispatcher before another may take it.
    /// Renewed every third of it while the dispatcher sends, so it bounds how long a killed
    /// replica's messages wait, not how long a send may take.
    pub lease_secs: u64,
    /// Attempts before a message that keeps failing temporarily goes to `dead`.
    pub max_attempts: u32,
    /// First retry delay; doubled each attempt (with ±20% jitter) up to `max_backoff_secs`.
    pub base_backoff_secs: u64,
    pub max_backoff_secs: u64,
    /// Sent and dead messages older than this are purged by the `retention` job.
    pub retention_days: u32,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            batch_size: 256,
            concurrency: 4,
            lease_secs: 15,
            max_attempts: 10,
            base_backoff_secs: 30,
            max_backoff_secs: 3_600,
            retention_days: 30,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RemindersConfig {
    /// Business days (of `[calendar]`) before a renewal's action deadline on which the sales
    /// rep is reminded; 0 is the deadline itself (or the business day before it when closed).
    pub offsets_days: Vec<u32>,
    /// Local time (in the rep's zone) the reminder is sent at, `HH:MM`.
    pub send_at: String,
    /// Days ahead the weekly digest lists.
    pub digest_days: u32,
    /// Business days a join request may wait before its company's APAs are reminded, and
    /// before the admins are.
    pub escalate_to_apa_after_business_days: u32,
    pub escalate_to_admin_after_business_days: u32,
    /// Business days after which a join request nobody decided expires; the person is told and
    /// may apply again. 0 keeps requests pending for ever.
    pub expire_join_after_business_days: u32,
    /// A Discord channel (id) where renewal reminders for reps who linked Discord are posted,
    /// mentioning the rep, instead of a DM: for a sales team that follows renewals together.
    /// Unset (the default): a DM.
    pub discord_channel_id: Option<u64>,
}

impl Default for RemindersConfig {
    fn default() -> Self {
        Self {
            offsets_days: vec![30, 14, 7, 3, 1, 0],
            send_at: "09:00".into(),
            digest_days: 30,
            escalate_to_apa_after_business_days: 2,
            escalate_to_admin_after_business_days: 5,
            expire_join_after_business_days: 20,
            discord_channel_id: None,
        }
    }
}

/// `[registration]`: where an applicant sends the documents a reviewer asks for (seed 000: 審査状況
/// によっては、書類の提出をお願いする場合がございます). At least one destination is required when
/// the documents step is used: `documents_step = true` without one is refused by `config check`,
/// and with no destination (and `documents_step` unset) the step refuses to run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationConfig {
    /// Whether reviewers may request documents: unset follows whether a destination is set.
    pub documents_step: Option<bool>,
    /// The address applicants reply to with their documents.
    pub documents_reply_to: Option<String>,
    /// An http(s) URL where applicants upload their documents.
    pub documents_upload_url: Option<String>,
    /// A postal address documents are sent to.
    pub documents_postal_address: Option<String>,
}

/// Where requested documents go, as the request mail and `/status` state it. Stored (JSON) on the
/// registration when documents are requested, so the notice and `/status` say what was asked.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentsDestination {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<String>,
}

impl DocumentsDestination {
    pub fn is_empty(&self) -> bool {
        self.reply_to.is_none() && self.upload_url.is_none() && self.postal_address.is_none()
    }
}

impl RegistrationConfig {
    /// The configured destination, blank values left out; `None` when there is none.
    pub fn documents_destination(&self) -> Option<DocumentsDestination> {
        let clean = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let destination = DocumentsDestination {
            reply_to: clean(&self.documents_reply_to),
            upload_url: clean(&self.documents_upload_url),
            postal_address: clean(&self.documents_postal_address),
        };
        (!destination.is_empty()).then_some(destination)
    }

    /// Whether the documents step may run: as set, else whether a destination is configured.
    pub fn documents_step_enabled(&self) -> bool {
        self.documents_step
            .unwrap_or_else(|| self.documents_destination().is_some())
    }
}

/// What the chat's partner journeys need from the configuration, resolved once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JourneySettings {
    /// Where requested documents go; `None` when nothing is configured.
    pub documents: Option<DocumentsDestination>,
    /// Whether reviewers may request documents.
    pub documents_step: bool,
    /// Business days after which a waiting join request is overdue for the admins.
    pub admin_overdue_after_business_days: u32,
}

impl JourneySettings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            documents: config.registration.documents_destination(),
            documents_step: config.registration.documents_step_enabled(),
            admin_overdue_after_business_days: config
                .reminders
                .escalate_to_admin_after_business_days,
        }
    }
}

/// What a job does with fires it missed while no daemon ran.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum MisfirePolicy {
    /// Run the latest missed fire once.
    #[default]
    FireOnce,
    /// Drop missed fires; wait for the next one.
    Skip,
    /// Run the latest missed fire once if it is at most `grace_secs` late, else drop it.
    Grace,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct JobConfig {
    pub enabled: bool,
    /// 5-field crontab expression, or the cron crate's 6/7-field form with seconds.
    pub schedule: String,
    /// IANA zone the schedule is read in.
    pub zone: String,
    pub misfire: MisfirePolicy,
    pub grace_secs: u64,
    /// Fire only on business days of the calendar.
    pub business_days: bool,
}

impl Default for JobConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            schedule: "0 9 * * *".into(),
            zone: "Asia/Tokyo".into(),
            misfire: MisfirePolicy::FireOnce,
            grace_secs: 3_600,
            business_days: false,
        }
    }
}

/// The built-in jobs and their default schedules.
pub fn default_jobs() -> BTreeMap<String, JobConfig> {
    let job = |schedule: &str, business_days: bool| JobConfig {
        schedule: schedule.into(),
        business_days,
        ..JobConfig::default()
    };
    BTreeMap::from([
        // How often an idle dispatcher looks for due messages (new messages wake it at once).
        ("outbox-dispatch".to_string(), job("*/5 * * * * *", false)),
        // Hourly, so that 9:00 in every sales rep's own zone is covered.
        ("renewal-sweep".to_string(), job("0 * * * *", false)),
        ("renewal-digest".to_string(), job("0 9 * * 1", false)),
        ("approval-escalation".to_string(), job("0 9 * * 1-5", true)),
        // The safety net of completed-review (and documents-requested) notices.
        ("review-mail".to_string(), job("*/10 * * * *", false)),
        ("retention".to_string(), job("30 3 * * *", false)),
    ])
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database: DatabaseConfig::default(),
            http: HttpConfig::default(),
            console: ConsoleConfig::default(),
            mail: MailConfig::default(),
            discord: DiscordConfig::default(),
            i18n: I18nConfig::default(),
            log: LogConfig::default(),
            calendar: partnerdesk_domain::CalendarConfig::default(),
            contacts: BTreeMap::new(),
            renewal: partnerdesk_domain::RenewalPolicyConfig::default(),
            payment: partnerdesk_domain::PaymentConfig::default(),
            outbox: OutboxConfig::default(),
            reminders: RemindersConfig::default(),
            registration: RegistrationConfig::default(),
            desk: DeskConfig::default(),
            jobs: default_jobs(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (created when missing) or `postgres://user@host:port/db`.
    pub url: String,
    /// Connections in the pool (PostgreSQL; SQLite uses one writer and this many readers).
    pub max_connections: u32,
    /// How long a query waits for a lock or a connection, in milliseconds.
    pub busy_timeout_ms: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://var/partnerdesk.db".into(),
            max_connections: 4,
            busy_timeout_ms: 5_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address of /healthz, /readyz and /metrics.
    pub listen: String,
    pub enabled: bool,
    /// How people reach the listener from outside (`https://desk.example.com`), for the URLs
    /// partnerdesk prints (the reps' calendar feeds). Empty: `http://` + `listen`.
    pub public_url: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            enabled: true,
            public_url: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Off by default: the console is served only when an operator turns it on.
    pub enabled: bool,
    /// The address operators open, for the setup links `operator add` prints
    /// (`https://desk.example.com`); empty: `http://` + `http.listen`.
    pub public_url: String,
    /// Always mark the session cookie `Secure` (the console is only reached over TLS).
    pub secure_cookies: bool,
    /// Proxies (IP addresses) whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed:
    /// `X-Forwarded-Proto: https` from one of them makes the cookie `Secure`.
    pub trusted_proxies: Vec<String>,
    /// How long a login lasts, in hours.
    pub session_hours: u32,
    /// Failed logins per IBM ID (and five times as many per client address) within
    /// `login_window_minutes` after which logins are refused until the window has passed.
    pub login_max_failures: u32,
    pub login_window_minutes: u32,
    /// How long a setup link of `operator add` stays valid, in hours.
    pub setup_link_hours: u32,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            public_url: String::new(),
            secure_cookies: false,
            trusted_proxies: vec!["127.0.0.1".into(), "::1".into()],
            session_hours: 12,
            login_max_failures: 5,
            login_window_minutes: 15,
            setup_link_hours: 24,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// `.eml` files in `mail.dir`: the embedded default, nothing leaves the machine.
    File,
    Smtp,
}

impl MailTransportKind {
    /// The word used in the configuration: `file` or `smtp`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Smtp => "smtp",
        }
    }
}

impl fmt::Display for MailTransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    pub transport: MailTransportKind,
    /// Folder of the file transport.
    pub dir: String,
    /// Sender of every message, `Name <address>`.
    pub from: String,
    /// lettre's URL form: `smtp://user:pass@host:port`, `?tls=required`, `smtps://` for TLS.
    pub smtp_url: Option<String>,
    /// Overrides the password of `smtp_url`; only from the environment
    /// (PARTNERDESK_MAIL__SMTP_PASSWORD), never from the TOML file.
    pub smtp_password: Option<Secret>,
    /// Send the SMTP user and password over a connection without TLS (`smtp://` without
    /// `?tls=required`). Off by default: such a URL with a user is refused.
    pub allow_plaintext_auth: bool,
    /// SMTP: seconds for opening a session (connect, greeting, EHLO, TLS, AUTH) and for the
    /// reply to each command.
    pub timeout_secs: u64,
    /// SMTP: seconds for sending a message's data and the reply to its final "." (RFC 5321
    /// §4.5.3.2 asks clients to wait 10 minutes). No reply in time is recorded as "possibly
    /// delivered" and retried with the same Message-ID.
    pub data_timeout_secs: u64,
    /// SMTP connections kept open and reused.
    pub pool_size: u32,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: MailTransportKind::File,
            dir: "var/mail".into(),
            from: "PartnerWorld Desk <partnerdesk@localhost>".into(),
            smtp_url: None,
            smtp_password: None,
            allow_plaintext_auth: false,
            timeout_secs: 10,
            data_timeout_secs: 600,
            pool_size: 4,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Only from PARTNERDESK_DISCORD__TOKEN, never from the TOML file.
    pub token: Option<Secret>,
    /// A file holding the token (for secret mounts).
    pub token_file: Option<String>,
    /// Guilds that get the slash commands registered at once (else: globally).
    pub guild_ids: Vec<u64>,
    /// An HTTP service that speaks Discord's REST API in Discord's place (a shared rate-limit
    /// proxy, or a fake Discord in tests): `http://host:port`. Every REST call goes there and
    /// serenity's own rate limiter is off (the proxy's job); outbox sends still honour a 429's
    /// `retry_after`. The gateway URL is whatever that service answers to `GET /gateway`.
    pub api_proxy: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct I18nConfig {
    /// Language used when neither the user nor the platform says one: `ja` or `en`.
    pub default_locale: String,
}

impl Default for I18nConfig {
    fn default() -> Self {
        Self {
            default_locale: "ja".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_transport_displays_as_its_configuration_word() {
        assert_eq!(MailTransportKind::File.to_string(), "file");
        assert_eq!(MailTransportKind::Smtp.to_string(), "smtp");
    }
}

/// `[desk]`: how the free-text desk remembers a conversation and hands off to people.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DeskConfig {
    /// Minutes without a message after which a conversation's context (last topic, date,
    /// contact) is forgotten and the next question starts fresh. 1 to 1440.
    pub conversation_idle_minutes: u32,
    /// A Discord channel (id) where staff take over questions the desk cannot answer: with it,
    /// an unknown answer offers a "talk to a person" button that posts the question and the
    /// last turns there. Unset (the default): no button.
    pub staff_channel_id: Option<u64>,
    /// Days recorded questions are kept for `partnerdesk questions unanswered`. At least 1.
    pub question_retention_days: u32,
}

impl Default for DeskConfig {
    fn default() -> Self {
        Self {
            conversation_idle_minutes: 30,
            staff_channel_id: None,
            question_retention_days: 90,
        }
    }
}
