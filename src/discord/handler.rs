//! The serenity event handler: turns gateway events into chat `Request`s, calls the same
//! `Desk::handle` the console calls, and renders the replies.
//!
//! This module owns: `ready` (remembers the bot's user id, registers the slash commands once per
//! process, globally or per configured guild, by bulk overwrite, which is idempotent);
//! `interaction_create` (slash commands, button presses and submitted forms; the first reply is
//! the interaction callback, further ones follow-ups; every workflow command and every button
//! press is answered ephemerally; a reply that asks for text, such as a rejection's reason,
//! opens a form (modal) whose submission completes the command); `message` (free text in a DM,
//! or a message in a channel that mentions the bot, goes to the question matcher; an answer
//! marked private is sent by DM instead of in the channel). No SQL and no text formatting here.
//!
//! Language: the reply language is the user's saved choice (`/lang`, kept in the database's
//! `chat_preferences`, so it survives restarts and is the same on every replica), else their
//! profile's, else the interaction's locale, else the default. With a database every event
//! starts a fresh `Session`; only a bot without one (tests of the adapter alone) keeps choices
//! in an in-memory per-user map.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serenity::all::{
    ActionRowComponent, CommandInteraction, ComponentInteraction, Context,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    EditInteractionResponse, EventHandler, GuildId, Interaction, Message, ModalInteraction, Ready,
    UserId,
};
use serenity::async_trait;

use super::commands;
use super::render::{self, Outgoing};
use crate::chat::{ChannelKind, ChatUser, Desk, Input, Reply, Request, Session};
use crate::i18n::{tr, Locale};

/// The handler the serenity client runs.
pub struct Handler {
    desk: Arc<Desk>,
    guild_ids: Vec<u64>,
    sessions: Mutex<HashMap<String, Session>>,
    bot_user: OnceLock<UserId>,
    registered: AtomicBool,
    /// How long an interaction may take before it is acknowledged first (Discord allows 3 s).
    defer_after: Duration,
    /// Names this replica in event claims: `<host>:<pid>`.
    owner: String,
    /// Whether the gateway is connected, for /metrics.
    gateway: Arc<super::gateway::GatewayStatus>,
}

/// The default of [`Handler::defer_after`]: well inside Discord's 3 seconds.
pub const DEFER_AFTER: Duration = Duration::from_millis(2_000);

impl Handler {
    pub fn new(desk: Arc<Desk>, guild_ids: Vec<u64>) -> Self {
        Self {
            desk,
            guild_ids,
            sessions: Mutex::new(HashMap::new()),
            bot_user: OnceLock::new(),
            registered: AtomicBool::new(false),
            defer_after: DEFER_AFTER,
            owner: crate::store::replica_name(),
            gateway: Arc::default(),
        }
    }

    /// The gateway status this handler keeps up to date.
    pub fn gateway_status(&self) -> Arc<super::gateway::GatewayStatus> {
        self.gateway.clone()
    }

    /// The same handler, acknowledging interactions first after `defer_after` (zero: always).
    pub fn with_defer_after(mut self, defer_after: Duration) -> Self {
        self.defer_after = defer_after;
        self
    }

    fn session(&self, platform_id: &str) -> Session {
        if self.desk.store.is_some() {
            return Session::default();
        }
        self.sessions
            .lock()
            .map(|s| s.get(platform_id).cloned().unwrap_or_default())
            .unwrap_or_default()
    }

