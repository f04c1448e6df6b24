//! Client documents: each kind a structured type with its own fields.
//!
//! The first kind is the client narrative entry (asiakaskertomusmerkintä),
//! modelled on THL's national structures (Sosmeta): the four common entries
//! share the client, the entry text (`asiakaskertomusmerkinta`), the date
//! (`paivamaara`) and the author (`laatija`); a meeting or contact and a
//! negotiation also record what was agreed. The client and the author are
//! metadata that Kirjo fills in, never fields the user types.

use crate::contact::Lang;
pub use crate::field::MAX_TEXT;
use crate::field::{say, BAD_DATE, CHOOSE, FUTURE_DATE, REQUIRED};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of client narrative entry, with their national definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NarrativeEntry {
    /// Merkintä tapaamisesta tai yhteydenotosta (19005).
    MeetingOrContact,
    /// Merkintä ohjauksesta ja neuvonnasta (19003).
    GuidanceAndAdvice,
    /// Merkintä neuvottelusta (19004).
    Negotiation,
    /// Merkintä asiakkaan arjesta (19007).
    DailyLife,
}

impl NarrativeEntry {
    pub const ALL: [NarrativeEntry; 4] = [
        NarrativeEntry::MeetingOrContact,
        NarrativeEntry::GuidanceAndAdvice,
        NarrativeEntry::Negotiation,
        NarrativeEntry::DailyLife,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MeetingOrContact => "meeting_or_contact",
            Self::GuidanceAndAdvice => "guidance_and_advice",
            Self::Negotiation => "negotiation",
            Self::DailyLife => "daily_life",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s.trim())
    }

    /// The national document definition (Sosmeta, THL code list
    /// 1.2.246.537.6.1506) with its version: the schema the export follows.
    pub fn definition_oid(self) -> &'static str {
        match self {
            Self::MeetingOrContact => "1.2.246.537.6.1506.19005.2022.1.10",
            Self::GuidanceAndAdvice => "1.2.246.537.6.1506.19003.2022.1.10",
            Self::Negotiation => "1.2.246.537.6.1506.19004.2022.1.10",
            Self::DailyLife => "1.2.246.537.6.1506.19007.2022.1.10",
        }
    }

    /// The root element of the national structure.
    pub fn national_root(self) -> &'static str {
        match self {
            Self::MeetingOrContact => "merkinta_tapaamisesta_tai_yhteydenotosta",
            Self::GuidanceAndAdvice => "merkinta_ohjauksesta_ja_neuvonnasta",
            Self::Negotiation => "merkinta_neuvottelusta",
            Self::DailyLife => "merkinta_asiakkaan_arjesta",
        }
    }

    /// The national element for what was agreed, where the kind has one.
    pub fn national_agreed(self) -> Option<&'static str> {
        match self {
            Self::MeetingOrContact => Some("sovitut_asiat"),
            Self::Negotiation => Some("neuvottelussa_sovitut_asiat_ja_vastuunjako"),
            _ => None,
        }
    }

    /// The document's name, as the national definition gives it (Finnish
    /// and Swedish) or in English.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::MeetingOrContact, Lang::Fi) => "Merkintä tapaamisesta tai yhteydenotosta",
            (Self::MeetingOrContact, Lang::Sv) => "Anteckning om möte eller kontakt",
            (Self::MeetingOrContact, Lang::En) => "Entry on a meeting or contact",
            (Self::GuidanceAndAdvice, Lang::Fi) => "Merkintä ohjauksesta ja neuvonnasta",
            (Self::GuidanceAndAdvice, Lang::Sv) => "Anteckning om handledning och rådgivning",
            (Self::GuidanceAndAdvice, Lang::En) => "Entry on guidance and advice",
            (Self::Negotiation, Lang::Fi) => "Merkintä neuvottelusta",
            (Self::Negotiation, Lang::Sv) => "Anteckning om överläggning",
            (Self::Negotiation, Lang::En) => "Entry on a negotiation",
            (Self::DailyLife, Lang::Fi) => "Merkintä asiakkaan arjesta",
            (Self::DailyLife, Lang::Sv) => "Anteckning om en klients vardag",
            (Self::DailyLife, Lang::En) => "Entry on the client's daily life",
        }
    }

    /// Whether the entry records what was agreed (meetings and negotiations).
    pub fn has_agreements(self) -> bool {
        matches!(self, Self::MeetingOrContact | Self::Negotiation)
    }
}

