//! Runs of scheduled jobs, claimed once across replicas: the rows, the `JobStore` port and its
//! SQL (`impl_job_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobRun {
    pub job: String,
    pub scheduled_for: DateTime<Utc>,
    pub claimed_by: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub detail: Option<String>,
}

/// The persistence port of job runs.
#[async_trait]
pub trait JobStore: Send + Sync {
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

    /// Deletes job runs scheduled before `before`; returns how many.
    async fn purge_job_runs(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// Implements [`JobStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db` (taken
/// like every aggregate macro, so that the backends invoke them all alike).
macro_rules! impl_job_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::jobs::JobStore for $store {
            async fn claim_job_fire(
                &self,
                job: &str,
                scheduled_for: chrono::DateTime<chrono::Utc>,
                claimed_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                // A fire whose run failed, or whose claimant vanished mid-run an hour ago, may
                // be claimed again: jobs are idempotent (dedupe keys), so a rerun only fills in
                // what the failed one did not write.
                let stale_before = at - chrono::Duration::hours(1);
                let done = sqlx::query(
                    "INSERT INTO job_runs (job, scheduled_for, claimed_by, started_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (job, scheduled_for) DO UPDATE \
                     SET claimed_by = excluded.claimed_by, started_at = excluded.started_at, \
                         finished_at = NULL, outcome = NULL, detail = NULL \
                     WHERE job_runs.outcome = 'error' \
                        OR (job_runs.finished_at IS NULL AND job_runs.started_at <= $5)",
                )
                .bind(job)
                .bind(scheduled_for)
                .bind(claimed_by)
                .bind(at)
                .bind(stale_before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn finish_job_fire(
                &self,
                job: &str,
                scheduled_for: chrono::DateTime<chrono::Utc>,
                outcome: &str,
                detail: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "UPDATE job_runs SET finished_at = $1, outcome = $2, detail = $3 \
                     WHERE job = $4 AND scheduled_for = $5",
                )
                .bind(at)
                .bind(outcome)
                .bind(detail)
                .bind(job)
                .bind(scheduled_for)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn last_job_run(
                &self,
                job: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::jobs::JobRun>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM job_runs WHERE job = $1 ORDER BY scheduled_for DESC LIMIT 1",
                )
                .bind(job)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn purge_job_runs(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM job_runs WHERE scheduled_for < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }
        }
    };
}

pub(crate) use impl_job_store;