    fn save_session(&self, platform_id: &str, session: Session) {
        if self.desk.store.is_some() {
            return;
        }
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(platform_id.to_string(), session);
        }
    }

    /// Whether this replica answers the gateway event `event`: every replica's bot receives
    /// every event, and the first to insert its claim in the database answers it. Without a
    /// database (one process) every event is ours; if the database cannot be asked, the event
    /// is answered rather than dropped (a rare double answer beats silence).
    async fn claim(&self, event: &str) -> bool {
        let Some(store) = self.desk.store.as_deref() else {
            return true;
        };
        let event_id = format!("discord:{event}");
        match store
            .claim_chat_event(&event_id, &self.owner, self.desk.clock.now())
            .await
        {
            Ok(claimed) => {
                if !claimed {
                    tracing::debug!(event = %event_id, "answered by another replica");
                }
                claimed
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim a Discord event; answering it anyway");
                true
            }
        }
    }

    /// Runs one request through the desk with the user's session.
    async fn handle(&self, request: &Request) -> Vec<Reply> {
        let mut session = self.session(&request.user.platform_id);
        let replies = self.desk.handle(&mut session, request).await;
        self.save_session(&request.user.platform_id, session);
        replies
    }

    async fn register(&self, ctx: &Context) {
        if self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let definitions = commands::definitions();
        let count = definitions.len();
        if self.guild_ids.is_empty() {
            match serenity::all::Command::set_global_commands(&ctx.http, definitions).await {
                Ok(_) => tracing::info!(count, "registered the slash commands globally"),
                Err(e) => {
                    self.registered.store(false, Ordering::SeqCst);
                    tracing::error!(error = %e, "cannot register the slash commands");
                }
            }
            return;
        }
        for guild in &self.guild_ids {
            let Some(id) = std::num::NonZeroU64::new(*guild) else {
                continue;
            };
            let guild = GuildId::from(id);
            match guild.set_commands(&ctx.http, definitions.clone()).await {
                Ok(_) => tracing::info!(count, %guild, "registered the slash commands in a guild"),
                Err(e) => {
                    self.registered.store(false, Ordering::SeqCst);
                    tracing::error!(error = %e, %guild, "cannot register the slash commands");
                }
            }
        }
    }

    async fn on_command(&self, ctx: &Context, interaction: &CommandInteraction) {
        let command = commands::to_command(&interaction.data.name, &interaction.data.options);
        let public_allowed = commands::spec(&command.name).is_some_and(|s| s.public);
        let request = Request {
            user: chat_user(&interaction.user),
            platform_locale: Locale::negotiate(&interaction.locale),
            channel: channel_kind(interaction.guild_id),
            input: Input::Command(command),
        };
        let force = request.channel == ChannelKind::Public && !public_allowed;
        self.answer(ctx, &request, force, Responder::Command(interaction))
            .await;
    }

    /// Handles an interaction and answers it; when the answer takes longer than
    /// `defer_after` (a slow database), it first acknowledges with an ephemeral "thinking"
    /// state, because Discord drops an interaction that is not answered within 3 seconds.
    async fn answer(&self, ctx: &Context, request: &Request, force: bool, to: Responder<'_>) {
        let work = self.handle(request);
        tokio::pin!(work);
        // A zero `defer_after` always acknowledges first (a timer of zero may still lose the
        // race against a fast answer).
        let in_time = if self.defer_after.is_zero() {
            None
        } else {
            tokio::time::timeout(self.defer_after, &mut work).await.ok()
        };
        let replies = match in_time {
            Some(replies) => replies,
            None => {
                let deferred = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                );
                if let Err(e) = to.create(ctx, deferred).await {
                    tracing::warn!(error = %e, "cannot defer an interaction");
                }
                let replies = work.await;
                return respond_deferred(ctx, &render::messages(&replies, force), to).await;
            }
        };
        // A button that needs text (a rejection's reason) opens a form: only possible as the
        // first answer to a button, so never after a deferral.
        if let (Responder::Component(_), Some(prompt)) =
            (&to, replies.first().and_then(|r| r.prompt.as_ref()))
        {
            if let Some(modal) = render::modal(prompt) {
                match to
                    .create(ctx, CreateInteractionResponse::Modal(modal))
                    .await
                {
                    Ok(()) => return,
                    Err(e) => tracing::warn!(error = %e, "cannot open a form; answering in text"),
                }
            }
        }
        respond(ctx, &render::messages(&replies, force), to).await;
    }

    /// A submitted form: the command its prompt completes, answered privately.
    async fn on_modal(&self, ctx: &Context, interaction: &ModalInteraction) {
        let text = interaction
            .data
            .components
            .iter()
            .flat_map(|row| &row.components)
            .find_map(|component| match component {
                ActionRowComponent::InputText(input) => input.value.clone(),
                _ => None,
            })
            .unwrap_or_default();
        let Some(command) = render::command_from_prompt(&interaction.data.custom_id, &text) else {
            tracing::warn!(custom_id = %interaction.data.custom_id, "a form this bot does not know");
            return;
        };
        let request = Request {
            user: chat_user(&interaction.user),
            platform_locale: Locale::negotiate(&interaction.locale),
            channel: channel_kind(interaction.guild_id),
            input: Input::Command(command),
        };
        self.answer(ctx, &request, true, Responder::Modal(interaction))
            .await;
    }

    async fn on_button(&self, ctx: &Context, interaction: &ComponentInteraction) {
        let request = Request {
            user: chat_user(&interaction.user),
            platform_locale: Locale::negotiate(&interaction.locale),
            channel: channel_kind(interaction.guild_id),
            input: Input::Button(interaction.data.custom_id.clone()),
        };
        self.answer(ctx, &request, true, Responder::Component(interaction))
            .await;
    }

    async fn on_message(&self, ctx: &Context, message: &Message) {
        if message.author.bot || message.author.system {
            return;
        }
        let direct = message.guild_id.is_none();
        let text = match self.bot_user.get() {
            Some(bot) if !direct => {
                if !message.mentions.iter().any(|u| u.id == *bot) {
                    return;
                }
                strip_mention(&message.content, *bot)
            }
            Some(_) => message.content.clone(),
            None => return,
        };
        if text.trim().is_empty() {
            return;
        }
        let request = Request {
            user: chat_user(&message.author),
            platform_locale: None,
            channel: if direct {
                ChannelKind::Direct
            } else {
                ChannelKind::Public
            },
            input: Input::Text(text),
        };
        let replies = self.handle(&request).await;
        let (public, private): (Vec<Reply>, Vec<Reply>) =
            replies.into_iter().partition(|r| direct || !r.ephemeral);
        for out in render::messages(&public, false) {
            let mut create = render::message(&out, &[]);
            if !direct {
                create = create.reference_message(message);
            }
            if let Err(e) = message.channel_id.send_message(&ctx.http, create).await {
                tracing::warn!(error = %e, channel = %message.channel_id, "cannot answer a message");
            }
        }
        if private.is_empty() {
            return;
        }
        let locale = private[0].lang;
        let dm = match message.author.id.create_dm_channel(&ctx.http).await {
            Ok(dm) => dm,
            Err(e) => {
                tracing::warn!(error = %e, "cannot open a DM for a private answer");
                return;
            }
        };
        for out in render::messages(&private, false) {
            if let Err(e) = dm
                .id
                .send_message(&ctx.http, render::message(&out, &[]))
                .await
            {
                tracing::warn!(error = %e, "cannot send a private answer by DM");
                return;
            }
        }
        let notice = Outgoing {
            content: tr(locale, "discord-sent-by-dm", &[]),
            buttons: Vec::new(),
            ephemeral: false,
        };
        let create = render::message(&notice, &[]).reference_message(message);
        if let Err(e) = message.channel_id.send_message(&ctx.http, create).await {
            tracing::warn!(error = %e, "cannot say that the answer went by DM");
        }
    }
}

