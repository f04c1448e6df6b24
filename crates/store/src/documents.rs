//! Client documents through the gate: drafts that their author edits,
//! completes or discards; completed versions that are never changed, only
//! corrected by a new version; and the client's timeline. A document
//! belongs to a service area, and a user reads only the documents of the
//! areas where their relationship (or commission, or stated purpose) gives
//! them the client; a draft is its author's alone. The metadata of
//! 703/2023 §37-38 are written by Kirjo from the database, never taken
//! from the request.

use crate::gate::{Caller, GateError, GateSettings, Guarded, Pending};
use chrono::{DateTime, NaiveDate, Utc};
use kirjo_access::{Action, StatedPurpose};
use kirjo_domain::contact::Lang;
use kirjo_domain::document::{Content, Narrative};
use kirjo_domain::register::DecisionDefinition;
use serde::Serialize;
use sqlx::Row;

/// One version of a document, with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub id: i64,
    /// The first version's id: the document across its versions.
    pub series_id: i64,
    pub version: i32,
    pub client_id: i64,
    pub service_area: String,
    pub kind: String,
    pub content: serde_json::Value,
    pub name: String,
    pub definition_oid: String,
    pub client_name: String,
    pub client_identity_code: Option<String>,
    pub organiser: String,
    pub producer: String,
    pub author_id: i64,
    pub author_name: String,
    pub author_title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub state: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub corrects_id: Option<i64>,
    pub correction_reason: Option<String>,
    /// A later version corrects this one.
    pub superseded: bool,
    /// Raised by the database on every change in place (a draft's edit,
    /// completion or discarding): an edit names the revision it was made
    /// from, and a stale one is refused (docs/concurrency.md).
    pub revision: i64,
}

const COLUMNS: &str =
    "d.id, coalesce(d.series_id, d.id) AS series, d.version, d.client_id, d.sub_register_id,
    d.kind, d.content, d.name, d.definition_oid, d.client_name, d.client_identity_code, d.organiser,
    d.producer, d.author_id, d.author_name, d.author_title, d.created_at, d.updated_at, d.state,
    d.completed_at, d.corrects_id, d.correction_reason,
    EXISTS (SELECT 1 FROM document n WHERE n.corrects_id = d.id) AS superseded, d.revision";

fn document(r: &sqlx::postgres::PgRow) -> Result<Document, sqlx::Error> {
    Ok(Document {
        id: r.try_get("id")?,
        series_id: r.try_get("series")?,
        version: r.try_get("version")?,
        client_id: r.try_get("client_id")?,
        service_area: r.try_get("sub_register_id")?,
        kind: r.try_get("kind")?,
        content: r.try_get("content")?,
        name: r.try_get("name")?,
        definition_oid: r.try_get("definition_oid")?,
        client_name: r.try_get("client_name")?,
        client_identity_code: r.try_get("client_identity_code")?,
        organiser: r.try_get("organiser")?,
        producer: r.try_get("producer")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        author_title: r.try_get("author_title")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        state: r.try_get("state")?,
        completed_at: r.try_get("completed_at")?,
        corrects_id: r.try_get("corrects_id")?,
        correction_reason: r.try_get("correction_reason")?,
        superseded: r.try_get("superseded")?,
        revision: r.try_get("revision")?,
    })
}

use crate::gate::enter_on_client as on_client;

/// The client a document is of (to decide on it), if it exists. Reads only
/// the id, before the gate.
pub async fn client_of(pool: &sqlx::PgPool, document_id: i64) -> crate::Result<Option<i64>> {
    Ok(sqlx::query_scalar(CLIENT_OF_SQL)
        .bind(document_id)
        .fetch_optional(pool)
        .await?)
}

/// The national definition a document is written to: a decision's by its
/// service task (`service_task.decision_definition`), every other kind's
/// by the kind.
pub fn definition_of(content: &Content, decision_definition: Option<&str>) -> &'static str {
    match (
        content.kind(),
        decision_definition.and_then(DecisionDefinition::parse),
    ) {
        ("decision", Some(d)) => d.oid(),
        _ => content.definition_oid(),
    }
}

/// [`client_of`]'s query. Binds: $1 the document.
pub const CLIENT_OF_SQL: &str = "SELECT client_id FROM document WHERE id = $1";

/// The explanation of a document refused for a day before the client's
/// birth ([`GateError::Invalid`]): the pages show it at the date field.
pub const BEFORE_BIRTH: &str = "the document's date is before the client's birth";

/// Whether the content's day falls before the client's birth
/// (`kirjo_domain::edge::past_day_of_client`), asked after the gate so
/// that the answer says nothing to whom the gate refused: the refusal's
/// explanation, or None.
async fn outside_life(
    g: &mut Guarded,
    client_id: i64,
    content: &Content,
) -> Result<Option<String>, GateError> {
    let Some(day) = content.day_in_life() else {
        return Ok(None);
    };
    let (conn, _) = g.parts();
    let born: Option<chrono::NaiveDate> =
        sqlx::query_scalar("SELECT birth_date FROM person WHERE id = $1")
            .bind(client_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    Ok(
        match kirjo_domain::edge::past_day_of_client(day, born, chrono::NaiveDate::MAX) {
            Err(_) => Some(BEFORE_BIRTH.to_owned()),
            Ok(_) => None,
        },
    )
}

/// Starts a document as a draft of the user's, in the service area whose
/// relationship lets them write (`WriteDocument`), under one of that
/// area's service tasks.
pub async fn create(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    service_task: &str,
    content: &Content,
) -> Result<i64, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        client_id,
        &format!("document: new {}", content.kind()),
        None,
    )
    .await?;
    let Some(area) = g.access.decision().service_area.clone() else {
        return Err(g
            .deny("denied: a document belongs to a service area, and no relationship gives one")
            .await);
    };
    let (conn, _) = g.parts();
    let task: Option<(String, Option<Vec<String>>, Option<String>)> = sqlx::query_as(
        "SELECT sub_register_id, document_kinds, decision_definition FROM service_task WHERE id = $1 AND in_configuration",
    )
    .bind(service_task)
    .fetch_optional(&mut *conn)
    .await?;
    let (task_area, kinds, decision_definition) = match task {
        Some((a, k, d)) => (Some(a), Some(k), d),
        None => (None, None, None),
    };
    if task_area.as_deref() != Some(area.as_str()) {
        return Err(g
            .deny(format!(
                "denied: the service task `{service_task}` is not one of {area}, where the user writes"
            ))
            .await);
    }
    if let Some(Some(kinds)) = kinds {
        if !kinds.iter().any(|k| k == content.kind()) {
            return Err(g
                .deny(format!(
                    "denied: a document of kind `{}` is not written under the service task `{service_task}` (its kinds: {})",
                    content.kind(),
                    kinds.join(", ")
                ))
                .await);
        }
    }
    if let Some(why) = outside_life(&mut g, client_id, content).await? {
        return Err(g.refuse(why).await);
    }
    let (conn, _) = g.parts();
    if let Some(why) = crate::decisions::check_named(&mut *conn, content, &area).await? {
        return Err(g.refuse(why).await);
    }
    let (conn, access) = g.parts();
    let id: i64 = sqlx::query_scalar(INSERT_DOCUMENT)
        .bind(client_id)
        .bind(&area)
        .bind(content.to_json())
        .bind(content.name(Lang::Fi))
        .bind(definition_of(content, decision_definition.as_deref()))
        .bind(access.user_id())
        .bind(service_task)
        .bind(content.kind())
        .bind(None::<DateTime<Utc>>)
        .bind(false)
        .fetch_one(&mut *conn)
        .await?;
    if !kirjo_domain::matter::StartedBy::any_starts_with(content.kind()) {
        // The client's open matter in the area (at most one) takes it.
        sqlx::query(JOIN_OPEN_MATTER)
            .bind(id)
            .bind(client_id)
            .bind(&area)
            .bind(access.user_id())
            .execute(&mut *conn)
            .await?;
    }
    Ok(g.finish(Pending::new(id)).await?)
}

