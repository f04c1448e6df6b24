//! Every route maps to exactly one action (or explicitly to none), every
//! API route is described in the OpenAPI document, and the router answers
//! every route of the table that the features declare.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_testkit::{http_with, TestDb};
use kirjo_web::shared::Route;
use std::collections::BTreeSet;

/// The routes whose path passes `keep`, as the features declare them.
fn declared_where(keep: impl Fn(&str) -> bool) -> Vec<Route> {
    kirjo_web::routes()
        .into_iter()
        .filter(|r| keep(r.path))
        .collect()
}

/// The `/api` routes.
fn api_routes() -> Vec<Route> {
    declared_where(|path| path.starts_with("/api"))
}

/// The pages: everything but the API, health and metrics.
fn pages() -> Vec<Route> {
    declared_where(|p| !p.starts_with("/api") && !p.starts_with("/health") && p != "/metrics")
}

fn keys(routes: &[Route]) -> BTreeSet<(String, String)> {
    routes
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect()
}

#[test]
fn the_router_and_the_action_table_agree() {
    let all = kirjo_web::routes();
    assert_eq!(keys(&all).len(), all.len(), "a route is listed twice");
    let api = api_routes();
    assert!(api.len() > 40, "{}", api.len());
    for r in &all {
        assert!(
            ["GET", "POST", "PUT", "DELETE"].contains(&r.method),
            "{} {}",
            r.method,
            r.path
        );
    }
}

#[tokio::test]
async fn every_listed_route_exists_and_needs_a_session() {
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for r in api_routes() {
        let (method, path) = (r.method, r.path);
        if (path == "/api/session" && method == "POST") || path == "/api/openapi.json" {
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
    let all = kirjo_web::routes();
    let described: BTreeSet<(String, String)> = all
        .iter()
        .filter_map(|r| r.api.as_ref())
        .map(|o| (o.method.to_owned(), o.path.to_owned()))
        .collect();
    let routed = keys(&api_routes());
    assert_eq!(described, routed);
    for op in all.iter().filter_map(|r| r.api.as_ref()) {
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
    let doc = kirjo_web::openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let route = api_routes()
        .into_iter()
        .find(|r| r.path.contains("protected") && r.action.is_some())
        .unwrap();
    assert_eq!(
        doc["paths"][route.path][route.method.to_lowercase()]["x-kirjo-action"],
        route.action.unwrap().as_str()
    );
    assert!(doc["paths"]["/api/session"]["post"]
        .get("security")
        .is_none());
    assert!(doc["paths"]["/api/clients"]["get"]["security"].is_array());
    let paths = doc["paths"].as_object().unwrap();
    let operations: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(operations, routed.len());
}

/// Issue 14, "OpenAPI to the letter": the document says what the server
/// does, so that a schema-driven fuzzer (schemathesis `--checks all`, see
/// docs/benchmarks.md) finds no undocumented status and no value the
/// document allows that the edge refuses: every answer the edge and the
/// gate give is documented on every operation; every integer is bounded;
/// every text says which characters it may not hold (or is a date or one
/// of listed words); every object says so of its keys and of the fields
/// Kirjo ignores.
#[test]
fn the_openapi_document_states_every_answer_bound_and_refused_character() {
    fn texts_and_numbers(at: &str, schema: &serde_json::Value, problems: &mut Vec<String>) {
        let Some(map) = schema.as_object() else {
            if let Some(list) = schema.as_array() {
                for (i, v) in list.iter().enumerate() {
                    texts_and_numbers(&format!("{at}[{i}]"), v, problems);
                }
            }
            return;
        };
        let types: Vec<&str> = match map.get("type") {
            Some(serde_json::Value::String(t)) => vec![t.as_str()],
            Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => vec![],
        };
        if types.contains(&"string")
            && !["pattern", "enum", "format"]
                .iter()
                .any(|k| map.contains_key(*k))
        {
            problems.push(format!("{at}: a text without a pattern"));
        }
        if types.contains(&"string")
            && map.get("format") == Some(&serde_json::json!("date"))
            && !map.contains_key("pattern")
        {
            problems.push(format!("{at}: a date without the years the edge takes"));
        }
        if types.contains(&"integer")
            && !(map.contains_key("minimum") && map.contains_key("maximum"))
        {
            problems.push(format!("{at}: an integer without bounds"));
        }
        if types.contains(&"object")
            && !(map.contains_key("propertyNames") && map.contains_key("additionalProperties"))
        {
            problems.push(format!(
                "{at}: an object that does not say what its keys and other fields may hold"
            ));
        }
        for (k, v) in map {
            texts_and_numbers(&format!("{at}.{k}"), v, problems);
        }
    }
    let doc = kirjo_web::openapi_document();
    let mut problems = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{} {path}", method.to_uppercase());
            let responses = op["responses"].as_object().unwrap();
            for code in [
                "200", "400", "401", "403", "404", "409", "422", "429", "503",
            ] {
                if !responses.contains_key(code) {
                    problems.push(format!("{at}: {code} not documented"));
                }
            }
            if op.get("requestBody").is_some() {
                for code in ["413", "415"] {
                    if !responses.contains_key(code) {
                        problems.push(format!("{at}: {code} not documented"));
                    }
                }
            }
            if method != "get" && !responses.contains_key("2XX") {
                problems.push(format!("{at}: 201/202/204 not documented"));
            }
            for p in op["parameters"].as_array().unwrap() {
                texts_and_numbers(&format!("{at} {}", p["name"]), &p["schema"], &mut problems);
            }
            texts_and_numbers(
                &format!("{at} body"),
                &op["requestBody"]["content"]["application/json"]["schema"],
                &mut problems,
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The characters the document says are refused are exactly those the
    // edge refuses: every code point checked.
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let in_document = kirjo_web::REFUSED_IN_TEXT
            .iter()
            .any(|(a, b)| (*a..=*b).contains(&(c as u32)));
        assert_eq!(
            in_document,
            kirjo_domain::edge::refused_char(c).is_some(),
            "U+{:04X}",
            c as u32
        );
    }
}

#[tokio::test]
async fn every_page_maps_to_an_action_in_the_page_table_and_is_routed() {
    let pages = pages();
    assert_eq!(keys(&pages).len(), pages.len(), "a page is listed twice");
    assert!(pages.len() > 30, "{pages:?}");
    assert!(
        pages.iter().all(|p| p.api.is_none()),
        "a page with an OpenAPI description"
    );
    // Each is answered by its own handler, not the fallback (404) nor a
    // method the router does not know (405).
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for p in &pages {
        let concrete = p.path.replace("{id}", "1").replace("{file}", "kirjo.css");
        let r = http_with(addr, p.method, &concrete, &[], None).await;
        assert!(
            r.status != 404 && r.status != 405,
            "{} {}: {}",
            p.method,
            p.path,
            r.status
        );
    }
}

#[tokio::test]
async fn every_page_with_data_needs_a_session() {
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    for p in pages() {
        if p.method != "GET" || p.action.is_none() {
            continue;
        }
        let concrete = p.path.replace("{id}", "1");
        let r = http_with(addr, p.method, &concrete, &[], None).await;
        assert_eq!(r.status, 303, "{} {}: {}", p.method, p.path, r.body);
        assert!(
            r.header("location").unwrap().starts_with("/sign-in?next="),
            "{}",
            p.path
        );
    }
}
