//! Helpers for the binary's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A directory of a test, removed with everything in it when dropped (a
/// test's data directory holds a whole PostgreSQL cluster: left behind, they
/// fill the disk).
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

/// A fresh directory under the system temp dir (short, so the socket path
/// fits), removed when the returned guard is dropped.
pub fn temp_dir(tag: &str) -> TempDir {
    TempDir(new_temp_dir(tag))
}

fn new_temp_dir(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!(
        "kt-{tag}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn kirjo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kirjo"));
    // The tests choose the configuration themselves.
    for var in [
        "KIRJO_CONFIG",
        "DATABASE_URL",
        "KIRJO_DATABASE_URL",
        "KIRJO_DATABASE_RUNTIME_URL",
        "KIRJO_LISTEN",
        "KIRJO_DATA_DIR",
        "KIRJO_POSTGRES_BIN_DIR",
        "KIRJO_BACKUP_DIR",
    ] {
        c.env_remove(var);
    }
    c.env("KIRJO_LOG_FORMAT", "json");
    c
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run kirjo")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn demo_config() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config/demo.toml"
    ))
}

/// A fresh database with the demo organisation, and its gate settings.
/// The id of the demo person whose first names begin with `first`.
pub async fn person_id(pool: &sqlx::PgPool, first: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
        .bind(first)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn demo_db() -> (kirjo_testkit::TestDb, kirjo_store::gate::GateSettings) {
    let db = kirjo_testkit::TestDb::new().await;
    let loaded = kirjo::config::load(kirjo::config::ConfigSource::BuiltInDemo, &|_| None).unwrap();
    let settings = kirjo::demo::install(&db.owner, &loaded).await.unwrap();
    (db, settings)
}

/// A `kirjo` process and what it printed.
pub struct Running {
    pub child: Child,
    pub stdout: mpsc::Receiver<String>,
    pub stderr: Option<std::thread::JoinHandle<String>>,
    pub seen: Vec<String>,
}

pub fn spawn(cmd: &mut std::process::Command) -> Running {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    Running {
        child,
        stdout: rx,
        stderr: Some(stderr),
        seen: Vec::new(),
    }
}

impl Drop for Running {
    /// A test that fails half-way must not leave Kirjo and its cluster
    /// running: SIGTERM (Kirjo then stops its cluster), and SIGKILL if that
    /// does not end it in time.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let pid = self.child.id().to_string();
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Running {
    pub fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if let Ok(line) = self.stdout.recv_timeout(Duration::from_millis(200)) {
                self.seen.push(line.clone());
                if line.contains(needle) {
                    return line;
                }
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "kirjo exited with {status} before printing {needle:?}; printed {:?}",
                    self.seen
                );
            }
        }
        panic!(
            "kirjo did not print {needle:?} in time; printed {:?}",
            self.seen
        );
    }

    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        assert!(std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.stdout.try_recv() {
                    self.seen.push(line);
                }
                return (
                    status,
                    self.stderr
                        .take()
                        .map(|h| h.join().unwrap())
                        .unwrap_or_default(),
                );
            }
            assert!(
                Instant::now() < deadline,
                "kirjo did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// `kirjo serve --demo` on a data directory and port.
pub fn serve_demo(dir: &std::path::Path, port: u16) -> Running {
    spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(demo_config())
            .arg("--data-dir")
            .arg(dir)
            .args(["--listen", &format!("127.0.0.1:{port}")]),
    )
}

/// Kirjo's router on a free port over the test database, as the binary
/// serves it (with the peer address known).
pub async fn serve(
    db: &kirjo_testkit::TestDb,
    settings: kirjo_store::gate::GateSettings,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(kirjo_web::AppState::new(db.runtime.clone()).with_gate(settings));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    addr
}

