//! Answers from the log (703/2023 §11): who used a client's data, when,
//! what and for what purpose, and to whom it was disclosed; and a user's own
//! trail. One indexed query each (`use_log (client_id, logged_at)`,
//! `use_log (user_id, logged_at)`).

use crate::gate::{Guarded, Pending};
use crate::Page;
use crate::Result;
use chrono::{DateTime, Utc};
use kirjo_access::Action;
use serde::Serialize;
use sqlx::{PgPool, Row};

/// One use of the client's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UseRecord {
    pub id: i64,
    pub logged_at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub register_id: Option<String>,
    pub client_id: Option<i64>,
    pub action: String,
    pub data: String,
    pub purpose: Option<String>,
    pub allowed: bool,
    pub explanation: String,
}

/// One disclosure of the client's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureRecord {
    pub id: i64,
    pub disclosed_at: DateTime<Utc>,
    pub user_name: String,
    pub register_id: Option<String>,
    pub data: String,
    pub recipient: String,
    pub purpose: String,
    pub legal_basis: String,
}

/// A client's log extract for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extract {
    pub client_id: i64,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Every use in the period; `uses` holds them all, or one page of them.
    pub total_uses: i64,
    pub uses: Vec<UseRecord>,
    pub disclosures: Vec<DisclosureRecord>,
}

fn use_record(r: &sqlx::postgres::PgRow) -> std::result::Result<UseRecord, sqlx::Error> {
    Ok(UseRecord {
        id: r.try_get("id")?,
        logged_at: r.try_get("logged_at")?,
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        register_id: r.try_get("register_id")?,
        client_id: r.try_get("client_id")?,
        action: r.try_get("action")?,
        data: r.try_get("data")?,
        purpose: r.try_get("purpose")?,
        allowed: r.try_get("allowed")?,
        explanation: r.try_get("explanation")?,
    })
}

const USE_COLUMNS: &str =
    "id, logged_at, user_id, user_name, register_id, client_id, action, data, purpose, allowed, explanation";

/// The client's extract, its uses one page at a time. Needs `ViewLogExtract`
/// on the client; the extract itself is a use in the log (its row is in this
/// transaction).
pub async fn client_extract(
    g: &mut Guarded,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    page: Page,
) -> Result<Pending<Option<Extract>>> {
    let (conn, access) = g.parts();
    let (Action::ViewLogExtract, Some(client_id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let total_uses: i64 = sqlx::query_scalar(CLIENT_USES_COUNT_SQL)
        .bind(client_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await?;
    let uses = sqlx::query(&client_uses_sql())
        .bind(client_id)
        .bind(from)
        .bind(to)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(use_record)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let disclosures = sqlx::query(CLIENT_DISCLOSURES_SQL)
        .bind(client_id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(DisclosureRecord {
                id: r.try_get("id")?,
                disclosed_at: r.try_get("disclosed_at")?,
                user_name: r.try_get("user_name")?,
                register_id: r.try_get("register_id")?,
                data: r.try_get("data")?,
                recipient: r.try_get("recipient")?,
                purpose: r.try_get("purpose")?,
                legal_basis: r.try_get("legal_basis")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    Ok(Pending::new(Some(Extract {
        client_id,
        from,
        to,
        total_uses,
        uses,
        disclosures,
    })))
}

/// [`client_extract`]'s count of the period's uses. Binds: $1 the client,
/// $2 from, $3 to. Public for the plan guard
/// (`crates/kirjo/tests/plan_guard.rs`), as are the other texts here.
pub const CLIENT_USES_COUNT_SQL: &str = "SELECT count(*) FROM use_log
         WHERE client_id = $1 AND logged_at >= $2 AND logged_at < $3 AND allowed";

/// [`client_extract`]'s page of uses. Binds: $1 the client, $2 from, $3
/// to, $4 limit, $5 offset.
pub fn client_uses_sql() -> String {
    format!(
        "SELECT {USE_COLUMNS} FROM use_log
         WHERE client_id = $1 AND logged_at >= $2 AND logged_at < $3 AND allowed
         ORDER BY logged_at, id LIMIT $4 OFFSET $5"
    )
}

/// [`client_extract`]'s disclosures. Binds: $1 the client, $2 from, $3 to.
pub const CLIENT_DISCLOSURES_SQL: &str =
    "SELECT id, disclosed_at, user_name, register_id, data, recipient, purpose, legal_basis
         FROM disclosure_log WHERE client_id = $1 AND disclosed_at >= $2 AND disclosed_at < $3
         ORDER BY disclosed_at, id";

/// [`own_trail_page`]'s count. Binds: $1 the user, $2 from, $3 to.
pub const OWN_TRAIL_COUNT_SQL: &str =
    "SELECT count(*) FROM use_log WHERE user_id = $1 AND logged_at >= $2 AND logged_at < $3";

/// [`own_trail_page`]'s page. Binds: $1 the user, $2 from, $3 to, $4
/// limit, $5 offset.
pub fn own_trail_sql() -> String {
    format!(
        "SELECT {USE_COLUMNS} FROM use_log
         WHERE user_id = $1 AND logged_at >= $2 AND logged_at < $3 ORDER BY logged_at, id
         LIMIT $4 OFFSET $5"
    )
}

/// A user's own trail: everything logged under their id in the period.
pub async fn own_trail(
    pool: &PgPool,
    user_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<UseRecord>> {
    Ok(own_trail_page(pool, user_id, from, to, Page::ALL).await?.1)
}

/// One page of the user's own trail, and how many rows the period has.
pub async fn own_trail_page(
    pool: &PgPool,
    user_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    page: Page,
) -> Result<(i64, Vec<UseRecord>)> {
    let mut conn = pool.acquire().await?;
    let total: i64 = sqlx::query_scalar(OWN_TRAIL_COUNT_SQL)
        .bind(user_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(&own_trail_sql())
        .bind(user_id)
        .bind(from)
        .bind(to)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *conn)
        .await?;
    let uses = rows
        .iter()
        .map(use_record)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((total, uses))
}

/// Quotes a CSV field (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The uses as CSV, one header line then a line per use.
pub fn uses_csv(uses: &[UseRecord]) -> String {
    let mut out = String::from("time,user_id,user_name,register,client_id,action,data,purpose\n");
    for u in uses {
        let fields = [
            u.logged_at.to_rfc3339(),
            u.user_id.map(|i| i.to_string()).unwrap_or_default(),
            u.user_name.clone(),
            u.register_id.clone().unwrap_or_default(),
            u.client_id.map(|i| i.to_string()).unwrap_or_default(),
            u.action.clone(),
            u.data.clone(),
            u.purpose.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
