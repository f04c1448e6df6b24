//! Bounded work per request: a flood of sign-ins is queued behind a limit on
//! password hashing (and answered 503 beyond the queue) instead of taking
//! the machine's memory; connections that never finish their headers or
//! their body are cut off, and one source cannot hold every connection.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{free_port, header, kirjo, spawn, temp_dir, Running};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// The demo configuration with lines added at the top of some sections.
fn config_with(dir: &Path, additions: &[(&str, &str)]) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(common::demo_config()).unwrap();
    for (section, lines) in additions {
        let head = format!("[{section}]\n");
        assert!(text.contains(&head), "no [{section}] in the demo config");
        text = text.replacen(&head, &format!("{head}{lines}\n"), 1);
    }
    let path = dir.join("kirjo.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn serve(dir: &Path, config: &Path, port: u16) -> Running {
    let mut r = spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(config)
            .arg("--data-dir")
            .arg(dir.join("data"))
            .args(["--listen", &format!("127.0.0.1:{port}")]),
    );
    r.wait_for_line("Kirjo is ready");
    r
}

/// One HTTP/1.1 exchange over a fresh connection: status, head, body.
fn exchange(port: u16, request: &str) -> (u16, String, String) {
    common::exchange(port, request).expect("an HTTP answer")
}

fn post(port: u16, path: &str, kind: &str, extra: &str, body: &str) -> (u16, String, String) {
    exchange(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {kind}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn get(port: u16, path: &str, cookie: &str) -> (u16, String, String) {
    exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"),
    )
}

/// The process's resident memory and its peak, in kB.
fn rss(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn a_sign_in_flood_is_bounded_by_the_hashing_limit_and_answered_503_beyond_it() {
    let dir = temp_dir("flood");
    let port = free_port();
    let config = config_with(&dir, &[]);
    let running = serve(&dir, &config, port);
    let pid = running.child.id();

    // A worker signed in before the flood.
    let body = format!(
        r#"{{"username":"sari.sosiaalityontekija","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let (status, head, answer) = post(port, "/api/session", "application/json", "", &body);
    assert_eq!(status, 200, "{answer}");
    let cookie = header(&head, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // The sign-in form's token, for the browsers of the flood.
    let (status, head, page) = get(port, "/sign-in", "");
    assert_eq!(status, 200);
    let token = page
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let csrf_cookie = header(&head, "set-cookie")
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap_or_else(|| format!("kirjo_csrf={token}"));
    let (before, _) = rss(pid);

    // 100 sign-ins at once with names nobody has: half by the API, half by
    // the form; every one costs a password hash.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(100));
    let flood: Vec<_> = (0..100)
        .map(|i| {
            let barrier = barrier.clone();
            let (token, csrf_cookie) = (token.clone(), csrf_cookie.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let started = Instant::now();
                let r = if i % 2 == 0 {
                    post(
                        port,
                        "/api/session",
                        "application/json",
                        "",
                        &format!(r#"{{"username":"nobody{i}","password":"not-this-one"}}"#),
                    )
                } else {
                    post(
                        port,
                        "/sign-in",
                        "application/x-www-form-urlencoded",
                        &format!("Cookie: {csrf_cookie}\r\n"),
                        &format!("csrf={token}&username=nobody{i}&password=not-this-one"),
                    )
                };
                (i % 2 == 0, r, started.elapsed())
            })
        })
        .collect();
    // The worker's own page meanwhile.
    let mut worker = Vec::new();
    for _ in 0..10 {
        let (status, _, body) = get(port, "/api/me", &cookie);
        assert_eq!(status, 200, "{body}");
        worker.push(status);
        std::thread::sleep(Duration::from_millis(100));
    }
    let results: Vec<_> = flood.into_iter().map(|t| t.join().unwrap()).collect();
    let (_, peak) = rss(pid);

    let busy: Vec<_> = results.iter().filter(|(_, r, _)| r.0 == 503).collect();
    assert!(
        !busy.is_empty(),
        "no sign-in was turned away: {:?}",
        results.iter().map(|(_, r, _)| r.0).collect::<Vec<_>>()
    );
    for (api, (status, head, body), took) in &results {
        assert!(
            [401, 429, 503, 200].contains(status),
            "unexpected {status}: {body}"
        );
        if *status == 503 {
            assert!(header(head, "retry-after").is_some(), "{head}");
            assert!(*took < Duration::from_secs(5), "a 503 took {took:?}");
            if *api {
                let v: serde_json::Value = serde_json::from_str(body).unwrap();
                assert!(v["error"].is_string(), "{body}");
            } else {
                assert!(
                    header(head, "content-type")
                        .unwrap()
                        .starts_with("text/html"),
                    "{head}"
                );
                for lang in [r#"lang="fi""#, r#"lang="sv""#, r#"lang="en""#] {
                    assert!(body.contains(lang), "no {lang} in {body}");
                }
            }
        }
    }
    // Argon2 takes 19 MiB a hash: 100 at once would be about 1.9 GB.
    let grew_mb = peak.saturating_sub(before) / 1024;
    assert!(
        grew_mb < 300,
        "memory grew by {grew_mb} MB during the flood (from {} MB)",
        before / 1024
    );
    drop(running);
}

/// A connection from `source` (a loopback address) that sends half a header.
fn half_header(source: &str, port: u16) -> TcpStream {
    let mut s = socket_from(source, port);
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let _ = s.write_all(
        format!("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").as_bytes(),
    );
    s
}

/// A TCP connection to the server from a chosen loopback source address.
fn socket_from(source: &str, port: u16) -> TcpStream {
    // std cannot bind before connecting; tokio's socket can, and hands the
    // connected stream back as a std one.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket
            .bind(format!("{source}:0").parse::<SocketAddr>().unwrap())
            .unwrap();
        let stream = socket
            .connect(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .unwrap();
        let std = stream.into_std().unwrap();
        std.set_nonblocking(false).unwrap();
        std
    })
}

/// Whether the server has closed the connection (a read gives end of file
/// or a reset rather than timing out).
fn is_closed(mut s: &TcpStream) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // an error answer, then the close
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

fn live(port: u16) -> (u16, Duration) {
    let started = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

#[test]
fn slow_clients_are_cut_off_and_health_answers_meanwhile() {
    let dir = temp_dir("slow");
    let port = free_port();
    let config = config_with(
        &dir,
        &[(
            "server",
            "header_read_timeout_secs = 2\nbody_read_timeout_secs = 2\nmax_connections_per_source = 50",
        )],
    );
    let running = serve(&dir, &config, port);

    // 200 connections from one source, each with half a header.
    let slow: Vec<TcpStream> = (0..200).map(|_| half_header("127.0.0.2", port)).collect();
    // Another source is still answered at once.
    let (status, took) = live(port);
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "/health/live took {took:?}");
    // Those beyond the per-source cap were closed at once.
    let closed_now = slow.iter().filter(|s| is_closed(s)).count();
    assert!(
        closed_now >= 150,
        "only {closed_now} of 200 connections beyond the cap of 50 were closed"
    );
    // And after the header timeout, every one is closed.
    std::thread::sleep(Duration::from_secs(3));
    let open = slow.iter().filter(|s| !is_closed(s)).count();
    assert_eq!(open, 0, "{open} connections with half a header still open");
    // The source may connect again once its connections are gone.
    let again = half_header("127.0.0.2", port);
    assert!(!is_closed(&again), "the source stayed locked out");
    drop(again);

    // A body that never arrives is cut off too.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":",
    )
    .unwrap();
    let started = Instant::now();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(6),
        "an unfinished body was waited for {took:?}"
    );
    assert!(
        text.starts_with("HTTP/1.1 408"),
        "an unfinished body: {text}"
    );

    // A body that trickles in, one byte just inside each stall timeout,
    // is cut off too once it is slower than the least rate.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    s.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
    )
    .unwrap();
    let started = Instant::now();
    let mut text = String::new();
    for _ in 0..60 {
        if s.write_all(b" ").is_err() {
            break;
        }
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                text.push_str(&String::from_utf8_lossy(&buf[..n]));
                break;
            }
            Err(_) => std::thread::sleep(Duration::from_millis(400)),
        }
    }
    let took = started.elapsed();
    assert!(
        text.starts_with("HTTP/1.1 408"),
        "a trickling body was answered {text:?} after {took:?}"
    );
    assert!(
        took < Duration::from_secs(8),
        "a trickling body was waited for {took:?}"
    );
    let (status, _) = live(port);
    assert_eq!(status, 200);
    drop(running);
}