/// Serves the app on a fresh port with the given session and page settings.
pub async fn serve_with(
    db: &kirjo_testkit::TestDb,
    settings: kirjo_store::gate::GateSettings,
    sessions: kirjo_web::SessionSettings,
    ui: kirjo_web::UiSettings,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(
        kirjo_web::AppState::new(db.runtime.clone())
            .with_gate(settings)
            .with_sessions(sessions)
            .with_ui(ui),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    addr
}

/// Signs a demo user in; returns the session cookie (`name=value`).
pub async fn sign_in(addr: std::net::SocketAddr, username: &str) -> String {
    let body = format!(
        r#"{{"username":"{username}","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let r = kirjo_testkit::http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 200, "{username}: {}", r.body);
    let set = r.header("set-cookie").unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_owned();
    let answer: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    match answer["next"].as_str() {
        None => {}
        Some("second_factor") => second_factor(addr, &cookie, kirjo::demo::DEMO_TOTP_SECRET).await,
        Some("enrol") => {
            let begun = post_json(addr, &cookie, "/api/me/second-factor", "{}").await;
            assert_eq!(begun.status, 200, "{}", begun.body);
            let v: serde_json::Value = serde_json::from_str(&begun.body).unwrap();
            let secret =
                kirjo_web::account::totp::from_base32(v["secret"].as_str().unwrap()).unwrap();
            let code = kirjo_web::account::totp::code_at(&secret, totp_step());
            let done = post_json(
                addr,
                &cookie,
                "/api/me/second-factor/confirm",
                &format!(r#"{{"code":"{code}"}}"#),
            )
            .await;
            assert_eq!(done.status, 200, "{}", done.body);
        }
        Some(other) => panic!("unexpected next step {other}"),
    }
    cookie
}

fn totp_step() -> i64 {
    kirjo_web::account::totp::step_of(chrono::Utc::now().timestamp())
}

/// Gives the TOTP code after the password. A code is good once, so a second
/// sign-in within the same 30 seconds takes the next step's code (the
/// server accepts one step either side).
pub async fn second_factor(addr: std::net::SocketAddr, cookie: &str, secret: &[u8]) {
    let now = totp_step();
    for step in [now - 1, now, now + 1] {
        let code = kirjo_web::account::totp::code_at(secret, step);
        let r = post_json(
            addr,
            cookie,
            "/api/session/second-factor",
            &format!(r#"{{"code":"{code}"}}"#),
        )
        .await;
        if r.status == 204 {
            return;
        }
        assert_eq!(r.status, 401, "{}", r.body);
    }
    panic!("no TOTP code was accepted");
}

/// A JSON POST with the session cookie.
pub async fn post_json(
    addr: std::net::SocketAddr,
    cookie: &str,
    path: &str,
    body: &str,
) -> kirjo_testkit::HttpResponse {
    kirjo_testkit::http_with(
        addr,
        "POST",
        path,
        &[("cookie", cookie), ("content-type", "application/json")],
        Some(body),
    )
    .await
}

/// A GET with the session cookie.
pub async fn get_as(
    addr: std::net::SocketAddr,
    cookie: &str,
    path: &str,
) -> kirjo_testkit::HttpResponse {
    kirjo_testkit::http_with(addr, "GET", path, &[("cookie", cookie)], None).await
}

/// The form token and cookie of a page, for posting forms as a browser does.
pub async fn form_token(
    addr: std::net::SocketAddr,
    cookie: Option<&str>,
    path: &str,
) -> (String, String) {
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    let page = kirjo_testkit::http_with(addr, "GET", path, &headers, None).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    let set = page.header("set-cookie").unwrap_or_default().to_owned();
    let token = page
        .body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let csrf_cookie = if set.starts_with("kirjo_csrf=") {
        set.split(';').next().unwrap().to_owned()
    } else {
        format!("kirjo_csrf={token}")
    };
    (token, csrf_cookie)
}

pub async fn post_form(
    addr: std::net::SocketAddr,
    path: &str,
    cookies: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> kirjo_testkit::HttpResponse {
    let mut headers = vec![
        ("cookie", cookies),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    headers.extend_from_slice(extra);
    kirjo_testkit::http_with(addr, "POST", path, &headers, Some(body)).await
}

pub async fn page_session(addr: std::net::SocketAddr, username: &str) -> (String, String) {
    let (token, csrf) = form_token(addr, None, "/sign-in").await;
    let r = post_form(
        addr,
        "/sign-in",
        &csrf,
        &format!(
            "csrf={token}&username={username}&password={}",
            kirjo::demo::DEMO_PASSWORD
        ),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let session = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let cookies = format!("{session}; {csrf}");
    // The forms' token is bound to the session: read it from the page the
    // sign-in leads to (the start page, or the second factor's step).
    let to = r.header("location").unwrap_or("/").to_owned();
    let to = if to.starts_with('/') {
        to
    } else {
        "/".to_owned()
    };
    let (token, _) = form_token(addr, Some(&cookies), &to).await;
    (cookies, token)
}

/// The password step of a demo user's sign-in: status, session cookie and
/// answer (whatever they are).
pub async fn password_step(
    addr: std::net::SocketAddr,
    username: &str,
) -> (u16, String, serde_json::Value) {
    let body = format!(
        r#"{{"username":"{username}","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let r = kirjo_testkit::http_with(
        addr,
        "POST",
        "/api/session",
        &[("content-type", "application/json")],
        Some(&body),
    )
    .await;
    let cookie = r
        .header("set-cookie")
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap_or_default();
    (
        r.status,
        cookie,
        serde_json::from_str(&r.body).unwrap_or_default(),
    )
}

/// One HTTP/1.1 exchange; `None` when the server is gone.
pub fn exchange(port: u16, request: &str) -> Option<(u16, String, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    std::io::Write::write_all(&mut s, request.as_bytes()).ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((status, head.to_owned(), body.to_owned()))
}

pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_owned())
}

/// Signs a demo user in over a plain HTTP/1.1 exchange (for tests that
/// drive Kirjo from threads); returns the session cookie.
pub fn sign_in_raw(port: u16, username: &str) -> String {
    let body = format!(
        r#"{{"username":"{username}","password":"{}"}}"#,
        kirjo::demo::DEMO_PASSWORD
    );
    let (status, head, _) = exchange(
        port,
        &format!(
            "POST /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap();
    assert_eq!(status, 200);
    header(&head, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// HTML text with its character references resolved.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').unwrap();
        let entity = &tail[1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") || e.starts_with("#X") => {
                char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap()
            }
            e => char::from_u32(e[1..].parse().unwrap()).unwrap(),
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of the hidden field `name` on a page.
pub fn hidden(body: &str, name: &str) -> String {
    let raw = body
        .split(&format!(r#"name="{name}" value=""#))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    unescape(raw)
}
