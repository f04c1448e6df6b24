//! The population register (VTJ) change import, against a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use kirjo_domain::hetu::{CenturySign, PersonalIdentityCode};
use kirjo_store::vtj::{apply_batch, parse_batch, ImportError, ImportReport, LineProblem};
use kirjo_store::PgPool;
use kirjo_testkit::TestDb;
use serde_json::{json, Value};

const REGISTER: &str = "sosiaalihuolto";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A temporary identity code (individual number 900–999).
fn code(birth: &str, n: u16) -> PersonalIdentityCode {
    assert!((900..=999).contains(&n));
    let d = date(birth);
    let sign = if d < date("2000-01-01") {
        CenturySign::Minus
    } else {
        CenturySign::A
    };
    PersonalIdentityCode::from_parts(d, sign, n).unwrap()
}

struct People {
    mother: PersonalIdentityCode,
    father: PersonalIdentityCode,
    partner: PersonalIdentityCode,
    child: PersonalIdentityCode,
    grandfather: PersonalIdentityCode,
}

fn people() -> People {
    People {
        mother: code("1985-04-12", 902),
        father: code("1983-07-21", 901),
        partner: code("1980-01-05", 905),
        child: code("2015-09-03", 904),
        grandfather: code("1940-02-02", 907),
    }
}

async fn db() -> TestDb {
    let db = TestDb::new().await;
    sqlx::query(
        "INSERT INTO register (id, name, retention_rule_set, authority_register)
         VALUES ('sosiaalihuolto', 'x', '703/2023', true)",
    )
    .execute(&db.owner)
    .await
    .unwrap();
    db
}

