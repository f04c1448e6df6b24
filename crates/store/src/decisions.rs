//! Decisions as acts of a decision maker (docs/decisions.md): a decision is
//! drafted by one worker, who names the decision maker (a staff user with a
//! client-worker or supervisor role of the controller in the decision's
//! service area), and only that user decides it, after a fresh
//! second-factor step-up. Then its serving to each party, the appeal
//! period computed from it, and marking it final; and its printout-ready
//! data with the appeal instructions of its legal basis.

use crate::gate::{
    enter_on_client as on_client, Caller, GateError, GateSettings, Guarded, Pending,
};
use chrono::{DateTime, NaiveDate, Utc};
use kirjo_access::Action;
use kirjo_domain::decision::{
    appeal_ends_on, check_final, check_service, AppealMeans, AppealTemplate, FinalGround,
    FinalProblem, ServiceMethod, ServiceProblem,
};
use kirjo_domain::document::Content;
use kirjo_domain::forms::FieldValue;
use serde::Serialize;
use sqlx::{PgConnection, PgPool, Row};

/// Writes the configuration's appeal templates (at every start, with the
/// owner role); templates no longer configured stay, marked, for the
/// decisions that carry them.
pub async fn sync_templates(owner: &PgPool, templates: &[AppealTemplate]) -> crate::Result<()> {
    let mut tx = owner.begin().await?;
    sqlx::query("UPDATE appeal_template SET in_configuration = false")
        .execute(&mut *tx)
        .await?;
    for (i, t) in templates.iter().enumerate() {
        sqlx::query(
            "INSERT INTO appeal_template (id, position, legal_bases, means, days, authority_fi, authority_sv,
                                          authority_en, instructions_fi, instructions_sv, instructions_en)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, legal_bases = EXCLUDED.legal_bases,
               means = EXCLUDED.means, days = EXCLUDED.days, authority_fi = EXCLUDED.authority_fi,
               authority_sv = EXCLUDED.authority_sv, authority_en = EXCLUDED.authority_en,
               instructions_fi = EXCLUDED.instructions_fi, instructions_sv = EXCLUDED.instructions_sv,
               instructions_en = EXCLUDED.instructions_en, in_configuration = true",
        )
        .bind(&t.id)
        .bind(i32::try_from(i).unwrap_or(i32::MAX))
        .bind(&t.legal_bases)
        .bind(t.means.as_str())
        .bind(i32::try_from(t.days).unwrap_or(i32::MAX))
        .bind(&t.authority_fi)
        .bind(&t.authority_sv)
        .bind(&t.authority_en)
        .bind(&t.instructions_fi)
        .bind(&t.instructions_sv)
        .bind(&t.instructions_en)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn template(r: &sqlx::postgres::PgRow) -> Result<AppealTemplate, sqlx::Error> {
    let means: String = r.try_get("means")?;
    let days: i32 = r.try_get("days")?;
    Ok(AppealTemplate {
        id: r.try_get("id")?,
        legal_bases: r.try_get("legal_bases")?,
        means: if means == "appeal" {
            AppealMeans::Appeal
        } else {
            AppealMeans::Rectification
        },
        days: u32::try_from(days).unwrap_or(30),
        authority_fi: r.try_get("authority_fi")?,
        authority_sv: r.try_get("authority_sv")?,
        authority_en: r.try_get("authority_en")?,
        instructions_fi: r.try_get("instructions_fi")?,
        instructions_sv: r.try_get("instructions_sv")?,
        instructions_en: r.try_get("instructions_en")?,
    })
}

const TEMPLATE_COLUMNS: &str =
    "id, legal_bases, means, days, authority_fi, authority_sv, authority_en,
     instructions_fi, instructions_sv, instructions_en";

/// The configured templates, in order.
pub async fn templates(conn: &mut PgConnection) -> Result<Vec<AppealTemplate>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM appeal_template WHERE in_configuration ORDER BY position"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(template)
    .collect()
}

async fn template_by_id(
    conn: &mut PgConnection,
    id: &str,
) -> Result<Option<AppealTemplate>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM appeal_template WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(template)
    .transpose()
}

