//! Security keys and passkeys (WebAuthn) as a second factor, over real HTTP
//! against a real PostgreSQL with the demo organisation. A software
//! authenticator (P-256 keys made with `ring`) answers as a security key
//! would; each of the verifier's refusals is tried, and each must count as
//! a failure and leave its row in the use log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ciborium::value::Value;
use common::{demo_db, hidden, password_step, post_json, serve_with};
use kirjo_access::Role;
use kirjo_testkit::TestDb;
use kirjo_web::account::webauthn::b64;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

const RP_ID: &str = "localhost";
const ORIGIN: &str = "http://localhost:8080";

fn sessions(roles: Vec<Role>) -> kirjo_web::SessionSettings {
    kirjo_web::SessionSettings {
        second_factor_roles: roles,
        failure_delay_ms: 1,
        ..Default::default()
    }
}

async fn serve(
    db: &TestDb,
    settings: kirjo_store::gate::GateSettings,
    roles: Vec<Role>,
) -> SocketAddr {
    serve_with(
        db,
        settings,
        sessions(roles),
        kirjo_web::UiSettings::default(),
    )
    .await
}

/// Serves with room for many failures, to try one refusal after another.
async fn serve_lenient(db: &TestDb, settings: kirjo_store::gate::GateSettings) -> SocketAddr {
    let s = kirjo_web::SessionSettings {
        max_account_failures: 1000,
        max_source_failures: 1000,
        ..sessions(vec![])
    };
    serve_with(db, settings, s, kirjo_web::UiSettings::default()).await
}

/// A security key in software: one P-256 credential and its counter.
struct SoftKey {
    pair: EcdsaKeyPair,
    id: Vec<u8>,
    counter: u32,
}

impl SoftKey {
    fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let mut id = vec![0u8; 32];
        ring::rand::SecureRandom::fill(&rng, &mut id).unwrap();
        Self {
            pair,
            id,
            counter: 0,
        }
    }

    fn cose(&self) -> Vec<u8> {
        let point = self.pair.public_key().as_ref();
        let mut out = Vec::new();
        ciborium::ser::into_writer(
            &Value::Map(vec![
                (Value::from(1), Value::from(2)),
                (Value::from(3), Value::from(-7)),
                (Value::from(-1), Value::from(1)),
                (Value::from(-2), Value::Bytes(point[1..33].to_vec())),
                (Value::from(-3), Value::Bytes(point[33..].to_vec())),
            ]),
            &mut out,
        )
        .unwrap();
        out
    }

    fn auth_data(&self, rp_id: &str, flags: u8, counter: u32, attested: bool) -> Vec<u8> {
        let mut d = Sha256::digest(rp_id.as_bytes()).to_vec();
        d.push(flags);
        d.extend_from_slice(&counter.to_be_bytes());
        if attested {
            d.extend_from_slice(&[0u8; 16]);
            d.extend_from_slice(&(self.id.len() as u16).to_be_bytes());
            d.extend_from_slice(&self.id);
            d.extend_from_slice(&self.cose());
        }
        d
    }

    /// The JSON `register/finish` takes, for the challenge of `options`.
    fn registration(&self, options: &Json, origin: &str, rp_id: &str) -> Json {
        let client = client_json(
            "webauthn.create",
            options["challenge"].as_str().unwrap(),
            origin,
        );
        let mut att = Vec::new();
        ciborium::ser::into_writer(
            &Value::Map(vec![
                (Value::from("fmt"), Value::from("none")),
                (Value::from("attStmt"), Value::Map(vec![])),
                (
                    Value::from("authData"),
                    Value::Bytes(self.auth_data(rp_id, 0x45, 0, true)),
                ),
            ]),
            &mut att,
        )
        .unwrap();
        json!({
            "name": "Keltainen avain",
            "id": b64(&self.id),
            "client_data_json": b64(client.as_bytes()),
            "attestation_object": b64(&att),
        })
    }

    /// An assertion over `challenge` (base64url), with the next counter.
    fn assert(&mut self, challenge: &str) -> Json {
        self.counter += 1;
        let counter = self.counter;
        self.assert_with(challenge, ORIGIN, RP_ID, counter)
    }

    fn assert_with(&self, challenge: &str, origin: &str, rp_id: &str, counter: u32) -> Json {
        let client = client_json("webauthn.get", challenge, origin);
        let data = self.auth_data(rp_id, 0x05, counter, false);
        let mut signed = data.clone();
        signed.extend_from_slice(&Sha256::digest(client.as_bytes()));
        let sig = self.pair.sign(&SystemRandom::new(), &signed).unwrap();
        json!({
            "id": b64(&self.id),
            "client_data_json": b64(client.as_bytes()),
            "authenticator_data": b64(&data),
            "signature": b64(sig.as_ref()),
            "user_handle": null,
        })
    }
}

