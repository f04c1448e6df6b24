//! Sign-in with a second factor, password age, and the pages' own guards
//! (CSRF token, same origin, no caching, revocation), over real HTTP
//! against a real PostgreSQL with the demo organisation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    demo_db, form_token, get_as, page_session, post_form, post_json, second_factor, serve_with,
};
use kirjo_access::Role;
use kirjo_testkit::TestDb;
use kirjo_web::account::totp;
use std::net::SocketAddr;

fn sessions(roles: Vec<Role>) -> kirjo_web::SessionSettings {
    kirjo_web::SessionSettings {
        second_factor_roles: roles,
        failure_delay_ms: 1,
        ..Default::default()
    }
}

fn ui() -> kirjo_web::UiSettings {
    let loaded = kirjo::config::load(kirjo::config::ConfigSource::BuiltInDemo, &|_| None).unwrap();
    kirjo_web::UiSettings {
        purposes: loaded.config.register.access_purposes.clone(),
        tls: false,
    }
}

async fn password_step(addr: SocketAddr, username: &str) -> (String, serde_json::Value) {
    let (status, cookie, answer) = common::password_step(addr, username).await;
    assert_eq!(status, 200, "{answer}");
    (cookie, answer)
}

async fn events(db: &TestDb, action: &str) -> Vec<(bool, String)> {
    sqlx::query_as("SELECT allowed, explanation FROM use_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&db.owner)
        .await
        .unwrap()
}

fn now_step() -> i64 {
    totp::step_of(chrono::Utc::now().timestamp())
}

#[tokio::test]
async fn a_role_that_requires_a_second_factor_enrols_before_anything_else() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(
        &db,
        settings,
        sessions(vec![Role::DataProtectionOfficer]),
        ui(),
    )
    .await;
    let (cookie, answer) = password_step(addr, "sanna.tietosuoja").await;
    assert_eq!(answer["next"], "enrol");
    // Nothing else is open until enrolment is done.
    let me = get_as(addr, &cookie, "/api/me").await;
    assert_eq!(me.status, 401);
    assert!(me.body.contains("enrol"), "{}", me.body);
    assert_eq!(
        get_as(addr, &cookie, "/api/monitoring/flags").await.status,
        401
    );

    let begun = post_json(addr, &cookie, "/api/me/second-factor", "{}").await;
    assert_eq!(begun.status, 200, "{}", begun.body);
    let v: serde_json::Value = serde_json::from_str(&begun.body).unwrap();
    let secret = totp::from_base32(v["secret"].as_str().unwrap()).unwrap();
    assert_eq!(secret.len(), 20);
    assert!(v["otpauth_uri"]
        .as_str()
        .unwrap()
        .contains("sanna.tietosuoja"));
    // A wrong code does not enrol.
    let wrong_code = format!(
        "{:06}",
        (totp::code_at(&secret, now_step()).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let wrong = post_json(
        addr,
        &cookie,
        "/api/me/second-factor/confirm",
        &format!(r#"{{"code":"{wrong_code}"}}"#),
    )
    .await;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(get_as(addr, &cookie, "/api/me").await.status, 401);
    let code = totp::code_at(&secret, now_step());
    let done = post_json(
        addr,
        &cookie,
        "/api/me/second-factor/confirm",
        &format!(r#"{{"code":"{code}"}}"#),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes: Vec<String> = serde_json::from_str::<serde_json::Value>(&done.body).unwrap()
        ["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(get_as(addr, &cookie, "/api/me").await.status, 200);

    // The next sign-in asks for the code; a recovery code does too, once.
    let (second, answer) = password_step(addr, "sanna.tietosuoja").await;
    assert_eq!(answer["next"], "second_factor");
    let r = post_json(
        addr,
        &second,
        "/api/session/second-factor",
        &format!(r#"{{"code":"{}"}}"#, codes[0].to_uppercase()),
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(get_as(addr, &second, "/api/me").await.status, 200);
    let (third, _) = password_step(addr, "sanna.tietosuoja").await;
    let again = post_json(
        addr,
        &third,
        "/api/session/second-factor",
        &format!(r#"{{"code":"{}"}}"#, codes[0]),
    )
    .await;
    assert_eq!(again.status, 401, "a recovery code is good once");

    let enrolments = events(&db, "second_factor_enrolment").await;
    assert!(enrolments
        .iter()
        .any(|(ok, why)| *ok && why.contains("enrolled")));
    assert!(enrolments.iter().any(|(ok, _)| !*ok));
    let steps = events(&db, "second_factor").await;
    assert!(
        steps
            .iter()
            .any(|(ok, why)| *ok && why.contains("recovery code; 9 codes left")),
        "{steps:?}"
    );
    assert!(steps.iter().any(|(ok, _)| !*ok));
}

#[tokio::test]
async fn a_totp_code_is_good_once_and_wrong_codes_end_the_session() {
    let (db, settings) = demo_db().await;
    // The demo administrator has TOTP enrolled; a user who has enrolled
    // always needs it, whatever the configured roles.
    let addr = serve_with(&db, settings, sessions(vec![]), ui()).await;
    let secret = kirjo::demo::DEMO_TOTP_SECRET;
    let (cookie, answer) = password_step(addr, "aino.paakayttaja").await;
    assert_eq!(answer["next"], "second_factor");
    assert_eq!(get_as(addr, &cookie, "/api/me").await.status, 401);
    let code = totp::code_at(secret, now_step());
    let ok = post_json(
        addr,
        &cookie,
        "/api/session/second-factor",
        &format!(r#"{{"code":"{code}"}}"#),
    )
    .await;
    assert_eq!(ok.status, 204, "{}", ok.body);
    assert_eq!(get_as(addr, &cookie, "/api/me").await.status, 200);

    // The same code in another session is refused: it was used.
    let (other, _) = password_step(addr, "aino.paakayttaja").await;
    let replay = post_json(
        addr,
        &other,
        "/api/session/second-factor",
        &format!(r#"{{"code":"{code}"}}"#),
    )
    .await;
    assert_eq!(replay.status, 401);
    // Wrong codes, up to the limit: then the session ends.
    let mut last = replay;
    for _ in 0..4 {
        last = post_json(
            addr,
            &other,
            "/api/session/second-factor",
            r#"{"code":"000000x"}"#,
        )
        .await;
    }
    assert_eq!(last.status, 429, "{}", last.body);
    assert_eq!(
        post_json(
            addr,
            &other,
            "/api/session/second-factor",
            r#"{"code":"123456"}"#
        )
        .await
        .status,
        401,
        "the session has ended"
    );
    let log = events(&db, "second_factor").await;
    assert!(
        log.iter()
            .any(|(ok, why)| !*ok && why.contains("session ended")),
        "{log:?}"
    );
    // And the failures count against the account like wrong passwords.
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sign_in_attempt WHERE username = 'aino.paakayttaja' AND NOT succeeded",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn a_password_older_than_the_configured_maximum_must_be_changed() {
    let (db, settings) = demo_db().await;
    let mut s = sessions(vec![]);
    s.max_password_age_days = Some(90);
    let addr = serve_with(&db, settings, s, ui()).await;
    // Sari's password is fresh: no change needed.
    let (_, answer) = password_step(addr, "sari.sosiaalityontekija").await;
    assert_eq!(answer["password_change_required"], false);
    sqlx::query(
        "UPDATE staff_user SET password_changed_at = now() - interval '91 days' WHERE username = 'sari.sosiaalityontekija'",
    )
    .execute(&db.owner)
    .await
    .unwrap();
    let (cookie, answer) = password_step(addr, "sari.sosiaalityontekija").await;
    assert_eq!(answer["password_change_required"], true);
    let me: serde_json::Value =
        serde_json::from_str(&get_as(addr, &cookie, "/api/me").await.body).unwrap();
    assert_eq!(me["password_change_required"], true);
    let search = get_as(addr, &cookie, "/api/clients?name=M%C3%A4kinen").await;
    assert_eq!(search.status, 403, "{}", search.body);
    let log = events(&db, "sign_in").await;
    assert!(
        log.iter()
            .any(|(_, why)| why.contains("older than 90 days")),
        "{log:?}"
    );
    // The page sends the user to change it.
    let page = get_as(addr, &cookie, "/").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/account/password"));
}

#[tokio::test]
async fn page_forms_need_their_token_and_this_origin() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(vec![]), ui()).await;
    let (token, csrf) = form_token(addr, None, "/sign-in").await;
    assert_eq!(token.len(), 64);
    let form = |t: &str| {
        format!(
            "csrf={t}&username=sari.sosiaalityontekija&password={}&next=%2F",
            kirjo::demo::DEMO_PASSWORD
        )
    };
    // No token, a wrong token, another origin, a cross-site fetch: refused.
    let no_token = post_form(
        addr,
        "/sign-in",
        &csrf,
        &form("").replace("csrf=&", ""),
        &[],
    )
    .await;
    assert_eq!(no_token.status, 403);
    let wrong = post_form(addr, "/sign-in", &csrf, &form(&"0".repeat(64)), &[]).await;
    assert_eq!(wrong.status, 403);
    let no_cookie = post_form(addr, "/sign-in", "", &form(&token), &[]).await;
    assert_eq!(no_cookie.status, 403);
    let other_origin = post_form(
        addr,
        "/sign-in",
        &csrf,
        &form(&token),
        &[("origin", "http://evil.example")],
    )
    .await;
    assert_eq!(other_origin.status, 403);
    let cross_site = post_form(
        addr,
        "/sign-in",
        &csrf,
        &form(&token),
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(cross_site.status, 403);
    assert!(
        events(&db, "sign_in").await.is_empty(),
        "nothing got through to sign-in"
    );
    // A form to the API is refused too: the API takes JSON only (415).
    let api = post_form(addr, "/api/session", &csrf, &form(&token), &[]).await;
    assert_eq!(api.status, 415);

    // The real thing signs in and goes to the start page.
    let ok = post_form(
        addr,
        "/sign-in",
        &csrf,
        &form(&token),
        &[("origin", &format!("http://{addr}"))],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.header("location"), Some("/"));
    let session = ok
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let cookies = format!("{session}; {csrf}");
    let start = get_as(addr, &cookies, "/").await;
    assert_eq!(start.status, 200);
    assert!(start.body.contains("Sari"), "{}", start.body);
    assert_eq!(start.header("cache-control"), Some("no-store"));

    // The forms' token is bound to the session: the token of before
    // signing in does nothing in it (the form is kept on the password
    // page, not acted on), and the session's own token is another.
    let before = token.clone();
    let (token, _) = form_token(addr, Some(&cookies), "/").await;
    assert_ne!(token, before);
    let stale = post_form(
        addr,
        "/language",
        &cookies,
        &format!("csrf={before}&lang=en&back=%2Fsearch"),
        &[],
    )
    .await;
    assert_eq!(stale.status, 200, "{}", stale.body);
    assert!(
        stale.body.contains(r#"action="/sign-in/resume""#),
        "{}",
        stale.body
    );
    let language: Option<String> = sqlx::query_scalar(
        "SELECT language FROM staff_user WHERE username = 'sari.sosiaalityontekija'",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(language, None, "a stale token changed nothing");
    // Another session's token is refused on an address no form is kept
    // for, and a token of some other shape anywhere.
    let other = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &format!("csrf={before}&to=%2Flanguage&posted=lang%3Den&username=x&password=y"),
        &[],
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.body);
    let odd = post_form(addr, "/language", &cookies, "csrf=x&lang=en", &[]).await;
    assert_eq!(odd.status, 403, "{}", odd.body);

    // The language is remembered for the user, not only in a cookie.
    let lang = post_form(
        addr,
        "/language",
        &cookies,
        &format!("csrf={token}&lang=sv&back=%2Fsearch"),
        &[],
    )
    .await;
    assert_eq!(lang.status, 303);
    assert_eq!(lang.header("location"), Some("/search"));
    let chosen: Option<String> = sqlx::query_scalar(
        "SELECT language FROM staff_user WHERE username = 'sari.sosiaalityontekija'",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(chosen.as_deref(), Some("sv"));
    let page = get_as(addr, &cookies, "/search").await;
    assert!(page.body.contains(r#"<html lang="sv">"#), "{}", page.body);
    // A back address elsewhere is not followed.
    let away = post_form(
        addr,
        "/language",
        &cookies,
        &format!("csrf={token}&lang=fi&back=https%3A%2F%2Fevil.example%2F"),
        &[],
    )
    .await;
    assert_eq!(away.header("location"), Some("/"));

    // Signing out by the page ends the session.
    let out = post_form(addr, "/sign-out", &cookies, &format!("csrf={token}"), &[]).await;
    assert_eq!(out.status, 303);
    let after = get_as(addr, &cookies, "/").await;
    assert_eq!(after.status, 303);
    assert!(after.header("location").unwrap().starts_with("/sign-in"));
    let outs = events(&db, "sign_out").await;
    assert_eq!(outs.len(), 1);
}

#[tokio::test]
async fn a_revoked_user_is_refused_on_the_next_page() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(vec![]), ui()).await;
    let (cookies, _) = page_session(addr, "outi.sijainen").await;
    assert_eq!(get_as(addr, &cookies, "/").await.status, 200);
    let outi: i64 =
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = 'outi.sijainen'")
            .fetch_one(&db.owner)
            .await
            .unwrap();
    kirjo_store::staff::end_user_sessions(&db.runtime, outi, "rights ended")
        .await
        .unwrap();
    let next = get_as(addr, &cookies, "/search").await;
    assert_eq!(next.status, 303);
    assert_eq!(
        next.header("location"),
        Some("/sign-in?next=/search&ended=expired")
    );
}

#[tokio::test]
async fn a_client_page_asks_a_purpose_outside_relationships_and_is_never_cached() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(vec![]), ui()).await;
    let (cookies, token) = page_session(addr, "pekka.sosiaaliohjaaja").await;
    let nieminen: i64 = sqlx::query_scalar(
        "SELECT id FROM person WHERE first_names LIKE 'Timo%' AND surname = 'Nieminen'",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    // Search lists only the clients Pekka may see without a purpose.
    let found = get_as(addr, &cookies, "/search?name=Nieminen").await;
    assert_eq!(found.status, 200);
    assert!(!found.body.contains(&format!("/clients/{nieminen}")));
    // Outside Pekka's relationships: a purpose is asked, and nothing shown.
    let ask = get_as(addr, &cookies, &format!("/clients/{nieminen}")).await;
    assert_eq!(ask.status, 403);
    assert!(ask.body.contains("urgent_matter") && !ask.body.contains("Nieminen</h1>"));
    // Without words for the purpose: asked again.
    let bare = post_form(
        addr,
        &format!("/clients/{nieminen}"),
        &cookies,
        &format!("csrf={token}&purpose=urgent_matter&purpose_text="),
        &[],
    )
    .await;
    assert_eq!(bare.status, 422);
    let opened = post_form(
        addr,
        &format!("/clients/{nieminen}"),
        &cookies,
        &format!("csrf={token}&purpose=urgent_matter&purpose_text=asiakas+soitti"),
        &[],
    )
    .await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert!(opened.body.contains("Nieminen</h1>"));
    assert_eq!(opened.header("cache-control"), Some("no-store"));
    assert_eq!(opened.header("x-frame-options"), Some("DENY"));
    let logged: Option<String> = sqlx::query_scalar(
        "SELECT purpose FROM use_log WHERE client_id = $1 AND allowed ORDER BY id DESC LIMIT 1",
    )
    .bind(nieminen)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(logged.as_deref(), Some("urgent_matter: asiakas soitti"));
    // A number that is no client, and a path that is no number.
    assert_eq!(
        get_as(addr, &cookies, "/clients/999999999").await.status,
        404
    );
    assert_eq!(get_as(addr, &cookies, "/clients/abc").await.status, 404);
}

#[tokio::test]
async fn every_page_of_each_role_renders_in_three_languages() {
    let (db, settings) = demo_db().await;
    let addr = serve_with(&db, settings, sessions(vec![]), ui()).await;
    let pages: &[(&str, &[&str])] = &[
        (
            "sari.sosiaalityontekija",
            &[
                "/",
                "/search",
                "/search?name=M%C3%A4kinen",
                "/account",
                "/account/password",
                "/accessibility",
            ],
        ),
        ("leena.esihenkilo", &["/", "/supervision"]),
        ("sanna.tietosuoja", &["/", "/data-protection"]),
    ];
    for (user, paths) in pages {
        let (cookies, token) = page_session(addr, user).await;
        for lang in ["fi", "sv", "en"] {
            let r = post_form(
                addr,
                "/language",
                &cookies,
                &format!("csrf={token}&lang={lang}&back=%2F"),
                &[],
            )
            .await;
            assert_eq!(r.status, 303);
            for path in *paths {
                let page = get_as(addr, &cookies, path).await;
                assert_eq!(page.status, 200, "{user} {lang} {path}: {}", page.body);
                assert!(
                    page.body.contains(&format!(r#"<html lang="{lang}">"#)),
                    "{user} {lang} {path}"
                );
                assert!(
                    page.body.contains(r#"<main id="main""#)
                        && page.body.contains(r##"href="#main""##)
                );
                // No key shows as itself: every string was translated.
                for key in ["nav-", "error-", "field-", "search-", "role-"] {
                    assert!(
                        !page.body.contains(&format!(">{key}")),
                        "{user} {lang} {path}: untranslated {key}"
                    );
                }
            }
        }
    }
    // The administrator (TOTP) sees the administration page.
    let (cookie, _) = password_step(addr, "aino.paakayttaja").await;
    second_factor(addr, &cookie, kirjo::demo::DEMO_TOTP_SECRET).await;
    let admin = get_as(addr, &cookie, "/administration").await;
    assert_eq!(admin.status, 200);
    // Roles see only their own navigation, and a page outside it is refused.
    assert!(!admin.body.contains(r#"href="/search""#));
    let (sari, _) = page_session(addr, "sari.sosiaalityontekija").await;
    assert_eq!(get_as(addr, &sari, "/data-protection").await.status, 403);
}
