//! The statistics page: a period's processing times of the supervised
//! units, the periods before it, and the files to send to THL.

use super::api::{processing_table, yearly_table};
use super::table::Table;
use crate::shared::page::{lang_index, names};
use crate::shared::state::AppState;
use crate::shared::{Ctx, PageResult, Shell};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::Datelike;
use kirjo_domain::calendar::{day_month_year, helsinki_today};
use kirjo_store::statistics::{self, Period};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct StatisticsQuery {
    pub from: Option<String>,
}

#[derive(Template)]
#[template(path = "statistics/statistics.html")]
pub struct StatisticsPage {
    pub shell: Shell,
    /// (from, label, current)
    pub periods: Vec<(String, String, bool)>,
    pub from: String,
    pub due: String,
    pub times: Table,
    pub year: i32,
    pub yearly: Table,
}

/// `GET /statistics?from=YYYY-04-01`: the period's figures (by default the
/// last finished period).
pub async fn statistics(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StatisticsQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let current = Period::containing(helsinki_today());
    let period = match q.from.as_deref() {
        None | Some("") => current.previous(),
        Some(raw) => super::api::period(Some(raw)).map_err(|e| ctx.api_error(e, Some(&actor)))?,
    };
    let times = statistics::processing_times(&state.db, &me.caller, &state.gate, period, None)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let year = period.from.year();
    let yearly = statistics::yearly_counts(&state.db, &me.caller, &state.gate, year, None)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let unit_name = |id: &str| names.of(id, li);
    let mut periods = Vec::new();
    let mut p = current;
    for _ in 0..4 {
        periods.push((
            p.from.to_string(),
            format!("{}–{}", day_month_year(p.from), day_month_year(p.to)),
            p == period,
        ));
        p = p.previous();
    }
    Ok(ctx.render(
        StatusCode::OK,
        &StatisticsPage {
            shell: ctx.shell(ctx.tr.t("stats-title"), Some(&actor)),
            periods,
            from: period.from.to_string(),
            due: day_month_year(period.due()),
            times: processing_table(&times, ctx.tr, &unit_name),
            year,
            yearly: yearly_table(year, &yearly, ctx.tr, &unit_name),
        },
    ))
}
