//! Monitoring: flagged accesses for review. The data protection officer
//! sees every open flag; a unit supervisor those of their units.

use crate::gate::{enter_general, Caller, GateError, GateSettings, Pending};
use chrono::{DateTime, Utc};
use kirjo_access::Action;
use serde::Serialize;
use sqlx::{PgPool, Row};

/// An open flag.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub id: i64,
    pub kind: String,
    pub client_id: Option<i64>,
    pub user_id: i64,
    pub user_name: String,
    pub unit: Option<String>,
    pub logged_at: DateTime<Utc>,
    pub purpose: Option<String>,
    pub explanation: String,
}

pub async fn open_flags(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<Flag>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        "open flags",
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(
        "SELECT f.id, f.kind, f.client_id, f.user_id, l.user_name, f.unit_id, l.logged_at, l.purpose, l.explanation
         FROM access_flag f JOIN use_log l ON l.id = f.use_log_id
         WHERE NOT EXISTS (SELECT 1 FROM access_flag_review r WHERE r.flag_id = f.id)
           AND (EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = $1 AND g.role = 'data_protection_officer'
                        AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
                        AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until))
                OR f.unit_id IN (SELECT g.unit_id FROM role_grant g WHERE g.user_id = $1 AND g.role = 'unit_supervisor'
                        AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
                        AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)))
         ORDER BY f.created_at, f.id LIMIT 1000",
    )
    .bind(access.user_id())
    .fetch_all(conn)
    .await?;
    let flags = rows
        .iter()
        .map(|r| {
            Ok(Flag {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                client_id: r.try_get("client_id")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                unit: r.try_get("unit_id")?,
                logged_at: r.try_get("logged_at")?,
                purpose: r.try_get("purpose")?,
                explanation: r.try_get("explanation")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new(flags)).await?)
}

/// When to raise the automatic flags.
#[derive(Debug, Clone)]
pub struct MonitorSettings {
    /// Working hours in Helsinki time, `[start, end)`, on weekdays that are
    /// not public holidays. Default 7-18.
    pub working_hours: (u32, u32),
    /// More distinct clients than this in an hour is flagged. Default 30.
    pub clients_per_hour: i64,
}

impl Default for MonitorSettings {
    fn default() -> Self {
        Self {
            working_hours: (7, 18),
            clients_per_hour: 30,
        }
    }
}

/// How many sealed positions one scan takes at most.
const SCAN_BATCH: i64 = 5000;
const SCAN_LOCK: i64 = 0x6b69_726a_6f5f_6d6f; // "kirjo_mo"

/// Scans the use-log rows sealed since the last scan, in sealed order (which
/// has no gaps, unlike row ids), and raises the automatic flags: access
/// outside working hours, unusually many clients in an hour, and access to a
/// person with the user's own surname. Returns how many flags it raised.
///
/// Also: access to a person with turvakielto; to oneself or one's own family
/// (a relation of the staff member's own person record, `staff_user.person_id`);
/// to someone living at one's own permanent address.
pub async fn scan(pool: &PgPool, settings: &MonitorSettings) -> crate::Result<usize> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SCAN_LOCK)
        .execute(&mut *tx)
        .await?;
    let cursor: i64 =
        sqlx::query_scalar("SELECT coalesce(max(scanned_through), 0) FROM monitoring_progress")
            .fetch_one(&mut *tx)
            .await?;
    let sealed: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(position), 0) FROM audit_seal_entry WHERE log = 'use_log'",
    )
    .fetch_one(&mut *tx)
    .await?;
    let through = sealed.min(cursor + SCAN_BATCH);
    if through <= cursor {
        return Ok(0);
    }
    let rows = sqlx::query(
        "SELECT l.id, l.user_id, l.client_id,
                (l.logged_at AT TIME ZONE 'Europe/Helsinki') AS local_time,
                p.surname AS client_surname, u.name AS staff_name,
                -- Oneself, or a relation of one's own person record (either way).
                (u.person_id IS NOT NULL AND (l.client_id = u.person_id OR EXISTS (
                    SELECT 1 FROM person_relation r
                    WHERE (r.person_id = l.client_id AND r.related_id = u.person_id)
                       OR (r.person_id = u.person_id AND r.related_id = l.client_id)))) AS own_family,
                -- A current permanent address shared with one's own person record.
                (u.person_id IS NOT NULL AND l.client_id <> u.person_id AND EXISTS (
                    SELECT 1 FROM person_address a JOIN person_address b
                      ON kirjo_fold(a.street) = kirjo_fold(b.street)
                     AND a.postal_code IS NOT DISTINCT FROM b.postal_code
                    WHERE a.person_id = l.client_id AND b.person_id = u.person_id
                      AND a.kind = 'permanent' AND b.kind = 'permanent'
                      AND (a.valid_until IS NULL OR a.valid_until >= (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date)
                      AND (b.valid_until IS NULL OR b.valid_until >= (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date))) AS same_address,
                EXISTS (SELECT 1 FROM turvakielto t WHERE t.person_id = l.client_id
                          AND t.valid_from <= (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date
                          AND (t.valid_until IS NULL
                               OR (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date <= t.valid_until)) AS protected,
                (SELECT count(DISTINCT l2.client_id) FROM use_log l2
                  WHERE l2.user_id = l.user_id AND l2.allowed AND l2.client_id IS NOT NULL
                    AND l2.logged_at > l.logged_at - interval '1 hour' AND l2.logged_at <= l.logged_at) AS clients_hour,
                (SELECT g.unit_id FROM role_grant g WHERE g.user_id = l.user_id
                  ORDER BY g.ended_at IS NULL DESC, g.id LIMIT 1) AS unit_id
         FROM audit_seal_entry e JOIN use_log l ON l.id = e.row_id
         LEFT JOIN person p ON p.id = l.client_id
         LEFT JOIN staff_user u ON u.id = l.user_id
         WHERE e.log = 'use_log' AND e.position > $1 AND e.position <= $2
           AND l.allowed AND l.client_id IS NOT NULL AND l.user_id IS NOT NULL
         ORDER BY e.position",
    )
    .bind(cursor)
    .bind(through)
    .fetch_all(&mut *tx)
    .await?;
    let mut raised = 0;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let user: i64 = r.try_get("user_id")?;
        let client: i64 = r.try_get("client_id")?;
        let local: chrono::NaiveDateTime = r.try_get("local_time")?;
        let unit: Option<String> = r.try_get("unit_id")?;
        let mut kinds = Vec::new();
        let hour = chrono::Timelike::hour(&local);
        if !kirjo_domain::calendar::is_weekday(local.date())
            || hour < settings.working_hours.0
            || hour >= settings.working_hours.1
        {
            kinds.push("outside_working_hours");
        }
        if r.try_get::<i64, _>("clients_hour")? > settings.clients_per_hour {
            kinds.push("many_clients_in_hour");
        }
        if r.try_get::<bool, _>("protected")? {
            kinds.push("turvakielto");
        }
        if r.try_get::<bool, _>("own_family")? {
            kinds.push("own_family");
        }
        if r.try_get::<bool, _>("same_address")? {
            kinds.push("same_address");
        }
        let client_surname: Option<String> = r.try_get("client_surname")?;
        let staff_name: Option<String> = r.try_get("staff_name")?;
        if let (Some(c), Some(s)) = (client_surname, staff_name) {
            if s.split_whitespace()
                .last()
                .is_some_and(|own| own.to_lowercase() == c.to_lowercase())
            {
                kinds.push("same_surname");
            }
        }
        for kind in kinds {
            // Many clients in an hour is raised once an hour per user.
            let n = sqlx::query(
                "INSERT INTO access_flag (use_log_id, kind, client_id, user_id, unit_id)
                 SELECT $1, $2, $3, $4, $5
                 WHERE $2 <> 'many_clients_in_hour' OR NOT EXISTS (
                     SELECT 1 FROM access_flag f JOIN use_log l ON l.id = f.use_log_id
                     WHERE f.kind = 'many_clients_in_hour' AND f.user_id = $4
                       AND l.logged_at > (SELECT logged_at FROM use_log WHERE id = $1) - interval '1 hour')
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(kind)
            .bind(client)
            .bind(user)
            .bind(&unit)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            raised += n as usize;
        }
    }
    sqlx::query("INSERT INTO monitoring_progress (scanned_through) VALUES ($1)")
        .bind(through)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if raised > 0 {
        tracing::info!(raised, "monitoring flags raised");
    }
    Ok(raised)
}

/// Runs [`scan`] every `every` until `shutdown`.
pub async fn run_monitor(
    pool: PgPool,
    settings: MonitorSettings,
    every: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = scan(&pool, &settings).await {
            tracing::warn!(error = %e.kind(), "monitoring scan failed");
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// One sampled access.
#[derive(Debug, Clone, Serialize)]
pub struct SampleItem {
    pub use_log_id: i64,
    pub logged_at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub client_id: Option<i64>,
    pub action: String,
    pub purpose: Option<String>,
    pub explanation: String,
}

async fn may_review_unit(
    conn: &mut sqlx::PgConnection,
    user: i64,
    unit: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = $1 AND g.ended_at IS NULL
                          AND g.valid_from <= kirjo_today() AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)
                          AND (g.role = 'data_protection_officer' OR (g.role = 'unit_supervisor' AND g.unit_id = $2)))",
    )
    .bind(user)
    .bind(unit)
    .fetch_one(conn)
    .await
}

/// Draws a random sample of accesses to clients made by the unit's users in
/// the period, for the supervisor (of that unit) or the DPO to review.
pub async fn draw_sample(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    unit: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    size: i64,
) -> Result<(i64, Vec<SampleItem>), GateError> {
    if to <= from || !(1..=500).contains(&size) {
        return Err(GateError::Store(crate::StoreError::Setup(
            "a sample needs a period (from before to) and a size of 1-500".to_owned(),
        )));
    }
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        &format!("monitoring sample of unit {unit}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let may = may_review_unit(&mut *conn, access.user_id(), unit).await?;
    if !may {
        return Err(g
            .deny(format!(
                "denied: samples of unit {unit} are drawn by its supervisor or the DPO"
            ))
            .await);
    }
    let (conn, access) = g.parts();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO monitoring_sample (unit_id, period_from, period_to, drawn_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(unit)
    .bind(from)
    .bind(to)
    .bind(access.user_id())
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(DRAW_SAMPLE_SQL)
        .bind(id)
        .bind(unit)
        .bind(from)
        .bind(to)
        .bind(size)
        .fetch_all(&mut *conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(SampleItem {
                use_log_id: r.try_get("id")?,
                logged_at: r.try_get("logged_at")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                client_id: r.try_get("client_id")?,
                action: r.try_get("action")?,
                purpose: r.try_get("purpose")?,
                explanation: r.try_get("explanation")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new((id, items))).await?)
}

/// [`draw_sample`]'s draw. Binds: $1 the sample, $2 the unit, $3 from, $4
/// to, $5 the size. Public for the plan guard
/// (`crates/kirjo/tests/plan_guard.rs`), as is [`SAMPLE_ITEMS_SQL`].
pub const DRAW_SAMPLE_SQL: &str = "WITH picked AS (
             INSERT INTO monitoring_sample_item (sample_id, use_log_id)
             SELECT $1, l.id FROM use_log l
             WHERE l.allowed AND l.client_id IS NOT NULL AND l.logged_at >= $3 AND l.logged_at < $4
               AND EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = l.user_id AND g.unit_id = $2)
             ORDER BY random() LIMIT $5
             RETURNING use_log_id)
         SELECT l.id, l.logged_at, l.user_id, l.user_name, l.client_id, l.action, l.purpose, l.explanation
         FROM picked JOIN use_log l ON l.id = picked.use_log_id ORDER BY l.logged_at";

/// The outcome of reviewing a flag or a sampled access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Justified,
    MisuseSuspected,
    NeedsInvestigation,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Justified => "justified",
            Self::MisuseSuspected => "misuse_suspected",
            Self::NeedsInvestigation => "needs_investigation",
        }
    }
}