/// Joins a new document to the client's open matter in its area, if there
/// is one. Binds: $1 document, $2 client, $3 area, $4 the author. By the
/// unique index of open matters.
pub const JOIN_OPEN_MATTER: &str = "INSERT INTO matter_document (document_id, matter_id, joined_by)
     SELECT $1, m.id, $4 FROM matter m
     WHERE m.client_id = $2 AND m.sub_register_id = $3 AND m.closed_on IS NULL";

/// Writes a document with its metadata (703/2023 §37-38) read from the
/// database: the client's names and identity code, the organiser, the
/// producer (the author's provider, or the unit of their role in the area,
/// or the organiser), and the author's name and title. Binds: $1 client,
/// $2 service area, $3 content, $4 name, $5 definition, $6 author, $7
/// service task, $8 kind, $9 when written (NULL: now), $10 completed.
/// [`create`] writes a draft with it after the gate; the demo loader writes
/// its history with it.
pub const INSERT_DOCUMENT: &str =
    "INSERT INTO document (client_id, register_id, sub_register_id, service_task_id, kind, content, name,
                           definition_oid, client_first_names, client_surname, client_identity_code,
                           organiser, producer, author_id, author_name, author_title,
                           created_at, updated_at, state, completed_at)
     SELECT p.id, p.register_id, $2, $7, $8, $3, $4, $5,
            p.first_names, p.surname, p.identity_code,
            (SELECT name FROM controller WHERE id = 1),
            coalesce((SELECT pr.name FROM staff_user su JOIN provider pr ON pr.id = su.provider_id WHERE su.id = $6),
                     (SELECT u.name_fi FROM role_grant g JOIN unit u ON u.id = g.unit_id
                      WHERE g.user_id = $6 AND g.sub_register_id = $2 AND g.ended_at IS NULL ORDER BY g.id LIMIT 1),
                     (SELECT name FROM controller WHERE id = 1)),
            su.id, su.name, su.title,
            coalesce($9, now()), coalesce($9, now()),
            CASE WHEN $10 THEN 'completed' ELSE 'draft' END,
            CASE WHEN $10 THEN coalesce($9, now()) END
     FROM person p, staff_user su WHERE p.id = $1 AND su.id = $6
     RETURNING id";

/// What may be done to a draft, by its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStep {
    Edit,
    Complete,
    Discard,
}

/// A document's row as the checks of writing need it.
struct DocFacts {
    author: i64,
    state: String,
    superseded: bool,
    kind: String,
    content: serde_json::Value,
    revision: i64,
}

impl DocFacts {
    /// Why the user may not change this document as their own draft, if so.
    fn own_draft(&self, id: i64, user: i64) -> Result<(), String> {
        if self.author != user {
            Err(format!("denied: document {id} is a draft of another user"))
        } else {
            self.still_draft(id)
        }
    }

    fn still_draft(&self, id: i64) -> Result<(), String> {
        if self.state != "draft" {
            Err(format!(
                "denied: document {id} is {}; a completed document is corrected, never changed",
                self.state
            ))
        } else {
            Ok(())
        }
    }
}

/// Client, area, author, state, superseded, kind, content, revision.
type FactsRow = (
    i64,
    String,
    i64,
    String,
    bool,
    String,
    serde_json::Value,
    i64,
);

/// Document `id`, if it is the client's and in a service area the access
/// reaches; otherwise why not (for `Guarded::deny`).
async fn writable(
    g: &mut Guarded,
    client_id: i64,
    id: i64,
) -> Result<Result<DocFacts, String>, sqlx::Error> {
    let (conn, access) = g.parts();
    let row: Option<FactsRow> = sqlx::query_as(
        "SELECT d.client_id, d.sub_register_id, d.author_id, d.state,
                EXISTS (SELECT 1 FROM document n WHERE n.corrects_id = d.id), d.kind, d.content,
                d.revision
         FROM document d WHERE d.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let Some((doc_client, area, author, state, superseded, kind, content, revision)) = row else {
        return Ok(Err(format!("denied: no document {id}")));
    };
    if doc_client != client_id || !access.areas().contains(&area) {
        return Ok(Err(format!(
            "denied: document {id} is not in a service area the user may write in"
        )));
    }
    Ok(Ok(DocFacts {
        author,
        state,
        superseded,
        kind,
        content,
        revision,
    }))
}

/// The explanation of a refused stale edit (logged, and answered 409).
fn stale(id: i64, revision: i64, current: i64) -> String {
    format!(
        "conflict: document {id} has changed since it was read (revision {revision}, now {current})"
    )
}

/// Edits, completes or discards a draft: only its author, only a draft,
/// only from the revision stored now (`revision`, as read): a stale step is
/// refused with [`GateError::Conflict`], whoever changed it meanwhile.
/// Completing locks it for good. Returns the new revision.
#[allow(clippy::too_many_arguments)]
pub async fn draft_step(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    step: DraftStep,
    content: Option<&Content>,
    revision: i64,
) -> Result<i64, GateError> {
    let what = match step {
        DraftStep::Edit => format!("document:{id} edit draft"),
        DraftStep::Complete => format!("document:{id} complete"),
        DraftStep::Discard => format!("document:{id} discard draft"),
    };
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        client_id,
        &what,
        None,
    )
    .await?;
    let user = g.access.user_id();
    let doc = match writable(&mut g, client_id, id).await? {
        Ok(doc) => doc,
        Err(why) => return Err(g.deny(why).await),
    };
    if doc.author != user {
        return Err(g
            .deny(format!("denied: document {id} is a draft of another user"))
            .await);
    }
    // A step from a stale read is a conflict, whatever happened meanwhile
    // (an edit, the completion): the user is shown what is stored now.
    if doc.revision != revision {
        let current = doc.revision;
        return Err(g.conflict(stale(id, revision, current), current).await);
    }
    if let Err(why) = doc.still_draft(id) {
        return Err(g.deny(why).await);
    }
    let DocFacts {
        kind,
        content: stored,
        ..
    } = doc;
    if content.is_some_and(|c| c.kind() != kind) {
        return Err(g
            .deny(format!("denied: document {id} is a {kind}, and stays one"))
            .await);
    }
    if step == DraftStep::Complete && kind == "decision" {
        let maker = Content::from_json(&kind, stored.clone())
            .as_ref()
            .and_then(crate::decisions::named_maker);
        let (conn, _) = g.parts();
        let name: Option<String> = match maker {
            Some(m) => {
                sqlx::query_scalar("SELECT name FROM staff_user WHERE id = $1")
                    .bind(m)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => None,
        };
        return Err(g
            .deny(format!(
                "denied: decision {id} is completed only by the decision maker it names ({}), who decides it with POST /api/documents/{id}/decide",
                name.unwrap_or_else(|| "none".to_owned())
            ))
            .await);
    }
    if step == DraftStep::Complete {
        let missing = Content::from_json(&kind, stored)
            .map(|c| c.missing_for_completion())
            .unwrap_or_default();
        if !missing.is_empty() {
            return Err(g
                .deny(format!(
                    "denied: document {id} cannot be completed before {} is filled in",
                    missing.join(" and ")
                ))
                .await);
        }
    }
    if let Some(c) = content.filter(|_| step == DraftStep::Edit) {
        if let Some(why) = outside_life(&mut g, client_id, c).await? {
            return Err(g.refuse(why).await);
        }
        let (conn, _) = g.parts();
        let area: Option<String> =
            sqlx::query_scalar("SELECT sub_register_id FROM document WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(area) = area {
            if let Some(why) = crate::decisions::check_named(&mut *conn, c, &area).await? {
                return Err(g.refuse(why).await);
            }
        }
    }
    // The revision is checked again where the row is written: a step
    // that committed after the read above makes this one write nothing
    // (PostgreSQL re-reads the row it waited for), and the document's
    // finality trigger is the last word.
    let sql = match (step, content) {
        (DraftStep::Edit, Some(_)) => {
            "UPDATE document SET content = $3, updated_at = now()
             WHERE id = $1 AND revision = $2 RETURNING revision"
        }
        (DraftStep::Edit, None) => {
            return Err(GateError::Store(crate::StoreError::Setup(
                "an edit needs the content".to_owned(),
            )))
        }
        (DraftStep::Complete, _) => {
            "UPDATE document SET state = 'completed', completed_at = now(), updated_at = now()
             WHERE id = $1 AND revision = $2 RETURNING revision"
        }
        (DraftStep::Discard, _) => {
            "UPDATE document SET state = 'discarded', discarded_at = now(), updated_at = now()
             WHERE id = $1 AND revision = $2 RETURNING revision"
        }
    };
    let (conn, _) = g.parts();
    let mut q = sqlx::query_scalar::<_, i64>(sql).bind(id).bind(revision);
    if let Some(c) = content {
        q = q.bind(c.to_json());
    }
    let written = match q.fetch_optional(&mut *conn).await {
        Ok(w) => w,
        Err(e) if is_final_refusal(&e) => None,
        Err(e) => return Err(e.into()),
    };
    let Some(new) = written else {
        // Changed by another between the read and the write. (After a
        // refused statement the transaction is aborted: the revision now
        // is read by the refusal's own connection.)
        let current = current_revision(pool, id).await?;
        return Err(g.conflict(stale(id, revision, current), current).await);
    };
    Ok(g.finish(Pending::new(new)).await?)
}

/// The document's finality trigger refused the change: it was completed or
/// discarded by another transaction meanwhile.
fn is_final_refusal(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("document_is_final"))
}

