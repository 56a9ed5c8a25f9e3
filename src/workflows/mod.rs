//! Partner workflows as services: registration review, company tokens, joining a company (by
//! token or by the APA), approvals and roles. Every step is authorized from the database,
//! audited, and notifies through the outbox in the same transaction. No chat and no SQL here:
//! the chat commands live in `chat::commands`, the operators' commands in `cli::partners`, the
//! statements in `store`.
//!
//! - [`service`]: the use cases shared by the chat and the CLI, with localized refusals.
//! - [`notices`]: the emails and Discord DMs each step causes, in the recipient's language.
//! - [`level`]: permission levels; [`validate`]: input checks (IBM IDs, names, ...).

pub mod level;
pub mod notices;
pub mod secret;
pub mod service;
pub mod validate;
