use crate::clients::actions;
use crate::clients::person::AddressBody;
use crate::clients::person::PersonBody;
use crate::shared::error::ApiError;
use crate::shared::fields::FieldError;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use askama::Template;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::Action;
use kirjo_access::Actor;
use kirjo_domain::contact::languages;
use kirjo_domain::contact::municipalities;
use kirjo_domain::contact::Lang;
use kirjo_store::clients;
use kirjo_store::gate::GateError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What the form posts: every field as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub identity_code: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub first_names: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub calling_name: String,
    #[serde(default)]
    pub home_municipality: String,
    #[serde(default)]
    pub mother_tongue: String,
    #[serde(default)]
    pub service_language: String,
    #[serde(default)]
    pub citizenship: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub workplace: String,
    #[serde(default)]
    pub phones: String,
    #[serde(default)]
    pub emails: String,
    #[serde(default)]
    pub address_street: String,
    #[serde(default)]
    pub address_postal_code: String,
    #[serde(default)]
    pub address_post_office: String,
    #[serde(default)]
    pub address_municipality: String,
    /// The person's revision the form was filled in from (a hidden field;
    /// docs/concurrency.md). Empty when adding a person.
    #[serde(default)]
    pub revision: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl PersonForm {
    fn body(&self) -> PersonBody {
        let address = [
            &self.address_street,
            &self.address_postal_code,
            &self.address_post_office,
            &self.address_municipality,
        ]
        .iter()
        .any(|f| !f.trim().is_empty())
        .then(|| AddressBody {
            street: opt(&self.address_street),
            postal_code: opt(&self.address_postal_code),
            post_office: opt(&self.address_post_office),
            municipality: opt(&self.address_municipality),
        });
        PersonBody {
            identity_code: opt(&self.identity_code),
            birth_date: opt(&self.birth_date),
            first_names: opt(&self.first_names),
            surname: opt(&self.surname),
            calling_name: opt(&self.calling_name),
            home_municipality: opt(&self.home_municipality),
            mother_tongue: opt(&self.mother_tongue),
            service_language: opt(&self.service_language),
            citizenship: self
                .citizenship
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            occupation: opt(&self.occupation),
            workplace: opt(&self.workplace),
            phones: lines(&self.phones),
            emails: lines(&self.emails),
            address,
        }
    }
}

/// One field of the form, ready to render.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: &'static str,
    pub label: String,
    /// `text`, `date`, `select` or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub autocomplete: &'static str,
}

#[derive(Template)]
#[template(path = "clients/person_form.html")]
pub struct PersonFormPage {
    pub shell: Shell,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub protected: bool,
    pub errors: Vec<(String, String)>,
    pub groups: Vec<(String, Vec<Field>)>,
    pub revision: String,
    /// Saving met a newer version: (field, what the user typed, what is
    /// stored now) of each field that differs, side by side.
    pub conflict: Option<Vec<(String, String, String)>>,
    /// A person was just added whom the user may not open: say so.
    pub added: bool,
}

/// Field names of the validation (`phones[1]`, `address.street`) as the ids
/// of the form's fields.
fn field_id(name: &str) -> String {
    name.split('[').next().unwrap_or(name).replace('.', "_")
}

fn municipality_options(lang: Lang) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = municipalities()
        .iter()
        .map(|m| {
            let name = if lang == Lang::Sv {
                m.name_sv
            } else {
                m.name_fi
            };
            (m.code.to_owned(), format!("{name} ({})", m.code))
        })
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list.insert(0, (String::new(), "–".to_owned()));
    list
}

fn language_options(lang: Lang) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = languages()
        .iter()
        .map(|l| {
            let name = match lang {
                Lang::Fi => l.name_fi.unwrap_or(l.name_en),
                Lang::Sv => l.name_sv.unwrap_or(l.name_en),
                Lang::En => l.name_en,
            };
            (l.code.to_owned(), format!("{name} ({})", l.code))
        })
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list.insert(0, (String::new(), "–".to_owned()));
    list
}

