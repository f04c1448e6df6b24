//! The pages of client documents: the timeline, a new narrative entry or
//! child welfare notification, a document with its history (and a
//! notification's deadlines), and the author's draft steps and corrections.

#![allow(clippy::result_large_err)]

use crate::auth::SignedIn;
use crate::documents::check;
use crate::pages::{helsinki_time, lang_index, names, page_id, see_other, Ctx, PageResult, Shell};
use crate::people::FieldError;
use crate::{ApiError, AppState, BodyProblem, UPLOAD_LIMIT};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
use kirjo_domain::document::{Content, NarrativeEntry, Notification, NotificationInput};
use kirjo_domain::forms::PartyInput;
use kirjo_store::documents::{self, DraftStep, FileProblem};
use serde::Deserialize;
use std::collections::BTreeMap;

use kirjo_domain::calendar::day_month_year as date;

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
    /// Every kind: (kind, name, chosen as the filter).
    pub kinds: Vec<(String, String, bool)>,
    pub area: String,
}

#[derive(Debug, Deserialize)]
pub struct TimelineQuery {
    pub area: Option<String>,
    pub kind: Option<String>,
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
    let kind = q.kind.filter(|k| !k.is_empty());
    let lines = documents::timeline(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        area.as_deref(),
        kind.as_deref(),
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
            kinds: kirjo_domain::document::kinds()
                .into_iter()
                .map(|k| {
                    let name = kirjo_domain::document::kind_name(k, ctx.tr.lang)
                        .unwrap_or(k)
                        .to_owned();
                    (k.to_owned(), name, kind.as_deref() == Some(k))
                })
                .collect(),
            area: area.clone().unwrap_or_default(),
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
    /// Whatever else was posted: the fields of a form kind (`f-<key>`) and a
    /// decision's parties (`p<i>-name`, `p<i>-method`, `p<i>-served_on`).
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

/// How many rows a decision's form offers for parties beyond those given.
const SPARE_PARTIES: usize = 2;

fn party_id(i: usize, field: &str) -> String {
    format!("p{i}-{field}")
}

/// A domain error's field (`date`, `parties[1].name`) as the page's id.
fn form_field_id(field: &str) -> String {
    match field
        .strip_prefix("parties[")
        .and_then(|r| r.split_once("]."))
    {
        Some((i, f)) => format!("p{i}-{f}"),
        None => format!("f-{field}"),
    }
}

impl DocForm {
    /// The kind's form spec, for the kinds that are forms.
    pub fn spec(&self) -> Option<&'static kirjo_domain::forms::Spec> {
        kirjo_domain::forms::spec(&self.kind)
    }

    pub fn is_form(&self) -> bool {
        self.spec().is_some()
    }

    /// A form kind's values and parties as typed.
    fn form_inputs(&self) -> (BTreeMap<String, String>, Vec<PartyInput>) {
        let values = self
            .rest
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("f-").map(|k| (k.to_owned(), v.clone())))
            .collect();
        let mut parties = Vec::new();
        for i in 0.. {
            let get = |f: &str| self.rest.get(&party_id(i, f)).cloned();
            let (Some(name), method, served_on) = (get("name"), get("method"), get("served_on"))
            else {
                break;
            };
            parties.push(PartyInput {
                name,
                method: method.unwrap_or_default(),
                served_on: served_on.unwrap_or_default(),
            });
        }
        (values, parties)
    }

