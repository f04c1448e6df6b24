//! Every API route maps to exactly one action (or explicitly to none), and
//! the router and the table in `api::ROUTES` agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_testkit::{http_with, TestDb};
use kirjo_web::api::ROUTES;
use std::collections::BTreeSet;

/// The `/api` routes as the router declares them, read from its source.
fn declared() -> BTreeSet<(String, String)> {
    declared_where(|path| path.starts_with("/api"))
}

/// The routes whose path passes `keep`, as the router declares them.
fn declared_where(keep: impl Fn(&str) -> bool) -> BTreeSet<(String, String)> {
    let src: String = include_str!("../src/lib.rs")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = BTreeSet::new();
    for chunk in src
        .split(".route(")
        .skip(1)
        .map(str::trim_start)
        .filter(|c| c.starts_with('"'))
    {
        let call = chunk.split(".fallback(").next().unwrap();
        let path = call.split('"').nth(1).unwrap().to_owned();
        if !keep(&path) {
            continue;
        }
        for (needle, method) in [
            ("get(", "GET"),
            ("post(", "POST"),
            ("delete(", "DELETE"),
            ("put(", "PUT"),
            ("patch(", "PATCH"),
        ] {
            if call.contains(needle) {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn the_router_and_the_action_table_agree() {
    let table: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(table.len(), ROUTES.len(), "a route is listed twice");
    assert_eq!(declared(), table);
}

#[tokio::test]
async fn every_listed_route_exists_and_needs_a_session() {
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for (method, path, _) in ROUTES {
        if (*path == "/api/session" && *method == "POST") || *path == "/api/openapi.json" {
            continue; // signing in is how one gets a session; the description is public
        }
        let concrete = path.replace("{id}", "1");
        let r = http_with(
            addr,
            method,
            &concrete,
            &[("content-type", "application/json")],
            Some("{}"),
        )
        .await;
        assert_eq!(r.status, 401, "{method} {path}: {}", r.body);
    }
}

#[test]
fn the_openapi_document_describes_every_route_and_nothing_else() {
    use kirjo_web::openapi::{document, OPERATIONS};
    let described: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|o| (o.method.to_owned(), o.path.to_owned()))
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(described, routed);
    for op in OPERATIONS {
        if let Some(body) = op.body {
            let schema: serde_json::Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{} {}: {e}", op.method, op.path));
            assert_eq!(schema["type"], "object");
        }
        // Path parameters are declared for every {name} in the path.
        for name in op
            .path
            .split('{')
            .skip(1)
            .map(|s| s.split('}').next().unwrap())
        {
            assert!(
                op.params.iter().any(|p| p.0 == name),
                "{} lacks path parameter {name}",
                op.path
            );
        }
    }
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let (method, path, action) = ROUTES
        .iter()
        .find(|(_, p, a)| p.contains("protected") && a.is_some())
        .unwrap();
    assert_eq!(
        doc["paths"][*path][method.to_lowercase()]["x-kirjo-action"],
        action.unwrap().as_str()
    );
    assert!(doc["paths"]["/api/session"]["post"]
        .get("security")
        .is_none());
    assert!(doc["paths"]["/api/clients"]["get"]["security"].is_array());
}

#[test]
fn every_page_maps_to_an_action_in_the_page_table() {
    use kirjo_web::pages::PAGES;
    let table: BTreeSet<(String, String)> = PAGES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(table.len(), PAGES.len(), "a page is listed twice");
    let pages =
        declared_where(|p| !p.starts_with("/api") && !p.starts_with("/health") && p != "/metrics");
    assert!(pages.len() > 30, "{pages:?}");
    assert_eq!(pages, table);
}

#[tokio::test]
async fn every_page_with_data_needs_a_session() {
    use kirjo_web::pages::PAGES;
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for (method, path, action) in PAGES {
        if *method != "GET" || action.is_none() {
            continue;
        }
        let concrete = path.replace("{id}", "1");
        let r = http_with(addr, method, &concrete, &[], None).await;
        assert_eq!(r.status, 303, "{method} {path}: {}", r.body);
        assert!(
            r.header("location").unwrap().starts_with("/sign-in?next="),
            "{path}"
        );
    }
}