fn page(
    ctx: &Ctx,
    actor: &Actor,
    creating: Option<()>,
    client_id: Option<i64>,
    protected: bool,
    f: &PersonForm,
    errors: &[FieldError],
) -> PersonFormPage {
    let t = &ctx.tr;
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in errors {
        by_field
            .entry(field_id(&e.field))
            .or_default()
            .push(e.message.clone());
    }
    let field = |id: &'static str,
                 key: &str,
                 kind: &'static str,
                 value: &str,
                 autocomplete: &'static str| Field {
        id,
        label: t.t(key),
        kind,
        value: value.to_owned(),
        options: Vec::new(),
        hint: None,
        error: by_field.get(id).map(|m| m.join(" ")),
        autocomplete,
    };
    let with_options = |mut f: Field, options: Vec<(String, String)>| {
        f.options = options;
        f
    };
    let with_hint = |mut f: Field, key: &str| {
        f.hint = Some(t.t(key));
        f
    };
    let mut identity = Vec::new();
    if creating.is_some() {
        identity.push(with_hint(
            field(
                "identity_code",
                "field-identity-code",
                "text",
                &f.identity_code,
                "off",
            ),
            "form-identity-code-hint",
        ));
        identity.push(with_hint(
            field(
                "birth_date",
                "field-birth-date",
                "date",
                &f.birth_date,
                "off",
            ),
            "form-birth-date-hint",
        ));
    }
    identity.extend([
        field(
            "first_names",
            "field-first-names",
            "text",
            &f.first_names,
            "off",
        ),
        field("surname", "field-surname", "text", &f.surname, "off"),
        field(
            "calling_name",
            "field-calling-name",
            "text",
            &f.calling_name,
            "off",
        ),
    ]);
    let lang = ctx.tr.lang;
    let other = vec![
        with_options(
            field(
                "mother_tongue",
                "field-mother-tongue",
                "select",
                &f.mother_tongue,
                "off",
            ),
            language_options(lang),
        ),
        with_options(
            field(
                "service_language",
                "field-service-language",
                "select",
                &f.service_language,
                "off",
            ),
            language_options(lang),
        ),
        with_hint(
            field(
                "citizenship",
                "field-citizenship",
                "text",
                &f.citizenship,
                "off",
            ),
            "form-citizenship-hint",
        ),
        field(
            "occupation",
            "field-occupation",
            "text",
            &f.occupation,
            "off",
        ),
        field("workplace", "field-workplace", "text", &f.workplace, "off"),
    ];
    let mut groups = vec![
        (t.t("form-group-identity"), identity),
        (t.t("form-group-other"), other),
    ];
    if !protected {
        groups.insert(
            1,
            (
                t.t("client-contact"),
                vec![
                    with_options(
                        field(
                            "home_municipality",
                            "field-home-municipality",
                            "select",
                            &f.home_municipality,
                            "off",
                        ),
                        municipality_options(lang),
                    ),
                    field(
                        "address_street",
                        "form-street",
                        "text",
                        &f.address_street,
                        "off",
                    ),
                    field(
                        "address_postal_code",
                        "form-postal-code",
                        "text",
                        &f.address_postal_code,
                        "off",
                    ),
                    field(
                        "address_post_office",
                        "form-post-office",
                        "text",
                        &f.address_post_office,
                        "off",
                    ),
                    with_options(
                        field(
                            "address_municipality",
                            "form-address-municipality",
                            "select",
                            &f.address_municipality,
                            "off",
                        ),
                        municipality_options(lang),
                    ),
                    with_hint(
                        field("phones", "field-phone", "textarea", &f.phones, "off"),
                        "form-one-per-line",
                    ),
                    with_hint(
                        field("emails", "field-email", "textarea", &f.emails, "off"),
                        "form-one-per-line",
                    ),
                ],
            ),
        );
    }
    let (heading, action, cancel) = match client_id {
        Some(id) => (
            t.t("form-edit-title"),
            format!("/clients/{id}/edit"),
            format!("/clients/{id}"),
        ),
        None => (
            t.t("form-new-title"),
            "/clients/new".to_owned(),
            "/search".to_owned(),
        ),
    };
    let errors = by_field
        .iter()
        .map(|(id, m)| (id.clone(), m.join(" ")))
        .collect();
    PersonFormPage {
        shell: ctx.shell(heading.clone(), Some(actor)),
        heading,
        action,
        cancel,
        protected,
        errors,
        groups,
        revision: f.revision.clone(),
        conflict: None,
        added: false,
    }
}

