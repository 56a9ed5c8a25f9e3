//! Delivery of `channel = discord` outbox rows through serenity's HTTP client: the
//! [`ChatSink`] the outbox dispatcher calls.
//!
//! This module owns: reading a row's recipient (`<user id>` or `user:<id>`: a direct message;
//! `channel:<id>`: a channel post that mentions the users in the payload's `mentions`) and its
//! payload (`{"buttons":[{"id","label","style"}], "mentions":["<user id>"]}`); rendering it (an
//! embed titled by the subject when the text fits one, else plain messages split at 2,000
//! characters); and classifying Discord's answers: 429, 5xx and network errors are
//! `SendError::Temporary` (the dispatcher retries with backoff, never sooner than a 429's
//! `retry_after`; one up to [`MAX_INLINE_WAIT`] is waited out and tried again here first),
//! other 4xx are `SendError::Permanent` with Discord's status, code and message as the reason.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serenity::all::{
    ChannelId, CreateMessage, Http, HttpError, LightMethod, Request, Route, UserId,
};

use super::render;
use crate::i18n::{tr, Locale};
use crate::notify::button::{Button, ButtonStyle};
use crate::notify::outbox::ChatSink;
use crate::notify::SendError;
use crate::store::OutboxMessage;

/// The longest `retry_after` the sink waits out itself before handing the row back to the
/// dispatcher's backoff.
pub const MAX_INLINE_WAIT: Duration = Duration::from_secs(5);

/// The ChatSink over serenity's HTTP client.
pub struct DiscordSink {
    http: Arc<Http>,
    /// For requests made without serenity's rate limiter (see [`DiscordSink::send`]).
    client: reqwest::Client,
}

impl DiscordSink {
    pub fn new(http: Arc<Http>) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self { http, client }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Payload {
    #[serde(default)]
    buttons: Vec<PayloadButton>,
    #[serde(default)]
    mentions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PayloadButton {
    id: String,
    label: String,
    #[serde(default)]
    style: Option<String>,
}

enum Target {
    User(UserId),
    Channel(ChannelId),
}

fn snowflake(raw: &str) -> Option<u64> {
    raw.trim().parse::<u64>().ok().filter(|n| *n > 0)
}

fn target(recipient: &str) -> Result<Target, SendError> {
    let bad = || SendError::permanent(format!("not a Discord recipient: {recipient:?}"));
    let recipient = recipient.trim();
    if let Some(channel) = recipient.strip_prefix("channel:") {
        return snowflake(channel)
            .map(|id| Target::Channel(ChannelId::new(id)))
            .ok_or_else(bad);
    }
    let user = recipient.strip_prefix("user:").unwrap_or(recipient);
    snowflake(user)
        .map(|id| Target::User(UserId::new(id)))
        .ok_or_else(bad)
}

fn parse_payload(raw: Option<&str>) -> Result<Payload, SendError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Payload::default()),
        Some(raw) => serde_json::from_str(raw)
            .map_err(|e| SendError::permanent(format!("bad Discord payload: {e}"))),
    }
}

fn button_style(style: Option<&str>) -> ButtonStyle {
    match style.unwrap_or("primary") {
        "success" => ButtonStyle::Success,
        "danger" => ButtonStyle::Danger,
        "secondary" => ButtonStyle::Secondary,
        _ => ButtonStyle::Primary,
    }
}

/// Discord's answer `status` as a delivery failure: 429 and 5xx are worth retrying, any other
/// 4xx is not.
fn by_status(status: u16, reason: String) -> SendError {
    if status == 429 || status >= 500 {
        SendError::temporary(reason)
    } else {
        SendError::permanent(reason)
    }
}

/// Whether a serenity error is worth retrying, with Discord's own words as the reason.
pub fn classify(error: &serenity::Error) -> SendError {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            let reason = format!(
                "Discord {status} ({} {}): {} (code {})",
                response.method, response.url, response.error.message, response.error.code
            );
            by_status(status, reason)
        }
        serenity::Error::Http(other) => {
            SendError::temporary(format!("Discord request failed: {other}"))
        }
        serenity::Error::Io(e) => SendError::temporary(format!("Discord connection failed: {e}")),
        other => SendError::temporary(format!("Discord delivery failed: {other}")),
    }
}

/// How many times a 429 whose `retry_after` is short is waited out here before the row goes
/// back to the dispatcher (which then waits at least `retry_after` too).
const INLINE_RATE_LIMIT_RETRIES: u32 = 1;

/// The wait Discord asked for on a 429: the `Retry-After` header, else the body's
/// `retry_after` (both in seconds, fractional).
fn retry_after(headers: &reqwest::header::HeaderMap, body: &serde_json::Value) -> Option<Duration> {
    let from_header = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok());
    from_header
        .or_else(|| body.get("retry_after").and_then(serde_json::Value::as_f64))
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map(|secs| Duration::from_secs_f64(secs.min(3600.0)))
}

impl DiscordSink {
    /// Sends one message. With serenity's rate limiter on (production), serenity waits out
    /// every 429 by its `retry_after` itself. Without it (the limiter is off whenever a proxy
    /// is set, as in the tests), [`Self::post`] does the same from the response.
    async fn send(&self, channel: ChannelId, message: CreateMessage) -> Result<(), SendError> {
        if self.http.ratelimiter.is_some() {
            return channel
                .send_message(&self.http, message)
                .await
                .map(|_| ())
                .map_err(|e| classify(&e));
        }
        let body = serde_json::to_vec(&message)
            .map_err(|e| SendError::permanent(format!("cannot encode the message: {e}")))?;
        self.post(
            Route::ChannelMessages {
                channel_id: channel,
            },
            body,
        )
        .await
        .map(|_| ())
    }

