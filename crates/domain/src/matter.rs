//! A matter (*asia*): what ties a client's notification to the assessment it
//! started and the decisions taken, with the statutory clock that runs from
//! the day it became pending.
//!
//! Which clock runs (see `docs/matters.md`):
//!
//! - [`ClockRule::ChildWelfare`]: a child's matter (the client under 18 on
//!   the day it began) or any matter of the child welfare service task.
//!   Whether a service need assessment is started is decided by the 7th
//!   weekday after the matter began (Child Welfare Act 417/2007 §26; Social
//!   Welfare Act 1301/2014 §36(3) for a child in need of special support),
//!   the child and guardian are told the notification was received, and the
//!   assessment is completed within 3 months of the start.
//! - [`ClockRule::AdultPriority`]: Social Welfare Act §36(2): a client who
//!   has reached 75, or receives the highest care allowance: the assessment
//!   starts by the 7th weekday. No 3-month rule.
//! - [`ClockRule::NoStatutoryDeadline`]: other adult matters ("without
//!   undue delay"): the page shows how long the matter has been open.

use crate::calendar::{add_weekdays, child_welfare_deadlines};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// How the matter became pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartedBy {
    /// Lastensuojeluilmoitus, Child Welfare Act §25.
    ChildWelfareNotification,
    /// A request for an assessment of the need for child welfare, §25a.
    AssessmentRequest,
    /// Ennakollinen lastensuojeluilmoitus before birth, §25c.
    AnticipatoryNotification,
    /// Another contact (yhteydenotto), Social Welfare Act §35 and
    /// Child Welfare Act §26: a contact that comes before a notification
    /// starts the clock itself.
    OtherContact,
    /// An application for a service.
    Application,
}

impl StartedBy {
    pub const ALL: [StartedBy; 5] = [
        StartedBy::ChildWelfareNotification,
        StartedBy::AssessmentRequest,
        StartedBy::AnticipatoryNotification,
        StartedBy::OtherContact,
        StartedBy::Application,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            StartedBy::ChildWelfareNotification => "child_welfare_notification",
            StartedBy::AssessmentRequest => "assessment_request",
            StartedBy::AnticipatoryNotification => "anticipatory_notification",
            StartedBy::OtherContact => "other_contact",
            StartedBy::Application => "application",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The document kinds that can be the first document of a matter
    /// started this way.
    /// Whether a kind of document can start a matter (or join one as its
    /// start): such a document joins a matter only as the worker says, on
    /// the matter's form. Every other document written in an area where
    /// the client has an open matter belongs to that matter.
    pub fn any_starts_with(kind: &str) -> bool {
        Self::ALL.iter().any(|s| s.document_kinds().contains(&kind))
    }

    pub fn document_kinds(self) -> &'static [&'static str] {
        match self {
            StartedBy::ChildWelfareNotification
            | StartedBy::AssessmentRequest
            | StartedBy::AnticipatoryNotification => &["child_welfare_notification", "intake"],
            StartedBy::OtherContact => &["intake", "information_received"],
            StartedBy::Application => &["application", "intake"],
        }
    }
}

/// The clock that runs for a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockRule {
    ChildWelfare,
    AdultPriority,
    NoStatutoryDeadline,
}

impl ClockRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockRule::ChildWelfare => "child_welfare",
            ClockRule::AdultPriority => "adult_priority",
            ClockRule::NoStatutoryDeadline => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            ClockRule::ChildWelfare,
            ClockRule::AdultPriority,
            ClockRule::NoStatutoryDeadline,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The rule for a client born on `birth_date` whose matter began on
    /// `started_on` in a task that is child welfare or not, with the
    /// highest care allowance or not.
    pub fn of(
        birth_date: NaiveDate,
        started_on: NaiveDate,
        child_welfare_task: bool,
        highest_care_allowance: bool,
    ) -> ClockRule {
        let age = age_on(birth_date, started_on);
        if child_welfare_task || age < 18 {
            ClockRule::ChildWelfare
        } else if age >= 75 || highest_care_allowance {
            ClockRule::AdultPriority
        } else {
            ClockRule::NoStatutoryDeadline
        }
    }
}

/// Age in full years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The THL service task code of child welfare (palvelutehtävä
/// 1.2.246.537.6.1221: 10, lastensuojelu).
pub const CHILD_WELFARE_TASK_CODE: &str = "10";

