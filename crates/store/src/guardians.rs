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

/// The assessment a prohibition is recorded with (703/2023 §51(2)): the
/// child's age and maturity, the weighty reason, whether the prohibition is
/// clearly against the child's interest, and when the child was told the
/// outcome. Accepted only when the child can judge what it means and it is
/// not clearly against their interest (the database holds that too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The child's age in whole years on the day it was made: Kirjo's,
    /// from the birth date.
    pub child_age: i16,
    /// The worker's assessment of the child's age and maturity.
    pub age_and_maturity: String,
    /// By their age and maturity the child can judge what the prohibition
    /// means.
    pub mature_enough: bool,
    /// The weighty reason the child gives, as assessed.
    pub weighty_reason: String,
    pub clearly_against_interest: bool,
    /// When the child was told the outcome.
    pub child_told_on: NaiveDate,
}

/// A prohibition to record, as checked by the caller (the store checks
/// the dates again against today and the decision against the assessment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProhibition {
    pub made_on: NaiveDate,
    pub accepted: bool,
    /// The grounds of the decision.
    pub reason: String,
    pub age_and_maturity: String,
    pub mature_enough: bool,
    pub weighty_reason: String,
    pub clearly_against_interest: bool,
    pub child_told_on: NaiveDate,
    /// The documents it covers (each with its later corrections); None:
    /// all of the child's documents.
    pub documents: Option<Vec<i64>>,
}

impl NewProhibition {
    /// What is wrong with it on `today`, as the use log keeps it: each
    /// problem by its field. Empty when nothing is.
    pub fn problems(&self, today: NaiveDate) -> Vec<&'static str> {
        let mut p = Vec::new();
        if self.made_on < today {
            p.push("made_on: before today (a prohibition is not backdated)");
        }
        if self.made_on > today {
            p.push("made_on: in the future");
        }
        if self.child_told_on < self.made_on {
            p.push("child_told_on: before the prohibition was made");
        }
        if self.child_told_on > today {
            p.push("child_told_on: in the future");
        }
        if self.accepted && self.clearly_against_interest {
            p.push("clearly_against_interest: an accepted prohibition cannot be clearly against the child's interest");
        }
        if self.accepted && !self.mature_enough {
            p.push(
                "mature_enough: an accepted prohibition needs a child who can judge what it means",
            );
        }
        if [&self.reason, &self.age_and_maturity, &self.weighty_reason]
            .iter()
            .any(|t| t.trim().is_empty())
        {
            p.push("reason, age_and_maturity, weighty_reason: each is required");
        }
        p
    }
}

/// A prohibition as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prohibition {
    pub id: i64,
    pub made_on: NaiveDate,
    pub accepted: bool,
    pub reason: String,
    /// None for a prohibition recorded before assessments were kept.
    pub assessment: Option<Assessment>,
    pub recorded_by: String,
    /// The document series it covers; None: all of the child's documents.
    pub documents: Option<Vec<i64>>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// The service area of the relationship under which it was recorded;
    /// None for one from before areas were kept that could not be given
    /// one.
    pub service_area: Option<String>,
}

impl Prohibition {
    /// Whether it is shown, with the child's reasons, to a user who has
    /// sensitive data of the child in `areas`.
    fn shown_in(&self, areas: &[String]) -> bool {
        self.service_area
            .as_ref()
            .is_some_and(|a| areas.contains(a))
    }
    /// Whether it is accepted and in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.accepted && self.made_on <= day && self.ended_on.is_none_or(|e| day < e)
    }
}

/// The child's prohibitions, newest first.
async fn load(conn: &mut sqlx::PgConnection, child: i64) -> Result<Vec<Prohibition>, sqlx::Error> {
    sqlx::query(
        "SELECT m.id, m.made_on, m.accepted, m.reason, u.name, m.document_series, m.ended_on,
                m.end_reason, m.sub_register_id, m.assessed, m.child_age, m.age_and_maturity, m.mature_enough,
                m.weighty_reason, m.clearly_against_interest, m.child_told_on
         FROM minor_prohibition m JOIN staff_user u ON u.id = m.recorded_by
         WHERE m.person_id = $1 ORDER BY m.made_on DESC, m.id DESC",
    )
    .bind(child)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let assessment = if r.try_get("assessed")? {
            Some(Assessment {
                child_age: r.try_get("child_age")?,
                age_and_maturity: r.try_get("age_and_maturity")?,
                mature_enough: r.try_get("mature_enough")?,
                weighty_reason: r.try_get("weighty_reason")?,
                clearly_against_interest: r.try_get("clearly_against_interest")?,
                child_told_on: r.try_get("child_told_on")?,
            })
        } else {
            None
        };
        Ok(Prohibition {
            id: r.try_get("id")?,
            made_on: r.try_get("made_on")?,
            accepted: r.try_get("accepted")?,
            reason: r.try_get("reason")?,
            assessment,
            recorded_by: r.try_get("name")?,
            documents: r.try_get("document_series")?,
            ended_on: r.try_get("ended_on")?,
            end_reason: r.try_get("end_reason")?,
            service_area: r.try_get("sub_register_id")?,
        })
    })
    .collect()
}

