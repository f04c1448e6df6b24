//! `kirjo serve`: wiring the configuration, the database and the server.
//!
//! Order of start: listen first (a port in use fails before anything else
//! starts), then the database (a cluster of our own, or the configured one),
//! migrations, the register description, demo data, and serving. SIGTERM or
//! Ctrl-C at any point stops what was started, in reverse: in-flight requests
//! finish, pools close, and an owned cluster gets a fast shutdown.

use crate::cluster::{self, LocalCluster};
use crate::config::{mask_url, Loaded};
use crate::setup::{gate_settings, prepare};
use anyhow::Context;
use kirjo_store::{bootstrap, migrate, register, PgPool, OWNER_ROLE, RUNTIME_ROLE};
use sqlx::postgres::PgConnectOptions;
use std::future::Future;
use std::io::Write;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

/// The `application_name` of Kirjo's connections.
pub const APPLICATION_NAME: &str = "kirjo";

/// The connected database, however it was reached.
pub struct Database {
    pub owner: PgPool,
    pub runtime: PgPool,
    pub cluster: Option<LocalCluster>,
    pub description: String,
    /// With several hosts in database.url: follows the primary among them.
    pub failover: Option<crate::failover::Watcher>,
}

impl Database {
    pub async fn close(mut self) -> anyhow::Result<()> {
        self.runtime.close().await;
        self.owner.close().await;
        if let Some(c) = self.cluster.take() {
            c.stop()?;
        }
        Ok(())
    }
}

impl Drop for Database {
    /// If Kirjo unwinds from a panic (or forgets to close), a cluster it owns
    /// is still stopped: nothing is left running.
    fn drop(&mut self) {
        if let Some(c) = self.cluster.take() {
            let _ = c.stop();
        }
    }
}

/// Resolves when SIGTERM or SIGINT arrives. Handlers are installed at once,
/// so a signal during start-up is not lost.
pub fn shutdown_signal() -> anyhow::Result<impl Future<Output = &'static str>> {
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    })
}

