//! A decision's serving (tiedoksianto) and appeal: the day of service by
//! how it was served, the end of the appeal period, and the appeal
//! instructions chosen by the decision's legal basis from configured
//! templates. See docs/decisions.md.

use crate::calendar::is_weekday;
use crate::contact::Lang;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a decision was served to a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    /// By post (ordinary letter or with a receipt): Administrative
    /// Procedure Act 434/2003 §59.
    Post,
    /// Handed over in person.
    InPerson,
    /// As an electronic message: Act on Electronic Services 13/2003 §19.
    Electronic,
}

impl ServiceMethod {
    pub const ALL: [ServiceMethod; 3] = [Self::Post, Self::InPerson, Self::Electronic];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::InPerson => "in_person",
            Self::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// The method a decision's party row names (`forms::SERVICE_METHOD`).
    pub fn of_party_method(value: &str) -> Option<Self> {
        match value {
            "letter" | "letter_with_receipt" => Some(Self::Post),
            "handed" => Some(Self::InPerson),
            "electronic" => Some(Self::Electronic),
            _ => None,
        }
    }
}

/// Days after sending on which a letter counts as received (434/2003 §59).
pub const POST_DAYS: u64 = 7;
/// Days after sending on which an electronic message counts as received
/// (13/2003 §19).
pub const ELECTRONIC_DAYS: u64 = 3;

/// What is wrong with a service as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceProblem {
    /// A receipt date is only for a letter.
    ReceiptNotByPost,
    /// The receipt is dated before the letter was sent.
    ReceiptBeforeSent,
    /// The decision is dated as sent after today.
    SentInFuture,
    /// The receipt is dated after today.
    ReceiptInFuture,
    /// The decision is dated as sent before it was decided.
    SentBeforeDecided,
}

impl ServiceProblem {
    pub const ALL: [Self; 5] = [
        Self::ReceiptNotByPost,
        Self::ReceiptBeforeSent,
        Self::SentInFuture,
        Self::ReceiptInFuture,
        Self::SentBeforeDecided,
    ];

    /// The form field the problem is at.
    pub fn field(self) -> &'static str {
        match self {
            Self::ReceiptNotByPost | Self::ReceiptBeforeSent | Self::ReceiptInFuture => {
                "receipt_on"
            }
            Self::SentInFuture | Self::SentBeforeDecided => "sent_on",
        }
    }

    /// The refusal as the use log keeps it and the API answers it.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::ReceiptNotByPost => "a receipt's day is given only for a letter",
            Self::ReceiptBeforeSent => "the receipt is dated before the letter was sent",
            Self::SentInFuture => "a service is not dated in the future: the day it was sent",
            Self::ReceiptInFuture => "a service is not dated in the future: the day of the receipt",
            Self::SentBeforeDecided => "a decision is served after it was decided",
        }
    }

    /// The problem whose [`explanation`](Self::explanation) this is (it
    /// may be followed by its details).
    pub fn of_explanation(explanation: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| explanation.starts_with(p.explanation()))
    }

    /// The problem as the user is told it, next to its field.
    pub fn say(self, lang: Lang) -> &'static str {
        let n: [&'static str; 3] = match self {
            Self::ReceiptNotByPost => [
                "Vastaanottopäivä annetaan vain kirjeelle.",
                "Mottagningsdagen anges endast för ett brev.",
                "A day of receipt is given only for a letter.",
            ],
            Self::ReceiptBeforeSent => [
                "Vastaanottopäivä ei voi olla ennen lähetyspäivää.",
                "Mottagningsdagen kan inte vara före avsändningsdagen.",
                "The day of receipt cannot be before the day it was sent.",
            ],
            Self::SentInFuture | Self::ReceiptInFuture => [
                "Päivämäärä ei voi olla tulevaisuudessa.",
                "Datumet kan inte vara i framtiden.",
                "The date cannot be in the future.",
            ],
            Self::SentBeforeDecided => [
                "Päätöstä ei voi lähettää ennen päätöspäivää.",
                "Beslutet kan inte sändas före beslutsdagen.",
                "The decision cannot be sent before the day it was made.",
            ],
        };
        crate::field::pick(&n, lang)
    }
}

