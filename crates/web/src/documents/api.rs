use crate::documents::actions;
use crate::documents::actions::TimelineQuery;
use crate::documents::input::from_base64;
use crate::documents::input::DocumentBody;
use crate::shared::error::ApiError;
use crate::shared::fields::LangQuery;
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
use kirjo_store::documents;
use kirjo_store::documents::DraftStep;
use serde::Deserialize;

/// `GET /api/documents/{id}/export` (Action::Export): a completed document
/// in its national structure (Sosmeta), with the definition it follows.
pub async fn export(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let client = client_of(&state, id).await?;
    let exported = documents::export(&state.db, &me.caller, &state.gate, client, id)
        .await
        .map_err(ApiError::from_gate)?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(exported).into_response())
}

/// `GET /api/clients/{id}/client-document/export` (Action::Export): the
/// client relationship document (asiakkuusasiakirja) in its national
/// structure.
pub async fn export_client_document(
    State(state): State<AppState>,
    me: SignedIn,
    Path(client): Path<i64>,
) -> Result<Response, ApiError> {
    let exported = documents::export_client_document(&state.db, &me.caller, &state.gate, client)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(Json(exported).into_response())
}

/// `POST /api/clients/{id}/documents` (Action::WriteDocument): a new
/// narrative entry, as a draft of the user's.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Path(client): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<DocumentBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let task = b.service_task.clone().unwrap_or_default();
    let id = actions::create(&state, &me.caller, client, &task, b.content(lang), lang).await?;
    // A new draft is its first revision.
    Ok((
        StatusCode::CREATED,
        [crate::shared::revision::etag(1)],
        Json(serde_json::json!({ "id": id })),
    )
        .into_response())
}

/// `GET /api/clients/{id}/documents` (Action::ViewDocument): the timeline,
/// a page (`page=`, from 1) of at most `page_size` documents of `total`.
pub async fn timeline(
    State(state): State<AppState>,
    me: SignedIn,
    Path(client): Path<i64>,
    Query(q): Query<TimelineQuery>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(None, &headers);
    let t = actions::timeline(&state, &me.caller, client, &q, lang).await?;
    Ok(Json(serde_json::json!({
        "documents": t.lines,
        "page": t.page,
        "page_size": actions::TIMELINE_ROWS,
        "total": t.total,
    }))
    .into_response())
}

async fn client_of(state: &AppState, id: i64) -> Result<i64, ApiError> {
    actions::client_of(state, id).await.map_err(|r| match r {
        Refusal::Api(e) => e,
        _ => ApiError::not_found(),
    })
}

/// `GET /api/documents/{id}` (Action::ViewDocument): a version with the
/// document's history.
pub async fn read(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let client = client_of(&state, id).await?;
    let doc = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
        .await
        .map_err(ApiError::from_gate)?
        .ok_or_else(ApiError::not_found)?;
    let tag = crate::shared::revision::etag(doc.document.revision);
    Ok(([tag], Json(doc)).into_response())
}

/// `PUT /api/documents/{id}` (Action::WriteDocument): edit a draft of the
/// user's own, from the revision read (`If-Match`; 428 without, 409 when
/// stale). A completed document is refused: it is corrected instead.
pub async fn edit(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<DocumentBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let revision = crate::shared::revision::if_match(&headers)?;
    let (_, new) = actions::step(
        &state,
        &me.caller,
        id,
        DraftStep::Edit,
        Some(b.content(lang)),
        revision,
    )
    .await?;
    Ok((StatusCode::NO_CONTENT, [crate::shared::revision::etag(new)]).into_response())
}

async fn step(
    state: &AppState,
    me: &SignedIn,
    id: i64,
    step: DraftStep,
    headers: &HeaderMap,
) -> Result<Response, Refusal> {
    let revision = crate::shared::revision::if_match(headers)?;
    let (_, new) = actions::step(state, &me.caller, id, step, None, revision).await?;
    Ok((StatusCode::NO_CONTENT, [crate::shared::revision::etag(new)]).into_response())
}

/// `POST /api/documents/{id}/complete` (Action::WriteDocument): lock a
/// draft, as read (`If-Match`).
pub async fn complete(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    step(&state, &me, id, DraftStep::Complete, &headers).await
}

/// `POST /api/documents/{id}/discard` (Action::WriteDocument): discard a
/// draft, as read (`If-Match`; logged; the row stays, marked).
pub async fn discard(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    step(&state, &me, id, DraftStep::Discard, &headers).await
}

