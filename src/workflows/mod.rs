//! Partner workflows as services: registration review, company tokens, joining a company (by
//! token or by the APA), approvals and roles. Every step is authorized from the database,
//! audited, and notifies through the outbox in the same transaction. No chat and no SQL here:
//! the chat commands live in `chat::commands`, the operators' commands in `cli::partners`, the
//! statements in `store`.
//!
//! - [`service`]: what every use case shares: the context (store, actor, instant), the error
//!   type with its localized refusals, and the CLI operator's identity.
//! - [`directory`]: companies, locations, people and role grants.
//! - [`tokens`]: the company token rule (limits, entry, lockout wording).
//! - [`links`]: the identity link code rule (limits, mailing, verification wording).
//! - [`joins`]: deciding join requests; [`registrations`]: registration review steps.
//! - [`notices`]: the emails and Discord DMs each step causes, in the recipient's language.
//! - [`calendar`]: the sales reps' .ics feed of renewal deadlines (secret URL, events).
//! - [`operators`]: operator accounts of the web console (passwords, setup links, login limit).
//! - [`level`]: permission levels; [`validate`]: input checks (IBM IDs, names, ...).

pub mod calendar;
pub mod directory;
pub mod joins;
pub mod level;
pub mod links;
pub mod notices;
pub mod operators;
pub mod registrations;
pub mod service;
pub mod tokens;
pub mod validate;
