//! The console's routes under `/console`, on the daemon's HTTP listener (`daemon/http.rs`
//! merges this router when `[console] enabled = true`).

use axum::routing::{get, post};
use axum::Router;

use super::state::ConsoleState;
use super::{approvals, audit, jobs, login, outbox, overview, questions, renewals};

pub fn router(state: ConsoleState) -> Router {
    Router::new()
        .route("/console", get(overview::page))
        .route("/console/", get(overview::page))
        .route("/console/login", get(login::login_form).post(login::login))
        .route("/console/logout", post(login::logout))
        .route("/console/setup", get(login::setup_form).post(login::setup))
        .route("/console/outbox", get(outbox::list))
        .route("/console/outbox/purge", post(outbox::purge))
        .route("/console/outbox/{id}", get(outbox::show))
        .route("/console/outbox/{id}/retry", post(outbox::retry))
        .route("/console/jobs", get(jobs::list))
        .route(
            "/console/jobs/{name}/run",
            get(jobs::confirm).post(jobs::run),
        )
        .route("/console/approvals", get(approvals::list))
        .route(
            "/console/approvals/joins/{id}",
            post(approvals::decide_join),
        )
        .route(
            "/console/approvals/registrations/{id}",
            post(approvals::move_registration),
        )
        .route("/console/renewals", get(renewals::page))
        .route("/console/questions", get(questions::page))
        .route("/console/audit", get(audit::page))
        .with_state(state)
}
