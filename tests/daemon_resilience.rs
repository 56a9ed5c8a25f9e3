//! Reliability of delivery against real servers: SMTP soft and hard failures and outages
//! (Postfix's smtp-sink over TCP), the database going away under a running daemon, and a
//! kill -9 in the middle of sending 10,000 emails.

mod common;

use std::collections::HashSet;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::net::{free_port, CuttableProxy, SmtpSink};
use partnerdesk::clock::ManualClock;
use partnerdesk::config::{Config, MailTransportKind};
use partnerdesk::notify::outbox::Dispatcher;
use partnerdesk::notify::SmtpMailer;
use partnerdesk::store::{self, Channel, NewOutboxMessage, OutboxStatus, Store};

fn message(key: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        channel: Channel::Email,
        recipient: "rep@example.com".into(),
        subject: format!("更新期限のお知らせ {key}"),
        body_text: "本文".into(),
        body_html: None,
        payload: None,
        locale: "ja".into(),
        dedupe_key: key.into(),
        not_before: Utc::now() - chrono::Duration::seconds(1),
    }
}

struct Setup {
    config: Config,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn sqlite_with_smtp(port: u16) -> Setup {
    let dir = tempfile::tempdir().expect("dir");
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}", dir.path().join("pd.db").display());
    config.mail.transport = MailTransportKind::Smtp;
    config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    config.mail.timeout_secs = 5;
    config.outbox.base_backoff_secs = 30;
    store::migrate(&config).await.expect("migrate");
    let store = store::open(&config).await.expect("open");
    Setup {
        config,
        store,
        _dir: dir,
    }
}

fn dispatcher(setup: &Setup, clock: Arc<ManualClock>) -> Dispatcher {
    let mailer = Arc::new(SmtpMailer::from_config(&setup.config.mail).expect("mailer"));
    Dispatcher::new(
        setup.store.clone(),
        mailer,
        None,
        clock,
        setup.config.outbox.clone(),
    )
}

#[tokio::test]
async fn soft_failure_is_retried_after_backoff_and_then_delivered() {
    let mut sink = SmtpSink::start(&["-r", "RCPT"]);
    let setup = sqlite_with_smtp(sink.port).await;
    setup
        .store
        .enqueue(&message("soft-1"), Utc::now())
        .await
        .expect("enqueue");
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let d = dispatcher(&setup, clock.clone());
    let report = d.drain().await.expect("drain");
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    let pending = setup
        .store
        .outbox_messages(Some(OutboxStatus::Pending), 10)
        .await
        .expect("list");
    let error = pending[0].last_error.clone().unwrap_or_default();
    assert!(
        error.starts_with('4'),
        "the server's 4xx reply is kept: {error}"
    );
    assert_eq!(sink.count(), 0);

    // The server accepts again; nothing is sent before the backoff has passed.
    sink.args_replace(&[]);
    assert_eq!(
        d.drain().await.expect("drain").claimed,
        0,
        "not before the backoff"
    );
    clock.advance(chrono::Duration::seconds(40));
    let report = d.drain().await.expect("drain");
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(sink.count(), 1);
}

#[tokio::test]
async fn hard_failure_goes_dead_with_the_reply_and_can_be_retried() {
    let sink = SmtpSink::start(&["-f", "RCPT"]);
    let setup = sqlite_with_smtp(sink.port).await;
    setup
        .store
        .enqueue(&message("hard-1"), Utc::now())
        .await
        .expect("enqueue");
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let report = dispatcher(&setup, clock).drain().await.expect("drain");
    assert_eq!(report.dead, 1, "{report:?}");

    // What an operator sees: `outbox list --status dead --json`.
    let out = common::partnerdesk_binary()
        .args(["outbox", "list", "--status", "dead", "--json"])
        .env("PARTNERDESK_DATABASE__URL", &setup.config.database.url)
        .output()
        .expect("outbox list");
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let row: serde_json::Value = serde_json::from_str(&line).expect("one JSON row");
    assert_eq!(row["status"], "dead");
    assert_eq!(row["channel"], "email");
    assert_eq!(row["dedupe_key"], "hard-1");
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.starts_with('5')),
        "{row}"
    );

    let id = row["id"].as_i64().expect("id").to_string();
    let out = common::partnerdesk_binary()
        .args(["outbox", "retry", &id])
        .env("PARTNERDESK_DATABASE__URL", &setup.config.database.url)
        .output()
        .expect("outbox retry");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = setup
        .store
        .outbox_message(row["id"].as_i64().expect("id"))
        .await
        .expect("get");
    assert_eq!(again.map(|m| m.status), Some("pending".to_string()));
}

#[tokio::test]
async fn mail_server_down_for_a_while_then_everything_is_delivered() {
    let mut sink = SmtpSink::start(&[]);
    let setup = sqlite_with_smtp(sink.port).await;
    sink.stop();
    let now = Utc::now();
    let batch: Vec<NewOutboxMessage> = (0..20).map(|i| message(&format!("down-{i}"))).collect();
    setup
        .store
        .enqueue_many(&batch, now)
        .await
        .expect("enqueue");
    let clock = Arc::new(ManualClock::new(now));
    let d = dispatcher(&setup, clock.clone());
    for round in 0..3 {
        let report = d.drain().await.expect("drain");
        assert_eq!(report.sent, 0, "round {round}: {report:?}");
        assert_eq!(report.dead, 0, "connection refused is temporary");
        clock.advance(chrono::Duration::minutes(30));
    }
    sink.restart();
    clock.advance(chrono::Duration::hours(2));
    let report = d.drain().await.expect("drain");
    assert_eq!(report.sent, 20, "{report:?}");
    assert_eq!(sink.count(), 20);
}

