//! `kirjo bench run`: the real HTTP server under signed-in users.
//!
//! Starts `kirjo serve` as a child process on a free 127.0.0.1 port over
//! the configured database (or attaches to a running one with a URL),
//! picks real users of the database (the client workers with the most
//! clients, a unit supervisor, a data protection officer for log extracts)
//! and the clients of each worker, signs them in over HTTP with a bench
//! password, and drives every page and API route a worker uses daily at
//! each concurrency: one request at a time per virtual user, each user
//! cycling through the routes. It reports p50, p95 and p99 latency and
//! requests per second per route, the server's peak RSS, the PostgreSQL
//! floor of the client card (the statements of `clients::basic_data`
//! without the gate or the log row), and the rates of `audit::verify`,
//! `audit::seal_once` and the monitoring scan.
//!
//! It writes to the database it measures, which must be a benchmark or
//! demo database: the chosen users' password hashes are replaced by a
//! bench password for the run and put back afterwards; the sessions it
//! opens are ended; every request is in the use log like any other; each
//! written entry is discarded at once (the row stays, marked discarded);
//! the sealer's timing adds a backlog of use-log rows of the bench users
//! reading their own clients, which the monitoring scan then reads (and may
//! flag); a second factor of a role that needs one is passed over by moving
//! the bench's own session to the signed-in stage in the database.

use crate::config::Loaded;
use anyhow::{anyhow, bail, Context};
use kirjo_store::PgPool;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most requests one step may make, whatever its length.
pub const MAX_REQUESTS_PER_STEP: u64 = 2_000_000;
/// The longest step allowed.
pub const MAX_SECONDS: f64 = 600.0;
/// The most virtual users.
pub const MAX_CONCURRENCY: usize = 256;
/// Re-authenticate a session that makes log extracts this often (the
/// server asks for the password again after five minutes).
const REAUTH_EVERY: Duration = Duration::from_secs(240);

/// Where the server is.
#[derive(Debug, Clone)]
pub enum Target {
    /// Start `program args... --listen 127.0.0.1:PORT` and stop it at the
    /// end (SIGTERM); `env_remove`: variables the child must not inherit.
    Spawn {
        program: PathBuf,
        args: Vec<OsString>,
        env_remove: Vec<String>,
    },
    /// A running server at `url` (127.0.0.1, ::1 or localhost only); its
    /// process id, if given, for its memory.
    Attach { url: String, pid: Option<u32> },
}

#[derive(Debug, Clone)]
pub struct Options {
    pub target: Target,
    /// Concurrent virtual users of each step.
    pub concurrency: Vec<usize>,
    /// Length of each step.
    pub seconds: f64,
    /// Use-log rows to seal for the sealer's rate (0: not measured).
    pub backlog: u64,
    /// Where the server's own log (standard error) goes when spawned.
    pub server_log: Option<PathBuf>,
}

/// Latencies and statuses of one route in one step.
#[derive(Debug, Clone, Default)]
pub struct RouteResult {
    pub n: u64,
    /// Answers that were not 2xx, by status (0: no answer).
    pub failures: BTreeMap<u16, u64>,
    pub per_sec: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub concurrency: usize,
    pub seconds: f64,
    /// By route label, in the order of [`Report::routes`].
    pub routes: Vec<(String, RouteResult)>,
    /// The floor of the client card at this concurrency.
    pub floor: Option<RouteResult>,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub label: String,
    pub request: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub server: String,
    pub routes: Vec<Route>,
    pub steps: Vec<Step>,
    /// Peak resident memory of the server process (VmHWM), kB.
    pub peak_rss_kb: Option<u64>,
    /// Largest VmRSS seen while the load ran, kB.
    pub max_rss_kb: Option<u64>,
    pub users: Vec<String>,
    pub notes: Vec<String>,
    /// (rows checked, seconds)
    pub verify: Option<(u64, f64)>,
    /// (rows sealed, seconds, batches)
    pub seal: Option<(u64, f64, u64)>,
    /// (positions scanned, seconds, flags raised)
    pub monitor: Option<(u64, f64, usize)>,
}

impl Report {
    /// Whether every route answered 2xx to every request.
    pub fn all_ok(&self) -> bool {
        self.steps.iter().all(|s| {
            s.routes
                .iter()
                .all(|(_, r)| r.failures.is_empty() && r.n > 0)
        })
    }
}

// ---------------------------------------------------------------------------
// The child server

struct Child {
    child: std::process::Child,
}

