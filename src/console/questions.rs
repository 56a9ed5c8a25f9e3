//! The questions page: what the desk could not answer outright — clarified, unknown, handed
//! off, or answered and given a 👎 — newest first, from the desk's question log
//! (`desk_questions`). Until that log exists in the database the page says so plainly, instead
//! of an empty list that would read as "nothing went unanswered".

use axum::extract::State;
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::html;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, ok, when, Signed};
use super::state::ConsoleState;

const PAGE_ROWS: i64 = 200;

pub async fn page(State(state): State<ConsoleState>, visit: Visit) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let zone = state.0.scheduler.context.calendar.zone();
    let questions = match state.0.store.unanswered_questions(PAGE_ROWS).await {
        Ok(questions) => questions,
        Err(e) => return internal_error(l, &e),
    };
    let body = html! {
        @match &questions {
            None => {
                p.notice id="questions-unavailable" { (t(l, "console-questions-unavailable")) }
                p.muted { (t(l, "console-questions-meanwhile")) }
            }
            Some(questions) => {
                @if questions.is_empty() { p.muted id="questions-none" { (t(l, "console-questions-none")) } }
                @else {
                    table id="questions" {
                        thead { tr {
                            th { (t(l, "console-questions-at")) } th { (t(l, "console-questions-question")) }
                            th { (t(l, "console-questions-outcome")) } th { (t(l, "console-questions-topics")) }
                            th { (t(l, "console-questions-lang")) }
                        } }
                        tbody {
                            @for q in questions {
                                tr data-outcome=(q.outcome) {
                                    td { (when(q.asked_at, zone)) }
                                    td { (q.question.clone().unwrap_or_default()) }
                                    td {
                                        (t(l, &format!("console-questions-outcome-{}", q.outcome)))
                                        @if q.feedback.as_deref() == Some("down") { " 👎" }
                                    }
                                    td { (q.topics) br; span.muted { (ta(l, "console-questions-confidence", &[("confidence", FluentValue::from(format!("{:.2}", q.confidence)))])) } }
                                    td { (q.lang) }
                                }
                            }
                        }
                    }
                }
            }
        }
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
