//! Configuration problems and their wording.
//!
//! This file owns [`ConfigError`] (always exit code 2) and every function that turns a refused
//! value into a message in the operator's language (`locales/*/config.ftl`): serde's errors
//! about the merged TOML, and the domain crate's refusals of calendars, renewal dates,
//! payment terms, schedules and zones. It also holds the small text helpers those messages
//! share ([`one_line`], [`io_reason`]).

use std::fmt;

use crate::i18n::{operator_locale, Locale, Msg};

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
pub(super) fn internal(detail: String) -> ConfigError {
    ConfigError::new(Msg::new("config-internal").arg("detail", detail))
}

/// A zone name that is not in the IANA database.
pub(crate) fn zone_error(key: &str, e: &partnerdesk_domain::ZoneError) -> ConfigError {
    ConfigError::invalid(key, &e.name, Msg::new("config-allowed-zone"))
}

impl std::error::Error for ConfigError {}

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

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" (and the like) into one line
/// naming the key, its value and what is allowed.
pub(super) fn describe_serde_error(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::settings::Config;
    use crate::config::test_support::{assert_one_line, en, env, write};

    #[test]
    fn unknown_key_is_named() {
        let f = write("[http]\nlistn = \"x\"\n");
        let err = Config::load(Some(f.path()), env(&[])).expect_err("unknown key");
        assert!(en(&err).contains("listn"), "{}", en(&err));
        let err = Config::load(None, env(&[("PARTNERDESK_HTTP__PORT", "1")])).expect_err("env");
        assert!(en(&err).contains("port"), "{}", en(&err));
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
}
