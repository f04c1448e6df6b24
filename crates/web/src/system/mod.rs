//! What is not a feature of its own: health, metrics, the style sheets and the accessibility statement.

use crate::shared::page::Ctx;
use crate::shared::page::Shell;
use crate::shared::route::Route;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use kirjo_store::health::readiness;
use kirjo_store::health::Readiness;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/accessibility", None, accessibility),
        Route::new("GET", "/static/{file}", None, static_file),
        Route::new("GET", "/health/live", None, live),
        Route::new("GET", "/health/ready", None, ready),
        Route::new("GET", "/metrics", None, metrics_page),
    ]
}

const HDS_BASE: &str = include_str!(concat!(env!("OUT_DIR"), "/hds-base.css"));

const HDS_COMPONENTS: &str = include_str!(concat!(env!("OUT_DIR"), "/hds-components.css"));

const KIRJO_CSS: &str = include_str!("../../static/kirjo.css");

const KIRJO_ICON: &str = include_str!("../../static/kirjo.svg");

const WEBAUTHN_JS: &str = include_str!("../../static/webauthn.js");

/// `GET /static/{file}`: the style sheets and the security keys' script,
/// built into the binary.
async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (kind, body) = match file.as_str() {
        "hds-base.css" => ("text/css; charset=utf-8", HDS_BASE),
        "hds-components.css" => ("text/css; charset=utf-8", HDS_COMPONENTS),
        "kirjo.css" => ("text/css; charset=utf-8", KIRJO_CSS),
        "kirjo.svg" => ("image/svg+xml", KIRJO_ICON),
        "webauthn.js" => ("text/javascript; charset=utf-8", WEBAUTHN_JS),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn live() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "live" }))
}

/// How long readiness waits for the database: with the database gone it
/// says 503 at once rather than after the pool's acquire timeout.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

async fn ready(State(state): State<AppState>) -> Response {
    let answer = tokio::time::timeout(READY_TIMEOUT, readiness(&state.db))
        .await
        .unwrap_or_else(|_| Readiness::DatabaseUnreachable("no answer within 1 s".to_owned()));
    match answer {
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
    let pool = crate::shared::metrics::PoolState {
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

#[derive(Template)]
#[template(path = "system/accessibility.html")]
pub struct AccessibilityPage {
    pub shell: Shell,
}

/// `GET /accessibility`: the accessibility statement (saavutettavuusseloste).
pub async fn accessibility(State(state): State<AppState>, ctx: Ctx) -> Response {
    let actor = match ctx.user(&state).await {
        Ok((_, a)) => Some(a),
        Err(_) => None,
    };
    ctx.render(
        StatusCode::OK,
        &AccessibilityPage {
            shell: ctx.shell(ctx.tr.t("a11y-title"), actor.as_ref()),
        },
    )
}
