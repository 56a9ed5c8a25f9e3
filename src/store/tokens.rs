//! Company tokens and the lockout of people guessing them: the rows, the `TokenStore` port and
//! its SQL (`impl_token_store!`). Only hashes are stored (see `secret.rs`).

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::companies::{Company, Location};
use super::error::StoreResult;

/// A company token as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CompanyToken {
    pub company_id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// One entry of a company token by a user.
#[derive(Debug, Clone)]
pub struct TokenEntry {
    /// The user the lockout applies to (their IBM ID).
    pub actor_key: String,
    /// SHA-256 (hex) of what the user typed.
    pub token_hash: String,
    /// Profile given with `/join` (used when the person has none yet).
    pub profile_name: Option<String>,
    pub profile_locale: Option<String>,
    /// Failures within `window` that lock the user out for `lockout`.
    pub max_failures: i64,
    pub window: Duration,
    pub lockout: Duration,
    /// How long the user may pick a location after a correct token.
    pub grant_ttl: Duration,
    /// Wrong entries within `window` from all users together after which token entry pauses
    /// for everyone (a wrong token names no company, so every company shares this budget):
    /// many identities cannot multiply the per-user limit.
    pub max_failures_all_users: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOutcome {
    Accepted {
        company: Company,
        locations: Vec<Location>,
    },
    /// A wrong token; `locked_until` when this failure locked the user out.
    Rejected {
        failures: i64,
        locked_until: Option<DateTime<Utc>>,
    },
    /// The user is locked out; the token was not even looked at.
    Locked { until: DateTime<Utc> },
    /// Too many wrong entries from all users within the window: token entry pauses for
    /// everyone until `until`; the token was not looked at.
    Paused { until: DateTime<Utc> },
}

/// The persistence port of company tokens and their lockout.
#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn company_token(&self, company_id: i64) -> StoreResult<Option<CompanyToken>>;

