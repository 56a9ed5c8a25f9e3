//! The mail port and the shape of every email the daemon sends.
//!
//! This module owns: the [`Mailer`] trait the outbox dispatcher calls; [`OutgoingMail`], what a
//! caller asks to send; [`SendError`], which tells the dispatcher whether to retry (`Temporary`)
//! or give up (`Permanent`); [`build_message`], the one place a message is assembled (headers,
//! RFC 2047 encoding, multipart/alternative, refusal of header injection); the file transport;
//! and [`mailer_from_config`], which picks the transport from `[mail]`.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{ConfigError, MailConfig};
use crate::error::Failure;
use crate::i18n::Msg;

/// One email as the rest of the daemon describes it; [`build_message`] turns it into bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutgoingMail {
    /// The recipient's address, `user@example.com` (no display name here).
    pub to: String,
    /// The recipient's display name, any language; RFC 2047 encoded when not ASCII.
    pub to_name: Option<String>,
    /// Any language; RFC 2047 encoded when not ASCII. CR and LF are refused.
    pub subject: String,
    /// The plain-text body; always sent.
    pub text: String,
    /// An HTML alternative: when given, the message is multipart/alternative (text, then HTML).
    pub html: Option<String>,
    /// A stable key (such as the outbox dedupe key) to derive the Message-ID from, so that a
    /// message repeated after a crash carries the same Message-ID and receivers can drop it.
    /// [`InstallationMailer`] scopes it to the installation ([`scoped_hint`]).
    pub message_id_hint: Option<String>,
}

/// Why a message was not sent. The dispatcher retries `Temporary` and dead-letters `Permanent`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later: SMTP 4xx, connection refused or dropped, timeouts, a full disk.
    /// `retry_after` is the earliest retry the peer asked for (Discord's 429 `retry_after`).
    #[error("temporary delivery failure: {reason}")]
    Temporary {
        reason: String,
        retry_after: Option<std::time::Duration>,
    },
    /// Retrying cannot help: SMTP 5xx, an invalid address, a subject that would inject headers.
    #[error("permanent delivery failure: {reason}")]
    Permanent { reason: String },
}

impl SendError {
    pub fn temporary(reason: impl Into<String>) -> Self {
        Self::Temporary {
            reason: reason.into(),
            retry_after: None,
        }
    }

    /// A temporary failure whose peer said not to retry before `retry_after`.
    pub fn temporary_after(reason: impl Into<String>, retry_after: std::time::Duration) -> Self {
        Self::Temporary {
            reason: reason.into(),
            retry_after: Some(retry_after),
        }
    }

    /// The earliest retry the peer asked for, if it said.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::Temporary { retry_after, .. } => *retry_after,
            Self::Permanent { .. } => None,
        }
    }

    pub fn permanent(reason: impl Into<String>) -> Self {
        Self::Permanent {
            reason: reason.into(),
        }
    }

    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::Temporary { .. })
    }

    /// The server's reply (`550 5.1.1 mailbox unavailable`) or our own explanation.
    pub fn reason(&self) -> &str {
        match self {
            Self::Temporary { reason, .. } | Self::Permanent { reason } => reason,
        }
    }
}

/// The mail port: sends one message, or says why not.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
}

/// Building a mailer failed: a bad `[mail]` setting (exit 2) or the mail folder (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("cannot create the mail folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<MailSetupError> for Failure {
    fn from(e: MailSetupError) -> Self {
        match e {
            MailSetupError::Config(c) => c.into(),
            other => Failure::runtime(other.to_string()),
        }
    }
}

/// Parses `mail.from` into the sender mailbox.
pub(crate) fn sender_from_config(mail: &MailConfig) -> Result<Mailbox, ConfigError> {
    if mail.from.contains(['\r', '\n']) {
        return Err(ConfigError::invalid(
            "mail.from",
            &mail.from,
            Msg::new("config-allowed-mailbox"),
        ));
    }
    mail.from
        .parse::<Mailbox>()
        .map_err(|e| invalid_from(&mail.from, &e.to_string()))
}

fn invalid_from(value: &str, why: &str) -> ConfigError {
    ConfigError::invalid(
        "mail.from",
        value,
        Msg::new("config-allowed-mailbox-why").arg("reason", why),
    )
}

