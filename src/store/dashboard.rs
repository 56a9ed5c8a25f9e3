//! What the operators' console reads across aggregates, as aggregate queries so that a page
//! costs a few indexed statements however many rows there are: outbox counts and filtered
//! listings, recent job runs, the renewal pipeline grouped by day and rep, and the audit search.
//! Read-only: every change the console makes goes through the owning aggregate's port. The
//! rows, the `DashboardStore` port and its SQL (`impl_dashboard_store!`).

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;

use super::audit::AuditEntry;
use super::error::StoreResult;
use super::jobs::JobRun;
use super::outbox::OutboxMessage;

/// How many outbox messages have one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

/// The outbox listing's filters; newest first.
#[derive(Debug, Clone, Default)]
pub struct OutboxQuery {
    pub status: Option<String>,
    /// Exact recipient (an address, or `user:<discord id>`).
    pub recipient: Option<String>,
    pub limit: i64,
}

/// Contracts renewing on one day for one rep in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PipelineDay {
    pub renewal_date: NaiveDate,
    pub sales_rep_email: String,
    pub sales_rep_name: String,
    pub status: String,
    pub count: i64,
}

/// The audit search: each filter narrows; newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// An IBM ID: entries it made, whose subject is `person:<id>` or `operator:<id>`, or whose
    /// detail names `person:<id>`.
    pub person: Option<String>,
    /// A company id: entries whose subject or detail names `company:<id>`.
    pub company: Option<i64>,
    /// An action, or an action prefix ending in `.` (`join.`).
    pub action: Option<String>,
    pub limit: i64,
}

/// The console's read-only queries.
#[async_trait]
pub trait DashboardStore: Send + Sync {
    async fn dashboard_outbox_counts(&self) -> StoreResult<Vec<StatusCount>>;
    async fn search_outbox(&self, query: &OutboxQuery) -> StoreResult<Vec<OutboxMessage>>;
    /// The last `limit` runs of `job`, newest first.
    async fn recent_job_runs(&self, job: &str, limit: i64) -> StoreResult<Vec<JobRun>>;

    /// Open and quoted contracts renewing in `[from, to]`, or in `extra` (a second range, for
    /// renewal dates whose deadline falls in the first), counted by day, rep and status.
    /// `rep` keeps one rep's.
    async fn renewal_pipeline(
        &self,
        ranges: &[(NaiveDate, NaiveDate)],
        rep: Option<&str>,
    ) -> StoreResult<Vec<PipelineDay>>;
    async fn search_audit(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
}

/// Implements [`DashboardStore`] for a backend store `$store` (a type with `self.pool`) over
/// the sqlx database `$db`.
macro_rules! impl_dashboard_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::dashboard::DashboardStore for $store {
            async fn dashboard_outbox_counts(
                &self,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::dashboard::StatusCount>>
            {
                Ok(sqlx::query_as(
                    "SELECT status, COUNT(*) AS count FROM outbox GROUP BY status ORDER BY status",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn search_outbox(
                &self,
                query: &$crate::store::dashboard::OutboxQuery,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::outbox::OutboxMessage>>
            {
                // Built per filter, so each shape uses its index ((status, id), (recipient, id)).
                let mut select = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at \
                     FROM outbox WHERE 1 = 1",
                );
                if let Some(status) = &query.status {
                    select.push(" AND status = ").push_bind(status.clone());
                }
                if let Some(recipient) = &query.recipient {
                    select.push(" AND recipient = ").push_bind(recipient.clone());
                }
                select.push(" ORDER BY id DESC LIMIT ").push_bind(query.limit);
                Ok(select.build_query_as().fetch_all(&self.pool).await?)
            }

            async fn recent_job_runs(
                &self,
                job: &str,
                limit: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::jobs::JobRun>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM job_runs WHERE job = $1 ORDER BY scheduled_for DESC LIMIT $2",
                )
                .bind(job)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn renewal_pipeline(
                &self,
                ranges: &[(chrono::NaiveDate, chrono::NaiveDate)],
                rep: Option<&str>,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::dashboard::PipelineDay>>
            {
                let mut rows = Vec::new();
                // One indexed range scan per range, on (status, renewal_date).
                for (from, to) in ranges {
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        "SELECT renewal_date, sales_rep_email, MAX(sales_rep_name) AS sales_rep_name, \
                         status, COUNT(*) AS count FROM contracts \
                         WHERE status IN ('open', 'quoted') AND renewal_date >= ",
                    );
                    select.push_bind(*from);
                    select.push(" AND renewal_date <= ").push_bind(*to);
                    if let Some(rep) = rep {
                        select.push(" AND sales_rep_email = ").push_bind(rep.to_string());
                    }
                    select.push(
                        " GROUP BY renewal_date, sales_rep_email, status \
                         ORDER BY renewal_date, sales_rep_email, status",
                    );
                    let part: Vec<$crate::store::dashboard::PipelineDay> =
                        select.build_query_as().fetch_all(&self.pool).await?;
                    rows.extend(part);
                }
                Ok(rows)
            }

            async fn search_audit(
                &self,
                query: &$crate::store::dashboard::AuditQuery,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::audit::AuditEntry>> {
                let mut select =
                    sqlx::QueryBuilder::<$db>::new("SELECT * FROM audit_log WHERE 1 = 1");
                if let Some(person) = &query.person {
                    // Entries the person made, whose subject is them, or whose detail names them
                    // as a whole word (one LIKE: the scan is the cost).
                    let person = person.to_lowercase();
                    select.push(" AND (actor = ").push_bind(person.clone());
                    for prefix in ["person:", "operator:"] {
                        select
                            .push(" OR subject = ")
                            .push_bind(format!("{prefix}{person}"));
                    }
                    select
                        .push(" OR (' ' || detail || ' ') LIKE ")
                        .push_bind(format!("% person:{person} %"));
                    select.push(")");
                }
                if let Some(company) = query.company {
                    // `company:N` as a whole word of the detail (one LIKE: the scan is the cost).
                    let named = format!("company:{company}");
                    select.push(" AND (subject = ").push_bind(named.clone());
                    select
                        .push(" OR (' ' || detail || ' ') LIKE ")
                        .push_bind(format!("% {named} %"));
                    select.push(")");
                }
                if let Some(action) = &query.action {
                    if let Some(prefix) = action.strip_suffix('.') {
                        select
                            .push(" AND action >= ")
                            .push_bind(format!("{prefix}."));
                        select
                            .push(" AND action < ")
                            .push_bind(format!("{prefix}/"));
                    } else {
                        select.push(" AND action = ").push_bind(action.clone());
                    }
                }
                select.push(" ORDER BY id DESC LIMIT ").push_bind(query.limit);
                Ok(select.build_query_as().fetch_all(&self.pool).await?)
            }

        }
    };
}

pub(crate) use impl_dashboard_store;
