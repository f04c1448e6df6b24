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

/// Basic data (perustiedot) of a person. Under turvakielto the address,
/// home municipality and contact data are left out (`protected` says so);
/// [`protected_contact`] reveals them, with a reason, under its own action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonBasic {
    pub id: i64,
    pub register_id: String,
    pub identity_code: Option<String>,
    pub first_names: String,
    pub surname: String,
    pub calling_name: Option<String>,
    pub birth_date: NaiveDate,
    pub died_on: Option<NaiveDate>,
    pub mother_tongue: Option<String>,
    pub service_language: Option<String>,
    pub citizenship: Vec<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    /// Turvakielto of the person, or of a household member it covers.
    pub protected: bool,
    pub contact: Option<ContactData>,
    pub relations: Vec<Relation>,
    /// Raised by the database on every change of the person's row (a
    /// worker's edit, a change from the population register): an edit
    /// names the revision it was made from (docs/concurrency.md).
    pub revision: i64,
}

/// Where a person lives and how to reach them: hidden under turvakielto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactData {
    pub home_municipality: Option<String>,
    pub addresses: Vec<Address>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub kind: String,
    pub street: String,
    pub postal_code: Option<String>,
    pub post_office: Option<String>,
    pub municipality: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub source: String,
}

/// A family member or representative, in force today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub kind: String,
    /// None with the name: a person the user may not see is not shown by
    /// id either, so that the card says nothing of which person it is (nor
    /// that such an id exists).
    pub person_id: Option<i64>,
    /// None: a person the user may not see, related by someone who could
    /// not see them either; nothing of theirs is shown.
    pub name: Option<String>,
    /// The user may open the person's own card (the same rules as
    /// `ViewBasicData` by a relationship or a commission): a page links
    /// to it only then, never into a denial.
    pub openable: bool,
    pub scope: Option<String>,
    pub right_of_access: Option<bool>,
    pub source: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// Whether the contact data of `person` (an SQL expression) are protected
/// on `day` (an SQL date expression): their own turvakielto, or one of a
/// household member whom it covers (a child living with a protected
/// guardian is protected too). One rule for the card, the edit form, the
/// exports and the monitor.
pub fn protected_sql(person: &str, day: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM turvakielto t
        WHERE t.valid_from <= {day} AND (t.valid_until IS NULL OR {day} <= t.valid_until)
          AND (t.person_id = {person} OR t.person_id IN (
                SELECT CASE WHEN r.person_id = {person} THEN r.related_id ELSE r.person_id END
                FROM person_relation r
                WHERE r.kind = 'household_member' AND (r.person_id = {person} OR r.related_id = {person})
                  AND (r.valid_from IS NULL OR r.valid_from <= {day})
                  AND (r.valid_until IS NULL OR {day} <= r.valid_until))))"
    )
}

/// [`protected_sql`] of the person `$1` today.
pub(crate) fn protected_today_sql() -> String {
    protected_sql("$1", "kirjo_today()")
}

/// The statements of the client card ([`basic_data`], with its contact
/// data), each binding $1 the client. Public for the plan guard
/// (`crates/kirjo/tests/plan_guard.rs`), which explains these very texts.
pub fn basic_person_sql() -> String {
    format!(
        "SELECT id, register_id, identity_code, first_names, surname, calling_name, birth_date, died_on,
                mother_tongue, service_language, citizenship, occupation, workplace,
                {} AS protected, revision
         FROM person WHERE id = $1",
        protected_today_sql()
    )
}

/// The client's family and representatives in force (see
/// [`basic_person_sql`]); binds $1 the client, $2 the user. A relation
/// recorded by a user who could not see the related person names them
/// only to a user who may (by the list rules): the name is NULL otherwise.
pub fn relations_sql() -> String {
    format!(
        "SELECT x.kind, x.id, CASE WHEN x.shown THEN x.first_names || ' ' || x.surname END AS name,
                x.openable, x.scope, x.right_of_access, x.source, x.valid_from, x.valid_until
         FROM (SELECT y.*, (y.related_seen_by_recorder OR y.openable) AS shown
               FROM (SELECT r.kind, o.id, o.first_names, o.surname, r.scope, r.right_of_access, r.source,
                            r.valid_from, r.valid_until, r.id AS relation_id, r.related_seen_by_recorder,
                            EXISTS (SELECT 1 FROM person p WHERE p.id = o.id AND {}) AS openable
                     FROM person_relation r JOIN person o ON o.id = r.related_id
                     WHERE r.person_id = $1 AND (r.valid_until IS NULL OR kirjo_today() <= r.valid_until)) y) x
         -- Those not shown come last, in the order recorded: never sorted
         -- among the others by a name the user may not see.
         ORDER BY x.kind, NOT x.shown,
                  CASE WHEN x.shown THEN x.surname END, CASE WHEN x.shown THEN x.first_names END,
                  x.relation_id",
        visible_clients_predicate(2)
    )
}