/// A staff user who may be named a decision maker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Maker {
    pub id: i64,
    pub name: String,
    pub first_names: String,
    pub surname: String,
    pub title: String,
}

/// Who may be named a decision maker in a service area: the controller's
/// staff (never an outsourced provider's) with a client-worker or unit
/// supervisor's role in force in the area, duties not ended. Binds: $1 the
/// area.
pub const QUALIFIED_MAKERS_SQL: &str =
    "SELECT DISTINCT u.id, u.name, u.first_names, u.surname, u.title
     FROM staff_user u JOIN role_grant g ON g.user_id = u.id JOIN unit n ON n.id = g.unit_id
     WHERE g.sub_register_id = $1 AND g.role IN ('client_worker', 'unit_supervisor')
       AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
       AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)
       AND u.provider_id IS NULL AND n.provider_id IS NULL
       AND (u.duties_ended_at IS NULL OR u.duties_ended_at > now())
     ORDER BY u.name, u.id";

fn maker(r: &sqlx::postgres::PgRow) -> Result<Maker, sqlx::Error> {
    Ok(Maker {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        first_names: r.try_get("first_names")?,
        surname: r.try_get("surname")?,
        title: r.try_get("title")?,
    })
}

/// The users who may be named decision maker in any of `areas` (staff, not
/// client data: for the drafting form's list).
pub async fn qualified_makers(pool: &PgPool, areas: &[String]) -> crate::Result<Vec<Maker>> {
    let mut out: Vec<Maker> = Vec::new();
    for area in areas {
        for r in sqlx::query(QUALIFIED_MAKERS_SQL)
            .bind(area)
            .fetch_all(pool)
            .await?
        {
            let m = maker(&r)?;
            if !out.iter().any(|o| o.id == m.id) {
                out.push(m);
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Whether `user` may be named decision maker in `area`.
pub(crate) async fn is_qualified(
    conn: &mut PgConnection,
    user: i64,
    area: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(QUALIFIED_MAKERS_SQL)
        .bind(area)
        .fetch_all(conn)
        .await?
        .iter()
        .any(|r| r.try_get::<i64, _>("id").ok() == Some(user)))
}

/// The decision maker a decision's content names, if it is a decision.
pub fn named_maker(content: &Content) -> Option<i64> {
    match content {
        Content::Form(f) if f.spec.kind == "decision" => match f.values.get("decision_maker") {
            Some(FieldValue::Number(n)) => Some(*n),
            _ => None,
        },
        _ => None,
    }
}

/// Why a decision's named decision maker cannot be named, if so (checked
/// when the draft is written): the explanation of a 422.
pub(crate) async fn check_named(
    conn: &mut PgConnection,
    content: &Content,
    area: &str,
) -> Result<Option<String>, sqlx::Error> {
    let Some(user) = named_maker(content) else {
        return Ok(None);
    };
    Ok((!is_qualified(conn, user, area).await?).then(|| {
        format!(
            "the decision maker (user {user}) is not a client worker or supervisor of the controller in {area}: name one of those listed"
        )
    }))
}

/// Decides a decision draft: only its named decision maker (whoever drafted
/// it), who must have the client in the decision's area
/// (`ViewDocument`: a supervisor decides, who does not write documents),
/// with a fresh step-up (`stepped_up`: the web layer's answer, by the
/// user's second factor), from the revision read; the legal basis must
/// have an appeal template, whose means, instructions and period the
/// decision then carries. The document is completed with it, and the act
/// recorded with the decision maker's names. Every refusal is logged.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    revision: i64,
    stepped_up: bool,
) -> Result<i64, GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::ViewDocument,
        client_id,
        &format!("document:{id} decide"),
        None,
    )
    .await?;
    let user = g.access.user_id();
    let (conn, access) = g.parts();
    let areas = access.areas().to_vec();
    let row: Option<(i64, String, i64, String, String, serde_json::Value, i64)> = sqlx::query_as(
        "SELECT client_id, sub_register_id, author_id, state, kind, content, revision FROM document WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((doc_client, area, author, state, kind, content, current)) = row else {
        return Err(g.deny(format!("denied: no document {id}")).await);
    };
    if doc_client != client_id || !areas.contains(&area) {
        return Err(g
            .deny(format!(
                "denied: document {id} is not in a service area where the user has the client"
            ))
            .await);
    }
    if kind != "decision" {
        return Err(g
            .deny(format!("denied: document {id} is a {kind}, not a decision"))
            .await);
    }
    let Some(content) = Content::from_json(&kind, content) else {
        return Err(g
            .deny(format!(
                "denied: document {id} has content Kirjo cannot read as a decision"
            ))
            .await);
    };
    let maker = named_maker(&content);
    if maker != Some(user) {
        let (conn, _) = g.parts();
        let name: Option<String> = match maker {
            Some(m) => {
                sqlx::query_scalar("SELECT name FROM staff_user WHERE id = $1")
                    .bind(m)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => None,
        };
        let who = if user == author {
            "its drafter"
        } else {
            "the user"
        };
        return Err(g
            .deny(format!(
                "denied: decision {id} is decided only by the decision maker it names ({}); {who} is not that decision maker",
                name.unwrap_or_else(|| "none".to_owned())
            ))
            .await);
    }
    if current != revision {
        return Err(g
            .conflict(
                format!("conflict: document {id} has changed since it was read (revision {revision}, now {current})"),
                current,
            )
            .await);
    }
    if state != "draft" {
        return Err(g
            .deny(format!(
                "denied: decision {id} is {state}; it is decided once"
            ))
            .await);
    }
    if !stepped_up {
        return Err(g
            .step_up(format!(
                "step-up required: deciding decision {id} needs a fresh second-factor code (or, without a second factor, the password) given again (POST /api/session/reauth)"
            ))
            .await);
    }
    let Content::Form(mut form) = content else {
        return Err(g.deny("denied: not a form").await);
    };
    let basis = match form.values.get("legal_basis") {
        Some(FieldValue::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let (conn, _) = g.parts();
    let all = templates(&mut *conn).await?;
    let Some(t) = kirjo_domain::decision::template_for(&all, &basis).cloned() else {
        return Err(g
            .refuse(format!(
                "decision {id} cannot be decided: its legal basis “{basis}” has no appeal template in the configuration ([[decisions.appeal_templates]]); write the statute (e.g. 417/2007 or 1301/2014) in the legal basis, or ask the administrator for a template"
            ))
            .await);
    };
    form.set_appeal(t.means.as_str(), &t.instructions_fi, &t.period_fi());
    let missing = form.missing_for_completion();
    if !missing.is_empty() {
        return Err(g
            .deny(format!(
                "denied: decision {id} cannot be decided before {} is filled in",
                missing.join(" and ")
            ))
            .await);
    }
    let (conn, _) = g.parts();
    if !is_qualified(&mut *conn, user, &area).await? {
        return Err(g
            .deny(format!(
                "denied: the decision maker no longer has a client worker's or supervisor's role in {area}"
            ))
            .await);
    }
    let written: Option<i64> = sqlx::query_scalar(
        "UPDATE document SET content = $3, state = 'completed', completed_at = now(), updated_at = now()
         WHERE id = $1 AND revision = $2 AND state = 'draft' RETURNING revision",
    )
    .bind(id)
    .bind(revision)
    .bind(Content::Form(form).to_json())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(new) = written else {
        return Err(g
            .conflict(
                format!("conflict: decision {id} changed meanwhile"),
                revision,
            )
            .await);
    };
    sqlx::query(
        "INSERT INTO decision_act (document_id, drafted_by, decided_by, maker_first_names, maker_surname,
                                   maker_title, appeal_template_id)
         SELECT $1, $2, u.id, u.first_names, u.surname, u.title, $4 FROM staff_user u WHERE u.id = $3",
    )
    .bind(id)
    .bind(author)
    .bind(user)
    .bind(&t.id)
    .execute(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(new)).await?)
}

/// A party's serving as given.
#[derive(Debug, Clone)]
pub struct ServiceInput {
    pub party: usize,
    pub method: ServiceMethod,
    pub sent_on: NaiveDate,
    pub receipt_on: Option<NaiveDate>,
}

/// The service recorded: the day of service and the appeal's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Served {
    pub served_on: NaiveDate,
    pub appeal_ends_on: NaiveDate,
}

