//! The use log's pages: a client's log extract for the data protection
//! officer, the user's own trail, and the supervisor's samples.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, page_session, post_form, post_json, serve_with};

fn sessions() -> kirjo_web::SessionSettings {
    kirjo_web::SessionSettings {
        failure_delay_ms: 1,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_dpo_finds_a_data_subject_by_identity_code_and_sees_only_their_log() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (eetu, eetu_code): (i64, String) =
        sqlx::query_as("SELECT id, identity_code FROM person WHERE first_names LIKE 'Eetu%'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let ella: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Ella%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    // Sari opens both children.
    let (sari, sari_token) = page_session(addr, "sari.sosiaalityontekija").await;
    assert_eq!(
        get_as(addr, &sari, &format!("/clients/{eetu}"))
            .await
            .status,
        200
    );
    assert_eq!(
        get_as(addr, &sari, &format!("/clients/{ella}"))
            .await
            .status,
        200
    );
    // Sari may not make extracts.
    let r = post_form(
        addr,
        "/data-protection/extract",
        &sari,
        &format!("csrf={sari_token}&identity_code={eetu_code}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 403);
    // The DPO (TOTP enrolled here through the API helper) does.
    let (dpo, token) = page_session(addr, "sanna.tietosuoja").await;
    let r = post_form(
        addr,
        "/data-protection/extract",
        &dpo,
        &format!("csrf={token}&identity_code={eetu_code}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/clients/{eetu}/log").as_str())
    );
    let page = get_as(addr, &dpo, &format!("/clients/{eetu}/log")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Sari Saarinen") && page.body.contains("view_basic_data"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    // Only Eetu's uses: as many rows as the log holds for him.
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM use_log WHERE client_id = $1 AND allowed")
            .bind(eetu)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    // Every one of Eetu's uses, this extract's own row included.
    assert_eq!(page.body.matches("<tr><td>").count() as i64, rows);
    assert!(!page.body.contains(&format!("client {ella}")));
    // The lookup and the extract are both in the log.
    let logged: Vec<String> = sqlx::query_scalar(
        "SELECT data FROM use_log WHERE action = 'view_log_extract' AND allowed ORDER BY id",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert!(logged[0].contains("finding the data subject"), "{logged:?}");
    assert!(
        logged.iter().any(|d| d.starts_with("log extract")),
        "{logged:?}"
    );
    // A bad period says so.
    let bad = get_as(
        addr,
        &dpo,
        &format!("/clients/{eetu}/log?from=2026-02-01&to=2026-01-01"),
    )
    .await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn the_own_trail_shows_what_the_user_did() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    assert_eq!(
        get_as(addr, &sari, "/search?name=M%C3%A4kinen")
            .await
            .status,
        200
    );
    let trail = get_as(addr, &sari, "/account/trail").await;
    assert_eq!(trail.status, 200);
    assert!(
        trail.body.contains("sign_in") && trail.body.contains("search"),
        "{}",
        trail.body
    );
}

#[tokio::test]
async fn a_long_trail_comes_in_pages_of_two_hundred_rows() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    for _ in 0..205 {
        assert_eq!(
            get_as(addr, &sari, "/search?name=Virtanen").await.status,
            200
        );
    }
    let user: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'sari.sosiaalityontekija'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let first = get_as(addr, &sari, "/account/trail").await;
    assert_eq!(first.status, 200);
    // Rows logged before this page was drawn; the page counts them itself.
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE user_id = $1")
        .bind(user)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert!(total > 205, "{total}");
    assert_eq!(first.body.matches("<tr><td>").count(), 200);
    // The next page keeps the period the first page showed.
    let next = first
        .body
        .split("<a href=\"")
        .filter_map(|a| a.split_once("\" rel=\"next\""))
        .map(|(href, _)| href.replace("&#38;", "&"))
        .next()
        .unwrap_or_else(|| panic!("no next link: {}", first.body));
    assert!(
        next.starts_with("/account/trail?from=") && next.ends_with("&page=2"),
        "{next}"
    );
    assert!(!first.body.contains(r#"rel="prev""#));
    let second = get_as(addr, &sari, &next).await;
    assert_eq!(second.status, 200);
    // The rest of the period, the trail's own two reads counted in it.
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE user_id = $1")
        .bind(user)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(
        second.body.matches("<tr><td>").count() as i64,
        after - 200,
        "{}",
        second.body
    );
    assert!(second.body.contains(r#"rel="prev""#));
    assert!(!second.body.contains(r#"rel="next""#));
    // A page number that is not one is refused, saying why.
    for bad in ["x", "0", "-3", "99999999999999999999"] {
        let r = get_as(addr, &sari, &format!("/account/trail?page={bad}")).await;
        assert_eq!(r.status, 422, "{bad}");
        assert!(r.body.contains("Sivun numero"), "{}", r.body);
    }
    // The API answers the same pages, with where it is.
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let one = get_as(addr, &sari, "/api/me/trail").await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = json(&one.body);
    assert_eq!(
        (one["page"].as_i64(), one["page_size"].as_i64()),
        (Some(1), Some(200))
    );
    assert_eq!(one["uses"].as_array().unwrap().len(), 200);
    let total = one["total"].as_i64().unwrap();
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE user_id = $1")
        .bind(user)
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(
        total, logged,
        "the period's rows (reading one's trail is not logged)"
    );
    let two = json(&get_as(addr, &sari, "/api/me/trail?page=2").await.body);
    assert_eq!(two["page"].as_i64(), Some(2));
    assert_eq!(two["total"].as_i64(), Some(total));
    let second: Vec<i64> = two["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(second.len() as i64, total - 200);
    // The pages meet: the second starts after the first's last row.
    let last_of_first = one["uses"][199]["id"].as_i64().unwrap();
    assert!(second.iter().all(|id| *id > last_of_first), "{second:?}");
    // Past the end: an empty page, not an error.
    let past = json(&get_as(addr, &sari, "/api/me/trail?page=9").await.body);
    assert_eq!(past["uses"].as_array().map(Vec::len), Some(0));
    // The CSV is the whole period.
    let csv = get_as(addr, &sari, "/api/me/trail?format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.lines().count() as i64 > total,
        "header and every row"
    );
    for bad in ["x", "0", "-3", "99999999999999999999"] {
        let r = get_as(addr, &sari, &format!("/api/me/trail?page={bad}")).await;
        assert_eq!(r.status, 422, "{bad}");
        let v = json(&r.body);
        assert_eq!(v["errors"][0]["field"], "page", "{}", r.body);
    }
}

#[tokio::test]
async fn a_supervisor_draws_a_sample_of_the_units_accesses_and_records_the_review() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    assert_eq!(
        get_as(addr, &sari, &format!("/clients/{eetu}"))
            .await
            .status,
        200
    );
    let (leena, token) = page_session(addr, "leena.esihenkilo").await;
    let page = get_as(addr, &leena, "/supervision").await;
    assert!(
        page.body.contains(r#"action="/supervision/samples""#),
        "{}",
        page.body
    );
    let today = chrono::Utc::now().date_naive();
    let r = post_form(
        addr,
        "/supervision/samples",
        &leena,
        &format!(
            "csrf={token}&unit=perheyksikko&from={}&to={today}&size=5",
            today - chrono::Duration::days(1)
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let at = r.header("location").unwrap().to_owned();
    let sample = get_as(addr, &leena, &at).await;
    assert_eq!(sample.status, 200);
    assert!(sample.body.contains("Sari Saarinen"), "{}", sample.body);
    let log_id = sample
        .body
        .split(&format!("action=\"{at}/items/"))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let r = post_form(
        addr,
        &format!("{at}/items/{log_id}"),
        &leena,
        &format!("csrf={token}&outcome=justified&note=oma+asiakas"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = get_as(addr, &leena, &at).await;
    assert!(after.body.contains("oma asiakas"));
    let reviews: i64 = sqlx::query_scalar("SELECT count(*) FROM monitoring_sample_review")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(reviews, 1);
    // Another unit's supervisor cannot draw this unit's sample.
    let (matti, matti_token) = page_session(addr, "matti.esihenkilo").await;
    let r = post_form(
        addr,
        "/supervision/samples",
        &matti,
        &format!("csrf={matti_token}&unit=perheyksikko&size=5"),
        &[],
    )
    .await;
    assert_eq!(r.status, 403);
}

/// Issue 15, finding 6: every flag was its own line on the DPO's page and
/// in the API. A user's repeated flags of one kind on one day are one
/// review item (count, first and last time, log rows), reviewed at once.
#[tokio::test]
async fn the_dpo_reviews_a_users_repeated_flags_of_a_day_as_one_item() {
    use kirjo_store::{audit, monitoring};
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(), kirjo_web::UiSettings::default()).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari = common::sign_in(addr, "sari.sosiaalityontekija").await;
    for _ in 0..5 {
        let r = get_as(addr, &sari, &format!("/api/clients/{eetu}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let key = audit::SigningKey::from_seed(&[17u8; 32]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        audit::seal_once(&db.runtime, &key).await.unwrap();
        let state = audit::seal_state(&db.runtime).await.unwrap();
        if state.use_log.unsealed_rows == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "rows stayed unsealed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let strict = monitoring::MonitorSettings {
        working_hours: (25, 25), // every hour is outside these
        clients_per_hour: 1000,
        ..Default::default()
    };
    monitoring::scan(&db.runtime, &strict).await.unwrap();
    let sari_id: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'sari.sosiaalityontekija'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    let dpo = common::sign_in(addr, "sanna.tietosuoja").await;
    let items = |body: &str| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["items"].as_array().unwrap().clone()
    };
    let r = get_as(addr, &dpo, "/api/monitoring/items").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let found = items(&r.body);
    let mine: Vec<&serde_json::Value> = found
        .iter()
        .filter(|i| i["user_id"] == sari_id && i["kind"] == "outside_working_hours")
        .collect();
    assert_eq!(mine.len(), 1, "{found:?}");
    let item = mine[0];
    let count = item["count"].as_i64().unwrap();
    assert!(count >= 5, "{item}");
    assert_eq!(item["use_log_ids"].as_array().unwrap().len() as i64, count);
    assert!(item["first_at"].as_str().unwrap() < item["last_at"].as_str().unwrap());
    let id = item["id"].as_i64().unwrap();
    // The page shows the item once, with its count and its review form.
    let (dpo_page, _) = page_session(addr, "sanna.tietosuoja").await;
    let page = get_as(addr, &dpo_page, "/data-protection").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("action=\"/data-protection/items/{id}\"")),
        "{}",
        page.body
    );
    let r = post_json(
        addr,
        &dpo,
        &format!("/api/monitoring/items/{id}/review"),
        r#"{"outcome":"justified","note":"oma asiakas"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["reviewed"].as_i64(), Some(count));
    let r = get_as(addr, &dpo, "/api/monitoring/items").await;
    assert!(
        !items(&r.body)
            .iter()
            .any(|i| i["user_id"] == sari_id && i["kind"] == "outside_working_hours"),
        "{}",
        r.body
    );
}