/// The client's home municipality (see [`basic_person_sql`]).
pub const HOME_MUNICIPALITY_SQL: &str = "SELECT home_municipality FROM person WHERE id = $1";

/// The client's addresses in force (see [`basic_person_sql`]).
pub const ADDRESSES_SQL: &str =
    "SELECT kind, street, postal_code, post_office, municipality, valid_from, valid_until, source
         FROM person_address WHERE person_id = $1
           AND (valid_until IS NULL OR kirjo_today() <= valid_until)
         ORDER BY kind, valid_from DESC NULLS LAST, id";

/// The client's phones and emails in force (see [`basic_person_sql`]).
pub const CONTACTS_SQL: &str =
    "SELECT kind, value FROM person_contact WHERE person_id = $1 AND ended_at IS NULL ORDER BY id";

/// The client's relationships (see [`basic_person_sql`]).
pub const RELATIONSHIPS_SQL: &str =
    "SELECT r.id, r.sub_register_id, r.unit_id, r.started_on, r.ended_on, r.end_reason, u.name,
                r.basis, r.basis_document_id, a.name AS assigned_by, r.purpose_id, r.purpose_text,
                r.backdating_reason
         FROM client_relationship r JOIN staff_user u ON u.id = r.responsible_worker_id
              LEFT JOIN staff_user a ON a.id = r.assigned_by
         WHERE r.client_id = $1 ORDER BY r.started_on DESC, r.id";