/// One change a line.
fn batch(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn change(
    id: &str,
    kind: &str,
    who: &PersonalIdentityCode,
    effective: &str,
    extra: Value,
) -> Value {
    let mut v = json!({
        "change_id": id,
        "type": kind,
        "identity_code": who.as_str(),
        "effective": effective,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn new_person(id: &str, who: &PersonalIdentityCode, first: &str, surname: &str) -> Value {
    change(
        id,
        "new_person",
        who,
        "2020-01-01",
        json!({
            "first_names": first,
            "surname": surname,
            "home_municipality": "091",
            "mother_tongue": "fi",
            "citizenship": ["FI"],
        }),
    )
}

/// A batch with every type of change.
fn good_batch(p: &People) -> String {
    let mut mother = new_person("vtj-1", &p.mother, "Maija Liisa", "Testinen");
    mother["calling_name"] = json!("Liisa");
    mother["address"] = json!({
        "street": "Vanhatie 1 A 1", "postal_code": "00100",
        "post_office": "HELSINKI", "municipality": "091",
    });
    let mut child = new_person("vtj-3", &p.child, "Ella", "Testinen");
    child["effective"] = json!("2015-09-03");
    child["address"] = json!({
        "street": "Vanhatie 1 A 1", "postal_code": "00100",
        "post_office": "HELSINKI", "municipality": "091",
    });
    batch(&[
        mother,
        new_person("vtj-2", &p.father, "Matti", "Isä"),
        child,
        new_person("vtj-4", &p.partner, "Pekka", "Puoliso"),
        new_person("vtj-5", &p.grandfather, "Aarne", "Vaari"),
        change(
            "vtj-6",
            "guardian_change",
            &p.child,
            "2015-09-10",
            json!({"guardians": [p.mother.as_str(), p.father.as_str()]}),
        ),
        change(
            "vtj-7",
            "name_change",
            &p.mother,
            "2021-06-01",
            json!({"first_names": "Maija", "surname": "Uusinen"}),
        ),
        change(
            "vtj-8",
            "address_change",
            &p.mother,
            "2022-03-01",
            json!({"address": {"street": "Uusitie 2", "postal_code": "40100",
                               "post_office": "JYVÄSKYLÄ", "municipality": "179"}}),
        ),
        change(
            "vtj-9",
            "address_change",
            &p.mother,
            "2022-05-01",
            json!({"address": {"street": "Mökkitie 3", "postal_code": "41500",
                               "post_office": "HANKASALMI", "municipality": "077",
                               "kind": "temporary"}}),
        ),
        change(
            "vtj-10",
            "home_municipality_change",
            &p.mother,
            "2022-03-01",
            json!({"home_municipality": "179"}),
        ),
        change(
            "vtj-11",
            "turvakielto_on",
            &p.mother,
            "2023-01-01",
            json!({"valid_until": "2027-12-31"}),
        ),
        change(
            "vtj-12",
            "turvakielto_off",
            &p.mother,
            "2024-06-30",
            json!({}),
        ),
        change(
            "vtj-13",
            "guardian_change",
            &p.child,
            "2024-01-01",
            json!({"guardians": [p.mother.as_str(), p.partner.as_str()]}),
        ),
        change(
            "vtj-14",
            "death",
            &p.grandfather,
            "2024-03-01",
            json!({"date_of_death": "2024-02-29"}),
        ),
    ])
}

/// Parses and applies, as `kirjo vtj import` does.
async fn import(pool: &PgPool, name: &str, text: &str) -> Result<ImportReport, Vec<LineProblem>> {
    let changes = parse_batch(text)?;
    match apply_batch(pool, REGISTER, name, &changes).await {
        Ok(r) => Ok(r),
        Err(ImportError::Rejected(p)) => Err(p),
        Err(e) => panic!("import failed: {e}"),
    }
}

/// Every row of every table of people's data, as text.
async fn dump(pool: &PgPool) -> String {
    let mut out = String::new();
    for (table, order) in [
        ("person", "id"),
        ("person_address", "id"),
        ("person_contact", "id"),
        ("turvakielto", "id"),
        ("person_relation", "id"),
        ("vtj_change", "change_id"),
    ] {
        let rows: String = sqlx::query_scalar(&format!(
            "SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY t.{order}), '') FROM {table} t"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push_str(&format!("-- {table}\n{rows}\n"));
    }
    out
}

async fn person_id(pool: &PgPool, who: &PersonalIdentityCode) -> i64 {
    sqlx::query_scalar("SELECT id FROM person WHERE identity_code = $1")
        .bind(who.as_str())
        .fetch_one(pool)
        .await
        .unwrap()
}

type Period = (Option<NaiveDate>, Option<NaiveDate>);
/// first_names, surname, calling_name, home_municipality, birth_date,
/// mother_tongue, citizenship, register_id, died_on.
type PersonRow = (
    String,
    String,
    Option<String>,
    String,
    NaiveDate,
    String,
    Vec<String>,
    String,
    Option<NaiveDate>,
);
/// kind, street, municipality, valid_from, valid_until, source.
type AddressRow = (
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    String,
);
/// related_id, kind, valid_from, valid_until, source.
type RelationRow = (i64, String, Option<NaiveDate>, Option<NaiveDate>, String);

fn period(from: &str, until: Option<&str>) -> Period {
    (Some(date(from)), until.map(date))
}

#[tokio::test]
async fn a_batch_of_every_type_applies() {
    let db = db().await;
    let p = people();
    let report = import(&db.owner, "muutokset-2024-07.jsonl", &good_batch(&p))
        .await
        .unwrap();
    assert_eq!((report.lines, report.applied, report.skipped), (14, 14, 0));
    assert_eq!(report.by_type["new_person"].applied, 5);
    assert_eq!(report.by_type["guardian_change"].applied, 2);
    assert_eq!(report.by_type["address_change"].applied, 2);
    for t in [
        "name_change",
        "home_municipality_change",
        "death",
        "turvakielto_on",
        "turvakielto_off",
    ] {
        assert_eq!(report.by_type[t].applied, 1, "{t}");
    }

    // The mother: new names (the calling name left with the first name),
    // home municipality, birth date from the code.
    let mother = person_id(&db.owner, &p.mother).await;
    let row: PersonRow = sqlx::query_as(
        "SELECT first_names, surname, calling_name, home_municipality, birth_date, mother_tongue,
                    citizenship, register_id, died_on
             FROM person WHERE id = $1",
    )
    .bind(mother)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "Maija".to_owned(),
            "Uusinen".to_owned(),
            None,
            "179".to_owned(),
            date("1985-04-12"),
            "fi".to_owned(),
            vec!["FI".to_owned()],
            REGISTER.to_owned(),
            None
        )
    );

    // Addresses: the old permanent one ends the day before the new one; the
    // temporary one is its own kind.
    let addresses: Vec<AddressRow> = sqlx::query_as(
        "SELECT kind, street, municipality, valid_from, valid_until, source
             FROM person_address WHERE person_id = $1 ORDER BY id",
    )
    .bind(mother)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    let expected = [
        (
            "permanent",
            "Vanhatie 1 A 1",
            "091",
            period("2020-01-01", Some("2022-02-28")),
        ),
        ("permanent", "Uusitie 2", "179", period("2022-03-01", None)),
        ("temporary", "Mökkitie 3", "077", period("2022-05-01", None)),
    ];
    assert_eq!(addresses.len(), expected.len());
    for (got, (kind, street, municipality, (from, until))) in addresses.iter().zip(expected) {
        assert_eq!(
            got,
            &(
                kind.to_owned(),
                street.to_owned(),
                municipality.to_owned(),
                from,
                until,
                "vtj".to_owned()
            )
        );
    }

    // Turvakielto: on, then off on the day given.
    let turvakielto: Vec<(NaiveDate, Option<NaiveDate>, String)> = sqlx::query_as(
        "SELECT valid_from, valid_until, source FROM turvakielto WHERE person_id = $1 ORDER BY id",
    )
    .bind(mother)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(
        turvakielto,
        [(
            date("2023-01-01"),
            Some(date("2024-06-30")),
            "vtj".to_owned()
        )]
    );

    // Guardians: the father's custody ended the day before the new set; the
    // mother's goes on unbroken; the partner's starts.
    let child = person_id(&db.owner, &p.child).await;
    let relations: Vec<RelationRow> = sqlx::query_as(
        "SELECT related_id, kind, valid_from, valid_until, source
         FROM person_relation WHERE person_id = $1 ORDER BY id",
    )
    .bind(child)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    let father = person_id(&db.owner, &p.father).await;
    let partner = person_id(&db.owner, &p.partner).await;
    let g =
        |id: i64, (from, until): Period| (id, "guardian".to_owned(), from, until, "vtj".to_owned());
    assert_eq!(
        relations,
        [
            g(mother, period("2015-09-10", None)),
            g(father, period("2015-09-10", Some("2023-12-31"))),
            g(partner, period("2024-01-01", None)),
        ]
    );
    let child_address: Option<NaiveDate> = sqlx::query_scalar(
        "SELECT valid_from FROM person_address WHERE person_id = $1 AND kind = 'permanent'",
    )
    .bind(child)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(child_address, Some(date("2015-09-03")));

    // Death.
    let died: Option<NaiveDate> =
        sqlx::query_scalar("SELECT died_on FROM person WHERE identity_code = $1")
            .bind(p.grandfather.as_str())
            .fetch_one(&db.owner)
            .await
            .unwrap();
    assert_eq!(died, Some(date("2024-02-29")));

    // Every change is recorded once, with its batch and line.
    let recorded: Vec<(String, String, Option<i64>, String, i32)> = sqlx::query_as(
        "SELECT change_id, kind, person_id, batch_file, line FROM vtj_change ORDER BY line",
    )
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(recorded.len(), 14);
    for (i, (id, _, _, file, line)) in recorded.iter().enumerate() {
        assert_eq!(id, &format!("vtj-{}", i + 1));
        assert_eq!(file, "muutokset-2024-07.jsonl");
        assert_eq!(*line, i as i32 + 1);
    }
    assert_eq!(
        (recorded[5].1.as_str(), recorded[5].2),
        ("guardian_change", Some(child))
    );
    assert_eq!(
        (recorded[13].1.as_str(), recorded[13].2),
        ("death", Some(person_id(&db.owner, &p.grandfather).await))
    );
}

#[tokio::test]
async fn the_same_batch_twice_changes_nothing() {
    let db = db().await;
    let p = people();
    let text = good_batch(&p);
    import(&db.owner, "a.jsonl", &text).await.unwrap();
    let before = dump(&db.owner).await;
    let again = import(&db.owner, "a-again.jsonl", &text).await.unwrap();
    assert_eq!((again.lines, again.applied, again.skipped), (14, 0, 14));
    assert!(again.by_type.values().all(|c| c.applied == 0));
    assert_eq!(again.by_type["new_person"].skipped, 5);
    assert_eq!(dump(&db.owner).await, before);

    // A later batch that repeats some changes applies only the new ones.
    let mut more = text
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    more.push_str(&batch(&[change(
        "vtj-15",
        "home_municipality_change",
        &p.child,
        "2024-08-01",
        json!({"home_municipality": "179"}),
    )]));
    let r = import(&db.owner, "b.jsonl", &more).await.unwrap();
    assert_eq!((r.lines, r.applied, r.skipped), (4, 1, 3));
    let line: i32 = sqlx::query_scalar("SELECT line FROM vtj_change WHERE change_id = 'vtj-15'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(line, 4);
}

#[tokio::test]
async fn one_bad_line_applies_nothing_and_names_the_line() {
    let db = db().await;
    let p = people();
    let before = dump(&db.owner).await;
    let mut lines: Vec<String> = good_batch(&p).lines().map(str::to_owned).collect();
    lines[9] = lines[9].replace("2022-03-01", "2022-02-30");
    let problems = import(&db.owner, "bad.jsonl", &(lines.join("\n") + "\n"))
        .await
        .unwrap_err();
    assert_eq!(
        problems,
        [LineProblem {
            line: 10,
            reason: "`effective`: invalid date: must be a real date written YYYY-MM-DD".to_owned()
        }]
    );
    assert_eq!(dump(&db.owner).await, before);
}

#[tokio::test]
async fn one_inconsistent_line_applies_nothing_and_names_the_line() {
    let db = db().await;
    let p = people();
    let before = dump(&db.owner).await;
    // Everything is fine but line 12: the turvakielto is already off.
    let mut text = good_batch(&p);
    text = text.replace("\"2024-06-30\"", "\"2022-06-30\"");
    let problems = import(&db.owner, "inconsistent.jsonl", &text)
        .await
        .unwrap_err();
    assert_eq!(
        problems,
        [LineProblem {
            line: 12,
            reason: "turvakielto_off: the person has no turvakielto in force on `effective`"
                .to_owned()
        }]
    );
    // Not even the new persons of the lines before it were kept.
    assert_eq!(dump(&db.owner).await, before);
}

#[tokio::test]
async fn every_bad_line_is_reported() {
    let db = db().await;
    let p = people();
    let m = p.mother.as_str();
    let text = format!(
        r#"{{"change_id":"1","type":"new_person","identity_code":"{m}","effective":"2024-01-01","first_names":"Maija","surname":"T","home_municipality":"91","mother_tongue":"fi","citizenship":["FI"]}}
this is not JSON
{{"change_id":"3","type":"death","identity_code":"{m}","effective":"2024-01-01","date_of_death":"2024-01-01","cause":"x"}}
{{"change_id":"4","type":"name_change","identity_code":"{bad}","effective":"2024-01-01","surname":"U"}}
{{"change_id":"5","type":"promotion","identity_code":"{m}","effective":"2024-01-01"}}
{{"change_id":"3","type":"turvakielto_on","identity_code":"{m}","effective":"2024-01-01"}}
{{"change_id":"7","type":"turvakielto_on","identity_code":"{m}","effective":"2024-01-01"}}
"#,
        bad = &m[..10]
    );
    let before = dump(&db.owner).await;
    let problems = import(&db.owner, "many.jsonl", &text).await.unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6], "{problems:?}");
    assert_eq!(
        problems[0].reason,
        "`home_municipality`: invalid municipality code: must be 3 digits"
    );
    assert!(problems[1].reason.starts_with("malformed JSON"));
    assert!(problems[2].reason.starts_with("unknown field `cause`"));
    assert_eq!(
        problems[3].reason,
        "`identity_code`: invalid identity code: must be 11 characters, found 10"
    );
    assert!(problems[4].reason.starts_with("unknown type `promotion`"));
    assert_eq!(problems[5].reason, "`change_id` is the same as on line 3");
    for problem in &problems {
        assert!(!problem.to_string().contains(&m[..6]), "{problem}");
    }
    assert_eq!(dump(&db.owner).await, before);
}

#[tokio::test]
async fn every_inconsistent_line_is_reported() {
    let db = db().await;
    let p = people();
    import(
        &db.owner,
        "first.jsonl",
        &batch(&[new_person("a-1", &p.mother, "Maija", "Testinen")]),
    )
    .await
    .unwrap();
    let before = dump(&db.owner).await;
    let stranger = code("1990-10-10", 990);
    let text = batch(&[
        // The mother exists already, made by another change.
        new_person("b-1", &p.mother, "Maija", "Testinen"),
        // Nobody has the child's code yet.
        change(
            "b-2",
            "name_change",
            &p.child,
            "2024-01-01",
            json!({"surname": "X"}),
        ),
        new_person("b-3", &p.child, "Ella", "Testinen"),
        // Now the child exists; the stranger is no known person.
        change(
            "b-4",
            "guardian_change",
            &p.child,
            "2024-01-01",
            json!({"guardians": [p.mother.as_str(), stranger.as_str()]}),
        ),
        change("b-5", "turvakielto_off", &p.mother, "2024-01-01", json!({})),
        change(
            "b-6",
            "death",
            &stranger,
            "2024-01-01",
            json!({"date_of_death": "2024-01-01"}),
        ),
    ]);
    let problems = import(&db.owner, "second.jsonl", &text).await.unwrap_err();
    let got: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "new_person: a person with this identity code already exists"),
            (2, "name_change: no person with this identity code (not in the register, not created earlier in the batch)"),
            (4, "guardian_change: guardian 2 of 2 is not a known person (not in the register, not created earlier in the batch)"),
            (5, "turvakielto_off: the person has no turvakielto in force on `effective`"),
            (6, "death: no person with this identity code (not in the register, not created earlier in the batch)"),
        ]
    );
    assert_eq!(dump(&db.owner).await, before);

    // A death before birth is found from the code itself.
    let early = batch(&[change(
        "c-1",
        "death",
        &p.mother,
        "2024-01-01",
        json!({"date_of_death": "1985-04-11"}),
    )]);
    let problems = import(&db.owner, "third.jsonl", &early).await.unwrap_err();
    assert_eq!(
        problems,
        [LineProblem {
            line: 1,
            reason: "`date_of_death` is before the birth date of the identity code".to_owned()
        }]
    );
}

