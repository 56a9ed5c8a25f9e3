//! partnerdesk: the front desk of a partner program — a chat bot that answers partners in
//! Japanese and English, the workflows behind its answers, and a notification daemon that
//! delivers each message exactly once. See ARCHITECTURE.md for how the parts fit.

pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod daemon;
pub mod discord;
pub mod error;
pub mod i18n;
pub mod metrics;
pub mod notify;
pub mod store;
pub mod workflows;