/// A client narrative entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    pub entry: NarrativeEntry,
    /// When it happened (paivamaara).
    pub date: NaiveDate,
    /// The entry itself (asiakaskertomusmerkinta).
    pub text: String,
    /// What was agreed, and who does what (sovitut asiat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<String>,
}

/// What is wrong with a narrative entry, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NarrativeError {
    UnknownEntry,
    Date,
    FutureDate,
    TextRequired,
    TooLong,
    NoAgreementsHere,
    /// A character that is refused in any text (`edge::check_text`).
    BadText(crate::edge::TextProblem),
}

impl NarrativeError {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::UnknownEntry, Lang::Fi) => "Valitse merkinnän laji.",
            (Self::UnknownEntry, Lang::Sv) => "Välj typ av anteckning.",
            (Self::UnknownEntry, Lang::En) => "Choose the kind of entry.",
            (Self::Date, _) => say(BAD_DATE, lang),
            (Self::FutureDate, _) => say(FUTURE_DATE, lang),
            (Self::TextRequired, Lang::Fi) => "Kirjoita merkintä.",
            (Self::TextRequired, Lang::Sv) => "Skriv anteckningen.",
            (Self::TextRequired, Lang::En) => "Write the entry.",
            (Self::TooLong, Lang::Fi) => "Merkintä on liian pitkä (enintään 20 000 merkkiä).",
            (Self::TooLong, Lang::Sv) => "Anteckningen är för lång (högst 20 000 tecken).",
            (Self::TooLong, Lang::En) => "The entry is too long (at most 20,000 characters).",
            (Self::NoAgreementsHere, Lang::Fi) => "Tähän merkintään ei kirjata sovittuja asioita.",
            (Self::NoAgreementsHere, Lang::Sv) => {
                "I den här anteckningen registreras inte överenskommelser."
            }
            (Self::NoAgreementsHere, Lang::En) => "This kind of entry records no agreements.",
            (Self::BadText(p), lang) => p.message(lang),
        }
    }
}

/// Checks a narrative entry as typed; every problem at once, by field
/// (`entry`, `date`, `text`, `agreed`).
pub fn narrative(
    entry: &str,
    date: &str,
    text: &str,
    agreed: Option<&str>,
    today: NaiveDate,
) -> Result<Narrative, Vec<(&'static str, NarrativeError)>> {
    let mut errors = Vec::new();
    let entry = NarrativeEntry::parse(entry);
    if entry.is_none() {
        errors.push(("entry", NarrativeError::UnknownEntry));
    }
    let date = match crate::edge::iso_date(date) {
        Some(d) if d > today => {
            errors.push(("date", NarrativeError::FutureDate));
            None
        }
        Some(d) => Some(d),
        None => {
            errors.push(("date", NarrativeError::Date));
            None
        }
    };
    let text = text.trim();
    if let Err(p) = crate::edge::check_text(text, true) {
        errors.push(("text", NarrativeError::BadText(p)));
    } else if text.is_empty() {
        errors.push(("text", NarrativeError::TextRequired));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(("text", NarrativeError::TooLong));
    }
    let agreed = agreed.map(str::trim).filter(|a| !a.is_empty());
    if let (Some(e), Some(_)) = (entry, agreed) {
        if !e.has_agreements() {
            errors.push(("agreed", NarrativeError::NoAgreementsHere));
        }
    }
    if agreed.is_some_and(|a| a.chars().count() > MAX_TEXT) {
        errors.push(("agreed", NarrativeError::TooLong));
    }
    if let Some(Err(p)) = agreed.map(|a| crate::edge::check_text(a, true)) {
        errors.push(("agreed", NarrativeError::BadText(p)));
    }
    match (entry, date) {
        (Some(entry), Some(date)) if errors.is_empty() => Ok(Narrative {
            entry,
            date,
            text: text.to_owned(),
            agreed: agreed.map(str::to_owned),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_good_entry_is_taken_and_trimmed() {
        let n = narrative(
            "meeting_or_contact",
            "2026-11-20",
            "  Tapaaminen kotona.  ",
            Some(" Seuraava käynti 1.12. "),
            today(),
        );
        assert_eq!(
            n,
            Ok(Narrative {
                entry: NarrativeEntry::MeetingOrContact,
                date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
                text: "Tapaaminen kotona.".into(),
                agreed: Some("Seuraava käynti 1.12.".into()),
            })
        );
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let errors = narrative("letter", "2026-13-01", " ", None, today())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                ("entry", NarrativeError::UnknownEntry),
                ("date", NarrativeError::Date),
                ("text", NarrativeError::TextRequired)
            ]
        );
        let errors = narrative("daily_life", "2026-11-24", "x", Some("sovittu"), today())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                ("date", NarrativeError::FutureDate),
                ("agreed", NarrativeError::NoAgreementsHere)
            ]
        );
        let long = "a".repeat(MAX_TEXT + 1);
        let errors = narrative("negotiation", "2026-11-01", &long, None, today())
            .err()
            .unwrap_or_default();
        assert_eq!(errors, vec![("text", NarrativeError::TooLong)]);
    }

    #[test]
    fn kinds_round_trip_and_name_their_national_definition() {
        for e in NarrativeEntry::ALL {
            assert_eq!(NarrativeEntry::parse(e.as_str()), Some(e));
            assert!(e.definition_oid().starts_with("1.2.246.537.6.1506.190"));
            for lang in [Lang::Fi, Lang::Sv, Lang::En] {
                assert!(!e.name(lang).is_empty());
            }
        }
    }
}