    fn of(c: &Content) -> Self {
        match c {
            Content::Form(f) => {
                let mut rest: BTreeMap<String, String> = f
                    .inputs()
                    .into_iter()
                    .map(|(k, v)| (format!("f-{k}"), v))
                    .collect();
                for (i, p) in f.parties.iter().enumerate() {
                    rest.insert(party_id(i, "name"), p.name.clone());
                    rest.insert(party_id(i, "method"), p.method.value.to_owned());
                    rest.insert(
                        party_id(i, "served_on"),
                        p.served_on.map(|d| d.to_string()).unwrap_or_default(),
                    );
                }
                Self {
                    kind: f.spec.kind.to_owned(),
                    rest,
                    ..Self::default()
                }
            }
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
        if let Some(spec) = self.spec() {
            let (values, parties) = self.form_inputs();
            return spec
                .check(&values, &parties, kirjo_domain::calendar::helsinki_today())
                .map(Content::Form)
                .map_err(|errors| {
                    errors
                        .into_iter()
                        .map(|(field, e)| FieldError {
                            field: form_field_id(&field),
                            message: e.message(spec, lang),
                        })
                        .collect()
                });
        }
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
    /// A form kind's fields and a decision's party rows.
    pub fields: Vec<FieldView>,
    pub parties: Vec<PartyRow>,
    pub service_methods: Vec<(String, String)>,
}

/// A form kind's fields as read: (label, value), and a decision's parties:
/// (who, how, when served).
pub type FormView = (Vec<(String, String)>, Vec<(String, String, String)>);

/// A field of a form kind, as its input shows it.
pub struct FieldView {
    pub id: String,
    pub label: String,
    /// `text`, `date`, `number`, `textarea`, `select` or `checkbox`.
    pub input: &'static str,
    pub value: String,
    pub checked: bool,
    pub options: Vec<(String, String)>,
}

/// A row of a decision's parties.
pub struct PartyRow {
    pub n: usize,
    pub name_id: String,
    pub method_id: String,
    pub served_id: String,
    pub name: String,
    pub method: String,
    pub served_on: String,
}

fn field_views(form: &DocForm, lang: kirjo_domain::contact::Lang) -> Vec<FieldView> {
    use kirjo_domain::forms::{Need, Type};
    let Some(spec) = form.spec() else {
        return Vec::new();
    };
    spec.fields
        .iter()
        .map(|f| {
            let id = format!("f-{}", f.key);
            let value = form.rest.get(&id).cloned().unwrap_or_default();
            let (input, options) = match &f.ty {
                Type::Text | Type::Name => ("text", Vec::new()),
                Type::LongText => ("textarea", Vec::new()),
                Type::Date { .. } => ("date", Vec::new()),
                Type::Number { .. } => ("number", Vec::new()),
                Type::Bool => ("checkbox", Vec::new()),
                Type::Choice(c) => (
                    "select",
                    c.options
                        .iter()
                        .map(|o| (o.value.to_owned(), o.name(lang).to_owned()))
                        .collect(),
                ),
            };
            let mark = match f.need {
                Need::Always => " *",
                Need::ToComplete => " **",
                Need::Optional => "",
            };
            FieldView {
                checked: value == "true",
                id,
                label: format!("{}{mark}", f.name(lang)),
                input,
                value,
                options,
            }
        })
        .collect()
}

fn party_rows(form: &DocForm) -> Vec<PartyRow> {
    if !form.spec().is_some_and(|s| s.parties) {
        return Vec::new();
    }
    let (_, given) = form.form_inputs();
    let given: Vec<PartyInput> = given
        .into_iter()
        .filter(|p| p != &PartyInput::default())
        .collect();
    (0..given.len() + SPARE_PARTIES)
        .map(|i| {
            let p = given.get(i).cloned().unwrap_or_default();
            PartyRow {
                n: i + 1,
                name_id: party_id(i, "name"),
                method_id: party_id(i, "method"),
                served_id: party_id(i, "served_on"),
                name: p.name,
                method: p.method,
                served_on: p.served_on,
            }
        })
        .collect()
}

impl FormPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }

    /// The errors for the summary above the form: each with its field's
    /// label where the field is one of a form kind's.
    pub fn summary(&self) -> Vec<(String, String)> {
        summary(&self.errors, |field| {
            self.fields
                .iter()
                .find(|f| f.id == field)
                .map(|f| f.label.clone())
        })
    }
}

/// A page's errors, (field, message), for the summary above its form: each
/// message after its field's label where `label` knows the field.
fn summary<'a>(
    errors: impl IntoIterator<Item = (&'a String, &'a String)>,
    label: impl Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    errors
        .into_iter()
        .map(|(field, message)| {
            let text = match label(field) {
                Some(l) => format!("{l}: {message}"),
                None => message.clone(),
            };
            (field.clone(), text)
        })
        .collect()
}

/// The error of one field in a page's list of (field, message).
fn field_error<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a String> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
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
        fields: field_views(&form, ctx.tr.lang),
        parties: party_rows(&form),
        service_methods: kirjo_domain::forms::SERVICE_METHOD
            .options
            .iter()
            .map(|o| (o.value.to_owned(), o.name(ctx.tr.lang).to_owned()))
            .collect(),
        form,
    }
}

