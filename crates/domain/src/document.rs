//! Client documents: each kind a structured type with its own fields.
//!
//! The first kind is the client narrative entry (asiakaskertomusmerkintä),
//! modelled on THL's national structures (Sosmeta): the four common entries
//! share the client, the entry text (`asiakaskertomusmerkinta`), the date
//! (`paivamaara`) and the author (`laatija`); a meeting or contact and a
//! negotiation also record what was agreed. The client and the author are
//! metadata that Kirjo fills in, never fields the user types.

use crate::contact::Lang;
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

/// The longest entry text, in characters.
pub const MAX_TEXT: usize = 20_000;

/// What is wrong with a narrative entry, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NarrativeError {
    UnknownEntry,
    Date,
    FutureDate,
    TextRequired,
    TooLong,
    NoAgreementsHere,
}

impl NarrativeError {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::UnknownEntry, Lang::Fi) => "Valitse merkinnän laji.",
            (Self::UnknownEntry, Lang::Sv) => "Välj typ av anteckning.",
            (Self::UnknownEntry, Lang::En) => "Choose the kind of entry.",
            (Self::Date, Lang::Fi) => "Päivämäärä ei kelpaa.",
            (Self::Date, Lang::Sv) => "Datumet duger inte.",
            (Self::Date, Lang::En) => "The date is not valid.",
            (Self::FutureDate, Lang::Fi) => "Päivämäärä ei voi olla tulevaisuudessa.",
            (Self::FutureDate, Lang::Sv) => "Datumet kan inte vara i framtiden.",
            (Self::FutureDate, Lang::En) => "The date cannot be in the future.",
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
    let date = match NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.push(("date", NarrativeError::FutureDate));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(("date", NarrativeError::Date));
            None
        }
    };
    let text = text.trim();
    if text.is_empty() {
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
