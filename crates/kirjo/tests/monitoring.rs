//! Monitoring: automatic flags from the sealed use log, the DPO's and the
//! supervisor's open lists, reviews, and random samples per unit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::demo_db;

use kirjo_access::{Action, StatedPurpose};
use kirjo_store::gate::{enter, Caller, GateError, GateSettings, Request};
use kirjo_store::monitoring::{self, MonitorSettings, Outcome};
use kirjo_store::{audit, clients};
use kirjo_testkit::TestDb;

async fn uid(db: &TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.runtime)
        .await
        .unwrap()
}

async fn pid(db: &TestDb, first: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
        .bind(first)
        .fetch_one(&db.runtime)
        .await
        .unwrap()
}

/// Seals until nothing is left: the sealing horizon is cluster-wide, so a
/// transaction open in another test's database can hold a seal back.
async fn seal_everything(db: &kirjo_testkit::TestDb, key: &audit::SigningKey) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        audit::seal_once(&db.runtime, key).await.unwrap();
        if audit::seal_state(&db.runtime)
            .await
            .unwrap()
            .use_log
            .unsealed_rows
            == 0
        {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "rows stayed unsealed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn caller(user_id: i64) -> Caller {
    Caller {
        user_id,
        request_id: uuid::Uuid::new_v4(),
        source_address: None,
    }
}

async fn read(
    db: &TestDb,
    s: &GateSettings,
    user: i64,
    client: i64,
    purpose: Option<&StatedPurpose>,
) {
    let mut g = enter(
        &db.runtime,
        &caller(user),
        s,
        &Request {
            action: Action::ViewBasicData,
            client_id: Some(client),
            data: "basic_data",
            purpose,
            reason: None,
        },
    )
    .await
    .unwrap();
    let p = clients::basic_data(&mut g).await.unwrap();
    g.finish(p).await.unwrap();
}

#[tokio::test]
async fn flags_are_raised_from_the_sealed_log_listed_and_reviewed() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let leena = uid(&db, "leena.esihenkilo").await;
    let matti = uid(&db, "matti.esihenkilo").await;
    let dpo = uid(&db, "sanna.tietosuoja").await;
    let (eetu, ella, timo) = (
        pid(&db, "Eetu").await,
        pid(&db, "Ella").await,
        pid(&db, "Timo").await,
    );
    read(&db, &s, sari, eetu, None).await;
    read(&db, &s, sari, ella, None).await;
    let purpose = StatedPurpose {
        purpose_id: "urgent_matter".into(),
        text: "kiireellinen".into(),
    };
    read(&db, &s, pekka, timo, Some(&purpose)).await;

    // Nothing is scanned before it is sealed.
    let strict = MonitorSettings {
        working_hours: (25, 25), // every hour is outside these
        clients_per_hour: 1,
        ..MonitorSettings::default()
    };
    assert_eq!(monitoring::scan(&db.runtime, &strict).await.unwrap(), 0);
    let key = audit::SigningKey::from_seed(&[3u8; 32]);
    seal_everything(&db, &key).await;
    let raised = monitoring::scan(&db.runtime, &strict).await.unwrap();
    // Three accesses outside hours, Sari's second client crosses one per
    // hour, and Eetu and Ella are protected by their mother's turvakielto
    // (issue 14, finding 7: a household member's turvakielto is the
    // client's own).
    assert_eq!(raised, 6);
    assert_eq!(
        monitoring::scan(&db.runtime, &strict).await.unwrap(),
        0,
        "a rescan raises nothing again"
    );

    let kinds = |flags: &[monitoring::Flag]| {
        let mut k: Vec<String> = flags
            .iter()
            .map(|f| format!("{}:{}", f.user_name, f.kind))
            .collect();
        k.sort();
        k
    };
    let all = monitoring::open_flags(&db.runtime, &caller(dpo), &s)
        .await
        .unwrap();
    assert_eq!(
        kinds(&all),
        [
            "Pekka Peltonen:outside_relationship",
            "Pekka Peltonen:outside_working_hours",
            "Sari Saarinen:many_clients_in_hour",
            "Sari Saarinen:outside_working_hours",
            "Sari Saarinen:outside_working_hours",
            "Sari Saarinen:turvakielto",
            "Sari Saarinen:turvakielto",
        ]
    );
    // A supervisor sees the flags of their own unit only.
    let families = monitoring::open_flags(&db.runtime, &caller(leena), &s)
        .await
        .unwrap();
    assert!(families.iter().all(|f| f.user_name == "Sari Saarinen") && families.len() == 5);
    // A worker sees none.
    assert!(matches!(
        monitoring::open_flags(&db.runtime, &caller(sari), &s).await,
        Err(GateError::Denied { .. })
    ));
    // Reviewing closes a flag, once; the other unit's supervisor cannot.
    let flag = families[0].id;
    assert!(matches!(
        monitoring::review_flag(
            &db.runtime,
            &caller(matti),
            &s,
            flag,
            Outcome::Justified,
            "ok"
        )
        .await,
        Err(GateError::Denied { .. })
    ));
    monitoring::review_flag(
        &db.runtime,
        &caller(leena),
        &s,
        flag,
        Outcome::Justified,
        "oma asiakas",
    )
    .await
    .unwrap();
    assert!(monitoring::review_flag(
        &db.runtime,
        &caller(dpo),
        &s,
        flag,
        Outcome::Justified,
        "again"
    )
    .await
    .is_err());
    assert_eq!(
        monitoring::open_flags(&db.runtime, &caller(dpo), &s)
            .await
            .unwrap()
            .len(),
        6
    );
}