/// Each field where what the user typed differs from what is stored now:
/// (label, typed, stored), labelled as the form labels it.
fn conflict_rows(page: &PersonFormPage, stored: &PersonForm) -> Vec<(String, String, String)> {
    let value = |f: &PersonForm, id: &str| -> String {
        match id {
            "first_names" => &f.first_names,
            "surname" => &f.surname,
            "calling_name" => &f.calling_name,
            "home_municipality" => &f.home_municipality,
            "mother_tongue" => &f.mother_tongue,
            "service_language" => &f.service_language,
            "citizenship" => &f.citizenship,
            "occupation" => &f.occupation,
            "workplace" => &f.workplace,
            "phones" => &f.phones,
            "emails" => &f.emails,
            "address_street" => &f.address_street,
            "address_postal_code" => &f.address_postal_code,
            "address_post_office" => &f.address_post_office,
            "address_municipality" => &f.address_municipality,
            _ => "",
        }
        .trim()
        .to_owned()
    };
    let mut rows = Vec::new();
    for field in page.groups.iter().flat_map(|(_, fields)| fields) {
        let shown = |v: String| {
            field
                .options
                .iter()
                .find(|(value, _)| *value == v)
                .map(|(_, label)| label.clone())
                .unwrap_or(v)
        };
        let typed = shown(field.value.trim().to_owned());
        let now = shown(value(stored, field.id));
        if typed != now {
            rows.push((field.label.clone(), typed, now));
        }
    }
    rows
}

/// `GET /clients/new`: the form for adding a person.
pub async fn new_get(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, actor) = ctx.user(&state).await?;
    let f = PersonForm {
        mother_tongue: "fi".to_owned(),
        service_language: "fi".to_owned(),
        citizenship: "FI".to_owned(),
        ..PersonForm::default()
    };
    let mut p = page(&ctx, &actor, Some(()), None, false, &f, &[]);
    p.added = ctx.here.contains("added=1");
    Ok(ctx.render(StatusCode::OK, &p))
}

/// `POST /clients/new`: add the person (Action::CreatePerson).
pub async fn new_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    match actions::create_person(&state, &me.caller, &f.body(), ctx.tr.lang).await {
        // To the new person's card if the user may open it; otherwise (a
        // registry clerk adds people whom units then take as clients) to
        // a new form that says the person was saved: never to a denial.
        Ok(id) => {
            let open = clients::may_open(&state.db, me.caller.user_id, id)
                .await
                .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
            Ok(see_other(&if open {
                format!("/clients/{id}?saved=1")
            } else {
                "/clients/new?added=1".to_owned()
            }))
        }
        Err(Refusal::Fields(errors)) => {
            let p = page(&ctx, &actor, Some(()), None, false, &f, &errors);
            Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(Refusal::Conflict(errors)) => {
            let p = page(&ctx, &actor, Some(()), None, false, &f, &errors);
            Ok(ctx.render(StatusCode::CONFLICT, &p))
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

/// `GET /clients/{id}/edit`: the basic data form, filled in. Under
/// turvakielto the contact data are neither shown nor changed here.
pub async fn edit_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let (f, protected) = stored_form(&state, &ctx, &me, &actor, id).await?;
    Ok(ctx.render(
        StatusCode::OK,
        &page(&ctx, &actor, None, Some(id), protected, &f, &[]),
    ))
}

/// The person's basic data as the form shows them, with the revision, and
/// whether the person is protected (read as `ViewBasicData`, logged).
async fn stored_form(
    state: &AppState,
    ctx: &Ctx,
    me: &crate::shared::SignedIn,
    actor: &Actor,
    id: i64,
) -> Result<(PersonForm, bool), axum::response::Response> {
    let mut g = kirjo_store::gate::enter_on_client(
        &state.db,
        &me.caller,
        &state.gate,
        Action::ViewBasicData,
        id,
        "basic_data (for editing)",
        None,
    )
    .await
    .map_err(|e| ctx.gate_error(e, actor))?;
    // The form is offered only to whom its saving is allowed: a user who
    // may see the basic data but not edit them is refused here (and the
    // attempt logged), before typing anything that could not be saved.
    if !g.access.would_allow(Action::EditBasicData) {
        let e = g
            .deny("denied: the basic data may be seen but not edited by this user")
            .await;
        return Err(ctx.gate_error(e, actor));
    }
    let pending = clients::basic_data(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(actor)))?;
    let Some((p, _)) = g
        .finish(pending)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(actor)))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-no-client"),
            Some(actor),
        ));
    };
    let contact = p.contact.clone().unwrap_or_else(|| clients::ContactData {
        home_municipality: None,
        addresses: Vec::new(),
        phones: Vec::new(),
        emails: Vec::new(),
    });
    // The permanent address in force today (a move the population
    // register has told of in advance is not today's).
    let today = kirjo_domain::calendar::helsinki_today();
    let address = contact.addresses.iter().find(|a| {
        a.kind == "permanent"
            && a.valid_from.is_none_or(|f| f <= today)
            && a.valid_until.is_none_or(|u| today <= u)
    });
    let f = PersonForm {
        first_names: p.first_names.clone(),
        surname: p.surname.clone(),
        calling_name: p.calling_name.clone().unwrap_or_default(),
        home_municipality: contact.home_municipality.clone().unwrap_or_default(),
        mother_tongue: p.mother_tongue.clone().unwrap_or_default(),
        service_language: p.service_language.clone().unwrap_or_default(),
        citizenship: p.citizenship.join(", "),
        occupation: p.occupation.clone().unwrap_or_default(),
        workplace: p.workplace.clone().unwrap_or_default(),
        phones: contact.phones.join("\n"),
        emails: contact.emails.join("\n"),
        address_street: address.map(|a| a.street.clone()).unwrap_or_default(),
        address_postal_code: address
            .and_then(|a| a.postal_code.clone())
            .unwrap_or_default(),
        address_post_office: address
            .and_then(|a| a.post_office.clone())
            .unwrap_or_default(),
        address_municipality: address
            .and_then(|a| a.municipality.clone())
            .unwrap_or_default(),
        revision: p.revision.to_string(),
        ..PersonForm::default()
    };
    Ok((f, p.protected))
}

