//! Deciding a join request: an APA of the request's company (or an operator, or an admin)
//! approves it with a permission level or rejects it with a reason; the person and the
//! company's APAs are told in the same transaction.

use super::level::PermissionLevel;
use super::notices;
use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::text::Msg;
use crate::store::{DecideOutcome, JoinDecision};

/// Approves (with a level) or rejects (with a reason) a join request. `require_apa`: the
/// person who must be an APA of the request's company (chat); `None` for operators.
pub async fn decide_join(
    ctx: &Ctx<'_>,
    request_id: i64,
    approve: bool,
    level: Option<PermissionLevel>,
    reason: Option<String>,
    require_apa: Option<i64>,
) -> WfResult<DecideOutcome> {
    if approve && level.is_none() {
        return Err(WorkflowError::input(
            Msg::new("wf-error-level-needed").arg("levels", PermissionLevel::words()),
        ));
    }
    let reason = match (approve, reason) {
        (false, Some(r)) => Some(validate::note(&r, "reason")?),
        (false, None) => {
            return Err(WorkflowError::input(
                Msg::new("wf-error-reason-needed").arg("id", request_id.to_string()),
            ))
        }
        (true, _) => None,
    };
    let decision = JoinDecision {
        request_id,
        approve,
        level: level.map(|l| l.as_str().to_string()),
        reason,
        require_apa,
    };
    let now = ctx.now;
    let render = move |r: &crate::store::JoinRequest| {
        if approve {
            notices::welcome(r, now)
        } else {
            notices::join_rejected(r, now)
        }
    };
    Ok(ctx
        .store
        .decide_join_request(&decision, &ctx.actor, ctx.now, &render)
        .await?)
}
