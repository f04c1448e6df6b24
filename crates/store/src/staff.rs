//! Staff, rights and sessions.
//!
//! Rights change only by a proposal that a main administrator approves
//! (rule 2): a unit supervisor's, within their unit's service areas, or for
//! an organisation-wide role another main administrator's. Both steps, with
//! who, when and why, are kept. A user whose duties end loses every right and session at once.

use crate::gate::{enter_general, Caller, GateError, GateSettings};
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use kirjo_access::{decide_approval, decide_proposal, Action, ApprovalFacts, ProposalScope, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Row};

/// The kinds of proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    Grant,
    Change,
    Remove,
}

impl ProposalKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Grant => "grant",
            Self::Change => "change",
            Self::Remove => "remove",
        }
    }
}

/// A supervisor's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub kind: ProposalKind,
    pub user_id: i64,
    pub role: Role,
    pub unit: String,
    pub service_area: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// For change and remove.
    pub target_grant_id: Option<i64>,
    pub reason: String,
}

/// Errors that are the caller's to fix.
fn invalid(msg: impl Into<String>) -> GateError {
    GateError::Store(crate::StoreError::Setup(msg.into()))
}

/// The actor the gate saw; an allowed access always carries one.
fn actor_of(g: &crate::gate::Guarded) -> std::result::Result<kirjo_access::Actor, GateError> {
    g.access
        .actor()
        .cloned()
        .ok_or_else(|| invalid("the gate allowed without an actor"))
}

/// What a proposal asks that cannot be, whoever asks: a problem of the
/// input itself, before anything is looked up.
fn impossible(p: &Proposal) -> Option<String> {
    if p.reason.trim().is_empty() {
        return Some("a proposal needs a reason".to_owned());
    }
    if p.role.needs_service_area() != p.service_area.is_some() {
        return Some(format!(
            "role {} {} a service area",
            p.role,
            if p.role.needs_service_area() {
                "needs"
            } else {
                "takes no"
            }
        ));
    }
    if (p.kind == ProposalKind::Grant) != p.target_grant_id.is_none() {
        return Some("change and remove name the grant; grant names none".to_owned());
    }
    if p.valid_until.is_some_and(|u| u < p.valid_from) {
        return Some("valid_until is before valid_from".to_owned());
    }
    None
}

