//! SMTP delivery with a small pool of reused connections.
//!
//! This module owns everything between a built message and the mail server: opening
//! connections as `mail.smtp_url` says (plain, STARTTLS, implicit TLS, AUTH; the URL itself is
//! read into [`SmtpSettings`] by `crate::config::smtp_url`), keeping up to `mail.pool_size` of
//! them open and reusing them, checking an idle one before reuse, and turning every failure
//! into [`SendError::Temporary`] or [`SendError::Permanent`].
//!
//! Connections are opened here, not by lettre's `AsyncSmtpTransport`: lettre 0.11.23 leaves
//! Nagle's algorithm on, and because it writes a message body and its final `.` in two writes,
//! the second one waits for the server's delayed ACK (~40 ms) on every message. We open the
//! socket ourselves with `TCP_NODELAY` and hand it to lettre's `AsyncSmtpConnection`, which
//! still speaks the protocol (EHLO, STARTTLS, AUTH, dot-stuffing, reply parsing).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use lettre::address::Envelope;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::DEFAULT_MECHANISMS;
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Noop, Quit, Rcpt, Rset};
use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::Error as SmtpError;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::timeout;

use crate::config::smtp_url::{SmtpSecurity, SmtpSettings};
use crate::config::MailConfig;

use super::mail::{
    build_message, sender_from_config, MailSetupError, Mailer, OutgoingMail, SendError,
};

/// An idle connection unused for longer than this is checked with NOOP before reuse, not
/// only by peeking at its socket: a peek cannot see a peer that vanished without closing
/// (a NAT or firewall that dropped its state).
const NOOP_AFTER_IDLE: Duration = Duration::from_secs(30);

/// Sends over SMTP through at most `pool_size` connections, each opened once and reused.
pub struct SmtpMailer {
    settings: SmtpSettings,
    target: String,
    from: Mailbox,
    /// One permit per connection that may be open; a sender holds one for its whole send.
    permits: Semaphore,
    /// Connections ready for reuse, most recently used last (reused first, so that rarely
    /// needed extras age out).
    idle: Mutex<Vec<Connection>>,
    opened: AtomicU64,
}

impl SmtpMailer {
    pub fn new(settings: SmtpSettings, from: Mailbox) -> Self {
        Self {
            target: settings.target(),
            permits: Semaphore::new(settings.pool_size),
            idle: Mutex::new(Vec::with_capacity(settings.pool_size)),
            opened: AtomicU64::new(0),
            settings,
            from,
        }
    }

    pub fn from_config(mail: &MailConfig) -> Result<Self, MailSetupError> {
        Ok(Self::new(
            SmtpSettings::from_config(mail)?,
            sender_from_config(mail)?,
        ))
    }

    pub fn settings(&self) -> &SmtpSettings {
        &self.settings
    }

    /// SMTP sessions opened since this mailer was built (for metrics and tests).
    pub fn connections_opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    /// Says QUIT on every idle connection; for a graceful shutdown.
    pub async fn close_idle(&self) {
        let idle = std::mem::take(&mut *self.lock_idle());
        for mut conn in idle {
            let _ = timeout(self.settings.timeout, conn.smtp.command(Quit)).await;
        }
    }

