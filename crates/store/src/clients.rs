//! The register's people as the gate lets them be read. Every function that
//! returns client data takes the gate's proof and returns [`Pending`].

use crate::gate::{
    enter_general, visible_clients_predicate, Caller, GateError, GateSettings, Guarded, Pending,
};
use crate::Result;
use chrono::NaiveDate;
use kirjo_access::Action;
use serde::Serialize;
use sqlx::{PgPool, Row};

/// Basic data (perustiedot) of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonBasic {
    pub id: i64,
    pub register_id: String,
    pub identity_code: Option<String>,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
}

/// A client relationship as shown on the client's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relationship {
    pub id: i64,
    pub service_area: String,
    pub unit: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub responsible_worker: String,
}

/// The client's basic data and relationships. Needs `ViewBasicData`.
pub async fn basic_data(
    g: &mut Guarded,
) -> Result<Pending<Option<(PersonBasic, Vec<Relationship>)>>> {
    let (conn, access) = g.parts();
    if access.action() != Action::ViewBasicData && access.action() != Action::ViewDocument {
        return Ok(Pending::new(None));
    }
    let Some(client_id) = access.client_id() else {
        return Ok(Pending::new(None));
    };
    let person = sqlx::query(
        "SELECT id, register_id, identity_code, first_names, surname, birth_date FROM person WHERE id = $1",
    )
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(p) = person else {
        return Ok(Pending::new(None));
    };
    let person = PersonBasic {
        id: p.try_get("id")?,
        register_id: p.try_get("register_id")?,
        identity_code: p.try_get("identity_code")?,
        first_names: p.try_get("first_names")?,
        surname: p.try_get("surname")?,
        birth_date: p.try_get("birth_date")?,
    };
    let rels = sqlx::query(
        "SELECT r.id, r.sub_register_id, r.unit_id, r.started_on, r.ended_on, r.end_reason, u.name
         FROM client_relationship r JOIN staff_user u ON u.id = r.responsible_worker_id
         WHERE r.client_id = $1 ORDER BY r.started_on DESC, r.id",
    )
    .bind(client_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Relationship {
            id: r.try_get("id")?,
            service_area: r.try_get("sub_register_id")?,
            unit: r.try_get("unit_id")?,
            started_on: r.try_get("started_on")?,
            ended_on: r.try_get("ended_on")?,
            end_reason: r.try_get("end_reason")?,
            responsible_worker: r.try_get("name")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Pending::new(Some((person, rels))))
}

/// Search criteria; at least one is needed.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub identity_code: Option<String>,
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSummary {
    pub id: i64,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
}

/// Searches the people the caller may see; the search is itself a logged
/// use, with its criteria, in the use log.
pub async fn search(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    criteria: &Criteria,
) -> std::result::Result<Vec<PersonSummary>, GateError> {
    let mut what = String::from("search");
    if let Some(c) = &criteria.identity_code {
        what.push_str(&format!(" identity_code={c}"));
    }
    if let Some(n) = &criteria.name {
        what.push_str(&format!(" name={n}"));
    }
    if let Some(d) = &criteria.birth_date {
        what.push_str(&format!(" birth_date={d}"));
    }
    let mut g = enter_general(pool, caller, settings, Action::Search, &what).await?;
    let rows = {
        let (conn, access) = g.parts();
        let sql = format!(
            "SELECT p.id, p.first_names, p.surname, p.birth_date FROM person p
             WHERE ($2::text IS NULL OR p.identity_code = $2)
               AND ($3::text IS NULL OR p.surname ILIKE $3 || '%' OR p.first_names ILIKE $3 || '%')
               AND ($4::date IS NULL OR p.birth_date = $4)
               AND {}
             ORDER BY p.surname, p.first_names, p.id
             LIMIT $5 OFFSET $6",
            visible_clients_predicate(1)
        );
        sqlx::query(&sql)
            .bind(access.user_id())
            .bind(&criteria.identity_code)
            .bind(&criteria.name)
            .bind(criteria.birth_date)
            .bind(criteria.limit.clamp(1, 200))
            .bind(criteria.offset.max(0))
            .fetch_all(conn)
            .await?
    };
    let hits = rows
        .into_iter()
        .map(|r| {
            Ok(PersonSummary {
                id: r.try_get("id")?,
                first_names: r.try_get("first_names")?,
                surname: r.try_get("surname")?,
                birth_date: r.try_get("birth_date")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new(hits)).await?)
}

/// The ids of every person `user_id` may see, by the SQL rules (for the
/// agreement test and monitoring).
pub async fn visible_ids(pool: &PgPool, user_id: i64) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT p.id FROM person p WHERE {} ORDER BY p.id",
        visible_clients_predicate(1)
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await?)
}
