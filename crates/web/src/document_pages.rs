//! The pages of client documents: the timeline, a new narrative entry or
//! child welfare notification, a document with its history (and a
//! notification's deadlines), and the author's draft steps and corrections.

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
use kirjo_domain::document::{Content, NarrativeEntry, Notification, NotificationInput};
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

/// A document form as typed: the kind, and the fields of either kind (their
/// names do not overlap).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocForm {
    #[serde(default)]
    pub kind: String,
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
    /// A notification's fields (their names differ from a narrative's).
    #[serde(flatten)]
    pub notification: NotificationInput,
    #[serde(default)]
    pub reason: String,
}

impl DocForm {
    fn of(c: &Content) -> Self {
        match c {
            Content::Narrative(n) => Self {
                kind: "narrative".to_owned(),
                entry: n.entry.as_str().to_owned(),
                date: n.date.to_string(),
                text: n.text.clone(),
                agreed: n.agreed.clone().unwrap_or_default(),
                ..Self::default()
            },
            Content::ChildWelfareNotification(n) => Self {
                kind: "child_welfare_notification".to_owned(),
                notification: NotificationInput::of(n),
                ..Self::default()
            },
        }
    }

    pub fn is_notification(&self) -> bool {
        self.kind == "child_welfare_notification"
    }

    /// The content, checked in `lang`.
    fn checked(&self, lang: kirjo_domain::contact::Lang) -> Result<Content, Vec<FieldError>> {
        if self.is_notification() {
            crate::documents::check_notification(&self.notification, lang, "")
                .map(Content::ChildWelfareNotification)
        } else {
            check(
                &self.entry,
                &self.date,
                &self.text,
                Some(&self.agreed),
                lang,
            )
            .map(Content::Narrative)
        }
    }
}

#[derive(Template)]
#[template(path = "document_form.html")]
pub struct FormPage {
    pub shell: Shell,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub entries: Vec<(String, String)>,
    /// The service tasks to choose from: a new document only.
    pub tasks: Vec<(String, String)>,
    pub form: DocForm,
    pub correction: bool,
    pub errors: BTreeMap<String, String>,
    /// Choices of a notification: (field, [(value, label)]).
    pub reporters: Vec<(String, String)>,
    pub channels: Vec<(String, String)>,
    pub urgencies: Vec<(String, String)>,
    pub decisions: Vec<(String, String)>,
}

impl FormPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// Where a form is and what it holds.
struct Place {
    heading: String,
    action: String,
    cancel: String,
}

fn options(ctx: &Ctx, prefix: &str, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), ctx.tr.t(&format!("{prefix}{v}"))))
        .collect()
}

fn form_page(
    ctx: &Ctx,
    actor: &Actor,
    place: Place,
    form: DocForm,
    correction: bool,
    errors: &[FieldError],
) -> FormPage {
    FormPage {
        shell: ctx.shell(place.heading.clone(), Some(actor)),
        heading: place.heading,
        action: place.action,
        cancel: place.cancel,
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
        reporters: options(
            ctx,
            "reporter-",
            &["professional", "private_person", "anonymous"],
        ),
        channels: options(
            ctx,
            "channel-",
            &["phone", "letter", "electronic", "in_person"],
        ),
        urgencies: options(ctx, "urgency-", &["immediate", "not_immediate"]),
        decisions: options(ctx, "decision-", &["start", "not_started"]),
    }
}

fn new_heading(ctx: &Ctx, f: &DocForm) -> String {
    ctx.tr.t(if f.is_notification() {
        "notification-new"
    } else {
        "narrative-new"
    })
}

#[derive(Debug, Deserialize)]
pub struct KindQuery {
    pub kind: Option<String>,
}

