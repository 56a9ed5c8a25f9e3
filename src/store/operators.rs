//! Operators of the web console: their accounts (argon2id password hashes made by the caller,
//! one-time setup links stored as SHA-256), their login sessions (the cookie's random id is
//! stored only as its SHA-256, with the session's CSRF token) and their login attempts, which
//! rate-limit logins and are audited. The rows, the `OperatorStore` port and its SQL
//! (`impl_operator_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::error::StoreResult;

/// An operator account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Operator {
    pub id: i64,
    pub ibm_id: String,
    /// The argon2id PHC string; `None` until the operator has chosen a password.
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub setup_expires_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How `operator add` sets the account up: a password hash, or a one-time setup link.
#[derive(Debug, Clone)]
pub enum OperatorCredential {
    PasswordHash(String),
    SetupLink {
        token_hash: String,
        expires_at: DateTime<Utc>,
    },
}

/// A live login session, with the operator it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OperatorSession {
    pub operator_id: i64,
    pub ibm_id: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewOperatorSession {
    /// SHA-256 of the cookie's value.
    pub id_hash: String,
    pub operator_id: i64,
    pub csrf_token: String,
    pub remote: String,
    pub expires_at: DateTime<Utc>,
}

/// One login attempt, recorded with its audit entry.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    /// What was typed as the IBM ID (lower-cased).
    pub ibm_id: String,
    /// The client address (after a trusted proxy's `X-Forwarded-For`).
    pub remote: String,
    pub succeeded: bool,
    /// The audit action: `console.login`, `console.login-failed`, `console.login-limited`.
    pub action: &'static str,
}

