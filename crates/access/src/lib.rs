//! Who may do what: rules 1-3 of the domain brief.
//!
//! The decision is a pure function of facts: the actor (their roles in force
//! today, each scoped to a unit and a service area, their accepted user
//! commitment), the client (relationships in service areas, the teams of
//! those relationships, commissions to outsourced providers) and, where the
//! user has no relationship, a stated purpose. The store crate loads those
//! facts in the same transaction as the access and writes the decision,
//! with its explanation, to the use log; list queries use an SQL predicate
//! that states the same rules (a test proves the two agree).
//!
//! Deny by default: every rule that allows names itself and the role or
//! relationship that allowed, and that explanation is what the log keeps.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Everything a user can do in Kirjo. Each API route and page maps to
/// exactly one action; the gate decides per action, deny by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Perustiedot: name, identity code, contact data.
    ViewBasicData,
    /// Special categories and sensitive data (health, ethnic origin, ...).
    ViewSensitiveData,
    ViewDocument,
    WriteDocument,
    /// Correct a completed entry (a new version; the old stays).
    CorrectEntry,
    Print,
    Export,
    /// Search the register for people.
    Search,
    /// Disclose data to an outside recipient (luovutus).
    Disclose,
    /// Show the address of a person with turvakielto, with a stated reason.
    RevealProtectedAddress,
    /// A client's use-log extract (who used my data, to whom was it disclosed).
    ViewLogExtract,
    /// Propose granting, changing or removing a right (unit supervisor).
    ProposeRights,
    /// Approve or reject a proposal (main administrator).
    ApproveRights,
    /// See staff, units and rights.
    ViewRights,
    /// Review the monitoring sample and flags.
    ReviewMonitoring,
    /// Add a person to the register (a new client, a family member).
    CreatePerson,
    /// Change a person's basic data: names, languages, addresses, contacts.
    EditBasicData,
    /// Open or end a client relationship, or change its team. Decided by
    /// role here; the store checks the unit and service area.
    ManageRelationship,
    /// Record special-category or sensitive data (health, ethnic origin, a
    /// parent's imprisonment or community service).
    RecordSensitiveData,
    /// See income, assets and bank accounts: their own data group.
    ViewFinances,
    /// Record income, assets and bank accounts.
    EditFinances,
    /// Record or end a minor's prohibition on giving their data to a
    /// guardian (703/2023 §51(2)): a social worker of the controller who
    /// serves the child, never an outsourced provider's staff.
    RecordMinorProhibition,
    /// Count the unit's matters for THL's and the ombudsman's figures:
    /// aggregates only, small counts suppressed, each export a recorded
    /// statistics disclosure.
    ReportStatistics,
}

impl Action {
    /// Every action, in a stable order.
    pub const ALL: [Action; 23] = [
        Action::ViewBasicData,
        Action::ViewSensitiveData,
        Action::ViewDocument,
        Action::WriteDocument,
        Action::CorrectEntry,
        Action::Print,
        Action::Export,
        Action::Search,
        Action::Disclose,
        Action::RevealProtectedAddress,
        Action::ViewLogExtract,
        Action::ProposeRights,
        Action::ApproveRights,
        Action::ViewRights,
        Action::ReviewMonitoring,
        Action::CreatePerson,
        Action::EditBasicData,
        Action::ManageRelationship,
        Action::RecordSensitiveData,
        Action::ViewFinances,
        Action::EditFinances,
        Action::RecordMinorProhibition,
        Action::ReportStatistics,
    ];

