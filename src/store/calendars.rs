//! The sales reps' calendar feeds: the hashed secret of each rep's `.ics` URL (table
//! `rep_calendar_feeds`, migration 0011), the `CalendarFeedStore` port and its SQL
//! (`impl_calendar_feed_store!`), and the read of one rep's open contracts the feed lists.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::contracts::Contract;
use super::error::StoreResult;

/// The persistence port of calendar feeds.
#[async_trait]
pub trait CalendarFeedStore: Send + Sync {
    /// Stores `secret_hash` as `ibm_id`'s feed secret, replacing any earlier one.
    async fn set_calendar_secret(
        &self,
        ibm_id: &str,
        secret_hash: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Whether `ibm_id` has a feed secret.
    async fn has_calendar_secret(&self, ibm_id: &str) -> StoreResult<bool>;

    /// The rep whose feed secret hashes to `secret_hash`, if any.
    async fn calendar_owner(&self, secret_hash: &str) -> StoreResult<Option<String>>;

    /// How many contracts (in any status) name `email` as their sales rep.
    async fn contracts_of_rep_count(&self, email: &str) -> StoreResult<i64>;

    /// The open contracts of the sales rep `email`, by renewal date.
    async fn open_contracts_of_rep(&self, email: &str) -> StoreResult<Vec<Contract>>;
}

/// Implements [`CalendarFeedStore`] for a backend store `$store` over the sqlx database `$db`.
macro_rules! impl_calendar_feed_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::calendars::CalendarFeedStore for $store {
            async fn set_calendar_secret(
                &self,
                ibm_id: &str,
                secret_hash: &str,
                created_by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::error::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO rep_calendar_feeds (ibm_id, secret_hash, created_at, created_by) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (ibm_id) DO UPDATE SET \
                     secret_hash = excluded.secret_hash, created_at = excluded.created_at, \
                     created_by = excluded.created_by",
                )
                .bind(ibm_id)
                .bind(secret_hash)
                .bind(at)
                .bind(created_by)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn has_calendar_secret(
                &self,
                ibm_id: &str,
            ) -> $crate::store::error::StoreResult<bool> {
                let found: Option<bool> =
                    sqlx::query_scalar("SELECT TRUE FROM rep_calendar_feeds WHERE ibm_id = $1")
                        .bind(ibm_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(found.is_some())
            }

            async fn calendar_owner(
                &self,
                secret_hash: &str,
            ) -> $crate::store::error::StoreResult<Option<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT ibm_id FROM rep_calendar_feeds WHERE secret_hash = $1",
                )
                .bind(secret_hash)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn contracts_of_rep_count(
                &self,
                email: &str,
            ) -> $crate::store::error::StoreResult<i64> {
                Ok(
                    sqlx::query_scalar("SELECT COUNT(*) FROM contracts WHERE sales_rep_email = $1")
                        .bind(email)
                        .fetch_one(&self.pool)
                        .await?,
                )
            }

            async fn open_contracts_of_rep(
                &self,
                email: &str,
            ) -> $crate::store::error::StoreResult<Vec<$crate::store::contracts::Contract>> {
                Ok(sqlx::query_as(
                    "SELECT * FROM contracts WHERE sales_rep_email = $1 AND status = 'open' \
                     ORDER BY renewal_date, id",
                )
                .bind(email)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_calendar_feed_store;
