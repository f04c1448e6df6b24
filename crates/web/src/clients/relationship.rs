//! Opening a client relationship on a basis Kirjo records, for the API and
//! the page form alike: the input is checked here (each problem at its
//! field, in the user's language), then the store decides with the gate,
//! checks the basis and records it; every refusal leaves its denied row.

use crate::shared::fields::FieldError;
use crate::shared::i18n::Tr;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use chrono::NaiveDate;
use kirjo_access::StatedPurpose;
use kirjo_domain::contact::Lang;
use kirjo_store::gate::{Caller, GateError};
use kirjo_store::relationships::{refused_field, Basis, NewRelationship};
use serde::Deserialize;

/// What opening a relationship asks, as the API takes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationshipInput {
    pub service_area: String,
    pub unit: String,
    /// Default: the user opening it. A supervisor's assignment names the
    /// worker here.
    pub responsible_worker_id: Option<i64>,
    /// Default: today; a day in the past needs `backdating_reason`.
    #[serde(default, deserialize_with = "kirjo_domain::edge::de_opt_date")]
    pub started_on: Option<NaiveDate>,
    /// `document`, `assignment` or `purpose`.
    pub basis: Option<String>,
    /// With `document`: a child welfare notification, an application or an
    /// intake of this client in this service area.
    pub document_id: Option<i64>,
    /// With `purpose`: a configured purpose and the user's own words.
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
    pub backdating_reason: Option<String>,
}

fn problem(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message,
    }
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The relationship asked for and the problems of the input, each at its
/// field.
pub fn check(
    state: &AppState,
    input: &RelationshipInput,
    lang: Lang,
    today: NaiveDate,
) -> (NewRelationship, Vec<FieldError>) {
    let tr = Tr::new(lang);
    let mut errors = Vec::new();
    let basis = match input.basis.as_deref().map(str::trim) {
        Some("document") => match input.document_id {
            Some(id) => Some(Basis::Document(id)),
            None => {
                errors.push(problem(
                    "document_id",
                    tr.t("relationship-document-required"),
                ));
                None
            }
        },
        Some("assignment") => Some(Basis::Assignment),
        Some("purpose") => {
            let purpose = text(&input.purpose).filter(|p| state.gate.purposes.contains(p));
            let words = text(&input.purpose_text);
            if purpose.is_none() {
                errors.push(problem("purpose", tr.t("relationship-purpose-required")));
            }
            if words.is_none() {
                errors.push(problem(
                    "purpose_text",
                    tr.t("relationship-purpose-text-required"),
                ));
            }
            purpose
                .zip(words)
                .map(|(purpose_id, text)| Basis::Purpose(StatedPurpose { purpose_id, text }))
        }
        _ => {
            errors.push(problem("basis", tr.t("relationship-basis-required")));
            None
        }
    };
    let backdating_reason = text(&input.backdating_reason);
    if input.started_on.is_some_and(|d| d < today) && backdating_reason.is_none() {
        errors.push(problem(
            "backdating_reason",
            tr.t("relationship-backdating-reason-required"),
        ));
    }
    (
        NewRelationship {
            service_area: input.service_area.trim().to_owned(),
            unit: input.unit.trim().to_owned(),
            responsible_worker_id: input.responsible_worker_id,
            started_on: input.started_on,
            basis,
            backdating_reason,
        },
        errors,
    )
}

/// What the use log keeps of refused input: the fields, not their text.
fn refused_fields(errors: &[FieldError]) -> String {
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    format!("input: problems in {}", fields.join(", "))
}

/// Opens the relationship of `client`, or says why not: the gate's and
/// the store's refusals as they are (403), the input's at its fields (422),
/// each logged.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    client: i64,
    input: &RelationshipInput,
    more: Vec<FieldError>,
    lang: Lang,
) -> Result<i64, Refusal> {
    let today = kirjo_domain::calendar::helsinki_today();
    let (new, mut errors) = check(state, input, lang, today);
    errors.extend(more);
    let problems = (!errors.is_empty()).then(|| refused_fields(&errors));
    let opened = kirjo_store::relationships::open(
        &state.db,
        caller,
        &state.gate,
        client,
        &new,
        problems.as_deref(),
    )
    .await;
    match opened {
        Ok(id) => Ok(id),
        Err(GateError::Invalid { .. }) if !errors.is_empty() => Err(Refusal::Fields(errors)),
        Err(e) => match refused_field(&e) {
            Some(field) => Err(Refusal::Fields(vec![problem(
                field,
                Tr::new(lang).t(&format!("relationship-refused-{field}")),
            )])),
            None => Err(e.into()),
        },
    }
}
