//! The synthetic county loader: proportions, identity codes, a sealed log
//! that verifies, and a rerun that does nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kirjo::county::{load, CountyOptions};
use kirjo_domain::hetu::PersonalIdentityCode;
use kirjo_store::audit::{self, SigningKey};

async fn count(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_small_county_loads_in_proportion_seals_and_restarts() {
    let (db, _) = common::demo_db().await;
    let key = SigningKey::from_seed(&[7u8; 32]);
    let persons_before = count(&db.owner, "SELECT count(*) FROM person").await;
    let opts = CountyOptions {
        persons: 2_000,
        seed: 42,
        key: &key,
        progress: false,
    };
    let report = load(&db.owner, &opts).await.unwrap();
    assert!(!report.all_skipped());

    let base: i64 = count(
        &db.owner,
        "SELECT base FROM county_load WHERE part = 'persons'",
    )
    .await;
    let persons = count(&db.owner, "SELECT count(*) FROM person").await - persons_before;
    assert_eq!(persons, 2_000);
    let clients = count(
        &db.owner,
        &format!(
            "SELECT count(DISTINCT client_id) FROM client_relationship WHERE client_id >= {base}"
        ),
    )
    .await;
    let documents = count(
        &db.owner,
        &format!("SELECT count(*) FROM document WHERE client_id >= {base}"),
    )
    .await;
    let log = count(
        &db.owner,
        &format!("SELECT count(*) FROM use_log WHERE client_id >= {base}"),
    )
    .await;
    let workers = count(&db.owner, "SELECT count(*) FROM county_worker").await;
    let grants = count(
        &db.owner,
        "SELECT count(*) FROM role_grant g JOIN county_worker w ON w.user_id = g.user_id",
    )
    .await;
    let guardians = count(
        &db.owner,
        &format!(
            "SELECT count(*) FROM person_relation WHERE kind = 'guardian' AND person_id >= {base}"
        ),
    )
    .await;
    let notifications = count(&db.owner, &format!(
        "SELECT count(*) FROM document WHERE kind = 'child_welfare_notification' AND client_id >= {base}"
    ))
    .await;
    let areas = count(
        &db.owner,
        &format!(
        "SELECT count(DISTINCT sub_register_id) FROM client_relationship WHERE client_id >= {base}"
    ),
    )
    .await;
    eprintln!(
        "persons {persons}, clients {clients}, documents {documents}, log {log}, workers {workers}, \
         guardians {guardians}, notifications {notifications}"
    );
    assert!(
        (600..=1_000).contains(&clients),
        "about 40% are clients: {clients}"
    );
    let per_client = documents as f64 / clients as f64;
    assert!(
        (6.0..=15.0).contains(&per_client),
        "10 documents per client: {per_client}"
    );
    let log_per_client = log as f64 / clients as f64;
    assert!(
        (20.0..=40.0).contains(&log_per_client),
        "30 log rows per client: {log_per_client}"
    );
    assert!(
        workers >= clients / 80 && workers <= clients / 40 + 2,
        "a worker per 60 clients: {workers}"
    );
    assert_eq!(grants, workers, "every worker has a grant");
    assert!(guardians > 0 && notifications > 0);
    assert_eq!(areas, 2, "every service area of the demo register");
    // Every document is completed, with its author and service task.
    assert_eq!(
        count(&db.owner, &format!(
            "SELECT count(*) FROM document WHERE client_id >= {base} AND (state <> 'completed' OR completed_at IS NULL)"
        ))
        .await,
        0
    );

    // Every identity code is valid and temporary (individual number 900-999).
    let codes: Vec<String> = sqlx::query_scalar("SELECT identity_code FROM person WHERE id >= $1")
        .bind(base)
        .fetch_all(&db.owner)
        .await
        .unwrap();
    assert_eq!(codes.len(), 2_000);
    for c in &codes {
        let parsed = PersonalIdentityCode::parse(c).unwrap_or_else(|e| panic!("{c}: {e:?}"));
        let n: u16 = parsed.as_str()[7..10].parse().unwrap();
        assert!((900..=999).contains(&n), "{c} is not a temporary code");
    }

    // Use is in working hours (07-18 Helsinki, Monday to Friday) but for a
    // few on-call uses, as the monitor counts them.
    let off_hours = count(
        &db.owner,
        &format!(
            "SELECT count(*) FROM use_log WHERE client_id >= {base} AND (
               extract(isodow FROM logged_at AT TIME ZONE 'Europe/Helsinki') > 5
               OR extract(hour FROM logged_at AT TIME ZONE 'Europe/Helsinki') NOT BETWEEN 7 AND 17)"
        ),
    )
    .await;
    assert!(off_hours * 100 <= log * 5, "{off_hours} of {log} off hours");
    // The monitor starts after the county's history.
    let (through, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT max(scanned_through) FROM monitoring_progress), \
                (SELECT max(position) FROM audit_seal_entry WHERE log = 'use_log')",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(through, last);

    // The log is sealed, and verifies with the real verify.
    let report = audit::verify(&db.runtime, &key.verifying_key(), None)
        .await
        .unwrap();
    assert!(report.ok, "{report}: {:?}", report.first_problem);
    let sealed = count(
        &db.owner,
        "SELECT count(*) FROM audit_seal_entry WHERE log = 'use_log'",
    )
    .await;
    assert_eq!(
        sealed,
        count(&db.owner, "SELECT count(*) FROM use_log").await
    );

    // A rerun does nothing.
    let again = load(&db.owner, &opts).await.unwrap();
    assert!(again.all_skipped());
    assert_eq!(
        count(&db.owner, "SELECT count(*) FROM person").await - persons_before,
        2_000
    );
    assert_eq!(
        count(
            &db.owner,
            &format!("SELECT count(*) FROM document WHERE client_id >= {base}")
        )
        .await,
        documents
    );
    // Another size on the same database is refused.
    let other = CountyOptions {
        persons: 3_000,
        ..opts
    };
    assert!(load(&db.owner, &other).await.is_err());

    // The real sealer carries on after the county's seals.
    let mut tx = db.runtime.begin().await.unwrap();
    audit::record_use(
        &mut tx,
        &audit::UseEntry {
            request_id: None,
            user_id: None,
            user_name: "test",
            register_id: None,
            client_id: Some(base),
            action: "view_basic_data",
            data: "basic_data",
            purpose: None,
            allowed: false,
            explanation: "test",
            source_address: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The sealing horizon is cluster-wide: a transaction open in another
    // test's database (another county's load) can hold the row back a while.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let sealed_now = loop {
        let r = audit::seal_once(&db.runtime, &key).await.unwrap();
        if r.use_log > 0 || std::time::Instant::now() >= deadline {
            break r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(sealed_now.use_log, 1);
    assert_eq!(sealed_now.late, 0);
    let report = audit::verify(&db.runtime, &key.verifying_key(), None)
        .await
        .unwrap();
    assert!(report.ok, "{report}: {:?}", report.first_problem);
}

#[tokio::test]
async fn a_row_of_a_transaction_open_before_the_load_is_sealed_before_the_countys_rows() {
    let (db, _) = common::demo_db().await;
    let key = SigningKey::from_seed(&[7u8; 32]);
    // A use whose transaction is open when the load begins.
    let mut open = db.runtime.begin().await.unwrap();
    let held = audit::record_use(
        &mut open,
        &audit::UseEntry {
            request_id: None,
            user_id: None,
            user_name: "(test)",
            register_id: None,
            client_id: None,
            action: "sign_in",
            data: "session",
            purpose: None,
            allowed: false,
            explanation: "held open across the county's load",
            source_address: None,
        },
    )
    .await
    .unwrap();
    let opts = CountyOptions {
        persons: 1_000,
        seed: 7,
        key: &key,
        progress: false,
    };
    // The load reaches its log and waits there for this transaction.
    let commit_later = async {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while count(&db.owner, "SELECT count(*) FROM document").await < 1_000
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        open.commit().await.unwrap();
    };
    let (loaded, ()) = tokio::join!(load(&db.owner, &opts), commit_later);
    loaded.unwrap();
    // Sealed, in its place: before every row the county wrote after it.
    let (position, late): (i64, bool) = sqlx::query_as(
        "SELECT position, late FROM audit_seal_entry WHERE log = 'use_log' AND row_id = $1",
    )
    .bind(held)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert!(!late);
    let after: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_seal_entry e WHERE e.log = 'use_log' AND e.row_id > $1 AND e.position < $2",
    )
    .bind(held)
    .bind(position)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(after, 0, "a county row was sealed before the held one");
}
