//! Opening a client relationship on a basis Kirjo records, for the API and
//! the page form alike: the input is checked here (each problem at its
//! field, in the user's language), then the store decides with the gate,
//! checks the basis and records it; every refusal leaves its denied row.

use crate::shared::fields::FieldError;
use crate::shared::i18n::Tr;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use chrono::NaiveDate;
use kirjo_access::StatedPurpose;
use kirjo_domain::contact::Lang;
use kirjo_store::gate::{Caller, GateError};
use kirjo_store::relationships::{refused_field, Basis, NewRelationship};
use serde::Deserialize;

/// What opening a relationship asks, as the API takes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationshipInput {
    pub service_area: String,
    pub unit: String,
    /// Default: the user opening it. A supervisor's assignment names the
    /// worker here.
    pub responsible_worker_id: Option<i64>,
    /// Default: today; a day in the past needs `backdating_reason`.
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub started_on: Option<NaiveDate>,
    /// `document`, `assignment` or `purpose`.
    pub basis: Option<String>,
    /// With `document`: a child welfare notification, an application or an
    /// intake of this client in this service area.
    pub document_id: Option<i64>,
    /// With `purpose`: a configured purpose and the user's own words.
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    pub backdating_reason: Option<String>,
}

fn problem(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message,
    }
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The relationship asked for and the problems of the input, each at its
/// field.
pub fn check(
    state: &AppState,
    input: &RelationshipInput,
    lang: Lang,
    today: NaiveDate,
) -> (NewRelationship, Vec<FieldError>) {
    let tr = Tr::new(lang);
    let mut errors = Vec::new();
    let basis = match input.basis.as_deref().map(str::trim) {
        Some("document") => match input.document_id {
            Some(id) => Some(Basis::Document(id)),
            None => {
                errors.push(problem(
                    "document_id",
                    tr.t("relationship-document-required"),
                ));
                None
            }
        },
        Some("assignment") => Some(Basis::Assignment),
        Some("purpose") => {
            let purpose = text(&input.purpose).filter(|p| state.gate.purposes.contains(p));
            let words = text(&input.purpose_text);
            if purpose.is_none() {
                errors.push(problem("purpose", tr.t("relationship-purpose-required")));
            }
            if words.is_none() {
                errors.push(problem(
                    "purpose_text",
                    tr.t("relationship-purpose-text-required"),
                ));
            }
            purpose
                .zip(words)
                .map(|(purpose_id, text)| Basis::Purpose(StatedPurpose { purpose_id, text }))
        }
        _ => {
            errors.push(problem("basis", tr.t("relationship-basis-required")));
            None
        }
    };
    let backdating_reason = text(&input.backdating_reason);
    if input.started_on.is_some_and(|d| d < today) && backdating_reason.is_none() {
        errors.push(problem(
            "backdating_reason",
            tr.t("relationship-backdating-reason-required"),
        ));
    }
    (
        NewRelationship {
            service_area: input.service_area.trim().to_owned(),
            unit: input.unit.trim().to_owned(),
            responsible_worker_id: input.responsible_worker_id,
            started_on: input.started_on,
            basis,
            backdating_reason,
        },
        errors,
    )
}

/// What the use log keeps of refused input: the fields, not their text.
fn refused_fields(errors: &[FieldError]) -> String {
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    format!("input: problems in {}", fields.join(", "))
}

/// Opens the relationship of `client`, or says why not: the gate's and
/// the store's refusals as they are (403), the input's at its fields (422),
/// each logged.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    client: i64,
    input: &RelationshipInput,
    more: Vec<FieldError>,
    lang: Lang,
) -> Result<i64, Refusal> {
    let today = kirjo_domain::calendar::helsinki_today();
    let (new, mut errors) = check(state, input, lang, today);
    errors.extend(more);
    let problems = (!errors.is_empty()).then(|| refused_fields(&errors));
    let opened = kirjo_store::relationships::open(
        &state.db,
        caller,
        &state.gate,
        client,
        &new,
        problems.as_deref(),
    )
    .await;
    match opened {
        Ok(id) => Ok(id),
        Err(GateError::Invalid { .. }) if !errors.is_empty() => Err(Refusal::Fields(errors)),
        Err(e) => match refused_field(&e) {
            Some(field) => Err(Refusal::Fields(vec![problem(
                field,
                Tr::new(lang).t(&format!("relationship-refused-{field}")),
            )])),
            None => Err(e.into()),
        },
    }
}

