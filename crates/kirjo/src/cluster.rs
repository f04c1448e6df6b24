//! A PostgreSQL cluster that Kirjo sets up and owns, under its data directory.
//!
//! Layout under the data directory (`./var` by default):
//!
//! - `pgdata/`: the cluster, made by `initdb` on first start and reused after;
//! - `run/`: the Unix socket, the only way in (no TCP port is opened);
//! - `log/postgresql.log`: the server's own log.
//!
//! `initdb` and the server refuse to run as root. When Kirjo runs as root
//! (as CI does), the cluster runs as the unprivileged system user `postgres`
//! that Debian's package creates, through `runuser`. Access is by the socket
//! alone, in a directory only the cluster's user (and root) can enter, so
//! `trust` authentication on it admits nobody else.

use sqlx::postgres::PgConnectOptions;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Debian package that carries the server binaries.
pub const SERVER_PACKAGE: &str = "postgresql";
/// The user the cluster runs as when Kirjo runs as root.
pub const CLUSTER_USER: &str = "postgres";
/// The superuser `initdb` creates.
const SUPERUSER: &str = "postgres";
pub const PORT: u16 = 5432;
/// The database Kirjo keeps its data in.
pub const DATABASE: &str = "kirjo";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("PostgreSQL server is not installed (no initdb, pg_ctl and postgres in {looked}): install the Debian package `{SERVER_PACKAGE}` (apt-get install {SERVER_PACKAGE}), or give database.url")]
    NotInstalled { looked: String },
    #[error("data directory {dir} is not writable: {reason}")]
    DataDir { dir: String, reason: String },
    #[error("the PostgreSQL server runs as user `{CLUSTER_USER}`, who cannot reach {dir}: choose a data directory it can reach with --data-dir or KIRJO_DATA_DIR (for example under /var/lib/kirjo)")]
    Unreachable { dir: String },
    #[error("Kirjo runs as root, so the cluster must run as the system user `{CLUSTER_USER}`, which does not exist: install the Debian package `{SERVER_PACKAGE}`, which creates it")]
    NoClusterUser,
    #[error("the socket path {path} is longer than the 107 bytes a Unix socket allows: use a shorter data directory")]
    SocketPathTooLong { path: String },
    #[error("{what} failed: {detail} (server log: {log})")]
    Command {
        what: String,
        detail: String,
        log: String,
    },
}

/// A cluster under a data directory; [`LocalCluster::start`] makes it run.
#[derive(Debug, Clone)]
pub struct LocalCluster {
    pub bin_dir: PathBuf,
    pub root: PathBuf,
    pub pgdata: PathBuf,
    pub socket_dir: PathBuf,
    pub log_file: PathBuf,
    run_as: Option<&'static str>,
    /// Where WAL is archived (`<backup.dir>/wal`), when backups are configured.
    archive: Option<PathBuf>,
}

/// The file under `pgdata` that Kirjo rewrites at every start with the
/// archiving settings (empty without a backup directory).
pub const BACKUP_CONF: &str = "kirjo-backup.conf";
/// The file under `pgdata` holding a point-in-time recovery's settings while
/// `kirjo restore` runs it.
pub const RECOVERY_CONF: &str = "kirjo-recovery.conf";

/// Finds the server binaries: the configured directory, else PATH, else the
/// newest `/usr/lib/postgresql/*/bin` (where Debian puts them).
pub fn find_binaries(configured: Option<&Path>) -> Result<PathBuf, ClusterError> {
    let has_all = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    if let Some(dir) = configured {
        return if has_all(dir) {
            Ok(dir.to_owned())
        } else {
            Err(ClusterError::NotInstalled {
                looked: dir.display().to_string(),
            })
        };
    }
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(d) = std::env::split_paths(&path).find(|d| has_all(d)) {
            // Links on PATH (as some images make) lead to the directory
            // that also holds the client tools (pg_basebackup).
            let real = d
                .join("pg_ctl")
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .filter(|r| has_all(r));
            return Ok(real.unwrap_or(d));
        }
    }
    let lib = PathBuf::from("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(&lib)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_all(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| ClusterError::NotInstalled {
            looked: "PATH and /usr/lib/postgresql/*/bin".to_owned(),
        })
}

