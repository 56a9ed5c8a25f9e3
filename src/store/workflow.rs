//! The workflow half of the store: registrations, company tokens, join requests, identity links,
//! audited role changes and imports. One SQL implementation for both backends, instantiated by
//! `impl_workflow_store!` (same pattern as `sql.rs`).
//!
//! Every method that changes data does it in one transaction together with its audit entries
//! and the outbox rows it causes. The messages are rendered by the caller (the store knows no
//! language): methods take a `Notices` callback that receives the rows as written inside the
//! transaction (ids included) and returns the messages to enqueue, each with its dedupe key.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{
    AuditEntry, Company, Location, Membership, NewCompany, NewOutboxMessage, NewPerson, Person,
    Role, RoleGrant, StoreResult,
};

/// Who acted, and through which channel (`cli`, `console`, `discord`), for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// An IBM ID, `operator:<unix user>`, or `system`.
    pub who: String,
    pub channel: String,
}

impl Actor {
    pub fn new(who: impl Into<String>, channel: impl Into<String>) -> Self {
        Self {
            who: who.into(),
            channel: channel.into(),
        }
    }
}

/// Renders the notifications a change causes, from the rows as written in its transaction.
pub type Notices<'a, T> = &'a (dyn Fn(&T) -> Vec<NewOutboxMessage> + Send + Sync);

/// Called with the number of rows done so far, for a progress bar.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

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

/// A company token as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CompanyToken {
    pub company_id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A membership with the person (and location) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MemberRow {
    pub membership_id: i64,
    pub person_id: i64,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub role: String,
    pub permission_level: Option<String>,
    pub ibm_id: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
    pub discord_user_id: Option<String>,
    pub location_name: Option<String>,
}

impl MemberRow {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

pub(crate) const MEMBER_SELECT: &str = "SELECT m.id AS membership_id, m.person_id, m.company_id, \
     m.location_id, m.role, m.permission_level, p.ibm_id, p.name, p.locale, p.time_zone, \
     p.discord_user_id, l.name AS location_name \
     FROM memberships m JOIN people p ON p.id = m.person_id \
     LEFT JOIN locations l ON l.id = m.location_id";

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted(Membership),
    AlreadyHeld(Membership),
}

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

#[derive(Debug, Clone)]
pub struct NewLinkCode {
    pub platform_id: String,
    pub ibm_id: String,
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    /// Codes one chat account may ask for within an hour.
    pub max_per_hour: i64,
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

#[derive(Debug, Clone, Default)]
pub struct JoinFilter {
    pub company_id: Option<i64>,
    pub status: Option<String>,
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    pub company_id: Option<i64>,
    pub status: Option<String>,
    pub applicant_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub action_prefix: Option<String>,
    pub actor: Option<String>,
    pub limit: i64,
}

#[derive(Debug, Clone)]
pub struct CompanyImport {
    pub line: u64,
    pub company: NewCompany,
    pub locations: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PersonImport {
    pub line: u64,
    pub person: NewPerson,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub role: Option<Role>,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub locations: u64,
    pub roles: u64,
}

/// The persistence port of the partner workflows.
#[async_trait]
pub trait WorkflowStore: Send + Sync {
    async fn find_company_by_name(&self, name: &str) -> StoreResult<Option<Company>>;
    async fn location_by_id(&self, id: i64) -> StoreResult<Option<Location>>;
    async fn person_by_id(&self, id: i64) -> StoreResult<Option<Person>>;
    async fn person_by_discord_id(&self, discord_user_id: &str) -> StoreResult<Option<Person>>;
    async fn person_by_chat_link(&self, platform_id: &str) -> StoreResult<Option<Person>>;
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
    /// Every membership of a company, with the people.
    async fn company_members(&self, company_id: i64) -> StoreResult<Vec<MemberRow>>;
    /// Every membership of a person, with location names.
    async fn roles_of(&self, person_id: i64) -> StoreResult<Vec<MemberRow>>;