#[tokio::test]
async fn a_sample_holds_only_the_units_accesses_and_takes_reviews() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let leena = uid(&db, "leena.esihenkilo").await;
    let matti = uid(&db, "matti.esihenkilo").await;
    let (eetu, kalle) = (pid(&db, "Eetu").await, pid(&db, "Kalle").await);
    for _ in 0..5 {
        read(&db, &s, sari, eetu, None).await;
        read(&db, &s, pekka, kalle, None).await;
    }
    let now = chrono::Utc::now();
    let from = now - chrono::Duration::hours(1);
    let to = now + chrono::Duration::minutes(1);
    assert!(matches!(
        monitoring::draw_sample(&db.runtime, &caller(matti), &s, "perheyksikko", from, to, 3).await,
        Err(GateError::Denied { .. })
    ));
    let (id, items) =
        monitoring::draw_sample(&db.runtime, &caller(leena), &s, "perheyksikko", from, to, 3)
            .await
            .unwrap();
    assert_eq!(items.len(), 3);
    assert!(
        items.iter().all(|i| i.user_id == Some(sari)),
        "another unit's access in the sample"
    );
    monitoring::review_sample_item(
        &db.runtime,
        &caller(leena),
        &s,
        id,
        items[0].use_log_id,
        Outcome::Justified,
        "asiakastyö",
    )
    .await
    .unwrap();
    // Not twice, and not an access outside the sample.
    assert!(monitoring::review_sample_item(
        &db.runtime,
        &caller(leena),
        &s,
        id,
        items[0].use_log_id,
        Outcome::Justified,
        "x"
    )
    .await
    .is_err());
    let outside: i64 = sqlx::query_scalar("SELECT id FROM use_log WHERE user_id = $1 LIMIT 1")
        .bind(pekka)
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    assert!(monitoring::review_sample_item(
        &db.runtime,
        &caller(leena),
        &s,
        id,
        outside,
        Outcome::Justified,
        "x"
    )
    .await
    .is_err());
}

