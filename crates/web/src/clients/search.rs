use crate::clients::actions::{self, SearchInput, SearchRefusal};
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::Actor;
use kirjo_access::Role;
use kirjo_access::StatedPurpose;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_domain::contact::Lang;
use kirjo_store::clients;
use serde::Deserialize;

pub struct Hit {
    pub id: i64,
    pub name: String,
    pub birth_date: String,
}

#[derive(Template)]
#[template(path = "clients/search.html")]
pub struct SearchPage {
    pub shell: Shell,
    /// The purposes the user may state to search outside their own
    /// relationships; empty when they may not.
    pub purposes: Vec<PurposeChoice>,
    /// The purpose stated for these results: opening one carries it.
    pub purpose: Option<(String, String)>,
    pub name: String,
    pub identity_code: String,
    pub birth_date: String,
    pub searched: bool,
    pub error: Option<String>,
    pub hits: Vec<Hit>,
}

pub struct PurposeChoice {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    pub name: Option<String>,
    pub identity_code: Option<String>,
    pub birth_date: Option<String>,
}

/// `GET /search`: find a client by name, identity code or birth date.
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    search_page(&state, &ctx, q, None).await
}

#[derive(Debug, Deserialize)]
pub struct PurposeSearchForm {
    pub name: Option<String>,
    pub identity_code: Option<String>,
    pub birth_date: Option<String>,
    /// Set by the form for searching outside one's own relationships.
    pub outside: Option<String>,
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

/// `POST /search`: the search form (a POST, so that identity codes, names
/// and the user's words stay out of addresses and browser history), also
/// outside one's own relationships with a stated purpose.
pub async fn purpose_search(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PurposeSearchForm>,
) -> PageResult {
    let purpose = f.outside.is_some().then(|| StatedPurpose {
        purpose_id: f.purpose.unwrap_or_default(),
        text: f.purpose_text.unwrap_or_default().trim().to_owned(),
    });
    let q = SearchQuery {
        name: f.name,
        identity_code: f.identity_code,
        birth_date: f.birth_date,
    };
    search_page(&state, &ctx, q, purpose).await
}

async fn search_page(
    state: &AppState,
    ctx: &Ctx,
    q: SearchQuery,
    purpose: Option<StatedPurpose>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).unwrap_or("").to_owned();
    let (name, code, birth) = (
        clean(&q.name),
        clean(&q.identity_code),
        clean(&q.birth_date),
    );
    let mut page = SearchPage {
        shell: ctx.shell(ctx.tr.t("nav-search"), Some(&actor)),
        name: name.clone(),
        identity_code: code.clone(),
        birth_date: birth.clone(),
        searched: false,
        error: None,
        hits: Vec::new(),
        purposes: if may_state_purpose(state, &actor) {
            purpose_choices(state, ctx)
        } else {
            Vec::new()
        },
        purpose: purpose
            .as_ref()
            .map(|p| (p.purpose_id.clone(), p.text.clone())),
    };
    if q.name.is_none() && q.identity_code.is_none() && q.birth_date.is_none() {
        return Ok(ctx.render(StatusCode::OK, &page));
    }
    if purpose
        .as_ref()
        .is_some_and(|p| p.purpose_id.is_empty() || p.text.is_empty())
    {
        page.error = Some(ctx.tr.t("purpose-missing"));
        return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let birth_date = if birth.is_empty() {
        None
    } else {
        match kirjo_domain::edge::iso_date(&birth).or_else(|| {
            chrono::NaiveDate::parse_from_str(&birth, "%d.%m.%Y")
                .ok()
                .and_then(|d| kirjo_domain::edge::iso_date(&d.to_string()))
        }) {
            Some(d) => Some(d),
            None => {
                page.error = Some(ctx.tr.t("search-bad-date"));
                return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
        }
    };
    let input = SearchInput {
        name: Some(name),
        identity_code: Some(code),
        birth_date,
        limit: 50,
        offset: 0,
        purpose,
    };
    let hits = match actions::search(state, &me.caller, input).await {
        Ok(hits) => hits,
        Err(SearchRefusal::Empty) => {
            page.error = Some(ctx.tr.t("search-empty"));
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(SearchRefusal::BadCode(e)) => {
            page.error = Some(ctx.tr.t1("search-bad-code", "reason", e));
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(SearchRefusal::Gate(e)) => return Err(ctx.gate_error(e, &actor)),
    };
    page.searched = true;
    page.hits = hits
        .into_iter()
        .map(|h| Hit {
            id: h.id,
            name: format!("{}, {}", h.surname, h.first_names),
            birth_date: h.birth_date.format("%-d.%-m.%Y").to_string(),
        })
        .collect();
    Ok(ctx.render(StatusCode::OK, &page))
}

pub struct MyClientLine {
    pub id: i64,
    pub name: String,
    pub birth_date: String,
    pub area: String,
    pub unit: String,
    pub since: String,
    pub responsible: bool,
}

#[derive(Template)]
#[template(path = "clients/my_clients.html")]
pub struct MyClientsPage {
    pub shell: Shell,
    pub clients: Vec<MyClientLine>,
}

/// `GET /clients`: the clients of the user's own relationships.
pub async fn my_clients(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let list = clients::my_clients(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let clients = list
        .into_iter()
        .map(|c| MyClientLine {
            id: c.id,
            name: format!("{}, {}", c.surname, c.first_names),
            birth_date: date(c.birth_date),
            area: names.of(&c.service_area, li),
            unit: names.of(&c.unit, li),
            since: date(c.started_on),
            responsible: c.responsible,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &MyClientsPage {
            shell: ctx.shell(ctx.tr.t("nav-clients"), Some(&actor)),
            clients,
        },
    ))
}

/// The configured purposes, named in the page's language.
pub(crate) fn purpose_choices(state: &AppState, ctx: &Ctx) -> Vec<PurposeChoice> {
    state
        .ui
        .purposes
        .iter()
        .map(|p| PurposeChoice {
            id: p.id.clone(),
            name: match ctx.tr.lang {
                Lang::Fi => p.name_fi.clone(),
                Lang::Sv => p.name_sv.clone(),
                Lang::En => p.name_en.clone(),
            },
        })
        .collect()
}

/// Whether a purpose could open a client for this user: a client-work role
/// in a service area that allows access outside one's relationships.
pub(crate) fn may_state_purpose(state: &AppState, actor: &Actor) -> bool {
    !state.ui.purposes.is_empty()
        && actor.roles.iter().any(|r| {
            r.role == Role::ClientWorker
                && r.service_area
                    .as_ref()
                    .is_some_and(|a| state.gate.outside_access_areas.contains(a))
        })
}