/// Who made a child welfare notification (lastensuojeluilmoitus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporter {
    /// A professional with the duty to report (Child Welfare Act § 25).
    Professional,
    PrivatePerson,
    Anonymous,
}

/// How the notification arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Letter,
    Electronic,
    InPerson,
}

/// The urgency assessment, made at once on receipt (Child Welfare Act § 26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The child needs protection at once.
    Immediate,
    NotImmediate,
}

/// The decision on starting a service-need assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentDecision {
    Start,
    /// Not started: the reasons are recorded.
    NotStarted,
}

/// A child welfare notification and its handling: who reported and how,
/// what, when it arrived, the urgency assessment, the decision on starting
/// a service-need assessment (or the reasons for not starting one), and
/// when the child and a guardian were told. The child is the document's
/// client; the guardians are in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub received_on: NaiveDate,
    pub reporter: Reporter,
    /// The reporter's first names and surname, as separate fields (the
    /// national structure names people so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_first_names: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_surname: Option<String>,
    /// The whole name, as notifications stored before the names were kept
    /// apart have it; a new one never sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_organisation: Option<String>,
    /// The reporter's identity and contact data are kept secret from the
    /// family (ilmoittajan tietojen salassapito), with the grounds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reporter_confidential: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidentiality_grounds: Option<String>,
    pub channel: Channel,
    /// Asiasisältö: what was reported.
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<AssessmentDecision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reasons: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_told_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian_told_on: Option<NaiveDate>,
}

impl Notification {
    /// The reporter's first names and surname: as stored apart, or (for a
    /// notification stored before they were kept apart) the whole name
    /// split at its last space, as a worker correcting it will see it.
    pub fn reporter_names(&self) -> (Option<String>, Option<String>) {
        match (
            &self.reporter_first_names,
            &self.reporter_surname,
            &self.reporter_name,
        ) {
            (None, None, Some(whole)) => {
                let (first, last) = crate::forms::split_name(whole);
                (Some(first), Some(last))
            }
            (first, last, _) => (first.clone(), last.clone()),
        }
    }

    /// The reporter's name to show: first names and surname.
    pub fn reporter_full_name(&self) -> Option<String> {
        match self.reporter_names() {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (f, l) => f.or(l),
        }
    }

    /// The statutory deadlines from the day of receipt.
    pub fn deadlines(&self) -> crate::calendar::ChildWelfareDeadlines {
        crate::calendar::child_welfare_deadlines(self.received_on)
    }

    /// Whether the decision on starting the assessment is late: made after
    /// its deadline, or not made and the deadline has passed.
    pub fn decision_late(&self, today: NaiveDate) -> bool {
        let due = self.deadlines().assessment_start_due;
        match self.decided_on {
            Some(d) => d > due,
            None => today > due,
        }
    }
}

