//! The questions page: what the desk could not answer well in the last 30 days — unknown,
//! handed off, clarified, low confidence or given a 👎 — newest first, from the desk's question
//! log (the same rule as `partnerdesk questions unanswered`).

use axum::extract::State;
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::html;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, ok, when, Signed};
use super::state::ConsoleState;

const PAGE_ROWS: usize = 200;
const DAYS: i64 = 30;

pub async fn page(State(state): State<ConsoleState>, visit: Visit) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let zone = state.0.scheduler.context.calendar.zone();
    let since = state.0.clock.now() - chrono::Duration::days(DAYS);
    let questions = match state
        .0
        .store
        .unanswered_questions(since, f64::from(crate::chat::desk::CONFIDENT))
        .await
    {
        // Oldest first from the store; the page shows the newest first.
        Ok(questions) => Some(
            questions
                .into_iter()
                .rev()
                .take(PAGE_ROWS)
                .collect::<Vec<_>>(),
        ),
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
