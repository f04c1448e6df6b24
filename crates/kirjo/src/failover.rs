//! Several database hosts in one connection string, as libpq takes them
//! (`postgres://u@h1:5432,h2:5432/db?target_session_attrs=read-write`, or
//! for Unix sockets `postgres://u@/db?host=/a/run,/b/run&...`): Kirjo
//! connects to the first host that accepts writes, and when that host dies
//! or becomes a standby, a watcher finds the new primary among them and
//! moves both pools there. This is how Kirjo follows a promoted standby
//! (docs/backup.md); the database driver takes one host only.

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgPool};
use std::sync::Arc;
use std::time::Duration;

/// The hosts of a connection string, each as a one-host URL, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    pub urls: Vec<String>,
    /// `target_session_attrs=read-write` (or `primary`): only a host that
    /// accepts writes will do. Kirjo writes a log row on every read, so a
    /// list of several hosts always asks for this.
    pub read_write: bool,
}

impl Hosts {
    /// Splits a connection string into one URL per host. A string with
    /// one host comes back as it is.
    pub fn parse(url: &str) -> Result<Self, String> {
        let bad = |why: &str| Err(format!("not a PostgreSQL URL: {why}"));
        let Some(scheme_end) = url.find("://") else {
            return bad("no `postgres://`");
        };
        let (scheme, rest) = (&url[..scheme_end + 3], &url[scheme_end + 3..]);
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (userinfo, hostlist) = match authority.rfind('@') {
            Some(at) => (&authority[..=at], &authority[at + 1..]),
            None => ("", authority),
        };
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, q),
            None => (tail, ""),
        };
        let mut params: Vec<(String, String)> = Vec::new();
        // `postgres://user@/db?host=/socket` (as libpq takes it): the URL
        // parser wants a host after `user@`, so the user goes to the query.
        let userinfo = if hostlist.is_empty() && !userinfo.is_empty() {
            let info = userinfo.trim_end_matches('@');
            let (user, password) = match info.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            params.push(("user".to_owned(), user.to_owned()));
            if let Some(p) = password {
                params.push(("password".to_owned(), p.to_owned()));
            }
            ""
        } else {
            userinfo
        };
        let mut read_write = false;
        let mut seen_attrs = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if k == "target_session_attrs" {
                seen_attrs = true;
                read_write = match v {
                    "read-write" | "primary" => true,
                    "any" => false,
                    other => {
                        return Err(format!(
                            "target_session_attrs `{other}` is not one of read-write, primary, any"
                        ))
                    }
                };
            } else {
                params.push((k.to_owned(), v.to_owned()));
            }
        }
        let join = |params: &[(String, String)]| {
            let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if q.is_empty() {
                String::new()
            } else {
                format!("?{}", q.join("&"))
            }
        };
        let query_hosts: Option<Vec<String>> = params
            .iter()
            .find(|(k, _)| k == "host")
            .map(|(_, v)| v.split(',').map(str::to_owned).collect());
        let query_ports: Option<Vec<String>> = params
            .iter()
            .find(|(k, _)| k == "port")
            .map(|(_, v)| v.split(',').map(str::to_owned).collect());
        let urls: Vec<String> = if hostlist.contains(',') {
            hostlist
                .split(',')
                .map(|h| format!("{scheme}{userinfo}{h}{path}{}", join(&params)))
                .collect()
        } else if let Some(hosts) = query_hosts.filter(|h| h.len() > 1) {
            let ports = query_ports.unwrap_or_default();
            if ports.len() > 1 && ports.len() != hosts.len() {
                return bad("as many ports as hosts, or one port for all");
            }
            hosts
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let mut p: Vec<(String, String)> = params
                        .iter()
                        .filter(|(k, _)| k != "host" && k != "port")
                        .cloned()
                        .collect();
                    p.push(("host".to_owned(), h.clone()));
                    if let Some(port) = ports.get(i).or(ports.first()) {
                        p.push(("port".to_owned(), port.clone()));
                    }
                    format!("{scheme}{userinfo}{hostlist}{path}{}", join(&p))
                })
                .collect()
        } else {
            vec![format!(
                "{scheme}{userinfo}{hostlist}{path}{}",
                join(&params)
            )]
        };
        if urls.iter().any(|u| u.parse::<PgConnectOptions>().is_err()) {
            return bad("a host does not parse (postgres://user@host/database)");
        }
        Ok(Self {
            // Several hosts: Kirjo needs the one that takes writes.
            read_write: read_write || (!seen_attrs && urls.len() > 1),
            urls,
        })
    }

    pub fn options(&self) -> Vec<PgConnectOptions> {
        self.urls.iter().filter_map(|u| u.parse().ok()).collect()
    }
}

