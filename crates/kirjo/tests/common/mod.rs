//! Helpers for the binary's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh directory under the system temp dir (short, so the socket path fits).
pub fn temp_dir(tag: &str) -> PathBuf {
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
