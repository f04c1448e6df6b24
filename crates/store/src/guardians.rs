//! A minor's prohibition on giving their data to a guardian (703/2023
//! §51(2)), and the answer to a guardian's request for the child's
//! documents, which honours it: while an accepted prohibition is in force,
//! nothing of the child's is given to the guardian.

use crate::audit::{record_disclosure, DisclosureEntry};
use crate::documents::TimelineLine;
use crate::gate::{enter_on_client, Caller, GateError, GateSettings, Pending};
use chrono::NaiveDate;
use kirjo_access::Action;
use serde::Serialize;
use sqlx::Row;

/// A prohibition as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prohibition {
    pub id: i64,
    pub made_on: NaiveDate,
    pub accepted: bool,
    pub reason: String,
    pub recorded_by: String,
    /// The document series it covers; None: all of the child's documents.
    pub documents: Option<Vec<i64>>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

impl Prohibition {
    /// Whether it is accepted and in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.accepted && self.made_on <= day && self.ended_on.is_none_or(|e| day < e)
    }
}

/// The child's prohibitions, newest first.
async fn load(conn: &mut sqlx::PgConnection, child: i64) -> Result<Vec<Prohibition>, sqlx::Error> {
    sqlx::query(
        "SELECT m.id, m.made_on, m.accepted, m.reason, u.name, m.document_series, m.ended_on,
                m.end_reason
         FROM minor_prohibition m JOIN staff_user u ON u.id = m.recorded_by
         WHERE m.person_id = $1 ORDER BY m.made_on DESC, m.id DESC",
    )
    .bind(child)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Prohibition {
            id: r.try_get("id")?,
            made_on: r.try_get("made_on")?,
            accepted: r.try_get("accepted")?,
            reason: r.try_get("reason")?,
            recorded_by: r.try_get("name")?,
            documents: r.try_get("document_series")?,
            ended_on: r.try_get("ended_on")?,
            end_reason: r.try_get("end_reason")?,
        })
    })
    .collect()
}

/// Records a minor's prohibition (`WriteDocument` on the child), accepted or
/// not, with the reason. Only for a person under 18. `documents` limits it
/// to some of the child's documents (each with its later corrections);
/// None covers them all.
#[allow(clippy::too_many_arguments)]
pub async fn record_prohibition(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    child: i64,
    made_on: NaiveDate,
    accepted: bool,
    reason: &str,
    documents: Option<&[i64]>,
) -> Result<i64, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        child,
        "minor's prohibition on disclosure to a guardian",
        None,
    )
    .await?;
    let (conn, _) = g.parts();
    let minor: bool = sqlx::query_scalar(
        "SELECT birth_date > kirjo_today() - interval '18 years' FROM person WHERE id = $1",
    )
    .bind(child)
    .fetch_one(&mut *conn)
    .await?;
    if !minor {
        return Err(g
            .deny("denied: only a minor's prohibition on disclosure to a guardian is recorded here")
            .await);
    }
    let series: Option<Vec<i64>> = match documents {
        None => None,
        Some(ids) => {
            let (conn, access) = g.parts();
            let areas = access.document_areas().to_vec();
            let found: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, coalesce(series_id, id) FROM document
                 WHERE id = ANY($1) AND client_id = $2 AND state <> 'discarded'
                   AND sub_register_id = ANY($3)",
            )
            .bind(ids)
            .bind(child)
            .bind(&areas)
            .fetch_all(&mut *conn)
            .await?;
            if ids.is_empty()
                || found.len() != ids.iter().collect::<std::collections::BTreeSet<_>>().len()
            {
                return Err(g
                    .deny("denied: a prohibition limited to documents names at least one, and only the child's own in the service areas where the user has the child")
                    .await);
            }
            let mut series: Vec<i64> = found.into_iter().map(|(_, s)| s).collect();
            series.sort_unstable();
            series.dedup();
            Some(series)
        }
    };
    let (conn, access) = g.parts();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO minor_prohibition (person_id, made_on, accepted, reason, recorded_by, document_series)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(child)
    .bind(made_on)
    .bind(accepted)
    .bind(reason)
    .bind(access.user_id())
    .bind(series)
    .fetch_one(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(id)).await?)
}

/// The answer to a guardian's request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuardianAnswer {
    pub guardian: String,
    /// An accepted prohibition of the child is in force: nothing is given.
    pub withheld: bool,
    /// How many documents a prohibition limited to some documents keeps
    /// from the guardian.
    pub withheld_documents: i64,
    pub prohibitions: Vec<Prohibition>,
    /// What may be given to the guardian.
    pub documents: Vec<TimelineLine>,
}

