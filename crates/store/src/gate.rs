//! The one gate: decide, record, do, in one transaction.
//!
//! [`enter`] opens a transaction, loads the facts the decision needs (the
//! actor's roles in force today, the client's relationships and commissions),
//! decides with `kirjo_access`, and writes the use-log row with the decision
//! and its explanation. A denied attempt is committed with its row and
//! returned as [`GateError::Denied`]. An allowed one returns a [`Guarded`]
//! transaction carrying an [`Access`] proof that only this module can make;
//! store functions that touch client data take it. What they read comes back
//! as [`Pending`], which opens only through [`Guarded::finish`], which
//! commits: a response can therefore not carry client data whose use-log row
//! did not commit, and a rolled-back access leaves no row.
//!
//! List queries filter in SQL with [`visible_clients_predicate`], which states
//! the same rules for `ViewBasicData`, or start from [`visible_set`], the same
//! rules as a set of clients; a test compares both with [`enter`]'s decision
//! for every demo user and client.

use crate::audit::{record_use, UseEntry};
use crate::{Result, StoreError};
use kirjo_access::{
    decide_general, decide_on_client, AccessSettings, Action, Actor, ClientFacts, CommissionFact,
    Decision, RelationshipFact, Role, RoleInForce, StatedPurpose,
};
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};

/// Who is asking, from the session: never from the request body.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub request_id: uuid::Uuid,
    pub source_address: Option<String>,
}

/// Why the gate said no, or failed.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error("{explanation}")]
    Denied { explanation: String },
    /// Allowed to try, but what was asked cannot be done as given (a date
    /// in the past, a missing assessment, a combination that cannot be):
    /// logged as a denied attempt, answered 422.
    #[error("{explanation}")]
    Invalid { explanation: String },
    /// Allowed, but made from a stale read: the record has changed since
    /// (revision `current` is stored now). Nothing was written; logged as
    /// a denied attempt, answered 409 (docs/concurrency.md).
    #[error("{explanation}")]
    Conflict { explanation: String, current: i64 },
    /// Allowed, but the act needs a fresh step-up first (a second-factor
    /// code, or the password without one): logged as a denied attempt,
    /// answered 401.
    #[error("{explanation}")]
    StepUp { explanation: String },
    #[error("no such client")]
    NoSuchClient,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for GateError {
    fn from(e: sqlx::Error) -> Self {
        GateError::Store(StoreError::Database(e))
    }
}

// Only this module can make a `Seal`, and so an `Access`.
#[derive(Debug)]
struct Seal;

/// Proof that the gate allowed `action` on `client_id` for `user_id` and
/// that the use-log row is in the same transaction.
#[derive(Debug)]
pub struct Access {
    client_id: Option<i64>,
    user_id: i64,
    action: Action,
    use_log_id: i64,
    decision: Decision,
    /// On a client: the service areas whose data the action reaches.
    areas: Vec<String>,
    /// On a client: the service areas whose documents the user may read.
    document_areas: Vec<String>,
    /// The actor and, on a client, the facts the decision was made from.
    actor: Option<Actor>,
    facts: Option<ClientFacts>,
    _seal: Seal,
}

