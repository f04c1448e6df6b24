//! Outages answered fast: with the database gone, requests get a 503 with
//! `Retry-After` within the pool's short acquire timeout and readiness says
//! so at once; the cluster Kirjo owns is restarted when it dies; every
//! command starts a cluster that crashed (its `postmaster.pid` stale); and
//! stopping is bounded with the database down.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{free_port, header, kirjo, run, serve_demo, spawn, stderr, stdout, temp_dir};
use kirjo::cluster::LocalCluster;
use std::path::Path;
use std::time::{Duration, Instant};

/// One HTTP/1.1 exchange over a fresh connection: status, head, body.
fn exchange(port: u16, request: &str) -> (u16, String, String) {
    common::exchange(port, request).expect("an HTTP answer")
}

fn get(port: u16, path: &str, cookie: &str) -> (u16, String, String, Duration) {
    let started = Instant::now();
    let (s, h, b) = exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"),
    );
    (s, h, b, started.elapsed())
}

fn sign_in(port: u16) -> String {
    let body = format!(
        r#"{{"username":"sari.sosiaalityontekija","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let (status, head, answer) = exchange(
        port,
        &format!(
            "POST /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(status, 200, "{answer}");
    header(&head, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The pid in a cluster's `postmaster.pid`.
fn postmaster_pid(cluster: &LocalCluster) -> Option<i32> {
    std::fs::read_to_string(cluster.pgdata.join("postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Kills the cluster's server as a crash would (SIGKILL to the postmaster).
fn crash(cluster: &LocalCluster) -> i32 {
    let pid = postmaster_pid(cluster).expect("a running cluster");
    assert!(std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    // SIGKILL is delivered, not yet done: the crash is over once the
    // postmaster is gone (or a zombie).
    wait_until(
        "the killed postmaster is gone",
        Duration::from_secs(10),
        || {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().next())
                    .is_some_and(|state| matches!(state, "Z" | "X" | "x"))
            })
        },
    );
    pid
}

fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !ok() {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
    started.elapsed()
}

/// A cluster the test owns (not Kirjo), and Kirjo serving on it by URL.
fn external(dir: &Path) -> (LocalCluster, String, std::path::PathBuf) {
    let cluster = LocalCluster::prepare(&dir.join("pg"), None).unwrap();
    cluster.start().unwrap();
    let url = format!(
        "postgres://postgres@localhost/postgres?host={}",
        cluster.socket_dir.display()
    );
    let key = dir.join("audit.key");
    let out = run(kirjo().args(["audit", "keygen"]).arg(&key));
    assert!(out.status.success(), "{}", stderr(&out));
    (cluster, url, key)
}

#[test]
fn a_database_outage_is_answered_503_at_once_and_stopping_is_bounded() {
    let dir = temp_dir("outage");
    let (cluster, url, key) = external(&dir);
    let port = free_port();
    let mut running = spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(common::demo_config())
            .arg("--data-dir")
            .arg(dir.join("data"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("KIRJO_DATABASE_URL", &url)
            .env("KIRJO_AUDIT_SIGNING_KEY_FILE", &key),
    );
    running.wait_for_line("Kirjo is ready");
    let cookie = sign_in(port);
    let (status, _, body, _) = get(port, "/api/me", &cookie);
    assert_eq!(status, 200, "{body}");

    crash(&cluster);
    std::thread::sleep(Duration::from_millis(500));
    // Readiness says so at once.
    let (status, _, body, took) = get(port, "/health/ready", "");
    assert_eq!(status, 503, "{body}");
    assert!(
        took < Duration::from_millis(1500),
        "readiness took {took:?}"
    );
    // The API: a 503 in JSON with Retry-After, within the acquire timeout.
    for _ in 0..3 {
        let (status, head, body, took) = get(port, "/api/me", &cookie);
        assert_eq!(status, 503, "{body}");
        assert!(took < Duration::from_secs(4), "the API took {took:?}");
        assert!(header(&head, "retry-after").is_some(), "{head}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["error"].is_string(), "{body}");
    }
    // A page: a 503 page in the three languages.
    let (status, head, body, took) = get(port, "/", &cookie);
    assert_eq!(status, 503, "{body}");
    assert!(took < Duration::from_secs(4), "the page took {took:?}");
    assert!(header(&head, "retry-after").is_some(), "{head}");
    for lang in [r#"lang="fi""#, r#"lang="sv""#, r#"lang="en""#] {
        assert!(body.contains(lang), "no {lang} in {body}");
    }
    let (live, _, _, took) = get(port, "/health/live", "");
    assert_eq!(live, 200);
    assert!(took < Duration::from_secs(1));

    // The database back: Kirjo recovers by itself.
    cluster.start().unwrap();
    wait_until("ready again", Duration::from_secs(20), || {
        get(port, "/health/ready", "").0 == 200
    });
    wait_until("the API answers again", Duration::from_secs(20), || {
        get(port, "/api/me", &cookie).0 == 200
    });

    // Down again, and asked to stop: it stops within its deadlines.
    crash(&cluster);
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (_exit, log) = running.terminate();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(15),
        "stopping with the database down took {took:?}: {log}"
    );
    cluster.start().unwrap();
    cluster.stop().unwrap();
}

#[test]
fn the_owned_cluster_is_restarted_after_a_crash() {
    let dir = temp_dir("restart");
    let port = free_port();
    let mut running = serve_demo(&dir, port);
    running.wait_for_line("Kirjo is ready");
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    let cookie = sign_in(port);

    let first = crash(&cluster);
    let took = wait_until("the cluster restarted", Duration::from_secs(30), || {
        postmaster_pid(&cluster).is_some_and(|p| p != first)
            && get(port, "/health/ready", "").0 == 200
    });
    wait_until("the API answers again", Duration::from_secs(10), || {
        get(port, "/api/me", &cookie).0 == 200
    });
    // A second crash: restarted again.
    let second = crash(&cluster);
    wait_until(
        "the cluster restarted again",
        Duration::from_secs(30),
        || {
            postmaster_pid(&cluster).is_some_and(|p| p != second)
                && get(port, "/health/ready", "").0 == 200
        },
    );
    let (exit, log) = running.terminate();
    assert!(exit.success(), "{log}");
    assert!(log.contains("restart"), "{log}");
    assert!(!cluster.is_running(), "left running after {took:?}");
}

#[test]
fn a_command_after_a_crash_starts_the_cluster_again() {
    let dir = temp_dir("stale");
    let port = free_port();
    let mut running = serve_demo(&dir, port);
    running.wait_for_line("Kirjo is ready");
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    // Kirjo and PostgreSQL both killed: postmaster.pid is left behind.
    running.child.kill().unwrap();
    running.child.wait().unwrap();
    crash(&cluster);
    assert!(cluster.pgdata.join("postmaster.pid").exists());

    let out = run(kirjo()
        .args(["audit", "verify", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&*dir));
    assert!(
        out.status.success(),
        "exit {:?}: {} {}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    // It stopped the cluster it started.
    assert!(!cluster.is_running());
    let out = run(kirjo()
        .args(["audit", "checkpoints", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&*dir));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!cluster.is_running());
}
