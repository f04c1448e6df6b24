//! Demo data for the imaginary municipality of Harjuniemi. Each part is
//! loaded once, in one transaction with its `demo_load` row, so a second run
//! changes nothing. Later capabilities add their parts here.
//!
//! Everything is synthetic: identity codes use the temporary individual
//! numbers 900-999 only.

use chrono::{Datelike, Days, NaiveDate, Utc};
use kirjo_domain::hetu::{CenturySign, PersonalIdentityCode};
use kirjo_store::{demo, PgPool};
use sqlx::{PgConnection, Row};

/// The password every demo user signs in with (printed at start).
pub const DEMO_PASSWORD: &str = "harjuniemi-demo-2026";

/// What loading did, for the message printed at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub loaded_now: Vec<&'static str>,
    pub already_loaded: Vec<&'static str>,
}

/// A demo user and what they show.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub username: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub shows: &'static str,
}

pub const USERS: &[DemoUser] = &[
    DemoUser {
        username: "aino.paakayttaja",
        name: "Aino Pääkäyttäjä",
        title: "pääkäyttäjä",
        shows: "main administrator: approves rights, reads no client data",
    },
    DemoUser {
        username: SECOND_ADMINISTRATOR,
        name: "Eero Eskola",
        title: "pääkäyttäjä",
        shows: "second main administrator: approves the organisation-wide roles the first proposes",
    },
    DemoUser {
        username: "sanna.tietosuoja",
        name: "Sanna Suoja",
        title: "tietosuojavastaava",
        shows: "data protection officer: log extracts and flags",
    },
    DemoUser {
        username: "leena.esihenkilo",
        name: "Leena Lahtinen",
        title: "johtava sosiaalityöntekijä",
        shows: "supervisor of families with children",
    },
    DemoUser {
        username: "matti.esihenkilo",
        name: "Matti Mattila",
        title: "aikuissosiaalityön johtaja",
        shows: "supervisor of adult services",
    },
    DemoUser {
        username: "sari.sosiaalityontekija",
        name: "Sari Saarinen",
        title: "sosiaalityöntekijä",
        shows: "child welfare worker, responsible for the Mäkinen children",
    },
    DemoUser {
        username: "outi.sijainen",
        name: "Outi Ojala",
        title: "sosiaalityöntekijä (sijainen)",
        shows: "substitute whose rights end by themselves in 30 days",
    },
    DemoUser {
        username: "pekka.sosiaaliohjaaja",
        name: "Pekka Peltonen",
        title: "sosiaaliohjaaja",
        shows: "adult services worker; may open others with a stated purpose",
    },
    DemoUser {
        username: "kaisa.kirjaamo",
        name: "Kaisa Kirjanen",
        title: "toimistosihteeri",
        shows: "registry clerk: basic data in adult services",
    },
    DemoUser {
        username: "tuomas.tukiperhe",
        name: "Tuomas Tukinen",
        title: "perhetyöntekijä (Tukiperhepalvelu Oy)",
        shows: "outsourced provider: only the commissioned child",
    },
    DemoUser {
        username: "uuno.uusi",
        name: "Uuno Uusitalo",
        title: "sosiaaliohjaaja",
        shows: "new user who has not accepted the user commitment: denied everything",
    },
];

/// The parts, in loading order.
const PARTS: &[&str] = &[
    "foundation",
    "organisation",
    "registry",
    "second_factor",
    "documents",
    "second_administrator",
];

/// The second main administrator: an organisation-wide role (main
/// administrator, data protection officer) is proposed by one main
/// administrator and approved by another. Made at installation, as the
/// first one is; a part of its own, so that a demo loaded before it gets
/// them too.
pub const SECOND_ADMINISTRATOR: &str = "eero.paakayttaja";

/// The demo administrator's TOTP secret (20 bytes), printed at start so
/// that an authenticator app can be set up from it. Demo data only: a real
/// secret is random and shown once, at enrolment.
pub const DEMO_TOTP_USER: &str = "aino.paakayttaja";
pub const DEMO_TOTP_SECRET: &[u8; 20] = b"harjuniemi-demo-totp";

/// Prepares a database as `kirjo serve` does and loads the demo data into
/// it; returns the gate settings of the configuration. For tests and
/// benchmarks, which get a fresh database each.
pub async fn install(
    owner: &PgPool,
    loaded: &crate::config::Loaded,
) -> anyhow::Result<kirjo_store::gate::GateSettings> {
    crate::setup::prepare(owner, loaded).await?;
    load(owner).await?;
    Ok(crate::setup::gate_settings(loaded))
}

pub async fn load(owner: &PgPool) -> anyhow::Result<DemoReport> {
    let mut report = DemoReport {
        loaded_now: Vec::new(),
        already_loaded: Vec::new(),
    };
    for part in PARTS {
        if demo::loaded_at(owner, part).await?.is_some() {
            report.already_loaded.push(part);
            continue;
        }
        let mut tx = owner.begin().await?;
        match *part {
            // The register structure comes from the configuration at every start.
            "foundation" => {}
            "organisation" => organisation(&mut tx).await?,
            "registry" => registry(&mut tx).await?,
            "second_factor" => {
                sqlx::query(
                    "UPDATE staff_user SET totp_secret = $2, totp_enrolled_at = now() WHERE username = $1",
                )
                .bind(DEMO_TOTP_USER)
                .bind(&DEMO_TOTP_SECRET[..])
                .execute(&mut *tx)
                .await?;
            }
            "documents" => documents(&mut tx).await?,
            "second_administrator" => second_administrator(&mut tx).await?,
            _ => {}
        }
        if demo::mark_loaded(&mut tx, part).await? {
            tx.commit().await?;
            report.loaded_now.push(part);
        } else {
            tx.rollback().await?;
            report.already_loaded.push(part);
        }
    }
    Ok(report)
}

fn code(y: i32, m: u32, d: u32, n: u16) -> anyhow::Result<String> {
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bad demo date"))?;
    let sign = if y >= 2000 {
        CenturySign::A
    } else {
        CenturySign::Minus
    };
    Ok(PersonalIdentityCode::from_parts(date, sign, n)?
        .as_str()
        .to_owned())
}

async fn id_of(conn: &mut PgConnection, username: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
            .bind(username)
            .fetch_one(conn)
            .await?,
    )
}

type GrantRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<NaiveDate>,
);
type RelationshipRow = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<(NaiveDate, &'static str)>,
);