/// The matter's deadlines under its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The decision on starting the assessment, or the start itself.
    pub start_due: Option<NaiveDate>,
    pub completion_due: Option<NaiveDate>,
}

impl Deadlines {
    pub fn of(rule: ClockRule, started_on: NaiveDate) -> Deadlines {
        match rule {
            ClockRule::ChildWelfare => {
                let d = child_welfare_deadlines(started_on);
                Deadlines {
                    start_due: Some(d.assessment_start_due),
                    completion_due: Some(d.assessment_completion_due),
                }
            }
            ClockRule::AdultPriority => Deadlines {
                start_due: Some(add_weekdays(started_on, 7)),
                completion_due: None,
            },
            ClockRule::NoStatutoryDeadline => Deadlines {
                start_due: None,
                completion_due: None,
            },
        }
    }
}

/// Where a deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// Done by the deadline.
    OnTime { done_on: NaiveDate },
    /// Done after it, so many calendar days late.
    DoneLate { done_on: NaiveDate, days_late: i64 },
    /// Not done; so many calendar days left (0: due today).
    Open { days_left: i64 },
    /// Not done and past due by so many calendar days.
    Late { days_late: i64 },
    /// Does not apply (no such deadline, or no assessment was started).
    NotApplicable,
}

impl Standing {
    pub fn judge(due: Option<NaiveDate>, done_on: Option<NaiveDate>, today: NaiveDate) -> Standing {
        let Some(due) = due else {
            return Standing::NotApplicable;
        };
        match done_on {
            Some(d) if d <= due => Standing::OnTime { done_on: d },
            Some(d) => Standing::DoneLate {
                done_on: d,
                days_late: (d - due).num_days(),
            },
            None if today <= due => Standing::Open {
                days_left: (due - today).num_days(),
            },
            None => Standing::Late {
                days_late: (today - due).num_days(),
            },
        }
    }
    /// Late now or done late.
    pub fn is_late(self) -> bool {
        matches!(self, Standing::Late { .. } | Standing::DoneLate { .. })
    }
    /// Days past due if still open and late; for ordering a list.
    pub fn overdue_days(self) -> i64 {
        match self {
            Standing::Late { days_late } => days_late,
            Standing::Open { days_left } => -days_left,
            _ => i64::MIN,
        }
    }
}

/// A step of the matter's handling, each recorded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The urgent need for measures assessed at once (Child Welfare Act
    /// §26(1)): `urgent` or `not_urgent`.
    UrgencyAssessed,
    /// Whether a service need assessment is started: `started` or
    /// `not_started`. By a social worker of the controller.
    AssessmentDecided,
    /// The child and guardian told the notification was received (§26(1)).
    Informed,
    /// The assessment completed.
    AssessmentCompleted,
    /// The matter closed, with its reason as the outcome.
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::UrgencyAssessed,
        Phase::AssessmentDecided,
        Phase::Informed,
        Phase::AssessmentCompleted,
        Phase::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::UrgencyAssessed => "urgency_assessed",
            Phase::AssessmentDecided => "assessment_decided",
            Phase::Informed => "informed",
            Phase::AssessmentCompleted => "assessment_completed",
            Phase::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The outcomes this phase takes; empty where it takes none.
    pub fn outcomes(self) -> &'static [&'static str] {
        match self {
            Phase::UrgencyAssessed => &["urgent", "not_urgent"],
            Phase::AssessmentDecided => &["started", "not_started"],
            Phase::Informed | Phase::AssessmentCompleted => &[],
            Phase::Closed => &CLOSE_REASONS,
        }
    }
}

/// Why a matter closed.
pub const CLOSE_REASONS: [&str; 5] = [
    // No assessment was needed, or it found no need for services.
    "no_need",
    // Services arranged; client work goes on under a client plan.
    "client_work_continues",
    // Handed to another municipality or county (moved away).
    "transferred",
    // The client or guardian withdrew an application.
    "withdrawn",
    "other",
];

/// A phase as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub phase: Phase,
    pub on: NaiveDate,
    pub outcome: Option<String>,
}

/// Why a phase cannot be recorded as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseProblem {
    /// Recorded already (once each; nothing is overwritten).
    AlreadyRecorded,
    /// The matter is closed.
    Closed,
    /// A day after today.
    FutureDate,
    /// A day before the matter began, or before the step it follows.
    BeforeStart,
    /// An outcome the phase does not take, or none where it needs one.
    BadOutcome,
    /// Completing an assessment that was not started.
    NotStarted,
    /// Telling the child and guardian: for a child's matter only.
    NotChildMatter,
}

