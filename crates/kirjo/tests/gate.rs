//! The gate over the demo organisation, against a real PostgreSQL: a table
//! of who may do what to whom, the decision for every cell, the SQL list
//! filter agreeing with it, and the API obeying it over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as as get, serve, sign_in};

use kirjo_access::Action;
use kirjo_store::gate::{enter, Caller, GateError, GateSettings, Request};
use kirjo_store::{clients, staff};
use kirjo_testkit::{http_with, HttpResponse, TestDb};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

async fn user_id(db: &TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.runtime)
        .await
        .unwrap()
}

async fn person_id(db: &TestDb, first: &str, surname: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE $1 || '%' AND surname = $2")
        .bind(first)
        .bind(surname)
        .fetch_one(&db.runtime)
        .await
        .unwrap()
}

fn caller(user_id: i64) -> Caller {
    Caller {
        user_id,
        request_id: uuid::Uuid::new_v4(),
        source_address: None,
    }
}

const CLIENT_ACTIONS: [Action; 15] = [
    Action::ViewBasicData,
    Action::ViewSensitiveData,
    Action::ViewDocument,
    Action::WriteDocument,
    Action::CorrectEntry,
    Action::Print,
    Action::Export,
    Action::Disclose,
    Action::RevealProtectedAddress,
    Action::ViewLogExtract,
    Action::EditBasicData,
    Action::RecordSensitiveData,
    Action::ViewFinances,
    Action::EditFinances,
    Action::RecordMinorProhibition,
];

const WORKER: &[Action] = &[
    Action::ViewBasicData,
    Action::ViewSensitiveData,
    Action::ViewDocument,
    Action::WriteDocument,
    Action::CorrectEntry,
    Action::Print,
    Action::Export,
    Action::Disclose,
    Action::RevealProtectedAddress,
    Action::EditBasicData,
    Action::RecordSensitiveData,
    Action::ViewFinances,
    Action::EditFinances,
    // The store then records one only for a minor.
    Action::RecordMinorProhibition,
];
const SUPERVISOR: &[Action] = &[Action::ViewBasicData, Action::ViewDocument, Action::Print];
const CLERK: &[Action] = &[Action::ViewBasicData];
const PROVIDER: &[Action] = &[
    Action::ViewBasicData,
    Action::ViewDocument,
    Action::WriteDocument,
];
const DPO: &[Action] = &[Action::ViewLogExtract];

/// The demo's clients by a short key.
const CLIENTS: [(&str, &str, &str); 7] = [
    ("lapsi1", "Eetu", "Mäkinen"),
    ("lapsi2", "Ella", "Mäkinen"),
    ("aiti", "Minna", "Mäkinen"),
    ("isa", "Jari", "Mäkinen"),
    ("virtanen", "Kalle", "Virtanen"),
    ("korhonen", "Liisa", "Korhonen"),
    ("nieminen", "Timo", "Nieminen"),
];

/// Who may do what to whom in the demo organisation, with no stated purpose.
/// Unlisted pairs: nothing.
fn expected() -> BTreeMap<(&'static str, &'static str), &'static [Action]> {
    let mut t: BTreeMap<(&str, &str), &[Action]> = BTreeMap::new();
    // The responsible worker of both Mäkinen children.
    t.insert(("sari.sosiaalityontekija", "lapsi1"), WORKER);
    t.insert(("sari.sosiaalityontekija", "lapsi2"), WORKER);
    // The substitute is on the older child's team only.
    t.insert(("outi.sijainen", "lapsi1"), WORKER);
    // Supervisors see their unit's current clients, not their sensitive data.
    t.insert(("leena.esihenkilo", "lapsi1"), SUPERVISOR);
    t.insert(("leena.esihenkilo", "lapsi2"), SUPERVISOR);
    t.insert(("matti.esihenkilo", "virtanen"), SUPERVISOR);
    // Adult services: the current client; the ended relationship gives nothing.
    t.insert(("pekka.sosiaaliohjaaja", "virtanen"), WORKER);
    t.insert(("kaisa.kirjaamo", "virtanen"), CLERK);
    // The provider sees only the child commissioned to it.
    t.insert(("tuomas.tukiperhe", "lapsi1"), PROVIDER);
    // The DPO makes log extracts of anyone, and reads no records.
    for (c, _, _) in CLIENTS {
        t.insert(("sanna.tietosuoja", c), DPO);
    }
    // aino.paakayttaja and eero.paakayttaja (administrators) and uuno.uusi
    // (commitment not accepted): nothing at all.
    t
}