impl Child {
    fn stop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let pid = self.child.id().to_string();
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status();
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Only this machine's loopback addresses are benchmarked.
pub fn check_local(url: &str) -> anyhow::Result<String> {
    let parsed = reqwest::Url::parse(url).with_context(|| format!("`{url}` is not a URL"))?;
    if parsed.scheme() != "http" {
        bail!("only http:// addresses are benchmarked (got {url})");
    }
    match parsed.host_str() {
        Some("127.0.0.1" | "localhost" | "[::1]") => {}
        _ => bail!("only 127.0.0.1, ::1 or localhost are benchmarked (got {url})"),
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

async fn wait_ready(
    http: &reqwest::Client,
    base: &str,
    child: &mut Option<Child>,
    log: &str,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(r) = http.get(format!("{base}/health/ready")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        if let Some(c) = child.as_mut() {
            if let Ok(Some(status)) = c.child.try_wait() {
                bail!("kirjo serve exited with {status} before it was ready (its log: {log})");
            }
        }
        if Instant::now() > deadline {
            bail!("{base} was not ready in 300 s (log: {log})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------
// Memory of the server

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

// ---------------------------------------------------------------------------
// Users and their sessions

#[derive(Debug, Clone)]
struct Worker {
    id: i64,
    username: String,
    /// (client, service task of the relationship's area)
    clients: Vec<(i64, String)>,
    documents: Vec<i64>,
}

#[derive(Debug, Clone)]
struct Session {
    cookie: String,
    csrf: String,
    token: String,
}

/// One person at a keyboard: a worker's session, and the sessions of the
/// supervisor and the data protection officer for their pages.
struct VUser {
    http: reqwest::Client,
    worker: Arc<Worker>,
    me: Session,
    supervisor: Option<Session>,
    dpo: Option<Session>,
    reauthed: Instant,
    rng: u64,
}

struct Users {
    workers: Vec<Arc<Worker>>,
    supervisor: Option<(i64, String)>,
    dpo: Option<(i64, String)>,
    /// (id, password hash, change required) before the run.
    saved: Vec<(i64, Option<String>, bool)>,
}

const ACTIVE_GRANT: &str = "g.ended_at IS NULL AND g.valid_from <= kirjo_today()
    AND (g.valid_until IS NULL OR kirjo_today() <= g.valid_until)";

async fn pick_users(owner: &PgPool, strong_roles: &[String], max: usize) -> anyhow::Result<Users> {
    // Users that sign in with a password alone: no role that needs a second
    // factor, none enrolled, duties going on.
    let plain = format!(
        "(u.duties_ended_at IS NULL OR u.duties_ended_at > now()) AND u.totp_secret IS NULL
         AND NOT EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id AND g.role = ANY($1) AND {ACTIVE_GRANT})"
    );
    // A worker's clients: active relationships (responsible or on the team)
    // in a unit and area where the worker has a client worker's role.
    let clients_of = format!(
        "SELECT DISTINCT ON (r.client_id) r.client_id, r.sub_register_id
         FROM client_relationship r
         JOIN role_grant g ON g.user_id = $1 AND g.role = 'client_worker' AND {ACTIVE_GRANT}
              AND g.unit_id = r.unit_id AND g.sub_register_id = r.sub_register_id
         WHERE r.ended_on IS NULL AND (r.responsible_worker_id = $1 OR EXISTS (
             SELECT 1 FROM relationship_team_member t WHERE t.relationship_id = r.id AND t.user_id = $1
               AND t.valid_from <= kirjo_today() AND (t.valid_until IS NULL OR kirjo_today() <= t.valid_until)))
         ORDER BY r.client_id, r.started_on DESC"
    );
    let candidates: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT u.id, u.username, count(DISTINCT r.client_id) AS n
         FROM staff_user u
         JOIN role_grant g ON g.user_id = u.id AND g.role = 'client_worker' AND {ACTIVE_GRANT}
         JOIN client_relationship r ON r.ended_on IS NULL AND r.unit_id = g.unit_id
              AND r.sub_register_id = g.sub_register_id
              AND (r.responsible_worker_id = u.id OR EXISTS (
                  SELECT 1 FROM relationship_team_member t WHERE t.relationship_id = r.id AND t.user_id = u.id))
         WHERE {plain}
         GROUP BY u.id, u.username ORDER BY n DESC, u.id LIMIT $2"
    ))
    .bind(strong_roles)
    .bind(max as i64)
    .fetch_all(owner)
    .await?;
    let mut workers = Vec::new();
    for (id, username, _) in candidates {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!("{clients_of} LIMIT 1000"))
            .bind(id)
            .fetch_all(owner)
            .await?;
        let mut clients = Vec::new();
        for (client, area) in rows {
            let task: Option<String> = sqlx::query_scalar(
                "SELECT id FROM service_task WHERE sub_register_id = $1 AND in_configuration ORDER BY id LIMIT 1",
            )
            .bind(&area)
            .fetch_optional(owner)
            .await?;
            if let Some(task) = task {
                clients.push((client, task));
            }
        }
        if clients.is_empty() {
            continue;
        }
        let ids: Vec<i64> = clients.iter().map(|c| c.0).collect();
        let documents: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT d.id FROM document d
             WHERE d.client_id = ANY($2) AND d.state = 'completed'
               AND d.sub_register_id IN (SELECT x.sub_register_id FROM ({clients_of}) x WHERE x.client_id = d.client_id)
             ORDER BY d.id LIMIT 1000"
        ))
        .bind(id)
        .bind(&ids)
        .fetch_all(owner)
        .await?;
        workers.push(Arc::new(Worker {
            id,
            username,
            clients,
            documents,
        }));
    }
    if workers.is_empty() {
        bail!("no client worker with clients who signs in with a password alone: nothing to benchmark");
    }
    let first_unit: Option<String> = sqlx::query_scalar(&format!(
        "SELECT g.unit_id FROM role_grant g WHERE g.user_id = $1 AND g.role = 'client_worker' AND {ACTIVE_GRANT} ORDER BY g.id LIMIT 1"
    ))
    .bind(workers[0].id)
    .fetch_optional(owner)
    .await?;
    let supervisor: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.username FROM staff_user u
         JOIN role_grant g ON g.user_id = u.id AND g.role = 'unit_supervisor' AND {ACTIVE_GRANT}
         WHERE {plain} ORDER BY (g.unit_id = $2) DESC, u.id LIMIT 1"
    ))
    .bind(strong_roles)
    .bind(first_unit)
    .fetch_optional(owner)
    .await?;
    let dpo: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.username FROM staff_user u
         JOIN role_grant g ON g.user_id = u.id AND g.role = 'data_protection_officer' AND {ACTIVE_GRANT}
         WHERE u.duties_ended_at IS NULL OR u.duties_ended_at > now() ORDER BY u.id LIMIT 1"
    ))
    .fetch_optional(owner)
    .await?;
    let mut ids: Vec<i64> = workers.iter().map(|w| w.id).collect();
    ids.extend(supervisor.iter().map(|s| s.0));
    ids.extend(dpo.iter().map(|s| s.0));
    let saved: Vec<(i64, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, password_hash, password_change_required FROM staff_user WHERE id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(owner)
    .await?;
    Ok(Users {
        workers,
        supervisor,
        dpo,
        saved,
    })
}

async fn set_bench_password(owner: &PgPool, users: &Users, password: &str) -> anyhow::Result<()> {
    let p = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || kirjo_web::account::session::hash_password(&p))
        .await?
        .map_err(|e| anyhow!("hashing the bench password: {e}"))?;
    let ids: Vec<i64> = users.saved.iter().map(|s| s.0).collect();
    sqlx::query(
        "UPDATE staff_user SET password_hash = $2, password_change_required = false WHERE id = ANY($1)",
    )
    .bind(&ids)
    .bind(hash)
    .execute(owner)
    .await?;
    Ok(())
}

async fn restore_passwords(owner: &PgPool, users: &Users) -> anyhow::Result<()> {
    for (id, hash, change) in &users.saved {
        sqlx::query(
            "UPDATE staff_user SET password_hash = $2, password_change_required = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(hash)
        .bind(change)
        .execute(owner)
        .await?;
    }
    Ok(())
}

fn cookie_of(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_owned)
}

/// Signs a user in over HTTP as a person would: the password, then (for a
/// role that needs one) the second factor stage passed in the database, the
/// user commitment accepted if it is not, and a page for the form token.
async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    owner: &PgPool,
    username: &str,
    password: &str,
    notes: &mut Vec<String>,
) -> anyhow::Result<Session> {
    let r = http
        .post(format!("{base}/api/session"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": username, "password": password}).to_string())
        .send()
        .await?;
    let status = r.status();
    let token = cookie_of(&r, kirjo_web::shared::session::COOKIE);
    let answer: serde_json::Value = match r.bytes().await {
        Ok(b) => serde_json::from_slice(&b).unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    };
    let Some(token) = token.filter(|_| status.is_success()) else {
        bail!("signing in {username} failed: {status} {answer}");
    };
    if let Some(next) = answer["next"].as_str() {
        if !kirjo_store::staff::set_stage(owner, &token, kirjo_store::staff::Stage::SignedIn)
            .await?
        {
            bail!("the session of {username} ended before its second factor");
        }
        let note = format!(
            "{username}: the second factor (`{next}`) of the bench's session was passed in the database"
        );
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    let cookie = format!("{}={token}", kirjo_web::shared::session::COOKIE);
    let me: serde_json::Value = serde_json::from_slice(
        &http
            .get(format!("{base}/api/me"))
            .header("cookie", &cookie)
            .send()
            .await?
            .bytes()
            .await?,
    )?;
    if me["commitment_accepted"] == serde_json::Value::Bool(false) {
        if let Some(version) = me["commitment"]["version"].as_i64() {
            let r = http
                .post(format!("{base}/api/me/commitment"))
                .header("cookie", &cookie)
                .header("content-type", "application/json")
                .body(serde_json::json!({ "version": version }).to_string())
                .send()
                .await?;
            if !r.status().is_success() {
                bail!(
                    "{username} could not accept the user commitment: {}",
                    r.status()
                );
            }
            notes.push(format!(
                "{username} had not accepted the user commitment: accepted it (version {version})"
            ));
        }
    }
    let page = http
        .get(format!("{base}/"))
        .header("cookie", &cookie)
        .send()
        .await?;
    let csrf_cookie = cookie_of(&page, kirjo_web::shared::page::CSRF_COOKIE)
        .ok_or_else(|| anyhow!("the start page gave {username} no CSRF cookie"))?;
    // The forms' token is bound to the session: the one in the page.
    let body = page.text().await?;
    let csrf = body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the start page gave {username} no form token"))?;
    Ok(Session {
        cookie: format!(
            "{cookie}; {}={csrf_cookie}",
            kirjo_web::shared::page::CSRF_COOKIE
        ),
        csrf,
        token,
    })
}

async fn reauth(
    http: &reqwest::Client,
    base: &str,
    s: &Session,
    password: &str,
) -> anyhow::Result<()> {
    let r = http
        .post(format!("{base}/api/session/reauth"))
        .header("cookie", &s.cookie)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "password": password }).to_string())
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("re-authentication failed: {}", r.status());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The routes

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    SearchPage(Name),
    SearchApi(Name),
    CardPage,
    CardApi,
    TimelinePage,
    TimelineApi,
    DocumentPage,
    Write,
    Discard,
    LogExtract,
    TrailPage,
    TrailApi,
    Supervision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Common,
    Rare,
    Typo,
}

