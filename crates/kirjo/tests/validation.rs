//! Issue 15 (findings 1, 3 and 8) and issue 14 (item 4): one validation of
//! dates and text at the edge, shared by the API and the pages; reading
//! stored data never fails on a value; every API error is JSON, a wrong
//! content type 415; every refused attempt on a client door has its denied
//! row in the use log, parse errors and unknown ids included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, page_session, post_form, post_json, serve, sign_in};
use kirjo_testkit::{http_with, HttpResponse, TestDb};

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

fn today() -> chrono::NaiveDate {
    kirjo_domain::calendar::helsinki_today()
}

async fn eetu(db: &TestDb) -> i64 {
    common::person_id(&db.owner, "Eetu").await
}

/// The fields a 422 names.
fn fields(r: &HttpResponse) -> Vec<String> {
    json(&r.body)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {}", r.body))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// The denied use-log rows of a request, by its `x-request-id`:
/// `(client_id, explanation)`.
async fn denied_rows(db: &TestDb, r: &HttpResponse) -> Vec<(Option<i64>, String)> {
    let id: uuid::Uuid = r
        .header("x-request-id")
        .expect("a request id")
        .parse()
        .unwrap();
    sqlx::query_as(
        "SELECT client_id, explanation FROM use_log WHERE request_id = $1 AND NOT allowed",
    )
    .bind(id)
    .fetch_all(&db.owner)
    .await
    .unwrap()
}

fn narrative(date: &str, text: &str) -> String {
    serde_json::json!({
        "service_task": "lastensuojelu",
        "entry": "meeting_or_contact",
        "date": date,
        "text": text,
    })
    .to_string()
}

#[tokio::test]
async fn a_document_date_must_be_iso_and_within_the_clients_life() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = eetu(&db).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{eetu}/documents");
    let born: chrono::NaiveDate = sqlx::query_scalar("SELECT birth_date FROM person WHERE id = $1")
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let before_birth = (born - chrono::Days::new(1)).to_string();
    for date in [
        "-0001-01-01",
        "1800-01-01",
        "2026-2-3",
        "+2026-01-01",
        "20260101",
        " 2026-01-01x",
    ] {
        let r = post_json(addr, &sari, &path, &narrative(date, "Kotikäynti.")).await;
        assert_eq!(r.status, 422, "{date}: {}", r.body);
        assert_eq!(fields(&r), ["date"], "{date}");
    }
    // Before the client's birth: refused after the gate (whoever the gate
    // refuses learns nothing of the birth date), and logged.
    let r = post_json(
        addr,
        &sari,
        &format!("{path}?lang=en"),
        &narrative(&before_birth, "Kotikäynti."),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(fields(&r), ["date"]);
    assert!(r.body.contains("birth"), "{}", r.body);
    assert_eq!(denied_rows(&db, &r).await.len(), 1);
    let r = post_json(
        addr,
        &sari,
        &path,
        &narrative(&born.to_string(), "Syntymäpäivä."),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post_json(
        addr,
        &sari,
        &path,
        &narrative(&today().to_string(), "Hyvä."),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

#[tokio::test]
async fn a_bad_date_stored_is_shown_marked_never_a_500() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = eetu(&db).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{eetu}/documents");
    let r = post_json(
        addr,
        &sari,
        &path,
        &narrative(&today().to_string(), "Hyvä."),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    // As an older Kirjo, or a hand in the database, might have left it.
    sqlx::query("UPDATE document SET content = jsonb_set(content, '{date}', '\"-0001-01-01\"') WHERE id = $1")
        .bind(id)
        .execute(&db.owner)
        .await
        .unwrap();
    let list = get_as(addr, &sari, &path).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let v = json(&list.body);
    let line = v["documents"]
        .as_array()
        .or_else(|| v.as_array())
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .find(|l| l["id"].as_i64() == Some(id))
        .cloned()
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(line["date"], serde_json::Value::Null, "{line}");
    assert_eq!(line["date_invalid"], true, "{line}");
    let (cookies, _) = page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &cookies, &format!("/clients/{eetu}/documents")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("date-invalid"), "{}", page.body);
}

#[tokio::test]
async fn a_birth_date_is_iso_not_before_1880_and_not_in_the_future() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let tomorrow = (today() + chrono::Days::new(1)).to_string();
    for date in [
        "-0001-01-01",
        "1800-01-01",
        "1879-12-31",
        "2026-2-3",
        tomorrow.as_str(),
    ] {
        let body = serde_json::json!({"first_names":"Testi","surname":"Henkilö","birth_date":date});
        let r = post_json(addr, &sari, "/api/clients", &body.to_string()).await;
        assert_eq!(r.status, 422, "{date}: {}", r.body);
        assert_eq!(fields(&r), ["birth_date"], "{date}");
    }
    let body =
        serde_json::json!({"first_names":"Testi","surname":"Henkilö","birth_date":"1880-01-01"});
    let r = post_json(addr, &sari, "/api/clients", &body.to_string()).await;
    assert_eq!(r.status, 201, "{}", r.body);

    // The page: the form again, with what was typed and the error at the field.
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let r = post_form(
        addr,
        "/clients/new",
        &cookies,
        &format!("csrf={token}&first_names=Typed+Name&surname=Kept&birth_date=-0001-01-01"),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Typed Name") && r.body.contains("-0001-01-01"),
        "{}",
        r.body
    );
    assert!(r.body.contains("birth_date-error"), "{}", r.body);
}

#[tokio::test]
async fn nul_control_characters_and_direction_overrides_are_refused_not_500() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = eetu(&db).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let refused = |r: &HttpResponse, what: &str| {
        assert!(
            r.status == 400 || r.status == 422,
            "{what}: {} {}",
            r.status,
            r.body
        );
        assert!(
            r.header("content-type")
                .unwrap_or_default()
                .starts_with("application/json"),
            "{what}"
        );
        assert!(!r.body.contains('\u{0}'), "{what}");
    };
    // The sign-in name.
    let r = http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(r#"{"username":"sari\u0000x","password":"x"}"#),
    )
    .await;
    refused(&r, "sign-in name");
    let r = http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(r#"{"username":"sari\u202ex","password":"x"}"#),
    )
    .await;
    refused(&r, "sign-in name, direction override");
    // Person fields.
    for bad in [
        "A\u{0}b",
        "A\u{202e}b",
        "A\u{2066}b",
        "A\u{7}b",
        "A\u{1b}[31mb",
    ] {
        let body =
            serde_json::json!({"first_names":bad,"surname":"Henkilö","birth_date":"1990-01-01"});
        let r = post_json(addr, &sari, "/api/clients", &body.to_string()).await;
        refused(&r, &format!("person {bad:?}"));
    }
    // Document text: NUL and overrides refused, newline and tab kept.
    let path = format!("/api/clients/{eetu}/documents");
    for bad in ["a\u{0}b", "a\u{202d}b", "a\u{8}b"] {
        let r = post_json(addr, &sari, &path, &narrative(&today().to_string(), bad)).await;
        refused(&r, &format!("document {bad:?}"));
    }
    let r = post_json(
        addr,
        &sari,
        &path,
        &narrative(&today().to_string(), "Rivi 1\nRivi 2\tsarake"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // Search and a reveal reason.
    for q in ["name=a%00b", "name=a%E2%80%AEb", "name=a%0Bb"] {
        let r = get_as(addr, &sari, &format!("/api/clients?{q}")).await;
        refused(&r, q);
    }
    let r = get_as(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/protected-contact?reason=a%00b"),
    )
    .await;
    refused(&r, "reveal reason");
    // The sign-in page's form.
    let (token, csrf) = common::form_token(addr, None, "/sign-in").await;
    let r = post_form(
        addr,
        "/sign-in",
        &csrf,
        &format!("csrf={token}&username=a%00b&password=x"),
        &[],
    )
    .await;
    assert!(
        r.status == 400 || r.status == 422,
        "{} {}",
        r.status,
        r.body
    );
    // A list in a body is capped.
    let phones: Vec<String> = (0..5000).map(|i| format!("040 {i:07}")).collect();
    let body = serde_json::json!({"first_names":"Listo","surname":"Pitkä","birth_date":"1990-01-01","phones":phones});
    let r = post_json(addr, &sari, "/api/clients", &body.to_string()).await;
    assert!(
        r.status == 400 || r.status == 422,
        "{} {}",
        r.status,
        r.body
    );
}

#[tokio::test]
async fn a_wrong_content_type_is_415_and_every_api_error_is_json() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = eetu(&db).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{eetu}/documents");
    let is_json = |r: &HttpResponse, what: &str| {
        assert!(
            r.header("content-type")
                .unwrap_or_default()
                .starts_with("application/json"),
            "{what}: {} {:?}",
            r.status,
            r.body
        );
        assert!(
            json(&r.body)["error"].is_string() || json(&r.body)["errors"].is_array(),
            "{what}"
        );
    };
    let r = http_with(
        addr,
        "POST",
        &path,
        &[("cookie", &sari), ("content-type", "text/plain")],
        Some(&narrative("2026-01-01", "x")),
    )
    .await;
    assert_eq!(r.status, 415, "{}", r.body);
    is_json(&r, "text/plain");
    let r = http_with(addr, "POST", &path, &[("cookie", &sari)], Some("{}")).await;
    assert_eq!(r.status, 415, "{}", r.body);
    is_json(&r, "no content type");
    let r = post_json(addr, &sari, &path, "{").await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_json(&r, "broken JSON");
    let r = post_json(addr, &sari, &path, r#"{"text":[1,2]}"#).await;
    assert!(r.status == 400 || r.status == 422, "{}", r.body);
    is_json(&r, "wrong types");
    let r = get_as(addr, &sari, "/api/clients/abc").await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_json(&r, "path");
    let r = get_as(addr, &sari, "/api/clients?birth_date=2026-2-3").await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_json(&r, "query");
    let r = http_with(
        addr,
        "PATCH",
        &path,
        &[("cookie", &sari), ("content-type", "application/json")],
        Some("{}"),
    )
    .await;
    assert_eq!(r.status, 405, "{}", r.body);
    is_json(&r, "method");
    // A method Kirjo serves nowhere is 405 too, not a content-type refusal.
    let r = http_with(addr, "TRACE", &path, &[("cookie", &sari)], None).await;
    assert_eq!(r.status, 405, "{}", r.body);
    is_json(&r, "TRACE");
}

#[tokio::test]
async fn every_refused_attempt_on_a_client_door_has_its_log_row() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = eetu(&db).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let path = format!("/api/clients/{eetu}/documents");
    let cases: Vec<(HttpResponse, Option<i64>, &str)> = vec![
        (
            post_json(addr, &sari, &path, "{").await,
            Some(eetu),
            "broken JSON",
        ),
        (
            http_with(
                addr,
                "POST",
                &path,
                &[("cookie", &sari), ("content-type", "text/plain")],
                Some("x"),
            )
            .await,
            Some(eetu),
            "content type",
        ),
        (
            post_json(addr, &sari, &path, &narrative("-0001-01-01", "x")).await,
            Some(eetu),
            "bad date",
        ),
        (
            post_json(addr, &sari, &path, &narrative("2026-01-01", "a\u{0}b")).await,
            Some(eetu),
            "NUL in text",
        ),
        (
            get_as(addr, &sari, "/api/clients?name=a%00b").await,
            None,
            "NUL in search",
        ),
        (
            post_json(addr, &sari, "/api/relationships/999999/team", "{}").await,
            None,
            "unknown relationship",
        ),
        (
            post_json(addr, &sari, "/api/relationships/abc/team", "{}").await,
            None,
            "bad id",
        ),
        (
            get_as(
                addr,
                &leena,
                "/api/statistics/processing-times?from=2026-04-02",
            )
            .await,
            None,
            "statistics 422",
        ),
        (
            get_as(addr, &leena, "/api/statistics/processing-times?from=x").await,
            None,
            "statistics, not a date",
        ),
        (
            get_as(addr, &leena, "/api/statistics/yearly?year=1999").await,
            None,
            "statistics, year out of range",
        ),
    ];
    for (r, client, what) in cases {
        assert!(
            (400..500).contains(&r.status),
            "{what}: {} {}",
            r.status,
            r.body
        );
        let rows = denied_rows(&db, &r).await;
        assert!(
            !rows.is_empty(),
            "{what}: {} {} left no row",
            r.status,
            r.body
        );
        if client.is_some() {
            assert!(rows.iter().any(|(c, _)| *c == client), "{what}: {rows:?}");
        }
        for (_, explanation) in &rows {
            assert!(!explanation.contains('\u{0}'), "{what}");
        }
    }
}
