//! Join requests: the grant a correct company token gives, the request made from it, its
//! decision or expiry, and an APA adding a member directly. Rows, the `JoinStore` port and its
//! SQL (`impl_join_store!`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::error::StoreResult;
use super::outbox::Notices;
use super::people::{MemberRow, NewPerson};

/// A join request with the names people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JoinRequest {
    pub id: i64,
    pub person_id: i64,
    pub company_id: i64,
    pub location_id: i64,
    /// `token` (会社トークン方式) or `apa` (プロフィール管理者による登録).
    pub method: String,
    /// `pending`, `approved`, `rejected` or `expired`.
    pub status: String,
    pub permission_level: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_via: Option<String>,
    pub created_at: DateTime<Utc>,
    pub person_ibm_id: String,
    pub person_name: String,
    pub person_locale: String,
    pub person_time_zone: String,
    pub company_name: String,
    pub location_name: String,
}

pub(crate) const JOIN_SELECT: &str = "SELECT j.id, j.person_id, j.company_id, j.location_id, \
     j.method, j.status, j.permission_level, j.reason, j.decided_by, j.decided_at, j.decided_via, \
     j.created_at, p.ibm_id AS person_ibm_id, p.name AS person_name, p.locale AS person_locale, \
     p.time_zone AS person_time_zone, c.name AS company_name, l.name AS location_name \
     FROM join_requests j JOIN people p ON p.id = j.person_id \
     JOIN companies c ON c.id = j.company_id JOIN locations l ON l.id = j.location_id";

/// A pending join request, with the names its escalation message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PendingJoin {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub location_name: String,
    pub person_name: String,
    pub person_ibm_id: String,
    pub created_at: DateTime<Utc>,
}

/// The grant a correct token gives, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JoinGrant {
    pub id: i64,
    pub actor: String,
    pub company_id: i64,
    pub token_hash: String,
    pub profile_name: Option<String>,
    pub profile_locale: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A location picked after a correct token.
#[derive(Debug, Clone)]
pub struct JoinPick {
    pub actor_key: String,
    pub company_id: i64,
    pub location_id: i64,
    /// The profile to create when the person has none (the grant's name and language win).
    pub profile: NewPerson,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickOutcome {
    Created {
        request: JoinRequest,
        /// How many APAs were alerted (0: the company has none).
        apas: usize,
    },
    /// No valid token entry for that company (none, expired, or the token was rotated since).
    NoGrant,
    UnknownLocation,
    AlreadyMember,
    AlreadyPending(JoinRequest),
}

#[derive(Debug, Clone)]
pub struct JoinDecision {
    pub request_id: i64,
    pub approve: bool,
    pub level: Option<String>,
    pub reason: Option<String>,
    /// When set, the decision is refused unless this person is an APA of the request's company.
    pub require_apa: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideOutcome {
    Decided(JoinRequest),
    /// Someone decided first; the row says who and when.
    AlreadyDecided(JoinRequest),
    NotAuthorized(JoinRequest),
    NotFound,
}

/// プロフィール管理者による登録: an APA adds a person to a location with a level.
#[derive(Debug, Clone)]
pub struct AddMember {
    pub location_id: i64,
    /// Created when nobody has that IBM ID yet; an existing profile is kept.
    pub person: NewPerson,
    pub level: String,
    pub require_apa: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddMemberOutcome {
    Added(Box<JoinRequest>),
    AlreadyMember,
    NotAuthorized,
    UnknownLocation,
}

#[derive(Debug, Clone, Default)]
pub struct JoinFilter {
    pub company_id: Option<i64>,
    pub status: Option<String>,
    pub person_id: Option<i64>,
}

/// The persistence port of join requests.
#[async_trait]
pub trait JoinStore: Send + Sync {
    /// Creates a pending join request from a granted pick and alerts the company's APAs.
    async fn create_join_request(
        &self,
        pick: &JoinPick,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, (JoinRequest, Vec<MemberRow>)>,
    ) -> StoreResult<PickOutcome>;
    /// プロフィール管理者による登録 asked from chat: a pending `apa` request at the company's first
    /// location, and the APAs alerted, in one transaction. `UnknownLocation` when the company
    /// has no location.
    async fn ask_apa_to_add(
        &self,
        person: &NewPerson,
        company_id: i64,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, (JoinRequest, Vec<MemberRow>)>,
    ) -> StoreResult<PickOutcome>;
    async fn join_request_by_id(&self, id: i64) -> StoreResult<Option<JoinRequest>>;
    async fn list_join_requests(&self, filter: &JoinFilter) -> StoreResult<Vec<JoinRequest>>;

