use crate::logs::pages::PAGE_ROWS;
use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use chrono::DateTime;
use chrono::Duration;
use chrono::Utc;
use kirjo_store::extract;
use kirjo_store::monitoring;
use kirjo_store::Page;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Period {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
    /// The page of rows in JSON, from 1 (a CSV holds the whole period).
    pub page: Option<String>,
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
    /// The page asked for, of [`PAGE_ROWS`] rows, or the API's 422.
    fn page(&self, headers: &HeaderMap) -> Result<(i64, Page), Refusal> {
        let lang = crate::shared::fields::lang(None, headers);
        crate::shared::pager::asked_or_refused(self.page.as_deref(), PAGE_ROWS, lang)
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

/// `GET /api/me/trail`: the user's own trail, a page (`page=`, from 1) of
/// at most `page_size` rows of `total` in JSON; the whole period in CSV.
pub async fn my_trail(
    State(state): State<AppState>,
    me: SignedIn,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let (from, to) = period.range()?;
    let csv = period.csv()?;
    let (page, rows) = period.page(&headers)?;
    if csv {
        let rows = extract::own_trail(&state.db, me.caller.user_id, from, to)
            .await
            .map_err(ApiError::from_store)?;
        return Ok(csv_response(extract::uses_csv(&rows), "trail.csv"));
    }
    let (total, uses) = extract::own_trail_page(&state.db, me.caller.user_id, from, to, rows)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(serde_json::json!({
        "from": from,
        "to": to,
        "uses": uses,
        "page": page,
        "page_size": PAGE_ROWS,
        "total": total,
    }))
    .into_response())
}

/// `GET /api/clients/{id}/log`: the client's log extract
/// (Action::ViewLogExtract): in JSON a page (`page=`, from 1) of at most
/// `page_size` uses of `total` and every disclosure of the period; in CSV
/// every use of the period.
pub async fn client_log(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    // An extract is an export of the log: the password again first.
    me.require_recent_auth(&state)?;
    let (from, to) = period.range()?;
    let csv = period.csv()?;
    let (page, rows) = period.page(&headers)?;
    let rows = if csv { Page::ALL } else { rows };
    let extract =
        crate::logs::extract::client_extract(&state, &me.caller, id, from, to, rows).await?;
    if csv {
        return Ok(csv_response(
            extract::uses_csv(&extract.uses),
            &format!("client-{id}-log.csv"),
        ));
    }
    let total = extract.total_uses;
    let mut answer = serde_json::to_value(extract)
        .map_err(|_| ApiError::internal("serialising a log extract"))?;
    if let Some(fields) = answer.as_object_mut() {
        fields.insert("page".to_owned(), page.into());
        fields.insert("page_size".to_owned(), PAGE_ROWS.into());
        fields.insert("total".to_owned(), total.into());
    }
    Ok(Json(answer).into_response())
}

/// `GET /api/monitoring/flags` (Action::ReviewMonitoring): open flags.
pub async fn flags(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let list = monitoring::open_flags(&state.db, &me.caller, &state.gate)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "flags": list })).into_response())
}

/// `GET /api/monitoring/items` (Action::ReviewMonitoring): open review
/// items, a user's flags of one kind on one day each.
pub async fn items(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let list = monitoring::open_items(&state.db, &me.caller, &state.gate)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "items": list })).into_response())
}

/// `POST /api/monitoring/items/{id}/review` (Action::ReviewMonitoring):
/// every open flag of the item gets the outcome.
pub async fn review_item(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(r): Json<ReviewBody>,
) -> Result<Response, ApiError> {
    let n = monitoring::review_item(&state.db, &me.caller, &state.gate, id, r.outcome, &r.note)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "reviewed": n })).into_response())
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
