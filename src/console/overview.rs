//! The overview: the outbox by status, each job's next and last fire, pending and overdue
//! approvals, and this month's renewal deadlines by window.

use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use fluent_bundle::FluentValue;
use maud::html;

use super::approvals::{age, overdue, waiting};
use super::auth::Visit;
use super::jobs::outcome_text;
use super::lang::{t, ta};
use super::page::{internal_error, layout, ok, when, when_opt, Signed};
use super::renewals::{by_window, pipeline, WINDOWS};
use super::state::ConsoleState;
use crate::store::StoreError;

pub async fn page(State(state): State<ConsoleState>, visit: Visit) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let shared = &state.0;
    let scheduler = &shared.scheduler;
    let zone = scheduler.context.calendar.zone();
    let now = shared.clock.now();
    let today = now.with_timezone(&zone).date_naive();
    let month_start = today.with_day(1).unwrap_or(today);
    let month_end = partnerdesk_domain::renewal::last_day_of_month(today);
    let loaded = async {
        let counts = shared.store.dashboard_outbox_counts().await?;
        let mut jobs = Vec::new();
        for job in &scheduler.jobs {
            let last = shared.store.last_job_run(&job.name).await?;
            jobs.push((job, job.next_fire(now, &scheduler.context.calendar), last));
        }
        let (joins, registrations) = waiting(&state).await?;
        let renewals = pipeline(&state, month_start, month_end, None).await?;
        Ok::<_, StoreError>((counts, jobs, joins, registrations, renewals))
    }
    .await;
    let (counts, jobs, joins, registrations, renewals) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return internal_error(l, &e),
    };
    let overdue_joins = joins
        .iter()
        .filter(|j| overdue(&state, age(&state, j.created_at)))
        .count();
    let overdue_registrations = registrations
        .iter()
        .filter(|r| overdue(&state, age(&state, r.updated_at)))
        .count();
    let windows = by_window(&renewals);
    let month: NaiveDate = month_start;
    let body = html! {
        div.cards {
            div.card id="overview-outbox" {
                h2 { a href="/console/outbox" { (t(l, "console-nav-outbox")) } }
                @if counts.is_empty() { p.muted { (t(l, "console-none")) } }
                @for c in &counts {
                    p { a href={ "/console/outbox?status=" (c.status) } { (t(l, &format!("console-outbox-status-{}", c.status))) } ": " strong data-status=(c.status) { (c.count) } }
                }
            }
            div.card id="overview-approvals" {
                h2 { a href="/console/approvals" { (t(l, "console-nav-approvals")) } }
                p { (ta(l, "console-overview-joins", &[("count", FluentValue::from(joins.len() as i64)), ("overdue", FluentValue::from(overdue_joins as i64))])) }
                p { (ta(l, "console-overview-registrations", &[("count", FluentValue::from(registrations.len() as i64)), ("overdue", FluentValue::from(overdue_registrations as i64))])) }
            }
            div.card id="overview-renewals" {
                h2 { a href="/console/renewals" { (t(l, "console-nav-renewals")) } }
                p.muted { (ta(l, "console-overview-month", &[("month", FluentValue::from(month.format("%Y-%m").to_string()))])) }
                @for w in WINDOWS {
                    p { (t(l, &format!("console-window-{}", w.code()))) ": " strong data-window=(w.code()) { (windows.get(w.code()).copied().unwrap_or(0)) } }
                }
            }
        }
        h2 { a href="/console/jobs" { (t(l, "console-nav-jobs")) } }
        table id="overview-jobs" {
            thead { tr { th { (t(l, "console-job-name")) } th { (t(l, "console-job-next")) } th { (t(l, "console-job-last")) } } }
            tbody {
                @for (job, next, last) in &jobs {
                    tr {
                        td { (job.name) }
                        td { (when_opt(*next, zone)) }
                        td {
                            @match last {
                                Some(run) => { (when(run.scheduled_for, zone)) " — " (outcome_text(run, l)) }
                                None => { span.muted { (t(l, "console-job-never")) } }
                            }
                        }
                    }
                }
            }
        }
    };
    ok(layout(
        l,
        &t(l, "console-nav-overview"),
        "/console",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}