/// Connects to the database the configuration names, or starts the owned
/// cluster; creates roles, migrates and writes the register description.
pub async fn open_database(loaded: &Loaded) -> anyhow::Result<Database> {
    let cfg = &loaded.config;
    let max = cfg.database.max_connections();
    // A short acquire timeout: with the database gone, a request is
    // answered 503 within it instead of waiting. The connections name
    // themselves, so that a shutdown can cancel their queries.
    let acquire = cfg.database.acquire_timeout();
    let named = |options: PgConnectOptions| {
        if options.get_application_name().is_none() {
            options.application_name(APPLICATION_NAME)
        } else {
            options
        }
    };
    let pool = |options: PgConnectOptions, max: u32, role: Option<&'static str>| {
        bootstrap::pool_with_timeout(named(options), max, role, acquire)
    };
    match &cfg.database.url {
        Some(url) => {
            let hosts = crate::failover::Hosts::parse(url)
                .map_err(anyhow::Error::msg)
                .context("database.url")?;
            let candidates: Vec<PgConnectOptions> =
                hosts.options().into_iter().map(named).collect();
            let chosen = if candidates.len() > 1 {
                crate::failover::choose(&candidates, hosts.read_write)
                    .await
                    .with_context(|| {
                        format!(
                            "no host of {} takes writes (target_session_attrs=read-write)",
                            mask_url(url)
                        )
                    })?
            } else {
                0
            };
            let owner_opts: PgConnectOptions = candidates
                .get(chosen)
                .cloned()
                .context("database.url names no host")?;
            let runtime_candidates: Vec<PgConnectOptions> = match &cfg.database.runtime_url {
                Some(r) => crate::failover::Hosts::parse(r)
                    .map_err(anyhow::Error::msg)
                    .context("database.runtime_url")?
                    .options(),
                None => candidates.clone(),
            }
            .into_iter()
            .map(|o| named(bootstrap::runtime_options(o)))
            .collect();
            if runtime_candidates.len() != candidates.len() {
                anyhow::bail!(
                    "database.runtime_url names {} hosts and database.url {}: give the same hosts in the same order",
                    runtime_candidates.len(),
                    candidates.len()
                );
            }
            let owner = pool(owner_opts.clone(), 2, None)
                .await
                .with_context(|| format!("connecting to {}", mask_url(url)))?;
            let result = async {
                bootstrap::ensure_runtime_role(&owner, cfg.database.runtime_url.is_none()).await?;
                let runtime = pool(
                    runtime_candidates[chosen].clone(),
                    max,
                    cfg.database.runtime_url.is_none().then_some(RUNTIME_ROLE),
                )
                .await
                .context("connecting the runtime role")?;
                anyhow::Ok(runtime)
            }
            .await;
            match result {
                Ok(runtime) => {
                    let failover = (candidates.len() > 1).then(|| {
                        crate::failover::watch(
                            candidates.clone(),
                            vec![
                                crate::failover::Follower {
                                    pool: owner.clone(),
                                    candidates: candidates.clone(),
                                },
                                crate::failover::Follower {
                                    pool: runtime.clone(),
                                    candidates: runtime_candidates,
                                },
                            ],
                            chosen,
                            hosts.read_write,
                        )
                    });
                    finish_opening(
                        Database {
                            owner,
                            runtime,
                            cluster: None,
                            failover,
                            description: mask_url(url),
                        },
                        loaded,
                    )
                    .await
                }
                Err(e) => {
                    owner.close().await;
                    Err(e)
                }
            }
        }
        None => {
            let mut cluster = LocalCluster::prepare(
                &cfg.storage.data_dir,
                cfg.database.postgres_bin_dir.as_deref(),
            )?;
            if let Some(dir) = &cfg.backup.dir {
                cluster = cluster.with_backup_dir(dir)?;
            }
            cluster.start()?;
            let opened = async {
                bootstrap::bootstrap_owned_cluster(&cluster.superuser_options(), cluster::DATABASE)
                    .await?;
                let owner = pool(cluster.options(OWNER_ROLE, cluster::DATABASE), 2, None).await?;
                let runtime = pool(
                    bootstrap::runtime_options(cluster.options(RUNTIME_ROLE, cluster::DATABASE)),
                    max,
                    None,
                )
                .await?;
                anyhow::Ok((owner, runtime))
            }
            .await;
            match opened {
                Ok((owner, runtime)) => {
                    let description = format!(
                        "local cluster in {} (PostgreSQL binaries in {})",
                        cluster.root.display(),
                        cluster.bin_dir.display()
                    );
                    finish_opening(
                        Database {
                            owner,
                            runtime,
                            cluster: Some(cluster),
                            description,
                            failover: None,
                        },
                        loaded,
                    )
                    .await
                }
                Err(e) => {
                    let _ = cluster.stop();
                    Err(e)
                }
            }
        }
    }
}

async fn finish_opening(db: Database, loaded: &Loaded) -> anyhow::Result<Database> {
    let result = async {
        let report = migrate::migrate(&db.owner).await?;
        tracing::info!(
            applied_now = report.applied_now.len(),
            already_applied = report.already_applied,
            "schema migrated"
        );
        prepare(&db.owner, loaded).await?;
        anyhow::Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(db),
        Err(e) => {
            db.close().await.ok();
            Err(e)
        }
    }
}

/// Binds the listening socket, with a clear error for the usual failures.
pub async fn bind(addr: std::net::SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "address {addr} is already in use: stop what listens there, or choose another with --listen or KIRJO_LISTEN"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "no permission to listen on {addr}: use a port above 1023"
        ),
        std::io::ErrorKind::AddrNotAvailable => anyhow::anyhow!(
            "address {addr} is not an address of this machine"
        ),
        _ => anyhow::anyhow!("cannot listen on {addr}: {e}"),
    })
}

/// A signal that shutdown was asked for, which any number of tasks can await.
#[derive(Clone)]
pub struct Shutdown(tokio::sync::watch::Receiver<Option<&'static str>>);

impl Shutdown {
    /// Installs the handlers now and watches for the first signal.
    pub fn install() -> anyhow::Result<Self> {
        let signal = shutdown_signal()?;
        let (tx, rx) = tokio::sync::watch::channel(None);
        tokio::spawn(async move {
            let name = signal.await;
            let _ = tx.send(Some(name));
        });
        Ok(Self(rx))
    }

    /// Resolves with the signal's name.
    pub async fn wait(mut self) -> &'static str {
        match self.0.wait_for(Option::is_some).await {
            Ok(v) => v.unwrap_or("signal"),
            Err(_) => "signal",
        }
    }
}