fn client_json(kind: &str, challenge: &str, origin: &str) -> String {
    format!(
        r#"{{"type":"{kind}","challenge":"{challenge}","origin":"{origin}","crossOrigin":false}}"#
    )
}

fn random_challenge() -> String {
    let mut c = [0u8; 32];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut c).unwrap();
    b64(&c)
}

async fn post(
    addr: SocketAddr,
    cookie: &str,
    path: &str,
    body: &Json,
) -> kirjo_testkit::HttpResponse {
    post_json(addr, cookie, path, &body.to_string()).await
}

/// Signs in with the password (a user without a second factor): the cookie.
async fn signed_in(addr: SocketAddr, username: &str) -> String {
    let (status, cookie, answer) = password_step(addr, username).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["next"], Json::Null, "{answer}");
    cookie
}

/// Registers `key` for the user of `cookie` (signed in just now).
async fn register(addr: SocketAddr, cookie: &str, key: &SoftKey) -> i64 {
    let begun = post(addr, cookie, "/api/me/webauthn/register/begin", &json!({})).await;
    assert_eq!(begun.status, 200, "{}", begun.body);
    let options: Json = serde_json::from_str(&begun.body).unwrap();
    assert_eq!(options["rp"]["id"], RP_ID);
    assert_eq!(options["attestation"], "none");
    let done = post(
        addr,
        cookie,
        "/api/me/webauthn/register/finish",
        &key.registration(&options, ORIGIN, RP_ID),
    )
    .await;
    assert_eq!(done.status, 201, "{}", done.body);
    serde_json::from_str::<Json>(&done.body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The password step of a user with a key: the cookie, at the second factor.
async fn at_second_factor(addr: SocketAddr, username: &str) -> String {
    let (status, cookie, answer) = password_step(addr, username).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["next"], "second_factor", "{answer}");
    cookie
}

/// A challenge for the session's assertion.
async fn begin(addr: SocketAddr, cookie: &str) -> String {
    let r = post(addr, cookie, "/api/session/webauthn/begin", &json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let options: Json = serde_json::from_str(&r.body).unwrap();
    assert_eq!(options["rpId"], RP_ID);
    options["challenge"].as_str().unwrap().to_owned()
}

async fn finish(addr: SocketAddr, cookie: &str, answer: &Json) -> u16 {
    post(addr, cookie, "/api/session/webauthn/finish", answer)
        .await
        .status
}

async fn me(addr: SocketAddr, cookie: &str) -> u16 {
    common::get_as(addr, cookie, "/api/me").await.status
}

/// The use log's rows of `action` for the demo user, newest last.
async fn events(db: &TestDb, action: &str) -> Vec<(bool, String)> {
    sqlx::query_as("SELECT allowed, explanation FROM use_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&db.owner)
        .await
        .unwrap()
}

async fn last_event(db: &TestDb, action: &str) -> (bool, String) {
    events(db, action).await.pop().unwrap()
}

const USER: &str = "pekka.sosiaaliohjaaja";
const OTHER: &str = "sari.sosiaalityontekija";

#[tokio::test]
async fn a_registered_key_signs_in_instead_of_the_code_and_is_logged() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings, vec![]).await;
    let cookie = signed_in(addr, USER).await;
    let mut key = SoftKey::new();
    let id = register(addr, &cookie, &key).await;
    let (ok, why) = last_event(&db, "webauthn_registration").await;
    assert!(
        ok && why.contains(&format!("security key #{id} registered")),
        "{why}"
    );
    let list = common::get_as(addr, &cookie, "/api/me/webauthn/credentials").await;
    assert!(list.body.contains("Keltainen avain"), "{}", list.body);

    // With a key, the password alone no longer signs in.
    let cookie = at_second_factor(addr, USER).await;
    assert_eq!(me(addr, &cookie).await, 401);
    let challenge = begin(addr, &cookie).await;
    assert_eq!(finish(addr, &cookie, &key.assert(&challenge)).await, 204);
    assert_eq!(me(addr, &cookie).await, 200);
    let (ok, why) = last_event(&db, "second_factor").await;
    assert!(ok, "{why}");
    assert_eq!(
        why,
        format!("signed in with password and security key #{id} (user verified: yes)")
    );
    let (count, verified): (i64, Option<bool>) = sqlx::query_as(
        "SELECT sign_count, last_user_verified FROM staff_webauthn_credential WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!((count, verified), (1, Some(true)));

    // The step-up with the password takes the key too.
    let challenge = begin(addr, &cookie).await;
    let body =
        json!({ "password": kirjo::demo::DEMO_PASSWORD, "assertion": key.assert(&challenge) });
    let r = post(addr, &cookie, "/api/session/reauth", &body).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let (ok, why) = last_event(&db, "second_factor_step_up").await;
    assert!(ok && why.contains(&format!("security key #{id}")), "{why}");
}

/// Each refusal of the verifier, at the second-factor step: 401, the
/// session still waiting, the reason in the use log.
#[tokio::test]
async fn the_verifier_refuses_what_is_not_a_fresh_signature_of_the_users_own_key() {
    let (db, settings) = demo_db().await;
    let addr = serve_lenient(&db, settings).await;
    let mut key = SoftKey::new();
    register(addr, &signed_in(addr, USER).await, &key).await;
    let theirs = SoftKey::new();
    register(addr, &signed_in(addr, OTHER).await, &theirs).await;

    let refused = |expected: &'static str| {
        let db = &db;
        async move {
            let (ok, why) = last_event(db, "second_factor").await;
            assert!(!ok, "{why}");
            assert!(why.contains(expected), "wanted {expected}: {why}");
        }
    };

    // A wrong challenge: one never issued.
    let cookie = at_second_factor(addr, USER).await;
    begin(addr, &cookie).await;
    assert_eq!(
        finish(addr, &cookie, &key.assert(&random_challenge())).await,
        401
    );
    refused("wrong, used or expired challenge").await;
    assert_eq!(me(addr, &cookie).await, 401);

    // A challenge is good once, even when its first use failed.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    let mut bad = key.assert(&challenge);
    bad["signature"] = json!(b64(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]));
    assert_eq!(finish(addr, &cookie, &bad).await, 401);
    refused("signature does not verify").await;
    assert_eq!(finish(addr, &cookie, &key.assert(&challenge)).await, 401);
    refused("wrong, used or expired challenge").await;

    // Another session's challenge.
    let mine = at_second_factor(addr, USER).await;
    let other = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &other).await;
    assert_eq!(finish(addr, &mine, &key.assert(&challenge)).await, 401);
    refused("wrong, used or expired challenge").await;

    // A wrong origin.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    key.counter += 1;
    let answer = key.assert_with(&challenge, "http://evil.example:8080", RP_ID, key.counter);
    assert_eq!(finish(addr, &cookie, &answer).await, 401);
    refused("wrong origin").await;

    // A wrong relying party.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    key.counter += 1;
    let answer = key.assert_with(&challenge, ORIGIN, "evil.example", key.counter);
    assert_eq!(finish(addr, &cookie, &answer).await, 401);
    refused("wrong relying party").await;

    // A signature over other client data (the signature of another challenge).
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    let mut answer = key.assert(&challenge);
    let other_signature = key.assert(&random_challenge())["signature"].clone();
    answer["signature"] = other_signature;
    assert_eq!(finish(addr, &cookie, &answer).await, 401);
    refused("signature does not verify").await;

    // An unknown credential.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    let stranger = SoftKey::new();
    assert_eq!(
        finish(
            addr,
            &cookie,
            &stranger.assert_with(&challenge, ORIGIN, RP_ID, 1)
        )
        .await,
        401
    );
    refused("unknown credential").await;

    // Another user's credential, signing this session's challenge.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    assert_eq!(
        finish(
            addr,
            &cookie,
            &theirs.assert_with(&challenge, ORIGIN, RP_ID, 1)
        )
        .await,
        401
    );
    refused("the credential is another user's").await;

    // A challenge superseded by a newer one of the same session.
    let cookie = at_second_factor(addr, USER).await;
    let first = begin(addr, &cookie).await;
    begin(addr, &cookie).await;
    assert_eq!(finish(addr, &cookie, &key.assert(&first)).await, 401);
    refused("wrong, used or expired challenge").await;

    // The user's own key, claiming another user's handle.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    let mut answer = key.assert(&challenge);
    let handle: Vec<u8> =
        sqlx::query_scalar("SELECT webauthn_user_handle FROM staff_user WHERE username = $1")
            .bind(OTHER)
            .fetch_one(&db.owner)
            .await
            .unwrap();
    answer["user_handle"] = json!(b64(&handle));
    assert_eq!(finish(addr, &cookie, &answer).await, 401);
    refused("the credential is another user's").await;

    // The right answer still works: none of the above was taken.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    assert_eq!(finish(addr, &cookie, &key.assert(&challenge)).await, 204);
    assert_eq!(me(addr, &cookie).await, 200);
}