/// Proposes to grant, change or remove a right. A unit supervisor proposes
/// roles of their own unit in its service areas (those where they are its
/// supervisor); organisation-wide roles (the main administrator, the data
/// protection officer: every role without a service area) only a main
/// administrator proposes, and another one approves. No one proposes for
/// themselves. A change or removal is decided on the grant it ends as well.
///
/// Refused outside the proposer's scope with [`GateError::Denied`] (403),
/// and as [`GateError::Invalid`] (422) where the proposal cannot be (no
/// reason, a service area where the role takes none, a provider's role in
/// the controller's own unit or the other way round, an unknown unit, area
/// or user); each refusal leaves its denied row in the use log.
pub async fn propose(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    p: &Proposal,
) -> std::result::Result<i64, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ProposeRights,
        &format!(
            "rights proposal: {} {} for user {} in unit {}{}",
            p.kind.as_str(),
            p.role,
            p.user_id,
            p.unit,
            p.service_area
                .as_deref()
                .map_or(String::new(), |a| format!(", service area {a}"))
        ),
    )
    .await?;
    let actor = actor_of(&g)?;
    let scope = ProposalScope {
        user_id: p.user_id,
        role: p.role,
        unit: p.unit.clone(),
        service_area: p.service_area.clone(),
    };
    let d = decide_proposal(&actor, &scope);
    if !d.allowed {
        return Err(g.deny(d.explanation).await);
    }
    if let Some(why) = impossible(p) {
        return Err(g.refuse(format!("refused: {why}")).await);
    }
    // A change or removal ends a grant: one of that user's, open, and
    // within the proposer's scope too; a removal names it as it is.
    if let Some(target) = p.target_grant_id {
        let (conn, _) = g.parts();
        let grant: Option<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT role, unit_id, sub_register_id FROM role_grant
             WHERE id = $1 AND user_id = $2 AND ended_at IS NULL",
        )
        .bind(target)
        .bind(p.user_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((role, unit, service_area)) = grant else {
            return Err(g
                .refuse(format!(
                    "refused: grant {target} is not an open grant of user {}",
                    p.user_id
                ))
                .await);
        };
        let Some(role) = Role::parse(&role) else {
            return Err(g
                .refuse(format!("refused: grant {target} has no known role"))
                .await);
        };
        let ends = ProposalScope {
            user_id: p.user_id,
            role,
            unit,
            service_area,
        };
        let d = decide_proposal(&actor, &ends);
        if !d.allowed {
            return Err(g
                .deny(format!(
                    "{} (the grant {target} that it ends)",
                    d.explanation
                ))
                .await);
        }
        if p.kind == ProposalKind::Remove && ends != scope {
            return Err(g
                .refuse(format!(
                    "refused: a removal names grant {target} as it is ({} in unit {})",
                    ends.role, ends.unit
                ))
                .await);
        }
    }
    // The unit, service area and user exist, and a provider's role goes
    // with a provider's unit and its own staff, the controller's roles with
    // the controller's units and staff.
    let (conn, _) = g.parts();
    let facts: (bool, Option<String>, bool, bool, Option<String>) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM unit WHERE id = $1),
                (SELECT provider_id FROM unit WHERE id = $1),
                $2::text IS NULL OR EXISTS (SELECT 1 FROM sub_register WHERE id = $2),
                EXISTS (SELECT 1 FROM staff_user WHERE id = $3),
                (SELECT provider_id FROM staff_user WHERE id = $3)",
    )
    .bind(&p.unit)
    .bind(&p.service_area)
    .bind(p.user_id)
    .fetch_one(&mut *conn)
    .await?;
    let (unit_exists, unit_provider, area_exists, user_exists, user_provider) = facts;
    let problem = if !unit_exists {
        Some(format!("there is no unit {}", p.unit))
    } else if !area_exists {
        Some(format!(
            "there is no service area {}",
            p.service_area.as_deref().unwrap_or_default()
        ))
    } else if !user_exists {
        Some(format!("there is no user {}", p.user_id))
    } else if (p.role == Role::ProviderWorker) != unit_provider.is_some() {
        Some(format!(
            "role {} {} a unit of an outsourced provider, and unit {} {}",
            p.role,
            if p.role == Role::ProviderWorker {
                "needs"
            } else {
                "is not for"
            },
            p.unit,
            if unit_provider.is_some() {
                "is one"
            } else {
                "is the controller's own"
            }
        ))
    } else if user_provider != unit_provider {
        Some(format!(
            "user {} {} and unit {} {}: a provider's staff have roles only in their provider's units, the controller's staff only in the controller's",
            p.user_id,
            user_provider
                .as_deref()
                .map_or("is the controller's".to_owned(), |x| format!("works for provider {x}")),
            p.unit,
            unit_provider
                .as_deref()
                .map_or("is the controller's".to_owned(), |x| format!("is provider {x}'s")),
        ))
    } else {
        None
    };
    if let Some(why) = problem {
        return Err(g.refuse(format!("refused: {why}")).await);
    }
    let (conn, _) = g.parts();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO rights_proposal (kind, user_id, role, unit_id, sub_register_id, valid_from,
                                      valid_until, target_grant_id, reason, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(p.kind.as_str())
    .bind(p.user_id)
    .bind(p.role.as_str())
    .bind(&p.unit)
    .bind(&p.service_area)
    .bind(p.valid_from)
    .bind(p.valid_until)
    .bind(p.target_grant_id)
    .bind(p.reason.trim())
    .bind(caller.user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(g.finish(crate::gate::Pending::new(id)).await?)
}

/// A main administrator approves or rejects: never their own proposal,
/// never one about their own rights, and an organisation-wide role only on
/// another main administrator's proposal (two of them agree). Approval
/// takes effect in the same transaction. Refusals are logged: 403 for who
/// decides, 422 for a proposal that does not exist or is already decided.
pub async fn decide(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    proposal_id: i64,
    approve: bool,
    reason: &str,
) -> std::result::Result<Option<i64>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ApproveRights,
        &format!("rights proposal {proposal_id}"),
    )
    .await?;
    if reason.trim().is_empty() {
        return Err(g.refuse("refused: a decision needs a reason").await);
    }
    let row = {
        let (conn, _) = g.parts();
        sqlx::query(
            "SELECT p.kind, p.user_id, p.role, p.unit_id, p.sub_register_id, p.valid_from, p.valid_until,
                    p.target_grant_id, p.proposed_by, d.proposal_id IS NOT NULL AS decided,
                    (SELECT t.role FROM role_grant t WHERE t.id = p.target_grant_id) AS target_role,
                    EXISTS (SELECT 1 FROM role_grant a
                            WHERE a.user_id = p.proposed_by AND a.role = 'main_administrator'
                              AND a.ended_at IS NULL AND a.valid_from <= kirjo_today()
                              AND (a.valid_until IS NULL OR kirjo_today() <= a.valid_until))
                        AS by_administrator
             FROM rights_proposal p LEFT JOIN rights_decision d ON d.proposal_id = p.id
             WHERE p.id = $1",
        )
        .bind(proposal_id)
        .fetch_optional(&mut *conn)
        .await?
    };
    let Some(p) = row else {
        return Err(g
            .refuse(format!("refused: no proposal {proposal_id}"))
            .await);
    };
    if p.try_get::<bool, _>("decided")? {
        return Err(g
            .refuse(format!(
                "refused: proposal {proposal_id} is already decided"
            ))
            .await);
    }
    let roles: Vec<Role> = [
        Some(p.try_get::<String, _>("role")?),
        p.try_get::<Option<String>, _>("target_role")?,
    ]
    .into_iter()
    .flatten()
    .filter_map(|r| Role::parse(&r))
    .collect();
    let facts = ApprovalFacts {
        proposed_by: p.try_get("proposed_by")?,
        proposer_is_main_administrator: p.try_get("by_administrator")?,
        user_id: p.try_get("user_id")?,
        roles,
    };
    let d = decide_approval(&actor_of(&g)?, &facts, approve);
    if !d.allowed {
        return Err(g.deny(d.explanation).await);
    }
    let (conn, _) = g.parts();
    // The primary key makes a concurrent second decision fail here.
    let inserted = sqlx::query(
        "INSERT INTO rights_decision (proposal_id, approved, reason, decided_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(proposal_id)
    .bind(approve)
    .bind(reason.trim())
    .bind(caller.user_id)
    .execute(&mut *conn)
    .await;
    if let Err(sqlx::Error::Database(d)) = &inserted {
        if d.code().as_deref() == Some("23505") {
            return Err(g
                .refuse(format!(
                    "refused: proposal {proposal_id} is already decided"
                ))
                .await);
        }
    }
    inserted?;
    let mut new_grant = None;
    if approve {
        let kind: String = p.try_get("kind")?;
        if kind == "change" || kind == "remove" {
            sqlx::query("UPDATE role_grant SET ended_at = now(), ended_by_proposal_id = $2 WHERE id = $1 AND ended_at IS NULL")
                .bind(p.try_get::<Option<i64>, _>("target_grant_id")?)
                .bind(proposal_id)
                .execute(&mut *conn)
                .await?;
        }
        if kind == "grant" || kind == "change" {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO role_grant (user_id, role, unit_id, sub_register_id, valid_from, valid_until, proposal_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(p.try_get::<i64, _>("user_id")?)
            .bind(p.try_get::<String, _>("role")?)
            .bind(p.try_get::<String, _>("unit_id")?)
            .bind(p.try_get::<Option<String>, _>("sub_register_id")?)
            .bind(p.try_get::<NaiveDate, _>("valid_from")?)
            .bind(p.try_get::<Option<NaiveDate>, _>("valid_until")?)
            .bind(proposal_id)
            .fetch_one(&mut *conn)
            .await?;
            new_grant = Some(id);
        }
    }
    Ok(g.finish(crate::gate::Pending::new(new_grant)).await?)
}

/// A proposal with its decision, for listing.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalRow {
    pub id: i64,
    pub kind: String,
    pub user_id: i64,
    pub role: String,
    pub unit: String,
    pub service_area: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub reason: String,
    pub proposed_by: i64,
    pub proposed_at: DateTime<Utc>,
    pub approved: Option<bool>,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
}

