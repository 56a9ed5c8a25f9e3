//! SQLite backend: one file in WAL mode with a busy timeout; the default for a small program.

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::audit::impl_audit_store;
use super::companies::impl_company_store;
use super::contracts::impl_contract_store;
use super::dashboard::impl_dashboard_store;
use super::error::{Backend, StoreError, StoreResult};
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
            .journal_mode(SqliteJournalMode::Wal)
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
        Ok(Self { pool })
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
impl_outbox_store!(SqliteStore, sqlx::Sqlite, lock_clause = "");
impl_job_store!(SqliteStore, sqlx::Sqlite);
impl_audit_store!(SqliteStore, sqlx::Sqlite);
impl_operator_store!(SqliteStore, sqlx::Sqlite);
impl_dashboard_store!(SqliteStore, sqlx::Sqlite);