/// The revision stored now, read outside any access (only the number).
async fn current_revision(pool: &sqlx::PgPool, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT revision FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// Corrects a completed document (`CorrectEntry`): a new completed version
/// that points at the one it corrects, with the reason. The corrected
/// version stays as it was. Only the latest version is corrected.
pub async fn correct(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    content: &Content,
    reason: &str,
) -> Result<i64, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::CorrectEntry,
        client_id,
        &format!("document:{id} correction"),
        None,
    )
    .await?;
    let DocFacts {
        state,
        superseded,
        kind,
        ..
    } = match writable(&mut g, client_id, id).await? {
        Ok(doc) => doc,
        Err(why) => return Err(g.deny(why).await),
    };
    if state != "completed" {
        return Err(g
            .deny(format!(
                "denied: document {id} is {state}: only a completed document is corrected"
            ))
            .await);
    }
    if superseded {
        return Err(g
            .deny(format!(
                "denied: document {id} has been corrected already; correct its latest version"
            ))
            .await);
    }
    if content.kind() != kind {
        return Err(g
            .deny(format!(
                "denied: document {id} is a {kind}; a correction keeps the kind"
            ))
            .await);
    }
    // A decision is the act of its decision maker: a correction written
    // by anyone would change what the maker decided. An error in it is
    // corrected by a new decision that the maker decides (Administrative
    // Procedure Act 434/2003 §50-51), not in place.
    if kind == "decision" {
        return Err(g
            .deny(format!(
                "denied: decision {id} is not corrected in place: draft a new decision that corrects it, for the decision maker to decide"
            ))
            .await);
    }
    if let Some(why) = outside_life(&mut g, client_id, content).await? {
        return Err(g.refuse(why).await);
    }
    let (conn, access) = g.parts();
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO document (series_id, version, client_id, register_id, sub_register_id, service_task_id, kind,
                               content, name, definition_oid, client_first_names, client_surname,
                               client_identity_code, organiser, producer,
                               author_id, author_name, author_title, state, completed_at,
                               corrects_id, correction_reason)
         SELECT coalesce(d.series_id, d.id), d.version + 1, d.client_id, d.register_id, d.sub_register_id,
                d.service_task_id, d.kind, $2, $3,
                -- A decision's definition is its service task's, as the
                -- version it corrects was written to.
                CASE WHEN d.kind = 'decision' THEN d.definition_oid ELSE $4 END,
                d.client_first_names, d.client_surname,
                d.client_identity_code, d.organiser, d.producer,
                su.id, su.name, su.title, 'completed', now(), d.id, $5
         FROM document d, staff_user su WHERE d.id = $1 AND su.id = $6
         RETURNING id",
    )
    .bind(id)
    .bind(content.to_json())
    .bind(content.name(Lang::Fi))
    .bind(content.definition_oid())
    .bind(reason)
    .bind(access.user_id())
    .fetch_one(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(new)).await?)
}

/// A document with all its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithHistory {
    pub document: Document,
    pub versions: Vec<Document>,
    /// The files attached to this version.
    pub attachments: Vec<Attachment>,
}

/// Reads a document and its history (`ViewDocument`): only in the service
/// areas the user may read, and a draft only by its author.
pub async fn read(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    purpose: Option<&StatedPurpose>,
) -> Result<Option<WithHistory>, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::ViewDocument,
        client_id,
        &format!("document:{id}"),
        purpose,
    )
    .await?;
    let (conn, access) = g.parts();
    let user = access.user_id();
    let areas = access.areas().to_vec();
    let row = sqlx::query(&read_sql())
        .bind(id)
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(g.finish(Pending::new(None)).await?);
    };
    let doc = document(&row)?;
    if !areas.contains(&doc.service_area) {
        return Err(g
            .deny(format!(
                "denied: document {id} is in {}, where the user does not have the client",
                doc.service_area
            ))
            .await);
    }
    // A decision's draft is read by the decision maker it names too.
    let named = Content::from_json(&doc.kind, doc.content.clone())
        .as_ref()
        .and_then(crate::decisions::named_maker);
    if doc.state != "completed"
        && doc.author_id != user
        && !(doc.state == "draft" && named == Some(user))
    {
        return Err(g
            .deny(format!("denied: document {id} is a draft of another user"))
            .await);
    }
    let (conn, _) = g.parts();
    let versions = sqlx::query(&versions_sql())
        .bind(doc.series_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(document)
        .collect::<Result<Vec<_>, _>>()?;
    let attachments = attachments_of(&mut *conn, doc.id).await?;
    Ok(g.finish(Pending::new(Some(WithHistory {
        document: doc,
        versions,
        attachments,
    })))
    .await?)
}

