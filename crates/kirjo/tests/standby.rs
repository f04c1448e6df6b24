//! A primary and its synchronous streaming-replication standby, two
//! clusters on this machine, and Kirjo on a connection string naming both
//! (`target_session_attrs=read-write`): the primary is killed under load,
//! the standby promoted, Kirjo moves to it by itself, and every response
//! that carried client data has its log row on the new primary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{exchange, free_port, header, kirjo, run, spawn, stderr, temp_dir};
use kirjo::cluster::LocalCluster;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn scalar_i64(cluster: &LocalCluster, db: &str, sql: &str) -> i64 {
    let mut conn = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", db))
        .await
        .unwrap();
    let v: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    v
}

#[tokio::test]
async fn the_primary_dies_under_load_the_standby_is_promoted_and_no_served_read_loses_its_row() {
    let dir = temp_dir("standby");
    let primary = LocalCluster::prepare(&dir.join("p"), None).unwrap();
    primary.start().unwrap();
    let standby = LocalCluster::prepare(&dir.join("s"), None).unwrap();
    standby.make_standby_of(&primary, "kirjo_standby").unwrap();
    let streaming = Instant::now() + Duration::from_secs(60);
    while scalar_i64(
        &primary,
        "postgres",
        "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'kirjo_standby' AND state = 'streaming'",
    )
    .await
        == 0
    {
        assert!(Instant::now() < streaming, "the standby did not stream");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Synchronous: a commit is acknowledged once the standby has it on disk.
    {
        let mut conn = kirjo_store::bootstrap::connect_once(&primary.superuser_options())
            .await
            .unwrap();
        for statement in [
            "ALTER SYSTEM SET synchronous_standby_names = 'kirjo_standby'",
            "SELECT pg_reload_conf()",
            "CREATE DATABASE kirjo",
        ] {
            sqlx::raw_sql(statement).execute(&mut conn).await.unwrap();
        }
        sqlx::Connection::close(conn).await.unwrap();
    }
    let sync = Instant::now() + Duration::from_secs(30);
    while scalar_i64(
        &primary,
        "postgres",
        "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'",
    )
    .await
        == 0
    {
        assert!(
            Instant::now() < sync,
            "the standby did not become synchronous"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let key = dir.join("audit.key");
    let made = run(kirjo().args(["audit", "keygen"]).arg(&key));
    assert!(made.status.success(), "{}", stderr(&made));
    let url = format!(
        "postgres://postgres@/kirjo?host={},{}&target_session_attrs=read-write",
        primary.socket_dir.display(),
        standby.socket_dir.display()
    );
    let port = free_port();
    let mut server = spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(common::demo_config())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("KIRJO_DATABASE_URL", &url)
            .env("KIRJO_AUDIT_SIGNING_KEY_FILE", &key),
    );
    server.wait_for_line("Kirjo is ready");
    std::thread::spawn({
        let rx = std::mem::replace(&mut server.stdout, std::sync::mpsc::channel().1);
        move || for _ in rx {}
    });
    let client = scalar_i64(
        &primary,
        "kirjo",
        "SELECT id FROM person WHERE first_names LIKE 'Eetu%'",
    )
    .await;

    let cookie = common::sign_in_raw(port, "sari.sosiaalityontekija");

    // Four clients read the record as fast as they can; what carried data
    // is remembered by its request id, with when it came.
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..4 {
        let cookie = cookie.clone();
        let stop = stop.clone();
        workers.push(std::thread::spawn(move || {
            let mut served = Vec::new();
            let mut failed = 0u32;
            let request = format!(
                "GET /api/clients/{client} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"
            );
            while !stop.load(Ordering::Relaxed) {
                match exchange(port, &request) {
                    Some((200, head, body)) => {
                        assert!(body.contains("Mäkinen"), "{body}");
                        served.push((started.elapsed(), header(&head, "x-request-id").unwrap()));
                    }
                    Some((status, _, body)) => {
                        assert!(status >= 500, "{status}: {body}");
                        failed += 1;
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    None => panic!("Kirjo stopped answering"),
                }
            }
            (served, failed)
        }));
    }
    std::thread::sleep(Duration::from_millis(1500));

    // The primary dies (SIGKILL to its postmaster); the standby is promoted.
    let pid = std::fs::read_to_string(primary.pgdata.join("postmaster.pid")).unwrap();
    let pid = pid.lines().next().unwrap().trim().to_owned();
    assert!(std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .unwrap()
        .success());
    let killed_at = started.elapsed();
    standby.promote().unwrap();
    let promoted_at = started.elapsed();

    // Kirjo finds the new primary by itself; reads go on there.
    let deadline = Instant::now() + Duration::from_secs(60);
    let after = loop {
        std::thread::sleep(Duration::from_millis(500));
        let n = scalar_i64(
            &standby,
            "kirjo",
            &format!("SELECT count(*) FROM use_log WHERE client_id = {client} AND logged_at > now() - interval '1 second'"),
        )
        .await;
        if n > 10 {
            break n;
        }
        assert!(
            Instant::now() < deadline,
            "Kirjo did not move to the promoted standby"
        );
    };
    std::thread::sleep(Duration::from_millis(1000));
    stop.store(true, Ordering::Relaxed);
    let mut served = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (s, f) = w.join().unwrap();
        served.extend(s);
        failed += f;
    }
    let before_kill = served.iter().filter(|(t, _)| *t < killed_at).count();
    let after_promotion = served.iter().filter(|(t, _)| *t > promoted_at).count();
    assert!(before_kill > 10, "the load did not run before the kill");
    assert!(
        after_promotion > 10,
        "no reads served from the new primary ({after} rows in its last second)"
    );

    // Every response that carried data has its row on the new primary.
    let mut conn = kirjo_store::bootstrap::connect_once(&standby.options("postgres", "kirjo"))
        .await
        .unwrap();
    let logged: Vec<String> = sqlx::query_scalar(
        "SELECT request_id::text FROM use_log WHERE client_id = $1 AND allowed AND action = 'view_basic_data'",
    )
    .bind(client)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    let logged: std::collections::HashSet<String> = logged.into_iter().collect();
    let missing: Vec<&String> = served
        .iter()
        .map(|(_, id)| id)
        .filter(|id| !logged.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} served reads have no log row on the new primary ({failed} refused during the failover)",
        missing.len(),
        served.len()
    );

    let (exit, log) = server.terminate();
    assert!(exit.success(), "{log}");
    standby.stop().unwrap();
}
