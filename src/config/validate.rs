//! Checks serde cannot express, and the typed values they produce.
//!
//! This file owns [`Config::validate`] (run by `Config::load` and by `config check`) and the
//! checks behind it: the database URL ([`DatabaseTarget`]), the listen address, the Discord
//! API proxy and token file, the locale, the sender mailbox, the calendars of PWCS and the
//! other contacts, renewal and payment terms, job schedules and zones, reminder times, outbox
//! limits and the SMTP URL.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::i18n::Msg;

use super::problems::{
    calendar_error, io_reason, payment_error, renewal_error, schedule_error, zone_error,
    ConfigError,
};
use super::redact::redact_url;
use super::settings::{default_jobs, Config, MailTransportKind, PWCS_CONTACT};
use super::smtp_url::SmtpSettings;

/// The longest value any string key may have (a path, a URL, a mailbox), in characters.
pub const MAX_STRING_CHARS: usize = 2_048;

/// The longest Discord bot token accepted (today's are about 72 characters).
const MAX_TOKEN_CHARS: usize = 200;

/// Upper bounds of durations and day counts: far beyond any sensible value, and small enough
/// that no date or time arithmetic on them can overflow (chrono's range is ±262,000 years).
const MAX_LEASE_SECS: u64 = 86_400;
const MAX_BACKOFF_SECS: u64 = 30 * 86_400;
const MAX_TIMEOUT_SECS: u64 = 3_600;
const MAX_GRACE_SECS: u64 = 366 * 86_400;
const MAX_BUSY_TIMEOUT_MS: u64 = 600_000;
const MAX_DAYS: u64 = 36_500;

/// What is wrong with a Discord bot token's text, if anything: blank, a `Bot ` prefix, or a
/// character no token has (tokens are dot-separated base64url parts: a quote, a space or a
/// line break inside means something else was pasted).
fn token_problem(token: &str) -> Option<Msg> {
    let token = token.trim();
    if token.is_empty() {
        return Some(Msg::new("config-allowed-token-blank"));
    }
    if token.starts_with("Bot ") || token.starts_with("Bearer ") {
        return Some(Msg::new("config-allowed-token-prefix"));
    }
    let well_formed = token.chars().count() <= MAX_TOKEN_CHARS
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    (!well_formed).then(|| Msg::new("config-allowed-token-malformed"))
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
            } else if let Some(problem) = token_problem(&token) {
                Err(ConfigError::invalid("discord.token_file", path, problem))
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

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    Sqlite { path: PathBuf },
    Postgres { url: String },
}

impl Config {
    /// Checks the files the configuration names and that are read at start-up: the Discord
    /// token file must be readable and not empty (its content is never shown). Only consulted
    /// when no token comes from PARTNERDESK_DISCORD__TOKEN, as at start-up.
    pub fn check_files(&self) -> Result<(), ConfigError> {
        if self.discord.token.is_some() {
            return Ok(());
        }
        let Some(path) = self.discord.token_file.as_deref() else {
            return Ok(());
        };
        read_token_file(path).map(|_| ())
    }

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

