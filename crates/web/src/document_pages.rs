//! The pages of client documents: the timeline, a new narrative entry, a
//! document with its history, and the author's draft steps and corrections.

#![allow(clippy::result_large_err)]

use crate::documents::check;
use crate::pages::{helsinki_time, lang_index, names, page_id, see_other, Ctx, PageResult, Shell};
use crate::people::FieldError;
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
use kirjo_domain::document::{Narrative, NarrativeEntry};
use kirjo_store::documents::{self, DraftStep};
use serde::Deserialize;
use std::collections::BTreeMap;

fn date(d: chrono::NaiveDate) -> String {
    d.format("%-d.%-m.%Y").to_string()
}

pub struct TimelineRow {
    pub id: i64,
    pub date: String,
    pub name: String,
    pub area: String,
    pub author: String,
    pub draft: bool,
    pub corrected: bool,
}

#[derive(Template)]
#[template(path = "documents.html")]
pub struct TimelinePage {
    pub shell: Shell,
    pub client_id: i64,
    pub rows: Vec<TimelineRow>,
    pub areas: Vec<(String, String, bool)>,
}

#[derive(Debug, Deserialize)]
pub struct TimelineQuery {
    pub area: Option<String>,
}

/// `GET /clients/{id}/documents`: the client's timeline (ViewDocument).
pub async fn timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let area = q.area.filter(|a| !a.is_empty());
    let lines = documents::timeline(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        area.as_deref(),
        None,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let mut seen: Vec<String> = actor
        .roles
        .iter()
        .filter_map(|r| r.service_area.clone())
        .collect();
    seen.sort();
    seen.dedup();
    let rows = lines
        .iter()
        .map(|l| TimelineRow {
            id: l.id,
            date: l.date.map_or_else(|| helsinki_time(l.created_at), date),
            name: l.name.clone(),
            area: names.of(&l.service_area, li),
            author: l.author_name.clone(),
            draft: l.state == "draft",
            corrected: l.corrected,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &TimelinePage {
            shell: ctx.shell(ctx.tr.t("documents-title"), Some(&actor)),
            client_id: id,
            rows,
            areas: seen
                .into_iter()
                .map(|a| {
                    let current = area.as_deref() == Some(a.as_str());
                    (a.clone(), names.of(&a, li), current)
                })
                .collect(),
        },
    ))
}

/// The narrative form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NarrativeForm {
    #[serde(default)]
    pub service_task: String,
    #[serde(default)]
    pub entry: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub agreed: String,
    #[serde(default)]
    pub reason: String,
}

impl NarrativeForm {
    fn of(n: &Narrative) -> Self {
        Self {
            service_task: String::new(),
            entry: n.entry.as_str().to_owned(),
            date: n.date.to_string(),
            text: n.text.clone(),
            agreed: n.agreed.clone().unwrap_or_default(),
            reason: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "narrative_form.html")]
pub struct NarrativePage {
    pub shell: Shell,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub entries: Vec<(String, String)>,
    /// The service tasks to choose from: a new entry only.
    pub tasks: Vec<(String, String)>,
    pub form: NarrativeForm,
    pub correction: bool,
    pub errors: BTreeMap<String, String>,
}

impl NarrativePage {
    pub fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

// The form's place (heading, where it posts, where cancel goes) and its
// state: each call differs in all of them.
#[allow(clippy::too_many_arguments)]
fn form_page(
    ctx: &Ctx,
    actor: &Actor,
    heading: String,
    action: String,
    cancel: String,
    form: NarrativeForm,
    correction: bool,
    errors: &[FieldError],
) -> NarrativePage {
    NarrativePage {
        shell: ctx.shell(heading.clone(), Some(actor)),
        heading,
        action,
        cancel,
        entries: NarrativeEntry::ALL
            .iter()
            .map(|e| (e.as_str().to_owned(), e.name(ctx.tr.lang).to_owned()))
            .collect(),
        tasks: Vec::new(),
        form,
        correction,
        errors: errors
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect(),
    }
}

/// `GET /clients/{id}/documents/new`: a new narrative entry.
pub async fn new_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (_, actor) = ctx.user(&state).await?;
    let tasks = task_choices(&state, &ctx, &actor).await;
    let form = NarrativeForm {
        entry: NarrativeEntry::MeetingOrContact.as_str().to_owned(),
        date: chrono::Utc::now().date_naive().to_string(),
        ..NarrativeForm::default()
    };
    let mut page = form_page(
        &ctx,
        &actor,
        ctx.tr.t("narrative-new"),
        format!("/clients/{id}/documents/new"),
        format!("/clients/{id}/documents"),
        form,
        false,
        &[],
    );
    page.tasks = tasks;
    Ok(ctx.render(StatusCode::OK, &page))
}

/// `POST /clients/{id}/documents/new`: save the entry as a draft.
pub async fn new_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<NarrativeForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let checked = check(&f.entry, &f.date, &f.text, Some(&f.agreed), ctx.tr.lang);
    let checked = match (checked, f.service_task.trim().is_empty()) {
        (Ok(n), false) => Ok(n),
        (Ok(_), true) => Err(vec![crate::documents::task_missing(ctx.tr.lang)]),
        (Err(mut e), missing) => {
            if missing {
                e.insert(0, crate::documents::task_missing(ctx.tr.lang));
            }
            Err(e)
        }
    };
    let n = match checked {
        Ok(n) => n,
        Err(errors) => {
            let tasks = task_choices(&state, &ctx, &actor).await;
            let mut page = form_page(
                &ctx,
                &actor,
                ctx.tr.t("narrative-new"),
                format!("/clients/{id}/documents/new"),
                format!("/clients/{id}/documents"),
                f.clone(),
                false,
                &errors,
            );
            page.tasks = tasks;
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let doc = documents::create_narrative(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        f.service_task.trim(),
        &n,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/documents/{doc}")))
}

/// The service tasks of the areas where the user does client work.
async fn task_choices(state: &AppState, ctx: &Ctx, actor: &Actor) -> Vec<(String, String)> {
    let areas: Vec<String> = actor
        .roles
        .iter()
        .filter_map(|r| r.service_area.clone())
        .collect();
    let li = lang_index(ctx.tr.lang);
    kirjo_store::register::service_tasks(&state.db, &areas)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.id, t.names[li].clone()))
        .collect()
}

pub struct VersionRow {
    pub id: i64,
    pub version: i32,
    pub at: String,
    pub author: String,
    pub reason: Option<String>,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub shell: Shell,
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub entry: String,
    pub date: String,
    pub text: String,
    pub agreed: Option<String>,
    pub meta: Vec<(String, String)>,
    pub state: String,
    pub mine_draft: bool,
    pub correctable: bool,
    pub superseded_note: bool,
    pub versions: Vec<VersionRow>,
    pub edit: Option<NarrativePage>,
}

async fn client_of(state: &AppState, ctx: &Ctx, id: i64) -> Result<i64, Response> {
    documents::client_of(&state.db, id)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), None))?
        .ok_or_else(|| {
            ctx.error(
                StatusCode::NOT_FOUND,
                ctx.tr.t("error-not-found-text"),
                None,
            )
        })
}