    /// Actions on one client's data (as opposed to administration).
    pub fn is_on_client(self) -> bool {
        matches!(
            self,
            Action::ViewBasicData
                | Action::ViewSensitiveData
                | Action::ViewDocument
                | Action::WriteDocument
                | Action::CorrectEntry
                | Action::Print
                | Action::Export
                | Action::Disclose
                | Action::RevealProtectedAddress
                | Action::ViewLogExtract
                | Action::EditBasicData
                | Action::RecordSensitiveData
                | Action::ViewFinances
                | Action::EditFinances
                | Action::RecordMinorProhibition
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewBasicData => "view_basic_data",
            Action::ViewSensitiveData => "view_sensitive_data",
            Action::ViewDocument => "view_document",
            Action::WriteDocument => "write_document",
            Action::CorrectEntry => "correct_entry",
            Action::Print => "print",
            Action::Export => "export",
            Action::Search => "search",
            Action::Disclose => "disclose",
            Action::RevealProtectedAddress => "reveal_protected_address",
            Action::ViewLogExtract => "view_log_extract",
            Action::ProposeRights => "propose_rights",
            Action::ApproveRights => "approve_rights",
            Action::ViewRights => "view_rights",
            Action::ReviewMonitoring => "review_monitoring",
            Action::CreatePerson => "create_person",
            Action::EditBasicData => "edit_basic_data",
            Action::ManageRelationship => "manage_relationship",
            Action::RecordSensitiveData => "record_sensitive_data",
            Action::ViewFinances => "view_finances",
            Action::EditFinances => "edit_finances",
            Action::RecordMinorProhibition => "record_minor_prohibition",
            Action::ReportStatistics => "report_statistics",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role, always scoped to a unit (and, for client work, a service area).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sosiaalityöntekijä, sosiaaliohjaaja, perhetyöntekijä, ...: works with
    /// clients of the relationships whose team they are on.
    ClientWorker,
    /// Yksikön esihenkilö: supervises the unit's client work, proposes rights
    /// and reviews the unit's log sample.
    UnitSupervisor,
    /// Toimistosihteeri / kirjaamo: registers incoming matters; sees basic data.
    RegistryClerk,
    /// Pääkäyttäjä: approves rights; no client data by this role.
    MainAdministrator,
    /// Tietosuojavastaava: log extracts and monitoring; no client records by
    /// this role.
    DataProtectionOfficer,
    /// A worker of an outsourced provider: only the clients commissioned to
    /// their organisation, while the commission lasts.
    ProviderWorker,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ClientWorker,
        Role::UnitSupervisor,
        Role::RegistryClerk,
        Role::MainAdministrator,
        Role::DataProtectionOfficer,
        Role::ProviderWorker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ClientWorker => "client_worker",
            Role::UnitSupervisor => "unit_supervisor",
            Role::RegistryClerk => "registry_clerk",
            Role::MainAdministrator => "main_administrator",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::ProviderWorker => "provider_worker",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role needs a service area (client work does).
    pub fn needs_service_area(self) -> bool {
        matches!(
            self,
            Role::ClientWorker | Role::UnitSupervisor | Role::RegistryClerk | Role::ProviderWorker
        )
    }

    /// Whether the role's scope is the whole organisation rather than a
    /// unit's service area (the main administrator, the data protection
    /// officer: every role without a service area). Such a role is proposed
    /// by a main administrator and approved by another.
    pub fn is_organisation_wide(self) -> bool {
        !self.needs_service_area()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role in force today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInForce {
    pub grant_id: i64,
    pub role: Role,
    pub unit: String,
    /// The service area (a sub-register id); `None` for roles without one.
    pub service_area: Option<String>,
}

/// The user asking, as the gate sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    /// Roles whose validity covers today. Ended duties leave none.
    pub roles: Vec<RoleInForce>,
    /// The outsourced provider the user works for, if any.
    pub provider: Option<String>,
    /// Whether the user has accepted the current user commitment.
    pub commitment_accepted: bool,
    /// Whether the user's duties have ended (every right is gone at once).
    pub duties_ended: bool,
    /// An administrator reset the password: nothing is allowed until the
    /// user has chosen a new one.
    pub password_change_required: bool,
}

/// A client relationship (asiakkuus) as seen by one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipFact {
    pub id: i64,
    pub unit: String,
    pub service_area: String,
    /// Started and not ended today.
    pub active: bool,
    /// The actor is the responsible worker.
    pub actor_responsible: bool,
    /// The actor is on the team today.
    pub actor_on_team: bool,
}

/// A commission (toimeksianto) of the client to an outsourced provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionFact {
    pub id: i64,
    pub provider: String,
    pub service_area: String,
    /// In force today.
    pub active: bool,
}

/// What the gate knows about the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientFacts {
    pub client_id: i64,
    pub relationships: Vec<RelationshipFact>,
    pub commissions: Vec<CommissionFact>,
}

/// A purpose stated for opening a client outside one's relationships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedPurpose {
    /// One of the configured purposes.
    pub purpose_id: String,
    /// The user's own words; kept in the use log, never in application logs.
    pub text: String,
}

/// Per service area: may a user open a client outside their relationships
/// by stating a purpose?
pub trait AccessSettings {
    fn outside_access_allowed(&self, service_area: &str) -> bool;
    fn is_configured_purpose(&self, purpose_id: &str) -> bool;
}

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    DutiesEnded,
    CommitmentNotAccepted,
    PasswordChangeRequired,
    TeamMember,
    ResponsibleWorker,
    UnitSupervisor,
    RegistryClerk,
    Commission,
    StatedPurpose,
    DataProtectionOfficer,
    MainAdministrator,
    ClientWorkRole,
    NoMatchingRight,
}

/// The answer: allowed or not, which rule, and in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub rule: Rule,
    pub explanation: String,
    /// Allowed, but to be reviewed (access outside a relationship).
    pub flag_for_review: bool,
    /// The register's service area the access falls in, where one does.
    pub service_area: Option<String>,
}

impl Decision {
    fn allow(rule: Rule, explanation: String, service_area: Option<&str>) -> Self {
        Self {
            allowed: true,
            rule,
            explanation,
            flag_for_review: false,
            service_area: service_area.map(str::to_owned),
        }
    }
    fn deny(rule: Rule, explanation: impl Into<String>) -> Self {
        Self {
            allowed: false,
            rule,
            explanation: explanation.into(),
            flag_for_review: false,
            service_area: None,
        }
    }
}

/// What each client-work role may do within its scope.
fn role_allows(role: Role, action: Action, on_team: bool) -> bool {
    use Action::*;
    match role {
        Role::ClientWorker => {
            on_team
                && matches!(
                    action,
                    ViewBasicData
                        | ViewSensitiveData
                        | ViewDocument
                        | WriteDocument
                        | CorrectEntry
                        | Print
                        | Export
                        | Disclose
                        | RevealProtectedAddress
                        | EditBasicData
                        | RecordSensitiveData
                        | ViewFinances
                        | EditFinances
                        | RecordMinorProhibition
                )
        }
        Role::UnitSupervisor => matches!(action, ViewBasicData | ViewDocument | Print),
        Role::RegistryClerk => matches!(action, ViewBasicData),
        Role::ProviderWorker => matches!(action, ViewBasicData | ViewDocument | WriteDocument),
        Role::MainAdministrator | Role::DataProtectionOfficer => false,
    }
}