fn is_root() -> bool {
    // The effective uid, read from /proc so that no `unsafe` FFI is needed.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

fn user_exists(user: &str) -> bool {
    Command::new("id")
        .arg("-u")
        .arg(user)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

impl LocalCluster {
    /// Checks the binaries and the data directory, creating the directory
    /// if needed. Does not start anything.
    pub fn prepare(data_dir: &Path, bin_dir: Option<&Path>) -> Result<Self, ClusterError> {
        let bin_dir = find_binaries(bin_dir)?;
        let data_err = |reason: String| ClusterError::DataDir {
            dir: data_dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(data_dir).map_err(|e| data_err(e.to_string()))?;
        let probe = data_dir.join(".kirjo-write-probe");
        std::fs::write(&probe, b"").map_err(|e| data_err(e.to_string()))?;
        let _ = std::fs::remove_file(&probe);
        let root = data_dir
            .canonicalize()
            .map_err(|e| data_err(e.to_string()))?;
        let socket_dir = root.join("run");
        let socket = socket_dir.join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > 107 {
            return Err(ClusterError::SocketPathTooLong {
                path: socket.display().to_string(),
            });
        }
        let run_as = if is_root() {
            if !user_exists(CLUSTER_USER) {
                return Err(ClusterError::NoClusterUser);
            }
            Some(CLUSTER_USER)
        } else {
            None
        };
        let cluster = LocalCluster {
            bin_dir,
            pgdata: root.join("pgdata"),
            log_file: root.join("log").join("postgresql.log"),
            socket_dir,
            root,
            run_as,
            archive: None,
        };
        cluster.prepare_dirs()?;
        Ok(cluster)
    }

    /// Archives WAL into `<backup_dir>/wal` from the next start on, making
    /// the backup directory (`base/`, `wal/`) if needed, owned by the
    /// cluster's user.
    pub fn with_backup_dir(mut self, backup_dir: &Path) -> Result<Self, ClusterError> {
        let dirs = self.backup_dirs(backup_dir)?;
        self.archive = Some(dirs.wal);
        Ok(self)
    }

    /// Makes the backup directory's parts, owned by the cluster's user and
    /// reachable by it.
    pub fn backup_dirs(&self, backup_dir: &Path) -> Result<BackupDirs, ClusterError> {
        let err = |reason: String| ClusterError::DataDir {
            dir: backup_dir.display().to_string(),
            reason,
        };
        if backup_dir
            .to_string_lossy()
            .contains(['\'', '\\', '\n', '%'])
        {
            return Err(err(
                "the backup directory's path may not contain quotes, backslashes, % or line breaks"
                    .to_owned(),
            ));
        }
        std::fs::create_dir_all(backup_dir).map_err(|e| err(e.to_string()))?;
        let root = backup_dir.canonicalize().map_err(|e| err(e.to_string()))?;
        let dirs = BackupDirs {
            base: root.join("base"),
            wal: root.join("wal"),
            root,
        };
        self.private_dirs(&dirs.root, &[&dirs.root, &dirs.base, &dirs.wal], &dirs.wal)?;
        Ok(dirs)
    }

    /// Writes the archiving settings (or none) and lets base backups in by
    /// the socket; run before every start, so that a cluster made before
    /// backups were configured gets them too.
    fn write_backup_settings(&self) -> Result<(), ClusterError> {
        let conf = match &self.archive {
            Some(wal) => {
                let wal = wal.display();
                format!(
                    "# Written by Kirjo at every start from backup.dir: WAL archived for point-in-time recovery.\n\
                     wal_level = replica\n\
                     archive_mode = on\n\
                     archive_command = 'test ! -f {wal}/%f && cp %p {wal}/%f.part && mv {wal}/%f.part {wal}/%f'\n\
                     archive_timeout = 60\n"
                )
            }
            None => "# Written by Kirjo at every start: no backup.dir, no archiving.\n".to_owned(),
        };
        self.write_conf(BACKUP_CONF, &conf)?;
        self.ensure_line(
            "postgresql.conf",
            &format!("include_if_exists = '{BACKUP_CONF}'"),
        )?;
        self.ensure_line(
            "postgresql.conf",
            &format!("include_if_exists = '{RECOVERY_CONF}'"),
        )?;
        self.ensure_line("pg_hba.conf", "local replication all trust")?;
        Ok(())
    }

    /// Appends `line` to a file under `pgdata` unless it is there.
    fn ensure_line(&self, file: &str, line: &str) -> Result<(), ClusterError> {
        let text =
            std::fs::read_to_string(self.pgdata.join(file)).map_err(|e| ClusterError::DataDir {
                dir: self.pgdata.join(file).display().to_string(),
                reason: e.to_string(),
            })?;
        if text.lines().any(|l| l.trim() == line) {
            return Ok(());
        }
        self.write_as_cluster_user(file, &format!("\n{line}\n"), true)
    }

    fn prepare_dirs(&self) -> Result<(), ClusterError> {
        let log_dir = self.root.join("log");
        self.private_dirs(
            &self.root,
            &[&self.pgdata, &self.socket_dir, &log_dir],
            &self.socket_dir,
        )
    }

    /// Makes `dirs` with mode 0700 and, when Kirjo runs as root, gives them
    /// to the cluster's user and checks that it can write `probe`; `whole`
    /// names them in errors.
    fn private_dirs(
        &self,
        whole: &Path,
        dirs: &[&PathBuf],
        probe: &Path,
    ) -> Result<(), ClusterError> {
        let err = |reason: String| ClusterError::DataDir {
            dir: whole.display().to_string(),
            reason,
        };
        for dir in dirs {
            std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
            set_mode(dir, 0o700).map_err(|e| err(e.to_string()))?;
        }
        if let Some(user) = self.run_as {
            let out = Command::new("chown")
                .arg(format!("{user}:{user}"))
                .args(dirs)
                .output()
                .map_err(|e| err(e.to_string()))?;
            if !out.status.success() {
                return Err(err(stderr_line(&out)));
            }
            let reachable = Command::new("runuser")
                .args(["-u", user, "--", "test", "-w"])
                .arg(probe)
                .current_dir("/")
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !reachable {
                return Err(ClusterError::Unreachable {
                    dir: whole.display().to_string(),
                });
            }
        }
        Ok(())
    }

    /// A command for one of the server binaries, as the cluster's user.
    pub(crate) fn pg(&self, program: &str) -> Command {
        let exe = self.bin_dir.join(program);
        let mut cmd = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        // Own process group: a Ctrl-C at the terminal reaches Kirjo, which
        // then stops the cluster itself, in order.
        cmd.current_dir("/").process_group(0);
        cmd.env("LC_ALL", "C.UTF-8");
        cmd
    }

    pub(crate) fn run(&self, what: &str, mut cmd: Command) -> Result<Output, ClusterError> {
        let out = cmd.output().map_err(|e| ClusterError::Command {
            what: what.to_owned(),
            detail: e.to_string(),
            log: self.log_file.display().to_string(),
        })?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(ClusterError::Command {
                what: what.to_owned(),
                detail: stderr_line(&out),
                log: self.log_file.display().to_string(),
            })
        }
    }

    /// Whether `initdb` has run here.
    pub fn is_initialised(&self) -> bool {
        self.pgdata.join("PG_VERSION").is_file()
    }

    /// Runs `initdb` and writes the configuration: socket only, trust on it.
    pub fn init(&self) -> Result<(), ClusterError> {
        let mut cmd = self.pg("initdb");
        cmd.arg("-D").arg(&self.pgdata).args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        self.run("initdb", cmd)?;
        let conf = format!(
            "\n# Written by Kirjo: the cluster is reached by its Unix socket only.\n\
             listen_addresses = ''\n\
             port = {PORT}\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             timezone = 'UTC'\n\
             max_connections = 100\n",
            self.socket_dir.display()
        );
        let hba = "# Written by Kirjo: local socket only, in a directory only the cluster's user can enter.\n\
                   local all all trust\n";
        self.write_as_cluster_user("postgresql.conf", &conf, true)?;
        self.write_as_cluster_user("pg_hba.conf", hba, false)?;
        Ok(())
    }

    /// Writes a file under `pgdata`, owned by the cluster's user.
    pub(crate) fn write_conf(&self, file: &str, text: &str) -> Result<(), ClusterError> {
        self.write_as_cluster_user(file, text, false)?;
        self.chown_to_cluster_user(&self.pgdata.join(file))
    }

    /// Appends to a file under `pgdata`.
    pub(crate) fn append_conf(&self, file: &str, text: &str) -> Result<(), ClusterError> {
        self.write_as_cluster_user(file, text, true)
    }

    /// Gives a file or a tree to the cluster's user (when Kirjo runs as root).
    pub(crate) fn chown_to_cluster_user(&self, path: &Path) -> Result<(), ClusterError> {
        let Some(user) = self.run_as else {
            return Ok(());
        };
        let out = Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:{user}"))
            .arg(path)
            .output()
            .map_err(|e| ClusterError::DataDir {
                dir: path.display().to_string(),
                reason: e.to_string(),
            })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ClusterError::DataDir {
                dir: path.display().to_string(),
                reason: stderr_line(&out),
            })
        }
    }

    /// The last FATAL or PANIC line of the server's log, for an error
    /// message (or where to read more).
    pub fn last_fatal(&self) -> String {
        std::fs::read_to_string(&self.log_file)
            .ok()
            .and_then(|log| {
                log.lines()
                    .rev()
                    .find(|l| l.contains("FATAL") || l.contains("PANIC"))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| format!("see the server log {}", self.log_file.display()))
    }

    fn write_as_cluster_user(
        &self,
        file: &str,
        text: &str,
        append: bool,
    ) -> Result<(), ClusterError> {
        let path = self.pgdata.join(file);
        let err = |e: std::io::Error| ClusterError::DataDir {
            dir: path.display().to_string(),
            reason: e.to_string(),
        };
        if append {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(err)?;
            f.write_all(text.as_bytes()).map_err(err)?;
        } else {
            std::fs::write(&path, text).map_err(err)?;
        }
        // Root wrote it; the file already belonged to the cluster's user and
        // keeps that owner when rewritten in place.
        Ok(())
    }

    /// Whether a server is running on this cluster (perhaps left by a Kirjo
    /// that was killed): `postmaster.pid` names a live PostgreSQL process.
    /// A file left by a server that crashed (its process gone, a zombie
    /// nobody reaped, or its number taken by another program) is stale:
    /// `pg_ctl status` would take a zombie for a running server.
    pub fn is_running(&self) -> bool {
        self.postmaster_pid().is_some_and(is_postgres_alive)
    }

    /// The process number in `postmaster.pid`, if the file is there.
    pub fn postmaster_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.pgdata.join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// Removes the lock files of a server that is no longer running, so
    /// that the next start does not take them for a live server's. Returns
    /// whether there were any.
    pub fn clear_stale_lock(&self) -> bool {
        let pid_file = self.pgdata.join("postmaster.pid");
        if !pid_file.exists() || self.is_running() {
            return false;
        }
        tracing::warn!(
            pid = self.postmaster_pid(),
            "postmaster.pid is left by a PostgreSQL that is no longer running: removing it"
        );
        let _ = std::fs::remove_file(&pid_file);
        let socket = self.socket_dir.join(format!(".s.PGSQL.{PORT}"));
        let _ = std::fs::remove_file(self.socket_dir.join(format!(".s.PGSQL.{PORT}.lock")));
        let _ = std::fs::remove_file(socket);
        true
    }

    /// Initialises if needed and starts the server, or adopts one that is
    /// already running. Returns whether `initdb` ran now.
    pub fn start(&self) -> Result<bool, ClusterError> {
        let initialised_now = if self.is_initialised() {
            false
        } else {
            self.init()?;
            true
        };
        if self.is_running() {
            tracing::info!("local PostgreSQL already running; reusing it");
            return Ok(initialised_now);
        }
        self.write_backup_settings()?;
        // After a crash the server's processes that outlived it may hold
        // its shared memory for a moment (PostgreSQL then refuses to
        // start): a few tries, a second apart.
        let crashed = self.clear_stale_lock();
        let tries = if crashed { 10 } else { 1 };
        let mut attempt = 1;
        loop {
            let mut cmd = self.pg("pg_ctl");
            cmd.arg("start")
                .arg("-D")
                .arg(&self.pgdata)
                .arg("-l")
                .arg(&self.log_file)
                .arg("-o")
                .arg(server_options(memory_bytes()))
                .args(["-w", "-t", "60", "-s"]);
            match self.run("starting PostgreSQL", cmd) {
                Ok(_) => break,
                Err(e) if attempt < tries => {
                    tracing::warn!(attempt, error = %e, "PostgreSQL did not start after a crash; trying again");
                    self.clear_stale_lock();
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
        tracing::info!(
            initialised_now,
            after_crash = crashed,
            "local PostgreSQL started"
        );
        Ok(initialised_now)
    }

    /// Stops the server with a fast shutdown and waits until it is gone.
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.is_running() {
            self.clear_stale_lock();
            return Ok(());
        }
        let mut cmd = self.pg("pg_ctl");
        cmd.arg("stop")
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-m", "fast", "-w", "-t", "60", "-s"]);
        self.run("stopping PostgreSQL", cmd)?;
        tracing::info!("local PostgreSQL stopped");
        Ok(())
    }

    /// Makes this (empty) cluster a streaming-replication standby of
    /// `primary`: a base backup with the standby settings (`-R`), under
    /// `application_name` (the name `synchronous_standby_names` on the
    /// primary refers to), with this cluster's own socket. Then starts it.
    pub fn make_standby_of(
        &self,
        primary: &LocalCluster,
        application_name: &str,
    ) -> Result<(), ClusterError> {
        if self.is_initialised() {
            return Err(ClusterError::DataDir {
                dir: self.pgdata.display().to_string(),
                reason: "already holds a cluster".to_owned(),
            });
        }
        let mut cmd = self.pg("pg_basebackup");
        cmd.arg("-d")
            .arg(format!(
                "host={} port={PORT} user={SUPERUSER} application_name={application_name}",
                primary.socket_dir.display()
            ))
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-R", "-X", "stream", "-c", "fast", "--no-password"]);
        self.run("pg_basebackup of the primary", cmd)?;
        self.append_conf(
            "postgresql.conf",
            &format!(
                "\n# Written by Kirjo: this standby's own socket.\nunix_socket_directories = '{}'\n",
                self.socket_dir.display()
            ),
        )?;
        self.start()?;
        Ok(())
    }

    /// Promotes a standby to a primary and waits until it takes writes.
    pub fn promote(&self) -> Result<(), ClusterError> {
        let mut cmd = self.pg("pg_ctl");
        cmd.arg("promote")
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-w", "-t", "60", "-s"]);
        self.run("promoting the standby", cmd)?;
        tracing::info!("local PostgreSQL promoted to primary");
        Ok(())
    }

    /// Connection options for a role and database, over the socket.
    pub fn options(&self, user: &str, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.socket_dir.to_string_lossy())
            .port(PORT)
            .username(user)
            .database(database)
    }

    pub fn superuser_options(&self) -> PgConnectOptions {
        self.options(SUPERUSER, "postgres")
    }
}

/// The parts of a backup directory.
#[derive(Debug, Clone)]
pub struct BackupDirs {
    pub root: PathBuf,
    /// One directory per base backup, named by the UTC time it was taken.
    pub base: PathBuf,
    /// The archived WAL segments.
    pub wal: PathBuf,
}

/// Whether a process is alive (not a zombie) and is a PostgreSQL server.
fn is_postgres_alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // `pid (comm) state ...`: the name may hold spaces or parentheses, so
    // read from the last `)`.
    let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
        return false;
    };
    let comm = &stat[open + 1..close];
    let state = stat[close + 1..].split_whitespace().next().unwrap_or("");
    !matches!(state, "Z" | "X" | "x") && (comm == "postgres" || comm == "postmaster")
}

fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

fn stderr_line(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    if line.is_empty() {
        format!("exit status {}", out.status)
    } else {
        line
    }
}

/// The machine's memory, from `/proc/meminfo` (0 when it cannot be read).
fn memory_bytes() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// The server's settings for the machine it runs on, given at every start
/// (so that a cluster made by an older Kirjo gets them too): a quarter of
/// the memory for shared buffers (at most 8 GB), the planner told that the
/// rest is mostly file cache and that the disk is not a spinning one, room
/// for a bulk load between checkpoints, and JIT off. On a machine whose
/// memory cannot be read, PostgreSQL's defaults stand but for JIT.
pub fn server_options(memory: u64) -> String {
    let mb = memory / (1024 * 1024);
    let mut o = vec!["-c jit=off".to_owned()];
    if mb >= 1024 {
        let shared = (mb / 4).min(8 * 1024);
        let cache = (mb / 2).max(shared);
        o.push(format!("-c shared_buffers={shared}MB"));
        o.push(format!("-c effective_cache_size={cache}MB"));
        o.push(format!(
            "-c maintenance_work_mem={}MB",
            (mb / 32).clamp(64, 1024)
        ));
        o.push("-c work_mem=16MB".to_owned());
        o.push("-c random_page_cost=1.1".to_owned());
        o.push("-c effective_io_concurrency=200".to_owned());
        o.push("-c max_wal_size=4GB".to_owned());
    }
    o.join(" ")
}
