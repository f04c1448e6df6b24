use crate::documents::form::form_page;
use crate::documents::form::DocForm;
use crate::documents::form::Place;
use crate::documents::read::client_of;
use crate::shared::fields::FieldError;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::state::AppState;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_domain::document::Content;
use kirjo_store::documents;
use kirjo_store::documents::DraftStep;

/// `POST /documents/{id}/edit`: save the draft.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DocForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let content = match f.checked(ctx.tr.lang) {
        Ok(c) => c,
        Err(errors) => {
            let place = Place {
                heading: ctx.tr.t("narrative-edit"),
                action: format!("/documents/{id}/edit"),
                cancel: format!("/documents/{id}"),
            };
            let page = form_page(&ctx, &actor, place, f, false, &errors);
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let client = client_of(&state, &ctx, id).await?;
    documents::draft_step(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        DraftStep::Edit,
        Some(&content),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/documents/{id}")))
}

async fn step(state: &AppState, ctx: &Ctx, id: &str, step: DraftStep) -> PageResult {
    let id = page_id(ctx, id)?;
    let (me, actor) = ctx.user(state).await?;
    let client = client_of(state, ctx, id).await?;
    documents::draft_step(&state.db, &me.caller, &state.gate, client, id, step, None)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&match step {
        DraftStep::Discard => format!("/clients/{client}/documents"),
        _ => format!("/documents/{id}"),
    }))
}

/// `POST /documents/{id}/complete`.
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    step(&state, &ctx, &id, DraftStep::Complete).await
}

/// `POST /documents/{id}/discard`.
pub async fn discard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    step(&state, &ctx, &id, DraftStep::Discard).await
}

/// `GET /documents/{id}/correct`: the correction form, filled in.
pub async fn correct_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let client = client_of(&state, &ctx, id).await?;
    let Some(h) = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(&actor),
        ));
    };
    let form = Content::from_json(&h.document.kind, h.document.content.clone())
        .map(|c| DocForm::of(&c))
        .unwrap_or_default();
    let place = Place {
        heading: ctx.tr.t("narrative-correct"),
        action: format!("/documents/{id}/correct"),
        cancel: format!("/documents/{id}"),
    };
    let page = form_page(&ctx, &actor, place, form, true, &[]);
    Ok(ctx.render(StatusCode::OK, &page))
}

/// `POST /documents/{id}/correct`: a new version with the reason.
pub async fn correct_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DocForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let mut errors = Vec::new();
    let content = match f.checked(ctx.tr.lang) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    if f.reason.trim().is_empty() {
        errors.push(FieldError {
            field: "reason".to_owned(),
            message: ctx.tr.t("narrative-reason-missing"),
        });
    }
    let Some(content) = content.filter(|_| errors.is_empty()) else {
        let place = Place {
            heading: ctx.tr.t("narrative-correct"),
            action: format!("/documents/{id}/correct"),
            cancel: format!("/documents/{id}"),
        };
        let page = form_page(&ctx, &actor, place, f, true, &errors);
        return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let client = client_of(&state, &ctx, id).await?;
    let new = documents::correct(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        &content,
        f.reason.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/documents/{new}")))
}