/// `kirjo serve`.
pub async fn serve(loaded: Loaded, demo: bool) -> anyhow::Result<()> {
    let shutdown = Shutdown::install()?;
    let listener = bind(loaded.config.server.listen).await?;
    let addr = listener.local_addr()?;

    // Start-up races the signal: a SIGTERM while migrating still stops the
    // cluster cleanly.
    let db = tokio::select! {
        db = open_database(&loaded) => db?,
        sig = shutdown.clone().wait() => {
            tracing::info!(signal = sig, "stopped during start-up");
            // open_database was cancelled: stop an owned cluster by its data
            // directory.
            if loaded.config.database.url.is_none() {
                if let Ok(c) = LocalCluster::prepare(
                    &loaded.config.storage.data_dir,
                    loaded.config.database.postgres_bin_dir.as_deref(),
                ) {
                    c.stop()?;
                }
            }
            return Ok(());
        }
    };

    let key = match audit_signing_key(&loaded, &db).await {
        Ok(k) => k,
        Err(e) => {
            db.close().await.ok();
            return Err(e);
        }
    };
    // One stop for the background jobs, given once the server has finished
    // (or given up on) the requests in flight.
    let (stop_jobs, jobs_stop) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    // The sealer runs on the runtime pool. It seals once more when
    // stopped, so that the last requests' log rows are sealed before the
    // database closes.
    let sealer = tokio::spawn(kirjo_store::audit::run_sealer(
        db.runtime.clone(),
        key,
        loaded.config.audit.seal_interval(),
        stopped(jobs_stop.clone()),
    ));

    // The monitor raises the automatic flags from the sealed log. It stops
    // at the shutdown signal (or when the server ends), cancelling the
    // query of its batch in flight.
    let monitor_signal = shutdown.clone();
    let monitor_done = stopped(jobs_stop.clone());
    let monitor = tokio::spawn(kirjo_store::monitoring::run_monitor(
        db.runtime.clone(),
        loaded.config.monitoring.settings(),
        std::time::Duration::from_secs(5),
        async move {
            tokio::select! {
                _ = monitor_signal.wait() => {}
                () = monitor_done => {}
            }
        },
    ));
    // The cluster Kirjo owns is watched and started again if it dies,
    // until the shutdown signal or the server's end (an error included).
    let supervisor = db.cluster.clone().map(|c| {
        let signal = shutdown.clone();
        let server_done = stopped(jobs_stop.clone());
        tokio::spawn(supervise(c, async move {
            tokio::select! {
                _ = signal.wait() => {}
                () = server_done => {}
            }
        }))
    });

    let result = run_server(&loaded, &db, listener, addr, demo, shutdown).await;
    let _ = stop_jobs.send(true);
    if let Some(s) = supervisor {
        let _ = s.await;
    }
    stop_job(monitor, "monitoring", &db).await;
    stop_job(sealer, "audit sealer", &db).await;
    let closed = match tokio::time::timeout(CLOSE_TIMEOUT, db.close()).await {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!("closing the database connections timed out");
            Ok(())
        }
    };
    tracing::info!("stopped");
    result.and(closed)
}

/// How long a background job gets to finish after the stop, before its
/// queries are cancelled; and again before it is abandoned.
const JOB_GRACE: std::time::Duration = std::time::Duration::from_secs(3);
/// How long closing the pools (and stopping an owned cluster) may take.
const CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(70);

/// Waits for a stopped background job; if it is still in a query after
/// [`JOB_GRACE`], cancels Kirjo's running queries and then abandons it.
async fn stop_job<T>(mut job: tokio::task::JoinHandle<T>, name: &str, db: &Database) {
    if tokio::time::timeout(JOB_GRACE, &mut job).await.is_ok() {
        return;
    }
    tracing::warn!(
        job = name,
        "a background job did not stop in time: cancelling its queries"
    );
    let _ = tokio::time::timeout(JOB_GRACE, cancel_queries(&db.owner)).await;
    if tokio::time::timeout(JOB_GRACE, &mut job).await.is_err() {
        tracing::warn!(job = name, "abandoning a background job that did not stop");
        job.abort();
        let _ = job.await;
    }
}

