//! Kirjo's HTTP side, on axum.
//!
//! Every request gets a request id (`x-request-id`, also in the log line and,
//! later, in the use log), is counted and timed per route template for
//! `/metrics`, and is logged with its route template only: a raw path or
//! query may hold an identity code, so it never reaches the application log.

pub mod metrics;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kirjo_store::health::{readiness, Readiness};
use kirjo_store::PgPool;
use metrics::Metrics;
use std::sync::Arc;
use std::time::Instant;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Connections as the runtime role.
    pub db: PgPool,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(db: PgPool) -> Self {
        Self {
            db,
            metrics: Arc::new(Metrics::default()),
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(front_page))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics_page))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Request id, metrics and the log line, around every request.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .observe(method.as_str(), &route, status, elapsed);
    if let Ok(v) = HeaderValue::from_str(&request_id.to_string()) {
        response.headers_mut().insert("x-request-id", v);
    }
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

async fn live() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "live" }))
}

async fn ready(State(state): State<AppState>) -> Response {
    match readiness(&state.db).await {
        Readiness::Ready { schema_version } => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready", "schema_version": schema_version })),
        )
            .into_response(),
        Readiness::DatabaseUnreachable(reason) => {
            tracing::warn!(%reason, "not ready: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({ "status": "not_ready", "reason": "database unreachable" }),
                ),
            )
                .into_response()
        }
        Readiness::SchemaNotCurrent(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "not_ready", "reason": reason })),
        )
            .into_response(),
    }
}

async fn metrics_page(State(state): State<AppState>) -> Response {
    let pool = metrics::PoolState {
        size: state.db.size(),
        idle: u32::try_from(state.db.num_idle()).unwrap_or(u32::MAX),
        max: state.db.options().get_max_connections(),
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&pool),
    )
        .into_response()
}

async fn front_page() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(FRONT_PAGE)).into_response()
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "error": "not found" })),
    )
        .into_response()
}

const FRONT_PAGE: &str = r#"<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kirjo</title></head>
<body>
<main>
<h1>Kirjo</h1>
<p>Sosiaalihuollon asiakastietojärjestelmä. Palvelin on käynnissä.</p>
<p lang="sv">Klientdatasystem för socialvården. Servern är igång.</p>
<p lang="en">Client information system for social services. The server is running.</p>
</main>
</body>
</html>
"#;
