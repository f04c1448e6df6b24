//! Bookkeeping of demo data: each part is loaded once.

use crate::Result;
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

/// When the given part of the demo data was loaded, if it was.
pub async fn loaded_at(pool: &PgPool, part: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(
        sqlx::query_scalar("SELECT loaded_at FROM demo_load WHERE part = $1")
            .bind(part)
            .fetch_optional(pool)
            .await?,
    )
}

/// Records, inside the loading transaction, that a part was loaded. Returns
/// false if another process recorded it first (the caller rolls back).
pub async fn mark_loaded(tx: &mut Transaction<'_, Postgres>, part: &str) -> Result<bool> {
    let inserted = sqlx::query("INSERT INTO demo_load (part) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(part)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(inserted == 1)
}
