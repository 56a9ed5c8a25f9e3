//! Signing in and out, and the one-time setup link: `GET /console/login` (a form with
//! `ibm_id`, `password` and `csrf`), `POST /console/login` (rate-limited, every attempt
//! audited), `POST /console/logout`, and `GET`/`POST /console/setup?token=…`, where an operator
//! added with a setup link chooses a password.

use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use maud::{html, Markup};
use serde::Deserialize;

use super::auth::{Visit, FORM_COOKIE, SESSION_COOKIE};
use super::lang::{t, ta};
use super::page::{error_page, forbidden, internal_error, layout, problem, respond};
use super::state::ConsoleState;
use crate::i18n::Locale;
use crate::store::{Actor, LoginAttempt, NewOperatorSession};
use crate::workflows::operators::{
    check_password, hash_password, random_token, token_hash, verify_password,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub ibm_id: String,
    pub password: String,
    pub csrf: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    pub done: Option<String>,
}

/// The login form, with a fresh double-submit token in the form and in a cookie.
pub async fn login_form(visit: Visit, Query(query): Query<LoginQuery>) -> Response {
    if visit.session.is_some() {
        return Redirect::to("/console").into_response();
    }
    let notice = match query.done.as_deref() {
        Some("setup") => Some(t(visit.locale, "console-setup-done")),
        Some("logout") => Some(t(visit.locale, "console-logged-out")),
        _ => None,
    };
    login_page(&visit, StatusCode::OK, "", notice, None)
}

fn login_page(
    visit: &Visit,
    status: StatusCode,
    ibm_id: &str,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let l = visit.locale;
    let token = random_token();
    let body = html! {
        (super::page::notice(notice))
        (problem(error))
        form method="post" action="/console/login" id="login" {
            input type="hidden" name="csrf" value=(token);
            p {
                label for="ibm_id" { (t(l, "console-login-ibm-id")) }
                br;
                input type="email" id="ibm_id" name="ibm_id" value=(ibm_id) required autocomplete="username";
            }
            p {
                label for="password" { (t(l, "console-login-password")) }
                br;
                input type="password" id="password" name="password" required autocomplete="current-password";
            }
            button type="submit" id="login-submit" { (t(l, "console-login-submit")) }
        }
    };
    let mut response = respond(
        status,
        layout(l, &t(l, "console-login-title"), "", None, body),
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, visit.cookie(FORM_COOKIE, &token, 3_600));
    response
}

/// Checks the form token, the rate limit and the password; records the attempt in the audit
/// log; on success opens a session and sets its cookie.
pub async fn login(
    State(state): State<ConsoleState>,
    visit: Visit,
    Form(form): Form<LoginForm>,
) -> Response {
    let l = visit.locale;
    if !visit.form_token_ok(&form.csrf) {
        return forbidden(l);
    }
    let shared = &state.0;
    let now = shared.clock.now();
    let ibm_id = form.ibm_id.trim().to_lowercase();
    if ibm_id.is_empty() || ibm_id.len() > 254 || ibm_id.chars().any(char::is_control) {
        return login_page(
            &visit,
            StatusCode::UNAUTHORIZED,
            "",
            None,
            Some(t(l, "console-login-failed")),
        );
    }
    let limit = shared.login_limit;
    let failures = shared
        .store
        .failed_logins_since(&ibm_id, &visit.remote, limit.since(now))
        .await;
    let (by_id, by_remote) = match failures {
        Ok(counts) => counts,
        Err(e) => return internal_error(l, &e),
    };
    let record = |succeeded: bool, action: &'static str| LoginAttempt {
        ibm_id: ibm_id.clone(),
        remote: visit.remote.clone(),
        succeeded,
        action,
    };
    if limit.exceeded(by_id, by_remote) {
        if let Err(e) = shared
            .store
            .record_login_attempt(&record(false, "console.login-limited"), now)
            .await
        {
            return internal_error(l, &e);
        }
        let minutes = limit.window.num_minutes();
        return login_page(
            &visit,
            StatusCode::TOO_MANY_REQUESTS,
            &ibm_id,
            None,
            Some(ta(
                l,
                "console-login-limited",
                &[("minutes", FluentValue::from(minutes))],
            )),
        );
    }
    let operator = match shared.store.operator_by_ibm_id(&ibm_id).await {
        Ok(operator) => operator,
        Err(e) => return internal_error(l, &e),
    };
    let password = form.password;
    let stored = operator.as_ref().and_then(|o| o.password_hash.clone());
    // argon2 is deliberately slow: off the async worker threads.
    let verified =
        tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
            .await
            .unwrap_or(false);
    let operator = match (verified, operator) {
        (true, Some(operator)) => operator,
        _ => {
            if let Err(e) = shared
                .store
                .record_login_attempt(&record(false, "console.login-failed"), now)
                .await
            {
                return internal_error(l, &e);
            }
            return login_page(
                &visit,
                StatusCode::UNAUTHORIZED,
                &ibm_id,
                None,
                Some(t(l, "console-login-failed")),
            );
        }
    };
    let session_id = random_token();
    let hours = i64::from(shared.settings.session_hours);
    let session = NewOperatorSession {
        id_hash: token_hash(&session_id),
        operator_id: operator.id,
        csrf_token: random_token(),
        remote: visit.remote.clone(),
        expires_at: now + chrono::Duration::hours(hours),
    };
    let stored = async {
        shared.store.create_operator_session(&session, now).await?;
        shared
            .store
            .record_login_attempt(&record(true, "console.login"), now)
            .await
    }
    .await;
    if let Err(e) = stored {
        return internal_error(l, &e);
    }
    let mut response = Redirect::to("/console").into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        visit.cookie(SESSION_COOKIE, &session_id, hours * 3_600),
    );
    headers.append(header::SET_COOKIE, visit.cookie(FORM_COOKIE, "", 0));
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// Ends the session (audited) and clears its cookie.
pub async fn logout(
    State(state): State<ConsoleState>,
    visit: Visit,
    Form(form): Form<CsrfForm>,
) -> Response {
    let l = visit.locale;
    let session = match visit.operator_posting(&form.csrf) {
        Ok(session) => session.clone(),
        Err(refused) => return refused,
    };
    let shared = &state.0;
    let ended = async {
        if let Some(hash) = visit.session_id_hash() {
            shared.store.end_operator_session(hash).await?;
        }
        shared
            .store
            .append_audit(
                &crate::store::NewAuditEntry {
                    actor: session.ibm_id.clone(),
                    channel: "console".into(),
                    action: "console.logout".into(),
                    subject: format!("operator:{}", session.ibm_id),
                    detail: format!("remote={}", visit.remote),
                },
                shared.clock.now(),
            )
            .await
    }
    .await;
    if let Err(e) = ended {
        return internal_error(l, &e);
    }
    let mut response = Redirect::to("/console/login?done=logout").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, visit.cookie(SESSION_COOKIE, "", 0));
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupQuery {
    pub token: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub token: String,
    pub password: String,
    pub confirm: String,
    pub csrf: String,
}