/// Records a minor's prohibition (`RecordMinorProhibition` on the child:
/// a social worker of the controller who serves the child), accepted or
/// not, with its grounds and assessment. Only for a person under 18, made
/// today (never backdated), and told to the child by today.
///
/// `input` is the prohibition, or, when the caller found problems with
/// what was given, the explanation the use log keeps: the attempt is then
/// refused ([`GateError::Invalid`]) after the gate has decided whether the
/// user may try at all ([`GateError::Denied`]), and logged either way.
pub async fn record_prohibition(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    child: i64,
    input: Result<&NewProhibition, &str>,
) -> Result<i64, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::RecordMinorProhibition,
        child,
        "minor's prohibition on disclosure to a guardian",
        None,
    )
    .await?;
    let (conn, _) = g.parts();
    let (minor, age, today): (bool, i16, NaiveDate) = sqlx::query_as(
        "SELECT birth_date > kirjo_today() - interval '18 years',
                least(greatest(date_part('year', age(kirjo_today(), birth_date)), 0), 32767)::int2,
                kirjo_today()
         FROM person WHERE id = $1",
    )
    .bind(child)
    .fetch_one(&mut *conn)
    .await?;
    if !minor {
        return Err(g
            .deny("denied: only a minor's prohibition on disclosure to a guardian is recorded here")
            .await);
    }
    let p = match input {
        Ok(p) => p,
        Err(explanation) => return Err(g.refuse(format!("refused: {explanation}")).await),
    };
    let problems = p.problems(today);
    if !problems.is_empty() {
        return Err(g.refuse(format!("refused: {}", problems.join("; "))).await);
    }
    let series: Option<Vec<i64>> = match p.documents.as_deref() {
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
    // Recorded in the service area of the relationship that lets the user
    // record it, as a document is.
    let area = access.decision().service_area.clone();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO minor_prohibition (person_id, made_on, accepted, reason, recorded_by, document_series,
                                        child_age, age_and_maturity, mature_enough, weighty_reason,
                                        clearly_against_interest, child_told_on, sub_register_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(child)
    .bind(p.made_on)
    .bind(p.accepted)
    .bind(p.reason.trim())
    .bind(access.user_id())
    .bind(series)
    .bind(age)
    .bind(p.age_and_maturity.trim())
    .bind(p.mature_enough)
    .bind(p.weighty_reason.trim())
    .bind(p.clearly_against_interest)
    .bind(p.child_told_on)
    .bind(area)
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
    // A guardian related by someone who could not see them is named only
    // to a user who may see them: otherwise no answer names them.
    let name: Option<String> = sqlx::query_scalar(&format!(
        "SELECT o.first_names || ' ' || o.surname FROM person_relation r JOIN person o ON o.id = r.related_id
         WHERE r.person_id = $1 AND r.related_id = $2 AND r.kind = 'guardian'
           AND (r.valid_from IS NULL OR r.valid_from <= kirjo_today())
           AND (r.valid_until IS NULL OR kirjo_today() <= r.valid_until)
           AND (r.related_seen_by_recorder
                OR EXISTS (SELECT 1 FROM person p WHERE p.id = o.id AND {}))",
        crate::gate::visible_clients_predicate(3)
    ))
    .bind(child)
    .bind(guardian)
    .bind(access.user_id())
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
    let sensitive_areas = access.areas_of(Action::ViewSensitiveData);
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
    // Every prohibition in force is honoured, whichever area recorded it;
    // the child's reasons are shown only as sensitive data are.
    let prohibitions = prohibitions
        .into_iter()
        .filter(|p| p.shown_in(&sensitive_areas))
        .collect();
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
    // A prohibition, with the child's reasons, is the child's sensitive
    // data: shown in the areas where the user has those
    // (`ViewSensitiveData`), each in the area it was recorded in. A
    // supervisor, a clerk and a provider's worker see none.
    let areas = access.areas_of(Action::ViewSensitiveData);
    let Some(child) = access.client_id().filter(|_| !areas.is_empty()) else {
        return Ok(Pending::new(Vec::new()));
    };
    Ok(Pending::new(
        load(conn, child)
            .await?
            .into_iter()
            .filter(|p| p.shown_in(&areas))
            .collect(),
    ))
}

/// Ends a prohibition in force (`RecordMinorProhibition` on the child):
/// from which day it no longer holds (today or later: never backdated) and
/// why (the minor withdrew it, turned 18, or it was found not to be in
/// their interest). It stays in the record, with who ended it and when.
/// False when the child has no such prohibition that has not ended; that
/// refusal is logged too.
///
/// `input` is the day and the reason, or the explanation of what was wrong
/// with them (refused and logged as in [`record_prohibition`]).
pub async fn end_prohibition(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    child: i64,
    id: i64,
    input: Result<(NaiveDate, &str), &str>,
) -> Result<bool, GateError> {
    let mut g = enter_on_client(
        pool,
        caller,
        settings,
        Action::RecordMinorProhibition,
        child,
        &format!("end of minor's prohibition {id}"),
        None,
    )
    .await?;
    let (ended_on, reason) = match input {
        Ok(i) => i,
        Err(explanation) => return Err(g.refuse(format!("refused: {explanation}")).await),
    };
    let (conn, access) = g.parts();
    let user = access.user_id();
    // Only one recorded in an area where the user may record one.
    let areas = access.areas().to_vec();
    let today: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    if ended_on < today {
        return Err(g
            .refuse("refused: ended_on: before today (an end is not backdated)")
            .await);
    }
    if reason.trim().is_empty() {
        return Err(g.refuse("refused: reason: required").await);
    }
    let ended = sqlx::query(
        "UPDATE minor_prohibition SET ended_on = $3, end_reason = $4, ended_by = $5, ended_at = now()
         WHERE id = $1 AND person_id = $2 AND ended_on IS NULL AND made_on <= $3
           AND sub_register_id = ANY($6)",
    )
    .bind(id)
    .bind(child)
    .bind(ended_on)
    .bind(reason.trim())
    .bind(user)
    .bind(&areas)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !ended {
        g.log_refusal(format!(
            "refused: the child has no prohibition {id} in force from before {ended_on}"
        ))
        .await?;
        return Ok(false);
    }
    Ok(g.finish(Pending::new(true)).await?)
}