#[tokio::test]
async fn a_counter_that_goes_back_is_refused_as_a_possible_clone() {
    let (db, settings) = demo_db().await;
    let addr = serve_lenient(&db, settings).await;
    let mut key = SoftKey::new();
    register(addr, &signed_in(addr, USER).await, &key).await;
    key.counter = 9;
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    assert_eq!(finish(addr, &cookie, &key.assert(&challenge)).await, 204);
    // A copy of the key, behind the original.
    let cookie = at_second_factor(addr, USER).await;
    let challenge = begin(addr, &cookie).await;
    assert_eq!(
        finish(
            addr,
            &cookie,
            &key.assert_with(&challenge, ORIGIN, RP_ID, 4)
        )
        .await,
        401
    );
    let (ok, why) = last_event(&db, "second_factor").await;
    assert!(!ok);
    assert!(
        why.contains("stored 10, given 4") && why.contains("possible cloned key"),
        "{why}"
    );
    // The same counter again is no better.
    let challenge = begin(addr, &cookie).await;
    assert_eq!(
        finish(
            addr,
            &cookie,
            &key.assert_with(&challenge, ORIGIN, RP_ID, 10)
        )
        .await,
        401
    );
    let stored: i64 = sqlx::query_scalar("SELECT sign_count FROM staff_webauthn_credential")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(stored, 10);
}

