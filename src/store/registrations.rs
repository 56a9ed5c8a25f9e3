//! Company registrations and their review steps: the rows, the `RegistrationStore` port and
//! its SQL (`impl_registration_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::error::StoreResult;
use super::outbox::Notices;

/// Where a registration stands. `submitted → under-review → documents-requested →
/// documents-received → completed | rejected`; documents may be requested again, and a
/// reviewer may complete or reject at any open step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    Submitted,
    UnderReview,
    DocumentsRequested,
    DocumentsReceived,
    Completed,
    Rejected,
}

impl RegistrationStatus {
    pub const ALL: &'static [RegistrationStatus] = &[
        Self::Submitted,
        Self::UnderReview,
        Self::DocumentsRequested,
        Self::DocumentsReceived,
        Self::Completed,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::UnderReview => "under-review",
            Self::DocumentsRequested => "documents-requested",
            Self::DocumentsReceived => "documents-received",
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
                | (DocumentsRequested | DocumentsReceived, UnderReview)
                | (DocumentsRequested, DocumentsReceived)
                | (
                    Submitted | UnderReview | DocumentsRequested | DocumentsReceived,
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
    /// The first location the registrant gave (`/register location:`), made on completion.
    pub location_name: Option<String>,
    /// Who became the company's APA on completion (the registrant unless the reviewer named
    /// another), with what their notices need.
    pub apa_id: Option<i64>,
    pub apa_ibm_id: Option<String>,
    pub apa_name: Option<String>,
    pub apa_locale: Option<String>,
    pub apa_discord_user_id: Option<String>,
    /// Where the requested documents go (JSON of `config::settings::DocumentsDestination`).
    pub documents_to: Option<String>,
    /// The reviewer's note when the documents were received.
    pub received_note: Option<String>,
}

impl Registration {
    pub fn status(&self) -> Option<RegistrationStatus> {
        RegistrationStatus::parse(&self.status)
    }
}

pub(crate) const REGISTRATION_SELECT: &str = "SELECT r.id, r.company_id, r.applicant_id, \
     r.status, r.note, r.reason, r.decided_by, r.decided_at, r.documents_requests, r.created_at, \
     r.updated_at, c.name AS company_name, p.ibm_id AS applicant_ibm_id, \
     p.name AS applicant_name, p.locale AS applicant_locale, r.location_name, r.apa_id, \
     a.ibm_id AS apa_ibm_id, a.name AS apa_name, a.locale AS apa_locale, \
     a.discord_user_id AS apa_discord_user_id, r.documents_to, r.received_note \
     FROM registrations r JOIN companies c ON c.id = r.company_id \
     JOIN people p ON p.id = r.applicant_id LEFT JOIN people a ON a.id = r.apa_id";

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

/// What a step carries beyond the status: where documents go (documents-requested) and what
/// completion makes (the registrant's membership, the APA, the first location, the token).
#[derive(Debug, Clone, Default)]
pub struct StepExtras {
    /// JSON of the documents destination, stored with a documents request.
    pub documents_to: Option<String>,
    pub completion: Option<Completion>,
}

/// What completing a registration sets up, in the same transaction (seed 000 step 3: the
/// registrant creates the company profile and their own employee profile).
#[derive(Debug, Clone)]
pub struct Completion {
    /// The company's APA: the registrant unless the reviewer named another person.
    pub apa_person_id: i64,
    /// The hash of a fresh company token, stored when the company has none; the plaintext is
    /// never stored, and the APA is shown a token once in chat.
    pub token_hash: String,
    /// The first location's name when the registrant gave none (the company's name).
    pub default_location: String,
    /// The permission level of the registrant's (and the APA's) membership.
    pub level: String,
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
    ) -> StoreResult<SubmitOutcome> {
        self.submit_registration_at(company_id, applicant_id, None, actor, at)
            .await
    }
    /// Records an application with the first location the registrant gave, if any.
    async fn submit_registration_at(
        &self,
        company_id: i64,
        applicant_id: i64,
        location_name: Option<&str>,
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
    ) -> StoreResult<TransitionOutcome> {
        self.move_registration_with(step, &StepExtras::default(), actor, at, notices)
            .await
    }
    /// Moves a registration one step, with what the step sets up (`extras`), its notices and
    /// its audit entries in one transaction.
    async fn move_registration_with(
        &self,
        step: &RegistrationStep,
        extras: &StepExtras,
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

            /// Completion's set-up inside the step's transaction: the first location (when the
            /// company has none), the registrant's membership, the APA role, a company token
            /// (when there is none) to be shown once to the APA, each audited.
            async fn wf_complete_company(
                tx: &mut sqlx::Transaction<'static, $db>,
                registration: &$crate::store::registrations::Registration,
                completion: &$crate::store::registrations::Completion,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                use $crate::store::people::{Role, RoleGrant};
                let company = registration.company_id;
                let first: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM locations WHERE company_id = $1 ORDER BY id LIMIT 1",
                )
                .bind(company)
                .fetch_optional(&mut **tx)
                .await?;
                let location = match first {
                    Some(id) => id,
                    None => {
                        let name = registration
                            .location_name
                            .clone()
                            .unwrap_or_else(|| completion.default_location.clone());
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO locations (company_id, name, created_at) \
                             VALUES ($1, $2, $3) RETURNING id",
                        )
                        .bind(company)
                        .bind(&name)
                        .bind(at)
                        .fetch_one(&mut **tx)
                        .await?;
                        Self::wf_audit(
                            tx,
                            actor,
                            "location.added",
                            &format!("location:{id}"),
                            &format!("company:{company} {name}"),
                            at,
                        )
                        .await?;
                        id
                    }
                };
                let mut grants = vec![(registration.applicant_id, Role::Member)];
                if completion.apa_person_id != registration.applicant_id {
                    grants.push((completion.apa_person_id, Role::Member));
                }
                grants.push((completion.apa_person_id, Role::Apa));
                for (person_id, role) in grants {
                    let grant = RoleGrant {
                        person_id,
                        role,
                        company_id: Some(company),
                        location_id: Some(location),
                        permission_level: (role == Role::Member)
                            .then(|| completion.level.clone()),
                    };
                    let (membership, new) = Self::wf_grant(tx, &grant, at).await?;
                    Self::wf_audit(
                        tx,
                        actor,
                        if new { "role.granted" } else { "role.updated" },
                        &format!("person:{person_id}"),
                        &format!(
                            "role={role} company={company} location={location} level={} \
                             (registration:{})",
                            membership.permission_level.clone().unwrap_or_default(),
                            registration.id
                        ),
                        at,
                    )
                    .await?;
                }
                let made = sqlx::query(
                    "INSERT INTO company_tokens (company_id, token_hash, created_by, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (company_id) DO NOTHING",
                )
                .bind(company)
                .bind(&completion.token_hash)
                .bind(&actor.who)
                .bind(at)
                .execute(&mut **tx)
                .await?
                .rows_affected();
                if made > 0 {
                    sqlx::query(
                        "INSERT INTO token_reveals (company_id, person_id, created_at) \
                         VALUES ($1, $2, $3) ON CONFLICT (company_id) DO UPDATE SET \
                         person_id = excluded.person_id, created_at = excluded.created_at",
                    )
                    .bind(company)
                    .bind(completion.apa_person_id)
                    .bind(at)
                    .execute(&mut **tx)
                    .await?;
                    Self::wf_audit(
                        tx,
                        actor,
                        "token.created",
                        &format!("company:{company}"),
                        &format!(
                            "registration:{} shown once to person:{}",
                            registration.id, completion.apa_person_id
                        ),
                        at,
                    )
                    .await?;
                }
                sqlx::query("UPDATE registrations SET apa_id = $1 WHERE id = $2")
                    .bind(completion.apa_person_id)
                    .bind(registration.id)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::registrations::RegistrationStore for $store {
            async fn submit_registration_at(
                &self,
                company_id: i64,
                applicant_id: i64,
                location_name: Option<&str>,
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
                             created_at, updated_at, location_name) \
                             VALUES ($1, $2, 'submitted', $3, $3, $4) RETURNING id",
                        )
                        .bind(company_id)
                        .bind(applicant_id)
                        .bind(at)
                        .bind(location_name)
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

