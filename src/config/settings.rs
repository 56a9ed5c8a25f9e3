//! Typed settings and where they come from.
//!
//! Layering, lowest first: built-in defaults < the TOML file named by `--config` < environment
//! variables `PARTNERDESK_<SECTION>__<KEY>`. Every error names the key, the value it had and
//! what is allowed, and is a configuration error (exit code 2). Secrets never come from the
//! TOML file and never leave this module unredacted.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::{operator_locale, Locale, Msg};

/// Prefix of every environment variable that sets a configuration key.
pub const ENV_PREFIX: &str = "PARTNERDESK_";
const REDACTED: &str = "<redacted>";

/// The whole effective configuration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: DatabaseConfig,
    pub http: HttpConfig,
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
            lease_secs: 120,
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
    /// Days before a renewal deadline on which the sales rep is reminded.
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
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            enabled: true,
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
    /// Overrides the password of `smtp_url`; only from the environment.
    pub smtp_password: Option<String>,
    pub timeout_secs: u64,
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
            timeout_secs: 10,
            pool_size: 4,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Only from PARTNERDESK_DISCORD__TOKEN, never from the TOML file.
    pub token: Option<String>,
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

/// A configuration problem: always exit code 2. It keeps a message id and its arguments and
/// is worded late, in the operator's language (locales/*/config.ftl).
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub message: Msg,
}

impl ConfigError {
    pub fn new(message: Msg) -> Self {
        Self { message }
    }

    /// "configuration key `KEY` has value "VALUE": ALLOWED" (`allowed` says what is wrong and
    /// what is allowed).
    pub fn invalid(key: &str, value: &str, allowed: Msg) -> Self {
        Self::new(
            Msg::new("config-invalid")
                .arg("key", key)
                .arg("value", format!("{value:?}"))
                .sub("allowed", allowed),
        )
    }

    /// One line in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        one_line(&self.message.render(locale))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(operator_locale()))
    }
}

/// The bot token in `path` (`discord.token_file`), trimmed; the error names the file, never
/// what is in it.
pub fn read_token_file(path: &str) -> Result<String, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let token = String::from_utf8_lossy(&bytes).trim().to_string();
            if token.is_empty() {
                Err(ConfigError::invalid(
                    "discord.token_file",
                    path,
                    Msg::new("config-allowed-token-file-empty"),
                ))
            } else {
                Ok(token)
            }
        }
        Err(e) => Err(ConfigError::invalid(
            "discord.token_file",
            path,
            Msg::new("config-allowed-token-file-unreadable").arg("reason", io_reason(&e)),
        )),
    }
}

/// A refused calendar setting under `prefix` (`calendar`, `contacts.ID.calendar`).
pub(crate) fn calendar_error(
    prefix: &str,
    e: &partnerdesk_domain::CalendarConfigError,
) -> ConfigError {
    use partnerdesk_domain::CalendarProblem;
    let allowed = match &e.problem {
        CalendarProblem::Zone => Msg::new("config-allowed-zone"),
        CalendarProblem::NoHours => Msg::new("config-allowed-hours"),
        CalendarProblem::Period => Msg::new("config-allowed-period"),
        CalendarProblem::Overlap { previous_end } => {
            Msg::new("config-allowed-period-order").arg("previous_end", previous_end.clone())
        }
        CalendarProblem::MonthDay { example } => {
            Msg::new("config-allowed-month-day").arg("example", *example)
        }
        CalendarProblem::Date => Msg::new("config-allowed-date"),
    };
    ConfigError::invalid(&format!("{prefix}.{}", e.key), &e.value, allowed)
}

/// Renewal dates out of order.
pub(crate) fn renewal_error(e: &partnerdesk_domain::RenewalConfigError) -> ConfigError {
    let id = if e.key == "early_renewal_deadline" {
        "config-allowed-before-cutover"
    } else {
        "config-allowed-after-cutover"
    };
    ConfigError::invalid(
        &format!("renewal.{}", e.key),
        &e.value.to_string(),
        Msg::new(id).arg("cutover", e.cutover.to_string()),
    )
}

/// A payment setting out of range.
pub(crate) fn payment_error(e: &partnerdesk_domain::PaymentConfigError) -> ConfigError {
    ConfigError::invalid(
        &format!("payment.{}", e.key),
        &e.value,
        Msg::new("config-allowed-due-days")
            .arg("max", partnerdesk_domain::payment::MAX_DUE_DAYS.to_string()),
    )
}

