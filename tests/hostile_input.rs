//! Input that would hurt a naive reader: a closed stdout, a 200 MB line, look-alike names, and
//! configuration mistakes caught before anything starts (issue 14), through the real binary.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

const OPEN_TUESDAY: &str = "2026-07-14T10:00:00+09:00";

fn binary_in(dir: &std::path::Path) -> Command {
    let mut cmd = common::partnerdesk_binary();
    cmd.current_dir(dir);
    cmd
}

/// Peak resident memory of a running process, from /proc (kB).
fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// A command whose reader went away (`| head -1`) ends quietly: no panic, not exit 101.
fn assert_quiet_on_closed_stdout(args: &[&str], stdin: &[u8]) {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = binary_in(dir.path())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the reading end before the command writes anything.
    drop(child.stdout.take());
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(stdin);
    drop(input);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("wait");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    assert_ne!(status.code(), Some(101), "{args:?}: {stderr}");
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let questions = "what are the hours?\n".repeat(20_000);
    assert_quiet_on_closed_stdout(&["ask", "--now", OPEN_TUESDAY], questions.as_bytes());
    assert_quiet_on_closed_stdout(
        &["ask", "--json", "--now", OPEN_TUESDAY],
        questions.as_bytes(),
    );
    assert_quiet_on_closed_stdout(&["ask", "what", "are", "the", "hours?"], b"");
    assert_quiet_on_closed_stdout(&["jobs", "list"], b"");
    assert_quiet_on_closed_stdout(&["config", "show"], b"");
    assert_quiet_on_closed_stdout(
        &["chat", "--json", "--now", OPEN_TUESDAY],
        questions.as_bytes(),
    );
}

#[test]
fn a_200_mb_line_is_answered_too_long_in_bounded_memory() {
    for args in [
        vec!["ask", "--json", "--now", OPEN_TUESDAY],
        vec!["chat", "--json", "--now", OPEN_TUESDAY],
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let mut child = binary_in(dir.path())
            .args(&args)
            .env("LANG", "en_US.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let pid = child.id();
        let mut input = child.stdin.take().expect("stdin");
        let reader = std::thread::spawn({
            let mut stdout = child.stdout.take().expect("stdout");
            move || {
                let mut text = String::new();
                let _ = stdout.read_to_string(&mut text);
                text
            }
        });
        input
            .write_all(b"what are the support hours?\n")
            .expect("write");
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            input.write_all(&chunk).expect("write 200 MB");
        }
        input
            .write_all(b"\nwhat are the support hours?\n")
            .expect("write");
        input.flush().expect("flush");
        // Still running (its stdin is open): its peak memory so far covers the whole line.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let peak_kb = peak_rss_kb(pid);
        drop(input);
        let status = child.wait().expect("wait");
        let out = reader.join().expect("reader");
        assert!(status.success(), "{args:?}");
        assert!(
            peak_kb > 0 && peak_kb < 100 * 1024,
            "{args:?}: peak RSS {peak_kb} kB for a 200 MB line"
        );
        let replies: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(replies.len(), 3, "{args:?}: {out}");
        let texts: Vec<&str> = replies
            .iter()
            .map(|r| r["text"].as_str().unwrap_or(""))
            .collect();
        assert!(texts[1].contains("too long"), "{texts:?}");
        assert!(texts[1].contains("2000"), "{texts:?}");
        assert_eq!(
            texts[0], texts[2],
            "the line after the long one is answered as usual"
        );
        assert!(!texts[0].contains("too long"));
    }
}

#[test]
fn the_too_long_reply_is_in_japanese_for_a_japanese_line() {
    let dir = tempfile::tempdir().expect("dir");
    let line = "トークン".repeat(600);
    let mut child = binary_in(dir.path())
        .args(["ask", "--json", "--now", OPEN_TUESDAY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{line}\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let reply: serde_json::Value =
        serde_json::from_slice(out.stdout.trim_ascii()).expect("one json line");
    assert_eq!(reply["lang"], "ja");
    assert_eq!(reply["too_long"], true);
    assert!(
        reply["text"]
            .as_str()
            .is_some_and(|t| t.contains("長すぎます")),
        "{reply}"
    );
}

/// One `chat --json` line as `ibm_id`, in `dir` (one SQLite database under ./var).
fn chat_once(dir: &std::path::Path, ibm_id: &str, line: &str) -> String {
    let mut child = binary_in(dir)
        .args([
            "chat",
            "--as",
            ibm_id,
            "--lang",
            "en",
            "--json",
            "--now",
            OPEN_TUESDAY,
        ])
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{line}\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reply: serde_json::Value =
        serde_json::from_slice(out.stdout.trim_ascii()).expect("one json line");
    reply["text"].as_str().unwrap_or_default().to_string()
}

#[test]
fn look_alike_company_names_are_refused_at_register() {
    let dir = tempfile::tempdir().expect("dir");
    let first = chat_once(
        dir.path(),
        "a@example.com",
        "/register company:\"Alpha KK\"",
    );
    assert!(!first.contains("already"), "{first}");
    let companies = binary_in(dir.path())
        .args(["company", "list", "--json"])
        .output()
        .expect("company list");
    assert!(String::from_utf8_lossy(&companies.stdout).contains("Alpha KK"));
    // Each from another account, so a per-account limit cannot be the reason.
    for (i, look_alike) in ["alpha kk", "ＡｌｐｈａＫＫ", "ALPHA　KK"]
        .iter()
        .enumerate()
    {
        let ibm_id = format!("same{i}@example.com");
        let reply = chat_once(
            dir.path(),
            &ibm_id,
            &format!("/register company:\"{look_alike}\""),
        );
        assert!(
            reply.contains("already registered") && reply.contains("Alpha KK"),
            "{look_alike:?}: {reply}"
        );
    }
    for (i, hidden) in ["Alpha\u{200b}KK", "\u{202e}KK ahplA"].iter().enumerate() {
        let ibm_id = format!("hidden{i}@example.com");
        let reply = chat_once(
            dir.path(),
            &ibm_id,
            &format!("/register company:\"{hidden}\""),
        );
        assert!(reply.contains("invisible"), "{hidden:?}: {reply}");
    }
    let companies = binary_in(dir.path())
        .args(["company", "list", "--json"])
        .output()
        .expect("company list");
    let listed = String::from_utf8_lossy(&companies.stdout);
    assert_eq!(
        listed.lines().filter(|l| !l.trim().is_empty()).count(),
        1,
        "{listed}"
    );
}
