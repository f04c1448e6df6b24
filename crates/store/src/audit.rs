//! The use log and the disclosure log (703/2023 §10), and how they are made
//! tamper-evident.
//!
//! # What is recorded
//!
//! `use_log`: per use of client data (and per refused attempt) the data used
//! (`basic_data`, `document:42`), whose register, the user's name and id, the
//! action, the purpose, whether it was allowed and why, the source address
//! and the time. `disclosure_log`: per disclosure what was disclosed, from
//! whose register, by whom, to whom, when, for what purpose and on which legal
//! basis or permission. Both are kept 12 years. Rows are written by
//! [`record_use`] and [`record_disclosure`] in the caller's transaction, so a
//! use is logged exactly when its effects commit. The runtime role may only
//! INSERT and SELECT, and may not choose a row's id, time or transaction; a
//! trigger refuses UPDATE, DELETE and TRUNCATE even to the schema's owner.
//!
//! # Sealing, off the request path
//!
//! Requests insert plain rows and take no lock. A sealer ([`run_sealer`],
//! every second by default; [`seal_once`] for one batch) integrates committed
//! rows in batches. Every row records the transaction that wrote it (`xid`);
//! the sealer takes `pg_snapshot_xmin(pg_current_snapshot())`, the horizon
//! below which every transaction has finished, and seals, in id order, the
//! unsealed rows whose xid is below it. A row whose transaction is still open
//! is left for a later batch, so none is skipped and none is sealed before a
//! lower-positioned row could still appear. The window between commit and
//! seal is the seal interval plus the longest open write transaction; it is
//! visible through [`seal_state`] (unsealed rows and the age of the oldest).
//!
//! Per row the sealer stores in `audit_seal_entry` its position (1, 2, 3, ...
//! per log, without gaps) and its leaf hash; per batch it stores in
//! `audit_seal` a signed checkpoint. Sealers serialise on an advisory lock, so
//! a `kirjo audit seal` beside a running server is harmless.
//!
//! # What is hashed
//!
//! SHA-256 with domain separation, as in RFC 9162 (Certificate Transparency):
//!
//! - leaf = H(0x00 ‖ field(log name) ‖ field(id) ‖ field(time) ‖ every other
//!   column but `xid`, in table order), each field a presence byte (0 for
//!   NULL) then, when present, its length as 8 bytes big-endian and its bytes
//!   (integers 8 bytes big-endian, times as microseconds since 1970, uuids 16
//!   bytes, booleans 1 byte, text UTF-8), so no two rows encode alike;
//! - root of a batch = the RFC 9162 Merkle tree hash of its leaves in position
//!   order (interior node H(0x01 ‖ left ‖ right));
//! - chain_n = H(0x02 ‖ chain_{n-1} ‖ root_n ‖ last_position_n as 8 bytes),
//!   chain_0 = H(0x03 ‖ log name).
//!
//! # What is signed
//!
//! Per batch an Ed25519 signature over [`Checkpoint::signed_text`]: the log,
//! batch number, positions, row count, last row id, count of late rows,
//! root, previous chain, chain, the horizon and next xid of the sealing
//! snapshot, its time and the key id (the first 8 bytes of SHA-256 of the
//! public key, in hex). The private key is a 32-byte seed in a file (64 hex
//! characters) outside the database: a database backup does not hold it.
//! Back it up separately: without it new batches cannot be sealed under the
//! same key, and without its public half old ones cannot be verified.
//! `kirjo audit checkpoints` prints the checkpoints as JSON lines, to be kept
//! outside the database host.
//!
//! # Rows inserted behind the sealer's back
//!
//! A row that becomes sealable although its time predates a seal (of either
//! log) that was taken before its transaction got its id (a row with
//! `xid >= next_xid` of seal S must have been written after S, so its time
//! cannot be more than [`LATE_TOLERANCE`] before S's) was back-dated by
//! someone with database access. The sealer still seals it, marks the entry `late`, counts it in the
//! signed checkpoint, and [`verify`] reports it as inserted after sealing.
//! This rule, rather than a plain "older than N minutes", keeps a restart
//! after downtime or a long transaction from raising a false alarm.
//!
//! # What verify catches
//!
//! [`verify`] seals nothing. It recomputes every row's leaf and compares it
//! with the sealed one (a changed row; two rows whose contents were swapped
//! are reported as reordered), finds entries whose row is gone (a deleted
//! row), gaps in positions (a row deleted with its entry, named through the
//! next entry's `prev_row_id` or the batch's `last_row_id`), entries out of id
//! order within a batch (reordered), late entries and unsealed rows that
//! should have been sealed (inserted after sealing: below an earlier horizon,
//! back-dated, with an xid never assigned, or unsealed for more than
//! [`UNSEALED_BOUND`]), recomputes every root and the chain, checks every
//! signature against the given key, and, given exported checkpoints, checks
//! that the database still holds each of them unchanged (which catches seal
//! tables rewritten with recomputed hashes and a signature made with a stolen
//! key, and a log whose last batches were cut off). It names the problem with
//! the lowest position (then the lowest row id) and counts the others.
//!
//! # What verify cannot catch
//!
//! - A superuser who inserts a row with the current time writes what looks
//!   like a legitimate new access; it is sealed like one.
//! - Cutting off the newest batches (rows, entries and seals together) leaves
//!   a shorter log that verifies, unless exported checkpoints are given.
//! - Whoever holds the signing key (it is on the application host, for the
//!   sealer) can rewrite the seals and sign them anew; only checkpoints
//!   exported before the rewrite reveal that.
//! - Rows changed or removed between commit and seal (at most the window
//!   above) are sealed as they are then.
//! - Verify uses one key: batches signed with an earlier key after a key
//!   change are reported as signed with another key.
//! - Where a whole batch was rewritten and re-signed, verify names the batch
//!   and its last row, not the changed row within it.
//!
//! Application logs (tracing) get ids and counts only, never row contents.

use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::{Connection, PgConnection, PgPool, Row};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

/// An unsealed row older than this at verification is a failure.
pub const UNSEALED_BOUND: Duration = Duration::from_secs(300);
/// How far a row's time may precede a seal taken before its transaction
/// began before it counts as back-dated (clock granularity and the moment
/// between evaluating the time and assigning the transaction id).
pub const LATE_TOLERANCE: Duration = Duration::from_secs(5);

const SEAL_LOCK: i64 = 0x6b69_726a_6f5f_6175; // "kirjo_au"
/// At most this many rows are inserted into `audit_seal_entry` per statement.
const INSERT_CHUNK: usize = 5_000;

/// The most rows of one log that one batch seals: a backlog is sealed in
/// bounded batches, one after another, so the sealer's memory and its
/// transaction stay small whatever the backlog.
pub const SEAL_BATCH: i64 = 20_000;

/// The most batches sealed one after another before the sealer looks at
/// its clock and the shutdown signal again.
const BATCHES_PER_TICK: usize = 50;
/// Verification reads seals in pages of at most this many batches ...
const PAGE_BATCHES: i64 = 1_000;
/// ... or about this many rows.
const PAGE_ROWS: i64 = 50_000;
/// Changed rows kept to recognise swapped contents.
const MAX_MISMATCHES: usize = 256;

// ---------------------------------------------------------------------------
// Recording

/// One use of client data, or an attempt at one.
#[derive(Debug, Clone, Copy)]
pub struct UseEntry<'a> {
    pub request_id: Option<uuid::Uuid>,
    /// None for a failed sign-in of an unknown account.
    pub user_id: Option<i64>,
    pub user_name: &'a str,
    pub register_id: Option<&'a str>,
    pub client_id: Option<i64>,
    pub action: &'a str,
    /// What data: `basic_data`, `document:42`, ...
    pub data: &'a str,
    pub purpose: Option<&'a str>,
    pub allowed: bool,
    pub explanation: &'a str,
    pub source_address: Option<&'a str>,
}

