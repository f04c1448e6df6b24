//! Schema migrations, embedded in the binary and applied in order at start.
//!
//! Each migration runs in its own transaction under an advisory lock, so two
//! Kirjo processes starting at once do not race. An applied migration whose
//! text has since changed is an error, never silently skipped.

use crate::{Result, StoreError};
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Row};

/// One migration: its version, name and SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub fn checksum(&self) -> String {
        hex::encode(Sha256::digest(self.sql.as_bytes()))
    }
}

/// Every migration, in order. A test checks that this list and the files in
/// `crates/store/migrations/` agree.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_foundation",
        sql: include_str!("../migrations/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "0002_audit_log",
        sql: include_str!("../migrations/0002_audit_log.sql"),
    },
    Migration {
        version: 3,
        name: "0003_staff_and_gate",
        sql: include_str!("../migrations/0003_staff_and_gate.sql"),
    },
    Migration {
        version: 4,
        name: "0004_registry",
        sql: include_str!("../migrations/0004_registry.sql"),
    },
    Migration {
        version: 5,
        name: "0005_sensitive_and_finances",
        sql: include_str!("../migrations/0005_sensitive_and_finances.sql"),
    },
    Migration {
        version: 6,
        name: "0006_second_factor_and_pages",
        sql: include_str!("../migrations/0006_second_factor_and_pages.sql"),
    },
    Migration {
        version: 7,
        name: "0007_documents",
        sql: include_str!("../migrations/0007_documents.sql"),
    },
    Migration {
        version: 8,
        name: "0008_minor_prohibition",
        sql: include_str!("../migrations/0008_minor_prohibition.sql"),
    },
    Migration {
        version: 9,
        name: "0009_attachments",
        sql: include_str!("../migrations/0009_attachments.sql"),
    },
    Migration {
        version: 10,
        name: "0010_document_kinds",
        sql: include_str!("../migrations/0010_document_kinds.sql"),
    },
    Migration {
        version: 11,
        name: "0011_county_indexes",
        sql: include_str!("../migrations/0011_county_indexes.sql"),
    },
    Migration {
        version: 12,
        name: "0012_use_log_period",
        sql: include_str!("../migrations/0012_use_log_period.sql"),
    },
    Migration {
        version: 13,
        name: "0013_minor_prohibition_assessment",
        sql: include_str!("../migrations/0013_minor_prohibition_assessment.sql"),
    },
    Migration {
        version: 14,
        name: "0014_matters",
        sql: include_str!("../migrations/0014_matters.sql"),
    },
    Migration {
        version: 15,
        name: "0015_relationship_basis_and_data_group_areas",
        sql: include_str!("../migrations/0015_relationship_basis_and_data_group_areas.sql"),
    },
    Migration {
        version: 16,
        name: "0016_safe_dates",
        sql: include_str!("../migrations/0016_safe_dates.sql"),
    },
    Migration {
        version: 17,
        name: "0017_revisions",
        sql: include_str!("../migrations/0017_revisions.sql"),
    },
    Migration {
        version: 18,
        name: "0018_monitoring_state",
        sql: include_str!("../migrations/0018_monitoring_state.sql"),
    },
    Migration {
        version: 19,
        name: "0019_decisions",
        sql: include_str!("../migrations/0019_decisions.sql"),
    },
    Migration {
        version: 20,
        name: "0020_decisions_awaiting_index",
        sql: include_str!("../migrations/0020_decisions_awaiting_index.sql"),
    },
    Migration {
        version: 21,
        name: "0021_decision_definition",
        sql: include_str!("../migrations/0021_decision_definition.sql"),
    },
    Migration {
        version: 22,
        name: "0022_webauthn",
        sql: include_str!("../migrations/0022_webauthn.sql"),
    },
    Migration {
        version: 23,
        name: "0023_worklist",
        sql: include_str!("../migrations/0023_worklist.sql"),
    },
];

/// A fingerprint of all migrations, used to name test templates.
pub fn fingerprint() -> String {
    let mut h = Sha256::new();
    for m in MIGRATIONS {
        h.update(m.version.to_be_bytes());
        h.update(m.checksum().as_bytes());
    }
    hex::encode(&h.finalize()[..8])
}

const LOCK_KEY: i64 = 0x6b69_726a_6f5f_6d69; // "kirjo_mi"

/// What [`migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub applied_now: Vec<i32>,
    pub already_applied: usize,
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS kirjo_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)";

/// Applies every pending migration. Must be called with the owner role.
pub async fn migrate(owner: &PgPool) -> Result<MigrationReport> {
    let mut conn = owner.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *conn)
        .await?;
    let result = migrate_locked(&mut conn).await;
    let unlock = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(LOCK_KEY)
        .execute(&mut *conn)
        .await;
    let report = result?;
    unlock?;
    Ok(report)
}

async fn migrate_locked(conn: &mut sqlx::PgConnection) -> Result<MigrationReport> {
    sqlx::query(CREATE_TABLE).execute(&mut *conn).await?;
    sqlx::query(&format!(
        "GRANT SELECT ON kirjo_migrations TO {}",
        crate::RUNTIME_ROLE
    ))
    .execute(&mut *conn)
    .await?;
    let applied = applied(&mut *conn).await?;
    check_applied(&applied)?;
    let mut report = MigrationReport {
        applied_now: Vec::new(),
        already_applied: applied.len(),
    };
    for m in MIGRATIONS {
        if applied.iter().any(|a| a.version == m.version) {
            continue;
        }
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO kirjo_migrations (version, name, checksum) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(m.checksum())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        report.applied_now.push(m.version);
    }
    Ok(report)
}

/// A migration recorded in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: i32,
    pub name: String,
    pub checksum: String,
}

async fn applied(conn: &mut sqlx::PgConnection) -> Result<Vec<Applied>> {
    let rows = sqlx::query("SELECT version, name, checksum FROM kirjo_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Applied {
                version: r.try_get("version")?,
                name: r.try_get("name")?,
                checksum: r.try_get("checksum")?,
            })
        })
        .collect()
}

fn check_applied(applied: &[Applied]) -> Result<()> {
    for a in applied {
        match MIGRATIONS.iter().find(|m| m.version == a.version) {
            None => return Err(StoreError::DatabaseNewer { version: a.version }),
            Some(m) if m.checksum() != a.checksum => {
                return Err(StoreError::MigrationChanged {
                    version: a.version,
                    name: a.name.clone(),
                    applied: a.checksum.clone(),
                    embedded: m.checksum(),
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The state of the schema compared with this binary's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaState {
    Current { version: i32 },
    Pending { missing: Vec<i32> },
    Mismatch(String),
}

/// Reads the schema state; works with the runtime role.
pub async fn schema_state(pool: &PgPool) -> Result<SchemaState> {
    let mut conn = pool.acquire().await?;
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('kirjo_migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if !exists {
        return Ok(SchemaState::Pending {
            missing: MIGRATIONS.iter().map(|m| m.version).collect(),
        });
    }
    let applied = applied(&mut conn).await?;
    if let Err(e) = check_applied(&applied) {
        return Ok(SchemaState::Mismatch(e.to_string()));
    }
    let missing: Vec<i32> = MIGRATIONS
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .map(|m| m.version)
        .collect();
    if missing.is_empty() {
        Ok(SchemaState::Current {
            version: MIGRATIONS.last().map_or(0, |m| m.version),
        })
    } else {
        Ok(SchemaState::Pending { missing })
    }
}
