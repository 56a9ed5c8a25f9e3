//! The outbox pages: counts by status, the listing filtered by status and recipient, one
//! message with its attempts and last error, retrying a dead message and purging old ones.
//! Each change is audited as the operator's.

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use maud::html;
use serde::Deserialize;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{
    internal_error, layout, not_found, notice, ok, problem, respond, when, when_opt, Signed,
};
use super::state::ConsoleState;
use crate::store::{NewAuditEntry, OutboxQuery, OutboxStatus};

/// Rows one listing shows.
const PAGE_ROWS: i64 = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutboxFilter {
    pub status: String,
    pub recipient: String,
    pub done: String,
    pub n: i64,
}

pub async fn list(
    State(state): State<ConsoleState>,
    visit: Visit,
    Query(filter): Query<OutboxFilter>,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let shared = &state.0;
    let zone = shared.scheduler.context.calendar.zone();
    let status = filter
        .status
        .trim()
        .parse::<OutboxStatus>()
        .ok()
        .map(|s| s.as_str().to_string());
    let recipient = Some(filter.recipient.trim().to_string()).filter(|r| !r.is_empty());
    let query = OutboxQuery {
        status: status.clone(),
        recipient: recipient.clone(),
        limit: PAGE_ROWS,
    };
    let loaded = async {
        let counts = shared.store.dashboard_outbox_counts().await?;
        let messages = shared.store.search_outbox(&query).await?;
        Ok::<_, crate::store::StoreError>((counts, messages))
    }
    .await;
    let (counts, messages) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return internal_error(l, &e),
    };
    let done = match filter.done.as_str() {
        "purged" => Some(ta(
            l,
            "console-outbox-purged",
            &[("count", FluentValue::from(filter.n))],
        )),
        _ => None,
    };
    let body = html! {
        (notice(done))
        div.cards {
            @for c in &counts {
                div.card {
                    a href={ "/console/outbox?status=" (c.status) } { (t(l, &format!("console-outbox-status-{}", c.status))) }
                    ": " strong data-status=(c.status) { (c.count) }
                }
            }
        }
        form method="get" action="/console/outbox" id="outbox-filter" {
            label { (t(l, "console-outbox-filter-status")) " "
                select name="status" {
                    option value="" { (t(l, "console-any")) }
                    @for s in ["pending", "sent", "dead"] {
                        option value=(s) selected[status.as_deref() == Some(s)] { (t(l, &format!("console-outbox-status-{s}"))) }
                    }
                }
            }
            " "
            label { (t(l, "console-outbox-filter-recipient")) " "
                input type="text" name="recipient" value=(recipient.clone().unwrap_or_default());
            }
            " "
            button type="submit" { (t(l, "console-filter")) }
        }
        table id="outbox" {
            thead { tr {
                th { "#" } th { (t(l, "console-outbox-channel")) } th { (t(l, "console-outbox-recipient")) }
                th { (t(l, "console-outbox-subject")) } th { (t(l, "console-outbox-status")) }
                th { (t(l, "console-outbox-attempts")) } th { (t(l, "console-outbox-last-error")) }
                th { (t(l, "console-outbox-created")) }
            } }
            tbody {
                @for m in &messages {
                    tr data-id=(m.id) data-status=(m.status) {
                        td { a href={ "/console/outbox/" (m.id) } { (m.id) } }
                        td { (m.channel) }
                        td { (m.recipient) }
                        td { (m.subject) }
                        td { (t(l, &format!("console-outbox-status-{}", m.status))) }
                        td.num { (m.attempts) }
                        td { (m.last_error.as_deref().map(|e| e.chars().take(120).collect::<String>()).unwrap_or_default()) }
                        td { (when(m.created_at, zone)) }
                    }
                }
            }
        }
        @if messages.is_empty() { p.muted { (t(l, "console-none")) } }
        h2 { (t(l, "console-outbox-purge-title")) }
        form method="post" action="/console/outbox/purge" id="purge" {
            input type="hidden" name="csrf" value=(op.csrf_token);
            label { (t(l, "console-outbox-purge-days")) " "
                input type="number" name="days" min="1" max="3650" value="30";
            }
            " "
            button type="submit" { (t(l, "console-outbox-purge-submit")) }
        }
    };
    ok(layout(
        l,
        &t(l, "console-nav-outbox"),
        "/console/outbox",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
}

pub async fn show(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Response {
    message_page(
        &state,
        &visit,
        id,
        (query.done == "retried").then_some("console-outbox-retried"),
        None,
        StatusCode::OK,
    )
    .await
}

async fn message_page(
    state: &ConsoleState,
    visit: &Visit,
    id: i64,
    done: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let shared = &state.0;
    let zone = shared.scheduler.context.calendar.zone();
    let message = match shared.store.outbox_message(id).await {
        Ok(Some(message)) => message,
        Ok(None) => return not_found(l),
        Err(e) => return internal_error(l, &e),
    };
    let title = ta(
        l,
        "console-outbox-message-title",
        &[("id", FluentValue::from(id))],
    );
    let body = html! {
        (notice(done.map(|id| t(l, id))))
        (problem(error))
        table id="message" data-status=(message.status) {
            tr { th { (t(l, "console-outbox-status")) } td id="message-status" { (t(l, &format!("console-outbox-status-{}", message.status))) } }
            tr { th { (t(l, "console-outbox-channel")) } td { (message.channel) } }
            tr { th { (t(l, "console-outbox-recipient")) } td { (message.recipient) } }
            tr { th { (t(l, "console-outbox-subject")) } td { (message.subject) } }
            tr { th { (t(l, "console-outbox-attempts")) } td id="message-attempts" { (message.attempts) } }
            tr { th { (t(l, "console-outbox-last-error")) } td id="message-error" { (message.last_error.clone().unwrap_or_default()) } }
            tr { th { (t(l, "console-outbox-next-attempt")) } td { (when(message.next_attempt_at, zone)) } }
            tr { th { (t(l, "console-outbox-created")) } td { (when(message.created_at, zone)) } }
            tr { th { (t(l, "console-outbox-sent")) } td { (when_opt(message.sent_at, zone)) } }
            tr { th { (t(l, "console-outbox-dedupe-key")) } td { code { (message.dedupe_key) } } }
        }
        @if message.status == "dead" {
            form method="post" action={ "/console/outbox/" (message.id) "/retry" } id="retry" {
                input type="hidden" name="csrf" value=(op.csrf_token);
                button type="submit" id="retry-submit" { (t(l, "console-outbox-retry")) }
            }
        }
        h2 { (t(l, "console-outbox-body")) }
        pre { (message.body_text) }
        p { a href="/console/outbox" { (t(l, "console-back-to-outbox")) } }
    };
    respond(
        status,
        layout(
            l,
            &title,
            "/console/outbox",
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
pub struct CsrfOnly {
    pub csrf: String,
}

/// Makes a dead message pending again and wakes the dispatcher.
pub async fn retry(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let op = match visit.operator_posting(&form.csrf) {
        Ok(op) => op.clone(),
        Err(refused) => return refused,
    };
    let l = visit.locale;
    let shared = &state.0;
    let now = shared.clock.now();
    match shared.store.retry_dead_outbox(id, now).await {
        Ok(true) => {
            let audited = shared
                .store
                .append_audit(
                    &NewAuditEntry {
                        actor: op.ibm_id.clone(),
                        channel: "console".into(),
                        action: "outbox.retried".into(),
                        subject: format!("outbox:{id}"),
                        detail: String::new(),
                    },
                    now,
                )
                .await;
            if let Err(e) = audited {
                return internal_error(l, &e);
            }
            shared.outbox_wake.notify_one();
            Redirect::to(&format!("/console/outbox/{id}?done=retried")).into_response()
        }
        Ok(false) => {
            message_page(
                &state,
                &visit,
                id,
                None,
                Some(t(l, "console-outbox-not-dead")),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => internal_error(l, &e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PurgeForm {
    pub csrf: String,
    pub days: String,
}

/// Deletes sent and dead messages older than the given number of days (1 to 3650).
pub async fn purge(
    State(state): State<ConsoleState>,
    visit: Visit,
    Form(form): Form<PurgeForm>,
) -> Response {
    let op = match visit.operator_posting(&form.csrf) {
        Ok(op) => op.clone(),
        Err(refused) => return refused,
    };
    let l = visit.locale;
    let days = match form.days.trim().parse::<i64>() {
        Ok(days) if (1..=3650).contains(&days) => days,
        _ => {
            return super::page::error_page(
                l,
                StatusCode::BAD_REQUEST,
                &ta(
                    l,
                    "console-outbox-purge-bad-days",
                    &[("value", FluentValue::from(form.days.clone()))],
                ),
            )
        }
    };
    let shared = &state.0;
    let now = shared.clock.now();
    let purged = async {
        let purged = shared
            .store
            .purge_outbox(now - chrono::Duration::days(days))
            .await?;
        shared
            .store
            .append_audit(
                &NewAuditEntry {
                    actor: op.ibm_id.clone(),
                    channel: "console".into(),
                    action: "outbox.purged".into(),
                    subject: "outbox".into(),
                    detail: format!("older_than_days={days} purged={purged}"),
                },
                now,
            )
            .await?;
        Ok::<_, crate::store::StoreError>(purged)
    }
    .await;
    match purged {
        Ok(purged) => {
            Redirect::to(&format!("/console/outbox?done=purged&n={purged}")).into_response()
        }
        Err(e) => internal_error(l, &e),
    }
}