/// Prepares the answer to a guardian's request for the child's documents
/// (`Disclose` on the child). The requester must be the child's guardian
/// today. While an accepted prohibition is in force, no document is
/// included; otherwise the completed documents of the service areas where
/// the user has the child, and the disclosure is in the disclosure log.
pub async fn answer(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    child: i64,
    guardian: i64,
) -> Result<GuardianAnswer, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::Disclose,
        child,
        &format!("documents for guardian {guardian}"),
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let areas = access.areas().to_vec();
    let name: Option<String> = sqlx::query_scalar(
        "SELECT o.first_names || ' ' || o.surname FROM person_relation r JOIN person o ON o.id = r.related_id
         WHERE r.person_id = $1 AND r.related_id = $2 AND r.kind = 'guardian'
           AND (r.valid_from IS NULL OR r.valid_from <= kirjo_today())
           AND (r.valid_until IS NULL OR kirjo_today() <= r.valid_until)",
    )
    .bind(child)
    .bind(guardian)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(name) = name else {
        return Err(g
            .deny(format!(
                "denied: person {guardian} is not the child's guardian today"
            ))
            .await);
    };
    let (conn, access) = g.parts();
    let user = access.user_id();
    let prohibitions = load(&mut *conn, child).await?;
    // Today in Helsinki, as every rule in force is read.
    let today: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    let in_force: Vec<&Prohibition> = prohibitions.iter().filter(|p| p.in_force(today)).collect();
    let withheld = in_force.iter().any(|p| p.documents.is_none());
    // The series that a prohibition limited to some documents covers.
    let covered: Vec<i64> = in_force
        .iter()
        .filter_map(|p| p.documents.as_deref())
        .flatten()
        .copied()
        .collect();
    let mut documents = Vec::new();
    let mut withheld_documents = 0;
    if !withheld {
        let rows = sqlx::query(&format!(
            "SELECT {}, d.register_id, coalesce(d.series_id, d.id) = ANY($3) AS covered
             FROM document d
             WHERE d.client_id = $1 AND d.sub_register_id = ANY($2) AND d.state = 'completed'
               AND NOT EXISTS (SELECT 1 FROM document n WHERE n.corrects_id = d.id)
             ORDER BY d.created_at DESC, d.id DESC",
            crate::documents::TIMELINE_COLUMNS
        ))
        .bind(child)
        .bind(&areas)
        .bind(&covered)
        .fetch_all(&mut *conn)
        .await?;
        let mut register = String::new();
        for r in &rows {
            if r.try_get("covered")? {
                withheld_documents += 1;
                continue;
            }
            register = r.try_get("register_id")?;
            documents.push(crate::documents::timeline_line(r)?);
        }
        if !documents.is_empty() {
            let ids: Vec<String> = documents.iter().map(|d| d.id.to_string()).collect();
            let user_name: String = sqlx::query_scalar("SELECT name FROM staff_user WHERE id = $1")
                .bind(user)
                .fetch_one(&mut *conn)
                .await?;
            record_disclosure(
                &mut *conn,
                &DisclosureEntry {
                    request_id: Some(caller.request_id),
                    user_id: Some(user),
                    user_name: &user_name,
                    register_id: &register,
                    client_id: Some(child),
                    data: &format!("documents {}", ids.join(", ")),
                    recipient: &format!("{name} (guardian)"),
                    purpose: "the guardian's request for the child's documents",
                    legal_basis: "the guardian's right to the child's data (703/2023 §51)",
                },
            )
            .await?;
        }
    }
    Ok(g.finish(Pending::new(GuardianAnswer {
        guardian: name,
        withheld,
        withheld_documents,
        prohibitions,
        documents,
    }))
    .await?)
}

/// The child's prohibitions, for the client card (under the card's access).
pub async fn prohibitions(
    g: &mut crate::gate::Guarded,
) -> crate::Result<Pending<Vec<Prohibition>>> {
    let (conn, access) = g.parts();
    // They are about the child's documents: only for a user who may read
    // some of those.
    let Some(child) = access
        .client_id()
        .filter(|_| !access.document_areas().is_empty())
    else {
        return Ok(Pending::new(Vec::new()));
    };
    Ok(Pending::new(load(conn, child).await?))
}

/// Ends a prohibition in force (`WriteDocument` on the child): from which
/// day it no longer holds and why (the minor withdrew it, turned 18, or it
/// was found not to be in their interest). It stays in the record. False
/// when the child has no such prohibition that has not ended.
pub async fn end_prohibition(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    child: i64,
    id: i64,
    ended_on: NaiveDate,
    reason: &str,
) -> Result<bool, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        child,
        &format!("end of minor's prohibition {id}"),
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let ended = sqlx::query(
        "UPDATE minor_prohibition SET ended_on = $3, end_reason = $4, ended_by = $5
         WHERE id = $1 AND person_id = $2 AND ended_on IS NULL AND made_on <= $3",
    )
    .bind(id)
    .bind(child)
    .bind(ended_on)
    .bind(reason)
    .bind(access.user_id())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    Ok(g.finish(Pending::new(ended)).await?)
}
