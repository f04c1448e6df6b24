//! The JSON API. Every route maps to exactly one [`Action`] (see
//! [`ROUTES`]), or to none where it touches no client or administrative
//! data (health, signing in and out, the user's own page); a test checks
//! that the router and this table agree.

use crate::auth::SignedIn;
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use kirjo_access::{Action, StatedPurpose};
use kirjo_store::gate::{enter, Request};
use kirjo_store::staff::{self, Proposal};
use kirjo_store::{clients, extract, monitoring};
use serde::Deserialize;

/// Method, path template and the action it maps to.
pub const ROUTES: &[(&str, &str, Option<Action>)] = &[
    ("GET", "/api/openapi.json", None),
    ("POST", "/api/session", None),
    ("DELETE", "/api/session", None),
    ("GET", "/api/me", None),
    ("POST", "/api/me/commitment", None),
    ("GET", "/api/me/trail", None),
    ("POST", "/api/session/reauth", None),
    ("POST", "/api/session/second-factor", None),
    ("POST", "/api/me/second-factor", None),
    ("POST", "/api/me/second-factor/confirm", None),
    ("POST", "/api/me/password", None),
    (
        "POST",
        "/api/users/{id}/password-reset",
        Some(Action::ApproveRights),
    ),
    ("GET", "/api/clients", Some(Action::Search)),
    (
        "GET",
        "/api/clients/{id}/documents",
        Some(Action::ViewDocument),
    ),
    (
        "POST",
        "/api/clients/{id}/documents",
        Some(Action::WriteDocument),
    ),
    ("GET", "/api/documents/{id}", Some(Action::ViewDocument)),
    ("PUT", "/api/documents/{id}", Some(Action::WriteDocument)),
    ("GET", "/api/documents/{id}/export", Some(Action::Export)),
    (
        "GET",
        "/api/clients/{id}/client-document/export",
        Some(Action::Export),
    ),
    (
        "POST",
        "/api/clients/{id}/minor-prohibitions/{pid}/end",
        Some(Action::WriteDocument),
    ),
    (
        "POST",
        "/api/documents/{id}/attachments",
        Some(Action::WriteDocument),
    ),
    ("GET", "/api/attachments/{id}", Some(Action::ViewDocument)),
    (
        "POST",
        "/api/clients/{id}/minor-prohibitions",
        Some(Action::WriteDocument),
    ),
    (
        "GET",
        "/api/clients/{id}/guardian-answer",
        Some(Action::Disclose),
    ),
    (
        "POST",
        "/api/documents/{id}/complete",
        Some(Action::WriteDocument),
    ),
    (
        "POST",
        "/api/documents/{id}/discard",
        Some(Action::WriteDocument),
    ),
    (
        "POST",
        "/api/documents/{id}/corrections",
        Some(Action::CorrectEntry),
    ),
    ("POST", "/api/clients", Some(Action::CreatePerson)),
    ("PUT", "/api/clients/{id}", Some(Action::EditBasicData)),
    ("GET", "/api/clients/{id}", Some(Action::ViewBasicData)),
    ("GET", "/api/clients/{id}/log", Some(Action::ViewLogExtract)),
    (
        "GET",
        "/api/clients/{id}/protected-contact",
        Some(Action::RevealProtectedAddress),
    ),
    (
        "POST",
        "/api/clients/{id}/relationships",
        Some(Action::ManageRelationship),
    ),
    (
        "POST",
        "/api/relationships/{id}/end",
        Some(Action::ManageRelationship),
    ),
    (
        "POST",
        "/api/relationships/{id}/team",
        Some(Action::ManageRelationship),
    ),
    (
        "GET",
        "/api/clients/{id}/sensitive",
        Some(Action::ViewSensitiveData),
    ),
    (
        "POST",
        "/api/clients/{id}/sensitive",
        Some(Action::RecordSensitiveData),
    ),
    (
        "GET",
        "/api/clients/{id}/finances",
        Some(Action::ViewFinances),
    ),
    (
        "POST",
        "/api/clients/{id}/incomes",
        Some(Action::EditFinances),
    ),
    (
        "POST",
        "/api/clients/{id}/bank-accounts",
        Some(Action::EditFinances),
    ),
    (
        "POST",
        "/api/clients/{id}/relations",
        Some(Action::EditBasicData),
    ),
    (
        "POST",
        "/api/clients/{id}/turvakielto",
        Some(Action::EditBasicData),
    ),
    ("GET", "/api/rights/proposals", Some(Action::ViewRights)),
    ("POST", "/api/rights/proposals", Some(Action::ProposeRights)),
    (
        "POST",
        "/api/rights/proposals/{id}/decision",
        Some(Action::ApproveRights),
    ),
    (
        "POST",
        "/api/users/{id}/end-duties",
        Some(Action::ApproveRights),
    ),
    (
        "GET",
        "/api/monitoring/flags",
        Some(Action::ReviewMonitoring),
    ),
    (
        "POST",
        "/api/monitoring/flags/{id}/review",
        Some(Action::ReviewMonitoring),
    ),
    (
        "POST",
        "/api/monitoring/samples",
        Some(Action::ReviewMonitoring),
    ),
    (
        "POST",
        "/api/monitoring/samples/{id}/reviews",
        Some(Action::ReviewMonitoring),
    ),
];

