//! Keeping secrets out of what is shown.
//!
//! This file owns redaction: the password of a `scheme://user:password@host` URL
//! ([`redact_url`]), a configuration value quoted in an error message, and the TOML that
//! `partnerdesk config show` prints ([`Config::redacted_toml`]). Secrets never leave the
//! configuration unredacted.

use super::problems::one_line;
use super::secret::REDACTED;
use super::settings::Config;

/// Stands in for a secret while the `url` crate rebuilds the URL (it would percent-encode
/// `<redacted>`); replaced by [`REDACTED`] in the text it returns.
const PLACEHOLDER: &str = "partnerdesk-redacted-b5e1";

/// Query parameters whose value is a secret (`?password=`, `?sslpassword=`, `?token=`...).
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "passwd", "pwd", "secret", "token"]
        .iter()
        .any(|word| name.contains(word))
}

/// Hides every secret of a URL: the password of its userinfo and the value of a `password`
/// (or `token`, `secret`) query parameter. The URL is parsed with the `url` crate; a string it
/// cannot parse (`postgres://u:pa/ss@host`, `...:pa?ss@host`) is redacted by its shape instead,
/// hiding everything between the user name and the last `@`, and every secret parameter.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => redact_parsed(parsed),
        Err(_) => redact_unparsed(url),
    }
}

fn redact_parsed(mut parsed: url::Url) -> String {
    if parsed.password().is_some() {
        // Cannot fail: a URL with a password has a host.
        let _ = parsed.set_password(Some(PLACEHOLDER));
    }
    let has_secret_parameter = parsed
        .query_pairs()
        .any(|(name, _)| is_secret_parameter(&name));
    if has_secret_parameter {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_secret_parameter(&name) {
                    PLACEHOLDER.to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.as_str().replace(PLACEHOLDER, REDACTED)
}

fn redact_unparsed(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let rest = match rest.rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let user_end = userinfo
                .find([':', '/', '?', '#'])
                .unwrap_or(userinfo.len());
            if user_end == userinfo.len() {
                rest.to_string()
            } else {
                format!("{}:{REDACTED}{}", &userinfo[..user_end], &rest[at..])
            }
        }
        None => rest.to_string(),
    };
    let rest = redact_query_text(&rest);
    match scheme {
        Some(scheme) => format!("{scheme}://{rest}"),
        None => rest,
    }
}

/// `name=value` pairs after the first `?` with a secret name get their value hidden.
fn redact_query_text(text: &str) -> String {
    let Some((head, query)) = text.split_once('?') else {
        return text.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_parameter(name) => format!("{name}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{head}?{}", pairs.join("&"))
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
        // The token and the SMTP password are `Secret`s, which serialize as `<redacted>`.
        let mut shown = self.clone();
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
                (
                    "PARTNERDESK_MAIL__SMTP_URL",
                    "smtp://user:hunter2@mail:587?tls=required",
                ),
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
    fn every_url_form_is_redacted() {
        for (url, secret) in [
            ("postgres://u:hunter2@db:5432/desk", "hunter2"),
            ("postgres://u:pa/ss@db:5432/desk", "pa/ss"),
            ("postgres://u:pa?ss@db:5432/desk", "pa?ss"),
            ("postgres://u:pa#ss@db/desk", "pa#ss"),
            ("postgres://u:p@ss@db/desk", "p@ss"),
            ("postgres://db/desk?user=u&password=hunter2", "hunter2"),
            (
                "postgres://db/desk?sslmode=require&password=hunter2",
                "hunter2",
            ),
            ("postgres://u:pa/ss@db/desk?password=other", "other"),
            ("smtp://desk:hunter2@mail:587?tls=required", "hunter2"),
            ("not a url ?password=hunter2", "hunter2"),
        ] {
            let shown = redact_url(url);
            assert!(!shown.contains(secret), "{url} -> {shown}");
            assert!(shown.contains(REDACTED), "{url} -> {shown}");
        }
        // Nothing to hide: the URL is shown as written.
        assert_eq!(
            redact_url("sqlite://var/partnerdesk.db"),
            "sqlite://var/partnerdesk.db"
        );
        assert_eq!(
            redact_url("postgres://u@db:5432/desk"),
            "postgres://u@db:5432/desk"
        );
        // The user name stays, so an operator can tell which account is meant.
        assert!(redact_url("postgres://u:pa/ss@db/desk").starts_with("postgres://u:"));
    }

    #[test]
    fn config_show_and_errors_hide_the_password_of_odd_urls() {
        let c = Config::load(
            None,
            env(&[(
                "PARTNERDESK_DATABASE__URL",
                "postgres://u:pa/ss@db:5432/desk",
            )]),
        )
        .expect("load");
        assert!(!c.redacted_toml().contains("pa/ss"));
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_DATABASE__URL", "postgres://u:pa?ss@db:5432/")]),
        )
        .expect_err("no database");
        assert!(!en(&err).contains("pa?ss"), "{}", en(&err));
        let err = Config::load(
            None,
            env(&[("PARTNERDESK_DATABASE__URL", "mysql://db/x?password=hunter2")]),
        )
        .expect_err("scheme");
        assert!(!en(&err).contains("hunter2"), "{}", en(&err));
    }
}