fn spawn_daemon(dir: &std::path::Path, env: &[(&str, String)]) -> Child {
    let mut cmd = common::partnerdesk_binary();
    // The log goes to a file: an undrained pipe would fill up and block the daemon's writes.
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("daemon.log"))
        .expect("log file");
    cmd.current_dir(dir)
        .arg("run")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn daemon")
}

/// SIGTERM, then the exit status, which must come within 5 seconds (the log tail otherwise).
fn stop_daemon(daemon: &mut Child, dir: &std::path::Path) -> std::process::ExitStatus {
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .expect("kill");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = daemon.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = daemon.kill();
            let _ = daemon.wait();
            let log = std::fs::read_to_string(dir.join("daemon.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            panic!(
                "the daemon did not exit within 5 s of SIGTERM; last log lines:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn http_status(port: u16, path: &str) -> Option<u16> {
    use std::io::Write;
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
    response.split_whitespace().nth(1)?.parse().ok()
}

async fn wait_for(port: u16, path: &str, want: u16, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let got = tokio::task::spawn_blocking({
            let path = path.to_string();
            move || http_status(port, &path)
        })
        .await
        .expect("join");
        if got == Some(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} did not become {want} (last {got:?})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn database_outage_makes_the_daemon_unready_and_it_recovers() {
    let url = common::fresh_postgres_url("outage").await;
    let database = url.rsplit('/').next().expect("db name").to_string();
    let mut proxy = CuttableProxy::start(5432).await;
    let dir = tempfile::tempdir().expect("dir");
    let http = free_port();
    let mut daemon = spawn_daemon(
        dir.path(),
        &[
            (
                "PARTNERDESK_DATABASE__URL",
                format!("postgres://postgres@127.0.0.1:{}/{database}", proxy.port),
            ),
            ("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{http}")),
            ("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "1000".into()),
        ],
    );
    wait_for(http, "/readyz", 200, Duration::from_secs(30)).await;

    proxy.cut();
    wait_for(http, "/readyz", 503, Duration::from_secs(30)).await;
    assert_eq!(
        http_status(http, "/healthz"),
        Some(200),
        "the process stays up"
    );
    assert!(
        daemon.try_wait().expect("try_wait").is_none(),
        "the daemon did not exit"
    );

    proxy.restore().await;
    wait_for(http, "/readyz", 200, Duration::from_secs(30)).await;

    let status = stop_daemon(&mut daemon, dir.path());
    assert!(status.success(), "{status}");
    common::drop_postgres(&url).await;
}

#[tokio::test]
async fn kill_9_mid_delivery_loses_nothing_and_repeats_at_most_the_batch_in_flight() {
    const TOTAL: usize = 10_000;
    let sink = SmtpSink::start(&[]);
    let setup = sqlite_with_smtp(sink.port).await;
    let now = Utc::now();
    let messages: Vec<NewOutboxMessage> =
        (0..TOTAL).map(|i| message(&format!("bulk-{i}"))).collect();
    setup
        .store
        .enqueue_many(&messages, now)
        .await
        .expect("enqueue");
    setup.store.close().await;
    let batch_size = setup.config.outbox.batch_size as usize;
    let env = [
        (
            "PARTNERDESK_DATABASE__URL",
            setup.config.database.url.clone(),
        ),
        ("PARTNERDESK_HTTP__ENABLED", "false".into()),
        ("PARTNERDESK_MAIL__TRANSPORT", "smtp".into()),
        (
            "PARTNERDESK_MAIL__SMTP_URL",
            format!("smtp://127.0.0.1:{}", sink.port),
        ),
        // A short lease, so the restarted daemon takes over the killed one's claims quickly
        // (a lease may not be shorter than one send's timeout, so that is short too).
        ("PARTNERDESK_OUTBOX__LEASE_SECS", "2".into()),
        ("PARTNERDESK_MAIL__TIMEOUT_SECS", "2".into()),
    ];
    let dir = tempfile::tempdir().expect("dir");
    let mut first = spawn_daemon(dir.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(120);
    while sink.count() < TOTAL / 5 {
        assert!(Instant::now() < deadline, "delivery did not start");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().expect("kill -9");
    first.wait().expect("reap");
    let at_kill = sink.count();
    assert!(
        at_kill < TOTAL,
        "killed in the middle ({at_kill} delivered)"
    );

    let mut second = spawn_daemon(dir.path(), &env);
    let store = store::open(&setup.config).await.expect("reopen");
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let pending = store
            .outbox_messages(Some(OutboxStatus::Pending), 1)
            .await
            .expect("list");
        if pending.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted daemon did not finish"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let status = stop_daemon(&mut second, dir.path());
    assert!(status.success(), "{status}");
    store.close().await;

    let dumps = sink.messages();
    let subjects: Vec<String> = dumps
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .map(str::to_string)
        })
        .collect();
    let unique: HashSet<&String> = subjects.iter().collect();
    assert_eq!(unique.len(), TOTAL, "every message arrived");
    let duplicates = dumps.len() - TOTAL;
    assert!(
        duplicates <= batch_size,
        "{duplicates} duplicates; at most one batch ({batch_size}) was in flight"
    );
}