impl Access {
    pub fn client_id(&self) -> Option<i64> {
        self.client_id
    }
    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn action(&self) -> Action {
        self.action
    }
    pub fn use_log_id(&self) -> i64 {
        self.use_log_id
    }
    pub fn decision(&self) -> &Decision {
        &self.decision
    }
    /// The client's service areas whose data this access reaches: those of
    /// the relationships and commissions that allow it, or, opened with a
    /// stated purpose, the areas that allow access outside a relationship.
    pub fn areas(&self) -> &[String] {
        &self.areas
    }
    /// The client's service areas whose documents the user may read
    /// (`ViewDocument`), whatever the action: for what a page shows beside
    /// its own data, such as a minor's prohibitions on the client card.
    pub fn document_areas(&self) -> &[String] {
        &self.document_areas
    }
    /// The actor as the gate saw them, for the finer decisions a store
    /// function makes with facts of its own (a rights proposal's scope).
    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }
    /// The client's service areas in which the same actor has `action` by
    /// a relationship or a commission (the decision function's
    /// `areas_allowed`), whatever the action of this access: for what a
    /// page shows beside its own data, each data group scoped as its own
    /// action is (a minor's prohibitions on the card, as sensitive data).
    /// Not an access: nothing is logged.
    pub fn areas_of(&self, action: Action) -> Vec<String> {
        match (&self.actor, &self.facts) {
            (Some(actor), Some(facts)) => {
                kirjo_access::areas_allowed(actor, action, facts, &NoOutsideAccess)
            }
            _ => Vec::new(),
        }
    }
    /// Whether the same actor, on the same client, would be allowed
    /// `action` by a relationship or a commission (no stated purpose):
    /// for what a page offers beside its own data, such as recording a
    /// minor's prohibition on the client card. Not an access: nothing is
    /// logged, and the action itself goes through the gate.
    pub fn would_allow(&self, action: Action) -> bool {
        match (&self.actor, &self.facts) {
            (Some(actor), Some(facts)) => {
                decide_on_client(actor, action, facts, None, None, &NoOutsideAccess).allowed
            }
            _ => false,
        }
    }
    /// [`Access::would_allow`] for an action that also needs the user's
    /// stated reason (revealing a protected address): whether it would be
    /// allowed once a reason is given, for a page that offers the form
    /// which asks for one. Not an access: nothing is logged.
    pub fn would_allow_with_reason(&self, action: Action) -> bool {
        match (&self.actor, &self.facts) {
            (Some(actor), Some(facts)) => {
                decide_on_client(
                    actor,
                    action,
                    facts,
                    None,
                    Some("a reason to be given"),
                    &NoOutsideAccess,
                )
                .allowed
            }
            _ => false,
        }
    }
}

/// Settings under which nothing is opened by a stated purpose: what a
/// relationship or a commission alone allows.
struct NoOutsideAccess;
impl AccessSettings for NoOutsideAccess {
    fn outside_access_allowed(&self, _: &str) -> bool {
        false
    }
    fn is_configured_purpose(&self, _: &str) -> bool {
        false
    }
}

/// A value read or written under an [`Access`]; see [`Guarded::finish`].
#[derive(Debug)]
#[must_use = "client data opens only through Guarded::finish, which commits its use-log row"]
pub struct Pending<T>(T);

impl<T> Pending<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }

    /// Two values read under the same access, opened together.
    pub fn both<U>(a: Pending<T>, b: Pending<U>) -> Pending<(T, U)> {
        Pending((a.0, b.0))
    }
}

/// An open transaction with an allowed decision in it.
/// [`Guarded::record_shown`]'s rows. Binds: $1 the list's own row, $2 the
/// clients shown.
pub const SHOWN_SQL: &str =
    "INSERT INTO use_log (request_id, user_id, user_name, register_id, client_id,
                          action, data, purpose, allowed, explanation, source_address)
     SELECT l.request_id, l.user_id, l.user_name, l.register_id, c.id,
            'shown_in_list', l.action || ': ' || l.data, l.purpose, true,
            'shown in a list the user may see', l.source_address
     FROM use_log l CROSS JOIN unnest($2::bigint[]) AS c(id)
     WHERE l.id = $1
     ORDER BY c.id";

pub struct Guarded {
    tx: Transaction<'static, Postgres>,
    pub access: Access,
    /// What a refusal after the decision needs to log itself.
    refusal: Refusal,
}

/// The parts of the request that [`Guarded::deny`] logs again.
struct Refusal {
    pool: PgPool,
    caller: Caller,
    user_name: String,
    register_id: Option<String>,
    data: String,
}

impl Guarded {
    /// The connection, for store functions; they also take `&self.access`.
    pub fn parts(&mut self) -> (&mut PgConnection, &Access) {
        (&mut self.tx, &self.access)
    }

    /// One more use-log row in the same transaction, for the same caller:
    /// the access touched another person too (`client_id`), or a part of
    /// it was refused (`allowed` false) while the rest goes on. Commits or
    /// rolls back with the access.
    pub(crate) async fn record_also(
        &mut self,
        client_id: Option<i64>,
        data: &str,
        allowed: bool,
        explanation: &str,
    ) -> Result<i64> {
        record_use(
            &mut self.tx,
            &UseEntry {
                request_id: Some(self.refusal.caller.request_id),
                user_id: Some(self.refusal.caller.user_id),
                user_name: &self.refusal.user_name,
                register_id: self.refusal.register_id.as_deref(),
                client_id,
                action: self.access.action.as_str(),
                data,
                purpose: None,
                allowed,
                explanation,
                source_address: self.refusal.caller.source_address.as_deref(),
            },
        )
        .await
    }