/// The day of service of a decision made on `decided_on`, served as given,
/// checked on `today`: nothing in the future, nothing sent before the
/// decision was made, a receipt only for a letter and not before it was
/// sent.
pub fn check_service(
    method: ServiceMethod,
    sent_on: NaiveDate,
    receipt_on: Option<NaiveDate>,
    decided_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, ServiceProblem> {
    if sent_on > today {
        return Err(ServiceProblem::SentInFuture);
    }
    if receipt_on.is_some_and(|r| r > today) {
        return Err(ServiceProblem::ReceiptInFuture);
    }
    if sent_on < decided_on {
        return Err(ServiceProblem::SentBeforeDecided);
    }
    served_on(method, sent_on, receipt_on)
}

/// The day of service: by post the 7th day after sending unless a receipt
/// shows another day (§59: the 7th day even when it is a Saturday, Sunday
/// or holiday), in person the day it was handed over, electronically the
/// 3rd day after sending.
pub fn served_on(
    method: ServiceMethod,
    sent_on: NaiveDate,
    receipt_on: Option<NaiveDate>,
) -> Result<NaiveDate, ServiceProblem> {
    match (method, receipt_on) {
        (ServiceMethod::Post, Some(r)) if r < sent_on => Err(ServiceProblem::ReceiptBeforeSent),
        (ServiceMethod::Post, Some(r)) => Ok(r),
        (_, Some(_)) => Err(ServiceProblem::ReceiptNotByPost),
        (ServiceMethod::Post, None) => Ok(sent_on + Days::new(POST_DAYS)),
        (ServiceMethod::InPerson, None) => Ok(sent_on),
        (ServiceMethod::Electronic, None) => Ok(sent_on + Days::new(ELECTRONIC_DAYS)),
    }
}

/// The last day of an appeal period of `days` from the day of service (the
/// day of service not counted): moved to the next weekday when it falls on
/// a Saturday, Sunday, holiday, Christmas Eve or Midsummer Eve (Act on the
/// Calculation of Time Limits 150/1930 §5), by Kirjo's holiday calendar.
pub fn appeal_ends_on(served_on: NaiveDate, days: u32) -> NaiveDate {
    let mut end = served_on + Days::new(u64::from(days));
    while !is_weekday(end) {
        match end.succ_opt() {
            Some(next) => end = next,
            None => return NaiveDate::MAX,
        }
    }
    end
}

/// How a change is sought, by the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealMeans {
    /// Valitus: an appeal to the administrative court.
    Appeal,
    /// Oikaisuvaatimus: a request for review to the authority itself.
    Rectification,
}

impl AppealMeans {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appeal => "appeal",
            Self::Rectification => "rectification",
        }
    }
}

/// Appeal instructions for decisions on one legal basis, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealTemplate {
    /// A short id, e.g. `child_welfare`.
    pub id: String,
    /// What a decision's legal basis is matched by: each a word or a
    /// statute number (`417/2007`) found in it, case ignored.
    pub legal_bases: Vec<String>,
    pub means: AppealMeans,
    /// Days from the day of service.
    pub days: u32,
    /// To whom the appeal or the request is made, per language.
    pub authority_fi: String,
    pub authority_sv: String,
    pub authority_en: String,
    /// The instructions, per language.
    pub instructions_fi: String,
    pub instructions_sv: String,
    pub instructions_en: String,
}

impl AppealTemplate {
    pub fn matches(&self, legal_basis: &str) -> bool {
        let basis = legal_basis.to_lowercase();
        self.legal_bases
            .iter()
            .any(|b| !b.trim().is_empty() && basis.contains(&b.trim().to_lowercase()))
    }

    pub fn instructions(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.instructions_fi,
            Lang::Sv => &self.instructions_sv,
            Lang::En => &self.instructions_en,
        }
    }

    pub fn authority(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.authority_fi,
            Lang::Sv => &self.authority_sv,
            Lang::En => &self.authority_en,
        }
    }

    /// The time limit as the decision states it, in Finnish.
    pub fn period_fi(&self) -> String {
        format!("{} päivää tiedoksisaannista", self.days)
    }
}

/// The first template (in the configured order) whose legal bases the
/// decision's legal basis names.
pub fn template_for<'a>(
    templates: &'a [AppealTemplate],
    legal_basis: &str,
) -> Option<&'a AppealTemplate> {
    templates.iter().find(|t| t.matches(legal_basis))
}

