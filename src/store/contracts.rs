//! Contracts and their renewal status: the rows, the `ContractStore` port and its SQL
//! (`impl_contract_store!`).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::error::StoreResult;
use super::text_enum::text_enum;

text_enum!(
    /// Where a contract's renewal stands; anything but `Open` stops reminders.
    ContractStatus {
        Open => "open",
        Quoted => "quoted",
        Renewed => "renewed",
        Lost => "lost",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: String,
    pub company: String,
    pub product: String,
    pub renewal_date: NaiveDate,
    pub sales_rep_email: String,
    pub sales_rep_name: String,
    pub sales_rep_lang: String,
    pub sales_rep_tz: String,
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    pub id: String,
    pub company: String,
    pub product: String,
    pub renewal_date: NaiveDate,
    pub sales_rep_email: String,
    pub sales_rep_name: String,
    pub sales_rep_lang: String,
    pub sales_rep_tz: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// What one batch of an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContractImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A contracts import in progress: one transaction that every batch is written in. Nothing is
/// visible to others until [`ContractImport::commit`]; dropping it (an error, an interrupted
/// import) rolls everything back, so a file is imported whole or not at all.
#[async_trait]
pub trait ContractImport: Send {
    /// Upserts `batch` (ids unique within the whole import) as `upsert_contracts` does, with
    /// one statement per batch instead of two per row.
    async fn write(&mut self, batch: &[NewContract]) -> StoreResult<ContractImportCounts>;
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// The most contracts [`ContractImport::write`] takes at once (9 parameters each, below
/// both databases' parameter limits).
pub const IMPORT_BATCH: usize = 1_000;

/// The persistence port of contracts.
#[async_trait]
pub trait ContractStore: Send + Sync {
    /// Starts an import: one transaction for every batch written through it.
    async fn begin_contract_import(
        &self,
        at: DateTime<Utc>,
    ) -> StoreResult<Box<dyn ContractImport>>;

    /// Inserts or updates a contract by its external id.
    async fn upsert_contract(
        &self,
        c: &NewContract,
        at: DateTime<Utc>,
    ) -> StoreResult<UpsertOutcome>;
    async fn contract(&self, id: &str) -> StoreResult<Option<Contract>>;

    /// Inserts or updates many contracts in one transaction.
    async fn upsert_contracts(
        &self,
        contracts: &[NewContract],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<UpsertOutcome>>;

    /// Open contracts whose renewal date is in `[from, to]`.
    async fn open_contracts_renewing_between(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> StoreResult<Vec<Contract>>;

    /// Every contract, or the contracts of one sales rep (by email, any case), in renewal-date
    /// order: `contract list`.
    async fn contracts_of_rep(&self, rep: Option<&str>) -> StoreResult<Vec<Contract>>;

    /// A sales rep's acknowledgement (`quoted`, `renewed`, `lost`) or back to `open`; returns
    /// the contract as it is now, or `None` when there is no such contract.
    async fn set_contract_status(
        &self,
        id: &str,
        status: ContractStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<Contract>>;
}

/// Implements [`ContractStore`] for a backend store `$store` (a type with `self.pool`) over the
/// sqlx database `$db` (taken
/// like every aggregate macro, so that the backends invoke them all alike).
macro_rules! impl_contract_store {
    ($store:ty, $db:ty) => {
        /// An import's transaction on this backend.
        struct ContractImportTx {
            tx: sqlx::Transaction<'static, $db>,
            at: chrono::DateTime<chrono::Utc>,
        }

        #[async_trait::async_trait]
        impl $crate::store::contracts::ContractImport for ContractImportTx {
            async fn write(
                &mut self,
                batch: &[$crate::store::contracts::NewContract],
            ) -> $crate::store::error::StoreResult<$crate::store::contracts::ContractImportCounts> {
                if batch.is_empty() {
                    return Ok($crate::store::contracts::ContractImportCounts::default());
                }
                // How many exist already: the rest are inserted. The upsert then reports the
                // inserted and the changed rows (an unchanged one matches no DO UPDATE WHERE).
                let mut existing = sqlx::QueryBuilder::<$db>::new(
                    "SELECT COUNT(*) FROM contracts WHERE id IN (",
                );
                let mut ids = existing.separated(", ");
                for c in batch {
                    ids.push_bind(&c.id);
                }
                existing.push(")");
                let existed: i64 = existing
                    .build_query_scalar()
                    .fetch_one(&mut *self.tx)
                    .await?;
                let mut upsert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO contracts (id, company, product, renewal_date, \
                     sales_rep_email, sales_rep_name, sales_rep_lang, sales_rep_tz, status, \
                     updated_at) ",
                );
                let at = self.at;
                upsert.push_values(batch, |mut row, c| {
                    row.push_bind(&c.id)
                        .push_bind(&c.company)
                        .push_bind(&c.product)
                        .push_bind(c.renewal_date)
                        .push_bind(&c.sales_rep_email)
                        .push_bind(&c.sales_rep_name)
                        .push_bind(&c.sales_rep_lang)
                        .push_bind(&c.sales_rep_tz)
                        .push_bind("open")
                        .push_bind(at);
                });
                upsert.push(
                    " ON CONFLICT (id) DO UPDATE SET company = excluded.company, \
                     product = excluded.product, renewal_date = excluded.renewal_date, \
                     sales_rep_email = excluded.sales_rep_email, \
                     sales_rep_name = excluded.sales_rep_name, \
                     sales_rep_lang = excluded.sales_rep_lang, \
                     sales_rep_tz = excluded.sales_rep_tz, updated_at = excluded.updated_at, \
                     status = CASE WHEN contracts.renewal_date <> excluded.renewal_date \
                              THEN 'open' ELSE contracts.status END \
                     WHERE contracts.company <> excluded.company \
                     OR contracts.product <> excluded.product \
                     OR contracts.renewal_date <> excluded.renewal_date \
                     OR contracts.sales_rep_email <> excluded.sales_rep_email \
                     OR contracts.sales_rep_name <> excluded.sales_rep_name \
                     OR contracts.sales_rep_lang <> excluded.sales_rep_lang \
                     OR contracts.sales_rep_tz <> excluded.sales_rep_tz",
                );
                let written = upsert.build().execute(&mut *self.tx).await?.rows_affected();
                let existed = u64::try_from(existed).unwrap_or(0);
                let inserted = (batch.len() as u64).saturating_sub(existed);
                let updated = written.saturating_sub(inserted);
                Ok($crate::store::contracts::ContractImportCounts {
                    inserted,
                    updated,
                    unchanged: existed.saturating_sub(updated),
                })
            }

            async fn commit(self: Box<Self>) -> $crate::store::error::StoreResult<()> {
                Ok(self.tx.commit().await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::contracts::ContractStore for $store {
            async fn begin_contract_import(
                &self,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<Box<dyn $crate::store::contracts::ContractImport>>
            {
                Ok(Box::new(ContractImportTx {
                    tx: self.begin_write().await?,
                    at,
                }))
            }

            async fn upsert_contract(
                &self,
                c: &$crate::store::contracts::NewContract,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<$crate::store::contracts::UpsertOutcome> {
                let outcomes = self.upsert_contracts(std::slice::from_ref(c), at).await?;
                outcomes.into_iter().next().ok_or_else(|| {
                    $crate::store::error::StoreError::Invalid("no outcome for one contract".into())
                })
            }

            async fn contract(
                &self,
                id: &str,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::contracts::Contract>> {
                Ok(sqlx::query_as("SELECT * FROM contracts WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn upsert_contracts(
                &self,
                contracts: &[$crate::store::contracts::NewContract],
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::contracts::UpsertOutcome>> {
                use $crate::store::contracts::UpsertOutcome;
                let mut outcomes = Vec::with_capacity(contracts.len());
                let mut tx = self.begin_write().await?;
                for c in contracts {
                    // Insert, or update only when something changed. A new renewal date is a new
                    // renewal cycle: an acknowledgement of the old one (quoted, renewed, lost)
                    // no longer holds, so the contract is open and reminded again.
                    let existed: Option<bool> = sqlx::query_scalar(
                        "SELECT TRUE FROM contracts WHERE id = $1",
                    )
                    .bind(&c.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let changed = sqlx::query(
                        "INSERT INTO contracts (id, company, product, renewal_date, \
                         sales_rep_email, sales_rep_name, sales_rep_lang, sales_rep_tz, status, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) \
                         ON CONFLICT (id) DO UPDATE SET company = excluded.company, \
                         product = excluded.product, renewal_date = excluded.renewal_date, \
                         sales_rep_email = excluded.sales_rep_email, \
                         sales_rep_name = excluded.sales_rep_name, \
                         sales_rep_lang = excluded.sales_rep_lang, \
                         sales_rep_tz = excluded.sales_rep_tz, updated_at = excluded.updated_at, \
                         status = CASE WHEN contracts.renewal_date <> excluded.renewal_date \
                                  THEN 'open' ELSE contracts.status END \
                         WHERE contracts.company <> excluded.company \
                         OR contracts.product <> excluded.product \
                         OR contracts.renewal_date <> excluded.renewal_date \
                         OR contracts.sales_rep_email <> excluded.sales_rep_email \
                         OR contracts.sales_rep_name <> excluded.sales_rep_name \
                         OR contracts.sales_rep_lang <> excluded.sales_rep_lang \
                         OR contracts.sales_rep_tz <> excluded.sales_rep_tz",
                    )
                    .bind(&c.id)
                    .bind(&c.company)
                    .bind(&c.product)
                    .bind(c.renewal_date)
                    .bind(&c.sales_rep_email)
                    .bind(&c.sales_rep_name)
                    .bind(&c.sales_rep_lang)
                    .bind(&c.sales_rep_tz)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    outcomes.push(match (existed.is_some(), changed > 0) {
                        (false, _) => UpsertOutcome::Inserted,
                        (true, true) => UpsertOutcome::Updated,
                        (true, false) => UpsertOutcome::Unchanged,
                    });
                }
                tx.commit().await?;
                Ok(outcomes)
            }

            async fn open_contracts_renewing_between(
                &self,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::contracts::Contract>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM contracts WHERE status = 'open' \
                     AND renewal_date >= $1 AND renewal_date <= $2 ORDER BY renewal_date, id",
                )
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn contracts_of_rep(
                &self,
                rep: Option<&str>,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::contracts::Contract>> {
                // Emails are stored lower-cased by the import.
                Ok(sqlx::query_as(
                    "SELECT * FROM contracts WHERE ($1 IS NULL OR sales_rep_email = $1) \
                     ORDER BY renewal_date, id",
                )
                .bind(rep.map(str::to_lowercase))
                .fetch_all(&self.pool)
                .await?)
            }

            async fn set_contract_status(
                &self,
                id: &str,
                status: $crate::store::contracts::ContractStatus,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<Option<$crate::store::contracts::Contract>> {
                Ok(sqlx::query_as(
                    "UPDATE contracts SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *",
                )
                .bind(status.as_str())
                .bind(at)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_contract_store;