/// Where a schedule went wrong and the parser's technical detail, with what is allowed.
pub(crate) fn schedule_problem(e: &partnerdesk_domain::ScheduleError) -> Msg {
    let place = match e.field {
        Some(field) => Msg::new("config-schedule-field")
            .arg("field", field.to_string())
            .arg("position", e.position.to_string()),
        None => Msg::new("config-schedule-position").arg("position", e.position.to_string()),
    };
    Msg::new("config-allowed-schedule")
        .sub("place", place)
        .arg("detail", e.reason.clone())
}

/// A job schedule the parser refused.
pub(crate) fn schedule_error(job: &str, e: &partnerdesk_domain::ScheduleError) -> ConfigError {
    ConfigError::invalid(
        &format!("jobs.{job}.schedule"),
        &e.expression,
        schedule_problem(e),
    )
}

/// `mail.transport = "smtp"` without `mail.smtp_url`.
pub(crate) fn smtp_url_missing() -> ConfigError {
    ConfigError::new(Msg::new("config-smtp-url-missing"))
}

/// Something that cannot happen with a sound build, said plainly if it does.
fn internal(detail: String) -> ConfigError {
    ConfigError::new(Msg::new("config-internal").arg("detail", detail))
}

/// A zone name that is not in the IANA database.
pub(crate) fn zone_error(key: &str, e: &partnerdesk_domain::ZoneError) -> ConfigError {
    ConfigError::invalid(key, &e.name, Msg::new("config-allowed-zone"))
}

impl std::error::Error for ConfigError {}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    Sqlite { path: PathBuf },
    Postgres { url: String },
}