    /// Semantic checks serde cannot express.
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
        if !(1..=1440).contains(&self.desk.conversation_idle_minutes) {
            return Err(ConfigError::invalid(
                "desk.conversation_idle_minutes",
                &self.desk.conversation_idle_minutes.to_string(),
                Msg::new("config-allowed-idle-minutes"),
            ));
        }
        if self.desk.question_retention_days == 0 {
            return Err(ConfigError::invalid(
                "desk.question_retention_days",
                "0",
                Msg::new("config-allowed-at-least-one"),
            ));
        }
        if !self.http.public_url.is_empty() {
            let ok = url::Url::parse(&self.http.public_url).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.query().is_none()
            });
            if !ok {
                return Err(ConfigError::invalid(
                    "http.public_url",
                    &self.http.public_url,
                    Msg::new("config-allowed-public-url"),
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
            ("console.session_hours", self.console.session_hours),
            (
                "console.login_max_failures",
                self.console.login_max_failures,
            ),
            (
                "console.login_window_minutes",
                self.console.login_window_minutes,
            ),
            ("console.setup_link_hours", self.console.setup_link_hours),
        ] {
            if value == 0 {
                return Err(ConfigError::invalid(
                    key,
                    "0",
                    Msg::new("config-allowed-at-least-one"),
                ));
            }
        }
        for proxy in &self.console.trusted_proxies {
            if proxy.parse::<std::net::IpAddr>().is_err() {
                return Err(ConfigError::invalid(
                    "console.trusted_proxies",
                    proxy,
                    Msg::new("config-allowed-ip"),
                ));
            }
        }
        if !self.console.public_url.is_empty()
            && !url::Url::parse(&self.console.public_url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        {
            return Err(ConfigError::invalid(
                "console.public_url",
                &self.console.public_url,
                Msg::new("config-allowed-public-url"),
            ));
        }
        self.validate_registration()?;
        if let Some(token) = &self.discord.token {
            // Set but blank or malformed is a mistake, not "Discord off": refuse it at start.
            if let Some(problem) = token_problem(token.expose()) {
                return Err(ConfigError::invalid(
                    "discord.token",
                    super::secret::REDACTED,
                    problem,
                ));
            }
        }
        self.check_limits()?;
        self.check_string_caps()?;
        if self.mail.transport == MailTransportKind::Smtp {
            // The same parse the mailer does at start, so `config check` refuses what `run`
            // would (no host, a bad port, an unknown tls= value, a user without a password).
            SmtpSettings::from_config(&self.mail)?;
        }
        Ok(())
    }

    /// `[registration]`: each destination well formed, and one of them when the documents step
    /// is switched on.
    fn validate_registration(&self) -> Result<(), ConfigError> {
        let r = &self.registration;
        if let Some(reply_to) = r
            .documents_reply_to
            .as_deref()
            .filter(|v| !v.trim().is_empty())
        {
            if reply_to.contains(['\r', '\n'])
                || reply_to.trim().parse::<lettre::message::Mailbox>().is_err()
            {
                return Err(ConfigError::invalid(
                    "registration.documents_reply_to",
                    reply_to,
                    Msg::new("config-allowed-mailbox"),
                ));
            }
        }
        if let Some(upload) = r
            .documents_upload_url
            .as_deref()
            .filter(|v| !v.trim().is_empty())
        {
            let ok = url::Url::parse(upload.trim())
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(ConfigError::invalid(
                    "registration.documents_upload_url",
                    upload,
                    Msg::new("config-allowed-documents-url"),
                ));
            }
        }
        if let Some(postal) = r.documents_postal_address.as_deref() {
            if postal.chars().any(|c| c.is_control() && c != '\n') || postal.len() > 500 {
                return Err(ConfigError::invalid(
                    "registration.documents_postal_address",
                    postal,
                    Msg::new("config-allowed-documents-postal"),
                ));
            }
        }
        if r.documents_step == Some(true) && r.documents_destination().is_none() {
            return Err(ConfigError::new(Msg::new(
                "config-documents-destination-needed",
            )));
        }
        Ok(())
    }

    /// Numbers that must agree with each other, and bounds that keep date and time arithmetic
    /// on them from overflowing.
    fn check_limits(&self) -> Result<(), ConfigError> {
        let outbox = &self.outbox;
        let reminders = &self.reminders;
        in_range(
            "mail.timeout_secs",
            self.mail.timeout_secs,
            1,
            MAX_TIMEOUT_SECS,
        )?;
        in_range(
            "database.busy_timeout_ms",
            self.database.busy_timeout_ms,
            0,
            MAX_BUSY_TIMEOUT_MS,
        )?;
        // A lease shorter than one send lets a second dispatcher take a message that is still
        // being sent; a lease of 0 lets nothing be sent at all.
        let send_timeout = self.mail.timeout_secs.max(1);
        if outbox.lease_secs < send_timeout || outbox.lease_secs > MAX_LEASE_SECS {
            return Err(ConfigError::invalid(
                "outbox.lease_secs",
                &outbox.lease_secs.to_string(),
                Msg::new("config-allowed-lease")
                    .arg("timeout", send_timeout.to_string())
                    .arg("max", MAX_LEASE_SECS.to_string()),
            ));
        }
        in_range(
            "outbox.max_backoff_secs",
            outbox.max_backoff_secs,
            1,
            MAX_BACKOFF_SECS,
        )?;
        if outbox.base_backoff_secs == 0 || outbox.base_backoff_secs > outbox.max_backoff_secs {
            return Err(ConfigError::invalid(
                "outbox.base_backoff_secs",
                &outbox.base_backoff_secs.to_string(),
                Msg::new("config-allowed-backoff-order")
                    .arg("max", outbox.max_backoff_secs.to_string()),
            ));
        }
        in_range(
            "outbox.retention_days",
            u64::from(outbox.retention_days),
            1,
            MAX_DAYS,
        )?;
        in_range(
            "outbox.max_attempts",
            u64::from(outbox.max_attempts),
            1,
            1_000,
        )?;
        in_range(
            "reminders.digest_days",
            u64::from(reminders.digest_days),
            0,
            MAX_DAYS,
        )?;
        for offset in &reminders.offsets_days {
            in_range("reminders.offsets_days", u64::from(*offset), 0, MAX_DAYS)?;
        }
        let apa = reminders.escalate_to_apa_after_business_days;
        let admin = reminders.escalate_to_admin_after_business_days;
        let expire = reminders.expire_join_after_business_days;
        in_range(
            "reminders.escalate_to_apa_after_business_days",
            u64::from(apa),
            0,
            MAX_DAYS,
        )?;
        if admin < apa || u64::from(admin) > MAX_DAYS {
            return Err(ConfigError::invalid(
                "reminders.escalate_to_admin_after_business_days",
                &admin.to_string(),
                Msg::new("config-allowed-escalation-admin")
                    .arg("apa", apa.to_string())
                    .arg("max", MAX_DAYS.to_string()),
            ));
        }
        if expire != 0 && (expire <= admin || u64::from(expire) > MAX_DAYS) {
            return Err(ConfigError::invalid(
                "reminders.expire_join_after_business_days",
                &expire.to_string(),
                Msg::new("config-allowed-escalation-expire")
                    .arg("admin", admin.to_string())
                    .arg("max", MAX_DAYS.to_string()),
            ));
        }
        for (name, job) in &self.jobs {
            in_range(
                &format!("jobs.{name}.grace_secs"),
                job.grace_secs,
                0,
                MAX_GRACE_SECS,
            )?;
        }
        Ok(())
    }

    /// No string anywhere in the configuration is longer than [`MAX_STRING_CHARS`] (and no
    /// token longer than a token can be): a pasted file or a runaway variable is refused with
    /// its key instead of being carried into paths, headers and log lines.
    fn check_string_caps(&self) -> Result<(), ConfigError> {
        if let Some(password) = &self.mail.smtp_password {
            let length = password.expose().chars().count();
            if length > MAX_STRING_CHARS {
                return Err(string_too_long(
                    "mail.smtp_password",
                    super::secret::REDACTED,
                    length,
                ));
            }
        }
        let tree = toml::Value::try_from(self).map_err(|e| {
            super::problems::internal(format!("configuration does not serialize: {e}"))
        })?;
        first_long_string(&tree, &mut Vec::new())
    }

    pub fn database_target(&self) -> Result<DatabaseTarget, ConfigError> {
        parse_database_url(&self.database.url)
    }

    /// The listener's address as people outside reach it: `http.public_url`, else
    /// `http://` + `http.listen`; without a trailing slash.
    pub fn public_base_url(&self) -> String {
        if self.http.public_url.is_empty() {
            format!("http://{}", self.http.listen)
        } else {
            self.http.public_url.trim_end_matches('/').to_string()
        }
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
}

/// `value` of `key` must be within `min..=max`.
fn in_range(key: &str, value: u64, min: u64, max: u64) -> Result<(), ConfigError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            key,
            &value.to_string(),
            Msg::new("config-allowed-range")
                .arg("min", min.to_string())
                .arg("max", max.to_string()),
        ))
    }
}

