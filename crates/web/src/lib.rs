//! Kirjo's HTTP side, on axum.
//!
//! Every request gets a request id (`x-request-id`, also in the log line and,
//! later, in the use log), is counted and timed per route template for
//! `/metrics`, and is logged with its route template only: a raw path or
//! query may hold an identity code, so it never reaches the application log.

pub mod api;
pub mod auth;
pub mod metrics;
pub mod openapi;
pub mod passwords;
pub mod people;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kirjo_store::gate::{GateError, GateSettings};
use kirjo_store::health::{readiness, Readiness};
use kirjo_store::PgPool;
use metrics::Metrics;
use std::sync::Arc;
use std::time::Instant;

/// Session limits.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// Idle timeout; 30 minutes by default.
    pub idle_secs: i64,
    /// Absolute limit from sign-in; 12 hours by default.
    pub absolute_secs: i64,
    /// Mark cookies `Secure` (when served over TLS).
    pub secure_cookies: bool,
    /// Failed sign-ins that lock an account name, and a source address,
    /// within `lockout_window_secs`. Default 5 and 20 in 15 minutes.
    pub max_account_failures: i64,
    pub max_source_failures: i64,
    pub lockout_window_secs: i64,
    /// Each failure slows the answer by this much more (capped at 2 s).
    pub failure_delay_ms: u64,
    /// Sensitive actions need the password given within this many seconds.
    /// Default 5 minutes.
    pub reauth_secs: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_secs: 30 * 60,
            absolute_secs: 12 * 60 * 60,
            secure_cookies: false,
            max_account_failures: 5,
            max_source_failures: 20,
            lockout_window_secs: 15 * 60,
            failure_delay_ms: 200,
            reauth_secs: 5 * 60,
        }
    }
}

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Connections as the runtime role.
    pub db: PgPool,
    pub metrics: Arc<Metrics>,
    pub gate: Arc<GateSettings>,
    pub sessions: Arc<SessionSettings>,
}

impl AppState {
    pub fn new(db: PgPool) -> Self {
        Self {
            db,
            metrics: Arc::new(Metrics::default()),
            gate: Arc::new(GateSettings::default()),
            sessions: Arc::new(SessionSettings::default()),
        }
    }

    pub fn with_gate(mut self, gate: GateSettings) -> Self {
        self.gate = Arc::new(gate);
        self
    }

    pub fn with_sessions(mut self, sessions: SessionSettings) -> Self {
        self.sessions = Arc::new(sessions);
        self
    }
}

/// The id of the request, in the response header, the log line and the use log.
#[derive(Debug, Clone, Copy)]
pub struct RequestId(pub uuid::Uuid);

/// An error answer of the API: a status and a message for the user. The
/// message never carries data from the database.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    pub fn unauthenticated() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            message: "sign in first".to_owned(),
        }
    }
    pub fn bad_credentials() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            message: "wrong username or password".to_owned(),
        }
    }
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: "not found".to_owned(),
        }
    }
    pub fn internal(what: &str) -> Self {
        tracing::error!(what, "internal error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".to_owned(),
        }
    }
    pub fn from_store(e: kirjo_store::StoreError) -> Self {
        match e {
            kirjo_store::StoreError::Setup(m) => Self::bad_request(m),
            kirjo_store::StoreError::Database(e) => {
                // Only the kind and code: a database message may quote data.
                let code = match &e {
                    sqlx::Error::Database(d) => d.code().map(|c| c.to_string()).unwrap_or_default(),
                    _ => String::new(),
                };
                tracing::error!(kind = %error_kind(&e), code = %code, "database error");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "internal error".to_owned(),
                }
            }
            other => {
                tracing::error!(kind = other.kind(), "storage error");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "internal error".to_owned(),
                }
            }
        }
    }
    pub fn from_gate(e: GateError) -> Self {
        match e {
            GateError::Denied { explanation } => Self {
                status: StatusCode::FORBIDDEN,
                message: explanation,
            },
            GateError::NoSuchClient => Self::not_found(),
            GateError::Store(s) => Self::from_store(s),
        }
    }
}

