use crate::documents::actions::{self, TimelineQuery};
use crate::shared::page::helsinki_time;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::page_id;
use crate::shared::page::percent_encode_path;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::pager::Pager;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use kirjo_domain::calendar::day_month_year as date;

pub struct TimelineRow {
    pub id: i64,
    pub date: String,
    /// The stored date cannot be read: shown marked, with when it was written.
    pub date_invalid: bool,
    pub name: String,
    pub area: String,
    pub author: String,
    pub draft: bool,
    pub corrected: bool,
}

impl TimelineRow {
    /// A timeline line as a row of a page, in the language `li`.
    pub fn of(
        l: &kirjo_store::documents::TimelineLine,
        names: &kirjo_store::register::Names,
        li: usize,
    ) -> Self {
        TimelineRow {
            id: l.id,
            date: l.date.map_or_else(|| helsinki_time(l.created_at), date),
            date_invalid: l.date_invalid,
            name: l.name.clone(),
            area: names.of(&l.service_area, li),
            author: l.author_name.clone(),
            draft: l.state == "draft",
            corrected: l.corrected,
        }
    }
}

#[derive(Template)]
#[template(path = "documents/documents.html")]
pub struct TimelinePage {
    pub shell: Shell,
    pub band: Option<crate::clients::band::BandView>,
    pub heading: String,
    /// The form of a new document is offered only to whom may write one.
    pub may_write: bool,
    pub client_id: i64,
    pub rows: Vec<TimelineRow>,
    pub areas: Vec<(String, String, bool)>,
    /// Every kind: (kind, name, chosen as the filter).
    pub kinds: Vec<(String, String, bool)>,
    pub area: String,
    pub pager: Pager,
}

/// `GET /clients/{id}/documents`: the client's timeline (ViewDocument).
pub async fn timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let t = actions::timeline(&state, &me.caller, id, &q, ctx.tr.lang)
        .await
        .map_err(|r| ctx.refused(r, &actor))?;
    let lines = t.lines;
    let area = q.area.filter(|a| !a.is_empty());
    let kind = q.kind.filter(|k| !k.is_empty());
    let pager = Pager::new(
        |p| {
            let mut link = format!("/clients/{id}/documents?page={p}");
            for (name, value) in [("area", &area), ("kind", &kind)] {
                if let Some(v) = value {
                    link.push_str(&format!("&{name}={}", percent_encode_path(v)));
                }
            }
            link
        },
        t.page,
        actions::TIMELINE_ROWS,
        t.total,
        lines.len(),
    );
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let mut seen: Vec<String> = actor
        .roles
        .iter()
        .filter_map(|r| r.service_area.clone())
        .collect();
    seen.sort();
    seen.dedup();
    let rows = lines
        .iter()
        .map(|l| TimelineRow::of(l, &names, li))
        .collect();
    let band = t
        .band
        .as_ref()
        .map(|b| crate::clients::band::BandView::of(b, &ctx.tr));
    let heading = band.as_ref().map_or_else(
        || ctx.tr.t("documents-title"),
        |b| ctx.tr.t1("documents-of", "name", b.name.as_str()),
    );
    Ok(ctx.render(
        StatusCode::OK,
        &TimelinePage {
            shell: ctx.shell(heading.clone(), Some(&actor)),
            band,
            heading,
            may_write: t.may_write,
            client_id: id,
            rows,
            kinds: kirjo_domain::document::kinds()
                .into_iter()
                .map(|k| {
                    let name = kirjo_domain::document::kind_name(k, ctx.tr.lang)
                        .unwrap_or(k)
                        .to_owned();
                    (k.to_owned(), name, kind.as_deref() == Some(k))
                })
                .collect(),
            area: area.clone().unwrap_or_default(),
            pager,
            areas: seen
                .into_iter()
                .map(|a| {
                    let current = area.as_deref() == Some(a.as_str());
                    (a.clone(), names.of(&a, li), current)
                })
                .collect(),
        },
    ))
}