pub async fn proposals(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> std::result::Result<Vec<ProposalRow>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ViewRights,
        "rights proposals",
    )
    .await?;
    let (conn, _) = g.parts();
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.user_id, p.role, p.unit_id, p.sub_register_id, p.valid_from, p.valid_until,
                p.reason, p.proposed_by, p.proposed_at, d.approved, d.decided_by, d.reason AS decision_reason
         FROM rights_proposal p LEFT JOIN rights_decision d ON d.proposal_id = p.id
         ORDER BY p.id DESC LIMIT 500",
    )
    .fetch_all(conn)
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(ProposalRow {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                user_id: r.try_get("user_id")?,
                role: r.try_get("role")?,
                unit: r.try_get("unit_id")?,
                service_area: r.try_get("sub_register_id")?,
                valid_from: r.try_get("valid_from")?,
                valid_until: r.try_get("valid_until")?,
                reason: r.try_get("reason")?,
                proposed_by: r.try_get("proposed_by")?,
                proposed_at: r.try_get("proposed_at")?,
                approved: r.try_get("approved")?,
                decided_by: r.try_get("decided_by")?,
                decision_reason: r.try_get("decision_reason")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(crate::gate::Pending::new(list)).await?)
}

/// The current user commitment (käyttäjäsitoumus), if any is published.
pub async fn current_commitment(pool: &PgPool) -> Result<Option<(i32, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT version, text_fi, text_sv, text_en FROM user_commitment ORDER BY version DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?)
}