/// Records a use in the caller's transaction; returns the row's id.
pub async fn record_use(conn: &mut PgConnection, e: &UseEntry<'_>) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO use_log (request_id, user_id, user_name, register_id, client_id, action, \
         data, purpose, allowed, explanation, source_address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(e.request_id)
    .bind(e.user_id)
    .bind(e.user_name)
    .bind(e.register_id)
    .bind(e.client_id)
    .bind(e.action)
    .bind(e.data)
    .bind(e.purpose)
    .bind(e.allowed)
    .bind(e.explanation)
    .bind(e.source_address)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// One disclosure of client data to a recipient outside the controller.
#[derive(Debug, Clone, Copy)]
pub struct DisclosureEntry<'a> {
    pub request_id: Option<uuid::Uuid>,
    pub user_id: Option<i64>,
    pub user_name: &'a str,
    /// From whose register.
    pub register_id: &'a str,
    pub client_id: Option<i64>,
    /// What was disclosed.
    pub data: &'a str,
    /// To whom.
    pub recipient: &'a str,
    pub purpose: &'a str,
    /// The legal basis, or the client's permission.
    pub legal_basis: &'a str,
}

/// Records a disclosure in the caller's transaction; returns the row's id.
pub async fn record_disclosure(conn: &mut PgConnection, e: &DisclosureEntry<'_>) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO disclosure_log (request_id, user_id, user_name, register_id, client_id, \
         data, recipient, purpose, legal_basis) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(e.request_id)
    .bind(e.user_id)
    .bind(e.user_name)
    .bind(e.register_id)
    .bind(e.client_id)
    .bind(e.data)
    .bind(e.recipient)
    .bind(e.purpose)
    .bind(e.legal_basis)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

// ---------------------------------------------------------------------------
// The two logs and their canonical encoding

/// The two sealed logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditLog {
    Use,
    Disclosure,
}

impl AuditLog {
    pub const ALL: [AuditLog; 2] = [AuditLog::Use, AuditLog::Disclosure];

    /// The table's name, which is also the log's name in the seal tables.
    pub fn table(self) -> &'static str {
        match self {
            Self::Use => "use_log",
            Self::Disclosure => "disclosure_log",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Use => 0,
            Self::Disclosure => 1,
        }
    }

    /// The row's columns as `l.*`-style select list; the time is `at`, the
    /// transaction id `xid_n` (bigint).
    fn columns(self) -> &'static str {
        match self {
            Self::Use => {
                "l.id, l.logged_at AS at, l.xid::text::bigint AS xid_n, l.request_id, l.user_id, \
                 l.user_name, l.register_id, l.client_id, l.action, l.data, l.purpose, l.allowed, \
                 l.explanation, l.source_address"
            }
            Self::Disclosure => {
                "l.id, l.disclosed_at AS at, l.xid::text::bigint AS xid_n, l.request_id, \
                 l.user_id, l.user_name, l.register_id, l.client_id, l.data, l.recipient, \
                 l.purpose, l.legal_basis"
            }
        }
    }

    fn time_column(self) -> &'static str {
        match self {
            Self::Use => "logged_at",
            Self::Disclosure => "disclosed_at",
        }
    }

    /// Everything after the id, canonically encoded (see the module doc).
    fn encode_rest(self, row: &PgRow) -> Result<Vec<u8>> {
        match self {
            Self::Use => Ok(UseRow::from_row(row)?.encode_rest()),
            Self::Disclosure => {
                let mut e = Encoder::default();
                e.time(row.try_get("at")?);
                e.uuid(row.try_get("request_id")?);
                e.int(row.try_get("user_id")?);
                e.text(Some(row.try_get::<&str, _>("user_name")?));
                e.text(Some(row.try_get::<&str, _>("register_id")?));
                e.int(row.try_get("client_id")?);
                e.text(Some(row.try_get::<&str, _>("data")?));
                e.text(Some(row.try_get::<&str, _>("recipient")?));
                e.text(Some(row.try_get::<&str, _>("purpose")?));
                e.text(Some(row.try_get::<&str, _>("legal_basis")?));
                Ok(e.0)
            }
        }
    }
}

/// A `use_log` row as the sealer reads it (every column but `xid`). The
/// sealer encodes the rows it reads through this, and a bulk loader that
/// writes rows with their seals computes the same leaves with
/// [`UseRow::leaf`]: one encoding, so the two cannot drift.
#[derive(Debug, Clone, Copy)]
pub struct UseRow<'a> {
    pub id: i64,
    pub logged_at: DateTime<Utc>,
    pub request_id: Option<uuid::Uuid>,
    pub user_id: Option<i64>,
    pub user_name: &'a str,
    pub register_id: Option<&'a str>,
    pub client_id: Option<i64>,
    pub action: &'a str,
    pub data: &'a str,
    pub purpose: Option<&'a str>,
    pub allowed: bool,
    pub explanation: &'a str,
    pub source_address: Option<&'a str>,
}

impl<'a> UseRow<'a> {
    fn from_row(row: &'a PgRow) -> Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            logged_at: row.try_get("at")?,
            request_id: row.try_get("request_id")?,
            user_id: row.try_get("user_id")?,
            user_name: row.try_get("user_name")?,
            register_id: row.try_get("register_id")?,
            client_id: row.try_get("client_id")?,
            action: row.try_get("action")?,
            data: row.try_get("data")?,
            purpose: row.try_get("purpose")?,
            allowed: row.try_get("allowed")?,
            explanation: row.try_get("explanation")?,
            source_address: row.try_get("source_address")?,
        })
    }

    fn encode_rest(&self) -> Vec<u8> {
        let mut e = Encoder::default();
        e.time(self.logged_at);
        e.uuid(self.request_id);
        e.int(self.user_id);
        e.text(Some(self.user_name));
        e.text(self.register_id);
        e.int(self.client_id);
        e.text(Some(self.action));
        e.text(Some(self.data));
        e.text(self.purpose);
        e.boolean(self.allowed);
        e.text(Some(self.explanation));
        e.text(self.source_address);
        e.0
    }

    /// The row's leaf hash, as the sealer computes it.
    pub fn leaf(&self) -> [u8; 32] {
        leaf_hash(AuditLog::Use, self.id, &self.encode_rest())
    }
}

impl fmt::Display for AuditLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.table())
    }
}

#[derive(Default)]
struct Encoder(Vec<u8>);

impl Encoder {
    fn present(&mut self, bytes: &[u8]) {
        self.0.push(1);
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        self.0.extend_from_slice(bytes);
    }
    fn null(&mut self) {
        self.0.push(0);
    }
    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.present(&v.to_be_bytes()),
            None => self.null(),
        }
    }
    fn text(&mut self, v: Option<&str>) {
        match v {
            Some(v) => self.present(v.as_bytes()),
            None => self.null(),
        }
    }
    fn uuid(&mut self, v: Option<uuid::Uuid>) {
        match v {
            Some(v) => self.present(v.as_bytes()),
            None => self.null(),
        }
    }
    fn boolean(&mut self, v: bool) {
        self.present(&[u8::from(v)]);
    }
    fn time(&mut self, v: DateTime<Utc>) {
        self.present(&v.timestamp_micros().to_be_bytes());
    }
}

type Hash = [u8; 32];

fn leaf_hash(log: AuditLog, id: i64, rest: &[u8]) -> Hash {
    let mut head = Encoder::default();
    head.text(Some(log.table()));
    head.int(Some(id));
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(&head.0);
    h.update(rest);
    h.finalize().into()
}

