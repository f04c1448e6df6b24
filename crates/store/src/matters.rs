//! Matters (*asia*): opening one, joining documents to it, recording the
//! steps of its handling, and the lists of open matters against their
//! deadlines. The rules are in `kirjo_domain::matter`; who may do what is
//! the gate's, as for documents: a matter belongs to a service area, seen
//! with `ViewDocument` and written with `WriteDocument` in the areas where
//! the user has the client. Opening a matter and recording its steps is a
//! client worker's of the controller in that area (never an outsourced
//! provider's), as is the decision on starting an assessment (Child
//! Welfare Act §26: a social worker's).

use crate::gate::{
    enter_general, enter_on_client, Caller, GateError, GateSettings, Guarded, Pending,
};
use chrono::{DateTime, NaiveDate, Utc};
use kirjo_access::{Action, Role};
use kirjo_domain::matter::{
    check_phase, Clock, ClockRule, Phase, PhaseProblem, Recorded, StartedBy,
    CHILD_WELFARE_TASK_CODE,
};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, Row};

/// A matter to open.
#[derive(Debug, Clone)]
pub struct NewMatter {
    /// The service task; the matter's service area is the task's.
    pub service_task: String,
    pub started_by: StartedBy,
    /// The day it became pending (the day of receipt).
    pub started_on: NaiveDate,
    /// The document that started it (a notification, a contact, an
    /// application), joined to it.
    pub document_id: Option<i64>,
    /// The client receives the highest care allowance (Social Welfare Act
    /// §36(2)); Kirjo has no benefit data, so the worker states it.
    pub highest_care_allowance: bool,
}

/// A step to record.
#[derive(Debug, Clone)]
pub struct NewPhase {
    pub phase: Phase,
    pub on: NaiveDate,
    pub outcome: Option<String>,
}

/// What was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "result", content = "matter_id", rename_all = "snake_case")]
pub enum Opened {
    /// A new matter, its clock running from its start.
    New(i64),
    /// The client had an open matter in the area: the document joined it,
    /// and no new deadline started.
    Joined(i64),
}

/// Why what was asked cannot be done as given. Each is logged as a denied
/// attempt (the gate's refusal); the pages show it at its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatterProblem {
    /// No such service task.
    Task,
    /// The document is not the client's in that area, not of a kind that
    /// starts a matter this way, discarded, or already in a matter.
    Document,
    /// The client has an open matter in the area: join the document to it.
    OpenExists(i64),
    /// The start day is after today.
    StartedInFuture,
    Phase(PhaseProblem),
}

impl MatterProblem {
    pub fn explanation(self) -> String {
        match self {
            MatterProblem::Task => "no such service task".to_owned(),
            MatterProblem::Document => {
                "the document cannot start or join this matter (another client's or area's, a kind that does not start a matter, discarded, or in a matter already)".to_owned()
            }
            MatterProblem::OpenExists(id) => {
                format!("the client has an open matter {id} in this service area")
            }
            MatterProblem::StartedInFuture => "the start day is after today".to_owned(),
            MatterProblem::Phase(p) => p.explanation().to_owned(),
        }
    }
}

/// Refuses with `p`, logged as a denied attempt; `Ok(Err(p))` to answer.
async fn refuse<T>(g: Guarded, p: MatterProblem) -> Result<Result<T, MatterProblem>, GateError> {
    match g.refuse(p.explanation()).await {
        GateError::Invalid { .. } => Ok(Err(p)),
        other => Err(other),
    }
}

/// The unit of the user's client-worker role in `area`: who opens a
/// matter and records its steps. A provider's worker has none.
fn worker_unit(g: &Guarded, area: &str) -> Option<String> {
    g.access.actor().and_then(|a| {
        a.roles
            .iter()
            .find(|r| r.role == Role::ClientWorker && r.service_area.as_deref() == Some(area))
            .map(|r| r.unit.clone())
    })
}