/// Staff, units, a provider, people and relationships that exercise each
/// rule of the gate.
async fn organisation(tx: &mut PgConnection) -> anyhow::Result<()> {
    let hash = {
        let pw = DEMO_PASSWORD.to_owned();
        tokio::task::spawn_blocking(move || kirjo_web::account::session::hash_password(&pw))
            .await?
            .map_err(|e| anyhow::anyhow!(e))?
    };
    let today = kirjo_domain::calendar::helsinki_today();
    let year_ago = today - Days::new(365);
    sqlx::raw_sql(
        "INSERT INTO provider (id, name, business_id) VALUES ('tukiperhepalvelu', 'Tukiperhepalvelu Oy', '7654321-2');
         INSERT INTO unit (id, name_fi, name_sv, name_en, provider_id) VALUES
           ('hallinto', 'Perusturvan hallinto', 'Grundtrygghetens förvaltning', 'Basic services administration', NULL),
           ('aikuisyksikko', 'Aikuissosiaalityön yksikkö', 'Enheten för socialt arbete för vuxna', 'Adult social work unit', NULL),
           ('perheyksikko', 'Lapsiperheiden palvelujen yksikkö', 'Enheten för tjänster för barnfamiljer', 'Family services unit', NULL),
           ('tukiperhe_oy', 'Tukiperhepalvelu Oy', 'Tukiperhepalvelu Ab', 'Tukiperhepalvelu Ltd', 'tukiperhepalvelu');",
    )
    .execute(&mut *tx)
    .await?;
    // The second administrator comes in a part of their own.
    for u in USERS.iter().filter(|u| u.username != SECOND_ADMINISTRATOR) {
        let provider = (u.username == "tuomas.tukiperhe").then_some("tukiperhepalvelu");
        sqlx::query(
            "INSERT INTO staff_user (username, name, title, user_groups, provider_id, password_hash)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(u.username)
        .bind(u.name)
        .bind(u.title)
        .bind(vec![u.title.to_owned()])
        .bind(provider)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    }
    let admin = id_of(tx, "aino.paakayttaja").await?;
    // The first administrator and the DPO are made at installation.
    for (user, role) in [
        ("aino.paakayttaja", "main_administrator"),
        ("sanna.tietosuoja", "data_protection_officer"),
    ] {
        let uid = id_of(tx, user).await?;
        sqlx::query("INSERT INTO role_grant (user_id, role, unit_id, valid_from) VALUES ($1, $2, 'hallinto', $3)")
            .bind(uid)
            .bind(role)
            .bind(year_ago)
            .execute(&mut *tx)
            .await?;
    }
    // Supervisors: installed too, as the first people who can propose.
    for (user, unit, area) in [
        ("leena.esihenkilo", "perheyksikko", "lapsiperheet"),
        ("matti.esihenkilo", "aikuisyksikko", "aikuiset"),
    ] {
        let uid = id_of(tx, user).await?;
        sqlx::query(
            "INSERT INTO role_grant (user_id, role, unit_id, sub_register_id, valid_from)
             VALUES ($1, 'unit_supervisor', $2, $3, $4)",
        )
        .bind(uid)
        .bind(unit)
        .bind(area)
        .bind(year_ago)
        .execute(&mut *tx)
        .await?;
    }
    // Everyone else by proposal and approval, as rule 2 requires.
    let substitute_until = today + Days::new(30);
    // (user, role, unit, service area, proposer, valid until)
    let grants: [GrantRow; 6] = [
        (
            "sari.sosiaalityontekija",
            "client_worker",
            "perheyksikko",
            "lapsiperheet",
            "leena.esihenkilo",
            None,
        ),
        (
            "outi.sijainen",
            "client_worker",
            "perheyksikko",
            "lapsiperheet",
            "leena.esihenkilo",
            Some(substitute_until),
        ),
        (
            "pekka.sosiaaliohjaaja",
            "client_worker",
            "aikuisyksikko",
            "aikuiset",
            "matti.esihenkilo",
            None,
        ),
        (
            "kaisa.kirjaamo",
            "registry_clerk",
            "aikuisyksikko",
            "aikuiset",
            "matti.esihenkilo",
            None,
        ),
        (
            "tuomas.tukiperhe",
            "provider_worker",
            "tukiperhe_oy",
            "lapsiperheet",
            "leena.esihenkilo",
            None,
        ),
        (
            "uuno.uusi",
            "client_worker",
            "aikuisyksikko",
            "aikuiset",
            "matti.esihenkilo",
            None,
        ),
    ];
    for (user, role, unit, area, proposer, until) in grants {
        let uid = id_of(tx, user).await?;
        let by = id_of(tx, proposer).await?;
        let reason = if until.is_some() {
            "sijaisuus"
        } else {
            "työtehtävät"
        };
        let proposal: i64 = sqlx::query_scalar(
            "INSERT INTO rights_proposal (kind, user_id, role, unit_id, sub_register_id, valid_from, valid_until, reason, proposed_by)
             VALUES ('grant', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(uid)
        .bind(role)
        .bind(unit)
        .bind(area)
        .bind(year_ago)
        .bind(until)
        .bind(reason)
        .bind(by)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO rights_decision (proposal_id, approved, reason, decided_by) VALUES ($1, true, 'hyväksytty', $2)")
            .bind(proposal)
            .bind(admin)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO role_grant (user_id, role, unit_id, sub_register_id, valid_from, valid_until, proposal_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uid)
        .bind(role)
        .bind(unit)
        .bind(area)
        .bind(year_ago)
        .bind(until)
        .bind(proposal)
        .execute(&mut *tx)
        .await?;
    }
    // Everyone but the new user has accepted the current commitment.
    sqlx::query(
        "INSERT INTO commitment_acceptance (user_id, version)
         SELECT id, (SELECT max(version) FROM user_commitment) FROM staff_user WHERE username <> 'uuno.uusi'",
    )
    .execute(&mut *tx)
    .await?;

    // People: a family with children, an adult client, a former client and
    // someone with no client relationship at all.
    let y = today.year();
    let people = [
        (
            "makinen_lapsi1",
            code(y - 9, 3, 14, 902)?,
            "Eetu Juhani",
            "Mäkinen",
            (y - 9, 3, 14),
        ),
        (
            "makinen_lapsi2",
            code(y - 6, 11, 2, 904)?,
            "Ella Maria",
            "Mäkinen",
            (y - 6, 11, 2),
        ),
        (
            "makinen_aiti",
            code(1988, 5, 21, 906)?,
            "Minna Kaarina",
            "Mäkinen",
            (1988, 5, 21),
        ),
        (
            "makinen_isa",
            code(1986, 8, 30, 907)?,
            "Jari Tapani",
            "Mäkinen",
            (1986, 8, 30),
        ),
        (
            "virtanen",
            code(1975, 1, 9, 911)?,
            "Kalle Olavi",
            "Virtanen",
            (1975, 1, 9),
        ),
        (
            "korhonen",
            code(1961, 12, 24, 913)?,
            "Liisa Annikki",
            "Korhonen",
            (1961, 12, 24),
        ),
        (
            "nieminen",
            code(1993, 7, 4, 915)?,
            "Timo Antero",
            "Nieminen",
            (1993, 7, 4),
        ),
    ];
    let mut ids = std::collections::HashMap::new();
    for (key, hetu, first, last, (by, bm, bd)) in &people {
        let birth = NaiveDate::from_ymd_opt(*by, *bm, *bd)
            .ok_or_else(|| anyhow::anyhow!("bad demo date"))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO person (register_id, identity_code, first_names, surname, birth_date)
             VALUES ('sosiaalihuolto', $1, $2, $3, $4) RETURNING id",
        )
        .bind(hetu)
        .bind(first)
        .bind(last)
        .bind(birth)
        .fetch_one(&mut *tx)
        .await?;
        ids.insert(*key, id);
    }
    let sari = id_of(tx, "sari.sosiaalityontekija").await?;
    let outi = id_of(tx, "outi.sijainen").await?;
    let pekka = id_of(tx, "pekka.sosiaaliohjaaja").await?;
    // (client, service area, unit, responsible worker, ended on with reason)
    let rels: [RelationshipRow; 4] = [
        ("makinen_lapsi1", "lapsiperheet", "perheyksikko", sari, None),
        ("makinen_lapsi2", "lapsiperheet", "perheyksikko", sari, None),
        ("virtanen", "aikuiset", "aikuisyksikko", pekka, None),
        (
            "korhonen",
            "aikuiset",
            "aikuisyksikko",
            pekka,
            Some((today - Days::new(60), "palvelutarve päättynyt")),
        ),
    ];
    for (who, area, unit, responsible, ended) in rels {
        let client = ids
            .get(who)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo person"))?;
        // Each was assigned by the unit's supervisor, a year ago: its
        // start is before it was recorded here, with the reason.
        let supervisor = id_of(
            tx,
            if area == "lapsiperheet" {
                "leena.esihenkilo"
            } else {
                "matti.esihenkilo"
            },
        )
        .await?;
        let row = sqlx::query(
            "INSERT INTO client_relationship (client_id, register_id, sub_register_id, unit_id, started_on,
                                              ended_on, end_reason, responsible_worker_id, basis,
                                              assigned_by, opened_by, backdating_reason)
             VALUES ($1, 'sosiaalihuolto', $2, $3, $4, $5, $6, $7, 'assignment', $8, $8,
                     'siirretty aiemmasta asiakastietojärjestelmästä') RETURNING id",
        )
        .bind(client)
        .bind(area)
        .bind(unit)
        .bind(year_ago)
        .bind(ended.map(|e| e.0))
        .bind(ended.map(|e| e.1))
        .bind(responsible)
        .bind(supervisor)
        .fetch_one(&mut *tx)
        .await?;
        let rel: i64 = row.try_get("id")?;
        let mut team = vec![responsible];
        if area == "lapsiperheet" && who == "makinen_lapsi1" {
            team.push(outi);
        }
        for member in team {
            sqlx::query(
                "INSERT INTO relationship_team_member (relationship_id, client_id, user_id, valid_from, valid_until)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(rel)
            .bind(client)
            .bind(member)
            .bind(year_ago)
            .bind((member == outi).then_some(substitute_until))
            .execute(&mut *tx)
            .await?;
        }
    }
    // The older Mäkinen child is commissioned to the support-family provider.
    let child = ids
        .get("makinen_lapsi1")
        .copied()
        .ok_or_else(|| anyhow::anyhow!("demo person"))?;
    sqlx::query(
        "INSERT INTO commission (client_id, register_id, provider_id, sub_register_id, valid_from, valid_until)
         VALUES ($1, 'sosiaalihuolto', 'tukiperhepalvelu', 'lapsiperheet', $2, $3)",
    )
    .bind(child)
    .bind(year_ago)
    .bind(today + Days::new(180))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The second main administrator, with the role from installation (as the
/// first one's) and the current user commitment accepted.
async fn second_administrator(tx: &mut PgConnection) -> anyhow::Result<()> {
    let u = USERS
        .iter()
        .find(|u| u.username == SECOND_ADMINISTRATOR)
        .ok_or_else(|| anyhow::anyhow!("the second administrator is a demo user"))?;
    let hash = {
        let pw = DEMO_PASSWORD.to_owned();
        tokio::task::spawn_blocking(move || kirjo_web::account::session::hash_password(&pw))
            .await?
            .map_err(|e| anyhow::anyhow!(e))?
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_user (username, name, title, user_groups, password_hash)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(u.username)
    .bind(u.name)
    .bind(u.title)
    .bind(vec![u.title.to_owned()])
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await?;
    let year_ago = kirjo_domain::calendar::helsinki_today() - Days::new(365);
    sqlx::query(
        "INSERT INTO role_grant (user_id, role, unit_id, valid_from) VALUES ($1, 'main_administrator', 'hallinto', $2)",
    )
    .bind(id)
    .bind(year_ago)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO commitment_acceptance (user_id, version)
         SELECT $1, max(version) FROM user_commitment HAVING max(version) IS NOT NULL",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Addresses, contacts, custody, a turvakielto, a deceased person and a
/// person with a legal representative, for the people of the organisation
/// part (and two more).
async fn registry(tx: &mut PgConnection) -> anyhow::Result<()> {
    let today = kirjo_domain::calendar::helsinki_today();
    let id = |first: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
            .bind(first)
    };
    let eetu = id("Eetu").fetch_one(&mut *tx).await?;
    let ella = id("Ella").fetch_one(&mut *tx).await?;
    let minna = id("Minna").fetch_one(&mut *tx).await?;
    let jari = id("Jari").fetch_one(&mut *tx).await?;
    let kalle = id("Kalle").fetch_one(&mut *tx).await?;
    let liisa = id("Liisa").fetch_one(&mut *tx).await?;
    let timo = id("Timo").fetch_one(&mut *tx).await?;
    // Languages, citizenship, home municipality (a code of the shipped list).
    sqlx::query(
        "UPDATE person SET mother_tongue = 'fi', service_language = 'fi', citizenship = '{FI}',
                home_municipality = '091' WHERE register_id = 'sosiaalihuolto'",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE person SET calling_name = 'Kalle', occupation = 'varastotyöntekijä' WHERE id = $1",
    )
    .bind(kalle)
    .execute(&mut *tx)
    .await?;
    // Minna and the children live at a protected address (turvakielto from
    // the population register); Jari lives elsewhere and has no custody.
    for (who, street, postal) in [
        (minna, "Suojatie 1 A 2", "00990"),
        (eetu, "Suojatie 1 A 2", "00990"),
        (ella, "Suojatie 1 A 2", "00990"),
        (jari, "Esimerkkikatu 5 B 12", "00980"),
        (kalle, "Rantapolku 3", "00970"),
        (liisa, "Koivukuja 8", "00960"),
        (timo, "Asematie 14 C 7", "00950"),
    ] {
        sqlx::query(
            "INSERT INTO person_address (person_id, kind, street, postal_code, post_office, municipality, valid_from, source)
             VALUES ($1, 'permanent', $2, $3, 'HARJUNIEMI', '091', $4, 'vtj')",
        )
        .bind(who)
        .bind(street)
        .bind(postal)
        .bind(today - Days::new(400))
        .execute(&mut *tx)
        .await?;
    }
    for (who, kind, value) in [
        (minna, "phone", "+358400009906"),
        (jari, "phone", "+358400009907"),
        (kalle, "phone", "+358400009911"),
        (kalle, "email", "kalle.virtanen@example.invalid"),
    ] {
        sqlx::query("INSERT INTO person_contact (person_id, kind, value, source) VALUES ($1, $2, $3, 'client')")
            .bind(who)
            .bind(kind)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO turvakielto (person_id, valid_from, source) VALUES ($1, $2, 'vtj')")
        .bind(minna)
        .bind(today - Days::new(200))
        .execute(&mut *tx)
        .await?;
    // Family: Minna has custody of both children, Jari a right of access;
    // they live in one household with their mother (which the turvakielto covers).
    for child in [eetu, ella] {
        for (related, kind, access) in [
            (minna, "guardian", None),
            (jari, "parent_without_custody", Some(true)),
            (minna, "household_member", None),
        ] {
            sqlx::query(
                "INSERT INTO person_relation (person_id, related_id, kind, right_of_access, valid_from, source)
                 VALUES ($1, $2, $3, $4, $5, 'vtj')",
            )
            .bind(child)
            .bind(related)
            .bind(kind)
            .bind(access)
            .bind(today - Days::new(400))
            .execute(&mut *tx)
            .await?;
        }
    }
    // Liisa Korhonen has a legal representative (edunvalvoja) for her finances.
    let representative: i64 = sqlx::query_scalar(
        "INSERT INTO person (register_id, identity_code, first_names, surname, birth_date, home_municipality)
         VALUES ('sosiaalihuolto', $1, 'Helena', 'Edunvalvoja', '1970-02-02', '091') RETURNING id",
    )
    .bind(code(1970, 2, 2, 918)?)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO person_relation (person_id, related_id, kind, scope, valid_from, source)
         VALUES ($1, $2, 'legal_representative', 'taloudelliset asiat', $3, 'vtj')",
    )
    .bind(liisa)
    .bind(representative)
    .bind(today - Days::new(300))
    .execute(&mut *tx)
    .await?;
    // A deceased former client.
    sqlx::query(
        "INSERT INTO person (register_id, identity_code, first_names, surname, birth_date, died_on, home_municipality)
         VALUES ('sosiaalihuolto', $1, 'Aarne Ilmari', 'Mäkelä', '1938-06-11', $2, '091')",
    )
    .bind(code(1938, 6, 11, 921)?)
    .bind(today - Days::new(90))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A year of narrative entries: the Mäkinen children's child welfare work
/// (Sari), Kalle Virtanen's substance abuse services (Pekka), a draft, and a
/// correction with its reason. Written as the store writes them, with the
/// metadata from the database.
async fn documents(tx: &mut PgConnection) -> anyhow::Result<()> {
    use kirjo_domain::document::{Narrative, NarrativeEntry};
    let today = kirjo_domain::calendar::helsinki_today();
    let days_ago = |n: u64| today - Days::new(n);
    let person = |first: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM person WHERE first_names LIKE $1 || '%'")
            .bind(first)
    };
    let eetu = person("Eetu").fetch_one(&mut *tx).await?;
    let ella = person("Ella").fetch_one(&mut *tx).await?;
    let kalle = person("Kalle").fetch_one(&mut *tx).await?;
    let sari = id_of(tx, "sari.sosiaalityontekija").await?;
    let pekka = id_of(tx, "pekka.sosiaaliohjaaja").await?;
    // (client, author, area, task, entry, days ago, text, agreed, completed)
    type Row = (
        i64,
        i64,
        &'static str,
        &'static str,
        NarrativeEntry,
        u64,
        &'static str,
        Option<&'static str>,
        bool,
    );
    let rows: [Row; 9] = [
        (
            eetu,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::MeetingOrContact,
            340,
            "Ensitapaaminen kotona. Äiti kertoi perheen tilanteesta ja arjen kuormittavuudesta.",
            Some("Äiti ottaa yhteyttä kouluun; sosiaalityöntekijä varaa perheneuvolan ajan."),
            true,
        ),
        (
            eetu,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::Negotiation,
            280,
            "Verkostoneuvottelu koulun ja perheneuvolan kanssa. Eetun koulunkäynti on tasaantunut.",
            Some("Koulu seuraa poissaoloja; seuraava neuvottelu kolmen kuukauden kuluttua."),
            true,
        ),
        (
            eetu,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::DailyLife,
            190,
            "Eetu harrastaa jalkapalloa kahdesti viikossa. Arki on rytmittynyt.",
            None,
            true,
        ),
        (
            ella,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::GuidanceAndAdvice,
            150,
            "Äidille annettu ohjausta päivähoidon hakemisesta ja tukiperhetoiminnasta.",
            None,
            true,
        ),
        (
            ella,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::MeetingOrContact,
            60,
            "Puhelu äidin kanssa. Ellan päivähoito on alkanut hyvin.",
            Some("Seuraava kotikäynti sovitaan joulukuussa."),
            true,
        ),
        (
            eetu,
            sari,
            "lapsiperheet",
            "lastensuojelu",
            NarrativeEntry::MeetingOrContact,
            2,
            "Kotikäynti. Eetu kertoi koulusta ja kavereista.",
            None,
            false,
        ),
        (
            kalle,
            pekka,
            "aikuiset",
            "paihdehuolto",
            NarrativeEntry::MeetingOrContact,
            300,
            "Kalle hakeutui itse vastaanotolle. Keskusteltu päihteiden käytöstä ja tuen tarpeesta.",
            Some("Kalle käy A-klinikalla; seuraava tapaaminen kahden viikon päästä."),
            true,
        ),
        (
            kalle,
            pekka,
            "aikuiset",
            "paihdehuolto",
            NarrativeEntry::DailyLife,
            120,
            "Kalle on ollut raittiina kolme kuukautta ja aloittanut työkokeilun.",
            None,
            true,
        ),
        (
            kalle,
            pekka,
            "aikuiset",
            "paihdehuolto",
            NarrativeEntry::GuidanceAndAdvice,
            30,
            "Ohjausta asumisen tuesta ja toimeentulotuen hakemisesta.",
            None,
            true,
        ),
    ];
    let mut first = None;
    for (client, author, area, task, entry, ago, text, agreed, completed) in rows {
        let n = Narrative {
            entry,
            date: days_ago(ago),
            text: text.to_owned(),
            agreed: agreed.map(str::to_owned),
        };
        let created = days_ago(ago).and_hms_opt(10, 0, 0).map(|t| t.and_utc());
        let id = insert_document(
            tx,
            (client, author, area, task),
            &kirjo_domain::document::Content::Narrative(n),
            created,
            completed,
        )
        .await?;
        first.get_or_insert(id);
    }
    // Two child welfare notifications: one handled on time, one whose
    // decision on starting an assessment is late.
    use kirjo_domain::calendar::add_weekdays;
    use kirjo_domain::document::{
        AssessmentDecision, Channel, Content, Notification, Reporter, Urgency,
    };
    let on_time_received = days_ago(40);
    let notifications = [
        (
            eetu,
            Notification {
                received_on: on_time_received,
                reporter: Reporter::Professional,
                reporter_first_names: Some("Olli".to_owned()),
                reporter_surname: Some("Oksanen".to_owned()),
                reporter_name: None,
                reporter_title: Some("luokanopettaja".to_owned()),
                reporter_organisation: Some("Harjuniemen koulu".to_owned()),
                reporter_confidential: false,
                confidentiality_grounds: None,
                channel: Channel::Electronic,
                content: "Eetu on ollut toistuvasti poissa koulusta ja kertonut, ettei kotona ole ruokaa.".to_owned(),
                urgency: Some(Urgency::NotImmediate),
                urgency_note: Some("Lapsi on koulussa päivittäin; ei välitöntä vaaraa.".to_owned()),
                decision: Some(AssessmentDecision::Start),
                decided_on: Some(add_weekdays(on_time_received, 5)),
                decision_reasons: None,
                child_told_on: Some(add_weekdays(on_time_received, 6)),
                guardian_told_on: Some(add_weekdays(on_time_received, 5)),
            },
            true,
        ),
        (
            ella,
            Notification {
                received_on: days_ago(12),
                reporter: Reporter::PrivatePerson,
                reporter_first_names: Some("Niina".to_owned()),
                reporter_surname: Some("Nieminen".to_owned()),
                reporter_name: None,
                reporter_title: None,
                reporter_organisation: None,
                reporter_confidential: true,
                confidentiality_grounds: Some("Ilmoittaja pyysi, ettei hänen henkilöllisyyttään kerrota perheelle.".to_owned()),
                channel: Channel::Phone,
                content: "Naapuri soitti: asunnosta on kuulunut iltaisin huutoa ja lapsen itkua.".to_owned(),
                urgency: Some(Urgency::NotImmediate),
                urgency_note: None,
                decision: None,
                decided_on: None,
                decision_reasons: None,
                child_told_on: None,
                guardian_told_on: None,
            },
            false,
        ),
    ];
    for (client, n, completed) in notifications {
        let created = n.received_on.and_hms_opt(9, 0, 0).map(|t| t.and_utc());
        let content = Content::ChildWelfareNotification(n);
        let place = (client, sari, "lapsiperheet", "lastensuojelu");
        insert_document(tx, place, &content, created, completed).await?;
    }
    form_documents(tx, (eetu, ella, kalle), (sari, pekka)).await?;
    demo_matter(tx, eetu, sari).await?;
    matter_history(tx, (eetu, ella, kalle), (sari, pekka)).await?;
    // The first entry is corrected: its date was wrong.
    if let Some(id) = first {
        sqlx::query(
            "INSERT INTO document (series_id, version, client_id, register_id, sub_register_id, service_task_id,
                                   kind, content, name, definition_oid, client_first_names, client_surname,
                                   client_identity_code, organiser, producer, author_id, author_name,
                                   author_title, state, completed_at, corrects_id, correction_reason)
             SELECT d.id, 2, d.client_id, d.register_id, d.sub_register_id, d.service_task_id, d.kind,
                    jsonb_set(d.content, '{date}', to_jsonb(((d.content->>'date')::date - 1)::text)),
                    d.name, d.definition_oid, d.client_first_names, d.client_surname, d.client_identity_code,
                    d.organiser, d.producer, d.author_id, d.author_name, d.author_title, 'completed',
                    d.completed_at + interval '1 day', d.id,
                    'Tapaamisen päivämäärä oli kirjattu väärin: tapaaminen oli edellisenä päivänä.'
             FROM document d WHERE d.id = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Writes a demo document as its author would have, with the same
/// metadata as `kirjo_store::documents::create`. `place` is (client,
/// author, service area, service task).
async fn insert_document(
    tx: &mut PgConnection,
    place: (i64, i64, &str, &str),
    content: &kirjo_domain::document::Content,
    created: Option<chrono::DateTime<Utc>>,
    completed: bool,
) -> anyhow::Result<i64> {
    let (client, author, area, task) = place;
    let decision_definition: Option<String> =
        sqlx::query_scalar("SELECT decision_definition FROM service_task WHERE id = $1")
            .bind(task)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
    Ok(sqlx::query_scalar(kirjo_store::documents::INSERT_DOCUMENT)
        .bind(client)
        .bind(area)
        .bind(content.to_json())
        .bind(content.name(kirjo_domain::contact::Lang::Fi))
        .bind(kirjo_store::documents::definition_of(
            content,
            decision_definition.as_deref(),
        ))
        .bind(author)
        .bind(task)
        .bind(content.kind())
        .bind(created)
        .bind(completed)
        .fetch_one(&mut *tx)
        .await?)
}

/// A year of closed matters, for the lists, the supervisor's chart and
/// THL's figures: child welfare matters of Eetu and Ella in the family
/// services unit, each received the day before a holiday of the past year
/// (Christmas Eve, the year's end, Easter, May Day, Midsummer, ...), one
/// after another for each child; their decisions and assessments on time
/// and late by turns, every third assessment not started. And the adult
/// unit's applications of Kalle, which run no clock.
async fn matter_history(
    tx: &mut PgConnection,
    (eetu, ella, kalle): (i64, i64, i64),
    (sari, pekka): (i64, i64),
) -> anyhow::Result<()> {
    use kirjo_domain::calendar::{add_weekdays, holidays, HolidayKind};
    use kirjo_domain::matter::{ClockRule, Deadlines};
    let today = kirjo_domain::calendar::helsinki_today();
    let (first, last) = (today - Days::new(365), today - Days::new(125));
    let mut anchors: Vec<NaiveDate> = [today.year() - 1, today.year()]
        .into_iter()
        .flat_map(holidays)
        .filter(|h| {
            matches!(
                h.kind,
                HolidayKind::NewYearsDay
                    | HolidayKind::GoodFriday
                    | HolidayKind::MayDay
                    | HolidayKind::MidsummerEve
                    | HolidayKind::AllSaintsDay
                    | HolidayKind::IndependenceDay
                    | HolidayKind::ChristmasEve
            )
        })
        .map(|h| h.date - Days::new(1))
        .filter(|d| (first..=last).contains(d))
        .collect();
    anchors.sort();
    // Eetu's own matter opened 46 days ago: his earlier ones closed before.
    let mut free = [(eetu, first), (ella, first)];
    let eetu_until = today - Days::new(47);
    for (i, received) in anchors.into_iter().enumerate() {
        let due = Deadlines::of(ClockRule::ChildWelfare, received);
        let (Some(start_due), Some(completion_due)) = (due.start_due, due.completion_due) else {
            continue;
        };
        let decided = add_weekdays(received, if i % 2 == 0 { 5 } else { 9 });
        let started = i % 3 != 2;
        let completed = completion_due
            .checked_add_signed(chrono::Duration::days(if i % 4 < 2 { -9 } else { 12 }))
            .unwrap_or(completion_due);
        let closed = if started { completed } else { decided };
        let Some(slot) = free
            .iter_mut()
            .find(|(who, after)| *after < received && (*who != eetu || closed <= eetu_until))
        else {
            continue;
        };
        let client = slot.0;
        slot.1 = closed;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO matter (client_id, register_id, sub_register_id, service_task_id, unit_id,
                                 responsible_worker_id, started_by, started_on, clock, start_due, completion_due,
                                 closed_on, created_by, created_at)
             VALUES ($1, 'sosiaalihuolto', 'lapsiperheet', 'lastensuojelu', 'perheyksikko', $2,
                     'child_welfare_notification', $3, 'child_welfare', $4, $5, $6, $2,
                     ($3::timestamp + time '09:00') AT TIME ZONE 'Europe/Helsinki') RETURNING id",
        )
        .bind(client)
        .bind(sari)
        .bind(received)
        .bind(start_due)
        .bind(completion_due)
        .bind(closed)
        .fetch_one(&mut *tx)
        .await?;
        let mut steps: Vec<(&str, NaiveDate, Option<&str>)> = vec![
            ("urgency_assessed", received, Some("not_urgent")),
            (
                "assessment_decided",
                decided,
                Some(if started { "started" } else { "not_started" }),
            ),
            ("informed", decided, None),
        ];
        if started {
            steps.push(("assessment_completed", completed, None));
            steps.push(("closed", closed, Some("client_work_continues")));
        } else {
            steps.push(("closed", closed, Some("no_need")));
        }
        insert_phases(tx, id, sari, &steps).await?;
    }
    // The adult unit: two applications of Kalle, decided and closed.
    for (months_ago, days) in [(10, 20), (5, 12)] {
        let received = today
            .checked_sub_months(chrono::Months::new(months_ago))
            .unwrap_or(today);
        let closed = received + Days::new(days);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO matter (client_id, register_id, sub_register_id, service_task_id, unit_id,
                                 responsible_worker_id, started_by, started_on, clock, closed_on, created_by,
                                 created_at)
             VALUES ($1, 'sosiaalihuolto', 'aikuiset', 'aikuissosiaalityo', 'aikuisyksikko', $2,
                     'application', $3, 'none', $4, $2,
                     ($3::timestamp + time '09:00') AT TIME ZONE 'Europe/Helsinki') RETURNING id",
        )
        .bind(kalle)
        .bind(pekka)
        .bind(received)
        .bind(closed)
        .fetch_one(&mut *tx)
        .await?;
        insert_phases(
            tx,
            id,
            pekka,
            &[("closed", closed, Some("client_work_continues"))],
        )
        .await?;
    }
    Ok(())
}

/// Records a demo matter's steps as their recorder would have, each on its
/// day.
async fn insert_phases(
    tx: &mut PgConnection,
    matter: i64,
    by: i64,
    steps: &[(&str, NaiveDate, Option<&str>)],
) -> anyhow::Result<()> {
    for (phase, on, outcome) in steps {
        sqlx::query(
            "INSERT INTO matter_phase (matter_id, phase, on_date, outcome, recorded_by, recorded_by_name, recorded_at)
             SELECT $1, $2, $3, $4, u.id, u.name, ($3::timestamp + time '10:00') AT TIME ZONE 'Europe/Helsinki'
             FROM staff_user u WHERE u.id = $5",
        )
        .bind(matter)
        .bind(phase)
        .bind(on)
        .bind(outcome)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Eetu's matter: begun with the grandmother's call (the intake 46 days
/// ago), urgency assessed that day, the assessment started on the 5th
/// weekday and the family told; its 3 months still running.
async fn demo_matter(tx: &mut PgConnection, eetu: i64, sari: i64) -> anyhow::Result<()> {
    use kirjo_domain::matter::{ClockRule, Deadlines};
    let today = kirjo_domain::calendar::helsinki_today();
    let started = today - Days::new(46);
    let intake: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM document WHERE client_id = $1 AND kind = 'intake' AND series_id IS NULL ORDER BY id LIMIT 1",
    )
    .bind(eetu)
    .fetch_optional(&mut *tx)
    .await?;
    let due = Deadlines::of(ClockRule::ChildWelfare, started);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO matter (client_id, register_id, sub_register_id, service_task_id, unit_id,
                             responsible_worker_id, started_by, started_on, clock, start_due, completion_due, created_by)
         VALUES ($1, 'sosiaalihuolto', 'lapsiperheet', 'lastensuojelu', 'perheyksikko', $2, 'other_contact', $3,
                 'child_welfare', $4, $5, $2) RETURNING id",
    )
    .bind(eetu)
    .bind(sari)
    .bind(started)
    .bind(due.start_due)
    .bind(due.completion_due)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(doc) = intake {
        sqlx::query(
            "INSERT INTO matter_document (document_id, matter_id, joined_by) VALUES ($1, $2, $3)",
        )
        .bind(doc)
        .bind(id)
        .bind(sari)
        .execute(&mut *tx)
        .await?;
    }
    let decided = kirjo_domain::calendar::add_weekdays(started, 5);
    let steps: [(&str, chrono::NaiveDate, Option<&str>); 3] = [
        ("urgency_assessed", started, Some("not_urgent")),
        ("assessment_decided", decided, Some("started")),
        ("informed", decided, None),
    ];
    insert_phases(tx, id, sari, &steps).await
}

/// The form kinds of the demo: Eetu's child welfare path from the contact
/// to the decision, an application for Ella's family, and Kalle's
/// activation plan and agreement. Each is checked as a form would check it.
async fn form_documents(
    tx: &mut PgConnection,
    (eetu, ella, kalle): (i64, i64, i64),
    (sari, pekka): (i64, i64),
) -> anyhow::Result<()> {
    use kirjo_domain::document::Content;
    use kirjo_domain::forms::{spec, PartyInput};
    let today = kirjo_domain::calendar::helsinki_today();
    let day = |n: u64| (today - Days::new(n)).to_string();
    let eetu_cw = (eetu, sari, "lapsiperheet", "lastensuojelu");
    let leena = id_of(tx, "leena.esihenkilo").await?;
    let outi = id_of(tx, "outi.sijainen").await?;
    // (place, kind, days ago, fields, parties)
    type Doc<'a> = (
        (i64, i64, &'a str, &'a str),
        &'a str,
        u64,
        Vec<(&'a str, String)>,
        Vec<PartyInput>,
    );
    let docs: Vec<Doc> = vec![
        (eetu_cw, "intake", 46, vec![
            ("date", day(46)),
            ("contact_by", "relative".into()),
            ("contact_name", "Isoäiti, puhelinnumero asiakirjassa".into()),
            ("channel", "phone".into()),
            ("description", "Isoäiti kertoi huolestaan: Eetu on ollut väsynyt ja kertonut, ettei kotona aina ole ruokaa.".into()),
            ("actions", "Ohjattu tekemään lastensuojeluilmoitus; sovittu yhteydenotosta huoltajiin.".into()),
        ], vec![]),
        (eetu_cw, "information_received", 33, vec![
            ("date", day(33)),
            ("source", "Harjuniemen koulu, luokanopettaja".into()),
            ("received", "Poissaolot syyslukukaudelta: 14 päivää, joista 9 selvittämättä.".into()),
            ("requested_on", day(36)),
            ("requested_by", "Sari Sosiaalityöntekijä".into()),
            ("requested", "Eetun poissaolot ja opettajan havainnot hyvinvoinnista.".into()),
            ("basis_kind", "law".into()),
            ("basis", "Lastensuojelulaki (417/2007) 41 §".into()),
            ("purpose", "Lastensuojelutarpeen selvitys".into()),
        ], vec![]),
        (eetu_cw, "service_need_assessment", 10, vec![
            ("matter_started_on", day(40)),
            ("started_on", day(34)),
            ("date", day(10)),
            ("situation", "Perheen arki on kuormittunut vanhempien vuorotyön vuoksi; Eetun koulunkäynti on takkuillut.".into()),
            ("strengths", "Vanhemmat ovat sitoutuneet yhteistyöhön; isovanhemmat asuvat lähellä.".into()),
            ("client_view", "Eetu toivoo aikuista, jonka kanssa tehdä asioita.".into()),
            ("findings", "Lapsen kasvuolosuhteet edellyttävät avohuollon tukitoimia.".into()),
            ("services_needed", "Tukihenkilö Eetulle, perhetyö kahdesti kuukaudessa; asiakassuunnitelma laaditaan.".into()),
            ("special_support", "true".into()),
            ("client_continues", "true".into()),
            ("needs_own_worker", "true".into()),
            ("plan_made", "true".into()),
        ], vec![]),
        (eetu_cw, "client_plan", 8, vec![
            ("date", day(8)),
            ("participants", "Eetu, Minna ja Jari Mäkinen, sosiaalityöntekijä, perhetyöntekijä".into()),
            ("situation", "Koulunkäynnin säännöllisyys ja arjen rytmi.".into()),
            ("strengths", "Eetu harrastaa jalkapalloa; vanhemmat haluavat muutosta.".into()),
            ("goals", "Eetu käy koulua säännöllisesti; perheellä on yhteinen ateria päivittäin.".into()),
            ("services", "Tukihenkilö kerran viikossa; perhetyö kahdesti kuukaudessa.".into()),
            ("rights_explained", "true".into()),
            ("review", "Kolmen kuukauden kuluttua".into()),
        ], vec![]),
        // Drafted by Sari, decided by Leena (docs/decisions.md).
        (eetu_cw, "decision", 7, vec![
            ("date", day(7)),
            ("matter_started_on", day(40)),
            ("outcome", "positive".into()),
            ("service", "support_person_or_family".into()),
            ("service_description", "Tukihenkilö Eetulle kerran viikossa".into()),
            ("decision_text", "Eetulle myönnetään tukihenkilö avohuollon tukitoimena. Palvelutarpeen arvioinnin mukaan Eetu tarvitsee turvallisen aikuisen tukea koulunkäyntiin ja vapaa-aikaan.".into()),
            ("legal_basis", "Lastensuojelulaki (417/2007) 36 §".into()),
            ("valid_from", day(7)),
            ("decision_maker", leena.to_string()),
            ("information_phone", "010 555 1234".into()),
        ], vec![
            PartyInput { name: "Minna Mäkinen".into(), method: "handed".into(), served_on: day(7) },
            PartyInput { name: "Jari Mäkinen".into(), method: "letter".into(), served_on: String::new() },
            PartyInput { name: "Eetu Mäkinen".into(), method: "handed".into(), served_on: day(7) },
        ]),
        // An earlier one, drafted by Sari and decided by Outi, served and
        // final after its appeal period.
        (eetu_cw, "decision", 75, vec![
            ("date", day(75)),
            ("outcome", "positive".into()),
            ("service", "support_person_or_family".into()),
            ("service_description", "Perhetyö kahdesti kuukaudessa".into()),
            ("decision_text", "Perheelle myönnetään perhetyötä avohuollon tukitoimena kolmen kuukauden ajaksi.".into()),
            ("legal_basis", "Lastensuojelulaki (417/2007) 36 §".into()),
            ("valid_from", day(75)),
            ("decision_maker", outi.to_string()),
            ("information_phone", "010 555 1234".into()),
        ], vec![
            PartyInput { name: "Minna Mäkinen".into(), method: "letter".into(), served_on: String::new() },
            PartyInput { name: "Jari Mäkinen".into(), method: "electronic".into(), served_on: String::new() },
        ]),
        (eetu_cw, "statement", 5, vec![
            ("date", day(5)),
            ("recipient", "Harjuniemen koulu, oppilashuoltoryhmä".into()),
            ("purpose", "Oppilashuollon tuen suunnittelu".into()),
            ("grounds", "Huoltajien suostumus".into()),
            ("content", "Eetu on lastensuojelun avohuollon asiakas ja hänellä on tukihenkilö. Suosittelemme koulun ja perheen tiivistä yhteydenpitoa.".into()),
        ], vec![]),
        ((ella, sari, "lapsiperheet", "lapsiperheiden_kotipalvelu"), "application", 20, vec![
            ("date", day(20)),
            ("service", "Lapsiperheiden kotipalvelu".into()),
            ("period_from", day(10)),
            ("reasons", "Vanhemman sairastuminen; arjen tuki lasten hoitoon kahden kuukauden ajan.".into()),
            ("electronic_service", "true".into()),
        ], vec![]),
        // A families' services decision: out as Sosmeta's families' services
        // decision (11001), not the child welfare one, by its service task.
        ((ella, sari, "lapsiperheet", "lapsiperheiden_kotipalvelu"), "decision", 15, vec![
            ("date", day(15)),
            ("matter_started_on", day(20)),
            ("outcome", "positive".into()),
            ("service", "social_work".into()),
            ("service_description", "Lapsiperheiden kotipalvelu kahdesti viikossa kahden kuukauden ajan".into()),
            ("decision_text", "Perheelle myönnetään lapsiperheiden kotipalvelua vanhemman sairastumisen ajaksi. Palvelu tukee lasten hoitoa ja arjen sujumista.".into()),
            ("legal_basis", "Sosiaalihuoltolaki (1301/2014) 19 §".into()),
            ("valid_from", day(14)),
            ("decision_maker", leena.to_string()),
            ("information_phone", "010 555 1234".into()),
        ], vec![
            PartyInput { name: "Minna Mäkinen".into(), method: "electronic".into(), served_on: String::new() },
        ]),
        ((kalle, pekka, "aikuiset", "kuntouttava_tyotoiminta"), "activation_plan", 25, vec![
            ("date", day(25)),
            ("participants", "Kalle Virtanen, sosiaaliohjaaja, työvoimaviranomaisen asiantuntija".into()),
            ("situation", "Pitkä työttömyys; Kalle haluaa päivärytmin takaisin.".into()),
            ("goals", "Säännöllinen päivärytmi ja työelämävalmiudet.".into()),
            ("measures", "Kuntouttava työtoiminta kolmena päivänä viikossa.".into()),
            ("client_tasks", "Osallistuu työtoimintaan ja ilmoittaa poissaoloista.".into()),
            ("work_activity", "Puutyöverstas".into()),
            ("days_per_week", "3".into()),
            ("hours_per_day", "4".into()),
            ("review", "Puolen vuoden kuluttua".into()),
        ], vec![]),
        ((kalle, pekka, "aikuiset", "kuntouttava_tyotoiminta"), "agreement", 24, vec![
            ("date", day(24)),
            ("other_parties", "Harjuniemen Työpaja ry".into()),
            ("content", "Kuntouttava työtoiminta Harjuniemen Työpajalla aktivointisuunnitelman mukaisesti.".into()),
            ("terms", "Poissaoloista ilmoitetaan työpajan ohjaajalle samana aamuna.".into()),
            ("valid_from", day(20)),
        ], vec![]),
    ];
    let templates = kirjo_store::decisions::templates(&mut *tx).await?;
    let mut decisions = Vec::new();
    for (place, kind, ago, fields, parties) in docs {
        let spec = spec(kind).ok_or_else(|| anyhow::anyhow!("demo kind {kind}"))?;
        let values = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let mut form = spec
            .check(&values, &parties, today)
            .map_err(|e| anyhow::anyhow!("demo {kind}: {e:?}"))?;
        let created = (today - Days::new(ago))
            .and_hms_opt(13, 0, 0)
            .map(|t| t.and_utc());
        let mut template = None;
        if kind == "decision" {
            let basis = form
                .values
                .get("legal_basis")
                .map(|v| v.as_input())
                .unwrap_or_default();
            let t = kirjo_domain::decision::template_for(&templates, &basis)
                .ok_or_else(|| anyhow::anyhow!("demo decision: no appeal template for {basis}"))?;
            form.set_appeal(t.means.as_str(), &t.instructions_fi, &t.period_fi());
            template = Some(t.clone());
        }
        let maker = kirjo_store::decisions::named_maker(&Content::Form(form.clone()));
        let id = insert_document(tx, place, &Content::Form(form), created, true).await?;
        if let (Some(t), Some(maker), Some(at)) = (template, maker, created) {
            decisions.push((id, place.1, maker, at, t, ago));
        }
    }
    // Each decision decided by its maker the day it was drafted; served.
    for (id, drafter, maker, at, t, ago) in decisions {
        sqlx::query(
            "INSERT INTO decision_act (document_id, drafted_by, decided_by, decided_at, maker_first_names,
                                       maker_surname, maker_title, appeal_template_id)
             SELECT $1, $2, u.id, $4, u.first_names, u.surname, u.title, $5 FROM staff_user u WHERE u.id = $3",
        )
        .bind(id)
        .bind(drafter)
        .bind(maker)
        .bind(at)
        .bind(&t.id)
        .execute(&mut *tx)
        .await?;
        use kirjo_domain::decision::ServiceMethod as M;
        // (party, name, method, days ago sent)
        let served: Vec<(i32, &str, M, u64)> = if ago > 30 {
            vec![
                (0, "Minna Mäkinen", M::Post, ago - 1),
                (1, "Jari Mäkinen", M::Electronic, ago - 1),
            ]
        } else {
            vec![
                (0, "Minna Mäkinen", M::InPerson, ago),
                (2, "Eetu Mäkinen", M::InPerson, ago),
            ]
        };
        for (party, name, method, sent_ago) in served {
            let sent = today - Days::new(sent_ago);
            let on = kirjo_domain::decision::served_on(method, sent, None)
                .map_err(|e| anyhow::anyhow!("demo service: {e:?}"))?;
            sqlx::query(
                "INSERT INTO decision_service (document_id, party, party_name, method, sent_on, served_on,
                                               appeal_ends_on, recorded_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(party)
            .bind(name)
            .bind(method.as_str())
            .bind(sent)
            .bind(on)
            .bind(kirjo_domain::decision::appeal_ends_on(on, t.days))
            .bind(drafter)
            .execute(&mut *tx)
            .await?;
        }
        if ago > 30 {
            sqlx::query(
                "UPDATE decision_act SET final_ground = 'appeal_periods_passed', final_by = $2,
                        final_at = now() - interval '20 days' WHERE document_id = $1",
            )
            .bind(id)
            .bind(drafter)
            .execute(&mut *tx)
            .await?;
        }
    }
    // A draft of Sari's that names Leena, waiting for her to decide it.
    let values = [
        ("date", day(1)),
        ("outcome", "positive".into()),
        ("service", "support_person_or_family".into()),
        (
            "service_description",
            "Tukiperhe Eetulle kerran kuukaudessa".into(),
        ),
        (
            "decision_text",
            "Eetulle myönnetään tukiperhe avohuollon tukitoimena viikonlopuksi kerran kuukaudessa."
                .into(),
        ),
        ("legal_basis", "Lastensuojelulaki (417/2007) 36 §".into()),
        ("decision_maker", leena.to_string()),
        ("information_phone", "010 555 1234".into()),
    ]
    .into_iter()
    .map(|(k, v): (&str, String)| (k.to_owned(), v))
    .collect();
    let parties = [
        PartyInput {
            name: "Minna Mäkinen".into(),
            method: "handed".into(),
            served_on: String::new(),
        },
        PartyInput {
            name: "Jari Mäkinen".into(),
            method: "letter".into(),
            served_on: String::new(),
        },
    ];
    let draft = spec("decision")
        .ok_or_else(|| anyhow::anyhow!("decision"))?
        .check(&values, &parties, today)
        .map_err(|e| anyhow::anyhow!("demo draft decision: {e:?}"))?;
    let created = (today - Days::new(1))
        .and_hms_opt(10, 0, 0)
        .map(|t| t.and_utc());
    insert_document(tx, eetu_cw, &Content::Form(draft), created, false).await?;
    Ok(())
}