#[tokio::test]
async fn access_to_ones_own_family_or_address_is_flagged() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let dpo = uid(&db, "sanna.tietosuoja").await;
    let (eetu, ella, kalle) = (
        pid(&db, "Eetu").await,
        pid(&db, "Ella").await,
        pid(&db, "Kalle").await,
    );
    // The staff members' own person records: Sari is next of kin of Eetu;
    // Pekka lives at Kalle's address.
    let own = |first: &'static str, last: &'static str| {
        let pool = db.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO person (register_id, first_names, surname, birth_date) VALUES ('sosiaalihuolto', $1, $2, '1980-01-01') RETURNING id",
            )
            .bind(first)
            .bind(last)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let sari_person = own("Sari", "Saarinen").await;
    let pekka_person = own("Pekka", "Peltonen").await;
    let su = db.superuser().await;
    for (user, person) in [(sari, sari_person), (pekka, pekka_person)] {
        sqlx::query("UPDATE staff_user SET person_id = $2 WHERE id = $1")
            .bind(user)
            .bind(person)
            .execute(&su)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO person_relation (person_id, related_id, kind, source) VALUES ($1, $2, 'next_of_kin', 'client')")
        .bind(eetu)
        .bind(sari_person)
        .execute(&db.owner)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO person_address (person_id, kind, street, postal_code, source) VALUES ($1, 'permanent', 'RANTAPOLKU 3', '00970', 'vtj')",
    )
    .bind(pekka_person)
    .execute(&db.owner)
    .await
    .unwrap();

    read(&db, &s, sari, eetu, None).await; // own family
    read(&db, &s, sari, ella, None).await; // not
    read(&db, &s, pekka, kalle, None).await; // same address
    let key = audit::SigningKey::from_seed(&[5u8; 32]);
    seal_everything(&db, &key).await;
    let calm = MonitorSettings {
        working_hours: (0, 24),
        clients_per_hour: 1000,
        ..MonitorSettings::default()
    };
    // And Eetu and Ella are protected by their mother's turvakielto.
    assert_eq!(monitoring::scan(&db.runtime, &calm).await.unwrap(), 4);
    let flags = monitoring::open_flags(&db.runtime, &caller(dpo), &s)
        .await
        .unwrap();
    let mut got: Vec<(String, Option<i64>)> = flags
        .iter()
        .map(|f| (f.kind.clone(), f.client_id))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("own_family".to_owned(), Some(eetu)),
            ("same_address".to_owned(), Some(kalle)),
            ("turvakielto".to_owned(), Some(eetu.min(ella))),
            ("turvakielto".to_owned(), Some(eetu.max(ella))),
        ]
    );
}

/// The flags of a log scanned in batches of `batch` sealed positions: (user,
/// kind, the use's place among the reads) in the order they were raised.
async fn flags_scanned_in_batches(batch: i64) -> Vec<(i64, String, i64)> {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let (eetu, ella, kalle) = (
        pid(&db, "Eetu").await,
        pid(&db, "Ella").await,
        pid(&db, "Kalle").await,
    );
    let first: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM use_log")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    // Sari's second client crosses the limit in the second read, and again
    // and again after it: one flag an hour, whichever batch the reads fall in.
    for client in [eetu, ella, eetu, ella, eetu] {
        read(&db, &s, sari, client, None).await;
        read(&db, &s, pekka, kalle, None).await;
    }
    let key = audit::SigningKey::from_seed(&[7u8; 32]);
    seal_everything(&db, &key).await;
    let strict = MonitorSettings {
        working_hours: (25, 25),
        clients_per_hour: 1,
        ..MonitorSettings::default()
    };
    let raised = monitoring::scan_in_batches(&db.runtime, &strict, batch)
        .await
        .unwrap();
    assert_eq!(
        monitoring::scan(&db.runtime, &strict).await.unwrap(),
        0,
        "a rescan raises nothing again"
    );
    let flags: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT user_id, kind, use_log_id - $1 FROM access_flag WHERE use_log_id > $1 ORDER BY id",
    )
    .bind(first)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(raised, flags.len());
    flags
}

#[tokio::test]
async fn a_batch_boundary_neither_loses_nor_doubles_a_flag() {
    let whole = flags_scanned_in_batches(10_000).await;
    let many: Vec<_> = whole
        .iter()
        .filter(|f| f.1 == "many_clients_in_hour")
        .collect();
    assert_eq!(many.len(), 1, "{whole:?}");
    assert_eq!(
        whole
            .iter()
            .filter(|f| f.1 == "outside_working_hours")
            .count(),
        10,
        "{whole:?}"
    );
    // One sealed position a batch: every read is a batch boundary.
    assert_eq!(flags_scanned_in_batches(1).await, whole);
    assert_eq!(flags_scanned_in_batches(3).await, whole);
}

/// The cursor of the scan and the newest sealed position of the use log.
async fn cursor_and_sealed(db: &TestDb) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT coalesce(max(scanned_through), 0) FROM monitoring_progress),
                (SELECT coalesce(max(position), 0) FROM audit_seal_entry WHERE log = 'use_log')",
    )
    .fetch_one(&db.owner)
    .await
    .unwrap()
}

