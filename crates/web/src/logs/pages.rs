use crate::shared::error::ApiError;
use crate::shared::page::helsinki_time;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::pager;
use crate::shared::pager::Pager;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use chrono::DateTime;
use chrono::Duration;
use chrono::NaiveDate;
use chrono::Utc;
use kirjo_access::Role;
use kirjo_store::clients;
use kirjo_store::extract;
use kirjo_store::extract::UseRecord;
use kirjo_store::monitoring;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// The page of rows, from 1 (typed in the address, so checked here).
    pub page: Option<String>,
}

/// Rows on one page of a log.
pub const PAGE_ROWS: i64 = 200;

/// A page of a log, the links keeping the period.
fn log_pager(
    action: &str,
    from: NaiveDate,
    to: NaiveDate,
    page: i64,
    total: i64,
    shown: usize,
) -> Pager {
    Pager::new(
        |p| format!("{action}?from={from}&to={to}&page={p}"),
        page,
        PAGE_ROWS,
        total,
        shown,
    )
}

/// The period and the page a log page asks for, or the page that says
/// which of them is wrong.
#[allow(clippy::type_complexity)]
fn period_and_page(
    ctx: &Ctx,
    actor: &kirjo_access::Actor,
    q: &PeriodQuery,
) -> Result<
    (
        NaiveDate,
        NaiveDate,
        DateTime<Utc>,
        DateTime<Utc>,
        i64,
        kirjo_store::Page,
    ),
    axum::response::Response,
> {
    let refuse =
        |key: &str| ctx.error(StatusCode::UNPROCESSABLE_ENTITY, ctx.tr.t(key), Some(actor));
    let (from, to, start, end) = period(q).map_err(|()| refuse("log-bad-period"))?;
    let (page, rows) =
        pager::asked(q.page.as_deref(), PAGE_ROWS).ok_or_else(|| refuse("pager-bad-page"))?;
    Ok((from, to, start, end, page, rows))
}

/// A period from dates typed in a form (Finnish days, the whole of the `to`
/// day), by
/// default the last two years as 703/2023 §11 gives.
fn period(q: &PeriodQuery) -> Result<(NaiveDate, NaiveDate, DateTime<Utc>, DateTime<Utc>), ()> {
    let today = kirjo_domain::calendar::helsinki_today();
    let parse = |s: &Option<String>| -> Result<Option<NaiveDate>, ()> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => kirjo_domain::edge::iso_date(s).map(Some).ok_or(()),
        }
    };
    let to = parse(&q.to)?.unwrap_or(today);
    let from = parse(&q.from)?.unwrap_or(to - Duration::days(2 * 365));
    if from > to {
        return Err(());
    }
    // Finnish days: from midnight in Helsinki to the next.
    let start = kirjo_domain::calendar::helsinki_midnight(from);
    let end = kirjo_domain::calendar::helsinki_midnight(to.succ_opt().ok_or(())?);
    Ok((from, to, start, end))
}

/// One line of a log table.
pub struct LogLine {
    pub at: String,
    pub user: String,
    pub action: String,
    pub data: String,
    pub purpose: String,
    pub allowed: bool,
}

fn lines(uses: &[UseRecord]) -> Vec<LogLine> {
    uses.iter()
        .map(|u| LogLine {
            at: helsinki_time(u.logged_at),
            user: u.user_name.clone(),
            action: u.action.clone(),
            data: u.data.clone(),
            purpose: u.purpose.clone().unwrap_or_default(),
            allowed: u.allowed,
        })
        .collect()
}

pub struct DisclosureLine {
    pub at: String,
    pub user: String,
    pub data: String,
    pub recipient: String,
    pub purpose: String,
    pub legal_basis: String,
}

#[derive(Template)]
#[template(path = "logs/log.html")]
pub struct LogPage {
    pub shell: Shell,
    pub heading: String,
    pub intro: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub csv: String,
    pub uses: Vec<LogLine>,
    pub pager: Pager,
    pub disclosures: Option<Vec<DisclosureLine>>,
    pub error: Option<String>,
}

