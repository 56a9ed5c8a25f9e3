//! What the store reports: `StoreError` and `StoreResult`, which `Backend` a store talks to,
//! and the `MigrationReport` of `partnerdesk migrate`. Every other store file depends on this
//! one, so it depends on nothing in the store.

use crate::config::ConfigError;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("cannot open the database at {target}: {reason}")]
    Open { target: String, reason: String },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub database_created: bool,
    pub applied: Vec<String>,
}
