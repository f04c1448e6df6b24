//! The population register (VTJ, *väestötietojärjestelmä*) change import.
//!
//! A batch is a JSON Lines file: one change a line (the format is written in
//! `docs/vtj-import.md`). An import is all or nothing:
//!
//! 1. [`parse_batch`] reads and validates every line on its own (no
//!    database): the JSON, the fields each type has, identity codes, dates,
//!    codes, and that no `change_id` appears twice. Every bad line is
//!    reported with its 1-based number.
//! 2. [`apply_batch`] applies the changes in order in one transaction with
//!    the owner pool, checking each against the database as the earlier
//!    changes of the batch left it. A change whose `change_id` was applied
//!    before is skipped, so the same batch twice changes nothing. If any
//!    change is inconsistent, the transaction is rolled back and every
//!    problem is returned with its line.
//!
//! Problems never quote an identity code: they say which field is wrong and
//! why. Nothing of a batch is logged but counts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{Days, NaiveDate};
use kirjo_domain::hetu::PersonalIdentityCode;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

/// The longest text (a name, a street, a post office) accepted, in characters.
pub const MAX_TEXT: usize = 200;
/// The longest `change_id` accepted, in characters.
pub const MAX_CHANGE_ID: usize = 200;
/// A child has at most this many guardians in the population register.
pub const MAX_GUARDIANS: usize = 2;

/// Imports are serialised: two at once would race on the same change ids.
const IMPORT_LOCK: i64 = 0x6b69_726a_6f5f_7674; // "kirjo_vt"

/// One change from the population register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The register's unique id of the change: the idempotency key.
    pub change_id: String,
    /// The person the change is about.
    pub identity_code: PersonalIdentityCode,
    /// The day the change takes effect.
    pub effective: NaiveDate,
    /// What changed.
    pub kind: ChangeKind,
}

impl Change {
    /// The change's `type`, as written in the batch.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

/// What a change is, with the fields of its type (`"type"` in the batch).
///
/// The fields common to all types (`change_id`, `identity_code`,
/// `effective`) are in [`Change`]; any other field not listed here is an
/// error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeKind {
    /// A person new to the register.
    NewPerson(NewPerson),
    /// A new first name, surname or calling name: at least one of the first
    /// two.
    NameChange {
        #[serde(default, deserialize_with = "de::opt_first_names")]
        first_names: Option<String>,
        #[serde(default, deserialize_with = "de::opt_surname")]
        surname: Option<String>,
        #[serde(default, deserialize_with = "de::calling_name")]
        calling_name: Option<String>,
    },
    /// A new address of a kind; the previous one of that kind ends the day
    /// before `effective`.
    AddressChange {
        #[serde(deserialize_with = "de::address")]
        address: Address,
    },
    /// A new home municipality.
    HomeMunicipalityChange {
        #[serde(deserialize_with = "de::home_municipality")]
        home_municipality: String,
    },
    /// The person died.
    Death {
        #[serde(deserialize_with = "de::date_of_death")]
        date_of_death: NaiveDate,
    },
    /// Turvakielto (non-disclosure for personal safety) from `effective`.
    TurvakieltoOn {
        #[serde(default, deserialize_with = "de::valid_until")]
        valid_until: Option<NaiveDate>,
    },
    /// The turvakielto in force ends on `effective`.
    TurvakieltoOff {},
    /// The child's guardians from `effective`: the full set, 0 to 2.
    GuardianChange {
        #[serde(deserialize_with = "de::guardians")]
        guardians: Vec<PersonalIdentityCode>,
    },
}

/// Every `type`, in the order of [`ChangeKind`].
pub const TYPES: [&str; 8] = [
    "new_person",
    "name_change",
    "address_change",
    "home_municipality_change",
    "death",
    "turvakielto_on",
    "turvakielto_off",
    "guardian_change",
];

impl ChangeKind {
    /// The `type` as written in the batch.
    pub fn type_name(&self) -> &'static str {
        match self {
            ChangeKind::NewPerson(_) => "new_person",
            ChangeKind::NameChange { .. } => "name_change",
            ChangeKind::AddressChange { .. } => "address_change",
            ChangeKind::HomeMunicipalityChange { .. } => "home_municipality_change",
            ChangeKind::Death { .. } => "death",
            ChangeKind::TurvakieltoOn { .. } => "turvakielto_on",
            ChangeKind::TurvakieltoOff {} => "turvakielto_off",
            ChangeKind::GuardianChange { .. } => "guardian_change",
        }
    }
}

/// The fields of a `new_person`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[serde(deserialize_with = "de::first_names")]
    pub first_names: String,
    #[serde(deserialize_with = "de::surname")]
    pub surname: String,
    #[serde(default, deserialize_with = "de::calling_name")]
    pub calling_name: Option<String>,
    /// Statistics Finland municipality code, 3 digits.
    #[serde(deserialize_with = "de::home_municipality")]
    pub home_municipality: String,
    /// ISO 639 code.
    #[serde(deserialize_with = "de::mother_tongue")]
    pub mother_tongue: String,
    /// ISO 3166 alpha-2 or alpha-3 codes.
    #[serde(deserialize_with = "de::citizenship")]
    pub citizenship: Vec<String>,
    /// The permanent address, from `effective`.
    #[serde(default, deserialize_with = "de::new_address")]
    pub address: Option<Address>,
}

/// An address. In a `new_person` it is always the permanent one and has no
/// `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(deserialize_with = "de::street")]
    pub street: String,
    #[serde(deserialize_with = "de::postal_code")]
    pub postal_code: String,
    #[serde(deserialize_with = "de::post_office")]
    pub post_office: String,
    #[serde(deserialize_with = "de::municipality")]
    pub municipality: String,
    /// Permanent unless given (only in an `address_change`).
    #[serde(default, deserialize_with = "de::kind")]
    pub kind: Option<AddressKind>,
}

impl Address {
    /// The kind, permanent unless given.
    pub fn kind(&self) -> AddressKind {
        self.kind.unwrap_or(AddressKind::Permanent)
    }
}

