use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use chrono::DateTime;
use chrono::Duration;
use chrono::Utc;
use kirjo_store::extract;
use kirjo_store::monitoring;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Period {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

impl Period {
    /// By default the last two years, as 703/2023 §11 gives.
    fn range(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        // Without an end, up to now, including the row of this very request.
        let to = self.to.unwrap_or_else(|| Utc::now() + Duration::minutes(1));
        let from = self.from.unwrap_or(to - Duration::days(2 * 365 + 1));
        if from > to {
            return Err(ApiError::bad_request("`from` is after `to`"));
        }
        Ok((from, to))
    }
    fn csv(&self) -> Result<bool, ApiError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "format `{other}` is not json or csv"
            ))),
        }
    }
}

fn csv_response(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/me/trail`: the user's own trail.
pub async fn my_trail(
    State(state): State<AppState>,
    me: SignedIn,
    Query(period): Query<Period>,
) -> Result<Response, ApiError> {
    let (from, to) = period.range()?;
    let csv = period.csv()?;
    let rows = extract::own_trail(&state.db, me.caller.user_id, from, to)
        .await
        .map_err(ApiError::from_store)?;
    if csv {
        return Ok(csv_response(extract::uses_csv(&rows), "trail.csv"));
    }
    Ok(Json(serde_json::json!({ "from": from, "to": to, "uses": rows })).into_response())
}

/// `GET /api/clients/{id}/log`: the client's log extract (Action::ViewLogExtract).
pub async fn client_log(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(period): Query<Period>,
) -> Result<Response, Refusal> {
    // An extract is an export of the log: the password again first.
    me.require_recent_auth(&state)?;
    let (from, to) = period.range()?;
    let csv = period.csv()?;
    let extract = crate::logs::extract::client_extract(
        &state,
        &me.caller,
        id,
        from,
        to,
        kirjo_store::Page::ALL,
    )
    .await?;
    if csv {
        return Ok(csv_response(
            extract::uses_csv(&extract.uses),
            &format!("client-{id}-log.csv"),
        ));
    }
    Ok(Json(extract).into_response())
}

/// `GET /api/monitoring/flags` (Action::ReviewMonitoring): open flags.
pub async fn flags(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let list = monitoring::open_flags(&state.db, &me.caller, &state.gate)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "flags": list })).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReviewBody {
    pub outcome: monitoring::Outcome,
    pub note: String,
}

/// `POST /api/monitoring/flags/{id}/review` (Action::ReviewMonitoring).
pub async fn review_flag(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(r): Json<ReviewBody>,
) -> Result<Response, ApiError> {
    monitoring::review_flag(&state.db, &me.caller, &state.gate, id, r.outcome, &r.note)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub struct SampleBody {
    pub unit: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub size: i64,
}

/// `POST /api/monitoring/samples` (Action::ReviewMonitoring): draw a random sample.
pub async fn draw_sample(
    State(state): State<AppState>,
    me: SignedIn,
    Json(b): Json<SampleBody>,
) -> Result<Response, ApiError> {
    let (id, items) = monitoring::draw_sample(
        &state.db,
        &me.caller,
        &state.gate,
        &b.unit,
        b.from,
        b.to,
        b.size,
    )
    .await
    .map_err(ApiError::from_gate)?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "items": items })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SampleReviewBody {
    pub use_log_id: i64,
    pub outcome: monitoring::Outcome,
    pub note: String,
}

/// `POST /api/monitoring/samples/{id}/reviews` (Action::ReviewMonitoring).
pub async fn review_sample(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(r): Json<SampleReviewBody>,
) -> Result<Response, ApiError> {
    monitoring::review_sample_item(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        r.use_log_id,
        r.outcome,
        &r.note,
    )
    .await
    .map_err(ApiError::from_gate)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