    /// Commits the access with its use-log row and opens the value.
    pub async fn finish<T>(self, value: Pending<T>) -> Result<T> {
        self.tx.commit().await?;
        Ok(value.0)
    }

    /// Records, for a list of people (a search's results, a caseload, a
    /// deadline list), which clients it showed: one `shown_in_list` row per
    /// client, copied from this access's own row (who, when, why, from
    /// where), in the same transaction, so that each client's log extract
    /// (703/2023 §11) says that their name appeared in this list. The
    /// monitor does not count them as uses of the client's data: the list
    /// itself is the use, flagged as a search is.
    pub async fn record_shown(&mut self, client_ids: &[i64]) -> Result<()> {
        if client_ids.is_empty() {
            return Ok(());
        }
        let mut ids = client_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        sqlx::query(SHOWN_SQL)
            .bind(self.access.use_log_id)
            .bind(&ids)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Commits the access with its use-log row when nothing is written but
    /// the page still shows what was read under it (a form shown again
    /// with its errors, laid out by what the access found).
    pub async fn finish_read_only(self) -> Result<()> {
        self.finish(Pending::new(())).await
    }

    /// Refuses after all: a check that only the store can make (the unit
    /// of a proposal, the scope of a relationship) said no. The allowed row
    /// rolls back with everything else, and the refusal is logged, with its
    /// explanation, in a transaction of its own: a denied attempt is logged
    /// too. Returns the error to answer with.
    pub async fn deny(self, explanation: impl Into<String>) -> GateError {
        match self.log_refusal(explanation.into()).await {
            Ok(explanation) => GateError::Denied { explanation },
            Err(e) => e,
        }
    }

    /// Refuses what was asked as given ([`GateError::Invalid`], a 422):
    /// logged as a denied attempt, exactly as [`Guarded::deny`].
    pub async fn refuse(self, explanation: impl Into<String>) -> GateError {
        match self.log_refusal(explanation.into()).await {
            Ok(explanation) => GateError::Invalid { explanation },
            Err(e) => e,
        }
    }

    /// Refuses an act that needs a fresh step-up ([`GateError::StepUp`],
    /// a 401), logged as [`Guarded::deny`] logs it.
    pub async fn step_up(self, explanation: impl Into<String>) -> GateError {
        match self.log_refusal(explanation.into()).await {
            Ok(explanation) => GateError::StepUp { explanation },
            Err(e) => e,
        }
    }

    /// Refuses an edit made from a stale read ([`GateError::Conflict`], a
    /// 409): nothing is written, and the attempt is logged as
    /// [`Guarded::deny`] logs it.
    pub async fn conflict(self, explanation: impl Into<String>, current: i64) -> GateError {
        match self.log_refusal(explanation.into()).await {
            Ok(explanation) => GateError::Conflict {
                explanation,
                current,
            },
            Err(e) => e,
        }
    }

    pub(crate) async fn log_refusal(
        self,
        explanation: String,
    ) -> std::result::Result<String, GateError> {
        let Guarded {
            tx,
            access,
            refusal,
        } = self;
        tx.rollback().await?;
        let logged = async {
            let mut tx = refusal.pool.begin().await?;
            record_use(
                &mut tx,
                &UseEntry {
                    request_id: Some(refusal.caller.request_id),
                    user_id: Some(refusal.caller.user_id),
                    user_name: &refusal.user_name,
                    register_id: refusal.register_id.as_deref(),
                    client_id: access.client_id,
                    action: access.action.as_str(),
                    data: &refusal.data,
                    purpose: None,
                    allowed: false,
                    explanation: &explanation,
                    source_address: refusal.caller.source_address.as_deref(),
                },
            )
            .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        match logged {
            Ok(()) => Ok(explanation),
            Err(e) => Err(e.into()),
        }
    }
}

/// What the configuration says about access outside relationships.
#[derive(Debug, Clone, Default)]
pub struct GateSettings {
    /// Service areas (sub-register ids) that allow opening a client outside
    /// one's relationships with a stated purpose.
    pub outside_access_areas: Vec<String>,
    /// The configured purposes (ids).
    pub purposes: Vec<String>,
    /// The register new people are added to (the configuration's first).
    pub register_id: String,
}

impl AccessSettings for GateSettings {
    fn outside_access_allowed(&self, service_area: &str) -> bool {
        self.outside_access_areas.iter().any(|a| a == service_area)
    }
    fn is_configured_purpose(&self, purpose_id: &str) -> bool {
        self.purposes.iter().any(|p| p == purpose_id)
    }
}

/// The actor as the gate sees them today (roles in force, commitment,
/// duties) and, when asked, the client (relationships and commissions as
/// seen by that actor, and the register), in one query. The client part is
/// `None` when no client was asked, `Some(None)` when it does not exist.
pub async fn load_facts(
    conn: &mut PgConnection,
    user_id: i64,
    client_id: Option<i64>,
) -> Result<Option<Facts>> {
    let row = sqlx::query(FACTS_SQL)
        .bind(user_id)
        .bind(client_id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Ok(None),
        Some(row) => decode_facts(&row, user_id, client_id).map(Some),
    }
}

/// The user's own facts, as [`FACTS_SQL`] selects them (over `staff_user
/// u` and `d.today`): the columns, then the join of the grants in force.
/// Written once for it and for the session's statement
/// ([`crate::staff::resolve_session`]), which reads them with the session.
macro_rules! actor_columns {
    () => {
        "u.name, u.provider_id, u.password_change_required,
                (u.duties_ended_at IS NOT NULL AND u.duties_ended_at <= now()) AS ended,
                EXISTS (SELECT 1 FROM commitment_acceptance a
                        WHERE a.user_id = u.id
                          AND a.version = (SELECT max(version) FROM user_commitment)) AS accepted,
                g.ids AS grant_ids, g.roles AS grant_roles, g.units AS grant_units, g.areas AS grant_areas"
    };
}
macro_rules! actor_grants {
    () => {
        "LEFT JOIN LATERAL (
             SELECT array_agg(g.id) AS ids, array_agg(g.role) AS roles,
                    array_agg(g.unit_id) AS units, array_agg(g.sub_register_id) AS areas
             FROM (SELECT g.id, g.role, g.unit_id, g.sub_register_id FROM role_grant g
                   WHERE g.user_id = u.id AND g.ended_at IS NULL AND g.valid_from <= d.today
                     AND (g.valid_until IS NULL OR d.today <= g.valid_until)
                   ORDER BY g.id) g) g ON true"
    };
}
pub(crate) use actor_columns;
pub(crate) use actor_grants;

/// The facts query: arrays rather than JSON, cheaper to build and to decode.
/// Binds: $1 the user, $2 the client (or NULL). Public for the plan guard
/// (`crates/kirjo/tests/plan_guard.rs`), which explains this very text.
pub const FACTS_SQL: &str = concat!(
    "SELECT ",
    actor_columns!(),
    ",
                p.register_id AS client_register,
                r.ids AS rel_ids, r.units AS rel_units, r.areas AS rel_areas, r.active AS rel_active,
                r.responsible AS rel_responsible, r.on_team AS rel_on_team,
                c.ids AS com_ids, c.providers AS com_providers, c.areas AS com_areas, c.active AS com_active
         FROM staff_user u
         CROSS JOIN (SELECT kirjo_today() AS today) d
         LEFT JOIN person p ON p.id = $2
         ",
    actor_grants!(),
    "
         LEFT JOIN LATERAL (
             SELECT array_agg(x.id) AS ids, array_agg(x.unit_id) AS units,
                    array_agg(x.sub_register_id) AS areas, array_agg(x.active) AS active,
                    array_agg(x.responsible) AS responsible, array_agg(x.on_team) AS on_team
             FROM (SELECT r.id, r.unit_id, r.sub_register_id,
                          (r.started_on <= d.today AND (r.ended_on IS NULL OR d.today <= r.ended_on)) AS active,
                          r.responsible_worker_id = u.id AS responsible,
                          EXISTS (SELECT 1 FROM relationship_team_member t
                                  WHERE t.relationship_id = r.id AND t.user_id = u.id
                                    AND t.valid_from <= d.today
                                    AND (t.valid_until IS NULL OR d.today <= t.valid_until)) AS on_team
                   FROM client_relationship r WHERE r.client_id = p.id ORDER BY r.id) x) r ON true
         LEFT JOIN LATERAL (
             SELECT array_agg(c.id) AS ids, array_agg(c.provider_id) AS providers,
                    array_agg(c.sub_register_id) AS areas, array_agg(c.active) AS active
             FROM (SELECT c.id, c.provider_id, c.sub_register_id,
                          (c.valid_from <= d.today AND (c.valid_until IS NULL OR d.today <= c.valid_until)) AS active
                   FROM commission c WHERE c.client_id = p.id ORDER BY c.id) c) c ON true
         WHERE u.id = $1"
);

type Facts = (Actor, Option<Option<(ClientFacts, String)>>);

/// The user's own facts from a row with [`actor_columns`].
pub(crate) fn decode_actor(row: &sqlx::postgres::PgRow, user_id: i64) -> Result<Actor> {
    Ok(decode_facts(row, user_id, None)?.0)
}

fn decode_facts(
    row: &sqlx::postgres::PgRow,
    user_id: i64,
    client_id: Option<i64>,
) -> Result<Facts> {
    // array_agg over no rows is NULL: read those as empty.
    fn list<T>(row: &sqlx::postgres::PgRow, col: &str) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
        Vec<T>: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    {
        Ok(row.try_get::<Option<Vec<T>>, _>(col)?.unwrap_or_default())
    }
    let ended: bool = row.try_get("ended")?;
    let roles = if ended {
        Vec::new()
    } else {
        let ids: Vec<i64> = list(row, "grant_ids")?;
        let names: Vec<String> = list(row, "grant_roles")?;
        let units: Vec<String> = list(row, "grant_units")?;
        let areas: Vec<Option<String>> = list(row, "grant_areas")?;
        ids.into_iter()
            .zip(names)
            .zip(units)
            .zip(areas)
            .filter_map(|(((grant_id, role), unit), service_area)| {
                Role::parse(&role).map(|role| RoleInForce {
                    grant_id,
                    role,
                    unit,
                    service_area,
                })
            })
            .collect()
    };
    let actor = Actor {
        user_id,
        name: row.try_get("name")?,
        roles,
        provider: row.try_get("provider_id")?,
        commitment_accepted: row.try_get("accepted")?,
        duties_ended: ended,
        password_change_required: row.try_get("password_change_required")?,
    };
    let client = match client_id {
        None => None,
        Some(client_id) => match row.try_get::<Option<String>, _>("client_register")? {
            None => Some(None),
            Some(register_id) => {
                let ids: Vec<i64> = list(row, "rel_ids")?;
                let units: Vec<String> = list(row, "rel_units")?;
                let areas: Vec<String> = list(row, "rel_areas")?;
                let active: Vec<bool> = list(row, "rel_active")?;
                let responsible: Vec<bool> = list(row, "rel_responsible")?;
                let on_team: Vec<bool> = list(row, "rel_on_team")?;
                let relationships = ids
                    .into_iter()
                    .zip(units)
                    .zip(areas)
                    .zip(active)
                    .zip(responsible)
                    .zip(on_team)
                    .map(
                        |(((((id, unit), service_area), active), responsible), on_team)| {
                            RelationshipFact {
                                id,
                                unit,
                                service_area,
                                active,
                                actor_responsible: responsible,
                                actor_on_team: on_team,
                            }
                        },
                    )
                    .collect();
                let cids: Vec<i64> = list(row, "com_ids")?;
                let providers: Vec<String> = list(row, "com_providers")?;
                let careas: Vec<String> = list(row, "com_areas")?;
                let cactive: Vec<bool> = list(row, "com_active")?;
                let commissions = cids
                    .into_iter()
                    .zip(providers)
                    .zip(careas)
                    .zip(cactive)
                    .map(|(((id, provider), service_area), active)| CommissionFact {
                        id,
                        provider,
                        service_area,
                        active,
                    })
                    .collect();
                Some(Some((
                    ClientFacts {
                        client_id,
                        relationships,
                        commissions,
                    },
                    register_id,
                )))
            }
        },
    };
    Ok((actor, client))
}

/// What is being asked.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub action: Action,
    /// The client, for actions on a client.
    pub client_id: Option<i64>,
    /// What data, for the use log: `basic_data`, `document:42`, `search`, ...
    pub data: &'a str,
    /// A purpose stated for access outside a relationship.
    pub purpose: Option<&'a StatedPurpose>,
    /// The user's reason, where the action needs one (revealing a protected
    /// address): kept in the use log as the purpose.
    pub reason: Option<&'a str>,
}