    /// Sends an already built message: `envelope` says who to, `body` is the whole message.
    pub async fn send_raw(&self, envelope: &Envelope, body: &[u8]) -> Result<(), SendError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| SendError::temporary("the SMTP mailer is closed"))?;
        let mut fresh_only = false;
        loop {
            let reused = if fresh_only {
                None
            } else {
                self.take_idle().await
            };
            let was_reused = reused.is_some();
            let mut conn = match reused {
                Some(conn) => conn,
                None => self.open().await?,
            };
            match transaction(&mut conn.smtp, envelope, body, &self.settings).await {
                Ok(()) => {
                    self.park(conn);
                    return Ok(());
                }
                Err(TxError::Rejected(e)) => {
                    // The server said no to this message; the session itself is fine once
                    // reset (a 421 closes it, and then RSET fails and it is dropped).
                    if timeout(self.settings.timeout, conn.smtp.command(Rset))
                        .await
                        .is_ok_and(|r| r.is_ok())
                    {
                        self.park(conn);
                    }
                    return Err(classify_reply(&e));
                }
                Err(TxError::Refused(err)) => {
                    // Refused before any command was sent: the session is untouched.
                    self.park(conn);
                    return Err(err);
                }
                Err(TxError::Broken {
                    stage: Stage::Mail, ..
                }) if was_reused => {
                    // An idle session closed by the server between our check and MAIL FROM.
                    // Nothing of the message was sent, so a fresh session cannot duplicate it.
                    fresh_only = true;
                }
                Err(TxError::Broken {
                    stage: Stage::Content,
                    error,
                }) => {
                    // The whole message went out; whether the server kept it is unknown.
                    return Err(SendError::temporary(format!(
                        "possibly delivered: {}: connection lost before the reply to the end of data: {}",
                        self.target,
                        describe(&error)
                    )));
                }
                Err(TxError::Broken { stage, error }) => {
                    return Err(SendError::temporary(format!(
                        "{}: connection lost at {stage}: {}",
                        self.target,
                        describe(&error)
                    )));
                }
                Err(TxError::NoReply {
                    stage: Stage::Content,
                    waited,
                }) => {
                    return Err(SendError::temporary(format!(
                        "possibly delivered: {}: no reply within {}s after the end of data",
                        self.target,
                        waited.as_secs()
                    )));
                }
                Err(TxError::NoReply { stage, waited }) => {
                    return Err(SendError::temporary(format!(
                        "{}: no reply within {}s to {stage}",
                        self.target,
                        waited.as_secs()
                    )));
                }
            }
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // Only push and pop happen under this lock, so a poisoned one still holds a valid Vec.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn park(&self, mut conn: Connection) {
        conn.last_used = Instant::now();
        self.lock_idle().push(conn);
    }

    async fn take_idle(&self) -> Option<Connection> {
        loop {
            let mut conn = self.lock_idle().pop()?;
            if conn.is_usable(self.settings.timeout).await {
                return Some(conn);
            }
            tracing::debug!(server = %self.target, "dropping a closed idle SMTP connection");
        }
    }

    async fn open(&self) -> Result<Connection, SendError> {
        match timeout(self.settings.timeout, self.open_session()).await {
            Ok(result) => result,
            Err(_) => Err(SendError::temporary(format!(
                "{}: no SMTP session within {}s",
                self.target,
                self.settings.timeout.as_secs()
            ))),
        }
    }

    async fn open_session(&self) -> Result<Connection, SendError> {
        let s = &self.settings;
        let failed = |what: &str, e: SmtpError| {
            // A failure while opening the session says nothing about the message (a wrong
            // password, a server refusing sessions), so it is temporary: the outbox retries
            // once the operator fixed it instead of dead-lettering every queued message.
            SendError::temporary(format!("{}: {what} failed: {}", self.target, describe(&e)))
        };
        let tcp = TcpStream::connect((s.host.as_str(), s.port))
            .await
            .map_err(|e| SendError::temporary(format!("cannot connect to {}: {e}", self.target)))?;
        tcp.set_nodelay(true).map_err(|e| {
            SendError::temporary(format!("{}: cannot set TCP_NODELAY: {e}", self.target))
        })?;
        let probe = Probe::of(&tcp);
        let stream: Box<dyn AsyncTokioStream> = match &s.security {
            SmtpSecurity::Implicit(tls) => Box::new(
                ImplicitTls::handshake(tcp, tls.clone())
                    .await
                    .map_err(|e| failed("the TLS handshake", e))?,
            ),
            SmtpSecurity::Plain | SmtpSecurity::StartTls { .. } => Box::new(tcp),
        };
        let mut smtp = AsyncSmtpConnection::connect_with_transport(stream, &s.hello_name)
            .await
            .map_err(|e| failed("the greeting or EHLO", e))?;
        if let SmtpSecurity::StartTls { required, tls } = &s.security {
            if smtp.can_starttls() {
                smtp.starttls(tls.clone(), &s.hello_name)
                    .await
                    .map_err(|e| failed("STARTTLS", e))?;
            } else if *required {
                return Err(SendError::temporary(format!(
                    "{}: the server does not offer STARTTLS, which mail.smtp_url requires (tls=required); nothing was sent in plain text",
                    self.target
                )));
            }
        }
        if let Some(credentials) = &s.credentials {
            smtp.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| failed("AUTH", e))?;
        }
        self.opened.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(server = %self.target, "opened an SMTP connection");
        Ok(Connection {
            smtp,
            probe,
            last_used: Instant::now(),
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = build_message(&self.from, mail)?;
        self.send_raw(message.envelope(), &message.formatted())
            .await
    }
}