/// `GET /api/me`: who I am, my roles in force, and whether I must accept
/// the user commitment first.
pub async fn me(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let actor = staff::my_roles(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::unauthenticated)?;
    let commitment = staff::current_commitment(&state.db)
        .await
        .map_err(ApiError::from_store)?;
    let roles: Vec<_> = actor
        .roles
        .iter()
        .map(|r| {
            serde_json::json!({
                "grant_id": r.grant_id, "role": r.role, "unit": r.unit, "service_area": r.service_area
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "user_id": actor.user_id,
        "name": actor.name,
        "roles": roles,
        "provider": actor.provider,
        "commitment_accepted": actor.commitment_accepted,
        "password_change_required": actor.password_change_required,
        "commitment": commitment.map(|(v, fi, sv, en)| serde_json::json!({"version": v, "fi": fi, "sv": sv, "en": en})),
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Accept {
    pub version: i32,
}

/// `POST /api/me/commitment`: accept the current user commitment.
pub async fn accept_commitment(
    State(state): State<AppState>,
    me: SignedIn,
    Json(body): Json<Accept>,
) -> Result<Response, ApiError> {
    let ok = staff::accept_commitment(&state.db, me.caller.user_id, body.version)
        .await
        .map_err(ApiError::from_store)?;
    if ok {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::bad_request(format!(
            "version {} is not the current user commitment",
            body.version
        )))
    }
}

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

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    pub identity_code: Option<String>,
    pub name: Option<String>,
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
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let criteria = clients::Criteria {
        identity_code: non_empty(q.identity_code),
        name: non_empty(q.name),
        birth_date: q.birth_date,
        limit: q.limit.unwrap_or(50),
        offset: q.offset.unwrap_or(0),
        purpose: q.purpose.map(|purpose_id| StatedPurpose {
            purpose_id,
            text: q.purpose_text.unwrap_or_default(),
        }),
    };
    if criteria.identity_code.is_none() && criteria.name.is_none() && criteria.birth_date.is_none()
    {
        return Err(ApiError::bad_request(
            "give an identity code, a name or a birth date",
        ));
    }
    if let Some(code) = &criteria.identity_code {
        kirjo_domain::hetu::PersonalIdentityCode::parse(code)
            .map_err(|e| ApiError::bad_request(format!("identity code: {e}")))?;
    }
    let hits = clients::search(&state.db, &me.caller, &state.gate, &criteria)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(serde_json::json!({ "results": hits })).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PurposeQuery {
    /// A configured purpose, for access outside one's relationships.
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

/// `GET /api/clients/{id}`: basic data (Action::ViewBasicData).
pub async fn client(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<PurposeQuery>,
) -> Result<Response, ApiError> {
    let purpose = q.purpose.map(|purpose_id| StatedPurpose {
        purpose_id,
        text: q.purpose_text.unwrap_or_default(),
    });
    let mut g = enter(
        &state.db,
        &me.caller,
        &state.gate,
        &Request {
            action: Action::ViewBasicData,
            client_id: Some(id),
            data: "basic_data",
            purpose: purpose.as_ref(),
            reason: None,
        },
    )
    .await
    .map_err(ApiError::from_gate)?;
    let explanation = g.access.decision().explanation.clone();
    let pending = clients::basic_data(&mut g)
        .await
        .map_err(ApiError::from_store)?;
    let data = g.finish(pending).await.map_err(ApiError::from_store)?;
    let Some((person, relationships)) = data else {
        return Err(ApiError::not_found());
    };
    Ok(Json(serde_json::json!({
        "person": person,
        "relationships": relationships,
        "access": explanation,
    }))
    .into_response())
}

/// `GET /api/clients/{id}/log`: the client's log extract (Action::ViewLogExtract).
pub async fn client_log(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(period): Query<Period>,
) -> Result<Response, ApiError> {
    // An extract is an export of the log: the password again first.
    me.require_recent_auth(&state)?;
    let (from, to) = period.range()?;
    let csv = period.csv()?;
    let data = format!("log extract {} .. {}", from.to_rfc3339(), to.to_rfc3339());
    let mut g = on_client(&state, &me, id, Action::ViewLogExtract, &data).await?;
    let pending = extract::client_extract(&mut g, from, to)
        .await
        .map_err(ApiError::from_store)?;
    let extract = g
        .finish(pending)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::not_found)?;
    if csv {
        return Ok(csv_response(
            extract::uses_csv(&extract.uses),
            &format!("client-{id}-log.csv"),
        ));
    }
    Ok(Json(extract).into_response())
}

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

#[derive(Debug, Deserialize)]
pub struct ReasonQuery {
    pub reason: Option<String>,
}

/// `GET /api/clients/{id}/protected-contact?reason=...`
/// (Action::RevealProtectedAddress): the address and contact data of a
/// person under turvakielto. The reason is required and kept in the use log.
pub async fn protected_contact(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<ReasonQuery>,
) -> Result<Response, ApiError> {
    me.require_recent_auth(&state)?;
    let reason = q.reason.unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(ApiError::bad_request(
            "state the reason for revealing a protected address (reason=...)",
        ));
    }
    let mut g = enter(
        &state.db,
        &me.caller,
        &state.gate,
        &Request {
            action: Action::RevealProtectedAddress,
            client_id: Some(id),
            data: "protected contact data",
            purpose: None,
            reason: Some(&reason),
        },
    )
    .await
    .map_err(ApiError::from_gate)?;
    let pending = clients::protected_contact(&mut g)
        .await
        .map_err(ApiError::from_store)?;
    let contact = g
        .finish(pending)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(contact).into_response())
}

/// `GET /api/openapi.json`: the description of this API.
pub async fn openapi() -> Response {
    Json(crate::openapi::document()).into_response()
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

fn form_errors(errors: Vec<crate::people::FieldError>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(serde_json::json!({ "errors": errors })),
    )
        .into_response()
}

/// `POST /api/clients` (Action::CreatePerson): add a person to the register.
pub async fn create_client(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(body): Json<crate::people::PersonBody>,
) -> Result<Response, ApiError> {
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let input = match crate::people::validate(&body, lang, true) {
        Ok(i) => i,
        Err(errors) => return Ok(form_errors(errors)),
    };
    let mut g = kirjo_store::gate::enter_general(
        &state.db,
        &me.caller,
        &state.gate,
        Action::CreatePerson,
        "create person",
    )
    .await
    .map_err(ApiError::from_gate)?;
    let pending = clients::create_person(&mut g, &state.gate.register_id, &input)
        .await
        .map_err(ApiError::from_store)?;
    match g.finish(pending).await.map_err(ApiError::from_store)? {
        Some(clients::CreateOutcome::Created(id)) => {
            Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
        }
        Some(clients::CreateOutcome::IdentityCodeTaken) => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({ "errors": [crate::people::FieldError {
                field: "identity_code".to_owned(),
                message: crate::people::text(crate::people::Rule::IdentityCodeTaken, lang).to_owned(),
            }] })),
        )
            .into_response()),
        None => Err(ApiError::internal("create person")),
    }
}

