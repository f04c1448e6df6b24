use crate::documents::form::field_error;
use crate::documents::form::summary;
use crate::documents::timeline::TimelineRow;
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
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::Actor;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_store::documents;
use serde::Deserialize;
use std::collections::BTreeMap;

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
#[template(path = "documents/prohibition.html")]
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
#[template(path = "documents/guardian_answer.html")]
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
