//! Real network peers for the suites: Postfix's smtp-sink as an SMTP server process, and a TCP
//! proxy that can be cut and restored to simulate an outage of whatever sits behind it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The smtp-sink binary; the suite fails (never skips) without it — scripts/smtp-sink installs it.
pub fn smtp_sink_binary() -> PathBuf {
    ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/sbin"]
        .iter()
        .map(|d| Path::new(d).join("smtp-sink"))
        .find(|p| p.is_file())
        .expect("smtp-sink (Debian package postfix) is required: run scripts/smtp-sink")
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// smtp-sink on a loopback port, dumping each accepted message into a folder; killed on drop.
pub struct SmtpSink {
    child: Option<Child>,
    pub port: u16,
    pub dumps: tempfile::TempDir,
    args: Vec<String>,
}

impl SmtpSink {
    pub fn start(args: &[&str]) -> SmtpSink {
        let dumps = tempfile::tempdir().expect("dump folder");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // smtp-sink drops to `nobody` when started as root; that user writes the dumps.
            std::fs::set_permissions(dumps.path(), std::fs::Permissions::from_mode(0o777))
                .expect("chmod dump folder");
        }
        let mut sink = SmtpSink {
            child: None,
            port: free_port(),
            dumps,
            args: args.iter().map(|a| a.to_string()).collect(),
        };
        sink.restart();
        sink
    }

    /// Starts (again) on the same port and folder.
    pub fn restart(&mut self) {
        self.stop();
        let mut cmd = Command::new(smtp_sink_binary());
        if running_as_root() {
            cmd.args(["-u", "nobody"]);
        }
        let child = cmd
            .args(&self.args)
            .arg("-d")
            .arg(self.dumps.path().join("msg."))
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("1024")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start smtp-sink");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "smtp-sink did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Restarts with other options (e.g. without the injected failures).
    pub fn args_replace(&mut self, args: &[&str]) {
        self.args = args.iter().map(|a| a.to_string()).collect();
        self.restart();
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message dumped so far, as text.
    pub fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.dumps.path())
            .map(|it| {
                it.filter_map(Result::ok)
                    .filter_map(|e| std::fs::read(e.path()).ok())
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn count(&self) -> usize {
        std::fs::read_dir(self.dumps.path())
            .map(|it| it.count())
            .unwrap_or(0)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A TCP proxy from a fixed loopback port to `upstream`; `cut` drops the listener and every
/// open connection (the upstream looks down), `restore` listens again on the same port.
pub struct CuttableProxy {
    pub port: u16,
    upstream: u16,
    tasks: Option<tokio::task::JoinHandle<()>>,
}

impl CuttableProxy {
    pub async fn start(upstream: u16) -> CuttableProxy {
        let mut proxy = CuttableProxy {
            port: free_port(),
            upstream,
            tasks: None,
        };
        proxy.restore().await;
        proxy
    }

    pub async fn restore(&mut self) {
        self.cut();
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("bind proxy");
        let upstream = self.upstream;
        self.tasks = Some(tokio::spawn(async move {
            let connections = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.lock().await.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", upstream)).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Aborting the accept task drops the listener and the JoinSet, which aborts every
    /// forwarding task and so closes every proxied connection.
    pub fn cut(&mut self) {
        if let Some(task) = self.tasks.take() {
            task.abort();
        }
    }
}

impl Drop for CuttableProxy {
    fn drop(&mut self) {
        self.cut();
    }
}