/// `PUT /api/clients/{id}` (Action::EditBasicData): change basic data.
pub async fn update_client(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(body): Json<crate::people::PersonBody>,
) -> Result<Response, ApiError> {
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let input = match crate::people::validate(&body, lang, false) {
        Ok(i) => i,
        Err(errors) => return Ok(form_errors(errors)),
    };
    let mut g = on_client(&state, &me, id, Action::EditBasicData, "basic_data").await?;
    let pending = clients::update_basic(&mut g, &input)
        .await
        .map_err(ApiError::from_store)?;
    let updated = g.finish(pending).await.map_err(ApiError::from_store)?;
    Ok(Json(serde_json::json!({ "id": id, "updated": updated })).into_response())
}

/// `POST /api/clients/{id}/relationships` (Action::ManageRelationship).
pub async fn open_relationship(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(new): Json<kirjo_store::relationships::NewRelationship>,
) -> Result<Response, ApiError> {
    let rid = kirjo_store::relationships::open(&state.db, &me.caller, &state.gate, id, &new)
        .await
        .map_err(ApiError::from_gate)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": rid }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EndBody {
    pub ended_on: NaiveDate,
    pub reason: String,
}

/// `POST /api/relationships/{id}/end` (Action::ManageRelationship).
pub async fn end_relationship(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(b): Json<EndBody>,
) -> Result<Response, ApiError> {
    kirjo_store::relationships::end(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        b.ended_on,
        &b.reason,
    )
    .await
    .map_err(ApiError::from_gate)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/relationships/{id}/team` (Action::ManageRelationship).
pub async fn add_team_member(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(m): Json<kirjo_store::relationships::TeamMember>,
) -> Result<Response, ApiError> {
    kirjo_store::relationships::add_team_member(&state.db, &me.caller, &state.gate, id, &m)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The gate, on one client, for a handler.
async fn on_client(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    action: Action,
    data: &str,
) -> Result<kirjo_store::gate::Guarded, ApiError> {
    enter(
        &state.db,
        &me.caller,
        &state.gate,
        &Request {
            action,
            client_id: Some(id),
            data,
            purpose: None,
            reason: None,
        },
    )
    .await
    .map_err(ApiError::from_gate)
}

/// `GET /api/clients/{id}/sensitive` (Action::ViewSensitiveData).
pub async fn sensitive(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut g = on_client(&state, &me, id, Action::ViewSensitiveData, "sensitive data").await?;
    let p = kirjo_store::data_groups::sensitive(&mut g)
        .await
        .map_err(ApiError::from_store)?;
    let list = g
        .finish(p)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(serde_json::json!({ "sensitive": list })).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveBody {
    pub category: Option<String>,
    pub content: Option<String>,
}

/// `POST /api/clients/{id}/sensitive` (Action::RecordSensitiveData).
pub async fn record_sensitive(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(b): Json<SensitiveBody>,
) -> Result<Response, ApiError> {
    use crate::people::{error, Rule};
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let mut errors = Vec::new();
    let category = b.category.as_deref().map(str::trim).unwrap_or("");
    if !kirjo_store::data_groups::SENSITIVE_CATEGORIES.contains(&category) {
        errors.push(error("category", Rule::Category, lang));
    }
    let content = b.content.as_deref().map(str::trim).unwrap_or("");
    if content.is_empty() {
        errors.push(error("content", Rule::Required, lang));
    } else if content.chars().count() > 4000 {
        errors.push(error("content", Rule::LongText, lang));
    }
    if !errors.is_empty() {
        return Ok(form_errors(errors));
    }
    let data = format!("sensitive data: {category}");
    let mut g = on_client(&state, &me, id, Action::RecordSensitiveData, &data).await?;
    let p = kirjo_store::data_groups::record_sensitive(&mut g, category, content)
        .await
        .map_err(ApiError::from_store)?;
    let new = g.finish(p).await.map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

/// `GET /api/clients/{id}/finances` (Action::ViewFinances).
pub async fn finances(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut g = on_client(&state, &me, id, Action::ViewFinances, "finances").await?;
    let p = kirjo_store::data_groups::finances(&mut g)
        .await
        .map_err(ApiError::from_store)?;
    let f = g
        .finish(p)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(f).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeBody {
    pub kind: Option<String>,
    pub description: Option<String>,
    /// Euros, as text: "1234.50".
    pub amount: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// `POST /api/clients/{id}/incomes` (Action::EditFinances).
pub async fn add_income(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(b): Json<IncomeBody>,
) -> Result<Response, ApiError> {
    use crate::people::{error, parse_euros, Rule};
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let mut errors = Vec::new();
    let kind = b.kind.as_deref().map(str::trim).unwrap_or("");
    if kind != "income" && kind != "asset" {
        errors.push(error("kind", Rule::IncomeKind, lang));
    }
    let description = b.description.as_deref().map(str::trim).unwrap_or("");
    if description.is_empty() {
        errors.push(error("description", Rule::Required, lang));
    }
    let amount = b.amount.as_deref().and_then(parse_euros);
    if amount.is_none() {
        errors.push(error("amount", Rule::Amount, lang));
    }
    if !errors.is_empty() {
        return Ok(form_errors(errors));
    }
    let input = kirjo_store::data_groups::IncomeInput {
        kind: kind.to_owned(),
        description: description.to_owned(),
        amount_cents: amount.unwrap_or_default(),
        valid_from: b.valid_from,
        valid_until: b.valid_until,
    };
    let data = format!("finances: {kind}");
    let mut g = on_client(&state, &me, id, Action::EditFinances, &data).await?;
    let p = kirjo_store::data_groups::add_income(&mut g, &input)
        .await
        .map_err(ApiError::from_store)?;
    let new = g.finish(p).await.map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccountBody {
    pub iban: Option<String>,
}

/// `POST /api/clients/{id}/bank-accounts` (Action::EditFinances).
pub async fn add_bank_account(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(b): Json<BankAccountBody>,
) -> Result<Response, ApiError> {
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let iban = match kirjo_domain::contact::Iban::parse(b.iban.as_deref().unwrap_or("")) {
        Ok(i) => i,
        Err(e) => {
            return Ok(form_errors(vec![crate::people::FieldError {
                field: "iban".to_owned(),
                message: e.message(lang),
            }]))
        }
    };
    let mut g = on_client(
        &state,
        &me,
        id,
        Action::EditFinances,
        "finances: bank account",
    )
    .await?;
    let p = kirjo_store::data_groups::add_bank_account(&mut g, iban.as_str())
        .await
        .map_err(ApiError::from_store)?;
    let new = g.finish(p).await.map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationBody {
    pub kind: Option<String>,
    pub related_id: Option<i64>,
    pub scope: Option<String>,
    pub right_of_access: Option<bool>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// `client` (told by the client) or `worker` (default).
    pub source: Option<String>,
}

/// `POST /api/clients/{id}/relations` (Action::EditBasicData): a family
/// member, representative or contact of the client.
pub async fn add_relation(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(b): Json<RelationBody>,
) -> Result<Response, ApiError> {
    use crate::people::{error, Rule};
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let mut errors = Vec::new();
    let kind = b.kind.as_deref().map(str::trim).unwrap_or("");
    if !clients::RELATION_KINDS.contains(&kind) {
        errors.push(error("kind", Rule::RelationKind, lang));
    }
    if b.related_id.is_none() {
        errors.push(error("related_id", Rule::Required, lang));
    }
    let source = b.source.as_deref().unwrap_or("worker");
    if source != "client" && source != "worker" {
        errors.push(error("source", Rule::Source, lang));
    }
    if matches!((b.valid_from, b.valid_until), (Some(f), Some(u)) if u < f) {
        errors.push(error("valid_until", Rule::DateOrder, lang));
    }
    if !errors.is_empty() {
        return Ok(form_errors(errors));
    }
    let input = clients::RelationInput {
        kind: kind.to_owned(),
        related_id: b.related_id.unwrap_or_default(),
        scope: b
            .scope
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        right_of_access: b.right_of_access,
        valid_from: b.valid_from,
        valid_until: b.valid_until,
        source: source.to_owned(),
    };
    let data = format!("relation: {kind}");
    let mut g = on_client(&state, &me, id, Action::EditBasicData, &data).await?;
    let p = clients::add_relation(&mut g, &input)
        .await
        .map_err(ApiError::from_store)?;
    match g.finish(p).await.map_err(ApiError::from_store)? {
        Some(clients::RelationOutcome::Recorded(r)) => {
            Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": r }))).into_response())
        }
        Some(clients::RelationOutcome::NoSuchPerson) => Ok(form_errors(vec![error(
            "related_id",
            Rule::NoSuchPerson,
            lang,
        )])),
        Some(clients::RelationOutcome::NotAChild) => {
            Ok(form_errors(vec![error("kind", Rule::NotAChild, lang)]))
        }
        None => Err(ApiError::internal("relation")),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurvakieltoBody {
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// `POST /api/clients/{id}/turvakielto` (Action::EditBasicData): record a
/// non-disclosure for personal safety told to the worker.
pub async fn add_turvakielto(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(b): Json<TurvakieltoBody>,
) -> Result<Response, ApiError> {
    use crate::people::{error, Rule};
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    let Some(from) = b.valid_from else {
        return Ok(form_errors(vec![error("valid_from", Rule::Required, lang)]));
    };
    if b.valid_until.is_some_and(|u| u < from) {
        return Ok(form_errors(vec![error(
            "valid_until",
            Rule::DateOrder,
            lang,
        )]));
    }
    let mut g = on_client(&state, &me, id, Action::EditBasicData, "turvakielto").await?;
    let p = clients::add_turvakielto(&mut g, from, b.valid_until)
        .await
        .map_err(ApiError::from_store)?;
    let new = g.finish(p).await.map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}
