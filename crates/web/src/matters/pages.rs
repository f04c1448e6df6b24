//! The pages of matters: a client's matters with the form to open one, one
//! matter with its clock and the forms of its next steps, and the lists of
//! open matters against their deadlines (the worker's and the
//! supervisor's).

use super::actions;
use super::input::{OpenInput, PhaseInput};
use crate::documents::form::task_choices;
use crate::shared::page::{helsinki_time, lang_index, names, page_id, see_other};
use crate::shared::state::AppState;
use crate::shared::{Ctx, PageResult, Refusal, Shell};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Form;
use kirjo_access::{Actor, Role};
use kirjo_domain::calendar::day_month_year as date;
use kirjo_domain::matter::{Phase, Standing, StartedBy};
use kirjo_store::matters::{self, MatterLine, OpenList, Opened};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A matter as a row of a table.
pub struct Row {
    pub id: i64,
    pub client_id: i64,
    pub client: String,
    pub started_on: String,
    pub started_by: String,
    pub task: String,
    pub responsible: String,
    pub start: String,
    pub completion: String,
    pub late: bool,
    pub closed: Option<String>,
}

/// Where a deadline stands, in words.
fn standing(ctx: &Ctx, due: Option<chrono::NaiveDate>, s: Standing) -> String {
    let t = &ctx.tr;
    let due = due.map(date).unwrap_or_default();
    match s {
        Standing::OnTime { done_on } => t.t1("matter-on-time", "date", date(done_on)),
        Standing::DoneLate { done_on, days_late } => format!(
            "{} ({})",
            t.n("matter-done-late", "days", days_late),
            date(done_on)
        ),
        Standing::Open { days_left } => {
            format!("{due}: {}", t.n("matter-days-left", "days", days_left))
        }
        Standing::Late { days_late } => {
            format!("{due}: {}", t.n("matter-days-late", "days", days_late))
        }
        Standing::NotApplicable => t.t("matter-no-deadline"),
    }
}

fn row(ctx: &Ctx, tasks: &BTreeMap<String, String>, m: &MatterLine) -> Row {
    let c = &m.clock;
    Row {
        id: m.id,
        client_id: m.client_id,
        client: m.client_name.clone(),
        started_on: date(m.started_on),
        started_by: ctx.tr.t(&format!("matter-started-by-{}", m.started_by)),
        task: tasks
            .get(&m.service_task)
            .cloned()
            .unwrap_or_else(|| m.service_task.clone()),
        responsible: m.responsible_name.clone(),
        start: standing(ctx, c.start_due, c.start),
        completion: standing(ctx, c.completion_due, c.completion),
        late: c.is_late(),
        closed: m.closed_on.map(date),
    }
}

/// The names of the service tasks of the user's areas, by id.
async fn task_names(state: &AppState, ctx: &Ctx, actor: &Actor) -> BTreeMap<String, String> {
    task_choices(state, ctx, actor).await.into_iter().collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    pub service_task: String,
    #[serde(default)]
    pub started_by: String,
    #[serde(default)]
    pub started_on: String,
    /// A document's id, or empty.
    #[serde(default)]
    pub document_id: String,
    #[serde(default)]
    pub highest_care_allowance: String,
}

#[derive(Template)]
#[template(path = "matters/client.html")]
pub struct ClientMattersPage {
    pub shell: Shell,
    pub client_id: i64,
    pub rows: Vec<Row>,
    pub form: OpenForm,
    pub tasks: Vec<(String, String)>,
    pub started_by: Vec<(String, String)>,
    pub documents: Vec<(String, String)>,
    pub today: String,
    pub errors: Vec<(String, String)>,
}

impl ClientMattersPage {
    pub fn error(&self, field: &str) -> Option<&String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }
}

