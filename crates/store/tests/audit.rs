//! The use log and the disclosure log: append-only grants, sealing, and
//! verification against a superuser who tampers with them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kirjo_store::audit::{
    self, record_disclosure, record_use, seal_once, verify, Checkpoint, DisclosureEntry,
    SealReport, SigningKey, UseEntry, VerifyReport,
};
use kirjo_store::PgPool;
use kirjo_testkit::TestDb;
use std::time::Duration;

fn entry(client: i64) -> UseEntry<'static> {
    UseEntry {
        request_id: Some(uuid::Uuid::new_v4()),
        user_id: Some(7),
        user_name: "Sanna Sosiaalityöntekijä",
        register_id: Some("sosiaalihuolto"),
        client_id: Some(client),
        action: "read",
        data: "basic_data",
        purpose: Some("asiakastyö"),
        allowed: true,
        explanation: "assigned worker",
        source_address: Some("192.0.2.1"),
    }
}

async fn record(pool: &PgPool, client: i64) -> i64 {
    let mut conn = pool.acquire().await.unwrap();
    record_use(&mut conn, &entry(client)).await.unwrap()
}

fn key() -> SigningKey {
    SigningKey::from_seed(&[42; 32])
}

async fn check(pool: &PgPool, exported: Option<&[Checkpoint]>) -> VerifyReport {
    verify(pool, &key().verifying_key(), exported)
        .await
        .unwrap()
}

fn problem(r: &VerifyReport) -> String {
    assert!(
        !r.ok,
        "verify passed although the log was tampered with: {r:?}"
    );
    r.first_problem.clone().unwrap()
}

fn is_permission_denied(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "42501")
}

