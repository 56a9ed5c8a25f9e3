//! Benchmarks of the notification daemon's targets, on this machine's kind (see BENCHMARKS.md):
//!
//! - `sweep BACKEND [N]`: renewal sweep over N contracts (default 1,000,000): enqueueing the
//!   day's reminders, then re-running it (no new rows); wall time and peak resident memory.
//! - `outbox BACKEND [N]`: end to end through the outbox — claim, render, send over SMTP to
//!   Postfix's smtp-sink on 127.0.0.1, mark sent — with 4 connections; messages per second.
//! - `idle`: the daemon binary idle: resident memory after start, CPU used over a minute.
//!
//! `cargo bench --bench daemon` runs all (each scenario in its own process, so peak memory is
//! its own); `cargo bench --bench daemon -- sweep sqlite 1000000` runs one. BACKEND is
//! `sqlite` or `postgres` (a fresh database on 127.0.0.1:5432, dropped afterwards).

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use partnerdesk::clock::SystemClock;
use partnerdesk::config::{Config, MailTransportKind};
use partnerdesk::daemon::jobs::JobContext;
use partnerdesk::notify::outbox::Dispatcher;
use partnerdesk::notify::SmtpMailer;
use partnerdesk::store::{self, Channel, NewOutboxMessage};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let count = |i: usize, default: u64| arg(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match arg(0) {
        Some("sweep") => runtime.block_on(sweep(arg(1).unwrap_or("sqlite"), count(2, 1_000_000))),
        Some("outbox") => runtime.block_on(outbox(arg(1).unwrap_or("sqlite"), count(2, 20_000))),
        Some("idle") => idle(),
        _ => {
            let me = std::env::current_exe().expect("own path");
            for scenario in [
                &["sweep", "sqlite"][..],
                &["sweep", "postgres"],
                &["outbox", "sqlite"],
                &["outbox", "postgres"],
                &["idle"],
            ] {
                let status = Command::new(&me)
                    .args(scenario)
                    .status()
                    .expect("run scenario");
                assert!(status.success(), "{scenario:?} failed");
            }
        }
    }
}

struct Database {
    url: String,
    _dir: tempfile::TempDir,
}

impl Database {
    async fn fresh(backend: &str) -> Database {
        let dir = tempfile::tempdir().expect("dir");
        let url = match backend {
            "sqlite" => format!("sqlite://{}", dir.path().join("bench.db").display()),
            "postgres" => format!(
                "postgres://postgres@127.0.0.1:5432/pdbench_{}_{}",
                std::process::id(),
                Utc::now().timestamp_micros()
            ),
            other => panic!("backend must be sqlite or postgres, not {other}"),
        };
        Database { url, _dir: dir }
    }

    fn config(&self) -> Config {
        let mut config = Config::default();
        config.database.url = self.url.clone();
        config
    }

    async fn drop_it(&self) {
        if self.url.starts_with("postgres") {
            use sqlx::migrate::MigrateDatabase;
            let _ = sqlx::Postgres::force_drop_database(&self.url).await;
        }
    }
}

/// Peak resident memory of this process so far, in MiB (VmHWM).
fn peak_rss_mib() -> f64 {
    status_kib("VmHWM:", "self") / 1024.0
}

fn status_kib(field: &str, pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// Loads `n` open contracts renewing over the year from `first`, spread over 2,000 reps in
/// three zones, with one SQL statement (the import path is not what this measures).
async fn load_contracts(url: &str, n: u64, first: NaiveDate) {
    let now = Utc::now();
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
        sqlx::query(
            "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $1 - 1) \
             INSERT INTO contracts SELECT 'C' || i, 'Company ' || (i % 5000), 'Aspera Faspex', \
             date($2, '+' || (i % 365) || ' days'), 'rep' || (i % 2000) || '@example.com', \
             'Rep ' || (i % 2000), CASE WHEN i % 2 = 0 THEN 'ja' ELSE 'en' END, \
             CASE i % 3 WHEN 0 THEN 'Asia/Tokyo' WHEN 1 THEN 'America/New_York' ELSE 'Europe/London' END, \
             'open', $3 FROM seq",
        )
        .bind(n as i64)
        .bind(first)
        .bind(now)
        .execute(&pool)
        .await
        .expect("load contracts");
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("connect");
        sqlx::query(
            "INSERT INTO contracts SELECT 'C' || i, 'Company ' || (i % 5000), 'Aspera Faspex', \
             $2::date + (i % 365)::int, 'rep' || (i % 2000) || '@example.com', 'Rep ' || (i % 2000), \
             CASE WHEN i % 2 = 0 THEN 'ja' ELSE 'en' END, \
             CASE i % 3 WHEN 0 THEN 'Asia/Tokyo' WHEN 1 THEN 'America/New_York' ELSE 'Europe/London' END, \
             'open', $3 FROM generate_series(0, $1 - 1) AS i",
        )
        .bind(n as i64)
        .bind(first)
        .bind(now)
        .execute(&pool)
        .await
        .expect("load contracts");
        sqlx::query("ANALYZE contracts")
            .execute(&pool)
            .await
            .expect("analyze");
        pool.close().await;
    }
}

