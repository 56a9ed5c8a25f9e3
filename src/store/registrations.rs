//! Company registrations and their review steps: the rows, the `RegistrationStore` port and
//! its SQL (`impl_registration_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::error::StoreResult;
use super::outbox::Notices;

/// Where a registration stands. `submitted → under-review → documents-requested →
/// completed | rejected`; documents may be requested again, and a reviewer may complete or
/// reject at any open step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    Submitted,
    UnderReview,
    DocumentsRequested,
    Completed,
    Rejected,
}

impl RegistrationStatus {
    pub const ALL: &'static [RegistrationStatus] = &[
        Self::Submitted,
        Self::UnderReview,
        Self::DocumentsRequested,
        Self::Completed,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::UnderReview => "under-review",
            Self::DocumentsRequested => "documents-requested",
            Self::Completed => "completed",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Completed | Self::Rejected)
    }

    /// The transitions the review allows.
    pub fn can_move_to(self, to: Self) -> bool {
        use RegistrationStatus::*;
        matches!(
            (self, to),
            (Submitted, UnderReview)
                | (DocumentsRequested, UnderReview)
                | (
                    Submitted | UnderReview | DocumentsRequested,
                    DocumentsRequested | Completed | Rejected
                )
        )
    }
}

impl std::fmt::Display for RegistrationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A registration with the company and applicant names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub company_id: i64,
    pub applicant_id: i64,
    pub status: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub documents_requests: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub company_name: String,
    pub applicant_ibm_id: String,
    pub applicant_name: String,
    pub applicant_locale: String,
}

impl Registration {
    pub fn status(&self) -> Option<RegistrationStatus> {
        RegistrationStatus::parse(&self.status)
    }
}

pub(crate) const REGISTRATION_SELECT: &str = "SELECT r.id, r.company_id, r.applicant_id, \
     r.status, r.note, r.reason, r.decided_by, r.decided_at, r.documents_requests, r.created_at, \
     r.updated_at, c.name AS company_name, p.ibm_id AS applicant_ibm_id, \
     p.name AS applicant_name, p.locale AS applicant_locale \
     FROM registrations r JOIN companies c ON c.id = r.company_id \
     JOIN people p ON p.id = r.applicant_id";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitOutcome {
    pub registration: Registration,
    /// False when the company already had an open registration (returned instead).
    pub created: bool,
}

#[derive(Debug, Clone)]
pub struct RegistrationStep {
    pub id: i64,
    pub to: RegistrationStatus,
    /// What is needed (documents-requested).
    pub note: Option<String>,
    /// Why (rejected).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionOutcome {
    Moved(Registration),
    NotAllowed(Registration),
    NotFound,
}

#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    pub company_id: Option<i64>,
    pub status: Option<String>,
    pub applicant_id: Option<i64>,
}