/// Accepts the given version, which must be the current one.
pub async fn accept_commitment(pool: &PgPool, user_id: i64, version: i32) -> Result<bool> {
    let current: Option<i32> = sqlx::query_scalar("SELECT max(version) FROM user_commitment")
        .fetch_one(pool)
        .await?;
    if current != Some(version) {
        return Ok(false);
    }
    sqlx::query("INSERT INTO commitment_acceptance (user_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(version)
        .execute(pool)
        .await?;
    Ok(true)
}

/// Publishes a commitment version (owner role, at start or by an operator).
pub async fn publish_commitment(
    owner: &PgPool,
    version: i32,
    fi: &str,
    sv: &str,
    en: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_commitment (version, text_fi, text_sv, text_en) VALUES ($1, $2, $3, $4)
         ON CONFLICT (version) DO NOTHING",
    )
    .bind(version)
    .bind(fi)
    .bind(sv)
    .bind(en)
    .execute(owner)
    .await?;
    Ok(())
}

/// What sign-in needs of an account.
#[derive(Debug, Clone)]
pub struct SignInAccount {
    pub id: i64,
    pub name: String,
    pub password_hash: Option<String>,
    pub duties_ended: bool,
    pub password_change_required: bool,
    /// Days since the password was last set (or the account made).
    pub password_age_days: f64,
    /// Whether the user has enrolled a second factor.
    pub has_second_factor: bool,
}

