//! The register description (rekisteriseloste / tietosuojaseloste).
//!
//! A controller (rekisterinpitäjä) keeps one or more registers, each split
//! into sub-registers (osarekisteri) by service area. The description is
//! part of Kirjo's configuration, so that what the public privacy notice
//! promises is what the system enforces: the lawful basis, the regular
//! disclosures, the transfers outside the EU/EEA and the retention rule set
//! are read from here by the rest of the system.
//!
//! The types deserialize from TOML (see `config/demo.toml`); [`RegisterDescription::validate`]
//! checks what serde cannot (ids unique, contacts usable, retention rule set
//! known) and reports each problem with the dotted path of its key.

use crate::contact::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The whole description: the controller and its registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDescription {
    pub controller: Controller,
    /// Vastuuhenkilö: the official responsible for the register.
    pub responsible_official: Person,
    /// Yhteyshenkilöt: whom to contact about the register.
    #[serde(default)]
    pub contacts: Vec<Person>,
    /// Tietosuojavastaava.
    pub data_protection_officer: Person,
    /// Valvontaviranomainen: the data protection supervisory authority
    /// (Tietosuojavaltuutetun toimisto). In the configuration, not in code:
    /// authorities change their names and addresses.
    pub supervisory_authority: SupervisoryAuthority,
    /// The authority supervising social services (Lupa- ja valvontavirasto
    /// since 1.1.2026, in place of the regional state administrative
    /// agencies and Valvira), named in the notice's complaints section.
    pub social_services_authority: SupervisoryAuthority,
    /// When and by whom the notice was made, and where the request forms are.
    pub notice: NoticeMeta,
    pub registers: Vec<Register>,
    /// Purposes a user may state to open a client outside their own client
    /// relationships ("another proper connection", rule 1), where the
    /// sub-register allows it. Such access is logged with the purpose and
    /// flagged for review.
    #[serde(default)]
    pub access_purposes: Vec<AccessPurpose>,
}

/// A purpose for access outside one's client relationships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessPurpose {
    pub id: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
}

/// Rekisterinpitäjä, e.g. "Perusturvalautakunta, Huittisten kaupunki".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub name: String,
    /// Y-tunnus, the business id (`1234567-8`), checked with its check digit.
    pub business_id: String,
    pub address: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Statistics Finland code of the municipality (three digits), if the
    /// controller is a municipality.
    #[serde(default)]
    pub municipality_code: Option<String>,
}

/// A named person with a title and contact data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub title: Text,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// An authority named in the notice, with its contact data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisoryAuthority {
    pub name: Text,
    /// Postal address.
    pub address: Text,
    #[serde(default)]
    pub visiting_address: Option<Text>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub web: Option<String>,
}

/// The notice's own data: when it was made (or last revised) and by whom,
/// and where the data subject's request forms are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeMeta {
    /// `YYYY-MM-DD`.
    pub made_on: chrono::NaiveDate,
    pub made_by: Text,
    /// Where the forms for access, rectification and log requests are.
    pub request_forms: Text,
}

/// A text of the notice in Finnish, Swedish and English. In the
/// configuration either a table `{ fi = "...", sv = "...", en = "..." }`
/// or, for a name that is the same in every language, one string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl Text {
    /// The same text in every language.
    pub fn same(s: &str) -> Self {
        Self {
            fi: s.to_owned(),
            sv: s.to_owned(),
            en: s.to_owned(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Three {
            fi: String,
            sv: String,
            en: String,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            One(String),
            Three(Three),
        }
        match Either::deserialize(d)? {
            Either::One(s) => Ok(Text::same(&s)),
            Either::Three(t) => Ok(Text {
                fi: t.fi,
                sv: t.sv,
                en: t.en,
            }),
        }
    }
}

/// GDPR art. 6(1) bases that a social welfare register rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    /// Art. 6(1)(e): a task in the public interest or official authority.
    PublicAuthority,
    /// Art. 6(1)(c): a legal obligation of the controller.
    LegalObligation,
    /// Art. 6(1)(a): the data subject's consent.
    Consent,
    /// Art. 6(1)(b): a contract with the data subject.
    Contract,
}

/// Transfers outside the EU/EEA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransfersOutsideEea {
    /// No transfers at all.
    None,
    /// Only with the client's explicit consent or on a legal request.
    OnlyWithExplicitConsentOrLegalRequest,
}

