//! Kirjo's PostgreSQL storage.
//!
//! Two database roles: the owner ([`OWNER_ROLE`] by default) runs migrations and
//! owns the schema; the runtime role [`RUNTIME_ROLE`] is what request
//! handlers use, with only the grants each migration gives it.

pub mod audit;
pub mod bootstrap;
pub mod clients;
pub mod data_groups;
pub mod decisions;
pub mod demo;
pub mod documents;
pub mod extract;
pub mod gate;
pub mod guardians;
pub mod health;
pub mod matters;
pub mod migrate;
pub mod monitoring;
pub mod register;
pub mod relationships;
pub mod second_factor;
pub mod staff;
pub mod statistics;
pub mod vtj;
pub mod webauthn;
pub mod worklist;

pub use sqlx::PgPool;

/// One page of a list: at most `limit` rows after the first `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    /// No page: every row.
    pub const ALL: Page = Page {
        limit: i64::MAX,
        offset: 0,
    };
}

/// The role that owns the schema and runs migrations in a cluster Kirjo sets up.
pub const OWNER_ROLE: &str = "kirjo_owner";
/// The role request handlers run as. Migrations grant to it by this name.
pub const RUNTIME_ROLE: &str = "kirjo_app";

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration {version} ({name}) was changed after it was applied: the database has checksum {applied}, this Kirjo has {embedded}")]
    MigrationChanged {
        version: i32,
        name: String,
        applied: String,
        embedded: String,
    },
    #[error("the database has migration {version} that this Kirjo does not know: it was migrated by a newer Kirjo")]
    DatabaseNewer { version: i32 },
    #[error("{0}")]
    Setup(String),
}

impl StoreError {
    /// The kind of error, for application logs: never a message that could
    /// quote data.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Database(sqlx::Error::Database(_)) => "database",
            StoreError::Database(sqlx::Error::PoolTimedOut) => "pool_timed_out",
            StoreError::Database(sqlx::Error::PoolClosed) => "pool_closed",
            StoreError::Database(sqlx::Error::Io(_)) => "io",
            StoreError::Database(_) => "database_other",
            StoreError::MigrationChanged { .. } => "migration_changed",
            StoreError::DatabaseNewer { .. } => "database_newer",
            StoreError::Setup(_) => "setup",
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
