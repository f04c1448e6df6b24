//! Configuration: one TOML file, then environment overrides, then flags.
//!
//! The file holds the server, database, storage and log settings and the
//! register description (`[register]`, see `kirjo_domain::register`). Every
//! error names the file, the line and the key, on one line.

use kirjo_domain::register::RegisterDescription;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The demo configuration, built in so that `kirjo serve --demo` runs with
/// no file at all.
pub const DEMO_CONFIG: &str = include_str!("../../../config/demo.toml");
pub const DEMO_CONFIG_NAME: &str = "config/demo.toml (built in)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub database: DatabaseConfig,
    #[serde(default)]
    pub storage: StorageConfig,
    #[serde(default)]
    pub log: LogConfig,
    #[serde(default)]
    pub audit: AuditConfig,
    #[serde(default)]
    pub auth: AuthConfig,
    #[serde(default)]
    pub backup: BackupConfig,
    #[serde(default)]
    pub monitoring: MonitoringConfig,
    #[serde(default)]
    pub decisions: DecisionsConfig,
    pub register: RegisterDescription,
}

impl Config {
    /// What the privacy notice states from Kirjo's own configuration:
    /// HTTPS only when a certificate and key are given.
    pub fn notice_facts(&self) -> kirjo_domain::notice::Facts {
        kirjo_domain::notice::Facts {
            https_only: self.server.tls_certificate.is_some()
                && self.server.tls_private_key.is_some(),
        }
    }
}

/// Decisions: the appeal instructions by legal basis (docs/decisions.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionsConfig {
    /// `[[decisions.appeal_templates]]`, each with `id`, `legal_bases`
    /// (words or statute numbers found in a decision's legal basis),
    /// `means` (`appeal` or `rectification`), `days`, `authority_fi|sv|en`
    /// and `instructions_fi|sv|en`. The first that matches is used. Absent:
    /// the shipped ones for the Child Welfare Act (417/2007, an appeal to
    /// the administrative court) and the Social Welfare Act (1301/2014, a
    /// request for review), 30 days each.
    #[serde(default = "kirjo_domain::decision::default_templates")]
    pub appeal_templates: Vec<kirjo_domain::decision::AppealTemplate>,
}

impl Default for DecisionsConfig {
    fn default() -> Self {
        Self {
            appeal_templates: kirjo_domain::decision::default_templates(),
        }
    }
}

/// Backups with PostgreSQL's own machinery: base backups and the archive
/// of write-ahead log (WAL) they are rolled forward with, for
/// `kirjo backup` and `kirjo restore --to TIME` (see docs/backup.md).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// The backup directory: `base/` holds the base backups, `wal/` the
    /// archived WAL. With it, a cluster Kirjo owns archives every WAL
    /// segment there (archive_mode on); a cluster Kirjo does not own must
    /// be given the same `archive_command` by its administrator. Put it on
    /// another disk than the data directory. Default: none (no archiving).
    #[serde(default)]
    pub dir: Option<PathBuf>,
}

/// The monitoring job's working hours (see `docs/access.md`, Monitoring).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringConfig {
    /// The working hours of every unit without hours of its own:
    /// `weekdays HH-HH`, `every day HH-HH` or `always`. Default
    /// `weekdays 07-18`.
    #[serde(default)]
    pub working_hours: Option<kirjo_store::monitoring::WorkingHours>,
    /// Units' own working hours, by unit id, e.g. `sosiaalipaivystys =
    /// "always"` for a round-the-clock unit (no after-hours flags).
    #[serde(default)]
    pub units: std::collections::BTreeMap<String, kirjo_store::monitoring::WorkingHours>,
}

impl MonitoringConfig {
    /// The monitoring job's settings in force.
    pub fn settings(&self) -> kirjo_store::monitoring::MonitorSettings {
        kirjo_store::monitoring::MonitorSettings {
            default_hours: self.working_hours,
            units: self.units.clone(),
            ..Default::default()
        }
    }
}

