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

/// The open flags (`f`, with their log row `l`) that the caller `$1` may
/// review: all for the data protection officer, their units' for a unit
/// supervisor. Shared by the flags and the review items.
macro_rules! open_flags_of_caller {
    () => {
        "
         FROM access_flag f JOIN use_log l ON l.id = f.use_log_id
         WHERE NOT EXISTS (SELECT 1 FROM access_flag_review r WHERE r.flag_id = f.id)
           AND (EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = $1 AND g.role = 'data_protection_officer'
                        AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
                        AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until))
                OR f.unit_id IN (SELECT g.unit_id FROM role_grant g WHERE g.user_id = $1 AND g.role = 'unit_supervisor'
                        AND g.ended_at IS NULL AND g.valid_from <= kirjo_today()
                        AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)))"
    };
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
    let rows = sqlx::query(concat!(
        "SELECT f.id, f.kind, f.client_id, f.user_id, l.user_name, f.unit_id, l.logged_at, l.purpose, l.explanation",
        open_flags_of_caller!(),
        " ORDER BY f.created_at, f.id LIMIT 1000"
    ))
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

/// A review item: a user's open flags of one kind on one day (Helsinki
/// time), which the reviewer reviews as one. `id` is the item's first open
/// flag; reviewing the item reviews every open flag of it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub kind: String,
    pub user_id: i64,
    pub user_name: String,
    pub unit: Option<String>,
    pub day: chrono::NaiveDate,
    /// How many flags (log rows) the item holds.
    pub count: i64,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// The clients of its log rows, each once (at most [`ITEM_LISTED`]).
    pub client_ids: Vec<i64>,
    /// Its log rows in time order (at most [`ITEM_LISTED`]; `count` is all).
    pub use_log_ids: Vec<i64>,
    /// The purpose and explanation of its first log row.
    pub purpose: Option<String>,
    pub explanation: String,
}

/// How many log rows and clients an item lists.
pub const ITEM_LISTED: i64 = 500;

