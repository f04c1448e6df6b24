//! A minor's prohibition: its input check (one, for the API and the
//! page), recording and ending it, and the two forms. One action with its
//! assessment, so one file, a little over 600 lines; the guardian's answer
//! that it governs is `guardian.rs`.

use crate::documents::form::field_error;
use crate::documents::form::summary;
use crate::shared::fields::FieldError;
use crate::shared::i18n::Tr;
use crate::shared::page::helsinki_time;
use crate::shared::page::lang_index;
use crate::shared::page::names;
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
use axum::Form;
use chrono::NaiveDate;
use kirjo_access::Actor;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_domain::contact::Lang;
use kirjo_store::documents;
use kirjo_store::gate::{Caller, GateError};
use kirjo_store::guardians::NewProhibition;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A prohibition as the API or the form gives it, before it is checked.
#[derive(Debug, Default)]
pub struct ProhibitionInput {
    pub made_on: String,
    pub accepted: Option<bool>,
    /// The grounds of the decision.
    pub reason: String,
    pub age_and_maturity: String,
    pub mature_enough: Option<bool>,
    pub weighty_reason: String,
    pub clearly_against_interest: Option<bool>,
    pub child_told_on: String,
    /// The documents it covers; None: all of the child's documents.
    pub documents: Option<Vec<i64>>,
}

fn problem(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// A text that the form requires: its problem, if any.
fn text_problem(raw: &str, lang: Lang) -> Option<String> {
    use kirjo_domain::forms::{say, REQUIRED};
    if raw.trim().is_empty() {
        Some(say(REQUIRED, lang).to_owned())
    } else if kirjo_domain::edge::check_text(raw, true).is_err() {
        Some(Tr::new(lang).t("prohibition-text-unusable"))
    } else {
        None
    }
}

/// A date that a form requires, not after today unless `future`, and not
/// before today: the date, or the message on why it is not taken.
fn date_from_today(
    raw: &str,
    future: bool,
    today: NaiveDate,
    lang: Lang,
    past: &str,
) -> Result<NaiveDate, String> {
    let d = required_date(raw, future, today, lang).map_err(str::to_owned)?;
    if d < today {
        return Err(Tr::new(lang).t(past));
    }
    Ok(d)
}

/// Checks a prohibition on `today`: the prohibition, or each problem by its
/// field (the API's names). Made today, never backdated; told to the child
/// when it was made or later, by today; accepted only as the assessment
/// allows.
pub fn check(
    input: &ProhibitionInput,
    lang: Lang,
    today: NaiveDate,
) -> Result<NewProhibition, Vec<FieldError>> {
    use kirjo_domain::forms::{say, CHOOSE};
    let tr = Tr::new(lang);
    let mut errors = Vec::new();
    let made_on = date_from_today(&input.made_on, false, today, lang, "prohibition-date-past")
        .map_err(|m| errors.push(problem("made_on", m)))
        .ok();
    let choice = |v: Option<bool>, field: &str, errors: &mut Vec<FieldError>| {
        if v.is_none() {
            errors.push(problem(field, say(CHOOSE, lang)));
        }
        v
    };
    let accepted = choice(input.accepted, "accepted", &mut errors);
    let texts = [
        ("reason", &input.reason),
        ("age_and_maturity", &input.age_and_maturity),
        ("weighty_reason", &input.weighty_reason),
    ];
    for (field, raw) in texts.iter().take(2) {
        if let Some(m) = text_problem(raw, lang) {
            errors.push(problem(field, m));
        }
    }
    let mature_enough = choice(input.mature_enough, "mature_enough", &mut errors);
    if let Some(m) = text_problem(texts[2].1, lang) {
        errors.push(problem("weighty_reason", m));
    }
    let against = choice(
        input.clearly_against_interest,
        "clearly_against_interest",
        &mut errors,
    );
    let told = match required_date(&input.child_told_on, false, today, lang) {
        Err(m) => {
            errors.push(problem("child_told_on", m));
            None
        }
        Ok(d) if made_on.is_some_and(|m| d < m) || d < today => {
            errors.push(problem(
                "child_told_on",
                tr.t("prohibition-told-before-made"),
            ));
            None
        }
        Ok(d) => Some(d),
    };
    // The decision follows from the assessment.
    if accepted == Some(true) {
        if against == Some(true) {
            errors.push(problem(
                "clearly_against_interest",
                tr.t("prohibition-accepted-against-interest"),
            ));
        }
        if mature_enough == Some(false) {
            errors.push(problem(
                "mature_enough",
                tr.t("prohibition-accepted-not-mature"),
            ));
        }
    }
    match (made_on, accepted, mature_enough, against, told) {
        (Some(made_on), Some(accepted), Some(mature_enough), Some(against), Some(told))
            if errors.is_empty() =>
        {
            Ok(NewProhibition {
                made_on,
                accepted,
                reason: input.reason.trim().to_owned(),
                age_and_maturity: input.age_and_maturity.trim().to_owned(),
                mature_enough,
                weighty_reason: input.weighty_reason.trim().to_owned(),
                clearly_against_interest: against,
                child_told_on: told,
                documents: input.documents.clone(),
            })
        }
        _ => Err(errors),
    }
}

/// What the use log keeps of refused input: the fields, not their text.
fn refused_fields(errors: &[FieldError]) -> String {
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    format!("the input has problems in {}", fields.join(", "))
}

/// Records a prohibition, for the API and the form alike: checked here,
/// then the gate (only the child's own social worker of the controller),
/// then recorded. `more` are the form's own problems (how the documents
/// were chosen). Input with problems is refused at its fields after the
/// gate has decided whether the user may try at all, and either way the
/// attempt leaves its denied row.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    child: i64,
    input: &ProhibitionInput,
    more: Vec<FieldError>,
    lang: Lang,
) -> Result<i64, Refusal> {
    let checked = check(input, lang, kirjo_domain::calendar::helsinki_today());
    let errors = match checked {
        Ok(p) if more.is_empty() => {
            return Ok(kirjo_store::guardians::record_prohibition(
                &state.db,
                caller,
                &state.gate,
                child,
                Ok(&p),
            )
            .await?)
        }
        Ok(_) => more,
        Err(mut e) => {
            e.extend(more);
            e
        }
    };
    match kirjo_store::guardians::record_prohibition(
        &state.db,
        caller,
        &state.gate,
        child,
        Err(&refused_fields(&errors)),
    )
    .await
    {
        Err(GateError::Invalid { .. }) | Ok(_) => Err(Refusal::Fields(errors)),
        Err(e) => Err(e.into()),
    }
}

