//! Durable state: the `Store` port and its SQLite and PostgreSQL implementations.
//!
//! Both backends run the same SQL text (sqlx binds `$N` by number on SQLite too), generated
//! by one macro per aggregate, so they cannot drift apart; only connection set-up, migrations
//! and the few statements whose dialects differ are backend-specific. Every method that
//! changes data and must notify someone does both in one transaction, together with its
//! audit entries. The messages are rendered by the caller (the store knows no language):
//! such methods take a `Notices` callback that receives the rows as written inside the
//! transaction (ids included) and returns the messages to enqueue, each with its dedupe key.
//!
//! Layout: one file per aggregate (`companies`, `people`, `tokens`, `joins`,
//! `registrations`, `links`, `contracts`, `outbox`, `jobs`, `audit`, `installation`, `conversations`,
//! `operators`; and `dashboard`, the console's read-only queries across them), each with its rows, its
//! port trait and the macro holding its SQL; `sql.rs` holds the SQL several aggregates share,
//! `port.rs` the `Store` trait, `error.rs` the error types, and `sqlite.rs`/`postgres.rs`
//! instantiate every macro for their backend. This file only declares and re-exports: files
//! inside the store import from the defining file, never from here, so that no two store
//! files depend on each other in a circle.

pub(crate) mod audit;
pub(crate) mod calendars;
pub(crate) mod companies;
pub(crate) mod contracts;
pub(crate) mod conversations;
pub(crate) mod dashboard;
pub(crate) mod error;
pub(crate) mod installation;
pub(crate) mod jobs;
pub(crate) mod joins;
pub(crate) mod links;
pub(crate) mod operators;
pub(crate) mod outbox;
pub(crate) mod people;
pub(crate) mod port;
mod postgres;
pub mod prelude;
pub(crate) mod registrations;
pub mod secret;
mod sql;
mod sqlite;
mod text_enum;
pub(crate) mod tokens;

use std::sync::Arc;

pub use audit::*;
pub use calendars::*;
pub use companies::*;
pub use contracts::*;
pub use conversations::*;
pub use dashboard::*;
pub use error::*;
pub use installation::InstallationStore;
pub use jobs::*;
pub use joins::*;
pub use links::*;
pub use operators::*;
pub use outbox::*;
pub use people::*;
pub use port::{Store, WorkflowStore};
pub use postgres::PostgresStore;
pub use registrations::*;
pub use sqlite::SqliteStore;
pub use tokens::*;

use crate::config::{Config, DatabaseTarget};
use crate::error::Failure;

/// Opens the store `config` names, creating the SQLite file (and its folder) when missing.
/// Does not migrate.
pub async fn open(config: &Config) -> StoreResult<Arc<dyn Store>> {
    Ok(match config.database_target()? {
        DatabaseTarget::Sqlite { path } => Arc::new(SqliteStore::open(&path, config).await?),
        DatabaseTarget::Postgres { url } => Arc::new(PostgresStore::open(&url, config).await?),
    })
}

/// `partnerdesk migrate`: creates the PostgreSQL database when it does not exist, then applies
/// the embedded migrations.
pub async fn migrate(config: &Config) -> StoreResult<MigrationReport> {
    let database_created = match config.database_target()? {
        DatabaseTarget::Postgres { url } => postgres::create_database_if_missing(&url).await?,
        DatabaseTarget::Sqlite { .. } => false,
    };
    let store = open(config).await?;
    let applied = store.migrate().await;
    store.close().await;
    Ok(MigrationReport {
        database_created,
        applied: applied?,
    })
}

/// Names this process among replicas in leases and claims: `<host>:<pid>:<random>`. The host
/// name is the kernel's (containers get their own), and the random part tells apart
/// replicas that share a host name and pid (every container's main process is pid 1).
pub fn replica_name() -> String {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        format!(
            "{}:{}:{:06x}",
            host_name(),
            std::process::id(),
            fastrand::u32(..0x0100_0000)
        )
    })
    .clone()
}

/// The host name: the kernel's, else `/etc/hostname`, else `$HOSTNAME`, else `host`.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .chain(std::env::var("HOSTNAME").ok())
        .map(|name| {
            name.trim()
                .chars()
                .filter(|c| c.is_ascii_graphic() && *c != ':')
                .take(64)
                .collect::<String>()
        })
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "host".to_string())
}

/// Opens the configured store and applies pending migrations.
pub async fn open_and_migrate(config: &Config) -> Result<Arc<dyn Store>, Failure> {
    let store = open(config).await?;
    let applied = store.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(applied = %applied.join(", "), "applied database migrations");
    }
    Ok(store)
}