    /// Pending requests of every company `person_id` is an APA of.
    async fn pending_joins_for_apa(&self, person_id: i64) -> StoreResult<Vec<JoinRequest>>;

    /// Pending join requests with the names an escalation message needs.
    async fn pending_join_requests(&self) -> StoreResult<Vec<PendingJoin>>;

    /// Approves or rejects a pending request; the first decision wins.
    async fn decide_join_request(
        &self,
        decision: &JoinDecision,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, JoinRequest>,
    ) -> StoreResult<DecideOutcome>;

    /// Marks a still-pending join request `expired` (nobody decided in time), writing the
    /// person's notice and an audit entry in the same transaction; `None` when it was decided
    /// meanwhile.
    async fn expire_join_request(
        &self,
        id: i64,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, JoinRequest>,
    ) -> StoreResult<Option<JoinRequest>>;
    async fn add_member_by_apa(
        &self,
        add: &AddMember,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, JoinRequest>,
    ) -> StoreResult<AddMemberOutcome>;
}

/// Implements [`JoinStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_join_store {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn wf_join(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::joins::JoinRequest>> {
                let sql = format!("{} WHERE j.id = $1", $crate::store::joins::JOIN_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::joins::JoinStore for $store {
            async fn create_join_request(
                &self,
                pick: &$crate::store::joins::JoinPick,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<
                    '_,
                    ($crate::store::joins::JoinRequest, Vec<$crate::store::people::MemberRow>),
                >,
            ) -> $crate::store::error::StoreResult<$crate::store::joins::PickOutcome> {
                use $crate::store::joins::PickOutcome;
                let actor_key = pick.actor_key.to_lowercase();
                let mut tx = self.begin_write().await?;
                let grant: Option<$crate::store::joins::JoinGrant> = sqlx::query_as(
                    "SELECT * FROM join_grants WHERE actor = $1 AND company_id = $2 \
                     AND expires_at > $3 ORDER BY id DESC LIMIT 1",
                )
                .bind(&actor_key)
                .bind(pick.company_id)
                .bind(at)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(grant) = grant else {
                    return Ok(PickOutcome::NoGrant);
                };
                let current: Option<String> = sqlx::query_scalar(
                    "SELECT token_hash FROM company_tokens WHERE company_id = $1",
                )
                .bind(pick.company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let still_valid = current.is_some_and(|hash| {
                    $crate::store::secret::same_hash(&hash, &grant.token_hash)
                });
                if !still_valid {
                    return Ok(PickOutcome::NoGrant);
                }
                let location: Option<$crate::store::companies::Location> =
                    sqlx::query_as("SELECT * FROM locations WHERE id = $1 AND company_id = $2")
                        .bind(pick.location_id)
                        .bind(pick.company_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if location.is_none() {
                    return Ok(PickOutcome::UnknownLocation);
                }
                let mut profile = pick.profile.clone();
                profile.ibm_id = actor_key.clone();
                if let Some(name) = grant.profile_name.clone() {
                    profile.name = name;
                }
                if let Some(locale) = grant.profile_locale.clone() {
                    profile.locale = locale;
                }
                let (person, _) = Self::wf_person_or_create(&mut tx, &profile, at).await?;
                let members: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND company_id = $2 \
                     AND role = 'member'",
                )
                .bind(person.id)
                .bind(pick.company_id)
                .fetch_one(&mut *tx)
                .await?;
                if members > 0 {
                    tx.commit().await?;
                    return Ok(PickOutcome::AlreadyMember);
                }
                let pending: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM join_requests WHERE person_id = $1 AND company_id = $2 \
                     AND status = 'pending'",
                )
                .bind(person.id)
                .bind(pick.company_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = pending {
                    let existing = Self::wf_join(&mut tx, id).await?;
                    tx.commit().await?;
                    return Ok(match existing {
                        Some(request) => PickOutcome::AlreadyPending(request),
                        None => PickOutcome::NoGrant,
                    });
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO join_requests (person_id, company_id, location_id, method, status, \
                     created_at) VALUES ($1, $2, $3, 'token', 'pending', $4) RETURNING id",
                )
                .bind(person.id)
                .bind(pick.company_id)
                .bind(pick.location_id)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM join_grants WHERE actor = $1 AND company_id = $2")
                    .bind(&actor_key)
                    .bind(pick.company_id)
                    .execute(&mut *tx)
                    .await?;
                let Some(request) = Self::wf_join(&mut tx, id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "join request {id} vanished inside its transaction"
                    )));
                };
                let sql = format!(
                    "{} WHERE m.company_id = $1 AND m.role = 'apa' ORDER BY m.id",
                    $crate::store::people::MEMBER_SELECT
                );
                let apas: Vec<$crate::store::people::MemberRow> = sqlx::query_as(&sql)
                    .bind(pick.company_id)
                    .fetch_all(&mut *tx)
                    .await?;
                let count = apas.len();
                let input = (request, apas);
                Self::wf_enqueue_all(&mut tx, &notices(&input), at).await?;
                let request = input.0;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "join.requested",
                    &format!("join:{}", request.id),
                    &format!(
                        "company:{} location:{} person:{} apas-alerted={count}",
                        request.company_id, request.location_id, request.person_ibm_id
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(PickOutcome::Created {
                    request,
                    apas: count,
                })
            }

            async fn ask_apa_to_add(
                &self,
                profile: &$crate::store::people::NewPerson,
                company_id: i64,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<
                    '_,
                    ($crate::store::joins::JoinRequest, Vec<$crate::store::people::MemberRow>),
                >,
            ) -> $crate::store::error::StoreResult<$crate::store::joins::PickOutcome> {
                use $crate::store::joins::PickOutcome;
                let mut tx = self.begin_write().await?;
                let location: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM locations WHERE company_id = $1 ORDER BY id LIMIT 1",
                )
                .bind(company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(location) = location else {
                    tx.commit().await?;
                    return Ok(PickOutcome::UnknownLocation);
                };
                let (person, _) = Self::wf_person_or_create(&mut tx, profile, at).await?;
                let members: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND company_id = $2 \
                     AND role = 'member'",
                )
                .bind(person.id)
                .bind(company_id)
                .fetch_one(&mut *tx)
                .await?;
                if members > 0 {
                    tx.commit().await?;
                    return Ok(PickOutcome::AlreadyMember);
                }
                let pending: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM join_requests WHERE person_id = $1 AND company_id = $2 \
                     AND status = 'pending'",
                )
                .bind(person.id)
                .bind(company_id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = pending {
                    let existing = Self::wf_join(&mut tx, id).await?;
                    tx.commit().await?;
                    return Ok(match existing {
                        Some(request) => PickOutcome::AlreadyPending(request),
                        None => PickOutcome::UnknownLocation,
                    });
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO join_requests (person_id, company_id, location_id, method, status, \
                     created_at) VALUES ($1, $2, $3, 'apa', 'pending', $4) RETURNING id",
                )
                .bind(person.id)
                .bind(company_id)
                .bind(location)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                let Some(request) = Self::wf_join(&mut tx, id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "join request {id} vanished inside its transaction"
                    )));
                };
                let sql = format!(
                    "{} WHERE m.company_id = $1 AND m.role = 'apa' ORDER BY m.id",
                    $crate::store::people::MEMBER_SELECT
                );
                let apas: Vec<$crate::store::people::MemberRow> = sqlx::query_as(&sql)
                    .bind(company_id)
                    .fetch_all(&mut *tx)
                    .await?;
                let count = apas.len();
                let input = (request, apas);
                Self::wf_enqueue_all(&mut tx, &notices(&input), at).await?;
                let request = input.0;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "join.asked-apa",
                    &format!("join:{}", request.id),
                    &format!(
                        "company:{} location:{} person:{} apas-alerted={count}",
                        request.company_id, request.location_id, request.person_ibm_id
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(PickOutcome::Created {
                    request,
                    apas: count,
                })
            }

