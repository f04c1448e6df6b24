//! Every API route maps to exactly one action (or explicitly to none), and
//! the router and the table in `api::ROUTES` agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_testkit::{http_with, TestDb};
use kirjo_web::api::ROUTES;
use std::collections::BTreeSet;

/// The `/api` routes as the router declares them, read from its source.
fn declared() -> BTreeSet<(String, String)> {
    let src: String = include_str!("../src/lib.rs")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = BTreeSet::new();
    for chunk in src
        .split(".route(")
        .skip(1)
        .map(str::trim_start)
        .filter(|c| c.starts_with("\"/api"))
    {
        let call = chunk.split(".fallback(").next().unwrap();
        let path = call.split('"').nth(1).unwrap().to_owned();
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
        if *path == "/api/session" && *method == "POST" {
            continue; // signing in is how one gets a session
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
