//! Throughput of the SMTP send path: messages per second of ~2 KB messages through
//! `SmtpMailer` to Postfix's `smtp-sink` on 127.0.0.1, with 1 and 4 concurrent connections,
//! next to Postfix's own `smtp-source` at the same concurrency (the target: ours at least 50%
//! of smtp-source reusing its sessions, `-d`). lettre's stock pooled `AsyncSmtpTransport` is
//! measured on a few hundred messages to show the Nagle stall our own connections avoid.
//!
//! Run: `cargo bench --bench smtp_send` (needs smtp-sink: `scripts/smtp-sink` installs it).
//! `SMTP_BENCH_MESSAGES` sets the message count per run (default 10000).

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use partnerdesk::config::{Config, MailTransportKind};
use partnerdesk::notify::{build_message, Mailer, OutgoingMail, SmtpMailer};

const FROM: &str = "PartnerWorld Desk <desk@example.com>";
const BODY_BYTES: usize = 2048;
const LETTRE_STOCK_MESSAGES: usize = 200;

fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} (Postfix) not found: run scripts/smtp-sink"))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// smtp-sink on a free loopback port, discarding what it receives; killed on drop.
struct Sink {
    child: Child,
    port: u16,
}

impl Sink {
    fn start() -> Sink {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let mut cmd = Command::new(tool("smtp-sink"));
        if running_as_root() {
            cmd.args(["-u", "nobody"]);
        }
        let child = cmd
            .arg(format!("127.0.0.1:{port}"))
            .arg("1024")
            .stdout(Stdio::null())
            .spawn()
            .expect("start smtp-sink");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "smtp-sink does not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        Sink { child, port }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mail(n: usize) -> OutgoingMail {
    let line = "The quick brown fox jumps over the lazy dog, renewal window reminder. \n";
    let text: String = line.repeat(BODY_BYTES / line.len() + 1)[..BODY_BYTES].to_string();
    OutgoingMail {
        to: "partner@example.com".into(),
        to_name: Some("Partner".into()),
        subject: format!("benchmark message {n}"),
        text,
        html: None,
        message_id_hint: Some(format!("bench:{n}")),
    }
}

/// Sends `count` messages through `send` from `workers` concurrent tasks; messages per second.
async fn rate<F, Fut>(count: usize, workers: usize, send: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let send = Arc::new(send);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (send, next) = (Arc::clone(&send), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    break;
                }
                send(n).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("worker");
    }
    count as f64 / started.elapsed().as_secs_f64()
}

async fn ours(port: u16, connections: usize, count: usize) -> f64 {
    let mut config = Config::default();
    config.mail.transport = MailTransportKind::Smtp;
    config.mail.from = FROM.into();
    config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    config.mail.pool_size = connections as u32;
    let mailer = Arc::new(SmtpMailer::from_config(&config.mail).expect("mailer"));
    // Warm-up: open the connections and fault in the code paths.
    let warm = Arc::clone(&mailer);
    rate(connections * 20, connections, move |n| {
        let m = Arc::clone(&warm);
        async move { m.send(&mail(n)).await.expect("warm-up send") }
    })
    .await;
    let m = Arc::clone(&mailer);
    let result = rate(count, connections, move |n| {
        let m = Arc::clone(&m);
        async move { m.send(&mail(n)).await.expect("send") }
    })
    .await;
    assert_eq!(mailer.connections_opened(), connections as u64);
    mailer.close_idle().await;
    result
}

async fn lettre_stock(port: u16, connections: usize, count: usize) -> f64 {
    let transport: AsyncSmtpTransport<Tokio1Executor> =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .pool_config(PoolConfig::new().max_size(connections as u32))
            .build();
    let transport = Arc::new(transport);
    let from: Mailbox = FROM.parse().expect("from");
    rate(count, connections, move |n| {
        let (t, from) = (Arc::clone(&transport), from.clone());
        async move {
            let message = build_message(&from, &mail(n)).expect("message");
            t.send(message).await.expect("lettre send");
        }
    })
    .await
}

/// Runs smtp-source and returns messages per second (wall time of the whole process).
fn smtp_source(port: u16, sessions: usize, count: usize, reuse: bool) -> (f64, String) {
    let mut cmd = Command::new(tool("smtp-source"));
    cmd.args(["-s", &sessions.to_string(), "-m", &count.to_string()])
        .args(["-l", &BODY_BYTES.to_string()])
        .args(["-f", "desk@example.com", "-t", "partner@example.com"]);
    if reuse {
        cmd.arg("-d");
    }
    cmd.arg(format!("127.0.0.1:{port}"));
    let shown = format!("{cmd:?}").replace('"', "");
    let started = Instant::now();
    let status = cmd.stdout(Stdio::null()).status().expect("run smtp-source");
    let elapsed = started.elapsed().as_secs_f64();
    assert!(status.success(), "smtp-source failed: {status}");
    (count as f64 / elapsed, shown)
}

fn main() {
    let count: usize = std::env::var("SMTP_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let sink = Sink::start();
    println!(
        "smtp_send: {count} messages of ~{BODY_BYTES} B body to smtp-sink on 127.0.0.1:{}",
        sink.port
    );
    println!(
        "{:<48} {:>6} {:>12} {:>10}",
        "client", "conns", "msgs/s", "vs -d"
    );
    for connections in [1usize, 4] {
        let (source_reuse, shown) = smtp_source(sink.port, connections, count, true);
        let (source_fresh, _) = smtp_source(sink.port, connections, count, false);
        let ours = runtime.block_on(ours(sink.port, connections, count));
        let stock = runtime.block_on(lettre_stock(sink.port, connections, LETTRE_STOCK_MESSAGES));
        let row = |name: &str, value: f64| {
            println!(
                "{name:<48} {connections:>6} {value:>12.0} {:>9.0}%",
                100.0 * value / source_reuse
            );
        };
        row("partnerdesk SmtpMailer (pooled, TCP_NODELAY)", ours);
        row("smtp-source -d (one session per worker)", source_reuse);
        row("smtp-source (new session per message)", source_fresh);
        row(
            &format!("lettre AsyncSmtpTransport pooled ({LETTRE_STOCK_MESSAGES} msgs)"),
            stock,
        );
        println!("  ({shown})");
    }
}
