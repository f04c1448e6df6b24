use crate::clients::actions;
use crate::shared::error::ApiError;
use crate::shared::fields::LangQuery;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use kirjo_access::Action;
use kirjo_access::StatedPurpose;
use kirjo_store::clients;
use serde::Deserialize;

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
    let mut g = actions::enter_basic_data(&state, &me.caller, id, purpose.as_ref())
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
    let tag = crate::shared::revision::etag(person.revision);
    Ok((
        [tag],
        Json(serde_json::json!({
            "person": person,
            "relationships": relationships,
            "access": explanation,
        })),
    )
        .into_response())
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
    let contact = actions::reveal_protected_contact(&state, &me.caller, id, &reason)
        .await
        .map_err(|r| match r {
            Refusal::Gate(e) => ApiError::from_gate(e),
            Refusal::Api(e) => e,
            Refusal::NotFound | Refusal::Fields(_) | Refusal::Conflict(_) => ApiError::not_found(),
        })?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(contact).into_response())
}

fn form_errors(errors: Vec<crate::shared::fields::FieldError>) -> Response {
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
    Json(body): Json<crate::clients::person::PersonBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let id = actions::create_person(&state, &me.caller, &body, lang).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

/// `PUT /api/clients/{id}` (Action::EditBasicData): change basic data,
/// from the revision read (`If-Match`; 428 without, 409 when stale).
pub async fn update_client(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(body): Json<crate::clients::person::PersonBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let revision = crate::shared::revision::if_match(&headers)?;
    let input = match crate::clients::person::validate(&body, lang, false) {
        Ok(i) => i,
        Err(errors) => return Ok(form_errors(errors)),
    };
    let g = on_client(&state, &me, id, Action::EditBasicData, "basic_data").await?;
    let saved = clients::update_basic(g, &input, revision).await?;
    let mut r = Json(serde_json::json!({
        "id": id,
        "updated": saved.is_some(),
        "revision": saved,
    }))
    .into_response();
    if let Some(new) = saved {
        let (name, value) = crate::shared::revision::etag(new);
        r.headers_mut().insert(name, value);
    }
    Ok(r)
}

/// `POST /api/clients/{id}/relationships` (Action::ManageRelationship):
/// open a relationship on a basis Kirjo records.
pub async fn open_relationship(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
    Json(input): Json<crate::clients::relationship::RelationshipInput>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let rid = crate::clients::relationship::open(&state, &me.caller, id, &input, Vec::new(), lang)
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": rid }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EndBody {
    #[serde(deserialize_with = "kirjo_domain::edge::de_date")]
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
/// Enters the gate on client `id` for `action`, does `work` under it and
/// finishes: the one shape of the API's gated reads and writes of a
/// client's data groups.
pub(crate) async fn gated<T>(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    action: Action,
    data: &str,
    work: impl AsyncFnOnce(
        &mut kirjo_store::gate::Guarded,
    ) -> kirjo_store::Result<kirjo_store::gate::Pending<T>>,
) -> Result<T, ApiError> {
    let mut g = on_client(state, me, id, action, data).await?;
    let pending = work(&mut g).await.map_err(ApiError::from_store)?;
    g.finish(pending).await.map_err(ApiError::from_store)
}

pub(crate) async fn on_client(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    action: Action,
    data: &str,
) -> Result<kirjo_store::gate::Guarded, ApiError> {
    kirjo_store::gate::enter_on_client(&state.db, &me.caller, &state.gate, action, id, data, None)
        .await
        .map_err(ApiError::from_gate)
}

/// `GET /api/clients/{id}/sensitive` (Action::ViewSensitiveData).
pub async fn sensitive(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let list = gated(
        &state,
        &me,
        id,
        Action::ViewSensitiveData,
        "sensitive data",
        async |g| kirjo_store::data_groups::sensitive(g).await,
    )
    .await?
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
    use crate::clients::person::{error, Rule};
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
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
    let new = gated(
        &state,
        &me,
        id,
        Action::RecordSensitiveData,
        &data,
        async |g| kirjo_store::data_groups::record_sensitive(g, category, content).await,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

/// `GET /api/clients/{id}/finances` (Action::ViewFinances).
pub async fn finances(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let f = gated(
        &state,
        &me,
        id,
        Action::ViewFinances,
        "finances",
        async |g| kirjo_store::data_groups::finances(g).await,
    )
    .await?
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
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
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
    use crate::clients::person::{error, parse_euros, Rule};
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
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
    let new = gated(&state, &me, id, Action::EditFinances, &data, async |g| {
        kirjo_store::data_groups::add_income(g, &input).await
    })
    .await?;
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
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let iban = match kirjo_domain::contact::Iban::parse(b.iban.as_deref().unwrap_or("")) {
        Ok(i) => i,
        Err(e) => {
            return Ok(form_errors(vec![crate::shared::fields::FieldError {
                field: "iban".to_owned(),
                message: e.message(lang),
            }]))
        }
    };
    let new = gated(
        &state,
        &me,
        id,
        Action::EditFinances,
        "finances: bank account",
        async |g| kirjo_store::data_groups::add_bank_account(g, iban.as_str()).await,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationBody {
    pub kind: Option<String>,
    pub related_id: Option<i64>,
    pub scope: Option<String>,
    pub right_of_access: Option<bool>,
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
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
    use crate::clients::person::{error, Rule};
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
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
    match gated(&state, &me, id, Action::EditBasicData, &data, async |g| {
        clients::add_relation(g, &input).await
    })
    .await?
    {
        Some(clients::RelationOutcome::Recorded(r)) => {
            Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": r }))).into_response())
        }
        // The same answer for a person the user may not see (recorded) and
        // for an id no one has (not recorded): no existence oracle.
        Some(clients::RelationOutcome::Unseen) => Ok((
            StatusCode::ACCEPTED,
            Json(serde_json::json!({
                "status": "accepted",
                "message": crate::shared::i18n::Tr::new(lang).t("relation-unseen-accepted"),
            })),
        )
            .into_response()),
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
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
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
    use crate::clients::person::{error, Rule};
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
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
    let new = gated(
        &state,
        &me,
        id,
        Action::EditBasicData,
        "turvakielto",
        async |g| clients::add_turvakielto(g, from, b.valid_until).await,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}
