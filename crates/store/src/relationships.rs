//! Client relationships (asiakkuus): opened in a unit and service area with
//! a responsible worker, staffed with a team, ended with a date and a
//! reason. Never deleted. The gate decides `ManageRelationship` by role;
//! here the unit and service area are checked: a worker or supervisor opens
//! relationships where they work, and a relationship is ended or staffed by
//! its responsible worker or the unit's supervisor.

use crate::gate::{Caller, GateError, GateSettings, Pending};
use chrono::NaiveDate;
use kirjo_access::Action;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};

fn invalid(msg: impl Into<String>) -> GateError {
    GateError::Store(crate::StoreError::Setup(msg.into()))
}

/// A grant of one of `roles` in force today for the user in the unit and area.
async fn has_role(
    conn: &mut PgConnection,
    user: i64,
    roles: &[&str],
    unit: &str,
    area: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = $1 AND g.role = ANY($2)
                          AND g.unit_id = $3 AND g.sub_register_id = $4 AND g.ended_at IS NULL
                          AND g.valid_from <= kirjo_today()
                          AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until))",
    )
    .bind(user)
    .bind(roles)
    .bind(unit)
    .bind(area)
    .fetch_one(conn)
    .await
}

/// A new relationship.
#[derive(Debug, Clone, Deserialize)]
pub struct NewRelationship {
    pub service_area: String,
    pub unit: String,
    /// Default: the user opening it.
    pub responsible_worker_id: Option<i64>,
    /// Default: today.
    pub started_on: Option<NaiveDate>,
}

async fn enter_on(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client: i64,
    data: &str,
) -> Result<crate::gate::Guarded, GateError> {
    crate::gate::enter_on_client(
        pool,
        caller,
        settings,
        Action::ManageRelationship,
        client,
        data,
        None,
    )
    .await
}

/// Opens a relationship of `client` in a unit and service area.
pub async fn open(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client: i64,
    new: &NewRelationship,
) -> Result<i64, GateError> {
    let mut g = enter_on(
        pool,
        caller,
        settings,
        client,
        &format!("open relationship in {}", new.service_area),
    )
    .await?;
    let (conn, access) = g.parts();
    let me = access.user_id();
    let may = has_role(
        &mut *conn,
        me,
        &["client_worker", "unit_supervisor"],
        &new.unit,
        &new.service_area,
    )
    .await?;
    if !may {
        return Err(g
            .deny(format!(
                "denied: the user has no client-work role in unit {} and service area {}",
                new.unit, new.service_area
            ))
            .await);
    }
    let (conn, _) = g.parts();
    let responsible = new.responsible_worker_id.unwrap_or(me);
    if !has_role(
        &mut *conn,
        responsible,
        &["client_worker"],
        &new.unit,
        &new.service_area,
    )
    .await?
    {
        return Err(invalid(
            "the responsible worker must be a client worker in that unit and service area",
        ));
    }
    let register: String = sqlx::query_scalar("SELECT register_id FROM sub_register WHERE id = $1")
        .bind(&new.service_area)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| invalid(format!("no service area {}", new.service_area)))?;
    let started = match new.started_on {
        Some(d) => d,
        None => {
            sqlx::query_scalar("SELECT kirjo_today()")
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on, responsible_worker_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(client)
    .bind(&register)
    .bind(&new.service_area)
    .bind(&new.unit)
    .bind(started)
    .bind(responsible)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO relationship_team_member (relationship_id, client_id, user_id, valid_from) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(client)
    .bind(responsible)
    .bind(started)
    .execute(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(id)).await?)
}

/// The relationship's client, unit, service area and responsible worker.
async fn relationship(
    pool: &PgPool,
    id: i64,
) -> Result<(i64, String, String, i64, Option<NaiveDate>, NaiveDate), GateError> {
    sqlx::query_as(
        "SELECT client_id, unit_id, sub_register_id, responsible_worker_id, ended_on, started_on
         FROM client_relationship WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| invalid(format!("no relationship {id}")))
}

async fn may_manage(
    conn: &mut PgConnection,
    me: i64,
    unit: &str,
    area: &str,
    responsible: i64,
) -> Result<bool, sqlx::Error> {
    Ok(
        me == responsible && has_role(&mut *conn, me, &["client_worker"], unit, area).await?
            || has_role(conn, me, &["unit_supervisor"], unit, area).await?,
    )
}

/// Ends a relationship on a date, with a reason; the team's memberships end
/// with it.
pub async fn end(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    id: i64,
    ended_on: NaiveDate,
    reason: &str,
) -> Result<(), GateError> {
    if reason.trim().is_empty() {
        return Err(invalid("ending a relationship needs a reason"));
    }
    let (client, unit, area, responsible, already, started) = relationship(pool, id).await?;
    if already.is_some() {
        return Err(invalid(format!("relationship {id} has already ended")));
    }
    if ended_on < started {
        return Err(invalid("a relationship cannot end before it started"));
    }
    let mut g = enter_on(
        pool,
        caller,
        settings,
        client,
        &format!("end relationship {id}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let may = may_manage(&mut *conn, access.user_id(), &unit, &area, responsible).await?;
    if !may {
        return Err(g.deny("denied: a relationship is ended by its responsible worker or the unit's supervisor").await);
    }
    let (conn, _) = g.parts();
    sqlx::query("UPDATE client_relationship SET ended_on = $2, end_reason = $3 WHERE id = $1 AND ended_on IS NULL")
        .bind(id)
        .bind(ended_on)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE relationship_team_member SET valid_until = $2
         WHERE relationship_id = $1 AND (valid_until IS NULL OR valid_until > $2) AND valid_from <= $2",
    )
    .bind(id)
    .bind(ended_on)
    .execute(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(())).await?)
}

/// A worker joins the team for a period.
#[derive(Debug, Clone, Deserialize)]
pub struct TeamMember {
    pub user_id: i64,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

pub async fn add_team_member(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    id: i64,
    m: &TeamMember,
) -> Result<(), GateError> {
    if m.valid_until.is_some_and(|u| u < m.valid_from) {
        return Err(invalid("valid_until is before valid_from"));
    }
    let (client, unit, area, responsible, ended, _) = relationship(pool, id).await?;
    if ended.is_some() {
        return Err(invalid(format!("relationship {id} has ended")));
    }
    let mut g = enter_on(
        pool,
        caller,
        settings,
        client,
        &format!("team of relationship {id}: add user {}", m.user_id),
    )
    .await?;
    let (conn, access) = g.parts();
    let may = may_manage(&mut *conn, access.user_id(), &unit, &area, responsible).await?;
    if !may {
        return Err(g
            .deny("denied: the team is changed by the responsible worker or the unit's supervisor")
            .await);
    }
    let (conn, _) = g.parts();
    if !has_role(&mut *conn, m.user_id, &["client_worker"], &unit, &area).await? {
        return Err(invalid(
            "a team member must be a client worker in the relationship's unit and service area",
        ));
    }
    let n = sqlx::query(
        "INSERT INTO relationship_team_member (relationship_id, client_id, user_id, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(client)
    .bind(m.user_id)
    .bind(m.valid_from)
    .bind(m.valid_until)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(invalid("that user is already on the team from that date"));
    }
    Ok(g.finish(Pending::new(())).await?)
}
