//! Why an action was not done. An action's core (its gate call, its input
//! checks, its error mapping) is written once and returns this; the API
//! answers it as JSON, the pages as a page (or the form again, with each
//! problem at its field).

use super::error::ApiError;
use super::fields::FieldError;
use super::page::Ctx;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kirjo_access::Actor;
use kirjo_store::gate::GateError;
use kirjo_store::StoreError;

#[derive(Debug)]
pub enum Refusal {
    /// The input, each problem named by its field (422).
    Fields(Vec<FieldError>),
    /// The input clashes with what is recorded, named by its field (409):
    /// for example an identity code that another person has.
    Conflict(Vec<FieldError>),
    /// The gate said no, or found no such client, or the store failed.
    Gate(GateError),
    /// No such thing (404).
    NotFound,
    /// Any other answer, already with its status and message.
    Api(ApiError),
}

impl From<GateError> for Refusal {
    fn from(e: GateError) -> Self {
        Self::Gate(e)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Self::Api(ApiError::from_store(e))
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

/// The API's answer: `{"errors": [{field, message}]}` for the input, else
/// `{"error": message}` with the status.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Fields(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "errors": errors })),
            )
                .into_response(),
            Refusal::Conflict(errors) => (
                StatusCode::CONFLICT,
                Json(serde_json::json!({ "errors": errors })),
            )
                .into_response(),
            Refusal::Gate(GateError::Conflict {
                explanation,
                current,
            }) => super::revision::conflict(explanation, current),
            Refusal::Gate(e) => ApiError::from_gate(e).into_response(),
            Refusal::NotFound => ApiError::not_found().into_response(),
            Refusal::Api(e) => e.into_response(),
        }
    }
}

impl Ctx {
    /// The pages' answer: an error page in the user's language. (Problems
    /// with the input are normally shown on the form itself; this lists
    /// them where a page has no form to show them on.)
    pub fn refused(&self, refusal: Refusal, actor: &Actor) -> Response {
        match refusal {
            Refusal::Fields(errors) | Refusal::Conflict(errors) => self.error(
                StatusCode::UNPROCESSABLE_ENTITY,
                errors
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join(" "),
                Some(actor),
            ),
            Refusal::Gate(e) => self.gate_error(e, actor),
            Refusal::NotFound => self.error(
                StatusCode::NOT_FOUND,
                self.tr.t("error-not-found-text"),
                Some(actor),
            ),
            Refusal::Api(e) => self.api_error(e, Some(actor)),
        }
    }
}
