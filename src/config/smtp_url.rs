//! The SMTP URL model: where and how to reach the mail server.
//!
//! This file owns [`SmtpSettings`] and [`SmtpSecurity`] and reading `mail.smtp_url` (lettre's
//! URL form: plain, STARTTLS, implicit TLS, AUTH, EHLO name) with `mail.smtp_password`,
//! `mail.timeout_secs` and `mail.pool_size` into them. `config check` and the mailer
//! (`crate::notify::smtp`) both parse it here, so `config check` refuses what `run` would.

use std::fmt;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::TlsParameters;
use lettre::transport::smtp::extension::ClientId;

use crate::i18n::Msg;

use super::problems::{smtp_url_missing, ConfigError};
use super::redact::redact_url;
use super::secret::Secret;
use super::settings::MailConfig;

/// How the connection to the mail server is protected.
#[derive(Clone)]
pub enum SmtpSecurity {
    /// `smtp://host` with no `tls`: plain text.
    Plain,
    /// `smtp://host?tls=required` (refuse a server without STARTTLS) or
    /// `?tls=opportunistic` (use STARTTLS when offered).
    StartTls { required: bool, tls: TlsParameters },
    /// `smtps://host`: TLS from the first byte.
    Implicit(TlsParameters),
}

impl SmtpSecurity {
    /// Whether every byte after the greeting, AUTH included, is sent over TLS:
    /// `smtps://` and `?tls=required`. Plain and opportunistic STARTTLS may send it in clear.
    pub fn always_encrypted(&self) -> bool {
        matches!(
            self,
            Self::Implicit(_) | Self::StartTls { required: true, .. }
        )
    }
}

impl fmt::Debug for SmtpSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Plain => f.write_str("Plain"),
            Self::StartTls { required, .. } => write!(f, "StartTls {{ required: {required} }}"),
            Self::Implicit(_) => f.write_str("Implicit"),
        }
    }
}

/// Where and how to reach the mail server, read from `[mail]`.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// The EHLO name: the URL's path (`smtp://host/desk.example.com`), else this host's name.
    pub hello_name: ClientId,
    pub credentials: Option<Credentials>,
    /// Bounds opening a session (connect, greeting, TLS, AUTH) and the reply to each command.
    pub timeout: Duration,
    /// Bounds sending the message and the reply to its final "." (RFC 5321 §4.5.3.2: 10
    /// minutes), which a server may take long over because it delivers before it answers.
    pub data_timeout: Duration,
    /// Connections open at once, and kept idle for reuse.
    pub pool_size: usize,
}

impl fmt::Debug for SmtpSettings {
    // Hand-written so that the password never reaches a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("hello_name", &self.hello_name.to_string())
            .field("auth", &self.credentials.is_some())
            .field("timeout", &self.timeout)
            .field("data_timeout", &self.data_timeout)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

impl SmtpSettings {
    pub fn from_config(mail: &MailConfig) -> Result<Self, ConfigError> {
        let url = mail.smtp_url.as_deref().ok_or_else(smtp_url_missing)?;
        let mut settings = Self::parse(
            url,
            mail.smtp_password.as_ref().map(Secret::expose),
            Duration::from_secs(mail.timeout_secs.max(1)),
            mail.pool_size,
        )?;
        settings.data_timeout = Duration::from_secs(mail.data_timeout_secs.max(1));
        if settings.credentials.is_some()
            && !settings.security.always_encrypted()
            && !mail.allow_plaintext_auth
        {
            return Err(ConfigError::invalid(
                "mail.smtp_url",
                &redact_url(url),
                Msg::new("config-allowed-plaintext-auth"),
            ));
        }
        Ok(settings)
    }