/// The password form of a setup link.
pub async fn setup_form(
    State(state): State<ConsoleState>,
    visit: Visit,
    Query(query): Query<SetupQuery>,
) -> Response {
    let l = visit.locale;
    let shared = &state.0;
    match shared
        .store
        .operator_by_setup_token(&token_hash(&query.token), shared.clock.now())
        .await
    {
        Ok(Some(operator)) => {
            setup_page(&visit, StatusCode::OK, &query.token, &operator.ibm_id, None)
        }
        Ok(None) => error_page(l, StatusCode::NOT_FOUND, &t(l, "console-setup-invalid")),
        Err(e) => internal_error(l, &e),
    }
}

fn setup_page(
    visit: &Visit,
    status: StatusCode,
    token: &str,
    ibm_id: &str,
    error: Option<String>,
) -> Response {
    let l = visit.locale;
    let form_token = random_token();
    let body: Markup = html! {
        p { (ta(l, "console-setup-intro", &[("ibm_id", FluentValue::from(ibm_id))])) }
        (problem(error))
        form method="post" action="/console/setup" id="setup" {
            input type="hidden" name="csrf" value=(form_token);
            input type="hidden" name="token" value=(token);
            p {
                label for="password" { (t(l, "console-setup-password")) }
                br;
                input type="password" id="password" name="password" required autocomplete="new-password";
            }
            p {
                label for="confirm" { (t(l, "console-setup-confirm")) }
                br;
                input type="password" id="confirm" name="confirm" required autocomplete="new-password";
            }
            button type="submit" { (t(l, "console-setup-submit")) }
        }
    };
    let mut response = respond(
        status,
        layout(l, &t(l, "console-setup-title"), "", None, body),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        visit.cookie(FORM_COOKIE, &form_token, 3_600),
    );
    response
}

/// Sets the password of a setup link (audited as the operator's) and spends the link.
pub async fn setup(
    State(state): State<ConsoleState>,
    visit: Visit,
    Form(form): Form<SetupForm>,
) -> Response {
    let l: Locale = visit.locale;
    if !visit.form_token_ok(&form.csrf) {
        return forbidden(l);
    }
    let shared = &state.0;
    let now = shared.clock.now();
    let operator = match shared
        .store
        .operator_by_setup_token(&token_hash(&form.token), now)
        .await
    {
        Ok(Some(operator)) => operator,
        Ok(None) => return error_page(l, StatusCode::NOT_FOUND, &t(l, "console-setup-invalid")),
        Err(e) => return internal_error(l, &e),
    };
    if form.password != form.confirm {
        return setup_page(
            &visit,
            StatusCode::BAD_REQUEST,
            &form.token,
            &operator.ibm_id,
            Some(t(l, "console-setup-mismatch")),
        );
    }
    if let Err(refusal) = check_password(&form.password) {
        return setup_page(
            &visit,
            StatusCode::BAD_REQUEST,
            &form.token,
            &operator.ibm_id,
            Some(refusal.render(l)),
        );
    }
    let password = form.password;
    let hashed = tokio::task::spawn_blocking(move || hash_password(&password)).await;
    let hash = match hashed {
        Ok(Ok(hash)) => hash,
        Ok(Err(e)) => return internal_error(l, &format!("{e:?}")),
        Err(e) => return internal_error(l, &e),
    };
    let actor = Actor::new(operator.ibm_id.clone(), "console");
    match shared
        .store
        .set_operator_password(operator.id, &hash, &actor, now)
        .await
    {
        Ok(_) => {
            let mut response = Redirect::to("/console/login?done=setup").into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, visit.cookie(FORM_COOKIE, "", 0));
            response
        }
        Err(e) => internal_error(l, &e),
    }
}