/// The open review items the caller may review, oldest first: all for the
/// DPO, their units' for a unit supervisor (`ReviewMonitoring`). Binds: $1
/// the caller, $2 how many rows an item lists. Public for the plan guard.
pub const OPEN_ITEMS_SQL: &str = concat!(
    "WITH open AS (
             SELECT f.id, f.kind, f.user_id, f.unit_id, f.client_id, f.use_log_id, f.created_at,
                    l.logged_at, l.user_name, l.purpose, l.explanation,
                    (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date AS day",
    open_flags_of_caller!(),
    ")
         SELECT min(id) AS id, kind, user_id, unit_id, day, count(*) AS count,
                min(logged_at) AS first_at, max(logged_at) AS last_at,
                (array_agg(DISTINCT client_id) FILTER (WHERE client_id IS NOT NULL))[1:$2] AS client_ids,
                (array_agg(use_log_id ORDER BY logged_at, use_log_id))[1:$2] AS use_log_ids,
                (array_agg(user_name ORDER BY logged_at, id))[1] AS user_name,
                (array_agg(purpose ORDER BY logged_at, id))[1] AS purpose,
                (array_agg(explanation ORDER BY logged_at, id))[1] AS explanation
         FROM open
         GROUP BY kind, user_id, unit_id, day
         ORDER BY min(created_at), min(id) LIMIT 1000"
);

/// The open review items the caller may review (see [`OPEN_ITEMS_SQL`]).
pub async fn open_items(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
) -> Result<Vec<ReviewItem>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        "open review items",
    )
    .await?;
    let (conn, access) = g.parts();
    let rows = sqlx::query(OPEN_ITEMS_SQL)
        .bind(access.user_id())
        .bind(ITEM_LISTED)
        .fetch_all(conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(ReviewItem {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                unit: r.try_get("unit_id")?,
                day: r.try_get("day")?,
                count: r.try_get("count")?,
                first_at: r.try_get("first_at")?,
                last_at: r.try_get("last_at")?,
                client_ids: r
                    .try_get::<Option<Vec<i64>>, _>("client_ids")?
                    .unwrap_or_default(),
                use_log_ids: r.try_get("use_log_ids")?,
                purpose: r.try_get("purpose")?,
                explanation: r.try_get("explanation")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(g.finish(Pending::new(items)).await?)
}

/// Records the review of the item whose first open flag is `item_id`: every
/// open flag of the same kind, user, unit and day gets the outcome. Returns
/// how many flags it reviewed.
pub async fn review_item(
    pool: &PgPool,
    caller: &Caller,
    settings: &GateSettings,
    item_id: i64,
    outcome: Outcome,
    note: &str,
) -> Result<u64, GateError> {
    let mut g = enter_review(pool, caller, settings, item_id, "item").await?;
    let (conn, access) = g.parts();
    let n = sqlx::query(
        "INSERT INTO access_flag_review (flag_id, outcome, note, reviewed_by)
         SELECT f.id, $2, $3, $4
         FROM access_flag i JOIN use_log il ON il.id = i.use_log_id,
              access_flag f JOIN use_log l ON l.id = f.use_log_id
         WHERE i.id = $1 AND f.user_id = i.user_id AND f.kind = i.kind
           AND f.unit_id IS NOT DISTINCT FROM i.unit_id
           AND (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date = (il.logged_at AT TIME ZONE 'Europe/Helsinki')::date
           AND NOT EXISTS (SELECT 1 FROM access_flag_review r WHERE r.flag_id = f.id)
         ORDER BY f.id
         ON CONFLICT DO NOTHING",
    )
    .bind(item_id)
    .bind(outcome.as_str())
    .bind(note)
    .bind(access.user_id())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(GateError::Store(crate::StoreError::Setup(format!(
            "item {item_id} is already reviewed"
        ))));
    }
    Ok(g.finish(Pending::new(n)).await?)
}

/// When a unit works: the hours in which its users' accesses are not
/// flagged as outside working hours, in Helsinki time.
///
/// Written in the configuration as `always` (a round-the-clock unit, such
/// as emergency social services: no after-hours flags), `weekdays HH-HH`
/// (Monday to Friday that are not public holidays, `[from, to)`), or
/// `every day HH-HH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum WorkingHours {
    Always,
    Hours { every_day: bool, from: u32, to: u32 },
}

impl WorkingHours {
    /// Whether an access at this Helsinki time is within the hours.
    pub fn covers(&self, local: chrono::NaiveDateTime) -> bool {
        match *self {
            Self::Always => true,
            Self::Hours {
                every_day,
                from,
                to,
            } => {
                let hour = chrono::Timelike::hour(&local);
                (every_day || kirjo_domain::calendar::is_weekday(local.date()))
                    && hour >= from
                    && hour < to
            }
        }
    }
}

impl std::str::FromStr for WorkingHours {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s == "always" {
            return Ok(Self::Always);
        }
        let (every_day, hours) = if let Some(h) = s.strip_prefix("weekdays ") {
            (false, h)
        } else if let Some(h) = s.strip_prefix("every day ") {
            (true, h)
        } else {
            return Err(format!(
                "working hours {s:?}: write `always`, `weekdays HH-HH` or `every day HH-HH`"
            ));
        };
        let bad = || {
            format!("working hours {s:?}: the hours are HH-HH, from 00 to 24, the first before the second")
        };
        let (from, to) = hours.trim().split_once('-').ok_or_else(bad)?;
        let from: u32 = from.trim().parse().map_err(|_| bad())?;
        let to: u32 = to.trim().parse().map_err(|_| bad())?;
        if from >= to || to > 24 {
            return Err(bad());
        }
        Ok(Self::Hours {
            every_day,
            from,
            to,
        })
    }
}

impl TryFrom<String> for WorkingHours {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<WorkingHours> for String {
    fn from(w: WorkingHours) -> String {
        w.to_string()
    }
}

impl std::fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::Always => f.write_str("always"),
            Self::Hours {
                every_day,
                from,
                to,
            } => write!(
                f,
                "{} {from:02}-{to:02}",
                if every_day { "every day" } else { "weekdays" }
            ),
        }
    }
}

