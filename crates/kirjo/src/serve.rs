//! `kirjo serve`: wiring the configuration, the database and the server.
//!
//! Order of start: listen first (a port in use fails before anything else
//! starts), then the database (a cluster of our own, or the configured one),
//! migrations, the register description, demo data, and serving. SIGTERM or
//! Ctrl-C at any point stops what was started, in reverse: in-flight requests
//! finish, pools close, and an owned cluster gets a fast shutdown.

use crate::cluster::{self, LocalCluster};
use crate::config::{mask_url, Loaded};
use anyhow::Context;
use kirjo_store::{bootstrap, migrate, register, PgPool, OWNER_ROLE, RUNTIME_ROLE};
use sqlx::postgres::PgConnectOptions;
use std::future::Future;
use std::io::Write;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

/// The connected database, however it was reached.
pub struct Database {
    pub owner: PgPool,
    pub runtime: PgPool,
    pub cluster: Option<LocalCluster>,
    pub description: String,
}

impl Database {
    pub async fn close(self) -> anyhow::Result<()> {
        self.runtime.close().await;
        self.owner.close().await;
        if let Some(c) = &self.cluster {
            c.stop()?;
        }
        Ok(())
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
    match &cfg.database.url {
        Some(url) => {
            let owner_opts: PgConnectOptions = url.parse().context("database.url")?;
            let owner = bootstrap::pool(owner_opts.clone(), 2, None)
                .await
                .with_context(|| format!("connecting to {}", mask_url(url)))?;
            let result = async {
                bootstrap::ensure_runtime_role(&owner, cfg.database.runtime_url.is_none()).await?;
                let runtime = match &cfg.database.runtime_url {
                    Some(r) => bootstrap::pool(r.parse()?, max, None)
                        .await
                        .with_context(|| format!("connecting to {}", mask_url(r)))?,
                    None => bootstrap::pool(owner_opts.clone(), max, Some(RUNTIME_ROLE)).await?,
                };
                anyhow::Ok(runtime)
            }
            .await;
            match result {
                Ok(runtime) => {
                    finish_opening(
                        Database {
                            owner,
                            runtime,
                            cluster: None,
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
            let cluster = LocalCluster::prepare(
                &cfg.storage.data_dir,
                cfg.database.postgres_bin_dir.as_deref(),
            )?;
            cluster.start()?;
            let opened = async {
                bootstrap::bootstrap_owned_cluster(&cluster.superuser_options(), cluster::DATABASE)
                    .await?;
                let owner =
                    bootstrap::pool(cluster.options(OWNER_ROLE, cluster::DATABASE), 2, None)
                        .await?;
                let runtime =
                    bootstrap::pool(cluster.options(RUNTIME_ROLE, cluster::DATABASE), max, None)
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
        register::sync(&db.owner, &loaded.config.register).await?;
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

    let result = run_server(&loaded, &db, listener, addr, demo, shutdown).await;
    let closed = db.close().await;
    result.and(closed)
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
            "Sign-in: Kirjo has no user accounts yet; personal accounts and sign-in come with the staff web UI."
        )?;
    }
    tracing::info!(database = %db.description, "database ready");
    writeln!(
        out,
        "Kirjo is ready at http://{addr}/ (health: http://{addr}/health/ready)"
    )?;
    out.flush()?;

    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()));
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let sig = shutdown.wait().await;
            tracing::info!(signal = sig, "shutting down: finishing requests in flight");
        })
        .await?;
    tracing::info!("server stopped");
    Ok(())
}
