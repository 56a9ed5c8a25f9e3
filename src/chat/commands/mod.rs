//! The chat's workflow commands and buttons, by who uses them. The desk routes a command or a
//! button press here after its own knowledge commands; each handler takes the request's
//! [`Context`] and resolves the caller and their roles from the database first.
//!
//! - [`workflow`]: the shared `Chat` session of a request (caller, language, replies) and its
//!   dispatch; [`partner`]: `/register`, `/join`, `/status`, `/profile`, `/contacts`, `/link`,
//!   `/verify`; [`apa`]: `/pending`, `/approve`, `/reject`, `/add-member`, `/token` and the join
//!   buttons; [`admin`]: `/review` and its buttons; [`sales`]: `/renewals`, `/ack`.

pub mod admin;
pub mod apa;
pub mod partner;
pub mod sales;
pub mod workflow;

use super::context::Context;
use super::model::{Command, Reply, Request, Session};

/// Every workflow command, grouped by file, in the order `/help` lists them.
pub const COMMANDS: &[&[&str]] = &[sales::COMMANDS, workflow::COMMANDS];

/// Handles a workflow command; `None` when `command` is not one.
pub async fn command(
    ctx: &Context<'_>,
    session: &mut Session,
    request: &Request,
    command: &Command,
) -> Option<Vec<Reply>> {
    if let Some(replies) = sales::command(ctx, session, request, command).await {
        return Some(replies);
    }
    workflow::command(ctx, session, request, command).await
}

/// Handles a button press; `None` when no workflow owns `custom_id`.
pub async fn button(
    ctx: &Context<'_>,
    session: &mut Session,
    request: &Request,
    custom_id: &str,
) -> Option<Vec<Reply>> {
    if let Some(replies) = sales::button(ctx, session, request, custom_id).await {
        return Some(replies);
    }
    workflow::button(ctx, session, request, custom_id).await
}