/// When to raise the automatic flags.
#[derive(Debug, Clone)]
pub struct MonitorSettings {
    /// Working hours in Helsinki time, `[start, end)`, on weekdays that are
    /// not public holidays, of every unit without hours of its own in
    /// [`MonitorSettings::units`]. Default 7-18.
    pub working_hours: (u32, u32),
    /// More distinct clients than this in an hour is flagged. Default 30.
    pub clients_per_hour: i64,
    /// Units' own working hours, by unit id. An access is within working
    /// hours when it is within the hours of the unit it belongs to: the
    /// unit of the user's client relationship with the client (where the
    /// user is the responsible worker or on the team), or, with no such
    /// relationship, any of the user's current units.
    pub units: std::collections::BTreeMap<String, WorkingHours>,
    /// The working hours of units without hours of their own, as configured
    /// (`monitoring.working_hours`); when set, in place of `working_hours`.
    pub default_hours: Option<WorkingHours>,
    /// How long one statement of a batch may take (`statement_timeout`):
    /// also the longest a stop waits for the batch in flight when its
    /// statement cannot be cancelled. A batch that runs out of it is taken
    /// again in halves. Default 5 s.
    pub statement_timeout: std::time::Duration,
}

impl Default for MonitorSettings {
    fn default() -> Self {
        Self {
            working_hours: (7, 18),
            clients_per_hour: 30,
            units: Default::default(),
            default_hours: None,
            statement_timeout: std::time::Duration::from_secs(5),
        }
    }
}

impl MonitorSettings {
    fn default_hours(&self) -> WorkingHours {
        self.default_hours.unwrap_or(WorkingHours::Hours {
            every_day: false,
            from: self.working_hours.0,
            to: self.working_hours.1,
        })
    }

    /// Whether an access at this Helsinki time by way of these units is
    /// within working hours (no units: the default hours).
    fn within_hours(&self, units: &[String], local: chrono::NaiveDateTime) -> bool {
        if units.is_empty() {
            return self.default_hours().covers(local);
        }
        units.iter().any(|u| {
            self.units
                .get(u)
                .copied()
                .unwrap_or_else(|| self.default_hours())
                .covers(local)
        })
    }
}

/// How many sealed positions one batch of a scan takes at most: a batch is
/// one short transaction of a few indexed statements, so that the scan
/// never holds a core or a snapshot for long beside requests, and a stop
/// waits for one batch at most.
pub const SCAN_BATCH: i64 = 2000;
const SCAN_LOCK: i64 = 0x6b69_726a_6f5f_6d6f; // "kirjo_mo"