/// `GET /clients/{id}/log`: the client's log extract (Action::ViewLogExtract).
pub async fn client_log(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    // An extract is an export of the log: the password again first.
    if me.require_recent_auth(&state).is_err() {
        return Ok(see_other(&format!(
            "/reauth?back={}",
            crate::shared::page::percent_encode_path(&ctx.here)
        )));
    }
    let (from, to, start, end, page, rows) = period_and_page(&ctx, &actor, &q)?;
    let x = crate::logs::extract::client_extract(&state, &me.caller, id, start, end, rows)
        .await
        .map_err(|r| ctx.refused(r, &actor))?;
    let heading = ctx.tr.t1("log-client-title", "id", id);
    let disclosures = x
        .disclosures
        .iter()
        .map(|d| DisclosureLine {
            at: helsinki_time(d.disclosed_at),
            user: d.user_name.clone(),
            data: d.data.clone(),
            recipient: d.recipient.clone(),
            purpose: d.purpose.clone(),
            legal_basis: d.legal_basis.clone(),
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &LogPage {
            shell: ctx.shell(heading.clone(), Some(&actor)),
            heading,
            intro: ctx.tr.t("log-client-intro"),
            action: format!("/clients/{id}/log"),
            from: from.to_string(),
            to: to.to_string(),
            csv: format!(
                "/api/clients/{id}/log?format=csv&from={}&to={}",
                start.format("%Y-%m-%dT%H:%M:%SZ"),
                end.format("%Y-%m-%dT%H:%M:%SZ")
            ),
            pager: log_pager(
                &format!("/clients/{id}/log"),
                from,
                to,
                page,
                x.total_uses,
                x.uses.len(),
            ),
            uses: lines(&x.uses),
            disclosures: Some(disclosures),
            error: None,
        },
    ))
}

/// `GET /account/trail`: the user's own trail.
pub async fn own_trail(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let (from, to, start, end, page, rows) = period_and_page(&ctx, &actor, &q)?;
    let (total, uses) = extract::own_trail_page(&state.db, me.caller.user_id, start, end, rows)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let heading = ctx.tr.t("trail-title");
    Ok(ctx.render(
        StatusCode::OK,
        &LogPage {
            shell: ctx.shell(heading.clone(), Some(&actor)),
            heading,
            intro: ctx.tr.t("trail-intro"),
            action: "/account/trail".to_owned(),
            from: from.to_string(),
            to: to.to_string(),
            csv: format!(
                "/api/me/trail?format=csv&from={}&to={}",
                start.format("%Y-%m-%dT%H:%M:%SZ"),
                end.format("%Y-%m-%dT%H:%M:%SZ")
            ),
            pager: log_pager("/account/trail", from, to, page, total, uses.len()),
            uses: lines(&uses),
            disclosures: None,
            error: None,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ExtractForm {
    pub identity_code: String,
}

/// `POST /data-protection/extract`: the data protection officer finds the
/// data subject by identity code (a POST, so that the code stays out of
/// addresses and browser history) and goes to their extract.
pub async fn find_for_extract(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ExtractForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let code = match kirjo_domain::hetu::PersonalIdentityCode::parse(
        &f.identity_code.trim().to_uppercase(),
    ) {
        Ok(c) => c,
        Err(e) => {
            return Err(ctx.error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.tr.t1("search-bad-code", "reason", e),
                Some(&actor),
            ))
        }
    };
    match clients::id_for_log_extract(&state.db, &me.caller, &state.gate, code.as_str())
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?
    {
        Some(id) => Ok(see_other(&format!("/clients/{id}/log"))),
        None => Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-no-client"),
            Some(&actor),
        )),
    }
}

/// One sample in the list.
pub struct SampleLine {
    pub id: i64,
    pub unit: String,
    pub period: String,
    pub progress: String,
}

/// What the supervision page shows of samples.
pub struct SamplesSection {
    pub lines: Vec<SampleLine>,
    /// Unit ids and names.
    pub units: Vec<(String, String)>,
    pub from: String,
    pub to: String,
}

/// The samples part of the supervision page.
pub async fn samples_section(
    state: &AppState,
    ctx: &Ctx,
    me: &crate::shared::session::SignedIn,
    actor: &kirjo_access::Actor,
) -> Result<SamplesSection, axum::response::Response> {
    let list = monitoring::samples(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    let day = |t: DateTime<Utc>| t.format("%-d.%-m.%Y").to_string();
    let names = crate::shared::page::names(state).await;
    let li = crate::shared::page::lang_index(ctx.tr.lang);
    let mut units: Vec<(String, String)> = actor
        .roles
        .iter()
        .filter(|r| r.role == Role::UnitSupervisor)
        .map(|r| (r.unit.clone(), names.of(&r.unit, li)))
        .collect();
    units.dedup();
    let today = kirjo_domain::calendar::helsinki_today();
    Ok(SamplesSection {
        lines: list
            .iter()
            .map(|s| SampleLine {
                id: s.id,
                unit: names.of(&s.unit, li),
                period: format!("{}–{}", day(s.from), day(s.to - Duration::seconds(1))),
                progress: ctx.tr.t1(
                    "sample-progress",
                    "done",
                    format!("{}/{}", s.reviewed, s.items),
                ),
            })
            .collect(),
        units,
        from: (today - Duration::days(30)).to_string(),
        to: today.to_string(),
    })
}

#[derive(Debug, Deserialize)]
pub struct DrawForm {
    pub unit: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub size: Option<String>,
}

/// `POST /supervision/samples`: draw a random sample of a unit's accesses.
pub async fn draw(State(state): State<AppState>, ctx: Ctx, Form(f): Form<DrawForm>) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let Ok((_, _, start, end)) = period(&PeriodQuery {
        from: f.from,
        to: f.to,
        page: None,
    }) else {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("log-bad-period"),
            Some(&actor),
        ));
    };
    let size = f
        .size
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or(Ok(20), str::parse::<i64>)
        .ok()
        .filter(|n| (1..=500).contains(n));
    let Some(size) = size else {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("sample-bad-size"),
            Some(&actor),
        ));
    };
    let (id, _) = monitoring::draw_sample(
        &state.db,
        &me.caller,
        &state.gate,
        &f.unit,
        start,
        end,
        size,
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/supervision/samples/{id}")))
}

