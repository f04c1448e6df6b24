//! `kirjo backup` and `kirjo restore --to TIME`: a base backup taken while
//! Kirjo serves, WAL archived, and a point-in-time recovery into a new data
//! directory that holds every log row committed up to the moment and none
//! after it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    demo_config, free_port, get_as, kirjo, run, sign_in, spawn, stderr, stdout, temp_dir,
};
use kirjo::cluster::LocalCluster;
use std::time::{Duration, Instant};

async fn log_rows(cluster: &LocalCluster) -> Vec<i64> {
    let mut conn = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", "kirjo"))
        .await
        .unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM use_log ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    ids
}

/// Reads clients' data as a worker would: each read leaves its log row.
async fn read_clients(addr: std::net::SocketAddr, n: usize) {
    let cookie = sign_in(addr, "sari.sosiaalityontekija").await;
    for _ in 0..n {
        let r = get_as(addr, &cookie, "/api/clients/1").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

#[tokio::test]
async fn a_restore_to_a_moment_holds_every_log_row_committed_before_it_and_none_after() {
    let dir = temp_dir("backup");
    let data = dir.join("data");
    let backups = dir.join("backups");
    let port = free_port();
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut server = spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(demo_config())
            .arg("--data-dir")
            .arg(&data)
            .args(["--listen", &addr.to_string()])
            .env("KIRJO_BACKUP_DIR", &backups),
    );
    server.wait_for_line("Kirjo is ready");
    let cluster = LocalCluster::prepare(&data, None).unwrap();

    // Nothing to restore before the first base backup.
    let early = run(kirjo()
        .args(["restore", "--to", "2026-01-01T00:00:00Z", "--config"])
        .arg(demo_config())
        .arg("--into")
        .arg(dir.join("too-early"))
        .env("KIRJO_BACKUP_DIR", &backups));
    assert!(!early.status.success());
    assert!(
        stderr(&early).contains("no base backup"),
        "{}",
        stderr(&early)
    );

    // A base backup while Kirjo serves.
    let taken = run(kirjo()
        .args(["backup", "--config"])
        .arg(demo_config())
        .arg("--data-dir")
        .arg(&data)
        .env("KIRJO_BACKUP_DIR", &backups));
    assert!(taken.status.success(), "{}", stderr(&taken));
    assert!(stdout(&taken).contains("Base backup"), "{}", stdout(&taken));
    assert!(
        !stdout(&taken).contains("not archived"),
        "the cluster Kirjo owns archives WAL: {}",
        stdout(&taken)
    );

    // Work after the base backup, then the moment, then more work.
    read_clients(addr, 5).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut conn = kirjo_store::bootstrap::connect_once(&cluster.superuser_options())
        .await
        .unwrap();
    let moment: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let before = log_rows(&cluster).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    read_clients(addr, 5).await;
    let all = log_rows(&cluster).await;
    assert!(all.len() > before.len() + 4, "the later reads were logged");
    // Close the WAL segment and wait until it is archived.
    let segment: String = sqlx::query_scalar("SELECT pg_walfile_name(pg_switch_wal())")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let archived: Option<String> =
            sqlx::query_scalar("SELECT last_archived_wal FROM pg_stat_archiver")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        if archived.is_some_and(|a| a >= segment) {
            break;
        }
        assert!(Instant::now() < deadline, "WAL {segment} was not archived");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sqlx::Connection::close(conn).await.unwrap();
    let (exit, log) = server.terminate();
    assert!(exit.success(), "{log}");

    // Restore to the moment, in Finland's time as an operator types it.
    let local = moment
        .with_timezone(&chrono_tz::Europe::Helsinki)
        .format("%Y-%m-%d %H:%M:%S%.6f")
        .to_string();
    let restored_dir = dir.join("restored");
    let restored = run(kirjo()
        .args(["restore", "--to", &local, "--config"])
        .arg(demo_config())
        .arg("--into")
        .arg(&restored_dir)
        .env("KIRJO_BACKUP_DIR", &backups));
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(
        stdout(&restored).contains(&format!("{} use-log rows", before.len())),
        "{}",
        stdout(&restored)
    );
    let copy = LocalCluster::prepare(&restored_dir, None).unwrap();
    assert!(!copy.is_running(), "restore leaves the copy stopped");
    copy.start().unwrap();
    let got = log_rows(&copy).await;
    copy.stop().unwrap();
    assert_eq!(
        got, before,
        "every log row committed before the moment, and none after it"
    );

    // Restoring into a directory that holds a cluster is refused.
    let again = run(kirjo()
        .args(["restore", "--config"])
        .arg(demo_config())
        .arg("--into")
        .arg(&restored_dir)
        .env("KIRJO_BACKUP_DIR", &backups));
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already holds a cluster"),
        "{}",
        stderr(&again)
    );

    // To the end of the archive: everything.
    let latest_dir = dir.join("latest");
    let latest = run(kirjo()
        .args(["restore", "--config"])
        .arg(demo_config())
        .arg("--into")
        .arg(&latest_dir)
        .env("KIRJO_BACKUP_DIR", &backups));
    assert!(latest.status.success(), "{}", stderr(&latest));
    let copy = LocalCluster::prepare(&latest_dir, None).unwrap();
    copy.start().unwrap();
    let got = log_rows(&copy).await;
    copy.stop().unwrap();
    assert_eq!(got, all, "the end of the archive holds every row");
}

#[test]
fn a_time_is_rfc3339_or_finnish_local_time() {
    let p = kirjo::backup::parse_time;
    assert_eq!(
        p("2026-12-03T14:05:00+02:00").unwrap().to_rfc3339(),
        "2026-12-03T12:05:00+00:00"
    );
    // Winter: UTC+2; summer: UTC+3.
    assert_eq!(
        p("2026-12-03 14:05").unwrap().to_rfc3339(),
        "2026-12-03T12:05:00+00:00"
    );
    assert_eq!(
        p("2026-07-01 14:05:30").unwrap().to_rfc3339(),
        "2026-07-01T11:05:30+00:00"
    );
    assert!(p("2026-03-29 03:30").is_err(), "the hour skipped in spring");
    assert!(p("yesterday").unwrap_err().contains("not a time"));
}