/// The persistence port of registrations.
#[async_trait]
pub trait RegistrationStore: Send + Sync {
    async fn submit_registration(
        &self,
        company_id: i64,
        applicant_id: i64,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<SubmitOutcome>;
    async fn registration_by_id(&self, id: i64) -> StoreResult<Option<Registration>>;
    async fn list_registrations(
        &self,
        filter: &RegistrationFilter,
    ) -> StoreResult<Vec<Registration>>;
    async fn move_registration(
        &self,
        step: &RegistrationStep,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, Registration>,
    ) -> StoreResult<TransitionOutcome>;
}

/// Implements [`RegistrationStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_registration_store {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn wf_registration(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: i64,
            ) -> $crate::store::error::StoreResult<
                Option<$crate::store::registrations::Registration>,
            > {
                let sql = format!(
                    "{} WHERE r.id = $1",
                    $crate::store::registrations::REGISTRATION_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::registrations::RegistrationStore for $store {
            async fn submit_registration(
                &self,
                company_id: i64,
                applicant_id: i64,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::registrations::SubmitOutcome> {
                let mut tx = self.begin_write().await?;
                let open: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM registrations WHERE company_id = $1 \
                     AND status NOT IN ('completed', 'rejected') ORDER BY id LIMIT 1",
                )
                .bind(company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let (id, created) = match open {
                    Some(id) => (id, false),
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO registrations (company_id, applicant_id, status, \
                             created_at, updated_at) VALUES ($1, $2, 'submitted', $3, $3) \
                             RETURNING id",
                        )
                        .bind(company_id)
                        .bind(applicant_id)
                        .bind(at)
                        .fetch_one(&mut *tx)
                        .await?;
                        Self::wf_audit(
                            &mut tx,
                            actor,
                            "registration.submitted",
                            &format!("registration:{id}"),
                            &format!("company:{company_id} applicant:person:{applicant_id}"),
                            at,
                        )
                        .await?;
                        (id, true)
                    }
                };
                let Some(registration) = Self::wf_registration(&mut tx, id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "registration {id} vanished inside its transaction"
                    )));
                };
                tx.commit().await?;
                Ok($crate::store::registrations::SubmitOutcome {
                    registration,
                    created,
                })
            }

            async fn registration_by_id(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<
                Option<$crate::store::registrations::Registration>,
            > {
                let sql = format!(
                    "{} WHERE r.id = $1",
                    $crate::store::registrations::REGISTRATION_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_registrations(
                &self,
                filter: &$crate::store::registrations::RegistrationFilter,
            ) -> $crate::store::error::StoreResult<
                Vec<$crate::store::registrations::Registration>,
            > {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR r.company_id = $1) AND ($2 IS NULL OR r.status = $2) \
                     AND ($3 IS NULL OR r.applicant_id = $3) ORDER BY r.id",
                    $crate::store::registrations::REGISTRATION_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(filter.company_id)
                    .bind(&filter.status)
                    .bind(filter.applicant_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn move_registration(
                &self,
                step: &$crate::store::registrations::RegistrationStep,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<
                    '_,
                    $crate::store::registrations::Registration,
                >,
            ) -> $crate::store::error::StoreResult<
                $crate::store::registrations::TransitionOutcome,
            > {
                use $crate::store::registrations::{RegistrationStatus, TransitionOutcome};
                let mut tx = self.begin_write().await?;
                let Some(current) = Self::wf_registration(&mut tx, step.id).await? else {
                    return Ok(TransitionOutcome::NotFound);
                };
                let allowed = current
                    .status()
                    .is_some_and(|from| from.can_move_to(step.to));
                if !allowed {
                    tx.commit().await?;
                    return Ok(TransitionOutcome::NotAllowed(current));
                }
                let terminal = !step.to.is_open();
                let changed = sqlx::query(
                    "UPDATE registrations SET status = $1, note = COALESCE($2, note), \
                     reason = COALESCE($3, reason), updated_at = $4, \
                     documents_requests = documents_requests + $5, decided_by = $6, \
                     decided_at = CASE WHEN $7 THEN $4 ELSE decided_at END \
                     WHERE id = $8 AND status = $9",
                )
                .bind(step.to.as_str())
                .bind(&step.note)
                .bind(&step.reason)
                .bind(at)
                .bind(i64::from(step.to == RegistrationStatus::DocumentsRequested))
                .bind(&actor.who)
                .bind(terminal)
                .bind(current.id)
                .bind(&current.status)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    let now = Self::wf_registration(&mut tx, current.id)
                        .await?
                        .unwrap_or(current);
                    tx.commit().await?;
                    return Ok(TransitionOutcome::NotAllowed(now));
                }
                match step.to {
                    RegistrationStatus::Completed => {
                        sqlx::query("UPDATE companies SET status = 'active' WHERE id = $1")
                            .bind(current.company_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    RegistrationStatus::Rejected => {
                        sqlx::query(
                            "UPDATE companies SET status = 'rejected' WHERE id = $1 \
                             AND status = 'registering'",
                        )
                        .bind(current.company_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    _ => {}
                }
                let Some(moved) = Self::wf_registration(&mut tx, current.id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "registration {} vanished inside its transaction",
                        current.id
                    )));
                };
                Self::wf_enqueue_all(&mut tx, &notices(&moved), at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    &format!("registration.{}", step.to),
                    &format!("registration:{}", moved.id),
                    &format!(
                        "company:{} from={} {}",
                        moved.company_id,
                        current.status,
                        step.note
                            .as_deref()
                            .or(step.reason.as_deref())
                            .unwrap_or_default()
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(TransitionOutcome::Moved(moved))
            }
        }
    };
}

pub(crate) use impl_registration_store;
