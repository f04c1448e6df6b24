//! HTTPS with rustls when a certificate is configured: as a real process,
//! reached with curl. The certificate is made by the openssl command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_config, free_port, kirjo, run, spawn, stderr, temp_dir};
use std::path::Path;
use std::process::Command;

fn self_signed(dir: &Path) -> (String, String) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args([
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    (
        cert.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    )
}

fn config_with_tls(dir: &Path, cert: &str, key: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(demo_config()).unwrap();
    let edited = text
        .replace(
            "# tls_certificate = \"/etc/kirjo/tls/fullchain.pem\"",
            &format!("tls_certificate = \"{cert}\""),
        )
        .replace(
            "# tls_private_key = \"/etc/kirjo/tls/privkey.pem\"",
            &format!("tls_private_key = \"{key}\""),
        );
    assert_ne!(text, edited, "the demo configuration shows the TLS keys");
    let path = dir.join("kirjo.toml");
    std::fs::write(&path, edited).unwrap();
    path
}

fn curl(args: &[&str]) -> (bool, String) {
    let o = Command::new("curl")
        .args(["-s", "-S", "-D", "-", "-o", "/dev/null"])
        .args(args)
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).to_lowercase(),
    )
}

#[test]
fn with_a_certificate_kirjo_serves_https_only_with_secure_cookies_and_hsts() {
    let dir = temp_dir("tls");
    let (cert, key) = self_signed(&dir);
    let config = config_with_tls(&dir, &cert, &key);
    let port = free_port();
    let mut k = spawn(
        kirjo()
            .args(["serve", "--demo", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.join("var"))
            .args(["--listen", &format!("127.0.0.1:{port}")]),
    );
    let ready = k.wait_for_line("Kirjo is ready");
    assert!(
        ready.contains(&format!("https://127.0.0.1:{port}/")),
        "{ready}"
    );
    let url = format!("https://127.0.0.1:{port}");
    let (ok, head) = curl(&["--cacert", &cert, &format!("{url}/sign-in")]);
    assert!(ok, "{head}");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains("strict-transport-security: max-age=31536000"),
        "{head}"
    );
    let csrf = head
        .lines()
        .find(|l| l.starts_with("set-cookie: kirjo_csrf="))
        .unwrap();
    assert!(csrf.contains("; secure"), "{csrf}");
    // The session cookie is Secure too.
    let (ok, head) = curl(&[
        "--cacert",
        &cert,
        "-H",
        "content-type: application/json",
        "-d",
        &format!(
            r#"{{"username":"sari.sosiaalityontekija","password":"{}"}}"#,
            kirjo::demo::DEMO_PASSWORD
        ),
        &format!("{url}/api/session"),
    ]);
    assert!(ok && head.starts_with("http/1.1 200"), "{head}");
    let session = head
        .lines()
        .find(|l| l.starts_with("set-cookie: kirjo_session="))
        .unwrap();
    assert!(
        session.contains("; secure") && session.contains("httponly"),
        "{session}"
    );
    // Plain HTTP gets no answer on that port.
    let (plain, _) = curl(&[
        "--max-time",
        "5",
        &format!("http://127.0.0.1:{port}/health/live"),
    ]);
    assert!(!plain, "plain HTTP was answered");
    let (exit, log) = k.terminate();
    assert!(exit.success(), "exit {exit}: {log}");
}

#[test]
fn a_missing_certificate_or_half_a_pair_is_a_one_line_error() {
    let dir = temp_dir("tlsbad");
    let config = config_with_tls(&dir, "/nonexistent/cert.pem", "/nonexistent/key.pem");
    let o = run(kirjo()
        .args(["serve", "--demo", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.join("var"))
        .args(["--listen", &format!("127.0.0.1:{}", free_port())]));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("server.tls_certificate") && err.contains("/nonexistent/cert.pem"),
        "{err}"
    );
    // Only one of the two keys: the configuration check names it.
    let text = std::fs::read_to_string(&config).unwrap();
    let half = dir.join("half.toml");
    std::fs::write(
        &half,
        text.replace("tls_private_key = \"/nonexistent/key.pem\"", ""),
    )
    .unwrap();
    let o = run(kirjo().args(["config", "check", "--config"]).arg(&half));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("server.tls_certificate") && err.contains("tls_private_key"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
