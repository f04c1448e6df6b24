//! Matters (asia): a client's matter from its first contact or
//! notification, the steps of its handling against the statutory clock,
//! its documents, and the lists of open matters by their deadlines.

pub mod actions;
pub mod api;
pub mod chart;
pub mod input;
pub mod pages;

use crate::shared::route::{In, Operation, Param, Route, ID};
use kirjo_access::Action;

const LANG: Param = Param(
    "lang",
    In::Query,
    "string",
    false,
    "The language of messages: fi, sv or en.",
);

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/matters", Some(Action::Search), pages::open_matters),
        Route::new("GET", "/matters/{id}", Some(Action::ViewDocument), pages::matter),
        Route::new("POST", "/matters/{id}/phases", Some(Action::WriteDocument), pages::record_phase),
        Route::new("GET", "/clients/{id}/matters", Some(Action::ViewDocument), pages::client_matters),
        Route::new("POST", "/clients/{id}/matters", Some(Action::WriteDocument), pages::open),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/clients/{id}/matters",
                summary: "The client's matters in the service areas where the user may read the client's documents, newest first, each with its steps and its clock (the deadlines and where they stand today).",
                params: &[ID],
                body: None,
                returns: "The matters.",
            },
            Some(Action::ViewDocument),
            api::of_client,
        ),
        Route::api(
            Operation {
                method: "POST",
                path: "/api/clients/{id}/matters",
                summary: "Open a matter on the client, by a client worker of the controller in the service task's area: how it started, the day it became pending (not after today), and the document that started it. When the client has an open matter in that area, the document joins it and no new deadline starts. The clock follows the client's age on that day, the task (child welfare) and the highest care allowance.",
                params: &[ID, LANG],
                body: Some(r#"{"type":"object","required":["service_task","started_by","started_on"],"properties":{"service_task":{"type":"string","minLength":1},"started_by":{"enum":["child_welfare_notification","assessment_request","anticipatory_notification","other_contact","application"]},"started_on":{"type":"string","format":"date"},"document_id":{"type":["integer","null"]},"highest_care_allowance":{"type":["boolean","null"]}},"additionalProperties":false}"#),
                returns: "`{\"result\":\"new\",\"matter_id\":N}` (201), or `{\"result\":\"joined\",\"matter_id\":N}` (200) when the document joined the open matter; 403 outside the user's areas or for a provider's worker; 409 when an open matter exists and no document was given; 422 with each field's problem. Every refusal is logged.",
            },
            Some(Action::WriteDocument),
            api::open,
        ),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/matters",
                summary: "Open matters against their deadlines, late first: the user's own (`list=mine`, the default) or those of the units the user supervises (`list=units`). A logged use like a search.",
                params: &[Param("list", In::Query, "mine|units", false, "mine or units.")],
                body: None,
                returns: "The matters.",
            },
            Some(Action::Search),
            api::open_list,
        ),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/matters/{id}",
                summary: "A matter with its steps, its clock and its documents.",
                params: &[ID],
                body: None,
                returns: "The matter; 403 when the user may not read the client's documents in its area, 404 when there is no such matter.",
            },
            Some(Action::ViewDocument),
            api::read,
        ),
        Route::api(
            Operation {
                method: "POST",
                path: "/api/matters/{id}/phases",
                summary: "Record a step of the matter's handling, once, by a client worker of the controller in its area: the urgency assessment (urgent, not_urgent), the decision whether an assessment is started (started, not_started), the child and guardian informed (a child's matter), the assessment completed (after it was started), or the close with its reason (no_need, client_work_continues, transferred, withdrawn, other). The day is not after today, not before the matter began nor the step it follows; nothing is recorded after the close.",
                params: &[ID, LANG],
                body: Some(r#"{"type":"object","required":["phase","on"],"properties":{"phase":{"enum":["urgency_assessed","assessment_decided","informed","assessment_completed","closed"]},"on":{"type":"string","format":"date"},"outcome":{"type":["string","null"]}},"additionalProperties":false}"#),
                returns: "201; 409 when the step is recorded already or the matter is closed; 403 for who records; 422 with each field's problem. Every refusal is logged.",
            },
            Some(Action::WriteDocument),
            api::record_phase,
        ),
    ]
}
