//! Keeping secrets out of what is shown.
//!
//! This file owns redaction: the password of a `scheme://user:password@host` URL
//! ([`redact_url`]), a configuration value quoted in an error message, and the TOML that
//! `partnerdesk config show` prints ([`Config::redacted_toml`]). Secrets never leave the
//! configuration unredacted.

use super::problems::one_line;
use super::settings::Config;

const REDACTED: &str = "<redacted>";

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

/// A configuration value as it is shown in an error: one line, secrets redacted.
pub(super) fn render_value(key: &str, value: &toml::Value) -> String {
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

impl Config {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_support::{en, env, write};

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
}
