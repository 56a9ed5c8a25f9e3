//! The mail transports against a real SMTP server over TCP: Postfix's `smtp-sink`, spawned per
//! test on a free loopback port, told by its options to accept, reject (4xx/5xx) or drop, and
//! dumping each message it accepted into a folder we read back. Also the file transport.
//!
//! These tests fail, never skip, when `smtp-sink` is missing: `scripts/smtp-sink` installs it.

use std::collections::HashSet;
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use partnerdesk::config::{Config, MailTransportKind};
use partnerdesk::notify::{
    build_message, mailer_from_config, MailSetupError, Mailer, OutgoingMail, SendError, SmtpMailer,
};
use tokio::net::{TcpListener, TcpStream};

const FROM: &str = "PartnerWorld デスク <desk@example.com>";
const JA_SUBJECT: &str = "株式会社テスト 手続き完了のご案内";

// ---------------------------------------------------------------------------------------------
// smtp-sink as a child process

fn smtp_sink_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("SMTP_SINK") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|dir| dir.join("smtp-sink"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "smtp-sink (Postfix) was not found in PATH, /usr/sbin or /usr/local/sbin: \
                 run scripts/smtp-sink to install it, or set SMTP_SINK=/path/to/smtp-sink"
            )
        })
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One smtp-sink process; killed when dropped.
struct Sink {
    child: Child,
    port: u16,
    dumps: tempfile::TempDir,
    args: Vec<String>,
}

