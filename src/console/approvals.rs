//! The approvals page: pending join requests and open registrations, each with its age in
//! business days and marked overdue once it has waited `reminders.
//! escalate_to_admin_after_business_days`; deciding them as an administrator through the same
//! workflows the chat and the CLI use (`workflows::joins`, `workflows::registrations`), which
//! audit the decision as the operator's and tell the people concerned.

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use fluent_bundle::FluentValue;
use maud::html;
use serde::Deserialize;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, notice, problem, respond, when, Signed};
use super::state::ConsoleState;
use crate::store::{
    JoinFilter, JoinRequest, Registration, RegistrationFilter, RegistrationStatus, StoreResult,
};
use crate::workflows::level::PermissionLevel;
use crate::workflows::service::Ctx;

/// Business days after `from` up to and including `to` (capped: a year is plenty).
pub fn business_days_between(state: &ConsoleState, from: NaiveDate, to: NaiveDate) -> u32 {
    let calendar = &state.0.scheduler.context.calendar;
    let mut days = 0;
    let mut cursor = from;
    while cursor < to && days < 400 {
        match cursor.succ_opt() {
            Some(next) => cursor = next,
            None => break,
        }
        if calendar.is_business_day(cursor) {
            days += 1;
        }
    }
    days
}

/// Age in business days of something created at `at`, seen now.
pub fn age(state: &ConsoleState, at: DateTime<Utc>) -> u32 {
    let zone = state.0.scheduler.context.calendar.zone();
    let today = state.0.clock.now().with_timezone(&zone).date_naive();
    business_days_between(state, at.with_timezone(&zone).date_naive(), today)
}

/// Whether something that has waited `days` business days is overdue.
pub fn overdue(state: &ConsoleState, days: u32) -> bool {
    days >= state.0.reminders.escalate_to_admin_after_business_days
}

/// Pending join requests and open registrations (submitted, under review, documents requested).
pub async fn waiting(state: &ConsoleState) -> StoreResult<(Vec<JoinRequest>, Vec<Registration>)> {
    let store = &state.0.store;
    let joins = store
        .list_join_requests(&JoinFilter {
            status: Some("pending".into()),
            ..JoinFilter::default()
        })
        .await?;
    let mut registrations = Vec::new();
    for status in RegistrationStatus::ALL.iter().filter(|s| s.is_open()) {
        registrations.extend(
            store
                .list_registrations(&RegistrationFilter {
                    status: Some(status.as_str().into()),
                    ..RegistrationFilter::default()
                })
                .await?,
        );
    }
    registrations.sort_by_key(|r| r.id);
    Ok((joins, registrations))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
    pub id: i64,
}

pub async fn list(
    State(state): State<ConsoleState>,
    visit: Visit,
    Query(query): Query<DoneQuery>,
) -> Response {
    let l = visit.locale;
    let done = match query.done.as_str() {
        "join-approved" | "join-rejected" | "registration-moved" => Some(ta(
            l,
            &format!("console-approvals-{}", query.done),
            &[("id", FluentValue::from(query.id))],
        )),
        _ => None,
    };
    page(&state, &visit, done, None, StatusCode::OK).await
}

