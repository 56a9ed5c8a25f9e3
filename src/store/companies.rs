//! Companies and their locations: the rows, the `CompanyStore` port and its SQL
//! (`impl_company_store!`), including the company import.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::audit::Actor;
use super::error::StoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub icn: Option<String>,
    pub site_number: Option<String>,
    pub status: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCompany {
    pub name: String,
    pub icn: Option<String>,
    pub site_number: Option<String>,
    pub status: String,
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Location {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct CompanyImport {
    pub line: u64,
    pub company: NewCompany,
    pub locations: Vec<String>,
}

/// What an import did. Shared by the company import (here) and the people import
/// (`people.rs`, which also counts `roles`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub locations: u64,
    pub roles: u64,
}

/// Called with the number of rows done so far, for a progress bar (both imports).
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// The persistence port of companies and locations.
#[async_trait]
pub trait CompanyStore: Send + Sync {
    async fn create_company(&self, new: &NewCompany, at: DateTime<Utc>) -> StoreResult<Company>;
    async fn company(&self, id: i64) -> StoreResult<Option<Company>>;
    async fn list_companies(&self) -> StoreResult<Vec<Company>>;
    async fn find_company_by_name(&self, name: &str) -> StoreResult<Option<Company>>;
    async fn create_location(
        &self,
        company_id: i64,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Location>;
    async fn locations(&self, company_id: i64) -> StoreResult<Vec<Location>>;
    async fn location_by_id(&self, id: i64) -> StoreResult<Option<Location>>;
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

    /// Creates companies (or updates the one of the same name) and their locations, all in
    /// one transaction.
    async fn import_companies(
        &self,
        rows: &[CompanyImport],
        actor: &Actor,
        at: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> StoreResult<ImportCounts>;
}

/// Implements [`CompanyStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db`. The store must also have the shared helpers of `impl_sql_helpers!`.
macro_rules! impl_company_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::companies::CompanyStore for $store {
            async fn create_company(
                &self,
                new: &$crate::store::companies::NewCompany,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::Company> {
                Ok(sqlx::query_as(
                    "INSERT INTO companies (name, icn, site_number, status, locale, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(&new.name)
                .bind(&new.icn)
                .bind(&new.site_number)
                .bind(&new.status)
                .bind(&new.locale)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn company(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::companies::Company>> {
                Ok(sqlx::query_as("SELECT * FROM companies WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn list_companies(
                &self,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::companies::Company>> {
                Ok(sqlx::query_as("SELECT * FROM companies ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn find_company_by_name(
                &self,
                name: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::companies::Company>> {
                Ok(
                    sqlx::query_as("SELECT * FROM companies WHERE name = $1 ORDER BY id LIMIT 1")
                        .bind(name)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn create_location(
                &self,
                company_id: i64,
                name: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::Location> {
                Ok(sqlx::query_as(
                    "INSERT INTO locations (company_id, name, created_at) VALUES ($1, $2, $3) \
                     RETURNING *",
                )
                .bind(company_id)
                .bind(name)
                .bind(at)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn locations(
                &self,
                company_id: i64,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::companies::Location>> {
                Ok(
                    sqlx::query_as("SELECT * FROM locations WHERE company_id = $1 ORDER BY id")
                        .bind(company_id)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn location_by_id(
                &self,
                id: i64,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::companies::Location>> {
                Ok(sqlx::query_as("SELECT * FROM locations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn add_company(
                &self,
                new: &$crate::store::companies::NewCompany,
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::Company> {
                let mut tx = self.begin_write().await?;
                let company: $crate::store::companies::Company = sqlx::query_as(
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
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::Location> {
                let mut tx = self.begin_write().await?;
                let location: $crate::store::companies::Location = sqlx::query_as(
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

            async fn import_companies(
                &self,
                rows: &[$crate::store::companies::CompanyImport],
                actor: &$crate::store::audit::Actor,
                at: chrono::DateTime<chrono::Utc>,
                progress: $crate::store::companies::Progress<'_>,
            ) -> $crate::store::error::StoreResult<$crate::store::companies::ImportCounts> {
                let mut counts = $crate::store::companies::ImportCounts::default();
                let mut tx = self.begin_write().await?;
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
        }
    };
}

pub(crate) use impl_company_store;
