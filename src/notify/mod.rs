//! Notifications leaving the daemon. This module owns the outgoing side of delivery: the
//! [`Mailer`] port that the outbox dispatcher calls, the message format every email has, the
//! two mail transports behind the port (`.eml` files in a folder, and SMTP with a pool of
//! reused connections), the [`outbox`] dispatcher with its `ChatSink` port for Discord, and the
//! [`button`]s notices carry. Which transport runs is decided once, by [`mailer_from_config`].
//!
//! Files in this folder import each other by their own path; the re-exports below are for the
//! rest of the crate.

pub mod button;
pub mod mail;
pub mod outbox;
pub mod smtp;

use std::sync::Arc;

use crate::config::{Config, MailTransportKind};

pub use crate::config::smtp_url::{SmtpSecurity, SmtpSettings};
pub use mail::{
    build_message, email_payload, scoped_hint, to_name_from_payload, FileMailer,
    InstallationMailer, MailSetupError, Mailer, OutgoingMail, SendError,
};
pub use smtp::SmtpMailer;

/// Builds the mailer `[mail]` asks for. SMTP connections are opened on first use, so a mail
/// server that is down at start-up delays mail instead of stopping the daemon.
pub async fn mailer_from_config(config: &Config) -> Result<Arc<dyn Mailer>, MailSetupError> {
    Ok(match config.mail.transport {
        MailTransportKind::File => Arc::new(FileMailer::from_config(&config.mail).await?),
        MailTransportKind::Smtp => Arc::new(SmtpMailer::from_config(&config.mail)?),
    })
}