/// Ends a prohibition in force from `ended_on` (today or later), for
/// `reason`; for the API and the form alike, refused and logged as
/// [`record`]. False when the child has no such prohibition in force.
pub async fn end(
    state: &AppState,
    caller: &Caller,
    child: i64,
    id: i64,
    ended_on: &str,
    reason: &str,
    lang: Lang,
) -> Result<bool, Refusal> {
    let today = kirjo_domain::calendar::helsinki_today();
    let mut errors = Vec::new();
    // A prohibition may be ended from a day to come, never from one past.
    let on = date_from_today(ended_on, true, today, lang, "prohibition-end-past")
        .map_err(|m| errors.push(problem("ended_on", m)))
        .ok();
    if let Some(m) = text_problem(reason, lang) {
        errors.push(problem("reason", m));
    }
    let input = match on {
        Some(on) if errors.is_empty() => Ok((on, reason.trim())),
        _ => Err(refused_fields(&errors)),
    };
    match kirjo_store::guardians::end_prohibition(
        &state.db,
        caller,
        &state.gate,
        child,
        id,
        input
            .as_ref()
            .map(|(on, r)| (*on, *r))
            .map_err(String::as_str),
    )
    .await
    {
        Ok(ended) => Ok(ended),
        Err(GateError::Invalid { .. }) if !errors.is_empty() => Err(Refusal::Fields(errors)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ProhibitionForm {
    #[serde(default)]
    pub made_on: String,
    #[serde(default)]
    pub accepted: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub age_and_maturity: String,
    #[serde(default)]
    pub mature_enough: String,
    #[serde(default)]
    pub weighty_reason: String,
    #[serde(default)]
    pub clearly_against_interest: String,
    #[serde(default)]
    pub child_told_on: String,
    /// `all` (the child's documents) or `some` (those ticked).
    #[serde(default)]
    pub scope: String,
    /// The documents ticked (`doc-<id>`), and the form's token.
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

fn yes_no(raw: &str) -> Option<bool> {
    match raw {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

impl ProhibitionForm {
    fn ticked(&self) -> Vec<i64> {
        self.rest
            .keys()
            .filter_map(|k| k.strip_prefix("doc-")?.parse().ok())
            .collect()
    }

    /// The prohibition as given, and the problems of how its documents were
    /// chosen (by the API's field names).
    fn input(&self, lang: Lang) -> (ProhibitionInput, Vec<FieldError>) {
        use kirjo_domain::forms::{say, CHOOSE};
        let mut errors = Vec::new();
        let ticked = self.ticked();
        let documents = match self.scope.as_str() {
            "all" if !ticked.is_empty() => {
                errors.push(problem("documents", say(ALL_BUT_TICKED, lang)));
                None
            }
            "all" => None,
            "some" if !ticked.is_empty() => Some(ticked),
            "some" => {
                errors.push(problem("documents", say(CHOOSE_DOCUMENTS, lang)));
                None
            }
            _ => {
                errors.push(problem("scope", say(CHOOSE, lang)));
                None
            }
        };
        (
            ProhibitionInput {
                made_on: self.made_on.clone(),
                accepted: yes_no(&self.accepted),
                reason: self.reason.clone(),
                age_and_maturity: self.age_and_maturity.clone(),
                mature_enough: yes_no(&self.mature_enough),
                weighty_reason: self.weighty_reason.clone(),
                clearly_against_interest: yes_no(&self.clearly_against_interest),
                child_told_on: self.child_told_on.clone(),
                documents,
            },
            errors,
        )
    }
}

/// Where on the form a problem of the API's field shows: the id of the
/// field (of a choice, its first option).
fn element(field: &str) -> &'static str {
    match field {
        "made_on" => "made_on",
        "accepted" => "accepted-yes",
        "reason" => "prohibition_reason",
        "age_and_maturity" => "age_and_maturity",
        "mature_enough" => "mature_enough-yes",
        "weighty_reason" => "weighty_reason",
        "clearly_against_interest" => "against-yes",
        "child_told_on" => "child_told_on",
        "scope" => "scope-all",
        _ => "documents",
    }
}

/// The label of the field with that id, for the error summary.
fn label_key(element: &str) -> &'static str {
    match element {
        "made_on" => "prohibition-made-on",
        "accepted-yes" => "prohibition-decision",
        "prohibition_reason" => "prohibition-reason",
        "age_and_maturity" => "prohibition-age-and-maturity",
        "mature_enough-yes" => "prohibition-mature-enough",
        "weighty_reason" => "prohibition-weighty-reason",
        "against-yes" => "prohibition-against-interest",
        "child_told_on" => "prohibition-child-told-on",
        _ => "prohibition-scope",
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
#[template(path = "documents/prohibition.html")]
pub struct ProhibitionPage {
    pub shell: Shell,
    pub client_id: i64,
    /// Today (ISO): no date of the form is before it.
    pub today: String,
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
    // Every document is a choice here, not a page of them.
    let (_, lines) = documents::timeline(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        None,
        None,
        kirjo_store::Page::ALL,
    )
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
        Some(ctx.tr.t(label_key(field)))
    });
    Ok(ctx.render(
        status,
        &ProhibitionPage {
            shell: ctx.shell(ctx.tr.t("prohibition-title"), Some(actor)),
            client_id: id,
            today: kirjo_domain::calendar::helsinki_today().to_string(),
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
    // The form is for those who may record a prohibition: asked of the
    // gate, so that anyone else's attempt is refused and logged.
    let g = kirjo_store::gate::enter_on_client(
        &state.db,
        &me.caller,
        &state.gate,
        kirjo_access::Action::RecordMinorProhibition,
        id,
        "minor's prohibition: the form",
        None,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    g.finish_read_only()
        .await
        .map_err(|e| ctx.api_error(crate::shared::ApiError::from_store(e), Some(&actor)))?;
    // The dates start at today, the day a prohibition is recorded.
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let form = ProhibitionForm {
        made_on: today.clone(),
        child_told_on: today,
        ..ProhibitionForm::default()
    };
    prohibition_page(&state, &ctx, &me, &actor, id, form, Vec::new()).await
}

#[derive(Debug, Deserialize)]
pub struct EndProhibitionForm {
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "documents/prohibition_end.html")]
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
/// prohibition in force from a day (today or later), with the reason. A
/// form with problems comes back on a page of its own, as typed, each
/// problem at its field.
pub async fn end_prohibition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, pid)): Path<(String, String)>,
    Form(f): Form<EndProhibitionForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let pid = page_id(&ctx, &pid)?;
    let (me, actor) = ctx.user(&state).await?;
    let errors: Vec<(String, String)> = match end(
        &state,
        &me.caller,
        id,
        pid,
        &f.ended_on,
        &f.reason,
        ctx.tr.lang,
    )
    .await
    {
        Ok(true) => return Ok(see_other(&format!("/clients/{id}?saved=1"))),
        Ok(false) => vec![("ended_on".to_owned(), ctx.tr.t("prohibition-end-conflict"))],
        Err(Refusal::Fields(errors)) => errors
            .into_iter()
            .map(|e| {
                let at = if e.field == "reason" {
                    "end_reason"
                } else {
                    "ended_on"
                };
                (at.to_owned(), e.message)
            })
            .collect(),
        Err(other) => return Err(ctx.refused(other, &actor)),
    };
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
    let (input, more) = f.input(ctx.tr.lang);
    match record(&state, &me.caller, id, &input, more, ctx.tr.lang).await {
        Ok(_) => Ok(see_other(&format!("/clients/{id}?saved=1"))),
        Err(Refusal::Fields(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| (element(&e.field).to_owned(), e.message))
                .collect();
            prohibition_page(&state, &ctx, &me, &actor, id, f, errors).await
        }
        Err(other) => Err(ctx.refused(other, &actor)),
    }
}