enum Responder<'a> {
    Command(&'a CommandInteraction),
    Component(&'a ComponentInteraction),
    Modal(&'a ModalInteraction),
}

impl Responder<'_> {
    async fn create(
        &self,
        ctx: &Context,
        response: CreateInteractionResponse,
    ) -> Result<(), serenity::Error> {
        match self {
            Responder::Command(i) => i.create_response(&ctx.http, response).await,
            Responder::Component(i) => i.create_response(&ctx.http, response).await,
            Responder::Modal(i) => i.create_response(&ctx.http, response).await,
        }
    }

    async fn edit(
        &self,
        ctx: &Context,
        edit: EditInteractionResponse,
    ) -> Result<(), serenity::Error> {
        match self {
            Responder::Command(i) => i.edit_response(&ctx.http, edit).await.map(|_| ()),
            Responder::Component(i) => i.edit_response(&ctx.http, edit).await.map(|_| ()),
            Responder::Modal(i) => i.edit_response(&ctx.http, edit).await.map(|_| ()),
        }
    }

    async fn followup(
        &self,
        ctx: &Context,
        followup: CreateInteractionResponseFollowup,
    ) -> Result<(), serenity::Error> {
        match self {
            Responder::Command(i) => i.create_followup(&ctx.http, followup).await.map(|_| ()),
            Responder::Component(i) => i.create_followup(&ctx.http, followup).await.map(|_| ()),
            Responder::Modal(i) => i.create_followup(&ctx.http, followup).await.map(|_| ()),
        }
    }

    /// The messages after the first, as follow-ups; stops at the first failure.
    async fn followups(&self, ctx: &Context, rest: &[Outgoing]) {
        for more in rest {
            if let Err(e) = self.followup(ctx, render::followup(more)).await {
                tracing::warn!(error = %e, "cannot send a follow-up");
                return;
            }
        }
    }
}

/// Said when the core has nothing to say: an interaction still needs an answer, or Discord
/// shows an error.
fn nothing_to_say() -> Outgoing {
    Outgoing {
        content: "\u{2026}".into(),
        buttons: Vec::new(),
        ephemeral: true,
    }
}

/// Sends `out` as the interaction's answer: the first message as the callback, the rest as
/// follow-ups. Failures are logged; the user sees Discord's "did not respond" at worst.
async fn respond(ctx: &Context, out: &[Outgoing], to: Responder<'_>) {
    let empty = [nothing_to_say()];
    let out = if out.is_empty() { &empty[..] } else { out };
    let response = CreateInteractionResponse::Message(render::interaction_message(&out[0]));
    if let Err(e) = to.create(ctx, response).await {
        tracing::warn!(error = %e, "cannot answer an interaction");
        return;
    }
    to.followups(ctx, &out[1..]).await;
}

/// Answers a deferred interaction: the first message replaces the "thinking" state, the rest
/// are follow-ups.
async fn respond_deferred(ctx: &Context, out: &[Outgoing], to: Responder<'_>) {
    let empty = [nothing_to_say()];
    let out = if out.is_empty() { &empty[..] } else { out };
    if let Err(e) = to.edit(ctx, render::edit_response(&out[0])).await {
        tracing::warn!(error = %e, "cannot answer a deferred interaction");
        return;
    }
    to.followups(ctx, &out[1..]).await;
}

fn chat_user(user: &serenity::all::User) -> ChatUser {
    ChatUser {
        platform_id: format!("discord:{}", user.id),
        display_name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
    }
}

fn channel_kind(guild: Option<GuildId>) -> ChannelKind {
    if guild.is_some() {
        ChannelKind::Public
    } else {
        ChannelKind::Direct
    }
}

/// The message without the bot's mention (`<@id>` or the legacy `<@!id>`).
pub fn strip_mention(content: &str, bot: UserId) -> String {
    content
        .replace(&format!("<@{bot}>"), " ")
        .replace(&format!("<@!{bot}>"), " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.gateway.session_started(false);
        let _ = self.bot_user.set(ready.user.id);
        tracing::info!(
            user = %ready.user.name,
            shard = ?ready.shard.map(|s| s.id.0),
            "connected to the Discord gateway"
        );
        self.register(&ctx).await;
    }

    async fn resume(&self, _ctx: Context, _: serenity::all::ResumedEvent) {
        self.gateway.session_started(true);
        tracing::info!("resumed the Discord gateway session");
    }

    async fn shard_stage_update(&self, _ctx: Context, event: serenity::all::ShardStageUpdateEvent) {
        let connected = event.new == serenity::all::ConnectionStage::Connected;
        if !connected && event.old == serenity::all::ConnectionStage::Connected {
            tracing::warn!(stage = ?event.new, "lost the Discord gateway connection; reconnecting");
        }
        self.gateway.set_connected(connected);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if !self
            .claim(&format!("interaction:{}", interaction.id()))
            .await
        {
            return;
        }
        match &interaction {
            Interaction::Command(command) => self.on_command(&ctx, command).await,
            Interaction::Component(component) => self.on_button(&ctx, component).await,
            Interaction::Modal(modal) => self.on_modal(&ctx, modal).await,
            _ => {}
        }
    }

    async fn message(&self, ctx: Context, message: Message) {
        if message.author.bot || !self.claim(&format!("message:{}", message.id)).await {
            return;
        }
        self.on_message(&ctx, &message).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_stripped() {
        let bot = UserId::new(42);
        assert_eq!(
            strip_mention("<@42> what are the hours?", bot),
            "what are the hours?"
        );
        assert_eq!(strip_mention("hi <@!42>  there", bot), "hi there");
        assert_eq!(strip_mention("<@43> x", bot), "<@43> x");
    }
}