impl Config {
    /// Loads defaults, then `file`, then the given environment (normally `std::env::vars()`).
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut merged = toml::Value::try_from(Config::default())
            .map_err(|e| internal(format!("defaults do not serialize: {e}")))?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError::new(
                    Msg::new("config-file-unreadable")
                        .arg("path", path.display().to_string())
                        .arg("reason", io_reason(&e)),
                )
            })?;
            let table = parse_toml_file(&text, path)?;
            if table.get("discord").and_then(|d| d.get("token")).is_some() {
                return Err(ConfigError::new(
                    Msg::new("config-token-in-file").arg("path", path.display().to_string()),
                ));
            }
            merge(&mut merged, toml::Value::Table(table));
        }
        let from_env = apply_env(&mut merged, env)?;
        let config: Config = serde_path_to_error::deserialize(merged.clone()).map_err(|e| {
            let segments: Vec<String> = e
                .path()
                .iter()
                .map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => index.to_string(),
                    serde_path_to_error::Segment::Map { key } => key.clone(),
                    serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                    serde_path_to_error::Segment::Unknown => "?".to_string(),
                })
                .collect();
            let key = segments.join(".");
            let value = lookup(&merged, &segments).map(|v| render_value(&key, v));
            let set_by = from_env.get(&key).map(String::as_str);
            ConfigError::new(describe_serde_error(
                &key,
                value.as_deref(),
                e.inner().message(),
                set_by,
            ))
        })?;
        config.validate()?;
        config.check_files()?;
        Ok(config)
    }

    /// Checks the files the configuration names and that are read at start-up: the Discord
    /// token file must be readable and not empty (its content is never shown). Only consulted
    /// when no token comes from PARTNERDESK_DISCORD__TOKEN, as at start-up.
    pub fn check_files(&self) -> Result<(), ConfigError> {
        let token_set = self
            .discord
            .token
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if token_set {
            return Ok(());
        }
        let Some(path) = self.discord.token_file.as_deref() else {
            return Ok(());
        };
        read_token_file(path).map(|_| ())
    }

    /// Semantic checks serde cannot express.
    /// The business calendar of a contact: `pwcs` is `[calendar]`, others `[contacts.ID]`.
    pub fn contact_calendar(
        &self,
        id: &str,
    ) -> Result<partnerdesk_domain::calendar::BusinessCalendar, ConfigError> {
        let (key, calendar) = if id == PWCS_CONTACT {
            ("calendar".to_string(), &self.calendar)
        } else {
            match self.contacts.get(id) {
                Some(contact) => (format!("contacts.{id}.calendar"), &contact.calendar),
                None => {
                    let known: Vec<&str> = std::iter::once(PWCS_CONTACT)
                        .chain(self.contacts.keys().map(String::as_str))
                        .collect();
                    return Err(ConfigError::new(
                        Msg::new("config-unknown-contact")
                            .arg("id", format!("{id:?}"))
                            .arg("known", known.join(", ")),
                    ));
                }
            }
        };
        calendar.build().map_err(|e| calendar_error(&key, &e))
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.database_target()?;
        self.listen_addr()?;
        if self.database.max_connections == 0 {
            return Err(ConfigError::invalid(
                "database.max_connections",
                "0",
                Msg::new("config-allowed-at-least-one"),
            ));
        }
        if let Some(proxy) = &self.discord.api_proxy {
            let ok = url::Url::parse(proxy)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(ConfigError::invalid(
                    "discord.api_proxy",
                    proxy,
                    Msg::new("config-allowed-api-proxy"),
                ));
            }
        }
        if !matches!(self.i18n.default_locale.as_str(), "ja" | "en") {
            return Err(ConfigError::invalid(
                "i18n.default_locale",
                &self.i18n.default_locale,
                Msg::new("config-allowed-locale"),
            ));
        }
        if self.mail.from.contains(['\r', '\n'])
            || self.mail.from.parse::<lettre::message::Mailbox>().is_err()
        {
            return Err(ConfigError::invalid(
                "mail.from",
                &self.mail.from,
                Msg::new("config-allowed-mailbox"),
            ));
        }
        self.contact_calendar(PWCS_CONTACT)?;
        for id in self.contacts.keys() {
            let well_formed = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !well_formed || id == PWCS_CONTACT {
                return Err(ConfigError::invalid(
                    &format!("contacts.{id}"),
                    id,
                    Msg::new("config-allowed-contact-id"),
                ));
            }
            self.contact_calendar(id)?;
        }
        self.renewal.build().map_err(|e| renewal_error(&e))?;
        self.payment.build().map_err(|e| payment_error(&e))?;
        for (name, job) in &self.jobs {
            if !default_jobs().contains_key(name) {
                return Err(ConfigError::new(
                    Msg::new("config-unknown-job")
                        .arg("name", name.clone())
                        .arg(
                            "jobs",
                            default_jobs()
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                ));
            }
            partnerdesk_domain::Schedule::parse(&job.schedule)
                .map_err(|e| schedule_error(name, &e))?;
            partnerdesk_domain::parse_zone(&job.zone)
                .map_err(|e| zone_error(&format!("jobs.{name}.zone"), &e))?;
        }
        if chrono::NaiveTime::parse_from_str(&self.reminders.send_at, "%H:%M").is_err() {
            return Err(ConfigError::invalid(
                "reminders.send_at",
                &self.reminders.send_at,
                Msg::new("config-allowed-send-at"),
            ));
        }
        for (key, value) in [
            ("outbox.batch_size", self.outbox.batch_size),
            ("outbox.concurrency", self.outbox.concurrency),
            ("outbox.max_attempts", self.outbox.max_attempts),
        ] {
            if value == 0 {
                return Err(ConfigError::invalid(
                    key,
                    "0",
                    Msg::new("config-allowed-at-least-one"),
                ));
            }
        }
        if self.mail.transport == MailTransportKind::Smtp {
            // The same parse the mailer does at start, so `config check` refuses what `run`
            // would (no host, a bad port, an unknown tls= value, a user without a password).
            crate::notify::smtp::SmtpSettings::from_config(&self.mail)?;
        }
        Ok(())
    }

    pub fn database_target(&self) -> Result<DatabaseTarget, ConfigError> {
        parse_database_url(&self.database.url)
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.http.listen.parse().map_err(|_| {
            ConfigError::invalid(
                "http.listen",
                &self.http.listen,
                Msg::new("config-allowed-listen"),
            )
        })
    }

    /// The configuration as TOML with every secret replaced by `<redacted>`.
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        if shown.discord.token.is_some() {
            shown.discord.token = Some(REDACTED.into());
        }
        if shown.mail.smtp_password.is_some() {
            shown.mail.smtp_password = Some(REDACTED.into());
        }
        shown.mail.smtp_url = shown.mail.smtp_url.as_deref().map(redact_url);
        shown.database.url = redact_url(&shown.database.url);
        toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