fn routes(has_supervisor: bool, has_dpo: bool) -> Vec<(Kind, Route)> {
    let r = |k: Kind, label: &str, request: &str| {
        (
            k,
            Route {
                label: label.to_owned(),
                request: request.to_owned(),
            },
        )
    };
    let mut v = vec![
        r(Kind::Start, "start page", "GET /"),
        r(
            Kind::SearchPage(Name::Common),
            "search, common surname (page)",
            "POST /search",
        ),
        r(
            Kind::SearchApi(Name::Common),
            "search, common surname (API)",
            "GET /api/clients?name=",
        ),
        r(
            Kind::SearchApi(Name::Rare),
            "search, rare name (API)",
            "GET /api/clients?name=",
        ),
        r(
            Kind::SearchApi(Name::Typo),
            "search, typo (API)",
            "GET /api/clients?name=",
        ),
        r(Kind::CardPage, "client card (page)", "GET /clients/{id}"),
        r(Kind::CardApi, "client card (API)", "GET /api/clients/{id}"),
        r(
            Kind::TimelinePage,
            "timeline (page)",
            "GET /clients/{id}/documents",
        ),
        r(
            Kind::TimelineApi,
            "timeline (API)",
            "GET /api/clients/{id}/documents",
        ),
        r(
            Kind::DocumentPage,
            "one document (page)",
            "GET /documents/{id}",
        ),
        r(
            Kind::Write,
            "write an entry (API)",
            "POST /api/clients/{id}/documents",
        ),
        r(
            Kind::Discard,
            "discard that draft (API)",
            "POST /api/documents/{id}/discard",
        ),
    ];
    if has_dpo {
        v.push(r(
            Kind::LogExtract,
            "client's log extract (API, DPO)",
            "GET /api/clients/{id}/log",
        ));
    }
    v.push(r(Kind::TrailPage, "own trail (page)", "GET /account/trail"));
    v.push(r(Kind::TrailApi, "own trail (API)", "GET /api/me/trail"));
    if has_supervisor {
        v.push(r(
            Kind::Supervision,
            "supervisor's page",
            "GET /supervision",
        ));
    }
    v
}

/// The names searched for: the most common surname, the rarest, and the
/// common one with a letter dropped.
#[derive(Debug, Clone)]
struct Names {
    common: String,
    rare: String,
    typo: String,
}

async fn pick_names(owner: &PgPool) -> anyhow::Result<Names> {
    let common: Option<String> = sqlx::query_scalar(
        "SELECT surname FROM person GROUP BY surname ORDER BY count(*) DESC, surname LIMIT 1",
    )
    .fetch_optional(owner)
    .await?;
    let rare: Option<String> = sqlx::query_scalar(
        "SELECT surname FROM person GROUP BY surname ORDER BY count(*), surname LIMIT 1",
    )
    .fetch_optional(owner)
    .await?;
    let common = common.ok_or_else(|| anyhow!("the database has no people"))?;
    Ok(Names {
        typo: drop_letter(&common),
        rare: rare.unwrap_or_else(|| common.clone()),
        common,
    })
}

/// The name with its middle letter dropped (a typo search still finds it).
pub fn drop_letter(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 3 {
        return name.to_owned();
    }
    let mid = chars.len() / 2;
    chars
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != mid)
        .map(|(_, c)| c)
        .collect()
}

fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

fn pick<'a, T>(rng: &mut u64, v: &'a [T]) -> Option<&'a T> {
    if v.is_empty() {
        None
    } else {
        v.get((next(rng) % v.len() as u64) as usize)
    }
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("name", s)]).unwrap_or_default()
}

struct Ctx {
    base: String,
    names: Names,
    today: String,
    password: String,
}

/// Makes one request of the route; returns the status (0 when there was no
/// answer) and, for a written entry, its id. The time is the whole answer,
/// body read.
async fn request(
    ctx: &Ctx,
    u: &mut VUser,
    kind: Kind,
    draft: Option<i64>,
) -> (u16, Option<i64>, Duration) {
    let base = &ctx.base;
    let client = pick(&mut u.rng, &u.worker.clients)
        .map(|c| c.0)
        .unwrap_or(0);
    let name = |n: Name| match n {
        Name::Common => ctx.names.common.clone(),
        Name::Rare => ctx.names.rare.clone(),
        Name::Typo => ctx.names.typo.clone(),
    };
    let me = &u.me;
    let rb = match kind {
        Kind::Start => u.http.get(format!("{base}/")).header("cookie", &me.cookie),
        Kind::SearchPage(n) => u
            .http
            .post(format!("{base}/search"))
            .header("cookie", &me.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                serde_urlencoded::to_string([("csrf", me.csrf.as_str()), ("name", &name(n))])
                    .unwrap_or_default(),
            ),
        Kind::SearchApi(n) => u
            .http
            .get(format!("{base}/api/clients?{}", enc(&name(n))))
            .header("cookie", &me.cookie),
        Kind::CardPage => u
            .http
            .get(format!("{base}/clients/{client}"))
            .header("cookie", &me.cookie),
        Kind::CardApi => u
            .http
            .get(format!("{base}/api/clients/{client}"))
            .header("cookie", &me.cookie),
        Kind::TimelinePage => u
            .http
            .get(format!("{base}/clients/{client}/documents"))
            .header("cookie", &me.cookie),
        Kind::TimelineApi => u
            .http
            .get(format!("{base}/api/clients/{client}/documents"))
            .header("cookie", &me.cookie),
        Kind::DocumentPage => {
            let doc = pick(&mut u.rng, &u.worker.documents).copied().unwrap_or(0);
            u.http
                .get(format!("{base}/documents/{doc}"))
                .header("cookie", &me.cookie)
        }
        Kind::Write => {
            let (client, task) = u
                .worker
                .clients
                .get((next(&mut u.rng) % u.worker.clients.len().max(1) as u64) as usize)
                .cloned()
                .unwrap_or((0, String::new()));
            u.http
                .post(format!("{base}/api/clients/{client}/documents"))
                .header("cookie", &me.cookie)
                .header("content-type", "application/json")
                .body(
                    serde_json::json!({
                        "service_task": task,
                        "entry": "meeting_or_contact",
                        "date": ctx.today,
                        "text": "Tapaaminen asiakkaan kanssa toimistolla. Käytiin läpi tilanne ja sovittiin seuraavasta tapaamisesta. (kirjo bench run)",
                        "agreed": "Seuraava tapaaminen kahden viikon kuluttua.",
                    })
                    .to_string(),
                )
        }
        Kind::Discard => u
            .http
            .post(format!(
                "{base}/api/documents/{}/discard",
                draft.unwrap_or(0)
            ))
            // The draft just written: its first revision (the ETag of the 201).
            .header("if-match", "\"1\"")
            .header("cookie", &me.cookie)
            .header("content-type", "application/json"),
        Kind::LogExtract => {
            let Some(dpo) = &u.dpo else {
                return (0, None, Duration::ZERO);
            };
            u.http
                .get(format!("{base}/api/clients/{client}/log"))
                .header("cookie", &dpo.cookie)
        }
        Kind::TrailPage => u
            .http
            .get(format!("{base}/account/trail"))
            .header("cookie", &me.cookie),
        Kind::TrailApi => u
            .http
            .get(format!("{base}/api/me/trail"))
            .header("cookie", &me.cookie),
        Kind::Supervision => {
            let Some(s) = &u.supervisor else {
                return (0, None, Duration::ZERO);
            };
            u.http
                .get(format!("{base}/supervision"))
                .header("cookie", &s.cookie)
        }
    };
    let t = Instant::now();
    match rb.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.bytes().await;
            let took = t.elapsed();
            let id = if kind == Kind::Write {
                body.ok()
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                    .and_then(|v| v["id"].as_i64())
            } else {
                None
            };
            (if body_ok(&kind, id) { status } else { 0 }, id, took)
        }
        Err(_) => (0, None, t.elapsed()),
    }
}

