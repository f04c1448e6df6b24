//! `kirjo vtj import FILE`: a good batch applies once and is all skipped the
//! second time; a bad or inconsistent batch names its lines and changes
//! nothing; an unreadable file is exit status 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::{demo_config, kirjo, run, stderr, stdout, temp_dir};
use kirjo::cluster::LocalCluster;
use kirjo_domain::hetu::{CenturySign, PersonalIdentityCode};
use std::path::Path;
use std::process::Output;

/// A temporary identity code (individual number 900–999).
fn code(y: i32, m: u32, d: u32, n: u16) -> PersonalIdentityCode {
    let sign = if y >= 2000 {
        CenturySign::A
    } else {
        CenturySign::Minus
    };
    PersonalIdentityCode::from_parts(NaiveDate::from_ymd_opt(y, m, d).unwrap(), sign, n).unwrap()
}

fn import(dir: &Path, file: &Path, extra: &[&std::ffi::OsStr]) -> Output {
    run(kirjo()
        .args(["vtj", "import"])
        .arg(file)
        .arg("--demo")
        .arg("--data-dir")
        .arg(dir)
        .args(extra))
}

fn no_codes(o: &Output, codes: &[&PersonalIdentityCode]) {
    for c in codes {
        assert!(
            !stdout(o).contains(c.as_str()) && !stderr(o).contains(c.as_str()),
            "an identity code was printed"
        );
    }
}

#[test]
fn import_applies_once_and_rejects_bad_batches() {
    let dir = temp_dir("vtj");
    let mother = code(1985, 4, 12, 902);
    let child = code(2015, 9, 3, 904);
    let stranger = code(1990, 10, 10, 990);
    let all = [&mother, &child, &stranger];

    // An unreadable file: one line, status 2, no database needed.
    let missing = dir.join("no-such-batch.jsonl");
    let o = import(&dir, &missing, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot read") && err.contains("no-such-batch.jsonl"),
        "{err}"
    );

    // A malformed batch is rejected before the database is opened.
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        format!(
            "{{\"change_id\":\"x-1\",\"type\":\"turvakielto_on\",\"identity_code\":\"{mother}\",\"effective\":\"2024-01-01\"}}\n\
             {{\"change_id\":\"x-2\",\"type\":\"turvakielto_on\",\"identity_code\":\"{mother}\",\"effective\":\"2024-13-01\"}}\n"
        ),
    )
    .unwrap();
    let o = import(&dir, &bad, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 2: `effective`: invalid date"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("line 1:"), "{}", stderr(&o));
    no_codes(&o, &all);

    // A good batch applies, into the demo configuration's register.
    let good = dir.join("muutokset.jsonl");
    std::fs::write(
        &good,
        format!(
            r#"{{"change_id":"g-1","type":"new_person","identity_code":"{mother}","effective":"2020-01-01","first_names":"Maija","surname":"Testinen","home_municipality":"091","mother_tongue":"fi","citizenship":["FI"],"address":{{"street":"Testitie 1","postal_code":"00100","post_office":"HELSINKI","municipality":"091"}}}}
{{"change_id":"g-2","type":"new_person","identity_code":"{child}","effective":"2015-09-03","first_names":"Ella","surname":"Testinen","home_municipality":"091","mother_tongue":"fi","citizenship":["FI"]}}
{{"change_id":"g-3","type":"guardian_change","identity_code":"{child}","effective":"2015-09-03","guardians":["{mother}"]}}
{{"change_id":"g-4","type":"turvakielto_on","identity_code":"{mother}","effective":"2024-01-01"}}
"#
        ),
    )
    .unwrap();
    let o = import(&dir, &good, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("4 changes read, 4 applied, 0 already applied (skipped)"),
        "{out}"
    );
    no_codes(&o, &all);

    // The same batch again (through the configuration file this time):
    // all skipped.
    let o = import(
        &dir,
        &good,
        &["--config".as_ref(), demo_config().as_os_str()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("4 changes read, 0 applied, 4 already applied (skipped)"),
        "{}",
        stdout(&o)
    );

    // An inconsistent batch: nothing applied, every problem named.
    let inconsistent = dir.join("inconsistent.jsonl");
    std::fs::write(
        &inconsistent,
        format!(
            r#"{{"change_id":"i-1","type":"home_municipality_change","identity_code":"{mother}","effective":"2024-02-01","home_municipality":"049"}}
{{"change_id":"i-2","type":"name_change","identity_code":"{stranger}","effective":"2024-02-01","surname":"Muukalainen"}}
{{"change_id":"i-3","type":"guardian_change","identity_code":"{child}","effective":"2024-02-01","guardians":["{mother}","{stranger}"]}}
"#
        ),
    )
    .unwrap();
    let o = import(&dir, &inconsistent, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("line 2: name_change: no person"), "{err}");
    assert!(
        err.contains("line 3: guardian_change: guardian 2 of 2"),
        "{err}"
    );
    assert!(!err.contains("line 1:"), "{err}");
    no_codes(&o, &all);
    // Line 1 was fine but is not applied either: a retry with it alone
    // applies it now.
    let retry = dir.join("retry.jsonl");
    std::fs::write(
        &retry,
        std::fs::read_to_string(&inconsistent)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let o = import(&dir, &retry, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 change read, 1 applied, 0 already applied"),
        "{}",
        stdout(&o)
    );

    // Each run stopped the cluster it started.
    assert!(!LocalCluster::prepare(&dir, None).unwrap().is_running());
    let _ = std::fs::remove_dir_all(&dir);
}