/// Parses the configuration file; an error is one line: `FILE:LINE:COLUMN: ... reason`.
fn parse_toml_file(text: &str, path: &Path) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let (line, column) = line_and_column(text, span.start);
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        ConfigError::new(
            Msg::new("config-toml")
                .arg("place", format!("{}{place}", path.display()))
                .arg("reason", one_line(e.message())),
        )
    })
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Joins the lines of a multi-line message with "; ".
pub(crate) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// An I/O error without its "(os error N)" tail.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The value at `segments` in the merged configuration.
fn lookup<'a>(root: &'a toml::Value, segments: &[String]) -> Option<&'a toml::Value> {
    segments
        .iter()
        .try_fold(root, |value, segment| match value {
            toml::Value::Table(t) => t.get(segment),
            toml::Value::Array(a) => segment.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

/// A configuration value as it is shown in an error: one line, secrets redacted.
fn render_value(key: &str, value: &toml::Value) -> String {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    if leaf.contains("token") && leaf != "token_file"
        || leaf.contains("password")
        || leaf.contains("secret")
    {
        return REDACTED.to_string();
    }
    let text = match value {
        toml::Value::String(s) => format!("{:?}", redact_url(s)),
        // A TOML date-time, as serde carries it: show it as written.
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("$__toml_private_datetime") => t
            .get("$__toml_private_datetime")
            .map(|v| one_line(&v.to_string()))
            .unwrap_or_default(),
        toml::Value::Table(_) => "a table".to_string(),
        other => one_line(&other.to_string()),
    };
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" (and the like) into one line
/// naming the key, its value and what is allowed.
fn describe_serde_error(
    key: &str,
    value: Option<&str>,
    message: &str,
    set_by: Option<&str>,
) -> Msg {
    let message = one_line(message);
    let (problem, expected) = match message.split_once(", expected ") {
        Some((problem, expected)) => (problem, Some(expected)),
        None => (message.as_str(), None),
    };
    let origin = match set_by {
        Some(name) => Msg::new("config-origin-env").arg("variable", name),
        None => Msg::new("config-origin-none"),
    };
    let shown = value.unwrap_or("-");
    if problem.starts_with("unknown field") {
        let (section, _) = key.rsplit_once('.').unwrap_or(("", key));
        let allowed = expected.map(backticked).unwrap_or_default().join(", ");
        let allowed = if allowed.is_empty() {
            "-".to_string()
        } else {
            allowed
        };
        if section.is_empty() {
            return Msg::new("config-unknown-section")
                .arg("key", key)
                .sub("origin", origin)
                .arg("allowed", allowed);
        }
        return Msg::new("config-unknown-key")
            .arg("key", key)
            .arg("value", shown)
            .sub("origin", origin)
            .arg("section", section)
            .arg("allowed", allowed);
    }
    let kind = problem
        .split([':', '`'])
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .unwrap_or("invalid value");
    let kind = match kind {
        "invalid type" => Msg::new("config-kind-type"),
        "unknown variant" => Msg::new("config-kind-variant"),
        "missing field" => Msg::new("config-kind-missing"),
        "invalid length" => Msg::new("config-kind-length"),
        "invalid value" => Msg::new("config-kind-value"),
        other => Msg::new("config-kind-other").arg("kind", other),
    };
    let allowed = match expected {
        Some(expected) => {
            Msg::new("config-allowed-serde").sub("allowed", humanize_expected(expected))
        }
        None => Msg::new("config-allowed-none"),
    };
    Msg::new("config-invalid-kind")
        .arg("key", key)
        .arg("value", shown)
        .sub("origin", origin)
        .sub("kind", kind)
        .sub("allowed", allowed)
}

/// The words between backticks: "one of `a`, `b`" → [a, b].
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's "expected" phrase in an operator's words.
fn humanize_expected(expected: &str) -> Msg {
    let names = backticked(expected);
    if !names.is_empty() {
        return Msg::new("config-expected-names").arg("names", names.join(", "));
    }
    let id = match expected.trim() {
        "u8" => "config-expected-u8",
        "u16" => "config-expected-u16",
        "u32" => "config-expected-u32",
        "u64" | "usize" => "config-expected-unsigned",
        "i32" | "i64" | "an integer" => "config-expected-integer",
        "a boolean" => "config-expected-boolean",
        "a string" => "config-expected-string",
        "a sequence" => "config-expected-list",
        "a value, or false to turn the setting off" => "config-expected-value-or-false",
        other if other.starts_with("struct ") || other == "a map" => "config-expected-table",
        other => return Msg::new("config-expected-names").arg("names", other.to_string()),
    };
    Msg::new(id)
}

/// Parses `database.url`, naming what is allowed when it is wrong.
pub fn parse_database_url(url: &str) -> Result<DatabaseTarget, ConfigError> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(ConfigError::invalid(
            "database.url",
            &redact_url(url),
            Msg::new("config-allowed-database-url"),
        ));
    };
    match scheme {
        "sqlite" => {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(ConfigError::invalid(
                    "database.url",
                    url,
                    Msg::new("config-allowed-sqlite-path"),
                ));
            }
            Ok(DatabaseTarget::Sqlite {
                path: PathBuf::from(path),
            })
        }
        "postgres" | "postgresql" => {
            let without_query = rest.split('?').next().unwrap_or_default();
            let db = without_query.rsplit_once('/').map(|(_, db)| db);
            if db.is_none_or(str::is_empty) {
                return Err(ConfigError::invalid(
                    "database.url",
                    &redact_url(url),
                    Msg::new("config-allowed-postgres-database"),
                ));
            }
            Ok(DatabaseTarget::Postgres { url: url.into() })
        }
        other => Err(ConfigError::invalid(
            "database.url",
            &redact_url(url),
            Msg::new("config-allowed-database-scheme").arg("scheme", other),
        )),
    }
}