/// The shipped templates: the Child Welfare Act (417/2007, §90: an appeal
/// to the administrative court) and the Social Welfare Act (1301/2014,
/// §45: a request for review to the wellbeing services county's board).
pub fn default_templates() -> Vec<AppealTemplate> {
    vec![
        AppealTemplate {
            id: "child_welfare".into(),
            legal_bases: vec!["417/2007".into(), "lastensuojelulaki".into(), "barnskyddslagen".into(), "child welfare act".into()],
            means: AppealMeans::Appeal,
            days: 30,
            authority_fi: "Hallinto-oikeus".into(),
            authority_sv: "Förvaltningsdomstolen".into(),
            authority_en: "The administrative court".into(),
            instructions_fi: "Valitusosoitus. Tähän päätökseen tyytymätön saa hakea siihen muutosta valittamalla hallinto-oikeuteen (lastensuojelulaki 417/2007, 90 §). Valitus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista. Tiedoksisaantipäivää ei lueta määräaikaan. Jos määräajan viimeinen päivä on pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai arkilauantai, saa valituksen tehdä vielä seuraavana arkipäivänä. Valituskirjelmässä on ilmoitettava päätös, johon haetaan muutosta, miltä osin muutosta haetaan, mitä muutoksia vaaditaan tehtäviksi ja millä perusteilla. Valitus toimitetaan hallinto-oikeudelle kirjallisesti tai sähköisesti.".into(),
            instructions_sv: "Besvärsanvisning. Den som är missnöjd med detta beslut får söka ändring i det genom besvär hos förvaltningsdomstolen (barnskyddslagen 417/2007, 90 §). Besvär ska anföras inom 30 dagar från delfåendet av beslutet. Delfåendedagen räknas inte in i besvärstiden. Om den sista dagen av besvärstiden är en helgdag, självständighetsdagen, första maj, julafton, midsommarafton eller en helgfri lördag, får besvär anföras den följande vardagen. I besvärsskriften ska anges det beslut som överklagas, till vilken del ändring söks, vilka ändringar som yrkas och på vilka grunder. Besvären lämnas till förvaltningsdomstolen skriftligt eller elektroniskt.".into(),
            instructions_en: "Instructions for appeal. A party dissatisfied with this decision may appeal against it to the administrative court (Child Welfare Act 417/2007, section 90). The appeal must be made within 30 days of being notified of the decision; the day of notification is not counted. If the last day is a public holiday, Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, the appeal may still be made on the next weekday. The appeal states the decision appealed against, to what extent a change is sought, what changes are demanded and on what grounds. It is delivered to the administrative court in writing or electronically.".into(),
        },
        AppealTemplate {
            id: "social_welfare".into(),
            legal_bases: vec!["1301/2014".into(), "sosiaalihuoltolaki".into(), "socialvårdslagen".into(), "social welfare act".into()],
            means: AppealMeans::Rectification,
            days: 30,
            authority_fi: "Hyvinvointialueen toimielin (yksilöasioiden jaosto)".into(),
            authority_sv: "Välfärdsområdets organ (sektionen för individärenden)".into(),
            authority_en: "The wellbeing services county's board (individual matters section)".into(),
            instructions_fi: "Oikaisuvaatimusohje. Tähän päätökseen tyytymätön saa vaatia siihen oikaisua hyvinvointialueen toimielimeltä (sosiaalihuoltolaki 1301/2014, 48 §). Päätökseen ei saa hakea muutosta valittamalla tuomioistuimeen. Oikaisuvaatimus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista. Tiedoksisaantipäivää ei lueta määräaikaan. Jos määräajan viimeinen päivä on pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai arkilauantai, saa oikaisuvaatimuksen tehdä vielä seuraavana arkipäivänä. Oikaisuvaatimuksessa on ilmoitettava päätös, johon vaaditaan oikaisua, millaista oikaisua vaaditaan ja millä perusteilla. Oikaisuvaatimus tehdään kirjallisesti.".into(),
            instructions_sv: "Anvisning om begäran om omprövning. Den som är missnöjd med detta beslut får begära omprövning hos välfärdsområdets organ (socialvårdslagen 1301/2014, 48 §). Ändring i beslutet får inte sökas genom besvär hos domstol. Begäran om omprövning ska framställas inom 30 dagar från delfåendet av beslutet. Delfåendedagen räknas inte in i tiden. Om den sista dagen är en helgdag, självständighetsdagen, första maj, julafton, midsommarafton eller en helgfri lördag, får begäran framställas den följande vardagen. I begäran ska anges det beslut som begäran gäller, vilken omprövning som begärs och på vilka grunder. Begäran framställs skriftligt.".into(),
            instructions_en: "Instructions for a request for review. A party dissatisfied with this decision may request a review of it from the wellbeing services county's board (Social Welfare Act 1301/2014, section 48). No appeal against it may be made to a court. The request must be made within 30 days of being notified of the decision; the day of notification is not counted. If the last day is a public holiday, Independence Day, May Day, Christmas Eve, Midsummer Eve or a Saturday, the request may still be made on the next weekday. The request states the decision concerned, what review is requested and on what grounds. It is made in writing.".into(),
        },
    ]
}

