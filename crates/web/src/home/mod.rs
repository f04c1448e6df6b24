//! The start page, a worklist: search, the deadlines of the user's clients'
//! notifications, their own drafts to resume, the clients they opened
//! lately, and their roles.

use crate::shared::error::ApiError;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::role_key;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::route::Route;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kirjo_access::Actor;
use kirjo_access::Role;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_domain::contact::Lang;
use kirjo_store::staff;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![Route::new("GET", "/", None, start)]
}

pub struct DeadlineRow {
    pub document_id: i64,
    pub client: String,
    pub received: String,
    pub start_due: String,
    pub decided: Option<String>,
    pub completion_due: String,
    pub late: bool,
}

/// The deadline list of child welfare notifications the user may see.
pub(crate) async fn deadline_rows(
    state: &AppState,
    me: &SignedIn,
    actor: &Actor,
    ctx: &Ctx,
) -> Result<Vec<DeadlineRow>, Response> {
    let list = kirjo_store::documents::notification_deadlines(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    Ok(list
        .into_iter()
        .map(|d| DeadlineRow {
            document_id: d.document_id,
            client: d.client_name,
            received: date(d.received_on),
            start_due: date(d.start_due),
            decided: d.decided_on.map(date),
            completion_due: date(d.completion_due),
            late: d.late,
        })
        .collect())
}

/// A line of the worklist: where it goes, what it is, whose, when.
pub struct WorkLine {
    pub href: String,
    pub label: String,
    pub client: String,
    pub when: String,
}

pub struct RoleLine {
    pub role: String,
    pub unit: String,
    pub area: Option<String>,
}

#[derive(Template)]
#[template(path = "home/start.html")]
pub struct StartPage {
    pub shell: Shell,
    pub name: String,
    /// Child welfare notifications with their deadlines.
    pub deadlines: Vec<DeadlineRow>,
    /// The user's own drafts to resume.
    pub drafts: Vec<WorkLine>,
    /// The clients the user opened lately.
    pub recent: Vec<WorkLine>,
    pub roles: Vec<RoleLine>,
    pub can_search: bool,
    /// The user commitment to accept: version and text.
    pub commitment: Option<(i32, String)>,
}

/// `GET /`: the start page, "my work".
pub async fn start(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let roles = actor
        .roles
        .iter()
        .map(|r| RoleLine {
            role: ctx.tr.t(role_key(r.role)),
            unit: names.of(&r.unit, li),
            area: r.service_area.as_deref().map(|a| names.of(a, li)),
        })
        .collect();
    let commitment = if actor.commitment_accepted {
        None
    } else {
        staff::current_commitment(&state.db)
            .await
            .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?
            .map(|(v, fi, sv, en)| {
                (
                    v,
                    match ctx.tr.lang {
                        Lang::Fi => fi,
                        Lang::Sv => sv,
                        Lang::En => en,
                    },
                )
            })
    };
    let can_search = actor.roles.iter().any(|r| {
        matches!(
            r.role,
            Role::ClientWorker | Role::UnitSupervisor | Role::RegistryClerk | Role::ProviderWorker
        )
    });
    let works = can_search && actor.commitment_accepted;
    let (drafts, recent) = if works {
        let drafts = kirjo_store::worklist::my_drafts(&state.db, &me.caller, &state.gate)
            .await
            .map_err(|e| ctx.gate_error(e, &actor))?;
        let recent = kirjo_store::worklist::recent_clients(&state.db, &me.caller, &state.gate)
            .await
            .map_err(|e| ctx.gate_error(e, &actor))?;
        (
            drafts
                .into_iter()
                .map(|d| WorkLine {
                    href: format!("/documents/{}", d.id),
                    label: d.name,
                    client: d.client_name,
                    when: crate::shared::page::helsinki_time(d.updated_at),
                })
                .collect(),
            recent
                .into_iter()
                .map(|c| WorkLine {
                    href: format!("/clients/{}", c.client_id),
                    label: c.name.clone(),
                    client: c.name,
                    when: crate::shared::page::helsinki_time(c.opened_at),
                })
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ctx.render(
        StatusCode::OK,
        &StartPage {
            shell: ctx.shell(ctx.tr.t("nav-my-work"), Some(&actor)),
            name: actor.name.clone(),
            deadlines: if works {
                deadline_rows(&state, &me, &actor, &ctx).await?
            } else {
                Vec::new()
            },
            drafts,
            recent,
            roles,
            can_search,
            commitment,
        },
    ))
}