/// Hides the password of `scheme://user:password@host` URLs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:{REDACTED}@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

fn merge(base: &mut toml::Value, overlay: toml::Value) {
    match (base, overlay) {
        (toml::Value::Table(base), toml::Value::Table(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

/// Applies `PARTNERDESK_SECTION__KEY=value` variables. A value is read with the type of the
/// default it replaces, so `PARTNERDESK_HTTP__ENABLED=false` is a bool and a port stays a string
/// where the default is one.
/// Returns which variable set each key (`http.listen` → `PARTNERDESK_HTTP__LISTEN`).
fn apply_env(
    merged: &mut toml::Value,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut set_by = BTreeMap::new();
    let vars: BTreeMap<String, String> = env
        .into_iter()
        .filter(|(k, _)| k.starts_with(ENV_PREFIX) && k.contains("__"))
        .collect();
    for (name, raw) in vars {
        let path: Vec<String> = name[ENV_PREFIX.len()..]
            .split("__")
            .map(str::to_ascii_lowercase)
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(ConfigError::new(
                Msg::new("config-env-not-key").arg("variable", name),
            ));
        }
        let mut resolved: Vec<String> = Vec::with_capacity(path.len());
        let Some(mut cursor) = merged.as_table_mut() else {
            return Err(internal("configuration root is not a table".into()));
        };
        for section in &path[..path.len() - 1] {
            // Job and contact ids have hyphens, which environment names cannot carry:
            // PARTNERDESK_JOBS__RENEWAL_SWEEP__SCHEDULE names `jobs.renewal-sweep`.
            let hyphenated = section.replace('_', "-");
            let section = if !cursor.contains_key(section) && cursor.contains_key(&hyphenated) {
                hyphenated
            } else {
                section.clone()
            };
            resolved.push(section.clone());
            let entry = cursor
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            cursor = match entry {
                toml::Value::Table(t) => t,
                _ => {
                    return Err(ConfigError::new(
                        Msg::new("config-env-not-section")
                            .arg("variable", name)
                            .arg("section", section.clone()),
                    ))
                }
            };
        }
        let leaf = &path[path.len() - 1];
        resolved.push(leaf.clone());
        let key = resolved.join(".");
        let value = typed_env_value(cursor.get(leaf), &raw).ok_or_else(|| {
            let expected = match cursor.get(leaf).map(|v| v.type_str()) {
                Some("integer") => "config-expected-integer",
                Some("boolean") => "config-expected-boolean",
                Some("float") => "config-expected-number",
                Some("array") => "config-expected-env-list",
                Some("table") => "config-expected-table",
                _ => "config-expected-any",
            };
            ConfigError::new(
                Msg::new("config-invalid-kind")
                    .arg("key", key.clone())
                    .arg("value", format!("{raw:?}"))
                    .sub(
                        "origin",
                        Msg::new("config-origin-env").arg("variable", name.clone()),
                    )
                    .sub("kind", Msg::new("config-kind-value"))
                    .sub(
                        "allowed",
                        Msg::new("config-allowed-serde").sub("allowed", Msg::new(expected)),
                    ),
            )
        })?;
        cursor.insert(leaf.clone(), value);
        set_by.insert(key, name);
    }
    Ok(set_by)
}

fn typed_env_value(default: Option<&toml::Value>, raw: &str) -> Option<toml::Value> {
    let literal = || {
        format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
    };
    match default {
        Some(toml::Value::String(_)) | None => Some(toml::Value::String(raw.to_string())),
        Some(toml::Value::Integer(_)) => raw.trim().parse().ok().map(toml::Value::Integer),
        Some(toml::Value::Float(_)) => raw.trim().parse().ok().map(toml::Value::Float),
        Some(toml::Value::Boolean(_)) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" => Some(toml::Value::Boolean(false)),
            _ => None,
        },
        Some(toml::Value::Array(_)) => literal().filter(toml::Value::is_array).or_else(|| {
            // `1,2,3` or `a,b`: a comma-separated list of TOML literals or plain strings.
            let items = raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|item| {
                    format!("v = {item}")
                        .parse::<toml::Table>()
                        .ok()
                        .and_then(|mut t| t.remove("v"))
                        .unwrap_or_else(|| toml::Value::String(item.to_string()))
                })
                .collect();
            Some(toml::Value::Array(items))
        }),
        Some(_) => literal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The error as an English-speaking operator reads it.
    fn en(err: &ConfigError) -> String {
        err.render(Locale::En)
    }

    fn write(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), text).expect("write");
        file
    }

    #[test]
    fn defaults_need_no_file() {
        let c = Config::load(None, env(&[])).expect("defaults load");
        assert_eq!(c.database.url, "sqlite://var/partnerdesk.db");
        assert_eq!(c.http.listen, "127.0.0.1:8080");
        assert_eq!(c.mail.transport, MailTransportKind::File);
        assert_eq!(c.mail.dir, "var/mail");
    }

    #[test]
    fn env_beats_file_beats_defaults() {
        let f = write("[http]\nlisten = \"127.0.0.1:9000\"\n[database]\nmax_connections = 9\n");
        let c = Config::load(
            Some(f.path()),
            env(&[
                ("PARTNERDESK_HTTP__LISTEN", "127.0.0.1:9100"),
                ("PARTNERDESK_HTTP__ENABLED", "false"),
                ("PARTNERDESK_DISCORD__GUILD_IDS", "1,2"),
                ("PARTNERDESK_UNRELATED", "ignored: no double underscore"),
            ]),
        )
        .expect("load");
        assert_eq!(c.http.listen, "127.0.0.1:9100");
        assert!(!c.http.enabled);
        assert_eq!(c.database.max_connections, 9);
        assert_eq!(c.discord.guild_ids, vec![1, 2]);
    }

    #[test]
    fn unknown_key_is_named() {
        let f = write("[http]\nlistn = \"x\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("unknown key");
        assert!(en(&err).contains("listn"), "{}", en(&err));
        let err = Config::load(None, env(&[("PARTNERDESK_HTTP__PORT", "1")])).expect_err("env");
        assert!(en(&err).contains("port"), "{}", en(&err));
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let f = write("[http]\nlisten = \n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("bad toml");
        assert!(en(&err).contains(":2:"), "{}", en(&err));
        let f = write("[database\nurl=\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("bad header");
        let place = format!("{}:1:10: not valid TOML: ", f.path().display());
        assert!(en(&err).contains(&place), "{}", en(&err));
        assert!(!en(&err).contains('\n'), "one line: {:?}", en(&err));
    }

    fn assert_one_line(err: &ConfigError, needles: &[&str]) {
        let text = en(err);
        assert!(!text.contains('\n'), "one line: {text:?}");
        for needle in needles {
            assert!(text.contains(needle), "`{needle}` in {text:?}");
        }
    }

    #[test]
    fn serde_errors_are_one_line_with_key_value_and_allowed() {
        let f = write("[database]\nurll = \"x\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("unknown key");
        assert_one_line(
            &err,
            &[
                "`database.urll`",
                "\"x\"",
                "allowed keys in [database]: url, max_connections, busy_timeout_ms",
            ],
        );
        let f = write("[databse]\nurl = \"x\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("unknown section");
        assert_one_line(&err, &["[databse]", "allowed sections: database, http"]);

        let err = Config::load(None, env(&[("PARTNERDESK_MAIL__TRANSPORT", "carrier")]))
            .expect_err("variant");
        assert_one_line(
            &err,
            &[
                "`mail.transport`",
                "\"carrier\"",
                "allowed: file, smtp",
                "PARTNERDESK_MAIL__TRANSPORT",
            ],
        );
        let f = write("[http]\nlisten = 8080\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("type");
        assert_one_line(&err, &["`http.listen`", "8080", "allowed: a string"]);
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "-1")]),
        )
        .expect_err("negative");
        assert_one_line(
            &err,
            &[
                "`database.busy_timeout_ms`",
                "-1",
                "allowed: a whole number",
            ],
        );
        let err =
            Config::load(None, env(&[("PARTNERDESK_HTTP__ENABLED", "perhaps")])).expect_err("bool");
        assert_one_line(&err, &["`http.enabled`", "perhaps", "true or false"]);
    }

    #[test]
    fn the_token_file_must_be_readable_and_is_never_shown() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("missing-token");
        let missing = missing.to_str().expect("utf-8");
        let err = Config::load(None, env(&[("PARTNERDESK_DISCORD__TOKEN_FILE", missing)]))
            .expect_err("missing token file");
        assert_one_line(&err, &["discord.token_file", missing, "readable file"]);

        let empty = write("  \n");
        let path = empty.path().to_str().expect("utf-8");
        let err = Config::load(None, env(&[("PARTNERDESK_DISCORD__TOKEN_FILE", path)]))
            .expect_err("empty token file");
        assert_one_line(&err, &["discord.token_file", "empty"]);

        let good = write("secret-token-in-file\n");
        let path = good.path().to_str().expect("utf-8");
        Config::load(None, env(&[("PARTNERDESK_DISCORD__TOKEN_FILE", path)])).expect("readable");
        // A token from the environment wins; the file is not consulted.
        Config::load(
            None,
            env(&[
                ("PARTNERDESK_DISCORD__TOKEN", "from-env"),
                ("PARTNERDESK_DISCORD__TOKEN_FILE", missing),
            ]),
        )
        .expect("token from env");
    }

    #[test]
    fn mail_transport_displays_as_its_configuration_word() {
        assert_eq!(MailTransportKind::File.to_string(), "file");
        assert_eq!(MailTransportKind::Smtp.to_string(), "smtp");
    }

    #[test]
    fn bad_values_name_key_value_and_allowed() {
        let err = Config::load(None, env(&[("PARTNERDESK_DATABASE__URL", "mysql://x")]))
            .expect_err("mysql");
        assert!(en(&err).contains("database.url"), "{}", en(&err));
        assert!(en(&err).contains("mysql"), "{}", en(&err));
        assert!(en(&err).contains("postgres://"), "{}", en(&err));
        let err = Config::load(None, env(&[("PARTNERDESK_HTTP__LISTEN", "nowhere")]))
            .expect_err("listen");
        assert!(en(&err).contains("http.listen"), "{}", en(&err));
        let err =
            Config::load(None, env(&[("PARTNERDESK_HTTP__ENABLED", "perhaps")])).expect_err("bool");
        assert!(en(&err).contains("http.enabled"), "{}", en(&err));
    }

    #[test]
    fn discord_token_is_refused_in_the_file_and_redacted_on_show() {
        let f = write("[discord]\ntoken = \"abc\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("token in file");
        assert!(en(&err).contains("PARTNERDESK_DISCORD__TOKEN"));
        let c = Config::load(
            None,
            env(&[
                ("PARTNERDESK_DISCORD__TOKEN", "very-secret-token"),
                ("PARTNERDESK_MAIL__SMTP_URL", "smtp://user:hunter2@mail:587"),
                ("PARTNERDESK_MAIL__TRANSPORT", "smtp"),
            ]),
        )
        .expect("load");
        let shown = c.redacted_toml();
        assert!(!shown.contains("very-secret-token"));
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("smtp://user:<redacted>@mail:587"));
    }

    #[test]
    fn errors_are_worded_in_the_operators_language() {
        let bad_toml = write("[http]\nlisten = \n");
        let unknown_key = write("[http]\nlistn = \"x\"\n");
        let cases = [
            Config::load(Some(bad_toml.path()), env(&[])),
            Config::load(Some(unknown_key.path()), env(&[])),
            Config::load(None, env(&[("PARTNERDESK_HTTP__LISTEN", "nowhere")])),
            Config::load(None, env(&[("PARTNERDESK_HTTP__ENABLED", "perhaps")])),
            Config::load(None, env(&[("PARTNERDESK_MAIL__TRANSPORT", "carrier")])),
            Config::load(None, env(&[("PARTNERDESK_CALENDAR__ZONE", "Asia/Tokio")])),
            Config::load(
                None,
                env(&[("PARTNERDESK_JOBS__RETENTION__SCHEDULE", "0 25 * * *")]),
            ),
            Config::load(None, env(&[("PARTNERDESK_DATABASE__URL", "mysql://x")])),
            Config::load(None, env(&[("PARTNERDESK_MAIL__TRANSPORT", "smtp")])),
        ];
        for result in cases {
            let err = result.expect_err("refused");
            let (ja, en) = (err.render(Locale::Ja), err.render(Locale::En));
            // A message id missing from a locale would show up as the id itself.
            for text in [&ja, &en] {
                assert!(!text.contains("config-"), "unresolved message: {text}");
                assert!(!text.contains('\n'), "one line: {text:?}");
            }
            assert_ne!(ja, en);
            assert!(
                ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                "Japanese: {ja}"
            );
        }
        let err = Config::load(None, env(&[("PARTNERDESK_CALENDAR__ZONE", "Asia/Tokio")]))
            .expect_err("zone");
        assert_eq!(
            err.render(Locale::Ja),
            "設定キー `calendar.zone` の値 \"Asia/Tokio\" は使えません: 使える値: Asia/Tokyo や UTC \
             のような IANA タイムゾーン名 (大文字・小文字を区別します)"
        );
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_JOBS__RETENTION__SCHEDULE", "0 25 * * *")]),
        )
        .expect_err("schedule");
        assert_one_line(
            &err,
            &["`jobs.retention.schedule`", "hour field, character 3"],
        );
    }

    #[test]
    fn hyphenated_jobs_and_contacts_are_reachable_from_the_environment() {
        let f = write("[contacts.aspera-support.calendar]\nzone = \"UTC\"\n");
        let c = Config::load(
            Some(f.path()),
            env(&[
                ("PARTNERDESK_JOBS__RENEWAL_SWEEP__SCHEDULE", "0 8 * * 1-5"),
                (
                    "PARTNERDESK_CONTACTS__ASPERA_SUPPORT__CALENDAR__ZONE",
                    "Asia/Tokyo",
                ),
            ]),
        )
        .expect("load");
        assert_eq!(c.jobs["renewal-sweep"].schedule, "0 8 * * 1-5");
        assert_eq!(c.contacts["aspera-support"].calendar.zone, "Asia/Tokyo");
        // An error names the key as the file spells it, and the variable that set it.
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_JOBS__RENEWAL_SWEEP__ENABLED", "perhaps")]),
        )
        .expect_err("bool");
        assert_one_line(
            &err,
            &[
                "`jobs.renewal-sweep.enabled`",
                "PARTNERDESK_JOBS__RENEWAL_SWEEP__ENABLED",
            ],
        );
    }

    #[test]
    fn smtp_transport_needs_an_url() {
        let err = Config::load(None, env(&[("PARTNERDESK_MAIL__TRANSPORT", "smtp")]))
            .expect_err("no url");
        assert!(en(&err).contains("mail.smtp_url"));
        // What the mailer would refuse at start is refused by `config check` already.
        for url in [
            "smtp://",
            "smtp://h?tls=bogus",
            "smtp://u:pw@h:99999",
            "smtp://user@h",
        ] {
            let err = Config::load(
                None,
                env(&[
                    ("PARTNERDESK_MAIL__TRANSPORT", "smtp"),
                    ("PARTNERDESK_MAIL__SMTP_URL", url),
                ]),
            )
            .expect_err(url);
            assert_one_line(&err, &["`mail.smtp_url`"]);
            assert!(!en(&err).contains("pw"), "{}", en(&err));
        }
    }
}