fn string_too_long(key: &str, shown: &str, length: usize) -> ConfigError {
    ConfigError::invalid(
        key,
        shown,
        Msg::new("config-allowed-string-cap")
            .arg("length", length.to_string())
            .arg("max", MAX_STRING_CHARS.to_string()),
    )
}

/// The first string in `value` longer than [`MAX_STRING_CHARS`], named by its key.
fn first_long_string(value: &toml::Value, path: &mut Vec<String>) -> Result<(), ConfigError> {
    match value {
        toml::Value::String(text) => {
            let length = text.chars().count();
            if length > MAX_STRING_CHARS {
                let key = path.join(".");
                let start: String = redact_url(text).chars().take(40).collect();
                return Err(string_too_long(&key, &format!("{start}…"), length));
            }
            Ok(())
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                first_long_string(item, path)?;
                path.pop();
            }
            Ok(())
        }
        toml::Value::Table(table) => {
            for (key, item) in table {
                path.push(key.clone());
                first_long_string(item, path)?;
                path.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
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
                    &redact_url(url),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_support::{assert_one_line, en, env, write};

    #[test]
    fn the_conversation_idle_time_is_checked() {
        let c = Config::load(None, env(&[])).expect("defaults");
        assert_eq!(c.desk.conversation_idle_minutes, 30);
        assert_eq!(c.desk.staff_channel_id, None);
        let c = Config::load(
            None,
            env(&[("PARTNERDESK_DESK__CONVERSATION_IDLE_MINUTES", "45")]),
        )
        .expect("45 minutes");
        assert_eq!(c.desk.conversation_idle_minutes, 45);
        for bad in ["0", "1441"] {
            let err = Config::load(
                None,
                env(&[("PARTNERDESK_DESK__CONVERSATION_IDLE_MINUTES", bad)]),
            )
            .expect_err("out of range");
            assert_one_line(&err, &["desk.conversation_idle_minutes", bad, "1440"]);
        }
        let f = write("[desk]\nstaff_channel_id = 42\nquestion_retention_days = 0\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("no retention");
        assert_one_line(&err, &["desk.question_retention_days"]);
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
    fn values_that_do_not_fit_together_are_refused() {
        let refused = |pairs: &[(&str, &str)], needles: &[&str]| {
            let err = Config::load(None, env(pairs)).expect_err("refused");
            assert_one_line(&err, needles);
        };
        refused(
            &[("PARTNERDESK_OUTBOX__LEASE_SECS", "0")],
            &["outbox.lease_secs"],
        );
        refused(
            &[
                ("PARTNERDESK_OUTBOX__LEASE_SECS", "20"),
                ("PARTNERDESK_MAIL__TIMEOUT_SECS", "30"),
            ],
            &["outbox.lease_secs", "mail.timeout_secs = 30"],
        );
        refused(
            &[
                ("PARTNERDESK_OUTBOX__BASE_BACKOFF_SECS", "600"),
                ("PARTNERDESK_OUTBOX__MAX_BACKOFF_SECS", "60"),
            ],
            &["outbox.base_backoff_secs", "600"],
        );
        refused(
            &[("PARTNERDESK_OUTBOX__RETENTION_DAYS", "100000000")],
            &["outbox.retention_days", "100000000", "36500"],
        );
        refused(
            &[
                (
                    "PARTNERDESK_REMINDERS__ESCALATE_TO_APA_AFTER_BUSINESS_DAYS",
                    "7",
                ),
                (
                    "PARTNERDESK_REMINDERS__ESCALATE_TO_ADMIN_AFTER_BUSINESS_DAYS",
                    "3",
                ),
            ],
            &["reminders.escalate_to_admin_after_business_days"],
        );
        refused(
            &[(
                "PARTNERDESK_REMINDERS__EXPIRE_JOIN_AFTER_BUSINESS_DAYS",
                "4",
            )],
            &["reminders.expire_join_after_business_days"],
        );
        refused(
            &[(
                "PARTNERDESK_JOBS__RETENTION__GRACE_SECS",
                "18446744073709551615",
            )],
            &["jobs.retention.grace_secs"],
        );
        let long = "x".repeat(MAX_STRING_CHARS + 1);
        refused(
            &[("PARTNERDESK_MAIL__DIR", &long)],
            &["mail.dir", "2049 characters"],
        );
        let long_password = "p".repeat(MAX_STRING_CHARS + 1);
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_MAIL__SMTP_PASSWORD", &long_password)]),
        )
        .expect_err("long password");
        assert!(!en(&err).contains("ppp"), "{}", en(&err));
        // 0 still means "never expire", and the defaults fit together.
        Config::load(
            None,
            env(&[(
                "PARTNERDESK_REMINDERS__EXPIRE_JOIN_AFTER_BUSINESS_DAYS",
                "0",
            )]),
        )
        .expect("0 never expires");
    }

    #[test]
    fn a_blank_or_malformed_discord_token_is_refused() {
        for (token, needle) in [
            ("", "empty"),
            ("   ", "empty"),
            ("Bot abc.def", "Bot "),
            ("abc def", "not a Discord bot token"),
            ("\"abc.def\"", "not a Discord bot token"),
        ] {
            let err =
                Config::load(None, env(&[("PARTNERDESK_DISCORD__TOKEN", token)])).expect_err(token);
            assert_one_line(&err, &["discord.token", needle]);
        }
        let pasted = write("abc.def\nsecond line\n");
        let path = pasted.path().to_str().expect("utf-8");
        let err = Config::load(None, env(&[("PARTNERDESK_DISCORD__TOKEN_FILE", path)]))
            .expect_err("two lines");
        assert_one_line(&err, &["discord.token_file", "not a Discord bot token"]);
        assert!(!en(&err).contains("second line"));
    }

    #[test]
    fn the_smtp_password_is_refused_in_the_file() {
        let f = write("[mail]\nsmtp_password = \"hunter2\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("password in file");
        assert_one_line(
            &err,
            &["mail.smtp_password", "PARTNERDESK_MAIL__SMTP_PASSWORD"],
        );
        assert!(!en(&err).contains("hunter2"));
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