/// The scan's rows: the allowed uses of a client's data by a user at sealed
/// positions `($1, $2]`, in sealed order, with the facts of each flag but
/// the hourly count (read by [`SCAN_WINDOW_SQL`]). Public for the plan
/// guard (`crates/kirjo/tests/plan_guard.rs`), as are the others here.
pub fn scan_rows_sql() -> String {
    let protected = crate::clients::protected_sql(
        "l.client_id",
        "(l.logged_at AT TIME ZONE 'Europe/Helsinki')::date",
    );
    format!(
        "SELECT l.id, l.user_id, l.client_id, l.logged_at,
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
                {protected} AS protected,
                -- Whose supervisor reviews it: the unit of the client
                -- relationship through which the user saw the client that
                -- day (as the responsible worker or on the team), or, with
                -- none, the unit of the user's own role.
                coalesce(
                  (SELECT r.unit_id FROM client_relationship r
                    WHERE r.client_id = l.client_id
                      AND r.started_on <= (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date
                      AND (r.ended_on IS NULL OR (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date <= r.ended_on)
                      AND (r.responsible_worker_id = l.user_id OR EXISTS (
                            SELECT 1 FROM relationship_team_member t
                            WHERE t.relationship_id = r.id AND t.user_id = l.user_id
                              AND t.valid_from <= (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date
                              AND (t.valid_until IS NULL OR (l.logged_at AT TIME ZONE 'Europe/Helsinki')::date <= t.valid_until)))
                    ORDER BY r.id LIMIT 1),
                  (SELECT g.unit_id FROM role_grant g WHERE g.user_id = l.user_id
                    ORDER BY g.ended_at IS NULL DESC, g.id LIMIT 1)) AS unit_id
         -- Each row by its id (OFFSET 0 keeps the planner from reading the
         -- whole log by hash for a batch of a few thousand positions).
         FROM audit_seal_entry e
         CROSS JOIN LATERAL (SELECT * FROM use_log l0 WHERE l0.id = e.row_id OFFSET 0) l
         LEFT JOIN person p ON p.id = l.client_id
         LEFT JOIN staff_user u ON u.id = l.user_id
         WHERE e.log = 'use_log' AND e.position > $1 AND e.position <= $2
           AND l.allowed AND l.client_id IS NOT NULL AND l.user_id IS NOT NULL AND l.action <> 'shown_in_list'
         ORDER BY e.position"
    )
}

/// What the hourly count of a batch's rows carries over from the batches
/// before it: for each user with rows at sealed positions `($1, $2]`, the
/// clients they used in the hour before their first row of the batch, each
/// once with the time of its newest use (`monitoring_user_client`, kept by
/// the scan). One row per client the user saw in that hour, however many
/// times they saw them: the count used to read every use of the hour again
/// for every batch, which grew with the square of a busy user's uses.
pub const SCAN_WINDOW_SQL: &str = "WITH batch AS (
             SELECT l.user_id, min(l.logged_at) AS first
             FROM audit_seal_entry e
             CROSS JOIN LATERAL (SELECT * FROM use_log l0 WHERE l0.id = e.row_id OFFSET 0) l
             WHERE e.log = 'use_log' AND e.position > $1 AND e.position <= $2
               AND l.allowed AND l.client_id IS NOT NULL AND l.user_id IS NOT NULL AND l.action <> 'shown_in_list'
             GROUP BY l.user_id)
         SELECT s.user_id, s.client_id, s.last_at
         FROM batch b JOIN monitoring_user_client s
           ON s.user_id = b.user_id AND s.last_at > b.first - interval '1 hour'
         ORDER BY s.user_id, s.last_at";

/// The time of the newest use that raised a \"many clients in an hour\" flag,
/// per user of `$1`: a new one is raised only an hour after it.
pub const SCAN_LAST_MANY_SQL: &str = "SELECT f.user_id, max(l.logged_at)
         FROM access_flag f JOIN use_log l ON l.id = f.use_log_id
         WHERE f.kind = 'many_clients_in_hour' AND f.user_id = ANY($1)
         GROUP BY f.user_id";

/// The units each use of a batch belongs to, for the units' working hours:
/// for (user `$1`, client `$2`, Helsinki day `$3`), the units of the
/// user's client relationships with the client in force that day (as the
/// responsible worker or on the team), or, with none, the units of the
/// user's roles in force that day. Read only when some unit has hours of
/// its own.
pub const SCAN_UNITS_SQL: &str = "SELECT q.user_id, q.client_id, q.day,
           coalesce(
             (SELECT array_agg(DISTINCT r.unit_id) FROM client_relationship r
               WHERE r.client_id = q.client_id AND r.started_on <= q.day
                 AND (r.ended_on IS NULL OR q.day <= r.ended_on)
                 AND (r.responsible_worker_id = q.user_id OR EXISTS (
                       SELECT 1 FROM relationship_team_member t
                       WHERE t.relationship_id = r.id AND t.user_id = q.user_id AND t.valid_from <= q.day
                         AND (t.valid_until IS NULL OR q.day <= t.valid_until)))),
             (SELECT array_agg(DISTINCT g.unit_id) FROM role_grant g
               WHERE g.user_id = q.user_id AND g.valid_from <= q.day
                 AND (g.valid_until IS NULL OR q.day <= g.valid_until)
                 AND (g.ended_at IS NULL OR q.day <= (g.ended_at AT TIME ZONE 'Europe/Helsinki')::date)),
             '{}') AS units
         FROM (SELECT DISTINCT u.user_id, u.client_id, u.day
               FROM unnest($1::bigint[], $2::bigint[], $3::date[]) AS u(user_id, client_id, day)) q";

/// For each of `rows` (user, time), how many distinct clients the user's
/// uses in `window` (user, client, time; ordered by user and time) touched
/// in the hour up to and including that time: `(t - 1 h, t]`, as the scan
/// has always counted. One pass per user over their window.
fn clients_in_hour(
    rows: &[(i64, DateTime<Utc>)],
    window: &[(i64, i64, DateTime<Utc>)],
) -> Vec<i64> {
    use std::collections::HashMap;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i]);
    let mut counts = vec![0; rows.len()];
    // Where each user's uses start in the window.
    let mut start_of: HashMap<i64, usize> = HashMap::new();
    for (k, (user, _, _)) in window.iter().enumerate() {
        start_of.entry(*user).or_insert(k);
    }
    let mut current: Option<i64> = None;
    let (mut head, mut tail) = (0, 0);
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for i in order {
        let (user, at) = rows[i];
        if current != Some(user) {
            current = Some(user);
            seen.clear();
            head = start_of.get(&user).copied().unwrap_or(window.len());
            tail = head;
        }
        // Take in every use up to `at`, then let go of those an hour old.
        while head < window.len() && window[head].0 == user && window[head].2 <= at {
            *seen.entry(window[head].1).or_default() += 1;
            head += 1;
        }
        let from = at - chrono::Duration::hours(1);
        while tail < head && window[tail].2 <= from {
            let client = window[tail].1;
            if let Some(n) = seen.get_mut(&client) {
                *n -= 1;
                if *n == 0 {
                    seen.remove(&client);
                }
            }
            tail += 1;
        }
        counts[i] = seen.len() as i64;
    }
    counts
}

