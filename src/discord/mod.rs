//! The Discord adapter (serenity 0.12: gateway and HTTP over rustls).
//!
//! This module owns: reading the bot token (PARTNERDESK_DISCORD__TOKEN or `discord.token_file`,
//! never the TOML file, never logged: the token only lives inside serenity's `Http`); the
//! gateway intents (only `GUILD_MESSAGES` and `DIRECT_MESSAGES`: interactions need none, and the
//! text of DMs and of messages that mention the bot arrives without the privileged
//! `MESSAGE_CONTENT` intent); building and running the client with graceful shutdown of its
//! shards; and `partnerdesk discord commands`. Serenity reconnects a dropped gateway by itself
//! (resume, else a new identify); a start that cannot reach the gateway is retried here with
//! backoff. A token Discord refuses (401 at start, or gateway close 4004) ends the daemon with
//! exit 1. Submodules: `commands` (slash command definitions from Fluent), `gateway` (the
//! connection state /metrics shows), `handler` (events to chat requests), `render` (replies to
//! messages), `sink` (outbox delivery).

pub mod commands;
pub mod gateway;
pub mod handler;
pub mod render;
pub mod sink;

use std::sync::Arc;

use serenity::all::{Client, ClientBuilder, GatewayIntents, Http, HttpBuilder};
use tokio_util::sync::CancellationToken;

use crate::chat::Desk;
use crate::config::DiscordConfig;
use crate::error::Failure;
use crate::i18n::{operator_locale, Msg};

pub use sink::DiscordSink;

/// `partnerdesk discord ...`.
#[derive(Debug, clap::Subcommand)]
pub enum DiscordCommand {
    /// Print the slash commands that would be registered (the JSON body of the bulk
    /// registration, localized for ja, en-US and en-GB). Needs no token.
    Commands,
}

impl DiscordCommand {
    pub fn run(&self) -> Result<(), Failure> {
        match self {
            DiscordCommand::Commands => {
                let json = serde_json::to_string_pretty(&commands::definitions_json())
                    .map_err(|e| crate::error::system_failure("cli-system-json", e))?;
                println!("{json}");
                Ok(())
            }
        }
    }
}

/// The gateway intents the bot uses, and no others.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES
}

/// The bot token from the environment (already in `config.discord.token`) or the token file;
/// `None` when Discord is not configured. A token file that cannot be read is an error that
/// names the file, never its content.
pub fn token(config: &DiscordConfig) -> Result<Option<String>, Failure> {
    // `Config::validate` already refused a blank or malformed token.
    if let Some(token) = &config.token {
        return Ok(Some(token.expose().trim().to_string()));
    }
    let Some(path) = config.token_file.as_deref() else {
        return Ok(None);
    };
    Ok(Some(crate::config::read_token_file(path)?))
}

/// Where the bot connects: Discord itself, or `discord.api_proxy` (a service speaking Discord's
/// REST API: a rate-limit proxy, or the tests' fake Discord), which serenity only honours with
/// its rate limiter disabled.
#[derive(Clone, Default)]
pub struct Endpoint {
    /// `http://127.0.0.1:PORT`: every REST call goes there instead of discord.com.
    pub proxy: Option<String>,
}

