//! The terminal surface of the chat: `partnerdesk chat` and `partnerdesk ask`. Interactive on a
//! terminal; on a pipe, one reply per input line (JSON with `--json`), and `!press ID` presses a
//! button, so scenarios can be scripted.

use std::io::{IsTerminal, Write};

use tokio::io::AsyncBufRead;

use serde::Serialize;

use super::desk::Desk;
use super::line_reader::next_line;
use super::model::{ChannelKind, ChatUser, Input, Reply, Request, Session};
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
    /// Every part's topic when a question was answered (`topic` is the first's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
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
        topics: replies.iter().find(|r| r.topic.is_some()).map(|r| {
            if r.topics.is_empty() {
                r.topic.iter().cloned().collect()
            } else {
                r.topics.clone()
            }
        }),
        confidence: replies.iter().find_map(|r| r.confidence),
    }
}

/// The answer to a line over the length limit, in the session's language, else the
/// language of the line's beginning.
pub fn too_long_reply(desk: &Desk, session: &Session, start: &str) -> JsonReply {
    let prefix: String = start.chars().take(200).collect();
    let lang = session
        .chosen_locale
        .unwrap_or_else(|| desk.answer(&prefix, None).lang);
    JsonReply {
        text: crate::i18n::Msg::new("input-line-too-long")
            .arg(
                "max",
                partnerdesk_knowledge::matcher::MAX_QUESTION_CHARS.to_string(),
            )
            .render(lang),
        buttons: Vec::new(),
        ephemeral: false,
        lang,
        // Not read as a question: answered as one the desk does not know.
        topic: Some("unknown".to_string()),
        topics: Some(vec!["unknown".to_string()]),
        confidence: Some(0.0),
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
    mut input: impl AsyncBufRead + Unpin,
    mut output: impl Write,
) -> std::io::Result<()> {
    let interactive = std::io::stdin().is_terminal() && !options.json;
    session.acting_as = options.acting_as.clone();
    // One conversation per console run: context is kept within the session, and a new run
    // starts fresh even on the same database.
    if session.conversation_key.is_none() {
        session.conversation_key = Some(format!(
            "console:{}:{}",
            options.acting_as.as_deref().unwrap_or("operator"),
            fastrand::u64(..)
        ));
    }
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
    // with replacement characters and answered like any other. At most a bounded part of a
    // line is kept; an over-long line gets a "too long" reply.
    while let Some(line) = next_line(&mut input).await? {
        if line.too_long {
            let reply = too_long_reply(desk, &session, &line.text);
            if options.json {
                let text = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
                writeln!(output, "{text}")?;
            } else {
                writeln!(output, "{}", reply.text)?;
                if interactive {
                    write!(output, "\n> ")?;
                }
            }
            output.flush()?;
            continue;
        }
        let trimmed = line.text.trim();
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