async fn client_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    me: &crate::shared::SignedIn,
    client: i64,
    form: OpenForm,
    errors: Vec<(String, String)>,
) -> PageResult {
    let list = matters::of_client(&state.db, &me.caller, &state.gate, client)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    let tasks = task_choices(state, ctx, actor).await;
    let names: BTreeMap<String, String> = tasks.iter().cloned().collect();
    // The documents that can start a matter, from the first page of the
    // client's timeline (reading it is a logged use).
    let starting: Vec<&str> = StartedBy::ALL
        .iter()
        .flat_map(|s| s.document_kinds().iter().copied())
        .collect();
    let documents = match kirjo_store::documents::timeline(
        &state.db,
        &me.caller,
        &state.gate,
        client,
        None,
        None,
        kirjo_store::Page {
            limit: 100,
            offset: 0,
        },
    )
    .await
    {
        Ok((_, lines)) => lines
            .into_iter()
            .filter(|l| starting.contains(&l.kind.as_str()) && l.version == 1)
            .map(|l| {
                (
                    l.id.to_string(),
                    format!(
                        "{}, {} ({})",
                        l.name,
                        l.date.map_or_else(|| helsinki_time(l.created_at), date),
                        l.author_name
                    ),
                )
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render(
        status,
        &ClientMattersPage {
            shell: ctx.shell(ctx.tr.t("matters-title"), Some(actor)),
            client_id: client,
            rows: list.iter().map(|m| row(ctx, &names, m)).collect(),
            form,
            tasks,
            started_by: StartedBy::ALL
                .iter()
                .map(|s| {
                    (
                        s.as_str().to_owned(),
                        ctx.tr.t(&format!("matter-started-by-{}", s.as_str())),
                    )
                })
                .collect(),
            documents,
            today: kirjo_domain::calendar::helsinki_today().to_string(),
            errors,
        },
    ))
}

/// `GET /clients/{id}/matters`: the client's matters and the form to open
/// one.
pub async fn client_matters(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let form = OpenForm {
        started_on: kirjo_domain::calendar::helsinki_today().to_string(),
        ..OpenForm::default()
    };
    client_page(&state, &ctx, &actor, &me, id, form, Vec::new()).await
}

/// `POST /clients/{id}/matters`: open a matter (or join the document to the
/// open one) and show it; a form with problems comes back as typed.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<OpenForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let document = f.document_id.trim();
    let mut errors = Vec::new();
    let document_id = if document.is_empty() {
        None
    } else {
        match document.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(("document_id".to_owned(), ctx.tr.t("matter-bad-document")));
                None
            }
        }
    };
    if errors.is_empty() {
        let input = OpenInput {
            service_task: f.service_task.clone(),
            started_by: f.started_by.clone(),
            started_on: f.started_on.clone(),
            document_id,
            highest_care_allowance: f.highest_care_allowance == "true",
        };
        match actions::open(&state, &me.caller, id, &input, ctx.tr.lang).await {
            Ok(Opened::New(m) | Opened::Joined(m)) => {
                return Ok(see_other(&format!("/matters/{m}")))
            }
            Err(Refusal::Fields(e) | Refusal::Conflict(e)) => {
                errors = e.into_iter().map(|e| (e.field, e.message)).collect();
            }
            Err(other) => return Err(ctx.refused(other, &actor)),
        }
    }
    client_page(&state, &ctx, &actor, &me, id, f, errors).await
}

/// A recorded step, in words.
pub struct StepRow {
    pub phase: String,
    pub on: String,
    pub outcome: String,
    pub by: String,
    pub at: String,
}

/// A step that can still be recorded: its form.
pub struct StepForm {
    pub phase: &'static str,
    pub label: String,
    pub hint: String,
    pub outcomes: Vec<(String, String)>,
    pub on: String,
    pub outcome: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "matters/matter.html")]
pub struct MatterPage {
    pub shell: Shell,
    pub m: Row,
    pub area: String,
    pub rule: String,
    pub days_open: i64,
    pub steps: Vec<StepRow>,
    pub documents: Vec<(i64, String)>,
    pub forms: Vec<StepForm>,
}

fn outcome_key(phase: Phase, outcome: &str) -> String {
    match phase {
        Phase::Closed => format!("matter-close-{outcome}"),
        _ => format!("matter-outcome-{outcome}"),
    }
}

