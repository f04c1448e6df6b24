//! The guardian's request: what of a child's documents may be given to a
//! guardian, and nothing while an accepted minor's prohibition is in force.

use crate::documents::timeline::TimelineRow;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::page_id;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

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
        .map(|l| TimelineRow::of(l, &names, li))
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