/// The kind of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// Vakinainen osoite.
    Permanent,
    /// Tilapäinen osoite.
    Temporary,
    /// Postiosoite.
    Postal,
}

impl AddressKind {
    /// The name in the batch and in `person_address.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressKind::Permanent => "permanent",
            AddressKind::Temporary => "temporary",
            AddressKind::Postal => "postal",
        }
    }
}

/// One problem of a batch: the 1-based line and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// How many changes of a type were applied now and skipped as applied
/// before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct TypeCount {
    pub applied: usize,
    pub skipped: usize,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Changes read (non-blank lines).
    pub lines: usize,
    /// Changes applied now.
    pub applied: usize,
    /// Changes whose `change_id` had been applied before: skipped.
    pub skipped: usize,
    /// Per `type`, only the types the batch had.
    pub by_type: BTreeMap<&'static str, TypeCount>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} read, {} applied, {} already applied (skipped)",
            self.lines,
            if self.lines == 1 { "change" } else { "changes" },
            self.applied,
            self.skipped
        )?;
        let mut sep = ": ";
        for (kind, count) in &self.by_type {
            write!(f, "{sep}{kind} {}", count.applied)?;
            if count.skipped > 0 {
                write!(f, " (+{} skipped)", count.skipped)?;
            }
            sep = ", ";
        }
        Ok(())
    }
}

/// Why a batch was not applied.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Changes inconsistent with the database or with the batch: nothing was
    /// applied.
    #[error("the batch was rejected, nothing was applied: {} problem(s)", .0.len())]
    Rejected(Vec<LineProblem>),
    /// The register new persons would go into does not exist.
    #[error("register `{0}` is not in the database")]
    UnknownRegister(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl ImportError {
    /// The problems of a rejected batch; empty for other errors.
    pub fn problems(&self) -> &[LineProblem] {
        match self {
            ImportError::Rejected(p) => p,
            _ => &[],
        }
    }
}

// ---------------------------------------------------------------------------
// Parsing

/// Parses and validates a whole batch, without the database.
///
/// Blank lines are skipped (they still count in line numbers); a leading
/// byte order mark is ignored. On failure, every problem of every line is
/// returned, in line order.
pub fn parse_batch(text: &str) -> Result<Vec<(usize, Change)>, Vec<LineProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let mut reasons = Vec::new();
        match parse_line(raw) {
            Ok(change) => {
                match seen.get(&change.change_id) {
                    Some(first) => {
                        reasons.push(format!("`change_id` is the same as on line {first}"))
                    }
                    None => {
                        seen.insert(change.change_id.clone(), line);
                    }
                }
                if reasons.is_empty() {
                    changes.push((line, change));
                }
            }
            Err(r) => {
                // A change id seen on a bad line still counts for duplicates.
                if let Some(id) = change_id_of(raw) {
                    match seen.get(&id) {
                        Some(first) => {
                            reasons.push(format!("`change_id` is the same as on line {first}"))
                        }
                        None => {
                            seen.insert(id, line);
                        }
                    }
                }
                reasons.splice(0..0, r);
            }
        }
        problems.extend(
            reasons
                .into_iter()
                .map(|reason| LineProblem { line, reason }),
        );
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

/// The change id of a line that failed to parse, when it has a good one.
fn change_id_of(raw: &str) -> Option<String> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return None;
    };
    ChangeId::deserialize(map.get("change_id")?)
        .ok()
        .map(|c| c.0)
}

/// Parses one line; on failure, every reason found.
pub fn parse_line(raw: &str) -> Result<Change, Vec<String>> {
    let value: Value =
        serde_json::from_str(raw).map_err(|e| vec![format!("malformed JSON: {e}")])?;
    let Value::Object(mut map) = value else {
        return Err(vec!["not a JSON object".to_owned()]);
    };
    let mut reasons = Vec::new();
    let mut take = |name: &'static str| {
        let v = map.remove(name);
        if v.is_none() {
            reasons.push(format!("missing field `{name}`"));
        }
        v
    };
    let change_id = take("change_id");
    let identity_code = take("identity_code");
    let effective = take("effective");
    let change_id = change_id.and_then(|v| {
        ChangeId::deserialize(v)
            .map_err(|e| reasons.push(named("change_id", e).to_string()))
            .ok()
    });
    let identity_code = identity_code.and_then(|v| {
        Code::deserialize(v)
            .map_err(|e| reasons.push(named("identity_code", e).to_string()))
            .ok()
    });
    let effective = effective.and_then(|v| {
        IsoDate::deserialize(v)
            .map_err(|e| reasons.push(named("effective", e).to_string()))
            .ok()
    });
    let type_ok = match map.get("type") {
        None => {
            reasons.push("missing field `type`".to_owned());
            false
        }
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => true,
        Some(Value::String(t)) => {
            reasons.push(if is_word(t) {
                format!("unknown type `{t}`, expected one of {}", TYPES.join(", "))
            } else {
                format!("unknown type, expected one of {}", TYPES.join(", "))
            });
            false
        }
        Some(_) => {
            reasons.push("`type`: must be a string".to_owned());
            false
        }
    };
    let kind = if type_ok {
        ChangeKind::deserialize(Value::Object(map))
            .map_err(|e| reasons.push(redact(&e.to_string())))
            .ok()
    } else {
        None
    };
    let (
        Some(ChangeId(change_id)),
        Some(Code(identity_code)),
        Some(IsoDate(effective)),
        Some(kind),
    ) = (change_id, identity_code, effective, kind)
    else {
        return Err(reasons);
    };
    let change = Change {
        change_id,
        identity_code,
        effective,
        kind,
    };
    let reasons = check_change(&change);
    if reasons.is_empty() {
        Ok(change)
    } else {
        Err(reasons)
    }
}