/// `GET /clients/{id}/documents/new[?kind=child_welfare_notification]`: a
/// new narrative entry, or a child welfare notification.
pub async fn new_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(k): Query<KindQuery>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (_, actor) = ctx.user(&state).await?;
    let today = chrono::Utc::now().date_naive().to_string();
    let form = if k.kind.as_deref() == Some("child_welfare_notification") {
        DocForm {
            kind: "child_welfare_notification".to_owned(),
            notification: NotificationInput {
                received_on: today,
                ..NotificationInput::default()
            },
            ..DocForm::default()
        }
    } else {
        DocForm {
            kind: "narrative".to_owned(),
            entry: NarrativeEntry::MeetingOrContact.as_str().to_owned(),
            date: today,
            ..DocForm::default()
        }
    };
    let place = Place {
        heading: new_heading(&ctx, &form),
        action: format!("/clients/{id}/documents/new"),
        cancel: format!("/clients/{id}/documents"),
    };
    let mut page = form_page(&ctx, &actor, place, form, false, &[]);
    page.tasks = task_choices(&state, &ctx, &actor).await;
    Ok(ctx.render(StatusCode::OK, &page))
}

/// `POST /clients/{id}/documents/new`: save the document as a draft.
pub async fn new_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DocForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let checked = match (f.checked(ctx.tr.lang), f.service_task.trim().is_empty()) {
        (Ok(c), false) => Ok(c),
        (Ok(_), true) => Err(vec![crate::documents::task_missing(ctx.tr.lang)]),
        (Err(mut e), missing) => {
            if missing {
                e.insert(0, crate::documents::task_missing(ctx.tr.lang));
            }
            Err(e)
        }
    };
    let content = match checked {
        Ok(c) => c,
        Err(errors) => {
            let place = Place {
                heading: new_heading(&ctx, &f),
                action: format!("/clients/{id}/documents/new"),
                cancel: format!("/clients/{id}/documents"),
            };
            let mut page = form_page(&ctx, &actor, place, f, false, &errors);
            page.tasks = task_choices(&state, &ctx, &actor).await;
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let doc = documents::create(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        f.service_task.trim(),
        &content,
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

/// A notification as shown: its fields, labelled, and its deadlines.
pub struct NotificationView {
    pub fields: Vec<(String, String)>,
    pub content: String,
    pub start_due: String,
    pub completion_due: String,
    pub late: bool,
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
    pub notification: Option<NotificationView>,
    pub meta: Vec<(String, String)>,
    pub state: String,
    pub mine_draft: bool,
    pub correctable: bool,
    pub superseded_note: bool,
    pub versions: Vec<VersionRow>,
    pub edit: Option<FormPage>,
    /// Attached files: id, name, size in KiB, SHA-256.
    pub files: Vec<(i64, String, String, String)>,
}

fn notification_view(ctx: &Ctx, n: &Notification) -> NotificationView {
    let t = &ctx.tr;
    let label = |prefix: &str, v: serde_json::Value| {
        t.t(&format!("{prefix}{}", v.as_str().unwrap_or_default()))
    };
    let mut fields = vec![
        (t.t("notification-received"), date(n.received_on)),
        (
            t.t("notification-reporter"),
            label(
                "reporter-",
                serde_json::to_value(n.reporter).unwrap_or_default(),
            ),
        ),
    ];
    let who = [
        &n.reporter_name,
        &n.reporter_title,
        &n.reporter_organisation,
    ]
    .iter()
    .filter_map(|v| (*v).clone())
    .collect::<Vec<_>>()
    .join(", ");
    if !who.is_empty() {
        fields.push((t.t("notification-reporter-who"), who));
    }
    fields.push((
        t.t("notification-channel"),
        label(
            "channel-",
            serde_json::to_value(n.channel).unwrap_or_default(),
        ),
    ));
    if let Some(u) = n.urgency {
        let mut text = label("urgency-", serde_json::to_value(u).unwrap_or_default());
        if let Some(note) = &n.urgency_note {
            text = format!("{text}: {note}");
        }
        fields.push((t.t("notification-urgency"), text));
    }
    if let Some(d) = n.decision {
        let mut text = label("decision-", serde_json::to_value(d).unwrap_or_default());
        if let Some(on) = n.decided_on {
            text = format!("{text} ({})", date(on));
        }
        if let Some(r) = &n.decision_reasons {
            text = format!("{text}: {r}");
        }
        fields.push((t.t("notification-decision"), text));
    }
    if let Some(d) = n.child_told_on {
        fields.push((t.t("notification-child-told"), date(d)));
    }
    if let Some(d) = n.guardian_told_on {
        fields.push((t.t("notification-guardian-told"), date(d)));
    }
    let deadlines = n.deadlines();
    NotificationView {
        fields,
        content: n.content.clone(),
        start_due: date(deadlines.assessment_start_due),
        completion_due: date(deadlines.assessment_completion_due),
        late: n.decision_late(chrono::Utc::now().date_naive()),
    }
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
    let content = Content::from_json(&d.kind, d.content.clone());
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
    let edit = match (&content, mine_draft) {
        (Some(c), true) => Some(form_page(
            &ctx,
            &actor,
            Place {
                heading: ctx.tr.t("narrative-edit"),
                action: format!("/documents/{id}/edit"),
                cancel: format!("/documents/{id}"),
            },
            DocForm::of(c),
            false,
            &[],
        )),
        _ => None,
    };
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
    let (entry, when, text, agreed, notification) = match &content {
        Some(Content::Narrative(n)) => (
            n.entry.name(ctx.tr.lang).to_owned(),
            date(n.date),
            n.text.clone(),
            n.agreed.clone(),
            None,
        ),
        Some(Content::ChildWelfareNotification(n)) => (
            String::new(),
            String::new(),
            String::new(),
            None,
            Some(notification_view(&ctx, n)),
        ),
        None => Default::default(),
    };
    Ok(ctx.render(
        StatusCode::OK,
        &DocumentPage {
            shell: ctx.shell(d.name.clone(), Some(&actor)),
            id,
            client_id: d.client_id,
            name: d.name.clone(),
            entry,
            date: when,
            text,
            agreed,
            notification,
            meta,
            state: ctx.tr.t(&format!("doc-state-{}", d.state)),
            mine_draft,
            correctable: d.state == "completed" && !d.superseded,
            superseded_note: d.superseded,
            versions,
            edit,
            files: h
                .attachments
                .iter()
                .map(|a| {
                    (
                        a.id,
                        a.file_name.clone(),
                        format!("{:.1}", f64::from(a.size_bytes) / 1024.0),
                        a.sha256.clone(),
                    )
                })
                .collect(),
        },
    ))
}

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

#[derive(Debug, Deserialize)]
pub struct ProhibitionForm {
    #[serde(default)]
    pub made_on: String,
    #[serde(default)]
    pub accepted: String,
    #[serde(default)]
    pub reason: String,
}

/// `POST /clients/{id}/minor-prohibition`: record a minor's prohibition.
pub async fn record_prohibition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ProhibitionForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let made_on = chrono::NaiveDate::parse_from_str(f.made_on.trim(), "%Y-%m-%d").ok();
    let accepted = match f.accepted.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    let (Some(made_on), Some(accepted), false) = (made_on, accepted, f.reason.trim().is_empty())
    else {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("prohibition-incomplete"),
            Some(&actor),
        ));
    };
    kirjo_store::guardians::record_prohibition(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        made_on,
        accepted,
        f.reason.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/clients/{id}?saved=1")))
}

#[derive(Template)]
#[template(path = "guardian_answer.html")]
pub struct GuardianAnswerPage {
    pub shell: Shell,
    pub client_id: i64,
    pub guardian: String,
    pub withheld: bool,
    pub rows: Vec<TimelineRow>,
}

#[derive(Debug, Deserialize)]
pub struct GuardianQuery {
    pub guardian: Option<String>,
}

/// `GET /clients/{id}/guardian-answer?guardian=ID`: what may be given to
/// the guardian; nothing while an accepted prohibition is in force.
pub async fn guardian_answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<GuardianQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let id = page_id(&ctx, &id)?;
    let guardian = page_id(&ctx, q.guardian.as_deref().unwrap_or_default())?;
    let a = kirjo_store::guardians::answer(&state.db, &me.caller, &state.gate, id, guardian)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let rows = a
        .documents
        .iter()
        .map(|l| TimelineRow {
            id: l.id,
            date: l.date.map_or_else(|| helsinki_time(l.created_at), date),
            name: l.name.clone(),
            area: names.of(&l.service_area, li),
            author: l.author_name.clone(),
            draft: false,
            corrected: l.corrected,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &GuardianAnswerPage {
            shell: ctx.shell(ctx.tr.t("guardian-request"), Some(&actor)),
            client_id: id,
            guardian: a.guardian,
            withheld: a.withheld,
            rows,
        },
    ))
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
        Some((a, bytes)) => Ok(crate::documents::file_response(&a, bytes)),
        None => Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(&actor),
        )),
    }
}