/// Opens a matter on `client`, or joins its document to the open matter
/// of the area. `input` is `Err(why)` when the caller's own checks refused
/// it: the attempt is still decided and logged.
pub async fn open(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client: i64,
    input: Result<&NewMatter, &str>,
) -> Result<Result<Opened, MatterProblem>, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        client,
        "matter",
        None,
    )
    .await?;
    let m = match input {
        Ok(m) => m,
        Err(why) => return Err(g.refuse(why).await),
    };
    let (conn, _) = g.parts();
    let task: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT sub_register_id, code FROM service_task WHERE id = $1")
            .bind(&m.service_task)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((area, code)) = task else {
        return refuse(g, MatterProblem::Task).await;
    };
    if !g.access.areas().contains(&area) {
        return Err(g
            .deny("denied: not a service area where the user has the client")
            .await);
    }
    let Some(unit) = worker_unit(&g, &area) else {
        return Err(g
            .deny("denied: matters are opened by a client worker of the controller in that service area")
            .await);
    };
    let (conn, access) = g.parts();
    let user = access.user_id();
    let today: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    if m.started_on > today {
        return refuse(g, MatterProblem::StartedInFuture).await;
    }
    if let Some(doc) = m.document_id {
        let ok: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM document d
                            WHERE d.id = $1 AND d.client_id = $2 AND d.sub_register_id = $3
                              AND d.kind = ANY($4) AND d.state <> 'discarded' AND d.series_id IS NULL
                              AND NOT EXISTS (SELECT 1 FROM matter_document md WHERE md.document_id = d.id))",
        )
        .bind(doc)
        .bind(client)
        .bind(&area)
        .bind(m.started_by.document_kinds())
        .fetch_one(&mut *conn)
        .await?;
        if !ok {
            return refuse(g, MatterProblem::Document).await;
        }
    }
    // One open matter per client and area; the row lock keeps a second
    // notification arriving at the same moment from opening another.
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM matter WHERE client_id = $1 AND sub_register_id = $2 AND closed_on IS NULL FOR UPDATE",
    )
    .bind(client)
    .bind(&area)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(open) = open {
        let Some(doc) = m.document_id else {
            return refuse(g, MatterProblem::OpenExists(open)).await;
        };
        join(conn, open, doc, user).await?;
        return Ok(Ok(g.finish(Pending::new(Opened::Joined(open))).await?));
    }
    let (birth, register): (NaiveDate, String) =
        sqlx::query_as("SELECT birth_date, register_id FROM person WHERE id = $1")
            .bind(client)
            .fetch_one(&mut *conn)
            .await?;
    let rule = ClockRule::of(
        birth,
        m.started_on,
        code.as_deref() == Some(CHILD_WELFARE_TASK_CODE),
        m.highest_care_allowance,
    );
    let due = kirjo_domain::matter::Deadlines::of(rule, m.started_on);
    // A concurrent opening loses at the unique index of open matters.
    sqlx::query("SAVEPOINT open_matter")
        .execute(&mut *conn)
        .await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO matter (client_id, register_id, sub_register_id, service_task_id, unit_id,
                             responsible_worker_id, started_by, started_on, clock, highest_care_allowance,
                             start_due, completion_due, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $6) RETURNING id",
    )
    .bind(client)
    .bind(&register)
    .bind(&area)
    .bind(&m.service_task)
    .bind(&unit)
    .bind(user)
    .bind(m.started_by.as_str())
    .bind(m.started_on)
    .bind(rule.as_str())
    .bind(m.highest_care_allowance)
    .bind(due.start_due)
    .bind(due.completion_due)
    .fetch_one(&mut *conn)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("matter_one_open") => {
            sqlx::query("ROLLBACK TO SAVEPOINT open_matter")
                .execute(&mut *conn)
                .await?;
            let open: i64 = sqlx::query_scalar(
                "SELECT id FROM matter WHERE client_id = $1 AND sub_register_id = $2 AND closed_on IS NULL",
            )
            .bind(client)
            .bind(&area)
            .fetch_one(&mut *conn)
            .await?;
            return refuse(g, MatterProblem::OpenExists(open)).await;
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(doc) = m.document_id {
        join(conn, id, doc, user).await?;
    }
    Ok(Ok(g.finish(Pending::new(Opened::New(id))).await?))
}