pub struct ItemLine {
    pub log_id: i64,
    pub at: String,
    pub user: String,
    pub client_id: Option<i64>,
    pub action: String,
    pub purpose: String,
    pub explanation: String,
    pub outcome: Option<String>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "logs/sample.html")]
pub struct SamplePage {
    pub shell: Shell,
    pub heading: String,
    pub id: i64,
    pub items: Vec<ItemLine>,
}

/// `GET /supervision/samples/{id}`: a sample, for review.
pub async fn sample(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let Some(s) = monitoring::sample(&state.db, &me.caller, &state.gate, id)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(&actor),
        ));
    };
    let heading = ctx.tr.t1("sample-title", "unit", &s.unit);
    let items = s
        .items
        .iter()
        .map(|r| ItemLine {
            log_id: r.item.use_log_id,
            at: helsinki_time(r.item.logged_at),
            user: r.item.user_name.clone(),
            client_id: r.item.client_id,
            action: r.item.action.clone(),
            purpose: r.item.purpose.clone().unwrap_or_default(),
            explanation: r.item.explanation.clone(),
            outcome: r
                .outcome
                .as_ref()
                .map(|o| ctx.tr.t(&format!("flag-outcome-{o}"))),
            note: r.note.clone(),
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &SamplePage {
            shell: ctx.shell(heading.clone(), Some(&actor)),
            heading,
            id,
            items,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ItemReview {
    pub outcome: String,
    pub note: String,
}

/// `POST /supervision/samples/{id}/items/{log}`: record the review of one
/// sampled access.
pub async fn review_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, log)): Path<(String, String)>,
    Form(f): Form<ItemReview>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let log = page_id(&ctx, &log)?;
    let (me, actor) = ctx.user(&state).await?;
    let outcome = crate::logs::data_protection::review_outcome(&ctx, &actor, &f.outcome, &f.note)?;
    monitoring::review_sample_item(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        log,
        outcome,
        f.note.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other(&format!("/supervision/samples/{id}")))
}
