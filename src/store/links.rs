//! Chat accounts linked to people: one-time link codes, chat links, Discord ids, the reply
//! language an account chose, and the claims that make one replica handle a chat event. Rows,
//! the `LinkStore` port and its SQL (`impl_link_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::audit::Actor;
use super::error::StoreResult;
use super::outbox::Notices;
use super::people::{NewPerson, Person};

/// A one-time code of `/link`, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkCode {
    pub id: i64,
    pub platform_id: String,
    pub ibm_id: String,
    pub code_hash: String,
    pub attempts: i64,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewLinkCode {
    pub platform_id: String,
    pub ibm_id: String,
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    /// Codes one chat account may ask for within an hour.
    pub max_per_hour: i64,
    /// Codes mailed to one IBM ID within an hour, whichever accounts ask.
    pub max_per_target_per_hour: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkCodeOutcome {
    Sent(i64),
    TooMany { retry_after: DateTime<Utc> },
}

#[derive(Debug, Clone)]
pub struct LinkAttempt {
    pub platform_id: String,
    /// Hash of the code typed, made the same way as the stored one.
    pub code_hash: String,
    pub max_tries: i64,
    /// Profile for a person not known yet (its `ibm_id` is replaced by the code's).
    pub new_person: NewPerson,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    Linked(Person),
    Wrong { remaining: i64 },
    Expired,
    TooManyTries,
    NoCode,
}

/// The persistence port of chat account links and chat preferences.
#[async_trait]
pub trait LinkStore: Send + Sync {
    async fn create_link_code(
        &self,
        code: &NewLinkCode,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, i64>,
    ) -> StoreResult<LinkCodeOutcome>;
    async fn verify_link_code(
        &self,
        attempt: &LinkAttempt,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<VerifyOutcome>;
    async fn person_by_chat_link(&self, platform_id: &str) -> StoreResult<Option<Person>>;
    async fn person_by_discord_id(&self, discord_user_id: &str) -> StoreResult<Option<Person>>;

    /// `(ibm_id, discord_user_id)` of every person linked to a Discord account.
    async fn discord_accounts(&self) -> StoreResult<Vec<(String, String)>>;

    /// The reply language a chat account chose with `/lang` (`ja`, `en`), if it chose one.
    async fn chat_locale(&self, platform_id: &str) -> StoreResult<Option<String>>;

    /// Saves (or replaces) a chat account's reply language.
    async fn save_chat_locale(
        &self,
        platform_id: &str,
        locale: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Claims a chat platform event (`discord:interaction:<id>`) for `owner`; `false` when
    /// another replica (or an earlier delivery) already has it.
    async fn claim_chat_event(
        &self,
        event_id: &str,
        owner: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Forgets event claims older than `before`.
    async fn purge_chat_event_claims(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// Implements [`LinkStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_link_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::links::LinkStore for $store {
            async fn create_link_code(
                &self,
                code: &$crate::store::links::NewLinkCode,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<'_, i64>,
            ) -> $crate::store::error::StoreResult<$crate::store::links::LinkCodeOutcome> {
                let ibm_id = code.ibm_id.to_lowercase();
                let mut tx = self.begin_write().await?;
                // Both limits are checked and counted atomically: the account's key, then the
                // target's (always in this order, so two requests never wait on each other).
                Self::wf_lock_key(&mut tx, &format!("link:account:{}", code.platform_id)).await?;
                Self::wf_lock_key(&mut tx, &format!("link:ibm-id:{ibm_id}")).await?;
                let hour_ago = at - chrono::Duration::hours(1);
                let by_account: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT created_at FROM link_codes WHERE platform_id = $1 AND created_at > $2 \
                     ORDER BY created_at",
                )
                .bind(&code.platform_id)
                .bind(hour_ago)
                .fetch_all(&mut *tx)
                .await?;
                let by_target: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT created_at FROM link_codes WHERE ibm_id = $1 AND created_at > $2 \
                     ORDER BY created_at",
                )
                .bind(&ibm_id)
                .bind(hour_ago)
                .fetch_all(&mut *tx)
                .await?;
                let full = [
                    (by_account, code.max_per_hour),
                    (by_target, code.max_per_target_per_hour),
                ]
                .into_iter()
                .filter(|(recent, max)| recent.len() as i64 >= *max)
                // The limit frees up when its oldest code leaves the hour.
                .map(|(recent, _)| recent.first().copied().unwrap_or(at))
                .max();
                if let Some(oldest) = full {
                    return Ok($crate::store::links::LinkCodeOutcome::TooMany {
                        retry_after: oldest + chrono::Duration::hours(1),
                    });
                }
                // A new code replaces the account's earlier ones.
                sqlx::query(
                    "UPDATE link_codes SET expires_at = $1 WHERE platform_id = $2 \
                     AND used_at IS NULL AND expires_at > $1",
                )
                .bind(at)
                .bind(&code.platform_id)
                .execute(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO link_codes (platform_id, ibm_id, code_hash, attempts, expires_at, \
                     created_at) VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
                )
                .bind(&code.platform_id)
                .bind(&ibm_id)
                .bind(&code.code_hash)
                .bind(code.expires_at)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                Self::wf_enqueue_all(&mut tx, &notices(&id), at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "identity.code-sent",
                    &code.platform_id,
                    &ibm_id,
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok($crate::store::links::LinkCodeOutcome::Sent(id))
            }

            async fn verify_link_code(
                &self,
                attempt: &$crate::store::links::LinkAttempt,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::links::VerifyOutcome> {
                use $crate::store::links::VerifyOutcome;
                let mut tx = self.begin_write().await?;
                // The tries of one account's code are checked and counted atomically.
                Self::wf_lock_key(&mut tx, &format!("link:account:{}", attempt.platform_id))
                    .await?;
                let code: Option<$crate::store::links::LinkCode> = sqlx::query_as(
                    "SELECT * FROM link_codes WHERE platform_id = $1 AND used_at IS NULL \
                     ORDER BY id DESC LIMIT 1",
                )
                .bind(&attempt.platform_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(code) = code else {
                    return Ok(VerifyOutcome::NoCode);
                };
                if code.expires_at <= at {
                    return Ok(VerifyOutcome::Expired);
                }
                if code.attempts >= attempt.max_tries {
                    return Ok(VerifyOutcome::TooManyTries);
                }
                if !$crate::store::secret::same_hash(&code.code_hash, &attempt.code_hash) {
                    sqlx::query("UPDATE link_codes SET attempts = attempts + 1 WHERE id = $1")
                        .bind(code.id)
                        .execute(&mut *tx)
                        .await?;
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "identity.verify-failed",
                        &attempt.platform_id,
                        &code.ibm_id,
                        at,
                    )
                    .await?;
                    tx.commit().await?;
                    return Ok(VerifyOutcome::Wrong {
                        remaining: (attempt.max_tries - code.attempts - 1).max(0),
                    });
                }
                sqlx::query(
                    "UPDATE link_codes SET used_at = $1 WHERE platform_id = $2 AND used_at IS NULL",
                )
                .bind(at)
                .bind(&attempt.platform_id)
                .execute(&mut *tx)
                .await?;
                let mut profile = attempt.new_person.clone();
                profile.ibm_id = code.ibm_id.clone();
                let (person, _) = Self::wf_person_or_create(&mut tx, &profile, at).await?;
                if let Some(discord) = attempt.platform_id.strip_prefix("discord:") {
                    sqlx::query(
                        "UPDATE people SET discord_user_id = NULL WHERE discord_user_id = $1 \
                         AND id <> $2",
                    )
                    .bind(discord)
                    .bind(person.id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE people SET discord_user_id = $1 WHERE id = $2")
                        .bind(discord)
                        .bind(person.id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "INSERT INTO chat_links (platform_id, person_id, linked_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (platform_id) DO UPDATE SET person_id = excluded.person_id, \
                     linked_at = excluded.linked_at",
                )
                .bind(&attempt.platform_id)
                .bind(person.id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "identity.linked",
                    &attempt.platform_id,
                    &person.ibm_id,
                    at,
                )
                .await?;
                let linked: $crate::store::people::Person =
                    sqlx::query_as("SELECT * FROM people WHERE id = $1")
                        .bind(person.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                Ok(VerifyOutcome::Linked(linked))
            }

            async fn person_by_chat_link(
                &self,
                platform_id: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::people::Person>> {
                Ok(sqlx::query_as(
                    "SELECT p.* FROM people p JOIN chat_links k ON k.person_id = p.id \
                     WHERE k.platform_id = $1",
                )
                .bind(platform_id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn person_by_discord_id(
                &self,
                discord_user_id: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::people::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE discord_user_id = $1")
                    .bind(discord_user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn discord_accounts(
                &self,
            ) -> $crate::store::error::StoreResult<Vec<(String, String)>> {
                Ok(sqlx::query_as(
                    "SELECT ibm_id, discord_user_id FROM people \
                     WHERE discord_user_id IS NOT NULL ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn chat_locale(
                &self,
                platform_id: &str,
            ) -> $crate::store::error::StoreResult<Option<String>> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT locale FROM chat_preferences WHERE platform_id = $1")
                        .bind(platform_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(locale,)| locale))
            }

            async fn save_chat_locale(
                &self,
                platform_id: &str,
                locale: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO chat_preferences (platform_id, locale, updated_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (platform_id) DO UPDATE \
                     SET locale = excluded.locale, updated_at = excluded.updated_at",
                )
                .bind(platform_id)
                .bind(locale)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn claim_chat_event(
                &self,
                event_id: &str,
                owner: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "INSERT INTO chat_event_claims (event_id, claimed_by, claimed_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
                )
                .bind(event_id)
                .bind(owner)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn purge_chat_event_claims(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<u64> {
                Ok(
                    sqlx::query("DELETE FROM chat_event_claims WHERE claimed_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?
                        .rows_affected(),
                )
            }
        }
    };
}

pub(crate) use impl_link_store;
