//! The terminal surface of the chat: `partnerdesk chat` and `partnerdesk ask`. Interactive on a
//! terminal; on a pipe, one reply per input line (JSON with `--json`), and `!press ID` presses a
//! button, so scenarios can be scripted.

use std::io::{IsTerminal, Write};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use serde::Serialize;

use super::desk::Desk;
use super::model::{Attachment, ChannelKind, ChatUser, Input, Reply, Request, Session};
use crate::i18n::Locale;
use crate::notify::button::Button;

/// One line of `chat --json` output: every reply to one input line, merged.
#[derive(Debug, Serialize)]
pub struct JsonReply {
    pub text: String,
    pub buttons: Vec<Button>,
    pub ephemeral: bool,
    pub lang: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Files the replies carry (name, type, size in bytes); Discord attaches them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

pub fn merge(replies: &[Reply], fallback: Locale) -> JsonReply {
    JsonReply {
        text: replies
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        buttons: replies.iter().flat_map(|r| r.buttons.clone()).collect(),
        ephemeral: replies.iter().any(|r| r.ephemeral),
        lang: replies.first().map(|r| r.lang).unwrap_or(fallback),
        topic: replies.iter().find_map(|r| r.topic.clone()),
        attachments: replies.iter().flat_map(|r| r.attachments.clone()).collect(),
    }
}

pub struct ConsoleOptions {
    /// The identity the console acts as (`--as`), for the workflow commands.
    pub acting_as: Option<String>,
    pub json: bool,
}

/// Runs the console until end of input. Lines that are empty or start with `#` are skipped.
pub async fn run(
    desk: &Desk,
    mut session: Session,
    options: &ConsoleOptions,
    input: impl AsyncBufRead + Unpin,
    mut output: impl Write,
) -> std::io::Result<()> {
    let interactive = std::io::stdin().is_terminal() && !options.json;
    session.acting_as = options.acting_as.clone();
    let user = ChatUser {
        platform_id: format!(
            "console:{}",
            options.acting_as.as_deref().unwrap_or("operator")
        ),
        display_name: options
            .acting_as
            .clone()
            .unwrap_or_else(|| "operator".into()),
    };
    let request_for = |input: Input| Request {
        user: user.clone(),
        platform_locale: None,
        channel: ChannelKind::Direct,
        input,
    };
    if interactive {
        write!(output, "> ")?;
        output.flush()?;
    }
    // Bytes, not `lines()`: one line that is not UTF-8 must not end the session; it is read
    // with replacement characters and answered like any other.
    let mut lines = input.split(b'\n');
    while let Some(bytes) = lines.next_segment().await? {
        let line = String::from_utf8_lossy(&bytes);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if interactive {
                write!(output, "> ")?;
                output.flush()?;
            }
            continue;
        }
        let replies = desk.handle_line(&mut session, request_for, trimmed).await;
        let fallback = session.chosen_locale.unwrap_or(desk.default_locale);
        if options.json {
            let merged = merge(&replies, fallback);
            writeln!(
                output,
                "{}",
                serde_json::to_string(&merged).map_err(std::io::Error::other)?
            )?;
        } else {
            for reply in &replies {
                writeln!(output, "{}", reply.text)?;
                for button in &reply.buttons {
                    writeln!(output, "  [{}]  !press {}", button.label, button.id)?;
                }
            }
            if interactive {
                write!(output, "\n> ")?;
            }
        }
        output.flush()?;
    }
    Ok(())
}
