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
        kirjo_store::migrate::MIGRATIONS.len() as i64
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
    // A path with an identity code in it is counted as unmatched, never by
    // its raw path.
    assert_eq!(
        http(addr, "GET", "/clients/010101-900R", None).await.status,
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
async fn the_front_page_is_finnish_first_and_not_cached() {
    let db = TestDb::new().await;
    let addr = start(db.runtime.clone()).await;
    let page = http(addr, "GET", "/", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"<html lang="fi">"#));
    assert!(page.body.contains(r#"lang="sv""#) && page.body.contains(r#"lang="en""#));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
}
