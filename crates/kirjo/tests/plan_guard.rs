//! The plan guard: the daily pages' hot queries must not scan a large
//! table of a county.
//!
//! A small synthetic county is loaded on top of the demo and analysed; then
//! every hot query of the daily pages is explained (`EXPLAIN (FORMAT
//! JSON)`) with the parameters a county worker with a big caseload would
//! give it, on one of their clients, and the plan is searched for a scan of
//! a large table that does not narrow to a few rows by an index: a `Seq
//! Scan`, an index scanned whole (no index condition, or only a range such
//! as a period of the log), or a `Bitmap Heap Scan` whose index conditions
//! do not narrow. The queries that start from a worker's own clients must
//! also read the worker's relationships by their index (a unit's every
//! relationship, read through the unit's index, narrows by an index but not
//! to the worker). The SQL is the store's own text (`kirjo_store::*::*_sql`
//! and `*_SQL`), the very statements the functions run, never a copy. A
//! failure names each query, what it scans and its plan.
//!
//! Each query is planned twice: with PostgreSQL's default settings, and
//! with the settings Kirjo gives the server it runs
//! (`kirjo::cluster::server_options`: `random_page_cost` 1.1 and so on).
//!
//! The plans are the custom plans of those parameters, as the planner makes
//! them on the first executions of a prepared statement; PostgreSQL may
//! later switch a statement to its generic plan, but only when that plan is
//! estimated no dearer, so the custom plan is the one to keep index-bound.
//!
//! No planner statistics are faked. Small as the county is, its large
//! tables have thousands to a hundred thousand rows, and the planner
//! prefers their indexes already; the tables the synthetic county leaves
//! empty (corrections, attachments, disclosures, teams, commissions) get
//! rows here in a county's proportions ([`WHAT_THE_COUNTY_LEAVES_OUT`]),
//! since an empty table is rightly scanned whole.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kirjo::county::{load, CountyOptions};
use kirjo_access::Action;
use kirjo_store::audit::SigningKey;
use kirjo_store::gate::{self, Caller, GateSettings};
use kirjo_store::{clients, documents, extract, monitoring};
use serde_json::Value;
use sqlx::postgres::{PgArguments, PgConnection};
use sqlx::query::Query;
use sqlx::{PgPool, Postgres, Row};
use std::time::Instant;

/// Persons in the county: about 4,000 clients with 44,000 documents and
/// 130,000 use-log rows, loaded in about 20 seconds by a debug build.
const PERSONS: u64 = 10_000;

/// The tables a county has many rows in: a scan of one of them on a daily
/// page grows with the county. The staff's tables (`staff_user`,
/// `role_grant`, `commitment_acceptance`) are not among them: a county has
/// thousands of staff, not millions.
const LARGE: [&str; 12] = [
    "person",
    "person_relation",
    "person_address",
    "person_contact",
    "document",
    "document_attachment",
    "use_log",
    "disclosure_log",
    "audit_seal_entry",
    "client_relationship",
    "relationship_team_member",
    "commission",
];

/// A value bound to a statement, of the Rust type the store binds there.
#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Texts(Vec<String>),
    Ints(Vec<i64>),
    OptDate(Option<NaiveDate>),
    Dates(Vec<NaiveDate>),
    Time(DateTime<Utc>),
}

fn bind_all<'q>(
    mut q: Query<'q, Postgres, PgArguments>,
    binds: &'q [Bind],
) -> Query<'q, Postgres, PgArguments> {
    for b in binds {
        q = match b {
            Bind::Int(v) => q.bind(*v),
            Bind::OptInt(v) => q.bind(*v),
            Bind::Text(v) => q.bind(v.as_str()),
            Bind::OptText(v) => q.bind(v.as_deref()),
            Bind::Texts(v) => q.bind(v.as_slice()),
            Bind::Ints(v) => q.bind(v.as_slice()),
            Bind::OptDate(v) => q.bind(*v),
            Bind::Dates(v) => q.bind(v.as_slice()),
            Bind::Time(v) => q.bind(*v),
        };
    }
    q
}

