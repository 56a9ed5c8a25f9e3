//! The audit page: the log searched by person (an IBM ID), company (an id or an exact name)
//! and action (exact, or a prefix ending in `.` such as `join.`), newest first.

use axum::extract::{Query, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::html;
use serde::Deserialize;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, ok, problem, when, Signed};
use super::state::ConsoleState;
use crate::store::AuditQuery;

const PAGE_ROWS: i64 = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditSearch {
    pub person: String,
    pub company: String,
    pub action: String,
}

pub async fn page(
    State(state): State<ConsoleState>,
    visit: Visit,
    Query(search): Query<AuditSearch>,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let shared = &state.0;
    let zone = shared.scheduler.context.calendar.zone();
    let person = Some(search.person.trim().to_lowercase()).filter(|p| !p.is_empty());
    let action = Some(search.action.trim().to_string()).filter(|a| !a.is_empty());
    let company_text = search.company.trim().to_string();
    let mut problem_text = None;
    let company = if company_text.is_empty() {
        None
    } else if let Ok(id) = company_text.parse::<i64>() {
        Some(id)
    } else {
        match shared.store.find_company_by_name(&company_text).await {
            Ok(Some(company)) => Some(company.id),
            Ok(None) => {
                problem_text = Some(ta(
                    l,
                    "console-audit-no-company",
                    &[("value", FluentValue::from(company_text.clone()))],
                ));
                // Nothing matches a company that does not exist.
                Some(-1)
            }
            Err(e) => return internal_error(l, &e),
        }
    };
    let entries = match shared
        .store
        .search_audit(&AuditQuery {
            person: person.clone(),
            company,
            action: action.clone(),
            limit: PAGE_ROWS,
        })
        .await
    {
        Ok(entries) => entries,
        Err(e) => return internal_error(l, &e),
    };
    let body = html! {
        form method="get" action="/console/audit" id="audit-search" {
            label { (t(l, "console-audit-person")) " " input type="text" name="person" value=(person.clone().unwrap_or_default()); }
            " "
            label { (t(l, "console-audit-company")) " " input type="text" name="company" value=(company_text); }
            " "
            label { (t(l, "console-audit-action")) " " input type="text" name="action" value=(action.clone().unwrap_or_default()) placeholder="join."; }
            " "
            button type="submit" { (t(l, "console-search")) }
        }
        (problem(problem_text))
        table id="audit" {
            thead { tr {
                th { (t(l, "console-audit-at")) } th { (t(l, "console-audit-actor")) } th { (t(l, "console-audit-channel")) }
                th { (t(l, "console-audit-action")) } th { (t(l, "console-audit-subject")) } th { (t(l, "console-audit-detail")) }
            } }
            tbody {
                @for e in &entries {
                    tr data-action=(e.action) {
                        td { (when(e.at, zone)) } td { (e.actor) } td { (e.channel) }
                        td { code { (e.action) } } td { (e.subject) } td { (e.detail) }
                    }
                }
            }
        }
        @if entries.is_empty() { p.muted { (t(l, "console-none")) } }
    };
    ok(layout(
        l,
        &t(l, "console-nav-audit"),
        "/console/audit",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}
