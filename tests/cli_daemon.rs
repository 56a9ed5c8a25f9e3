//! The binary as an operator uses it: start-up on defaults, health endpoints, graceful stop,
//! `migrate`, and the exit codes and messages of bad configuration.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Command {
    let mut cmd = common::partnerdesk_binary();
    // The messages these tests read are the English ones; one test sets Japanese itself.
    cmd.env("LANG", "en_US.UTF-8");
    cmd
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = binary();
    cmd.current_dir(dir).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run partnerdesk")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A bare HTTP/1.1 GET; returns the status code, or None when nothing listens yet.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

fn wait_for_status(port: u16, path: &str, want: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(status) = http_status(port, path) {
            if status == want {
                return;
            }
        }
        if let Ok(Some(exit)) = child.try_wait() {
            panic!("daemon exited early with {exit}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{path} did not answer {want} within 30 s");
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("daemon did not exit within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn run_on_defaults_serves_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut child = binary()
        .current_dir(dir.path())
        .arg("run")
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for_status(port, "/readyz", 200, &mut child);
    assert_eq!(http_status(port, "/healthz"), Some(200));
    assert_eq!(http_status(port, "/nope"), Some(404));
    assert!(
        dir.path().join("var/partnerdesk.db").is_file(),
        "SQLite file created under ./var/"
    );

    let stopped_at = Instant::now();
    signal(&child, "TERM");
    let status = wait_exit(&mut child, Duration::from_secs(5));
    assert!(status.success(), "exit status {status}");
    assert!(stopped_at.elapsed() < Duration::from_secs(5));
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(
        log.contains("PARTNERDESK_DISCORD__TOKEN"),
        "says how to enable Discord: {log}"
    );
}

#[test]
fn sigint_also_stops_and_json_logs_are_json() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut child = binary()
        .current_dir(dir.path())
        .args(["--log-format", "json", "run"])
        .env("PARTNERDESK_HTTP__LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for_status(port, "/readyz", 200, &mut child);
    signal(&child, "INT");
    assert!(wait_exit(&mut child, Duration::from_secs(5)).success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(value.get("level").is_some(), "{line}");
    }
}

#[test]
fn migrate_creates_a_postgres_database_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!(
        "{}/{}",
        common::postgres_base(),
        common::unique_db_name("migrate")
    );
    let env = [("PARTNERDESK_DATABASE__URL", url.as_str())];
    let first = run_in(dir.path(), &["migrate"], &env);
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.contains("created database"), "{out}");
    assert!(out.contains("applied 1_initial"), "{out}");
    let second = run_in(dir.path(), &["migrate"], &env);
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success());
    assert!(
        out.contains("schema is up to date") && !out.contains("created"),
        "{out}"
    );
}

#[test]
fn migrate_on_sqlite_creates_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run_in(dir.path(), &["migrate"], &[]);
    assert!(out.status.success());
    let db = dir.path().join("var/partnerdesk.db");
    assert!(db.is_file());
    // WAL mode is a property of the file: readers never block the writer.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mode: String = runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .expect("open");
        let mode = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        pool.close().await;
        mode
    });
    assert_eq!(mode, "wal");
}

