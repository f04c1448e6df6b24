//! Health and metrics over real HTTP, against a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_testkit::{http, TestDb};
use kirjo_web::{router, AppState};
use std::net::SocketAddr;

async fn start(pool: kirjo_store::PgPool) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(AppState::new(pool));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

#[tokio::test]
async fn live_and_ready_when_the_schema_is_current() {
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    let live = http(addr, "GET", "/health/live", None).await;
    assert_eq!(live.status, 200);
    let ready = http(addr, "GET", "/health/ready", None).await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    let body: serde_json::Value = serde_json::from_str(&ready.body).unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(
        body["schema_version"],
        i64::from(kirjo_store::migrate::MIGRATIONS.last().unwrap().version)
    );
    assert!(ready.header("x-request-id").is_some());
}

#[tokio::test]
async fn not_ready_when_a_migration_is_missing() {
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    sqlx::query("DELETE FROM kirjo_migrations WHERE version = 1")
        .execute(&db.superuser().await)
        .await
        .unwrap();
    let ready = http(addr, "GET", "/health/ready", None).await;
    assert_eq!(ready.status, 503);
    assert!(ready.body.contains("not_ready"), "{}", ready.body);
    // Liveness does not depend on the database.
    assert_eq!(http(addr, "GET", "/health/live", None).await.status, 200);
}

#[tokio::test]
async fn not_ready_when_the_database_is_unreachable() {
    let db = TestDb::new().await;
    let pool = db.runtime.clone();
    let addr = start(pool.clone()).await;
    pool.close().await;
    let ready = http(addr, "GET", "/health/ready", None).await;
    assert_eq!(ready.status, 503);
    assert!(
        ready.body.contains("database unreachable"),
        "{}",
        ready.body
    );
}

#[tokio::test]
async fn metrics_count_requests_per_route_template() {
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    for _ in 0..3 {
        assert_eq!(http(addr, "GET", "/health/live", None).await.status, 200);
    }
    // A path with an identity code in it is counted by its route template,
    // or as unmatched, never by its raw path.
    assert_eq!(
        http(addr, "GET", "/clients/010101-900R", None).await.status,
        404
    );
    assert_eq!(
        http(addr, "GET", "/nowhere/010101-900R", None).await.status,
        404
    );
    let m = http(addr, "GET", "/metrics", None).await;
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    assert!(
        m.body.contains(
            r#"kirjo_http_requests_total{method="GET",route="/health/live",status="200"} 3"#
        ),
        "{}",
        m.body
    );
    assert!(
        m.body.contains(r#"route="(unmatched)",status="404"} 1"#),
        "{}",
        m.body
    );
    assert!(
        m.body.contains(r#"route="/clients/{id}",status="404"} 1"#),
        "{}",
        m.body
    );
    assert!(!m.body.contains("010101-900R"));
    assert!(m.body.contains(
        r#"kirjo_http_request_duration_seconds_count{method="GET",route="/health/live",status="200"} 3"#
    ));
    assert!(m.body.contains(r#"le="+Inf"} 3"#));
    assert!(
        m.body.contains("kirjo_db_pool_max_connections 8"),
        "{}",
        m.body
    );
    assert!(m
        .body
        .contains(r#"kirjo_db_pool_connections{state="idle"}"#));
    assert!(
        m.body
            .contains(r#"kirjo_audit_unsealed_rows{log="use_log"} 0"#),
        "{}",
        m.body
    );
    assert!(m
        .body
        .contains(r#"kirjo_audit_oldest_unsealed_seconds{log="disclosure_log"}"#));
}

#[tokio::test]
async fn the_front_page_leads_to_a_finnish_first_sign_in_that_is_never_cached_or_framed() {
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    let front = http(addr, "GET", "/", None).await;
    assert_eq!(front.status, 303);
    assert_eq!(front.header("location"), Some("/sign-in?next=/"));
    let page = http(addr, "GET", "/sign-in", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="fi">"#));
    assert!(page.body.contains("Kirjaudu sisään"));
    // The language switch names each language in itself, marked as such.
    assert!(
        page.body.contains(r#"lang="sv">På svenska"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"lang="en">In English"#));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    // The form's token comes with its cookie, HttpOnly and SameSite=Strict.
    let set = page.header("set-cookie").unwrap_or_default();
    assert!(
        set.starts_with("kirjo_csrf=")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
    );
    // A browser asking for Swedish gets Swedish.
    let sv = kirjo_testkit::http_with(
        addr,
        "GET",
        "/sign-in",
        &[("accept-language", "sv-FI,sv;q=0.9")],
        None,
    )
    .await;
    assert!(sv.body.contains(r#"<html lang="sv">"#) && sv.body.contains("Logga in"));
    // The style sheets are served, and may be cached.
    let css = http(addr, "GET", "/static/kirjo.css", None).await;
    assert_eq!(css.status, 200);
    assert!(css
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/css"));
    assert!(css.body.contains(":focus-visible"));
    assert_eq!(
        http(addr, "GET", "/static/other.css", None).await.status,
        404
    );
}

#[tokio::test]
async fn the_style_sheets_served_are_the_design_systems_never_placeholders() {
    // A build without the npm packages once shipped 78-byte placeholders and
    // the pages rendered unstyled; now such a build fails (crates/web/build.rs).
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    for (file, at_least) in [("hds-base.css", 4_000), ("hds-components.css", 50_000)] {
        let r = http(addr, "GET", &format!("/static/{file}"), None).await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.len() >= at_least && !r.body.contains("not installed"),
            "{file} is {} bytes: {}",
            r.body.len(),
            r.body.chars().take(120).collect::<String>()
        );
    }
}