async fn matter_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    me: &crate::shared::SignedIn,
    id: i64,
    typed: Option<(&PhaseInput, String)>,
) -> PageResult {
    let view = matters::read(&state.db, &me.caller, &state.gate, id)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    let m = &view.matter;
    let tasks = task_names(state, ctx, actor).await;
    let li = lang_index(ctx.tr.lang);
    let area = names(state).await.of(&m.service_area, li);
    let recorded: Vec<Phase> = m
        .phases
        .iter()
        .filter_map(|p| Phase::parse(&p.phase))
        .collect();
    let steps = m
        .phases
        .iter()
        .map(|p| {
            let phase = Phase::parse(&p.phase).unwrap_or(Phase::Closed);
            StepRow {
                phase: ctx.tr.t(&format!("matter-phase-{}", p.phase)),
                on: date(p.on),
                outcome: p
                    .outcome
                    .as_deref()
                    .map(|o| ctx.tr.t(&outcome_key(phase, o)))
                    .unwrap_or_default(),
                by: p.recorded_by_name.clone(),
                at: helsinki_time(p.recorded_at),
            }
        })
        .collect();
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let forms = if view.may_record {
        Phase::ALL
            .iter()
            .filter(|p| !recorded.contains(p))
            .filter(|p| {
                **p != Phase::Informed
                    || m.clock.rule == kirjo_domain::matter::ClockRule::ChildWelfare
            })
            .map(|p| {
                let this = typed.as_ref().filter(|(t, _)| t.phase == p.as_str());
                StepForm {
                    phase: p.as_str(),
                    label: ctx.tr.t(&format!("matter-phase-{}", p.as_str())),
                    hint: ctx.tr.t(&format!("matter-phase-{}-hint", p.as_str())),
                    outcomes: p
                        .outcomes()
                        .iter()
                        .map(|o| ((*o).to_owned(), ctx.tr.t(&outcome_key(*p, o))))
                        .collect(),
                    on: this.map_or_else(|| today.clone(), |(t, _)| t.on.clone()),
                    outcome: this.map(|(t, _)| t.outcome.clone()).unwrap_or_default(),
                    error: this.map(|(_, e)| e.clone()),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let status = if typed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let title = format!("{}: {}", ctx.tr.t("matter-title"), m.client_name);
    Ok(ctx.render(
        status,
        &MatterPage {
            shell: ctx.shell(title, Some(actor)),
            rule: ctx.tr.t(&format!("matter-rule-{}", m.clock.rule.as_str())),
            days_open: m.clock.days_open,
            m: row(ctx, &tasks, m),
            area,
            steps,
            documents: view
                .documents
                .iter()
                .map(|d| {
                    (
                        d.id,
                        format!(
                            "{}, {} ({})",
                            d.name,
                            helsinki_time(d.created_at),
                            d.author_name
                        ),
                    )
                })
                .collect(),
            forms,
        },
    ))
}

/// `GET /matters/{id}`: a matter, its clock and its steps.
pub async fn matter(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    matter_page(&state, &ctx, &actor, &me, id, None).await
}

/// `POST /matters/{id}/phases`: record a step; a step with a problem comes
/// back on the matter's page as typed, its problem at its form.
pub async fn record_phase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(input): Form<PhaseInput>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    match actions::record(&state, &me.caller, id, &input, ctx.tr.lang).await {
        Ok(()) => Ok(see_other(&format!("/matters/{id}?saved=1"))),
        Err(Refusal::Fields(e) | Refusal::Conflict(e)) => {
            let message = e
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join(" ");
            matter_page(&state, &ctx, &actor, &me, id, Some((&input, message))).await
        }
        Err(other) => Err(ctx.refused(other, &actor)),
    }
}

/// A worker's open matters on the supervisor's page.
pub struct WorkerCount {
    pub name: String,
    pub open: usize,
    pub late: usize,
}

#[derive(Template)]
#[template(path = "matters/open.html")]
pub struct OpenPage {
    pub shell: Shell,
    pub mine: Vec<Row>,
    pub supervisor: bool,
    pub units: Vec<Row>,
    pub workers: Vec<WorkerCount>,
    /// The supervisor's monthly charts: the decision to start, the
    /// completed assessment.
    pub charts: Vec<super::chart::Chart>,
    /// Decision drafts naming the user as decision maker: (document, client,
    /// drafted by, when).
    pub to_decide: Vec<(i64, String, String, String)>,
}

/// `GET /matters`: the user's open matters against their deadlines, late
/// first; for a supervisor also their units', per worker.
pub async fn open_matters(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let tasks = task_names(&state, &ctx, &actor).await;
    let supervisor = actor.roles.iter().any(|r| r.role == Role::UnitSupervisor);
    let mine = if actor.roles.iter().any(|r| r.role == Role::ClientWorker) {
        matters::open_list(&state.db, &me.caller, &state.gate, OpenList::Mine)
            .await
            .map_err(|e| ctx.gate_error(e, &actor))?
    } else {
        Vec::new()
    };
    let units = if supervisor {
        matters::open_list(&state.db, &me.caller, &state.gate, OpenList::MyUnits)
            .await
            .map_err(|e| ctx.gate_error(e, &actor))?
    } else {
        Vec::new()
    };
    let may_decide = actor
        .roles
        .iter()
        .any(|r| matches!(r.role, Role::ClientWorker | Role::UnitSupervisor));
    let to_decide = if may_decide {
        kirjo_store::decisions::awaiting(&state.db, &me.caller, &state.gate)
            .await
            .map_err(|e| ctx.gate_error(e, &actor))?
            .into_iter()
            .map(|a| {
                (
                    a.document_id,
                    a.client_name,
                    a.drafted_by,
                    crate::shared::page::helsinki_time(a.created_at),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for m in &units {
        let e = per.entry(m.responsible_name.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(m.clock.is_late());
    }
    let mut workers: Vec<WorkerCount> = per
        .into_iter()
        .map(|(name, (open, late))| WorkerCount {
            name: name.to_owned(),
            open,
            late,
        })
        .collect();
    workers.sort_by(|a, b| b.late.cmp(&a.late).then(a.name.cmp(&b.name)));
    let charts = if supervisor {
        let months =
            kirjo_store::statistics::monthly_deadlines(&state.db, &me.caller, &state.gate, 12)
                .await
                .map_err(|e| ctx.gate_error(e, &actor))?;
        let t = &ctx.tr;
        vec![
            super::chart::chart(
                "chart-start",
                t.t("matters-chart-start"),
                t.t("matters-chart-description"),
                &months,
                |m| m.start,
            ),
            super::chart::chart(
                "chart-completion",
                t.t("matters-chart-completion"),
                t.t("matters-chart-description"),
                &months,
                |m| m.completion,
            ),
        ]
    } else {
        Vec::new()
    };
    Ok(ctx.render(
        StatusCode::OK,
        &OpenPage {
            shell: ctx.shell(ctx.tr.t("matters-open-title"), Some(&actor)),
            mine: mine.iter().map(|m| row(&ctx, &tasks, m)).collect(),
            supervisor,
            units: units.iter().map(|m| row(&ctx, &tasks, m)).collect(),
            workers,
            charts,
            to_decide,
        },
    ))
}