/// Which retention table applies. Retention periods are data with a legal
/// source and a validity period, never code paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionRuleSet {
    /// The annex of the Client Data Act 703/2023, in force since 1.1.2024,
    /// also for documents made before it (§101(3)).
    #[serde(rename = "703/2023")]
    ClientDataAct2023,
    /// The annex of the repealed Act on Social Welfare Client Documents
    /// 254/2015, which the 2018 notices quote. Accepted so that a register
    /// can describe its history; a warning is given when it is chosen.
    #[serde(rename = "254/2015")]
    ClientDocumentsAct2015,
}

impl RetentionRuleSet {
    pub fn statute(self) -> &'static str {
        match self {
            Self::ClientDataAct2023 => "703/2023",
            Self::ClientDocumentsAct2015 => "254/2015",
        }
    }
}

/// A regular disclosure (säännönmukainen luovutus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegularDisclosure {
    /// Who receives, e.g. "THL", "Kela".
    pub recipient: Text,
    /// What is disclosed.
    pub data: Text,
    /// The legal basis, e.g. "Laki sosiaali- ja terveydenhuollon asiakastietojen käsittelystä 703/2023".
    pub legal_basis: Text,
}

/// A service task (palvelutehtävä) of a sub-register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTask {
    /// Kirjo's id of the task, used in URLs and rules (`child_welfare`).
    pub id: String,
    /// Code in THL's code list 1.2.246.537.6.1221 (Sosiaalihuolto -
    /// Palvelutehtävä), where known. Digits only.
    #[serde(default)]
    pub code: Option<String>,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    /// The kinds of document written under this task (`narrative`,
    /// `decision`, ...; see `crate::document::kinds`). Absent: every kind.
    #[serde(default)]
    pub document_kinds: Option<Vec<String>>,
    /// Which national decision a decision written under this task is
    /// (Sosmeta: a families' services decision is not a child welfare
    /// decision). Absent: a decision under this task is not exported.
    #[serde(default)]
    pub decision_definition: Option<DecisionDefinition>,
}

/// The national structure of a decision, by the service it is made in
/// (Sosmeta's "Päätös" definitions). They differ in their root element
/// (and the child welfare decision's hearing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionDefinition {
    /// Lastensuojelun palvelu- tai tukitoimipäätös (11002).
    ChildWelfare,
    /// Lapsiperheiden palvelupäätös (11001).
    Families,
    /// Työikäisten palvelupäätös (11052).
    WorkingAge,
    /// Iäkkäiden palvelupäätös (11000).
    Elderly,
}

impl DecisionDefinition {
    pub const ALL: [DecisionDefinition; 4] = [
        Self::ChildWelfare,
        Self::Families,
        Self::WorkingAge,
        Self::Elderly,
    ];

    /// As written in the configuration and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChildWelfare => "child_welfare",
            Self::Families => "families",
            Self::WorkingAge => "working_age",
            Self::Elderly => "elderly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The definition's OID with its version.
    pub fn oid(self) -> &'static str {
        match self {
            Self::ChildWelfare => "1.2.246.537.6.1506.11002.2023.9.8",
            Self::Families => "1.2.246.537.6.1506.11001.2023.9.8",
            Self::WorkingAge => "1.2.246.537.6.1506.11052.2023.9.8",
            Self::Elderly => "1.2.246.537.6.1506.11000.2023.9.8",
        }
    }

    /// The root element of the national structure.
    pub fn root(self) -> &'static str {
        match self {
            Self::ChildWelfare => "lastensuojelun_palvelu__tai_tukitoimipaatos",
            Self::Families => "lapsiperheiden_palvelupaatos",
            Self::WorkingAge => "tyoikaisten_palvelupaatos",
            Self::Elderly => "iakkaiden_palvelupaatos",
        }
    }
}

/// Osarekisteri: a part of a register by service area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubRegister {
    pub id: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    /// Whether a user may open a client of this service area outside their
    /// relationships by stating a configured purpose.
    #[serde(default)]
    pub allow_outside_access: bool,
    pub service_tasks: Vec<ServiceTask>,
}