/// One hot query: where the store runs it, its text and its parameters.
#[derive(Debug)]
struct Hot {
    name: &'static str,
    sql: String,
    binds: Vec<Bind>,
    /// A period narrows it: the supervisor's sample is of a month of the
    /// log, whoever's, so a scan of the log by time alone is its narrowing.
    by_period: bool,
    /// The index its plan must read: a query that starts from the worker's
    /// own clients reads the worker's relationships by
    /// `client_relationship_worker`.
    uses: Option<&'static str>,
}

fn hot(name: &'static str, sql: impl Into<String>, binds: Vec<Bind>) -> Hot {
    Hot {
        name,
        sql: sql.into(),
        binds,
        by_period: false,
        uses: None,
    }
}

/// [`hot`] of a query that starts from the worker's own clients.
fn from_own_clients(name: &'static str, sql: impl Into<String>, binds: Vec<Bind>) -> Hot {
    Hot {
        uses: Some("client_relationship_worker"),
        ..hot(name, sql, binds)
    }
}

/// The indexes a plan reads.
fn indexes(node: &Value, out: &mut Vec<String>) {
    if let Some(index) = node["Index Name"].as_str() {
        out.push(index.to_owned());
    }
    for child in node["Plans"].as_array().into_iter().flatten() {
        indexes(child, out);
    }
}

/// The plan of `sql` with `binds`, as JSON.
async fn explain_json(conn: &mut PgConnection, sql: &str, binds: &[Bind]) -> Value {
    let text = format!("EXPLAIN (FORMAT JSON) {sql}");
    let row = bind_all(sqlx::query(&text), binds)
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("EXPLAIN of {sql} failed: {e}"));
    row.get(0)
}

/// The plan of `sql` with `binds`, as text, for a failure message.
async fn explain_text(conn: &mut PgConnection, sql: &str, binds: &[Bind]) -> String {
    let text = format!("EXPLAIN {sql}");
    let rows = bind_all(sqlx::query(&text), binds)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.get::<String, _>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether an index condition narrows a scan to a few rows: an equality
/// (`=`, `= ANY`) or a name's trigram match; a range alone (a period of
/// the log) only where the query is `by_period`.
fn narrows(cond: Option<&str>, by_period: bool) -> bool {
    cond.is_some_and(|c| {
        c.contains(" = ")
            || c.contains("<%")
            || c.contains("%>")
            || (by_period && (c.contains(" >= ") || c.contains(" < ")))
    })
}

/// Whether the bitmap under a `Bitmap Heap Scan` narrows: each index of an
/// OR, one index of an AND.
fn bitmap_narrows(node: &Value, by_period: bool) -> bool {
    let mut children = node["Plans"].as_array().into_iter().flatten();
    match node["Node Type"].as_str() {
        Some("Bitmap Index Scan") => narrows(node["Index Cond"].as_str(), by_period),
        Some("BitmapAnd") => children.any(|c| bitmap_narrows(c, by_period)),
        Some("BitmapOr") => children.all(|c| bitmap_narrows(c, by_period)),
        _ => false,
    }
}

/// The scans of a large table in `node` and below that do not narrow.
fn wide_scans(node: &Value, by_period: bool, out: &mut Vec<String>) {
    let kind = node["Node Type"].as_str().unwrap_or("?");
    let relation = node["Relation Name"].as_str().unwrap_or("");
    if LARGE.contains(&relation) {
        let alias = node["Alias"].as_str().unwrap_or(relation);
        let index = node["Index Name"].as_str().unwrap_or("");
        let cond = node["Index Cond"].as_str();
        match kind {
            "Seq Scan" | "Sample Scan" | "Tid Range Scan" => {
                out.push(format!("{kind} on {relation} {alias}"));
            }
            "Index Scan" | "Index Only Scan" if !narrows(cond, by_period) => out.push(format!(
                "{kind} using {index} on {relation} {alias} without an index condition that narrows ({})",
                cond.unwrap_or("none")
            )),
            "Bitmap Heap Scan" => {
                let bitmap = node["Plans"].as_array().and_then(|p| p.first());
                if !bitmap.is_some_and(|b| bitmap_narrows(b, by_period)) {
                    out.push(format!(
                        "Bitmap Heap Scan on {relation} {alias} without an index condition that narrows ({})",
                        node["Recheck Cond"].as_str().unwrap_or("none")
                    ));
                }
            }
            _ => {}
        }
    }
    for child in node["Plans"].as_array().into_iter().flatten() {
        wide_scans(child, by_period, out);
    }
}

/// The planner settings Kirjo gives the server it runs
/// (`kirjo::cluster::server_options`) for a county's server of 16 GB:
/// the plans are made as there (`random_page_cost`, `effective_cache_size`,
/// `work_mem`, ...). Those a session cannot set (`shared_buffers`) are left.
async fn plan_as_on_a_county_server(conn: &mut PgConnection) {
    let options = kirjo::cluster::server_options(16 << 30);
    let mut set = Vec::new();
    for option in options
        .split("-c ")
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        let (name, value) = option.split_once('=').unwrap();
        let context: String = sqlx::query_scalar("SELECT context FROM pg_settings WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        if context == "user" {
            sqlx::query("SELECT set_config($1, $2, false)")
                .bind(name)
                .bind(value)
                .execute(&mut *conn)
                .await
                .unwrap();
            set.push(option);
        }
    }
    assert!(set.iter().any(|o| o.starts_with("random_page_cost=")));
    assert!(set.iter().any(|o| o.starts_with("work_mem=")));
}

