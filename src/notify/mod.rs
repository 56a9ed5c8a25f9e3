//! Notifications leaving the daemon. This module owns the outgoing side of delivery: the
//! [`Mailer`] port that the outbox dispatcher calls, the message format every email has, and the
//! two mail transports behind the port (`.eml` files in a folder, and SMTP with a pool of
//! reused connections). Which transport runs is decided once, by [`mailer_from_config`].

pub mod mail;
pub mod smtp;

pub use crate::config::smtp_url::{SmtpSecurity, SmtpSettings};
pub use mail::{
    build_message, email_payload, mailer_from_config, to_name_from_payload, FileMailer,
    MailSetupError, Mailer, OutgoingMail, SendError,
};
pub use smtp::SmtpMailer;