/// Seals until `use_log` and `disclosure_log` rows more are sealed: the
/// horizon is cluster-wide, so other tests' transactions in the same cluster
/// can hold a batch back for a moment.
async fn seal_until(
    pool: &PgPool,
    with: &SigningKey,
    use_log: u64,
    disclosure_log: u64,
) -> SealReport {
    let mut total = SealReport::default();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let r = seal_once(pool, with).await.unwrap();
        total.use_log += r.use_log;
        total.disclosure_log += r.disclosure_log;
        total.late += r.late;
        if total.use_log >= use_log && total.disclosure_log >= disclosure_log {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not sealed in time: {total:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        (total.use_log, total.disclosure_log),
        (use_log, disclosure_log)
    );
    total
}

/// Seals exactly one batch per log holding every committed row: first waits
/// until the cluster-wide horizon has passed them all (other tests'
/// transactions in the same cluster can hold it back for a moment).
async fn seal_batch(
    pool: &PgPool,
    with: &SigningKey,
    use_log: u64,
    disclosure_log: u64,
) -> SealReport {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let ahead: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM use_log WHERE xid >= pg_snapshot_xmin(pg_current_snapshot())) \
                  + (SELECT count(*) FROM disclosure_log WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if ahead == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the horizon did not pass"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let r = seal_once(pool, with).await.unwrap();
    assert_eq!((r.use_log, r.disclosure_log), (use_log, disclosure_log));
    r
}

/// Rows 1..=n recorded and sealed in one batch.
async fn sealed(n: i64) -> TestDb {
    let db = TestDb::new().await;
    for i in 1..=n {
        assert_eq!(record(&db.runtime, 100 + i).await, i);
    }
    seal_batch(&db.runtime, &key(), n as u64, 0).await;
    assert!(check(&db.runtime, None).await.ok);
    db
}

async fn superuser_without_triggers(db: &TestDb) -> PgPool {
    let su = db.superuser().await;
    for t in [
        "use_log",
        "disclosure_log",
        "audit_seal",
        "audit_seal_entry",
    ] {
        sqlx::raw_sql(&format!("ALTER TABLE {t} DISABLE TRIGGER ALL"))
            .execute(&su)
            .await
            .unwrap();
    }
    su
}

#[tokio::test]
async fn the_runtime_role_may_only_insert_and_select() {
    let db = TestDb::new().await;
    let id = record(&db.runtime, 1).await;
    {
        let mut conn = db.runtime.acquire().await.unwrap();
        record_disclosure(
            &mut conn,
            &DisclosureEntry {
                request_id: None,
                user_id: Some(7),
                user_name: "Sanna",
                register_id: "sosiaalihuolto",
                client_id: Some(1),
                data: "document:1",
                recipient: "Harjuniemen poliisilaitos",
                purpose: "virka-apu",
                legal_basis: "703/2023 17 §",
            },
        )
        .await
        .unwrap();
    }
    seal_until(&db.runtime, &key(), 1, 1).await;
    for table in [
        "use_log",
        "disclosure_log",
        "audit_seal",
        "audit_seal_entry",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&db.runtime)
            .await
            .unwrap();
        assert!(n >= 1, "{table}");
        let column = if table.ends_with("_log") {
            "user_name"
        } else {
            "log"
        };
        for statement in [
            format!("UPDATE {table} SET {column} = {column}"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE {table}"),
        ] {
            let e = sqlx::query(&statement)
                .execute(&db.runtime)
                .await
                .expect_err(&statement);
            assert!(is_permission_denied(&e), "{statement}: {e}");
        }
        // Not even the owner may change the log: the trigger refuses.
        let e = sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&db.owner)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    // The runtime role inserts rows, but their time and id come from the database.
    let e = sqlx::query(
        "INSERT INTO use_log (logged_at, user_name, action, data, allowed, explanation) \
         VALUES (now() - interval '1 day', 'x', 'read', 'basic_data', true, 'x')",
    )
    .execute(&db.runtime)
    .await
    .unwrap_err();
    assert!(is_permission_denied(&e), "{e}");
    let e = sqlx::query(
        "INSERT INTO use_log (id, user_name, action, data, allowed, explanation) \
         OVERRIDING SYSTEM VALUE VALUES (99, 'x', 'read', 'basic_data', true, 'x')",
    )
    .execute(&db.runtime)
    .await
    .unwrap_err();
    assert!(is_permission_denied(&e), "{e}");
    // The runtime role may insert into the seal tables (the sealer is it).
    sqlx::query(
        "INSERT INTO audit_seal_entry (log, position, row_id, batch, leaf) \
         VALUES ('use_log', 100, 100, 100, decode(repeat('00', 32), 'hex'))",
    )
    .execute(&db.runtime)
    .await
    .unwrap();
    assert!(id >= 1);
}

#[tokio::test]
async fn recorded_rows_are_sealed_and_verify() {
    let db = TestDb::new().await;
    assert!(check(&db.runtime, None).await.ok, "an empty log holds");
    for i in 1..=5 {
        record(&db.runtime, i).await;
    }
    {
        let mut conn = db.runtime.acquire().await.unwrap();
        record_disclosure(
            &mut conn,
            &DisclosureEntry {
                request_id: Some(uuid::Uuid::new_v4()),
                user_id: None,
                user_name: "Kirjo",
                register_id: "sosiaalihuolto",
                client_id: Some(3),
                data: "document:9",
                recipient: "Kela",
                purpose: "etuuden käsittely",
                legal_basis: "703/2023 18 §",
            },
        )
        .await
        .unwrap();
    }
    let state = audit::seal_state(&db.runtime).await.unwrap();
    assert_eq!(state.use_log.unsealed_rows, 5);
    assert_eq!(state.disclosure_log.unsealed_rows, 1);
    assert!(state.use_log.oldest_unsealed_seconds >= 0.0);
    let r = seal_until(&db.runtime, &key(), 5, 1).await;
    assert_eq!(r.late, 0);
    assert_eq!(
        seal_once(&db.runtime, &key()).await.unwrap(),
        Default::default()
    );
    for i in 6..=8 {
        record(&db.runtime, i).await;
    }
    seal_until(&db.runtime, &key(), 3, 0).await;
    let state = audit::seal_state(&db.runtime).await.unwrap();
    assert_eq!(state.use_log.unsealed_rows, 0);
    // Other tests' transactions in the same cluster may split a batch.
    assert!(state.use_log.batches >= 2, "{state:?}");
    let cps = audit::checkpoints(&db.runtime).await.unwrap();
    let uses: Vec<&Checkpoint> = cps.iter().filter(|c| c.log == "use_log").collect();
    assert_eq!(uses.len() as u64, state.use_log.batches);
    assert_eq!(uses.last().unwrap().last_position, 8);
    assert!(uses.iter().any(|c| c.first_position == 6), "{uses:?}");
    assert_eq!(cps.last().unwrap().log, "disclosure_log");
    assert_eq!(cps.last().unwrap().last_position, 1);
    let json = serde_json::to_string(&cps[0]).unwrap();
    let back: Checkpoint = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cps[0]);
    assert!(key().verifying_key().verifies(&back));
    let report = check(&db.runtime, Some(&cps)).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.rows_checked, 9);
    assert_eq!(report.batches_checked, cps.len() as u64);
    assert_eq!(report.unsealed_rows, 0);
    assert_eq!(report.first_problem, None);
}

