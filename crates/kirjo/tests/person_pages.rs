//! The pages for adding a person, editing basic data and revealing a
//! protected address: over real HTTP, as a browser posts forms.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, page_session, post_form, serve_with};
use kirjo_testkit::TestDb;

fn sessions() -> kirjo_web::SessionSettings {
    kirjo_web::SessionSettings {
        failure_delay_ms: 1,
        ..Default::default()
    }
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.owner).await.unwrap()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn adding_a_person_by_the_page_names_each_error_in_the_users_language_and_saves_nothing_bad()
{
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (cookies, token) = page_session(addr, "kaisa.kirjaamo").await;
    // Swedish, for this user.
    let r = post_form(
        addr,
        "/language",
        &cookies,
        &format!("csrf={token}&lang=sv&back=%2F"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303);
    let page = get_as(addr, &cookies, "/clients/new").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Lägg till person"), "{}", page.body);
    let people = count(&db, "SELECT count(*) FROM person").await;
    let bad = form(&[
        ("csrf", &token),
        ("identity_code", "010101-900X"),
        ("first_names", "Testi"),
        ("surname", ""),
        ("phones", "+358 40 000 9999\nsoita minulle"),
        ("address_street", "Testikatu 1"),
        ("address_postal_code", "123"),
    ]);
    let r = post_form(addr, "/clients/new", &cookies, &bad, &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Each error is next to its field, tied to it, in Swedish; what was
    // typed stays.
    for id in ["identity_code", "surname", "phones", "address_postal_code"] {
        assert!(
            r.body
                .contains(&format!(r#"aria-describedby="{id}-error""#))
                || r.body.contains(&format!(r#" {id}-error""#)),
            "{id} has no tied error: {}",
            r.body
        );
        assert!(r.body.contains(&format!(r#"id="{id}-error""#)), "{id}");
    }
    assert!(r.body.contains("Rätta felen i formuläret"));
    assert!(r.body.contains("Testikatu 1") && r.body.contains("soita minulle"));
    assert_eq!(
        count(&db, "SELECT count(*) FROM person").await,
        people,
        "nothing saved"
    );
    // A good form saves. The new person is no client of the user's unit
    // yet, so the user may not open the card: the answer is the form again
    // saying the person was saved, never a card that ends in a denial.
    let good = form(&[
        ("csrf", &token),
        ("birth_date", "1990-05-17"),
        ("first_names", "Testi Henkilö"),
        ("surname", "Lomakkeinen"),
        ("home_municipality", "091"),
        ("mother_tongue", "sv"),
        ("service_language", "sv"),
        ("citizenship", "FI, SE"),
        ("phones", "040 000 9998"),
        ("address_street", "Testikatu 1"),
        ("address_postal_code", "00100"),
        ("address_post_office", "Helsinki"),
        ("address_municipality", "091"),
    ]);
    let r = post_form(addr, "/clients/new", &cookies, &good, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(location, "/clients/new?added=1");
    let landed = get_as(addr, &cookies, &location).await;
    assert_eq!(landed.status, 200, "{}", landed.body);
    assert!(landed.body.contains("hds-notification--success"));
    let (birth, citizenship): (chrono::NaiveDate, Vec<String>) =
        sqlx::query_as("SELECT birth_date, citizenship FROM person WHERE surname = 'Lomakkeinen'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(birth.to_string(), "1990-05-17");
    assert_eq!(citizenship, ["FI", "SE"]);
}

#[tokio::test]
async fn editing_a_protected_person_changes_names_and_keeps_the_hidden_contact_data() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let edit = get_as(addr, &cookies, &format!("/clients/{eetu}/edit")).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    // Under turvakielto the form has no address or contact fields.
    assert!(!edit.body.contains("Suojatie") && !edit.body.contains(r#"id="address_street""#));
    assert!(edit.body.contains(r#"value="Eetu Juhani""#));
    // The form carries the revision it was filled in from.
    let revision = edit
        .body
        .split(r#"name="revision" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let addresses =
        "SELECT count(*) FROM person_address WHERE person_id = $1 AND valid_until IS NULL";
    let before: i64 = sqlx::query_scalar(addresses)
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let home_before: Option<String> =
        sqlx::query_scalar("SELECT home_municipality FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let r = post_form(
        addr,
        &format!("/clients/{eetu}/edit"),
        &cookies,
        &form(&[
            ("csrf", &token),
            ("revision", &revision),
            ("first_names", "Eetu Juhani"),
            ("surname", "Mäkinen"),
            ("calling_name", "Eetu"),
            ("mother_tongue", "fi"),
            ("service_language", "fi"),
            ("citizenship", "FI"),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (calling, home): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT calling_name, home_municipality FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(calling.as_deref(), Some("Eetu"));
    assert_eq!(home, home_before, "the hidden home municipality stays");
    let after: i64 = sqlx::query_scalar(addresses)
        .bind(eetu)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(after, before, "the hidden address stays");
    // A bad edit saves nothing.
    let r = post_form(
        addr,
        &format!("/clients/{eetu}/edit"),
        &cookies,
        &form(&[
            ("csrf", &token),
            ("first_names", ""),
            ("surname", "Mäkinen"),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"id="first_names-error""#));
    let calling: Option<String> =
        sqlx::query_scalar("SELECT first_names FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(calling.as_deref(), Some("Eetu Juhani"));
}

#[tokio::test]
async fn a_protected_address_is_shown_on_the_page_only_with_a_reason_that_is_logged() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let card = get_as(addr, &cookies, &format!("/clients/{eetu}")).await;
    assert_eq!(card.status, 200);
    assert!(
        !card.body.contains("Suojatie"),
        "the card hides the protected address"
    );
    assert!(card
        .body
        .contains(&format!(r#"action="/clients/{eetu}/reveal""#)));
    // Family with source and right of access; units by name.
    assert!(card.body.contains("Huoltaja"), "{}", card.body);
    assert!(card.body.contains("väestötietojärjestelmästä"));
    assert!(card.body.contains("Lapsiperheiden palvelujen yksikkö"));
    // Without a reason: refused, nothing shown.
    let r = post_form(
        addr,
        &format!("/clients/{eetu}/reveal"),
        &cookies,
        &format!("csrf={token}&reason="),
        &[],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("Suojatie"));
    let shown = post_form(
        addr,
        &format!("/clients/{eetu}/reveal"),
        &cookies,
        &form(&[("csrf", &token), ("reason", "kotikäynnin sopiminen")]),
        &[],
    )
    .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Suojatie 1 A 2"));
    assert!(shown.body.contains("kotikäynnin sopiminen"));
    assert_eq!(shown.header("cache-control"), Some("no-store"));
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE client_id = $1 AND action = 'reveal_protected_address'
           AND allowed AND purpose = 'kotikäynnin sopiminen'",
    )
    .bind(eetu)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 1);
    // When the password was given long ago, it is asked again first.
    sqlx::query("UPDATE staff_session SET authenticated_at = now() - interval '1 hour'")
        .execute(&db.owner)
        .await
        .unwrap();
    let r = post_form(
        addr,
        &format!("/clients/{eetu}/reveal"),
        &cookies,
        &form(&[("csrf", &token), ("reason", "uudelleen")]),
        &[],
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some(format!("/reauth?back=/clients/{eetu}").as_str())
    );
}

#[tokio::test]
async fn my_clients_lists_the_users_own_relationships_only() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &sari, "/clients").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mäkinen, Eetu Juhani") && page.body.contains("Mäkinen, Ella"));
    assert!(
        !page.body.contains("Virtanen"),
        "Pekka's client is not Sari's"
    );
    assert!(page.body.contains("Vastuutyöntekijä"));
    // The substitute is on the team of one child only.
    let (outi, _) = page_session(addr, "outi.sijainen").await;
    let page = get_as(addr, &outi, "/clients").await;
    assert!(
        page.body.contains("Eetu") && !page.body.contains("Ella"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Työryhmässä"));
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'search' AND data = 'my clients' AND allowed",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 2);
}

#[tokio::test]
async fn a_search_with_a_stated_purpose_finds_what_a_purpose_opens_and_nothing_more() {
    use kirjo_access::{decide_on_client, Action, StatedPurpose};
    let (db, settings) = demo_db().await;
    let loaded = kirjo::config::load(kirjo::config::ConfigSource::BuiltInDemo, &|_| None).unwrap();
    let ui = kirjo_web::UiSettings {
        purposes: loaded.config.register.access_purposes.clone(),
        tls: false,
    };
    let addr = serve_with(&db, settings.clone(), sessions(), ui).await;
    let (pekka, token) = page_session(addr, "pekka.sosiaaliohjaaja").await;
    // The search page offers it to Pekka (adult services allow it).
    let page = get_as(addr, &pekka, "/search").await;
    assert!(page
        .body
        .contains(r#"<form method="post" action="/search""#));
    // Without the user's own words: refused, nothing searched.
    let r = post_form(
        addr,
        "/search",
        &pekka,
        &form(&[
            ("csrf", &token),
            ("name", "Nieminen"),
            ("outside", "1"),
            ("purpose", "urgent_matter"),
            ("purpose_text", ""),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 422);
    let r = post_form(
        addr,
        "/search",
        &pekka,
        &form(&[
            ("csrf", &token),
            ("name", "Nieminen"),
            ("outside", "1"),
            ("purpose", "urgent_matter"),
            ("purpose_text", "asiakas soitti"),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let nieminen: i64 = sqlx::query_scalar("SELECT id FROM person WHERE surname = 'Nieminen'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert!(
        r.body.contains(&format!(r#"action="/clients/{nieminen}""#)),
        "{}",
        r.body
    );
    // The search is logged with its purpose, and flagged for review.
    let (purpose, flagged): (Option<String>, i64) = sqlx::query_as(
        "SELECT l.purpose, (SELECT count(*) FROM access_flag f WHERE f.use_log_id = l.id)
         FROM use_log l WHERE l.action = 'search' AND l.allowed ORDER BY l.id DESC LIMIT 1",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(purpose.as_deref(), Some("urgent_matter: asiakas soitti"));
    assert_eq!(flagged, 1);

    // Agreement: over every demo person, the purpose search (by birth date
    // wide open: by name of each) returns exactly those the gate would
    // open for Pekka with this purpose, or may see anyway.
    let people: Vec<(i64, String)> = sqlx::query_as("SELECT id, surname FROM person ORDER BY id")
        .fetch_all(&db.owner)
        .await
        .unwrap();
    let pekka_id: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'pekka.sosiaaliohjaaja'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let stated = StatedPurpose {
        purpose_id: "urgent_matter".into(),
        text: "asiakas soitti".into(),
    };
    let caller = kirjo_store::gate::Caller {
        user_id: pekka_id,
        request_id: uuid::Uuid::new_v4(),
        source_address: None,
    };
    let (mut opened, mut closed) = (0, 0);
    for (id, surname) in people {
        let found = kirjo_store::clients::search(
            &db.runtime,
            &caller,
            &settings,
            &kirjo_store::clients::Criteria {
                name: Some(surname.clone()),
                limit: 200,
                purpose: Some(stated.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .iter()
        .any(|h| h.id == id);
        let mut conn = db.runtime.acquire().await.unwrap();
        let (actor, client) = kirjo_store::gate::load_facts(&mut conn, pekka_id, Some(id))
            .await
            .unwrap()
            .unwrap();
        let (facts, _) = client.flatten().unwrap();
        let opens = decide_on_client(
            &actor,
            Action::ViewBasicData,
            &facts,
            Some(&stated),
            None,
            &settings,
        )
        .allowed;
        if opens {
            opened += 1;
        } else {
            closed += 1;
        }
        assert_eq!(
            found, opens,
            "person {id} ({surname}): found {found}, opens {opens}"
        );
    }
    assert!(
        opened > 0 && closed > 0,
        "both kinds occur: {opened} open, {closed} closed"
    );
}
