//! The use log as people see it: a client's log extract, the user's own trail, the data protection officer's monitoring flags and the supervisor's samples.

pub mod api;
pub mod data_protection;
pub mod extract;
pub mod pages;

use crate::shared::route::Operation;
use crate::shared::route::Route;
use crate::shared::route::ID;
use crate::shared::route::PAGE;
use crate::shared::route::PERIOD;
use kirjo_access::Action;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
Route::new("POST", "/supervision/samples", Some(Action::ReviewMonitoring), pages::draw),
Route::new("GET", "/supervision/samples/{id}", Some(Action::ReviewMonitoring), pages::sample),
Route::new("POST", "/supervision/samples/{id}/items/{log}", Some(Action::ReviewMonitoring), pages::review_item),
Route::new("GET", "/clients/{id}/log", Some(Action::ViewLogExtract), pages::client_log),
Route::new("GET", "/account/trail", None, pages::own_trail),
Route::new("POST", "/data-protection/extract", Some(Action::ViewLogExtract), pages::find_for_extract),
Route::new("GET", "/data-protection", Some(Action::ReviewMonitoring), data_protection::data_protection),
Route::new("POST", "/data-protection/flags/{id}", Some(Action::ReviewMonitoring), data_protection::review_flag),
Route::new("POST", "/data-protection/items/{id}", Some(Action::ReviewMonitoring), data_protection::review_item),
Route::api(
Operation {
        method: "GET",
        path: "/api/me/trail",
        summary: "The user's own trail in the use log: in JSON a page of 200 rows, in CSV the whole period.",
        params: &[PERIOD[0], PERIOD[1], PERIOD[2], PAGE],
        body: None,
        returns: "A page of uses with `page`, `page_size` and `total` (JSON), or every use of the period (CSV).",
    },
None,
api::my_trail,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/log",
        summary: "The client's log extract (703/2023 §11): who used their data, when, what and why, and disclosures.",
        params: &[ID, PERIOD[0], PERIOD[1], PERIOD[2], PAGE],
        body: None,
        returns: "A page of 200 uses with `page`, `page_size` and `total`, and the period's disclosures (JSON); or every use of the period (CSV).",
    },
Some(Action::ViewLogExtract),
api::client_log,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/monitoring/flags",
        summary: "Open monitoring flags: all for the data protection officer, the unit's for a supervisor.",
        params: &[],
        body: None,
        returns: "Flags, oldest first.",
    },
Some(Action::ReviewMonitoring),
api::flags,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/monitoring/items",
        summary: "Open review items: a user's open flags of one kind on one day (Helsinki time) as one item, with their count, first and last time, clients and log rows (at most 500 listed). All for the data protection officer, the unit's for a supervisor.",
        params: &[],
        body: None,
        returns: "Items, oldest first.",
    },
Some(Action::ReviewMonitoring),
api::items,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/monitoring/items/{id}/review",
        summary: "Record the outcome of reviewing an item: every open flag of it gets the outcome and note.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["outcome","note"],"properties":{"outcome":{"enum":["justified","misuse_suspected","needs_investigation"]},"note":{"type":"string"}}}"#),
        returns: "How many flags were reviewed: `{\"reviewed\": n}`.",
    },
Some(Action::ReviewMonitoring),
api::review_item,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/monitoring/flags/{id}/review",
        summary: "Record the outcome of reviewing a flag.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["outcome","note"],"properties":{"outcome":{"enum":["justified","misuse_suspected","needs_investigation"]},"note":{"type":"string"}}}"#),
        returns: "No content.",
    },
Some(Action::ReviewMonitoring),
api::review_flag,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/monitoring/samples",
        summary: "Draw a random sample of a unit's accesses in a period for review.",
        params: &[],
        body: Some(r#"{"type":"object","required":["unit","from","to","size"],"properties":{"unit":{"type":"string"},"from":{"type":"string","format":"date-time"},"to":{"type":"string","format":"date-time"},"size":{"type":"integer","minimum":1,"maximum":500}}}"#),
        returns: "The sample's id and accesses.",
    },
Some(Action::ReviewMonitoring),
api::draw_sample,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/monitoring/samples/{id}/reviews",
        summary: "Record the outcome of reviewing one sampled access.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["use_log_id","outcome","note"],"properties":{"use_log_id":{"type":"integer"},"outcome":{"enum":["justified","misuse_suspected","needs_investigation"]},"note":{"type":"string"}}}"#),
        returns: "No content.",
    },
Some(Action::ReviewMonitoring),
api::review_sample,
),
    ]
}
