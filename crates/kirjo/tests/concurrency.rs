//! Lost updates (issue 15, finding 4): every record edited in place has a
//! revision; the API gives it as an `ETag` and takes it back as `If-Match`
//! (428 without one), and an edit from a stale read answers 409 with the
//! revision now stored, never a silent overwrite. A draft's edit racing its
//! completion answers 409, never 500. The pages carry the revision in a
//! hidden field and, on a conflict, show both versions side by side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, page_session, person_id, post_form, post_json, serve, sign_in};
use kirjo_testkit::{http_with, HttpResponse};
use std::net::SocketAddr;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

async fn send(
    addr: SocketAddr,
    cookie: &str,
    method: &str,
    path: &str,
    if_match: Option<&str>,
    body: &str,
) -> HttpResponse {
    let mut headers = vec![("cookie", cookie), ("content-type", "application/json")];
    if let Some(tag) = if_match {
        headers.push(("if-match", tag));
    }
    http_with(addr, method, path, &headers, Some(body)).await
}

/// The `ETag` of a GET.
async fn etag(addr: SocketAddr, cookie: &str, path: &str) -> String {
    let r = get_as(addr, cookie, path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.header("etag")
        .unwrap_or_else(|| panic!("{path} has no ETag"))
        .to_owned()
}

async fn new_draft(addr: SocketAddr, cookie: &str, client: i64, text: &str) -> i64 {
    let r = post_json(
        addr,
        cookie,
        &format!("/api/clients/{client}/documents"),
        &format!(
            r#"{{"service_task":"lastensuojelu","entry":"meeting_or_contact","date":"2026-11-20","text":"{text}"}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r.body)["id"].as_i64().unwrap()
}

fn narrative(text: &str) -> String {
    format!(r#"{{"entry":"meeting_or_contact","date":"2026-11-20","text":"{text}"}}"#)
}

async fn stored_text(db: &kirjo_testkit::TestDb, id: i64) -> String {
    sqlx::query_scalar("SELECT content->>'text' FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_sessions_editing_one_draft_never_lose_an_edit() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = person_id(&db.owner, "Eetu").await;
    // The same worker in two sessions (two tabs, two machines).
    let tab1 = sign_in(addr, "sari.sosiaalityontekija").await;
    let tab2 = sign_in(addr, "sari.sosiaalityontekija").await;
    let id = new_draft(addr, &tab1, eetu, "Alku.").await;
    let path = format!("/api/documents/{id}");
    let read1 = etag(addr, &tab1, &path).await;
    let read2 = etag(addr, &tab2, &path).await;
    assert_eq!(read1, read2);

    // Without If-Match nothing is written: 428, and it says what to send.
    let blind = send(addr, &tab1, "PUT", &path, None, &narrative("Sokkona.")).await;
    assert_eq!(blind.status, 428, "{}", blind.body);
    assert!(blind.body.contains("If-Match"), "{}", blind.body);
    assert_eq!(stored_text(&db, id).await, "Alku.");

    let first = send(
        addr,
        &tab1,
        "PUT",
        &path,
        Some(&read1),
        &narrative("Ensimmäinen."),
    )
    .await;
    assert_eq!(first.status, 204, "{}", first.body);
    let after_first = first.header("etag").unwrap().to_owned();
    assert_ne!(after_first, read1);

    // The second session saves from the same read: refused, with the
    // revision now stored, and the first edit stays.
    let second = send(
        addr,
        &tab2,
        "PUT",
        &path,
        Some(&read2),
        &narrative("Toinen."),
    )
    .await;
    assert_eq!(second.status, 409, "{}", second.body);
    let b = json(&second.body);
    assert_eq!(
        format!("\"{}\"", b["current_revision"]),
        after_first,
        "{}",
        second.body
    );
    assert_eq!(second.header("etag"), Some(after_first.as_str()));
    assert_eq!(stored_text(&db, id).await, "Ensimmäinen.");
    // The refusal is in the use log.
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE data = $1 AND NOT allowed AND explanation LIKE '%changed%'",
    )
    .bind(format!("document:{id} edit draft"))
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 1);

    // Read again, merge, save: it goes in.
    let fresh = etag(addr, &tab2, &path).await;
    let merged = send(
        addr,
        &tab2,
        "PUT",
        &path,
        Some(&fresh),
        &narrative("Ensimmäinen. Toinen."),
    )
    .await;
    assert_eq!(merged.status, 204, "{}", merged.body);
    assert_eq!(stored_text(&db, id).await, "Ensimmäinen. Toinen.");

    // Completing and discarding take the revision too.
    let done = format!("{path}/complete");
    assert_eq!(
        send(addr, &tab1, "POST", &done, None, "{}").await.status,
        428
    );
    let stale = send(addr, &tab1, "POST", &done, Some(&after_first), "{}").await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let now = etag(addr, &tab1, &path).await;
    assert_eq!(
        send(addr, &tab1, "POST", &done, Some(&now), "{}")
            .await
            .status,
        204
    );
    // An edit from before the completion: 409, not 500.
    let late = send(
        addr,
        &tab2,
        "PUT",
        &path,
        Some(&now),
        &narrative("Myöhässä."),
    )
    .await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert_eq!(stored_text(&db, id).await, "Ensimmäinen. Toinen.");
}

#[tokio::test]
async fn an_edit_racing_completion_has_exactly_one_winner_and_never_a_500() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = person_id(&db.owner, "Eetu").await;
    let tab1 = sign_in(addr, "sari.sosiaalityontekija").await;
    let tab2 = sign_in(addr, "sari.sosiaalityontekija").await;
    let mut edits_won = 0;
    let mut completions_won = 0;
    for round in 0..40 {
        let id = new_draft(addr, &tab1, eetu, "Luonnos.").await;
        let path = format!("/api/documents/{id}");
        let tag = etag(addr, &tab1, &path).await;
        let text = format!("Kierros {round}.");
        let body = narrative(&text);
        let done = format!("{path}/complete");
        let (edit, complete) = tokio::join!(
            send(addr, &tab1, "PUT", &path, Some(&tag), &body),
            send(addr, &tab2, "POST", &done, Some(&tag), "{}"),
        );
        let statuses = (edit.status, complete.status);
        let (state, stored): (String, String) =
            sqlx::query_as("SELECT state, content->>'text' FROM document WHERE id = $1")
                .bind(id)
                .fetch_one(&db.owner)
                .await
                .unwrap();
        match statuses {
            (204, 409) => {
                edits_won += 1;
                assert_eq!((state.as_str(), stored.as_str()), ("draft", text.as_str()));
            }
            (409, 204) => {
                completions_won += 1;
                assert_eq!((state.as_str(), stored.as_str()), ("completed", "Luonnos."));
            }
            other => panic!(
                "round {round}: {other:?}, edit {} / complete {}",
                edit.body, complete.body
            ),
        }
    }
    assert_eq!(edits_won + completions_won, 40);
}

#[tokio::test]
async fn two_workers_editing_one_persons_basic_data_never_lose_a_change() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = person_id(&db.owner, "Eetu").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let outi = sign_in(addr, "outi.sijainen").await;
    let path = format!("/api/clients/{eetu}");
    let by_sari = etag(addr, &sari, &path).await;
    let by_outi = etag(addr, &outi, &path).await;
    assert_eq!(by_sari, by_outi);
    let body = |occupation: &str| {
        format!(
            r#"{{"first_names":"Eetu Juhani","surname":"Mäkinen","occupation":"{occupation}"}}"#
        )
    };
    assert_eq!(
        send(addr, &sari, "PUT", &path, None, &body("x"))
            .await
            .status,
        428
    );
    let first = send(
        addr,
        &sari,
        "PUT",
        &path,
        Some(&by_sari),
        &body("Koululainen"),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.body);
    let now = first.header("etag").unwrap().to_owned();
    let second = send(addr, &outi, "PUT", &path, Some(&by_outi), &body("Oppilas")).await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(
        format!("\"{}\"", json(&second.body)["current_revision"]),
        now
    );
    let occupation: Option<String> =
        sqlx::query_scalar("SELECT occupation FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(occupation.as_deref(), Some("Koululainen"));

    // Raced from one read, many times: exactly one of the two goes in.
    for round in 0..30 {
        let tag = etag(addr, &sari, &path).await;
        let a = body(&format!("Sari {round}"));
        let b = body(&format!("Outi {round}"));
        let (ra, rb) = tokio::join!(
            send(addr, &sari, "PUT", &path, Some(&tag), &a),
            send(addr, &outi, "PUT", &path, Some(&tag), &b),
        );
        let occupation: String = sqlx::query_scalar("SELECT occupation FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
        match (ra.status, rb.status) {
            (200, 409) => assert_eq!(occupation, format!("Sari {round}")),
            (409, 200) => assert_eq!(occupation, format!("Outi {round}")),
            other => panic!("round {round}: {other:?} {} {}", ra.body, rb.body),
        }
    }
}

/// The `value` of the hidden `revision` field on a page.
fn hidden_revision(page: &str) -> String {
    page.split(r#"name="revision" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no revision field: {page}"))
        .to_owned()
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_page_conflict_shows_both_versions_and_keeps_what_was_typed() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = person_id(&db.owner, "Eetu").await;
    let api = sign_in(addr, "sari.sosiaalityontekija").await;
    let id = new_draft(addr, &api, eetu, "Alkuteksti.").await;
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;

    // The draft's page carries its revision in the form.
    let page = get_as(addr, &cookies, &format!("/documents/{id}")).await;
    assert_eq!(page.status, 200);
    let seen = hidden_revision(&page.body);
    // Meanwhile the other session saves.
    let tag = etag(addr, &api, &format!("/api/documents/{id}")).await;
    assert_eq!(tag, format!("\"{seen}\""));
    let other = send(
        addr,
        &api,
        "PUT",
        &format!("/api/documents/{id}"),
        Some(&tag),
        &narrative("Toisen istunnon teksti."),
    )
    .await;
    assert_eq!(other.status, 204, "{}", other.body);

    let typed = [
        ("csrf", token.as_str()),
        ("revision", seen.as_str()),
        ("entry", "meeting_or_contact"),
        ("date", "2026-11-20"),
        ("text", "Minun tekstini."),
    ];
    let r = post_form(
        addr,
        &format!("/documents/{id}/edit"),
        &cookies,
        &form_body(&typed),
        &[],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Both versions, side by side, and the form keeps what was typed with
    // the revision now stored.
    assert!(r.body.contains("Minun tekstini."), "{}", r.body);
    assert!(r.body.contains("Toisen istunnon teksti."), "{}", r.body);
    assert!(r.body.contains("Joku muu tallensi"), "{}", r.body);
    let newer = hidden_revision(&r.body);
    assert_ne!(newer, seen);
    assert_eq!(stored_text(&db, id).await, "Toisen istunnon teksti.");
    // Saving the merge from the conflict page goes in.
    let merged = [
        ("csrf", token.as_str()),
        ("revision", newer.as_str()),
        ("entry", "meeting_or_contact"),
        ("date", "2026-11-20"),
        ("text", "Toisen istunnon teksti. Minun tekstini."),
    ];
    let r = post_form(
        addr,
        &format!("/documents/{id}/edit"),
        &cookies,
        &form_body(&merged),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        stored_text(&db, id).await,
        "Toisen istunnon teksti. Minun tekstini."
    );

    // Completing from a stale page: a conflict page, not a completion.
    let r = post_form(
        addr,
        &format!("/documents/{id}/complete"),
        &cookies,
        &form_body(&[("csrf", token.as_str()), ("revision", seen.as_str())]),
        &[],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let state: String = sqlx::query_scalar("SELECT state FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(state, "draft");

    // Basic data: the same, in English.
    let (en, en_token) = page_session(addr, "outi.sijainen").await;
    let en = format!("{en}; kirjo_lang=en");
    let form = get_as(addr, &en, &format!("/clients/{eetu}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let seen = hidden_revision(&form.body);
    let tag = etag(addr, &api, &format!("/api/clients/{eetu}")).await;
    let saved = send(
        addr,
        &api,
        "PUT",
        &format!("/api/clients/{eetu}"),
        Some(&tag),
        r#"{"first_names":"Eetu Juhani","surname":"Mäkinen","occupation":"Partiolainen"}"#,
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let typed = [
        ("csrf", en_token.as_str()),
        ("revision", seen.as_str()),
        ("first_names", "Eetu Juhani"),
        ("surname", "Mäkinen"),
        ("occupation", "Jalkapalloilija"),
    ];
    let r = post_form(
        addr,
        &format!("/clients/{eetu}/edit"),
        &en,
        &form_body(&typed),
        &[],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Someone else saved"), "{}", r.body);
    assert!(
        r.body.contains("Jalkapalloilija") && r.body.contains("Partiolainen"),
        "{}",
        r.body
    );
    assert_ne!(hidden_revision(&r.body), seen);
    let occupation: String = sqlx::query_scalar("SELECT occupation FROM person WHERE id = $1")
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(occupation, "Partiolainen");
}

#[tokio::test]
async fn ending_a_relationship_twice_at_once_ends_it_once() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = person_id(&db.owner, "Eetu").await;
    let tab1 = sign_in(addr, "sari.sosiaalityontekija").await;
    let tab2 = sign_in(addr, "sari.sosiaalityontekija").await;
    // Sari's relationship with Eetu, copied (as the database's owner) so
    // that it can be ended many times over.
    let rel: i64 = sqlx::query_scalar(
        "SELECT r.id FROM client_relationship r JOIN staff_user u ON u.id = r.responsible_worker_id
         WHERE r.client_id = $1 AND u.username = 'sari.sosiaalityontekija' AND r.ended_on IS NULL
         ORDER BY r.id LIMIT 1",
    )
    .bind(eetu)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let today: chrono::NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    for round in 0..20 {
        let copy: i64 = sqlx::query_scalar(
            "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on,
                                              responsible_worker_id, basis, basis_document_id, assigned_by,
                                              purpose_id, purpose_text, backdating_reason, opened_by)
             SELECT client_id, register_id, sub_register_id, unit_id, started_on, responsible_worker_id,
                    basis, basis_document_id, assigned_by, purpose_id, purpose_text, backdating_reason,
                    opened_by
             FROM client_relationship WHERE id = $1 RETURNING id",
        )
        .bind(rel)
        .fetch_one(&db.owner)
        .await
        .unwrap();
        let end = |reason: &str| format!(r#"{{"ended_on":"{today}","reason":"{reason}"}}"#);
        let path = format!("/api/relationships/{copy}/end");
        let (first, second) = (end("ensimmäinen"), end("toinen"));
        let (a, b) = tokio::join!(
            post_json(addr, &tab1, &path, &first),
            post_json(addr, &tab2, &path, &second),
        );
        let reason: String =
            sqlx::query_scalar("SELECT end_reason FROM client_relationship WHERE id = $1")
                .bind(copy)
                .fetch_one(&db.owner)
                .await
                .unwrap();
        match (a.status, b.status) {
            (204, 400) => assert_eq!(reason, "ensimmäinen"),
            (400, 204) => assert_eq!(reason, "toinen"),
            other => panic!("round {round}: {other:?} {} {}", a.body, b.body),
        }
    }
}
