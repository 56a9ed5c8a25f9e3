//! Turns the chat core's `Reply` (and outbox alerts) into Discord messages.
//!
//! This module owns: splitting text over Discord's 2,000-character limit on line boundaries
//! ([`split_text`]); buttons as action rows of at most five, at most five rows a message
//! ([`action_rows`]); and the serenity builders for interaction responses, follow-ups and plain
//! messages. Mentions are never parsed from text (`allowed_mentions` is empty unless a caller
//! names the users to ping), so a company or person name can never ping `@everyone`.

use serenity::all::{
    ButtonStyle as DiscordStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment,
    CreateButton, CreateEmbed, CreateInputText, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, CreateModal, EditInteractionResponse,
    InputTextStyle, UserId,
};

use crate::chat::{Attachment, Button, ButtonStyle, Command, Prompt, Reply};

/// Discord's limit on a message's `content`, in characters.
pub const MAX_CONTENT: usize = 2000;
/// Discord's limit on an embed's description, in characters.
pub const MAX_EMBED_DESCRIPTION: usize = 4096;
/// Buttons per action row, and rows per message.
const PER_ROW: usize = 5;
const ROWS: usize = 5;
const MAX_LABEL: usize = 80;
const MAX_CUSTOM_ID: usize = 100;

/// One Discord message to send: text of at most [`MAX_CONTENT`] characters, its buttons and
/// its files (sent as multipart/form-data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub content: String,
    pub buttons: Vec<Button>,
    pub ephemeral: bool,
    pub attachments: Vec<Attachment>,
}

/// The messages that carry `replies`, in order: each reply split on line boundaries, its
/// buttons and files on its last part (25 buttons a message; more spill into further
/// messages).
pub fn messages(replies: &[Reply], force_ephemeral: bool) -> Vec<Outgoing> {
    let mut out = Vec::new();
    for reply in replies {
        let ephemeral = reply.ephemeral || force_ephemeral;
        let mut parts = split_text(&reply.text, MAX_CONTENT);
        if parts.is_empty() && reply.buttons.is_empty() && reply.attachments.is_empty() {
            continue;
        }
        if parts.is_empty() {
            parts.push("\u{2026}".to_string());
        }
        let last = parts.len() - 1;
        let mut groups = reply.buttons.chunks(PER_ROW * ROWS);
        for (i, content) in parts.into_iter().enumerate() {
            let (buttons, attachments) = if i == last {
                (
                    groups.next().map(<[Button]>::to_vec).unwrap_or_default(),
                    reply.attachments.clone(),
                )
            } else {
                (Vec::new(), Vec::new())
            };
            out.push(Outgoing {
                content,
                buttons,
                ephemeral,
                attachments,
            });
        }
        for more in groups {
            out.push(Outgoing {
                content: "\u{2026}".to_string(),
                buttons: more.to_vec(),
                ephemeral,
                attachments: Vec::new(),
            });
        }
    }
    out
}

/// Splits `text` into parts of at most `max` characters, breaking after a newline where one
/// fits, else after a space, else anywhere (on a character boundary). Parts are never empty;
/// the newline a part ends on is dropped.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_len = 0usize;
    let flush = |current: &mut String, current_len: &mut usize, parts: &mut Vec<String>| {
        let trimmed = current.trim_end_matches('\n');
        if !trimmed.trim().is_empty() {
            parts.push(trimmed.to_string());
        }
        current.clear();
        *current_len = 0;
    };
    for line in text.split_inclusive('\n') {
        let len = line.chars().count();
        if current_len + len <= max {
            current.push_str(line);
            current_len += len;
            continue;
        }
        flush(&mut current, &mut current_len, &mut parts);
        if len <= max {
            current.push_str(line);
            current_len = len;
            continue;
        }
        // A single line longer than a message: cut it at spaces where possible.
        let mut rest: &str = line;
        while rest.chars().count() > max {
            let cut = rest
                .char_indices()
                .nth(max)
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            let head = &rest[..cut];
            let at = head
                .rfind(' ')
                .filter(|i| *i > cut / 2)
                .map(|i| i + 1)
                .unwrap_or(cut);
            let piece = rest[..at].trim_end();
            if !piece.is_empty() {
                parts.push(piece.to_string());
            }
            rest = &rest[at..];
        }
        current.push_str(rest);
        current_len = rest.chars().count();
    }
    flush(&mut current, &mut current_len, &mut parts);
    parts
}