fn body_ok(kind: &Kind, id: Option<i64>) -> bool {
    *kind != Kind::Write || id.is_some()
}

#[derive(Default)]
struct Samples {
    lat: Vec<Duration>,
    failures: BTreeMap<u16, u64>,
}

fn summarise(mut s: Samples, seconds: f64) -> RouteResult {
    s.lat.sort();
    let pct = |p: f64| -> f64 {
        if s.lat.is_empty() {
            return 0.0;
        }
        let i = ((s.lat.len() as f64 - 1.0) * p).round() as usize;
        s.lat.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let n = s.lat.len() as u64;
    RouteResult {
        n,
        per_sec: if seconds > 0.0 {
            n as f64 / seconds
        } else {
            0.0
        },
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        failures: s.failures,
    }
}

/// One virtual user's loop until the deadline: the routes in turn, from
/// its own starting point.
async fn drive(
    ctx: Arc<Ctx>,
    mut u: VUser,
    kinds: Arc<Vec<Kind>>,
    start_at: usize,
    deadline: Instant,
    budget: Arc<AtomicI64>,
) -> (VUser, Vec<Samples>) {
    let mut out: Vec<Samples> = kinds.iter().map(|_| Samples::default()).collect();
    let mut i = start_at % kinds.len().max(1);
    let mut draft = None;
    while Instant::now() < deadline && budget.fetch_sub(1, Ordering::Relaxed) > 0 {
        if u.reauthed.elapsed() > REAUTH_EVERY {
            if let Some(d) = &u.dpo {
                let _ = reauth(&u.http, &ctx.base, d, &ctx.password).await;
            }
            u.reauthed = Instant::now();
        }
        let kind = kinds[i];
        // A draft is discarded right after it is written, by the same user.
        if kind == Kind::Discard && draft.is_none() {
            i = (i + 1) % kinds.len();
            continue;
        }
        let (status, id, took) = request(&ctx, &mut u, kind, draft).await;
        if kind == Kind::Write {
            draft = id;
        } else if kind == Kind::Discard {
            draft = None;
        }
        let s = &mut out[i];
        s.lat.push(took);
        if !(200..300).contains(&status) {
            *s.failures.entry(status).or_default() += 1;
        }
        // Stay on the discard when a draft waits, whatever the deadline.
        i = (i + 1) % kinds.len();
    }
    if let Some(d) = draft {
        let _ = request(&ctx, &mut u, Kind::Discard, Some(d)).await;
    }
    (u, out)
}

// ---------------------------------------------------------------------------
// The PostgreSQL floor of the client card

/// The statements `kirjo_store::clients::basic_data` runs to read a
/// client's record (basic data with the turvakielto check, family and
/// representatives, home municipality, addresses, phones and emails unless
/// protected, relationships), without the gate and the use-log row: the
/// store's own texts (`kirjo_store::clients::*_SQL`), in the order it runs
/// them. Returns whether the person exists.
pub async fn basic_data_sql(tx: &mut sqlx::PgConnection, id: i64, user: i64) -> sqlx::Result<bool> {
    use kirjo_store::clients;
    let person = sqlx::query(&clients::basic_person_sql())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let protected = match &person {
        Some(p) => sqlx::Row::try_get::<bool, _>(p, "protected")?,
        None => return Ok(false),
    };
    sqlx::query(&clients::relations_sql())
        .bind(id)
        .bind(user)
        .fetch_all(&mut *tx)
        .await?;
    if !protected {
        let _: Option<Option<String>> = sqlx::query_scalar(clients::HOME_MUNICIPALITY_SQL)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        sqlx::query(clients::ADDRESSES_SQL)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        sqlx::query(clients::CONTACTS_SQL)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    }
    sqlx::query(clients::RELATIONSHIPS_SQL)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    Ok(true)
}

/// `clients`: (client, a worker who has them), read as that worker.
async fn floor_step(pool: &PgPool, clients: &[(i64, i64)], c: usize, seconds: f64) -> RouteResult {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for v in 0..c {
        let pool = pool.clone();
        let clients = clients.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (v as u64 + 1);
            let mut s = Samples::default();
            let mut n: u64 = 0;
            while Instant::now() < deadline && n < MAX_REQUESTS_PER_STEP {
                n += 1;
                let (id, user) = pick(&mut rng, &clients).copied().unwrap_or((0, 0));
                let t = Instant::now();
                let ok = async {
                    let mut tx = pool.begin().await?;
                    let found = basic_data_sql(&mut tx, id, user).await?;
                    tx.commit().await?;
                    Ok::<bool, sqlx::Error>(found)
                }
                .await;
                s.lat.push(t.elapsed());
                if !matches!(ok, Ok(true)) {
                    *s.failures.entry(500).or_default() += 1;
                }
            }
            s
        }));
    }
    let mut all = Samples::default();
    for t in tasks {
        if let Ok(s) = t.await {
            all.lat.extend(s.lat);
            for (k, v) in s.failures {
                *all.failures.entry(k).or_default() += v;
            }
        }
    }
    summarise(all, start.elapsed().as_secs_f64())
}

// ---------------------------------------------------------------------------
// The jobs: verify, sealer, monitoring

/// The explanation of the backlog's use-log rows.
const BACKLOG_EXPLANATION: &str = "kirjo bench run: a backlog for timing the sealer";

