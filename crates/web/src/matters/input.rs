//! A matter's input, checked once for the API and the pages: opening one and
//! recording a step. Each problem is named by the API's field and said in
//! the user's language; the same words serve a refusal that only the store
//! can find (an open matter exists, a step recorded already).

use crate::shared::fields::FieldError;
use crate::shared::i18n::Tr;
use crate::shared::Refusal;
use chrono::NaiveDate;
use kirjo_domain::contact::Lang;
use kirjo_domain::forms::{say, typed_date, FormError, BAD_DATE, CHOOSE, FUTURE_DATE, REQUIRED};
use kirjo_domain::matter::{Phase, PhaseProblem, StartedBy};
use kirjo_store::matters::{MatterProblem, NewMatter, NewPhase};

/// Opening a matter, as the API or the form gives it.
#[derive(Debug, Default, Clone)]
pub struct OpenInput {
    pub service_task: String,
    pub started_by: String,
    pub started_on: String,
    pub document_id: Option<i64>,
    pub highest_care_allowance: bool,
}

/// Recording a step, as given (the page's form too).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct PhaseInput {
    pub phase: String,
    pub on: String,
    pub outcome: String,
}

fn problem(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// A required date, not after today.
fn day(raw: &str, today: NaiveDate, lang: Lang) -> Result<NaiveDate, String> {
    match typed_date(raw, false, today) {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(say(REQUIRED, lang).to_owned()),
        Err(FormError::FutureDate) => Err(say(FUTURE_DATE, lang).to_owned()),
        Err(_) => Err(say(BAD_DATE, lang).to_owned()),
    }
}

/// Text a user typed that no one can read back as typed (a NUL byte, other
/// control characters, direction overrides: `kirjo_domain::edge`).
fn unusable(raw: &str) -> bool {
    kirjo_domain::edge::check_text(raw, true).is_err()
}

pub fn check_open(
    i: &OpenInput,
    lang: Lang,
    today: NaiveDate,
) -> Result<NewMatter, Vec<FieldError>> {
    let mut errors = Vec::new();
    let task = i.service_task.trim();
    if task.is_empty() || unusable(task) {
        errors.push(problem("service_task", say(CHOOSE, lang)));
    }
    let started_by = StartedBy::parse(i.started_by.trim());
    if started_by.is_none() {
        errors.push(problem("started_by", say(CHOOSE, lang)));
    }
    let started_on = day(&i.started_on, today, lang)
        .map_err(|m| errors.push(problem("started_on", m)))
        .ok();
    match (started_by, started_on) {
        (Some(started_by), Some(started_on)) if errors.is_empty() => Ok(NewMatter {
            service_task: task.to_owned(),
            started_by,
            started_on,
            document_id: i.document_id,
            highest_care_allowance: i.highest_care_allowance,
        }),
        _ => Err(errors),
    }
}

pub fn check_phase(
    i: &PhaseInput,
    lang: Lang,
    today: NaiveDate,
) -> Result<NewPhase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let phase = Phase::parse(i.phase.trim());
    if phase.is_none() {
        errors.push(problem("phase", say(CHOOSE, lang)));
    }
    let on = day(&i.on, today, lang)
        .map_err(|m| errors.push(problem("on", m)))
        .ok();
    let outcome = i.outcome.trim();
    let outcome = match phase {
        Some(p) if p.outcomes().is_empty() => None,
        Some(p) if p.outcomes().contains(&outcome) => Some(outcome.to_owned()),
        Some(_) => {
            errors.push(problem("outcome", say(CHOOSE, lang)));
            None
        }
        None => None,
    };
    match (phase, on) {
        (Some(phase), Some(on)) if errors.is_empty() => Ok(NewPhase { phase, on, outcome }),
        _ => Err(errors),
    }
}

/// What the use log keeps of refused input: the fields, not their text.
pub fn refused_fields(errors: &[FieldError]) -> String {
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    format!("the input has problems in {}", fields.join(", "))
}

/// A problem that the store found, at its field in the user's language: a
/// conflict with what is recorded (409) or input that cannot be (422).
pub fn refusal(p: MatterProblem, lang: Lang) -> Refusal {
    let tr = Tr::new(lang);
    match p {
        MatterProblem::Task => {
            Refusal::Fields(vec![problem("service_task", tr.t("matter-no-such-task"))])
        }
        MatterProblem::Document => {
            Refusal::Fields(vec![problem("document_id", tr.t("matter-bad-document"))])
        }
        MatterProblem::StartedInFuture => {
            Refusal::Fields(vec![problem("started_on", say(FUTURE_DATE, lang))])
        }
        MatterProblem::OpenExists(id) => Refusal::Conflict(vec![problem(
            "document_id",
            tr.t1("matter-open-exists", "id", id),
        )]),
        MatterProblem::Phase(PhaseProblem::AlreadyRecorded) => {
            Refusal::Conflict(vec![problem("phase", tr.t("matter-phase-recorded"))])
        }
        MatterProblem::Phase(PhaseProblem::Closed) => {
            Refusal::Conflict(vec![problem("phase", tr.t("matter-closed"))])
        }
        MatterProblem::Phase(PhaseProblem::FutureDate) => {
            Refusal::Fields(vec![problem("on", say(FUTURE_DATE, lang))])
        }
        MatterProblem::Phase(PhaseProblem::BeforeStart) => {
            Refusal::Fields(vec![problem("on", tr.t("matter-phase-too-early"))])
        }
        MatterProblem::Phase(PhaseProblem::BadOutcome) => {
            Refusal::Fields(vec![problem("outcome", say(CHOOSE, lang))])
        }
        MatterProblem::Phase(PhaseProblem::NotStarted) => {
            Refusal::Fields(vec![problem("phase", tr.t("matter-phase-not-started"))])
        }
        MatterProblem::Phase(PhaseProblem::NotChildMatter) => {
            Refusal::Fields(vec![problem("phase", tr.t("matter-phase-child-only"))])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn an_opening_is_refused_at_each_field() {
        let today = d(2026, 12, 3);
        let errors = check_open(&OpenInput::default(), Lang::Fi, today)
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["service_task", "started_by", "started_on"]);
        let future = OpenInput {
            service_task: "lastensuojelu".into(),
            started_by: "child_welfare_notification".into(),
            started_on: "2026-12-04".into(),
            ..OpenInput::default()
        };
        let errors = check_open(&future, Lang::En, today)
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "started_on");
        let nul = OpenInput {
            service_task: "a\0b".into(),
            started_on: "2026-12-01".into(),
            ..future
        };
        let errors = check_open(&nul, Lang::En, today).err().unwrap_or_default();
        assert_eq!(errors[0].field, "service_task");
    }

    #[test]
    fn a_step_needs_the_outcome_its_phase_takes() {
        let today = d(2026, 12, 3);
        let ok = PhaseInput {
            phase: "assessment_decided".into(),
            on: "2026-12-02".into(),
            outcome: "started".into(),
        };
        let p = check_phase(&ok, Lang::Fi, today).ok();
        assert_eq!(p.map(|p| p.outcome), Some(Some("started".to_owned())));
        let bad = PhaseInput {
            outcome: "urgent".into(),
            ..ok.clone()
        };
        let errors = check_phase(&bad, Lang::Fi, today).err().unwrap_or_default();
        assert_eq!(errors[0].field, "outcome");
        // A phase without outcomes ignores one given.
        let informed = PhaseInput {
            phase: "informed".into(),
            ..ok
        };
        assert_eq!(
            check_phase(&informed, Lang::Fi, today)
                .ok()
                .map(|p| p.outcome),
            Some(None)
        );
    }
}
