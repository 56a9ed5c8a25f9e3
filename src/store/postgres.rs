//! PostgreSQL backend: for many partners and several daemon replicas on one database.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

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
use crate::config::{redact_url, Config};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PostgresStore {
    pub(crate) pool: PgPool,
}

impl PostgresStore {
    pub async fn open(url: &str, config: &Config) -> StoreResult<Self> {
        let open_error = |reason: String| StoreError::Open {
            target: redact_url(url),
            reason,
        };
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| open_error(e.to_string()))?
            .application_name("partnerdesk");
        let pool = PgPoolOptions::new()
            .max_connections(config.database.max_connections)
            .acquire_timeout(Duration::from_millis(
                config.database.busy_timeout_ms.max(1_000),
            ))
            .connect_with(options)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        Ok(Self { pool })
    }

    /// Begins a writing transaction (READ COMMITTED); try limits inside it serialize on a row
    /// lock (`wf_lock_key`), not on the isolation level.
    pub(crate) async fn begin_write(
        &self,
    ) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        self.pool.begin().await
    }

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    async fn applied_versions(&self) -> StoreResult<HashSet<i64>> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        if !exists {
            return Ok(HashSet::new());
        }
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?;
        Ok(versions.into_iter().collect())
    }
}

/// Creates the database named by `url` when it does not exist; returns whether it did.
pub(crate) async fn create_database_if_missing(url: &str) -> StoreResult<bool> {
    let open_error = |e: sqlx::Error| StoreError::Open {
        target: redact_url(url),
        reason: e.to_string(),
    };
    if Postgres::database_exists(url).await.map_err(open_error)? {
        return Ok(false);
    }
    match Postgres::create_database(url).await {
        Ok(()) => Ok(true),
        // Another replica created it between our check and our CREATE.
        Err(e) if Postgres::database_exists(url).await.unwrap_or(false) => {
            tracing::debug!(error = %e, "database appeared concurrently");
            Ok(false)
        }
        Err(e) => Err(open_error(e)),
    }
}

// One SQL text per aggregate, shared with the other backend (see each aggregate's file).
impl_store!(PostgresStore, Backend::Postgres);
impl_sql_helpers!(PostgresStore, sqlx::Postgres);
impl_company_store!(PostgresStore, sqlx::Postgres);
impl_people_store!(PostgresStore, sqlx::Postgres);
impl_token_store!(PostgresStore, sqlx::Postgres);
impl_join_store!(PostgresStore, sqlx::Postgres);
impl_registration_store!(PostgresStore, sqlx::Postgres);
impl_link_store!(PostgresStore, sqlx::Postgres);
impl_contract_store!(PostgresStore, sqlx::Postgres);
impl_outbox_store!(
    PostgresStore,
    sqlx::Postgres,
    lock_clause = " FOR UPDATE SKIP LOCKED",
    quick_commit = "SET LOCAL synchronous_commit = off"
);
impl_job_store!(PostgresStore, sqlx::Postgres);
impl_audit_store!(PostgresStore, sqlx::Postgres);
impl_operator_store!(PostgresStore, sqlx::Postgres);
impl_dashboard_store!(PostgresStore, sqlx::Postgres);
impl_installation_store!(PostgresStore, sqlx::Postgres);
impl_conversation_store!(PostgresStore, sqlx::Postgres);
impl_calendar_feed_store!(PostgresStore, sqlx::Postgres);