/// [`read`]'s query of the document. Binds: $1 the document, $2 the client.
pub fn read_sql() -> String {
    format!("SELECT {COLUMNS} FROM document d WHERE d.id = $1 AND d.client_id = $2")
}

/// [`read`]'s query of the document's completed versions. Binds: $1 the
/// series (the first version's id).
pub fn versions_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM document d WHERE coalesce(d.series_id, d.id) = $1 AND d.state = 'completed'
         ORDER BY d.version"
    )
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineLine {
    pub id: i64,
    pub series_id: i64,
    pub version: i32,
    pub kind: String,
    pub name: String,
    pub service_area: String,
    pub author_name: String,
    pub state: String,
    /// The entry's own date, where it has one.
    pub date: Option<NaiveDate>,
    /// The content has a date that Kirjo cannot read (stored before the
    /// rules, or by hand): the line is shown marked, `date` None.
    pub date_invalid: bool,
    pub created_at: DateTime<Utc>,
    pub corrected: bool,
}

/// The client's documents that the user may see (`ViewDocument`), across
/// the service areas where they have the client, newest first: the latest
/// version of each completed document, and the user's own drafts; one page
/// of them, with how many there are in all.
pub async fn timeline(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    area: Option<&str>,
    kind: Option<&str>,
    page: crate::Page,
) -> Result<(i64, Vec<TimelineLine>), GateError> {
    let (total, lines, _, _) =
        timeline_with_band(pool, caller, settings, client_id, area, kind, page).await?;
    Ok((total, lines))
}

/// [`timeline`], and the client's band ([`crate::clients::Band`]) read
/// under the same access: the timeline page's heading says whose it is;
/// and whether the user would be allowed to write a document for the
/// client (not an access; for offering the form of a new one).
pub async fn timeline_with_band(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    area: Option<&str>,
    kind: Option<&str>,
    page: crate::Page,
) -> Result<(i64, Vec<TimelineLine>, Option<crate::clients::Band>, bool), GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::ViewDocument,
        client_id,
        "documents: timeline",
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let total: i64 = sqlx::query_scalar(&timeline_count_sql())
        .bind(client_id)
        .bind(access.areas())
        .bind(area)
        .bind(kind)
        .bind(access.user_id())
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(&timeline_sql())
        .bind(client_id)
        .bind(access.areas())
        .bind(area)
        .bind(kind)
        .bind(access.user_id())
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *conn)
        .await?;
    let lines = rows
        .iter()
        .map(timeline_line)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    // Whose timeline it is, read under the same access (one row in the log).
    let band = crate::clients::band_in(&mut *conn, client_id).await?;
    let may_write = access.would_allow(Action::WriteDocument);
    Ok(g.finish(Pending::new((total, lines, band, may_write)))
        .await?)
}

/// [`timeline`]'s count of the documents listed. Binds: $1 the client, $2
/// the service areas the access reaches (text[]), $3 one area or NULL, $4
/// one kind or NULL, $5 the user (whose drafts are listed).
pub fn timeline_count_sql() -> String {
    format!("SELECT count(*) {TIMELINE_FROM}")
}

/// [`timeline`]'s query of one page: binds as [`timeline_count_sql`], then
/// $6 the most rows and $7 the rows skipped.
pub fn timeline_sql() -> String {
    format!(
        "SELECT {TIMELINE_COLUMNS} {TIMELINE_FROM}
         ORDER BY coalesce(kirjo_date(d.content->>'date'), d.created_at::date) DESC, d.created_at DESC, d.id DESC
         LIMIT $6 OFFSET $7"
    )
}

/// The columns `TIMELINE_COLUMNS` names, as a timeline line.
pub(crate) fn timeline_line(r: &sqlx::postgres::PgRow) -> Result<TimelineLine, sqlx::Error> {
    Ok(TimelineLine {
        id: r.try_get("id")?,
        series_id: r.try_get("series")?,
        version: r.try_get("version")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        service_area: r.try_get("sub_register_id")?,
        author_name: r.try_get("author_name")?,
        state: r.try_get("state")?,
        date: r.try_get("date")?,
        date_invalid: r.try_get("date_invalid")?,
        created_at: r.try_get("created_at")?,
        corrected: r.try_get("corrected")?,
    })
}

/// Which documents a timeline lists: the client's (`$1`) in the user's
/// service areas (`$2`), filtered by area (`$3`) and kind (`$4`), the latest
/// version of each completed one and the user's (`$5`) own drafts.
const TIMELINE_FROM: &str = "FROM document d
     WHERE d.client_id = $1 AND d.sub_register_id = ANY($2)
       AND ($3::text IS NULL OR d.sub_register_id = $3)
       AND ($4::text IS NULL OR d.kind = $4)
       AND ((d.state = 'completed' AND NOT EXISTS (SELECT 1 FROM document n WHERE n.corrects_id = d.id))
            OR (d.state = 'draft' AND d.author_id = $5))";

/// What a timeline line is read from.
pub(crate) const TIMELINE_COLUMNS: &str =
    "d.id, coalesce(d.series_id, d.id) AS series, d.version, d.kind, d.name, d.sub_register_id,
     d.author_name, d.state, kirjo_date(d.content->>'date') AS date,
     (d.content ? 'date' AND kirjo_date(d.content->>'date') IS NULL) AS date_invalid, d.created_at,
     d.corrects_id IS NOT NULL AS corrected";