/// What is wrong with a child welfare notification, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationError {
    Required,
    Choice,
    Date,
    FutureDate,
    BeforeReceipt,
    TooLong,
    /// An anonymous notification names nobody.
    NamedAnonymous,
    /// A decision not to start an assessment needs its reasons.
    ReasonsRequired,
    /// A decision needs its date, and a date its decision.
    DecisionAndDate,
    /// A whole name where first names and surname are asked separately.
    NameInParts,
    /// A character refused in any text (`edge::check_text`).
    BadText(crate::edge::TextProblem),
}

impl NotificationError {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Required, _) => say(REQUIRED, lang),
            (Self::Choice, _) => say(CHOOSE, lang),
            (Self::Date, _) => say(BAD_DATE, lang),
            (Self::FutureDate, _) => say(FUTURE_DATE, lang),
            (Self::BadText(p), lang) => p.message(lang),
            (Self::BeforeReceipt, Lang::Fi) => {
                "Päivämäärä ei voi olla ennen ilmoituksen saapumista."
            }
            (Self::BeforeReceipt, Lang::Sv) => "Datumet kan inte vara före anmälan kom in.",
            (Self::BeforeReceipt, Lang::En) => {
                "The date cannot be before the notification arrived."
            }
            (Self::TooLong, Lang::Fi) => "Teksti on liian pitkä (enintään 20 000 merkkiä).",
            (Self::TooLong, Lang::Sv) => "Texten är för lång (högst 20 000 tecken).",
            (Self::TooLong, Lang::En) => "The text is too long (at most 20,000 characters).",
            (Self::NameInParts, Lang::Fi) => {
                "Anna ilmoittajan etunimet ja sukunimi omiin kenttiinsä."
            }
            (Self::NameInParts, Lang::Sv) => {
                "Ange anmälarens förnamn och efternamn i var sitt fält."
            }
            (Self::NameInParts, Lang::En) => {
                "Give the reporter's first names and surname in their own fields."
            }
            (Self::NamedAnonymous, Lang::Fi) => "Nimetön ilmoitus ei nimeä ilmoittajaa.",
            (Self::NamedAnonymous, Lang::Sv) => "En anonym anmälan namnger inte anmälaren.",
            (Self::NamedAnonymous, Lang::En) => "An anonymous notification names nobody.",
            (Self::ReasonsRequired, Lang::Fi) => {
                "Kirjaa perustelut sille, ettei arviointia aloiteta."
            }
            (Self::ReasonsRequired, Lang::Sv) => "Ange skälen till att bedömningen inte inleds.",
            (Self::ReasonsRequired, Lang::En) => "Record why the assessment is not started.",
            (Self::DecisionAndDate, Lang::Fi) => "Anna sekä päätös että sen päivämäärä.",
            (Self::DecisionAndDate, Lang::Sv) => "Ange både beslutet och dess datum.",
            (Self::DecisionAndDate, Lang::En) => "Give both the decision and its date.",
        }
    }
}

/// A child welfare notification as typed in a form: every field a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationInput {
    #[serde(default)]
    pub received_on: String,
    #[serde(default)]
    pub reporter: String,
    #[serde(default)]
    pub reporter_first_names: String,
    #[serde(default)]
    pub reporter_surname: String,
    /// A whole name is not taken (the names are asked separately); kept so
    /// that a client sending one is told, not silently ignored.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reporter_name: String,
    #[serde(default)]
    pub reporter_title: String,
    #[serde(default)]
    pub reporter_organisation: String,
    /// `true` (or `on`, a ticked box): the reporter's data are confidential.
    #[serde(default)]
    pub reporter_confidential: String,
    #[serde(default)]
    pub confidentiality_grounds: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub urgency_note: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub decision_reasons: String,
    #[serde(default)]
    pub child_told_on: String,
    #[serde(default)]
    pub guardian_told_on: String,
}

fn choice<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).ok()
}

