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
        if self.mail.transport == MailTransportKind::Smtp {
            // The same parse the mailer does at start, so `config check` refuses what `run`
            // would (no host, a bad port, an unknown tls= value, a user without a password).
            SmtpSettings::from_config(&self.mail)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_support::{assert_one_line, en, env, write};

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
