//! The daemon against a Discord that refuses it or drops it, with the real serenity client and
//! the fake Discord: a refused token ends `run` with exit 1 (README), a blank or malformed one
//! is refused before start with exit 2, and a dropped gateway is reconnected with its state on
//! /metrics.

mod common;
mod fake_discord;

use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, TOKEN};
use partnerdesk::discord::handler::Handler;
use partnerdesk::discord::{self, Bot, Endpoint};
use tokio_util::sync::CancellationToken;

const WAIT: Duration = Duration::from_secs(15);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn spawn_daemon(dir: &std::path::Path, token: &str, proxy: &str, http_port: u16) -> Child {
    common::partnerdesk_binary()
        .current_dir(dir)
        .arg("run")
        .env("LANG", "en_US.UTF-8")
        .env("PARTNERDESK_DISCORD__TOKEN", token)
        .env("PARTNERDESK_DISCORD__API_PROXY", proxy)
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{http_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the daemon")
}

/// Waits for the daemon to exit within `within`; kills it and fails otherwise.
async fn exit_of(mut daemon: Child, within: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + within;
    let status = loop {
        if let Some(status) = daemon.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = daemon.kill();
            let _ = daemon.wait();
            let mut log = String::new();
            if let Some(mut stderr) = daemon.stderr.take() {
                let _ = stderr.read_to_string(&mut log);
            }
            panic!("the daemon still runs after {within:?}:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut log = String::new();
    if let Some(mut stderr) = daemon.stderr.take() {
        let _ = stderr.read_to_string(&mut log);
    }
    (status.code(), log)
}

/// GET `path` on the daemon's HTTP port; the body.
fn http_get(port: u16, path: &str) -> String {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_discord_refuses_ends_run_with_exit_1() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let wrong = "wrong-token.for-tests-only";
    let daemon = spawn_daemon(dir.path(), wrong, &fake.proxy(), free_port());
    let (code, log) = exit_of(daemon, WAIT).await;
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("Discord refused the bot token"), "{log}");
    assert!(!log.contains(wrong), "the token leaked: {log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blank_and_malformed_tokens_are_refused_before_start() {
    let fake = FakeDiscord::start().await;
    for token in ["", "   ", "Bot abc.def", "abc def\"ghi"] {
        let dir = tempfile::tempdir().expect("dir");
        let daemon = spawn_daemon(dir.path(), token, &fake.proxy(), free_port());
        let (code, log) = exit_of(daemon, WAIT).await;
        assert_eq!(code, Some(2), "{token:?}: {log}");
        assert!(log.contains("discord.token"), "{token:?}: {log}");
        // Nothing was created: the check comes before the database.
        assert!(!dir.path().join("var").exists(), "{token:?}");
    }
    assert_eq!(fake.connections(), 0, "no gateway session was opened");
}

/// In process: the gateway's 4004 ("Authentication failed") is returned by `Bot::run`, not
/// retried for ever, and is one of the fatal errors the daemon exits 1 on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_refuses_the_identify_is_fatal() {
    let fake = FakeDiscord::start().await;
    let config = partnerdesk::config::Config::default();
    let clock = std::sync::Arc::new(partnerdesk::clock::SystemClock);
    let desk =
        std::sync::Arc::new(partnerdesk::chat::Desk::from_config(&config, clock).expect("desk"));
    let http = discord::http(
        "wrong-token.for-tests-only",
        &Endpoint {
            proxy: Some(fake.proxy()),
        },
    );
    let bot = Bot::build_with(http, Handler::new(desk, Vec::new()))
        .await
        .expect("builds");
    let status = bot.gateway_status();
    let result = tokio::time::timeout(WAIT, bot.run(CancellationToken::new()))
        .await
        .expect("run returns instead of retrying");
    let error = result.expect_err("refused");
    assert!(discord::is_fatal(&error), "{error}");
    assert!(!status.connected());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_is_reconnected_and_shown_on_metrics() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let daemon = spawn_daemon(dir.path(), TOKEN, &fake.proxy(), port);
    fake.wait_ready(1, WAIT).await;
    let metric = |name: &str| -> Option<String> {
        http_get(port, "/metrics")
            .lines()
            .find(|l| l.starts_with(name))
            .map(str::to_string)
    };
    let deadline = Instant::now() + WAIT;
    while metric("partnerdesk_discord_gateway_connected ").as_deref()
        != Some("partnerdesk_discord_gateway_connected 1")
    {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            http_get(port, "/metrics")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fake.drop_gateway();
    fake.wait_ready(2, Duration::from_secs(30)).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let connected = metric("partnerdesk_discord_gateway_connected ");
        let drops = metric("partnerdesk_discord_gateway_disconnects_total ");
        if connected.as_deref() == Some("partnerdesk_discord_gateway_connected 1")
            && drops.as_deref() == Some("partnerdesk_discord_gateway_disconnects_total 1")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{connected:?} {drops:?}: {}",
            http_get(port, "/metrics")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status();
    let (code, log) = exit_of(daemon, WAIT).await;
    assert_eq!(code, Some(0), "{log}");
}
