//! The client actions that both the API and the pages take, each written
//! once: the search's checks and call, the gate's entry to a client's basic
//! data, and revealing a protected address. Each side words the problems
//! in its own way (the API in English with its status, the pages in the
//! user's language) and shows the result as it must.

use crate::shared::{AppState, Refusal};
use chrono::NaiveDate;
use kirjo_access::{Action, StatedPurpose};
use kirjo_store::clients;
use kirjo_store::gate::{enter, Caller, GateError, Guarded, Request};

/// What a search was given: each text trimmed, empty as none.
#[derive(Debug, Default)]
pub struct SearchInput {
    pub name: Option<String>,
    pub identity_code: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
    /// Outside one's own relationships: the purpose stated.
    pub purpose: Option<StatedPurpose>,
}

/// Why a search was not made.
#[derive(Debug)]
pub enum SearchRefusal {
    /// Neither a name, an identity code nor a birth date.
    Empty,
    /// The identity code is not one, for this reason.
    BadCode(String),
    /// The gate's answer.
    Gate(GateError),
}

/// Finds clients by name, identity code or birth date, among those the
/// user may see (or, with a purpose, outside them: logged and flagged).
pub async fn search(
    state: &AppState,
    caller: &Caller,
    input: SearchInput,
) -> Result<Vec<clients::PersonSummary>, SearchRefusal> {
    let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let criteria = clients::Criteria {
        identity_code: clean(input.identity_code),
        name: clean(input.name),
        birth_date: input.birth_date,
        limit: input.limit,
        offset: input.offset,
        purpose: input.purpose,
    };
    if let Some(code) = &criteria.identity_code {
        kirjo_domain::hetu::PersonalIdentityCode::parse(code)
            .map_err(|e| SearchRefusal::BadCode(e.to_string()))?;
    }
    if criteria.identity_code.is_none() && criteria.name.is_none() && criteria.birth_date.is_none()
    {
        return Err(SearchRefusal::Empty);
    }
    clients::search(&state.db, caller, &state.gate, &criteria)
        .await
        .map_err(SearchRefusal::Gate)
}

/// The gate's entry to a client's basic data (Action::ViewBasicData),
/// with a purpose where the user has none of their own.
pub async fn enter_basic_data(
    state: &AppState,
    caller: &Caller,
    id: i64,
    purpose: Option<&StatedPurpose>,
) -> Result<Guarded, GateError> {
    enter(
        &state.db,
        caller,
        &state.gate,
        &Request {
            action: Action::ViewBasicData,
            client_id: Some(id),
            data: "basic_data",
            purpose,
            reason: None,
        },
    )
    .await
}

/// The address and contact data of a person under turvakielto, revealed
/// for `reason` (kept in the use log). `None`: the person has none.
pub async fn reveal_protected_contact(
    state: &AppState,
    caller: &Caller,
    id: i64,
    reason: &str,
) -> Result<Option<clients::ContactData>, Refusal> {
    let mut g = enter(
        &state.db,
        caller,
        &state.gate,
        &Request {
            action: Action::RevealProtectedAddress,
            client_id: Some(id),
            data: "protected contact data",
            purpose: None,
            reason: Some(reason),
        },
    )
    .await?;
    let pending = clients::protected_contact(&mut g).await?;
    Ok(g.finish(pending).await?)
}

/// A new person (Action::CreatePerson), from what was typed: every problem
/// at its field, and an identity code another person has as a conflict.
/// Returns the new person's id.
pub async fn create_person(
    state: &AppState,
    caller: &Caller,
    body: &crate::clients::person::PersonBody,
    lang: kirjo_domain::contact::Lang,
) -> Result<i64, Refusal> {
    use crate::clients::person::{text, validate, Rule};
    let input = validate(body, lang, true).map_err(Refusal::Fields)?;
    let mut g = kirjo_store::gate::enter_general(
        &state.db,
        caller,
        &state.gate,
        Action::CreatePerson,
        "create person",
    )
    .await?;
    let pending = clients::create_person(&mut g, &state.gate.register_id, &input).await?;
    match g.finish(pending).await? {
        Some(clients::CreateOutcome::Created(id)) => Ok(id),
        Some(clients::CreateOutcome::IdentityCodeTaken) => {
            Err(Refusal::Conflict(vec![crate::shared::FieldError {
                field: "identity_code".to_owned(),
                message: text(Rule::IdentityCodeTaken, lang).to_owned(),
            }]))
        }
        None => Err(crate::shared::ApiError::internal("create person").into()),
    }
}
