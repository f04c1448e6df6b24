//! The registry through the API: name search that forgives case, accents and
//! typos but never shows a person the user may not see; turvakielto hiding
//! the address and contact data, and the reveal with a reason, logged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::demo_db;
use kirjo_testkit::{http_with, HttpResponse, TestDb};
use std::net::SocketAddr;

async fn serve(db: &TestDb, settings: kirjo_store::gate::GateSettings) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()).with_gate(settings));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    addr
}

async fn sign_in(addr: SocketAddr, username: &str) -> String {
    let body = format!(
        r#"{{"username":"{username}","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let r = http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn get(addr: SocketAddr, cookie: &str, path: &str) -> HttpResponse {
    http_with(addr, "GET", path, &[("cookie", cookie)], None).await
}

fn names(r: &HttpResponse) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["first_names"].as_str().unwrap(),
                p["surname"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn name_search_forgives_case_accents_and_typos_but_not_access() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let children = ["Eetu Juhani Mäkinen", "Ella Maria Mäkinen"];
    for q in [
        "makinen",
        "Makkinen",
        "M%C3%84KINEN",
        "m%C3%A4ki",
        "m%C3%A4kkinen",
    ] {
        let r = get(addr, &sari, &format!("/api/clients?name={q}")).await;
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        let mut got = names(&r);
        got.sort();
        assert_eq!(got, children, "{q}");
    }
    // The parents (no relationship with Sari) and the deceased Mäkelä exist,
    // but she sees none of them.
    let all: i64 =
        sqlx::query_scalar("SELECT count(*) FROM person WHERE kirjo_fold(surname) LIKE 'mak%'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(all, 5);
    // Ranking: the better match first.
    let r = get(addr, &sari, "/api/clients?name=ella%20m%C3%A4kinen").await;
    assert_eq!(
        names(&r).first().map(String::as_str),
        Some("Ella Maria Mäkinen")
    );
    // By identity code, exactly; a malformed one is a clear error.
    let code: String =
        sqlx::query_scalar("SELECT identity_code FROM person WHERE first_names LIKE 'Eetu%'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    let r = get(addr, &sari, &format!("/api/clients?identity_code={code}")).await;
    assert_eq!(names(&r), ["Eetu Juhani Mäkinen"]);
    let r = get(addr, &sari, "/api/clients?identity_code=010101-900X").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("check character"), "{}", r.body);
    // Another area's worker finds nobody of them.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    assert!(names(&get(addr, &pekka, "/api/clients?name=makinen").await).is_empty());
    // Searching is a logged use, with its criteria.
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'search' AND data LIKE '%name=Makkinen%'",
    )
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn turvakielto_hides_contact_data_until_revealed_with_a_reason() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    // The child's mother has turvakielto and it covers her household.
    let r = get(addr, &sari, &format!("/api/clients/{eetu}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["person"]["protected"], true);
    assert!(v["person"]["contact"].is_null());
    assert!(
        !r.body.contains("Suojatie") && !r.body.contains("00990"),
        "{}",
        r.body
    );
    // The family is shown: the guardian and the parent without custody.
    let kinds: Vec<&str> = v["person"]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"guardian") && kinds.contains(&"parent_without_custody"),
        "{kinds:?}"
    );

    // Revealing needs a reason, and then it is logged with it.
    let path = format!("/api/clients/{eetu}/protected-contact");
    assert_eq!(get(addr, &sari, &path).await.status, 400);
    let r = get(
        addr,
        &sari,
        &format!("{path}?reason=kotik%C3%A4ynti%20sovittu"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Suojatie 1 A 2"), "{}", r.body);
    let purpose: String = sqlx::query_scalar(
        "SELECT purpose FROM use_log WHERE action = 'reveal_protected_address' AND client_id = $1 AND allowed",
    )
    .bind(eetu)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(purpose, "kotikäynti sovittu");
    // A supervisor sees the card but may not reveal; the provider neither.
    for user in ["leena.esihenkilo", "tuomas.tukiperhe"] {
        let c = sign_in(addr, user).await;
        let card = get(addr, &c, &format!("/api/clients/{eetu}")).await;
        assert_eq!(card.status, 200);
        assert!(!card.body.contains("Suojatie"));
        assert_eq!(
            get(addr, &c, &format!("{path}?reason=x")).await.status,
            403,
            "{user}"
        );
    }
    // Someone without turvakielto shows their address as usual.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let kalle: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Kalle%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let r = get(addr, &pekka, &format!("/api/clients/{kalle}")).await;
    assert!(
        r.body.contains("Rantapolku 3") && r.body.contains("\"protected\":false"),
        "{}",
        r.body
    );
}