/// Records how a decided decision was served to one of its parties
/// (`WriteDocument`: a client worker in the decision's area), once; Kirjo
/// computes the day of service and the appeal period's last day. Not
/// before the decision was decided, nor dated in the future.
pub async fn record_service(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    s: &ServiceInput,
) -> Result<Served, GateError> {
    let (mut g, d, user) = enter_decided(
        pool,
        caller,
        settings,
        client_id,
        id,
        &format!("document:{id} service to party {}", s.party),
    )
    .await?;
    let Some(name) = d.parties.get(s.party).cloned() else {
        return Err(g
            .refuse(format!("decision {id} has no party {}", s.party))
            .await);
    };
    let today = kirjo_domain::calendar::helsinki_today();
    let decided_on = kirjo_domain::calendar::helsinki(d.decided_at).date();
    let served = match check_service(s.method, s.sent_on, s.receipt_on, decided_on, today) {
        Ok(d) => d,
        Err(p @ ServiceProblem::SentBeforeDecided) => {
            return Err(g
                .refuse(format!("{} ({decided_on})", p.explanation()))
                .await)
        }
        Err(p) => return Err(g.refuse(p.explanation()).await),
    };
    let (conn, _) = g.parts();
    let days = template_by_id(&mut *conn, &d.template)
        .await?
        .map_or(30, |t| t.days);
    let ends = appeal_ends_on(served, days);
    let inserted = sqlx::query(
        "INSERT INTO decision_service (document_id, party, party_name, method, sent_on, receipt_on,
                                       served_on, appeal_ends_on, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(i32::try_from(s.party).unwrap_or(i32::MAX))
    .bind(&name)
    .bind(s.method.as_str())
    .bind(s.sent_on)
    .bind(s.receipt_on)
    .bind(served)
    .bind(ends)
    .bind(user)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(g
            .conflict(
                format!(
                    "conflict: the serving of decision {id} to party {} is recorded already",
                    s.party
                ),
                0,
            )
            .await);
    }
    Ok(g.finish(Pending::new(Served {
        served_on: served,
        appeal_ends_on: ends,
    }))
    .await?)
}

