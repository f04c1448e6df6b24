//! Client documents over the API: drafts, completion, corrections with
//! their history, discarding, the timeline, and metadata that only Kirjo
//! writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, post_json, serve, sign_in};
use kirjo_testkit::http_with;

/// The document's revision as an `If-Match` tag, read from the database
/// (as if the user had read it just now).
async fn tag_of(db: &kirjo_testkit::TestDb, id: i64) -> String {
    let r: i64 = sqlx::query_scalar("SELECT revision FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    format!("\"{r}\"")
}

/// `PUT /api/documents/{id}` from the revision stored now.
async fn put_json(
    db: &kirjo_testkit::TestDb,
    addr: std::net::SocketAddr,
    cookie: &str,
    path: &str,
    body: &str,
) -> kirjo_testkit::HttpResponse {
    let id: i64 = path
        .trim_start_matches("/api/documents/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let tag = tag_of(db, id).await;
    http_with(
        addr,
        "PUT",
        path,
        &[
            ("cookie", cookie),
            ("content-type", "application/json"),
            ("if-match", &tag),
        ],
        Some(body),
    )
    .await
}

/// Completes or discards (`what`) document `id` from the revision stored now.
async fn step(
    db: &kirjo_testkit::TestDb,
    addr: std::net::SocketAddr,
    cookie: &str,
    id: i64,
    what: &str,
) -> kirjo_testkit::HttpResponse {
    let tag = tag_of(db, id).await;
    http_with(
        addr,
        "POST",
        &format!("/api/documents/{id}/{what}"),
        &[
            ("cookie", cookie),
            ("content-type", "application/json"),
            ("if-match", &tag),
        ],
        Some("{}"),
    )
    .await
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn a_narrative_entry_goes_from_draft_to_completed_and_is_corrected_never_changed() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let outi = sign_in(addr, "outi.sijainen").await;
    let path = format!("/api/clients/{eetu}/documents");

    // Field errors, each named, in the user's language.
    let bad = post_json(
        addr,
        &sari,
        &format!("{path}?lang=sv"),
        r#"{"entry":"kirje","date":"2026-13-01","text":""}"#,
    )
    .await;
    assert_eq!(bad.status, 422);
    let errors = json(&bad.body)["errors"].as_array().unwrap().clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["service_task", "entry", "date", "text"]);
    assert!(bad.body.contains("Skriv anteckningen"));
    // Metadata cannot be given: the body takes the entry's own fields only.
    let forged = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","entry":"meeting_or_contact","date":"2026-11-20","text":"x","author_name":"Joku Muu"}"#,
    )
    .await;
    assert!(
        forged.status == 400 || forged.status == 422,
        "{}",
        forged.body
    );

    let created = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","entry":"meeting_or_contact","date":"2026-11-20","text":"Kotikäynti. Eetu kertoi koulusta.","agreed":"Seuraava käynti 1.12."}"#,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = json(&created.body)["id"].as_i64().unwrap();
    let doc = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}"))
            .await
            .body,
    );
    let d = &doc["document"];
    assert_eq!(d["state"], "draft");
    assert_eq!(d["name"], "Merkintä tapaamisesta tai yhteydenotosta");
    assert_eq!(d["definition_oid"], "1.2.246.537.6.1506.19005.2022.1.10");
    assert_eq!(d["client_name"], "Eetu Juhani Mäkinen");
    assert_eq!(d["author_name"], "Sari Saarinen");
    assert_eq!(d["service_area"], "lapsiperheet");
    assert_eq!(d["producer"], "Lapsiperheiden palvelujen yksikkö");
    assert!(
        d["organiser"]
            .as_str()
            .unwrap()
            .contains("Harjuniemen kunta"),
        "{d}"
    );
    assert_eq!(d["content"]["agreed"], "Seuraava käynti 1.12.");
    // A draft is its author's: the team member does not see it.
    assert_eq!(
        get_as(addr, &outi, &format!("/api/documents/{id}"))
            .await
            .status,
        403
    );
    let timeline = json(&get_as(addr, &outi, &path).await.body);
    assert!(
        !timeline["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == id),
        "another's draft is not on the timeline"
    );
    // The author edits the draft, and completes it.
    let edited = put_json(
        &db,
        addr,
        &sari,
        &format!("/api/documents/{id}"),
        r#"{"entry":"meeting_or_contact","date":"2026-11-20","text":"Kotikäynti. Eetu kertoi koulusta ja harrastuksista.","agreed":"Seuraava käynti 1.12."}"#,
    )
    .await;
    assert_eq!(edited.status, 204, "{}", edited.body);
    assert_eq!(
        step(&db, addr, &outi, id, "complete").await.status,
        403,
        "only the author"
    );
    assert_eq!(step(&db, addr, &sari, id, "complete").await.status, 204);
    // Completed: no edit in place, by anyone.
    let again = put_json(
        &db,
        addr,
        &sari,
        &format!("/api/documents/{id}"),
        r#"{"entry":"meeting_or_contact","date":"2026-11-20","text":"muutettu"}"#,
    )
    .await;
    assert_eq!(again.status, 403);
    assert!(
        again.body.contains("corrected, never changed"),
        "{}",
        again.body
    );
    assert_eq!(step(&db, addr, &sari, id, "discard").await.status, 403);
    // Not even by the owner role in the database.
    let direct = sqlx::query("UPDATE document SET content = '{}' WHERE id = $1")
        .bind(id)
        .execute(&db.owner)
        .await;
    assert!(
        direct.is_err(),
        "the trigger refuses a change to a completed document"
    );
    // The team member sees it now.
    assert_eq!(
        get_as(addr, &outi, &format!("/api/documents/{id}"))
            .await
            .status,
        200
    );

    // A correction: a new version, the original stays, the history says
    // who, when and why.
    let no_reason = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/corrections"),
        r#"{"entry":"meeting_or_contact","date":"2026-11-19","text":"Kotikäynti."}"#,
    )
    .await;
    assert_eq!(no_reason.status, 422);
    let fixed = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/corrections"),
        r#"{"entry":"meeting_or_contact","date":"2026-11-19","text":"Kotikäynti. Eetu kertoi koulusta ja harrastuksista.","agreed":"Seuraava käynti 1.12.","reason":"Käynnin päivä oli väärin."}"#,
    )
    .await;
    assert_eq!(fixed.status, 201, "{}", fixed.body);
    let v2 = json(&fixed.body)["id"].as_i64().unwrap();
    let old = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}"))
            .await
            .body,
    );
    assert_eq!(
        old["document"]["content"]["date"], "2026-11-20",
        "the original is unchanged"
    );
    assert_eq!(old["document"]["superseded"], true);
    let new = json(
        &get_as(addr, &sari, &format!("/api/documents/{v2}"))
            .await
            .body,
    );
    assert_eq!(new["document"]["version"], 2);
    assert_eq!(new["document"]["corrects_id"], id);
    assert_eq!(
        new["document"]["correction_reason"],
        "Käynnin päivä oli väärin."
    );
    let versions = new["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["id"], id);
    // Only the latest version is corrected.
    let stale = post_json(
        addr,
        &sari,
        &format!("/api/documents/{id}/corrections"),
        r#"{"entry":"meeting_or_contact","date":"2026-11-19","text":"x","reason":"y"}"#,
    )
    .await;
    assert_eq!(stale.status, 403);
    // The timeline shows the latest version only.
    let timeline = json(&get_as(addr, &outi, &path).await.body);
    let lines = timeline["documents"].as_array().unwrap();
    let mine: Vec<_> = lines.iter().filter(|l| l["series_id"] == id).collect();
    assert_eq!(mine.len(), 1, "one line per document");
    assert_eq!(mine[0]["id"], v2);
    assert_eq!(mine[0]["corrected"], true);
}

