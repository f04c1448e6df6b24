//! A form posted after the session ended is kept: the answer asks for the
//! password (and the second factor's code) on the same page and then sends
//! the form in the new session. Over real HTTP, as a browser posts forms,
//! against a real PostgreSQL with the demo organisation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, form_token, get_as, hidden, page_session, post_form, serve_with};
use kirjo_web::account::totp;

fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

const TEXT: &str =
    "Kotikäynti. Eetu kertoi koulusta & kavereista; sovittiin jatko.\r\nToinen rivi.";

#[tokio::test]
async fn an_entry_posted_after_the_session_ended_is_saved_after_the_password_and_the_code() {
    let (db, settings) = demo_db().await;
    let sessions = kirjo_web::SessionSettings {
        second_factor_roles: vec![kirjo_access::Role::ClientWorker],
        failure_delay_ms: 1,
        ..Default::default()
    };
    // Sari has a second factor.
    let secret = [7u8; 20];
    sqlx::query("UPDATE staff_user SET totp_secret = $1, totp_enrolled_at = now() WHERE username = 'sari.sosiaalityontekija'")
        .bind(&secret[..])
        .execute(&db.owner)
        .await
        .unwrap();
    let addr = serve_with(&db, settings, sessions, kirjo_web::UiSettings::default()).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    // A browser with a session that has ended (deleted, as a revocation or
    // an expiry leaves it: no open session by that token).
    let (_, csrf_cookie) = form_token(addr, None, "/sign-in").await;
    let cookies = format!("{csrf_cookie}; kirjo_session=ended0000");
    let (token, _) = form_token(addr, Some(&cookies), "/sign-in").await;
    let entry = form(&[
        ("csrf", &token),
        ("kind", "narrative"),
        ("service_task", "lastensuojelu"),
        ("entry", "meeting_or_contact"),
        (
            "date",
            &kirjo_domain::calendar::helsinki_today().to_string(),
        ),
        ("text", TEXT),
    ]);
    let drafts = |db: &kirjo_testkit::TestDb| {
        let pool = db.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM document WHERE state = 'draft'")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = drafts(&db).await;
    let path = format!("/clients/{eetu}/documents/new");
    let r = post_form(addr, &path, &cookies, &entry, &[]).await;
    // Not a redirect to the sign-in page: the password is asked here, and
    // the entry is in the page.
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"action="/sign-in/resume""#), "{}", r.body);
    assert!(r.body.contains(r#"id="password""#));
    let posted = hidden(&r.body, "posted");
    let to = hidden(&r.body, "to");
    assert_eq!(to, path);
    assert!(
        !posted.contains("csrf="),
        "the token is not carried: {posted}"
    );
    let kept: Vec<(String, String)> = serde_urlencoded::from_str(&posted).unwrap();
    assert!(
        kept.contains(&("text".to_owned(), TEXT.to_owned())),
        "{kept:?}"
    );
    // A form for another site's address, or the API, is never sent.
    for bad in ["//evil.example/x", "/api/clients/1/documents"] {
        let r = post_form(
            addr,
            "/sign-in/resume",
            &cookies,
            &form(&[
                ("csrf", &token),
                ("to", bad),
                ("posted", &posted),
                ("username", "sari.sosiaalityontekija"),
                ("password", kirjo::demo::DEMO_PASSWORD),
            ]),
            &[],
        )
        .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), Some("/sign-in"));
    }
    // Without the page's token: refused as any forged form.
    let forged = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &form(&[
            ("csrf", "guess"),
            ("to", &to),
            ("posted", &posted),
            ("username", "sari.sosiaalityontekija"),
            ("password", kirjo::demo::DEMO_PASSWORD),
        ]),
        &[],
    )
    .await;
    assert_eq!(forged.status, 403);
    // The password: right, and the code is asked, the entry still kept.
    let r = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &form(&[
            ("csrf", &token),
            ("to", &to),
            ("posted", &posted),
            ("username", "sari.sosiaalityontekija"),
            ("password", kirjo::demo::DEMO_PASSWORD),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"id="code""#), "{}", r.body);
    assert_eq!(hidden(&r.body, "posted"), posted);
    let session = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(drafts(&db).await, before, "nothing saved before the code");
    let cookies = format!("{csrf_cookie}; {session}");
    // The code page's form carries the new session's token.
    let token = hidden(&r.body, "csrf");
    let code = totp::code_at(&secret, totp::step_of(chrono::Utc::now().timestamp()));
    let r = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &form(&[
            ("csrf", &token),
            ("to", &to),
            ("posted", &posted),
            ("username", "sari.sosiaalityontekija"),
            ("code", &code),
        ]),
        &[],
    )
    .await;
    // The entry's own answer: to the new draft.
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert!(location.starts_with("/documents/"), "{location}");
    let id: i64 = location.trim_start_matches("/documents/").parse().unwrap();
    let (text, author): (String, String) = sqlx::query_as(
        "SELECT d.content->>'text', u.username FROM document d JOIN staff_user u ON u.id = d.author_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(text.replace("\r\n", "\n"), TEXT.replace("\r\n", "\n"));
    assert_eq!(author, "sari.sosiaalityontekija");
    // The session works on.
    assert_eq!(get_as(addr, &cookies, &location).await.status, 200);
}

#[tokio::test]
async fn a_page_post_with_an_open_session_is_not_touched_and_a_sign_in_post_is_never_kept() {
    let (db, settings) = demo_db().await;
    let sessions = kirjo_web::SessionSettings {
        failure_delay_ms: 1,
        ..Default::default()
    };
    let addr = serve_with(&db, settings, sessions, kirjo_web::UiSettings::default()).await;
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    let r = post_form(
        addr,
        "/language",
        &cookies,
        &format!("csrf={token}&lang=sv&back=%2F"),
        &[],
    )
    .await;
    assert_eq!(r.status, 303);
    // A wrong password at the sign-in page: the sign-in page again, never
    // the password page of a kept form.
    let (token, csrf) = form_token(addr, None, "/sign-in").await;
    let r = post_form(
        addr,
        "/sign-in",
        &csrf,
        &form(&[
            ("csrf", &token),
            ("username", "sari.sosiaalityontekija"),
            ("password", "väärä salasana tämä"),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(!r.body.contains("/sign-in/resume"));
}

/// Issue 17: a form kept after a session ended is its typist's. The
/// password page names them, and another user signing in on it is refused
/// without signing in or saving anything.
#[tokio::test]
async fn a_kept_form_is_sent_only_by_the_user_who_typed_it() {
    let (db, settings) = demo_db().await;
    let sessions = kirjo_web::SessionSettings {
        failure_delay_ms: 1,
        ..Default::default()
    };
    let addr = serve_with(&db, settings, sessions, kirjo_web::UiSettings::default()).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    let (cookies, token) = page_session(addr, "sari.sosiaalityontekija").await;
    // Sari's session ends (an idle timeout leaves it ended, not gone).
    sqlx::query("UPDATE staff_session SET ended_at = now(), end_reason = 'idle'")
        .execute(&db.owner)
        .await
        .unwrap();
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let entry = form(&[
        ("csrf", &token),
        ("kind", "narrative"),
        ("service_task", "lastensuojelu"),
        ("entry", "meeting_or_contact"),
        ("date", &today),
        ("text", "Sarin kirjaama kotikäynti."),
    ]);
    let path = format!("/clients/{eetu}/documents/new");
    let r = post_form(addr, &path, &cookies, &entry, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(r#"value="sari.sosiaalityontekija""#),
        "the page names whose form it is: {}",
        r.body
    );
    let posted = hidden(&r.body, "posted");
    let attempts = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sign_in_attempt")
            .fetch_one(&db.owner)
            .await
            .unwrap()
    };
    let before = attempts().await;
    let r = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &form(&[
            ("csrf", &token),
            ("to", &path),
            ("posted", &posted),
            ("username", "pekka.sosiaaliohjaaja"),
            ("password", kirjo::demo::DEMO_PASSWORD),
        ]),
        &[],
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("Tämän lomakkeen täytti toinen käyttäjä"),
        "{}",
        r.body
    );
    assert!(r.header("set-cookie").is_none(), "no one was signed in");
    assert_eq!(attempts().await, before);
    assert_eq!(hidden(&r.body, "posted"), posted, "the form is still kept");
    // Sari herself goes on (to her code, or straight to the saved entry).
    let r = post_form(
        addr,
        "/sign-in/resume",
        &cookies,
        &form(&[
            ("csrf", &token),
            ("to", &path),
            ("posted", &posted),
            ("username", "Sari.Sosiaalityontekija"),
            ("password", kirjo::demo::DEMO_PASSWORD),
        ]),
        &[],
    )
    .await;
    assert!(r.status == 200 || r.status == 303, "{}", r.body);
    assert!(r.header("set-cookie").is_some(), "{}", r.body);
}
