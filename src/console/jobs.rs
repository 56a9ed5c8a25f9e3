//! The jobs page: each job's schedule and zone, its next fires, its last runs with outcome and
//! duration; and "run now", behind a confirmation page. A run is claimed like a scheduled fire
//! (so it runs once across replicas) and audited as the operator's.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::html;
use serde::Deserialize;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, not_found, notice, ok, problem, respond, when, Signed};
use super::state::ConsoleState;
use crate::daemon::scheduler::{FireOutcome, OUTBOX_DISPATCH};
use crate::store::{JobRun, NewAuditEntry};

/// Runs shown per job.
const RECENT_RUNS: i64 = 5;

/// How long a run took, in seconds with milliseconds, or "running".
pub fn duration_text(run: &JobRun, locale: crate::i18n::Locale) -> String {
    match run.finished_at {
        Some(end) => {
            let ms = (end - run.started_at).num_milliseconds().max(0);
            format!("{}.{:03} s", ms / 1_000, ms % 1_000)
        }
        None => t(locale, "console-job-running"),
    }
}

/// The outcome word of a run in the reader's language.
pub fn outcome_text(run: &JobRun, locale: crate::i18n::Locale) -> String {
    match run.outcome.as_deref() {
        Some(outcome) => t(locale, &format!("console-job-outcome-{outcome}")),
        None => t(locale, "console-job-running"),
    }
}

pub async fn list(State(state): State<ConsoleState>, visit: Visit) -> Response {
    jobs_page(&state, &visit, None, None, StatusCode::OK).await
}

async fn jobs_page(
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
    let shared = &state.0;
    let scheduler = &shared.scheduler;
    let zone = scheduler.context.calendar.zone();
    let now = shared.clock.now();
    let mut rows = Vec::new();
    for job in &scheduler.jobs {
        let mut next = Vec::new();
        let mut cursor = now;
        for _ in 0..3 {
            match job.next_fire(cursor, &scheduler.context.calendar) {
                Some(fire) => {
                    next.push(fire);
                    cursor = fire;
                }
                None => break,
            }
        }
        let runs = match shared.store.recent_job_runs(&job.name, RECENT_RUNS).await {
            Ok(runs) => runs,
            Err(e) => return internal_error(l, &e),
        };
        rows.push((job, next, runs));
    }
    let body = html! {
        (notice(done))
        (problem(error))
        table id="jobs" {
            thead { tr {
                th { (t(l, "console-job-name")) } th { (t(l, "console-job-schedule")) }
                th { (t(l, "console-job-next")) } th { (t(l, "console-job-last-runs")) } th {}
            } }
            tbody {
                @for (job, next, runs) in &rows {
                    tr data-job=(job.name) {
                        td { strong { (job.name) } }
                        td { code { (job.config.schedule) } br; span.muted { (job.config.zone) @if job.config.business_days { " · " (t(l, "console-job-business-days")) } } }
                        td { @for fire in next { (when(*fire, zone)) br; } }
                        td {
                            @if runs.is_empty() { span.muted { (t(l, "console-job-never")) } }
                            @for run in runs {
                                (when(run.scheduled_for, zone)) " — " (outcome_text(run, l)) " (" (duration_text(run, l)) ")" br;
                            }
                        }
                        td { a href={ "/console/jobs/" (job.name) "/run" } { (t(l, "console-job-run-now")) } }
                    }
                }
            }
        }
    };
    respond(
        status,
        layout(
            l,
            &t(l, "console-nav-jobs"),
            "/console/jobs",
            Some(Signed {
                ibm_id: &op.ibm_id,
                csrf: &op.csrf_token,
            }),
            body,
        ),
    )
}

/// The confirmation page of "run now".
pub async fn confirm(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(name): Path<String>,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    if state.0.scheduler.job(&name).is_none() && name != OUTBOX_DISPATCH {
        return not_found(l);
    }
    let body = html! {
        p { (ta(l, "console-job-confirm", &[("job", FluentValue::from(name.clone()))])) }
        form method="post" action={ "/console/jobs/" (name) "/run" } id="run" {
            input type="hidden" name="csrf" value=(op.csrf_token);
            button type="submit" id="run-confirm" { (t(l, "console-job-run-confirm")) }
            " "
            a href="/console/jobs" { (t(l, "console-cancel")) }
        }
    };
    ok(layout(
        l,
        &t(l, "console-job-confirm-title"),
        "/console/jobs",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RunForm {
    pub csrf: String,
}

/// Runs the job now (claimed like a fire at this instant) and shows its outcome.
pub async fn run(
    State(state): State<ConsoleState>,
    visit: Visit,
    Path(name): Path<String>,
    Form(form): Form<RunForm>,
) -> Response {
    let op = match visit.operator_posting(&form.csrf) {
        Ok(op) => op.clone(),
        Err(refused) => return refused,
    };
    let l = visit.locale;
    let shared = &state.0;
    let now = shared.clock.now();
    let (outcome, detail) = if name == OUTBOX_DISPATCH {
        // The dispatcher is a loop of its own: waking it sends every due message now.
        shared.outbox_wake.notify_one();
        ("woken", String::new())
    } else {
        let Some(job) = shared.scheduler.job(&name) else {
            return not_found(l);
        };
        // Whole milliseconds: both databases store the claim's instant exactly.
        let fire = chrono::DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
        match shared.scheduler.fire(job, fire).await {
            Ok(FireOutcome::Ran { report }) => {
                ("ok", serde_json::to_string(&report).unwrap_or_default())
            }
            Ok(FireOutcome::Failed { error }) => ("error", error),
            Ok(FireOutcome::AlreadyClaimed) => ("claimed", String::new()),
            Err(e) => return internal_error(l, &e),
        }
    };
    let audited = shared
        .store
        .append_audit(
            &NewAuditEntry {
                actor: op.ibm_id.clone(),
                channel: "console".into(),
                action: "job.run".into(),
                subject: format!("job:{name}"),
                detail: format!("outcome={outcome} {detail}").trim().to_string(),
            },
            shared.clock.now(),
        )
        .await;
    if let Err(e) = audited {
        return internal_error(l, &e);
    }
    let args = [
        ("job", FluentValue::from(name.clone())),
        (
            "outcome",
            FluentValue::from(t(l, &format!("console-job-outcome-{outcome}"))),
        ),
        ("detail", FluentValue::from(detail.clone())),
    ];
    if outcome == "error" {
        jobs_page(
            &state,
            &visit,
            None,
            Some(ta(l, "console-job-ran", &args)),
            StatusCode::OK,
        )
        .await
    } else {
        jobs_page(
            &state,
            &visit,
            Some(ta(l, "console-job-ran", &args)),
            None,
            StatusCode::OK,
        )
        .await
    }
}
