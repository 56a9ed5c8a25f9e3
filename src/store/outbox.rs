//! The outbox of notifications (email, Discord): the rows, the `OutboxStore` port and its SQL
//! (`impl_outbox_store!`): enqueueing with dedupe keys, and the leases, retries and dead
//! letters of the dispatcher.
//!
//! Sensitive bodies: a message whose dedupe key starts with one of [`SENSITIVE_KEY_PREFIXES`]
//! is flagged `sensitive` when written and its body is emptied when it is marked sent. Both are
//! done by triggers of migration 0010, so every statement that writes or marks rows (single,
//! batched, in a workflow's transaction) is covered without repeating the rule.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::StoreResult;
use super::text_enum::text_enum;

text_enum!(
    /// Delivery channel of an outbox message.
    Channel {
        Email => "email",
        Discord => "discord",
    }
);

text_enum!(
    OutboxStatus {
        Pending => "pending",
        Sent => "sent",
        Dead => "dead",
    }
);

/// Dedupe-key prefixes of messages whose body is a secret (the one-time code of `/link`):
/// their body is cleared once sent. The triggers of migration 0010 spell the same list.
pub const SENSITIVE_KEY_PREFIXES: &[&str] = &["link-code:"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Channel-specific JSON (Discord buttons and mentions).
    pub payload: Option<String>,
    pub locale: String,
    pub dedupe_key: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewOutboxMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Channel-specific JSON (Discord buttons and mentions).
    pub payload: Option<String>,
    pub locale: String,
    pub dedupe_key: String,
    /// Earliest send time.
    pub not_before: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    New(i64),
    /// A message with that dedupe key was already written.
    Duplicate,
}

/// Renders the notifications a change causes, from the rows as written in its transaction.
/// (Here because what it returns are outbox rows; the aggregates whose changes notify take it.)
pub type Notices<'a, T> = &'a (dyn Fn(&T) -> Vec<NewOutboxMessage> + Send + Sync);

/// The persistence port of the notification outbox.
#[async_trait]
pub trait OutboxStore: Send + Sync {
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

