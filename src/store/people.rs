//! People and what they are to companies (memberships and roles): the rows, the `PeopleStore`
//! port and its SQL (`impl_people_store!`), including audited role changes and the people
//! import.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::companies::{ImportCounts, Progress};
use super::error::StoreResult;
use super::text_enum::text_enum;

text_enum!(
    /// What a person is to a company (or, for `Admin`, to the whole program).
    Role {
        Member => "member",
        Apa => "apa",
        PrimaryContact => "primary-contact",
        TechnicalContact => "technical-contact",
        SalesRep => "sales-rep",
        Admin => "admin",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    /// The IBM ID, which is an email address, stored lower-case.
    pub ibm_id: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
    pub discord_user_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub ibm_id: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Membership {
    pub id: i64,
    pub person_id: i64,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub role: String,
    pub permission_level: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Membership {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

#[derive(Debug, Clone)]
pub struct RoleGrant {
    pub person_id: i64,
    pub role: Role,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub permission_level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted(Membership),
    AlreadyHeld(Membership),
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

#[derive(Debug, Clone)]
pub struct PersonImport {
    pub line: u64,
    pub person: NewPerson,
    pub company_id: Option<i64>,
    pub location_id: Option<i64>,
    pub role: Option<Role>,
    pub level: Option<String>,
}

/// The persistence port of people, memberships and roles.
#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// Creates the person or updates name and locale of the one with that IBM ID.
    async fn upsert_person(&self, new: &NewPerson, at: DateTime<Utc>) -> StoreResult<Person>;
    async fn person_by_ibm_id(&self, ibm_id: &str) -> StoreResult<Option<Person>>;
    async fn person_by_id(&self, id: i64) -> StoreResult<Option<Person>>;

    /// Grants a role; granting one already held changes nothing and returns it.
    async fn grant_role(&self, grant: &RoleGrant, at: DateTime<Utc>) -> StoreResult<Membership>;

    /// Revokes a role; returns whether it was held.
    async fn revoke_role(
        &self,
        person_id: i64,
        role: Role,
        company_id: Option<i64>,
    ) -> StoreResult<bool>;
    async fn memberships_of(&self, person_id: i64) -> StoreResult<Vec<Membership>>;

    /// People holding `role` (for `company_id`, or program-wide when `None`).
    async fn people_with_role(
        &self,
        role: Role,
        company_id: Option<i64>,
    ) -> StoreResult<Vec<Person>>;

    /// Every membership of a company, with the people.
    async fn company_members(&self, company_id: i64) -> StoreResult<Vec<MemberRow>>;

    /// Every membership of a person, with location names.
    async fn roles_of(&self, person_id: i64) -> StoreResult<Vec<MemberRow>>;

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

    /// Creates or updates people and grants their roles, all in one transaction.
    async fn import_people(
        &self,
        rows: &[PersonImport],
        actor: &Actor,
        at: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> StoreResult<ImportCounts>;
}

/// Implements [`PeopleStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_people_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::people::PeopleStore for $store {
            async fn upsert_person(
                &self,
                new: &$crate::store::people::NewPerson,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::people::Person> {
                Ok(sqlx::query_as(
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
                .fetch_one(&self.pool)
                .await?)
            }

            async fn person_by_ibm_id(
                &self,
                ibm_id: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::people::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE ibm_id = $1")
                    .bind(ibm_id.to_lowercase())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn person_by_id(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::people::Person>> {
                Ok(sqlx::query_as("SELECT * FROM people WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn grant_role(
                &self,
                grant: &$crate::store::people::RoleGrant,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::people::Membership> {
                let mut tx = self.begin_write().await?;
                let existing: Option<$crate::store::people::Membership> = sqlx::query_as(
                    "SELECT * FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(grant.person_id)
                .bind(grant.role.as_str())
                .bind(grant.company_id)
                .fetch_optional(&mut *tx)
                .await?;
                let membership = match existing {
                    Some(m) => m,
                    None => {
                        sqlx::query_as(
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
                        .fetch_one(&mut *tx)
                        .await?
                    }
                };
                tx.commit().await?;
                Ok(membership)
            }

            async fn revoke_role(
                &self,
                person_id: i64,
                role: $crate::store::people::Role,
                company_id: Option<i64>,
            ) -> $crate::store::error::StoreResult<bool> {
                let done = sqlx::query(
                    "DELETE FROM memberships WHERE person_id = $1 AND role = $2 \
                     AND COALESCE(company_id, 0) = COALESCE($3, 0)",
                )
                .bind(person_id)
                .bind(role.as_str())
                .bind(company_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn memberships_of(
                &self,
                person_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::people::Membership>> {
                Ok(
                    sqlx::query_as("SELECT * FROM memberships WHERE person_id = $1 ORDER BY id")
                        .bind(person_id)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn people_with_role(
                &self,
                role: $crate::store::people::Role,
                company_id: Option<i64>,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::people::Person>> {
                Ok(sqlx::query_as(
                    "SELECT p.* FROM people p JOIN memberships m ON m.person_id = p.id \
                     WHERE m.role = $1 AND COALESCE(m.company_id, 0) = COALESCE($2, 0) ORDER BY p.id",
                )
                .bind(role.as_str())
                .bind(company_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn company_members(
                &self,
                company_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::people::MemberRow>> {
                let sql = format!(
                    "{} WHERE m.company_id = $1 ORDER BY m.id",
                    $crate::store::people::MEMBER_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(company_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn roles_of(
                &self,
                person_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::people::MemberRow>> {
                let sql = format!(
                    "{} WHERE m.person_id = $1 ORDER BY m.id",
                    $crate::store::people::MEMBER_SELECT
                );
                Ok(sqlx::query_as(&sql)
                    .bind(person_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn add_person(
                &self,
                new: &$crate::store::people::NewPerson,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::people::Person> {
                let mut tx = self.begin_write().await?;
                let person: $crate::store::people::Person = sqlx::query_as(
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
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::people::Person>> {
                let mut tx = self.begin_write().await?;
                let person: Option<$crate::store::people::Person> = sqlx::query_as(
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
                grant: &$crate::store::people::RoleGrant,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::people::GrantOutcome> {
                let mut tx = self.begin_write().await?;
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
                    $crate::store::people::GrantOutcome::Granted(membership)
                } else {
                    $crate::store::people::GrantOutcome::AlreadyHeld(membership)
                })
            }

            async fn revoke_role_audited(
                &self,
                person_id: i64,
                role: $crate::store::people::Role,
                company_id: Option<i64>,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<bool> {
                let mut tx = self.begin_write().await?;
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

            async fn import_people(
                &self,
                rows: &[$crate::store::people::PersonImport],
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                progress: $crate::store::companies::Progress<'_>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::ImportCounts> {
                let mut counts = $crate::store::companies::ImportCounts::default();
                let mut tx = self.begin_write().await?;
                for (done, row) in rows.iter().enumerate() {
                    let existed: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE ibm_id = $1")
                            .bind(row.person.ibm_id.to_lowercase())
                            .fetch_one(&mut *tx)
                            .await?;
                    let person: $crate::store::people::Person = sqlx::query_as(
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
                        let grant = $crate::store::people::RoleGrant {
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

pub(crate) use impl_people_store;
