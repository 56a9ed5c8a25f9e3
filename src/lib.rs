//! partnerdesk: the front desk of a partner program — a chat bot that answers partners in
//! Japanese and English, the workflows behind its answers, and a notification daemon that
//! delivers each message exactly once. See ARCHITECTURE.md for how the parts fit.

pub mod app;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_table;
pub mod discord;
pub mod error;
pub mod http;
pub mod i18n;
pub mod notify;
pub mod store;

pub mod jobs;
pub mod ops_cli;
pub mod outbox;
pub mod rules_text;
pub mod scheduler;
pub mod telemetry;
pub mod workflows;