async fn contact_data(conn: &mut sqlx::PgConnection, id: i64) -> Result<ContactData> {
    let home: Option<String> = sqlx::query_scalar(HOME_MUNICIPALITY_SQL)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let addresses = sqlx::query(ADDRESSES_SQL)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(Address {
                kind: r.try_get("kind")?,
                street: r.try_get("street")?,
                postal_code: r.try_get("postal_code")?,
                post_office: r.try_get("post_office")?,
                municipality: r.try_get("municipality")?,
                valid_from: r.try_get("valid_from")?,
                valid_until: r.try_get("valid_until")?,
                source: r.try_get("source")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    let contacts: Vec<(String, String)> = sqlx::query_as(CONTACTS_SQL)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let pick = |k: &str| {
        contacts
            .iter()
            .filter(|(kind, _)| kind == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    Ok(ContactData {
        home_municipality: home,
        addresses,
        phones: pick("phone"),
        emails: pick("email"),
    })
}

/// The protected contact data, revealed. Needs `RevealProtectedAddress`,
/// which the gate grants only with a stated reason, kept in the use log.
/// Never for anything that leaves the system.
pub async fn protected_contact(g: &mut Guarded) -> Result<Pending<Option<ContactData>>> {
    let (conn, access) = g.parts();
    let (Action::RevealProtectedAddress, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    Ok(Pending::new(Some(contact_data(conn, id).await?)))
}

/// Whether the client's contact data are protected today (turvakielto of
/// their own or of a household member): the edit form leaves them out.
pub async fn is_protected(g: &mut Guarded) -> Result<bool> {
    let (conn, access) = g.parts();
    let Some(id) = access.client_id() else {
        return Ok(false);
    };
    Ok(
        sqlx::query_scalar(&format!("SELECT {}", protected_today_sql()))
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
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
    pub basis: RelationshipBasis,
}

/// What a relationship was opened on, as Kirjo recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationshipBasis {
    /// `document`, `assignment`, `purpose`, or `legacy` (opened before
    /// Kirjo kept a basis).
    pub kind: String,
    pub document_id: Option<i64>,
    /// The supervisor who assigned it, by name.
    pub assigned_by: Option<String>,
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    /// Why its start is in the past, where it is.
    pub backdating_reason: Option<String>,
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
    let person = sqlx::query(&basic_person_sql())
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(p) = person else {
        return Ok(Pending::new(None));
    };
    let protected: bool = p.try_get("protected")?;
    let relations = sqlx::query(&relations_sql())
        .bind(client_id)
        .bind(access.user_id())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let name: Option<String> = r.try_get("name")?;
            Ok(Relation {
                kind: r.try_get("kind")?,
                person_id: if name.is_some() {
                    Some(r.try_get("id")?)
                } else {
                    None
                },
                name,
                openable: r.try_get("openable")?,
                scope: r.try_get("scope")?,
                right_of_access: r.try_get("right_of_access")?,
                source: r.try_get("source")?,
                valid_from: r.try_get("valid_from")?,
                valid_until: r.try_get("valid_until")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    let contact = if protected {
        None
    } else {
        Some(contact_data(&mut *conn, client_id).await?)
    };
    let person = PersonBasic {
        id: p.try_get("id")?,
        register_id: p.try_get("register_id")?,
        identity_code: p.try_get("identity_code")?,
        first_names: p.try_get("first_names")?,
        surname: p.try_get("surname")?,
        calling_name: p.try_get("calling_name")?,
        birth_date: p.try_get("birth_date")?,
        died_on: p.try_get("died_on")?,
        mother_tongue: p.try_get("mother_tongue")?,
        service_language: p.try_get("service_language")?,
        citizenship: p.try_get("citizenship")?,
        occupation: p.try_get("occupation")?,
        workplace: p.try_get("workplace")?,
        protected,
        contact,
        relations,
        revision: p.try_get("revision")?,
    };
    let rels = sqlx::query(RELATIONSHIPS_SQL)
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
                basis: RelationshipBasis {
                    kind: r.try_get("basis")?,
                    document_id: r.try_get("basis_document_id")?,
                    assigned_by: r.try_get("assigned_by")?,
                    purpose: r.try_get("purpose_id")?,
                    purpose_text: r.try_get("purpose_text")?,
                    backdating_reason: r.try_get("backdating_reason")?,
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Pending::new(Some((person, rels))))
}

/// Whose page it is: what every client page shows in its band. Read under
/// the page's own access to the client (so logged with it): any access on
/// a client implies the basic data rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub id: i64,
    pub first_names: String,
    pub surname: String,
    pub identity_code: Option<String>,
    pub birth_date: NaiveDate,
    pub died_on: Option<NaiveDate>,
    /// Turvakielto of the person, or of a household member it covers.
    pub protected: bool,
    /// The responsible workers of the relationships in force.
    pub workers: Vec<String>,
}

/// [`band`]'s statement; binds $1 the client.
pub fn band_sql() -> String {
    format!(
        "SELECT id, first_names, surname, identity_code, birth_date, died_on, {protected} AS protected,
                ARRAY(SELECT DISTINCT u.name FROM client_relationship r
                      JOIN staff_user u ON u.id = r.responsible_worker_id
                      WHERE r.client_id = $1 AND r.started_on <= kirjo_today()
                        AND (r.ended_on IS NULL OR kirjo_today() <= r.ended_on)
                      ORDER BY u.name) AS workers
         FROM person WHERE id = $1",
        protected = protected_today_sql()
    )
}

/// The band of the client the access is on, read in its transaction.
pub async fn band(g: &mut Guarded) -> Result<Pending<Option<Band>>> {
    let (conn, access) = g.parts();
    let Some(client_id) = access.client_id() else {
        return Ok(Pending::new(None));
    };
    Ok(Pending::new(band_in(&mut *conn, client_id).await?))
}

pub(crate) async fn band_in(conn: &mut sqlx::PgConnection, client_id: i64) -> Result<Option<Band>> {
    let Some(r) = sqlx::query(&band_sql())
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Band {
        id: r.try_get("id")?,
        first_names: r.try_get("first_names")?,
        surname: r.try_get("surname")?,
        identity_code: r.try_get("identity_code")?,
        birth_date: r.try_get("birth_date")?,
        died_on: r.try_get("died_on")?,
        protected: r.try_get("protected")?,
        workers: r.try_get("workers")?,
    }))
}

/// Whether the user may open the person's card by a relationship or a
/// commission (the `ViewBasicData` rules, as the lists apply them). Not an
/// access: nothing of the person is read. For where a page sends the user
/// after an action (the person just added), never into a denial.
pub async fn may_open(pool: &PgPool, user_id: i64, person_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM person p WHERE p.id = $1 AND {})",
        visible_clients_predicate(2)
    ))
    .bind(person_id)
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// Search criteria; at least one is needed.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub identity_code: Option<String>,
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
    /// Search outside one's own relationships, with this stated purpose
    /// (logged with the search, and flagged for review).
    pub purpose: Option<kirjo_access::StatedPurpose>,
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
    let mut g = crate::gate::enter(
        pool,
        caller,
        settings,
        &crate::gate::Request {
            action: Action::Search,
            client_id: None,
            data: &what,
            purpose: criteria.purpose.as_ref(),
            reason: None,
        },
    )
    .await?;
    let rows = {
        let (conn, access) = g.parts();
        sqlx::query(&search_sql(criteria.purpose.is_some()))
            .bind(access.user_id())
            .bind(&criteria.identity_code)
            .bind(&criteria.name)
            .bind(criteria.birth_date)
            .bind(criteria.limit.clamp(1, 200))
            .bind(criteria.offset.max(0))
            .bind(&settings.outside_access_areas)
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
    g.record_shown(&hits.iter().map(|h| h.id).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(hits)).await?)
}

/// [`search`]'s query, with a stated purpose or without. Binds: $1 the user,
/// $2 an identity code, $3 a name, $4 a birth date (each or NULL), $5 the
/// limit, $6 the offset, $7 the areas that allow access outside a
/// relationship (text[]).
pub fn search_sql(with_purpose: bool) -> String {
    // With a purpose: the people a purpose opens (not served in an area
    // that forbids access outside a relationship), besides those the user
    // may see anyway.
    // Without a purpose, the search starts from the people the user may see
    // (a worker's few hundred, a unit's thousands) and matches names among
    // them; only a purpose search (logged, flagged) runs county-wide.
    // A purpose search looks up each person found for a relationship in an
    // area closed to it, by the client's index (a lateral join): as a NOT
    // EXISTS the planner hashed every relationship of the county instead,
    // for a name's every search.
    // The name matches as pg_trgm's `<%` does (word similarity of at least
    // its default threshold, 0.6, which Kirjo never changes). Among the
    // visible set it is written as the function, which no index answers:
    // the planner then cannot start from the county-wide trigram index
    // (it expects ten rows of a name's trigrams; a typo such as "Korhnen"
    // rechecked 2,122 persons of the 100,000-person county, 108 ms, where
    // a worker's 269 clients take 7 ms). The purpose search, county-wide,
    // keeps the operator and its index.
    let name_match = if with_purpose {
        "kirjo_fold($3) <% kirjo_fold(p.surname || ' ' || p.first_names)"
    } else {
        "word_similarity(kirjo_fold($3), kirjo_fold(p.surname || ' ' || p.first_names)) >= 0.6"
    };
    let (closed, visible) = if with_purpose {
        (
            "
             LEFT JOIN LATERAL (
                 SELECT r.id FROM client_relationship r
                 WHERE r.client_id = p.id
                   AND r.started_on <= kirjo_today() AND (r.ended_on IS NULL OR kirjo_today() <= r.ended_on)
                   AND NOT (r.sub_register_id = ANY($7))
                 LIMIT 1) closed ON true",
            format!("({} OR closed.id IS NULL)", visible_clients_predicate(1)),
        )
    } else {
        (
            "",
            format!(
                "p.id IN (SELECT client_id FROM ({}) s)",
                crate::gate::visible_set(1)
            ),
        )
    };
    format!(
        "SELECT p.id, p.first_names, p.surname, p.birth_date FROM person p{closed}
             WHERE ($2::text IS NULL OR p.identity_code = $2)
               AND ($3::text IS NULL OR {name_match})
               AND ($4::date IS NULL OR p.birth_date = $4)
               AND {visible}
             ORDER BY CASE WHEN $3::text IS NULL THEN 0
                           ELSE word_similarity(kirjo_fold($3), kirjo_fold(p.surname || ' ' || p.first_names)) END DESC,
                      p.surname, p.first_names, p.id
             LIMIT $5 OFFSET $6"
    )
}

/// The ids of every person `user_id` may see, by the SQL set that list
/// queries start from (for the agreement test).
pub async fn visible_ids_by_set(pool: &PgPool, user_id: i64) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT DISTINCT client_id FROM ({}) s ORDER BY client_id",
        crate::gate::visible_set(1)
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await?)
}