/// Tells a running scan to stop, and cancels the statement of its batch in
/// flight. Made with [`Stop::new`]; [`run_monitor`] makes its own.
#[derive(Clone)]
pub struct Stop {
    asked: tokio::sync::watch::Sender<bool>,
    /// The backend of the batch in flight; held while it is cancelled, so
    /// that the connection is not handed to a request meanwhile.
    in_flight: std::sync::Arc<tokio::sync::Mutex<Option<i32>>>,
}

impl Default for Stop {
    fn default() -> Self {
        Self::new()
    }
}

impl Stop {
    pub fn new() -> Self {
        Self {
            asked: tokio::sync::watch::channel(false).0,
            in_flight: Default::default(),
        }
    }

    /// Whether a stop was asked for.
    pub fn asked(&self) -> bool {
        *self.asked.borrow()
    }

    /// Asks the scan to stop after its batch in flight, and cancels that
    /// batch's statement (`pg_cancel_backend`, from another connection of
    /// `pool`), so that the stop waits for no query. PostgreSQL lets a
    /// role cancel the queries of its own sessions only: where the runtime
    /// pool signs in as another role and `SET ROLE`s, the cancel is refused
    /// and the batch ends by its statement timeout instead.
    pub async fn stop(&self, pool: &PgPool) {
        self.asked.send_replace(true);
        let in_flight = self.in_flight.lock().await;
        if let Some(pid) = *in_flight {
            let cancel = sqlx::query_scalar::<_, bool>("SELECT pg_cancel_backend($1)")
                .bind(pid)
                .fetch_one(pool);
            match tokio::time::timeout(std::time::Duration::from_secs(2), cancel).await {
                Ok(Ok(_)) => tracing::info!("monitoring scan's statement cancelled"),
                Ok(Err(e)) => {
                    tracing::info!(error = %crate::StoreError::from(e).kind(), "could not cancel the monitoring scan's statement")
                }
                Err(_) => {
                    tracing::info!("could not cancel the monitoring scan's statement in time")
                }
            }
        }
    }

    async fn changed(&self) {
        let mut rx = self.asked.subscribe();
        let _ = rx.wait_for(|v| *v).await;
    }
}

/// Scans the use-log rows sealed since the last scan, in sealed order (which
/// has no gaps, unlike row ids), and raises the automatic flags: access
/// outside working hours, unusually many clients in an hour, and access to a
/// person with the user's own surname. Returns how many flags it raised.
///
/// Also: access to a person with turvakielto; to oneself or one's own family
/// (a relation of the staff member's own person record, `staff_user.person_id`);
/// to someone living at one's own permanent address.
///
/// The work goes in batches of [`SCAN_BATCH`] sealed positions, each its
/// own short transaction, with a pause of a quarter of the batch's time
/// between them, until the batch that reaches what was sealed when it began.
pub async fn scan(pool: &PgPool, settings: &MonitorSettings) -> crate::Result<usize> {
    scan_in_batches(pool, settings, SCAN_BATCH).await
}

