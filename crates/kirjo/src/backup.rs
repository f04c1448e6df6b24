//! `kirjo backup` and `kirjo restore`: base backups with `pg_basebackup`
//! and point-in-time recovery from them and the WAL archive, PostgreSQL's
//! own machinery (see docs/backup.md).
//!
//! The backup directory (`backup.dir`) holds `base/<UTC time>/`, one plain
//! copy of the cluster per base backup with the moment it was finished in
//! `kirjo-finished-at`, and `wal/`, the archived WAL. A restore copies the
//! newest base backup finished before the target time into a new data
//! directory and has PostgreSQL roll it forward with the archived WAL to
//! that moment, then promote it; the result is a Kirjo data directory that
//! `kirjo serve --data-dir` starts as it is.

use crate::cluster::{self, BackupDirs, LocalCluster, RECOVERY_CONF};
use crate::config::Loaded;
use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The file in a base backup that says when it was finished.
const FINISHED: &str = "kirjo-finished-at";

/// One finished base backup.
#[derive(Debug, Clone)]
pub struct BaseBackup {
    pub path: PathBuf,
    pub finished_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct BackupReport {
    pub base: BaseBackup,
    pub bytes: u64,
    /// Whether the cluster archives WAL (without it the base backup can
    /// only be restored as it is).
    pub archiving: bool,
}

#[derive(Debug)]
pub struct RestoreReport {
    pub base: BaseBackup,
    pub data_dir: PathBuf,
    /// The target, or `None` for the end of the archive.
    pub target: Option<DateTime<Utc>>,
    pub use_log_rows: i64,
    pub last_logged_at: Option<DateTime<Utc>>,
}

/// A moment given on the command line: RFC 3339 with its offset
/// (`2026-12-03T14:05:00+02:00`, `...Z`), or a local time in Finland
/// (`2026-12-03 14:05` or with seconds), as the people running Kirjo read
/// their clocks.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
            return chrono_tz::Europe::Helsinki
                .from_local_datetime(&naive)
                .earliest()
                .map(|dt| dt.with_timezone(&Utc))
                .ok_or_else(|| {
                    format!("`{t}` does not exist in Finnish time (the clocks were turned forward)")
                });
        }
    }
    Err(format!(
        "`{t}` is not a time: give 2026-12-03T14:05:00+02:00 (RFC 3339), or 2026-12-03 14:05 in Finnish time"
    ))
}

/// The base backups in the backup directory that were finished, oldest
/// first.
pub fn base_backups(dirs: &BackupDirs) -> anyhow::Result<Vec<BaseBackup>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(&dirs.base)
        .with_context(|| format!("reading {}", dirs.base.display()))?;
    for entry in entries {
        let path = entry?.path();
        let Ok(text) = std::fs::read_to_string(path.join(FINISHED)) else {
            continue; // unfinished (a `.part`) or not ours
        };
        if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
            found.push(BaseBackup {
                path,
                finished_at: at.with_timezone(&Utc),
            });
        }
    }
    found.sort_by_key(|b| b.finished_at);
    Ok(found)
}

fn backup_dir(loaded: &Loaded) -> anyhow::Result<&Path> {
    loaded
        .config
        .backup
        .dir
        .as_deref()
        .context("no backup directory: set backup.dir in the configuration or KIRJO_BACKUP_DIR")
}

fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Takes a base backup of the database into `<backup.dir>/base/`. A local
/// cluster that is not running is started for it and stopped after.
pub async fn backup(loaded: &Loaded) -> anyhow::Result<BackupReport> {
    let cfg = &loaded.config;
    let dir = backup_dir(loaded)?;
    let name = Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string();
    match &cfg.database.url {
        None => {
            let cluster = LocalCluster::prepare(
                &cfg.storage.data_dir,
                cfg.database.postgres_bin_dir.as_deref(),
            )?
            .with_backup_dir(dir)?;
            let dirs = cluster.backup_dirs(dir)?;
            let was_running = cluster.is_running();
            if !was_running {
                cluster.start()?;
            }
            let result = async {
                let part = dirs.base.join(format!("{name}.part"));
                let mut cmd = cluster.pg("pg_basebackup");
                cmd.arg("-h")
                    .arg(&cluster.socket_dir)
                    .args(["-p", &cluster::PORT.to_string(), "-U", "postgres", "-D"])
                    .arg(&part)
                    .args(["-F", "p", "-X", "stream", "-c", "fast", "--no-password"]);
                cluster.run("pg_basebackup", cmd)?;
                let mut conn =
                    kirjo_store::bootstrap::connect_once(&cluster.superuser_options()).await?;
                let finish = finish_backup(&mut conn, &part, &dirs, &name).await;
                sqlx::Connection::close(conn).await.ok();
                finish
            }
            .await;
            if !was_running {
                cluster.stop()?;
            }
            result
        }
        Some(url) => {
            // A cluster Kirjo does not own: its administrator archives WAL
            // (docs/backup.md); the backup is taken over the owner's URL,
            // which needs the REPLICATION attribute.
            std::fs::create_dir_all(dir.join("base"))?;
            std::fs::create_dir_all(dir.join("wal"))?;
            let dirs = BackupDirs {
                root: dir.canonicalize()?,
                base: dir.join("base").canonicalize()?,
                wal: dir.join("wal").canonicalize()?,
            };
            let part = dirs.base.join(format!("{name}.part"));
            let bin = cluster::find_binaries(cfg.database.postgres_bin_dir.as_deref()).ok();
            let exe = bin.map_or_else(
                || PathBuf::from("pg_basebackup"),
                |b| b.join("pg_basebackup"),
            );
            let out = Command::new(exe)
                .arg("-d")
                .arg(url)
                .arg("-D")
                .arg(&part)
                .args(["-F", "p", "-X", "stream", "-c", "fast", "--no-password"])
                .output()
                .context("running pg_basebackup")?;
            if !out.status.success() {
                bail!(
                    "pg_basebackup failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            let opts: sqlx::postgres::PgConnectOptions = url.parse()?;
            let mut conn = kirjo_store::bootstrap::connect_once(&opts).await?;
            let finish = finish_backup(&mut conn, &part, &dirs, &name).await;
            sqlx::Connection::close(conn).await.ok();
            finish
        }
    }
}

/// Marks a copied base backup finished (by the database's clock, the one
/// recovery targets are read by) and gives it its name.
async fn finish_backup(
    conn: &mut sqlx::PgConnection,
    part: &Path,
    dirs: &BackupDirs,
    name: &str,
) -> anyhow::Result<BackupReport> {
    let (now, archive_mode): (DateTime<Utc>, String) =
        sqlx::query_as("SELECT now(), current_setting('archive_mode')")
            .fetch_one(&mut *conn)
            .await?;
    std::fs::write(part.join(FINISHED), format!("{}\n", now.to_rfc3339()))?;
    let path = dirs.base.join(name);
    std::fs::rename(part, &path)?;
    Ok(BackupReport {
        bytes: dir_bytes(&path),
        base: BaseBackup {
            path,
            finished_at: now,
        },
        archiving: archive_mode != "off",
    })
}

/// Restores the newest base backup finished before `target` into a new
/// data directory, rolled forward with the archived WAL to `target` (or to
/// the end of the archive), promoted, and stopped.
pub async fn restore(
    loaded: &Loaded,
    target: Option<DateTime<Utc>>,
    into: &Path,
) -> anyhow::Result<RestoreReport> {
    let cfg = &loaded.config;
    let dir = backup_dir(loaded)?;
    if let Some(t) = target {
        if t > Utc::now() {
            bail!("the target {} is in the future", t.to_rfc3339());
        }
    }
    let cluster = LocalCluster::prepare(into, cfg.database.postgres_bin_dir.as_deref())?;
    let dirs = cluster.backup_dirs(dir)?;
    let backups = base_backups(&dirs)?;
    let Some(base) = backups
        .iter()
        .rev()
        .find(|b| target.is_none_or(|t| b.finished_at <= t))
        .cloned()
    else {
        return Err(match backups.first() {
            Some(first) => anyhow::anyhow!(
                "no base backup was finished before {}: the first was finished at {}",
                target.map_or_else(String::new, |t| t.to_rfc3339()),
                first.finished_at.to_rfc3339()
            ),
            None => anyhow::anyhow!(
                "no base backup in {}: take one with `kirjo backup`",
                dirs.base.display()
            ),
        });
    };
    if std::fs::read_dir(&cluster.pgdata)?.next().is_some() {
        bail!(
            "{} already holds a cluster: restore into a new directory",
            cluster.pgdata.display()
        );
    }
    let started = Instant::now();
    copy_tree(&base.path, &cluster.pgdata)?;
    cluster.chown_to_cluster_user(&cluster.pgdata)?;
    let _ = std::fs::remove_file(cluster.pgdata.join(FINISHED));
    // The copy says where its original's socket was; this one has its own.
    cluster.append_conf(
        "postgresql.conf",
        &format!(
            "\n# Written by kirjo restore: this copy's own socket.\nunix_socket_directories = '{}'\n",
            cluster.socket_dir.display()
        ),
    )?;
    let wal = dirs.wal.display();
    let mut recovery = format!(
        "# Written by kirjo restore while it recovers; emptied when done.\n\
         restore_command = 'cp {wal}/%f %p'\n\
         recovery_target_action = 'promote'\n"
    );
    if let Some(t) = target {
        recovery.push_str(&format!(
            "recovery_target_time = '{}'\n",
            t.format("%Y-%m-%d %H:%M:%S%.6f+00")
        ));
    }
    cluster.write_conf(RECOVERY_CONF, &recovery)?;
    cluster.write_conf("recovery.signal", "")?;

    let recovered = async {
        cluster
            .start()
            .context("starting the restored copy for recovery")?;
        let deadline = Instant::now() + Duration::from_secs(3600);
        loop {
            if let Ok(mut conn) =
                kirjo_store::bootstrap::connect_once(&cluster.superuser_options()).await
            {
                let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
                    .fetch_one(&mut conn)
                    .await?;
                sqlx::Connection::close(conn).await.ok();
                if !in_recovery {
                    break;
                }
            }
            if !cluster.is_running() {
                bail!("recovery stopped: {}", cluster.last_fatal());
            }
            if Instant::now() > deadline {
                bail!("recovery did not finish in an hour");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let mut conn =
            kirjo_store::bootstrap::connect_once(&cluster.options("postgres", cluster::DATABASE))
                .await?;
        let (rows, last): (i64, Option<DateTime<Utc>>) =
            sqlx::query_as("SELECT count(*), max(logged_at) FROM use_log")
                .fetch_one(&mut conn)
                .await?;
        sqlx::Connection::close(conn).await.ok();
        anyhow::Ok((rows, last))
    }
    .await;
    cluster
        .write_conf(RECOVERY_CONF, "# kirjo restore is done.\n")
        .ok();
    cluster.stop().ok();
    let (use_log_rows, last_logged_at) = recovered?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "point-in-time recovery finished"
    );
    Ok(RestoreReport {
        base,
        data_dir: cluster.root.clone(),
        target,
        use_log_rows,
        last_logged_at,
    })
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    let out = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .output()
        .context("running cp")?;
    if !out.status.success() {
        bail!(
            "copying {} failed: {}",
            from.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
