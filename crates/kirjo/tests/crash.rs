//! A Kirjo process killed with SIGKILL in the middle of requests leaves no
//! access without its use-log row: every response that carried client data
//! has a committed row with the same request id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{exchange, free_port, header, kirjo, temp_dir};
use kirjo::cluster::LocalCluster;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test]
async fn sigkill_mid_requests_leaves_no_access_without_its_row() {
    let dir = temp_dir("crash");
    let port = free_port();
    let mut child = kirjo()
        .args(["serve", "--demo", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        assert!(Instant::now() < deadline, "kirjo did not start");
        match lines.next() {
            Some(Ok(l)) if l.contains("Kirjo is ready") => break,
            Some(_) => {}
            None => panic!("kirjo exited before it was ready"),
        }
    }
    std::thread::spawn(move || for _ in lines {});

    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    let su = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", "kirjo"))
        .await
        .unwrap();
    let mut su = su;
    let client: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&mut su)
        .await
        .unwrap();

    let cookie = common::sign_in_raw(port, "sari.sosiaalityontekija");

    // Eight clients read the record as fast as they can.
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..8 {
        let cookie = cookie.clone();
        let stop = stop.clone();
        workers.push(std::thread::spawn(move || {
            let mut served = Vec::new();
            let request = format!(
                "GET /api/clients/{client} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"
            );
            while !stop.load(Ordering::Relaxed) {
                match exchange(port, &request) {
                    Some((200, head, body)) if body.contains("Mäkinen") => {
                        served.push(header(&head, "x-request-id").unwrap());
                    }
                    Some((status, _, _)) => assert_eq!(status, 200, "unexpected status"),
                    None => break,
                }
            }
            served
        }));
    }
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let served: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        served.len() > 20,
        "the load did not run: {} responses",
        served.len()
    );

    // The cluster outlived the killed process; every served response has its row.
    let logged: Vec<String> = sqlx::query_scalar(
        "SELECT request_id::text FROM use_log WHERE client_id = $1 AND allowed AND action = 'view_basic_data'",
    )
    .bind(client)
    .fetch_all(&mut su)
    .await
    .unwrap();
    let logged: std::collections::HashSet<String> = logged.into_iter().collect();
    let missing: Vec<&String> = served.iter().filter(|id| !logged.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} responses have no use-log row",
        missing.len(),
        served.len()
    );
    sqlx::Connection::close(su).await.unwrap();
    cluster.stop().unwrap();
    assert!(!cluster.is_running());
}
