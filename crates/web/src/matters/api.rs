//! The JSON API of matters.

use super::actions;
use super::input::{OpenInput, PhaseInput};
use crate::shared::fields::{lang, LangQuery};
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::{ApiError, Refusal};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kirjo_store::matters::{self, OpenList, Opened};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    pub service_task: Option<String>,
    pub started_by: Option<String>,
    pub started_on: Option<String>,
    pub document_id: Option<i64>,
    pub highest_care_allowance: Option<bool>,
}

/// `POST /api/clients/{id}/matters` (Action::WriteDocument): open a
/// matter, or join the document to the client's open matter of the area.
pub async fn open(
    State(state): State<AppState>,
    me: SignedIn,
    Path(client): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<OpenBody>,
) -> Result<Response, Refusal> {
    let input = OpenInput {
        service_task: b.service_task.unwrap_or_default(),
        started_by: b.started_by.unwrap_or_default(),
        started_on: b.started_on.unwrap_or_default(),
        document_id: b.document_id,
        highest_care_allowance: b.highest_care_allowance.unwrap_or(false),
    };
    let opened = actions::open(
        &state,
        &me.caller,
        client,
        &input,
        lang(q.lang.as_deref(), &headers),
    )
    .await?;
    let status = match opened {
        Opened::New(_) => StatusCode::CREATED,
        Opened::Joined(_) => StatusCode::OK,
    };
    Ok((status, Json(opened)).into_response())
}

/// `GET /api/clients/{id}/matters` (Action::ViewDocument).
pub async fn of_client(
    State(state): State<AppState>,
    me: SignedIn,
    Path(client): Path<i64>,
) -> Result<Response, ApiError> {
    let list = matters::of_client(&state.db, &me.caller, &state.gate, client)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "matters": list })).into_response())
}

/// `GET /api/matters/{id}` (Action::ViewDocument).
pub async fn read(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let m = matters::read(&state.db, &me.caller, &state.gate, id)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(m).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseBody {
    pub phase: Option<String>,
    pub on: Option<String>,
    pub outcome: Option<String>,
}

/// `POST /api/matters/{id}/phases` (Action::WriteDocument): record a step.
pub async fn record_phase(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<PhaseBody>,
) -> Result<Response, Refusal> {
    let input = PhaseInput {
        phase: b.phase.unwrap_or_default(),
        on: b.on.unwrap_or_default(),
        outcome: b.outcome.unwrap_or_default(),
    };
    actions::record(
        &state,
        &me.caller,
        id,
        &input,
        lang(q.lang.as_deref(), &headers),
    )
    .await?;
    Ok(StatusCode::CREATED.into_response())
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub list: Option<String>,
}

/// `GET /api/matters?list=mine|units` (Action::Search): open matters
/// against their deadlines, late first.
pub async fn open_list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let which = match q.list.as_deref() {
        None | Some("mine") => OpenList::Mine,
        Some("units") => OpenList::MyUnits,
        Some(_) => return Err(ApiError::bad_request("list is mine or units")),
    };
    let list = matters::open_list(&state.db, &me.caller, &state.gate, which)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "matters": list })).into_response())
}
