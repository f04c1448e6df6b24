//! The second factor's records: the TOTP secret, enrolment, the last
//! accepted time step (a code is good once) and one-time recovery codes,
//! of which only hashes are kept. The arithmetic of TOTP is in `kirjo-web`.

use crate::Result;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// The user's TOTP secret and the last time step accepted, if enrolled.
pub async fn secret(pool: &PgPool, user_id: i64) -> Result<Option<(Vec<u8>, Option<i64>)>> {
    let row: Option<(Option<Vec<u8>>, Option<i64>)> =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM staff_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(s, step)| s.map(|s| (s, step))))
}

/// Accepts time step `step` for the user unless it (or a later one) was
/// already used: a code cannot be replayed. True when accepted.
pub async fn accept_step(pool: &PgPool, user_id: i64, step: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE staff_user SET totp_last_step = $2
         WHERE id = $1 AND totp_secret IS NOT NULL
           AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(user_id)
    .bind(step)
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Starts (or restarts) enrolment with a new secret, kept aside until a
/// code from it is confirmed.
pub async fn begin_enrolment(pool: &PgPool, user_id: i64, secret: &[u8]) -> Result<()> {
    sqlx::query("UPDATE staff_user SET totp_pending_secret = $2 WHERE id = $1")
        .bind(user_id)
        .bind(secret)
        .execute(pool)
        .await?;
    Ok(())
}

/// The secret being enrolled, if enrolment has begun.
pub async fn pending_secret(pool: &PgPool, user_id: i64) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT totp_pending_secret FROM staff_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

fn code_hash(user_id: i64, code: &str) -> Vec<u8> {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(format!("{user_id}:{normalised}").as_bytes()).to_vec()
}

/// Completes enrolment: the pending secret becomes the secret, `step` is
/// recorded as used, and `recovery_codes` replace any earlier ones. One
/// transaction.
pub async fn confirm_enrolment(
    pool: &PgPool,
    user_id: i64,
    step: i64,
    recovery_codes: &[String],
) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let n = sqlx::query(
        "UPDATE staff_user SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                totp_enrolled_at = now(), totp_last_step = $2
         WHERE id = $1 AND totp_pending_secret IS NOT NULL",
    )
    .bind(user_id)
    .bind(step)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM staff_recovery_code WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for code in recovery_codes {
        sqlx::query("INSERT INTO staff_recovery_code (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(code_hash(user_id, code))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Uses a recovery code: true if it was the user's and unused.
pub async fn use_recovery_code(pool: &PgPool, user_id: i64, code: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE staff_recovery_code SET used_at = now()
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(code_hash(user_id, code))
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(pool: &PgPool, user_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM staff_recovery_code WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// Sets the language the user chose for the pages.
pub async fn set_language(pool: &PgPool, user_id: i64, language: &str) -> Result<()> {
    sqlx::query("UPDATE staff_user SET language = $2 WHERE id = $1")
        .bind(user_id)
        .bind(language)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks the password as needing a change (it is older than the configured
/// maximum age): every access is denied until the user chooses a new one.
pub async fn require_password_change(pool: &PgPool, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE staff_user SET password_change_required = true WHERE id = $1")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}
