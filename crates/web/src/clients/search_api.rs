use crate::clients::actions::{self, SearchInput, SearchRefusal};
use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use kirjo_access::StatedPurpose;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    pub identity_code: Option<String>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub birth_date: Option<NaiveDate>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Search outside one's own relationships: a configured purpose, with
    /// `purpose_text` in the user's own words (logged, flagged for review).
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

/// `GET /api/clients`: search (Action::Search), results filtered in SQL.
pub async fn search(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let input = SearchInput {
        name: q.name,
        identity_code: q.identity_code,
        birth_date: q.birth_date,
        limit: q.limit.unwrap_or(50),
        offset: q.offset.unwrap_or(0),
        purpose: q.purpose.map(|purpose_id| StatedPurpose {
            purpose_id,
            text: q.purpose_text.unwrap_or_default(),
        }),
    };
    let hits = actions::search(&state, &me.caller, input)
        .await
        .map_err(|r| match r {
            SearchRefusal::Empty => {
                ApiError::bad_request("give an identity code, a name or a birth date")
            }
            SearchRefusal::BadCode(e) => ApiError::bad_request(format!("identity code: {e}")),
            SearchRefusal::Gate(e) => ApiError::from_gate(e),
        })?;
    Ok(Json(serde_json::json!({ "results": hits })).into_response())
}