impl Sink {
    /// Starts smtp-sink with extra `args` (such as `-f RCPT`) on a free port.
    fn start(args: &[&str]) -> Sink {
        let dumps = tempfile::tempdir().expect("dump folder");
        // smtp-sink drops to `nobody` when started as root; that user writes the dumps.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dumps.path(), std::fs::Permissions::from_mode(0o777))
                .expect("chmod dump folder");
        }
        let args = args.iter().map(|a| a.to_string()).collect();
        Sink::spawn(free_port(), dumps, args)
    }

    fn spawn(port: u16, dumps: tempfile::TempDir, args: Vec<String>) -> Sink {
        let mut cmd = Command::new(smtp_sink_binary());
        if running_as_root() {
            cmd.args(["-u", "nobody"]);
        }
        cmd.args(&args)
            .arg("-d")
            .arg(dumps.path().join("msg."))
            .arg(format!("127.0.0.1:{port}"))
            .arg("1024")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", smtp_sink_binary().display()));
        let mut sink = Sink {
            child,
            port,
            dumps,
            args,
        };
        sink.wait_listening();
        sink
    }

    fn wait_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("smtp-sink exited at start: {status}");
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("smtp-sink did not listen on 127.0.0.1:{}", self.port);
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server, keeping its port and dump folder for [`Sink::restart`].
    fn kill(mut self) -> (u16, tempfile::TempDir, Vec<String>) {
        self.stop();
        let dumps = std::mem::replace(&mut self.dumps, tempfile::tempdir().expect("tempdir"));
        (self.port, dumps, std::mem::take(&mut self.args))
    }

    fn restart((port, dumps, args): (u16, tempfile::TempDir, Vec<String>)) -> Sink {
        Sink::spawn(port, dumps, args)
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages smtp-sink dumped, waiting up to 5 s for `count` of them.
    fn messages(&self, count: usize) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let files = dump_files(self.dumps.path());
            if files.len() >= count || Instant::now() > deadline {
                return files
                    .iter()
                    .map(|p| std::fs::read(p).expect("read dump"))
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn message_count(&self) -> usize {
        dump_files(self.dumps.path()).len()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn dump_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy that counts the connections it accepts

struct CountingProxy {
    port: u16,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl CountingProxy {
    async fn start(upstream: u16) -> CountingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("proxy addr").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                        return;
                    };
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
            }
        });
        CountingProxy {
            port,
            accepted,
            task,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// A TLS front for smtp-sink (which speaks no TLS): implicit TLS, or a STARTTLS handshake of its
// own before relaying the decrypted session to smtp-sink.

#[derive(Clone, Copy)]
enum TlsMode {
    Implicit,
    StartTls,
}

struct TlsFront {
    port: u16,
    /// The front's self-signed certificate, for the client to trust.
    cert_der: Vec<u8>,
    task: tokio::task::JoinHandle<()>,
}

impl TlsFront {
    async fn start(upstream: u16, mode: TlsMode) -> TlsFront {
        use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
        use tokio_rustls::rustls::{crypto::ring, ServerConfig};

        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
        let cert_der = certified.cert.der().clone();
        let key =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert_der.clone()], key)
            .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind TLS front");
        let port = listener.local_addr().expect("front addr").port();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _ = TlsFront::relay(client, upstream, acceptor, mode).await;
                });
            }
        });
        TlsFront {
            port,
            cert_der: cert_der.to_vec(),
            task,
        }
    }

    async fn relay(
        client: TcpStream,
        upstream: u16,
        acceptor: tokio_rustls::TlsAcceptor,
        mode: TlsMode,
    ) -> std::io::Result<()> {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let mut server = BufReader::new(TcpStream::connect(("127.0.0.1", upstream)).await?);
        let mut client = match mode {
            TlsMode::Implicit => acceptor.accept(client).await?,
            TlsMode::StartTls => {
                let mut client = BufReader::new(client);
                let mut line = String::new();
                client
                    .get_mut()
                    .write_all(b"220 tls-front ESMTP\r\n")
                    .await?;
                client.read_line(&mut line).await?; // EHLO
                client
                    .get_mut()
                    .write_all(b"250-tls-front\r\n250-8BITMIME\r\n250 STARTTLS\r\n")
                    .await?;
                line.clear();
                client.read_line(&mut line).await?;
                if !line.eq_ignore_ascii_case("STARTTLS\r\n") {
                    return Ok(());
                }
                client
                    .get_mut()
                    .write_all(b"220 2.0.0 go ahead\r\n")
                    .await?;
                let tls = acceptor.accept(client.into_inner()).await?;
                // The client had our greeting; smtp-sink's is swallowed, and the client's
                // second EHLO (inside TLS) goes to smtp-sink.
                line.clear();
                server.read_line(&mut line).await?;
                tls
            }
        };
        tokio::io::copy_bidirectional(&mut client, server.get_mut()).await?;
        Ok(())
    }

    fn tls_parameters(&self) -> lettre::transport::smtp::client::TlsParameters {
        use lettre::transport::smtp::client::{Certificate, TlsParameters};
        TlsParameters::builder("localhost".into())
            .add_root_certificate(Certificate::from_der(self.cert_der.clone()).expect("der"))
            .build()
            .expect("TLS parameters")
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn smtp_config(url: &str) -> Config {
    let mut config = Config::default();
    config.mail.transport = MailTransportKind::Smtp;
    config.mail.from = FROM.into();
    config.mail.smtp_url = Some(url.into());
    config.mail.timeout_secs = 5;
    config.mail.pool_size = 4;
    config
}

fn smtp_mailer(url: &str) -> SmtpMailer {
    SmtpMailer::from_config(&smtp_config(url).mail).expect("smtp mailer")
}

fn plain_mail(n: usize) -> OutgoingMail {
    OutgoingMail {
        to: "partner@example.com".into(),
        to_name: None,
        subject: format!("message {n}"),
        text: format!("body of message {n}\n.a line starting with a dot\n"),
        html: None,
        message_id_hint: Some(format!("test:{n}")),
    }
}

fn japanese_mail() -> OutgoingMail {
    OutgoingMail {
        to: "tanaka@example.co.jp".into(),
        to_name: Some("田中 太郎".into()),
        subject: JA_SUBJECT.into(),
        text: "田中様\n\n株式会社テストの登録手続きが完了しました。\nPWCS: 0120-07-2004（音声ガイダンス 3 番）\n".into(),
        html: Some(
            "<p>田中様</p><p>株式会社テストの登録手続きが<b>完了</b>しました。</p>".into(),
        ),
        message_id_hint: Some("review:42:completed".into()),
    }
}

/// The raw header `name` with its continuation lines, as the bytes hold it.
fn raw_header(bytes: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let head = text.split("\n\n").next().unwrap_or_default().to_string();
    let mut lines = head.lines();
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut found = lines
        .by_ref()
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))?
        .to_string();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            found.push('\n');
            found.push_str(line);
        } else {
            break;
        }
    }
    Some(found)
}