    async fn add_company(
        &self,
        new: &NewCompany,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<Company>;
    async fn add_location(
        &self,
        company_id: i64,
        name: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<Location>;
    /// Creates the person or updates name, language and zone of the one with that IBM ID.
    async fn add_person(
        &self,
        new: &NewPerson,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<Person>;
    async fn update_profile(
        &self,
        person_id: i64,
        name: &str,
        locale: &str,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Person>>;
    /// Grants a role, audited. A new primary contact replaces the company's previous one.
    async fn grant_role_audited(
        &self,
        grant: &RoleGrant,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<GrantOutcome>;
    async fn revoke_role_audited(
        &self,
        person_id: i64,
        role: Role,
        company_id: Option<i64>,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

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

    /// Creates a pending join request from a granted pick and alerts the company's APAs.
    async fn create_join_request(
        &self,
        pick: &JoinPick,
        actor: &Actor,
        at: DateTime<Utc>,
        notices: Notices<'_, (JoinRequest, Vec<MemberRow>)>,
    ) -> StoreResult<PickOutcome>;
    async fn join_request_by_id(&self, id: i64) -> StoreResult<Option<JoinRequest>>;
    async fn list_join_requests(&self, filter: &JoinFilter) -> StoreResult<Vec<JoinRequest>>;
    /// Pending requests of every company `person_id` is an APA of.
    async fn pending_joins_for_apa(&self, person_id: i64) -> StoreResult<Vec<JoinRequest>>;
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

    /// Newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;

    /// Creates companies (or updates the one of the same name) and their locations, all in
    /// one transaction.
    async fn import_companies(
        &self,
        rows: &[CompanyImport],
        actor: &Actor,
        at: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> StoreResult<ImportCounts>;
    /// Creates or updates people and grants their roles, all in one transaction.
    async fn import_people(
        &self,
        rows: &[PersonImport],
        actor: &Actor,
        at: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> StoreResult<ImportCounts>;
}

macro_rules! impl_workflow_store {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn wf_audit(
                tx: &mut sqlx::Transaction<'static, $db>,
                actor: &$crate::store::Actor,
                action: &str,
                subject: &str,
                detail: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor, channel, action, subject, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(at)
                .bind(&actor.who)
                .bind(&actor.channel)
                .bind(action)
                .bind(subject)
                .bind(detail)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn wf_enqueue_all(
                tx: &mut sqlx::Transaction<'static, $db>,
                msgs: &[$crate::store::NewOutboxMessage],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<u64> {
                let mut written = 0;
                for msg in msgs {
                    written += sqlx::query(
                        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, \
                         locale, dedupe_key, status, attempts, next_attempt_at, created_at, payload) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10) \
                         ON CONFLICT (dedupe_key) DO NOTHING",
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
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
                }
                Ok(written)
            }

            async fn wf_join(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::JoinRequest>> {
                let sql = format!("{} WHERE j.id = $1", $crate::store::JOIN_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?)
            }

            async fn wf_registration(
                tx: &mut sqlx::Transaction<'static, $db>,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::Registration>> {
                let sql = format!("{} WHERE r.id = $1", $crate::store::REGISTRATION_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?)
            }

            async fn wf_is_apa(
                tx: &mut sqlx::Transaction<'static, $db>,
                person_id: i64,
                company_id: i64,
            ) -> $crate::store::StoreResult<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships WHERE person_id = $1 AND company_id = $2 \
                     AND role = 'apa'",
                )
                .bind(person_id)
                .bind(company_id)
                .fetch_one(&mut **tx)
                .await?;
                Ok(n > 0)
            }

            /// The person with that IBM ID, created from `new` when missing.
            async fn wf_person_or_create(
                tx: &mut sqlx::Transaction<'static, $db>,
                new: &$crate::store::NewPerson,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<($crate::store::Person, bool)> {
                let ibm_id = new.ibm_id.to_lowercase();
                let existing: Option<$crate::store::Person> =
                    sqlx::query_as("SELECT * FROM people WHERE ibm_id = $1")
                        .bind(&ibm_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                if let Some(person) = existing {
                    return Ok((person, false));
                }
                let person = sqlx::query_as(
                    "INSERT INTO people (ibm_id, name, locale, time_zone, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING *",
                )
                .bind(&ibm_id)
                .bind(&new.name)
                .bind(&new.locale)
                .bind(&new.time_zone)
                .bind(at)
                .fetch_one(&mut **tx)
                .await?;
                Ok((person, true))
            }

            /// Grants a role inside `tx`: an existing one gets the new location and level; a
            /// primary contact replaces the company's previous one. Returns the membership and
            /// whether it is new.
            async fn wf_grant(
                tx: &mut sqlx::Transaction<'static, $db>,
                grant: &$crate::store::RoleGrant,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<($crate::store::Membership, bool)> {
                if grant.role == $crate::store::Role::PrimaryContact {
                    sqlx::query(
                        "DELETE FROM memberships WHERE company_id = $1 AND role = 'primary-contact' \
                         AND person_id <> $2",
                    )
                    .bind(grant.company_id)
                    .bind(grant.person_id)
                    .execute(&mut **tx)
                    .await?;
                }
                let existing: Option<$crate::store::Membership> = sqlx::query_as(
                    "SELECT * FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(grant.person_id)
                .bind(grant.role.as_str())
                .bind(grant.company_id)
                .fetch_optional(&mut **tx)
                .await?;
                match existing {
                    Some(m)
                        if (grant.location_id.is_none() || m.location_id == grant.location_id)
                            && (grant.permission_level.is_none()
                                || m.permission_level == grant.permission_level) =>
                    {
                        Ok((m, false))
                    }
                    Some(m) => {
                        let updated = sqlx::query_as(
                            "UPDATE memberships SET location_id = COALESCE($1, location_id), \
                             permission_level = COALESCE($2, permission_level) WHERE id = $3 \
                             RETURNING *",
                        )
                        .bind(grant.location_id)
                        .bind(&grant.permission_level)
                        .bind(m.id)
                        .fetch_one(&mut **tx)
                        .await?;
                        Ok((updated, false))
                    }
                    None => {
                        let inserted = sqlx::query_as(
                            "INSERT INTO memberships \
                             (person_id, company_id, location_id, role, permission_level, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                        )
                        .bind(grant.person_id)
                        .bind(grant.company_id)
                        .bind(grant.location_id)
                        .bind(grant.role.as_str())
                        .bind(&grant.permission_level)
                        .bind(at)
                        .fetch_one(&mut **tx)
                        .await?;
                        Ok((inserted, true))
                    }
                }
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::WorkflowStore for $store {
            async fn find_company_by_name(
                &self,
                name: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::Company>> {
                Ok(
                    sqlx::query_as("SELECT * FROM companies WHERE name = $1 ORDER BY id LIMIT 1")
                        .bind(name)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn location_by_id(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::Location>> {
                Ok(sqlx::query_as("SELECT * FROM locations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn person_by_id(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn person_by_discord_id(
                &self,
                discord_user_id: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE discord_user_id = $1")
                    .bind(discord_user_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn person_by_chat_link(
                &self,
                platform_id: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::Person>> {
                Ok(sqlx::query_as(
                    "SELECT p.* FROM people p JOIN chat_links k ON k.person_id = p.id \
                     WHERE k.platform_id = $1",
                )
                .bind(platform_id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn claim_chat_event(
                &self,
                event_id: &str,
                owner: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<bool> {
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
            ) -> $crate::store::StoreResult<u64> {
                Ok(
                    sqlx::query("DELETE FROM chat_event_claims WHERE claimed_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?
                        .rows_affected(),
                )
            }

            async fn discord_accounts(
                &self,
            ) -> $crate::store::StoreResult<Vec<(String, String)>> {
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
            ) -> $crate::store::StoreResult<Option<String>> {
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
            ) -> $crate::store::StoreResult<()> {
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

            async fn company_members(
                &self,
                company_id: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::MemberRow>> {
                let sql = format!(
                    "{} WHERE m.company_id = $1 ORDER BY m.id",
                    $crate::store::MEMBER_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(company_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn roles_of(
                &self,
                person_id: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::MemberRow>> {
                let sql = format!(
                    "{} WHERE m.person_id = $1 ORDER BY m.id",
                    $crate::store::MEMBER_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(person_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn add_company(
                &self,
                new: &$crate::store::NewCompany,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Company> {
                let mut tx = self.pool.begin().await?;
                let company: $crate::store::Company = sqlx::query_as(
                    "INSERT INTO companies (name, icn, site_number, status, locale, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(&new.name)
                .bind(&new.icn)
                .bind(&new.site_number)
                .bind(&new.status)
                .bind(&new.locale)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "company.added",
                    &format!("company:{}", company.id),
                    &company.name,
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(company)
            }

            async fn add_location(
                &self,
                company_id: i64,
                name: &str,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Location> {
                let mut tx = self.pool.begin().await?;
                let location: $crate::store::Location = sqlx::query_as(
                    "INSERT INTO locations (company_id, name, created_at) VALUES ($1, $2, $3) \
                     RETURNING *",
                )
                .bind(company_id)
                .bind(name)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "location.added",
                    &format!("location:{}", location.id),
                    &format!("company:{company_id} {name}"),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(location)
            }

            async fn add_person(
                &self,
                new: &$crate::store::NewPerson,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::Person> {
                let mut tx = self.pool.begin().await?;
                let person: $crate::store::Person = sqlx::query_as(
                    "INSERT INTO people (ibm_id, name, locale, time_zone, created_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (ibm_id) DO UPDATE SET name = excluded.name, \
                     locale = excluded.locale, time_zone = excluded.time_zone \
                     RETURNING *",
                )
                .bind(new.ibm_id.to_lowercase())
                .bind(&new.name)
                .bind(&new.locale)
                .bind(&new.time_zone)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "person.saved",
                    &format!("person:{}", person.id),
                    &person.ibm_id,
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(person)
            }

            async fn update_profile(
                &self,
                person_id: i64,
                name: &str,
                locale: &str,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<Option<$crate::store::Person>> {
                let mut tx = self.pool.begin().await?;
                let person: Option<$crate::store::Person> = sqlx::query_as(
                    "UPDATE people SET name = $1, locale = $2 WHERE id = $3 RETURNING *",
                )
                .bind(name)
                .bind(locale)
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
                if person.is_some() {
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "person.profile",
                        &format!("person:{person_id}"),
                        &format!("name={name} lang={locale}"),
                        at,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(person)
            }

            async fn grant_role_audited(
                &self,
                grant: &$crate::store::RoleGrant,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::GrantOutcome> {
                let mut tx = self.pool.begin().await?;
                let (membership, new) = Self::wf_grant(&mut tx, grant, at).await?;
                Self::wf_audit(
                    &mut tx,
                    actor,
                    if new { "role.granted" } else { "role.updated" },
                    &format!("person:{}", grant.person_id),
                    &format!(
                        "role={} company={} location={} level={}",
                        grant.role,
                        grant.company_id.map(|c| c.to_string()).unwrap_or_default(),
                        membership.location_id.map(|c| c.to_string()).unwrap_or_default(),
                        membership.permission_level.clone().unwrap_or_default()
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(if new {
                    $crate::store::GrantOutcome::Granted(membership)
                } else {
                    $crate::store::GrantOutcome::AlreadyHeld(membership)
                })
            }

            async fn revoke_role_audited(
                &self,
                person_id: i64,
                role: $crate::store::Role,
                company_id: Option<i64>,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(
                    "DELETE FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(person_id)
                .bind(role.as_str())
                .bind(company_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                if done {
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "role.revoked",
                        &format!("person:{person_id}"),
                        &format!(
                            "role={role} company={}",
                            company_id.map(|c| c.to_string()).unwrap_or_default()
                        ),
                        at,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(done)
            }

            async fn company_token(
                &self,
                company_id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::CompanyToken>> {
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
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::CompanyToken> {
                let mut tx = self.pool.begin().await?;
                let replaced: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM company_tokens WHERE company_id = $1")
                        .bind(company_id)
                        .fetch_one(&mut *tx)
                        .await?;
                let token: $crate::store::CompanyToken = sqlx::query_as(
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
                entry: &$crate::store::TokenEntry,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::TokenOutcome> {
                use $crate::store::TokenOutcome;
                let subject = format!("user:{}", entry.actor_key);
                let mut tx = self.pool.begin().await?;
                let lock: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT locked_until FROM token_lockouts WHERE actor = $1",
                )
                .bind(&entry.actor_key)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(until) = lock.filter(|until| *until > at) {
                    Self::wf_audit(
                        &mut tx,
                        actor,
                        "token.refused-locked",
                        &subject,
                        &format!("locked until {}", until.to_rfc3339()),
                        at,
                    )
                    .await?;
                    tx.commit().await?;
                    return Ok(TokenOutcome::Locked { until });
                }
                let candidate: Option<$crate::store::CompanyToken> =
                    sqlx::query_as("SELECT * FROM company_tokens WHERE token_hash = $1")
                        .bind(&entry.token_hash)
                        .fetch_optional(&mut *tx)
                        .await?;
                // The index finds the row by hash; the match itself is decided in constant time.
                let matched = candidate.filter(|c| {
                    $crate::workflows::secret::same_hash(&c.token_hash, &entry.token_hash)
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
                    let company: $crate::store::Company =
                        sqlx::query_as("SELECT * FROM companies WHERE id = $1")
                            .bind(token.company_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    let locations: Vec<$crate::store::Location> = sqlx::query_as(
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
                let window_start = at - entry.window;
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
                        "INSERT INTO token_lockouts (actor, locked_at, locked_until) \
                         VALUES ($1, $2, $3) ON CONFLICT (actor) DO UPDATE SET \
                         locked_at = excluded.locked_at, locked_until = excluded.locked_until",
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

            async fn create_join_request(
                &self,
                pick: &$crate::store::JoinPick,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<
                    '_,
                    ($crate::store::JoinRequest, Vec<$crate::store::MemberRow>),
                >,
            ) -> $crate::store::StoreResult<$crate::store::PickOutcome> {
                use $crate::store::PickOutcome;
                let actor_key = pick.actor_key.to_lowercase();
                let mut tx = self.pool.begin().await?;
                let grant: Option<$crate::store::JoinGrant> = sqlx::query_as(
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
                    $crate::workflows::secret::same_hash(&hash, &grant.token_hash)
                });
                if !still_valid {
                    return Ok(PickOutcome::NoGrant);
                }
                let location: Option<$crate::store::Location> =
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
                    return Err($crate::store::StoreError::Invalid(format!(
                        "join request {id} vanished inside its transaction"
                    )));
                };
                let sql = format!(
                    "{} WHERE m.company_id = $1 AND m.role = 'apa' ORDER BY m.id",
                    $crate::store::MEMBER_SELECT
                );
                let apas: Vec<$crate::store::MemberRow> = sqlx::query_as(&sql)
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

            async fn join_request_by_id(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::JoinRequest>> {
                let sql = format!("{} WHERE j.id = $1", $crate::store::JOIN_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_join_requests(
                &self,
                filter: &$crate::store::JoinFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::JoinRequest>> {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR j.company_id = $1) AND ($2 IS NULL OR j.status = $2) \
                     AND ($3 IS NULL OR j.person_id = $3) ORDER BY j.id",
                    $crate::store::JOIN_SELECT
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
            ) -> $crate::store::StoreResult<Vec<$crate::store::JoinRequest>> {
                let sql = format!(
                    "{} WHERE j.status = 'pending' AND j.company_id IN \
                     (SELECT company_id FROM memberships WHERE person_id = $1 AND role = 'apa') \
                     ORDER BY j.id",
                    $crate::store::JOIN_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(person_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn decide_join_request(
                &self,
                decision: &$crate::store::JoinDecision,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<'_, $crate::store::JoinRequest>,
            ) -> $crate::store::StoreResult<$crate::store::DecideOutcome> {
                use $crate::store::DecideOutcome;
                let mut tx = self.pool.begin().await?;
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
                    let grant = $crate::store::RoleGrant {
                        person_id: request.person_id,
                        role: $crate::store::Role::Member,
                        company_id: Some(request.company_id),
                        location_id: Some(request.location_id),
                        permission_level: decision.level.clone(),
                    };
                    Self::wf_grant(&mut tx, &grant, at).await?;
                }
                let Some(decided) = Self::wf_join(&mut tx, request.id).await? else {
                    return Err($crate::store::StoreError::Invalid(format!(
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
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<'_, $crate::store::JoinRequest>,
            ) -> $crate::store::StoreResult<Option<$crate::store::JoinRequest>> {
                let mut tx = self.pool.begin().await?;
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
                    return Err($crate::store::StoreError::Invalid(format!(
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
                add: &$crate::store::AddMember,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<'_, $crate::store::JoinRequest>,
            ) -> $crate::store::StoreResult<$crate::store::AddMemberOutcome> {
                use $crate::store::AddMemberOutcome;
                let mut tx = self.pool.begin().await?;
                let location: Option<$crate::store::Location> =
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
                let grant = $crate::store::RoleGrant {
                    person_id: person.id,
                    role: $crate::store::Role::Member,
                    company_id: Some(location.company_id),
                    location_id: Some(location.id),
                    permission_level: Some(add.level.clone()),
                };
                Self::wf_grant(&mut tx, &grant, at).await?;
                let Some(request) = Self::wf_join(&mut tx, id).await? else {
                    return Err($crate::store::StoreError::Invalid(format!(
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

            async fn submit_registration(
                &self,
                company_id: i64,
                applicant_id: i64,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::SubmitOutcome> {
                let mut tx = self.pool.begin().await?;
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
                    return Err($crate::store::StoreError::Invalid(format!(
                        "registration {id} vanished inside its transaction"
                    )));
                };
                tx.commit().await?;
                Ok($crate::store::SubmitOutcome {
                    registration,
                    created,
                })
            }

            async fn registration_by_id(
                &self,
                id: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::Registration>> {
                let sql = format!("{} WHERE r.id = $1", $crate::store::REGISTRATION_SELECT);
                Ok(sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_registrations(
                &self,
                filter: &$crate::store::RegistrationFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::Registration>> {
                let sql = format!(
                    "{} WHERE ($1 IS NULL OR r.company_id = $1) AND ($2 IS NULL OR r.status = $2) \
                     AND ($3 IS NULL OR r.applicant_id = $3) ORDER BY r.id",
                    $crate::store::REGISTRATION_SELECT
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
                step: &$crate::store::RegistrationStep,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<'_, $crate::store::Registration>,
            ) -> $crate::store::StoreResult<$crate::store::TransitionOutcome> {
                use $crate::store::{RegistrationStatus, TransitionOutcome};
                let mut tx = self.pool.begin().await?;
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
                    return Err($crate::store::StoreError::Invalid(format!(
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

            async fn create_link_code(
                &self,
                code: &$crate::store::NewLinkCode,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                notices: $crate::store::Notices<'_, i64>,
            ) -> $crate::store::StoreResult<$crate::store::LinkCodeOutcome> {
                let mut tx = self.pool.begin().await?;
                let hour_ago = at - chrono::Duration::hours(1);
                let recent: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                    "SELECT created_at FROM link_codes WHERE platform_id = $1 AND created_at > $2 \
                     ORDER BY created_at",
                )
                .bind(&code.platform_id)
                .bind(hour_ago)
                .fetch_all(&mut *tx)
                .await?;
                if recent.len() as i64 >= code.max_per_hour {
                    let oldest = recent.first().copied().unwrap_or(at);
                    return Ok($crate::store::LinkCodeOutcome::TooMany {
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
                .bind(code.ibm_id.to_lowercase())
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
                    &code.ibm_id.to_lowercase(),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok($crate::store::LinkCodeOutcome::Sent(id))
            }

            async fn verify_link_code(
                &self,
                attempt: &$crate::store::LinkAttempt,
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::VerifyOutcome> {
                use $crate::store::VerifyOutcome;
                let mut tx = self.pool.begin().await?;
                let code: Option<$crate::store::LinkCode> = sqlx::query_as(
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
                if !$crate::workflows::secret::same_hash(&code.code_hash, &attempt.code_hash) {
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
                let linked: $crate::store::Person =
                    sqlx::query_as("SELECT * FROM people WHERE id = $1")
                        .bind(person.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                Ok(VerifyOutcome::Linked(linked))
            }

            async fn list_audit(
                &self,
                filter: &$crate::store::AuditFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::AuditEntry>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM audit_log \
                     WHERE ($1 IS NULL OR substr(action, 1, length($1)) = $1) \
                     AND ($2 IS NULL OR actor = $2) ORDER BY id DESC LIMIT $3",
                )
                .bind(&filter.action_prefix)
                .bind(&filter.actor)
                .bind(filter.limit)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn import_companies(
                &self,
                rows: &[$crate::store::CompanyImport],
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                progress: $crate::store::Progress<'_>,
            ) -> $crate::store::StoreResult<$crate::store::ImportCounts> {
                let mut counts = $crate::store::ImportCounts::default();
                let mut tx = self.pool.begin().await?;
                for (done, row) in rows.iter().enumerate() {
                    let existing: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM companies WHERE name = $1 ORDER BY id LIMIT 1",
                    )
                    .bind(&row.company.name)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let id = match existing {
                        Some(id) => {
                            sqlx::query(
                                "UPDATE companies SET locale = $1, icn = COALESCE($2, icn), \
                                 site_number = COALESCE($3, site_number) WHERE id = $4",
                            )
                            .bind(&row.company.locale)
                            .bind(&row.company.icn)
                            .bind(&row.company.site_number)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                            counts.updated += 1;
                            id
                        }
                        None => {
                            let id: i64 = sqlx::query_scalar(
                                "INSERT INTO companies (name, icn, site_number, status, locale, \
                                 created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                            )
                            .bind(&row.company.name)
                            .bind(&row.company.icn)
                            .bind(&row.company.site_number)
                            .bind(&row.company.status)
                            .bind(&row.company.locale)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await?;
                            counts.created += 1;
                            id
                        }
                    };
                    for name in &row.locations {
                        counts.locations += sqlx::query(
                            "INSERT INTO locations (company_id, name, created_at) \
                             VALUES ($1, $2, $3) ON CONFLICT (company_id, name) DO NOTHING",
                        )
                        .bind(id)
                        .bind(name)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    progress(done as u64 + 1);
                }
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "import.companies",
                    "companies",
                    &format!(
                        "created={} updated={} locations={}",
                        counts.created, counts.updated, counts.locations
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(counts)
            }

            async fn import_people(
                &self,
                rows: &[$crate::store::PersonImport],
                actor: &$crate::store::Actor,
                at: chrono::DateTime<chrono::Utc>,
                progress: $crate::store::Progress<'_>,
            ) -> $crate::store::StoreResult<$crate::store::ImportCounts> {
                let mut counts = $crate::store::ImportCounts::default();
                let mut tx = self.pool.begin().await?;
                for (done, row) in rows.iter().enumerate() {
                    let existed: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE ibm_id = $1")
                            .bind(row.person.ibm_id.to_lowercase())
                            .fetch_one(&mut *tx)
                            .await?;
                    let person: $crate::store::Person = sqlx::query_as(
                        "INSERT INTO people (ibm_id, name, locale, time_zone, created_at) \
                         VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (ibm_id) DO UPDATE SET name = excluded.name, \
                         locale = excluded.locale, time_zone = excluded.time_zone \
                         RETURNING *",
                    )
                    .bind(row.person.ibm_id.to_lowercase())
                    .bind(&row.person.name)
                    .bind(&row.person.locale)
                    .bind(&row.person.time_zone)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                    if existed > 0 {
                        counts.updated += 1;
                    } else {
                        counts.created += 1;
                    }
                    if let Some(role) = row.role {
                        let grant = $crate::store::RoleGrant {
                            person_id: person.id,
                            role,
                            company_id: row.company_id,
                            location_id: row.location_id,
                            permission_level: row.level.clone(),
                        };
                        let (membership, new) = Self::wf_grant(&mut tx, &grant, at).await?;
                        if new {
                            counts.roles += 1;
                        }
                        Self::wf_audit(
                            &mut tx,
                            actor,
                            if new { "role.granted" } else { "role.updated" },
                            &format!("person:{}", person.id),
                            &format!(
                                "role={role} company={} location={} level={} (import line {})",
                                row.company_id.map(|c| c.to_string()).unwrap_or_default(),
                                membership
                                    .location_id
                                    .map(|c| c.to_string())
                                    .unwrap_or_default(),
                                membership.permission_level.clone().unwrap_or_default(),
                                row.line
                            ),
                            at,
                        )
                        .await?;
                    }
                    progress(done as u64 + 1);
                }
                Self::wf_audit(
                    &mut tx,
                    actor,
                    "import.people",
                    "people",
                    &format!(
                        "created={} updated={} roles={}",
                        counts.created, counts.updated, counts.roles
                    ),
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(counts)
            }
        }
    };
}

pub(crate) use impl_workflow_store;
