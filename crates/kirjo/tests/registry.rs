//! The registry through the API: name search that forgives case, accents and
//! typos but never shows a person the user may not see; turvakielto hiding
//! the address and contact data, and the reveal with a reason, logged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as as get, serve, sign_in};
use kirjo_testkit::{http_with, HttpResponse};
use std::net::SocketAddr;

fn names(r: &HttpResponse) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["first_names"].as_str().unwrap(),
                p["surname"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn name_search_forgives_case_accents_and_typos_but_not_access() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let children = ["Eetu Juhani Mäkinen", "Ella Maria Mäkinen"];
    for q in [
        "makinen",
        "Makkinen",
        "M%C3%84KINEN",
        "m%C3%A4ki",
        "m%C3%A4kkinen",
    ] {
        let r = get(addr, &sari, &format!("/api/clients?name={q}")).await;
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        let mut got = names(&r);
        got.sort();
        assert_eq!(got, children, "{q}");
    }
    // The parents (no relationship with Sari) and the deceased Mäkelä exist,
    // but she sees none of them.
    let all: i64 =
        sqlx::query_scalar("SELECT count(*) FROM person WHERE kirjo_fold(surname) LIKE 'mak%'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(all, 5);
    // Ranking: the better match first.
    let r = get(addr, &sari, "/api/clients?name=ella%20m%C3%A4kinen").await;
    assert_eq!(
        names(&r).first().map(String::as_str),
        Some("Ella Maria Mäkinen")
    );
    // By identity code, exactly; a malformed one is a clear error.
    let code: String =
        sqlx::query_scalar("SELECT identity_code FROM person WHERE first_names LIKE 'Eetu%'")
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    let r = get(addr, &sari, &format!("/api/clients?identity_code={code}")).await;
    assert_eq!(names(&r), ["Eetu Juhani Mäkinen"]);
    let r = get(addr, &sari, "/api/clients?identity_code=010101-900X").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("check character"), "{}", r.body);
    // Another area's worker finds nobody of them.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    assert!(names(&get(addr, &pekka, "/api/clients?name=makinen").await).is_empty());
    // Searching is a logged use, with its criteria.
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'search' AND data LIKE '%name=Makkinen%'",
    )
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn turvakielto_hides_contact_data_until_revealed_with_a_reason() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    // The child's mother has turvakielto and it covers her household.
    let r = get(addr, &sari, &format!("/api/clients/{eetu}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["person"]["protected"], true);
    assert!(v["person"]["contact"].is_null());
    assert!(
        !r.body.contains("Suojatie") && !r.body.contains("00990"),
        "{}",
        r.body
    );
    // The family is shown: the guardian and the parent without custody.
    let kinds: Vec<&str> = v["person"]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"guardian") && kinds.contains(&"parent_without_custody"),
        "{kinds:?}"
    );

    // Revealing needs a reason, and then it is logged with it.
    let path = format!("/api/clients/{eetu}/protected-contact");
    assert_eq!(get(addr, &sari, &path).await.status, 400);
    let r = get(
        addr,
        &sari,
        &format!("{path}?reason=kotik%C3%A4ynti%20sovittu"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Suojatie 1 A 2"), "{}", r.body);
    let purpose: String = sqlx::query_scalar(
        "SELECT purpose FROM use_log WHERE action = 'reveal_protected_address' AND client_id = $1 AND allowed",
    )
    .bind(eetu)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!(purpose, "kotikäynti sovittu");
    // A supervisor sees the card but may not reveal; the provider neither.
    for user in ["leena.esihenkilo", "tuomas.tukiperhe"] {
        let c = sign_in(addr, user).await;
        let card = get(addr, &c, &format!("/api/clients/{eetu}")).await;
        assert_eq!(card.status, 200);
        assert!(!card.body.contains("Suojatie"));
        assert_eq!(
            get(addr, &c, &format!("{path}?reason=x")).await.status,
            403,
            "{user}"
        );
    }
    // Someone without turvakielto shows their address as usual.
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let kalle: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Kalle%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let r = get(addr, &pekka, &format!("/api/clients/{kalle}")).await;
    assert!(
        r.body.contains("Rantapolku 3") && r.body.contains("\"protected\":false"),
        "{}",
        r.body
    );
}

async fn send(
    addr: SocketAddr,
    cookie: &str,
    method: &str,
    path: &str,
    body: &str,
) -> HttpResponse {
    // A change names the revision read just now (`If-Match`); one who may
    // not read is refused before the revision matters.
    let tag = if method == "PUT" {
        let read = path.split('?').next().unwrap_or(path);
        http_with(addr, "GET", read, &[("cookie", cookie)], None)
            .await
            .header("etag")
            .unwrap_or("\"1\"")
            .to_owned()
    } else {
        String::new()
    };
    let mut headers = vec![("cookie", cookie), ("content-type", "application/json")];
    if !tag.is_empty() {
        headers.push(("if-match", &tag));
    }
    http_with(addr, method, path, &headers, Some(body)).await
}

fn errors(r: &HttpResponse) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn adding_a_person_validates_every_field_in_the_users_language() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM person")
            .fetch_one(&db.runtime)
            .await
            .unwrap()
    };
    let before = count().await;
    let bad = r#"{"identity_code":"010101-900S","first_names":" ","surname":"Testinen",
                  "home_municipality":"999","phones":["12"],"emails":["ei-osoite"],
                  "citizenship":["Suomi"],"address":{"street":"Katu 1","postal_code":"123"}}"#;
    for (lang, required) in [
        ("fi", "Pakollinen tieto."),
        ("sv", "Obligatorisk uppgift."),
        ("en", "Required."),
    ] {
        let r = send(
            addr,
            &sari,
            "POST",
            &format!("/api/clients?lang={lang}"),
            bad,
        )
        .await;
        assert_eq!(r.status, 422, "{}", r.body);
        let e = errors(&r);
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "first_names",
                "identity_code",
                "home_municipality",
                "citizenship[0]",
                "phones[0]",
                "emails[0]",
                "address.postal_code"
            ],
            "{lang}"
        );
        assert_eq!(e[0].1, required);
        assert!(
            !r.body.contains("010101-900S"),
            "a message repeated the identity code"
        );
    }
    // The messages differ by language.
    let fi = errors(&send(addr, &sari, "POST", "/api/clients", bad).await);
    let sv = errors(
        &http_with(
            addr,
            "POST",
            "/api/clients",
            &[
                ("cookie", &sari),
                ("content-type", "application/json"),
                ("accept-language", "sv-FI,sv;q=0.9"),
            ],
            Some(bad),
        )
        .await,
    );
    assert!(fi.iter().zip(&sv).all(|(a, b)| a.1 != b.1), "{fi:?} {sv:?}");
    assert_eq!(count().await, before, "bad input changed something");

    // Without an identity code, a birth date is needed.
    let r = send(
        addr,
        &sari,
        "POST",
        "/api/clients?lang=en",
        r#"{"first_names":"Nimetön","surname":"Henkilö"}"#,
    )
    .await;
    assert_eq!(
        errors(&r),
        [("birth_date".to_owned(), "Required.".to_owned())]
    );

    // A good one; the identity code gives the birth date; data are normalised.
    let code = kirjo_domain::hetu::PersonalIdentityCode::from_parts(
        chrono::NaiveDate::from_ymd_opt(2015, 4, 9).unwrap(),
        kirjo_domain::hetu::CenturySign::A,
        931,
    )
    .unwrap();
    let good = format!(
        r#"{{"identity_code":"{}","first_names":"Aapo","surname":"Testinen","home_municipality":"091",
            "mother_tongue":"sv","phones":["040 123 4567"],"emails":["Aapo@Example.FI"],"citizenship":["fi"],
            "address":{{"street":"Uusi katu 2","postal_code":"00100","post_office":"Helsinki","municipality":"091"}}}}"#,
        code.as_str().to_lowercase()
    );
    let r = send(addr, &sari, "POST", "/api/clients", &good).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let (birth, phone, email, citizenship): (chrono::NaiveDate, String, String, Vec<String>) =
        sqlx::query_as(
            "SELECT p.birth_date,
                (SELECT value FROM person_contact c WHERE c.person_id = p.id AND kind = 'phone'),
                (SELECT value FROM person_contact c WHERE c.person_id = p.id AND kind = 'email'),
                p.citizenship
         FROM person p WHERE p.identity_code = $1",
        )
        .bind(code.as_str())
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    assert_eq!(birth.to_string(), "2015-04-09");
    assert_eq!(phone, "+358401234567");
    assert_eq!(email, "Aapo@example.fi");
    assert_eq!(citizenship, ["FI"]);
    // The same identity code again: a conflict, explained.
    let r = send(addr, &sari, "POST", "/api/clients", &good).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Rekisterissä on jo henkilö"), "{}", r.body);
    // Adding is an action of the gate: the administrator may not.
    let aino = sign_in(addr, "aino.paakayttaja").await;
    assert_eq!(
        send(addr, &aino, "POST", "/api/clients", &good)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn only_the_clients_worker_edits_basic_data_and_history_stays() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let kalle: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Kalle%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let body = r#"{"first_names":"Kalle Olavi","surname":"Virtanen","calling_name":"Olli",
                   "phones":["+358 50 000 9999"],"address":{"street":"Uusi osoite 5","postal_code":"00970","municipality":"091"}}"#;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    assert_eq!(
        send(addr, &sari, "PUT", &format!("/api/clients/{kalle}"), body)
            .await
            .status,
        403
    );
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let r = send(addr, &pekka, "PUT", &format!("/api/clients/{kalle}"), body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let card = http_with(
        addr,
        "GET",
        &format!("/api/clients/{kalle}"),
        &[("cookie", &pekka)],
        None,
    )
    .await;
    assert!(
        card.body.contains("Olli") && card.body.contains("+358500009999"),
        "{}",
        card.body
    );
    assert!(
        card.body.contains("Uusi osoite 5") && !card.body.contains("Rantapolku 3"),
        "{}",
        card.body
    );
    // The old phone and address are ended, not deleted.
    let (ended_contacts, ended_addresses): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM person_contact WHERE person_id = $1 AND ended_at IS NOT NULL),
                (SELECT count(*) FROM person_address WHERE person_id = $1 AND valid_until IS NOT NULL)",
    )
    .bind(kalle)
    .fetch_one(&db.runtime)
    .await
    .unwrap();
    assert_eq!((ended_contacts, ended_addresses), (2, 1));
    // The identity code is not edited here.
    let r = send(
        addr,
        &pekka,
        "PUT",
        &format!("/api/clients/{kalle}?lang=en"),
        r#"{"identity_code":"x","first_names":"K","surname":"V"}"#,
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("population register"), "{}", r.body);
}

