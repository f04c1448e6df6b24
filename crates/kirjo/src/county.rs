//! `kirjo bench county`: a synthetic wellbeing-services county loaded on
//! top of the demo, for measuring Kirjo at a county's size.
//!
//! Everything is generated on the fly from a seed (the same seed gives the
//! same county) and written with COPY in chunks, never a whole table in
//! memory. The load is in parts (persons, families, workers, relationships,
//! documents, use log), each one transaction that also records the part as
//! done in `county_load`: a rerun skips the finished parts, and an
//! interrupted part was rolled back and is done again from the start.
//!
//! Ids are reserved from each table's identity sequence and written
//! explicitly (COPY writes identity columns as given), so a part can name
//! rows of another without reading them back: person `i` of the county is
//! `person_base + i`, the documents of the clients follow one another from
//! `document_base`.
//!
//! The use log is sealed as it is written, with the sealer's own code
//! (`UseRow::leaf`, `merkle_root`, `chain_hash`, `genesis`, the signed
//! `Checkpoint`) in batches of [`audit::SEAL_BATCH`] rows, as if the sealer
//! had run through those years: each batch's seal is dated at its last row.
//! `kirjo audit verify` holds on the result.
//!
//! There is no matter (asia) table yet: matters are not generated. Child
//! welfare notifications are documents of their kind.

use anyhow::{bail, Context};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use kirjo_domain::hetu::{CenturySign, PersonalIdentityCode};
use kirjo_store::audit::{self, AuditLog, Checkpoint, SigningKey, UseRow};
use kirjo_store::PgPool;
use sqlx::{Connection, PgConnection, Row};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Instant;

/// What to load.
#[derive(Debug)]
pub struct CountyOptions<'a> {
    pub persons: u64,
    pub seed: u64,
    /// The audit signing key the sealer uses.
    pub key: &'a SigningKey,
    /// Print progress per table to standard error.
    pub progress: bool,
}

/// One part of the load.
#[derive(Debug, Clone)]
pub struct PartReport {
    pub part: &'static str,
    /// Rows written, per table.
    pub tables: Vec<(&'static str, u64)>,
    pub seconds: f64,
    /// Done by an earlier run.
    pub skipped: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CountyReport {
    pub parts: Vec<PartReport>,
}

impl CountyReport {
    /// Whether this run wrote nothing (every part was done before).
    pub fn all_skipped(&self) -> bool {
        self.parts.iter().all(|p| p.skipped)
    }
}

const PARTS: [&str; 6] = [
    "persons",
    "families",
    "workers",
    "relationships",
    "documents",
    "use_log",
];

/// Rows per COPY statement.
const CHUNK_ROWS: usize = 20_000;
/// Clients per worker, on average.
const CLIENTS_PER_WORKER: u64 = 60;
/// Years of history.
const YEARS: u64 = 6;

// ---------------------------------------------------------------------------
// Randomness: SplitMix64, one stream per (purpose, index), so that every part
// regenerates exactly what another generated.

#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.0 ^= r
            .next()
            .wrapping_add(index.wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

const S_HOUSEHOLD: u64 = 1;
const S_CLIENT: u64 = 2;
const S_FAMILY: u64 = 3;
const S_WORKER: u64 = 4;
const S_DOCUMENT: u64 = 5;
const S_LOG: u64 = 6;

/// Picks from a weighted table by a cumulative sum.
#[derive(Debug)]
struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<u64>,
}

impl<T: Clone> Weighted<T> {
    fn new(pairs: impl IntoIterator<Item = (T, u64)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut sum = 0;
        for (t, w) in pairs {
            sum += w.max(1);
            items.push(t);
            cumulative.push(sum);
        }
        Self { items, cumulative }
    }
    fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }
    fn pick(&self, rng: &mut Rng) -> Option<&T> {
        let x = rng.below(self.total());
        let i = self.cumulative.partition_point(|c| *c <= x);
        self.items.get(i)
    }
}

// ---------------------------------------------------------------------------
// Names

/// Common surnames with a frequency skew: the first hits about 1.7% of
/// persons, as the commonest Finnish surnames do in a region.
const SURNAMES: &[(&str, u64)] = &[
    ("Korhonen", 20),
    ("Virtanen", 19),
    ("Mäkinen", 16),
    ("Nieminen", 15),
    ("Mäkelä", 14),
    ("Hämäläinen", 13),
    ("Laine", 13),
    ("Heikkinen", 12),
    ("Koskinen", 12),
    ("Järvinen", 11),
    ("Lehtonen", 11),
    ("Lehtinen", 11),
    ("Saarinen", 10),
    ("Salminen", 10),
    ("Heinonen", 10),
    ("Niemi", 10),
    ("Heikkilä", 9),
    ("Kinnunen", 9),
    ("Salonen", 9),
    ("Turunen", 9),
    ("Salo", 9),
    ("Laitinen", 8),
    ("Tuominen", 8),
    ("Rantanen", 8),
    ("Karjalainen", 8),
    ("Jokinen", 8),
    ("Mattila", 7),
    ("Savolainen", 7),
    ("Lahtinen", 7),
    ("Ahonen", 7),
    ("Kettunen", 6),
    ("Leinonen", 6),
    ("Hiltunen", 6),
    ("Miettinen", 6),
    ("Pitkänen", 6),
    ("Aaltonen", 6),
    ("Manninen", 6),
    ("Koivisto", 6),
    ("Anttila", 5),
    ("Väisänen", 5),
    ("Lindholm", 5),
    ("Hirvonen", 5),
    ("Seppälä", 5),
    ("Eskola", 5),
    ("Räsänen", 5),
    ("Kallio", 5),
    ("Lindqvist", 4),
    ("Peltonen", 4),
    ("Vainio", 4),
    ("Ojala", 4),
];
const SURNAME_STEMS: &[&str] = &[
    "Kivi", "Mänty", "Koivu", "Leppä", "Haapa", "Tammi", "Kuusi", "Pihlaja", "Vaahtera", "Joki",
    "Järvi", "Lampi", "Suo", "Mäki", "Vaara", "Harju", "Niitty", "Pelto", "Ranta", "Salmi",
    "Saari", "Lahti", "Koski", "Kallio", "Laakso", "Rinne", "Kangas", "Nummi", "Ahde", "Orava",
];
const SURNAME_SUFFIXES: &[&str] = &["nen", "la", "lä", "maa", "vaara", "salo"];

const MALE_NAMES: &[(&str, u64)] = &[
    ("Juhani", 30),
    ("Mikael", 25),
    ("Johannes", 20),
    ("Matti", 14),
    ("Timo", 12),
    ("Antero", 12),
    ("Kari", 11),
    ("Jari", 10),
    ("Mikko", 10),
    ("Antti", 10),
    ("Jukka", 9),
    ("Markku", 8),
    ("Pekka", 8),
    ("Juha", 8),
    ("Heikki", 7),
    ("Ville", 7),
    ("Olli", 6),
    ("Eino", 6),
    ("Onni", 6),
    ("Leo", 6),
    ("Elias", 6),
    ("Väinö", 5),
    ("Aleksi", 5),
    ("Tapani", 5),
    ("Ilmari", 5),
    ("Oskari", 5),
    ("Lauri", 4),
    ("Tuomas", 4),
    ("Janne", 4),
    ("Sami", 4),
];
const FEMALE_NAMES: &[(&str, u64)] = &[
    ("Maria", 30),
    ("Anneli", 20),
    ("Johanna", 18),
    ("Helena", 15),
    ("Tuula", 10),
    ("Ritva", 9),
    ("Anna", 9),
    ("Päivi", 8),
    ("Sari", 8),
    ("Leena", 8),
    ("Minna", 7),
    ("Hanna", 7),
    ("Aino", 7),
    ("Sofia", 6),
    ("Emilia", 6),
    ("Aada", 5),
    ("Ella", 5),
    ("Olivia", 5),
    ("Liisa", 5),
    ("Kaarina", 5),
    ("Elina", 5),
    ("Tiina", 4),
    ("Marjatta", 4),
    ("Katariina", 4),
    ("Linnea", 4),
    ("Sanna", 4),
    ("Kaisa", 4),
    ("Outi", 3),
    ("Riikka", 3),
    ("Eveliina", 3),
];
const STREETS: &[&str] = &[
    "Koulukatu",
    "Kirkkokatu",
    "Asemakatu",
    "Rantatie",
    "Myllytie",
    "Koivukuja",
    "Pajutie",
    "Peltotie",
    "Harjutie",
    "Kauppakatu",
    "Puistokatu",
    "Mäkitie",
    "Niittykuja",
    "Satamakatu",
    "Kalliontie",
];

#[derive(Debug)]
struct Names {
    surnames: Weighted<String>,
    male: Weighted<&'static str>,
    female: Weighted<&'static str>,
}

impl Names {
    fn new() -> Self {
        let mut surnames: Vec<(String, u64)> = SURNAMES
            .iter()
            .map(|(s, w)| ((*s).to_owned(), *w))
            .collect();
        for stem in SURNAME_STEMS {
            for suffix in SURNAME_SUFFIXES {
                surnames.push((format!("{stem}{suffix}"), 3));
            }
        }
        Self {
            surnames: Weighted::new(surnames),
            male: Weighted::new(MALE_NAMES.iter().copied()),
            female: Weighted::new(FEMALE_NAMES.iter().copied()),
        }
    }
    fn surname(&self, rng: &mut Rng) -> String {
        self.surnames
            .pick(rng)
            .cloned()
            .unwrap_or_else(|| "Korhonen".to_owned())
    }
    /// First names (one to three) and the calling name.
    fn first_names(&self, rng: &mut Rng, male: bool) -> (String, String) {
        let table = if male { &self.male } else { &self.female };
        let n = 1 + usize::from(rng.chance(0.8)) + usize::from(rng.chance(0.25));
        let mut names: Vec<&str> = Vec::with_capacity(n);
        while names.len() < n {
            let name = table.pick(rng).copied().unwrap_or("Aino");
            if !names.contains(&name) {
                names.push(name);
            }
            if names.len() < n && rng.chance(0.05) {
                break;
            }
        }
        let calling = names.first().copied().unwrap_or("Aino").to_owned();
        (names.join(" "), calling)
    }
}

// ---------------------------------------------------------------------------
// Persons and households

#[derive(Debug, Clone)]
struct PersonSpec {
    index: u64,
    first_names: String,
    calling_name: String,
    surname: String,
    birth: NaiveDate,
    identity_code: String,
    municipality: usize,
    mother_tongue: &'static str,
}

#[derive(Debug, Clone)]
struct Household {
    /// Adults first, then children.
    members: Vec<PersonSpec>,
    adults: usize,
    street: &'static str,
    number: u64,
}

/// Generates the county's households, person by person in index order.
#[derive(Debug)]
struct Households<'a> {
    seed: u64,
    persons: u64,
    next_index: u64,
    household: u64,
    today: NaiveDate,
    names: &'a Names,
    municipalities: &'a Weighted<usize>,
    /// Codes in use before the county, and (birth day, sex) -> next number.
    taken: &'a HashSet<String>,
    next_number: HashMap<(i32, bool), u16>,
}

