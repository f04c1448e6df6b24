//! Issue 14 (access integrity): a minor's prohibition recorded and ended
//! only by the child's own social worker of the controller, with its
//! assessment and never backdated; rights proposed only within the
//! proposer's scope, organisation-wide roles by two main administrators.
//! Every refusal leaves its denied row in the use log.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, page_session, post_form, post_json, serve, sign_in};
use kirjo_testkit::TestDb;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

async fn user_id(db: &TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

/// The user's denied rows in the use log.
async fn denied(db: &TestDb, user: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM use_log WHERE user_id = $1 AND NOT allowed")
        .bind(user)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

/// The user's latest denied row: action and explanation.
async fn last_denied(db: &TestDb, user: i64) -> (String, String) {
    sqlx::query_as(
        "SELECT action, explanation FROM use_log WHERE user_id = $1 AND NOT allowed ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .fetch_one(&db.owner)
    .await
    .unwrap()
}

/// A prohibition's assessment as stored.
type AssessmentRow = (
    Option<i16>,
    Option<String>,
    Option<bool>,
    Option<String>,
    Option<bool>,
    Option<chrono::NaiveDate>,
);

fn today() -> chrono::NaiveDate {
    kirjo_domain::calendar::helsinki_today()
}

/// A complete prohibition as the API takes it, made and told on `on`.
fn prohibition(on: chrono::NaiveDate, accepted: bool) -> serde_json::Value {
    serde_json::json!({
        "made_on": on.to_string(),
        "accepted": accepted,
        "reason": "Eetu ei halua tietojaan isälle; syy on painava ja kielto hänen etunsa mukainen.",
        "age_and_maturity": "9-vuotias, ikätasoaan kypsempi; ymmärtää, mitä kielto merkitsee.",
        "mature_enough": true,
        "weighty_reason": "Pelkää isän reaktiota kerrottuaan koulun tapahtumista.",
        "clearly_against_interest": false,
        "child_told_on": on.to_string(),
    })
}

fn errors_of(body: &str) -> Vec<String> {
    json(body)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no field errors: {body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn only_the_childs_own_social_worker_records_or_ends_a_minors_prohibition() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let record = format!("/api/clients/{eetu}/minor-prohibitions");
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM minor_prohibition WHERE person_id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap()
    };
    let body = prohibition(today(), true).to_string();

    // The outsourced provider's worker, though commissioned the child and
    // allowed to write its documents, records nothing; nor does the unit's
    // supervisor, who does not serve the child.
    for who in ["tuomas.tukiperhe", "leena.esihenkilo"] {
        let uid = user_id(&db, who).await;
        let cookie = sign_in(addr, who).await;
        let before = denied(&db, uid).await;
        let r = post_json(addr, &cookie, &record, &body).await;
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert_eq!(
            denied(&db, uid).await,
            before + 1,
            "{who}: the refusal is logged"
        );
    }
    assert_eq!(count().await, 0);

    // The child's social worker records it, with the assessment; the
    // child's age is Kirjo's, from the birth date.
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let r = post_json(addr, &sari, &record, &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let pid = json(&r.body)["id"].as_i64().unwrap();
    let (age, maturity, mature, weighty, against, told): AssessmentRow = sqlx::query_as(
        "SELECT child_age, age_and_maturity, mature_enough, weighty_reason, clearly_against_interest,
                child_told_on
         FROM minor_prohibition WHERE id = $1",
    )
    .bind(pid)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let birth: chrono::NaiveDate =
        sqlx::query_scalar("SELECT birth_date FROM person WHERE id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(
        age.map(i32::from),
        today().years_since(birth).map(|y| y as i32)
    );
    assert!(maturity.unwrap().contains("9-vuotias"));
    assert_eq!((mature, against), (Some(true), Some(false)));
    assert!(weighty.unwrap().contains("Pelkää"));
    assert_eq!(told, Some(today()));

    // The provider's worker cannot end it, nor can the supervisor.
    let end = format!("/api/clients/{eetu}/minor-prohibitions/{pid}/end");
    let end_body = format!(
        r#"{{"ended_on":"{}","reason":"Lapsi perui kiellon."}}"#,
        today()
    );
    for who in ["tuomas.tukiperhe", "leena.esihenkilo"] {
        let uid = user_id(&db, who).await;
        let cookie = sign_in(addr, who).await;
        let before = denied(&db, uid).await;
        let r = post_json(addr, &cookie, &end, &end_body).await;
        assert_eq!(r.status, 403, "{who}: {}", r.body);
        assert_eq!(
            denied(&db, uid).await,
            before + 1,
            "{who}: the refusal is logged"
        );
    }
    let ended: Option<chrono::NaiveDate> =
        sqlx::query_scalar("SELECT ended_on FROM minor_prohibition WHERE id = $1")
            .bind(pid)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(ended, None, "still in force");

    // No backdating: an end before today is refused at its field, in the
    // language asked, and logged.
    let yesterday = today().pred_opt().unwrap();
    let before = denied(&db, sari_id).await;
    let r = post_json(
        addr,
        &sari,
        &format!("{end}?lang=sv"),
        &format!(r#"{{"ended_on":"{yesterday}","reason":"Lapsi perui kiellon."}}"#),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors_of(&r.body), vec!["ended_on"]);
    assert!(r.body.contains("tidigare än i dag"), "{}", r.body);
    assert_eq!(denied(&db, sari_id).await, before + 1);
    let (action, explanation) = last_denied(&db, sari_id).await;
    assert_eq!(action, "record_minor_prohibition");
    assert!(explanation.contains("ended_on"), "{explanation}");

    // The child's worker ends it from today.
    let r = post_json(addr, &sari, &end, &end_body).await;
    assert_eq!(r.status, 204, "{}", r.body);
}

#[tokio::test]
async fn a_minors_prohibition_needs_its_assessment_and_is_never_backdated() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let record = format!("/api/clients/{eetu}/minor-prohibitions");
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let yesterday = today().pred_opt().unwrap();

    // Made yesterday: refused at made_on, in English when asked, logged.
    let before = denied(&db, sari_id).await;
    let mut p = prohibition(yesterday, true);
    p["child_told_on"] = today().to_string().into();
    let r = post_json(addr, &sari, &format!("{record}?lang=en"), &p.to_string()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors_of(&r.body), vec!["made_on"]);
    assert!(r.body.contains("cannot be before today"), "{}", r.body);
    assert_eq!(denied(&db, sari_id).await, before + 1);

    // Without the assessment: each missing part named, in Finnish.
    let r = post_json(
        addr,
        &sari,
        &record,
        &format!(
            r#"{{"made_on":"{}","accepted":true,"reason":"Lapsen toive."}}"#,
            today()
        ),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields = errors_of(&r.body);
    for f in [
        "age_and_maturity",
        "mature_enough",
        "weighty_reason",
        "clearly_against_interest",
        "child_told_on",
    ] {
        assert!(fields.contains(&f.to_owned()), "{f}: {}", r.body);
    }
    assert!(r.body.contains("Pakollinen tieto"), "{}", r.body);
    assert_eq!(denied(&db, sari_id).await, before + 2);

    // The child told before the prohibition was made: refused.
    let mut p = prohibition(today(), true);
    p["child_told_on"] = yesterday.to_string().into();
    let r = post_json(addr, &sari, &record, &p.to_string()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors_of(&r.body), vec!["child_told_on"]);

    // Accepted although clearly against the child's interest, or although
    // the child cannot judge what it means: impossible combinations.
    let mut p = prohibition(today(), true);
    p["clearly_against_interest"] = true.into();
    let r = post_json(addr, &sari, &record, &p.to_string()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors_of(&r.body), vec!["clearly_against_interest"]);
    let mut p = prohibition(today(), true);
    p["mature_enough"] = false.into();
    let r = post_json(addr, &sari, &record, &p.to_string()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors_of(&r.body), vec!["mature_enough"]);
    // Not accepted for those very reasons: recorded.
    p["accepted"] = false.into();
    p["clearly_against_interest"] = true.into();
    let r = post_json(addr, &sari, &record, &p.to_string()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM minor_prohibition WHERE person_id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(stored, 1, "nothing refused was stored");

    // The database holds the same rules: an accepted prohibition clearly
    // against the child's interest, or made before the day it was
    // recorded, is refused there too.
    let su = db.superuser().await;
    let child_told_before = sqlx::query(
        "UPDATE minor_prohibition SET child_told_on = made_on - 1 WHERE person_id = $1",
    )
    .bind(eetu)
    .execute(&su)
    .await;
    assert!(child_told_before.is_err());
    let accepted_against =
        sqlx::query("UPDATE minor_prohibition SET accepted = true WHERE person_id = $1")
            .bind(eetu)
            .execute(&su)
            .await;
    assert!(accepted_against.is_err());
    let backdated = sqlx::query(
        "UPDATE minor_prohibition SET made_on = made_on - 1, child_told_on = child_told_on - 1 WHERE person_id = $1",
    )
    .bind(eetu)
    .execute(&su)
    .await;
    assert!(backdated.is_err());
}

#[tokio::test]
async fn the_prohibition_form_asks_for_the_assessment_and_only_the_childs_worker_sees_it() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let form_path = format!("/clients/{eetu}/minor-prohibition");

    // The provider's worker sees the child's card but no way to record or
    // end a prohibition, and a post of the form is refused and logged.
    let (tuomas, tuomas_token) = page_session(addr, "tuomas.tukiperhe").await;
    let card = get_as(addr, &tuomas, &format!("/clients/{eetu}")).await;
    assert_eq!(card.status, 200, "{}", card.body);
    assert!(!card.body.contains(&format!(r#"href="{form_path}""#)));
    let tuomas_id = user_id(&db, "tuomas.tukiperhe").await;
    let before = denied(&db, tuomas_id).await;
    let r = post_form(
        addr,
        &form_path,
        &tuomas,
        &format!(
            "csrf={tuomas_token}&made_on={}&accepted=true&reason=x&age_and_maturity=x&mature_enough=true&weighty_reason=x&clearly_against_interest=false&child_told_on={}&scope=all",
            today(),
            today()
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, tuomas_id).await, before + 1);

    // The child's worker: each part of the assessment has its label, the
    // dates start at today, and problems come back at their fields.
    let (sari, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let card = get_as(addr, &sari, &format!("/clients/{eetu}")).await;
    assert!(card.body.contains(&format!(r#"href="{form_path}""#)));
    let form = get_as(addr, &sari, &form_path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    for id in [
        "made_on",
        "age_and_maturity",
        "mature_enough-yes",
        "mature_enough-no",
        "weighty_reason",
        "against-yes",
        "against-no",
        "child_told_on",
    ] {
        assert!(
            form.body.contains(&format!(r#"for="{id}""#)),
            "a label for {id}"
        );
        assert!(form.body.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(form.body.contains(&format!(r#"min="{}""#, today())));
    let yesterday = today().pred_opt().unwrap();
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let before = denied(&db, sari_id).await;
    let r = post_form(
        addr,
        &form_path,
        &sari,
        &format!(
            "csrf={token}&made_on={yesterday}&accepted=true&reason=Lapsen+toive&age_and_maturity=&mature_enough=true&weighty_reason=Pelko&clearly_against_interest=true&child_told_on={}&scope=all",
            today()
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r#"id="made_on-error""#), "{}", r.body);
    assert!(
        r.body.contains("ei voi olla ennen tätä päivää"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="age_and_maturity-error""#));
    assert!(r
        .body
        .contains(r#"aria-describedby="age_and_maturity-help age_and_maturity-error""#));
    assert!(r.body.contains(r#"id="against-error""#));
    assert!(
        r.body.contains(r##"href="#made_on""##),
        "the summary links the field"
    );
    assert!(r.body.contains("Lapsen toive"), "what was typed is kept");
    assert_eq!(
        denied(&db, sari_id).await,
        before + 1,
        "the refusal is logged"
    );
    let r = post_form(
        addr,
        &form_path,
        &sari,
        &format!(
            "csrf={token}&made_on={0}&accepted=true&reason=Lapsen+toive&age_and_maturity=Ik%C3%A4isekseen+kyps%C3%A4&mature_enough=true&weighty_reason=Pelko&clearly_against_interest=false&child_told_on={0}&scope=all",
            today()
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The card shows the assessment to the child's worker, not to the
    // provider's.
    let card = get_as(addr, &sari, &format!("/clients/{eetu}")).await;
    assert!(card.body.contains("Ikäisekseen kypsä"), "{}", card.body);
    let card = get_as(addr, &tuomas, &format!("/clients/{eetu}")).await;
    assert!(!card.body.contains("Ikäisekseen kypsä"));
}

async fn propose(
    addr: std::net::SocketAddr,
    cookie: &str,
    user: i64,
    role: &str,
    unit: &str,
    area: Option<&str>,
) -> kirjo_testkit::HttpResponse {
    let body = serde_json::json!({
        "kind": "grant",
        "user_id": user,
        "role": role,
        "unit": unit,
        "service_area": area,
        "valid_from": today().to_string(),
        "reason": "tehtävät",
    });
    post_json(addr, cookie, "/api/rights/proposals", &body.to_string()).await
}

#[tokio::test]
async fn rights_are_proposed_within_ones_scope_and_organisation_wide_ones_by_two_administrators() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let matti_id = user_id(&db, "matti.esihenkilo").await;
    let kaisa = user_id(&db, "kaisa.kirjaamo").await;
    let pekka = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let tuomas = user_id(&db, "tuomas.tukiperhe").await;
    let matti = sign_in(addr, "matti.esihenkilo").await;
    let proposed = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM rights_proposal WHERE proposed_by = $1")
            .bind(matti_id)
            .fetch_one(&db.owner)
            .await
            .unwrap()
    };
    let demo_proposals = proposed().await;

    // A supervisor proposes nothing for herself or himself, no
    // organisation-wide role, and nothing outside the unit's service areas.
    let refused = [
        (matti_id, "main_administrator", "hallinto", None),
        (matti_id, "data_protection_officer", "hallinto", None),
        (matti_id, "main_administrator", "aikuisyksikko", None),
        (kaisa, "main_administrator", "aikuisyksikko", None),
        (kaisa, "data_protection_officer", "hallinto", None),
        (matti_id, "client_worker", "aikuisyksikko", Some("aikuiset")),
        (
            kaisa,
            "client_worker",
            "aikuisyksikko",
            Some("lapsiperheet"),
        ),
        (kaisa, "client_worker", "perheyksikko", Some("lapsiperheet")),
    ];
    for (n, (user, role, unit, area)) in refused.into_iter().enumerate() {
        let before = denied(&db, matti_id).await;
        let r = propose(addr, &matti, user, role, unit, area).await;
        assert_eq!(
            r.status, 403,
            "{role} {unit} {area:?} for {user}: {}",
            r.body
        );
        assert!(!json(&r.body)["error"].as_str().unwrap().is_empty());
        assert_eq!(
            denied(&db, matti_id).await,
            before + 1,
            "refusal {n} logged"
        );
        assert_eq!(last_denied(&db, matti_id).await.0, "propose_rights");
    }
    // Impossible combinations are 422, logged too: a provider's role in the
    // controller's own unit, a controller's role for a provider's worker.
    for (user, role) in [(kaisa, "provider_worker"), (tuomas, "client_worker")] {
        let before = denied(&db, matti_id).await;
        let r = propose(addr, &matti, user, role, "aikuisyksikko", Some("aikuiset")).await;
        assert_eq!(r.status, 422, "{role} for {user}: {}", r.body);
        assert_eq!(denied(&db, matti_id).await, before + 1);
    }
    assert_eq!(
        proposed().await,
        demo_proposals,
        "nothing refused was stored"
    );
    // Within the scope: proposed.
    let r = propose(
        addr,
        &matti,
        kaisa,
        "client_worker",
        "aikuisyksikko",
        Some("aikuiset"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // Organisation-wide roles: a main administrator proposes (never for
    // herself), and a second one approves, never the proposer.
    let aino_id = user_id(&db, "aino.paakayttaja").await;
    let aino = sign_in(addr, "aino.paakayttaja").await;
    let r = propose(
        addr,
        &aino,
        aino_id,
        "data_protection_officer",
        "hallinto",
        None,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = propose(
        addr,
        &aino,
        kaisa,
        "registry_clerk",
        "aikuisyksikko",
        Some("aikuiset"),
    )
    .await;
    assert_eq!(
        r.status, 403,
        "unit roles are the supervisor's to propose: {}",
        r.body
    );
    let r = propose(
        addr,
        &aino,
        pekka,
        "data_protection_officer",
        "hallinto",
        None,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    let decision = format!("/api/rights/proposals/{id}/decision");
    let approve = r#"{"approve":true,"reason":"tietosuojavastaavan varahenkilö"}"#;
    let before = denied(&db, aino_id).await;
    let r = post_json(addr, &aino, &decision, approve).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, aino_id).await, before + 1);
    let second = sign_in(addr, kirjo::demo::SECOND_ADMINISTRATOR).await;
    let r = post_json(addr, &second, &decision, approve).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(json(&r.body)["grant_id"].as_i64().is_some());

    // An organisation-wide role that a supervisor proposed before these
    // rules is not approved: it needs a main administrator's proposal.
    let old: i64 = sqlx::query_scalar(
        "INSERT INTO rights_proposal (kind, user_id, role, unit_id, valid_from, reason, proposed_by)
         VALUES ('grant', $1, 'main_administrator', 'hallinto', kirjo_today(), 'vanha', $2) RETURNING id",
    )
    .bind(kaisa)
    .bind(matti_id)
    .fetch_one(&db.superuser().await)
    .await
    .unwrap();
    let r = post_json(
        addr,
        &second,
        &format!("/api/rights/proposals/{old}/decision"),
        approve,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Nor does anyone approve their own rights.
    let r = propose(
        addr,
        &second,
        aino_id,
        "data_protection_officer",
        "hallinto",
        None,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let own = json(&r.body)["id"].as_i64().unwrap();
    let r = post_json(
        addr,
        &aino,
        &format!("/api/rights/proposals/{own}/decision"),
        approve,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
}

/// A document of `kind` for `client` in `area`, as if written there by
/// `author` (the owner writes it: the test needs it to exist, not the way).
async fn document_of(
    db: &TestDb,
    client: i64,
    area: &str,
    task: &str,
    kind: &str,
    author: i64,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO document (client_id, register_id, sub_register_id, service_task_id, kind, content, name,
                               definition_oid, client_first_names, client_surname, organiser, producer,
                               author_id, author_name, author_title)
         SELECT p.id, p.register_id, $2, $3, $4, '{}'::jsonb, $4, '1.2.246', p.first_names, p.surname,
                'Harjuniemi', 'Harjuniemi', u.id, u.name, u.title
         FROM person p, staff_user u WHERE p.id = $1 AND u.id = $5 RETURNING id",
    )
    .bind(client)
    .bind(area)
    .bind(task)
    .bind(kind)
    .bind(author)
    .fetch_one(&db.owner)
    .await
    .unwrap()
}

/// A relationship's basis as stored: id, kind, document, assigning
/// supervisor, purpose, backdating reason.
type BasisRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The open flags of `kind` on `client`, with their unit.
async fn flags(db: &TestDb, client: i64, kind: &str) -> Vec<Option<String>> {
    sqlx::query_scalar(
        "SELECT unit_id FROM access_flag WHERE client_id = $1 AND kind = $2 ORDER BY id",
    )
    .bind(client)
    .bind(kind)
    .fetch_all(&db.owner)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_relationship_is_opened_only_on_a_basis_kirjo_records_and_a_new_one_is_flagged() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let kalle = common::person_id(&db.owner, "Kalle").await;
    let timo = common::person_id(&db.owner, "Timo").await;
    let pekka_id = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let matti_id = user_id(&db, "matti.esihenkilo").await;
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let open = |client: i64, body: serde_json::Value| {
        let pekka = pekka.clone();
        async move {
            post_json(
                addr,
                &pekka,
                &format!("/api/clients/{client}/relationships"),
                &body.to_string(),
            )
            .await
        }
    };
    let opened = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM client_relationship")
            .fetch_one(&db.owner)
            .await
            .unwrap()
    };
    let before = opened().await;

    // The finding: an adult-services worker opened himself a relationship
    // on a child-welfare child, and read everything. Without a basis,
    // nothing is opened; the refusal is logged.
    let d = denied(&db, pekka_id).await;
    let r = open(
        eetu,
        serde_json::json!({"service_area": "aikuiset", "unit": "aikuisyksikko"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(denied(&db, pekka_id).await, d + 1);
    assert_eq!(
        last_denied(&db, pekka_id).await.0,
        "manage_relationship",
        "the refusal is the relationship's"
    );
    // A stated purpose does not open a child served in child welfare,
    // which forbids access from outside.
    let purpose = serde_json::json!({
        "service_area": "aikuiset", "unit": "aikuisyksikko", "basis": "purpose",
        "purpose": "urgent_matter", "purpose_text": "äiti pyysi apua asumiseen",
    });
    let r = open(eetu, purpose.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, pekka_id).await, d + 2);
    // An assignment is the unit supervisor's, not the worker's own.
    let mut assignment = serde_json::json!({
        "service_area": "aikuiset", "unit": "aikuisyksikko", "basis": "assignment",
    });
    let r = open(timo, assignment.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(denied(&db, pekka_id).await, d + 3);
    assert_eq!(opened().await, before, "nothing refused was opened");
    for path in ["", "/sensitive", "/finances"] {
        let r = get_as(addr, &pekka, &format!("/api/clients/{eetu}{path}")).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
    }

    // A document that starts client work, for that client in that area:
    // not another client's, not a narrative, not another area's, and an id
    // that does not exist answers the same.
    let intake = document_of(
        &db,
        kalle,
        "aikuiset",
        "aikuissosiaalityo",
        "intake",
        pekka_id,
    )
    .await;
    let narrative = document_of(
        &db,
        kalle,
        "aikuiset",
        "aikuissosiaalityo",
        "narrative",
        pekka_id,
    )
    .await;
    let elsewhere = document_of(
        &db,
        kalle,
        "lapsiperheet",
        "lastensuojelu",
        "application",
        pekka_id,
    )
    .await;
    let d = denied(&db, pekka_id).await;
    let mut bodies = Vec::new();
    for (client, doc) in [
        (timo, intake),
        (kalle, narrative),
        (kalle, elsewhere),
        (kalle, 987_654),
    ] {
        let r = open(
            client,
            serde_json::json!({"service_area": "aikuiset", "unit": "aikuisyksikko",
                               "basis": "document", "document_id": doc}),
        )
        .await;
        assert_eq!(r.status, 422, "document {doc} for {client}: {}", r.body);
        bodies.push(r.body.replace(&doc.to_string(), "ID"));
    }
    assert_eq!(bodies[2], bodies[3], "no oracle of another area's document");
    assert_eq!(denied(&db, pekka_id).await, d + 4);
    let r = open(
        kalle,
        serde_json::json!({"service_area": "aikuiset", "unit": "aikuisyksikko",
                           "basis": "document", "document_id": intake}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let by_document = json(&r.body)["id"].as_i64().unwrap();
    // Pekka already had Kalle: no flag for a new person.
    assert!(flags(&db, kalle, "relationship_opened").await.is_empty());

    // The unit's supervisor assigns Pekka to a person neither could see:
    // flagged for the unit's supervisor and the DPO.
    let matti = sign_in(addr, "matti.esihenkilo").await;
    assignment["responsible_worker_id"] = pekka_id.into();
    let r = post_json(
        addr,
        &matti,
        &format!("/api/clients/{timo}/relationships"),
        &assignment.to_string(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let by_assignment = json(&r.body)["id"].as_i64().unwrap();
    assert_eq!(
        flags(&db, timo, "relationship_opened").await,
        vec![Some("aikuisyksikko".to_owned())]
    );
    // No start in the past without a reason; with one, it is flagged.
    let yesterday = today() - chrono::Days::new(1);
    let mut backdated = purpose.clone();
    backdated["started_on"] = yesterday.to_string().into();
    let r = open(timo, backdated.clone()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        errors_of(&r.body).contains(&"backdating_reason".to_owned()),
        "{}",
        r.body
    );
    backdated["backdating_reason"] = "asiakas tavattiin eilen päivystyksessä".into();
    let r = open(timo, backdated).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let by_purpose = json(&r.body)["id"].as_i64().unwrap();
    assert_eq!(flags(&db, timo, "relationship_backdated").await.len(), 1);
    assert_eq!(flags(&db, timo, "relationship_by_purpose").await.len(), 1);

    // The basis is kept with the relationship and shown with it.
    let basis: Vec<BasisRow> = sqlx::query_as(
        "SELECT id, basis, basis_document_id, assigned_by, purpose_id, backdating_reason
             FROM client_relationship WHERE id = ANY($1) ORDER BY id",
    )
    .bind(vec![by_document, by_assignment, by_purpose])
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(basis[0].1, "document");
    assert_eq!(basis[0].2, Some(intake));
    assert_eq!(
        (basis[1].1.as_str(), basis[1].3),
        ("assignment", Some(matti_id))
    );
    assert_eq!(basis[2].1, "purpose");
    assert_eq!(basis[2].4.as_deref(), Some("urgent_matter"));
    assert!(basis[2].5.as_deref().unwrap().contains("päivystyksessä"));
    let r = get_as(addr, &pekka, &format!("/api/clients/{timo}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let kinds: Vec<String> = json(&r.body)["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["basis"]["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kinds.contains(&"assignment".to_owned()) && kinds.contains(&"purpose".to_owned()),
        "{kinds:?}"
    );
    let card = get_as(addr, &pekka, &format!("/clients/{timo}")).await;
    assert!(
        card.body.contains("Matti Mattila"),
        "the assigning supervisor is shown"
    );
    assert!(
        card.body.contains("päivystyksessä"),
        "the backdating reason is shown"
    );
    // A relationship from before bases were kept is shown as such.
    let card = get_as(addr, &pekka, &format!("/clients/{kalle}")).await;
    assert_eq!(card.status, 200);
}

/// Issue 14: the page form opens a relationship as the API does. A form
/// with problems comes back as typed, each problem at its field, and its
/// refusal is logged; the supervisor names the responsible worker from the
/// unit's client workers.
#[tokio::test]
async fn a_relationship_is_opened_from_the_page_form_with_its_errors_at_their_fields() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let kalle = common::person_id(&db.owner, "Kalle").await;
    let timo = common::person_id(&db.owner, "Timo").await;
    let pekka_id = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let (pekka, token) = page_session(addr, "pekka.sosiaaliohjaaja").await;
    let card = get_as(addr, &pekka, &format!("/clients/{kalle}")).await;
    assert!(
        card.body
            .contains(&format!("href=\"/clients/{kalle}/relationships/new\"")),
        "{}",
        card.body
    );
    let form = get_as(addr, &pekka, &format!("/clients/{kalle}/relationships/new")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body
            .contains("<option value=\"aikuiset|aikuisyksikko\">"),
        "{}",
        form.body
    );
    assert!(
        !form.body.contains("id=\"basis-assignment\""),
        "a worker makes no assignment"
    );
    let intake = document_of(
        &db,
        kalle,
        "aikuiset",
        "aikuissosiaalityo",
        "intake",
        pekka_id,
    )
    .await;
    // No basis, a document number that is not one, a day in the past with
    // no reason: each at its field, what was typed kept, logged.
    let d = denied(&db, pekka_id).await;
    let yesterday = today() - chrono::Days::new(1);
    let r = post_form(
        addr,
        &format!("/clients/{kalle}/relationships/new"),
        &pekka,
        &format!("csrf={token}&place=aikuiset%7Caikuisyksikko&basis=&document_id=kaksi&started_on={yesterday}&backdating_reason="),
        &[],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for (anchor, field) in [
        ("basis-document", "basis-error"),
        ("document_id", "document_id-error"),
        ("backdating_reason", "backdating_reason-error"),
    ] {
        assert!(
            r.body.contains(&format!("href=\"#{anchor}\""))
                && r.body.contains(&format!("id=\"{field}\"")),
            "{anchor}: {}",
            r.body
        );
    }
    assert!(r.body.contains("value=\"kaksi\""), "{}", r.body);
    assert!(
        r.body
            .contains("<option value=\"aikuiset|aikuisyksikko\" selected>"),
        "{}",
        r.body
    );
    assert_eq!(denied(&db, pekka_id).await, d + 1);
    // On the intake: opened, back to the card.
    let r = post_form(
        addr,
        &format!("/clients/{kalle}/relationships/new"),
        &pekka,
        &format!("csrf={token}&place=aikuiset%7Caikuisyksikko&basis=document&document_id={intake}&started_on={}", today()),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/clients/{kalle}#relationships-heading").as_str())
    );
    let basis: Option<i64> = sqlx::query_scalar(
        "SELECT basis_document_id FROM client_relationship WHERE client_id = $1 AND basis = 'document'",
    )
    .bind(kalle)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(basis, Some(intake));
    // The supervisor assigns Pekka from the unit's client workers.
    let (matti, matti_token) = page_session(addr, "matti.esihenkilo").await;
    let form = get_as(addr, &matti, &format!("/clients/{timo}/relationships/new")).await;
    assert!(
        form.body.contains("id=\"basis-assignment\"")
            && form
                .body
                .contains(&format!("<option value=\"{pekka_id}\">")),
        "{}",
        form.body
    );
    let r = post_form(
        addr,
        &format!("/clients/{timo}/relationships/new"),
        &matti,
        &format!("csrf={matti_token}&place=aikuiset%7Caikuisyksikko&basis=assignment&responsible_worker_id={pekka_id}&started_on={}", today()),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let worker: i64 = sqlx::query_scalar(
        "SELECT responsible_worker_id FROM client_relationship WHERE client_id = $1 AND basis = 'assignment'",
    )
    .bind(timo)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(worker, pekka_id);
}

#[tokio::test]
async fn a_relation_to_a_person_one_may_not_see_names_no_one_and_tells_no_existence() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella = common::person_id(&db.owner, "Ella").await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let timo = common::person_id(&db.owner, "Timo").await;
    let sari_id = user_id(&db, "sari.sosiaalityontekija").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let rows_on = |id: i64| {
        let db = &db;
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM use_log WHERE client_id = $1")
                .bind(id)
                .fetch_one(&db.owner)
                .await
                .unwrap()
        }
    };
    let relate = |related: i64, kind: &str| {
        let body = serde_json::json!({"kind": kind, "related_id": related}).to_string();
        let sari = sari.clone();
        async move {
            post_json(
                addr,
                &sari,
                &format!("/api/clients/{ella}/relations"),
                &body,
            )
            .await
        }
    };

    // Timo Nieminen is no client of Sari's: the relation is recorded, and
    // the answer is the same as for an id that does not exist.
    let on_timo = rows_on(timo).await;
    let unseen = relate(timo, "household_member").await;
    let missing = relate(987_654, "household_member").await;
    assert_eq!(
        unseen.status, missing.status,
        "{} / {}",
        unseen.body, missing.body
    );
    assert_eq!(unseen.body, missing.body);
    assert_eq!(unseen.status, 202, "{}", unseen.body);
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM person_relation WHERE person_id = $1 AND related_id = $2",
    )
    .bind(ella)
    .bind(timo)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(recorded, 1);
    // Each attempt is logged: on Timo, whose data the relation touches, and
    // the one to nobody as a refusal; both are flagged for review.
    assert_eq!(rows_on(timo).await, on_timo + 1);
    let (action, explanation) = last_denied(&db, sari_id).await;
    assert_eq!(action, "edit_basic_data");
    assert!(explanation.contains("987654"), "{explanation}");
    assert_eq!(flags(&db, ella, "relation_to_unseen").await.len(), 2);

    // The card and the API show that a relation is there, not whose.
    let card = get_as(addr, &sari, &format!("/clients/{ella}")).await;
    assert_eq!(card.status, 200);
    assert!(
        !card.body.contains("Nieminen"),
        "the stranger's name is not shown"
    );
    assert!(card
        .body
        .contains("Henkilö, jonka tietoihin sinulla ei ole pääsyä"));
    let r = get_as(addr, &sari, &format!("/api/clients/{ella}")).await;
    assert!(!r.body.contains("Nieminen"), "{}", r.body);
    // Neither the name nor the id: the card does not tell which person it
    // is, nor that such an id exists.
    assert!(
        !r.body.contains(&format!("\"person_id\":{timo}")),
        "{}",
        r.body
    );
    let unseen: Vec<serde_json::Value> = json(&r.body)["person"]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"].is_null())
        .cloned()
        .collect();
    assert_eq!(unseen.len(), 1, "{unseen:?}");
    assert!(unseen[0]["person_id"].is_null(), "{unseen:?}");

    // A guardian one may not see gets no answer naming them.
    assert_eq!(relate(timo, "guardian").await.status, 202);
    let r = get_as(
        addr,
        &sari,
        &format!("/api/clients/{ella}/guardian-answer?guardian={timo}"),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!r.body.contains("Nieminen"));

    // A person one may see is related and named as before.
    let r = relate(eetu, "household_member").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let card = get_as(addr, &sari, &format!("/clients/{ella}")).await;
    assert!(card.body.contains("Eetu Juhani"));
}

/// Issue 14, finding 8: a search or a list was one log row with no client
/// id, so a client's log extract (703/2023 §11) never showed that their
/// name appeared in someone's results. Each list now records the clients
/// it showed, and the extract (as the DPO gives it) says so; the monitor
/// does not take these rows for uses of the client's data.
#[tokio::test]
async fn a_clients_log_extract_shows_the_searches_and_lists_they_appeared_in() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let timo = common::person_id(&db.owner, "Timo").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let dpo = sign_in(addr, "sanna.tietosuoja").await;

    let found = get_as(addr, &sari, "/api/clients?name=Eetu").await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(
        found.body.contains(&format!("\"id\":{eetu}")),
        "{}",
        found.body
    );
    let caseload = get_as(addr, &sari, "/clients").await;
    assert_eq!(caseload.status, 200);

    let shown: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT action, data, allowed FROM use_log WHERE client_id = $1 AND action = 'shown_in_list' ORDER BY id",
    )
    .bind(eetu)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    let data: Vec<&str> = shown.iter().map(|(_, d, _)| d.as_str()).collect();
    assert!(
        data.iter()
            .any(|d| d.starts_with("search: search") && d.contains("name=Eetu")),
        "the search is in Eetu's log: {data:?}"
    );
    assert!(
        data.contains(&"search: my clients"),
        "the caseload is in Eetu's log: {data:?}"
    );
    assert!(shown.iter().all(|(_, _, allowed)| *allowed));
    // Nobody else's: Timo was in neither list.
    let on_timo: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE client_id = $1 AND action = 'shown_in_list'",
    )
    .bind(timo)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(on_timo, 0);

    // The extract the DPO gives Eetu names who listed him and in what.
    let extract = get_as(addr, &dpo, &format!("/api/clients/{eetu}/log")).await;
    assert_eq!(extract.status, 200, "{}", extract.body);
    let v = json(&extract.body);
    let uses = v["uses"].as_array().unwrap();
    assert!(
        uses.iter().any(|u| u["action"] == "shown_in_list"
            && u["user_name"].as_str().unwrap_or("").contains("Sari")
            && u["data"].as_str().unwrap_or("").contains("name=Eetu")),
        "{}",
        extract.body
    );
}