fn actor_gate(actor: &Actor) -> Option<Decision> {
    if actor.duties_ended {
        return Some(Decision::deny(
            Rule::DutiesEnded,
            "denied: the user's duties have ended",
        ));
    }
    if actor.password_change_required {
        return Some(Decision::deny(
            Rule::PasswordChangeRequired,
            "denied: the password was reset and must be changed first",
        ));
    }
    if !actor.commitment_accepted {
        return Some(Decision::deny(
            Rule::CommitmentNotAccepted,
            "denied: the current user commitment (käyttäjäsitoumus) is not accepted",
        ));
    }
    None
}

/// Decides an action that is not about one client (search, administration).
pub fn decide_general(actor: &Actor, action: Action) -> Decision {
    if let Some(d) = actor_gate(actor) {
        return d;
    }
    let has = |r: Role| actor.roles.iter().find(|x| x.role == r);
    let explain = |r: &RoleInForce| {
        let area = r
            .service_area
            .as_deref()
            .map_or(String::new(), |a| format!(", service area {a}"));
        format!("{} in unit {}{area} (grant {})", r.role, r.unit, r.grant_id)
    };
    match action {
        Action::Search => {
            let r = actor.roles.iter().find(|r| {
                matches!(
                    r.role,
                    Role::ClientWorker
                        | Role::UnitSupervisor
                        | Role::RegistryClerk
                        | Role::ProviderWorker
                )
            });
            match r {
                Some(r) => Decision::allow(
                    Rule::ClientWorkRole,
                    format!(
                        "allowed: search as {}; results limited to clients the user may see",
                        explain(r)
                    ),
                    None,
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: no client-work role in force",
                ),
            }
        }
        Action::ManageRelationship => {
            match actor
                .roles
                .iter()
                .find(|r| matches!(r.role, Role::ClientWorker | Role::UnitSupervisor))
            {
                Some(r) => Decision::allow(
                    Rule::ClientWorkRole,
                    format!(
                        "allowed: manage relationships as {}; unit and service area checked",
                        explain(r)
                    ),
                    r.service_area.as_deref(),
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: relationships are managed by client workers and supervisors",
                ),
            }
        }
        Action::CreatePerson => {
            let r = actor.roles.iter().find(|r| {
                matches!(
                    r.role,
                    Role::ClientWorker | Role::UnitSupervisor | Role::RegistryClerk
                )
            });
            match r {
                Some(r) => Decision::allow(
                    Rule::ClientWorkRole,
                    format!("allowed: add a person as {}", explain(r)),
                    r.service_area.as_deref(),
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: people are added by client workers, supervisors and the registry",
                ),
            }
        }
        // Whether the user proposes rights at all; what a proposal may ask
        // is decided with it, by `decide_proposal`.
        Action::ProposeRights => match has(Role::UnitSupervisor) {
            Some(r) => Decision::allow(
                Rule::UnitSupervisor,
                format!(
                    "allowed: {}; proposes in the unit's service areas only",
                    explain(r)
                ),
                None,
            ),
            None => match has(Role::MainAdministrator) {
                Some(r) => Decision::allow(
                    Rule::MainAdministrator,
                    format!(
                        "allowed: {}; proposes organisation-wide roles only",
                        explain(r)
                    ),
                    None,
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: rights are proposed by a unit supervisor, or for organisation-wide roles by a main administrator",
                ),
            },
        },
        // The figures of the units the user supervises; the store counts
        // only those.
        Action::ReportStatistics => match has(Role::UnitSupervisor) {
            Some(r) => Decision::allow(
                Rule::UnitSupervisor,
                format!(
                    "allowed: {}; figures of the supervised units only",
                    explain(r)
                ),
                None,
            ),
            None => Decision::deny(
                Rule::NoMatchingRight,
                "denied: statistics are made by a unit supervisor for their units",
            ),
        },
        Action::ApproveRights => match has(Role::MainAdministrator) {
            Some(r) => Decision::allow(
                Rule::MainAdministrator,
                format!("allowed: {}", explain(r)),
                None,
            ),
            None => Decision::deny(
                Rule::NoMatchingRight,
                "denied: only the main administrator approves rights",
            ),
        },
        Action::ViewRights => {
            match has(Role::MainAdministrator).or_else(|| has(Role::UnitSupervisor)) {
                Some(r) => Decision::allow(
                    Rule::MainAdministrator,
                    format!("allowed: {}", explain(r)),
                    None,
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: rights are seen by the main administrator and supervisors",
                ),
            }
        }
        // On a client it is decided in `decide_on_client`; as a general
        // action it is the lookup of the data subject by identity code
        // that precedes an extract.
        Action::ViewLogExtract => match has(Role::DataProtectionOfficer) {
            Some(r) => Decision::allow(
                Rule::DataProtectionOfficer,
                format!(
                    "allowed: finding a data subject for a log extract as {}",
                    explain(r)
                ),
                None,
            ),
            None => Decision::deny(
                Rule::NoMatchingRight,
                "denied: log extracts are made by the data protection officer",
            ),
        },
        Action::ReviewMonitoring => {
            match has(Role::DataProtectionOfficer).or_else(|| has(Role::UnitSupervisor)) {
                Some(r) => Decision::allow(
                    Rule::DataProtectionOfficer,
                    format!("allowed: {}", explain(r)),
                    None,
                ),
                None => Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: monitoring is for the data protection officer and supervisors",
                ),
            }
        }
        _ => Decision::deny(
            Rule::NoMatchingRight,
            format!("denied: {action} is an action on a client"),
        ),
    }
}

