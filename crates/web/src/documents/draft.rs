use crate::documents::actions;
use crate::documents::form::conflict_rows;
use crate::documents::form::form_page;
use crate::documents::form::DocForm;
use crate::documents::form::Place;
use crate::documents::read::client_of;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_domain::document::Content;
use kirjo_store::documents;
use kirjo_store::documents::DraftStep;
use kirjo_store::gate::GateError;

/// The revision a page's form was filled in from; a form without one (a
/// page from before revisions) is a conflict, never an overwrite.
fn revision_of(field: &str) -> i64 {
    crate::shared::revision::parse(field).unwrap_or(0)
}

/// `POST /documents/{id}/edit`: save the draft, from the revision the form
/// was filled in from. When another save came first, the form comes back
/// (409) with what the user typed and, beside it, what is stored now.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DocForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let checked = f.checked(ctx.tr.lang);
    let revision = revision_of(&f.revision);
    let place = Place {
        heading: ctx.tr.t("narrative-edit"),
        action: format!("/documents/{id}/edit"),
        cancel: format!("/documents/{id}"),
    };
    match actions::step(
        &state,
        &me.caller,
        id,
        DraftStep::Edit,
        Some(checked),
        revision,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/documents/{id}"))),
        Err(Refusal::Fields(errors)) => {
            let mut page = form_page(&ctx, &actor, place, f, false, &errors);
            crate::documents::form::with_makers(&mut page, &state, &actor).await;
            Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Refusal::Gate(GateError::Conflict { .. })) => {
            // What is stored now, read as any reading of it is (logged).
            let client = client_of(&state, &ctx, id).await?;
            let h = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
                .await
                .map_err(|e| ctx.gate_error(e, &actor))?
                .ok_or_else(|| {
                    ctx.error(
                        StatusCode::NOT_FOUND,
                        ctx.tr.t("error-not-found-text"),
                        Some(&actor),
                    )
                })?;
            let stored = Content::from_json(&h.document.kind, h.document.content.clone())
                .map(|c| DocForm::of(&c))
                .unwrap_or_default();
            let typed = DocForm {
                revision: h.document.revision.to_string(),
                ..f
            };
            let rows = conflict_rows(&ctx, &typed, &stored);
            let mut page = form_page(&ctx, &actor, place, typed, false, &[]);
            crate::documents::form::with_makers(&mut page, &state, &actor).await;
            page.conflict = Some(rows);
            Ok(ctx.render(StatusCode::CONFLICT, &page))
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

/// A complete or discard form: the revision the page showed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub revision: String,
}

async fn step(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    step: DraftStep,
    revision: &str,
) -> PageResult {
    let id = page_id(ctx, id)?;
    let (me, actor) = ctx.user(state).await?;
    let (client, _) = actions::step(state, &me.caller, id, step, None, revision_of(revision))
        .await
        .map_err(|r| ctx.refused(r, &actor))?;
    Ok(see_other(&match step {
        DraftStep::Discard => format!("/clients/{client}/documents"),
        _ => format!("/documents/{id}"),
    }))
}

/// `POST /documents/{id}/complete`: as the page showed it (409 otherwise).
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> PageResult {
    step(&state, &ctx, &id, DraftStep::Complete, &f.revision).await
}

/// `POST /documents/{id}/discard`: as the page showed it (409 otherwise).
pub async fn discard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> PageResult {
    step(&state, &ctx, &id, DraftStep::Discard, &f.revision).await
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
    let mut page = form_page(&ctx, &actor, place, form, true, &[]);
    crate::documents::form::with_makers(&mut page, &state, &actor).await;
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
    let checked = f.checked(ctx.tr.lang);
    match actions::correct(&state, &me.caller, id, checked, &f.reason, ctx.tr.lang).await {
        Ok(new) => Ok(see_other(&format!("/documents/{new}"))),
        Err(Refusal::Fields(errors)) => {
            let place = Place {
                heading: ctx.tr.t("narrative-correct"),
                action: format!("/documents/{id}/correct"),
                cancel: format!("/documents/{id}"),
            };
            let mut page = form_page(&ctx, &actor, place, f, true, &errors);
            crate::documents::form::with_makers(&mut page, &state, &actor).await;
            Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}