/// A decided decision's facts.
struct Decided {
    area: String,
    parties: Vec<String>,
    decided_at: DateTime<Utc>,
    template: String,
    final_ground: Option<String>,
}

/// Enters the gate to write on a decided decision of the client (its
/// serving, its finality): the access, the decision, and the user. A
/// document that is not a decided decision of the client, or one in an area
/// where the user does not write, is refused and logged.
async fn enter_decided(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    data: &str,
) -> Result<(Guarded, Decided, i64), GateError> {
    let mut g = on_client(
        pool,
        caller,
        settings,
        Action::WriteDocument,
        client_id,
        data,
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let user = access.user_id();
    let areas = access.areas().to_vec();
    let Some(d) = decided(&mut *conn, id, client_id).await? else {
        return Err(g
            .deny(format!(
                "denied: document {id} is not a decided decision of the client"
            ))
            .await);
    };
    if !areas.contains(&d.area) {
        return Err(g
            .deny(format!(
                "denied: decision {id} is in {}, where the user does not write",
                d.area
            ))
            .await);
    }
    Ok((g, d, user))
}

async fn decided(
    conn: &mut PgConnection,
    id: i64,
    client_id: i64,
) -> Result<Option<Decided>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT d.sub_register_id, d.content, a.decided_at, a.appeal_template_id, a.final_ground
         FROM decision_act a JOIN document d ON d.id = a.document_id
         WHERE a.document_id = $1 AND d.client_id = $2",
    )
    .bind(id)
    .bind(client_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let content: serde_json::Value = r.try_get("content")?;
    let parties = content["parties"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(Decided {
        area: r.try_get("sub_register_id")?,
        parties,
        decided_at: r.try_get("decided_at")?,
        template: r.try_get("appeal_template_id")?,
        final_ground: r.try_get("final_ground")?,
    }))
}