/// What a rights proposal asks, as its decision needs it: a role for a
/// user in a unit and, for client work, a service area. For a change or a
/// removal, the grant it ends is decided the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalScope {
    /// The user the right is for.
    pub user_id: i64,
    pub role: Role,
    pub unit: String,
    pub service_area: Option<String>,
}

/// Decides whether the actor may propose `scope`: never for themselves; a
/// role of a unit's service area only by a supervisor of that unit in that
/// service area; an organisation-wide role only by a main administrator
/// (and a second one approves it, see [`decide_approval`]).
pub fn decide_proposal(actor: &Actor, scope: &ProposalScope) -> Decision {
    if let Some(d) = actor_gate(actor) {
        return d;
    }
    if scope.user_id == actor.user_id {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: no one proposes rights for themselves",
        );
    }
    if scope.role.is_organisation_wide() {
        return match actor
            .roles
            .iter()
            .find(|r| r.role == Role::MainAdministrator)
        {
            Some(r) => Decision::allow(
                Rule::MainAdministrator,
                format!(
                    "allowed: organisation-wide role {} proposed by a main administrator (grant {}); a second main administrator approves it",
                    scope.role, r.grant_id
                ),
                None,
            ),
            None => Decision::deny(
                Rule::NoMatchingRight,
                format!(
                    "denied: the organisation-wide role {} is proposed only by a main administrator",
                    scope.role
                ),
            ),
        };
    }
    let area = scope.service_area.as_deref().unwrap_or("-");
    match actor.roles.iter().find(|r| {
        r.role == Role::UnitSupervisor
            && r.unit == scope.unit
            && r.service_area.is_some()
            && r.service_area == scope.service_area
    }) {
        Some(r) => Decision::allow(
            Rule::UnitSupervisor,
            format!(
                "allowed: {} in unit {}, service area {area}, proposed by the unit's supervisor (grant {})",
                scope.role, scope.unit, r.grant_id
            ),
            scope.service_area.as_deref(),
        ),
        None => Decision::deny(
            Rule::NoMatchingRight,
            format!(
                "denied: {} in unit {}, service area {area}, is proposed only by a supervisor of that unit in that service area",
                scope.role, scope.unit
            ),
        ),
    }
}

/// What the decision on a rights proposal needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalFacts {
    pub proposed_by: i64,
    /// The proposer holds a main administrator's role today.
    pub proposer_is_main_administrator: bool,
    /// The user the right is for.
    pub user_id: i64,
    /// The roles the proposal grants or ends (a change: both).
    pub roles: Vec<Role>,
}

/// Decides whether the actor may approve (or reject) a proposal: a main
/// administrator who neither made it nor is its subject. An
/// organisation-wide role is approved only when another main
/// administrator proposed it, so that two of them agree.
pub fn decide_approval(actor: &Actor, facts: &ApprovalFacts, approve: bool) -> Decision {
    if let Some(d) = actor_gate(actor) {
        return d;
    }
    let Some(r) = actor
        .roles
        .iter()
        .find(|r| r.role == Role::MainAdministrator)
    else {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: only the main administrator approves rights",
        );
    };
    if facts.proposed_by == actor.user_id {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: a proposal is approved by someone other than its proposer",
        );
    }
    if facts.user_id == actor.user_id {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: no one decides on their own rights",
        );
    }
    let wide = facts.roles.iter().any(|r| r.is_organisation_wide());
    if approve && wide && !facts.proposer_is_main_administrator {
        return Decision::deny(
            Rule::NoMatchingRight,
            format!(
                "denied: an organisation-wide role needs a main administrator's proposal and a second main administrator's approval; user {} who proposed it is not a main administrator",
                facts.proposed_by
            ),
        );
    }
    Decision::allow(
        Rule::MainAdministrator,
        format!(
            "allowed: main administrator in unit {} (grant {}){}",
            r.unit,
            r.grant_id,
            if wide {
                ", the second on an organisation-wide role"
            } else {
                ""
            }
        ),
        None,
    )
}

/// Decides a search outside the user's own relationships, with a stated
/// purpose: allowed to a client worker or supervisor whose service area
/// allows access outside a relationship, for a configured purpose with the
/// user's own words. The results are limited in SQL to people not served
/// in an area that forbids it (as [`decide_on_client`] decides for each),
/// and the search is flagged for review.
pub fn decide_purpose_search(
    actor: &Actor,
    purpose: &StatedPurpose,
    settings: &impl AccessSettings,
) -> Decision {
    if let Some(d) = actor_gate(actor) {
        return d;
    }
    if !settings.is_configured_purpose(&purpose.purpose_id) {
        return Decision::deny(
            Rule::NoMatchingRight,
            format!(
                "denied: `{}` is not a configured purpose",
                purpose.purpose_id
            ),
        );
    }
    if purpose.text.trim().is_empty() {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: the purpose needs the user's own words too",
        );
    }
    let r = actor.roles.iter().find(|r| {
        matches!(r.role, Role::ClientWorker | Role::UnitSupervisor)
            && r.service_area
                .as_deref()
                .is_some_and(|a| settings.outside_access_allowed(a))
    });
    match r {
        Some(r) => {
            let area = r.service_area.clone().unwrap_or_default();
            let mut d = Decision::allow(
                Rule::StatedPurpose,
                format!(
                    "allowed: search outside relationships with purpose {} stated, as {} in {} (grant {}); flagged for review",
                    purpose.purpose_id, r.role, area, r.grant_id
                ),
                Some(&area),
            );
            d.flag_for_review = true;
            d
        }
        None => Decision::deny(
            Rule::NoMatchingRight,
            "denied: the user's service areas do not allow access outside a relationship",
        ),
    }
}

