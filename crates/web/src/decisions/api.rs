use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use kirjo_domain::decision::{FinalGround, ServiceMethod};
use kirjo_store::decisions;
use serde::Deserialize;

/// Decides a decision draft as the signed-in user, with the step-up as
/// this session has it. Returns the client and the new revision.
pub(crate) async fn decide_as(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    revision: i64,
) -> Result<(i64, i64), Refusal> {
    let client = crate::documents::actions::client_of(state, id).await?;
    let stepped_up = crate::account::second_factor::stepped_up(state, me).await?;
    let new = decisions::decide(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        revision,
        stepped_up,
    )
    .await?;
    Ok((client, new))
}

/// `POST /api/documents/{id}/decide`: the named decision maker decides
/// the draft (If-Match).
pub async fn decide(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let revision = crate::shared::revision::if_match(&headers)?;
    let (_, new) = decide_as(&state, &me, id, revision).await?;
    Ok((StatusCode::NO_CONTENT, [crate::shared::revision::etag(new)]).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceBody {
    pub party: usize,
    pub method: String,
    pub sent_on: String,
    #[serde(default)]
    pub receipt_on: Option<String>,
}

/// A service as given, checked: each problem by its field.
pub(crate) fn service_input(
    party: usize,
    method: &str,
    sent_on: &str,
    receipt_on: &str,
    lang: kirjo_domain::contact::Lang,
) -> Result<decisions::ServiceInput, Refusal> {
    use crate::shared::fields::FieldError;
    let mut errors = Vec::new();
    let m = ServiceMethod::parse(method);
    if m.is_none() {
        errors.push(FieldError {
            field: "method".into(),
            message: kirjo_domain::forms::say(kirjo_domain::forms::CHOOSE, lang).to_owned(),
        });
    }
    let date = |field: &str, raw: &str, required: bool, errors: &mut Vec<FieldError>| {
        match kirjo_domain::edge::iso_date(raw.trim()) {
            Some(d) => Some(d),
            None if raw.trim().is_empty() && !required => None,
            None => {
                errors.push(FieldError {
                    field: field.into(),
                    message: kirjo_domain::forms::say(
                        if raw.trim().is_empty() {
                            kirjo_domain::forms::REQUIRED
                        } else {
                            kirjo_domain::forms::BAD_DATE
                        },
                        lang,
                    )
                    .to_owned(),
                });
                None
            }
        }
    };
    let sent = date("sent_on", sent_on, true, &mut errors);
    let receipt = date("receipt_on", receipt_on, false, &mut errors);
    match (m, sent) {
        (Some(method), Some(sent_on)) if errors.is_empty() => Ok(decisions::ServiceInput {
            party,
            method,
            sent_on,
            receipt_on: receipt,
        }),
        _ => Err(Refusal::Fields(errors)),
    }
}

/// `POST /api/documents/{id}/service`: a party's serving.
pub async fn service(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<crate::shared::fields::LangQuery>,
    headers: HeaderMap,
    Json(b): Json<ServiceBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let input = service_input(
        b.party,
        &b.method,
        &b.sent_on,
        b.receipt_on.as_deref().unwrap_or_default(),
        lang,
    )?;
    let client = crate::documents::actions::client_of(&state, id).await?;
    let served =
        decisions::record_service(&state.db, &me.caller, &state.gate, client, id, &input).await?;
    Ok((StatusCode::CREATED, Json(served)).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalBody {
    pub ground: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/documents/{id}/final`: marks the decision final.
pub async fn final_(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(b): Json<FinalBody>,
) -> Result<Response, Refusal> {
    let ground = FinalGround::parse(&b.ground)
        .ok_or_else(|| ApiError::bad_request("ground is appeal_periods_passed or appeal_waived"))?;
    let client = crate::documents::actions::client_of(&state, id).await?;
    decisions::mark_final(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        ground,
        b.reason.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/documents/{id}/decision`: the printout-ready data.
pub async fn printout(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    let client = crate::documents::actions::client_of(&state, id).await?;
    let p = decisions::printout(&state.db, &me.caller, &state.gate, client, id)
        .await?
        .ok_or(Refusal::NotFound)?;
    Ok(Json(p).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AreaQuery {
    pub area: String,
}

/// `GET /api/decision-makers?area=`: who may be named decision maker there.
pub async fn makers(
    State(state): State<AppState>,
    _me: SignedIn,
    Query(q): Query<AreaQuery>,
) -> Result<Response, ApiError> {
    let list = decisions::qualified_makers(&state.db, &[q.area])
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(serde_json::json!({ "makers": list })).into_response())
}