impl NotificationInput {
    /// Checks the form; every problem at once, by field.
    pub fn check(
        &self,
        today: NaiveDate,
    ) -> Result<Notification, Vec<(&'static str, NotificationError)>> {
        let mut errors = Vec::new();
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let date = |field: &'static str, s: &str, errors: &mut Vec<_>| -> Option<NaiveDate> {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match crate::edge::iso_date(s) {
                Some(d) if d > today => {
                    errors.push((field, NotificationError::FutureDate));
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.push((field, NotificationError::Date));
                    None
                }
            }
        };
        let received_on = date("received_on", &self.received_on, &mut errors);
        if self.received_on.trim().is_empty() {
            errors.push(("received_on", NotificationError::Required));
        }
        let reporter: Option<Reporter> = choice(&self.reporter);
        if reporter.is_none() {
            errors.push(("reporter", NotificationError::Choice));
        }
        let channel: Option<Channel> = choice(&self.channel);
        if channel.is_none() {
            errors.push(("channel", NotificationError::Choice));
        }
        let (first_names, surname, title, organisation) = (
            opt(&self.reporter_first_names),
            opt(&self.reporter_surname),
            opt(&self.reporter_title),
            opt(&self.reporter_organisation),
        );
        if opt(&self.reporter_name).is_some() {
            errors.push(("reporter_name", NotificationError::NameInParts));
        }
        let named = first_names.is_some() || surname.is_some();
        match reporter {
            Some(Reporter::Anonymous) if named || title.is_some() || organisation.is_some() => {
                errors.push(("reporter_surname", NotificationError::NamedAnonymous))
            }
            Some(Reporter::Anonymous) => {}
            // A professional is named; anyone named is named in full.
            Some(r) if named || r == Reporter::Professional => {
                if first_names.is_none() {
                    errors.push(("reporter_first_names", NotificationError::Required));
                }
                if surname.is_none() {
                    errors.push(("reporter_surname", NotificationError::Required));
                }
            }
            _ => {}
        }
        let confidential = matches!(self.reporter_confidential.trim(), "true" | "on" | "1");
        let grounds = opt(&self.confidentiality_grounds);
        if confidential && grounds.is_none() {
            errors.push(("confidentiality_grounds", NotificationError::Required));
        }
        if confidential && reporter == Some(Reporter::Anonymous) {
            errors.push(("reporter_confidential", NotificationError::NamedAnonymous));
        }
        if !confidential && grounds.is_some() {
            errors.push(("confidentiality_grounds", NotificationError::Choice));
        }
        let content = self.content.trim();
        if content.is_empty() {
            errors.push(("content", NotificationError::Required));
        }
        for (field, text) in [
            ("content", content),
            ("urgency_note", self.urgency_note.trim()),
            ("decision_reasons", self.decision_reasons.trim()),
        ] {
            if text.chars().count() > MAX_TEXT {
                errors.push((field, NotificationError::TooLong));
            }
        }
        for (field, text, multiline) in [
            ("content", self.content.as_str(), true),
            ("urgency_note", self.urgency_note.as_str(), true),
            ("decision_reasons", self.decision_reasons.as_str(), true),
            (
                "reporter_first_names",
                self.reporter_first_names.as_str(),
                false,
            ),
            ("reporter_surname", self.reporter_surname.as_str(), false),
            (
                "confidentiality_grounds",
                self.confidentiality_grounds.as_str(),
                false,
            ),
            ("reporter_title", self.reporter_title.as_str(), false),
            (
                "reporter_organisation",
                self.reporter_organisation.as_str(),
                false,
            ),
        ] {
            if let Err(p) = crate::edge::check_text(text.trim(), multiline) {
                errors.push((field, NotificationError::BadText(p)));
            }
        }
        let urgency: Option<Urgency> = opt(&self.urgency).and_then(|u| {
            let c = choice(&u);
            if c.is_none() {
                errors.push(("urgency", NotificationError::Choice));
            }
            c
        });
        let decision: Option<AssessmentDecision> = opt(&self.decision).and_then(|d| {
            let c = choice(&d);
            if c.is_none() {
                errors.push(("decision", NotificationError::Choice));
            }
            c
        });
        let decided_on = date("decided_on", &self.decided_on, &mut errors);
        let has_date = !self.decided_on.trim().is_empty();
        if decision.is_some() != has_date {
            errors.push(("decided_on", NotificationError::DecisionAndDate));
        }
        let reasons = opt(&self.decision_reasons);
        if decision == Some(AssessmentDecision::NotStarted) && reasons.is_none() {
            errors.push(("decision_reasons", NotificationError::ReasonsRequired));
        }
        let child_told_on = date("child_told_on", &self.child_told_on, &mut errors);
        let guardian_told_on = date("guardian_told_on", &self.guardian_told_on, &mut errors);
        if let Some(received) = received_on {
            for (field, d) in [
                ("decided_on", decided_on),
                ("child_told_on", child_told_on),
                ("guardian_told_on", guardian_told_on),
            ] {
                if d.is_some_and(|d| d < received) {
                    errors.push((field, NotificationError::BeforeReceipt));
                }
            }
        }
        match (received_on, reporter, channel) {
            (Some(received_on), Some(reporter), Some(channel)) if errors.is_empty() => {
                Ok(Notification {
                    received_on,
                    reporter,
                    reporter_first_names: first_names,
                    reporter_surname: surname,
                    reporter_name: None,
                    reporter_title: title,
                    reporter_organisation: organisation,
                    reporter_confidential: confidential,
                    confidentiality_grounds: grounds,
                    channel,
                    content: content.to_owned(),
                    urgency,
                    urgency_note: opt(&self.urgency_note),
                    decision,
                    decided_on,
                    decision_reasons: reasons,
                    child_told_on,
                    guardian_told_on,
                })
            }
            _ => Err(errors),
        }
    }

    /// The form of a stored notification.
    pub fn of(n: &Notification) -> Self {
        let s = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let d = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        let (first_names, surname) = n.reporter_names();
        Self {
            received_on: n.received_on.to_string(),
            reporter: s(serde_json::to_value(n.reporter).unwrap_or_default()),
            reporter_first_names: first_names.unwrap_or_default(),
            reporter_surname: surname.unwrap_or_default(),
            reporter_name: String::new(),
            reporter_title: n.reporter_title.clone().unwrap_or_default(),
            reporter_organisation: n.reporter_organisation.clone().unwrap_or_default(),
            reporter_confidential: if n.reporter_confidential {
                "true".to_owned()
            } else {
                String::new()
            },
            confidentiality_grounds: n.confidentiality_grounds.clone().unwrap_or_default(),
            channel: s(serde_json::to_value(n.channel).unwrap_or_default()),
            content: n.content.clone(),
            urgency: n
                .urgency
                .map(|u| s(serde_json::to_value(u).unwrap_or_default()))
                .unwrap_or_default(),
            urgency_note: n.urgency_note.clone().unwrap_or_default(),
            decision: n
                .decision
                .map(|u| s(serde_json::to_value(u).unwrap_or_default()))
                .unwrap_or_default(),
            decided_on: d(n.decided_on),
            decision_reasons: n.decision_reasons.clone().unwrap_or_default(),
            child_told_on: d(n.child_told_on),
            guardian_told_on: d(n.guardian_told_on),
        }
    }
}