#[tokio::test]
async fn rows_of_an_open_transaction_are_sealed_by_a_later_batch_in_order() {
    let db = TestDb::new().await;
    let before = record(&db.runtime, 1).await;
    let mut open = db.runtime.begin().await.unwrap();
    let in_open = record_use(&mut open, &entry(2)).await.unwrap();
    let after = record(&db.runtime, 3).await;
    assert!(before < in_open && in_open < after);
    // The open transaction holds back every row from it on.
    seal_until(&db.runtime, &key(), 1, 0).await;
    assert_eq!(seal_once(&db.runtime, &key()).await.unwrap().use_log, 0);
    let state = audit::seal_state(&db.runtime).await.unwrap();
    assert_eq!(
        state.use_log.unsealed_rows, 1,
        "committed and not yet sealed"
    );
    let report = check(&db.runtime, None).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.unsealed_rows, 1);
    open.commit().await.unwrap();
    seal_until(&db.runtime, &key(), 2, 0).await;
    let entries: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT position, row_id, batch FROM audit_seal_entry WHERE log = 'use_log' ORDER BY position",
    )
    .fetch_all(&db.runtime)
    .await
    .unwrap();
    assert_eq!(
        entries,
        vec![(1, before, 1), (2, in_open, 2), (3, after, 2)]
    );
    let report = check(&db.runtime, None).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.rows_checked, 3);
}