/// The RFC 9162 Merkle tree hash over leaf hashes (already H(0x00 ‖ data)).
pub fn merkle_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves {
        [] => Sha256::digest([]).into(),
        [one] => *one,
        _ => {
            let k = leaves.len().next_power_of_two() / 2;
            let (l, r) = leaves.split_at(k);
            let mut h = Sha256::new();
            h.update([0x01]);
            h.update(merkle_root(l));
            h.update(merkle_root(r));
            h.finalize().into()
        }
    }
}

/// chain_n = H(0x02 ‖ chain_{n-1} ‖ root_n ‖ last_position_n).
pub fn chain_hash(previous: &[u8; 32], root: &[u8; 32], last_position: i64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0x02]);
    h.update(previous);
    h.update(root);
    h.update(last_position.to_be_bytes());
    h.finalize().into()
}

/// chain_0 of a log.
pub fn genesis(log: AuditLog) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0x03]);
    h.update(log.table().as_bytes());
    h.finalize().into()
}

fn to_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

// ---------------------------------------------------------------------------
// Keys

/// The first 8 bytes of SHA-256 of a public key, in hex.
pub fn key_id_of(public: &[u8; 32]) -> String {
    hex::encode(&Sha256::digest(public)[..8])
}

/// The sealer's Ed25519 private key. Its Debug shows the key id only.
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
    id: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let id = key_id_of(key.verifying_key().as_bytes());
        Self { key, id }
    }

    /// A new random key.
    pub fn generate() -> Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed)
            .map_err(|e| StoreError::Setup(format!("no randomness for a new signing key: {e}")))?;
        let key = Self::from_seed(&seed);
        seed.fill(0);
        Ok(key)
    }

    /// Reads a key file: the 32-byte seed as 64 hex characters. Errors name
    /// the file, never its contents.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            StoreError::Setup(format!(
                "cannot read the audit signing key file {}: {e}",
                path.display()
            ))
        })?;
        let bad = || {
            StoreError::Setup(format!(
                "the audit signing key file {} does not hold a key (64 hex characters)",
                path.display()
            ))
        };
        let text = text.trim();
        if text.len() != 64 {
            return Err(bad());
        }
        let mut seed = [0u8; 32];
        hex::decode_to_slice(text, &mut seed).map_err(|_| bad())?;
        let key = Self::from_seed(&seed);
        seed.fill(0);
        warn_if_readable_by_others(path);
        Ok(key)
    }

    pub fn key_id(&self) -> &str {
        &self.id
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey::from_dalek(self.key.verifying_key())
    }

    fn sign(&self, text: &str) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.key.sign(text.as_bytes()).to_bytes()
    }

    /// Signs a checkpoint in place (sets key id and signature).
    pub fn sign_checkpoint(&self, c: &mut Checkpoint) {
        c.key_id = self.id.clone();
        c.signature_hex = hex::encode(self.sign(&c.signed_text()));
    }
}

fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = std::fs::metadata(path) {
        if m.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                file = %path.display(),
                "the audit signing key file can be read by others than its owner: chmod 600 it"
            );
        }
    }
}

/// The public half, to verify checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    key: ed25519_dalek::VerifyingKey,
    id: String,
}

impl VerifyingKey {
    fn from_dalek(key: ed25519_dalek::VerifyingKey) -> Self {
        let id = key_id_of(key.as_bytes());
        Self { key, id }
    }

    /// From the 32-byte public key in hex.
    pub fn from_hex(text: &str) -> Result<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes)
            .map_err(|_| StoreError::Setup("a public key is 64 hex characters".to_owned()))?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map_err(|e| StoreError::Setup(format!("not an Ed25519 public key: {e}")))?;
        Ok(Self::from_dalek(key))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.key.as_bytes())
    }

    pub fn key_id(&self) -> &str {
        &self.id
    }

    /// Whether the checkpoint's signature is this key's over its text.
    pub fn verifies(&self, c: &Checkpoint) -> bool {
        let mut sig = [0u8; 64];
        if hex::decode_to_slice(&c.signature_hex, &mut sig).is_err() {
            return false;
        }
        let sig = ed25519_dalek::Signature::from_bytes(&sig);
        self.key
            .verify_strict(c.signed_text().as_bytes(), &sig)
            .is_ok()
    }
}

/// Writes a new random key to `path` with mode 0600; refuses to overwrite.
pub fn generate_key_file(path: &Path) -> Result<SigningKey> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let key = SigningKey::generate()?;
    let err = |e: std::io::Error| {
        StoreError::Setup(format!(
            "cannot write the audit signing key file {}: {e}",
            path.display()
        ))
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(err)?;
    let mut text = hex::encode(key.key.to_bytes());
    text.push('\n');
    let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
    text.clear();
    text.shrink_to_fit();
    written.map_err(err)?;
    Ok(key)
}

// ---------------------------------------------------------------------------
// Checkpoints

/// A sealed batch: what is signed, and the signature. Exported as JSON lines
/// by `kirjo audit checkpoints`, to be kept outside the database host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub log: String,
    pub batch: i64,
    pub first_position: i64,
    pub last_position: i64,
    pub row_count: i64,
    pub last_row_id: i64,
    pub late_count: i64,
    pub root_hex: String,
    pub previous_hex: String,
    pub chain_hex: String,
    /// pg_snapshot_xmin of the sealing snapshot.
    pub horizon: i64,
    /// pg_snapshot_xmax of it.
    pub next_xid: i64,
    pub sealed_at: DateTime<Utc>,
    pub key_id: String,
    pub signature_hex: String,
}

impl Checkpoint {
    /// The canonical text the signature is over.
    pub fn signed_text(&self) -> String {
        format!(
            "kirjo audit checkpoint v1\n\
             log {}\nbatch {}\nfirst_position {}\nlast_position {}\nrow_count {}\n\
             last_row_id {}\nlate_count {}\nroot {}\nprevious {}\nchain {}\n\
             horizon {}\nnext_xid {}\nsealed_at {}\nkey_id {}\n",
            self.log,
            self.batch,
            self.first_position,
            self.last_position,
            self.row_count,
            self.last_row_id,
            self.late_count,
            self.root_hex,
            self.previous_hex,
            self.chain_hex,
            self.horizon,
            self.next_xid,
            self.sealed_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
            self.key_id,
        )
    }

    fn from_row(r: &PgRow) -> Result<Self> {
        Ok(Self {
            log: r.try_get("log")?,
            batch: r.try_get("batch")?,
            first_position: r.try_get("first_position")?,
            last_position: r.try_get("last_position")?,
            row_count: r.try_get("row_count")?,
            last_row_id: r.try_get("last_row_id")?,
            late_count: r.try_get("late_count")?,
            root_hex: hex::encode(r.try_get::<&[u8], _>("merkle_root")?),
            previous_hex: hex::encode(r.try_get::<&[u8], _>("previous_chain")?),
            chain_hex: hex::encode(r.try_get::<&[u8], _>("chain")?),
            horizon: r.try_get("horizon")?,
            next_xid: r.try_get("next_xid")?,
            sealed_at: r.try_get("sealed_at")?,
            key_id: r.try_get("key_id")?,
            signature_hex: hex::encode(r.try_get::<&[u8], _>("signature")?),
        })
    }

    fn describe(&self) -> String {
        format!(
            "{} batch {} (positions {}..{}, last row {})",
            self.log, self.batch, self.first_position, self.last_position, self.last_row_id
        )
    }
}

const SEAL_COLUMNS: &str = "log, batch, first_position, last_position, row_count, last_row_id, \
     late_count, merkle_root, previous_chain, chain, horizon::text::bigint AS horizon, \
     next_xid::text::bigint AS next_xid, sealed_at, key_id, signature";