/// `POST /clients/{id}/edit`: save basic data (Action::EditBasicData).
pub async fn edit_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let mut g = kirjo_store::gate::enter_on_client(
        &state.db,
        &me.caller,
        &state.gate,
        Action::EditBasicData,
        id,
        "basic_data",
        None,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    // Whether the person is protected decides which fields the form had.
    let protected = clients::is_protected(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let mut body = f.body();
    if protected {
        body.home_municipality = None;
        body.phones.clear();
        body.emails.clear();
        body.address = None;
    }
    let mut input = match crate::clients::person::validate(&body, ctx.tr.lang, false) {
        Ok(i) => i,
        Err(errors) => {
            // Nothing is written, but the form shown again tells whether the
            // person is protected: that use stays in the log.
            g.finish_read_only()
                .await
                .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
            let p = page(&ctx, &actor, None, Some(id), protected, &f, &errors);
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    input.keep_contact_data = protected;
    // A form without a revision (a page from before revisions) is a
    // conflict, never an overwrite.
    let revision = crate::shared::revision::parse(&f.revision).unwrap_or(0);
    match clients::update_basic(g, &input, revision).await {
        Ok(_) => Ok(see_other(&format!("/clients/{id}?saved=1"))),
        Err(GateError::Conflict { .. }) => {
            // Another save came first: the form again with what was typed,
            // the revision now stored, and both versions side by side.
            let (stored, protected) = stored_form(&state, &ctx, &me, &actor, id).await?;
            let typed = PersonForm {
                revision: stored.revision.clone(),
                ..f
            };
            let mut p = page(&ctx, &actor, None, Some(id), protected, &typed, &[]);
            p.conflict = Some(conflict_rows(&p, &stored));
            Ok(ctx.render(StatusCode::CONFLICT, &p))
        }
        Err(e) => Err(ctx.gate_error(e, &actor)),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /clients/{id}/reveal`: show a protected person's contact data,
/// with a reason that the use log keeps (needs the password given
/// recently).
pub async fn reveal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<RevealForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    if me.require_recent_auth(&state).is_err() {
        return Ok(see_other(&format!("/reauth?back=/clients/{id}")));
    }
    let reason = f.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("reveal-reason-missing"),
            Some(&actor),
        ));
    }
    let contact = actions::reveal_protected_contact(&state, &me.caller, id, &reason)
        .await
        .map_err(|r| ctx.refused(r, &actor))?;
    crate::clients::card::client_card_revealed(&state, &ctx, id, contact, &reason).await
}
