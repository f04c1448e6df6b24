//! `kirjo bench run` against the demo: the driver starts `kirjo serve
//! --demo` on a fresh data directory, signs users in and drives every
//! route for a second at 1 and 2 users.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kirjo::bench_run::{run, Options, Target};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drives_every_route_of_the_demo_without_errors() {
    let dir = common::temp_dir("bench");
    let mut loaded = kirjo::config::load(
        kirjo::config::ConfigSource::File(common::demo_config()),
        &|_| None,
    )
    .unwrap();
    loaded.config.storage.data_dir = dir.to_path_buf();
    loaded.config.log.level = "warn".to_owned();
    let opts = Options {
        target: Target::Spawn {
            program: env!("CARGO_BIN_EXE_kirjo").into(),
            args: vec![
                "serve".into(),
                "--demo".into(),
                "--config".into(),
                common::demo_config().into(),
                "--data-dir".into(),
                dir.as_os_str().to_owned(),
            ],
            env_remove: [
                "KIRJO_CONFIG",
                "DATABASE_URL",
                "KIRJO_DATABASE_URL",
                "KIRJO_DATABASE_RUNTIME_URL",
                "KIRJO_LISTEN",
                "KIRJO_DATA_DIR",
                "KIRJO_POSTGRES_BIN_DIR",
            ]
            .map(str::to_owned)
            .to_vec(),
        },
        concurrency: vec![1, 2],
        seconds: 1.0,
        backlog: 2000,
        server_log: Some(dir.join("serve.log")),
    };
    let report = match run(&loaded, &opts).await {
        Ok(r) => r,
        Err(e) => panic!(
            "{e:#}\nserver log:\n{}",
            std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
        ),
    };
    let md = report.markdown();
    let expected = [
        "GET /",
        "POST /search",
        "GET /api/clients?name=",
        "GET /clients/{id}",
        "GET /api/clients/{id}",
        "GET /clients/{id}/documents",
        "GET /api/clients/{id}/documents",
        "GET /documents/{id}",
        "POST /api/clients/{id}/documents",
        "GET /api/clients/{id}/log",
        "GET /account/trail",
        "GET /api/me/trail",
        "GET /supervision",
    ];
    for r in expected {
        assert!(
            report.routes.iter().any(|x| x.request == r),
            "{r} is not in the report:\n{md}"
        );
        assert!(
            md.contains(&format!("`{r}`")),
            "{r} not in the table:\n{md}"
        );
    }
    for label in [
        "search, common surname (page)",
        "search, common surname (API)",
        "search, rare name (API)",
        "search, typo (API)",
    ] {
        assert!(report.routes.iter().any(|x| x.label == label), "{label}");
    }
    assert_eq!(report.steps.len(), 2);
    for step in &report.steps {
        assert_eq!(step.routes.len(), report.routes.len());
        for (label, r) in &step.routes {
            assert!(r.n > 0, "{label} at {}: no request\n{md}", step.concurrency);
            assert!(
                r.failures.is_empty(),
                "{label} at {}: answers other than 2xx {:?}\n{md}",
                step.concurrency,
                r.failures
            );
        }
        let floor = step.floor.as_ref().unwrap();
        assert!(floor.n > 0 && floor.failures.is_empty(), "{md}");
    }
    assert!(report.all_ok());
    assert!(report.peak_rss_kb.is_some_and(|kb| kb > 1000), "{md}");
    assert!(md.contains("peak RSS"), "{md}");
    let (rows, _) = report.verify.unwrap();
    assert!(rows > 0, "{md}");
    let (sealed, _, _) = report.seal.unwrap();
    assert!(sealed >= 2000, "{md}");
    let (scanned, _, _) = report.monitor.unwrap();
    assert!(scanned >= 2000, "{md}");
    assert!(report.svg().starts_with("<svg"));
}
