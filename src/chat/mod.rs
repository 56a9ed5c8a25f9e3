//! The chat core: requests from any adapter (console, Discord) are routed to the same handlers,
//! which answer questions from the knowledge catalogue and run the partner workflows.
//!
//! - [`model`]: the request/reply model every adapter speaks, and the per-conversation session.
//! - [`command`]: the `/name key:value` parser.
//! - [`asked`]: what the desk says about the date or time a question asks about.
//! - [`desk`]: the router, free-text answers and the knowledge commands (`/ask`, `/hours`, ...).
//! - [`conversation`]: a conversation's stored context (last topic, slots, last turns).
//! - [`context`]: what a command handler gets from the desk (rules, clock, store, language).
//! - [`language`]: which language a reply is in.
//! - [`identity`]: who a chat account acts as, read from the database on every request.
//! - [`commands`]: the workflow commands and buttons, one file per role.
//! - [`console`]: the terminal adapter (`partnerdesk chat`).
//! - [`line_reader`]: one input line with a bound on memory (`chat` and `ask` on stdin).
//!
//! Files in this folder import each other by their own path (`super::model::Reply`), never
//! through the re-exports below, which are for the adapters.

pub mod asked;
pub mod command;
pub mod commands;
pub mod console;
pub mod context;
pub mod conversation;
pub mod desk;
pub mod identity;
pub mod language;
pub mod line_reader;
pub mod model;

pub use crate::notify::button::{Button, ButtonStyle};
pub use desk::{Answer, Desk};
pub use model::{ChannelKind, ChatUser, Command, Input, Prompt, Reply, Request, Session};