/// Issue 15, finding 6: the hourly count of a batch re-read every use the
/// batch's users made in the hour before it, so a busy user's hour was read
/// again for every batch (the scan fell to ~70 rows/s under load). The
/// count is now carried from batch to batch as each user's clients of the
/// last hour: a batch reads one row per client the user saw in that hour,
/// however many times they saw them.
#[tokio::test]
async fn the_hourly_count_reads_each_client_once_not_every_use_of_the_hour() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let (eetu, ella) = (pid(&db, "Eetu").await, pid(&db, "Ella").await);
    // 2,000 uses of two clients within the hour, written as the gate does.
    let mut tx = db.runtime.begin().await.unwrap();
    for i in 0..2000 {
        audit::record_use(
            &mut tx,
            &audit::UseEntry {
                request_id: Some(uuid::Uuid::new_v4()),
                user_id: Some(sari),
                user_name: "Sari Saarinen",
                register_id: None,
                client_id: Some(if i % 2 == 0 { eetu } else { ella }),
                action: "view_basic_data",
                data: "basic_data",
                purpose: None,
                allowed: true,
                explanation: "test: a busy hour",
                source_address: None,
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let key = audit::SigningKey::from_seed(&[9u8; 32]);
    seal_everything(&db, &key).await;
    let calm = MonitorSettings {
        working_hours: (0, 24),
        clients_per_hour: 1000,
        ..MonitorSettings::default()
    };
    monitoring::scan(&db.runtime, &calm).await.unwrap();
    // Ten more uses: the next batch.
    for _ in 0..10 {
        read(&db, &s, sari, eetu, None).await;
    }
    seal_everything(&db, &key).await;
    let (cursor, sealed) = cursor_and_sealed(&db).await;
    assert!(sealed > cursor);
    let read_for_the_count = sqlx::query(monitoring::SCAN_WINDOW_SQL)
        .bind(cursor)
        .bind(sealed)
        .fetch_all(&db.runtime)
        .await
        .unwrap()
        .len();
    assert!(
        read_for_the_count <= 2,
        "the batch's hourly count read {read_for_the_count} rows for a user with two clients"
    );
}

/// Issue 15, finding 6: every access outside 07-18 was flagged, whatever
/// the unit (43,000 flags in five minutes of load at night). A unit may
/// have its own working hours; a round-the-clock unit (such as emergency
/// social services) raises no after-hours flags. An access belongs to the
/// unit of the client relationship through which the user saw the client.
#[tokio::test]
async fn a_round_the_clock_unit_raises_no_after_hours_flags() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let (eetu, kalle) = (pid(&db, "Eetu").await, pid(&db, "Kalle").await);
    read(&db, &s, sari, eetu, None).await;
    read(&db, &s, pekka, kalle, None).await;
    let key = audit::SigningKey::from_seed(&[11u8; 32]);
    seal_everything(&db, &key).await;
    let mut units = std::collections::BTreeMap::new();
    units.insert(
        "perheyksikko".to_owned(),
        "always".parse::<monitoring::WorkingHours>().unwrap(),
    );
    let settings = MonitorSettings {
        working_hours: (25, 25), // every hour is outside these
        clients_per_hour: 1000,
        units,
        ..MonitorSettings::default()
    };
    monitoring::scan(&db.runtime, &settings).await.unwrap();
    let after_hours: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM access_flag WHERE kind = 'outside_working_hours' ORDER BY id",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        after_hours,
        [pekka],
        "only the adult unit's access is after hours"
    );
}

