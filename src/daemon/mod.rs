//! Wiring of the daemon: builds the ports from the configuration, starts every task under one
//! `CancellationToken` + `TaskTracker`, and shuts them down together on SIGINT or SIGTERM.

pub mod http;
pub mod jobs;
pub mod scheduler;
pub mod systemd;
pub mod telemetry;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::{Clock, SystemClock};
use crate::config::{io_reason, Config, ConfigError, DatabaseTarget, MailTransportKind};
use crate::daemon::jobs::JobContext;
use crate::daemon::scheduler::{Scheduler, OUTBOX_DISPATCH};
use crate::error::Failure;
use crate::i18n::Msg;
use crate::notify::outbox::Dispatcher;
use crate::notify::MailSetupError;
use crate::store;
use tokio::sync::Notify;

/// How long in-flight work gets to finish after a stop signal. With [`CLOSE_GRACE`] and the
/// runtime's own shutdown timeout the process exits inside 5 s whatever hangs.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(3_500);

/// How long the database pool gets to close its connections: a database that stopped answering
/// (a cut network) would otherwise hold the exit forever.
const CLOSE_GRACE: Duration = Duration::from_millis(500);

/// `partnerdesk run`.
///
/// Everything that can fail cheaply comes before the database is created or migrated: the
/// token file is read, the HTTP listener bound and the mail folder created and written to.
/// When start-up fails, the folders it created are removed again, so nothing is half-created.
pub async fn run(config: Config) -> Result<(), Failure> {
    crate::discord::token(&config.discord)?;
    let listener = if config.http.enabled {
        Some(bind_http(&config).await?)
    } else {
        None
    };
    let new_folders = NewFolders::record(&config);
    let prepared = async {
        let mailer = crate::notify::mailer_from_config(&config)
            .await
            .map_err(|e| mail_failure(&config, e))?;
        if config.mail.transport == MailTransportKind::File {
            probe_writable(&config.mail.dir)?;
        }
        let store = store::open_and_migrate(&config).await?;
        // Message-IDs unique to this installation (its id is kept in the database).
        let mailer =
            crate::notify::mail::InstallationMailer::for_store(mailer, store.as_ref()).await?;
        Ok::<_, Failure>((mailer, store))
    }
    .await;
    let (mailer, store) = match prepared {
        Ok(ready) => ready,
        Err(failure) => {
            new_folders.remove();
            return Err(failure);
        }
    };
    let shutdown = CancellationToken::new();
    let tracker = TaskTracker::new();

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let outbox_wake = Arc::new(Notify::new());
    let bot = crate::discord::from_config(&config, store.clone(), clock.clone()).await?;

    if let Some(listener) = listener {
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, "serving /healthz, /readyz and /metrics");
        }
        let mut state = http::HttpState::new(store.clone());
        if config.console.enabled {
            let console = crate::console::ConsoleState::new(
                &config,
                store.clone(),
                clock.clone(),
                outbox_wake.clone(),
            )?;
            state = state.with_console(crate::console::router(console));
            tracing::info!("serving the web console at /console");
        }
        if let Some(bot) = &bot {
            state = state.with_discord(bot.gateway_status());
        }
        // Validated with the configuration, so building cannot fail here.
        state.renewal = config.renewal.build().unwrap_or_default();
        let token = shutdown.clone();
        tracker.spawn(async move {
            if let Err(e) = http::serve(listener, state, token.clone()).await {
                tracing::error!(error = %e, "HTTP server failed");
                token.cancel();
            }
        });
    }

    let chat_sink = bot.as_ref().map(|bot| {
        Arc::new(crate::discord::DiscordSink::new(bot.http()))
            as Arc<dyn crate::notify::outbox::ChatSink>
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
        owner: store::replica_name(),
    };
    {
        let token = shutdown.clone();
        tracker.spawn(async move { scheduler.run(token).await });
    }

    // A task that must end the daemon with exit 1 says why here (a refused Discord token).
    let fatal: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
    if let Some(bot) = bot {
        let token = shutdown.clone();
        let fatal = fatal.clone();
        tracker.spawn(async move {
            if let Err(e) = bot.run(token.clone()).await {
                let reason = Msg::new("discord-gateway-rejected")
                    .arg("reason", e.to_string())
                    .render(crate::i18n::operator_locale());
                tracing::error!(error = %e, "the Discord bot stopped");
                if let Ok(mut slot) = fatal.lock() {
                    *slot = Some(reason);
                }
                token.cancel();
            }
        });
    } else {
        tracing::info!(
            "Discord chat is disabled: set PARTNERDESK_DISCORD__TOKEN (or discord.token_file) to enable it; `partnerdesk chat` is the console"
        );
    }

    tracing::info!(
        backend = store.backend().name(),
        mail = %config.mail.transport,
        "partnerdesk is running; stop it with Ctrl-C or SIGTERM"
    );
    systemd::notify("READY=1");
    tokio::select! {
        signal = stop_signal() => tracing::info!(signal, "stopping"),
        () = shutdown.cancelled() => tracing::warn!("a task failed; stopping"),
    }
    systemd::notify("STOPPING=1");
    shutdown.cancel();
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("in-flight work did not finish in time; exiting anyway");
    }
    if tokio::time::timeout(CLOSE_GRACE, store.close())
        .await
        .is_err()
    {
        tracing::warn!("the database did not close its connections in time; exiting anyway");
    }
    let fatal = fatal.lock().ok().and_then(|mut slot| slot.take());
    if let Some(reason) = fatal {
        tracing::error!(%reason, "stopped after a fatal error");
        return Err(Failure::runtime(reason));
    }
    tracing::info!("stopped");
    Ok(())
}