    /// Extends every lease `owner` holds to `lease_until` (the dispatcher's heartbeat while
    /// it sends a batch); returns how many rows it still holds.
    async fn renew_outbox_leases(
        &self,
        owner: &str,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<u64>;

    /// When the next pending message becomes due: its `next_attempt_at`, or the end of the
    /// lease another dispatcher holds on it. `None` when nothing is pending.
    async fn next_outbox_due(&self) -> StoreResult<Option<DateTime<Utc>>>;

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

    /// How many messages are in each status (for the metrics gauge; one scan of the
    /// `(status, next_attempt_at)` index).
    async fn outbox_status_counts(&self) -> StoreResult<Vec<(String, i64)>>;

    /// Writes many notifications in one transaction, skipping dedupe keys already written;
    /// returns how many were new.
    async fn enqueue_many(&self, msgs: &[NewOutboxMessage], at: DateTime<Utc>) -> StoreResult<u64>;

    /// Which of `keys` are already dedupe keys of the outbox: a sweep renders and sends only
    /// the messages that are new, so an hourly re-run moves no message text.
    async fn existing_dedupe_keys(
        &self,
        keys: &[String],
    ) -> StoreResult<std::collections::HashSet<String>>;
}

/// Implements [`OutboxStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`.
/// `$lock_clause` ends the subquery that picks the messages `claim_outbox` leases: PostgreSQL
/// skips rows another dispatcher has locked, SQLite (one writer at a time) needs nothing.
/// `$quick_commit` (if not empty) begins the transaction that marks messages sent: on
/// PostgreSQL `SET LOCAL synchronous_commit = off`, so a mark does not wait for the WAL flush.
/// A killed daemon loses no such commit (the server has it); only a crash of the database
/// server itself can lose the last fraction of a second of marks, and those messages are then
/// sent again (at least once still holds). Fewer unmarked sends means fewer repeats per crash.
macro_rules! impl_outbox_store {
    ($store:ty, $db:ty, lock_clause = $lock_clause:literal, quick_commit = $quick_commit:literal) => {
        impl $store {
            /// `UPDATE outbox SET <set> WHERE status = 'pending' AND lease_owner = owner AND id
            /// IN (ids)`, 500 ids per statement: only rows still leased to `owner` change.
            /// `set` writes the SET clause (with its binds) after `UPDATE outbox SET `.
            async fn update_leased_outbox(
                &self,
                ids: &[i64],
                owner: &str,
                set: impl Fn(&mut sqlx::QueryBuilder<'_, $db>),
            ) -> $crate::store::error::StoreResult<u64> {
                // One chunk (every mark group) is one autocommit statement; only PostgreSQL's
                // quick commit needs a transaction around it.
                let mut tx = if $quick_commit.is_empty() && ids.len() <= 500 {
                    None
                } else {
                    let mut tx = self.begin_write().await?;
                    if !$quick_commit.is_empty() {
                        sqlx::query($quick_commit).execute(&mut *tx).await?;
                    }
                    Some(tx)
                };
                let mut done = 0;
                for chunk in ids.chunks(500) {
                    let mut update = sqlx::QueryBuilder::<$db>::new("UPDATE outbox SET ");
                    set(&mut update);
                    update.push(" WHERE status = 'pending' AND lease_owner = ");
                    update.push_bind(owner);
                    update.push(" AND id IN (");
                    let mut list = update.separated(", ");
                    // Padded to a power of two by repeating the last id (harmless in IN), so
                    // the adaptive mark groups of every size share a few prepared statements.
                    let padded = chunk.len().next_power_of_two();
                    for id in chunk.iter().chain(std::iter::repeat_n(
                        chunk.last().unwrap_or(&0),
                        padded - chunk.len(),
                    )) {
                        list.push_bind(*id);
                    }
                    update.push(")");
                    done += match tx.as_mut() {
                        Some(tx) => update.build().execute(&mut **tx).await?,
                        None => update.build().execute(&self.pool).await?,
                    }
                    .rows_affected();
                }
                if let Some(tx) = tx {
                    tx.commit().await?;
                }
                Ok(done)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::outbox::OutboxStore for $store {
            async fn enqueue(
                &self,
                msg: &$crate::store::outbox::NewOutboxMessage,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::outbox::Enqueued> {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                     locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10) \
                     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                )
                .bind(msg.channel.as_str())
                .bind(&msg.recipient)
                .bind(&msg.subject)
                .bind(&msg.body_text)
                .bind(&msg.body_html)
                .bind(&msg.locale)
                .bind(&msg.dedupe_key)
                .bind(msg.not_before)
                .bind(at)
                .bind(&msg.payload)
                .fetch_optional(&self.pool)
                .await?;
                Ok(match id {
                    Some(id) => $crate::store::outbox::Enqueued::New(id),
                    None => $crate::store::outbox::Enqueued::Duplicate,
                })
            }

            async fn outbox_messages(
                &self,
                status: Option<$crate::store::outbox::OutboxStatus>,
                limit: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::outbox::OutboxMessage>> {
                Ok(sqlx::query_as(
                    "SELECT id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at \
                     FROM outbox WHERE ($1 IS NULL OR status = $1) ORDER BY id LIMIT $2",
                )
                .bind(status.map(|s| s.as_str()))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn claim_outbox(
                &self,
                owner: &str,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
                limit: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::outbox::OutboxMessage>> {
                Ok(sqlx::query_as(concat!(
                    "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' \
                     AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) \
                     ORDER BY next_attempt_at, id LIMIT $4",
                    $lock_clause,
                    ") RETURNING id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at"
                ))
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn renew_outbox_leases(
                &self,
                owner: &str,
                lease_until: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                let done = sqlx::query(
                    "UPDATE outbox SET lease_until = $1 WHERE lease_owner = $2 \
                     AND status = 'pending'",
                )
                .bind(lease_until)
                .bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn next_outbox_due(
                &self,
            ) -> $crate::store::error::StoreResult<Option<chrono::DateTime<chrono::Utc>>> {
                // Two indexed MINs rather than one over a CASE: the due index serves the first.
                let next: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' \
                     AND lease_until IS NULL",
                )
                .fetch_one(&self.pool)
                .await?;
                let lease_end: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT MIN(lease_until) FROM outbox WHERE status = 'pending' \
                     AND lease_until IS NOT NULL",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(next.into_iter().chain(lease_end).min())
            }

            async fn release_outbox(
                &self,
                ids: &[i64],
                owner: &str,
            ) -> $crate::store::error::StoreResult<u64> {
                self.update_leased_outbox(ids, owner, |update| {
                    update.push("lease_owner = NULL, lease_until = NULL, attempts = attempts - 1");
                })
                .await
            }

            async fn mark_outbox_sent(
                &self,
                ids: &[i64],
                owner: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                // One statement per 500 ids: the dispatcher's hot path.
                self.update_leased_outbox(ids, owner, |update| {
                    update.push(
                        "status = 'sent', lease_owner = NULL, lease_until = NULL, \
                         last_error = NULL, sent_at = ",
                    );
                    update.push_bind(at);
                })
                .await
            }

            async fn mark_outbox_retry(
                &self,
                id: i64,
                owner: &str,
                next_attempt_at: chrono::DateTime<chrono::Utc>,
                error: &str,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $1, last_error = $2, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $3 AND lease_owner = $4 AND status = 'pending'",
                )
                .bind(next_attempt_at)
                .bind(error)
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn mark_outbox_dead(
                &self,
                id: i64,
                owner: &str,
                error: &str,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET status = 'dead', last_error = $1, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $2 AND lease_owner = $3 AND status = 'pending'",
                )
                .bind(error)
                .bind(id)
                .bind(owner)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn retry_dead_outbox(
                &self,
                id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 \
                     WHERE id = $2 AND status = 'dead'",
                )
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn purge_outbox(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                let done = sqlx::query(
                    "DELETE FROM outbox WHERE status IN ('sent', 'dead') AND created_at < $1",
                )
                .bind(before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn outbox_status_counts(
                &self,
            ) -> $crate::store::error::StoreResult<Vec<(String, i64)>> {
                Ok(
                    sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn outbox_message(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::outbox::OutboxMessage>> {
                Ok(sqlx::query_as(
                    "SELECT id, channel, recipient, subject, body_text, body_html, payload, locale, \
                     dedupe_key, status, attempts, next_attempt_at, last_error, created_at, sent_at \
                     FROM outbox WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn existing_dedupe_keys(
                &self,
                keys: &[String],
            ) -> $crate::store::error::StoreResult<std::collections::HashSet<String>> {
                let mut found = std::collections::HashSet::new();
                for chunk in keys.chunks(500) {
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        "SELECT dedupe_key FROM outbox WHERE dedupe_key IN (",
                    );
                    let mut list = select.separated(", ");
                    for key in chunk {
                        list.push_bind(key);
                    }
                    select.push(")");
                    let rows: Vec<String> = select
                        .build_query_scalar()
                        .fetch_all(&self.pool)
                        .await?;
                    found.extend(rows);
                }
                Ok(found)
            }

            async fn enqueue_many(
                &self,
                msgs: &[$crate::store::outbox::NewOutboxMessage],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                // Multi-row inserts: one statement per 500 messages (11 binds each stays far
                // below both databases' parameter limits).
                let mut written = 0;
                let mut tx = self.begin_write().await?;
                for chunk in msgs.chunks(500) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                         locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) ",
                    );
                    insert.push_values(chunk, |mut row, msg| {
                        row.push_bind(msg.channel.as_str())
                            .push_bind(&msg.recipient)
                            .push_bind(&msg.subject)
                            .push_bind(&msg.body_text)
                            .push_bind(&msg.body_html)
                            .push_bind(&msg.locale)
                            .push_bind(&msg.dedupe_key)
                            .push_bind("pending")
                            .push_bind(0_i32)
                            .push_bind(msg.not_before)
                            .push_bind(at)
                            .push_bind(&msg.payload);
                    });
                    insert.push(" ON CONFLICT (dedupe_key) DO NOTHING");
                    written += insert.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }
        }
    };
}

pub(crate) use impl_outbox_store;