#[tokio::test]
async fn an_address_change_cannot_end_an_address_that_starts_later() {
    let db = db().await;
    let p = people();
    let mut mother = new_person("a-1", &p.mother, "Maija", "Testinen");
    mother["address"] = json!({"street": "Tie 1", "postal_code": "00100",
                               "post_office": "HELSINKI", "municipality": "091"});
    import(&db.owner, "first.jsonl", &batch(&[mother]))
        .await
        .unwrap();
    let text = batch(&[change(
        "a-2",
        "address_change",
        &p.mother,
        "2019-12-31",
        json!({"address": {"street": "Tie 2", "postal_code": "00100",
                           "post_office": "HELSINKI", "municipality": "091"}}),
    )]);
    let problems = import(&db.owner, "second.jsonl", &text).await.unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 1);
    assert!(problems[0]
        .reason
        .starts_with("address_change: the person's permanent address from 2020-01-01"));
}

#[tokio::test]
async fn a_renewed_turvakielto_replaces_the_one_in_force() {
    let db = db().await;
    let p = people();
    let text = batch(&[
        new_person("a-1", &p.mother, "Maija", "Testinen"),
        change(
            "a-2",
            "turvakielto_on",
            &p.mother,
            "2021-01-01",
            json!({"valid_until": "2025-12-31"}),
        ),
        change("a-3", "turvakielto_on", &p.mother, "2025-06-01", json!({})),
    ]);
    import(&db.owner, "a.jsonl", &text).await.unwrap();
    let rows: Vec<(NaiveDate, Option<NaiveDate>)> =
        sqlx::query_as("SELECT valid_from, valid_until FROM turvakielto ORDER BY id")
            .fetch_all(&db.owner)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            (date("2021-01-01"), Some(date("2025-05-31"))),
            (date("2025-06-01"), None)
        ]
    );
}

#[tokio::test]
async fn an_unknown_register_is_an_error() {
    let db = db().await;
    let p = people();
    let changes = parse_batch(&batch(&[new_person("a-1", &p.mother, "Maija", "T")])).unwrap();
    let err = apply_batch(&db.owner, "nosuch", "a.jsonl", &changes)
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::UnknownRegister(_)), "{err}");
}