async fn make_backlog(runtime: &PgPool, workers: &[Arc<Worker>], rows: u64) -> anyhow::Result<()> {
    let mut made = 0u64;
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let names: BTreeMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM staff_user WHERE id = ANY($1)")
            .bind(workers.iter().map(|w| w.id).collect::<Vec<_>>())
            .fetch_all(runtime)
            .await?
            .into_iter()
            .collect();
    while made < rows {
        let mut tx = runtime.begin().await?;
        let chunk = (rows - made).min(1000);
        for _ in 0..chunk {
            let Some(w) = workers.get((next(&mut rng) % workers.len() as u64) as usize) else {
                break;
            };
            let client = pick(&mut rng, &w.clients).map(|c| c.0);
            kirjo_store::audit::record_use(
                &mut tx,
                &kirjo_store::audit::UseEntry {
                    request_id: Some(uuid::Uuid::new_v4()),
                    user_id: Some(w.id),
                    user_name: names.get(&w.id).map_or("", String::as_str),
                    register_id: None,
                    client_id: client,
                    action: "view_basic_data",
                    data: "basic_data",
                    purpose: None,
                    allowed: true,
                    explanation: BACKLOG_EXPLANATION,
                    source_address: Some("kirjo-bench"),
                },
            )
            .await?;
        }
        tx.commit().await?;
        made += chunk;
    }
    Ok(())
}

async fn time_sealer(
    runtime: &PgPool,
    key: &kirjo_store::audit::SigningKey,
) -> anyhow::Result<(u64, f64, u64)> {
    let t = Instant::now();
    let (mut rows, mut batches) = (0u64, 0u64);
    for _ in 0..10_000 {
        let r = kirjo_store::audit::seal_once(runtime, key).await?;
        rows += r.use_log + r.disclosure_log;
        batches += 1;
        if r.use_log == 0 && r.disclosure_log == 0 {
            break;
        }
    }
    Ok((rows, t.elapsed().as_secs_f64(), batches))
}

async fn time_monitor(runtime: &PgPool) -> anyhow::Result<(u64, f64, usize)> {
    let cursor = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT coalesce(max(scanned_through), 0) FROM monitoring_progress",
        )
        .fetch_one(runtime)
        .await
    };
    let before = cursor().await?;
    let settings = kirjo_store::monitoring::MonitorSettings::default();
    let t = Instant::now();
    let mut raised = 0;
    let mut last = before;
    for _ in 0..10_000 {
        raised += kirjo_store::monitoring::scan(runtime, &settings).await?;
        let now = cursor().await?;
        if now == last {
            break;
        }
        last = now;
    }
    Ok((
        (last - before).max(0) as u64,
        t.elapsed().as_secs_f64(),
        raised,
    ))
}

// ---------------------------------------------------------------------------
// The run

/// Runs the benchmark. `loaded` is the configuration of the database the
/// server uses (for the users, the floor and the jobs).
pub async fn run(loaded: &Loaded, opts: &Options) -> anyhow::Result<Report> {
    if opts.concurrency.is_empty()
        || opts
            .concurrency
            .iter()
            .any(|&c| c == 0 || c > MAX_CONCURRENCY)
    {
        bail!("--concurrency: between 1 and {MAX_CONCURRENCY} users, e.g. 1,16,32");
    }
    if !(opts.seconds > 0.0 && opts.seconds <= MAX_SECONDS) {
        bail!("--seconds: more than 0 and at most {MAX_SECONDS}");
    }
    let probe = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()?;
    let mut report = Report::default();
    // The server.
    let log_path = opts.server_log.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("kirjo-bench-serve-{}.log", std::process::id()))
    });
    let (base, pid, mut child) = match &opts.target {
        Target::Attach { url, pid } => (check_local(url)?, *pid, None),
        Target::Spawn {
            program,
            args,
            env_remove,
        } => {
            let port = free_port()?;
            let log = std::fs::File::create(&log_path)
                .with_context(|| format!("creating {}", log_path.display()))?;
            let mut cmd = std::process::Command::new(program);
            cmd.args(args)
                .arg("--listen")
                .arg(format!("127.0.0.1:{port}"))
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(log);
            for v in env_remove {
                cmd.env_remove(v);
            }
            let c = cmd
                .spawn()
                .with_context(|| format!("starting {}", program.display()))?;
            let pid = c.id();
            (
                format!("http://127.0.0.1:{port}"),
                Some(pid),
                Some(Child { child: c }),
            )
        }
    };
    let log_name = log_path.display().to_string();
    wait_ready(&probe, &base, &mut child, &log_name).await?;
    report.server = match &child {
        Some(_) => format!("`kirjo serve` started by the bench at {base}"),
        None => format!("a running server at {base}"),
    };
    if pid.is_none() {
        report
            .notes
            .push("no server process id: its memory is not read".to_owned());
    }

    // The database, as `kirjo audit` opens it: a cluster the server owns is
    // left running.
    let owned_cluster = loaded.config.database.url.is_none();
    let mut db = crate::serve::open_database(loaded).await?;
    if owned_cluster {
        db.cluster = None;
    }
    let max_c = opts.concurrency.iter().copied().max().unwrap_or(1);
    let strong: Vec<String> = loaded
        .config
        .auth
        .second_factor_roles
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let users = pick_users(&db.owner, &strong, max_c).await?;
    let names = pick_names(&db.owner).await?;
    let password = format!("kirjo-bench-{}", uuid::Uuid::new_v4().simple());
    set_bench_password(&db.owner, &users, &password).await?;
    let ctx = Arc::new(Ctx {
        base: base.clone(),
        names: names.clone(),
        today: kirjo_domain::calendar::helsinki_today()
            .format("%Y-%m-%d")
            .to_string(),
        password: password.clone(),
    });
    let outcome = load_steps(&ctx, &db.owner, &db.runtime, &users, opts, pid, &mut report).await;
    if let Err(e) = restore_passwords(&db.owner, &users).await {
        report
            .notes
            .push(format!("the users' passwords could not be put back: {e:#}"));
    }
    let sessions = outcome?;
    for s in &sessions {
        let _ = kirjo_store::staff::end_session(&db.owner, &s.token, "kirjo bench run ended").await;
    }
    report.users = describe_users(&users);
    report.notes.push(format!(
        "searched names: common `{}`, rare `{}`, typo `{}`",
        names.common, names.rare, names.typo
    ));

    // The jobs, with the server stopped when it is the bench's own (so that
    // its sealer and monitor do not share the work).
    let key_file = loaded.config.audit.signing_key_file(&loaded.config.storage);
    let jobs_db = if let Some(mut c) = child.take() {
        db.close().await?;
        c.stop();
        let mut db = crate::serve::open_database(loaded).await?;
        if !owned_cluster {
            db.cluster = None;
        }
        db
    } else {
        report.notes.push(
            "the server was running during the jobs' timing: its sealer and monitor shared the work"
                .to_owned(),
        );
        db
    };
    let jobs = time_jobs(
        &jobs_db.owner,
        &jobs_db.runtime,
        &key_file,
        &users,
        opts.backlog,
        &mut report,
    )
    .await;
    jobs_db.close().await?;
    jobs?;
    // The server's log of a run that went well is not kept unless asked for.
    if opts.server_log.is_none() {
        let _ = std::fs::remove_file(&log_path);
    }
    Ok(report)
}

fn describe_users(users: &Users) -> Vec<String> {
    let mut v: Vec<String> = users
        .workers
        .iter()
        .map(|w| {
            format!(
                "client worker {} ({} client(s), {} completed document(s))",
                w.username,
                w.clients.len(),
                w.documents.len()
            )
        })
        .collect();
    if let Some((_, s)) = &users.supervisor {
        v.push(format!("unit supervisor {s}"));
    }
    if let Some((_, d)) = &users.dpo {
        v.push(format!("data protection officer {d} (log extracts)"));
    }
    v
}