#[tokio::test]
async fn sensitive_data_and_finances_are_kept_to_the_clients_team() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let eetu: i64 = sqlx::query_scalar("SELECT id FROM person WHERE first_names LIKE 'Eetu%'")
        .fetch_one(&db.runtime)
        .await
        .unwrap();
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let leena = sign_in(addr, "leena.esihenkilo").await;
    let tuomas = sign_in(addr, "tuomas.tukiperhe").await;

    // Sensitive data: recorded and read by the team only.
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/sensitive?lang=en"),
        r#"{"category":"gossip","content":""}"#,
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        errors(&r)
            .iter()
            .map(|(f, _)| f.as_str())
            .collect::<Vec<_>>(),
        ["category", "content"]
    );
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/sensitive"),
        r#"{"category":"health","content":"astma, lääkitys käytössä"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = get(addr, &sari, &format!("/api/clients/{eetu}/sensitive")).await;
    assert!(
        r.body.contains("astma") && r.body.contains("\"special_category\":true"),
        "{}",
        r.body
    );
    for other in [&leena, &tuomas] {
        assert_eq!(
            get(addr, other, &format!("/api/clients/{eetu}/sensitive"))
                .await
                .status,
            403
        );
        // ...although they may see the card.
        assert_eq!(
            get(addr, other, &format!("/api/clients/{eetu}"))
                .await
                .status,
            200
        );
        assert!(!get(addr, other, &format!("/api/clients/{eetu}"))
            .await
            .body
            .contains("astma"));
    }

    // Finances: an IBAN is checked, amounts are euros.
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/bank-accounts?lang=fi"),
        r#"{"iban":"FI21 1234 5600 0007 86"}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(errors(&r)[0].0, "iban");
    assert!(
        !r.body.contains("1234 5600"),
        "the message repeated the account number"
    );
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/bank-accounts"),
        r#"{"iban":"fi21 1234 5600 0007 85"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/incomes?lang=sv"),
        r#"{"kind":"wage","description":"","amount":"12,345"}"#,
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        errors(&r)
            .iter()
            .map(|(f, _)| f.as_str())
            .collect::<Vec<_>>(),
        ["kind", "description", "amount"]
    );
    assert!(r.body.contains("Välj inkomst"), "{}", r.body);
    let r = send(
        addr,
        &sari,
        "POST",
        &format!("/api/clients/{eetu}/incomes"),
        r#"{"kind":"income","description":"lapsilisä","amount":"1 234,50"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = get(addr, &sari, &format!("/api/clients/{eetu}/finances")).await;
    assert!(
        r.body.contains("FI2112345600000785") && r.body.contains("\"amount_cents\":123450"),
        "{}",
        r.body
    );
    assert_eq!(
        get(addr, &leena, &format!("/api/clients/{eetu}/finances"))
            .await
            .status,
        403
    );
    // Each read and write is in the client's log as its own data group.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT action FROM use_log WHERE client_id = $1 AND allowed ORDER BY action",
    )
    .bind(eetu)
    .fetch_all(&db.runtime)
    .await
    .unwrap();
    for a in [
        "edit_finances",
        "record_sensitive_data",
        "view_finances",
        "view_sensitive_data",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} not in {actions:?}");
    }
}

