//! The fault harness for the running daemon (the real binary): kill -9 again and again during
//! dispatch on both backends, a replica killed while it holds leases, PostgreSQL cut and
//! restored under a sending daemon, and SIGTERM while the mail server is slow. What holds:
//! nothing is lost, a repeat only follows a crash or a lost reply and carries the same
//! Message-ID, a killed replica's mail is taken over within a lease, and a stop hands every
//! unsent message back at once.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::net::{CuttableProxy, SmtpSink};
use common::smtp_server::{message_ids, EndOfData, ScriptedSmtp};
use partnerdesk::config::Config;
use partnerdesk::notify::outbox::MAX_UNMARKED;
use partnerdesk::store::{self, Channel, NewOutboxMessage, OutboxStatus, Store};

fn message(key: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: "rep@example.com".into(),
        subject: format!("faults {key}"),
        body_text: "本文".into(),
        body_html: None,
        payload: None,
        locale: "ja".into(),
        dedupe_key: key.into(),
        not_before: Utc::now() - chrono::Duration::seconds(1),
    }
}

/// Writes `total` due messages (`key-0` …) and closes the store.
async fn enqueue(database_url: &str, prefix: &str, total: usize) -> Config {
    let config = common::config_for(database_url);
    store::migrate(&config).await.expect("migrate");
    let store = store::open(&config).await.expect("open");
    let messages: Vec<NewOutboxMessage> = (0..total)
        .map(|i| message(&format!("{prefix}-{i}")))
        .collect();
    store
        .enqueue_many(&messages, Utc::now())
        .await
        .expect("enqueue");
    store.close().await;
    config
}

fn spawn_daemon(dir: &Path, log: &str, env: &[(&str, String)]) -> Child {
    let mut cmd = common::partnerdesk_binary();
    // The log goes to a file: an undrained pipe would fill up and block the daemon's writes.
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(log))
        .expect("log file");
    cmd.current_dir(dir)
        .arg("run")
        .env("PARTNERDESK_HTTP__ENABLED", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn daemon")
}

fn kill_9(daemon: &mut Child) {
    daemon.kill().expect("kill -9");
    daemon.wait().expect("reap");
}