async fn time_jobs(
    owner: &PgPool,
    runtime: &PgPool,
    key_file: &std::path::Path,
    users: &Users,
    backlog: u64,
    report: &mut Report,
) -> anyhow::Result<()> {
    let key = kirjo_store::audit::SigningKey::load(key_file)?;
    // Whatever the run left unsealed first, so that the backlog is alone.
    time_sealer(runtime, &key).await?;
    let t = Instant::now();
    let v = kirjo_store::audit::verify(runtime, &key.verifying_key(), None).await?;
    report.verify = Some((v.rows_checked, t.elapsed().as_secs_f64()));
    if !v.ok {
        report.notes.push(format!("audit verify: {v}"));
    }
    // Scan what is sealed and not yet scanned, so the timed scan reads the
    // backlog only.
    time_monitor(runtime).await?;
    if backlog > 0 {
        make_backlog(runtime, &users.workers, backlog).await?;
        report.seal = Some(time_sealer(runtime, &key).await?);
        report.monitor = Some(time_monitor(runtime).await?);
        // The flags the scan raised on the backlog's rows are not about
        // anyone's access: taken away again.
        sqlx::query(
            "DELETE FROM access_flag f WHERE NOT EXISTS (SELECT 1 FROM access_flag_review r WHERE r.flag_id = f.id)
               AND f.use_log_id IN (SELECT l.id FROM use_log l WHERE l.explanation = $1 AND l.source_address = 'kirjo-bench')",
        )
        .bind(BACKLOG_EXPLANATION)
        .execute(owner)
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn load_steps(
    ctx: &Arc<Ctx>,
    owner: &PgPool,
    runtime: &PgPool,
    users: &Users,
    opts: &Options,
    pid: Option<u32>,
    report: &mut Report,
) -> anyhow::Result<Vec<Session>> {
    let max_c = opts.concurrency.iter().copied().max().unwrap_or(1);
    let kinds_routes = routes(users.supervisor.is_some(), users.dpo.is_some());
    if users.supervisor.is_none() {
        report.notes.push(
            "no unit supervisor who signs in with a password alone: /supervision not measured"
                .to_owned(),
        );
    }
    if users.dpo.is_none() {
        report
            .notes
            .push("no data protection officer: the log extract is not measured".to_owned());
    }
    report.routes = kinds_routes.iter().map(|(_, r)| r.clone()).collect();
    let kinds: Arc<Vec<Kind>> = Arc::new(kinds_routes.iter().map(|(k, _)| *k).collect());
    // Sign in every virtual user's sessions.
    let mut vusers = Vec::new();
    let mut sessions = Vec::new();
    for v in 0..max_c {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()?;
        let worker = users.workers[v % users.workers.len()].clone();
        let me = sign_in(
            &http,
            &ctx.base,
            owner,
            &worker.username,
            &ctx.password,
            &mut report.notes,
        )
        .await?;
        sessions.push(me.clone());
        let supervisor = match &users.supervisor {
            Some((_, name)) => {
                let s = sign_in(
                    &http,
                    &ctx.base,
                    owner,
                    name,
                    &ctx.password,
                    &mut report.notes,
                )
                .await?;
                sessions.push(s.clone());
                Some(s)
            }
            None => None,
        };
        let dpo = match &users.dpo {
            Some((_, name)) => {
                let s = sign_in(
                    &http,
                    &ctx.base,
                    owner,
                    name,
                    &ctx.password,
                    &mut report.notes,
                )
                .await?;
                reauth(&http, &ctx.base, &s, &ctx.password).await?;
                sessions.push(s.clone());
                Some(s)
            }
            None => None,
        };
        vusers.push(VUser {
            http,
            worker,
            me,
            supervisor,
            dpo,
            reauthed: Instant::now(),
            rng: 0x9E37_79B9_7F4A_7C15 ^ (v as u64 + 1),
        });
    }
    // A worker without completed documents reads the first one they write.
    for u in &mut vusers {
        if u.worker.documents.is_empty() {
            let (status, id, _) = request(ctx, u, Kind::Write, None).await;
            let Some(id) = id.filter(|_| (200..300).contains(&status)) else {
                bail!("{} could not write an entry: {status}", u.worker.username);
            };
            let done = u
                .http
                .post(format!("{}/api/documents/{id}/complete", ctx.base))
                .header("if-match", "\"1\"")
                .header("cookie", &u.me.cookie)
                .header("content-type", "application/json")
                .send()
                .await?;
            if !done.status().is_success() {
                bail!(
                    "{} could not complete an entry: {}",
                    u.worker.username,
                    done.status()
                );
            }
            let mut w = (*u.worker).clone();
            w.documents.push(id);
            report.notes.push(format!(
                "{} had no completed document: wrote and completed entry {id} to read",
                w.username
            ));
            u.worker = Arc::new(w);
        }
    }
    // Warm up: each route once per user, not counted.
    let warm_deadline = Instant::now() + Duration::from_secs(30);
    let mut warmed = Vec::new();
    for (v, u) in vusers.into_iter().enumerate() {
        let budget = Arc::new(AtomicI64::new(kinds.len() as i64));
        warmed.push(tokio::spawn(drive(
            ctx.clone(),
            u,
            kinds.clone(),
            v,
            warm_deadline,
            budget,
        )));
    }
    let mut vusers = Vec::new();
    for t in warmed {
        vusers.push(t.await?.0);
    }
    // The memory sampler.
    let max_rss = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = pid.map(|pid| {
        let (max_rss, stop) = (max_rss.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = status_kb(pid, "VmRSS") {
                    max_rss.fetch_max(kb, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    });
    let floor_clients: Vec<(i64, i64)> = users
        .workers
        .iter()
        .flat_map(|w| w.clients.iter().map(|c| (c.0, w.id)))
        .collect();
    for &c in &opts.concurrency {
        // Each step's log extracts start with a recent password.
        for u in vusers.iter_mut().take(c) {
            if let Some(d) = &u.dpo {
                reauth(&u.http, &ctx.base, d, &ctx.password).await?;
                u.reauthed = Instant::now();
            }
        }
        let start = Instant::now();
        let deadline = start + Duration::from_secs_f64(opts.seconds);
        let budget = Arc::new(AtomicI64::new(MAX_REQUESTS_PER_STEP as i64));
        let mut tasks = Vec::new();
        let mut idle = Vec::new();
        for (v, u) in vusers.into_iter().enumerate() {
            if v < c {
                tasks.push(tokio::spawn(drive(
                    ctx.clone(),
                    u,
                    kinds.clone(),
                    v,
                    deadline,
                    budget.clone(),
                )));
            } else {
                idle.push(u);
            }
        }
        let mut merged: Vec<Samples> = kinds.iter().map(|_| Samples::default()).collect();
        let mut back = Vec::new();
        for t in tasks {
            let (u, samples) = t.await?;
            back.push(u);
            for (m, s) in merged.iter_mut().zip(samples) {
                m.lat.extend(s.lat);
                for (k, v) in s.failures {
                    *m.failures.entry(k).or_default() += v;
                }
            }
        }
        let elapsed = start.elapsed().as_secs_f64();
        back.extend(idle);
        vusers = back;
        let routes = report
            .routes
            .iter()
            .zip(merged)
            .map(|(r, s)| (r.label.clone(), summarise(s, elapsed)))
            .collect();
        // The floor at the same concurrency, with the server idle.
        let floor = floor_step(runtime, &floor_clients, c, opts.seconds).await;
        report.steps.push(Step {
            concurrency: c,
            seconds: elapsed,
            routes,
            floor: Some(floor),
        });
    }
    stop.store(true, Ordering::Relaxed);
    if let Some(s) = sampler {
        let _ = s.await;
    }
    if let Some(pid) = pid {
        report.peak_rss_kb = status_kb(pid, "VmHWM");
        let m = max_rss.load(Ordering::Relaxed);
        report.max_rss_kb = (m > 0).then_some(m);
    }
    Ok(sessions)
}

// ---------------------------------------------------------------------------
// Output

impl Report {
    /// The Markdown to paste into docs/benchmarks.md.
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "Server: {}.\n", self.server);
        if !self.users.is_empty() {
            let _ = writeln!(o, "Users: {}.\n", self.users.join("; "));
        }
        let _ = writeln!(
            o,
            "| route | request | concurrency | n | errors | req/s | p50 ms | p95 ms | p99 ms |"
        );
        let _ = writeln!(
            o,
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for (i, r) in self.routes.iter().enumerate() {
            for s in &self.steps {
                if let Some((_, x)) = s.routes.get(i) {
                    let _ = writeln!(
                        o,
                        "| {} | `{}` | {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.2} |",
                        r.label,
                        r.request,
                        s.concurrency,
                        x.n,
                        errors(&x.failures),
                        x.per_sec,
                        x.p50_ms,
                        x.p95_ms,
                        x.p99_ms
                    );
                }
            }
        }
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "| all routes | concurrency | requests | req/s |\n| --- | ---: | ---: | ---: |"
        );
        for s in &self.steps {
            let n: u64 = s.routes.iter().map(|(_, r)| r.n).sum();
            let _ = writeln!(
                o,
                "| all | {} | {} | {:.1} |",
                s.concurrency,
                n,
                n as f64 / s.seconds.max(1e-9)
            );
        }
        let _ = writeln!(o);
        let card = |s: &Step, label: &str| {
            s.routes
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, r)| r.clone())
        };
        if self.steps.iter().any(|s| s.floor.is_some()) {
            let _ = writeln!(
                o,
                "PostgreSQL floor of the client card: the statements of `clients::basic_data` in one transaction, no gate, no use-log row, no HTTP, from the bench process over the runtime pool, the server idle. Share: the floor's p50 over the route's p50 (how much of the route's time is the SQL itself).\n"
            );
            let _ = writeln!(
                o,
                "| concurrency | floor reads/s | floor p50 ms | floor p95 ms | floor p99 ms | share of card (page) p50 | share of card (API) p50 |"
            );
            let _ = writeln!(o, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for s in &self.steps {
                if let Some(f) = &s.floor {
                    let share = |label: &str| {
                        card(s, label)
                            .filter(|r| r.p50_ms > 0.0)
                            .map_or("-".to_owned(), |r| {
                                format!("{:.0}%", 100.0 * f.p50_ms / r.p50_ms)
                            })
                    };
                    let _ = writeln!(
                        o,
                        "| {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} |",
                        s.concurrency,
                        f.per_sec,
                        f.p50_ms,
                        f.p95_ms,
                        f.p99_ms,
                        share("client card (page)"),
                        share("client card (API)")
                    );
                }
            }
            let _ = writeln!(o);
        }
        let mb = |kb: u64| kb as f64 / 1024.0;
        match (self.peak_rss_kb, self.max_rss_kb) {
            (Some(p), m) => {
                let _ = writeln!(
                    o,
                    "- Server memory: peak RSS (VmHWM) {:.1} MB{}.",
                    mb(p),
                    m.map_or(String::new(), |m| format!(
                        ", largest RSS sampled under load {:.1} MB",
                        mb(m)
                    ))
                );
            }
            (None, _) => {
                let _ = writeln!(o, "- Server memory: not read.");
            }
        }
        let rate = |n: u64, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
        if let Some((rows, s)) = self.verify {
            let _ = writeln!(
                o,
                "- `audit verify` (`kirjo_store::audit::verify`, whole log): {rows} rows in {s:.2} s, {:.0} rows/s.",
                rate(rows, s)
            );
        }
        if let Some((rows, s, batches)) = self.seal {
            let _ = writeln!(
                o,
                "- Sealer (`audit::seal_once` until nothing is left) over a backlog: {rows} rows in {batches} calls, {s:.2} s, {:.0} rows/s.",
                rate(rows, s)
            );
        }
        if let Some((rows, s, flags)) = self.monitor {
            let _ = writeln!(
                o,
                "- Monitoring job (`monitoring::scan` until caught up) over the sealed backlog: {rows} rows in {s:.2} s, {:.0} rows/s, {flags} flags raised (then removed: the backlog is no one's access).",
                rate(rows, s)
            );
        }
        for n in &self.notes {
            let _ = writeln!(o, "- {n}");
        }
        o
    }

    /// A chart of p95 latency against concurrency, one line per route.
    pub fn svg(&self) -> String {
        let (w, h, left, right, top, bottom) = (900.0, 520.0, 60.0, 300.0, 30.0, 50.0);
        let pw = w - left - right;
        let ph = h - top - bottom;
        let cs: Vec<usize> = self.steps.iter().map(|s| s.concurrency).collect();
        let cmax = cs.iter().copied().max().unwrap_or(1).max(1) as f64;
        let ymax = self
            .steps
            .iter()
            .flat_map(|s| s.routes.iter().map(|(_, r)| r.p95_ms))
            .fold(1.0f64, f64::max)
            * 1.1;
        let x = |c: usize| left + pw * (c as f64 / cmax);
        let y = |ms: f64| top + ph - ph * (ms / ymax);
        let colours = [
            "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
        ];
        let mut o = String::new();
        let _ = writeln!(
            o,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">"#
        );
        let _ = writeln!(o, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        let _ = writeln!(
            o,
            r#"<text x="{left}" y="18" font-size="13">kirjo bench run: p95 latency (ms) against concurrent users</text>"#
        );
        let _ = writeln!(
            o,
            r#"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="black"/><line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="black"/>"#,
            top + ph,
            left + pw,
            top + ph,
            top + ph
        );
        for i in 0..=4 {
            let v = ymax * f64::from(i) / 4.0;
            let _ = writeln!(
                o,
                r##"<line x1="{left}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#ddd"/><text x="{2}" y="{3:.1}" text-anchor="end">{v:.0}</text>"##,
                y(v),
                left + pw,
                left - 4.0,
                y(v) + 4.0
            );
        }
        for &c in &cs {
            let _ = writeln!(
                o,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{c}</text>"#,
                x(c),
                top + ph + 16.0
            );
        }
        let _ = writeln!(
            o,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">concurrent users</text>"#,
            left + pw / 2.0,
            h - 10.0
        );
        for (i, r) in self.routes.iter().enumerate() {
            let colour = colours[i % colours.len()];
            let points: Vec<String> = self
                .steps
                .iter()
                .filter_map(|s| {
                    s.routes
                        .get(i)
                        .map(|(_, x0)| format!("{:.1},{:.1}", x(s.concurrency), y(x0.p95_ms)))
                })
                .collect();
            let _ = writeln!(
                o,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{}"/>"#,
                points.join(" ")
            );
            let ly = top + 14.0 * i as f64;
            let _ = writeln!(
                o,
                r#"<line x1="{0}" y1="{1:.1}" x2="{2}" y2="{1:.1}" stroke="{colour}" stroke-width="2"/><text x="{3}" y="{4:.1}">{5}</text>"#,
                left + pw + 15.0,
                ly,
                left + pw + 35.0,
                left + pw + 40.0,
                ly + 4.0,
                xml(&r.label)
            );
        }
        let _ = writeln!(o, "</svg>");
        o
    }
}

fn errors(f: &BTreeMap<u16, u64>) -> String {
    if f.is_empty() {
        return "0".to_owned();
    }
    f.iter()
        .map(|(s, n)| {
            if *s == 0 {
                format!("{n} (no answer)")
            } else {
                format!("{n} ({s})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `1,16,32` as numbers.
pub fn parse_concurrency(s: &str) -> Result<Vec<usize>, String> {
    s.split(',')
        .map(|p| {
            p.trim()
                .parse::<usize>()
                .ok()
                .filter(|c| (1..=MAX_CONCURRENCY).contains(c))
                .ok_or_else(|| {
                    format!("`{p}` is not a number of users from 1 to {MAX_CONCURRENCY}")
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_the_middle_letter() {
        assert_eq!(drop_letter("Mäkinen"), "Mäknen");
        assert_eq!(drop_letter("Ek"), "Ek");
    }

    #[test]
    fn only_local_targets() {
        assert!(check_local("http://127.0.0.1:8080/").is_ok());
        assert!(check_local("http://localhost:8080").is_ok());
        assert!(check_local("http://example.com/").is_err());
        assert!(check_local("https://127.0.0.1/").is_err());
    }

    #[test]
    fn concurrency_list() {
        assert_eq!(parse_concurrency("1,16, 32"), Ok(vec![1, 16, 32]));
        assert!(parse_concurrency("0").is_err());
        assert!(parse_concurrency("x").is_err());
    }
}

// ---------------------------------------------------------------------------
// `kirjo bench monitor`: the monitoring job alone

/// What `kirjo bench monitor` measured.
#[derive(Debug, Clone)]
pub struct MonitorBench {
    pub users: usize,
    pub rows: u64,
    pub write_s: f64,
    pub seal_s: f64,
    pub scan_s: f64,
    pub batches: u64,
    pub flags: usize,
    pub units_with_hours: usize,
}

impl MonitorBench {
    pub fn markdown(&self) -> String {
        format!(
            "- Backlog: {} use-log rows by the {} client workers with the most clients, each reading one of their own clients at random, written in {:.2} s (all within the same hour: every row of a user is in the hour of their later rows).\n\
             - Sealed in {:.2} s.\n\
             - Monitoring job (`monitoring::scan` until caught up, {} units with working hours of their own): {} rows in {:.2} s, **{:.0} rows/s**, {} batch(es), {} flags raised (then removed: the backlog is no one's access).\n",
            self.rows,
            self.users,
            self.write_s,
            self.seal_s,
            self.units_with_hours,
            self.rows,
            self.scan_s,
            self.rows as f64 / self.scan_s.max(1e-9),
            self.batches,
            self.flags,
        )
    }
}

/// Writes a backlog of `rows` use-log rows by the `users` client workers
/// with the most clients (each reading one of their own clients at random,
/// as `kirjo bench run`'s backlog does), seals it, and times the
/// monitoring scan over it with `settings` and every unit given the
/// default working hours as its own (so that the units' read is in the
/// timing). The flags raised on the backlog are deleted afterwards.
/// WRITES to the database: for a benchmark or demo database only.
pub async fn monitor_bench(
    owner: &PgPool,
    runtime: &PgPool,
    key: &kirjo_store::audit::SigningKey,
    rows: u64,
    users: usize,
    settings: &kirjo_store::monitoring::MonitorSettings,
) -> anyhow::Result<MonitorBench> {
    use kirjo_store::monitoring;
    let workers: Vec<(i64, String, Vec<i64>)> = sqlx::query_as(
        "SELECT u.id, u.name, array_agg(DISTINCT r.client_id)
         FROM client_relationship r JOIN staff_user u ON u.id = r.responsible_worker_id
         WHERE r.ended_on IS NULL
         GROUP BY u.id, u.name ORDER BY count(DISTINCT r.client_id) DESC, u.id LIMIT $1",
    )
    .bind(users.max(1) as i64)
    .fetch_all(runtime)
    .await?;
    if workers.is_empty() {
        bail!("no client worker with clients in this database: load the demo first");
    }
    // What was there before is sealed and scanned first, untimed.
    let seal_all = || async {
        for _ in 0..100_000 {
            let r = kirjo_store::audit::seal_once(runtime, key).await?;
            if r.use_log == 0 && r.disclosure_log == 0 {
                break;
            }
        }
        anyhow::Ok(())
    };
    seal_all().await?;
    monitoring::scan(runtime, settings).await?;

    let t = Instant::now();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut made = 0u64;
    while made < rows {
        let mut tx = runtime.begin().await?;
        let chunk = (rows - made).min(1000);
        for _ in 0..chunk {
            let Some((id, name, clients)) = pick(&mut rng, &workers) else {
                break;
            };
            kirjo_store::audit::record_use(
                &mut tx,
                &kirjo_store::audit::UseEntry {
                    request_id: Some(uuid::Uuid::new_v4()),
                    user_id: Some(*id),
                    user_name: name,
                    register_id: None,
                    client_id: pick(&mut rng, clients).copied(),
                    action: "view_basic_data",
                    data: "basic_data",
                    purpose: None,
                    allowed: true,
                    explanation: BACKLOG_EXPLANATION,
                    source_address: Some("kirjo-bench"),
                },
            )
            .await?;
        }
        tx.commit().await?;
        made += chunk;
    }
    let write_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    seal_all().await?;
    let seal_s = t.elapsed().as_secs_f64();

    let mut settings = settings.clone();
    let units: Vec<String> = sqlx::query_scalar("SELECT id FROM unit")
        .fetch_all(runtime)
        .await?;
    for u in &units {
        settings
            .units
            .entry(u.clone())
            .or_insert(
                settings
                    .default_hours
                    .unwrap_or(monitoring::WorkingHours::Hours {
                        every_day: false,
                        from: settings.working_hours.0,
                        to: settings.working_hours.1,
                    }),
            );
    }
    let cursor = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT coalesce(max(scanned_through), 0) FROM monitoring_progress",
        )
        .fetch_one(runtime)
        .await
    };
    let batches_before: i64 = sqlx::query_scalar("SELECT count(*) FROM monitoring_progress")
        .fetch_one(runtime)
        .await?;
    let before = cursor().await?;
    let t = Instant::now();
    let mut flags = 0;
    let mut last = before;
    for _ in 0..100_000 {
        flags += monitoring::scan(runtime, &settings).await?;
        let now = cursor().await?;
        if now == last {
            break;
        }
        last = now;
    }
    let scan_s = t.elapsed().as_secs_f64();
    let batches_after: i64 = sqlx::query_scalar("SELECT count(*) FROM monitoring_progress")
        .fetch_one(runtime)
        .await?;
    sqlx::query(
        "DELETE FROM access_flag f WHERE NOT EXISTS (SELECT 1 FROM access_flag_review r WHERE r.flag_id = f.id)
           AND f.use_log_id IN (SELECT l.id FROM use_log l WHERE l.explanation = $1 AND l.source_address = 'kirjo-bench')",
    )
    .bind(BACKLOG_EXPLANATION)
    .execute(owner)
    .await?;
    Ok(MonitorBench {
        users: workers.len(),
        rows: (last - before).max(0) as u64,
        write_s,
        seal_s,
        scan_s,
        batches: (batches_after - batches_before).max(0) as u64,
        flags,
        units_with_hours: units.len(),
    })
}
