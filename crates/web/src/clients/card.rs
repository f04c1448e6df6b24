use crate::clients::actions;
use crate::clients::search::may_state_purpose;
use crate::clients::search::purpose_choices;
use crate::clients::search::PurposeChoice;
use crate::shared::error::ApiError;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::page_id;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
use kirjo_access::StatedPurpose;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_store::clients;
use kirjo_store::gate::GateError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "clients/purpose.html")]
pub struct PurposePage {
    pub shell: Shell,
    pub client_id: i64,
    pub explanation: String,
    pub purposes: Vec<PurposeChoice>,
    pub error: Option<String>,
}

pub struct FieldLine {
    pub label: String,
    pub value: String,
}

pub struct RelationLine {
    pub kind: String,
    /// None: a person the user may not see (nothing of theirs is shown).
    pub name: Option<String>,
    pub person_id: i64,
    /// The user may open the person's card: their name is a link only then.
    pub openable: bool,
    /// Scope of a mandate, right of access, validity and source.
    pub details: String,
    /// A guardian of a minor: their request can be answered here.
    pub guardian: bool,
}

pub struct ProhibitionLine {
    pub id: i64,
    /// In force today: it may be ended.
    pub in_force: bool,
    /// The documents it covers, or None for all.
    pub documents: Option<String>,
    pub end_reason: Option<String>,
    pub made_on: String,
    pub accepted: bool,
    pub reason: String,
    pub recorded_by: String,
    /// The assessment it was recorded with, in words (shown to those who
    /// may record one); None before assessments were kept.
    pub assessment: Option<String>,
    pub ended: Option<String>,
}

pub struct RelationshipLine {
    pub area: String,
    pub unit: String,
    pub started: String,
    pub ended: Option<String>,
    pub worker: String,
    /// What it was opened on, in words (with a backdated start's reason).
    pub basis: String,
}

#[derive(Template)]
#[template(path = "clients/client.html")]
pub struct ClientPage {
    pub shell: Shell,
    pub band: crate::clients::band::BandView,
    /// What the card links to: only what the gate would let the user do.
    pub may_view_documents: bool,
    pub may_view_matters: bool,
    pub may_edit: bool,
    /// The user may reveal protected contact data (with a reason).
    pub may_reveal: bool,
    pub name: String,
    pub protected: bool,
    /// Protected contact data shown for this reason (logged).
    pub revealed_for: Option<String>,
    pub client_id: i64,
    /// Just saved: say so.
    pub saved: bool,
    /// Under 18: the minor's prohibitions on disclosure to a guardian.
    pub minor: bool,
    pub prohibitions: Vec<ProhibitionLine>,
    /// The user may record and end the minor's prohibitions: a social
    /// worker of the controller who serves the child.
    pub may_record_prohibition: bool,
    pub deceased: Option<String>,
    pub fields: Vec<FieldLine>,
    pub contacts: Vec<FieldLine>,
    pub relations: Vec<RelationLine>,
    pub relationships: Vec<RelationshipLine>,
    pub access: String,
}

#[derive(Debug, Deserialize)]
pub struct PurposeForm {
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

fn purpose_page(
    ctx: &Ctx,
    state: &AppState,
    actor: &Actor,
    client_id: i64,
    explanation: String,
    error: Option<String>,
) -> Response {
    let purposes = purpose_choices(state, ctx);
    ctx.render(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::FORBIDDEN
        },
        &PurposePage {
            shell: ctx.shell(ctx.tr.t("purpose-title"), Some(actor)),
            client_id,
            explanation,
            purposes,
            error,
        },
    )
}

/// The client card with protected contact data revealed, for a reason
/// already in the use log.
pub(crate) async fn client_card_revealed(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    contact: Option<clients::ContactData>,
    reason: &str,
) -> PageResult {
    client_card(state, ctx, id, None, Some((contact, reason))).await
}

