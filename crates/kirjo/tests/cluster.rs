//! The PostgreSQL cluster Kirjo owns, and `kirjo serve` as a real process:
//! first start, SIGTERM, reuse, and the one-line errors of a failed start.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{free_port, kirjo, run, serve_demo, stderr, temp_dir};
use kirjo::cluster::LocalCluster;
use std::io::{Read, Write};

#[tokio::test]
async fn the_cluster_is_made_once_reached_by_socket_only_and_stopped() {
    let dir = temp_dir("life");
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    assert!(!cluster.is_initialised());
    assert!(cluster.start().unwrap(), "first start runs initdb");
    assert!(cluster.is_running());
    {
        let mut conn = kirjo_store::bootstrap::connect_once(&cluster.superuser_options())
            .await
            .unwrap();
        let listen: String = sqlx::query_scalar("SHOW listen_addresses")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(listen, "", "no TCP port is opened");
        let socket_perm: String = sqlx::query_scalar("SHOW unix_socket_permissions")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(socket_perm, "0700");
        // Configured for the machine at every start: JIT off, shared
        // buffers a quarter of the memory (at most 8 GB).
        let jit: String = sqlx::query_scalar("SHOW jit")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(jit, "off");
        let buffers: String = sqlx::query_scalar("SHOW shared_buffers")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_ne!(buffers, "128MB", "PostgreSQL's default was left");
        // The runtime role's connections: bounded statements and idle
        // transactions, whatever the database.
        let runtime = kirjo_store::bootstrap::runtime_options(cluster.superuser_options());
        let mut rt = kirjo_store::bootstrap::connect_once(&runtime)
            .await
            .unwrap();
        // As PostgreSQL shows them.
        for (name, shown) in [
            ("statement_timeout", "30s"),
            ("idle_in_transaction_session_timeout", "1min"),
            ("jit", "off"),
        ] {
            assert!(kirjo_store::bootstrap::RUNTIME_SETTINGS
                .iter()
                .any(|(n, _)| *n == name));
            let got: String = sqlx::query_scalar(&format!("SHOW {name}"))
                .fetch_one(&mut rt)
                .await
                .unwrap();
            assert_eq!(got, shown, "{name}");
        }
        sqlx::Connection::close(rt).await.unwrap();
        sqlx::Connection::close(conn).await.unwrap();
    }
    assert!(kirjo::cluster::server_options(24 << 30).contains("shared_buffers=6144MB"));
    assert_eq!(kirjo::cluster::server_options(0), "-c jit=off");
    cluster.stop().unwrap();
    assert!(!cluster.is_running());
    assert!(!cluster.pgdata.join("postmaster.pid").exists());
    // Second start reuses the data; stopping twice is harmless.
    assert!(
        !cluster.start().unwrap(),
        "second start does not run initdb"
    );
    cluster.stop().unwrap();
    cluster.stop().unwrap();
}

/// A plain HTTP/1.1 GET over TCP.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn serve_stops_on_sigterm_and_the_next_start_reuses_the_data() {
    let dir = temp_dir("serve");
    let port = free_port();

    // First start: a new cluster, the demo data, ready.
    let mut first = serve_demo(&dir, port);
    first.wait_for_line("Kirjo is ready");
    assert!(
        first
            .seen
            .iter()
            .any(|l| l.contains("part `foundation` loaded now")),
        "{:?}",
        first.seen
    );
    let (status, body) = get(port, "/health/ready");
    assert_eq!(status, 200, "{body}");
    // Identity codes in a path or query must not reach the application log.
    assert_eq!(get(port, "/clients/010101-900R?hetu=010101-900R").0, 404);
    let (exit, log) = first.terminate();
    assert!(exit.success(), "exit {exit}: {log}");
    assert!(!log.contains("900R"), "an identity code reached the log");
    for line in log.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"));
    }
    assert!(log.contains("local PostgreSQL stopped"), "{log}");

    // Nothing is left running.
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    assert!(
        !cluster.is_running(),
        "PostgreSQL still running after SIGTERM"
    );
    assert!(!cluster.pgdata.join("postmaster.pid").exists());
    let initialised = std::fs::metadata(cluster.pgdata.join("PG_VERSION"))
        .unwrap()
        .modified()
        .unwrap();

    // Second start: the same cluster, the demo data not loaded again.
    let mut second = serve_demo(&dir, port);
    second.wait_for_line("Kirjo is ready");
    assert!(
        second
            .seen
            .iter()
            .any(|l| l.contains("part `foundation` was loaded before")),
        "{:?}",
        second.seen
    );
    {
        let mut conn = kirjo_store::bootstrap::connect_once(&cluster.options("postgres", "kirjo"))
            .await
            .unwrap();
        let loads: i64 = sqlx::query_scalar("SELECT count(*) FROM demo_load")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            loads, 6,
            "foundation, organisation, registry, second_factor, documents and second_administrator, each once"
        );
        let people: i64 = sqlx::query_scalar("SELECT count(*) FROM person")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(people, 9, "the demo people were loaded twice");
        let tasks: i64 =
            sqlx::query_scalar("SELECT count(*) FROM service_task WHERE in_configuration")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(tasks, 9);
        sqlx::Connection::close(conn).await.unwrap();
    }
    assert_eq!(get(port, "/health/ready").0, 200);
    let (exit, log) = second.terminate();
    assert!(exit.success(), "{log}");
    assert!(!cluster.is_running());
    let again = std::fs::metadata(cluster.pgdata.join("PG_VERSION"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(initialised, again, "initdb ran again");
}

#[test]
fn a_port_in_use_is_one_clear_line_and_starts_nothing() {
    let dir = temp_dir("port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = run(kirjo()
        .args(["serve", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--listen", &format!("127.0.0.1:{port}")]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("kirjo:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("already in use"), "{err}");
    assert!(
        !dir.join("pgdata").exists(),
        "a cluster was set up although the port was taken"
    );
}

#[test]
fn an_unwritable_data_directory_is_one_clear_line() {
    let base = temp_dir("unwritable");
    let file = base.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = run(kirjo()
        .args(["serve", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(file.join("var"))
        .args(["--listen", &format!("127.0.0.1:{}", free_port())]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("kirjo:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("data directory"), "{err}");
    assert!(lines[0].contains("not writable"), "{err}");
}

#[test]
fn missing_postgresql_names_the_package() {
    let dir = temp_dir("nopg");
    let empty = temp_dir("emptybin");
    let out = run(kirjo()
        .args(["serve", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--listen", &format!("127.0.0.1:{}", free_port())])
        .env("KIRJO_POSTGRES_BIN_DIR", &empty));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("kirjo:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("PostgreSQL server is not installed"),
        "{err}"
    );
    assert!(lines[0].contains("apt-get install postgresql"), "{err}");
}

#[test]
fn a_closed_log_pipe_neither_stops_kirjo_nor_leaves_the_cluster_running() {
    let dir = temp_dir("pipe");
    let port = free_port();
    let mut child = kirjo()
        .args(["serve", "--demo", "--config"])
        .arg(common::demo_config())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read the first log line, then close the pipe: every later log write fails.
    {
        let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        std::io::BufRead::read_line(&mut err, &mut first).unwrap();
        assert!(!first.is_empty());
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "kirjo died when its log pipe closed"
        );
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && get(port, "/health/ready").0 == 200
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not ready");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    for _ in 0..20 {
        assert_eq!(get(port, "/health/live").0, 200);
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "kirjo died writing logs"
    );
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    child.wait().unwrap();
    let cluster = LocalCluster::prepare(&dir, None).unwrap();
    assert!(!cluster.is_running(), "the cluster was left running");
}
