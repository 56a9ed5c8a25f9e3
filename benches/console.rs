//! The web console's page times with 1,000,000 contracts on SQLite (target: every page under
//! 50 ms). Seeds a fresh SQLite file — 1,000,000 contracts over three years and 300 reps,
//! 200,000 outbox messages, 200,000 audit entries, job runs, pending join requests — serves the
//! console in-process on a loopback port, and times each page over HTTP with a signed-in
//! session: median, p95 and max of 30 requests after 3 warm-ups.
//!
//! `cargo bench --bench console` (`-- N` for another contract count).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use partnerdesk::clock::SystemClock;
use partnerdesk::config::Config;
use partnerdesk::console::{router, ConsoleState};
use partnerdesk::store::{Actor, NewOperatorSession, OperatorCredential};
use partnerdesk::workflows::operators::{hash_password, token_hash};

const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let contracts: i64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let over = runtime.block_on(run(contracts));
    if over > 0 {
        eprintln!("{over} page(s) over the {TARGET:?} target at p95");
        std::process::exit(1);
    }
}

async fn run(contracts: i64) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}", dir.path().join("bench.db").display());
    config.console.enabled = true;
    partnerdesk::store::migrate(&config).await.expect("migrate");
    let started = Instant::now();
    seed(&config, contracts).await;
    println!(
        "seeded {contracts} contracts, 200,000 outbox messages, 200,000 audit entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store = partnerdesk::store::open(&config).await.expect("open");
    let now = Utc::now();
    let admin = Actor::new("operator:bench", "cli");
    let hash = hash_password("bench password 123").expect("hash");
    let (operator, _) = store
        .add_operator(
            "bench@example.com",
            &OperatorCredential::PasswordHash(hash),
            &admin,
            now,
        )
        .await
        .expect("operator");
    let session = "benchsessionbenchsessionbenchses";
    store
        .create_operator_session(
            &NewOperatorSession {
                id_hash: token_hash(session),
                operator_id: operator.id,
                csrf_token: "csrf".into(),
                remote: "127.0.0.1".into(),
                expires_at: now + chrono::Duration::hours(1),
            },
            now,
        )
        .await
        .expect("session");

    let state = ConsoleState::new(
        &config,
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(tokio::sync::Notify::new()),
    )
    .expect("console state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let pages = [
        "/console",
        "/console/outbox",
        "/console/outbox?status=dead",
        "/console/outbox?recipient=person17@example.com",
        "/console/outbox/100000",
        "/console/jobs",
        "/console/approvals",
        "/console/renewals",
        "/console/renewals?weeks=13",
        "/console/renewals?rep=rep7@example.com",
        "/console/audit",
        "/console/audit?person=person17@example.com",
        "/console/audit?company=42",
        "/console/audit?action=join.",
        "/console/questions",
    ];
    println!("| page | median | p95 | max |");
    println!("|---|---|---|---|");
    let mut over = 0;
    for page in pages {
        let mut times = Vec::new();
        for i in 0..33 {
            let start = Instant::now();
            let response = client
                .get(format!("http://{addr}{page}"))
                .header("cookie", format!("pd_session={session}"))
                .header("accept-language", "ja")
                .send()
                .await
                .expect("request");
            let status = response.status();
            let body = response.bytes().await.expect("body");
            let took = start.elapsed();
            assert!(status.is_success(), "{page}: {status}");
            assert!(!body.is_empty());
            if i >= 3 {
                times.push(took);
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        let p95 = times[times.len() * 95 / 100];
        let max = times[times.len() - 1];
        if p95 > TARGET {
            over += 1;
        }
        println!(
            "| `{page}` | {:.1} ms | {:.1} ms | {:.1} ms |",
            ms(median),
            ms(p95),
            ms(max)
        );
    }
    store.close().await;
    over
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Bulk rows straight in SQL (generated series), so seeding a million takes seconds.
async fn seed(config: &Config, contracts: i64) {
    use sqlx::Connection;
    let path = config.database.url.trim_start_matches("sqlite://");
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
        .await
        .expect("connect");
    let at = Utc::now().to_rfc3339();
    let statements = [
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last}) \
             INSERT INTO contracts (id, company, product, renewal_date, sales_rep_email, \
             sales_rep_name, sales_rep_lang, sales_rep_tz, status, updated_at) \
             SELECT 'C' || i, 'Company ' || (i % 20000), 'Aspera', \
             date('2026-01-01', '+' || (i % 1095) || ' days'), 'rep' || (i % 300) || '@example.com', \
             'Rep ' || (i % 300), 'ja', 'Asia/Tokyo', \
             CASE i % 10 WHEN 8 THEN 'quoted' WHEN 9 THEN 'renewed' ELSE 'open' END, '{at}' FROM n",
            last = contracts - 1
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999) \
             INSERT INTO outbox (channel, recipient, subject, body_text, locale, dedupe_key, status, \
             attempts, next_attempt_at, last_error, created_at, sent_at) \
             SELECT 'email', 'person' || (i % 5000) || '@example.com', 'Subject ' || i, 'Body', 'ja', \
             'bench:' || i, CASE WHEN i % 100 = 0 THEN 'dead' WHEN i % 50 = 1 THEN 'pending' ELSE 'sent' END, \
             1, '{at}', CASE WHEN i % 100 = 0 THEN '550 no such user' END, '{at}', \
             CASE WHEN i % 100 > 1 THEN '{at}' END FROM n"
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999) \
             INSERT INTO audit_log (at, actor, channel, action, subject, detail) \
             SELECT '{at}', 'person' || (i % 5000) || '@example.com', 'discord', \
             CASE i % 4 WHEN 0 THEN 'join.approved' WHEN 1 THEN 'token.entered' WHEN 2 THEN 'role.granted' ELSE 'registration.moved' END, \
             'join:' || i, 'person:person' || (i % 5000) || '@example.com company:' || (i % 2000) FROM n"
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999) \
             INSERT INTO job_runs (job, scheduled_for, claimed_by, started_at, finished_at, outcome, detail) \
             SELECT CASE i % 3 WHEN 0 THEN 'renewal-sweep' WHEN 1 THEN 'review-mail' ELSE 'retention' END, \
             strftime('%Y-%m-%dT%H:%M:%S+00:00', '2026-01-01', '+' || i || ' hours'), 'bench', '{at}', '{at}', 'ok', '{{}}' FROM n"
        ),
        "ANALYZE".to_string(),
    ];
    for sql in statements {
        sqlx::query(&sql).execute(&mut db).await.expect("seed");
    }
    db.close().await.expect("close");
}