/// Decides, records, and on allow returns the open transaction with proof.
pub async fn enter(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    request: &Request<'_>,
) -> std::result::Result<Guarded, GateError> {
    let mut tx = pool.begin().await?;
    let facts = load_facts(&mut tx, caller.user_id, request.client_id).await?;
    let (actor, mut client) = match facts {
        Some((actor, client)) => (Some(actor), client),
        None => (None, None),
    };
    let mut areas: Vec<String> = Vec::new();
    let mut document_areas: Vec<String> = Vec::new();
    let mut decided_on: Option<ClientFacts> = None;
    let (decision, register_id, actor_name) = match &actor {
        None => (
            Decision {
                allowed: false,
                rule: kirjo_access::Rule::NoMatchingRight,
                explanation: "denied: no such user".to_owned(),
                flag_for_review: false,
                service_area: None,
            },
            None,
            String::from("(unknown)"),
        ),
        Some(actor) => match request.client_id {
            Some(_) => {
                let Some((facts, register_id)) = client.take().flatten() else {
                    // Record the attempt on a client that does not exist too.
                    let d = decide_general(actor, request.action);
                    let explanation = if d.allowed {
                        "no such client".to_owned()
                    } else {
                        d.explanation
                    };
                    record(
                        &mut tx,
                        caller,
                        &actor.name,
                        None,
                        request,
                        false,
                        &explanation,
                        None,
                    )
                    .await?;
                    tx.commit().await?;
                    return Err(GateError::NoSuchClient);
                };
                let d = decide_on_client(
                    actor,
                    request.action,
                    &facts,
                    request.purpose,
                    request.reason,
                    settings,
                );
                if d.allowed {
                    let of = |action| {
                        if d.rule == kirjo_access::Rule::StatedPurpose {
                            settings.outside_access_areas.clone()
                        } else {
                            kirjo_access::areas_allowed(actor, action, &facts, settings)
                        }
                    };
                    areas = of(request.action);
                    document_areas = if request.action == Action::ViewDocument {
                        areas.clone()
                    } else {
                        of(Action::ViewDocument)
                    };
                }
                decided_on = Some(facts);
                (d, Some(register_id), actor.name.clone())
            }
            None => (
                match (request.action, request.purpose) {
                    (Action::Search, Some(p)) => {
                        kirjo_access::decide_purpose_search(actor, p, settings)
                    }
                    _ => decide_general(actor, request.action),
                },
                None,
                actor.name.clone(),
            ),
        },
    };
    let purpose = match (
        request.reason.map(str::trim).filter(|r| !r.is_empty()),
        request.purpose,
        &decision,
    ) {
        (Some(reason), _, _) => reason.to_owned(),
        (None, Some(p), d) if d.flag_for_review => format!("{}: {}", p.purpose_id, p.text),
        (None, _, d) => match &d.service_area {
            Some(area) => format!("client work in {area}"),
            None => request.action.as_str().to_owned(),
        },
    };
    let use_log_id = record(
        &mut tx,
        caller,
        &actor_name,
        register_id.as_deref(),
        request,
        decision.allowed,
        &decision.explanation,
        Some(&purpose),
    )
    .await?;
    if !decision.allowed {
        tx.commit().await?;
        return Err(GateError::Denied {
            explanation: decision.explanation,
        });
    }
    if decision.flag_for_review {
        sqlx::query(
            "INSERT INTO access_flag (use_log_id, kind, client_id, user_id, unit_id)
             VALUES ($1, 'outside_relationship', $2, $3,
                     (SELECT unit_id FROM role_grant WHERE user_id = $3 AND sub_register_id = $4
                      ORDER BY id LIMIT 1))",
        )
        .bind(use_log_id)
        .bind(request.client_id)
        .bind(caller.user_id)
        .bind(&decision.service_area)
        .execute(&mut *tx)
        .await?;
    }
    Ok(Guarded {
        tx,
        refusal: Refusal {
            pool: pool.clone(),
            caller: caller.clone(),
            user_name: actor_name,
            register_id,
            data: request.data.to_owned(),
        },
        access: Access {
            client_id: request.client_id,
            user_id: caller.user_id,
            action: request.action,
            use_log_id,
            decision,
            areas,
            document_areas,
            actor,
            facts: decided_on,
            _seal: Seal,
        },
    })
}