/// Records the review of a sampled access.
pub async fn review_sample_item(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    sample_id: i64,
    use_log_id: i64,
    outcome: Outcome,
    note: &str,
) -> Result<(), GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        &format!("review of sample {sample_id} access {use_log_id}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let unit: Option<String> =
        sqlx::query_scalar("SELECT unit_id FROM monitoring_sample WHERE id = $1")
            .bind(sample_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(unit) = unit else {
        return Err(GateError::Store(crate::StoreError::Setup(format!(
            "no sample {sample_id}"
        ))));
    };
    let may = may_review_unit(&mut *conn, access.user_id(), &unit).await?;
    if !may {
        return Err(g
            .deny(format!(
                "denied: samples of unit {unit} are reviewed by its supervisor or the DPO"
            ))
            .await);
    }
    let (conn, access) = g.parts();
    let inserted = sqlx::query(
        "INSERT INTO monitoring_sample_review (sample_id, use_log_id, outcome, note, reviewed_by)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM monitoring_sample_item WHERE sample_id = $1 AND use_log_id = $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(sample_id)
    .bind(use_log_id)
    .bind(outcome.as_str())
    .bind(note)
    .bind(access.user_id())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(GateError::Store(crate::StoreError::Setup(
            "that access is not in the sample, or it is already reviewed".to_owned(),
        )));
    }
    Ok(g.finish(Pending::new(())).await?)
}

/// Records the review of a flag; it then leaves the open list.
pub async fn review_flag(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    flag_id: i64,
    outcome: Outcome,
    note: &str,
) -> Result<(), GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        &format!("review of flag {flag_id}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let unit: Option<Option<String>> =
        sqlx::query_scalar("SELECT unit_id FROM access_flag WHERE id = $1")
            .bind(flag_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(unit) = unit else {
        return Err(GateError::Store(crate::StoreError::Setup(format!(
            "no flag {flag_id}"
        ))));
    };
    let may = may_review_unit(&mut *conn, access.user_id(), unit.as_deref().unwrap_or("")).await?;
    if !may {
        return Err(g
            .deny("denied: a flag is reviewed by the DPO or the supervisor of its unit")
            .await);
    }
    let (conn, access) = g.parts();
    let n = sqlx::query(
        "INSERT INTO access_flag_review (flag_id, outcome, note, reviewed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(flag_id)
    .bind(outcome.as_str())
    .bind(note)
    .bind(access.user_id())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(GateError::Store(crate::StoreError::Setup(format!(
            "flag {flag_id} is already reviewed"
        ))));
    }
    Ok(g.finish(Pending::new(())).await?)
}

/// A sampled access and its review, if done.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewedItem {
    pub item: SampleItem,
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub reviewed_by: Option<String>,
}

/// A sample with its items, for reviewing.
#[derive(Debug, Clone, Serialize)]
pub struct SampleView {
    pub id: i64,
    pub unit: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub items: Vec<ReviewedItem>,
}

/// A sample drawn earlier, for its unit's supervisor or the DPO
/// (`ReviewMonitoring`). `None` when there is no such sample.
pub async fn sample(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    sample_id: i64,
) -> Result<Option<SampleView>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        &format!("monitoring sample {sample_id}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let head: Option<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT unit_id, period_from, period_to FROM monitoring_sample WHERE id = $1",
    )
    .bind(sample_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((unit, from, to)) = head else {
        return Ok(g.finish(Pending::new(None)).await?);
    };
    if !may_review_unit(&mut *conn, access.user_id(), &unit).await? {
        return Err(g
            .deny(format!(
                "denied: samples of unit {unit} are reviewed by its supervisor or the DPO"
            ))
            .await);
    }
    let (conn, _) = g.parts();
    let rows = sqlx::query(SAMPLE_ITEMS_SQL)
        .bind(sample_id)
        .fetch_all(&mut *conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(ReviewedItem {
                item: SampleItem {
                    use_log_id: r.try_get("id")?,
                    logged_at: r.try_get("logged_at")?,
                    user_id: r.try_get("user_id")?,
                    user_name: r.try_get("user_name")?,
                    client_id: r.try_get("client_id")?,
                    action: r.try_get("action")?,
                    purpose: r.try_get("purpose")?,
                    explanation: r.try_get("explanation")?,
                },
                outcome: r.try_get("outcome")?,
                note: r.try_get("note")?,
                reviewed_by: r.try_get("reviewer")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new(Some(SampleView {
        id: sample_id,
        unit,
        from,
        to,
        items,
    })))
    .await?)
}

/// [`sample`]'s items with their reviews. Binds: $1 the sample.
pub const SAMPLE_ITEMS_SQL: &str =
    "SELECT l.id, l.logged_at, l.user_id, l.user_name, l.client_id, l.action, l.purpose, l.explanation,
                r.outcome, r.note, u.name AS reviewer
         FROM monitoring_sample_item i JOIN use_log l ON l.id = i.use_log_id
         LEFT JOIN monitoring_sample_review r ON r.sample_id = i.sample_id AND r.use_log_id = i.use_log_id
         LEFT JOIN staff_user u ON u.id = r.reviewed_by
         WHERE i.sample_id = $1 ORDER BY l.logged_at, l.id";

/// One line of the list of samples.
#[derive(Debug, Clone, Serialize)]
pub struct SampleLine {
    pub id: i64,
    pub unit: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub items: i64,
    pub reviewed: i64,
}

/// The latest samples of the units the caller may review (`ReviewMonitoring`).
pub async fn samples(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<SampleLine>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        "monitoring samples",
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(
        "SELECT s.id, s.unit_id, s.period_from, s.period_to,
                (SELECT count(*) FROM monitoring_sample_item i WHERE i.sample_id = s.id) AS items,
                (SELECT count(*) FROM monitoring_sample_review r WHERE r.sample_id = s.id) AS reviewed
         FROM monitoring_sample s
         WHERE EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = $1 AND g.ended_at IS NULL
                         AND g.valid_from <= kirjo_today() AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)
                         AND (g.role = 'data_protection_officer' OR (g.role = 'unit_supervisor' AND g.unit_id = s.unit_id)))
         ORDER BY s.drawn_at DESC LIMIT 50",
    )
    .bind(access.user_id())
    .fetch_all(&mut *conn)
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(SampleLine {
                id: r.try_get("id")?,
                unit: r.try_get("unit_id")?,
                from: r.try_get("period_from")?,
                to: r.try_get("period_to")?,
                items: r.try_get("items")?,
                reviewed: r.try_get("reviewed")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new(list)).await?)
}
