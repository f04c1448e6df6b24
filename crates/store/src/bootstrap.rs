//! Setting up roles and the database, before migrations can run.
//!
//! In a cluster Kirjo owns, it connects as the cluster's superuser once to
//! create the owner role, the runtime role and the database. Against a
//! database someone else runs, the owner's URL is given and the runtime role
//! must exist or be creatable by the owner ([`ensure_runtime_role`]).

use crate::{Result, StoreError};
use kirjo_domain::register::is_valid_id;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use std::time::Duration;

fn ident(name: &str) -> Result<String> {
    if is_valid_id(name) {
        Ok(format!("\"{name}\""))
    } else {
        Err(StoreError::Setup(format!(
            "`{name}` is not a usable role or database name (a-z, 0-9, _)"
        )))
    }
}

fn is_duplicate(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if matches!(d.code().as_deref(), Some("42710" | "23505" | "42P04")))
}

/// Creates a role if it does not exist (LOGIN or NOLOGIN). Races with another
/// process creating the same role are harmless.
pub async fn ensure_role(admin: &mut PgConnection, role: &str, login: bool) -> Result<()> {
    let quoted = ident(role)?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(role)
            .fetch_one(&mut *admin)
            .await?;
    if exists {
        return Ok(());
    }
    let login = if login { "LOGIN" } else { "NOLOGIN" };
    match sqlx::raw_sql(&format!("CREATE ROLE {quoted} {login}"))
        .execute(&mut *admin)
        .await
    {
        Err(e) if !is_duplicate(&e) => Err(e.into()),
        _ => Ok(()),
    }
}

/// Creates `database` owned by `owner` if it does not exist.
pub async fn ensure_database(
    admin: &mut PgConnection,
    database: &str,
    owner: &str,
    template: Option<&str>,
) -> Result<bool> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(database)
            .fetch_one(&mut *admin)
            .await?;
    if exists {
        return Ok(false);
    }
    let template = match template {
        Some(t) => format!(" TEMPLATE {}", ident(t)?),
        None => String::new(),
    };
    let sql = format!(
        "CREATE DATABASE {} OWNER {}{template} ENCODING 'UTF8'",
        ident(database)?,
        ident(owner)?
    );
    match sqlx::raw_sql(&sql).execute(&mut *admin).await {
        Err(e) if !is_duplicate(&e) => Err(e.into()),
        Err(_) => Ok(false),
        Ok(_) => Ok(true),
    }
}

/// Connects once with the given options (for bootstrap work).
pub async fn connect_once(options: &PgConnectOptions) -> Result<PgConnection> {
    Ok(PgConnection::connect_with(&options.clone().disable_statement_logging()).await?)
}

/// In a cluster Kirjo owns: the owner and runtime roles, and the database.
pub async fn bootstrap_owned_cluster(superuser: &PgConnectOptions, database: &str) -> Result<()> {
    let mut admin = connect_once(superuser).await?;
    ensure_role(&mut admin, crate::OWNER_ROLE, true).await?;
    ensure_role(&mut admin, crate::RUNTIME_ROLE, true).await?;
    ensure_database(&mut admin, database, crate::OWNER_ROLE, None).await?;
    // Only the two roles may connect to Kirjo's database.
    let db = ident(database)?;
    sqlx::raw_sql(&format!(
        "REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC; \
         GRANT CONNECT ON DATABASE {db} TO {}",
        ident(crate::RUNTIME_ROLE)?
    ))
    .execute(&mut admin)
    .await?;
    admin.close().await?;
    Ok(())
}

/// Against an external database: makes sure the runtime role exists, and
/// that the owner may `SET ROLE` to it when no separate runtime URL is given.
pub async fn ensure_runtime_role(owner: &PgPool, need_membership: bool) -> Result<()> {
    let mut conn = owner.acquire().await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(crate::RUNTIME_ROLE)
            .fetch_one(&mut *conn)
            .await?;
    if !exists {
        ensure_role(&mut conn, crate::RUNTIME_ROLE, false)
            .await
            .map_err(|e| {
                StoreError::Setup(format!(
                    "the runtime role {} does not exist and the owner cannot create it ({e}); \
                     create it: CREATE ROLE {} LOGIN",
                    crate::RUNTIME_ROLE,
                    crate::RUNTIME_ROLE
                ))
            })?;
    }
    if need_membership {
        let member: bool = sqlx::query_scalar("SELECT pg_has_role(current_user, $1, 'MEMBER')")
            .bind(crate::RUNTIME_ROLE)
            .fetch_one(&mut *conn)
            .await?;
        if !member {
            let grant = format!("GRANT {} TO CURRENT_USER", ident(crate::RUNTIME_ROLE)?);
            sqlx::raw_sql(&grant)
                .execute(&mut *conn)
                .await
                .map_err(|e| {
                    StoreError::Setup(format!(
                        "the owner is not a member of {} and cannot become one ({e}); \
                     give database.runtime_url, or GRANT {} TO the owner",
                        crate::RUNTIME_ROLE,
                        crate::RUNTIME_ROLE
                    ))
                })?;
        }
    }
    Ok(())
}

/// What every connection of the runtime role runs under, whatever the
/// database: no statement longer than 30 seconds and no transaction left
/// idle for a minute (a request that hangs holds back neither the sealer's
/// horizon nor a connection for long), and no JIT compilation (which made
/// the name search three to five times slower for no gain on short
/// queries).
pub const RUNTIME_SETTINGS: [(&str, &str); 3] = [
    ("statement_timeout", "30s"),
    ("idle_in_transaction_session_timeout", "60s"),
    ("jit", "off"),
];

/// `options` with [`RUNTIME_SETTINGS`], for the runtime role's pool.
pub fn runtime_options(options: PgConnectOptions) -> PgConnectOptions {
    options.options(RUNTIME_SETTINGS)
}

/// A pool of connections. With `set_role`, every new connection first runs
/// `SET ROLE`, so that it has exactly that role's privileges.
pub async fn pool(
    options: PgConnectOptions,
    max_connections: u32,
    set_role: Option<&str>,
) -> Result<PgPool> {
    pool_with_timeout(options, max_connections, set_role, Duration::from_secs(10)).await
}

/// [`pool`] with its acquire timeout: how long a caller waits for a
/// connection (a new one included) before `PoolTimedOut`.
pub async fn pool_with_timeout(
    options: PgConnectOptions,
    max_connections: u32,
    set_role: Option<&str>,
    acquire_timeout: Duration,
) -> Result<PgPool> {
    let set_role = set_role.map(ident).transpose()?;
    let options = options.disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .after_connect(move |conn, _meta| {
            let statement = set_role.as_ref().map(|role| format!("SET ROLE {role}"));
            Box::pin(async move {
                if let Some(statement) = statement {
                    sqlx::Executor::execute(conn, statement.as_str()).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}
