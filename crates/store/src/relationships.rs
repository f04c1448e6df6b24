//! Client relationships (asiakkuus): opened in a unit and service area with
//! a responsible worker, staffed with a team, ended with a date and a
//! reason. Never deleted. The gate decides `ManageRelationship` by role;
//! here the unit and service area are checked: a worker or supervisor opens
//! relationships where they work, and a relationship is ended or staffed by
//! its responsible worker or the unit's supervisor.

use crate::gate::{Caller, GateError, GateSettings, Pending};
use chrono::NaiveDate;
use kirjo_access::AccessSettings;
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

/// The client workers of a unit and service area today, by name: whom a
/// supervisor may name as a relationship's responsible worker. Staff
/// names only, no client data.
pub async fn client_workers(
    pool: &sqlx::PgPool,
    unit: &str,
    area: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.name FROM role_grant g JOIN staff_user u ON u.id = g.user_id
          WHERE g.role = 'client_worker' AND g.unit_id = $1 AND g.sub_register_id = $2
            AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
            AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)
          ORDER BY u.name",
    )
    .bind(unit)
    .bind(area)
    .fetch_all(pool)
    .await
}

/// The document kinds that start client work in a service area: a child
/// welfare notification, an application, a contact or intake received by
/// the unit. A relationship may be opened on one of these, for that client
/// in that service area.
pub const OPENING_DOCUMENT_KINDS: [&str; 3] =
    ["child_welfare_notification", "application", "intake"];

/// What a client relationship is opened on (703/2023 §9: a relationship the
/// system can verify, never a worker's wish alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// A document that starts client work, for the client in the area
    /// ([`OPENING_DOCUMENT_KINDS`]), by its id.
    Document(i64),
    /// An assignment by the unit's supervisor, who opens it naming the
    /// responsible worker.
    Assignment,
    /// A configured purpose with the user's own words, where the service
    /// area allows opening from outside and the client is not served in an
    /// area that forbids it; flagged for review.
    Purpose(kirjo_access::StatedPurpose),
}

impl Basis {
    pub fn kind(&self) -> &'static str {
        match self {
            Basis::Document(_) => "document",
            Basis::Assignment => "assignment",
            Basis::Purpose(_) => "purpose",
        }
    }
}

/// A new relationship.
#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub service_area: String,
    pub unit: String,
    /// Default: the user opening it.
    pub responsible_worker_id: Option<i64>,
    /// Default: today. A day in the past needs `backdating_reason`.
    pub started_on: Option<NaiveDate>,
    /// None only together with `problems` (what was wrong with the input).
    pub basis: Option<Basis>,
    pub backdating_reason: Option<String>,
}

/// The explanation of a refusal at one field of the input ("refused:
/// FIELD: why"), as [`open`] writes it: the caller answers at that field.
pub fn refused_field(e: &GateError) -> Option<&str> {
    match e {
        GateError::Invalid { explanation } => explanation
            .strip_prefix("refused: ")
            .and_then(|r| r.split_once(':'))
            .map(|(field, _)| field),
        _ => None,
    }
}

/// What the use log keeps as the purpose of opening: the basis, with the
/// user's words (the use log is where free text belongs).
fn basis_in_words(new: &NewRelationship) -> String {
    let basis = match &new.basis {
        Some(Basis::Document(id)) => format!("basis: document {id}"),
        Some(Basis::Assignment) => "basis: assignment by the unit's supervisor".to_owned(),
        Some(Basis::Purpose(p)) => format!("basis: purpose {}: {}", p.purpose_id, p.text),
        None => "basis: none given".to_owned(),
    };
    match new.backdating_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => format!("{basis}; backdated: {r}"),
        _ => basis,
    }
}

/// Whether `user` may see `client` today by the list rules (a relationship
/// or a commission: the same as the gate's `ViewBasicData`).
async fn sees(conn: &mut PgConnection, user: i64, client: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM person p WHERE p.id = $2 AND {})",
        crate::gate::visible_clients_predicate(1)
    ))
    .bind(user)
    .bind(client)
    .fetch_one(conn)
    .await
}