/// The national structure of a completed document (Sosmeta), for the
/// archive and for moving it: `(definition OID with version, JSON)`.
/// Needs `Export` on the client, in a service area where the user has them.
/// A service task without a national code cannot be exported: the
/// configuration must give the code.
pub async fn export(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
) -> Result<Option<Exported>, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::Export,
        client_id,
        &format!("document:{id} export"),
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let areas = access.areas().to_vec();
    let row = sqlx::query(
        "SELECT d.sub_register_id, d.state, d.kind, d.content, d.definition_oid, d.client_first_names, d.client_surname,
                d.client_identity_code, d.author_name, d.author_title, t.code AS task_code, t.name_fi AS task_name,
                t.decision_definition, su.first_names AS author_first_names, su.surname AS author_surname
         FROM document d JOIN service_task t ON t.id = d.service_task_id
         JOIN staff_user su ON su.id = d.author_id
         WHERE d.id = $1 AND d.client_id = $2",
    )
    .bind(id)
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(g.finish(Pending::new(None)).await?);
    };
    let area: String = r.try_get("sub_register_id")?;
    let state: String = r.try_get("state")?;
    if !areas.contains(&area) {
        return Err(g
            .deny(format!(
                "denied: document {id} is in {area}, where the user does not have the client"
            ))
            .await);
    }
    if state != "completed" {
        return Err(g
            .deny(format!(
                "denied: document {id} is {state}; only a completed document is exported"
            ))
            .await);
    }
    let kind: String = r.try_get("kind")?;
    let Some(content) = Content::from_json(&kind, r.try_get("content")?) else {
        return Err(g
            .deny(format!(
                "denied: document {id} has content Kirjo cannot read as a {kind}"
            ))
            .await);
    };
    let task_code: Option<String> = r.try_get("task_code")?;
    let needs_task = match &content {
        Content::Narrative(_) => true,
        Content::ChildWelfareNotification(_) => false,
        Content::Form(f) => f.spec.task.is_some(),
    };
    let task_code = match task_code {
        Some(code) => code,
        None if !needs_task => String::new(),
        None => {
            return Err(g
                .deny(format!(
                    "denied: the service task of document {id} has no national code (1.2.246.537.6.1221) in the configuration"
                ))
                .await)
        }
    };
    let identity_code: Option<String> = r.try_get("client_identity_code")?;
    if let Content::Form(f) = &content {
        if let Some((field, why)) = f.refused_codes().into_iter().next() {
            return Err(g
                .deny(format!(
                    "denied: document {id} cannot be exported: its {field}: {why} (docs/documents.md, codes Kirjo does not have)"
                ))
                .await);
        }
    }
    if let Content::Form(f) = &content {
        if f.spec.needs_identity_code && identity_code.is_none() {
            return Err(g
                .deny(format!(
                    "denied: the national structure of a {kind} needs the client's identity code, and client {client_id} has none"
                ))
                .await);
        }
    }
    let input = NationalInput {
        client_first_names: r.try_get("client_first_names")?,
        client_surname: r.try_get("client_surname")?,
        identity_code,
        client_id,
        task_code,
        task_name: r.try_get("task_name")?,
        author_name: r.try_get("author_name")?,
        author_title: r.try_get("author_title")?,
        author_names: Some((
            r.try_get("author_first_names")?,
            r.try_get("author_surname")?,
        )),
    };
    let mut definition: String = r.try_get("definition_oid")?;
    // A decision goes out as the decision of its service task's service
    // (a families' services decision is not a child welfare decision); a
    // task that names none in the configuration has no decision to export.
    let decision_definition = if kind == "decision" {
        let named: Option<String> = r.try_get("decision_definition")?;
        match named.as_deref().and_then(DecisionDefinition::parse) {
            Some(d) => {
                definition = d.oid().to_owned();
                Some(d)
            }
            None => {
                return Err(g
                    .deny(format!(
                        "denied: decision {id} cannot be exported: its service task names no decision_definition in the configuration (child_welfare, families, working_age or elderly)"
                    ))
                    .await)
            }
        }
    } else {
        None
    };
    let national = match &content {
        Content::Narrative(n) => national_narrative(&input, n),
        Content::ChildWelfareNotification(n) => {
            // The guardians in force today, from the registry.
            let (conn, _) = g.parts();
            let guardians: Vec<(String, String)> = sqlx::query_as(
                "SELECT o.first_names, o.surname FROM person_relation r JOIN person o ON o.id = r.related_id
                 WHERE r.person_id = $1 AND r.kind = 'guardian'
                   AND (r.valid_from IS NULL OR r.valid_from <= kirjo_today())
                   AND (r.valid_until IS NULL OR kirjo_today() <= r.valid_until)
                 ORDER BY o.surname, o.first_names",
            )
            .bind(client_id)
            .fetch_all(&mut *conn)
            .await?;
            national_notification(&input, n, &guardians)
        }
        Content::Form(f) => {
            let (conn, _) = g.parts();
            let (address, phone): (String, String) =
                sqlx::query_as("SELECT address, phone FROM controller WHERE id = 1")
                    .fetch_one(&mut *conn)
                    .await?;
            let maker = if f.spec.kind == "decision" {
                match crate::decisions::maker_names(&mut *conn, id).await? {
                    Some(m) => Some(m),
                    None => {
                        return Err(g
                            .deny(format!(
                                "denied: decision {id} has no decision maker's act: it was not decided in Kirjo"
                            ))
                            .await)
                    }
                }
            } else {
                None
            };
            let mut national = national_form(&input, f, &address, &phone);
            if let Some((first, last, title)) = maker {
                let title = match f.values.get("decision_maker_title") {
                    Some(kirjo_domain::forms::FieldValue::Text(t)) => t.clone(),
                    _ => title,
                };
                national[f.spec.root]["paatos"]["paatoksentekija"] = serde_json::json!({
                    "etunimet": first, "sukunimi": last, "tehtavanimike": title,
                });
            }
            if let (Some(d), Some(map)) = (decision_definition, national.as_object_mut()) {
                if let Some(body) = map.remove(f.spec.root) {
                    map.insert(d.root().to_owned(), body);
                }
            }
            national
        }
    };
    Ok(g.finish(Pending::new(Some(Exported {
        definition,
        document: national,
        kirjo: serde_json::json!({
            "kind": kind, "client_id": client_id, "content": content.to_json(),
        }),
    })))
    .await?)
}

/// An export: the national definition (OID with version), the document in
/// its national structure, and beside it Kirjo's own record of the same
/// document (its kind and every field as stored, Kirjo's own ones too).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exported {
    pub definition: String,
    pub document: serde_json::Value,
    pub kirjo: serde_json::Value,
}

