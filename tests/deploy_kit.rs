//! The deployment kit: the systemd unit verifies, the daemon speaks systemd's readiness
//! protocol, and shell completions and the manual page are generated from the command tree.

mod common;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::partnerdesk_binary;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn stdout_of(args: &[&str]) -> String {
    let out = partnerdesk_binary().args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn completions_name_every_top_level_command_in_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for command in [
            "run",
            "migrate",
            "hours",
            "ask",
            "chat",
            "jobs",
            "outbox",
            "registration",
            "man",
        ] {
            assert!(
                script.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    let refused = partnerdesk_binary()
        .args(["completions", "tcsh"])
        .output()
        .expect("run");
    assert_eq!(
        refused.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_manual_page_is_roff_with_the_commands() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH partnerdesk 1"), "{page}");
    assert!(page.contains("migrate") && page.contains("completions"));
}

#[test]
fn a_closed_pipe_ends_completions_quietly() {
    let mut child = partnerdesk_binary()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    // Quiet: exit 0, or ended by SIGPIPE as `head` ends a writer; never a panic (101).
    use std::os::unix::process::ExitStatusExt;
    assert!(
        out.status.success() || out.status.signal() == Some(13),
        "{out:?}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `systemd-analyze verify` on the shipped unit, with `ExecStart` pointing at the binary under
/// test (verify checks that the executable exists).
#[test]
fn the_systemd_unit_verifies() {
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/partnerdesk.service"),
    )
    .expect("contrib/partnerdesk.service");
    assert!(unit.contains("Type=notify") && unit.contains("ProtectSystem=strict"));
    let Ok(analyze) = which("systemd-analyze") else {
        eprintln!("systemd is not installed here: the unit's syntax was not verified");
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let binary = env!("CARGO_BIN_EXE_partnerdesk");
    let path = dir.path().join("partnerdesk.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/partnerdesk", binary)).expect("write unit");
    let out = Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("partnerdesk.service:"),
        "systemd-analyze verify: {} {stderr}",
        out.status
    );
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or(())
}

#[test]
fn the_daemon_tells_systemd_when_it_is_ready_and_when_it_stops() {
    let dir = tempfile::tempdir().expect("dir");
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind notify socket");
    socket
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("timeout");
    let mut child = partnerdesk_binary()
        .current_dir(dir.path())
        .arg("run")
        .env(
            "PARTNERDESK_HTTP__LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .env("NOTIFY_SOCKET", &socket_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut buffer = [0u8; 256];
    let received = socket.recv(&mut buffer);
    let ready = received.map(|n| String::from_utf8_lossy(&buffer[..n]).into_owned());
    // READY=1 comes only after the store is migrated.
    let migrated = dir.path().join("var/partnerdesk.db").is_file();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let stopping = socket
        .recv(&mut buffer)
        .map(|n| String::from_utf8_lossy(&buffer[..n]).into_owned());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the daemon did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(ready.as_deref().ok(), Some("READY=1"));
    assert!(migrated, "READY=1 before the database existed");
    assert_eq!(stopping.as_deref().ok(), Some("STOPPING=1"));
    assert!(status.success(), "{status}");
}