/// Every (client, service area) pair `user_id` may see, by the area
/// predicate and by the set: the two must agree (for the agreement test).
pub async fn visible_areas_both_ways(
    pool: &PgPool,
    user_id: i64,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let by_predicate = format!(
        "SELECT p.id, s.id FROM person p CROSS JOIN sub_register s WHERE {} ORDER BY 1, 2",
        crate::gate::visible_clients_in_area_predicate(1, "s.id")
    );
    let by_set = format!(
        "SELECT DISTINCT client_id, sub_register_id FROM ({}) s ORDER BY 1, 2",
        crate::gate::visible_set(1)
    );
    let a = sqlx::query_as(&by_predicate)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    let b = sqlx::query_as(&by_set)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    Ok((a, b))
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

/// A person's basic data, validated and normalised by the caller (the web
/// layer checks identity codes, municipality and language codes, phones and
/// emails with the domain types before it builds this).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonInput {
    /// Only when adding a person; a person without one has a birth date and
    /// Kirjo's own id.
    pub identity_code: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub first_names: String,
    pub surname: String,
    pub calling_name: Option<String>,
    pub home_municipality: Option<String>,
    pub mother_tongue: Option<String>,
    pub service_language: Option<String>,
    pub citizenship: Vec<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    /// The current phone numbers and emails: the earlier ones end.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    /// A new permanent address: the earlier permanent one ends yesterday.
    pub address: Option<AddressInput>,
    /// Editing a person under turvakielto whose contact data the editor has
    /// not seen: the home municipality, phones, emails and addresses stay as
    /// they are.
    pub keep_contact_data: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressInput {
    pub street: String,
    pub postal_code: Option<String>,
    pub post_office: Option<String>,
    pub municipality: Option<String>,
}

/// Why a person could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    Created(i64),
    /// A person with this identity code is already in the register.
    IdentityCodeTaken,
}