/// Why a decision may be marked final (lainvoimainen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalGround {
    /// Every party's appeal period has passed.
    AppealPeriodsPassed,
    /// Explicitly, with a reason: the parties waived their appeal.
    AppealWaived,
}

impl FinalGround {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppealPeriodsPassed => "appeal_periods_passed",
            Self::AppealWaived => "appeal_waived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::AppealPeriodsPassed, Self::AppealWaived]
            .into_iter()
            .find(|g| g.as_str() == s.trim())
    }
}

/// Whether the appeal periods have all passed on `today`: every party
/// served, and today after the last day of each.
pub fn appeal_periods_passed(ends: &[Option<NaiveDate>], today: NaiveDate) -> bool {
    !ends.is_empty() && ends.iter().all(|e| e.is_some_and(|e| e < today))
}

/// Why a decision cannot be marked final on the ground given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalProblem {
    /// Not yet served to every party.
    NotServedToAll,
    /// Served to all, but an appeal period has not passed.
    PeriodsRunning,
    /// Final before the periods passed, with no reason given.
    NoReason,
}

impl FinalProblem {
    pub const ALL: [Self; 3] = [Self::NotServedToAll, Self::PeriodsRunning, Self::NoReason];

    /// The form field the problem is at.
    pub fn field(self) -> &'static str {
        match self {
            Self::NotServedToAll | Self::PeriodsRunning => "ground",
            Self::NoReason => "reason",
        }
    }

    /// The refusal as the use log keeps it and the API answers it.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::NotServedToAll => "a decision is not final before it has been served to every party and their appeal periods have passed",
            Self::PeriodsRunning => "a decision is not final before every party's appeal period has passed",
            Self::NoReason => "marking a decision final before its appeal periods have passed needs the reason (the appeal waived)",
        }
    }

    /// The problem whose [`explanation`](Self::explanation) this is (it
    /// may be followed by its details).
    pub fn of_explanation(explanation: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| explanation.starts_with(p.explanation()))
    }

    /// The problem as the user is told it, next to its field.
    pub fn say(self, lang: Lang) -> &'static str {
        let n: [&'static str; 3] = match self {
            Self::NotServedToAll => [
                "Päätöstä ei ole vielä annettu tiedoksi kaikille asianosaisille.",
                "Beslutet har ännu inte delgetts alla parter.",
                "The decision has not yet been served to every party.",
            ],
            Self::PeriodsRunning => [
                "Kaikkien asianosaisten valitusaika ei ole vielä päättynyt.",
                "Besvärstiden har ännu inte gått ut för alla parter.",
                "Not every party's appeal period has passed yet.",
            ],
            Self::NoReason => [
                "Kirjoita peruste, esimerkiksi että asianosaiset ovat luopuneet muutoksenhausta.",
                "Skriv grunden, till exempel att parterna har avstått från att söka ändring.",
                "Write the reason, for example that the parties waived their appeal.",
            ],
        };
        crate::field::pick(&n, lang)
    }
}

