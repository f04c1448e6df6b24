//! The test harness every storage test uses.
//!
//! The test script (`./scripts/test`) starts a throwaway PostgreSQL cluster
//! and exports `DATABASE_URL` pointing at a superuser of it; any other
//! PostgreSQL with a superuser URL works too. [`TestDb::new`] gives each test
//! its own database, cloned from a template that has every migration
//! applied, so tests run in parallel and start fast. The template is made
//! once per migration fingerprint, under an advisory lock.
//!
//! This crate is only ever a dev-dependency: it panics with a clear message
//! instead of returning errors, which is what a test wants.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use kirjo_store::bootstrap::{connect_once, ensure_database, ensure_role, pool};
use kirjo_store::{migrate, PgPool, OWNER_ROLE, RUNTIME_ROLE};
use sqlx::postgres::PgConnectOptions;
use sqlx::Connection;
use std::str::FromStr;

/// One test's database, with a pool for each role.
#[derive(Debug)]
pub struct TestDb {
    pub name: String,
    /// Connects as the superuser of `DATABASE_URL`, to this database.
    pub admin_options: PgConnectOptions,
    /// The owner role (runs migrations, writes configuration).
    pub owner: PgPool,
    /// The runtime role, as request handlers use it.
    pub runtime: PgPool,
}

/// The superuser connection the test script gives.
pub fn admin_options() -> PgConnectOptions {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "DATABASE_URL is not set: run the tests with ./scripts/test, which starts a \
             PostgreSQL for them, or point DATABASE_URL at a PostgreSQL superuser"
        )
    });
    PgConnectOptions::from_str(&url).unwrap_or_else(|e| panic!("DATABASE_URL is not usable: {e}"))
}

const TEMPLATE_LOCK: i64 = 0x6b69_726a_6f5f_7470; // "kirjo_tp"

impl TestDb {
    /// A fresh, migrated database for this test.
    pub async fn new() -> Self {
        Self::create(true).await
    }

    /// A fresh database with the roles but no migrations applied.
    pub async fn empty() -> Self {
        Self::create(false).await
    }

    async fn create(migrated: bool) -> Self {
        let admin_opts = admin_options();
        let mut admin = connect_once(&admin_opts.clone().database("postgres"))
            .await
            .expect("connect to the test cluster as superuser");
        ensure_role(&mut admin, OWNER_ROLE, true)
            .await
            .expect("owner role");
        ensure_role(&mut admin, RUNTIME_ROLE, true)
            .await
            .expect("runtime role");
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let template = if migrated {
            Some(ensure_template(&mut admin, &admin_opts).await)
        } else {
            None
        };
        // CREATE DATABASE ... TEMPLATE fails while another copy of the same
        // template is in progress, so copies are serialised.
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(TEMPLATE_LOCK)
            .execute(&mut admin)
            .await
            .expect("lock");
        let created = ensure_database(&mut admin, &name, OWNER_ROLE, template.as_deref()).await;
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(TEMPLATE_LOCK)
            .execute(&mut admin)
            .await
            .expect("unlock");
        created.expect("create the test database");
        admin.close().await.ok();
        let db_opts = admin_opts.clone().database(&name);
        let owner = pool(db_opts.clone(), 4, Some(OWNER_ROLE))
            .await
            .expect("owner pool");
        let runtime = pool(db_opts.clone(), 8, Some(RUNTIME_ROLE))
            .await
            .expect("runtime pool");
        TestDb {
            name,
            admin_options: db_opts,
            owner,
            runtime,
        }
    }

    /// A superuser pool on this database, for tests that must act as an
    /// attacker with full database access.
    pub async fn superuser(&self) -> PgPool {
        pool(self.admin_options.clone(), 2, None)
            .await
            .expect("superuser pool")
    }
}

async fn ensure_template(admin: &mut sqlx::PgConnection, admin_opts: &PgConnectOptions) -> String {
    let template = format!("kirjo_tpl_{}", migrate::fingerprint());
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut *admin)
        .await
        .expect("lock");
    let ready: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)",
    )
    .bind(&template)
    .fetch_one(&mut *admin)
    .await
    .expect("look up template");
    if !ready {
        // A half-made template from a killed run is dropped and made again.
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS \"{template}\""))
            .execute(&mut *admin)
            .await
            .expect("drop half-made template");
        ensure_database(admin, &template, OWNER_ROLE, None)
            .await
            .expect("create template");
        {
            let owner = pool(admin_opts.clone().database(&template), 1, Some(OWNER_ROLE))
                .await
                .expect("template owner pool");
            migrate::migrate(&owner)
                .await
                .expect("migrate the template");
            owner.close().await;
        }
        sqlx::raw_sql(&format!(
            "ALTER DATABASE \"{template}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        ))
        .execute(&mut *admin)
        .await
        .expect("mark template");
    }
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut *admin)
        .await
        .expect("unlock");
    template
}

/// A response read by [`http`].
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 client over a real TCP connection: enough to test the
/// server as a browser or curl would reach it, without another HTTP stack.
pub async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> HttpResponse {
    http_with(addr, method, path, &[], body).await
}

/// [`http`] with extra request headers (a cookie, a content type, an origin).
pub async fn http_with(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> HttpResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    let body = body.unwrap_or("");
    let extra: String = headers
        .iter()
        .map(|(n, v)| format!("{n}: {v}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("a complete HTTP response");
    let mut lines = head.lines();
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}