/// [`enter`] for an action on one client, with a stated purpose where the
/// user opens the client outside their relationships.
pub async fn enter_on_client(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    action: Action,
    client_id: i64,
    data: &str,
    purpose: Option<&StatedPurpose>,
) -> std::result::Result<Guarded, GateError> {
    enter(
        pool,
        caller,
        settings,
        &Request {
            action,
            client_id: Some(client_id),
            data,
            purpose,
            reason: None,
        },
    )
    .await
}

/// [`enter`] for an action that is not on one client (search,
/// administration, monitoring).
pub async fn enter_general(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    action: Action,
    data: &str,
) -> std::result::Result<Guarded, GateError> {
    enter(
        pool,
        caller,
        settings,
        &Request {
            action,
            client_id: None,
            data,
            purpose: None,
            reason: None,
        },
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    user_name: &str,
    register_id: Option<&str>,
    request: &Request<'_>,
    allowed: bool,
    explanation: &str,
    purpose: Option<&str>,
) -> Result<i64> {
    record_use(
        conn,
        &UseEntry {
            request_id: Some(caller.request_id),
            user_id: Some(caller.user_id),
            user_name,
            register_id,
            client_id: request.client_id,
            action: request.action.as_str(),
            data: request.data,
            purpose,
            allowed,
            explanation,
            source_address: caller.source_address.as_deref(),
        },
    )
    .await
}

/// The SQL form of the `ViewBasicData` rules: true for a person `p` that
/// user `$n` may see. `n` is the bind position of the user id. Known
/// exception to per-client queries: this runs across clients by design.
pub fn visible_clients_predicate(n: usize) -> String {
    visible_clients_in(n, None)
}

/// [`visible_clients_predicate`] limited to the service area given by the
/// SQL expression `area`: the relationship or commission that lets the
/// user see the client must be in that area, as [`crate::gate`] decides
/// each area separately for documents.
pub fn visible_clients_in_area_predicate(n: usize, area: &str) -> String {
    visible_clients_in(n, Some(area))
}

fn visible_clients_in(n: usize, area: Option<&str>) -> String {
    let today = "kirjo_today()";
    let (r_area, c_area) = match area {
        Some(a) => (
            format!("AND r.sub_register_id = {a}"),
            format!("AND c.sub_register_id = {a}"),
        ),
        None => (String::new(), String::new()),
    };
    let in_force = |a: &str| {
        format!(
            "{a}.valid_from <= {today} AND ({a}.valid_until IS NULL OR {today} <= {a}.valid_until)"
        )
    };
    format!(
        "(EXISTS (SELECT 1 FROM staff_user u
                  WHERE u.id = ${n} AND (u.duties_ended_at IS NULL OR u.duties_ended_at > now())
                    AND NOT u.password_change_required
                    AND EXISTS (SELECT 1 FROM commitment_acceptance a WHERE a.user_id = u.id
                                AND a.version = (SELECT max(version) FROM user_commitment)))
          AND (EXISTS (SELECT 1 FROM client_relationship r
                       JOIN role_grant g ON g.unit_id = r.unit_id AND g.sub_register_id = r.sub_register_id
                       WHERE r.client_id = p.id {r_area}
                         AND r.started_on <= {today} AND (r.ended_on IS NULL OR {today} <= r.ended_on)
                         AND g.user_id = ${n} AND g.ended_at IS NULL AND {g}
                         AND (g.role IN ('unit_supervisor', 'registry_clerk')
                              OR (g.role = 'client_worker'
                                  AND (r.responsible_worker_id = ${n}
                                       OR EXISTS (SELECT 1 FROM relationship_team_member t
                                                  WHERE t.relationship_id = r.id AND t.user_id = ${n}
                                                    AND {t})))))
               OR EXISTS (SELECT 1 FROM commission c
                          JOIN staff_user cu ON cu.id = ${n} AND cu.provider_id = c.provider_id
                          JOIN role_grant g ON g.user_id = ${n} AND g.role = 'provider_worker'
                                           AND g.sub_register_id = c.sub_register_id
                                           AND g.ended_at IS NULL AND {g}
                          WHERE c.client_id = p.id {c_area} AND {c})))",
        g = in_force("g"),
        t = in_force("t"),
        c = in_force("c"),
    )
}

