//! The register description written to the database, against a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo::config::{self, ConfigSource};
use kirjo_store::register;
use kirjo_testkit::TestDb;

fn demo() -> kirjo_domain::register::RegisterDescription {
    config::load(ConfigSource::BuiltInDemo, &|_| None)
        .unwrap()
        .config
        .register
}

#[tokio::test]
async fn sync_is_idempotent_and_keeps_what_left_the_configuration() {
    let db = TestDb::new().await;
    let mut desc = demo();
    register::sync(&db.owner, &desc).await.unwrap();
    let first = register::sub_registers(&db.runtime).await.unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(first.iter().map(|s| s.service_tasks).sum::<i64>(), 9);
    let stamp = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>(
            "SELECT max(updated_at) FROM service_task",
        )
        .fetch_one(&db.runtime)
        .await
        .unwrap()
    };
    let before = stamp().await;

    register::sync(&db.owner, &desc).await.unwrap();
    assert_eq!(register::sub_registers(&db.runtime).await.unwrap(), first);
    assert_eq!(
        stamp().await,
        before,
        "an unchanged description rewrote rows"
    );

    // A sub-register removed from the configuration stays in the database,
    // marked as no longer configured: documents may still point at it.
    desc.registers[0].sub_registers.pop();
    register::sync(&db.owner, &desc).await.unwrap();
    let now = register::sub_registers(&db.runtime).await.unwrap();
    assert_eq!(now.len(), 1);
    let kept: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sub_register WHERE NOT in_configuration")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(kept, 1);
    let code: Option<String> =
        sqlx::query_scalar("SELECT code FROM service_task WHERE id = 'lastensuojelu'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(code.as_deref(), Some("10"));
}