fn new_heading(ctx: &Ctx, f: &DocForm) -> String {
    if let Some(spec) = f.spec() {
        return ctx.tr.t1("doc-new", "kind", spec.name(ctx.tr.lang));
    }
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
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let form = if let Some(spec) = k.kind.as_deref().and_then(kirjo_domain::forms::spec) {
        DocForm {
            kind: spec.kind.to_owned(),
            rest: BTreeMap::from([("f-date".to_owned(), today)]),
            ..DocForm::default()
        }
    } else if k.kind.as_deref() == Some("child_welfare_notification") {
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
    /// A form kind's fields, labelled, and a decision's parties (name,
    /// how, when served).
    pub form_view: Option<FormView>,
    pub meta: Vec<(String, String)>,
    pub state: String,
    pub mine_draft: bool,
    pub correctable: bool,
    pub superseded_note: bool,
    pub versions: Vec<VersionRow>,
    pub edit: Option<FormPage>,
    /// Attached files: id, name, size in KiB, SHA-256.
    pub files: Vec<(i64, String, String, String)>,
    /// Why the file just sent was not attached.
    pub upload_error: Option<String>,
}

impl DocumentPage {
    /// The summary above the page of a file that was not attached.
    pub fn upload_summary(&self) -> Vec<(String, String)> {
        let file = "file".to_owned();
        summary(self.upload_error.iter().map(|e| (&file, e)), |_| {
            Some(self.shell.t.t("file-choose"))
        })
    }
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
        late: n.decision_late(kirjo_domain::calendar::helsinki_today()),
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
    show(&state, &ctx, &me, &actor, id, None).await
}

/// The document's page; with `upload_error`, answered 422 with the error
/// next to the file field.
async fn show(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    id: i64,
    upload_error: Option<String>,
) -> PageResult {
    let client = client_of(state, ctx, id).await?;
    let Some(h) = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(actor),
        ));
    };
    let d = &h.document;
    let content = Content::from_json(&d.kind, d.content.clone());
    let names = names(state).await;
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
            ctx,
            actor,
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
    let form_view = match &content {
        Some(Content::Form(f)) => Some((
            f.display(ctx.tr.lang)
                .into_iter()
                .map(|(label, value)| (label.to_owned(), value))
                .collect(),
            f.parties
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        p.method.name(ctx.tr.lang).to_owned(),
                        p.served_on
                            .map(date)
                            .unwrap_or_else(|| ctx.tr.t("parties-not-served")),
                    )
                })
                .collect(),
        )),
        _ => None,
    };
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
            Some(notification_view(ctx, n)),
        ),
        Some(Content::Form(_)) | None => Default::default(),
    };
    Ok(ctx.render(
        if upload_error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &DocumentPage {
            shell: ctx.shell(d.name.clone(), Some(actor)),
            id,
            client_id: d.client_id,
            name: d.name.clone(),
            entry,
            date: when,
            text,
            agreed,
            notification,
            form_view,
            meta,
            state: ctx.tr.t(&format!("doc-state-{}", d.state)),
            mine_draft,
            correctable: d.state == "completed" && !d.superseded,
            superseded_note: d.superseded,
            versions,
            edit,
            upload_error,
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
        crate::read_body(body, UPLOAD_LIMIT, crate::content_length(&headers)),
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
        .and_then(crate::multipart::boundary)
        .unwrap_or_default();
    let leading = crate::multipart::leading_parts(&bytes, &boundary);
    let token = leading
        .iter()
        .find(|p| p.name == "csrf" && p.file_name.is_none())
        .and_then(|p| std::str::from_utf8(p.bytes).ok());
    if !crate::form_token_ok(&headers, token) {
        return Err(crate::csrf_refusal());
    }
    let file = if too_large {
        Err(ctx.tr.t("file-too-large"))
    } else {
        uploaded_file(&ctx, &boundary, &bytes)
    };
    let (name, media_type, bytes) = match file {
        Ok(f) => f,
        Err(message) => return show(&state, &ctx, &me, &actor, id, Some(message)).await,
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
        bytes,
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
fn uploaded_file<'a>(
    ctx: &Ctx,
    boundary: &str,
    body: &'a [u8],
) -> Result<(String, String, &'a [u8]), String> {
    let parts = crate::multipart::parts(body, boundary).map_err(|_| ctx.tr.t("file-broken"))?;
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
    documents::check_file(&name, &media_type, part.bytes).map_err(|p| match p {
        FileProblem::Empty => ctx.tr.t("file-empty"),
        FileProblem::TooLarge => ctx.tr.t("file-too-large"),
        FileProblem::TypeNotAllowed => ctx.tr.t("file-type"),
        FileProblem::ContentMismatch => ctx.tr.t1("file-mismatch", "type", &media_type),
        FileProblem::Name => ctx.tr.t("file-name"),
    })?;
    Ok((name.trim().to_owned(), media_type, part.bytes))
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

#[derive(Debug, Default, Deserialize)]
pub struct ProhibitionForm {
    #[serde(default)]
    pub made_on: String,
    #[serde(default)]
    pub accepted: String,
    #[serde(default)]
    pub reason: String,
    /// `all` (the child's documents) or `some` (those ticked).
    #[serde(default)]
    pub scope: String,
    /// The documents ticked (`doc-<id>`), and the form's token.
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

/// A prohibition as the form gives it, checked.
struct NewProhibition {
    made_on: chrono::NaiveDate,
    accepted: bool,
    reason: String,
    documents: Option<Vec<i64>>,
}

impl ProhibitionForm {
    fn ticked(&self) -> Vec<i64> {
        self.rest
            .keys()
            .filter_map(|k| k.strip_prefix("doc-")?.parse().ok())
            .collect()
    }

    /// The prohibition, or each problem by its field.
    fn checked(
        &self,
        lang: kirjo_domain::contact::Lang,
        today: chrono::NaiveDate,
    ) -> Result<NewProhibition, Vec<(String, String)>> {
        use kirjo_domain::forms::{say, CHOOSE, REQUIRED};
        let mut errors = Vec::new();
        let mut fail =
            |field: &str, message: &str| errors.push((field.to_owned(), message.to_owned()));
        let made_on = required_date(&self.made_on, false, today, lang)
            .map_err(|m| fail("made_on", m))
            .ok();
        let accepted = match self.accepted.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                fail("accepted-yes", say(CHOOSE, lang));
                None
            }
        };
        let reason = self.reason.trim();
        if reason.is_empty() {
            fail("prohibition_reason", say(REQUIRED, lang));
        }
        let ticked = self.ticked();
        let documents = match self.scope.as_str() {
            "all" if !ticked.is_empty() => {
                fail("documents", say(ALL_BUT_TICKED, lang));
                None
            }
            "all" => Some(None),
            "some" if !ticked.is_empty() => Some(Some(ticked)),
            "some" => {
                fail("documents", say(CHOOSE_DOCUMENTS, lang));
                None
            }
            _ => {
                fail("scope-all", say(CHOOSE, lang));
                None
            }
        };
        match (made_on, accepted, documents) {
            (Some(made_on), Some(accepted), Some(documents)) if errors.is_empty() => {
                Ok(NewProhibition {
                    made_on,
                    accepted,
                    reason: reason.to_owned(),
                    documents,
                })
            }
            _ => Err(errors),
        }
    }
}

const ALL_BUT_TICKED: kirjo_domain::forms::Names = [
    "Valitsit, että kielto koskee kaikkia asiakirjoja, mutta merkitsit asiakirjoja. Valitse \"vain merkittyjä\" tai poista merkinnät.",
    "Du valde att förbudet gäller alla handlingar men markerade handlingar. Välj \"endast markerade\" eller ta bort markeringarna.",
    "You chose that the prohibition covers all documents, but ticked some. Choose \"only those ticked\" or clear the ticks.",
];

const CHOOSE_DOCUMENTS: kirjo_domain::forms::Names = [
    "Merkitse ainakin yksi asiakirja, tai valitse, että kielto koskee kaikkia.",
    "Markera minst en handling, eller välj att förbudet gäller alla.",
    "Tick at least one document, or choose that the prohibition covers all.",
];

/// A document that a prohibition may name.
pub struct PickRow {
    pub id: i64,
    pub label: String,
    pub ticked: bool,
}

#[derive(Template)]
#[template(path = "prohibition.html")]
pub struct ProhibitionPage {
    pub shell: Shell,
    pub client_id: i64,
    pub form: ProhibitionForm,
    pub errors: Vec<(String, String)>,
    /// The errors for the summary above the form, each with its field's
    /// label.
    pub summary: Vec<(String, String)>,
    pub rows: Vec<PickRow>,
}

impl ProhibitionPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        field_error(&self.errors, field)
    }
}

/// A date that a page's form requires: the date, or the message on why it
/// is missing or not taken.
fn required_date(
    raw: &str,
    future: bool,
    today: chrono::NaiveDate,
    lang: kirjo_domain::contact::Lang,
) -> Result<chrono::NaiveDate, &'static str> {
    use kirjo_domain::forms::{say, typed_date, FormError, BAD_DATE, FUTURE_DATE, REQUIRED};
    match typed_date(raw, future, today) {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(say(REQUIRED, lang)),
        Err(FormError::FutureDate) => Err(say(FUTURE_DATE, lang)),
        Err(_) => Err(say(BAD_DATE, lang)),
    }
}

