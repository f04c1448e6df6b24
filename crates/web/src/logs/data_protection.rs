use crate::rights::pages::DoneQuery;
use crate::shared::page::helsinki_time;
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
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
use kirjo_store::monitoring;
use serde::Deserialize;

/// A review item on the page: a user's flags of one kind on one day.
pub struct FlagLine {
    pub id: i64,
    pub kind: String,
    pub user: String,
    pub clients: String,
    /// The first time, and the last when the item holds more than one.
    pub at: String,
    pub count: i64,
    /// The log rows, as many as are listed.
    pub rows: String,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "logs/flags.html")]
pub struct FlagsPage {
    pub shell: Shell,
    pub heading: String,
    pub flags: Vec<FlagLine>,
    pub notice: Option<String>,
}

/// `GET /data-protection`: accesses flagged for review.
pub async fn data_protection(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let items = monitoring::open_items(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let flags = items
        .into_iter()
        .map(|f| FlagLine {
            id: f.id,
            kind: ctx.tr.t(&format!("flag-{}", f.kind)),
            user: f.user_name,
            clients: join(&f.client_ids),
            at: if f.count > 1 {
                format!(
                    "{} \u{2013} {}",
                    helsinki_time(f.first_at),
                    helsinki_time(f.last_at)
                )
            } else {
                helsinki_time(f.first_at)
            },
            count: f.count,
            rows: join(&f.use_log_ids),
            explanation: f.explanation,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &FlagsPage {
            shell: ctx.shell(ctx.tr.t("nav-data-protection"), Some(&actor)),
            heading: ctx.tr.t("nav-data-protection"),
            flags,
            notice: q.done.map(|_| ctx.tr.t("saved")),
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    pub outcome: String,
    pub note: String,
}

/// The outcome of a review form, with its note required.
pub(crate) fn review_outcome(
    ctx: &Ctx,
    actor: &Actor,
    outcome: &str,
    note: &str,
) -> Result<monitoring::Outcome, Response> {
    let outcome: monitoring::Outcome =
        serde_json::from_value(serde_json::Value::String(outcome.to_owned())).map_err(|_| {
            ctx.error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.tr.t("review-bad"),
                Some(actor),
            )
        })?;
    if note.trim().is_empty() {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("review-note-missing"),
            Some(actor),
        ));
    }
    Ok(outcome)
}

/// `POST /data-protection/items/{id}`: record the review of an item (every
/// open flag of it).
pub async fn review_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let outcome = review_outcome(&ctx, &actor, &f.outcome, &f.note)?;
    monitoring::review_item(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        outcome,
        f.note.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other("/data-protection?done=1"))
}

/// `POST /data-protection/flags/{id}`: record the review of a flag.
pub async fn review_flag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let outcome = review_outcome(&ctx, &actor, &f.outcome, &f.note)?;
    monitoring::review_flag(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        outcome,
        f.note.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other("/data-protection?done=1"))
}
