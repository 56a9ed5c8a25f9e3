//! The web console over plain HTTP against a real `partnerdesk run`: off by default; login with
//! CSRF refusal, cookie flags (HttpOnly, SameSite=Strict, Secure behind a trusted TLS proxy),
//! the login rate limit, setup links, and the audit rows of every action — on SQLite and
//! PostgreSQL.

mod common;

use common::console::{ConsoleDaemon, DEAD_RECIPIENT, OPERATOR, PASSWORD};
use partnerdesk::store::{AuditEntry, AuditQuery};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The `Set-Cookie` header setting `name`.
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// The value of the hidden `csrf` input in a page.
fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').expect("end of value")].to_string()
}

/// GET /console/login: the form's token and its double-submit cookie.
async fn login_form(base: &str, headers: &[(&str, &str)]) -> (String, String, String) {
    let mut request = client().get(format!("{base}/console/login"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("login form");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(response.headers(), "pd_form").expect("form cookie");
    let body = response.text().await.expect("body");
    for field in ["name=\"ibm_id\"", "name=\"password\"", "name=\"csrf\""] {
        assert!(body.contains(field), "login form lacks {field}");
    }
    (csrf_field(&body), cookie_value(&cookie), cookie)
}

/// Logs in; returns the session cookie's value and its whole `Set-Cookie` line.
async fn login(base: &str, ibm_id: &str, password: &str) -> (String, String) {
    let (token, form_cookie, _) = login_form(base, &[]).await;
    let response = client()
        .post(format!("{base}/console/login"))
        .header("cookie", format!("pd_form={form_cookie}"))
        .form(&[("ibm_id", ibm_id), ("password", password), ("csrf", &token)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "login refused");
    let line = set_cookie(response.headers(), "pd_session").expect("session cookie");
    (cookie_value(&line), line)
}

async fn get(base: &str, path: &str, session: &str) -> (StatusCode, String) {
    let response = client()
        .get(format!("{base}{path}"))
        .header("cookie", format!("pd_session={session}"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .expect("get");
    (response.status(), response.text().await.expect("body"))
}

async fn post(base: &str, path: &str, session: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(format!("{base}{path}"))
        .header("cookie", format!("pd_session={session}"))
        .header("accept-language", "en")
        .form(form)
        .send()
        .await
        .expect("post")
}

async fn audit(daemon: &ConsoleDaemon, action: &str) -> Vec<AuditEntry> {
    let store = daemon.store().await;
    let entries = store
        .search_audit(&AuditQuery {
            action: Some(action.into()),
            limit: 100,
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    store.close().await;
    entries
}

#[tokio::test]
async fn the_console_is_off_unless_enabled() {
    let dir = tempfile::tempdir().expect("dir");
    let port = common::net::free_port();
    let mut child = common::partnerdesk_binary()
        .arg("run")
        .env(
            "PARTNERDESK_DATABASE__URL",
            format!("sqlite://{}", dir.path().join("d.db").display()),
        )
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{port}"))
        .env("PARTNERDESK_MAIL__DIR", dir.path().join("mail"))
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("daemon");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Ok(r) = client().get(format!("{base}/healthz")).send().await {
            assert_eq!(r.status(), StatusCode::OK);
            break client()
                .get(format!("{base}/console/login"))
                .send()
                .await
                .expect("console")
                .status();
        }
        assert!(std::time::Instant::now() < deadline, "daemon not up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn login_csrf_cookies_and_audit(backend: &str) {
    let daemon = ConsoleDaemon::start(backend, "").await;
    let base = daemon.base();

    // Not signed in: every page sends to the login form.
    let response = client()
        .get(format!("{base}/console/outbox"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/console/login");

    // The form's cookie: HttpOnly, SameSite=Strict, and not Secure over plain HTTP.
    let (token, form_cookie, line) = login_form(&base, &[]).await;
    assert!(line.contains("HttpOnly"), "{line}");
    assert!(line.contains("SameSite=Strict"), "{line}");
    assert!(!line.contains("Secure"), "{line}");

    // CSRF: a wrong token, or no cookie to match, is refused with 403 and no session.
    for (cookie, csrf) in [
        (format!("pd_form={form_cookie}"), "forged".to_string()),
        (String::new(), token.clone()),
    ] {
        let response = client()
            .post(format!("{base}/console/login"))
            .header("cookie", cookie)
            .form(&[
                ("ibm_id", OPERATOR),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(set_cookie(response.headers(), "pd_session").is_none());
    }

    // A wrong password: 401, audited.
    let response = client()
        .post(format!("{base}/console/login"))
        .header("cookie", format!("pd_form={form_cookie}"))
        .header("accept-language", "en")
        .form(&[
            ("ibm_id", OPERATOR),
            ("password", "not the password"),
            ("csrf", &token),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("The IBM ID or the password is wrong."));
    let failed = audit(&daemon, "console.login-failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].actor, OPERATOR);
    assert_eq!(failed[0].channel, "console");

    // The right password: a session cookie with the flags, and an audited login.
    let (session, line) = login(&base, OPERATOR, PASSWORD).await;
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Strict"),
        "{line}"
    );
    assert!(line.contains("Path=/console"), "{line}");
    assert!(!line.contains("Secure"), "{line}");
    assert_eq!(audit(&daemon, "console.login").await.len(), 1);

    // Pages in the reader's language.
    let (status, page) = get(&base, "/console", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(OPERATOR) && page.contains("Overview"),
        "{page}"
    );
    let ja = client()
        .get(format!("{base}/console/outbox?status=dead"))
        .header("cookie", format!("pd_session={session}"))
        .header("accept-language", "ja-JP,ja;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        ja.contains("送信キュー") && ja.contains(DEAD_RECIPIENT),
        "{ja}"
    );

    // A POST with the wrong CSRF token changes nothing.
    let dead = daemon.seeded.dead_id;
    let (_, page) = get(&base, &format!("/console/outbox/{dead}"), &session).await;
    assert!(page.contains("550 5.1.1 mailbox unavailable"), "{page}");
    let csrf = csrf_field(&page);
    let response = post(
        &base,
        &format!("/console/outbox/{dead}/retry"),
        &session,
        &[("csrf", "nope")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post(
        &base,
        &format!("/console/outbox/{dead}/retry"),
        &session,
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let store = daemon.store().await;
    assert_eq!(
        store
            .outbox_message(dead)
            .await
            .expect("row")
            .expect("message")
            .status,
        "dead"
    );

    // With it, the retry happens and is the operator's in the audit log.
    let response = post(
        &base,
        &format!("/console/outbox/{dead}/retry"),
        &session,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let status = store
        .outbox_message(dead)
        .await
        .expect("row")
        .expect("message")
        .status;
    assert!(status == "pending" || status == "sent", "{status}");
    let retried = audit(&daemon, "outbox.retried").await;
    assert_eq!(retried.len(), 1);
    assert_eq!(
        (retried[0].actor.as_str(), retried[0].channel.as_str()),
        (OPERATOR, "console")
    );
    assert_eq!(retried[0].subject, format!("outbox:{dead}"));

    // Approving the join request goes through the workflow: audited as the operator's.
    let join = daemon.seeded.join_id;
    let response = post(
        &base,
        &format!("/console/approvals/joins/{join}"),
        &session,
        &[
            ("csrf", &csrf),
            ("decision", "approve"),
            ("level", "standard"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let request = store
        .join_request_by_id(join)
        .await
        .expect("row")
        .expect("join");
    assert_eq!(request.status, "approved");
    assert_eq!(request.decided_by.as_deref(), Some(OPERATOR));
    assert_eq!(request.decided_via.as_deref(), Some("console"));
    let approved = audit(&daemon, "join.approved").await;
    assert_eq!(
        (approved[0].actor.as_str(), approved[0].channel.as_str()),
        (OPERATOR, "console")
    );

    // Run a job now: the run is recorded, and audited.
    let (status, confirm) = get(&base, "/console/jobs/retention/run", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Run retention now?"), "{confirm}");
    let response = post(
        &base,
        "/console/jobs/retention/run",
        &session,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("retention: ok"));
    let run = store
        .last_job_run("retention")
        .await
        .expect("run")
        .expect("a run");
    assert_eq!(run.outcome.as_deref(), Some("ok"));
    let ran = audit(&daemon, "job.run").await;
    assert_eq!(
        (ran[0].actor.as_str(), ran[0].subject.as_str()),
        (OPERATOR, "job:retention")
    );

    // Purge: audited with its count.
    let response = post(
        &base,
        "/console/outbox/purge",
        &session,
        &[("csrf", &csrf), ("days", "30")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = post(
        &base,
        "/console/outbox/purge",
        &session,
        &[("csrf", &csrf), ("days", "x")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(audit(&daemon, "outbox.purged").await.len(), 1);

    // The audit page finds the operator's actions.
    let (_, page) = get(
        &base,
        &format!("/console/audit?person={OPERATOR}&action=outbox."),
        &session,
    )
    .await;
    assert!(
        page.contains("outbox.retried") && page.contains("outbox.purged"),
        "{page}"
    );
    assert!(!page.contains("join.approved"), "the action filter holds");
    let company = daemon.seeded.company_id;
    let (_, page) = get(
        &base,
        &format!("/console/audit?company={company}"),
        &session,
    )
    .await;
    assert!(page.contains("join.approved"), "{page}");

    // Every other page renders.
    for path in [
        "/console/jobs",
        "/console/approvals",
        "/console/renewals",
        "/console/questions",
    ] {
        let (status, _) = get(&base, path, &session).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }

    // Sign out: audited, and the session no longer opens pages.
    let response = post(&base, "/console/logout", &session, &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit(&daemon, "console.logout").await.len(), 1);
    let response = client()
        .get(format!("{base}/console"))
        .header("cookie", format!("pd_session={session}"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    store.close().await;
    daemon.finish().await;
}

#[tokio::test]
async fn login_csrf_cookies_and_audit_on_sqlite() {
    login_csrf_cookies_and_audit("sqlite").await;
}

#[tokio::test]
async fn login_csrf_cookies_and_audit_on_postgres() {
    login_csrf_cookies_and_audit("postgres").await;
}

#[tokio::test]
async fn the_cookie_is_secure_behind_a_trusted_tls_proxy_only() {
    // 127.0.0.1 is a trusted proxy by default: its X-Forwarded-Proto counts.
    let daemon = ConsoleDaemon::start("sqlite", "").await;
    let (_, _, line) = login_form(&daemon.base(), &[("x-forwarded-proto", "https")]).await;
    assert!(line.contains("; Secure"), "{line}");
    let (_, _, line) = login_form(&daemon.base(), &[("x-forwarded-proto", "http")]).await;
    assert!(!line.contains("Secure"), "{line}");
    daemon.finish().await;

    // Not from a trusted proxy: the header is ignored.
    let daemon = ConsoleDaemon::start("sqlite", "trusted_proxies = [\"10.9.9.9\"]").await;
    let (_, _, line) = login_form(&daemon.base(), &[("x-forwarded-proto", "https")]).await;
    assert!(!line.contains("Secure"), "{line}");
    daemon.finish().await;

    // Or always, by configuration.
    let daemon = ConsoleDaemon::start("sqlite", "secure_cookies = true").await;
    let (_, _, line) = login_form(&daemon.base(), &[]).await;
    assert!(line.contains("; Secure"), "{line}");
    daemon.finish().await;
}

#[tokio::test]
async fn failed_logins_are_rate_limited_and_audited() {
    let daemon = ConsoleDaemon::start("sqlite", "login_max_failures = 3").await;
    let base = daemon.base();
    let (token, form_cookie, _) = login_form(&base, &[]).await;
    let attempt = |password: &'static str| {
        client()
            .post(format!("{base}/console/login"))
            .header("cookie", format!("pd_form={form_cookie}"))
            .header("accept-language", "en")
            .form(&[
                ("ibm_id", OPERATOR),
                ("password", password),
                ("csrf", &token),
            ])
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("wrong password").await.expect("post").status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password is refused until the window has passed.
    let refused = attempt(PASSWORD).await.expect("post");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(refused.headers(), "pd_session").is_none());
    assert!(refused
        .text()
        .await
        .expect("body")
        .contains("Too many failed sign-ins"));
    assert_eq!(audit(&daemon, "console.login-failed").await.len(), 3);
    let limited = audit(&daemon, "console.login-limited").await;
    assert_eq!(limited.len(), 1);
    assert!(
        limited[0].detail.contains("remote=127.0.0.1"),
        "{:?}",
        limited[0]
    );
    assert!(audit(&daemon, "console.login").await.is_empty());
    daemon.finish().await;
}

#[tokio::test]
async fn a_setup_link_sets_the_password_once() {
    let daemon = ConsoleDaemon::start("sqlite", "").await;
    let base = daemon.base();
    let out = daemon.add_operator_with_link("second@example.com");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Operator second@example.com added."),
        "{stdout}"
    );
    let link = stdout
        .lines()
        .find(|l| l.contains("/console/setup?token="))
        .expect("a setup link")
        .trim()
        .to_string();
    assert!(
        link.starts_with(&format!("{base}/console/setup?token=")),
        "{link}"
    );
    let token = link.rsplit('=').next().expect("token").to_string();

    let response = client()
        .get(&link)
        .header("accept-language", "en")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    let form_cookie = cookie_value(&set_cookie(response.headers(), "pd_form").expect("cookie"));
    let page = response.text().await.expect("body");
    assert!(page.contains("second@example.com"), "{page}");
    let csrf = csrf_field(&page);
    let submit = |password: &'static str, confirm: &'static str| {
        client()
            .post(format!("{base}/console/setup"))
            .header("cookie", format!("pd_form={form_cookie}"))
            .header("accept-language", "en")
            .form(&[
                ("token", token.as_str()),
                ("password", password),
                ("confirm", confirm),
                ("csrf", &csrf),
            ])
            .send()
    };
    let short = submit("short", "short").await.expect("post");
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    assert!(short
        .text()
        .await
        .expect("body")
        .contains("at least 12 characters"));
    assert_eq!(
        submit("a long password 1", "a long password 2")
            .await
            .expect("post")
            .status(),
        StatusCode::BAD_REQUEST
    );
    let done = submit("a long password 1", "a long password 1")
        .await
        .expect("post");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()[LOCATION], "/console/login?done=setup");
    // Spent: the link works no more.
    assert_eq!(
        client().get(&link).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
    let set = audit(&daemon, "operator.password-set").await;
    assert_eq!(
        (set[0].actor.as_str(), set[0].channel.as_str()),
        ("second@example.com", "console")
    );
    login(&base, "second@example.com", "a long password 1").await;
    daemon.finish().await;
}

#[tokio::test]
async fn the_questions_page_reads_the_desk_log_once_there_is_one() {
    let daemon = ConsoleDaemon::start("sqlite", "").await;
    let base = daemon.base();
    let (session, _) = login(&base, OPERATOR, PASSWORD).await;
    let (status, page) = get(&base, "/console/questions", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"questions-none\""), "{page}");

    // Questions in the desk's log (migration 0006), as the desk records them.
    let config = partnerdesk::config::Config::load(Some(&daemon.config_path), std::iter::empty())
        .expect("config");
    let path = config
        .database
        .url
        .trim_start_matches("sqlite://")
        .to_string();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{path}"))
        .await
        .expect("pool");
    for sql in [
        "INSERT INTO desk_questions (asked_at, conversation_key, lang, topics, confidence, \
         outcome, question, feedback) VALUES \
         ($1, 'c1', 'ja', '', 0.1, 'unknown', '駐車場はありますか', NULL), \
         ($1, 'c2', 'en', 'hours', 0.9, 'answered', NULL, NULL), \
         ($1, 'c3', 'en', 'payment', 0.9, 'answered', 'who do I pay', 'down')",
    ] {
        sqlx::query(sql)
            .bind(chrono::Utc::now() - chrono::Duration::hours(1))
            .execute(&pool)
            .await
            .expect("desk log");
    }
    pool.close().await;
    let (status, page) = get(&base, "/console/questions", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("questions-none"), "{page}");
    assert!(
        page.contains("駐車場はありますか") && page.contains("who do I pay"),
        "{page}"
    );
    assert_eq!(
        page.matches("<tr data-outcome=").count(),
        2,
        "the answered one is left out"
    );
    daemon.finish().await;
}
