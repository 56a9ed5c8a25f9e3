//! The console's page frame and shared pieces: the layout with its navigation and sign-out
//! form, notices, the security headers every response carries (no scripts, no framing, no
//! caching), times in the calendar's zone, and the error pages.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{html, Markup, DOCTYPE};

use super::lang::t;
use crate::i18n::Locale;

/// The sections of the navigation: path, message id.
pub const SECTIONS: &[(&str, &str)] = &[
    ("/console", "console-nav-overview"),
    ("/console/outbox", "console-nav-outbox"),
    ("/console/jobs", "console-nav-jobs"),
    ("/console/approvals", "console-nav-approvals"),
    ("/console/renewals", "console-nav-renewals"),
    ("/console/questions", "console-nav-questions"),
    ("/console/audit", "console-nav-audit"),
];

const STYLE: &str = "
body{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
header{background:#0f3d68;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;padding:.2rem .5rem;border-radius:4px}
header a.active{background:#1f6fb5}
header .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
main{padding:1rem 1.5rem;max-width:1200px}
table{border-collapse:collapse;background:#fff;margin:.5rem 0 1rem}
th,td{border:1px solid #d7dbe0;padding:.3rem .6rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#eef1f5}
td.num{text-align:right}
.notice{background:#e6f4ea;border:1px solid #9bd0a8;padding:.5rem 1rem;margin:.5rem 0}
.error{background:#fdecea;border:1px solid #f1a7a0;padding:.5rem 1rem;margin:.5rem 0}
.muted{color:#666}
.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{background:#fff;border:1px solid #d7dbe0;padding:.6rem 1rem;min-width:14rem}
form.inline{display:inline}
pre{white-space:pre-wrap;background:#fff;border:1px solid #d7dbe0;padding:.5rem}
button{cursor:pointer}
";

/// Who is signed in, for the header: their IBM ID and the CSRF token of the sign-out form.
pub struct Signed<'a> {
    pub ibm_id: &'a str,
    pub csrf: &'a str,
}

/// A whole page: title, navigation (with `active` marked), the signed-in operator, body.
pub fn layout(
    locale: Locale,
    title: &str,
    active: &str,
    signed: Option<Signed<'_>>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(locale.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t(locale, "console-product")) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    strong { (t(locale, "console-product")) }
                    @if let Some(signed) = &signed {
                        nav {
                            @for (path, id) in SECTIONS {
                                a href=(path) class=@if *path == active { "active" } { (t(locale, id)) }
                            }
                        }
                        div.who {
                            span id="operator" { (signed.ibm_id) }
                            form.inline method="post" action="/console/logout" {
                                input type="hidden" name="csrf" value=(signed.csrf);
                                button type="submit" id="logout" { (t(locale, "console-logout")) }
                            }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page response with the console's headers.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

pub fn ok(markup: Markup) -> Response {
    respond(StatusCode::OK, markup)
}

/// A plain error page (no navigation: the visitor may not be signed in).
pub fn error_page(locale: Locale, status: StatusCode, message: &str) -> Response {
    respond(
        status,
        layout(
            locale,
            &t(locale, "console-error-title"),
            "",
            None,
            html! {
                p.error id="error" { (message) }
                p { a href="/console" { (t(locale, "console-back")) } }
            },
        ),
    )
}

/// 403 for a POST without the right CSRF token.
pub fn forbidden(locale: Locale) -> Response {
    error_page(
        locale,
        StatusCode::FORBIDDEN,
        &t(locale, "console-csrf-refused"),
    )
}

/// 500, logged; the page says only that something went wrong.
pub fn internal_error(locale: Locale, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %error, "console request failed");
    error_page(
        locale,
        StatusCode::INTERNAL_SERVER_ERROR,
        &t(locale, "console-internal-error"),
    )
}

pub fn not_found(locale: Locale) -> Response {
    error_page(
        locale,
        StatusCode::NOT_FOUND,
        &t(locale, "console-not-found"),
    )
}

/// An instant in `zone`, to the minute, with the zone's abbreviation.
pub fn when(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// An optional instant, or a dash.
pub fn when_opt(at: Option<DateTime<Utc>>, zone: Tz) -> String {
    at.map(|at| when(at, zone)).unwrap_or_else(|| "—".into())
}

/// A notice box when `message` is set.
pub fn notice(message: Option<String>) -> Markup {
    html! {
        @if let Some(message) = message {
            p.notice id="notice" { (message) }
        }
    }
}

/// An error box when `message` is set.
pub fn problem(message: Option<String>) -> Markup {
    html! {
        @if let Some(message) = message {
            p.error id="error" { (message) }
        }
    }
}