    /// Reads lettre's URL form: `smtp://[user[:pass]@]host[:port][/ehlo-name]` with
    /// `?tls=required|opportunistic`, or `smtps://...`. `password` (from
    /// `mail.smtp_password`) replaces the URL's password.
    pub fn parse(
        url: &str,
        password: Option<&str>,
        timeout: Duration,
        pool_size: u32,
    ) -> Result<Self, ConfigError> {
        // `why` names the problem: a message id with its arguments.
        let invalid = |why: Msg| {
            ConfigError::invalid(
                "mail.smtp_url",
                &redact_url(url),
                Msg::new("config-allowed-smtp-url-why").sub("why", why),
            )
        };
        let detail = |text: String| Msg::new("config-smtp-detail").arg("detail", text);
        let parsed = url::Url::parse(url).map_err(|e| invalid(detail(e.to_string())))?;
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            _ => return Err(invalid(Msg::new("config-smtp-no-host"))),
        };
        let mut tls_mode = None;
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "tls" => tls_mode = Some(value.into_owned()),
                // A misspelt `tls` must not silently mean plain text.
                other => {
                    return Err(invalid(
                        Msg::new("config-smtp-unknown-parameter").arg("parameter", other),
                    ))
                }
            }
        }
        let tls = || TlsParameters::new(host.clone()).map_err(|e| invalid(detail(e.to_string())));
        let (security, default_port) = match (parsed.scheme(), tls_mode.as_deref()) {
            ("smtp", None) => (SmtpSecurity::Plain, 25),
            ("smtp", Some("required")) => (
                SmtpSecurity::StartTls {
                    required: true,
                    tls: tls()?,
                },
                587,
            ),
            ("smtp", Some("opportunistic")) => (
                SmtpSecurity::StartTls {
                    required: false,
                    tls: tls()?,
                },
                587,
            ),
            ("smtps", None | Some("required")) => (SmtpSecurity::Implicit(tls()?), 465),
            (scheme, tls) => {
                return Err(invalid(
                    Msg::new("config-smtp-scheme")
                        .arg("scheme", scheme)
                        .arg("tls", tls.unwrap_or("")),
                ))
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| invalid(Msg::new("config-smtp-not-utf8")))
        };
        let user = decode(parsed.username())?;
        let password = match password {
            Some(p) => Some(p.to_string()),
            None => parsed.password().map(decode).transpose()?,
        };
        let credentials = match (user.is_empty(), password) {
            (true, None) => None,
            (false, Some(password)) => Some(Credentials::new(user, password)),
            (true, Some(_)) => return Err(invalid(Msg::new("config-smtp-password-without-user"))),
            (false, None) => return Err(invalid(Msg::new("config-smtp-user-without-password"))),
        };
        let path = parsed.path().trim_matches('/');
        let hello_name = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_string())
        };
        Ok(Self {
            host,
            port: parsed.port().unwrap_or(default_port),
            security,
            hello_name,
            credentials,
            timeout,
            data_timeout: Duration::from_secs(600),
            pool_size: usize::try_from(pool_size).unwrap_or(usize::MAX).max(1),
        })
    }

    pub(crate) fn target(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str, password: Option<&str>) -> Result<SmtpSettings, ConfigError> {
        SmtpSettings::parse(url, password, Duration::from_secs(5), 4)
    }

    #[test]
    fn url_forms() {
        let s = parse("smtp://127.0.0.1:2525", None).expect("plain");
        assert!(matches!(s.security, SmtpSecurity::Plain));
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 2525));
        assert!(s.credentials.is_none());

        let s = parse("smtp://desk@mail.example.com?tls=required", Some("pw")).expect("starttls");
        assert!(matches!(
            s.security,
            SmtpSecurity::StartTls { required: true, .. }
        ));
        assert_eq!(s.port, 587);
        assert!(s.credentials.is_some());

        let s = parse(
            "smtps://a%40b:p%2Fw@mail.example.com/desk.example.com",
            None,
        )
        .expect("implicit");
        assert!(matches!(s.security, SmtpSecurity::Implicit(_)));
        assert_eq!(s.port, 465);
        assert_eq!(s.hello_name.to_string(), "desk.example.com");

        let s = parse("smtp://[::1]:25", None).expect("ipv6");
        assert_eq!(s.host, "::1");
        assert_eq!(s.target(), "[::1]:25");
    }

    #[test]
    fn bad_urls_are_named_without_the_password() {
        let text = |url: &str, password: Option<&str>| {
            parse(url, password)
                .expect_err("refused")
                .render(crate::i18n::Locale::En)
        };
        let err = text("smtp://u:hunter2@host?tsl=required", None);
        assert!(err.contains("tsl"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        let err = text("smtp://host?tls=sometimes", None);
        assert!(err.contains("mail.smtp_url"), "{err}");
        let err = text("smtp://user@host", None);
        assert!(err.contains("SMTP_PASSWORD"), "{err}");
        let err = text("smtp://host", Some("pw"));
        assert!(err.contains("no user"), "{err}");
        // The same refusal in Japanese names the key and keeps the password out.
        let ja = parse("smtp://u:hunter2@host?tsl=required", None)
            .expect_err("refused")
            .render(crate::i18n::Locale::Ja);
        assert!(
            ja.contains("mail.smtp_url") && ja.contains("使える値"),
            "{ja}"
        );
        assert!(!ja.contains("hunter2"), "{ja}");
        assert!(parse("imap://host", None).is_err());
    }

    #[test]
    fn credentials_without_tls_need_the_operator_s_consent() {
        let mut mail = MailConfig {
            smtp_url: Some("smtp://desk:hunter2@mail.example.com:25".into()),
            ..MailConfig::default()
        };
        let err = SmtpSettings::from_config(&mail)
            .expect_err("plain AUTH")
            .render(crate::i18n::Locale::En);
        assert!(err.contains("mail.allow_plaintext_auth"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        mail.smtp_url = Some("smtp://desk:pw@mail.example.com?tls=opportunistic".into());
        SmtpSettings::from_config(&mail).expect_err("opportunistic may fall back to plain");
        mail.smtp_url = Some("smtp://desk:pw@mail.example.com?tls=required".into());
        SmtpSettings::from_config(&mail).expect("STARTTLS required");
        mail.smtp_url = Some("smtps://desk:pw@mail.example.com".into());
        SmtpSettings::from_config(&mail).expect("implicit TLS");
        mail.smtp_url = Some("smtp://mail.example.com:25".into());
        SmtpSettings::from_config(&mail).expect("no credentials, nothing to protect");
        mail.smtp_url = Some("smtp://desk:pw@mail.example.com:25".into());
        mail.allow_plaintext_auth = true;
        SmtpSettings::from_config(&mail).expect("allowed on purpose");
    }

    #[test]
    fn settings_debug_hides_the_password() {
        let s = parse("smtp://desk:hunter2@host", None).expect("url");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