fn header_names(bytes: &[u8]) -> Vec<String> {
    let parsed = mailparse::parse_mail(bytes).expect("parse message");
    parsed
        .headers
        .iter()
        .map(|h| h.get_key().to_ascii_lowercase())
        .collect()
}

fn normalized(s: &str) -> String {
    s.replace("\r\n", "\n").trim_end().to_string()
}

fn assert_temporary(err: &SendError, needle: &str) {
    assert!(
        matches!(err, SendError::Temporary { .. }),
        "expected Temporary, got {err:?}"
    );
    assert!(
        err.reason().contains(needle),
        "reason {:?} should contain {needle:?}",
        err.reason()
    );
}

fn assert_permanent(err: &SendError, needle: &str) {
    assert!(
        matches!(err, SendError::Permanent { .. }),
        "expected Permanent, got {err:?}"
    );
    assert!(
        err.reason().contains(needle),
        "reason {:?} should contain {needle:?}",
        err.reason()
    );
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn japanese_multipart_message_arrives_intact() {
    let sink = Sink::start(&[]);
    let mailer = mailer_from_config(&smtp_config(&sink.url()))
        .await
        .expect("mailer");
    let mail = japanese_mail();
    mailer.send(&mail).await.expect("sent");

    let dumps = sink.messages(1);
    assert_eq!(dumps.len(), 1, "exactly one message arrived");
    let bytes = &dumps[0];
    let raw = String::from_utf8_lossy(bytes);
    assert!(raw.contains("X-Rcpt-Args: <tanaka@example.co.jp>"), "{raw}");
    assert!(raw.contains("X-Mail-Args: <desk@example.com>"), "{raw}");

    // The Subject on the wire is ASCII encoded-words and decodes back to the original.
    let subject = raw_header(bytes, "Subject").expect("Subject header");
    assert!(subject.is_ascii(), "raw subject is not ASCII: {subject:?}");
    let words: Vec<&str> = subject["Subject:".len()..].split_whitespace().collect();
    assert!(!words.is_empty());
    for word in &words {
        assert!(
            word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?="),
            "not an RFC 2047 base64 word: {word:?} in {subject:?}"
        );
    }
    let parsed = mailparse::parse_mail(bytes).expect("parse dumped message");
    use mailparse::MailHeaderMap;
    assert_eq!(
        parsed.headers.get_first_value("Subject").as_deref(),
        Some(JA_SUBJECT)
    );

    // Display names are encoded too, and decode back.
    let to = raw_header(bytes, "To").expect("To header");
    assert!(to.is_ascii(), "raw To is not ASCII: {to:?}");
    let to = parsed.headers.get_first_value("To").expect("To");
    assert!(to.contains("田中 太郎"), "{to}");
    assert!(to.contains("<tanaka@example.co.jp>"), "{to}");
    let from = parsed.headers.get_first_value("From").expect("From");
    assert!(from.contains("PartnerWorld デスク"), "{from}");
    assert!(from.contains("<desk@example.com>"), "{from}");
    let message_id = parsed
        .headers
        .get_first_value("Message-ID")
        .expect("Message-ID");
    assert!(
        message_id.starts_with("<review-42-completed.") && message_id.ends_with("@example.com>"),
        "{message_id}"
    );
    let date = parsed.headers.get_first_value("Date").expect("Date header");
    mailparse::dateparse(&date).expect("Date is RFC 5322");
    assert_eq!(parsed.ctype.mimetype, "multipart/alternative");

    // Both parts, text first, each decoding back to what was sent.
    assert_eq!(parsed.subparts.len(), 2);
    assert_eq!(parsed.subparts[0].ctype.mimetype, "text/plain");
    assert_eq!(
        parsed.subparts[0].ctype.charset.to_ascii_lowercase(),
        "utf-8"
    );
    assert_eq!(
        normalized(&parsed.subparts[0].get_body().expect("text body")),
        normalized(&mail.text)
    );
    assert_eq!(parsed.subparts[1].ctype.mimetype, "text/html");
    assert_eq!(
        normalized(&parsed.subparts[1].get_body().expect("html body")),
        normalized(mail.html.as_deref().unwrap_or_default())
    );
    // Everything on the wire is 7-bit: no server needs 8BITMIME for our mail.
    assert!(bytes.is_ascii());
}

#[tokio::test]
async fn header_injection_in_subject_or_name_never_adds_a_header() {
    let sink = Sink::start(&[]);
    let mailer = smtp_mailer(&sink.url());
    let evil = "Evil\r\nBcc: victim@example.com";

    let mut mail = plain_mail(1);
    mail.subject = evil.into();
    let err = mailer.send(&mail).await.expect_err("subject refused");
    assert_permanent(&err, "line break");
    let err = build_message(&FROM.parse().expect("from"), &mail).expect_err("refused");
    assert_permanent(&err, "subject");

    let mut mail = plain_mail(2);
    mail.to_name = Some(evil.into());
    let err = mailer.send(&mail).await.expect_err("name refused");
    assert_permanent(&err, "recipient name");

    for evil in [
        "Evil\nBcc: victim@example.com",
        "Evil\rBcc: victim@example.com",
    ] {
        let mut mail = plain_mail(3);
        mail.subject = evil.into();
        assert!(mailer.send(&mail).await.is_err(), "{evil:?} refused");
    }

    // Nothing of the refused messages reached the server; an honest one still does, with one
    // recipient and no Bcc anywhere in its bytes.
    mailer.send(&plain_mail(4)).await.expect("honest mail sent");
    let dumps = sink.messages(1);
    assert_eq!(dumps.len(), 1);
    let bytes = &dumps[0];
    assert!(!header_names(bytes).contains(&"bcc".to_string()));
    let raw = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    assert!(!raw.contains("bcc:"), "{raw}");
    assert!(!raw.contains("victim"), "{raw}");
    assert_eq!(raw.matches("x-rcpt-args:").count(), 1, "{raw}");
}

#[tokio::test]
async fn line_breaks_in_body_text_are_fine() {
    // Only headers are guarded: bodies keep their lines, including ones that look like headers.
    let from = FROM.parse().expect("from");
    let mut mail = plain_mail(1);
    mail.text = "first line\r\nBcc: victim@example.com\r\n".into();
    let bytes = build_message(&from, &mail).expect("built").formatted();
    assert!(!header_names(&bytes).contains(&"bcc".to_string()));
}

#[tokio::test]
async fn rcpt_451_is_temporary_with_the_reply() {
    let sink = Sink::start(&["-r", "RCPT", "-b", "451 4.3.0 try again later"]);
    let mailer = smtp_mailer(&sink.url());
    let err = mailer.send(&plain_mail(1)).await.expect_err("451");
    assert_temporary(&err, "451 4.3.0 try again later");
    assert_eq!(sink.message_count(), 0);
}

#[tokio::test]
async fn data_451_is_temporary_with_the_reply() {
    let sink = Sink::start(&["-r", "DATA", "-b", "451 4.7.1 greylisted, come back later"]);
    let mailer = smtp_mailer(&sink.url());
    let err = mailer.send(&plain_mail(1)).await.expect_err("451");
    assert_temporary(&err, "451 4.7.1 greylisted, come back later");
    assert_eq!(sink.message_count(), 0);
}

#[tokio::test]
async fn rcpt_550_is_permanent_with_the_reply_and_the_session_is_reused() {
    let sink = Sink::start(&["-f", "RCPT", "-B", "550 5.1.1 mailbox unavailable"]);
    let mailer = smtp_mailer(&sink.url());
    for n in 0..3 {
        let err = mailer.send(&plain_mail(n)).await.expect_err("550");
        assert_permanent(&err, "550 5.1.1 mailbox unavailable");
    }
    // A rejected recipient leaves the session in step (RSET), so it carries the next message.
    assert_eq!(mailer.connections_opened(), 1);
    assert_eq!(sink.message_count(), 0);
}

#[tokio::test]
async fn rejection_at_end_of_data_is_permanent() {
    let sink = Sink::start(&["-f", ".", "-B", "554 5.7.1 message content rejected"]);
    let mailer = smtp_mailer(&sink.url());
    let err = mailer.send(&plain_mail(1)).await.expect_err("554");
    assert_permanent(&err, "554 5.7.1 message content rejected");
}

#[tokio::test]
async fn server_down_is_temporary() {
    let port = free_port(); // nothing listens there
    let mailer = smtp_mailer(&format!("smtp://127.0.0.1:{port}"));
    let err = mailer.send(&plain_mail(1)).await.expect_err("refused");
    assert_temporary(&err, "cannot connect to 127.0.0.1");
    assert!(
        err.reason().to_ascii_lowercase().contains("refused"),
        "{}",
        err.reason()
    );
}

#[tokio::test]
async fn dropped_connections_are_temporary() {
    // Dropped without a reply after RCPT.
    let sink = Sink::start(&["-q", "RCPT"]);
    let err = smtp_mailer(&sink.url())
        .send(&plain_mail(1))
        .await
        .expect_err("dropped");
    assert_temporary(&err, "RCPT TO");
    // 421 and dropped after MAIL.
    let sink = Sink::start(&["-Q", "MAIL"]);
    let err = smtp_mailer(&sink.url())
        .send(&plain_mail(1))
        .await
        .expect_err("421");
    assert_temporary(&err, "421");
    // Dropped right at connect.
    let sink = Sink::start(&["-q", "CONNECT"]);
    let err = smtp_mailer(&sink.url())
        .send(&plain_mail(1))
        .await
        .expect_err("no greeting");
    assert!(err.is_temporary(), "{err:?}");
}

#[tokio::test]
async fn a_server_that_comes_back_gets_the_next_message_on_a_fresh_connection() {
    let sink = Sink::start(&[]);
    let mailer = smtp_mailer(&sink.url());
    mailer.send(&plain_mail(1)).await.expect("first send");
    assert_eq!(mailer.connections_opened(), 1);

    let parked = sink.kill();
    let err = mailer.send(&plain_mail(2)).await.expect_err("server down");
    assert_temporary(&err, "refused");

    let sink = Sink::restart(parked);
    mailer
        .send(&plain_mail(3))
        .await
        .expect("send after restart");
    assert_eq!(mailer.connections_opened(), 2, "one fresh connection");
    mailer.send(&plain_mail(4)).await.expect("and it is reused");
    assert_eq!(mailer.connections_opened(), 2);
    assert_eq!(sink.messages(3).len(), 3);
}

#[tokio::test]
async fn a_slow_server_times_out_as_temporary() {
    let sink = Sink::start(&["-w", "4"]); // waits 4 s before answering DATA
    let mut config = smtp_config(&sink.url());
    config.mail.timeout_secs = 1;
    let mailer = mailer_from_config(&config).await.expect("mailer");
    let err = mailer.send(&plain_mail(1)).await.expect_err("timeout");
    assert_temporary(&err, "no reply within 1s");
}

#[tokio::test]
async fn auth_is_sent_when_the_url_names_a_user() {
    // Without TLS only with the operator's consent (mail.allow_plaintext_auth).
    let mut config = smtp_config("smtp://desk@127.0.0.1:25");
    config.mail.smtp_password = Some("secret".into());
    let refused = mailer_from_config(&config)
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        refused
            .as_deref()
            .is_some_and(|e| e.contains("mail.allow_plaintext_auth") && !e.contains("secret")),
        "{refused:?}"
    );

    let sink = Sink::start(&[]);
    let mut config = smtp_config(&format!("smtp://desk@127.0.0.1:{}", sink.port));
    config.mail.allow_plaintext_auth = true;
    config.mail.smtp_password = Some("secret".into());
    let mailer = mailer_from_config(&config).await.expect("mailer");
    mailer.send(&plain_mail(1)).await.expect("sent with AUTH");

    let sink = Sink::start(&["-f", "AUTH", "-B", "535 5.7.8 authentication failed"]);
    let mut config = smtp_config(&format!("smtp://desk@127.0.0.1:{}", sink.port));
    config.mail.allow_plaintext_auth = true;
    config.mail.smtp_password = Some("wrong".into());
    let mailer = mailer_from_config(&config).await.expect("mailer");
    let err = mailer.send(&plain_mail(1)).await.expect_err("auth refused");
    // A wrong password is the operator's to fix, not the message's: retried, not dead.
    assert_temporary(&err, "535 5.7.8 authentication failed");

    let sink = Sink::start(&["-a"]); // no AUTH offered
    let mut config = smtp_config(&format!("smtp://desk@127.0.0.1:{}", sink.port));
    config.mail.allow_plaintext_auth = true;
    config.mail.smtp_password = Some("secret".into());
    let err = mailer_from_config(&config)
        .await
        .expect("mailer")
        .send(&plain_mail(1))
        .await
        .expect_err("no mechanism");
    assert_temporary(&err, "AUTH");
}

