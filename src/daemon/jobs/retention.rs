//! Retention: old sent and dead outbox rows, job runs, chat event claims, recorded desk
//! questions and idle conversations are deleted.

use chrono::{DateTime, Duration, Utc};

use crate::store::StoreResult;

use super::context::*;

impl JobContext {
    /// `retention`: purges sent and dead messages and old job runs.
    pub async fn retention(&self, now: DateTime<Utc>) -> StoreResult<JobReport> {
        let before = instant_minus_days(now, i64::from(self.outbox.retention_days));
        let purged = self.store.purge_outbox(before).await?
            + self.store.purge_job_runs(now - Duration::days(90)).await?
            // Discord never redelivers an event a day later.
            + self
                .store
                .purge_chat_event_claims(now - Duration::days(1))
                .await?
            // Recorded questions for their retention period; idle conversations after a day
            // (they are ignored after the idle time anyway).
            + self
                .store
                .purge_desk_questions(
                    now - Duration::days(i64::from(self.desk.question_retention_days)),
                )
                .await?
            + self.store.purge_conversations(now - Duration::days(1)).await?;
        Ok(JobReport {
            purged,
            ..JobReport::default()
        })
    }
}