/// Cancels the running queries of Kirjo's own connections (by their
/// `application_name`), but for the one asking.
async fn cancel_queries(owner: &PgPool) {
    let r: Result<Vec<bool>, _> = sqlx::query_scalar(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid() \
         AND datname = current_database()",
    )
    .bind(APPLICATION_NAME)
    .fetch_all(owner)
    .await;
    match r {
        Ok(v) => tracing::info!(cancelled = v.len(), "queries cancelled"),
        Err(e) => tracing::warn!(error = %e, "could not cancel the running queries"),
    }
}

/// Watches the owned cluster and starts it again when its server has died,
/// waiting longer after each failed start (1 s doubling to 30 s).
async fn supervise(cluster: LocalCluster, stop: impl Future<Output = ()>) {
    use std::time::Duration;
    const CHECK: Duration = Duration::from_secs(1);
    const MAX_BACKOFF: Duration = Duration::from_secs(30);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(CHECK) => {}
        }
        let c = cluster.clone();
        if tokio::task::spawn_blocking(move || c.is_running())
            .await
            .unwrap_or(true)
        {
            continue;
        }
        tracing::error!("the local PostgreSQL is not running: starting it again");
        let mut backoff = Duration::from_secs(1);
        loop {
            let c = cluster.clone();
            match tokio::task::spawn_blocking(move || c.start()).await {
                Ok(Ok(_)) => {
                    tracing::info!("the local PostgreSQL was restarted");
                    break;
                }
                Ok(Err(e)) => tracing::error!(
                    error = %e,
                    retry_in_secs = backoff.as_secs(),
                    "restarting the local PostgreSQL failed"
                ),
                Err(e) => tracing::error!(error = %e, "restarting the local PostgreSQL failed"),
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
}

/// Loads the audit signing key. With Kirjo's own cluster a missing key is
/// made (and a warning logged); with an external database it is an error.
pub async fn audit_signing_key(
    loaded: &Loaded,
    db: &Database,
) -> anyhow::Result<kirjo_store::audit::SigningKey> {
    use kirjo_store::audit;
    let cfg = &loaded.config;
    let path = cfg.audit.signing_key_file(&cfg.storage);
    let key = if path.exists() {
        audit::SigningKey::load(&path)?
    } else if db.cluster.is_some() {
        let key = audit::generate_key_file(&path)?;
        tracing::warn!(
            file = %path.display(),
            key_id = key.key_id(),
            "there was no audit signing key, so a new one was made: keep a copy of it outside the database host"
        );
        key
    } else {
        anyhow::bail!(
            "the audit signing key file {} does not exist: make one with `kirjo audit keygen {}` \
             (and keep a copy outside the database host), or point audit.signing_key_file or \
             KIRJO_AUDIT_SIGNING_KEY_FILE at the existing one",
            path.display(),
            path.display()
        );
    };
    if let Some(last) = audit::last_key_id(&db.runtime).await? {
        if last != key.key_id() {
            tracing::warn!(
                previous_key_id = %last,
                key_id = key.key_id(),
                "the audit log was last sealed with another key: verifying the older batches needs that key's public half"
            );
        }
    }
    tracing::info!(key_id = key.key_id(), file = %path.display(), "audit signing key loaded");
    Ok(key)
}

async fn run_server(
    loaded: &Loaded,
    db: &Database,
    listener: TcpListener,
    addr: std::net::SocketAddr,
    demo: bool,
    shutdown: Shutdown,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout();
    if demo {
        let report = crate::demo::load(&db.owner).await?;
        let regs = register::sub_registers(&db.runtime).await?;
        let tasks: i64 = regs.iter().map(|r| r.service_tasks).sum();
        for part in &report.loaded_now {
            writeln!(out, "Demo data: part `{part}` loaded now.")?;
        }
        for part in &report.already_loaded {
            writeln!(
                out,
                "Demo data: part `{part}` was loaded before; nothing loaded again."
            )?;
        }
        writeln!(
            out,
            "Demo register: {} with {} sub-registers and {} service tasks.",
            loaded.config.register.controller.name,
            regs.len(),
            tasks
        )?;
        writeln!(
            out,
            "Sign in on the pages (the address below), or POST /api/session with {{\"username\": ..., \"password\": \"{}\"}}; every demo user has this password:",
            crate::demo::DEMO_PASSWORD
        )?;
        for u in crate::demo::USERS {
            writeln!(out, "  {:<26} {}", u.username, u.shows)?;
        }
        writeln!(
            out,
            "Second factor: {} has TOTP enrolled with the secret {} (add it to an authenticator app); \
             roles {} must enrol at their first sign-in.",
            crate::demo::DEMO_TOTP_USER,
            kirjo_web::account::totp::base32(crate::demo::DEMO_TOTP_SECRET),
            loaded
                .config
                .auth
                .second_factor_roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    tracing::info!(database = %db.description, "database ready");
    let tls = tls_config(loaded)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    writeln!(
        out,
        "Kirjo is ready at {scheme}://{addr}/ (health: {scheme}://{addr}/health/ready)"
    )?;
    out.flush()?;

    let cfg = &loaded.config;
    let state = kirjo_web::AppState::new(db.runtime.clone())
        .with_gate(gate_settings(loaded))
        .with_sessions(session_settings(loaded, tls.is_some()))
        .with_ui(kirjo_web::UiSettings {
            purposes: cfg.register.access_purposes.clone(),
            tls: tls.is_some(),
        })
        .with_register(cfg.register.clone(), cfg.notice_facts())
        .with_hashing(
            cfg.auth.password_hashing_concurrency(),
            cfg.auth.password_hashing_queue(),
        );
    let limits = crate::http::Limits {
        header_read_timeout: cfg.server.header_read_timeout(),
        body_read_timeout: cfg.server.body_read_timeout(),
        max_connections: cfg.server.max_connections(),
        max_connections_per_source: cfg.server.max_connections_per_source(),
        shutdown_timeout: cfg.server.shutdown_timeout(),
    };
    crate::http::serve(
        listener,
        tls,
        kirjo_web::router(state),
        limits,
        async move {
            let sig = shutdown.wait().await;
            tracing::info!(signal = sig, "shutting down: finishing requests in flight");
        },
    )
    .await?;
    tracing::info!("server stopped");
    Ok(())
}

/// The session settings of the configuration.
pub fn session_settings(loaded: &Loaded, tls: bool) -> kirjo_web::SessionSettings {
    let auth = &loaded.config.auth;
    let defaults = kirjo_web::SessionSettings::default();
    kirjo_web::SessionSettings {
        idle_secs: auth
            .idle_timeout_minutes
            .map_or(defaults.idle_secs, |m| i64::from(m) * 60),
        absolute_secs: auth
            .session_max_hours
            .map_or(defaults.absolute_secs, |h| i64::from(h) * 3600),
        secure_cookies: tls,
        second_factor_roles: auth.second_factor_roles.clone(),
        max_password_age_days: auth.max_password_age_days.map(i64::from),
        issuer: format!("Kirjo {}", loaded.config.register.controller.name),
        relying_party: loaded.config.server.public_url().and_then(|url| {
            kirjo_web::account::webauthn::RelyingParty::from_public_url(&url, "Kirjo")
        }),
        ..defaults
    }
}

/// The rustls configuration, when a certificate and key are configured.
fn tls_config(loaded: &Loaded) -> anyhow::Result<Option<std::sync::Arc<rustls::ServerConfig>>> {
    let (Some(cert), Some(key)) = (
        &loaded.config.server.tls_certificate,
        &loaded.config.server.tls_private_key,
    ) else {
        return Ok(None);
    };
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            anyhow::anyhow!(
                "server.tls_certificate: cannot read a PEM certificate from {}: {e}",
                cert.display()
            )
        })?;
    if certs.is_empty() {
        anyhow::bail!(
            "server.tls_certificate: no certificate in {}",
            cert.display()
        );
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        anyhow::anyhow!(
            "server.tls_private_key: cannot read a PEM private key from {}: {e}",
            key.display()
        )
    })?;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow::anyhow!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow::anyhow!("server.tls_certificate and server.tls_private_key: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some(std::sync::Arc::new(config)))
}