/// Whether a host answers and, if so, whether it takes writes.
async fn probe(options: &PgConnectOptions) -> Option<bool> {
    let attempt = async {
        let mut conn = kirjo_store::bootstrap::connect_once(options).await.ok()?;
        let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut conn)
            .await
            .ok()?;
        conn.close().await.ok();
        Some(!standby)
    };
    tokio::time::timeout(Duration::from_secs(3), attempt)
        .await
        .ok()
        .flatten()
}

/// The first host that answers (and takes writes, if asked), by index.
pub async fn choose(candidates: &[PgConnectOptions], read_write: bool) -> Option<usize> {
    for (i, c) in candidates.iter().enumerate() {
        match probe(c).await {
            Some(writable) if writable || !read_write => return Some(i),
            _ => {}
        }
    }
    None
}

/// A pool and how its options are made from a host's.
pub struct Follower {
    pub pool: PgPool,
    pub candidates: Vec<PgConnectOptions>,
}

/// Watches the host in use; when it stops answering or stops taking
/// writes, moves every follower to the first host that does. Stops when
/// dropped.
pub struct Watcher(tokio::task::JoinHandle<()>);

impl Drop for Watcher {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub fn watch(
    probe_with: Vec<PgConnectOptions>,
    followers: Vec<Follower>,
    mut current: usize,
    read_write: bool,
) -> Watcher {
    let followers = Arc::new(followers);
    Watcher(tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if probe(&probe_with[current])
                .await
                .is_some_and(|w| w || !read_write)
            {
                continue;
            }
            let Some(next) = choose(&probe_with, read_write).await else {
                tracing::warn!(
                    hosts = probe_with.len(),
                    "no database host takes writes; trying again"
                );
                continue;
            };
            if next != current {
                for f in followers.iter() {
                    if let Some(o) = f.candidates.get(next) {
                        f.pool
                            .set_connect_options(o.clone().disable_statement_logging());
                    }
                }
                tracing::warn!(
                    from = current,
                    to = next,
                    "the database primary moved: new connections go to host {next} of the list"
                );
                current = next;
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_in_the_authority_or_the_query_are_split() {
        let h = Hosts::parse(
            "postgres://kirjo:pw@db1:5432,db2:5433/kirjo?sslmode=require&target_session_attrs=read-write",
        )
        .unwrap();
        assert_eq!(
            h.urls,
            vec![
                "postgres://kirjo:pw@db1:5432/kirjo?sslmode=require",
                "postgres://kirjo:pw@db2:5433/kirjo?sslmode=require"
            ]
        );
        assert!(h.read_write);
        let s = Hosts::parse("postgres://postgres@/kirjo?host=/a/run,/b/run&port=5432").unwrap();
        assert_eq!(
            s.urls,
            vec![
                "postgres:///kirjo?user=postgres&host=/a/run&port=5432",
                "postgres:///kirjo?user=postgres&host=/b/run&port=5432"
            ]
        );
        assert!(s.read_write, "several hosts: the writable one");
        let one = Hosts::parse("postgres://u@h/db?target_session_attrs=any").unwrap();
        assert_eq!(one.urls, vec!["postgres://u@h/db"]);
        assert!(!one.read_write);
        assert!(Hosts::parse("postgres://u@h/db?target_session_attrs=standby").is_err());
        assert!(Hosts::parse("mysql:/x").is_err());
        assert!(Hosts::parse("postgres://u@/d?host=/a,/b&port=1,2,3").is_err());
    }
}