async fn allowed(
    db: &TestDb,
    settings: &GateSettings,
    user: i64,
    client: i64,
    action: Action,
) -> bool {
    match enter(
        &db.runtime,
        &caller(user),
        settings,
        &Request {
            action,
            client_id: Some(client),
            data: "table test",
            purpose: None,
            reason: (action == Action::RevealProtectedAddress)
                .then_some("osoite tarvitaan kotikäyntiä varten"),
        },
    )
    .await
    {
        Ok(_) => true, // dropped: rolled back with its row
        Err(GateError::Denied { .. }) => false,
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn every_role_and_situation_of_the_demo_organisation() {
    let (db, settings) = demo_db().await;
    let table = expected();
    let mut clients = BTreeMap::new();
    for (key, first, last) in CLIENTS {
        clients.insert(key, person_id(&db, first, last).await);
    }
    let mut failures = Vec::new();
    for u in kirjo::demo::USERS {
        let uid = user_id(&db, u.username).await;
        let mut visible_by_decision = BTreeSet::new();
        for (key, cid) in &clients {
            let want: BTreeSet<Action> = table
                .get(&(u.username, *key))
                .map(|a| a.iter().copied().collect())
                .unwrap_or_default();
            for action in CLIENT_ACTIONS {
                let got = allowed(&db, &settings, uid, *cid, action).await;
                if got != want.contains(&action) {
                    failures.push(format!("{} {action} {key}: got {got}", u.username));
                }
                if action == Action::ViewBasicData && got {
                    visible_by_decision.insert(*cid);
                }
            }
        }
        // The SQL filter that list queries use says the same.
        let by_sql: BTreeSet<i64> = clients::visible_ids(&db.runtime, uid)
            .await
            .unwrap()
            .into_iter()
            .collect();
        if by_sql != visible_by_decision {
            failures.push(format!(
                "{}: SQL filter {by_sql:?} but decisions {visible_by_decision:?}",
                u.username
            ));
        }
        // And the set that list queries start from, client by client and
        // service area by service area.
        let by_set: BTreeSet<i64> = clients::visible_ids_by_set(&db.runtime, uid)
            .await
            .unwrap()
            .into_iter()
            .collect();
        if by_set != visible_by_decision {
            failures.push(format!(
                "{}: SQL set {by_set:?} but decisions {visible_by_decision:?}",
                u.username
            ));
        }
        let (by_area_predicate, by_area_set) = clients::visible_areas_both_ways(&db.runtime, uid)
            .await
            .unwrap();
        if by_area_predicate != by_area_set {
            failures.push(format!(
                "{}: areas by predicate {by_area_predicate:?} but by set {by_area_set:?}",
                u.username
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Denied attempts were logged and committed; allowed ones were rolled
    // back here (never finished), so they left no row.
    let denied: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE NOT allowed")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let allowed_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE allowed")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let cells = (kirjo::demo::USERS.len() * CLIENTS.len() * CLIENT_ACTIONS.len()) as i64;
    let allowed_cells: i64 = expected().values().map(|a| a.len() as i64).sum();
    assert_eq!(denied, cells - allowed_cells);
    assert_eq!(allowed_rows, 0, "a rolled-back access left its row");
}

#[tokio::test]
async fn rights_end_by_themselves_on_the_date_set() {
    let (db, settings) = demo_db().await;
    let outi = user_id(&db, "outi.sijainen").await;
    let child = person_id(&db, "Eetu", "Mäkinen").await;
    assert!(allowed(&db, &settings, outi, child, Action::ViewDocument).await);
    // The end date passes: nothing else happens, the right is gone.
    sqlx::query("UPDATE role_grant SET valid_until = kirjo_today() - 1 WHERE user_id = $1")
        .bind(outi)
        .execute(&db.superuser().await)
        .await
        .unwrap();
    assert!(!allowed(&db, &settings, outi, child, Action::ViewDocument).await);
}

#[tokio::test]
async fn a_new_commitment_version_must_be_accepted_again() {
    let (db, settings) = demo_db().await;
    let sari = user_id(&db, "sari.sosiaalityontekija").await;
    let child = person_id(&db, "Eetu", "Mäkinen").await;
    assert!(allowed(&db, &settings, sari, child, Action::ViewBasicData).await);
    staff::publish_commitment(&db.owner, 2, "uusi", "ny", "new")
        .await
        .unwrap();
    assert!(!allowed(&db, &settings, sari, child, Action::ViewBasicData).await);
    assert!(
        !staff::accept_commitment(&db.runtime, sari, 1)
            .await
            .unwrap(),
        "an old version is refused"
    );
    assert!(staff::accept_commitment(&db.runtime, sari, 2)
        .await
        .unwrap());
    assert!(allowed(&db, &settings, sari, child, Action::ViewBasicData).await);
}

#[tokio::test]
async fn a_stated_purpose_opens_a_client_outside_relationships_and_is_flagged() {
    let (db, settings) = demo_db().await;
    let pekka = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let nieminen = person_id(&db, "Timo", "Nieminen").await;
    let child = person_id(&db, "Eetu", "Mäkinen").await;
    let purpose = kirjo_access::StatedPurpose {
        purpose_id: "urgent_matter".into(),
        text: "asiakas soitti, oma työntekijä lomalla".into(),
    };
    let req = |client| Request {
        action: Action::ViewBasicData,
        client_id: Some(client),
        data: "basic_data",
        purpose: Some(&purpose),
        reason: None,
    };
    let mut g = enter(&db.runtime, &caller(pekka), &settings, &req(nieminen))
        .await
        .unwrap();
    assert!(g.access.decision().flag_for_review);
    let pending = clients::basic_data(&mut g).await.unwrap();
    let (person, _) = g.finish(pending).await.unwrap().unwrap();
    assert_eq!(person.surname, "Nieminen");
    let (purpose_logged, flags): (Option<String>, i64) = sqlx::query_as(
        "SELECT l.purpose, (SELECT count(*) FROM access_flag f WHERE f.use_log_id = l.id)
         FROM use_log l WHERE l.client_id = $1 AND l.allowed",
    )
    .bind(nieminen)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(
        purpose_logged.as_deref(),
        Some("urgent_matter: asiakas soitti, oma työntekijä lomalla")
    );
    assert_eq!(flags, 1);
    // A child-welfare client is not opened by a purpose from adult services.
    assert!(matches!(
        enter(&db.runtime, &caller(pekka), &settings, &req(child)).await,
        Err(GateError::Denied { .. })
    ));
}

#[tokio::test]
async fn rights_change_only_by_proposal_and_approval() {
    let (db, settings) = demo_db().await;
    let matti = user_id(&db, "matti.esihenkilo").await;
    let leena = user_id(&db, "leena.esihenkilo").await;
    let aino = user_id(&db, "aino.paakayttaja").await;
    let uuno = user_id(&db, "uuno.uusi").await;
    let virtanen = person_id(&db, "Kalle", "Virtanen").await;
    let kaisa = user_id(&db, "kaisa.kirjaamo").await;
    let today = chrono::Utc::now().date_naive();
    let proposal = staff::Proposal {
        kind: staff::ProposalKind::Grant,
        user_id: kaisa,
        role: kirjo_access::Role::RegistryClerk,
        unit: "aikuisyksikko".into(),
        service_area: Some("aikuiset".into()),
        valid_from: today,
        valid_until: None,
        target_grant_id: None,
        reason: "kirjaamotehtävät".into(),
    };
    // A supervisor of another unit, a worker and the administrator cannot propose here.
    for who in [leena, uuno, aino] {
        assert!(matches!(
            staff::propose(&db.runtime, &caller(who), &settings, &proposal).await,
            Err(GateError::Denied { .. })
        ));
    }
    let id = staff::propose(&db.runtime, &caller(matti), &settings, &proposal)
        .await
        .unwrap();
    // Only the main administrator decides; the proposer never.
    assert!(matches!(
        staff::decide(&db.runtime, &caller(matti), &settings, id, true, "ok").await,
        Err(GateError::Denied { .. })
    ));
    let grant = staff::decide(
        &db.runtime,
        &caller(aino),
        &settings,
        id,
        true,
        "hyväksytty",
    )
    .await
    .unwrap();
    assert!(grant.is_some());
    assert!(
        staff::decide(&db.runtime, &caller(aino), &settings, id, true, "again")
            .await
            .is_err()
    );
    // Remove the clerk's original grant: propose, approve, and it is gone.
    let original: i64 = sqlx::query_scalar(
        "SELECT id FROM role_grant WHERE user_id = $1 AND ended_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(kaisa)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    let remove = staff::Proposal {
        kind: staff::ProposalKind::Remove,
        target_grant_id: Some(original),
        reason: "tehtävä päättyy".into(),
        ..proposal.clone()
    };
    let rid = staff::propose(&db.runtime, &caller(matti), &settings, &remove)
        .await
        .unwrap();
    assert!(
        allowed(&db, &settings, kaisa, virtanen, Action::ViewBasicData).await,
        "not yet approved"
    );
    staff::decide(
        &db.runtime,
        &caller(aino),
        &settings,
        rid,
        true,
        "hyväksytty",
    )
    .await
    .unwrap();
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM role_grant WHERE user_id = $1 AND ended_at IS NULL",
    )
    .bind(kaisa)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(open, 1, "the new grant stays, the removed one ended");
    // The history keeps who proposed and who approved, when and why.
    let history = staff::proposals(&db.runtime, &caller(aino), &settings)
        .await
        .unwrap();
    let p = history.iter().find(|p| p.id == rid).unwrap();
    assert_eq!(
        (p.proposed_by, p.decided_by, p.approved),
        (matti, Some(aino), Some(true))
    );
}

#[tokio::test]
async fn the_api_obeys_the_table_for_records_and_lists() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let table = expected();
    let mut ids = BTreeMap::new();
    for (key, first, last) in CLIENTS {
        ids.insert(key, person_id(&db, first, last).await);
    }
    for u in kirjo::demo::USERS {
        let cookie = sign_in(addr, u.username).await;
        for (key, id) in &ids {
            let may = table
                .get(&(u.username, *key))
                .is_some_and(|a| a.contains(&Action::ViewBasicData));
            let r = get(addr, &cookie, &format!("/api/clients/{id}")).await;
            assert_eq!(
                r.status,
                if may { 200 } else { 403 },
                "{} {key}: {}",
                u.username,
                r.body
            );
        }
        // A list never holds a person the user may not see.
        let r = get(addr, &cookie, "/api/clients?name=m%C3%A4kinen").await;
        let want: BTreeSet<i64> = ids
            .iter()
            .filter(|(k, _)| k.starts_with("lapsi") || **k == "aiti" || **k == "isa")
            .filter(|(k, _)| {
                table
                    .get(&(u.username, **k))
                    .is_some_and(|a| a.contains(&Action::ViewBasicData))
            })
            .map(|(_, id)| *id)
            .collect();
        if r.status == 200 {
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            let got: BTreeSet<i64> = v["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap())
                .collect();
            assert_eq!(got, want, "{}", u.username);
        } else {
            assert_eq!(r.status, 403, "{}: {}", u.username, r.body);
            assert!(want.is_empty());
        }
    }
    // Without a session: 401, and the cookie is required, not a user id in the request.
    let r = http_with(
        addr,
        "GET",
        &format!("/api/clients/{}", ids["lapsi1"]),
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_clients_log_extract_lists_every_access_to_them_and_nothing_else() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let child = person_id(&db, "Eetu", "Mäkinen").await;
    let sibling = person_id(&db, "Ella", "Mäkinen").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let outi = sign_in(addr, "outi.sijainen").await;
    for _ in 0..3 {
        assert_eq!(
            get(addr, &sari, &format!("/api/clients/{child}"))
                .await
                .status,
            200
        );
    }
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{child}"))
            .await
            .status,
        200
    );
    assert_eq!(
        get(addr, &sari, &format!("/api/clients/{sibling}"))
            .await
            .status,
        200
    );
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{sibling}"))
            .await
            .status,
        403
    );

    // Only the DPO makes extracts.
    assert_eq!(
        get(addr, &sari, &format!("/api/clients/{child}/log"))
            .await
            .status,
        403
    );
    let dpo = sign_in(addr, "sanna.tietosuoja").await;
    let r = get(addr, &dpo, &format!("/api/clients/{child}/log")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let uses = v["uses"].as_array().unwrap();
    let by = |name: &str, action: &str| {
        uses.iter()
            .filter(|u| u["user_name"] == name && u["action"] == action)
            .count()
    };
    assert_eq!(by("Sari Saarinen", "view_basic_data"), 3);
    assert_eq!(by("Outi Ojala", "view_basic_data"), 1);
    assert_eq!(
        by("Sanna Suoja", "view_log_extract"),
        1,
        "making the extract is itself logged"
    );
    assert!(
        uses.iter().all(|u| u["client_id"] == child),
        "another client's row in the extract"
    );
    assert_eq!(uses.len(), 5);
    assert_eq!(
        (
            v["page"].as_i64(),
            v["page_size"].as_i64(),
            v["total"].as_i64()
        ),
        (Some(1), Some(200), Some(5))
    );
    // A page past the end is empty; a page that is not one is refused.
    let r = get(addr, &dpo, &format!("/api/clients/{child}/log?page=2")).await;
    let past: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(past["uses"].as_array().map(Vec::len), Some(0), "{}", r.body);
    let r = get(addr, &dpo, &format!("/api/clients/{child}/log?page=0")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The same as CSV.
    let csv = get(addr, &dpo, &format!("/api/clients/{child}/log?format=csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        csv.body.lines().count(),
        1 + 7,
        "header and seven uses (the page past the end is a use too): {}",
        csv.body
    );
    // The user's own trail.
    let trail = get(addr, &outi, "/api/me/trail").await;
    let v: serde_json::Value = serde_json::from_str(&trail.body).unwrap();
    let actions: Vec<&str> = v["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["sign_in", "view_basic_data", "view_basic_data"],
        "{}",
        trail.body
    );
}

#[tokio::test]
async fn sessions_sign_out_and_revocation() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings.clone()).await;
    let child = person_id(&db, "Eetu", "Mäkinen").await;
    // A wrong password and an unknown account look the same, and are logged.
    for (user, pw) in [
        ("sari.sosiaalityontekija", "wrong"),
        ("nobody.here", "wrong"),
    ] {
        let body = format!(r#"{{"username":"{user}","password":"{pw}"}}"#);
        let r = http_with(
            addr,
            "POST",
            "/api/session",
            &[("content-type", "application/json")],
            Some(&body),
        )
        .await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("wrong username or password"));
    }
    let failed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM use_log WHERE action = 'sign_in' AND NOT allowed")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(failed, 2);
    // A forged cross-site POST is refused before anything happens.
    let forged = http_with(
        addr,
        "POST",
        "/api/session",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "http://evil.example"),
        ],
        Some("username=sari.sosiaalityontekija&password=x"),
    )
    .await;
    assert_eq!(forged.status, 403);

    let outi = sign_in(addr, "outi.sijainen").await;
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{child}"))
            .await
            .status,
        200
    );
    let me = get(addr, &outi, "/api/me").await;
    assert!(me.body.contains("client_worker"), "{}", me.body);
    // Duties end: the open session is refused on the next request.
    let aino = sign_in(addr, "aino.paakayttaja").await;
    let outi_id = user_id(&db, "outi.sijainen").await;
    let r = http_with(
        addr,
        "POST",
        &format!("/api/users/{outi_id}/end-duties"),
        &[("cookie", &aino), ("content-type", "application/json")],
        Some(r#"{"reason":"sijaisuus päättyi"}"#),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{child}"))
            .await
            .status,
        401
    );
    // Sign-out ends the session.
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let r = http_with(addr, "DELETE", "/api/session", &[("cookie", &sari)], None).await;
    assert_eq!(r.status, 204);
    assert_eq!(get(addr, &sari, "/api/me").await.status, 401);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let (db, settings) = demo_db().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(
        kirjo_web::AppState::new(db.runtime.clone())
            .with_gate(settings)
            .with_sessions(kirjo_web::SessionSettings {
                idle_secs: 1,
                ..Default::default()
            }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let c = sign_in(addr, "sari.sosiaalityontekija").await;
    assert_eq!(get(addr, &c, "/api/me").await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(get(addr, &c, "/api/me").await.status, 401);
}

async fn post_json(addr: SocketAddr, cookie: &str, path: &str, body: &str) -> HttpResponse {
    http_with(
        addr,
        "POST",
        path,
        &[("cookie", cookie), ("content-type", "application/json")],
        Some(body),
    )
    .await
}

#[tokio::test]
async fn relationships_are_opened_staffed_and_ended_where_the_user_works() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    // A new person: nobody may see them before a relationship exists.
    let code = kirjo_domain::hetu::PersonalIdentityCode::from_parts(
        chrono::NaiveDate::from_ymd_opt(2019, 2, 3).unwrap(),
        kirjo_domain::hetu::CenturySign::A,
        944,
    )
    .unwrap();
    let r = post_json(
        addr,
        &sari,
        "/api/clients",
        &format!(r#"{{"identity_code":"{code}","first_names":"Uusi","surname":"Asiakas"}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        get(addr, &sari, &format!("/api/clients/{id}")).await.status,
        403
    );

    // Not in a unit where one does not work; not as a registry clerk.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let here = r#"{"service_area":"lapsiperheet","unit":"perheyksikko"}"#;
    assert_eq!(
        post_json(
            addr,
            &pekka,
            &format!("/api/clients/{id}/relationships"),
            here
        )
        .await
        .status,
        403
    );
    let kaisa = sign_in(addr, "kaisa.kirjaamo").await;
    assert_eq!(
        post_json(
            addr,
            &kaisa,
            &format!("/api/clients/{id}/relationships"),
            here
        )
        .await
        .status,
        403
    );
    // The unit's supervisor assigns it to Sari (a relationship is opened
    // on a basis Kirjo records: here the assignment).
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let r = post_json(
        addr,
        &leena,
        &format!("/api/clients/{id}/relationships"),
        &format!(
            r#"{{"service_area":"lapsiperheet","unit":"perheyksikko","basis":"assignment","responsible_worker_id":{sari_id}}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let rel = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        get(addr, &sari, &format!("/api/clients/{id}")).await.status,
        200
    );

    // The supervisor staffs the team; another worker may not.
    let outi = sign_in(addr, "outi.sijainen").await;
    let outi_id = user_id(&db, "outi.sijainen").await;
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{id}")).await.status,
        403
    );
    let today = chrono::Utc::now().date_naive();
    let member = format!(r#"{{"user_id":{outi_id},"valid_from":"{today}"}}"#);
    assert_eq!(
        post_json(
            addr,
            &pekka,
            &format!("/api/relationships/{rel}/team"),
            &member
        )
        .await
        .status,
        403
    );
    let r = post_json(
        addr,
        &leena,
        &format!("/api/relationships/{rel}/team"),
        &member,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        get(addr, &outi, &format!("/api/clients/{id}")).await.status,
        200
    );

    // Ending needs a reason; it is kept; twice is an error.
    let end = format!(r#"{{"ended_on":"{today}","reason":"palvelutarve päättyi"}}"#);
    assert_eq!(
        post_json(
            addr,
            &sari,
            &format!("/api/relationships/{rel}/end"),
            r#"{"ended_on":"2020-01-01","reason":" "}"#
        )
        .await
        .status,
        400
    );
    assert_eq!(
        post_json(addr, &sari, &format!("/api/relationships/{rel}/end"), &end)
            .await
            .status,
        204
    );
    assert_eq!(
        post_json(addr, &sari, &format!("/api/relationships/{rel}/end"), &end)
            .await
            .status,
        400
    );
    let (ended, reason): (chrono::NaiveDate, String) =
        sqlx::query_as("SELECT ended_on, end_reason FROM client_relationship WHERE id = $1")
            .bind(rel)
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!((ended, reason.as_str()), (today, "palvelutarve päättyi"));
    // Every step is in the client's log with the client's id.
    let steps: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE client_id = $1 AND action = 'manage_relationship' AND allowed",
    )
    .bind(id)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(steps, 3);
    // So is every refusal: the gate's (the registry clerk) and the store's
    // (another unit's worker opening, a worker who is not responsible
    // staffing the team), with why.
    let refusals: Vec<String> = sqlx::query_scalar(
        "SELECT explanation FROM use_log WHERE client_id = $1 AND action = 'manage_relationship' AND NOT allowed
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.runtime)
    .await
    .unwrap();
    assert_eq!(refusals.len(), 3, "{refusals:?}");
    assert!(
        refusals[0].contains("no client-work role in unit perheyksikko"),
        "{refusals:?}"
    );
    assert!(
        refusals[2].contains("responsible worker or the unit's supervisor"),
        "{refusals:?}"
    );
}

#[tokio::test]
async fn repeated_failures_lock_an_account_name_and_an_address_alike() {
    let (db, settings) = demo_db().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(
        kirjo_web::AppState::new(db.runtime.clone())
            .with_gate(settings)
            .with_sessions(kirjo_web::SessionSettings {
                failure_delay_ms: 10,
                max_source_failures: 17,
                ..Default::default()
            }),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    let attempt = |user: &'static str, pw: &'static str| async move {
        let body = format!(r#"{{"username":"{user}","password":"{pw}"}}"#);
        http_with(
            addr,
            "POST",
            "/api/session",
            &[("content-type", "application/json")],
            Some(&body),
        )
        .await
        .status
    };
    let good = kirjo::demo::DEMO_PASSWORD;
    // Fewer than five failures, then a success: the count starts again.
    for _ in 0..4 {
        assert_eq!(attempt("pekka.sosiaaliohjaaja", "väärä").await, 401);
    }
    assert_eq!(attempt("pekka.sosiaaliohjaaja", good).await, 200);
    // Five failures lock the name: even the right password is refused.
    for _ in 0..5 {
        assert_eq!(attempt("sari.sosiaalityontekija", "väärä").await, 401);
    }
    assert_eq!(attempt("sari.sosiaalityontekija", good).await, 429);
    assert_eq!(
        attempt("SARI.sosiaalityontekija", good).await,
        429,
        "names are not case-sensitive"
    );
    // An unknown name behaves the same, so a lockout reveals nothing.
    for _ in 0..5 {
        assert_eq!(attempt("ei.ketaan", "väärä").await, 401);
    }
    assert_eq!(attempt("ei.ketaan", "väärä").await, 429);
    // The address: failures across names add up, refused attempts included
    // (4 + 7 + 6 = 17).
    assert_eq!(
        attempt("leena.esihenkilo", good).await,
        429,
        "the address is locked"
    );
    // All of it is in the use log.
    let locked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'sign_in' AND NOT allowed AND explanation LIKE '%locked%'",
    )
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(locked, 4);
}

#[tokio::test]
async fn a_reset_password_must_be_changed_and_weak_ones_are_refused() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let kalle: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Kalle%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let pekka_id = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let old_session = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    // Only the main administrator resets; the temporary password is shown once.
    let leena = sign_in(addr, "leena.esihenkilo").await;
    assert_eq!(
        post_json(
            addr,
            &leena,
            &format!("/api/users/{pekka_id}/password-reset"),
            "{}"
        )
        .await
        .status,
        403
    );
    let aino = sign_in(addr, "aino.paakayttaja").await;
    let r = post_json(
        addr,
        &aino,
        &format!("/api/users/{pekka_id}/password-reset"),
        "{}",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let temporary = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()
        ["temporary_password"]
        .as_str()
        .unwrap()
        .to_owned();
    // The old session ended; the old password no longer works.
    assert_eq!(get(addr, &old_session, "/api/me").await.status, 401);
    let body = format!(
        r#"{{"username":"pekka.sosiaaliohjaaja","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    assert_eq!(
        http_with(
            addr,
            "POST",
            "/api/session",
            &[("content-type", "application/json")],
            Some(&body)
        )
        .await
        .status,
        401
    );
    // With the temporary one: signed in, but nothing is allowed until changed.
    let body = format!(r#"{{"username":"pekka.sosiaaliohjaaja","password":"{temporary}"}}"#);
    let r = http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200);
    let pekka = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(get(addr, &pekka, "/api/me")
        .await
        .body
        .contains("\"password_change_required\":true"));
    let r = get(addr, &pekka, &format!("/api/clients/{kalle}")).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("must be changed"), "{}", r.body);
    // Weak new passwords are refused, in the user's language.
    for (new, needle) in [
        ("lyhyt", "vähintään 12"),
        ("qwerty123456", "yleisesti käytetty"),
        ("pekka.sosiaaliohjaaja2026", "käyttäjätunnusta"),
    ] {
        let r = post_json(
            addr,
            &pekka,
            "/api/me/password",
            &format!(r#"{{"current_password":"{temporary}","new_password":"{new}"}}"#),
        )
        .await;
        assert_eq!(r.status, 422, "{new}");
        assert!(r.body.contains(needle), "{new}: {}", r.body);
    }
    let r = post_json(
        addr,
        &pekka,
        "/api/me/password?lang=en",
        r#"{"current_password":"wrong","new_password":"vahva ja pitka lause"}"#,
    )
    .await;
    assert!(r.body.contains("current password is wrong"), "{}", r.body);
    let r = post_json(
        addr,
        &pekka,
        "/api/me/password",
        &format!(
            r#"{{"current_password":"{temporary}","new_password":"kolme karhua ja kuusi kuusta"}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        get(addr, &pekka, &format!("/api/clients/{kalle}"))
            .await
            .status,
        200
    );
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'password_change' AND user_id = $1",
    )
    .bind(pekka_id)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn sensitive_actions_need_the_password_given_recently() {
    let (db, settings) = demo_db().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(
        kirjo_web::AppState::new(db.runtime.clone())
            .with_gate(settings)
            .with_sessions(kirjo_web::SessionSettings {
                reauth_secs: 1,
                ..Default::default()
            }),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let reveal = format!("/api/clients/{eetu}/protected-contact?reason=kotik%C3%A4ynti");
    assert_eq!(
        get(addr, &sari, &reveal).await.status,
        200,
        "just signed in"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let r = get(addr, &sari, &reveal).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("re-authentication required"), "{}", r.body);
    // Ordinary reading goes on without it.
    assert_eq!(
        get(addr, &sari, &format!("/api/clients/{eetu}"))
            .await
            .status,
        200
    );
    // A wrong password does not help; the right one does. Both are logged.
    assert_eq!(
        post_json(
            addr,
            &sari,
            "/api/session/reauth",
            r#"{"password":"väärä"}"#
        )
        .await
        .status,
        401
    );
    let body = format!(r#"{{"password":"{}"}}"#, kirjo::demo::DEMO_PASSWORD);
    assert_eq!(
        post_json(addr, &sari, "/api/session/reauth", &body)
            .await
            .status,
        204
    );
    assert_eq!(get(addr, &sari, &reveal).await.status, 200);
    let (ok, failed): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE allowed), count(*) FILTER (WHERE NOT allowed) FROM use_log WHERE action = 'reauthenticate'",
    )
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!((ok, failed), (1, 1));
}

/// The service areas of what a read returned.
type Areas = BTreeSet<String>;

fn set(areas: &[&str]) -> Areas {
    areas.iter().map(|a| (*a).to_owned()).collect()
}

/// Enters the gate for `action` on `client` as `user`: the areas the
/// decision reaches and the open access, or None when denied.
async fn entered(
    db: &TestDb,
    settings: &GateSettings,
    user: i64,
    client: i64,
    action: Action,
) -> Option<kirjo_store::gate::Guarded> {
    match enter(
        &db.runtime,
        &caller(user),
        settings,
        &Request {
            action,
            client_id: Some(client),
            data: "data group table test",
            purpose: None,
            reason: None,
        },
    )
    .await
    {
        Ok(g) => Some(g),
        Err(GateError::Denied { .. }) => None,
        Err(e) => panic!("{e}"),
    }
}

/// Issue 14, item 3: every data group is scoped by service area exactly as
/// documents are. A child served in two areas (child welfare by Sari, and
/// adult services by Pekka, say for the youth's own housing), each area
/// writing every data group: for every demo user and every data group,
/// the areas the decision reaches are those of the table, and what the
/// store's SQL returns is exactly what was written in those areas.
#[tokio::test]
async fn every_data_group_is_read_only_in_the_areas_where_the_user_has_the_client() {
    use kirjo_store::{data_groups, documents, guardians};
    let (db, settings) = demo_db().await;
    let eetu = person_id(&db, "Eetu", "Mäkinen").await;
    let sari = user_id(&db, "sari.sosiaalityontekija").await;
    let pekka = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let rel: i64 = sqlx::query_scalar(
        "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on,
                                          responsible_worker_id, basis)
         VALUES ($1, 'sosiaalihuolto', 'aikuiset', 'aikuisyksikko', kirjo_today(), $2, 'legacy') RETURNING id",
    )
    .bind(eetu)
    .bind(pekka)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO relationship_team_member (relationship_id, client_id, user_id, valid_from)
         VALUES ($1, $2, $3, kirjo_today())",
    )
    .bind(rel)
    .bind(eetu)
    .bind(pekka)
    .execute(&db.owner)
    .await
    .unwrap();
    let today = kirjo_domain::calendar::helsinki_today();
    for (user, area, task) in [
        (sari, "lapsiperheet", "lastensuojelu"),
        (pekka, "aikuiset", "aikuissosiaalityo"),
    ] {
        let write = |action| entered(&db, &settings, user, eetu, action);
        let mut g = write(Action::RecordSensitiveData).await.unwrap();
        assert_eq!(g.access.decision().service_area.as_deref(), Some(area));
        let p = data_groups::record_sensitive(&mut g, "health", area)
            .await
            .unwrap();
        assert!(g.finish(p).await.unwrap().is_some());
        let mut g = write(Action::EditFinances).await.unwrap();
        let income = data_groups::IncomeInput {
            kind: "income".into(),
            description: area.into(),
            amount_cents: 100,
            valid_from: None,
            valid_until: None,
        };
        let p = data_groups::add_income(&mut g, &income).await.unwrap();
        assert!(g.finish(p).await.unwrap().is_some());
        let mut g = write(Action::EditFinances).await.unwrap();
        let p = data_groups::add_bank_account(&mut g, "FI2112345600000785")
            .await
            .unwrap();
        assert!(g.finish(p).await.unwrap().is_some());
        let prohibition = guardians::NewProhibition {
            made_on: today,
            accepted: true,
            reason: format!("kielto {area}"),
            age_and_maturity: "ikätasoaan kypsä".into(),
            mature_enough: true,
            weighty_reason: "painava syy".into(),
            clearly_against_interest: false,
            child_told_on: today,
            documents: None,
        };
        guardians::record_prohibition(
            &db.runtime,
            &caller(user),
            &settings,
            eetu,
            Ok(&prohibition),
        )
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO document (client_id, register_id, sub_register_id, service_task_id, kind, content, name,
                                   definition_oid, client_first_names, client_surname, organiser, producer,
                                   author_id, author_name, author_title, state, completed_at)
             SELECT p.id, p.register_id, $2, $3, 'narrative', '{}'::jsonb, 'merkintä', '1.2.246', p.first_names,
                    p.surname, 'Harjuniemi', 'Harjuniemi', u.id, u.name, u.title, 'completed', now()
             FROM person p, staff_user u WHERE p.id = $1 AND u.id = $4",
        )
        .bind(eetu)
        .bind(area)
        .bind(task)
        .bind(user)
        .execute(&db.owner)
        .await
        .unwrap();
    }
    let both = set(&["aikuiset", "lapsiperheet"]);
    let child = set(&["lapsiperheet"]);
    let adult = set(&["aikuiset"]);
    let none = Areas::new();
    // (user) -> areas for: sensitive, finances, prohibitions, documents.
    let mut table: BTreeMap<&str, [&Areas; 4]> = BTreeMap::new();
    table.insert("sari.sosiaalityontekija", [&child, &child, &child, &child]);
    table.insert("outi.sijainen", [&child, &child, &child, &child]);
    table.insert("pekka.sosiaaliohjaaja", [&adult, &adult, &adult, &adult]);
    table.insert("leena.esihenkilo", [&none, &none, &none, &child]);
    table.insert("matti.esihenkilo", [&none, &none, &none, &adult]);
    table.insert("tuomas.tukiperhe", [&none, &none, &none, &child]);
    let mut failures = Vec::new();
    for u in kirjo::demo::USERS {
        let uid = user_id(&db, u.username).await;
        let want = table.get(u.username).copied().unwrap_or([&none; 4]);
        let check = |group: &str, decided: Areas, returned: Areas, want: &Areas| {
            let mut failures = Vec::new();
            if &decided != want {
                failures.push(format!(
                    "{} {group}: decided {decided:?}, table {want:?}",
                    u.username
                ));
            }
            let expected: Areas = decided.intersection(&both).cloned().collect();
            if returned != expected {
                failures.push(format!(
                    "{} {group}: SQL returned {returned:?}, decision {expected:?}",
                    u.username
                ));
            }
            failures
        };
        // Sensitive data.
        let (decided, returned) =
            match entered(&db, &settings, uid, eetu, Action::ViewSensitiveData).await {
                None => (Areas::new(), Areas::new()),
                Some(mut g) => {
                    let decided: Areas = g.access.areas().iter().cloned().collect();
                    let p = data_groups::sensitive(&mut g).await.unwrap();
                    let rows = g.finish(p).await.unwrap().unwrap();
                    (decided, rows.into_iter().map(|s| s.service_area).collect())
                }
            };
        failures.extend(check("sensitive", decided, returned, want[0]));
        // Finances: incomes and bank accounts alike.
        let (decided, returned) =
            match entered(&db, &settings, uid, eetu, Action::ViewFinances).await {
                None => (Areas::new(), Areas::new()),
                Some(mut g) => {
                    let decided: Areas = g.access.areas().iter().cloned().collect();
                    let p = data_groups::finances(&mut g).await.unwrap();
                    let f = g.finish(p).await.unwrap().unwrap();
                    let incomes: Areas = f
                        .incomes_and_assets
                        .into_iter()
                        .map(|i| i.service_area)
                        .collect();
                    let accounts: Areas = f
                        .bank_accounts
                        .into_iter()
                        .map(|a| a.service_area)
                        .collect();
                    if incomes != accounts {
                        failures.push(format!(
                            "{}: incomes {incomes:?}, accounts {accounts:?}",
                            u.username
                        ));
                    }
                    (decided, incomes)
                }
            };
        failures.extend(check("finances", decided, returned, want[1]));
        // A minor's prohibitions, as the card shows them (under the card's
        // own access), scoped as sensitive data.
        let (decided, returned) =
            match entered(&db, &settings, uid, eetu, Action::ViewBasicData).await {
                None => (Areas::new(), Areas::new()),
                Some(mut g) => {
                    let decided: Areas = g
                        .access
                        .areas_of(Action::ViewSensitiveData)
                        .into_iter()
                        .collect();
                    let p = guardians::prohibitions(&mut g).await.unwrap();
                    let rows = g.finish(p).await.unwrap();
                    (
                        decided,
                        rows.into_iter().filter_map(|p| p.service_area).collect(),
                    )
                }
            };
        failures.extend(check("prohibitions", decided, returned, want[2]));
        // Documents, as before.
        let decided: Areas = match entered(&db, &settings, uid, eetu, Action::ViewDocument).await {
            None => Areas::new(),
            Some(g) => g.access.areas().iter().cloned().collect(),
        };
        let returned: Areas = match documents::timeline(
            &db.runtime,
            &caller(uid),
            &settings,
            eetu,
            None,
            Some("narrative"),
            kirjo_store::Page::ALL,
        )
        .await
        {
            Ok((_, lines)) => lines
                .into_iter()
                .filter(|l| l.name == "merkintä")
                .map(|l| l.service_area)
                .collect(),
            Err(GateError::Denied { .. }) => Areas::new(),
            Err(e) => panic!("{e}"),
        };
        failures.extend(check("documents", decided, returned, want[3]));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