/// The prohibition form with the child's documents to pick from (those of
/// the service areas where the user has the child, which is also all a
/// prohibition may name): reading the list is a logged use.
async fn prohibition_page(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    id: i64,
    form: ProhibitionForm,
    errors: Vec<(String, String)>,
) -> PageResult {
    let lines = documents::timeline(&state.db, &me.caller, &state.gate, id, None, None)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    let names = names(state).await;
    let li = lang_index(ctx.tr.lang);
    let ticked = form.ticked();
    let rows = lines
        .iter()
        .map(|l| PickRow {
            id: l.id,
            label: format!(
                "{}, {} ({}, {}{})",
                l.name,
                l.date.map_or_else(|| helsinki_time(l.created_at), date),
                names.of(&l.service_area, li),
                l.author_name,
                if l.state == "draft" {
                    format!(", {}", ctx.tr.t("doc-state-draft"))
                } else {
                    String::new()
                }
            ),
            ticked: ticked.contains(&l.id),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let summary = summary(errors.iter().map(|(f, m)| (f, m)), |field| {
        Some(ctx.tr.t(match field {
            "made_on" => "prohibition-made-on",
            "accepted-yes" => "prohibition-decision",
            "prohibition_reason" => "prohibition-reason",
            _ => "prohibition-scope",
        }))
    });
    Ok(ctx.render(
        status,
        &ProhibitionPage {
            shell: ctx.shell(ctx.tr.t("prohibition-title"), Some(actor)),
            client_id: id,
            form,
            errors,
            summary,
            rows,
        },
    ))
}

/// `GET /clients/{id}/minor-prohibition`: the form to record one.
pub async fn prohibition_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    prohibition_page(
        &state,
        &ctx,
        &me,
        &actor,
        id,
        ProhibitionForm::default(),
        Vec::new(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct EndProhibitionForm {
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "prohibition_end.html")]
pub struct EndProhibitionPage {
    pub shell: Shell,
    pub client_id: i64,
    pub prohibition_id: i64,
    pub form: EndProhibitionForm,
    pub errors: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
}

impl EndProhibitionPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        field_error(&self.errors, field)
    }
}

/// `POST /clients/{id}/minor-prohibition/{pid}/end` (from the card): end a
/// prohibition in force from a day, with the reason. A form with problems
/// comes back on a page of its own, as typed, each problem at its field.
pub async fn end_prohibition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Form<EndProhibitionForm>,
) -> PageResult {
    use kirjo_domain::forms::{say, REQUIRED};
    let id = page_id(&ctx, &id)?;
    let pid = page_id(&ctx, &pid)?;
    let (me, actor) = ctx.user(&state).await?;
    let lang = ctx.tr.lang;
    let mut errors = Vec::new();
    // A prohibition may be ended from a day to come.
    let ended_on = required_date(
        &f.ended_on,
        true,
        kirjo_domain::calendar::helsinki_today(),
        lang,
    )
    .map_err(|m| errors.push(("ended_on".to_owned(), m.to_owned())))
    .ok();
    if f.reason.trim().is_empty() {
        errors.push(("end_reason".to_owned(), say(REQUIRED, lang).to_owned()));
    }
    let ended = match ended_on {
        Some(on) if errors.is_empty() => kirjo_store::guardians::end_prohibition(
            &state.db,
            &me.caller,
            &state.gate,
            id,
            pid,
            on,
            f.reason.trim(),
        )
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?,
        _ => false,
    };
    if ended {
        return Ok(see_other(&format!("/clients/{id}?saved=1")));
    }
    if errors.is_empty() {
        errors.push(("ended_on".to_owned(), ctx.tr.t("prohibition-end-conflict")));
    }
    Ok(ctx.render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &EndProhibitionPage {
            shell: ctx.shell(ctx.tr.t("prohibition-end"), Some(&actor)),
            client_id: id,
            prohibition_id: pid,
            form: f,
            summary: summary(errors.iter().map(|(f, m)| (f, m)), |field| {
                Some(ctx.tr.t(if field == "ended_on" {
                    "prohibition-ended-on"
                } else {
                    "prohibition-end-reason"
                }))
            }),
            errors,
        },
    ))
}

/// `POST /clients/{id}/minor-prohibition`: record it; a form with
/// problems comes back as it was typed, each problem at its field.
pub async fn record_prohibition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ProhibitionForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let p = match f.checked(ctx.tr.lang, kirjo_domain::calendar::helsinki_today()) {
        Ok(p) => p,
        Err(errors) => return prohibition_page(&state, &ctx, &me, &actor, id, f, errors).await,
    };
    kirjo_store::guardians::record_prohibition(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        p.made_on,
        p.accepted,
        &p.reason,
        p.documents.as_deref(),
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