/// One register of the controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    pub id: String,
    pub name: Text,
    /// Käsittelyn tarkoitus.
    pub purpose: Text,
    pub lawful_basis: Vec<LawfulBasis>,
    /// The art. 9(2) basis for special categories of data (health etc.).
    pub special_categories_basis: Text,
    /// The art. 10 basis for data on criminal convictions and offences.
    pub criminal_data_basis: Text,
    /// Whether giving the data is a statutory duty, and what follows from
    /// not giving it.
    pub statutory_duty: Text,
    /// Viranomaisrekisteri: a register of a public authority.
    pub authority_register: bool,
    /// Automated decisions or profiling. Kirjo makes none; `true` is refused.
    #[serde(default)]
    pub automated_decisions: bool,
    /// Governing laws.
    pub laws: Vec<Text>,
    /// Rekisteröityjen ryhmät (art. 30(1)(c)).
    pub data_subjects: Vec<Text>,
    /// Rekisterin tietosisältö.
    pub data_content: Vec<Text>,
    /// Säännönmukaiset tietolähteet.
    pub regular_sources: Vec<Text>,
    #[serde(default)]
    pub regular_disclosures: Vec<RegularDisclosure>,
    pub transfers_outside_eea: TransfersOutsideEea,
    /// Salassapito and its legal grounds, as the notice says it.
    pub confidentiality: Text,
    /// The short legal ground printed on every page of a printout beside
    /// "Salassa pidettävä" (e.g. "JulkL 24 § 1 mom. 25 k").
    pub confidentiality_ground: Text,
    /// Systems used (Kirjo itself and the adapters around it).
    pub systems: Vec<Text>,
    /// Manuaalinen aineisto: paper records and where they are kept.
    #[serde(default)]
    pub paper_records: Option<Text>,
    /// Outsourced processing (palveluntuottajat, toimeksiantosopimukset).
    #[serde(default)]
    pub outsourced_processing: Vec<Text>,
    /// Rekisterin suojauksen periaatteet. Transport encryption is not said
    /// here: the notice states it from the server's TLS configuration.
    pub protection_principles: Vec<Text>,
    pub retention_rule_set: RetentionRuleSet,
    /// Rekisteröidyn oikeuksien käyttäminen: where requests go.
    pub data_subject_rights: Text,
    pub sub_registers: Vec<SubRegister>,
}

/// One problem found by validation, with the dotted path of the key
/// (relative to the register description) that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    /// Warnings are printed but do not stop Kirjo.
    pub warning: bool,
}

