//! Migrations and roles, against a real PostgreSQL (see kirjo-testkit).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_store::migrate::{self, SchemaState, MIGRATIONS};
use kirjo_store::StoreError;
use kirjo_testkit::TestDb;

#[test]
fn every_migration_file_is_listed_in_order() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|f| f.ends_with(".sql"))
        .collect();
    files.sort();
    let listed: Vec<String> = MIGRATIONS
        .iter()
        .map(|m| format!("{}.sql", m.name))
        .collect();
    assert_eq!(
        files, listed,
        "crates/store/src/migrate.rs MIGRATIONS and the files disagree"
    );
    // In order, each named by its version, with no number missing.
    for (i, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(
            i64::from(m.version),
            i as i64 + 1,
            "versions 1, 2, 3, ... in order"
        );
        assert!(m.name.starts_with(&format!("{:04}_", m.version)));
    }
}

#[tokio::test]
async fn migrations_apply_to_an_empty_database_once() {
    let db = TestDb::empty().await;
    assert!(matches!(
        migrate::schema_state(&db.owner).await.unwrap(),
        SchemaState::Pending { .. }
    ));
    let first = migrate::migrate(&db.owner).await.unwrap();
    assert_eq!(first.applied_now.len(), MIGRATIONS.len());
    assert_eq!(first.already_applied, 0);
    let second = migrate::migrate(&db.owner).await.unwrap();
    assert!(second.applied_now.is_empty());
    assert_eq!(second.already_applied, MIGRATIONS.len());
    // The runtime role can read the state, which is what /health/ready does.
    assert_eq!(
        migrate::schema_state(&db.runtime).await.unwrap(),
        SchemaState::Current {
            version: MIGRATIONS.last().unwrap().version
        }
    );
}

#[tokio::test]
async fn concurrent_migrations_do_not_race() {
    let db = TestDb::empty().await;
    let (a, b) = tokio::join!(migrate::migrate(&db.owner), migrate::migrate(&db.owner));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.applied_now.len() + b.applied_now.len(), MIGRATIONS.len());
}

#[tokio::test]
async fn a_changed_migration_is_refused() {
    let db = TestDb::new().await;
    let su = db.superuser().await;
    sqlx::query("UPDATE kirjo_migrations SET checksum = 'edited' WHERE version = 1")
        .execute(&su)
        .await
        .unwrap();
    let err = migrate::migrate(&db.owner).await.unwrap_err();
    assert!(
        matches!(err, StoreError::MigrationChanged { version: 1, .. }),
        "{err}"
    );
    assert!(matches!(
        migrate::schema_state(&db.runtime).await.unwrap(),
        SchemaState::Mismatch(_)
    ));
}

#[tokio::test]
async fn a_migration_from_a_newer_kirjo_is_refused() {
    let db = TestDb::new().await;
    let su = db.superuser().await;
    sqlx::query(
        "INSERT INTO kirjo_migrations (version, name, checksum) VALUES (9999, '9999_future', 'x')",
    )
    .execute(&su)
    .await
    .unwrap();
    let err = migrate::migrate(&db.owner).await.unwrap_err();
    assert!(
        matches!(err, StoreError::DatabaseNewer { version: 9999 }),
        "{err}"
    );
}

#[tokio::test]
async fn a_missing_migration_shows_as_pending() {
    let db = TestDb::new().await;
    let su = db.superuser().await;
    sqlx::query("DELETE FROM kirjo_migrations WHERE version = 1")
        .execute(&su)
        .await
        .unwrap();
    assert_eq!(
        migrate::schema_state(&db.runtime).await.unwrap(),
        SchemaState::Pending { missing: vec![1] }
    );
}

fn is_permission_denied(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("42501"))
}

#[tokio::test]
async fn the_runtime_role_only_reads_configuration_tables() {
    let db = TestDb::new().await;
    for sql in [
        "INSERT INTO controller (id, name, business_id) VALUES (1, 'x', '1234567-1')",
        "UPDATE register SET name = 'x'",
        "DELETE FROM sub_register",
        "INSERT INTO demo_load (part) VALUES ('x')",
        "UPDATE kirjo_migrations SET checksum = 'x'",
        "DELETE FROM kirjo_migrations",
        "CREATE TABLE sneaky (id int)",
    ] {
        let err = sqlx::query(sql).execute(&db.runtime).await.unwrap_err();
        assert!(is_permission_denied(&err), "{sql}: {err}");
    }
    for sql in [
        "SELECT count(*) FROM controller",
        "SELECT count(*) FROM register",
        "SELECT count(*) FROM sub_register",
        "SELECT count(*) FROM service_task",
        "SELECT count(*) FROM demo_load",
    ] {
        sqlx::query(sql).execute(&db.runtime).await.unwrap();
    }
    let role: String = sqlx::query_scalar("SELECT current_user")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    assert_eq!(role, "kirjo_app");
}
