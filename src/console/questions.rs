//! The questions page: what the desk could not answer. The question log belongs to the
//! conversation work, which has not landed; until a `question_log` table exists the page says
//! so plainly instead of showing an empty list that would read as "nothing went unanswered".

use axum::extract::State;
use axum::response::Response;
use maud::html;

use super::auth::Visit;
use super::lang::t;
use super::page::{layout, ok, Signed};
use super::state::ConsoleState;

pub async fn page(State(_state): State<ConsoleState>, visit: Visit) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let body = html! {
        p.notice id="questions-unavailable" { (t(l, "console-questions-unavailable")) }
        p.muted { (t(l, "console-questions-meanwhile")) }
    };
    ok(layout(
        l,
        &t(l, "console-nav-questions"),
        "/console/questions",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}