    /// Replaces the company's token hash (the old token stops working at once) and drops the
    /// location picks it had granted.
    async fn rotate_company_token(
        &self,
        company_id: i64,
        token_hash: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<CompanyToken>;

    /// Checks a token entry against the lockout and the stored hashes, records the attempt,
    /// audits it, and on success grants the user a location pick.
    async fn enter_company_token(
        &self,
        entry: &TokenEntry,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<TokenOutcome>;

    /// The companies whose token waits to be shown once to `person_id` (made on completion).
    async fn pending_token_reveals(&self, person_id: i64) -> StoreResult<Vec<i64>>;

    /// Shows the waiting token once: replaces the company's token hash with `token_hash` and
    /// drops the wait, audited. False (and nothing changed but the stale wait) when nothing
    /// waits for that person, or the token was rotated since it was made.
    async fn reveal_company_token(
        &self,
        company_id: i64,
        person_id: i64,
        token_hash: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// Implements [`TokenStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_token_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::tokens::TokenStore for $store {
            async fn company_token(
                &self,
                company_id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::tokens::CompanyToken>> {
                Ok(
                    sqlx::query_as("SELECT * FROM company_tokens WHERE company_id = $1")
                        .bind(company_id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn rotate_company_token(
                &self,
                company_id: i64,
                token_hash: &str,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::tokens::CompanyToken> {
                let mut tx = self.begin_write().await?;
                let replaced: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM company_tokens WHERE company_id = $1")
                        .bind(company_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let token: $crate::store::tokens::CompanyToken = sqlx::query_as(
                    "INSERT INTO company_tokens (company_id, token_hash, created_by, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (company_id) DO UPDATE SET \
                     token_hash = excluded.token_hash, created_by = excluded.created_by, \
                     created_at = excluded.created_at RETURNING *",
                )
                .bind(company_id)
                .bind(token_hash)
                .bind(&actor.who)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM join_grants WHERE company_id = $1")
                    .bind(company_id)
                    .execute(&mut *tx)
                    .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    if replaced > 0 {
                        "token.rotated"
                    } else {
                        "token.created"
                    },
                    &format!("company:{company_id}"),
                    "",
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(token)
            }

            async fn enter_company_token(
                &self,
                entry: &$crate::store::tokens::TokenEntry,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::tokens::TokenOutcome> {
                use $crate::store::tokens::TokenOutcome;
                let subject = format!("user:{}", entry.actor_key);
                let mut tx = self.begin_write().await?;
                // One entry per user at a time: the check and the count below are atomic.
                Self::wf_lock_key(&mut tx, &format!("token:user:{}", entry.actor_key)).await?;
                let lock: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT locked_until FROM token_lockouts WHERE actor = $1",
                )
                .bind(&entry.actor_key)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(until) = lock.filter(|until| *until > at) {
                    // One audit row per lockout window, however often the user keeps trying.
                    let refusals: i64 = sqlx::query_scalar(
                        "UPDATE token_lockouts SET refusals = refusals + 1 WHERE actor = $1 \
                         RETURNING refusals",
                    )
                    .bind(&entry.actor_key)
                    .fetch_one(&mut *tx)
                    .await?;
                    if refusals == 1 {
                        Self::wf_audit(
                            &mut tx,
                            actor,
                            "token.refused-locked",
                            &subject,
                            &format!("locked until {}", until.to_rfc3339()),
                            at,
                        )
                        .await?;
                    }
                    tx.commit().await?;
                    return Ok(TokenOutcome::Locked { until });
                }
                // The budget all users share: its own lock, so the count is exact too.
                Self::wf_lock_key(&mut tx, "token:all-users").await?;
                let window_start = at - entry.window;
                let all_failures: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT at FROM token_attempts WHERE succeeded = $1 AND at > $2 \
                     ORDER BY at LIMIT $3",
                )
                .bind(false)
                .bind(window_start)
                .bind(entry.max_failures_all_users.max(0))
                .fetch_all(&mut *tx)
                .await?;
                if all_failures.len() as i64 >= entry.max_failures_all_users {
                    let oldest = all_failures.first().copied().unwrap_or(at);
                    tx.commit().await?;
                    tracing::warn!(
                        failures = all_failures.len(),
                        "company token entry paused: too many wrong tokens from all users"
                    );
                    return Ok(TokenOutcome::Paused {
                        until: oldest + entry.window,
                    });
                }
                let candidate: Option<$crate::store::tokens::CompanyToken> =
                    sqlx::query_as("SELECT * FROM company_tokens WHERE token_hash = $1")
                        .bind(&entry.token_hash)
                        .fetch_optional(&mut *tx)
                        .await?;
                // The index finds the row by hash; the match itself is decided in constant time.
                let matched = candidate.filter(|c| {
                    $crate::store::secret::same_hash(&c.token_hash, &entry.token_hash)
                });
                let company_id = matched.as_ref().map(|c| c.company_id);
                sqlx::query(
                    "INSERT INTO token_attempts (actor, succeeded, company_id, channel, at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&entry.actor_key)
                .bind(matched.is_some())
                .bind(company_id)
                .bind(&actor.channel)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if let Some(token) = matched {
                    sqlx::query(
                        "INSERT INTO join_grants (actor, company_id, token_hash, profile_name, \
                         profile_locale, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(&entry.actor_key)
                    .bind(token.company_id)
                    .bind(&token.token_hash)
                    .bind(&entry.profile_name)
                    .bind(&entry.profile_locale)
                    .bind(at)
                    .bind(at + entry.grant_ttl)
                    .execute(&mut *tx)
                    .await?;
                    let company: $crate::store::companies::Company =
                        sqlx::query_as("SELECT * FROM companies WHERE id = $1")
                            .bind(token.company_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    let locations: Vec<$crate::store::companies::Location> = sqlx::query_as(
                        "SELECT * FROM locations WHERE company_id = $1 ORDER BY id",
                    )
                    .bind(token.company_id)
                    .fetch_all(&mut *tx)
                    .await?;
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "token.accepted",
                        &subject,
                        &format!("company:{}", company.id),
                        at,
                    )
                    .await?;
                    tx.commit().await?;
                    return Ok(TokenOutcome::Accepted { company, locations });
                }
                Self::wf_audit(&mut tx, actor, "token.failed", &subject, "wrong company token", at)
                    .await?;
                // Failures count within the window, after the last lockout and the last success.
                let lock_end = lock.unwrap_or(chrono::DateTime::UNIX_EPOCH);
                let last_success: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM token_attempts WHERE actor = $1 AND succeeded = $2 \
                     ORDER BY id DESC LIMIT 1",
                )
                .bind(&entry.actor_key)
                .bind(true)
                .fetch_optional(&mut *tx)
                .await?;
                let failures: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM token_attempts WHERE actor = $1 AND succeeded = $2 \
                     AND at > $3 AND at >= $4 AND id > $5",
                )
                .bind(&entry.actor_key)
                .bind(false)
                .bind(window_start)
                .bind(lock_end)
                .bind(last_success.unwrap_or(0))
                .fetch_one(&mut *tx)
                .await?;
                let mut locked_until = None;
                if failures >= entry.max_failures {
                    let until = at + entry.lockout;
                    sqlx::query(
                        "INSERT INTO token_lockouts (actor, locked_at, locked_until, refusals) \
                         VALUES ($1, $2, $3, 0) ON CONFLICT (actor) DO UPDATE SET \
                         locked_at = excluded.locked_at, locked_until = excluded.locked_until, \
                         refusals = 0",
                    )
                    .bind(&entry.actor_key)
                    .bind(at)
                    .bind(until)
                    .execute(&mut *tx)
                    .await?;
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "token.locked-out",
                        &subject,
                        &format!(
                            "{failures} failed attempts; locked until {}",
                            until.to_rfc3339()
                        ),
                        at,
                    )
                    .await?;
                    locked_until = Some(until);
                }
                tx.commit().await?;
                Ok(TokenOutcome::Rejected {
                    failures,
                    locked_until,
                })
            }
            async fn pending_token_reveals(
                &self,
                person_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT company_id FROM token_reveals WHERE person_id = $1 ORDER BY company_id",
                )
                .bind(person_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn reveal_company_token(
                &self,
                company_id: i64,
                person_id: i64,
                token_hash: &str,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                let waiting: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "DELETE FROM token_reveals WHERE company_id = $1 AND person_id = $2 \
                     RETURNING created_at",
                )
                .bind(company_id)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(waiting_since) = waiting else {
                    tx.commit().await?;
                    return Ok(false);
                };
                let current: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT created_at FROM company_tokens WHERE company_id = $1",
                )
                .bind(company_id)
                .fetch_optional(&mut *tx)
                .await?;
                if current.is_some_and(|made| made > waiting_since) {
                    // Rotated since: the token in use was shown to whoever rotated it.
                    tx.commit().await?;
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO company_tokens (company_id, token_hash, created_by, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (company_id) DO UPDATE SET \
                     token_hash = excluded.token_hash, created_by = excluded.created_by, \
                     created_at = excluded.created_at",
                )
                .bind(company_id)
                .bind(token_hash)
                .bind(&actor.who)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM join_grants WHERE company_id = $1")
                    .bind(company_id)
                    .execute(&mut *tx)
                    .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "token.revealed",
                    &format!("company:{company_id}"),
                    &format!("shown once to person:{person_id}"),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use impl_token_store;
