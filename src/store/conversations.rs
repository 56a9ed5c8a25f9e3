//! The desk's conversations and the questions it answered: the rows, the `ConversationStore`
//! port and its SQL (`impl_conversation_store!`) for both backends.
//!
//! A conversation row is the context a follow-up is read against (last topic, slots, the last
//! few turns as JSON owned by the chat layer); it is keyed by the chat's conversation key and
//! ignored once older than the idle time the caller passes. A question row records what the
//! desk did with one message (topics, confidence, language, outcome) and, only where
//! `partnerdesk questions unanswered` needs it, the message's text.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::error::StoreResult;

/// A conversation's stored context.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ConversationRow {
    pub conversation_key: String,
    pub last_topic: String,
    /// JSON owned by the chat layer (slots and last turns).
    pub state: String,
    pub updated_at: DateTime<Utc>,
}

/// One answered message, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDeskQuestion {
    pub conversation_key: String,
    pub lang: String,
    /// Topic ids, comma-separated, in the order answered.
    pub topics: String,
    pub confidence: f64,
    /// `answered`, `clarified`, `unknown` or `handed-off`.
    pub outcome: String,
    /// Kept only when `questions unanswered` needs it.
    pub question: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DeskQuestion {
    pub id: i64,
    pub asked_at: DateTime<Utc>,
    pub conversation_key: String,
    pub lang: String,
    pub topics: String,
    pub confidence: f64,
    pub outcome: String,
    pub question: Option<String>,
    pub feedback: Option<String>,
}

/// The persistence port of conversations and recorded questions.
#[async_trait]
pub trait ConversationStore {
    /// The conversation's context if it was updated at or after `fresh_since`.
    async fn conversation(
        &self,
        key: &str,
        fresh_since: DateTime<Utc>,
    ) -> StoreResult<Option<ConversationRow>>;

    /// Saves (or replaces) a conversation's context.
    async fn save_conversation(&self, row: &ConversationRow) -> StoreResult<()>;

    /// Forgets conversations idle since before `before`.
    async fn purge_conversations(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    /// Records one answered message; returns its id (for feedback buttons).
    async fn record_question(&self, q: &NewDeskQuestion, at: DateTime<Utc>) -> StoreResult<i64>;

    /// Records 👍/👎 on a recorded answer (and, for 👎, the question text the answer's
    /// conversation still has); `false` when there is no such answer.
    async fn record_feedback(
        &self,
        id: i64,
        feedback: &str,
        question: Option<&str>,
    ) -> StoreResult<bool>;

    /// One recorded answer.
    async fn desk_question(&self, id: i64) -> StoreResult<Option<DeskQuestion>>;

    /// Recorded questions at or after `since` that were not answered well: unknown, handed
    /// off, clarified, low confidence (< `confident`) or 👎; oldest first.
    async fn unanswered_questions(
        &self,
        since: DateTime<Utc>,
        confident: f64,
    ) -> StoreResult<Vec<DeskQuestion>>;

    /// Forgets recorded questions asked before `before`.
    async fn purge_desk_questions(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// Implements [`ConversationStore`] for a backend store `$store` (a type with `self.pool`).
macro_rules! impl_conversation_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::conversations::ConversationStore for $store {
            async fn conversation(
                &self,
                key: &str,
                fresh_since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<
                Option<$crate::store::conversations::ConversationRow>,
            > {
                Ok(sqlx::query_as(
                    "SELECT conversation_key, last_topic, state, updated_at FROM conversations \
                     WHERE conversation_key = $1 AND updated_at >= $2",
                )
                .bind(key)
                .bind(fresh_since)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn save_conversation(
                &self,
                row: &$crate::store::conversations::ConversationRow,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO conversations (conversation_key, last_topic, state, updated_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_key) DO UPDATE \
                     SET last_topic = excluded.last_topic, state = excluded.state, \
                     updated_at = excluded.updated_at",
                )
                .bind(&row.conversation_key)
                .bind(&row.last_topic)
                .bind(&row.state)
                .bind(row.updated_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn purge_conversations(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM conversations WHERE updated_at < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }

            async fn record_question(
                &self,
                q: &$crate::store::conversations::NewDeskQuestion,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO desk_questions (asked_at, conversation_key, lang, topics, \
                     confidence, outcome, question) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     RETURNING id",
                )
                .bind(at)
                .bind(&q.conversation_key)
                .bind(&q.lang)
                .bind(&q.topics)
                .bind(q.confidence)
                .bind(&q.outcome)
                .bind(&q.question)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn record_feedback(
                &self,
                id: i64,
                feedback: &str,
                question: Option<&str>,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE desk_questions SET feedback = $2, \
                     question = COALESCE(question, $3) WHERE id = $1",
                )
                .bind(id)
                .bind(feedback)
                .bind(question)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn desk_question(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::conversations::DeskQuestion>>
            {
                Ok(sqlx::query_as(
                    "SELECT id, asked_at, conversation_key, lang, topics, confidence, outcome, \
                     question, feedback FROM desk_questions WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn unanswered_questions(
                &self,
                since: chrono::DateTime<chrono::Utc>,
                confident: f64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::conversations::DeskQuestion>>
            {
                Ok(sqlx::query_as(
                    "SELECT id, asked_at, conversation_key, lang, topics, confidence, outcome, \
                     question, feedback FROM desk_questions WHERE asked_at >= $1 AND \
                     (outcome <> 'answered' OR confidence < $2 OR feedback = 'down') \
                     ORDER BY asked_at, id",
                )
                .bind(since)
                .bind(confident)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn purge_desk_questions(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM desk_questions WHERE asked_at < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }
        }
    };
}

pub(crate) use impl_conversation_store;