/// The page form for opening a relationship, as typed: every value a
/// string, so that nothing typed is lost when it comes back with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RelationshipForm {
    /// `area|unit`, one of the user's own.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub document_id: String,
    #[serde(default)]
    pub responsible_worker_id: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub purpose_text: String,
    #[serde(default)]
    pub started_on: String,
    #[serde(default)]
    pub backdating_reason: String,
}

impl RelationshipForm {
    /// The input the API would take, and the problems of reading the form
    /// (a number or a date that is not one), each at its field.
    fn input(&self, lang: Lang, today: NaiveDate) -> (RelationshipInput, Vec<FieldError>) {
        let tr = Tr::new(lang);
        let mut errors = Vec::new();
        let (area, unit) = self.place.split_once('|').unwrap_or_default();
        if area.is_empty() || unit.is_empty() {
            errors.push(problem(
                "place",
                kirjo_domain::forms::say(kirjo_domain::forms::CHOOSE, lang).to_owned(),
            ));
        }
        let number = |field: &str, raw: &str, errors: &mut Vec<FieldError>| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let n = raw.parse::<i64>().ok().filter(|n| *n > 0);
            if n.is_none() {
                errors.push(problem(field, tr.t("relationship-number")));
            }
            n
        };
        let document_id = number("document_id", &self.document_id, &mut errors);
        let responsible_worker_id = number(
            "responsible_worker_id",
            &self.responsible_worker_id,
            &mut errors,
        );
        let started_on = match self.started_on.trim() {
            "" => None,
            raw => match kirjo_domain::forms::typed_date(raw, false, today) {
                Ok(d) => d,
                Err(kirjo_domain::forms::FormError::FutureDate) => {
                    errors.push(problem(
                        "started_on",
                        kirjo_domain::forms::say(kirjo_domain::forms::FUTURE_DATE, lang).to_owned(),
                    ));
                    None
                }
                Err(_) => {
                    errors.push(problem(
                        "started_on",
                        kirjo_domain::forms::say(kirjo_domain::forms::BAD_DATE, lang).to_owned(),
                    ));
                    None
                }
            },
        };
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        (
            RelationshipInput {
                service_area: area.to_owned(),
                unit: unit.to_owned(),
                responsible_worker_id,
                started_on,
                basis: some(&self.basis),
                document_id,
                purpose: some(&self.purpose),
                purpose_text: some(&self.purpose_text),
                backdating_reason: some(&self.backdating_reason),
            },
            errors,
        )
    }
}

/// A choice on the page: value and label.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(askama::Template)]
#[template(path = "clients/relationship.html")]
pub struct RelationshipPage {
    pub shell: crate::shared::page::Shell,
    pub client_id: i64,
    pub today: String,
    pub form: RelationshipForm,
    /// The user's own units and service areas where they do client work
    /// or supervise it.
    pub places: Vec<Choice>,
    /// A supervisor's: the client workers they may name.
    pub workers: Vec<Choice>,
    /// The configured purposes, where the user may state one.
    pub purposes: Vec<Choice>,
    pub errors: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
}

impl RelationshipPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        crate::documents::form::field_error(&self.errors, field)
    }
}

/// The id of a field on the page, for the summary's links.
fn element(field: &str) -> &str {
    match field {
        "basis" => "basis-document",
        "service_area" | "unit" => "place",
        f => f,
    }
}

fn label_key(field: &str) -> &'static str {
    match field {
        "place" | "service_area" | "unit" => "relationship-place",
        "basis" => "client-basis",
        "document_id" => "relationship-document",
        "responsible_worker_id" => "relationship-worker",
        "purpose" | "purpose_text" => "relationship-purpose",
        "started_on" => "relationship-started-on",
        _ => "relationship-backdating-reason",
    }
}

