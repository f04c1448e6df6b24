//! Kirjo's HTTP side, on axum: one folder per feature, each with its route
//! table (method, path, gate action, OpenAPI description, handler), its API
//! and page handlers; `shared/` holds what every feature uses. The router
//! is the sum of the features' tables (see `crates/web/README.md`).
//!
//! Every request gets a request id (`x-request-id`, also in the log line and,
//! later, in the use log), is counted and timed per route template for
//! `/metrics`, and is logged with its route template only: a raw path or
//! query may hold an identity code, so it never reaches the application log.

// A page's error is a whole answer (a redirect or an error page): axum's
// `Response`, passed up once per request.
#![allow(clippy::result_large_err)]

pub mod shared;

pub mod account;
pub mod clients;
pub mod decisions;
pub mod documents;
pub mod home;
pub mod logs;
pub mod matters;
pub mod printouts;
pub mod rights;
pub mod statistics;
pub mod system;

pub use shared::{ApiError, AppState, RegisterConfig, RequestId, SessionSettings, UiSettings};

use axum::response::{IntoResponse, Response};
use axum::{middleware, Json, Router};
use shared::route::{Operation, Route};

/// Every route of Kirjo: the sum of the features' tables, and the OpenAPI
/// document that describes them.
pub fn routes() -> Vec<Route> {
    let mut all: Vec<Route> = [
        home::routes,
        account::routes,
        clients::routes,
        decisions::routes,
        documents::routes,
        logs::routes,
        matters::routes,
        printouts::routes,
        rights::routes,
        statistics::routes,
        system::routes,
    ]
    .into_iter()
    .flat_map(|feature| feature())
    .collect();
    // The document describes itself too.
    let own = Route::api(OPENAPI, None, || async { "" });
    let document = shared::openapi::document(&all.iter().chain([&own]).collect::<Vec<_>>());
    all.push(Route::api(OPENAPI, None, move || async move {
        Json(document).into_response()
    }));
    all
}

const OPENAPI: Operation = Operation {
    method: "GET",
    path: "/api/openapi.json",
    summary: "This description of the API.",
    params: &[],
    body: None,
    returns: "The OpenAPI 3.1 document.",
};

/// The characters the OpenAPI document says every text refuses.
pub use shared::openapi::REFUSED_IN_TEXT;

/// The OpenAPI document of the JSON API.
pub fn openapi_document() -> serde_json::Value {
    shared::openapi::document(&routes().iter().collect::<Vec<_>>())
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in routes() {
        router = router.route(route.path, route.handler);
    }
    let app = router
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            shared::edge::guard,
        ))
        .layer(middleware::from_fn(shared::unavailable::answer_unavailable))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            account::resume::keep_posted,
        ))
        .layer(middleware::from_fn(shared::csrf::csrf_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            shared::edge::answer_and_log,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            shared::middleware::security_headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            shared::middleware::observe,
        ))
        .with_state(state);
    // A form kept over an ended session is sent again through all of it.
    let inner = app.clone();
    app.layer(middleware::from_fn_with_state(
        inner,
        account::resume::replay,
    ))
}

async fn not_found(uri: axum::http::Uri, ctx: shared::Ctx) -> Response {
    if uri.path().starts_with("/api/") {
        (
            axum::http::StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "not found" })),
        )
            .into_response()
    } else {
        shared::page::not_found(ctx).await
    }
}