/// Every checkpoint, per log in batch order.
pub async fn checkpoints(pool: &PgPool) -> Result<Vec<Checkpoint>> {
    let rows = sqlx::query(&format!(
        "SELECT {SEAL_COLUMNS} FROM audit_seal ORDER BY log = 'disclosure_log', log, batch"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(Checkpoint::from_row).collect()
}

/// The key id of the newest batch of either log, if any: a start with another
/// key should say so, since verify then needs both.
pub async fn last_key_id(pool: &PgPool) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT key_id FROM ( \
           (SELECT key_id, sealed_at FROM audit_seal WHERE log = 'use_log' ORDER BY batch DESC LIMIT 1) \
           UNION ALL \
           (SELECT key_id, sealed_at FROM audit_seal WHERE log = 'disclosure_log' ORDER BY batch DESC LIMIT 1) \
         ) AS last ORDER BY sealed_at DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?)
}

// ---------------------------------------------------------------------------
// Sealing

/// Rows sealed by one [`seal_once`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SealReport {
    pub use_log: u64,
    pub disclosure_log: u64,
    /// Of those, rows sealed late (inserted behind the sealer's back).
    pub late: u64,
}

struct Snapshot {
    xmin: i64,
    xmax: i64,
    at: DateTime<Utc>,
}

async fn snapshot(conn: &mut PgConnection) -> Result<Snapshot> {
    // A query without parameters goes by the simple protocol, so that
    // statement_timestamp() is taken before the snapshot.
    let r = sqlx::Executor::fetch_one(
        &mut *conn,
        "SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax, \
         statement_timestamp() AS at FROM pg_current_snapshot() AS s",
    )
    .await?;
    Ok(Snapshot {
        xmin: r.try_get("xmin")?,
        xmax: r.try_get("xmax")?,
        at: r.try_get("at")?,
    })
}

fn tolerance_micros() -> i64 {
    LATE_TOLERANCE.as_micros() as i64
}

fn is_late(at: DateTime<Utc>, seen_after: Option<DateTime<Utc>>) -> bool {
    seen_after.is_some_and(|s| at.timestamp_micros() < s.timestamp_micros() - tolerance_micros())
}

/// The seals' times by transaction id: when the latest seal of either log
/// was taken that predates a row's transaction id (its `xid`), since the row
/// cannot have been written before it. Read once per sealing or verify run
/// (one small row per batch, not per log row), so that no log row costs a
/// query of its own.
struct SealTimes {
    /// Per log (`AuditLog::ALL` order): `(next_xid, batch, sealed_at)`,
    /// ordered by `next_xid`, then batch.
    by_xid: [Vec<(i64, i64, DateTime<Utc>)>; 2],
    /// Per log: when each batch was sealed.
    by_batch: [HashMap<i64, DateTime<Utc>>; 2],
}

impl SealTimes {
    async fn load(conn: &mut PgConnection) -> Result<Self> {
        let rows = sqlx::query(
            "SELECT log, next_xid::text::bigint AS next_xid, batch, sealed_at FROM audit_seal \
             ORDER BY log, next_xid, batch",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut times = SealTimes {
            by_xid: [Vec::new(), Vec::new()],
            by_batch: [HashMap::new(), HashMap::new()],
        };
        for r in &rows {
            let log: &str = r.try_get("log")?;
            let Some(i) = AuditLog::ALL.iter().position(|l| l.table() == log) else {
                continue;
            };
            let (next_xid, batch, at) = (
                r.try_get("next_xid")?,
                r.try_get("batch")?,
                r.try_get("sealed_at")?,
            );
            times.by_xid[i].push((next_xid, batch, at));
            times.by_batch[i].insert(batch, at);
        }
        Ok(times)
    }

    /// When batch `batch` of `log` was sealed, if there is such a batch.
    fn batch_sealed_at(&self, log: AuditLog, batch: i64) -> Option<DateTime<Utc>> {
        let i = AuditLog::ALL.iter().position(|l| *l == log)?;
        self.by_batch[i].get(&batch).copied()
    }

    /// The latest seal taken before transaction `xid` began; with `before`,
    /// only seals made before that time count (in verify, those made before
    /// the row's own batch, as they were all its sealer could see).
    fn seen_after(&self, xid: i64, before: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        self.by_xid
            .iter()
            .filter_map(|seals| {
                let end = seals.partition_point(|(next_xid, _, _)| *next_xid <= xid);
                seals[..end]
                    .iter()
                    .rev()
                    .map(|(_, _, at)| *at)
                    .find(|at| before.is_none_or(|b| *at < b))
            })
            .max()
    }
}

/// Takes the sealer's lock for the rest of the caller's transaction: a bulk
/// loader that writes rows with their seals holds it, so that no sealer
/// seals between its reading the last checkpoint and its commit.
pub async fn lock_sealer(conn: &mut PgConnection) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SEAL_LOCK)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The newest checkpoint of a log, if any: where the next batch continues
/// (its chain, last position and last row).
pub async fn last_checkpoint(conn: &mut PgConnection, log: AuditLog) -> Result<Option<Checkpoint>> {
    sqlx::query(&format!(
        "SELECT {SEAL_COLUMNS} FROM audit_seal WHERE log = $1 ORDER BY batch DESC LIMIT 1"
    ))
    .bind(log.table())
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| Checkpoint::from_row(&r))
    .transpose()
}

/// Seals the committed, unsealed rows of both logs as one batch each, at
/// most [`SEAL_BATCH`] rows of each: call again while a log's count is
/// [`SEAL_BATCH`].
pub async fn seal_once(pool: &PgPool, key: &SigningKey) -> Result<SealReport> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    lock_sealer(&mut tx).await?;
    let snap = snapshot(&mut tx).await?;
    // This run's own seals are taken after every row it seals began, so
    // they never count for those rows: the times read here are all it needs.
    let times = SealTimes::load(&mut tx).await?;
    let mut report = SealReport::default();
    for log in AuditLog::ALL {
        let (rows, late) = seal_log(&mut tx, log, &snap, &times, key).await?;
        match log {
            AuditLog::Use => report.use_log = rows,
            AuditLog::Disclosure => report.disclosure_log = rows,
        }
        report.late += late;
    }
    tx.commit().await?;
    Ok(report)
}