/// The rules of one change that need no database.
fn check_change(c: &Change) -> Vec<String> {
    let mut reasons = Vec::new();
    match &c.kind {
        ChangeKind::NewPerson(p) => {
            let born = c.identity_code.birth_date();
            if kirjo_domain::edge::iso_date(&born.to_string()).is_none() {
                reasons.push(format!(
                    "the birth date of the identity code is before {}",
                    kirjo_domain::edge::EARLIEST_YEAR
                ));
            } else if born > c.effective {
                reasons.push("the birth date of the identity code is after `effective`".to_owned());
            }
            let distinct: HashSet<&String> = p.citizenship.iter().collect();
            if distinct.len() != p.citizenship.len() {
                reasons.push("`citizenship`: the same country twice".to_owned());
            }
        }
        ChangeKind::NameChange {
            first_names,
            surname,
            ..
        } => {
            if first_names.is_none() && surname.is_none() {
                reasons.push("a name_change needs `first_names` or `surname`".to_owned());
            }
        }
        ChangeKind::Death { date_of_death } => {
            if *date_of_death < c.identity_code.birth_date() {
                reasons.push(
                    "`date_of_death` is before the birth date of the identity code".to_owned(),
                );
            }
        }
        ChangeKind::TurvakieltoOn {
            valid_until: Some(until),
        } => {
            if *until < c.effective {
                reasons.push("`valid_until` is before `effective`".to_owned());
            }
        }
        ChangeKind::GuardianChange { guardians } => {
            if guardians.len() > MAX_GUARDIANS {
                reasons.push(format!(
                    "`guardians`: at most {MAX_GUARDIANS}, found {}",
                    guardians.len()
                ));
            }
            let distinct: HashSet<&PersonalIdentityCode> = guardians.iter().collect();
            if distinct.len() != guardians.len() {
                reasons.push("`guardians`: the same person twice".to_owned());
            }
            if guardians.contains(&c.identity_code) {
                reasons.push("`guardians`: a person cannot be their own guardian".to_owned());
            }
        }
        ChangeKind::AddressChange { .. }
        | ChangeKind::HomeMunicipalityChange { .. }
        | ChangeKind::TurvakieltoOn { valid_until: None }
        | ChangeKind::TurvakieltoOff {} => {}
    }
    reasons
}

/// Whether a calling name (kutsumanimi) is one of the first names, or a
/// part of a hyphenated one.
fn is_one_of_first_names(first_names: &str, name: &str) -> bool {
    first_names
        .split_whitespace()
        .any(|n| n == name || n.split('-').any(|part| part == name))
}

/// A short identifier-like word, safe to quote back.
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Names the field in an error. A nested field's error (`` `street`: ... ``)
/// becomes `` `address.street`: ... ``.
fn named<E: serde::de::Error>(field: &str, e: E) -> E {
    let msg = redact(&e.to_string());
    if let Some(rest) = msg.strip_prefix('`') {
        if let Some((inner, tail)) = rest.split_once("`: ") {
            if !inner.contains(' ') {
                return E::custom(format!("`{field}.{inner}`: {tail}"));
            }
        }
    }
    E::custom(format!("`{field}`: {msg}"))
}

/// Removes values that serde quotes in its messages (`invalid type: string
/// "..."`): a string in the wrong place may be an identity code or a name.
fn redact(msg: &str) -> String {
    const QUOTED: &str = "string \"";
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(at) = rest.find(QUOTED) {
        out.push_str(&rest[..at]);
        out.push_str("a string");
        let after = &rest[at + QUOTED.len()..];
        // Skip to the closing quote; `\"` is an escaped quote inside.
        let mut escaped = false;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The value types of the format, each read from a JSON string and checked.
trait Checked: Sized {
    fn check(s: String) -> Result<Self, String>;
}

/// Reads a checked value from a JSON string.
fn checked<'de, D: Deserializer<'de>, T: Checked>(d: D) -> Result<T, D::Error> {
    let s = String::deserialize(d)?;
    T::check(s).map_err(D::Error::custom)
}

/// Plain types out of the checked ones.
trait Plain {
    type Out;
    fn plain(self) -> Self::Out;
}

impl<T: Plain> Plain for Option<T> {
    type Out = Option<T::Out>;
    fn plain(self) -> Self::Out {
        self.map(Plain::plain)
    }
}

impl<T: Plain> Plain for Vec<T> {
    type Out = Vec<T::Out>;
    fn plain(self) -> Self::Out {
        self.into_iter().map(Plain::plain).collect()
    }
}

macro_rules! checked_types {
    ($($ty:ident => $out:ty;)*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                checked(d)
            }
        }
        impl Plain for $ty {
            type Out = $out;
            fn plain(self) -> $out {
                self.0
            }
        }
    )*};
}

struct ChangeId(String);
struct Text(String);
struct Municipality(String);
struct PostalCode(String);
struct Language(String);
struct Country(String);
struct IsoDate(NaiveDate);
struct Code(PersonalIdentityCode);
struct Kind(AddressKind);

checked_types! {
    ChangeId => String;
    Text => String;
    Municipality => String;
    PostalCode => String;
    Language => String;
    Country => String;
    IsoDate => NaiveDate;
    Code => PersonalIdentityCode;
    Kind => AddressKind;
}

impl Plain for Address {
    type Out = Address;
    fn plain(self) -> Address {
        self
    }
}

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

impl Checked for ChangeId {
    fn check(s: String) -> Result<Self, String> {
        if s.is_empty() {
            Err("must not be empty".to_owned())
        } else if s.chars().count() > MAX_CHANGE_ID {
            Err(format!("must be at most {MAX_CHANGE_ID} characters"))
        } else if s.chars().any(char::is_control) {
            Err("must not contain control characters".to_owned())
        } else {
            Ok(Self(s))
        }
    }
}

impl Checked for Text {
    fn check(s: String) -> Result<Self, String> {
        let t = s.trim();
        if t.is_empty() {
            Err("must not be empty".to_owned())
        } else if t.chars().count() > MAX_TEXT {
            Err(format!("must be at most {MAX_TEXT} characters"))
        } else if t.chars().any(char::is_control) {
            Err("must not contain control characters".to_owned())
        } else if kirjo_domain::edge::check_text(t, false).is_err() {
            Err("must not contain direction overrides (U+202A-U+202E, U+2066-U+2069)".to_owned())
        } else {
            Ok(Self(t.to_owned()))
        }
    }
}