#[tokio::test]
async fn a_discarded_draft_leaves_the_timeline_and_the_discarding_is_logged() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{ella}/documents");
    let count = |body: String| json(&body)["documents"].as_array().unwrap().len();
    let before = count(get_as(addr, &sari, &path).await.body);
    let created = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","entry":"daily_life","date":"2026-11-18","text":"Arki sujuu."}"#,
    )
    .await;
    let id = json(&created.body)["id"].as_i64().unwrap();
    assert_eq!(count(get_as(addr, &sari, &path).await.body), before + 1);
    assert_eq!(step(&db, addr, &sari, id, "discard").await.status, 204);
    assert_eq!(count(get_as(addr, &sari, &path).await.body), before);
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE client_id = $1 AND data = $2 AND allowed",
    )
    .bind(ella)
    .bind(format!("document:{id} discard draft"))
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged, 1);
    let state: String = sqlx::query_scalar("SELECT state FROM document WHERE id = $1")
        .bind(id)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(state, "discarded", "the row stays");
}

#[tokio::test]
async fn documents_of_a_client_are_read_only_where_the_user_has_the_client() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let created = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        r#"{"service_task":"lastensuojelu","entry":"guidance_and_advice","date":"2026-11-18","text":"Ohjausta."}"#,
    )
    .await;
    let id = json(&created.body)["id"].as_i64().unwrap();
    assert_eq!(step(&db, addr, &sari, id, "complete").await.status, 204);
    // Adult services: no relationship with the child, no documents.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    assert_eq!(
        get_as(addr, &pekka, &format!("/api/documents/{id}"))
            .await
            .status,
        403
    );
    assert_eq!(
        get_as(addr, &pekka, &format!("/api/clients/{eetu}/documents"))
            .await
            .status,
        403
    );
    // The data protection officer reads logs, not documents.
    let sanna = sign_in(addr, "sanna.tietosuoja").await;
    assert_eq!(
        get_as(addr, &sanna, &format!("/api/documents/{id}"))
            .await
            .status,
        403
    );
    // The supervisor of the unit reads completed documents.
    let leena = sign_in(addr, "leena.esihenkilo").await;
    assert_eq!(
        get_as(addr, &leena, &format!("/api/documents/{id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        get_as(addr, &leena, "/api/documents/999999").await.status,
        404
    );
}

#[tokio::test]
async fn the_document_pages_write_complete_and_correct_an_entry() {
    use common::{page_session, post_form, serve_with};
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        kirjo_web::SessionSettings::default(),
        kirjo_web::UiSettings::default(),
    )
    .await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let (sari, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM document")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let form = get_as(addr, &sari, &format!("/clients/{eetu}/documents/new")).await;
    assert_eq!(form.status, 200);
    // Errors by field, nothing saved.
    let bad = post_form(
        addr,
        &format!("/clients/{eetu}/documents/new"),
        &sari,
        &format!("csrf={token}&service_task=lastensuojelu&entry=daily_life&date=2026-11-20&text=&agreed=sovittu"),
        &[],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="text-error""#) && bad.body.contains(r#"id="agreed-error""#));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM document")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(count, before, "nothing saved");
    let ok = post_form(
        addr,
        &format!("/clients/{eetu}/documents/new"),
        &sari,
        &format!(
            "csrf={token}&service_task=lastensuojelu&entry=meeting_or_contact&date=2026-11-20&text=Kotik%C3%A4ynti.&agreed="
        ),
        &[],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let at = ok.header("location").unwrap().to_owned();
    let page = get_as(addr, &sari, &at).await;
    assert!(page.body.contains("Kotikäynti.") && page.body.contains("Luonnos"));
    assert!(page.body.contains("Lapsiperheiden palvelujen yksikkö"));
    let revision = page
        .body
        .split(r#"name="revision" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let r = post_form(
        addr,
        &format!("{at}/complete"),
        &sari,
        &format!("csrf={token}&revision={revision}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303);
    // Completed: no edit form, a correction instead.
    let page = get_as(addr, &sari, &at).await;
    assert!(!page.body.contains(&format!(r#"action="{at}/edit""#)));
    assert!(page.body.contains(&format!(r#"href="{at}/correct""#)));
    let r = post_form(
        addr,
        &format!("{at}/edit"),
        &sari,
        &format!(
            "csrf={token}&revision={}&entry=daily_life&date=2026-11-20&text=muutettu",
            tag_of(&db, at.trim_start_matches("/documents/").parse().unwrap())
                .await
                .trim_matches('"')
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 403);
    let r = post_form(
        addr,
        &format!("{at}/correct"),
        &sari,
        &format!("csrf={token}&entry=meeting_or_contact&date=2026-11-19&text=Kotik%C3%A4ynti.&agreed=&reason=P%C3%A4iv%C3%A4+v%C3%A4%C3%A4rin"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let v2 = r.header("location").unwrap().to_owned();
    let page = get_as(addr, &sari, &v2).await;
    assert!(
        page.body.contains("Päivä väärin") && page.body.contains("Versio 2"),
        "{}",
        page.body
    );
    let timeline = get_as(addr, &sari, &format!("/clients/{eetu}/documents")).await;
    assert_eq!(timeline.status, 200);
    assert!(
        timeline.body.contains(&format!(r#"href="{v2}""#))
            && !timeline.body.contains(&format!(r#"href="{at}""#))
    );
}

/// Exports every completed document of the demo (narrative entries and a
/// child welfare notification, and one narrative of each kind written here)
/// and validates each against its national JSON Schema with a JSON Schema
/// validator (ajv, `tests/sosmeta/validate.mjs`).
#[tokio::test]
async fn every_completed_document_exports_valid_against_its_national_schema() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    for (entry, agreed) in [
        ("meeting_or_contact", r#","agreed":"Sovittu asia""#),
        ("guidance_and_advice", ""),
        ("negotiation", r#","agreed":"Vastuunjako""#),
        ("daily_life", ""),
    ] {
        let r = post_json(
            addr,
            &sari,
            &format!("/api/clients/{ella}/documents"),
            &format!(r#"{{"service_task":"lastensuojelu","entry":"{entry}","date":"2026-11-02","text":"Merkintä \"lainausmerkein\" ja rivinvaihdolla\ntoinen rivi."{agreed}}}"#),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = json(&r.body)["id"].as_i64().unwrap();
        // A draft is not exported.
        assert_eq!(
            get_as(addr, &sari, &format!("/api/documents/{id}/export"))
                .await
                .status,
            403
        );
        assert_eq!(step(&db, addr, &sari, id, "complete").await.status, 204);
    }
    let completed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, sub_register_id FROM document WHERE state = 'completed' ORDER BY id",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert!(
        completed.len() >= 12,
        "the demo has a year of documents: {}",
        completed.len()
    );
    let dir = common::temp_dir("sosmeta");
    let mut files = Vec::new();
    for (id, area) in &completed {
        let who = if area == "aikuiset" { &pekka } else { &sari };
        let r = get_as(addr, who, &format!("/api/documents/{id}/export")).await;
        assert_eq!(r.status, 200, "document {id}: {}", r.body);
        let v = json(&r.body);
        assert!(v["definition"]
            .as_str()
            .unwrap()
            .starts_with("1.2.246.537.6.1506."));
        let file = dir.join(format!("{id}.json"));
        std::fs::write(&file, &r.body).unwrap();
        files.push(file);
    }
    // Every kind of document has completed demo documents, so each kind's
    // export is validated here.
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT kind FROM document WHERE state = 'completed'")
            .fetch_all(&db.owner)
            .await
            .unwrap();
    for kind in kirjo_domain::document::kinds() {
        assert!(kinds.iter().any(|k| k == kind), "no completed demo {kind}");
    }
    // And the client relationship documents of a child and an adult.
    for (first, who) in [("Eetu", &sari), ("Kalle", &pekka)] {
        let client: i64 =
            sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
                .bind(first)
                .fetch_one(&db.owner)
                .await
                .unwrap();
        let r = get_as(
            addr,
            who,
            &format!("/api/clients/{client}/client-document/export"),
        )
        .await;
        assert_eq!(r.status, 200, "{first}: {}", r.body);
        let v = json(&r.body);
        assert_eq!(v["definition"], "1.2.246.537.6.1505.1.2023.6.1");
        assert!(v["document"]["asiakkuusasiakirja"]["asiakas"]["turvakielto"].is_boolean());
        assert!(v["document"]["asiakkuusasiakirja"]["asiakas"]
            .get("yhteystiedot")
            .is_none());
        assert!(
            v["document"]["asiakkuusasiakirja"]["sosiaalihuollon_asiakkuus"]
                ["asiakkuuden_alkamispvm"]
                .is_string()
        );
        let file = dir.join(format!("client-{client}.json"));
        std::fs::write(&file, &r.body).unwrap();
        files.push(file);
    }
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/data/sosmeta");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sosmeta/validate.mjs"
    );
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(schemas)
        .args(&files)
        .output()
        .expect("node runs the validator (./scripts/test installs ajv)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("valid ")).count(),
        files.len(),
        "{report}"
    );
    // The validator does reject what is wrong: a document without its client.
    let broken = dir.join("broken.json");
    let mut v = json(&std::fs::read_to_string(&files[0]).unwrap());
    let root = v["document"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .next()
        .unwrap();
    root.as_object_mut().unwrap().remove("asiakas");
    std::fs::write(&broken, v.to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(schemas)
        .arg(&broken)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the validator accepted a document without its client"
    );
}

#[tokio::test]
async fn a_child_welfare_notification_carries_its_deadlines_and_is_completed_only_when_decided() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{ella}/documents");
    // Each problem named by its field.
    let bad = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","kind":"child_welfare_notification","notification":{"received_on":"2026-11-10","reporter":"anonymous","reporter_surname":"Naapuri","channel":"phone","content":""}}"#,
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = json(&bad.body)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        ["notification.reporter_surname", "notification.content"]
    );
    // Issue 16: a reporter's first names and surname are separate fields;
    // a whole name is refused with its field named, not split by guess.
    let whole = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","kind":"child_welfare_notification","notification":{"received_on":"2026-11-10","reporter":"professional","reporter_name":"Olli Opettaja","channel":"electronic","content":"Ella on väsynyt.","urgency":"not_immediate"}}"#,
    )
    .await;
    assert_eq!(whole.status, 422, "{}", whole.body);
    let fields: Vec<String> = json(&whole.body)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "notification.reporter_name",
            "notification.reporter_first_names",
            "notification.reporter_surname"
        ]
    );
    let created = post_json(
        addr,
        &sari,
        &path,
        r#"{"service_task":"lastensuojelu","kind":"child_welfare_notification","notification":{"received_on":"2026-11-10","reporter":"professional","reporter_first_names":"Olli","reporter_surname":"Opettaja","reporter_title":"luokanopettaja","reporter_organisation":"Harjuniemen koulu","channel":"electronic","content":"Ella on ollut väsynyt ja poissa koulusta.","urgency":"not_immediate"}}"#,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = json(&created.body)["id"].as_i64().unwrap();
    let doc = json(
        &get_as(addr, &sari, &format!("/api/documents/{id}"))
            .await
            .body,
    );
    assert_eq!(doc["document"]["name"], "Lastensuojeluilmoitus");
    assert_eq!(doc["document"]["kind"], "child_welfare_notification");
    // Not completed before the decision on the assessment.
    let early = step(&db, addr, &sari, id, "complete").await;
    assert_eq!(early.status, 403);
    assert!(early.body.contains("decision"), "{}", early.body);
    // A narrative cannot be written over it.
    let other = http_with(
        addr,
        "PUT",
        &format!("/api/documents/{id}"),
        &[
            ("cookie", &sari),
            ("content-type", "application/json"),
            ("if-match", &tag_of(&db, id).await),
        ],
        Some(r#"{"entry":"daily_life","date":"2026-11-11","text":"x"}"#),
    )
    .await;
    assert_eq!(other.status, 403);
    let decided = http_with(
        addr,
        "PUT",
        &format!("/api/documents/{id}"),
        &[
            ("cookie", &sari),
            ("content-type", "application/json"),
            ("if-match", &tag_of(&db, id).await),
        ],
        Some(r#"{"kind":"child_welfare_notification","notification":{"received_on":"2026-11-10","reporter":"professional","reporter_first_names":"Olli","reporter_surname":"Opettaja","channel":"electronic","content":"Ella on ollut väsynyt ja poissa koulusta.","urgency":"not_immediate","decision":"start","decided_on":"2026-11-20","guardian_told_on":"2026-11-20"}}"#),
    )
    .await;
    assert_eq!(decided.status, 204, "{}", decided.body);
    assert_eq!(step(&db, addr, &sari, id, "complete").await.status, 204);
    // The page shows the deadlines: received Tuesday 10 November 2026, the
    // decision was due on the seventh weekday after (19 November), so the
    // decision of 20 November was late.
    let (page_cookie, _) = common::page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &page_cookie, &format!("/documents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("19.11.2026") && page.body.contains("10.2.2027"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Myöhässä"));
}

#[tokio::test]
async fn workers_and_supervisors_see_the_deadlines_and_what_is_late() {
    use common::page_session;
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    let start = get_as(addr, &sari, "/").await;
    assert_eq!(start.status, 200);
    let table = start
        .body
        .split(r#"id="deadlines-heading""#)
        .nth(1)
        .expect("the start page lists the deadlines");
    assert!(
        table.contains("Eetu Juhani Mäkinen") && table.contains("Ella"),
        "{table}"
    );
    assert_eq!(
        table.matches("Myöhässä").count(),
        1,
        "only Ella's is late: {table}"
    );
    assert!(table.contains("Ei vielä päätöstä"));
    let (leena, _) = page_session(addr, "leena.esihenkilo").await;
    let supervision = get_as(addr, &leena, "/supervision").await;
    assert!(
        supervision.body.contains(r#"id="deadlines-heading""#),
        "{}",
        supervision.body
    );
    let (pekka, _) = page_session(addr, "pekka.sosiaaliohjaaja").await;
    let other = get_as(addr, &pekka, "/").await;
    assert!(
        !other.body.contains(r#"id="deadlines-heading""#),
        "adult services see no child welfare deadlines"
    );
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE data = 'child welfare notification deadlines' AND allowed",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert!(logged >= 3);
}

#[tokio::test]
async fn a_guardians_answer_never_includes_what_a_minors_prohibition_covers() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let id = |first: &'static str| common::person_id(&db.owner, first);
    let (eetu, minna, jari, kalle) = (
        id("Eetu").await,
        id("Minna").await,
        id("Jari").await,
        id("Kalle").await,
    );
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    // Without a prohibition the guardian's answer lists Eetu's completed
    // documents, and the disclosure is logged.
    let answer = get_as(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/guardian-answer?guardian={minna}"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let a = json(&answer.body);
    assert_eq!(a["withheld"], false);
    let listed = a["documents"].as_array().unwrap().len();
    assert!(listed >= 3, "{a}");
    let disclosed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM disclosure_log WHERE client_id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(disclosed, 1);
    // A parent without custody is no guardian.
    assert_eq!(
        get_as(
            addr,
            &sari,
            &format!("/api/clients/{eetu}/guardian-answer?guardian={jari}")
        )
        .await
        .status,
        403
    );
    // A prohibition that was not accepted changes nothing.
    let today = kirjo_domain::calendar::helsinki_today();
    let not_accepted = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/minor-prohibitions"),
        &format!(
            r#"{{"made_on":"{today}","accepted":false,"reason":"Lapsi on 9-vuotias; kielto ei ole hänen etunsa mukainen.","age_and_maturity":"9-vuotias, ikätasoinen.","mature_enough":false,"weighty_reason":"Ei halua äidin tietävän koulusta.","clearly_against_interest":true,"child_told_on":"{today}"}}"#
        ),
    )
    .await;
    assert_eq!(not_accepted.status, 201, "{}", not_accepted.body);
    let a = json(
        &get_as(
            addr,
            &sari,
            &format!("/api/clients/{eetu}/guardian-answer?guardian={minna}"),
        )
        .await
        .body,
    );
    assert_eq!(a["withheld"], false);
    assert_eq!(a["documents"].as_array().unwrap().len(), listed);
    // An accepted one: nothing is given, and nothing more is disclosed.
    let accepted = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/minor-prohibitions"),
        &format!(
            r#"{{"made_on":"{today}","accepted":true,"reason":"Lapsi ei halua tietojaan äidille; ikä ja kehitystaso huomioiden hyväksytty.","age_and_maturity":"9-vuotias, ikätasoaan kypsempi.","mature_enough":true,"weighty_reason":"Pelkää äidin reaktiota.","clearly_against_interest":false,"child_told_on":"{today}"}}"#
        ),
    )
    .await;
    assert_eq!(accepted.status, 201);
    let a = json(
        &get_as(
            addr,
            &sari,
            &format!("/api/clients/{eetu}/guardian-answer?guardian={minna}"),
        )
        .await
        .body,
    );
    assert_eq!(a["withheld"], true);
    assert_eq!(a["documents"].as_array().unwrap().len(), 0);
    assert_eq!(a["prohibitions"].as_array().unwrap().len(), 2);
    let disclosed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM disclosure_log WHERE client_id = $1")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(
        disclosed, 2,
        "one answer before the prohibition, one after the refused one, none since"
    );
    // Only a minor's prohibition is recorded.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let adult = post_json(
        addr,
        &pekka,
        &format!("/api/clients/{kalle}/minor-prohibitions"),
        r#"{"made_on":"2026-11-02","accepted":true,"reason":"x"}"#,
    )
    .await;
    assert_eq!(adult.status, 403);
}

#[tokio::test]
async fn the_client_card_records_a_minors_prohibition_and_the_guardian_page_honours_it() {
    use common::{page_session, post_form};
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let minna: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Minna%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let (sari, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let card = get_as(addr, &sari, &format!("/clients/{ella}")).await;
    assert!(card.body.contains(r#"id="prohibition-heading""#));
    let link = format!("/clients/{ella}/guardian-answer?guardian={minna}");
    assert!(
        card.body.contains(&link.replace('&', "&amp;")) || card.body.contains(&link),
        "{}",
        card.body
    );
    let before = get_as(addr, &sari, &link).await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains("voidaan antaa huoltajalle"));
    let form_path = format!("/clients/{ella}/minor-prohibition");
    assert!(card.body.contains(&format!(r#"href="{form_path}""#)));
    // The form lists the child's documents to pick from, and reading the
    // list is a logged use.
    let form = get_as(addr, &sari, &form_path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let ella_docs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM document WHERE client_id = $1 AND state = 'completed' ORDER BY id",
    )
    .bind(ella)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert!(!ella_docs.is_empty());
    for (doc, _) in &ella_docs {
        assert!(
            form.body.contains(&format!(r#"name="doc-{doc}""#)),
            "doc {doc} listed"
        );
    }
    // Problems come back at their fields, with what was typed kept.
    let today = kirjo_domain::calendar::helsinki_today();
    let assessment = format!(
        "age_and_maturity=6-vuotias%2C+ik%C3%A4tasoaan+kyps%C3%A4&mature_enough=true&weighty_reason=Pelko&clearly_against_interest=false&child_told_on={today}"
    );
    let later = today + chrono::Days::new(17);
    let post = |body: String| {
        let (sari, form_path) = (sari.clone(), form_path.clone());
        async move { post_form(addr, &form_path, &sari, &body, &[]).await }
    };
    let incomplete = post(format!(
        "csrf={token}&made_on={today}&reason=Ellan+oma+toive&scope=some&{assessment}"
    ))
    .await;
    assert_eq!(incomplete.status, 422);
    assert!(
        incomplete.body.contains("Ellan oma toive"),
        "the reason is kept"
    );
    assert!(incomplete.body.contains(r##"href="#accepted-yes""##));
    assert!(incomplete.body.contains("Merkitse ainakin yksi asiakirja"));
    let broad = post(format!(
        "csrf={token}&made_on={today}&accepted=true&reason=x&scope=all&doc-{}=on&{assessment}",
        ella_docs[0].0
    ))
    .await;
    assert_eq!(
        broad.status, 422,
        "ticks with \"all\" are not silently dropped"
    );
    assert!(broad.body.contains("mutta merkitsit asiakirjoja"));
    assert!(
        !form.body.contains(" checked"),
        "the form chooses nothing for the worker"
    );
    let future = post(format!(
        "csrf={token}&made_on=2099-01-01&accepted=true&reason=x&scope=all&{assessment}"
    ))
    .await;
    assert_eq!(future.status, 422);
    assert!(future
        .body
        .contains("Päivämäärä ei voi olla tulevaisuudessa"));
    let none: i64 =
        sqlx::query_scalar("SELECT count(*) FROM minor_prohibition WHERE person_id = $1")
            .bind(ella)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(none, 0, "nothing with problems is stored");
    // One document ticked: the guardian's answer leaves out just that one.
    let (first, first_name) = &ella_docs[0];
    let limited = post(format!(
        "csrf={token}&made_on={today}&accepted=true&reason=Vain+yksi&scope=some&doc-{first}=on&{assessment}"
    ))
    .await;
    assert_eq!(limited.status, 303, "{}", limited.body);
    let series: Option<Vec<i64>> =
        sqlx::query_scalar("SELECT document_series FROM minor_prohibition WHERE person_id = $1")
            .bind(ella)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(series, Some(vec![*first]));
    let partial = get_as(addr, &sari, &link).await;
    assert!(
        !partial.body.contains(&format!("/documents/{first}\"")),
        "{first_name} withheld"
    );
    if let Some((second, _)) = ella_docs.get(1) {
        assert!(partial.body.contains(&format!("/documents/{second}\"")));
    }
    let r = post_form(
        addr,
        &format!("/clients/{ella}/minor-prohibition"),
        &sari,
        &format!(
            "csrf={token}&made_on={today}&accepted=true&reason=Lapsen+toive%2C+hyv%C3%A4ksytty&scope=all&{assessment}"
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = get_as(addr, &sari, &link).await;
    assert!(
        after
            .body
            .contains("Huoltajalle ei anneta lapsen asiakirjoja"),
        "{}",
        after.body
    );
    assert!(!after.body.contains("/documents/"), "no document is listed");
    // Ended from the card's form: problems come back as typed.
    let pid: i64 = sqlx::query_scalar(
        "SELECT id FROM minor_prohibition WHERE person_id = $1 AND document_series IS NULL",
    )
    .bind(ella)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let end_path = format!("/clients/{ella}/minor-prohibition/{pid}/end");
    let card = get_as(addr, &sari, &format!("/clients/{ella}")).await;
    assert!(card.body.contains(&end_path));
    let no_reason = post_form(
        addr,
        &end_path,
        &sari,
        &format!("csrf={token}&ended_on={later}&reason=+"),
        &[],
    )
    .await;
    assert_eq!(no_reason.status, 422);
    assert!(
        no_reason.body.contains(&format!(r#"value="{later}""#)),
        "the date is kept"
    );
    assert!(no_reason.body.contains(r#"id="end_reason-error""#));
    let too_early = post_form(
        addr,
        &end_path,
        &sari,
        &format!("csrf={token}&ended_on=2026-10-01&reason=Lapsi+peruutti"),
        &[],
    )
    .await;
    assert_eq!(too_early.status, 422);
    assert!(
        too_early.body.contains("Lapsi peruutti"),
        "the reason is kept"
    );
    assert!(too_early.body.contains(r#"id="ended_on-error""#));
    let ended = post_form(
        addr,
        &end_path,
        &sari,
        &format!("csrf={token}&ended_on={later}&reason=Lapsi+peruutti"),
        &[],
    )
    .await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let on: Option<chrono::NaiveDate> =
        sqlx::query_scalar("SELECT ended_on FROM minor_prohibition WHERE id = $1")
            .bind(pid)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(on, Some(later));
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn files_are_attached_to_drafts_checked_by_type_and_read_as_a_logged_use() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let outi = sign_in(addr, "outi.sijainen").await;
    let created = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        r#"{"service_task":"lastensuojelu","entry":"daily_life","date":"2026-11-18","text":"Liitteenä koulun lausunto."}"#,
    )
    .await;
    let doc = json(&created.body)["id"].as_i64().unwrap();
    let attach = |name: &str, kind: &str, bytes: &[u8]| {
        format!(
            r#"{{"file_name":"{name}","media_type":"{kind}","content_base64":"{}"}}"#,
            b64(bytes)
        )
    };
    let pdf = b"%PDF-1.4\n% Harjuniemen koulu: lausunto\n%%EOF\n".to_vec();
    let path = format!("/api/documents/{doc}/attachments");
    // Refused before the database: a type not allowed, bytes not of the
    // type given, a path in the name, too large.
    for (body, why) in [
        (
            attach("ohjelma.exe", "application/octet-stream", b"MZ"),
            "type",
        ),
        (attach("kuva.png", "image/png", &pdf), "content"),
        (attach("../lausunto.pdf", "application/pdf", &pdf), "name"),
        (
            attach("iso.txt", "text/plain", &vec![b'a'; 10 * 1024 * 1024 + 1]),
            "10 MiB",
        ),
    ] {
        let r = post_json(addr, &sari, &path, &body).await;
        assert_eq!(r.status, 422, "{why}: {}", r.body);
        assert!(r.body.contains(why), "{}", r.body);
    }
    let ok = post_json(
        addr,
        &sari,
        &path,
        &attach("lausunto.pdf", "application/pdf", &pdf),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let file = json(&ok.body)["id"].as_i64().unwrap();
    // Only the draft's author adds files, and reads them while it is a draft.
    assert_eq!(
        post_json(addr, &outi, &path, &attach("x.txt", "text/plain", b"x"))
            .await
            .status,
        403
    );
    assert_eq!(
        get_as(addr, &outi, &format!("/api/attachments/{file}"))
            .await
            .status,
        403
    );
    assert_eq!(step(&db, addr, &sari, doc, "complete").await.status, 204);
    // Completed: no more files; the team reads it, as a logged use.
    assert_eq!(
        post_json(addr, &sari, &path, &attach("y.txt", "text/plain", b"y"))
            .await
            .status,
        403
    );
    let got = get_as(addr, &outi, &format!("/api/attachments/{file}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body.as_bytes(), &pdf[..]);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(
        got.header("content-disposition"),
        Some("attachment; filename=\"lausunto.pdf\"")
    );
    assert_eq!(got.header("cache-control"), Some("no-store"));
    let read: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE data = $1 AND allowed")
        .bind(format!("attachment:{file}"))
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(read, 1);
    // The document lists it with its checksum; the file never changes.
    let d = json(
        &get_as(addr, &sari, &format!("/api/documents/{doc}"))
            .await
            .body,
    );
    assert_eq!(d["attachments"][0]["file_name"], "lausunto.pdf");
    assert_eq!(d["attachments"][0]["sha256"].as_str().unwrap().len(), 64);
    let changed = sqlx::query("UPDATE document_attachment SET file_name = 'x' WHERE id = $1")
        .bind(file)
        .execute(&db.owner)
        .await;
    assert!(changed.is_err());
    // A correction keeps the files of the version it corrects.
    let v2 = post_json(
        addr,
        &sari,
        &format!("/api/documents/{doc}/corrections"),
        r#"{"entry":"daily_life","date":"2026-11-18","text":"Liitteenä koulun lausunto (5. lk).","reason":"Luokka puuttui."}"#,
    )
    .await;
    assert_eq!(v2.status, 201, "{}", v2.body);
    let v2 = json(&v2.body)["id"].as_i64().unwrap();
    let corrected = json(
        &get_as(addr, &sari, &format!("/api/documents/{v2}"))
            .await
            .body,
    );
    assert_eq!(corrected["attachments"][0]["id"].as_i64(), Some(file));
    assert_eq!(
        corrected["attachments"][0]["document_id"].as_i64(),
        Some(doc)
    );
    let page = get_as(addr, &outi, &format!("/documents/{v2}")).await;
    assert!(
        page.body.contains(&format!("/attachments/{file}")),
        "listed on the new version's page"
    );
    // Adult services read no child-welfare files.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    assert_eq!(
        get_as(addr, &pekka, &format!("/api/attachments/{file}"))
            .await
            .status,
        403
    );
}

/// A `multipart/form-data` body as a browser sends a file input, with the
/// form's token when there is one.
fn upload_body(token: Option<&str>, file_name: &str, media_type: &str, content: &str) -> String {
    let mut body = String::new();
    if let Some(t) = token {
        body.push_str(&format!(
            "--KirjoTestRaja\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n"
        ));
    }
    body.push_str(&format!(
        "--KirjoTestRaja\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {media_type}\r\n\r\n{content}\r\n--KirjoTestRaja--\r\n"
    ));
    body
}

#[tokio::test]
async fn files_are_attached_from_the_page_with_the_form_token_and_explained_when_refused() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let created = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        r#"{"service_task":"lastensuojelu","entry":"daily_life","date":"2026-11-18","text":"Koulun muistio liitteenä."}"#,
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let doc = json(&created.body)["id"].as_i64().unwrap();
    let (cookie, token) = common::page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(addr, &cookie, &format!("/documents/{doc}")).await;
    assert!(
        page.body.contains(r#"enctype="multipart/form-data""#),
        "the author's draft offers a file field"
    );
    let send = |cookie: String, body: String| async move {
        http_with(
            addr,
            "POST",
            &format!("/documents/{doc}/attachments"),
            &[
                ("cookie", cookie.as_str()),
                (
                    "content-type",
                    "multipart/form-data; boundary=KirjoTestRaja",
                ),
            ],
            Some(&body),
        )
        .await
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM document_attachment WHERE document_id = $1",
        )
        .bind(doc)
        .fetch_one(&db.owner)
        .await
        .unwrap()
    };
    // Without the form's token the upload is refused as cross-site.
    let r = send(
        cookie.clone(),
        upload_body(None, "muistio.txt", "text/plain", "muistio"),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let big = "a".repeat(10 * 1024 * 1024 + 100 * 1024);
    let r = send(
        cookie.clone(),
        upload_body(None, "iso.txt", "text/plain", &big),
    )
    .await;
    assert_eq!(r.status, 403, "too large and without the token: refused");
    // Not signed in: sent to sign in before any of the body is read.
    let anon = http_with(
        addr,
        "POST",
        &format!("/documents/{doc}/attachments"),
        &[(
            "content-type",
            "multipart/form-data; boundary=KirjoTestRaja",
        )],
        Some(&upload_body(Some(&token), "m.txt", "text/plain", "x")),
    )
    .await;
    assert_eq!(anon.status, 303, "{}", anon.body);
    assert!(anon
        .header("location")
        .is_some_and(|l| l.starts_with("/sign-in")));
    // Only the upload form is multipart: no other form takes a large body.
    let other = http_with(
        addr,
        "POST",
        &format!("/documents/{doc}/edit"),
        &[
            ("cookie", cookie.as_str()),
            (
                "content-type",
                "multipart/form-data; boundary=KirjoTestRaja",
            ),
        ],
        Some(&upload_body(Some(&token), "muistio.txt", "text/plain", "x")),
    )
    .await;
    assert_eq!(other.status, 415, "{}", other.body);
    assert!(other.body.contains("a page takes a form"), "{}", other.body);
    // What is refused comes back as the page, the reason next to the field.
    for (body, says) in [
        (
            upload_body(
                Some(&token),
                "ohjelma.exe",
                "application/x-msdownload",
                "MZ",
            ),
            "Tätä tiedostotyyppiä ei voi liittää",
        ),
        (
            upload_body(Some(&token), "kuva.png", "image/png", "ei kuva"),
            "Tiedoston sisältö ei vastaa sen tyyppiä (image/png)",
        ),
        (
            upload_body(Some(&token), "", "application/octet-stream", ""),
            "Valitse liitettävä tiedosto",
        ),
        (
            upload_body(Some(&token), "tyhja.txt", "text/plain", ""),
            "Tiedosto on tyhjä",
        ),
        (
            upload_body(Some(&token), "iso.txt", "text/plain", &big),
            "Tiedosto on suurempi kuin 10 Mt",
        ),
        (
            upload_body(Some(&token), "rivi\u{7}vaihto.txt", "text/plain", "x"),
            "Tiedoston nimi puuttuu",
        ),
    ] {
        let r = send(cookie.clone(), body).await;
        assert_eq!(
            r.status,
            422,
            "{says}: {}",
            &r.body[..r.body.len().min(300)]
        );
        assert!(r.body.contains(says), "{says}");
        assert!(r.body.contains(r#"aria-invalid="true""#), "{says}");
    }
    assert_eq!(count().await, 0, "nothing refused is stored");
    // A type the browser cannot name is taken from the file name.
    let ok = send(
        cookie.clone(),
        upload_body(
            Some(&token),
            "koulun muistio.txt",
            "application/octet-stream",
            "Eetu on ollut koulussa joka päivä.",
        ),
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(
        ok.header("location"),
        Some(format!("/documents/{doc}#files").as_str())
    );
    let (name, kind, size): (String, String, i32) = sqlx::query_as(
        "SELECT file_name, media_type, size_bytes FROM document_attachment WHERE document_id = $1",
    )
    .bind(doc)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), kind.as_str(), size),
        (
            "koulun muistio.txt",
            "text/plain",
            "Eetu on ollut koulussa joka päivä.".len() as i32
        )
    );
    let page = get_as(addr, &cookie, &format!("/documents/{doc}")).await;
    assert!(
        page.body.contains("koulun muistio.txt"),
        "listed on the page"
    );
    // Only the draft's author attaches.
    let (outi, outi_token) = common::page_session(addr, "outi.sijainen").await;
    let r = send(
        outi,
        upload_body(Some(&outi_token), "x.txt", "text/plain", "x"),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(count().await, 1);
}

/// A value that passes a field of its type, as typed.
fn sample(f: &kirjo_domain::forms::Field) -> serde_json::Value {
    use kirjo_domain::forms::Type;
    let today = chrono::Utc::now().date_naive().to_string();
    match &f.ty {
        Type::Text | Type::LongText => serde_json::json!(format!("{} – testi", f.key)),
        Type::Date { .. } => serde_json::json!(today),
        Type::Bool => serde_json::json!(true),
        Type::Number { min, .. } => serde_json::json!(min),
        Type::Choice(c) => serde_json::json!(c.options[0].value),
        Type::Name => serde_json::json!("Testi Tekijä"),
        // Replaced by a real user where the test writes it.
        Type::StaffUser => serde_json::json!("1"),
    }
}

#[tokio::test]
async fn every_form_kind_round_trips_through_the_api_and_exports() {
    use kirjo_domain::forms::specs;
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let (eetu, kalle) = (
        common::person_id(&db.owner, "Eetu").await,
        common::person_id(&db.owner, "Kalle").await,
    );
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let sari_id: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'sari.sosiaalityontekija'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    for spec in specs() {
        let (who, client, task) = match spec.kind {
            "activation_plan" => (&pekka, kalle, "kuntouttava_tyotoiminta"),
            "application" => (&sari, eetu, "lapsiperheiden_kotipalvelu"),
            _ => (&sari, eetu, "lastensuojelu"),
        };
        let mut fields: serde_json::Map<String, serde_json::Value> = spec
            .fields
            .iter()
            .map(|f| (f.key.to_owned(), sample(f)))
            .collect();
        if spec.kind == "decision" {
            // Sari names herself the decision maker, and the legal basis
            // one with an appeal template (docs/decisions.md).
            fields.insert("decision_maker".into(), serde_json::json!(sari_id));
            fields.insert(
                "legal_basis".into(),
                serde_json::json!("Lastensuojelulaki (417/2007) 36 §"),
            );
        }
        let mut body = serde_json::json!({
            "kind": spec.kind, "service_task": task, "fields": fields,
        });
        if spec.parties {
            body["parties"] = serde_json::json!([
                { "name": "Minna Mäkinen", "method": "letter_with_receipt", "served_on": "" }
            ]);
        }
        // Metadata cannot be given.
        let mut forged = body.clone();
        forged["author_name"] = serde_json::json!("Joku Muu");
        let r = post_json(
            addr,
            who,
            &format!("/api/clients/{client}/documents"),
            &forged.to_string(),
        )
        .await;
        assert!(
            r.status == 400 || r.status == 422,
            "{}: {}",
            spec.kind,
            r.body
        );
        let r = post_json(
            addr,
            who,
            &format!("/api/clients/{client}/documents"),
            &body.to_string(),
        )
        .await;
        assert_eq!(r.status, 201, "{}: {}", spec.kind, r.body);
        let id = json(&r.body)["id"].as_i64().unwrap();
        let doc = json(
            &get_as(addr, who, &format!("/api/documents/{id}"))
                .await
                .body,
        );
        let d = &doc["document"];
        assert_eq!(d["kind"], spec.kind);
        assert_eq!(d["definition_oid"], spec.definition_oid);
        assert_eq!(d["name"], spec.name(kirjo_domain::contact::Lang::Fi));
        for (k, v) in &fields {
            assert_eq!(&d["content"][k], v, "{}.{k}", spec.kind);
        }
        assert!(d["author_name"]
            .as_str()
            .unwrap()
            .contains(if spec.kind == "activation_plan" {
                "Pekka"
            } else {
                "Sari"
            }));
        assert!(d["client_identity_code"].is_string());
        if spec.parties {
            assert_eq!(d["content"]["parties"][0]["method"], "letter_with_receipt");
        }
        let how = if spec.kind == "decision" {
            "decide"
        } else {
            "complete"
        };
        let done = step(&db, addr, who, id, how).await;
        assert_eq!(done.status, 204, "{}: {}", spec.kind, done.body);
        let e = get_as(addr, who, &format!("/api/documents/{id}/export")).await;
        assert_eq!(e.status, 200, "{}: {}", spec.kind, e.body);
        let e = json(&e.body);
        assert_eq!(e["definition"], spec.definition_oid);
        assert!(e["document"][spec.root].is_object(), "{}: {e}", spec.kind);
        assert_eq!(e["kirjo"]["kind"], spec.kind);
    }
    // A field the kind does not have, and a required one missing, are named.
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents?lang=en"),
        r#"{"kind":"statement","service_task":"lastensuojelu","fields":{"date":"2026-11-02","mood":"x"}}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let errors = json(&r.body)["errors"].to_string();
    for field in ["fields.mood", "fields.recipient", "fields.content"] {
        assert!(errors.contains(field), "{field} in {errors}");
    }
    // A kind is written only under the service tasks it belongs to.
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        r#"{"kind":"activation_plan","service_task":"lastensuojelu","fields":{"date":"2026-11-02","participants":"x","goals":"x","measures":"x"}}"#,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A decision's decision maker is a staff user, not a typed name; and a
    // decision is not completed as a draft but decided by that user
    // (crates/kirjo/tests/decisions.rs).
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        r#"{"kind":"decision","service_task":"lastensuojelu","fields":{"date":"2026-11-02","outcome":"negative","service":"social_work","decision_text":"x","legal_basis":"LsL 36 §","decision_maker":"Liisa Esimies"},"parties":[{"name":"Minna Mäkinen","method":"handed","served_on":"2026-11-02"}]}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("fields.decision_maker"), "{}", r.body);
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/documents"),
        &format!(r#"{{"kind":"decision","service_task":"lastensuojelu","fields":{{"date":"2026-11-02","outcome":"negative","service":"social_work","decision_text":"x","legal_basis":"LsL 36 §","decision_maker":"{sari_id}"}},"parties":[{{"name":"Minna Mäkinen","method":"handed","served_on":"2026-11-02"}}]}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = json(&r.body)["id"].as_i64().unwrap();
    let done = step(&db, addr, &sari, id, "complete").await;
    assert_eq!(done.status, 403, "{}", done.body);
}

#[tokio::test]
async fn a_prohibition_limited_to_some_documents_withholds_those_and_ends() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let (eetu, ella, minna) = (
        common::person_id(&db.owner, "Eetu").await,
        common::person_id(&db.owner, "Ella").await,
        common::person_id(&db.owner, "Minna").await,
    );
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let answer = |sari: String| async move {
        json(
            &get_as(
                addr,
                &sari,
                &format!("/api/clients/{eetu}/guardian-answer?guardian={minna}"),
            )
            .await
            .body,
        )
    };
    let before = answer(sari.clone()).await;
    let listed: Vec<i64> = before["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let statement: i64 = sqlx::query_scalar(
        "SELECT id FROM document WHERE client_id = $1 AND kind = 'statement' AND state = 'completed'",
    )
    .bind(eetu)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert!(listed.contains(&statement));
    // Another child's document cannot be named.
    let other: i64 = sqlx::query_scalar("SELECT id FROM document WHERE client_id = $1 LIMIT 1")
        .bind(ella)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let today = kirjo_domain::calendar::helsinki_today();
    let assessment = format!(
        r#""age_and_maturity":"9-vuotias, ikätasoaan kypsempi.","mature_enough":true,"weighty_reason":"Lausunnossa kerrotaan asioita, joita Eetu ei halua äidin tietävän.","clearly_against_interest":false,"child_told_on":"{today}""#
    );
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/minor-prohibitions"),
        &format!(
            r#"{{"made_on":"{today}","accepted":true,"reason":"x","documents":[{other}],{assessment}}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = post_json(
        addr,
        &sari,
        &format!("/api/clients/{eetu}/minor-prohibitions"),
        &format!(r#"{{"made_on":"{today}","accepted":true,"reason":"Eetu ei halua lausuntoa äidille.","documents":[{statement}],{assessment}}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let pid = json(&r.body)["id"].as_i64().unwrap();
    let limited = answer(sari.clone()).await;
    assert_eq!(limited["withheld"], false);
    assert_eq!(limited["withheld_documents"], 1);
    let now: Vec<i64> = limited["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert!(!now.contains(&statement), "{limited}");
    assert_eq!(now.len(), listed.len() - 1);
    // Ending it needs a reason and a day not before today (never
    // backdated): each refused at its field.
    let end = format!("/api/clients/{eetu}/minor-prohibitions/{pid}/end");
    assert_eq!(
        post_json(
            addr,
            &sari,
            &end,
            &format!(r#"{{"ended_on":"{today}","reason":" "}}"#)
        )
        .await
        .status,
        422
    );
    assert_eq!(
        post_json(
            addr,
            &sari,
            &end,
            r#"{"ended_on":"2026-10-01","reason":"Peruttu."}"#
        )
        .await
        .status,
        422
    );
    let r = post_json(
        addr,
        &sari,
        &end,
        &format!(r#"{{"ended_on":"{today}","reason":"Eetu perui kiellon."}}"#),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let after = answer(sari.clone()).await;
    assert_eq!(after["withheld_documents"], 0);
    assert!(after["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == statement));
    // Ended once; the record keeps who ended it and why.
    assert_eq!(
        post_json(
            addr,
            &sari,
            &end,
            &format!(r#"{{"ended_on":"{today}","reason":"x"}}"#)
        )
        .await
        .status,
        409
    );
    let (reason, by): (String, Option<i64>) =
        sqlx::query_as("SELECT end_reason, ended_by FROM minor_prohibition WHERE id = $1")
            .bind(pid)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(reason, "Eetu perui kiellon.");
    assert!(by.is_some());
}

#[tokio::test]
async fn a_long_timeline_comes_a_page_at_a_time_in_the_api_and_the_pages() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let path = format!("/api/clients/{ella}/documents");
    let before = json(&get_as(addr, &sari, &path).await.body)["total"]
        .as_i64()
        .unwrap();
    for day in 0..105 {
        let r = post_json(
            addr,
            &sari,
            &path,
            &format!(
                r#"{{"service_task":"lastensuojelu","entry":"daily_life","date":"2026-0{}-{:02}","text":"Arki {day}."}}"#,
                1 + day / 28,
                1 + day % 28
            ),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let total = before + 105;
    let first = json(&get_as(addr, &sari, &path).await.body);
    assert_eq!(first["total"], total);
    assert_eq!(first["page"], 1);
    assert_eq!(first["documents"].as_array().unwrap().len(), 100);
    let second = json(&get_as(addr, &sari, &format!("{path}?page=2")).await.body);
    let rest = second["documents"].as_array().unwrap();
    assert_eq!(rest.len() as i64, total - 100);
    // Newest first across the pages: no document on both, none left out.
    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect()
    };
    let mut all = ids(&first);
    all.extend(ids(&second));
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len() as i64, total);
    // A page that is not one is refused, naming the field.
    let bad = get_as(addr, &sari, &format!("{path}?page=0")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(json(&bad.body)["errors"][0]["field"], "page");
    // The page links to the next page, keeping the filter.
    let (page_session, _) = common::page_session(addr, "sari.sosiaalityontekija").await;
    let page = get_as(
        addr,
        &page_session,
        &format!("/clients/{ella}/documents?kind=narrative"),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!(
            "/clients/{ella}/documents?page=2&#38;kind=narrative"
        )),
        "{}",
        page.body
    );
    let bad = get_as(
        addr,
        &page_session,
        &format!("/clients/{ella}/documents?page=x"),
    )
    .await;
    assert_eq!(bad.status, 422);
}

/// Issue 17, the start page as a worklist: the worker's own drafts to
/// resume and the clients she opened lately, each a logged list that
/// records the clients it showed, and only clients she may still see.
#[tokio::test]
async fn the_start_page_lists_my_drafts_and_the_clients_i_opened_lately() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let (sari, _) = common::page_session(addr, "sari.sosiaalityontekija").await;
    let sari_id: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'sari.sosiaalityontekija'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let draft: i64 = sqlx::query_scalar(
        "SELECT id FROM document WHERE author_id = $1 AND state = 'draft' ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(sari_id)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    let start = get_as(addr, &sari, "/").await;
    assert_eq!(start.status, 200, "{}", start.body);
    assert!(
        start.body.contains("Keskeneräiset luonnokseni"),
        "{}",
        start.body
    );
    assert!(
        start.body.contains(&format!("href=\"/documents/{draft}\"")),
        "{}",
        start.body
    );
    // She opens Eetu's card: he is on her list of clients opened lately.
    let eetu = common::person_id(&db.owner, "Eetu").await;
    assert_eq!(
        get_as(addr, &sari, &format!("/clients/{eetu}"))
            .await
            .status,
        200
    );
    let start = get_as(addr, &sari, "/").await;
    let recent = start
        .body
        .split("id=\"recent-heading\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        recent.contains(&format!("href=\"/clients/{eetu}\"")),
        "{}",
        start.body
    );
    // Each list is a logged use that names the clients it showed.
    let shown: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE user_id = $1 AND client_id = $2
            AND action = 'shown_in_list' AND data LIKE '%recently opened clients%'",
    )
    .bind(sari_id)
    .bind(eetu)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert!(shown >= 1, "the recent list's row for Eetu");
    // A client she may no longer see drops off both lists.
    sqlx::query("UPDATE client_relationship SET ended_on = kirjo_today() - 1, end_reason = 'asiakkuus päättyi', started_on = least(started_on, kirjo_today() - 2) WHERE client_id = $1")
        .bind(eetu)
        .execute(&db.owner)
        .await
        .unwrap();
    let start = get_as(addr, &sari, "/").await;
    assert!(
        !start.body.contains(&format!("href=\"/clients/{eetu}\"")),
        "{}",
        start.body
    );
}