/// The content of a document, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Narrative(Narrative),
    ChildWelfareNotification(Notification),
    /// The kinds that are forms of typed fields (`crate::forms`).
    Form(crate::forms::Form),
}

/// Every kind of document, as stored.
pub fn kinds() -> Vec<&'static str> {
    let mut all = vec!["narrative", "child_welfare_notification"];
    all.extend(crate::forms::specs().iter().map(|s| s.kind));
    all
}

/// A kind's name, or None for an unknown kind.
pub fn kind_name(kind: &str, lang: Lang) -> Option<&'static str> {
    match (kind, lang) {
        ("narrative", Lang::Fi) => Some("Asiakaskertomusmerkintä"),
        ("narrative", Lang::Sv) => Some("Anteckning i klientberättelsen"),
        ("narrative", Lang::En) => Some("Client narrative entry"),
        ("child_welfare_notification", Lang::Fi) => Some("Lastensuojeluilmoitus"),
        ("child_welfare_notification", Lang::Sv) => Some("Barnskyddsanmälan"),
        ("child_welfare_notification", Lang::En) => Some("Child welfare notification"),
        _ => crate::forms::spec(kind).map(|s| s.name(lang)),
    }
}

impl Content {
    /// The kind, as stored: `narrative` or `child_welfare_notification`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Narrative(_) => "narrative",
            Self::ChildWelfareNotification(_) => "child_welfare_notification",
            Self::Form(f) => f.spec.kind,
        }
    }

    pub fn name(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Narrative(n), _) => n.entry.name(lang),
            (Self::ChildWelfareNotification(_), _) => {
                kind_name("child_welfare_notification", lang).unwrap_or_default()
            }
            (Self::Form(f), _) => f.spec.name(lang),
        }
    }

    /// The day the document is about, which must fall within the client's
    /// life (`edge::past_day_of_client`): a narrative's date, a form's
    /// `date`. None for a child welfare notification, which may be made
    /// before the child is born (§25c).
    pub fn day_in_life(&self) -> Option<NaiveDate> {
        match self {
            Self::Narrative(n) => Some(n.date),
            Self::ChildWelfareNotification(_) => None,
            Self::Form(f) => f.date(),
        }
    }

    /// The national definition (Sosmeta) with its version.
    pub fn definition_oid(&self) -> &'static str {
        match self {
            Self::Narrative(n) => n.entry.definition_oid(),
            Self::ChildWelfareNotification(_) => "1.2.246.537.6.1506.4009.2023.4.28",
            Self::Form(f) => f.spec.definition_oid,
        }
    }

    /// The fields as stored.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Narrative(n) => serde_json::to_value(n).unwrap_or_default(),
            Self::ChildWelfareNotification(n) => serde_json::to_value(n).unwrap_or_default(),
            Self::Form(f) => f.to_json(),
        }
    }

    /// The content of a stored document.
    pub fn from_json(kind: &str, value: serde_json::Value) -> Option<Self> {
        match kind {
            "narrative" => serde_json::from_value(value).ok().map(Self::Narrative),
            "child_welfare_notification" => serde_json::from_value(value)
                .ok()
                .map(Self::ChildWelfareNotification),
            other => crate::forms::spec(other)
                .and_then(|spec| crate::forms::Form::from_json(spec, &value))
                .map(Self::Form),
        }
    }

    /// What must be filled in before the document is completed.
    pub fn missing_for_completion(&self) -> Vec<&'static str> {
        match self {
            Self::Narrative(_) => Vec::new(),
            Self::Form(f) => f.missing_for_completion(),
            Self::ChildWelfareNotification(n) => {
                let mut missing = Vec::new();
                if n.urgency.is_none() {
                    missing.push("urgency");
                }
                if n.decision.is_none() {
                    missing.push("decision");
                }
                missing
            }
        }
    }
}