/// Decides an action on one client's data.
pub fn decide_on_client(
    actor: &Actor,
    action: Action,
    client: &ClientFacts,
    purpose: Option<&StatedPurpose>,
    reason: Option<&str>,
    settings: &dyn AccessSettings,
) -> Decision {
    let d = decide_by_rules(actor, action, client, purpose, settings);
    // Revealing a protected address needs the user's reason, which the use
    // log keeps as the purpose.
    if d.allowed
        && action == Action::RevealProtectedAddress
        && reason.is_none_or(|r| r.trim().is_empty())
    {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: revealing a protected address needs a stated reason",
        );
    }
    d
}

/// The service areas of the client in which `action` is allowed to the
/// actor by a relationship or a commission. A client's documents each
/// belong to a service area: a user sees those of these areas only (a
/// child-welfare worker does not see the same client's adult-services
/// documents). Each area is decided by the same rules as one client, with
/// the facts of that area alone.
///
/// Every data group is scoped by these areas exactly as documents are
/// (issue 14). A data group's area, for data that is not a document, is
/// the service area of the relationship under which it was written: the
/// area the decision names ([`Decision::service_area`]) when it is
/// recorded, kept with it. So sensitive data (`ViewSensitiveData`),
/// incomes, assets and bank accounts (`ViewFinances`) are read only in
/// `areas_allowed` of their own action; a minor's prohibition, with the
/// child's reasons, is the child's sensitive data and is shown in
/// `areas_allowed(ViewSensitiveData)`, and ended only in
/// `areas_allowed(RecordMinorProhibition)`, while every prohibition in
/// force is honoured in a guardian's answer whichever area recorded it.
/// The basic data, the protected address among them, are the client's
/// and not of any one area: revealing it is decided once for the client
/// (a team member's relationship in any area, with a stated reason), and
/// the decision names the area whose relationship allowed it.
pub fn areas_allowed(
    actor: &Actor,
    action: Action,
    client: &ClientFacts,
    settings: &dyn AccessSettings,
) -> Vec<String> {
    let mut areas: Vec<String> = client
        .relationships
        .iter()
        .map(|r| r.service_area.clone())
        .chain(client.commissions.iter().map(|c| c.service_area.clone()))
        .collect();
    areas.sort();
    areas.dedup();
    areas
        .into_iter()
        .filter(|area| {
            let only = ClientFacts {
                client_id: client.client_id,
                relationships: client
                    .relationships
                    .iter()
                    .filter(|r| &r.service_area == area)
                    .cloned()
                    .collect(),
                commissions: client
                    .commissions
                    .iter()
                    .filter(|c| &c.service_area == area)
                    .cloned()
                    .collect(),
            };
            let d = decide_by_rules(actor, action, &only, None, settings);
            d.allowed && d.service_area.as_deref() == Some(area.as_str())
        })
        .collect()
}