async fn seal_log(
    conn: &mut PgConnection,
    log: AuditLog,
    snap: &Snapshot,
    times: &SealTimes,
    key: &SigningKey,
) -> Result<(u64, u64)> {
    let table = log.table();
    let last = last_checkpoint(conn, log).await?;
    let (batch, first_position, mut prev_row_id, previous, lower) = match &last {
        None => (1, 1, None, genesis(log), 0),
        Some(l) => {
            let previous = hex_hash(&l.chain_hex).ok_or_else(|| {
                StoreError::Setup(format!("{} has a malformed chain hash", l.describe()))
            })?;
            // Every row below the last horizon is sealed, unless the cluster's
            // transaction ids started again (a restore into a new cluster).
            let lower = if l.next_xid <= snap.xmax {
                l.horizon
            } else {
                0
            };
            (
                l.batch + 1,
                l.last_position + 1,
                Some(l.last_row_id),
                previous,
                lower,
            )
        }
    };
    let sql = format!(
        "SELECT {} FROM {table} l \
         WHERE l.xid >= $2::text::xid8 AND l.xid < $3::text::xid8 \
         AND NOT EXISTS (SELECT 1 FROM audit_seal_entry e WHERE e.log = $1 AND e.row_id = l.id) \
         ORDER BY l.id LIMIT $4",
        log.columns(),
    );
    let mut ids = Vec::new();
    let mut leaves: Vec<Hash> = Vec::new();
    let mut lates = Vec::new();
    let rows = sqlx::query(&sql)
        .bind(table)
        .bind(lower.to_string())
        .bind(snap.xmin.to_string())
        .bind(SEAL_BATCH)
        .fetch_all(&mut *conn)
        .await?;
    // A full batch may have left rows below the snapshot's horizon: the
    // horizon stays where it was, so that the next batch looks there again.
    let horizon = if rows.len() as i64 >= SEAL_BATCH {
        lower
    } else {
        snap.xmin
    };
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let at: DateTime<Utc> = row.try_get("at")?;
        let seen_after = times.seen_after(row.try_get("xid_n")?, None);
        ids.push(id);
        leaves.push(leaf_hash(log, id, &log.encode_rest(row)?));
        lates.push(is_late(at, seen_after));
    }
    drop(rows);
    let Some(&last_row_id) = ids.last() else {
        return Ok((0, 0));
    };
    let count = ids.len() as i64;
    let last_position = first_position + count - 1;
    let late_count = lates.iter().filter(|l| **l).count() as i64;
    let root = merkle_root(&leaves);
    let chain = chain_hash(&previous, &root, last_position);
    let mut cp = Checkpoint {
        log: table.to_owned(),
        batch,
        first_position,
        last_position,
        row_count: count,
        last_row_id,
        late_count,
        root_hex: hex::encode(root),
        previous_hex: hex::encode(previous),
        chain_hex: hex::encode(chain),
        horizon,
        next_xid: snap.xmax,
        sealed_at: snap.at,
        key_id: String::new(),
        signature_hex: String::new(),
    };
    key.sign_checkpoint(&mut cp);
    let signature = hex::decode(&cp.signature_hex)
        .map_err(|e| StoreError::Setup(format!("signature encoding: {e}")))?;
    sqlx::query(
        "INSERT INTO audit_seal (log, batch, first_position, last_position, row_count, \
         last_row_id, late_count, merkle_root, previous_chain, chain, horizon, next_xid, \
         sealed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11::text::xid8, $12::text::xid8, $13, $14, $15)",
    )
    .bind(table)
    .bind(batch)
    .bind(first_position)
    .bind(last_position)
    .bind(count)
    .bind(last_row_id)
    .bind(late_count)
    .bind(&root[..])
    .bind(&previous[..])
    .bind(&chain[..])
    .bind(horizon.to_string())
    .bind(snap.xmax.to_string())
    .bind(snap.at)
    .bind(&cp.key_id)
    .bind(signature)
    .execute(&mut *conn)
    .await?;
    let mut position = first_position;
    for (i, chunk) in ids.chunks(INSERT_CHUNK).enumerate() {
        let start = i * INSERT_CHUNK;
        let mut positions = Vec::with_capacity(chunk.len());
        let mut prevs = Vec::with_capacity(chunk.len());
        for id in chunk {
            positions.push(position);
            prevs.push(prev_row_id);
            prev_row_id = Some(*id);
            position += 1;
        }
        let chunk_leaves: Vec<Vec<u8>> = leaves[start..start + chunk.len()]
            .iter()
            .map(|l| l.to_vec())
            .collect();
        let chunk_lates = &lates[start..start + chunk.len()];
        sqlx::query(
            "INSERT INTO audit_seal_entry (log, position, row_id, prev_row_id, batch, leaf, late) \
             SELECT $1, u.p, u.r, u.pr, $2, u.lf, u.lt \
             FROM UNNEST($3::bigint[], $4::bigint[], $5::bigint[], $6::bytea[], $7::boolean[]) \
             AS u(p, r, pr, lf, lt)",
        )
        .bind(table)
        .bind(batch)
        .bind(positions)
        .bind(chunk.to_vec())
        .bind(prevs)
        .bind(chunk_leaves)
        .bind(chunk_lates.to_vec())
        .execute(&mut *conn)
        .await?;
    }
    if late_count > 0 {
        let late_ids: Vec<i64> = ids
            .iter()
            .zip(&lates)
            .filter(|(_, l)| **l)
            .map(|(id, _)| *id)
            .take(20)
            .collect();
        tracing::warn!(
            log = table,
            batch,
            late_count,
            ?late_ids,
            "audit rows sealed late: their time predates an earlier seal (inserted behind the sealer's back?)"
        );
    }
    Ok((count as u64, late_count as u64))
}

fn hex_hash(text: &str) -> Option<Hash> {
    let mut h = [0u8; 32];
    hex::decode_to_slice(text, &mut h).ok().map(|()| h)
}

/// Seals every `every` until `shutdown` resolves, then once more. Errors are
/// logged (never row contents) and retried at the next tick.
pub async fn run_sealer(
    pool: PgPool,
    key: SigningKey,
    every: Duration,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    tracing::info!(
        key_id = key.key_id(),
        interval_ms = every.as_millis() as u64,
        "audit sealer started"
    );
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = tick.tick() => {}
        }
        // A backlog: batch after batch, then back to the clock.
        for _ in 0..BATCHES_PER_TICK {
            if !seal_and_log(&pool, &key, &mut failing).await {
                break;
            }
        }
    }
    while seal_and_log(&pool, &key, &mut failing).await {}
    tracing::info!("audit sealer stopped");
}

/// Seals one batch; whether a full batch was sealed (more may wait).
async fn seal_and_log(pool: &PgPool, key: &SigningKey, failing: &mut bool) -> bool {
    match seal_once(pool, key).await {
        Ok(r) => {
            if *failing {
                tracing::info!("audit sealing works again");
                *failing = false;
            }
            if r.use_log + r.disclosure_log > 0 {
                tracing::debug!(
                    use_log = r.use_log,
                    disclosure_log = r.disclosure_log,
                    "audit rows sealed"
                );
            }
            r.use_log as i64 >= SEAL_BATCH || r.disclosure_log as i64 >= SEAL_BATCH
        }
        Err(e) => {
            if !*failing {
                tracing::warn!(error = %e, "audit sealing failed; retrying every interval");
                *failing = true;
            }
            false
        }
    }
}

/// The unsealed part of one log.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LogState {
    /// Committed rows not yet sealed.
    pub unsealed_rows: u64,
    /// Age of the oldest of them, in seconds (0 when there is none).
    pub oldest_unsealed_seconds: f64,
    /// Batches sealed so far.
    pub batches: u64,
}

/// What [`seal_state`] reports, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SealState {
    pub use_log: LogState,
    pub disclosure_log: LogState,
}

/// Unsealed rows per log and the age of the oldest; works with the runtime
/// role. Rows hidden below an old horizon are found by [`verify`], not here.
pub async fn seal_state(pool: &PgPool) -> Result<SealState> {
    let mut conn = pool.acquire().await?;
    let mut state = SealState::default();
    for log in AuditLog::ALL {
        let table = log.table();
        let sql = format!(
            "WITH last AS (SELECT batch, horizon, next_xid FROM audit_seal WHERE log = $1 \
                           ORDER BY batch DESC LIMIT 1) \
             SELECT count(*) AS n, \
                    COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(l.{time})), 0)::float8 AS age, \
                    COALESCE((SELECT batch FROM last), 0) AS batches \
             FROM {table} l \
             WHERE l.xid >= COALESCE((SELECT CASE WHEN next_xid <= pg_snapshot_xmax(pg_current_snapshot()) \
                                             THEN horizon END FROM last), '0'::xid8) \
               AND NOT EXISTS (SELECT 1 FROM audit_seal_entry e WHERE e.log = $1 AND e.row_id = l.id)",
            time = log.time_column()
        );
        let r = sqlx::query(&sql).bind(table).fetch_one(&mut *conn).await?;
        let s = LogState {
            unsealed_rows: r.try_get::<i64, _>("n")?.max(0) as u64,
            oldest_unsealed_seconds: r.try_get::<f64, _>("age")?.max(0.0),
            batches: r.try_get::<i64, _>("batches")?.max(0) as u64,
        };
        match log {
            AuditLog::Use => state.use_log = s,
            AuditLog::Disclosure => state.disclosure_log = s,
        }
    }
    Ok(state)
}