async fn join(conn: &mut PgConnection, matter: i64, doc: i64, user: i64) -> Result<(), GateError> {
    sqlx::query(
        "INSERT INTO matter_document (document_id, matter_id, joined_by) VALUES ($1, $2, $3)",
    )
    .bind(doc)
    .bind(matter)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The client of a matter, for the gate; 0 (no person) when there is no
/// such matter, so that the gate logs the attempt and answers "no such
/// client" exactly as for an unknown client.
async fn client_of(pool: &sqlx::PgPool, matter: i64) -> Result<i64, GateError> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT client_id FROM matter WHERE id = $1")
            .bind(matter)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

/// Enters the gate for `action` on the client of `matter` (an unknown
/// matter is logged and answered as an unknown client).
async fn enter_on_matter(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    action: Action,
    matter: i64,
) -> Result<Guarded, GateError> {
    let client = client_of(pool, matter).await?;
    enter_on_client(
        pool,
        caller,
        settings,
        action,
        client,
        &format!("matter:{matter}"),
        None,
    )
    .await
}

/// Records a step of a matter's handling, once. `input` is `Err(why)`
/// when the caller's own checks refused it: still decided and logged.
pub async fn record_phase(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    matter: i64,
    input: Result<&NewPhase, &str>,
) -> Result<Result<(), MatterProblem>, GateError> {
    let mut g = enter_on_matter(pool, caller, settings, Action::WriteDocument, matter).await?;
    let (conn, _) = g.parts();
    let (area, clock, started_on): (String, String, NaiveDate) = sqlx::query_as(
        "SELECT sub_register_id, clock, started_on FROM matter WHERE id = $1 FOR UPDATE",
    )
    .bind(matter)
    .fetch_one(&mut *conn)
    .await?;
    if !g.access.areas().contains(&area) {
        return Err(g
            .deny("denied: not a service area where the user has the client")
            .await);
    }
    if worker_unit(&g, &area).is_none() {
        return Err(g
            .deny("denied: a matter's steps are recorded by a client worker of the controller in its service area")
            .await);
    }
    let p = match input {
        Ok(p) => p,
        Err(why) => return Err(g.refuse(why).await),
    };
    let (conn, access) = g.parts();
    let done = phases_of(conn, matter).await?;
    let today: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    let rule = ClockRule::parse(&clock).unwrap_or(ClockRule::NoStatutoryDeadline);
    let new = Recorded {
        phase: p.phase,
        on: p.on,
        outcome: p.outcome.clone(),
    };
    let done_as: Vec<Recorded> = done.iter().map(PhaseRow::recorded).collect();
    if let Err(problem) = check_phase(rule, started_on, &done_as, &new, today) {
        return refuse(g, MatterProblem::Phase(problem)).await;
    }
    let name = access.actor().map(|a| a.name.clone()).unwrap_or_default();
    sqlx::query(
        "INSERT INTO matter_phase (matter_id, phase, on_date, outcome, recorded_by, recorded_by_name)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(matter)
    .bind(p.phase.as_str())
    .bind(p.on)
    .bind(p.outcome.as_deref())
    .bind(access.user_id())
    .bind(&name)
    .execute(&mut *conn)
    .await?;
    if p.phase == Phase::Closed {
        sqlx::query("UPDATE matter SET closed_on = $2 WHERE id = $1")
            .bind(matter)
            .bind(p.on)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Ok(g.finish(Pending::new(())).await?))
}

/// A recorded step, with who recorded it and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhaseRow {
    pub phase: String,
    pub on: NaiveDate,
    pub outcome: Option<String>,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

impl PhaseRow {
    fn recorded(&self) -> Recorded {
        Recorded {
            phase: Phase::parse(&self.phase).unwrap_or(Phase::Closed),
            on: self.on,
            outcome: self.outcome.clone(),
        }
    }
}

async fn phases_of(conn: &mut PgConnection, matter: i64) -> Result<Vec<PhaseRow>, GateError> {
    let rows = sqlx::query(
        "SELECT phase, on_date, outcome, recorded_by_name, recorded_at FROM matter_phase
         WHERE matter_id = $1 ORDER BY on_date, recorded_at",
    )
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PhaseRow {
                phase: r.try_get("phase")?,
                on: r.try_get("on_date")?,
                outcome: r.try_get("outcome")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_at: r.try_get("recorded_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(GateError::from)
}

/// A matter on a list, with its clock on the day.
#[derive(Debug, Clone, Serialize)]
pub struct MatterLine {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub service_area: String,
    pub service_task: String,
    pub unit: String,
    pub responsible_worker_id: i64,
    pub responsible_name: String,
    pub started_by: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub highest_care_allowance: bool,
    pub phases: Vec<PhaseRow>,
    pub clock: Clock,
}

/// The columns of a matter line; `m` is the matter.
const LINE_COLUMNS: &str = "m.id, m.client_id, p.first_names || ' ' || p.surname AS client_name,
       m.sub_register_id, m.service_task_id, m.unit_id, m.responsible_worker_id, w.name AS responsible_name,
       m.started_by, m.started_on, m.closed_on, m.clock, m.highest_care_allowance,
       m.start_due, m.completion_due, kirjo_today() AS today,
       (SELECT coalesce(json_agg(json_build_object('phase', f.phase, 'on', f.on_date, 'outcome', f.outcome,
                                 'recorded_by_name', f.recorded_by_name, 'recorded_at', f.recorded_at)
                                 ORDER BY f.on_date, f.recorded_at), '[]')
        FROM matter_phase f WHERE f.matter_id = m.id) AS phases";

const LINE_FROM: &str =
    "FROM matter m JOIN person p ON p.id = m.client_id JOIN staff_user w ON w.id = m.responsible_worker_id";

/// A matter line from its row, its clock judged on the row's `today` with
/// the deadlines stored when the matter was opened.
fn line(r: &sqlx::postgres::PgRow) -> Result<MatterLine, GateError> {
    let today: NaiveDate = r.try_get("today")?;
    let phases: Vec<PhaseRow> = serde_json::from_value(r.try_get("phases")?)
        .map_err(|e| GateError::from(sqlx::Error::Decode(Box::new(e))))?;
    let rule =
        ClockRule::parse(r.try_get::<&str, _>("clock")?).unwrap_or(ClockRule::NoStatutoryDeadline);
    let started_on: NaiveDate = r.try_get("started_on")?;
    let done: Vec<Recorded> = phases.iter().map(PhaseRow::recorded).collect();
    Ok(MatterLine {
        id: r.try_get("id")?,
        client_id: r.try_get("client_id")?,
        client_name: r.try_get("client_name")?,
        service_area: r.try_get("sub_register_id")?,
        service_task: r.try_get("service_task_id")?,
        unit: r.try_get("unit_id")?,
        responsible_worker_id: r.try_get("responsible_worker_id")?,
        responsible_name: r.try_get("responsible_name")?,
        started_by: r.try_get("started_by")?,
        started_on,
        closed_on: r.try_get("closed_on")?,
        highest_care_allowance: r.try_get("highest_care_allowance")?,
        clock: Clock::with_deadlines(
            rule,
            started_on,
            kirjo_domain::matter::Deadlines {
                start_due: r.try_get("start_due")?,
                completion_due: r.try_get("completion_due")?,
            },
            &done,
            today,
        ),
        phases,
    })
}

/// A client's matters in the service areas where the user may read the
/// client's documents, newest first.
pub async fn of_client(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client: i64,
) -> Result<Vec<MatterLine>, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::ViewDocument,
        client,
        "matters",
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(&of_client_sql())
        .bind(client)
        .bind(access.document_areas())
        .fetch_all(&mut *conn)
        .await?;
    let lines = rows.iter().map(line).collect::<Result<Vec<_>, _>>()?;
    Ok(g.finish(Pending::new(lines)).await?)
}

/// [`of_client`]'s query. Binds: $1 the client, $2 the areas.
pub fn of_client_sql() -> String {
    format!(
        "SELECT {LINE_COLUMNS} {LINE_FROM}
         WHERE m.client_id = $1 AND m.sub_register_id = ANY($2)
         ORDER BY m.started_on DESC, m.id DESC"
    )
}

/// A document of a matter.
#[derive(Debug, Clone, Serialize)]
pub struct MatterDocument {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

/// A matter with its documents.
#[derive(Debug, Clone, Serialize)]
pub struct MatterView {
    #[serde(flatten)]
    pub matter: MatterLine,
    pub documents: Vec<MatterDocument>,
    /// Whether the user may record its steps (the page offers the forms;
    /// the recording itself goes through the gate).
    pub may_record: bool,
}

/// One matter, if the user may read the client's documents in its area.
pub async fn read(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    matter: i64,
) -> Result<MatterView, GateError> {
    let mut g = enter_on_matter(pool, caller, settings, Action::ViewDocument, matter).await?;
    let (conn, access) = g.parts();
    let row = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} {LINE_FROM} WHERE m.id = $1"
    ))
    .bind(matter)
    .fetch_one(&mut *conn)
    .await?;
    let line = line(&row)?;
    if !access.document_areas().contains(&line.service_area) {
        return Err(g
            .deny("denied: not a service area where the user may read the client's documents")
            .await);
    }
    let docs = sqlx::query(
        "SELECT d.id, d.name, d.kind, d.state, d.author_name, d.created_at
         FROM matter_document md JOIN document d ON d.id = md.document_id
         WHERE md.matter_id = $1 ORDER BY d.created_at, d.id",
    )
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?;
    let documents = docs
        .iter()
        .map(|r| {
            Ok(MatterDocument {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                state: r.try_get("state")?,
                author_name: r.try_get("author_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let may_record = access.would_allow(Action::WriteDocument)
        && worker_unit(&g, &line.service_area).is_some()
        && line.closed_on.is_none();
    Ok(g.finish(Pending::new(MatterView {
        matter: line,
        documents,
        may_record,
    }))
    .await?)
}

/// The units the user supervises (sorted, once each): what a supervisor's
/// list and figures cover.
pub fn supervised_units(g: &Guarded) -> Vec<String> {
    let mut units: Vec<String> = g
        .access
        .actor()
        .map(|a| {
            a.roles
                .iter()
                .filter(|r| r.role == Role::UnitSupervisor)
                .map(|r| r.unit.clone())
                .collect()
        })
        .unwrap_or_default();
    units.sort();
    units.dedup();
    units
}

/// Which open matters a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenList {
    /// Those the user is responsible for.
    Mine,
    /// Those of the units the user supervises.
    MyUnits,
}

/// Open matters against their deadlines, late first (then the nearest
/// deadline), each of a client the user may see in the matter's area: a
/// logged use like a search.
pub async fn open_list(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    which: OpenList,
) -> Result<Vec<MatterLine>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::Search,
        match which {
            OpenList::Mine => "my open matters",
            OpenList::MyUnits => "the unit's open matters",
        },
    )
    .await?;
    let units = supervised_units(&g);
    let (conn, access) = g.parts();
    let rows = match which {
        OpenList::Mine => {
            sqlx::query(&open_mine_sql())
                .bind(access.user_id())
                .fetch_all(&mut *conn)
                .await?
        }
        OpenList::MyUnits => {
            sqlx::query(&open_units_sql())
                .bind(access.user_id())
                .bind(&units)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    let mut lines = rows.iter().map(line).collect::<Result<Vec<_>, _>>()?;
    lines.sort_by(|a, b| {
        b.clock
            .urgency()
            .cmp(&a.clock.urgency())
            .then(a.started_on.cmp(&b.started_on))
            .then(a.id.cmp(&b.id))
    });
    g.record_shown(&lines.iter().map(|l| l.client_id).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(lines)).await?)
}

/// The user's open matters. Binds: $1 the user. By the index of open
/// matters by worker, each checked against the user's visible set.
pub fn open_mine_sql() -> String {
    format!(
        "SELECT {LINE_COLUMNS} {LINE_FROM}
         WHERE m.responsible_worker_id = $1 AND m.closed_on IS NULL
           AND (m.client_id, m.sub_register_id) IN (SELECT client_id, sub_register_id FROM ({}) v)",
        crate::gate::visible_set(1)
    )
}

/// The open matters of the units the user supervises. Binds: $1 the user,
/// $2 the units.
pub fn open_units_sql() -> String {
    format!(
        "SELECT {LINE_COLUMNS} {LINE_FROM}
         WHERE m.unit_id = ANY($2) AND m.closed_on IS NULL
           AND (m.client_id, m.sub_register_id) IN (SELECT client_id, sub_register_id FROM ({}) v)",
        crate::gate::visible_set(1)
    )
}