/// A query whose plan scans a large table.
#[derive(Debug)]
struct Found {
    name: &'static str,
    settings: &'static str,
    scans: Vec<String>,
    plan: String,
}

/// The queries whose plans on `conn` scan a large table. With
/// `KIRJO_PLAN_GUARD_PLANS=1` every plan is printed.
async fn check_on(conn: &mut PgConnection, queries: &[Hot], settings: &'static str) -> Vec<Found> {
    let print = std::env::var("KIRJO_PLAN_GUARD_PLANS").is_ok_and(|v| v == "1");
    let mut found = Vec::new();
    for q in queries {
        let plan = explain_json(&mut *conn, &q.sql, &q.binds).await;
        let mut scans = Vec::new();
        let mut used = Vec::new();
        for statement in plan.as_array().into_iter().flatten() {
            wide_scans(&statement["Plan"], q.by_period, &mut scans);
            indexes(&statement["Plan"], &mut used);
        }
        if let Some(index) = q.uses {
            if !used.iter().any(|u| u == index) {
                scans.push(format!(
                    "client_relationship not read by {index} (the worker's own relationships)"
                ));
            }
        }
        if print {
            let text = explain_text(&mut *conn, &q.sql, &q.binds).await;
            eprintln!("{} ({settings}):\n{text}\n", q.name);
        }
        if !scans.is_empty() {
            found.push(Found {
                name: q.name,
                settings,
                scans,
                plan: explain_text(&mut *conn, &q.sql, &q.binds).await,
            });
        }
    }
    found
}

/// The queries whose plans scan a large table, planned both with
/// PostgreSQL's default settings and as on a county's server.
async fn check(pool: &PgPool, queries: &[Hot]) -> Vec<Found> {
    let mut conn = pool.acquire().await.unwrap();
    let mut found = check_on(&mut conn, queries, "PostgreSQL's default planner settings").await;
    plan_as_on_a_county_server(&mut conn).await;
    found.extend(check_on(&mut conn, queries, "the planner settings of Kirjo's server").await);
    sqlx::raw_sql("RESET ALL")
        .execute(&mut *conn)
        .await
        .unwrap();
    found
}

