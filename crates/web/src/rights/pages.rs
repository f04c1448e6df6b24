use crate::home::deadline_rows;
use crate::home::DeadlineRow;
use crate::shared::i18n::Tr;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::role_key;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::Role;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_store::staff;
use serde::Deserialize;

pub struct ProposalLine {
    pub id: i64,
    pub kind: String,
    pub user_id: i64,
    pub role: String,
    pub unit: String,
    pub valid: String,
    pub reason: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "rights/proposals.html")]
pub struct ProposalsPage {
    pub shell: Shell,
    pub heading: String,
    pub can_decide: bool,
    pub proposals: Vec<ProposalLine>,
    pub notice: Option<String>,
    /// On the supervision page: the unit's samples of accesses.
    pub samples: Option<crate::logs::pages::SamplesSection>,
    /// On the supervision page: child welfare notifications and deadlines.
    pub deadlines: Vec<DeadlineRow>,
}

fn proposal_lines(
    t: &Tr,
    list: Vec<staff::ProposalRow>,
    names: &kirjo_store::register::Names,
) -> Vec<ProposalLine> {
    let li = lang_index(t.lang);
    list.into_iter()
        .map(|p| {
            let status = match p.approved {
                None => t.t("proposal-open"),
                Some(true) => t.t("proposal-approved"),
                Some(false) => t.t("proposal-rejected"),
            };
            let role = Role::ALL
                .iter()
                .find(|r| r.as_str() == p.role)
                .map_or_else(|| p.role.clone(), |r| t.t(role_key(*r)));
            ProposalLine {
                id: p.id,
                kind: t.t(&format!("proposal-kind-{}", p.kind)),
                user_id: p.user_id,
                role,
                unit: match p.service_area {
                    Some(a) => format!("{} / {}", names.of(&p.unit, li), names.of(&a, li)),
                    None => names.of(&p.unit, li),
                },
                valid: match p.valid_until {
                    Some(u) => format!("{}–{}", date(p.valid_from), date(u)),
                    None => format!("{}–", date(p.valid_from)),
                },
                reason: p.reason,
                status,
                open: p.approved.is_none(),
            }
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

async fn proposals_page(
    state: &AppState,
    ctx: &Ctx,
    heading: &str,
    done: Option<String>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let list = staff::proposals(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let (samples, deadlines) = if heading == "nav-supervision" {
        (
            Some(crate::logs::pages::samples_section(state, ctx, &me, &actor).await?),
            deadline_rows(state, &me, &actor, ctx).await?,
        )
    } else {
        (None, Vec::new())
    };
    let can_decide = actor
        .roles
        .iter()
        .any(|r| r.role == Role::MainAdministrator);
    Ok(ctx.render(
        StatusCode::OK,
        &ProposalsPage {
            shell: ctx.shell(ctx.tr.t(heading), Some(&actor)),
            heading: ctx.tr.t(heading),
            can_decide,
            proposals: proposal_lines(&ctx.tr, list, &names(state).await),
            notice: done.map(|_| ctx.tr.t("saved")),
            samples,
            deadlines,
        },
    ))
}

/// `GET /supervision`: the unit supervisor's rights proposals.
pub async fn supervision(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    proposals_page(&state, &ctx, "nav-supervision", q.done).await
}

/// `GET /administration`: proposals for the main administrator to decide.
pub async fn administration(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    proposals_page(&state, &ctx, "nav-administration", q.done).await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    pub decision: String,
    pub reason: String,
}

/// `POST /administration/proposals/{id}`: approve or reject (needs the
/// password given recently).
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    if me.require_recent_auth(&state).is_err() {
        return Ok(see_other("/reauth?back=/administration"));
    }
    if f.reason.trim().is_empty() {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("decision-reason-missing"),
            Some(&actor),
        ));
    }
    staff::decide(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        f.decision == "approve",
        f.reason.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other("/administration?done=1"))
}