/// The persistence port of operators, their sessions and login attempts.
#[async_trait]
pub trait OperatorStore: Send + Sync {
    /// Creates the operator, or gives an existing one the new credential (a new setup link
    /// replaces an unused one); audited as `operator.added` or `operator.reset`. Returns the
    /// operator and whether it is new.
    async fn add_operator(
        &self,
        ibm_id: &str,
        credential: &OperatorCredential,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<(Operator, bool)>;
    async fn operator_by_ibm_id(&self, ibm_id: &str) -> StoreResult<Option<Operator>>;

    /// The operator whose setup link hashes to `token_hash` and has not expired at `now`.
    async fn operator_by_setup_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Operator>>;

    /// Sets the password hash and spends the setup link; audited as `operator.password-set`.
    async fn set_operator_password(
        &self,
        operator_id: i64,
        password_hash: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Stores a new session (and forgets expired ones).
    async fn create_operator_session(
        &self,
        session: &NewOperatorSession,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The session whose cookie hashes to `id_hash`, unless it expired by `now`.
    async fn operator_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<OperatorSession>>;

    /// Ends a session (logout); returns whether there was one.
    async fn end_operator_session(&self, id_hash: &str) -> StoreResult<bool>;

    /// Records a login attempt and its audit entry in one transaction.
    async fn record_login_attempt(
        &self,
        attempt: &LoginAttempt,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Failed login attempts since `since`: (for this IBM ID, from this address).
    async fn failed_logins_since(
        &self,
        ibm_id: &str,
        remote: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, i64)>;
}

/// Implements [`OperatorStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_operator_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::operators::OperatorStore for $store {
            async fn add_operator(
                &self,
                ibm_id: &str,
                credential: &$crate::store::operators::OperatorCredential,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<($crate::store::operators::Operator, bool)>
            {
                use $crate::store::operators::OperatorCredential;
                let ibm_id = ibm_id.to_lowercase();
                let (password_hash, token_hash, expires_at) = match credential {
                    OperatorCredential::PasswordHash(hash) => (Some(hash.clone()), None, None),
                    OperatorCredential::SetupLink {
                        token_hash,
                        expires_at,
                    } => (None, Some(token_hash.clone()), Some(*expires_at)),
                };
                let mut tx = self.pool.begin().await?;
                let existed: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM operators WHERE ibm_id = $1")
                        .bind(&ibm_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                // A setup link leaves the old password in place until the link is used.
                let operator: $crate::store::operators::Operator = sqlx::query_as(
                    "INSERT INTO operators (ibm_id, password_hash, setup_token_hash, \
                     setup_expires_at, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) \
                     ON CONFLICT (ibm_id) DO UPDATE SET \
                     password_hash = COALESCE(excluded.password_hash, operators.password_hash), \
                     setup_token_hash = excluded.setup_token_hash, \
                     setup_expires_at = excluded.setup_expires_at, updated_at = excluded.updated_at \
                     RETURNING id, ibm_id, password_hash, setup_expires_at, created_by, \
                     created_at, updated_at",
                )
                .bind(&ibm_id)
                .bind(&password_hash)
                .bind(&token_hash)
                .bind(expires_at)
                .bind(&actor.who)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                let how = if password_hash.is_some() {
                    "password"
                } else {
                    "setup-link"
                };
                Self::wf_audit(
                    &mut tx,
                    actor,
                    if existed.is_some() {
                        "operator.reset"
                    } else {
                        "operator.added"
                    },
                    &format!("operator:{ibm_id}"),
                    &format!("credential={how}"),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok((operator, existed.is_none()))
            }

            async fn operator_by_ibm_id(
                &self,
                ibm_id: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::operators::Operator>>
            {
                Ok(sqlx::query_as(
                    "SELECT id, ibm_id, password_hash, setup_expires_at, created_by, created_at, \
                     updated_at FROM operators WHERE ibm_id = $1",
                )
                .bind(ibm_id.to_lowercase())
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn operator_by_setup_token(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::operators::Operator>>
            {
                Ok(sqlx::query_as(
                    "SELECT id, ibm_id, password_hash, setup_expires_at, created_by, created_at, \
                     updated_at FROM operators WHERE setup_token_hash = $1 \
                     AND setup_expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn set_operator_password(
                &self,
                operator_id: i64,
                password_hash: &str,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let ibm_id: Option<String> = sqlx::query_scalar(
                    "UPDATE operators SET password_hash = $1, setup_token_hash = NULL, \
                     setup_expires_at = NULL, updated_at = $2 WHERE id = $3 RETURNING ibm_id",
                )
                .bind(password_hash)
                .bind(at)
                .bind(operator_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(ibm_id) = ibm_id else {
                    return Ok(false);
                };
                // Sessions opened with the old password end with it.
                sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1")
                    .bind(operator_id)
                    .execute(&mut *tx)
                    .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "operator.password-set",
                    &format!("operator:{ibm_id}"),
                    "",
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn create_operator_session(
                &self,
                session: &$crate::store::operators::NewOperatorSession,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= $1")
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO operator_sessions (id_hash, operator_id, csrf_token, remote, \
                     created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&session.id_hash)
                .bind(session.operator_id)
                .bind(&session.csrf_token)
                .bind(&session.remote)
                .bind(at)
                .bind(session.expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn operator_session(
                &self,
                id_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<
                Option<$crate::store::operators::OperatorSession>,
            > {
                Ok(sqlx::query_as(
                    "SELECT s.operator_id, o.ibm_id, s.csrf_token, s.expires_at \
                     FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
                     WHERE s.id_hash = $1 AND s.expires_at > $2",
                )
                .bind(id_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn end_operator_session(
                &self,
                id_hash: &str,
            ) -> $crate::store::error::StoreResult<bool> {
                Ok(
                    sqlx::query("DELETE FROM operator_sessions WHERE id_hash = $1")
                        .bind(id_hash)
                        .execute(&self.pool)
                        .await?
                        .rows_affected()
                        > 0,
                )
            }

            async fn record_login_attempt(
                &self,
                attempt: &$crate::store::operators::LoginAttempt,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO operator_login_attempts (at, ibm_id, remote, succeeded) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(at)
                .bind(&attempt.ibm_id)
                .bind(&attempt.remote)
                .bind(attempt.succeeded)
                .execute(&mut *tx)
                .await?;
                let actor = $crate::store::audit::Actor::new(attempt.ibm_id.clone(), "console");
                Self::wf_audit(
                    &mut tx,
                    &actor,
                    attempt.action,
                    &format!("operator:{}", attempt.ibm_id),
                    &format!("remote={}", attempt.remote),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn failed_logins_since(
                &self,
                ibm_id: &str,
                remote: &str,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<(i64, i64)> {
                let by_id: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM operator_login_attempts \
                     WHERE ibm_id = $1 AND at > $2 AND NOT succeeded",
                )
                .bind(ibm_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                let by_remote: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM operator_login_attempts \
                     WHERE remote = $1 AND at > $2 AND NOT succeeded",
                )
                .bind(remote)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok((by_id, by_remote))
            }
        }
    };
}

pub(crate) use impl_operator_store;
