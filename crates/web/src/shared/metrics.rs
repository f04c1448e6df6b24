//! Prometheus metrics, in the text exposition format: request counts and
//! latency histograms per method, route template and status, and the state
//! of the database pool.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

type Key = (String, String, u16);

/// Request metrics, shared by all handlers.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<Key, Histogram>>,
}

/// The database pool as seen at scrape time.
#[derive(Debug, Clone, Copy)]
pub struct PoolState {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

impl Metrics {
    /// Records one request. `route` is the route template, never a raw path.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut map = match self.requests.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let h = map
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        h.count += 1;
        h.sum += secs;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// The exposition text.
    pub fn render(&self, pool: &PoolState) -> String {
        let map = match self.requests.lock() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut out = String::new();
        out.push_str(
            "# HELP kirjo_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE kirjo_http_requests_total counter\n");
        for ((method, route, status), h) in &map {
            let _ = writeln!(
                out,
                "kirjo_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                h.count
            );
        }
        out.push_str("# HELP kirjo_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE kirjo_http_request_duration_seconds histogram\n");
        for ((method, route, status), h) in &map {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "kirjo_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "kirjo_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "kirjo_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "kirjo_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        out.push_str("# HELP kirjo_db_pool_connections Database pool connections by state.\n");
        out.push_str("# TYPE kirjo_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "kirjo_db_pool_connections{{state=\"idle\"}} {}",
            pool.idle
        );
        let _ = writeln!(
            out,
            "kirjo_db_pool_connections{{state=\"in_use\"}} {}",
            pool.size.saturating_sub(pool.idle)
        );
        out.push_str("# HELP kirjo_db_pool_max_connections The pool's upper limit.\n");
        out.push_str("# TYPE kirjo_db_pool_max_connections gauge\n");
        let _ = writeln!(out, "kirjo_db_pool_max_connections {}", pool.max);
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
