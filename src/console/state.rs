//! What every console handler shares: the store, the clock, a scheduler for "run now" (the
//! same jobs and context the daemon's scheduler has), the dispatcher's wake-up, and the
//! console settings read once from the configuration.

use std::net::IpAddr;
use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::Clock;
use crate::config::{Config, ConfigError, ConsoleConfig, RemindersConfig};
use crate::daemon::jobs::context::JobContext;
use crate::daemon::scheduler::Scheduler;
use crate::i18n::Locale;
use crate::store::Store;
use crate::workflows::operators::LoginLimit;

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct ConsoleState(pub(crate) Arc<Shared>);

pub struct Shared {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub scheduler: Scheduler,
    /// Wakes the daemon's dispatcher after a retry or a run of `outbox-dispatch`.
    pub outbox_wake: Arc<Notify>,
    pub settings: ConsoleConfig,
    pub trusted_proxies: Vec<IpAddr>,
    pub default_locale: Locale,
    pub reminders: RemindersConfig,
    pub login_limit: LoginLimit,
}

impl ConsoleState {
    pub fn new(
        config: &Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        outbox_wake: Arc<Notify>,
    ) -> Result<Self, ConfigError> {
        let scheduler = Scheduler {
            jobs: Scheduler::jobs_from_config(config)?,
            context: JobContext::new(config, store.clone())?,
            clock: clock.clone(),
            outbox_wake: outbox_wake.clone(),
            owner: format!("console-{}", std::process::id()),
        };
        let trusted_proxies = config
            .console
            .trusted_proxies
            .iter()
            .filter_map(|ip| ip.parse().ok())
            .collect();
        Ok(Self(Arc::new(Shared {
            store,
            clock,
            scheduler,
            outbox_wake,
            settings: config.console.clone(),
            trusted_proxies,
            default_locale: Locale::negotiate(&config.i18n.default_locale).unwrap_or_default(),
            reminders: config.reminders.clone(),
            login_limit: LoginLimit {
                max_failures: config.console.login_max_failures,
                window: chrono::Duration::minutes(i64::from(config.console.login_window_minutes)),
            },
        })))
    }
}
