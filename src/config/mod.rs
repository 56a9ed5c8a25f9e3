//! Typed settings and where they come from.
//!
//! Layering, lowest first: built-in defaults < the TOML file named by `--config` < environment
//! variables `PARTNERDESK_<SECTION>__<KEY>`. Every error names the key, the value it had and
//! what is allowed, and is a configuration error (exit code 2). Secrets never come from the
//! TOML file and never leave this module unredacted.
//!
//! Files and what each owns (each imports its siblings from the file that defines them; this
//! file only declares them and re-exports their public names):
//! - `settings`: the typed sections ([`Config`], [`MailConfig`], [`OutboxConfig`], ...) and
//!   their defaults;
//! - `load`: file + environment layering and [`Config::load`];
//! - `validate`: [`Config::validate`] and its checks, [`DatabaseTarget`], the token file;
//! - `problems`: [`ConfigError`] and the wording of every configuration problem;
//! - `redact`: [`redact_url`] and the redacted `config show` output;
//! - `secret`: [`Secret`], a secret value that `Debug` and `config show` cannot print;
//! - [`smtp_url`]: the SMTP URL model ([`smtp_url::SmtpSettings`]) read from `[mail]`.

mod load;
mod problems;
mod redact;
mod secret;
mod settings;
pub mod smtp_url;
#[cfg(test)]
mod test_support;
mod validate;

pub use load::ENV_PREFIX;
pub use problems::ConfigError;
pub(crate) use problems::{
    calendar_error, io_reason, one_line, payment_error, renewal_error, schedule_error,
    schedule_problem, zone_error,
};
pub use redact::redact_url;
pub use secret::Secret;
pub use settings::{
    default_jobs, Config, ConsoleConfig, ContactConfig, DatabaseConfig, DeskConfig, DiscordConfig,
    DocumentsDestination, HttpConfig, I18nConfig, JobConfig, JourneySettings, LogConfig, LogFormat,
    MailConfig, MailTransportKind, MisfirePolicy, OutboxConfig, RegistrationConfig,
    RemindersConfig, PWCS_CONTACT,
};
pub use validate::{parse_database_url, read_token_file, DatabaseTarget};