/// The client relationship document (asiakkuusasiakirja, Sosmeta
/// 1.2.246.537.6.1505.1): who the client is (names, identity code or
/// Kirjo's id, birth date, whether under turvakielto; never contact data),
/// the people related to them in force today, when the client relationship
/// began and ended, the workers responsible, and the service tasks of the
/// client's completed documents that have a national code. Only the service
/// areas where the user has the client count (`Export` on the client).
pub async fn export_client_document(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
) -> Result<Exported, GateError> {
    use serde_json::{json, Map, Value};
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::Export,
        client_id,
        "client relationship document export",
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let areas = access.areas().to_vec();
    let person = sqlx::query(&format!(
        "SELECT p.first_names, p.surname, p.identity_code, p.birth_date, {} AS protected
         FROM person p WHERE p.id = $1",
        crate::clients::protected_today_sql()
    ))
    .bind(client_id)
    .fetch_one(&mut *conn)
    .await?;
    let input = NationalInput {
        client_first_names: person.try_get("first_names")?,
        client_surname: person.try_get("surname")?,
        identity_code: person.try_get("identity_code")?,
        client_id,
        task_code: String::new(),
        task_name: String::new(),
        author_name: String::new(),
        author_title: String::new(),
        author_names: None,
    };
    let mut client = national_client(&input);
    let birth: NaiveDate = person.try_get("birth_date")?;
    client.insert("syntymaaika".into(), json!(birth.to_string()));
    let protected: bool = person.try_get("protected")?;
    client.insert("turvakielto".into(), json!(protected));
    let related = sqlx::query(&format!(
        "SELECT o.first_names, o.surname, r.kind, {} AS protected
         FROM person_relation r JOIN person o ON o.id = r.related_id
         WHERE r.person_id = $1
           AND (r.valid_from IS NULL OR r.valid_from <= kirjo_today())
           AND (r.valid_until IS NULL OR kirjo_today() <= r.valid_until)
         ORDER BY r.kind, o.surname, o.first_names",
        crate::clients::protected_sql("o.id", "kirjo_today()")
    ))
    .bind(client_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut people = Vec::new();
    for r in &related {
        let kind: String = r.try_get("kind")?;
        people.push(json!({
            "sukunimi": r.try_get::<String, _>("surname")?,
            "etunimet": r.try_get::<String, _>("first_names")?,
            "turvakielto": r.try_get::<bool, _>("protected")?,
            "roolin_kuvaus": relation_name_fi(&kind),
        }));
    }
    let spans: Vec<(NaiveDate, Option<NaiveDate>, Option<String>)> = sqlx::query_as(
        "SELECT started_on, ended_on, end_reason FROM client_relationship
         WHERE client_id = $1 AND sub_register_id = ANY($2) ORDER BY started_on, id",
    )
    .bind(client_id)
    .bind(&areas)
    .fetch_all(&mut *conn)
    .await?;
    let workers: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.first_names, u.surname FROM client_relationship r JOIN staff_user u ON u.id = r.responsible_worker_id
         WHERE r.client_id = $1 AND r.sub_register_id = ANY($2) AND r.ended_on IS NULL ORDER BY u.surname, u.first_names",
    )
    .bind(client_id)
    .bind(&areas)
    .fetch_all(&mut *conn)
    .await?;
    let tasks: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT t.code, t.name_fi FROM document d JOIN service_task t ON t.id = d.service_task_id
         WHERE d.client_id = $1 AND d.sub_register_id = ANY($2) AND d.state = 'completed' AND t.code IS NOT NULL
         ORDER BY t.code",
    )
    .bind(client_id)
    .bind(&areas)
    .fetch_all(&mut *conn)
    .await?;
    let mut body = Map::new();
    body.insert(
        "asiakkuuden_yksilointitunnus".into(),
        json!({ "value": format!("kirjo-client-{client_id}") }),
    );
    body.insert("asiakas".into(), Value::Object(client));
    if !people.is_empty() {
        body.insert(
            "asiakkaaseen_liittyvat_henkilot".into(),
            Value::Array(people),
        );
    }
    if let Some(first) = spans.first() {
        let mut span = Map::new();
        span.insert("asiakkuuden_alkamispvm".into(), json!(first.0.to_string()));
        // Ended only when every relationship has ended: then at the last end.
        if spans.iter().all(|s| s.1.is_some()) {
            if let Some(last) = spans.iter().max_by_key(|s| s.1) {
                span.insert(
                    "asiakkuuden_paattymispvm".into(),
                    json!(last.1.map(|d| d.to_string())),
                );
                if let Some(reason) = &last.2 {
                    span.insert("asiakkuuden_paattymisen_perustelu".into(), json!(reason));
                }
            }
        }
        body.insert("sosiaalihuollon_asiakkuus".into(), Value::Object(span));
    }
    if !workers.is_empty() {
        body.insert(
            "palveluista_vastaava_tyontekija".into(),
            Value::Array(
                workers
                    .iter()
                    .map(|(first, last)| json!({ "sukunimi": last, "etunimet": first }))
                    .collect(),
            ),
        );
    }
    if !tasks.is_empty() {
        body.insert(
            "sosiaalihuollon_palvelutehtava".into(),
            Value::Array(
                tasks
                    .iter()
                    .map(|(code, name)| {
                        json!({ "palvelutehtava": {
                            "system": "urn:oid:1.2.246.537.6.1221", "code": code, "display": name,
                        } })
                    })
                    .collect(),
            ),
        );
    }
    let mut root = Map::new();
    root.insert("asiakkuusasiakirja".into(), Value::Object(body));
    let exported = Exported {
        definition: CLIENT_DOCUMENT_OID.to_owned(),
        document: Value::Object(root),
        kirjo: json!({ "kind": "client_relationship_document", "client_id": client_id, "service_areas": areas }),
    };
    Ok(g.finish(Pending::new(exported)).await?)
}

/// Asiakkuusasiakirja, with its version.
pub const CLIENT_DOCUMENT_OID: &str = "1.2.246.537.6.1505.1.2023.6.1";

fn relation_name_fi(kind: &str) -> &'static str {
    match kind {
        "guardian" => "Huoltaja",
        "parent_without_custody" => "Vanhempi, jolla ei ole huoltajuutta",
        "legal_representative" => "Laillinen edustaja",
        "authorised_person" => "Valtuutettu",
        "next_of_kin" => "Lähiomainen",
        "contact_person" => "Yhteyshenkilö",
        "household_member" => "Samaan talouteen kuuluva",
        _ => "Muu",
    }
}

use kirjo_domain::forms::split_name;

/// The client as the national structures name them: names, and the
/// identity code or Kirjo's id as a temporary one.
fn national_client(i: &NationalInput) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let mut client = serde_json::Map::new();
    client.insert("sukunimi".into(), json!(i.client_surname));
    client.insert("etunimet".into(), json!(i.client_first_names));
    match &i.identity_code {
        Some(code) => {
            client.insert(
                "henkilotunnus".into(),
                json!({ "system": "urn:oid:1.2.246.21", "value": code }),
            );
        }
        None => {
            client.insert(
                "tilapainen_yksilointitunnus".into(),
                json!({ "value": format!("kirjo-{}", i.client_id) }),
            );
        }
    }
    client
}

/// A form document in its national structure: its own fields at their
/// places, and the client, the author, the service task, the signature
/// and who gives more information from the metadata. A document completed
/// in Kirjo by its strongly authenticated author counts as signed
/// electronically (Act on Electronic Services 13/2003 §16).
pub fn national_form(
    i: &NationalInput,
    f: &kirjo_domain::forms::Form,
    organiser_address: &str,
    organiser_phone: &str,
) -> serde_json::Value {
    use kirjo_domain::forms::{put, Shape};
    use serde_json::{json, Map, Value};
    let spec = f.spec;
    let mut body = f.national_fields();
    let wrap = |shape: Shape, v: Value| match shape {
        Shape::Array => Value::Array(vec![v]),
        _ => v,
    };
    if spec.client != Shape::Absent {
        body.insert(
            "asiakas".into(),
            wrap(spec.client, Value::Object(national_client(i))),
        );
    }
    if let Some((path, shape)) = spec.task {
        let task = json!({
            "system": "urn:oid:1.2.246.537.6.1221",
            "code": i.task_code,
            "display": i.task_name,
        });
        body.insert(path.into(), wrap(shape, task));
    }
    let (first, last) = i.author();
    let author = json!({ "sukunimi": last, "etunimet": first, "tehtavanimike": i.author_title });
    if spec.author != Shape::Absent {
        body.insert("laatija".into(), wrap(spec.author, author.clone()));
    }
    if spec.information_from {
        put(&mut body, "paatos/lisatietojen_antaja[]", author);
        let (street, post) = organiser_address
            .rsplit_once(',')
            .map_or((organiser_address, ""), |(a, b)| (a.trim(), b.trim()));
        let (code, town) = post.split_once(' ').unwrap_or((post, ""));
        put(
            &mut body,
            "paatos/lisatietojen_antaja[]/yhteystiedot/postiosoite",
            json!({ "lahiosoite": street, "postinumero": code, "postitoimipaikka": town }),
        );
        if body["paatos"]["lisatietojen_antaja"][0]["yhteystiedot"]
            .get("puhelinnumero")
            .is_none()
        {
            put(
                &mut body,
                "paatos/lisatietojen_antaja[]/yhteystiedot/puhelinnumero",
                json!(organiser_phone),
            );
        }
    }
    if spec.signature != Shape::Absent {
        let signature = json!({
            "allekirjoituksen_tyyppi": {
                "system": "urn:oid:1.2.246.537.5.40161",
                "code": "1",
                "display": "Asiakirja on allekirjoitettu sähköisesti",
            }
        });
        body.insert("allekirjoitus".into(), wrap(spec.signature, signature));
    }
    let mut root = Map::new();
    root.insert(spec.root.into(), Value::Object(body));
    Value::Object(root)
}