/// Sign-in and sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Roles that must sign in with a second factor (TOTP). Default: every
    /// role, since each reaches client data, the logs about clients, or the
    /// rights that open them (strong authentication for whoever reads
    /// social welfare client data; 703/2023 §9 and the Kanta requirements).
    /// The demo configuration names only the main administrator and the
    /// data protection officer, so that its workers sign in with a password.
    #[serde(default = "default_second_factor_roles")]
    pub second_factor_roles: Vec<kirjo_access::Role>,
    /// A password older than this many days must be changed at sign-in.
    /// Default: no maximum age, as current guidance (NCSC-FI, NIST SP
    /// 800-63B) advises; set it where a policy asks for periodic change.
    #[serde(default)]
    pub max_password_age_days: Option<u32>,
    /// Idle timeout in minutes (1..=720). Default 30.
    #[serde(default)]
    pub idle_timeout_minutes: Option<u32>,
    /// Absolute session limit in hours (1..=24). Default 12.
    #[serde(default)]
    pub session_max_hours: Option<u32>,
    /// Password hashes computed at once (each takes 19 MiB and a core for
    /// a moment). Default: half the cores, at least one, so that the
    /// other half keeps answering signed-in workers during a sign-in flood.
    #[serde(default)]
    pub password_hashing_concurrency: Option<usize>,
    /// Sign-ins that may wait for a hashing slot; beyond them a sign-in is
    /// answered 503 with `Retry-After` at once. Default: 4 per slot.
    #[serde(default)]
    pub password_hashing_queue: Option<usize>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            second_factor_roles: default_second_factor_roles(),
            max_password_age_days: None,
            idle_timeout_minutes: None,
            session_max_hours: None,
            password_hashing_concurrency: None,
            password_hashing_queue: None,
        }
    }
}

impl AuthConfig {
    pub const QUEUE_PER_SLOT: usize = 4;

    /// Hashing slots in force.
    pub fn password_hashing_concurrency(&self) -> usize {
        self.password_hashing_concurrency.unwrap_or_else(|| {
            (std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get) / 2).max(1)
        })
    }

    /// Waiting places in force.
    pub fn password_hashing_queue(&self) -> usize {
        self.password_hashing_queue
            .unwrap_or(self.password_hashing_concurrency() * Self::QUEUE_PER_SLOT)
    }
}

fn default_second_factor_roles() -> Vec<kirjo_access::Role> {
    kirjo_access::Role::ALL.to_vec()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on. Default 127.0.0.1:8080.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The address users reach Kirjo at (`https://kirjo.example.fi`): its
    /// host name is WebAuthn's relying party id and the whole is the origin
    /// security keys and passkeys are bound to. Default: with a loopback
    /// `listen`, `http://localhost:PORT` (`https` with TLS); otherwise
    /// none, and security keys are off until it is set.
    #[serde(default)]
    pub public_url: Option<String>,
    /// HTTPS: the certificate chain (PEM). With `tls_private_key`, Kirjo
    /// serves HTTPS only (rustls), cookies are `Secure` and pages send HSTS.
    #[serde(default)]
    pub tls_certificate: Option<PathBuf>,
    /// HTTPS: the private key (PEM, PKCS#8, PKCS#1 or SEC1).
    #[serde(default)]
    pub tls_private_key: Option<PathBuf>,
    /// Seconds a connection may take to send a request's headers (the TLS
    /// handshake included), and to send the next request on a kept-alive
    /// connection (1..=300). Default 10.
    #[serde(default)]
    pub header_read_timeout_secs: Option<u64>,
    /// Seconds a request body may stall between two of its parts (1..=600).
    /// Default 30.
    #[serde(default)]
    pub body_read_timeout_secs: Option<u64>,
    /// Open connections at most; beyond it new ones wait in the kernel's
    /// queue. Default 4096, and never more than the open-file limit allows.
    #[serde(default)]
    pub max_connections: Option<usize>,
    /// Open connections from one source address at most; beyond it a new
    /// one is closed at once. Default 128; 0 turns the cap off (behind a
    /// reverse proxy every connection comes from the proxy's address).
    #[serde(default)]
    pub max_connections_per_source: Option<usize>,
    /// Seconds requests in flight get to finish after SIGTERM before their
    /// connections are closed (1..=300). Default 10.
    #[serde(default)]
    pub shutdown_timeout_secs: Option<u64>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: default_listen(),
            public_url: None,
            tls_certificate: None,
            tls_private_key: None,
            header_read_timeout_secs: None,
            body_read_timeout_secs: None,
            max_connections: None,
            max_connections_per_source: None,
            shutdown_timeout_secs: None,
        }
    }
}

