//! Who is asking, and may they: the `Visit` every handler extracts (language, client address,
//! whether the connection is TLS, cookies, the operator's session), the cookies the console
//! sets (`HttpOnly`, `SameSite=Strict`, `Path=/console`, `Secure` behind TLS), and the CSRF
//! checks (the session's token on every POST; a double-submit cookie on the login and setup
//! forms, which come before a session).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use super::lang::from_accept_language;
use super::state::ConsoleState;
use crate::i18n::Locale;
use crate::store::{Actor, OperatorSession};
use crate::workflows::operators::token_hash;

/// The session cookie: a random id whose SHA-256 is the session's key.
pub const SESSION_COOKIE: &str = "pd_session";
/// The double-submit CSRF cookie of the login and setup forms.
pub const FORM_COOKIE: &str = "pd_form";

/// One request as the console sees it.
pub struct Visit {
    pub locale: Locale,
    /// The client's address: the peer, or a trusted proxy's `X-Forwarded-For`.
    pub remote: String,
    /// Whether the browser reached us over TLS (or the configuration says it always does).
    pub secure: bool,
    pub cookies: HashMap<String, String>,
    pub session: Option<OperatorSession>,
    session_id_hash: Option<String>,
}

impl FromRequestParts<ConsoleState> for Visit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConsoleState,
    ) -> Result<Self, Self::Rejection> {
        let shared = &state.0;
        let headers = &parts.headers;
        let locale = from_accept_language(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
            shared.default_locale,
        );
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let from_proxy = peer.is_some_and(|ip| shared.trusted_proxies.contains(&ip));
        let remote = client_address(headers, peer, from_proxy, &shared.trusted_proxies);
        let forwarded_tls = from_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        let secure = shared.settings.secure_cookies || forwarded_tls;
        let cookies = parse_cookies(headers);
        let session_id_hash = cookies.get(SESSION_COOKIE).map(|id| token_hash(id));
        let session = match &session_id_hash {
            Some(hash) => shared
                .store
                .operator_session(hash, shared.clock.now())
                .await
                .map_err(|e| super::page::internal_error(locale, &e))?,
            None => None,
        };
        Ok(Self {
            locale,
            remote,
            secure,
            cookies,
            session,
            session_id_hash,
        })
    }
}

impl Visit {
    /// The signed-in operator, or a redirect to the login form. (The error is the response a
    /// handler returns at once, so it is not boxed.)
    #[allow(clippy::result_large_err)]
    pub fn operator(&self) -> Result<&OperatorSession, Response> {
        self.session
            .as_ref()
            .ok_or_else(|| Redirect::to("/console/login").into_response())
    }

    /// The operator as the audit log names them: their IBM ID, through the console.
    pub fn actor(&self) -> Option<Actor> {
        self.session
            .as_ref()
            .map(|s| Actor::new(s.ibm_id.clone(), "console"))
    }

    /// The signed-in operator, provided `token` is their session's CSRF token; else a redirect
    /// to the login form, or 403.
    #[allow(clippy::result_large_err)]
    pub fn operator_posting(&self, token: &str) -> Result<&OperatorSession, Response> {
        let session = self.operator()?;
        if same(token, &session.csrf_token) {
            Ok(session)
        } else {
            Err(super::page::forbidden(self.locale))
        }
    }

    /// Whether a login or setup form's token matches its double-submit cookie.
    pub fn form_token_ok(&self, token: &str) -> bool {
        self.cookies
            .get(FORM_COOKIE)
            .is_some_and(|cookie| !cookie.is_empty() && same(token, cookie))
    }

    pub fn session_id_hash(&self) -> Option<&str> {
        self.session_id_hash.as_deref()
    }

    /// A `Set-Cookie` value for the console: `HttpOnly; SameSite=Strict; Path=/console`, and
    /// `Secure` behind TLS. `max_age` 0 deletes it.
    pub fn cookie(&self, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let text = format!(
            "{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
        );
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The client: the right-most `X-Forwarded-For` entry that is not one of our proxies when the
/// peer is a trusted proxy, else the peer itself.
fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    from_proxy: bool,
    trusted: &[IpAddr],
) -> String {
    if from_proxy {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
            .rfind(|ip| !trusted.contains(ip));
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    peer.map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn parse_cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.7, 203.0.113.9, 127.0.0.1"),
        );
        let proxy: IpAddr = "127.0.0.1".parse().expect("ip");
        assert_eq!(
            client_address(&headers, Some(proxy), true, &[proxy]),
            "203.0.113.9"
        );
        assert_eq!(
            client_address(&headers, Some(proxy), false, &[]),
            "127.0.0.1"
        );
    }

    #[test]
    fn cookies_parse_from_every_header() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; pd_session=xyz"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        let cookies = parse_cookies(&headers);
        assert_eq!(cookies.get("pd_session").map(String::as_str), Some("xyz"));
        assert_eq!(cookies.get("b").map(String::as_str), Some("2"));
    }
}