pub async fn account_by_username(pool: &PgPool, username: &str) -> Result<Option<SignInAccount>> {
    let row = sqlx::query(
        "SELECT id, name, password_hash, password_change_required,
                (duties_ended_at IS NOT NULL AND duties_ended_at <= now()) AS ended,
                extract(epoch FROM now() - coalesce(password_changed_at, created_at))::float8 / 86400
                    AS password_age_days,
                (totp_secret IS NOT NULL OR EXISTS (
                    SELECT 1 FROM staff_webauthn_credential c WHERE c.user_id = staff_user.id
                )) AS has_second_factor
         FROM staff_user WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(SignInAccount {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            password_hash: r.try_get("password_hash")?,
            duties_ended: r.try_get("ended")?,
            password_change_required: r.try_get("password_change_required")?,
            password_age_days: r.try_get("password_age_days")?,
            has_second_factor: r.try_get("has_second_factor")?,
        })
    })
    .transpose()
}

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Where a session stands: only `SignedIn` may do anything beyond the
/// second-factor step or enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The password was right; a TOTP or recovery code is awaited.
    SecondFactor,
    /// The user's role requires a second factor and they have none: only
    /// enrolment is open.
    Enrol,
    SignedIn,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Enrol => "enrol",
            Stage::SignedIn => "signed_in",
        }
    }

    fn parse(s: &str) -> Stage {
        match s {
            "signed_in" => Stage::SignedIn,
            "enrol" => Stage::Enrol,
            _ => Stage::SecondFactor,
        }
    }
}

/// Starts a session; `token` is the random secret the cookie carries.
pub async fn create_session(
    pool: &PgPool,
    user_id: i64,
    token: &str,
    absolute_secs: i64,
    stage: Stage,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_session (token_hash, user_id, expires_at, stage)
         VALUES ($1, $2, now() + make_interval(secs => $3), $4)",
    )
    .bind(token_hash(token))
    .bind(user_id)
    .bind(absolute_secs as f64)
    .bind(stage.as_str())
    .execute(pool)
    .await?;
    Ok(())
}

/// Moves a session to another stage (after the second factor or
/// enrolment). False when the session has ended meanwhile.
pub async fn set_stage(pool: &PgPool, token: &str, stage: Stage) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE staff_session SET stage = $2, authenticated_at = now()
         WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(stage.as_str())
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// Ends every session of a user but this one (after a new password or a
/// new second factor).
pub async fn end_other_sessions(
    pool: &PgPool,
    user_id: i64,
    token: &str,
    reason: &str,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE staff_session SET ended_at = now(), end_reason = $3
         WHERE user_id = $1 AND token_hash <> $2 AND ended_at IS NULL",
    )
    .bind(user_id)
    .bind(token_hash(token))
    .bind(reason)
    .execute(pool)
    .await?
    .rows_affected())
}

