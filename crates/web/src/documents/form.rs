use crate::documents::actions;
use crate::documents::input::check;
use crate::shared::fields::FieldError;
use crate::shared::page::lang_index;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::Actor;
use kirjo_domain::document::Content;
use kirjo_domain::document::NarrativeEntry;
use kirjo_domain::document::NotificationInput;
use kirjo_domain::forms::PartyInput;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// The draft's revision the form was filled in from (a hidden field;
    /// docs/concurrency.md). Empty on a new document.
    #[serde(default)]
    pub revision: String,
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

    pub(crate) fn of(c: &Content) -> Self {
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
    pub(crate) fn checked(
        &self,
        lang: kirjo_domain::contact::Lang,
    ) -> Result<Content, Vec<FieldError>> {
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
            crate::documents::input::check_notification(&self.notification, lang, "")
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
#[template(path = "documents/document_form.html")]
pub struct FormPage {
    pub shell: Shell,
    /// Whose document it is: a new document's form shows the band.
    pub band: Option<crate::clients::band::BandView>,
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
    /// Saving met a newer version: (field, what the user typed, what is
    /// stored now) of each field that differs, shown side by side above
    /// the form, which keeps what was typed.
    pub conflict: Option<Vec<(String, String, String)>>,
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
                // Filled by `with_makers`: the qualified staff.
                Type::StaffUser => ("select", Vec::new()),
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

/// Each field where what the user typed (`typed`) differs from what is
/// stored now (`stored`): (label, typed, stored), in the page's language.
pub(crate) fn conflict_rows(
    ctx: &Ctx,
    typed: &DocForm,
    stored: &DocForm,
) -> Vec<(String, String, String)> {
    let t = &ctx.tr;
    let lang = t.lang;
    let mut rows = Vec::new();
    let mut differ = |label: String, a: &str, b: &str| {
        if a.trim() != b.trim() {
            rows.push((label, a.trim().to_owned(), b.trim().to_owned()));
        }
    };
    if typed.is_form() {
        let ours = field_views(typed, lang);
        let theirs = field_views(stored, lang);
        for f in &ours {
            let shown = |v: &FieldView| match v.input {
                "checkbox" => t.t(if v.checked { "yes" } else { "no" }),
                "select" => v
                    .options
                    .iter()
                    .find(|(value, _)| *value == v.value)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_else(|| v.value.clone()),
                _ => v.value.clone(),
            };
            let stored = theirs
                .iter()
                .find(|s| s.id == f.id)
                .map(&shown)
                .unwrap_or_default();
            differ(f.label.clone(), &shown(f), &stored);
        }
        let party = |p: &PartyRow| {
            [p.name.as_str(), p.method.as_str(), p.served_on.as_str()]
                .iter()
                .filter(|v| !v.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (ours, theirs) = (party_rows(typed), party_rows(stored));
        for i in 0..ours.len().max(theirs.len()) {
            differ(
                t.t1("conflict-party", "n", i + 1),
                &ours.get(i).map(party).unwrap_or_default(),
                &theirs.get(i).map(party).unwrap_or_default(),
            );
        }
    } else if typed.is_notification() {
        let (a, b) = (&typed.notification, &stored.notification);
        for (key, x, y) in [
            ("notification-received", &a.received_on, &b.received_on),
            ("notification-reporter", &a.reporter, &b.reporter),
            (
                "notification-reporter-first-names",
                &a.reporter_first_names,
                &b.reporter_first_names,
            ),
            (
                "notification-reporter-surname",
                &a.reporter_surname,
                &b.reporter_surname,
            ),
            (
                "notification-reporter-title",
                &a.reporter_title,
                &b.reporter_title,
            ),
            (
                "notification-reporter-organisation",
                &a.reporter_organisation,
                &b.reporter_organisation,
            ),
            ("notification-channel", &a.channel, &b.channel),
            ("notification-content", &a.content, &b.content),
            ("notification-urgency", &a.urgency, &b.urgency),
            (
                "notification-urgency-note",
                &a.urgency_note,
                &b.urgency_note,
            ),
            ("notification-decision", &a.decision, &b.decision),
            ("notification-decided-on", &a.decided_on, &b.decided_on),
            (
                "notification-reasons",
                &a.decision_reasons,
                &b.decision_reasons,
            ),
            (
                "notification-child-told",
                &a.child_told_on,
                &b.child_told_on,
            ),
            (
                "notification-guardian-told",
                &a.guardian_told_on,
                &b.guardian_told_on,
            ),
        ] {
            differ(t.t(key), x, y);
        }
    } else {
        let entry = |v: &str| {
            NarrativeEntry::ALL
                .iter()
                .find(|e| e.as_str() == v)
                .map(|e| e.name(lang).to_owned())
                .unwrap_or_else(|| v.to_owned())
        };
        differ(
            t.t("narrative-entry"),
            &entry(&typed.entry),
            &entry(&stored.entry),
        );
        differ(t.t("narrative-date"), &typed.date, &stored.date);
        differ(t.t("narrative-text"), &typed.text, &stored.text);
        differ(t.t("narrative-agreed"), &typed.agreed, &stored.agreed);
    }
    rows
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
pub(crate) fn summary<'a>(
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
pub(crate) fn field_error<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a String> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
}

/// Where a form is and what it holds.
pub(crate) struct Place {
    pub(crate) heading: String,
    pub(crate) action: String,
    pub(crate) cancel: String,
}

fn options(ctx: &Ctx, prefix: &str, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), ctx.tr.t(&format!("{prefix}{v}"))))
        .collect()
}

pub(crate) fn form_page(
    ctx: &Ctx,
    actor: &Actor,
    place: Place,
    form: DocForm,
    correction: bool,
    errors: &[FieldError],
) -> FormPage {
    FormPage {
        shell: ctx.shell(place.heading.clone(), Some(actor)),
        band: None,
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
        conflict: None,
        service_methods: kirjo_domain::forms::SERVICE_METHOD
            .options
            .iter()
            .map(|o| (o.value.to_owned(), o.name(ctx.tr.lang).to_owned()))
            .collect(),
        form,
    }
}

/// Fills a decision's decision-maker choice with the staff who may be
/// named in the areas where the user does client work (the store checks
/// the one chosen against the decision's own area).
pub(crate) async fn with_makers(page: &mut FormPage, state: &AppState, actor: &Actor) {
    if page.form.kind != "decision" {
        return;
    }
    let areas: Vec<String> = actor
        .roles
        .iter()
        .filter_map(|r| r.service_area.clone())
        .collect();
    let makers = kirjo_store::decisions::qualified_makers(&state.db, &areas)
        .await
        .unwrap_or_default();
    for f in page
        .fields
        .iter_mut()
        .filter(|f| f.id == "f-decision_maker")
    {
        f.options = makers
            .iter()
            .map(|m| (m.id.to_string(), format!("{}, {}", m.name, m.title)))
            .collect();
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
    let (me, actor) = ctx.user(&state).await?;
    let band = crate::clients::band::read(
        &state,
        &ctx,
        &me,
        &actor,
        id,
        "client band: new document form",
        Some(kirjo_access::Action::WriteDocument),
    )
    .await?;
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
    page.band = Some(band);
    with_makers(&mut page, &state, &actor).await;
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
    let checked = f.checked(ctx.tr.lang);
    let created = actions::create(
        &state,
        &me.caller,
        id,
        &f.service_task,
        checked,
        ctx.tr.lang,
    )
    .await;
    match created {
        Ok(doc) => Ok(see_other(&format!("/documents/{doc}"))),
        Err(Refusal::Fields(errors)) => {
            let place = Place {
                heading: new_heading(&ctx, &f),
                action: format!("/clients/{id}/documents/new"),
                cancel: format!("/clients/{id}/documents"),
            };
            let mut page = form_page(&ctx, &actor, place, f, false, &errors);
            page.tasks = task_choices(&state, &ctx, &actor).await;
            page.band = Some(
                crate::clients::band::read(
                    &state,
                    &ctx,
                    &me,
                    &actor,
                    id,
                    "client band: new document form",
                    None,
                )
                .await?,
            );
            with_makers(&mut page, &state, &actor).await;
            Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

/// The service tasks of the areas where the user does client work.
pub(crate) async fn task_choices(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
) -> Vec<(String, String)> {
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