/// A child welfare notification in its national structure (Sosmeta 4009):
/// the child, the guardians, the reporter (unless anonymous), the date it
/// came, the content, whether the child and a guardian were told, and the
/// author.
pub fn national_notification(
    i: &NationalInput,
    n: &kirjo_domain::document::Notification,
    guardians: &[(String, String)],
) -> serde_json::Value {
    use kirjo_domain::document::Reporter;
    use serde_json::{json, Map, Value};
    let mut child = Map::new();
    child.insert("sukunimi".into(), json!(i.client_surname));
    child.insert("etunimet".into(), json!(i.client_first_names));
    if let Some(code) = &i.identity_code {
        child.insert(
            "henkilotunnus".into(),
            json!({ "system": "urn:oid:1.2.246.21", "value": code }),
        );
    }
    let mut body = Map::new();
    body.insert("asiakas".into(), Value::Object(child));
    body.insert(
        "huoltaja_tai_muu_lapsen_hoidosta_vastaava_henkilo".into(),
        Value::Array(
            guardians
                .iter()
                .map(|(first, last)| json!({ "sukunimi": last, "etunimet": first }))
                .collect(),
        ),
    );
    body.insert(
        "anonyymi_ilmoitus".into(),
        json!(n.reporter == Reporter::Anonymous),
    );
    if n.reporter != Reporter::Anonymous {
        let mut reporter = Map::new();
        // First names and surname as kept apart (a notification stored
        // before they were has its whole name split at the last space).
        if let (first, Some(last)) = n.reporter_names() {
            let mut person = Map::new();
            person.insert("sukunimi".into(), json!(last));
            if let Some(first) = first {
                person.insert("etunimet".into(), json!(first));
            }
            if let Some(t) = &n.reporter_title {
                person.insert("tehtavanimike".into(), json!(t));
            }
            if let Some(o) = &n.reporter_organisation {
                person.insert("organisaatio".into(), json!(o));
            }
            reporter.insert("henkilo".into(), Value::Object(person));
        }
        // The coded reporter type (`taho`, code list 1.2.246.537.6.1243)
        // is one of the codes Kirjo does not have (kirjo_domain::codes):
        // left out, and the kind given as text.
        reporter.insert(
            "ilmoittajan_tietojen_salassapito".into(),
            json!(n.reporter_confidential),
        );
        if let Some(grounds) = &n.confidentiality_grounds {
            reporter.insert("salassapidon_perustelut".into(), json!(grounds));
        }
        reporter.insert(
            "kuvaus".into(),
            json!(match n.reporter {
                Reporter::Professional => "Ilmoitusvelvollinen ammattihenkilö",
                _ => "Yksityishenkilö",
            }),
        );
        body.insert(
            "ilmoittaja".into(),
            Value::Array(vec![Value::Object(reporter)]),
        );
    }
    body.insert(
        "ilmoittamispaivamaara".into(),
        json!(n.received_on.to_string()),
    );
    body.insert("asiasisalto".into(), json!(n.content));
    body.insert(
        "lapselle_on_kerrottu_lastensuojeluilmoituksesta".into(),
        json!(n.child_told_on.is_some()),
    );
    body.insert(
        "ainakin_toiselle_huoltajalle_on_kerrottu_lastensuojeluilmoituksesta".into(),
        json!(n.guardian_told_on.is_some()),
    );
    let (first, last) = i.author();
    body.insert(
        "laatija".into(),
        json!({ "sukunimi": last, "etunimet": first, "tehtavanimike": i.author_title }),
    );
    let mut root = Map::new();
    root.insert("lastensuojeluilmoitus".into(), Value::Object(body));
    Value::Object(root)
}

/// What the national structure takes besides the entry itself.
#[derive(Debug, Clone)]
pub struct NationalInput {
    pub client_first_names: String,
    pub client_surname: String,
    pub identity_code: Option<String>,
    pub client_id: i64,
    pub task_code: String,
    pub task_name: String,
    pub author_name: String,
    pub author_title: String,
    /// The author's first names and surname as the staff table keeps them
    /// (separate fields); None: taken from the whole name, its last word
    /// the surname.
    pub author_names: Option<(String, String)>,
}

impl NationalInput {
    /// The author's (first names, surname).
    pub fn author(&self) -> (String, String) {
        self.author_names
            .clone()
            .unwrap_or_else(|| split_name(&self.author_name))
    }
}

/// A narrative entry in its national structure: the client (with the
/// identity code, or Kirjo's id as a temporary one), the service task, the
/// entry as the event's description, what was agreed where the kind has
/// it, the date and the author. The author's name is kept whole in Kirjo:
/// its last word is taken as the surname.
pub fn national_narrative(i: &NationalInput, n: &Narrative) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let client = national_client(i);
    let (author_first, author_last) = i.author();
    let mut body = Map::new();
    body.insert("asiakas".into(), Value::Array(vec![Value::Object(client)]));
    body.insert(
        "asiakaskertomusmerkinta".into(),
        json!({
            "palvelutehtava": {
                "system": "urn:oid:1.2.246.537.6.1221",
                "code": i.task_code,
                "display": i.task_name,
            },
            "tapahtuma": { "kuvaus": n.text },
        }),
    );
    if let (Some(key), Some(agreed)) = (n.entry.national_agreed(), &n.agreed) {
        body.insert(key.into(), json!(agreed));
    }
    body.insert("paivamaara".into(), json!(n.date.to_string()));
    body.insert(
        "laatija".into(),
        json!({ "sukunimi": author_last, "etunimet": author_first, "tehtavanimike": i.author_title }),
    );
    let mut root = Map::new();
    root.insert(n.entry.national_root().into(), Value::Object(body));
    Value::Object(root)
}

/// A child welfare notification on a deadline list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotificationDeadline {
    pub document_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub service_area: String,
    pub author_name: String,
    pub state: String,
    pub received_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub start_due: NaiveDate,
    pub completion_due: NaiveDate,
    /// The decision on starting the assessment was made late, or is late.
    pub late: bool,
}