/// Counts a wrong second-factor code in the session; returns the count.
pub async fn second_factor_failed(pool: &PgPool, token: &str) -> Result<i32> {
    Ok(sqlx::query_scalar(
        "UPDATE staff_session SET second_factor_failures = second_factor_failures + 1
         WHERE token_hash = $1 RETURNING second_factor_failures",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?
    .unwrap_or(i32::MAX))
}

/// Marks that the user gave their password again in this session.
pub async fn reauthenticated(pool: &PgPool, token: &str) -> Result<()> {
    sqlx::query("UPDATE staff_session SET authenticated_at = now() WHERE token_hash = $1 AND ended_at IS NULL")
        .bind(token_hash(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks that the user gave a second-factor code in this session (at
/// sign-in or at a step-up): deciding a decision needs it recently.
pub async fn second_factor_given(pool: &PgPool, token: &str) -> Result<()> {
    sqlx::query(
        "UPDATE staff_session SET second_factor_at = now() WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash(token))
    .execute(pool)
    .await?;
    Ok(())
}

/// Seconds since the user last gave a second-factor code in this session,
/// if ever.
pub async fn second_factor_age(pool: &PgPool, token: &str) -> Result<Option<f64>> {
    Ok(sqlx::query_scalar(
        "SELECT extract(epoch FROM now() - second_factor_at)::float8 FROM staff_session
         WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// An open session, as a request sees it.
#[derive(Debug, Clone)]
pub struct OpenSession {
    pub user_id: i64,
    /// Seconds since the user last gave their password in this session.
    pub auth_age_secs: f64,
    pub stage: Stage,
    /// The language the user chose for the pages, if any.
    pub language: Option<String>,
    /// The user's own facts (roles in force, commitment, duties), read in
    /// the same statement: what [`my_roles`] would read next, one round
    /// trip fewer on every page.
    pub actor: kirjo_access::Actor,
}

/// [`resolve_session`]'s statement. Binds: $1 the token's hash, $2 the
/// idle limit in seconds. Public for the plan guard.
pub const RESOLVE_SESSION_SQL: &str = concat!(
    "WITH old AS (
             SELECT s.user_id,
                    (s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
                     AND (u.duties_ended_at IS NULL OR u.duties_ended_at > now())) AS ok,
                    extract(epoch FROM now() - s.authenticated_at)::float8 AS auth_age,
                    s.stage, u.language
             FROM staff_session s JOIN staff_user u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.ended_at IS NULL),
         touched AS (
             UPDATE staff_session SET last_seen_at = now()
             WHERE token_hash = $1 AND (SELECT ok FROM old))
         SELECT old.user_id, old.ok, old.auth_age, old.stage, old.language, f.*
         FROM old CROSS JOIN LATERAL (
             SELECT ",
    crate::gate::actor_columns!(),
    "
             FROM staff_user u
             CROSS JOIN (SELECT kirjo_today() AS today) d
             ",
    crate::gate::actor_grants!(),
    "
             WHERE u.id = old.user_id) f"
);

/// The session's user, if the session is open, not idle too long, not past
/// its absolute limit, and the user's duties have not ended. Touches it. One
/// statement: it runs on every signed-in request, and reads the user's own
/// facts with the session.
pub async fn resolve_session(
    pool: &PgPool,
    token: &str,
    idle_secs: i64,
) -> Result<Option<OpenSession>> {
    // The idle check reads the previous last_seen_at, then touches it.
    let row = sqlx::query(RESOLVE_SESSION_SQL)
        .bind(token_hash(token))
        .bind(idle_secs as f64)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if !row.try_get::<bool, _>("ok")? {
        end_session(pool, token, "expired").await?;
        return Ok(None);
    }
    let user_id: i64 = row.try_get("user_id")?;
    let stage: String = row.try_get("stage")?;
    Ok(Some(OpenSession {
        user_id,
        auth_age_secs: row.try_get("auth_age")?,
        stage: Stage::parse(&stage),
        language: row.try_get("language")?,
        actor: crate::gate::decode_actor(&row, user_id)?,
    }))
}

/// The username of whoever a session's token belongs to, whether or not
/// the session is still open: whose form a page kept after it ended.
pub async fn session_owner(pool: &PgPool, token: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT u.username FROM staff_session s JOIN staff_user u ON u.id = s.user_id
          WHERE s.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?)
}

pub async fn end_session(pool: &PgPool, token: &str, reason: &str) -> Result<()> {
    sqlx::query("UPDATE staff_session SET ended_at = now(), end_reason = $2 WHERE token_hash = $1 AND ended_at IS NULL")
        .bind(token_hash(token))
        .bind(reason)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user (rights ended, or an administrator's act).
pub async fn end_user_sessions(pool: &PgPool, user_id: i64, reason: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE staff_session SET ended_at = now(), end_reason = $2 WHERE user_id = $1 AND ended_at IS NULL")
        .bind(user_id)
        .bind(reason)
        .execute(pool)
        .await?
        .rows_affected())
}

/// The user's own roles in force, for their start page.
pub async fn my_roles(pool: &PgPool, user_id: i64) -> Result<Option<kirjo_access::Actor>> {
    let mut conn = pool.acquire().await?;
    Ok(crate::gate::load_facts(&mut conn, user_id, None)
        .await?
        .map(|(actor, _)| actor))
}

/// The user's duties have ended: every right and every session ends now.
/// Done by the main administrator (`ApproveRights`), with a reason.
pub async fn end_duties(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    user_id: i64,
    reason: &str,
) -> std::result::Result<(), GateError> {
    if reason.trim().is_empty() {
        return Err(invalid("ending duties needs a reason"));
    }
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ApproveRights,
        &format!("end duties of user {user_id}: {reason}"),
    )
    .await?;
    let (conn, _) = g.parts();
    let n = sqlx::query(
        "UPDATE staff_user SET duties_ended_at = now() WHERE id = $1 AND duties_ended_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(invalid(format!(
            "user {user_id} does not exist or their duties already ended"
        )));
    }
    sqlx::query("UPDATE role_grant SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE staff_session SET ended_at = now(), end_reason = 'duties ended' WHERE user_id = $1 AND ended_at IS NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(g.finish(crate::gate::Pending::new(())).await?)
}

/// How many sign-ins failed lately for this name (since its last success)
/// and from this address, within `window_secs`.
pub async fn recent_failures(
    pool: &PgPool,
    username: &str,
    source: Option<&str>,
    window_secs: i64,
) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT
            (SELECT count(*) FROM sign_in_attempt a
             WHERE a.username = $1 AND NOT a.succeeded AND a.at > now() - make_interval(secs => $3)
               AND a.at > coalesce((SELECT max(at) FROM sign_in_attempt s WHERE s.username = $1 AND s.succeeded),
                                   '-infinity')),
            (SELECT count(*) FROM sign_in_attempt a
             WHERE $2::text IS NOT NULL AND a.source_address = $2 AND NOT a.succeeded
               AND a.at > now() - make_interval(secs => $3))",
    )
    .bind(username)
    .bind(source)
    .bind(window_secs as f64)
    .fetch_one(pool)
    .await?)
}

/// Records a sign-in attempt.
pub async fn record_attempt(
    pool: &PgPool,
    username: &str,
    source: Option<&str>,
    succeeded: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_attempt (username, source_address, succeeded) VALUES ($1, $2, $3)",
    )
    .bind(username)
    .bind(source)
    .bind(succeeded)
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets a user's password hash. `change_required`: an administrator's reset,
/// after which nothing is allowed until the user chooses a new password.
pub async fn set_password(
    pool: &PgPool,
    user_id: i64,
    hash: &str,
    change_required: bool,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE staff_user SET password_hash = $2, password_change_required = $3, password_changed_at = now()
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(hash)
    .bind(change_required)
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// The username and current password hash of a user, for a password change.
pub async fn credentials(pool: &PgPool, user_id: i64) -> Result<Option<(String, Option<String>)>> {
    Ok(
        sqlx::query_as("SELECT username, password_hash FROM staff_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?,
    )
}

/// An administrator resets a user's password (`ApproveRights`): the new
/// hash is set with a change required, and the user's sessions end, in the
/// transaction of the use-log row.
pub async fn reset_password(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    user_id: i64,
    hash: &str,
) -> std::result::Result<(), GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ApproveRights,
        &format!("password reset for user {user_id}"),
    )
    .await?;
    let (conn, _) = g.parts();
    let n = sqlx::query(
        "UPDATE staff_user SET password_hash = $2, password_change_required = true, password_changed_at = now()
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(hash)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(invalid(format!("no user {user_id}")));
    }
    sqlx::query("UPDATE staff_session SET ended_at = now(), end_reason = 'password reset' WHERE user_id = $1 AND ended_at IS NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(g.finish(crate::gate::Pending::new(())).await?)
}