async fn sweep(backend: &str, n: u64) {
    let db = Database::fresh(backend).await;
    let config = db.config();
    store::migrate(&config).await.expect("migrate");
    let now = Utc::now();
    let loading = Instant::now();
    load_contracts(&db.url, n, now.date_naive()).await;
    let loaded = loading.elapsed();
    let store = store::open(&config).await.expect("open");
    let ctx = JobContext::new(&config, store.clone()).expect("context");
    let first = Instant::now();
    let report = ctx.renewal_sweep(now).await.expect("sweep");
    let first_time = first.elapsed();
    let second = Instant::now();
    let again = ctx.renewal_sweep(now).await.expect("sweep again");
    let second_time = second.elapsed();
    assert_eq!(again.enqueued, 0, "a re-run must enqueue nothing");
    println!(
        "sweep {backend:<8} contracts {n:>9}  loaded in {:>6.1} s  considered {:>7}  enqueued {:>6} in {:>6.2} s  re-run {:>6.2} s  peak RSS {:>6.1} MiB",
        loaded.as_secs_f64(),
        report.considered,
        report.enqueued,
        first_time.as_secs_f64(),
        second_time.as_secs_f64(),
        peak_rss_mib()
    );
    store.close().await;
    db.drop_it().await;
}

fn tool(name: &str) -> PathBuf {
    ["/usr/sbin", "/usr/local/sbin", "/usr/bin"]
        .iter()
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found: run scripts/smtp-sink"))
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn outbox(backend: &str, n: u64) {
    let port = free_port();
    let _sink = Killed(
        Command::new(tool("smtp-sink"))
            .args(["-u", "nobody", &format!("127.0.0.1:{port}"), "1024"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("smtp-sink"),
    );
    std::thread::sleep(Duration::from_millis(300));
    let db = Database::fresh(backend).await;
    let mut config = db.config();
    config.mail.transport = MailTransportKind::Smtp;
    config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    config.mail.pool_size = 4;
    config.outbox.concurrency = 4;
    config.database.max_connections = 4;
    store::migrate(&config).await.expect("migrate");
    let store = store::open(&config).await.expect("open");
    let now = Utc::now();
    let body = "更新期限のお知らせです。Renewal reminder. ".repeat(40);
    let messages: Vec<NewOutboxMessage> = (0..n)
        .map(|i| NewOutboxMessage {
            channel: Channel::Email,
            recipient: format!("rep{}@example.com", i % 500),
            subject: format!("【更新期限まで残り7日】株式会社サンプル {i}"),
            body_text: body.clone(),
            body_html: None,
            payload: None,
            locale: "ja".into(),
            dedupe_key: format!("bench:{i}"),
            not_before: now,
        })
        .collect();
    store.enqueue_many(&messages, now).await.expect("enqueue");
    let mailer = Arc::new(SmtpMailer::from_config(&config.mail).expect("smtp mailer"));
    let dispatcher = Dispatcher::new(
        store.clone(),
        mailer,
        None,
        Arc::new(SystemClock),
        config.outbox.clone(),
    );
    let started = Instant::now();
    let report = dispatcher.drain().await.expect("drain");
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(report.sent, n, "{report:?}");
    println!(
        "outbox {backend:<8} messages {n:>7}  sent in {elapsed:>6.2} s  = {:>7.0} msgs/s (4 SMTP connections, claim+render+send+mark)",
        n as f64 / elapsed
    );
    store.close().await;
    db.drop_it().await;
}

fn idle() {
    let secs: u64 = std::env::var("IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let child = Killed(
        Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
            .arg("run")
            .current_dir(dir.path())
            .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("daemon"),
    );
    let pid = child.0.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "daemon did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(2));
    let rss = status_kib("VmRSS:", &pid) / 1024.0;
    let cpu = |pid: &str| -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let after_name = stat.rsplit(')').next().unwrap_or_default();
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks(11) + ticks(12)) / 100.0
    };
    let before = cpu(&pid);
    std::thread::sleep(Duration::from_secs(secs));
    let used = cpu(&pid) - before;
    println!("idle daemon  RSS after start {rss:.1} MiB  CPU over {secs} s idle {used:.2} s");
}