            async fn join_request_by_id(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::joins::JoinRequest>> {
                let sql = format!("{} WHERE j.id = $1", $crate::store::joins::JOIN_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_join_requests(
                &self,
                filter: &$crate::store::joins::JoinFilter,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::joins::JoinRequest>> {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR j.company_id = $1) AND ($2 IS NULL OR j.status = $2) \
                     AND ($3 IS NULL OR j.person_id = $3) ORDER BY j.id",
                    $crate::store::joins::JOIN_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(filter.company_id)
                    .bind(&filter.status)
                    .bind(filter.person_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn pending_joins_for_apa(
                &self,
                person_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::joins::JoinRequest>> {
                let sql = format!(
                    "{} WHERE j.status = 'pending' AND j.company_id IN \
                     (SELECT company_id FROM memberships WHERE person_id = $1 AND role = 'apa') \
                     ORDER BY j.id",
                    $crate::store::joins::JOIN_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(person_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn pending_join_requests(
                &self,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::joins::PendingJoin>> {
                Ok(sqlx::query_as(
                    "SELECT j.id, j.company_id, c.name AS company_name, l.name AS location_name, \
                     p.name AS person_name, p.ibm_id AS person_ibm_id, j.created_at \
                     FROM join_requests j JOIN companies c ON c.id = j.company_id \
                     JOIN locations l ON l.id = j.location_id JOIN people p ON p.id = j.person_id \
                     WHERE j.status = 'pending' ORDER BY j.id",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn decide_join_request(
                &self,
                decision: &$crate::store::joins::JoinDecision,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<'_, $crate::store::joins::JoinRequest>,
            ) -> $crate::store::error::StoreResult<$crate::store::joins::DecideOutcome> {
                use $crate::store::joins::DecideOutcome;
                let mut tx = self.begin_write().await?;
                let Some(request) = Self::wf_join(&mut tx, decision.request_id).await? else {
                    return Ok(DecideOutcome::NotFound);
                };
                let subject = format!("join:{}", request.id);
                if let Some(apa) = decision.require_apa {
                    if !Self::wf_is_apa(&mut tx, apa, request.company_id).await? {
                        Self::wf_audit(
                            &mut tx,
                            actor,
                            "join.refused",
                            &subject,
                            &format!("not an APA of company:{}", request.company_id),
                            at,
                        )
                        .await?;
                        tx.commit().await?;
                        return Ok(DecideOutcome::NotAuthorized(request));
                    }
                }
                if request.status != "pending" {
                    tx.commit().await?;
                    return Ok(DecideOutcome::AlreadyDecided(request));
                }
                let status = if decision.approve { "approved" } else { "rejected" };
                let changed = sqlx::query(
                    "UPDATE join_requests SET status = $1, permission_level = $2, reason = $3, \
                     decided_by = $4, decided_at = $5, decided_via = $6 \
                     WHERE id = $7 AND status = 'pending'",
                )
                .bind(status)
                .bind(&decision.level)
                .bind(&decision.reason)
                .bind(&actor.who)
                .bind(at)
                .bind(&actor.channel)
                .bind(request.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    let now = Self::wf_join(&mut tx, request.id).await?.unwrap_or(request);
                    tx.commit().await?;
                    return Ok(DecideOutcome::AlreadyDecided(now));
                }
                if decision.approve {
                    let grant = $crate::store::people::RoleGrant {
                        person_id: request.person_id,
                        role: $crate::store::people::Role::Member,
                        company_id: Some(request.company_id),
                        location_id: Some(request.location_id),
                        permission_level: decision.level.clone(),
                    };
                    Self::wf_grant(&mut tx, &grant, at).await?;
                }
                let Some(decided) = Self::wf_join(&mut tx, request.id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "join request {} vanished inside its transaction",
                        request.id
                    )));
                };
                Self::wf_enqueue_all(&mut tx, &notices(&decided), at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    if decision.approve {
                        "join.approved"
                    } else {
                        "join.rejected"
                    },
                    &subject,
                    &match (&decision.level, &decision.reason) {
                        (Some(level), _) if decision.approve => format!(
                            "person:{} company:{} level={level}",
                            decided.person_ibm_id, decided.company_id
                        ),
                        (_, reason) => format!(
                            "person:{} company:{} reason={}",
                            decided.person_ibm_id,
                            decided.company_id,
                            reason.clone().unwrap_or_default()
                        ),
                    },
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(DecideOutcome::Decided(decided))
            }

            async fn expire_join_request(
                &self,
                id: i64,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<'_, $crate::store::joins::JoinRequest>,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::joins::JoinRequest>> {
                let mut tx = self.begin_write().await?;
                let changed = sqlx::query(
                    "UPDATE join_requests SET status = 'expired', decided_by = $1, \
                     decided_at = $2, decided_via = $3 WHERE id = $4 AND status = 'pending'",
                )
                .bind(&actor.who)
                .bind(at)
                .bind(&actor.channel)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    tx.commit().await?;
                    return Ok(None);
                }
                let Some(expired) = Self::wf_join(&mut tx, id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "join request {id} vanished inside its transaction"
                    )));
                };
                Self::wf_enqueue_all(&mut tx, &notices(&expired), at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "join.expired",
                    &format!("join:{id}"),
                    &format!(
                        "person:{} company:{}",
                        expired.person_ibm_id, expired.company_id
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(Some(expired))
            }

            async fn add_member_by_apa(
                &self,
                add: &$crate::store::joins::AddMember,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::outbox::Notices<'_, $crate::store::joins::JoinRequest>,
            ) -> $crate::store::error::StoreResult<$crate::store::joins::AddMemberOutcome> {
                use $crate::store::joins::AddMemberOutcome;
                let mut tx = self.begin_write().await?;
                let location: Option<$crate::store::companies::Location> =
                    sqlx::query_as("SELECT * FROM locations WHERE id = $1")
                        .bind(add.location_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(location) = location else {
                    return Ok(AddMemberOutcome::UnknownLocation);
                };
                if let Some(apa) = add.require_apa {
                    if !Self::wf_is_apa(&mut tx, apa, location.company_id).await? {
                        Self::wf_audit(
                            &mut tx,
                            actor,
                            "member.refused",
                            &format!("person:{}", add.person.ibm_id.to_lowercase()),
                            &format!("not an APA of company:{}", location.company_id),
                            at,
                        )
                        .await?;
                        tx.commit().await?;
                        return Ok(AddMemberOutcome::NotAuthorized);
                    }
                }
                let (person, _) = Self::wf_person_or_create(&mut tx, &add.person, at).await?;
                let members: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND company_id = $2 \
                     AND role = 'member'",
                )
                .bind(person.id)
                .bind(location.company_id)
                .fetch_one(&mut *tx)
                .await?;
                if members > 0 {
                    tx.commit().await?;
                    return Ok(AddMemberOutcome::AlreadyMember);
                }
                // A pending token request of that person is decided by this registration.
                let pending: Option<i64> = sqlx::query_scalar(
                    "UPDATE join_requests SET status = 'approved', location_id = $1, \
                     permission_level = $2, decided_by = $3, decided_at = $4, decided_via = $5 \
                     WHERE person_id = $6 AND company_id = $7 AND status = 'pending' RETURNING id",
                )
                .bind(location.id)
                .bind(&add.level)
                .bind(&actor.who)
                .bind(at)
                .bind(&actor.channel)
                .bind(person.id)
                .bind(location.company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let id = match pending {
                    Some(id) => id,
                    None => {
                        sqlx::query_scalar(
                            "INSERT INTO join_requests (person_id, company_id, location_id, method, \
                             status, permission_level, decided_by, decided_at, decided_via, created_at) \
                             VALUES ($1, $2, $3, 'apa', 'approved', $4, $5, $6, $7, $6) RETURNING id",
                        )
                        .bind(person.id)
                        .bind(location.company_id)
                        .bind(location.id)
                        .bind(&add.level)
                        .bind(&actor.who)
                        .bind(at)
                        .bind(&actor.channel)
                        .fetch_one(&mut *tx)
                        .await?
                    }
                };
                let grant = $crate::store::people::RoleGrant {
                    person_id: person.id,
                    role: $crate::store::people::Role::Member,
                    company_id: Some(location.company_id),
                    location_id: Some(location.id),
                    permission_level: Some(add.level.clone()),
                };
                Self::wf_grant(&mut tx, &grant, at).await?;
                let Some(request) = Self::wf_join(&mut tx, id).await? else {
                    return Err($crate::store::error::StoreError::Invalid(format!(
                        "join request {id} vanished inside its transaction"
                    )));
                };
                Self::wf_enqueue_all(&mut tx, &notices(&request), at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "member.added",
                    &format!("join:{id}"),
                    &format!(
                        "person:{} company:{} location:{} level={}",
                        person.ibm_id, location.company_id, location.id, add.level
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(AddMemberOutcome::Added(Box::new(request)))
            }
        }
    };
}

pub(crate) use impl_join_store;
