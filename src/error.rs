//! How a command fails: configuration and usage problems exit 2, everything else 1.
//!
//! The rule: exit 2 when the configuration or the arguments are wrong, or name something that
//! cannot be used as configured (an unknown key, malformed TOML, a bad listen address, an
//! unknown `database.url` scheme, a SQLite path or `mail.dir` that cannot be created or
//! written, an unreadable `discord.token_file`). Exit 1 when the configuration is fine but
//! something outside it fails at run time (PostgreSQL unreachable or refusing the connection,
//! the HTTP port taken by another process, a migration failing). Either way the message is one
//! line.

use std::fmt;

use crate::config::{one_line, ConfigError};
use crate::i18n::{operator_locale, Msg};
use crate::store::error::StoreError;

#[derive(Debug)]
pub struct Failure {
    pub exit_code: u8,
    pub message: String,
}

impl Failure {
    /// Bad configuration or bad arguments: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit_code: 2,
            message: one_line(&message.into()),
        }
    }

    /// Something failed while running: exit code 1.
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            exit_code: 1,
            message: one_line(&message.into()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Self::usage(e.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Config(c) => c.into(),
            StoreError::Open { target, reason } => database_open_failure(&target, &reason),
            other => Self::runtime(other.to_string()),
        }
    }
}

/// The database named by `database.url` (`target`, password already redacted) cannot be
/// opened. A SQLite path that cannot be created or opened is bad configuration (exit 2); a
/// PostgreSQL server that cannot be reached or refuses us is a runtime failure (exit 1).
fn database_open_failure(target: &str, reason: &str) -> Failure {
    let (exit_code, error) = database_open_problem(target, reason);
    Failure {
        exit_code,
        message: one_line(&error.to_string()),
    }
}

/// The exit code and the error of [`database_open_failure`], before it is worded.
fn database_open_problem(target: &str, reason: &str) -> (u8, ConfigError) {
    let invalid = |id: &'static str| {
        ConfigError::invalid("database.url", target, Msg::new(id).arg("reason", reason))
    };
    if target.starts_with("sqlite:") {
        return (2, invalid("config-allowed-sqlite-open"));
    }
    let lower = reason.to_ascii_lowercase();
    let unreachable = [
        "connection refused",
        "timed out",
        "no route to host",
        "network is unreachable",
        "failed to lookup address",
        "name or service not known",
        "error communicating with database",
    ]
    .iter()
    .any(|needle| lower.contains(needle));
    (
        1,
        invalid(if unreachable {
            "config-postgres-unreachable"
        } else {
            "config-postgres-refused"
        }),
    )
}

/// The machine failed us (no runtime, stdin closed badly): exit 1, the OS's words kept.
pub fn system_failure(id: &'static str, e: impl std::fmt::Display) -> Failure {
    Failure::runtime(
        Msg::new(id)
            .arg("detail", e.to_string())
            .render(operator_locale()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn messages_are_one_line() {
        let f = Failure::usage("first\nin `database`\n\n");
        assert_eq!(f.message, "first; in `database`");
        assert_eq!(f.exit_code, 2);
    }

    #[test]
    fn database_open_failures_name_the_key_and_pick_the_exit_code() {
        // Through the conversion the operator sees: key, target, the exit code.
        let sqlite: Failure = StoreError::Open {
            target: "sqlite:///proc/x/db.sqlite".into(),
            reason: "cannot create the folder /proc/x: No such file or directory (os error 2)"
                .into(),
        }
        .into();
        assert_eq!(sqlite.exit_code, 2);
        assert!(
            sqlite.message.contains("`database.url`"),
            "{}",
            sqlite.message
        );
        assert!(sqlite.message.contains("sqlite:///proc/x/db.sqlite"));

        // The wording, in both languages.
        let pg_target = "postgres://u:<redacted>@127.0.0.1:5999/x";
        let (code, error) = database_open_problem(
            pg_target,
            "pool timed out while waiting for an open connection",
        );
        assert_eq!(code, 1);
        let en = error.render(Locale::En);
        assert!(en.contains("`database.url`"), "{en}");
        assert!(en.contains("unreachable"), "{en}");
        assert!(en.contains("<redacted>"), "{en}");
        let ja = error.render(Locale::Ja);
        assert!(
            ja.contains("接続できません") && ja.contains(pg_target),
            "{ja}"
        );
        let (code, error) = database_open_problem(pg_target, "password authentication failed");
        assert_eq!(code, 1);
        assert!(error.render(Locale::En).contains("refused"));
        let (_, error) = database_open_problem("sqlite:///proc/x/db.sqlite", "no folder");
        assert!(error.render(Locale::En).contains("allowed:"));
        assert!(error.render(Locale::Ja).contains("使える値"));
    }
}