/// SIGTERM, then the exit status, which must come within 5 seconds.
fn sigterm(daemon: &mut Child) -> (ExitStatus, Duration) {
    let sent = Instant::now();
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .expect("kill");
    loop {
        if let Some(status) = daemon.try_wait().expect("try_wait") {
            return (status, sent.elapsed());
        }
        if sent.elapsed() > Duration::from_secs(5) {
            kill_9(daemon);
            panic!("the daemon did not exit within 5 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn pending(store: &Arc<dyn Store>) -> usize {
    store
        .outbox_messages(Some(OutboxStatus::Pending), 1_000_000)
        .await
        .expect("list")
        .len()
}

/// Waits until no message is pending; returns how long that took.
async fn wait_drained(store: &Arc<dyn Store>, within: Duration, what: &str) -> Duration {
    let start = Instant::now();
    while pending(store).await > 0 {
        assert!(
            start.elapsed() < within,
            "{what}: not drained in {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start.elapsed()
}

/// How often each Message-ID arrived.
fn arrivals(ids: &[String]) -> HashMap<&str, usize> {
    let mut seen = HashMap::new();
    for id in ids {
        *seen.entry(id.as_str()).or_insert(0) += 1;
    }
    seen
}

/// The message ids smtp-sink dumped.
fn sink_ids(sink: &SmtpSink) -> Vec<String> {
    message_ids(&sink.messages())
}

/// Five kills with -9 while the daemon sends `TOTAL` mails through smtp-sink, a restart after
/// each, then a last run to the end. Every message arrives; the repeats per kill stay within
/// what one crash can leave unmarked: the sends in flight plus at most `MAX_UNMARKED`
/// completed sends awaiting their mark.
async fn kill_9_repeatedly(database_url: &str) {
    const TOTAL: usize = 3_000;
    const KILLS: usize = 5;
    /// Per kill: the completed sends awaiting their mark (at most `MAX_UNMARKED`) plus the
    /// sends in flight (`outbox.concurrency`, 4).
    const REPEATS_PER_KILL: usize = MAX_UNMARKED + 4;
    let sink = SmtpSink::start(&[]);
    let config = enqueue(database_url, "kill", TOTAL).await;
    let env = [
        ("PARTNERDESK_DATABASE__URL", database_url.to_string()),
        ("PARTNERDESK_MAIL__TRANSPORT", "smtp".into()),
        (
            "PARTNERDESK_MAIL__SMTP_URL",
            format!("smtp://127.0.0.1:{}", sink.port),
        ),
        // Short leases, so each restart takes the killed daemon's messages over quickly (the
        // configuration asks for a lease no shorter than the SMTP command timeout).
        ("PARTNERDESK_OUTBOX__LEASE_SECS", "2".into()),
        ("PARTNERDESK_MAIL__TIMEOUT_SECS", "2".into()),
    ];
    let dir = tempfile::tempdir().expect("dir");
    for kill in 0..KILLS {
        let before = sink.count();
        let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
        let deadline = Instant::now() + Duration::from_secs(60);
        while sink.count() < before + TOTAL / (2 * KILLS) {
            assert!(Instant::now() < deadline, "kill {kill}: delivery stalled");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        kill_9(&mut daemon);
        assert!(sink.count() < TOTAL, "kill {kill} came after the end");
    }
    let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
    let store = store::open(&config).await.expect("reopen");
    wait_drained(&store, Duration::from_secs(60), "after the kills").await;
    let (status, _) = sigterm(&mut daemon);
    assert!(status.success(), "{status}");
    store.close().await;

    let ids = sink_ids(&sink);
    let seen = arrivals(&ids);
    assert_eq!(seen.len(), TOTAL, "lost: {}", TOTAL - seen.len());
    let repeats = ids.len() - TOTAL;
    let backend = database_url.split(':').next().unwrap_or_default();
    eprintln!("kill -9 ×{KILLS} ({backend}): {TOTAL} mails, 0 lost, {repeats} repeats");
    assert!(
        repeats <= KILLS * REPEATS_PER_KILL,
        "{repeats} repeats after {KILLS} kills"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_five_times_during_dispatch_loses_nothing_sqlite() {
    let (url, _dir) = common::sqlite_url();
    kill_9_repeatedly(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_five_times_during_dispatch_loses_nothing_postgres() {
    let url = common::fresh_postgres_url("kill9").await;
    kill_9_repeatedly(&url).await;
    common::drop_postgres(&url).await;
}

/// Replica A leases every message and sends slowly; replica B runs beside it with nothing to
/// do. A is killed with -9; B takes A's messages over when A's lease (the default, renewed
/// by A's heartbeat until it died) ends: within 20 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_replicas_leases_are_taken_over_within_20_seconds() {
    const TOTAL: usize = 200;
    let url = common::fresh_postgres_url("takeover").await;
    let server = ScriptedSmtp::start().await;
    server.set_default(EndOfData::Stall(Duration::from_secs(2)));
    let config = enqueue(&url, "takeover", TOTAL).await;
    let env = [
        ("PARTNERDESK_DATABASE__URL", url.clone()),
        ("PARTNERDESK_MAIL__TRANSPORT", "smtp".into()),
        ("PARTNERDESK_MAIL__SMTP_URL", server.url()),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let mut a = spawn_daemon(dir.path(), "a.log", &env);
    let pool = sqlx::PgPool::connect(&url).await.expect("pool");
    let leased = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL",
        )
        .fetch_one(&pool)
        .await
        .expect("count")
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while leased().await < TOTAL as i64 - 8 || server.received_count() == 0 {
        assert!(Instant::now() < deadline, "A did not lease the batch");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut b = spawn_daemon(dir.path(), "b.log", &env);
    // Long enough for A's heartbeat to renew its leases at least once with B running.
    tokio::time::sleep(Duration::from_secs(6)).await;
    server.set_default(EndOfData::Accept);
    kill_9(&mut a);
    let store = store::open(&config).await.expect("open");
    let took = wait_drained(&store, Duration::from_secs(40), "takeover").await;
    eprintln!("takeover: A's leased mail sent by B {took:?} after kill -9");
    assert!(took < Duration::from_secs(20), "taken over after {took:?}");
    let (status, _) = sigterm(&mut b);
    assert!(status.success(), "{status}");
    let ids = message_ids(&server.accepted());
    let seen = arrivals(&ids);
    assert_eq!(seen.len(), TOTAL, "nothing lost");
    // Only what A had in flight (4, which this server still accepts after its stall) and
    // what it had been answered but not yet marked (at most 4 more) can arrive twice.
    let repeats = ids.len() - TOTAL;
    eprintln!("takeover: {repeats} repeats");
    assert!(repeats <= 8, "{repeats} repeats");
    store.close().await;
    pool.close().await;
    common::drop_postgres(&url).await;
}

/// PostgreSQL is cut (through a TCP proxy) for 5 s while the daemon sends, then restored:
/// nothing is lost, and the rest is sent soon after the database is back (leases of the
/// batch cut mid-way end within one short lease).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cut_during_dispatch_loses_nothing_and_drains_soon_after_restore() {
    const TOTAL: usize = 3_000;
    let url = common::fresh_postgres_url("cut").await;
    let database = url.rsplit('/').next().expect("db name").to_string();
    let sink = SmtpSink::start(&[]);
    let config = enqueue(&url, "cut", TOTAL).await;
    let mut proxy = CuttableProxy::start(5432).await;
    let env = [
        (
            "PARTNERDESK_DATABASE__URL",
            format!("postgres://postgres@127.0.0.1:{}/{database}", proxy.port),
        ),
        ("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "1000".into()),
        ("PARTNERDESK_MAIL__TRANSPORT", "smtp".into()),
        (
            "PARTNERDESK_MAIL__SMTP_URL",
            format!("smtp://127.0.0.1:{}", sink.port),
        ),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.count() < TOTAL / 5 {
        assert!(Instant::now() < deadline, "delivery did not start");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    proxy.cut();
    tokio::time::sleep(Duration::from_secs(5)).await;
    proxy.restore().await;
    let store = store::open(&config).await.expect("open");
    let took = wait_drained(&store, Duration::from_secs(45), "after the cut").await;
    eprintln!("PostgreSQL cut 5 s: drained {took:?} after restore");
    let (status, _) = sigterm(&mut daemon);
    assert!(status.success(), "{status}");
    assert!(daemon.try_wait().is_ok());
    let ids = sink_ids(&sink);
    let seen = arrivals(&ids);
    assert_eq!(seen.len(), TOTAL, "nothing lost");
    eprintln!("PostgreSQL cut 5 s: {} repeats", ids.len() - TOTAL);
    // The lease (15 s by default) bounds the wait for the batch cut mid-way.
    assert!(took < Duration::from_secs(30), "drained after {took:?}");
    store.close().await;
    common::drop_postgres(&url).await;
}

/// SIGTERM while the mail server takes 20 s to answer each message: the daemon exits 0 within
/// 5 s, every message it had not started is handed back at once (only the sends in flight
/// stay leased), and the next start sends the rest without waiting for any lease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_against_a_slow_server_exits_in_time_and_hands_the_unsent_back() {
    const TOTAL: usize = 100;
    let (url, _db_dir) = common::sqlite_url();
    let server = ScriptedSmtp::start().await;
    server.set_default(EndOfData::Stall(Duration::from_secs(20)));
    let config = enqueue(&url, "slow", TOTAL).await;
    let env = [
        ("PARTNERDESK_DATABASE__URL", url.clone()),
        ("PARTNERDESK_MAIL__TRANSPORT", "smtp".into()),
        ("PARTNERDESK_MAIL__SMTP_URL", server.url()),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.received_count() < 4 {
        assert!(Instant::now() < deadline, "sending did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, took) = sigterm(&mut daemon);
    assert!(status.success(), "{status}");
    eprintln!("SIGTERM against a slow server: exit 0 after {took:?}");

    let pool = sqlx::SqlitePool::connect(&url).await.expect("pool");
    let still_leased: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    pool.close().await;
    assert!(
        still_leased <= 4,
        "only the {} sends in flight stay leased, not {still_leased}",
        4
    );

    server.set_default(EndOfData::Accept);
    let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
    let store = store::open(&config).await.expect("open");
    let start = Instant::now();
    // The handed-back messages go at once; the 4 in flight wait for their lease (15 s).
    while pending(&store).await > still_leased as usize {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the handed-back messages were not sent at once"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_drained(&store, Duration::from_secs(30), "after the restart").await;
    let (status, _) = sigterm(&mut daemon);
    assert!(status.success(), "{status}");
    let seen = message_ids(&server.accepted());
    assert_eq!(arrivals(&seen).len(), TOTAL, "nothing lost");
    store.close().await;
}

fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Some((status, body))
}

/// Waits until `path` answers `want` and its body satisfies `check`; returns the body.
async fn wait_http(port: u16, path: &str, want: u16, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = tokio::task::spawn_blocking({
            let path = path.to_string();
            move || http_get(port, &path)
        })
        .await
        .expect("join");
        if let Some((status, body)) = &got {
            if *status == want && check(body) {
                return body.clone();
            }
        }
        assert!(
            Instant::now() < deadline,
            "{path} did not become {want} (last {got:?})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A job that keeps failing (its table is gone) is caught at every fire: each fire is recorded
/// `error` with the reason, counted in /metrics, and after 3 in a row /readyz answers 503
/// naming the job; the scheduler keeps running it, and once it works again /readyz is 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_is_recorded_counted_and_shown_by_readyz_and_runs_again() {
    let (url, _db_dir) = common::sqlite_url();
    let config = enqueue(&url, "unused", 0).await;
    let pool = sqlx::SqlitePool::connect(&url).await.expect("pool");
    sqlx::query("DROP TABLE chat_event_claims")
        .execute(&pool)
        .await
        .expect("drop");
    let http = common::net::free_port();
    let env = [
        ("PARTNERDESK_DATABASE__URL", url.clone()),
        ("PARTNERDESK_HTTP__ENABLED", "true".into()),
        ("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{http}")),
        (
            "PARTNERDESK_JOBS__RETENTION__SCHEDULE",
            "* * * * * *".into(),
        ),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let mut daemon = spawn_daemon(dir.path(), "daemon.log", &env);
    let reason = wait_http(http, "/readyz", 503, |b| b.contains("job retention failed")).await;
    assert!(reason.contains("chat_event_claims"), "{reason}");
    let metrics = wait_http(http, "/metrics", 200, |b| {
        b.contains("partnerdesk_job_failures_total{job=\"retention\"}")
    })
    .await;
    assert!(
        metrics.contains("partnerdesk_ready{backend=\"sqlite\"} 0"),
        "{metrics}"
    );
    let errors: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM job_runs WHERE job = 'retention' AND outcome = 'error'",
    )
    .fetch_all(&pool)
    .await
    .expect("runs");
    assert!(errors.len() >= 3, "{errors:?}");
    assert!(errors[0].contains("chat_event_claims"), "{errors:?}");

    // The table is back: the next fire runs, and the daemon is ready again.
    sqlx::query(
        "CREATE TABLE chat_event_claims (event_id TEXT PRIMARY KEY, claimed_by TEXT NOT NULL, \
         claimed_at TEXT NOT NULL)",
    )
    .execute(&pool)
    .await
    .expect("create");
    wait_http(http, "/readyz", 200, |_| true).await;
    let metrics = wait_http(http, "/metrics", 200, |_| true).await;
    assert!(
        metrics.contains("partnerdesk_job_failing_in_a_row{job=\"retention\"} 0"),
        "{metrics}"
    );
    let (status, _) = sigterm(&mut daemon);
    assert!(status.success(), "{status}");
    let log = std::fs::read_to_string(dir.path().join("daemon.log")).unwrap_or_default();
    assert!(
        log.lines()
            .any(|l| l.contains("ERROR") && l.contains("job failed") && l.contains("retention")),
        "logged at ERROR inside the job's span"
    );
    pool.close().await;
    drop(config);
}
