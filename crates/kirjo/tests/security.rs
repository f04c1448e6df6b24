//! The guards found missing in review: second-factor guesses across many
//! sessions, enrolment over an enrolled factor, re-authentication guesses,
//! and contact data under turvakielto through the API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, password_step, post_json, serve_with};
use kirjo_access::Role;
use kirjo_testkit::http_with;
use kirjo_web::account::totp;

fn sessions(roles: Vec<Role>) -> kirjo_web::SessionSettings {
    kirjo_web::SessionSettings {
        second_factor_roles: roles,
        failure_delay_ms: 1,
        ..Default::default()
    }
}

fn wrong_code(secret: &[u8]) -> String {
    let now = totp::step_of(chrono::Utc::now().timestamp());
    let taken: Vec<String> = (now - 1..=now + 1)
        .map(|s| totp::code_at(secret, s))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !taken.contains(c))
        .unwrap()
}

#[tokio::test]
async fn many_sessions_waiting_for_the_code_give_no_more_guesses_than_one() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![]),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let secret = kirjo::demo::DEMO_TOTP_SECRET;
    // Ten sessions past the password: none counts as a success yet.
    let mut waiting = Vec::new();
    for _ in 0..10 {
        let (status, cookie, answer) = password_step(addr, "aino.paakayttaja").await;
        assert_eq!(status, 200);
        assert_eq!(answer["next"], "second_factor");
        waiting.push(cookie);
    }
    let wrong = wrong_code(secret);
    let body = format!(r#"{{"code":"{wrong}"}}"#);
    // One wrong code in each of five sessions: the name is then locked.
    for cookie in &waiting[..5] {
        let r = post_json(addr, cookie, "/api/session/second-factor", &body).await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    // The sixth session gets no guess at all, not even the right code.
    let right = totp::code_at(secret, totp::step_of(chrono::Utc::now().timestamp()));
    let r = post_json(
        addr,
        &waiting[5],
        "/api/session/second-factor",
        &format!(r#"{{"code":"{right}"}}"#),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(get_as(addr, &waiting[5], "/api/me").await.status, 401);
    // And a new sign-in is locked too.
    let (status, _, _) = password_step(addr, "aino.paakayttaja").await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn enrolment_in_one_session_ends_the_others_waiting_to_enrol() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![Role::DataProtectionOfficer]),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let (_, other, answer) = password_step(addr, "sanna.tietosuoja").await;
    assert_eq!(answer["next"], "enrol");
    let (_, mine, _) = password_step(addr, "sanna.tietosuoja").await;
    let begun = post_json(addr, &mine, "/api/me/second-factor", "{}").await;
    let v: serde_json::Value = serde_json::from_str(&begun.body).unwrap();
    let secret = totp::from_base32(v["secret"].as_str().unwrap()).unwrap();
    let code = totp::code_at(&secret, totp::step_of(chrono::Utc::now().timestamp()));
    let done = post_json(
        addr,
        &mine,
        "/api/me/second-factor/confirm",
        &format!(r#"{{"code":"{code}"}}"#),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    // The other session, left at enrolment, cannot put its own secret in.
    let r = post_json(addr, &other, "/api/me/second-factor", "{}").await;
    assert_eq!(r.status, 401, "{}", r.body);
    let (stage_other,): (Option<String>,) = sqlx::query_as(
        "SELECT end_reason FROM staff_session s JOIN staff_user u ON u.id = s.user_id
         WHERE u.username = 'sanna.tietosuoja' AND s.ended_at IS NOT NULL LIMIT 1",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        stage_other.as_deref(),
        Some("a new second factor was enrolled")
    );
    // A new sign-in now needs the code, and cannot enrol over it.
    let (_, third, answer) = password_step(addr, "sanna.tietosuoja").await;
    assert_eq!(answer["next"], "second_factor");
    assert_eq!(
        post_json(addr, &third, "/api/me/second-factor", "{}")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn guessing_the_password_at_re_authentication_is_limited() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![]),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let (_, cookie, _) = password_step(addr, "sari.sosiaalityontekija").await;
    for _ in 0..5 {
        let r = post_json(
            addr,
            &cookie,
            "/api/session/reauth",
            r#"{"password":"väärä arvaus tässä"}"#,
        )
        .await;
        assert_eq!(r.status, 401);
    }
    let r = post_json(
        addr,
        &cookie,
        "/api/session/reauth",
        &format!(r#"{{"password":"{}"}}"#, kirjo::demo::DEMO_PASSWORD),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(
        get_as(addr, &cookie, "/api/me").await.status,
        401,
        "the session ended"
    );
}

#[tokio::test]
async fn the_api_does_not_wipe_the_hidden_contact_data_of_a_protected_person() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![]),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let (_, cookie, _) = password_step(addr, "sari.sosiaalityontekija").await;
    // Eetu lives in Minna's household, which her turvakielto covers.
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let rows = "SELECT (SELECT count(*) FROM person_address WHERE person_id = $1 AND valid_until IS NULL)
                     + (SELECT count(*) FROM person_contact WHERE person_id = $1 AND ended_at IS NULL)";
    let before: i64 = sqlx::query_scalar(rows)
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert!(before > 0);
    let home_before: Option<String> =
        sqlx::query_scalar("SELECT home_municipality FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    // A PUT without the hidden data (the API's GET does not show them),
    // and one that tries to set them: neither changes them.
    for body in [
        r#"{"first_names":"Eetu Juhani","surname":"Mäkinen"}"#,
        r#"{"first_names":"Eetu Juhani","surname":"Mäkinen","home_municipality":"049","phones":["040 000 1234"],"address":{"street":"Muualla 1"}}"#,
    ] {
        let read = http_with(
            addr,
            "GET",
            &format!("/api/clients/{eetu}"),
            &[("cookie", &cookie)],
            None,
        )
        .await;
        let tag = read.header("etag").unwrap().to_owned();
        let r = http_with(
            addr,
            "PUT",
            &format!("/api/clients/{eetu}"),
            &[
                ("cookie", &cookie),
                ("content-type", "application/json"),
                ("if-match", &tag),
            ],
            Some(body),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let after: i64 = sqlx::query_scalar(rows)
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(after, before);
    let home: Option<String> =
        sqlx::query_scalar("SELECT home_municipality FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(home, home_before, "the home municipality stays");
}

#[tokio::test]
async fn saving_unchanged_contact_data_keeps_their_source_and_history() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![]),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let (_, cookie, _) = password_step(addr, "pekka.sosiaaliohjaaja").await;
    let kalle: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Kalle%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let card: serde_json::Value = serde_json::from_str(
        &get_as(addr, &cookie, &format!("/api/clients/{kalle}"))
            .await
            .body,
    )
    .unwrap();
    let contact = &card["person"]["contact"];
    let address = &contact["addresses"][0];
    let body = serde_json::json!({
        "first_names": card["person"]["first_names"],
        "surname": card["person"]["surname"],
        "home_municipality": contact["home_municipality"],
        "phones": contact["phones"],
        "emails": contact["emails"],
        "address": {
            "street": address["street"], "postal_code": address["postal_code"],
            "post_office": address["post_office"], "municipality": address["municipality"],
        },
    });
    let rows = "SELECT (SELECT count(*) FROM person_address WHERE person_id = $1)
                     + (SELECT count(*) FROM person_contact WHERE person_id = $1)";
    let before: i64 = sqlx::query_scalar(rows)
        .bind(kalle)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    for _ in 0..2 {
        let read = http_with(
            addr,
            "GET",
            &format!("/api/clients/{kalle}"),
            &[("cookie", &cookie)],
            None,
        )
        .await;
        let tag = read.header("etag").unwrap().to_owned();
        let r = http_with(
            addr,
            "PUT",
            &format!("/api/clients/{kalle}"),
            &[
                ("cookie", &cookie),
                ("content-type", "application/json"),
                ("if-match", &tag),
            ],
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let after: i64 = sqlx::query_scalar(rows)
        .bind(kalle)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing was rewritten");
    let source: String = sqlx::query_scalar(
        "SELECT source FROM person_address WHERE person_id = $1 AND kind = 'permanent' AND valid_until IS NULL",
    )
    .bind(kalle)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(source, "vtj");
}
