//! Durable state: the `Store` port and its SQLite and PostgreSQL implementations.
//!
//! Both backends run the same SQL text (sqlx binds `$N` by number on SQLite too), generated
//! by one macro in `sql.rs`, so they cannot drift apart; only connection set-up, migrations
//! and the few statements whose dialects differ are backend-specific. Every method that
//! changes data and must notify someone does both in one transaction.

mod models;
mod postgres;
mod sql;
mod sqlite;
mod workflow;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use models::*;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use workflow::*;

use crate::config::{Config, ConfigError, DatabaseTarget};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("cannot open the database at {target}: {reason}")]
    Open { target: String, reason: String },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub database_created: bool,
    pub applied: Vec<String>,
}

/// The persistence port every service takes as a parameter.
#[async_trait]
pub trait Store: WorkflowStore + Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Cheap round trip, for /readyz.
    async fn ping(&self) -> StoreResult<()>;
    /// Applies pending migrations; a second run is a no-op.
    async fn migrate(&self) -> StoreResult<Vec<String>>;
    /// True when every embedded migration has been applied.
    async fn is_migrated(&self) -> StoreResult<bool>;
    /// Closes the pool, waiting for connections in use.
    async fn close(&self);

    async fn create_company(&self, new: &NewCompany, at: DateTime<Utc>) -> StoreResult<Company>;
    async fn company(&self, id: i64) -> StoreResult<Option<Company>>;
    async fn list_companies(&self) -> StoreResult<Vec<Company>>;
    async fn create_location(
        &self,
        company_id: i64,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Location>;
    async fn locations(&self, company_id: i64) -> StoreResult<Vec<Location>>;

    /// Creates the person or updates name and locale of the one with that IBM ID.
    async fn upsert_person(&self, new: &NewPerson, at: DateTime<Utc>) -> StoreResult<Person>;
    async fn person_by_ibm_id(&self, ibm_id: &str) -> StoreResult<Option<Person>>;
    /// Grants a role; granting one already held changes nothing and returns it.
    async fn grant_role(&self, grant: &RoleGrant, at: DateTime<Utc>) -> StoreResult<Membership>;
    /// Revokes a role; returns whether it was held.
    async fn revoke_role(
        &self,
        person_id: i64,
        role: Role,
        company_id: Option<i64>,
    ) -> StoreResult<bool>;
    async fn memberships_of(&self, person_id: i64) -> StoreResult<Vec<Membership>>;

    /// Inserts or updates a contract by its external id.
    async fn upsert_contract(
        &self,
        c: &NewContract,
        at: DateTime<Utc>,
    ) -> StoreResult<UpsertOutcome>;
    async fn contract(&self, id: &str) -> StoreResult<Option<Contract>>;

    /// Writes a notification unless one with the same dedupe key exists.
    async fn enqueue(&self, msg: &NewOutboxMessage, at: DateTime<Utc>) -> StoreResult<Enqueued>;
    async fn outbox_messages(
        &self,
        status: Option<OutboxStatus>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>>;

    /// Leases up to `limit` due pending messages to `owner` until `lease_until`, counting an
    /// attempt on each. A message leased to a crashed owner is due again once its lease ends.
    async fn claim_outbox(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// Gives back claimed messages that were never tried (a stop before their send started):
    /// due again at once, for any dispatcher, with the claim's attempt not counted. Only rows
    /// still leased to `owner` change. Returns how many did.
    async fn release_outbox(&self, ids: &[i64], owner: &str) -> StoreResult<u64>;
    /// Marks messages sent; only rows still leased to `owner` change. Returns how many did.
    async fn mark_outbox_sent(
        &self,
        ids: &[i64],
        owner: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// Gives a message back for another attempt at `next_attempt_at`, keeping the error.
    async fn mark_outbox_retry(
        &self,
        id: i64,
        owner: &str,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<bool>;
    /// Moves a message to `dead` with the reason (a permanent failure or too many attempts).
    async fn mark_outbox_dead(&self, id: i64, owner: &str, error: &str) -> StoreResult<bool>;
    /// `outbox retry ID`: a dead message becomes pending again with a fresh attempt count.
    async fn retry_dead_outbox(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Deletes sent and dead messages created before `before`; returns how many.
    async fn purge_outbox(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    async fn outbox_message(&self, id: i64) -> StoreResult<Option<OutboxMessage>>;

    /// Writes many notifications in one transaction, skipping dedupe keys already written;
    /// returns how many were new.
    async fn enqueue_many(&self, msgs: &[NewOutboxMessage], at: DateTime<Utc>) -> StoreResult<u64>;
    /// Inserts or updates many contracts in one transaction.
    async fn upsert_contracts(
        &self,
        contracts: &[NewContract],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<UpsertOutcome>>;
    /// Open contracts whose renewal date is in `[from, to]`.
    async fn open_contracts_renewing_between(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<Contract>>;
    /// A sales rep's acknowledgement (`quoted`, `renewed`, `lost`) or back to `open`; returns
    /// the contract as it is now, or `None` when there is no such contract.
    async fn set_contract_status(
        &self,
        id: &str,
        status: ContractStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Contract>>;
    /// Pending join requests with the names an escalation message needs.
    async fn pending_join_requests(&self) -> StoreResult<Vec<PendingJoin>>;
    /// People holding `role` (for `company_id`, or program-wide when `None`).
    async fn people_with_role(
        &self,
        role: Role,
        company_id: Option<i64>,
    ) -> StoreResult<Vec<Person>>;
    /// Deletes job runs scheduled before `before`; returns how many.
    async fn purge_job_runs(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    /// Claims one fire of a job; exactly one caller across all replicas gets `true`. A fire
    /// whose run ended in `error`, or that was claimed over an hour ago and never finished, can
    /// be claimed again (once: the first claimant wins, as for a new fire).
    async fn claim_job_fire(
        &self,
        job: &str,
        scheduled_for: DateTime<Utc>,
        claimed_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn finish_job_fire(
        &self,
        job: &str,
        scheduled_for: DateTime<Utc>,
        outcome: &str,
        detail: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn last_job_run(&self, job: &str) -> StoreResult<Option<JobRun>>;

    async fn append_audit(&self, entry: &NewAuditEntry, at: DateTime<Utc>) -> StoreResult<i64>;
    async fn audit_entries(&self, limit: i64) -> StoreResult<Vec<AuditEntry>>;
}

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
