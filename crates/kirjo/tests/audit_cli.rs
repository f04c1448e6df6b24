//! `kirjo serve` seals the use log as it runs; `kirjo audit verify` says
//! whether the log holds, and names the row a superuser changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{free_port, kirjo, run, serve_demo, stdout, temp_dir};
use kirjo::cluster::LocalCluster;
use sqlx::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

fn audit(dir: &Path, args: &[&str]) -> std::process::Output {
    run(kirjo()
        .arg("audit")
        .args(args)
        .arg("--config")
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(dir))
}

const USER: &str = "Testi Tarkastettava";

async fn insert_use(conn: &mut sqlx::PgConnection, client: i64) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO use_log (user_id, user_name, register_id, client_id, action, data, \
         purpose, allowed, explanation) \
         VALUES (1, $1, 'sosiaalihuolto', $2, 'read', 'basic_data', 'asiakastyö', true, 'test') \
         RETURNING id",
    )
    .bind(USER)
    .bind(client)
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_server_seals_and_verify_names_a_changed_row() {
    let dir = temp_dir("audit");
    let port = free_port();
    let mut server = serve_demo(&dir, port);
    server.wait_for_line("Kirjo is ready");

    // The key was made at the first start, readable by its owner only.
    let key_file = dir.join("audit-signing.key");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Rows written as the runtime role are sealed while the server runs.
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    let mut conn = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", "kirjo"))
        .await
        .unwrap();
    sqlx::query("SET ROLE kirjo_app")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for client in 1..=3 {
        ids.push(insert_use(&mut conn, client).await);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sealed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_seal_entry WHERE log = 'use_log' AND row_id = ANY($1)",
        )
        .bind(&ids)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        if sealed == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "rows were not sealed in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A row written just before the stop is sealed at the stop.
    ids.push(insert_use(&mut conn, 4).await);
    conn.close().await.unwrap();
    let (exit, log) = server.terminate();
    assert!(exit.success(), "{log}");
    assert!(
        !log.contains(USER),
        "a log row's contents reached the application log"
    );
    assert!(log.contains("audit sealer stopped"), "{log}");
    assert!(!cluster.is_running());

    let out = audit(&dir, &["verify"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", common::stderr(&out));
    assert!(text.contains("the audit log holds"), "{text}");
    assert!(text.contains("0 rows not yet sealed"), "{text}");
    assert!(!cluster.is_running(), "verify left the cluster running");

    let out = audit(&dir, &["checkpoints"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let exported = dir.join("checkpoints.jsonl");
    std::fs::write(&exported, &out.stdout).unwrap();
    assert!(stdout(&out).lines().count() >= 1);
    let out = audit(
        &dir,
        &["verify", "--checkpoints", exported.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // A superuser changes a sealed row.
    let changed = ids[1];
    cluster.start().unwrap();
    {
        let mut su = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", "kirjo"))
            .await
            .unwrap();
        sqlx::raw_sql("ALTER TABLE use_log DISABLE TRIGGER ALL")
            .execute(&mut su)
            .await
            .unwrap();
        sqlx::query("UPDATE use_log SET purpose = 'uteliaisuus' WHERE id = $1")
            .bind(changed)
            .execute(&mut su)
            .await
            .unwrap();
        su.close().await.unwrap();
    }
    cluster.stop().unwrap();

    let out = audit(&dir, &["verify"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", common::stderr(&out));
    assert!(text.contains("does NOT hold"), "{text}");
    assert!(
        text.contains(&format!("use_log row {changed} (position")),
        "{text}"
    );
    assert!(text.contains("changed after sealing"), "{text}");

    // Without the key, verify cannot check: a different exit status.
    std::fs::rename(&key_file, dir.join("elsewhere.key")).unwrap();
    let out = audit(&dir, &["verify"]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(
        common::stderr(&out).contains("audit-signing.key"),
        "{}",
        common::stderr(&out)
    );
    assert!(!cluster.is_running());
}
