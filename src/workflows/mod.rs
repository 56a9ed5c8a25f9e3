//! Partner workflows: registration review, company tokens, joining a company (by token or by
//! the APA), approvals, identity linking and roles. Every step is authorized from the database,
//! audited, and notifies through the outbox in the same transaction.
//!
//! - [`service`]: the use cases shared by the chat and the CLI, with localized refusals.
//! - [`chat`]: the chat commands and buttons (`/join`, `/pending`, `join:approve:42`, ...).
//! - [`cli`]: the operators' commands (`company`, `role`, `token`, `registration`, `join`, ...).
//! - [`import`]: `import companies|people FILE.csv`.
//! - [`identity`]: who acts in the chat, read from the database on every request.
//! - [`notices`]: the emails and Discord DMs each step causes, in the recipient's language.
//! - [`secret`]: company tokens and link codes; [`level`]: permission levels;
//!   [`validate`]: input parsing; [`text`]: localized messages and header-safe text.

pub mod chat;
pub mod cli;
pub mod identity;
pub mod import;
pub mod level;
pub mod notices;
pub use crate::store::secret;
pub mod service;
pub mod text;
pub mod validate;