impl ServerConfig {
    /// The public address in force: the configured one, or with a loopback
    /// `listen` the local one; `None` when neither.
    pub fn public_url(&self) -> Option<String> {
        if let Some(url) = &self.public_url {
            return Some(url.trim_end_matches('/').to_owned());
        }
        let scheme = if self.tls_certificate.is_some() {
            "https"
        } else {
            "http"
        };
        self.listen
            .ip()
            .is_loopback()
            .then(|| format!("{scheme}://localhost:{}", self.listen.port()))
    }

    pub const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 10;
    pub const DEFAULT_BODY_READ_TIMEOUT_SECS: u64 = 30;
    pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
    pub const DEFAULT_MAX_CONNECTIONS_PER_SOURCE: usize = 128;
    pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 10;

    pub fn header_read_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            self.header_read_timeout_secs
                .unwrap_or(Self::DEFAULT_HEADER_READ_TIMEOUT_SECS),
        )
    }

    pub fn body_read_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            self.body_read_timeout_secs
                .unwrap_or(Self::DEFAULT_BODY_READ_TIMEOUT_SECS),
        )
    }

    pub fn shutdown_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            self.shutdown_timeout_secs
                .unwrap_or(Self::DEFAULT_SHUTDOWN_TIMEOUT_SECS),
        )
    }

    /// The connection cap in force: the configured one (or the default),
    /// lowered to leave room under the open-file limit for the database's
    /// connections, the log and the cluster's pipes.
    pub fn max_connections(&self) -> usize {
        let wanted = self
            .max_connections
            .unwrap_or(Self::DEFAULT_MAX_CONNECTIONS);
        match open_file_limit() {
            Some(limit) => wanted.min(limit.saturating_sub(128).max(16)),
            None => wanted,
        }
    }

    /// The per-source cap; `None` when turned off.
    pub fn max_connections_per_source(&self) -> Option<usize> {
        match self
            .max_connections_per_source
            .unwrap_or(Self::DEFAULT_MAX_CONNECTIONS_PER_SOURCE)
        {
            0 => None,
            n => Some(n),
        }
    }
}

/// The process's soft limit on open files, from `/proc/self/limits` (so
/// that no `unsafe` FFI is needed).
fn open_file_limit() -> Option<usize> {
    std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Max open files"))?
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// The owner's URL (runs migrations). Without it, Kirjo sets up and owns
    /// a PostgreSQL cluster under `storage.data_dir`.
    #[serde(default)]
    pub url: Option<String>,
    /// The runtime role's URL. Without it, the owner's connections switch to
    /// the runtime role with `SET ROLE kirjo_app`.
    #[serde(default)]
    pub runtime_url: Option<String>,
    /// Size of the runtime pool. Default 16.
    #[serde(default)]
    pub max_connections: Option<u32>,
    /// Where the PostgreSQL server binaries are; default: PATH, then the
    /// newest `/usr/lib/postgresql/*/bin`.
    #[serde(default)]
    pub postgres_bin_dir: Option<PathBuf>,
    /// Seconds a request waits for a database connection before it is
    /// answered 503 with `Retry-After` (1..=60). Default 2.
    #[serde(default)]
    pub acquire_timeout_secs: Option<u64>,
}

impl DatabaseConfig {
    pub const DEFAULT_ACQUIRE_TIMEOUT_SECS: u64 = 2;

    pub fn max_connections(&self) -> u32 {
        self.max_connections.unwrap_or(16)
    }

    pub fn acquire_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            self.acquire_timeout_secs
                .unwrap_or(Self::DEFAULT_ACQUIRE_TIMEOUT_SECS),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Kirjo's own files: the local cluster, its socket and log. Default `./var`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
        }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./var")
}

/// The use log and disclosure log sealer (see `kirjo_store::audit`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The Ed25519 signing key of the seals: a file holding the 32-byte seed
    /// as 64 hex characters, outside the database (`kirjo audit keygen FILE`
    /// makes one). Default `<storage.data_dir>/audit-signing.key`.
    #[serde(default)]
    pub signing_key_file: Option<PathBuf>,
    /// How often committed log rows are sealed, in milliseconds
    /// (100..=60000). Default 1000.
    #[serde(default)]
    pub seal_interval_ms: Option<u64>,
}