/// Assembles `mail` as sent from `from`: Date, Message-ID, From, To, Subject, and a text body
/// or a multipart/alternative text + HTML body. lettre encodes non-ASCII subjects and display
/// names (RFC 2047) and bodies (quoted-printable or base64), so the bytes are plain ASCII.
///
/// Refused with [`SendError::Permanent`]: an invalid recipient address, and a subject or
/// display name holding a control character. The check must come before lettre sees the text:
/// lettre encodes a CR/LF in a subject, but it panics on one in a display name.
pub fn build_message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, SendError> {
    check_header_text("subject", &mail.subject)?;
    if let Some(name) = &mail.to_name {
        check_header_text("recipient name", name)?;
    }
    let to: Address = mail.to.parse().map_err(|e| {
        SendError::permanent(format!("invalid recipient address {:?}: {e}", mail.to))
    })?;
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(mail.to_name.clone(), to))
        .subject(mail.subject.clone())
        .date_now()
        .message_id(
            mail.message_id_hint
                .as_deref()
                .and_then(|hint| message_id_from_hint(hint, from.email.domain())),
        );
    let built = match &mail.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            html.clone(),
        )),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone()),
    };
    built.map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
}

/// The outbox `payload` of an email row: `{"to_name": NAME}`, so the dispatcher can address
/// the recipient by name without a column of its own. `None` when the name folds to nothing.
pub fn email_payload(to_name: &str) -> Option<String> {
    let name = display_name(to_name)?;
    Some(serde_json::json!({ "to_name": name }).to_string())
}

/// The recipient's display name carried in an email row's `payload` (see [`email_payload`]),
/// folded onto one line: a control character (CR and LF included) becomes a space, so a name
/// from data can never start a header. A payload that is not such JSON gives `None`.
pub fn to_name_from_payload(payload: Option<&str>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(payload?).ok()?;
    display_name(value.get("to_name")?.as_str()?)
}

/// `name` with every control character and run of white space folded to one space, trimmed,
/// and cut to 200 characters; `None` when nothing is left.
fn display_name(name: &str) -> Option<String> {
    const MAX_CHARS: usize = 200;
    let folded = name
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let cut: String = folded.chars().take(MAX_CHARS).collect();
    let cut = cut.trim_end().to_string();
    (!cut.is_empty()).then_some(cut)
}

/// Header text comes from data (company names go into subjects): a CR or LF in it could start
/// a new header, so it is refused rather than guessed at.
fn check_header_text(what: &str, text: &str) -> Result<(), SendError> {
    if text.contains(['\r', '\n']) {
        return Err(SendError::permanent(format!(
            "the {what} contains a line break (CR or LF), which could inject mail headers: {text:?}"
        )));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(SendError::permanent(format!(
            "the {what} contains the control character {c:?}: {text:?}"
        )));
    }
    Ok(())
}

/// Separates a hint's key from the installation id in a [`scoped_hint`] (ASCII unit
/// separator: no dedupe key holds one, and it never reaches a header).
const SCOPE_SEPARATOR: char = '\u{1f}';

/// The Message-ID hint of `key` (an outbox dedupe key) in installation `installation`: the
/// readable part of the Message-ID still comes from the key alone, the digest from both, so
/// two installations sending the same key (`renewal:C-1:2015-06-30:5`) give different
/// Message-IDs, and one installation always gives the same one.
pub fn scoped_hint(installation: &str, key: &str) -> String {
    format!("{key}{SCOPE_SEPARATOR}{installation}")
}

/// `<readable.digest@domain>`: the hint's key with every character that may not appear in a
/// Message-ID's left part (RFC 5322 `atext`) replaced by `-`, for people reading headers, then
/// 16 hex digits of the whole hint's SHA-256 (key and installation, see [`scoped_hint`]), so
/// hints that read the same (`C.1` and `C-1`, two Japanese ids of one length, one key in two
/// installations) still give different ids. The same hint always gives the same id, so a
/// repeat after a crash can be dropped by the receiver.
fn message_id_from_hint(hint: &str, domain: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    const MAX_READABLE: usize = 120;
    let key = hint
        .rsplit_once(SCOPE_SEPARATOR)
        .map_or(hint, |(key, _)| key);
    if key.is_empty() {
        return None;
    }
    let readable: String = key
        .chars()
        .take(MAX_READABLE)
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let digest = Sha256::digest(hint.as_bytes());
    let digest: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("<{readable}.{digest}@{domain}>"))
}

