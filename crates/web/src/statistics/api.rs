//! The JSON API of statistics, and its files.

use super::table::Table;
use crate::shared::i18n::Tr;
use crate::shared::page::lang_index;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::ApiError;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kirjo_store::statistics::{self, Counts, Export, Figure, Period, ProcessingTimes, YearCounts};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub format: Option<String>,
    pub lang: Option<String>,
}

/// A file's format, or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

pub fn format(raw: Option<&str>) -> Result<Format, ApiError> {
    match raw {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") => Ok(Format::Xlsx),
        Some(_) => Err(ApiError::unprocessable("format is json, csv or xlsx")),
    }
}

impl Format {
    fn export(self) -> Option<Export<'static>> {
        match self {
            Format::Json => None,
            Format::Csv => Some(Export { format: "csv" }),
            Format::Xlsx => Some(Export { format: "xlsx" }),
        }
    }
}

/// The period that begins on the given day.
pub fn period(raw: Option<&str>) -> Result<Period, ApiError> {
    raw.and_then(kirjo_domain::edge::iso_date)
        .and_then(Period::starting)
        .ok_or_else(|| {
            ApiError::unprocessable("from is the first day of a period: YYYY-04-01 or YYYY-10-01")
        })
}

fn shown(c: Counts) -> [Figure; 4] {
    let s = c.shown();
    [s.total, s.on_time, s.late, s.pending]
}

/// The processing times as a table, in the user's language.
pub fn processing_table(r: &ProcessingTimes, tr: Tr, unit_name: &dyn Fn(&str) -> String) -> Table {
    let mut header = vec![tr.t("stats-unit")];
    for part in ["stats-start", "stats-completion"] {
        for col in [
            "stats-total",
            "stats-on-time",
            "stats-late",
            "stats-pending",
        ] {
            header.push(format!("{}: {}", tr.t(part), tr.t(col)));
        }
    }
    let row = |name: String, u: &kirjo_store::statistics::UnitTimes| {
        let mut cells = vec![name];
        cells.extend(
            shown(u.start)
                .iter()
                .chain(shown(u.completion).iter())
                .map(|f| f.text()),
        );
        cells
    };
    let mut rows: Vec<Vec<String>> = r.units.iter().map(|u| row(unit_name(&u.unit), u)).collect();
    rows.push(row(tr.t("stats-all-units"), &r.total));
    Table {
        title: format!(
            "{} {}–{} ({} {})",
            tr.t("stats-processing-times"),
            kirjo_domain::calendar::day_month_year(r.period.from),
            kirjo_domain::calendar::day_month_year(r.period.to),
            tr.t("stats-counted-on"),
            kirjo_domain::calendar::day_month_year(r.counted_on)
        ),
        header,
        rows,
    }
}

/// The yearly counts as a table: one row per unit and kind.
pub fn yearly_table(
    year: i32,
    list: &[YearCounts],
    tr: Tr,
    unit_name: &dyn Fn(&str) -> String,
) -> Table {
    let mut rows = Vec::new();
    for u in list {
        for (k, n) in &u.started_by {
            rows.push(vec![
                unit_name(&u.unit),
                tr.t("stats-matters-started-by"),
                tr.t(&format!("matter-started-by-{k}")),
                Figure::of(*n).text(),
            ]);
        }
        for (k, n) in &u.reporters {
            rows.push(vec![
                unit_name(&u.unit),
                tr.t("stats-notifications-by-reporter"),
                k.clone(),
                Figure::of(*n).text(),
            ]);
        }
    }
    Table {
        title: format!("{} {year}", tr.t("stats-yearly")),
        header: vec![
            tr.t("stats-unit"),
            tr.t("stats-what"),
            tr.t("stats-kind"),
            tr.t("stats-count"),
        ],
        rows,
    }
}

/// A table as the asked file.
pub fn file(table: &Table, format: Format, name: &str) -> Result<Response, ApiError> {
    let (body, media, ext) = match format {
        Format::Csv => (table.csv().into_bytes(), "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            table.xlsx().map_err(|_| ApiError::internal("xlsx"))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format::Json => return Err(ApiError::internal("not a file")),
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

async fn unit_names(state: &AppState, tr: Tr) -> impl Fn(&str) -> String {
    let names = crate::shared::page::names(state).await;
    let li = lang_index(tr.lang);
    move |id: &str| names.of(id, li)
}

/// `GET /api/statistics/processing-times?from=YYYY-04-01|YYYY-10-01`
/// (Action::ReportStatistics).
pub async fn processing_times(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<PeriodQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let period = period(q.from.as_deref())?;
    let format = format(q.format.as_deref())?;
    let r =
        statistics::processing_times(&state.db, &me.caller, &state.gate, period, format.export())
            .await
            .map_err(ApiError::from_gate)?;
    if format == Format::Json {
        let figures = |u: &kirjo_store::statistics::UnitTimes| serde_json::json!({ "unit": u.unit, "start": u.start.shown(), "completion": u.completion.shown() });
        return Ok(Json(serde_json::json!({
            "period": r.period,
            "counted_on": r.counted_on,
            "suppressed_below": statistics::SUPPRESS_BELOW,
            "units": r.units.iter().map(figures).collect::<Vec<_>>(),
            "total": figures(&r.total),
        }))
        .into_response());
    }
    let tr = Tr::new(crate::shared::fields::lang(q.lang.as_deref(), &headers));
    let names = unit_names(&state, tr).await;
    file(
        &processing_table(&r, tr, &names),
        format,
        &format!("kasittelyajat-{}", r.period.from),
    )
}

#[derive(Debug, Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
    pub format: Option<String>,
    pub lang: Option<String>,
}

/// `GET /api/statistics/yearly?year=YYYY` (Action::ReportStatistics).
pub async fn yearly(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<YearQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::unprocessable("year is a year from 2000 to 2100"))?;
    let format = format(q.format.as_deref())?;
    let list = statistics::yearly_counts(&state.db, &me.caller, &state.gate, year, format.export())
        .await
        .map_err(ApiError::from_gate)?;
    if format == Format::Json {
        let counts = |v: &[(String, i64)]| -> serde_json::Value {
            v.iter()
                .map(|(k, n)| (k.clone(), serde_json::json!(Figure::of(*n))))
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        return Ok(Json(serde_json::json!({
            "year": year,
            "suppressed_below": statistics::SUPPRESS_BELOW,
            "units": list.iter().map(|u| serde_json::json!({
                "unit": u.unit, "started_by": counts(&u.started_by), "reporters": counts(&u.reporters),
            })).collect::<Vec<_>>(),
        }))
        .into_response());
    }
    let tr = Tr::new(crate::shared::fields::lang(q.lang.as_deref(), &headers));
    let names = unit_names(&state, tr).await;
    file(
        &yearly_table(year, &list, tr, &names),
        format,
        &format!("vuositilasto-{year}"),
    )
}