/// Marks a decided decision final (lainvoimainen), a logged act
/// (`WriteDocument`): after the appeal period of every party has passed,
/// or explicitly with a reason when the appeal was waived. Once.
pub async fn mark_final(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    ground: FinalGround,
    reason: &str,
) -> Result<(), GateError> {
    let (mut g, d, user) = enter_decided(
        pool,
        caller,
        settings,
        client_id,
        id,
        &format!("document:{id} final: {}", ground.as_str()),
    )
    .await?;
    if d.final_ground.is_some() {
        return Err(g
            .conflict(format!("conflict: decision {id} is final already"), 0)
            .await);
    }
    let (conn, _) = g.parts();
    let ends: Vec<(i32, NaiveDate)> =
        sqlx::query_as("SELECT party, appeal_ends_on FROM decision_service WHERE document_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let per_party: Vec<Option<NaiveDate>> = (0..d.parties.len())
        .map(|i| {
            ends.iter()
                .find(|(p, _)| usize::try_from(*p).ok() == Some(i))
                .map(|(_, e)| *e)
        })
        .collect();
    let today = kirjo_domain::calendar::helsinki_today();
    match check_final(ground, reason, &per_party, today) {
        Err(p @ FinalProblem::PeriodsRunning) => {
            let last = per_party.iter().flatten().max();
            let last = last.map(|l| format!(" (the last ends on {l})"));
            return Err(g
                .refuse(format!("{}{}", p.explanation(), last.unwrap_or_default()))
                .await);
        }
        Err(p) => return Err(g.refuse(p.explanation()).await),
        Ok(()) => {}
    }
    let (conn, _) = g.parts();
    sqlx::query(
        "UPDATE decision_act SET final_ground = $2, final_reason = nullif(btrim($3), ''), final_by = $4, final_at = now()
         WHERE document_id = $1 AND final_ground IS NULL",
    )
    .bind(id)
    .bind(ground.as_str())
    .bind(reason)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    Ok(g.finish(Pending::new(())).await?)
}

/// A person's names as the national structures and the printout take them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub first_names: String,
    pub surname: String,
}

/// A party on the printout, with its serving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyOut {
    pub party: usize,
    pub name: String,
    /// The method the draft planned (forms::SERVICE_METHOD).
    pub planned_method: String,
    pub method: Option<String>,
    pub sent_on: Option<NaiveDate>,
    pub receipt_on: Option<NaiveDate>,
    pub served_on: Option<NaiveDate>,
    pub appeal_ends_on: Option<NaiveDate>,
}

/// The appeal instructions of the decision's legal basis, in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealOut {
    pub template: String,
    pub means: String,
    pub days: u32,
    pub authority: Languages,
    pub instructions: Languages,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Languages {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl Languages {
    /// The text in `lang`.
    pub fn get(&self, lang: kirjo_domain::contact::Lang) -> String {
        match lang {
            kirjo_domain::contact::Lang::Fi => self.fi.clone(),
            kirjo_domain::contact::Lang::Sv => self.sv.clone(),
            kirjo_domain::contact::Lang::En => self.en.clone(),
        }
    }
}

/// The decision maker on the printout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MakerOut {
    pub user_id: i64,
    pub first_names: String,
    pub surname: String,
    pub title: String,
}

/// Finality on the printout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinalOut {
    pub ground: String,
    pub reason: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A decided decision's printout-ready data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Printout {
    pub document_id: i64,
    pub client: Person,
    /// The client's language of service (`fi`, `sv`, ...), if recorded.
    pub client_service_language: Option<String>,
    pub client_identity_code: Option<String>,
    pub organiser: String,
    pub date: Option<NaiveDate>,
    pub legal_basis: String,
    pub content: serde_json::Value,
    pub drafted_by: Person,
    pub decision_maker: MakerOut,
    pub decided_at: DateTime<Utc>,
    pub decided_on: NaiveDate,
    pub parties: Vec<PartyOut>,
    /// The last day of appeal of the party served last: known once every
    /// party has been served.
    pub appeal_deadline: Option<NaiveDate>,
    pub appeal: AppealOut,
    #[serde(rename = "final")]
    pub final_: Option<FinalOut>,
}

