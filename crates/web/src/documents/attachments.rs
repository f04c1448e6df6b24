use crate::documents::read::client_of;
use crate::documents::read::show;
use crate::documents::read::Again;
use crate::shared::csrf::BodyProblem;
use crate::shared::csrf::UPLOAD_LIMIT;
use crate::shared::error::ApiError;
use crate::shared::multipart::Malformed;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::state::AppState;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use kirjo_store::documents;
use kirjo_store::documents::FileProblem;

/// `POST /documents/{id}/attachments`: attach a file to the user's draft,
/// sent as `multipart/form-data`. The session is checked before any of the
/// body is read, and the form's token (its first field) as the CSRF check
/// checks every other form's. A file that is not allowed leaves the page as
/// it was, with the reason next to the file field.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let read = tokio::time::timeout(
        UPLOAD_TIME,
        crate::shared::csrf::read_body(
            body,
            UPLOAD_LIMIT,
            crate::shared::csrf::content_length(&headers),
        ),
    )
    .await;
    let (bytes, too_large) = match read {
        Ok(Ok(b)) => (b, false),
        Ok(Err(BodyProblem::TooLarge(first))) => (first, true),
        Ok(Err(BodyProblem::Broken)) | Err(_) => {
            return Err(ctx.error(
                StatusCode::BAD_REQUEST,
                ctx.tr.t("file-broken"),
                Some(&actor),
            ))
        }
    };
    let boundary = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::shared::multipart::boundary)
        .unwrap_or_default();
    let leading = crate::shared::multipart::leading_parts(bytes.clone(), &boundary).await;
    let token = leading
        .iter()
        .find(|p| p.name == "csrf" && p.file_name.is_none())
        .and_then(|p| std::str::from_utf8(&p.bytes).ok());
    if !crate::shared::csrf::form_token_ok(&headers, token) {
        return Err(crate::shared::csrf::csrf_refusal());
    }
    let file = if too_large {
        Err(ctx.tr.t("file-too-large"))
    } else {
        uploaded_file(&ctx, &boundary, bytes).await
    };
    let (name, media_type, bytes) = match file {
        Ok(f) => f,
        Err(message) => {
            return show(&state, &ctx, &me, &actor, id, Some(Again::Upload(message))).await
        }
    };
    let client = client_of(&state, &ctx, id).await?;
    documents::add_attachment(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        &name,
        &media_type,
        &bytes,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/documents/{id}#files")))
}

/// How long an upload may take to arrive: 10 MiB at 1 Mbit/s, and then
/// some.
const UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(300);

/// The file of an upload form, checked against the allowlist: its name,
/// type and bytes, or the page's message on why it cannot be attached.
/// The type is the one the browser gives; for a file it cannot name, the
/// name's extension.
async fn uploaded_file(
    ctx: &Ctx,
    boundary: &str,
    body: Bytes,
) -> Result<(String, String, Bytes), String> {
    let parts = crate::shared::multipart::parts(body, boundary)
        .await
        .map_err(|e| match e {
            Malformed::ControlCharacter => ctx.tr.t("file-name"),
            Malformed::Broken => ctx.tr.t("file-broken"),
        })?;
    let Some(part) = parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()))
    else {
        return Err(ctx.tr.t("file-none"));
    };
    let name = part.file_name.unwrap_or_default();
    let media_type = match part.media_type.as_deref() {
        Some(t) if t != "application/octet-stream" && !t.is_empty() => t.to_owned(),
        _ => documents::media_type_of(&name)
            .unwrap_or("application/octet-stream")
            .to_owned(),
    };
    documents::check_file(&name, &media_type, &part.bytes).map_err(|p| match p {
        FileProblem::Empty => ctx.tr.t("file-empty"),
        FileProblem::TooLarge => ctx.tr.t("file-too-large"),
        FileProblem::TypeNotAllowed => ctx.tr.t("file-type"),
        FileProblem::ContentMismatch => ctx.tr.t1("file-mismatch", "type", &media_type),
        FileProblem::Name => ctx.tr.t("file-name"),
    })?;
    Ok((name.trim().to_owned(), media_type, part.bytes))
}

/// `GET /attachments/{id}`: download a file (a logged use).
pub async fn attachment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let id = page_id(&ctx, &id)?;
    let Some((client, _)) = documents::attachment_owner(&state.db, id)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(&actor),
        ));
    };
    match documents::read_attachment(&state.db, &me.caller, &state.gate, client, id)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?
    {
        Some((a, bytes)) => Ok(crate::documents::api::file_response(&a, bytes)),
        None => Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(&actor),
        )),
    }
}
