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
use crate::store::StoreError;

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
        Self::usage(e.message)
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
    let invalid = |why: String| ConfigError::invalid("database.url", target, &why).message;
    if target.starts_with("sqlite:") {
        Failure::usage(invalid(format!(
            "{reason}; allowed: a sqlite:// path whose folder can be created and written"
        )))
    } else {
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
        let what = if unreachable {
            "PostgreSQL is unreachable"
        } else {
            "PostgreSQL refused the connection"
        };
        Failure::runtime(invalid(format!(
            "{what} ({reason}); check that the server runs and accepts this user, or set another URL"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let f = Failure::usage("first\nin `database`\n\n");
        assert_eq!(f.message, "first; in `database`");
        assert_eq!(f.exit_code, 2);
    }

    #[test]
    fn database_open_failures_name_the_key_and_pick_the_exit_code() {
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
        assert!(sqlite.message.contains("allowed:"));

        let pg: Failure = StoreError::Open {
            target: "postgres://u:<redacted>@127.0.0.1:5999/x".into(),
            reason: "pool timed out while waiting for an open connection".into(),
        }
        .into();
        assert_eq!(pg.exit_code, 1);
        assert!(pg.message.contains("`database.url`"), "{}", pg.message);
        assert!(pg.message.contains("unreachable"), "{}", pg.message);
        assert!(pg.message.contains("<redacted>"), "{}", pg.message);
    }
}