// ---------------------------------------------------------------------------
// Verification

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The log holds: no problem found.
    pub ok: bool,
    /// Sealed rows whose contents were checked.
    pub rows_checked: u64,
    pub batches_checked: u64,
    /// Committed rows not (yet) sealed.
    pub unsealed_rows: u64,
    /// How many problems were found.
    pub problems: u64,
    /// The problem with the lowest position (then row id): the log, the row
    /// id and position, and what happened.
    pub first_problem: Option<String>,
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ok {
            write!(f, "the audit log holds: ")?;
        } else {
            write!(
                f,
                "the audit log does NOT hold ({} problem{}): ",
                self.problems,
                if self.problems == 1 { "" } else { "s" }
            )?;
        }
        write!(
            f,
            "{} sealed rows in {} batches checked, {} rows not yet sealed",
            self.rows_checked, self.batches_checked, self.unsealed_rows
        )
    }
}

/// (log, position, rank, row id): the order problems are reported in.
type ProblemKey = (u8, i64, u8, i64);

#[derive(Default)]
struct Problems {
    first: Option<(ProblemKey, String)>,
    count: u64,
}

impl Problems {
    fn add(&mut self, key: ProblemKey, message: String) {
        self.count += 1;
        if self.first.as_ref().is_none_or(|(k, _)| key < *k) {
            self.first = Some((key, message));
        }
    }
}

struct EntryCheck {
    position: i64,
    row_id: i64,
    prev_row_id: Option<i64>,
    batch: i64,
    leaf: Vec<u8>,
    late: bool,
    row: Option<RowCheck>,
}

struct RowCheck {
    leaf: Hash,
    rest: Vec<u8>,
    at: DateTime<Utc>,
    seen_after: Option<DateTime<Utc>>,
}

struct Mismatch {
    position: i64,
    row_id: i64,
    entry_leaf: Vec<u8>,
    rest: Vec<u8>,
}

/// Checks rows, seals and checkpoints of both logs; seals nothing. With
/// `exported`, also that the database still holds each exported checkpoint
/// unchanged.
pub async fn verify(
    pool: &PgPool,
    key: &VerifyingKey,
    exported: Option<&[Checkpoint]>,
) -> Result<VerifyReport> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let snap = snapshot(&mut tx).await?;
    let times = SealTimes::load(&mut tx).await?;
    let mut report = VerifyReport::default();
    let mut problems = Problems::default();
    if let Some(exported) = exported {
        for c in exported {
            if !AuditLog::ALL.iter().any(|l| l.table() == c.log) {
                problems.add(
                    (0, 0, 0, 0),
                    format!("an exported checkpoint names an unknown log `{}`", c.log),
                );
            }
        }
    }
    for log in AuditLog::ALL {
        let exported_here: Option<Vec<&Checkpoint>> =
            exported.map(|e| e.iter().filter(|c| c.log == log.table()).collect());
        verify_log(
            &mut tx,
            log,
            key,
            exported_here.as_deref(),
            (&snap, &times),
            &mut report,
            &mut problems,
        )
        .await?;
    }
    tx.rollback().await?;
    report.problems = problems.count;
    report.ok = problems.count == 0;
    report.first_problem = problems.first.map(|(_, m)| m);
    Ok(report)
}