#[tokio::test]
async fn a_worker_records_relations_and_turvakielto_with_their_source() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings).await;
    let id = |first: &'static str| {
        let pool = db.runtime.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
                .bind(first)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (kalle, timo, eetu) = (id("Kalle").await, id("Timo").await, id("Eetu").await);
    let pekka = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    // Kalle names Timo his authorised person (valtuutettu). Pekka may not
    // see Timo: it is recorded, naming no one to him (issue 14, item 5).
    let r = send(addr, &pekka, "POST", &format!("/api/clients/{kalle}/relations"),
        &format!(r#"{{"kind":"authorised_person","related_id":{timo},"scope":"asiointi Kelassa","source":"client"}}"#)).await;
    assert_eq!(r.status, 202, "{}", r.body);
    let unseen = r.body;
    // Custody is of a child: Kalle is an adult.
    let r = send(
        addr,
        &pekka,
        "POST",
        &format!("/api/clients/{kalle}/relations?lang=en"),
        &format!(r#"{{"kind":"guardian","related_id":{timo}}}"#),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("child under 18"), "{}", r.body);
    let r = send(
        addr,
        &pekka,
        "POST",
        &format!("/api/clients/{kalle}/relations?lang=en"),
        r#"{"kind":"cousin","related_id":999999,"source":"rumour"}"#,
    )
    .await;
    assert_eq!(
        errors(&r)
            .iter()
            .map(|(f, _)| f.as_str())
            .collect::<Vec<_>>(),
        ["kind", "source"]
    );
    // An id no one has answers as one Pekka may not see: no oracle.
    let r = send(
        addr,
        &pekka,
        "POST",
        &format!("/api/clients/{kalle}/relations"),
        r#"{"kind":"next_of_kin","related_id":999999}"#,
    )
    .await;
    assert_eq!((r.status, r.body), (202, unseen));
    // Not for a client outside one's relationships.
    assert_eq!(
        send(
            addr,
            &pekka,
            "POST",
            &format!("/api/clients/{eetu}/relations"),
            &format!(r#"{{"kind":"contact_person","related_id":{timo}}}"#)
        )
        .await
        .status,
        403
    );
    let card = get(addr, &pekka, &format!("/api/clients/{kalle}")).await;
    assert!(
        card.body.contains("authorised_person") && card.body.contains("asiointi Kelassa"),
        "{}",
        card.body
    );
    assert!(card.body.contains("\"source\":\"client\""), "{}", card.body);
    assert!(!card.body.contains("Nieminen"), "{}", card.body);

    // A turvakielto told to the worker hides the address from then on.
    assert!(card.body.contains("Rantapolku 3"));
    let today = chrono::Utc::now().date_naive();
    let r = send(
        addr,
        &pekka,
        "POST",
        &format!("/api/clients/{kalle}/turvakielto"),
        &format!(r#"{{"valid_from":"{today}"}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let card = get(addr, &pekka, &format!("/api/clients/{kalle}")).await;
    assert!(
        card.body.contains("\"protected\":true") && !card.body.contains("Rantapolku"),
        "{}",
        card.body
    );
    let (source, by): (String, Option<i64>) =
        sqlx::query_as("SELECT source, recorded_by FROM turvakielto WHERE person_id = $1")
            .bind(kalle)
            .fetch_one(&db.runtime)
            .await
            .unwrap();
    assert_eq!(source, "worker");
    assert!(by.is_some());
}
