//! Answers for when Kirjo cannot do the work now: the database is
//! unreachable, or too many sign-ins wait for a password hash. Both are a
//! 503 with `Retry-After`, at once rather than after a long wait: JSON for
//! the API, a short page in Finnish, Swedish and English for the browser.
//!
//! The password-hashing limit lives here too: Argon2 takes 19 MiB and a
//! core for a moment, so hashes run a few at a time (as many as the
//! machine has cores, by default), a small queue waits for a slot, and a
//! sign-in beyond the queue is answered 503 at once. Known and unknown
//! names go through the same limit, so the answer and its timing still
//! reveal nothing about whether an account exists.

use crate::shared::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Seconds a client is asked to wait before trying again.
pub const RETRY_AFTER_SECS: u32 = 5;

/// Whether a database error means "unreachable now" rather than a fault of
/// the request: no connection within the acquire timeout, a closed pool,
/// a broken connection, or the server shutting down or starting.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| {
            // Class 08: connection exception; 57P01..57P03: shutting down,
            // crashed, not yet accepting; 53300: too many connections.
            c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// The API's answer when the database is unreachable.
pub fn database_unavailable(e: &sqlx::Error) -> ApiError {
    tracing::warn!(kind = %kind(e), "database unavailable: answering 503");
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: "the database is not reachable just now: try again in a moment".to_owned(),
    }
}

fn kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::PoolTimedOut => "pool_timed_out",
        sqlx::Error::PoolClosed => "pool_closed",
        sqlx::Error::Io(_) => "io",
        sqlx::Error::Tls(_) => "tls",
        sqlx::Error::Database(_) => "database",
        _ => "other",
    }
}

/// The answer when the sign-in queue is full.
pub fn busy() -> ApiError {
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: "too many sign-ins at once: try again in a moment".to_owned(),
    }
}

/// Every 503 gets `Retry-After`; a page's 503 (not the API's, nor the
/// health checks') becomes the short page in three languages, which needs
/// nothing from the database.
pub(crate) async fn answer_unavailable(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.status() != StatusCode::SERVICE_UNAVAILABLE || path.starts_with("/health/") {
        return response;
    }
    response
        .headers_mut()
        .entry(header::RETRY_AFTER)
        .or_insert(HeaderValue::from(RETRY_AFTER_SECS));
    if path.starts_with("/api/") {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(PAGE))
}

/// The page: no style sheet, script or image, so that it shows whatever is
/// down; each language marked for screen readers.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kirjo: palvelu ei ole juuri nyt käytettävissä / Tjänsten är inte tillgänglig just nu / Service unavailable just now</title>
</head>
<body>
<main>
<section lang="fi">
<h1>Palvelu ei ole juuri nyt käytettävissä</h1>
<p>Kirjo ei pysty juuri nyt käsittelemään pyyntöä: tietokantaan ei saada yhteyttä tai kirjautujia on hetkellisesti liikaa. Mitään ei tallennettu. Yritä uudelleen hetken kuluttua.</p>
</section>
<section lang="sv">
<h1>Tjänsten är inte tillgänglig just nu</h1>
<p>Kirjo kan inte behandla begäran just nu: databasen kan inte nås eller så loggar för många in samtidigt. Ingenting sparades. Försök igen om en stund.</p>
</section>
<section lang="en">
<h1>Service unavailable just now</h1>
<p>Kirjo cannot handle the request just now: the database cannot be reached, or too many people are signing in at once. Nothing was saved. Try again in a moment.</p>
</section>
<p><a href="/">Kirjo</a></p>
</main>
</body>
</html>
"#;

/// The limit on password hashing: `slots` at once, and `queue` more
/// waiting; beyond them, [`busy`].
#[derive(Debug)]
pub struct HashLimiter {
    slots: Arc<Semaphore>,
    capacity: usize,
    admitted: Arc<AtomicUsize>,
    /// Refusals not yet in the application log, and when it was last
    /// written (seconds since the limiter was made): a flood of thousands
    /// a second is one line every ten seconds, not a line each.
    unlogged: AtomicU64,
    logged_at: AtomicU64,
    born: std::time::Instant,
}

/// How often a flood's refusals are summed up in the application log.
const REFUSALS_LOGGED_EVERY_SECS: u64 = 10;

/// A place in the hashing limit (a slot or the queue), held from the start
/// of a sign-in until its hash is done.
#[derive(Debug)]
pub struct Ticket {
    slots: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashLimiter {
    pub fn new(slots: usize, queue: usize) -> Self {
        let slots = slots.max(1);
        Self {
            slots: Arc::new(Semaphore::new(slots)),
            capacity: slots + queue,
            admitted: Arc::new(AtomicUsize::new(0)),
            unlogged: AtomicU64::new(0),
            logged_at: AtomicU64::new(0),
            born: std::time::Instant::now(),
        }
    }

    /// Counts a refusal and, at most once every ten seconds (and for the
    /// first refusal), writes how many there were since the last line.
    fn log_refusal(&self) {
        self.unlogged.fetch_add(1, Ordering::AcqRel);
        let now = self.born.elapsed().as_secs() + REFUSALS_LOGGED_EVERY_SECS;
        let last = self.logged_at.load(Ordering::Acquire);
        if now >= last + REFUSALS_LOGGED_EVERY_SECS
            && self
                .logged_at
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            let refused = self.unlogged.swap(0, Ordering::AcqRel);
            tracing::warn!(
                capacity = self.capacity,
                refused,
                "sign-in queue full: answering 503"
            );
        }
    }

    /// Takes a place, or answers [`busy`] at once when all are taken.
    pub fn admit(&self) -> Result<Ticket, ApiError> {
        let mut now = self.admitted.load(Ordering::Acquire);
        loop {
            if now >= self.capacity {
                self.log_refusal();
                return Err(busy());
            }
            match self
                .admitted
                .compare_exchange(now, now + 1, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => {
                    return Ok(Ticket {
                        slots: self.slots.clone(),
                        admitted: self.admitted.clone(),
                    })
                }
                Err(actual) => now = actual,
            }
        }
    }

    /// Admits and runs `work` at once (for hashing that is not a sign-in).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        self.admit()?.run(work).await
    }
}

impl Ticket {
    /// Waits for a slot and runs `work` off the async workers. The slot
    /// and the place are held by the blocking task itself: a request that
    /// is abandoned mid-hash does not free them before the hash is done.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| busy())?;
        tokio::task::spawn_blocking(move || {
            let _held = (permit, self);
            work()
        })
        .await
        .map_err(|_| ApiError::internal("password hashing task failed"))
    }
}

impl Default for HashLimiter {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Self::new(cores, cores * 4)
    }
}
