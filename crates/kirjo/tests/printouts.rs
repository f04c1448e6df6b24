//! The privacy notice and the printouts (docs/printouts.md): the notice is
//! made from the configuration Kirjo enforces (change the configuration and
//! the notice changes; a promise Kirjo does not keep is refused), served as
//! a public page and a PDF in three languages; a decided decision prints as
//! PDF/A in the client's language of service, as a logged use through the
//! gate, with the client's name, the confidentiality marking and the page
//! number on every page. PDFs are read back with pdftotext (poppler-utils).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{demo_db, get_as, post_json, sign_in, temp_dir};
use kirjo::config::{self, ConfigError, ConfigSource};
use kirjo_domain::contact::Lang;
use kirjo_domain::notice::{self, Facts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn no_env(_: &str) -> Option<String> {
    None
}

fn demo_text() -> String {
    std::fs::read_to_string(common::demo_config()).unwrap()
}

fn load_text(text: &str) -> Result<config::Loaded, ConfigError> {
    let dir = temp_dir("notice");
    let path = dir.join("kirjo.toml");
    std::fs::write(&path, text).unwrap();
    config::load(ConfigSource::File(path), &no_env)
}

/// The notice and record of the configuration `text`, in `lang`.
fn notice_of(text: &str, lang: Lang) -> String {
    let loaded = load_text(text).unwrap_or_else(|e| panic!("{e}"));
    notice::all(&loaded.config.register, loaded.config.notice_facts(), lang)
        .iter()
        .map(|n| n.to_markdown())
        .collect::<Vec<_>>()
        .join("\n")
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the demo configuration has {from:?}");
    text.replace(from, to)
}

#[test]
fn the_notice_states_the_retention_disclosures_transfers_and_transport_kirjo_enforces() {
    let demo = demo_text();
    let fi = notice_of(&demo, Lang::Fi);
    // Retention: the 703/2023 table, row by row, as the rule table has it.
    for row in [
        "Lapsiperheiden palvelut: 30 vuotta asian päättymisestä",
        "Lastensuojelu: 2 vuotta asiakkaan kuolemasta",
        "Perheoikeudelliset palvelut, lasta koskevat asiat: 120 vuotta lapsen syntymästä",
        "Käyttö- ja luovutuslokit sekä luovutusilmoitukset: 12 vuotta tapahtumasta",
    ] {
        assert!(fi.contains(row), "lacks {row:?}:\n{fi}");
    }
    for rule in kirjo_domain::retention::CLIENT_DATA_ACT_2023 {
        assert!(fi.contains(&rule.period(Lang::Fi)));
    }
    // Regular disclosures, Kanta and Kela among them; transfers; transport.
    for s in [
        "Kanta-palvelut (sosiaalihuollon asiakastiedon arkisto, Kela): Asiakasasiakirjat arkistoon tallennettaviksi",
        "Kansaneläkelaitos (Kela): Etuuksien käsittelyyn",
        "Lupa- ja valvontavirasto: Valvontaa varten tarvittavat tiedot (Laki sosiaali- ja terveydenhuollon valvonnasta (741/2023))",
        "vain asiakkaan nimenomaisella suostumuksella tai lakiin perustuvan pyynnön perusteella",
        "Kirjo ei itse salaa yhteyksiä tässä asennuksessa",
    ] {
        assert!(fi.contains(s), "lacks {s:?}:\n{fi}");
    }
    assert!(!fi.contains("Valvira") && !fi.contains("Aluehallintovirasto"));
    assert!(!fi.contains("vain HTTPS"));

    // The repealed table: its rows, and none of the 703/2023 ones.
    let old = notice_of(
        &replaced(
            &demo,
            "retention_rule_set = \"703/2023\"",
            "retention_rule_set = \"254/2015\"",
        ),
        Lang::Fi,
    );
    assert!(
        old.contains("Toimeentulotuki: 12 vuotta palvelun päättymisestä"),
        "{old}"
    );
    assert!(old.contains("Kotoutuminen: pysyvästi"));
    assert!(old.contains("lain liitteen mukaiset: 254/2015"));
    assert!(!old.contains("Lapsiperheiden palvelut: 30 vuotta"));

    // A disclosure changed and one removed.
    let changed = notice_of(
        &replaced(
            &replaced(
                &demo,
                "data = { fi = \"Tilastotiedot\"",
                "data = { fi = \"Vuositilastot\"",
            ),
            "recipient = { fi = \"Työllisyyspalvelut\"",
            "recipient = { fi = \"Työvoimapalvelut\"",
        ),
        Lang::Fi,
    );
    assert!(changed.contains("Terveyden ja hyvinvoinnin laitos (THL): Vuositilastot"));
    assert!(changed.contains("Työvoimapalvelut: Kuntouttavan"));
    assert!(!changed.contains("Työllisyyspalvelut"));

    // No transfers at all.
    let none = notice_of(
        &replaced(
            &demo,
            "transfers_outside_eea = \"only_with_explicit_consent_or_legal_request\"",
            "transfers_outside_eea = \"none\"",
        ),
        Lang::En,
    );
    assert!(none.contains("The data are not transferred outside the EU or the EEA."));

    // HTTPS only when Kirjo serves HTTPS: the server's certificate and key.
    let tls = notice_of(
        &replaced(
            &demo,
            "# tls_certificate = \"/etc/kirjo/tls/fullchain.pem\"\n# tls_private_key = \"/etc/kirjo/tls/privkey.pem\"",
            "tls_certificate = \"/etc/kirjo/tls/fullchain.pem\"\ntls_private_key = \"/etc/kirjo/tls/privkey.pem\"",
        ),
        Lang::Sv,
    );
    assert!(
        tls.contains("Kirjo betjänar endast HTTPS-förbindelser (TLS)"),
        "{tls}"
    );
    let loaded = load_text(&demo).unwrap();
    assert_eq!(loaded.config.notice_facts(), Facts { https_only: false });
}

#[test]
fn a_promise_of_encryption_in_free_text_is_refused() {
    let text = replaced(
        &demo_text(),
        "fi = \"Palvelimet suojatuissa tiloissa\"",
        "fi = \"Palvelimet suojatuissa tiloissa; tietoliikenne salattu\"",
    );
    let Err(e) = load_text(&text) else {
        panic!("accepted")
    };
    assert_eq!(
        e.key.as_deref(),
        Some("register.registers[0].protection_principles[3]"),
        "{e}"
    );
    assert!(e.message.contains("transport encryption"), "{e}");
}

#[test]
fn authorities_come_from_the_configuration() {
    let demo = demo_text();
    let fi = notice_of(&demo, Lang::Fi);
    assert!(fi.contains("Tietosuojavaltuutetun toimisto, PL 800, 00531 Helsinki, käyntiosoite Lintulahdenkuja 4, 00530 Helsinki, 029 566 6700, tietosuoja@om.fi"), "{fi}");
    assert!(fi.contains("Sosiaalihuollon palveluja valvoo: Lupa- ja valvontavirasto"));
    let moved = notice_of(
        &replaced(
            &demo,
            "fi = \"PL 800, 00531 Helsinki\"",
            "fi = \"PL 900, 00101 Helsinki\"",
        ),
        Lang::Fi,
    );
    assert!(moved.contains("Tietosuojavaltuutetun toimisto, PL 900, 00101 Helsinki"));
    // Without them the configuration is refused: no authority in code.
    let without = demo.replace("[register.social_services_authority]", "[register.x]");
    let Err(e) = load_text(&without) else {
        panic!("accepted")
    };
    assert!(
        e.to_string().contains("social_services_authority") || e.to_string().contains("register.x"),
        "{e}"
    );
}

/// Every section the issue lists, in each language.
#[test]
fn the_notice_has_every_section_in_three_languages() {
    let demo = demo_text();
    let expect: [(Lang, &[&str]); 3] = [
        (
            Lang::Fi,
            &[
                "# Tietosuojaseloste: Sosiaalihuollon asiakasrekisteri",
                "## 2. Rekisterinpitäjä",
                "## 3. Vastuuhenkilö ja yhteyshenkilöt",
                "## 4. Tietosuojavastaava",
                "## 5. Henkilötietojen käsittelyn tarkoitus",
                "(9 artiklan 2 kohta)",
                "(10 artikla)",
                "Tietojen antaminen perustuu lakiin",
                "## 7. Rekisteröidyt ja rekisterin tietosisältö",
                "## 8. Säännönmukaiset tietolähteet",
                "Pankilta tai muulta luottolaitokselta",
                "## 9. Säännönmukaiset luovutukset",
                "Terveyden ja hyvinvoinnin laitokselle (THL)",
                "## 10. Siirrot EU:n tai ETA:n ulkopuolelle",
                "## 11. Salassapito ja sen perusteet",
                "ei yhdistetä muihin rekistereihin",
                "## 12. Rekisterin suojauksen periaatteet",
                "## 13. Säilytysajat",
                "## 14. Rekisteröidyn oikeudet ja niiden käyttäminen",
                "Tarkastusoikeus",
                "Oikaisuoikeus",
                "rajoittamiseen ja vastustamiseen",
                "poistamiseen on rajoitettu",
                "Lokitiedot",
                "allekirjoitettuna",
                "maksuton kerran vuodessa",
                "kirjallisen todistuksen",
                "harjuniemi.example/tietosuoja",
                "## 15. Alaikäisen kielto",
                "## 16. Suostumus ja sen peruuttaminen",
                "## 17. Oikeus tehdä valitus valvontaviranomaiselle",
                "## 18. Selosteen laatiminen",
                "Laadittu 1.12.2026, tietosuojavastaava Sanna Suoja",
                "# Seloste käsittelytoimista: Sosiaalihuollon asiakasrekisteri",
                "## 3. Rekisteröityjen ryhmät",
                "## 8. Tekniset ja organisatoriset turvatoimet",
            ],
        ),
        (
            Lang::Sv,
            &[
                "# Dataskyddsbeskrivning: Socialvårdens klientregister",
                "(artikel 9.2)",
                "## 13. Lagringstider",
                "Barnskydd: 2 år från klientens död",
                "## 15. Minderårigas förbud",
                "Dataombudsmannens byrå, PB 800, 00531 Helsingfors",
                "Tillstånds- och tillsynsverket",
                "# Register över behandling: Socialvårdens klientregister",
            ],
        ),
        (
            Lang::En,
            &[
                "# Privacy notice: Social welfare client register",
                "(Article 10)",
                "## 13. Retention periods",
                "Services for families with children: 30 years after the matter closed",
                "## 16. Consent and its withdrawal",
                "Office of the Data Protection Ombudsman, P.O. Box 800, FI-00531 Helsinki",
                "Finnish Licensing and Supervisory Authority",
                "# Record of processing activities: Social welfare client register",
            ],
        ),
    ];
    for (lang, musts) in expect {
        let text = notice_of(&demo, lang);
        for must in musts {
            assert!(text.contains(must), "{lang:?} lacks {must:?}:\n{text}");
        }
    }
}

#[test]
fn the_cli_prints_the_notice_in_each_language() {
    for (lang, title) in [
        (
            "fi",
            "# Tietosuojaseloste: Sosiaalihuollon asiakasrekisteri",
        ),
        (
            "sv",
            "# Dataskyddsbeskrivning: Socialvårdens klientregister",
        ),
        ("en", "# Privacy notice: Social welfare client register"),
    ] {
        let out = common::run(
            common::kirjo()
                .args(["register", "notice", "--lang", lang, "--config"])
                .arg(common::demo_config()),
        );
        assert!(out.status.success(), "{}", common::stderr(&out));
        let text = common::stdout(&out);
        assert!(text.starts_with(title), "{text}");
        assert_eq!(
            text,
            notice_of(&demo_text(), Lang::parse(lang).unwrap()),
            "the CLI prints the same notice"
        );
    }
    let out = common::run(
        common::kirjo()
            .args(["register", "notice", "--lang", "de", "--config"])
            .arg(common::demo_config()),
    );
    assert_eq!(out.status.code(), Some(2));
}

/// A GET with the raw body (a PDF is not text).
async fn get_bytes(
    addr: std::net::SocketAddr,
    path: &str,
    cookie: Option<&str>,
) -> (u16, String, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let cookie = cookie
        .map(|c| format!("cookie: {c}\r\n"))
        .unwrap_or_default();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nhost: localhost\r\n{cookie}connection: close\r\n\r\n")
            .as_bytes(),
    )
    .await
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).await.unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&all[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    (status, head, all[split + 4..].to_vec())
}