impl Checked for Municipality {
    fn check(s: String) -> Result<Self, String> {
        if all_digits(&s, 3) {
            Ok(Self(s))
        } else {
            Err("invalid municipality code: must be 3 digits".to_owned())
        }
    }
}

impl Checked for PostalCode {
    fn check(s: String) -> Result<Self, String> {
        if all_digits(&s, 5) {
            Ok(Self(s))
        } else {
            Err("invalid postal code: must be 5 digits".to_owned())
        }
    }
}

impl Checked for Language {
    fn check(s: String) -> Result<Self, String> {
        if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Self(s))
        } else {
            Err(
                "invalid language code: must be an ISO 639 code of 2 or 3 lowercase letters"
                    .to_owned(),
            )
        }
    }
}

impl Checked for Country {
    fn check(s: String) -> Result<Self, String> {
        if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s))
        } else {
            Err(
                "invalid country code: must be an ISO 3166 alpha-2 or alpha-3 code in capitals"
                    .to_owned(),
            )
        }
    }
}

/// A strict ISO date: `YYYY-MM-DD`, a real calendar date, in the years
/// Kirjo keeps (`kirjo_domain::edge::iso_date`, shared with the API and
/// the pages).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.trim() != s {
        return None;
    }
    kirjo_domain::edge::iso_date(s)
}

impl Checked for IsoDate {
    fn check(s: String) -> Result<Self, String> {
        parse_date(&s)
            .map(Self)
            .ok_or_else(|| "invalid date: must be a real date written YYYY-MM-DD".to_owned())
    }
}

impl Checked for Code {
    fn check(s: String) -> Result<Self, String> {
        // The error names what is wrong, never the code.
        PersonalIdentityCode::parse(&s)
            .map(Self)
            .map_err(|e| format!("invalid identity code: {e}"))
    }
}

impl Checked for Kind {
    fn check(s: String) -> Result<Self, String> {
        match s.as_str() {
            "permanent" => Ok(Self(AddressKind::Permanent)),
            "temporary" => Ok(Self(AddressKind::Temporary)),
            "postal" => Ok(Self(AddressKind::Postal)),
            _ => Err("must be permanent, temporary or postal".to_owned()),
        }
    }
}

/// Field readers: each reads its field with the rules of the field's kind
/// and names the field in an error.
mod de {
    use super::*;

    macro_rules! fields {
        ($($name:ident($label:literal): $via:ty;)*) => {$(
            pub(super) fn $name<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<<$via as Plain>::Out, D::Error> {
                <$via>::deserialize(d)
                    .map(Plain::plain)
                    .map_err(|e| named($label, e))
            }
        )*};
    }

    fields! {
        first_names("first_names"): Text;
        surname("surname"): Text;
        opt_first_names("first_names"): Option<Text>;
        opt_surname("surname"): Option<Text>;
        calling_name("calling_name"): Option<Text>;
        home_municipality("home_municipality"): Municipality;
        mother_tongue("mother_tongue"): Language;
        citizenship("citizenship"): Vec<Country>;
        address("address"): Address;
        street("street"): Text;
        postal_code("postal_code"): PostalCode;
        post_office("post_office"): Text;
        municipality("municipality"): Municipality;
        kind("kind"): Option<Kind>;
        date_of_death("date_of_death"): IsoDate;
        valid_until("valid_until"): Option<IsoDate>;
        guardians("guardians"): Vec<Code>;
    }

    /// The address of a new person: permanent, so no `kind`.
    pub(super) fn new_address<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Address>, D::Error> {
        let a = Option::<Address>::deserialize(d).map_err(|e| named("address", e))?;
        if a.as_ref().is_some_and(|a| a.kind.is_some()) {
            return Err(D::Error::custom(
                "`address.kind`: a new person's address is the permanent one; leave `kind` out",
            ));
        }
        Ok(a)
    }
}

// ---------------------------------------------------------------------------
// Applying

