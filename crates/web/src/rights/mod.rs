//! Access rights: proposals and their decisions, ending a user's duties and resetting a password.

pub mod api;
pub mod pages;

use crate::shared::route::Operation;
use crate::shared::route::Route;
use crate::shared::route::ID;
use kirjo_access::Action;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
Route::new("GET", "/supervision", Some(Action::ViewRights), pages::supervision),
Route::new("GET", "/administration", Some(Action::ViewRights), pages::administration),
Route::new("POST", "/administration/proposals/{id}", Some(Action::ApproveRights), pages::decide),
Route::api(
Operation {
        method: "POST",
        path: "/api/users/{id}/password-reset",
        summary: "The main administrator resets a user's password: a temporary one is returned once, the user's sessions end, and nothing is allowed until the user changes it.",
        params: &[ID],
        body: None,
        returns: "The temporary password.",
    },
Some(Action::ApproveRights),
api::reset_password,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/rights/proposals",
        summary: "Rights proposals with their decisions.",
        params: &[],
        body: None,
        returns: "Proposals, newest first.",
    },
Some(Action::ViewRights),
api::proposals,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/rights/proposals",
        summary: "Propose to grant, change or remove a right: a unit supervisor for roles of their own unit in its service areas (where they are its supervisor), a main administrator for organisation-wide roles (main_administrator, data_protection_officer), which a second main administrator approves. Never for oneself. A change or removal is decided on the grant it ends as well.",
        params: &[],
        body: Some(r#"{"type":"object","required":["kind","user_id","role","unit","valid_from","reason"],"properties":{"kind":{"enum":["grant","change","remove"]},"user_id":{"type":"integer"},"role":{"enum":["client_worker","unit_supervisor","registry_clerk","main_administrator","data_protection_officer","provider_worker"]},"unit":{"type":"string"},"service_area":{"type":["string","null"]},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":["string","null"],"format":"date"},"target_grant_id":{"type":["integer","null"]},"reason":{"type":"string"}}}"#),
        returns: "The proposal's id (201); 403 outside the proposer's scope; 422 for a proposal that cannot be (no reason, a service area the role does not take, an unknown unit, area or user, a provider's role outside a provider's unit or another role in one, a role across the controller's and a provider's staff). Every refusal is logged.",
    },
Some(Action::ProposeRights),
api::propose,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/rights/proposals/{id}/decision",
        summary: "A main administrator approves or rejects a proposal (never their own, never one about their own rights; an organisation-wide role only on another main administrator's proposal); approval takes effect at once.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["approve","reason"],"properties":{"approve":{"type":"boolean"},"reason":{"type":"string"}}}"#),
        returns: "The decision and the grant it made; 403 for who decides, 422 for a proposal that does not exist or is already decided. Every refusal is logged.",
    },
Some(Action::ApproveRights),
api::decide,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/users/{id}/end-duties",
        summary: "A user's duties have ended: every right and session ends now.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["reason"],"properties":{"reason":{"type":"string"}}}"#),
        returns: "No content.",
    },
Some(Action::ApproveRights),
api::end_duties,
),
    ]
}
