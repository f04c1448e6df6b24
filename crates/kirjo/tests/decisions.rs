//! Decisions as acts of a decision maker (docs/decisions.md), over real
//! HTTP and PostgreSQL: the drafter names the decision maker, only that
//! user decides it and only with a fresh second factor; its serving by
//! post, in person and electronically gives the day of service and the
//! appeal's last day; it is final only after every appeal period or with
//! a reason; and its printout data carries the serving dates and the
//! appeal instructions of its legal basis.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, post_json, serve, sign_in};
use kirjo_testkit::http_with;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn user_id(db: &kirjo_testkit::TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

/// A decision for Eetu drafted by `cookie`, naming `maker`.
async fn draft(
    addr: std::net::SocketAddr,
    cookie: &str,
    eetu: i64,
    maker: i64,
    basis: &str,
) -> kirjo_testkit::HttpResponse {
    let today = kirjo_domain::calendar::helsinki_today();
    post_json(
        addr,
        cookie,
        &format!("/api/clients/{eetu}/documents"),
        &serde_json::json!({
            "kind": "decision", "service_task": "lastensuojelu",
            "fields": {
                "date": today.to_string(), "outcome": "positive", "service": "support_person_or_family",
                "decision_text": "Eetulle myönnetään tukihenkilö.", "legal_basis": basis,
                "decision_maker": maker.to_string(), "information_phone": "010 555 1234",
            },
            "parties": [
                { "name": "Minna Mäkinen", "method": "letter", "served_on": "" },
                { "name": "Jari Mäkinen", "method": "electronic", "served_on": "" },
                { "name": "Eetu Mäkinen", "method": "handed", "served_on": "" },
            ],
        })
        .to_string(),
    )
    .await
}

async fn decide(
    addr: std::net::SocketAddr,
    cookie: &str,
    id: i64,
    revision: i64,
) -> kirjo_testkit::HttpResponse {
    let tag = format!("\"{revision}\"");
    http_with(
        addr,
        "POST",
        &format!("/api/documents/{id}/decide"),
        &[
            ("cookie", cookie),
            ("if-match", &tag),
            ("content-type", "application/json"),
        ],
        Some("{}"),
    )
    .await
}

/// The last refused use-log row of a user: (data, explanation).
async fn last_refusal(db: &kirjo_testkit::TestDb, user: i64) -> (String, String) {
    sqlx::query_as(
        "SELECT data, explanation FROM use_log WHERE user_id = $1 AND NOT allowed ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .fetch_one(&db.owner)
    .await
    .unwrap()
}

/// Gives the second-factor code again after the password (a step-up); a
/// code is good once, so the steps around now are tried in turn.
async fn step_up(addr: std::net::SocketAddr, cookie: &str) {
    let now = kirjo_web::account::totp::step_of(chrono::Utc::now().timestamp());
    for step in [now, now + 1] {
        let code = kirjo_web::account::totp::code_at(kirjo::demo::DEMO_TOTP_SECRET, step);
        let r = post_json(
            addr,
            cookie,
            "/api/session/reauth",
            &format!(
                r#"{{"password":"{}","code":"{code}"}}"#,
                kirjo::demo::DEMO_PASSWORD
            ),
        )
        .await;
        if r.status == 204 {
            return;
        }
    }
    panic!("no step-up code was accepted");
}

/// Moves a decided decision's act back to `day` (so that its serving can
/// be dated in the past, as it would have been).
async fn decided_on(db: &kirjo_testkit::TestDb, id: i64, day: &str) {
    sqlx::query("UPDATE decision_act SET decided_at = ($2::date + time '12:00') AT TIME ZONE 'Europe/Helsinki' WHERE document_id = $1")
        .bind(id)
        .bind(day)
        .execute(&db.owner)
        .await
        .unwrap();
}

async fn serve_party(
    addr: std::net::SocketAddr,
    cookie: &str,
    id: i64,
    body: serde_json::Value,
) -> kirjo_testkit::HttpResponse {
    post_json(
        addr,
        cookie,
        &format!("/api/documents/{id}/service"),
        &body.to_string(),
    )
    .await
}

#[tokio::test]
async fn a_decision_is_decided_only_by_its_named_maker_with_a_fresh_second_factor() {
    let (db, settings) = demo_db().await;
    // Leena, the decision maker, has a second factor.
    sqlx::query(
        "UPDATE staff_user SET totp_secret = $1, totp_enrolled_at = now() WHERE username = 'leena.esihenkilo'",
    )
    .bind(&kirjo::demo::DEMO_TOTP_SECRET[..])
    .execute(&db.owner)
    .await
    .unwrap();
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let (sari_id, leena_id, pekka_id) = (
        user_id(&db, "sari.sosiaalityontekija").await,
        user_id(&db, "leena.esihenkilo").await,
        user_id(&db, "pekka.sosiaaliohjaaja").await,
    );
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;

    // The list to choose from: the family services' client workers and
    // supervisor; not adult services' workers, nor the provider's.
    let makers = json(
        &get_as(addr, &sari, "/api/decision-makers?area=lapsiperheet")
            .await
            .body,
    );
    let ids: Vec<i64> = makers["makers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert!(
        ids.contains(&leena_id) && ids.contains(&sari_id),
        "{makers}"
    );
    assert!(!ids.contains(&pekka_id), "{makers}");
    let tuomas = user_id(&db, "tuomas.tukiperhe").await;
    assert!(!ids.contains(&tuomas), "{makers}");
    let leena_row = makers["makers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == leena_id)
        .unwrap()
        .clone();
    assert_eq!(
        (
            leena_row["first_names"].as_str(),
            leena_row["surname"].as_str()
        ),
        (Some("Leena"), Some("Lahtinen"))
    );

    // A user who may not decide in the area cannot be named.
    let r = draft(
        addr,
        &sari,
        eetu,
        pekka_id,
        "Lastensuojelulaki (417/2007) 36 §",
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("decision maker"), "{}", r.body);

    let r = draft(
        addr,
        &sari,
        eetu,
        leena_id,
        "Lastensuojelulaki (417/2007) 36 §",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();

    // The drafter is not the decision maker: refused with why, and logged.
    let r = decide(addr, &sari, id, 1).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body
            .contains("decided only by the decision maker it names (Leena Lahtinen)")
            && r.body.contains("its drafter"),
        "{}",
        r.body
    );
    let (data, why) = last_refusal(&db, sari_id).await;
    assert_eq!(data, format!("document:{id} decide"));
    assert!(why.contains("Leena Lahtinen"), "{why}");
    // Nor does completing it as a draft get round it.
    let r = http_with(
        addr,
        "POST",
        &format!("/api/documents/{id}/complete"),
        &[
            ("cookie", &sari),
            ("if-match", "\"1\""),
            ("content-type", "application/json"),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("Leena Lahtinen"), "{}", r.body);

    // The named decision maker reads the draft, and decides it only with a
    // fresh second factor.
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let read = get_as(addr, &leena, &format!("/api/documents/{id}")).await;
    assert_eq!(read.status, 200, "{}", read.body);
    sqlx::query(
        "UPDATE staff_session SET second_factor_at = now() - interval '1 hour', authenticated_at = now() - interval '1 hour'
         WHERE user_id = $1",
    )
    .bind(leena_id)
    .execute(&db.owner)
    .await
    .unwrap();
    let r = decide(addr, &leena, id, 1).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("second-factor"), "{}", r.body);
    let (data, why) = last_refusal(&db, leena_id).await;
    assert_eq!(data, format!("document:{id} decide"));
    assert!(why.starts_with("step-up required"), "{why}");
    // The password alone is not a second factor.
    let r = post_json(
        addr,
        &leena,
        "/api/session/reauth",
        &format!(r#"{{"password":"{}"}}"#, kirjo::demo::DEMO_PASSWORD),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(decide(addr, &leena, id, 1).await.status, 401);
    step_up(addr, &leena).await;
    let r = decide(addr, &leena, id, 1).await;
    assert_eq!(r.status, 204, "{}", r.body);
    // Decided once.
    let again = decide(addr, &leena, id, 2).await;
    assert!(again.status == 403 || again.status == 409, "{}", again.body);

    let (drafted, decided, first, last): (i64, i64, String, String) = sqlx::query_as(
        "SELECT drafted_by, decided_by, maker_first_names, maker_surname FROM decision_act WHERE document_id = $1",
    )
    .bind(id)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        (drafted, decided, first.as_str(), last.as_str()),
        (sari_id, leena_id, "Leena", "Lahtinen")
    );
    // The decision carries the template's appeal, and its national
    // structure the decision maker's names as separate fields.
    let e = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}/export"))
            .await
            .body,
    );
    let paatos = &e["document"]["lastensuojelun_palvelu__tai_tukitoimipaatos"]["paatos"];
    assert_eq!(paatos["paatoksentekija"]["etunimet"], "Leena", "{e}");
    assert_eq!(paatos["paatoksentekija"]["sukunimi"], "Lahtinen", "{e}");
    assert_eq!(
        paatos["muutoksenhaku"]["muutoksenhakukeino"]["code"], "2",
        "{e}"
    );
    assert!(paatos["muutoksenhaku"]["ohjeteksti"]
        .as_str()
        .unwrap()
        .contains("hallinto-oikeuteen"));
}

#[tokio::test]
async fn a_legal_basis_without_a_template_cannot_be_decided() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    // Sari names herself: she has no second factor, so her fresh password
    // (she has just signed in) is the step-up.
    let r = draft(addr, &sari, eetu, sari_id, "LsL 36 §").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    let r = decide(addr, &sari, id, 1).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("has no appeal template"), "{}", r.body);
    let (_, why) = last_refusal(&db, sari_id).await;
    assert!(why.contains("has no appeal template"), "{why}");
    let state: String = sqlx::query_scalar("SELECT state FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(state, "draft");
}

#[tokio::test]
async fn serving_gives_the_days_of_service_and_appeal_and_final_waits_for_them() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let r = draft(
        addr,
        &sari,
        eetu,
        sari_id,
        "Lastensuojelulaki (417/2007) 36 §",
    )
    .await;
    let id = json(&r.body)["id"].as_i64().unwrap();
    assert_eq!(decide(addr, &sari, id, 1).await.status, 204);

    // Not served before it was decided.
    let r = serve_party(
        addr,
        &sari,
        id,
        serde_json::json!({"party": 0, "method": "post", "sent_on": "2026-10-30"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    decided_on(&db, id, "2026-10-30").await;
    // By post, sent on Saturday 31 October: served on the 7th day,
    // Saturday 7 November (not moved: 434/2003 §59); 30 days on is Monday
    // 7 December.
    let r = serve_party(
        addr,
        &sari,
        id,
        serde_json::json!({"party": 0, "method": "post", "sent_on": "2026-10-31"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        json(&r.body),
        serde_json::json!({"served_on": "2026-11-07", "appeal_ends_on": "2026-12-07"})
    );
    // Electronically on Monday 2 November: the 3rd day, Thursday 5th; 30
    // days on is Saturday 5 December, then Independence Day (Sunday):
    // the appeal ends on Monday 7 December (150/1930 §5).
    let r = serve_party(
        addr,
        &sari,
        id,
        serde_json::json!({"party": 1, "method": "electronic", "sent_on": "2026-11-02"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        json(&r.body),
        serde_json::json!({"served_on": "2026-11-05", "appeal_ends_on": "2026-12-07"})
    );
    // A receipt is for a letter only.
    let r = serve_party(addr, &sari, id, serde_json::json!({"party": 2, "method": "in_person", "sent_on": "2026-11-24", "receipt_on": "2026-11-24"})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Not final while a party is unserved.
    let r = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/final"),
        r#"{"ground":"appeal_periods_passed"}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // In person on Tuesday 24 November: served that day; 30 days on is
    // Christmas Eve, then Christmas, Boxing Day and Sunday: Monday 28
    // December.
    let r = serve_party(
        addr,
        &sari,
        id,
        serde_json::json!({"party": 2, "method": "in_person", "sent_on": "2026-11-24"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        json(&r.body),
        serde_json::json!({"served_on": "2026-11-24", "appeal_ends_on": "2026-12-28"})
    );
    // Once per party.
    let r = serve_party(
        addr,
        &sari,
        id,
        serde_json::json!({"party": 2, "method": "post", "sent_on": "2026-11-24"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // The printout data: the decision maker, each party's day of service,
    // the appeal deadline and the instructions of its legal basis.
    let p = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}/decision"))
            .await
            .body,
    );
    assert_eq!(p["decision_maker"]["first_names"], "Sari", "{p}");
    assert_eq!(p["decision_maker"]["surname"], "Saarinen", "{p}");
    assert_eq!(p["decided_on"], "2026-10-30", "{p}");
    let served: Vec<&str> = p["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["served_on"].as_str().unwrap())
        .collect();
    assert_eq!(served, ["2026-11-07", "2026-11-05", "2026-11-24"]);
    assert_eq!(p["parties"][0]["method"], "post");
    assert_eq!(p["appeal_deadline"], "2026-12-28", "{p}");
    assert_eq!(p["appeal"]["template"], "child_welfare");
    assert_eq!(p["appeal"]["means"], "appeal");
    assert_eq!(p["appeal"]["days"], 30);
    assert!(p["appeal"]["instructions"]["fi"]
        .as_str()
        .unwrap()
        .contains("hallinto-oikeuteen"));
    assert!(p["appeal"]["instructions"]["sv"]
        .as_str()
        .unwrap()
        .contains("förvaltningsdomstolen"));
    assert!(p["appeal"]["instructions"]["en"]
        .as_str()
        .unwrap()
        .contains("administrative court"));
    assert!(p["final"].is_null());
    // Reading it is a logged use.
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM use_log WHERE data = $1 AND allowed")
            .bind(format!("document:{id} decision printout"))
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(logged, 1);

    // The periods have not passed (the last ends on 28 December): final
    // only with a reason, as when the appeal was waived.
    let today = kirjo_domain::calendar::helsinki_today();
    if today <= chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap() {
        let r = post_json(
            addr,
            &sari,
            &format!("/api/documents/{id}/final"),
            r#"{"ground":"appeal_periods_passed"}"#,
        )
        .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("2026-12-28"), "{}", r.body);
        let r = post_json(
            addr,
            &sari,
            &format!("/api/documents/{id}/final"),
            r#"{"ground":"appeal_waived","reason":""}"#,
        )
        .await;
        assert_eq!(r.status, 422, "{}", r.body);
    }
    let r = post_json(addr, &sari, &format!("/api/documents/{id}/final"), r#"{"ground":"appeal_waived","reason":"Huoltajat ja lapsi ilmoittivat kirjallisesti, etteivät hae muutosta."}"#).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE data = $1 AND allowed AND user_id = $2",
    )
    .bind(format!("document:{id} final: appeal_waived"))
    .bind(sari_id)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 1);
    let r = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/final"),
        r#"{"ground":"appeal_waived","reason":"x"}"#,
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let p = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}/decision"))
            .await
            .body,
    );
    assert_eq!(p["final"]["ground"], "appeal_waived", "{p}");

    // A Social Welfare Act decision: a request for review, 30 days; a
    // receipt's day decides; final once every period has passed.
    let r = draft(
        addr,
        &sari,
        eetu,
        sari_id,
        "Sosiaalihuoltolaki (1301/2014) 19 §",
    )
    .await;
    let id = json(&r.body)["id"].as_i64().unwrap();
    assert_eq!(decide(addr, &sari, id, 1).await.status, 204);
    decided_on(&db, id, "2026-09-01").await;
    for (party, body, served, ends) in [
        // Sent Tuesday 1 September, the receipt signed Thursday 3rd: 30
        // days on is Saturday 3 October, so Monday 5 October.
        (
            0,
            serde_json::json!({"party": 0, "method": "post", "sent_on": "2026-09-01", "receipt_on": "2026-09-03"}),
            "2026-09-03",
            "2026-10-05",
        ),
        (
            1,
            serde_json::json!({"party": 1, "method": "electronic", "sent_on": "2026-09-01"}),
            "2026-09-04",
            "2026-10-05",
        ),
        (
            2,
            serde_json::json!({"party": 2, "method": "in_person", "sent_on": "2026-09-02"}),
            "2026-09-02",
            "2026-10-02",
        ),
    ] {
        let r = serve_party(addr, &sari, id, body).await;
        assert_eq!(r.status, 201, "party {party}: {}", r.body);
        assert_eq!(
            json(&r.body),
            serde_json::json!({"served_on": served, "appeal_ends_on": ends}),
            "party {party}"
        );
    }
    let p = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}/decision"))
            .await
            .body,
    );
    assert_eq!(p["appeal"]["means"], "rectification", "{p}");
    assert_eq!(p["appeal_deadline"], "2026-10-05", "{p}");
    let r = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/final"),
        r#"{"ground":"appeal_periods_passed"}"#,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
}

#[tokio::test]
async fn a_code_kirjo_does_not_have_is_refused_at_export_not_guessed() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let today = kirjo_domain::calendar::helsinki_today();
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        &serde_json::json!({
            "kind": "decision", "service_task": "lastensuojelu",
            "fields": {
                "date": today.to_string(), "outcome": "negative", "service": "social_work",
                "decision_text": "Tukihenkilöä ei myönnetä.", "legal_basis": "Lastensuojelulaki (417/2007) 36 §",
                "decision_maker": sari_id, "information_phone": "010 555 1234",
            },
            "parties": [{ "name": "Minna Mäkinen", "method": "handed", "served_on": "" }],
        })
        .to_string(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    assert_eq!(decide(addr, &sari, id, 1).await.status, 204);
    let e = get_as(addr, &sari, &format!("/api/documents/{id}/export")).await;
    assert_eq!(e.status, 403, "{}", e.body);
    assert!(
        e.body.contains("outcome") && e.body.contains("not confirmed"),
        "{}",
        e.body
    );
    let (_, why) = last_refusal(&db, sari_id).await;
    assert!(why.contains("1.2.246.537.6.1248"), "{why}");
    // The decision itself is decided, and its printout is there.
    let p = get_as(addr, &sari, &format!("/api/documents/{id}/decision")).await;
    assert_eq!(p.status, 200, "{}", p.body);
}

#[tokio::test]
async fn a_notification_reporters_confidentiality_goes_out_with_its_grounds_and_no_guessed_code() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{ella}/documents?lang=en");
    let body = |extra: &str| {
        format!(
            r#"{{"service_task":"lastensuojelu","kind":"child_welfare_notification","notification":{{"received_on":"2026-11-10","reporter":"private_person","reporter_first_names":"Niina","reporter_surname":"Nieminen","channel":"phone","content":"Ella on ollut yksin kotona myöhään illalla.","urgency":"not_immediate","decision":"start","decided_on":"2026-11-12","guardian_told_on":"2026-11-12"{extra}}}}}"#
        )
    };
    // Confidential needs its grounds; grounds need it to be confidential.
    let r = post_json(
        addr,
        &sari,
        &path,
        &body(r#","reporter_confidential":"true""#),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("notification.confidentiality_grounds"),
        "{}",
        r.body
    );
    let r = post_json(
        addr,
        &sari,
        &path,
        &body(r#","confidentiality_grounds":"x""#),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let grounds =
        "Ilmoittaja pelkää perheen reaktiota ja pyysi, ettei hänen henkilöllisyyttään kerrota.";
    let r = post_json(
        addr,
        &sari,
        &path,
        &body(&format!(
            r#","reporter_confidential":"true","confidentiality_grounds":"{grounds}""#
        )),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    let done = http_with(
        addr,
        "POST",
        &format!("/api/documents/{id}/complete"),
        &[
            ("cookie", &sari),
            ("if-match", "\"1\""),
            ("content-type", "application/json"),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(done.status, 204, "{}", done.body);
    let e = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}/export"))
            .await
            .body,
    );
    let reporter = &e["document"]["lastensuojeluilmoitus"]["ilmoittaja"][0];
    assert_eq!(reporter["ilmoittajan_tietojen_salassapito"], true, "{e}");
    assert_eq!(reporter["salassapidon_perustelut"], grounds, "{e}");
    assert_eq!(reporter["henkilo"]["etunimet"], "Niina", "{e}");
    assert_eq!(reporter["henkilo"]["sukunimi"], "Nieminen", "{e}");
    // The reporter type's code list is one Kirjo does not have: no code.
    assert!(reporter.get("taho").is_none(), "{e}");
    assert!(kirjo_domain::codes::list_missing("1.2.246.537.6.1243"));
}

#[tokio::test]
async fn the_demo_decisions_were_drafted_by_one_worker_and_decided_by_another() {
    let (db, _) = demo_db().await;
    let rows: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT w.username, m.username, a.final_ground IS NOT NULL FROM decision_act a
         JOIN staff_user w ON w.id = a.drafted_by JOIN staff_user m ON m.id = a.decided_by ORDER BY a.decided_at",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert!(rows.len() >= 2, "{rows:?}");
    for (drafter, maker, _) in &rows {
        assert_ne!(drafter, maker);
    }
    assert!(rows.iter().any(|r| r.2), "one is final: {rows:?}");
    // And one waits for Leena.
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM document WHERE kind = 'decision' AND state = 'draft'
           AND content->>'decision_maker' = (SELECT id::text FROM staff_user WHERE username = 'leena.esihenkilo')",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(waiting, 1);
}

#[tokio::test]
async fn the_decision_maker_finds_and_decides_the_draft_on_the_pages() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM document WHERE kind = 'decision' AND state = 'draft'
           AND content->>'decision_maker' = (SELECT id::text FROM staff_user WHERE username = 'leena.esihenkilo')",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    // The drafter sees whom it waits for, and no way to complete it.
    let (sari, sari_token) = common::page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &sari, &format!("/documents/{draft}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Odottaa päätöksentekijää: Leena Lahtinen"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("/complete\""));
    assert!(!page.body.contains(&format!("/documents/{draft}/decide")));
    let list = get_as(addr, &sari, "/matters").await;
    assert!(!list.body.contains("to-decide-heading"));
    // Leena finds it on her list, and decides it from its page (signed in
    // just now, without a second factor: her password is the step-up).
    let (leena, token) = common::page_session(addr, "leena.esihenkilo").await;
    let list = get_as(addr, &leena, "/matters").await;
    assert!(
        list.body.contains("Päätökset, jotka odottavat sinua"),
        "{}",
        list.body
    );
    assert!(
        list.body.contains(&format!("/documents/{draft}\"")),
        "{}",
        list.body
    );
    let page = get_as(addr, &leena, &format!("/documents/{draft}")).await;
    assert!(
        page.body
            .contains(&format!("action=\"/documents/{draft}/decide\"")),
        "{}",
        page.body
    );
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/decide"),
        &leena,
        &format!("csrf={token}&revision=1"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = get_as(addr, &leena, &format!("/documents/{draft}")).await;
    assert!(page.body.contains("Valitusosoitus"), "{}", page.body);
    // The content names the decision maker, not their user id.
    assert!(
        page.body.contains("<dt>Päätöksentekijä</dt><dd class=\"entry-body\">Leena Lahtinen, johtava sosiaalityöntekijä</dd>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Leena Lahtinen, johtava sosiaalityöntekijä"),
        "{}",
        page.body
    );
    // A serving with problems comes back to the page (422): each problem
    // at its field in Finnish, what was typed kept, nothing recorded, and
    // the refused attempt logged.
    let today = kirjo_domain::calendar::helsinki_today();
    let tomorrow = today + chrono::Days::new(1);
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/service"),
        &sari,
        &format!("csrf={sari_token}&party=1&method=in_person&sent_on={tomorrow}&receipt_on="),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("href=\"#sent-1\"")
            && r.body
                .contains("<span class=\"hds-text-input__error-text\" id=\"sent-error-1\">Päivämäärä ei voi olla tulevaisuudessa.</span>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!(
            "id=\"sent-1\" name=\"sent_on\" value=\"{tomorrow}\""
        )),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<option value=\"in_person\" selected>"),
        "{}",
        r.body
    );
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/service"),
        &sari,
        &format!("csrf={sari_token}&party=1&method=in_person&sent_on={today}&receipt_on={today}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"receipt-error-1\">Vastaanottopäivä annetaan vain kirjeelle.</span>"),
        "{}",
        r.body
    );
    let (recorded, refused): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM decision_service WHERE document_id = $1),
                (SELECT count(*) FROM use_log WHERE data = $2 AND NOT allowed)",
    )
    .bind(draft)
    .bind(format!("document:{draft} service to party 1"))
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!((recorded, refused), (0, 2));
    // Sari records the serving of the letter to Jari from the page.
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/service"),
        &sari,
        &format!("csrf={sari_token}&party=1&method=post&sent_on={today}&receipt_on="),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let served: chrono::NaiveDate = sqlx::query_scalar(
        "SELECT served_on FROM decision_service WHERE document_id = $1 AND party = 1",
    )
    .bind(draft)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(served, today + chrono::Days::new(7));
    // Finality waived without its reason comes back the same way, with the
    // waiver still chosen.
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/final"),
        &sari,
        &format!("csrf={sari_token}&ground=appeal_waived&reason=+"),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("href=\"#final-reason\"")
            && r.body
                .contains("id=\"final-reason-error\">Kirjoita peruste"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"appeal_waived\" checked"),
        "{}",
        r.body
    );
    // And the appeal periods that have not passed are said at the ground.
    let r = common::post_form(
        addr,
        &format!("/documents/{draft}/final"),
        &sari,
        &format!("csrf={sari_token}&ground=appeal_periods_passed&reason="),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"ground-error\">Päätöstä ei ole vielä annettu tiedoksi kaikille asianosaisille.</p>"),
        "{}",
        r.body
    );
}

/// Issue 16, "each kind exports with the definition for its service": a
/// families' services decision goes out as Sosmeta's families' services
/// decision (11001), a child welfare decision as the child welfare one
/// (11002), by the service task's `decision_definition`; a decision under a
/// task that names none is refused at export, not guessed. (That each
/// validates against its schema is `documents.rs`,
/// `every_completed_document_exports_valid_against_its_national_schema`.)
#[tokio::test]
async fn a_decision_goes_out_as_the_decision_of_its_services_definition() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let decided = |task: &'static str| {
        let db = &db;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT d.id FROM document d JOIN decision_act a ON a.document_id = d.id
                 WHERE d.kind = 'decision' AND d.service_task_id = $1 ORDER BY d.id LIMIT 1",
            )
            .bind(task)
            .fetch_one(&db.owner)
            .await
            .unwrap()
        }
    };
    let export = |id: i64| {
        let sari = sari.clone();
        async move { get_as(addr, &sari, &format!("/api/documents/{id}/export")).await }
    };
    let families = export(decided("lapsiperheiden_kotipalvelu").await).await;
    assert_eq!(families.status, 200, "{}", families.body);
    let e = json(&families.body);
    assert_eq!(e["definition"], "1.2.246.537.6.1506.11001.2023.9.8");
    assert!(
        e["document"]["lapsiperheiden_palvelupaatos"]["paatos"].is_object(),
        "{e}"
    );
    assert!(e["document"]
        .get("lastensuojelun_palvelu__tai_tukitoimipaatos")
        .is_none());
    let child_welfare = export(decided("lastensuojelu").await).await;
    assert_eq!(child_welfare.status, 200, "{}", child_welfare.body);
    let e = json(&child_welfare.body);
    assert_eq!(e["definition"], "1.2.246.537.6.1506.11002.2023.9.8");
    assert!(e["document"]["lastensuojelun_palvelu__tai_tukitoimipaatos"]["paatos"].is_object());
    // The page names the definition the decision was written to.
    let stored: String = sqlx::query_scalar(
        "SELECT definition_oid FROM document WHERE service_task_id = 'lapsiperheiden_kotipalvelu' AND kind = 'decision' LIMIT 1",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(stored, "1.2.246.537.6.1506.11001.2023.9.8");

    // A task that names no decision definition: the decision is refused
    // at export, and the refusal logged.
    sqlx::query("UPDATE service_task SET decision_definition = NULL WHERE id = 'lapsiperheiden_kotipalvelu'")
        .execute(&db.owner)
        .await
        .unwrap();
    let refused = export(decided("lapsiperheiden_kotipalvelu").await).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("decision_definition"),
        "{}",
        refused.body
    );
}