impl RegisterDescription {
    /// Checks what the types cannot. Returns every problem found, errors and
    /// warnings alike; the description is usable when none is an error.
    pub fn validate(&self) -> Vec<Problem> {
        let mut p = Problems::default();
        let c = &self.controller;
        p.non_empty("controller.name", &c.name);
        p.non_empty("controller.address", &c.address);
        p.phone("controller.phone", &c.phone);
        if !is_valid_business_id(&c.business_id) {
            p.error(
                "controller.business_id",
                "is not a valid Finnish business id (Y-tunnus, 1234567-8)",
            );
        }
        if let Some(e) = &c.email {
            p.email("controller.email", e);
        }
        if let Some(m) = &c.municipality_code {
            if m.len() != 3 || !m.bytes().all(|b| b.is_ascii_digit()) {
                p.error(
                    "controller.municipality_code",
                    "must be a three-digit Statistics Finland code",
                );
            }
        }
        p.person("responsible_official", &self.responsible_official);
        for (i, person) in self.contacts.iter().enumerate() {
            p.person(&format!("contacts[{i}]"), person);
        }
        p.person("data_protection_officer", &self.data_protection_officer);
        if self.data_protection_officer.email.is_none()
            && self.data_protection_officer.phone.is_none()
        {
            p.error(
                "data_protection_officer",
                "needs an email or a phone number: data subjects must be able to reach the DPO",
            );
        }
        for (key, a) in [
            ("supervisory_authority", &self.supervisory_authority),
            ("social_services_authority", &self.social_services_authority),
        ] {
            p.text(&format!("{key}.name"), &a.name);
            p.text(&format!("{key}.address"), &a.address);
            if let Some(e) = &a.email {
                p.email(&format!("{key}.email"), e);
            }
            if let Some(ph) = &a.phone {
                p.phone(&format!("{key}.phone"), ph);
            }
        }
        p.text("notice.made_by", &self.notice.made_by);
        p.text("notice.request_forms", &self.notice.request_forms);
        if self.registers.is_empty() {
            p.error("registers", "at least one register is needed");
        }
        let mut register_ids = BTreeSet::new();
        let mut sub_ids = BTreeSet::new();
        let mut task_ids = BTreeSet::new();
        for (i, r) in self.registers.iter().enumerate() {
            let at = format!("registers[{i}]");
            p.id(&format!("{at}.id"), &r.id, &mut register_ids);
            for (key, t) in [
                ("name", &r.name),
                ("purpose", &r.purpose),
                ("data_subject_rights", &r.data_subject_rights),
                ("special_categories_basis", &r.special_categories_basis),
                ("criminal_data_basis", &r.criminal_data_basis),
                ("statutory_duty", &r.statutory_duty),
                ("confidentiality", &r.confidentiality),
                ("confidentiality_ground", &r.confidentiality_ground),
            ] {
                p.text(&format!("{at}.{key}"), t);
            }
            if r.lawful_basis.is_empty() {
                p.error(
                    &format!("{at}.lawful_basis"),
                    "name at least one lawful basis",
                );
            }
            if r.authority_register
                && !r.lawful_basis.iter().any(|b| {
                    matches!(
                        b,
                        LawfulBasis::PublicAuthority | LawfulBasis::LegalObligation
                    )
                })
            {
                p.error(
                    &format!("{at}.lawful_basis"),
                    "an authority register rests on public_authority or legal_obligation",
                );
            }
            if r.automated_decisions {
                p.error(
                    &format!("{at}.automated_decisions"),
                    "Kirjo makes no automated decisions or profiling; the notice must say none",
                );
            }
            for (key, list) in [
                ("laws", &r.laws),
                ("data_subjects", &r.data_subjects),
                ("data_content", &r.data_content),
                ("regular_sources", &r.regular_sources),
                ("systems", &r.systems),
                ("protection_principles", &r.protection_principles),
            ] {
                if list.is_empty() {
                    p.error(&format!("{at}.{key}"), "must not be empty");
                }
                for (j, s) in list.iter().enumerate() {
                    p.text(&format!("{at}.{key}[{j}]"), s);
                }
            }
            for (j, s) in r.protection_principles.iter().enumerate() {
                if promises_transport_encryption(s) {
                    p.error(
                        &format!("{at}.protection_principles[{j}]"),
                        "speaks of encryption: the notice states transport encryption itself, from server.tls_certificate, so that it promises only what Kirjo does",
                    );
                }
            }
            for (j, d) in r.regular_disclosures.iter().enumerate() {
                let dat = format!("{at}.regular_disclosures[{j}]");
                p.text(&format!("{dat}.recipient"), &d.recipient);
                p.text(&format!("{dat}.data"), &d.data);
                p.text(&format!("{dat}.legal_basis"), &d.legal_basis);
            }
            if r.retention_rule_set == RetentionRuleSet::ClientDocumentsAct2015 {
                p.warning(
                    &format!("{at}.retention_rule_set"),
                    "254/2015 was repealed on 1.1.2024; 703/2023 applies also to older documents (§101(3))",
                );
            }
            if r.sub_registers.is_empty() {
                p.error(
                    &format!("{at}.sub_registers"),
                    "at least one sub-register is needed",
                );
            }
            for (j, s) in r.sub_registers.iter().enumerate() {
                let sat = format!("{at}.sub_registers[{j}]");
                p.id(&format!("{sat}.id"), &s.id, &mut sub_ids);
                p.names(&sat, &s.name_fi, &s.name_sv, &s.name_en);
                if s.service_tasks.is_empty() {
                    p.error(
                        &format!("{sat}.service_tasks"),
                        "at least one service task is needed",
                    );
                }
                for (k, t) in s.service_tasks.iter().enumerate() {
                    let tat = format!("{sat}.service_tasks[{k}]");
                    p.id(&format!("{tat}.id"), &t.id, &mut task_ids);
                    p.names(&tat, &t.name_fi, &t.name_sv, &t.name_en);
                    if let Some(kinds) = &t.document_kinds {
                        let known = crate::document::kinds();
                        if kinds.is_empty() {
                            p.error(
                                &format!("{tat}.document_kinds"),
                                "leave it out for every kind, or name at least one",
                            );
                        }
                        for k in kinds {
                            if !known.contains(&k.as_str()) {
                                p.error(
                                    &format!("{tat}.document_kinds"),
                                    &format!(
                                        "`{k}` is not a kind of document ({})",
                                        known.join(", ")
                                    ),
                                );
                            }
                        }
                    }
                    if let Some(code) = &t.code {
                        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                            p.error(
                                &format!("{tat}.code"),
                                "a code of list 1.2.246.537.6.1221 is digits only",
                            );
                        }
                    }
                }
            }
        }
        let mut purpose_ids = BTreeSet::new();
        for (i, a) in self.access_purposes.iter().enumerate() {
            let at = format!("access_purposes[{i}]");
            p.id(&format!("{at}.id"), &a.id, &mut purpose_ids);
            p.names(&at, &a.name_fi, &a.name_sv, &a.name_en);
        }
        if self.access_purposes.is_empty()
            && self.sub_registers().any(|(_, s)| s.allow_outside_access)
        {
            p.error(
                "access_purposes",
                "a sub-register allows access outside relationships, so at least one purpose is needed",
            );
        }
        p.0
    }

    /// Every sub-register with the register it belongs to.
    pub fn sub_registers(&self) -> impl Iterator<Item = (&Register, &SubRegister)> {
        self.registers
            .iter()
            .flat_map(|r| r.sub_registers.iter().map(move |s| (r, s)))
    }
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn error(&mut self, path: &str, message: &str) {
        self.0.push(Problem {
            path: path.to_owned(),
            message: message.to_owned(),
            warning: false,
        });
    }
    fn warning(&mut self, path: &str, message: &str) {
        self.0.push(Problem {
            path: path.to_owned(),
            message: message.to_owned(),
            warning: true,
        });
    }
    fn non_empty(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(path, "must not be empty");
        }
    }
    fn text(&mut self, path: &str, t: &Text) {
        for (lang, v) in [("fi", &t.fi), ("sv", &t.sv), ("en", &t.en)] {
            if v.trim().is_empty() {
                self.error(path, &format!("must not be empty (in `{lang}`)"));
            }
        }
    }
    fn names(&mut self, at: &str, fi: &str, sv: &str, en: &str) {
        self.non_empty(&format!("{at}.name_fi"), fi);
        self.non_empty(&format!("{at}.name_sv"), sv);
        self.non_empty(&format!("{at}.name_en"), en);
    }
    fn id(&mut self, path: &str, id: &str, seen: &mut BTreeSet<String>) {
        if !is_valid_id(id) {
            self.error(
                path,
                "an id is 1-64 characters of a-z, 0-9 and _, starting with a letter",
            );
        } else if !seen.insert(id.to_owned()) {
            self.error(path, &format!("id `{id}` is used twice"));
        }
    }
    fn email(&mut self, path: &str, value: &str) {
        if !is_plausible_email(value) {
            self.error(path, "is not an email address");
        }
    }
    fn phone(&mut self, path: &str, value: &str) {
        if !is_plausible_phone(value) {
            self.error(path, "is not a phone number (digits, spaces, + and - only)");
        }
    }
    fn person(&mut self, at: &str, person: &Person) {
        self.non_empty(&format!("{at}.name"), &person.name);
        self.text(&format!("{at}.title"), &person.title);
        if let Some(e) = &person.email {
            self.email(&format!("{at}.email"), e);
        }
        if let Some(ph) = &person.phone {
            self.phone(&format!("{at}.phone"), ph);
        }
    }
}

