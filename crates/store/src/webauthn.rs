//! WebAuthn's records: the credentials (security keys and passkeys) each
//! user registered, and the challenges issued to sessions, each good once
//! and for a few minutes. The verification is in `kirjo-web`.

use crate::staff::token_hash;
use crate::Result;
use sqlx::PgPool;
use sqlx::Row;

/// Which ceremony a challenge was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// Registering a new credential (`navigator.credentials.create`).
    Create,
    /// Signing in or stepping up with one (`navigator.credentials.get`).
    Get,
}

impl Ceremony {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Get => "get",
        }
    }
}

/// Stores a challenge for the session's ceremony, good for `ttl_secs`. It
/// replaces the session's earlier challenge for the ceremony (one is
/// outstanding at a time); expired challenges of any session go too.
pub async fn issue_challenge(
    pool: &PgPool,
    token: &str,
    ceremony: Ceremony,
    challenge: &[u8],
    ttl_secs: i64,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "DELETE FROM staff_webauthn_challenge
         WHERE expires_at < now() OR (session_hash = $1 AND ceremony = $2)",
    )
    .bind(token_hash(token))
    .bind(ceremony.as_str())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO staff_webauthn_challenge (challenge, session_hash, ceremony, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
    )
    .bind(challenge)
    .bind(token_hash(token))
    .bind(ceremony.as_str())
    .bind(ttl_secs as f64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Uses up a challenge: true only if it was issued to this session for
/// this ceremony and has not expired. Whatever the answer, it cannot be
/// used again.
pub async fn take_challenge(
    pool: &PgPool,
    token: &str,
    ceremony: Ceremony,
    challenge: &[u8],
) -> Result<bool> {
    let row: Option<(String, bool, bool)> = sqlx::query_as(
        "DELETE FROM staff_webauthn_challenge WHERE challenge = $1
         RETURNING ceremony, session_hash = $2, expires_at >= now()",
    )
    .bind(challenge)
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some_and(|(c, same_session, fresh)| c == ceremony.as_str() && same_session && fresh))
}

/// The user's handle for authenticators, if one was made.
pub async fn existing_user_handle(pool: &PgPool, user_id: i64) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT webauthn_user_handle FROM staff_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// The user's handle for authenticators, made on first use.
pub async fn user_handle(pool: &PgPool, user_id: i64, fresh: &[u8]) -> Result<Vec<u8>> {
    sqlx::query(
        "UPDATE staff_user SET webauthn_user_handle = $2
         WHERE id = $1 AND webauthn_user_handle IS NULL",
    )
    .bind(user_id)
    .bind(fresh)
    .execute(pool)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT webauthn_user_handle FROM staff_user WHERE id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?,
    )
}

/// A registered credential.
#[derive(Debug, Clone)]
pub struct Credential {
    pub id: i64,
    pub user_id: i64,
    pub credential_id: Vec<u8>,
    /// The COSE_Key as the authenticator gave it.
    pub public_key: Vec<u8>,
    pub algorithm: i32,
    pub sign_count: i64,
    pub name: String,
    pub user_verified: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

const COLUMNS: &str = "id, user_id, credential_id, public_key, algorithm, sign_count, name,
    user_verified, created_at, last_used_at";

fn credential(r: &sqlx::postgres::PgRow) -> Result<Credential> {
    Ok(Credential {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        credential_id: r.try_get("credential_id")?,
        public_key: r.try_get("public_key")?,
        algorithm: r.try_get("algorithm")?,
        sign_count: r.try_get("sign_count")?,
        name: r.try_get("name")?,
        user_verified: r.try_get("user_verified")?,
        created_at: r.try_get("created_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

/// The user's credentials, oldest first.
pub async fn credentials(pool: &PgPool, user_id: i64) -> Result<Vec<Credential>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM staff_webauthn_credential WHERE user_id = $1 ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(credential).collect()
}

/// Whether the user has any credential.
pub async fn has_credentials(pool: &PgPool, user_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM staff_webauthn_credential WHERE user_id = $1)",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// The credential with this credential id, whoever's it is.
pub async fn by_credential_id(pool: &PgPool, credential_id: &[u8]) -> Result<Option<Credential>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM staff_webauthn_credential WHERE credential_id = $1"
    ))
    .bind(credential_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(credential).transpose()
}

/// A credential to register.
#[derive(Debug, Clone)]
pub struct NewCredential<'a> {
    pub credential_id: &'a [u8],
    pub public_key: &'a [u8],
    pub algorithm: i32,
    pub sign_count: i64,
    pub name: &'a str,
    pub user_verified: bool,
}

/// Registers a credential; `None` if its id is registered already.
pub async fn register(pool: &PgPool, user_id: i64, c: &NewCredential<'_>) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff_webauthn_credential
            (user_id, credential_id, public_key, algorithm, sign_count, name, user_verified)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (credential_id) DO NOTHING
         RETURNING id",
    )
    .bind(user_id)
    .bind(c.credential_id)
    .bind(c.public_key)
    .bind(c.algorithm)
    .bind(c.sign_count)
    .bind(c.name)
    .bind(c.user_verified)
    .fetch_optional(pool)
    .await?)
}

/// Records a use: the new counter, if it is still ahead of the stored one
/// (or both are zero: an authenticator without a counter). False when
/// another use got there first with the same or a later counter.
pub async fn record_use(
    pool: &PgPool,
    id: i64,
    sign_count: i64,
    user_verified: bool,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE staff_webauthn_credential
         SET sign_count = $2, last_used_at = now(), last_user_verified = $3
         WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))",
    )
    .bind(id)
    .bind(sign_count)
    .bind(user_verified)
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Removes one of the user's credentials; its name if it was there.
pub async fn remove(pool: &PgPool, user_id: i64, id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "DELETE FROM staff_webauthn_credential WHERE user_id = $1 AND id = $2 RETURNING name",
    )
    .bind(user_id)
    .bind(id)
    .fetch_optional(pool)
    .await?)
}
