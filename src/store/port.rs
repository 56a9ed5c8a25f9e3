//! The persistence port every service takes as a parameter: `Store`, the sum of the
//! aggregates' ports plus the infrastructure methods (ping, migrations, close), and
//! `impl_store!`, which implements those methods for a backend.
//!
//! Callers holding an `Arc<dyn Store>` call every aggregate method without importing the
//! aggregate traits; code calling them on a concrete backend imports `store::prelude::*`.

use async_trait::async_trait;

use super::audit::AuditStore;
use super::calendars::CalendarFeedStore;
use super::companies::CompanyStore;
use super::contracts::ContractStore;
use super::conversations::ConversationStore;
use super::dashboard::DashboardStore;
use super::error::{Backend, StoreResult};
use super::installation::InstallationStore;
use super::jobs::JobStore;
use super::joins::JoinStore;
use super::links::LinkStore;
use super::operators::OperatorStore;
use super::outbox::OutboxStore;
use super::people::PeopleStore;
use super::registrations::RegistrationStore;
use super::tokens::TokenStore;

/// The persistence port every service takes as a parameter.
#[async_trait]
pub trait Store:
    CompanyStore
    + PeopleStore
    + TokenStore
    + JoinStore
    + RegistrationStore
    + LinkStore
    + ContractStore
    + OutboxStore
    + JobStore
    + AuditStore
    + OperatorStore
    + DashboardStore
    + InstallationStore
    + ConversationStore
    + CalendarFeedStore
    + Send
    + Sync
    + 'static
{
    fn backend(&self) -> Backend;
    /// Cheap round trip, for /readyz.
    async fn ping(&self) -> StoreResult<()>;
    /// Applies pending migrations; a second run is a no-op.
    async fn migrate(&self) -> StoreResult<Vec<String>>;
    /// True when every embedded migration has been applied.
    async fn is_migrated(&self) -> StoreResult<bool>;
    /// Closes the pool, waiting for connections in use.
    async fn close(&self);
}

/// The port of the partner workflows from before the store was split per aggregate, kept so
/// that the name still works; it is implemented by everything that implements the aggregate
/// ports. New code names the aggregate port it needs, or `Store`.
pub trait WorkflowStore:
    CompanyStore
    + PeopleStore
    + TokenStore
    + JoinStore
    + RegistrationStore
    + LinkStore
    + AuditStore
    + Send
    + Sync
{
}

impl<T> WorkflowStore for T where
    T: CompanyStore
        + PeopleStore
        + TokenStore
        + JoinStore
        + RegistrationStore
        + LinkStore
        + AuditStore
        + Send
        + Sync
        + ?Sized
{
}

/// Implements the infrastructure methods of [`Store`] for a backend store `$store` (a type
/// with `self.pool`, `Self::migrator()` and `self.applied_versions()`) that is `$backend`.
macro_rules! impl_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::store::port::Store for $store {
            fn backend(&self) -> $crate::store::error::Backend {
                $backend
            }

            async fn ping(&self) -> $crate::store::error::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn migrate(&self) -> $crate::store::error::StoreResult<Vec<String>> {
                let migrator = Self::migrator();
                let before: std::collections::HashSet<i64> = self.applied_versions().await?;
                migrator
                    .run(&self.pool)
                    .await
                    .map_err(|e| $crate::store::error::StoreError::Migrate(e.to_string()))?;
                Ok(migrator
                    .iter()
                    .filter(|m| !before.contains(&m.version))
                    .map(|m| format!("{}_{}", m.version, m.description))
                    .collect())
            }

            async fn is_migrated(&self) -> $crate::store::error::StoreResult<bool> {
                let applied = self.applied_versions().await?;
                Ok(Self::migrator()
                    .iter()
                    .all(|m| applied.contains(&m.version)))
            }

            async fn close(&self) {
                self.pool.close().await;
            }
        }
    };
}

pub(crate) use impl_store;