fn decide_by_rules(
    actor: &Actor,
    action: Action,
    client: &ClientFacts,
    purpose: Option<&StatedPurpose>,
    settings: &dyn AccessSettings,
) -> Decision {
    if let Some(d) = actor_gate(actor) {
        return d;
    }
    if !action.is_on_client() || action == Action::ManageRelationship {
        return decide_general(actor, action);
    }
    if action == Action::RecordMinorProhibition && actor.provider.is_some() {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: a minor's prohibition is recorded and ended by the controller's social worker who serves the child, never by an outsourced provider's staff",
        );
    }
    if action == Action::ViewLogExtract {
        return match actor
            .roles
            .iter()
            .find(|r| r.role == Role::DataProtectionOfficer)
        {
            Some(r) => Decision::allow(
                Rule::DataProtectionOfficer,
                format!(
                    "allowed: data protection officer in unit {} (grant {})",
                    r.unit, r.grant_id
                ),
                None,
            ),
            None => Decision::deny(
                Rule::NoMatchingRight,
                "denied: log extracts are made by the data protection officer",
            ),
        };
    }
    // 1. Relationships in a unit and service area where the actor has a role.
    for rel in client.relationships.iter().filter(|r| r.active) {
        for r in &actor.roles {
            if r.unit != rel.unit || r.service_area.as_deref() != Some(rel.service_area.as_str()) {
                continue;
            }
            let on_team = rel.actor_on_team || rel.actor_responsible;
            if !role_allows(r.role, action, on_team) {
                continue;
            }
            let (rule, how) = match r.role {
                Role::ClientWorker if rel.actor_responsible => {
                    (Rule::ResponsibleWorker, "responsible worker")
                }
                Role::ClientWorker => (Rule::TeamMember, "team member"),
                Role::UnitSupervisor => (Rule::UnitSupervisor, "unit supervisor"),
                Role::RegistryClerk => (Rule::RegistryClerk, "registry clerk"),
                _ => continue,
            };
            return Decision::allow(
                rule,
                format!(
                    "allowed: {how} of relationship {} in {} (unit {}, grant {})",
                    rel.id, rel.service_area, rel.unit, r.grant_id
                ),
                Some(&rel.service_area),
            );
        }
    }
    // 2. Outsourced providers: clients commissioned to their organisation.
    if let Some(provider) = &actor.provider {
        for c in client
            .commissions
            .iter()
            .filter(|c| c.active && &c.provider == provider)
        {
            if let Some(r) = actor.roles.iter().find(|r| {
                r.role == Role::ProviderWorker
                    && r.service_area.as_deref() == Some(c.service_area.as_str())
            }) {
                if role_allows(Role::ProviderWorker, action, false) {
                    return Decision::allow(
                        Rule::Commission,
                        format!(
                            "allowed: provider {provider} worker on commission {} in {} (grant {})",
                            c.id, c.service_area, r.grant_id
                        ),
                        Some(&c.service_area),
                    );
                }
            }
        }
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: an outsourced provider's user sees only clients commissioned to it",
        );
    }
    // 3. Another proper connection: a stated purpose, where allowed.
    if let Some(p) = purpose {
        if matches!(action, Action::ViewBasicData | Action::ViewDocument) {
            if !settings.is_configured_purpose(&p.purpose_id) {
                return Decision::deny(
                    Rule::NoMatchingRight,
                    format!("denied: `{}` is not a configured purpose", p.purpose_id),
                );
            }
            if p.text.trim().is_empty() {
                return Decision::deny(
                    Rule::NoMatchingRight,
                    "denied: the purpose needs the user's own words too",
                );
            }
            // A client served in a service area that forbids outside access
            // (e.g. child welfare) is not opened by a purpose from elsewhere.
            if let Some(r) = client
                .relationships
                .iter()
                .find(|r| r.active && !settings.outside_access_allowed(&r.service_area))
            {
                return Decision::deny(
                    Rule::NoMatchingRight,
                    format!(
                        "denied: the client is served in {}, which does not allow access outside a relationship",
                        r.service_area
                    ),
                );
            }
            let r = actor.roles.iter().find(|r| {
                matches!(r.role, Role::ClientWorker | Role::UnitSupervisor)
                    && r.service_area
                        .as_deref()
                        .is_some_and(|a| settings.outside_access_allowed(a))
            });
            if let Some(r) = r {
                let area = r.service_area.clone().unwrap_or_default();
                let mut d = Decision::allow(
                    Rule::StatedPurpose,
                    format!(
                        "allowed outside a relationship: purpose {} stated, as {} in {} (grant {}); flagged for review",
                        p.purpose_id, r.role, area, r.grant_id
                    ),
                    Some(&area),
                );
                d.flag_for_review = true;
                return d;
            }
            return Decision::deny(
                Rule::NoMatchingRight,
                "denied: the user's service areas do not allow access outside a relationship",
            );
        }
    }
    if action == Action::RecordMinorProhibition {
        return Decision::deny(
            Rule::NoMatchingRight,
            "denied: a minor's prohibition is recorded and ended only by a client worker of the controller who serves the child (responsible worker or on the team)",
        );
    }
    Decision::deny(
        Rule::NoMatchingRight,
        format!(
            "denied: no relationship, commission or stated purpose gives {action} on this client"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Settings;
    impl AccessSettings for Settings {
        fn outside_access_allowed(&self, area: &str) -> bool {
            area == "aikuiset"
        }
        fn is_configured_purpose(&self, id: &str) -> bool {
            id == "urgent_matter"
        }
    }

    fn actor(roles: &[(Role, &str, Option<&str>)]) -> Actor {
        Actor {
            user_id: 1,
            name: "Testi".into(),
            roles: roles
                .iter()
                .enumerate()
                .map(|(i, (role, unit, area))| RoleInForce {
                    grant_id: i as i64 + 1,
                    role: *role,
                    unit: (*unit).into(),
                    service_area: area.map(Into::into),
                })
                .collect(),
            provider: None,
            commitment_accepted: true,
            duties_ended: false,
            password_change_required: false,
        }
    }

    fn client(on_team: bool) -> ClientFacts {
        ClientFacts {
            client_id: 7,
            relationships: vec![RelationshipFact {
                id: 3,
                unit: "u1".into(),
                service_area: "aikuiset".into(),
                active: true,
                actor_responsible: false,
                actor_on_team: on_team,
            }],
            commissions: vec![],
        }
    }

    #[test]
    fn actions_and_roles_round_trip_their_names() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn documents_are_reached_only_in_the_areas_of_the_users_relationships() {
        let mut c = client(true);
        c.relationships.push(RelationshipFact {
            id: 4,
            unit: "u2".into(),
            service_area: "lapsiperheet".into(),
            active: true,
            actor_responsible: false,
            actor_on_team: false,
        });
        let adult = actor(&[(Role::ClientWorker, "u1", Some("aikuiset"))]);
        assert_eq!(
            areas_allowed(&adult, Action::ViewDocument, &c, &Settings),
            vec!["aikuiset".to_owned()]
        );
        let both = actor(&[
            (Role::ClientWorker, "u1", Some("aikuiset")),
            (Role::UnitSupervisor, "u2", Some("lapsiperheet")),
        ]);
        assert_eq!(
            areas_allowed(&both, Action::ViewDocument, &c, &Settings),
            vec!["aikuiset".to_owned(), "lapsiperheet".to_owned()]
        );
        // A supervisor reads but does not write there.
        assert_eq!(
            areas_allowed(&both, Action::WriteDocument, &c, &Settings),
            vec!["aikuiset".to_owned()]
        );
        let nobody = actor(&[(Role::ClientWorker, "u9", Some("aikuiset"))]);
        assert!(areas_allowed(&nobody, Action::ViewDocument, &c, &Settings).is_empty());
    }

    #[test]
    fn team_member_reads_and_others_do_not() {
        let a = actor(&[(Role::ClientWorker, "u1", Some("aikuiset"))]);
        let d = decide_on_client(
            &a,
            Action::ViewDocument,
            &client(true),
            None,
            None,
            &Settings,
        );
        assert!(d.allowed && d.rule == Rule::TeamMember, "{d:?}");
        assert!(d.explanation.contains("relationship 3"));
        let d = decide_on_client(
            &a,
            Action::ViewDocument,
            &client(false),
            None,
            None,
            &Settings,
        );
        assert!(!d.allowed, "{d:?}");
    }

    #[test]
    fn wrong_unit_or_area_denies() {
        let a = actor(&[(Role::ClientWorker, "u2", Some("aikuiset"))]);
        assert!(
            !decide_on_client(
                &a,
                Action::ViewBasicData,
                &client(true),
                None,
                None,
                &Settings,
            )
            .allowed
        );
        let a = actor(&[(Role::ClientWorker, "u1", Some("lapsiperheet"))]);
        assert!(
            !decide_on_client(
                &a,
                Action::ViewBasicData,
                &client(true),
                None,
                None,
                &Settings,
            )
            .allowed
        );
    }

    #[test]
    fn commitment_and_ended_duties_deny_everything() {
        let mut a = actor(&[(Role::ClientWorker, "u1", Some("aikuiset"))]);
        a.commitment_accepted = false;
        for act in Action::ALL {
            assert!(!decide_on_client(&a, act, &client(true), None, None, &Settings).allowed);
        }
        a.commitment_accepted = true;
        a.duties_ended = true;
        for act in Action::ALL {
            assert!(!decide_on_client(&a, act, &client(true), None, None, &Settings).allowed);
        }
    }

    #[test]
    fn revealing_a_protected_address_needs_a_reason() {
        let a = actor(&[(Role::ClientWorker, "u1", Some("aikuiset"))]);
        let reveal = |reason| {
            decide_on_client(
                &a,
                Action::RevealProtectedAddress,
                &client(true),
                None,
                reason,
                &Settings,
            )
        };
        assert!(!reveal(None).allowed);
        assert!(!reveal(Some("  ")).allowed);
        assert!(reveal(Some("kotikäynti")).allowed);
    }

    #[test]
    fn main_administrator_reads_no_client_data() {
        let a = actor(&[(Role::MainAdministrator, "hallinto", None)]);
        for act in Action::ALL.into_iter().filter(|a| a.is_on_client()) {
            assert!(
                !decide_on_client(&a, act, &client(true), None, None, &Settings).allowed,
                "{act}"
            );
        }
        assert!(decide_general(&a, Action::ApproveRights).allowed);
        // A main administrator proposes organisation-wide roles only: no
        // right in a unit's service area.
        let unit_role = ProposalScope {
            user_id: 2,
            role: Role::ClientWorker,
            unit: "u1".into(),
            service_area: Some("aikuiset".into()),
        };
        assert!(!decide_proposal(&a, &unit_role).allowed);
    }

    #[test]
    fn rights_are_proposed_within_the_proposers_scope_never_for_themselves() {
        let sup = actor(&[(Role::UnitSupervisor, "u1", Some("aikuiset"))]);
        let scope = |user_id, role, unit: &str, area: Option<&str>| ProposalScope {
            user_id,
            role,
            unit: unit.into(),
            service_area: area.map(Into::into),
        };
        assert!(
            decide_proposal(&sup, &scope(2, Role::ClientWorker, "u1", Some("aikuiset"))).allowed
        );
        assert!(
            decide_proposal(&sup, &scope(2, Role::RegistryClerk, "u1", Some("aikuiset"))).allowed
        );
        for denied in [
            // Themselves.
            scope(1, Role::ClientWorker, "u1", Some("aikuiset")),
            // Another unit, another service area of the unit, none.
            scope(2, Role::ClientWorker, "u2", Some("aikuiset")),
            scope(2, Role::ClientWorker, "u1", Some("lapsiperheet")),
            scope(2, Role::ClientWorker, "u1", None),
            // Organisation-wide roles, for anyone.
            scope(1, Role::MainAdministrator, "u1", None),
            scope(2, Role::MainAdministrator, "u1", None),
            scope(2, Role::DataProtectionOfficer, "u1", None),
        ] {
            assert!(!decide_proposal(&sup, &denied).allowed, "{denied:?}");
        }
        let admin = actor(&[(Role::MainAdministrator, "hallinto", None)]);
        assert!(
            decide_proposal(
                &admin,
                &scope(2, Role::DataProtectionOfficer, "hallinto", None)
            )
            .allowed
        );
        assert!(
            !decide_proposal(&admin, &scope(1, Role::MainAdministrator, "hallinto", None)).allowed
        );
        let roles: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.is_organisation_wide())
            .collect();
        assert_eq!(
            roles,
            vec![Role::MainAdministrator, Role::DataProtectionOfficer]
        );
    }

    #[test]
    fn an_organisation_wide_role_needs_two_main_administrators() {
        let mut second = actor(&[(Role::MainAdministrator, "hallinto", None)]);
        second.user_id = 3;
        let facts = |proposed_by, by_admin, user_id, role| ApprovalFacts {
            proposed_by,
            proposer_is_main_administrator: by_admin,
            user_id,
            roles: vec![role],
        };
        // Proposed by administrator 1 for user 2, approved by administrator 3.
        assert!(
            decide_approval(&second, &facts(1, true, 2, Role::MainAdministrator), true).allowed
        );
        // Not by a supervisor's proposal, not by the proposer, not for oneself.
        assert!(
            !decide_approval(&second, &facts(1, false, 2, Role::MainAdministrator), true).allowed
        );
        assert!(
            decide_approval(&second, &facts(1, false, 2, Role::MainAdministrator), false).allowed,
            "such a proposal can still be rejected"
        );
        assert!(decide_approval(&second, &facts(1, false, 2, Role::ClientWorker), true).allowed);
        assert!(
            !decide_approval(
                &second,
                &facts(3, true, 2, Role::DataProtectionOfficer),
                true
            )
            .allowed
        );
        assert!(!decide_approval(&second, &facts(1, true, 3, Role::ClientWorker), true).allowed);
        let sup = actor(&[(Role::UnitSupervisor, "u1", Some("aikuiset"))]);
        assert!(!decide_approval(&sup, &facts(2, false, 4, Role::ClientWorker), true).allowed);
    }

    #[test]
    fn a_minors_prohibition_is_the_controllers_social_workers_alone() {
        let worker = actor(&[(Role::ClientWorker, "u1", Some("aikuiset"))]);
        let d = |a: &Actor, c: &ClientFacts| {
            decide_on_client(a, Action::RecordMinorProhibition, c, None, None, &Settings)
        };
        assert!(d(&worker, &client(true)).allowed);
        assert!(!d(&worker, &client(false)).allowed, "not on the team");
        let sup = actor(&[(Role::UnitSupervisor, "u1", Some("aikuiset"))]);
        assert!(!d(&sup, &client(false)).allowed);
        // A provider's worker on an active commission writes documents but
        // records no prohibition; nor would any role of theirs.
        let mut provider = actor(&[
            (Role::ProviderWorker, "tuottaja", Some("aikuiset")),
            (Role::ClientWorker, "u1", Some("aikuiset")),
        ]);
        provider.provider = Some("hoivapalvelu".into());
        let mut c = client(true);
        c.commissions.push(CommissionFact {
            id: 5,
            provider: "hoivapalvelu".into(),
            service_area: "aikuiset".into(),
            active: true,
        });
        assert!(
            decide_on_client(&provider, Action::WriteDocument, &c, None, None, &Settings).allowed
        );
        assert!(!d(&provider, &c).allowed);
    }

    #[test]
    fn stated_purpose_is_allowed_only_where_configured_and_flagged() {
        let a = actor(&[(Role::ClientWorker, "u9", Some("aikuiset"))]);
        let p = StatedPurpose {
            purpose_id: "urgent_matter".into(),
            text: "kiireellinen yhteydenotto".into(),
        };
        let d = decide_on_client(
            &a,
            Action::ViewBasicData,
            &client(false),
            Some(&p),
            None,
            &Settings,
        );
        assert!(
            d.allowed && d.flag_for_review && d.rule == Rule::StatedPurpose,
            "{d:?}"
        );
        // Not for writing, not with an unknown purpose, not without words.
        assert!(
            !decide_on_client(
                &a,
                Action::WriteDocument,
                &client(false),
                Some(&p),
                None,
                &Settings,
            )
            .allowed
        );
        let unknown = StatedPurpose {
            purpose_id: "curiosity".into(),
            text: "x".into(),
        };
        assert!(
            !decide_on_client(
                &a,
                Action::ViewBasicData,
                &client(false),
                Some(&unknown),
                None,
                &Settings,
            )
            .allowed
        );
        let empty = StatedPurpose {
            purpose_id: "urgent_matter".into(),
            text: " ".into(),
        };
        assert!(
            !decide_on_client(
                &a,
                Action::ViewBasicData,
                &client(false),
                Some(&empty),
                None,
                &Settings,
            )
            .allowed
        );
        // Not in a service area whose settings forbid it.
        let b = actor(&[(Role::ClientWorker, "u9", Some("lapsiperheet"))]);
        assert!(
            !decide_on_client(
                &b,
                Action::ViewBasicData,
                &client(false),
                Some(&p),
                None,
                &Settings,
            )
            .allowed
        );
        // Not a client served in a service area that forbids it.
        let mut protected = client(false);
        protected.relationships[0].service_area = "lapsiperheet".into();
        assert!(
            !decide_on_client(
                &a,
                Action::ViewBasicData,
                &protected,
                Some(&p),
                None,
                &Settings,
            )
            .allowed
        );
    }

    #[test]
    fn provider_sees_only_active_commissions() {
        let mut a = actor(&[(Role::ProviderWorker, "tuottaja", Some("aikuiset"))]);
        a.provider = Some("hoivapalvelu".into());
        let mut c = client(false);
        c.commissions.push(CommissionFact {
            id: 5,
            provider: "hoivapalvelu".into(),
            service_area: "aikuiset".into(),
            active: true,
        });
        assert!(decide_on_client(&a, Action::ViewDocument, &c, None, None, &Settings).allowed);
        assert!(
            !decide_on_client(&a, Action::ViewSensitiveData, &c, None, None, &Settings).allowed
        );
        c.commissions[0].active = false;
        assert!(!decide_on_client(&a, Action::ViewDocument, &c, None, None, &Settings).allowed);
    }
}
