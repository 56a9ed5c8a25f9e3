//! PostgreSQL backend: for many partners and several daemon replicas on one database.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use super::sql::impl_sql_store;
use super::workflow::impl_workflow_store;
use super::{Backend, StoreError, StoreResult};
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

impl_sql_store!(
    PostgresStore,
    sqlx::Postgres,
    Backend::Postgres,
    lock_clause = " FOR UPDATE SKIP LOCKED"
);
impl_workflow_store!(PostgresStore, sqlx::Postgres);