fn assert_fails(out: &Output, code: i32, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` missing from: {stderr}");
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "one clear line: {stderr}"
    );
}

/// Like [`assert_fails`], and the error is all there is on stderr: exactly one line.
fn assert_only_line(out: &Output, code: i32, needles: &[&str]) {
    assert_fails(out, code, needles);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
}

#[test]
fn unknown_database_scheme_exits_2() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run_in(
        dir.path(),
        &["migrate"],
        &[("PARTNERDESK_DATABASE__URL", "mysql://x")],
    );
    assert_fails(
        &out,
        2,
        &["database.url", "mysql://x", "sqlite://", "postgres://"],
    );
    assert!(!dir.path().join("var").exists(), "nothing half-created");
}

#[test]
fn configuration_mistakes_exit_2_naming_key_and_value() {
    let dir = tempfile::tempdir().expect("dir");
    let bad_toml = dir.path().join("bad.toml");
    std::fs::write(&bad_toml, "[http]\nlisten = \"127.0.0.1:1\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "bad.toml"], &[]);
    assert_only_line(&out, 2, &["bad.toml:2:", "not valid TOML"]);
    std::fs::write(&bad_toml, "[database\nurl=\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "bad.toml"], &[]);
    assert_only_line(&out, 2, &["bad.toml:1:10:", "table header"]);

    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "[mail]\ntransprot = \"smtp\"\n").expect("write");
    let out = run_in(dir.path(), &["--config", "unknown.toml", "run"], &[]);
    assert_only_line(
        &out,
        2,
        &[
            "mail.transprot",
            "\"smtp\"",
            "allowed keys in [mail]: transport, dir",
        ],
    );
    std::fs::write(&unknown, "[database]\nurll = \"x\"\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "unknown.toml"], &[]);
    assert_only_line(
        &out,
        2,
        &[
            "database.urll",
            "\"x\"",
            "url, max_connections, busy_timeout_ms",
        ],
    );
    let out = run_in(
        dir.path(),
        &["config", "show"],
        &[("PARTNERDESK_MAIL__TRANSPORT", "carrier")],
    );
    assert_only_line(
        &out,
        2,
        &["mail.transport", "carrier", "allowed: file, smtp"],
    );
    let out = run_in(
        dir.path(),
        &["config", "show"],
        &[("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "-1")],
    );
    assert_only_line(&out, 2, &["database.busy_timeout_ms", "-1", "whole number"]);
    let wrong_type = dir.path().join("type.toml");
    std::fs::write(&wrong_type, "[http]\nlisten = 8080\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "type.toml"], &[]);
    assert_only_line(&out, 2, &["http.listen", "8080", "allowed: a string"]);

    let out = run_in(
        dir.path(),
        &["run"],
        &[("PARTNERDESK_HTTP__LISTEN", "localhost:eighty")],
    );
    assert_fails(&out, 2, &["http.listen", "localhost:eighty", "IP:PORT"]);
    assert!(!dir.path().join("var").exists(), "nothing half-created");

    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[http]\nlisten = \"127.0.0.1:18080\"\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "good.toml"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn runtime_failures_exit_1_with_a_clear_line() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run_in(
        dir.path(),
        &["migrate"],
        &[
            (
                "PARTNERDESK_DATABASE__URL",
                "postgres://postgres@127.0.0.1:1/nowhere",
            ),
            ("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "1000"),
        ],
    );
    assert_fails(&out, 1, &["database.url", "127.0.0.1:1", "unreachable"]);

    // A password in the URL never shows.
    let out = run_in(
        dir.path(),
        &["migrate"],
        &[
            (
                "PARTNERDESK_DATABASE__URL",
                "postgres://postgres:hunter2@127.0.0.1:1/nowhere",
            ),
            ("PARTNERDESK_DATABASE__BUSY_TIMEOUT_MS", "1000"),
        ],
    );
    assert_fails(&out, 1, &["database.url", "<redacted>"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
}

#[test]
fn an_unusable_sqlite_path_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("dir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let out = run_in(
        dir.path(),
        &["migrate"],
        &[("PARTNERDESK_DATABASE__URL", "sqlite://file/sub/pd.db")],
    );
    assert_fails(
        &out,
        2,
        &[
            "database.url",
            "sqlite://file/sub/pd.db",
            "file/sub",
            "allowed:",
        ],
    );

    // `run` creates nothing either: not the mail folder, not ./var.
    let port = free_port();
    let out = run_in(
        dir.path(),
        &["run"],
        &[
            ("PARTNERDESK_DATABASE__URL", "sqlite://file/sub/pd.db"),
            ("PARTNERDESK_HTTP__LISTEN", &format!("127.0.0.1:{port}")),
        ],
    );
    assert_fails(&out, 2, &["database.url"]);
    assert!(!dir.path().join("var").exists(), "nothing half-created");
}

#[test]
fn a_taken_port_fails_before_the_database_is_created() {
    let dir = tempfile::tempdir().expect("dir");
    let holder = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = holder.local_addr().expect("addr").to_string();
    let out = run_in(dir.path(), &["run"], &[("PARTNERDESK_HTTP__LISTEN", &addr)]);
    assert_fails(&out, 1, &["http.listen", &addr]);
    assert!(
        !dir.path().join("var/partnerdesk.db").exists(),
        "no database file"
    );
    assert!(!dir.path().join("var").exists(), "nothing half-created");
}

#[test]
fn an_unwritable_mail_folder_fails_before_the_database_is_created() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("file"), "not a folder").expect("write");
    let port = free_port();
    let out = run_in(
        dir.path(),
        &["run"],
        &[
            ("PARTNERDESK_MAIL__DIR", "file/mail"),
            ("PARTNERDESK_HTTP__LISTEN", &format!("127.0.0.1:{port}")),
        ],
    );
    assert_fails(&out, 2, &["mail.dir", "file/mail", "allowed:"]);
    assert!(
        !dir.path().join("var/partnerdesk.db").exists(),
        "no database file"
    );
    assert!(!dir.path().join("var").exists(), "nothing half-created");
}

#[test]
fn config_check_verifies_the_token_file_without_showing_it() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("pd.toml");
    std::fs::write(&config, "[discord]\ntoken_file = \"missing-token\"\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "pd.toml"], &[]);
    assert_only_line(
        &out,
        2,
        &["discord.token_file", "missing-token", "readable file"],
    );

    std::fs::write(dir.path().join("missing-token"), "tok-secret-456\n").expect("write");
    let out = run_in(dir.path(), &["config", "check", "pd.toml"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("tok-secret-456"), "{all}");
}

#[test]
fn config_show_redacts_secrets() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run_in(
        dir.path(),
        &["config", "show"],
        &[
            ("PARTNERDESK_DISCORD__TOKEN", "tok-secret-123"),
            ("PARTNERDESK_MAIL__TRANSPORT", "smtp"),
            (
                "PARTNERDESK_MAIL__SMTP_URL",
                "smtp://desk:pw-secret@127.0.0.1:2525",
            ),
            ("PARTNERDESK_MAIL__ALLOW_PLAINTEXT_AUTH", "true"),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !text.contains("tok-secret-123") && !text.contains("pw-secret"),
        "{text}"
    );
    assert!(text.contains("<redacted>"));
    assert!(text.contains("transport = \"smtp\""));
}

#[test]
fn the_documented_example_configuration_is_valid() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("partnerdesk.example.toml");
    let dir = tempfile::tempdir().expect("dir");
    let out = run_in(
        dir.path(),
        &["config", "check", example.to_str().expect("utf-8 path")],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_operator_with_a_japanese_terminal_reads_errors_in_japanese() {
    let dir = tempfile::tempdir().expect("dir");
    let ja = [("LANG", "ja_JP.UTF-8")];
    let out = run_in(
        dir.path(),
        &["run"],
        &[("PARTNERDESK_HTTP__LISTEN", "nowhere"), ja[0]],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "エラー: 設定キー `http.listen` の値 \"nowhere\" は使えません: 使える値: 127.0.0.1:8080 \
         や [::1]:8080 のような IP:ポート"
    );

    // Argument errors and replies too; without a language on the terminal the configured
    // default decides.
    let out = run_in(dir.path(), &["renewal", "explain", "2015-02-30"], &ja);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("更新日 \"2015-02-30\" は日付ではありません"),
        "{stderr}"
    );
    // clap's refusals too, on one line with where to look.
    for (args, needle) in [
        (
            &["frobnicate"][..],
            "エラー: コマンド `frobnicate` はありません",
        ),
        (
            &["outbox", "purge", "--older-than", "3x"][..],
            "エラー: --older-than <OLDER_THAN>: \"3x\" は経過時間ではありません",
        ),
        (
            &["hours", "--lang", "fr"][..],
            "エラー: --lang <LANG>: `fr` はここでは使えません。使える値: ja, en",
        ),
        (
            &["outbox", "purge", "--older-than", "100000000d"][..],
            "エラー: --older-than",
        ),
        (
            &["schedule", "next", "* * * * *", "--count", "99999999999"][..],
            "エラー: --count",
        ),
    ] {
        let out = run_in(dir.path(), args, &ja);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(needle), "{args:?}: {stderr}");
        assert!(stderr.contains("partnerdesk --help"), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    }
    // No language on the terminal: the configured default decides.
    for (default, needle) in [("ja", "適用しました"), ("en", "schema is up to date")] {
        let out = run_in(
            dir.path(),
            &["migrate"],
            &[
                ("LANG", "C.UTF-8"),
                ("PARTNERDESK_I18N__DEFAULT_LOCALE", default),
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(needle), "{default}: {stdout}");
    }
}
