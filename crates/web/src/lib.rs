//! Kirjo's HTTP side, on axum.
//!
//! Every request gets a request id (`x-request-id`, also in the log line and,
//! later, in the use log), is counted and timed per route template for
//! `/metrics`, and is logged with its route template only: a raw path or
//! query may hold an identity code, so it never reaches the application log.

pub mod api;
pub mod auth;
pub mod document_pages;
pub mod documents;
pub mod i18n;
pub mod log_pages;
pub mod metrics;
pub mod mfa;
pub mod multipart;
pub mod openapi;
pub mod pages;
pub mod passwords;
pub mod people;
pub mod person_form;
pub mod totp;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
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
    /// Roles that must sign in with a second factor (TOTP). A user who has
    /// enrolled one always needs it, whatever their roles.
    pub second_factor_roles: Vec<kirjo_access::Role>,
    /// A password older than this many days must be changed at sign-in.
    /// `None` (the default, as current guidance advises): no maximum age.
    pub max_password_age_days: Option<i64>,
    /// The name an authenticator app shows for Kirjo.
    pub issuer: String,
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
            second_factor_roles: Vec::new(),
            max_password_age_days: None,
            issuer: "Kirjo".to_owned(),
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
    pub ui: Arc<UiSettings>,
}

/// What the pages need of the configuration.
#[derive(Debug, Clone, Default)]
pub struct UiSettings {
    /// The purposes a worker may state to open a client outside their own
    /// relationships, with their names in each language.
    pub purposes: Vec<kirjo_domain::register::AccessPurpose>,
    /// Served over TLS: pages add `Strict-Transport-Security`.
    pub tls: bool,
}

impl AppState {
    pub fn new(db: PgPool) -> Self {
        Self {
            db,
            metrics: Arc::new(Metrics::default()),
            gate: Arc::new(GateSettings::default()),
            sessions: Arc::new(SessionSettings::default()),
            ui: Arc::new(UiSettings::default()),
        }
    }