/// The HTTP client for `token`.
pub fn http(token: &str, endpoint: &Endpoint) -> Http {
    let builder = HttpBuilder::new(token);
    match &endpoint.proxy {
        Some(proxy) => builder
            .proxy(proxy.clone())
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// A built client, not yet connected.
pub struct Bot {
    client: Client,
    gateway: Arc<gateway::GatewayStatus>,
}

/// The first and the longest wait before retrying a gateway start that failed.
const RETRY_FIRST: std::time::Duration = std::time::Duration::from_secs(1);
const RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(60);

/// Errors that no retry can fix: a refused token, or intents the application may not use.
pub fn is_fatal(error: &serenity::Error) -> bool {
    use serenity::all::GatewayError;
    match error {
        serenity::Error::Gateway(
            GatewayError::InvalidAuthentication
            | GatewayError::InvalidGatewayIntents
            | GatewayError::DisallowedGatewayIntents,
        ) => true,
        serenity::Error::Http(e) => e.status_code().is_some_and(|s| s.as_u16() == 401),
        _ => false,
    }
}

impl Bot {
    /// Builds the client (asks `GET /gateway` once for the gateway URL).
    pub async fn build(
        http: Http,
        desk: Arc<Desk>,
        guild_ids: Vec<u64>,
    ) -> Result<Self, serenity::Error> {
        Self::build_with(http, handler::Handler::new(desk, guild_ids)).await
    }

    /// Builds the client around a handler set up by the caller (tests shorten its deferral).
    pub async fn build_with(
        http: Http,
        handler: handler::Handler,
    ) -> Result<Self, serenity::Error> {
        let gateway = handler.gateway_status();
        let client = ClientBuilder::new_with_http(http, intents())
            .event_handler(handler)
            .await?;
        Ok(Self { client, gateway })
    }

    /// Whether the gateway is connected, for /metrics.
    pub fn gateway_status(&self) -> Arc<gateway::GatewayStatus> {
        self.gateway.clone()
    }

    /// The client's HTTP (shares the rate limiter), for the outbox sink.
    pub fn http(&self) -> Arc<Http> {
        self.client.http.clone()
    }

    /// Runs the shards until `shutdown` is cancelled, then closes them gracefully. A start
    /// that fails (Discord unreachable) is retried with doubling waits up to a minute; a
    /// refused token or intents ([`is_fatal`]) is returned at once.
    pub async fn run(mut self, shutdown: CancellationToken) -> Result<(), serenity::Error> {
        let manager = self.client.shard_manager.clone();
        let stop = shutdown.clone();
        let stopper = tokio::spawn(async move {
            stop.cancelled().await;
            tracing::info!("closing the Discord shards");
            manager.shutdown_all().await;
        });
        let mut wait = RETRY_FIRST;
        let result = loop {
            let result = self.client.start_autosharded().await;
            self.gateway.set_connected(false);
            match result {
                Err(e) if !is_fatal(&e) && !shutdown.is_cancelled() => {
                    tracing::warn!(
                        error = %e,
                        retry_in_secs = wait.as_secs(),
                        "cannot connect to the Discord gateway; retrying"
                    );
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = shutdown.cancelled() => break Ok(()),
                    }
                    wait = (wait * 2).min(RETRY_MAX);
                }
                other => break other,
            }
        };
        stopper.abort();
        result
    }
}

/// For `partnerdesk run`: the bot, built from the configuration, when a token is configured
/// (`None` otherwise). The desk shares the daemon's store and clock.
pub async fn from_config(
    config: &crate::config::Config,
    store: Arc<dyn crate::store::Store>,
    clock: Arc<dyn crate::clock::Clock>,
) -> Result<Option<Bot>, Failure> {
    let Some(token) = token(&config.discord)? else {
        return Ok(None);
    };
    let mut desk = Desk::from_config(config, clock)?;
    desk.store = Some(store);
    let endpoint = Endpoint {
        proxy: config.discord.api_proxy.clone(),
    };
    let client = http(&token, &endpoint);
    // A token Discord refuses is found now, not after the daemon reported itself ready.
    if let Err(e) = client.get_current_user().await {
        if is_fatal(&e) {
            return Err(Failure::runtime(
                Msg::new("discord-token-rejected")
                    .arg("status", "401 Unauthorized")
                    .render(operator_locale()),
            ));
        }
        tracing::warn!(error = %e, "cannot ask Discord who the bot is; starting anyway");
    }
    let bot = Bot::build(client, Arc::new(desk), config.discord.guild_ids.clone())
        .await
        .map_err(|e| crate::error::system_failure("discord-client-failed", e))?;
    Ok(Some(bot))
}