/// A decided decision is the act of its decision maker: a "correction"
/// written by anyone would change what the maker decided without them. It
/// is refused (and logged); an error is corrected by a new decision that
/// the maker decides.
#[tokio::test]
async fn a_decided_decision_is_not_corrected_in_place() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let (id, content): (i64, serde_json::Value) = sqlx::query_as(
        "SELECT d.id, d.content FROM document d JOIN decision_act a ON a.document_id = d.id
         WHERE d.service_task_id = 'lastensuojelu' ORDER BY d.id LIMIT 1",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let mut fields = content.clone();
    fields.as_object_mut().and_then(|m| m.remove("parties"));
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let parties =
        serde_json::json!([{"name": "Minna Mäkinen", "method": "handed", "served_on": today}]);
    fields["decision_text"] = serde_json::json!("Eetulle ei myönnetä tukihenkilöä.");
    let body = serde_json::json!({
        "kind": "decision",
        "fields": fields,
        "parties": parties,
        "reason": "Korjaus",
    })
    .to_string();
    let r = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/corrections"),
        &body,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("new decision"), "{}", r.body);
    let (data, explanation) = last_refusal(&db, sari_id).await;
    assert_eq!(data, format!("document:{id} correction"));
    assert!(
        explanation.contains("not corrected in place"),
        "{explanation}"
    );
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM document WHERE corrects_id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(versions, 0);
}