/// The PDF's text, as pdftotext reads it (layout kept), and its pages.
fn pdf_text(pdf: &[u8], tag: &str) -> (String, usize) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF: {tag}");
    let dir = temp_dir(tag);
    let path = dir.join("p.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap();
    if let Ok(dir) = std::env::var("KIRJO_PRINTOUT_PNG_DIR") {
        // docs/printouts/: the pages as pictures, for review.
        let status = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60"])
            .arg(&path)
            .arg(format!("{dir}/{tag}"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    (text, pages)
}

/// Whitespace collapsed, so that a line break in the PDF is a space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_notice_is_a_public_page_and_a_pdf_in_three_languages() {
    let (db, settings) = demo_db().await;
    let loaded = config::load(ConfigSource::BuiltInDemo, &no_env).unwrap();
    let addr = serve_with_register(&db, settings, &loaded).await;
    for (lang, title, section, page_word) in [
        (
            "fi",
            "Tietosuojaseloste: Sosiaalihuollon asiakasrekisteri",
            "13. Säilytysajat",
            "Sivu",
        ),
        (
            "sv",
            "Dataskyddsbeskrivning: Socialvårdens klientregister",
            "13. Lagringstider",
            "Sida",
        ),
        (
            "en",
            "Privacy notice: Social welfare client register",
            "13. Retention periods",
            "Page",
        ),
    ] {
        // No sign-in.
        let (status, _, body) =
            get_bytes(addr, &format!("/privacy-notice?lang={lang}"), None).await;
        let html = String::from_utf8(body).unwrap();
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{lang}");
        assert!(
            html.contains(&format!("<h1 id=\"notice-1\">{title}</h1>")),
            "{html}"
        );
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{html}");
        assert!(html.contains(&format!("href=\"/privacy-notice/pdf?lang={lang}\"")));

        let (status, head, pdf) =
            get_bytes(addr, &format!("/privacy-notice/pdf?lang={lang}"), None).await;
        assert_eq!(status, 200, "{head}");
        assert!(
            head.to_lowercase()
                .contains("content-type: application/pdf"),
            "{head}"
        );
        let (text, pages) = pdf_text(&pdf, &format!("notice-{lang}"));
        let text = flat(&text);
        assert!(pages >= 3, "{pages}");
        assert!(text.contains(title), "{text}");
        assert!(text.contains(section), "{text}");
        assert!(
            text.contains("Perusturvalautakunta, Harjuniemen kunta"),
            "letterhead: {text}"
        );
        assert!(text.contains(&format!("{page_word} 1 / {pages}")), "{text}");
        assert!(
            text.contains(&format!("{page_word} {pages} / {pages}")),
            "{text}"
        );
        let rule = kirjo_domain::retention::LOGS.period(Lang::parse(lang).unwrap());
        assert!(text.contains(&rule), "{rule}: {text}");
        // Public: no confidentiality marking.
        assert!(!text.contains("Salassa pidettävä"));
    }
    // Nothing was logged as a use of client data.
    let uses: i64 = sqlx::query_scalar("SELECT count(*) FROM use_log WHERE action = 'print'")
        .fetch_one(&db.owner)
        .await
        .unwrap();
    assert_eq!(uses, 0);
}

async fn serve_with_register(
    db: &kirjo_testkit::TestDb,
    settings: kirjo_store::gate::GateSettings,
    loaded: &config::Loaded,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = kirjo_web::router(
        kirjo_web::AppState::new(db.runtime.clone())
            .with_gate(settings)
            .with_register(loaded.config.register.clone(), loaded.config.notice_facts()),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    addr
}

async fn user_id(db: &kirjo_testkit::TestDb, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
        .bind(username)
        .fetch_one(&db.owner)
        .await
        .unwrap()
}

/// A decided child welfare decision about Eetu, drafted and decided by
/// Sari (whose fresh password is her step-up), served to one party.
async fn decided_decision(
    addr: std::net::SocketAddr,
    db: &kirjo_testkit::TestDb,
    sari: &str,
) -> i64 {
    let eetu = common::person_id(&db.owner, "Eetu").await;
    let sari_id = user_id(db, "sari.sosiaalityontekija").await;
    let today = kirjo_domain::calendar::helsinki_today();
    let r = post_json(
        addr,
        sari,
        &format!("/api/clients/{eetu}/documents"),
        &serde_json::json!({
            "kind": "decision", "service_task": "lastensuojelu",
            "fields": {
                "date": today.to_string(), "outcome": "positive", "service": "support_person_or_family",
                "decision_text": "Eetulle myönnetään tukihenkilö kahdeksi vuodeksi.",
                "legal_basis": "Lastensuojelulaki (417/2007) 36 §",
                "decision_maker": sari_id.to_string(), "information_phone": "010 555 1234",
            },
            "parties": [
                { "name": "Minna Mäkinen", "method": "letter", "served_on": "" },
                { "name": "Eetu Mäkinen", "method": "handed", "served_on": "" },
            ],
        })
        .to_string(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = kirjo_testkit::http_with(
        addr,
        "POST",
        &format!("/api/documents/{id}/decide"),
        &[
            ("cookie", sari),
            ("if-match", "\"1\""),
            ("content-type", "application/json"),
        ],
        Some("{}"),
    )
    .await;
    assert!(r.status < 300, "{}", r.body);
    let r = post_json(
        addr,
        sari,
        &format!("/api/documents/{id}/service"),
        &serde_json::json!({"party": 1, "method": "in_person", "sent_on": today.to_string()})
            .to_string(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    id
}

#[tokio::test]
async fn a_decision_prints_in_the_clients_language_as_a_logged_use() {
    let (db, settings) = demo_db().await;
    let loaded = config::load(ConfigSource::BuiltInDemo, &no_env).unwrap();
    let addr = serve_with_register(&db, settings, &loaded).await;
    let sari = sign_in(addr, "sari.sosiaalityontekija").await;
    let id = decided_decision(addr, &db, &sari).await;
    let eetu = common::person_id(&db.owner, "Eetu").await;
    // Eetu's protected address (turvakielto) is never on a printout.
    sqlx::query("INSERT INTO turvakielto (person_id, valid_from, source) VALUES ($1, current_date - 1, 'vtj')")
        .bind(eetu)
        .execute(&db.owner)
        .await
        .unwrap();
    let streets: Vec<String> =
        sqlx::query_scalar("SELECT street FROM person_address WHERE person_id = $1")
            .bind(eetu)
            .fetch_all(&db.owner)
            .await
            .unwrap();

    // Eetu's language of service decides the language; ?lang= asks another.
    for (service_language, asked, words) in [
        (
            "fi",
            "",
            [
                "Salassa pidettävä (JulkL 24 § 1 mom. 25 k; SHAsiakasL 14 §)",
                "Valitusosoitus",
                "Tiedoksianto",
                "Sivu 1 /",
            ],
        ),
        (
            "sv",
            "",
            [
                "Sekretessbelagd (OffL 24 § 1 mom. 25 p.; SVKlientL 14 §)",
                "Besvärsanvisning",
                "Delgivning",
                "Sida 1 /",
            ],
        ),
        (
            "sv",
            "?lang=en",
            [
                "Confidential (Act 621/1999 s. 24(1)(25); Act 812/2000 s. 14)",
                "Instructions for appeal",
                "Serving",
                "Page 1 /",
            ],
        ),
    ] {
        sqlx::query("UPDATE person SET service_language = $2 WHERE id = $1")
            .bind(eetu)
            .bind(service_language)
            .execute(&db.owner)
            .await
            .unwrap();
        let (status, head, pdf) = get_bytes(
            addr,
            &format!("/documents/{id}/decision.pdf{asked}"),
            Some(&sari),
        )
        .await;
        assert_eq!(status, 200, "{head}");
        assert!(head
            .to_lowercase()
            .contains("content-type: application/pdf"));
        let tag = format!(
            "decision-{service_language}{}",
            asked.replace("?lang=", "-")
        );
        let (raw, pages) = pdf_text(&pdf, &tag);
        let text = flat(&raw);
        for w in words {
            assert!(text.contains(w), "{tag} lacks {w:?}: {text}");
        }
        assert!(text.contains("Eetu Mäkinen"), "{text}");
        assert!(text.contains("Eetulle myönnetään tukihenkilö kahdeksi vuodeksi."));
        assert!(text.contains("Lastensuojelulaki (417/2007) 36 §"));
        assert!(text.contains("Minna Mäkinen"));
        assert!(text.contains("Perusturvalautakunta, Harjuniemen kunta"));
        // Every page: the client's name, the marking, the page number.
        for page in raw.split('\u{c}').filter(|p| !p.trim().is_empty()) {
            let page = flat(page);
            assert!(page.contains("Eetu Mäkinen"), "{page}");
            assert!(page.contains(words[0]), "{page}");
            assert!(page.contains(&format!("/ {pages}")), "{page}");
        }
        for street in &streets {
            assert!(
                !text.contains(street.as_str()),
                "a protected address printed: {street}"
            );
        }
        // PDF/A-2b, for the archive.
        let pdf_str = String::from_utf8_lossy(&pdf);
        assert!(
            pdf_str.contains("pdfaid:part") || pdf_str.contains("pdfaid"),
            "{tag}: no PDF/A identification"
        );
    }
    // Each print is a use in the log, with the document named.
    let prints: Vec<(bool, String)> = sqlx::query_as(
        "SELECT allowed, data FROM use_log WHERE action = 'print' AND client_id = $1 ORDER BY id",
    )
    .bind(eetu)
    .fetch_all(&db.owner)
    .await
    .unwrap();
    assert_eq!(prints.len(), 3, "{prints:?}");
    for (allowed, data) in &prints {
        assert!(*allowed);
        assert_eq!(data, &format!("document:{id} decision printed as PDF"));
    }

    // Someone without the client: refused, and the refusal logged.
    let other = sign_in(addr, "pekka.sosiaaliohjaaja").await;
    let (status, _, _) =
        get_bytes(addr, &format!("/documents/{id}/decision.pdf"), Some(&other)).await;
    assert_eq!(status, 403);
    let pekka = user_id(&db, "pekka.sosiaaliohjaaja").await;
    let refused: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log WHERE action = 'print' AND user_id = $1 AND NOT allowed",
    )
    .bind(pekka)
    .fetch_one(&db.owner)
    .await
    .unwrap();
    assert_eq!(refused, 1);
    // Not signed in: no PDF, but the way to sign in.
    let (status, head, _) = get_bytes(addr, &format!("/documents/{id}/decision.pdf"), None).await;
    assert_eq!(status, 303, "{head}");
    let _ = get_as;
}