/// Applies a parsed batch in one transaction with the owner pool.
///
/// New persons go into register `register_id`. Each change whose
/// `change_id` is already in `vtj_change` is skipped; each applied one
/// records its `vtj_change` row with `batch_name` and its line. If any
/// change is inconsistent with the database (as the earlier changes of the
/// batch left it), nothing is applied and every problem is returned.
pub async fn apply_batch(
    owner: &PgPool,
    register_id: &str,
    batch_name: &str,
    changes: &[(usize, Change)],
) -> Result<ImportReport, ImportError> {
    let mut tx = owner.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(IMPORT_LOCK)
        .execute(&mut *tx)
        .await?;
    let register_known: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM register WHERE id = $1)")
            .bind(register_id)
            .fetch_one(&mut *tx)
            .await?;
    if !register_known {
        return Err(ImportError::UnknownRegister(register_id.to_owned()));
    }
    let ids: Vec<String> = changes.iter().map(|(_, c)| c.change_id.clone()).collect();
    let done: HashSet<String> =
        sqlx::query_scalar("SELECT change_id FROM vtj_change WHERE change_id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    let mut report = ImportReport {
        lines: changes.len(),
        ..ImportReport::default()
    };
    let mut problems = Vec::new();
    for (line, change) in changes {
        let count = report.by_type.entry(change.type_name()).or_default();
        if done.contains(&change.change_id) {
            count.skipped += 1;
            report.skipped += 1;
            continue;
        }
        match apply_one(&mut tx, register_id, change).await? {
            Ok(person_id) => {
                sqlx::query(
                    "INSERT INTO vtj_change (change_id, kind, person_id, batch_file, line)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&change.change_id)
                .bind(change.type_name())
                .bind(person_id)
                .bind(batch_name)
                .bind(i32::try_from(*line).unwrap_or(i32::MAX))
                .execute(&mut *tx)
                .await?;
                count.applied += 1;
                report.applied += 1;
            }
            Err(reason) => problems.push(LineProblem {
                line: *line,
                reason,
            }),
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        tracing::info!(
            lines = changes.len(),
            problems = problems.len(),
            "population register batch rejected"
        );
        return Err(ImportError::Rejected(problems));
    }
    tx.commit().await?;
    tracing::info!(
        lines = report.lines,
        applied = report.applied,
        skipped = report.skipped,
        "population register batch applied"
    );
    Ok(report)
}

/// Checks one change against the database and applies it: the person's id,
/// or why it cannot be applied (then nothing of it was written).
async fn apply_one(
    tx: &mut PgConnection,
    register_id: &str,
    change: &Change,
) -> Result<Result<i64, String>, sqlx::Error> {
    let person = match (person_id(tx, &change.identity_code).await?, &change.kind) {
        (Some(id), _) => id,
        (None, ChangeKind::NewPerson(p)) => {
            return insert_person(tx, register_id, change, p).await.map(Ok)
        }
        (None, kind) => {
            return Ok(Err(format!(
                "{}: no person with this identity code (not in the register, not created earlier in the batch)",
                kind.type_name()
            )))
        }
    };
    // Any change from the population register is a new revision of the
    // person: a worker's form read before it is stale (docs/concurrency.md).
    // The person's row is locked first, as a worker's edit locks it.
    if !matches!(change.kind, ChangeKind::NewPerson(_)) {
        sqlx::query("UPDATE person SET updated_at = now() WHERE id = $1")
            .bind(person)
            .execute(&mut *tx)
            .await?;
    }
    let eff = change.effective;
    match &change.kind {
        ChangeKind::NewPerson(_) => Ok(Err(
            "new_person: a person with this identity code already exists".to_owned(),
        )),
        ChangeKind::NameChange {
            first_names,
            surname,
            calling_name,
        } => {
            // A calling name that is not one of the new first names goes,
            // unless a new one is given.
            let current: Option<String> =
                sqlx::query_scalar("SELECT calling_name FROM person WHERE id = $1")
                    .bind(person)
                    .fetch_one(&mut *tx)
                    .await?;
            let calling = match (calling_name, first_names) {
                (Some(c), _) => Some(c.clone()),
                (None, Some(first)) => current.filter(|c| is_one_of_first_names(first, c)),
                (None, None) => current,
            };
            sqlx::query(
                "UPDATE person SET first_names = COALESCE($2, first_names),
                        surname = COALESCE($3, surname), calling_name = $4, updated_at = now()
                 WHERE id = $1",
            )
            .bind(person)
            .bind(first_names)
            .bind(surname)
            .bind(calling)
            .execute(&mut *tx)
            .await?;
            Ok(Ok(person))
        }
        ChangeKind::AddressChange { address } => {
            let kind = address.kind();
            let current: Vec<(i64, Option<NaiveDate>)> = sqlx::query_as(
                "SELECT id, valid_from FROM person_address
                 WHERE person_id = $1 AND kind = $2 AND (valid_until IS NULL OR valid_until >= $3)",
            )
            .bind(person)
            .bind(kind.as_str())
            .bind(eff)
            .fetch_all(&mut *tx)
            .await?;
            if let Some(from) = current
                .iter()
                .filter_map(|(_, from)| *from)
                .find(|from| *from >= eff)
            {
                return Ok(Err(format!(
                    "address_change: the person's {} address from {from} starts on or after `effective`; it cannot end the day before",
                    kind.as_str()
                )));
            }
            if let Some(day_before) = eff.checked_sub_days(Days::new(1)) {
                let ids: Vec<i64> = current.iter().map(|(id, _)| *id).collect();
                sqlx::query("UPDATE person_address SET valid_until = $2 WHERE id = ANY($1)")
                    .bind(&ids)
                    .bind(day_before)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_address(tx, person, address, eff).await?;
            Ok(Ok(person))
        }
        ChangeKind::HomeMunicipalityChange { home_municipality } => {
            sqlx::query(
                "UPDATE person SET home_municipality = $2, updated_at = now() WHERE id = $1",
            )
            .bind(person)
            .bind(home_municipality)
            .execute(&mut *tx)
            .await?;
            Ok(Ok(person))
        }
        ChangeKind::Death { date_of_death } => {
            let birth: NaiveDate =
                sqlx::query_scalar("SELECT birth_date FROM person WHERE id = $1")
                    .bind(person)
                    .fetch_one(&mut *tx)
                    .await?;
            if *date_of_death < birth {
                return Ok(Err(format!(
                    "death: `date_of_death` is before the person's birth date ({birth})"
                )));
            }
            sqlx::query("UPDATE person SET died_on = $2, updated_at = now() WHERE id = $1")
                .bind(person)
                .bind(date_of_death)
                .execute(&mut *tx)
                .await?;
            Ok(Ok(person))
        }
        ChangeKind::TurvakieltoOn { valid_until } => {
            // One in force on `effective` gives way to the new one: it ends
            // the day before, or, if it started on `effective` itself, takes
            // the new end.
            let in_force = turvakielto_in_force(tx, person, eff).await?;
            let mut replaced_same_day = false;
            for (id, from) in in_force {
                if from < eff {
                    let day_before = eff.checked_sub_days(Days::new(1)).unwrap_or(from);
                    sqlx::query("UPDATE turvakielto SET valid_until = $2 WHERE id = $1")
                        .bind(id)
                        .bind(day_before)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query("UPDATE turvakielto SET valid_until = $2 WHERE id = $1")
                        .bind(id)
                        .bind(valid_until)
                        .execute(&mut *tx)
                        .await?;
                    replaced_same_day = true;
                }
            }
            if !replaced_same_day {
                sqlx::query(
                    "INSERT INTO turvakielto (person_id, valid_from, valid_until, source)
                     VALUES ($1, $2, $3, 'vtj')",
                )
                .bind(person)
                .bind(eff)
                .bind(valid_until)
                .execute(&mut *tx)
                .await?;
            }
            Ok(Ok(person))
        }
        ChangeKind::TurvakieltoOff {} => {
            let in_force = turvakielto_in_force(tx, person, eff).await?;
            if in_force.is_empty() {
                return Ok(Err(
                    "turvakielto_off: the person has no turvakielto in force on `effective`"
                        .to_owned(),
                ));
            }
            let ids: Vec<i64> = in_force.iter().map(|(id, _)| *id).collect();
            sqlx::query("UPDATE turvakielto SET valid_until = $2 WHERE id = ANY($1)")
                .bind(&ids)
                .bind(eff)
                .execute(&mut *tx)
                .await?;
            Ok(Ok(person))
        }
        ChangeKind::GuardianChange { guardians } => {
            let mut wanted = Vec::new();
            let mut unknown = Vec::new();
            for (i, code) in guardians.iter().enumerate() {
                match person_id(tx, code).await? {
                    Some(id) => wanted.push(id),
                    None => unknown.push((i + 1).to_string()),
                }
            }
            if !unknown.is_empty() {
                return Ok(Err(format!(
                    "guardian_change: guardian {} of {} is not a known person (not in the register, not created earlier in the batch)",
                    unknown.join(" and "),
                    guardians.len()
                )));
            }
            let current: Vec<(i64, i64, Option<NaiveDate>)> = sqlx::query_as(
                "SELECT id, related_id, valid_from FROM person_relation
                 WHERE person_id = $1 AND kind = 'guardian'
                   AND (valid_until IS NULL OR valid_until >= $2)",
            )
            .bind(person)
            .bind(eff)
            .fetch_all(&mut *tx)
            .await?;
            let ending: Vec<&(i64, i64, Option<NaiveDate>)> = current
                .iter()
                .filter(|(_, related, _)| !wanted.contains(related))
                .collect();
            if let Some(from) = ending
                .iter()
                .filter_map(|(_, _, from)| *from)
                .find(|from| *from >= eff)
            {
                return Ok(Err(format!(
                    "guardian_change: a guardian relation that would end starts on {from}, not before `effective`"
                )));
            }
            if let Some(day_before) = eff.checked_sub_days(Days::new(1)) {
                let ids: Vec<i64> = ending.iter().map(|(id, _, _)| *id).collect();
                sqlx::query("UPDATE person_relation SET valid_until = $2 WHERE id = ANY($1)")
                    .bind(&ids)
                    .bind(day_before)
                    .execute(&mut *tx)
                    .await?;
            }
            for g in wanted {
                if current.iter().any(|(_, related, _)| *related == g) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO person_relation (person_id, related_id, kind, valid_from, source)
                     VALUES ($1, $2, 'guardian', $3, 'vtj')",
                )
                .bind(person)
                .bind(g)
                .bind(eff)
                .execute(&mut *tx)
                .await?;
            }
            Ok(Ok(person))
        }
    }
}

async fn insert_person(
    tx: &mut PgConnection,
    register_id: &str,
    change: &Change,
    p: &NewPerson,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO person (register_id, identity_code, first_names, surname, calling_name,
                             birth_date, home_municipality, mother_tongue, citizenship)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(register_id)
    .bind(change.identity_code.as_str())
    .bind(&p.first_names)
    .bind(&p.surname)
    .bind(&p.calling_name)
    .bind(change.identity_code.birth_date())
    .bind(&p.home_municipality)
    .bind(&p.mother_tongue)
    .bind(&p.citizenship)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(a) = &p.address {
        insert_address(tx, id, a, change.effective).await?;
    }
    Ok(id)
}

async fn person_id(
    tx: &mut PgConnection,
    code: &PersonalIdentityCode,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM person WHERE identity_code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut *tx)
        .await
}