async fn write_contacts(
    conn: &mut sqlx::PgConnection,
    id: i64,
    p: &PersonInput,
    replace: bool,
) -> Result<()> {
    if replace {
        sqlx::query(
            "UPDATE person_contact SET ended_at = now() WHERE person_id = $1 AND ended_at IS NULL",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    for (kind, values) in [("phone", &p.phones), ("email", &p.emails)] {
        for v in values {
            sqlx::query("INSERT INTO person_contact (person_id, kind, value, source) VALUES ($1, $2, $3, 'worker')")
                .bind(id)
                .bind(kind)
                .bind(v)
                .execute(&mut *conn)
                .await?;
        }
    }
    if let Some(a) = &p.address {
        sqlx::query(
            "UPDATE person_address SET valid_until = kirjo_today() - 1
             WHERE person_id = $1 AND kind = 'permanent' AND (valid_until IS NULL OR valid_until >= kirjo_today())
               AND (valid_from IS NULL OR valid_from < kirjo_today())",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO person_address (person_id, kind, street, postal_code, post_office, municipality, valid_from, source)
             VALUES ($1, 'permanent', $2, $3, $4, $5, kirjo_today(), 'worker')",
        )
        .bind(id)
        .bind(&a.street)
        .bind(&a.postal_code)
        .bind(&a.post_office)
        .bind(&a.municipality)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a person to the register. Needs `CreatePerson`.
pub async fn create_person(
    g: &mut Guarded,
    register_id: &str,
    p: &PersonInput,
) -> Result<Pending<Option<CreateOutcome>>> {
    let (conn, access) = g.parts();
    if access.action() != Action::CreatePerson {
        return Ok(Pending::new(None));
    }
    let Some(birth_date) = p.birth_date else {
        return Err(crate::StoreError::Setup(
            "a person needs a birth date".to_owned(),
        ));
    };
    if let Some(code) = &p.identity_code {
        let taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM person WHERE identity_code = $1)")
                .bind(code)
                .fetch_one(&mut *conn)
                .await?;
        if taken {
            return Ok(Pending::new(Some(CreateOutcome::IdentityCodeTaken)));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO person (register_id, identity_code, first_names, surname, calling_name, birth_date,
                             home_municipality, citizenship, mother_tongue, service_language, occupation, workplace)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(register_id)
    .bind(&p.identity_code)
    .bind(&p.first_names)
    .bind(&p.surname)
    .bind(&p.calling_name)
    .bind(birth_date)
    .bind(&p.home_municipality)
    .bind(&p.citizenship)
    .bind(&p.mother_tongue)
    .bind(&p.service_language)
    .bind(&p.occupation)
    .bind(&p.workplace)
    .fetch_one(&mut *conn)
    .await?;
    write_contacts(conn, id, p, false).await?;
    Ok(Pending::new(Some(CreateOutcome::Created(id))))
}

/// Changes a person's basic data. Needs `EditBasicData` on that person. The
/// identity code and birth date are not changed here: they come from the
/// population register.
/// Street, postal code, post office and municipality of an address.
type AddressRow = (String, Option<String>, Option<String>, Option<String>);

///
/// Only from the revision stored now (`revision`, as read): an edit from a
/// stale read writes nothing and is refused with [`GateError::Conflict`]
/// (logged). Finishes the access: the new revision, or `None` when the
/// access is not `EditBasicData` (nothing written).
pub async fn update_basic(
    mut g: Guarded,
    p: &PersonInput,
    revision: i64,
) -> std::result::Result<Option<i64>, GateError> {
    match write_basic(&mut g, p, revision).await? {
        Written::Saved(new) => Ok(g.finish(Pending::new(Some(new))).await?),
        Written::NotThisAccess => Ok(g.finish(Pending::new(None)).await?),
        Written::Stale(current) => Err(g
            .conflict(
                format!(
                    "conflict: the basic data have changed since they were read (revision {revision}, now {current})"
                ),
                current,
            )
            .await),
    }
}

enum Written {
    Saved(i64),
    Stale(i64),
    NotThisAccess,
}

async fn write_basic(g: &mut Guarded, p: &PersonInput, revision: i64) -> Result<Written> {
    let (conn, access) = g.parts();
    let (Action::EditBasicData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Written::NotThisAccess);
    };
    // Under turvakielto the contact data stay as they are, whoever asks:
    // the editor has not seen them (they change through the population
    // register, or after a reveal).
    let protected: bool = sqlx::query_scalar(&format!("SELECT {}", protected_today_sql()))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let keep = p.keep_contact_data || protected;
    // Written only over the revision it was made from: an edit committed
    // meanwhile (PostgreSQL re-reads the row it waited for) leaves this
    // one nothing to write. The row stays locked to the end, so the
    // contacts below are written over the same revision.
    let saved: Option<i64> = sqlx::query_scalar(
        "UPDATE person SET first_names = $2, surname = $3, calling_name = $4,
                home_municipality = CASE WHEN $11 THEN home_municipality ELSE $5 END,
                citizenship = $6, mother_tongue = $7, service_language = $8, occupation = $9,
                workplace = $10, updated_at = now()
         WHERE id = $1 AND revision = $12 RETURNING revision",
    )
    .bind(id)
    .bind(&p.first_names)
    .bind(&p.surname)
    .bind(&p.calling_name)
    .bind(&p.home_municipality)
    .bind(&p.citizenship)
    .bind(&p.mother_tongue)
    .bind(&p.service_language)
    .bind(&p.occupation)
    .bind(&p.workplace)
    .bind(keep)
    .bind(revision)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(new) = saved else {
        let current: i64 = sqlx::query_scalar("SELECT revision FROM person WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(Written::Stale(current));
    };
    if keep {
        return Ok(Written::Saved(new));
    }
    // Only what changed is written: an unchanged address keeps its source
    // (the population register) and its history, unchanged phones and
    // emails stay as they are.
    let current: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, value FROM person_contact WHERE person_id = $1 AND ended_at IS NULL",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let sorted = |kind: &str, list: Option<&Vec<String>>| {
        let mut v: Vec<String> = match list {
            Some(l) => l.clone(),
            None => current
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, v)| v.clone())
                .collect(),
        };
        v.sort();
        v
    };
    let same_contacts = sorted("phone", None) == sorted("phone", Some(&p.phones))
        && sorted("email", None) == sorted("email", Some(&p.emails));
    let today_address: Option<AddressRow> = sqlx::query_as(
        "SELECT street, postal_code, post_office, municipality FROM person_address
             WHERE person_id = $1 AND kind = 'permanent'
               AND (valid_from IS NULL OR valid_from <= kirjo_today())
               AND (valid_until IS NULL OR kirjo_today() <= valid_until)
             ORDER BY valid_from DESC NULLS LAST, id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let same_address = match (&p.address, &today_address) {
        (Some(a), Some((street, postal, office, municipality))) => {
            &a.street == street
                && &a.postal_code == postal
                && a.post_office.as_deref().map(str::to_uppercase)
                    == office.as_deref().map(str::to_uppercase)
                && &a.municipality == municipality
        }
        (None, _) => true,
        (Some(_), None) => false,
    };
    let mut changes = p.clone();
    if same_address {
        changes.address = None;
    }
    if same_contacts {
        changes.phones.clear();
        changes.emails.clear();
    }
    write_contacts(conn, id, &changes, !same_contacts).await?;
    Ok(Written::Saved(new))
}

/// The kinds of relation a worker may record.
pub const RELATION_KINDS: [&str; 7] = [
    "guardian",
    "parent_without_custody",
    "legal_representative",
    "authorised_person",
    "next_of_kin",
    "contact_person",
    "household_member",
];

/// A relation recorded by a worker (or told by the client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationInput {
    pub kind: String,
    pub related_id: i64,
    pub scope: Option<String>,
    pub right_of_access: Option<bool>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// `client` or `worker`; the population register's come by import.
    pub source: String,
}

/// Why a relation could not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationOutcome {
    Recorded(i64),
    /// A person the user may not see, or an id no one has: the caller
    /// answers both alike (no existence oracle). The first is recorded,
    /// naming no one to those who may not see the person; both are
    /// logged and flagged (`relation_to_unseen`).
    Unseen,
    /// The client themselves.
    NoSuchPerson,
    /// Custody is of a child under 18.
    NotAChild,
}

/// Records a relation of the client. Needs `EditBasicData` on the client.
///
/// A relation to a person the user may not see (by the same rules as
/// every list) is recorded without showing that person's data: it is
/// marked as recorded unseen, and the card names the person only to those
/// who may see them. An id that does not exist is answered the same way
/// (and nothing recorded). Either attempt leaves a row in the use log: on
/// the related person, whose data the relation touches, or a refusal
/// naming the id; and a flag for review on the client.
pub async fn add_relation(
    g: &mut Guarded,
    r: &RelationInput,
) -> Result<Pending<Option<RelationOutcome>>> {
    let (conn, access) = g.parts();
    let (Action::EditBasicData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let user = access.user_id();
    let use_log_id = access.use_log_id();
    let area = access.decision().service_area.clone();
    if r.related_id == id {
        return Ok(Pending::new(Some(RelationOutcome::NoSuchPerson)));
    }
    if r.kind == "guardian" || r.kind == "parent_without_custody" {
        let child: bool = sqlx::query_scalar(
            "SELECT birth_date > coalesce($2, kirjo_today()) - interval '18 years' FROM person WHERE id = $1",
        )
        .bind(id)
        .bind(r.valid_from)
        .fetch_one(&mut *conn)
        .await?;
        if !child {
            return Ok(Pending::new(Some(RelationOutcome::NotAChild)));
        }
    }
    let (exists, seen): (bool, bool) = sqlx::query_as(&format!(
        "SELECT EXISTS (SELECT 1 FROM person WHERE id = $1),
                EXISTS (SELECT 1 FROM person p WHERE p.id = $1 AND {})",
        visible_clients_predicate(2)
    ))
    .bind(r.related_id)
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    if exists {
        let new: i64 = sqlx::query_scalar(
            "INSERT INTO person_relation (person_id, related_id, kind, scope, right_of_access, valid_from,
                                          valid_until, source, related_seen_by_recorder)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(r.related_id)
        .bind(&r.kind)
        .bind(&r.scope)
        .bind(r.right_of_access)
        .bind(r.valid_from)
        .bind(r.valid_until)
        .bind(&r.source)
        .bind(seen)
        .fetch_one(&mut *conn)
        .await?;
        if seen {
            return Ok(Pending::new(Some(RelationOutcome::Recorded(new))));
        }
        g.record_also(
            Some(r.related_id),
            &format!("relation {}: {} of person {id}", r.kind, new),
            true,
            &format!(
                "recorded as the {} of person {id} by a user who may not see this person: nothing of theirs was shown",
                r.kind
            ),
        )
        .await?;
    } else {
        g.record_also(
            None,
            &format!(
                "relation {} of person {id} to person {}",
                r.kind, r.related_id
            ),
            false,
            &format!("refused: no person {} to relate to", r.related_id),
        )
        .await?;
    }
    let (conn, _) = g.parts();
    sqlx::query(
        "INSERT INTO access_flag (use_log_id, kind, client_id, user_id, unit_id)
         VALUES ($1, 'relation_to_unseen', $2, $3,
                 (SELECT unit_id FROM role_grant WHERE user_id = $3 AND sub_register_id = $4
                  ORDER BY id LIMIT 1))",
    )
    .bind(use_log_id)
    .bind(id)
    .bind(user)
    .bind(area)
    .execute(&mut *conn)
    .await?;
    Ok(Pending::new(Some(RelationOutcome::Unseen)))
}

/// Records a turvakielto told to the worker (the population register's come
/// by import). Needs `EditBasicData` on the client.
pub async fn add_turvakielto(
    g: &mut Guarded,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
) -> Result<Pending<Option<i64>>> {
    let (conn, access) = g.parts();
    let (Action::EditBasicData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO turvakielto (person_id, valid_from, valid_until, source, recorded_by)
         VALUES ($1, $2, $3, 'worker', $4) RETURNING id",
    )
    .bind(id)
    .bind(valid_from)
    .bind(valid_until)
    .bind(access.user_id())
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}

/// The person with this identity code, for the data protection officer's
/// log extract of a data subject who asks (`ViewLogExtract`; the caller
/// then opens the extract through the gate, which logs it with the
/// client). Only the id is read.
pub async fn id_for_log_extract(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    identity_code: &str,
) -> std::result::Result<Option<i64>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ViewLogExtract,
        "log extract: finding the data subject by identity code",
    )
    .await?;
    let (conn, _) = g.parts();
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM person WHERE identity_code = $1")
        .bind(identity_code)
        .fetch_optional(conn)
        .await?;
    Ok(g.finish(Pending::new(id)).await?)
}