/// [`scan`] in batches of `batch` sealed positions (a test sees that the
/// size changes nothing).
pub async fn scan_in_batches(
    pool: &PgPool,
    settings: &MonitorSettings,
    batch: i64,
) -> crate::Result<usize> {
    scan_until_stopped(pool, settings, batch, &Stop::new()).await
}

/// [`scan_in_batches`] that looks at `stop` between batches (and lets it
/// cancel the statement of a batch in flight). A cancelled batch is rolled
/// back whole: the next scan takes it again.
pub async fn scan_until_stopped(
    pool: &PgPool,
    settings: &MonitorSettings,
    batch: i64,
    stop: &Stop,
) -> crate::Result<usize> {
    let mut raised = 0;
    let mut batch = batch.max(1);
    while !stop.asked() {
        let began = std::time::Instant::now();
        let (n, more) = match scan_batch(pool, settings, batch, stop).await {
            Ok(r) => r,
            // Out of time (not stopped): the same rows again in halves.
            Err(crate::StoreError::Database(sqlx::Error::Database(e)))
                if e.code().as_deref() == Some("57014") && !stop.asked() && batch > 1 =>
            {
                batch /= 2;
                tracing::warn!(batch, "monitoring batch ran out of time: taken in halves");
                continue;
            }
            Err(e) => return Err(e),
        };
        raised += n;
        if !more {
            break;
        }
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(began.elapsed() / 4) => {}
        }
    }
    if raised > 0 {
        tracing::info!(raised, "monitoring flags raised");
    }
    Ok(raised)
}

/// A batch's flags, column by column, for one insert.
#[derive(Default)]
struct NewFlags {
    use_log_ids: Vec<i64>,
    kinds: Vec<&'static str>,
    clients: Vec<i64>,
    users: Vec<i64>,
    units: Vec<Option<String>>,
}

/// One batch: how many flags it raised, and whether sealed rows are left.
async fn scan_batch(
    pool: &PgPool,
    settings: &MonitorSettings,
    batch: i64,
    stop: &Stop,
) -> crate::Result<(usize, bool)> {
    let mut conn = pool.acquire().await?;
    // The backend is known to `stop` while the batch runs, and forgotten
    // before the connection goes back to the pool.
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *conn)
        .await?;
    *stop.in_flight.lock().await = Some(pid);
    let result = batch_in(&mut conn, settings, batch, stop).await;
    *stop.in_flight.lock().await = None;
    result
}