/// Each query that scans, what it scans, and its plan.
fn report(found: &[Found]) -> String {
    found
        .iter()
        .map(|f| {
            format!(
                "{}, planned with {}, scans a large table: {}\n{}\n",
                f.name,
                f.settings,
                f.scans.join("; "),
                f.plan
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a county has that the synthetic one does not generate, in a
/// county's proportions, so that those tables are not empty (an empty table
/// is rightly scanned whole, a county's is not): corrected documents (one
/// in 20), attachments (one document in 10), disclosures (two per
/// relationship), team members (three ended memberships per relationship,
/// and one in force on every third) and commissions to a provider (one
/// relationship in five, one in four of them still in force).
const WHAT_THE_COUNTY_LEAVES_OUT: &str = "
INSERT INTO document (series_id, version, client_id, register_id, sub_register_id, service_task_id, kind,
                      content, name, definition_oid, client_first_names, client_surname,
                      client_identity_code, organiser, producer, author_id, author_name, author_title,
                      state, completed_at, corrects_id, correction_reason)
SELECT coalesce(d.series_id, d.id), d.version + 1, d.client_id, d.register_id, d.sub_register_id,
       d.service_task_id, d.kind, d.content, d.name, d.definition_oid, d.client_first_names,
       d.client_surname, d.client_identity_code, d.organiser, d.producer, d.author_id, d.author_name,
       d.author_title, 'completed', d.completed_at + interval '1 day', d.id, 'korjaus'
FROM document d
WHERE d.id % 20 = 0 AND d.state = 'completed'
  AND NOT EXISTS (SELECT 1 FROM document n WHERE n.corrects_id = d.id);

INSERT INTO document_attachment (document_id, file_name, media_type, size_bytes, sha256, content, added_by)
SELECT d.id, 'liite.txt', 'text/plain', 1, sha256('x'::bytea), 'x'::bytea, d.author_id
FROM document d WHERE d.id % 10 = 0;

INSERT INTO disclosure_log (disclosed_at, user_id, user_name, register_id, client_id, data, recipient,
                            purpose, legal_basis)
SELECT now() - (r.id % 700 + k * 700) * interval '1 day', r.responsible_worker_id, 'county worker',
       r.register_id, r.client_id, 'basic_data', 'Kela', 'etuuden käsittely', 'laki'
FROM client_relationship r CROSS JOIN generate_series(0, 1) k;

INSERT INTO relationship_team_member (relationship_id, client_id, user_id, valid_from, valid_until)
SELECT r.id, r.client_id, cw.user_id, r.started_on + k * 10,
       CASE WHEN k < 3 THEN r.started_on + k * 10 + 5 END
FROM client_relationship r
CROSS JOIN generate_series(0, 3) k
JOIN county_worker cw ON cw.area = r.sub_register_id
 AND cw.idx = (r.id * 7 + k) % (SELECT count(*) FROM county_worker w WHERE w.area = r.sub_register_id)
WHERE cw.user_id <> r.responsible_worker_id AND (k < 3 OR r.id % 3 = 0)
  AND r.started_on + k * 10 <= kirjo_today()
ON CONFLICT DO NOTHING;

INSERT INTO commission (client_id, register_id, provider_id, sub_register_id, valid_from, valid_until)
SELECT r.client_id, r.register_id, pr.id, r.sub_register_id, r.started_on,
       CASE WHEN r.id % 20 <> 0 THEN r.started_on + 60 END
FROM client_relationship r CROSS JOIN (SELECT id FROM provider ORDER BY id LIMIT 1) pr
WHERE r.id % 5 = 0;
";

/// The county, and who and what the hot queries are asked about.
struct County {
    db: kirjo_testkit::TestDb,
    settings: GateSettings,
    worker: i64,
    unit: String,
    client: i64,
    document: i64,
    series: i64,
    surname: String,
    full_name: String,
    identity_code: String,
    birth_date: NaiveDate,
}

async fn county(persons: u64) -> County {
    let started = Instant::now();
    let (db, settings) = common::demo_db().await;
    let key = SigningKey::from_seed(&[7u8; 32]);
    let opts = CountyOptions {
        persons,
        seed: 42,
        key: &key,
        progress: false,
    };
    load(&db.owner, &opts).await.unwrap();
    sqlx::raw_sql(WHAT_THE_COUNTY_LEAVES_OUT)
        .execute(&db.owner)
        .await
        .unwrap();
    sqlx::raw_sql("ANALYZE").execute(&db.owner).await.unwrap();
    eprintln!(
        "county of {persons} persons loaded and analysed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The county worker with the biggest caseload in force.
    let (worker, unit, caseload): (i64, String, i64) = sqlx::query_as(
        "SELECT r.responsible_worker_id, min(r.unit_id), count(*) FROM client_relationship r
         JOIN county_worker cw ON cw.user_id = r.responsible_worker_id
         WHERE r.started_on <= kirjo_today() AND (r.ended_on IS NULL OR kirjo_today() <= r.ended_on)
         GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 1",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    // Their client with the most documents.
    let (client, documents): (i64, i64) = sqlx::query_as(
        "SELECT r.client_id, (SELECT count(*) FROM document d WHERE d.client_id = r.client_id) AS n
         FROM client_relationship r
         WHERE r.responsible_worker_id = $1
           AND r.started_on <= kirjo_today() AND (r.ended_on IS NULL OR kirjo_today() <= r.ended_on)
         ORDER BY n DESC, r.client_id LIMIT 1",
    )
    .bind(worker)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    // The client's latest completed document.
    let (document, series): (i64, i64) = sqlx::query_as(
        "SELECT id, coalesce(series_id, id) FROM document
         WHERE client_id = $1 AND state = 'completed' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(client)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let (surname, full_name, identity_code, birth_date): (String, String, String, NaiveDate) =
        sqlx::query_as(
            "SELECT surname, surname || ' ' || first_names, identity_code, birth_date FROM person WHERE id = $1",
        )
            .bind(client)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    eprintln!(
        "worker {worker} of {unit} with {caseload} clients; client {client} with {documents} documents"
    );
    County {
        db,
        settings,
        worker,
        unit,
        client,
        document,
        series,
        surname,
        full_name,
        identity_code,
        birth_date,
    }
}

fn caller(user_id: i64) -> Caller {
    Caller {
        user_id,
        request_id: uuid::Uuid::new_v4(),
        source_address: None,
    }
}

/// The service areas the gate gives the worker on the client for reading
/// documents, as `documents::timeline` binds them (asked of the gate
/// itself; the access rolls back).
async fn document_areas(c: &County) -> Vec<String> {
    let g = gate::enter_on_client(
        &c.db.runtime,
        &caller(c.worker),
        &c.settings,
        Action::ViewDocument,
        c.client,
        "plan guard",
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("the worker may not read their own client's documents: {e}"));
    let areas = g.access.areas().to_vec();
    drop(g);
    assert!(!areas.is_empty());
    areas
}

/// Every hot query of the daily pages, with the parameters of the county's
/// worker and client.
async fn hot_queries(c: &County) -> Vec<Hot> {
    use Bind::*;
    let areas = document_areas(c).await;
    let now = Utc::now();
    // The log pages' default periods: two years of a client's extract and
    // of one's own trail, a month for a supervisor's sample; pages of 200.
    let two_years = now - Duration::days(2 * 365);
    let sealed: i64 =
        sqlx::query_scalar("SELECT max(position) FROM audit_seal_entry WHERE log = 'use_log'")
            .fetch_one(&c.db.owner)
            .await
            .unwrap();
    let month = now - Duration::days(30);
    let search = |code: Option<&str>, name: Option<&str>, born: Option<NaiveDate>| {
        vec![
            Int(c.worker),
            OptText(code.map(str::to_owned)),
            OptText(name.map(str::to_owned)),
            OptDate(born),
            Int(50),
            Int(0),
            Texts(c.settings.outside_access_areas.clone()),
        ]
    };
    let code = c.identity_code.as_str();
    let name = c.surname.as_str();
    vec![
        // The gate: the facts that decide whether the user may see the
        // client, and the user's own for actions on no client.
        hot(
            "gate::load_facts (on a client)",
            gate::FACTS_SQL,
            vec![Int(c.worker), OptInt(Some(c.client))],
        ),
        hot(
            "gate::load_facts (no client)",
            gate::FACTS_SQL,
            vec![Int(c.worker), OptInt(None)],
        ),
        // The client card.
        hot(
            "clients::basic_data (person)",
            clients::basic_person_sql(),
            vec![Int(c.client)],
        ),
        hot(
            "clients::basic_data (relations)",
            clients::relations_sql(),
            vec![Int(c.client), Int(c.worker)],
        ),
        hot(
            "clients::basic_data (home municipality)",
            clients::HOME_MUNICIPALITY_SQL,
            vec![Int(c.client)],
        ),
        hot(
            "clients::basic_data (addresses)",
            clients::ADDRESSES_SQL,
            vec![Int(c.client)],
        ),
        hot(
            "clients::basic_data (phones and emails)",
            clients::CONTACTS_SQL,
            vec![Int(c.client)],
        ),
        hot(
            "clients::basic_data (relationships)",
            clients::RELATIONSHIPS_SQL,
            vec![Int(c.client)],
        ),
        // Search among one's own clients, and county-wide with a purpose.
        from_own_clients(
            "clients::search (visible set, by name)",
            clients::search_sql(false),
            search(None, Some(name), None),
        ),
        from_own_clients(
            "clients::search (visible set, by identity code)",
            clients::search_sql(false),
            search(Some(code), None, None),
        ),
        hot(
            "clients::search (purpose, by full name)",
            clients::search_sql(true),
            search(None, Some(&c.full_name), None),
        ),
        hot(
            "clients::search (purpose, by surname)",
            clients::search_sql(true),
            search(None, Some(name), None),
        ),
        hot(
            "clients::search (purpose, by identity code)",
            clients::search_sql(true),
            search(Some(code), None, None),
        ),
        hot(
            "clients::search (purpose, by birth date)",
            clients::search_sql(true),
            search(None, None, Some(c.birth_date)),
        ),
        from_own_clients(
            "clients::my_clients",
            clients::my_clients_sql(),
            vec![Int(c.worker)],
        ),
        // Documents.
        hot(
            "documents::timeline",
            documents::timeline_sql(),
            vec![
                Int(c.client),
                Texts(areas.clone()),
                OptText(None),
                OptText(None),
                Int(c.worker),
                Int(100),
                Int(0),
            ],
        ),
        hot(
            "documents::timeline (count)",
            documents::timeline_count_sql(),
            vec![
                Int(c.client),
                Texts(areas.clone()),
                OptText(None),
                OptText(None),
                Int(c.worker),
            ],
        ),
        hot(
            "documents::timeline (one area, one kind)",
            documents::timeline_sql(),
            vec![
                Int(c.client),
                Texts(areas.clone()),
                OptText(areas.first().cloned()),
                OptText(Some("child_welfare_notification".to_owned())),
                Int(c.worker),
                Int(100),
                Int(0),
            ],
        ),
        hot(
            "documents::client_of",
            documents::CLIENT_OF_SQL,
            vec![Int(c.document)],
        ),
        hot(
            "documents::read (document)",
            documents::read_sql(),
            vec![Int(c.document), Int(c.client)],
        ),
        hot(
            "documents::read (versions)",
            documents::versions_sql(),
            vec![Int(c.series)],
        ),
        hot(
            "documents::read (attachments)",
            documents::attachments_sql(),
            vec![Int(c.document)],
        ),
        from_own_clients(
            "documents::notification_deadlines",
            documents::notification_deadlines_sql(),
            vec![Int(c.worker)],
        ),
        // The log.
        hot(
            "extract::client_extract (count)",
            extract::CLIENT_USES_COUNT_SQL,
            vec![Int(c.client), Time(two_years), Time(now)],
        ),
        hot(
            "extract::client_extract (uses)",
            extract::client_uses_sql(),
            vec![Int(c.client), Time(two_years), Time(now), Int(200), Int(0)],
        ),
        hot(
            "extract::client_extract (disclosures)",
            extract::CLIENT_DISCLOSURES_SQL,
            vec![Int(c.client), Time(two_years), Time(now)],
        ),
        hot(
            "extract::own_trail_page (count)",
            extract::OWN_TRAIL_COUNT_SQL,
            vec![Int(c.worker), Time(two_years), Time(now)],
        ),
        hot(
            "extract::own_trail_page (uses)",
            extract::own_trail_sql(),
            vec![Int(c.worker), Time(two_years), Time(now), Int(200), Int(0)],
        ),
        // The supervisor's sample of their unit's accesses.
        Hot {
            by_period: true,
            ..hot(
                "monitoring::draw_sample",
                monitoring::DRAW_SAMPLE_SQL,
                vec![
                    Int(1),
                    Text(c.unit.clone()),
                    Time(month),
                    Time(now),
                    Int(20),
                ],
            )
        },
        hot(
            "monitoring::sample (items)",
            monitoring::SAMPLE_ITEMS_SQL,
            vec![Int(1)],
        ),
        // The server's monitoring scan, one batch: the newest sealed rows.
        hot(
            "monitoring::scan (rows)",
            monitoring::scan_rows_sql(),
            vec![Int(sealed - monitoring::SCAN_BATCH), Int(sealed)],
        ),
        hot(
            "monitoring::scan (the hour of the batch's users)",
            monitoring::SCAN_WINDOW_SQL,
            vec![Int(sealed - monitoring::SCAN_BATCH), Int(sealed)],
        ),
        hot(
            "monitoring::scan (the users' last hourly flag)",
            monitoring::SCAN_LAST_MANY_SQL,
            vec![Ints(vec![c.worker, 1])],
        ),
        // The units whose working hours apply to a batch's uses.
        hot(
            "monitoring::scan (the units of the uses)",
            monitoring::SCAN_UNITS_SQL,
            vec![
                Ints(vec![c.worker, c.worker]),
                Ints(vec![c.client, 1]),
                Dates(vec![now.date_naive(), now.date_naive()]),
            ],
        ),
        // The client band on every client page.
        hot("clients::band", clients::band_sql(), vec![Int(c.client)]),
        // The decisions waiting for the user to decide them.
        hot(
            "decisions::awaiting",
            kirjo_store::decisions::awaiting_sql(),
            vec![Int(c.worker)],
        ),
        // The start page's worklist: the worker's own drafts, and the
        // clients they opened lately (their own rows of the use log).
        hot(
            "worklist::my_drafts",
            kirjo_store::worklist::my_drafts_sql(),
            vec![Int(c.worker), Int(kirjo_store::worklist::LIST_LIMIT)],
        ),
        hot(
            "worklist::recent_clients",
            kirjo_store::worklist::recent_clients_sql(),
            vec![Int(c.worker), Int(kirjo_store::worklist::LIST_LIMIT)],
        ),
        // The supervisor's and the DPO's open review items.
        hot(
            "monitoring::open_items",
            monitoring::OPEN_ITEMS_SQL,
            vec![Int(1), Int(monitoring::ITEM_LISTED)],
        ),
    ]
}

#[tokio::test]
async fn the_daily_pages_keep_to_their_indexes_on_a_county() {
    let c = county(PERSONS).await;
    let queries = hot_queries(&c).await;
    let found = check(&c.db.runtime, &queries).await;
    eprintln!("{} hot queries explained", queries.len());
    assert!(found.is_empty(), "{}", report(&found));
}

/// The guard fails when an index a hot query needs is gone: without the
/// index of corrections (migration 0011), the timeline's "is this version
/// corrected?" reads the whole document table. The index is dropped in a
/// transaction that is rolled back. A smaller county does: without the
/// index there is no other way to the corrections.
#[tokio::test]
async fn the_guard_reports_a_timeline_without_the_index_of_corrections() {
    let c = county(2_000).await;
    let timeline: Vec<Hot> = hot_queries(&c)
        .await
        .into_iter()
        .filter(|q| q.name == "documents::timeline")
        .collect();
    assert_eq!(timeline.len(), 1);
    let before = check(&c.db.runtime, &timeline).await;
    assert!(before.is_empty(), "{}", report(&before));

    let mut tx = c.db.owner.begin().await.unwrap();
    sqlx::raw_sql("DROP INDEX document_corrects")
        .execute(&mut *tx)
        .await
        .unwrap();
    let found = check_on(&mut tx, &timeline, "the index of corrections dropped").await;
    tx.rollback().await.unwrap();
    let message = report(&found);
    eprintln!("{message}");
    assert_eq!(found.len(), 1, "{message}");
    assert_eq!(found[0].name, "documents::timeline");
    assert!(
        found[0]
            .scans
            .iter()
            .any(|s| s.starts_with("Seq Scan on document")),
        "{message}"
    );
    assert!(message.contains("documents::timeline, planned with"));
    assert!(
        message.contains("Seq Scan on document"),
        "the plan is printed: {message}"
    );

    let after = check(&c.db.runtime, &timeline).await;
    assert!(after.is_empty(), "{}", report(&after));
}