async fn relationship_page(
    state: &AppState,
    ctx: &crate::shared::page::Ctx,
    actor: &kirjo_access::Actor,
    client_id: i64,
    form: RelationshipForm,
    errors: Vec<(String, String)>,
) -> crate::shared::page::PageResult {
    use kirjo_access::Role;
    let names = crate::shared::page::names(state).await;
    let li = crate::shared::page::lang_index(ctx.tr.lang);
    let mut places: Vec<Choice> = Vec::new();
    let mut workers: Vec<Choice> = Vec::new();
    for r in &actor.roles {
        let Some(area) = &r.service_area else {
            continue;
        };
        if !matches!(r.role, Role::ClientWorker | Role::UnitSupervisor) {
            continue;
        }
        let value = format!("{area}|{}", r.unit);
        if !places.iter().any(|p| p.value == value) {
            places.push(Choice {
                label: format!("{}, {}", names.of(area, li), r.unit),
                value,
            });
        }
        if r.role == Role::UnitSupervisor {
            let found = kirjo_store::relationships::client_workers(&state.db, &r.unit, area)
                .await
                .unwrap_or_default();
            for (id, name) in found {
                if !workers.iter().any(|w| w.value == id.to_string()) {
                    workers.push(Choice {
                        value: id.to_string(),
                        label: name,
                    });
                }
            }
        }
    }
    let purposes = if crate::clients::search::may_state_purpose(state, actor) {
        crate::clients::search::purpose_choices(state, ctx)
            .into_iter()
            .map(|p| Choice {
                value: p.id,
                label: p.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let summary = crate::documents::form::summary(errors.iter().map(|(f, m)| (f, m)), |f| {
        Some(ctx.tr.t(label_key(f)))
    });
    let errors = errors
        .into_iter()
        .map(|(f, m)| (element(&f).to_owned(), m))
        .collect();
    let summary = summary
        .into_iter()
        .map(|(f, m)| (element(&f).to_owned(), m))
        .collect();
    Ok(ctx.render(
        status,
        &RelationshipPage {
            shell: ctx.shell(ctx.tr.t("relationship-title"), Some(actor)),
            client_id,
            today: kirjo_domain::calendar::helsinki_today().to_string(),
            form,
            places,
            workers,
            purposes,
            errors,
            summary,
        },
    ))
}

/// `GET /clients/{id}/relationships/new`: the form. It shows nothing of
/// the client: what the user may do is decided, and logged, when it is
/// sent.
pub async fn relationship_form(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: crate::shared::page::Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> crate::shared::page::PageResult {
    let id = crate::shared::page::page_id(&ctx, &id)?;
    let (_, actor) = ctx.user(&state).await?;
    let form = RelationshipForm {
        started_on: kirjo_domain::calendar::helsinki_today().to_string(),
        ..RelationshipForm::default()
    };
    relationship_page(&state, &ctx, &actor, id, form, Vec::new()).await
}

/// `POST /clients/{id}/relationships/new`: opens it and goes to the card;
/// a form with problems comes back as it was typed, each at its field.
pub async fn open_from_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: crate::shared::page::Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Form(f): axum::Form<RelationshipForm>,
) -> crate::shared::page::PageResult {
    let id = crate::shared::page::page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let today = kirjo_domain::calendar::helsinki_today();
    let (input, more) = f.input(ctx.tr.lang, today);
    let no_place = more.iter().any(|e| e.field == "place");
    let read_errors = more.clone();
    match open(&state, &me.caller, id, &input, more, ctx.tr.lang).await {
        Ok(_) => Ok(crate::shared::page::see_other(&format!(
            "/clients/{id}#relationships-heading"
        ))),
        Err(Refusal::Fields(errors)) => {
            let errors = errors.into_iter().map(|e| (e.field, e.message)).collect();
            relationship_page(&state, &ctx, &actor, id, f, errors).await
        }
        // No unit and area chosen: the gate refused (and logged) an act
        // in no area; the form says what is missing.
        Err(Refusal::Gate(GateError::Denied { .. })) if no_place => {
            let (_, mut all) = check(&state, &input, ctx.tr.lang, today);
            all.extend(read_errors);
            let errors = all.into_iter().map(|e| (e.field, e.message)).collect();
            relationship_page(&state, &ctx, &actor, id, f, errors).await
        }
        Err(other) => Err(ctx.refused(other, &actor)),
    }
}