/// The same rules as [`visible_clients_in_area_predicate`], as a set: a
/// `SELECT client_id, sub_register_id` of every client user `$n` may see,
/// with each service area that lets them. List queries start from it
/// rather than testing every person of the county: a worker's set is found
/// through their own relationships (by responsible worker and team), a
/// supervisor's and a clerk's through their unit's, a provider worker's
/// through their provider's commissions, each by an index. A worker's
/// relationships are read twice over, as the responsible worker and as a
/// team member, each by its own index: written as one "responsible OR on
/// the team", neither index could be used and the unit's every
/// relationship was read. A client may so come more than once; every user
/// of the set takes it as a set. A test keeps it equal to the predicate
/// for every demo user; `crates/kirjo/tests/plan_guard.rs` keeps its plan
/// on the indexes.
pub fn visible_set(n: usize) -> String {
    let today = "kirjo_today()";
    let in_force = |a: &str| {
        format!(
            "{a}.valid_from <= {today} AND ({a}.valid_until IS NULL OR {today} <= {a}.valid_until)"
        )
    };
    let r_in_force =
        format!("r.started_on <= {today} AND (r.ended_on IS NULL OR {today} <= r.ended_on)");
    let g = in_force("g");
    let t = in_force("t");
    let c = in_force("c");
    let worker_grant = format!(
        "EXISTS (SELECT 1 FROM role_grant g
                 WHERE g.user_id = ${n} AND g.role = 'client_worker'
                   AND g.unit_id = r.unit_id AND g.sub_register_id = r.sub_register_id
                   AND g.ended_at IS NULL AND {g})"
    );
    format!(
        "SELECT v.client_id, v.sub_register_id FROM (
             SELECT r.client_id, r.sub_register_id
             FROM role_grant g
             JOIN client_relationship r ON r.unit_id = g.unit_id AND r.sub_register_id = g.sub_register_id
             WHERE g.user_id = ${n} AND g.ended_at IS NULL AND {g}
               AND g.role IN ('unit_supervisor', 'registry_clerk') AND {r_in_force}
             UNION ALL
             SELECT r.client_id, r.sub_register_id
             FROM client_relationship r
             WHERE r.responsible_worker_id = ${n} AND {r_in_force} AND {worker_grant}
             UNION ALL
             SELECT r.client_id, r.sub_register_id
             FROM relationship_team_member t
             JOIN client_relationship r ON r.id = t.relationship_id
             WHERE t.user_id = ${n} AND {t} AND {r_in_force} AND {worker_grant}
             UNION ALL
             SELECT c.client_id, c.sub_register_id
             FROM staff_user cu
             JOIN commission c ON c.provider_id = cu.provider_id
             JOIN role_grant g ON g.user_id = ${n} AND g.role = 'provider_worker'
                              AND g.sub_register_id = c.sub_register_id
                              AND g.ended_at IS NULL AND {g}
             WHERE cu.id = ${n} AND {c}
         ) v
         WHERE EXISTS (SELECT 1 FROM staff_user u
                       WHERE u.id = ${n} AND (u.duties_ended_at IS NULL OR u.duties_ended_at > now())
                         AND NOT u.password_change_required
                         AND EXISTS (SELECT 1 FROM commitment_acceptance a WHERE a.user_id = u.id
                                     AND a.version = (SELECT max(version) FROM user_commitment)))"
    )
}