/// A client of the user's own relationships, for "my clients".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MyClient {
    pub id: i64,
    pub first_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    pub service_area: String,
    pub unit: String,
    pub started_on: NaiveDate,
    pub responsible: bool,
}

/// The clients of the relationships in force where the user is the
/// responsible worker or on the team (a logged use, like a search), and
/// whom the same rules as every list let them see.
pub async fn my_clients(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> std::result::Result<Vec<MyClient>, GateError> {
    let mut g = enter_general(pool, caller, settings, Action::Search, "my clients").await?;
    let rows = {
        let (conn, access) = g.parts();
        sqlx::query(&my_clients_sql())
            .bind(access.user_id())
            .fetch_all(conn)
            .await?
    };
    let list = rows
        .iter()
        .map(|r| {
            Ok(MyClient {
                id: r.try_get("id")?,
                first_names: r.try_get("first_names")?,
                surname: r.try_get("surname")?,
                birth_date: r.try_get("birth_date")?,
                service_area: r.try_get("sub_register_id")?,
                unit: r.try_get("unit_id")?,
                started_on: r.try_get("started_on")?,
                responsible: r.try_get("responsible")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    g.record_shown(&list.iter().map(|c| c.id).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(list)).await?)
}

/// [`my_clients`]' query. Binds: $1 the user. The user's relationships are
/// read as the responsible worker and, apart from those, as a team member,
/// each by its own index: "responsible or on the team" written as one OR
/// read every relationship of the county.
pub fn my_clients_sql() -> String {
    format!(
        "SELECT p.id, p.first_names, p.surname, p.birth_date, r.sub_register_id, r.unit_id, r.started_on,
                    r.responsible_worker_id = $1 AS responsible
             FROM (SELECT o.id, o.client_id, o.sub_register_id, o.unit_id, o.started_on, o.ended_on,
                          o.responsible_worker_id
                   FROM client_relationship o WHERE o.responsible_worker_id = $1
                   UNION ALL
                   SELECT o.id, o.client_id, o.sub_register_id, o.unit_id, o.started_on, o.ended_on,
                          o.responsible_worker_id
                   FROM client_relationship o
                   WHERE o.id IN (SELECT t.relationship_id FROM relationship_team_member t
                                  WHERE t.user_id = $1 AND t.valid_from <= kirjo_today()
                                    AND (t.valid_until IS NULL OR kirjo_today() <= t.valid_until))
                     AND o.responsible_worker_id <> $1) r
             JOIN person p ON p.id = r.client_id
             WHERE r.started_on <= kirjo_today() AND (r.ended_on IS NULL OR kirjo_today() <= r.ended_on)
               AND {}
             ORDER BY p.surname, p.first_names, p.id, r.sub_register_id
             LIMIT 500",
        visible_clients_predicate(1)
    )
}