#[tokio::test]
async fn a_changed_row_is_named() {
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    sqlx::query("UPDATE use_log SET purpose = 'uteliaisuus' WHERE id = 3")
        .execute(&su)
        .await
        .unwrap();
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 3 (position 3, batch 1)"), "{p}");
    assert!(p.contains("changed"), "{p}");
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    sqlx::query("DELETE FROM use_log WHERE id = 2")
        .execute(&su)
        .await
        .unwrap();
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 2 (position 2"), "{p}");
    assert!(p.contains("deleted after sealing"), "{p}");
}

#[tokio::test]
async fn a_row_deleted_with_its_seal_entry_is_named() {
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    for sql in [
        "DELETE FROM use_log WHERE id = 4",
        "DELETE FROM audit_seal_entry WHERE log = 'use_log' AND row_id = 4",
    ] {
        sqlx::query(sql).execute(&su).await.unwrap();
    }
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 4 (position 4"), "{p}");
    assert!(p.contains("deleted together with its seal entry"), "{p}");
    // The last row of a batch is named through the seal.
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    for sql in [
        "DELETE FROM use_log WHERE id = 5",
        "DELETE FROM audit_seal_entry WHERE log = 'use_log' AND row_id = 5",
    ] {
        sqlx::query(sql).execute(&su).await.unwrap();
    }
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 5 (position 5"), "{p}");
}

#[tokio::test]
async fn a_back_dated_row_inside_the_sealed_range_is_found() {
    let db = TestDb::new().await;
    for i in 1..=3 {
        record(&db.runtime, i).await;
    }
    // Id 4 is used by a transaction that rolls back: a gap.
    {
        let mut tx = db.runtime.begin().await.unwrap();
        assert_eq!(record_use(&mut tx, &entry(4)).await.unwrap(), 4);
        tx.rollback().await.unwrap();
    }
    for i in 5..=6 {
        record(&db.runtime, i).await;
    }
    seal_batch(&db.runtime, &key(), 5, 0).await;
    // Someone with database access writes an access that "happened" ten
    // minutes ago into the gap, and the sealer runs.
    let su = db.superuser().await;
    sqlx::query(
        "INSERT INTO use_log (id, logged_at, user_id, user_name, register_id, client_id, \
         action, data, purpose, allowed, explanation) OVERRIDING SYSTEM VALUE \
         VALUES (4, now() - interval '10 minutes', 7, 'Sanna', 'sosiaalihuolto', 4, 'read', \
         'basic_data', 'asiakastyö', true, 'assigned worker')",
    )
    .execute(&su)
    .await
    .unwrap();
    let r = seal_batch(&db.runtime, &key(), 1, 0).await;
    assert_eq!(r.late, 1);
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 4 (position 6, batch 2)"), "{p}");
    assert!(p.contains("inserted after sealing"), "{p}");

    // Removing the late mark does not hide it.
    let su = superuser_without_triggers(&db).await;
    sqlx::query("UPDATE audit_seal_entry SET late = false WHERE row_id = 4")
        .execute(&su)
        .await
        .unwrap();
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 4 (position 6, batch 2)"), "{p}");
    assert!(p.contains("inserted after sealing"), "{p}");
}

#[tokio::test]
async fn a_back_dated_disclosure_is_found_by_a_use_log_seal() {
    // Only the use log has been sealed; the disclosure log has no seal yet.
    let db = sealed(2).await;
    let su = db.superuser().await;
    sqlx::query(
        "INSERT INTO disclosure_log (disclosed_at, user_name, register_id, data, recipient, \
         purpose, legal_basis) VALUES (now() - interval '1 hour', 'Sanna', 'sosiaalihuolto', \
         'document:3', 'Kela', 'etuuden käsittely', '703/2023 18 §')",
    )
    .execute(&su)
    .await
    .unwrap();
    let r = seal_batch(&db.runtime, &key(), 0, 1).await;
    assert_eq!(r.late, 1);
    let p = problem(&check(&db.runtime, None).await);
    assert!(
        p.contains("disclosure_log row 1 (position 1, batch 1)"),
        "{p}"
    );
    assert!(p.contains("inserted after sealing"), "{p}");
}

#[tokio::test]
async fn a_row_slipped_in_below_the_horizon_is_found() {
    let db = sealed(3).await;
    let su = db.superuser().await;
    sqlx::query(
        "INSERT INTO use_log (xid, user_name, action, data, allowed, explanation) \
         VALUES ('3'::xid8, 'Sanna', 'read', 'basic_data', true, 'assigned worker')",
    )
    .execute(&su)
    .await
    .unwrap();
    assert_eq!(seal_once(&db.runtime, &key()).await.unwrap().use_log, 0);
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 4 (not sealed)"), "{p}");
    assert!(p.contains("inserted after sealing"), "{p}");
}

#[tokio::test]
async fn a_row_slipped_in_among_the_sealed_ids_is_found() {
    // Verify looks first at the rows newer than the newest sealed one; a row
    // not sealed with an id among the sealed ones must still be found.
    let db = sealed(3).await;
    let su = db.superuser().await;
    sqlx::query(
        "INSERT INTO use_log (id, xid, user_name, action, data, allowed, explanation) \
         OVERRIDING SYSTEM VALUE \
         VALUES (50, '3'::xid8, 'Sanna', 'read', 'basic_data', true, 'assigned worker')",
    )
    .execute(&su)
    .await
    .unwrap();
    sqlx::query("SELECT setval(pg_get_serial_sequence('use_log', 'id'), 200)")
        .execute(&su)
        .await
        .unwrap();
    record(&db.runtime, 4).await;
    assert_eq!(seal_once(&db.runtime, &key()).await.unwrap().use_log, 1);
    let report = check(&db.runtime, None).await;
    assert_eq!(report.unsealed_rows, 1, "{report:?}");
    let p = problem(&report);
    assert!(p.contains("use_log row 50 (not sealed)"), "{p}");
    assert!(p.contains("inserted after sealing"), "{p}");
}

#[tokio::test]
async fn swapped_rows_are_named() {
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    sqlx::query(
        "UPDATE use_log u SET logged_at = o.logged_at, request_id = o.request_id, \
         client_id = o.client_id, data = o.data, purpose = o.purpose \
         FROM use_log o WHERE (u.id, o.id) IN ((2, 4), (4, 2))",
    )
    .execute(&su)
    .await
    .unwrap();
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("use_log row 2 (position 2)"), "{p}");
    assert!(p.contains("reordered"), "{p}");
    assert!(p.contains("row 4"), "{p}");
}

#[tokio::test]
async fn swapped_seal_entries_are_reordering() {
    let db = sealed(5).await;
    let su = superuser_without_triggers(&db).await;
    for sql in [
        "UPDATE audit_seal_entry SET position = position + 1000 \
         WHERE log = 'use_log' AND position IN (2, 3)",
        "UPDATE audit_seal_entry SET position = 3 WHERE log = 'use_log' AND position = 1002",
        "UPDATE audit_seal_entry SET position = 2 WHERE log = 'use_log' AND position = 1003",
    ] {
        sqlx::query(sql).execute(&su).await.unwrap();
    }
    let p = problem(&check(&db.runtime, None).await);
    assert!(p.contains("reordered"), "{p}");
    assert!(p.contains("position 3"), "{p}");
}

/// Three batches: rows 1..3, row 4, rows 5..6; the exported checkpoints.
async fn three_batches() -> (TestDb, Vec<Checkpoint>) {
    let db = TestDb::new().await;
    for (batch, ids) in [(1, 1..=3), (2, 4..=4), (3, 5..=6)] {
        let n = ids.clone().count() as u64;
        for i in ids {
            record(&db.runtime, i).await;
        }
        seal_batch(&db.runtime, &key(), n, 0).await;
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_seal")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
        assert_eq!(n, batch);
    }
    let exported = audit::checkpoints(&db.runtime).await.unwrap();
    (db, exported)
}

/// Changes row 4 and seals everything from batch 2 on again, with `key`.
async fn reseal(db: &TestDb, with: &SigningKey) -> PgPool {
    let su = superuser_without_triggers(db).await;
    for sql in [
        "UPDATE use_log SET purpose = 'uteliaisuus' WHERE id = 4",
        "DELETE FROM audit_seal_entry WHERE log = 'use_log' AND batch >= 2",
        "DELETE FROM audit_seal WHERE log = 'use_log' AND batch >= 2",
    ] {
        sqlx::query(sql).execute(&su).await.unwrap();
    }
    seal_batch(&su, with, 3, 0).await;
    su
}

#[tokio::test]
async fn rewritten_seals_fail_the_signature_and_the_exported_checkpoints() {
    let (db, exported) = three_batches().await;
    let attacker = SigningKey::from_seed(&[66; 32]);
    let su = reseal(&db, &attacker).await;
    let p = problem(&check(&db.runtime, None).await);
    assert!(
        p.contains("use_log batch 2 (positions 4..6, rows 4..6)"),
        "{p}"
    );
    assert!(p.contains("signed with key"), "{p}");
    // Claiming the right key id does not help.
    sqlx::query("UPDATE audit_seal SET key_id = $1")
        .bind(key().key_id())
        .execute(&su)
        .await
        .unwrap();
    let p = problem(&check(&db.runtime, None).await);
    assert!(
        p.contains("use_log batch 2 (positions 4..6, rows 4..6)"),
        "{p}"
    );
    assert!(p.contains("signature does not verify"), "{p}");
    let p = problem(&check(&db.runtime, Some(&exported)).await);
    assert!(p.contains("use_log batch 2"), "{p}");
    assert!(p.contains("exported checkpoint"), "{p}");
    assert!(p.contains("up to row 4"), "{p}");
}

#[tokio::test]
async fn seals_rewritten_with_a_stolen_key_fail_only_against_exported_checkpoints() {
    let (db, exported) = three_batches().await;
    reseal(&db, &key()).await;
    // What verify cannot see on its own.
    let alone = check(&db.runtime, None).await;
    assert!(alone.ok, "{alone:?}");
    let report = check(&db.runtime, Some(&exported)).await;
    let p = problem(&report);
    assert!(p.contains("use_log batch 2"), "{p}");
    assert!(p.contains("up to row 4"), "{p}");
    assert!(report.problems >= 2, "batch 3 is missing too: {report:?}");
}

#[tokio::test]
async fn a_cut_off_tail_is_found_with_exported_checkpoints() {
    let (db, exported) = three_batches().await;
    let su = superuser_without_triggers(&db).await;
    for sql in [
        "DELETE FROM use_log WHERE id >= 5",
        "DELETE FROM audit_seal_entry WHERE log = 'use_log' AND batch = 3",
        "DELETE FROM audit_seal WHERE log = 'use_log' AND batch = 3",
    ] {
        sqlx::query(sql).execute(&su).await.unwrap();
    }
    assert!(check(&db.runtime, None).await.ok);
    let p = problem(&check(&db.runtime, Some(&exported)).await);
    assert!(
        p.contains("use_log batch 3 (positions 5..6, last row 6)"),
        "{p}"
    );
    assert!(p.contains("missing from the database"), "{p}");
}

#[tokio::test]
async fn a_wrong_key_fails_verification() {
    let db = sealed(3).await;
    let other = SigningKey::from_seed(&[1; 32]).verifying_key();
    let report = verify(&db.runtime, &other, None).await.unwrap();
    let p = problem(&report);
    assert!(p.contains("use_log batch 1"), "{p}");
    assert!(p.contains("not with the verifying key"), "{p}");
}

#[tokio::test]
async fn concurrent_writers_and_a_running_sealer_lose_nothing() {
    let db = TestDb::new().await;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let sealer = tokio::spawn(audit::run_sealer(
        db.runtime.clone(),
        key(),
        Duration::from_millis(20),
        async move {
            let _ = stop_rx.await;
        },
    ));
    let mut writers = Vec::new();
    for t in 0..8i64 {
        let pool = db.runtime.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..200i64 {
                let mut tx = pool.begin().await.unwrap();
                record_use(&mut tx, &entry(t * 1000 + i)).await.unwrap();
                if i % 7 == 0 {
                    tokio::task::yield_now().await;
                }
                tx.commit().await.unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    stop_tx.send(()).unwrap();
    sealer.await.unwrap();
    let sealed_by_sealer: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_seal_entry WHERE log = 'use_log'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    seal_until(&db.runtime, &key(), 1600 - sealed_by_sealer as u64, 0).await;
    let (count, min, max, rows, late): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), min(position), max(position), count(DISTINCT row_id), \
         count(*) FILTER (WHERE late) FROM audit_seal_entry WHERE log = 'use_log'",
    )
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!((count, min, max, rows, late), (1600, 1, 1600, 1600, 0));
    let report = check(&db.runtime, None).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.rows_checked, 1600);
    assert_eq!(report.unsealed_rows, 0);
}

#[test]
fn key_files_are_private_and_never_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("kirjo-audit-key-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("audit-signing.key");
    let made = audit::generate_key_file(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.trim().len(), 64);
    let loaded = SigningKey::load(&path).unwrap();
    assert_eq!(loaded.key_id(), made.key_id());
    assert_eq!(loaded.verifying_key(), made.verifying_key());
    let e = audit::generate_key_file(&path).unwrap_err().to_string();
    assert!(e.contains("audit-signing.key"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "overwritten");
    std::fs::write(dir.join("bad.key"), "not a key").unwrap();
    let e = SigningKey::load(&dir.join("bad.key"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.key") && !e.contains("not a key"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_backlog_is_sealed_in_bounded_batches_that_verify() {
    let db = TestDb::new().await;
    let backlog = audit::SEAL_BATCH * 2 + 123;
    // As the runtime role inserts them, in one statement.
    sqlx::query(
        "INSERT INTO use_log (request_id, user_id, user_name, register_id, client_id, action, data, \
         purpose, allowed, explanation) \
         SELECT gen_random_uuid(), 7, 'Sanna', 'sosiaalihuolto', i, 'read', 'basic_data', NULL, true, 'assigned' \
         FROM generate_series(1, $1) AS i",
    )
    .bind(backlog)
    .execute(&db.runtime)
    .await
    .unwrap();
    let mut sizes = Vec::new();
    loop {
        let r = seal_once(&db.runtime, &key()).await.unwrap();
        if r.use_log == 0 {
            break;
        }
        assert!(r.use_log as i64 <= audit::SEAL_BATCH, "{r:?}");
        sizes.push(r.use_log as i64);
    }
    assert_eq!(sizes.iter().sum::<i64>(), backlog);
    assert!(sizes.len() >= 3, "{sizes:?}");
    let state = audit::seal_state(&db.runtime).await.unwrap();
    assert_eq!(state.use_log.unsealed_rows, 0);
    let cps = audit::checkpoints(&db.runtime).await.unwrap();
    let report = check(&db.runtime, Some(&cps)).await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.rows_checked, backlog as u64);
    // A full batch keeps the horizon where it was (rows below it may still
    // wait); the last, short one moves it on.
    let uses: Vec<&Checkpoint> = cps.iter().filter(|c| c.log == "use_log").collect();
    assert_eq!(uses[0].horizon, 0, "{:?}", uses[0]);
    assert!(uses.last().unwrap().horizon > 0, "{uses:?}");
}