fn style(style: ButtonStyle) -> DiscordStyle {
    match style {
        ButtonStyle::Primary => DiscordStyle::Primary,
        ButtonStyle::Secondary => DiscordStyle::Secondary,
        ButtonStyle::Success => DiscordStyle::Success,
        ButtonStyle::Danger => DiscordStyle::Danger,
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

/// Buttons as action rows of at most five. A button whose id does not fit Discord's 100
/// characters is left out (and logged): a truncated id would name the wrong row.
pub fn action_rows(buttons: &[Button]) -> Vec<CreateActionRow> {
    let usable: Vec<&Button> = buttons
        .iter()
        .filter(|b| {
            let fits = !b.id.is_empty() && b.id.chars().count() <= MAX_CUSTOM_ID;
            if !fits {
                tracing::error!(id = %b.id, "button id does not fit Discord's custom_id; left out");
            }
            fits
        })
        .collect();
    usable
        .chunks(PER_ROW)
        .take(ROWS)
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|b| {
                        let label = truncate(&b.label, MAX_LABEL);
                        let label = if label.trim().is_empty() {
                            "\u{2026}".to_string()
                        } else {
                            label
                        };
                        CreateButton::new(b.id.clone())
                            .label(label)
                            .style(style(b.style))
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A reply's files as Discord uploads.
fn files(out: &Outgoing) -> impl Iterator<Item = CreateAttachment> + '_ {
    out.attachments
        .iter()
        .map(|a| CreateAttachment::bytes(a.data.clone(), a.filename.clone()))
}

/// The first message of an interaction's answer.
pub fn interaction_message(out: &Outgoing) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(out.content.clone())
        .components(action_rows(&out.buttons))
        .ephemeral(out.ephemeral)
        .allowed_mentions(CreateAllowedMentions::new())
        .add_files(files(out))
}

/// The `custom_id` of a prompt's modal: `prompt:<command>[/<sub>]:<field>:<key>=<value>,...`.
/// Option values are ids from the core, never free text; the whole id stays within Discord's 100.
pub fn prompt_custom_id(prompt: &Prompt) -> Option<String> {
    let safe = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !safe(&prompt.command)
        || !prompt.sub.as_deref().is_none_or(safe)
        || !safe(&prompt.field)
        || !prompt.options.iter().all(|(k, v)| safe(k) && safe(v))
    {
        return None;
    }
    let command = match &prompt.sub {
        Some(sub) => format!("{}/{sub}", prompt.command),
        None => prompt.command.clone(),
    };
    let options = prompt
        .options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let id = format!("prompt:{command}:{}:{options}", prompt.field);
    (id.len() <= 100).then_some(id)
}

/// The command a submitted prompt completes, with the typed text as its `field` option.
pub fn command_from_prompt(custom_id: &str, text: &str) -> Option<Command> {
    let mut parts = custom_id.strip_prefix("prompt:")?.splitn(3, ':');
    let (name, field, options) = (parts.next()?, parts.next()?, parts.next()?);
    let (name, sub) = match name.split_once('/') {
        Some((name, sub)) => (name, Some(sub.to_string())),
        None => (name, None),
    };
    let mut command = Command {
        name: name.to_string(),
        sub,
        ..Command::default()
    };
    for pair in options.split(',').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=')?;
        command.options.insert(key.to_string(), value.to_string());
    }
    command.options.insert(field.to_string(), text.to_string());
    Some(command)
}

/// Discord's limit on a modal title and a text input label.
const MODAL_TEXT_MAX: usize = 45;

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(max - 1).collect();
    clipped.push('\u{2026}');
    clipped
}

/// The form that asks for a prompt's text; `None` when the prompt cannot be encoded.
pub fn modal(prompt: &Prompt) -> Option<CreateModal> {
    let custom_id = prompt_custom_id(prompt)?;
    let input = CreateInputText::new(
        InputTextStyle::Paragraph,
        clip(&prompt.label, MODAL_TEXT_MAX),
        prompt.field.clone(),
    )
    .required(true)
    .max_length(1000);
    Some(
        CreateModal::new(custom_id, clip(&prompt.title, MODAL_TEXT_MAX))
            .components(vec![CreateActionRow::InputText(input)]),
    )
}

/// The answer that replaces a deferred interaction's "thinking" state.
pub fn edit_response(out: &Outgoing) -> EditInteractionResponse {
    files(out).fold(
        EditInteractionResponse::new()
            .content(out.content.clone())
            .components(action_rows(&out.buttons))
            .allowed_mentions(CreateAllowedMentions::new()),
        EditInteractionResponse::new_attachment,
    )
}

/// A further message of an interaction's answer.
pub fn followup(out: &Outgoing) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(out.content.clone())
        .components(action_rows(&out.buttons))
        .ephemeral(out.ephemeral)
        .allowed_mentions(CreateAllowedMentions::new())
        .add_files(files(out))
}

/// A message in a channel or DM; `ping` names the users the message may mention.
pub fn message(out: &Outgoing, ping: &[UserId]) -> CreateMessage {
    let mut message = CreateMessage::new()
        .content(out.content.clone())
        .allowed_mentions(CreateAllowedMentions::new().users(ping.iter().copied()))
        .add_files(files(out));
    let rows = action_rows(&out.buttons);
    if !rows.is_empty() {
        message = message.components(rows);
    }
    message
}