/// Opens a relationship of `client` in a unit and service area, on a basis
/// Kirjo records: the user must hold a client-work role there (else 403);
/// `problems`, when the caller found the input wanting, refuses it (422)
/// after that; then the basis is checked (a document that starts client
/// work for this client in this area; an assignment only by the unit's
/// supervisor; a purpose only where the area allows opening from outside
/// and the client is not served in an area that forbids it). Every refusal
/// leaves its denied row. A relationship on a person the opener or the
/// responsible worker could not already see is flagged
/// (`relationship_opened`) for the unit's supervisor and the data
/// protection officer, as is one opened by a purpose and one backdated.
pub async fn open(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client: i64,
    new: &NewRelationship,
    problems: Option<&str>,
) -> Result<i64, GateError> {
    let words = basis_in_words(new);
    let mut g = crate::gate::enter(
        pool,
        caller,
        settings,
        &crate::gate::Request {
            action: Action::ManageRelationship,
            client_id: Some(client),
            data: &format!(
                "open relationship in {} (unit {})",
                new.service_area, new.unit
            ),
            purpose: None,
            reason: Some(&words),
        },
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
    if let Some(problems) = problems {
        return Err(g.refuse(format!("refused: {problems}")).await);
    }
    let Some(basis) = &new.basis else {
        return Err(g.refuse("refused: basis: required").await);
    };
    let (conn, _) = g.parts();
    let supervisor = has_role(
        &mut *conn,
        me,
        &["unit_supervisor"],
        &new.unit,
        &new.service_area,
    )
    .await?;
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
        return Err(g
            .refuse("refused: responsible_worker_id: the responsible worker must be a client worker in that unit and service area")
            .await);
    }
    let (register, today): (String, NaiveDate) =
        sqlx::query_as("SELECT register_id, kirjo_today() FROM sub_register WHERE id = $1")
            .bind(&new.service_area)
            .fetch_one(&mut *conn)
            .await?;
    match basis {
        Basis::Document(id) => {
            let starts: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM document WHERE id = $1 AND client_id = $2
                                  AND sub_register_id = $3 AND kind = ANY($4) AND state <> 'discarded')",
            )
            .bind(id)
            .bind(client)
            .bind(&new.service_area)
            .bind(&OPENING_DOCUMENT_KINDS[..])
            .fetch_one(&mut *conn)
            .await?;
            if !starts {
                // The same words whether the id exists or not, is another
                // client's or another area's: no oracle.
                return Err(g
                    .refuse("refused: document_id: not a document that starts client work for this client in this service area")
                    .await);
            }
        }
        Basis::Assignment => {
            if !supervisor {
                return Err(g
                    .deny("denied: an assignment is made by the unit's supervisor, who opens the relationship naming the worker")
                    .await);
            }
        }
        Basis::Purpose(p) => {
            if !settings.is_configured_purpose(&p.purpose_id) || p.text.trim().is_empty() {
                return Err(g
                    .refuse("refused: purpose: a configured purpose and the user's own words are needed")
                    .await);
            }
            if !settings.outside_access_allowed(&new.service_area) {
                return Err(g
                    .deny(format!(
                        "denied: {} does not allow opening a client from outside by a stated purpose",
                        new.service_area
                    ))
                    .await);
            }
            let served: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT sub_register_id FROM client_relationship
                 WHERE client_id = $1 AND started_on <= kirjo_today()
                   AND (ended_on IS NULL OR kirjo_today() <= ended_on)",
            )
            .bind(client)
            .fetch_all(&mut *conn)
            .await?;
            if let Some(area) = served.iter().find(|a| !settings.outside_access_allowed(a)) {
                return Err(g
                    .deny(format!(
                        "denied: the client is served in {area}, which does not allow access from outside by a stated purpose"
                    ))
                    .await);
            }
        }
    }
    let started = new.started_on.unwrap_or(today);
    let backdating = new
        .backdating_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let backdated = started < today;
    if backdated && backdating.is_none() {
        return Err(g
            .refuse("refused: backdating_reason: a start in the past needs a reason")
            .await);
    }
    let (conn, access) = g.parts();
    let use_log_id = access.use_log_id();
    let new_to_them =
        !sees(&mut *conn, me, client).await? || !sees(&mut *conn, responsible, client).await?;
    let (document, assigned_by, purpose_id, purpose_text) = match basis {
        Basis::Document(id) => (Some(*id), None, None, None),
        Basis::Assignment => (None, Some(me), None, None),
        Basis::Purpose(p) => (
            None,
            None,
            Some(p.purpose_id.clone()),
            Some(p.text.trim().to_owned()),
        ),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on,
                                          responsible_worker_id, basis, basis_document_id, assigned_by,
                                          purpose_id, purpose_text, backdating_reason, opened_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(client)
    .bind(&register)
    .bind(&new.service_area)
    .bind(&new.unit)
    .bind(started)
    .bind(responsible)
    .bind(basis.kind())
    .bind(document)
    .bind(assigned_by)
    .bind(purpose_id)
    .bind(purpose_text)
    .bind(backdated.then_some(backdating).flatten())
    .bind(me)
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
    let kinds = [
        ("relationship_opened", new_to_them),
        (
            "relationship_by_purpose",
            matches!(basis, Basis::Purpose(_)),
        ),
        ("relationship_backdated", backdated),
    ];
    for (kind, raise) in kinds {
        if raise {
            sqlx::query(
                "INSERT INTO access_flag (use_log_id, kind, client_id, user_id, unit_id) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(use_log_id)
            .bind(kind)
            .bind(client)
            .bind(me)
            .bind(&new.unit)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(g.finish(Pending::new(id)).await?)
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
    // An unknown relationship answers as an unknown client does (404).
    .ok_or(GateError::NoSuchClient)
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
    // Ended once: an end racing another (read as not ended above, ended
    // by the time it is written) writes nothing, its team ends included,
    // and is answered as the end that came second (docs/concurrency.md).
    let ended = sqlx::query("UPDATE client_relationship SET ended_on = $2, end_reason = $3 WHERE id = $1 AND ended_on IS NULL")
        .bind(id)
        .bind(ended_on)
        .bind(reason)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if ended == 0 {
        let why = g
            .log_refusal(format!("refused: relationship {id} has already ended"))
            .await?;
        return Err(invalid(why));
    }
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
