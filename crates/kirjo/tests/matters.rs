//! Issue 16 (matters): a matter opened from its first contact or
//! notification, a later notification joining it without new deadlines,
//! its steps recorded once and in order by the controller's client worker,
//! the lists of open matters late first, and the pages. Every refusal
//! leaves its denied row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use common::{demo_db, get_as, page_session, post_form, post_json, serve, sign_in};
use kirjo_domain::calendar::{add_weekdays, helsinki_today};
use kirjo_testkit::TestDb;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn today() -> NaiveDate {
    helsinki_today()
}

fn days_ago(n: u64) -> NaiveDate {
    today() - Days::new(n)
}

async fn user_id(db: &TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

async fn denied(db: &TestDb, user: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM use_log WHERE user_id = $1 AND NOT allowed")
        .bind(user)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

fn fields(body: &str) -> Vec<String> {
    json(body)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no field errors: {body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// A child welfare notification received `on`, as the documents API takes it.
fn notification(on: NaiveDate) -> String {
    serde_json::json!({
        "service_task": "lastensuojelu",
        "kind": "child_welfare_notification",
        "notification": {
            "received_on": on.to_string(),
            "reporter": "professional",
            "reporter_first_names": "Olli",
            "reporter_surname": "Opettaja",
            "reporter_title": "luokanopettaja",
            "reporter_organisation": "Harjuniemen koulu",
            "channel": "electronic",
            "content": "Lapsi on ollut väsynyt ja poissa koulusta.",
            "urgency": "not_immediate"
        }
    })
    .to_string()
}

fn open_body(started_by: &str, on: NaiveDate, document: Option<i64>) -> String {
    serde_json::json!({
        "service_task": "lastensuojelu",
        "started_by": started_by,
        "started_on": on.to_string(),
        "document_id": document,
    })
    .to_string()
}

/// Closes the demo's open matter of Eetu, so that a test opens its own.
async fn close_demo_matter(db: &TestDb, addr: std::net::SocketAddr, sari: &str, eetu: i64) {
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM matter WHERE client_id = $1 AND closed_on IS NULL")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let r = post_json(
        addr,
        sari,
        &format!("/api/matters/{id}/phases"),
        &step("closed", today(), Some("other")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

fn step(phase: &str, on: NaiveDate, outcome: Option<&str>) -> String {
    serde_json::json!({ "phase": phase, "on": on.to_string(), "outcome": outcome }).to_string()
}

#[tokio::test]
async fn a_contact_opens_the_matter_and_a_later_notification_joins_it_without_new_deadlines() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let matters = format!("/api/clients/{ella}/matters");

    // A phone contact twenty days ago starts the matter and its clock.
    let started = days_ago(20);
    let r = post_json(
        addr,
        &sari,
        &matters,
        &open_body("other_contact", started, None),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(json(&r.body)["result"], "new");
    let id = json(&r.body)["matter_id"].as_i64().unwrap();

    // The notification that follows joins it: no new matter, no new clock.
    let doc = post_json(
        addr,
        &sari,
        &format!("/api/clients/{ella}/documents"),
        &notification(days_ago(5)),
    )
    .await;
    assert_eq!(doc.status, 201, "{}", doc.body);
    let doc = json(&doc.body)["id"].as_i64().unwrap();
    let r = post_json(
        addr,
        &sari,
        &matters,
        &open_body("child_welfare_notification", days_ago(5), Some(doc)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r.body)["result"], "joined");
    assert_eq!(json(&r.body)["matter_id"].as_i64(), Some(id));
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM matter WHERE client_id = $1 AND closed_on IS NULL",
    )
    .bind(ella)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(open, 1);

    let m = json(
        &get_as(addr, &sari, &format!("/api/matters/{id}"))
            .await
            .body,
    );
    assert_eq!(m["started_on"], started.to_string());
    assert_eq!(m["clock"]["rule"], "child_welfare");
    let due = add_weekdays(started, 7);
    assert_eq!(m["clock"]["start_due"], due.to_string());
    assert_eq!(
        m["clock"]["completion_due"],
        started
            .checked_add_months(chrono::Months::new(3))
            .unwrap()
            .to_string()
    );
    // Nothing was decided: the start is late by the days since it was due.
    assert_eq!(m["clock"]["start"]["state"], "late");
    assert_eq!(
        m["clock"]["start"]["days_late"].as_i64(),
        Some((today() - due).num_days())
    );
    assert_eq!(m["documents"][0]["id"].as_i64(), Some(doc));

    // What the worker writes while the matter is open belongs to it; a
    // document that could start a matter joins only as the worker says.
    let entry = post_json(
        addr,
        &sari,
        &format!("/api/clients/{ella}/documents"),
        &serde_json::json!({
            "service_task": "lastensuojelu", "entry": "meeting_or_contact",
            "date": today().to_string(), "text": "Tapaaminen kotona."
        })
        .to_string(),
    )
    .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let entry = json(&entry.body)["id"].as_i64().unwrap();
    let m = json(
        &get_as(addr, &sari, &format!("/api/matters/{id}"))
            .await
            .body,
    );
    let ids: Vec<i64> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2, "{m}");
    assert!(ids.contains(&entry), "{m}");

    // The same document cannot join again; a matter without a document
    // while one is open is a conflict that names it.
    let again = post_json(
        addr,
        &sari,
        &matters,
        &open_body("child_welfare_notification", days_ago(5), Some(doc)),
    )
    .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(fields(&again.body), ["document_id"]);
    let second = post_json(
        addr,
        &sari,
        &matters,
        &open_body("other_contact", today(), None),
    )
    .await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(second.body.contains(&format!("{id}")), "{}", second.body);
    // Input that cannot be: each problem at its field, in the language asked.
    let bad = post_json(
        addr,
        &sari,
        &format!("{matters}?lang=en"),
        &open_body("rumour", today() + Days::new(1), None),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(fields(&bad.body), ["started_by", "started_on"]);
    let unknown_task = post_json(
        addr,
        &sari,
        &matters,
        &serde_json::json!({"service_task": "no_such", "started_by": "application", "started_on": today().to_string()})
            .to_string(),
    )
    .await;
    assert_eq!(unknown_task.status, 422, "{}", unknown_task.body);
    assert_eq!(fields(&unknown_task.body), ["service_task"]);
}

#[tokio::test]
async fn steps_are_recorded_once_in_order_by_the_controllers_client_worker() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    close_demo_matter(&db, addr, &sari, eetu).await;
    let started = days_ago(3);
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/matters"),
        &open_body("assessment_request", started, None),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["matter_id"].as_i64().unwrap();
    let phases = format!("/api/matters/{id}/phases");

    // The outsourced provider's worker, commissioned the child, may read
    // the matter but neither opens one nor records a step; the adult
    // services' worker has no relationship with the child at all.
    let tuomas_id = user_id(&db, "tuomas.tukiperhe").await;
    let tuomas = sign_in(addr, "tuomas.tukiperhe").await;
    let before = denied(&db, tuomas_id).await;
    let r = post_json(
        addr,
        &tuomas,
        &phases,
        &step("urgency_assessed", today(), Some("urgent")),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = post_json(
        addr,
        &tuomas,
        &format!("/api/clients/{eetu}/matters"),
        &open_body("other_contact", today(), None),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, tuomas_id).await, before + 2);
    assert_eq!(
        get_as(addr, &tuomas, &format!("/api/matters/{id}"))
            .await
            .status,
        200
    );
    let pekka_id = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let before = denied(&db, pekka_id).await;
    assert_eq!(
        get_as(addr, &pekka, &format!("/api/matters/{id}"))
            .await
            .status,
        403
    );
    let r = post_json(
        addr,
        &pekka,
        &phases,
        &step("urgency_assessed", today(), Some("urgent")),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = post_json(
        addr,
        &pekka,
        &format!("/api/clients/{ella}/matters"),
        &open_body("other_contact", today(), None),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, pekka_id).await, before + 3);
    // A matter that does not exist: 404, and the attempt is logged.
    let r = post_json(
        addr,
        &pekka,
        "/api/matters/999999/phases",
        &step("informed", today(), None),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(denied(&db, pekka_id).await, before + 4);

    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let refused = denied(&db, sari_id).await;
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("urgency_assessed", started, Some("not_urgent")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // Once: the second attempt is a conflict and nothing is overwritten.
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("urgency_assessed", today(), Some("urgent")),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Not before the matter began, not after today, not a completion of an
    // assessment never started, not an outcome the step does not take.
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("informed", started - Days::new(1), None),
    )
    .await;
    assert_eq!((r.status, fields(&r.body)), (422, vec!["on".to_owned()]));
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("informed", today() + Days::new(1), None),
    )
    .await;
    assert_eq!((r.status, fields(&r.body)), (422, vec!["on".to_owned()]));
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("assessment_completed", today(), None),
    )
    .await;
    assert_eq!((r.status, fields(&r.body)), (422, vec!["phase".to_owned()]));
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("assessment_decided", today(), Some("urgent")),
    )
    .await;
    assert_eq!(
        (r.status, fields(&r.body)),
        (422, vec!["outcome".to_owned()])
    );
    assert_eq!(
        denied(&db, sari_id).await,
        refused + 5,
        "every refusal logged"
    );

    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("assessment_decided", today(), Some("started")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post_json(addr, &sari, &phases, &step("informed", today(), None)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let m = json(
        &get_as(addr, &sari, &format!("/api/matters/{id}"))
            .await
            .body,
    );
    assert_eq!(m["clock"]["start"]["state"], "on_time");
    assert_eq!(m["clock"]["completion"]["state"], "open");
    assert_eq!(m["phases"].as_array().unwrap().len(), 3);
    assert_eq!(m["phases"][0]["recorded_by_name"], "Sari Saarinen");
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("closed", today(), Some("transferred")),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post_json(
        addr,
        &sari,
        &phases,
        &step("assessment_completed", today(), None),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let closed: Option<NaiveDate> =
        sqlx::query_scalar("SELECT closed_on FROM matter WHERE id = $1")
            .bind(id)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(closed, Some(today()));
    // A closed matter leaves room for a new one in the area.
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/matters"),
        &open_body("other_contact", today(), None),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The database keeps a step once whatever the application does.
    let twice = sqlx::query(
        "INSERT INTO matter_phase (matter_id, phase, on_date, recorded_by, recorded_by_name)
         VALUES ($1, 'informed', $2, $3, 'x')",
    )
    .bind(id)
    .bind(today())
    .bind(sari_id)
    .execute(&db.owner)
    .await;
    assert!(twice.is_err());
}

#[tokio::test]
async fn open_matters_come_late_first_for_the_worker_and_the_supervisor() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    close_demo_matter(&db, addr, &sari, eetu).await;
    // Ella's began today (7 weekdays left); Eetu's a month ago, undecided.
    for (who, on) in [(ella, today()), (eetu, days_ago(30))] {
        let r = post_json(
            addr,
            &sari,
            &format!("/api/clients/{who}/matters"),
            &open_body("child_welfare_notification", on, None),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let clients = |body: &str| -> Vec<i64> {
        json(body)["matters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["client_id"].as_i64().unwrap())
            .collect()
    };
    let mine = get_as(addr, &sari, "/api/matters").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(clients(&mine.body), [eetu, ella]);
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let units = get_as(addr, &leena, "/api/matters?list=units").await;
    assert_eq!(clients(&units.body), [eetu, ella]);
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let none = get_as(addr, &pekka, "/api/matters?list=units").await;
    assert_eq!(clients(&none.body), Vec::<i64>::new());
    assert_eq!(
        clients(&get_as(addr, &pekka, "/api/matters").await.body),
        Vec::<i64>::new()
    );
    // Each list is a logged use.
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE data IN ('my open matters', 'the unit''s open matters')",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 4);
}

#[tokio::test]
async fn the_pages_open_a_matter_record_its_steps_and_list_it() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &cookies, &format!("/clients/{ella}/matters")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Avaa asia"), "{}", page.body);
    let card = get_as(addr, &cookies, &format!("/clients/{ella}")).await;
    assert!(card.body.contains(&format!("/clients/{ella}/matters")));

    // A form with problems comes back as typed, each at its field.
    let r = post_form(
        addr,
        &format!("/clients/{ella}/matters"),
        &cookies,
        &format!("csrf={token}&service_task=lastensuojelu&started_by=&started_on=2999-01-01"),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"id="started_by-error""#), "{}", r.body);
    assert!(r.body.contains(r#"id="started_on-error""#), "{}", r.body);
    assert!(r.body.contains(r#"value="2999-01-01""#));

    let started = days_ago(2);
    let r = post_form(
        addr,
        &format!("/clients/{ella}/matters"),
        &cookies,
        &format!("csrf={token}&service_task=lastensuojelu&started_by=child_welfare_notification&started_on={started}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_owned();
    assert!(to.starts_with("/matters/"), "{to}");
    let m = get_as(addr, &cookies, &to).await;
    assert_eq!(m.status, 200, "{}", m.body);
    assert!(m.body.contains("Kiireellisyyden arviointi"), "{}", m.body);
    let due = kirjo_domain::calendar::day_month_year(add_weekdays(started, 7));
    assert!(m.body.contains(&due), "{due}: {}", m.body);

    // A step without the outcome it needs: the page again, the problem at
    // that step's form.
    let r = post_form(
        addr,
        &format!("{to}/phases"),
        &cookies,
        &format!("csrf={token}&phase=urgency_assessed&on={}", today()),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(r#"id="urgency_assessed-error""#),
        "{}",
        r.body
    );
    let r = post_form(
        addr,
        &format!("{to}/phases"),
        &cookies,
        &format!(
            "csrf={token}&phase=urgency_assessed&on={}&outcome=urgent",
            today()
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let m = get_as(addr, &cookies, &to).await;
    assert!(m.body.contains("Kiireellinen"), "{}", m.body);
    assert!(
        !m.body.contains(r#"value="urgency_assessed""#),
        "recorded steps offer no form"
    );

    let list = get_as(addr, &cookies, "/matters").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains(&format!("href=\"{to}\"")),
        "{}",
        list.body
    );
    // In Swedish and English too.
    for (lang, words) in [("sv", "Öppna ärenden"), ("en", "Open matters")] {
        let r = get_as(addr, &format!("{cookies}; kirjo_lang={lang}"), "/matters").await;
        assert!(r.body.contains(words), "{lang}: {}", r.body);
    }
}

/// The test's own weekday count, from the raw dates: the holidays of
/// 2025-12 to 2026-09 written out by hand (Christmas, New Year, Epiphany,
/// Easter, May Day, Ascension, Midsummer Eve).
fn seventh_weekday(from: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let holidays = [
        "2025-12-24",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-01-06",
        "2026-04-03",
        "2026-04-06",
        "2026-05-01",
        "2026-05-14",
        "2026-06-19",
    ];
    let mut d = from;
    let mut n = 0;
    while n < 7 {
        d = d.succ_opt().unwrap();
        let weekend = d.weekday().num_days_from_monday() >= 5;
        if !weekend && !holidays.contains(&d.to_string().as_str()) {
            n += 1;
        }
    }
    d
}

#[tokio::test]
async fn thls_figures_equal_a_count_from_the_raw_dates_around_holidays() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings.clone()).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    close_demo_matter(&db, addr, &sari, eetu).await;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // (client, received, decided (outcome), completed, closed)
    type Case = (
        i64,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let cases: [Case; 6] = [
        (
            eetu,
            "2025-12-23",
            "2026-01-05",
            "started",
            Some("2026-03-20"),
            "2026-03-20",
        ), // before Christmas Eve
        (
            eetu,
            "2025-12-31",
            "2026-01-13",
            "started",
            Some("2026-04-10"),
            "2026-04-10",
        ), // the year's end
        (
            eetu,
            "2026-04-01",
            "2026-04-10",
            "not_started",
            None,
            "2026-04-10",
        ), // before Easter
        (
            ella,
            "2026-06-18",
            "2026-06-30",
            "started",
            Some("2026-09-10"),
            "2026-09-10",
        ), // before Midsummer Eve
        (
            ella,
            "2026-06-17",
            "2026-06-29",
            "started",
            Some("2026-09-25"),
            "2026-09-25",
        ),
        (
            ella,
            "2026-03-30",
            "2026-04-08",
            "started",
            None,
            "2026-05-04",
        ), // closed unfinished
    ];
    for (client, received, decided, outcome, completed, closed) in cases {
        let r = post_json(
            addr,
            &sari,
            &format!("/api/clients/{client}/matters"),
            &open_body("child_welfare_notification", d(received), None),
        )
        .await;
        assert_eq!(r.status, 201, "{received}: {}", r.body);
        let phases = format!("/api/matters/{}/phases", json(&r.body)["matter_id"]);
        let mut steps = vec![step("assessment_decided", d(decided), Some(outcome))];
        if let Some(c) = completed {
            steps.push(step("assessment_completed", d(c), None));
        }
        steps.push(step("closed", d(closed), Some("client_work_continues")));
        for s in steps {
            let r = post_json(addr, &sari, &phases, &s).await;
            assert_eq!(r.status, 201, "{s}: {}", r.body);
        }
    }
    let caller = kirjo_store::gate::Caller {
        user_id: user_id(&db, "leena.esihenkilo").await,
        request_id: uuid::Uuid::new_v4(),
        source_address: None,
    };
    // Every child welfare matter of the unit (the demo's year of matters
    // and these), as raw dates: (received, decided, outcome, completed,
    // closed).
    type Raw = (
        NaiveDate,
        Option<NaiveDate>,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let raw: Vec<Raw> = sqlx::query_as(
        "SELECT m.started_on, d.on_date, d.outcome, c.on_date, m.closed_on FROM matter m
         LEFT JOIN matter_phase d ON d.matter_id = m.id AND d.phase = 'assessment_decided'
         LEFT JOIN matter_phase c ON c.matter_id = m.id AND c.phase = 'assessment_completed'
         WHERE m.unit_id = 'perheyksikko' AND m.clock = 'child_welfare'",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert!(
        raw.len() >= cases.len() + 3,
        "the demo has a year of matters: {}",
        raw.len()
    );
    // Where a deadline stands on `today`: Some(true) on time, Some(false)
    // late, None pending.
    let judge = |done: Option<NaiveDate>, due: NaiveDate| match done {
        Some(x) => Some(x <= due),
        None if due < today() => Some(false),
        None => None,
    };
    let start_of = |r: &Raw| (seventh_weekday(r.0), judge(r.1, seventh_weekday(r.0)));
    let completion_of = |r: &Raw| {
        let due = r.0.checked_add_months(chrono::Months::new(3)).unwrap();
        let started = r.2.as_deref() == Some("started");
        let dropped = r.3.is_none() && r.4.is_some_and(|c| c <= due);
        (started && !dropped).then(|| (due, judge(r.3, due)))
    };
    for from in ["2025-10-01", "2026-04-01"] {
        let period = kirjo_store::statistics::Period::starting(d(from)).unwrap();
        let within = |x: NaiveDate| period.from <= x && x <= period.to;
        let (mut start, mut start_on_time, mut done, mut done_on_time) = (0, 0, 0, 0);
        for r in &raw {
            let (due, on_time) = start_of(r);
            if within(due) {
                start += 1;
                start_on_time += i64::from(on_time == Some(true));
            }
            if let Some((due, on_time)) = completion_of(r) {
                if within(due) {
                    done += 1;
                    done_on_time += i64::from(on_time == Some(true));
                }
            }
        }
        let r = kirjo_store::statistics::processing_times(
            &db.runtime,
            &caller,
            &settings,
            period,
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.units.len(), 1, "{from}: leena supervises one unit");
        let t = r.total;
        assert_eq!(
            (
                t.start.total,
                t.start.on_time,
                t.start.late,
                t.start.pending
            ),
            (start, start_on_time, start - start_on_time, 0),
            "{from}"
        );
        assert_eq!(
            (t.completion.total, t.completion.on_time, t.completion.late),
            (done, done_on_time, done - done_on_time),
            "{from}"
        );
        assert!(
            start > 0 && done > 0,
            "{from}: the period has figures to compare"
        );
    }
    // The file for THL: small counts suppressed, and recorded as a
    // statistics disclosure; a worker makes no statistics.
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let csv = get_as(
        addr,
        &leena,
        "/api/statistics/processing-times?from=2026-04-01&format=csv",
    )
    .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.contains("<5"), "{}", csv.body);
    let xlsx = get_as(
        addr,
        &leena,
        "/api/statistics/processing-times?from=2026-04-01&format=xlsx",
    )
    .await;
    assert_eq!(xlsx.status, 200);
    let disclosed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM disclosure_log WHERE recipient LIKE '%THL%' AND client_id IS NULL",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(disclosed, 2);
    let bad = get_as(
        addr,
        &leena,
        "/api/statistics/processing-times?from=2026-04-02",
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        get_as(addr, &sari, "/api/statistics/yearly?year=2026")
            .await
            .status,
        403
    );
    let page = get_as(addr, &leena, "/statistics?from=2026-04-01").await;
    assert_eq!(page.status, 200, "{}", page.body);

    // The supervisor's monthly chart: the same matters by the month their
    // deadline fell in, counted here from the raw dates.
    let months = kirjo_store::statistics::monthly_deadlines(&db.runtime, &caller, &settings, 12)
        .await
        .unwrap();
    assert_eq!(months.len(), 12);
    let first = NaiveDate::parse_from_str(&format!("{}-01", months[0].month), "%Y-%m-%d").unwrap();
    assert_eq!(
        months.last().unwrap().month,
        today().format("%Y-%m").to_string(),
        "this month is the last"
    );
    let mut expected: BTreeMap<String, (i64, i64, i64, i64)> = BTreeMap::new();
    for r in &raw {
        let (due, on_time) = start_of(r);
        if due >= first {
            let e = expected.entry(due.format("%Y-%m").to_string()).or_default();
            match on_time {
                Some(true) => e.0 += 1,
                Some(false) => e.1 += 1,
                None => {}
            }
        }
        if let Some((due, on_time)) = completion_of(r) {
            if due >= first {
                let e = expected.entry(due.format("%Y-%m").to_string()).or_default();
                match on_time {
                    Some(true) => e.2 += 1,
                    Some(false) => e.3 += 1,
                    None => {}
                }
            }
        }
    }
    assert!(expected.len() >= 3, "the window holds figures to compare");
    for m in &months {
        let want = expected.get(&m.month).copied().unwrap_or_default();
        assert_eq!(
            (
                m.start.on_time,
                m.start.late,
                m.completion.on_time,
                m.completion.late
            ),
            want,
            "{}",
            m.month
        );
    }
    let page = get_as(addr, &leena, "/matters").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains(r#"aria-labelledby="chart-start-title chart-start-desc""#));
    assert!(page.body.contains(r#"id="chart-completion-title""#));
    assert!(
        !get_as(addr, &sari, "/matters")
            .await
            .body
            .contains("chart-start-title"),
        "a worker's page has no unit chart"
    );
}