/// An alert that reads better as an embed: a title (the notice's subject) over its text, the
/// buttons below, and the mentions in `content` (mentions inside an embed never ping).
pub fn alert_embed(
    subject: &str,
    body: &str,
    mention_line: Option<&str>,
    buttons: &[Button],
    ping: &[UserId],
) -> CreateMessage {
    let mut embed = CreateEmbed::new().description(body);
    if !subject.trim().is_empty() {
        embed = embed.title(truncate(subject, 256));
    }
    let mut message = CreateMessage::new()
        .embed(embed)
        .allowed_mentions(CreateAllowedMentions::new().users(ping.iter().copied()));
    if let Some(line) = mention_line {
        message = message.content(line);
    }
    let rows = action_rows(buttons);
    if !rows.is_empty() {
        message = message.components(rows);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn reject_prompt(request: &str) -> Prompt {
        Prompt {
            command: "reject".into(),
            sub: None,
            options: [("request".to_string(), request.to_string())].into(),
            field: "reason".into(),
            title: "申請 42 の却下".repeat(6),
            label: "Reason".into(),
        }
    }

    #[test]
    fn a_prompt_round_trips_through_its_modal_id() {
        let id = prompt_custom_id(&reject_prompt("42")).expect("encodable");
        assert_eq!(id, "prompt:reject:reason:request=42");
        let command =
            command_from_prompt(&id, "not: an, employee=yes").expect("a command comes back");
        assert_eq!(command.name, "reject");
        assert_eq!(command.option("request"), Some("42"));
        assert_eq!(command.option("reason"), Some("not: an, employee=yes"));
        // Free text never goes into the id; unknown ids are not commands.
        assert_eq!(prompt_custom_id(&reject_prompt("42,reason=x")), None);
        assert!(command_from_prompt("join:approve:1", "x").is_none());
        // A subcommand travels too: /review request-documents registration:7 note:...
        let mut review = reject_prompt("7");
        review.command = "review".into();
        review.sub = Some("request-documents".into());
        review.field = "note".into();
        review.options = [("registration".to_string(), "7".to_string())].into();
        let id = prompt_custom_id(&review).expect("encodable");
        assert_eq!(id, "prompt:review/request-documents:note:registration=7");
        let command = command_from_prompt(&id, "登記簿謄本").expect("command");
        assert_eq!(
            (command.name.as_str(), command.sub.as_deref()),
            ("review", Some("request-documents"))
        );
        assert_eq!(command.option("note"), Some("登記簿謄本"));
        // Titles are clipped to Discord's 45 characters.
        assert_eq!(
            clip(&reject_prompt("1").title, MODAL_TEXT_MAX)
                .chars()
                .count(),
            45
        );
    }

    #[test]
    fn short_text_is_one_part() {
        assert_eq!(split_text("hello\nworld", 2000), vec!["hello\nworld"]);
        assert!(split_text("", 2000).is_empty());
        assert!(split_text("\n\n", 2000).is_empty());
    }

    #[test]
    fn long_text_splits_on_lines_within_the_limit() {
        let line = "あ".repeat(300);
        let text = vec![line.clone(); 20].join("\n");
        let parts = split_text(&text, MAX_CONTENT);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(part.chars().count() <= MAX_CONTENT);
            for l in part.split('\n') {
                assert_eq!(l, line, "a line was cut");
            }
        }
        assert_eq!(parts.join("\n"), text);
    }

    #[test]
    fn a_line_longer_than_a_message_is_cut_at_spaces() {
        let text = "word ".repeat(1000);
        let parts = split_text(&text, MAX_CONTENT);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_CONTENT));
        assert!(parts.iter().all(|p| !p.ends_with("wor")));
        let joined: String = parts.join(" ");
        assert_eq!(joined.split_whitespace().count(), 1000);
        let cjk = "字".repeat(4500);
        let parts = split_text(&cjk, MAX_CONTENT);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), cjk);
    }

    #[test]
    fn buttons_go_on_the_last_part_in_rows_of_five() {
        let buttons: Vec<Button> = (0..7)
            .map(|i| Button {
                id: format!("join:approve:{i}"),
                label: format!("b{i}"),
                style: ButtonStyle::Success,
            })
            .collect();
        let reply = Reply::private(Locale::En, "x\n".repeat(1500)).with_buttons(buttons);
        let out = messages(&[reply], false);
        assert_eq!(out.len(), 2);
        assert!(out[0].buttons.is_empty());
        assert_eq!(out[1].buttons.len(), 7);
        assert!(out.iter().all(|o| o.ephemeral));
        assert_eq!(action_rows(&out[1].buttons).len(), 2);
    }
}