            async fn move_registration_with(
                &self,
                step: &$crate::store::registrations::RegistrationStep,
                extras: &$crate::store::registrations::StepExtras,
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
                let received = step.to == RegistrationStatus::DocumentsReceived;
                let requested = step.to == RegistrationStatus::DocumentsRequested;
                // The request note stays what was asked; the receipt has its own note.
                let (note, received_note) = if received {
                    (None, step.note.clone())
                } else {
                    (step.note.clone(), None)
                };
                let changed = sqlx::query(
                    "UPDATE registrations SET status = $1, note = COALESCE($2, note), \
                     reason = COALESCE($3, reason), updated_at = $4, \
                     documents_requests = documents_requests + $5, decided_by = $6, \
                     decided_at = CASE WHEN $7 THEN $4 ELSE decided_at END, \
                     documents_to = COALESCE($10, documents_to), \
                     received_note = CASE WHEN $11 THEN NULL ELSE COALESCE($12, received_note) END \
                     WHERE id = $8 AND status = $9",
                )
                .bind(step.to.as_str())
                .bind(&note)
                .bind(&step.reason)
                .bind(at)
                .bind(i64::from(step.to == RegistrationStatus::DocumentsRequested))
                .bind(&actor.who)
                .bind(terminal)
                .bind(current.id)
                .bind(&current.status)
                .bind(&extras.documents_to)
                .bind(requested)
                .bind(&received_note)
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
                        if let Some(completion) = &extras.completion {
                            Self::wf_complete_company(&mut tx, &current, completion, actor, at)
                                .await?;
                        }
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