impl<'a> Households<'a> {
    fn new(ctx: &'a County, seed: u64, persons: u64) -> Self {
        Self {
            seed,
            persons,
            next_index: 0,
            household: 0,
            today: ctx.today,
            names: &ctx.names,
            municipalities: &ctx.municipalities,
            taken: &ctx.taken_codes,
            next_number: HashMap::new(),
        }
    }

    fn birth(&self, rng: &mut Rng, min_age: u64, max_age: u64) -> NaiveDate {
        let days = rng.range(min_age * 365 + 1, max_age * 365 + 364);
        self.today - Days::new(days)
    }

    /// A temporary identity code (individual number 900-999) unique in the
    /// register; moves the birth day on when a day's numbers are used up.
    fn code(&mut self, mut birth: NaiveDate, male: bool) -> (NaiveDate, String) {
        loop {
            let key = (birth.num_days_from_ce(), male);
            let start = if male { 901 } else { 900 };
            let next = self.next_number.entry(key).or_insert(start);
            while *next <= 999 {
                let n = *next;
                *next += 2;
                let sign = if birth.year() >= 2000 {
                    CenturySign::A
                } else {
                    CenturySign::Minus
                };
                if let Ok(code) = PersonalIdentityCode::from_parts(birth, sign, n) {
                    if !self.taken.contains(code.as_str()) {
                        return (birth, code.as_str().to_owned());
                    }
                }
            }
            birth = birth.pred_opt().unwrap_or(birth);
        }
    }

    fn person(
        &mut self,
        rng: &mut Rng,
        birth: NaiveDate,
        surname: &str,
        municipality: usize,
    ) -> PersonSpec {
        let male = rng.chance(0.5);
        let (first_names, calling_name) = self.names.first_names(rng, male);
        let (birth, identity_code) = self.code(birth, male);
        let index = self.next_index;
        self.next_index += 1;
        let mother_tongue = match rng.below(100) {
            0..=86 => "fi",
            87..=92 => "sv",
            93..=94 => "ru",
            95 => "et",
            96 => "so",
            97 => "ar",
            98 => "en",
            _ => "uk",
        };
        PersonSpec {
            index,
            first_names,
            calling_name,
            surname: surname.to_owned(),
            birth,
            identity_code,
            municipality,
            mother_tongue,
        }
    }
}

impl Iterator for Households<'_> {
    type Item = Household;

    fn next(&mut self) -> Option<Household> {
        if self.next_index >= self.persons {
            return None;
        }
        let mut rng = Rng::new(self.seed, S_HOUSEHOLD, self.household);
        self.household += 1;
        let municipality = self.municipalities.pick(&mut rng).copied().unwrap_or(0);
        let surname = self.names.surname(&mut rng);
        // (adults, children, adult ages, child ages)
        let (adults, children, adult_age) = match rng.below(100) {
            0..=29 => (1, 0, (18, 69)),
            30..=41 => (1, 0, (70, 98)),
            42..=64 => (2, 0, (25, 90)),
            65..=89 => (2, rng.range(1, 3), (25, 55)),
            _ => (1, rng.range(1, 2), (22, 55)),
        };
        let mut members = Vec::new();
        let first_birth = self.birth(&mut rng, adult_age.0, adult_age.1);
        let first = self.person(&mut rng, first_birth, &surname, municipality);
        members.push(first);
        if adults == 2 && self.next_index < self.persons {
            let spouse_surname = if rng.chance(0.8) {
                surname.clone()
            } else {
                self.names.surname(&mut rng)
            };
            let offset = rng.below(6 * 365);
            let birth = first_birth
                .checked_add_days(Days::new(offset))
                .filter(|d| *d < self.today - Days::new(18 * 365))
                .unwrap_or(first_birth);
            let spouse = self.person(&mut rng, birth, &spouse_surname, municipality);
            members.push(spouse);
        }
        let adults = members.len();
        let youngest_parent = members.iter().map(|m| m.birth).max().unwrap_or(first_birth);
        let parent_age = (self.today - youngest_parent).num_days().max(0) as u64 / 365;
        for _ in 0..children {
            if self.next_index >= self.persons {
                break;
            }
            // Children born after the parent turned 20.
            let max_age = parent_age.saturating_sub(20).min(17);
            let birth = self.birth(&mut rng, 0, max_age);
            let child = self.person(&mut rng, birth, &surname, municipality);
            members.push(child);
        }
        Some(Household {
            members,
            adults,
            street: rng.pick(STREETS).copied().unwrap_or("Koulukatu"),
            number: rng.range(1, 120),
        })
    }
}

// ---------------------------------------------------------------------------
// What the database already holds: the demo's register, areas, units.

#[derive(Debug, Clone)]
struct Area {
    id: String,
    unit: String,
    unit_name: String,
    for_children: bool,
    /// (service task, kinds it allows; None: all)
    tasks: Vec<(String, Option<Vec<String>>)>,
    proposer: i64,
}

