//! `kirjo document export ID --as USERNAME`: a completed document in its
//! national structure, through the gate as that user.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{free_port, kirjo, run, serve_demo, stderr, stdout, temp_dir};
use std::path::Path;
use std::process::Output;

fn export(dir: &Path, id: &str, user: &str) -> Output {
    run(kirjo()
        .args([
            "document",
            "export",
            id,
            "--as",
            user,
            "--demo",
            "--data-dir",
        ])
        .arg(dir))
}

#[test]
fn a_completed_document_exports_as_its_national_structure_for_a_user_with_the_right() {
    let dir = temp_dir("doccli");
    // The demo data, loaded by a first start.
    let mut k = serve_demo(&dir, free_port());
    k.wait_for_line("Kirjo is ready");
    let (exit, log) = k.terminate();
    assert!(exit.success(), "{log}");
    // The first demo document: Sari's entry on a meeting with Eetu.
    let o = export(&dir, "1", "sari.sosiaalityontekija");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(v["definition"]
        .as_str()
        .unwrap()
        .starts_with("1.2.246.537.6.1506.19005"));
    assert!(
        v["document"]["merkinta_tapaamisesta_tai_yhteydenotosta"]["laatija"]["sukunimi"]
            == "Saarinen"
    );
    // Another area's worker has no right to it.
    let o = export(&dir, "1", "pekka.sosiaaliohjaaja");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("refused: denied"), "{}", stderr(&o));
    // A draft is not exported; an unknown user or document is refused.
    let o = export(&dir, "6", "sari.sosiaalityontekija");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("draft"), "{}", stderr(&o));
    assert!(stderr(&export(&dir, "1", "ei.ketaan")).contains("no user"));
    assert!(stderr(&export(&dir, "99999", "sari.sosiaalityontekija")).contains("no document"));
    // The client relationship document of the document's client (Eetu).
    let client = v["document"]["merkinta_tapaamisesta_tai_yhteydenotosta"]["asiakas"][0]
        ["henkilotunnus"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = v["kirjo"]["client_id"].as_i64().unwrap();
    let o = export(&dir, &format!("client:{id}"), "sari.sosiaalityontekija");
    assert!(o.status.success(), "{}", stderr(&o));
    let c: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(c["definition"], "1.2.246.537.6.1505.1.2023.6.1");
    assert_eq!(
        c["document"]["asiakkuusasiakirja"]["asiakas"]["henkilotunnus"]["value"],
        client.as_str()
    );
    assert!(stderr(&export(&dir, "client:99999", "sari.sosiaalityontekija")).contains("no client"));
    let o = export(&dir, "client:x", "sari.sosiaalityontekija");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("client:ID"), "{}", stderr(&o));
}