#[tokio::test]
async fn tls_is_never_silently_skipped() {
    // smtp-sink offers no STARTTLS: tls=required must refuse to go on in plain text.
    let sink = Sink::start(&[]);
    let mailer = smtp_mailer(&format!("{}?tls=required", sink.url()));
    let err = mailer.send(&plain_mail(1)).await.expect_err("no STARTTLS");
    assert_temporary(&err, "STARTTLS");
    // Implicit TLS against a plain-text server fails in the handshake.
    let mailer = smtp_mailer(&format!("smtps://127.0.0.1:{}", sink.port));
    let err = mailer.send(&plain_mail(2)).await.expect_err("no TLS");
    assert_temporary(&err, "TLS");
    assert_eq!(sink.message_count(), 0);
    // tls=opportunistic goes on without it.
    let mailer = smtp_mailer(&format!("{}?tls=opportunistic", sink.url()));
    mailer.send(&plain_mail(3)).await.expect("opportunistic");
}

#[tokio::test]
async fn implicit_tls_and_starttls_carry_mail_through_a_real_tls_handshake() {
    use partnerdesk::notify::{SmtpSecurity, SmtpSettings};
    let sink = Sink::start(&[]);
    let from: lettre::message::Mailbox = FROM.parse().expect("from");

    let front = TlsFront::start(sink.port, TlsMode::Implicit).await;
    let mut settings = SmtpSettings::parse(
        &format!("smtps://desk@localhost:{}", front.port),
        Some("secret"),
        Duration::from_secs(5),
        2,
    )
    .expect("smtps url");
    settings.security = SmtpSecurity::Implicit(front.tls_parameters());
    let mailer = SmtpMailer::new(settings, from.clone());
    mailer.send(&plain_mail(1)).await.expect("sent over smtps");
    mailer
        .send(&japanese_mail())
        .await
        .expect("second over the same session");
    assert_eq!(mailer.connections_opened(), 1);

    let front = TlsFront::start(sink.port, TlsMode::StartTls).await;
    let mut settings = SmtpSettings::parse(
        &format!("smtp://desk@localhost:{}?tls=required", front.port),
        Some("secret"),
        Duration::from_secs(5),
        2,
    )
    .expect("starttls url");
    settings.security = SmtpSecurity::StartTls {
        required: true,
        tls: front.tls_parameters(),
    };
    let mailer = SmtpMailer::new(settings, from);
    mailer
        .send(&plain_mail(2))
        .await
        .expect("sent after STARTTLS");
    mailer
        .send(&plain_mail(3))
        .await
        .expect("second after STARTTLS");
    assert_eq!(mailer.connections_opened(), 1);

    assert_eq!(sink.messages(4).len(), 4);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let sink = Sink::start(&[]);
    let front = TlsFront::start(sink.port, TlsMode::Implicit).await;
    // The URL alone trusts only public roots, not the front's self-signed certificate.
    let mailer = smtp_mailer(&format!("smtps://localhost:{}", front.port));
    let err = mailer.send(&plain_mail(1)).await.expect_err("untrusted");
    assert_temporary(&err, "TLS handshake");
    assert_eq!(sink.message_count(), 0);
}

