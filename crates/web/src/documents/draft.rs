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
use crate::shared::page::Shell;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use askama::Template;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
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
    match save_typed(&state, &ctx, &me, &actor, id, f).await? {
        Saved::Yes(..) => Ok(see_other(&format!("/documents/{id}"))),
        Saved::No(page) => Ok(page),
    }
}

/// What saving a typed draft came to.
enum Saved {
    /// Saved: the content as saved and the draft's new revision.
    Yes(Content, i64),
    /// Not saved: the form again, with what was typed and why (422, 409).
    No(Response),
}

/// Saves what was typed into a draft's form, from the revision the form was
/// filled in from. When it cannot be saved the answer is the form again
/// with everything typed in it: with each problem at its field, or (when
/// another save came first) beside what is stored now. Nothing typed is
/// ever dropped.
async fn save_typed(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    id: i64,
    f: DocForm,
) -> Result<Saved, Response> {
    let checked = f.checked(ctx.tr.lang);
    let content = checked.as_ref().ok().cloned();
    let revision = revision_of(&f.revision);
    let place = Place {
        heading: ctx.tr.t("narrative-edit"),
        action: format!("/documents/{id}/edit"),
        cancel: format!("/documents/{id}"),
    };
    match actions::step(
        state,
        &me.caller,
        id,
        DraftStep::Edit,
        Some(checked),
        revision,
    )
    .await
    {
        Ok((_, new)) => match content {
            Some(c) => Ok(Saved::Yes(c, new)),
            None => Err(ctx.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                ctx.tr.t("error-internal"),
                Some(actor),
            )),
        },
        Err(Refusal::Fields(errors)) => {
            let mut page = form_page(ctx, actor, place, f, false, &errors);
            crate::documents::form::with_makers(&mut page, state, actor).await;
            Ok(Saved::No(
                ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page),
            ))
        }
        Err(Refusal::Gate(GateError::Conflict { .. })) => {
            // What is stored now, read as any reading of it is (logged).
            let client = client_of(state, ctx, id).await?;
            let h = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
                .await
                .map_err(|e| ctx.gate_error(e, actor))?
                .ok_or_else(|| {
                    ctx.error(
                        StatusCode::NOT_FOUND,
                        ctx.tr.t("error-not-found-text"),
                        Some(actor),
                    )
                })?;
            let stored = Content::from_json(&h.document.kind, h.document.content.clone())
                .map(|c| DocForm::of(&c))
                .unwrap_or_default();
            let typed = DocForm {
                revision: h.document.revision.to_string(),
                ..f
            };
            let rows = conflict_rows(ctx, &typed, &stored);
            let mut page = form_page(ctx, actor, place, typed, false, &[]);
            crate::documents::form::with_makers(&mut page, state, actor).await;
            page.conflict = Some(rows);
            Ok(Saved::No(ctx.render(StatusCode::CONFLICT, &page)))
        }
        Err(r) => Err(ctx.refused(r, actor)),
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

/// The question asked before a draft is locked, with what will be locked.
#[derive(Template)]
#[template(path = "documents/confirm_complete.html")]
pub struct ConfirmPage {
    pub shell: Shell,
    /// Whose document it is.
    pub band: crate::clients::band::BandView,
    pub lead: String,
    /// `complete` or `discard`.
    pub step: &'static str,
    pub button: String,
    pub id: i64,
    pub revision: i64,
    pub facts: Vec<(String, String)>,
}

/// A document's content as label and value, for the confirmation.
fn facts_of(ctx: &Ctx, c: &Content) -> Vec<(String, String)> {
    let t = &ctx.tr;
    match c {
        Content::Narrative(n) => {
            let mut v = vec![
                (t.t("narrative-entry"), n.entry.name(t.lang).to_owned()),
                (
                    t.t("narrative-date"),
                    kirjo_domain::calendar::day_month_year(n.date),
                ),
                (t.t("narrative-text"), n.text.clone()),
            ];
            if let Some(a) = &n.agreed {
                v.push((t.t("narrative-agreed"), a.clone()));
            }
            v
        }
        Content::ChildWelfareNotification(n) => {
            vec![(t.t("notification-content"), n.content.clone())]
        }
        Content::Form(f) => f
            .display(t.lang)
            .into_iter()
            .map(|(_, label, value)| (label.to_owned(), value))
            .collect(),
    }
}

/// `POST /documents/{id}/complete`. From the draft's form (its fields
/// posted with the lock button): what was typed is saved first, as the
/// draft, and the user is asked to confirm the lock with it; a form that
/// cannot be saved comes back with everything typed in it. From the
/// confirmation (no fields): the draft is locked as it is stored at the
/// revision the confirmation showed (409 otherwise).
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DocForm>,
) -> PageResult {
    if f.kind.is_empty() {
        return step(&state, &ctx, &id, DraftStep::Complete, &f.revision).await;
    }
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    match save_typed(&state, &ctx, &me, &actor, id, f).await? {
        Saved::Yes(content, revision) => Ok(ctx.render(
            StatusCode::OK,
            &ConfirmPage {
                shell: ctx.shell(ctx.tr.t("complete-confirm-title"), Some(&actor)),
                band: {
                    let client = client_of(&state, &ctx, id).await?;
                    crate::clients::band::read(
                        &state,
                        &ctx,
                        &me,
                        &actor,
                        client,
                        "client band: document to lock",
                        None,
                    )
                    .await?
                },
                lead: ctx.tr.t("complete-confirm-lead"),
                step: "complete",
                button: ctx.tr.t("complete-confirm"),
                id,
                revision,
                facts: facts_of(&ctx, &content),
            },
        )),
        Saved::No(page) => Ok(page),
    }
}

/// A discard form: the revision the page showed, and whether the user
/// has confirmed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    pub revision: String,
    #[serde(default)]
    pub confirm: String,
}

/// `POST /documents/{id}/discard`: first a question (a discarded draft is
/// gone from the user's work), then, confirmed, as the page showed it (409
/// otherwise).
pub async fn discard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DiscardForm>,
) -> PageResult {
    if f.confirm == "1" {
        return step(&state, &ctx, &id, DraftStep::Discard, &f.revision).await;
    }
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let client = client_of(&state, &ctx, id).await?;
    let band = crate::clients::band::read(
        &state,
        &ctx,
        &me,
        &actor,
        client,
        "client band: draft to discard",
        Some(kirjo_access::Action::WriteDocument),
    )
    .await?;
    Ok(ctx.render(
        StatusCode::OK,
        &ConfirmPage {
            shell: ctx.shell(ctx.tr.t("discard-confirm-title"), Some(&actor)),
            band,
            lead: ctx.tr.t("discard-confirm-lead"),
            step: "discard",
            button: ctx.tr.t("doc-discard"),
            id,
            revision: revision_of(&f.revision),
            facts: Vec::new(),
        },
    ))
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