impl PhaseProblem {
    pub fn explanation(self) -> &'static str {
        match self {
            PhaseProblem::AlreadyRecorded => "that phase is already recorded",
            PhaseProblem::Closed => "the matter is closed",
            PhaseProblem::FutureDate => "the day is after today",
            PhaseProblem::BeforeStart => {
                "the day is before the matter began or before the step it follows"
            }
            PhaseProblem::BadOutcome => "the outcome is not one of the phase's",
            PhaseProblem::NotStarted => "no assessment was started",
            PhaseProblem::NotChildMatter => "only a child's matter has this step",
        }
    }
}

/// Whether `new` may be recorded on a matter of `rule` that began on
/// `started_on` with the phases `done`, on `today`.
pub fn check_phase(
    rule: ClockRule,
    started_on: NaiveDate,
    done: &[Recorded],
    new: &Recorded,
    today: NaiveDate,
) -> Result<(), PhaseProblem> {
    let of = |p: Phase| done.iter().find(|r| r.phase == p);
    if of(Phase::Closed).is_some() {
        return Err(PhaseProblem::Closed);
    }
    if of(new.phase).is_some() {
        return Err(PhaseProblem::AlreadyRecorded);
    }
    let outcomes = new.phase.outcomes();
    let outcome_ok = match new.outcome.as_deref() {
        None => outcomes.is_empty(),
        Some(o) => outcomes.contains(&o),
    };
    if !outcome_ok {
        return Err(PhaseProblem::BadOutcome);
    }
    if new.on > today {
        return Err(PhaseProblem::FutureDate);
    }
    if new.on < started_on {
        return Err(PhaseProblem::BeforeStart);
    }
    match new.phase {
        Phase::Informed if rule != ClockRule::ChildWelfare => Err(PhaseProblem::NotChildMatter),
        Phase::AssessmentCompleted => match of(Phase::AssessmentDecided) {
            Some(d) if d.outcome.as_deref() == Some("started") && new.on < d.on => {
                Err(PhaseProblem::BeforeStart)
            }
            Some(d) if d.outcome.as_deref() == Some("started") => Ok(()),
            _ => Err(PhaseProblem::NotStarted),
        },
        Phase::Closed if done.iter().any(|r| r.on > new.on) => Err(PhaseProblem::BeforeStart),
        _ => Ok(()),
    }
}

/// The clock of a matter on a day: both deadlines and where they stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub rule: ClockRule,
    pub started_on: NaiveDate,
    pub start_due: Option<NaiveDate>,
    pub completion_due: Option<NaiveDate>,
    pub start: Standing,
    pub completion: Standing,
    /// Calendar days since the matter began (to the close, if closed).
    pub days_open: i64,
}

impl Clock {
    /// The clock of a matter with the deadlines its rule gives today.
    pub fn of(
        rule: ClockRule,
        started_on: NaiveDate,
        done: &[Recorded],
        today: NaiveDate,
    ) -> Clock {
        Clock::with_deadlines(
            rule,
            started_on,
            Deadlines::of(rule, started_on),
            done,
            today,
        )
    }