fn error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::Database(_) => "database",
        sqlx::Error::PoolTimedOut => "pool_timed_out",
        sqlx::Error::PoolClosed => "pool_closed",
        sqlx::Error::Io(_) => "io",
        sqlx::Error::RowNotFound => "row_not_found",
        _ => "other",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(front_page))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics_page))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/session", post(auth::sign_in).delete(auth::sign_out))
        .route("/api/me", get(api::me))
        .route("/api/me/commitment", post(api::accept_commitment))
        .route("/api/me/trail", get(api::my_trail))
        .route("/api/session/reauth", post(auth::reauthenticate))
        .route("/api/me/password", post(auth::change_password))
        .route("/api/users/{id}/password-reset", post(auth::reset_password))
        .route("/api/clients", get(api::search).post(api::create_client))
        .route(
            "/api/clients/{id}",
            get(api::client).put(api::update_client),
        )
        .route("/api/clients/{id}/log", get(api::client_log))
        .route(
            "/api/clients/{id}/protected-contact",
            get(api::protected_contact),
        )
        .route(
            "/api/rights/proposals",
            get(api::proposals).post(api::propose),
        )
        .route("/api/rights/proposals/{id}/decision", post(api::decide))
        .route(
            "/api/clients/{id}/relationships",
            post(api::open_relationship),
        )
        .route(
            "/api/clients/{id}/sensitive",
            get(api::sensitive).post(api::record_sensitive),
        )
        .route("/api/clients/{id}/finances", get(api::finances))
        .route("/api/clients/{id}/relations", post(api::add_relation))
        .route("/api/clients/{id}/turvakielto", post(api::add_turvakielto))
        .route("/api/clients/{id}/incomes", post(api::add_income))
        .route(
            "/api/clients/{id}/bank-accounts",
            post(api::add_bank_account),
        )
        .route("/api/relationships/{id}/end", post(api::end_relationship))
        .route("/api/relationships/{id}/team", post(api::add_team_member))
        .route("/api/users/{id}/end-duties", post(api::end_duties))
        .route("/api/monitoring/flags", get(api::flags))
        .route("/api/monitoring/flags/{id}/review", post(api::review_flag))
        .route("/api/monitoring/samples", post(api::draw_sample))
        .route(
            "/api/monitoring/samples/{id}/reviews",
            post(api::review_sample),
        )
        .fallback(not_found)
        .layer(middleware::from_fn(csrf_guard))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// State-changing requests must come from Kirjo's own pages or an API
/// client, never from a form on another site: they must be JSON (a
/// cross-site form cannot send that without a CORS preflight, which Kirjo
/// never grants) and, where the browser says where they come from, from
/// this host. The session cookie is `SameSite=Strict` besides.
async fn csrf_guard(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let changes_state =
        !(method == Method::GET || method == Method::HEAD || method == Method::OPTIONS);
    if changes_state {
        let headers = request.headers();
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bodyless = method == Method::DELETE;
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let same_origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(origin) => host.is_some_and(|h| {
                origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    == Some(h)
            }),
        };
        if !(json || bodyless) || !same_origin {
            return ApiError {
                status: StatusCode::FORBIDDEN,
                message: "cross-site or non-JSON request refused".to_owned(),
            }
            .into_response();
        }
    }
    next.run(request).await
}

/// Request id, metrics and the log line, around every request.
async fn observe(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4();
    request.extensions_mut().insert(RequestId(request_id));
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
    let mut body = state.metrics.render(&pool);
    // The window between commit and seal: how many rows wait, and how long
    // the oldest has waited.
    if let Ok(seal) = kirjo_store::audit::seal_state(&state.db).await {
        body.push_str("# HELP kirjo_audit_unsealed_rows Committed log rows not yet sealed.\n");
        body.push_str("# TYPE kirjo_audit_unsealed_rows gauge\n");
        body.push_str(
            "# HELP kirjo_audit_oldest_unsealed_seconds Age of the oldest unsealed log row.\n",
        );
        body.push_str("# TYPE kirjo_audit_oldest_unsealed_seconds gauge\n");
        for (log, s) in [
            ("use_log", &seal.use_log),
            ("disclosure_log", &seal.disclosure_log),
        ] {
            body.push_str(&format!(
                "kirjo_audit_unsealed_rows{{log=\"{log}\"}} {}\nkirjo_audit_oldest_unsealed_seconds{{log=\"{log}\"}} {}\n",
                s.unsealed_rows, s.oldest_unsealed_seconds
            ));
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
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