/// A decided decision's printout-ready data (`ViewDocument`, a logged
/// read): its content, the decision maker's names, when it was decided,
/// each party's serving and the appeal instructions of its legal basis.
/// None: no such document of the client; a draft or another kind is
/// refused.
pub async fn printout(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
) -> Result<Option<Printout>, GateError> {
    printout_as(pool, caller, settings, client_id, id, Action::ViewDocument).await
}

/// [`printout`] logged as `action`: `Print` when it is printed on paper
/// or as PDF (a logged use of its own, rule 3).
pub async fn printout_as(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    client_id: i64,
    id: i64,
    action: Action,
) -> Result<Option<Printout>, GateError> {
    let what = if action == Action::Print {
        "decision printed as PDF"
    } else {
        "decision printout"
    };
    let mut g = on_client(
        pool,
        caller,
        settings,
        action,
        client_id,
        &format!("document:{id} {what}"),
        None,
    )
    .await?;
    let (conn, access) = g.parts();
    let areas = access.areas().to_vec();
    let row = sqlx::query(
        "SELECT d.sub_register_id, d.kind, d.state, d.content, d.client_first_names, d.client_surname,
                d.client_identity_code, d.organiser,
                w.first_names AS w_first, w.surname AS w_last,
                a.decided_by, a.decided_at, a.maker_first_names, a.maker_surname, a.maker_title,
                a.appeal_template_id, a.final_ground, a.final_reason, a.final_at, f.name AS final_name,
                (SELECT p.service_language FROM person p WHERE p.id = d.client_id) AS service_language
         FROM document d JOIN staff_user w ON w.id = d.author_id
         LEFT JOIN decision_act a ON a.document_id = d.id
         LEFT JOIN staff_user f ON f.id = a.final_by
         WHERE d.id = $1 AND d.client_id = $2",
    )
    .bind(id)
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(g.finish(Pending::new(None)).await?);
    };
    let area: String = r.try_get("sub_register_id")?;
    if !areas.contains(&area) {
        return Err(g
            .deny(format!(
                "denied: document {id} is in {area}, where the user does not have the client"
            ))
            .await);
    }
    let kind: String = r.try_get("kind")?;
    let decided_by: Option<i64> = r.try_get("decided_by")?;
    let Some(decided_by) = decided_by.filter(|_| kind == "decision") else {
        return Err(g
            .deny(format!("denied: document {id} is not a decided decision"))
            .await);
    };
    let content: serde_json::Value = r.try_get("content")?;
    let template_id: String = r.try_get("appeal_template_id")?;
    let (conn, _) = g.parts();
    let Some(t) = template_by_id(&mut *conn, &template_id).await? else {
        return Err(g
            .deny("denied: the decision's appeal template is gone")
            .await);
    };
    let services = sqlx::query(
        "SELECT party, method, sent_on, receipt_on, served_on, appeal_ends_on
         FROM decision_service WHERE document_id = $1 ORDER BY party",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut parties = Vec::new();
    if let Some(list) = content["parties"].as_array() {
        for (i, p) in list.iter().enumerate() {
            let s = services.iter().find(|s| {
                s.try_get::<i32, _>("party")
                    .ok()
                    .and_then(|v| usize::try_from(v).ok())
                    == Some(i)
            });
            parties.push(PartyOut {
                party: i,
                name: p["name"].as_str().unwrap_or_default().to_owned(),
                planned_method: p["method"].as_str().unwrap_or_default().to_owned(),
                method: s.map(|s| s.try_get("method")).transpose()?,
                sent_on: s.map(|s| s.try_get("sent_on")).transpose()?,
                receipt_on: s.map(|s| s.try_get("receipt_on")).transpose()?.flatten(),
                served_on: s.map(|s| s.try_get("served_on")).transpose()?,
                appeal_ends_on: s.map(|s| s.try_get("appeal_ends_on")).transpose()?,
            });
        }
    }
    let appeal_deadline =
        if !parties.is_empty() && parties.iter().all(|p| p.appeal_ends_on.is_some()) {
            parties.iter().filter_map(|p| p.appeal_ends_on).max()
        } else {
            None
        };
    let decided_at: DateTime<Utc> = r.try_get("decided_at")?;
    let final_ground: Option<String> = r.try_get("final_ground")?;
    let final_ = match final_ground {
        Some(ground) => Some(FinalOut {
            ground,
            reason: r.try_get("final_reason")?,
            by: r
                .try_get::<Option<String>, _>("final_name")?
                .unwrap_or_default(),
            at: r
                .try_get::<Option<DateTime<Utc>>, _>("final_at")?
                .unwrap_or(decided_at),
        }),
        None => None,
    };
    let out = Printout {
        document_id: id,
        client: Person {
            first_names: r.try_get("client_first_names")?,
            surname: r.try_get("client_surname")?,
        },
        client_service_language: r.try_get("service_language")?,
        client_identity_code: r.try_get("client_identity_code")?,
        organiser: r.try_get("organiser")?,
        date: content["date"]
            .as_str()
            .and_then(kirjo_domain::edge::iso_date),
        legal_basis: content["legal_basis"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        drafted_by: Person {
            first_names: r.try_get("w_first")?,
            surname: r.try_get("w_last")?,
        },
        decision_maker: MakerOut {
            user_id: decided_by,
            first_names: r.try_get("maker_first_names")?,
            surname: r.try_get("maker_surname")?,
            title: r.try_get("maker_title")?,
        },
        decided_at,
        decided_on: kirjo_domain::calendar::helsinki(decided_at).date(),
        parties,
        appeal_deadline,
        appeal: AppealOut {
            template: t.id.clone(),
            means: t.means.as_str().to_owned(),
            days: t.days,
            authority: Languages {
                fi: t.authority_fi.clone(),
                sv: t.authority_sv.clone(),
                en: t.authority_en.clone(),
            },
            instructions: Languages {
                fi: t.instructions_fi.clone(),
                sv: t.instructions_sv.clone(),
                en: t.instructions_en.clone(),
            },
        },
        final_,
        content,
    };
    Ok(g.finish(Pending::new(Some(out))).await?)
}

/// The decision maker's names as a decided decision keeps them, for its
/// export: (first names, surname, title).
pub(crate) async fn maker_names(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT maker_first_names, maker_surname, maker_title FROM decision_act WHERE document_id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A decision draft that names the user as its decision maker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Awaiting {
    pub document_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub drafted_by: String,
    pub created_at: DateTime<Utc>,
}

/// [`awaiting`]'s query. Binds: $1 the user. Only clients the user may see
/// in the decision's area.
pub fn awaiting_sql() -> String {
    format!(
        "SELECT d.id, d.client_id, d.client_first_names || ' ' || d.client_surname AS client_name,
                d.author_name, d.created_at
         FROM document d
         WHERE d.kind = 'decision' AND d.state = 'draft' AND d.content->>'decision_maker' = ($1)::text
           AND (d.client_id, d.sub_register_id) IN (SELECT client_id, sub_register_id FROM ({}) v)
         ORDER BY d.created_at, d.id",
        crate::gate::visible_set(1)
    )
}

/// The decision drafts waiting for the user to decide them, oldest first:
/// a logged use like a search.
pub async fn awaiting(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<Awaiting>, GateError> {
    let mut g = crate::gate::enter_general(
        pool,
        caller,
        settings,
        Action::Search,
        "decisions awaiting my decision",
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(&awaiting_sql())
        .bind(access.user_id())
        .fetch_all(&mut *conn)
        .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok::<_, sqlx::Error>(Awaiting {
                document_id: r.try_get("id")?,
                client_id: r.try_get("client_id")?,
                client_name: r.try_get("client_name")?,
                drafted_by: r.try_get("author_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    g.record_shown(&list.iter().map(|a| a.client_id).collect::<Vec<_>>())
        .await?;
    Ok(g.finish(Pending::new(list)).await?)
}
