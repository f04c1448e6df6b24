//! The start page's worklist: the user's own drafts to resume, and the
//! clients they opened lately. Each is a list of clients, decided by the
//! gate and logged like a search: one row for the list, and a
//! `shown_in_list` row for each client it showed. Only clients the user
//! may still see are listed (the visible set, as the deadline list).

use crate::gate::{Caller, GateError, GateSettings, Pending};
use chrono::{DateTime, Utc};
use kirjo_access::Action;
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// A draft of the user's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub id: i64,
    pub name: String,
    pub client_id: i64,
    pub client_name: String,
    pub updated_at: DateTime<Utc>,
}

/// The most drafts and recent clients listed.
pub const LIST_LIMIT: i64 = 10;

/// The user's own drafts of clients they may still see, last edited first.
pub async fn my_drafts(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<Draft>, GateError> {
    let row = |r: &PgRow| {
        Ok(Draft {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            client_id: r.try_get("client_id")?,
            client_name: r.try_get("client_name")?,
            updated_at: r.try_get("updated_at")?,
        })
    };
    list(
        pool,
        caller,
        settings,
        "my drafts",
        &my_drafts_sql(),
        row,
        |d| d.client_id,
    )
    .await
}

/// A list of the worklist: decided as a search, its rows read by `sql`
/// (binds: the user, [`LIST_LIMIT`]), and the clients it showed recorded.
async fn list<T>(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    what: &str,
    sql: &str,
    row: impl Fn(&PgRow) -> Result<T, sqlx::Error>,
    client: impl Fn(&T) -> i64,
) -> Result<Vec<T>, GateError> {
    let mut g = crate::gate::enter_general(pool, caller, settings, Action::Search, what).await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(sql)
        .bind(access.user_id())
        .bind(LIST_LIMIT)
        .fetch_all(&mut *conn)
        .await?;
    let list = rows.iter().map(row).collect::<Result<Vec<T>, _>>()?;
    g.record_shown(&list.iter().map(client).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(list)).await?)
}

/// [`my_drafts`]' query. Binds: $1 the user, $2 the limit. By the drafts'
/// index of their author.
pub fn my_drafts_sql() -> String {
    format!(
        "SELECT d.id, d.name, d.client_id, d.client_name, d.updated_at
         FROM document d
         WHERE d.author_id = $1 AND d.state = 'draft'
           AND (d.client_id, d.sub_register_id) IN (SELECT client_id, sub_register_id FROM ({}) v)
         ORDER BY d.updated_at DESC
         LIMIT $2",
        crate::gate::visible_set(1)
    )
}

/// A client the user opened lately.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecentClient {
    pub client_id: i64,
    pub name: String,
    pub opened_at: DateTime<Utc>,
}

/// The clients whose card the user opened in the last 30 days, last first,
/// that they may still see.
pub async fn recent_clients(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<RecentClient>, GateError> {
    let row = |r: &PgRow| {
        Ok(RecentClient {
            client_id: r.try_get("client_id")?,
            name: r.try_get("name")?,
            opened_at: r.try_get("opened_at")?,
        })
    };
    let sql = recent_clients_sql();
    list(
        pool,
        caller,
        settings,
        "recently opened clients",
        &sql,
        row,
        |c| c.client_id,
    )
    .await
}

/// [`recent_clients`]' query. Binds: $1 the user, $2 the limit. The user's
/// own rows of the use log of the last 30 days, by its index of users; the
/// names of the few listed, each by its key.
pub fn recent_clients_sql() -> String {
    format!(
        "WITH opened AS MATERIALIZED (
             SELECT l.client_id, max(l.logged_at) AS opened_at
               FROM use_log l
              WHERE l.user_id = $1 AND l.logged_at > now() - interval '30 days'
                AND l.allowed AND l.action = 'view_basic_data' AND l.client_id IS NOT NULL
              GROUP BY l.client_id),
         listed AS MATERIALIZED (
             SELECT o.client_id, o.opened_at FROM opened o
              WHERE o.client_id IN (SELECT client_id FROM ({}) v)
              ORDER BY o.opened_at DESC
              LIMIT $2)
         SELECT s.client_id, p.name, s.opened_at
           FROM listed s
           JOIN LATERAL (SELECT first_names || ' ' || surname AS name FROM person
                          WHERE person.id = s.client_id) p ON true
          ORDER BY s.opened_at DESC",
        crate::gate::visible_set(1)
    )
}