async fn batch_in(
    conn: &mut sqlx::PgConnection,
    settings: &MonitorSettings,
    batch: i64,
    stop: &Stop,
) -> crate::Result<(usize, bool)> {
    use sqlx::Connection;
    if stop.asked() {
        return Ok((0, false));
    }
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('statement_timeout', $1, true), pg_advisory_xact_lock($2)")
        .bind(format!(
            "{}ms",
            settings.statement_timeout.as_millis().max(1)
        ))
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
    let through = sealed.min(cursor + batch);
    if through <= cursor {
        return Ok((0, false));
    }
    let rows = sqlx::query(&scan_rows_sql())
        .bind(cursor)
        .bind(through)
        .fetch_all(&mut *tx)
        .await?;
    struct Use {
        id: i64,
        user: i64,
        client: i64,
        at: DateTime<Utc>,
        local: chrono::NaiveDateTime,
    }
    let uses = rows
        .iter()
        .map(|r| {
            Ok(Use {
                id: r.try_get("id")?,
                user: r.try_get("user_id")?,
                client: r.try_get("client_id")?,
                at: r.try_get("logged_at")?,
                local: r.try_get("local_time")?,
            })
        })
        .collect::<Result<Vec<Use>, sqlx::Error>>()?;
    // The hour before the batch as carried over, and the batch's own uses.
    let mut window: Vec<(i64, i64, DateTime<Utc>)> = if uses.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(SCAN_WINDOW_SQL)
            .bind(cursor)
            .bind(through)
            .fetch_all(&mut *tx)
            .await?
    };
    window.extend(uses.iter().map(|u| (u.user, u.client, u.at)));
    window.sort_by_key(|w| (w.0, w.2));
    let times: Vec<(i64, DateTime<Utc>)> = uses.iter().map(|u| (u.user, u.at)).collect();
    let hourly = clients_in_hour(&times, &window);
    // The units of each use, when some unit keeps hours of its own.
    let mut units_of: std::collections::HashMap<(i64, i64, chrono::NaiveDate), Vec<String>> =
        Default::default();
    if !settings.units.is_empty() && !uses.is_empty() {
        let units: Vec<(i64, i64, chrono::NaiveDate, Vec<String>)> = sqlx::query_as(SCAN_UNITS_SQL)
            .bind(uses.iter().map(|u| u.user).collect::<Vec<_>>())
            .bind(uses.iter().map(|u| u.client).collect::<Vec<_>>())
            .bind(uses.iter().map(|u| u.local.date()).collect::<Vec<_>>())
            .fetch_all(&mut *tx)
            .await?;
        units_of = units
            .into_iter()
            .map(|(u, c, d, units)| ((u, c, d), units))
            .collect();
    }
    // Many clients in an hour is raised once an hour per user: the newest
    // such flag of each user, kept up to date as this batch raises them.
    let mut users: Vec<i64> = times.iter().map(|t| t.0).collect();
    users.sort_unstable();
    users.dedup();
    let mut last_many: std::collections::HashMap<i64, DateTime<Utc>> =
        if hourly.iter().any(|n| *n > settings.clients_per_hour) {
            sqlx::query_as::<_, (i64, DateTime<Utc>)>(SCAN_LAST_MANY_SQL)
                .bind(&users)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect()
        } else {
            Default::default()
        };
    let mut flags = NewFlags::default();
    for ((r, u), clients_hour) in rows.iter().zip(&uses).zip(hourly) {
        let unit: Option<String> = r.try_get("unit_id")?;
        let mut kinds = Vec::new();
        let belongs_to = units_of
            .get(&(u.user, u.client, u.local.date()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !settings.within_hours(belongs_to, u.local) {
            kinds.push("outside_working_hours");
        }
        if clients_hour > settings.clients_per_hour
            && last_many
                .get(&u.user)
                .is_none_or(|last| *last <= u.at - chrono::Duration::hours(1))
        {
            kinds.push("many_clients_in_hour");
            let last = last_many.entry(u.user).or_insert(u.at);
            *last = (*last).max(u.at);
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
            flags.use_log_ids.push(u.id);
            flags.kinds.push(kind);
            flags.clients.push(u.client);
            flags.users.push(u.user);
            flags.units.push(unit.clone());
        }
    }
    let mut raised = 0;
    if !flags.use_log_ids.is_empty() {
        // One statement for the batch's flags, in the order they were found.
        raised = sqlx::query(
            "INSERT INTO access_flag (use_log_id, kind, client_id, user_id, unit_id)
             SELECT f.use_log_id, f.kind, f.client_id, f.user_id, f.unit_id
             FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[])
                  WITH ORDINALITY AS f(use_log_id, kind, client_id, user_id, unit_id, n)
             ORDER BY f.n
             ON CONFLICT DO NOTHING",
        )
        .bind(&flags.use_log_ids)
        .bind(&flags.kinds)
        .bind(&flags.clients)
        .bind(&flags.users)
        .bind(&flags.units)
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
    }
    if !uses.is_empty() {
        // Carried to the next batch: each user's newest use of each client,
        // and nothing older than an hour (with an hour's slack for rows
        // sealed out of their time order) before their newest use.
        sqlx::query(
            "WITH u AS (SELECT user_id, client_id, max(at) AS last_at
                        FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS u(user_id, client_id, at)
                        GROUP BY user_id, client_id),
                  forget AS (DELETE FROM monitoring_user_client s
                             USING (SELECT user_id, max(last_at) AS newest FROM u GROUP BY user_id) n
                             WHERE s.user_id = n.user_id AND s.last_at < n.newest - interval '2 hours'
                               AND NOT EXISTS (SELECT 1 FROM u WHERE u.user_id = s.user_id AND u.client_id = s.client_id))
             INSERT INTO monitoring_user_client (user_id, client_id, last_at)
             SELECT user_id, client_id, last_at FROM u
             ON CONFLICT (user_id, client_id)
             DO UPDATE SET last_at = greatest(monitoring_user_client.last_at, excluded.last_at)",
        )
        .bind(uses.iter().map(|u| u.user).collect::<Vec<_>>())
        .bind(uses.iter().map(|u| u.client).collect::<Vec<_>>())
        .bind(uses.iter().map(|u| u.at).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO monitoring_progress (scanned_through) VALUES ($1)")
        .bind(through)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((raised, through < sealed))
}

/// Runs [`scan`] every `every` until `shutdown` resolves. Then the batch in
/// flight has its statement cancelled and is rolled back (the next start
/// scans it again), and this returns within seconds, whatever the scan was
/// doing: `kirjo serve` awaits it before closing the database.
pub async fn run_monitor(
    pool: PgPool,
    settings: MonitorSettings,
    every: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let stop = Stop::new();
    let work = async {
        loop {
            if let Err(e) = scan_until_stopped(&pool, &settings, SCAN_BATCH, &stop).await {
                if stop.asked() {
                    return;
                }
                tracing::warn!(error = %e.kind(), "monitoring scan failed");
            }
            tokio::select! {
                _ = stop.changed() => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    };
    tokio::pin!(work);
    tokio::pin!(shutdown);
    tokio::select! {
        _ = &mut work => return,
        _ = &mut shutdown => {}
    }
    stop.stop(&pool).await;
    // The cancelled batch ends at once; its statements are bounded by the
    // statement timeout in any case.
    if tokio::time::timeout(settings.statement_timeout, &mut work)
        .await
        .is_err()
    {
        tracing::warn!("the monitoring scan did not stop in time");
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

/// The gate entry of a review of flag `id` (a flag, or the first flag of
/// a review item): by the DPO, or the supervisor of the flag's unit; any
/// other is refused and logged.
async fn enter_review(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    id: i64,
    noun: &str,
) -> Result<crate::gate::Guarded, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReviewMonitoring,
        &format!("review of {noun} {id}"),
    )
    .await?;
    let (conn, access) = g.parts();
    let unit: Option<Option<String>> =
        sqlx::query_scalar("SELECT unit_id FROM access_flag WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(unit) = unit else {
        return Err(GateError::Store(crate::StoreError::Setup(format!(
            "no {noun} {id}"
        ))));
    };
    let may = may_review_unit(&mut *conn, access.user_id(), unit.as_deref().unwrap_or("")).await?;
    if !may {
        return Err(g
            .deny(format!(
                "denied: {noun} {id} is reviewed only by the DPO or the supervisor of its unit"
            ))
            .await);
    }
    Ok(g)
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
             WHERE l.allowed AND l.client_id IS NOT NULL AND l.action <> 'shown_in_list'
               AND l.logged_at >= $3 AND l.logged_at < $4
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
    let mut g = enter_review(pool, caller, settings, flag_id, "flag").await?;
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

#[cfg(test)]
mod tests {
    use super::clients_in_hour;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn the_hour_is_up_to_and_including_the_use_and_not_its_first_instant() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let at = |m: i64| t0 + Duration::minutes(m);
        // User 1: clients 10, 11, 10, then 12 exactly an hour after the first.
        // User 2: client 20 at the same instants as user 1's.
        let window = [
            (1, 10, at(0)),
            (1, 11, at(10)),
            (1, 10, at(30)),
            (1, 12, at(60)),
            (1, 13, at(71)),
            (2, 20, at(0)),
            (2, 20, at(60)),
        ];
        let rows = [
            (1, at(60)),
            (2, at(60)),
            (1, at(0)),
            (1, at(10)),
            (1, at(71)),
            (3, at(5)),
        ];
        // At 60: 11, 10 (at 30) and 12; the use at 0 is an hour old, out.
        // At 71: 10 (at 30), 12 and 13; 11 at 10 is out.
        assert_eq!(clients_in_hour(&rows, &window), [3, 1, 1, 2, 3, 0]);
    }
}