/// Records a use that needs no client decision but must be in the log
/// (sign-in, sign-out, failed sign-in), in its own transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    pool: &PgPool,
    request_id: uuid::Uuid,
    user_id: Option<i64>,
    user_name: &str,
    action: &str,
    allowed: bool,
    explanation: &str,
    source_address: Option<&str>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    record_use(
        &mut tx,
        &UseEntry {
            request_id: Some(request_id),
            user_id,
            user_name,
            register_id: None,
            client_id: None,
            action,
            data: "session",
            purpose: None,
            allowed,
            explanation,
            source_address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The one rule that every attempt leaves a row, for requests refused
/// before the gate or around it (a body, query or path that does not parse,
/// a refused character, an unknown id, a wrong content type): unless a row
/// of this request is already in the use log, writes a denied row for the
/// signed-in `user_id`, with the client id the address named, if any. The
/// explanation says why in general terms; it never quotes the input.
/// Returns whether a row was written.
#[allow(clippy::too_many_arguments)]
pub async fn record_refused_request(
    pool: &PgPool,
    request_id: uuid::Uuid,
    user_id: i64,
    client_id: Option<i64>,
    action: &str,
    data: &str,
    explanation: &str,
    source_address: Option<&str>,
) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let (logged, user_name): (bool, Option<String>) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM use_log WHERE user_id = $1 AND request_id = $2
                           AND logged_at > now() - interval '1 hour'),
                (SELECT name FROM staff_user WHERE id = $1)",
    )
    .bind(user_id)
    .bind(request_id)
    .fetch_one(&mut *tx)
    .await?;
    if logged {
        return Ok(false);
    }
    record_use(
        &mut tx,
        &UseEntry {
            request_id: Some(request_id),
            user_id: Some(user_id),
            user_name: user_name.as_deref().unwrap_or("(unknown)"),
            register_id: None,
            client_id,
            action,
            data,
            purpose: None,
            allowed: false,
            explanation,
            source_address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