    /// The DM channel with `user`.
    async fn dm_channel(&self, user: UserId) -> Result<ChannelId, SendError> {
        if self.http.ratelimiter.is_some() {
            return user
                .create_dm_channel(&self.http)
                .await
                .map(|dm| dm.id)
                .map_err(|e| classify(&e));
        }
        let body = serde_json::json!({ "recipient_id": user.to_string() }).to_string();
        let answer = self
            .post(Route::UserMeDmChannels, body.into_bytes())
            .await?;
        answer
            .get("id")
            .and_then(|id| id.as_str())
            .and_then(snowflake)
            .map(ChannelId::new)
            .ok_or_else(|| SendError::temporary("Discord answered a DM channel without an id"))
    }

    /// One POST without serenity's rate limiter, honouring a 429's `retry_after`: waited out
    /// here when short, else handed to the dispatcher as the earliest retry.
    async fn post(&self, route: Route<'_>, body: Vec<u8>) -> Result<serde_json::Value, SendError> {
        let mut attempt = 0;
        loop {
            let request = Request::new(route, LightMethod::Post)
                .body(Some(body.clone()))
                .build(&self.client, self.http.token(), self.http.proxy.as_deref())
                .map_err(|e| classify(&e))?;
            let response = request
                .send()
                .await
                .map_err(|e| SendError::temporary(format!("Discord request failed: {e}")))?;
            let status = response.status().as_u16();
            let url = response.url().to_string();
            let headers = response.headers().clone();
            let bytes = response
                .bytes()
                .await
                .map_err(|e| SendError::temporary(format!("Discord answer cut off: {e}")))?;
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            if (200..300).contains(&status) {
                return Ok(json);
            }
            let message = json.get("message").and_then(|m| m.as_str()).unwrap_or("");
            let code = json.get("code").and_then(|c| c.as_i64()).unwrap_or(-1);
            let reason = format!("Discord {status} (POST {url}): {message} (code {code})");
            if status == 429 {
                let wait = retry_after(&headers, &json).unwrap_or(Duration::from_secs(1));
                if wait <= MAX_INLINE_WAIT && attempt < INLINE_RATE_LIMIT_RETRIES {
                    attempt += 1;
                    tracing::warn!(?wait, "Discord rate limit; waiting retry_after");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                return Err(SendError::temporary_after(reason, wait));
            }
            return Err(by_status(status, reason));
        }
    }
}

#[async_trait]
impl ChatSink for DiscordSink {
    async fn deliver(&self, row: &OutboxMessage) -> Result<(), SendError> {
        let target = target(&row.recipient)?;
        let payload = parse_payload(row.payload.as_deref())?;
        let locale = Locale::negotiate(&row.locale).unwrap_or_default();
        let buttons: Vec<Button> = payload
            .buttons
            .into_iter()
            .map(|b| Button {
                id: b.id,
                label: b.label,
                style: button_style(b.style.as_deref()),
            })
            .collect();
        let ping: Vec<UserId> = payload
            .mentions
            .iter()
            .filter_map(|m| snowflake(m))
            .map(UserId::new)
            .collect();
        let (channel, mention_line) = match target {
            Target::User(user) => (self.dm_channel(user).await?, None),
            Target::Channel(channel) => {
                let line = (!ping.is_empty()).then(|| {
                    let mentions = ping
                        .iter()
                        .map(|u| format!("<@{u}>"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    tr(
                        locale,
                        "discord-alert-for",
                        &[("mentions", mentions.into())],
                    )
                });
                (channel, line)
            }
        };
        if row.body_text.chars().count() <= render::MAX_EMBED_DESCRIPTION
            && !row.body_text.trim().is_empty()
        {
            let message = render::alert_embed(
                &row.subject,
                &row.body_text,
                mention_line.as_deref(),
                &buttons,
                &ping,
            );
            return self.send(channel, message).await;
        }
        let mut text = String::new();
        if let Some(line) = &mention_line {
            text.push_str(line);
            text.push('\n');
        }
        if !row.subject.trim().is_empty() {
            text.push_str(&format!("**{}**\n", row.subject.trim()));
        }
        text.push_str(&row.body_text);
        let reply = crate::chat::Reply::text(locale, text).with_buttons(buttons);
        for out in render::messages(std::slice::from_ref(&reply), false) {
            self.send(channel, render::message(&out, &ping)).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_and_payloads_are_parsed_or_refused_permanently() {
        assert!(matches!(target("123"), Ok(Target::User(_))));
        assert!(matches!(target("user:123"), Ok(Target::User(_))));
        assert!(matches!(target("channel:9"), Ok(Target::Channel(_))));
        for bad in ["", "abc", "channel:", "0", "-1", "user:x"] {
            assert!(
                matches!(target(bad), Err(SendError::Permanent { .. })),
                "{bad}"
            );
        }
        assert!(parse_payload(None).is_ok());
        let p = parse_payload(Some(
            r#"{"buttons":[{"id":"join:approve:1","label":"OK","style":"success"}]}"#,
        ))
        .expect("payload");
        assert_eq!(p.buttons.len(), 1);
        assert!(matches!(
            parse_payload(Some("{nope")),
            Err(SendError::Permanent { .. })
        ));
    }
}
