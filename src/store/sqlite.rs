//! SQLite backend: one file in WAL mode with a busy timeout; the default for a small program.

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::audit::impl_audit_store;
use super::calendars::impl_calendar_feed_store;
use super::companies::impl_company_store;
use super::contracts::impl_contract_store;
use super::conversations::impl_conversation_store;
use super::dashboard::impl_dashboard_store;
use super::error::{Backend, StoreError, StoreResult};
use super::installation::impl_installation_store;
use super::jobs::impl_job_store;
use super::joins::impl_join_store;
use super::links::impl_link_store;
use super::operators::impl_operator_store;
use super::outbox::impl_outbox_store;
use super::people::impl_people_store;
use super::port::impl_store;
use super::registrations::impl_registration_store;
use super::sql::impl_sql_helpers;
use super::tokens::impl_token_store;
use crate::config::Config;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating when missing) the database file and its folder.
    pub async fn open(path: &Path, config: &Config) -> StoreResult<Self> {
        let open_error = |reason: String| StoreError::Open {
            target: format!("sqlite://{}", path.display()),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                open_error(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| open_error(e.to_string()))?
            .filename(path)
            .create_if_missing(true)
            // No `journal_mode` here: sqlx would send it on every new connection, and that
            // pragma cannot wait for a busy database (processes opening at once fail with
            // "database is locked"). WAL is a property of the file, set once below.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_millis(config.database.busy_timeout_ms));
        let pool = SqlitePoolOptions::new()
            .max_connections(config.database.max_connections)
            .acquire_timeout(Duration::from_millis(
                config.database.busy_timeout_ms.max(1_000),
            ))
            .connect_with(options)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        let store = Self { pool };
        store
            .ensure_wal(Duration::from_millis(config.database.busy_timeout_ms))
            .await
            .map_err(|e| open_error(e.to_string()))?;
        Ok(store)
    }

    /// Switches the file to WAL once (it stays WAL). Switching needs an exclusive lock that the
    /// busy timeout does not wait for, so a busy database is retried here for up to `wait`.
    async fn ensure_wal(&self, wait: Duration) -> sqlx::Result<()> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let mode: sqlx::Result<String> = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&self.pool)
                .await;
            let attempt = match mode {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(_) => sqlx::query_scalar::<_, String>("PRAGMA journal_mode = WAL")
                    .fetch_one(&self.pool)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            match attempt {
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                other => return other,
            }
        }
    }

    /// Begins a writing transaction. `BEGIN IMMEDIATE` takes the write lock first, waiting up
    /// to `busy_timeout_ms` for it; a plain (deferred) `BEGIN` would read first and then fail
    /// at once with "database is locked" when its first write finds another writer.
    pub(crate) async fn begin_write(
        &self,
    ) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    async fn applied_versions(&self) -> StoreResult<HashSet<i64>> {
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await?;
        if exists == 0 {
            return Ok(HashSet::new());
        }
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?;
        Ok(versions.into_iter().collect())
    }
}

// One SQL text per aggregate, shared with the other backend (see each aggregate's file).
impl_store!(SqliteStore, Backend::Sqlite);
impl_sql_helpers!(SqliteStore, sqlx::Sqlite);
impl_company_store!(SqliteStore, sqlx::Sqlite);
impl_people_store!(SqliteStore, sqlx::Sqlite);
impl_token_store!(SqliteStore, sqlx::Sqlite);
impl_join_store!(SqliteStore, sqlx::Sqlite);
impl_registration_store!(SqliteStore, sqlx::Sqlite);
impl_link_store!(SqliteStore, sqlx::Sqlite);
impl_contract_store!(SqliteStore, sqlx::Sqlite);
impl_outbox_store!(
    SqliteStore,
    sqlx::Sqlite,
    lock_clause = "",
    quick_commit = ""
);
impl_job_store!(SqliteStore, sqlx::Sqlite);
impl_audit_store!(SqliteStore, sqlx::Sqlite);
impl_operator_store!(SqliteStore, sqlx::Sqlite);
impl_dashboard_store!(SqliteStore, sqlx::Sqlite);
impl_installation_store!(SqliteStore, sqlx::Sqlite);
impl_conversation_store!(SqliteStore, sqlx::Sqlite);

/// SQLITE_BUSY (5) or SQLITE_LOCKED (6), extended codes included.
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}
impl_calendar_feed_store!(SqliteStore, sqlx::Sqlite);