/// A flag goes to the supervisor of the unit through which the user saw the
/// client, not to the unit of the user's first role: Sari (families' unit,
/// and a role in the adult unit as well) assigned to an adult client in the
/// adult unit is reviewed there.
#[tokio::test]
async fn a_flag_belongs_to_the_unit_of_the_relationship_it_was_raised_through() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let matti = uid(&db, "matti.esihenkilo").await;
    let leena = uid(&db, "leena.esihenkilo").await;
    let (eetu, kalle) = (pid(&db, "Eetu").await, pid(&db, "Kalle").await);
    // Sari works in both units: a client worker's role in the adult unit too.
    sqlx::query(
        "INSERT INTO role_grant (user_id, role, unit_id, sub_register_id, valid_from, proposal_id)
         SELECT user_id, role, 'aikuisyksikko', 'aikuiset', valid_from, proposal_id
         FROM role_grant WHERE user_id = $1 AND role = 'client_worker' LIMIT 1",
    )
    .bind(sari)
    .execute(&db.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on,
                                          responsible_worker_id, basis, assigned_by)
         SELECT client_id, register_id, sub_register_id, 'aikuisyksikko', current_date, $2, 'assignment', $3
         FROM client_relationship WHERE client_id = $1 AND unit_id = 'aikuisyksikko' LIMIT 1",
    )
    .bind(kalle)
    .bind(sari)
    .bind(matti)
    .execute(&db.owner)
    .await
    .unwrap();
    read(&db, &s, sari, kalle, None).await;
    read(&db, &s, sari, eetu, None).await;
    let key = audit::SigningKey::from_seed(&[12u8; 32]);
    seal_everything(&db, &key).await;
    let strict = MonitorSettings {
        working_hours: (25, 25), // every hour is outside these
        clients_per_hour: 1000,
        ..MonitorSettings::default()
    };
    monitoring::scan(&db.runtime, &strict).await.unwrap();
    let units: Vec<(i64, String)> = sqlx::query_as(
        "SELECT client_id, unit_id FROM access_flag WHERE kind = 'outside_working_hours' ORDER BY client_id",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    let mut expected = vec![
        (eetu, "perheyksikko".to_owned()),
        (kalle, "aikuisyksikko".to_owned()),
    ];
    expected.sort();
    assert_eq!(units, expected);
    // The adult unit's supervisor reviews the access to Kalle, the
    // families' unit's the access to Eetu.
    let of = |flags: Vec<monitoring::Flag>| -> Vec<i64> {
        let mut ids: Vec<i64> = flags.iter().filter_map(|f| f.client_id).collect();
        ids.dedup();
        ids
    };
    assert_eq!(
        of(monitoring::open_flags(&db.runtime, &caller(matti), &s)
            .await
            .unwrap()),
        [kalle]
    );
    assert_eq!(
        of(monitoring::open_flags(&db.runtime, &caller(leena), &s)
            .await
            .unwrap()),
        [eetu]
    );
}

#[test]
fn working_hours_are_read_from_their_configured_form() {
    use monitoring::WorkingHours;
    assert_eq!(
        "always".parse::<WorkingHours>().unwrap(),
        WorkingHours::Always
    );
    assert_eq!(
        "weekdays 07-18".parse::<WorkingHours>().unwrap(),
        WorkingHours::Hours {
            every_day: false,
            from: 7,
            to: 18
        }
    );
    assert_eq!(
        "every day 06-22".parse::<WorkingHours>().unwrap(),
        WorkingHours::Hours {
            every_day: true,
            from: 6,
            to: 22
        }
    );
    for bad in ["", "sometimes", "weekdays 18-07", "weekdays 7-25", "daily"] {
        assert!(bad.parse::<WorkingHours>().is_err(), "{bad:?} was accepted");
    }
}

