//! Deciding a join request: an APA of the request's company (or an operator, or an admin)
//! approves it with a permission level or rejects it with a reason; the person and the
//! company's APAs are told in the same transaction.

use super::level::PermissionLevel;
use super::notices;
use super::service::{Ctx, WfResult, WorkflowError};
use super::validate;
use crate::i18n::text::Msg;
use crate::store::{DecideOutcome, JoinDecision, NewPerson, PickOutcome, Role};

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
    decide_with(ctx, request_id, approve, level, reason, require_apa, &[]).await
}

/// プロフィール管理者による登録 asked by the person: their IBM ID, name and chosen company go to
/// every APA of the company (a DM with level buttons when linked, an email otherwise).
pub async fn ask_apa(ctx: &Ctx<'_>, person: &NewPerson, company_id: i64) -> WfResult<PickOutcome> {
    let now = ctx.now;
    let render = move |input: &(crate::store::JoinRequest, Vec<crate::store::MemberRow>)| {
        notices::ask_apa_alerts(&input.0, &input.1, now)
    };
    Ok(ctx
        .store
        .ask_apa_to_add(person, company_id, &ctx.actor, ctx.now, &render)
        .await?)
}

/// An admin decides a request that waited too long: recorded as the admin's (the actor),
/// audited by the store, and the company's APAs are told in the same transaction.
pub async fn decide_join_as_admin(
    ctx: &Ctx<'_>,
    request_id: i64,
    approve: bool,
    level: Option<PermissionLevel>,
    reason: Option<String>,
) -> WfResult<DecideOutcome> {
    let Some(request) = ctx.store.join_request_by_id(request_id).await? else {
        return Ok(DecideOutcome::NotFound);
    };
    let apas: Vec<_> = ctx
        .store
        .company_members(request.company_id)
        .await?
        .into_iter()
        .filter(|m| m.role() == Some(Role::Apa))
        .collect();
    decide_with(ctx, request_id, approve, level, reason, None, &apas).await
}

async fn decide_with(
    ctx: &Ctx<'_>,
    request_id: i64,
    approve: bool,
    level: Option<PermissionLevel>,
    reason: Option<String>,
    require_apa: Option<i64>,
    tell: &[crate::store::MemberRow],
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
    let admin = ctx.actor.who.clone();
    let render = move |r: &crate::store::JoinRequest| {
        let mut messages = if approve {
            notices::welcome(r, now)
        } else {
            notices::join_rejected(r, now)
        };
        messages.extend(notices::admin_decided(r, tell, &admin, now));
        messages
    };
    Ok(ctx
        .store
        .decide_join_request(&decision, &ctx.actor, ctx.now, &render)
        .await?)
}