impl AuditConfig {
    pub const DEFAULT_SEAL_INTERVAL_MS: u64 = 1000;

    /// The key file in force.
    pub fn signing_key_file(&self, storage: &StorageConfig) -> PathBuf {
        self.signing_key_file
            .clone()
            .unwrap_or_else(|| storage.data_dir.join("audit-signing.key"))
    }

    pub fn seal_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(
            self.seal_interval_ms
                .unwrap_or(Self::DEFAULT_SEAL_INTERVAL_MS),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// JSON when standard error is not a terminal, text when it is.
    #[default]
    Auto,
    Json,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    #[serde(default)]
    pub format: LogFormat,
    /// A tracing filter: `info`, `warn`, `kirjo=debug,info`, ...
    #[serde(default = "default_level")]
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Auto,
            level: default_level(),
        }
    }
}

fn default_level() -> String {
    "info".to_owned()
}

/// A configuration error, printed on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, or `environment VARIABLE`.
    pub source: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        // Messages from the TOML parser may span lines; keep one.
        let message = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        write!(f, ": {message}")
    }
}

impl std::error::Error for ConfigError {}

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltInDemo,
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::BuiltInDemo => f.write_str(DEMO_CONFIG_NAME),
        }
    }
}

/// A loaded, validated configuration.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub source: ConfigSource,
    /// Environment variables that overrode the file.
    pub overrides: Vec<&'static str>,
    /// Warnings of validation, each `key: message`.
    pub warnings: Vec<String>,
}

/// Picks the file: the flag, then `KIRJO_CONFIG`, then `./kirjo.toml`; with
/// none of them, the built-in demo configuration if `demo`, else an error.
pub fn locate(
    flag: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
    demo: bool,
) -> Result<ConfigSource, ConfigError> {
    if let Some(p) = flag {
        return Ok(ConfigSource::File(p.to_owned()));
    }
    if let Some(p) = env("KIRJO_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(ConfigSource::File(PathBuf::from(p)));
    }
    let default = PathBuf::from("kirjo.toml");
    if default.exists() {
        return Ok(ConfigSource::File(default));
    }
    if demo {
        return Ok(ConfigSource::BuiltInDemo);
    }
    Err(ConfigError {
        source: "kirjo.toml".to_owned(),
        line: None,
        key: None,
        message: "no configuration file: give --config FILE or KIRJO_CONFIG \
                  (config/demo.toml is a complete example), or use --demo"
            .to_owned(),
    })
}

