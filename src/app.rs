//! Wiring of the daemon: builds the ports from the configuration, starts every task under one
//! `CancellationToken` + `TaskTracker`, and shuts them down together on SIGINT or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::error::Failure;
use crate::http;
use crate::jobs::JobContext;
use crate::outbox::Dispatcher;
use crate::scheduler::{Scheduler, OUTBOX_DISPATCH};
use crate::store::{self, Store};
use tokio::sync::Notify;

/// How long in-flight work gets to finish after a stop signal; the process exits well inside 5 s.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(4_000);

/// `partnerdesk run`.
pub async fn run(config: Config) -> Result<(), Failure> {
    let store = open_and_migrate(&config).await?;
    let shutdown = CancellationToken::new();
    let tracker = TaskTracker::new();

    if config.http.enabled {
        let addr = config.listen_addr()?;
        let listener = http::bind(addr)
            .await
            .map_err(|e| Failure::runtime(format!("cannot listen on http.listen = {addr}: {e}")))?;
        tracing::info!(%addr, "serving /healthz, /readyz and /metrics");
        let state = http::HttpState::new(store.clone());
        let token = shutdown.clone();
        tracker.spawn(async move {
            if let Err(e) = http::serve(listener, state, token.clone()).await {
                tracing::error!(error = %e, "HTTP server failed");
                token.cancel();
            }
        });
    }

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mailer = crate::notify::mailer_from_config(&config).await?;
    let outbox_wake = Arc::new(Notify::new());
    let bot = crate::discord::from_config(&config, store.clone(), clock.clone()).await?;
    let chat_sink = bot.as_ref().map(|bot| {
        Arc::new(crate::discord::DiscordSink::new(bot.http())) as Arc<dyn crate::outbox::ChatSink>
    });
    let dispatcher = Dispatcher::new(
        store.clone(),
        mailer,
        chat_sink,
        clock.clone(),
        config.outbox.clone(),
    );
    let poll = dispatch_poll_interval(&config);
    {
        let (wake, token) = (outbox_wake.clone(), shutdown.clone());
        tracker.spawn(async move { dispatcher.run(wake, poll, token).await });
    }
    let scheduler = Scheduler {
        jobs: Scheduler::jobs_from_config(&config)?,
        context: JobContext::new(&config, store.clone())?,
        clock: clock.clone(),
        outbox_wake: outbox_wake.clone(),
        owner: format!("pid-{}", std::process::id()),
    };
    {
        let token = shutdown.clone();
        tracker.spawn(async move { scheduler.run(token).await });
    }

    if let Some(bot) = bot {
        let token = shutdown.clone();
        tracker.spawn(async move {
            if let Err(e) = bot.run(token).await {
                tracing::error!(error = %e, "the Discord bot stopped");
            }
        });
    } else {
        tracing::info!(
            "Discord chat is disabled: set PARTNERDESK_DISCORD__TOKEN (or discord.token_file) to enable it; `partnerdesk chat` is the console"
        );
    }

    tracing::info!(
        backend = store.backend().name(),
        mail = ?config.mail.transport,
        "partnerdesk is running; stop it with Ctrl-C or SIGTERM"
    );
    tokio::select! {
        signal = stop_signal() => tracing::info!(signal, "stopping"),
        () = shutdown.cancelled() => tracing::warn!("a task failed; stopping"),
    }
    shutdown.cancel();
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("in-flight work did not finish in time; exiting anyway");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Opens the configured store and applies pending migrations.
pub async fn open_and_migrate(config: &Config) -> Result<Arc<dyn Store>, Failure> {
    let store = store::open(config).await?;
    let applied = store.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied database migrations");
    }
    Ok(store)
}

/// Waits for SIGINT or SIGTERM and names the one that came.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

/// The idle dispatcher's poll interval: the gap between the next two fires of the
/// `outbox-dispatch` schedule (5 s by default). New messages from this process wake it at once.
pub fn dispatch_poll_interval(config: &Config) -> Duration {
    let fallback = Duration::from_secs(5);
    let Some(job) = config.jobs.get(OUTBOX_DISPATCH) else {
        return fallback;
    };
    let (Ok(schedule), Ok(zone)) = (
        partnerdesk_domain::Schedule::parse(&job.schedule),
        partnerdesk_domain::parse_zone(&job.zone),
    ) else {
        return fallback;
    };
    let now = chrono::Utc::now();
    match schedule
        .next_after(now, zone)
        .and_then(|a| schedule.next_after(a, zone).map(|b| (b - a).to_std()))
    {
        Some(Ok(gap)) if gap > Duration::ZERO => gap,
        _ => fallback,
    }
}
