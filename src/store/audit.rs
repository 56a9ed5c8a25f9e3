//! The audit log: who did what through which channel. The rows (and the `Actor` every audited
//! change takes), the `AuditStore` port and its SQL (`impl_audit_store!`). Entries written as
//! part of another change go through `wf_audit` in `sql.rs`, inside that change's
//! transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::StoreResult;

/// Who acted, and through which channel (`cli`, `console`, `discord`), for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// An IBM ID, `operator:<unix user>`, or `system`.
    pub who: String,
    pub channel: String,
}

impl Actor {
    pub fn new(who: impl Into<String>, channel: impl Into<String>) -> Self {
        Self {
            who: who.into(),
            channel: channel.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    /// Who acted: an IBM ID, `system`, or `operator:<unix user>`.
    pub actor: String,
    /// Through what: `cli`, `console`, `discord`, `scheduler`.
    pub channel: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub channel: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub action_prefix: Option<String>,
    pub actor: Option<String>,
    pub limit: i64,
}

/// The persistence port of the audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, entry: &NewAuditEntry, at: DateTime<Utc>) -> StoreResult<i64>;
    async fn audit_entries(&self, limit: i64) -> StoreResult<Vec<AuditEntry>>;

    /// Newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;
}

/// Implements [`AuditStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db` (taken
/// like every aggregate macro, so that the backends invoke them all alike).
macro_rules! impl_audit_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::audit::AuditStore for $store {
            async fn append_audit(
                &self,
                entry: &$crate::store::audit::NewAuditEntry,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO audit_log (at, actor, channel, action, subject, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(at)
                .bind(&entry.actor)
                .bind(&entry.channel)
                .bind(&entry.action)
                .bind(&entry.subject)
                .bind(&entry.detail)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn audit_entries(
                &self,
                limit: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::audit::AuditEntry>> {
                Ok(
                    sqlx::query_as("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1")
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn list_audit(
                &self,
                filter: &$crate::store::audit::AuditFilter,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::audit::AuditEntry>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM audit_log \
                     WHERE ($1 IS NULL OR substr(action, 1, length($1)) = $1) \
                     AND ($2 IS NULL OR actor = $2) ORDER BY id DESC LIMIT $3",
                )
                .bind(&filter.action_prefix)
                .bind(&filter.actor)
                .bind(filter.limit)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_audit_store;