/// A [`Mailer`] whose Message-IDs are unique to this installation: it scopes every message's
/// hint with the installation id kept in the database (`installation`, migration 0008) before
/// the transport builds the message. The daemon and the CLI send through it.
pub struct InstallationMailer {
    inner: std::sync::Arc<dyn Mailer>,
    installation: String,
}

impl InstallationMailer {
    pub fn new(inner: std::sync::Arc<dyn Mailer>, installation: impl Into<String>) -> Self {
        Self {
            inner,
            installation: installation.into(),
        }
    }

    /// `inner` scoped to the installation id `store` holds (created there if missing).
    pub async fn for_store(
        inner: std::sync::Arc<dyn Mailer>,
        store: &dyn crate::store::Store,
    ) -> crate::store::StoreResult<std::sync::Arc<dyn Mailer>> {
        let installation = store.installation_id().await?;
        Ok(std::sync::Arc::new(Self::new(inner, installation)))
    }
}

#[async_trait]
impl Mailer for InstallationMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let mut scoped = mail.clone();
        scoped.message_id_hint = mail
            .message_id_hint
            .as_deref()
            .map(|key| scoped_hint(&self.installation, key));
        self.inner.send(&scoped).await
    }
}

/// Writes each message as `<uuid>.eml` into a folder: the embedded default transport, for
/// development and for sites that hand mail on by other means.
pub struct FileMailer {
    from: Mailbox,
    dir: PathBuf,
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl FileMailer {
    /// Creates the folder when missing.
    pub async fn new(dir: impl AsRef<Path>, from: Mailbox) -> Result<Self, MailSetupError> {
        let dir = dir.as_ref().to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|source| MailSetupError::Folder {
                path: dir.clone(),
                source,
            })?;
        Ok(Self {
            transport: AsyncFileTransport::new(&dir),
            from,
            dir,
        })
    }