/// Binds `http.listen`. A port held by another process is a runtime failure (exit 1); an
/// address this machine does not have, or may not use, is bad configuration (exit 2).
async fn bind_http(config: &Config) -> Result<tokio::net::TcpListener, Failure> {
    let addr = config.listen_addr()?;
    http::bind(addr).await.map_err(|e| {
        let invalid = |id: &'static str| {
            ConfigError::invalid(
                "http.listen",
                &config.http.listen,
                Msg::new(id).arg("reason", io_reason(&e)),
            )
            .to_string()
        };
        match e.kind() {
            std::io::ErrorKind::AddrNotAvailable | std::io::ErrorKind::PermissionDenied => {
                Failure::usage(invalid("config-listen-not-here"))
            }
            std::io::ErrorKind::AddrInUse => Failure::runtime(invalid("config-listen-in-use")),
            _ => Failure::runtime(invalid("config-listen-failed")),
        }
    })
}

/// A mail folder that cannot be created is bad configuration: name `mail.dir`.
fn mail_failure(config: &Config, e: MailSetupError) -> Failure {
    match e {
        MailSetupError::Folder { source, .. } => ConfigError::invalid(
            "mail.dir",
            &config.mail.dir,
            Msg::new("config-allowed-folder-create").arg("reason", io_reason(&source)),
        )
        .into(),
        other => other.into(),
    }
}

/// Writes and removes a probe file in `dir`, so a read-only mail folder stops start-up instead
/// of the first message.
fn probe_writable(dir: &str) -> Result<(), Failure> {
    let probe = Path::new(dir).join(format!(".partnerdesk-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| {
            ConfigError::invalid(
                "mail.dir",
                dir,
                Msg::new("config-allowed-folder-write").arg("reason", io_reason(&e)),
            )
            .into()
        })
}

/// Folders start-up may create (the mail folder, the SQLite folder) that did not exist before
/// it, deepest first, so a failed start-up can remove them again.
struct NewFolders(Vec<PathBuf>);

impl NewFolders {
    fn record(config: &Config) -> Self {
        let mut wanted: Vec<PathBuf> = Vec::new();
        if config.mail.transport == MailTransportKind::File {
            wanted.push(PathBuf::from(&config.mail.dir));
        }
        if let Ok(DatabaseTarget::Sqlite { path }) = config.database_target() {
            if let Some(parent) = path.parent() {
                wanted.push(parent.to_path_buf());
            }
        }
        let mut missing: Vec<PathBuf> = wanted
            .iter()
            .flat_map(|dir| {
                dir.ancestors()
                    .filter(|a| !a.as_os_str().is_empty())
                    .take_while(|a| !a.exists())
                    .map(Path::to_path_buf)
                    .collect::<Vec<_>>()
            })
            .collect();
        missing.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        missing.dedup();
        Self(missing)
    }

    /// Removes the recorded folders that are still empty.
    fn remove(&self) {
        for dir in &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
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