/// `GET /documents/{id}`: the document with its metadata and history.
pub async fn read(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
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
    let d = &h.document;
    let n: Option<Narrative> = serde_json::from_value(d.content.clone()).ok();
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let t = &ctx.tr;
    let meta = vec![
        (
            t.t("doc-client"),
            match &d.client_identity_code {
                Some(code) => format!("{} ({code})", d.client_name),
                None => d.client_name.clone(),
            },
        ),
        (t.t("client-area"), names.of(&d.service_area, li)),
        (t.t("doc-organiser"), d.organiser.clone()),
        (t.t("doc-producer"), d.producer.clone()),
        (
            t.t("doc-author"),
            format!("{}, {}", d.author_name, d.author_title),
        ),
        (t.t("doc-created"), helsinki_time(d.created_at)),
        (t.t("doc-definition"), d.definition_oid.clone()),
    ];
    let mine_draft = d.state == "draft" && d.author_id == me.caller.user_id;
    let edit = mine_draft.then(|| {
        form_page(
            &ctx,
            &actor,
            ctx.tr.t("narrative-edit"),
            format!("/documents/{id}/edit"),
            format!("/documents/{id}"),
            n.as_ref().map(NarrativeForm::of).unwrap_or_default(),
            false,
            &[],
        )
    });
    let versions = h
        .versions
        .iter()
        .map(|v| VersionRow {
            id: v.id,
            version: v.version,
            at: helsinki_time(v.completed_at.unwrap_or(v.created_at)),
            author: v.author_name.clone(),
            reason: v.correction_reason.clone(),
            current: v.id == d.id,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &DocumentPage {
            shell: ctx.shell(d.name.clone(), Some(&actor)),
            id,
            client_id: d.client_id,
            name: d.name.clone(),
            entry: n
                .as_ref()
                .map(|n| n.entry.name(ctx.tr.lang).to_owned())
                .unwrap_or_default(),
            date: n.as_ref().map(|n| date(n.date)).unwrap_or_default(),
            text: n.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
            agreed: n.as_ref().and_then(|n| n.agreed.clone()),
            meta,
            state: ctx.tr.t(&format!("doc-state-{}", d.state)),
            mine_draft,
            correctable: d.state == "completed" && !d.superseded,
            superseded_note: d.superseded,
            versions,
            edit,
        },
    ))
}

/// `POST /documents/{id}/edit`: save the draft.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<NarrativeForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let n = match check(&f.entry, &f.date, &f.text, Some(&f.agreed), ctx.tr.lang) {
        Ok(n) => n,
        Err(errors) => {
            let page = form_page(
                &ctx,
                &actor,
                ctx.tr.t("narrative-edit"),
                format!("/documents/{id}/edit"),
                format!("/documents/{id}"),
                f,
                false,
                &errors,
            );
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
        Some(&n),
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
    let n: Option<Narrative> = serde_json::from_value(h.document.content.clone()).ok();
    let page = form_page(
        &ctx,
        &actor,
        ctx.tr.t("narrative-correct"),
        format!("/documents/{id}/correct"),
        format!("/documents/{id}"),
        n.as_ref().map(NarrativeForm::of).unwrap_or_default(),
        true,
        &[],
    );
    Ok(ctx.render(StatusCode::OK, &page))
}

/// `POST /documents/{id}/correct`: a new version with the reason.
pub async fn correct_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<NarrativeForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let mut errors = Vec::new();
    let n = match check(&f.entry, &f.date, &f.text, Some(&f.agreed), ctx.tr.lang) {
        Ok(n) => Some(n),
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
    let Some(n) = n.filter(|_| errors.is_empty()) else {
        let page = form_page(
            &ctx,
            &actor,
            ctx.tr.t("narrative-correct"),
            format!("/documents/{id}/correct"),
            format!("/documents/{id}"),
            f,
            true,
            &errors,
        );
        return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let client = client_of(&state, &ctx, id).await?;
    let new = documents::correct(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        id,
        &n,
        f.reason.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/documents/{new}")))
}