/// Whether a free text speaks of encryption (in any of the three languages).
pub fn promises_transport_encryption(t: &Text) -> bool {
    [&t.fi, &t.sv, &t.en].iter().any(|s| {
        let s = s.to_lowercase();
        ["salat", "salaus", "krypter", "encrypt", "tls", "https"]
            .iter()
            .any(|w| s.contains(w))
    })
}

/// Kirjo ids: lower-case ASCII letters, digits and `_`, starting with a letter.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && id.len() <= 64
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain,
/// no spaces. Deliverability is not something a format check can know.
pub fn is_plausible_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
}

/// A phone number: at least 5 digits; digits, spaces, `+` (leading only) and `-`.
pub fn is_plausible_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let rest_ok = value
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (c == '+' && i == 0));
    digits >= 5 && rest_ok
}

/// Y-tunnus: seven digits, a hyphen and a check digit (weights 7,9,10,5,8,4,2;
/// remainder 0 gives 0, remainder 1 is never issued, otherwise 11 - remainder).
pub fn is_valid_business_id(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 9 || b[7] != b'-' || !b[..7].iter().chain(&b[8..]).all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..7]
        .iter()
        .zip([7u32, 9, 10, 5, 8, 4, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match sum % 11 {
        0 => 0,
        1 => return false,
        r => 11 - r,
    };
    u32::from(b[8] - b'0') == check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_ids() {
        // Check digits computed by the rule: 0112038 -> 9, 1234567 -> 1.
        assert!(is_valid_business_id("0112038-9"));
        assert!(is_valid_business_id("1234567-1"));
        assert!(!is_valid_business_id("1234567-2"));
        assert!(!is_valid_business_id("12345671"));
        assert!(!is_valid_business_id("123456a-1"));
    }

    #[test]
    fn ids_emails_phones() {
        assert!(is_valid_id("child_welfare"));
        assert!(!is_valid_id("Child"));
        assert!(!is_valid_id("1abc"));
        assert!(!is_valid_id(""));
        assert!(is_plausible_email("kirjaamo@kuusisto.example"));
        assert!(!is_plausible_email("kirjaamo@"));
        assert!(!is_plausible_email("a b@c.fi"));
        assert!(is_plausible_phone("+358 40 123 4567"));
        assert!(is_plausible_phone("02 123 4567"));
        assert!(!is_plausible_phone("12"));
        assert!(!is_plausible_phone("040+123456"));
    }
}