async fn page(
    state: &ConsoleState,
    visit: &Visit,
    done: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let zone = state.0.scheduler.context.calendar.zone();
    let (joins, registrations) = match waiting(state).await {
        Ok(waiting) => waiting,
        Err(e) => return internal_error(l, &e),
    };
    let body = html! {
        (notice(done))
        (problem(error))
        h2 { (t(l, "console-approvals-joins")) }
        @if joins.is_empty() { p.muted { (t(l, "console-none")) } }
        @else {
            table id="joins" {
                thead { tr {
                    th { "#" } th { (t(l, "console-approvals-person")) } th { (t(l, "console-approvals-company")) }
                    th { (t(l, "console-approvals-method")) } th { (t(l, "console-approvals-since")) } th { (t(l, "console-approvals-decide")) }
                } }
                tbody {
                    @for j in &joins {
                        @let days = age(state, j.created_at);
                        tr data-join=(j.id) {
                            td { (j.id) }
                            td { (j.person_name) br; span.muted { (j.person_ibm_id) } }
                            td { (j.company_name) " / " (j.location_name) }
                            td { (t(l, &format!("console-join-method-{}", j.method))) }
                            td {
                                (when(j.created_at, zone)) br;
                                (ta(l, "console-business-days", &[("days", FluentValue::from(i64::from(days)))]))
                                @if overdue(state, days) { " " strong.overdue { (t(l, "console-overdue")) } }
                            }
                            td {
                                form.inline method="post" action={ "/console/approvals/joins/" (j.id) } {
                                    input type="hidden" name="csrf" value=(op.csrf_token);
                                    input type="hidden" name="decision" value="approve";
                                    select name="level" {
                                        @for level in PermissionLevel::ALL {
                                            option value=(level.as_str()) { (level.label(l)) }
                                        }
                                    }
                                    " "
                                    button type="submit" id={ "approve-" (j.id) } { (t(l, "console-approve")) }
                                }
                                br;
                                form.inline method="post" action={ "/console/approvals/joins/" (j.id) } {
                                    input type="hidden" name="csrf" value=(op.csrf_token);
                                    input type="hidden" name="decision" value="reject";
                                    input type="text" name="reason" placeholder=(t(l, "console-reason")) required;
                                    " "
                                    button type="submit" id={ "reject-" (j.id) } { (t(l, "console-reject")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t(l, "console-approvals-registrations")) }
        @if registrations.is_empty() { p.muted { (t(l, "console-none")) } }
        @else {
            table id="registrations" {
                thead { tr {
                    th { "#" } th { (t(l, "console-approvals-company")) } th { (t(l, "console-approvals-applicant")) }
                    th { (t(l, "console-approvals-status")) } th { (t(l, "console-approvals-since")) } th { (t(l, "console-approvals-decide")) }
                } }
                tbody {
                    @for r in &registrations {
                        @let days = age(state, r.updated_at);
                        tr data-registration=(r.id) {
                            td { (r.id) }
                            td { (r.company_name) }
                            td { (r.applicant_name) br; span.muted { (r.applicant_ibm_id) } }
                            td { (t(l, &format!("wf-reg-status-{}", r.status))) }
                            td {
                                (when(r.updated_at, zone)) br;
                                (ta(l, "console-business-days", &[("days", FluentValue::from(i64::from(days)))]))
                                @if overdue(state, days) { " " strong.overdue { (t(l, "console-overdue")) } }
                            }
                            td {
                                form.inline method="post" action={ "/console/approvals/registrations/" (r.id) } {
                                    input type="hidden" name="csrf" value=(op.csrf_token);
                                    select name="to" {
                                        @for to in RegistrationStatus::ALL {
                                            @if r.status().is_some_and(|from| from.can_move_to(*to)) {
                                                option value=(to.as_str()) { (t(l, &format!("wf-reg-status-{}", to.as_str()))) }
                                            }
                                        }
                                    }
                                    " "
                                    input type="text" name="text" placeholder=(t(l, "console-note-or-reason"));
                                    " "
                                    button type="submit" { (t(l, "console-apply")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    respond(
        status,
        layout(
            l,
            &t(l, "console-nav-approvals"),
            "/console/approvals",
            Some(Signed {
                ibm_id: &op.ibm_id,
                csrf: &op.csrf_token,
            }),
            body,
        ),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    pub csrf: String,
    pub decision: String,
    pub level: String,
    pub reason: String,
}

/// Approves (with a level) or rejects (with a reason) a join request as an administrator.
pub async fn decide_join(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<JoinForm>,
) -> Response {
    if let Err(refused) = visit.operator_posting(&form.csrf) {
        return refused;
    }
    let Some(actor) = visit.actor() else {
        return Redirect::to("/console/login").into_response();
    };
    let l = visit.locale;
    let approve = form.decision == "approve";
    let ctx = Ctx {
        store: state.0.store.as_ref(),
        actor,
        now: state.0.clock.now(),
    };
    let level = PermissionLevel::parse(&form.level);
    let reason = Some(form.reason.clone()).filter(|r| !r.trim().is_empty());
    match crate::workflows::joins::decide_join(&ctx, id, approve, level, reason, None).await {
        Ok(crate::store::DecideOutcome::Decided(_)) => Redirect::to(&format!(
            "/console/approvals?done={}&id={id}",
            if approve {
                "join-approved"
            } else {
                "join-rejected"
            }
        ))
        .into_response(),
        Ok(crate::store::DecideOutcome::AlreadyDecided(j)) => {
            let message = ta(
                l,
                "console-approvals-already-decided",
                &[
                    ("id", FluentValue::from(id)),
                    ("by", FluentValue::from(j.decided_by.unwrap_or_default())),
                ],
            );
            page(&state, &visit, None, Some(message), StatusCode::CONFLICT).await
        }
        Ok(
            crate::store::DecideOutcome::NotFound | crate::store::DecideOutcome::NotAuthorized(_),
        ) => {
            let message = ta(
                l,
                "console-approvals-no-join",
                &[("id", FluentValue::from(id))],
            );
            page(&state, &visit, None, Some(message), StatusCode::NOT_FOUND).await
        }
        Err(e) => {
            page(
                &state,
                &visit,
                None,
                Some(e.render(l)),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub csrf: String,
    pub to: String,
    /// The note (documents requested) or the reason (rejected).
    pub text: String,
}

/// Moves a registration through the review as an administrator.
pub async fn move_registration(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<RegistrationForm>,
) -> Response {
    if let Err(refused) = visit.operator_posting(&form.csrf) {
        return refused;
    }
    let Some(actor) = visit.actor() else {
        return Redirect::to("/console/login").into_response();
    };
    let l = visit.locale;
    let Some(to) = RegistrationStatus::parse(&form.to) else {
        let message = ta(
            l,
            "console-approvals-bad-step",
            &[("value", FluentValue::from(form.to.clone()))],
        );
        return page(&state, &visit, None, Some(message), StatusCode::BAD_REQUEST).await;
    };
    let ctx = Ctx {
        store: state.0.store.as_ref(),
        actor,
        now: state.0.clock.now(),
    };
    let text = Some(form.text.clone()).filter(|t| !t.trim().is_empty());
    let (note, reason) = match to {
        RegistrationStatus::Rejected => (None, text),
        _ => (text, None),
    };
    match crate::workflows::registrations::move_registration(&ctx, id, to, note, reason).await {
        Ok(_) => Redirect::to(&format!(
            "/console/approvals?done=registration-moved&id={id}"
        ))
        .into_response(),
        Err(e) => {
            page(
                &state,
                &visit,
                None,
                Some(e.render(l)),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}