/// The person's turvakielto rows in force on `day`: id and start.
async fn turvakielto_in_force(
    tx: &mut PgConnection,
    person: i64,
    day: NaiveDate,
) -> Result<Vec<(i64, NaiveDate)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, valid_from FROM turvakielto
         WHERE person_id = $1 AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)",
    )
    .bind(person)
    .bind(day)
    .fetch_all(&mut *tx)
    .await
}

async fn insert_address(
    tx: &mut PgConnection,
    person: i64,
    a: &Address,
    from: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO person_address (person_id, kind, street, postal_code, post_office, municipality,
                                     valid_from, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'vtj')",
    )
    .bind(person)
    .bind(a.kind().as_str())
    .bind(&a.street)
    .bind(&a.postal_code)
    .bind(&a.post_office)
    .bind(&a.municipality)
    .bind(from)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use kirjo_domain::hetu::CenturySign;

    fn code(y: i32, m: u32, d: u32, n: u16) -> PersonalIdentityCode {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let sign = if y >= 2000 {
            CenturySign::A
        } else {
            CenturySign::Minus
        };
        PersonalIdentityCode::from_parts(date, sign, n).unwrap()
    }

    fn mother() -> PersonalIdentityCode {
        code(1985, 4, 12, 902)
    }

    fn child() -> PersonalIdentityCode {
        code(2015, 9, 3, 903)
    }

    fn problems(text: &str) -> Vec<LineProblem> {
        parse_batch(text).unwrap_err()
    }

    #[test]
    fn every_type_parses() {
        let m = mother();
        let c = child();
        let text = format!(
            r#"{{"change_id":"1","type":"new_person","identity_code":"{m}","effective":"2024-01-01","first_names":"Maija Liisa","surname":"Testinen","calling_name":"Liisa","home_municipality":"091","mother_tongue":"fi","citizenship":["FI","SWE"],"address":{{"street":"Testitie 1","postal_code":"00100","post_office":"HELSINKI","municipality":"091"}}}}
{{"change_id":"2","type":"name_change","identity_code":"{m}","effective":"2024-02-01","surname":"Uusinen"}}
{{"change_id":"3","type":"address_change","identity_code":"{m}","effective":"2024-03-01","address":{{"street":"Postitie 2","postal_code":"00200","post_office":"HELSINKI","municipality":"091","kind":"postal"}}}}
{{"change_id":"4","type":"home_municipality_change","identity_code":"{m}","effective":"2024-04-01","home_municipality":"049"}}
{{"change_id":"5","type":"turvakielto_on","identity_code":"{m}","effective":"2024-05-01","valid_until":"2029-04-30"}}
{{"change_id":"6","type":"turvakielto_off","identity_code":"{m}","effective":"2024-06-01"}}

{{"change_id":"7","type":"guardian_change","identity_code":"{c}","effective":"2024-07-01","guardians":["{m}"]}}
{{"change_id":"8","type":"death","identity_code":"{m}","effective":"2024-08-02","date_of_death":"2024-08-01"}}
"#
        );
        let changes = parse_batch(&text).unwrap();
        let lines: Vec<usize> = changes.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6, 8, 9]);
        let types: Vec<&str> = changes.iter().map(|(_, c)| c.type_name()).collect();
        assert_eq!(
            types,
            [
                "new_person",
                "name_change",
                "address_change",
                "home_municipality_change",
                "turvakielto_on",
                "turvakielto_off",
                "guardian_change",
                "death"
            ]
        );
        let (_, first) = &changes[0];
        assert_eq!(first.identity_code, m);
        assert_eq!(
            first.effective,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        );
        let ChangeKind::NewPerson(p) = &first.kind else {
            panic!("not a new person")
        };
        assert_eq!(p.citizenship, ["FI", "SWE"]);
        assert_eq!(p.calling_name.as_deref(), Some("Liisa"));
        assert_eq!(
            p.address.as_ref().map(Address::kind),
            Some(AddressKind::Permanent)
        );
        let ChangeKind::AddressChange { address } = &changes[2].1.kind else {
            panic!("not an address change")
        };
        assert_eq!(address.kind(), AddressKind::Postal);
        let ChangeKind::GuardianChange { guardians } = &changes[6].1.kind else {
            panic!("not a guardian change")
        };
        assert_eq!(guardians, &[m]);
    }

    #[test]
    fn unknown_and_missing_fields_are_errors() {
        let m = mother();
        let p = problems(&format!(
            r#"{{"change_id":"1","type":"home_municipality_change","identity_code":"{m}","effective":"2024-01-01","home_municipality":"091","extra":1}}"#
        ));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 1);
        assert!(
            p[0].reason.contains("unknown field `extra`"),
            "{}",
            p[0].reason
        );

        let p = problems(&format!(
            r#"{{"change_id":"1","type":"turvakielto_off","identity_code":"{m}","effective":"2024-01-01","valid_until":"2025-01-01"}}"#
        ));
        assert!(p[0].reason.contains("unknown field `valid_until`"), "{p:?}");

        let p = problems(&format!(
            r#"{{"type":"death","identity_code":"{m}","effective":"2024-01-01"}}"#
        ));
        let reasons: Vec<&str> = p.iter().map(|p| p.reason.as_str()).collect();
        assert!(
            reasons.contains(&"missing field `change_id`"),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("missing field `date_of_death`")),
            "{reasons:?}"
        );

        let p = problems(&format!(
            r#"{{"change_id":"1","type":"address_change","identity_code":"{m}","effective":"2024-01-01","address":{{"street":"Tie 1","postal_code":"00100","post_office":"X","municipality":"091","floor":3}}}}"#
        ));
        assert!(p[0].reason.contains("`address`"), "{p:?}");
        assert!(p[0].reason.contains("unknown field `floor`"), "{p:?}");

        // A new person's address is the permanent one: no kind.
        let p = problems(&format!(
            r#"{{"change_id":"1","type":"new_person","identity_code":"{m}","effective":"2024-01-01","first_names":"A","surname":"B","home_municipality":"091","mother_tongue":"fi","citizenship":[],"address":{{"street":"Tie 1","postal_code":"00100","post_office":"X","municipality":"091","kind":"temporary"}}}}"#
        ));
        assert!(p[0].reason.contains("`address.kind`"), "{p:?}");
    }

    #[test]
    fn bad_values_name_the_field_and_never_the_code() {
        let m = mother();
        let mut bad = m.as_str().to_owned();
        // Break the check character.
        let last = bad.pop().unwrap();
        bad.push(if last == 'A' { 'B' } else { 'A' });
        let text = format!(
            r#"{{"change_id":"1","type":"death","identity_code":"{bad}","effective":"2024-01-01","date_of_death":"2024-01-01"}}
{{"change_id":"2","type":"death","identity_code":"{m}","effective":"2024-02-30","date_of_death":"1.1.2024"}}
{{"change_id":"3","type":"home_municipality_change","identity_code":"{m}","effective":"2024-01-01","home_municipality":"91"}}
{{"change_id":"4","type":"guardian_change","identity_code":"{m}","effective":"2024-01-01","guardians":"{m}"}}
{{"change_id":"5","type":"guardian_change","identity_code":"{m}","effective":"2024-01-01","guardians":["{bad}"]}}
{{"change_id":"6","type":"new_person","identity_code":"{m}","effective":"2024-01-01","first_names":"{m}","surname":5,"home_municipality":"091","mother_tongue":"FIN","citizenship":["fi"]}}
{{"change_id":"7","type":"address_change","identity_code":"{m}","effective":"2024-01-01","address":{{"street":" ","postal_code":"0010","post_office":"X","municipality":"091","kind":"{m}"}}}}
{{"change_id":"8","type":"address_change","identity_code":"{m}","effective":"2024-01-01","address":{{"street":" ","postal_code":"00100","post_office":"X","municipality":"091"}}}}
"#
        );
        let p = problems(&text);
        for problem in &p {
            assert!(
                !problem.reason.contains(m.as_str()) && !problem.reason.contains(&bad),
                "a code was quoted: {problem}"
            );
        }
        let at = |line: usize| -> Vec<&str> {
            p.iter()
                .filter(|p| p.line == line)
                .map(|p| p.reason.as_str())
                .collect()
        };
        assert_eq!(
            at(1),
            [format!(
                "`identity_code`: invalid identity code: check character is {:?}, expected {last:?}",
                bad.chars().last().unwrap()
            )]
        );
        assert_eq!(
            at(2),
            [
                "`effective`: invalid date: must be a real date written YYYY-MM-DD",
                "`date_of_death`: invalid date: must be a real date written YYYY-MM-DD"
            ]
        );
        assert_eq!(
            at(3),
            ["`home_municipality`: invalid municipality code: must be 3 digits"]
        );
        assert_eq!(
            at(4),
            ["`guardians`: invalid type: a string, expected a sequence"]
        );
        assert_eq!(at(5).len(), 1);
        assert!(at(5)[0].starts_with("`guardians`: invalid identity code"));
        // The first bad field of a type's fields is reported (in name order).
        assert_eq!(
            at(6),
            ["`citizenship`: invalid country code: must be an ISO 3166 alpha-2 or alpha-3 code in capitals"]
        );
        assert_eq!(
            at(7),
            ["`address.kind`: must be permanent, temporary or postal"]
        );
        assert_eq!(at(8), ["`address.street`: must not be empty"]);
    }

    #[test]
    fn malformed_lines_unknown_types_and_duplicates() {
        let m = mother();
        let text = format!(
            r#"{{"change_id":"1","type":"death","identity_code":"{m}","effective":"2024-01-01","date_of_death":"2024-01-01"
[1,2]
{{"change_id":"3","type":"rebirth","identity_code":"{m}","effective":"2024-01-01"}}
{{"change_id":"4","type":"death","identity_code":"{m}","effective":"2024-01-01","date_of_death":"2024-01-01"}}
{{"change_id":"4","type":"death","identity_code":"{m}","effective":"2024-01-01","date_of_death":"2024-01-01"}}
{{"change_id":"6","type":7,"identity_code":"{m}","effective":"2024-01-01"}}
{{"change_id":"","type":"Death Of {m}","identity_code":"{m}","effective":"2024-01-01"}}
"#
        );
        let p = problems(&text);
        let lines: Vec<usize> = p.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3, 5, 6, 7, 7], "{p:?}");
        assert!(p[0].reason.starts_with("malformed JSON: EOF"), "{p:?}");
        assert_eq!(p[1].reason, "not a JSON object");
        assert!(p[2].reason.starts_with("unknown type `rebirth`"), "{p:?}");
        assert_eq!(p[3].reason, "`change_id` is the same as on line 4");
        assert_eq!(p[4].reason, "`type`: must be a string");
        assert_eq!(p[5].reason, "`change_id`: must not be empty");
        assert!(p[6].reason.starts_with("unknown type, expected"), "{p:?}");
        assert!(!p[6].reason.contains(m.as_str()));
    }

    #[test]
    fn rules_within_a_change() {
        let m = mother();
        let c = child();
        let text = format!(
            r#"{{"change_id":"1","type":"name_change","identity_code":"{m}","effective":"2024-01-01","calling_name":"Liisa"}}
{{"change_id":"2","type":"death","identity_code":"{c}","effective":"2024-01-01","date_of_death":"2015-09-02"}}
{{"change_id":"3","type":"turvakielto_on","identity_code":"{m}","effective":"2024-01-01","valid_until":"2023-12-31"}}
{{"change_id":"4","type":"guardian_change","identity_code":"{c}","effective":"2024-01-01","guardians":["{m}","{m}","{c}"]}}
{{"change_id":"5","type":"new_person","identity_code":"{m}","effective":"2024-01-01","first_names":"Maija","surname":"T","calling_name":"Liisa","home_municipality":"091","mother_tongue":"fi","citizenship":["FI","FI"]}}
"#
        );
        let p = problems(&text);
        let reasons: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                (1, "a name_change needs `first_names` or `surname`"),
                (
                    2,
                    "`date_of_death` is before the birth date of the identity code"
                ),
                (3, "`valid_until` is before `effective`"),
                (4, "`guardians`: at most 2, found 3"),
                (4, "`guardians`: the same person twice"),
                (4, "`guardians`: a person cannot be their own guardian"),
                (5, "`citizenship`: the same country twice"),
            ]
        );
    }

    #[test]
    fn empty_and_blank_batches_are_empty() {
        assert!(parse_batch("").unwrap().is_empty());
        assert!(parse_batch("\u{feff}\n  \n").unwrap().is_empty());
    }

    #[test]
    fn the_documented_examples_parse() {
        let doc = include_str!("../../../docs/vtj-import.md");
        let examples: String = doc
            .lines()
            .filter(|l| l.starts_with("{\"change_id\""))
            .map(|l| format!("{l}\n"))
            .collect();
        let changes = parse_batch(&examples).unwrap();
        let mut types: Vec<&str> = changes.iter().map(|(_, c)| c.type_name()).collect();
        types.sort_unstable();
        types.dedup();
        let mut all = TYPES.to_vec();
        all.sort_unstable();
        assert_eq!(types, all, "an example of every type");
        for (_, c) in &changes {
            assert!(c.identity_code.is_temporary());
        }
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "20240229",
            "+2024-02-29",
            "2024-02-29 ",
            "２０２４-02-29",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact(r#"invalid type: string "a\"b", expected x"#),
            "invalid type: a string, expected x"
        );
        assert_eq!(redact("nothing here"), "nothing here");
    }

    #[test]
    fn report_reads_as_one_line() {
        let mut r = ImportReport {
            lines: 3,
            applied: 2,
            skipped: 1,
            ..ImportReport::default()
        };
        r.by_type.insert(
            "death",
            TypeCount {
                applied: 1,
                skipped: 0,
            },
        );
        r.by_type.insert(
            "new_person",
            TypeCount {
                applied: 1,
                skipped: 1,
            },
        );
        assert_eq!(
            r.to_string(),
            "3 changes read, 2 applied, 1 already applied (skipped): death 1, new_person 1 (+1 skipped)"
        );
    }
}