struct Connection {
    smtp: AsyncSmtpConnection,
    probe: Probe,
    last_used: Instant,
}

impl Connection {
    /// Whether an idle session can take the next message: a closed socket is seen by peeking
    /// at it (no round trip); anything unexpected, or a long idle time, costs a NOOP.
    async fn is_usable(&mut self, limit: Duration) -> bool {
        if self.smtp.has_broken() {
            return false;
        }
        match self.probe.peek() {
            Liveness::Closed => false,
            Liveness::Quiet if self.last_used.elapsed() < NOOP_AFTER_IDLE => true,
            Liveness::Quiet | Liveness::Pending | Liveness::Unknown => {
                timeout(limit, self.smtp.command(Noop))
                    .await
                    .is_ok_and(|r| r.is_ok())
            }
        }
    }
}

enum Liveness {
    /// The peer closed or reset the socket.
    Closed,
    /// Nothing to read, as expected between transactions.
    Quiet,
    /// Bytes arrived unasked: a 421 before closing, or TLS records.
    Pending,
    /// No probe on this platform.
    Unknown,
}

/// A second handle on the session's socket, used only to peek without blocking.
struct Probe(#[cfg(unix)] Option<std::net::TcpStream>);

impl Probe {
    #[cfg(unix)]
    fn of(tcp: &TcpStream) -> Self {
        use std::os::fd::AsFd;
        let probe = tcp
            .as_fd()
            .try_clone_to_owned()
            .map(std::net::TcpStream::from)
            .ok()
            // The duplicate shares the socket's flags: tokio set O_NONBLOCK already; setting it
            // again guarantees that a peek can never block the runtime.
            .filter(|p| p.set_nonblocking(true).is_ok());
        Self(probe)
    }

    #[cfg(not(unix))]
    fn of(_tcp: &TcpStream) -> Self {
        Self()
    }

    #[cfg(unix)]
    fn peek(&self) -> Liveness {
        let Some(socket) = &self.0 else {
            return Liveness::Unknown;
        };
        let mut byte = [0u8; 1];
        match socket.peek(&mut byte) {
            Ok(0) => Liveness::Closed,
            Ok(_) => Liveness::Pending,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Liveness::Quiet,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Liveness::Unknown,
            Err(_) => Liveness::Closed,
        }
    }

    #[cfg(not(unix))]
    fn peek(&self) -> Liveness {
        Liveness::Unknown
    }
}

#[derive(Debug, Clone, Copy)]
enum Stage {
    Mail,
    Rcpt,
    Data,
    Content,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Mail => "MAIL FROM",
            Stage::Rcpt => "RCPT TO",
            Stage::Data => "DATA",
            Stage::Content => "end of data",
        })
    }
}

enum TxError {
    /// The server answered 4xx/5xx: the session is still in step with us.
    Rejected(SmtpError),
    /// No usable answer (dropped, garbled): the session is lost.
    Broken { stage: Stage, error: SmtpError },
    /// We refuse before sending anything.
    Refused(SendError),
    /// The server did not answer within the stage's time: the session is dropped.
    NoReply { stage: Stage, waited: Duration },
}