#[tokio::test]
async fn file_transport_writes_one_eml_per_message() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("var").join("mail");
    let mut config = Config::default();
    config.mail.from = FROM.into();
    config.mail.dir = dir.to_string_lossy().into_owned();
    let mailer = mailer_from_config(&config).await.expect("file mailer");
    assert!(dir.is_dir(), "the folder is created");
    mailer.send(&japanese_mail()).await.expect("sent");
    mailer.send(&plain_mail(1)).await.expect("sent");
    mailer.send(&plain_mail(2)).await.expect("sent");
    let files = dump_files(&dir);
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files
        .iter()
        .all(|f| f.extension().and_then(|e| e.to_str()) == Some("eml")));
    let subjects: HashSet<String> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).expect("read eml");
            let parsed = mailparse::parse_mail(&bytes).expect("parse eml");
            use mailparse::MailHeaderMap;
            parsed
                .headers
                .get_first_value("Subject")
                .unwrap_or_default()
        })
        .collect();
    assert!(subjects.contains(JA_SUBJECT), "{subjects:?}");
    assert!(subjects.contains("message 1"), "{subjects:?}");
}

#[tokio::test]
async fn bad_mail_settings_fail_at_build_time() {
    let mut config = smtp_config("smtp://127.0.0.1:25?tsl=required");
    match mailer_from_config(&config).await {
        Err(MailSetupError::Config(e)) => {
            let text = e.render(partnerdesk::i18n::Locale::En);
            assert!(text.contains("tsl"), "{text}")
        }
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a misspelt tls parameter was accepted"),
    }
    config.mail.smtp_url = Some("smtp://127.0.0.1:25".into());
    config.mail.from = "not a mailbox".into();
    assert!(matches!(
        mailer_from_config(&config).await,
        Err(MailSetupError::Config(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_messages_reuse_the_pooled_connections() {
    let sink = Sink::start(&[]);
    let proxy = CountingProxy::start(sink.port).await;
    let mut config = smtp_config(&format!("smtp://127.0.0.1:{}", proxy.port));
    config.mail.pool_size = 4;
    let mailer = Arc::new(SmtpMailer::from_config(&config.mail).expect("mailer"));

    // One after the other: one connection carries them all.
    for n in 0..100 {
        mailer.send(&plain_mail(n)).await.expect("sequential send");
    }
    assert_eq!(proxy.accepted(), 1, "sequential sends share one connection");

    // Eight senders at once over a pool of four: never more than four connections.
    let next = Arc::new(AtomicUsize::new(100));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let mailer = Arc::clone(&mailer);
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            loop {
                let id = next.fetch_add(1, Ordering::SeqCst);
                if id >= 200 {
                    break;
                }
                mailer.send(&plain_mail(id)).await.expect("concurrent send");
            }
        }));
    }
    for task in tasks {
        task.await.expect("sender task");
    }
    assert!(
        (1..=4).contains(&proxy.accepted()),
        "{} connections for a pool of 4",
        proxy.accepted()
    );
    assert_eq!(mailer.connections_opened() as usize, proxy.accepted());
    assert_eq!(sink.messages(200).len(), 200, "all 200 messages arrived");
    mailer.close_idle().await;
}