#[allow(clippy::too_many_lines)]
async fn verify_log(
    conn: &mut PgConnection,
    log: AuditLog,
    key: &VerifyingKey,
    exported: Option<&[&Checkpoint]>,
    (snap, times): (&Snapshot, &SealTimes),
    report: &mut VerifyReport,
    problems: &mut Problems,
) -> Result<()> {
    let table = log.table();
    let lr = log.rank();
    let mut exported_by_batch: HashMap<i64, &Checkpoint> = HashMap::new();
    for c in exported.unwrap_or_default() {
        exported_by_batch.insert(c.batch, c);
    }
    let mut seen_batches: HashSet<i64> = HashSet::new();
    let mut expected_batch = 1i64;
    let mut cursor = 1i64; // the next position expected
    let mut prev_chain = genesis(log);
    let mut last_seal: Option<Checkpoint> = None;
    let mut mismatches: Vec<Mismatch> = Vec::new();
    let mut after_batch = 0i64;
    let mut sealed = Sealed::default();
    // A page is read in two index-ordered reads, not a join: the entries
    // by position, then their rows by id. The planner, asked for a join,
    // read the whole log for every page.
    let entries_sql = "SELECT position, row_id, prev_row_id, batch, leaf, late \
         FROM audit_seal_entry WHERE log = $1 AND position >= $2 AND position <= $3 \
         ORDER BY position";
    let rows_sql = format!(
        "SELECT {} FROM {table} l WHERE l.id = ANY($1)",
        log.columns()
    );
    loop {
        let page = sqlx::query(&format!(
            "SELECT {SEAL_COLUMNS} FROM audit_seal WHERE log = $1 AND batch > $2 \
             ORDER BY batch LIMIT $3"
        ))
        .bind(table)
        .bind(after_batch)
        .bind(PAGE_BATCHES)
        .fetch_all(&mut *conn)
        .await?;
        if page.is_empty() {
            break;
        }
        let mut seals = Vec::new();
        let mut rows_in_page = 0i64;
        for r in &page {
            let c = Checkpoint::from_row(r)?;
            rows_in_page += c.row_count.max(0);
            seals.push(c);
            if rows_in_page >= PAGE_ROWS {
                break;
            }
        }
        let hi = seals.iter().map(|s| s.last_position).max().unwrap_or(0);
        let mut entries = Vec::new();
        let mut raw = sqlx::query(entries_sql)
            .bind(table)
            .bind(cursor)
            .bind(hi)
            .fetch(&mut *conn);
        while let Some(r) = raw.try_next().await? {
            let row_id: i64 = r.try_get("row_id")?;
            sealed.max_row_id = sealed.max_row_id.max(row_id);
            entries.push(EntryCheck {
                position: r.try_get("position")?,
                row_id,
                prev_row_id: r.try_get("prev_row_id")?,
                batch: r.try_get("batch")?,
                leaf: r.try_get("leaf")?,
                late: r.try_get("late")?,
                row: None,
            });
        }
        drop(raw);
        // The rows, hashed as they stream in.
        let ids: Vec<i64> = entries.iter().map(|e| e.row_id).collect();
        let mut found: HashMap<i64, (Vec<u8>, DateTime<Utc>, i64)> =
            HashMap::with_capacity(ids.len());
        let mut rows = sqlx::query(&rows_sql).bind(&ids).fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            found.insert(
                r.try_get("id")?,
                (log.encode_rest(&r)?, r.try_get("at")?, r.try_get("xid_n")?),
            );
        }
        drop(rows);
        drop(ids);
        for en in &mut entries {
            // (Looked up, not taken: two entries naming one row must both
            // find it, whatever a tampered constraint let through.)
            en.row = found.get(&en.row_id).map(|(rest, at, xid)| RowCheck {
                leaf: leaf_hash(log, en.row_id, rest),
                rest: rest.clone(),
                at: *at,
                seen_after: times
                    .batch_sealed_at(log, en.batch)
                    .and_then(|b| times.seen_after(*xid, Some(b))),
            });
        }
        let mut idx = 0usize;
        for seal in &seals {
            after_batch = seal.batch;
            report.batches_checked += 1;
            seen_batches.insert(seal.batch);
            let last = seal.last_position;
            if seal.batch != expected_batch {
                problems.add(
                    (lr, cursor, 2, 0),
                    format!(
                        "{table} batches {expected_batch}..{} are missing from audit_seal \
                         (from position {cursor}): seals were deleted",
                        seal.batch - 1
                    ),
                );
            }
            if seal.first_position != cursor || seal.row_count != last - seal.first_position + 1 {
                problems.add(
                    (lr, cursor, 2, 0),
                    format!(
                        "{} does not follow on position {}: positions were rewritten",
                        seal.describe(),
                        cursor - 1
                    ),
                );
            }
            // The batch's entries.
            let mut leaves: Vec<Hash> = Vec::new();
            let mut entries_ok = true;
            let mut prev_in_batch: Option<i64> = None;
            let mut first_row: Option<i64> = None;
            let mut late_count = 0i64;
            while idx < entries.len() && entries[idx].position <= last {
                let en = &entries[idx];
                idx += 1;
                if en.position < cursor {
                    continue;
                }
                if en.position > cursor {
                    entries_ok = false;
                    problems.add(
                        (lr, cursor, 0, en.prev_row_id.unwrap_or(0)),
                        gap_message(table, cursor, en.position - 1, en.prev_row_id, seal.batch),
                    );
                }
                first_row.get_or_insert(en.row_id);
                let at = format!(
                    "{table} row {} (position {}, batch {})",
                    en.row_id, en.position, seal.batch
                );
                if en.batch != seal.batch {
                    entries_ok = false;
                    problems.add(
                        (lr, en.position, 1, en.row_id),
                        format!("{at}: reordered: its seal entry names batch {}", en.batch),
                    );
                }
                if let Some(prev) = prev_in_batch {
                    if en.row_id <= prev {
                        problems.add(
                            (lr, en.position, 1, en.row_id),
                            format!("{at}: reordered: it comes after row {prev} in the same batch"),
                        );
                    }
                }
                prev_in_batch = Some(en.row_id);
                if en.late {
                    late_count += 1;
                }
                match &en.row {
                    None => problems.add(
                        (lr, en.position, 1, en.row_id),
                        format!("{at}: deleted after sealing"),
                    ),
                    Some(row) => {
                        report.rows_checked += 1;
                        sealed.present += 1;
                        if row.leaf[..] != en.leaf[..] {
                            problems.add(
                                (lr, en.position, 1, en.row_id),
                                format!(
                                    "{at}: changed after sealing (its contents no longer match the sealed hash)"
                                ),
                            );
                            if mismatches.len() < MAX_MISMATCHES {
                                mismatches.push(Mismatch {
                                    position: en.position,
                                    row_id: en.row_id,
                                    entry_leaf: en.leaf.clone(),
                                    rest: row.rest.clone(),
                                });
                            }
                        } else if en.late {
                            problems.add(
                                (lr, en.position, 1, en.row_id),
                                format!(
                                    "{at}: inserted after sealing: its time {} predates a seal \
                                     made before it appeared (sealed late)",
                                    fmt_time(row.at)
                                ),
                            );
                        } else if is_late(row.at, row.seen_after) {
                            problems.add(
                                (lr, en.position, 1, en.row_id),
                                format!(
                                    "{at}: inserted after sealing: its time {} predates the seal \
                                     of {} taken before its transaction began (and its late \
                                     mark was removed)",
                                    fmt_time(row.at),
                                    row.seen_after.map(fmt_time).unwrap_or_default()
                                ),
                            );
                        }
                    }
                }
                match to_hash(&en.leaf) {
                    Some(h) => leaves.push(h),
                    None => entries_ok = false,
                }
                cursor = en.position + 1;
            }
            if cursor <= last {
                entries_ok = false;
                problems.add(
                    (lr, cursor, 0, seal.last_row_id),
                    gap_message(table, cursor, last, Some(seal.last_row_id), seal.batch),
                );
                cursor = last + 1;
            }
            let rows_label = match first_row {
                Some(f) if f != seal.last_row_id => format!("rows {f}..{}", seal.last_row_id),
                _ => format!("row {}", seal.last_row_id),
            };
            let label = format!(
                "{table} batch {} (positions {}..{}, {rows_label})",
                seal.batch, seal.first_position, last
            );
            // The seal itself.
            let stored_root = hex_hash(&seal.root_hex);
            if entries_ok && stored_root != Some(merkle_root(&leaves)) {
                problems.add(
                    (lr, last, 3, 0),
                    format!("{label}: its seal entries do not match its Merkle root: the entries were changed"),
                );
            }
            if late_count != seal.late_count {
                problems.add(
                    (lr, last, 3, 0),
                    format!(
                        "{label}: {late_count} entries are marked late but the signed checkpoint says {}: late marks were changed",
                        seal.late_count
                    ),
                );
            }
            if hex_hash(&seal.previous_hex) != Some(prev_chain) {
                problems.add(
                    (lr, last, 3, 0),
                    format!("{label}: does not chain on to the batch before it"),
                );
            }
            let chain_ok = match (stored_root, hex_hash(&seal.chain_hex)) {
                (Some(root), Some(chain)) => chain_hash(&prev_chain, &root, last) == chain,
                _ => false,
            };
            if !chain_ok {
                problems.add(
                    (lr, last, 3, 0),
                    format!("{label}: its chain hash is wrong"),
                );
            }
            if seal.key_id != key.key_id() {
                problems.add(
                    (lr, last, 4, 0),
                    format!(
                        "{label}: signed with key {}, not with the verifying key {}",
                        seal.key_id,
                        key.key_id()
                    ),
                );
            } else if !key.verifies(seal) {
                problems.add(
                    (lr, last, 4, 0),
                    format!("{label}: its signature does not verify: the seal was rewritten"),
                );
            }
            if let Some(x) = exported_by_batch.get(&seal.batch) {
                if *x != seal {
                    problems.add(
                        (lr, x.first_position.min(last), 5, 0),
                        format!(
                            "{label}: differs from the exported checkpoint, which sealed \
                             positions {}..{} up to row {} with root {}: the seal tables were rewritten",
                            x.first_position, x.last_position, x.last_row_id, x.root_hex
                        ),
                    );
                }
            }
            if let Some(h) = hex_hash(&seal.chain_hex) {
                prev_chain = h;
            }
            expected_batch = seal.batch + 1;
            last_seal = Some(seal.clone());
        }
    }
    // Entries beyond the last seal.
    let stray = sqlx::query(
        "SELECT position, row_id FROM audit_seal_entry WHERE log = $1 AND position >= $2 \
         ORDER BY position LIMIT 1",
    )
    .bind(table)
    .bind(cursor)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = stray {
        let position: i64 = r.try_get("position")?;
        let row_id: i64 = r.try_get("row_id")?;
        problems.add(
            (lr, position, 2, row_id),
            format!(
                "{table} row {row_id} (position {position}): its seal entry belongs to no sealed batch"
            ),
        );
    }
    // Exported batches the database no longer has.
    for (batch, x) in &exported_by_batch {
        if !seen_batches.contains(batch) {
            problems.add(
                (lr, x.first_position, 2, x.last_row_id),
                format!(
                    "{} is in the exported checkpoints but missing from the database: \
                     rows and seals were deleted",
                    x.describe()
                ),
            );
        }
    }
    // Rows whose contents were swapped.
    for a in &mismatches {
        for b in &mismatches {
            if a.row_id != b.row_id && leaf_hash(log, b.row_id, &a.rest)[..] == b.entry_leaf[..] {
                let (first, other) = if a.position < b.position {
                    (a, b)
                } else {
                    (b, a)
                };
                problems.add(
                    (lr, first.position, 0, first.row_id),
                    format!(
                        "{table} row {} (position {}): reordered: its contents and those of row {} \
                         (position {}) were swapped",
                        first.row_id, first.position, other.row_id, other.position
                    ),
                );
                problems.count -= 1; // the same problem as the change already counted
            }
        }
    }
    // Rows that are in no batch.
    verify_unsealed(
        conn,
        log,
        (snap, times),
        sealed,
        last_seal.as_ref(),
        report,
        problems,
    )
    .await
}

/// What verify found sealed in one log: how many sealed rows are still
/// there, and the greatest row id any seal entry names.
#[derive(Debug, Clone, Copy, Default)]
struct Sealed {
    present: i64,
    max_row_id: i64,
}