    pub async fn from_config(mail: &MailConfig) -> Result<Self, MailSetupError> {
        Self::new(&mail.dir, sender_from_config(mail)?).await
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = build_message(&self.from, mail)?;
        self.transport.send(message).await.map(drop).map_err(|e| {
            // A full disk or a removed folder can be fixed by the operator: retry later.
            SendError::temporary(format!(
                "cannot write the mail file in {}: {e}",
                self.dir.display()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> Mailbox {
        "Desk <desk@example.com>".parse().expect("mailbox")
    }

    fn mail(subject: &str) -> OutgoingMail {
        OutgoingMail {
            to: "partner@example.com".into(),
            subject: subject.into(),
            text: "body".into(),
            ..OutgoingMail::default()
        }
    }

    #[test]
    fn line_breaks_in_subject_or_name_are_refused() {
        for subject in ["Evil\r\nBcc: victim@example.com", "a\nb", "a\rb"] {
            let err = build_message(&from(), &mail(subject)).expect_err("refused");
            assert!(!err.is_temporary());
            assert!(err.reason().contains("line break"), "{}", err.reason());
        }
        let mut m = mail("ok");
        m.to_name = Some("Evil\r\nBcc: victim@example.com".into());
        let err = build_message(&from(), &m).expect_err("refused");
        assert!(err.reason().contains("recipient name"), "{}", err.reason());
    }

    #[test]
    fn the_recipient_name_travels_in_the_payload_on_one_line() {
        let payload = email_payload("佐藤 花子").expect("payload");
        assert_eq!(
            to_name_from_payload(Some(&payload)).as_deref(),
            Some("佐藤 花子")
        );
        let evil = email_payload("Evil\r\nBcc: victim@example.com").expect("payload");
        let name = to_name_from_payload(Some(&evil)).expect("name");
        assert_eq!(name, "Evil Bcc: victim@example.com");
        let mut m = mail("ok");
        m.to_name = Some(name);
        let text = String::from_utf8(build_message(&from(), &m).expect("built").formatted())
            .expect("ascii");
        assert!(!text.to_ascii_lowercase().contains("\nbcc:"), "{text}");
        assert_eq!(email_payload(" \r\n "), None);
        assert_eq!(to_name_from_payload(None), None);
        assert_eq!(to_name_from_payload(Some("not json")), None);
        assert_eq!(to_name_from_payload(Some(r#"{"buttons": []}"#)), None);
        assert_eq!(to_name_from_payload(Some(r#"{"to_name": 7}"#)), None);
    }

    #[test]
    fn invalid_address_is_permanent() {
        let mut m = mail("ok");
        m.to = "not an address".into();
        let err = build_message(&from(), &m).expect_err("refused");
        assert!(matches!(err, SendError::Permanent { .. }));
        assert!(err.reason().contains("not an address"));
    }

    #[test]
    fn message_id_comes_from_the_hint() {
        let mut m = mail("ok");
        m.message_id_hint = Some("renewal:42:2025-06-30:30".into());
        let bytes = build_message(&from(), &m).expect("built").formatted();
        let text = String::from_utf8_lossy(&bytes);
        let id = |hint: &str| message_id_from_hint(hint, "example.com").expect("id");
        let expected = id("renewal:42:2025-06-30:30");
        assert!(
            expected.starts_with("<renewal-42-2025-06-30-30.")
                && expected.ends_with("@example.com>"),
            "{expected}"
        );
        assert!(
            text.contains(&format!("Message-ID: {expected}\r\n")),
            "{text}"
        );
        assert!(text.contains("\r\nDate: "), "{text}");
        // Stable for one hint, distinct for hints that read the same.
        assert_eq!(id("renewal:C.1"), id("renewal:C.1"));
        assert_ne!(id("renewal:C.1"), id("renewal:C-1"));
        assert_ne!(id("renewal:契約一"), id("renewal:契約二"));
    }

    #[test]
    fn message_ids_are_unique_per_installation_and_stable_within_one() {
        let key = "renewal:C-1:2015-06-30:5";
        let id = |hint: &str| message_id_from_hint(hint, "example.com").expect("id");
        let one = id(&scoped_hint("a1b2c3d4e5f60718a1b2c3d4e5f60718", key));
        let other = id(&scoped_hint("ffffffffffffffffffffffffffffffff", key));
        assert_ne!(one, other, "two installations, one key");
        assert_eq!(
            one,
            id(&scoped_hint("a1b2c3d4e5f60718a1b2c3d4e5f60718", key)),
            "a resend repeats it"
        );
        // The readable part is the key's; the installation id is not shown.
        assert!(one.starts_with("<renewal-C-1-2015-06-30-5."), "{one}");
        assert!(!one.contains("a1b2c3"), "{one}");
        assert_eq!(
            message_id_from_hint(&scoped_hint("x", ""), "example.com"),
            None
        );
    }

    #[tokio::test]
    async fn the_installation_mailer_scopes_the_hint() {
        struct Capture(std::sync::Mutex<Vec<OutgoingMail>>);
        #[async_trait]
        impl Mailer for Capture {
            async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
                self.0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(mail.clone());
                Ok(())
            }
        }
        let capture = std::sync::Arc::new(Capture(std::sync::Mutex::new(Vec::new())));
        let mailer = InstallationMailer::new(capture.clone(), "inst-0123456789abcdef");
        let mut m = mail("ok");
        m.message_id_hint = Some("digest:rep@example.com:2015-W27".into());
        mailer.send(&m).await.expect("sent");
        let sent = capture.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        assert_eq!(
            sent[0].message_id_hint.as_deref(),
            Some(scoped_hint("inst-0123456789abcdef", "digest:rep@example.com:2015-W27").as_str())
        );
    }

    #[test]
    fn a_message_without_hint_still_has_an_id() {
        let bytes = build_message(&from(), &mail("ok"))
            .expect("built")
            .formatted();
        assert!(String::from_utf8_lossy(&bytes).contains("Message-ID: <"));
    }

    #[test]
    fn sender_is_parsed_once() {
        let c = MailConfig {
            from: "nobody".into(),
            ..MailConfig::default()
        };
        assert!(sender_from_config(&c)
            .expect_err("bad")
            .render(crate::i18n::Locale::En)
            .contains("mail.from"));
    }

    #[test]
    fn lettre_alone_encodes_a_line_break_in_a_subject() {
        // Defence in depth for subjects: past our check, lettre encodes CR/LF rather than
        // writing it raw. (For display names it panics instead, which is one more reason the
        // check in `build_message` runs first.)
        let message = Message::builder()
            .from(from())
            .to("partner@example.com".parse().expect("mailbox"))
            .subject("Evil\r\nBcc: victim@example.com")
            .body(String::from("body"))
            .expect("built");
        let bytes = String::from_utf8(message.formatted()).expect("ascii");
        assert!(!bytes.to_ascii_lowercase().contains("\nbcc:"), "{bytes}");
    }
}
