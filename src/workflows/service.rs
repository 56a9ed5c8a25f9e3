//! The use cases behind the chat commands and the admin CLI. Each takes the store, the acting
//! identity and the instant as parameters; authorization comes from the database; refusals
//! are localized messages (`Msg`), store failures are passed up.

use chrono::{DateTime, Utc};

use crate::error::Failure;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::store::{Actor, Store, StoreError};

/// Why a workflow step did not happen.
#[derive(Debug)]
pub enum WorkflowError {
    /// Bad input (exit 2 on the CLI).
    Input(Msg),
    /// Not allowed or not possible in the current state (exit 1 on the CLI).
    Refused(Msg),
    Store(StoreError),
}

impl From<StoreError> for WorkflowError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl WorkflowError {
    pub fn input(msg: Msg) -> Self {
        Self::Input(msg)
    }

    pub fn refused(msg: Msg) -> Self {
        Self::Refused(msg)
    }

    pub fn render(&self, locale: Locale) -> String {
        match self {
            Self::Input(m) | Self::Refused(m) => m.render(locale),
            Self::Store(e) => {
                tracing::error!(error = %e, "workflow store failure");
                crate::i18n::tr(locale, "error-internal", &[])
            }
        }
    }

    pub fn into_failure(self, locale: Locale) -> Failure {
        match &self {
            Self::Input(_) => Failure::usage(self.render(locale)),
            Self::Refused(_) => Failure::runtime(self.render(locale)),
            Self::Store(e) => Failure::runtime(e.to_string()),
        }
    }
}

pub type WfResult<T> = Result<T, WorkflowError>;

impl From<Msg> for WorkflowError {
    fn from(m: Msg) -> Self {
        Self::Input(m)
    }
}

/// The store, who acts, and when.
pub struct Ctx<'a> {
    pub store: &'a dyn Store,
    pub actor: Actor,
    pub now: DateTime<Utc>,
}

/// The IBM ID of whoever runs the CLI: `operator:<unix user>`. USER or LOGNAME when set (not in
/// containers and cron jobs, as a rule), else the process's user from /proc and /etc/passwd,
/// so the audit log always says who acted.
pub fn operator() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(process_user)
        .unwrap_or_else(|| "unknown".into());
    Actor::new(format!("operator:{user}"), "cli")
}

/// The name of the real user id of this process (`uid-N` when /etc/passwd does not list it).
fn process_user() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    });
    Some(name.unwrap_or_else(|| format!("uid-{uid}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_user_is_known_without_user_or_logname() {
        let user = process_user().expect("a user id on Linux");
        assert!(!user.is_empty() && !user.contains(':'), "{user}");
    }
}