fn gap_message(table: &str, from: i64, to: i64, last_row: Option<i64>, batch: i64) -> String {
    match (from == to, last_row) {
        (true, Some(r)) => format!(
            "{table} row {r} (position {from}, batch {batch}): deleted together with its seal entry"
        ),
        (true, None) => format!(
            "{table} position {from} (batch {batch}): its row was deleted together with its seal entry"
        ),
        (false, Some(r)) => format!(
            "{table} positions {from}..{to} (batch {batch}): rows deleted together with their \
             seal entries, the last of them row {r}"
        ),
        (false, None) => format!(
            "{table} positions {from}..{to} (batch {batch}): rows deleted together with their seal entries"
        ),
    }
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

async fn verify_unsealed(
    conn: &mut PgConnection,
    log: AuditLog,
    (snap, times): (&Snapshot, &SealTimes),
    sealed: Sealed,
    last_seal: Option<&Checkpoint>,
    report: &mut VerifyReport,
    problems: &mut Problems,
) -> Result<()> {
    let table = log.table();
    let lr = log.rank();
    let unsealed_after = |after: &str| {
        format!(
            "FROM {table} l WHERE l.id > {after} \
             AND NOT EXISTS (SELECT 1 FROM audit_seal_entry e WHERE e.log = $1 AND e.row_id = l.id)"
        )
    };
    // Every row not sealed is the table's count less the sealed rows found.
    // Usually they are all newer than the newest sealed row: then only those
    // are looked at, not the whole log against every seal entry.
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&mut *conn)
        .await?;
    let newer: i64 = sqlx::query_scalar(&format!("SELECT count(*) {}", unsealed_after("$2")))
        .bind(table)
        .bind(sealed.max_row_id)
        .fetch_one(&mut *conn)
        .await?;
    let after = if total - sealed.present == newer {
        sealed.max_row_id
    } else {
        0
    };
    let sql = format!(
        "SELECT l.id, l.{time} AS at, l.xid::text::bigint AS xid_n {rows} ORDER BY l.id",
        time = log.time_column(),
        rows = unsealed_after("$2"),
    );
    let same_timeline = last_seal.filter(|l| l.next_xid <= snap.xmax);
    let bound = UNSEALED_BOUND.as_micros() as i64;
    // Streamed: a backlog of any size is read in constant memory.
    let mut rows = sqlx::query(&sql).bind(table).bind(after).fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        report.unsealed_rows += 1;
        let id: i64 = r.try_get("id")?;
        let at: DateTime<Utc> = r.try_get("at")?;
        let xid: i64 = r.try_get("xid_n")?;
        let seen_after = times.seen_after(xid, None);
        let key = (lr, i64::MAX, 1, id);
        let what = format!("{table} row {id} (not sealed)");
        if let Some(l) = same_timeline.filter(|l| xid < l.horizon) {
            problems.add(
                key,
                format!(
                    "{what}: inserted after sealing: its transaction had finished when batch {} \
                     was sealed, yet it is in no batch",
                    l.batch
                ),
            );
        } else if xid >= snap.xmax {
            problems.add(
                key,
                format!("{what}: inserted by hand: its transaction id {xid} was never assigned"),
            );
        } else if is_late(at, seen_after) {
            problems.add(
                key,
                format!(
                    "{what}: inserted after sealing: its time {} predates a seal taken before \
                     its transaction began",
                    fmt_time(at)
                ),
            );
        } else if snap.at.timestamp_micros() - at.timestamp_micros() > bound {
            problems.add(
                key,
                format!(
                    "{what}: written at {} and still not sealed after more than {} s: the sealer \
                     is not running (start Kirjo or run `kirjo audit seal`), or the row was \
                     inserted behind it",
                    fmt_time(at),
                    UNSEALED_BOUND.as_secs()
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(b: u8) -> Hash {
        let mut h = Sha256::new();
        h.update([0x00, b]);
        h.finalize().into()
    }

    fn node(l: Hash, r: Hash) -> Hash {
        let mut x = Sha256::new();
        x.update([0x01]);
        x.update(l);
        x.update(r);
        x.finalize().into()
    }

    #[test]
    fn a_row_was_seen_after_the_latest_seal_taken_before_its_transaction() {
        let t = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).unwrap();
        let mut times = SealTimes {
            by_xid: [
                vec![(10, 1, t(100)), (20, 2, t(200)), (30, 3, t(300))],
                vec![(25, 1, t(250))],
            ],
            by_batch: [HashMap::new(), HashMap::new()],
        };
        times.by_batch[0].insert(3, t(300));
        // No seal predates transaction 5.
        assert_eq!(times.seen_after(5, None), None);
        // Seals up to and including next_xid = xid count, of either log.
        assert_eq!(times.seen_after(20, None), Some(t(200)));
        assert_eq!(times.seen_after(27, None), Some(t(250)));
        assert_eq!(times.seen_after(99, None), Some(t(300)));
        // In verify, only seals made before the row's own batch.
        assert_eq!(times.seen_after(99, Some(t(300))), Some(t(250)));
        assert_eq!(times.seen_after(99, Some(t(250))), Some(t(200)));
        assert_eq!(times.seen_after(99, Some(t(100))), None);
        assert_eq!(times.batch_sealed_at(AuditLog::Use, 3), Some(t(300)));
        assert_eq!(times.batch_sealed_at(AuditLog::Use, 4), None);
    }

    #[test]
    fn merkle_tree_is_rfc_9162() {
        let (a, b, c, d, e) = (h(1), h(2), h(3), h(4), h(5));
        assert_eq!(merkle_root(&[a]), a);
        assert_eq!(merkle_root(&[a, b]), node(a, b));
        assert_eq!(merkle_root(&[a, b, c]), node(node(a, b), c));
        assert_eq!(
            merkle_root(&[a, b, c, d, e]),
            node(node(node(a, b), node(c, d)), e)
        );
        let empty: Hash = Sha256::digest([]).into();
        assert_eq!(merkle_root(&[]), empty);
    }

    #[test]
    fn encodings_do_not_collide() {
        let mut x = Encoder::default();
        x.text(Some("ab"));
        x.text(Some("c"));
        let mut y = Encoder::default();
        y.text(Some("a"));
        y.text(Some("bc"));
        assert_ne!(x.0, y.0);
        let mut n = Encoder::default();
        n.text(None);
        let mut e = Encoder::default();
        e.text(Some(""));
        assert_ne!(n.0, e.0);
        assert_ne!(
            leaf_hash(AuditLog::Use, 1, &[]),
            leaf_hash(AuditLog::Disclosure, 1, &[])
        );
    }

    #[test]
    fn signatures_cover_the_checkpoint() {
        let key = SigningKey::from_seed(&[7; 32]);
        let other = SigningKey::from_seed(&[8; 32]);
        let mut c = Checkpoint {
            log: "use_log".into(),
            batch: 1,
            first_position: 1,
            last_position: 2,
            row_count: 2,
            last_row_id: 2,
            late_count: 0,
            root_hex: hex::encode([1; 32]),
            previous_hex: hex::encode(genesis(AuditLog::Use)),
            chain_hex: hex::encode([2; 32]),
            horizon: 10,
            next_xid: 12,
            sealed_at: Utc::now(),
            key_id: String::new(),
            signature_hex: String::new(),
        };
        key.sign_checkpoint(&mut c);
        assert_eq!(c.key_id.len(), 16);
        assert!(key.verifying_key().verifies(&c));
        assert!(!other.verifying_key().verifies(&c));
        let mut changed = c.clone();
        changed.last_row_id = 3;
        assert!(!key.verifying_key().verifies(&changed));
        let vk = VerifyingKey::from_hex(&key.verifying_key().to_hex()).unwrap();
        assert_eq!(vk, key.verifying_key());
        assert!(!format!("{key:?}").contains(&hex::encode([7u8; 32])));
    }
}
