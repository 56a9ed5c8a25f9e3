//! The chat core: requests from any adapter (console, Discord) are routed to the same handlers,
//! which answer questions from the knowledge catalogue and run the partner workflows.

pub mod command;
pub mod console;
pub mod format;
pub mod model;
pub mod sales;
pub mod service;

pub use model::{
    Button, ButtonStyle, ChannelKind, ChatUser, Command, Input, Prompt, Reply, Request,
};
pub use service::{Answer, Desk, Session};