/// Issue 15, finding 6: each flag was its own line to review (43,000 after
/// hours in five minutes). Flags of one kind for one user and day are now
/// one review item with their count, first and last time and log rows, and
/// reviewing the item reviews them all.
#[tokio::test]
async fn repeated_flags_of_a_kind_for_a_user_and_day_are_one_review_item() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let pekka = uid(&db, "pekka.sosiaaliohjaaja").await;
    let leena = uid(&db, "leena.esihenkilo").await;
    let matti = uid(&db, "matti.esihenkilo").await;
    let dpo = uid(&db, "sanna.tietosuoja").await;
    let (eetu, ella, kalle) = (
        pid(&db, "Eetu").await,
        pid(&db, "Ella").await,
        pid(&db, "Kalle").await,
    );
    for client in [eetu, eetu, ella, eetu, eetu] {
        read(&db, &s, sari, client, None).await;
    }
    read(&db, &s, pekka, kalle, None).await;
    read(&db, &s, pekka, kalle, None).await;
    let key = audit::SigningKey::from_seed(&[13u8; 32]);
    seal_everything(&db, &key).await;
    let strict = MonitorSettings {
        working_hours: (25, 25),
        clients_per_hour: 1000,
        ..MonitorSettings::default()
    };
    // Seven after hours, and five of Sari's on children protected by their
    // mother's turvakielto.
    assert_eq!(monitoring::scan(&db.runtime, &strict).await.unwrap(), 12);
    let items = monitoring::open_items(&db.runtime, &caller(dpo), &s)
        .await
        .unwrap();
    let mut seen: Vec<(String, String, i64)> = items
        .iter()
        .map(|i| (i.user_name.clone(), i.kind.clone(), i.count))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "Pekka Peltonen".to_owned(),
                "outside_working_hours".to_owned(),
                2
            ),
            (
                "Sari Saarinen".to_owned(),
                "outside_working_hours".to_owned(),
                5
            ),
            ("Sari Saarinen".to_owned(), "turvakielto".to_owned(), 5),
        ]
    );
    let item = items
        .iter()
        .find(|i| i.user_id == sari && i.kind == "outside_working_hours")
        .unwrap();
    assert_eq!(item.use_log_ids.len(), 5);
    assert!(item.first_at < item.last_at);
    let mut clients = item.client_ids.clone();
    clients.sort();
    let mut want = vec![eetu, ella];
    want.sort();
    assert_eq!(clients, want);
    // The other unit's supervisor may not; Sari's supervisor reviews all five.
    assert!(matches!(
        monitoring::review_item(
            &db.runtime,
            &caller(matti),
            &s,
            item.id,
            Outcome::Justified,
            "x"
        )
        .await,
        Err(GateError::Denied { .. })
    ));
    assert_eq!(
        monitoring::review_item(
            &db.runtime,
            &caller(leena),
            &s,
            item.id,
            Outcome::Justified,
            "omat asiakkaat"
        )
        .await
        .unwrap(),
        5
    );
    let left = monitoring::open_items(&db.runtime, &caller(dpo), &s)
        .await
        .unwrap();
    let mut left: Vec<(i64, &str)> = left.iter().map(|i| (i.user_id, i.kind.as_str())).collect();
    left.sort();
    let mut want = vec![(pekka, "outside_working_hours"), (sari, "turvakielto")];
    want.sort();
    assert_eq!(left, want);
    let reviewed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM access_flag_review r JOIN access_flag f ON f.id = r.flag_id WHERE f.user_id = $1",
    )
    .bind(sari)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(reviewed, 5);
}

/// Issue 15, finding 6: a SIGTERM waited 98 s for the scan's query. When
/// the monitor is told to stop, the query of the batch in flight is
/// cancelled at once (here it waits for a lock that is never released) and
/// the monitor returns within seconds.
#[tokio::test]
async fn stopping_the_monitor_cancels_its_query_in_flight() {
    let (db, s) = demo_db().await;
    let sari = uid(&db, "sari.sosiaalityontekija").await;
    let eetu = pid(&db, "Eetu").await;
    read(&db, &s, sari, eetu, None).await;
    let key = audit::SigningKey::from_seed(&[15u8; 32]);
    seal_everything(&db, &key).await;
    // Hold the scan's progress table: its batch waits on the lock.
    let mut blocker = db.owner.begin().await.unwrap();
    sqlx::query("LOCK TABLE monitoring_progress IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // The test's pools sign in as a superuser and SET ROLE, so the scan's
    // statement cannot be cancelled from the runtime pool: it ends by its
    // statement timeout (the server's own cluster cancels it at once).
    let settings = MonitorSettings {
        statement_timeout: std::time::Duration::from_secs(2),
        ..MonitorSettings::default()
    };
    let monitor = tokio::spawn(monitoring::run_monitor(
        db.runtime.clone(),
        settings,
        std::time::Duration::from_secs(5),
        async move {
            let _ = stopped.await;
        },
    ));
    let su = db.superuser().await;
    let waiting = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        )
        .fetch_one(&su)
        .await
        .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while waiting().await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the scan never waited"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let asked = std::time::Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), monitor)
        .await
        .expect("the monitor did not stop within 5 s")
        .unwrap();
    // Its query is gone from the server too, while the lock is still held.
    while waiting().await > 0 {
        assert!(
            asked.elapsed() < std::time::Duration::from_secs(5),
            "the scan's query still runs after the monitor stopped"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    blocker.rollback().await.unwrap();
}
