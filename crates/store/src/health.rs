//! Readiness: is the database reachable and its schema current?

use crate::migrate::{schema_state, SchemaState};
use sqlx::PgPool;

/// The answer of the readiness check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready { schema_version: i32 },
    DatabaseUnreachable(String),
    SchemaNotCurrent(String),
}

pub async fn readiness(pool: &PgPool) -> Readiness {
    match schema_state(pool).await {
        Ok(SchemaState::Current { version }) => Readiness::Ready {
            schema_version: version,
        },
        Ok(SchemaState::Pending { missing }) => {
            Readiness::SchemaNotCurrent(format!("migrations not applied: {missing:?}"))
        }
        Ok(SchemaState::Mismatch(m)) => Readiness::SchemaNotCurrent(m),
        Err(e) => Readiness::DatabaseUnreachable(e.to_string()),
    }
}
