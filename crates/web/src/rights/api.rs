use crate::account::session::hash_password;
use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use kirjo_store::staff;
use kirjo_store::staff::Proposal;
use serde::Deserialize;

/// `GET /api/rights/proposals` (Action::ViewRights).
pub async fn proposals(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let list = staff::proposals(&state.db, &me.caller, &state.gate)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "proposals": list })).into_response())
}

/// `POST /api/rights/proposals` (Action::ProposeRights).
pub async fn propose(
    State(state): State<AppState>,
    me: SignedIn,
    Json(p): Json<Proposal>,
) -> Result<Response, ApiError> {
    let id = staff::propose(&state.db, &me.caller, &state.gate, &p)
        .await
        .map_err(ApiError::from_gate)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    pub approve: bool,
    pub reason: String,
}

/// `POST /api/rights/proposals/{id}/decision` (Action::ApproveRights).
pub async fn decide(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(d): Json<DecisionBody>,
) -> Result<Response, ApiError> {
    me.require_recent_auth(&state)?;
    let grant = staff::decide(&state.db, &me.caller, &state.gate, id, d.approve, &d.reason)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(
        Json(serde_json::json!({ "proposal": id, "approved": d.approve, "grant_id": grant }))
            .into_response(),
    )
}

#[derive(Debug, Deserialize)]
pub struct Reason {
    pub reason: String,
}

/// `POST /api/users/{id}/end-duties` (Action::ApproveRights).
pub async fn end_duties(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(r): Json<Reason>,
) -> Result<Response, ApiError> {
    me.require_recent_auth(&state)?;
    staff::end_duties(&state.db, &me.caller, &state.gate, id, &r.reason)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/users/{id}/password-reset` (Action::ApproveRights): a new
/// temporary password, shown once; the user must change it at the next
/// sign-in, and their open sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, ApiError> {
    me.require_recent_auth(&state)?;
    let temporary = crate::account::passwords::temporary()
        .ok_or_else(|| ApiError::internal("no randomness"))?;
    let t = temporary.clone();
    let hash = state
        .hashing
        .run(move || hash_password(&t))
        .await?
        .map_err(|_| ApiError::internal("hashing"))?;
    staff::reset_password(&state.db, &me.caller, &state.gate, id, &hash)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(
        axum::Json(serde_json::json!({ "user_id": id, "temporary_password": temporary }))
            .into_response(),
    )
}