    /// The clock with the deadlines as they were fixed when the matter was
    /// opened (as the store keeps them).
    pub fn with_deadlines(
        rule: ClockRule,
        started_on: NaiveDate,
        d: Deadlines,
        done: &[Recorded],
        today: NaiveDate,
    ) -> Clock {
        let on = |p: Phase| done.iter().find(|r| r.phase == p);
        let decided = on(Phase::AssessmentDecided);
        let closed = on(Phase::Closed).map(|r| r.on);
        // A closed matter's open deadline is judged on the day it closed.
        let as_of = closed.unwrap_or(today);
        let start = Standing::judge(d.start_due, decided.map(|r| r.on), as_of);
        let completion = match decided {
            Some(r) if r.outcome.as_deref() == Some("not_started") => Standing::NotApplicable,
            _ if closed.is_some() && on(Phase::AssessmentCompleted).is_none() => {
                Standing::NotApplicable
            }
            _ => Standing::judge(
                d.completion_due,
                on(Phase::AssessmentCompleted).map(|r| r.on),
                as_of,
            ),
        };
        Clock {
            rule,
            started_on,
            start_due: d.start_due,
            completion_due: d.completion_due,
            start,
            completion,
            days_open: (as_of - started_on).num_days(),
        }
    }
    /// Any deadline late now or done late.
    pub fn is_late(&self) -> bool {
        self.start.is_late() || self.completion.is_late()
    }
    /// For a list, late first: the larger overdue of the two.
    pub fn urgency(&self) -> i64 {
        self.start
            .overdue_days()
            .max(self.completion.overdue_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rec(phase: Phase, on: NaiveDate, outcome: Option<&str>) -> Recorded {
        Recorded {
            phase,
            on,
            outcome: outcome.map(str::to_owned),
        }
    }

    #[test]
    fn the_rule_follows_age_task_and_care_allowance() {
        let start = d(2026, 3, 2);
        assert_eq!(
            ClockRule::of(d(2010, 3, 3), start, false, false),
            ClockRule::ChildWelfare,
            "a 15-year-old"
        );
        // The 18th birthday on the start day: an adult.
        assert_eq!(
            ClockRule::of(d(2008, 3, 2), start, false, false),
            ClockRule::NoStatutoryDeadline
        );
        assert_eq!(
            ClockRule::of(d(2008, 3, 3), start, false, false),
            ClockRule::ChildWelfare
        );
        assert_eq!(
            ClockRule::of(d(1951, 3, 2), start, false, false),
            ClockRule::AdultPriority
        );
        assert_eq!(
            ClockRule::of(d(1951, 3, 3), start, false, false),
            ClockRule::NoStatutoryDeadline
        );
        assert_eq!(
            ClockRule::of(d(1980, 1, 1), start, false, true),
            ClockRule::AdultPriority
        );
        assert_eq!(
            ClockRule::of(d(1980, 1, 1), start, true, false),
            ClockRule::ChildWelfare
        );
    }

    #[test]
    fn deadlines_skip_easter_and_christmas() {
        // Maundy Thursday 2026-04-02: Good Friday 3.4. and Easter Monday
        // 6.4. are not weekdays, so the 7th weekday is Wednesday 15.4.
        let dl = Deadlines::of(ClockRule::ChildWelfare, d(2026, 4, 2));
        assert_eq!(dl.start_due, Some(d(2026, 4, 15)));
        assert_eq!(dl.completion_due, Some(d(2026, 7, 2)));
        // Christmas Eve 2026 (Thursday): Christmas, the weekend, New Year's
        // Day and Epiphany are out: 28., 29., 30., 31.12., 4., 5., 7.1.
        let dl = Deadlines::of(ClockRule::AdultPriority, d(2026, 12, 24));
        assert_eq!(dl.start_due, Some(d(2027, 1, 7)));
        assert_eq!(dl.completion_due, None);
        assert_eq!(
            Deadlines::of(ClockRule::NoStatutoryDeadline, d(2026, 12, 24)),
            Deadlines {
                start_due: None,
                completion_due: None
            }
        );
    }

    #[test]
    fn standing_counts_days_left_and_late() {
        let due = Some(d(2026, 5, 10));
        assert_eq!(
            Standing::judge(due, None, d(2026, 5, 8)),
            Standing::Open { days_left: 2 }
        );
        assert_eq!(
            Standing::judge(due, None, d(2026, 5, 10)),
            Standing::Open { days_left: 0 }
        );
        assert_eq!(
            Standing::judge(due, None, d(2026, 5, 13)),
            Standing::Late { days_late: 3 }
        );
        assert_eq!(
            Standing::judge(due, Some(d(2026, 5, 10)), d(2026, 6, 1)),
            Standing::OnTime {
                done_on: d(2026, 5, 10)
            }
        );
        assert_eq!(
            Standing::judge(due, Some(d(2026, 5, 11)), d(2026, 6, 1)),
            Standing::DoneLate {
                done_on: d(2026, 5, 11),
                days_late: 1
            }
        );
        assert_eq!(
            Standing::judge(None, None, d(2026, 6, 1)),
            Standing::NotApplicable
        );
    }

    #[test]
    fn phases_are_recorded_once_in_order_and_never_after_closing() {
        let start = d(2026, 5, 4);
        let today = d(2026, 6, 1);
        let rule = ClockRule::ChildWelfare;
        let mut done = vec![];
        let urgent = rec(Phase::UrgencyAssessed, start, Some("not_urgent"));
        assert_eq!(check_phase(rule, start, &done, &urgent, today), Ok(()));
        done.push(urgent.clone());
        assert_eq!(
            check_phase(rule, start, &done, &urgent, today),
            Err(PhaseProblem::AlreadyRecorded)
        );
        let bad = rec(Phase::AssessmentDecided, d(2026, 5, 5), Some("maybe"));
        assert_eq!(
            check_phase(rule, start, &done, &bad, today),
            Err(PhaseProblem::BadOutcome)
        );
        let missing = rec(Phase::AssessmentDecided, d(2026, 5, 5), None);
        assert_eq!(
            check_phase(rule, start, &done, &missing, today),
            Err(PhaseProblem::BadOutcome)
        );
        let early = rec(Phase::Informed, d(2026, 5, 3), None);
        assert_eq!(
            check_phase(rule, start, &done, &early, today),
            Err(PhaseProblem::BeforeStart)
        );
        let future = rec(Phase::Informed, d(2026, 6, 2), None);
        assert_eq!(
            check_phase(rule, start, &done, &future, today),
            Err(PhaseProblem::FutureDate)
        );
        assert_eq!(
            check_phase(
                ClockRule::AdultPriority,
                start,
                &done,
                &rec(Phase::Informed, start, None),
                today
            ),
            Err(PhaseProblem::NotChildMatter)
        );
        let complete = rec(Phase::AssessmentCompleted, d(2026, 5, 20), None);
        assert_eq!(
            check_phase(rule, start, &done, &complete, today),
            Err(PhaseProblem::NotStarted)
        );
        done.push(rec(
            Phase::AssessmentDecided,
            d(2026, 5, 8),
            Some("started"),
        ));
        assert_eq!(
            check_phase(
                rule,
                start,
                &done,
                &rec(Phase::AssessmentCompleted, d(2026, 5, 7), None),
                today
            ),
            Err(PhaseProblem::BeforeStart)
        );
        assert_eq!(check_phase(rule, start, &done, &complete, today), Ok(()));
        done.push(complete);
        assert_eq!(
            check_phase(
                rule,
                start,
                &done,
                &rec(Phase::Closed, d(2026, 5, 19), Some("no_need")),
                today
            ),
            Err(PhaseProblem::BeforeStart),
            "a close before the completion"
        );
        let close = rec(Phase::Closed, d(2026, 5, 21), Some("client_work_continues"));
        assert_eq!(check_phase(rule, start, &done, &close, today), Ok(()));
        done.push(close);
        assert_eq!(
            check_phase(
                rule,
                start,
                &done,
                &rec(Phase::Informed, start, None),
                today
            ),
            Err(PhaseProblem::Closed)
        );
    }

    #[test]
    fn the_clock_of_a_matter_judges_both_deadlines() {
        // Began Monday 2026-05-04: the 7th weekday is Wednesday 13.5.
        // (Ascension Day 14.5. is later), completion due 4.8.
        let start = d(2026, 5, 4);
        let rule = ClockRule::ChildWelfare;
        let c = Clock::of(rule, start, &[], d(2026, 5, 11));
        assert_eq!(c.start_due, Some(d(2026, 5, 13)));
        assert_eq!(c.start, Standing::Open { days_left: 2 });
        assert!(!c.is_late());
        let c = Clock::of(rule, start, &[], d(2026, 5, 15));
        assert_eq!(c.start, Standing::Late { days_late: 2 });
        assert!(c.is_late());
        let done = [rec(
            Phase::AssessmentDecided,
            d(2026, 5, 12),
            Some("started"),
        )];
        let c = Clock::of(rule, start, &done, d(2026, 8, 6));
        assert_eq!(
            c.start,
            Standing::OnTime {
                done_on: d(2026, 5, 12)
            }
        );
        assert_eq!(c.completion, Standing::Late { days_late: 2 });
        assert_eq!(c.urgency(), 2);
        // Not started: no completion deadline.
        let done = [rec(
            Phase::AssessmentDecided,
            d(2026, 5, 12),
            Some("not_started"),
        )];
        let c = Clock::of(rule, start, &done, d(2026, 9, 1));
        assert_eq!(c.completion, Standing::NotApplicable);
        // Closed: judged on the day it closed.
        let done = [
            rec(Phase::AssessmentDecided, d(2026, 5, 12), Some("started")),
            rec(Phase::Closed, d(2026, 6, 1), Some("transferred")),
        ];
        let c = Clock::of(rule, start, &done, d(2027, 1, 1));
        assert_eq!(c.completion, Standing::NotApplicable);
        assert_eq!(c.days_open, 28);
    }
}