    pub fn with_ui(mut self, ui: UiSettings) -> Self {
        self.ui = Arc::new(ui);
        self
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
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
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
        .route("/", get(pages::start))
        .route(
            "/sign-in",
            get(pages::sign_in_page).post(pages::sign_in_submit),
        )
        .route(
            "/sign-in/second-factor",
            get(pages::second_factor_page).post(pages::second_factor_submit),
        )
        .route("/sign-out", post(pages::sign_out))
        .route("/language", post(pages::set_language))
        .route("/commitment", post(pages::accept_commitment))
        .route("/account", get(pages::account))
        .route(
            "/account/second-factor",
            get(pages::enrol_get).post(pages::enrol_submit),
        )
        .route(
            "/account/password",
            get(pages::password_get).post(pages::password_submit),
        )
        .route("/reauth", get(pages::reauth_get).post(pages::reauth_submit))
        .route("/search", get(pages::search).post(pages::purpose_search))
        .route("/clients", get(pages::my_clients))
        .route(
            "/clients/new",
            get(person_form::new_get).post(person_form::new_post),
        )
        .route(
            "/clients/{id}",
            get(pages::client).post(pages::client_with_purpose),
        )
        .route(
            "/clients/{id}/edit",
            get(person_form::edit_get).post(person_form::edit_post),
        )
        .route("/clients/{id}/reveal", post(person_form::reveal))
        .route(
            "/clients/{id}/minor-prohibition",
            get(document_pages::prohibition_form).post(document_pages::record_prohibition),
        )
        .route(
            "/clients/{id}/minor-prohibition/{pid}/end",
            post(document_pages::end_prohibition),
        )
        .route(
            "/clients/{id}/guardian-answer",
            get(document_pages::guardian_answer),
        )
        .route("/clients/{id}/documents", get(document_pages::timeline))
        .route(
            "/clients/{id}/documents/new",
            get(document_pages::new_get).post(document_pages::new_post),
        )
        .route("/documents/{id}", get(document_pages::read))
        .route("/documents/{id}/edit", post(document_pages::edit))
        .route("/documents/{id}/complete", post(document_pages::complete))
        .route("/documents/{id}/discard", post(document_pages::discard))
        .route(
            "/documents/{id}/correct",
            get(document_pages::correct_get).post(document_pages::correct_post),
        )
        .route("/supervision", get(pages::supervision))
        .route("/supervision/samples", post(log_pages::draw))
        .route("/supervision/samples/{id}", get(log_pages::sample))
        .route(
            "/supervision/samples/{id}/items/{log}",
            post(log_pages::review_item),
        )
        .route("/clients/{id}/log", get(log_pages::client_log))
        .route("/account/trail", get(log_pages::own_trail))
        .route(
            "/data-protection/extract",
            post(log_pages::find_for_extract),
        )
        .route("/administration", get(pages::administration))
        .route("/administration/proposals/{id}", post(pages::decide))
        .route("/data-protection", get(pages::data_protection))
        .route("/data-protection/flags/{id}", post(pages::review_flag))
        .route("/accessibility", get(pages::accessibility))
        .route("/static/{file}", get(static_file))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics_page))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/session", post(auth::sign_in).delete(auth::sign_out))
        .route("/api/me", get(api::me))
        .route("/api/me/commitment", post(api::accept_commitment))
        .route("/api/me/trail", get(api::my_trail))
        .route("/api/session/reauth", post(auth::reauthenticate))
        .route("/api/session/second-factor", post(mfa::api_verify))
        .route("/api/me/second-factor", post(mfa::api_begin))
        .route("/api/me/second-factor/confirm", post(mfa::api_confirm))
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
        .route(
            "/api/clients/{id}/documents",
            get(documents::timeline).post(documents::create),
        )
        .route(
            "/api/documents/{id}",
            get(documents::read).put(documents::edit),
        )
        .route(
            "/api/clients/{id}/minor-prohibitions",
            post(documents::record_prohibition),
        )
        .route(
            "/api/clients/{id}/minor-prohibitions/{pid}/end",
            post(documents::end_prohibition),
        )
        .route(
            "/api/clients/{id}/guardian-answer",
            get(documents::guardian_answer),
        )
        .route(
            "/api/documents/{id}/attachments",
            post(documents::add_attachment)
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
        .route("/api/attachments/{id}", get(documents::read_attachment))
        .route("/attachments/{id}", get(document_pages::attachment))
        .route("/documents/{id}/attachments", post(document_pages::upload))
        .route("/api/documents/{id}/export", get(documents::export))
        .route(
            "/api/clients/{id}/client-document/export",
            get(documents::export_client_document),
        )
        .route("/api/documents/{id}/complete", post(documents::complete))
        .route("/api/documents/{id}/discard", post(documents::discard))
        .route("/api/documents/{id}/corrections", post(documents::correct))
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
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// State-changing requests must come from Kirjo's own pages or an API
/// client, never from another site. The API takes JSON only (a cross-site
/// form cannot send that without a CORS preflight, which Kirjo never
/// grants). The pages' forms carry a token that must equal the
/// `kirjo_csrf` cookie, which another site can neither read nor set. Both
/// must come from this host where the browser says where they come from
/// (`Origin`, `Sec-Fetch-Site`); the cookies are `SameSite=Strict` besides.
async fn csrf_guard(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let changes_state =
        !(method == Method::GET || method == Method::HEAD || method == Method::OPTIONS);
    if !changes_state {
        return next.run(request).await;
    }
    let headers = request.headers();
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
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == "same-origin" || v == "none");
    if !same_origin || !fetch_site_ok {
        return refuse("another origin");
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if request.uri().path().starts_with("/api/") {
        let json = content_type.starts_with("application/json");
        if !(json || method == Method::DELETE) {
            return refuse("the API takes JSON only");
        }
        return next.run(request).await;
    }
    // The form that attaches a file is the one multipart form. The upload
    // page reads its body, and checks its token with `form_token_ok`, only
    // after it has found the session valid: nobody who is not signed in
    // can make Kirjo hold a file-sized body.
    if multipart::boundary(&content_type).is_some() && is_upload_path(request.uri().path()) {
        return next.run(request).await;
    }
    // Any other page's form: read it (small), check the token, pass it on.
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return refuse("not a form");
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body, 256 * 1024, content_length(&parts.headers)).await {
        Ok(b) => b,
        Err(BodyProblem::Broken) => {
            return ApiError::bad_request("the request body could not be read").into_response()
        }
        Err(BodyProblem::TooLarge(_)) => {
            return ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: "form too large".to_owned(),
            }
            .into_response()
        }
    };
    if !form_token_ok(
        &parts.headers,
        form_urlencoded_value(&bytes, "csrf").as_deref(),
    ) {
        return csrf_refusal();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// `/documents/{id}/attachments`, the upload form's address.
fn is_upload_path(path: &str) -> bool {
    path.strip_prefix("/documents/")
        .and_then(|rest| rest.strip_suffix("/attachments"))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a form's token equals the `kirjo_csrf` cookie.
pub(crate) fn form_token_ok(headers: &axum::http::HeaderMap, token: Option<&str>) -> bool {
    match (pages::cookie_value(headers, pages::CSRF_COOKIE), token) {
        (Some(c), Some(t)) => !c.is_empty() && same_bytes(c.as_bytes(), t.as_bytes()),
        _ => false,
    }
}

/// The answer to a request that may come from another site.
fn refuse(why: &str) -> Response {
    ApiError {
        status: StatusCode::FORBIDDEN,
        message: format!("cross-site request refused: {why}"),
    }
    .into_response()
}

/// The answer to a form whose token is missing or wrong.
pub(crate) fn csrf_refusal() -> Response {
    refuse("the form's token is missing or wrong: reload the page")
}

/// The length a request says its body has (0 when it does not say).
pub(crate) fn content_length(headers: &axum::http::HeaderMap) -> usize {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
}

/// The most a form with a file may carry: the largest file and room for
/// the form's other fields.
pub const UPLOAD_LIMIT: usize = kirjo_store::documents::ATTACHMENT_MAX_BYTES + 64 * 1024;

pub(crate) enum BodyProblem {
    /// Larger than the limit: the first `limit` bytes.
    TooLarge(axum::body::Bytes),
    Broken,
}

/// Reads a body of at most `limit` bytes. Of a larger one the first `limit`
/// bytes are kept and the rest, up to three times the limit more, is read
/// and thrown away, so that a browser still sending a file a little too
/// large gets the answer rather than a broken connection; beyond that the
/// connection is dropped. `announced`: the length the request gave, room
/// for which is taken at once (up to `limit`) rather than grown into.
pub(crate) async fn read_body(
    body: axum::body::Body,
    limit: usize,
    announced: usize,
) -> Result<axum::body::Bytes, BodyProblem> {
    use http_body_util::BodyExt;
    let drain_to = limit.saturating_mul(4);
    let mut body = body;
    let mut kept: Vec<u8> = Vec::with_capacity(announced.min(limit));
    let mut seen: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyProblem::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let room = limit.saturating_sub(kept.len());
        kept.extend_from_slice(&data[..data.len().min(room)]);
        seen = seen.saturating_add(data.len());
        if seen > drain_to {
            break;
        }
    }
    if seen > limit {
        Err(BodyProblem::TooLarge(kept.into()))
    } else {
        Ok(kept.into())
    }
}

/// Compares in time that does not depend on where the bytes differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of one field of an `application/x-www-form-urlencoded` body.
fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body);
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// Headers on every answer: no framing, no sniffing, no referrer, a strict
/// Content-Security-Policy (no inline script or style at all), and no
/// caching of anything but the static style sheets. HSTS over TLS.
async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Not `no-referrer`: under it browsers send `Origin: null` with a form,
    // which the CSRF guard could not tell from another site's. Addresses
    // (which may hold ids) still never leave for another origin.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if is_static {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    if state.ui.tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

const HDS_BASE: &str = include_str!(concat!(env!("OUT_DIR"), "/hds-base.css"));
const HDS_COMPONENTS: &str = include_str!(concat!(env!("OUT_DIR"), "/hds-components.css"));
const KIRJO_CSS: &str = include_str!("../static/kirjo.css");
const KIRJO_ICON: &str = include_str!("../static/kirjo.svg");

/// `GET /static/{file}`: the style sheets, built into the binary.
async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (kind, body) = match file.as_str() {
        "hds-base.css" => ("text/css; charset=utf-8", HDS_BASE),
        "hds-components.css" => ("text/css; charset=utf-8", HDS_COMPONENTS),
        "kirjo.css" => ("text/css; charset=utf-8", KIRJO_CSS),
        "kirjo.svg" => ("image/svg+xml", KIRJO_ICON),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
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

async fn not_found(uri: axum::http::Uri, ctx: pages::Ctx) -> Response {
    if uri.path().starts_with("/api/") {
        (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "not found" })),
        )
            .into_response()
    } else {
        pages::not_found(ctx).await
    }
}
