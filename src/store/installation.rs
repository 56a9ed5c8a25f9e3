//! This installation's id (table `installation`, migration 0008): one random value created
//! once per database, read by every replica. Message-IDs are derived from it (with the outbox
//! dedupe key), so two installations never send the same Message-ID; the same message always
//! gets the same one. A move to another database gets a new id unless the row is copied.

use async_trait::async_trait;

use super::error::StoreResult;

/// The persistence port of the installation id.
#[async_trait]
pub trait InstallationStore: Send + Sync {
    /// The installation id; created here (once, whoever comes first) if the row is missing.
    async fn installation_id(&self) -> StoreResult<String>;
}

/// A fresh id for a database whose row was deleted: 128 random bits as 32 hex digits.
pub(crate) fn new_installation_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Implements [`InstallationStore`] for a backend store `$store` (a type with `self.pool`)
/// over the sqlx database `$db` (taken like every aggregate macro).
macro_rules! impl_installation_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::installation::InstallationStore for $store {
            async fn installation_id(&self) -> $crate::store::error::StoreResult<String> {
                // The migration created the row; this only matters if someone deleted it. Every
                // replica racing here keeps the first insert's value.
                sqlx::query(
                    "INSERT INTO installation (singleton, id) VALUES (1, $1) \
                     ON CONFLICT (singleton) DO NOTHING",
                )
                .bind($crate::store::installation::new_installation_id())
                .execute(&self.pool)
                .await?;
                Ok(
                    sqlx::query_scalar("SELECT id FROM installation WHERE singleton = 1")
                        .fetch_one(&self.pool)
                        .await?,
                )
            }
        }
    };
}

pub(crate) use impl_installation_store;