/// `POST /api/documents/{id}/corrections` (Action::CorrectEntry): a new
/// version of a completed document, with the reason.
pub async fn correct(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<DocumentBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let reason = b.reason.clone().unwrap_or_default();
    let new = actions::correct(&state, &me.caller, id, b.content(lang), &reason, lang).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProhibitionBody {
    /// The day it was made: today (it is never backdated).
    pub made_on: Option<String>,
    pub accepted: Option<bool>,
    /// The grounds of the decision.
    pub reason: Option<String>,
    /// The assessment (703/2023 §51(2)): the child's age and maturity,
    /// whether by those the child can judge what it means, the weighty
    /// reason, whether it is clearly against the child's interest, and when
    /// the child was told the outcome.
    pub age_and_maturity: Option<String>,
    pub mature_enough: Option<bool>,
    pub weighty_reason: Option<String>,
    pub clearly_against_interest: Option<bool>,
    pub child_told_on: Option<String>,
    /// The documents it covers (each with its corrections); absent: all
    /// of the child's documents.
    pub documents: Option<Vec<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndProhibitionBody {
    /// Today or later: an end is never backdated.
    pub ended_on: Option<String>,
    pub reason: Option<String>,
}

/// `POST /api/clients/{id}/minor-prohibitions/{pid}/end`
/// (Action::RecordMinorProhibition): the prohibition no longer holds from
/// `ended_on` (today or later), for `reason`. It stays in the record. 422
/// with each field's problem; every refusal is logged.
pub async fn end_prohibition(
    State(state): State<AppState>,
    me: SignedIn,
    Path((child, id)): Path<(i64, i64)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<EndProhibitionBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let ended = crate::documents::prohibitions::end(
        &state,
        &me.caller,
        child,
        id,
        b.ended_on.as_deref().unwrap_or_default(),
        b.reason.as_deref().unwrap_or_default(),
        lang,
    )
    .await?;
    if ended {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(
            ApiError::conflict("the child has no such prohibition in force from before that day")
                .into(),
        )
    }
}

/// `POST /api/clients/{id}/minor-prohibitions`
/// (Action::RecordMinorProhibition): a minor's prohibition on disclosure to
/// a guardian, accepted or not, with its grounds and assessment; made today.
/// 422 with each field's problem; every refusal is logged.
pub async fn record_prohibition(
    State(state): State<AppState>,
    me: SignedIn,
    Path(child): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Json(b): Json<ProhibitionBody>,
) -> Result<Response, Refusal> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
    let input = crate::documents::prohibitions::ProhibitionInput {
        made_on: b.made_on.unwrap_or_default(),
        accepted: b.accepted,
        reason: b.reason.unwrap_or_default(),
        age_and_maturity: b.age_and_maturity.unwrap_or_default(),
        mature_enough: b.mature_enough,
        weighty_reason: b.weighty_reason.unwrap_or_default(),
        clearly_against_interest: b.clearly_against_interest,
        child_told_on: b.child_told_on.unwrap_or_default(),
        documents: b.documents,
    };
    let id =
        crate::documents::prohibitions::record(&state, &me.caller, child, &input, Vec::new(), lang)
            .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct GuardianQuery {
    pub guardian: i64,
}

/// `GET /api/clients/{id}/guardian-answer?guardian=ID` (Action::Disclose):
/// what of the child's documents may be given to the guardian; nothing
/// while an accepted prohibition is in force. A disclosure is logged.
pub async fn guardian_answer(
    State(state): State<AppState>,
    me: SignedIn,
    Path(child): Path<i64>,
    Query(q): Query<GuardianQuery>,
) -> Result<Response, ApiError> {
    let answer =
        kirjo_store::guardians::answer(&state.db, &me.caller, &state.gate, child, q.guardian)
            .await
            .map_err(ApiError::from_gate)?;
    Ok(Json(answer).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentBody {
    pub file_name: String,
    pub media_type: String,
    /// The file, base64.
    pub content_base64: String,
}

/// `POST /api/documents/{id}/attachments` (Action::WriteDocument): attach a
/// file to a draft of the user's. PDF, JPEG, PNG or plain text, at most
/// 10 MiB, and the bytes must be of the type given.
pub async fn add_attachment(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Json(b): Json<AttachmentBody>,
) -> Result<Response, ApiError> {
    let bytes = from_base64(&b.content_base64)
        .ok_or_else(|| ApiError::bad_request("content_base64 is not base64"))?;
    if let Err(p) = documents::check_file(&b.file_name, &b.media_type, &bytes) {
        return Err(ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: p.message().to_owned(),
        });
    }
    let client = client_of(&state, id).await?;
    let new = documents::add_attachment(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        &b.file_name,
        &b.media_type,
        &bytes,
    )
    .await
    .map_err(ApiError::from_gate)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": new }))).into_response())
}

/// The bytes of a file, for download: never shown inline, never sniffed.
pub fn file_response(a: &documents::Attachment, bytes: Vec<u8>) -> Response {
    use axum::http::header;
    let safe: String = a
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, a.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/attachments/{id}` (Action::ViewDocument): a file's bytes; the
/// reading is a logged use.
pub async fn read_attachment(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (client, _) = documents::attachment_owner(&state.db, id)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::not_found)?;
    let (a, bytes) = documents::read_attachment(&state.db, &me.caller, &state.gate, client, id)
        .await
        .map_err(ApiError::from_gate)?
        .ok_or_else(ApiError::not_found)?;
    Ok(file_response(&a, bytes))
}