#[cfg(test)]
mod notification_tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn input() -> NotificationInput {
        NotificationInput {
            received_on: "2026-11-10".into(),
            reporter: "professional".into(),
            reporter_first_names: "Olli".into(),
            reporter_surname: "Opettaja".into(),
            channel: "electronic".into(),
            content: "Lapsi on ollut poissa koulusta.".into(),
            ..NotificationInput::default()
        }
    }

    #[test]
    fn a_notification_is_checked_field_by_field() {
        let n = input().check(today()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(n.reporter, Reporter::Professional);
        assert_eq!(n.decision, None);
        let mut bad = input();
        bad.reporter = "anonymous".into();
        bad.decision = "not_started".into();
        bad.decided_on = "2026-11-09".into();
        bad.received_on = "2026-11-10".into();
        let errors = bad.check(today()).err().unwrap_or_default();
        assert!(errors.contains(&("reporter_surname", NotificationError::NamedAnonymous)));
        assert!(errors.contains(&("decision_reasons", NotificationError::ReasonsRequired)));
        assert!(errors.contains(&("decided_on", NotificationError::BeforeReceipt)));
        let mut half = input();
        half.decision = "start".into();
        assert_eq!(
            half.check(today()).err().unwrap_or_default(),
            vec![("decided_on", NotificationError::DecisionAndDate)]
        );
    }

    #[test]
    fn the_decision_is_late_after_seven_weekdays() {
        // Received Tuesday 10 November 2026: the seventh weekday after is
        // Thursday 19 November.
        let mut n = input().check(today()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            n.deadlines().assessment_start_due,
            NaiveDate::from_ymd_opt(2026, 11, 19).unwrap_or_default()
        );
        assert!(!n.decision_late(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap_or_default()));
        assert!(n.decision_late(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()));
        n.decision = Some(AssessmentDecision::Start);
        n.decided_on = NaiveDate::from_ymd_opt(2026, 11, 18);
        assert!(!n.decision_late(today()));
        assert_eq!(
            Content::ChildWelfareNotification(n.clone()).missing_for_completion(),
            vec!["urgency"]
        );
        let round = Content::from_json(
            "child_welfare_notification",
            Content::ChildWelfareNotification(n.clone()).to_json(),
        );
        assert_eq!(round, Some(Content::ChildWelfareNotification(n)));
    }
}