/// Refusals count like wrong codes: against the session (too many end it)
/// and against the account name (the sign-in is locked).
#[tokio::test]
async fn refused_keys_count_like_wrong_codes_and_lock_the_account() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings, vec![]).await;
    let key = SoftKey::new();
    register(addr, &signed_in(addr, USER).await, &key).await;
    let cookie = at_second_factor(addr, USER).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let challenge = begin(addr, &cookie).await;
        let answer = key.assert_with(&challenge, "http://evil.example", RP_ID, 100);
        statuses.push(finish(addr, &cookie, &answer).await);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429]);
    let (ok, why) = last_event(&db, "second_factor").await;
    assert!(!ok && why.contains("the session ended"), "{why}");
    // The name is locked: even the right password and key get nowhere.
    let (status, _, _) = password_step(addr, USER).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn registration_refuses_another_origin_or_relying_party_and_needs_a_fresh_password() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings, vec![]).await;
    let cookie = signed_in(addr, USER).await;
    let key = SoftKey::new();
    for (origin, rp) in [("https://evil.example", RP_ID), (ORIGIN, "evil.example")] {
        let begun = post(addr, &cookie, "/api/me/webauthn/register/begin", &json!({})).await;
        let options: Json = serde_json::from_str(&begun.body).unwrap();
        let r = post(
            addr,
            &cookie,
            "/api/me/webauthn/register/finish",
            &key.registration(&options, origin, rp),
        )
        .await;
        assert_eq!(r.status, 400, "{}", r.body);
        let (ok, why) = last_event(&db, "webauthn_registration").await;
        assert!(
            !ok && why.starts_with("denied: registration refused"),
            "{why}"
        );
    }
    // A key needs a name.
    let begun = post(addr, &cookie, "/api/me/webauthn/register/begin", &json!({})).await;
    let options: Json = serde_json::from_str(&begun.body).unwrap();
    let mut body = key.registration(&options, ORIGIN, RP_ID);
    body["name"] = json!("   ");
    let r = post(addr, &cookie, "/api/me/webauthn/register/finish", &body).await;
    assert_eq!(r.status, 422, "{}", r.body);
    // An hour later the password must be given again.
    sqlx::query("UPDATE staff_session SET authenticated_at = now() - interval '1 hour'")
        .execute(&db.owner)
        .await
        .unwrap();
    let r = post(addr, &cookie, "/api/me/webauthn/register/begin", &json!({})).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_webauthn_credential")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_last_key_of_a_role_that_requires_a_second_factor_stays() {
    let (db, settings) = demo_db().await;
    // Registered while the role did not require a second factor ...
    let open = serve(&db, settings.clone(), vec![]).await;
    let mut first = SoftKey::new();
    let first_id = register(open, &signed_in(open, USER).await, &first).await;
    // ... and now it does.
    let strict = serve(&db, settings, Role::ALL.to_vec()).await;
    let cookie = at_second_factor(strict, USER).await;
    let challenge = begin(strict, &cookie).await;
    assert_eq!(
        finish(strict, &cookie, &first.assert(&challenge)).await,
        204
    );
    let path = format!("/api/me/webauthn/credentials/{first_id}");
    let r = kirjo_testkit::http_with(strict, "DELETE", &path, &[("cookie", &cookie)], None).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let (ok, why) = last_event(&db, "webauthn_removal").await;
    assert!(!ok && why.contains("last second factor"), "{why}");
    // With a second key, the first may go.
    let second = SoftKey::new();
    register(strict, &cookie, &second).await;
    let r = kirjo_testkit::http_with(strict, "DELETE", &path, &[("cookie", &cookie)], None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        last_event(&db, "webauthn_removal").await,
        (true, format!("security key #{first_id} removed"))
    );
    // Nobody removes another user's key.
    let theirs = SoftKey::new();
    let their_id = register(open, &signed_in(open, OTHER).await, &theirs).await;
    let path = format!("/api/me/webauthn/credentials/{their_id}");
    let r = kirjo_testkit::http_with(strict, "DELETE", &path, &[("cookie", &cookie)], None).await;
    assert_eq!(r.status, 404, "{}", r.body);
}

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// The pages take a key where they take a code: the second-factor step
/// and a form resumed after the session ended, which is then sent.
#[tokio::test]
async fn the_pages_take_a_key_at_the_second_factor_and_when_a_form_is_resumed() {
    let (db, settings) = demo_db().await;
    let addr = serve(&db, settings, vec![]).await;
    let mut key = SoftKey::new();
    register(addr, &signed_in(addr, OTHER).await, &key).await;

    // The second-factor page offers the key (with the script) besides the code.
    let (session, token) = common::page_session(addr, OTHER).await;
    let page = common::get_as(addr, &session, "/sign-in/second-factor").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(r#"data-webauthn="get""#),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(r#"<script src="/static/webauthn.js" defer></script>"#));
    assert!(page.body.contains(r#"id="code""#), "the code field stays");
    let session_cookie = session.split("; ").next().unwrap().to_owned();
    // A refused key: the page says so, 401.
    let challenge = begin(addr, &session_cookie).await;
    let bad = key
        .assert_with(&challenge, "http://evil.example", RP_ID, 50)
        .to_string();
    let r = common::post_form(
        addr,
        "/sign-in/second-factor",
        &session,
        &form(&[("csrf", &token), ("code", ""), ("assertion", &bad)]),
        &[],
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("ei hyväksytty"), "{}", r.body);
    let challenge = begin(addr, &session_cookie).await;
    let good = key.assert(&challenge).to_string();
    let r = common::post_form(
        addr,
        "/sign-in/second-factor",
        &session,
        &form(&[("csrf", &token), ("code", ""), ("assertion", &good)]),
        &[],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/"));
    assert_eq!(me(addr, &session_cookie).await, 200);

    // A form posted after the session ended: the password, then the key.
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let (_, csrf_cookie) = common::form_token(addr, None, "/sign-in").await;
    let ended = format!("{csrf_cookie}; kirjo_session=ended0000");
    let (token, _) = common::form_token(addr, Some(&ended), "/sign-in").await;
    let today = kirjo_domain::calendar::helsinki_today().to_string();
    let entry = form(&[
        ("csrf", &token),
        ("kind", "narrative"),
        ("service_task", "lastensuojelu"),
        ("entry", "meeting_or_contact"),
        ("date", &today),
        ("text", "Kotikäynti avaimen kanssa."),
    ]);
    let path = format!("/clients/{eetu}/documents/new");
    let r = common::post_form(addr, &path, &ended, &entry, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let posted = hidden(&r.body, "posted");
    let step = |extra: Vec<(&'static str, String)>, cookies: String, token: String| {
        let mut fields = vec![
            ("csrf", token),
            ("to", path.clone()),
            ("posted", posted.clone()),
            ("username", OTHER.to_owned()),
        ];
        fields.extend(extra);
        async move {
            let body = serde_urlencoded::to_string(&fields).unwrap();
            common::post_form(addr, "/sign-in/resume", &cookies, &body, &[]).await
        }
    };
    let r = step(
        vec![("password", kirjo::demo::DEMO_PASSWORD.to_owned())],
        ended.clone(),
        token.clone(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(r#"data-webauthn="get""#), "{}", r.body);
    let code_page_token = hidden(&r.body, "csrf");
    let session = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let challenge = begin(addr, &session).await;
    let answer = key.assert(&challenge).to_string();
    // The key's step carries the new session's token, as its page does.
    let r = step(
        vec![("assertion", answer)],
        format!("{csrf_cookie}; {session}"),
        code_page_token,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert!(location.starts_with("/documents/"), "{location}");
    let (ok, why) = last_event(&db, "second_factor").await;
    assert!(ok && why.contains("security key #"), "{why}");
}