/// The child welfare notifications of the clients the user may see, each in
/// a service area where the user has that client, with their statutory
/// deadlines: the worker's list and the supervisor's (a logged use, like a
/// search). Drafts are listed too: the deadline runs from receipt whether or
/// not the notification is completed, and a supervisor must see a late one
/// still in a colleague's drafts; the list shows who and when, never the
/// content. Oldest first; those decided more than three months ago are
/// left out.
pub async fn notification_deadlines(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<NotificationDeadline>, GateError> {
    let mut g = crate::gate::enter_general(
        pool,
        caller,
        settings,
        Action::Search,
        "child welfare notification deadlines",
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(&notification_deadlines_sql())
        .bind(access.user_id())
        .fetch_all(&mut *conn)
        .await?;
    let mut list = Vec::new();
    for r in &rows {
        // The day of the transaction, read with the rows (no statement of its own).
        let today: NaiveDate = r.try_get("today")?;
        let Some(Content::ChildWelfareNotification(n)) =
            Content::from_json("child_welfare_notification", r.try_get("content")?)
        else {
            continue;
        };
        let deadlines = n.deadlines();
        list.push(NotificationDeadline {
            document_id: r.try_get("id")?,
            client_id: r.try_get("client_id")?,
            client_name: r.try_get("client_name")?,
            service_area: r.try_get("sub_register_id")?,
            author_name: r.try_get("author_name")?,
            state: r.try_get("state")?,
            received_on: n.received_on,
            decided_on: n.decided_on,
            start_due: deadlines.assessment_start_due,
            completion_due: deadlines.assessment_completion_due,
            late: n.decision_late(today),
        });
    }
    g.record_shown(&list.iter().map(|d| d.client_id).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(list)).await?)
}

/// [`notification_deadlines`]' query. Binds: $1 the user. Whether a
/// notification is corrected is looked up for each one listed, by the index
/// of corrections (a lateral join): as a NOT EXISTS the planner could merge
/// the list with every correction of the county.
pub fn notification_deadlines_sql() -> String {
    format!(
        "SELECT d.id, d.client_id, d.client_name, d.sub_register_id, d.author_name, d.state, d.content,
                kirjo_today() AS today
         FROM document d
         LEFT JOIN LATERAL (SELECT n.id FROM document n WHERE n.corrects_id = d.id LIMIT 1) n ON true
         WHERE d.kind = 'child_welfare_notification' AND d.state <> 'discarded'
           AND n.id IS NULL
           AND (d.content->>'decided_on' IS NULL
                OR kirjo_date(d.content->>'decided_on') IS NULL
                OR kirjo_date(d.content->>'decided_on') >= kirjo_today() - 92)
           AND (d.client_id, d.sub_register_id) IN (SELECT client_id, sub_register_id FROM ({}) v)
         ORDER BY kirjo_date(d.content->>'received_on'), d.id",
        crate::gate::visible_set(1)
    )
}

/// The types a file may have, and the largest size.
pub const ATTACHMENT_TYPES: [&str; 4] =
    ["application/pdf", "image/jpeg", "image/png", "text/plain"];
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Why a file is not taken, before the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    TypeNotAllowed,
    /// The bytes are not what the type says (a PDF that is no PDF).
    ContentMismatch,
    Name,
}

impl FileProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "the file is empty",
            Self::TooLarge => "the file is larger than 10 MiB",
            Self::TypeNotAllowed => "the type is not allowed (PDF, JPEG, PNG or plain text)",
            Self::ContentMismatch => "the file's content is not of the type given",
            Self::Name => {
                "the file name is missing, too long, names a path, or has control characters"
            }
        }
    }
}

/// The allowed type a file name's extension stands for, if any.
pub fn media_type_of(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain",
        _ => return None,
    })
}

/// Checks a file against the allowlist: its size, its type, and that its
/// first bytes are that type's (UTF-8 for plain text).
pub fn check_file(name: &str, media_type: &str, bytes: &[u8]) -> Result<(), FileProblem> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > 200
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(FileProblem::Name);
    }
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > ATTACHMENT_MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let ok = match media_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "text/plain" => std::str::from_utf8(bytes).is_ok(),
        _ => return Err(FileProblem::TypeNotAllowed),
    };
    if ok {
        Ok(())
    } else {
        Err(FileProblem::ContentMismatch)
    }
}

/// An attachment's description (not its bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub document_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i32,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Adds a file to a draft (`WriteDocument`; the draft's author only). The
/// caller has checked it with [`check_file`].
#[allow(clippy::too_many_arguments)]
pub async fn add_attachment(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    document_id: i64,
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> Result<i64, GateError> {
    use sha2::{Digest, Sha256};
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        client_id,
        &format!("document:{document_id} attachment"),
        None,
    )
    .await?;
    let user = g.access.user_id();
    let doc = match writable(&mut g, client_id, document_id).await? {
        Ok(doc) => doc,
        Err(why) => return Err(g.deny(why).await),
    };
    if let Err(why) = doc.own_draft(document_id, user) {
        return Err(g
            .deny(format!(
                "{why}; files are added to the author's drafts only"
            ))
            .await);
    }
    let (conn, _) = g.parts();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO document_attachment (document_id, file_name, media_type, size_bytes, sha256, content, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(document_id)
    .bind(file_name.trim())
    .bind(media_type)
    .bind(i32::try_from(bytes.len()).unwrap_or(i32::MAX))
    .bind(Sha256::digest(bytes).to_vec())
    .bind(bytes)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(id)).await?)
}

/// The files of a document (descriptions only): its own and those of the
/// versions it corrects, which a correction keeps (each names the version
/// it was added to).
pub async fn attachments_of(
    conn: &mut sqlx::PgConnection,
    document_id: i64,
) -> Result<Vec<Attachment>, sqlx::Error> {
    sqlx::query(&attachments_sql())
        .bind(document_id)
        .fetch_all(conn)
        .await?
        .iter()
        .map(attachment)
        .collect()
}

/// [`attachments_of`]' query. Binds: $1 the document.
pub fn attachments_sql() -> String {
    format!(
        "SELECT {ATTACHMENT_COLUMNS}
         FROM document_attachment a
         JOIN staff_user u ON u.id = a.added_by
         JOIN document d ON d.id = a.document_id
         JOIN document this ON this.id = $1
         WHERE coalesce(d.series_id, d.id) = coalesce(this.series_id, this.id)
           AND d.version <= this.version
         ORDER BY a.id"
    )
}

/// What a file's description is read from (`a`, with its adder `u`).
const ATTACHMENT_COLUMNS: &str =
    "a.id, a.document_id, a.file_name, a.media_type, a.size_bytes, a.sha256, u.name, a.added_at";

fn attachment(r: &sqlx::postgres::PgRow) -> Result<Attachment, sqlx::Error> {
    Ok(Attachment {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: hex::encode(r.try_get::<Vec<u8>, _>("sha256")?),
        added_by: r.try_get("name")?,
        added_at: r.try_get("added_at")?,
    })
}

/// The document and client a file belongs to, to decide on it.
pub async fn attachment_owner(pool: &sqlx::PgPool, id: i64) -> crate::Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT d.client_id, d.id FROM document_attachment a JOIN document d ON d.id = a.document_id
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// Reads a file (`ViewDocument`, a logged use): only where the user may
/// read its document (its service area; a draft only its author).
pub async fn read_attachment(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
) -> Result<Option<(Attachment, Vec<u8>)>, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::ViewDocument,
        client_id,
        &format!("attachment:{id}"),
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let user = access.user_id();
    let areas = access.areas().to_vec();
    let row = sqlx::query(&format!(
        "SELECT {ATTACHMENT_COLUMNS}, d.sub_register_id, d.author_id, d.state, a.content
         FROM document_attachment a JOIN document d ON d.id = a.document_id
              JOIN staff_user u ON u.id = a.added_by
         WHERE a.id = $1 AND d.client_id = $2"
    ))
    .bind(id)
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(g.finish(Pending::new(None)).await?);
    };
    let described = attachment(&row)?;
    let document_id = described.document_id;
    let area: String = row.try_get("sub_register_id")?;
    let author: i64 = row.try_get("author_id")?;
    let state: String = row.try_get("state")?;
    let content: Vec<u8> = row.try_get("content")?;
    if !areas.contains(&area) || (state != "completed" && author != user) {
        return Err(g
            .deny(format!(
                "denied: the file's document {document_id} is not one the user may read"
            ))
            .await);
    }
    Ok(g.finish(Pending::new(Some((described, content)))).await?)
}