async fn client_card(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    purpose: Option<StatedPurpose>,
    revealed: Option<(Option<clients::ContactData>, &str)>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let entered = actions::enter_basic_data(state, &me.caller, id, purpose.as_ref()).await;
    let mut g = match entered {
        Ok(g) => g,
        // Outside one's relationships, where the service area allows it, a
        // purpose opens the client: ask for it.
        Err(GateError::Denied { explanation })
            if purpose.is_none() && may_state_purpose(state, &actor) =>
        {
            return Ok(purpose_page(ctx, state, &actor, id, explanation, None));
        }
        Err(GateError::Denied { explanation }) if purpose.is_some() => {
            let refused = ctx.tr.t("purpose-refused");
            return Ok(purpose_page(
                ctx,
                state,
                &actor,
                id,
                explanation,
                Some(refused),
            ));
        }
        Err(e) => return Err(ctx.gate_error(e, &actor)),
    };
    let access = g.access.decision().explanation.clone();
    let may_record_prohibition = g
        .access
        .would_allow(kirjo_access::Action::RecordMinorProhibition);
    let may_view_documents = g.access.would_allow(kirjo_access::Action::ViewDocument);
    let may_edit = g.access.would_allow(kirjo_access::Action::EditBasicData);
    let may_reveal = g
        .access
        .would_allow_with_reason(kirjo_access::Action::RevealProtectedAddress);
    let may_disclose = g.access.would_allow(kirjo_access::Action::Disclose);
    let pending = clients::basic_data(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let prohibitions = kirjo_store::guardians::prohibitions(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let (data, prohibitions) = g
        .finish(kirjo_store::gate::Pending::both(pending, prohibitions))
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let Some((p, rels)) = data else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-no-client"),
            Some(&actor),
        ));
    };
    let t = &ctx.tr;
    let mut fields = vec![
        FieldLine {
            label: t.t("field-identity-code"),
            value: p.identity_code.clone().unwrap_or_else(|| t.t("field-none")),
        },
        FieldLine {
            label: t.t("field-birth-date"),
            value: date(p.birth_date),
        },
    ];
    let lang = t.lang;
    let optional = [
        ("field-calling-name", p.calling_name.clone()),
        (
            "field-mother-tongue",
            p.mother_tongue.as_deref().map(|c| language_name(c, lang)),
        ),
        (
            "field-service-language",
            p.service_language
                .as_deref()
                .map(|c| language_name(c, lang)),
        ),
        ("field-occupation", p.occupation.clone()),
        ("field-workplace", p.workplace.clone()),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            fields.push(FieldLine {
                label: t.t(key),
                value,
            });
        }
    }
    if !p.citizenship.is_empty() {
        fields.push(FieldLine {
            label: t.t("field-citizenship"),
            value: p.citizenship.join(", "),
        });
    }
    let mut contacts = Vec::new();
    let (shown, revealed_for) = match &revealed {
        Some((c, reason)) => (c.as_ref(), Some((*reason).to_owned())),
        None => (p.contact.as_ref(), None),
    };
    if let Some(c) = shown {
        if let Some(m) = &c.home_municipality {
            contacts.push(FieldLine {
                label: t.t("field-home-municipality"),
                value: municipality_name(m, t.lang),
            });
        }
        for a in &c.addresses {
            let place = [a.postal_code.clone(), a.post_office.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            contacts.push(FieldLine {
                label: t.t(&format!("address-{}", a.kind)),
                value: format!("{}, {place}", a.street),
            });
        }
        for phone in &c.phones {
            contacts.push(FieldLine {
                label: t.t("field-phone"),
                value: phone.clone(),
            });
        }
        for email in &c.emails {
            contacts.push(FieldLine {
                label: t.t("field-email"),
                value: email.clone(),
            });
        }
    }
    let today = kirjo_domain::calendar::helsinki_today();
    let minor = p.birth_date
        > today
            .checked_sub_months(chrono::Months::new(18 * 12))
            .unwrap_or_default();
    let prohibition_lines = prohibitions
        .iter()
        .map(|m| ProhibitionLine {
            id: m.id,
            in_force: m.in_force(today),
            documents: m
                .documents
                .as_ref()
                .map(|d| d.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
            end_reason: m.end_reason.clone(),
            made_on: date(m.made_on),
            accepted: m.accepted,
            reason: m.reason.clone(),
            recorded_by: m.recorded_by.clone(),
            assessment: m.assessment.as_ref().map(|a| {
                let yes_no = |b: bool| {
                    ctx.tr.t(if b {
                        "prohibition-yes"
                    } else {
                        "prohibition-no"
                    })
                };
                format!(
                    "{}: {} ({}). {} {}. {}: {}. {} {}. {}: {}.",
                    ctx.tr.t("prohibition-age-and-maturity"),
                    a.age_and_maturity,
                    ctx.tr.t1("prohibition-age", "age", a.child_age),
                    ctx.tr.t("prohibition-mature-enough"),
                    yes_no(a.mature_enough),
                    ctx.tr.t("prohibition-weighty-reason"),
                    a.weighty_reason,
                    ctx.tr.t("prohibition-against-interest"),
                    yes_no(a.clearly_against_interest),
                    ctx.tr.t("prohibition-child-told-on"),
                    date(a.child_told_on),
                )
            }),
            ended: m.ended_on.map(date),
        })
        .collect();
    let relations = p
        .relations
        .iter()
        .map(|r| {
            let mut details = Vec::new();
            if let Some(scope) = &r.scope {
                details.push(t.t1("relation-scope", "scope", scope));
            }
            match r.right_of_access {
                Some(true) => details.push(t.t("relation-access-yes")),
                Some(false) => details.push(t.t("relation-access-no")),
                None => {}
            }
            match (r.valid_from, r.valid_until) {
                (Some(f), Some(u)) => details.push(format!("{}–{}", date(f), date(u))),
                (Some(f), None) => details.push(t.t1("relation-since", "date", date(f))),
                (None, Some(u)) => details.push(t.t1("relation-until", "date", date(u))),
                (None, None) => {}
            }
            details.push(t.t(&format!("source-{}", r.source)));
            RelationLine {
                kind: t.t(&format!("relation-{}", r.kind)),
                name: r.name.clone(),
                // Only a person shown by name has an id to link to.
                person_id: r.person_id.unwrap_or_default(),
                openable: r.openable,
                details: details.join(", "),
                guardian: r.kind == "guardian" && minor && r.name.is_some() && may_disclose,
            }
        })
        .collect();
    let names = names(state).await;
    let li = lang_index(ctx.tr.lang);
    let purposes = purpose_choices(state, ctx);
    let relationships = rels
        .iter()
        .map(|r| RelationshipLine {
            area: names.of(&r.service_area, li),
            unit: names.of(&r.unit, li),
            started: date(r.started_on),
            ended: r.ended_on.map(date),
            worker: r.responsible_worker.clone(),
            basis: basis_in_words(t, &r.basis, &purposes),
        })
        .collect();
    let mut band = crate::clients::band::BandView::of(
        &clients::Band {
            id,
            first_names: p.first_names.clone(),
            surname: p.surname.clone(),
            identity_code: p.identity_code.clone(),
            birth_date: p.birth_date,
            died_on: p.died_on,
            protected: p.protected,
            workers: {
                let mut w: Vec<String> = rels
                    .iter()
                    .filter(|r| r.started_on <= today && r.ended_on.is_none_or(|e| today <= e))
                    .map(|r| r.responsible_worker.clone())
                    .collect();
                w.sort();
                w.dedup();
                w
            },
        },
        &ctx.tr,
    );
    band.link = false;
    Ok(ctx.render(
        StatusCode::OK,
        &ClientPage {
            shell: ctx.shell(format!("{} {}", p.first_names, p.surname), Some(&actor)),
            band,
            may_view_documents,
            may_view_matters: may_view_documents,
            may_edit,
            may_reveal,
            name: format!("{} {}", p.first_names, p.surname),
            protected: p.protected,
            revealed_for,
            client_id: id,
            saved: ctx.here.contains("saved=1"),
            minor,
            prohibitions: prohibition_lines,
            may_record_prohibition,
            deceased: p.died_on.map(date),
            fields,
            contacts,
            relations,
            relationships,
            access,
        },
    ))
}

/// A municipality's name in the page's language (Finnish on English
/// pages, as the shipped list has no English names), from its code; an
/// unknown code as it is.
pub(crate) fn municipality_name(code: &str, lang: kirjo_domain::contact::Lang) -> String {
    kirjo_domain::contact::municipalities()
        .iter()
        .find(|m| m.code == code)
        .map_or_else(
            || code.to_owned(),
            |m| {
                if lang == kirjo_domain::contact::Lang::Sv {
                    m.name_sv.to_owned()
                } else {
                    m.name_fi.to_owned()
                }
            },
        )
}

/// A language's name in the page's language, from its code (ISO 639); an
/// unknown code as it is.
pub(crate) fn language_name(code: &str, lang: kirjo_domain::contact::Lang) -> String {
    use kirjo_domain::contact::Lang;
    kirjo_domain::contact::languages()
        .iter()
        .find(|l| l.code == code)
        .map_or_else(
            || code.to_owned(),
            |l| {
                match lang {
                    Lang::Fi => l.name_fi.unwrap_or(l.name_en),
                    Lang::Sv => l.name_sv.unwrap_or(l.name_en),
                    Lang::En => l.name_en,
                }
                .to_owned()
            },
        )
}

/// A relationship's basis as the card shows it.
fn basis_in_words(
    t: &crate::shared::i18n::Tr,
    b: &clients::RelationshipBasis,
    purposes: &[PurposeChoice],
) -> String {
    let mut words = match b.kind.as_str() {
        "document" => t.t1(
            "basis-document",
            "id",
            b.document_id.map(|d| d.to_string()).unwrap_or_default(),
        ),
        "assignment" => t.t1(
            "basis-assignment",
            "name",
            b.assigned_by.clone().unwrap_or_default(),
        ),
        "purpose" => {
            let id = b.purpose.as_deref().unwrap_or_default();
            let purpose = purposes
                .iter()
                .find(|p| p.id == id)
                .map_or(id, |p| p.name.as_str());
            format!(
                "{}: {}",
                t.t1("basis-purpose", "purpose", purpose),
                b.purpose_text.clone().unwrap_or_default()
            )
        }
        _ => t.t("basis-legacy"),
    };
    if let Some(r) = &b.backdating_reason {
        words.push_str(". ");
        words.push_str(&t.t1("basis-backdated", "reason", r));
    }
    words
}

/// `GET /clients/{id}`: the client card (basic data, family, relationships).
pub async fn client(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = page_id(&ctx, &id)?;
    client_card(&state, &ctx, id, None, None).await
}

/// `POST /clients/{id}`: open the client with a stated purpose.
pub async fn client_with_purpose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PurposeForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let purpose_id = f.purpose.unwrap_or_default();
    let text = f.purpose_text.unwrap_or_default().trim().to_owned();
    if purpose_id.is_empty() || text.is_empty() {
        let (_, actor) = ctx.user(&state).await?;
        return Ok(purpose_page(
            &ctx,
            &state,
            &actor,
            id,
            String::new(),
            Some(ctx.tr.t("purpose-missing")),
        ));
    }
    client_card(
        &state,
        &ctx,
        id,
        Some(StatedPurpose { purpose_id, text }),
        None,
    )
    .await
}