/// MAIL, RCPT, DATA and the content, one reply each. Done here rather than by lettre's
/// `AsyncSmtpConnection::send` because that one closes the session on any negative reply,
/// while a rejected recipient leaves a session we can reset and reuse.
///
/// Each step has its own time (RFC 5321 §4.5.3.2): `timeout` for the reply to each command,
/// `data_timeout` for sending the content and the reply to its final ".", so a server that
/// takes minutes to accept a message is waited for instead of being sent it again.
async fn transaction(
    smtp: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    body: &[u8],
    settings: &SmtpSettings,
) -> Result<(), TxError> {
    async fn within<T>(
        stage: Stage,
        limit: Duration,
        reply: impl std::future::Future<Output = Result<T, SmtpError>>,
    ) -> Result<(), TxError> {
        match timeout(limit, reply).await {
            Ok(result) => step(stage, result),
            Err(_) => Err(TxError::NoReply {
                stage,
                waited: limit,
            }),
        }
    }
    let mut parameters = Vec::new();
    let info = smtp.server_info();
    let addresses_ascii = envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .all(|a| AsRef::<str>::as_ref(a).is_ascii());
    if !addresses_ascii {
        if !info.supports_feature(Extension::SmtpUtfEight) {
            return Err(TxError::Refused(SendError::permanent(
                "an address is not ASCII and the mail server does not support SMTPUTF8",
            )));
        }
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if !body.is_ascii() {
        if !info.supports_feature(Extension::EightBitMime) {
            return Err(TxError::Refused(SendError::permanent(
                "the message is not ASCII and the mail server does not support 8BITMIME",
            )));
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let command = settings.timeout;
    within(
        Stage::Mail,
        command,
        smtp.command(Mail::new(envelope.from().cloned(), parameters)),
    )
    .await?;
    for to in envelope.to() {
        within(
            Stage::Rcpt,
            command,
            smtp.command(Rcpt::new(to.clone(), vec![])),
        )
        .await?;
    }
    within(Stage::Data, command, smtp.command(Data)).await?;
    within(Stage::Content, settings.data_timeout, smtp.message(body)).await
}

fn step<T>(stage: Stage, result: Result<T, SmtpError>) -> Result<(), TxError> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.status().is_some() => Err(TxError::Rejected(e)),
        Err(error) => Err(TxError::Broken { stage, error }),
    }
}

/// A negative reply: 5xx is permanent, anything else (4xx) temporary.
fn classify_reply(e: &SmtpError) -> SendError {
    if e.is_permanent() {
        SendError::permanent(describe(e))
    } else {
        SendError::temporary(describe(e))
    }
}

/// The server's reply as it sent it (`550 5.1.1 mailbox unavailable`), else lettre's words.
fn describe(e: &SmtpError) -> String {
    match e.status() {
        Some(code) => match std::error::Error::source(e).map(|s| s.to_string()) {
            Some(text) if !text.is_empty() => format!("{code} {text}"),
            _ => code.to_string(),
        },
        None => e.to_string(),
    }
}

/// A socket on which lettre ran its TLS handshake, given back to lettre as a plain stream so
/// that `AsyncSmtpConnection` reads the greeting through TLS (`smtps://`).
/// `AsyncNetworkStream` is deprecated as public API, but it is lettre's only way to run its
/// own TLS setup (`TlsParameters`) on a socket opened elsewhere.
#[allow(deprecated)]
#[derive(Debug)]
struct ImplicitTls(lettre::transport::smtp::client::AsyncNetworkStream);

#[allow(deprecated)]
impl ImplicitTls {
    async fn handshake(tcp: TcpStream, tls: TlsParameters) -> Result<Self, SmtpError> {
        use lettre::transport::smtp::client::AsyncNetworkStream;
        let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
        stream.upgrade_tls(tls).await?;
        Ok(Self(stream))
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}

impl AsyncRead for ImplicitTls {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        match futures_io::AsyncRead::poll_read(Pin::new(&mut self.get_mut().0), cx, unfilled) {
            Poll::Ready(Ok(n)) => {
                buf.advance(n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.get_mut().0), cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(Pin::new(&mut self.get_mut().0), cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(Pin::new(&mut self.get_mut().0), cx)
    }
}