#[derive(Debug, Clone)]
struct Template {
    kind: String,
    content: serde_json::Value,
    name: String,
    definition_oid: String,
}

#[derive(Debug)]
struct County {
    today: NaiveDate,
    now: DateTime<Utc>,
    register: String,
    organiser: String,
    areas: Vec<Area>,
    municipality_codes: Vec<String>,
    municipalities: Weighted<usize>,
    taken_codes: HashSet<String>,
    names: Names,
    templates: Vec<Template>,
    admin: i64,
}

async fn context(
    conn: &mut PgConnection,
    person_range: Option<(i64, i64)>,
) -> anyhow::Result<County> {
    let now = Utc::now();
    let today = kirjo_domain::calendar::helsinki_today();
    let register: String =
        sqlx::query_scalar("SELECT id FROM register WHERE in_configuration ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .context("no register: run the county on a database with the configuration loaded")?;
    let organiser: String = sqlx::query_scalar("SELECT name FROM controller WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
        .context("no controller in the database")?;
    let admin: i64 = sqlx::query_scalar(
        "SELECT user_id FROM role_grant WHERE role = 'main_administrator' AND ended_at IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    .context("no main administrator: load the demo first (kirjo demo, or demo::install)")?;
    let area_rows = sqlx::query(
        "SELECT s.id, \
           (SELECT g.unit_id FROM role_grant g JOIN unit u ON u.id = g.unit_id \
             WHERE g.sub_register_id = s.id AND u.provider_id IS NULL ORDER BY g.role <> 'unit_supervisor', g.id LIMIT 1) AS unit, \
           (SELECT g.user_id FROM role_grant g \
             WHERE g.sub_register_id = s.id AND g.role = 'unit_supervisor' ORDER BY g.id LIMIT 1) AS supervisor \
         FROM sub_register s WHERE s.register_id = $1 AND s.in_configuration ORDER BY s.id",
    )
    .bind(&register)
    .fetch_all(&mut *conn)
    .await?;
    let mut areas = Vec::new();
    for r in &area_rows {
        let id: String = r.try_get("id")?;
        let Some(unit) = r.try_get::<Option<String>, _>("unit")? else {
            continue;
        };
        let unit_name: String = sqlx::query_scalar("SELECT name_fi FROM unit WHERE id = $1")
            .bind(&unit)
            .fetch_one(&mut *conn)
            .await?;
        let tasks: Vec<(String, Option<Vec<String>>)> = sqlx::query_as(
            "SELECT id, document_kinds FROM service_task WHERE sub_register_id = $1 AND in_configuration ORDER BY id",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        if tasks.is_empty() {
            continue;
        }
        let for_children = tasks.iter().any(|(_, kinds)| {
            kinds
                .as_ref()
                .is_some_and(|k| k.iter().any(|k| k == "child_welfare_notification"))
        }) || id.contains("lapsi");
        areas.push(Area {
            id,
            unit,
            unit_name,
            for_children,
            tasks,
            proposer: r.try_get::<Option<i64>, _>("supervisor")?.unwrap_or(admin),
        });
    }
    if areas.is_empty() {
        bail!(
            "the register has no service area with a unit and service tasks: load the demo first"
        );
    }
    let (lo, hi) = person_range.unwrap_or((i64::MAX, i64::MAX));
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT identity_code FROM person WHERE identity_code IS NOT NULL AND NOT (id BETWEEN $1 AND $2)",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    let muni: Vec<(String, i64)> = sqlx::query_as(
        "SELECT home_municipality, count(*) FROM person WHERE home_municipality IS NOT NULL \
         AND NOT (id BETWEEN $1 AND $2) GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    let mut municipality_codes: Vec<String> = muni.into_iter().map(|(c, _)| c).collect();
    if municipality_codes.is_empty() {
        municipality_codes.push("091".to_owned());
    }
    // The commonest is the county's centre; the others smaller.
    let municipalities =
        Weighted::new((0..municipality_codes.len()).map(|i| (i, if i == 0 { 60 } else { 10 })));
    let template_rows = sqlx::query(
        "SELECT DISTINCT ON (kind) kind, content, name, definition_oid FROM document \
         WHERE corrects_id IS NULL AND state = 'completed' ORDER BY kind, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut templates = Vec::new();
    for r in &template_rows {
        templates.push(Template {
            kind: r.try_get("kind")?,
            content: r.try_get("content")?,
            name: r.try_get("name")?,
            definition_oid: r.try_get("definition_oid")?,
        });
    }
    if !templates.iter().any(|t| t.kind == "narrative") {
        bail!("the demo documents are missing: load the demo first");
    }
    Ok(County {
        today,
        now,
        register,
        organiser,
        areas,
        municipality_codes,
        municipalities,
        taken_codes: codes.into_iter().collect(),
        names: Names::new(),
        templates,
        admin,
    })
}

// ---------------------------------------------------------------------------
// Clients: who of the persons is one, where, with whom, how much.

#[derive(Debug, Clone, Copy)]
struct Client {
    person: u64,
    area: usize,
    /// Index into the area's workers.
    worker: u32,
    started: NaiveDate,
    ended: Option<NaiveDate>,
    document_first: u64,
    documents: u32,
    child: bool,
}

/// Documents per client: most few, some hundreds; 10 on average.
fn document_count(rng: &mut Rng) -> u32 {
    let n = match rng.below(100) {
        0..=61 => rng.range(1, 5),
        62..=91 => rng.range(6, 18),
        92..=98 => rng.range(19, 61),
        _ => rng.range(100, 300),
    };
    n as u32
}

#[derive(Debug)]
struct Workers {
    /// Per area: the county workers' weights (a few carry ~300 clients).
    weights: Vec<Weighted<u32>>,
    per_area: Vec<u32>,
}

fn workers_for(clients_per_area: &[u64]) -> Workers {
    let mut weights = Vec::new();
    let mut per_area = Vec::new();
    for &c in clients_per_area {
        let n = c.div_ceil(CLIENTS_PER_WORKER).max(1) as u32;
        // Every 25th worker has six times the caseload.
        weights.push(Weighted::new(
            (0..n).map(|k| (k, if k % 25 == 3 { 6 } else { 1 })),
        ));
        per_area.push(n);
    }
    Workers { weights, per_area }
}

/// Walks the households and the clients among them. `f` gets each
/// household, and each client of it.
fn walk(
    ctx: &County,
    seed: u64,
    persons: u64,
    mut f: impl FnMut(&Household, &[Client]) -> anyhow::Result<()>,
    workers: Option<&Workers>,
) -> anyhow::Result<(Vec<u64>, u64)> {
    let mut clients_per_area = vec![0u64; ctx.areas.len()];
    let mut document_next = 0u64;
    let adult_areas: Vec<usize> = (0..ctx.areas.len())
        .filter(|a| !ctx.areas[*a].for_children)
        .collect();
    let child_areas: Vec<usize> = (0..ctx.areas.len())
        .filter(|a| ctx.areas[*a].for_children)
        .collect();
    let history_days = YEARS * 365;
    for h in Households::new(ctx, seed, persons) {
        let mut clients = Vec::new();
        let has_children = h.members.len() > h.adults;
        for (k, p) in h.members.iter().enumerate() {
            let mut rng = Rng::new(seed, S_CLIENT, p.index);
            let child = k >= h.adults;
            let p_client = if child {
                0.45
            } else if has_children {
                0.42
            } else {
                0.37
            };
            if !rng.chance(p_client) {
                continue;
            }
            let area = if (child || (has_children && rng.chance(0.6))) && !child_areas.is_empty() {
                rng.pick(&child_areas).copied()
            } else {
                rng.pick(&adult_areas).copied()
            }
            .or_else(|| rng.pick(&child_areas).copied())
            .unwrap_or(0);
            clients_per_area[area] += 1;
            let earliest = p.birth.max(ctx.today - Days::new(history_days));
            let span = (ctx.today - earliest).num_days().max(1) as u64;
            let started = earliest + Days::new(rng.below(span));
            let ended = if rng.chance(0.2) {
                let left = (ctx.today - started).num_days().max(0) as u64;
                Some(started + Days::new(rng.below(left + 1)))
            } else {
                None
            };
            let documents = document_count(&mut rng);
            let worker = match workers.and_then(|w| w.weights.get(area)) {
                Some(w) => w.pick(&mut rng).copied().unwrap_or(0),
                None => 0,
            };
            clients.push(Client {
                person: p.index,
                area,
                worker,
                started,
                ended,
                document_first: document_next,
                documents,
                child,
            });
            document_next += u64::from(documents);
        }
        f(&h, &clients)?;
    }
    Ok((clients_per_area, document_next))
}

// ---------------------------------------------------------------------------
// COPY in CSV

#[derive(Debug, Default)]
struct Csv {
    buf: String,
    rows: usize,
    first: bool,
}

impl Csv {
    fn row(&mut self) -> &mut Self {
        if self.rows > 0 || !self.buf.is_empty() {
            self.buf.push('\n');
        }
        self.rows += 1;
        self.first = true;
        self
    }
    fn sep(&mut self) {
        if !self.first {
            self.buf.push(',');
        }
        self.first = false;
    }
    fn text(&mut self, v: &str) -> &mut Self {
        self.sep();
        self.buf.push('"');
        for c in v.chars() {
            if c == '"' {
                self.buf.push('"');
            }
            self.buf.push(c);
        }
        self.buf.push('"');
        self
    }
    fn opt(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }
    fn null(&mut self) -> &mut Self {
        self.sep();
        self
    }
    fn num(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{v}");
        self
    }
    fn time(&mut self, t: DateTime<Utc>) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
        self
    }
    fn date(&mut self, d: NaiveDate) -> &mut Self {
        self.num(d)
    }
    fn opt_date(&mut self, d: Option<NaiveDate>) -> &mut Self {
        match d {
            Some(d) => self.num(d),
            None => self.null(),
        }
    }
    fn take(&mut self) -> String {
        self.rows = 0;
        let mut out = std::mem::take(&mut self.buf);
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

/// One table's COPY, sent in chunks as rows are generated.
struct Copier<'p> {
    table: &'static str,
    statement: String,
    csv: Csv,
    total: u64,
    progress: &'p Progress,
}

impl<'p> Copier<'p> {
    fn new(table: &'static str, columns: &str, progress: &'p Progress) -> Self {
        Self {
            table,
            statement: format!("COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"),
            csv: Csv::default(),
            total: 0,
            progress,
        }
    }
    fn row(&mut self) -> &mut Csv {
        self.csv.row()
    }
    async fn maybe_flush(&mut self, conn: &mut PgConnection) -> anyhow::Result<()> {
        if self.csv.rows >= CHUNK_ROWS {
            self.flush(conn).await?;
        }
        Ok(())
    }
    async fn flush(&mut self, conn: &mut PgConnection) -> anyhow::Result<()> {
        let n = self.csv.rows as u64;
        if n == 0 {
            return Ok(());
        }
        let data = self.csv.take();
        let mut copy = conn.copy_in_raw(&self.statement).await?;
        copy.send(data.into_bytes()).await?;
        copy.finish().await?;
        self.total += n;
        self.progress.tick(self.table, self.total);
        Ok(())
    }
}

#[derive(Debug)]
struct Progress {
    on: bool,
    started: Instant,
    last: std::sync::Mutex<Instant>,
}

impl Progress {
    fn new(on: bool) -> Self {
        Self {
            on,
            started: Instant::now(),
            last: std::sync::Mutex::new(Instant::now()),
        }
    }
    fn tick(&self, table: &str, rows: u64) {
        if !self.on {
            return;
        }
        if let Ok(mut last) = self.last.lock() {
            if last.elapsed().as_secs_f64() >= 5.0 {
                *last = Instant::now();
                let s = self.started.elapsed().as_secs_f64();
                eprintln!(
                    "county:   {table}: {rows} rows, {:.0} rows/s",
                    rows as f64 / s.max(1e-9)
                );
            }
        }
    }
    fn done(&self, table: &str, rows: u64) {
        if self.on {
            let s = self.started.elapsed().as_secs_f64();
            eprintln!(
                "county:   {table}: {rows} rows in {s:.1} s, {:.0} rows/s",
                rows as f64 / s.max(1e-9)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The load

const SETUP: &str = "
CREATE TABLE IF NOT EXISTS county_load (
    part        text PRIMARY KEY,
    persons     bigint NOT NULL,
    seed        bigint NOT NULL,
    -- The first id the part reserved in its table (persons, documents, use_log).
    base        bigint,
    rows        bigint NOT NULL,
    seconds     double precision NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS county_worker (
    idx         integer NOT NULL,
    area        text NOT NULL,
    user_id     bigint NOT NULL REFERENCES staff_user (id),
    PRIMARY KEY (area, idx)
);";

/// Reserves `n` ids of `table`'s identity sequence, under a lock that keeps
/// other writers out until the caller's transaction ends; returns the first.
async fn reserve_ids(conn: &mut PgConnection, table: &str, n: u64) -> anyhow::Result<i64> {
    sqlx::raw_sql(&format!("LOCK TABLE {table} IN EXCLUSIVE MODE"))
        .execute(&mut *conn)
        .await?;
    let first: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id'))")
        .bind(table)
        .fetch_one(&mut *conn)
        .await?;
    if n > 1 {
        sqlx::query("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)")
            .bind(table)
            .bind(first + n as i64 - 1)
            .execute(&mut *conn)
            .await?;
    }
    Ok(first)
}

async fn part_base(pool: &PgPool, part: &str) -> anyhow::Result<i64> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT base FROM county_load WHERE part = $1")
        .bind(part)
        .fetch_optional(pool)
        .await?
        .flatten()
        .with_context(|| format!("the county's {part} are not loaded"))
}

/// Loads the county (the parts not loaded yet) into a database that holds
/// the demo, through the owner role's pool.
pub async fn load(owner: &PgPool, opts: &CountyOptions<'_>) -> anyhow::Result<CountyReport> {
    sqlx::raw_sql(SETUP).execute(owner).await?;
    let earlier: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT part, persons, seed FROM county_load")
            .fetch_all(owner)
            .await?;
    if let Some((part, persons, seed)) = earlier
        .iter()
        .find(|(_, p, s)| *p as u64 != opts.persons || *s as u64 != opts.seed)
    {
        bail!(
            "this database holds a county of {persons} persons (seed {seed}; part {part} loaded): \
             load into a fresh database, or give the same --persons and --seed"
        );
    }
    let done: HashSet<String> = earlier.into_iter().map(|(p, _, _)| p).collect();
    let person_base = part_base(owner, "persons").await.ok();
    let mut conn = owner.acquire().await?;
    let ctx = context(
        &mut conn,
        person_base.map(|b| (b, b + opts.persons as i64 - 1)),
    )
    .await?;
    drop(conn);
    let mut report = CountyReport::default();
    let mut touched: Vec<&'static str> = Vec::new();
    for part in PARTS {
        if done.contains(part) {
            report.parts.push(PartReport {
                part,
                tables: Vec::new(),
                seconds: 0.0,
                skipped: true,
            });
            if opts.progress {
                eprintln!("county: {part}: done before, skipped");
            }
            continue;
        }
        if opts.progress {
            eprintln!("county: {part} ...");
        }
        let started = Instant::now();
        let progress = Progress::new(opts.progress);
        if part == "use_log" {
            seal_pending(owner, opts.key, opts.progress).await?;
        }
        let mut conn = owner.acquire().await?;
        let mut tx = conn.begin().await?;
        let (tables, base) = match part {
            "persons" => persons(&mut tx, &ctx, opts, &progress).await?,
            "families" => {
                families(
                    &mut tx,
                    &ctx,
                    opts,
                    &progress,
                    part_base(owner, "persons").await?,
                )
                .await?
            }
            "workers" => workers(&mut tx, &ctx, opts, &progress).await?,
            "relationships" => {
                relationships(
                    &mut tx,
                    &ctx,
                    opts,
                    &progress,
                    part_base(owner, "persons").await?,
                )
                .await?
            }
            "documents" => {
                documents(
                    &mut tx,
                    &ctx,
                    opts,
                    &progress,
                    part_base(owner, "persons").await?,
                )
                .await?
            }
            _ => {
                let bases = (
                    part_base(owner, "persons").await?,
                    part_base(owner, "documents").await?,
                );
                use_log(&mut tx, &ctx, opts, &progress, bases).await?
            }
        };
        let rows: u64 = tables.iter().map(|(_, n)| n).sum();
        let seconds = started.elapsed().as_secs_f64();
        sqlx::query(
            "INSERT INTO county_load (part, persons, seed, base, rows, seconds) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(part)
        .bind(opts.persons as i64)
        .bind(opts.seed as i64)
        .bind(base)
        .bind(rows as i64)
        .bind(seconds)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        for (t, _) in &tables {
            if !touched.contains(t) {
                touched.push(t);
            }
        }
        if opts.progress {
            eprintln!(
                "county: {part}: {rows} rows in {seconds:.1} s ({:.0} rows/s)",
                rows as f64 / seconds.max(1e-9)
            );
        }
        report.parts.push(PartReport {
            part,
            tables,
            seconds,
            skipped: false,
        });
    }
    if !touched.is_empty() {
        let started = Instant::now();
        sqlx::raw_sql(&format!("ANALYZE {}", touched.join(", ")))
            .execute(owner)
            .await?;
        if opts.progress {
            eprintln!(
                "county: ANALYZE {} in {:.1} s",
                touched.join(", "),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(report)
}

type PartResult = anyhow::Result<(Vec<(&'static str, u64)>, Option<i64>)>;

async fn persons(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
) -> PartResult {
    let base = reserve_ids(tx, "person", opts.persons).await?;
    let mut copy = Copier::new(
        "person",
        "id, register_id, identity_code, first_names, surname, calling_name, birth_date, \
         home_municipality, citizenship, mother_tongue, service_language",
        progress,
    );
    for h in Households::new(ctx, opts.seed, opts.persons) {
        for p in &h.members {
            let service_language = if p.mother_tongue == "sv" { "sv" } else { "fi" };
            let municipality = ctx
                .municipality_codes
                .get(p.municipality)
                .map(String::as_str);
            copy.row()
                .num(base + p.index as i64)
                .text(&ctx.register)
                .text(&p.identity_code)
                .text(&p.first_names)
                .text(&p.surname)
                .text(&p.calling_name)
                .date(p.birth)
                .opt(municipality)
                .text("{FI}")
                .text(p.mother_tongue)
                .text(service_language);
        }
        copy.maybe_flush(tx).await?;
    }
    copy.flush(tx).await?;
    progress.done("person", copy.total);
    Ok((vec![("person", copy.total)], Some(base)))
}

fn postal_code(municipality: usize, number: u64) -> String {
    format!(
        "{:03}{:02}",
        100 + municipality * 10 % 900,
        number % 10 * 10
    )
}

async fn families(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
    base: i64,
) -> PartResult {
    let mut relations = Copier::new(
        "person_relation",
        "person_id, related_id, kind, right_of_access, valid_from, source",
        progress,
    );
    let mut addresses = Copier::new(
        "person_address",
        "person_id, kind, street, postal_code, post_office, municipality, valid_from, source",
        progress,
    );
    let mut contacts = Copier::new("person_contact", "person_id, kind, value, source", progress);
    for h in Households::new(ctx, opts.seed, opts.persons) {
        let mut rng = Rng::new(
            opts.seed,
            S_FAMILY,
            h.members.first().map_or(0, |m| m.index),
        );
        let id = |p: &PersonSpec| base + p.index as i64;
        let (adults, children) = h.members.split_at(h.adults.min(h.members.len()));
        for child in children {
            for parent in adults {
                // Now and then a parent without custody, with a right of access.
                let (kind, access) = if adults.len() == 2 && rng.chance(0.05) {
                    ("parent_without_custody", Some("true"))
                } else {
                    ("guardian", None)
                };
                relations
                    .row()
                    .num(id(child))
                    .num(id(parent))
                    .text(kind)
                    .opt(access)
                    .date(child.birth)
                    .text("vtj");
                relations
                    .row()
                    .num(id(child))
                    .num(id(parent))
                    .text("household_member")
                    .null()
                    .date(child.birth)
                    .text("vtj");
            }
        }
        if let [a, b] = adults {
            for (p, q) in [(a, b), (b, a)] {
                relations
                    .row()
                    .num(id(p))
                    .num(id(q))
                    .text("household_member")
                    .null()
                    .null()
                    .text("vtj");
            }
        }
        let municipality = ctx
            .municipality_codes
            .get(h.members.first().map_or(0, |m| m.municipality));
        let moved_in = ctx.today - Days::new(rng.below(20 * 365));
        let street = format!("{} {}", h.street, h.number);
        for p in &h.members {
            let idx = h.members.first().map_or(0, |m| m.municipality);
            addresses
                .row()
                .num(id(p))
                .text("permanent")
                .text(&street)
                .text(&postal_code(idx, h.number))
                .text("HARJUNIEMI")
                .opt(municipality.map(String::as_str))
                .date(moved_in.max(p.birth))
                .text("vtj");
            if p.birth < ctx.today - Days::new(15 * 365) {
                if rng.chance(0.45) {
                    let phone = format!("040 {:07}", rng.below(10_000_000));
                    contacts
                        .row()
                        .num(id(p))
                        .text("phone")
                        .text(&phone)
                        .text("client");
                }
                if rng.chance(0.15) {
                    let email = format!(
                        "{}.{}{}@example.fi",
                        kirjo_ascii(&p.calling_name),
                        kirjo_ascii(&p.surname),
                        rng.below(100)
                    );
                    contacts
                        .row()
                        .num(id(p))
                        .text("email")
                        .text(&email)
                        .text("client");
                }
            }
        }
        relations.maybe_flush(tx).await?;
        addresses.maybe_flush(tx).await?;
        contacts.maybe_flush(tx).await?;
    }
    relations.flush(tx).await?;
    addresses.flush(tx).await?;
    contacts.flush(tx).await?;
    progress.done("person_relation", relations.total);
    progress.done("person_address", addresses.total);
    progress.done("person_contact", contacts.total);
    Ok((
        vec![
            ("person_relation", relations.total),
            ("person_address", addresses.total),
            ("person_contact", contacts.total),
        ],
        None,
    ))
}

fn kirjo_ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            'ä' | 'Ä' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            'å' | 'Å' => Some('a'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Clients per area, and the number of documents, from a walk without
/// workers.
fn count_clients(ctx: &County, opts: &CountyOptions<'_>) -> anyhow::Result<(Vec<u64>, u64)> {
    walk(ctx, opts.seed, opts.persons, |_, _| Ok(()), None)
}

async fn workers(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
) -> PartResult {
    let (per_area, _) = count_clients(ctx, opts)?;
    let w = workers_for(&per_area);
    let mut users = Copier::new("staff_user", "username, name, title, user_groups", progress);
    let mut global = 0u64;
    let mut usernames: Vec<(usize, u32, String)> = Vec::new();
    for (a, area) in ctx.areas.iter().enumerate() {
        let n = w.per_area.get(a).copied().unwrap_or(0);
        for k in 0..n {
            let mut rng = Rng::new(opts.seed, S_WORKER, global);
            let male = rng.chance(0.12);
            let (_, calling) = ctx.names.first_names(&mut rng, male);
            let surname = ctx.names.surname(&mut rng);
            let title = if area.for_children || k % 2 == 0 {
                "sosiaalityöntekijä"
            } else {
                "sosiaaliohjaaja"
            };
            let username = format!("county.w{global:06}");
            users
                .row()
                .text(&username)
                .text(&format!("{calling} {surname}"))
                .text(title)
                .text(&format!("{{{title}}}"));
            usernames.push((a, k, username));
            global += 1;
        }
        users.maybe_flush(tx).await?;
    }
    users.flush(tx).await?;
    let mut map = Copier::new("county_worker", "idx, area, user_id", progress);
    let ids: HashMap<String, i64> =
        sqlx::query_as("SELECT username, id FROM staff_user WHERE username LIKE 'county.w%'")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    for (a, k, username) in &usernames {
        let id = ids.get(username).context("a county worker went missing")?;
        let area = ctx.areas.get(*a).context("area")?;
        map.row().num(k).text(&area.id).num(id);
    }
    map.flush(tx).await?;
    // Rights as the schema requires them: proposed by the area's supervisor,
    // approved by the main administrator, in force from years back.
    let valid_from = ctx.today - Days::new(YEARS * 365 + 30);
    let mut proposals = 0u64;
    for area in &ctx.areas {
        let n = sqlx::query(
            "INSERT INTO rights_proposal (kind, user_id, role, unit_id, sub_register_id, valid_from, reason, proposed_by, proposed_at)
             SELECT 'grant', cw.user_id, 'client_worker', $2, cw.area, $3, 'työtehtävät', $4, $3::date
             FROM county_worker cw WHERE cw.area = $1 ORDER BY cw.idx",
        )
        .bind(&area.id)
        .bind(&area.unit)
        .bind(valid_from)
        .bind(area.proposer)
        .execute(&mut *tx)
        .await?;
        proposals += n.rows_affected();
    }
    sqlx::query(
        "INSERT INTO rights_decision (proposal_id, approved, reason, decided_by, decided_at)
         SELECT p.id, true, 'hyväksytty', $1, p.proposed_at FROM rights_proposal p
         JOIN county_worker cw ON cw.user_id = p.user_id",
    )
    .bind(ctx.admin)
    .execute(&mut *tx)
    .await?;
    let grants = sqlx::query(
        "INSERT INTO role_grant (user_id, role, unit_id, sub_register_id, valid_from, proposal_id)
         SELECT p.user_id, p.role, p.unit_id, p.sub_register_id, p.valid_from, p.id FROM rights_proposal p
         JOIN county_worker cw ON cw.user_id = p.user_id ORDER BY p.id",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let accepted = sqlx::query(
        "INSERT INTO commitment_acceptance (user_id, version)
         SELECT cw.user_id, v.version FROM county_worker cw
         CROSS JOIN (SELECT max(version) AS version FROM user_commitment) v WHERE v.version IS NOT NULL",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    progress.done("staff_user", users.total);
    Ok((
        vec![
            ("staff_user", users.total),
            ("county_worker", map.total),
            ("rights_proposal", proposals),
            ("rights_decision", proposals),
            ("role_grant", grants),
            ("commitment_acceptance", accepted),
        ],
        None,
    ))
}

/// The county workers' ids, per area in index order, and their names and titles.
async fn worker_ids(
    tx: &mut PgConnection,
    ctx: &County,
) -> anyhow::Result<Vec<Vec<(i64, String, String)>>> {
    let mut out = Vec::new();
    for area in &ctx.areas {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT su.id, su.name, su.title FROM county_worker cw JOIN staff_user su ON su.id = cw.user_id
             WHERE cw.area = $1 ORDER BY cw.idx",
        )
        .bind(&area.id)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            bail!(
                "no county workers in {}: the workers part is not loaded",
                area.id
            );
        }
        out.push(rows);
    }
    Ok(out)
}

fn worker_of<'w>(
    ids: &'w [Vec<(i64, String, String)>],
    c: &Client,
) -> Option<&'w (i64, String, String)> {
    let list = ids.get(c.area)?;
    list.get(c.worker as usize % list.len())
}

async fn relationships(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
    base: i64,
) -> PartResult {
    let (per_area, _) = count_clients(ctx, opts)?;
    let w = workers_for(&per_area);
    let ids = worker_ids(tx, ctx).await?;
    let mut copy = Copier::new(
        "client_relationship",
        "client_id, register_id, sub_register_id, unit_id, started_on, ended_on, end_reason, \
         responsible_worker_id, created_at, basis",
        progress,
    );
    let mut batch: Vec<Client> = Vec::new();
    walk(
        ctx,
        opts.seed,
        opts.persons,
        |_, clients| {
            batch.extend_from_slice(clients);
            Ok(())
        },
        Some(&w),
    )?;
    // The walk is synchronous; write what it produced in chunks.
    for chunk in batch.chunks(CHUNK_ROWS) {
        for c in chunk {
            let (Some(area), Some(worker)) = (ctx.areas.get(c.area), worker_of(&ids, c)) else {
                continue;
            };
            let created = day_time(c.started, 9 * 3600);
            copy.row()
                .num(base + c.person as i64)
                .text(&ctx.register)
                .text(&area.id)
                .text(&area.unit)
                .date(c.started)
                .opt_date(c.ended)
                .opt(c.ended.map(|_| "asiakkuus päättyi"))
                .num(worker.0)
                .time(created)
                // A county's relationships come from the system before
                // Kirjo: opened before Kirjo kept a basis, and shown so.
                .text("legacy");
        }
        copy.flush(tx).await?;
    }
    progress.done("client_relationship", copy.total);
    Ok((vec![("client_relationship", copy.total)], None))
}

fn day_time(d: NaiveDate, seconds: u32) -> DateTime<Utc> {
    let t = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    t + chrono::Duration::seconds(i64::from(seconds))
}

async fn documents(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
    base: i64,
) -> PartResult {
    let (per_area, total) = count_clients(ctx, opts)?;
    let w = workers_for(&per_area);
    let ids = worker_ids(tx, ctx).await?;
    let doc_base = reserve_ids(tx, "document", total).await?;
    let mut copy = Copier::new(
        "document",
        "id, client_id, register_id, sub_register_id, service_task_id, kind, content, name, definition_oid, \
         client_first_names, client_surname, client_identity_code, organiser, producer, author_id, \
         author_name, author_title, created_at, updated_at, state, completed_at",
        progress,
    );
    let template = |kind: &str| ctx.templates.iter().find(|t| t.kind == kind);
    let narrative = template("narrative").context("no narrative template")?;
    // Households are walked again; their clients' documents are written as
    // they come, so only one household is in memory.
    let mut pending: Vec<(PersonSpec, Client)> = Vec::new();
    let mut sent = 0u64;
    let mut produce = |h: &Household, clients: &[Client]| {
        for c in clients {
            if let Some(p) = h.members.iter().find(|m| m.index == c.person) {
                pending.push((p.clone(), *c));
            }
        }
        Ok(())
    };
    // Walk in slices: the walk is synchronous, so collect a slice of clients,
    // then write their documents, and go on (restarting the walk is cheap
    // relative to writing, but one walk is enough: collect all clients'
    // persons compactly instead).
    walk(ctx, opts.seed, opts.persons, &mut produce, Some(&w))?;
    for (p, c) in &pending {
        let (Some(area), Some(author)) = (ctx.areas.get(c.area), worker_of(&ids, c)) else {
            continue;
        };
        let mut rng = Rng::new(opts.seed, S_DOCUMENT, c.person);
        let end = c.ended.unwrap_or(ctx.today);
        let span = (end - c.started).num_days().max(0) as u64;
        for k in 0..c.documents {
            let day = c.started + Days::new(rng.below(span + 1));
            let r = rng.below(100);
            let kind = if c.child && r < 8 {
                "child_welfare_notification"
            } else if r >= 95 {
                "decision"
            } else if r >= 92 {
                "client_plan"
            } else {
                "narrative"
            };
            let t = template(kind).unwrap_or(narrative);
            let task = area
                .tasks
                .iter()
                .filter(|(_, kinds)| {
                    kinds
                        .as_ref()
                        .is_none_or(|k| k.iter().any(|k| k == &t.kind))
                })
                .nth(rng.below(area.tasks.len() as u64) as usize % area.tasks.len().max(1))
                .or_else(|| {
                    area.tasks.iter().find(|(_, kinds)| {
                        kinds
                            .as_ref()
                            .is_none_or(|k| k.iter().any(|k| k == &t.kind))
                    })
                });
            let (t, task) = match task {
                Some((task, _)) => (t, task),
                None => match area.tasks.iter().find(|(_, kinds)| kinds.is_none()) {
                    Some((task, _)) => (narrative, task),
                    None => continue,
                },
            };
            let mut content = t.content.clone();
            if let Some(obj) = content.as_object_mut() {
                if obj.contains_key("date") {
                    obj.insert(
                        "date".to_owned(),
                        serde_json::Value::String(day.to_string()),
                    );
                }
            }
            let created = day_time(day, 7 * 3600 + rng.below(9 * 3600) as u32);
            let completed = created + chrono::Duration::seconds(rng.range(60, 3 * 86_400) as i64);
            let completed = completed.min(ctx.now);
            copy.row()
                .num(doc_base + (c.document_first + u64::from(k)) as i64)
                .num(base + p.index as i64)
                .text(&ctx.register)
                .text(&area.id)
                .text(task)
                .text(&t.kind)
                .text(&content.to_string())
                .text(&t.name)
                .text(&t.definition_oid)
                .text(&p.first_names)
                .text(&p.surname)
                .text(&p.identity_code)
                .text(&ctx.organiser)
                .text(&area.unit_name)
                .num(author.0)
                .text(&author.1)
                .text(&author.2)
                .time(created)
                .time(completed)
                .text("completed")
                .time(completed);
            sent += 1;
        }
        copy.maybe_flush(tx).await?;
    }
    copy.flush(tx).await?;
    let _ = sent;
    progress.done("document", copy.total);
    Ok((vec![("document", copy.total)], Some(doc_base)))
}

/// Seals whatever is waiting with the real sealer, so that the county's
/// batches follow every row written before: also the rows of transactions
/// still open when it began. The sealer seals a row only once every
/// transaction older than it has ended (its horizon, `pg_snapshot_xmin`);
/// this waits, as the sealer does from tick to tick, until that horizon has
/// passed every transaction begun before this call, then seals until a
/// batch is not full. Waiting for the sealer's rule, not around it: a long
/// transaction elsewhere in the cluster holds the load here, as it holds
/// the server's sealer.
async fn seal_pending(owner: &PgPool, key: &SigningKey, progress: bool) -> anyhow::Result<()> {
    const XMIN: &str = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
    // Every transaction begun so far has an id below this.
    let begun_before: i64 =
        sqlx::query_scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
            .fetch_one(owner)
            .await?;
    let started = Instant::now();
    let mut told = false;
    loop {
        // A seal taken after this horizon sees no older transaction open.
        let horizon: i64 = sqlx::query_scalar(XMIN).fetch_one(owner).await?;
        let r = audit::seal_once(owner, key).await?;
        let full = (r.use_log as i64) >= audit::SEAL_BATCH
            || (r.disclosure_log as i64) >= audit::SEAL_BATCH;
        if full {
            continue;
        }
        if horizon >= begun_before {
            return Ok(());
        }
        if progress && !told && started.elapsed() > std::time::Duration::from_secs(10) {
            eprintln!(
                "county: waiting for transactions older than the use log's load to end before sealing"
            );
            told = true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// One use of the log, before its id.
#[derive(Debug, Clone, Copy)]
struct Event {
    at: i64,
    client: u32,
    k: u32,
}

/// The use log, in time order over the years, sealed batch by batch as the
/// sealer would have sealed it then.
async fn use_log(
    tx: &mut PgConnection,
    ctx: &County,
    opts: &CountyOptions<'_>,
    progress: &Progress,
    (base, doc_base): (i64, i64),
) -> PartResult {
    let (per_area, _) = count_clients(ctx, opts)?;
    let w = workers_for(&per_area);
    let ids = worker_ids(tx, ctx).await?;
    let mut clients: Vec<Client> = Vec::new();
    walk(
        ctx,
        opts.seed,
        opts.persons,
        |_, cs| {
            clients.extend_from_slice(cs);
            Ok(())
        },
        Some(&w),
    )?;

    // No sealer may seal while this transaction writes; nothing may be
    // inserted into the log beside it.
    audit::lock_sealer(tx).await?;
    sqlx::raw_sql("LOCK TABLE use_log IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    // This transaction's id first, so that the snapshot's xmax lies above it.
    sqlx::raw_sql("SELECT pg_current_xact_id()")
        .execute(&mut *tx)
        .await?;
    let snap = sqlx::query(
        "SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax \
         FROM pg_current_snapshot() AS s",
    )
    .fetch_one(&mut *tx)
    .await?;
    let (xmin, xmax): (i64, i64) = (snap.try_get("xmin")?, snap.try_get("xmax")?);
    let last = audit::last_checkpoint(tx, AuditLog::Use).await?;
    let (mut batch, mut position, mut prev_row_id, mut previous, lower) = match &last {
        None => (1, 1, None, audit::genesis(AuditLog::Use), 0),
        Some(l) => {
            let mut chain = [0u8; 32];
            hex::decode_to_slice(&l.chain_hex, &mut chain).context("the last seal's chain")?;
            let lower = if l.next_xid <= xmax { l.horizon } else { 0 };
            (
                l.batch + 1,
                l.last_position + 1,
                Some(l.last_row_id),
                chain,
                lower,
            )
        }
    };
    // The horizon moves to this snapshot's only if nothing below it waits
    // unsealed (seal_pending sealed it all, and the lock keeps writers out).
    let waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM use_log l WHERE l.xid >= $1::text::xid8 AND l.xid < $2::text::xid8 \
         AND NOT EXISTS (SELECT 1 FROM audit_seal_entry e WHERE e.log = 'use_log' AND e.row_id = l.id)",
    )
    .bind(lower.to_string())
    .bind(xmin.to_string())
    .fetch_one(&mut *tx)
    .await?;
    let horizon = if waiting == 0 { xmin } else { lower };

    let expected: u64 = clients.iter().map(|c| 3 * u64::from(c.documents)).sum();
    let first_id = reserve_ids(tx, "use_log", expected.max(1)).await?;
    let mut next_id = first_id;

    let mut rows = Copier::new(
        "use_log",
        "id, logged_at, request_id, user_id, user_name, register_id, client_id, action, data, purpose, \
         allowed, explanation, source_address",
        progress,
    );
    let mut entries = Copier::new(
        "audit_seal_entry",
        "log, position, row_id, prev_row_id, batch, leaf, late",
        progress,
    );
    let mut seals = 0u64;
    let mut leaves: Vec<[u8; 32]> = Vec::with_capacity(audit::SEAL_BATCH as usize);
    let mut batch_first_position = position;
    let mut last_at = ctx.now;

    let start_day = ctx.today - Days::new(YEARS * 365);
    let window_days = 30u64;
    let windows = (YEARS * 365).div_ceil(window_days) + 1;
    let other_areas: Vec<Vec<usize>> = (0..ctx.areas.len())
        .map(|a| (0..ctx.areas.len()).filter(|b| *b != a).collect())
        .collect();
    let now_micros = ctx.now.timestamp_micros() - 60_000_000;
    for wi in 0..windows {
        let w_start = start_day + Days::new(wi * window_days);
        let w_end = w_start + Days::new(window_days);
        let mut events: Vec<Event> = Vec::new();
        for (ci, c) in clients.iter().enumerate() {
            let end = c.ended.unwrap_or(ctx.today) + Days::new(1);
            let (from, to) = (c.started.max(w_start), end.min(w_end));
            if from >= to {
                continue;
            }
            let period = (end - c.started).num_days().max(1) as f64;
            let share = (to - from).num_days() as f64 / period;
            let mut rng = Rng::new(opts.seed, S_LOG, ((ci as u64) << 16) ^ wi);
            let expected_here = 3.0 * f64::from(c.documents) * share;
            let mut n = expected_here.floor() as u32;
            if rng.chance(expected_here - f64::from(n)) {
                n += 1;
            }
            let from_us = day_time(from, 0).timestamp_micros();
            let to_us = day_time(to, 0).timestamp_micros().min(now_micros);
            if to_us <= from_us {
                continue;
            }
            for k in 0..n {
                // Working days and hours (07-17 Helsinki), as the monitor
                // counts them, but for one use in fifty (on call, evenings).
                let mut day_us = from_us
                    + (rng.below(((to_us - from_us) / 86_400_000_000).max(1) as u64) as i64)
                        * 86_400_000_000;
                let mut start_h = 5;
                if rng.chance(0.02) {
                    start_h = 14;
                } else {
                    while day_us - 86_400_000_000 >= from_us
                        && DateTime::from_timestamp_micros(day_us)
                            .is_some_and(|d| !kirjo_domain::calendar::is_weekday(d.date_naive()))
                    {
                        day_us -= 86_400_000_000;
                    }
                }
                let at = (day_us
                    + start_h * 3_600_000_000
                    + rng.below(10 * 3_600_000_000) as i64
                    + rng.below(1_000_000) as i64)
                    .min(to_us - 1);
                events.push(Event {
                    at,
                    client: ci as u32,
                    k,
                });
            }
        }
        events.sort_by_key(|e| (e.at, e.client, e.k));
        for e in events {
            let Some(c) = clients.get(e.client as usize) else {
                continue;
            };
            let mut rng = Rng::new(
                opts.seed,
                S_LOG ^ 0xFF,
                (u64::from(e.client) << 24) ^ (e.at as u64),
            );
            let area = ctx.areas.get(c.area).context("area")?;
            let own = worker_of(&ids, c).context("worker")?;
            let r = rng.below(100);
            let (user, allowed, explanation) = if r < 85 {
                (
                    own,
                    true,
                    format!(
                        "allowed: client_worker in {}/{}, responsible worker",
                        area.unit, area.id
                    ),
                )
            } else if r < 97 {
                let list = ids.get(c.area).context("workers")?;
                let other = rng.pick(list).unwrap_or(own);
                (
                    other,
                    true,
                    format!("allowed: client_worker in {}/{}", area.unit, area.id),
                )
            } else {
                let other_area = rng.pick(&other_areas[c.area]).copied().unwrap_or(c.area);
                let list = ids.get(other_area).context("workers")?;
                let other = rng.pick(list).unwrap_or(own);
                (
                    other,
                    false,
                    "denied: no client relationship in the user's service areas".to_owned(),
                )
            };
            let doc =
                doc_base + (c.document_first + rng.below(u64::from(c.documents.max(1)))) as i64;
            let (action, data) = match rng.below(100) {
                0..=34 => ("view_basic_data", "basic_data".to_owned()),
                35..=82 => ("view_document", format!("document:{doc}")),
                83..=94 if allowed => ("write_document", format!("document:{doc}")),
                83..=94 => ("view_document", format!("document:{doc}")),
                _ => ("print", format!("document:{doc}")),
            };
            let at = Utc
                .timestamp_micros(e.at)
                .single()
                .context("a log time out of range")?;
            let request_id = uuid::Uuid::from_u64_pair(rng.next(), rng.next());
            let source = format!(
                "10.{}.{}.{}",
                20 + c.area,
                rng.below(256),
                1 + rng.below(254)
            );
            let client_id = base + c.person as i64;
            let row = UseRow {
                id: next_id,
                logged_at: at,
                request_id: Some(request_id),
                user_id: Some(user.0),
                user_name: &user.1,
                register_id: Some(&ctx.register),
                client_id: Some(client_id),
                action,
                data: &data,
                purpose: None,
                allowed,
                explanation: &explanation,
                source_address: Some(&source),
            };
            leaves.push(row.leaf());
            rows.row()
                .num(row.id)
                .time(at)
                .text(&request_id.to_string())
                .num(user.0)
                .text(&user.1)
                .text(&ctx.register)
                .num(client_id)
                .text(action)
                .text(&data)
                .null()
                .text(if allowed { "t" } else { "f" })
                .text(&explanation)
                .text(&source);
            entries
                .row()
                .text("use_log")
                .num(position)
                .num(next_id)
                .opt(prev_row_id.map(|p: i64| p.to_string()).as_deref())
                .num(batch)
                .text(&format!(
                    "\\x{}",
                    hex::encode(leaves.last().copied().unwrap_or_default())
                ))
                .text("f");
            prev_row_id = Some(next_id);
            next_id += 1;
            position += 1;
            last_at = at;
            if leaves.len() as i64 >= audit::SEAL_BATCH {
                rows.flush(tx).await?;
                entries.flush(tx).await?;
                previous = seal_batch(
                    tx,
                    opts.key,
                    (batch, batch_first_position),
                    &leaves,
                    next_id - 1,
                    previous,
                    (horizon, xmax),
                    last_at,
                )
                .await?;
                seals += 1;
                batch += 1;
                batch_first_position = position;
                leaves.clear();
            }
        }
    }
    if !leaves.is_empty() {
        rows.flush(tx).await?;
        entries.flush(tx).await?;
        seal_batch(
            tx,
            opts.key,
            (batch, batch_first_position),
            &leaves,
            next_id - 1,
            previous,
            (horizon, xmax),
            last_at,
        )
        .await?;
        seals += 1;
    }
    // Give back the ids not used (the count was an estimate), unless someone
    // took one meanwhile (they cannot: the table is locked).
    sqlx::query("SELECT setval(pg_get_serial_sequence('use_log', 'id'), $1)")
        .bind((next_id - 1).max(first_id))
        .execute(&mut *tx)
        .await?;
    // The history is past: a running county's monitor would have read it as
    // it came. The monitor starts after it, so that its first scan (and the
    // bench's timing of it) is of new use, not of years of synthetic log.
    // (The demo's few rows before the county are passed over with it.)
    sqlx::query(
        "INSERT INTO monitoring_progress (scanned_through) \
         SELECT max(position) FROM audit_seal_entry WHERE log = 'use_log' \
         HAVING max(position) > (SELECT coalesce(max(scanned_through), 0) FROM monitoring_progress)",
    )
    .execute(&mut *tx)
    .await?;
    progress.done("use_log", rows.total);
    progress.done("audit_seal_entry", entries.total);
    Ok((
        vec![
            ("use_log", rows.total),
            ("audit_seal_entry", entries.total),
            ("audit_seal", seals),
        ],
        Some(first_id),
    ))
}

/// Writes one batch's signed checkpoint, as the sealer does; returns its chain.
#[allow(clippy::too_many_arguments)]
async fn seal_batch(
    tx: &mut PgConnection,
    key: &SigningKey,
    (batch, first_position): (i64, i64),
    leaves: &[[u8; 32]],
    last_row_id: i64,
    previous: [u8; 32],
    (horizon, next_xid): (i64, i64),
    last_at: DateTime<Utc>,
) -> anyhow::Result<[u8; 32]> {
    let count = leaves.len() as i64;
    let last_position = first_position + count - 1;
    let root = audit::merkle_root(leaves);
    let chain = audit::chain_hash(&previous, &root, last_position);
    // Sealed a moment after its last row, as the sealer would have.
    let sealed_at = last_at + chrono::Duration::seconds(1);
    let mut cp = Checkpoint {
        log: AuditLog::Use.table().to_owned(),
        batch,
        first_position,
        last_position,
        row_count: count,
        last_row_id,
        late_count: 0,
        root_hex: hex::encode(root),
        previous_hex: hex::encode(previous),
        chain_hex: hex::encode(chain),
        horizon,
        next_xid,
        sealed_at,
        key_id: String::new(),
        signature_hex: String::new(),
    };
    key.sign_checkpoint(&mut cp);
    let signature = hex::decode(&cp.signature_hex)?;
    sqlx::query(
        "INSERT INTO audit_seal (log, batch, first_position, last_position, row_count, \
         last_row_id, late_count, merkle_root, previous_chain, chain, horizon, next_xid, \
         sealed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11::text::xid8, $12::text::xid8, $13, $14, $15)",
    )
    .bind(&cp.log)
    .bind(batch)
    .bind(first_position)
    .bind(last_position)
    .bind(count)
    .bind(last_row_id)
    .bind(0i64)
    .bind(&root[..])
    .bind(&previous[..])
    .bind(&chain[..])
    .bind(horizon.to_string())
    .bind(next_xid.to_string())
    .bind(sealed_at)
    .bind(&cp.key_id)
    .bind(signature)
    .execute(&mut *tx)
    .await?;
    Ok(chain)
}
