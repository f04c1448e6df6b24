//! Kirjo's own accept loop, so that every connection is bounded:
//!
//! - a cap on open connections (beyond it, new ones wait in the kernel's
//!   queue), and a cap per source address (beyond it, a new connection is
//!   closed at once), so that one client cannot take every file descriptor;
//! - a header read timeout: a connection that does not finish its headers
//!   (or its TLS handshake, or the next request on a kept-alive connection)
//!   in time is closed;
//! - a body read timeout: a body that stalls longer than that between two
//!   parts ends the request with 408, and so does one that trickles in
//!   slower than [`MIN_BODY_RATE`] on average once that time has passed;
//! - a bounded shutdown: after the signal no connection is accepted,
//!   requests in flight get the shutdown timeout to finish, and then their
//!   connections are closed.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// The limits of [`serve`].
#[derive(Debug, Clone)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub max_connections: usize,
    /// `None`: no cap per source.
    pub max_connections_per_source: Option<usize>,
    pub shutdown_timeout: Duration,
}

/// Open connections per source address.
#[derive(Debug, Default)]
struct Sources(Mutex<HashMap<IpAddr, usize>>);

/// One open connection counted against its source; uncounted when dropped.
struct SourceSlot {
    sources: Arc<Sources>,
    ip: IpAddr,
}

impl Sources {
    fn take(self: &Arc<Self>, ip: IpAddr, cap: Option<usize>) -> Option<SourceSlot> {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(ip).or_insert(0);
        if cap.is_some_and(|cap| *n >= cap) {
            return None;
        }
        *n += 1;
        Some(SourceSlot {
            sources: self.clone(),
            ip,
        })
    }
}

impl Drop for SourceSlot {
    fn drop(&mut self) {
        let mut map = self
            .sources
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` (over TLS when `tls` is given) until
/// `shutdown` resolves, then stops as the module says.
pub async fn serve(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let sources = Arc::new(Sources::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut refused: u64 = 0;
    let mut last_warning: Option<Instant> = None;
    tokio::pin!(shutdown);
    tracing::info!(
        max_connections = limits.max_connections,
        max_connections_per_source = limits.max_connections_per_source,
        header_read_timeout_secs = limits.header_read_timeout.as_secs(),
        body_read_timeout_secs = limits.body_read_timeout.as_secs(),
        "accepting connections"
    );
    loop {
        // A free place first: at the cap, new connections wait in the
        // kernel's queue rather than taking file descriptors here.
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = total.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors or the like: wait a moment
                // rather than spin.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Some(slot) = sources.take(peer.ip(), limits.max_connections_per_source) else {
            refused += 1;
            if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                // The address is not logged: it may be a person's.
                tracing::warn!(
                    refused_since_last_warning = refused,
                    cap = limits.max_connections_per_source,
                    "connections closed at once: their source already has the most it may"
                );
                refused = 0;
                last_warning = Some(Instant::now());
            }
            drop(stream);
            continue;
        };
        tasks.spawn(connection(
            stream,
            peer,
            tls.clone(),
            app.clone(),
            limits.clone(),
            stop_rx.clone(),
            (permit, slot),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let in_flight = tasks.len();
    if in_flight > 0 {
        tracing::info!(
            connections = in_flight,
            deadline_secs = limits.shutdown_timeout.as_secs(),
            "finishing the requests in flight"
        );
    }
    let drained = tokio::time::timeout(limits.shutdown_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = tasks.len(),
            "shutdown deadline passed: closing connections with requests still in flight"
        );
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    Ok(())
}

async fn connection<H: Send + 'static>(
    stream: TcpStream,
    peer: SocketAddr,
    tls: Option<Arc<rustls::ServerConfig>>,
    app: Router,
    limits: Limits,
    stop: watch::Receiver<bool>,
    _held: H,
) {
    let _ = stream.set_nodelay(true);
    match tls {
        None => serve_connection(TokioIo::new(stream), peer, app, limits, stop).await,
        Some(config) => {
            let acceptor = tokio_rustls::TlsAcceptor::from(config);
            // The handshake counts against the header timeout.
            match tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream)).await {
                Ok(Ok(s)) => serve_connection(TokioIo::new(s), peer, app, limits, stop).await,
                Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                Err(_) => tracing::debug!("TLS handshake timed out"),
            }
        }
    }
}

async fn serve_connection<I>(
    io: I,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let body_timeout = limits.body_read_timeout;
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let app = app.clone();
        async move {
            request.extensions_mut().insert(ConnectInfo(peer));
            let timed_out = Arc::new(AtomicBool::new(false));
            let request =
                request.map(|b| Body::new(TimeoutBody::new(b, body_timeout, timed_out.clone())));
            let response = tower::ServiceExt::oneshot(app, request).await;
            if timed_out.load(Ordering::Acquire) {
                return Ok::<_, std::convert::Infallible>(body_timed_out());
            }
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = async { let _ = stop.wait_for(|s| *s).await; } => {
            // No new request on this connection; the one in flight ends.
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// The answer when a request body stalls: 408, and the connection closed.
fn body_timed_out() -> Response<Body> {
    let mut r = Response::new(Body::from(
        r#"{"error":"the request body did not arrive in time"}"#,
    ));
    *r.status_mut() = StatusCode::REQUEST_TIMEOUT;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// The slowest a body may arrive on average (bytes a second) once the body
/// read timeout has passed since its first part was asked for: a 16 MiB
/// attachment at this rate takes under five hours, and a client that sends
/// one byte just before each stall timeout is cut off.
pub const MIN_BODY_RATE: u64 = 1024;

/// A request body that fails when no part of it arrives within `timeout`,
/// or when it arrives slower than [`MIN_BODY_RATE`] after `timeout`.
struct TimeoutBody {
    inner: Incoming,
    timeout: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    timed_out: Arc<AtomicBool>,
    /// When the body was first asked for, and how much of it has come.
    started: Option<Instant>,
    received: u64,
}

impl TimeoutBody {
    fn new(inner: Incoming, timeout: Duration, timed_out: Arc<AtomicBool>) -> Self {
        TimeoutBody {
            inner,
            timeout,
            sleep: None,
            timed_out,
            started: None,
            received: 0,
        }
    }

    /// Whether the body has come too slowly on average.
    fn trickles(&self) -> bool {
        let elapsed = self.started.map(|t| t.elapsed()).unwrap_or_default();
        elapsed > self.timeout
            && u128::from(self.received) < elapsed.as_millis() * u128::from(MIN_BODY_RATE) / 1000
    }

    fn fail(&mut self) -> Poll<Option<Result<Frame<axum::body::Bytes>, BodyError>>> {
        self.timed_out.store(true, Ordering::Release);
        Poll::Ready(Some(Err("the request body did not arrive in time".into())))
    }
}

type BodyError = Box<dyn std::error::Error + Send + Sync>;

impl hyper::body::Body for TimeoutBody {
    type Data = axum::body::Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        this.started.get_or_insert_with(Instant::now);
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.sleep = None;
                if let Some(Ok(data)) = frame.as_ref().map(|f| f.as_ref().map(Frame::data_ref)) {
                    this.received += data.map_or(0, |d| d.len() as u64);
                    if this.trickles() && !this.inner.is_end_stream() {
                        return this.fail();
                    }
                }
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            Poll::Pending => {
                let timeout = this.timeout;
                let sleep = this
                    .sleep
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if sleep.as_mut().poll(cx).is_ready() {
                    this.fail()
                } else {
                    Poll::Pending
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