/// Reads, parses, overrides and validates.
pub fn load(
    source: ConfigSource,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Loaded, ConfigError> {
    let name = source.to_string();
    let text = match &source {
        ConfigSource::BuiltInDemo => DEMO_CONFIG.to_owned(),
        ConfigSource::File(p) => std::fs::read_to_string(p).map_err(|e| ConfigError {
            source: name.clone(),
            line: None,
            key: None,
            message: format!("cannot read the file: {e}"),
        })?,
    };
    let mut config = parse(&name, &text)?;
    let overrides = apply_env(&mut config, env)?;
    let warnings = validate(&name, &text, &config)?;
    Ok(Loaded {
        config,
        source,
        overrides,
        warnings,
    })
}

/// Parses the TOML text into a [`Config`].
pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let line = inner
            .span()
            .map(|s| line_of(text, s.start))
            .or_else(|| locate_key(text, &path));
        ConfigError {
            source: name.to_owned(),
            line,
            key: (!path.is_empty() && path != ".").then_some(path),
            message: inner.message().to_owned(),
        }
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line of a dotted key path such as `register.registers[0].id`: the
/// deepest part of the path that exists in the file.
pub fn locate_key(text: &str, path: &str) -> Option<usize> {
    use toml_edit::{Item, Table, TableLike, Value};
    #[derive(Clone, Copy)]
    enum Node<'a> {
        Item(&'a Item),
        Table(&'a Table),
        Value(&'a Value),
    }
    fn table_like(n: Node<'_>) -> Option<&dyn TableLike> {
        match n {
            Node::Item(i) => i.as_table_like(),
            Node::Table(t) => Some(t),
            Node::Value(v) => v.as_inline_table().map(|t| t as &dyn TableLike),
        }
    }
    fn index(n: Node<'_>, i: usize) -> Option<Node<'_>> {
        match n {
            Node::Item(Item::ArrayOfTables(a)) => a.get(i).map(Node::Table),
            Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
                a.get(i).map(Node::Value)
            }
            _ => None,
        }
    }
    fn span(n: Node<'_>) -> Option<std::ops::Range<usize>> {
        match n {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    'walk: for segment in path.split('.') {
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            let Some((k, next)) = table_like(node).and_then(|t| t.get_key_value(key)) else {
                break 'walk;
            };
            best = k.span().or_else(|| next.span()).or(best);
            node = Node::Item(next);
        }
        for idx in indexes
            .split(['[', ']'])
            .filter_map(|s| s.parse::<usize>().ok())
        {
            let Some(next) = index(node, idx) else {
                break 'walk;
            };
            best = span(next).or(best);
            node = next;
        }
    }
    best.map(|s| line_of(text, s.start))
}

fn apply_env(
    config: &mut Config,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<&'static str>, ConfigError> {
    let mut used = Vec::new();
    let bad = |var: &str, message: String| ConfigError {
        source: format!("environment {var}"),
        line: None,
        key: None,
        message,
    };
    let get = |var: &'static str, used: &mut Vec<&'static str>| {
        let v = env(var).filter(|v| !v.is_empty());
        if v.is_some() {
            used.push(var);
        }
        v
    };
    if let Some(v) = get("KIRJO_DATABASE_URL", &mut used).or_else(|| get("DATABASE_URL", &mut used))
    {
        config.database.url = Some(v);
    }
    if let Some(v) = get("KIRJO_DATABASE_RUNTIME_URL", &mut used) {
        config.database.runtime_url = Some(v);
    }
    if let Some(v) = get("KIRJO_LISTEN", &mut used) {
        config.server.listen = v.parse().map_err(|e| {
            bad(
                "KIRJO_LISTEN",
                format!("`{v}` is not an address like 127.0.0.1:8080: {e}"),
            )
        })?;
    }
    if let Some(v) = get("KIRJO_DATA_DIR", &mut used) {
        config.storage.data_dir = PathBuf::from(v);
    }
    if let Some(v) = get("KIRJO_POSTGRES_BIN_DIR", &mut used) {
        config.database.postgres_bin_dir = Some(PathBuf::from(v));
    }
    if let Some(v) = get("KIRJO_BACKUP_DIR", &mut used) {
        config.backup.dir = Some(PathBuf::from(v));
    }
    if let Some(v) = get("KIRJO_AUDIT_SIGNING_KEY_FILE", &mut used) {
        config.audit.signing_key_file = Some(PathBuf::from(v));
    }
    if let Some(v) = get("KIRJO_LOG", &mut used) {
        config.log.level = v;
    }
    if let Some(v) = get("KIRJO_LOG_FORMAT", &mut used) {
        config.log.format = match v.as_str() {
            "auto" => LogFormat::Auto,
            "json" => LogFormat::Json,
            "text" => LogFormat::Text,
            _ => {
                return Err(bad(
                    "KIRJO_LOG_FORMAT",
                    format!("`{v}` is not one of auto, json, text"),
                ))
            }
        };
    }
    Ok(used)
}

/// Checks what parsing cannot; returns the warnings.
fn validate(name: &str, text: &str, config: &Config) -> Result<Vec<String>, ConfigError> {
    let err = |key: &str, message: String| ConfigError {
        source: name.to_owned(),
        line: locate_key(text, key),
        key: Some(key.to_owned()),
        message,
    };
    for (key, url) in [
        ("database.url", &config.database.url),
        ("database.runtime_url", &config.database.runtime_url),
    ] {
        if let Some(url) = url {
            // One host, or several for a primary and its standby
            // (crate::failover).
            crate::failover::Hosts::parse(url).map_err(|_| {
                err(
                    key,
                    format!(
                        "`{}` is not a PostgreSQL URL (postgres://user@host/database)",
                        mask_url(url)
                    ),
                )
            })?;
        }
    }
    let mut template_ids = std::collections::BTreeSet::new();
    for (i, t) in config.decisions.appeal_templates.iter().enumerate() {
        let key = format!("decisions.appeal_templates[{i}]");
        if t.id.trim().is_empty() || !template_ids.insert(t.id.clone()) {
            return Err(err(
                &format!("{key}.id"),
                "each template needs an id of its own".to_owned(),
            ));
        }
        if t.legal_bases.iter().all(|b| b.trim().is_empty()) {
            return Err(err(
                &format!("{key}.legal_bases"),
                "name at least one legal basis the template is for".to_owned(),
            ));
        }
        if t.days == 0 {
            return Err(err(
                &format!("{key}.days"),
                "the appeal period is at least one day".to_owned(),
            ));
        }
        for (field, text) in [
            ("instructions_fi", &t.instructions_fi),
            ("instructions_sv", &t.instructions_sv),
            ("instructions_en", &t.instructions_en),
        ] {
            if text.trim().is_empty() {
                return Err(err(
                    &format!("{key}.{field}"),
                    "the instructions are needed in Finnish, Swedish and English".to_owned(),
                ));
            }
        }
    }
    if config.database.runtime_url.is_some() && config.database.url.is_none() {
        return Err(err(
            "database.runtime_url",
            "is given without database.url: give both, or neither for a local cluster".to_owned(),
        ));
    }
    if let Some(n) = config.database.max_connections {
        if !(1..=1000).contains(&n) {
            return Err(err(
                "database.max_connections",
                format!("{n} is not between 1 and 1000"),
            ));
        }
    }
    for (key, value, range) in [
        (
            "database.acquire_timeout_secs",
            config.database.acquire_timeout_secs,
            1..=60,
        ),
        (
            "server.header_read_timeout_secs",
            config.server.header_read_timeout_secs,
            1..=300,
        ),
        (
            "server.body_read_timeout_secs",
            config.server.body_read_timeout_secs,
            1..=600,
        ),
        (
            "server.shutdown_timeout_secs",
            config.server.shutdown_timeout_secs,
            1..=300,
        ),
    ] {
        if let Some(n) = value {
            if !range.contains(&n) {
                return Err(err(
                    key,
                    format!("{n} is not between {} and {}", range.start(), range.end()),
                ));
            }
        }
    }
    if config.server.max_connections == Some(0) {
        return Err(err(
            "server.max_connections",
            "0 would refuse every connection".to_owned(),
        ));
    }
    if config.auth.password_hashing_concurrency == Some(0) {
        return Err(err(
            "auth.password_hashing_concurrency",
            "0 would refuse every sign-in".to_owned(),
        ));
    }
    match (
        &config.server.tls_certificate,
        &config.server.tls_private_key,
    ) {
        (Some(_), None) => {
            return Err(err(
                "server.tls_certificate",
                "is given without server.tls_private_key: give both, or neither for plain HTTP"
                    .to_owned(),
            ))
        }
        (None, Some(_)) => {
            return Err(err(
                "server.tls_private_key",
                "is given without server.tls_certificate: give both, or neither for plain HTTP"
                    .to_owned(),
            ))
        }
        _ => {}
    }
    if let Some(n) = config.auth.idle_timeout_minutes {
        if !(1..=720).contains(&n) {
            return Err(err(
                "auth.idle_timeout_minutes",
                format!("{n} is not between 1 and 720"),
            ));
        }
    }
    if let Some(n) = config.auth.session_max_hours {
        if !(1..=24).contains(&n) {
            return Err(err(
                "auth.session_max_hours",
                format!("{n} is not between 1 and 24"),
            ));
        }
    }
    if config.auth.max_password_age_days == Some(0) {
        return Err(err(
            "auth.max_password_age_days",
            "0 would expire every password at once: leave it out for no maximum age".to_owned(),
        ));
    }
    if let Some(url) = &config.server.public_url {
        if kirjo_web::account::webauthn::RelyingParty::from_public_url(url, "Kirjo").is_none() {
            return Err(err(
                "server.public_url",
                format!(
                    "`{url}` is not an address like https://kirjo.example.fi: http or https, \
                     a host name (not an IP address), an optional port, no path"
                ),
            ));
        }
    }
    if config.storage.data_dir.as_os_str().is_empty() {
        return Err(err("storage.data_dir", "must not be empty".to_owned()));
    }
    if config
        .audit
        .signing_key_file
        .as_ref()
        .is_some_and(|p| p.as_os_str().is_empty())
    {
        return Err(err(
            "audit.signing_key_file",
            "must not be empty (leave it out for <storage.data_dir>/audit-signing.key)".to_owned(),
        ));
    }
    if let Some(ms) = config.audit.seal_interval_ms {
        if !(100..=60_000).contains(&ms) {
            return Err(err(
                "audit.seal_interval_ms",
                format!("{ms} is not between 100 and 60000"),
            ));
        }
    }
    if let Err(e) = tracing_subscriber::EnvFilter::try_new(&config.log.level) {
        return Err(err(
            "log.level",
            format!("`{}` is not a log filter: {e}", config.log.level),
        ));
    }
    let mut warnings = Vec::new();
    if config.server.public_url().is_none() {
        warnings.push(
            "server.public_url: not set and the listen address is not loopback: \
             security keys and passkeys are off until it is set"
                .to_owned(),
        );
    }
    for p in config.register.validate() {
        let key = format!("register.{}", p.path);
        if p.warning {
            warnings.push(format!("{key}: {}", p.message));
        } else {
            return Err(err(&key, p.message));
        }
    }
    Ok(warnings)
}

/// A URL with its password replaced by `***`, for printing.
pub fn mask_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let start = scheme_end + 3 + colon + 1;
                let end = scheme_end + 3 + at;
                out.replace_range(start..end, "***");
            }
        }
    }
    if let Some(i) = out.find("password=") {
        let start = i + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo configuration with `line` added under `[server]`.
    fn with_server_line(tag: &str, line: &str) -> Result<Loaded, ConfigError> {
        let dir = std::env::temp_dir().join(format!("kirjo-cfg-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let file = dir.join("kirjo.toml");
        let text = DEMO_CONFIG.replacen("[server]\n", &format!("[server]\n{line}\n"), 1);
        std::fs::write(&file, text).unwrap_or_default();
        let loaded = load(ConfigSource::File(file), &|_| None);
        std::fs::remove_dir_all(&dir).unwrap_or_default();
        loaded
    }

    #[test]
    fn the_public_address_is_a_host_name_and_defaults_to_localhost_on_loopback() {
        let demo = load(ConfigSource::BuiltInDemo, &|_| None).map(|l| l.config.server.public_url());
        assert_eq!(
            demo.ok().flatten().as_deref(),
            Some("http://localhost:8080")
        );
        let set = with_server_line("url", r#"public_url = "https://kirjo.example.fi/""#)
            .map(|l| l.config.server.public_url());
        assert_eq!(
            set.ok().flatten().as_deref(),
            Some("https://kirjo.example.fi")
        );
        let bad = with_server_line("ip", r#"public_url = "https://10.0.0.5""#);
        assert_eq!(
            bad.err().and_then(|e| e.key).as_deref(),
            Some("server.public_url")
        );
        // Listening on every address, with no public address: keys are off,
        // and the check says so.
        let open = with_server_line("any", "").map(|l| {
            let mut c = l.config.server.clone();
            c.listen = "0.0.0.0:8080".parse().unwrap_or(c.listen);
            c.public_url()
        });
        assert_eq!(open.ok().flatten(), None);
    }

    #[test]
    fn every_role_needs_a_second_factor_unless_the_configuration_says_otherwise() {
        let dir = std::env::temp_dir().join(format!("kirjo-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let file = dir.join("kirjo.toml");
        let without: String = DEMO_CONFIG
            .lines()
            .filter(|l| !l.starts_with("second_factor_roles"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&file, without).unwrap_or_default();
        let loaded = load(ConfigSource::File(file), &|_| None);
        std::fs::remove_dir_all(&dir).unwrap_or_default();
        let roles = loaded.map(|l| l.config.auth.second_factor_roles);
        assert_eq!(roles.as_deref().ok(), Some(&kirjo_access::Role::ALL[..]));
        // The demo lets its workers in with a password.
        let demo = load(ConfigSource::BuiltInDemo, &|_| None)
            .map(|l| l.config.auth.second_factor_roles)
            .unwrap_or_default();
        assert!(!demo.contains(&kirjo_access::Role::ClientWorker));
    }

    #[test]
    fn masks_passwords() {
        assert_eq!(
            mask_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(mask_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            mask_url("postgres://u@h/db?password=x&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require"
        );
    }
}