/// Whether a decision whose parties' appeal periods end on `ends` (none
/// where a party is not served) may be marked final on `ground` today.
pub fn check_final(
    ground: FinalGround,
    reason: &str,
    ends: &[Option<NaiveDate>],
    today: NaiveDate,
) -> Result<(), FinalProblem> {
    match ground {
        FinalGround::AppealPeriodsPassed if !appeal_periods_passed(ends, today) => {
            if ends.is_empty() || ends.iter().any(Option::is_none) {
                Err(FinalProblem::NotServedToAll)
            } else {
                Err(FinalProblem::PeriodsRunning)
            }
        }
        FinalGround::AppealWaived if reason.trim().is_empty() => Err(FinalProblem::NoReason),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn service_days_by_method() {
        // Sent on Monday 2 November 2026.
        let sent = d(2026, 11, 2);
        assert_eq!(
            served_on(ServiceMethod::Post, sent, None),
            Ok(d(2026, 11, 9))
        );
        assert_eq!(served_on(ServiceMethod::InPerson, sent, None), Ok(sent));
        assert_eq!(
            served_on(ServiceMethod::Electronic, sent, None),
            Ok(d(2026, 11, 5))
        );
        assert_eq!(
            served_on(ServiceMethod::Post, sent, Some(d(2026, 11, 4))),
            Ok(d(2026, 11, 4))
        );
        assert_eq!(
            served_on(ServiceMethod::Post, sent, Some(d(2026, 11, 1))),
            Err(ServiceProblem::ReceiptBeforeSent)
        );
        assert_eq!(
            served_on(ServiceMethod::InPerson, sent, Some(sent)),
            Err(ServiceProblem::ReceiptNotByPost)
        );
        // A letter sent on Saturday 7 November is served on Saturday 14th:
        // the 7th day is not moved to a weekday.
        assert_eq!(
            served_on(ServiceMethod::Post, d(2026, 11, 7), None),
            Ok(d(2026, 11, 14))
        );
    }

    #[test]
    fn a_service_is_checked_against_today_and_the_decision() {
        let decided = d(2026, 11, 2);
        let today = d(2026, 11, 20);
        let post = ServiceMethod::Post;
        let check = |sent, receipt| check_service(post, sent, receipt, decided, today);
        assert_eq!(
            check(d(2026, 11, 21), None),
            Err(ServiceProblem::SentInFuture)
        );
        assert_eq!(
            check(d(2026, 11, 3), Some(d(2026, 11, 21))),
            Err(ServiceProblem::ReceiptInFuture)
        );
        assert_eq!(
            check(d(2026, 11, 1), None),
            Err(ServiceProblem::SentBeforeDecided)
        );
        assert_eq!(check(decided, None), Ok(d(2026, 11, 9)));
        for p in ServiceProblem::ALL {
            assert_eq!(ServiceProblem::of_explanation(p.explanation()), Some(p));
        }
    }

    #[test]
    fn finality_needs_every_period_passed_or_a_reason() {
        let today = d(2026, 12, 10);
        let passed = FinalGround::AppealPeriodsPassed;
        assert_eq!(
            check_final(passed, "", &[Some(d(2026, 12, 1)), None], today),
            Err(FinalProblem::NotServedToAll)
        );
        assert_eq!(
            check_final(passed, "", &[], today),
            Err(FinalProblem::NotServedToAll)
        );
        assert_eq!(
            check_final(passed, "", &[Some(d(2026, 12, 10))], today),
            Err(FinalProblem::PeriodsRunning)
        );
        assert_eq!(
            check_final(passed, "", &[Some(d(2026, 12, 9))], today),
            Ok(())
        );
        let waived = FinalGround::AppealWaived;
        assert_eq!(
            check_final(waived, "  ", &[None], today),
            Err(FinalProblem::NoReason)
        );
        assert_eq!(check_final(waived, "luopuneet", &[None], today), Ok(()));
        for p in FinalProblem::ALL {
            assert_eq!(FinalProblem::of_explanation(p.explanation()), Some(p));
        }
    }

    #[test]
    fn the_appeal_period_ends_on_a_weekday() {
        // Served 14 November 2026 (Saturday): +30 = Monday 14 December.
        assert_eq!(appeal_ends_on(d(2026, 11, 14), 30), d(2026, 12, 14));
        // Served 7 November: +30 = Monday 7 December.
        assert_eq!(appeal_ends_on(d(2026, 11, 7), 30), d(2026, 12, 7));
        // Served 5 November: +30 = Saturday 5 December -> Independence Day
        // Sunday 6th -> Monday 7 December.
        assert_eq!(appeal_ends_on(d(2026, 11, 5), 30), d(2026, 12, 7));
        // Served 24 November: +30 = Thursday 24 December (Christmas Eve),
        // then Christmas, Boxing Day, Sunday: Monday 28 December.
        assert_eq!(appeal_ends_on(d(2026, 11, 24), 30), d(2026, 12, 28));
    }

    #[test]
    fn templates_match_by_legal_basis() {
        let t = default_templates();
        assert_eq!(
            template_for(&t, "Lastensuojelulaki (417/2007) 36 §").map(|t| t.id.as_str()),
            Some("child_welfare")
        );
        assert_eq!(
            template_for(&t, "Sosiaalihuoltolaki 19 §").map(|t| t.id.as_str()),
            Some("social_welfare")
        );
        assert_eq!(
            template_for(&t, "SHL 1301/2014 19 §").map(|t| t.means),
            Some(AppealMeans::Rectification)
        );
        assert!(template_for(&t, "LsL 36 §").is_none());
    }

    #[test]
    fn final_only_after_every_period() {
        let today = d(2026, 12, 10);
        assert!(appeal_periods_passed(&[Some(d(2026, 12, 9))], today));
        assert!(!appeal_periods_passed(&[Some(d(2026, 12, 10))], today));
        assert!(!appeal_periods_passed(&[Some(d(2026, 12, 9)), None], today));
        assert!(!appeal_periods_passed(&[], today));
    }
}
